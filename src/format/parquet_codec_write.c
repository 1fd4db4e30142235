/*
 * parquet_codec_write.c — compressing Parquet pages (layer: format):
 * SNAPPY with our own compressor (greedy LZ77 over 64 KiB blocks, the
 * block format of the snappy specification), GZIP (zlib, gzip wrapper),
 * ZSTD (libzstd), LZ4_RAW (liblz4 block), LZ4 (liblz4 block in the Hadoop
 * framing arrow-rs writes) and BROTLI (libbrotlienc). LZO is not written
 * (arrow-rs does not either).
 */
#include <string.h>

#include <brotli/encode.h>
#include <lz4.h>
#include <zlib.h>
#include <zstd.h>

#include "format/parquet_write_int.h"

/* ---- snappy ---- */

#define SNAPPY_BLOCK 65536
#define SNAPPY_HASH_BITS 14

static uint32_t load32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void snappy_literal(const uint8_t *data, size_t n, base_strbuf *out)
{
    if (n == 0)
        return;
    size_t m = n - 1;
    if (m < 60) {
        base_strbuf_append_char(out, (char)(m << 2));
    } else {
        int bytes = m < 0x100 ? 1 : m < 0x10000 ? 2 : m < 0x1000000 ? 3 : 4;
        base_strbuf_append_char(out, (char)((59 + bytes) << 2));
        for (int b = 0; b < bytes; b++)
            base_strbuf_append_char(out, (char)((m >> (8 * b)) & 0xff));
    }
    base_strbuf_append(out, (const char *)data, n);
}

/* One copy element of 4..64 bytes at offset (< 65536). */
static void snappy_copy_one(size_t offset, size_t len, base_strbuf *out)
{
    if (len >= 4 && len <= 11 && offset < 2048) {
        base_strbuf_append_char(out, (char)(1 | ((len - 4) << 2) | ((offset >> 8) << 5)));
        base_strbuf_append_char(out, (char)(offset & 0xff));
    } else {
        char bytes[3] = {(char)(2 | ((len - 1) << 2)), (char)(offset & 0xff),
                         (char)((offset >> 8) & 0xff)};
        base_strbuf_append(out, bytes, 3);
    }
}

static void snappy_copy(size_t offset, size_t len, base_strbuf *out)
{
    while (len >= 68) {
        snappy_copy_one(offset, 64, out);
        len -= 64;
    }
    if (len > 64) { /* 65..67: leave at least 4 for the last element */
        snappy_copy_one(offset, 60, out);
        len -= 60;
    }
    snappy_copy_one(offset, len, out);
}

static void snappy_block(const uint8_t *in, size_t n, int32_t *table, base_strbuf *out)
{
    size_t literal_start = 0, i = 0;
    for (size_t h = 0; h < ((size_t)1 << SNAPPY_HASH_BITS); h++)
        table[h] = -1;
    while (n >= 4 && i + 4 <= n) {
        uint32_t word = load32(in + i);
        uint32_t h = (word * 0x1e35a7bdu) >> (32 - SNAPPY_HASH_BITS);
        int32_t candidate = table[h];
        table[h] = (int32_t)i;
        if (candidate < 0 || load32(in + candidate) != word) {
            i++;
            continue;
        }
        size_t len = 4;
        while (i + len < n && in[(size_t)candidate + len] == in[i + len])
            len++;
        snappy_literal(in + literal_start, i - literal_start, out);
        snappy_copy(i - (size_t)candidate, len, out);
        i += len;
        literal_start = i;
    }
    snappy_literal(in + literal_start, n - literal_start, out);
}

void pqw_snappy_compress(const uint8_t *data, size_t len, base_strbuf *out)
{
    thrift_write_varint(out, len);
    int32_t table[(size_t)1 << SNAPPY_HASH_BITS];
    for (size_t start = 0; start < len; start += SNAPPY_BLOCK) {
        size_t n = len - start < SNAPPY_BLOCK ? len - start : SNAPPY_BLOCK;
        snappy_block(data + start, n, table, out);
    }
}

/* ---- library codecs ---- */

/* Room for bound more bytes at the end of out; NULL when out of memory. */
static uint8_t *reserve_tail(base_strbuf *out, size_t bound)
{
    if (!base_strbuf_reserve(out, bound))
        return NULL;
    return (uint8_t *)out->data + out->len;
}

static void commit_tail(base_strbuf *out, size_t written)
{
    out->len += written;
    out->data[out->len] = '\0';
}

static qv_status codec_failed(qv_error *err, const char *codec, const char *why)
{
    return base_error_set(err, QV_EXECUTION, "Parquet error: %s compression failed: %s", codec,
                          why);
}

static qv_status gzip_compress(int32_t level, const uint8_t *data, size_t len, base_strbuf *out,
                               qv_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* arrow-rs accepts 0..=10; zlib's best is 9 */
    if (deflateInit2(&zs, level > 9 ? 9 : level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return codec_failed(err, "GZIP", "cannot start");
    size_t bound = deflateBound(&zs, (uLong)len);
    uint8_t *dst = reserve_tail(out, bound);
    if (dst == NULL) {
        deflateEnd(&zs);
        return base_error_nomem(err, "parquet page");
    }
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = dst;
    zs.avail_out = (uInt)bound;
    int rc = deflate(&zs, Z_FINISH);
    size_t written = bound - zs.avail_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return codec_failed(err, "GZIP", "output did not fit");
    commit_tail(out, written);
    return QV_OK;
}

static qv_status zstd_compress(int32_t level, const uint8_t *data, size_t len, base_strbuf *out,
                               qv_error *err)
{
    size_t bound = ZSTD_compressBound(len);
    uint8_t *dst = reserve_tail(out, bound);
    if (dst == NULL)
        return base_error_nomem(err, "parquet page");
    size_t written = ZSTD_compress(dst, bound, data, len, level);
    if (ZSTD_isError(written))
        return codec_failed(err, "ZSTD", ZSTD_getErrorName(written));
    commit_tail(out, written);
    return QV_OK;
}

static qv_status lz4_compress(bool hadoop, const uint8_t *data, size_t len, base_strbuf *out,
                              qv_error *err)
{
    if (len > (size_t)LZ4_MAX_INPUT_SIZE)
        return codec_failed(err, "LZ4", "page too large");
    size_t header = hadoop ? 8 : 0;
    size_t bound = (size_t)LZ4_compressBound((int)len) + header;
    uint8_t *dst = reserve_tail(out, bound);
    if (dst == NULL)
        return base_error_nomem(err, "parquet page");
    int written = LZ4_compress_default((const char *)data, (char *)dst + header, (int)len,
                                       (int)(bound - header));
    if (written <= 0 && len > 0)
        return codec_failed(err, "LZ4", "output did not fit");
    if (hadoop) {
        /* big-endian decompressed then compressed size */
        uint32_t sizes[2] = {(uint32_t)len, (uint32_t)written};
        for (int s = 0; s < 2; s++)
            for (int b = 0; b < 4; b++)
                dst[4 * s + b] = (uint8_t)(sizes[s] >> (24 - 8 * b));
    }
    commit_tail(out, header + (size_t)written);
    return QV_OK;
}

static qv_status brotli_compress(int32_t level, const uint8_t *data, size_t len, base_strbuf *out,
                                 qv_error *err)
{
    size_t bound = BrotliEncoderMaxCompressedSize(len);
    if (bound == 0)
        bound = len + 1024;
    uint8_t *dst = reserve_tail(out, bound);
    if (dst == NULL)
        return base_error_nomem(err, "parquet page");
    size_t written = bound;
    if (!BrotliEncoderCompress(level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, len, data,
                               &written, dst))
        return codec_failed(err, "BROTLI", "output did not fit");
    commit_tail(out, written);
    return QV_OK;
}

qv_status pqw_codec_check(parquet_codec codec, qv_error *err)
{
    if (codec == PARQUET_CODEC_LZO)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "Parquet error: NYI: The codec type LZO is not supported yet");
    return QV_OK;
}

qv_status pqw_compress(parquet_codec codec, int32_t level, const uint8_t *data, size_t len,
                       base_strbuf *out, qv_error *err)
{
    qv_status st = QV_OK;
    switch (codec) {
    case PARQUET_CODEC_UNCOMPRESSED:
        base_strbuf_append(out, (const char *)data, len);
        break;
    case PARQUET_CODEC_SNAPPY:
        pqw_snappy_compress(data, len, out);
        break;
    case PARQUET_CODEC_GZIP:
        st = gzip_compress(level, data, len, out, err);
        break;
    case PARQUET_CODEC_ZSTD:
        st = zstd_compress(level, data, len, out, err);
        break;
    case PARQUET_CODEC_LZ4:
        st = lz4_compress(true, data, len, out, err);
        break;
    case PARQUET_CODEC_LZ4_RAW:
        st = lz4_compress(false, data, len, out, err);
        break;
    case PARQUET_CODEC_BROTLI:
        st = brotli_compress(level, data, len, out, err);
        break;
    case PARQUET_CODEC_LZO:
        return pqw_codec_check(codec, err);
    }
    if (st == QV_OK && base_strbuf_failed(out))
        st = base_error_nomem(err, "parquet page");
    return st;
}
