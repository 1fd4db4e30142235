/*
 * datetime_int.h — private helpers of the date / time functions and casts
 * (layer: func): proleptic Gregorian calendar arithmetic, time units, time
 * zone offsets in both directions, the arrow-rs timestamp / time / interval
 * string parsers, chrono's strftime-style formatting and parsing. Not for
 * other layers.
 */
#ifndef QV_FUNC_DATETIME_INT_H
#define QV_FUNC_DATETIME_INT_H

#include "func/func_int.h"

#define DT_NANOS_PER_SEC INT64_C(1000000000)
#define DT_SECS_PER_DAY INT64_C(86400)
#define DT_NANOS_PER_DAY (DT_SECS_PER_DAY * DT_NANOS_PER_SEC)

#define DT_UNUSED(x) (void)(x)
#define DT_INVOKE_ARGS                                                                             \
    func_call_ctx *ctx, int n_args, const func_datum *args, int64_t n_rows,                        \
        arrow_type *return_type, func_datum *out, qv_error *err

/* ---- calendar (datetime_util.c) ---- */

int64_t dt_floor_div(int64_t a, int64_t b);
int64_t dt_floor_mod(int64_t a, int64_t b);
/* Days since 1970-01-01 of a civil date (any month/day within range). */
int64_t dt_days_from_civil(int64_t year, int month, int day);
void dt_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
int dt_month_days(int64_t year, int month);
bool dt_valid_ymd(int64_t year, int month, int day);
/* 0 = Sunday .. 6 = Saturday. */
int dt_weekday(int64_t days);
/* 1 (1 for Second) .. 1e9 (Nanosecond). */
int64_t dt_unit_per_second(arrow_time_unit unit);

/* A value of a timestamp / time of `unit` split into floor seconds and the
 * nanoseconds past them (0 .. 1e9). */
void dt_split(int64_t value, arrow_time_unit unit, int64_t *secs, int32_t *nanos);
/* secs + nanos back to a value of `unit` (sub-unit nanoseconds are
 * truncated); false on overflow. */
bool dt_join(int64_t secs, int32_t nanos, arrow_time_unit unit, int64_t *out);

/* Adds months to a civil date as chrono's checked_add_months does (the day
 * is clamped to the month's length). false past chrono's year range. */
bool dt_add_months(int64_t days, int64_t months, int64_t *out);

/* ---- time zones (datetime_util.c) ---- */

/* Checks a time zone name; QV_CAST "Arrow error: Parser error: Invalid
 * timezone \"X\": failed to parse timezone" when it is unknown. */
qv_status dt_tz_check(const char *tz, qv_error *err);
/* UTC offset (seconds east) of tz at UTC instant utc_secs. */
qv_status dt_tz_offset(const char *tz, int64_t utc_secs, int32_t *offset, qv_error *err);
/* The UTC instants whose local time in tz is local_secs: *n = 0 (the local
 * time falls in a gap), 1, or 2 (ambiguous; utc[0] < utc[1]). */
qv_status dt_tz_local_to_utc(const char *tz, int64_t local_secs, int *n, int64_t utc[2],
                             qv_error *err);
/* Local seconds of a UTC instant (tz NULL: UTC). */
qv_status dt_tz_to_local(const char *tz, int64_t utc_secs, int64_t *local, qv_error *err);

/* ---- string parsing (datetime_parse.c) ---- */

/* arrow-rs string_to_datetime: "YYYY-MM-DD", or date, 'T' / 't' / ' ', time
 * (HH:MM:SS[.fraction] or HHMMSS), then nothing, 'Z', or a time zone (fixed
 * offset or IANA name). Strings without a zone are local time in tz (NULL:
 * UTC). *secs / *nanos: the UTC instant. QV_CAST with arrow-rs's "Arrow
 * error: Parser error: Error parsing timestamp from '...': ..." texts. */
qv_status dt_parse_timestamp(const uint8_t *p, int64_t len, const char *tz, int64_t *secs,
                             int32_t *nanos, qv_error *err);
/* arrow-rs string_to_time: H[H]:MM[:SS[.fraction]] with an optional " AM"
 * / " PM"; false when it does not parse. *nanos: since midnight. */
bool dt_parse_time(const uint8_t *p, int64_t len, int64_t *nanos);
/* arrow-rs parse_interval_month_day_nano ("1 day 2 hours", "-1.5 months",
 * bare numbers are seconds). QV_CAST with arrow-rs's texts. */
qv_status dt_parse_interval(const uint8_t *p, int64_t len, int32_t *months, int32_t *days,
                            int64_t *nanos, qv_error *err);

/* ---- chrono formats (datetime_format.c, datetime_strptime.c) ---- */

/* Broken-down date and time for formatting. */
typedef struct dt_tm {
    bool has_date, has_time, has_offset;
    int64_t year;
    int month, day;
    int hour, minute, second;
    int32_t nanos;
    int32_t offset;      /* seconds east of UTC, when has_offset */
    const char *tz_name; /* %Z; may be NULL */
    int64_t epoch_secs;  /* %s */
} dt_tm;

/* English month and day names (January.., Sunday..). */
extern const char *const dt_month_names[12];
extern const char *const dt_day_names[7];

/* Appends tm formatted with chrono's strftime syntax. false on an unknown or
 * inapplicable specifier (arrow-rs reports "Cast error: Format error"). */
bool dt_format(const dt_tm *tm, const uint8_t *fmt, int64_t fmt_len, base_strbuf *sb);

/* Parses s with a chrono format as DataFusion's string_to_datetime_formatted
 * does; strings without an offset are UTC. On failure *why is chrono's
 * ParseError text ("input contains invalid characters", "trailing input"...). */
bool dt_parse_formatted(const uint8_t *s, int64_t s_len, const uint8_t *fmt, int64_t fmt_len,
                        int64_t *secs, int32_t *nanos, const char **why);
/* The same for a time of day only (to_time with formats). */
bool dt_parse_formatted_time(const uint8_t *s, int64_t s_len, const uint8_t *fmt, int64_t fmt_len,
                             int64_t *nanos, const char **why);

/* ---- shared by the date / time function files ---- */

/* Converts a string datum to Timestamp(unit, NULL) values as to_timestamp
 * does: formats (may be 0) are tried in order; QV_EXECUTION / QV_CAST texts
 * as DataFusion's. (datetime_funcs.c) */
qv_status dt_strings_to_timestamp(const func_datum *value, int n_formats, const func_datum *formats,
                                  int64_t n_rows, arrow_time_unit unit, arrow_type *type,
                                  func_datum *out, qv_error *err);

/* Like func_fixed_begin, but the row count comes from all n_all arguments
 * and the validity from the first n_valid only. (datetime_util.c) */
qv_status dt_fixed_begin(int n_all, const func_datum *args, int n_valid, int64_t n_rows,
                         arrow_type *type, func_fixed_out *fo, qv_error *err);
static inline bool dt_fo_valid(const func_fixed_out *fo, int64_t i)
{
    return fo->validity == NULL || arrow_bit_get(fo->validity->data, i);
}
/* Row i (row 0 of scalars) of a 64-bit / 32-bit fixed-width datum. */
static inline int64_t dt_i64_at(const func_datum *d, int64_t i)
{
    int64_t v;
    memcpy(&v, arrow_array_values(d->array) + 8 * (d->array->offset + (d->is_scalar ? 0 : i)), 8);
    return v;
}
static inline int32_t dt_i32_at(const func_datum *d, int64_t i)
{
    int32_t v;
    memcpy(&v, arrow_array_values(d->array) + 4 * (d->array->offset + (d->is_scalar ? 0 : i)), 4);
    return v;
}

/* Casts arg to `to` (new datum in *out), for kernels that accept several
 * input types. */
qv_status dt_cast_to(const func_datum *arg, arrow_type *to, int64_t n_rows, func_datum *out,
                     qv_error *err);

#endif /* QV_FUNC_DATETIME_INT_H */
