/*
 * test_stats.c — var / var_pop / stddev / stddev_pop, covar_samp /
 * covar_pop, corr and the regr_* family: values per group, NULL for too few
 * rows exactly as DataFusion, nulls skipped pairwise, NaN handling of corr,
 * large offsets (Welford), two-phase merging.
 */
#include <math.h>

#include "agg_test_util.h"
#include "test.h"

TEST(variance_family)
{
    /* group 0: 2 4 4 4 5 5 7 9 (pop stddev 2); group 1: one row; group 2: none */
    const uint32_t *g = GROUPS(0, 0, 0, 0, 0, 1, 0, 0, 0, 2);
    static const struct {
        const char *name;
        const char *expected;
    } cases[] = {
        {"var_pop", "[4.0, 0.0, NULL, NULL]"},
        {"var", "[4.571428571428571, NULL, NULL, NULL]"},
        {"var_samp", "[4.571428571428571, NULL, NULL, NULL]"},
        {"var_sample", "[4.571428571428571, NULL, NULL, NULL]"},
        {"var_population", "[4.0, 0.0, NULL, NULL]"},
        {"stddev_pop", "[2.0, 0.0, NULL, NULL]"},
        {"stddev", "[2.138089935299395, NULL, NULL, NULL]"},
        {"stddev_samp", "[2.138089935299395, NULL, NULL, NULL]"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        t_call c = {cases[k].name, 1, {ARR(F64(2, 4, 4, 4, 5, 42, 5, 7, 9, NUL_F))}, {NULL}, NULL};
        EXPECT(&c, g, 10, 4, cases[k].expected);
        CHECK_STR_EQ(t_run_type(&c, g, 10, 4), "Float64");
        t_call_release(&c);
    }
}

TEST(variance_integer_input_and_offsets)
{
    t_call c = {"var_pop", 1, {ARR(I64(1, 2, 3, 4))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 0, 0, 0), 4, 1, "[1.25]");
    t_call_release(&c);
    /* Welford stays exact with a large offset where the naive sum of
     * squares loses every digit. */
    t_call o = {"var", 1, {ARR(F64(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16))}, {NULL}, NULL};
    EXPECT(&o, GROUPS(0, 0, 0, 0), 4, 1, "[30.0]");
    t_call_release(&o);
    t_call s = {"stddev_pop", 1, {ARR(a_slice(F64(100, 1, 3, 100), 1, 2))}, {NULL}, NULL};
    EXPECT(&s, GROUPS(0, 0), 2, 1, "[1.0]");
    t_call_release(&s);
}

TEST(covariance_and_corr)
{
    const uint32_t *g = GROUPS(0, 0, 0, 1, 2, 2);
    t_call cp = {"covar_pop",
                 2,
                 {ARR(F64(1, 2, 3, 1.1, NUL_F, 5)), ARR(F64(4, 5, 6, 2.2, 1, NUL_F))},
                 {NULL},
                 NULL};
    EXPECT(&cp, g, 6, 4, "[0.6666666666666666, 0.0, NULL, NULL]");
    t_call_release(&cp);
    t_call cs = {"covar",
                 2,
                 {ARR(F64(1, 2, 3, 1.1, NUL_F, 5)), ARR(F64(4, 5, 6, 2.2, 1, NUL_F))},
                 {NULL},
                 NULL};
    EXPECT(&cs, g, 6, 4, "[1.0, NULL, NULL, NULL]");
    t_call_release(&cs);
    t_call co = {"corr",
                 2,
                 {ARR(F64(1, 2, 3, 1.1, NUL_F, 5)), ARR(F64(4, 5, 6, 2.2, 1, NUL_F))},
                 {NULL},
                 NULL};
    EXPECT(&co, g, 6, 4, "[1.0, NULL, NULL, NULL]");
    t_call_release(&co);
    /* a constant column has no correlation */
    t_call cz = {"corr", 2, {ARR(F64(1, 1, 1)), ARR(F64(1, 2, 3))}, {NULL}, NULL};
    EXPECT(&cz, GROUPS(0, 0, 0), 3, 1, "[NULL]");
    t_call_release(&cz);
    /* integers are read as Float64 */
    t_call ci = {"covar_samp", 2, {ARR(I32(1, 2, 3)), ARR(I32(4, 5, 6))}, {NULL}, NULL};
    EXPECT(&ci, GROUPS(0, 0, 0), 3, 1, "[1.0]");
    t_call_release(&ci);
}

TEST(corr_nan_as_datafusion)
{
    /* ids of DataFusion's correlation_query_with_nans: 1 (1, NaN), 2 (NaN, 1),
     * 5 (NaN, NaN) (1, 1) (2, 2), 6 (NaN, NaN) */
    t_call c = {"corr",
                2,
                {ARR(F64(1, NAN, NAN, 1, 2, NAN)), ARR(F64(NAN, 1, NAN, 1, 2, NAN))},
                {NULL},
                NULL};
    EXPECT(&c, GROUPS(0, 1, 2, 2, 2, 3), 6, 4, "[NULL, NULL, NaN, NaN]");
    t_call_release(&c);
}

TEST(regr_family)
{
    /* regr_*(y, x): y = 5x + 55 over x = 1..5, a null pair skipped; group 1 one point */
    const uint32_t *g = GROUPS(0, 0, 0, 0, 0, 0, 1, 0);
    static const struct {
        const char *name;
        const char *expected;
        const char *type;
    } cases[] = {
        {"regr_slope", "[5.0, NULL, NULL]", "Float64"},
        {"regr_intercept", "[55.0, NULL, NULL]", "Float64"},
        {"regr_count", "[5, 1, 0]", "UInt64"},
        {"regr_r2", "[1.0, NULL, NULL]", "Float64"},
        {"regr_avgx", "[3.0, 7.0, NULL]", "Float64"},
        {"regr_avgy", "[70.0, 1.0, NULL]", "Float64"},
        {"regr_sxx", "[10.0, 0.0, NULL]", "Float64"},
        {"regr_syy", "[250.0, 0.0, NULL]", "Float64"},
        {"regr_sxy", "[50.0, 0.0, NULL]", "Float64"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        t_call c = {
            cases[k].name,
            2,
            {ARR(F64(60, 65, 70, NUL_F, 75, 80, 1, 99)), ARR(F64(1, 2, 3, 9, 4, 5, 7, NUL_F))},
            {NULL},
            NULL};
        EXPECT(&c, g, 8, 3, cases[k].expected);
        CHECK_STR_EQ(t_run_type(&c, g, 8, 3), cases[k].type);
        t_call_release(&c);
    }
    /* a vertical line has no slope */
    t_call v = {"regr_slope", 2, {ARR(F64(1, 2)), ARR(F64(3, 3))}, {NULL}, NULL};
    EXPECT(&v, GROUPS(0, 0), 2, 1, "[NULL]");
    t_call_release(&v);
}

TEST(stats_filter_and_scalar)
{
    t_call c = {"var_pop", 1, {ARR(F64(1, 100, 3))}, {NULL}, (const uint8_t[]){1, 0, 1}};
    EXPECT(&c, GROUPS(0, 0, 0), 3, 1, "[1.0]");
    t_call_release(&c);
    t_call s = {"covar_pop", 2, {SCA(F64(2)), ARR(F64(1, 2, 3))}, {NULL}, NULL};
    EXPECT(&s, GROUPS(0, 0, 0), 3, 1, "[0.0]");
    t_call_release(&s);
}
