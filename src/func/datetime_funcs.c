/*
 * datetime_funcs.c — date / time scalar functions (layer: func): now /
 * current_timestamp, current_date / today, current_time, the to_timestamp
 * family, to_date, to_time, to_unixtime, from_unixtime, make_date,
 * make_time, to_local_time. Result types and error texts follow DataFusion
 * (datafusion/functions/src/datetime/). to_char lives in datetime_tochar.c,
 * date_trunc / date_bin / date_part in datetime_trunc.c.
 */
#include <math.h>
#include <stdio.h>

#include "arrow/format_int.h"
#include "func/datetime_int.h"

/* ---- return types ---- */

static qv_status rt_prim(arrow_type_id id, arrow_type **out)
{
    *out = arrow_type_primitive(id);
    return QV_OK;
}

static const char *ts_zone(arrow_type *const *types, int n_args)
{
    return n_args > 0 && types[0]->id == QV_TYPE_TIMESTAMP ? types[0]->timezone : NULL;
}

#define RT_TS(NAME, UNIT)                                                                          \
    static qv_status NAME(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)   \
    {                                                                                              \
        return arrow_type_timestamp(UNIT, ts_zone(types, n_args), out, err);                       \
    }
RT_TS(rt_ts_s, QV_UNIT_SECOND)
RT_TS(rt_ts_ms, QV_UNIT_MILLISECOND)
RT_TS(rt_ts_us, QV_UNIT_MICROSECOND)
RT_TS(rt_ts_ns, QV_UNIT_NANOSECOND)

static qv_status rt_now(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    return arrow_type_timestamp(QV_UNIT_NANOSECOND, NULL, out, err);
}

static qv_status rt_now_ex(int n_args, arrow_type *const *types, const arrow_array *const *lits,
                           const char *time_zone, arrow_type **out, qv_error *err)
{
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    DT_UNUSED(lits);
    return arrow_type_timestamp(QV_UNIT_NANOSECOND, time_zone, out, err);
}

static qv_status rt_date32(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    DT_UNUSED(err);
    return rt_prim(QV_TYPE_DATE32, out);
}

static qv_status rt_time64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    return arrow_type_time(QV_TYPE_TIME64, QV_UNIT_NANOSECOND, out, err);
}

static qv_status rt_time32s(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    return arrow_type_time(QV_TYPE_TIME32, QV_UNIT_SECOND, out, err);
}

static qv_status rt_i64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    DT_UNUSED(err);
    return rt_prim(QV_TYPE_INT64, out);
}

static qv_status rt_from_unixtime(int n_args, arrow_type *const *types, arrow_type **out,
                                  qv_error *err)
{
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    return arrow_type_timestamp(QV_UNIT_SECOND, NULL, out, err);
}

/* The zone argument must be a constant string (DataFusion reads it at
 * planning). */
static qv_status rt_from_unixtime_ex(int n_args, arrow_type *const *types,
                                     const arrow_array *const *lits, const char *time_zone,
                                     arrow_type **out, qv_error *err)
{
    DT_UNUSED(time_zone);
    if (n_args < 2)
        return arrow_type_timestamp(QV_UNIT_SECOND, NULL, out, err);
    if (lits == NULL || lits[1] == NULL || !func_is_string_id(types[1]->id) ||
        !arrow_array_is_valid(lits[1], 0))
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Second argument for `from_unixtime` must be "
                              "non-null utf8, received %s",
                              arrow_type_id_name(types[1]->id));
    func_datum d = {(arrow_array *)lits[1], true};
    func_str s;
    func_str_init(&s, &d);
    const uint8_t *p;
    int64_t len;
    func_str_at(&s, 0, &p, &len);
    char name[128];
    if (len >= (int64_t)sizeof name)
        len = sizeof name - 1;
    memcpy(name, p, (size_t)len);
    name[len] = '\0';
    QV_TRY(dt_tz_check(name, err));
    return arrow_type_timestamp(QV_UNIT_SECOND, name, out, err);
}

static qv_status rt_local(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    arrow_time_unit unit =
        n_args > 0 && types[0]->id == QV_TYPE_TIMESTAMP ? types[0]->unit : QV_UNIT_NANOSECOND;
    return arrow_type_timestamp(unit, NULL, out, err);
}

/* ---- now, current_date, current_time ---- */

static qv_status scalar_i64(arrow_type *type, int64_t v, func_datum *out, qv_error *err)
{
    func_fixed_out fo;
    QV_TRY(func_fixed_begin(0, NULL, 1, type, &fo, err));
    fo.all_scalar = true;
    if (arrow_type_bit_width(type) == 32)
        ((int32_t *)fo.values->data)[0] = (int32_t)v;
    else
        ((int64_t *)fo.values->data)[0] = v;
    return func_fixed_end(&fo, type, QV_OK, out, err);
}

static qv_status now_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(n_args);
    DT_UNUSED(args);
    DT_UNUSED(n_rows);
    return scalar_i64(return_type, ctx->query_start_ns, out, err);
}

/* Local seconds / nanos of now() in the session's zone. */
static qv_status now_local(const func_call_ctx *ctx, int64_t *secs, int32_t *nanos, qv_error *err)
{
    int64_t utc;
    dt_split(ctx->query_start_ns, QV_UNIT_NANOSECOND, &utc, nanos);
    const char *tz = ctx->time_zone != NULL && ctx->time_zone[0] != '\0' ? ctx->time_zone : NULL;
    return dt_tz_to_local(tz, utc, secs, err);
}

static qv_status current_date_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(n_args);
    DT_UNUSED(args);
    DT_UNUSED(n_rows);
    int64_t secs;
    int32_t nanos;
    QV_TRY(now_local(ctx, &secs, &nanos, err));
    return scalar_i64(return_type, dt_floor_div(secs, DT_SECS_PER_DAY), out, err);
}

static qv_status current_time_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(n_args);
    DT_UNUSED(args);
    DT_UNUSED(n_rows);
    int64_t secs;
    int32_t nanos;
    QV_TRY(now_local(ctx, &secs, &nanos, err));
    return scalar_i64(return_type, dt_floor_mod(secs, DT_SECS_PER_DAY) * DT_NANOS_PER_SEC + nanos,
                      out, err);
}

/* ---- strings to timestamps ---- */

static const char ns_range_msg[] =
    "Arrow error: Parser error: The dates that can be represented as nanoseconds have to be "
    "between 1677-09-21T00:12:44.0 and 2262-04-11T23:47:16.854775804";

qv_status dt_strings_to_timestamp(const func_datum *value, int n_formats, const func_datum *formats,
                                  int64_t n_rows, arrow_time_unit unit, arrow_type *type,
                                  func_datum *out, qv_error *err)
{
    func_datum all[16];
    if (n_formats > 15)
        return base_error_set(err, QV_NOT_IMPLEMENTED, "at most 15 formats are supported");
    all[0] = *value;
    for (int k = 0; k < n_formats; k++)
        all[k + 1] = formats[k];
    func_fixed_out fo;
    QV_TRY(dt_fixed_begin(n_formats + 1, all, 1, n_rows, type, &fo, err));
    func_str vs, fs[15];
    func_str_init(&vs, value);
    for (int k = 0; k < n_formats; k++) {
        if (func_is_string_id(formats[k].array->type->id))
            func_str_init(&fs[k], &formats[k]);
    }
    int64_t *o = (int64_t *)fo.values->data;
    int64_t div = DT_NANOS_PER_SEC / dt_unit_per_second(unit);
    qv_status st = QV_OK;
    for (int64_t i = 0; i < fo.n && st == QV_OK; i++) {
        if (!dt_fo_valid(&fo, i))
            continue;
        const uint8_t *p;
        int64_t len, secs = 0;
        int32_t nanos = 0;
        func_str_at(&vs, i, &p, &len);
        if (n_formats == 0) {
            st = dt_parse_timestamp(p, len, NULL, &secs, &nanos, err);
        } else {
            bool ok = false, tried = false;
            const char *why = NULL;
            const uint8_t *fp = NULL;
            int64_t flen = 0;
            for (int k = 0; k < n_formats && !ok; k++) {
                if (!func_is_string_id(formats[k].array->type->id) ||
                    !func_valid_at(&formats[k], i))
                    continue;
                func_str_at(&fs[k], i, &fp, &flen);
                tried = true;
                ok = dt_parse_formatted(p, len, fp, flen, &secs, &nanos, &why);
            }
            if (!ok && tried)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: Error parsing timestamp from '%.*s' using "
                                    "format '%.*s': %s",
                                    (int)len, (const char *)p, (int)flen, (const char *)fp, why);
            else if (!ok)
                st = func_fixed_set_null(&fo, i, err);
            if (!ok)
                continue;
        }
        if (st != QV_OK)
            break;
        int64_t ns;
        if (!dt_join(secs, nanos, QV_UNIT_NANOSECOND, &ns)) {
            st = base_error_set(err, QV_CAST, "%s", ns_range_msg);
            break;
        }
        o[i] = ns / div; /* Rust integer division: toward zero */
    }
    return func_fixed_end(&fo, type, st, out, err);
}

/* ---- numbers to timestamps ---- */

static qv_status overflow_err(const char *what, qv_error *err)
{
    return base_error_set(err, QV_EXECUTION,
                          "Execution error: Overflow converting %s to Timestamp(ns): converted "
                          "value exceeds the representable i64 range",
                          what);
}

/* Float / decimal seconds -> nanoseconds as DataFusion (through f64). */
static qv_status seconds_f64_to_ns(double v, int64_t *out, qv_error *err)
{
    double ns = v * 1e9;
    if (!(ns >= -9223372036854775808.0 && ns < 9223372036854775808.0)) {
        char text[64];
        snprintf(text, sizeof text, "%g", v);
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Value %s overflows timestamp nanoseconds", text);
    }
    *out = (int64_t)ns;
    return QV_OK;
}

/* Reads row i of a decimal (128 / 256) as a double, scaled. */
static double decimal_at(const func_datum *d, int64_t i)
{
    const arrow_array *a = d->array;
    int width = a->type->id == QV_TYPE_DECIMAL256 ? 32 : 16;
    const uint8_t *p = arrow_array_values(a) + width * (a->offset + (d->is_scalar ? 0 : i));
    func_i128 lo;
    memcpy(&lo, p, 16);
    double v = (double)lo;
    if (width == 32) {
        func_i128 hi;
        memcpy(&hi, p + 16, 16);
        /* the low half is unsigned when the high half carries the value */
        if (hi != 0 && !(hi == -1 && lo < 0))
            v = (double)(func_u128)lo + (double)hi * 3.402823669209385e38;
    }
    return v / pow(10.0, a->type->scale);
}

static qv_status to_timestamp_invoke_unit(arrow_time_unit unit, bool seconds_input, int n_args,
                                          const func_datum *args, int64_t n_rows, arrow_type *rt,
                                          func_datum *out, qv_error *err)
{
    const func_datum *v = &args[0];
    arrow_type_id id = v->array->type->id;
    out->array = NULL;
    if (id == QV_TYPE_NULL) {
        bool all_scalar;
        int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
        arrow_array *a;
        QV_TRY(arrow_array_new_null(rt, n, &a, err));
        func_set_result(out, a, all_scalar);
        return QV_OK;
    }
    if (func_is_string_id(id))
        return dt_strings_to_timestamp(v, n_args - 1, args + 1, n_rows, unit, rt, out, err);
    if (id == QV_TYPE_TIMESTAMP)
        return dt_cast_to(v, rt, n_rows, out, err);
    func_datum i64 = {NULL, false};
    bool floating = id == QV_TYPE_FLOAT16 || id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64;
    bool decimal = id == QV_TYPE_DECIMAL128 || id == QV_TYPE_DECIMAL256;
    if (!floating && !decimal) {
        if (!arrow_type_is_integer(id))
            return base_error_set(err, QV_EXECUTION,
                                  "Execution error: Unsupported data type %s for function "
                                  "to_timestamp",
                                  arrow_type_id_name(id));
        QV_TRY(dt_cast_to(v, arrow_type_primitive(QV_TYPE_INT64), n_rows, &i64, err));
    }
    func_fixed_out fo;
    qv_status st = func_fixed_begin(1, v, n_rows, rt, &fo, err);
    if (st != QV_OK) {
        func_datum_release(&i64);
        return st;
    }
    int64_t *o = (int64_t *)fo.values->data;
    for (int64_t i = 0; i < fo.n && st == QV_OK; i++) {
        if (!dt_fo_valid(&fo, i))
            continue;
        if (floating || decimal) {
            double x;
            if (decimal) {
                x = decimal_at(v, i);
            } else {
                const uint8_t *p = arrow_array_values(v->array);
                int64_t j = v->array->offset + (v->is_scalar ? 0 : i);
                x = id == QV_TYPE_FLOAT64   ? ((const double *)p)[j]
                    : id == QV_TYPE_FLOAT32 ? ((const float *)p)[j]
                                            : arrow_half_to_float(((const uint16_t *)p)[j]);
            }
            if (seconds_input) {
                st = seconds_f64_to_ns(x, &o[i], err);
            } else if (!(trunc(x) >= -9223372036854775808.0 && trunc(x) < 9223372036854775808.0)) {
                char text[64];
                snprintf(text, sizeof text, "%g", x);
                st = base_error_set(err, QV_CAST,
                                    "Arrow error: Cast error: Can't cast value %s to type Int64",
                                    text);
            } else {
                o[i] = (int64_t)trunc(x);
            }
            continue;
        }
        int64_t x = dt_i64_at(&i64, i);
        if (seconds_input && __builtin_mul_overflow(x, DT_NANOS_PER_SEC, &o[i])) {
            char text[32];
            snprintf(text, sizeof text, "%lld", (long long)x);
            st = overflow_err(text, err);
        } else if (!seconds_input) {
            o[i] = x;
        }
    }
    func_datum_release(&i64);
    return func_fixed_end(&fo, rt, st, out, err);
}

#define TO_TS(NAME, UNIT, SECONDS)                                                                 \
    static qv_status NAME(DT_INVOKE_ARGS)                                                          \
    {                                                                                              \
        DT_UNUSED(ctx);                                                                            \
        return to_timestamp_invoke_unit(UNIT, SECONDS, n_args, args, n_rows, return_type, out,     \
                                        err);                                                      \
    }
TO_TS(to_timestamp_invoke, QV_UNIT_NANOSECOND, true)
TO_TS(to_timestamp_s_invoke, QV_UNIT_SECOND, false)
TO_TS(to_timestamp_ms_invoke, QV_UNIT_MILLISECOND, false)
TO_TS(to_timestamp_us_invoke, QV_UNIT_MICROSECOND, false)
TO_TS(to_timestamp_ns_invoke, QV_UNIT_NANOSECOND, false)

/* ---- to_unixtime, from_unixtime ---- */

static qv_status to_unixtime_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    arrow_type_id id = args[0].array->type->id;
    func_datum ts = {NULL, false}, i64 = {NULL, false};
    arrow_type *ts_s = NULL;
    qv_status st = arrow_type_timestamp(QV_UNIT_SECOND, NULL, &ts_s, err);
    if (st != QV_OK)
        return st;
    if (func_is_string_id(id))
        st = dt_strings_to_timestamp(&args[0], n_args - 1, args + 1, n_rows, QV_UNIT_SECOND, ts_s,
                                     &ts, err);
    else if (id == QV_TYPE_TIMESTAMP || id == QV_TYPE_DATE32 || id == QV_TYPE_DATE64)
        st = dt_cast_to(&args[0], ts_s, n_rows, &ts, err);
    else if (id == QV_TYPE_FLOAT16)
        st = dt_cast_to(&args[0], arrow_type_primitive(QV_TYPE_FLOAT64), n_rows, &ts, err);
    /* else: numbers are cast to Int64 below */
    if (st == QV_OK) {
        const func_datum *src = ts.array != NULL ? &ts : &args[0];
        if (src->array->type->id == QV_TYPE_TIMESTAMP) {
            /* reinterpret Timestamp(s) as Int64 */
            arrow_array *a;
            st = arrow_array_new(return_type, src->array->length, -1, src->array->offset, 2,
                                 src->array->buffers, 0, NULL, NULL, &a, err);
            if (st == QV_OK)
                func_set_result(out, a, src->is_scalar);
        } else {
            st = dt_cast_to(src, return_type, n_rows, &i64, err);
            if (st == QV_OK)
                *out = i64;
        }
    }
    func_datum_release(&ts);
    arrow_type_release(ts_s);
    return st;
}

/* Reinterprets an Int64 datum's values as `type` (same width). */
static qv_status reinterpret(const func_datum *d, arrow_type *type, func_datum *out, qv_error *err)
{
    arrow_array *a;
    QV_TRY(arrow_array_new(type, d->array->length, -1, d->array->offset, 2, d->array->buffers, 0,
                           NULL, NULL, &a, err));
    func_set_result(out, a, d->is_scalar);
    return QV_OK;
}

static qv_status from_unixtime_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    DT_UNUSED(n_args);
    if (args[0].array->type->id == QV_TYPE_NULL)
        return to_timestamp_invoke_unit(QV_UNIT_SECOND, false, 1, args, n_rows, return_type, out,
                                        err);
    func_datum i64;
    QV_TRY(dt_cast_to(&args[0], arrow_type_primitive(QV_TYPE_INT64), n_rows, &i64, err));
    qv_status st = reinterpret(&i64, return_type, out, err);
    func_datum_release(&i64);
    return st;
}

/* ---- make_date, make_time ---- */

/* Casts the three arguments to Int32 into c[] (released on failure). */
static qv_status ints32(const func_datum *args, int64_t n_rows, func_datum c[3], qv_error *err)
{
    for (int k = 0; k < 3; k++)
        c[k].array = NULL;
    qv_status st = QV_OK;
    for (int k = 0; k < 3 && st == QV_OK; k++) {
        if (args[k].array->type->id == QV_TYPE_NULL)
            st = func_datum_null_scalar(arrow_type_primitive(QV_TYPE_INT32), &c[k], err);
        else
            st = dt_cast_to(&args[k], arrow_type_primitive(QV_TYPE_INT32), n_rows, &c[k], err);
    }
    if (st != QV_OK) {
        for (int k = 0; k < 3; k++)
            func_datum_release(&c[k]);
    }
    return st;
}

static qv_status make_parts(bool date, const func_datum *args, int64_t n_rows, arrow_type *rt,
                            func_datum *out, qv_error *err)
{
    func_datum c[3];
    QV_TRY(ints32(args, n_rows, c, err));
    func_fixed_out fo;
    qv_status st = func_fixed_begin(3, c, n_rows, rt, &fo, err);
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        if (!dt_fo_valid(&fo, i))
            continue;
        int32_t a = dt_i32_at(&c[0], i), b = dt_i32_at(&c[1], i), d = dt_i32_at(&c[2], i);
        int32_t *o = (int32_t *)fo.values->data;
        if (date) {
            if (b < 1 || b > 12)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: Month value '%d' is out of range", (int)b);
            else if (d < 1 || d > 31)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: Day value '%d' is out of range", (int)d);
            else if (!dt_valid_ymd(a, b, d))
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: Unable to parse date from %d, %d, %d", (int)a,
                                    (int)b, (int)d);
            else
                o[i] = (int32_t)dt_days_from_civil(a, b, d);
        } else {
            if (a < 0 || a > 23)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: Hour value '%d' is out of range", (int)a);
            else if (b < 0 || b > 59)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: Minute value '%d' is out of range", (int)b);
            else if (d < 0 || d > 59)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: Second value '%d' is out of range", (int)d);
            else
                o[i] = a * 3600 + b * 60 + d;
        }
    }
    if (st == QV_OK)
        st = func_fixed_end(&fo, rt, QV_OK, out, err);
    else if (fo.values != NULL)
        func_fixed_end(&fo, rt, st, out, NULL);
    for (int k = 0; k < 3; k++)
        func_datum_release(&c[k]);
    return st;
}

static qv_status make_date_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    DT_UNUSED(n_args);
    return make_parts(true, args, n_rows, return_type, out, err);
}

static qv_status make_time_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    DT_UNUSED(n_args);
    return make_parts(false, args, n_rows, return_type, out, err);
}

/* ---- to_date, to_time, to_local_time ---- */

static qv_status to_date_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    arrow_type_id id = args[0].array->type->id;
    if (!func_is_string_id(id) || n_args == 1) {
        if (arrow_type_is_integer(id) && id != QV_TYPE_INT32) {
            func_datum i32;
            QV_TRY(dt_cast_to(&args[0], arrow_type_primitive(QV_TYPE_INT32), n_rows, &i32, err));
            qv_status st = dt_cast_to(&i32, return_type, n_rows, out, err);
            func_datum_release(&i32);
            return st;
        }
        if (id == QV_TYPE_INT32) {
            arrow_array *a;
            QV_TRY(arrow_array_new(return_type, args[0].array->length, -1, args[0].array->offset, 2,
                                   args[0].array->buffers, 0, NULL, NULL, &a, err));
            func_set_result(out, a, args[0].is_scalar);
            return QV_OK;
        }
        return dt_cast_to(&args[0], return_type, n_rows, out, err);
    }
    arrow_type *ms;
    QV_TRY(arrow_type_timestamp(QV_UNIT_MILLISECOND, NULL, &ms, err));
    func_datum ts;
    qv_status st = dt_strings_to_timestamp(&args[0], n_args - 1, args + 1, n_rows,
                                           QV_UNIT_MILLISECOND, ms, &ts, err);
    arrow_type_release(ms);
    if (st != QV_OK)
        return st;
    func_fixed_out fo;
    st = func_fixed_begin(1, &ts, n_rows, return_type, &fo, err);
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        if (dt_fo_valid(&fo, i))
            ((int32_t *)fo.values->data)[i] =
                (int32_t)(dt_i64_at(&ts, i) / (DT_SECS_PER_DAY * 1000));
    }
    if (st == QV_OK)
        st = func_fixed_end(&fo, return_type, st, out, err);
    func_datum_release(&ts);
    return st;
}

static qv_status to_time_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    arrow_type_id id = args[0].array->type->id;
    func_fixed_out fo;
    if (id == QV_TYPE_NULL)
        return to_timestamp_invoke_unit(QV_UNIT_NANOSECOND, false, 1, args, n_rows, return_type,
                                        out, err);
    if (id == QV_TYPE_TIMESTAMP) {
        const arrow_type *t = args[0].array->type;
        QV_TRY(func_fixed_begin(1, args, n_rows, return_type, &fo, err));
        qv_status st = QV_OK;
        for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
            if (!dt_fo_valid(&fo, i))
                continue;
            int64_t secs, local;
            int32_t nanos;
            dt_split(dt_i64_at(&args[0], i), t->unit, &secs, &nanos);
            st = dt_tz_to_local(t->timezone, secs, &local, err);
            ((int64_t *)fo.values->data)[i] =
                dt_floor_mod(local, DT_SECS_PER_DAY) * DT_NANOS_PER_SEC + nanos;
        }
        return func_fixed_end(&fo, return_type, st, out, err);
    }
    if (!func_is_string_id(id))
        return dt_cast_to(&args[0], return_type, n_rows, out, err);
    QV_TRY(dt_fixed_begin(n_args, args, 1, n_rows, return_type, &fo, err));
    func_str vs, fs[8];
    func_str_init(&vs, &args[0]);
    for (int k = 1; k < n_args && k < 9; k++)
        func_str_init(&fs[k - 1], &args[k]);
    qv_status st = QV_OK;
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        if (!dt_fo_valid(&fo, i))
            continue;
        const uint8_t *p, *fp = NULL;
        int64_t len, flen = 0, nanos = 0;
        func_str_at(&vs, i, &p, &len);
        bool ok;
        const char *why = NULL;
        if (n_args == 1) {
            ok = dt_parse_time(p, len, &nanos);
        } else {
            ok = false;
            for (int k = 1; k < n_args && k < 9 && !ok; k++) {
                if (!func_valid_at(&args[k], i))
                    continue;
                func_str_at(&fs[k - 1], i, &fp, &flen);
                ok = dt_parse_formatted_time(p, len, fp, flen, &nanos, &why);
            }
        }
        if (!ok && fp != NULL)
            st = base_error_set(err, QV_EXECUTION,
                                "Execution error: Error parsing '%.*s' as time using format "
                                "'%.*s': %s",
                                (int)len, (const char *)p, (int)flen, (const char *)fp, why);
        else if (!ok)
            st = base_error_set(err, QV_EXECUTION, "Execution error: Error parsing '%.*s' as time",
                                (int)len, (const char *)p);
        else
            ((int64_t *)fo.values->data)[i] = nanos;
    }
    return func_fixed_end(&fo, return_type, st, out, err);
}

static qv_status to_local_time_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    DT_UNUSED(n_args);
    const arrow_type *t = args[0].array->type;
    if (t->id != QV_TYPE_TIMESTAMP)
        return to_timestamp_invoke_unit(QV_UNIT_NANOSECOND, false, 1, args, n_rows, return_type,
                                        out, err);
    func_fixed_out fo;
    QV_TRY(func_fixed_begin(1, args, n_rows, return_type, &fo, err));
    qv_status st = QV_OK;
    int64_t per = dt_unit_per_second(t->unit);
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        if (!dt_fo_valid(&fo, i))
            continue;
        int64_t v = dt_i64_at(&args[0], i), secs;
        int32_t nanos, offset = 0;
        dt_split(v, t->unit, &secs, &nanos);
        if (t->timezone != NULL)
            st = dt_tz_offset(t->timezone, secs, &offset, err);
        if (st == QV_OK && __builtin_add_overflow(v, (int64_t)offset * per, &v))
            st = base_error_set(err, QV_EXECUTION,
                                "Execution error: Failed to convert timestamp to local time");
        ((int64_t *)fo.values->data)[i] = v;
    }
    return func_fixed_end(&fo, return_type, st, out, err);
}

/* ---- entries ---- */

static const arrow_type_id int_ids[] = {QV_TYPE_INT8,   QV_TYPE_INT16, QV_TYPE_INT32,
                                        QV_TYPE_INT64,  QV_TYPE_UINT8, QV_TYPE_UINT16,
                                        QV_TYPE_UINT32, QV_TYPE_UINT64};
static const arrow_type_id ts_ids[] = {QV_TYPE_TIMESTAMP};
static const arrow_type_id i64_s[] = {QV_TYPE_INT64, QV_TYPE_UTF8};

#define SIG_NULLARY                                                                                \
    {                                                                                              \
        FUNC_SIG_NULLARY, 0, 0, NULL, 0, NULL                                                      \
    }
#define SIG_VAR_ANY                                                                                \
    {                                                                                              \
        FUNC_SIG_VARIADIC_ANY, 0, 0, NULL, 0, NULL                                                 \
    }
#define SIG_ONE_OF(N, ALTS)                                                                        \
    {                                                                                              \
        FUNC_SIG_ONE_OF, 0, 0, NULL, N, ALTS                                                       \
    }
#define SIG_UNIFORM(N, NT, TYPES)                                                                  \
    {                                                                                              \
        FUNC_SIG_UNIFORM, N, NT, TYPES, 0, NULL                                                    \
    }
static const func_signature sig_from_unixtime_alts[] = {
    {FUNC_SIG_UNIFORM, 1, 1, i64_s, 0, NULL},
    {FUNC_SIG_EXACT, 2, 0, i64_s, 0, NULL},
};
static const func_signature sig_make_alts[] = {
    {FUNC_SIG_UNIFORM, 3, 8, int_ids, 0, NULL},
    {FUNC_SIG_STRING, 3, 0, NULL, 0, NULL},
    {FUNC_SIG_ANY, 3, 0, NULL, 0, NULL},
};

#define ENTRY(NAME, ALIASES, SIG, VOL, DESC, PARAMS, RT, RTX, INVOKE)                              \
    {                                                                                              \
        NAME, ALIASES, FUNC_SCALAR, SIG, VOL, DESC, PARAMS, .impl.scalar = { RT, INVOKE, RTX }     \
    }

static const char *const p_expr[] = {"expression", "format_n", NULL};
static const char *const p_ymd[] = {"year", "month", "day", NULL};
static const char *const p_hms[] = {"hour", "minute", "second", NULL};
static const char *const p_unix[] = {"expression", "timezone", NULL};
static const char *const a_now[] = {"current_timestamp", NULL};
static const char *const a_today[] = {"today", NULL};

const func_entry func_datetime_entries[] = {
    ENTRY("current_date", a_today, SIG_NULLARY, FUNC_STABLE,
          "Returns the current date in the session time zone.", NULL, rt_date32, NULL,
          current_date_invoke),
    ENTRY("current_time", NULL, SIG_NULLARY, FUNC_STABLE,
          "Returns the current time in the session time zone.", NULL, rt_time64, NULL,
          current_time_invoke),
    ENTRY("from_unixtime", NULL, SIG_ONE_OF(2, sig_from_unixtime_alts), FUNC_IMMUTABLE,
          "Converts an integer to RFC3339 timestamp format.", p_unix, rt_from_unixtime,
          rt_from_unixtime_ex, from_unixtime_invoke),
    ENTRY("make_date", NULL, SIG_ONE_OF(3, sig_make_alts), FUNC_IMMUTABLE,
          "Make a date from year/month/day component parts.", p_ymd, rt_date32, NULL,
          make_date_invoke),
    ENTRY("make_time", NULL, SIG_ONE_OF(3, sig_make_alts), FUNC_IMMUTABLE,
          "Make a time from hour/minute/second component parts.", p_hms, rt_time32s, NULL,
          make_time_invoke),
    ENTRY("now", a_now, SIG_NULLARY, FUNC_STABLE,
          "Returns the current timestamp in the system configured timezone (None by default).",
          NULL, rt_now, rt_now_ex, now_invoke),
    ENTRY("to_date", NULL, SIG_VAR_ANY, FUNC_IMMUTABLE, "Converts a value to a date (YYYY-MM-DD).",
          p_expr, rt_date32, NULL, to_date_invoke),
    ENTRY("to_local_time", NULL, SIG_UNIFORM(1, 1, ts_ids), FUNC_IMMUTABLE,
          "Converts a timestamp with a timezone to a timestamp without a timezone (with no "
          "offset or timezone information).",
          p_expr, rt_local, NULL, to_local_time_invoke),
    ENTRY("to_time", NULL, SIG_VAR_ANY, FUNC_IMMUTABLE,
          "Converts a value to a time (HH:MM:SS.nnnnnnnnn).", p_expr, rt_time64, NULL,
          to_time_invoke),
    ENTRY("to_timestamp", NULL, SIG_VAR_ANY, FUNC_IMMUTABLE,
          "Converts a value to a timestamp (YYYY-MM-DDT00:00:00Z).", p_expr, rt_ts_ns, NULL,
          to_timestamp_invoke),
    ENTRY("to_timestamp_micros", NULL, SIG_VAR_ANY, FUNC_IMMUTABLE,
          "Converts a value to a timestamp (YYYY-MM-DDT00:00:00.000000Z).", p_expr, rt_ts_us, NULL,
          to_timestamp_us_invoke),
    ENTRY("to_timestamp_millis", NULL, SIG_VAR_ANY, FUNC_IMMUTABLE,
          "Converts a value to a timestamp (YYYY-MM-DDT00:00:00.000Z).", p_expr, rt_ts_ms, NULL,
          to_timestamp_ms_invoke),
    ENTRY("to_timestamp_nanos", NULL, SIG_VAR_ANY, FUNC_IMMUTABLE,
          "Converts a value to a timestamp (YYYY-MM-DDT00:00:00.000000000Z).", p_expr, rt_ts_ns,
          NULL, to_timestamp_ns_invoke),
    ENTRY("to_timestamp_seconds", NULL, SIG_VAR_ANY, FUNC_IMMUTABLE,
          "Converts a value to a timestamp (YYYY-MM-DDT00:00:00Z).", p_expr, rt_ts_s, NULL,
          to_timestamp_s_invoke),
    ENTRY("to_unixtime", NULL, SIG_VAR_ANY, FUNC_IMMUTABLE,
          "Converts a value to seconds since the unix epoch (1970-01-01T00:00:00Z).", p_expr,
          rt_i64, NULL, to_unixtime_invoke),
};
const int32_t func_datetime_entry_count =
    (int32_t)(sizeof func_datetime_entries / sizeof func_datetime_entries[0]);
