/*
 * dt_test_util.h — helpers for the date / time, regex and digest tests:
 * temporal array builders and calls that resolve the result type the way
 * the binder does (func_resolve_return_type, with constant arguments and a
 * session time zone).
 */
#ifndef QV_DT_TEST_UTIL_H
#define QV_DT_TEST_UTIL_H

#include "func_test_util.h"

/* Arrays of a parameterised temporal type; values NUL_I are nulls. Abort on
 * failure (test inputs only). */
arrow_array *d_ts(arrow_time_unit unit, const char *tz, int n, const int64_t *values);
arrow_array *d_typed(arrow_type *type, int n, const int64_t *values); /* consumes type */
arrow_array *d_time64(int n, const int64_t *values);                  /* Time64(ns) */
arrow_array *d_interval(int32_t months, int32_t days, int64_t nanos); /* one MonthDayNano */
arrow_array *d_null(int n);                                           /* Null type */

#define TS_NS(...)                                                                                 \
    d_ts(QV_UNIT_NANOSECOND, NULL, T_COUNT(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define DATE32(...) t_int(QV_TYPE_DATE32, T_COUNT(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})

/* Calls builtin `name` with the session time zone tz (NULL: none) and
 * query start now_ns; releases the args. Returns "TYPE [values]" / "TYPE
 * S[value]" or "ERR: message". Valid until the next call. */
const char *d_call(const char *name, const char *tz, int n_args, func_datum *args, int64_t n_rows);
#define DCALL1(name, a, n) d_call(name, NULL, 1, (func_datum[]){a}, n)
#define DCALL2(name, a, b, n) d_call(name, NULL, 2, (func_datum[]){a, b}, n)
#define DCALL3(name, a, b, c, n) d_call(name, NULL, 3, (func_datum[]){a, b, c}, n)
#define DCALL4(name, a, b, c, d, n) d_call(name, NULL, 4, (func_datum[]){a, b, c, d}, n)

/* A string scalar datum. */
func_datum d_s(const char *text);

#define D_NOW_NS INT64_C(1700000000000000000) /* 2023-11-14T22:13:20Z */

#endif
