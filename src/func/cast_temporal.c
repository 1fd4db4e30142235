/*
 * cast_temporal.c — the temporal cast pairs of CAST / TRY_CAST beyond
 * date <-> timestamp rescaling (layer: func), as arrow-rs's cast kernel:
 * strings to Timestamp (RFC 3339 and arrow-rs's relaxed forms, named zones),
 * Time32 / Time64, Date64 and Interval(MonthDayNano); numbers to
 * timestamps, dates, times and durations (through Int64, floats and
 * decimals truncated); temporal values to integers; naive timestamps to
 * zoned ones (the wall time is kept, as arrow-rs's
 * adjust_timestamp_to_timezone); zoned timestamps to local dates; timestamps
 * to times of day; time and duration unit changes. cast.c dispatches here.
 */
#include <math.h>
#include <stdio.h>

#include "func/datetime_int.h"

static bool is_num(arrow_type_id id)
{
    return arrow_type_is_integer(id) || id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64 ||
           id == QV_TYPE_DECIMAL128;
}

static bool is_time(arrow_type_id id)
{
    return id == QV_TYPE_TIME32 || id == QV_TYPE_TIME64;
}

static bool is_temporal_int(arrow_type_id id)
{
    return id == QV_TYPE_TIMESTAMP || id == QV_TYPE_DATE32 || id == QV_TYPE_DATE64 || is_time(id) ||
           id == QV_TYPE_DURATION;
}

bool func_cast_temporal_handles(const arrow_type *from, const arrow_type *to)
{
    arrow_type_id f = from->id, t = to->id;
    if (func_is_string_id(f))
        return t == QV_TYPE_TIMESTAMP || is_time(t) || t == QV_TYPE_DATE64 ||
               t == QV_TYPE_INTERVAL_MONTH_DAY_NANO;
    /* arrow-rs can_cast_types: timestamps and durations with every number;
     * dates and times with Int32 / Int64 only */
    bool wide_int = f == QV_TYPE_INT32 || f == QV_TYPE_INT64;
    if (is_num(f))
        return t == QV_TYPE_TIMESTAMP || t == QV_TYPE_DURATION || (wide_int && is_temporal_int(t));
    if ((f == QV_TYPE_TIMESTAMP || f == QV_TYPE_DURATION) &&
        (arrow_type_is_integer(t) || t == QV_TYPE_FLOAT32 || t == QV_TYPE_FLOAT64))
        return true;
    if (is_temporal_int(f) && (t == QV_TYPE_INT32 || t == QV_TYPE_INT64))
        return true;
    if (f == QV_TYPE_TIMESTAMP && t == QV_TYPE_TIMESTAMP)
        return from->timezone == NULL && to->timezone != NULL;
    if (f == QV_TYPE_TIMESTAMP && (t == QV_TYPE_DATE32 || t == QV_TYPE_DATE64))
        return from->timezone != NULL;
    if ((f == QV_TYPE_TIMESTAMP || is_time(f)) && is_time(t))
        return true;
    return f == QV_TYPE_DURATION && t == QV_TYPE_DURATION;
}

/* Row results: the value, or failure with the error already described. */
typedef struct row_out {
    func_fixed_out fo;
    const arrow_type *to;
    bool safe;
} row_out;

static void put(row_out *r, int64_t i, int64_t v)
{
    if (arrow_type_bit_width(r->to) == 32)
        ((int32_t *)r->fo.values->data)[i] = (int32_t)v;
    else
        ((int64_t *)r->fo.values->data)[i] = v;
}

/* A row that does not convert: NULL for TRY_CAST, else the error st. */
static qv_status row_fail(row_out *r, int64_t i, qv_status st, qv_error *err)
{
    if (!r->safe)
        return st;
    return func_fixed_set_null(&r->fo, i, err);
}

static qv_status cast_error(const char *fmt_value, const arrow_type *to, qv_error *err)
{
    char name[64];
    func_type_name(to, name, sizeof name);
    return base_error_set(err, QV_CAST,
                          "Arrow error: Cast error: Cannot cast string '%s' to value of %s type",
                          fmt_value, name);
}

static qv_status from_string_row(row_out *r, const func_str *s, int64_t i, qv_error *err)
{
    const uint8_t *p;
    int64_t len;
    func_str_at(s, i, &p, &len);
    const arrow_type *to = r->to;
    qv_error local;
    qv_error *e = r->safe ? &local : err;
    switch (to->id) {
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DATE64: {
        int64_t secs, v;
        int32_t nanos;
        qv_status st = dt_parse_timestamp(p, len, to->id == QV_TYPE_TIMESTAMP ? to->timezone : NULL,
                                          &secs, &nanos, e);
        if (st != QV_OK)
            return row_fail(r, i, st, err);
        arrow_time_unit unit = to->id == QV_TYPE_DATE64 ? QV_UNIT_MILLISECOND : to->unit;
        if (!dt_join(secs, nanos, unit, &v))
            return row_fail(r, i,
                            base_error_set(e, QV_CAST,
                                           "Arrow error: Cast error: Overflow converting %.*s to "
                                           "%s",
                                           (int)len, (const char *)p,
                                           unit == QV_UNIT_NANOSECOND ? "Nanosecond" : "Timestamp"),
                            err);
        put(r, i, v);
        return QV_OK;
    }
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO: {
        int32_t months, days;
        int64_t nanos;
        qv_status st = dt_parse_interval(p, len, &months, &days, &nanos, e);
        if (st != QV_OK)
            return row_fail(r, i, st, err);
        uint8_t *o = r->fo.values->data + 16 * i;
        memcpy(o, &months, 4);
        memcpy(o + 4, &days, 4);
        memcpy(o + 8, &nanos, 8);
        return QV_OK;
    }
    default: { /* times */
        int64_t nanos;
        const uint8_t *q = p;
        int64_t qlen = len;
        while (qlen > 0 && (q[0] == ' ' || q[0] == '\t')) {
            q++;
            qlen--;
        }
        while (qlen > 0 && (q[qlen - 1] == ' ' || q[qlen - 1] == '\t'))
            qlen--;
        if (!dt_parse_time(q, qlen, &nanos) || nanos >= DT_NANOS_PER_DAY + DT_NANOS_PER_SEC) {
            char text[256];
            snprintf(text, sizeof text, "%.*s", (int)(len < 200 ? len : 200), (const char *)p);
            return row_fail(r, i, cast_error(text, to, e), err);
        }
        put(r, i, nanos / (DT_NANOS_PER_SEC / dt_unit_per_second(to->unit)));
        return QV_OK;
    }
    }
}

/* Local date / time of day of a timestamp row. */
static qv_status ts_local(const arrow_type *t, int64_t v, int64_t *local, int32_t *nanos,
                          qv_error *err)
{
    int64_t secs;
    dt_split(v, t->unit, &secs, nanos);
    return dt_tz_to_local(t->timezone, secs, local, err);
}

static qv_status temporal_row(row_out *r, const func_datum *arg, int64_t i, qv_error *err)
{
    const arrow_type *from = arg->array->type, *to = r->to;
    int64_t v = arrow_type_bit_width(from) == 32 ? dt_i32_at(arg, i) : dt_i64_at(arg, i);
    qv_error local_err;
    qv_error *e = r->safe ? &local_err : err;
    if (from->id == QV_TYPE_TIMESTAMP && to->id == QV_TYPE_TIMESTAMP) {
        /* naive -> zoned: keep the wall time */
        int64_t secs, out_v;
        int32_t nanos;
        dt_split(v, from->unit, &secs, &nanos);
        int n;
        int64_t utc[2];
        QV_TRY(dt_tz_local_to_utc(to->timezone, secs, &n, utc, err));
        if (n != 1 || !dt_join(utc[0], nanos, to->unit, &out_v))
            return row_fail(r, i,
                            base_error_set(e, QV_CAST,
                                           "Arrow error: Cast error: Cannot cast timezone to "
                                           "different timezone"),
                            err);
        put(r, i, out_v);
        return QV_OK;
    }
    if (from->id == QV_TYPE_TIMESTAMP && (to->id == QV_TYPE_DATE32 || to->id == QV_TYPE_DATE64)) {
        int64_t local;
        int32_t nanos;
        QV_TRY(ts_local(from, v, &local, &nanos, err));
        int64_t days = dt_floor_div(local, DT_SECS_PER_DAY);
        put(r, i, to->id == QV_TYPE_DATE32 ? days : days * DT_SECS_PER_DAY * 1000);
        return QV_OK;
    }
    if (is_time(to->id)) {
        int64_t tod_ns;
        if (from->id == QV_TYPE_TIMESTAMP) {
            int64_t local;
            int32_t nanos;
            QV_TRY(ts_local(from, v, &local, &nanos, err));
            tod_ns = dt_floor_mod(local, DT_SECS_PER_DAY) * DT_NANOS_PER_SEC + nanos;
        } else {
            tod_ns = v * (DT_NANOS_PER_SEC / dt_unit_per_second(from->unit));
        }
        put(r, i, tod_ns / (DT_NANOS_PER_SEC / dt_unit_per_second(to->unit)));
        return QV_OK;
    }
    /* duration -> duration */
    int64_t fp = dt_unit_per_second(from->unit), tp = dt_unit_per_second(to->unit), out_v;
    if (tp >= fp) {
        if (__builtin_mul_overflow(v, tp / fp, &out_v))
            return row_fail(r, i,
                            base_error_set(e, QV_CAST,
                                           "Arrow error: Cast error: Cannot cast to Duration. "
                                           "Overflowing on %lld",
                                           (long long)v),
                            err);
    } else {
        out_v = v / (fp / tp);
    }
    put(r, i, out_v);
    return QV_OK;
}

/* Reinterprets integer-like values as another 32/64-bit type. */
static qv_status reinterpret(const func_datum *d, arrow_type *to, func_datum *out, qv_error *err)
{
    arrow_array *a;
    QV_TRY(arrow_array_new(to, d->array->length, -1, d->array->offset, 2, d->array->buffers, 0,
                           NULL, NULL, &a, err));
    func_set_result(out, a, d->is_scalar);
    return QV_OK;
}

/* Numbers -> temporal: through Int64 (Int32 for 32-bit targets); temporal
 * -> integers: through their Int64 / Int32 storage. */
static qv_status via_integer(const func_datum *arg, arrow_type *to, bool safe, int64_t n_rows,
                             func_datum *out, qv_error *err)
{
    const arrow_type *from = arg->array->type;
    if (is_temporal_int(to->id)) {
        arrow_type *mid =
            arrow_type_primitive(arrow_type_bit_width(to) == 32 ? QV_TYPE_INT32 : QV_TYPE_INT64);
        func_datum m;
        QV_TRY(func_cast(arg, mid, safe, n_rows, &m, err));
        qv_status st = reinterpret(&m, to, out, err);
        func_datum_release(&m);
        return st;
    }
    arrow_type *mid =
        arrow_type_primitive(arrow_type_bit_width(from) == 32 ? QV_TYPE_INT32 : QV_TYPE_INT64);
    func_datum m;
    QV_TRY(reinterpret(arg, mid, &m, err));
    qv_status st = func_cast(&m, to, safe, n_rows, out, err);
    func_datum_release(&m);
    return st;
}

qv_status func_cast_temporal(const func_datum *arg, arrow_type *to, bool safe, int64_t n_rows,
                             func_datum *out, qv_error *err)
{
    const arrow_type *from = arg->array->type;
    out->array = NULL;
    out->is_scalar = false;
    if (is_num(from->id) || (is_temporal_int(from->id) && !is_temporal_int(to->id))) {
        if (is_num(from->id) && (from->id == QV_TYPE_FLOAT32 || from->id == QV_TYPE_FLOAT64 ||
                                 from->id == QV_TYPE_DECIMAL128)) {
            /* floats and decimals truncate to Int64 first */
            func_datum m;
            QV_TRY(func_cast(arg, arrow_type_primitive(QV_TYPE_INT64), safe, n_rows, &m, err));
            qv_status st = via_integer(&m, to, safe, n_rows, out, err);
            func_datum_release(&m);
            return st;
        }
        return via_integer(arg, to, safe, n_rows, out, err);
    }
    row_out r;
    r.to = to;
    r.safe = safe;
    QV_TRY(func_fixed_begin(1, arg, n_rows, to, &r.fo, err));
    qv_status st = QV_OK;
    func_str s;
    bool strings = func_is_string_id(from->id);
    if (strings)
        func_str_init(&s, arg);
    for (int64_t i = 0; st == QV_OK && i < r.fo.n; i++) {
        if (!dt_fo_valid(&r.fo, i))
            continue;
        st = strings ? from_string_row(&r, &s, i, err) : temporal_row(&r, arg, i, err);
    }
    return func_fixed_end(&r.fo, to, st, out, err);
}
