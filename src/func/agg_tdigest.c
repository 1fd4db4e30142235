/*
 * agg_tdigest.c — the t-digest behind approx_percentile_cont, its weighted
 * form and approx_median (layer: func). It is the merging variant
 * DataFusion uses (Dunning's t-digest as Facebook Folly implements it):
 * centroids sorted by mean; adding a sorted run or merging digests walks the
 * union in mean order and closes a centroid whenever the running weight
 * passes count * k_to_q(k, max_size) for the next k, with the quadratic
 * k-to-q scale that keeps centroids small at both tails; quantiles
 * interpolate between neighbouring centroid means and clamp to them. Same
 * steps as DataFusion so results agree.
 */
#include <math.h>

#include "func/agg_int.h"

void func_agg_tdigest_init(agg_tdigest *d)
{
    memset(d, 0, sizeof *d);
    d->min = NAN;
    d->max = NAN;
}

void func_agg_tdigest_free(agg_tdigest *d)
{
    base_free(d->centroids);
    func_agg_tdigest_init(d);
}

static double k_to_q(int64_t k, int32_t d)
{
    double kd = (double)k / (double)d;
    if (kd >= 0.5) {
        double base = 1.0 - kd;
        return 1.0 - 2.0 * base * base;
    }
    return 2.0 * kd * kd;
}

/* Folds (sum, weight) into c; returns the centroid's new weighted sum. */
static double centroid_add(agg_centroid *c, double sum, double weight)
{
    double new_sum = sum + c->weight * c->mean;
    double new_weight = c->weight + weight;
    c->weight = new_weight;
    c->mean = new_sum / new_weight;
    return new_sum;
}

static inline bool mean_less(const agg_centroid *a, const agg_centroid *b)
{
    return func_agg_f64_key(a->mean) < func_agg_f64_key(b->mean);
}

/* Stable merge sort of centroids by mean (total order); tmp holds n. */
static void sort_centroids(agg_centroid *c, agg_centroid *tmp, int64_t n)
{
    for (int64_t width = 1; width < n; width *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = mean_less(&c[j], &c[i]) ? c[j++] : c[i++];
            while (i < mid)
                tmp[k++] = c[i++];
            while (j < hi)
                tmp[k++] = c[j++];
        }
        memcpy(c, tmp, (size_t)n * sizeof *c);
    }
}

/* Replaces d's centroids by out[0..n) (sorted here) with the given totals. */
static qv_status install(agg_tdigest *d, agg_centroid *out, int64_t n, agg_centroid *tmp,
                         qv_error *err)
{
    sort_centroids(out, tmp, n);
    if (n > d->cap) {
        agg_centroid *c = base_realloc(d->centroids, (size_t)n * sizeof *c);
        if (c == NULL)
            return base_error_nomem(err, "t-digest");
        d->centroids = c;
        d->cap = (int32_t)n;
    }
    memcpy(d->centroids, out, (size_t)n * sizeof *out);
    d->n = (int32_t)n;
    return QV_OK;
}

qv_status func_agg_tdigest_add_sorted(agg_tdigest *d, int32_t max_size, const double *values,
                                      int64_t n, agg_scratch *scratch, qv_error *err)
{
    if (n == 0)
        return QV_OK;
    int64_t total = d->n + n;
    agg_centroid *out = func_agg_scratch(scratch, (size_t)total * 2 * sizeof *out, err);
    if (out == NULL)
        return QV_NOMEM;
    agg_centroid *tmp = out + total;
    double count = d->count + (double)n;
    double min = d->count > 0 ? fmin(d->min, values[0]) : values[0];
    double max = d->count > 0 ? fmax(d->max, values[n - 1]) : values[n - 1];

    int64_t ci = 0, vi = 0, n_out = 0;
    agg_centroid curr;
    /* The next centroid in mean order: an existing centroid when its mean is
     * below the next value, else the value with weight 1. */
#define NEXT(dst)                                                                                  \
    do {                                                                                           \
        if (ci < d->n && (vi >= n || d->centroids[ci].mean < values[vi])) {                        \
            dst = d->centroids[ci++];                                                              \
        } else {                                                                                   \
            dst.mean = values[vi++];                                                               \
            dst.weight = 1.0;                                                                      \
        }                                                                                          \
    } while (0)
    NEXT(curr);
    int64_t k_limit = 1;
    double q_limit = k_to_q(k_limit, max_size) * count;
    k_limit++;
    double weight_so_far = curr.weight, sums = 0, weights = 0, sum = 0;
    while (ci < d->n || vi < n) {
        agg_centroid next;
        NEXT(next);
        weight_so_far += next.weight;
        if (weight_so_far <= q_limit) {
            sums += next.mean * next.weight;
            weights += next.weight;
        } else {
            sum += centroid_add(&curr, sums, weights);
            sums = weights = 0;
            out[n_out++] = curr;
            q_limit = k_to_q(k_limit, max_size) * count;
            k_limit++;
            curr = next;
        }
    }
#undef NEXT
    sum += centroid_add(&curr, sums, weights);
    out[n_out++] = curr;
    QV_TRY(install(d, out, n_out, tmp, err));
    d->count = count;
    d->sum = sum;
    d->min = min;
    d->max = max;
    return QV_OK;
}

qv_status func_agg_tdigest_merge(agg_tdigest *d, int32_t max_size, const agg_tdigest *parts,
                                 int64_t n_parts, agg_scratch *scratch, qv_error *err)
{
    int64_t total = d->n;
    for (int64_t p = 0; p < n_parts; p++)
        total += parts[p].count > 0 ? parts[p].n : 0;
    if (total == 0)
        return QV_OK;
    agg_centroid *all = func_agg_scratch(scratch, (size_t)total * 3 * sizeof *all, err);
    if (all == NULL)
        return QV_NOMEM;
    agg_centroid *out = all + total, *tmp = out + total;
    /* Digests in order (parts first, then d, as DataFusion chains its own
     * digest last), each run already sorted; a stable sort keeps ties in
     * that order. */
    int64_t k = 0;
    double count = 0, min = INFINITY, max = -INFINITY;
    for (int64_t p = 0; p <= n_parts; p++) {
        const agg_tdigest *src = p < n_parts ? &parts[p] : d;
        if (src->count <= 0)
            continue;
        min = fmin(min, src->min);
        max = fmax(max, src->max);
        count += src->count;
        memcpy(all + k, src->centroids, (size_t)src->n * sizeof *all);
        k += src->n;
    }
    sort_centroids(all, tmp, k);
    double total_weight = 0;
    for (int64_t i = 0; i < k; i++)
        total_weight += all[i].weight;
    if (k == 0 || total_weight <= 0)
        return QV_OK;

    int64_t k_limit = 1, n_out = 0;
    double q_limit = k_to_q(k_limit, max_size) * count;
    agg_centroid curr = all[0];
    double weight_so_far = curr.weight, sums = 0, weights = 0, sum = 0;
    for (int64_t i = 1; i < k; i++) {
        weight_so_far += all[i].weight;
        if (weight_so_far <= q_limit) {
            sums += all[i].mean * all[i].weight;
            weights += all[i].weight;
        } else {
            sum += centroid_add(&curr, sums, weights);
            sums = weights = 0;
            out[n_out++] = curr;
            q_limit = k_to_q(k_limit, max_size) * count;
            k_limit++;
            curr = all[i];
        }
    }
    sum += centroid_add(&curr, sums, weights);
    out[n_out++] = curr;
    QV_TRY(install(d, out, n_out, tmp, err));
    d->count = count;
    d->sum = sum;
    d->min = min;
    d->max = max;
    return QV_OK;
}

static double clamp(double v, double lo, double hi)
{
    if (isnan(lo) || isnan(hi))
        return v;
    return v < lo ? lo : v > hi ? hi : v;
}

double func_agg_tdigest_quantile(const agg_tdigest *d, double q)
{
    if (d->n == 0)
        return 0.0;
    const agg_centroid *c = d->centroids;
    int64_t n = d->n, pos;
    double rank = q * d->count, t;
    if (q > 0.5) {
        if (q >= 1.0)
            return d->max;
        pos = 0;
        t = d->count;
        for (int64_t k = n - 1; k >= 0; k--) {
            t -= c[k].weight;
            if (rank >= t) {
                pos = k;
                break;
            }
        }
    } else {
        if (q <= 0.0)
            return d->min;
        pos = n - 1;
        t = 0;
        for (int64_t k = 0; k < n; k++) {
            if (rank < t + c[k].weight) {
                pos = k;
                break;
            }
            t += c[k].weight;
        }
    }
    double delta = 0, min = d->min, max = d->max;
    if (n > 1) {
        if (pos == 0) {
            delta = c[1].mean - c[0].mean;
            max = c[1].mean;
        } else if (pos == n - 1) {
            delta = c[n - 1].mean - c[n - 2].mean;
            min = c[n - 2].mean;
        } else {
            delta = (c[pos + 1].mean - c[pos - 1].mean) / 2.0;
            min = c[pos - 1].mean;
            max = c[pos + 1].mean;
        }
    }
    double value = c[pos].mean + ((rank - t) / c[pos].weight - 0.5) * delta;
    /* An infinite bound left from a lone NaN does not clamp. */
    if (!isfinite(min) && !signbit(min))
        min = -INFINITY;
    if (!isfinite(max) && signbit(max))
        max = INFINITY;
    return clamp(value, min, max);
}
