/*
 * cast_string.c — casts from and to strings (layer: func): parsing integers,
 * floats, decimals, Booleans and dates as arrow-rs's cast kernels do
 * (arrow-cast/src/parse.rs), formatting every other type with
 * arrow_format_value (arrow-rs casts to string through its ArrayFormatter),
 * and copies between the string and binary layouts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "func/func_int.h"

qv_status func_cast_from_string(const func_datum *arg, arrow_type *to, bool safe, int64_t n,
                                 arrow_array **out, qv_error *err);
qv_status func_cast_to_string(const func_datum *arg, arrow_type *to, int64_t n,
                              arrow_array **out, qv_error *err);

static bool is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const uint8_t **p, int64_t *len)
{
    while (*len > 0 && is_space((*p)[0])) {
        (*p)++;
        (*len)--;
    }
    while (*len > 0 && is_space((*p)[*len - 1]))
        (*len)--;
}

/* [+-]digits after trimming ASCII whitespace; false on anything else or a
 * magnitude beyond 2^64. */
static bool parse_integer(const uint8_t *p, int64_t len, bool *neg, uint64_t *mag)
{
    trim(&p, &len);
    *neg = false;
    if (len > 0 && (p[0] == '+' || p[0] == '-')) {
        *neg = p[0] == '-';
        p++;
        len--;
    }
    if (len == 0)
        return false;
    uint64_t v = 0;
    for (int64_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (uint64_t)(p[i] - '0'), &v))
            return false;
    }
    *mag = v;
    return true;
}

static bool ieq(const uint8_t *p, int64_t len, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        if (c != (uint8_t)word[i])
            return false;
    }
    return true;
}

/* A float as lexical-core reads it: no surrounding spaces, no hex. */
static bool parse_float(const uint8_t *p, int64_t len, double *out)
{
    if (len == 0)
        return false;
    const uint8_t *q = p;
    int64_t m = len;
    bool neg = false;
    if (q[0] == '+' || q[0] == '-') {
        neg = q[0] == '-';
        q++;
        m--;
    }
    if (ieq(q, m, "nan")) {
        *out = NAN;
        return true;
    }
    if (ieq(q, m, "inf") || ieq(q, m, "infinity")) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    bool digit = false;
    for (int64_t i = 0; i < m; i++) {
        uint8_t c = q[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-')
            return false;
    }
    if (!digit)
        return false;
    char stack[128];
    char *buf = len < (int64_t)sizeof stack ? stack : base_strndup((const char *)p, (size_t)len);
    if (buf == NULL)
        return false;
    if (buf == stack) {
        memcpy(stack, p, (size_t)len);
        stack[len] = '\0';
    }
    char *end;
    *out = strtod(buf, &end);
    bool ok = end == buf + len;
    if (buf != stack)
        base_free(buf);
    return ok;
}

/* A decimal string scaled to `scale`, extra fraction digits rounded half
 * away from zero (arrow-rs parse_string_to_decimal_native). */
static bool parse_decimal(const uint8_t *p, int64_t len, int scale, func_i128 *out)
{
    trim(&p, &len);
    bool neg = false;
    if (len > 0 && (p[0] == '+' || p[0] == '-')) {
        neg = p[0] == '-';
        p++;
        len--;
    }
    func_i128 v = 0;
    int frac = 0;
    bool point = false, digit = false, round_up = false;
    for (int64_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9')
            return false;
        digit = true;
        if (point && frac >= scale) {
            if (frac == scale && c >= '5')
                round_up = true;
            frac++;
            continue;
        }
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v))
            return false;
        if (point)
            frac++;
    }
    if (!digit)
        return false;
    for (int f = frac < scale ? frac : scale; f < scale; f++) {
        if (__builtin_mul_overflow(v, 10, &v))
            return false;
    }
    if (round_up)
        v += 1;
    *out = neg ? -v : v;
    return true;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool valid_ymd(int64_t y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* YYYY-M[M]-D[D] or YYYYMMDD; longer strings are datetimes whose date part
 * is taken (arrow-rs parse_date; extended signed years not yet). */
static bool parse_date32(const uint8_t *p, int64_t len, int32_t *out)
{
    if (len > 10) {
        int64_t k = 0;
        while (k < len && p[k] != 'T' && p[k] != ' ')
            k++;
        if (k == len || k > 10)
            return false;
        len = k;
    }
    int num[3] = {0, 0, 0}, nd[3] = {0, 0, 0}, part = 0;
    bool dashes = len >= 5 && p[4] == '-';
    if (!dashes) {
        if (len != 8)
            return false;
        for (int i = 0; i < 8; i++) {
            if (p[i] < '0' || p[i] > '9')
                return false;
        }
        num[0] = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
        num[1] = (p[4] - '0') * 10 + (p[5] - '0');
        num[2] = (p[6] - '0') * 10 + (p[7] - '0');
    } else {
        for (int64_t i = 0; i < len; i++) {
            if (p[i] == '-') {
                if (++part > 2)
                    return false;
                continue;
            }
            if (p[i] < '0' || p[i] > '9')
                return false;
            num[part] = num[part] * 10 + (p[i] - '0');
            nd[part]++;
        }
        if (part != 2 || nd[0] != 4 || nd[1] < 1 || nd[1] > 2 || nd[2] < 1 || nd[2] > 2)
            return false;
    }
    if (!valid_ymd(num[0], num[1], num[2]))
        return false;
    *out = (int32_t)days_from_civil(num[0], num[1], num[2]);
    return true;
}

/* Parses one string into the builder; false when it does not convert. */
static bool parse_into(arrow_builder *b, const arrow_type *to, const uint8_t *p, int64_t len)
{
    switch (to->id) {
    case QV_TYPE_BOOLEAN: {
        trim(&p, &len);
        static const char *t[] = {"t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"};
        static const char *f[] = {"f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0"};
        for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
            if (ieq(p, len, t[i]))
                return arrow_builder_append_bool(b, true, NULL) == QV_OK;
        }
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
            if (ieq(p, len, f[i]))
                return arrow_builder_append_bool(b, false, NULL) == QV_OK;
        }
        return false;
    }
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64: {
        double v;
        return parse_float(p, len, &v) && arrow_builder_append_double(b, v, NULL) == QV_OK;
    }
    case QV_TYPE_DECIMAL128: {
        func_i128 v;
        if (!parse_decimal(p, len, to->scale, &v) || func_dec_check_precision(v, to, NULL) != QV_OK)
            return false;
        return arrow_builder_append_decimal(b, (const uint8_t *)&v, NULL) == QV_OK;
    }
    case QV_TYPE_DATE32: {
        int32_t d;
        return parse_date32(p, len, &d) && arrow_builder_append_int(b, d, NULL) == QV_OK;
    }
    default: { /* integers */
        bool neg;
        uint64_t mag;
        if (!parse_integer(p, len, &neg, &mag))
            return false;
        if (!neg)
            return arrow_builder_append_uint(b, mag, NULL) == QV_OK;
        if (mag > (uint64_t)INT64_MAX + 1)
            return false;
        int64_t v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
        if (!arrow_type_is_signed_integer(to->id))
            return v == 0 && arrow_builder_append_uint(b, 0, NULL) == QV_OK;
        return arrow_builder_append_int(b, v, NULL) == QV_OK;
    }
    }
}

qv_status func_cast_from_string(const func_datum *arg, arrow_type *to, bool safe, int64_t n,
                                 arrow_array **out, qv_error *err)
{
    arrow_builder *b;
    QV_TRY(arrow_builder_new(to, &b, err));
    func_str s;
    func_str_init(&s, arg);
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        if (!func_valid_at(arg, i)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        const uint8_t *p;
        int64_t len;
        func_str_at(&s, i, &p, &len);
        if (parse_into(b, to, p, len))
            continue;
        if (safe) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        char name[64];
        func_type_name(to, name, sizeof name);
        if (to->id == QV_TYPE_BOOLEAN) {
            trim(&p, &len);
            st = base_error_set(err, QV_CAST,
                                "Arrow error: Cast error: Cannot cast value '%.*s' to value of "
                                "Boolean type",
                                (int)len, (const char *)p);
        } else {
            st = base_error_set(err, QV_CAST,
                                "Arrow error: Cast error: Cannot cast string '%.*s' to value of %s "
                                "type",
                                (int)len, (const char *)p, name);
        }
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

static bool valid_utf8(const uint8_t *p, int64_t len)
{
    int64_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > len)
            return false;
        for (int k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        }
        i += n;
    }
    return true;
}

qv_status func_cast_to_string(const func_datum *arg, arrow_type *to, int64_t n,
                              arrow_array **out, qv_error *err)
{
    arrow_builder *b;
    QV_TRY(arrow_builder_new(to, &b, err));
    const arrow_array *a = arg->array;
    bool bytes = func_is_string_id(a->type->id) || func_is_binary_id(a->type->id);
    bool check_utf8 = func_is_binary_id(a->type->id) && func_is_string_id(to->id);
    func_str s;
    if (bytes)
        func_str_init(&s, arg);
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        if (!func_valid_at(arg, i)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        if (bytes) {
            const uint8_t *p;
            int64_t len;
            func_str_at(&s, i, &p, &len);
            if (check_utf8 && !valid_utf8(p, len)) {
                st = base_error_set(err, QV_CAST,
                                    "Arrow error: Invalid argument error: Invalid UTF8 sequence");
                break;
            }
            st = arrow_builder_append_bytes(b, p, len, err);
            continue;
        }
        base_strbuf_clear(&sb);
        st = arrow_format_value(a, arg->is_scalar ? 0 : i, &sb, err);
        if (st == QV_OK)
            st = arrow_builder_append_bytes(b, sb.data ? sb.data : "", (int64_t)sb.len, err);
    }
    base_strbuf_free(&sb);
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}
