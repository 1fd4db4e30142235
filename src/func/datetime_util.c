/*
 * datetime_util.c — calendar arithmetic, time units and time zone offsets
 * for the date / time functions and casts (layer: func).
 *
 * Offsets come from the arrow layer's tz reader (arrow_tz_offset, declared
 * in arrow/format_int.h: the function layer borrows that one private
 * service rather than reading tzdata twice). Local-to-UTC conversion tries
 * the offsets in force a day either side, which finds both instants of an
 * ambiguous local time and none in a gap, as chrono's from_local_datetime.
 */
#include "arrow/format_int.h"
#include "func/datetime_int.h"

/* chrono's NaiveDate year range. */
#define CHRONO_MIN_YEAR (-262144)
#define CHRONO_MAX_YEAR 262143

int64_t dt_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t dt_floor_mod(int64_t a, int64_t b)
{
    return a - dt_floor_div(a, b) * b;
}

int64_t dt_days_from_civil(int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t yoe = year - era * 400;
    int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void dt_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    days += 719468;
    int64_t era = dt_floor_div(days, 146097);
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

int dt_month_days(int64_t year, int month)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : lengths[month - 1];
}

bool dt_valid_ymd(int64_t year, int month, int day)
{
    return year >= CHRONO_MIN_YEAR && year <= CHRONO_MAX_YEAR && month >= 1 && month <= 12 &&
           day >= 1 && day <= dt_month_days(year, month);
}

int dt_weekday(int64_t days)
{
    return (int)dt_floor_mod(days + 4, 7); /* 1970-01-01 was a Thursday */
}

int64_t dt_unit_per_second(arrow_time_unit unit)
{
    static const int64_t f[] = {1, 1000, 1000000, 1000000000};
    return f[unit];
}

void dt_split(int64_t value, arrow_time_unit unit, int64_t *secs, int32_t *nanos)
{
    int64_t per = dt_unit_per_second(unit);
    *secs = dt_floor_div(value, per);
    *nanos = (int32_t)(dt_floor_mod(value, per) * (DT_NANOS_PER_SEC / per));
}

bool dt_join(int64_t secs, int32_t nanos, arrow_time_unit unit, int64_t *out)
{
    int64_t per = dt_unit_per_second(unit), v;
    if (__builtin_mul_overflow(secs, per, &v) ||
        __builtin_add_overflow(v, (int64_t)nanos / (DT_NANOS_PER_SEC / per), &v))
        return false;
    *out = v;
    return true;
}

bool dt_add_months(int64_t days, int64_t months, int64_t *out)
{
    if (days < -100000000 || days > 100000000 || months < -4000000 || months > 4000000)
        return false;
    int64_t year;
    int month, day;
    dt_civil_from_days(days, &year, &month, &day);
    int64_t total = year * 12 + (month - 1) + months;
    int64_t ny = dt_floor_div(total, 12);
    int nm = (int)dt_floor_mod(total, 12) + 1;
    if (ny < CHRONO_MIN_YEAR || ny > CHRONO_MAX_YEAR)
        return false;
    int md = dt_month_days(ny, nm);
    *out = dt_days_from_civil(ny, nm, day > md ? md : day);
    return true;
}

/* ---- time zones ---- */

static qv_status tz_error(const char *tz, qv_error *err)
{
    return base_error_set(err, QV_CAST,
                          "Arrow error: Parser error: Invalid timezone \"%s\": failed to parse "
                          "timezone",
                          tz);
}

qv_status dt_tz_offset(const char *tz, int64_t utc_secs, int32_t *offset, qv_error *err)
{
    qv_error local;
    qv_status st = arrow_tz_offset(tz, utc_secs, offset, &local);
    if (st == QV_INVALID)
        return tz_error(tz, err);
    if (st != QV_OK && err != NULL)
        *err = local;
    return st;
}

qv_status dt_tz_check(const char *tz, qv_error *err)
{
    int32_t offset;
    return dt_tz_offset(tz, 0, &offset, err);
}

qv_status dt_tz_local_to_utc(const char *tz, int64_t local_secs, int *n, int64_t utc[2],
                             qv_error *err)
{
    int32_t cand[3];
    QV_TRY(dt_tz_offset(tz, local_secs - DT_SECS_PER_DAY, &cand[0], err));
    QV_TRY(dt_tz_offset(tz, local_secs + DT_SECS_PER_DAY, &cand[1], err));
    QV_TRY(dt_tz_offset(tz, local_secs, &cand[2], err));
    *n = 0;
    for (int k = 0; k < 3; k++) {
        int64_t t = local_secs - cand[k];
        int32_t actual;
        QV_TRY(dt_tz_offset(tz, t, &actual, err));
        if (actual != cand[k])
            continue;
        bool seen = false;
        for (int j = 0; j < *n; j++)
            seen = seen || utc[j] == t;
        if (!seen && *n < 2)
            utc[(*n)++] = t;
    }
    if (*n == 2 && utc[0] > utc[1]) {
        int64_t t = utc[0];
        utc[0] = utc[1];
        utc[1] = t;
    }
    return QV_OK;
}

qv_status dt_tz_to_local(const char *tz, int64_t utc_secs, int64_t *local, qv_error *err)
{
    if (tz == NULL) {
        *local = utc_secs;
        return QV_OK;
    }
    int32_t offset;
    QV_TRY(dt_tz_offset(tz, utc_secs, &offset, err));
    *local = utc_secs + offset;
    return QV_OK;
}

qv_status dt_cast_to(const func_datum *arg, arrow_type *to, int64_t n_rows, func_datum *out,
                     qv_error *err)
{
    if (arrow_type_equal(arg->array->type, to)) {
        out->array = arrow_array_retain(arg->array);
        out->is_scalar = arg->is_scalar;
        return QV_OK;
    }
    return func_cast(arg, to, false, n_rows, out, err);
}

qv_status dt_fixed_begin(int n_all, const func_datum *args, int n_valid, int64_t n_rows,
                         arrow_type *type, func_fixed_out *fo, qv_error *err)
{
    memset(fo, 0, sizeof *fo);
    fo->n = func_out_rows(n_all, args, n_rows, &fo->all_scalar);
    QV_TRY(func_validity_and(n_valid, args, fo->n, &fo->validity, err));
    int w = arrow_type_bit_width(type);
    qv_status st = arrow_buffer_new(w == 1 ? (fo->n + 7) / 8 : fo->n * (w / 8), &fo->values, err);
    if (st != QV_OK) {
        arrow_buffer_release(fo->validity);
        fo->validity = NULL;
    }
    return st;
}
