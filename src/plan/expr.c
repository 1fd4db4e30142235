/*
 * expr.c — logical expressions (layer: plan): constructors, copying with
 * column remapping, structural equality and the column / constant
 * questions the binder and the optimizer ask.
 */
#include <string.h>

#include "plan/plan.h"

plan_expr *plan_expr_new(plan_ctx *ctx, plan_expr_kind kind, int32_t op, arrow_type *type,
                         bool nullable, int32_t n_args, plan_expr *const *args)
{
    plan_expr *e = plan_alloc(ctx, sizeof *e);
    if (e == NULL)
        return NULL;
    e->kind = kind;
    e->op = op;
    e->type = type;
    e->nullable = nullable;
    e->column = -1;
    if (n_args > 0) {
        e->args = plan_alloc(ctx, (size_t)n_args * sizeof *e->args);
        if (e->args == NULL)
            return NULL;
        if (args != NULL)
            memcpy(e->args, args, (size_t)n_args * sizeof *e->args);
    }
    e->n_args = n_args;
    return e;
}

plan_expr *plan_expr_column(plan_ctx *ctx, const plan_schema *input, int32_t column)
{
    const plan_column *col = &input->columns[column];
    plan_expr *e = plan_expr_new(ctx, PLAN_EXPR_COLUMN, 0, col->type, col->nullable, 0, NULL);
    if (e != NULL)
        e->column = column;
    return e;
}

plan_expr *plan_expr_literal(plan_ctx *ctx, arrow_array *value)
{
    if (plan_keep_array(ctx, value) == NULL)
        return NULL;
    plan_expr *e = plan_expr_new(ctx, PLAN_EXPR_LITERAL, 0, value->type,
                                 !arrow_array_is_valid(value, 0), 0, NULL);
    if (e != NULL)
        e->value = value;
    return e;
}

plan_expr *plan_expr_cast(plan_ctx *ctx, plan_expr *arg, arrow_type *to, bool safe)
{
    plan_expr *e = plan_expr_new(ctx, PLAN_EXPR_CAST, 0, to, arg->nullable || safe, 1, &arg);
    if (e != NULL && safe)
        e->flags |= PLAN_F_SAFE;
    return e;
}

bool plan_expr_list_push(plan_ctx *ctx, plan_expr_list *list, plan_expr *e)
{
    if (e == NULL)
        return false;
    if (list->n == list->cap) {
        int32_t cap = list->cap == 0 ? 8 : list->cap * 2;
        plan_expr **items = plan_alloc(ctx, (size_t)cap * sizeof *items);
        if (items == NULL)
            return false;
        if (list->n > 0)
            memcpy(items, list->items, (size_t)list->n * sizeof *items);
        list->items = items;
        list->cap = cap;
    }
    list->items[list->n++] = e;
    return true;
}

plan_expr *plan_expr_copy(plan_ctx *ctx, const plan_expr *expr, const int32_t *map)
{
    if (expr == NULL)
        return NULL;
    plan_expr *e = plan_alloc(ctx, sizeof *e);
    if (e == NULL)
        return NULL;
    *e = *expr; /* a window call's plan_window_call is shared: its expressions are args */
    if (e->kind == PLAN_EXPR_COLUMN && map != NULL)
        e->column = map[e->column];
    if (expr->n_args > 0) {
        e->args = plan_alloc(ctx, (size_t)expr->n_args * sizeof *e->args);
        if (e->args == NULL)
            return NULL;
        for (int32_t i = 0; i < expr->n_args; i++) {
            if (expr->args[i] == NULL)
                continue;
            e->args[i] = plan_expr_copy(ctx, expr->args[i], map);
            if (e->args[i] == NULL)
                return NULL;
        }
    }
    return e;
}

static bool literal_equal(const arrow_array *a, const arrow_array *b)
{
    if (!arrow_type_equal(a->type, b->type))
        return false;
    bool va = arrow_array_is_valid(a, 0), vb = arrow_array_is_valid(b, 0);
    if (va != vb)
        return false;
    if (!va)
        return true;
    base_strbuf sa, sb;
    base_strbuf_init(&sa);
    base_strbuf_init(&sb);
    bool same = arrow_format_value(a, 0, &sa, NULL) == QV_OK &&
                arrow_format_value(b, 0, &sb, NULL) == QV_OK && sa.len == sb.len &&
                memcmp(sa.data, sb.data, sa.len) == 0;
    base_strbuf_free(&sa);
    base_strbuf_free(&sb);
    return same;
}

static bool agg_equal(const plan_agg_call *a, const plan_agg_call *b)
{
    if (a->func != b->func || a->distinct != b->distinct || a->n_args != b->n_args ||
        a->n_order != b->n_order || !plan_expr_equal(a->filter, b->filter))
        return false;
    for (int32_t i = 0; i < a->n_args; i++)
        if (!plan_expr_equal(a->args[i], b->args[i]))
            return false;
    for (int32_t i = 0; i < a->n_order; i++)
        if (a->order[i].descending != b->order[i].descending ||
            a->order[i].nulls_first != b->order[i].nulls_first ||
            !plan_expr_equal(a->order[i].expr, b->order[i].expr))
            return false;
    return true;
}

static bool bound_equal(const plan_frame_bound *a, const plan_frame_bound *b)
{
    if (a->kind != b->kind || (a->offset == NULL) != (b->offset == NULL))
        return false;
    return a->offset == NULL || literal_equal(a->offset, b->offset);
}

/* The call's own settings (its expressions are args, compared by the caller). */
static bool window_equal(const plan_window_call *a, const plan_window_call *b)
{
    if (a == b)
        return true;
    if (a->func != b->func || a->n_args != b->n_args || a->n_partition != b->n_partition ||
        a->n_order != b->n_order || a->has_filter != b->has_filter || a->distinct != b->distinct ||
        a->null_treatment != b->null_treatment || a->frame.units != b->frame.units ||
        a->frame.exclude != b->frame.exclude || !bound_equal(&a->frame.start, &b->frame.start) ||
        !bound_equal(&a->frame.end, &b->frame.end))
        return false;
    for (int32_t i = 0; i < a->n_order; i++)
        if (a->order[i].descending != b->order[i].descending ||
            a->order[i].nulls_first != b->order[i].nulls_first)
            return false;
    return true;
}

bool plan_expr_equal(const plan_expr *a, const plan_expr *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    if (a->kind != b->kind || a->op != b->op || a->flags != b->flags || a->n_args != b->n_args ||
        a->column != b->column || a->func != b->func || a->escape != b->escape)
        return false;
    if (!arrow_type_equal(a->type, b->type))
        return false;
    if (a->kind == PLAN_EXPR_LITERAL && !literal_equal(a->value, b->value))
        return false;
    if (a->kind == PLAN_EXPR_AGGREGATE && !agg_equal(a->agg, b->agg))
        return false;
    if (a->kind == PLAN_EXPR_WINDOW && !window_equal(a->win, b->win))
        return false;
    if (a->subquery != b->subquery)
        return false;
    for (int32_t i = 0; i < a->n_args; i++)
        if (!plan_expr_equal(a->args[i], b->args[i]))
            return false;
    return true;
}

bool plan_expr_is_constant(const plan_expr *expr)
{
    if (expr == NULL)
        return true;
    switch (expr->kind) {
    case PLAN_EXPR_COLUMN:
    case PLAN_EXPR_PLACEHOLDER:
    case PLAN_EXPR_AGGREGATE:
    case PLAN_EXPR_WINDOW:
    case PLAN_EXPR_OUTER_COLUMN:
    case PLAN_EXPR_SUBQUERY:
        return false;
    case PLAN_EXPR_FUNCTION:
        if (expr->func->volatility != FUNC_IMMUTABLE)
            return false;
        break;
    default:
        break;
    }
    for (int32_t i = 0; i < expr->n_args; i++)
        if (!plan_expr_is_constant(expr->args[i]))
            return false;
    return true;
}

void plan_expr_columns_used(const plan_expr *expr, bool *used)
{
    if (expr == NULL)
        return;
    if (expr->kind == PLAN_EXPR_COLUMN)
        used[expr->column] = true;
    for (int32_t i = 0; i < expr->n_args; i++)
        plan_expr_columns_used(expr->args[i], used);
}
