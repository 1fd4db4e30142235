/*
 * ddl_external.c — CREATE [UNBOUNDED] EXTERNAL TABLE (layer: session), in
 * the order DataFusion checks it: the planner's checks (TEMPORARY, the
 * OPTIONS list, compression for binary formats, the declared columns with
 * typed PARTITIONED BY columns appended, WITH ORDER columns), then the
 * session's (the schema must exist, IF NOT EXISTS / OR REPLACE / an
 * existing name), then the ListingTableFactory's (the format, its
 * options, partition columns among the declared ones, the location's
 * extension, a `*.<ext>` glob when a directory's schema is inferred) and
 * the listing table's own (see catalog/listing.h). The table goes into the
 * session's catalog overlay, as CREATE TABLE's do.
 */
#include <ctype.h>
#include <string.h>

#include "session/files_int.h"

/* The upper-cased STORED AS name. */
static void upper_copy(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; s[n] != '\0' && n + 1 < cap; n++)
        out[n] = (char)toupper((unsigned char)s[n]);
    out[n] = '\0';
}

/* The declared columns: the column list, then PARTITIONED BY's typed
 * columns (DataFusion's parser appends them). */
static qv_status declared_schema(plan_ctx *pctx, const sql_node *stmt, arrow_schema **out,
                                 qv_error *err)
{
    *out = NULL;
    const sql_node *columns = sql_kid(stmt, 1);
    const sql_node *parts = sql_kid(stmt, 4);
    uint32_t n = (columns ? columns->n_kids : 0) + (parts ? parts->n_kids : 0);
    sql_node **kids = plan_alloc(pctx, (size_t)(n + 1) * sizeof *kids);
    if (kids == NULL)
        return base_error_nomem(err, "CREATE EXTERNAL TABLE");
    uint32_t k = 0;
    for (uint32_t i = 0; columns != NULL && i < columns->n_kids; i++)
        kids[k++] = columns->kids[i];
    for (uint32_t i = 0; parts != NULL && i < parts->n_kids; i++)
        if (parts->kids[i]->kind == SQL_COLUMN_DEF)
            kids[k++] = parts->kids[i];
    sql_node list = {.kind = SQL_LIST, .n_kids = k, .kids = kids};
    return session_columns_schema(pctx, &list, out, err);
}

/* PARTITIONED BY's names, as written (DataFusion does not normalise them). */
static qv_status partition_names(plan_ctx *pctx, const sql_node *stmt, const char ***out,
                                 int32_t *n, qv_error *err)
{
    const sql_node *parts = sql_kid(stmt, 4);
    *n = parts != NULL ? (int32_t)parts->n_kids : 0;
    *out = plan_alloc(pctx, (size_t)(*n + 1) * sizeof **out);
    if (*out == NULL)
        return base_error_nomem(err, "CREATE EXTERNAL TABLE");
    for (int32_t i = 0; i < *n; i++) {
        const sql_node *item = parts->kids[i];
        const sql_node *ident = item->kind == SQL_COLUMN_DEF ? sql_kid(item, 0) : item;
        (*out)[i] = ident->text;
    }
    return QV_OK;
}

/* WITH ORDER: every key must be a column. */
typedef struct order_keys {
    int32_t n;
    int32_t *lengths;
    catalog_sort_spec **specs; /* per ordering, per key */
} order_keys;

static qv_status read_orderings(plan_ctx *pctx, const sql_node *stmt, order_keys *out,
                                qv_error *err)
{
    const sql_node *orders = sql_kid(stmt, 5);
    memset(out, 0, sizeof *out);
    if (orders == NULL || orders->n_kids == 0)
        return QV_OK;
    out->n = (int32_t)orders->n_kids;
    out->lengths = plan_alloc(pctx, (size_t)out->n * sizeof *out->lengths);
    out->specs = plan_alloc(pctx, (size_t)out->n * sizeof *out->specs);
    if (out->lengths == NULL || out->specs == NULL)
        return base_error_nomem(err, "WITH ORDER");
    for (int32_t i = 0; i < out->n; i++) {
        const sql_node *list = orders->kids[i];
        int32_t m = (int32_t)list->n_kids;
        out->lengths[i] = m;
        out->specs[i] = plan_alloc(pctx, (size_t)(m + 1) * sizeof **out->specs);
        if (out->specs[i] == NULL)
            return base_error_nomem(err, "WITH ORDER");
        for (int32_t k = 0; k < m; k++) {
            const sql_node *item = list->kids[k];
            const sql_node *expr = sql_kid(item, 0);
            const sql_node *ident = expr != NULL && expr->kind == SQL_NAME && expr->n_kids == 1
                                        ? expr->kids[0]
                                        : (expr != NULL && expr->kind == SQL_IDENT ? expr : NULL);
            if (ident == NULL)
                return base_error_set(err, QV_NOT_IMPLEMENTED,
                                      "This feature is not implemented: WITH ORDER keys other "
                                      "than columns");
            const char *name = plan_ident(pctx, ident);
            if (name == NULL)
                return base_error_nomem(err, "WITH ORDER");
            bool desc = item->op == SQL_ORDER_DESC;
            bool nulls_first = (item->flags & SQL_F_NULLS_FIRST)  ? true
                               : (item->flags & SQL_F_NULLS_LAST) ? false
                                                                  : desc;
            out->specs[i][k] = (catalog_sort_spec){name, desc, nulls_first};
        }
    }
    return QV_OK;
}

/* The planner's check of WITH ORDER against the declared columns. */
static qv_status check_orderings(const order_keys *orders, const arrow_schema *schema,
                                 qv_error *err)
{
    for (int32_t i = 0; i < orders->n; i++)
        for (int32_t k = 0; k < orders->lengths[i]; k++)
            if (arrow_schema_find(schema, orders->specs[i][k].column) < 0)
                return base_error_set(err, QV_PLAN,
                                      "Error during planning: Column %s is not in schema",
                                      orders->specs[i][k].column);
    return QV_OK;
}

/* arrow's "Unable to get field named ..." for a partition column that is
 * not a declared column. */
static qv_status missing_field(const arrow_schema *schema, const char *name, qv_error *err)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (int32_t i = 0; i < schema->n_fields; i++)
        base_strbuf_appendf(&sb, "%s\"%s\"", i > 0 ? ", " : "", schema->fields[i]->name);
    qv_status st = base_error_set(err, QV_SCHEMA,
                                  "Arrow error: Schema error: Unable to get field named \"%s\". "
                                  "Valid fields: [%s]",
                                  name, base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return st;
}

/* The declared schema without the partition columns, and the partition
 * columns' types. */
static qv_status split_partitions(plan_ctx *pctx, arrow_schema *declared, const char *const *names,
                                  int32_t n, arrow_schema **file_schema, arrow_type ***types,
                                  qv_error *err)
{
    *types = plan_alloc(pctx, (size_t)(n + 1) * sizeof **types);
    arrow_field **fields = base_calloc((size_t)declared->n_fields + 1, sizeof *fields);
    if (*types == NULL || fields == NULL) {
        base_free(fields);
        return base_error_nomem(err, "CREATE EXTERNAL TABLE");
    }
    qv_status st = QV_OK;
    for (int32_t p = 0; p < n && st == QV_OK; p++) {
        int32_t col = arrow_schema_find(declared, names[p]);
        if (col < 0)
            st = missing_field(declared, names[p], err);
        else
            (*types)[p] = declared->fields[col]->type;
    }
    int32_t k = 0;
    for (int32_t c = 0; c < declared->n_fields && st == QV_OK; c++) {
        bool is_part = false;
        for (int32_t p = 0; p < n; p++)
            is_part |= strcmp(declared->fields[c]->name, names[p]) == 0;
        if (!is_part)
            fields[k++] = declared->fields[c];
    }
    if (st == QV_OK)
        st = arrow_schema_new(k, fields, NULL, file_schema, err);
    base_free(fields);
    return st;
}

/* DataFusion's get_extension: ".ext" of the location's last segment. */
static const char *location_extension(const char *location)
{
    const char *name = strrchr(location, '/');
    name = name != NULL ? name + 1 : location;
    const char *dot = strrchr(name, '.');
    return dot != NULL && dot != name ? dot : "";
}

static bool has_glob(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

qv_status session_factory_options(catalog_listing_options *lo, const session_file_format *ff,
                                  const config *cfg, const char *location, bool infer_schema,
                                  const char *paths[1], char **owned_path, qv_error *err)
{
    *owned_path = NULL;
    size_t len = strlen(location);
    bool collection = (len > 0 && location[len - 1] == '/') || has_glob(location) ||
                      io_path_kind(location) == IO_PATH_DIRECTORY;
    catalog_listing_options_init(lo);
    lo->format = ff->format;
    lo->csv = ff->csv;
    lo->csv_write = ff->csv_write;
    lo->json = ff->json;
    lo->parquet = ff->parquet;
    lo->parquet_write = &ff->parquet_write; /* INSERT into a Parquet table */
    lo->file_extension = collection ? "" : location_extension(location);
    if (infer_schema && collection && !has_glob(location)) {
        /* inferring from a directory reads only files of the format */
        base_strbuf sb;
        base_strbuf_init(&sb);
        base_strbuf_appendf(
            &sb, "%s%s*.%s%s", location, len > 0 && location[len - 1] == '/' ? "" : "/",
            catalog_file_format_extension(ff->format), fmt_compression_extension(ff->compression));
        *owned_path = base_strbuf_take(&sb);
        if (*owned_path == NULL)
            return base_error_nomem(err, "listing table");
    }
    paths[0] = *owned_path != NULL ? *owned_path : location;
    lo->paths = paths;
    lo->n_paths = 1;
    lo->infer_partitions =
        config_get_bool(cfg, "datafusion.execution.listing_table_factory_infer_partitions");
    lo->ignore_subdirectory =
        config_get_bool(cfg, "datafusion.execution.listing_table_ignore_subdirectory");
    lo->repartition_file_scans =
        config_get_bool(cfg, "datafusion.optimizer.repartition_file_scans");
    lo->repartition_file_min_size =
        config_get_int(cfg, "datafusion.optimizer.repartition_file_min_size");
    lo->max_parallel_output_files =
        (int32_t)config_get_int(cfg, "datafusion.execution.minimum_parallel_output_files");
    return QV_OK;
}

/* SHOW CREATE TABLE's text: DataFusion keeps the statement as its parser
 * prints it, "CREATE EXTERNAL TABLE [IF NOT EXISTS] name STORED AS TYPE
 * [WITH ORDER (keys)] LOCATION path". A new string, NULL when out of
 * memory. */
static char *definition_text(const sql_node *stmt)
{
    char file_type[64];
    upper_copy(sql_kid(stmt, 2)->text, file_type, sizeof file_type);
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "CREATE EXTERNAL TABLE ");
    if (stmt->flags & SQL_F_IF_NOT_EXISTS)
        base_strbuf_append_str(&sb, "IF NOT EXISTS ");
    sql_unparse(sql_kid(stmt, 0), &sb);
    base_strbuf_appendf(&sb, " STORED AS %s ", file_type);
    const sql_node *orders = sql_kid(stmt, 5);
    if (orders != NULL && orders->n_kids > 0) {
        base_strbuf_append_str(&sb, "WITH ORDER (");
        bool first = true;
        for (uint32_t i = 0; i < orders->n_kids; i++)
            for (uint32_t k = 0; k < orders->kids[i]->n_kids; k++) {
                base_strbuf_append_str(&sb, first ? "" : ", ");
                sql_unparse(orders->kids[i]->kids[k], &sb);
                first = false;
            }
        base_strbuf_append_str(&sb, ") ");
    }
    base_strbuf_appendf(&sb, "LOCATION %s", sql_kid(stmt, 3)->text);
    return base_strbuf_take(&sb);
}

/* Everything after the name checks: the factory's work. */
static qv_status create_provider(qv_session *session, plan_ctx *pctx, const sql_node *stmt,
                                 catalog_file_format format, const session_options *options,
                                 arrow_schema *declared, order_keys *orders, catalog_table **out,
                                 qv_error *err)
{
    const config *cfg = session->config;
    session_file_format ff;
    session_file_format_init(&ff, format, cfg);
    qv_status st = session_file_format_apply(&ff, options, err);
    const char **names = NULL;
    int32_t n_names = 0;
    arrow_schema *file_schema = NULL;
    arrow_type **types = NULL;
    if (st == QV_OK)
        st = partition_names(pctx, stmt, &names, &n_names, err);
    if (st == QV_OK && declared != NULL)
        st = split_partitions(pctx, declared, names, n_names, &file_schema, &types, err);
    const char *location = sql_kid(stmt, 3)->text;
    char *path = NULL;
    char *definition = st == QV_OK ? definition_text(stmt) : NULL;
    if (st == QV_OK && definition == NULL)
        st = base_error_nomem(err, "CREATE EXTERNAL TABLE");
    if (st == QV_OK) {
        catalog_listing_options lo;
        const char *paths[1];
        st = session_factory_options(&lo, &ff, cfg, location, declared == NULL, paths, &path, err);
        lo.schema = file_schema;
        lo.n_partitions = n_names;
        lo.partition_names = names;
        lo.partition_types = types;
        lo.unbounded = (stmt->flags & SQL_F_UNBOUNDED) != 0;
        lo.n_orderings = orders->n;
        lo.orderings = (const catalog_sort_spec *const *)orders->specs;
        lo.ordering_lengths = orders->lengths;
        lo.definition = definition;
        /* the runtime's list-files cache keeps the listing under the name */
        const char *no_catalog = NULL, *no_schema = NULL;
        lo.file_cache = session->profile->runtime->file_cache;
        if (plan_resolve_table_name(pctx, sql_kid(stmt, 0), &no_catalog, &no_schema, &lo.table_name,
                                    NULL) != QV_OK)
            lo.table_name = NULL;
        catalog_table *table = NULL;
        if (st == QV_OK)
            st = catalog_listing_table_new(&lo, &table, err);
        *out = table;
    }
    base_free(path);
    base_free(definition);
    arrow_schema_release(file_schema);
    session_file_format_clear(&ff);
    return st;
}

qv_status session_create_external_table(qv_session *session, const sql_node *stmt, qv_result **out,
                                        qv_error *err)
{
    if (stmt->flags & SQL_F_TEMPORARY)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Temporary tables not supported");
    session_options options = {0};
    QV_TRY(session_options_parse(sql_kid(stmt, 6), false, &options, err));
    plan_ctx *pctx = NULL;
    qv_status st = session_plan_ctx(session, &pctx, err);
    char file_type[64];
    upper_copy(sql_kid(stmt, 2)->text, file_type, sizeof file_type);
    const char *compression = session_options_get(&options, "format.compression");
    fmt_compression codec = QV_COMPRESSION_NONE;
    if (st == QV_OK && compression != NULL &&
        (strcmp(file_type, "PARQUET") == 0 || strcmp(file_type, "AVRO") == 0 ||
         strcmp(file_type, "ARROW") == 0) &&
        (!fmt_compression_parse(compression, &codec) || codec != QV_COMPRESSION_NONE))
        st = base_error_set(err, QV_PLAN,
                            "Error during planning: File compression type cannot be set for "
                            "PARQUET, AVRO, or ARROW files.");
    arrow_schema *declared = NULL;
    bool has_columns = false;
    const sql_node *parts = sql_kid(stmt, 4);
    for (uint32_t i = 0; parts != NULL && i < parts->n_kids; i++)
        has_columns |= parts->kids[i]->kind == SQL_COLUMN_DEF;
    has_columns |= sql_kid(stmt, 1) != NULL && sql_kid(stmt, 1)->n_kids > 0;
    if (st == QV_OK && has_columns)
        st = declared_schema(pctx, stmt, &declared, err);
    if (declared != NULL && declared->n_fields == 0) {
        arrow_schema_release(declared); /* only constraints: inferred, as DataFusion does */
        declared = NULL;
    }
    order_keys orders;
    if (st == QV_OK)
        st = read_orderings(pctx, stmt, &orders, err);
    if (st == QV_OK && declared != NULL)
        st = check_orderings(&orders, declared, err);
    const char *cat = NULL, *schema = NULL, *name = NULL;
    if (st == QV_OK)
        st = plan_resolve_table_name(pctx, sql_kid(stmt, 0), &cat, &schema, &name, err);
    if (st == QV_OK && !catalog_schema_exists(session->catalog, cat, schema))
        st = base_error_set(err, QV_PLAN, "Error during planning: failed to resolve schema: %s",
                            schema);
    bool exists = false;
    if (st == QV_OK) {
        catalog_entry entry;
        exists = catalog_lookup(session->catalog, cat, schema, name, &entry, NULL) == QV_OK;
        if (exists)
            catalog_entry_clear(&entry);
    }
    bool done = false;
    if (st == QV_OK && exists && !(stmt->flags & SQL_F_OR_REPLACE)) {
        if (stmt->flags & SQL_F_IF_NOT_EXISTS)
            done = true;
        else
            st = base_error_set(err, QV_ALREADY_EXISTS,
                                "Execution error: External table '%s' already exists", name);
    }
    catalog_file_format format = CATALOG_FORMAT_CSV;
    bool known = true;
    if (st == QV_OK && !done)
        st = session_file_format_from_name(file_type, &format, &known, err);
    if (st == QV_OK && !done && !known)
        st = base_error_set(err, QV_EXECUTION, "Execution error: Unable to find factory for %s",
                            file_type);
    catalog_table *table = NULL;
    if (st == QV_OK && !done)
        st = create_provider(session, pctx, stmt, format, &options, declared, &orders, &table, err);
    if (st == QV_OK && !done)
        st = catalog_register_table(session->catalog, cat, schema, name, table, true, err);
    catalog_table_release(table);
    arrow_schema_release(declared);
    session_options_free(&options);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}
