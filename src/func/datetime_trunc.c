/*
 * datetime_trunc.c — date_trunc, date_bin and date_part / datepart
 * (layer: func), after DataFusion's date_trunc.rs, date_bin.rs and
 * date_part.rs: truncation in local time for zoned timestamps (with the
 * same handling of DST gaps and repeated hours), binning on UTC values, and
 * arrow-rs's date_part fields with DataFusion's Int32 / Float64 results.
 */
#include <math.h>
#include <stdio.h>

#include "func/datetime_int.h"

/* Reads a constant string argument into buf; false when it is not one. */
static bool const_string(const func_datum *d, char *buf, size_t cap)
{
    if (!d->is_scalar || !func_is_string_id(d->array->type->id) || !func_valid_at(d, 0))
        return false;
    func_str s;
    func_str_init(&s, d);
    const uint8_t *p;
    int64_t len;
    func_str_at(&s, 0, &p, &len);
    if (len >= (int64_t)cap)
        len = (int64_t)cap - 1;
    for (int64_t k = 0; k < len; k++)
        buf[k] = (char)(p[k] >= 'A' && p[k] <= 'Z' ? p[k] + 32 : p[k]);
    buf[len] = '\0';
    return true;
}

static qv_status null_result(int n_args, const func_datum *args, int64_t n_rows, arrow_type *rt,
                             func_datum *out, qv_error *err)
{
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    arrow_array *a;
    QV_TRY(arrow_array_new_null(rt, n, &a, err));
    func_set_result(out, a, all_scalar);
    return QV_OK;
}

static bool is_time(arrow_type_id id)
{
    return id == QV_TYPE_TIME32 || id == QV_TYPE_TIME64;
}

/* Row i of a temporal datum as int64 (Time32 / Date32 widened). */
static int64_t value_at(const func_datum *d, int64_t i)
{
    return arrow_type_bit_width(d->array->type) == 32 ? dt_i32_at(d, i) : dt_i64_at(d, i);
}

static void put_value(func_fixed_out *fo, const arrow_type *t, int64_t i, int64_t v)
{
    if (arrow_type_bit_width(t) == 32)
        ((int32_t *)fo->values->data)[i] = (int32_t)v;
    else
        ((int64_t *)fo->values->data)[i] = v;
}

/* Return type: the second argument's type for timestamps and times. */
static qv_status rt_source(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    DT_UNUSED(n_args);
    arrow_type_id id = types[1]->id;
    if (id == QV_TYPE_TIMESTAMP || is_time(id)) {
        *out = arrow_type_retain(types[1]);
        return QV_OK;
    }
    return arrow_type_timestamp(QV_UNIT_NANOSECOND, NULL, out, err);
}

/* ---- date_trunc ---- */

enum { G_MICRO, G_MILLI, G_SECOND, G_MINUTE, G_HOUR, G_DAY, G_WEEK, G_MONTH, G_QUARTER, G_YEAR };

static int granularity(const char *g)
{
    static const char *const names[] = {"microsecond", "millisecond", "second", "minute",  "hour",
                                        "day",         "week",        "month",  "quarter", "year"};
    for (int k = 0; k < 10; k++) {
        if (strcmp(names[k], g) == 0)
            return k;
    }
    return -1;
}

/* Truncates local seconds to the granularity (day and coarser). */
static int64_t trunc_local(int64_t local, int g)
{
    switch (g) {
    case G_MINUTE:
        return local - dt_floor_mod(local, 60);
    case G_HOUR:
        return local - dt_floor_mod(local, 3600);
    default:
        break;
    }
    int64_t days = dt_floor_div(local, DT_SECS_PER_DAY);
    if (g == G_WEEK) {
        days -= (dt_weekday(days) + 6) % 7; /* back to Monday */
    } else if (g != G_DAY) {
        int64_t y;
        int m, d;
        dt_civil_from_days(days, &y, &m, &d);
        if (g == G_YEAR)
            m = 1;
        else if (g == G_QUARTER)
            m = (m - 1) / 3 * 3 + 1;
        days = dt_days_from_civil(y, m, 1);
    }
    return days * DT_SECS_PER_DAY;
}

/* DataFusion's _date_trunc_coarse_with_tz: the truncated local time back to
 * UTC; gaps are stepped over 3 hours earlier, repeated hours keep the
 * original offset. *ok false: no instant (null). */
static qv_status local_back(const char *tz, int64_t local, int32_t orig_offset, bool *ok,
                            int64_t *utc, qv_error *err)
{
    int n;
    int64_t cand[2];
    QV_TRY(dt_tz_local_to_utc(tz, local, &n, cand, err));
    *ok = true;
    if (n == 1) {
        *utc = cand[0];
    } else if (n == 2) {
        *utc = local - cand[0] == orig_offset ? cand[0] : cand[1];
    } else {
        QV_TRY(dt_tz_local_to_utc(tz, local - 3 * 3600, &n, cand, err));
        *ok = n == 1;
        *utc = cand[0] + 3 * 3600;
    }
    return QV_OK;
}

static qv_status trunc_timestamp(const arrow_type *t, int g, int64_t v, bool *valid, int64_t *out,
                                 const char *gname, qv_error *err)
{
    int64_t ns;
    int64_t per = dt_unit_per_second(t->unit);
    if (__builtin_mul_overflow(v, DT_NANOS_PER_SEC / per, &ns))
        return base_error_set(err, QV_EXECUTION, "Execution error: Timestamp %lld out of range",
                              (long long)v);
    int64_t secs;
    int32_t nanos;
    dt_split(ns, QV_UNIT_NANOSECOND, &secs, &nanos);
    *valid = true;
    if (g <= G_SECOND) {
        nanos = g == G_SECOND ? 0 : g == G_MILLI ? nanos - nanos % 1000000 : nanos - nanos % 1000;
    } else {
        int32_t offset = 0;
        if (t->timezone != NULL)
            QV_TRY(dt_tz_offset(t->timezone, secs, &offset, err));
        int64_t local = trunc_local(secs + offset, g);
        nanos = 0;
        if (t->timezone == NULL)
            secs = local;
        else
            QV_TRY(local_back(t->timezone, local, offset, valid, &secs, err));
    }
    int64_t r;
    if (!dt_join(secs, nanos, QV_UNIT_NANOSECOND, &r))
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Timestamp %lld out of range after truncating to "
                              "%s",
                              (long long)v, gname);
    *out = r / (DT_NANOS_PER_SEC / per);
    return QV_OK;
}

static qv_status date_trunc_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    char gname[32];
    if (!const_string(&args[0], gname, sizeof gname))
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Granularity of `date_trunc` must be non-null "
                              "scalar Utf8");
    int g = granularity(gname);
    if (g < 0)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Unsupported date_trunc granularity: %s", gname);
    const func_datum *src = &args[1];
    arrow_type_id id = src->array->type->id;
    if (id == QV_TYPE_NULL)
        return null_result(n_args, args, n_rows, return_type, out, err);
    if (is_time(id) && g > G_HOUR)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: date_trunc does not support '%s' granularity for "
                              "Time types",
                              gname);
    func_datum conv = {NULL, false};
    if (id != QV_TYPE_TIMESTAMP && !is_time(id)) {
        QV_TRY(dt_cast_to(src, return_type, n_rows, &conv, err));
        src = &conv;
    }
    const arrow_type *t = src->array->type;
    func_fixed_out fo;
    qv_status st = func_fixed_begin(1, src, n_rows, return_type, &fo, err);
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        if (!dt_fo_valid(&fo, i))
            continue;
        int64_t v = value_at(src, i), r = 0;
        if (is_time(t->id)) {
            static const int64_t step[] = {1000, 1000000, 1000000000, INT64_C(60000000000),
                                           INT64_C(3600000000000)};
            int64_t ns = v * (DT_NANOS_PER_SEC / dt_unit_per_second(t->unit));
            ns -= dt_floor_mod(ns, step[g]);
            r = ns / (DT_NANOS_PER_SEC / dt_unit_per_second(t->unit));
        } else {
            bool valid;
            st = trunc_timestamp(t, g, v, &valid, &r, gname, err);
            if (st == QV_OK && !valid)
                st = func_fixed_set_null(&fo, i, err);
        }
        put_value(&fo, return_type, i, r);
    }
    func_datum_release(&conv);
    return func_fixed_end(&fo, return_type, st, out, err);
}

/* ---- date_bin ---- */

/* Reads an interval scalar as months / days / nanos. */
static void interval_parts(const func_datum *d, int64_t i, int32_t *months, int32_t *days,
                           int64_t *nanos)
{
    const arrow_array *a = d->array;
    const uint8_t *p = arrow_array_values(a);
    int64_t j = a->offset + (d->is_scalar ? 0 : i);
    *months = *days = 0;
    *nanos = 0;
    switch (a->type->id) {
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        memcpy(months, p + 4 * j, 4);
        break;
    case QV_TYPE_INTERVAL_DAY_TIME: {
        int32_t ms;
        memcpy(days, p + 8 * j, 4);
        memcpy(&ms, p + 8 * j + 4, 4);
        *nanos = (int64_t)ms * 1000000;
        break;
    }
    default:
        memcpy(months, p + 16 * j, 4);
        memcpy(days, p + 16 * j + 4, 4);
        memcpy(nanos, p + 16 * j + 8, 8);
        break;
    }
}

static bool distance(int64_t diff, int64_t stride, int64_t *out)
{
    int64_t delta = diff - diff % stride;
    if (diff < 0 && stride > 1 && delta != diff)
        return !__builtin_sub_overflow(delta, stride, out);
    *out = delta;
    return true;
}

/* DataFusion date_bin_months_interval on UTC nanoseconds; false: null. */
static bool bin_months(int64_t stride, int64_t source, int64_t origin, int64_t *out)
{
    int64_t s_secs, o_secs, y1, y2;
    int32_t s_ns, o_ns;
    int m1, m2, d1, d2;
    dt_split(source, QV_UNIT_NANOSECOND, &s_secs, &s_ns);
    dt_split(origin, QV_UNIT_NANOSECOND, &o_secs, &o_ns);
    int64_t o_days = dt_floor_div(o_secs, DT_SECS_PER_DAY);
    int64_t o_tod = dt_floor_mod(o_secs, DT_SECS_PER_DAY);
    dt_civil_from_days(dt_floor_div(s_secs, DT_SECS_PER_DAY), &y1, &m1, &d1);
    dt_civil_from_days(o_days, &y2, &m2, &d2);
    int64_t diff = (y1 - y2) * 12 + m1 - m2, delta, days;
    for (int pass = 0; pass < 2; pass++) {
        if (!distance(diff, stride, &delta) ||
            (pass == 1 && __builtin_sub_overflow(delta, stride, &delta)))
            return false;
        if (!dt_add_months(o_days, delta, &days))
            return false;
        int64_t bin;
        if (!dt_join(days * DT_SECS_PER_DAY + o_tod, o_ns, QV_UNIT_NANOSECOND, &bin))
            return false;
        if (bin <= source || pass == 1) {
            *out = bin;
            return true;
        }
    }
    return false;
}

static qv_status date_bin_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    const func_datum *stride = &args[0], *src = &args[1];
    arrow_type_id sid = src->array->type->id;
    if (stride->array->type->id == QV_TYPE_NULL || sid == QV_TYPE_NULL ||
        (stride->is_scalar && !func_valid_at(stride, 0)))
        return null_result(n_args, args, n_rows, return_type, out, err);
    if (!stride->is_scalar)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: DATE_BIN only supports literal "
                              "values for the stride argument, not arrays");
    if (n_args > 2 && !args[2].is_scalar)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: DATE_BIN only supports literal "
                              "values for the origin argument, not arrays");
    int32_t months, days;
    int64_t nanos;
    interval_parts(stride, 0, &months, &days, &nanos);
    if (months != 0 && (days != 0 || nanos != 0))
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: DATE_BIN stride does not support "
                              "combination of month, day and nanosecond intervals");
    int64_t stride_ns = 0;
    if (months == 0 && (__builtin_mul_overflow((int64_t)days, DT_NANOS_PER_DAY, &stride_ns) ||
                        __builtin_add_overflow(stride_ns, nanos, &stride_ns)))
        return base_error_set(err, QV_EXECUTION, "Execution error: DATE_BIN stride is too large");
    if (months == 0 && stride_ns == 0)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: DATE_BIN stride must be non-zero");
    if (months < 0 || stride_ns < 0)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: DATE_BIN stride must be positive");
    bool time = is_time(sid);
    if (time && (months != 0 || stride_ns >= DT_NANOS_PER_DAY))
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: DATE_BIN stride for TIME input must be less than 1 "
                              "day");
    func_datum conv = {NULL, false};
    if (sid != QV_TYPE_TIMESTAMP && !time) {
        QV_TRY(dt_cast_to(src, return_type, n_rows, &conv, err));
        src = &conv;
    }
    const arrow_type *t = src->array->type;
    int64_t scale = DT_NANOS_PER_SEC / dt_unit_per_second(t->unit);
    int64_t origin = 0;
    bool origin_null = false;
    if (n_args > 2) {
        const func_datum *o = &args[2];
        if (!func_valid_at(o, 0) || o->array->type->id == QV_TYPE_NULL) {
            origin_null = true;
        } else if (is_time(o->array->type->id) || o->array->type->id == QV_TYPE_TIMESTAMP) {
            int64_t ov = value_at(o, 0);
            int64_t os = DT_NANOS_PER_SEC / dt_unit_per_second(o->array->type->unit);
            if (__builtin_mul_overflow(ov, os, &origin))
                origin_null = true;
        }
    }
    func_fixed_out fo;
    qv_status st = dt_fixed_begin(n_args, args, 0, n_rows, return_type, &fo, err);
    if (st == QV_OK && fo.n > 0) {
        arrow_buffer_release(fo.validity);
        fo.validity = NULL;
        for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
            int64_t ns, r;
            bool ok = !origin_null && func_valid_at(src, i) &&
                      !__builtin_mul_overflow(value_at(src, i), scale, &ns);
            if (ok && months != 0) {
                ok = bin_months(months, ns, origin, &r);
            } else if (ok) {
                int64_t diff, delta;
                ok = !__builtin_sub_overflow(ns, origin, &diff) &&
                     distance(diff, stride_ns, &delta) &&
                     !__builtin_add_overflow(origin, delta, &r);
            }
            if (ok)
                put_value(&fo, return_type, i, dt_floor_div(r, scale));
            else
                st = func_fixed_set_null(&fo, i, err);
        }
    }
    func_datum_release(&conv);
    return func_fixed_end(&fo, return_type, st, out, err);
}

/* ---- date_part ---- */

enum {
    P_YEAR,
    P_MONTH,
    P_WEEK,
    P_DAY,
    P_HOUR,
    P_MINUTE,
    P_SECOND,
    P_MILLI,
    P_MICRO,
    P_NANO,
    P_QUARTER,
    P_DOY,
    P_DOW,
    P_ISOYEAR,
    P_EPOCH,
    P_UNSUPPORTED
};

static int part_of(const char *raw)
{
    char part[32];
    size_t len = strlen(raw);
    if (len >= 2 && (raw[0] == '\'' || raw[0] == '"') &&
        (raw[len - 1] == '\'' || raw[len - 1] == '"')) {
        raw++;
        len -= 2;
    }
    if (len >= sizeof part)
        return -1;
    memcpy(part, raw, len);
    part[len] = '\0';
    static const struct {
        const char *name;
        int part;
    } names[] = {
        {"year", P_YEAR},
        {"years", P_YEAR},
        {"y", P_YEAR},
        {"month", P_MONTH},
        {"months", P_MONTH},
        {"mon", P_MONTH},
        {"mons", P_MONTH},
        {"week", P_WEEK},
        {"weeks", P_WEEK},
        {"w", P_WEEK},
        {"day", P_DAY},
        {"days", P_DAY},
        {"d", P_DAY},
        {"hour", P_HOUR},
        {"hours", P_HOUR},
        {"h", P_HOUR},
        {"minute", P_MINUTE},
        {"minutes", P_MINUTE},
        {"m", P_MINUTE},
        {"min", P_MINUTE},
        {"mins", P_MINUTE},
        {"second", P_SECOND},
        {"seconds", P_SECOND},
        {"s", P_SECOND},
        {"sec", P_SECOND},
        {"secs", P_SECOND},
        {"millisecond", P_MILLI},
        {"milliseconds", P_MILLI},
        {"ms", P_MILLI},
        {"microsecond", P_MICRO},
        {"microseconds", P_MICRO},
        {"us", P_MICRO},
        {"nanosecond", P_NANO},
        {"nanoseconds", P_NANO},
        {"ns", P_NANO},
        {"qtr", P_QUARTER},
        {"quarter", P_QUARTER},
        {"doy", P_DOY},
        {"dow", P_DOW},
        {"isoyear", P_ISOYEAR},
        {"epoch", P_EPOCH},
        {"century", P_UNSUPPORTED},
        {"centuries", P_UNSUPPORTED},
        {"decade", P_UNSUPPORTED},
        {"decades", P_UNSUPPORTED},
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (strcmp(names[k].name, part) == 0)
            return names[k].part;
    }
    return -1;
}

static qv_status rt_part(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    DT_UNUSED(err);
    *out = arrow_type_primitive(QV_TYPE_INT32);
    return QV_OK;
}

static qv_status rt_part_ex(int n_args, arrow_type *const *types, const arrow_array *const *lits,
                            const char *time_zone, arrow_type **out, qv_error *err)
{
    DT_UNUSED(time_zone);
    char part[32];
    func_datum d = {lits != NULL ? (arrow_array *)lits[0] : NULL, true};
    if (d.array == NULL || !const_string(&d, part, sizeof part) || part[0] == '\0')
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: date_part requires non-empty constant string");
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    *out = arrow_type_primitive(part_of(part) == P_EPOCH ? QV_TYPE_FLOAT64 : QV_TYPE_INT32);
    return QV_OK;
}

/* One field of a calendar value: local seconds + nanos. */
static int64_t calendar_part(int part, int64_t secs, int32_t nanos)
{
    int64_t days = dt_floor_div(secs, DT_SECS_PER_DAY), y;
    int64_t tod = dt_floor_mod(secs, DT_SECS_PER_DAY);
    int m, d;
    dt_civil_from_days(days, &y, &m, &d);
    switch (part) {
    case P_YEAR:
        return y;
    case P_MONTH:
        return m;
    case P_DAY:
        return d;
    case P_QUARTER:
        return (m - 1) / 3 + 1;
    case P_DOY:
        return days - dt_days_from_civil(y, 1, 1) + 1;
    case P_DOW:
        return dt_weekday(days);
    case P_WEEK:
    case P_ISOYEAR: {
        int wd = (dt_weekday(days) + 6) % 7;
        int64_t thursday = days - wd + 3, ty;
        int tm, td;
        dt_civil_from_days(thursday, &ty, &tm, &td);
        if (part == P_ISOYEAR)
            return ty;
        return (thursday - dt_days_from_civil(ty, 1, 1)) / 7 + 1;
    }
    case P_HOUR:
        return tod / 3600;
    case P_MINUTE:
        return tod / 60 % 60;
    case P_SECOND:
        return tod % 60;
    case P_MILLI:
        return tod % 60 * 1000 + nanos / 1000000;
    default:
        return tod % 60 * 1000000 + nanos / 1000; /* P_MICRO */
    }
}

static qv_status part_unsupported(int part, const arrow_type *t, qv_error *err)
{
    static const char *const names[] = {"Year",
                                        "Month",
                                        "Week",
                                        "Day",
                                        "Hour",
                                        "Minute",
                                        "Second",
                                        "Millisecond",
                                        "Microsecond",
                                        "Nanosecond",
                                        "Quarter",
                                        "DayOfYear",
                                        "DayOfWeekSunday0",
                                        "YearISO",
                                        "Epoch"};
    char name[64];
    func_type_name(t, name, sizeof name);
    return base_error_set(err, QV_EXECUTION, "Arrow error: Compute error: %s does not support: %s",
                          names[part], name);
}

/* Value of one row; *is_null for rows that have no such field. */
static qv_status part_row(int part, const func_datum *d, int64_t i, double *out, qv_error *err)
{
    const arrow_type *t = d->array->type;
    int64_t v = value_at(d, i), secs;
    int32_t nanos = 0;
    switch (t->id) {
    case QV_TYPE_TIMESTAMP: {
        dt_split(v, t->unit, &secs, &nanos);
        if (part == P_EPOCH) {
            *out = (double)secs + nanos / 1e9;
            return QV_OK;
        }
        int64_t local;
        QV_TRY(dt_tz_to_local(t->timezone, secs, &local, err));
        *out = (double)calendar_part(part, local, nanos);
        return QV_OK;
    }
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
        if (t->id == QV_TYPE_DATE32)
            secs = v * DT_SECS_PER_DAY;
        else
            dt_split(v, QV_UNIT_MILLISECOND, &secs, &nanos);
        if (part == P_EPOCH) {
            *out = (double)secs + nanos / 1e9;
            return QV_OK;
        }
        if (t->id == QV_TYPE_DATE32 && part >= P_HOUR && part <= P_MICRO)
            return part_unsupported(part, t, err);
        *out = (double)calendar_part(part, secs, nanos);
        return QV_OK;
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
        dt_split(v, t->unit, &secs, &nanos);
        if (part == P_EPOCH) {
            *out = (double)secs + nanos / 1e9;
            return QV_OK;
        }
        if (part < P_HOUR || part > P_MICRO)
            return part_unsupported(part, t, err);
        *out = (double)calendar_part(part, secs, nanos);
        return QV_OK;
    case QV_TYPE_DURATION: {
        int64_t per = dt_unit_per_second(t->unit);
        int64_t s = v / per, sub = v % per * (DT_NANOS_PER_SEC / per);
        switch (part) {
        case P_WEEK:
            *out = (double)(s / (7 * DT_SECS_PER_DAY));
            return QV_OK;
        case P_DAY:
            *out = (double)(s / DT_SECS_PER_DAY);
            return QV_OK;
        case P_HOUR:
            *out = (double)(s / 3600);
            return QV_OK;
        case P_MINUTE:
            *out = (double)(s / 60);
            return QV_OK;
        case P_SECOND:
            *out = (double)s;
            return QV_OK;
        case P_MILLI:
            *out = (double)(s * 1000 + sub / 1000000);
            return QV_OK;
        case P_MICRO:
            *out = (double)(s * 1000000 + sub / 1000);
            return QV_OK;
        case P_EPOCH:
            *out = (double)s + sub / 1e9;
            return QV_OK;
        default:
            return part_unsupported(part, t, err);
        }
    }
    case QV_TYPE_INTERVAL_YEAR_MONTH:
    case QV_TYPE_INTERVAL_DAY_TIME:
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO: {
        int32_t months, days;
        int64_t ns;
        interval_parts(d, i, &months, &days, &ns);
        switch (part) {
        case P_YEAR:
            *out = months / 12;
            return QV_OK;
        case P_MONTH:
            *out = months;
            return QV_OK;
        case P_WEEK:
            *out = days / 7;
            return QV_OK;
        case P_DAY:
            *out = days;
            return QV_OK;
        case P_HOUR:
            *out = (double)(ns / INT64_C(3600000000000));
            return QV_OK;
        case P_MINUTE:
            *out = (double)(ns / INT64_C(60000000000));
            return QV_OK;
        case P_SECOND:
            *out = (double)(ns / DT_NANOS_PER_SEC);
            return QV_OK;
        case P_MILLI:
            *out = (double)(ns / 1000000);
            return QV_OK;
        case P_MICRO:
            *out = (double)(ns / 1000);
            return QV_OK;
        case P_EPOCH:
            *out = months * 30.0 * 86400.0 + days * 86400.0 + (double)ns / 1e9;
            return QV_OK;
        default:
            return part_unsupported(part, t, err);
        }
    }
    default: {
        char name[64];
        func_type_name(t, name, sizeof name);
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Date part is not supported for type %s", name);
    }
    }
}

static qv_status date_part_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    char raw[32];
    if (!const_string(&args[0], raw, sizeof raw) || raw[0] == '\0')
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: date_part requires non-empty constant string");
    int part = part_of(raw);
    if (part < 0 || part == P_UNSUPPORTED)
        return base_error_set(err, QV_EXECUTION, "Execution error: Date part '%s' not supported",
                              raw);
    if (part == P_NANO)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Date part Nanosecond not "
                              "supported");
    /* the result follows the resolved return type (Float64 for epoch through
     * return_type_ex); a binder that only asked return_type gets Int32 */
    arrow_type *rt = arrow_type_primitive(
        return_type != NULL && return_type->id == QV_TYPE_FLOAT64 ? QV_TYPE_FLOAT64
        : return_type != NULL                                     ? QV_TYPE_INT32
        : part == P_EPOCH                                         ? QV_TYPE_FLOAT64
                                                                  : QV_TYPE_INT32);
    const func_datum *src = &args[1];
    if (src->array->type->id == QV_TYPE_NULL)
        return null_result(n_args, args, n_rows, rt, out, err);
    func_datum conv = {NULL, false};
    if (func_is_string_id(src->array->type->id)) {
        arrow_type *ts;
        QV_TRY(arrow_type_timestamp(QV_UNIT_NANOSECOND, NULL, &ts, err));
        qv_status st = dt_cast_to(src, ts, n_rows, &conv, err);
        arrow_type_release(ts);
        QV_TRY(st);
        src = &conv;
    }
    func_fixed_out fo;
    qv_status st = func_fixed_begin(1, src, n_rows, rt, &fo, err);
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        if (!dt_fo_valid(&fo, i))
            continue;
        double v;
        st = part_row(part, src, i, &v, err);
        if (rt->id == QV_TYPE_FLOAT64)
            ((double *)fo.values->data)[i] = v;
        else
            ((int32_t *)fo.values->data)[i] = (int32_t)v;
    }
    func_datum_release(&conv);
    return func_fixed_end(&fo, rt, st, out, err);
}

/* ---- entries ---- */

static const arrow_type_id s_ts[] = {QV_TYPE_UTF8, QV_TYPE_TIMESTAMP};
static const arrow_type_id s_t64[] = {QV_TYPE_UTF8, QV_TYPE_TIME64};
static const arrow_type_id s_t32[] = {QV_TYPE_UTF8, QV_TYPE_TIME32};
static const arrow_type_id i_ts[] = {QV_TYPE_INTERVAL_MONTH_DAY_NANO, QV_TYPE_TIMESTAMP,
                                     QV_TYPE_TIMESTAMP};
static const arrow_type_id i_t64[] = {QV_TYPE_INTERVAL_MONTH_DAY_NANO, QV_TYPE_TIME64,
                                      QV_TYPE_TIME64};
static const arrow_type_id i_t32[] = {QV_TYPE_INTERVAL_MONTH_DAY_NANO, QV_TYPE_TIME32,
                                      QV_TYPE_TIME32};
static const arrow_type_id dt_ts[] = {QV_TYPE_INTERVAL_DAY_TIME, QV_TYPE_TIMESTAMP,
                                      QV_TYPE_TIMESTAMP};

static const func_signature sig_trunc[] = {
    {FUNC_SIG_EXACT, 2, 0, s_ts, 0, NULL},
    {FUNC_SIG_EXACT, 2, 0, s_t64, 0, NULL},
    {FUNC_SIG_EXACT, 2, 0, s_t32, 0, NULL},
};
static const func_signature sig_bin[] = {
    {FUNC_SIG_EXACT, 2, 0, i_ts, 0, NULL},  {FUNC_SIG_EXACT, 3, 0, i_ts, 0, NULL},
    {FUNC_SIG_EXACT, 2, 0, i_t64, 0, NULL}, {FUNC_SIG_EXACT, 3, 0, i_t64, 0, NULL},
    {FUNC_SIG_EXACT, 2, 0, i_t32, 0, NULL}, {FUNC_SIG_EXACT, 3, 0, i_t32, 0, NULL},
    {FUNC_SIG_EXACT, 2, 0, dt_ts, 0, NULL}, {FUNC_SIG_EXACT, 3, 0, dt_ts, 0, NULL},
};

#define SIG_ONE_OF(N, ALTS)                                                                        \
    {                                                                                              \
        FUNC_SIG_ONE_OF, 0, 0, NULL, N, ALTS                                                       \
    }
#define SIG_ANY(N)                                                                                 \
    {                                                                                              \
        FUNC_SIG_ANY, N, 0, NULL, 0, NULL                                                          \
    }
#define ENTRY(NAME, ALIASES, SIG, DESC, PARAMS, RT, RTX, INVOKE)                                   \
    {                                                                                              \
        NAME, ALIASES, FUNC_SCALAR, SIG, FUNC_IMMUTABLE, DESC, PARAMS, .impl.scalar = {            \
            RT,                                                                                    \
            INVOKE,                                                                                \
            RTX                                                                                    \
        }                                                                                          \
    }

static const char *const p_trunc[] = {"precision", "expression", NULL};
static const char *const p_bin[] = {"interval", "expression", "origin-timestamp", NULL};
static const char *const p_part[] = {"part", "expression", NULL};
static const char *const a_trunc[] = {"datetrunc", NULL};
static const char *const a_part[] = {"datepart", NULL};

const func_entry func_datetime_trunc_entries[] = {
    ENTRY("date_bin", NULL, SIG_ONE_OF(8, sig_bin),
          "Calculates time intervals and returns the start of the interval nearest to the "
          "specified timestamp.",
          p_bin, rt_source, NULL, date_bin_invoke),
    ENTRY("date_part", a_part, SIG_ANY(2), "Returns the specified part of the date as an integer.",
          p_part, rt_part, rt_part_ex, date_part_invoke),
    ENTRY("date_trunc", a_trunc, SIG_ONE_OF(3, sig_trunc),
          "Truncates a timestamp or time value to a specified precision.", p_trunc, rt_source, NULL,
          date_trunc_invoke),
};
const int32_t func_datetime_trunc_entry_count =
    (int32_t)(sizeof func_datetime_trunc_entries / sizeof func_datetime_trunc_entries[0]);
