/*
 * test_datetime_cast.c — temporal casts (strings to timestamps, times and
 * intervals, numbers to and from temporal types, naive to zoned timestamps)
 * and func_temporal_arith. Expected values from DataFusion's the datetime slt files.
 */
#include <stdio.h>

#include "dt_test_util.h"
#include "test.h"

static char buf[4096];

static const char *cast(func_datum a, arrow_type *to, bool safe)
{
    qv_error err;
    func_datum out;
    qv_status st = func_cast(&a, to, safe, a.is_scalar ? 3 : a.array->length, &out, &err);
    if (st != QV_OK) {
        snprintf(buf, sizeof buf, "ERR %s", err.message);
    } else {
        char vals[2048];
        snprintf(vals, sizeof vals, "%s", t_fmt(&out));
        snprintf(buf, sizeof buf, "%s %s", t_type(&out), vals);
        func_datum_release(&out);
    }
    func_datum_release(&a);
    arrow_type_release(to);
    return buf;
}

static arrow_type *ts_type(arrow_time_unit unit, const char *tz)
{
    arrow_type *t = NULL;
    qv_error err;
    (void)arrow_type_timestamp(unit, tz, &t, &err);
    return t;
}

static arrow_type *time_type(arrow_type_id id, arrow_time_unit unit)
{
    arrow_type *t = NULL;
    qv_error err;
    (void)arrow_type_time(id, unit, &t, &err);
    return t;
}

static const char *arith(func_arith_op op, func_datum l, func_datum r)
{
    qv_error err;
    func_datum out;
    int64_t n = l.is_scalar ? (r.is_scalar ? 1 : r.array->length) : l.array->length;
    qv_status st = func_temporal_arith(op, &l, &r, n, &out, &err);
    if (st != QV_OK) {
        snprintf(buf, sizeof buf, "ERR %s", err.message);
    } else {
        char vals[2048];
        snprintf(vals, sizeof vals, "%s", t_fmt(&out));
        snprintf(buf, sizeof buf, "%s %s", t_type(&out), vals);
        func_datum_release(&out);
    }
    func_datum_release(&l);
    func_datum_release(&r);
    return buf;
}

TEST(dtcast_strings_to_timestamps)
{
    CHECK_STR_EQ(cast(t_arr(STR("2020-09-08T13:42:29.190855123Z", "2022-01-01 01:10:00+01",
                                "2022-01-01 01:10:00 Australia/Sydney", NULL, "2000-01-01")),
                      ts_type(QV_UNIT_NANOSECOND, NULL), false),
                 "Timestamp(ns) [2020-09-08T13:42:29.190855123, 2022-01-01T00:10:00, "
                 "2021-12-31T14:10:00, NULL, 2000-01-01T00:00:00]");
    CHECK_STR_EQ(cast(t_arr(STR("2000-12-01 04:04:12", "2000-12-01T04:04:12-05:00")),
                      ts_type(QV_UNIT_NANOSECOND, "America/New_York"), false),
                 "Timestamp(ns, \"America/New_York\") [2000-12-01T04:04:12-05:00, "
                 "2000-12-01T04:04:12-05:00]");
    CHECK_STR_EQ(cast(t_arr(STR("2023-03-12 02:00:00 America/Los_Angeles")),
                      ts_type(QV_UNIT_NANOSECOND, NULL), false),
                 "ERR Arrow error: Parser error: Error parsing timestamp from '2023-03-12 "
                 "02:00:00 America/Los_Angeles': error computing timezone offset");
    CHECK_STR_EQ(cast(t_arr(STR("2022-01-01 01:10:00 AEST")), ts_type(QV_UNIT_SECOND, NULL), false),
                 "ERR Arrow error: Parser error: Invalid timezone \"AEST\": failed to parse "
                 "timezone");
    CHECK_STR_EQ(cast(t_arr(STR("2022-01-01T01:10", "x")), ts_type(QV_UNIT_SECOND, NULL), true),
                 "Timestamp(s) [NULL, NULL]");
    CHECK_STR_EQ(
        cast(t_sca(STR("2020-09-08T12:00:00.5Z")), ts_type(QV_UNIT_MILLISECOND, "+05:30"), false),
        "Timestamp(ms, \"+05:30\") S[2020-09-08T17:30:00.500+05:30]");
}

TEST(dtcast_strings_to_times_intervals)
{
    CHECK_STR_EQ(cast(t_arr(STR("08:09:10.123456789", "13:14:15", "1:02", NULL)),
                      time_type(QV_TYPE_TIME64, QV_UNIT_NANOSECOND), false),
                 "Time64(ns) [08:09:10.123456789, 13:14:15, 01:02:00, NULL]");
    CHECK_STR_EQ(cast(t_arr(STR("24:01:02")), time_type(QV_TYPE_TIME64, QV_UNIT_NANOSECOND), false),
                 "ERR Arrow error: Cast error: Cannot cast string '24:01:02' to value of "
                 "Time64(ns) type");
    CHECK_STR_EQ(cast(t_arr(STR("13:14:15.9")), time_type(QV_TYPE_TIME32, QV_UNIT_SECOND), false),
                 "Time32(s) [13:14:15]");
    arrow_type *iv = arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO);
    CHECK_STR_EQ(cast(t_arr(STR("15 minutes", "1 day 3 hours", "2 months", "1.5 days",
                                "-1 year 2 mons", "0.000000010 seconds", "10")),
                      iv, false),
                 "Interval(MonthDayNano) [15 mins, 1 days 3 hours, 2 mons, 1 days 12 hours, "
                 "-10 mons, 0.000000010 secs, 10.000000000 secs]");
    CHECK_STR_EQ(cast(t_arr(STR("1 fortnight")), iv, false),
                 "ERR Arrow error: Parser error: Invalid input syntax for type interval: \"1 "
                 "fortnight\"");
}

TEST(dtcast_numbers_and_zones)
{
    CHECK_STR_EQ(cast(t_arr(F64(1.1, -1.1)), ts_type(QV_UNIT_NANOSECOND, NULL), false),
                 "Timestamp(ns) [1970-01-01T00:00:00.000000001, 1969-12-31T23:59:59.999999999]");
    CHECK_STR_EQ(
        cast(t_arr(t_dec(17, 3, 1, (int64_t[]){1123})), ts_type(QV_UNIT_SECOND, NULL), false),
        "Timestamp(s) [1970-01-01T00:00:01]");
    CHECK_STR_EQ(
        cast(t_arr(TS_NS(1599572549190855123)), arrow_type_primitive(QV_TYPE_INT64), false),
        "Int64 [1599572549190855123]");
    CHECK_STR_EQ(cast(t_sca(I64(0)), time_type(QV_TYPE_TIME64, QV_UNIT_NANOSECOND), false),
                 "Time64(ns) S[00:00:00]");
    CHECK(!func_can_cast(arrow_type_primitive(QV_TYPE_DATE32), arrow_type_primitive(QV_TYPE_INT8)));
    /* naive -> zoned keeps the wall time; zoned -> date / time is local */
    CHECK_STR_EQ(cast(t_arr(TS_NS(1711756820000000000)),
                      ts_type(QV_UNIT_NANOSECOND, "Europe/Brussels"), false),
                 "Timestamp(ns, \"Europe/Brussels\") [2024-03-30T00:00:20+01:00]");
    CHECK_STR_EQ(
        cast(t_arr(d_ts(QV_UNIT_NANOSECOND, "+05:00", 1, (int64_t[]){1700000000000000000})),
             arrow_type_primitive(QV_TYPE_DATE32), false),
        "Date32 [2023-11-15]");
    CHECK_STR_EQ(cast(t_arr(TS_NS(1700000000123000000)),
                      time_type(QV_TYPE_TIME64, QV_UNIT_NANOSECOND), false),
                 "Time64(ns) [22:13:20.123]");
    CHECK_STR_EQ(cast(t_arr(d_ts(QV_UNIT_NANOSECOND, NULL, 1, (int64_t[]){1678586400000000000})),
                      ts_type(QV_UNIT_NANOSECOND, "America/Los_Angeles"), false),
                 "ERR Arrow error: Cast error: Cannot cast timezone to different timezone");
}

TEST(dtarith_dates_timestamps)
{
    /* 1994-01-31 + 1 month, 2001-09-28 - 25 hours */
    CHECK_STR_EQ(arith(FUNC_ADD, t_arr(DATE32(8796)), t_sca(d_interval(1, 0, 0))),
                 "Date32 [1994-02-28]");
    CHECK_STR_EQ(arith(FUNC_SUB, t_arr(DATE32(11593, NUL_I)),
                       t_sca(d_interval(0, 0, INT64_C(90000000000000)))),
                 "Date32 [2001-09-27, NULL]");
    CHECK_STR_EQ(
        arith(FUNC_ADD, t_sca(d_interval(0, 0, INT64_C(3600000000000))), t_sca(DATE32(11593))),
        "Date32 S[2001-09-28]");
    CHECK_STR_EQ(arith(FUNC_SUB, t_sca(DATE32(11596)), t_sca(DATE32(11593))), "Int64 S[3]");
    CHECK_STR_EQ(arith(FUNC_ADD, t_sca(DATE32(0)), t_sca(d_interval(999999 * 12, 0, 0))),
                 "ERR Arrow error: Compute error: Date arithmetic overflow");
    /* ts - ts */
    CHECK_STR_EQ(
        arith(FUNC_SUB, t_arr(TS_NS(1001732400000000000)), t_arr(TS_NS(996235200000000000))),
        "Duration(ns) [63 days 15 hours 0 mins 0.000000000 secs]");
    CHECK_STR_EQ(arith(FUNC_SUB,
                       t_sca(d_ts(QV_UNIT_MILLISECOND, NULL, 1, (int64_t[]){1704067200123})),
                       t_sca(d_ts(QV_UNIT_SECOND, NULL, 1, (int64_t[]){1704067200}))),
                 "Duration(ms) S[0 days 0 hours 0 mins 0.123 secs]");
    /* ts +- interval, zoned month arithmetic */
    CHECK_STR_EQ(arith(FUNC_ADD, t_arr(TS_NS(1530424800000000000)), t_sca(d_interval(17, 0, 0))),
                 "Timestamp(ns) [2019-12-01T06:00:00]");
    CHECK_STR_EQ(
        arith(FUNC_SUB, t_arr(TS_NS(1530424800000000000)), t_sca(d_interval(0, 0, 8000000))),
        "Timestamp(ns) [2018-07-01T05:59:59.992]");
    CHECK_STR_EQ(arith(FUNC_ADD, t_sca(d_interval(0, 1, 7)), t_arr(TS_NS(1057887075000123456))),
                 "Timestamp(ns) [2003-07-12T01:31:15.000123463]");
    CHECK_STR_EQ(arith(FUNC_ADD,
                       t_arr(d_ts(QV_UNIT_SECOND, "Europe/Berlin", 1, (int64_t[]){1711843200})),
                       t_sca(d_interval(0, 1, 0))),
                 "Timestamp(s, \"Europe/Berlin\") [2024-04-01T01:00:00+02:00]");
    CHECK_STR_EQ(arith(FUNC_ADD, t_sca(TS_NS(0)), t_sca(TS_NS(0))),
                 "ERR Error during planning: Cannot get result type for temporal operation "
                 "Timestamp(ns) + Timestamp(ns): Invalid argument error: Invalid timestamp "
                 "arithmetic operation: Timestamp(ns) + Timestamp(ns)");
}

TEST(dtarith_intervals_times)
{
    CHECK_STR_EQ(arith(FUNC_ADD, t_sca(d_interval(0, 1, 0)),
                       t_sca(d_interval(0, 0, INT64_C(3600000000000)))),
                 "Interval(MonthDayNano) S[1 days 1 hours]");
    CHECK_STR_EQ(arith(FUNC_SUB, t_sca(d_interval(0, 1, 0)),
                       t_sca(d_interval(0, 0, INT64_C(3600000000000)))),
                 "Interval(MonthDayNano) S[1 days -1 hours]");
    CHECK_STR_EQ(arith(FUNC_SUB, t_arr(d_time64(1, (int64_t[]){INT64_C(18000000000000)})),
                       t_arr(d_time64(1, (int64_t[]){INT64_C(10800000000000)}))),
                 "Interval(MonthDayNano) [2 hours]");
    CHECK_STR_EQ(arith(FUNC_MUL, t_sca(d_interval(0, 0, 1)), t_sca(d_interval(0, 0, 1))),
                 "ERR Error during planning: Invalid interval arithmetic operation: "
                 "Interval(MonthDayNano) * Interval(MonthDayNano)");
}
