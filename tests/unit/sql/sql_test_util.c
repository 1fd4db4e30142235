/*
 * sql_test_util.c — helpers for the src/sql unit tests (see sql_test_util.h).
 */
#include "sql_test_util.h"

#include <stdio.h>
#include <string.h>

bool sqlt_dump(const char *sql, char *out, size_t size)
{
    qv_error err;
    qv_error_clear(&err);
    sql_parse_result *result = NULL;
    if (sql_parse(sql, strlen(sql), NULL, &result, &err) != QV_OK) {
        snprintf(out, size, "%s", err.message);
        return false;
    }
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (size_t i = 0; i < result->n_statements; i++) {
        if (i > 0)
            base_strbuf_append_str(&sb, "; ");
        sql_node_dump(result->statements[i].node, &sb);
    }
    snprintf(out, size, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    sql_parse_result_free(result);
    return true;
}

bool sqlt_dump_expr(const char *expr, char *out, size_t size)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT %s", expr);
    qv_error err;
    qv_error_clear(&err);
    sql_parse_result *result = NULL;
    if (sql_parse(sql, strlen(sql), NULL, &result, &err) != QV_OK) {
        snprintf(out, size, "%s", err.message);
        return false;
    }
    const sql_node *select = sql_kid(result->statements[0].node, 1);
    base_strbuf sb;
    base_strbuf_init(&sb);
    sql_node_dump(sql_kid(sql_kid(select, 1), 0), &sb);
    snprintf(out, size, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    sql_parse_result_free(result);
    return true;
}

bool sqlt_round_trips(const char *sql)
{
    qv_error err;
    qv_error_clear(&err);
    sql_parse_result *result = NULL;
    if (sql_parse(sql, strlen(sql), NULL, &result, &err) != QV_OK) {
        printf("    parse failed: %s\n", err.message);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < result->n_statements; i++) {
        char *text = sql_unparse_to_string(result->statements[i].node);
        sql_parse_result *again = NULL;
        ok = text != NULL && sql_parse(text, strlen(text), NULL, &again, &err) == QV_OK &&
             again->n_statements == 1 &&
             sql_ast_equal(result->statements[i].node, again->statements[0].node);
        if (!ok)
            printf("    round trip failed for: %s\n    (%s)\n", text ? text : "?", err.message);
        sql_parse_result_free(again);
        base_free(text);
    }
    sql_parse_result_free(result);
    return ok;
}

qv_status sqlt_parse_error(const char *sql, qv_error *err)
{
    qv_error_clear(err);
    sql_parse_result *result = NULL;
    qv_status status = sql_parse(sql, strlen(sql), NULL, &result, err);
    sql_parse_result_free(result);
    return status;
}

sql_kind sqlt_statement_kind(const char *sql)
{
    qv_error err;
    sql_parse_result *result = NULL;
    if (sql_parse(sql, strlen(sql), NULL, &result, &err) != QV_OK)
        return SQL_KIND_COUNT;
    sql_kind kind = result->n_statements == 1 ? result->statements[0].node->kind : SQL_KIND_COUNT;
    sql_parse_result_free(result);
    return kind;
}
