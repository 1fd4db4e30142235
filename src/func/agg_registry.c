/*
 * agg_registry.c — the table of builtin aggregate functions (layer: func):
 * names and aliases as DataFusion spells them, signatures (DataFusion's
 * TypeSignature), one-line descriptions, parameter names, and the
 * func_agg_impl each entry points to (agg_basic.c, agg_minmax.c,
 * agg_stats.c, agg_median.c, agg_hll.c, agg_approx.c, agg_collect.c).
 */
#include "func/agg_int.h"

/* ---- type lists ---- */

static const arrow_type_id t_bool[] = {QV_TYPE_BOOLEAN};
static const arrow_type_id t_f64[] = {QV_TYPE_FLOAT64};
static const arrow_type_id t_f64_f64[] = {QV_TYPE_FLOAT64, QV_TYPE_FLOAT64};
static const arrow_type_id t_integers[] = {QV_TYPE_INT8,   QV_TYPE_INT16, QV_TYPE_INT32,
                                           QV_TYPE_INT64,  QV_TYPE_UINT8, QV_TYPE_UINT16,
                                           QV_TYPE_UINT32, QV_TYPE_UINT64};
static const arrow_type_id t_numerics[] = {
    QV_TYPE_INT8,   QV_TYPE_INT16,  QV_TYPE_INT32,  QV_TYPE_INT64,   QV_TYPE_UINT8,
    QV_TYPE_UINT16, QV_TYPE_UINT32, QV_TYPE_UINT64, QV_TYPE_FLOAT32, QV_TYPE_FLOAT64};

#define N_OF(a) ((int32_t)(sizeof(a) / sizeof((a)[0])))
#define SIG_ANY(N)                                                                                 \
    {                                                                                              \
        FUNC_SIG_ANY, N, 0, NULL, 0, NULL                                                          \
    }
#define SIG_VAR_ANY                                                                                \
    {                                                                                              \
        FUNC_SIG_VARIADIC_ANY, 0, 0, NULL, 0, NULL                                                 \
    }
#define SIG_NUMERIC(N)                                                                             \
    {                                                                                              \
        FUNC_SIG_NUMERIC, N, 0, NULL, 0, NULL                                                      \
    }
#define SIG_EXACT(T)                                                                               \
    {                                                                                              \
        FUNC_SIG_EXACT, N_OF(T), 0, T, 0, NULL                                                     \
    }
#define SIG_UNIFORM(N, T)                                                                          \
    {                                                                                              \
        FUNC_SIG_UNIFORM, N, N_OF(T), T, 0, NULL                                                   \
    }
#define SIG_ONE_OF(ALTS)                                                                           \
    {                                                                                              \
        FUNC_SIG_ONE_OF, 0, 0, NULL, N_OF(ALTS), ALTS                                              \
    }

/* approx_percentile_cont: OneOf(Exact([num, Float64]), Exact([num, Float64, int])...)
 * for every numeric num and integer int, in DataFusion's order. */
#define NUMERIC_IDS(X)                                                                             \
    X(INT8) X(INT16) X(INT32) X(INT64) X(UINT8) X(UINT16) X(UINT32) X(UINT64) X(FLOAT32) X(FLOAT64)

#define PCT_TYPES(NUM)                                                                             \
    static const arrow_type_id pct_##NUM[] = {QV_TYPE_##NUM, QV_TYPE_FLOAT64};                     \
    static const arrow_type_id pct_##NUM##_INT8[] = {QV_TYPE_##NUM, QV_TYPE_FLOAT64,               \
                                                     QV_TYPE_INT8};                                \
    static const arrow_type_id pct_##NUM##_INT16[] = {QV_TYPE_##NUM, QV_TYPE_FLOAT64,              \
                                                      QV_TYPE_INT16};                              \
    static const arrow_type_id pct_##NUM##_INT32[] = {QV_TYPE_##NUM, QV_TYPE_FLOAT64,              \
                                                      QV_TYPE_INT32};                              \
    static const arrow_type_id pct_##NUM##_INT64[] = {QV_TYPE_##NUM, QV_TYPE_FLOAT64,              \
                                                      QV_TYPE_INT64};                              \
    static const arrow_type_id pct_##NUM##_UINT8[] = {QV_TYPE_##NUM, QV_TYPE_FLOAT64,              \
                                                      QV_TYPE_UINT8};                              \
    static const arrow_type_id pct_##NUM##_UINT16[] = {QV_TYPE_##NUM, QV_TYPE_FLOAT64,             \
                                                       QV_TYPE_UINT16};                            \
    static const arrow_type_id pct_##NUM##_UINT32[] = {QV_TYPE_##NUM, QV_TYPE_FLOAT64,             \
                                                       QV_TYPE_UINT32};                            \
    static const arrow_type_id pct_##NUM##_UINT64[] = {QV_TYPE_##NUM, QV_TYPE_FLOAT64,             \
                                                       QV_TYPE_UINT64};                            \
    static const arrow_type_id pctw_##NUM[] = {QV_TYPE_##NUM, QV_TYPE_##NUM, QV_TYPE_FLOAT64};
NUMERIC_IDS(PCT_TYPES)

#define PCT_ALTS(NUM)                                                                              \
    SIG_EXACT(pct_##NUM), SIG_EXACT(pct_##NUM##_INT8), SIG_EXACT(pct_##NUM##_INT16),               \
        SIG_EXACT(pct_##NUM##_INT32), SIG_EXACT(pct_##NUM##_INT64), SIG_EXACT(pct_##NUM##_UINT8),  \
        SIG_EXACT(pct_##NUM##_UINT16), SIG_EXACT(pct_##NUM##_UINT32),                              \
        SIG_EXACT(pct_##NUM##_UINT64),
static const func_signature pct_alts[] = {NUMERIC_IDS(PCT_ALTS)};

#define PCTW_ALTS(NUM) SIG_EXACT(pctw_##NUM),
static const func_signature pctw_alts[] = {NUMERIC_IDS(PCTW_ALTS)};

/* string_agg: OneOf(Exact([LargeUtf8, Utf8]), ...) as DataFusion lists them. */
#define STR2(NAME, A, B) static const arrow_type_id NAME[] = {QV_TYPE_##A, QV_TYPE_##B};
STR2(sa_1, LARGE_UTF8, UTF8)
STR2(sa_2, LARGE_UTF8, LARGE_UTF8)
STR2(sa_3, LARGE_UTF8, NULL)
STR2(sa_4, LARGE_UTF8, UTF8_VIEW)
STR2(sa_5, UTF8, UTF8)
STR2(sa_6, UTF8, LARGE_UTF8)
STR2(sa_7, UTF8, NULL)
STR2(sa_8, UTF8, UTF8_VIEW)
STR2(sa_9, UTF8_VIEW, UTF8_VIEW)
STR2(sa_10, UTF8_VIEW, LARGE_UTF8)
STR2(sa_11, UTF8_VIEW, NULL)
STR2(sa_12, UTF8_VIEW, UTF8)
static const func_signature sa_alts[] = {
    SIG_EXACT(sa_1), SIG_EXACT(sa_2),  SIG_EXACT(sa_3),  SIG_EXACT(sa_4),
    SIG_EXACT(sa_5), SIG_EXACT(sa_6),  SIG_EXACT(sa_7),  SIG_EXACT(sa_8),
    SIG_EXACT(sa_9), SIG_EXACT(sa_10), SIG_EXACT(sa_11), SIG_EXACT(sa_12),
};

/* ---- parameter names and aliases ---- */

static const char *const p_expr[] = {"expression", NULL};
static const char *const p_two[] = {"expression1", "expression2", NULL};
static const char *const p_yx[] = {"expression_y", "expression_x", NULL};
static const char *const p_pct[] = {"expression", "percentile", "centroids", NULL};
static const char *const p_pctw[] = {"expression", "weight", "percentile", NULL};
static const char *const p_string_agg[] = {"expression", "delimiter", NULL};

static const char *const a_avg[] = {"mean", NULL};
static const char *const a_var[] = {"var_sample", "var_samp", NULL};
static const char *const a_var_pop[] = {"var_population", NULL};
static const char *const a_stddev[] = {"stddev_samp", NULL};
static const char *const a_covar[] = {"covar", NULL};

#define AGG(NAME, ALIASES, SIG, DESC, PARAMS, IMPL)                                                \
    {                                                                                              \
        NAME, ALIASES, FUNC_AGGREGATE, SIG, FUNC_IMMUTABLE, DESC, PARAMS,                          \
            .impl.aggregate = &func_agg_##IMPL##_impl                                              \
    }

#define REGR(NAME, DESC) AGG(#NAME, NULL, SIG_NUMERIC(2), DESC, p_yx, NAME)

const func_entry func_agg_entries[] = {
    AGG("count", NULL, SIG_VAR_ANY,
        "Returns the number of non-null values in the specified column.", p_expr, count),
    AGG("sum", NULL, SIG_NUMERIC(1), "Returns the sum of all values in the specified column.",
        p_expr, sum),
    AGG("avg", a_avg, SIG_NUMERIC(1),
        "Returns the average of numeric values in the specified column.", p_expr, avg),
    AGG("min", NULL, SIG_ANY(1), "Returns the minimum value in the specified column.", p_expr, min),
    AGG("max", NULL, SIG_ANY(1), "Returns the maximum value in the specified column.", p_expr, max),
    AGG("bool_and", NULL, SIG_EXACT(t_bool),
        "Returns true if all non-null input values are true, otherwise false.", p_expr, bool_and),
    AGG("bool_or", NULL, SIG_EXACT(t_bool),
        "Returns true if at least one non-null input value is true, otherwise false.", p_expr,
        bool_or),
    AGG("bit_and", NULL, SIG_UNIFORM(1, t_integers),
        "Computes the bitwise AND of all non-null input values.", p_expr, bit_and),
    AGG("bit_or", NULL, SIG_UNIFORM(1, t_integers),
        "Computes the bitwise OR of all non-null input values.", p_expr, bit_or),
    AGG("bit_xor", NULL, SIG_UNIFORM(1, t_integers),
        "Computes the bitwise exclusive OR of all non-null input values.", p_expr, bit_xor),
    AGG("var", a_var, SIG_EXACT(t_f64),
        "Returns the statistical sample variance of a set of "
        "numbers.",
        p_expr, var_samp),
    AGG("var_pop", a_var_pop, SIG_EXACT(t_f64),
        "Returns the statistical population variance of a set of numbers.", p_expr, var_pop),
    AGG("stddev", a_stddev, SIG_EXACT(t_f64), "Returns the standard deviation of a set of numbers.",
        p_expr, stddev_samp),
    AGG("stddev_pop", NULL, SIG_EXACT(t_f64),
        "Returns the population standard deviation of a set of numbers.", p_expr, stddev_pop),
    AGG("covar_samp", a_covar, SIG_NUMERIC(2),
        "Returns the sample covariance of a set of number pairs.", p_two, covar_samp),
    AGG("covar_pop", NULL, SIG_NUMERIC(2),
        "Returns the population covariance of a set of number pairs.", p_two, covar_pop),
    AGG("corr", NULL, SIG_EXACT(t_f64_f64),
        "Returns the coefficient of correlation between two numeric values.", p_two, corr),
    REGR(regr_slope, "Returns the slope of the linear regression line for non-null pairs in "
                     "aggregate columns."),
    REGR(regr_intercept, "Computes the y-intercept of the linear regression line."),
    REGR(regr_count, "Counts the number of non-null paired data points."),
    REGR(regr_r2, "Computes the square of the correlation coefficient between the independent "
                  "and dependent variables."),
    REGR(regr_avgx, "Computes the average of the independent variable (input) expression_x for "
                    "the non-null paired data points."),
    REGR(regr_avgy, "Computes the average of the dependent variable (output) expression_y for "
                    "the non-null paired data points."),
    REGR(regr_sxx, "Computes the sum of squares of the independent variable."),
    REGR(regr_syy, "Computes the sum of squares of the dependent variable."),
    REGR(regr_sxy, "Computes the sum of products of paired data points."),
    AGG("median", NULL, SIG_NUMERIC(1), "Returns the median value in the specified column.", p_expr,
        median),
    AGG("approx_distinct", NULL, SIG_ANY(1),
        "Returns the approximate number of distinct input values calculated using the "
        "HyperLogLog algorithm.",
        p_expr, approx_distinct),
    AGG("approx_median", NULL, SIG_UNIFORM(1, t_numerics),
        "Returns the approximate median (50th percentile) of input values.", p_expr, approx_median),
    AGG("approx_percentile_cont", NULL, SIG_ONE_OF(pct_alts),
        "Returns the approximate percentile of input values using the t-digest algorithm.", p_pct,
        approx_percentile),
    AGG("approx_percentile_cont_with_weight", NULL, SIG_ONE_OF(pctw_alts),
        "Returns the weighted approximate percentile of input values using the t-digest "
        "algorithm.",
        p_pctw, approx_percentile_weight),
    AGG("array_agg", NULL, SIG_ANY(1), "Returns an array created from the expression elements.",
        p_expr, array_agg),
    AGG("string_agg", NULL, SIG_ONE_OF(sa_alts),
        "Concatenates the values of string expressions and places separator values between "
        "them.",
        p_string_agg, string_agg),
    AGG("first_value", NULL, SIG_ANY(1),
        "Returns the first element in an aggregation group according to the requested ordering.",
        p_expr, first_value),
    AGG("last_value", NULL, SIG_ANY(1),
        "Returns the last element in an aggregation group according to the requested ordering.",
        p_expr, last_value),
};

const int32_t func_agg_entry_count = N_OF(func_agg_entries);
