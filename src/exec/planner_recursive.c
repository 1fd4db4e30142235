/*
 * planner_recursive.c — physical planning of WITH RECURSIVE (layer:
 * exec): PLAN_RECURSIVE becomes a RecursiveQueryExec over the static
 * term's operators and a work table, PLAN_WORK_TABLE a WorkTableExec
 * reading the work table of the recursive query being planned.
 */
#include "exec/planner_int.h"

qv_status planner_recursive_term(const plan_node *term, const exec_plan_options *options,
                                 exec_work_table *wt, exec_node **out, qv_error *err)
{
    planner pl = {.options = options, .err = err, .work_table = wt};
    return planner_node(&pl, term, out);
}

qv_status planner_work_table(planner *pl, const plan_node *node, exec_node **out)
{
    *out = NULL;
    if (pl->work_table == NULL)
        return base_error_set(pl->err, QV_PLAN,
                              "Error during planning: recursive query table %s read outside "
                              "its recursive term",
                              node->table_name);
    arrow_schema *schema = NULL;
    QV_TRY(plan_schema_to_arrow(&node->schema, &schema, pl->err));
    qv_status st = exec_work_table_scan_new(pl->work_table, schema, out, pl->err);
    arrow_schema_release(schema);
    return st;
}

qv_status planner_recursive(planner *pl, const plan_node *node, exec_node **out)
{
    *out = NULL;
    exec_node *static_term = NULL, *first_round = NULL;
    QV_TRY(planner_node(pl, node->inputs[0], &static_term));
    exec_work_table *wt = NULL;
    qv_status st = exec_work_table_new(&wt, pl->err);
    if (st == QV_OK)
        st = planner_recursive_term(node->inputs[1], pl->options, wt, &first_round, pl->err);
    if (st != QV_OK) {
        exec_node_free(static_term);
        exec_work_table_release(wt);
        return st;
    }
    return exec_recursive_new(static_term, first_round, node->inputs[1], pl->options, wt,
                              node->distinct, out, pl->err);
}
