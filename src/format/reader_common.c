/*
 * reader_common.c — what the streaming readers share (layer: format): the
 * batch size and row limit, the sticky failure of *_next and batch
 * assembly (all readers); projecting columns and making their builders,
 * DataFusion's byte ranges over a split file, and the block-wise input
 * buffer (CSV and NDJSON). Declared in reader_int.h.
 */
#include <string.h>

#include "format/reader_int.h"

void reader_rows_init(reader_rows *rows, int64_t batch_size, int64_t limit)
{
    rows->batch_size = batch_size > 0 ? batch_size : 8192;
    rows->limit = limit;
    rows->emitted = 0;
}

int64_t reader_rows_next(const reader_rows *rows, int64_t available)
{
    int64_t n = available < rows->batch_size ? available : rows->batch_size;
    if (rows->limit >= 0 && n > rows->limit - rows->emitted)
        n = rows->limit - rows->emitted;
    return n > 0 ? n : 0;
}

bool reader_failure_get(const reader_failure *failure, qv_status *status, qv_error *err)
{
    if (failure->status == QV_OK)
        return false;
    if (err)
        *err = failure->saved;
    *status = failure->status;
    return true;
}

qv_status reader_failure_set(reader_failure *failure, qv_status status, const qv_error *err,
                             const char *what)
{
    failure->status = status;
    if (err)
        failure->saved = *err;
    else
        base_error_set(&failure->saved, status, "%s", what);
    return status;
}

qv_status reader_batch_build(arrow_schema *schema, int64_t n_rows, reader_build_fn build, void *ctx,
                             const char *what, arrow_batch **out, qv_error *err)
{
    int32_t n_cols = schema->n_fields;
    qv_status status = QV_OK;
    arrow_array **cols = base_calloc((size_t)(n_cols ? n_cols : 1), sizeof *cols);
    if (cols == NULL)
        status = base_error_nomem(err, what);
    for (int32_t i = 0; i < n_cols && status == QV_OK; i++)
        status = build(ctx, i, n_rows, &cols[i], err);
    if (status == QV_OK)
        status = arrow_batch_new(schema, n_rows, cols, out, err);
    for (int32_t i = 0; cols && i < n_cols; i++)
        arrow_array_release(cols[i]);
    base_free(cols);
    return status;
}

qv_status reader_columns_open(reader_columns *rc, arrow_schema *schema, const int32_t *projection,
                              int32_t n_projection, int64_t batch_size, int64_t limit,
                              reader_check_fn check, void *ctx, const char *what, qv_error *err)
{
    rc->file_schema = arrow_schema_retain(schema);
    int32_t n_cols = schema->n_fields;
    reader_rows_init(&rc->rows, batch_size, limit);
    rc->n_proj = projection ? n_projection : n_cols;
    size_t n = (size_t)(rc->n_proj ? rc->n_proj : 1);
    rc->proj = base_calloc(n, sizeof *rc->proj);
    rc->builders = base_calloc(n, sizeof *rc->builders);
    arrow_field **fields = base_calloc(n, sizeof *fields);
    if (rc->proj == NULL || rc->builders == NULL || fields == NULL) {
        base_free(fields);
        return base_error_nomem(err, what);
    }
    qv_status status = QV_OK;
    for (int32_t i = 0; i < rc->n_proj && status == QV_OK; i++) {
        int32_t c = projection ? projection[i] : i;
        if (c < 0 || c >= n_cols) {
            status = base_error_set(err, QV_INVALID,
                                    "Arrow error: Schema error: project index %d out of bounds, "
                                    "max field %d",
                                    c, n_cols);
            break;
        }
        rc->proj[i] = c;
        fields[i] = schema->fields[c];
        status = check(ctx, i, fields[i], err);
        if (status != QV_OK)
            break;
        status = arrow_builder_new(fields[i]->type, &rc->builders[i], err);
    }
    if (status == QV_OK)
        status = arrow_schema_new(rc->n_proj, fields, &schema->metadata, &rc->out_schema, err);
    base_free(fields);
    return status;
}

void reader_columns_free(reader_columns *rc)
{
    for (int32_t i = 0; rc->builders && i < rc->n_proj; i++)
        arrow_builder_free(rc->builders[i]);
    base_free(rc->builders);
    base_free(rc->proj);
    arrow_schema_release(rc->file_schema);
    arrow_schema_release(rc->out_schema);
}

int64_t reader_columns_target(const reader_columns *rc)
{
    return reader_rows_next(&rc->rows, rc->rows.batch_size);
}

/* A reader_build_fn finishing the builders (ctx: the reader_columns). */
static qv_status finish_builder(void *ctx, int32_t i, int64_t n_rows, arrow_array **out,
                                qv_error *err)
{
    (void)n_rows;
    const reader_columns *rc = ctx;
    return arrow_builder_finish(rc->builders[i], out, err);
}

qv_status reader_columns_batch(reader_columns *rc, int64_t n_rows, reader_build_fn build, void *ctx,
                               const char *what, arrow_batch **out, qv_error *err)
{
    if (build == NULL)
        return reader_batch_build(rc->out_schema, n_rows, finish_builder, rc, what, out, err);
    return reader_batch_build(rc->out_schema, n_rows, build, ctx, what, out, err);
}

qv_status reader_columns_fail(reader_columns *rc, qv_status status, const qv_error *err,
                              const char *what)
{
    /* builders may hold part of a column; finishing resets them */
    for (int32_t i = 0; i < rc->n_proj; i++) {
        arrow_array *junk = NULL;
        if (arrow_builder_finish(rc->builders[i], &junk, NULL) == QV_OK)
            arrow_array_release(junk);
    }
    return reader_failure_set(&rc->failure, status, err, what);
}

bool reader_columns_emitted(reader_columns *rc, int64_t n_rows)
{
    rc->rows.emitted += n_rows;
    return n_rows == 0 || (rc->rows.limit >= 0 && rc->rows.emitted >= rc->rows.limit);
}

/* First byte after the first `newline` at or after offset, or limit. */
static qv_status find_after_newline(io_file *file, const uint8_t *mem, int64_t offset,
                                    int64_t limit, uint8_t newline, int64_t *out, qv_error *err)
{
    if (mem) {
        const uint8_t *p = memchr(mem + offset, newline, (size_t)(limit - offset));
        *out = p ? (int64_t)(p - mem) + 1 : limit;
        return QV_OK;
    }
    uint8_t block[4096];
    while (offset < limit) {
        int64_t want =
            limit - offset < (int64_t)sizeof block ? limit - offset : (int64_t)sizeof block;
        int64_t got;
        QV_TRY(io_file_read_at(file, offset, block, want, &got, err));
        if (got == 0)
            break;
        const uint8_t *p = memchr(block, newline, (size_t)got);
        if (p) {
            *out = offset + (int64_t)(p - block) + 1;
            return QV_OK;
        }
        offset += got;
    }
    *out = limit;
    return QV_OK;
}

qv_status reader_range(const reader_input *in, int64_t size, int64_t range_start, int64_t range_end,
                       uint8_t newline, int64_t *start, int64_t *end, qv_error *err)
{
    *start = 0;
    *end = size;
    int64_t rs = range_start < 0 ? 0 : range_start;
    int64_t re = range_end > size ? size : range_end;
    if (rs > size)
        rs = size;
    if (rs != 0)
        QV_TRY(find_after_newline(in->file, in->mem, rs - 1, size, newline, start, err));
    if (re < size && re > 0)
        QV_TRY(find_after_newline(in->file, in->mem, re - 1, size, newline, end, err));
    else if (re <= 0)
        *end = 0;
    return QV_OK;
}

enum { READ_BLOCK = 1 << 20 };

void reader_input_start(reader_input *in, int64_t start, int64_t end)
{
    in->next_read = start;
    in->read_end = end;
    if (in->mem) {
        in->buf = (uint8_t *)in->mem + start; /* never written: buf_cap stays 0 */
        in->buf_len = (size_t)(end > start ? end - start : 0);
        in->next_read = end;
        in->eof = true;
    }
}

qv_status reader_input_refill(reader_input *in, const char *what, const char *name, qv_error *err)
{
    if (in->buf_pos > 0) {
        memmove(in->buf, in->buf + in->buf_pos, in->buf_len - in->buf_pos);
        in->buf_len -= in->buf_pos;
        in->buf_pos = 0;
    }
    if (in->buf_len == in->buf_cap) {
        size_t cap = in->buf_cap ? in->buf_cap * 2 : READ_BLOCK;
        uint8_t *grown = base_realloc(in->buf, cap);
        if (grown == NULL)
            return base_error_nomem(err, what);
        in->buf = grown;
        in->buf_cap = cap;
    }
    int64_t want = (int64_t)(in->buf_cap - in->buf_len);
    if (want > in->read_end - in->next_read)
        want = in->read_end - in->next_read;
    int64_t got = 0;
    qv_status status;
    if (in->inflate != NULL) {
        size_t n = 0;
        status = fmt_inflate_read(in->inflate, in->buf + in->buf_len, (size_t)want, &n, err);
        got = (int64_t)n;
    } else {
        status = io_file_read_at(in->file, in->next_read, in->buf + in->buf_len, want, &got, err);
    }
    if (status != QV_OK) {
        if (name)
            base_error_set_hint(err, "in file %s", name);
        return status;
    }
    in->buf_len += (size_t)got;
    in->next_read += got;
    if (got == 0 || in->next_read >= in->read_end)
        in->eof = true;
    return QV_OK;
}

void reader_input_free(reader_input *in)
{
    if (in->buf_cap)
        base_free(in->buf);
    fmt_inflate_free(in->inflate);
    io_file_close(in->file);
}

qv_status reader_input_compressed(reader_input *in, io_file *file, const uint8_t *data, size_t len,
                                  fmt_compression codec, const char *name, int64_t range_end,
                                  qv_error *err)
{
    in->file = file;
    in->mem = NULL;
    if (range_end >= 0)
        return base_error_set(err, QV_INVALID, "a %s compressed file cannot be read in byte ranges",
                              fmt_compression_name(codec));
    if (file != NULL)
        return fmt_inflate_open_file(file, codec, name, &in->inflate, err);
    return fmt_inflate_open_buffer(data, len, codec, name, &in->inflate, err);
}
