/*
 * value_parse.c — text to scalar conversion shared by the CSV and NDJSON
 * readers (layer: format).
 *
 * Each function accepts exactly what arrow-rs' arrow-cast parsers accept for
 * the type (integers with an optional sign, lexical-core floats, parse_date,
 * string_to_datetime, parse_decimal), so that a file reads the same here as
 * in DataFusion. Written by hand because no C library matches those grammars.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/format.h"

bool fmt_parse_int(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
    size_t i = 0;
    bool negative = false;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return false;
    /* Accumulate as a negative number so INT64_MIN fits. */
    int64_t acc = 0;
    for (; i < len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9)
            return false;
        if (acc < (INT64_MIN + (int64_t)d) / 10)
            return false;
        acc = acc * 10 - (int64_t)d;
    }
    if (!negative) {
        if (acc == INT64_MIN)
            return false;
        acc = -acc;
    }
    if (acc < min || acc > max)
        return false;
    *out = acc;
    return true;
}

bool fmt_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
    size_t i = 0;
    if (len > 0 && s[0] == '+')
        i = 1;
    if (i == len)
        return false;
    uint64_t acc = 0;
    for (; i < len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9)
            return false;
        if (acc > (UINT64_MAX - d) / 10)
            return false;
        acc = acc * 10 + d;
    }
    if (acc > max)
        return false;
    *out = acc;
    return true;
}

static bool ieq(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != word[i])
            return false;
    }
    return true;
}

/* The lexical-core grammar: [sign] (digits [. digits*] | . digits) [e [sign] digits],
 * or nan / inf / infinity. Returns the special value class: 0 number, 1 nan,
 * 2 inf; -1 invalid. */
static int float_syntax(const char *s, size_t len, bool *negative)
{
    size_t i = 0;
    *negative = false;
    if (len > 0 && (s[0] == '+' || s[0] == '-')) {
        *negative = s[0] == '-';
        i = 1;
    }
    if (ieq(s + i, len - i, "nan"))
        return 1;
    if (ieq(s + i, len - i, "inf") || ieq(s + i, len - i, "infinity"))
        return 2;
    size_t int_digits = 0, frac_digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        i++;
        int_digits++;
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
            frac_digits++;
        }
    }
    if (int_digits + frac_digits == 0)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp_digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
            exp_digits++;
        }
        if (exp_digits == 0)
            return -1;
    }
    return i == len ? 0 : -1;
}

/* The value of s[0..len) in float syntax, into *dbl or, with single, into
 * *flt: strtof rounds the text once, where a double cast would round twice.
 * False on bad syntax or when a long text cannot be copied. */
static bool parse_real(const char *s, size_t len, bool single, double *dbl, float *flt)
{
    bool negative;
    int kind = float_syntax(s, len, &negative);
    if (kind < 0)
        return false;
    if (kind == 1 || kind == 2) {
        float special = kind == 1 ? NAN : INFINITY;
        if (negative)
            special = -special;
        if (single)
            *flt = special;
        else
            *dbl = special;
        return true;
    }
    char stack[64];
    char *buf = len < sizeof stack ? stack : base_alloc(len + 1);
    if (buf == NULL)
        return false;
    memcpy(buf, s, len);
    buf[len] = 0;
    if (single)
        *flt = strtof(buf, NULL);
    else
        *dbl = strtod(buf, NULL);
    if (buf != stack)
        base_free(buf);
    return true;
}

bool fmt_parse_double(const char *s, size_t len, double *out)
{
    return parse_real(s, len, false, out, NULL);
}

bool fmt_parse_float(const char *s, size_t len, float *out)
{
    return parse_real(s, len, true, NULL, out);
}

bool fmt_parse_bool(const char *s, size_t len, bool *out)
{
    if (ieq(s, len, "true")) {
        *out = true;
        return true;
    }
    if (ieq(s, len, "false")) {
        *out = false;
        return true;
    }
    return false;
}

/* ---- dates and times ---- */

static int64_t days_from_civil(int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t yoe = year - era * 400;
    int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool valid_ymd(int64_t year, int month, int day)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /* chrono's NaiveDate range */
    if (year < -262143 || year > 262142 || month < 1 || month > 12 || day < 1)
        return false;
    int max = lengths[month - 1];
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        max = 29;
    return day <= max;
}

static bool digits_value(const char *s, size_t len, int64_t *out)
{
    if (len == 0 || len > 9)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool fmt_parse_date32(const char *s, size_t len, int32_t *out)
{
    int64_t year, month, day;
    if (len > 0 && (s[0] == '+' || s[0] == '-')) {
        /* Extended year: sign, >= 4 year digits, '-', month, '-', day. */
        const char *rest = s + 1;
        size_t rlen = len - 1;
        const char *h1 = memchr(rest, '-', rlen);
        if (h1 == NULL || h1 - rest < 4)
            return false;
        const char *after = h1 + 1;
        size_t alen = (size_t)(s + len - after);
        const char *h2 = memchr(after, '-', alen);
        if (h2 == NULL)
            return false;
        if (!digits_value(rest, (size_t)(h1 - rest), &year) ||
            !digits_value(after, (size_t)(h2 - after), &month) ||
            !digits_value(h2 + 1, (size_t)(s + len - h2 - 1), &day))
            return false;
        if (s[0] == '-')
            year = -year;
    } else if (len > 10) {
        int64_t secs;
        if (!fmt_parse_timestamp(s, len, QV_UNIT_SECOND, 0, &secs, NULL))
            return false;
        int64_t days = secs / 86400 - (secs % 86400 < 0);
        if (days < INT32_MIN || days > INT32_MAX)
            return false;
        *out = (int32_t)days;
        return true;
    } else if (len == 8 && s[4] != '-') {
        if (!digits_value(s, 4, &year) || !digits_value(s + 4, 2, &month) ||
            !digits_value(s + 6, 2, &day))
            return false;
    } else {
        if (len < 8 || s[4] != '-' || !digits_value(s, 4, &year))
            return false;
        const char *h2 = memchr(s + 5, '-', len - 5);
        if (h2 == NULL)
            return false;
        size_t mlen = (size_t)(h2 - (s + 5));
        size_t dlen = (size_t)(s + len - h2 - 1);
        if (mlen < 1 || mlen > 2 || dlen < 1 || dlen > 2)
            return false;
        if (!digits_value(s + 5, mlen, &month) || !digits_value(h2 + 1, dlen, &day))
            return false;
    }
    if (!valid_ymd(year, (int)month, (int)day))
        return false;
    *out = (int32_t)days_from_civil(year, (int)month, (int)day);
    return true;
}

bool fmt_tz_fixed_offset(const char *name, int32_t *offset_s)
{
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 || strcmp(name, "GMT") == 0 ||
        strcmp(name, "Etc/UTC") == 0 || strcmp(name, "Etc/GMT") == 0 ||
        strcmp(name, "Universal") == 0 || strcmp(name, "Zulu") == 0) {
        *offset_s = 0;
        return true;
    }
    /* +HH, +HHMM, +HH:MM (arrow-rs Tz::from_str for offsets) */
    size_t n = strlen(name);
    if (n < 3 || (name[0] != '+' && name[0] != '-'))
        return false;
    int64_t hh, mm = 0;
    if (!digits_value(name + 1, 2, &hh))
        return false;
    if (n == 6 && name[3] == ':') {
        if (!digits_value(name + 4, 2, &mm))
            return false;
    } else if (n == 5) {
        if (!digits_value(name + 3, 2, &mm))
            return false;
    } else if (n != 3) {
        return false;
    }
    if (hh > 23 || mm > 59)
        return false;
    int32_t off = (int32_t)(hh * 3600 + mm * 60);
    *offset_s = name[0] == '-' ? -off : off;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool to_unit(int64_t secs, int64_t nanos, arrow_time_unit unit, int64_t *out)
{
    int64_t scale, sub;
    switch (unit) {
    case QV_UNIT_SECOND:
        *out = secs;
        return true;
    case QV_UNIT_MILLISECOND:
        scale = 1000;
        sub = nanos / 1000000;
        break;
    case QV_UNIT_MICROSECOND:
        scale = 1000000;
        sub = nanos / 1000;
        break;
    default:
        scale = 1000000000;
        sub = nanos;
        break;
    }
    int64_t v;
    if (__builtin_mul_overflow(secs, scale, &v) || __builtin_add_overflow(v, sub, &v))
        return false;
    *out = v;
    return true;
}

/* The fraction of a second after the '.' at s[*i]: its first nine digits as
 * nanoseconds in *nanos (later digits are dropped), with *i moved past all of
 * them. False when no digit follows the '.'. */
static bool parse_fraction(const char *s, size_t len, size_t *i, int64_t *nanos)
{
    size_t start = ++*i;
    int64_t frac = 0;
    size_t n = 0;
    while (*i < len && is_digit(s[*i])) {
        if (n < 9) {
            frac = frac * 10 + (s[*i] - '0');
            n++;
        }
        ++*i;
    }
    if (*i == start)
        return false;
    for (; n < 9; n++)
        frac *= 10;
    *nanos = frac;
    return true;
}

bool fmt_parse_timestamp(const char *s, size_t len, arrow_time_unit unit, int32_t default_offset_s,
                         int64_t *out, const char **reason)
{
    const char *dummy;
    if (reason == NULL)
        reason = &dummy;
    if (len < 10) {
        *reason = "timestamp must contain at least 10 characters";
        return false;
    }
    int64_t year, month, day;
    if (!digits_value(s, 4, &year) || s[4] != '-' || !digits_value(s + 5, 2, &month) ||
        s[7] != '-' || !digits_value(s + 8, 2, &day) || !valid_ymd(year, (int)month, (int)day)) {
        *reason = "error parsing date";
        return false;
    }
    int64_t days = days_from_civil(year, (int)month, (int)day);
    int64_t hh = 0, mi = 0, ss = 0, nanos = 0;
    bool leap = false;
    size_t tz_at = len;
    if (len > 10) {
        if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
            *reason = "invalid timestamp separator";
            return false;
        }
        size_t i = 11;
        if (len >= 19 && s[13] == ':' && s[16] == ':' && digits_value(s + 11, 2, &hh) &&
            digits_value(s + 14, 2, &mi) && digits_value(s + 17, 2, &ss)) {
            i = 19;
            if (i < len && s[i] == '.' && !parse_fraction(s, len, &i, &nanos)) {
                *reason = "error parsing time";
                return false;
            }
        } else if (len >= 17 && digits_value(s + 11, 2, &hh) && digits_value(s + 13, 2, &mi) &&
                   digits_value(s + 15, 2, &ss)) {
            i = 17;
        } else {
            *reason = "error parsing time";
            return false;
        }
        if (ss == 60) {
            leap = true;
            ss = 59;
        }
        if (hh > 23 || mi > 59 || ss > 59) {
            *reason = "error parsing time";
            return false;
        }
        tz_at = i;
    }
    int64_t secs = days * 86400 + hh * 3600 + mi * 60 + ss;
    int32_t offset = default_offset_s;
    if (tz_at < len) {
        if ((s[tz_at] == 'Z' || s[tz_at] == 'z') && tz_at == len - 1) {
            offset = 0;
        } else {
            size_t i = tz_at;
            while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
                i++;
            char name[64];
            size_t n = len - i;
            if (n == 0 || n >= sizeof name) {
                *reason = "error parsing timezone";
                return false;
            }
            memcpy(name, s + i, n);
            name[n] = 0;
            if (!fmt_tz_fixed_offset(name, &offset)) {
                *reason = "error parsing timezone";
                return false;
            }
        }
    }
    secs -= offset;
    if (leap && unit != QV_UNIT_SECOND)
        nanos += 1000000000;
    if (!to_unit(secs, nanos, unit, out)) {
        *reason = "timestamp out of range";
        return false;
    }
    return true;
}

bool fmt_parse_time(const char *s, size_t len, arrow_time_unit unit, int64_t *out)
{
    int64_t hh, mi, ss = 0, nanos = 0;
    if (len >= 5 && s[2] == ':' && digits_value(s, 2, &hh) && digits_value(s + 3, 2, &mi)) {
        size_t i = 5;
        if (i < len && s[i] == ':') {
            if (len < 8 || !digits_value(s + 6, 2, &ss))
                return false;
            i = 8;
            if (i < len && s[i] == '.' && !parse_fraction(s, len, &i, &nanos))
                return false;
        }
        if (i != len || hh > 23 || mi > 59 || ss > 59)
            return false;
        return to_unit(hh * 3600 + mi * 60 + ss, nanos, unit, out);
    }
    return fmt_parse_int(s, len, INT64_MIN, INT64_MAX, out);
}

/* ---- decimals ---- */

/* 256-bit unsigned accumulator, eight little-endian 32-bit limbs. */
static void u256_mul_add(uint32_t limbs[8], uint32_t mul, uint32_t add)
{
    uint64_t carry = add;
    for (int i = 0; i < 8; i++) {
        uint64_t v = (uint64_t)limbs[i] * mul + carry;
        limbs[i] = (uint32_t)v;
        carry = v >> 32;
    }
}

bool fmt_parse_decimal(const char *s, size_t len, int32_t precision, int32_t scale, uint8_t *le,
                       int n_bytes, bool *overflow)
{
    *overflow = false;
    size_t i = 0;
    bool negative = false;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        i = 1;
    }
    /* Collect significant digits and the power of ten of the last one kept.
     * Past 128 digits the value overflows any precision (<= 76) unless the
     * extra digits are fraction digits, which truncation drops anyway. */
    char digits[128];
    int n_digits = 0;
    int64_t exp10 = 0; /* value = digits * 10^exp10 */
    size_t seen = 0;
    bool in_fraction = false;
    for (; i < len; i++) {
        char c = s[i];
        if (c == '.' && !in_fraction) {
            in_fraction = true;
            continue;
        }
        if (!is_digit(c))
            break;
        seen++;
        if (n_digits == 0 && c == '0') {
            if (in_fraction)
                exp10--;
            continue;
        }
        if (n_digits < (int)sizeof digits) {
            digits[n_digits++] = c;
            if (in_fraction)
                exp10--;
        } else if (!in_fraction) {
            exp10++;
        }
    }
    if (seen == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        int64_t e = 0;
        size_t start = i;
        while (i < len && is_digit(s[i])) {
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
            i++;
        }
        if (i == start)
            return false;
        exp10 += eneg ? -e : e;
    }
    if (i != len)
        return false;
    /* Scaled integer = digits * 10^(exp10 + scale), truncating. */
    int64_t shift = exp10 + scale;
    int keep = n_digits;
    if (shift < 0) {
        keep = (int)(n_digits + shift < 0 ? 0 : n_digits + shift);
        shift = 0;
    }
    int64_t total = keep + shift;
    if (keep == 0)
        total = 0;
    if (total > precision) {
        *overflow = true;
        return false;
    }
    uint32_t limbs[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < keep; k++)
        u256_mul_add(limbs, 10, (uint32_t)(digits[k] - '0'));
    if (keep > 0)
        for (int64_t k = 0; k < shift; k++)
            u256_mul_add(limbs, 10, 0);
    if (negative) {
        /* two's complement */
        unsigned carry = 1;
        for (int k = 0; k < 8; k++) {
            uint32_t v = ~limbs[k] + carry;
            carry = carry && v == 0;
            limbs[k] = v;
        }
    }
    for (int b = 0; b < n_bytes; b++)
        le[b] = (uint8_t)(limbs[b / 4] >> (8 * (b % 4)));
    return true;
}

/* ---- UTF-8 ---- */

size_t fmt_utf8_valid_prefix(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path, eight bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return i;
        i += n;
    }
    return len;
}
