/*
 * output.c — a file being written by a format writer (layer: format): an
 * io_writer, behind a compressor when the file is compressed, with the
 * written bytes buffered into large writes.
 */
#include <string.h>

#include "format/format.h"

enum { WRITE_BLOCK = 1 << 16 };

struct fmt_output {
    io_writer *file;
    fmt_deflate *deflate; /* NULL: uncompressed */
    uint8_t *buf;
    size_t len;
    int64_t bytes_in; /* uncompressed bytes written */
};

static qv_status to_file(void *user, const uint8_t *data, size_t len, qv_error *err)
{
    return io_writer_write(user, data, len, err);
}

static qv_status flush(fmt_output *o, qv_error *err)
{
    if (o->len == 0)
        return QV_OK;
    size_t n = o->len;
    o->len = 0;
    if (o->deflate != NULL)
        return fmt_deflate_write(o->deflate, o->buf, n, err);
    return io_writer_write(o->file, o->buf, n, err);
}

qv_status fmt_output_open(const char *path, fmt_compression compression, bool append,
                          fmt_output **out, qv_error *err)
{
    *out = NULL;
    fmt_output *o = base_calloc(1, sizeof *o);
    if (o == NULL || (o->buf = base_alloc(WRITE_BLOCK)) == NULL) {
        base_free(o);
        return base_error_nomem(err, "file output");
    }
    qv_status st = io_writer_open(path, append, &o->file, err);
    if (st == QV_OK && compression != QV_COMPRESSION_NONE)
        st = fmt_deflate_new(compression, to_file, o->file, &o->deflate, err);
    if (st != QV_OK) {
        fmt_output_abort(o);
        return st;
    }
    *out = o;
    return QV_OK;
}

qv_status fmt_output_write(fmt_output *o, const void *data, size_t len, qv_error *err)
{
    const uint8_t *p = data;
    o->bytes_in += (int64_t)len;
    while (len > 0) {
        size_t room = WRITE_BLOCK - o->len;
        size_t n = len < room ? len : room;
        memcpy(o->buf + o->len, p, n);
        o->len += n;
        p += n;
        len -= n;
        if (o->len == WRITE_BLOCK)
            QV_TRY(flush(o, err));
    }
    return QV_OK;
}

int64_t fmt_output_bytes(const fmt_output *o)
{
    return o->bytes_in;
}

qv_status fmt_output_close(fmt_output *o, qv_error *err)
{
    qv_status st = flush(o, err);
    if (st == QV_OK && o->deflate != NULL)
        st = fmt_deflate_finish(o->deflate, err);
    if (st != QV_OK) {
        fmt_output_abort(o);
        return st;
    }
    st = io_writer_close(o->file, err);
    o->file = NULL;
    fmt_deflate_free(o->deflate);
    base_free(o->buf);
    base_free(o);
    return st;
}

void fmt_output_abort(fmt_output *o)
{
    if (o == NULL)
        return;
    io_writer_abort(o->file);
    fmt_deflate_free(o->deflate);
    base_free(o->buf);
    base_free(o);
}
