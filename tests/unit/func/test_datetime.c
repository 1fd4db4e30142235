/*
 * test_datetime.c — the date / time functions: now and friends,
 * to_timestamp family, to_date / to_time / to_unixtime / from_unixtime,
 * make_date / make_time, to_local_time, date_trunc, date_bin, date_part,
 * to_char. Expected values come from DataFusion's
 * sqllogictest/test_files/datetime/timestamps.slt where it has them.
 */
#include "dt_test_util.h"
#include "test.h"

#define STRS(...) t_arr(STR(__VA_ARGS__))

TEST(dt_now_current)
{
    CHECK_STR_EQ(d_call("now", NULL, 0, NULL, 3), "Timestamp(ns) S[2023-11-14T22:13:20]");
    CHECK_STR_EQ(d_call("current_timestamp", "+08", 0, NULL, 3),
                 "Timestamp(ns, \"+08\") S[2023-11-15T06:13:20+08:00]");
    CHECK_STR_EQ(d_call("current_date", NULL, 0, NULL, 3), "Date32 S[2023-11-14]");
    CHECK_STR_EQ(d_call("today", "+05:00", 0, NULL, 3), "Date32 S[2023-11-15]");
    CHECK_STR_EQ(d_call("current_date", "America/New_York", 0, NULL, 3), "Date32 S[2023-11-14]");
    CHECK_STR_EQ(d_call("current_time", NULL, 0, NULL, 3), "Time64(ns) S[22:13:20]");
    CHECK_STR_EQ(d_call("current_time", "-08:00", 0, NULL, 3), "Time64(ns) S[14:13:20]");
}

TEST(dt_to_timestamp_strings)
{
    CHECK_STR_EQ(DCALL1("to_timestamp", d_s("2020-09-08T12:00:00+00:00"), 1),
                 "Timestamp(ns) S[2020-09-08T12:00:00]");
    CHECK_STR_EQ(
        DCALL1("to_timestamp_millis",
               STRS("2020-09-08T12:00:00.123456Z", NULL, "2020-09-08 13:42:29 Asia/Kolkata"), 3),
        "Timestamp(ms) [2020-09-08T12:00:00.123, NULL, 2020-09-08T08:12:29]");
    CHECK_STR_EQ(DCALL1("to_timestamp", d_s("-1"), 1),
                 "ERR: Arrow error: Parser error: Error parsing timestamp from '-1': timestamp "
                 "must contain at least 10 characters");
    CHECK_STR_EQ(DCALL1("to_timestamp", d_s("I AM NOT A TIMESTAMP"), 1),
                 "ERR: Arrow error: Parser error: Error parsing timestamp from 'I AM NOT A "
                 "TIMESTAMP': error parsing date");
    CHECK_STR_EQ(DCALL1("to_timestamp", d_s("2023-12-05T21:58:10.45ZZ"), 1),
                 "ERR: Arrow error: Parser error: Invalid timezone \"ZZ\": failed to parse "
                 "timezone");
    CHECK_STR_EQ(DCALL1("to_timestamp_seconds", d_s("2020-09-08"), 1),
                 "Timestamp(s) S[2020-09-08T00:00:00]");
    /* formats, row by row (ts_utf8_data) */
    func_datum ts = STRS("2020-09-08 12/00/00+00:00", "2031-01-19T23:33:25+05:00",
                         "08-09-2020 12:00:00+00:00", "1926632005", "2000-01-01T01:01:01+07:00");
    func_datum fmt = STRS("%Y-%m-%d %H/%M/%S%#z", "%+", "%d-%m-%Y %H:%M:%S%#z", "%s", "%+");
    CHECK_STR_EQ(DCALL2("to_timestamp", ts, fmt, 5),
                 "Timestamp(ns) [2020-09-08T12:00:00, 2031-01-19T18:33:25, 2020-09-08T12:00:00, "
                 "2031-01-19T23:33:25, 1999-12-31T18:01:01]");
    CHECK_STR_EQ(DCALL3("to_timestamp_nanos", d_s("2020-09-08 12/00/00+00:00"), d_s("%c"),
                        d_s("%Y-%m-%d %H/%M/%S%#z"), 1),
                 "Timestamp(ns) S[2020-09-08T12:00:00]");
    CHECK_STR_EQ(DCALL3("to_timestamp", d_s("2020-09-08 12/00/00+00:00"), d_s("%c"), d_s("%+"), 1),
                 "ERR: Execution error: Error parsing timestamp from '2020-09-08 12/00/00+00:00' "
                 "using format '%+': input contains invalid characters");
    CHECK_STR_EQ(DCALL2("to_timestamp", d_s("2020-09-08 12/00/00+00:00"), d_s("%q"), 1),
                 "ERR: Execution error: Error parsing timestamp from '2020-09-08 12/00/00+00:00' "
                 "using format '%q': trailing input");
    CHECK_STR_EQ(
        DCALL2("to_timestamp", d_s("2023-01-10 12:34:56.000"), d_s("%Y-%m-%d %H:%M:%S%.f"), 1),
        "Timestamp(ns) S[2023-01-10T12:34:56]");
    CHECK_STR_EQ(DCALL2("to_timestamp", d_s("02/03/2021"), d_s("%m/%d/%Y"), 1),
                 "Timestamp(ns) S[2021-02-03T00:00:00]");
}

TEST(dt_to_timestamp_numbers)
{
    CHECK_STR_EQ(DCALL1("to_timestamp", t_arr(I64(0, 1926632005, -1, NUL_I)), 4),
                 "Timestamp(ns) [1970-01-01T00:00:00, 2031-01-19T23:33:25, 1969-12-31T23:59:59, "
                 "NULL]");
    CHECK_STR_EQ(
        DCALL1("to_timestamp", t_arr(F64(1.1, -1.1, 0.0, 1.23456789, 123456789.123456789)), 5),
        "Timestamp(ns) [1970-01-01T00:00:01.100, 1969-12-31T23:59:58.900, "
        "1970-01-01T00:00:00, 1970-01-01T00:00:01.234567890, "
        "1973-11-29T21:33:09.123456784]");
    CHECK_STR_EQ(DCALL1("to_timestamp", t_sca(F32(456.789)), 2),
                 "Timestamp(ns) S[1970-01-01T00:07:36.789001464]");
    CHECK_STR_EQ(DCALL1("to_timestamp", t_sca(t_dec(10, 1, 1, (int64_t[]){15})), 1),
                 "Timestamp(ns) S[1970-01-01T00:00:01.500]");
    CHECK_STR_EQ(DCALL1("to_timestamp_seconds", t_arr(F64(1.9, -1.9)), 2),
                 "Timestamp(s) [1970-01-01T00:00:01, 1969-12-31T23:59:59]");
    CHECK_STR_EQ(DCALL1("to_timestamp_millis", t_arr(F64(1000.9, -1.9)), 2),
                 "Timestamp(ms) [1970-01-01T00:00:01, 1969-12-31T23:59:59.999]");
    CHECK_STR_EQ(DCALL1("to_timestamp_micros", t_sca(I8(100)), 1),
                 "Timestamp(µs) S[1970-01-01T00:00:00.000100]");
    CHECK_STR_EQ(DCALL1("to_timestamp_nanos", t_sca(I32(-1)), 1),
                 "Timestamp(ns) S[1969-12-31T23:59:59.999999999]");
    CHECK_STR_EQ(DCALL1("to_timestamp", t_sca(I64(9223372036)), 1),
                 "Timestamp(ns) S[2262-04-11T23:47:16]");
    const char *r = DCALL1("to_timestamp", t_sca(I64(9223372037)), 1);
    CHECK(strstr(r, "converted value exceeds the representable i64 range") != NULL);
    CHECK_STR_EQ(
        DCALL1("to_timestamp_nanos", t_sca(t_uint64(1, (uint64_t[]){9223372036854775808u})), 1),
        "ERR: Arrow error: Cast error: Can't cast value 9223372036854775808 to type Int64");
    CHECK_STR_EQ(DCALL1("to_timestamp", t_sca(d_null(1)), 1), "Timestamp(ns) S[NULL]");
    /* timestamps keep their zone, change unit */
    CHECK_STR_EQ(
        DCALL1("to_timestamp_millis",
               t_arr(d_ts(QV_UNIT_MICROSECOND, "+05:00", 1, (int64_t[]){1599572549190855})), 1),
        "Timestamp(ms, \"+05:00\") [2020-09-08T18:42:29.190+05:00]");
}

TEST(dt_unixtime_and_make)
{
    CHECK_STR_EQ(DCALL1("to_unixtime", d_s("2020-09-08T12:00:00+00:00"), 1), "Int64 S[1599566400]");
    CHECK_STR_EQ(DCALL1("to_unixtime", t_sca(DATE32(18513)), 1), "Int64 S[1599523200]");
    CHECK_STR_EQ(DCALL1("to_unixtime", t_arr(F64(1599523200.414)), 1), "Int64 [1599523200]");
    CHECK_STR_EQ(DCALL4("to_unixtime", d_s("03:59:00.123456789 05-17-2023"), d_s("%c"), d_s("%+"),
                        d_s("%H:%M:%S%.f %m-%d-%Y"), 1),
                 "Int64 S[1684295940]");
    CHECK_STR_EQ(DCALL1("from_unixtime", t_arr(I64(1599572549, NUL_I)), 2),
                 "Timestamp(s) [2020-09-08T13:42:29, NULL]");
    CHECK_STR_EQ(DCALL2("from_unixtime", t_sca(I64(1599572549)), d_s("America/New_York"), 1),
                 "Timestamp(s, \"America/New_York\") S[2020-09-08T09:42:29-04:00]");
    CHECK_STR_EQ(DCALL2("from_unixtime", t_sca(I64(1)), d_s("Nowhere/Else"), 1),
                 "ERR: Arrow error: Parser error: Invalid timezone \"Nowhere/Else\": failed to "
                 "parse timezone");
    CHECK_STR_EQ(
        DCALL3("make_date", t_sca(I64(2024)), t_arr(I32(1, 11, NUL_I)), t_arr(I32(27, 30, 1)), 3),
        "Date32 [2024-01-27, 2024-11-30, NULL]");
    CHECK_STR_EQ(DCALL3("make_date", d_s("2024"), d_s("01"), d_s("27"), 1), "Date32 S[2024-01-27]");
    CHECK_STR_EQ(DCALL3("make_date", t_sca(I64(10001)), t_sca(I64(1)), t_sca(I64(27)), 1),
                 "Date32 S[+10001-01-27]");
    CHECK_STR_EQ(DCALL3("make_date", t_sca(I64(2024)), t_sca(I64(13)), t_sca(I64(-1)), 1),
                 "ERR: Execution error: Month value '13' is out of range");
    CHECK_STR_EQ(DCALL3("make_date", t_sca(I64(2024)), t_sca(I64(1)), t_sca(I64(32)), 1),
                 "ERR: Execution error: Day value '32' is out of range");
    CHECK_STR_EQ(DCALL3("make_date", t_sca(I64(2024)), t_sca(I64(11)), t_sca(I64(31)), 1),
                 "ERR: Execution error: Unable to parse date from 2024, 11, 31");
    CHECK_STR_EQ(DCALL3("make_date", d_s(""), t_sca(I64(1)), t_sca(I64(23)), 1),
                 "ERR: Arrow error: Cast error: Cannot cast string '' to value of Int32 type");
    CHECK_STR_EQ(DCALL3("make_time", t_sca(I64(22)), t_sca(I64(1)), t_sca(I64(27)), 1),
                 "Time32(s) S[22:01:27]");
    CHECK_STR_EQ(DCALL3("make_time", t_sca(I64(26)), t_sca(I64(13)), t_sca(I64(23)), 1),
                 "ERR: Execution error: Hour value '26' is out of range");
    CHECK_STR_EQ(DCALL3("make_time", t_sca(I64(22)), t_sca(I64(1)), t_sca(I64(62)), 1),
                 "ERR: Execution error: Second value '62' is out of range");
}

TEST(dt_to_date_time_local)
{
    CHECK_STR_EQ(DCALL1("to_date", STRS("2023-07-20", NULL), 2), "Date32 [2023-07-20, NULL]");
    CHECK_STR_EQ(DCALL2("to_date", d_s("20/07/2023"), d_s("%d/%m/%Y"), 1), "Date32 S[2023-07-20]");
    CHECK_STR_EQ(DCALL1("to_date", t_sca(I64(19000)), 1), "Date32 S[2022-01-08]");
    CHECK_STR_EQ(
        DCALL1("to_time", STRS("12:30:45", "12:30:45.123456789", "14:30", "02:30:45 PM"), 4),
        "Time64(ns) [12:30:45, 12:30:45.123456789, 14:30:00, 14:30:45]");
    CHECK_STR_EQ(DCALL1("to_time", d_s("25:00:00"), 1),
                 "ERR: Execution error: Error parsing '25:00:00' as time");
    CHECK_STR_EQ(DCALL2("to_time", d_s("02:30:45 PM"), d_s("%I:%M:%S %p"), 1),
                 "Time64(ns) S[14:30:45]");
    CHECK_STR_EQ(DCALL1("to_time",
                        t_arr(d_ts(QV_UNIT_NANOSECOND, "America/Los_Angeles", 1,
                                   (int64_t[]){1710951330000000000})),
                        1),
                 "Time64(ns) [09:15:30]");
    /* 2024-04-01T00:00:20+02:00 in Brussels */
    CHECK_STR_EQ(DCALL1("to_local_time",
                        t_arr(d_ts(QV_UNIT_NANOSECOND, "Europe/Brussels", 2,
                                   (int64_t[]){1711922420000000000, NUL_I})),
                        2),
                 "Timestamp(ns) [2024-04-01T00:00:20, NULL]");
}

TEST(dt_date_trunc)
{
    func_datum ts = t_sca(TS_NS(1659537530000000000)); /* 2022-08-03T14:38:50 */
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("WEEK"), ts, 1), "Timestamp(ns) S[2022-08-01T00:00:00]");
    ts = t_arr(TS_NS(1659537530000000000, NUL_I, -2445382860000000000, 1735688341123456789));
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("quarter"), ts, 4),
                 "Timestamp(ns) [2022-07-01T00:00:00, NULL, 1892-07-01T00:00:00, "
                 "2024-10-01T00:00:00]");
    ts = t_arr(t_slice(TS_NS(0, 1735688341123456789, 0), 1, 1));
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("millisecond"), ts, 1),
                 "Timestamp(ns) [2024-12-31T23:39:01.123]");
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("week"), t_sca(TS_NS(0)), 1),
                 "Timestamp(ns) S[1969-12-29T00:00:00]");
    /* Berlin, across the end of DST: the hour repeats */
    ts = t_arr(d_ts(QV_UNIT_NANOSECOND, "Europe/Berlin", 2,
                    (int64_t[]){1729989000000000000, 1729992600000000000}));
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("hour"), ts, 2),
                 "Timestamp(ns, \"Europe/Berlin\") [2024-10-27T02:00:00+02:00, "
                 "2024-10-27T02:00:00+01:00]");
    ts = t_arr(d_ts(QV_UNIT_NANOSECOND, "Europe/Berlin", 1, (int64_t[]){1729992600000000000}));
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("day"), ts, 1),
                 "Timestamp(ns, \"Europe/Berlin\") [2024-10-27T00:00:00+02:00]");
    /* Sao Paulo 2018-11-04 has no midnight */
    ts = t_arr(d_ts(QV_UNIT_NANOSECOND, "America/Sao_Paulo", 1, (int64_t[]){1541300400000000000}));
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("day"), ts, 1),
                 "Timestamp(ns, \"America/Sao_Paulo\") [2018-11-04T01:00:00-02:00]");
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("minute"),
                        t_sca(d_ts(QV_UNIT_SECOND, NULL, 1, (int64_t[]){61})), 1),
                 "Timestamp(s) S[1970-01-01T00:01:00]");
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("hour"),
                        t_sca(d_ts(QV_UNIT_SECOND, NULL, 1, (int64_t[]){INT64_MAX})), 1),
                 "ERR: Execution error: Timestamp 9223372036854775807 out of range");
    CHECK_STR_EQ(
        DCALL2("date_trunc", d_s("second"), t_arr(d_time64(1, (int64_t[]){52245123456789})), 1),
        "Time64(ns) [14:30:45]");
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("day"), t_arr(d_time64(1, (int64_t[]){1})), 1),
                 "ERR: Execution error: date_trunc does not support 'day' granularity for Time "
                 "types");
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("fortnight"), t_sca(TS_NS(0)), 1),
                 "ERR: Execution error: Unsupported date_trunc granularity: fortnight");
    CHECK_STR_EQ(DCALL2("date_trunc", d_s("year"), t_sca(d_null(1)), 1), "Timestamp(ns) S[NULL]");
}

TEST(dt_date_bin)
{
    func_datum stride = t_sca(d_interval(0, 0, INT64_C(900000000000))); /* 15 minutes */
    CHECK_STR_EQ(DCALL3("date_bin", stride, t_sca(TS_NS(1659537530000000000)), t_sca(TS_NS(0)), 1),
                 "Timestamp(ns) S[2022-08-03T14:30:00]");
    CHECK_STR_EQ(
        DCALL2("date_bin", t_sca(d_interval(0, 7, 0)), t_arr(TS_NS(1659537530000000000)), 1),
        "Timestamp(ns) [2022-07-28T00:00:00]");
    CHECK_STR_EQ(DCALL3("date_bin", t_sca(d_interval(1, 0, 0)),
                        t_arr(TS_NS(1640995200000000000, 1648684800000000000, NUL_I)),
                        t_sca(TS_NS(31450500000000000)), 3),
                 "Timestamp(ns) [2021-12-31T00:15:00, 2022-02-28T00:15:00, NULL]");
    CHECK_STR_EQ(DCALL3("date_bin", t_sca(d_interval(1, 0, 0)), t_sca(TS_NS(949276800000000000)),
                        t_sca(TS_NS(951782400000000000)), 1),
                 "Timestamp(ns) S[2000-01-29T00:00:00]");
    CHECK_STR_EQ(DCALL2("date_bin", t_sca(d_interval(0, 0, 0)), t_sca(TS_NS(0)), 1),
                 "ERR: Execution error: DATE_BIN stride must be non-zero");
    CHECK_STR_EQ(DCALL2("date_bin", t_sca(d_interval(1, 0, 5)), t_sca(TS_NS(0)), 1),
                 "ERR: This feature is not implemented: DATE_BIN stride does not support "
                 "combination of month, day and nanosecond intervals");
    CHECK_STR_EQ(DCALL3("date_bin", t_sca(d_interval(0, 0, 1)), t_sca(TS_NS(INT64_MAX)),
                        t_sca(TS_NS(INT64_MIN)), 1),
                 "Timestamp(ns) S[NULL]");
    /* date_bin_errors.slt: overflowing month bins are NULL; origin 1984-01-07 */
    CHECK_STR_EQ(DCALL3("date_bin", t_sca(d_interval(1637426858, 0, 0)),
                        t_sca(d_ts(QV_UNIT_MILLISECOND, NULL, 1, (int64_t[]){1040292460})),
                        t_sca(TS_NS(INT64_C(442281600000000000))), 1),
                 "Timestamp(ms) S[NULL]");
    CHECK_STR_EQ(DCALL3("date_bin", t_sca(d_interval(1, 0, 0)),
                        t_arr(d_ts(QV_UNIT_MILLISECOND, NULL, 1, (int64_t[]){-1040292460})),
                        t_sca(TS_NS(INT64_C(442281600000000000))), 1),
                 "Timestamp(ms) [1969-12-07T00:00:00]");
    CHECK_STR_EQ(DCALL3("date_bin", t_sca(d_interval(0, 0, INT64_C(900000000000))),
                        t_arr(d_time64(1, (int64_t[]){52730000000000})),
                        t_sca(d_time64(1, (int64_t[]){300000000000})), 1),
                 "Time64(ns) [14:35:00]");
    CHECK_STR_EQ(
        DCALL2("date_bin", t_sca(d_interval(0, 7, 0)), t_arr(d_time64(1, (int64_t[]){0})), 1),
        "ERR: Execution error: DATE_BIN stride for TIME input must be less than 1 day");
    CHECK_STR_EQ(
        DCALL3("date_bin", t_sca(d_interval(0, 1, 0)), t_arr(TS_NS(0)), t_arr(TS_NS(0)), 1),
        "ERR: This feature is not implemented: DATE_BIN only supports literal values "
        "for the origin argument, not arrays");
}

TEST(dt_date_part)
{
    /* 2000-01-01T01:01:01Z seen in +07:00 */
    func_datum ts = t_sca(d_ts(QV_UNIT_NANOSECOND, "+07:00", 1, (int64_t[]){946688461000000000}));
    CHECK_STR_EQ(DCALL2("date_part", d_s("hour"), ts, 1), "Int32 S[8]");
    ts = t_arr(TS_NS(1599572549190855123, NUL_I));
    CHECK_STR_EQ(DCALL2("date_part", d_s("millisecond"), ts, 2), "Int32 [29190, NULL]");
    CHECK_STR_EQ(DCALL2("datepart", d_s("epoch"), t_arr(TS_NS(1500000000)), 1), "Float64 [1.5]");
    CHECK_STR_EQ(DCALL2("date_part", d_s("dow"), t_sca(DATE32(19723)), 1), "Int32 S[1]");
    CHECK_STR_EQ(DCALL2("date_part", d_s("week"), t_sca(DATE32(10957)), 1), "Int32 S[52]");
    CHECK_STR_EQ(DCALL2("date_part", d_s("'quarter'"), t_sca(DATE32(8796)), 1), "Int32 S[1]");
    CHECK_STR_EQ(DCALL2("date_part", d_s("nanosecond"), t_sca(DATE32(0)), 1),
                 "ERR: This feature is not implemented: Date part Nanosecond not supported");
    CHECK_STR_EQ(DCALL2("date_part", d_s("century"), t_sca(DATE32(0)), 1),
                 "ERR: Execution error: Date part 'century' not supported");
    CHECK_STR_EQ(DCALL2("date_part", d_s("day"), t_sca(d_interval(14, 3, 0)), 1), "Int32 S[3]");
}

TEST(dt_to_char)
{
    CHECK_STR_EQ(DCALL2("to_char", t_arr(DATE32(10957, NUL_I)), d_s("%d:%m:%Y"), 2),
                 "Utf8 [01:01:2000, NULL]");
    CHECK_STR_EQ(DCALL2("date_format", t_sca(DATE32(10990)), d_s("%Y:%d:%m %H-%M-%S"), 1),
                 "Utf8 S[2000:03:02 00-00-00]");
    CHECK_STR_EQ(
        DCALL2("to_char", t_arr(d_time64(1, (int64_t[]){12344567890000})), d_s("%H-%M-%S %f"), 1),
        "Utf8 [03-25-44 567890000]");
    CHECK_STR_EQ(DCALL2("to_char", t_sca(d_ts(QV_UNIT_SECOND, "UTC", 1, (int64_t[]){1693785600})),
                        d_s("%Y-%m-%dT%H:%M:%S%.3f %:z"), 1),
                 "Utf8 S[2023-09-04T00:00:00.000 +00:00]");
    CHECK_STR_EQ(DCALL2("to_char", t_sca(DATE32(10990)), d_s("%X%K"), 1),
                 "ERR: Arrow error: Cast error: Format error");
    CHECK_STR_EQ(DCALL2("to_char", t_arr(TS_NS(0, 1)), t_arr(STR(NULL, "%s %A %B %j")), 2),
                 "Utf8 [NULL, 0 Thursday January 001]");
    arrow_type *dur;
    qv_error err;
    CHECK_OK(arrow_type_duration(QV_UNIT_SECOND, &dur, &err));
    CHECK_STR_EQ(DCALL2("to_char", t_sca(d_typed(arrow_type_retain(dur), 1, (int64_t[]){123456})),
                        d_s("pretty"), 1),
                 "Utf8 S[1 days 10 hours 17 mins 36 secs]");
    CHECK_STR_EQ(DCALL2("to_char", t_sca(d_typed(dur, 1, (int64_t[]){123456})), d_s("iso8601"), 1),
                 "Utf8 S[PT123456S]");
}
