/*
 * datetime_tochar.c — to_char / date_format (layer: func): dates, times,
 * timestamps and durations formatted with chrono's strftime syntax
 * (datetime_format.c), as DataFusion's to_char does through arrow-rs's
 * formatter: dates take time specifiers as midnight, zoned timestamps
 * format local time, durations take "pretty" or "iso8601". A specifier that
 * does not apply is "Arrow error: Cast error: Format error".
 */
#include <stdio.h>

#include "arrow/format_int.h"
#include "func/datetime_int.h"

static qv_status rt_utf8(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    DT_UNUSED(n_args);
    DT_UNUSED(types);
    DT_UNUSED(err);
    *out = arrow_type_primitive(QV_TYPE_UTF8);
    return QV_OK;
}

/* Fills tm for row i of a temporal datum. */
static qv_status fill_tm(const func_datum *d, int64_t i, dt_tm *tm, qv_error *err)
{
    const arrow_type *t = d->array->type;
    memset(tm, 0, sizeof *tm);
    int64_t secs = 0;
    int32_t nanos = 0;
    switch (t->id) {
    case QV_TYPE_DATE32:
        secs = (int64_t)dt_i32_at(d, i) * DT_SECS_PER_DAY;
        tm->has_date = tm->has_time = true;
        break;
    case QV_TYPE_DATE64:
        dt_split(dt_i64_at(d, i), QV_UNIT_MILLISECOND, &secs, &nanos);
        tm->has_date = tm->has_time = true;
        break;
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
        dt_split(t->id == QV_TYPE_TIME32 ? dt_i32_at(d, i) : dt_i64_at(d, i), t->unit, &secs,
                 &nanos);
        tm->has_time = true;
        break;
    default: { /* TIMESTAMP */
        int64_t utc;
        dt_split(dt_i64_at(d, i), t->unit, &utc, &nanos);
        tm->epoch_secs = utc;
        secs = utc;
        if (t->timezone != NULL) {
            QV_TRY(dt_tz_offset(t->timezone, utc, &tm->offset, err));
            secs = utc + tm->offset;
            tm->has_offset = true;
            tm->tz_name = t->timezone;
        }
        tm->has_date = tm->has_time = true;
        break;
    }
    }
    if (t->id != QV_TYPE_TIMESTAMP)
        tm->epoch_secs = secs;
    int64_t days = dt_floor_div(secs, DT_SECS_PER_DAY), tod = dt_floor_mod(secs, DT_SECS_PER_DAY);
    if (tm->has_date)
        dt_civil_from_days(days, &tm->year, &tm->month, &tm->day);
    tm->hour = (int)(tod / 3600);
    tm->minute = (int)(tod / 60 % 60);
    tm->second = (int)(tod % 60);
    tm->nanos = nanos;
    return QV_OK;
}

/* arrow-rs duration formats: ISO 8601 (chrono's TimeDelta Display) or
 * "pretty" (the arrow formatter's default). */
static qv_status format_duration(const func_datum *d, int64_t i, bool iso, base_strbuf *sb,
                                 qv_error *err)
{
    if (!iso)
        return arrow_format_value(d->array, d->is_scalar ? 0 : i, sb, err);
    int64_t v = dt_i64_at(d, i), per = dt_unit_per_second(d->array->type->unit);
    bool neg = v < 0;
    uint64_t a = neg ? 0 - (uint64_t)v : (uint64_t)v;
    uint64_t secs = a / (uint64_t)per, sub = a % (uint64_t)per * (uint64_t)(DT_NANOS_PER_SEC / per);
    base_strbuf_appendf(sb, "%sPT%llu", neg ? "-" : "", (unsigned long long)secs);
    if (sub != 0) {
        if (sub % 1000000 == 0)
            base_strbuf_appendf(sb, ".%03llu", (unsigned long long)(sub / 1000000));
        else if (sub % 1000 == 0)
            base_strbuf_appendf(sb, ".%06llu", (unsigned long long)(sub / 1000));
        else
            base_strbuf_appendf(sb, ".%09llu", (unsigned long long)sub);
    }
    base_strbuf_append_char(sb, 'S');
    return QV_OK;
}

static qv_status to_char_invoke(DT_INVOKE_ARGS)
{
    DT_UNUSED(ctx);
    DT_UNUSED(n_args);
    const func_datum *v = &args[0], *f = &args[1];
    arrow_type_id id = v->array->type->id;
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    if (id != QV_TYPE_NULL && id != QV_TYPE_DATE32 && id != QV_TYPE_DATE64 &&
        id != QV_TYPE_TIME32 && id != QV_TYPE_TIME64 && id != QV_TYPE_TIMESTAMP &&
        id != QV_TYPE_DURATION) {
        char name[64];
        func_type_name(v->array->type, name, sizeof name);
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Format for `to_char` unsupported for input type "
                              "%s",
                              name);
    }
    arrow_builder *b;
    QV_TRY(arrow_builder_new(return_type, &b, err));
    func_str fs;
    bool has_fmt = func_is_string_id(f->array->type->id);
    if (has_fmt)
        func_str_init(&fs, f);
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_status st = QV_OK;
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        if (id == QV_TYPE_NULL || !has_fmt || !func_valid_at(v, i) || !func_valid_at(f, i)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        const uint8_t *fp;
        int64_t flen;
        func_str_at(&fs, i, &fp, &flen);
        base_strbuf_clear(&sb);
        if (id == QV_TYPE_DURATION) {
            bool iso = flen == 7 && strncmp((const char *)fp, "iso8601", 7) == 0;
            iso = iso || (flen == 7 && strncmp((const char *)fp, "ISO8601", 7) == 0);
            st = format_duration(v, i, iso, &sb, err);
        } else {
            dt_tm tm;
            st = fill_tm(v, i, &tm, err);
            if (st == QV_OK && !dt_format(&tm, fp, flen, &sb))
                st = base_error_set(err, QV_CAST, "Arrow error: Cast error: Format error");
        }
        if (st == QV_OK && base_strbuf_failed(&sb))
            st = base_error_nomem(err, "to_char");
        if (st == QV_OK)
            st = arrow_builder_append_bytes(b, sb.data ? sb.data : "", (int64_t)sb.len, err);
    }
    base_strbuf_free(&sb);
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    return st;
}

static const char *const p_to_char[] = {"expression", "format", NULL};
static const char *const a_to_char[] = {"date_format", NULL};

const func_entry func_datetime_format_entries[] = {
    {"to_char",
     a_to_char,
     FUNC_SCALAR,
     {FUNC_SIG_ANY, 2, 0, NULL, 0, NULL},
     FUNC_IMMUTABLE,
     "Returns a string representation of a date, time, timestamp or duration based on a Chrono "
     "format.",
     p_to_char,
     .impl.scalar = {rt_utf8, to_char_invoke, NULL}},
};
const int32_t func_datetime_format_entry_count =
    (int32_t)(sizeof func_datetime_format_entries / sizeof func_datetime_format_entries[0]);
