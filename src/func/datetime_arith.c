/*
 * datetime_arith.c — the arithmetic operators on temporal values (layer:
 * func): timestamps and dates plus or minus intervals and durations,
 * differences of timestamps, dates and times, interval and duration sums,
 * with arrow-rs's semantics (months are added to the local wall time and
 * clamped to the month's length; an interval's sub-day part moves a date by
 * whole days only) and DataFusion's result types (date - date is Int64 days,
 * time - time an Interval(MonthDayNano), timestamp - timestamp a Duration).
 */
#include <stdio.h>

#include "func/datetime_int.h"

typedef enum kind { K_TS, K_DATE32, K_DATE64, K_TIME, K_INTERVAL, K_DURATION, K_OTHER } kind;

static kind kind_of(const arrow_type *t)
{
    switch (t->id) {
    case QV_TYPE_TIMESTAMP:
        return K_TS;
    case QV_TYPE_DATE32:
        return K_DATE32;
    case QV_TYPE_DATE64:
        return K_DATE64;
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
        return K_TIME;
    case QV_TYPE_INTERVAL_YEAR_MONTH:
    case QV_TYPE_INTERVAL_DAY_TIME:
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        return K_INTERVAL;
    case QV_TYPE_DURATION:
        return K_DURATION;
    default:
        return K_OTHER;
    }
}

static const char *op_text(func_arith_op op)
{
    static const char *const t[] = {"+", "-", "*", "/", "%"};
    return t[op];
}

static qv_status invalid(func_arith_op op, const arrow_type *l, const arrow_type *r, qv_error *err)
{
    char a[64], b[64];
    func_type_name(l, a, sizeof a);
    func_type_name(r, b, sizeof b);
    kind kl = kind_of(l), kr = kind_of(r);
    if (kl == K_TS && kr == K_TS)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Cannot get result type for temporal "
                              "operation %s %s %s: Invalid argument error: Invalid timestamp "
                              "arithmetic operation: %s %s %s",
                              a, op_text(op), b, a, op_text(op), b);
    if (kl == K_INTERVAL || kr == K_INTERVAL || kl == K_TIME || kr == K_TIME)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Invalid interval arithmetic operation: %s "
                              "%s %s",
                              a, op_text(op), b);
    return base_error_set(err, QV_PLAN,
                          "Error during planning: Cannot coerce arithmetic expression %s %s %s to "
                          "valid types",
                          a, op_text(op), b);
}

static arrow_time_unit finer(arrow_time_unit a, arrow_time_unit b)
{
    return a > b ? a : b;
}

qv_status func_temporal_result_type(func_arith_op op, arrow_type *left, arrow_type *right,
                                    arrow_type **out, qv_error *err)
{
    *out = NULL;
    kind kl = kind_of(left), kr = kind_of(right);
    bool add = op == FUNC_ADD, sub = op == FUNC_SUB;
    if (!add && !sub)
        return invalid(op, left, right, err);
    if ((kl == K_TS || kl == K_DATE32 || kl == K_DATE64) &&
        (kr == K_INTERVAL || kr == K_DURATION)) {
        *out = arrow_type_retain(left);
        return QV_OK;
    }
    if (add && (kl == K_INTERVAL || kl == K_DURATION) &&
        (kr == K_TS || kr == K_DATE32 || kr == K_DATE64)) {
        *out = arrow_type_retain(right);
        return QV_OK;
    }
    if (sub && kl == K_TS && kr == K_TS)
        return arrow_type_duration(finer(left->unit, right->unit), out, err);
    if (sub && (kl == K_DATE32 || kl == K_DATE64) && (kr == K_DATE32 || kr == K_DATE64)) {
        *out = arrow_type_primitive(QV_TYPE_INT64);
        return QV_OK;
    }
    if ((kl == K_TIME && kr == K_TIME) || (kl == K_INTERVAL && kr == K_INTERVAL)) {
        *out = arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO);
        return QV_OK;
    }
    if (kl == K_DURATION && kr == K_DURATION)
        return arrow_type_duration(finer(left->unit, right->unit), out, err);
    return invalid(op, left, right, err);
}

/* ---- row access ---- */

static int64_t int_at(const func_datum *d, int64_t i)
{
    return arrow_type_bit_width(d->array->type) == 32 ? dt_i32_at(d, i) : dt_i64_at(d, i);
}

static void interval_at(const func_datum *d, int64_t i, int64_t *m, int64_t *dd, int64_t *ns)
{
    const arrow_array *a = d->array;
    const uint8_t *p = arrow_array_values(a);
    int64_t j = a->offset + (d->is_scalar ? 0 : i);
    int32_t x, y;
    *m = *dd = *ns = 0;
    switch (a->type->id) {
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        memcpy(&x, p + 4 * j, 4);
        *m = x;
        break;
    case QV_TYPE_INTERVAL_DAY_TIME:
        memcpy(&x, p + 8 * j, 4);
        memcpy(&y, p + 8 * j + 4, 4);
        *dd = x;
        *ns = (int64_t)y * 1000000;
        break;
    default:
        memcpy(&x, p + 16 * j, 4);
        memcpy(&y, p + 16 * j + 4, 4);
        memcpy(ns, p + 16 * j + 8, 8);
        *m = x;
        *dd = y;
        break;
    }
}

static qv_status date_overflow(qv_error *err)
{
    return base_error_set(err, QV_OVERFLOW, "Arrow error: Compute error: Date arithmetic overflow");
}

static qv_status ts_overflow(qv_error *err)
{
    return base_error_set(err, QV_OVERFLOW,
                          "Arrow error: Compute error: Timestamp arithmetic overflow");
}

/* timestamp (value of type t) + months / days / nanos. */
static qv_status ts_add(const arrow_type *t, int64_t v, int64_t m, int64_t d, int64_t ns,
                        int64_t *out, qv_error *err)
{
    int64_t secs, days, local, r;
    int32_t nanos;
    dt_split(v, t->unit, &secs, &nanos);
    if (m != 0 || d != 0) {
        QV_TRY(dt_tz_to_local(t->timezone, secs, &local, err));
        int64_t tod = dt_floor_mod(local, DT_SECS_PER_DAY);
        days = dt_floor_div(local, DT_SECS_PER_DAY);
        if ((m != 0 && !dt_add_months(days, m, &days)) || __builtin_add_overflow(days, d, &days) ||
            days > 200000000 || days < -200000000)
            return ts_overflow(err);
        local = days * DT_SECS_PER_DAY + tod;
        if (t->timezone == NULL) {
            secs = local;
        } else {
            int n;
            int64_t utc[2];
            QV_TRY(dt_tz_local_to_utc(t->timezone, local, &n, utc, err));
            if (n != 1)
                return ts_overflow(err);
            secs = utc[0];
        }
    }
    if (!dt_join(secs, nanos, QV_UNIT_NANOSECOND, &r)) {
        /* outside the nanosecond range: work in the value's own unit */
        if (!dt_join(secs, nanos, t->unit, &r))
            return ts_overflow(err);
        int64_t step = ns / (DT_NANOS_PER_SEC / dt_unit_per_second(t->unit));
        if (__builtin_add_overflow(r, step, out))
            return ts_overflow(err);
        return QV_OK;
    }
    if (__builtin_add_overflow(r, ns, &r))
        return ts_overflow(err);
    int64_t div = DT_NANOS_PER_SEC / dt_unit_per_second(t->unit);
    *out = dt_floor_div(r, div);
    return QV_OK;
}

static qv_status date_add(kind k, int64_t v, int64_t m, int64_t d, int64_t ns, int64_t *out,
                          qv_error *err)
{
    int64_t days = k == K_DATE32 ? v : dt_floor_div(v, DT_SECS_PER_DAY * 1000);
    int64_t ms_part = k == K_DATE32 ? 0 : dt_floor_mod(v, DT_SECS_PER_DAY * 1000);
    if ((m != 0 && !dt_add_months(days, m, &days)) || __builtin_add_overflow(days, d, &days))
        return date_overflow(err);
    if (k == K_DATE32) {
        days += ns / DT_NANOS_PER_DAY; /* chrono: whole days of the duration, toward zero */
        if (days > INT32_MAX || days < INT32_MIN)
            return date_overflow(err);
        *out = days;
        return QV_OK;
    }
    int64_t r;
    if (__builtin_mul_overflow(days, DT_SECS_PER_DAY * 1000, &r) ||
        __builtin_add_overflow(r, ms_part + ns / 1000000, &r))
        return date_overflow(err);
    *out = r;
    return QV_OK;
}

qv_status func_temporal_arith(func_arith_op op, const func_datum *left, const func_datum *right,
                              int64_t n_rows, func_datum *out, qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    arrow_type *lt = left->array->type, *rt_in = right->array->type, *rt;
    QV_TRY(func_temporal_result_type(op, lt, rt_in, &rt, err));
    kind kl = kind_of(lt), kr = kind_of(rt_in);
    /* interval + x: swap so the temporal value is on the left */
    const func_datum *a = left, *b = right;
    if ((kl == K_INTERVAL || kl == K_DURATION) && kr != kl && kr != K_INTERVAL &&
        kr != K_DURATION) {
        a = right;
        b = left;
        kind t = kl;
        kl = kr;
        kr = t;
    }
    int64_t sign = op == FUNC_SUB ? -1 : 1;
    func_datum pair[2] = {*left, *right};
    func_fixed_out fo;
    qv_status st = func_fixed_begin(2, pair, n_rows, rt, &fo, err);
    if (st != QV_OK) {
        arrow_type_release(rt);
        return st;
    }
    const arrow_type *at = a->array->type, *bt = b->array->type;
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        if (!dt_fo_valid(&fo, i))
            continue;
        int64_t r = 0;
        uint8_t *o = fo.values->data;
        if (kr == K_INTERVAL && kl != K_INTERVAL && kl != K_TIME) {
            int64_t m, d, ns;
            interval_at(b, i, &m, &d, &ns);
            if (sign < 0 && (m == INT64_MIN || ns == INT64_MIN)) {
                st = ts_overflow(err);
                break;
            }
            m *= sign;
            d *= sign;
            ns *= sign;
            if (kl == K_TS)
                st = ts_add(at, int_at(a, i), m, d, ns, &r, err);
            else
                st = date_add(kl, int_at(a, i), m, d, ns, &r, err);
        } else if (kr == K_DURATION && kl != K_DURATION) {
            int64_t dv = int_at(b, i), ns;
            if (__builtin_mul_overflow(dv, DT_NANOS_PER_SEC / dt_unit_per_second(bt->unit), &ns) ||
                __builtin_mul_overflow(ns, sign, &ns)) {
                st = ts_overflow(err);
                break;
            }
            if (kl == K_TS)
                st = ts_add(at, int_at(a, i), 0, 0, ns, &r, err);
            else
                st = date_add(kl, int_at(a, i), 0, 0, ns, &r, err);
        } else if (kl == K_TS || kl == K_DURATION) { /* ts - ts, dur +- dur */
            int64_t x = int_at(a, i), y = int_at(b, i);
            int64_t fx = dt_unit_per_second(rt->unit) / dt_unit_per_second(at->unit);
            int64_t fy = dt_unit_per_second(rt->unit) / dt_unit_per_second(bt->unit);
            if (__builtin_mul_overflow(x, fx, &x) || __builtin_mul_overflow(y, fy, &y) ||
                (sign < 0 ? __builtin_sub_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r)))
                st = ts_overflow(err);
        } else if (kl == K_DATE32 || kl == K_DATE64) { /* date - date: days */
            int64_t x = int_at(a, i), y = int_at(b, i);
            if (kl == K_DATE64)
                x = dt_floor_div(x, DT_SECS_PER_DAY * 1000);
            if (kind_of(bt) == K_DATE64)
                y = dt_floor_div(y, DT_SECS_PER_DAY * 1000);
            r = x - y;
        } else { /* time +- time, interval +- interval: month-day-nano */
            int64_t m1 = 0, d1 = 0, n1, m2 = 0, d2 = 0, n2;
            if (kl == K_TIME) {
                n1 = int_at(a, i) * (DT_NANOS_PER_SEC / dt_unit_per_second(at->unit));
                n2 = int_at(b, i) * (DT_NANOS_PER_SEC / dt_unit_per_second(bt->unit));
            } else {
                interval_at(a, i, &m1, &d1, &n1);
                interval_at(b, i, &m2, &d2, &n2);
            }
            int64_t m = m1 + sign * m2, d = d1 + sign * d2, ns;
            if (m > INT32_MAX || m < INT32_MIN || d > INT32_MAX || d < INT32_MIN ||
                (sign < 0 ? __builtin_sub_overflow(n1, n2, &ns)
                          : __builtin_add_overflow(n1, n2, &ns))) {
                st = base_error_set(err, QV_OVERFLOW,
                                    "Arrow error: Arithmetic overflow: Overflow happened on: "
                                    "interval %s interval",
                                    op_text(op));
                break;
            }
            int32_t m32 = (int32_t)m, d32 = (int32_t)d;
            memcpy(o + 16 * i, &m32, 4);
            memcpy(o + 16 * i + 4, &d32, 4);
            memcpy(o + 16 * i + 8, &ns, 8);
            continue;
        }
        if (arrow_type_bit_width(rt) == 32)
            ((int32_t *)o)[i] = (int32_t)r;
        else
            ((int64_t *)o)[i] = r;
    }
    st = func_fixed_end(&fo, rt, st, out, err);
    arrow_type_release(rt);
    return st;
}
