/*
 * agg_stats.c — the statistical aggregates (layer: func): var_samp /
 * var_pop, stddev_samp / stddev_pop (one variable), covar_samp /
 * covar_pop, corr and the regr_* family (two variables). Inputs are read as
 * Float64; groups accumulate count, means and centred second moments with
 * Welford's update, and partial states merge with Chan's parallel formula,
 * so results stay accurate for large offsets. NULL results where
 * DataFusion gives them: var_samp / stddev / covar_samp of fewer than two
 * rows, the population forms of zero rows, corr and regr_slope / intercept
 * / r2 when a variance is zero. regr_* take (y, x). var / stddev also
 * retract rows (window frames that slide).
 */
#include <math.h>

#include "func/agg_int.h"

typedef enum stat_fn {
    ST_VAR_SAMP,
    ST_VAR_POP,
    ST_STDDEV_SAMP,
    ST_STDDEV_POP,
    ST_COVAR_SAMP,
    ST_COVAR_POP,
    ST_CORR,
    ST_REGR_SLOPE,
    ST_REGR_INTERCEPT,
    ST_REGR_COUNT,
    ST_REGR_R2,
    ST_REGR_AVGX,
    ST_REGR_AVGY,
    ST_REGR_SXX,
    ST_REGR_SYY,
    ST_REGR_SXY
} stat_fn;

/* Per-group moments. One-variable functions use count, mean_x, m2_x. */
enum { M_MEAN_X, M_MEAN_Y, M_M2_X, M_M2_Y, M_CXY, M_COUNT_ };

typedef struct stats_state {
    func_agg_state base;
    stat_fn fn;
    bool two; /* two variables */
    uint64_t *count;
    int64_t count_cap;
    double *m[M_COUNT_]; /* only the first (two ? 5 : 2) are used, see index_of */
    int64_t m_cap[M_COUNT_];
    agg_scratch mask_scratch;
    agg_scratch x_scratch;
    agg_scratch y_scratch;
} stats_state;

static int n_moments(const stats_state *s)
{
    return s->two ? M_COUNT_ : 2;
}

/* For one variable the moments are mean_x at 0 and m2_x at 1. */
#define MEAN_X(s) ((s)->m[0])
#define M2_X(s) ((s)->two ? (s)->m[M_M2_X] : (s)->m[1])

static qv_status ensure(stats_state *s, int64_t n_groups, qv_error *err)
{
    if (n_groups <= s->count_cap)
        return QV_OK;
    for (int k = 0; k < n_moments(s); k++)
        QV_TRY(func_agg_grow((void **)&s->m[k], &s->m_cap[k], n_groups, 8, err));
    return func_agg_grow((void **)&s->count, &s->count_cap, n_groups, 8, err);
}

static qv_status stats_update(func_agg_state *state, const func_datum *args,
                              const uint32_t *group_ids, const uint8_t *rows_selected,
                              int64_t n_rows, int64_t n_groups, qv_error *err)
{
    stats_state *s = (stats_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, s->two ? 2 : 1, rows_selected, n_rows, &s->mask_scratch, &mask,
                         &none, err));
    if (none)
        return QV_OK;
    double *xs = func_agg_scratch(&s->x_scratch, (size_t)n_rows * 8, err);
    if (xs == NULL)
        return QV_NOMEM;
    func_agg_load_f64(&args[0], n_rows, xs);
    uint64_t *count = s->count;
    if (!s->two) {
        double *mean = MEAN_X(s), *m2 = M2_X(s);
        AGG_FOR_ROWS(mask, n_rows, {
            uint32_t g = group_ids[i];
            double x = xs[i];
            double n = (double)++count[g];
            double d = x - mean[g];
            mean[g] += d / n;
            m2[g] += d * (x - mean[g]);
        });
        return QV_OK;
    }
    double *ys = func_agg_scratch(&s->y_scratch, (size_t)n_rows * 8, err);
    if (ys == NULL)
        return QV_NOMEM;
    func_agg_load_f64(&args[1], n_rows, ys);
    /* regr_*(y, x): the first argument is y. */
    if (s->fn >= ST_REGR_SLOPE) {
        double *t = xs;
        xs = ys;
        ys = t;
    }
    double *mx = s->m[M_MEAN_X], *my = s->m[M_MEAN_Y], *m2x = s->m[M_M2_X], *m2y = s->m[M_M2_Y],
           *cxy = s->m[M_CXY];
    AGG_FOR_ROWS(mask, n_rows, {
        uint32_t g = group_ids[i];
        double x = xs[i], y = ys[i];
        double n = (double)++count[g];
        double dx = x - mx[g], dy = y - my[g];
        mx[g] += dx / n;
        my[g] += dy / n;
        m2x[g] += dx * (x - mx[g]);
        m2y[g] += dy * (y - my[g]);
        cxy[g] += dx * (y - my[g]);
    });
    return QV_OK;
}

/* State columns: count, then the moments in m[] order. */
static qv_status stats_merge(func_agg_state *state, arrow_array *const *states,
                             const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                             qv_error *err)
{
    stats_state *s = (stats_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint64_t *cb = (const uint64_t *)func_fixed_ptr(states[0], 8);
    const double *in[M_COUNT_];
    int nm = n_moments(s);
    for (int k = 0; k < nm; k++)
        in[k] = (const double *)func_fixed_ptr(states[1 + k], 8);
    for (int64_t i = 0; i < n_rows; i++) {
        uint64_t nb = cb[i];
        if (nb == 0 || !arrow_array_is_valid(states[0], i))
            continue;
        uint32_t g = group_ids[i];
        uint64_t na = s->count[g];
        if (na == 0) {
            for (int k = 0; k < nm; k++)
                s->m[k][g] = in[k][i];
            s->count[g] = nb;
            continue;
        }
        double n = (double)(na + nb), fa = (double)na, fb = (double)nb;
        if (!s->two) {
            double d = in[0][i] - s->m[0][g];
            s->m[0][g] += d * fb / n;
            s->m[1][g] += in[1][i] + d * d * fa * fb / n;
        } else {
            double dx = in[M_MEAN_X][i] - s->m[M_MEAN_X][g];
            double dy = in[M_MEAN_Y][i] - s->m[M_MEAN_Y][g];
            s->m[M_MEAN_X][g] += dx * fb / n;
            s->m[M_MEAN_Y][g] += dy * fb / n;
            s->m[M_M2_X][g] += in[M_M2_X][i] + dx * dx * fa * fb / n;
            s->m[M_M2_Y][g] += in[M_M2_Y][i] + dy * dy * fa * fb / n;
            s->m[M_CXY][g] += in[M_CXY][i] + dx * dy * fa * fb / n;
        }
        s->count[g] = na + nb;
    }
    return QV_OK;
}

static qv_status stats_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                            qv_error *err)
{
    stats_state *s = (stats_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    int nm = n_moments(s);
    qv_status st = func_agg_make_array(arrow_type_primitive(QV_TYPE_UINT64), n_groups, s->count, 8,
                                       NULL, &states_out[0], err);
    int made = st == QV_OK ? 1 : 0;
    for (int k = 0; k < nm && st == QV_OK; k++, made++)
        st = func_agg_make_array(arrow_type_primitive(QV_TYPE_FLOAT64), n_groups, s->m[k], 8, NULL,
                                 &states_out[1 + k], err);
    if (st != QV_OK) {
        for (int k = 0; k < made; k++) {
            arrow_array_release(states_out[k]);
            states_out[k] = NULL;
        }
    }
    return st;
}

/* The value of group g; false for NULL. */
static bool stat_value(const stats_state *s, int64_t g, double *out)
{
    uint64_t c = s->count[g];
    double n = (double)c;
    switch (s->fn) {
    case ST_VAR_SAMP:
    case ST_STDDEV_SAMP:
        if (c < 2)
            return false;
        *out = M2_X(s)[g] / (n - 1);
        if (s->fn == ST_STDDEV_SAMP)
            *out = sqrt(*out);
        return true;
    case ST_VAR_POP:
    case ST_STDDEV_POP:
        if (c < 1)
            return false;
        *out = M2_X(s)[g] / n;
        if (s->fn == ST_STDDEV_POP)
            *out = sqrt(*out);
        return true;
    case ST_COVAR_SAMP:
        if (c < 2)
            return false;
        *out = s->m[M_CXY][g] / (n - 1);
        return true;
    case ST_COVAR_POP:
        if (c < 1)
            return false;
        *out = s->m[M_CXY][g] / n;
        return true;
    case ST_CORR: {
        double mx = s->m[M_MEAN_X][g], my = s->m[M_MEAN_Y][g];
        /* Both inputs all NaN: NaN; one NaN or too few rows: NULL. */
        if (isnan(mx) && isnan(my)) {
            *out = NAN;
            return true;
        }
        if (c < 2 || isnan(mx) || isnan(my))
            return false;
        double sx = sqrt(s->m[M_M2_X][g] / n), sy = sqrt(s->m[M_M2_Y][g] / n);
        if (sx == 0 || sy == 0)
            return false;
        *out = s->m[M_CXY][g] / n / sx / sy;
        return true;
    }
    default:
        break;
    }
    /* regr_* */
    double cov = s->m[M_CXY][g] / n, vx = s->m[M_M2_X][g] / n, vy = s->m[M_M2_Y][g] / n;
    switch (s->fn) {
    case ST_REGR_SLOPE:
        if (c <= 1 || vx == 0)
            return false;
        *out = cov / vx;
        return true;
    case ST_REGR_INTERCEPT:
        if (c <= 1 || vx == 0)
            return false;
        *out = s->m[M_MEAN_Y][g] - cov / vx * s->m[M_MEAN_X][g];
        return true;
    case ST_REGR_R2:
        if (c <= 1 || vx == 0 || vy == 0)
            return false;
        *out = cov * cov / (vx * vy);
        return true;
    case ST_REGR_AVGX:
        *out = s->m[M_MEAN_X][g];
        return c >= 1;
    case ST_REGR_AVGY:
        *out = s->m[M_MEAN_Y][g];
        return c >= 1;
    case ST_REGR_SXX:
        *out = s->m[M_M2_X][g];
        return c >= 1;
    case ST_REGR_SYY:
        *out = s->m[M_M2_Y][g];
        return c >= 1;
    default:
        *out = s->m[M_CXY][g];
        return c >= 1; /* ST_REGR_SXY */
    }
}

static qv_status stats_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                                qv_error *err)
{
    stats_state *s = (stats_state *)state;
    *out = NULL;
    QV_TRY(ensure(s, n_groups, err));
    if (s->fn == ST_REGR_COUNT)
        return func_agg_make_array(arrow_type_primitive(QV_TYPE_UINT64), n_groups, s->count, 8,
                                   NULL, out, err);
    double *vals = base_alloc((size_t)n_groups * 8 + 8);
    uint8_t *valid = base_alloc((size_t)n_groups + 1);
    qv_status st;
    if (vals == NULL || valid == NULL) {
        st = base_error_nomem(err, "statistics result");
    } else {
        for (int64_t g = 0; g < n_groups; g++) {
            vals[g] = 0;
            valid[g] = stat_value(s, g, &vals[g]);
        }
        st = func_agg_make_array(arrow_type_primitive(QV_TYPE_FLOAT64), n_groups, vals, 8, valid,
                                 out, err);
    }
    base_free(vals);
    base_free(valid);
    return st;
}

static int64_t stats_memory(const func_agg_state *state)
{
    const stats_state *s = (const stats_state *)state;
    int64_t bytes = (int64_t)sizeof *s + s->count_cap * 8;
    for (int k = 0; k < M_COUNT_; k++)
        bytes += s->m_cap[k] * 8;
    return bytes + (int64_t)(s->mask_scratch.cap + s->x_scratch.cap + s->y_scratch.cap);
}

static void stats_free(func_agg_state *state)
{
    stats_state *s = (stats_state *)state;
    if (s == NULL)
        return;
    base_free(s->count);
    for (int k = 0; k < M_COUNT_; k++)
        base_free(s->m[k]);
    func_agg_scratch_free(&s->mask_scratch);
    func_agg_scratch_free(&s->x_scratch);
    func_agg_scratch_free(&s->y_scratch);
    base_free(s);
}

/* var / stddev retract (window frames that slide): Welford's update run
 * backwards, as DataFusion's variance accumulator does, so that sliding
 * results agree with DataFusion's to the last bit. */
static qv_status stats_retract(func_agg_state *state, const func_datum *args,
                               const uint32_t *group_ids, const uint8_t *rows_selected,
                               int64_t n_rows, int64_t n_groups, qv_error *err)
{
    stats_state *s = (stats_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, 1, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none)
        return QV_OK;
    double *xs = func_agg_scratch(&s->x_scratch, (size_t)n_rows * 8, err);
    if (xs == NULL)
        return QV_NOMEM;
    func_agg_load_f64(&args[0], n_rows, xs);
    uint64_t *count = s->count;
    double *mean = MEAN_X(s), *m2 = M2_X(s);
    AGG_FOR_ROWS(mask, n_rows, {
        uint32_t g = group_ids[i];
        double x = xs[i];
        uint64_t n = --count[g];
        if (n == 0) {
            mean[g] = 0;
            m2[g] = 0;
        } else {
            double d1 = mean[g] - x;
            double next = d1 / (double)n + mean[g];
            m2[g] -= d1 * (next - x);
            mean[g] = next;
        }
    });
    return QV_OK;
}

static const func_agg_ops stats_ops = {stats_update, stats_merge, stats_emit, stats_evaluate,
                                       stats_memory, stats_free,  NULL};
static const func_agg_ops stats1_ops = {stats_update, stats_merge, stats_emit,   stats_evaluate,
                                        stats_memory, stats_free,  stats_retract};

static qv_status stats_create(stat_fn fn, const func_agg_call *call, func_agg_state **out,
                              qv_error *err)
{
    AGG_UNUSED(call);
    *out = NULL;
    stats_state *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "aggregate state");
    s->fn = fn;
    s->two = fn >= ST_COVAR_SAMP;
    s->base.ops = s->two ? &stats_ops : &stats1_ops;
    *out = &s->base;
    return QV_OK;
}

static qv_status stats_schema(stat_fn fn, arrow_schema **out, qv_error *err)
{
    static const char *const one[] = {"count", "mean", "m2"};
    static const char *const two[] = {"count", "mean_x", "mean_y", "m2_x", "m2_y", "c_xy"};
    arrow_type *u64 = arrow_type_primitive(QV_TYPE_UINT64),
               *f64 = arrow_type_primitive(QV_TYPE_FLOAT64);
    arrow_type *types[] = {u64, f64, f64, f64, f64, f64};
    if (fn >= ST_COVAR_SAMP)
        return func_agg_schema(6, two, types, out, err);
    return func_agg_schema(3, one, types, out, err);
}

#define STATS_IMPL(NAME, FN, RT)                                                                   \
    static qv_status NAME##_schema(const func_agg_call *call, arrow_schema **out, qv_error *err)   \
    {                                                                                              \
        AGG_UNUSED(call);                                                                          \
        return stats_schema(FN, out, err);                                                         \
    }                                                                                              \
    static qv_status NAME##_create(const func_agg_call *call, func_agg_state **out, qv_error *err) \
    {                                                                                              \
        return stats_create(FN, call, out, err);                                                   \
    }                                                                                              \
    const func_agg_impl func_agg_##NAME##_impl = {RT, NAME##_schema, NAME##_create};

STATS_IMPL(var_samp, ST_VAR_SAMP, func_agg_rt_f64)
STATS_IMPL(var_pop, ST_VAR_POP, func_agg_rt_f64)
STATS_IMPL(stddev_samp, ST_STDDEV_SAMP, func_agg_rt_f64)
STATS_IMPL(stddev_pop, ST_STDDEV_POP, func_agg_rt_f64)
STATS_IMPL(covar_samp, ST_COVAR_SAMP, func_agg_rt_f64)
STATS_IMPL(covar_pop, ST_COVAR_POP, func_agg_rt_f64)
STATS_IMPL(corr, ST_CORR, func_agg_rt_f64)
STATS_IMPL(regr_slope, ST_REGR_SLOPE, func_agg_rt_f64)
STATS_IMPL(regr_intercept, ST_REGR_INTERCEPT, func_agg_rt_f64)
STATS_IMPL(regr_count, ST_REGR_COUNT, func_agg_rt_u64)
STATS_IMPL(regr_r2, ST_REGR_R2, func_agg_rt_f64)
STATS_IMPL(regr_avgx, ST_REGR_AVGX, func_agg_rt_f64)
STATS_IMPL(regr_avgy, ST_REGR_AVGY, func_agg_rt_f64)
STATS_IMPL(regr_sxx, ST_REGR_SXX, func_agg_rt_f64)
STATS_IMPL(regr_syy, ST_REGR_SYY, func_agg_rt_f64)
STATS_IMPL(regr_sxy, ST_REGR_SXY, func_agg_rt_f64)
