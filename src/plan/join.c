/*
 * join.c — logical join nodes (layer: plan): the output schema of each
 * join type, and sorting a join condition's conjuncts into equi-join keys
 * and the residual filter. Used by the binder (ON / USING / NATURAL,
 * subqueries, set operations) and the optimizer (filters pushed into
 * joins).
 */
#include <string.h>

#include "plan/plan.h"

bool plan_join_keeps_left(plan_join_type type)
{
    return type != PLAN_JOIN_RIGHT_SEMI && type != PLAN_JOIN_RIGHT_ANTI;
}

bool plan_join_keeps_right(plan_join_type type)
{
    return type == PLAN_JOIN_INNER || type == PLAN_JOIN_LEFT || type == PLAN_JOIN_RIGHT ||
           type == PLAN_JOIN_FULL || type == PLAN_JOIN_RIGHT_SEMI || type == PLAN_JOIN_RIGHT_ANTI;
}

plan_node *plan_join_new(plan_ctx *ctx, plan_join_type type, plan_node *left, plan_node *right)
{
    plan_node *inputs[2] = {left, right};
    plan_node *join = plan_node_new(ctx, PLAN_JOIN, 2, inputs);
    if (join == NULL)
        return NULL;
    join->join_type = type;
    int32_t nl = plan_join_keeps_left(type) ? left->schema.n_columns : 0;
    int32_t nr = plan_join_keeps_right(type) ? right->schema.n_columns : 0;
    int32_t n_mark = type == PLAN_JOIN_LEFT_MARK ? 1 : 0;
    if (!plan_schema_init(ctx, &join->schema, nl + nr + n_mark))
        return NULL;
    plan_column *cols = join->schema.columns;
    if (nl > 0)
        memcpy(cols, left->schema.columns, (size_t)nl * sizeof *cols);
    if (nr > 0)
        memcpy(cols + nl, right->schema.columns, (size_t)nr * sizeof *cols);
    bool left_nullable = type == PLAN_JOIN_RIGHT || type == PLAN_JOIN_FULL;
    bool right_nullable = type == PLAN_JOIN_LEFT || type == PLAN_JOIN_FULL;
    for (int32_t i = 0; i < nl && left_nullable; i++)
        cols[i].nullable = true;
    for (int32_t i = 0; i < nr && right_nullable && nl > 0; i++)
        cols[nl + i].nullable = true;
    if (n_mark) {
        cols[nl].name = "mark";
        cols[nl].type = arrow_type_primitive(QV_TYPE_BOOLEAN);
        cols[nl].nullable = false;
    }
    return join;
}

/* Lowest and highest column e reads (-1 / -1 when none). */
static void column_range(const plan_expr *e, int32_t *lo, int32_t *hi)
{
    if (e == NULL)
        return;
    if (e->kind == PLAN_EXPR_COLUMN) {
        if (*lo < 0 || e->column < *lo)
            *lo = e->column;
        if (e->column > *hi)
            *hi = e->column;
    }
    for (int32_t i = 0; i < e->n_args; i++)
        column_range(e->args[i], lo, hi);
}

int32_t plan_expr_side(const plan_expr *e, int32_t n_left)
{
    int32_t lo = -1, hi = -1;
    column_range(e, &lo, &hi);
    if (lo < 0)
        return 0;
    if (hi < n_left)
        return 1;
    if (lo >= n_left)
        return 2;
    return 3;
}

static bool volatile_expr(const plan_expr *e)
{
    if (e->kind == PLAN_EXPR_FUNCTION && e->func->volatility == FUNC_VOLATILE)
        return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (volatile_expr(e->args[i]))
            return true;
    return false;
}

plan_expr *plan_expr_to_right_input(plan_ctx *ctx, const plan_expr *e, int32_t n_left,
                                    int32_t n_right)
{
    int32_t *map = plan_alloc(ctx, (size_t)(n_left + n_right + 1) * sizeof *map);
    if (map == NULL)
        return NULL;
    for (int32_t i = 0; i < n_left + n_right; i++)
        map[i] = i >= n_left ? i - n_left : -1;
    return plan_expr_copy(ctx, e, map);
}

bool plan_join_add_key(plan_ctx *ctx, plan_node *join, plan_expr *left_key, plan_expr *right_key)
{
    int32_t n = join->n_join_keys;
    plan_expr **lk = plan_alloc(ctx, (size_t)(n + 1) * sizeof *lk);
    plan_expr **rk = plan_alloc(ctx, (size_t)(n + 1) * sizeof *rk);
    if (lk == NULL || rk == NULL)
        return false;
    if (n > 0) {
        memcpy(lk, join->left_keys, (size_t)n * sizeof *lk);
        memcpy(rk, join->right_keys, (size_t)n * sizeof *rk);
    }
    lk[n] = left_key;
    rk[n] = right_key;
    join->left_keys = lk;
    join->right_keys = rk;
    join->n_join_keys = n + 1;
    return true;
}

bool plan_join_add_condition(plan_ctx *ctx, plan_node *join, plan_expr *cond)
{
    if (cond->kind == PLAN_EXPR_BINARY && cond->op == PLAN_OP_AND)
        return plan_join_add_condition(ctx, join, cond->args[0]) &&
               plan_join_add_condition(ctx, join, cond->args[1]);
    int32_t nl = join->inputs[0]->schema.n_columns;
    int32_t nr = join->inputs[1]->schema.n_columns;
    bool equi = cond->kind == PLAN_EXPR_BINARY &&
                (cond->op == PLAN_OP_EQ || (cond->op == PLAN_OP_IS_NOT_DISTINCT &&
                                            (join->n_join_keys == 0 || join->null_equals_null))) &&
                !volatile_expr(cond);
    if (equi) {
        int32_t a = plan_expr_side(cond->args[0], nl);
        int32_t b = plan_expr_side(cond->args[1], nl);
        const plan_expr *l = NULL, *r = NULL;
        if (a == 1 && b == 2) {
            l = cond->args[0];
            r = cond->args[1];
        } else if (a == 2 && b == 1) {
            l = cond->args[1];
            r = cond->args[0];
        }
        if (l != NULL && (join->n_join_keys == 0 ||
                          join->null_equals_null == (cond->op == PLAN_OP_IS_NOT_DISTINCT))) {
            plan_expr *rk = plan_expr_to_right_input(ctx, r, nl, nr);
            if (rk == NULL || !plan_join_add_key(ctx, join, (plan_expr *)l, rk))
                return false;
            join->null_equals_null = cond->op == PLAN_OP_IS_NOT_DISTINCT;
            return true;
        }
    }
    if (join->join_filter == NULL) {
        join->join_filter = cond;
        return true;
    }
    plan_expr *args[2] = {join->join_filter, cond};
    join->join_filter =
        plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_AND, arrow_type_primitive(QV_TYPE_BOOLEAN),
                      args[0]->nullable || cond->nullable, 2, args);
    return join->join_filter != NULL;
}

plan_expr *plan_join_condition(plan_ctx *ctx, const plan_node *join)
{
    int32_t nl = join->inputs[0]->schema.n_columns;
    int32_t nr = join->inputs[1]->schema.n_columns;
    int32_t *map = plan_alloc(ctx, (size_t)(nr + 1) * sizeof *map);
    if (map == NULL)
        return NULL;
    for (int32_t i = 0; i < nr; i++)
        map[i] = nl + i;
    plan_expr *acc = join->join_filter;
    for (int32_t k = join->n_join_keys - 1; k >= 0; k--) {
        plan_expr *args[2] = {join->left_keys[k], plan_expr_copy(ctx, join->right_keys[k], map)};
        if (args[1] == NULL)
            return NULL;
        plan_expr *eq = plan_expr_new(
            ctx, PLAN_EXPR_BINARY, join->null_equals_null ? PLAN_OP_IS_NOT_DISTINCT : PLAN_OP_EQ,
            arrow_type_primitive(QV_TYPE_BOOLEAN), args[0]->nullable || args[1]->nullable, 2, args);
        if (eq == NULL)
            return NULL;
        if (acc == NULL) {
            acc = eq;
            continue;
        }
        plan_expr *and_args[2] = {eq, acc};
        acc =
            plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_AND, arrow_type_primitive(QV_TYPE_BOOLEAN),
                          eq->nullable || acc->nullable, 2, and_args);
        if (acc == NULL)
            return NULL;
    }
    return acc;
}
