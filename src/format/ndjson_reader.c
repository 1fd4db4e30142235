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

enum { READ_BLOCK = 1 << 20 };

struct ndjson_reader {
    ndjson_options opts;
    char *name;
    arrow_schema *file_schema;
    arrow_schema *out_schema;
    int32_t *proj;
    int32_t n_proj;
    arrow_builder **builders;
    int64_t batch_size, limit, emitted;

    io_file *file;
    const uint8_t *mem;
    int64_t next_read, read_end;
    uint8_t *buf;
    size_t buf_len, buf_cap, buf_pos;
    bool eof, done;
    int64_t line; /* lines consumed in the range */
    base_arena *arena;
    base_strbuf path; /* "field 'a': field 'b'" context for errors */

    qv_status failed;
    qv_error saved;
};

static const char *reader_name(const ndjson_reader *r)
{
    return r->name ? r->name : "<memory>";
}

void ndjson_reader_free(ndjson_reader *r)
{
    if (r == NULL)
        return;
    for (int32_t i = 0; r->builders && i < r->n_proj; i++)
        arrow_builder_free(r->builders[i]);
    base_free(r->builders);
    base_free(r->proj);
    arrow_schema_release(r->file_schema);
    arrow_schema_release(r->out_schema);
    if (r->buf_cap)
        base_free(r->buf);
    io_file_close(r->file);
    base_arena_free(r->arena);
    base_strbuf_free(&r->path);
    base_free(r->name);
    base_free(r);
}

arrow_schema *ndjson_reader_schema(const ndjson_reader *r)
{
    return r->out_schema;
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

static qv_status find_after_newline(ndjson_reader *r, int64_t offset, int64_t limit, int64_t *out,
                                    qv_error *err)
{
    if (r->mem) {
        const uint8_t *p = memchr(r->mem + offset, '\n', (size_t)(limit - offset));
        *out = p ? (int64_t)(p - r->mem) + 1 : limit;
        return QV_OK;
    }
    uint8_t block[4096];
    while (offset < limit) {
        int64_t want =
            limit - offset < (int64_t)sizeof block ? limit - offset : (int64_t)sizeof block;
        int64_t got;
        QV_TRY(io_file_read_at(r->file, offset, block, want, &got, err));
        if (got == 0)
            break;
        const uint8_t *p = memchr(block, '\n', (size_t)got);
        if (p) {
            *out = offset + (int64_t)(p - block) + 1;
            return QV_OK;
        }
        offset += got;
    }
    *out = limit;
    return QV_OK;
}

static qv_status open_common(ndjson_reader *r, int64_t size, const ndjson_scan *scan, qv_error *err)
{
    base_strbuf_init(&r->path);
    if (scan == NULL || scan->schema == NULL)
        return base_error_set(err, QV_MISUSE, "ndjson reader: no schema");
    r->arena = base_arena_new(1 << 16);
    if (r->arena == NULL)
        return base_error_nomem(err, "ndjson reader");
    r->file_schema = arrow_schema_retain(scan->schema);
    int32_t n_cols = scan->schema->n_fields;
    r->batch_size = scan->batch_size > 0 ? scan->batch_size : 8192;
    r->limit = scan->limit;
    r->n_proj = scan->projection ? scan->n_projection : n_cols;
    size_t n = (size_t)(r->n_proj ? r->n_proj : 1);
    r->proj = base_calloc(n, sizeof *r->proj);
    r->builders = base_calloc(n, sizeof *r->builders);
    arrow_field **fields = base_calloc(n, sizeof *fields);
    if (r->proj == NULL || r->builders == NULL || fields == NULL) {
        base_free(fields);
        return base_error_nomem(err, "ndjson reader");
    }
    qv_status status = QV_OK;
    for (int32_t i = 0; i < r->n_proj && status == QV_OK; i++) {
        int32_t c = scan->projection ? scan->projection[i] : i;
        if (c < 0 || c >= n_cols) {
            status = base_error_set(err, QV_INVALID,
                                    "Arrow error: Schema error: project index %d out of bounds, "
                                    "max field %d",
                                    c, n_cols);
            break;
        }
        r->proj[i] = c;
        fields[i] = scan->schema->fields[c];
        if (!supported(fields[i]->type)) {
            base_strbuf sb;
            base_strbuf_init(&sb);
            arrow_type_format(fields[i]->type, &sb);
            status = base_error_set(err, QV_NOT_IMPLEMENTED,
                                    "Arrow error: Not yet implemented: Support for %s in JSON "
                                    "reader",
                                    base_strbuf_cstr(&sb));
            base_strbuf_free(&sb);
            break;
        }
        status = arrow_builder_new(fields[i]->type, &r->builders[i], err);
    }
    if (status == QV_OK)
        status = arrow_schema_new(r->n_proj, fields, &scan->schema->metadata, &r->out_schema, err);
    base_free(fields);
    if (status != QV_OK)
        return status;
    int64_t start = 0, end = size;
    if (scan->range_end >= 0) {
        int64_t rs = scan->range_start < 0 ? 0 : scan->range_start;
        int64_t re = scan->range_end > size ? size : scan->range_end;
        if (rs > size)
            rs = size;
        if (rs != 0)
            QV_TRY(find_after_newline(r, rs - 1, size, &start, err));
        if (re < size && re > 0)
            QV_TRY(find_after_newline(r, re - 1, size, &end, err));
        else if (re <= 0)
            end = 0;
        if (start >= end)
            r->done = true;
    }
    r->next_read = start;
    r->read_end = end;
    if (r->mem) {
        r->buf = (uint8_t *)r->mem + start;
        r->buf_len = (size_t)(end > start ? end - start : 0);
        r->next_read = end;
        r->eof = true;
    }
    if (r->limit == 0)
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
    r->file = file;
    r->mem = file ? NULL : (data ? data : (const uint8_t *)"");
    if (name && (r->name = base_strdup(name)) == NULL) {
        ndjson_reader_free(r);
        return base_error_nomem(err, "ndjson reader");
    }
    qv_status status = open_common(r, file ? io_file_size(file) : (int64_t)len, scan, err);
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
    if (r->buf_pos > 0) {
        memmove(r->buf, r->buf + r->buf_pos, r->buf_len - r->buf_pos);
        r->buf_len -= r->buf_pos;
        r->buf_pos = 0;
    }
    if (r->buf_len == r->buf_cap) {
        size_t cap = r->buf_cap ? r->buf_cap * 2 : READ_BLOCK;
        uint8_t *grown = base_realloc(r->buf, cap);
        if (grown == NULL)
            return base_error_nomem(err, "ndjson read buffer");
        r->buf = grown;
        r->buf_cap = cap;
    }
    int64_t want = (int64_t)(r->buf_cap - r->buf_len);
    if (want > r->read_end - r->next_read)
        want = r->read_end - r->next_read;
    int64_t got = 0;
    QV_TRY(io_file_read_at(r->file, r->next_read, r->buf + r->buf_len, want, &got, err));
    r->buf_len += (size_t)got;
    r->next_read += got;
    if (got == 0 || r->next_read >= r->read_end)
        r->eof = true;
    return QV_OK;
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
        size_t name_len = strlen(f->name);
        const json_value *found = NULL;
        for (int32_t k = v->n - 1; k >= 0; k--)
            if (v->key_lens[k] == name_len && memcmp(v->keys[k], f->name, name_len) == 0) {
                found = v->items[k];
                break;
            }
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
    for (int32_t i = 0; i < r->n_proj; i++) {
        const arrow_field *f = r->file_schema->fields[r->proj[i]];
        size_t name_len = strlen(f->name);
        const json_value *found = NULL;
        for (int32_t k = v->n - 1; k >= 0; k--)
            if (v->key_lens[k] == name_len && memcmp(v->keys[k], f->name, name_len) == 0) {
                found = v->items[k];
                break;
            }
        if (found == NULL) {
            QV_TRY(arrow_builder_append_null(r->builders[i], err));
            continue;
        }
        base_strbuf_clear(&r->path);
        base_strbuf_appendf(&r->path, "whilst decoding field '%s': ", f->name);
        QV_TRY(append_value(r, r->builders[i], f->type, found, err));
    }
    return QV_OK;
}

static qv_status read_batch(ndjson_reader *r, int64_t target, int64_t *n_rows, qv_error *err)
{
    int64_t rows = 0;
    base_arena_reset(r->arena);
    while (rows < target) {
        if (r->buf_pos >= r->buf_len && r->eof) {
            r->done = true;
            break;
        }
        const uint8_t *start = r->buf + r->buf_pos;
        size_t avail = r->buf_len - r->buf_pos;
        const uint8_t *nl = avail ? memchr(start, '\n', avail) : NULL;
        if (nl == NULL && !r->eof) {
            QV_TRY(refill(r, err));
            continue;
        }
        size_t n = nl ? (size_t)(nl - start) : avail;
        r->buf_pos += nl ? n + 1 : n;
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
    if (r->failed != QV_OK) {
        if (err)
            *err = r->saved;
        return r->failed;
    }
    if (r->done)
        return QV_OK;
    int64_t target = r->batch_size;
    if (r->limit >= 0 && r->limit - r->emitted < target)
        target = r->limit - r->emitted;
    int64_t n_rows = 0;
    qv_status status = read_batch(r, target, &n_rows, err);
    arrow_array **cols = NULL;
    if (status == QV_OK && n_rows > 0) {
        cols = base_calloc((size_t)(r->n_proj ? r->n_proj : 1), sizeof *cols);
        if (cols == NULL)
            status = base_error_nomem(err, "ndjson batch");
        for (int32_t i = 0; i < r->n_proj && status == QV_OK; i++)
            status = arrow_builder_finish(r->builders[i], &cols[i], err);
        if (status == QV_OK)
            status = arrow_batch_new(r->out_schema, n_rows, cols, out, err);
        for (int32_t i = 0; cols && i < r->n_proj; i++)
            arrow_array_release(cols[i]);
        base_free(cols);
    }
    if (status != QV_OK) {
        for (int32_t i = 0; i < r->n_proj; i++) {
            arrow_array *junk = NULL;
            if (arrow_builder_finish(r->builders[i], &junk, NULL) == QV_OK)
                arrow_array_release(junk);
        }
        r->failed = status;
        if (err)
            r->saved = *err;
        else
            base_error_set(&r->saved, status, "ndjson read failed");
        return status;
    }
    r->emitted += n_rows;
    if (n_rows == 0 || (r->limit >= 0 && r->emitted >= r->limit))
        r->done = true;
    return QV_OK;
}
