/*
 * parquet_decode.c — Parquet's value and level encodings (layer: format):
 * the decoded-values buffer, the RLE / bit-packed hybrid (levels,
 * booleans, dictionary indices), the deprecated BIT_PACKED levels, and
 * the value encodings PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY, RLE
 * (booleans) and BYTE_STREAM_SPLIT; the DELTA_* encodings are in
 * parquet_delta.c. Every read is bounds-checked against the page.
 */
#include <string.h>

#include "format/parquet_int.h"

/* ---- decoded values ---- */

void pq_values_init(pq_values *v, int32_t width)
{
    memset(v, 0, sizeof *v);
    v->width = width;
}

void pq_values_reset(pq_values *v)
{
    v->n = 0;
    v->data_len = 0;
    if (v->offsets != NULL)
        v->offsets[0] = 0;
}

void pq_values_free(pq_values *v)
{
    base_free(v->data);
    base_free(v->offsets);
    int32_t width = v->width;
    pq_values_init(v, width);
}

static qv_status grow(void **buf, int64_t *cap, int64_t need, size_t elem, qv_error *err)
{
    if (need <= *cap)
        return QV_OK;
    int64_t new_cap = *cap > 0 ? *cap : 64;
    while (new_cap < need)
        new_cap *= 2;
    void *p = base_realloc(*buf, (size_t)new_cap * elem);
    if (p == NULL)
        return base_error_nomem(err, "Parquet values");
    *buf = p;
    *cap = new_cap;
    return QV_OK;
}

qv_status pq_values_reserve(pq_values *v, int64_t n, int64_t bytes, qv_error *err)
{
    if (v->width > 0)
        return grow((void **)&v->data, &v->data_cap, v->data_len + n * v->width, 1, err);
    QV_TRY(grow((void **)&v->offsets, &v->offsets_cap, v->n + n + 1, sizeof(int64_t), err));
    if (v->n == 0)
        v->offsets[0] = 0;
    return grow((void **)&v->data, &v->data_cap, v->data_len + bytes, 1, err);
}

qv_status pq_values_append_bytes(pq_values *v, const uint8_t *data, int64_t len, qv_error *err)
{
    QV_TRY(pq_values_reserve(v, 1, len, err));
    if (len > 0)
        memcpy(v->data + v->data_len, data, (size_t)len);
    v->data_len += len;
    v->offsets[++v->n] = v->data_len;
    return QV_OK;
}

qv_status pq_values_append_range(pq_values *v, const pq_values *src, int64_t start, int64_t n,
                                 qv_error *err)
{
    if (n <= 0)
        return QV_OK;
    if (v->width > 0) {
        QV_TRY(pq_values_reserve(v, n, 0, err));
        memcpy(v->data + v->data_len, src->data + start * src->width, (size_t)(n * src->width));
        v->data_len += n * v->width;
        v->n += n;
        return QV_OK;
    }
    int64_t from = src->offsets[start], to = src->offsets[start + n];
    QV_TRY(pq_values_reserve(v, n, to - from, err));
    if (to > from)
        memcpy(v->data + v->data_len, src->data + from, (size_t)(to - from));
    int64_t shift = v->data_len - from;
    for (int64_t i = 1; i <= n; i++)
        v->offsets[v->n + i] = src->offsets[start + i] + shift;
    v->data_len += to - from;
    v->n += n;
    return QV_OK;
}

/* ---- the RLE / bit-packed hybrid ---- */

void pq_rle_init(pq_rle *d, const uint8_t *data, size_t len, int32_t bit_width)
{
    memset(d, 0, sizeof *d);
    d->pos = data;
    d->end = data + len;
    d->bit_width = bit_width;
}

bool pq_read_uleb(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*p >= end)
            return false;
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* Value i of a little-endian bit-packed run of width bits (bytes bytes). */
static uint64_t unpack_at(const uint8_t *data, int64_t bytes, int32_t width, int64_t i)
{
    if (width == 0)
        return 0;
    int64_t bit = i * width;
    int64_t byte = bit >> 3;
    int shift = (int)(bit & 7);
    uint64_t v = 0;
    int n_bytes = (shift + width + 7) / 8; /* at most 9 */
    for (int k = 0; k < n_bytes && k < 8; k++)
        if (byte + k < bytes)
            v |= (uint64_t)data[byte + k] << (8 * k);
    v >>= shift;
    if (n_bytes == 9 && byte + 8 < bytes)
        v |= (uint64_t)data[byte + 8] << (64 - shift);
    return width == 64 ? v : v & ((UINT64_C(1) << width) - 1);
}

/* Reads the next run header; false at the end or on corrupt input. */
static bool next_run(pq_rle *d)
{
    uint64_t header;
    if (!pq_read_uleb(&d->pos, d->end, &header))
        return false;
    if (header & 1) {
        uint64_t groups = header >> 1;
        if (groups == 0 || groups > (UINT64_C(1) << 40))
            return false;
        int64_t want = (int64_t)groups * d->bit_width;
        int64_t have = d->end - d->pos;
        /* the last run may be cut short: only its whole values count */
        d->packed_bytes = want < have ? want : have;
        d->packed = d->pos;
        d->packed_index = 0;
        d->packed_left =
            d->bit_width > 0 ? d->packed_bytes * 8 / d->bit_width : (int64_t)groups * 8;
        if (d->packed_left > (int64_t)groups * 8)
            d->packed_left = (int64_t)groups * 8;
        d->pos += d->packed_bytes;
        return d->packed_left > 0;
    }
    uint64_t count = header >> 1;
    int n_bytes = (d->bit_width + 7) / 8;
    if (count == 0 || d->end - d->pos < n_bytes)
        return false;
    uint64_t v = 0;
    for (int k = 0; k < n_bytes; k++)
        v |= (uint64_t)d->pos[k] << (8 * k);
    d->pos += n_bytes;
    d->repeat_value = v;
    d->repeat_left = count > INT64_MAX ? INT64_MAX : (int64_t)count;
    return true;
}

int64_t pq_rle_read(pq_rle *d, uint32_t *out, int64_t n)
{
    int64_t done = 0;
    while (done < n) {
        if (d->repeat_left > 0) {
            int64_t k = n - done < d->repeat_left ? n - done : d->repeat_left;
            for (int64_t i = 0; i < k; i++)
                out[done + i] = (uint32_t)d->repeat_value;
            d->repeat_left -= k;
            done += k;
        } else if (d->packed_left > 0) {
            int64_t k = n - done < d->packed_left ? n - done : d->packed_left;
            for (int64_t i = 0; i < k; i++)
                out[done + i] = (uint32_t)unpack_at(d->packed, d->packed_bytes, d->bit_width,
                                                    d->packed_index + i);
            d->packed_index += k;
            d->packed_left -= k;
            done += k;
        } else if (!next_run(d)) {
            break;
        }
    }
    return done;
}

/* ---- levels ---- */

qv_status pq_decode_levels(int32_t encoding, const uint8_t *data, size_t len, int16_t max_level,
                           int64_t n, int16_t *out, qv_error *err)
{
    int32_t width = parquet_bit_width((uint64_t)max_level);
    if (encoding == PARQUET_ENCODING_BIT_PACKED) {
        /* deprecated: packed from the most significant bit */
        if ((uint64_t)n * (uint64_t)width > (uint64_t)len * 8)
            return pq_corrupt(err, "not enough level data in the page");
        for (int64_t i = 0; i < n; i++) {
            uint32_t v = 0;
            for (int32_t b = 0; b < width; b++) {
                int64_t bit = i * width + b;
                v = v << 1 | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
            }
            if (v > (uint32_t)max_level)
                return pq_corrupt(err, "level %u above the maximum %d", v, (int)max_level);
            out[i] = (int16_t)v;
        }
        return QV_OK;
    }
    if (encoding != PARQUET_ENCODING_RLE)
        return pq_corrupt(err, "unsupported level encoding %d", (int)encoding);
    pq_rle d;
    pq_rle_init(&d, data, len, width);
    uint32_t buf[256];
    for (int64_t done = 0; done < n;) {
        int64_t want = n - done < 256 ? n - done : 256;
        int64_t got = pq_rle_read(&d, buf, want);
        for (int64_t i = 0; i < got; i++) {
            if (buf[i] > (uint32_t)max_level)
                return pq_corrupt(err, "level %u above the maximum %d", buf[i], (int)max_level);
            out[done + i] = (int16_t)buf[i];
        }
        if (got < want)
            return pq_corrupt(err, "not enough level data in the page");
        done += got;
    }
    return QV_OK;
}

/* ---- values ---- */

int32_t pq_physical_width(int32_t physical, int32_t type_length)
{
    switch (physical) {
    case PARQUET_BOOLEAN:
        return 1;
    case PARQUET_INT32:
    case PARQUET_FLOAT:
        return 4;
    case PARQUET_INT64:
    case PARQUET_DOUBLE:
        return 8;
    case PARQUET_INT96:
        return 12;
    case PARQUET_FIXED_LEN_BYTE_ARRAY:
        return type_length > 0 ? type_length : 0;
    default:
        return 0;
    }
}

static qv_status decode_plain(int32_t physical, int32_t width, const uint8_t *data, size_t len,
                              int64_t n, pq_values *out, qv_error *err)
{
    if (physical == PARQUET_BOOLEAN) {
        if ((uint64_t)n > (uint64_t)len * 8)
            return pq_corrupt(err, "not enough values in the page");
        QV_TRY(pq_values_reserve(out, n, 0, err));
        for (int64_t i = 0; i < n; i++)
            out->data[out->data_len + i] = (data[i >> 3] >> (i & 7)) & 1;
        out->data_len += n;
        out->n += n;
        return QV_OK;
    }
    if (width > 0) {
        if ((uint64_t)n * (uint64_t)width > len)
            return pq_corrupt(err, "not enough values in the page");
        QV_TRY(pq_values_reserve(out, n, 0, err));
        memcpy(out->data + out->data_len, data, (size_t)(n * width));
        out->data_len += n * width;
        out->n += n;
        return QV_OK;
    }
    /* BYTE_ARRAY: a 4-byte little-endian length before each value */
    size_t pos = 0;
    QV_TRY(pq_values_reserve(out, n, (int64_t)len, err));
    for (int64_t i = 0; i < n; i++) {
        if (len - pos < 4)
            return pq_corrupt(err, "not enough values in the page");
        uint32_t vlen = (uint32_t)data[pos] | (uint32_t)data[pos + 1] << 8 |
                        (uint32_t)data[pos + 2] << 16 | (uint32_t)data[pos + 3] << 24;
        pos += 4;
        if (vlen > len - pos)
            return pq_corrupt(err, "byte array value longer than the page");
        memcpy(out->data + out->data_len, data + pos, vlen);
        out->data_len += vlen;
        out->offsets[++out->n] = out->data_len;
        pos += vlen;
    }
    return QV_OK;
}

static qv_status decode_dictionary(const uint8_t *data, size_t len, int64_t n,
                                   const pq_values *dict, pq_values *out, qv_error *err)
{
    if (dict == NULL)
        return pq_corrupt(err, "dictionary-encoded page without a dictionary page");
    if (n == 0)
        return QV_OK;
    if (len < 1 || data[0] > 32)
        return pq_corrupt(err, "bad dictionary index bit width");
    pq_rle d;
    pq_rle_init(&d, data + 1, len - 1, data[0]);
    if (out->width > 0)
        QV_TRY(pq_values_reserve(out, n, 0, err));
    uint32_t idx[256];
    for (int64_t done = 0; done < n;) {
        int64_t want = n - done < 256 ? n - done : 256;
        int64_t got = pq_rle_read(&d, idx, want);
        if (got < want)
            return pq_corrupt(err, "not enough dictionary indices in the page");
        for (int64_t i = 0; i < got; i++) {
            if ((int64_t)idx[i] >= dict->n)
                return pq_corrupt(err, "dictionary index %u out of range (%lld values)", idx[i],
                                  (long long)dict->n);
            if (out->width > 0) { /* room was reserved above */
                memcpy(out->data + out->data_len, dict->data + (int64_t)idx[i] * dict->width,
                       (size_t)dict->width);
                out->data_len += dict->width;
                out->n++;
            } else {
                QV_TRY(pq_values_append_range(out, dict, idx[i], 1, err));
            }
        }
        done += got;
    }
    return QV_OK;
}

static qv_status decode_rle_bool(const uint8_t *data, size_t len, int64_t n, pq_values *out,
                                 qv_error *err)
{
    /* a 4-byte length, then the hybrid with bit width 1 */
    if (len < 4)
        return pq_corrupt(err, "not enough values in the page");
    uint32_t blen = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
                    (uint32_t)data[3] << 24;
    if (blen > len - 4)
        return pq_corrupt(err, "RLE length beyond the page");
    pq_rle d;
    pq_rle_init(&d, data + 4, blen, 1);
    QV_TRY(pq_values_reserve(out, n, 0, err));
    uint32_t buf[256];
    for (int64_t done = 0; done < n;) {
        int64_t want = n - done < 256 ? n - done : 256;
        int64_t got = pq_rle_read(&d, buf, want);
        if (got < want)
            return pq_corrupt(err, "not enough values in the page");
        for (int64_t i = 0; i < got; i++)
            out->data[out->data_len + done + i] = (uint8_t)(buf[i] & 1);
        done += got;
    }
    out->data_len += n;
    out->n += n;
    return QV_OK;
}

static qv_status decode_byte_stream_split(int32_t width, const uint8_t *data, size_t len, int64_t n,
                                          pq_values *out, qv_error *err)
{
    if (width <= 0 || len % (size_t)width != 0)
        return pq_corrupt(err, "bad BYTE_STREAM_SPLIT data");
    int64_t total = (int64_t)(len / (size_t)width);
    if (n > total)
        return pq_corrupt(err, "not enough values in the page");
    QV_TRY(pq_values_reserve(out, n, 0, err));
    uint8_t *dst = out->data + out->data_len;
    for (int64_t i = 0; i < n; i++)
        for (int32_t b = 0; b < width; b++)
            dst[i * width + b] = data[(int64_t)b * total + i];
    out->data_len += n * width;
    out->n += n;
    return QV_OK;
}

static qv_status decode_delta_ints(int32_t width, const uint8_t *data, size_t len, int64_t n,
                                   pq_values *out, qv_error *err)
{
    int64_t *tmp = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *tmp);
    if (tmp == NULL)
        return base_error_nomem(err, "Parquet values");
    size_t used = 0;
    qv_status st = pq_decode_delta_binary(data, len, n, tmp, &used, err);
    if (st == QV_OK)
        st = pq_values_reserve(out, n, 0, err);
    if (st == QV_OK) {
        uint8_t *dst = out->data + out->data_len;
        for (int64_t i = 0; i < n; i++) {
            if (width == 4) {
                int32_t v = (int32_t)(uint32_t)(uint64_t)tmp[i];
                memcpy(dst + i * 4, &v, 4);
            } else {
                memcpy(dst + i * 8, &tmp[i], 8);
            }
        }
        out->data_len += n * width;
        out->n += n;
    }
    base_free(tmp);
    return st;
}

static const char *encoding_name(int32_t encoding)
{
    static const char *const names[] = {
        "PLAIN",          "GROUP_VAR_INT",       "PLAIN_DICTIONARY",        "RLE",
        "BIT_PACKED",     "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY",
        "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};
    return encoding >= 0 && encoding <= 9 ? names[encoding] : "unknown";
}

qv_status pq_decode_values(int32_t encoding, int32_t physical, int32_t type_length,
                           const uint8_t *data, size_t len, int64_t n, const pq_values *dict,
                           pq_values *out, qv_error *err)
{
    int32_t width = pq_physical_width(physical, type_length);
    bool fixed = physical != PARQUET_BYTE_ARRAY;
    if (n == 0)
        return QV_OK; /* a page of nulls may have no value section at all */
    switch (encoding) {
    case PARQUET_ENCODING_PLAIN:
        return decode_plain(physical, width, data, len, n, out, err);
    case PARQUET_ENCODING_PLAIN_DICTIONARY:
    case PARQUET_ENCODING_RLE_DICTIONARY:
        return decode_dictionary(data, len, n, dict, out, err);
    case PARQUET_ENCODING_RLE:
        if (physical == PARQUET_BOOLEAN)
            return decode_rle_bool(data, len, n, out, err);
        break;
    case PARQUET_ENCODING_DELTA_BINARY_PACKED:
        if (physical == PARQUET_INT32 || physical == PARQUET_INT64)
            return decode_delta_ints(width, data, len, n, out, err);
        break;
    case PARQUET_ENCODING_DELTA_LENGTH_BYTE_ARRAY:
        if (physical == PARQUET_BYTE_ARRAY)
            return pq_decode_delta_length(data, len, n, out, err);
        break;
    case PARQUET_ENCODING_DELTA_BYTE_ARRAY:
        if (physical == PARQUET_BYTE_ARRAY || physical == PARQUET_FIXED_LEN_BYTE_ARRAY)
            return pq_decode_delta_byte_array(data, len, n, fixed ? width : 0, out, err);
        break;
    case PARQUET_ENCODING_BYTE_STREAM_SPLIT:
        if (fixed && physical != PARQUET_BOOLEAN && physical != PARQUET_INT96)
            return decode_byte_stream_split(width, data, len, n, out, err);
        break;
    default:
        break;
    }
    return pq_corrupt(err, "encoding %s is not valid for this column's physical type",
                      encoding_name(encoding));
}
