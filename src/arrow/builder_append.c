/*
 * builder_append.c — the typed appends of the builders (layer: arrow): each
 * checks the value against the builder's (or its dictionary's / runs')
 * value type, range-checks integers, rounds Float16, encodes the value as
 * its little-endian bytes and hands them to arrow_builder_append_encoded.
 */
#include <string.h>

#include "builder_int.h"

static qv_status misuse(qv_error *err, const arrow_builder *b, const char *what)
{
    return base_error_set(err, QV_MISUSE, "cannot append %s to a builder of type id %d", what,
                          b == NULL ? -1 : (int)b->type->id);
}

static qv_status overflow(qv_error *err, const arrow_builder *t)
{
    return base_error_set(err, QV_OVERFLOW, "value out of range for type id %d", (int)t->type->id);
}

static qv_status append_unsigned(arrow_builder *b, arrow_builder *t, uint64_t value, qv_error *err)
{
    uint8_t bytes[8];
    switch (t->type->id) {
    case QV_TYPE_UINT8:
        if (value > UINT8_MAX)
            return overflow(err, t);
        bytes[0] = (uint8_t)value;
        break;
    case QV_TYPE_UINT16: {
        if (value > UINT16_MAX)
            return overflow(err, t);
        uint16_t v = (uint16_t)value;
        memcpy(bytes, &v, 2);
        break;
    }
    case QV_TYPE_UINT32: {
        if (value > UINT32_MAX)
            return overflow(err, t);
        uint32_t v = (uint32_t)value;
        memcpy(bytes, &v, 4);
        break;
    }
    case QV_TYPE_UINT64:
        memcpy(bytes, &value, 8);
        break;
    default:
        return misuse(err, b, "an unsigned integer");
    }
    return arrow_builder_append_encoded(b, bytes, t->width, err);
}

/* Appends a signed integer: to signed integers, DATE32/64, TIME32/64,
 * TIMESTAMP, DURATION and INTERVAL_YEAR_MONTH (months), and also to unsigned
 * integers when not negative. QV_OVERFLOW when out of the type's range,
 * QV_MISUSE for other types. */
qv_status arrow_builder_append_int(arrow_builder *b, int64_t value, qv_error *err)
{
    if (b == NULL)
        return misuse(err, b, "an integer");
    arrow_builder *t = builder_value_target(b);
    uint8_t bytes[8];
    switch (t->type->id) {
    case QV_TYPE_INT8: {
        if (value < INT8_MIN || value > INT8_MAX)
            return overflow(err, t);
        int8_t v = (int8_t)value;
        memcpy(bytes, &v, 1);
        break;
    }
    case QV_TYPE_INT16: {
        if (value < INT16_MIN || value > INT16_MAX)
            return overflow(err, t);
        int16_t v = (int16_t)value;
        memcpy(bytes, &v, 2);
        break;
    }
    case QV_TYPE_INT32:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIME32:
    case QV_TYPE_INTERVAL_YEAR_MONTH: {
        if (value < INT32_MIN || value > INT32_MAX)
            return overflow(err, t);
        int32_t v = (int32_t)value;
        memcpy(bytes, &v, 4);
        break;
    }
    case QV_TYPE_INT64:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION:
        memcpy(bytes, &value, 8);
        break;
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64:
        if (value < 0)
            return overflow(err, t);
        return append_unsigned(b, t, (uint64_t)value, err);
    default:
        return misuse(err, b, "an integer");
    }
    return arrow_builder_append_encoded(b, bytes, t->width, err);
}

/* Appends an unsigned integer: to unsigned integers, and to signed ones when
 * in range. QV_OVERFLOW when out of range, QV_MISUSE for other types. */
qv_status arrow_builder_append_uint(arrow_builder *b, uint64_t value, qv_error *err)
{
    if (b == NULL)
        return misuse(err, b, "an unsigned integer");
    arrow_builder *t = builder_value_target(b);
    if (arrow_type_is_signed_integer(t->type->id)) {
        if (value > INT64_MAX)
            return overflow(err, t);
        return arrow_builder_append_int(b, (int64_t)value, err);
    }
    return append_unsigned(b, t, value, err);
}

/* The IEEE binary16 nearest to value (ties to even); overflow gives
 * infinity, NaN stays NaN (quiet), signs and signed zeros are kept. */
static uint16_t half_from_double(double value)
{
    uint64_t bits;
    memcpy(&bits, &value, 8);
    uint16_t sign = (uint16_t)((bits >> 48) & 0x8000);
    int32_t exponent = (int32_t)((bits >> 52) & 0x7FF);
    uint64_t mantissa = bits & 0xFFFFFFFFFFFFFull;
    if (exponent == 0x7FF)
        return (uint16_t)(sign | (mantissa != 0 ? 0x7E00 : 0x7C00));
    if (exponent == 0)
        return sign; /* double subnormals are far below half's smallest subnormal */
    int32_t e = exponent - 1023;
    uint64_t significand = mantissa | (1ull << 52);
    /* Normal halves keep 11 significant bits; subnormals are multiples of 2^-24. */
    int32_t shift = e >= -14 ? 42 : 28 - e;
    if (shift >= 64)
        return sign;
    uint64_t kept = significand >> shift;
    uint64_t rest = significand & ((1ull << shift) - 1);
    uint64_t half_way = 1ull << (shift - 1);
    if (rest > half_way || (rest == half_way && (kept & 1)))
        kept++;
    if (e < -14)
        return (uint16_t)(sign | kept); /* kept == 1024 is the smallest normal, as encoded */
    if (kept == (1ull << 11)) {
        kept >>= 1;
        e++;
    }
    if (e > 15)
        return (uint16_t)(sign | 0x7C00);
    return (uint16_t)(sign | ((uint32_t)(e + 15) << 10) | (kept & 0x3FF));
}

/* Appends a floating-point value to FLOAT16 (rounded to nearest even),
 * FLOAT32 (rounded by the C conversion) or FLOAT64. QV_MISUSE otherwise. */
qv_status arrow_builder_append_double(arrow_builder *b, double value, qv_error *err)
{
    if (b == NULL)
        return misuse(err, b, "a double");
    arrow_builder *t = builder_value_target(b);
    uint8_t bytes[8];
    switch (t->type->id) {
    case QV_TYPE_FLOAT16: {
        uint16_t half = half_from_double(value);
        memcpy(bytes, &half, 2);
        break;
    }
    case QV_TYPE_FLOAT32: {
        float v = (float)value;
        memcpy(bytes, &v, 4);
        break;
    }
    case QV_TYPE_FLOAT64:
        memcpy(bytes, &value, 8);
        break;
    default:
        return misuse(err, b, "a double");
    }
    return arrow_builder_append_encoded(b, bytes, t->width, err);
}

/* Appends a boolean to BOOLEAN. QV_MISUSE otherwise. */
qv_status arrow_builder_append_bool(arrow_builder *b, bool value, qv_error *err)
{
    if (b == NULL || builder_value_target(b)->kind != BK_BOOL)
        return misuse(err, b, "a boolean");
    uint8_t byte = value ? 1 : 0;
    return arrow_builder_append_encoded(b, &byte, 1, err);
}

/* Appends bytes (copied) to UTF8*, BINARY* or FIXED_SIZE_BINARY (QV_INVALID
 * when len differs from the width). QV_OVERFLOW when 32-bit offsets would
 * overflow, QV_MISUSE for other types. */
qv_status arrow_builder_append_bytes(arrow_builder *b, const void *data, int64_t len, qv_error *err)
{
    if (b == NULL || len < 0 || (data == NULL && len > 0))
        return base_error_set(err, QV_MISUSE, "arrow_builder_append_bytes: bad arguments");
    arrow_builder *t = builder_value_target(b);
    switch (t->kind) {
    case BK_VARBIN:
    case BK_LARGE_VARBIN:
    case BK_VIEW:
        break;
    case BK_FIXED:
        if (t->type->id != QV_TYPE_FIXED_SIZE_BINARY)
            return misuse(err, b, "bytes");
        if (len != t->width)
            return base_error_set(err, QV_INVALID, "%lld bytes for FixedSizeBinary(%d)",
                                  (long long)len, t->width);
        break;
    default:
        return misuse(err, b, "bytes");
    }
    return arrow_builder_append_encoded(b, data, len, err);
}

/* Appends a DECIMAL128 (16 bytes) or DECIMAL256 (32 bytes) value given as
 * little-endian two's complement. QV_MISUSE for other types. */
qv_status arrow_builder_append_decimal(arrow_builder *b, const uint8_t *le_bytes, qv_error *err)
{
    if (b == NULL || le_bytes == NULL)
        return misuse(err, b, "a decimal");
    arrow_builder *t = builder_value_target(b);
    if (t->type->id != QV_TYPE_DECIMAL128 && t->type->id != QV_TYPE_DECIMAL256)
        return misuse(err, b, "a decimal");
    return arrow_builder_append_encoded(b, le_bytes, t->width, err);
}

/* Appends an INTERVAL_DAY_TIME value. QV_MISUSE for other types. */
qv_status arrow_builder_append_interval_dt(arrow_builder *b, int32_t days, int32_t millis,
                                           qv_error *err)
{
    if (b == NULL || builder_value_target(b)->type->id != QV_TYPE_INTERVAL_DAY_TIME)
        return misuse(err, b, "a day-time interval");
    uint8_t bytes[8];
    memcpy(bytes, &days, 4);
    memcpy(bytes + 4, &millis, 4);
    return arrow_builder_append_encoded(b, bytes, 8, err);
}

/* Appends an INTERVAL_MONTH_DAY_NANO value. QV_MISUSE for other types. */
qv_status arrow_builder_append_interval_mdn(arrow_builder *b, int32_t months, int32_t days,
                                            int64_t nanos, qv_error *err)
{
    if (b == NULL || builder_value_target(b)->type->id != QV_TYPE_INTERVAL_MONTH_DAY_NANO)
        return misuse(err, b, "a month-day-nano interval");
    uint8_t bytes[16];
    memcpy(bytes, &months, 4);
    memcpy(bytes + 4, &days, 4);
    memcpy(bytes + 8, &nanos, 8);
    return arrow_builder_append_encoded(b, bytes, 16, err);
}
