/*
 * dml.c — INSERT, DELETE and UPDATE (layer: session): the rows to insert
 * are a query cast to the table's columns; DELETE and UPDATE hand the
 * table provider a row filter and a row updater that evaluate the bound
 * WHERE clause and assignments on the provider's batches.
 */
#include <string.h>

#include "session/session_int.h"

/* The table a DML statement names, as a catalog entry (table kind). */
static qv_status target_table(qv_session *session, plan_ctx *pctx, const sql_node *name,
                              catalog_entry *entry, qv_error *err)
{
    const char *cat, *schema, *table;
    QV_TRY(plan_resolve_table_name(pctx, name, &cat, &schema, &table, err));
    qv_status st = catalog_lookup(session->catalog, cat, schema, table, entry, err);
    if (st == QV_NOT_FOUND)
        return base_error_set(err, QV_PLAN, "Error during planning: table '%s.%s.%s' not found",
                              cat, schema, table);
    QV_TRY(st);
    if (entry->kind != CATALOG_ENTRY_TABLE) {
        catalog_entry_clear(entry);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: %s is a view; DML needs a table", table);
    }
    return QV_OK;
}

/* The table's columns as a plan schema qualified by its name. */
static bool table_plan_schema(plan_ctx *pctx, const catalog_entry *entry, plan_schema *out)
{
    arrow_schema *schema = entry->table->schema;
    if (!plan_schema_init(pctx, out, schema->n_fields))
        return false;
    const char *qualifier = plan_strdup(pctx, entry->table_name);
    for (int32_t i = 0; i < schema->n_fields; i++)
        out->columns[i] = (plan_column){.qualifier = qualifier,
                                        .name = schema->fields[i]->name,
                                        .type = schema->fields[i]->type,
                                        .nullable = schema->fields[i]->nullable};
    return qualifier != NULL;
}

qv_status session_insert(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err)
{
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    catalog_entry entry = {0};
    arrow_batch **batches = NULL;
    int64_t n_batches = 0, n_rows = 0;
    qv_status st = target_table(session, pctx, sql_kid(stmt, 0), &entry, err);
    if (st == QV_OK && entry.table->ops->insert == NULL)
        st = base_error_set(err, QV_NOT_IMPLEMENTED,
                            "This feature is not implemented: Insert into not implemented for "
                            "this table");
    plan_node *source = NULL;
    if (st == QV_OK)
        st = plan_bind_query(pctx, sql_kid(stmt, 2), &source, err);
    arrow_schema *table_schema = st == QV_OK ? entry.table->schema : NULL;
    int32_t n_table = table_schema ? table_schema->n_fields : 0;
    const sql_node *columns = sql_kid(stmt, 1);
    int32_t n_listed = columns ? (int32_t)columns->n_kids : 0;
    /* map[j]: source column for table column j, or -1 (NULL). */
    int32_t *map = plan_alloc(pctx, (size_t)(n_table + 1) * sizeof *map);
    if (st == QV_OK && map == NULL)
        st = base_error_nomem(err, "INSERT");
    if (st == QV_OK && n_listed == 0) {
        if (source->schema.n_columns != n_table)
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: Inserting query must have the same "
                                "schema length as the table. Expected table schema length: %d, "
                                "got: %d",
                                n_table, source->schema.n_columns);
        for (int32_t j = 0; j < n_table; j++)
            map[j] = j;
    } else if (st == QV_OK) {
        for (int32_t j = 0; j < n_table; j++)
            map[j] = -1;
        if (source->schema.n_columns != n_listed)
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: Column count doesn't match insert query!");
        for (int32_t k = 0; k < n_listed && st == QV_OK; k++) {
            const char *name = plan_ident(pctx, columns->kids[k]);
            int32_t j = name ? arrow_schema_find(table_schema, name) : -1;
            if (j < 0)
                st = base_error_set(err, QV_SCHEMA, "Schema error: No field named %s.",
                                    name ? name : "?");
            else
                map[j] = k;
        }
    }
    plan_node *proj = NULL;
    if (st == QV_OK) {
        proj = plan_node_new(pctx, PLAN_PROJECTION, 1, &source);
        if (proj == NULL || !plan_schema_init(pctx, &proj->schema, n_table) ||
            (proj->exprs = plan_alloc(pctx, (size_t)(n_table + 1) * sizeof *proj->exprs)) == NULL)
            st = base_error_nomem(err, "INSERT");
        else
            proj->n_exprs = n_table;
    }
    for (int32_t j = 0; j < n_table && st == QV_OK; j++) {
        arrow_field *f = table_schema->fields[j];
        plan_expr *e = NULL;
        if (map[j] >= 0) {
            e = plan_expr_column(pctx, &source->schema, map[j]);
        } else {
            arrow_array *null_value = NULL;
            st = arrow_array_new_null(f->type, 1, &null_value, err);
            if (st == QV_OK)
                e = plan_expr_literal(pctx, null_value);
        }
        if (st == QV_OK && e == NULL)
            st = base_error_nomem(err, "INSERT");
        if (st == QV_OK)
            st = plan_coerce_to(pctx, e, f->type, &proj->exprs[j], err);
        proj->schema.columns[j] =
            (plan_column){.qualifier = NULL, .name = f->name, .type = f->type, .nullable = true};
    }
    arrow_schema *got = NULL;
    if (st == QV_OK)
        st = session_collect_plan(session, proj, &batches, &n_batches, &got, err);
    arrow_schema_release(got);
    if (st == QV_OK)
        st = session_conform_batches(table_schema, batches, n_batches, err);
    for (int64_t i = 0; st == QV_OK && i < n_batches; i++)
        n_rows += batches[i]->n_rows;
    if (st == QV_OK)
        st = entry.table->ops->insert(entry.table, &session->catalog_identity, batches, n_batches,
                                      (stmt->flags & SQL_F_OVERWRITE) != 0, err);
    exec_batches_free(batches, n_batches);
    catalog_entry_clear(&entry);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_count(session, (uint64_t)n_rows, out, err);
}

/* ---- DELETE / UPDATE callbacks ---- */

typedef struct row_eval {
    const plan_expr *predicate; /* NULL: every row */
    int32_t n_columns;
    plan_expr **assign; /* UPDATE: new value per column, NULL: unchanged */
    func_call_ctx call;
} row_eval;

static qv_status filter_rows(const catalog_row_filter *filter, arrow_batch *batch,
                             arrow_array **mask, qv_error *err)
{
    row_eval *re = filter->state;
    return exec_expr_eval_array(re->predicate, batch, &re->call, mask, err);
}

static qv_status update_rows(const catalog_row_updater *updater, arrow_batch *batch,
                             arrow_batch **out, qv_error *err)
{
    row_eval *re = updater->state;
    arrow_array **cols = base_calloc((size_t)(re->n_columns + 1), sizeof *cols);
    if (cols == NULL)
        return base_error_nomem(err, "UPDATE");
    qv_status st = QV_OK;
    for (int32_t c = 0; c < re->n_columns && st == QV_OK; c++) {
        if (re->assign[c] == NULL)
            cols[c] = arrow_array_retain(batch->columns[c]);
        else
            st = exec_expr_eval_array(re->assign[c], batch, &re->call, &cols[c], err);
    }
    if (st == QV_OK)
        st = arrow_batch_new(batch->schema, batch->n_rows, cols, out, err);
    for (int32_t c = 0; c < re->n_columns; c++)
        arrow_array_release(cols[c]);
    base_free(cols);
    return st;
}

/* Binds WHERE (may be NULL) over the table to a Boolean predicate. */
static qv_status bind_where(plan_ctx *pctx, const sql_node *where, const plan_schema *schema,
                            plan_expr **out, qv_error *err)
{
    *out = NULL;
    if (where == NULL)
        return QV_OK;
    QV_TRY(plan_bind_expr(pctx, where, schema, out, err));
    if ((*out)->type->id != QV_TYPE_BOOLEAN)
        return plan_coerce_to(pctx, *out, arrow_type_primitive(QV_TYPE_BOOLEAN), out, err);
    return QV_OK;
}

qv_status session_delete(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err)
{
    if (sql_kid(stmt, 2) != NULL || sql_kid(stmt, 3) != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: DELETE with ORDER BY / LIMIT");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    catalog_entry entry = {0};
    plan_schema schema = {0};
    row_eval re = {0};
    int64_t count = 0;
    session_call_ctx(session, &re.call);
    qv_status st = target_table(session, pctx, sql_kid(stmt, 0), &entry, err);
    if (st == QV_OK && !table_plan_schema(pctx, &entry, &schema))
        st = base_error_nomem(err, "DELETE");
    if (st == QV_OK)
        st = bind_where(pctx, sql_kid(stmt, 1), &schema, (plan_expr **)&re.predicate, err);
    if (st == QV_OK && entry.table->ops->delete_rows == NULL)
        st = base_error_set(err, QV_NOT_IMPLEMENTED,
                            "This feature is not implemented: DELETE on this table");
    catalog_row_filter filter = {filter_rows, &re};
    if (st == QV_OK)
        st = entry.table->ops->delete_rows(entry.table, &session->catalog_identity,
                                           re.predicate ? &filter : NULL, &count, err);
    catalog_entry_clear(&entry);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_count(session, (uint64_t)count, out, err);
}

qv_status session_update(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err)
{
    if (sql_kid(stmt, 2) != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: UPDATE ... FROM");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    catalog_entry entry = {0};
    plan_schema schema = {0};
    row_eval re = {0};
    int64_t count = 0;
    session_call_ctx(session, &re.call);
    const sql_node *table_ref = sql_kid(stmt, 0);
    qv_status st =
        target_table(session, pctx,
                     table_ref->kind == SQL_TABLE ? sql_kid(table_ref, 0) : table_ref, &entry, err);
    if (st == QV_OK && !table_plan_schema(pctx, &entry, &schema))
        st = base_error_nomem(err, "UPDATE");
    if (st == QV_OK)
        st = bind_where(pctx, sql_kid(stmt, 3), &schema, (plan_expr **)&re.predicate, err);
    if (st == QV_OK) {
        re.n_columns = schema.n_columns;
        re.assign = plan_alloc(pctx, (size_t)(schema.n_columns + 1) * sizeof *re.assign);
        if (re.assign == NULL)
            st = base_error_nomem(err, "UPDATE");
    }
    const sql_node *sets = sql_kid(stmt, 1);
    for (uint32_t i = 0; st == QV_OK && sets != NULL && i < sets->n_kids; i++) {
        const sql_node *assign = sets->kids[i];
        const sql_node *target = sql_kid(assign, 0);
        const sql_node *last = target->kind == SQL_NAME ? target->kids[target->n_kids - 1] : target;
        const char *name = plan_ident(pctx, last);
        int32_t c = name ? arrow_schema_find(entry.table->schema, name) : -1;
        if (c < 0) {
            st = base_error_set(err, QV_SCHEMA, "Schema error: No field named %s.",
                                name ? name : "?");
            break;
        }
        plan_expr *value = NULL;
        st = plan_bind_expr(pctx, sql_kid(assign, 1), &schema, &value, err);
        if (st == QV_OK)
            st = plan_coerce_to(pctx, value, schema.columns[c].type, &re.assign[c], err);
    }
    if (st == QV_OK && entry.table->ops->update_rows == NULL)
        st = base_error_set(err, QV_NOT_IMPLEMENTED,
                            "This feature is not implemented: UPDATE on this table");
    catalog_row_filter filter = {filter_rows, &re};
    catalog_row_updater updater = {update_rows, &re};
    if (st == QV_OK)
        st = entry.table->ops->update_rows(entry.table, &session->catalog_identity,
                                           re.predicate ? &filter : NULL, &updater, &count, err);
    catalog_entry_clear(&entry);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_count(session, (uint64_t)count, out, err);
}
