/*
 * file_sink.c — writing batches as CSV / NDJSON files (layer: catalog),
 * for COPY TO and INSERT INTO a listing table, as DataFusion's demuxer and
 * file sinks lay them out:
 *   - one file (COPY to a path with an extension, or an unbounded file
 *     table growing in place);
 *   - a directory of `<write id>_<n>.<ext>` files, batches dealt
 *     round-robin to up to max_files files, each made when its first batch
 *     comes (the row_count_demuxer with minimum_parallel_output_files);
 *   - hive directories `col=value/...` holding one `<write id>.<ext>` file
 *     per partition value combination; the partition columns are left out
 *     of the files unless kept.
 * Each file gets its own writer (so each CSV file has its header; Parquet
 * files their own row groups and footer) and is staged until the sink
 * finishes.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog/listing.h"
#include "format/arrow_ipc.h" /* STORED AS ARROW */

typedef struct sink_file {
    char *key; /* partition directory ("" without partitions) */
    fmt_output *out;
    csv_writer *csv;
    arrow_ipc_writer *ipc;   /* Arrow IPC files: the file's writer */
    parquet_writer *parquet; /* Parquet files: the file's writer */
} sink_file;

struct catalog_sink {
    catalog_sink_options opts;
    char *strings[7];              /* owned copies of the path and csv strings */
    parquet_write_options parquet; /* Parquet files (owned copy) */
    arrow_schema *schema;
    arrow_schema *data_schema; /* what the files hold */
    int32_t *part_cols;        /* schema indexes of the partition columns */
    int32_t *data_cols;        /* schema indexes of the file columns */
    int32_t n_data;
    char write_id[17];
    char extension[16];
    sink_file *files;
    int32_t n_files, files_cap;
    int64_t next_file;
    uint64_t rows;
    base_strbuf text;
};

static _Atomic uint64_t write_counter;

/* 16 alphanumeric characters, as DataFusion's random write id. */
static void make_write_id(char out[17])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t seed = base_hash_u64((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec,
                                  (uint64_t)getpid() ^ (atomic_fetch_add(&write_counter, 1) << 20));
    for (int i = 0; i < 16; i++) {
        seed = base_hash_u64(seed, (uint64_t)i);
        out[i] = alphabet[seed % (sizeof alphabet - 1)];
    }
    out[16] = '\0';
}

static qv_status copy_strings(catalog_sink *sink, qv_error *err)
{
    const char **refs[7] = {&sink->opts.path,
                            &sink->opts.csv.null_value,
                            &sink->opts.csv.date_format,
                            &sink->opts.csv.datetime_format,
                            &sink->opts.csv.time_format,
                            &sink->opts.csv.timestamp_format,
                            &sink->opts.csv.timestamp_tz_format};
    for (int i = 0; i < 7; i++) {
        if (*refs[i] == NULL)
            continue;
        sink->strings[i] = base_strdup(*refs[i]);
        if (sink->strings[i] == NULL)
            return base_error_nomem(err, "file sink");
        *refs[i] = sink->strings[i];
    }
    return QV_OK;
}

/* Splits the schema into partition and file columns. */
static qv_status plan_columns(catalog_sink *sink, qv_error *err)
{
    arrow_schema *schema = sink->schema;
    int32_t n = schema->n_fields, n_part = sink->opts.n_partition_by;
    sink->part_cols = base_calloc((size_t)(n_part > 0 ? n_part : 1), sizeof(int32_t));
    sink->data_cols = base_calloc((size_t)(n > 0 ? n : 1), sizeof(int32_t));
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    if (sink->part_cols == NULL || sink->data_cols == NULL || fields == NULL) {
        base_free(fields);
        return base_error_nomem(err, "file sink");
    }
    qv_status st = QV_OK;
    for (int32_t p = 0; p < n_part && st == QV_OK; p++) {
        sink->part_cols[p] = arrow_schema_find(schema, sink->opts.partition_by[p]);
        if (sink->part_cols[p] < 0)
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: Partition column %s not found in the "
                                "data",
                                sink->opts.partition_by[p]);
    }
    for (int32_t c = 0; c < n && st == QV_OK; c++) {
        bool is_part = false;
        for (int32_t p = 0; p < n_part; p++)
            is_part |= sink->part_cols[p] == c;
        if (is_part && !sink->opts.keep_partition_by_columns)
            continue;
        fields[sink->n_data] = schema->fields[c];
        sink->data_cols[sink->n_data++] = c;
    }
    if (st == QV_OK)
        st = arrow_schema_new(sink->n_data, fields, NULL, &sink->data_schema, err);
    base_free(fields);
    return st;
}

static qv_status output_sink(void *user, const uint8_t *data, size_t len, qv_error *err);

qv_status catalog_sink_new(const catalog_sink_options *opts, arrow_schema *schema,
                           catalog_sink **out, qv_error *err)
{
    *out = NULL;
    catalog_sink *sink = base_calloc(1, sizeof *sink);
    if (sink == NULL)
        return base_error_nomem(err, "file sink");
    sink->opts = *opts;
    if (sink->opts.max_files < 1)
        sink->opts.max_files = 1;
    sink->schema = arrow_schema_retain(schema);
    base_strbuf_init(&sink->text);
    /* Parquet compresses its pages, never the whole file */
    parquet_write_options_init(&sink->parquet);
    if (opts->format == CATALOG_FORMAT_PARQUET)
        sink->opts.compression = QV_COMPRESSION_NONE;
    make_write_id(sink->write_id);
    snprintf(sink->extension, sizeof sink->extension, "%s%s",
             catalog_file_format_extension(opts->format),
             fmt_compression_extension(sink->opts.compression));
    qv_status st = copy_strings(sink, err);
    if (st == QV_OK && opts->parquet != NULL) {
        parquet_write_options_clear(&sink->parquet);
        st = parquet_write_options_copy(&sink->parquet, opts->parquet, err);
    }
    sink->opts.parquet = NULL; /* sink->parquet from here on */
    if (st == QV_OK && sink->strings[0] != NULL) {
        /* "dir/" names the same directory as "dir" */
        size_t len = strlen(sink->strings[0]);
        while (len > 1 && sink->strings[0][len - 1] == '/')
            sink->strings[0][--len] = '\0';
    }
    if (st == QV_OK)
        st = plan_columns(sink, err);
    sink->opts.partition_by = NULL; /* names are not needed after plan_columns */
    if (st == QV_OK && opts->format == CATALOG_FORMAT_CSV) {
        /* the writer's checks (nested types, formats) before any file exists */
        csv_writer *probe = NULL;
        st = csv_writer_new(sink->data_schema, &sink->opts.csv, &probe, err);
        csv_writer_free(probe);
    }
    if (st == QV_OK && opts->format == CATALOG_FORMAT_PARQUET && opts->append)
        st = base_error_set(err, QV_NOT_IMPLEMENTED,
                            "This feature is not implemented: appending to a Parquet file");
    if (st == QV_OK && opts->format == CATALOG_FORMAT_PARQUET) {
        /* the Parquet writer's type checks, before any file exists (no bytes
         * are written by making one) */
        parquet_writer *probe = NULL;
        st = parquet_writer_new(sink->data_schema, &sink->parquet, output_sink, NULL, &probe, err);
        parquet_writer_free(probe);
    }
    if (st != QV_OK) {
        catalog_sink_abort(sink);
        return st;
    }
    *out = sink;
    return QV_OK;
}

/* fmt_sink_fn over a file being written (the Arrow IPC writer's output). */
static qv_status output_sink(void *user, const uint8_t *data, size_t len, qv_error *err)
{
    return fmt_output_write(user, data, len, err);
}

/* Opens a new file of the sink for partition directory key. */
static qv_status open_file(catalog_sink *sink, const char *key, sink_file **out, qv_error *err)
{
    if (sink->n_files == sink->files_cap) {
        int32_t cap = sink->files_cap ? sink->files_cap * 2 : 4;
        sink_file *grown = base_realloc(sink->files, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "file sink");
        sink->files = grown;
        sink->files_cap = cap;
    }
    sink_file *f = &sink->files[sink->n_files];
    memset(f, 0, sizeof *f);
    f->key = base_strdup(key);
    if (f->key == NULL)
        return base_error_nomem(err, "file sink");
    sink->n_files++;
    base_strbuf path;
    base_strbuf_init(&path);
    bool append = false;
    csv_write_options csv = sink->opts.csv;
    if (sink->opts.single_file) {
        base_strbuf_append_str(&path, sink->opts.path);
        append = sink->opts.append;
        if (append) {
            /* a file that already has rows gets no second header */
            io_file *existing = NULL;
            if (io_file_open(sink->opts.path, &existing, NULL) == QV_OK) {
                csv.has_header = csv.has_header && io_file_size(existing) == 0;
                io_file_close(existing);
            }
        }
    } else if (key[0] != '\0') {
        base_strbuf_appendf(&path, "%s/%s/%s.%s", sink->opts.path, key, sink->write_id,
                            sink->extension);
    } else {
        base_strbuf_appendf(&path, "%s/%s_%d.%s", sink->opts.path, sink->write_id,
                            sink->n_files - 1, sink->extension);
    }
    qv_status st = base_strbuf_failed(&path) ? base_error_nomem(err, "file sink") : QV_OK;
    if (st == QV_OK)
        st = fmt_output_open(path.data, sink->opts.compression, append, &f->out, err);
    if (st == QV_OK && sink->opts.format == CATALOG_FORMAT_CSV)
        st = csv_writer_new(sink->data_schema, &csv, &f->csv, err);
    if (st == QV_OK && sink->opts.format == CATALOG_FORMAT_ARROW) /* LZ4, as DataFusion */
        st = arrow_ipc_writer_new(sink->data_schema, ARROW_IPC_LZ4_FRAME, output_sink, f->out,
                                  &f->ipc, err);
    if (st == QV_OK && sink->opts.format == CATALOG_FORMAT_PARQUET)
        st = parquet_writer_new(sink->data_schema, &sink->parquet, output_sink, f->out, &f->parquet,
                                err);
    base_strbuf_free(&path);
    *out = f;
    return st;
}

/* Writes batch (of the data schema) to file f. */
static qv_status write_to(catalog_sink *sink, sink_file *f, arrow_batch *batch, qv_error *err)
{
    if (f->ipc != NULL || f->parquet != NULL) {
        QV_TRY(f->ipc != NULL ? arrow_ipc_writer_write(f->ipc, batch, err)
                              : parquet_writer_write(f->parquet, batch, err));
        sink->rows += (uint64_t)batch->n_rows;
        return QV_OK;
    }
    base_strbuf_clear(&sink->text);
    QV_TRY(f->csv != NULL ? csv_writer_write(f->csv, batch, &sink->text, err)
                          : ndjson_write_batch(batch, &sink->text, err));
    QV_TRY(fmt_output_write(f->out, sink->text.data != NULL ? sink->text.data : "", sink->text.len,
                            err));
    sink->rows += (uint64_t)batch->n_rows;
    return QV_OK;
}

/* The batch's rows `rows` (NULL: all) with the file columns only. */
static qv_status data_batch(catalog_sink *sink, arrow_batch *batch, const int64_t *rows,
                            int64_t n_rows, arrow_batch **out, qv_error *err)
{
    arrow_array **cols = base_calloc((size_t)(sink->n_data > 0 ? sink->n_data : 1), sizeof *cols);
    if (cols == NULL)
        return base_error_nomem(err, "file sink");
    qv_status st = QV_OK;
    for (int32_t c = 0; c < sink->n_data && st == QV_OK; c++) {
        arrow_array *src = batch->columns[sink->data_cols[c]];
        if (rows == NULL) {
            cols[c] = arrow_array_retain(src);
            continue;
        }
        arrow_builder *b = NULL;
        st = arrow_builder_new(src->type, &b, err);
        for (int64_t r = 0; r < n_rows && st == QV_OK; r++)
            st = arrow_builder_append_from(b, src, rows[r], err);
        if (st == QV_OK)
            st = arrow_builder_finish(b, &cols[c], err);
        arrow_builder_free(b);
    }
    if (st == QV_OK)
        st = arrow_batch_new(sink->data_schema, rows != NULL ? n_rows : batch->n_rows, cols, out,
                             err);
    for (int32_t c = 0; c < sink->n_data; c++)
        arrow_array_release(cols[c]);
    base_free(cols);
    return st;
}

/* object_store's path part encoding of a partition value. */
static void append_encoded(base_strbuf *sb, const char *s, size_t len)
{
    static const char special[] = "/%\\{}^`[]\"<>~#|";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || strchr(special, c) != NULL)
            base_strbuf_appendf(sb, "%%%02X", c);
        else
            base_strbuf_append_char(sb, (char)c);
    }
}

/* The hive directory of row r: `col=value/...`. */
static qv_status row_key(catalog_sink *sink, arrow_batch *batch, int64_t r, base_strbuf *key,
                         base_strbuf *scratch, qv_error *err)
{
    base_strbuf_clear(key);
    for (int32_t p = 0; p < sink->opts.n_partition_by; p++) {
        int32_t c = sink->part_cols[p];
        const arrow_array *col = batch->columns[c];
        arrow_type_id id = col->type->id;
        bool supported = arrow_type_is_integer(id) || arrow_type_is_floating(id) ||
                         id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 ||
                         id == QV_TYPE_UTF8_VIEW || id == QV_TYPE_BOOLEAN || id == QV_TYPE_DATE32 ||
                         id == QV_TYPE_DATE64 || id == QV_TYPE_DICTIONARY ||
                         id == QV_TYPE_DECIMAL128;
        if (!supported) {
            base_strbuf_clear(scratch);
            arrow_type_format(col->type, scratch);
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: it is not yet supported to "
                                  "write to hive partitions with datatype %s",
                                  base_strbuf_cstr(scratch));
        }
        if (p > 0)
            base_strbuf_append_char(key, '/');
        base_strbuf_append_str(key, batch->schema->fields[c]->name);
        base_strbuf_append_char(key, '=');
        if (!arrow_array_is_valid(col, r)) {
            base_strbuf_append_str(key, "__HIVE_DEFAULT_PARTITION__");
            continue;
        }
        base_strbuf_clear(scratch);
        QV_TRY(arrow_format_value(col, r, scratch, err));
        append_encoded(key, base_strbuf_cstr(scratch), scratch->len);
    }
    if (base_strbuf_failed(key) || base_strbuf_failed(scratch))
        return base_error_nomem(err, "file sink");
    return QV_OK;
}

static sink_file *find_file(catalog_sink *sink, const char *key)
{
    for (int32_t i = 0; i < sink->n_files; i++)
        if (strcmp(sink->files[i].key, key) == 0)
            return &sink->files[i];
    return NULL;
}

/* Hive partitioning: the batch's rows grouped by their directory. */
static qv_status write_partitioned(catalog_sink *sink, arrow_batch *batch, qv_error *err)
{
    int64_t n = batch->n_rows;
    char **keys = base_calloc((size_t)(n > 0 ? n : 1), sizeof *keys);
    int64_t *rows = base_calloc((size_t)(n > 0 ? n : 1), sizeof *rows);
    bool *done = base_calloc((size_t)(n > 0 ? n : 1), sizeof *done);
    base_strbuf key, scratch;
    base_strbuf_init(&key);
    base_strbuf_init(&scratch);
    qv_status st = keys && rows && done ? QV_OK : base_error_nomem(err, "file sink");
    for (int64_t r = 0; r < n && st == QV_OK; r++) {
        st = row_key(sink, batch, r, &key, &scratch, err);
        if (st == QV_OK && (keys[r] = base_strdup(base_strbuf_cstr(&key))) == NULL)
            st = base_error_nomem(err, "file sink");
    }
    for (int64_t r = 0; r < n && st == QV_OK; r++) {
        if (done[r])
            continue;
        int64_t n_rows = 0;
        for (int64_t q = r; q < n; q++)
            if (!done[q] && strcmp(keys[q], keys[r]) == 0) {
                done[q] = true;
                rows[n_rows++] = q;
            }
        sink_file *f = find_file(sink, keys[r]);
        if (f == NULL)
            st = open_file(sink, keys[r], &f, err);
        arrow_batch *part = NULL;
        if (st == QV_OK)
            st = data_batch(sink, batch, n_rows == n ? NULL : rows, n_rows, &part, err);
        if (st == QV_OK)
            st = write_to(sink, f, part, err);
        arrow_batch_release(part);
    }
    for (int64_t r = 0; keys != NULL && r < n; r++)
        base_free(keys[r]);
    base_free(keys);
    base_free(rows);
    base_free(done);
    base_strbuf_free(&key);
    base_strbuf_free(&scratch);
    return st;
}

qv_status catalog_sink_write(catalog_sink *sink, arrow_batch *batch, qv_error *err)
{
    if (batch->n_rows == 0)
        return QV_OK;
    if (sink->opts.n_partition_by > 0)
        return write_partitioned(sink, batch, err);
    sink_file *f = NULL;
    if (sink->opts.single_file) {
        if (sink->n_files == 0)
            QV_TRY(open_file(sink, "", &f, err));
        f = &sink->files[0];
    } else {
        int32_t k = (int32_t)(sink->next_file++ % sink->opts.max_files);
        if (k >= sink->n_files)
            QV_TRY(open_file(sink, "", &f, err));
        f = &sink->files[k];
    }
    arrow_batch *data = NULL;
    QV_TRY(data_batch(sink, batch, NULL, 0, &data, err));
    qv_status st = write_to(sink, f, data, err);
    arrow_batch_release(data);
    return st;
}

static void free_sink(catalog_sink *sink, bool abort_files)
{
    for (int32_t i = 0; i < sink->n_files; i++) {
        if (abort_files)
            fmt_output_abort(sink->files[i].out);
        csv_writer_free(sink->files[i].csv);
        arrow_ipc_writer_free(sink->files[i].ipc);
        parquet_writer_free(sink->files[i].parquet);
        base_free(sink->files[i].key);
    }
    base_free(sink->files);
    for (int i = 0; i < 7; i++)
        base_free(sink->strings[i]);
    base_free(sink->part_cols);
    base_free(sink->data_cols);
    arrow_schema_release(sink->data_schema);
    arrow_schema_release(sink->schema);
    base_strbuf_free(&sink->text);
    parquet_write_options_clear(&sink->parquet);
    base_free(sink);
}

/* Tables over the written path list it again (file_cache.h): they see
 * what was written, as DataFusion's tables see their own writes. */
static void drop_cached_listings(catalog_sink *sink)
{
    char *absolute = NULL;
    if (sink->opts.file_cache == NULL ||
        io_absolute_path(sink->opts.path, &absolute, NULL) != QV_OK)
        return;
    catalog_file_cache_invalidate(sink->opts.file_cache, absolute);
    base_free(absolute);
}

qv_status catalog_sink_finish(catalog_sink *sink, uint64_t *rows, qv_error *err)
{
    *rows = 0;
    qv_status st = QV_OK;
    if (sink->opts.single_file && sink->n_files == 0) {
        sink_file *f = NULL;
        st = open_file(sink, "", &f, err); /* an empty file still names the result */
    }
    for (int32_t i = 0; i < sink->n_files; i++) {
        fmt_output *out = sink->files[i].out;
        sink->files[i].out = NULL;
        if (out == NULL)
            continue;
        if (st == QV_OK && sink->files[i].ipc != NULL) /* the footer */
            st = arrow_ipc_writer_finish(sink->files[i].ipc, err);
        if (st == QV_OK && sink->files[i].parquet != NULL) /* the last row group, the footer */
            st = parquet_writer_finish(sink->files[i].parquet, err);
        if (st == QV_OK)
            st = fmt_output_close(out, err);
        else
            fmt_output_abort(out);
    }
    *rows = sink->rows;
    drop_cached_listings(sink);
    free_sink(sink, true);
    return st;
}

void catalog_sink_abort(catalog_sink *sink)
{
    if (sink == NULL)
        return;
    drop_cached_listings(sink);
    free_sink(sink, true);
}
