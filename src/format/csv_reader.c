/*
 * csv_reader.c — streaming CSV reader producing Arrow batches (layer: format).
 *
 * Reads a file (or bytes in memory) in blocks, tokenizes up to batch_size
 * records into one field buffer, checks their field counts and UTF-8, then
 * converts column by column (one type dispatch per column per batch) into
 * builders. Byte ranges follow DataFusion's calculate_range, so N readers
 * over a split file see each record exactly once. Error texts and line
 * numbers are those of arrow-rs' csv Decoder: "line" in a field-count or
 * UTF-8 error is the 1-based record number within the range (header
 * included), and in a value error the 0-based data row within the range.
 */
#include <stdio.h>
#include <string.h>

#include "format/csv_int.h"
#include "format/reader_int.h"

struct csv_reader {
    csv_options opts;
    csv_dialect dialect;
    csv_null *nulls;
    char *name;
    reader_columns cols; /* projection, builders, limit, sticky failure */
    int32_t n_cols;
    int32_t *tz_offset; /* per projected column: naive timestamps' zone offset */

    reader_input in;
    bool skip_header;
    bool done;

    int64_t record_no; /* records tokenized so far in the range, header included */
    int64_t data_line; /* data rows already returned (arrow-rs Decoder line_number) */
    int64_t truncated;
    csv_fields fields;
    base_strbuf scratch;
};

static const char *reader_name(const csv_reader *r)
{
    return r->name ? r->name : "<memory>";
}

static qv_status fail(csv_reader *r, qv_error *err, qv_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static qv_status fail(csv_reader *r, qv_error *err, qv_status code, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    base_error_setv(err, code, fmt, args);
    va_end(args);
    base_error_set_hint(err, "in file %s", reader_name(r));
    return code;
}

/* ---- opening ---- */

static bool supported_type(const arrow_type *t)
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
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
        return true;
    case QV_TYPE_DICTIONARY:
        return t->value_type->id == QV_TYPE_UTF8 && arrow_type_is_integer(t->index_type->id);
    default:
        return false;
    }
}

/* reader_check_fn: the types CSV reads, and the time zones of timestamps. */
static qv_status check_column(void *ctx, int32_t proj_idx, const arrow_field *f, qv_error *err)
{
    csv_reader *r = ctx;
    if (!supported_type(f->type)) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        arrow_type_format(f->type, &sb);
        qv_status status = base_error_set(err, QV_NOT_IMPLEMENTED,
                                          "Arrow error: Parser error: Unsupported data type %s",
                                          base_strbuf_cstr(&sb));
        base_strbuf_free(&sb);
        return status;
    }
    if (f->type->id == QV_TYPE_TIMESTAMP && f->type->timezone != NULL &&
        !fmt_tz_fixed_offset(f->type->timezone, &r->tz_offset[proj_idx]))
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "reading CSV timestamps into time zone %s is not "
                              "supported yet (only UTC and fixed offsets)",
                              f->type->timezone);
    return QV_OK;
}

static qv_status open_common(csv_reader *r, int64_t size, const csv_options *opts,
                             const csv_scan *scan, qv_error *err)
{
    r->opts = *opts;
    r->opts.null_regex = NULL; /* compiled below; the string is not kept */
    csv_dialect_from_options(opts, &r->dialect);
    csv_fields_init(&r->fields);
    base_strbuf_init(&r->scratch);
    QV_TRY(csv_null_new(opts->null_regex, &r->nulls, err));
    if (scan == NULL || scan->schema == NULL)
        return base_error_set(err, QV_MISUSE, "csv reader: no schema");
    r->n_cols = scan->schema->n_fields;
    int32_t n_proj = scan->projection ? scan->n_projection : r->n_cols;
    r->tz_offset = base_calloc((size_t)(n_proj ? n_proj : 1), sizeof *r->tz_offset);
    if (r->tz_offset == NULL)
        return base_error_nomem(err, "csv reader");
    QV_TRY(reader_columns_open(&r->cols, scan->schema, scan->projection, scan->n_projection,
                               scan->batch_size, scan->limit, check_column, r, "csv reader", err));

    /* The byte range, as DataFusion's calculate_range. */
    int64_t start = 0, end = size;
    if (scan->range_end >= 0) {
        uint8_t newline = opts->terminator >= 0 ? (uint8_t)opts->terminator : '\n';
        QV_TRY(reader_range(&r->in, size, scan->range_start, scan->range_end, newline, &start, &end,
                            err));
        if (start >= end)
            r->done = true;
    }
    reader_input_start(&r->in, start, end);
    r->skip_header = opts->has_header && start == 0;
    if (r->cols.rows.limit == 0)
        r->done = true;
    return QV_OK;
}

static qv_status open_reader(io_file *file, const uint8_t *data, size_t len, const char *name,
                             const csv_options *opts, const csv_scan *scan, csv_reader **out,
                             qv_error *err)
{
    *out = NULL;
    qv_status checked = fmt_compression_check(opts->compression, err);
    if (checked != QV_OK) {
        io_file_close(file);
        return checked;
    }
    csv_reader *r = base_calloc(1, sizeof *r);
    if (r == NULL) {
        io_file_close(file);
        return base_error_nomem(err, "csv reader");
    }
    r->in.file = file;
    r->in.mem = data;
    if (name && (r->name = base_strdup(name)) == NULL) {
        csv_reader_free(r);
        return base_error_nomem(err, "csv reader");
    }
    if (file == NULL && data == NULL)
        r->in.mem = (const uint8_t *)"";
    int64_t size = file ? io_file_size(file) : (int64_t)len;
    qv_status status = QV_OK;
    if (opts->compression != QV_COMPRESSION_NONE) {
        /* the decompressed stream, whole: its size is not known */
        status = reader_input_compressed(&r->in, file, data, len, opts->compression, name,
                                         scan ? scan->range_end : -1, err);
        size = INT64_MAX;
    }
    if (status == QV_OK)
        status = open_common(r, size, opts, scan, err);
    if (status != QV_OK) {
        csv_reader_free(r);
        return status;
    }
    *out = r;
    return QV_OK;
}

qv_status csv_reader_open(const char *path, const csv_options *opts, const csv_scan *scan,
                          csv_reader **out, qv_error *err)
{
    *out = NULL;
    io_file *file;
    QV_TRY(io_file_open(path, &file, err));
    return open_reader(file, NULL, 0, path, opts, scan, out, err);
}

qv_status csv_reader_open_buffer(const uint8_t *data, size_t len, const char *name,
                                 const csv_options *opts, const csv_scan *scan, csv_reader **out,
                                 qv_error *err)
{
    return open_reader(NULL, data, len, name, opts, scan, out, err);
}

void csv_reader_free(csv_reader *r)
{
    if (r == NULL)
        return;
    reader_columns_free(&r->cols);
    base_free(r->tz_offset);
    csv_null_free(r->nulls);
    csv_fields_free(&r->fields);
    base_strbuf_free(&r->scratch);
    reader_input_free(&r->in);
    base_free(r->name);
    base_free(r);
}

arrow_schema *csv_reader_schema(const csv_reader *r)
{
    return r->cols.out_schema;
}

int64_t csv_reader_truncated_rows(const csv_reader *r)
{
    return r->truncated;
}

/* ---- tokenizing a batch ---- */

static qv_status refill(csv_reader *r, qv_error *err)
{
    return reader_input_refill(&r->in, "csv read buffer", reader_name(r), err);
}

/* Appends "[f1,f2,...]" of row `row` to the scratch buffer. */
static const char *row_text(csv_reader *r, int64_t row)
{
    base_strbuf *sb = &r->scratch;
    base_strbuf_clear(sb);
    base_strbuf_append_char(sb, '[');
    for (int32_t c = 0; c < r->n_cols; c++) {
        size_t k = (size_t)(row * r->n_cols + c);
        size_t a = csv_field_start(&r->fields, k);
        if (c > 0)
            base_strbuf_append_char(sb, ',');
        base_strbuf_append(sb, (const char *)r->fields.data + a, r->fields.ends[k] - a);
    }
    base_strbuf_append_char(sb, ']');
    return base_strbuf_cstr(sb);
}

/* Tokenizes up to target records into r->fields; returns the row count. */
static qv_status read_rows(csv_reader *r, int64_t target, int64_t *n_rows, qv_error *err)
{
    csv_fields *f = &r->fields;
    csv_fields_clear(f);
    int64_t rows = 0;
    while (rows < target) {
        size_t pos = r->in.buf_pos, rec_start;
        size_t before = f->n;
        csv_tok_result t = csv_tokenize_record(&r->dialect, r->in.buf, r->in.buf_len, &pos,
                                               r->in.eof, f, &rec_start);
        if (t == CSV_TOK_NEED_MORE) {
            QV_TRY(refill(r, err));
            continue;
        }
        if (t == CSV_TOK_NOMEM)
            return base_error_nomem(err, "csv record");
        if (t == CSV_TOK_END) {
            r->done = true;
            break;
        }
        r->in.buf_pos = pos;
        r->record_no++;
        size_t nf = f->n - before;
        if (r->skip_header) {
            r->skip_header = false;
            f->len = csv_field_start(f, before);
            f->n = before;
            continue;
        }
        if (nf != (size_t)r->n_cols) {
            if (r->opts.truncated_rows && nf < (size_t)r->n_cols) {
                for (size_t k = nf; k < (size_t)r->n_cols; k++) {
                    /* an empty field: same end as the previous one */
                    if (f->n == f->n_cap) {
                        size_t cap = f->n_cap ? f->n_cap * 2 : 256;
                        size_t *grown = base_realloc(f->ends, cap * sizeof *grown);
                        if (grown == NULL)
                            return base_error_nomem(err, "csv record");
                        f->ends = grown;
                        f->n_cap = cap;
                    }
                    f->ends[f->n++] = f->len;
                }
                r->truncated++;
            } else {
                return fail(r, err, QV_EXECUTION,
                            "Arrow error: Csv error: incorrect number of fields for line %lld, "
                            "expected %d got %zu",
                            (long long)r->record_no, r->n_cols, nf);
            }
        }
        rows++;
    }
    *n_rows = rows;
    if (rows == 0)
        return QV_OK;
    /* UTF-8 of the whole batch, reported as arrow-rs does. */
    size_t ok = fmt_utf8_valid_prefix(f->data, f->len);
    if (ok != f->len) {
        size_t total = f->n, idx = 0;
        for (size_t k = total + 1; k-- > 0;) {
            size_t off = k == 0 ? 0 : f->ends[k - 1];
            if (off <= ok) {
                idx = k;
                break;
            }
        }
        int64_t first_record = r->record_no - rows + 1;
        return fail(r, err, QV_EXECUTION,
                    "Arrow error: Csv error: Encountered invalid UTF-8 data for line %lld and "
                    "field %zu",
                    (long long)(first_record + (int64_t)(idx / (size_t)r->n_cols)),
                    idx % (size_t)r->n_cols + 1);
    }
    return QV_OK;
}

/* ---- converting a column ---- */

static qv_status parse_error(csv_reader *r, qv_error *err, int32_t col, int64_t row,
                             const uint8_t *s, size_t n, const arrow_type *type)
{
    base_strbuf tn;
    base_strbuf_init(&tn);
    arrow_type_format(type, &tn);
    qv_status status =
        fail(r, err, QV_CAST,
             "Arrow error: Parser error: Error while parsing value '%.*s' as type '%s' for "
             "column %d at line %lld. Row data: '%s'",
             (int)n, (const char *)s, base_strbuf_cstr(&tn), col, (long long)(r->data_line + row),
             row_text(r, row));
    base_strbuf_free(&tn);
    return status;
}

/* reader_build_fn: converts projected column pi of the tokenized rows. */
static qv_status build_column(void *ctx, int32_t pi, int64_t n_rows, arrow_array **out,
                              qv_error *err)
{
    csv_reader *r = ctx;
    int32_t col = r->cols.proj[pi];
    arrow_builder *b = r->cols.builders[pi];
    const arrow_type *type = r->cols.file_schema->fields[col]->type;
    csv_fields *f = &r->fields;
    qv_status status = QV_OK;
    for (int64_t row = 0; row < n_rows && status == QV_OK; row++) {
        size_t k = (size_t)(row * r->n_cols + col);
        size_t a = csv_field_start(f, k);
        const uint8_t *s = f->data + a;
        size_t n = f->ends[k] - a;
        const char *cs = (const char *)s;
        if (type->id == QV_TYPE_NULL || csv_null_match(r->nulls, s, n)) {
            status = arrow_builder_append_null(b, err);
            continue;
        }
        bool ok = true;
        switch (type->id) {
        case QV_TYPE_BOOLEAN: {
            bool v;
            ok = fmt_parse_bool(cs, n, &v);
            if (ok)
                status = arrow_builder_append_bool(b, v, err);
            break;
        }
        case QV_TYPE_INT8:
        case QV_TYPE_INT16:
        case QV_TYPE_INT32:
        case QV_TYPE_INT64: {
            int bits = arrow_type_bit_width(type);
            int64_t max = bits == 64 ? INT64_MAX : (int64_t)((1ull << (bits - 1)) - 1);
            int64_t v;
            ok = fmt_parse_int(cs, n, -max - 1, max, &v);
            if (ok)
                status = arrow_builder_append_int(b, v, err);
            break;
        }
        case QV_TYPE_UINT8:
        case QV_TYPE_UINT16:
        case QV_TYPE_UINT32:
        case QV_TYPE_UINT64: {
            int bits = arrow_type_bit_width(type);
            uint64_t max = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
            uint64_t v;
            ok = fmt_parse_uint(cs, n, max, &v);
            if (ok)
                status = arrow_builder_append_uint(b, v, err);
            break;
        }
        case QV_TYPE_FLOAT16:
        case QV_TYPE_FLOAT64: {
            double v;
            ok = fmt_parse_double(cs, n, &v);
            if (ok)
                status = arrow_builder_append_double(b, v, err);
            break;
        }
        case QV_TYPE_FLOAT32: {
            float v;
            ok = fmt_parse_float(cs, n, &v);
            if (ok)
                status = arrow_builder_append_double(b, v, err);
            break;
        }
        case QV_TYPE_DATE32: {
            int32_t v;
            ok = fmt_parse_date32(cs, n, &v);
            if (ok)
                status = arrow_builder_append_int(b, v, err);
            break;
        }
        case QV_TYPE_DATE64: {
            int64_t v;
            ok = fmt_parse_timestamp(cs, n, QV_UNIT_MILLISECOND, 0, &v, NULL);
            if (ok)
                status = arrow_builder_append_int(b, v, err);
            break;
        }
        case QV_TYPE_TIME32:
        case QV_TYPE_TIME64: {
            int64_t v;
            ok = fmt_parse_time(cs, n, type->unit, &v);
            if (ok)
                status = arrow_builder_append_int(b, v, err);
            break;
        }
        case QV_TYPE_TIMESTAMP: {
            int64_t v;
            const char *reason = NULL;
            if (!fmt_parse_timestamp(cs, n, type->unit, r->tz_offset[pi], &v, &reason))
                return fail(r, err, QV_CAST,
                            "Arrow error: Parser error: Error parsing column %d at line %lld: "
                            "Parser error: Error parsing timestamp from '%.*s': %s",
                            col, (long long)(r->data_line + row), (int)n, cs, reason);
            status = arrow_builder_append_int(b, v, err);
            break;
        }
        case QV_TYPE_DECIMAL128:
        case QV_TYPE_DECIMAL256: {
            uint8_t le[32];
            bool overflow;
            int nb = type->id == QV_TYPE_DECIMAL128 ? 16 : 32;
            if (!fmt_parse_decimal(cs, n, type->precision, type->scale, le, nb, &overflow)) {
                if (overflow)
                    return fail(r, err, QV_CAST,
                                "Arrow error: Parser error: parse decimal overflow (%.*s)", (int)n,
                                cs);
                return fail(r, err, QV_CAST,
                            "Arrow error: Parser error: can't parse the string value %.*s to "
                            "decimal",
                            (int)n, cs);
            }
            status = arrow_builder_append_decimal(b, le, err);
            break;
        }
        default: /* strings and string dictionaries */
            status = arrow_builder_append_bytes(b, s, (int64_t)n, err);
            break;
        }
        if (!ok)
            return parse_error(r, err, col, row, s, n, type);
    }
    if (status != QV_OK)
        return status;
    return arrow_builder_finish(b, out, err);
}

qv_status csv_reader_next(csv_reader *r, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    qv_status status = QV_OK;
    if (reader_failure_get(&r->cols.failure, &status, err))
        return status;
    if (r->done && r->fields.n == 0)
        return QV_OK;
    int64_t target = reader_columns_target(&r->cols);
    int64_t n_rows = 0;
    if (target > 0 && !r->done)
        status = read_rows(r, target, &n_rows, err);
    if (status == QV_OK && n_rows > 0)
        status = reader_columns_batch(&r->cols, n_rows, build_column, r, "csv batch", out, err);
    r->fields.n = 0;
    r->fields.len = 0;
    if (status != QV_OK)
        return reader_columns_fail(&r->cols, status, err, "csv read failed");
    r->data_line += n_rows;
    if (reader_columns_emitted(&r->cols, n_rows))
        r->done = true;
    return QV_OK;
}
