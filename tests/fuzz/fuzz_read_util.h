/*
 * fuzz_read_util.h — what the reader fuzz targets (fuzz_csv_reader.c,
 * fuzz_ndjson_reader.c, fuzz_parquet.c, fuzz_arrow_ipc.c) check the same
 * way: every array of every batch validates, batches keep to the batch
 * size, and a file read as two byte ranges gives the rows of the whole.
 * Each failed check aborts (the fuzzer's crash). Header-only: every target
 * is built alone, as a libFuzzer executable and as a replay test.
 */
#ifndef QV_FUZZ_READ_UTIL_H
#define QV_FUZZ_READ_UTIL_H

#include <stdio.h>
#include <stdlib.h>

#include "arrow/arrow.h"

/* Aborts unless every column of b validates. */
static inline void fuzz_validate_batch(const arrow_batch *b)
{
    qv_error err;
    for (int32_t c = 0; c < b->schema->n_fields; c++)
        if (arrow_array_validate(b->columns[c], &err) != QV_OK) {
            fprintf(stderr, "invalid array: %s\n", err.message);
            abort();
        }
}

/* A reader's next: *out a new batch, NULL at the end. */
typedef qv_status (*fuzz_next_fn)(void *reader, arrow_batch **out, qv_error *err);

/* Reads reader to the end, validating every batch and aborting on one of
 * more than max_rows rows. Returns the rows read, -1 when next fails. */
static inline int64_t fuzz_read_all(void *reader, fuzz_next_fn next, int64_t max_rows)
{
    qv_error err;
    int64_t rows = 0;
    for (;;) {
        arrow_batch *b = NULL;
        if (next(reader, &b, &err) != QV_OK)
            return -1;
        if (b == NULL)
            return rows;
        fuzz_validate_batch(b);
        if (b->n_rows > max_rows)
            abort();
        rows += b->n_rows;
        arrow_batch_release(b);
    }
}

/* Aborts when two byte ranges that both read (rows >= 0) do not give the
 * rows of the whole file (when that read). */
static inline void fuzz_check_ranges(int64_t whole, int64_t first, int64_t second)
{
    if (whole >= 0 && first >= 0 && second >= 0 && first + second != whole) {
        fprintf(stderr, "byte ranges read %lld + %lld rows, the whole file %lld\n",
                (long long)first, (long long)second, (long long)whole);
        abort();
    }
}

#endif /* QV_FUZZ_READ_UTIL_H */
