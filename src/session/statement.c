/*
 * statement.c — running one statement (layer: session): queries are bound,
 * planned and streamed; other statements go to their handlers (ddl.c,
 * dml.c, settings.c, explain.c). Statement kinds not built yet say so.
 */
#include <string.h>

#include "optimizer/optimizer.h"
#include "session/files_int.h"
#include "session/session_int.h"

/* Hands scan filters to providers in their predicate form, values kept by
 * the planning context. */
static qv_status attach_predicates(plan_ctx *pctx, plan_node *node, qv_error *err)
{
    for (int32_t i = 0; i < node->n_inputs; i++)
        QV_TRY(attach_predicates(pctx, node->inputs[i], err));
    if (node->kind != PLAN_SCAN || node->n_filters == 0 || node->predicates != NULL)
        return QV_OK;
    catalog_predicate *preds = plan_alloc(pctx, (size_t)node->n_filters * sizeof *preds);
    if (preds == NULL)
        return base_error_nomem(err, "scan filters");
    int32_t n = 0;
    for (int32_t i = 0; i < node->n_filters; i++) {
        if (!optimizer_to_catalog_predicate(node->filters[i], &preds[n]))
            continue;
        if (preds[n].values != NULL && plan_keep_array(pctx, preds[n].values) == NULL)
            return base_error_nomem(err, "scan filters");
        n++;
    }
    node->predicates = preds;
    node->n_predicates = n;
    return QV_OK;
}

qv_status session_optimize(qv_session *session, plan_ctx *pctx, plan_node *root, plan_node **out,
                           qv_error *err)
{
    const config *cfg = session->config;
    optimizer_options opts;
    optimizer_options_default(&opts);
    opts.max_passes = (int32_t)config_get_int(cfg, "datafusion.optimizer.max_passes");
    opts.simplify_expressions = config_get_bool(cfg, "quiver.optimizer.simplify_expressions");
    opts.push_down_projection = config_get_bool(cfg, "quiver.optimizer.push_down_projection");
    opts.push_down_filter = config_get_bool(cfg, "quiver.optimizer.push_down_filter");
    opts.push_down_limit = config_get_bool(cfg, "quiver.optimizer.push_down_limit");
    opts.eliminate_redundant = config_get_bool(cfg, "quiver.optimizer.eliminate_redundant");
    opts.join_reordering = config_get_bool(cfg, "datafusion.optimizer.join_reordering");
    QV_TRY(optimizer_run(pctx, root, &opts, out, err));
    return attach_predicates(pctx, *out, err);
}

bool session_is_query(const sql_node *stmt)
{
    switch (stmt->kind) {
    case SQL_QUERY:
    case SQL_SELECT:
    case SQL_VALUES:
    case SQL_SET_OP:
    case SQL_NESTED_QUERY:
        return true;
    default:
        return false;
    }
}

static qv_status run_query(qv_session *session, const sql_node *stmt, qv_result **out,
                           qv_error *err)
{
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    plan_node *root = NULL;
    qv_status st = plan_bind_query(pctx, stmt, &root, err);
    if (st == QV_OK)
        st = session_optimize(session, pctx, root, &root, err);
    if (st != QV_OK) {
        plan_ctx_free(pctx);
        return st;
    }
    return session_run_plan(session, pctx, root, out, err);
}

qv_status session_execute(qv_session *session, const sql_node *stmt, const char *sql,
                          qv_result **out, qv_error *err)
{
    (void)sql;
    *out = NULL;
    /* The profile's statement policy (policy.c) comes before anything runs. */
    QV_TRY(session_check_policy(session, stmt, err));
    if (session_is_select_into(stmt)) /* select_into.c */
        return session_select_into(session, stmt, out, err);
    if (session_is_query(stmt))
        return run_query(session, stmt, out, err);
    switch (stmt->kind) {
    case SQL_CREATE_TABLE:
        return session_create_table(session, stmt, out, err);
    case SQL_CREATE_VIEW:
        return session_create_view(session, stmt, out, err);
    case SQL_DROP:
        return session_drop(session, stmt, out, err);
    case SQL_INSERT:
        return session_insert(session, stmt, out, err);
    case SQL_DELETE:
        return session_delete(session, stmt, out, err);
    case SQL_UPDATE:
        return session_update(session, stmt, out, err);
    case SQL_TRUNCATE: /* dml.c */
        return session_truncate(session, stmt, out, err);
    case SQL_EXPLAIN:
        return session_explain(session, stmt, out, err);
    case SQL_SET:
    case SQL_RESET:
        return session_set(session, stmt, out, err);
    case SQL_SHOW:
        return session_show(session, stmt, out, err);
    case SQL_DESCRIBE: /* describe.c, prepare.c */
        return session_describe(session, stmt, out, err);
    case SQL_PREPARE:
        return session_prepare(session, stmt, sql, out, err);
    case SQL_EXECUTE:
        return session_execute_prepared(session, stmt, out, err);
    case SQL_DEALLOCATE:
        return session_deallocate(session, stmt, out, err);
    /* files: ddl_external.c, copy.c, ddl_schema.c */
    case SQL_CREATE_EXTERNAL_TABLE:
        return session_create_external_table(session, stmt, out, err);
    case SQL_COPY:
        return session_copy(session, stmt, out, err);
    case SQL_CREATE_SCHEMA:
        return session_create_schema(session, stmt, out, err);
    default:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: statement %s",
                              sql_kind_name(stmt->kind));
    }
}
