/*
 * bind_subquery.c — binding subquery expressions (layer: plan): scalar
 * subqueries, [NOT] EXISTS and [NOT] IN (subquery). The subquery is bound
 * with the enclosing query's columns visible as outer references
 * (plan_ctx.outer); the result is a PLAN_EXPR_SUBQUERY that
 * decorrelate.c later turns into a join.
 */
#include "plan/bind_int.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "subquery");
}

static qv_status too_many_columns(const plan_node *plan, const sql_node *at, qv_error *err)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (int32_t i = 0; i < plan->schema.n_columns; i++) {
        if (i > 0)
            base_strbuf_append_str(&sb, ", ");
        bind_column_display(&plan->schema.columns[i], &sb);
    }
    qv_status st = bind_error(err, QV_PLAN, at,
                              "Error during planning: Too many columns! The subquery should "
                              "only return one column: %s",
                              sb.data ? sb.data : "");
    base_strbuf_free(&sb);
    return st;
}

/* The subquery's single column cast to type (a projection over it). */
static qv_status cast_column(plan_ctx *ctx, plan_node *plan, arrow_type *type, plan_node **out,
                             qv_error *err)
{
    plan_expr *col = plan_expr_column(ctx, &plan->schema, 0);
    plan_expr *cast = col ? plan_expr_cast(ctx, col, type, false) : NULL;
    plan_node *proj = cast ? plan_node_new(ctx, PLAN_PROJECTION, 1, &plan) : NULL;
    if (proj == NULL || !plan_schema_init(ctx, &proj->schema, 1))
        return nomem(err);
    proj->n_exprs = 1;
    proj->exprs = plan_alloc(ctx, sizeof *proj->exprs);
    if (proj->exprs == NULL)
        return nomem(err);
    proj->exprs[0] = cast;
    proj->schema.columns[0] = plan->schema.columns[0];
    proj->schema.columns[0].type = type;
    *out = proj;
    return QV_OK;
}

/* value IN (plan): both sides coerced to their comparison type. */
static qv_status coerce_in(bind_env *env, plan_expr **value, plan_node **plan, const sql_node *at,
                           qv_error *err)
{
    plan_expr *col = plan_expr_column(env->ctx, &(*plan)->schema, 0);
    if (col == NULL)
        return nomem(err);
    plan_expr *eq = NULL;
    QV_TRY(bind_binary_op(env, PLAN_OP_EQ, 0, *value, col, at, &eq, err));
    if (eq->kind != PLAN_EXPR_BINARY)
        return bind_error(err, QV_PLAN, at, "Error during planning: cannot compare IN operands");
    *value = eq->args[0];
    if (!arrow_type_equal(eq->args[1]->type, col->type))
        QV_TRY(cast_column(env->ctx, *plan, eq->args[1]->type, plan, err));
    return QV_OK;
}

/* The subquery expression of kind over query; value_node: IN's operand. */
static qv_status bind_subquery(bind_env *env, plan_subquery_kind kind, const sql_node *value_node,
                               const sql_node *query, bool negated, const sql_node *node,
                               plan_expr **out, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    const int32_t max_outer = (int32_t)(sizeof ctx->outer / sizeof ctx->outer[0]);
    if (ctx->n_outer >= max_outer)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: subqueries are nested more than %d deep",
                          max_outer);
    bool is_in = kind == PLAN_SUBQUERY_IN;
    plan_expr *value = NULL;
    if (is_in)
        QV_TRY(bind_expr(env, value_node, &value, err));
    ctx->outer[ctx->n_outer++] = env->schema;
    plan_node *plan = NULL;
    qv_status st = plan_bind_query(ctx, query, &plan, err);
    ctx->n_outer--;
    QV_TRY(st);
    if (kind != PLAN_SUBQUERY_EXISTS && plan->schema.n_columns != 1)
        return too_many_columns(plan, node, err);
    if (is_in)
        QV_TRY(coerce_in(env, &value, &plan, node, err));
    arrow_type *type = kind == PLAN_SUBQUERY_SCALAR ? plan->schema.columns[0].type
                                                    : arrow_type_primitive(QV_TYPE_BOOLEAN);
    *out = plan_expr_new(ctx, PLAN_EXPR_SUBQUERY, kind, type, true, is_in ? 1 : 0, &value);
    if (*out == NULL)
        return nomem(err);
    (*out)->subquery = plan;
    if (negated)
        (*out)->flags |= PLAN_F_NEGATED;
    return QV_OK;
}

qv_status bind_in_subquery(bind_env *env, const sql_node *value, const sql_node *query,
                           bool negated, const sql_node *at, plan_expr **out, qv_error *err)
{
    return bind_subquery(env, PLAN_SUBQUERY_IN, value, query, negated, at, out, err);
}

qv_status bind_subquery_expr(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    bool negated = (node->flags & SQL_F_NOT) != 0;
    if (node->kind == SQL_IN_SUBQUERY)
        return bind_in_subquery(env, sql_kid(node, 0), sql_kid(node, 1), negated, node, out, err);
    plan_subquery_kind kind =
        node->kind == SQL_EXISTS ? PLAN_SUBQUERY_EXISTS : PLAN_SUBQUERY_SCALAR;
    return bind_subquery(env, kind, NULL, sql_kid(node, 0), negated && kind != PLAN_SUBQUERY_SCALAR,
                         node, out, err);
}
