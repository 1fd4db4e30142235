/*
 * settings.c — SET, RESET, and qv_session_set / qv_session_get (layer:
 * session): changes go to the session's configuration overlay only. SHOW
 * is in show.c.
 */
#include <string.h>

#include "session/session_int.h"

/* The text of a name node (a.b.c) or value node (literal or identifier). */
static char *node_text(const sql_node *node)
{
    if (node->kind == SQL_LITERAL && node->op == SQL_LIT_TRUE)
        return base_strdup("true");
    if (node->kind == SQL_LITERAL && node->op == SQL_LIT_FALSE)
        return base_strdup("false");
    if ((node->kind == SQL_LITERAL || node->kind == SQL_IDENT) && node->text != NULL)
        return base_strdup(node->text);
    /* a double-quoted value ("0K") is a one-part name: its text, unquoted */
    if (node->kind == SQL_NAME && node->n_kids == 1 && node->kids[0]->kind == SQL_IDENT &&
        node->kids[0]->text != NULL)
        return base_strdup(node->kids[0]->text);
    return sql_unparse_to_string(node);
}

qv_status session_set(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err)
{
    char *key = NULL, *value = NULL;
    qv_status st = QV_OK;
    if (stmt->kind == SQL_RESET) {
        if (stmt->flags & SQL_F_ALL)
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: RESET ALL");
        key = node_text(sql_kid(stmt, 0));
        st = key ? config_reset(session->config, key, err) : base_error_nomem(err, "RESET");
        if (st == QV_OK) /* datafusion.runtime.*: runtime_settings.c */
            session_runtime_apply(session, key);
        base_free(key);
        QV_TRY(st);
        return session_result_empty(session, out, err);
    }
    if (stmt->op == SQL_SET_TIME_ZONE) {
        key = base_strdup("datafusion.execution.time_zone");
    } else {
        key = node_text(sql_kid(stmt, 0));
    }
    const sql_node *values = sql_kid(stmt, 1);
    if (values == NULL || values->n_kids != 1) {
        base_free(key);
        return base_error_set(err, QV_PLAN, "Error during planning: SET expects exactly one value");
    }
    const sql_node *v = values->kids[0];
    if (v->kind == SQL_UNARY && v->op == SQL_OP_NEG && sql_kid(v, 0)->kind == SQL_LITERAL) {
        char *digits = node_text(sql_kid(v, 0));
        size_t n = digits ? strlen(digits) : 0;
        value = digits ? base_alloc(n + 2) : NULL;
        if (value != NULL) {
            value[0] = '-';
            memcpy(value + 1, digits, n + 1);
        }
        base_free(digits);
    } else {
        value = node_text(v);
    }
    if (key == NULL || value == NULL)
        st = base_error_nomem(err, "SET");
    if (st == QV_OK)
        st = config_set(session->config, key, value, err);
    if (st == QV_OK) /* datafusion.runtime.*: runtime_settings.c */
        session_runtime_apply(session, key);
    base_free(key);
    base_free(value);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}

qv_status qv_session_set(qv_session *session, const char *key, const char *value, qv_error *err)
{
    if (session == NULL || key == NULL)
        return base_error_set(err, QV_MISUSE, "qv_session_set: session and key are required");
    QV_TRY(config_set(session->config, key, value, err));
    session_runtime_apply(session, key); /* datafusion.runtime.*: runtime_settings.c */
    return QV_OK;
}

qv_status qv_session_get(qv_session *session, const char *key, const char **value, qv_error *err)
{
    if (session == NULL || key == NULL || value == NULL)
        return base_error_set(err, QV_MISUSE,
                              "qv_session_get: session, key and value are required");
    *value = NULL;
    return config_get(session->config, key, value, err);
}
