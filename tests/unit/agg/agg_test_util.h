/*
 * agg_test_util.h — helpers for the aggregate tests: compact array
 * construction, formatting of results, and drivers that run an aggregate
 * from the builtin registry single-phase and two-phase.
 */
#ifndef QV_AGG_TEST_UTIL_H
#define QV_AGG_TEST_UTIL_H

#include "func/agg.h"

#define NUL_I INT64_MIN  /* a null in integer lists */
#define NUL_F (-7777.25) /* a null in float lists */

/* Arrays (abort on failure; test inputs only). */
arrow_array *a_int(arrow_type_id id, int n, const int64_t *values);
arrow_array *a_flt(arrow_type_id id, int n, const double *values);
arrow_array *a_str(arrow_type_id id, int n, const char *const *values); /* NULL entries = null */
arrow_array *a_bool(int n, const int *values);                          /* -1 = null */
arrow_array *a_dec(int precision, int scale, int n, const int64_t *values);
arrow_array *a_null(int n);
/* A slice [offset, offset+length) of a; consumes a. */
arrow_array *a_slice(arrow_array *a, int64_t offset, int64_t length);

#define A_N(T, ...) ((int)(sizeof((T[]){__VA_ARGS__}) / sizeof(T)))
#define I64(...) a_int(QV_TYPE_INT64, A_N(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define I32(...) a_int(QV_TYPE_INT32, A_N(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define I8(...) a_int(QV_TYPE_INT8, A_N(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define U8(...) a_int(QV_TYPE_UINT8, A_N(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define U32(...) a_int(QV_TYPE_UINT32, A_N(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define F64(...) a_flt(QV_TYPE_FLOAT64, A_N(double, __VA_ARGS__), (double[]){__VA_ARGS__})
#define F32(...) a_flt(QV_TYPE_FLOAT32, A_N(double, __VA_ARGS__), (double[]){__VA_ARGS__})
#define STR(...) a_str(QV_TYPE_UTF8, A_N(const char *, __VA_ARGS__), (const char *[]){__VA_ARGS__})
#define LSTR(...)                                                                                  \
    a_str(QV_TYPE_LARGE_UTF8, A_N(const char *, __VA_ARGS__), (const char *[]){__VA_ARGS__})
#define VSTR(...)                                                                                  \
    a_str(QV_TYPE_UTF8_VIEW, A_N(const char *, __VA_ARGS__), (const char *[]){__VA_ARGS__})
#define BIN(...)                                                                                   \
    a_str(QV_TYPE_BINARY, A_N(const char *, __VA_ARGS__), (const char *[]){__VA_ARGS__})
#define BOOLS(...) a_bool(A_N(int, __VA_ARGS__), (int[]){__VA_ARGS__})
#define GROUPS(...) ((const uint32_t[]){__VA_ARGS__})

/* "[1, NULL, 3]"; valid until the next call of the same function. */
const char *a_fmt(const arrow_array *a);
/* The DataFusion type name of a's type; valid until the next call. */
const char *a_type(const arrow_array *a);

/* The registry with every builtin (created once). */
const func_registry *t_registry(void);

/* One aggregate call under test. Arguments are borrowed; literal[i] may be
 * NULL (not a literal). */
typedef struct t_call {
    const char *name;
    int n_args;
    func_datum args[4];
    arrow_array *literals[4];
    const uint8_t *selected; /* FILTER, may be NULL */
} t_call;

/* Resolves the call (entry, return type): QV_OK or the error in err. */
qv_status t_prepare(const t_call *c, func_agg_call *call, arrow_type **types_out, qv_error *err);
void t_unprepare(func_agg_call *call, arrow_type **types);

/* Runs the call single-phase over rows with group ids groups (n_groups):
 * the formatted result, or "ERR: message". Valid until the next call. */
const char *t_run(const t_call *c, const uint32_t *groups, int64_t n_rows, int64_t n_groups);
/* The same result type name as t_run's result, or "ERR". */
const char *t_run_type(const t_call *c, const uint32_t *groups, int64_t n_rows, int64_t n_groups);
/* Two-phase: rows [0, split) into one state, [split, n) into another (array
 * arguments sliced), each emits its state (checked against state_schema), a
 * third merges both and evaluates. Same format as t_run. */
const char *t_run2(const t_call *c, const uint32_t *groups, int64_t n_rows, int64_t n_groups,
                   int64_t split);

/* t_run2 without formatting: *out gets the result (NULL on failure). */
qv_status t_two_phase(const t_call *c, const uint32_t *groups, int64_t n_rows, int64_t n_groups,
                      int64_t split, arrow_array **out, qv_error *err);

/* Releases the arrays of the call's datums and literals. */
void t_call_release(t_call *c);

/* Checks t_run and t_run2 (split at 0, 1, half and n_rows) all give
 * expected; reports through the harness and returns false on a mismatch. */
bool t_expect(const char *file, int line, const t_call *c, const uint32_t *groups, int64_t n_rows,
              int64_t n_groups, const char *expected);
#define EXPECT(c, groups, n_rows, n_groups, expected)                                              \
    do {                                                                                           \
        if (!t_expect(__FILE__, __LINE__, c, groups, n_rows, n_groups, expected))                  \
            return;                                                                                \
    } while (0)

#define ARR(a)                                                                                     \
    {                                                                                              \
        (a), false                                                                                 \
    }
#define SCA(a)                                                                                     \
    {                                                                                              \
        (a), true                                                                                  \
    }

#endif
