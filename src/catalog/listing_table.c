/*
 * listing_table.c — making a listing table (layer: catalog), as
 * DataFusion's ListingTableFactory and ListingTable do: locations parsed,
 * partition columns declared or inferred and checked against the
 * directories on disk, the file schema declared or inferred once here
 * from the files' first records; the provider's filter support (Exact for
 * partition columns), statistics, INSERT (new files written into the
 * table's directory through the file sink) and the accessors for WITH
 * ORDER and UNBOUNDED. Scans are in listing_scan.c.
 */
#include <string.h>

#include "catalog/listing_int.h"
#include "format/arrow_ipc.h" /* STORED AS ARROW */

const char *catalog_file_format_extension(catalog_file_format format)
{
    switch (format) {
    case CATALOG_FORMAT_CSV:
        return "csv";
    case CATALOG_FORMAT_NDJSON:
        return "json";
    case CATALOG_FORMAT_PARQUET:
        return "parquet";
    case CATALOG_FORMAT_ARROW:
        return "arrow";
    }
    return "";
}

void catalog_listing_options_init(catalog_listing_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->format = CATALOG_FORMAT_CSV;
    csv_options_init(&opts->csv);
    csv_write_options_init(&opts->csv_write);
    ndjson_options_init(&opts->json);
    parquet_read_options_init(&opts->parquet);
    opts->infer_partitions = true;
    opts->ignore_subdirectory = true;
    opts->repartition_file_scans = true;
    opts->repartition_file_min_size = 10 * 1024 * 1024;
    opts->max_parallel_output_files = 4;
}

/* ---- the provider ---- */

static catalog_filter_support table_supports_filter(catalog_table *table,
                                                    const catalog_predicate *predicate)
{
    return listing_predicate_supported((listing_table *)table, predicate)
               ? CATALOG_FILTER_EXACT
               : CATALOG_FILTER_UNSUPPORTED;
}

static void table_statistics(catalog_table *table, catalog_stats *out)
{
    out->n_rows = -1;
    out->n_rows_exact = false;
    out->total_bytes = -1;
    listing_files files;
    if (listing_list((listing_table *)table, false, &files, NULL) != QV_OK)
        return;
    out->total_bytes = 0;
    for (int32_t i = 0; i < files.n; i++)
        out->total_bytes += files.items[i].size;
    listing_files_free(&files);
}

static qv_status table_insert(catalog_table *table, const catalog_identity *identity,
                              arrow_batch *const *batches, int64_t n_batches, bool overwrite,
                              qv_error *err)
{
    (void)identity;
    listing_table *lt = (listing_table *)table;
    if (overwrite)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Overwrites are not implemented "
                              "yet for Listing Tables");
    const listing_location *loc = &lt->locations[0];
    if (!loc->is_collection && !lt->unbounded)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Inserting into a ListingTable backed by a "
                              "single file is not supported, URL is possibly missing a trailing "
                              "`/`. To append to an existing file use StreamTable, e.g. by using "
                              "CREATE UNBOUNDED EXTERNAL TABLE");
    catalog_sink_options so = {
        .format = lt->format,
        .csv = lt->csv_write,
        .compression =
            lt->format == CATALOG_FORMAT_CSV ? lt->csv.compression : lt->json.compression,
        .path = loc->root,
        .single_file = !loc->is_collection,
        .append = !loc->is_collection, /* an unbounded file table grows in place */
        .partition_by = (const char *const *)lt->partition_names,
        .n_partition_by = lt->n_partitions,
        .max_files = lt->max_parallel_output_files,
        .file_cache = lt->file_cache,  /* the table sees its own writes */
        .parquet = &lt->parquet_write, /* STORED AS PARQUET */
    };
    catalog_sink *sink = NULL;
    QV_TRY(catalog_sink_new(&so, table->schema, &sink, err));
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n_batches && st == QV_OK; i++)
        st = catalog_sink_write(sink, batches[i], err);
    if (st != QV_OK) {
        catalog_sink_abort(sink);
        return st;
    }
    uint64_t rows = 0;
    return catalog_sink_finish(sink, &rows, err);
}

static void table_free(catalog_table *table)
{
    listing_table *lt = (listing_table *)table;
    for (int32_t i = 0; i < lt->n_locations; i++)
        listing_location_clear(&lt->locations[i]);
    base_free(lt->locations);
    base_free(lt->extension);
    base_free(lt->cache_table);
    base_free(lt->definition);
    base_free(lt->csv_null_regex);
    base_free(lt->parquet_strings[0]);
    base_free(lt->parquet_strings[1]);
    parquet_write_options_clear(&lt->parquet_write);
    for (size_t i = 0; i < sizeof lt->write_strings / sizeof lt->write_strings[0]; i++)
        base_free(lt->write_strings[i]);
    for (int32_t i = 0; i < lt->n_partitions; i++)
        base_free(lt->partition_names[i]);
    base_free(lt->partition_names);
    for (int32_t i = 0; i < lt->n_orderings; i++)
        base_free(lt->orderings[i]);
    base_free(lt->orderings);
    base_free(lt->ordering_lengths);
    arrow_schema_release(lt->file_schema);
    base_free(lt);
}

/* SHOW CREATE TABLE (information_schema.views): a copy of the definition. */
static char *table_definition(catalog_table *table)
{
    const listing_table *lt = (const listing_table *)table;
    return lt->definition != NULL ? base_strdup(lt->definition) : NULL;
}

static const catalog_table_ops listing_ops = {
    .kind = "listing",
    .supports_filter = table_supports_filter,
    .scan = listing_scan,
    .statistics = table_statistics,
    .insert = table_insert,
    .delete_rows = NULL,
    .update_rows = NULL,
    .definition = table_definition,
    .free = table_free,
};

bool catalog_is_listing_table(const catalog_table *table)
{
    return table != NULL && table->ops == &listing_ops;
}

void catalog_listing_orderings(const catalog_table *table, int32_t *n,
                               const catalog_sort_key *const **orderings, const int32_t **lengths)
{
    *n = 0;
    *orderings = NULL;
    *lengths = NULL;
    if (!catalog_is_listing_table(table))
        return;
    const listing_table *lt = (const listing_table *)table;
    *n = lt->n_orderings;
    *orderings = (const catalog_sort_key *const *)lt->orderings;
    *lengths = lt->ordering_lengths;
}

bool catalog_listing_unbounded(const catalog_table *table)
{
    return catalog_is_listing_table(table) && ((const listing_table *)table)->unbounded;
}

/* ---- making one ---- */

/* Copies the option strings the table keeps. */
static qv_status copy_options(listing_table *lt, const catalog_listing_options *opts, qv_error *err)
{
    lt->format = opts->format;
    lt->csv = opts->csv;
    lt->json = opts->json;
    lt->parquet = opts->parquet;
    /* INSERT's Parquet writer options */
    parquet_write_options_init(&lt->parquet_write);
    if (opts->parquet_write != NULL)
        QV_TRY(parquet_write_options_copy(&lt->parquet_write, opts->parquet_write, err));
    lt->csv_write = opts->csv_write;
    lt->ignore_subdirectory = opts->ignore_subdirectory;
    lt->unbounded = opts->unbounded;
    lt->repartition_file_scans = opts->repartition_file_scans;
    lt->repartition_file_min_size = opts->repartition_file_min_size;
    lt->max_parallel_output_files =
        opts->max_parallel_output_files > 0 ? opts->max_parallel_output_files : 1;
    lt->extension = base_strdup(opts->file_extension != NULL ? opts->file_extension : "");
    if (lt->extension == NULL)
        return base_error_nomem(err, "listing table");
    /* the runtime's list-files and statistics caches (file_cache.h) */
    lt->file_cache = opts->file_cache;
    if (opts->table_name != NULL && (lt->cache_table = base_strdup(opts->table_name)) == NULL)
        return base_error_nomem(err, "listing table");
    if (opts->definition != NULL && (lt->definition = base_strdup(opts->definition)) == NULL)
        return base_error_nomem(err, "listing table");
    if (opts->csv.null_regex != NULL) {
        lt->csv_null_regex = base_strdup(opts->csv.null_regex);
        if (lt->csv_null_regex == NULL)
            return base_error_nomem(err, "listing table");
        lt->csv.null_regex = lt->csv_null_regex;
    }
    /* Parquet's INT96 coercion strings */
    const char **pq_strings[2] = {&lt->parquet.coerce_int96, &lt->parquet.coerce_int96_tz};
    for (int i = 0; i < 2; i++) {
        if (*pq_strings[i] == NULL)
            continue;
        lt->parquet_strings[i] = base_strdup(*pq_strings[i]);
        if (lt->parquet_strings[i] == NULL)
            return base_error_nomem(err, "listing table");
        *pq_strings[i] = lt->parquet_strings[i];
    }
    const char **strings[6] = {&lt->csv_write.null_value,       &lt->csv_write.date_format,
                               &lt->csv_write.datetime_format,  &lt->csv_write.time_format,
                               &lt->csv_write.timestamp_format, &lt->csv_write.timestamp_tz_format};
    for (int i = 0; i < 6; i++) {
        if (*strings[i] == NULL)
            continue;
        lt->write_strings[i] = base_strdup(*strings[i]);
        if (lt->write_strings[i] == NULL)
            return base_error_nomem(err, "listing table");
        *strings[i] = lt->write_strings[i];
    }
    return QV_OK;
}

/* WITH ORDER's column names resolved against the table's schema. */
static qv_status set_orderings(listing_table *lt, const catalog_listing_options *opts,
                               arrow_schema *schema, qv_error *err)
{
    if (opts->n_orderings == 0)
        return QV_OK;
    lt->orderings = base_calloc((size_t)opts->n_orderings, sizeof *lt->orderings);
    lt->ordering_lengths = base_calloc((size_t)opts->n_orderings, sizeof(int32_t));
    if (lt->orderings == NULL || lt->ordering_lengths == NULL)
        return base_error_nomem(err, "listing table");
    for (int32_t i = 0; i < opts->n_orderings; i++) {
        int32_t n = opts->ordering_lengths[i];
        lt->orderings[i] = base_calloc((size_t)(n > 0 ? n : 1), sizeof(catalog_sort_key));
        if (lt->orderings[i] == NULL)
            return base_error_nomem(err, "listing table");
        lt->n_orderings = i + 1;
        lt->ordering_lengths[i] = n;
        for (int32_t k = 0; k < n; k++) {
            const catalog_sort_spec *spec = &opts->orderings[i][k];
            int32_t col = arrow_schema_find(schema, spec->column);
            if (col < 0)
                return base_error_set(err, QV_PLAN,
                                      "Error during planning: Column %s is not in schema",
                                      spec->column);
            lt->orderings[i][k] = (catalog_sort_key){col, spec->descending, spec->nulls_first};
        }
    }
    return QV_OK;
}

static void append_names(base_strbuf *sb, const char *const *names, int32_t n)
{
    base_strbuf_append_char(sb, '[');
    for (int32_t i = 0; i < n; i++)
        base_strbuf_appendf(sb, "%s\"%s\"", i > 0 ? ", " : "", names[i]);
    base_strbuf_append_char(sb, ']');
}

/* ListingOptions::validate_partitions: the declared partition columns must
 * be a prefix of those found on disk (when any are). */
static qv_status validate_partitions(listing_table *lt, const char *const *names, int32_t n,
                                     qv_error *err)
{
    for (int32_t i = 0; i < lt->n_locations; i++)
        if (!lt->locations[i].is_collection)
            return base_error_set(err, QV_PLAN,
                                  "Error during planning: Can't create a partitioned table "
                                  "backed by a single file, perhaps the URL is missing a "
                                  "trailing slash?");
    char **found = NULL;
    int32_t n_found = 0;
    QV_TRY(listing_infer_partitions(lt, &found, &n_found, err));
    bool ok = n_found == 0 || n_found >= n;
    for (int32_t i = 0; ok && n_found > 0 && i < n; i++)
        ok = strcmp(found[i], names[i]) == 0;
    qv_status st = QV_OK;
    if (!ok) {
        base_strbuf a, b;
        base_strbuf_init(&a);
        base_strbuf_init(&b);
        append_names(&a, (const char *const *)found, n_found);
        append_names(&b, names, n);
        st = base_error_set(err, QV_PLAN,
                            "Error during planning: Inferred partitions to be %s, but got %s",
                            base_strbuf_cstr(&a), base_strbuf_cstr(&b));
        base_strbuf_free(&a);
        base_strbuf_free(&b);
    }
    listing_free_keys(found, n_found);
    return st;
}

/* ListingOptions::infer_schema: the files' schemas, merged; empty files are
 * left out, no file at all is an error. */
static qv_status infer_schema(listing_table *lt, arrow_schema **out, qv_error *err)
{
    listing_files files;
    QV_TRY(listing_list(lt, false, &files, err));
    if (files.n == 0) {
        char *url = listing_location_url(&lt->locations[0]);
        qv_status st = base_error_set(err, QV_PLAN,
                                      "Error during planning: No files found at %s. Cannot infer "
                                      "schema from an empty location; either add data files or "
                                      "declare an explicit schema for the table.",
                                      url != NULL ? url : lt->locations[0].root);
        base_free(url);
        return st;
    }
    const char **paths = base_calloc((size_t)files.n, sizeof *paths);
    if (paths == NULL) {
        listing_files_free(&files);
        return base_error_nomem(err, "schema inference");
    }
    int32_t n = 0;
    for (int32_t i = 0; i < files.n; i++)
        if (files.items[i].size > 0)
            paths[n++] = files.items[i].path;
    qv_status st = lt->format == CATALOG_FORMAT_CSV ? csv_infer_files(paths, n, &lt->csv, out, err)
                   : lt->format == CATALOG_FORMAT_PARQUET
                       ? parquet_infer_files(paths, n, &lt->parquet, out, err)
                   : lt->format == CATALOG_FORMAT_ARROW /* Arrow IPC files */
                       ? arrow_ipc_infer_files(paths, n, out, err)
                       : ndjson_infer_files(paths, n, &lt->json, out, err);
    base_free(paths);
    listing_files_free(&files);
    return st;
}

/* The table schema: the file columns, then the partition columns
 * (non-nullable, as DataFusion makes them). */
static qv_status table_schema(listing_table *lt, arrow_type *const *types, arrow_schema **out,
                              qv_error *err)
{
    int32_t n_file = lt->file_schema->n_fields;
    int32_t n = n_file + lt->n_partitions;
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "listing table schema");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n_file; i++)
        fields[i] = arrow_field_retain(lt->file_schema->fields[i]);
    for (int32_t p = 0; p < lt->n_partitions && st == QV_OK; p++) {
        arrow_type *type =
            types != NULL && types[p] != NULL ? types[p] : arrow_type_primitive(QV_TYPE_UTF8);
        st = arrow_field_new(lt->partition_names[p], type, false, NULL, &fields[n_file + p], err);
    }
    if (st == QV_OK)
        st = arrow_schema_new(n, fields, NULL, out, err);
    for (int32_t i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    base_free(fields);
    return st;
}

static qv_status set_partition_names(listing_table *lt, const char *const *names, int32_t n,
                                     qv_error *err)
{
    if (n == 0)
        return QV_OK;
    lt->partition_names = base_calloc((size_t)n, sizeof *lt->partition_names);
    if (lt->partition_names == NULL)
        return base_error_nomem(err, "listing table");
    for (int32_t i = 0; i < n; i++) {
        lt->partition_names[i] = base_strdup(names[i]);
        if (lt->partition_names[i] == NULL)
            return base_error_nomem(err, "listing table");
        lt->n_partitions = i + 1;
    }
    return QV_OK;
}

/* Everything but the table header: locations, options, partitions, the
 * file schema. lt->n_partitions stays 0 while the files are listed for
 * inference, so that no partition layout filters them yet. */
static qv_status build(listing_table *lt, const catalog_listing_options *opts,
                       arrow_schema **schema, qv_error *err)
{
    QV_TRY(copy_options(lt, opts, err));
    lt->locations = base_calloc((size_t)opts->n_paths, sizeof *lt->locations);
    if (lt->locations == NULL)
        return base_error_nomem(err, "listing table");
    for (int32_t i = 0; i < opts->n_paths; i++) {
        QV_TRY(listing_location_parse(opts->paths[i], &lt->locations[i], err));
        lt->n_locations = i + 1;
    }
    char **inferred = NULL;
    int32_t n_inferred = 0;
    const char *const *names = opts->partition_names;
    int32_t n_names = opts->n_partitions;
    if (n_names == 0 && opts->infer_partitions && opts->schema == NULL) {
        QV_TRY(listing_infer_partitions(lt, &inferred, &n_inferred, err));
        names = (const char *const *)inferred;
        n_names = n_inferred;
    }
    qv_status st = QV_OK;
    if (n_names > 0)
        st = validate_partitions(lt, names, n_names, err);
    if (st == QV_OK && opts->schema != NULL)
        lt->file_schema = arrow_schema_retain(opts->schema);
    else if (st == QV_OK)
        st = infer_schema(lt, &lt->file_schema, err);
    if (st == QV_OK)
        st = set_partition_names(lt, names, n_names, err);
    listing_free_keys(inferred, n_inferred);
    QV_TRY(st);
    lt->n_file_columns = lt->file_schema->n_fields;
    QV_TRY(table_schema(lt, n_inferred > 0 ? NULL : opts->partition_types, schema, err));
    return set_orderings(lt, opts, *schema, err);
}

qv_status catalog_listing_table_new(const catalog_listing_options *opts, catalog_table **out,
                                    qv_error *err)
{
    *out = NULL;
    if (opts == NULL || opts->n_paths < 1 || opts->paths == NULL)
        return base_error_set(err, QV_MISUSE, "a listing table needs at least one location");
    listing_table *lt = base_calloc(1, sizeof *lt);
    if (lt == NULL)
        return base_error_nomem(err, "listing table");
    arrow_schema *schema = NULL;
    qv_status st = build(lt, opts, &schema, err);
    if (st != QV_OK) {
        arrow_schema_release(schema);
        table_free(&lt->base);
        return st;
    }
    catalog_table_init(&lt->base, &listing_ops, schema);
    arrow_schema_release(schema);
    *out = &lt->base;
    return QV_OK;
}
