/*
 * describe.c — DESCRIBE / DESC (layer: session): the columns of a table or
 * view, or of a query's result, as DataFusion shows them: column_name,
 * data_type, is_nullable ("YES" / "NO"). Works whether or not
 * information_schema is on.
 */
#include <string.h>

#include "session/session_int.h"

/* `SELECT * FROM "catalog"."schema"."table"` for a resolved name, so that
 * tables and views are bound as any query binds them. */
static char *select_all_from(const char *const parts[3])
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "SELECT * FROM ");
    for (int i = 0; i < 3; i++) {
        base_strbuf_append_str(&sb, i > 0 ? ".\"" : "\"");
        for (const char *c = parts[i]; *c; c++) {
            if (*c == '"')
                base_strbuf_append_char(&sb, '"');
            base_strbuf_append_char(&sb, *c);
        }
        base_strbuf_append_char(&sb, '"');
    }
    return base_strbuf_take(&sb);
}

/* The plan of the table named by name, bound in pctx. The parse result
 * must outlive the binding only. */
static qv_status bind_table(plan_ctx *pctx, const sql_node *name, plan_node **out, qv_error *err)
{
    const char *parts[3];
    QV_TRY(plan_resolve_table_name(pctx, name, &parts[0], &parts[1], &parts[2], err));
    char *sql = select_all_from(parts);
    if (sql == NULL)
        return base_error_nomem(err, "DESCRIBE");
    sql_parse_result *parsed = NULL;
    qv_status st = sql_parse(sql, strlen(sql), NULL, &parsed, err);
    if (st == QV_OK)
        st = plan_bind_query(pctx, parsed->statements[0].node, out, err);
    sql_parse_result_free(parsed);
    base_free(sql);
    if (st != QV_OK && err != NULL) {
        /* A position would point into the generated query. */
        err->line = 0;
        err->column = 0;
    }
    return st;
}

static qv_status describe_schema(qv_session *session, const plan_schema *schema, qv_result **out,
                                 qv_error *err)
{
    int32_t n = schema->n_columns;
    const char **cells = base_calloc((size_t)(n > 0 ? n : 1) * 3, sizeof *cells);
    char **types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *types);
    qv_status st = cells && types ? QV_OK : base_error_nomem(err, "DESCRIBE");
    for (int32_t i = 0; i < n && st == QV_OK; i++) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        arrow_type_format(schema->columns[i].type, &sb);
        types[i] = base_strbuf_take(&sb);
        if (types[i] == NULL)
            st = base_error_nomem(err, "DESCRIBE");
        cells[i * 3] = schema->columns[i].name;
        cells[i * 3 + 1] = types[i];
        cells[i * 3 + 2] = schema->columns[i].nullable ? "YES" : "NO";
    }
    static const char *const names[] = {"column_name", "data_type", "is_nullable"};
    if (st == QV_OK)
        st = session_result_strings(session, 3, names, n, cells, out, err);
    for (int32_t i = 0; types != NULL && i < n; i++)
        base_free(types[i]);
    base_free(types);
    base_free(cells);
    return st;
}

qv_status session_describe(qv_session *session, const sql_node *stmt, qv_result **out,
                           qv_error *err)
{
    const sql_node *target = sql_kid(stmt, 0);
    if (target->kind != SQL_NAME && target->kind != SQL_IDENT && !session_is_query(target))
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Describing statements other than "
                              "SELECT not supported");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    plan_node *root = NULL;
    qv_status st = session_is_query(target) ? plan_bind_query(pctx, target, &root, err)
                                            : bind_table(pctx, target, &root, err);
    if (st == QV_OK)
        st = describe_schema(session, &root->schema, out, err);
    plan_ctx_free(pctx);
    return st;
}
