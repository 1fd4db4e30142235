/*
 * csv_writer.c — batches as CSV text (layer: format), as arrow-rs's csv
 * Writer produces it for DataFusion's COPY and INSERT: values formatted by
 * the ArrayFormatter (arrow_format_value: `1.5`, `2024-01-02`,
 * `2024-01-02T03:04:05`), NULL as null_value (default empty), the header
 * row before the first batch, `\n` after every record, and the csv crate's
 * quoting rules: with QuoteStyle::Necessary a field is quoted when it holds
 * the delimiter, the quote, `\r` or `\n` (or the escape character when
 * quotes are escaped), and a record made of one empty field is written
 * `""`; quotes inside a quoted field are doubled, or escaped with the
 * escape character when double_quote is off. Nested types are refused as
 * arrow-rs refuses them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/writer_int.h"

struct csv_writer {
    csv_write_options opts;
    char *null_value;
    arrow_schema *schema;
    bool header_done;
    bool needs_quote[256];
    base_strbuf field; /* one formatted value */
    char digits[24];   /* one integer */
};

void csv_write_options_init(csv_write_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->has_header = true;
    opts->delimiter = ',';
    opts->quote = '"';
    opts->escape = '\\';
    opts->double_quote = true;
    opts->quote_style = CSV_QUOTE_NECESSARY;
}

/* The type a custom format option applies to, for the not-implemented
 * check: 1 date32, 2 date64, 3 time, 4 timestamp, 5 timestamp with zone. */
static int temporal_kind(const arrow_type *t)
{
    switch (t->id) {
    case QV_TYPE_DATE32:
        return 1;
    case QV_TYPE_DATE64:
        return 2;
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
        return 3;
    case QV_TYPE_TIMESTAMP:
        return t->timezone != NULL ? 5 : 4;
    default:
        return 0;
    }
}

static qv_status check_schema(const arrow_schema *schema, const csv_write_options *opts,
                              qv_error *err)
{
    const char *formats[6] = {NULL,
                              opts->date_format,
                              opts->datetime_format,
                              opts->time_format,
                              opts->timestamp_format,
                              opts->timestamp_tz_format};
    static const char *const names[6] = {"",
                                         "date_format",
                                         "datetime_format",
                                         "time_format",
                                         "timestamp_format",
                                         "timestamp_tz_format"};
    for (int32_t c = 0; c < schema->n_fields; c++) {
        const arrow_type *t = schema->fields[c]->type;
        if (arrow_type_is_nested(t->id) || t->id == QV_TYPE_RUN_END_ENCODED) {
            base_strbuf sb;
            base_strbuf_init(&sb);
            arrow_type_format(t, &sb);
            qv_status st = base_error_set(err, QV_NOT_IMPLEMENTED,
                                          "Arrow error: Csv error: Nested type %s is not "
                                          "supported in CSV",
                                          base_strbuf_cstr(&sb));
            base_strbuf_free(&sb);
            return st;
        }
        int kind = temporal_kind(t);
        if (kind > 0 && formats[kind] != NULL)
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: CSV option format.%s "
                                  "(column %s)",
                                  names[kind], schema->fields[c]->name);
    }
    return QV_OK;
}

qv_status csv_writer_new(arrow_schema *schema, const csv_write_options *opts, csv_writer **out,
                         qv_error *err)
{
    *out = NULL;
    QV_TRY(check_schema(schema, opts, err));
    csv_writer *w = base_calloc(1, sizeof *w);
    if (w == NULL)
        return base_error_nomem(err, "csv writer");
    w->opts = *opts;
    w->null_value = base_strdup(opts->null_value != NULL ? opts->null_value : "");
    if (w->null_value == NULL) {
        base_free(w);
        return base_error_nomem(err, "csv writer");
    }
    /* the csv crate's requires_quotes table (terminator '\n') */
    w->needs_quote[opts->delimiter] = true;
    w->needs_quote[opts->quote] = true;
    if (!opts->double_quote)
        w->needs_quote[opts->escape] = true;
    w->needs_quote['\r'] = true;
    w->needs_quote['\n'] = true;
    w->schema = arrow_schema_retain(schema);
    base_strbuf_init(&w->field);
    *out = w;
    return QV_OK;
}

void csv_writer_free(csv_writer *w)
{
    if (w == NULL)
        return;
    arrow_schema_release(w->schema);
    base_strbuf_free(&w->field);
    base_free(w->null_value);
    base_free(w);
}

/* The csv crate's is_non_numeric: neither an f64 nor an i128. */
static bool is_numeric(const uint8_t *s, size_t len)
{
    if (len == 0 || len > 64)
        return false;
    char buf[65];
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end = NULL;
    const char *p = buf;
    if (*p == '+' || *p == '-')
        p++;
    /* Rust's f64 parser: digits, '.', exponent, "inf", "infinity", "nan" */
    if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0 || strcasecmp(p, "nan") == 0)
        return true;
    for (const char *q = p; *q; q++)
        if (!(*q >= '0' && *q <= '9') && *q != '.' && *q != 'e' && *q != 'E' && *q != '+' &&
            *q != '-')
            return false;
    strtod(buf, &end);
    return end != buf && *end == '\0';
}

static void write_field(csv_writer *w, const uint8_t *s, size_t len, base_strbuf *out)
{
    const csv_write_options *o = &w->opts;
    bool quote = false;
    switch (o->quote_style) {
    case CSV_QUOTE_ALWAYS:
        quote = true;
        break;
    case CSV_QUOTE_NEVER:
        break;
    case CSV_QUOTE_NON_NUMERIC:
        quote = !is_numeric(s, len);
        break;
    default:
        for (size_t i = 0; i < len && !quote; i++)
            quote = w->needs_quote[s[i]];
        break;
    }
    if (!quote) {
        base_strbuf_append(out, (const char *)s, len);
        return;
    }
    base_strbuf_append_char(out, (char)o->quote);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != o->quote)
            continue;
        base_strbuf_append(out, (const char *)s + run, i - run);
        base_strbuf_append_char(out, (char)(o->double_quote ? o->quote : o->escape));
        run = i; /* the quote itself follows */
    }
    base_strbuf_append(out, (const char *)s + run, len - run);
    base_strbuf_append_char(out, (char)o->quote);
}

static bool is_blank(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Value i of column c, formatted (strings trimmed as the options say). */
static qv_status format_value(csv_writer *w, const arrow_array *col, int64_t i, const uint8_t **s,
                              size_t *len, qv_error *err)
{
    if (!arrow_array_is_valid(col, i)) {
        *s = (const uint8_t *)w->null_value;
        *len = strlen(w->null_value);
        return QV_OK;
    }
    if (writer_is_string(col->type->id)) {
        *s = writer_bytes_at(col, i, len);
        if (w->opts.trim_leading)
            while (*len > 0 && is_blank(**s))
                (*s)++, (*len)--;
        if (w->opts.trim_trailing)
            while (*len > 0 && is_blank((*s)[*len - 1]))
                (*len)--;
        return QV_OK;
    }
    if (arrow_type_is_integer(col->type->id)) {
        *len = writer_integer_at(col, i, w->digits);
        *s = (const uint8_t *)w->digits;
        return QV_OK;
    }
    base_strbuf_clear(&w->field);
    QV_TRY(arrow_format_value(col, i, &w->field, err));
    if (base_strbuf_failed(&w->field))
        return base_error_nomem(err, "csv writer");
    *s = (const uint8_t *)w->field.data;
    *len = w->field.len;
    if (*s == NULL)
        *s = (const uint8_t *)"";
    return QV_OK;
}

static void end_record(csv_writer *w, size_t record_start, base_strbuf *out)
{
    /* one empty field: the csv crate writes "" so that the record survives */
    if (out->len == record_start && w->opts.quote_style != CSV_QUOTE_NEVER) {
        base_strbuf_append_char(out, (char)w->opts.quote);
        base_strbuf_append_char(out, (char)w->opts.quote);
    }
    base_strbuf_append_char(out, '\n');
}

qv_status csv_writer_write(csv_writer *w, arrow_batch *batch, base_strbuf *out, qv_error *err)
{
    int32_t n_cols = w->schema->n_fields;
    if (batch->schema->n_fields != n_cols)
        return base_error_set(err, QV_MISUSE, "csv writer: batch has %d columns, schema %d",
                              batch->schema->n_fields, n_cols);
    if (w->opts.has_header && !w->header_done) {
        size_t start = out->len;
        for (int32_t c = 0; c < n_cols; c++) {
            if (c > 0)
                base_strbuf_append_char(out, (char)w->opts.delimiter);
            const char *name = w->schema->fields[c]->name;
            write_field(w, (const uint8_t *)name, strlen(name), out);
        }
        end_record(w, start, out);
    }
    w->header_done = true;
    for (int64_t r = 0; r < batch->n_rows; r++) {
        size_t start = out->len;
        for (int32_t c = 0; c < n_cols; c++) {
            if (c > 0)
                base_strbuf_append_char(out, (char)w->opts.delimiter);
            const uint8_t *s = NULL;
            size_t len = 0;
            QV_TRY(format_value(w, batch->columns[c], r, &s, &len, err));
            write_field(w, s, len, out);
        }
        end_record(w, start, out);
    }
    if (base_strbuf_failed(out))
        return base_error_nomem(err, "csv writer output");
    return QV_OK;
}
