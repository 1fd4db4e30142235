/*
 * datetime_parse.c — the arrow-rs string parsers for temporal values
 * (layer: func): timestamps (arrow-cast's string_to_datetime, with its
 * fixed-position digit mask and error texts), times of day
 * (string_to_time) and month-day-nano intervals (parse_interval).
 */
#include <stdio.h>

#include "func/datetime_int.h"

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static qv_status ts_error(const uint8_t *p, int64_t len, const char *why, qv_error *err)
{
    return base_error_set(err, QV_CAST,
                          "Arrow error: Parser error: Error parsing timestamp from '%.*s': %s",
                          (int)len, (const char *)p, why);
}

/* Local time in tz (NULL: UTC) to the single UTC instant, as chrono's
 * from_local_datetime(..).single(); false when none or ambiguous. */
static qv_status local_single(const char *tz, int64_t local, bool *ok, int64_t *utc, qv_error *err)
{
    if (tz == NULL) {
        *ok = true;
        *utc = local;
        return QV_OK;
    }
    int n;
    int64_t cand[2];
    QV_TRY(dt_tz_local_to_utc(tz, local, &n, cand, err));
    *ok = n == 1;
    *utc = cand[0];
    return QV_OK;
}

/* The first 9 digits of a fraction as nanoseconds (more are truncated). */
static int32_t fraction_nanos(const uint8_t *p, int64_t n_digits)
{
    int32_t v = 0;
    for (int k = 0; k < 9; k++)
        v = v * 10 + (k < n_digits ? p[k] - '0' : 0);
    return v;
}

qv_status dt_parse_timestamp(const uint8_t *p, int64_t len, const char *tz, int64_t *secs,
                             int32_t *nanos, qv_error *err)
{
    if (len < 10)
        return ts_error(p, len, "timestamp must contain at least 10 characters", err);
    uint32_t mask = 0;
    uint8_t d[32];
    for (int k = 0; k < 32; k++) {
        d[k] = k < len ? (uint8_t)(p[k] - '0') : 0xFF;
        if (k < len && is_digit(p[k]))
            mask |= 1u << k;
    }
    if ((mask & 0x36F) != 0x36F || p[4] != '-' || p[7] != '-') /* 0b1101101111 */
        return ts_error(p, len, "error parsing date", err);
    int64_t year = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3];
    int month = d[5] * 10 + d[6], day = d[8] * 10 + d[9];
    if (!dt_valid_ymd(year, month, day))
        return ts_error(p, len, "error parsing date", err);
    int64_t local = dt_days_from_civil(year, month, day) * DT_SECS_PER_DAY;
    bool ok;
    if (len == 10) {
        *nanos = 0;
        QV_TRY(local_single(tz, local, &ok, secs, err));
        return ok ? QV_OK : ts_error(p, len, "error computing timezone offset", err);
    }
    if (p[10] != 'T' && p[10] != 't' && p[10] != ' ')
        return ts_error(p, len, "invalid timestamp separator", err);
    int hour, minute, second;
    int32_t frac = 0;
    int64_t tz_at;
    uint32_t tmask = (mask >> 11) & 0xFF;
    if (tmask == 0xDB && len > 16 && p[13] == ':' && p[16] == ':') {
        hour = d[11] * 10 + d[12];
        minute = d[14] * 10 + d[15];
        second = d[17] * 10 + d[18];
        tz_at = 19;
        if (len > 19 && p[19] == '.') {
            int64_t n = 0;
            while (20 + n < 32 && (mask >> (20 + n)) & 1)
                n++;
            if (n == 0)
                return ts_error(p, len, "error parsing time", err);
            frac = fraction_nanos(p + 20, n);
            tz_at = 20 + n;
        }
    } else if (tmask == 0x3F) {
        hour = d[11] * 10 + d[12];
        minute = d[13] * 10 + d[14];
        second = d[15] * 10 + d[16];
        tz_at = 17;
    } else {
        return ts_error(p, len, "error parsing time", err);
    }
    if (hour > 23 || minute > 59 || second > 60)
        return ts_error(p, len, "error parsing time", err);
    if (tz_at == 32) { /* fraction digits past the mask */
        while (tz_at < len && is_digit(p[tz_at]))
            tz_at++;
    }
    local += hour * 3600 + minute * 60 + second;
    *nanos = frac;
    if (len <= tz_at) {
        QV_TRY(local_single(tz, local, &ok, secs, err));
        return ok ? QV_OK : ts_error(p, len, "error computing timezone offset", err);
    }
    if ((p[tz_at] == 'z' || p[tz_at] == 'Z') && tz_at == len - 1) {
        *secs = local;
        return QV_OK;
    }
    int64_t z = tz_at;
    while (z < len && (p[z] == ' ' || p[z] == '\t' || p[z] == '\n' || p[z] == '\r'))
        z++;
    char name[128];
    if (len - z >= (int64_t)sizeof name)
        return base_error_set(err, QV_CAST,
                              "Arrow error: Parser error: Invalid timezone \"%.*s\": failed to "
                              "parse timezone",
                              (int)(len - z), (const char *)p + z);
    memcpy(name, p + z, (size_t)(len - z));
    name[len - z] = '\0';
    QV_TRY(dt_tz_check(name, err));
    QV_TRY(local_single(name, local, &ok, secs, err));
    return ok ? QV_OK : ts_error(p, len, "error computing timezone offset", err);
}

bool dt_parse_time(const uint8_t *p, int64_t len, int64_t *nanos)
{
    if (len < 4)
        return false;
    int am = -1; /* -1: no suffix, 1: AM, 0: PM */
    if (len >= 3 && p[len - 3] == ' ') {
        uint8_t a = p[len - 2], m = p[len - 1];
        if ((m == 'M' || m == 'm') && (a == 'A' || a == 'a'))
            am = 1;
        else if ((m == 'M' || m == 'm') && (a == 'P' || a == 'p'))
            am = 0;
        if (am >= 0)
            len -= 3;
    }
    if (len < 4)
        return false;
    uint8_t digits[6] = {'0', '0', '0', '0', '0', '0'};
    int64_t i;
    if (p[1] == ':') {
        digits[1] = p[0];
        i = 2;
    } else if (p[2] == ':') {
        digits[0] = p[0];
        digits[1] = p[1];
        i = 3;
    } else {
        return false;
    }
    if (len - i < 2)
        return false;
    digits[2] = p[i];
    digits[3] = p[i + 1];
    i += 2;
    int32_t frac = 0;
    if (i < len) {
        if (p[i] != ':' || len - i < 3)
            return false;
        digits[4] = p[i + 1];
        digits[5] = p[i + 2];
        i += 3;
        if (i < len) {
            if (p[i] != '.')
                return false;
            i++;
            if (i == len)
                return false;
            for (int64_t k = i; k < len; k++) {
                if (!is_digit(p[k]))
                    return false;
            }
            frac = fraction_nanos(p + i, len - i);
        }
    }
    for (int k = 0; k < 6; k++) {
        if (!is_digit(digits[k]))
            return false;
    }
    int hour = (digits[0] - '0') * 10 + digits[1] - '0';
    int minute = (digits[2] - '0') * 10 + digits[3] - '0';
    int second = (digits[4] - '0') * 10 + digits[5] - '0';
    if (am >= 0) {
        if (hour < 1 || hour > 12)
            return false;
        hour = am ? (hour == 12 ? 0 : hour) : (hour == 12 ? 12 : hour + 12);
    }
    if (hour > 23 || minute > 59 || second > 60)
        return false;
    *nanos = ((int64_t)hour * 3600 + minute * 60 + second) * DT_NANOS_PER_SEC + frac;
    return true;
}

/* ---- intervals ---- */

enum {
    IV_CENTURY,
    IV_DECADE,
    IV_YEAR,
    IV_MONTH,
    IV_WEEK,
    IV_DAY,
    IV_HOUR,
    IV_MINUTE,
    IV_SECOND,
    IV_MILLI,
    IV_MICRO,
    IV_NANO
};

static int interval_unit(const uint8_t *p, int64_t len)
{
    static const struct {
        const char *name;
        int unit;
    } units[] = {
        {"century", IV_CENTURY},
        {"centuries", IV_CENTURY},
        {"decade", IV_DECADE},
        {"decades", IV_DECADE},
        {"year", IV_YEAR},
        {"years", IV_YEAR},
        {"y", IV_YEAR},
        {"month", IV_MONTH},
        {"months", IV_MONTH},
        {"mon", IV_MONTH},
        {"mons", IV_MONTH},
        {"week", IV_WEEK},
        {"weeks", IV_WEEK},
        {"w", IV_WEEK},
        {"day", IV_DAY},
        {"days", IV_DAY},
        {"d", IV_DAY},
        {"hour", IV_HOUR},
        {"hours", IV_HOUR},
        {"h", IV_HOUR},
        {"minute", IV_MINUTE},
        {"minutes", IV_MINUTE},
        {"m", IV_MINUTE},
        {"min", IV_MINUTE},
        {"mins", IV_MINUTE},
        {"second", IV_SECOND},
        {"seconds", IV_SECOND},
        {"s", IV_SECOND},
        {"sec", IV_SECOND},
        {"secs", IV_SECOND},
        {"millisecond", IV_MILLI},
        {"milliseconds", IV_MILLI},
        {"ms", IV_MILLI},
        {"microsecond", IV_MICRO},
        {"microseconds", IV_MICRO},
        {"us", IV_MICRO},
        {"nanosecond", IV_NANO},
        {"nanoseconds", IV_NANO},
        {"ns", IV_NANO},
    };
    char lower[16];
    if (len <= 0 || len >= (int64_t)sizeof lower)
        return -1;
    for (int64_t k = 0; k < len; k++)
        lower[k] = (char)(p[k] >= 'A' && p[k] <= 'Z' ? p[k] + 32 : p[k]);
    lower[len] = '\0';
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        if (strcmp(units[k].name, lower) == 0)
            return units[k].unit;
    }
    return -1;
}

/* arrow-rs IntervalAmount: integer part and fraction scaled by 10^15. */
static bool parse_amount(const uint8_t *p, int64_t len, int64_t *integer, int64_t *frac)
{
    int64_t dot = -1;
    for (int64_t k = 0; k < len; k++) {
        if (p[k] == '.') {
            dot = k;
            break;
        }
    }
    int64_t int_len = dot < 0 ? len : dot;
    bool neg = int_len > 0 && p[0] == '-';
    int64_t v = 0;
    int64_t start = neg || (int_len > 0 && p[0] == '+') ? 1 : 0;
    if (dot < 0 && start == int_len)
        return false;
    for (int64_t k = start; k < int_len; k++) {
        if (!is_digit(p[k]) || __builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, p[k] - '0', &v))
            return false;
    }
    *integer = neg ? -v : v;
    *frac = 0;
    if (dot < 0)
        return true;
    int64_t n = len - dot - 1;
    if (n == 0 || n > 15)
        return false;
    int64_t f = 0;
    for (int64_t k = dot + 1; k < len; k++) {
        if (!is_digit(p[k]))
            return false;
        f = f * 10 + (p[k] - '0');
    }
    for (int64_t k = n; k < 15; k++)
        f *= 10;
    *frac = neg ? -f : f;
    return true;
}

static qv_status interval_error(const uint8_t *p, int64_t len, qv_error *err)
{
    return base_error_set(err, QV_CAST,
                          "Arrow error: Parser error: Invalid input syntax for type interval: "
                          "\"%.*s\"",
                          (int)len, (const char *)p);
}

static bool is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool not_amount(uint8_t c)
{
    return !is_digit(c) && c != '.' && c != '-';
}

qv_status dt_parse_interval(const uint8_t *p, int64_t len, int32_t *months, int32_t *days,
                            int64_t *nanos, qv_error *err)
{
    int64_t m = 0, dd = 0, ns = 0;
    unsigned seen = 0;
    int64_t i = 0;
    bool any = false;
    while (i <= len) {
        /* next word: up to whitespace (empty words count, as Rust's split) */
        int64_t ws = i;
        while (i < len && !is_ws(p[i]))
            i++;
        const uint8_t *word = p + ws;
        int64_t word_len = i - ws;
        i++; /* skip the separator */
        const uint8_t *amount = word, *unit = NULL;
        int64_t amount_len = word_len, unit_len = 0;
        int64_t split = -1;
        for (int64_t k = 0; k < word_len; k++) {
            if (not_amount(word[k])) {
                split = k;
                break;
            }
        }
        if (split >= 0) {
            amount_len = split;
            unit = word + split;
            unit_len = word_len - split;
        } else if (i <= len) {
            int64_t us = i;
            while (i < len && !is_ws(p[i]))
                i++;
            unit = p + us;
            unit_len = i - us;
            i++;
        }
        int64_t integer, frac;
        int u = unit == NULL ? IV_SECOND : interval_unit(unit, unit_len);
        if (u < 0 || !parse_amount(amount, amount_len, &integer, &frac))
            return interval_error(p, len, err);
        if (seen & (1u << u))
            return base_error_set(err, QV_CAST,
                                  "Arrow error: Parser error: Invalid input syntax for type "
                                  "interval: \"%.*s\". Repeated type '%.*s'",
                                  (int)len, (const char *)p, (int)unit_len, (const char *)unit);
        seen |= 1u << u;
        any = true;
        static const int64_t nano_per[] = {0,
                                           0,
                                           0,
                                           0,
                                           0,
                                           0,
                                           INT64_C(3600000000000),
                                           INT64_C(60000000000),
                                           INT64_C(1000000000),
                                           INT64_C(1000000),
                                           INT64_C(1000),
                                           1};
        bool ovf = false;
        int64_t t;
        switch (u) {
        case IV_CENTURY:
        case IV_DECADE:
        case IV_YEAR: {
            int64_t years = u == IV_CENTURY ? 100 : u == IV_DECADE ? 10 : 1;
            ovf = __builtin_mul_overflow(integer, years * 12, &t);
            m += t + frac * years * 12 / INT64_C(1000000000000000);
            break;
        }
        case IV_MONTH:
            m += integer;
            dd += frac * 30 / INT64_C(1000000000000000);
            break;
        case IV_WEEK:
        case IV_DAY: {
            int64_t k = u == IV_WEEK ? 7 : 1;
            ovf = __builtin_mul_overflow(integer, k, &t);
            dd += t;
            /* frac * k days in ns: frac (1e-15 days) * 86400e9 / 1e15 */
            ns += (int64_t)((func_i128)frac * k * 86400 / 1000000);
            break;
        }
        default:
            ovf = __builtin_mul_overflow(integer, nano_per[u], &t) ||
                  __builtin_add_overflow(ns, t, &ns);
            ns += (int64_t)((func_i128)frac * nano_per[u] / INT64_C(1000000000000000));
            break;
        }
        if (ovf || m > INT32_MAX || m < INT32_MIN || dd > INT32_MAX || dd < INT32_MIN)
            return base_error_set(err, QV_CAST,
                                  "Arrow error: Parser error: Interval field value out of range: "
                                  "\"%.*s\"",
                                  (int)len, (const char *)p);
        if (unit == NULL)
            break;
    }
    if (!any)
        return interval_error(p, len, err);
    *months = (int32_t)m;
    *days = (int32_t)dd;
    *nanos = ns;
    return QV_OK;
}
