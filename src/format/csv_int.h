/*
 * csv_int.h — private to the CSV files of src/format: the record tokenizer
 * shared by inference and reading.
 */
#ifndef QV_CSV_INT_H
#define QV_CSV_INT_H

#include "format/format.h"

/* The bytes that shape records (from csv_options). */
typedef struct csv_dialect {
    uint8_t delimiter;
    uint8_t quote;
    int16_t escape; /* -1 none */
    bool double_quote;
    int16_t terminator; /* -1: \r, \n or \r\n */
    int16_t comment;    /* -1 none */
} csv_dialect;

void csv_dialect_from_options(const csv_options *opts, csv_dialect *d);

/* Unescaped field bytes of one or more records. Field k of the buffer spans
 * data[ends[k-1] .. ends[k]) (ends[-1] is 0). */
typedef struct csv_fields {
    uint8_t *data;
    size_t len, cap;
    size_t *ends;
    size_t n, n_cap;
    bool failed; /* an allocation failed */
} csv_fields;

void csv_fields_init(csv_fields *f);
void csv_fields_free(csv_fields *f);
void csv_fields_clear(csv_fields *f);

static inline size_t csv_field_start(const csv_fields *f, size_t k)
{
    return k == 0 ? 0 : f->ends[k - 1];
}

typedef enum csv_tok_result {
    CSV_TOK_RECORD,    /* one record parsed; *pos is past its terminator */
    CSV_TOK_END,       /* only blank lines / comments remain up to EOF */
    CSV_TOK_NEED_MORE, /* input ends inside a record and more may come */
    CSV_TOK_NOMEM
} csv_tok_result;

/* Parses the record at data[*pos..len) as csv_core does (blank lines and
 * comment lines skipped, quotes, "" and escapes inside quotes, text after a
 * closing quote kept literally, an open quote at EOF ends the record).
 * Appends its fields to f (the number appended is f->n before/after) and
 * sets *rec_start to the offset of its first byte. On NEED_MORE nothing
 * is appended (f is rolled back) and *pos is unchanged. */
csv_tok_result csv_tokenize_record(const csv_dialect *d, const uint8_t *data, size_t len,
                                   size_t *pos, bool at_eof, csv_fields *f, size_t *rec_start);

/* Which fields are NULL: empty ones, or those a null_regex matches
 * (csv_null.c). */
typedef struct csv_null csv_null;
qv_status csv_null_new(const char *null_regex, csv_null **out, qv_error *err);
void csv_null_free(csv_null *n);
/* n may be NULL (empty fields are NULL). */
bool csv_null_match(csv_null *n, const uint8_t *s, size_t len);

#endif /* QV_CSV_INT_H */
