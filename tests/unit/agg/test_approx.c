/*
 * test_approx.c — median, approx_distinct, approx_percentile_cont (and its
 * weighted form) and approx_median: exact small cases, result types, NULL
 * for empty groups, planning errors on bad literals, and agreement with the
 * DataFusion conformance corpus on aggregate_test_100.csv (when the corpus
 * is present).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg_test_util.h"
#include "test.h"

TEST(median_integers_float64)
{
    t_call c = {"median", 1, {ARR(I32(1, 2, 3, 4, 5, 6, 1, NUL_I, 3, 4, 5))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1), 11, 3, "[3.5, 3.5, NULL]");
    CHECK_STR_EQ(t_run_type(&c, GROUPS(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1), 11, 3), "Float64");
    t_call_release(&c);
    t_call o = {"median", 1, {ARR(I8(-85, -56, -128, 127, 5, 1, 3))}, {NULL}, NULL};
    EXPECT(&o, GROUPS(0, 0, 1, 1, 2, 2, 2), 7, 3, "[-70.5, -0.5, 3.0]");
    t_call_release(&o);
    t_call u = {"median", 1, {ARR(U8(0, 0, 100, 255))}, {NULL}, NULL};
    EXPECT(&u, GROUPS(0, 0, 0, 0), 4, 1, "[50.0]");
    t_call_release(&u);
}

TEST(median_floats_decimals_null)
{
    t_call f = {"median", 1, {ARR(F32(1.1, 2.2, 3.3, 4.4, 5.5))}, {NULL}, NULL};
    EXPECT(&f, GROUPS(0, 0, 0, 0, 0), 5, 1, "[3.3]");
    CHECK_STR_EQ(t_run_type(&f, GROUPS(0, 0, 0, 0, 0), 5, 1), "Float32");
    t_call_release(&f);
    t_call n = {"median", 1, {ARR(F64(1.1, NAN, NAN, NAN))}, {NULL}, NULL};
    EXPECT(&n, GROUPS(0, 0, 0, 0), 4, 1, "[NaN]");
    t_call_release(&n);
    /* DataFusion truncates the mean of the middle decimals: 0.00035 -> 0.0003 */
    t_call d = {
        "median", 1, {ARR(a_dec(10, 4, 7, (int64_t[]){1, 2, 3, 4, 5, 6, NUL_I}))}, {NULL}, NULL};
    EXPECT(&d, GROUPS(0, 0, 0, 0, 0, 0, 1), 7, 2, "[0.0003, NULL]");
    CHECK_STR_EQ(t_run_type(&d, GROUPS(0, 0, 0, 0, 0, 0, 1), 7, 2), "Decimal128(10, 4)");
    t_call_release(&d);
    t_call z = {"median", 1, {ARR(a_null(2))}, {NULL}, NULL};
    EXPECT(&z, GROUPS(0, 0), 2, 1, "[NULL]");
    CHECK_STR_EQ(t_run_type(&z, GROUPS(0, 0), 2, 1), "Null");
    t_call_release(&z);
    t_call s = {"median", 1, {ARR(a_slice(F64(9, 1, 2, 3, 9), 1, 3))}, {NULL}, NULL};
    EXPECT(&s, GROUPS(0, 0, 0), 3, 1, "[2.0]");
    t_call_release(&s);
}

TEST(approx_distinct_small)
{
    t_call c = {"approx_distinct", 1, {ARR(I64(1, 2, 2, 3, NUL_I, 7, 7))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 0, 0, 0, 0, 1, 1), 7, 3, "[3, 1, 0]");
    CHECK_STR_EQ(t_run_type(&c, GROUPS(0, 0, 0, 0, 0, 1, 1), 7, 3), "UInt64");
    t_call_release(&c);
    t_call s = {"approx_distinct",
                1,
                {ARR(VSTR("a", "b", "a", NULL, "a long string value here"))},
                {NULL},
                NULL};
    EXPECT(&s, GROUPS(0, 0, 0, 0, 0), 5, 1, "[3]");
    t_call_release(&s);
    t_call b = {"approx_distinct", 1, {ARR(BOOLS(1, 1, -1, 0, 0, 1, 0))}, {NULL}, NULL};
    EXPECT(&b, GROUPS(0, 0, 0, 1, 1, 2, 2), 7, 3, "[1, 1, 2]");
    t_call_release(&b);
    t_call n = {"approx_distinct", 1, {SCA(a_null(1))}, {NULL}, NULL};
    EXPECT(&n, GROUPS(0, 0), 2, 1, "[0]");
    t_call_release(&n);
}

/* Builds n Int64 values v[i] = f(i). */
static arrow_array *ints(int64_t n, int64_t mul, int64_t mod)
{
    int64_t *v = malloc((size_t)n * 8);
    for (int64_t i = 0; i < n; i++)
        v[i] = (i * mul) % mod;
    arrow_array *a = a_int(QV_TYPE_INT64, (int)n, v);
    free(v);
    return a;
}

TEST(approx_distinct_large_dense_and_merge)
{
    enum { N = 20000 };
    uint32_t *g = malloc(N * 4);
    for (int i = 0; i < N; i++)
        g[i] = i % 4 == 0 ? 1 : 0; /* group 0: 15000 rows, group 1: 5000 rows */
    /* group 0 sees 15000 distinct values, group 1 the values 0, 4, ... (5000) */
    t_call c = {"approx_distinct", 1, {ARR(ints(N, 1, 1 << 30))}, {NULL}, NULL};
    char single[256];
    snprintf(single, sizeof single, "%s", t_run(&c, g, N, 2));
    unsigned long long a0, a1;
    CHECK(sscanf(single, "[%llu, %llu]", &a0, &a1) == 2);
    CHECK(fabs((double)a0 / 15000.0 - 1) < 0.03);
    CHECK(fabs((double)a1 / 5000.0 - 1) < 0.03);
    /* merging registers is exact: two-phase gives the same estimate */
    for (int64_t split = 0; split <= N; split += 7000)
        CHECK_STR_EQ(t_run2(&c, g, N, 2, split), single);
    t_call_release(&c);
    /* many duplicates stay sparse: 300 distinct values in 20000 rows */
    t_call d = {"approx_distinct", 1, {ARR(ints(N, 7, 300))}, {NULL}, NULL};
    memset(g, 0, N * 4);
    const char *r = t_run(&d, g, N, 1);
    CHECK(sscanf(r, "[%llu]", &a0) == 1);
    CHECK(a0 >= 297 && a0 <= 303);
    t_call_release(&d);
    free(g);
}

/* approx_percentile_cont(x, p [, max_size]) with literal p. */
static t_call pct_call(arrow_array *x, double p)
{
    arrow_array *lit = F64(p);
    t_call c = {
        "approx_percentile_cont", 2, {ARR(x), SCA(lit)}, {NULL, arrow_array_retain(lit)}, NULL};
    return c;
}

TEST(approx_percentile_small)
{
    /* ten distinct values: every value is its own centroid */
    static const struct {
        double p;
        const char *expected;
    } cases[] = {{0.5, "[5.5, NULL]"},
                 {0.25, "[3.0, NULL]"},
                 {0.0, "[1.0, NULL]"},
                 {1.0, "[10.0, NULL]"},
                 {0.9, "[9.5, NULL]"}};
    const uint32_t *g = GROUPS(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        t_call c = pct_call(F64(3, 1, 2, 4, 10, NUL_F, 9, 8, 5, 6, 7), cases[k].p);
        EXPECT(&c, g, 11, 2, cases[k].expected);
        CHECK_STR_EQ(t_run_type(&c, g, 11, 2), "Float64");
        t_call_release(&c);
    }
    /* integers are estimated as Float64 */
    t_call i = pct_call(I32(4, 1, 3, 2), 0.5);
    EXPECT(&i, GROUPS(0, 0, 0, 0), 4, 1, "[2.5]");
    CHECK_STR_EQ(t_run_type(&i, GROUPS(0, 0, 0, 0), 4, 1), "Float64");
    t_call_release(&i);
    /* with an explicit max_size */
    arrow_array *p = F64(0.5), *m = I64(50);
    t_call c3 = {"approx_percentile_cont",
                 3,
                 {ARR(F64(1, 2, 3)), SCA(p), SCA(m)},
                 {NULL, arrow_array_retain(p), arrow_array_retain(m)},
                 NULL};
    EXPECT(&c3, GROUPS(0, 0, 0), 3, 1, "[2.0]");
    t_call_release(&c3);
    /* Float32 keeps its type */
    t_call f = pct_call(F32(1, 2), 0.5);
    CHECK_STR_EQ(t_run_type(&f, GROUPS(0, 0), 2, 1), "Float32");
    t_call_release(&f);
}

TEST(approx_percentile_errors)
{
    t_call c = pct_call(F64(1, 2), 1.5);
    CHECK_STR_EQ(t_run(&c, GROUPS(0, 0), 2, 1),
                 "ERR: Error during planning: Percentile value must be between 0.0 and 1.0 "
                 "inclusive, 1.5 is invalid");
    t_call_release(&c);
    t_call n = pct_call(F64(1, 2), -0.1);
    CHECK_STR_EQ(t_run(&n, GROUPS(0, 0), 2, 1),
                 "ERR: Error during planning: Percentile value must be between 0.0 and 1.0 "
                 "inclusive, -0.1 is invalid");
    t_call_release(&n);
    /* not a literal */
    t_call x = {"approx_percentile_cont", 2, {ARR(F64(1, 2)), ARR(F64(0.5, 0.5))}, {NULL}, NULL};
    CHECK_STR_EQ(t_run(&x, GROUPS(0, 0), 2, 1),
                 "ERR: Error during planning: Percentile value for 'APPROX_PERCENTILE_CONT' must "
                 "be a literal");
    t_call_release(&x);
    /* a NULL literal */
    arrow_array *null_lit = a_null(1);
    t_call z = {"approx_percentile_cont",
                2,
                {ARR(F64(1, 2)), SCA(null_lit)},
                {NULL, arrow_array_retain(null_lit)},
                NULL};
    CHECK_STR_EQ(t_run(&z, GROUPS(0, 0), 2, 1),
                 "ERR: Error during planning: Percentile value for 'APPROX_PERCENTILE_CONT' must "
                 "be Float32 or Float64 literal (got null)");
    t_call_release(&z);
    /* a negative max_size */
    arrow_array *p = F64(0.5), *m = I64(-1000);
    t_call c3 = {"approx_percentile_cont",
                 3,
                 {ARR(F64(1, 2, 3)), SCA(p), SCA(m)},
                 {NULL, arrow_array_retain(p), arrow_array_retain(m)},
                 NULL};
    CHECK_STR_EQ(t_run(&c3, GROUPS(0, 0, 0), 3, 1),
                 "ERR: Error during planning: Tdigest max_size value for 'APPROX_PERCENTILE_CONT' "
                 "must be UInt > 0 literal (got data type Int64).");
    t_call_release(&c3);
}

TEST(approx_median_types)
{
    t_call c = {"approx_median", 1, {ARR(I64(5, 1, 3, NUL_I, 2, 4))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 0, 0, 0, 0, 0), 6, 2, "[3.0, NULL]");
    t_call_release(&c);
    /* DataFusion: approx_median(Float16 of 1.1, 4.4, 3.3, 2.2) = 2.75 Float16 */
    t_call h = {"approx_median",
                1,
                {ARR(a_flt(QV_TYPE_FLOAT16, 4, (double[]){1.1, 4.4, 3.3, 2.2}))},
                {NULL},
                NULL};
    EXPECT(&h, GROUPS(0, 0, 0, 0), 4, 1, "[2.75]");
    CHECK_STR_EQ(t_run_type(&h, GROUPS(0, 0, 0, 0), 4, 1), "Float16");
    t_call_release(&h);
    /* and approx_median(decimal(10, 4) 0.0001 .. 0.0006) = 0.00035 Float64 */
    t_call d = {
        "approx_median", 1, {ARR(a_dec(10, 4, 6, (int64_t[]){1, 2, 3, 4, 5, 6}))}, {NULL}, NULL};
    CHECK_STR_EQ(t_run_type(&d, GROUPS(0, 0, 0, 0, 0, 0), 6, 1), "Float64");
    double v;
    CHECK(sscanf(t_run(&d, GROUPS(0, 0, 0, 0, 0, 0), 6, 1), "[%lf]", &v) == 1);
    CHECK(fabs(v - 0.00035) < 1e-15);
    t_call_release(&d);
    t_call n = {"approx_median", 1, {ARR(F64(1.1, NAN, NAN, NAN))}, {NULL}, NULL};
    EXPECT(&n, GROUPS(0, 0, 0, 0), 4, 1, "[NaN]");
    t_call_release(&n);
    t_call z = {"approx_median", 1, {SCA(a_null(1))}, {NULL}, NULL};
    EXPECT(&z, GROUPS(0, 0), 2, 1, "[NULL]");
    CHECK_STR_EQ(t_run_type(&z, GROUPS(0, 0), 2, 1), "Null");
    t_call_release(&z);
}

TEST(approx_percentile_with_weight)
{
    /* DataFusion: (1,1) (2,1) (3,1) (4,NULL) (NULL,1) at 0.5 gives 2 */
    arrow_array *p = F64(0.5);
    t_call c = {"approx_percentile_cont_with_weight",
                3,
                {ARR(I64(1, 2, 3, 4, NUL_I, NUL_I)), ARR(I64(1, 1, 1, NUL_I, 1, NUL_I)), SCA(p)},
                {NULL, NULL, arrow_array_retain(p)},
                NULL};
    EXPECT(&c, GROUPS(0, 0, 0, 0, 0, 0), 6, 1, "[2.0]");
    t_call_release(&c);
    /* a weight of zero contributes nothing */
    arrow_array *p0 = F64(0);
    t_call z = {"approx_percentile_cont_with_weight",
                3,
                {ARR(F64(NAN)), ARR(I64(0)), SCA(p0)},
                {NULL, NULL, arrow_array_retain(p0)},
                NULL};
    EXPECT(&z, GROUPS(0), 1, 1, "[NULL]");
    t_call_release(&z);
    /* weights move the estimate: 10 has weight 3 of 4 */
    arrow_array *p2 = F64(0.5);
    t_call w = {"approx_percentile_cont_with_weight",
                3,
                {ARR(F64(1, 10)), ARR(F64(1, 3)), SCA(p2)},
                {NULL, NULL, arrow_array_retain(p2)},
                NULL};
    double v;
    CHECK(sscanf(t_run(&w, GROUPS(0, 0), 2, 1), "[%lf]", &v) == 1);
    CHECK(v > 5.5 && v <= 10);
    t_call_release(&w);
}

/* ---- the DataFusion corpus on aggregate_test_100.csv ---- */

#define CSV_PATH "/work/shared/conformance/datafusion/testing/data/csv/aggregate_test_100.csv"

typedef struct csv100 {
    int n;
    uint32_t group[100]; /* c1 'a'..'e' -> 0..4 */
    int64_t c2[100], c3[100], c6[100];
    double c12[100];
} csv100;

static bool load_csv(csv100 *t)
{
    FILE *f = fopen(CSV_PATH, "r");
    if (f == NULL)
        return false;
    char line[1024];
    t->n = 0;
    if (fgets(line, sizeof line, f) == NULL) { /* header */
        fclose(f);
        return false;
    }
    while (t->n < 100 && fgets(line, sizeof line, f) != NULL) {
        char *fields[13];
        int k = 0;
        for (char *p = line; k < 13 && p != NULL; k++) {
            fields[k] = p;
            p = strchr(p, ',');
            if (p != NULL)
                *p++ = '\0';
        }
        if (k < 13)
            break;
        t->group[t->n] = (uint32_t)(fields[0][0] - 'a');
        t->c2[t->n] = strtoll(fields[1], NULL, 10);
        t->c3[t->n] = strtoll(fields[2], NULL, 10);
        t->c6[t->n] = strtoll(fields[5], NULL, 10);
        t->c12[t->n] = strtod(fields[11], NULL);
        t->n++;
    }
    fclose(f);
    return t->n == 100;
}

/* Runs a one-group or per-c1 aggregate and parses the doubles it returns. */
static int run_values(t_call *c, const uint32_t *groups, int n_groups, double *out)
{
    const char *r = t_run(c, groups, 100, n_groups);
    if (r[0] != '[')
        return -1;
    int k = 0;
    for (const char *p = r + 1; k < n_groups && *p; k++) {
        char *end;
        out[k] = strtod(p, &end);
        p = end;
        while (*p == ',' || *p == ' ' || *p == ']')
            p++;
    }
    return k;
}

static bool close_to(double got, double want)
{
    return fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want));
}

TEST(datafusion_corpus_aggregate_test_100)
{
    static csv100 t;
    if (!load_csv(&t))
        return; /* the corpus is not on this machine */
    static const uint32_t zeros[100];
    double v[5];
    /* approx_percentile_cont(0.95) WITHIN GROUP (ORDER BY c3) GROUP BY c1 */
    t_call p95 = pct_call(a_int(QV_TYPE_INT64, 100, t.c3), 0.95);
    CHECK_INT_EQ(run_values(&p95, t.group, 5, v), 5);
    CHECK(close_to(v[0], 73.55) && close_to(v[1], 68) && close_to(v[2], 122.5) &&
          close_to(v[3], 124.2) && close_to(v[4], 115.6));
    t_call_release(&p95);
    /* ... ORDER BY c3 DESC is the 0.05 percentile */
    t_call p05 = pct_call(a_int(QV_TYPE_INT64, 100, t.c3), 0.05);
    CHECK_INT_EQ(run_values(&p05, t.group, 5, v), 5);
    CHECK(close_to(v[0], -101) && close_to(v[1], -114.3) && close_to(v[2], -109.475) &&
          close_to(v[3], -98.6) && close_to(v[4], -93.65));
    t_call_release(&p05);
    /* approx_median(c2), (c6), (c12) */
    t_call m2 = {"approx_median", 1, {ARR(a_int(QV_TYPE_INT64, 100, t.c2))}, {NULL}, NULL};
    CHECK_INT_EQ(run_values(&m2, zeros, 1, v), 1);
    CHECK(close_to(v[0], 3));
    t_call_release(&m2);
    t_call m6 = {"approx_median", 1, {ARR(a_int(QV_TYPE_INT64, 100, t.c6))}, {NULL}, NULL};
    CHECK_INT_EQ(run_values(&m6, zeros, 1, v), 1);
    CHECK(close_to(v[0], 1146409980542786600.0));
    t_call_release(&m6);
    t_call m12 = {"approx_median", 1, {ARR(a_flt(QV_TYPE_FLOAT64, 100, t.c12))}, {NULL}, NULL};
    CHECK_INT_EQ(run_values(&m12, zeros, 1, v), 1);
    CHECK(fabs(v[0] - 0.555006541052) < 1e-12);
    t_call_release(&m12);
    /* median(c6), median(c12) */
    t_call e6 = {"median", 1, {ARR(a_int(QV_TYPE_INT64, 100, t.c6))}, {NULL}, NULL};
    CHECK_INT_EQ(run_values(&e6, zeros, 1, v), 1);
    CHECK(close_to(v[0], 1125553990140691200.0));
    t_call_release(&e6);
    t_call e12 = {"median", 1, {ARR(a_flt(QV_TYPE_FLOAT64, 100, t.c12))}, {NULL}, NULL};
    CHECK_INT_EQ(run_values(&e12, zeros, 1, v), 1);
    CHECK(fabs(v[0] - 0.551390054439) < 1e-12);
    t_call_release(&e12);
    /* var_pop(c2), var_pop(c6), stddev_pop(c6), covar_pop(c2, c12), corr(c2, c12) */
    t_call vp = {"var_pop", 1, {ARR(a_int(QV_TYPE_INT64, 100, t.c2))}, {NULL}, NULL};
    CHECK_INT_EQ(run_values(&vp, zeros, 1, v), 1);
    CHECK(close_to(v[0], 1.8675));
    t_call_release(&vp);
    t_call v6 = {"var_pop", 1, {ARR(a_int(QV_TYPE_INT64, 100, t.c6))}, {NULL}, NULL};
    CHECK_INT_EQ(run_values(&v6, zeros, 1, v), 1);
    CHECK(close_to(v[0], 26156334342021890000000000000000000000.0));
    t_call_release(&v6);
    t_call s6 = {"stddev_pop", 1, {ARR(a_int(QV_TYPE_INT64, 100, t.c6))}, {NULL}, NULL};
    CHECK_INT_EQ(run_values(&s6, zeros, 1, v), 1);
    CHECK(close_to(v[0], 5114326382039172000.0));
    t_call_release(&s6);
    t_call cv = {"covar_pop",
                 2,
                 {ARR(a_int(QV_TYPE_INT64, 100, t.c2)), ARR(a_flt(QV_TYPE_FLOAT64, 100, t.c12))},
                 {NULL},
                 NULL};
    CHECK_INT_EQ(run_values(&cv, zeros, 1, v), 1);
    CHECK(fabs(v[0] - -0.079169322354) < 1e-12);
    t_call_release(&cv);
    t_call co = {"corr",
                 2,
                 {ARR(a_int(QV_TYPE_INT64, 100, t.c2)), ARR(a_flt(QV_TYPE_FLOAT64, 100, t.c12))},
                 {NULL},
                 NULL};
    CHECK_INT_EQ(run_values(&co, zeros, 1, v), 1);
    CHECK(fabs(v[0] - -0.190645441906) < 1e-12);
    t_call_release(&co);
    /* stddev_samp(c12) GROUP BY c2 (c2 is 1..5) */
    uint32_t by_c2[100];
    for (int i = 0; i < 100; i++)
        by_c2[i] = (uint32_t)(t.c2[i] - 1);
    t_call sd = {"stddev_samp", 1, {ARR(a_flt(QV_TYPE_FLOAT64, 100, t.c12))}, {NULL}, NULL};
    CHECK_INT_EQ(run_values(&sd, by_c2, 5, v), 5);
    CHECK(fabs(v[0] - 0.303641032262) < 1e-12 && fabs(v[1] - 0.284581967411) < 1e-12 &&
          fabs(v[2] - 0.296002660506) < 1e-12 && fabs(v[3] - 0.284324609109) < 1e-12 &&
          fabs(v[4] - 0.331034486752) < 1e-12);
    t_call_release(&sd);
}
