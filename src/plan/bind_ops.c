/*
 * bind_ops.c — binding operators with DataFusion's coercion (layer: plan):
 * arithmetic, comparison, boolean logic, string concatenation, regex
 * matching, and casting a list of expressions to their common type.
 */
#include <string.h>

#include "plan/bind_int.h"

qv_status plan_coerce_to(plan_ctx *ctx, plan_expr *expr, arrow_type *type, plan_expr **out,
                         qv_error *err)
{
    *out = expr;
    if (arrow_type_equal(expr->type, type))
        return QV_OK;
    if (expr->kind == PLAN_EXPR_PLACEHOLDER && expr->type->id == QV_TYPE_NULL) {
        /* DataFusion's placeholder type inference (PREPARE without types). */
        if (plan_keep_type(ctx, arrow_type_retain(type)) == NULL)
            return base_error_nomem(err, "placeholder");
        expr->type = type;
        if (expr->column < ctx->n_params && ctx->param_types[expr->column] == NULL)
            ctx->param_types[expr->column] = type;
        return QV_OK;
    }
    if (!func_can_cast(expr->type, type)) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        base_strbuf_append_str(&sb, "Error during planning: Cannot automatically convert ");
        arrow_type_format(expr->type, &sb);
        base_strbuf_append_str(&sb, " to ");
        arrow_type_format(type, &sb);
        qv_status st = base_error_set(err, QV_PLAN, "%s", sb.data ? sb.data : "cast");
        base_strbuf_free(&sb);
        return st;
    }
    if (plan_keep_type(ctx, arrow_type_retain(type)) == NULL)
        return base_error_nomem(err, "cast");
    *out = plan_expr_cast(ctx, expr, type, false);
    return *out == NULL ? base_error_nomem(err, "cast") : QV_OK;
}

static qv_status type_error(qv_error *err, const sql_node *at, const char *prefix,
                            plan_binary_op op, arrow_type *l, arrow_type *r)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, prefix);
    arrow_type_format(l, &sb);
    base_strbuf_appendf(&sb, " %s ", plan_binary_op_text(op));
    arrow_type_format(r, &sb);
    qv_status st = bind_error(err, QV_PLAN, at, "%s", sb.data ? sb.data : prefix);
    base_strbuf_free(&sb);
    return st;
}

static bool is_string_type(const arrow_type *t)
{
    return t->id == QV_TYPE_UTF8 || t->id == QV_TYPE_LARGE_UTF8 || t->id == QV_TYPE_UTF8_VIEW;
}

static qv_status make_binary(plan_ctx *ctx, plan_binary_op op, uint32_t flags, arrow_type *type,
                             plan_expr *l, plan_expr *r, plan_expr **out, qv_error *err)
{
    plan_expr *args[2] = {l, r};
    bool nullable = l->nullable || r->nullable;
    if (op == PLAN_OP_IS_DISTINCT || op == PLAN_OP_IS_NOT_DISTINCT)
        nullable = false;
    *out = plan_expr_new(ctx, PLAN_EXPR_BINARY, op, type, nullable, 2, args);
    if (*out == NULL)
        return base_error_nomem(err, "expression");
    (*out)->flags = flags;
    return QV_OK;
}

static qv_status coerce_pair(plan_ctx *ctx, arrow_type *type, plan_expr **l, plan_expr **r,
                             qv_error *err)
{
    QV_TRY(plan_coerce_to(ctx, *l, type, l, err));
    return plan_coerce_to(ctx, *r, type, r, err);
}

static qv_status bind_arith(bind_env *env, plan_binary_op op, plan_expr *l, plan_expr *r,
                            const sql_node *at, plan_expr **out, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    arrow_type *lt = l->type, *rt = r->type;
    bool ldec = lt->id == QV_TYPE_DECIMAL128 || lt->id == QV_TYPE_DECIMAL256;
    bool rdec = rt->id == QV_TYPE_DECIMAL128 || rt->id == QV_TYPE_DECIMAL256;
    if ((ldec || rdec) && plan_type_is_numeric(lt->id) && plan_type_is_numeric(rt->id) &&
        !arrow_type_is_floating(lt->id) && !arrow_type_is_floating(rt->id)) {
        arrow_type *ld = NULL, *rd = NULL, *result = NULL;
        QV_TRY(plan_decimal_operand(lt, &ld, err));
        qv_status st = plan_decimal_operand(rt, &rd, err);
        if (st == QV_OK && plan_keep_type(ctx, ld) == NULL)
            st = base_error_nomem(err, "type");
        else if (st != QV_OK)
            arrow_type_release(ld);
        if (st == QV_OK && plan_keep_type(ctx, rd) == NULL)
            st = base_error_nomem(err, "type");
        QV_TRY(st);
        QV_TRY(plan_coerce_to(ctx, l, ld, &l, err));
        QV_TRY(plan_coerce_to(ctx, r, rd, &r, err));
        QV_TRY(func_arith_result_type((func_arith_op)(op - PLAN_OP_ADD), ld, rd, &result, err));
        if (plan_keep_type(ctx, result) == NULL)
            return base_error_nomem(err, "type");
        return make_binary(ctx, op, 0, result, l, r, out, err);
    }
    bool l_num = plan_type_is_numeric(lt->id) || lt->id == QV_TYPE_NULL;
    bool r_num = plan_type_is_numeric(rt->id) || rt->id == QV_TYPE_NULL;
    if (!l_num || !r_num) {
        /* Dates, times, timestamps, intervals and durations. */
        arrow_type *result = NULL;
        qv_status tst =
            func_temporal_result_type((func_arith_op)(op - PLAN_OP_ADD), lt, rt, &result, err);
        if (tst != QV_OK)
            return bind_locate(err, tst, at);
        if (plan_keep_type(ctx, result) == NULL)
            return base_error_nomem(err, "type");
        return make_binary(ctx, op, 0, result, l, r, out, err);
    }
    arrow_type *operand = NULL;
    qv_status st = plan_arith_coercion(op, lt, rt, &operand, err);
    if (st == QV_NOT_FOUND)
        return type_error(err, at, "Error during planning: Cannot coerce arithmetic expression ",
                          op, lt, rt);
    QV_TRY(st);
    if (plan_keep_type(ctx, operand) == NULL)
        return base_error_nomem(err, "type");
    QV_TRY(coerce_pair(ctx, operand, &l, &r, err));
    return make_binary(ctx, op, 0, operand, l, r, out, err);
}

static qv_status bind_comparison(bind_env *env, plan_binary_op op, plan_expr *l, plan_expr *r,
                                 const sql_node *at, plan_expr **out, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    arrow_type *common = NULL;
    qv_status st = plan_comparison_coercion(l->type, r->type, &common, err);
    if (st == QV_NOT_FOUND)
        return type_error(err, at,
                          "Error during planning: Cannot infer common argument type for "
                          "comparison operation ",
                          op, l->type, r->type);
    QV_TRY(st);
    if (plan_keep_type(ctx, common) == NULL)
        return base_error_nomem(err, "type");
    QV_TRY(coerce_pair(ctx, common, &l, &r, err));
    return make_binary(ctx, op, 0, arrow_type_primitive(QV_TYPE_BOOLEAN), l, r, out, err);
}

static qv_status bind_logical(bind_env *env, plan_binary_op op, plan_expr *l, plan_expr *r,
                              const sql_node *at, plan_expr **out, qv_error *err)
{
    arrow_type *boolean = arrow_type_primitive(QV_TYPE_BOOLEAN);
    plan_expr *sides[2] = {l, r};
    for (int i = 0; i < 2; i++) {
        arrow_type_id id = sides[i]->type->id;
        if (id == QV_TYPE_BOOLEAN)
            continue;
        if (id == QV_TYPE_NULL || is_string_type(sides[i]->type)) {
            QV_TRY(plan_coerce_to(env->ctx, sides[i], boolean, &sides[i], err));
            continue;
        }
        return type_error(err, at,
                          "Error during planning: Cannot infer common argument type for logical "
                          "boolean operation ",
                          op, l->type, r->type);
    }
    return make_binary(env->ctx, op, 0, boolean, sides[0], sides[1], out, err);
}

static qv_status bind_concat(bind_env *env, plan_expr *l, plan_expr *r, const sql_node *at,
                             plan_expr **out, qv_error *err)
{
    /* DataFusion: || of two non-list values is string concatenation; a
     * NULL side makes a NULL; non-string sides are cast to Utf8. */
    plan_ctx *ctx = env->ctx;
    arrow_type *target = arrow_type_primitive(QV_TYPE_UTF8);
    if (l->type->id == QV_TYPE_UTF8_VIEW || r->type->id == QV_TYPE_UTF8_VIEW)
        target = arrow_type_primitive(QV_TYPE_UTF8_VIEW);
    else if (l->type->id == QV_TYPE_LARGE_UTF8 || r->type->id == QV_TYPE_LARGE_UTF8)
        target = arrow_type_primitive(QV_TYPE_LARGE_UTF8);
    plan_expr *sides[2] = {l, r};
    for (int i = 0; i < 2; i++) {
        if (!func_can_cast(sides[i]->type, target))
            return type_error(err, at,
                              "Error during planning: Cannot infer common argument type for "
                              "string concatenation ",
                              PLAN_OP_CONCAT, l->type, r->type);
        QV_TRY(plan_coerce_to(ctx, sides[i], target, &sides[i], err));
    }
    return make_binary(ctx, PLAN_OP_CONCAT, 0, target, sides[0], sides[1], out, err);
}

static qv_status bind_regex(bind_env *env, uint32_t flags, plan_expr *l, plan_expr *r,
                            const sql_node *at, plan_expr **out, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    plan_expr *sides[2] = {l, r};
    for (int i = 0; i < 2; i++) {
        if (is_string_type(sides[i]->type))
            continue;
        if (sides[i]->type->id == QV_TYPE_NULL) {
            QV_TRY(
                plan_coerce_to(ctx, sides[i], arrow_type_primitive(QV_TYPE_UTF8), &sides[i], err));
            continue;
        }
        return type_error(err, at,
                          "Error during planning: Cannot infer common argument type for regex "
                          "operation ",
                          PLAN_OP_REGEX, l->type, r->type);
    }
    return make_binary(ctx, PLAN_OP_REGEX, flags, arrow_type_primitive(QV_TYPE_BOOLEAN), sides[0],
                       sides[1], out, err);
}

static qv_status bind_bitwise(bind_env *env, plan_binary_op op, plan_expr *l, plan_expr *r,
                              const sql_node *at, plan_expr **out, qv_error *err)
{
    if (!(arrow_type_is_integer(l->type->id) || l->type->id == QV_TYPE_NULL) ||
        !(arrow_type_is_integer(r->type->id) || r->type->id == QV_TYPE_NULL))
        return type_error(err, at,
                          "Error during planning: Cannot infer common type for bitwise "
                          "operation ",
                          op, l->type, r->type);
    arrow_type *common = NULL;
    QV_TRY(plan_arith_coercion(op, l->type, r->type, &common, err));
    if (plan_keep_type(env->ctx, common) == NULL)
        return base_error_nomem(err, "type");
    QV_TRY(coerce_pair(env->ctx, common, &l, &r, err));
    return make_binary(env->ctx, op, 0, common, l, r, out, err);
}

qv_status bind_binary_op(bind_env *env, plan_binary_op op, uint32_t flags, plan_expr *left,
                         plan_expr *right, const sql_node *at, plan_expr **out, qv_error *err)
{
    switch (op) {
    case PLAN_OP_ADD:
    case PLAN_OP_SUB:
    case PLAN_OP_MUL:
    case PLAN_OP_DIV:
    case PLAN_OP_MOD:
        return bind_arith(env, op, left, right, at, out, err);
    case PLAN_OP_EQ:
    case PLAN_OP_NE:
    case PLAN_OP_LT:
    case PLAN_OP_LE:
    case PLAN_OP_GT:
    case PLAN_OP_GE:
    case PLAN_OP_IS_DISTINCT:
    case PLAN_OP_IS_NOT_DISTINCT:
        return bind_comparison(env, op, left, right, at, out, err);
    case PLAN_OP_AND:
    case PLAN_OP_OR:
        return bind_logical(env, op, left, right, at, out, err);
    case PLAN_OP_CONCAT:
        return bind_concat(env, left, right, at, out, err);
    case PLAN_OP_REGEX:
        return bind_regex(env, flags, left, right, at, out, err);
    case PLAN_OP_BIT_AND:
    case PLAN_OP_BIT_OR:
    case PLAN_OP_BIT_XOR:
    case PLAN_OP_SHL:
    case PLAN_OP_SHR:
        return bind_bitwise(env, op, left, right, at, out, err);
    case PLAN_OP_COUNT_:
        break;
    }
    return bind_error(err, QV_NOT_IMPLEMENTED, at, "This feature is not implemented: operator");
}

qv_status bind_coerce_common(bind_env *env, int32_t n, plan_expr **exprs, const sql_node *at,
                             const char *what, qv_error *err)
{
    arrow_type **types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *types);
    if (types == NULL)
        return base_error_nomem(err, "types");
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++)
        if (exprs[i] != NULL)
            types[k++] = exprs[i]->type;
    arrow_type *common = NULL;
    qv_status st = plan_union_coercion(k, types, &common, err);
    if (st == QV_NOT_FOUND) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        base_strbuf_append_str(&sb, "Error during planning: There isn't a common type to coerce ");
        for (int32_t i = 0; i < k; i++) {
            if (i > 0)
                base_strbuf_append_str(&sb, ", ");
            arrow_type_format(types[i], &sb);
        }
        base_strbuf_appendf(&sb, " in %s expression", what);
        st = bind_error(err, QV_PLAN, at, "%s", sb.data ? sb.data : "no common type");
        base_strbuf_free(&sb);
    }
    base_free(types);
    QV_TRY(st);
    if (plan_keep_type(env->ctx, common) == NULL)
        return base_error_nomem(err, "type");
    for (int32_t i = 0; i < n; i++)
        if (exprs[i] != NULL)
            QV_TRY(plan_coerce_to(env->ctx, exprs[i], common, &exprs[i], err));
    return QV_OK;
}
