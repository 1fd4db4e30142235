/*
 * group_encode.c — the canonical byte encoding of one value for the group
 * table's generic key path (layer: exec): nested types (struct, lists, map,
 * fixed-size list), dictionaries and run-end encoded arrays, and decoding
 * back into a builder when groups are emitted.
 *
 * Encoding: a tag byte (0 null, 1 valid), then for a valid value:
 *   Boolean one byte; fixed-width types their little-endian bytes (floats
 *   normalised); strings and binaries a u64 length and the bytes; structs
 *   each field's encoding; lists and maps a u64 count and each item's
 *   encoding; fixed-size lists each item's encoding. Dictionaries and
 *   run-end encoded arrays encode their decoded value, so equal values are
 *   equal bytes whatever the physical encoding.
 */
#include <math.h>
#include <string.h>

#include "exec/group_int.h"

uint64_t group_normalize_float(uint64_t bits, int32_t float_bits)
{
    switch (float_bits) {
    case 16:
        if ((bits & 0x7FFF) == 0)
            return 0;
        if ((bits & 0x7C00) == 0x7C00 && (bits & 0x03FF) != 0)
            return 0x7E00;
        return bits;
    case 32:
        if ((bits & 0x7FFFFFFFu) == 0)
            return 0;
        if ((bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu) != 0)
            return 0x7FC00000u;
        return bits;
    default:
        if ((bits & 0x7FFFFFFFFFFFFFFFULL) == 0)
            return 0;
        if ((bits & 0x7FF0000000000000ULL) == 0x7FF0000000000000ULL &&
            (bits & 0x000FFFFFFFFFFFFFULL) != 0)
            return 0x7FF8000000000000ULL;
        return bits;
    }
}

/* ---- growing the output ---- */

typedef struct enc_buf {
    uint8_t **data;
    int64_t *len;
    int64_t *cap;
} enc_buf;

static qv_status put(enc_buf *b, const void *bytes, int64_t n, qv_error *err)
{
    if (*b->len + n > *b->cap) {
        int64_t new_cap = *b->cap < 256 ? 256 : *b->cap * 2;
        while (new_cap < *b->len + n)
            new_cap *= 2;
        uint8_t *grown = base_realloc(*b->data, (size_t)new_cap);
        if (grown == NULL)
            return base_error_nomem(err, "group key encoding");
        *b->data = grown;
        *b->cap = new_cap;
    }
    if (n > 0)
        memcpy(*b->data + *b->len, bytes, (size_t)n);
    *b->len += n;
    return QV_OK;
}

static qv_status put_u64(enc_buf *b, uint64_t v, qv_error *err)
{
    return put(b, &v, 8, err);
}

/* ---- reading elements ---- */

static int64_t read_index(const uint8_t *data, int64_t j, arrow_type_id id)
{
    switch (id) {
    case QV_TYPE_INT8:
        return ((const int8_t *)data)[j];
    case QV_TYPE_UINT8:
        return data[j];
    case QV_TYPE_INT16: {
        int16_t v;
        memcpy(&v, data + j * 2, 2);
        return v;
    }
    case QV_TYPE_UINT16: {
        uint16_t v;
        memcpy(&v, data + j * 2, 2);
        return v;
    }
    case QV_TYPE_INT32: {
        int32_t v;
        memcpy(&v, data + j * 4, 4);
        return v;
    }
    case QV_TYPE_UINT32: {
        uint32_t v;
        memcpy(&v, data + j * 4, 4);
        return v;
    }
    default: {
        int64_t v;
        memcpy(&v, data + j * 8, 8);
        return v;
    }
    }
}

/* The run holding logical element i of a run-end encoded array. */
static int64_t ree_run(const arrow_array *array, int64_t i)
{
    const arrow_array *ends = array->children[0];
    const uint8_t *data = ends->buffers[1]->data;
    int64_t logical = array->offset + i;
    int64_t lo = 0, hi = ends->length;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (read_index(data, ends->offset + mid, ends->type->id) <= logical)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Steps through dictionary / run-end encoding to the element holding the
 * value; false when the value is null. */
static bool resolve(const arrow_array **array, int64_t *i)
{
    const arrow_array *a = *array;
    while (a->type->id == QV_TYPE_DICTIONARY || a->type->id == QV_TYPE_RUN_END_ENCODED) {
        if (a->type->id == QV_TYPE_DICTIONARY) {
            if (a->buffers[0] != NULL && !arrow_bit_get(a->buffers[0]->data, a->offset + *i))
                return false;
            *i = read_index(a->buffers[1]->data, a->offset + *i, a->type->index_type->id);
            a = a->dictionary;
        } else {
            *i = ree_run(a, *i);
            a = a->children[1];
        }
    }
    *array = a;
    if (a->type->id == QV_TYPE_NULL)
        return false;
    return a->buffers[0] == NULL || arrow_bit_get(a->buffers[0]->data, a->offset + *i);
}

static int64_t list_bound(const arrow_array *a, int64_t j, bool large)
{
    const uint8_t *offsets = a->buffers[1]->data;
    if (large) {
        int64_t v;
        memcpy(&v, offsets + j * 8, 8);
        return v;
    }
    int32_t v;
    memcpy(&v, offsets + j * 4, 4);
    return v;
}

static void bytes_of(const arrow_array *a, int64_t i, const uint8_t **bytes, int64_t *len)
{
    int64_t j = a->offset + i;
    switch (a->type->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY: {
        int64_t start = list_bound(a, j, false), end = list_bound(a, j + 1, false);
        *bytes = a->buffers[2]->data + start;
        *len = end - start;
        return;
    }
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY: {
        int64_t start = list_bound(a, j, true), end = list_bound(a, j + 1, true);
        *bytes = a->buffers[2]->data + start;
        *len = end - start;
        return;
    }
    default: { /* views */
        const uint8_t *view = a->buffers[1]->data + j * 16;
        int32_t view_len, buffer_index, offset;
        memcpy(&view_len, view, 4);
        *len = view_len;
        if (view_len <= 12) {
            *bytes = view + 4;
            return;
        }
        memcpy(&buffer_index, view + 8, 4);
        memcpy(&offset, view + 12, 4);
        *bytes = a->buffers[2 + buffer_index]->data + offset;
        return;
    }
    }
}

static qv_status encode(const arrow_array *a, int64_t i, enc_buf *b, qv_error *err)
{
    static const uint8_t null_tag = 0, valid_tag = 1;
    if (!resolve(&a, &i))
        return put(b, &null_tag, 1, err);
    QV_TRY(put(b, &valid_tag, 1, err));
    int64_t j = a->offset + i;
    switch (a->type->id) {
    case QV_TYPE_BOOLEAN: {
        uint8_t v = arrow_bit_get(a->buffers[1]->data, j);
        return put(b, &v, 1, err);
    }
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW: {
        const uint8_t *bytes;
        int64_t len;
        bytes_of(a, i, &bytes, &len);
        QV_TRY(put_u64(b, (uint64_t)len, err));
        return put(b, bytes, len, err);
    }
    case QV_TYPE_STRUCT:
        for (int32_t c = 0; c < a->n_children; c++)
            QV_TRY(encode(a->children[c], j, b, err));
        return QV_OK;
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_MAP: {
        bool large = a->type->id == QV_TYPE_LARGE_LIST;
        int64_t start = list_bound(a, j, large), end = list_bound(a, j + 1, large);
        QV_TRY(put_u64(b, (uint64_t)(end - start), err));
        for (int64_t k = start; k < end; k++)
            QV_TRY(encode(a->children[0], k, b, err));
        return QV_OK;
    }
    case QV_TYPE_FIXED_SIZE_LIST: {
        int64_t size = a->type->fixed_size;
        for (int64_t k = j * size; k < (j + 1) * size; k++)
            QV_TRY(encode(a->children[0], k, b, err));
        return QV_OK;
    }
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64: {
        int32_t width = arrow_type_bit_width(a->type) / 8;
        uint64_t bits = 0;
        memcpy(&bits, a->buffers[1]->data + j * width, (size_t)width);
        bits = group_normalize_float(bits, width * 8);
        return put(b, &bits, width, err);
    }
    default: { /* fixed width: integers, decimals, temporal, intervals, fixed-size binary */
        int64_t width = arrow_type_bit_width(a->type) / 8;
        return put(b, a->buffers[1]->data + j * width, width, err);
    }
    }
}

qv_status group_encode_value(const arrow_array *array, int64_t i, uint8_t **buf, int64_t *len,
                             int64_t *cap, qv_error *err)
{
    enc_buf b = {buf, len, cap};
    return encode(array, i, &b, err);
}

/* ---- decoding ---- */

static uint64_t take_u64(const uint8_t **pos)
{
    uint64_t v;
    memcpy(&v, *pos, 8);
    *pos += 8;
    return v;
}

static double half_to_double(uint16_t h)
{
    int sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    double v;
    if (exponent == 0)
        v = ldexp(mantissa, -24);
    else if (exponent == 31)
        v = mantissa ? NAN : INFINITY;
    else
        v = ldexp(mantissa + 1024, exponent - 25);
    return sign ? -v : v;
}

/* Appends a valid value of `type` whose payload starts at *pos. */
static qv_status decode_payload(arrow_builder *b, const arrow_type *type, const uint8_t **pos,
                                qv_error *err)
{
    const uint8_t *p = *pos;
    switch (type->id) {
    case QV_TYPE_DICTIONARY:
        return decode_payload(b, type->value_type, pos, err);
    case QV_TYPE_RUN_END_ENCODED:
        return decode_payload(b, type->children[1]->type, pos, err);
    case QV_TYPE_BOOLEAN:
        *pos = p + 1;
        return arrow_builder_append_bool(b, *p != 0, err);
    case QV_TYPE_INT8:
        *pos = p + 1;
        return arrow_builder_append_int(b, (int8_t)*p, err);
    case QV_TYPE_UINT8:
        *pos = p + 1;
        return arrow_builder_append_uint(b, *p, err);
    case QV_TYPE_INT16: {
        int16_t v;
        memcpy(&v, p, 2);
        *pos = p + 2;
        return arrow_builder_append_int(b, v, err);
    }
    case QV_TYPE_UINT16: {
        uint16_t v;
        memcpy(&v, p, 2);
        *pos = p + 2;
        return arrow_builder_append_uint(b, v, err);
    }
    case QV_TYPE_INT32:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIME32:
    case QV_TYPE_INTERVAL_YEAR_MONTH: {
        int32_t v;
        memcpy(&v, p, 4);
        *pos = p + 4;
        return arrow_builder_append_int(b, v, err);
    }
    case QV_TYPE_UINT32: {
        uint32_t v;
        memcpy(&v, p, 4);
        *pos = p + 4;
        return arrow_builder_append_uint(b, v, err);
    }
    case QV_TYPE_INT64:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION: {
        int64_t v;
        memcpy(&v, p, 8);
        *pos = p + 8;
        return arrow_builder_append_int(b, v, err);
    }
    case QV_TYPE_UINT64:
        return arrow_builder_append_uint(b, take_u64(pos), err);
    case QV_TYPE_FLOAT16: {
        uint16_t v;
        memcpy(&v, p, 2);
        *pos = p + 2;
        return arrow_builder_append_double(b, half_to_double(v), err);
    }
    case QV_TYPE_FLOAT32: {
        float v;
        memcpy(&v, p, 4);
        *pos = p + 4;
        return arrow_builder_append_double(b, v, err);
    }
    case QV_TYPE_FLOAT64: {
        double v;
        memcpy(&v, p, 8);
        *pos = p + 8;
        return arrow_builder_append_double(b, v, err);
    }
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        *pos = p + (type->id == QV_TYPE_DECIMAL128 ? 16 : 32);
        return arrow_builder_append_decimal(b, p, err);
    case QV_TYPE_INTERVAL_DAY_TIME: {
        int32_t days, millis;
        memcpy(&days, p, 4);
        memcpy(&millis, p + 4, 4);
        *pos = p + 8;
        return arrow_builder_append_interval_dt(b, days, millis, err);
    }
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO: {
        int32_t months, days;
        int64_t nanos;
        memcpy(&months, p, 4);
        memcpy(&days, p + 4, 4);
        memcpy(&nanos, p + 8, 8);
        *pos = p + 16;
        return arrow_builder_append_interval_mdn(b, months, days, nanos, err);
    }
    case QV_TYPE_FIXED_SIZE_BINARY:
        *pos = p + type->fixed_size;
        return arrow_builder_append_bytes(b, p, type->fixed_size, err);
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW: {
        int64_t len = (int64_t)take_u64(pos);
        const uint8_t *bytes = *pos;
        *pos += len;
        return arrow_builder_append_bytes(b, bytes, len, err);
    }
    case QV_TYPE_STRUCT:
        for (int32_t c = 0; c < type->n_children; c++)
            QV_TRY(
                group_decode_value(arrow_builder_child(b, c), type->children[c]->type, pos, err));
        return arrow_builder_append_struct(b, true, err);
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_MAP: {
        uint64_t count = take_u64(pos);
        for (uint64_t k = 0; k < count; k++)
            QV_TRY(
                group_decode_value(arrow_builder_child(b, 0), type->children[0]->type, pos, err));
        return arrow_builder_end_list(b, true, err);
    }
    case QV_TYPE_FIXED_SIZE_LIST:
        for (int32_t k = 0; k < type->fixed_size; k++)
            QV_TRY(
                group_decode_value(arrow_builder_child(b, 0), type->children[0]->type, pos, err));
        return arrow_builder_end_list(b, true, err);
    default:
        return base_error_set(err, QV_NOT_IMPLEMENTED, "cannot group by values of type %s",
                              arrow_type_id_name(type->id));
    }
}

qv_status group_decode_value(arrow_builder *builder, const arrow_type *type, const uint8_t **pos,
                             qv_error *err)
{
    uint8_t tag = **pos;
    (*pos)++;
    if (tag == 0)
        return arrow_builder_append_null(builder, err);
    return decode_payload(builder, type, pos, err);
}
