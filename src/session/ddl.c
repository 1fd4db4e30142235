/*
 * ddl.c — CREATE TABLE, CREATE VIEW and DROP (layer: session). Tables and
 * views created by SQL live in the session's catalog overlay, as in a
 * DataFusion SessionContext; memory tables hold the rows.
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

qv_status session_create_table(qv_session *session, const sql_node *stmt, qv_result **out,
                               qv_error *err)
{
    if (stmt->op != SQL_TABLE_KIND_PLAIN)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: managed (USER / SHARED / STREAM) "
                              "tables");
    if (sql_kid(stmt, 4) != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: CREATE TABLE ... LIKE");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    table_name t;
    arrow_schema *schema = NULL;
    arrow_batch **batches = NULL;
    int64_t n_batches = 0;
    catalog_table *table = NULL;
    qv_status st = resolve(pctx, sql_kid(stmt, 0), &t, err);
    bool replace = (stmt->flags & SQL_F_OR_REPLACE) != 0;
    if (st == QV_OK && (stmt->flags & SQL_F_OR_REPLACE) && (stmt->flags & SQL_F_IF_NOT_EXISTS))
        st = base_error_set(err, QV_PLAN,
                            "Error during planning: 'IF NOT EXISTS' cannot coexist with "
                            "'REPLACE'");
    if (st == QV_OK && !replace && exists(session, &t)) {
        if (stmt->flags & SQL_F_IF_NOT_EXISTS) {
            plan_ctx_free(pctx);
            return session_result_empty(session, out, err);
        }
        st = base_error_set(err, QV_ALREADY_EXISTS, "Execution error: Table '%s' already exists",
                            t.name);
    }
    const sql_node *columns = sql_kid(stmt, 1);
    bool has_columns = columns != NULL && columns->n_kids > 0;
    if (st == QV_OK && has_columns)
        st = session_columns_schema(pctx, columns, &schema, err);
    if (st == QV_OK && sql_kid(stmt, 2) != NULL) {
        plan_node *root = NULL;
        st = plan_bind_query(pctx, sql_kid(stmt, 2), &root, err);
        if (st == QV_OK && has_columns) {
            /* The query's columns are cast to the declared types. */
            if (root->schema.n_columns != schema->n_fields)
                st = base_error_set(err, QV_PLAN,
                                    "Error during planning: Mismatch: %d columns specified, but "
                                    "result has %d columns",
                                    schema->n_fields, root->schema.n_columns);
            plan_node *proj = st == QV_OK ? plan_node_new(pctx, PLAN_PROJECTION, 1, &root) : NULL;
            if (st == QV_OK &&
                (proj == NULL || !plan_schema_init(pctx, &proj->schema, schema->n_fields)))
                st = base_error_nomem(err, "CREATE TABLE");
            if (st == QV_OK) {
                proj->n_exprs = schema->n_fields;
                proj->exprs =
                    plan_alloc(pctx, (size_t)(schema->n_fields + 1) * sizeof(plan_expr *));
                if (proj->exprs == NULL)
                    st = base_error_nomem(err, "CREATE TABLE");
            }
            for (int32_t i = 0; st == QV_OK && i < schema->n_fields; i++) {
                plan_expr *e = plan_expr_column(pctx, &root->schema, i);
                if (e == NULL)
                    st = base_error_nomem(err, "CREATE TABLE");
                else
                    st = plan_coerce_to(pctx, e, schema->fields[i]->type, &proj->exprs[i], err);
                if (st == QV_OK)
                    proj->schema.columns[i] = (plan_column){.qualifier = NULL,
                                                            .name = schema->fields[i]->name,
                                                            .type = schema->fields[i]->type,
                                                            .nullable = true};
            }
            if (st == QV_OK)
                root = proj;
        }
        arrow_schema *query_schema = NULL;
        if (st == QV_OK)
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
    if (st == QV_OK)
        st = catalog_register_table(session->catalog, t.catalog_name, t.schema_name, t.name, table,
                                    replace, err);
    catalog_table_release(table);
    exec_batches_free(batches, n_batches);
    arrow_schema_release(schema);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}

qv_status session_create_view(qv_session *session, const sql_node *stmt, qv_result **out,
                              qv_error *err)
{
    if (stmt->flags & SQL_F_MATERIALIZED)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: materialized views");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    table_name t;
    qv_status st = resolve(pctx, sql_kid(stmt, 0), &t, err);
    bool replace = (stmt->flags & SQL_F_OR_REPLACE) != 0;
    if (st == QV_OK && !replace && exists(session, &t)) {
        if (stmt->flags & SQL_F_IF_NOT_EXISTS) {
            plan_ctx_free(pctx);
            return session_result_empty(session, out, err);
        }
        st = base_error_set(err, QV_ALREADY_EXISTS, "Execution error: Table '%s' already exists",
                            t.name);
    }
    /* Bind once to report errors now; the text is re-bound where used. */
    plan_node *root = NULL;
    if (st == QV_OK)
        st = plan_bind_query(pctx, sql_kid(stmt, 2), &root, err);
    base_strbuf sb;
    base_strbuf_init(&sb);
    const sql_node *columns = sql_kid(stmt, 1);
    if (columns != NULL && columns->n_kids > 0) {
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

qv_status session_drop(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err)
{
    if (stmt->op != SQL_OBJ_TABLE && stmt->op != SQL_OBJ_VIEW)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: DROP of this kind of object");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    const sql_node *names = sql_kid(stmt, 0);
    catalog_entry_kind kind = stmt->op == SQL_OBJ_TABLE ? CATALOG_ENTRY_TABLE : CATALOG_ENTRY_VIEW;
    qv_status st = QV_OK;
    for (uint32_t i = 0; names != NULL && i < names->n_kids && st == QV_OK; i++) {
        table_name t;
        st = resolve(pctx, names->kids[i], &t, err);
        bool found = false;
        if (st == QV_OK)
            st = catalog_deregister(session->catalog, t.catalog_name, t.schema_name, t.name, kind,
                                    &found, err);
        if (st == QV_OK && !found && !(stmt->flags & SQL_F_IF_EXISTS))
            st = base_error_set(err, QV_NOT_FOUND, "Execution error: %s '%s' doesn't exist.",
                                kind == CATALOG_ENTRY_TABLE ? "Table" : "View", t.name);
    }
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}
