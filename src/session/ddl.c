/*
 * ddl.c — CREATE TABLE (also SELECT INTO's, select_into.c), CREATE VIEW
 * and DROP TABLE / VIEW / SCHEMA (layer: session). Tables and views
 * created by SQL live in the session's catalog overlay, as in a DataFusion
 * SessionContext; memory tables hold the rows. Checks come in DataFusion's
 * order: the planner's refusals and the query's binding, then the
 * session's (existing names, IF NOT EXISTS / OR REPLACE).
 */
#include <string.h>

#include "session/session_int.h"

typedef struct table_name {
    const char *catalog_name, *schema_name, *name;
} table_name;

static qv_status resolve(plan_ctx *pctx, const sql_node *name, table_name *out, qv_error *err)
{
    return plan_resolve_table_name(pctx, name, &out->catalog_name, &out->schema_name, &out->name,
                                   err);
}

static bool exists(qv_session *session, const table_name *t)
{
    catalog_entry entry;
    if (catalog_lookup(session->catalog, t->catalog_name, t->schema_name, t->name, &entry, NULL) !=
        QV_OK)
        return false;
    catalog_entry_clear(&entry);
    return true;
}

/* The schema of a column list (CREATE TABLE t (a INT NOT NULL, ...)); also
 * used by CREATE EXTERNAL TABLE (ddl_external.c). */
qv_status session_columns_schema(plan_ctx *pctx, const sql_node *columns, arrow_schema **out,
                                 qv_error *err)
{
    int32_t n = 0;
    for (uint32_t i = 0; i < columns->n_kids; i++)
        n += columns->kids[i]->kind == SQL_COLUMN_DEF;
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "table schema");
    qv_status st = QV_OK;
    int32_t k = 0;
    for (uint32_t i = 0; i < columns->n_kids && st == QV_OK; i++) {
        const sql_node *def = columns->kids[i];
        if (def->kind != SQL_COLUMN_DEF)
            continue; /* table constraints are accepted and not enforced */
        const char *name = plan_ident(pctx, sql_kid(def, 0));
        for (int32_t j = 0; j < k && st == QV_OK; j++)
            if (name != NULL && strcmp(fields[j]->name, name) == 0)
                st = base_error_set(err, QV_SCHEMA,
                                    "Schema error: Schema contains duplicate unqualified field "
                                    "name %s",
                                    name);
        arrow_type *type = NULL;
        if (st == QV_OK)
            st = plan_bind_type(pctx, sql_kid(def, 1), &type, err);
        bool nullable = true;
        const sql_node *constraints = sql_kid(def, 2);
        for (uint32_t c = 0; constraints != NULL && c < constraints->n_kids; c++) {
            int32_t op = constraints->kids[c]->op;
            if (op == SQL_CONSTRAINT_NOT_NULL || op == SQL_CONSTRAINT_PRIMARY_KEY)
                nullable = false;
        }
        if (st == QV_OK)
            st = arrow_field_new(name ? name : "", type, nullable, NULL, &fields[k++], err);
        arrow_type_release(type);
    }
    if (st == QV_OK)
        st = arrow_schema_new(k, fields, NULL, out, err);
    for (int32_t j = 0; j < k; j++)
        arrow_field_release(fields[j]);
    base_free(fields);
    return st;
}

/* Batches rebuilt over schema (same column types, the table's names and
 * nullability), checking that non-nullable columns hold no NULL. */
qv_status session_conform_batches(arrow_schema *schema, arrow_batch **batches, int64_t n,
                                  qv_error *err)
{
    for (int64_t i = 0; i < n; i++) {
        arrow_batch *b = batches[i];
        for (int32_t c = 0; c < schema->n_fields; c++)
            if (!schema->fields[c]->nullable && arrow_array_null_count(b->columns[c]) > 0)
                return base_error_set(err, QV_EXECUTION,
                                      "Execution error: Invalid batch column at '%d' has null but "
                                      "schema specifies non-nullable",
                                      c);
        arrow_batch *rebuilt = NULL;
        QV_TRY(arrow_batch_new(schema, b->n_rows, b->columns, &rebuilt, err));
        arrow_batch_release(b);
        batches[i] = rebuilt;
    }
    return QV_OK;
}

/* DataFusion's check on the result of CREATE TABLE AS / CREATE VIEW /
 * SELECT INTO: the stored object keeps only unqualified names, so two
 * columns of one name could never be selected. */
static qv_status check_unique_names(const plan_schema *schema, qv_error *err)
{
    for (int32_t i = 0; i < schema->n_columns; i++)
        for (int32_t j = 0; j < i; j++)
            if (strcmp(schema->columns[i].name, schema->columns[j].name) == 0)
                return base_error_set(err, QV_SCHEMA,
                                      "Schema error: Schema contains duplicate unqualified field "
                                      "name %s",
                                      schema->columns[i].name);
    return QV_OK;
}

/* The name as written, normalised: DataFusion's TableReference display. */
const char *session_written_name(plan_ctx *pctx, const sql_node *name)
{
    uint32_t n = name->kind == SQL_NAME ? name->n_kids : 1;
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (uint32_t i = 0; i < n; i++) {
        const char *part = plan_ident(pctx, name->kind == SQL_NAME ? name->kids[i] : name);
        base_strbuf_appendf(&sb, "%s%s", i > 0 ? "." : "", part != NULL ? part : "");
    }
    const char *text = base_strbuf_failed(&sb) ? NULL : plan_strdup(pctx, base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return text;
}

/* The query cast to the declared columns (CREATE TABLE t (a INT) AS ...). */
static qv_status cast_to_declared(plan_ctx *pctx, arrow_schema *schema, plan_node **root,
                                  qv_error *err)
{
    plan_node *input = *root;
    if (input->schema.n_columns != schema->n_fields)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Mismatch: %d columns specified, but "
                              "result has %d columns",
                              schema->n_fields, input->schema.n_columns);
    plan_node *proj = plan_node_new(pctx, PLAN_PROJECTION, 1, &input);
    if (proj == NULL || !plan_schema_init(pctx, &proj->schema, schema->n_fields))
        return base_error_nomem(err, "CREATE TABLE");
    proj->n_exprs = schema->n_fields;
    proj->exprs = plan_alloc(pctx, (size_t)(schema->n_fields + 1) * sizeof(plan_expr *));
    if (proj->exprs == NULL)
        return base_error_nomem(err, "CREATE TABLE");
    for (int32_t i = 0; i < schema->n_fields; i++) {
        plan_expr *e = plan_expr_column(pctx, &input->schema, i);
        if (e == NULL)
            return base_error_nomem(err, "CREATE TABLE");
        QV_TRY(plan_coerce_to(pctx, e, schema->fields[i]->type, &proj->exprs[i], err));
        proj->schema.columns[i] = (plan_column){.qualifier = NULL,
                                                .name = schema->fields[i]->name,
                                                .type = schema->fields[i]->type,
                                                .nullable = true};
    }
    *root = proj;
    return QV_OK;
}

/* What CREATE TABLE does once planned: DataFusion's create_memory_table
 * (IF NOT EXISTS and OR REPLACE judged against an existing table only),
 * then the rows of the query, if any, into a new memory table. */
static qv_status create_memory_table(qv_session *session, plan_ctx *pctx, const sql_node *stmt,
                                     arrow_schema *declared, char *const *defaults, plan_node *root,
                                     qv_error *err)
{
    table_name t;
    QV_TRY(resolve(pctx, sql_kid(stmt, 0), &t, err));
    bool if_not_exists = (stmt->flags & SQL_F_IF_NOT_EXISTS) != 0;
    bool replace = (stmt->flags & SQL_F_OR_REPLACE) != 0;
    if (exists(session, &t)) {
        if (if_not_exists && replace)
            return base_error_set(err, QV_EXECUTION,
                                  "Execution error: 'IF NOT EXISTS' cannot coexist with "
                                  "'REPLACE'");
        if (if_not_exists)
            return QV_OK;
        if (!replace) {
            const char *name = session_written_name(pctx, sql_kid(stmt, 0));
            return base_error_set(err, QV_ALREADY_EXISTS,
                                  "Execution error: Table '%s' already exists",
                                  name != NULL ? name : t.name);
        }
    }
    arrow_schema *schema = declared != NULL ? arrow_schema_retain(declared) : NULL;
    arrow_batch **batches = NULL;
    int64_t n_batches = 0;
    catalog_table *table = NULL;
    qv_status st = QV_OK;
    if (root != NULL) {
        arrow_schema *query_schema = NULL;
        st = session_collect_plan(session, root, &batches, &n_batches, &query_schema, err);
        if (st == QV_OK && schema == NULL)
            schema = arrow_schema_retain(query_schema);
        arrow_schema_release(query_schema);
        if (st == QV_OK)
            st = session_conform_batches(schema, batches, n_batches, err);
    }
    if (st == QV_OK && schema == NULL)
        st = arrow_schema_new(0, NULL, NULL, &schema, err);
    if (st == QV_OK)
        st = catalog_memory_table_new(schema, batches, n_batches, &table, err);
    if (st == QV_OK && defaults != NULL) /* column DEFAULTs (column_defaults.c) */
        st = catalog_memory_table_set_defaults(table, defaults, err);
    if (st == QV_OK)
        st = catalog_register_table(session->catalog, t.catalog_name, t.schema_name, t.name, table,
                                    replace, err);
    catalog_table_release(table);
    exec_batches_free(batches, n_batches);
    arrow_schema_release(schema);
    return st;
}

qv_status session_create_table(qv_session *session, const sql_node *stmt, qv_result **out,
                               qv_error *err)
{
    if (stmt->op != SQL_TABLE_KIND_PLAIN)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: managed (USER / SHARED / STREAM) "
                              "tables");
    /* The planner's refusals come first, as in DataFusion. */
    if (stmt->flags & SQL_F_TEMPORARY)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Temporary tables not supported");
    if (sql_kid(stmt, 4) != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Like not supported");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    arrow_schema *declared = NULL;
    plan_node *root = NULL;
    qv_status st = QV_OK;
    const sql_node *columns = sql_kid(stmt, 1);
    if (columns != NULL && columns->n_kids > 0)
        st = session_columns_schema(pctx, columns, &declared, err);
    char **defaults = NULL; /* column DEFAULTs (column_defaults.c) */
    if (st == QV_OK && declared != NULL)
        st = session_column_defaults(pctx, columns, declared->n_fields, &defaults, err);
    if (st == QV_OK && sql_kid(stmt, 2) != NULL) {
        st = plan_bind_query(pctx, sql_kid(stmt, 2), &root, err);
        if (st == QV_OK && declared != NULL)
            st = cast_to_declared(pctx, declared, &root, err); /* names are the declared ones */
        else if (st == QV_OK)
            st = check_unique_names(&root->schema, err);
    }
    if (st == QV_OK)
        st = create_memory_table(session, pctx, stmt, declared, defaults, root, err);
    session_column_defaults_free(defaults, declared != NULL ? declared->n_fields : 0);
    arrow_schema_release(declared);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}

qv_status session_create_view(qv_session *session, const sql_node *stmt, qv_result **out,
                              qv_error *err)
{
    /* The planner's refusals, then the session's (DataFusion's create_view). */
    if (stmt->flags & SQL_F_MATERIALIZED)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Materialized views not supported");
    if (stmt->flags & SQL_F_IF_NOT_EXISTS)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: If not exists not supported");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    /* Bind once to report errors now; the text is re-bound where used. */
    plan_node *root = NULL;
    qv_status st = plan_bind_query(pctx, sql_kid(stmt, 2), &root, err);
    const sql_node *columns = sql_kid(stmt, 1);
    bool has_columns = columns != NULL && columns->n_kids > 0;
    if (st == QV_OK && !has_columns)
        st = check_unique_names(&root->schema, err);
    if (st == QV_OK && (stmt->flags & SQL_F_TEMPORARY))
        st = base_error_set(err, QV_NOT_IMPLEMENTED,
                            "This feature is not implemented: Temporary views not supported");
    table_name t;
    if (st == QV_OK)
        st = resolve(pctx, sql_kid(stmt, 0), &t, err);
    bool replace = (stmt->flags & SQL_F_OR_REPLACE) != 0;
    if (st == QV_OK && !replace && exists(session, &t)) {
        const char *name = session_written_name(pctx, sql_kid(stmt, 0));
        st = base_error_set(err, QV_ALREADY_EXISTS, "Execution error: Table '%s' already exists",
                            name != NULL ? name : t.name);
    }
    base_strbuf sb;
    base_strbuf_init(&sb);
    if (has_columns) {
        base_strbuf_append_str(&sb, "SELECT * FROM (");
        sql_unparse(sql_kid(stmt, 2), &sb);
        base_strbuf_append_str(&sb, ") AS __view (");
        for (uint32_t i = 0; i < columns->n_kids; i++) {
            if (i > 0)
                base_strbuf_append_str(&sb, ", ");
            sql_unparse(columns->kids[i], &sb);
        }
        base_strbuf_append_char(&sb, ')');
    } else {
        sql_unparse(sql_kid(stmt, 2), &sb);
    }
    if (st == QV_OK && base_strbuf_failed(&sb))
        st = base_error_nomem(err, "view definition");
    if (st == QV_OK)
        st = catalog_register_view(session->catalog, t.catalog_name, t.schema_name, t.name, sb.data,
                                   replace, err);
    base_strbuf_free(&sb);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}

/* DROP SCHEMA [IF EXISTS] [catalog.]name [CASCADE], as DataFusion's
 * drop_schema: a missing catalog or schema is "doesn't exist" (nothing
 * with IF EXISTS), a schema holding tables needs CASCADE. */
static qv_status drop_schema(qv_session *session, plan_ctx *pctx, const sql_node *name,
                             uint32_t flags, qv_error *err)
{
    uint32_t n = name->kind == SQL_NAME ? name->n_kids : 1;
    if (n > 2)
        return base_error_set(err, QV_SYNTAX,
                              "SQL error: ParserError(\"Invalid schema specifier (has 3 "
                              "parts)\")");
    const char *catalog_name = pctx->options.default_catalog;
    const char *schema_name = plan_ident(pctx, name->kind == SQL_NAME ? name->kids[n - 1] : name);
    if (n == 2)
        catalog_name = plan_ident(pctx, name->kids[0]);
    const char *written = session_written_name(pctx, name);
    if (catalog_name == NULL || schema_name == NULL || written == NULL)
        return base_error_nomem(err, "DROP SCHEMA");
    bool found = false;
    if (catalog_exists(session->catalog, catalog_name))
        QV_TRY(catalog_drop_schema(session->catalog, catalog_name, schema_name,
                                   (flags & SQL_F_CASCADE) != 0, &found, err));
    if (!found && !(flags & SQL_F_IF_EXISTS))
        return base_error_set(err, QV_NOT_FOUND, "Execution error: Schema '%s' doesn't exist.",
                              written);
    return QV_OK;
}

qv_status session_drop(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err)
{
    const sql_node *names = sql_kid(stmt, 0);
    uint32_t n_names = names != NULL ? names->n_kids : 0;
    /* DataFusion's planner takes exactly one name. */
    if (n_names == 0)
        return base_error_set(err, QV_SYNTAX, "SQL error: ParserError(\"Missing table name.\")");
    if (n_names > 1)
        return base_error_set(err, QV_SYNTAX,
                              "SQL error: ParserError(\"Multiple objects not supported\")");
    if (stmt->op != SQL_OBJ_TABLE && stmt->op != SQL_OBJ_VIEW && stmt->op != SQL_OBJ_SCHEMA)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Only `DROP TABLE/VIEW/SCHEMA  "
                              "...` statement is supported currently");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    qv_status st = QV_OK;
    if (stmt->op == SQL_OBJ_SCHEMA) {
        st = drop_schema(session, pctx, names->kids[0], stmt->flags, err);
    } else {
        catalog_entry_kind kind =
            stmt->op == SQL_OBJ_TABLE ? CATALOG_ENTRY_TABLE : CATALOG_ENTRY_VIEW;
        table_name t;
        st = resolve(pctx, names->kids[0], &t, err);
        bool found = false;
        if (st == QV_OK)
            st = catalog_deregister(session->catalog, t.catalog_name, t.schema_name, t.name, kind,
                                    &found, err);
        if (st == QV_OK && !found && !(stmt->flags & SQL_F_IF_EXISTS)) {
            const char *name = session_written_name(pctx, names->kids[0]);
            st = base_error_set(err, QV_NOT_FOUND, "Execution error: %s '%s' doesn't exist.",
                                kind == CATALOG_ENTRY_TABLE ? "Table" : "View",
                                name != NULL ? name : t.name);
        }
    }
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}
