/*
 * parquet_codec.c — decompressing a Parquet page (layer: format):
 * UNCOMPRESSED, SNAPPY (the raw snappy format, decoded here), GZIP (zlib),
 * ZSTD (libzstd), LZ4_RAW and LZ4 (Hadoop framing, falling back to the
 * LZ4 frame format and then a raw block, as arrow-rs does; liblz4) and
 * BROTLI (libbrotlidec). The decompressed size is known from the page
 * header and must come out exactly.
 */
#include <string.h>

#include <brotli/decode.h>
#include <lz4.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include "format/parquet_int.h"

/* ---- snappy ---- */

static bool snappy_varint(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
    uint32_t v = 0;
    for (int shift = 0; shift <= 28; shift += 7) {
        if (*p >= end)
            return false;
        uint8_t b = *(*p)++;
        if (shift == 28 && b > 0x0f)
            return false;
        v |= (uint32_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            *out = v;
            return true;
        }
    }
    return false;
}

bool pq_snappy_length(const uint8_t *src, size_t src_len, size_t *out)
{
    uint32_t n = 0;
    if (!snappy_varint(&src, src + src_len, &n))
        return false;
    *out = n;
    return true;
}

bool pq_snappy_decompress(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
    const uint8_t *p = src, *end = src + src_len;
    uint32_t declared = 0;
    if (!snappy_varint(&p, end, &declared) || declared != dst_len)
        return false;
    size_t out = 0;
    while (p < end) {
        uint8_t tag = *p++;
        size_t len, offset;
        switch (tag & 3) {
        case 0: { /* literal */
            len = (size_t)(tag >> 2) + 1;
            if (len > 60) {
                size_t n_bytes = len - 60; /* 1..4 length bytes follow */
                if ((size_t)(end - p) < n_bytes)
                    return false;
                len = 0;
                for (size_t i = 0; i < n_bytes; i++)
                    len |= (size_t)p[i] << (8 * i);
                len += 1;
                p += n_bytes;
            }
            if ((size_t)(end - p) < len || dst_len - out < len)
                return false;
            memcpy(dst + out, p, len);
            p += len;
            out += len;
            continue;
        }
        case 1:
            if (p >= end)
                return false;
            len = (size_t)((tag >> 2) & 7) + 4;
            offset = (size_t)(tag >> 5) << 8 | *p++;
            break;
        case 2:
            if (end - p < 2)
                return false;
            len = (size_t)(tag >> 2) + 1;
            offset = (size_t)p[0] | (size_t)p[1] << 8;
            p += 2;
            break;
        default:
            if (end - p < 4)
                return false;
            len = (size_t)(tag >> 2) + 1;
            offset = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
            p += 4;
            break;
        }
        if (offset == 0 || offset > out || dst_len - out < len)
            return false;
        /* copies may overlap their own output (a repeated pattern) */
        for (size_t i = 0; i < len; i++)
            dst[out + i] = dst[out - offset + i];
        out += len;
    }
    return out == dst_len;
}

/* ---- the library codecs ---- */

/* gzip or zlib data, possibly several gzip members one after another. */
static bool gzip_decompress(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
        return false;
    zs.next_in = (Bytef *)(uintptr_t)src;
    zs.next_out = dst;
    bool ok = true;
    size_t in_left = src_len, out_left = dst_len;
    for (;;) {
        uInt in_chunk = in_left > 1u << 30 ? 1u << 30 : (uInt)in_left;
        uInt out_chunk = out_left > 1u << 30 ? 1u << 30 : (uInt)out_left;
        zs.avail_in = in_chunk;
        zs.avail_out = out_chunk;
        int rc = inflate(&zs, Z_NO_FLUSH);
        in_left -= in_chunk - zs.avail_in;
        out_left -= out_chunk - zs.avail_out;
        if (rc == Z_STREAM_END) {
            if (in_left == 0 || out_left == 0)
                break;
            if (inflateReset(&zs) != Z_OK) {
                ok = false;
                break;
            }
            continue;
        }
        if (rc != Z_OK || (in_chunk - zs.avail_in == 0 && out_chunk - zs.avail_out == 0)) {
            ok = false;
            break;
        }
    }
    inflateEnd(&zs);
    return ok && out_left == 0;
}

static bool lz4_raw(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
    if (src_len > INT32_MAX || dst_len > INT32_MAX)
        return false;
    int n = LZ4_decompress_safe((const char *)src, (char *)dst, (int)src_len, (int)dst_len);
    return n >= 0 && (size_t)n == dst_len;
}

static bool lz4_frame(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
    LZ4F_dctx *ctx = NULL;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION)))
        return false;
    size_t in_pos = 0, out_pos = 0;
    bool ok = true;
    while (in_pos < src_len) {
        size_t in_n = src_len - in_pos, out_n = dst_len - out_pos;
        size_t rc = LZ4F_decompress(ctx, dst + out_pos, &out_n, src + in_pos, &in_n, NULL);
        if (LZ4F_isError(rc) || (in_n == 0 && out_n == 0)) {
            ok = false;
            break;
        }
        in_pos += in_n;
        out_pos += out_n;
        if (rc == 0 && in_pos == src_len)
            break;
    }
    LZ4F_freeDecompressionContext(ctx);
    return ok && out_pos == dst_len;
}

/* Hadoop's framing: blocks of [big-endian decompressed size, compressed
 * size, LZ4 block]. */
static bool lz4_hadoop(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
    size_t in = 0, out = 0;
    while (src_len - in >= 8) {
        uint32_t raw = (uint32_t)src[in] << 24 | (uint32_t)src[in + 1] << 16 |
                       (uint32_t)src[in + 2] << 8 | src[in + 3];
        uint32_t packed = (uint32_t)src[in + 4] << 24 | (uint32_t)src[in + 5] << 16 |
                          (uint32_t)src[in + 6] << 8 | src[in + 7];
        in += 8;
        if (packed > src_len - in || raw > dst_len - out)
            return false;
        if (!lz4_raw(src + in, packed, dst + out, raw))
            return false;
        in += packed;
        out += raw;
    }
    return in == src_len && out == dst_len;
}

static const char *codec_name(int32_t codec)
{
    static const char *const names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                        "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
    return codec >= 0 && codec <= 7 ? names[codec] : "unknown";
}

qv_status pq_decompress(int32_t codec, const uint8_t *src, size_t src_len, uint8_t *dst,
                        size_t dst_len, qv_error *err)
{
    bool ok = false;
    switch (codec) {
    case PARQUET_CODEC_UNCOMPRESSED:
        ok = src_len == dst_len;
        if (ok && dst_len > 0)
            memcpy(dst, src, dst_len);
        break;
    case PARQUET_CODEC_SNAPPY:
        ok = pq_snappy_decompress(src, src_len, dst, dst_len);
        break;
    case PARQUET_CODEC_GZIP:
        ok = gzip_decompress(src, src_len, dst, dst_len);
        break;
    case PARQUET_CODEC_ZSTD: {
        size_t n = ZSTD_decompress(dst, dst_len, src, src_len);
        ok = !ZSTD_isError(n) && n == dst_len;
        break;
    }
    case PARQUET_CODEC_LZ4_RAW:
        ok = lz4_raw(src, src_len, dst, dst_len);
        break;
    case PARQUET_CODEC_LZ4:
        ok = lz4_hadoop(src, src_len, dst, dst_len) || lz4_frame(src, src_len, dst, dst_len) ||
             lz4_raw(src, src_len, dst, dst_len);
        break;
    case PARQUET_CODEC_BROTLI: {
        size_t n = dst_len;
        ok = BrotliDecoderDecompress(src_len, src, &n, dst) == BROTLI_DECODER_RESULT_SUCCESS &&
             n == dst_len;
        break;
    }
    case PARQUET_CODEC_LZO:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Parquet LZO compression");
    default:
        return pq_corrupt(err, "unknown compression codec %d", (int)codec);
    }
    if (!ok)
        return pq_corrupt(err, "%s decompression failed: the page is corrupt", codec_name(codec));
    return QV_OK;
}
