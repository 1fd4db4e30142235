/*
 * file_tables.c — qv_csv_table and qv_ndjson_table (layer: session): a
 * listing table made once from a path and options, handed out as a
 * qv_table to register wherever wanted.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "session/files_int.h"

void qv_file_options_init(qv_file_options *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->has_header = -1;
}

static qv_status file_table(qv_runtime *runtime, const char *path, const qv_file_options *options,
                            catalog_file_format format, qv_table **out, qv_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (runtime == NULL || path == NULL || out == NULL)
        return base_error_set(err, QV_MISUSE, "%s: runtime, path and out are required",
                              format == CATALOG_FORMAT_CSV ? "qv_csv_table" : "qv_ndjson_table");
    qv_file_options defaults;
    qv_file_options_init(&defaults);
    if (options == NULL)
        options = &defaults;
    if (options->n_partition_columns < 0 ||
        (options->n_partition_columns > 0 && options->partition_columns == NULL))
        return base_error_set(err, QV_MISUSE, "partition_columns is NULL");
    bool directory = io_path_kind(path) == IO_PATH_DIRECTORY;
    fmt_compression compression =
        directory ? QV_COMPRESSION_NONE : fmt_compression_of_name(path, NULL);
    if (options->compression != NULL && !fmt_compression_parse(options->compression, &compression))
        return base_error_set(err, QV_INVALID, "unknown compression '%s'", options->compression);
    catalog_listing_options lo;
    catalog_listing_options_init(&lo);
    lo.format = format;
    lo.csv.has_header = options->has_header != 0;
    lo.csv_write.has_header = lo.csv.has_header;
    if (options->delimiter != 0)
        lo.csv.delimiter = lo.csv_write.delimiter = (uint8_t)options->delimiter;
    if (options->quote != 0)
        lo.csv.quote = lo.csv_write.quote = (uint8_t)options->quote;
    if (options->schema_infer_max_records > 0)
        lo.csv.schema_infer_max_rec = lo.json.schema_infer_max_rec =
            options->schema_infer_max_records;
    lo.csv.compression = lo.json.compression = compression;
    char extension[32];
    snprintf(extension, sizeof extension, ".%s%s", catalog_file_format_extension(format),
             fmt_compression_extension(compression));
    lo.file_extension = options->file_extension != NULL ? options->file_extension
                        : directory                     ? extension
                                                        : "";
    lo.paths = &path;
    lo.n_paths = 1;
    lo.n_partitions = options->n_partition_columns;
    lo.partition_names = options->partition_columns;
    catalog_table *table = NULL;
    QV_TRY(catalog_listing_table_new(&lo, &table, err));
    qv_status st = session_table_new(table, out, err);
    catalog_table_release(table);
    return st;
}

qv_status qv_csv_table(qv_runtime *runtime, const char *path, const qv_file_options *options,
                       qv_table **out, qv_error *err)
{
    return file_table(runtime, path, options, CATALOG_FORMAT_CSV, out, err);
}

qv_status qv_ndjson_table(qv_runtime *runtime, const char *path, const qv_file_options *options,
                          qv_table **out, qv_error *err)
{
    return file_table(runtime, path, options, CATALOG_FORMAT_NDJSON, out, err);
}
