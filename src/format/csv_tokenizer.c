/*
 * csv_tokenizer.c — splits CSV bytes into records and unescaped fields
 * (layer: format).
 *
 * Follows the state machine of the Rust csv_core crate that arrow-rs (and so
 * DataFusion) uses, so that odd inputs split the same way: blank lines are
 * skipped, a comment byte at the start of a record skips to the next '\n',
 * quotes only open at the start of a field, "" inside quotes is a quote when
 * double_quote is on, the escape byte only works inside quotes, bytes after
 * a closing quote are kept literally, and EOF inside quotes ends the record.
 * Unquoted runs are copied in one go rather than byte by byte.
 */
#include <string.h>

#include "format/csv_int.h"

void csv_dialect_from_options(const csv_options *opts, csv_dialect *d)
{
    d->delimiter = opts->delimiter;
    d->quote = opts->quote;
    d->escape = opts->escape;
    d->double_quote = opts->double_quote;
    d->terminator = opts->terminator;
    d->comment = opts->comment;
}

void csv_fields_init(csv_fields *f)
{
    memset(f, 0, sizeof *f);
}

void csv_fields_free(csv_fields *f)
{
    base_free(f->data);
    base_free(f->ends);
    memset(f, 0, sizeof *f);
}

void csv_fields_clear(csv_fields *f)
{
    f->len = 0;
    f->n = 0;
    f->failed = false;
}

static bool reserve_data(csv_fields *f, size_t extra)
{
    if (f->len + extra <= f->cap)
        return true;
    size_t cap = f->cap ? f->cap : 1024;
    while (cap < f->len + extra)
        cap *= 2;
    uint8_t *grown = base_realloc(f->data, cap);
    if (grown == NULL) {
        f->failed = true;
        return false;
    }
    f->data = grown;
    f->cap = cap;
    return true;
}

static inline bool append(csv_fields *f, const uint8_t *p, size_t n)
{
    if (n == 0)
        return true;
    if (!reserve_data(f, n))
        return false;
    memcpy(f->data + f->len, p, n);
    f->len += n;
    return true;
}

static inline bool end_field(csv_fields *f)
{
    /* data is never NULL once a field exists, so field pointers are valid */
    if (f->data == NULL && !reserve_data(f, 1))
        return false;
    if (f->n == f->n_cap) {
        size_t cap = f->n_cap ? f->n_cap * 2 : 256;
        size_t *grown = base_realloc(f->ends, cap * sizeof *grown);
        if (grown == NULL) {
            f->failed = true;
            return false;
        }
        f->ends = grown;
        f->n_cap = cap;
    }
    f->ends[f->n++] = f->len;
    return true;
}

static inline bool is_term(const csv_dialect *d, uint8_t c)
{
    return d->terminator < 0 ? (c == '\n' || c == '\r') : c == (uint8_t)d->terminator;
}

csv_tok_result csv_tokenize_record(const csv_dialect *d, const uint8_t *data, size_t len,
                                   size_t *pos, bool at_eof, csv_fields *f, size_t *rec_start)
{
    size_t i = *pos;
    size_t saved_len = f->len, saved_n = f->n;
    /* StartRecord: skip blank lines and comment lines. */
    for (;;) {
        if (i >= len)
            return at_eof ? CSV_TOK_END : CSV_TOK_NEED_MORE;
        uint8_t c = data[i];
        if (is_term(d, c)) {
            i++;
            continue;
        }
        if (d->comment >= 0 && c == (uint8_t)d->comment) {
            const uint8_t *nl = memchr(data + i, '\n', len - i);
            if (nl == NULL) {
                if (!at_eof)
                    return CSV_TOK_NEED_MORE;
                i = len;
                continue;
            }
            i = (size_t)(nl - data) + 1;
            continue;
        }
        break;
    }
    *rec_start = i;
    for (;;) {
        /* StartField at i */
        if (i >= len)
            goto field_at_end;
        uint8_t c = data[i];
        if (c == d->quote) {
            i++;
            for (;;) {
                /* InQuotedField: copy the run up to the next special byte. */
                size_t run = i;
                while (i < len && data[i] != d->quote &&
                       !(d->escape >= 0 && data[i] == (uint8_t)d->escape))
                    i++;
                if (!append(f, data + run, i - run))
                    goto nomem;
                if (i >= len)
                    goto field_at_end;
                if (data[i] == d->quote) {
                    i++;
                    /* InDoubleEscapedQuote */
                    if (i >= len)
                        goto field_at_end;
                    c = data[i];
                    if (d->double_quote && c == d->quote) {
                        if (!append(f, &c, 1))
                            goto nomem;
                        i++;
                        continue;
                    }
                    /* any other byte after a closing quote: as in an
                     * unquoted field (a quote is then kept literally) */
                    goto unquoted_byte;
                }
                /* escape: the next byte is copied whatever it is */
                i++;
                if (i >= len)
                    goto field_at_end;
                if (!append(f, data + i, 1))
                    goto nomem;
                i++;
            }
        }
    unquoted_byte:
        if (c == d->delimiter) {
            if (!end_field(f))
                goto nomem;
            i++;
            goto next_field;
        }
        if (is_term(d, c)) {
            if (!end_field(f))
                goto nomem;
            goto record_end;
        }
        {
            /* InField: copy the run up to the next delimiter or terminator. */
            size_t run = i;
            while (i < len && data[i] != d->delimiter && !is_term(d, data[i]))
                i++;
            if (!append(f, data + run, i - run))
                goto nomem;
            if (i >= len)
                goto field_at_end;
            if (!end_field(f))
                goto nomem;
            if (data[i] == d->delimiter) {
                i++;
                goto next_field;
            }
            goto record_end;
        }
    next_field:;
    }
field_at_end:
    /* the input ends inside a field: wait for more, or end the record at EOF */
    if (!at_eof)
        goto need_more;
    if (!end_field(f))
        goto nomem;
    goto done;
record_end:
    /* data[i] is a terminator; \r\n counts as one. */
    if (d->terminator < 0 && data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
        i += 2;
    else
        i++;
done:
    *pos = i;
    return CSV_TOK_RECORD;
need_more:
    f->len = saved_len;
    f->n = saved_n;
    return CSV_TOK_NEED_MORE;
nomem:
    f->len = saved_len;
    f->n = saved_n;
    return CSV_TOK_NOMEM;
}
