/*
 * parquet_encode.c — the Parquet value encodings the writer uses (layer:
 * format): the RLE / bit-packed hybrid (levels, dictionary indices), the
 * conversion of Arrow values to their physical Parquet form (as arrow-rs
 * does it) and the comparison of physical values in a column's sort order
 * for statistics.
 */
#include <math.h>
#include <string.h>

#include "format/parquet_write_int.h"
#include "format/writer_int.h"

/* ---- RLE / bit-packed hybrid ---- */

typedef struct rle_input {
    const int16_t *u16;
    const uint32_t *u32;
} rle_input;

static uint32_t rle_get(const rle_input *in, int64_t i)
{
    return in->u16 != NULL ? (uint32_t)(uint16_t)in->u16[i] : in->u32[i];
}

static int64_t run_length(const rle_input *in, int64_t i, int64_t n)
{
    uint32_t v = rle_get(in, i);
    int64_t run = 1;
    while (i + run < n && rle_get(in, i + run) == v)
        run++;
    return run;
}

/* Bit-packs values [start, start + count) (past n: zeros), LSB first. */
static void bit_pack(const rle_input *in, int64_t start, int64_t count, int64_t n,
                     int32_t bit_width, base_strbuf *out)
{
    uint64_t acc = 0;
    int32_t acc_bits = 0;
    for (int64_t k = 0; k < count; k++) {
        uint64_t v = start + k < n ? rle_get(in, start + k) : 0;
        acc |= v << acc_bits;
        acc_bits += bit_width;
        while (acc_bits >= 8) {
            base_strbuf_append_char(out, (char)(acc & 0xff));
            acc >>= 8;
            acc_bits -= 8;
        }
    }
    if (acc_bits > 0)
        base_strbuf_append_char(out, (char)(acc & 0xff));
}

/* Runs of 8 or more equal values are RLE runs; the rest goes in
 * bit-packed runs of up to 63 groups of 8 values. */
static void rle_encode(const rle_input *in, int64_t n, int32_t bit_width, base_strbuf *out)
{
    int32_t value_bytes = (bit_width + 7) / 8;
    int64_t i = 0;
    while (i < n) {
        int64_t run = run_length(in, i, n);
        if (run >= 8) {
            thrift_write_varint(out, (uint64_t)run << 1);
            uint32_t v = rle_get(in, i);
            for (int32_t b = 0; b < value_bytes; b++)
                base_strbuf_append_char(out, (char)((v >> (8 * b)) & 0xff));
            i += run;
            continue;
        }
        int64_t start = i, groups = 0;
        while (i < n && groups < 63) {
            if (groups > 0 && run_length(in, i, n) >= 8)
                break;
            i += 8;
            groups++;
        }
        thrift_write_varint(out, ((uint64_t)groups << 1) | 1);
        bit_pack(in, start, groups * 8, n, bit_width, out);
        if (i > n)
            i = n;
    }
}

void pqw_rle_encode_u16(const int16_t *values, int64_t n, int32_t bit_width, base_strbuf *out)
{
    rle_input in = {values, NULL};
    rle_encode(&in, n, bit_width, out);
}

void pqw_rle_encode_u32(const uint32_t *values, int64_t n, int32_t bit_width, base_strbuf *out)
{
    rle_input in = {NULL, values};
    rle_encode(&in, n, bit_width, out);
}

/* ---- physical values ---- */

static void put_fixed(pqw_value *out, const void *src, size_t len)
{
    memcpy(out->fixed, src, len);
    out->data = out->fixed;
    out->len = len;
}

/* A signed or unsigned integer of 1..8 bytes widened to 4 or 8 bytes. */
static void put_integer(pqw_value *out, const uint8_t *src, int32_t bytes, bool is_signed,
                        size_t width)
{
    uint64_t v = 0;
    memcpy(&v, src, (size_t)bytes); /* little-endian */
    if (is_signed && bytes < 8 && (v >> (8 * bytes - 1)) & 1)
        v |= ~(uint64_t)0 << (8 * bytes);
    if (width == 4) {
        uint32_t w = (uint32_t)v;
        put_fixed(out, &w, 4);
    } else {
        put_fixed(out, &v, 8);
    }
}

void pqw_value_at(const pqw_leaf *leaf, const arrow_array *array, int64_t i, pqw_value *out)
{
    int64_t slot = array->offset + i;
    const uint8_t *values = arrow_array_values(array);
    const arrow_type *type = leaf->value_type;
    switch (type->id) {
    case QV_TYPE_BOOLEAN:
        out->fixed[0] = arrow_bit_get(values, slot);
        out->data = out->fixed;
        out->len = 1;
        return;
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
        out->data = writer_bytes_at(array, i, &out->len);
        return;
    case QV_TYPE_FIXED_SIZE_BINARY:
        out->data = values + (size_t)type->fixed_size * (size_t)slot;
        out->len = (size_t)type->fixed_size;
        return;
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256: {
        size_t n = type->id == QV_TYPE_DECIMAL128 ? 16 : 32;
        const uint8_t *le = values + n * (size_t)slot;
        if (leaf->physical == PARQUET_INT32 || leaf->physical == PARQUET_INT64) {
            put_fixed(out, le, leaf->physical == PARQUET_INT32 ? 4 : 8);
            return;
        }
        /* big-endian, the low type_length bytes */
        size_t len = (size_t)leaf->type_length;
        for (size_t j = 0; j < len; j++)
            out->fixed[j] = le[len - 1 - j];
        out->data = out->fixed;
        out->len = len;
        return;
    }
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        memset(out->fixed, 0, 12);
        memcpy(out->fixed, values + 4 * slot, 4);
        out->data = out->fixed;
        out->len = 12;
        return;
    case QV_TYPE_INTERVAL_DAY_TIME:
        memset(out->fixed, 0, 4);
        memcpy(out->fixed + 4, values + 8 * slot, 8);
        out->data = out->fixed;
        out->len = 12;
        return;
    case QV_TYPE_FLOAT16:
        put_fixed(out, values + 2 * slot, 2);
        return;
    default: {
        int32_t bytes = arrow_type_bit_width(type) / 8;
        bool is_signed = !(type->id >= QV_TYPE_UINT8 && type->id <= QV_TYPE_UINT64);
        put_integer(out, values + (size_t)bytes * (size_t)slot, bytes, is_signed,
                    leaf->physical == PARQUET_INT32 || leaf->physical == PARQUET_FLOAT ? 4 : 8);
        return;
    }
    }
}

/* ---- comparison in the sort order ---- */

static float half_to_float(uint16_t h)
{
    int32_t exponent = (h >> 10) & 0x1f;
    int32_t mantissa = h & 0x3ff;
    float v;
    if (exponent == 0)
        v = ldexpf((float)mantissa, -24);
    else if (exponent == 31)
        v = mantissa != 0 ? NAN : INFINITY;
    else
        v = ldexpf((float)(mantissa | 0x400), exponent - 25);
    return (h & 0x8000) ? -v : v;
}

static int compare_doubles(double a, double b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

static int compare_bytes(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    size_t n = a_len < b_len ? a_len : b_len;
    int c = n > 0 ? memcmp(a, b, n) : 0;
    if (c != 0)
        return c;
    return a_len < b_len ? -1 : a_len > b_len ? 1 : 0;
}

int pqw_value_compare(const pqw_leaf *leaf, const uint8_t *a, size_t a_len, const uint8_t *b,
                      size_t b_len)
{
    bool is_signed = leaf->order == PQW_ORDER_SIGNED;
    switch (leaf->physical) {
    case PARQUET_BOOLEAN:
        return (int)a[0] - (int)b[0];
    case PARQUET_INT32: {
        int32_t x, y;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        if (is_signed)
            return x < y ? -1 : x > y;
        return (uint32_t)x < (uint32_t)y ? -1 : (uint32_t)x > (uint32_t)y;
    }
    case PARQUET_INT64: {
        int64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (is_signed)
            return x < y ? -1 : x > y;
        return (uint64_t)x < (uint64_t)y ? -1 : (uint64_t)x > (uint64_t)y;
    }
    case PARQUET_FLOAT: {
        float x, y;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        return compare_doubles(x, y);
    }
    case PARQUET_DOUBLE: {
        double x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        return compare_doubles(x, y);
    }
    case PARQUET_FIXED_LEN_BYTE_ARRAY:
        if (leaf->float_order) {
            uint16_t x, y;
            memcpy(&x, a, 2);
            memcpy(&y, b, 2);
            return compare_doubles(half_to_float(x), half_to_float(y));
        }
        if (is_signed && a_len > 0 && b_len > 0 && (a[0] & 0x80) != (b[0] & 0x80))
            return (a[0] & 0x80) ? -1 : 1; /* big-endian two's complement */
        return compare_bytes(a, a_len, b, b_len);
    default:
        return compare_bytes(a, a_len, b, b_len);
    }
}

pqw_float_kind pqw_value_float_kind(const pqw_leaf *leaf, const uint8_t *v)
{
    double x;
    if (leaf->physical == PARQUET_FLOAT) {
        float f;
        memcpy(&f, v, 4);
        x = f;
    } else if (leaf->physical == PARQUET_DOUBLE) {
        memcpy(&x, v, 8);
    } else if (leaf->float_order) {
        uint16_t h;
        memcpy(&h, v, 2);
        x = half_to_float(h);
    } else {
        return PQW_FLOAT_OTHER;
    }
    return isnan(x) ? PQW_FLOAT_NAN : x == 0 ? PQW_FLOAT_ZERO : PQW_FLOAT_OTHER;
}

/* ---- DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT ---- */

#define DELTA_BLOCK 128
#define DELTA_MINIBLOCKS 4
#define DELTA_MINIBLOCK (DELTA_BLOCK / DELTA_MINIBLOCKS)

static void pack_u64(const uint64_t *values, int32_t count, int32_t bit_width, base_strbuf *out)
{
    uint64_t acc = 0;
    int32_t acc_bits = 0;
    for (int32_t k = 0; k < count; k++) {
        uint64_t v = values[k];
        int32_t left = bit_width;
        while (left > 0) {
            int32_t take = 64 - acc_bits < left ? 64 - acc_bits : left;
            uint64_t part = take == 64 ? v : v & ((UINT64_C(1) << take) - 1);
            acc |= acc_bits == 64 ? 0 : part << acc_bits;
            acc_bits += take;
            v = take == 64 ? 0 : v >> take;
            left -= take;
            while (acc_bits >= 8) {
                base_strbuf_append_char(out, (char)(acc & 0xff));
                acc >>= 8;
                acc_bits -= 8;
            }
        }
    }
    if (acc_bits > 0)
        base_strbuf_append_char(out, (char)(acc & 0xff));
}

void pqw_delta_binary_packed(const int64_t *values, int64_t n, base_strbuf *out)
{
    thrift_write_varint(out, DELTA_BLOCK);
    thrift_write_varint(out, DELTA_MINIBLOCKS);
    thrift_write_varint(out, (uint64_t)n);
    thrift_write_zigzag(out, n > 0 ? values[0] : 0);
    for (int64_t start = 1; start < n; start += DELTA_BLOCK) {
        int64_t count = n - start < DELTA_BLOCK ? n - start : DELTA_BLOCK;
        uint64_t deltas[DELTA_BLOCK];
        int64_t min_delta = INT64_MAX;
        for (int64_t k = 0; k < count; k++) {
            int64_t d = (int64_t)((uint64_t)values[start + k] - (uint64_t)values[start + k - 1]);
            deltas[k] = (uint64_t)d;
            if (d < min_delta)
                min_delta = d;
        }
        for (int64_t k = 0; k < DELTA_BLOCK; k++)
            deltas[k] = k < count ? deltas[k] - (uint64_t)min_delta : 0;
        thrift_write_zigzag(out, min_delta);
        int32_t widths[DELTA_MINIBLOCKS];
        for (int32_t m = 0; m < DELTA_MINIBLOCKS; m++) {
            uint64_t max = 0;
            for (int32_t k = 0; k < DELTA_MINIBLOCK; k++)
                max |= deltas[m * DELTA_MINIBLOCK + k];
            widths[m] = (int64_t)m * DELTA_MINIBLOCK < count ? parquet_bit_width(max) : 0;
            base_strbuf_append_char(out, (char)widths[m]);
        }
        for (int32_t m = 0; m < DELTA_MINIBLOCKS; m++)
            if ((int64_t)m * DELTA_MINIBLOCK < count)
                pack_u64(deltas + m * DELTA_MINIBLOCK, DELTA_MINIBLOCK, widths[m], out);
    }
}

void pqw_byte_stream_split(const uint8_t *plain, int64_t n, int32_t width, base_strbuf *out)
{
    if (!base_strbuf_reserve(out, (size_t)(n * width)))
        return;
    uint8_t *dst = (uint8_t *)out->data + out->len;
    for (int32_t k = 0; k < width; k++)
        for (int64_t i = 0; i < n; i++)
            dst[(size_t)k * (size_t)n + (size_t)i] = plain[(size_t)i * (size_t)width + (size_t)k];
    out->len += (size_t)(n * width);
    out->data[out->len] = '\0';
}
