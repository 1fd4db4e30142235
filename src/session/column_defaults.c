/*
 * column_defaults.c — DEFAULT values of table columns (layer: session).
 * CREATE TABLE binds each DEFAULT once, with no columns in scope, to report
 * errors as DataFusion does, and keeps its SQL text with the memory table;
 * INSERT binds the text again for each statement that leaves the column
 * out, so a volatile default such as now() is evaluated per insert.
 */
#include <string.h>

#include "session/session_int.h"

/* The DEFAULT constraint of a column definition, or NULL. */
static const sql_node *default_of(const sql_node *def)
{
    const sql_node *constraints = sql_kid(def, 2);
    for (uint32_t c = 0; constraints != NULL && c < constraints->n_kids; c++)
        if (constraints->kids[c]->op == SQL_CONSTRAINT_DEFAULT)
            return sql_kid(constraints->kids[c], 0);
    return NULL;
}

void session_column_defaults_free(char **defaults, int32_t n_columns)
{
    for (int32_t i = 0; defaults != NULL && i < n_columns; i++)
        base_free(defaults[i]);
    base_free(defaults);
}

qv_status session_column_defaults(plan_ctx *pctx, const sql_node *columns, int32_t n_columns,
                                  char ***out, qv_error *err)
{
    *out = NULL;
    char **defaults = NULL;
    int32_t k = 0;
    for (uint32_t i = 0; i < columns->n_kids && k < n_columns; i++) {
        const sql_node *def = columns->kids[i];
        if (def->kind != SQL_COLUMN_DEF)
            continue;
        const sql_node *value = default_of(def);
        if (value != NULL) {
            plan_expr *bound = NULL;
            qv_status st = plan_bind_expr(pctx, value, NULL, &bound, err);
            if (st == QV_OK && defaults == NULL &&
                (defaults = base_calloc((size_t)n_columns, sizeof *defaults)) == NULL)
                st = base_error_nomem(err, "column defaults");
            if (st == QV_OK && (defaults[k] = sql_unparse_to_string(value)) == NULL)
                st = base_error_nomem(err, "column defaults");
            if (st != QV_OK) {
                session_column_defaults_free(defaults, n_columns);
                return st;
            }
        }
        k++;
    }
    *out = defaults;
    return QV_OK;
}

qv_status session_bind_column_default(plan_ctx *pctx, catalog_table *table, int32_t column,
                                      plan_expr **out, qv_error *err)
{
    *out = NULL;
    const char *text =
        table->ops->column_default ? table->ops->column_default(table, column) : NULL;
    if (text == NULL)
        return QV_OK;
    /* The text parses as the one item of a SELECT list. */
    base_strbuf sql;
    base_strbuf_init(&sql);
    base_strbuf_append_str(&sql, "SELECT ");
    base_strbuf_append_str(&sql, text);
    if (base_strbuf_failed(&sql)) {
        base_strbuf_free(&sql);
        return base_error_nomem(err, "column default");
    }
    sql_parse_result *parsed = NULL;
    qv_status st = sql_parse(sql.data, sql.len, NULL, &parsed, err);
    base_strbuf_free(&sql);
    const sql_node *query =
        st == QV_OK && parsed->n_statements == 1 ? parsed->statements[0].node : NULL;
    const sql_node *select = query != NULL ? sql_kid(query, 1) : NULL;
    const sql_node *items =
        select != NULL && select->kind == SQL_SELECT ? sql_kid(select, 1) : NULL;
    if (st == QV_OK && (items == NULL || items->n_kids != 1))
        st = base_error_set(err, QV_ERROR, "Internal error: invalid column default %s", text);
    if (st == QV_OK)
        st = plan_bind_expr(pctx, items->kids[0], NULL, out, err);
    sql_parse_result_free(parsed);
    return st;
}
