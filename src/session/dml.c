/*
 * dml.c — INSERT, DELETE and UPDATE (layer: session): the rows to insert
 * are a query cast to the table's columns (columns left out take their
 * DEFAULT, column_defaults.c, or NULL); DELETE and UPDATE hand the
 * table provider a row filter and a row updater that evaluate the bound
 * WHERE clause and assignments on the provider's batches.
 */
#include <string.h>

#include "func/select.h"
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

/* The columns an INSERT writes, as DataFusion's insert_to_plan finds them:
 * the listed ones (each a table column, none twice) or all. *target gets
 * their plan schema (unqualified, the table's types and nullability),
 * map[j] the position in that list of table column j, or -1. */
static qv_status insert_columns(plan_ctx *pctx, const arrow_schema *table_schema,
                                const sql_node *columns, plan_schema *target, int32_t *map,
                                qv_error *err)
{
    int32_t n_table = table_schema->n_fields;
    plan_schema all;
    if (!plan_schema_init(pctx, &all, n_table))
        return base_error_nomem(err, "INSERT");
    for (int32_t j = 0; j < n_table; j++)
        all.columns[j] = (plan_column){.name = table_schema->fields[j]->name,
                                       .type = table_schema->fields[j]->type,
                                       .nullable = table_schema->fields[j]->nullable};
    int32_t n_listed = columns != NULL ? (int32_t)columns->n_kids : 0;
    if (n_listed == 0) {
        for (int32_t j = 0; j < n_table; j++)
            map[j] = j;
        *target = all;
        return QV_OK;
    }
    if (!plan_schema_init(pctx, target, n_listed))
        return base_error_nomem(err, "INSERT");
    for (int32_t j = 0; j < n_table; j++)
        map[j] = -1;
    for (int32_t k = 0; k < n_listed; k++) {
        /* Bound as a column of the table: an unknown name gets the
         * binder's "No field named" message. */
        plan_expr *col = NULL;
        QV_TRY(plan_bind_expr(pctx, columns->kids[k], &all, &col, err));
        int32_t j = col->kind == PLAN_EXPR_COLUMN ? col->column : -1;
        if (j < 0)
            return base_error_set(err, QV_PLAN, "Error during planning: invalid INSERT column");
        if (map[j] >= 0)
            return base_error_set(err, QV_SCHEMA,
                                  "Schema error: Schema contains duplicate unqualified field "
                                  "name %s",
                                  all.columns[j].name);
        map[j] = k;
        target->columns[k] = all.columns[j];
    }
    return QV_OK;
}

/* The value of table column j an INSERT writes: the source's column, else
 * the column's DEFAULT, else NULL; cast to the column's type. */
static qv_status insert_value(plan_ctx *pctx, catalog_table *table, plan_node *source,
                              const int32_t *map, int32_t j, plan_expr **out, qv_error *err)
{
    arrow_field *f = table->schema->fields[j];
    plan_expr *e = NULL;
    if (map[j] >= 0) {
        e = plan_expr_column(pctx, &source->schema, map[j]);
    } else {
        QV_TRY(session_bind_column_default(pctx, table, j, &e, err));
        if (e == NULL) {
            arrow_array *null_value = NULL;
            QV_TRY(arrow_array_new_null(f->type, 1, &null_value, err));
            e = plan_expr_literal(pctx, null_value);
        }
    }
    if (e == NULL)
        return base_error_nomem(err, "INSERT");
    return plan_coerce_to(pctx, e, f->type, out, err);
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
    arrow_schema *table_schema = st == QV_OK ? entry.table->schema : NULL;
    int32_t n_table = table_schema ? table_schema->n_fields : 0;
    /* map[j]: source column for table column j, or -1 (DEFAULT / NULL). */
    int32_t *map = plan_alloc(pctx, (size_t)(n_table + 1) * sizeof *map);
    if (st == QV_OK && map == NULL)
        st = base_error_nomem(err, "INSERT");
    plan_schema target = {0};
    if (st == QV_OK)
        st = insert_columns(pctx, table_schema, sql_kid(stmt, 1), &target, map, err);
    /* VALUES in the source are bound to the target columns. */
    plan_node *source = NULL;
    pctx->insert_target = &target;
    if (st == QV_OK)
        st = plan_bind_query(pctx, sql_kid(stmt, 2), &source, err);
    pctx->insert_target = NULL;
    if (st == QV_OK && source->schema.n_columns != target.n_columns)
        st = base_error_set(err, QV_PLAN,
                            "Error during planning: Column count doesn't match insert query!");
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
        st = insert_value(pctx, entry.table, source, map, j, &proj->exprs[j], err);
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

/* Column c of batch with the rows mask selects replaced, in order, by
 * the rows of `values` (a null in the mask counts as false). */
static qv_status scatter_column(arrow_batch *batch, int32_t c, arrow_array *mask,
                                arrow_array *values, arrow_array **out, qv_error *err)
{
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(batch->schema->fields[c]->type, &b, err));
    const uint8_t *bits = arrow_array_values(mask);
    qv_status st = QV_OK;
    for (int64_t r = 0, k = 0; r < batch->n_rows && st == QV_OK; r++) {
        bool sel = arrow_array_is_valid(mask, r) && arrow_bit_get(bits, mask->offset + r);
        st = sel ? arrow_builder_append_from(b, values, k++, err)
                 : arrow_builder_append_from(b, batch->columns[c], r, err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

/* The assignments are evaluated on the rows WHERE selects only, as
 * DataFusion's plan filters before it projects (SET x = 1 / d WHERE d <> 0
 * never divides by zero). */
static qv_status update_rows(const catalog_row_updater *updater, arrow_batch *batch,
                             arrow_batch **out, qv_error *err)
{
    row_eval *re = updater->state;
    arrow_array **cols = base_calloc((size_t)(re->n_columns + 1), sizeof *cols);
    if (cols == NULL)
        return base_error_nomem(err, "UPDATE");
    arrow_array *mask = NULL;
    arrow_batch *selected = NULL;
    qv_status st = QV_OK;
    if (re->predicate != NULL) {
        st = exec_expr_eval_array(re->predicate, batch, &re->call, &mask, err);
        if (st == QV_OK)
            st = func_filter_batch(batch, mask, &selected, err);
    } else {
        selected = arrow_batch_retain(batch);
    }
    for (int32_t c = 0; c < re->n_columns && st == QV_OK; c++) {
        if (re->assign[c] == NULL) {
            cols[c] = arrow_array_retain(batch->columns[c]);
            continue;
        }
        arrow_array *values = NULL;
        st = exec_expr_eval_array(re->assign[c], selected, &re->call, &values, err);
        if (st == QV_OK && mask != NULL)
            st = scatter_column(batch, c, mask, values, &cols[c], err);
        else if (st == QV_OK)
            cols[c] = arrow_array_retain(values);
        arrow_array_release(values);
    }
    if (st == QV_OK)
        st = arrow_batch_new(batch->schema, batch->n_rows, cols, out, err);
    for (int32_t c = 0; c < re->n_columns; c++)
        arrow_array_release(cols[c]);
    base_free(cols);
    arrow_array_release(mask);
    arrow_batch_release(selected);
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

/* The name of a table as DataFusion displays a table reference: the parts
 * written ("t", "s.t" or "c.s.t"), normalised. */
static const char *written_table_name(plan_ctx *pctx, const sql_node *name, const char *cat,
                                      const char *schema, const char *table)
{
    uint32_t n_parts = name->kind == SQL_NAME ? name->n_kids : 1;
    base_strbuf sb;
    base_strbuf_init(&sb);
    if (n_parts >= 3)
        base_strbuf_appendf(&sb, "%s.", cat);
    if (n_parts >= 2)
        base_strbuf_appendf(&sb, "%s.", schema);
    base_strbuf_append_str(&sb, table);
    const char *text = base_strbuf_failed(&sb) ? NULL : plan_strdup(pctx, base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return text;
}

qv_status session_truncate(qv_session *session, const sql_node *stmt, qv_result **out,
                           qv_error *err)
{
    (void)out;
    /* DataFusion's planner refuses every option of TRUNCATE. */
    const sql_node *names = sql_kid(stmt, 0);
    if (names == NULL || names->n_kids != 1)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: TRUNCATE with multiple tables is "
                              "not supported");
    if (sql_kid(stmt, 1) != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: TRUNCATE with PARTITION is not "
                              "supported");
    if (stmt->flags & (SQL_F_RESTART_IDENTITY | SQL_F_CONTINUE_IDENTITY))
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: TRUNCATE with RESTART/CONTINUE "
                              "IDENTITY is not supported");
    if (stmt->flags & (SQL_F_CASCADE | SQL_F_RESTRICT))
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: TRUNCATE with CASCADE/RESTRICT is "
                              "not supported");
    if (stmt->flags & SQL_F_ONLY)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: TRUNCATE with ONLY is not "
                              "supported");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    const sql_node *name = names->kids[0];
    const char *cat = NULL, *schema = NULL, *table = NULL;
    catalog_entry entry = {0};
    qv_status st = plan_resolve_table_name(pctx, name, &cat, &schema, &table, err);
    if (st == QV_OK) {
        st = catalog_lookup(session->catalog, cat, schema, table, &entry, err);
        if (st == QV_NOT_FOUND)
            st = base_error_set(err, QV_PLAN, "Error during planning: table '%s.%s.%s' not found",
                                cat, schema, table);
    }
    /* No provider truncates (DataFusion's memory and listing tables do
     * not either): the physical planner's refusal. */
    if (st == QV_OK) {
        const char *written = written_table_name(pctx, name, cat, schema, table);
        st = base_error_set(err, QV_NOT_IMPLEMENTED,
                            "TRUNCATE operation on table '%s'\ncaused by\nThis feature is not "
                            "implemented: TRUNCATE not supported for %s table",
                            written != NULL ? written : table,
                            entry.kind == CATALOG_ENTRY_VIEW ? "View" : "Base");
        catalog_entry_clear(&entry);
    }
    plan_ctx_free(pctx);
    return st;
}
