/*
 * func_test_util.h — helpers for the function-layer tests: compact array
 * construction, datum formatting, and calls through the builtin registry.
 */
#ifndef QV_FUNC_TEST_UTIL_H
#define QV_FUNC_TEST_UTIL_H

#include "func/func.h"

#define NUL_I INT64_MIN /* marks a null in integer literals */

/* Builders; they abort the process on failure (test inputs only). */
arrow_array *t_int(arrow_type_id id, int n, const int64_t *values);
arrow_array *t_uint64(int n, const uint64_t *values);
arrow_array *t_float(arrow_type_id id, int n, const double *values, const char *nulls);
arrow_array *t_str(arrow_type_id id, int n, const char *const *values);
arrow_array *t_bool(int n, const int *values); /* -1 null */
arrow_array *t_dec(int precision, int scale, int n, const int64_t *values);
/* Slice of a (consumes a). */
arrow_array *t_slice(arrow_array *a, int64_t offset, int64_t length);

#define T_COUNT(T, ...) ((int)(sizeof((T[]){__VA_ARGS__}) / sizeof(T)))
#define I8(...) t_int(QV_TYPE_INT8, T_COUNT(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define I32(...) t_int(QV_TYPE_INT32, T_COUNT(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define I64(...) t_int(QV_TYPE_INT64, T_COUNT(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
/* Int64 without the null marker (for INT64_MIN itself). */
arrow_array *t_i64_raw(int n, const int64_t *values);
#define I64RAW(...) t_i64_raw(T_COUNT(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define U8(...) t_int(QV_TYPE_UINT8, T_COUNT(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define F64(...) t_float(QV_TYPE_FLOAT64, T_COUNT(double, __VA_ARGS__), (double[]){__VA_ARGS__}, NULL)
#define F32(...) t_float(QV_TYPE_FLOAT32, T_COUNT(double, __VA_ARGS__), (double[]){__VA_ARGS__}, NULL)
#define STR(...) t_str(QV_TYPE_UTF8, T_COUNT(const char *, __VA_ARGS__), (const char *[]){__VA_ARGS__})
#define LSTR(...)                                                                                  \
    t_str(QV_TYPE_LARGE_UTF8, T_COUNT(const char *, __VA_ARGS__), (const char *[]){__VA_ARGS__})
#define VSTR(...)                                                                                  \
    t_str(QV_TYPE_UTF8_VIEW, T_COUNT(const char *, __VA_ARGS__), (const char *[]){__VA_ARGS__})
#define BOOLS(...) t_bool(T_COUNT(int, __VA_ARGS__), (int[]){__VA_ARGS__})

/* Datums that take over the array reference. */
func_datum t_arr(arrow_array *a);
func_datum t_sca(arrow_array *a);

/* "[1, NULL, 3]" for arrays, "S[1]" for scalars; "ERROR" for an empty
 * datum. Valid until the next call. */
const char *t_fmt(const func_datum *d);
/* The result type name of a datum. */
const char *t_type(const func_datum *d);

/* Calls builtin `name` (resolving the return type from the argument types);
 * releases the args. Returns the status; *out holds the result. */
qv_status t_call(const char *name, int n_args, func_datum *args, int64_t n_rows,
                 func_datum *out, qv_error *err);
/* Same, formatted: the result or "ERR: message". Valid until the next call. */
const char *t_callf(const char *name, int n_args, func_datum *args, int64_t n_rows);

const func_registry *t_registry(void);
void t_release_all(int n, func_datum *d);

#endif
