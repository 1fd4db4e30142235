/*
 * statement.c — running one statement (layer: session): queries are bound,
 * planned and streamed; other statements go to their handlers (ddl.c,
 * dml.c, settings.c, explain.c). Statement kinds not built yet say so.
 */
#include <string.h>

#include "session/session_int.h"

static bool is_query(const sql_node *stmt)
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
    if (is_query(stmt))
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
    case SQL_EXPLAIN:
        return session_explain(session, stmt, out, err);
    case SQL_SET:
    case SQL_RESET:
        return session_set(session, stmt, out, err);
    case SQL_SHOW:
        return session_show(session, stmt, out, err);
    default:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: statement %s",
                              sql_kind_name(stmt->kind));
    }
}
