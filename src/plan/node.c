/*
 * node.c — logical plan nodes and their schemas (layer: plan).
 */
#include <string.h>

#include "plan/plan.h"

const char *plan_join_type_name(plan_join_type type)
{
    static const char *const names[] = {"Inner",    "Left",      "Right",     "Full",    "LeftSemi",
                                        "LeftAnti", "RightSemi", "RightAnti", "LeftMark"};
    return (size_t)type < sizeof names / sizeof names[0] ? names[type] : "?";
}

plan_node *plan_node_new(plan_ctx *ctx, plan_kind kind, int32_t n_inputs, plan_node *const *inputs)
{
    plan_node *node = plan_alloc(ctx, sizeof *node);
    if (node == NULL)
        return NULL;
    node->kind = kind;
    node->fetch = -1;
    if (n_inputs > 0) {
        node->inputs = plan_alloc(ctx, (size_t)n_inputs * sizeof *node->inputs);
        if (node->inputs == NULL)
            return NULL;
        memcpy(node->inputs, inputs, (size_t)n_inputs * sizeof *node->inputs);
    }
    node->n_inputs = n_inputs;
    return node;
}

bool plan_schema_init(plan_ctx *ctx, plan_schema *schema, int32_t n)
{
    schema->n_columns = n;
    schema->columns = plan_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *schema->columns);
    return schema->columns != NULL;
}

qv_status plan_schema_to_arrow(const plan_schema *schema, arrow_schema **out, qv_error *err)
{
    *out = NULL;
    int32_t n = schema->n_columns;
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "schema");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++)
        st = arrow_field_new(schema->columns[i].name, schema->columns[i].type,
                             schema->columns[i].nullable, NULL, &fields[i], err);
    if (st == QV_OK)
        st = arrow_schema_new(n, fields, NULL, out, err);
    for (int32_t i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    base_free(fields);
    return st;
}
