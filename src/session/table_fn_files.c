/*
 * table_fn_files.c — read_csv, read_json, read_parquet and read_arrow in
 * FROM (layer: session): DataFusion's ReadCsvFunc and its siblings, a
 * listing table over one path (a file, a directory, or a glob) in the
 * named format with the session's defaults for it, its schema inferred
 * now. The format is only passed on: the listing table machinery
 * (src/catalog/listing*.c) reads whichever CATALOG_FORMAT_* it knows.
 * Also the listing table a path names (session_path_table), shared with
 * SELECT * FROM 'file.csv' (url_table.c).
 */
#include <stdio.h>
#include <string.h>

#include "session/files_int.h"
#include "session/table_fn_int.h"

qv_status session_path_table(qv_session *session, const char *path, catalog_file_format format,
                             catalog_table **out, qv_error *err)
{
    *out = NULL;
    bool directory = io_path_kind(path) == IO_PATH_DIRECTORY;
    const char *base = strrchr(path, '/');
    fmt_compression compression =
        directory ? QV_COMPRESSION_NONE : fmt_compression_of_name(base ? base + 1 : path, NULL);
    session_file_format ff;
    session_file_format_init(&ff, format, session->config);
    ff.csv.compression = ff.json.compression = ff.compression = compression;
    /* a directory (or glob) keeps the files of the format, as DataFusion's
     * file_extension does; a named file is read whatever its name */
    char extension[32];
    snprintf(extension, sizeof extension, ".%s", catalog_file_format_extension(format));
    catalog_listing_options lo;
    catalog_listing_options_init(&lo);
    lo.format = format;
    lo.csv = ff.csv;
    lo.csv_write = ff.csv_write;
    lo.json = ff.json;
    lo.parquet = ff.parquet;
    lo.paths = &path;
    lo.n_paths = 1;
    lo.file_extension = io_path_kind(path) == IO_PATH_FILE ? "" : extension;
    lo.file_cache = session->profile->runtime->file_cache;
    lo.ignore_subdirectory =
        config_get_bool(session->config, "datafusion.execution.listing_table_ignore_subdirectory");
    lo.repartition_file_scans =
        config_get_bool(session->config, "datafusion.optimizer.repartition_file_scans");
    lo.repartition_file_min_size =
        config_get_int(session->config, "datafusion.optimizer.repartition_file_min_size");
    qv_status st = catalog_listing_table_new(&lo, out, err);
    session_file_format_clear(&ff);
    return st;
}

/* The one argument of read_<format>: a string literal path. */
static qv_status read_path(const char *fn_name, int32_t n_args, arrow_array *const *args,
                           const char **path, char *buf, size_t buf_size, qv_error *err)
{
    if (n_args != 1)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: %s requires exactly 1 argument (path), got "
                              "%d",
                              fn_name, (int)n_args);
    const arrow_array *arg = args[0];
    arrow_type_id id = arg != NULL ? arg->type->id : QV_TYPE_NULL;
    bool text = id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW;
    if (arg == NULL || !text || !arrow_array_is_valid(arg, 0)) {
        /* DataFusion quotes the literal's ScalarValue (without Literal(...)) */
        char *shown = arg != NULL ? session_table_fn_literal(arg) : NULL;
        const char *inner = shown != NULL ? shown + strlen("Literal(") : "expression";
        size_t inner_len = shown != NULL ? strlen(inner) - strlen(", None)") : strlen(inner);
        qv_status st = base_error_set(err, QV_PLAN,
                                      "Error during planning: %s requires a string literal path "
                                      "argument, got %.*s",
                                      fn_name, (int)inner_len, inner);
        base_free(shown);
        return st;
    }
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_status st = arrow_format_value(arg, 0, &sb, err);
    if (st == QV_OK && (base_strbuf_failed(&sb) || sb.len >= buf_size))
        st = base_error_set(err, QV_PLAN, "Error during planning: %s: path too long", fn_name);
    if (st == QV_OK) {
        memcpy(buf, base_strbuf_cstr(&sb), sb.len + 1);
        *path = buf;
    }
    base_strbuf_free(&sb);
    return st;
}

static qv_status read_format(qv_session *session, const char *fn_name, catalog_file_format format,
                             int32_t n_args, arrow_array *const *args, catalog_table **out,
                             qv_error *err)
{
    *out = NULL;
    char buf[4096];
    const char *path = NULL;
    QV_TRY(read_path(fn_name, n_args, args, &path, buf, sizeof buf, err));
    return session_path_table(session, path, format, out, err);
}

qv_status session_read_csv(qv_session *session, int32_t n_args, arrow_array *const *args,
                           catalog_table **out, qv_error *err)
{
    return read_format(session, "read_csv", CATALOG_FORMAT_CSV, n_args, args, out, err);
}

qv_status session_read_json(qv_session *session, int32_t n_args, arrow_array *const *args,
                            catalog_table **out, qv_error *err)
{
    return read_format(session, "read_json", CATALOG_FORMAT_NDJSON, n_args, args, out, err);
}

qv_status session_read_parquet(qv_session *session, int32_t n_args, arrow_array *const *args,
                               catalog_table **out, qv_error *err)
{
    return read_format(session, "read_parquet", CATALOG_FORMAT_PARQUET, n_args, args, out, err);
}

qv_status session_read_arrow(qv_session *session, int32_t n_args, arrow_array *const *args,
                             catalog_table **out, qv_error *err)
{
    return read_format(session, "read_arrow", CATALOG_FORMAT_ARROW, n_args, args, out, err);
}
