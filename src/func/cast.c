/*
 * cast.c — CAST / TRY_CAST between scalar types (layer: func): dispatch,
 * numeric <-> numeric (typed loops for every integer/float pair, generated
 * by X-macros), Boolean, Decimal128 rescaling and precision checks, dates
 * and timestamps. Strings are in cast_string.c. Error texts are arrow-rs's
 * cast kernel texts (arrow-cast/src/cast/{mod,decimal}.rs).
 */
#include <math.h>
#include <stdio.h>

#include "func/func_int.h"

/* The generated range checks compare narrow types against wider limits on
 * purpose (one macro for every type pair). */
#pragma GCC diagnostic ignored "-Wtype-limits"

/* In cast_string.c */
qv_status func_cast_from_string(const func_datum *arg, arrow_type *to, bool safe, int64_t n,
                                arrow_array **out, qv_error *err);
qv_status func_cast_to_string(const func_datum *arg, arrow_type *to, int64_t n, arrow_array **out,
                              qv_error *err);

func_i128 func_pow10_i128(int n)
{
    func_i128 v = 1;
    for (int i = 0; i < n; i++)
        v *= 10;
    return v;
}

void func_i128_to_string(func_i128 v, char *buf)
{
    char tmp[48];
    int n = 0;
    func_u128 u = v < 0 ? (func_u128)0 - (func_u128)v : (func_u128)v;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u != 0);
    int k = 0;
    if (v < 0)
        buf[k++] = '-';
    while (n > 0)
        buf[k++] = tmp[--n];
    buf[k] = '\0';
}

/* Appends a decimal value with its scale as arrow-rs prints it (scale >= 0). */
static void dec_to_string(func_i128 v, int scale, char *buf, size_t cap)
{
    char digits[48];
    func_i128_to_string(v, digits);
    const char *d = digits;
    bool neg = *d == '-';
    if (neg)
        d++;
    int len = (int)strlen(d);
    if (scale <= 0) {
        snprintf(buf, cap, "%s%s", neg ? "-" : "", d);
        return;
    }
    char pad[96];
    int zeros = scale + 1 - len;
    int k = 0;
    for (int i = 0; i < zeros; i++)
        pad[k++] = '0';
    memcpy(pad + k, d, (size_t)len + 1);
    len = (int)strlen(pad);
    snprintf(buf, cap, "%s%.*s.%s", neg ? "-" : "", len - scale, pad, pad + len - scale);
}

/* Checks v fits precision p; the arrow-rs validate_decimal_precision error. */
qv_status func_dec_check_precision(func_i128 v, const arrow_type *to, qv_error *err)
{
    func_i128 max = func_pow10_i128(to->precision) - 1;
    if (v <= max && v >= -max)
        return QV_OK;
    char a[64], b[64];
    dec_to_string(v, to->scale, a, sizeof a);
    dec_to_string(v > 0 ? max : -max, to->scale, b, sizeof b);
    return base_error_set(err, QV_CAST,
                          "Arrow error: Invalid argument error: %s is too %s to store in a "
                          "Decimal128 of precision %d. %s is %s",
                          a, v > 0 ? "large" : "small", to->precision, v > 0 ? "Max" : "Min", b);
}

static qv_status dec_overflow_err(const arrow_type *to, const char *value, qv_error *err)
{
    return base_error_set(err, QV_CAST,
                          "Arrow error: Cast error: Cannot cast to Decimal128(%d, %d). Overflowing "
                          "on %s",
                          to->precision, to->scale, value);
}

/* ---- numeric <-> numeric ---- */

#define IS_FLOAT_T(T) ((T)0.5 != 0)

/* Destination integer and float types: id, C type, integer range, float
 * range [FMIN, FMAXP1) of values that truncate into the type. */
#define NUM_DST(X)                                                                                 \
    X(QV_TYPE_INT8, int8_t, INT8_MIN, INT8_MAX, -128.0, 128.0)                                     \
    X(QV_TYPE_INT16, int16_t, INT16_MIN, INT16_MAX, -32768.0, 32768.0)                             \
    X(QV_TYPE_INT32, int32_t, INT32_MIN, INT32_MAX, -2147483648.0, 2147483648.0)                   \
    X(QV_TYPE_INT64, int64_t, INT64_MIN, INT64_MAX, -9223372036854775808.0, 9223372036854775808.0) \
    X(QV_TYPE_UINT8, uint8_t, 0, UINT8_MAX, 0.0, 256.0)                                            \
    X(QV_TYPE_UINT16, uint16_t, 0, UINT16_MAX, 0.0, 65536.0)                                       \
    X(QV_TYPE_UINT32, uint32_t, 0, UINT32_MAX, 0.0, 4294967296.0)                                  \
    X(QV_TYPE_UINT64, uint64_t, 0, UINT64_MAX, 0.0, 18446744073709551616.0)                        \
    X(QV_TYPE_FLOAT32, float, 0, 0, 0.0, 0.0)                                                      \
    X(QV_TYPE_FLOAT64, double, 0, 0, 0.0, 0.0)

#define NUM_SRC(X)                                                                                 \
    X(QV_TYPE_INT8, int8_t)                                                                        \
    X(QV_TYPE_INT16, int16_t)                                                                      \
    X(QV_TYPE_INT32, int32_t)                                                                      \
    X(QV_TYPE_INT64, int64_t)                                                                      \
    X(QV_TYPE_UINT8, uint8_t)                                                                      \
    X(QV_TYPE_UINT16, uint16_t)                                                                    \
    X(QV_TYPE_UINT32, uint32_t)                                                                    \
    X(QV_TYPE_UINT64, uint64_t)                                                                    \
    X(QV_TYPE_FLOAT32, float)                                                                      \
    X(QV_TYPE_FLOAT64, double)

/* One conversion loop; fail[i] = 1 where the value does not fit. */
#define CONVERT_LOOP(ST, DT, IMIN, IMAX, FMIN, FMAXP1)                                             \
    do {                                                                                           \
        const ST *s = (const ST *)src;                                                             \
        DT *o = (DT *)dst;                                                                         \
        for (int64_t i = 0; i < n; i++) {                                                          \
            ST v = s[i];                                                                           \
            bool ok;                                                                               \
            if (IS_FLOAT_T(DT)) {                                                                  \
                ok = true;                                                                         \
            } else if (IS_FLOAT_T(ST)) {                                                           \
                double t = trunc((double)v);                                                       \
                ok = t >= (FMIN) && t < (FMAXP1);                                                  \
            } else {                                                                               \
                ok = (func_i128)v >= (func_i128)(IMIN) && (func_i128)v <= (func_i128)(IMAX);       \
            }                                                                                      \
            fail[i] = !ok;                                                                         \
            any_fail |= !ok;                                                                       \
            o[i] = ok ? (DT)v : (DT)0;                                                             \
        }                                                                                          \
    } while (0)

static bool numeric_convert(arrow_type_id from, arrow_type_id to, const uint8_t *src, uint8_t *dst,
                            uint8_t *fail, int64_t n)
{
    bool any_fail = false;
    switch (from) {
#define DST_CASE(ST, DID, DT, IMIN, IMAX, FMIN, FMAXP1)                                            \
    case DID:                                                                                      \
        CONVERT_LOOP(ST, DT, IMIN, IMAX, FMIN, FMAXP1);                                            \
        break;
#define SRC_CASE(SID, ST)                                                                          \
    case SID:                                                                                      \
        switch (to) {                                                                              \
            NUM_DST_FOR(ST)                                                                        \
        default:                                                                                   \
            break;                                                                                 \
        }                                                                                          \
        break;
#define NUM_DST_FOR(ST)                                                                            \
    DST_CASE(ST, QV_TYPE_INT8, int8_t, INT8_MIN, INT8_MAX, -128.0, 128.0)                          \
    DST_CASE(ST, QV_TYPE_INT16, int16_t, INT16_MIN, INT16_MAX, -32768.0, 32768.0)                  \
    DST_CASE(ST, QV_TYPE_INT32, int32_t, INT32_MIN, INT32_MAX, -2147483648.0, 2147483648.0)        \
    DST_CASE(ST, QV_TYPE_INT64, int64_t, INT64_MIN, INT64_MAX, -9223372036854775808.0,             \
             9223372036854775808.0)                                                                \
    DST_CASE(ST, QV_TYPE_UINT8, uint8_t, 0, UINT8_MAX, 0.0, 256.0)                                 \
    DST_CASE(ST, QV_TYPE_UINT16, uint16_t, 0, UINT16_MAX, 0.0, 65536.0)                            \
    DST_CASE(ST, QV_TYPE_UINT32, uint32_t, 0, UINT32_MAX, 0.0, 4294967296.0)                       \
    DST_CASE(ST, QV_TYPE_UINT64, uint64_t, 0, UINT64_MAX, 0.0, 18446744073709551616.0)             \
    DST_CASE(ST, QV_TYPE_FLOAT32, float, 0, 0, 0.0, 0.0)                                           \
    DST_CASE(ST, QV_TYPE_FLOAT64, double, 0, 0, 0.0, 0.0)
        NUM_SRC(SRC_CASE)
#undef SRC_CASE
#undef DST_CASE
#undef NUM_DST_FOR
    default:
        break;
    }
    return any_fail;
}

static bool is_int_or_float(arrow_type_id id)
{
    return arrow_type_is_integer(id) || id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64;
}

/* Row value of a numeric or Boolean array as double / i128 (per-row paths:
 * decimals and Booleans only). */
static double read_double(const arrow_array *a, int64_t j)
{
    const uint8_t *v = arrow_array_values(a);
    switch (a->type->id) {
    case QV_TYPE_INT8:
        return ((const int8_t *)v)[j];
    case QV_TYPE_INT16:
        return ((const int16_t *)v)[j];
    case QV_TYPE_INT32:
        return ((const int32_t *)v)[j];
    case QV_TYPE_INT64:
        return (double)((const int64_t *)v)[j];
    case QV_TYPE_UINT8:
        return ((const uint8_t *)v)[j];
    case QV_TYPE_UINT16:
        return ((const uint16_t *)v)[j];
    case QV_TYPE_UINT32:
        return ((const uint32_t *)v)[j];
    case QV_TYPE_UINT64:
        return (double)((const uint64_t *)v)[j];
    case QV_TYPE_FLOAT32:
        return ((const float *)v)[j];
    case QV_TYPE_FLOAT64:
        return ((const double *)v)[j];
    case QV_TYPE_BOOLEAN:
        return arrow_bit_get(v, j);
    default:
        return 0;
    }
}

static func_i128 read_i128(const arrow_array *a, int64_t j)
{
    const uint8_t *v = arrow_array_values(a);
    switch (a->type->id) {
    case QV_TYPE_UINT64:
        return ((const uint64_t *)v)[j];
    case QV_TYPE_INT64:
        return ((const int64_t *)v)[j];
    case QV_TYPE_DECIMAL128: {
        func_i128 x;
        memcpy(&x, v + j * 16, 16);
        return x;
    }
    case QV_TYPE_BOOLEAN:
        return arrow_bit_get(v, j);
    default:
        return (func_i128)read_double(a, j); /* exact for the narrower integers */
    }
}

/* Formats row j of the source for error messages. */
static void source_text(const arrow_array *a, int64_t j, char *buf, size_t cap)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_error e;
    if (arrow_format_value(a, j - a->offset, &sb, &e) != QV_OK || base_strbuf_failed(&sb))
        snprintf(buf, cap, "?");
    else
        snprintf(buf, cap, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
}

/* Converts one non-null row to Decimal128 `to`; QV_CAST when it does not fit. */
static qv_status to_decimal(const arrow_array *a, int64_t j, const arrow_type *to, func_i128 *out,
                            qv_error *err)
{
    arrow_type_id id = a->type->id;
    char text[80];
    if (id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64) {
        double x = read_double(a, j) * pow(10.0, to->scale);
        x = round(x);
        if (!(x > -1.7014118346046923e38 && x < 1.7014118346046923e38)) {
            source_text(a, j, text, sizeof text);
            return dec_overflow_err(to, text, err);
        }
        *out = (func_i128)x;
        return func_dec_check_precision(*out, to, err);
    }
    func_i128 v = read_i128(a, j);
    int from_scale = id == QV_TYPE_DECIMAL128 ? a->type->scale : 0;
    int delta = to->scale - from_scale;
    if (delta >= 0) {
        if (delta > 38 || __builtin_mul_overflow(v, func_pow10_i128(delta), out)) {
            func_i128_to_string(v, text);
            return dec_overflow_err(to, text, err);
        }
    } else if (-delta > 38) {
        *out = 0;
    } else {
        func_i128 div = func_pow10_i128(-delta), half = div / 2;
        func_i128 q = v / div, r = v % div;
        if (id == QV_TYPE_DECIMAL128) /* decimal downscaling rounds half away from zero */
            q += r >= half ? 1 : r <= -half ? -1 : 0;
        *out = q;
    }
    return func_dec_check_precision(*out, to, err);
}

/* Converts one non-null Decimal128 row to an integer or float of type `to`. */
static qv_status from_decimal(const arrow_array *a, int64_t j, const arrow_type *to, uint8_t *dst,
                              int64_t i, qv_error *err)
{
    func_i128 v = read_i128(a, j);
    int scale = a->type->scale;
    if (to->id == QV_TYPE_FLOAT32 || to->id == QV_TYPE_FLOAT64) {
        double x = (double)v / pow(10.0, scale);
        if (to->id == QV_TYPE_FLOAT32)
            ((float *)dst)[i] = (float)x;
        else
            ((double *)dst)[i] = x;
        return QV_OK;
    }
    if (to->id == QV_TYPE_BOOLEAN) {
        arrow_bit_set(dst, i, v != 0);
        return QV_OK;
    }
    func_i128 q = scale >= 0 ? v / func_pow10_i128(scale) : v * func_pow10_i128(-scale);
    func_i128 lo, hi;
    int w = arrow_type_bit_width(to) / 8;
    if (arrow_type_is_signed_integer(to->id)) {
        hi = ((func_i128)1 << (w * 8 - 1)) - 1;
        lo = -hi - 1;
    } else {
        lo = 0;
        hi = ((func_i128)1 << (w * 8)) - 1;
    }
    if (q < lo || q > hi) {
        char text[48], name[32];
        func_i128_to_string(q, text);
        func_type_name(to, name, sizeof name);
        return base_error_set(
            err, QV_CAST, "Arrow error: Cast error: value of %s is out of range %s", text, name);
    }
    switch (w) {
    case 1:
        dst[i] = (uint8_t)q;
        break;
    case 2:
        ((uint16_t *)dst)[i] = (uint16_t)q;
        break;
    case 4:
        ((uint32_t *)dst)[i] = (uint32_t)q;
        break;
    default:
        ((uint64_t *)dst)[i] = (uint64_t)q;
        break;
    }
    return QV_OK;
}

/* Numeric / Boolean -> numeric / Boolean. validity (may be NULL) is owned by
 * the caller and cleared where TRY_CAST turns a value into NULL. */
static qv_status cast_numeric(const func_datum *arg, arrow_type *to, bool safe, int64_t n,
                              arrow_buffer **validity, arrow_buffer *values, qv_error *err)
{
    const arrow_array *a = arg->array;
    arrow_type_id from = a->type->id;
    int64_t base = a->offset;
    uint8_t *dst = values->data;
    if (is_int_or_float(from) && is_int_or_float(to->id)) {
        int w = arrow_type_bit_width(a->type) / 8;
        uint8_t *fail = base_alloc((size_t)(n > 0 ? n : 1));
        if (fail == NULL)
            return base_error_nomem(err, "cast scratch");
        bool any = numeric_convert(from, to->id, func_fixed_ptr(a, w), dst, fail, n);
        qv_status st = QV_OK;
        for (int64_t i = 0; any && i < n && st == QV_OK; i++) {
            if (!fail[i] || (*validity && !arrow_bit_get((*validity)->data, i)))
                continue;
            if (safe) {
                if (*validity == NULL) {
                    st = func_bitmap_new(n, validity, err);
                    if (st == QV_OK)
                        memset((*validity)->data, 0xFF, (size_t)((n + 7) / 8));
                }
                if (st == QV_OK)
                    arrow_bit_set((*validity)->data, i, false);
            } else {
                char text[64], name[32];
                source_text(a, base + i, text, sizeof text);
                func_type_name(to, name, sizeof name);
                st = base_error_set(err, QV_CAST,
                                    "Arrow error: Cast error: Can't cast value %s to type %s", text,
                                    name);
            }
        }
        base_free(fail);
        return st;
    }
    for (int64_t i = 0; i < n; i++) {
        if (*validity && !arrow_bit_get((*validity)->data, i))
            continue;
        int64_t j = base + (arg->is_scalar ? 0 : i);
        qv_status st = QV_OK;
        if (to->id == QV_TYPE_DECIMAL128) {
            func_i128 v = 0;
            st = to_decimal(a, j, to, &v, err);
            if (st == QV_OK)
                memcpy(dst + i * 16, &v, 16);
        } else if (from == QV_TYPE_DECIMAL128) {
            st = from_decimal(a, j, to, dst, i, err);
        } else if (to->id == QV_TYPE_BOOLEAN) {
            arrow_bit_set(dst, i, read_double(a, j) != 0 || isnan(read_double(a, j)));
        } else { /* Boolean -> integer / float */
            double x = read_double(a, j);
            switch (to->id) {
            case QV_TYPE_FLOAT32:
                ((float *)dst)[i] = (float)x;
                break;
            case QV_TYPE_FLOAT64:
                ((double *)dst)[i] = x;
                break;
            default: {
                int w = arrow_type_bit_width(to) / 8;
                uint8_t one = x != 0;
                memset(dst + i * w, 0, (size_t)w);
                dst[i * w] = one; /* little-endian 1 */
                break;
            }
            }
        }
        if (st != QV_OK) {
            if (!safe)
                return st;
            if (*validity == NULL) {
                QV_TRY(func_bitmap_new(n, validity, err));
                memset((*validity)->data, 0xFF, (size_t)((n + 7) / 8));
            }
            arrow_bit_set((*validity)->data, i, false);
        }
    }
    return QV_OK;
}

/* ---- temporal ---- */

static int64_t unit_per_second(arrow_time_unit unit)
{
    static const int64_t f[] = {1, 1000, 1000000, 1000000000};
    return f[unit];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Date32 <-> Date64 <-> Timestamp (any unit / zone): plain rescaling on
 * int64 values, checked for overflow. */
static qv_status cast_temporal(const func_datum *arg, arrow_type *to, bool safe, int64_t n,
                               arrow_buffer **validity, arrow_buffer *values, qv_error *err)
{
    const arrow_array *a = arg->array;
    const arrow_type *from = a->type;
    /* factor to a common "per day" / "per second" scale */
    int64_t from_per_s = from->id == QV_TYPE_DATE32   ? 0
                         : from->id == QV_TYPE_DATE64 ? 1000
                                                      : unit_per_second(from->unit);
    int64_t to_per_s = to->id == QV_TYPE_DATE32   ? 0
                       : to->id == QV_TYPE_DATE64 ? 1000
                                                  : unit_per_second(to->unit);
    for (int64_t i = 0; i < n; i++) {
        int64_t j = a->offset + (arg->is_scalar ? 0 : i);
        int64_t v = from->id == QV_TYPE_DATE32 ? ((const int32_t *)arrow_array_values(a))[j]
                                               : ((const int64_t *)arrow_array_values(a))[j];
        int64_t r;
        bool ok = true;
        if (from_per_s == 0 && to_per_s == 0) {
            r = v;
        } else if (from_per_s == 0) {
            ok = !__builtin_mul_overflow(v, 86400 * to_per_s, &r);
        } else if (to_per_s == 0) {
            r = floor_div(v, 86400 * from_per_s);
            ok = r >= INT32_MIN && r <= INT32_MAX;
        } else if (to_per_s >= from_per_s) {
            ok = !__builtin_mul_overflow(v, to_per_s / from_per_s, &r);
        } else {
            r = floor_div(v, from_per_s / to_per_s);
        }
        bool row_valid = !*validity || arrow_bit_get((*validity)->data, i);
        if (!ok && row_valid) {
            if (!safe) {
                char name[64];
                func_type_name(to, name, sizeof name);
                return base_error_set(err, QV_CAST,
                                      "Arrow error: Cast error: Can't cast value %lld to type %s",
                                      (long long)v, name);
            }
            if (*validity == NULL) {
                QV_TRY(func_bitmap_new(n, validity, err));
                memset((*validity)->data, 0xFF, (size_t)((n + 7) / 8));
            }
            arrow_bit_set((*validity)->data, i, false);
            r = 0;
        }
        if (to->id == QV_TYPE_DATE32)
            ((int32_t *)values->data)[i] = ok ? (int32_t)r : 0;
        else
            ((int64_t *)values->data)[i] = ok ? r : 0;
    }
    return QV_OK;
}

static bool is_temporal(arrow_type_id id)
{
    return id == QV_TYPE_DATE32 || id == QV_TYPE_DATE64 || id == QV_TYPE_TIMESTAMP;
}

static bool is_num_or_bool(arrow_type_id id)
{
    return is_int_or_float(id) || id == QV_TYPE_DECIMAL128 || id == QV_TYPE_BOOLEAN;
}

bool func_can_cast(const arrow_type *from, const arrow_type *to)
{
    arrow_type_id f = from->id, t = to->id;
    if (f == QV_TYPE_NULL || arrow_type_equal(from, to))
        return true;
    if (func_cast_temporal_handles(from, to))
        return true;
    if (func_cast_nested_handles(from, to)) /* cast_nested.c */
        return func_can_cast_nested(from, to);
    if (is_num_or_bool(f) && is_num_or_bool(t))
        return true;
    if (is_temporal(f) && is_temporal(t))
        return true;
    if (func_is_string_id(f) &&
        (is_num_or_bool(t) || func_is_string_id(t) || t == QV_TYPE_DATE32 || t == QV_TYPE_BINARY ||
         t == QV_TYPE_LARGE_BINARY || t == QV_TYPE_BINARY_VIEW))
        return true;
    if (func_is_string_id(t) && (is_num_or_bool(f) || is_temporal(f) || f == QV_TYPE_BINARY ||
                                 f == QV_TYPE_LARGE_BINARY || f == QV_TYPE_BINARY_VIEW))
        return true;
    if (func_is_binary_id(f) && f != QV_TYPE_FIXED_SIZE_BINARY && func_is_binary_id(t) &&
        t != QV_TYPE_FIXED_SIZE_BINARY)
        return true;
    return false;
}

qv_status func_cast(const func_datum *arg, arrow_type *to, bool safe, int64_t n_rows,
                    func_datum *out, qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    const arrow_type *from = arg->array->type;
    bool all_scalar;
    int64_t n = func_out_rows(1, arg, n_rows, &all_scalar);
    arrow_array *result = NULL;
    if (!func_can_cast(from, to)) {
        char a[64], b[64];
        func_type_name(from, a, sizeof a);
        func_type_name(to, b, sizeof b);
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "Arrow error: Cast error: Casting from %s to %s not supported", a, b);
    }
    if (from->id != QV_TYPE_NULL && !arrow_type_equal(from, to) &&
        func_cast_temporal_handles(from, to))
        return func_cast_temporal(arg, to, safe, n_rows, out, err);
    if (from->id == QV_TYPE_NULL) {
        QV_TRY(arrow_array_new_null(to, n, &result, err));
    } else if (arrow_type_equal(from, to)) {
        result = arrow_array_retain(arg->array);
    } else if (func_cast_nested_handles(from, to) && !func_is_string_id(to->id)) {
        return func_cast_nested(arg, to, safe, n_rows, out, err); /* cast_nested.c */
    } else if (func_is_string_id(from->id) || func_is_binary_id(from->id)) {
        if (func_is_string_id(to->id) || func_is_binary_id(to->id))
            QV_TRY(func_cast_to_string(arg, to, n, &result, err));
        else
            QV_TRY(func_cast_from_string(arg, to, safe, n, &result, err));
    } else if (func_is_string_id(to->id)) {
        QV_TRY(func_cast_to_string(arg, to, n, &result, err));
    } else {
        arrow_buffer *validity = NULL, *values = NULL;
        int w = arrow_type_bit_width(to);
        qv_status st = func_validity_and(1, arg, n, &validity, err);
        if (st == QV_OK)
            st = arrow_buffer_new(w == 1 ? (n + 7) / 8 : n * (w / 8), &values, err);
        if (st == QV_OK) {
            if (is_temporal(from->id))
                st = cast_temporal(arg, to, safe, n, &validity, values, err);
            else
                st = cast_numeric(arg, to, safe, n, &validity, values, err);
        }
        if (st != QV_OK) {
            arrow_buffer_release(validity);
            arrow_buffer_release(values);
            return st;
        }
        QV_TRY(func_make_fixed(to, n, validity, values, &result, err));
    }
    func_set_result(out, result, all_scalar);
    return QV_OK;
}
