/*
 * compress.c — streaming compression for written files (layer: format):
 * gzip (zlib), bzip2 (libbz2), xz (liblzma) and zstd (libzstd), each at
 * its library's default level, as DataFusion's COPY / INSERT writers use
 * them. Compressed bytes go to a sink callback in blocks.
 */
#include <bzlib.h>
#include <lzma.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "format/format.h"

enum { OUTPUT_BLOCK = 1 << 16 };

struct fmt_deflate {
    fmt_compression codec;
    fmt_sink_fn sink;
    void *user;
    uint8_t *out;
    bool failed;
    z_stream z;
    bool z_ready;
    bz_stream bz;
    bool bz_ready;
    lzma_stream xz;
    ZSTD_CStream *zstd;
};

qv_status fmt_deflate_new(fmt_compression codec, fmt_sink_fn sink, void *user, fmt_deflate **out,
                          qv_error *err)
{
    *out = NULL;
    if (codec == QV_COMPRESSION_NONE || sink == NULL)
        return base_error_set(err, QV_MISUSE, "fmt_deflate_new: a codec and a sink are required");
    fmt_deflate *z = base_calloc(1, sizeof *z);
    if (z == NULL || (z->out = base_alloc(OUTPUT_BLOCK)) == NULL) {
        base_free(z);
        return base_error_nomem(err, "compressor");
    }
    z->codec = codec;
    z->sink = sink;
    z->user = user;
    z->xz = (lzma_stream)LZMA_STREAM_INIT;
    bool ok = true;
    switch (codec) {
    case QV_COMPRESSION_GZIP:
        /* 15 + 16: a gzip header and trailer */
        ok = z->z_ready = deflateInit2(&z->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                                       Z_DEFAULT_STRATEGY) == Z_OK;
        break;
    case QV_COMPRESSION_BZIP2:
        ok = z->bz_ready = BZ2_bzCompressInit(&z->bz, 9, 0, 0) == BZ_OK;
        break;
    case QV_COMPRESSION_XZ:
        ok = lzma_easy_encoder(&z->xz, LZMA_PRESET_DEFAULT, LZMA_CHECK_CRC64) == LZMA_OK;
        break;
    case QV_COMPRESSION_ZSTD:
        z->zstd = ZSTD_createCStream();
        ok = z->zstd != NULL && !ZSTD_isError(ZSTD_initCStream(z->zstd, ZSTD_CLEVEL_DEFAULT));
        break;
    default:
        break;
    }
    if (!ok) {
        fmt_deflate_free(z);
        return base_error_nomem(err, "compressor");
    }
    *out = z;
    return QV_OK;
}

void fmt_deflate_free(fmt_deflate *z)
{
    if (z == NULL)
        return;
    if (z->z_ready)
        deflateEnd(&z->z);
    if (z->bz_ready)
        BZ2_bzCompressEnd(&z->bz);
    lzma_end(&z->xz);
    ZSTD_freeCStream(z->zstd);
    base_free(z->out);
    base_free(z);
}

static qv_status failed(fmt_deflate *z, qv_error *err)
{
    z->failed = true;
    return base_error_set(err, QV_EXECUTION, "Execution error: %s compression failed",
                          fmt_compression_name(z->codec));
}

/* Runs the encoder over data (finishing the stream when finish is set),
 * handing every full or final output block to the sink. */
static qv_status run(fmt_deflate *z, const uint8_t *data, size_t len, bool finish, qv_error *err)
{
    if (z->failed)
        return base_error_set(err, QV_EXECUTION, "Execution error: %s compression failed earlier",
                              fmt_compression_name(z->codec));
    size_t in_pos = 0;
    for (;;) {
        size_t produced = 0;
        bool done = false; /* all input taken and (when finishing) the stream ended */
        size_t avail = len - in_pos;
        switch (z->codec) {
        case QV_COMPRESSION_GZIP: {
            z->z.next_in = (Bytef *)(data + in_pos);
            z->z.avail_in = (uInt)(avail > UINT32_MAX ? UINT32_MAX : avail);
            z->z.next_out = z->out;
            z->z.avail_out = OUTPUT_BLOCK;
            uInt before = z->z.avail_in;
            int rc = deflate(&z->z, finish ? Z_FINISH : Z_NO_FLUSH);
            if (rc == Z_STREAM_ERROR)
                return failed(z, err);
            in_pos += before - z->z.avail_in;
            produced = OUTPUT_BLOCK - z->z.avail_out;
            done = finish ? rc == Z_STREAM_END : in_pos == len && z->z.avail_out > 0;
            break;
        }
        case QV_COMPRESSION_BZIP2: {
            z->bz.next_in = (char *)(data + in_pos);
            z->bz.avail_in = (unsigned)(avail > UINT32_MAX ? UINT32_MAX : avail);
            z->bz.next_out = (char *)z->out;
            z->bz.avail_out = OUTPUT_BLOCK;
            unsigned before = z->bz.avail_in;
            int rc = BZ2_bzCompress(&z->bz, finish ? BZ_FINISH : BZ_RUN);
            if (rc < 0)
                return failed(z, err);
            in_pos += before - z->bz.avail_in;
            produced = OUTPUT_BLOCK - z->bz.avail_out;
            done = finish ? rc == BZ_STREAM_END : in_pos == len;
            break;
        }
        case QV_COMPRESSION_XZ: {
            z->xz.next_in = data + in_pos;
            z->xz.avail_in = avail;
            z->xz.next_out = z->out;
            z->xz.avail_out = OUTPUT_BLOCK;
            lzma_ret rc = lzma_code(&z->xz, finish ? LZMA_FINISH : LZMA_RUN);
            if (rc != LZMA_OK && rc != LZMA_STREAM_END)
                return failed(z, err);
            in_pos += avail - z->xz.avail_in;
            produced = OUTPUT_BLOCK - z->xz.avail_out;
            done = finish ? rc == LZMA_STREAM_END : in_pos == len && z->xz.avail_out > 0;
            break;
        }
        case QV_COMPRESSION_ZSTD: {
            ZSTD_inBuffer ib = {data + in_pos, avail, 0};
            ZSTD_outBuffer ob = {z->out, OUTPUT_BLOCK, 0};
            size_t rc =
                ZSTD_compressStream2(z->zstd, &ob, &ib, finish ? ZSTD_e_end : ZSTD_e_continue);
            if (ZSTD_isError(rc))
                return failed(z, err);
            in_pos += ib.pos;
            produced = ob.pos;
            done = finish ? rc == 0 : in_pos == len && ob.pos < ob.size;
            break;
        }
        default:
            return failed(z, err);
        }
        if (produced > 0) {
            qv_status st = z->sink(z->user, z->out, produced, err);
            if (st != QV_OK) {
                z->failed = true;
                return st;
            }
        }
        if (done)
            return QV_OK;
    }
}

qv_status fmt_deflate_write(fmt_deflate *z, const uint8_t *data, size_t len, qv_error *err)
{
    if (len == 0)
        return QV_OK;
    return run(z, data, len, false, err);
}

qv_status fmt_deflate_finish(fmt_deflate *z, qv_error *err)
{
    return run(z, NULL, 0, true, err);
}
