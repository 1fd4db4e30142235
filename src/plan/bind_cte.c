/*
 * bind_cte.c — common table expressions (layer: plan): WITH puts its
 * queries in scope for the query it belongs to; a reference binds the
 * query again where it is named (DataFusion inlines CTEs the same way),
 * seeing only the CTEs defined before it, under the CTE's name or the
 * reference's alias and column names.
 *
 * WITH RECURSIVE: a CTE written `static UNION [ALL] recursive` whose
 * recursive term names the CTE is bound once, into a PLAN_RECURSIVE node;
 * inside the recursive term the name reads the previous round's rows (a
 * PLAN_WORK_TABLE leaf).
 */
#include <string.h>

#include "plan/bind_from.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "WITH clause");
}

/* Binds CTE index as a recursive query when it has that shape and its
 * recursive term names it; leaves it a plain CTE otherwise. */
static qv_status bind_recursive(plan_ctx *ctx, int32_t index, const sql_node *at, qv_error *err)
{
    const sql_node *query = ctx->ctes[index].query;
    const sql_node *body = query->kind == SQL_QUERY ? sql_kid(query, 1) : query;
    if (body->kind != SQL_SET_OP || body->op != SQL_SETOP_UNION)
        return QV_OK;
    if (query->kind == SQL_QUERY && (sql_kid(query, 0) != NULL || sql_kid(query, 2) != NULL ||
                                     sql_kid(query, 3) != NULL || sql_kid(query, 4) != NULL))
        return bind_error(err, QV_NOT_IMPLEMENTED, at,
                          "This feature is not implemented: WITH / ORDER BY / LIMIT around a "
                          "recursive query's UNION");
    plan_cte *cte = &ctx->ctes[index];
    int32_t saved_ctes = ctx->n_ctes, saved_outer = ctx->n_outer;
    ctx->n_ctes = index;
    ctx->n_outer = cte->n_outer;
    plan_node *static_term = NULL, *recursive_term = NULL;
    qv_status st = plan_bind_query(ctx, sql_kid(body, 0), &static_term, err);
    if (st == QV_OK && cte->columns != NULL && cte->columns->n_kids > 0)
        st = bind_alias_relation(ctx, static_term, cte->name, cte->columns, at, &static_term, err);
    plan_node *work = st == QV_OK ? plan_node_new(ctx, PLAN_WORK_TABLE, 0, NULL) : NULL;
    if (st == QV_OK && work == NULL)
        st = nomem(err);
    if (st == QV_OK) {
        work->schema = static_term->schema;
        work->table_name = cte->name;
        work->work_table_id = ctx->n_work_tables++;
        ctx->n_ctes = index + 1;
        ctx->ctes[index].work_table = work;
        ctx->ctes[index].work_table_used = false;
        st = plan_bind_query(ctx, sql_kid(body, 1), &recursive_term, err);
    }
    cte = &ctx->ctes[index];
    cte->work_table = NULL;
    ctx->n_ctes = saved_ctes;
    ctx->n_outer = saved_outer;
    QV_TRY(st);
    if (!cte->work_table_used)
        return QV_OK; /* not recursive after all: a plain CTE */
    int32_t n = static_term->schema.n_columns;
    if (recursive_term->schema.n_columns != n)
        return bind_error(err, QV_PLAN, at,
                          "Error during planning: UNION queries have different number of "
                          "columns: left has %d columns whereas right has %d columns",
                          n, recursive_term->schema.n_columns);
    QV_TRY(bind_coerce_to_schema(ctx, recursive_term, &static_term->schema, &recursive_term, err));
    plan_node *inputs[2] = {static_term, recursive_term};
    plan_node *node = plan_node_new(ctx, PLAN_RECURSIVE, 2, inputs);
    if (node == NULL)
        return nomem(err);
    node->schema = static_term->schema;
    node->work_table_id = work->work_table_id;
    node->distinct = (body->flags & SQL_F_ALL) == 0;
    cte->recursive = node;
    return QV_OK;
}

qv_status bind_with(plan_ctx *ctx, const sql_node *with, int32_t *saved, qv_error *err)
{
    *saved = ctx->n_ctes;
    for (uint32_t i = 0; i < with->n_kids; i++) {
        const sql_node *cte = with->kids[i];
        const char *name = plan_ident(ctx, sql_kid(cte, 0));
        if (name == NULL)
            return nomem(err);
        for (int32_t k = *saved; k < ctx->n_ctes; k++)
            if (strcmp(ctx->ctes[k].name, name) == 0)
                return bind_error(err, QV_PLAN, cte,
                                  "Error during planning: WITH query name \"%s\" specified more "
                                  "than once",
                                  name);
        if (ctx->n_ctes == ctx->ctes_cap) {
            int32_t cap = ctx->ctes_cap ? ctx->ctes_cap * 2 : 8;
            plan_cte *ctes = plan_alloc(ctx, (size_t)cap * sizeof *ctes);
            if (ctes == NULL)
                return nomem(err);
            if (ctx->n_ctes > 0)
                memcpy(ctes, ctx->ctes, (size_t)ctx->n_ctes * sizeof *ctes);
            ctx->ctes = ctes;
            ctx->ctes_cap = cap;
        }
        ctx->ctes[ctx->n_ctes++] = (plan_cte){.name = name,
                                              .columns = sql_kid(cte, 1),
                                              .query = sql_kid(cte, 2),
                                              .n_outer = ctx->n_outer};
        if (with->flags & SQL_F_RECURSIVE)
            QV_TRY(bind_recursive(ctx, ctx->n_ctes - 1, cte, err));
    }
    return QV_OK;
}

qv_status bind_cte_reference(plan_ctx *ctx, const sql_node *table, plan_node **out, qv_error *err)
{
    *out = NULL;
    const sql_node *name = sql_kid(table, 0);
    if (name->kind == SQL_NAME && name->n_kids == 1)
        name = name->kids[0];
    if (name->kind != SQL_IDENT || ctx->n_ctes == 0)
        return QV_OK;
    const char *ident = plan_ident(ctx, name);
    if (ident == NULL)
        return nomem(err);
    int32_t index = ctx->n_ctes - 1;
    while (index >= 0 && strcmp(ctx->ctes[index].name, ident) != 0)
        index--;
    if (index < 0)
        return QV_OK;
    const plan_cte cte = ctx->ctes[index];
    if (cte.work_table != NULL || cte.recursive != NULL) {
        ctx->ctes[index].work_table_used |= cte.work_table != NULL;
        plan_node *plan = cte.work_table != NULL ? cte.work_table : cte.recursive;
        const sql_node *alias = sql_kid(table, 1);
        const char *qualifier = alias ? plan_ident(ctx, sql_kid(alias, 0)) : cte.name;
        if (qualifier == NULL)
            return nomem(err);
        return bind_alias_relation(ctx, plan, qualifier, alias ? sql_kid(alias, 1) : NULL, table,
                                   out, err);
    }
    int32_t saved_ctes = ctx->n_ctes, saved_outer = ctx->n_outer;
    ctx->n_ctes = index;
    ctx->n_outer = cte.n_outer;
    plan_node *plan = NULL;
    qv_status st = plan_bind_query(ctx, cte.query, &plan, err);
    ctx->n_ctes = saved_ctes;
    ctx->n_outer = saved_outer;
    QV_TRY(st);
    if (cte.columns != NULL && cte.columns->n_kids > 0)
        QV_TRY(bind_alias_relation(ctx, plan, cte.name, cte.columns, table, &plan, err));
    const sql_node *alias = sql_kid(table, 1);
    const char *qualifier = alias ? plan_ident(ctx, sql_kid(alias, 0)) : cte.name;
    if (qualifier == NULL)
        return nomem(err);
    return bind_alias_relation(ctx, plan, qualifier, alias ? sql_kid(alias, 1) : NULL, table, out,
                               err);
}
