/*
 * ndjson_reader.c — streaming NDJSON reader producing Arrow batches
 * (layer: format).
 *
 * One JSON object per non-blank line. Each line is parsed into a tree in a
 * per-batch arena, then its projected keys are appended to the column
 * builders (nested structs and lists through child builders). Missing keys
 * are NULL, keys not in the schema are ignored, duplicate keys take the last
 * value. Values convert as arrow-json's decoders do: numbers into numeric
 * columns (a float into an integer column truncates), strings into numeric
 * and temporal columns through the CSV parsers, but nothing but strings into
 * string columns; a mismatch is "whilst decoding field 'a': expected string
 * got 1". The file and line are named in the error hint. Byte ranges work as
 * for CSV with '\n'.
 */
#include <stdio.h>
#include <string.h>

#include "format/json_int.h"
#include "format/reader_int.h"

struct ndjson_reader {
    ndjson_options opts;
    char *name;
    reader_columns cols; /* projection, builders, limit, sticky failure */

    reader_input in;
    bool done;
    int64_t line; /* lines consumed in the range */
    base_arena *arena;
    base_strbuf path; /* "field 'a': field 'b'" context for errors */
};

static const char *reader_name(const ndjson_reader *r)
{
    return r->name ? r->name : "<memory>";
}

void ndjson_reader_free(ndjson_reader *r)
{
    if (r == NULL)
        return;
    reader_columns_free(&r->cols);
    reader_input_free(&r->in);
    base_arena_free(r->arena);
    base_strbuf_free(&r->path);
    base_free(r->name);
    base_free(r);
}

arrow_schema *ndjson_reader_schema(const ndjson_reader *r)
{
    return r->cols.out_schema;
}

static bool supported(const arrow_type *t)
{
    switch (t->id) {
    case QV_TYPE_NULL:
    case QV_TYPE_BOOLEAN:
    case QV_TYPE_INT8:
    case QV_TYPE_INT16:
    case QV_TYPE_INT32:
    case QV_TYPE_INT64:
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64:
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIMESTAMP:
        return t->id != QV_TYPE_TIMESTAMP || t->timezone == NULL ||
               fmt_tz_fixed_offset(t->timezone, &(int32_t){0});
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
        return supported(t->children[0]->type);
    case QV_TYPE_STRUCT:
        for (int32_t i = 0; i < t->n_children; i++)
            if (!supported(t->children[i]->type))
                return false;
        return true;
    default:
        return false;
    }
}

/* reader_check_fn: the types NDJSON reads. */
static qv_status check_column(void *ctx, int32_t proj_idx, const arrow_field *f, qv_error *err)
{
    (void)ctx;
    (void)proj_idx;
    if (supported(f->type))
        return QV_OK;
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(f->type, &sb);
    qv_status status = base_error_set(err, QV_NOT_IMPLEMENTED,
                                      "Arrow error: Not yet implemented: Support for %s in JSON "
                                      "reader",
                                      base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return status;
}

static qv_status open_common(ndjson_reader *r, int64_t size, const ndjson_scan *scan, qv_error *err)
{
    base_strbuf_init(&r->path);
    if (scan == NULL || scan->schema == NULL)
        return base_error_set(err, QV_MISUSE, "ndjson reader: no schema");
    r->arena = base_arena_new(1 << 16);
    if (r->arena == NULL)
        return base_error_nomem(err, "ndjson reader");
    QV_TRY(reader_columns_open(&r->cols, scan->schema, scan->projection, scan->n_projection,
                               scan->batch_size, scan->limit, check_column, NULL, "ndjson reader",
                               err));
    int64_t start = 0, end = size;
    if (scan->range_end >= 0) {
        QV_TRY(reader_range(&r->in, size, scan->range_start, scan->range_end, '\n', &start, &end,
                            err));
        if (start >= end)
            r->done = true;
    }
    reader_input_start(&r->in, start, end);
    if (r->cols.rows.limit == 0)
        r->done = true;
    return QV_OK;
}

static qv_status open_reader(io_file *file, const uint8_t *data, size_t len, const char *name,
                             const ndjson_options *opts, const ndjson_scan *scan,
                             ndjson_reader **out, qv_error *err)
{
    *out = NULL;
    qv_status checked = fmt_compression_check(opts->compression, err);
    if (checked != QV_OK) {
        io_file_close(file);
        return checked;
    }
    ndjson_reader *r = base_calloc(1, sizeof *r);
    if (r == NULL) {
        io_file_close(file);
        return base_error_nomem(err, "ndjson reader");
    }
    r->opts = *opts;
    r->in.file = file;
    r->in.mem = file ? NULL : (data ? data : (const uint8_t *)"");
    if (name && (r->name = base_strdup(name)) == NULL) {
        ndjson_reader_free(r);
        return base_error_nomem(err, "ndjson reader");
    }
    int64_t size = file ? io_file_size(file) : (int64_t)len;
    qv_status status = QV_OK;
    if (opts->compression != QV_COMPRESSION_NONE) {
        /* the decompressed stream, whole: its size is not known */
        status = reader_input_compressed(&r->in, file, data, len, opts->compression, name,
                                         scan ? scan->range_end : -1, err);
        size = INT64_MAX;
    }
    if (status == QV_OK)
        status = open_common(r, size, scan, err);
    if (status != QV_OK) {
        ndjson_reader_free(r);
        return status;
    }
    *out = r;
    return QV_OK;
}

qv_status ndjson_reader_open(const char *path, const ndjson_options *opts, const ndjson_scan *scan,
                             ndjson_reader **out, qv_error *err)
{
    *out = NULL;
    io_file *file;
    QV_TRY(io_file_open(path, &file, err));
    return open_reader(file, NULL, 0, path, opts, scan, out, err);
}

qv_status ndjson_reader_open_buffer(const uint8_t *data, size_t len, const char *name,
                                    const ndjson_options *opts, const ndjson_scan *scan,
                                    ndjson_reader **out, qv_error *err)
{
    return open_reader(NULL, data, len, name, opts, scan, out, err);
}

static qv_status refill(ndjson_reader *r, qv_error *err)
{
    return reader_input_refill(&r->in, "ndjson read buffer", NULL, err);
}

/* ---- values into builders ---- */

static qv_status mismatch(ndjson_reader *r, qv_error *err, const char *expected,
                          const json_value *v)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    json_serialize(v, &sb);
    qv_status s = base_error_set(err, QV_CAST, "Arrow error: Json error: %sexpected %s got %s",
                                 base_strbuf_cstr(&r->path), expected, base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return s;
}

static qv_status parse_failure(ndjson_reader *r, qv_error *err, const json_value *v,
                               const arrow_type *type)
{
    base_strbuf tn;
    base_strbuf_init(&tn);
    arrow_type_format(type, &tn);
    qv_status s = base_error_set(
        err, QV_CAST,
        v->kind == JSON_STRING ? "Arrow error: Json error: %sfailed to parse \"%.*s\" as %s"
                               : "Arrow error: Json error: %sfailed to parse %.*s as %s",
        base_strbuf_cstr(&r->path), (int)v->len, v->text, base_strbuf_cstr(&tn));
    base_strbuf_free(&tn);
    return s;
}

/* A JSON number's text as an integer in [min, max] (a float truncates). */
static bool number_to_int(const json_value *v, int64_t min, int64_t max, int64_t *out)
{
    if (v->is_i64)
        return v->i64 >= min && v->i64 <= max ? (*out = v->i64, true) : false;
    double d;
    if (!fmt_parse_double(v->text, v->len, &d) || d != d)
        return false;
    if (d < (double)min || d >= -(double)INT64_MIN || d > (double)max + 0.999999)
        return false;
    *out = (int64_t)d;
    return *out >= min && *out <= max;
}

/* The value of object obj's member `name`, the last one when the key repeats
 * (duplicate keys take the last value), or NULL when there is none. */
static const json_value *find_member(const json_value *obj, const char *name)
{
    size_t name_len = strlen(name);
    for (int32_t k = obj->n - 1; k >= 0; k--)
        if (obj->key_lens[k] == name_len && memcmp(obj->keys[k], name, name_len) == 0)
            return obj->items[k];
    return NULL;
}

static qv_status append_value(ndjson_reader *r, arrow_builder *b, const arrow_type *type,
                              const json_value *v, qv_error *err);

static qv_status append_struct(ndjson_reader *r, arrow_builder *b, const arrow_type *type,
                               const json_value *v, qv_error *err)
{
    if (v->kind != JSON_OBJECT)
        return mismatch(r, err, "{", v);
    size_t saved = r->path.len;
    for (int32_t i = 0; i < type->n_children; i++) {
        const arrow_field *f = type->children[i];
        const json_value *found = find_member(v, f->name);
        arrow_builder *child = arrow_builder_child(b, i);
        if (found == NULL || found->kind == JSON_NULL) {
            QV_TRY(arrow_builder_append_null(child, err));
            continue;
        }
        base_strbuf_appendf(&r->path, "whilst decoding field '%s': ", f->name);
        qv_status s = append_value(r, child, f->type, found, err);
        r->path.len = saved;
        r->path.data[saved] = 0;
        if (s != QV_OK)
            return s;
    }
    return arrow_builder_append_struct(b, true, err);
}

static qv_status append_value(ndjson_reader *r, arrow_builder *b, const arrow_type *type,
                              const json_value *v, qv_error *err)
{
    if (v->kind == JSON_NULL)
        return arrow_builder_append_null(b, err);
    switch (type->id) {
    case QV_TYPE_NULL:
        return mismatch(r, err, "null", v);
    case QV_TYPE_BOOLEAN:
        if (v->kind == JSON_TRUE || v->kind == JSON_FALSE)
            return arrow_builder_append_bool(b, v->kind == JSON_TRUE, err);
        return mismatch(r, err, "boolean", v);
    case QV_TYPE_INT8:
    case QV_TYPE_INT16:
    case QV_TYPE_INT32:
    case QV_TYPE_INT64: {
        int bits = arrow_type_bit_width(type);
        int64_t max = bits == 64 ? INT64_MAX : (int64_t)((1ull << (bits - 1)) - 1);
        int64_t x;
        bool ok;
        if (v->kind == JSON_NUMBER)
            ok = number_to_int(v, -max - 1, max, &x);
        else if (v->kind == JSON_STRING)
            ok = fmt_parse_int(v->text, v->len, -max - 1, max, &x);
        else
            return mismatch(r, err, "primitive", v);
        if (!ok)
            return parse_failure(r, err, v, type);
        return arrow_builder_append_int(b, x, err);
    }
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64: {
        int bits = arrow_type_bit_width(type);
        uint64_t max = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
        uint64_t x = 0;
        bool ok;
        if (v->kind == JSON_NUMBER) {
            int64_t s;
            ok = fmt_parse_uint(v->text, v->len, max, &x) ||
                 (number_to_int(v, 0, INT64_MAX, &s) && (uint64_t)s <= max && (x = (uint64_t)s, 1));
        } else if (v->kind == JSON_STRING) {
            ok = fmt_parse_uint(v->text, v->len, max, &x);
        } else {
            return mismatch(r, err, "primitive", v);
        }
        if (!ok)
            return parse_failure(r, err, v, type);
        return arrow_builder_append_uint(b, x, err);
    }
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64: {
        double d;
        if (v->kind != JSON_NUMBER && v->kind != JSON_STRING)
            return mismatch(r, err, "primitive", v);
        if (!fmt_parse_double(v->text, v->len, &d))
            return parse_failure(r, err, v, type);
        return arrow_builder_append_double(b, d, err);
    }
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256: {
        uint8_t le[32];
        bool overflow;
        if (v->kind != JSON_NUMBER && v->kind != JSON_STRING)
            return mismatch(r, err, "decimal", v);
        if (!fmt_parse_decimal(v->text, v->len, type->precision, type->scale, le,
                               type->id == QV_TYPE_DECIMAL128 ? 16 : 32, &overflow))
            return parse_failure(r, err, v, type);
        return arrow_builder_append_decimal(b, le, err);
    }
    case QV_TYPE_DATE32: {
        int64_t x;
        int32_t d;
        if (v->kind == JSON_STRING) {
            if (!fmt_parse_date32(v->text, v->len, &d))
                return parse_failure(r, err, v, type);
            return arrow_builder_append_int(b, d, err);
        }
        if (v->kind == JSON_NUMBER) {
            if (!number_to_int(v, INT32_MIN, INT32_MAX, &x))
                return parse_failure(r, err, v, type);
            return arrow_builder_append_int(b, x, err);
        }
        return mismatch(r, err, "primitive", v);
    }
    case QV_TYPE_TIMESTAMP: {
        int64_t x;
        if (v->kind == JSON_STRING) {
            int32_t offset = 0;
            if (type->timezone)
                fmt_tz_fixed_offset(type->timezone, &offset);
            if (!fmt_parse_timestamp(v->text, v->len, type->unit, offset, &x, NULL))
                return parse_failure(r, err, v, type);
            return arrow_builder_append_int(b, x, err);
        }
        if (v->kind == JSON_NUMBER) {
            if (!number_to_int(v, INT64_MIN, INT64_MAX, &x))
                return parse_failure(r, err, v, type);
            return arrow_builder_append_int(b, x, err);
        }
        return mismatch(r, err, "primitive", v);
    }
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
        if (v->kind != JSON_STRING)
            return mismatch(r, err, "string", v);
        return arrow_builder_append_bytes(b, v->text, (int64_t)v->len, err);
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST: {
        if (v->kind != JSON_ARRAY)
            return mismatch(r, err, "[", v);
        arrow_builder *child = arrow_builder_child(b, 0);
        const arrow_type *item = type->children[0]->type;
        for (int32_t i = 0; i < v->n; i++)
            QV_TRY(append_value(r, child, item, v->items[i], err));
        return arrow_builder_end_list(b, true, err);
    }
    case QV_TYPE_STRUCT:
        return append_struct(r, b, type, v, err);
    default:
        return base_error_set(err, QV_NOT_IMPLEMENTED, "unsupported JSON column type");
    }
}

/* Appends one record (a top-level object) to the projected builders. */
static qv_status append_record(ndjson_reader *r, const json_value *v, qv_error *err)
{
    if (v->kind != JSON_OBJECT)
        return mismatch(r, err, "{", v);
    for (int32_t i = 0; i < r->cols.n_proj; i++) {
        const arrow_field *f = r->cols.file_schema->fields[r->cols.proj[i]];
        const json_value *found = find_member(v, f->name);
        if (found == NULL) {
            QV_TRY(arrow_builder_append_null(r->cols.builders[i], err));
            continue;
        }
        base_strbuf_clear(&r->path);
        base_strbuf_appendf(&r->path, "whilst decoding field '%s': ", f->name);
        QV_TRY(append_value(r, r->cols.builders[i], f->type, found, err));
    }
    return QV_OK;
}

static qv_status read_batch(ndjson_reader *r, int64_t target, int64_t *n_rows, qv_error *err)
{
    int64_t rows = 0;
    base_arena_reset(r->arena);
    while (rows < target) {
        if (r->in.buf_pos >= r->in.buf_len && r->in.eof) {
            r->done = true;
            break;
        }
        const uint8_t *start = r->in.buf + r->in.buf_pos;
        size_t avail = r->in.buf_len - r->in.buf_pos;
        const uint8_t *nl = avail ? memchr(start, '\n', avail) : NULL;
        if (nl == NULL && !r->in.eof) {
            QV_TRY(refill(r, err));
            continue;
        }
        size_t n = nl ? (size_t)(nl - start) : avail;
        r->in.buf_pos += nl ? n + 1 : n;
        r->line++;
        bool blank = true;
        for (size_t i = 0; i < n && blank; i++)
            blank = start[i] == ' ' || start[i] == '\t' || start[i] == '\r';
        if (blank)
            continue;
        json_value *v;
        char reason[160];
        bool nomem;
        if (!json_parse((const char *)start, n, r->opts.max_depth, r->arena, &v, reason,
                        sizeof reason, &nomem)) {
            if (nomem)
                return base_error_nomem(err, "json parse");
            base_error_set(err, QV_EXECUTION, "Arrow error: Json error: Not valid JSON: %s",
                           reason);
            base_error_set_hint(err, "in file %s, line %lld", reader_name(r), (long long)r->line);
            return QV_EXECUTION;
        }
        qv_status s = append_record(r, v, err);
        if (s != QV_OK) {
            base_error_set_hint(err, "in file %s, line %lld", reader_name(r), (long long)r->line);
            return s;
        }
        rows++;
    }
    *n_rows = rows;
    return QV_OK;
}

qv_status ndjson_reader_next(ndjson_reader *r, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    qv_status status = QV_OK;
    if (reader_failure_get(&r->cols.failure, &status, err))
        return status;
    if (r->done)
        return QV_OK;
    int64_t target = reader_columns_target(&r->cols);
    int64_t n_rows = 0;
    status = read_batch(r, target, &n_rows, err);
    /* the records were appended as they were parsed: finishing the
     * builders makes the columns */
    if (status == QV_OK && n_rows > 0)
        status = reader_columns_batch(&r->cols, n_rows, NULL, NULL, "ndjson batch", out, err);
    if (status != QV_OK)
        return reader_columns_fail(&r->cols, status, err, "ndjson read failed");
    if (reader_columns_emitted(&r->cols, n_rows))
        r->done = true;
    return QV_OK;
}
