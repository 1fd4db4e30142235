/*
 * test_range.c — range and generate_series through the registry: integer
 * bounds at the ends of Int64, zero steps, NULL arguments, dates stepped by
 * months and days, timestamps stepped by time, coercion and errors.
 */
#include "array_test_util.h"
#include "test.h"

TEST(integer_ranges)
{
    CHECK_STR_EQ(TCALL("range", 1, tsca(ta("Int64", "[5]"))), "S List(Int64) [0, 1, 2, 3, 4]");
    CHECK_STR_EQ(TCALL("generate_series", 1, tsca(ta("Int64", "[2]")), tsca(ta("Int64", "[5]"))),
                 "S List(Int64) [2, 3, 4, 5]");
    CHECK_STR_EQ(TCALL("range", 3, tarr(ta("Int64", "[2, 10, 1]")),
                       tarr(ta("Int64", "[10, 2, NULL]")), tarr(ta("Int64", "[3, -3, 1]"))),
                 "List(Int64) [2, 5, 8]; [10, 7, 4]; NULL");
    CHECK_STR_EQ(TCALL("range", 1, tsca(ta("Int64", "[-9223372036854775808]")),
                       tsca(ta("Int64", "[9223372036854775807]")),
                       tsca(ta("Int64", "[9223372036854775807]"))),
                 "S List(Int64) [-9223372036854775808, -1, 9223372036854775806]");
    CHECK_STR_EQ(TCALL("generate_series", 1, tsca(ta("Int64", "[0]")),
                       tsca(ta("Int64", "[-9223372036854775807]")),
                       tsca(ta("Int64", "[-9223372036854775807]"))),
                 "S List(Int64) [0, -9223372036854775807]");
    CHECK_STR_EQ(TCALL("range", 1, tsca(ta("Int64", "[1]")), tsca(ta("Int64", "[1]")),
                       tsca(ta("Int64", "[0]"))),
                 "ERR: Execution error: step can't be 0 for function range(start [, stop, "
                 "step])");
    CHECK_STR_EQ(TCALL("generate_series", 1, tsca(ta("Int64", "[0]")),
                       tsca(ta("Int64", "[9223372036854775807]"))),
                 "ERR: Execution error: Range too large to materialize");
}

TEST(date_ranges)
{
    /* 1992-09-01 is day 8279; one month; 1993-03-01 is day 8460. */
    CHECK_STR_EQ(TCALL("range", 1, tsca(ta("Date32", "[8279]")), tsca(ta("Date32", "[8460]")),
                       tsca(ta("Interval(YearMonth)", "[1]"))),
                 "S List(Date32) [1992-09-01, 1992-10-01, 1992-11-01, 1992-12-01, 1993-01-01, "
                 "1993-02-01]");
    CHECK_STR_EQ(TCALL("generate_series", 1, tsca(ta("Date32", "[8460]")),
                       tsca(ta("Date32", "[8458]")), tsca(ta("Interval(DayTime)", "[NULL]"))),
                 "S List(Date32) NULL");
    CHECK_STR_EQ(TCOERCE("generate_series", "Date64", "Date32", "Interval(MonthDayNano)"),
                 "Date32, -, -");
    CHECK_STR_EQ(TCOERCE("generate_series", "Timestamp(Nanosecond, Some(\"-05:00\"))",
                         "Timestamp(Nanosecond, Some(\"+05:00\"))", "Null"),
                 "-, Timestamp(ns, \"-05:00\"), Interval(MonthDayNano)");
    CHECK_STR_EQ(TCOERCE("generate_series", "Timestamp(Nanosecond, None)", "Date32",
                         "Interval(MonthDayNano)"),
                 "ERR: Error during planning: Internal error: Function 'generate_series' failed "
                 "to match any signature");
    CHECK_STR_EQ(tcoerce("range", 0, NULL),
                 "ERR: Error during planning: range function requires 1 to 3 arguments");
}
