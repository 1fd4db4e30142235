/*
 * csv_infer.c — CSV schema inference identical to DataFusion's
 * (layer: format).
 *
 * Three levels, each copied from the code DataFusion runs:
 *  1. object_store's newline_delimited_stream cuts the file (read in 8 KiB
 *     blocks by the local store) into chunks that end at a '\n' outside '"'
 *     quotes ('\\' escapes), whatever the CSV options say;
 *  2. each chunk is inferred on its own by arrow-rs Format::infer_schema
 *     (header only in the first chunk; the packed InferredDataType bits and
 *     the regexes of arrow-csv, reproduced by hand in classify());
 *  3. DataFusion's build_schema_helper merges the chunks' types: Null is
 *     ignored, {Int64, Float64} gives Float64, any other mix gives Utf8.
 * Files are then merged with fmt_schema_merge (Schema::try_merge).
 */
#include <stdio.h>
#include <string.h>

#include "format/csv_int.h"

void csv_options_init(csv_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->has_header = true;
    opts->delimiter = ',';
    opts->quote = '"';
    opts->escape = -1;
    opts->double_quote = true;
    opts->terminator = -1;
    opts->comment = -1;
    opts->newlines_in_values = false;
    opts->null_regex = NULL;
    opts->schema_infer_max_rec = 1000;
    opts->truncated_rows = false;
    opts->string_type = QV_TYPE_UTF8;
    opts->infer_chunk_size = 8192;
}

bool csv_can_split(const csv_options *opts)
{
    return !opts->newlines_in_values && opts->compression == QV_COMPRESSION_NONE;
}

/* ---- level 2: arrow-rs InferredDataType ---- */

enum {
    T_BOOL = 0,
    T_INT = 1,
    T_FLOAT = 2,
    T_DATE = 3,
    T_TS_S = 4,
    T_TS_MS = 5,
    T_TS_US = 6,
    T_TS_NS = 7,
    T_UTF8 = 8
};

static bool is_d(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static bool all_digits(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_d(s[i]))
            return false;
    return true;
}

static bool ieq(const uint8_t *s, size_t n, const char *w)
{
    if (strlen(w) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        if (c != (uint8_t)w[i])
            return false;
    }
    return true;
}

static bool eq(const uint8_t *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* ^-?((\d*\.\d+|\d+\.\d*)([eE][-+]?\d+)?|\d+([eE][-+]?\d+))$ */
static bool match_decimal(const uint8_t *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    size_t int_d = 0, frac_d = 0;
    while (i < n && is_d(s[i])) {
        i++;
        int_d++;
    }
    bool dot = false;
    if (i < n && s[i] == '.') {
        dot = true;
        i++;
        while (i < n && is_d(s[i])) {
            i++;
            frac_d++;
        }
    }
    if (int_d + frac_d == 0)
        return false;
    bool has_exp = false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = 0;
        while (i < n && is_d(s[i])) {
            i++;
            e++;
        }
        if (e == 0)
            return false;
        has_exp = true;
    }
    if (i != n)
        return false;
    return dot || has_exp;
}

/* `.*` in the arrow-rs regexes does not cross a '\n'. */
static bool no_newline(const uint8_t *s, size_t n)
{
    return memchr(s, '\n', n) == NULL;
}

static int classify(const uint8_t *s, size_t n)
{
    if (n > 0 && s[0] == '"')
        return T_UTF8;
    if (ieq(s, n, "true") || ieq(s, n, "false"))
        return T_BOOL;
    {
        size_t i = (n > 0 && s[0] == '-') ? 1 : 0;
        if (i < n && all_digits(s + i, n - i)) {
            int64_t v;
            if (n >= 19 && !fmt_parse_int((const char *)s, n, INT64_MIN, INT64_MAX, &v))
                return T_UTF8;
            return T_INT;
        }
    }
    if (match_decimal(s, n))
        return T_FLOAT;
    if (n >= 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) && s[7] == '-' &&
        all_digits(s + 8, 2)) {
        if (n == 10)
            return T_DATE;
        if (n >= 19 && (s[10] == 'T' || s[10] == ' ') && all_digits(s + 11, 2) && s[13] == ':' &&
            all_digits(s + 14, 2) && s[16] == ':' && all_digits(s + 17, 2)) {
            const uint8_t *rest = s + 19;
            size_t rn = n - 19;
            if (rn == 0 || (!is_d(rest[0]) && rest[0] != '.' && no_newline(rest, rn)))
                return T_TS_S;
            if (rest[0] == '.') {
                size_t k = 1;
                while (k < rn && is_d(rest[k]))
                    k++;
                size_t frac = k - 1;
                if (k == rn || no_newline(rest + k, rn - k)) {
                    if (frac >= 1 && frac <= 3)
                        return T_TS_MS;
                    if (frac >= 4 && frac <= 6)
                        return T_TS_US;
                    if (frac >= 7 && frac <= 9)
                        return T_TS_NS;
                }
            }
        }
    }
    if (eq(s, n, "NaN") || eq(s, n, "nan") || eq(s, n, "inf") || eq(s, n, "-inf"))
        return T_FLOAT;
    return T_UTF8;
}

/* Possible final types, one bit each (level 3). */
enum { P_NULL, P_BOOL, P_INT, P_FLOAT, P_DATE, P_TS_S, P_TS_MS, P_TS_US, P_TS_NS, P_UTF8 };

/* InferredDataType::get: packed bits to a type. */
static int packed_to_type(uint16_t packed)
{
    if (packed == 0)
        return P_NULL;
    if (packed == 1u << T_BOOL)
        return P_BOOL;
    if (packed == 1u << T_INT)
        return P_INT;
    if (packed == (1u << T_FLOAT) || packed == ((1u << T_FLOAT) | (1u << T_INT)))
        return P_FLOAT;
    if ((packed & ~0xF8u) == 0) {
        if (packed & (1u << T_TS_NS))
            return P_TS_NS;
        if (packed & (1u << T_TS_US))
            return P_TS_US;
        if (packed & (1u << T_TS_MS))
            return P_TS_MS;
        if (packed & (1u << T_TS_S))
            return P_TS_S;
        return P_DATE;
    }
    return P_UTF8;
}

/* State of one file's inference across its chunks. */
typedef struct infer_state {
    const csv_options *opts;
    csv_dialect dialect;
    csv_null *nulls;
    const char *name;
    int64_t records_left;
    int64_t chunk_index;
    bool have_columns;
    int32_t n_cols;
    char **names;       /* n_cols, owned */
    uint16_t *possible; /* n_cols bitsets over P_* */
    uint16_t *packed;   /* scratch: per-chunk InferredDataType */
    csv_fields fields;
    bool done;
    qv_error *err;
} infer_state;

static qv_status infer_error(infer_state *st, qv_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static qv_status infer_error(infer_state *st, qv_status code, const char *fmt, ...)
{
    char detail[768];
    va_list args;
    va_start(args, fmt);
    vsnprintf(detail, sizeof detail, fmt, args);
    va_end(args);
    return base_error_set(st->err, code, "Error when processing CSV file %s\ncaused by\n%s",
                          st->name ? st->name : "<memory>", detail);
}

static int64_t line_of(const uint8_t *data, size_t offset)
{
    int64_t line = 1;
    for (size_t i = 0; i < offset; i++)
        line += data[i] == '\n';
    return line;
}

/* Checks a record's UTF-8 as the csv crate's StringRecord does. */
static qv_status check_record_utf8(infer_state *st, const csv_fields *f, size_t first,
                                   const uint8_t *chunk, size_t rec_start)
{
    for (size_t k = first; k < f->n; k++) {
        size_t a = csv_field_start(f, k), b = f->ends[k];
        size_t ok = fmt_utf8_valid_prefix(f->data + a, b - a);
        if (ok != b - a)
            return infer_error(st, QV_EXECUTION,
                               "Arrow error: Csv error: Encountered UTF-8 error while reading "
                               "CSV file: invalid utf-8: invalid UTF-8 in field %zu near byte "
                               "index %zu at line %lld",
                               k - first, ok, (long long)line_of(chunk, rec_start));
    }
    return QV_OK;
}

static qv_status set_columns(infer_state *st, const csv_fields *f, bool header)
{
    int32_t n = (int32_t)f->n;
    st->names = base_calloc((size_t)(n ? n : 1), sizeof *st->names);
    st->possible = base_calloc((size_t)(n ? n : 1), sizeof *st->possible);
    st->packed = base_calloc((size_t)(n ? n : 1), sizeof *st->packed);
    if (st->names == NULL || st->possible == NULL || st->packed == NULL)
        return base_error_nomem(st->err, "inferred schema");
    st->n_cols = n;
    for (int32_t i = 0; i < n; i++) {
        char buf[32];
        if (header) {
            size_t a = csv_field_start(f, (size_t)i);
            st->names[i] = base_strndup((const char *)f->data + a, f->ends[i] - a);
        } else {
            snprintf(buf, sizeof buf, "column_%d", i + 1);
            st->names[i] = base_strdup(buf);
        }
        if (st->names[i] == NULL)
            return base_error_nomem(st->err, "inferred schema");
    }
    st->have_columns = true;
    return QV_OK;
}

static void update_types(infer_state *st, const csv_fields *f, int32_t n_cols)
{
    for (int32_t i = 0; i < n_cols && (size_t)i < f->n; i++) {
        size_t a = csv_field_start(f, (size_t)i);
        const uint8_t *s = f->data + a;
        size_t n = f->ends[i] - a;
        if (csv_null_match(st->nulls, s, n))
            continue;
        st->packed[i] |= (uint16_t)(1u << classify(s, n));
    }
}

/* Level 2 on one chunk, then folds its types into st->possible. */
static qv_status infer_chunk(infer_state *st, const uint8_t *data, size_t len)
{
    bool first = st->chunk_index == 0;
    bool header = first && st->opts->has_header;
    bool flexible = st->opts->truncated_rows;
    csv_fields *f = &st->fields;
    size_t pos = 0, rec_start = 0;
    int64_t max_records = st->records_left;
    int64_t records = 0;
    int32_t chunk_cols = 0;
    bool pending_first = false; /* without header the first record is data */

    csv_fields_clear(f);
    csv_tok_result r = csv_tokenize_record(&st->dialect, data, len, &pos, true, f, &rec_start);
    if (r == CSV_TOK_NOMEM)
        return base_error_nomem(st->err, "CSV record");
    if (r == CSV_TOK_RECORD) {
        QV_TRY(check_record_utf8(st, f, 0, data, rec_start));
        chunk_cols = (int32_t)f->n;
        pending_first = !header;
    }
    if (first) {
        QV_TRY(set_columns(st, f, header));
    } else if (chunk_cols != st->n_cols) {
        return infer_error(st, QV_EXECUTION,
                           "Execution error: Encountered unequal lengths between records on CSV "
                           "file whilst inferring schema. Expected %d fields, found %d fields at "
                           "record %lld",
                           st->n_cols, chunk_cols, (long long)st->chunk_index + 1);
    }
    memset(st->packed, 0, (size_t)(st->n_cols ? st->n_cols : 1) * sizeof *st->packed);
    int32_t expected = (int32_t)f->n;

    while (records < max_records && (pending_first || r == CSV_TOK_RECORD)) {
        if (!pending_first) {
            csv_fields_clear(f);
            r = csv_tokenize_record(&st->dialect, data, len, &pos, true, f, &rec_start);
            if (r == CSV_TOK_NOMEM)
                return base_error_nomem(st->err, "CSV record");
            if (r != CSV_TOK_RECORD)
                break;
            QV_TRY(check_record_utf8(st, f, 0, data, rec_start));
            if (!flexible && (int32_t)f->n != expected)
                return infer_error(st, QV_EXECUTION,
                                   "Arrow error: Csv error: Encountered unequal lengths between "
                                   "records on CSV file. Expected %d records, found %zu records "
                                   "at line %lld",
                                   expected, f->n, (long long)line_of(data, rec_start));
        }
        pending_first = false;
        records++;
        update_types(st, f, st->n_cols);
    }

    st->records_left -= records;
    for (int32_t i = 0; i < st->n_cols; i++) {
        /* The first chunk records a type only when it read a data row. */
        if (first && records == 0)
            continue;
        st->possible[i] |= (uint16_t)(1u << packed_to_type(st->packed[i]));
    }
    st->chunk_index++;
    if (st->records_left <= 0)
        st->done = true;
    return QV_OK;
}

/* ---- level 1: object_store's LineDelimiter ---- */

typedef struct line_delimiter {
    uint8_t *remainder;
    size_t rem_len, rem_cap;
    bool is_quote, is_escape;
} line_delimiter;

static bool rem_append(line_delimiter *ld, const uint8_t *p, size_t n)
{
    if (ld->rem_len + n > ld->rem_cap) {
        size_t cap = ld->rem_cap ? ld->rem_cap : 4096;
        while (cap < ld->rem_len + n)
            cap *= 2;
        uint8_t *grown = base_realloc(ld->remainder, cap);
        if (grown == NULL)
            return false;
        ld->remainder = grown;
        ld->rem_cap = cap;
    }
    memcpy(ld->remainder + ld->rem_len, p, n);
    ld->rem_len += n;
    return true;
}

/* Pushes one block; complete chunks go to infer_chunk. */
static qv_status ld_push(line_delimiter *ld, infer_state *st, const uint8_t *block, size_t n)
{
    /* The first and last record ends in the block (offset after '\n'). */
    size_t first_end = 0, last_end = 0;
    bool have_first = false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = block[i];
        if (ld->is_escape) {
            ld->is_escape = false;
        } else if (c == '\\') {
            ld->is_escape = true;
        } else if (c == '"') {
            ld->is_quote = !ld->is_quote;
        } else if (!ld->is_quote && c == '\n') {
            if (!have_first) {
                first_end = i + 1;
                have_first = true;
            }
            last_end = i + 1;
        }
    }
    size_t start = 0;
    if (ld->rem_len > 0) {
        if (!have_first) {
            if (!rem_append(ld, block, n))
                return base_error_nomem(st->err, "CSV inference buffer");
            return QV_OK;
        }
        if (!rem_append(ld, block, first_end))
            return base_error_nomem(st->err, "CSV inference buffer");
        QV_TRY(infer_chunk(st, ld->remainder, ld->rem_len));
        ld->rem_len = 0;
        if (st->done)
            return QV_OK;
        start = first_end;
        /* next_back() after the first end was taken: none left means start */
        if (last_end == first_end)
            last_end = start;
    } else if (!have_first) {
        last_end = 0;
    }
    if (last_end != start) {
        QV_TRY(infer_chunk(st, block + start, last_end - start));
        if (st->done)
            return QV_OK;
    }
    if (last_end != n && !rem_append(ld, block + last_end, n - last_end))
        return base_error_nomem(st->err, "CSV inference buffer");
    return QV_OK;
}

static qv_status ld_finish(line_delimiter *ld, infer_state *st)
{
    if (st->done || ld->rem_len == 0)
        return QV_OK;
    if (ld->is_quote)
        return infer_error(st, QV_EXECUTION,
                           "Object Store error: Generic LineDelimiter error: encountered "
                           "unterminated string");
    if (ld->is_escape)
        return infer_error(st, QV_EXECUTION,
                           "Object Store error: Generic LineDelimiter error: encountered "
                           "trailing escape character");
    qv_status status = infer_chunk(st, ld->remainder, ld->rem_len);
    ld->rem_len = 0;
    return status;
}

/* ---- level 3 and the public functions ---- */

static qv_status build_schema(infer_state *st, arrow_schema **out)
{
    qv_error *err = st->err;
    arrow_field **fields = base_calloc((size_t)(st->n_cols ? st->n_cols : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "inferred schema");
    qv_status status = QV_OK;
    for (int32_t i = 0; i < st->n_cols && status == QV_OK; i++) {
        uint16_t p = (uint16_t)(st->possible[i] & ~(1u << P_NULL));
        int kind;
        int count = __builtin_popcount(p);
        if (count == 0)
            kind = P_NULL;
        else if (count == 1)
            kind = __builtin_ctz(p);
        else if (count == 2 && p == ((1u << P_INT) | (1u << P_FLOAT)))
            kind = P_FLOAT;
        else
            kind = P_UTF8;
        arrow_type *type = NULL;
        switch (kind) {
        case P_NULL:
            type = arrow_type_primitive(QV_TYPE_NULL);
            break;
        case P_BOOL:
            type = arrow_type_primitive(QV_TYPE_BOOLEAN);
            break;
        case P_INT:
            type = arrow_type_primitive(QV_TYPE_INT64);
            break;
        case P_FLOAT:
            type = arrow_type_primitive(QV_TYPE_FLOAT64);
            break;
        case P_DATE:
            type = arrow_type_primitive(QV_TYPE_DATE32);
            break;
        case P_TS_S:
            status = arrow_type_timestamp(QV_UNIT_SECOND, NULL, &type, err);
            break;
        case P_TS_MS:
            status = arrow_type_timestamp(QV_UNIT_MILLISECOND, NULL, &type, err);
            break;
        case P_TS_US:
            status = arrow_type_timestamp(QV_UNIT_MICROSECOND, NULL, &type, err);
            break;
        case P_TS_NS:
            status = arrow_type_timestamp(QV_UNIT_NANOSECOND, NULL, &type, err);
            break;
        default:
            type = arrow_type_primitive(st->opts->string_type);
            break;
        }
        if (status == QV_OK && type == NULL)
            status = base_error_set(err, QV_INVALID, "invalid inferred string type");
        if (status == QV_OK)
            status = arrow_field_new(st->names[i], type, true, NULL, &fields[i], err);
        arrow_type_release(type);
    }
    if (status == QV_OK)
        status = arrow_schema_new(st->n_cols, fields, NULL, out, err);
    for (int32_t i = 0; i < st->n_cols; i++)
        arrow_field_release(fields[i]);
    base_free(fields);
    return status;
}

static void state_free(infer_state *st)
{
    for (int32_t i = 0; i < st->n_cols; i++)
        base_free(st->names[i]);
    base_free(st->names);
    base_free(st->possible);
    base_free(st->packed);
    csv_fields_free(&st->fields);
    csv_null_free(st->nulls);
}

static qv_status state_init(infer_state *st, const csv_options *opts, const char *name,
                            int64_t records_left, qv_error *err)
{
    memset(st, 0, sizeof *st);
    st->opts = opts;
    csv_dialect_from_options(opts, &st->dialect);
    st->name = name;
    st->records_left = records_left;
    st->err = err;
    csv_fields_init(&st->fields);
    if (opts->string_type != QV_TYPE_UTF8 && opts->string_type != QV_TYPE_UTF8_VIEW &&
        opts->string_type != QV_TYPE_LARGE_UTF8)
        return base_error_set(err, QV_INVALID, "CSV inference: string_type must be a string type");
    QV_TRY(csv_null_new(opts->null_regex, &st->nulls, err));
    if (records_left <= 0)
        st->done = false; /* the first chunk still names the columns */
    return QV_OK;
}

/* One file: feeds its blocks (from memory or disk) through the delimiter. */
static qv_status infer_file(const uint8_t *data, size_t len, io_file *file, const csv_options *opts,
                            const char *name, int64_t *records_left, arrow_schema **out,
                            qv_error *err)
{
    *out = NULL;
    QV_TRY(fmt_compression_check(opts->compression, err));
    infer_state st;
    line_delimiter ld = {NULL, 0, 0, false, false};
    uint8_t *block = NULL;
    qv_status status = state_init(&st, opts, name, *records_left, err);
    size_t block_size = opts->infer_chunk_size > 0 ? (size_t)opts->infer_chunk_size : 8192;
    bool compressed = opts->compression != QV_COMPRESSION_NONE;
    if (status == QV_OK && (file != NULL || compressed)) {
        block = base_alloc(block_size);
        if (block == NULL)
            status = base_error_nomem(err, "CSV inference buffer");
    }
    fmt_inflate *inflate = NULL;
    if (status == QV_OK && compressed)
        status = file ? fmt_inflate_open_file(file, opts->compression, name, &inflate, err)
                      : fmt_inflate_open_buffer(data, len, opts->compression, name, &inflate, err);
    size_t offset = 0;
    size_t total = file ? (size_t)io_file_size(file) : len;
    while (status == QV_OK && !st.done && (compressed || offset < total)) {
        size_t n = total - offset < block_size ? total - offset : block_size;
        const uint8_t *p;
        if (compressed) {
            /* the decompressed stream, in blocks of the same size */
            status = fmt_inflate_read(inflate, block, block_size, &n, err);
            if (status != QV_OK || n == 0)
                break;
            p = block;
        } else if (file) {
            int64_t got;
            status = io_file_read_at(file, (int64_t)offset, block, (int64_t)n, &got, err);
            if (status != QV_OK)
                break;
            if (got == 0)
                break;
            n = (size_t)got;
            p = block;
        } else {
            p = data + offset;
        }
        status = ld_push(&ld, &st, p, n);
        offset += n;
        /* With a zero budget the first chunk only names the columns. */
        if (st.chunk_index > 0 && st.records_left <= 0)
            st.done = true;
    }
    if (status == QV_OK)
        status = ld_finish(&ld, &st);
    if (status == QV_OK)
        status = build_schema(&st, out);
    if (status == QV_OK)
        *records_left = st.records_left < 0 ? 0 : st.records_left;
    base_free(ld.remainder);
    base_free(block);
    fmt_inflate_free(inflate);
    state_free(&st);
    return status;
}

qv_status csv_infer_buffer(const uint8_t *data, size_t len, const csv_options *opts,
                           const char *name, int64_t *records_left, arrow_schema **out,
                           qv_error *err)
{
    return infer_file(data, len, NULL, opts, name, records_left, out, err);
}

qv_status csv_infer_files(const char *const *paths, int32_t n, const csv_options *opts,
                          arrow_schema **out, qv_error *err)
{
    *out = NULL;
    arrow_schema **schemas = base_calloc((size_t)(n > 0 ? n : 1), sizeof *schemas);
    if (schemas == NULL)
        return base_error_nomem(err, "inferred schemas");
    int64_t left = opts->schema_infer_max_rec;
    qv_status status = QV_OK;
    int32_t used = 0;
    for (int32_t i = 0; i < n && status == QV_OK; i++) {
        io_file *file;
        status = io_file_open(paths[i], &file, err);
        if (status != QV_OK)
            break;
        status = infer_file(NULL, 0, file, opts, paths[i], &left, &schemas[used], err);
        io_file_close(file);
        if (status == QV_OK)
            used++;
        if (left <= 0)
            break;
    }
    if (status == QV_OK)
        status = fmt_schema_merge(used, schemas, out, err);
    for (int32_t i = 0; i < used; i++)
        arrow_schema_release(schemas[i]);
    base_free(schemas);
    return status;
}
