/*
 * test_memory.c — every aggregate releases all its memory (thread byte
 * count back to where it started), and the allocation-failure loop: for
 * every N, failing the N-th allocation of a full two-phase run (create,
 * update, emit_state, merge, evaluate, free) returns QV_NOMEM, leaks
 * nothing and never crashes; the loop ends at the first N whose run
 * completes without the hook firing.
 */
#include <stdio.h>

#include "agg_test_util.h"
#include "test.h"

#define N_ROWS 9
static const uint32_t groups9[N_ROWS] = {0, 1, 0, 2, 1, 0, 0, 3, 1};

/* One call of every function family over 9 rows. Returns the count. */
static int make_calls(t_call *calls)
{
    int n = 0;
    static const char *const one_numeric[] = {"count",
                                              "sum",
                                              "avg",
                                              "min",
                                              "max",
                                              "var",
                                              "var_pop",
                                              "stddev",
                                              "stddev_pop",
                                              "median",
                                              "approx_distinct",
                                              "approx_median",
                                              "array_agg",
                                              "first_value",
                                              "last_value"};
    for (size_t k = 0; k < sizeof one_numeric / sizeof one_numeric[0]; k++) {
        t_call c = {one_numeric[k], 1, {ARR(I64(5, 1, NUL_I, 7, 3, 9, 2, 4, 6))}, {NULL}, NULL};
        calls[n++] = c;
    }
    static const char *const one_string[] = {
        "count", "min", "max", "approx_distinct", "array_agg", "first_value", "last_value"};
    for (size_t k = 0; k < sizeof one_string / sizeof one_string[0]; k++) {
        t_call c = {
            one_string[k],
            1,
            {ARR(STR("b", "a", NULL, "a string longer than twelve", "c", "d", "e", "f", "g"))},
            {NULL},
            NULL};
        calls[n++] = c;
    }
    t_call dec = {"sum",
                  1,
                  {ARR(a_dec(10, 2, N_ROWS, (int64_t[]){1, 2, 3, 4, 5, 6, 7, 8, 9}))},
                  {NULL},
                  NULL};
    calls[n++] = dec;
    t_call dec_avg = {"avg",
                      1,
                      {ARR(a_dec(10, 2, N_ROWS, (int64_t[]){1, 2, 3, 4, 5, 6, 7, 8, 9}))},
                      {NULL},
                      NULL};
    calls[n++] = dec_avg;
    t_call dec_median = {"median",
                         1,
                         {ARR(a_dec(10, 2, N_ROWS, (int64_t[]){1, 2, 3, 4, 5, 6, 7, 8, 9}))},
                         {NULL},
                         NULL};
    calls[n++] = dec_median;
    t_call half = {"min",
                   1,
                   {ARR(a_flt(QV_TYPE_FLOAT16, N_ROWS, (double[]){1, 2, 3, 4, 5, 6, 7, 8, 9}))},
                   {NULL},
                   NULL};
    calls[n++] = half;
    static const char *const bools[] = {"bool_and", "bool_or", "min"};
    for (size_t k = 0; k < 3; k++) {
        t_call c = {bools[k], 1, {ARR(BOOLS(1, 0, -1, 1, 1, 0, 1, 1, 0))}, {NULL}, NULL};
        calls[n++] = c;
    }
    static const char *const bits[] = {"bit_and", "bit_or", "bit_xor"};
    for (size_t k = 0; k < 3; k++) {
        t_call c = {bits[k], 1, {ARR(I32(5, 1, NUL_I, 7, 3, 9, 2, 4, 6))}, {NULL}, NULL};
        calls[n++] = c;
    }
    static const char *const two[] = {"covar_samp",     "covar_pop",  "corr",     "regr_slope",
                                      "regr_intercept", "regr_count", "regr_r2",  "regr_avgx",
                                      "regr_avgy",      "regr_sxx",   "regr_syy", "regr_sxy"};
    for (size_t k = 0; k < sizeof two / sizeof two[0]; k++) {
        t_call c = {two[k],
                    2,
                    {ARR(F64(5, 1, NUL_F, 7, 3, 9, 2, 4, 6)), ARR(F64(1, 2, 3, 4, 5, 6, 7, 9, 8))},
                    {NULL},
                    NULL};
        calls[n++] = c;
    }
    arrow_array *p = F64(0.75);
    t_call pct = {"approx_percentile_cont",
                  2,
                  {ARR(F64(5, 1, NUL_F, 7, 3, 9, 2, 4, 6)), SCA(p)},
                  {NULL, arrow_array_retain(p)},
                  NULL};
    calls[n++] = pct;
    arrow_array *pw = F64(0.5);
    t_call pctw = {
        "approx_percentile_cont_with_weight",
        3,
        {ARR(F64(5, 1, NUL_F, 7, 3, 9, 2, 4, 6)), ARR(F64(1, 2, 3, 4, 5, 6, 7, 9, 8)), SCA(pw)},
        {NULL, NULL, arrow_array_retain(pw)},
        NULL};
    calls[n++] = pctw;
    arrow_array *d = STR(", ");
    t_call sa = {
        "string_agg",
        2,
        {ARR(STR("b", "a", NULL, "a string longer than twelve", "c", "d", "e", "f", "g")), SCA(d)},
        {NULL, arrow_array_retain(d)},
        NULL};
    calls[n++] = sa;
    t_call count_star = {"count", 1, {SCA(I64(1))}, {NULL}, NULL};
    calls[n++] = count_star;
    return n;
}

TEST(memory_released_every_function)
{
    t_registry();
    t_call calls[64];
    int n = make_calls(calls);
    for (int k = 0; k < n; k++) {
        int64_t before = base_alloc_thread_bytes();
        const char *r = t_run(&calls[k], groups9, N_ROWS, 5);
        if (r[0] == 'E') {
            test_fail(__FILE__, __LINE__, "%s: %s", calls[k].name, r);
            return;
        }
        t_run2(&calls[k], groups9, N_ROWS, 5, 4);
        if (base_alloc_thread_bytes() != before) {
            test_fail(__FILE__, __LINE__, "%s leaks %lld bytes", calls[k].name,
                      (long long)(base_alloc_thread_bytes() - before));
            return;
        }
    }
    for (int k = 0; k < n; k++)
        t_call_release(&calls[k]);
}

/* Runs the two-phase scenario with the N-th allocation failing for
 * N = 1, 2, ... Returns false (after reporting) when a run misbehaves. */
static bool oom_loop(const t_call *c)
{
    for (int64_t n = 1; n < 100000; n++) {
        qv_error err;
        qv_error_clear(&err);
        arrow_array *out = NULL;
        int64_t before = base_alloc_thread_bytes();
        base_alloc_fail_after(n);
        qv_status st = t_two_phase(c, groups9, N_ROWS, 5, 4, &out, &err);
        bool triggered = base_alloc_fail_triggered();
        base_alloc_fail_after(0);
        bool out_set = out != NULL;
        arrow_array_release(out);
        if (base_alloc_thread_bytes() != before) {
            test_fail(__FILE__, __LINE__, "%s: N=%lld leaks %lld bytes (status %s)", c->name,
                      (long long)n, (long long)(base_alloc_thread_bytes() - before),
                      qv_status_name(st));
            return false;
        }
        if (!triggered) {
            if (st != QV_OK) {
                test_fail(__FILE__, __LINE__, "%s: N=%lld returned %s without a failure: %s",
                          c->name, (long long)n, qv_status_name(st), err.message);
                return false;
            }
            return true;
        }
        if (st != QV_NOMEM) {
            test_fail(__FILE__, __LINE__, "%s: N=%lld returned %s instead of NOMEM: %s", c->name,
                      (long long)n, qv_status_name(st), err.message);
            return false;
        }
        if (out_set) {
            test_fail(__FILE__, __LINE__, "%s: out set on failure", c->name);
            return false;
        }
    }
    return true;
}

TEST(oom_loop_every_function)
{
    t_registry();
    t_call calls[64];
    int n = make_calls(calls);
    for (int k = 0; k < n; k++) {
        if (!oom_loop(&calls[k]))
            return;
    }
    for (int k = 0; k < n; k++)
        t_call_release(&calls[k]);
}
