/*
 * util.c — helpers the optimizer's rules share (layer: optimizer): copying
 * nodes, building filters, projections and empty relations, conjunctions,
 * Boolean literals, and the questions rules ask about expressions (is it
 * volatile, can it fail).
 */
#include <string.h>

#include "optimizer/optimizer_int.h"

/* ---- nodes ---- */

plan_node *opt_node_copy(plan_ctx *ctx, const plan_node *node)
{
    plan_node *copy = plan_alloc(ctx, sizeof *copy);
    if (copy == NULL)
        return NULL;
    *copy = *node;
    if (node->n_inputs > 0) {
        copy->inputs = plan_alloc(ctx, (size_t)node->n_inputs * sizeof *copy->inputs);
        if (copy->inputs == NULL)
            return NULL;
        memcpy(copy->inputs, node->inputs, (size_t)node->n_inputs * sizeof *copy->inputs);
    }
    return copy;
}

plan_node *opt_node_with_inputs(plan_ctx *ctx, const plan_node *node, plan_node *const *inputs)
{
    plan_node *copy = opt_node_copy(ctx, node);
    if (copy == NULL)
        return NULL;
    for (int32_t i = 0; i < node->n_inputs; i++)
        copy->inputs[i] = inputs[i];
    if (node->kind == PLAN_FILTER || node->kind == PLAN_SORT || node->kind == PLAN_LIMIT)
        copy->schema = inputs[0]->schema;
    return copy;
}

plan_node *opt_filter_new(plan_ctx *ctx, plan_node *input, plan_expr *predicate)
{
    plan_node *filter = plan_node_new(ctx, PLAN_FILTER, 1, &input);
    if (filter == NULL)
        return NULL;
    filter->schema = input->schema;
    filter->exprs = plan_alloc(ctx, sizeof *filter->exprs);
    if (filter->exprs == NULL)
        return NULL;
    filter->n_exprs = 1;
    filter->exprs[0] = predicate;
    return filter;
}

plan_node *opt_empty_new(plan_ctx *ctx, const plan_schema *schema)
{
    plan_node *empty = plan_node_new(ctx, PLAN_EMPTY, 0, NULL);
    if (empty == NULL)
        return NULL;
    empty->schema = *schema;
    empty->produce_one_row = false;
    return empty;
}

plan_node *opt_project_columns(plan_ctx *ctx, plan_node *input, int32_t n, const int32_t *columns,
                               const plan_schema *schema)
{
    plan_node *proj = plan_node_new(ctx, PLAN_PROJECTION, 1, &input);
    if (proj == NULL || !plan_schema_init(ctx, &proj->schema, n))
        return NULL;
    proj->exprs = plan_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *proj->exprs);
    if (proj->exprs == NULL)
        return NULL;
    proj->n_exprs = n;
    for (int32_t i = 0; i < n; i++) {
        proj->exprs[i] = plan_expr_column(ctx, &input->schema, columns[i]);
        if (proj->exprs[i] == NULL)
            return NULL;
        proj->schema.columns[i] =
            schema != NULL ? schema->columns[i] : input->schema.columns[columns[i]];
    }
    return proj;
}

bool opt_is_empty(const plan_node *node)
{
    return node->kind == PLAN_EMPTY && !node->produce_one_row;
}

bool opt_constant_filter(plan_ctx *ctx, const plan_node *node, plan_node **out)
{
    *out = NULL;
    if (node->kind != PLAN_FILTER)
        return true;
    int truth = opt_literal_truth(node->exprs[0]);
    if (truth == 1)
        *out = node->inputs[0];
    else if (truth == 0 || truth == -1)
        *out = opt_empty_new(ctx, &node->schema);
    else
        return true;
    return *out != NULL;
}

/* ---- expression lists and conjunctions ---- */

bool opt_split_conjuncts(plan_ctx *ctx, plan_expr *e, opt_exprs *list)
{
    if (e->kind == PLAN_EXPR_BINARY && e->op == PLAN_OP_AND)
        return opt_split_conjuncts(ctx, e->args[0], list) &&
               opt_split_conjuncts(ctx, e->args[1], list);
    return plan_expr_list_push(ctx, list, e);
}

plan_expr *opt_conjunction(plan_ctx *ctx, const opt_exprs *list)
{
    plan_expr *acc = list->items[0];
    for (int32_t i = 1; i < list->n && acc != NULL; i++) {
        plan_expr *args[2] = {acc, list->items[i]};
        acc =
            plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_AND, arrow_type_primitive(QV_TYPE_BOOLEAN),
                          acc->nullable || list->items[i]->nullable, 2, args);
    }
    return acc;
}

/* ---- literals ---- */

plan_expr *opt_bool_literal(plan_ctx *ctx, int value, arrow_type *type)
{
    if (type == NULL)
        type = arrow_type_primitive(QV_TYPE_BOOLEAN);
    arrow_builder *b = NULL;
    if (arrow_builder_new(type, &b, NULL) != QV_OK)
        return NULL;
    qv_status st = value < 0 ? arrow_builder_append_null(b, NULL)
                             : arrow_builder_append_bool(b, value != 0, NULL);
    arrow_array *a = NULL;
    if (st == QV_OK)
        st = arrow_builder_finish(b, &a, NULL);
    arrow_builder_free(b);
    if (st != QV_OK)
        return NULL;
    return plan_expr_literal(ctx, a);
}

int opt_literal_truth(const plan_expr *e)
{
    if (e->kind != PLAN_EXPR_LITERAL)
        return -2;
    const arrow_array *v = e->value;
    if (v->type->id == QV_TYPE_NULL)
        return -1;
    if (v->type->id != QV_TYPE_BOOLEAN)
        return -2;
    if (!arrow_array_is_valid(v, 0))
        return -1;
    return arrow_bit_get(arrow_array_values(v), v->offset) ? 1 : 0;
}

/* ---- questions about expressions ---- */

bool opt_expr_volatile(const plan_expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == PLAN_EXPR_FUNCTION && e->func->volatility == FUNC_VOLATILE)
        return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (opt_expr_volatile(e->args[i]))
            return true;
    return false;
}

/* Bits of an integer type, 0 for other types. */
static int int_bits(arrow_type_id id)
{
    switch (id) {
    case QV_TYPE_INT8:
    case QV_TYPE_UINT8:
        return 8;
    case QV_TYPE_INT16:
    case QV_TYPE_UINT16:
        return 16;
    case QV_TYPE_INT32:
    case QV_TYPE_UINT32:
        return 32;
    case QV_TYPE_INT64:
    case QV_TYPE_UINT64:
        return 64;
    default:
        return 0;
    }
}

static bool is_string(arrow_type_id id)
{
    return id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW;
}

/* Types the comparison kernels take (so comparing never fails for want of
 * a kernel). */
static bool comparable(arrow_type_id id)
{
    switch (id) {
    case QV_TYPE_BOOLEAN:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION:
        return true;
    default:
        return int_bits(id) > 0 || is_string(id);
    }
}

/* A cast that converts every value: integer widening, integers and floats
 * to wider floats, numbers to strings, strings to strings. */
static bool widening_cast(const arrow_type *from, const arrow_type *to)
{
    if (arrow_type_equal(from, to))
        return true;
    int fb = int_bits(from->id), tb = int_bits(to->id);
    bool from_signed = arrow_type_is_signed_integer(from->id);
    bool to_signed = arrow_type_is_signed_integer(to->id);
    if (fb > 0 && tb > 0)
        return from_signed == to_signed ? tb >= fb : (!from_signed && tb > fb);
    if ((fb > 0 || from->id == QV_TYPE_FLOAT32) && to->id == QV_TYPE_FLOAT64)
        return true;
    if (fb > 0 && to->id == QV_TYPE_FLOAT32)
        return true;
    if (is_string(to->id))
        return fb > 0 || is_string(from->id) || from->id == QV_TYPE_BOOLEAN;
    return false;
}

bool opt_expr_infallible(const plan_expr *e)
{
    if (e == NULL)
        return true;
    switch (e->kind) {
    case PLAN_EXPR_COLUMN:
    case PLAN_EXPR_LITERAL:
        return true;
    case PLAN_EXPR_BINARY:
        switch (e->op) {
        case PLAN_OP_EQ:
        case PLAN_OP_NE:
        case PLAN_OP_LT:
        case PLAN_OP_LE:
        case PLAN_OP_GT:
        case PLAN_OP_GE:
        case PLAN_OP_IS_DISTINCT:
        case PLAN_OP_IS_NOT_DISTINCT:
            if (!arrow_type_equal(e->args[0]->type, e->args[1]->type) ||
                !comparable(e->args[0]->type->id))
                return false;
            break;
        case PLAN_OP_AND:
        case PLAN_OP_OR:
            break;
        default:
            return false;
        }
        break;
    case PLAN_EXPR_NOT:
        if (e->args[0]->type->id != QV_TYPE_BOOLEAN)
            return false;
        break;
    case PLAN_EXPR_IS:
        break;
    case PLAN_EXPR_IN_LIST:
        for (int32_t i = 1; i < e->n_args; i++)
            if (!arrow_type_equal(e->args[0]->type, e->args[i]->type))
                return false;
        if (!comparable(e->args[0]->type->id))
            return false;
        break;
    case PLAN_EXPR_LIKE:
        if (e->args[1]->kind != PLAN_EXPR_LITERAL || !is_string(e->args[0]->type->id) ||
            !is_string(e->args[1]->type->id))
            return false;
        break;
    case PLAN_EXPR_CAST:
        /* TRY_CAST turns bad values into NULLs, but an unsupported pair of
         * types still fails. */
        if (!func_can_cast(e->args[0]->type, e->type) ||
            (!(e->flags & PLAN_F_SAFE) && !widening_cast(e->args[0]->type, e->type)))
            return false;
        break;
    default:
        return false;
    }
    for (int32_t i = 0; i < e->n_args; i++)
        if (!opt_expr_infallible(e->args[i]))
            return false;
    return true;
}

plan_expr *opt_expr_substitute(plan_ctx *ctx, const plan_expr *e, plan_expr *const *exprs)
{
    if (e->kind == PLAN_EXPR_COLUMN)
        return plan_expr_copy(ctx, exprs[e->column], NULL);
    plan_expr *copy = plan_alloc(ctx, sizeof *copy);
    if (copy == NULL)
        return NULL;
    *copy = *e;
    if (e->n_args > 0) {
        copy->args = plan_alloc(ctx, (size_t)e->n_args * sizeof *copy->args);
        if (copy->args == NULL)
            return NULL;
        for (int32_t i = 0; i < e->n_args; i++) {
            if (e->args[i] == NULL)
                continue;
            copy->args[i] = opt_expr_substitute(ctx, e->args[i], exprs);
            if (copy->args[i] == NULL)
                return NULL;
        }
    }
    return copy;
}

int32_t opt_expr_max_column(const plan_expr *e)
{
    if (e == NULL)
        return -1;
    int32_t best = e->kind == PLAN_EXPR_COLUMN ? e->column : -1;
    for (int32_t i = 0; i < e->n_args; i++) {
        int32_t c = opt_expr_max_column(e->args[i]);
        if (c > best)
            best = c;
    }
    return best;
}
