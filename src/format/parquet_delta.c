/*
 * parquet_delta.c — Parquet's DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY
 * and DELTA_BYTE_ARRAY encodings (layer: format), decoded a page at a
 * time. Arithmetic wraps as the format specifies (two's complement on 64
 * bits); every length is checked against the page.
 */
#include <string.h>

#include "format/parquet_int.h"

static bool zigzag(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t v;
    if (!pq_read_uleb(p, end, &v))
        return false;
    *out = (v >> 1) ^ (0 - (v & 1));
    return true;
}

static uint64_t unpack(const uint8_t *data, int32_t width, int64_t i)
{
    if (width == 0)
        return 0;
    int64_t bit = i * width;
    const uint8_t *p = data + (bit >> 3);
    int shift = (int)(bit & 7);
    int n_bytes = (shift + width + 7) / 8;
    uint64_t v = 0;
    for (int k = 0; k < n_bytes && k < 8; k++)
        v |= (uint64_t)p[k] << (8 * k);
    v >>= shift;
    if (n_bytes == 9)
        v |= (uint64_t)p[8] << (64 - shift);
    return width == 64 ? v : v & ((UINT64_C(1) << width) - 1);
}

qv_status pq_decode_delta_binary(const uint8_t *data, size_t len, int64_t n, int64_t *out,
                                 size_t *used, qv_error *err)
{
    const uint8_t *p = data, *end = data + len;
    uint64_t block_size, n_mini, total, first;
    if (!pq_read_uleb(&p, end, &block_size) || !pq_read_uleb(&p, end, &n_mini) ||
        !pq_read_uleb(&p, end, &total) || !zigzag(&p, end, &first))
        return pq_corrupt(err, "truncated DELTA_BINARY_PACKED header");
    if (block_size == 0 || block_size % 128 != 0 || block_size > (1u << 20) || n_mini == 0 ||
        block_size % n_mini != 0 || (block_size / n_mini) % 32 != 0)
        return pq_corrupt(err, "bad DELTA_BINARY_PACKED block size");
    /* the header counts the page's values, which the levels counted too */
    if (total != (uint64_t)n)
        return pq_corrupt(err, "DELTA_BINARY_PACKED holds %llu values, expected %lld",
                          (unsigned long long)total, (long long)n);
    uint64_t per_mini = block_size / n_mini;
    uint64_t value = first;
    int64_t done = 0;
    if (n > 0)
        out[done++] = (int64_t)value;
    /* the header counts every value; blocks follow while any remain */
    uint64_t remaining = total > 0 ? total - 1 : 0;
    while (remaining > 0) {
        uint64_t min_delta;
        if (!zigzag(&p, end, &min_delta) || (uint64_t)(end - p) < n_mini)
            return pq_corrupt(err, "truncated DELTA_BINARY_PACKED block");
        const uint8_t *widths = p;
        p += n_mini;
        for (uint64_t m = 0; m < n_mini && remaining > 0; m++) {
            int32_t w = widths[m];
            if (w > 64)
                return pq_corrupt(err, "bad DELTA_BINARY_PACKED bit width %d", (int)w);
            uint64_t bytes = per_mini * (uint64_t)w / 8;
            if ((uint64_t)(end - p) < bytes)
                return pq_corrupt(err, "truncated DELTA_BINARY_PACKED miniblock");
            uint64_t k = remaining < per_mini ? remaining : per_mini;
            for (uint64_t i = 0; i < k; i++) {
                value += min_delta + unpack(p, w, (int64_t)i);
                out[done++] = (int64_t)value;
            }
            remaining -= k;
            p += bytes;
        }
    }
    *used = (size_t)(p - data);
    return QV_OK;
}

/* n lengths (DELTA_BINARY_PACKED), checked to be non-negative; *used as
 * above. The caller frees *out. */
static qv_status read_lengths(const uint8_t *data, size_t len, int64_t n, int64_t **out,
                              size_t *used, qv_error *err)
{
    *out = base_alloc((size_t)(n > 0 ? n : 1) * sizeof **out);
    if (*out == NULL)
        return base_error_nomem(err, "Parquet values");
    QV_TRY(pq_decode_delta_binary(data, len, n, *out, used, err));
    for (int64_t i = 0; i < n; i++)
        if ((*out)[i] < 0 || (*out)[i] > (int64_t)len)
            return pq_corrupt(err, "bad byte array length %lld", (long long)(*out)[i]);
    return QV_OK;
}

qv_status pq_decode_delta_length(const uint8_t *data, size_t len, int64_t n, pq_values *out,
                                 qv_error *err)
{
    int64_t *lengths = NULL;
    size_t used = 0;
    qv_status st = read_lengths(data, len, n, &lengths, &used, err);
    int64_t total = 0;
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        total += lengths[i];
        if (total > (int64_t)(len - used))
            st = pq_corrupt(err, "byte array values beyond the page");
    }
    if (st == QV_OK)
        st = pq_values_reserve(out, n, total, err);
    const uint8_t *p = data + used;
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        st = pq_values_append_bytes(out, p, lengths[i], err);
        p += lengths[i];
    }
    base_free(lengths);
    return st;
}

qv_status pq_decode_delta_byte_array(const uint8_t *data, size_t len, int64_t n, int32_t width,
                                     pq_values *out, qv_error *err)
{
    int64_t *prefixes = NULL, *suffixes = NULL;
    size_t used = 0, used2 = 0;
    qv_status st = read_lengths(data, len, n, &prefixes, &used, err);
    if (st == QV_OK)
        st = read_lengths(data + used, len - used, n, &suffixes, &used2, err);
    const uint8_t *p = data + used + used2, *end = data + len;
    /* the previous value, rebuilt in a scratch buffer */
    uint8_t *prev = NULL, *cur = NULL;
    int64_t prev_len = 0, cap = 0;
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        if (prefixes[i] > prev_len || suffixes[i] > end - p) {
            st = pq_corrupt(err, "bad DELTA_BYTE_ARRAY prefix or suffix length");
            break;
        }
        int64_t vlen = prefixes[i] + suffixes[i];
        if (vlen > cap) {
            int64_t new_cap = vlen * 2;
            uint8_t *a = base_realloc(prev, (size_t)new_cap);
            if (a != NULL)
                prev = a;
            uint8_t *b = a != NULL ? base_realloc(cur, (size_t)new_cap) : NULL;
            if (b != NULL)
                cur = b;
            if (a == NULL || b == NULL) {
                st = base_error_nomem(err, "Parquet values");
                break;
            }
            cap = new_cap;
        }
        if (prefixes[i] > 0)
            memcpy(cur, prev, (size_t)prefixes[i]);
        if (suffixes[i] > 0)
            memcpy(cur + prefixes[i], p, (size_t)suffixes[i]);
        p += suffixes[i];
        if (width > 0) {
            if (vlen != width) {
                st = pq_corrupt(err, "fixed-length value of %lld bytes, expected %d",
                                (long long)vlen, (int)width);
                break;
            }
            st = pq_values_reserve(out, 1, 0, err);
            if (st == QV_OK) {
                memcpy(out->data + out->data_len, cur, (size_t)width);
                out->data_len += width;
                out->n++;
            }
        } else {
            st = pq_values_append_bytes(out, cur, vlen, err);
        }
        uint8_t *swap = prev;
        prev = cur;
        cur = swap;
        prev_len = vlen;
    }
    base_free(prev);
    base_free(cur);
    base_free(prefixes);
    base_free(suffixes);
    return st;
}
