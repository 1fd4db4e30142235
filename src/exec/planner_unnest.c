/*
 * planner_unnest.c — physical planning of PLAN_UNNEST nodes (layer: exec):
 * an UnnestExec over the input's operators.
 */
#include "exec/planner_int.h"

qv_status planner_unnest(planner *pl, const plan_node *node, exec_node **out)
{
    *out = NULL;
    exec_node *child = NULL;
    QV_TRY(planner_node(pl, node->inputs[0], &child));
    arrow_schema *schema = NULL;
    qv_status st = plan_schema_to_arrow(&node->schema, &schema, pl->err);
    if (st != QV_OK) {
        exec_node_free(child);
        return st;
    }
    st = exec_unnest_new(child, node->n_unnest, node->unnest, node->preserve_nulls, schema, out,
                         pl->err);
    arrow_schema_release(schema);
    return st;
}
