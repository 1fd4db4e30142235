/*
 * agg_approx.c — approx_percentile_cont(x, p [, max_size]),
 * approx_percentile_cont_with_weight(x, w, p) and approx_median(x) (layer:
 * func): one t-digest per group (agg_tdigest.c). Each batch's rows are
 * bucketed by group and sorted, then every touched group folds its sorted
 * run into its digest, as DataFusion does per batch. The result is Float64
 * for integer and Decimal128 input and keeps a float input's type (as the
 * conformance corpus shows), NULL for a group without values. The percentile and max_size
 * are literals checked at creation with DataFusion's planning errors. The
 * partial state is the digest: count, sum, min, max and the centroids as a
 * List(Float64) of (mean, weight) pairs.
 */
#include <math.h>

#include "func/agg_int.h"

typedef enum pct_mode { PCT_PLAIN, PCT_WEIGHT, PCT_MEDIAN } pct_mode;

typedef struct pct_state {
    func_agg_state base;
    pct_mode mode;
    double percentile;
    int32_t max_size;
    arrow_type *out_type;
    agg_tdigest *digests;
    int64_t cap;
    int64_t centroid_bytes;
    agg_scratch mask_scratch;
    agg_scratch x_scratch;
    agg_scratch w_scratch;
    agg_scratch rows_scratch;
    agg_scratch run_scratch;
    agg_scratch work_scratch;
} pct_state;

static qv_status ensure(pct_state *s, int64_t n_groups, qv_error *err)
{
    if (n_groups <= s->cap)
        return QV_OK;
    int64_t old = s->cap;
    QV_TRY(func_agg_grow((void **)&s->digests, &s->cap, n_groups, sizeof(agg_tdigest), err));
    for (int64_t g = old; g < s->cap; g++)
        func_agg_tdigest_init(&s->digests[g]);
    return QV_OK;
}

static void track(pct_state *s, const agg_tdigest *d, int32_t old_cap)
{
    s->centroid_bytes += (int64_t)(d->cap - old_cap) * (int64_t)sizeof(agg_centroid);
}

static qv_status pct_update(func_agg_state *state, const func_datum *args,
                            const uint32_t *group_ids, const uint8_t *rows_selected, int64_t n_rows,
                            int64_t n_groups, qv_error *err)
{
    pct_state *s = (pct_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    bool weighted = s->mode == PCT_WEIGHT;
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, weighted ? 2 : 1, rows_selected, n_rows, &s->mask_scratch, &mask,
                         &none, err));
    if (none || args[0].array->type->id == QV_TYPE_NULL)
        return QV_OK;
    double *xs = func_agg_scratch(&s->x_scratch, (size_t)n_rows * 8, err);
    if (xs == NULL)
        return QV_NOMEM;
    func_agg_load_f64(&args[0], n_rows, xs);
    double *ws = NULL;
    if (weighted) {
        ws = func_agg_scratch(&s->w_scratch, (size_t)n_rows * 8, err);
        if (ws == NULL)
            return QV_NOMEM;
        func_agg_load_f64(&args[1], n_rows, ws);
    }
    uint32_t *rows;
    int64_t n;
    QV_TRY(func_agg_group_rows(group_ids, mask, n_rows, &s->rows_scratch, &rows, &n, err));
    for (int64_t start = 0; start < n;) {
        uint32_t g = group_ids[rows[start]];
        int64_t end = start + 1;
        while (end < n && group_ids[rows[end]] == g)
            end++;
        int64_t len = end - start;
        agg_tdigest *d = &s->digests[g];
        int32_t old_cap = d->cap;
        if (!weighted) {
            /* Sort the run in total order through the float keys. */
            int64_t *keys = func_agg_scratch(&s->run_scratch, (size_t)len * 8, err);
            if (keys == NULL)
                return QV_NOMEM;
            for (int64_t k = 0; k < len; k++)
                keys[k] = func_agg_f64_key(xs[rows[start + k]]);
            func_agg_sort_i64(keys, len);
            double *sorted = (double *)(void *)keys;
            for (int64_t k = 0; k < len; k++) {
                int64_t bits = func_agg_f64_key(sorted[k]); /* the mapping is its own inverse */
                memcpy(&sorted[k], &bits, 8);
            }
            QV_TRY(func_agg_tdigest_add_sorted(d, s->max_size, sorted, len, &s->work_scratch, err));
        } else {
            /* One single-centroid digest per row, merged in row order. */
            size_t bytes = (size_t)len * (sizeof(agg_tdigest) + sizeof(agg_centroid));
            uint8_t *buf = func_agg_scratch(&s->run_scratch, bytes, err);
            if (buf == NULL)
                return QV_NOMEM;
            agg_tdigest *parts = (agg_tdigest *)(void *)buf;
            agg_centroid *cs = (agg_centroid *)(void *)(buf + (size_t)len * sizeof(agg_tdigest));
            for (int64_t k = 0; k < len; k++) {
                double x = xs[rows[start + k]], w = ws[rows[start + k]];
                cs[k].mean = x;
                cs[k].weight = w;
                parts[k].centroids = &cs[k];
                parts[k].n = parts[k].cap = 1;
                parts[k].count = w;
                parts[k].sum = x * w;
                parts[k].min = parts[k].max = x;
            }
            QV_TRY(func_agg_tdigest_merge(d, s->max_size, parts, len, &s->work_scratch, err));
        }
        track(s, d, old_cap);
        start = end;
    }
    return QV_OK;
}

/* States: count, sum, min, max (Float64) and centroids (List(Float64)). */
static qv_status pct_merge(func_agg_state *state, arrow_array *const *states,
                           const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                           qv_error *err)
{
    pct_state *s = (pct_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const double *count = (const double *)func_fixed_ptr(states[0], 8);
    const double *sum = (const double *)func_fixed_ptr(states[1], 8);
    const double *min = (const double *)func_fixed_ptr(states[2], 8);
    const double *max = (const double *)func_fixed_ptr(states[3], 8);
    const arrow_array *lists = states[4];
    const int32_t *off = (const int32_t *)(const void *)lists->buffers[1]->data + lists->offset;
    const arrow_array *child = lists->children[0];
    const double *means = (const double *)func_fixed_ptr(child, 8);
    uint8_t *mask = func_agg_scratch(&s->mask_scratch, (size_t)n_rows + 1, err);
    if (mask == NULL)
        return QV_NOMEM;
    for (int64_t i = 0; i < n_rows; i++)
        mask[i] = arrow_array_is_valid(states[0], i) && count[i] > 0;
    uint32_t *rows;
    int64_t n;
    QV_TRY(func_agg_group_rows(group_ids, mask, n_rows, &s->rows_scratch, &rows, &n, err));
    for (int64_t start = 0; start < n;) {
        uint32_t g = group_ids[rows[start]];
        int64_t end = start + 1;
        while (end < n && group_ids[rows[end]] == g)
            end++;
        int64_t len = end - start;
        agg_tdigest *parts = func_agg_scratch(&s->run_scratch, (size_t)len * sizeof *parts, err);
        if (parts == NULL)
            return QV_NOMEM;
        for (int64_t k = 0; k < len; k++) {
            uint32_t r = rows[start + k];
            /* the (mean, weight) pairs are read in place */
            parts[k].centroids = (agg_centroid *)(void *)(means + off[r]);
            parts[k].n = parts[k].cap = (int32_t)((off[r + 1] - off[r]) / 2);
            parts[k].count = count[r];
            parts[k].sum = sum[r];
            parts[k].min = min[r];
            parts[k].max = max[r];
        }
        agg_tdigest *d = &s->digests[g];
        int32_t old_cap = d->cap;
        QV_TRY(func_agg_tdigest_merge(d, s->max_size, parts, len, &s->work_scratch, err));
        track(s, d, old_cap);
        start = end;
    }
    return QV_OK;
}

static qv_status pct_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                          qv_error *err)
{
    pct_state *s = (pct_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    arrow_type *f64 = arrow_type_primitive(QV_TYPE_FLOAT64), *list_type = NULL;
    double *vals = base_alloc((size_t)n_groups * 8 + 8);
    arrow_builder *b = NULL;
    qv_status st = vals == NULL ? base_error_nomem(err, "t-digest state") : QV_OK;
    int made = 0;
    for (int field = 0; field < 4 && st == QV_OK; field++, made++) {
        for (int64_t g = 0; g < n_groups; g++) {
            const agg_tdigest *d = &s->digests[g];
            vals[g] = field == 0 ? d->count : field == 1 ? d->sum : field == 2 ? d->min : d->max;
        }
        st = func_agg_make_array(f64, n_groups, vals, 8, NULL, &states_out[field], err);
        if (st != QV_OK)
            break;
    }
    if (st == QV_OK)
        st = arrow_type_list_of(QV_TYPE_LIST, f64, &list_type, err);
    if (st == QV_OK)
        st = arrow_builder_new(list_type, &b, err);
    for (int64_t g = 0; g < n_groups && st == QV_OK; g++) {
        const agg_tdigest *d = &s->digests[g];
        arrow_builder *items = arrow_builder_child(b, 0);
        for (int32_t k = 0; k < d->n && st == QV_OK; k++) {
            st = arrow_builder_append_double(items, d->centroids[k].mean, err);
            if (st == QV_OK)
                st = arrow_builder_append_double(items, d->centroids[k].weight, err);
        }
        if (st == QV_OK)
            st = arrow_builder_end_list(b, true, err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, &states_out[4], err);
    arrow_builder_free(b);
    arrow_type_release(list_type);
    base_free(vals);
    if (st != QV_OK) {
        for (int k = 0; k < made; k++) {
            arrow_array_release(states_out[k]);
            states_out[k] = NULL;
        }
    }
    return st;
}

static qv_status pct_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                              qv_error *err)
{
    pct_state *s = (pct_state *)state;
    *out = NULL;
    QV_TRY(ensure(s, n_groups, err));
    if (s->out_type->id == QV_TYPE_NULL)
        return func_agg_nulls(s->out_type, n_groups, out, err);
    arrow_builder *b;
    QV_TRY(arrow_builder_new(s->out_type, &b, err));
    qv_status st = QV_OK;
    for (int64_t g = 0; g < n_groups && st == QV_OK; g++) {
        const agg_tdigest *d = &s->digests[g];
        if (d->count <= 0 || d->n == 0)
            st = arrow_builder_append_null(b, err);
        else
            st = arrow_builder_append_double(b, func_agg_tdigest_quantile(d, s->percentile), err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

static int64_t pct_memory(const func_agg_state *state)
{
    const pct_state *s = (const pct_state *)state;
    return (int64_t)sizeof *s + s->cap * (int64_t)sizeof(agg_tdigest) + s->centroid_bytes +
           (int64_t)(s->mask_scratch.cap + s->x_scratch.cap + s->w_scratch.cap +
                     s->rows_scratch.cap + s->run_scratch.cap + s->work_scratch.cap);
}

static void pct_free(func_agg_state *state)
{
    pct_state *s = (pct_state *)state;
    if (s == NULL)
        return;
    for (int64_t g = 0; g < s->cap; g++)
        func_agg_tdigest_free(&s->digests[g]);
    base_free(s->digests);
    arrow_type_release(s->out_type);
    func_agg_scratch_free(&s->mask_scratch);
    func_agg_scratch_free(&s->x_scratch);
    func_agg_scratch_free(&s->w_scratch);
    func_agg_scratch_free(&s->rows_scratch);
    func_agg_scratch_free(&s->run_scratch);
    func_agg_scratch_free(&s->work_scratch);
    base_free(s);
}

static const func_agg_ops pct_ops = {pct_update, pct_merge, pct_emit, pct_evaluate,
                                     pct_memory, pct_free,  NULL};

/* ---- literals ---- */

static qv_status read_percentile(const arrow_array *lit, double *out, qv_error *err)
{
    if (lit == NULL)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Percentile value for "
                              "'APPROX_PERCENTILE_CONT' must be a literal");
    arrow_type_id id = lit->type->id;
    if (id == QV_TYPE_NULL || !arrow_array_is_valid(lit, 0))
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Percentile value for "
                              "'APPROX_PERCENTILE_CONT' must be Float32 or Float64 literal (got "
                              "null)");
    if (id != QV_TYPE_FLOAT32 && id != QV_TYPE_FLOAT64) {
        char name[128];
        func_type_name(lit->type, name, sizeof name);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Percentile value for "
                              "'APPROX_PERCENTILE_CONT' must be Float32 or Float64 literal (got "
                              "data type %s)",
                              name);
    }
    func_datum d = {(arrow_array *)lit, true};
    func_agg_load_f64(&d, 1, out);
    if (!(*out >= 0.0 && *out <= 1.0)) {
        char text[64];
        func_agg_format_f64(*out, text, sizeof text);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Percentile value must be between 0.0 and "
                              "1.0 inclusive, %s is invalid",
                              text);
    }
    return QV_OK;
}

static qv_status read_max_size(const arrow_array *lit, int32_t *out, qv_error *err)
{
    if (lit == NULL)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Tdigest max_size value for "
                              "'APPROX_PERCENTILE_CONT' must be a literal");
    arrow_type_id id = lit->type->id;
    double v = 0;
    bool ok = arrow_type_is_integer(id) && arrow_array_is_valid(lit, 0);
    if (ok) {
        func_datum d = {(arrow_array *)lit, true};
        func_agg_load_f64(&d, 1, &v);
        ok = arrow_type_is_signed_integer(id) ? v > 0 : v >= 0;
    }
    if (!ok) {
        char name[128];
        func_type_name(lit->type, name, sizeof name);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Tdigest max_size value for "
                              "'APPROX_PERCENTILE_CONT' must be UInt > 0 literal (got data type "
                              "%s).",
                              name);
    }
    *out = v > 1e6 ? 1000000 : v < 1 ? 1 : (int32_t)v;
    return QV_OK;
}

static qv_status rt_pct(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    arrow_type_id id = types[0]->id;
    /* Integers and decimals are estimated as Float64; floats keep their type. */
    if (arrow_type_is_integer(id) || id == QV_TYPE_DECIMAL128) {
        *out = arrow_type_primitive(QV_TYPE_FLOAT64);
        return QV_OK;
    }
    if (!arrow_type_is_floating(id) && id != QV_TYPE_NULL) {
        char name[128];
        func_type_name(types[0], name, sizeof name);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: approx_percentile_cont requires numeric "
                              "input types, got %s",
                              name);
    }
    *out = arrow_type_retain(types[0]);
    return QV_OK;
}

static qv_status pct_create(pct_mode mode, const func_agg_call *call, func_agg_state **out,
                            qv_error *err)
{
    *out = NULL;
    double percentile = 0.5;
    int32_t max_size = 100;
    if (mode == PCT_PLAIN) {
        QV_TRY(read_percentile(func_agg_literal(call, 1), &percentile, err));
        if (call->n_args > 2)
            QV_TRY(read_max_size(func_agg_literal(call, 2), &max_size, err));
    } else if (mode == PCT_WEIGHT) {
        QV_TRY(read_percentile(func_agg_literal(call, 2), &percentile, err));
    }
    arrow_type *out_type;
    QV_TRY(rt_pct(1, call->arg_types, &out_type, err));
    pct_state *s = base_calloc(1, sizeof *s);
    if (s == NULL) {
        arrow_type_release(out_type);
        return base_error_nomem(err, "aggregate state");
    }
    s->base.ops = &pct_ops;
    s->mode = mode;
    s->percentile = percentile;
    s->max_size = max_size;
    s->out_type = out_type;
    *out = &s->base;
    return QV_OK;
}

static qv_status pct_schema(const func_agg_call *call, arrow_schema **out, qv_error *err)
{
    AGG_UNUSED(call);
    static const char *const names[] = {"count", "sum", "min", "max", "centroids"};
    arrow_type *f64 = arrow_type_primitive(QV_TYPE_FLOAT64), *list;
    QV_TRY(arrow_type_list_of(QV_TYPE_LIST, f64, &list, err));
    arrow_type *types[] = {f64, f64, f64, f64, list};
    qv_status st = func_agg_schema(5, names, types, out, err);
    arrow_type_release(list);
    return st;
}

static qv_status plain_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    return pct_create(PCT_PLAIN, call, out, err);
}

static qv_status weight_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    return pct_create(PCT_WEIGHT, call, out, err);
}

static qv_status median_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    return pct_create(PCT_MEDIAN, call, out, err);
}

const func_agg_impl func_agg_approx_percentile_impl = {rt_pct, pct_schema, plain_create};
const func_agg_impl func_agg_approx_percentile_weight_impl = {rt_pct, pct_schema, weight_create};
const func_agg_impl func_agg_approx_median_impl = {rt_pct, pct_schema, median_create};
