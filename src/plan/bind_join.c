/*
 * bind_join.c — binding joins (layer: plan): FROM lists (cross joins of
 * their items, left to right), JOIN ... ON / USING / NATURAL for every join
 * type DataFusion's SQL has (INNER, LEFT / RIGHT / FULL OUTER, CROSS,
 * LEFT / RIGHT SEMI and ANTI), with join keys coerced to a common type.
 */
#include <string.h>

#include "plan/bind_from.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "join");
}

static qv_status join_type_of(const sql_node *join, plan_join_type *out, qv_error *err)
{
    switch (join->op) {
    case SQL_JOIN_INNER:
    case SQL_JOIN_CROSS:
        *out = PLAN_JOIN_INNER;
        return QV_OK;
    case SQL_JOIN_LEFT:
        *out = PLAN_JOIN_LEFT;
        return QV_OK;
    case SQL_JOIN_RIGHT:
        *out = PLAN_JOIN_RIGHT;
        return QV_OK;
    case SQL_JOIN_FULL:
        *out = PLAN_JOIN_FULL;
        return QV_OK;
    case SQL_JOIN_LEFT_SEMI:
    case SQL_JOIN_SEMI:
        *out = PLAN_JOIN_LEFT_SEMI;
        return QV_OK;
    case SQL_JOIN_RIGHT_SEMI:
        *out = PLAN_JOIN_RIGHT_SEMI;
        return QV_OK;
    case SQL_JOIN_LEFT_ANTI:
    case SQL_JOIN_ANTI:
        *out = PLAN_JOIN_LEFT_ANTI;
        return QV_OK;
    case SQL_JOIN_RIGHT_ANTI:
        *out = PLAN_JOIN_RIGHT_ANTI;
        return QV_OK;
    default:
        return bind_error(err, QV_NOT_IMPLEMENTED, join,
                          "This feature is not implemented: join operator %d", join->op);
    }
}

/* The columns of left then right, as ON and USING see them. */
static bool combined_schema(plan_ctx *ctx, const plan_node *left, const plan_node *right,
                            plan_schema *out)
{
    int32_t nl = left->schema.n_columns, nr = right->schema.n_columns;
    if (!plan_schema_init(ctx, out, nl + nr))
        return false;
    if (nl > 0)
        memcpy(out->columns, left->schema.columns, (size_t)nl * sizeof *out->columns);
    if (nr > 0)
        memcpy(out->columns + nl, right->schema.columns, (size_t)nr * sizeof *out->columns);
    return true;
}

/* The unqualified, visible column named name in schema, or -1. */
static int32_t find_visible(const plan_schema *schema, const char *name)
{
    for (int32_t i = 0; i < schema->n_columns; i++)
        if (!schema->columns[i].using_hidden && strcmp(schema->columns[i].name, name) == 0)
            return i;
    return -1;
}

/* left.name = right.name for one USING / NATURAL column; marks the right
 * copy hidden in the join's output. */
static qv_status add_using_column(bind_env *env, plan_node *join, const plan_schema *both,
                                  const char *name, const sql_node *at, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    const plan_schema *ls = &join->inputs[0]->schema, *rs = &join->inputs[1]->schema;
    int32_t l = find_visible(ls, name), r = find_visible(rs, name);
    if (l < 0 || r < 0) {
        const plan_schema *missing = l < 0 ? ls : rs;
        base_strbuf sb;
        base_strbuf_init(&sb);
        for (int32_t i = 0; i < missing->n_columns; i++) {
            if (i > 0)
                base_strbuf_append_str(&sb, ", ");
            bind_column_display(&missing->columns[i], &sb);
        }
        qv_status st =
            bind_error(err, QV_SCHEMA, at, "Schema error: No field named %s. Valid fields are %s.",
                       name, sb.data ? sb.data : "");
        base_strbuf_free(&sb);
        return st;
    }
    int32_t nl = ls->n_columns;
    plan_expr *a = plan_expr_column(ctx, both, l);
    plan_expr *b = plan_expr_column(ctx, both, nl + r);
    if (a == NULL || b == NULL)
        return nomem(err);
    plan_expr *eq = NULL;
    QV_TRY(bind_binary_op(env, PLAN_OP_EQ, 0, a, b, at, &eq, err));
    if (!plan_join_add_condition(ctx, join, eq))
        return nomem(err);
    if (plan_join_keeps_left(join->join_type) && plan_join_keeps_right(join->join_type))
        join->schema.columns[nl + r].using_hidden = true;
    return QV_OK;
}

static qv_status bind_using(bind_env *env, plan_node *join, const plan_schema *both,
                            const sql_node *list, qv_error *err)
{
    for (uint32_t i = 0; i < list->n_kids; i++) {
        const sql_node *col = list->kids[i];
        if (col->kind == SQL_NAME && col->n_kids > 1) {
            base_strbuf sb;
            base_strbuf_init(&sb);
            sql_unparse(col, &sb);
            qv_status st = bind_error(err, QV_NOT_IMPLEMENTED, col,
                                      "This feature is not implemented: Invalid identifier in "
                                      "USING clause. Expected single identifier, got %s",
                                      sb.data ? sb.data : "");
            base_strbuf_free(&sb);
            return st;
        }
        const char *name = plan_ident(env->ctx, col->kind == SQL_NAME ? col->kids[0] : col);
        if (name == NULL)
            return nomem(err);
        QV_TRY(add_using_column(env, join, both, name, col, err));
    }
    return QV_OK;
}

static qv_status bind_natural(bind_env *env, plan_node *join, const plan_schema *both,
                              const sql_node *at, qv_error *err)
{
    const plan_schema *ls = &join->inputs[0]->schema;
    const plan_schema *rs = &join->inputs[1]->schema;
    for (int32_t i = 0; i < ls->n_columns; i++) {
        const char *name = ls->columns[i].name;
        if (ls->columns[i].using_hidden || find_visible(ls, name) != i ||
            find_visible(rs, name) < 0)
            continue;
        QV_TRY(add_using_column(env, join, both, name, at, err));
    }
    return QV_OK;
}

static qv_status bind_on(bind_env *env, plan_node *join, const sql_node *on, qv_error *err)
{
    plan_expr *cond = NULL;
    QV_TRY(bind_expr(env, on, &cond, err));
    if (cond->type->id != QV_TYPE_BOOLEAN)
        QV_TRY(bind_locate(
            err, plan_coerce_to(env->ctx, cond, arrow_type_primitive(QV_TYPE_BOOLEAN), &cond, err),
            on));
    if (!plan_join_add_condition(env->ctx, join, cond))
        return nomem(err);
    return QV_OK;
}

/* DataFusion refuses a join whose two sides have the same qualified
 * column (`FROM t, t`). */
static qv_status check_duplicates(const plan_node *left, const plan_node *right, const sql_node *at,
                                  qv_error *err)
{
    for (int32_t i = 0; i < left->schema.n_columns; i++) {
        const plan_column *l = &left->schema.columns[i];
        if (l->qualifier == NULL)
            continue;
        for (int32_t j = 0; j < right->schema.n_columns; j++) {
            const plan_column *r = &right->schema.columns[j];
            if (r->qualifier != NULL && strcmp(l->qualifier, r->qualifier) == 0 &&
                strcmp(l->name, r->name) == 0)
                return bind_error(err, QV_SCHEMA, at,
                                  "Schema error: Schema contains duplicate qualified field name "
                                  "%s.%s",
                                  l->qualifier, l->name);
        }
    }
    return QV_OK;
}

qv_status bind_join(plan_ctx *ctx, const sql_node *node, plan_node **out, qv_error *err)
{
    plan_join_type type;
    QV_TRY(join_type_of(node, &type, err));
    plan_node *left = NULL, *right = NULL;
    QV_TRY(bind_from_item(ctx, sql_kid(node, 0), &left, err));
    QV_TRY(bind_from_item(ctx, sql_kid(node, 1), &right, err));
    QV_TRY(check_duplicates(left, right, node, err));
    plan_node *join = plan_join_new(ctx, type, left, right);
    plan_schema both;
    if (join == NULL || !combined_schema(ctx, left, right, &both))
        return nomem(err);
    bind_env env = {.ctx = ctx, .schema = &both, .clause = "ON"};
    const sql_node *on = sql_kid(node, 2), *using_list = sql_kid(node, 3);
    if (node->flags & SQL_F_NATURAL)
        QV_TRY(bind_natural(&env, join, &both, node, err));
    else if (using_list != NULL)
        QV_TRY(bind_using(&env, join, &both, using_list, err));
    else if (on != NULL)
        QV_TRY(bind_on(&env, join, on, err));
    *out = join;
    return QV_OK;
}

qv_status bind_from_clause(plan_ctx *ctx, const sql_node *from, plan_node **out, qv_error *err)
{
    plan_node *acc = NULL;
    QV_TRY(bind_from_item(ctx, from->kids[0], &acc, err));
    for (uint32_t i = 1; i < from->n_kids; i++) {
        plan_node *right = NULL;
        QV_TRY(bind_from_item(ctx, from->kids[i], &right, err));
        QV_TRY(check_duplicates(acc, right, from->kids[i], err));
        acc = plan_join_new(ctx, PLAN_JOIN_INNER, acc, right);
        if (acc == NULL)
            return nomem(err);
    }
    *out = acc;
    return QV_OK;
}
