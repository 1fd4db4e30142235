/*
 * show.c — SHOW statements (layer: session), as DataFusion plans them:
 * SHOW TABLES, SHOW [FULL | EXTENDED] COLUMNS, SHOW CREATE TABLE and SHOW
 * <variable> / SHOW ALL [VERBOSE] are queries over information_schema (so
 * they need datafusion.catalog.information_schema, with DataFusion's
 * errors when it is off); SHOW FUNCTIONS [LIKE pattern] lists the
 * functions' signatures from the same descriptions information_schema's
 * routines and parameters are made of.
 */
#include <string.h>

#include "func/select.h"
#include "session/session_int.h"

static bool information_schema_on(qv_session *session)
{
    return config_get_bool(session->config, "datafusion.catalog.information_schema");
}

/* Runs a query given as SQL text. */
static qv_status run_sql(qv_session *session, const char *sql, qv_result **out, qv_error *err)
{
    sql_parse_result *parsed = NULL;
    QV_TRY(sql_parse(sql, strlen(sql), NULL, &parsed, err));
    qv_status st = session_execute(session, parsed->statements[0].node, sql, out, err);
    sql_parse_result_free(parsed);
    if (st != QV_OK && err != NULL) {
        /* A position would point into the generated query, not the SHOW. */
        err->line = 0;
        err->column = 0;
    }
    return st;
}

static void append_quoted(base_strbuf *sb, const char *text)
{
    base_strbuf_append_char(sb, '\'');
    for (const char *c = text; *c; c++) {
        if (*c == '\'')
            base_strbuf_append_char(sb, '\'');
        base_strbuf_append_char(sb, *c);
    }
    base_strbuf_append_char(sb, '\'');
}

static qv_status run_built(qv_session *session, base_strbuf *sb, qv_result **out, qv_error *err)
{
    qv_status st = base_strbuf_failed(sb) ? base_error_nomem(err, "SHOW")
                                          : run_sql(session, base_strbuf_cstr(sb), out, err);
    base_strbuf_free(sb);
    return st;
}

/* ---- SHOW <variable>, SHOW ALL ---- */

typedef struct key_search {
    const char *key;
    bool found;
} key_search;

static qv_status match_key(void *user, const char *key, const char *value, const char *description,
                           qv_error *err)
{
    (void)value;
    (void)description;
    (void)err;
    key_search *search = user;
    search->found = search->found || strcmp(search->key, key) == 0;
    return QV_OK;
}

static qv_status show_variable(qv_session *session, plan_ctx *pctx, const sql_node *stmt,
                               qv_result **out, qv_error *err)
{
    if (!information_schema_on(session))
        return base_error_set(err, QV_PLAN,
                              "Error during planning: SHOW [VARIABLE] is not supported unless "
                              "information_schema is enabled");
    /* The variable's words joined by dots, as DataFusion names it. */
    base_strbuf name;
    base_strbuf_init(&name);
    const sql_node *words = sql_kid(stmt, 0);
    if (stmt->op == SQL_SHOW_ALL)
        base_strbuf_append_str(&name, "all");
    for (uint32_t i = 0; words != NULL && i < words->n_kids; i++) {
        const char *word = plan_ident(pctx, words->kids[i]);
        base_strbuf_appendf(&name, "%s%s", i > 0 ? "." : "", word ? word : "");
    }
    const char *variable = base_strbuf_cstr(&name);
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, (stmt->flags & SQL_F_VERBOSE) ? "SELECT name, value, description"
                                                              : "SELECT name, value");
    base_strbuf_append_str(&sb, " FROM information_schema.df_settings");
    qv_status st = QV_OK;
    if (strcmp(variable, "all") == 0) {
        base_strbuf_append_str(&sb, " ORDER BY name");
    } else if (strcmp(variable, "timezone") == 0 || strcmp(variable, "time.zone") == 0) {
        base_strbuf_append_str(&sb, " WHERE name = 'datafusion.execution.time_zone'");
    } else {
        key_search search = {variable, false};
        st = config_visit(session->config, match_key, &search, err);
        if (st == QV_OK && !search.found)
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: '%s' is not a variable which can be "
                                "viewed with 'SHOW'",
                                variable);
        base_strbuf_append_str(&sb, " WHERE name = ");
        append_quoted(&sb, variable);
    }
    base_strbuf_free(&name);
    if (st != QV_OK) {
        base_strbuf_free(&sb);
        return st;
    }
    return run_built(session, &sb, out, err);
}

/* ---- SHOW TABLES, SHOW COLUMNS, SHOW CREATE TABLE ---- */

static qv_status show_tables(qv_session *session, const sql_node *stmt, qv_result **out,
                             qv_error *err)
{
    const char *unsupported = NULL;
    if (stmt->flags & SQL_F_EXTENDED)
        unsupported = "SHOW TABLES EXTENDED";
    else if (stmt->flags & SQL_F_FULL)
        unsupported = "SHOW FULL TABLES";
    else if (sql_kid(stmt, 0) != NULL)
        unsupported = "SHOW TABLES IN";
    else if (sql_kid(stmt, 1) != NULL || sql_kid(stmt, 2) != NULL)
        unsupported = "SHOW TABLES FILTER";
    if (unsupported != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: %s not supported", unsupported);
    if (!information_schema_on(session))
        return base_error_set(err, QV_PLAN,
                              "Error during planning: SHOW TABLES is not supported unless "
                              "information_schema is enabled");
    return run_sql(session, "SELECT * FROM information_schema.tables", out, err);
}

/* "WHERE table_name = 't' [AND table_schema = 's' [AND table_catalog =
 * 'c']]" for the name as written (DataFusion's object_name_to_qualifier),
 * after checking that the table exists. */
static qv_status append_table_filter(qv_session *session, plan_ctx *pctx, const sql_node *name,
                                     base_strbuf *sb, qv_error *err)
{
    const char *catalog_name = NULL, *schema_name = NULL, *table_name = NULL;
    QV_TRY(plan_resolve_table_name(pctx, name, &catalog_name, &schema_name, &table_name, err));
    catalog_entry entry;
    qv_status st =
        catalog_lookup(session->catalog, catalog_name, schema_name, table_name, &entry, err);
    if (st == QV_NOT_FOUND)
        return base_error_set(err, QV_PLAN, "Error during planning: table '%s.%s.%s' not found",
                              catalog_name, schema_name, table_name);
    QV_TRY(st);
    catalog_entry_clear(&entry);
    static const char *const columns[] = {"table_name", "table_schema", "table_catalog"};
    uint32_t n = name->kind == SQL_NAME ? name->n_kids : 1;
    for (uint32_t i = 0; i < n; i++) {
        const sql_node *part = name->kind == SQL_NAME ? name->kids[n - 1 - i] : name;
        const char *ident = plan_ident(pctx, part);
        base_strbuf_appendf(sb, " %s %s = ", i == 0 ? "WHERE" : "AND", columns[i]);
        append_quoted(sb, ident ? ident : "");
    }
    return QV_OK;
}

static qv_status show_columns(qv_session *session, plan_ctx *pctx, const sql_node *stmt,
                              qv_result **out, qv_error *err)
{
    if (sql_kid(stmt, 1) != NULL || sql_kid(stmt, 2) != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: SHOW COLUMNS with WHERE or LIKE "
                              "is not supported");
    if (!information_schema_on(session))
        return base_error_set(err, QV_PLAN,
                              "Error during planning: SHOW COLUMNS is not supported unless "
                              "information_schema is enabled");
    base_strbuf sb;
    base_strbuf_init(&sb);
    /* FULL and EXTENDED are the same: every column of information_schema. */
    base_strbuf_append_str(&sb, (stmt->flags & (SQL_F_FULL | SQL_F_EXTENDED))
                                    ? "SELECT *"
                                    : "SELECT table_catalog, table_schema, table_name, "
                                      "column_name, data_type, is_nullable");
    base_strbuf_append_str(&sb, " FROM information_schema.columns");
    qv_status st = append_table_filter(session, pctx, sql_kid(stmt, 0), &sb, err);
    if (st != QV_OK) {
        base_strbuf_free(&sb);
        return st;
    }
    return run_built(session, &sb, out, err);
}

static qv_status show_create_table(qv_session *session, plan_ctx *pctx, const sql_node *stmt,
                                   qv_result **out, qv_error *err)
{
    if (!information_schema_on(session))
        return base_error_set(err, QV_PLAN,
                              "Error during planning: SHOW CREATE TABLE is not supported unless "
                              "information_schema is enabled");
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "SELECT table_catalog, table_schema, table_name, definition "
                                "FROM information_schema.views");
    qv_status st = append_table_filter(session, pctx, sql_kid(stmt, 0), &sb, err);
    if (st != QV_OK) {
        base_strbuf_free(&sb);
        return st;
    }
    return run_built(session, &sb, out, err);
}

/* ---- SHOW FUNCTIONS ---- */

enum { FN_NAME, FN_RETURN, FN_PARAMS, FN_PARAM_TYPES, FN_KIND, FN_DESCRIPTION, FN_SYNTAX, FN_N };

typedef struct function_rows {
    arrow_builder *cols[FN_N];
    int64_t n_rows;
} function_rows;

static qv_status append_text(arrow_builder *b, const char *text, qv_error *err)
{
    return text != NULL ? arrow_builder_append_bytes(b, text, (int64_t)strlen(text), err)
                        : arrow_builder_append_null(b, err);
}

/* One row per example signature with arguments and a known return type:
 * the rows of DataFusion's SHOW FUNCTIONS query (which joins the IN and
 * OUT parameters of each rid). */
static qv_status add_function(void *user, const catalog_routine *routine, qv_error *err)
{
    function_rows *rows = user;
    int32_t n_names = 0;
    while (routine->param_names != NULL && routine->param_names[n_names] != NULL)
        n_names++;
    for (int32_t v = 0; v < routine->n_variants; v++) {
        const catalog_routine_variant *variant = &routine->variants[v];
        if (variant->n_args == 0 || variant->return_type == NULL)
            continue;
        arrow_builder *names = arrow_builder_child(rows->cols[FN_PARAMS], 0);
        arrow_builder *types = arrow_builder_child(rows->cols[FN_PARAM_TYPES], 0);
        QV_TRY(append_text(rows->cols[FN_NAME], routine->name, err));
        QV_TRY(append_text(rows->cols[FN_RETURN], variant->return_type, err));
        for (int32_t a = 0; a < variant->n_args; a++) {
            QV_TRY(append_text(names, a < n_names ? routine->param_names[a] : NULL, err));
            QV_TRY(append_text(types, variant->arg_types[a], err));
        }
        QV_TRY(arrow_builder_end_list(rows->cols[FN_PARAMS], true, err));
        QV_TRY(arrow_builder_end_list(rows->cols[FN_PARAM_TYPES], true, err));
        QV_TRY(append_text(rows->cols[FN_KIND], routine->function_type, err));
        QV_TRY(append_text(rows->cols[FN_DESCRIPTION], routine->description, err));
        QV_TRY(append_text(rows->cols[FN_SYNTAX], routine->syntax_example, err));
        rows->n_rows++;
    }
    return QV_OK;
}

static qv_status functions_schema(arrow_schema **out, qv_error *err)
{
    static const char *const names[FN_N] = {
        "function_name", "return_type", "parameters",     "parameter_types",
        "function_type", "description", "syntax_example",
    };
    arrow_type *list = NULL;
    arrow_field *fields[FN_N] = {0};
    qv_status st = arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(QV_TYPE_UTF8), &list, err);
    for (int32_t c = 0; c < FN_N && st == QV_OK; c++) {
        bool is_list = c == FN_PARAMS || c == FN_PARAM_TYPES;
        st = arrow_field_new(names[c], is_list ? list : arrow_type_primitive(QV_TYPE_UTF8), true,
                             NULL, &fields[c], err);
    }
    if (st == QV_OK)
        st = arrow_schema_new(FN_N, fields, NULL, out, err);
    for (int32_t c = 0; c < FN_N; c++)
        arrow_field_release(fields[c]);
    arrow_type_release(list);
    return st;
}

/* Keeps the rows of batch whose function_name is LIKE pattern. */
static qv_status filter_like(arrow_batch *batch, const sql_node *pattern, arrow_batch **out,
                             qv_error *err)
{
    arrow_builder *b = NULL;
    arrow_array *pattern_value = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &b, err);
    if (st == QV_OK)
        st = append_text(b, pattern->text, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &pattern_value, err);
    arrow_builder_free(b);
    if (st != QV_OK)
        return st;
    func_datum value = func_datum_array(batch->columns[FN_NAME]);
    func_datum like = func_datum_scalar(pattern_value), mask = {0};
    st = func_like(false, false, &value, &like, '\\', batch->n_rows, &mask, err);
    if (st == QV_OK)
        st = func_filter_batch(batch, mask.array, out, err);
    func_datum_release(&mask);
    func_datum_release(&like);
    func_datum_release(&value);
    arrow_array_release(pattern_value);
    return st;
}

static qv_status show_functions(qv_session *session, const sql_node *stmt, qv_result **out,
                                qv_error *err)
{
    if (sql_kid(stmt, 2) != NULL)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Unsupported SHOW FUNCTIONS filter");
    if (!information_schema_on(session)) {
        const char *default_catalog = NULL;
        config_get(session->config, "datafusion.catalog.default_catalog", &default_catalog, NULL);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: table "
                              "'%s.information_schema.parameters' not found",
                              default_catalog);
    }
    arrow_schema *schema = NULL;
    function_rows rows = {0};
    arrow_array *cols[FN_N] = {0};
    arrow_batch *batch = NULL, *kept = NULL;
    qv_status st = functions_schema(&schema, err);
    for (int32_t c = 0; c < FN_N && st == QV_OK; c++)
        st = arrow_builder_new(schema->fields[c]->type, &rows.cols[c], err);
    if (st == QV_OK)
        st = session_visit_routines(session, add_function, &rows, err);
    for (int32_t c = 0; c < FN_N && st == QV_OK; c++)
        st = arrow_builder_finish(rows.cols[c], &cols[c], err);
    if (st == QV_OK)
        st = arrow_batch_new(schema, rows.n_rows, cols, &batch, err);
    if (st == QV_OK && sql_kid(stmt, 1) != NULL)
        st = filter_like(batch, sql_kid(stmt, 1), &kept, err);
    if (st == QV_OK)
        st = session_result_batches(session, schema, kept ? &kept : &batch, 1, out, err);
    arrow_batch_release(kept);
    arrow_batch_release(batch);
    for (int32_t c = 0; c < FN_N; c++) {
        arrow_array_release(cols[c]);
        arrow_builder_free(rows.cols[c]);
    }
    arrow_schema_release(schema);
    return st;
}

/* ---- dispatch ---- */

qv_status session_show(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err)
{
    if (stmt->op == SQL_SHOW_TABLES)
        return show_tables(session, stmt, out, err);
    if (stmt->op == SQL_SHOW_FUNCTIONS)
        return show_functions(session, stmt, out, err);
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    qv_status st;
    switch (stmt->op) {
    case SQL_SHOW_COLUMNS:
        st = show_columns(session, pctx, stmt, out, err);
        break;
    case SQL_SHOW_CREATE_TABLE:
        st = show_create_table(session, pctx, stmt, out, err);
        break;
    default:
        st = show_variable(session, pctx, stmt, out, err);
        break;
    }
    plan_ctx_free(pctx);
    return st;
}
