/*
 * decompress.c — streaming decompression of .gz / .bz2 / .xz / .zst files
 * (layer: format), through zlib, libbz2, liblzma and libzstd.
 *
 * A decoder pulls compressed bytes from a file (or memory) in blocks and
 * hands out decompressed bytes. As DataFusion's decoders do, it reads
 * concatenated gzip members, bzip2 streams, xz streams and zstd frames one
 * after another. Corrupt or truncated input is QV_EXECUTION naming the
 * codec and the library's reason, with the file in the hint.
 */
#include <bzlib.h>
#include <lzma.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "format/format.h"

enum { INPUT_BLOCK = 1 << 16 };

struct fmt_inflate {
    fmt_compression codec;
    io_file *file;      /* borrowed; NULL over memory */
    const uint8_t *mem; /* borrowed */
    size_t mem_len;
    int64_t file_off;
    uint8_t *in; /* owned when reading a file */
    size_t in_len, in_pos;
    bool in_eof;
    bool member_done; /* the current member / stream ended */
    bool started;     /* the current member consumed some input */
    bool failed;
    char *name;
    z_stream z;
    bz_stream bz;
    lzma_stream xz;
    ZSTD_DStream *zstd;
};

static qv_status corrupt(fmt_inflate *d, qv_error *err, const char *reason)
{
    d->failed = true;
    base_error_set(err, QV_EXECUTION, "Execution error: %s decompression failed: %s",
                   fmt_compression_name(d->codec), reason);
    base_error_set_hint(err, "in file %s", d->name ? d->name : "<memory>");
    return QV_EXECUTION;
}

/* Starts (or restarts, for the next member) the codec's decoder. */
static qv_status decoder_start(fmt_inflate *d, qv_error *err)
{
    switch (d->codec) {
    case QV_COMPRESSION_GZIP:
        /* 15 + 32: gzip or zlib header, detected */
        if (d->z.state != NULL ? inflateReset(&d->z) != Z_OK : inflateInit2(&d->z, 15 + 32) != Z_OK)
            return base_error_nomem(err, "gzip decoder");
        break;
    case QV_COMPRESSION_BZIP2:
        if (d->bz.state != NULL)
            BZ2_bzDecompressEnd(&d->bz);
        memset(&d->bz, 0, sizeof d->bz);
        if (BZ2_bzDecompressInit(&d->bz, 0, 0) != BZ_OK)
            return base_error_nomem(err, "bzip2 decoder");
        break;
    case QV_COMPRESSION_XZ:
        if (lzma_stream_decoder(&d->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
            return base_error_nomem(err, "xz decoder");
        break;
    case QV_COMPRESSION_ZSTD:
        d->zstd = ZSTD_createDStream();
        if (d->zstd == NULL || ZSTD_isError(ZSTD_initDStream(d->zstd)))
            return base_error_nomem(err, "zstd decoder");
        break;
    default:
        break;
    }
    d->member_done = false;
    d->started = false;
    return QV_OK;
}

static qv_status open_common(fmt_inflate *d, fmt_compression codec, const char *name,
                             fmt_inflate **out, qv_error *err)
{
    d->codec = codec;
    if (name != NULL && (d->name = base_strdup(name)) == NULL) {
        fmt_inflate_free(d);
        return base_error_nomem(err, "decompressor");
    }
    d->xz = (lzma_stream)LZMA_STREAM_INIT;
    qv_status st = decoder_start(d, err);
    if (st != QV_OK) {
        fmt_inflate_free(d);
        return st;
    }
    *out = d;
    return QV_OK;
}

qv_status fmt_inflate_open_file(io_file *file, fmt_compression codec, const char *name,
                                fmt_inflate **out, qv_error *err)
{
    *out = NULL;
    if (codec == QV_COMPRESSION_NONE)
        return base_error_set(err, QV_MISUSE, "fmt_inflate: file is not compressed");
    fmt_inflate *d = base_calloc(1, sizeof *d);
    if (d == NULL || (d->in = base_alloc(INPUT_BLOCK)) == NULL) {
        base_free(d);
        return base_error_nomem(err, "decompressor");
    }
    d->file = file;
    return open_common(d, codec, name, out, err);
}

qv_status fmt_inflate_open_buffer(const uint8_t *data, size_t len, fmt_compression codec,
                                  const char *name, fmt_inflate **out, qv_error *err)
{
    *out = NULL;
    if (codec == QV_COMPRESSION_NONE)
        return base_error_set(err, QV_MISUSE, "fmt_inflate: data is not compressed");
    fmt_inflate *d = base_calloc(1, sizeof *d);
    if (d == NULL)
        return base_error_nomem(err, "decompressor");
    d->mem = data != NULL ? data : (const uint8_t *)"";
    d->mem_len = len;
    d->in = (uint8_t *)d->mem; /* never written */
    d->in_len = len;
    d->in_eof = true;
    return open_common(d, codec, name, out, err);
}

void fmt_inflate_free(fmt_inflate *d)
{
    if (d == NULL)
        return;
    if (d->z.state != NULL)
        inflateEnd(&d->z);
    if (d->bz.state != NULL)
        BZ2_bzDecompressEnd(&d->bz);
    lzma_end(&d->xz);
    ZSTD_freeDStream(d->zstd);
    if (d->file != NULL)
        base_free(d->in);
    base_free(d->name);
    base_free(d);
}

/* Reads the next block of compressed input when the buffer is used up. */
static qv_status fill_input(fmt_inflate *d, qv_error *err)
{
    if (d->in_pos < d->in_len || d->in_eof)
        return QV_OK;
    int64_t got = 0;
    qv_status st = io_file_read_at(d->file, d->file_off, d->in, INPUT_BLOCK, &got, err);
    if (st != QV_OK) {
        d->failed = true;
        if (d->name)
            base_error_set_hint(err, "in file %s", d->name);
        return st;
    }
    d->file_off += got;
    d->in_len = (size_t)got;
    d->in_pos = 0;
    if (got == 0)
        d->in_eof = true;
    return QV_OK;
}

/* One decoding step from the input buffer into out[0..cap); *produced and
 * *consumed get the bytes written and read. Sets member_done at the end of a
 * member. */
static qv_status step(fmt_inflate *d, uint8_t *out, size_t cap, size_t *produced,
                      size_t *consumed_out, qv_error *err)
{
    size_t avail = d->in_len - d->in_pos;
    const uint8_t *next = d->in + d->in_pos;
    size_t consumed = 0;
    *produced = 0;
    *consumed_out = 0;
    switch (d->codec) {
    case QV_COMPRESSION_GZIP: {
        d->z.next_in = (Bytef *)next;
        d->z.avail_in = (uInt)(avail > UINT32_MAX ? UINT32_MAX : avail);
        d->z.next_out = out;
        d->z.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
        uInt in_before = d->z.avail_in, out_before = d->z.avail_out;
        int rc = inflate(&d->z, Z_NO_FLUSH);
        consumed = in_before - d->z.avail_in;
        *produced = out_before - d->z.avail_out;
        if (rc == Z_STREAM_END)
            d->member_done = true;
        else if (rc != Z_OK && rc != Z_BUF_ERROR)
            return corrupt(d, err, d->z.msg ? d->z.msg : "invalid gzip data");
        break;
    }
    case QV_COMPRESSION_BZIP2: {
        d->bz.next_in = (char *)next;
        d->bz.avail_in = (unsigned)(avail > UINT32_MAX ? UINT32_MAX : avail);
        d->bz.next_out = (char *)out;
        d->bz.avail_out = (unsigned)(cap > UINT32_MAX ? UINT32_MAX : cap);
        unsigned in_before = d->bz.avail_in, out_before = d->bz.avail_out;
        int rc = BZ2_bzDecompress(&d->bz);
        consumed = in_before - d->bz.avail_in;
        *produced = out_before - d->bz.avail_out;
        if (rc == BZ_STREAM_END)
            d->member_done = true;
        else if (rc != BZ_OK)
            return corrupt(d, err,
                           rc == BZ_DATA_ERROR_MAGIC ? "not bzip2 data" : "invalid bzip2 data");
        break;
    }
    case QV_COMPRESSION_XZ: {
        d->xz.next_in = next;
        d->xz.avail_in = avail;
        d->xz.next_out = out;
        d->xz.avail_out = cap;
        /* in_eof: the buffer holds the last of the input */
        lzma_ret rc = lzma_code(&d->xz, d->in_eof ? LZMA_FINISH : LZMA_RUN);
        consumed = avail - d->xz.avail_in;
        *produced = cap - d->xz.avail_out;
        if (rc == LZMA_STREAM_END)
            d->member_done = true;
        else if (rc == LZMA_FORMAT_ERROR)
            return corrupt(d, err, "not xz data");
        else if (rc == LZMA_DATA_ERROR || rc == LZMA_OPTIONS_ERROR)
            return corrupt(d, err, "invalid xz data");
        else if (rc == LZMA_MEM_ERROR)
            return base_error_nomem(err, "xz decoder");
        else if (rc == LZMA_BUF_ERROR && d->in_eof)
            return corrupt(d, err, "unexpected end of file");
        break;
    }
    case QV_COMPRESSION_ZSTD: {
        ZSTD_inBuffer ib = {next, avail, 0};
        ZSTD_outBuffer ob = {out, cap, 0};
        size_t rc = ZSTD_decompressStream(d->zstd, &ob, &ib);
        if (ZSTD_isError(rc))
            return corrupt(d, err, ZSTD_getErrorName(rc));
        consumed = ib.pos;
        *produced = ob.pos;
        /* 0: a frame is complete; the next frame (if any) follows. A call
         * that moved nothing (no input left) says nothing new. */
        if (ib.pos > 0 || ob.pos > 0)
            d->started = rc != 0;
        break;
    }
    default:
        break;
    }
    if (consumed > 0 && d->codec != QV_COMPRESSION_ZSTD)
        d->started = true;
    d->in_pos += consumed;
    *consumed_out = consumed;
    return QV_OK;
}

qv_status fmt_inflate_read(fmt_inflate *d, uint8_t *buf, size_t cap, size_t *got, qv_error *err)
{
    *got = 0;
    if (d->failed)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: %s decompression failed "
                              "earlier",
                              fmt_compression_name(d->codec));
    while (*got < cap) {
        if (d->file != NULL)
            QV_TRY(fill_input(d, err));
        bool input_left = d->in_pos < d->in_len;
        if (d->member_done) {
            if (!input_left && d->in_eof)
                break;
            if (!input_left)
                continue;                  /* more input comes from the file */
            QV_TRY(decoder_start(d, err)); /* the next member */
        }
        size_t produced = 0, consumed = 0;
        QV_TRY(step(d, buf + *got, cap - *got, &produced, &consumed, err));
        *got += produced;
        if (produced > 0 || consumed > 0 || d->member_done)
            continue;
        if (d->in_pos < d->in_len)
            return corrupt(d, err, "invalid data");
        if (!d->in_eof)
            continue;
        if (!d->started)
            break; /* empty input, or the last zstd frame was complete */
        return corrupt(d, err, "unexpected end of file");
    }
    return QV_OK;
}

qv_status fmt_read_all(const char *path, fmt_compression codec, uint8_t **out, int64_t *len,
                       qv_error *err)
{
    *out = NULL;
    *len = 0;
    if (codec == QV_COMPRESSION_NONE)
        return io_read_file(path, out, len, err);
    io_file *file = NULL;
    QV_TRY(io_file_open(path, &file, err));
    fmt_inflate *d = NULL;
    qv_status st = fmt_inflate_open_file(file, codec, path, &d, err);
    size_t cap = 1 << 16, n = 0;
    uint8_t *data = st == QV_OK ? base_alloc(cap) : NULL;
    if (st == QV_OK && data == NULL)
        st = base_error_nomem(err, "decompressed file");
    while (st == QV_OK) {
        if (n == cap) {
            uint8_t *grown = base_realloc(data, cap * 2);
            if (grown == NULL) {
                st = base_error_nomem(err, "decompressed file");
                break;
            }
            data = grown;
            cap *= 2;
        }
        size_t got = 0;
        st = fmt_inflate_read(d, data + n, cap - n, &got, err);
        if (st == QV_OK && got == 0)
            break;
        n += got;
    }
    fmt_inflate_free(d);
    io_file_close(file);
    if (st != QV_OK) {
        base_free(data);
        return st;
    }
    *out = data;
    *len = (int64_t)n;
    return QV_OK;
}
