/*
 * settings.c — SET, RESET and SHOW (layer: session): changes go to the
 * session's configuration overlay only.
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
    return sql_unparse_to_string(node);
}

qv_status session_set(qv_session *session, const sql_node *stmt, qv_result **out,
                      qv_error *err)
{
    char *key = NULL, *value = NULL;
    qv_status st = QV_OK;
    if (stmt->kind == SQL_RESET) {
        if (stmt->flags & SQL_F_ALL)
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: RESET ALL");
        key = node_text(sql_kid(stmt, 0));
        st = key ? config_reset(session->config, key, err) : base_error_nomem(err, "RESET");
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
        return base_error_set(err, QV_PLAN,
                              "Error during planning: SET expects exactly one value");
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
    base_free(key);
    base_free(value);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}

typedef struct show_rows {
    const char *prefix;
    int64_t n, cap;
    const char **cells;
} show_rows;

static qv_status add_row(void *user, const char *key, const char *value, const char *description,
                         qv_error *err)
{
    (void)description;
    show_rows *rows = user;
    if (rows->prefix != NULL && strncmp(key, rows->prefix, strlen(rows->prefix)) != 0)
        return QV_OK;
    if (rows->n == rows->cap) {
        int64_t cap = rows->cap == 0 ? 64 : rows->cap * 2;
        const char **cells = base_realloc(rows->cells, (size_t)cap * 2 * sizeof *cells);
        if (cells == NULL)
            return base_error_nomem(err, "SHOW");
        rows->cells = cells;
        rows->cap = cap;
    }
    rows->cells[rows->n * 2] = key;
    rows->cells[rows->n * 2 + 1] = value;
    rows->n++;
    return QV_OK;
}

qv_status session_show(qv_session *session, const sql_node *stmt, qv_result **out,
                       qv_error *err)
{
    if (stmt->op != SQL_SHOW_VARIABLE && stmt->op != SQL_SHOW_ALL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: this SHOW statement");
    if (!config_get_bool(session->config, "datafusion.catalog.information_schema"))
        return base_error_set(err, QV_PLAN,
                              "Error during planning: SHOW [VARIABLE] is not supported unless "
                              "information_schema is enabled");
    show_rows rows = {0};
    char *key = NULL;
    qv_status st = QV_OK;
    if (stmt->op == SQL_SHOW_VARIABLE) {
        key = node_text(sql_kid(stmt, 0));
        const char *value = NULL;
        if (key == NULL)
            st = base_error_nomem(err, "SHOW");
        else if (strcmp(key, "all") == 0 || strcmp(key, "ALL") == 0)
            st = config_visit(session->config, add_row, &rows, err);
        else if ((st = config_get(session->config, key, &value, err)) == QV_OK)
            st = add_row(&rows, key, value, NULL, err);
        else
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: '%s' is not a variable which can be "
                                "viewed with 'SHOW'",
                                key);
    } else {
        st = config_visit(session->config, add_row, &rows, err);
    }
    static const char *const names[] = {"name", "value"};
    if (st == QV_OK)
        st = session_result_strings(session, 2, names, rows.n, rows.cells, out, err);
    base_free(rows.cells);
    base_free(key);
    return st;
}
