/*
 * reader_int.h — private to the streaming readers of src/format: what they
 * share, in reader_common.c. All of them (CSV, NDJSON, Parquet, Arrow IPC):
 * the batch size and row limit, the sticky failure of *_next and batch
 * assembly column by column. The text readers (CSV, NDJSON) also: the
 * projected columns with one builder each, the byte range of a split file,
 * and the input buffer over a file or bytes in memory.
 */
#ifndef QV_READER_INT_H
#define QV_READER_INT_H

#include "format/format.h"

/* The rows of a reader's batch stream: batches of batch_size rows until
 * limit rows (< 0: no limit) have been handed out. */
typedef struct reader_rows {
    int64_t batch_size, limit, emitted;
} reader_rows;

/* batch_size <= 0 means the default, 8192. */
void reader_rows_init(reader_rows *rows, int64_t batch_size, int64_t limit);

/* The rows the next batch may hold when `available` are ready: at most the
 * batch size, and 0 once the limit is reached. */
int64_t reader_rows_next(const reader_rows *rows, int64_t available);

/* The sticky failure of a reader's *_next: once a batch failed, every later
 * call returns the same status and error. Zero-initialized: no failure. */
typedef struct reader_failure {
    qv_status status;
    qv_error saved;
} reader_failure;

/* True if an earlier batch failed: *status is that failure and err (may be
 * NULL) gets its saved copy. */
bool reader_failure_get(const reader_failure *failure, qv_status *status, qv_error *err);

/* Records that a batch failed with status: saves err, or `what` when err is
 * NULL. Returns status. */
qv_status reader_failure_set(reader_failure *failure, qv_status status, const qv_error *err,
                             const char *what);

/* Makes column i of a batch of n_rows rows into *out (a new reference). */
typedef qv_status (*reader_build_fn)(void *ctx, int32_t i, int64_t n_rows, arrow_array **out,
                                     qv_error *err);

/* Assembles a batch of schema's columns, n_rows rows, into *out (a new
 * reference), column i from build(ctx, i, ...). Out-of-memory errors name
 * `what`. */
qv_status reader_batch_build(arrow_schema *schema, int64_t n_rows, reader_build_fn build, void *ctx,
                             const char *what, arrow_batch **out, qv_error *err);

/* The projected columns of a reader and the state of its batch stream.
 * Zero-initialized it is empty and may be freed. */
typedef struct reader_columns {
    arrow_schema *file_schema; /* the file's schema (a reference, owned) */
    arrow_schema *out_schema;  /* the projected schema (owned) */
    int32_t *proj;             /* n_proj file column indexes (owned) */
    int32_t n_proj;
    arrow_builder **builders; /* n_proj, one per projected column (owned) */
    reader_rows rows;
    reader_failure failure;
} reader_columns;

/* Checks projected column proj_idx (the file's field f) before its builder
 * is made: QV_OK, or an error status with err set. */
typedef qv_status (*reader_check_fn)(void *ctx, int32_t proj_idx, const arrow_field *f,
                                     qv_error *err);

/* Fills rc from a scan's schema (borrowed; retained), projection (NULL: all
 * columns), batch size (default 8192 if <= 0) and limit. Each projected index
 * is bounds-checked, then passed to check, then given a builder. On failure
 * returns the error (out-of-memory errors name `what`); rc holds whatever
 * was made, for reader_columns_free. */
qv_status reader_columns_open(reader_columns *rc, arrow_schema *schema, const int32_t *projection,
                              int32_t n_projection, int64_t batch_size, int64_t limit,
                              reader_check_fn check, void *ctx, const char *what, qv_error *err);

/* Frees what rc owns (not rc itself). */
void reader_columns_free(reader_columns *rc);

/* The rows the next batch may hold: the batch size, or fewer under the
 * limit. */
int64_t reader_columns_target(const reader_columns *rc);

/* Assembles a batch of n_rows (> 0) rows into *out (a new reference), column
 * i from build(ctx, i, ...) or, with build NULL, by finishing builder i.
 * Out-of-memory errors name `what`. */
qv_status reader_columns_batch(reader_columns *rc, int64_t n_rows, reader_build_fn build, void *ctx,
                               const char *what, arrow_batch **out, qv_error *err);

/* Records that the current batch failed with status: resets the builders
 * (they may hold part of a column) and saves the failure in rc->failure
 * (reader_failure_set). Returns status. */
qv_status reader_columns_fail(reader_columns *rc, qv_status status, const qv_error *err,
                              const char *what);

/* Counts n_rows more rows handed out; true when the stream is over (no rows,
 * or the limit reached). */
bool reader_columns_emitted(reader_columns *rc, int64_t n_rows);

/* A reader's input: the bytes [next_read, read_end) still to read from a
 * file, plus what is buffered. Over bytes in memory the whole range is the
 * buffer from the start (borrowed, never written) and eof is true. */
typedef struct reader_input {
    io_file *file;        /* owned; NULL over memory */
    const uint8_t *mem;   /* borrowed; NULL over a file */
    fmt_inflate *inflate; /* owned; when set, the input is its output (over
                           * the file or memory, which mem is then not) */
    int64_t next_read;    /* absolute offset of the next byte to read */
    int64_t read_end;     /* absolute end of the range */
    uint8_t *buf;         /* owned when buf_cap > 0 */
    size_t buf_len, buf_cap, buf_pos;
    bool eof; /* nothing more to read: the buffer is all */
} reader_input;

/* Sets the range [start, end) to read (from reader_range, or the whole
 * input). */
void reader_input_start(reader_input *in, int64_t start, int64_t end);

/* Drops the consumed bytes [0, buf_pos) and reads more after the rest,
 * growing the buffer when it is full (an out-of-memory error names `what`);
 * sets eof at the end of the range. A read error is returned with the hint
 * "in file <name>" when name is not NULL. */
qv_status reader_input_refill(reader_input *in, const char *what, const char *name, qv_error *err);

/* Closes the file and frees the buffer and decompressor (not in itself). */
void reader_input_free(reader_input *in);

/* Sets in up to read a compressed file or buffer (file / data as given to
 * the reader's open; in takes the file) through a decompressor: the whole
 * decompressed stream is the range. A byte range (range_end >= 0) is
 * refused, since compressed files are never split. */
qv_status reader_input_compressed(reader_input *in, io_file *file, const uint8_t *data, size_t len,
                                  fmt_compression codec, const char *name, int64_t range_end,
                                  qv_error *err);

/* The bytes [*start, *end) of a file of `size` bytes that a reader of the
 * range [range_start, range_end) reads, as DataFusion's calculate_range: each
 * bound moves to just past the first `newline` at or after bound - 1. The
 * bytes are read from in's memory or file (whatever it has buffered is not
 * used). For range_end >= 0 only: without a range the whole file is read.
 * I/O errors are returned. */
qv_status reader_range(const reader_input *in, int64_t size, int64_t range_start, int64_t range_end,
                       uint8_t newline, int64_t *start, int64_t *end, qv_error *err);

#endif /* QV_READER_INT_H */
