/*
 * format_temporal.c — dates, times, timestamps, durations and intervals as
 * arrow-rs's ArrayFormatter prints them with DataFusion's options
 * (layer: arrow).
 *
 * Dates and times follow chrono's Debug forms (`2020-01-02`, `+10000-01-01`,
 * `13:42:29.190855123`), time zone timestamps chrono's RFC 3339 with
 * SecondsFormat::AutoSi and `Z` for a zero offset, durations arrow-rs's
 * "pretty" form and intervals arrow-rs's list of non-zero parts. Calendar
 * arithmetic is the proleptic Gregorian days-from-civil algorithm (Howard
 * Hinnant), limited to chrono's year range so out-of-range values fail as
 * they do in arrow-rs.
 */
#include <string.h>

#include "arrow/format_int.h"

#define SECONDS_PER_DAY 86400
/* chrono's NaiveDate range: years -262144 ..= 262143. */
#define CHRONO_MIN_YEAR (-262144)
#define CHRONO_MAX_YEAR 262143

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

/* Days since 1970-01-01 to a proleptic Gregorian civil date. */
static void civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    days += 719468;
    int64_t era = floor_div(days, 146097);
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

/* Appends "YYYY-MM-DD" (sign and more digits outside 0..9999, as chrono).
 * false when the date lies outside chrono's range. */
static bool append_date(base_strbuf *sb, int64_t days)
{
    /* Reject far-off values before the arithmetic can overflow. */
    if (days < -100000000 || days > 100000000)
        return false;
    int64_t year;
    int month, day;
    civil_from_days(days, &year, &month, &day);
    if (year < CHRONO_MIN_YEAR || year > CHRONO_MAX_YEAR)
        return false;
    if (year >= 0 && year <= 9999)
        base_strbuf_appendf(sb, "%04d-%02d-%02d", (int)year, month, day);
    else
        base_strbuf_appendf(sb, "%+05d-%02d-%02d", (int)year, month, day);
    return true;
}

/* chrono's fraction: none, or 3, 6 or 9 digits, whichever is exact. */
static void append_fraction(base_strbuf *sb, int64_t nanos)
{
    if (nanos == 0)
        return;
    if (nanos % 1000000 == 0)
        base_strbuf_appendf(sb, ".%03d", (int)(nanos / 1000000));
    else if (nanos % 1000 == 0)
        base_strbuf_appendf(sb, ".%06d", (int)(nanos / 1000));
    else
        base_strbuf_appendf(sb, ".%09d", (int)nanos);
}

static void append_time(base_strbuf *sb, int64_t seconds_of_day, int64_t nanos)
{
    base_strbuf_appendf(sb, "%02d:%02d:%02d", (int)(seconds_of_day / 3600),
                        (int)(seconds_of_day / 60 % 60), (int)(seconds_of_day % 60));
    append_fraction(sb, nanos);
}

/* Appends date 'T' time for seconds since the epoch plus nanos (0..1e9). */
static bool append_datetime(base_strbuf *sb, int64_t seconds, int64_t nanos)
{
    if (!append_date(sb, floor_div(seconds, SECONDS_PER_DAY)))
        return false;
    base_strbuf_append_char(sb, 'T');
    append_time(sb, floor_mod(seconds, SECONDS_PER_DAY), nanos);
    return true;
}

static int64_t unit_per_second(arrow_time_unit unit)
{
    switch (unit) {
    case QV_UNIT_SECOND:
        return 1;
    case QV_UNIT_MILLISECOND:
        return 1000;
    case QV_UNIT_MICROSECOND:
        return 1000000;
    case QV_UNIT_NANOSECOND:
        return 1000000000;
    }
    return 1;
}

static int unit_digits(arrow_time_unit unit)
{
    switch (unit) {
    case QV_UNIT_SECOND:
        return 0;
    case QV_UNIT_MILLISECOND:
        return 3;
    case QV_UNIT_MICROSECOND:
        return 6;
    case QV_UNIT_NANOSECOND:
        return 9;
    }
    return 0;
}

/* The RFC 3339 offset as chrono writes it: `Z` for zero, else ±HH:MM with
 * seconds rounded to the nearest minute. */
static void append_offset(base_strbuf *sb, int32_t offset)
{
    if (offset == 0) {
        base_strbuf_append_char(sb, 'Z');
        return;
    }
    char sign = offset < 0 ? '-' : '+';
    int32_t magnitude = offset < 0 ? -offset : offset;
    int32_t minutes = (magnitude + 30) / 60;
    base_strbuf_appendf(sb, "%c%02d:%02d", sign, (int)(minutes / 60), (int)(minutes % 60));
}

static qv_status timestamp_error(const arrow_array *array, int64_t value, qv_error *err)
{
    base_strbuf type_name;
    base_strbuf_init(&type_name);
    arrow_type_format(array->type, &type_name);
    qv_status status = base_error_set(err, QV_CAST, "Failed to convert %lld to datetime for %s",
                                      (long long)value, base_strbuf_cstr(&type_name));
    base_strbuf_free(&type_name);
    return status;
}

static qv_status format_timestamp(const arrow_array *array, int64_t value, base_strbuf *sb,
                                  qv_error *err)
{
    const arrow_type *type = array->type;
    int64_t per_second = unit_per_second(type->unit);
    int64_t seconds = floor_div(value, per_second);
    int64_t nanos = floor_mod(value, per_second) * (1000000000 / per_second);
    /* Far outside chrono's years; also keeps seconds + offset from overflowing. */
    if (seconds > (INT64_C(1) << 50) || seconds < -(INT64_C(1) << 50))
        return timestamp_error(array, value, err);
    if (type->timezone == NULL) {
        if (!append_datetime(sb, seconds, nanos))
            return timestamp_error(array, value, err);
        return QV_OK;
    }
    int32_t offset;
    QV_TRY(arrow_tz_offset(type->timezone, seconds, &offset, err));
    if (!append_datetime(sb, seconds + offset, nanos))
        return timestamp_error(array, value, err);
    append_offset(sb, offset);
    return QV_OK;
}

static qv_status temporal_error(const arrow_array *array, int64_t value, qv_error *err)
{
    base_strbuf type_name;
    base_strbuf_init(&type_name);
    arrow_type_format(array->type, &type_name);
    qv_status status = base_error_set(err, QV_CAST, "Failed to convert %lld to temporal for %s",
                                      (long long)value, base_strbuf_cstr(&type_name));
    base_strbuf_free(&type_name);
    return status;
}

/* arrow-rs duration_fmt!: each part truncated toward zero, so negative
 * durations show negative parts; the seconds fraction carries the sign. */
static void format_duration(int64_t value, arrow_time_unit unit, base_strbuf *sb)
{
    if (unit == QV_UNIT_SECOND) {
        /* chrono's TimeDelta holds at most i64::MAX milliseconds. */
        if (value > INT64_MAX / 1000 || value < -(INT64_MAX / 1000)) {
            base_strbuf_append_str(sb, "<invalid>");
            return;
        }
        int64_t mins = value / 60, hours = mins / 60, days = hours / 24;
        base_strbuf_appendf(sb, "%lld days %lld hours %lld mins %lld secs", (long long)days,
                            (long long)(hours - days * 24), (long long)(mins - hours * 60),
                            (long long)(value - mins * 60));
        return;
    }
    if (unit == QV_UNIT_MILLISECOND && value == INT64_MIN) {
        base_strbuf_append_str(sb, "<invalid>");
        return;
    }
    int64_t per_second = unit_per_second(unit);
    int64_t secs = value / per_second;
    int64_t subsec = value - secs * per_second;
    int64_t mins = secs / 60, hours = mins / 60, days = hours / 24;
    secs -= mins * 60;
    mins -= hours * 60;
    hours -= days * 24;
    long long secs_abs = secs < 0 ? -(long long)secs : (long long)secs;
    long long subsec_abs = subsec < 0 ? -(long long)subsec : (long long)subsec;
    if (subsec < 0)
        base_strbuf_appendf(sb, "%lld days %lld hours %lld mins -%lld.%0*lld secs", (long long)days,
                            (long long)hours, (long long)mins, secs_abs, unit_digits(unit),
                            subsec_abs);
    else
        base_strbuf_appendf(sb, "%lld days %lld hours %lld mins %lld.%0*lld secs", (long long)days,
                            (long long)hours, (long long)mins, (long long)secs, unit_digits(unit),
                            subsec_abs);
}

/* arrow-rs's Milliseconds/NanosecondsFormatter: hours, mins, then seconds
 * with a fixed fraction, each only when non-zero. */
static void append_sub_day(base_strbuf *sb, int64_t amount, int64_t per_second, int frac_digits,
                           const char *prefix)
{
    int64_t secs = amount / per_second;
    int64_t mins = secs / 60;
    int64_t hours = mins / 60;
    secs -= mins * 60;
    mins -= hours * 60;
    int64_t fraction = amount % per_second;
    if (hours != 0) {
        base_strbuf_appendf(sb, "%s%lld hours", prefix, (long long)hours);
        prefix = " ";
    }
    if (mins != 0) {
        base_strbuf_appendf(sb, "%s%lld mins", prefix, (long long)mins);
        prefix = " ";
    }
    if (secs != 0 || fraction != 0) {
        const char *sign = (secs < 0 || fraction < 0) ? "-" : "";
        base_strbuf_appendf(sb, "%s%s%lld.%0*lld secs", prefix, sign,
                            (long long)(secs < 0 ? -secs : secs), frac_digits,
                            (long long)(fraction < 0 ? -fraction : fraction));
    }
}

qv_status arrow_format_temporal(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    const arrow_type *type = array->type;
    const uint8_t *values = arrow_array_values(array);
    int64_t at = array->offset + i;
    int32_t v32;
    int64_t v64;
    switch (type->id) {
    case QV_TYPE_DATE32:
        memcpy(&v32, values + 4 * at, 4);
        if (!append_date(sb, v32))
            return temporal_error(array, v32, err);
        return QV_OK;
    case QV_TYPE_DATE64:
        memcpy(&v64, values + 8 * at, 8);
        if (!append_datetime(sb, floor_div(v64, 1000), floor_mod(v64, 1000) * 1000000))
            return temporal_error(array, v64, err);
        return QV_OK;
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64: {
        if (type->id == QV_TYPE_TIME32) {
            memcpy(&v32, values + 4 * at, 4);
            v64 = v32;
        } else {
            memcpy(&v64, values + 8 * at, 8);
        }
        int64_t per_second = unit_per_second(type->unit);
        if (v64 < 0 || v64 / per_second >= SECONDS_PER_DAY)
            return temporal_error(array, v64, err);
        append_time(sb, v64 / per_second, v64 % per_second * (1000000000 / per_second));
        return QV_OK;
    }
    case QV_TYPE_TIMESTAMP:
        memcpy(&v64, values + 8 * at, 8);
        return format_timestamp(array, v64, sb, err);
    case QV_TYPE_DURATION:
        memcpy(&v64, values + 8 * at, 8);
        format_duration(v64, type->unit, sb);
        return QV_OK;
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        memcpy(&v32, values + 4 * at, 4);
        base_strbuf_appendf(sb, "%lld years %lld mons", (long long)floor_div(v32, 12),
                            (long long)floor_mod(v32, 12));
        return QV_OK;
    case QV_TYPE_INTERVAL_DAY_TIME: {
        int32_t days, millis;
        memcpy(&days, values + 8 * at, 4);
        memcpy(&millis, values + 8 * at + 4, 4);
        const char *prefix = "";
        if (days != 0) {
            base_strbuf_appendf(sb, "%d days", (int)days);
            prefix = " ";
        }
        if (millis != 0)
            append_sub_day(sb, millis, 1000, 3, prefix);
        return QV_OK;
    }
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO: {
        int32_t months, days;
        int64_t nanos;
        memcpy(&months, values + 16 * at, 4);
        memcpy(&days, values + 16 * at + 4, 4);
        memcpy(&nanos, values + 16 * at + 8, 8);
        const char *prefix = "";
        if (months != 0) {
            base_strbuf_appendf(sb, "%d mons", (int)months);
            prefix = " ";
        }
        if (days != 0) {
            base_strbuf_appendf(sb, "%s%d days", prefix, (int)days);
            prefix = " ";
        }
        if (nanos != 0)
            append_sub_day(sb, nanos, 1000000000, 9, prefix);
        return QV_OK;
    }
    default:
        return base_error_set(err, QV_INVALID, "not a temporal type");
    }
}
