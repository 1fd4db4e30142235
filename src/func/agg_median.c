/*
 * agg_median.c — the exact median (layer: func). Every value is kept in
 * one flat (group, value) log, so many small groups cost no per-group
 * allocations; evaluate buckets the log by group (radix on the group id)
 * and sorts each group's run. Types as DataFusion: integers give Float64
 * (the mean of the two middle values for an even count), floats keep their
 * type (NaN sorts last), Decimal128 keeps its type with the middle mean
 * truncated toward zero. The partial state is List(Float64) or
 * List(Decimal128) of the group's values.
 */
#include "func/agg_int.h"

typedef struct median_state {
    func_agg_state base;
    bool decimal; /* values are i128, else doubles */
    bool null_input;
    arrow_type *out_type;
    arrow_type *value_type; /* Float64 or the decimal type */
    uint32_t *groups;
    int64_t groups_cap;
    uint8_t *values; /* 8 or 16 bytes each */
    int64_t values_cap;
    int64_t n;
    agg_scratch mask_scratch;
    agg_scratch load_scratch;
    agg_scratch rows_scratch;
    agg_scratch run_scratch;
} median_state;

static int value_width(const median_state *s)
{
    return s->decimal ? 16 : 8;
}

static qv_status reserve(median_state *s, int64_t extra, qv_error *err)
{
    QV_TRY(func_agg_grow((void **)&s->groups, &s->groups_cap, s->n + extra, 4, err));
    return func_agg_grow((void **)&s->values, &s->values_cap, s->n + extra, (size_t)value_width(s),
                         err);
}

static qv_status median_update(func_agg_state *state, const func_datum *args,
                               const uint32_t *group_ids, const uint8_t *rows_selected,
                               int64_t n_rows, int64_t n_groups, qv_error *err)
{
    AGG_UNUSED(n_groups);
    median_state *s = (median_state *)state;
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, 1, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none || s->null_input)
        return QV_OK;
    QV_TRY(reserve(s, n_rows, err));
    int w = value_width(s);
    const uint8_t *src;
    if (s->decimal) {
        src = func_agg_fixed(&args[0], n_rows, 16, &s->load_scratch, err);
        if (src == NULL)
            return QV_NOMEM;
    } else {
        double *d = func_agg_scratch(&s->load_scratch, (size_t)n_rows * 8, err);
        if (d == NULL)
            return QV_NOMEM;
        func_agg_load_f64(&args[0], n_rows, d);
        src = (const uint8_t *)d;
    }
    int64_t n = s->n;
    uint32_t *groups = s->groups;
    uint8_t *values = s->values;
    if (w == 8)
        AGG_FOR_ROWS(mask, n_rows, {
            groups[n] = group_ids[i];
            memcpy(values + n * 8, src + i * 8, 8);
            n++;
        });
    else
        AGG_FOR_ROWS(mask, n_rows, {
            groups[n] = group_ids[i];
            memcpy(values + n * 16, src + i * 16, 16);
            n++;
        });
    s->n = n;
    return QV_OK;
}

static qv_status median_merge(func_agg_state *state, arrow_array *const *states,
                              const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                              qv_error *err)
{
    AGG_UNUSED(n_groups);
    median_state *s = (median_state *)state;
    const arrow_array *lists = states[0];
    if (n_rows == 0 || s->null_input)
        return QV_OK;
    const int32_t *off = (const int32_t *)(const void *)lists->buffers[1]->data + lists->offset;
    QV_TRY(reserve(s, off[n_rows] - off[0], err));
    int w = value_width(s);
    const uint8_t *src = func_fixed_ptr(lists->children[0], w);
    for (int64_t i = 0; i < n_rows; i++) {
        if (!arrow_array_is_valid(lists, i))
            continue;
        for (int64_t k = off[i]; k < off[i + 1]; k++) {
            s->groups[s->n] = group_ids[i];
            memcpy(s->values + s->n * w, src + k * w, (size_t)w);
            s->n++;
        }
    }
    return QV_OK;
}

static func_i128 i128_mid(func_i128 a, func_i128 b)
{
    func_i128 sum;
    if (!__builtin_add_overflow(a, b, &sum))
        return sum / 2;
    /* a/2 + b/2 + (a%2 + b%2)/2 avoids the overflow */
    return a / 2 + b / 2 + (a % 2 + b % 2) / 2;
}

#define MEDIAN_OF_RUN(g, run, len)                                                                 \
    do {                                                                                           \
        valid[g] = 1;                                                                              \
        if (s->decimal) {                                                                          \
            const func_i128 *v = (const func_i128 *)(const void *)(run);                           \
            func_i128 m = (len) % 2 ? v[(len) / 2] : i128_mid(v[(len) / 2 - 1], v[(len) / 2]);     \
            memcpy(out_vals + (int64_t)(g)*16, &m, 16);                                            \
        } else {                                                                                   \
            const double *v = (const double *)(const void *)(run);                                 \
            double m = (len) % 2 ? v[(len) / 2] : (v[(len) / 2 - 1] + v[(len) / 2]) / 2;           \
            if (is_f32) {                                                                          \
                float f = (float)m;                                                                \
                memcpy(out_vals + (int64_t)(g)*4, &f, 4);                                          \
            } else {                                                                               \
                memcpy(out_vals + (int64_t)(g)*8, &m, 8);                                          \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static qv_status median_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                                 qv_error *err)
{
    median_state *s = (median_state *)state;
    *out = NULL;
    arrow_type_id id = s->out_type->id;
    if (id == QV_TYPE_NULL)
        return func_agg_nulls(s->out_type, n_groups, out, err);
    bool is_f32 = id == QV_TYPE_FLOAT32;
    int out_w = s->decimal ? 16 : is_f32 ? 4 : 8;
    uint8_t *out_vals = base_calloc((size_t)n_groups + 1, (size_t)out_w);
    uint8_t *valid = base_calloc((size_t)n_groups + 1, 1);
    if (out_vals == NULL || valid == NULL) {
        base_free(out_vals);
        base_free(valid);
        return base_error_nomem(err, "median result");
    }
    qv_status st = QV_OK;
    do { /* breaks out to the cleanup below */
        uint32_t *rows;
        int64_t n;
        st = func_agg_group_rows(s->groups, NULL, s->n, &s->rows_scratch, &rows, &n, err);
        if (st != QV_OK)
            break;
        int w = value_width(s);
        uint8_t *run = func_agg_scratch(&s->run_scratch, (size_t)(s->n + 1) * (size_t)w, err);
        if (run == NULL) {
            st = QV_NOMEM;
            break;
        }
        for (int64_t start = 0; start < n;) {
            uint32_t g = s->groups[rows[start]];
            int64_t end = start + 1;
            while (end < n && s->groups[rows[end]] == g)
                end++;
            int64_t len = end - start;
            if (s->decimal) {
                func_i128 *k = (func_i128 *)(void *)run;
                for (int64_t j = 0; j < len; j++)
                    memcpy(&k[j], s->values + (int64_t)rows[start + j] * 16, 16);
                func_agg_sort_i128(k, len);
            } else {
                int64_t *k = (int64_t *)(void *)run;
                for (int64_t j = 0; j < len; j++) {
                    double v;
                    memcpy(&v, s->values + (int64_t)rows[start + j] * 8, 8);
                    k[j] = func_agg_f64_key(v);
                }
                func_agg_sort_i64(k, len);
                for (int64_t j = 0; j < len; j++) {
                    int64_t bits = func_agg_f64_key(((double *)(void *)run)[j]);
                    memcpy(run + j * 8, &bits, 8);
                }
            }
            if (g < n_groups)
                MEDIAN_OF_RUN(g, run, len);
            start = end;
        }
    } while (0);
    if (st == QV_OK && id == QV_TYPE_FLOAT16) {
        /* Float16 medians are computed in double and rounded by the builder. */
        arrow_builder *b = NULL;
        st = arrow_builder_new(s->out_type, &b, err);
        const double *v = (const double *)(const void *)out_vals;
        for (int64_t g = 0; g < n_groups && st == QV_OK; g++)
            st = valid[g] ? arrow_builder_append_double(b, v[g], err)
                          : arrow_builder_append_null(b, err);
        if (st == QV_OK)
            st = arrow_builder_finish(b, out, err);
        arrow_builder_free(b);
    } else if (st == QV_OK) {
        st = func_agg_make_array(s->out_type, n_groups, out_vals, out_w, valid, out, err);
    }
    base_free(out_vals);
    base_free(valid);
    return st;
}

static qv_status median_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                             qv_error *err)
{
    median_state *s = (median_state *)state;
    states_out[0] = NULL;
    arrow_type *list_type;
    QV_TRY(arrow_type_list_of(QV_TYPE_LIST, s->value_type, &list_type, err));
    /* Each group's values, gathered by a counting pass over the log. */
    int64_t *start = base_calloc((size_t)n_groups + 2, 8);
    int64_t *order = base_alloc((size_t)s->n * 8 + 8);
    arrow_builder *b = NULL;
    qv_status st = QV_OK;
    if (start == NULL || order == NULL)
        st = base_error_nomem(err, "median state");
    if (st == QV_OK) {
        /* groups never reach n_groups (it only grows); checked all the same */
        for (int64_t i = 0; i < s->n; i++) {
            if (s->groups[i] < n_groups)
                start[s->groups[i] + 1]++;
        }
        for (int64_t g = 0; g < n_groups; g++)
            start[g + 1] += start[g];
        for (int64_t i = 0; i < s->n; i++) {
            if (s->groups[i] < n_groups)
                order[start[s->groups[i]]++] = i;
        }
        /* start[g] now ends group g; shift back to starts */
        for (int64_t g = n_groups; g > 0; g--)
            start[g] = start[g - 1];
        start[0] = 0;
        st = arrow_builder_new(list_type, &b, err);
    }
    int w = value_width(s);
    for (int64_t g = 0; g < n_groups && st == QV_OK; g++) {
        arrow_builder *items = arrow_builder_child(b, 0);
        for (int64_t k = start[g]; k < start[g + 1] && st == QV_OK; k++) {
            const uint8_t *v = s->values + order[k] * w;
            if (s->decimal) {
                st = arrow_builder_append_decimal(items, v, err);
            } else {
                double d;
                memcpy(&d, v, 8);
                st = arrow_builder_append_double(items, d, err);
            }
        }
        if (st == QV_OK)
            st = arrow_builder_end_list(b, true, err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, &states_out[0], err);
    arrow_builder_free(b);
    base_free(start);
    base_free(order);
    arrow_type_release(list_type);
    return st;
}

static int64_t median_memory(const func_agg_state *state)
{
    const median_state *s = (const median_state *)state;
    return (int64_t)sizeof *s + s->groups_cap * 4 + s->values_cap * value_width(s) +
           (int64_t)(s->mask_scratch.cap + s->load_scratch.cap + s->rows_scratch.cap +
                     s->run_scratch.cap);
}

static void median_free(func_agg_state *state)
{
    median_state *s = (median_state *)state;
    if (s == NULL)
        return;
    base_free(s->groups);
    base_free(s->values);
    arrow_type_release(s->out_type);
    arrow_type_release(s->value_type);
    func_agg_scratch_free(&s->mask_scratch);
    func_agg_scratch_free(&s->load_scratch);
    func_agg_scratch_free(&s->rows_scratch);
    func_agg_scratch_free(&s->run_scratch);
    base_free(s);
}

static const func_agg_ops median_ops = {median_update, median_merge, median_emit, median_evaluate,
                                        median_memory, median_free,  NULL};

static qv_status rt_median(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    arrow_type_id id = types[0]->id;
    if (arrow_type_is_integer(id)) {
        *out = arrow_type_primitive(QV_TYPE_FLOAT64);
        return QV_OK;
    }
    if (arrow_type_is_floating(id) || id == QV_TYPE_DECIMAL128 || id == QV_TYPE_NULL) {
        *out = arrow_type_retain(types[0]);
        return QV_OK;
    }
    char name[128];
    func_type_name(types[0], name, sizeof name);
    return base_error_set(err, QV_NOT_IMPLEMENTED,
                          "This feature is not implemented: MedianAccumulator not supported for "
                          "median with %s",
                          name);
}

static qv_status value_type_of(const arrow_type *in, arrow_type **out)
{
    *out = in->id == QV_TYPE_DECIMAL128 ? arrow_type_retain((arrow_type *)in)
                                        : arrow_type_primitive(QV_TYPE_FLOAT64);
    return QV_OK;
}

static qv_status median_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    *out = NULL;
    arrow_type *out_type;
    QV_TRY(rt_median(1, call->arg_types, &out_type, err));
    median_state *s = base_calloc(1, sizeof *s);
    if (s == NULL) {
        arrow_type_release(out_type);
        return base_error_nomem(err, "aggregate state");
    }
    s->base.ops = &median_ops;
    s->out_type = out_type;
    s->decimal = call->arg_types[0]->id == QV_TYPE_DECIMAL128;
    s->null_input = call->arg_types[0]->id == QV_TYPE_NULL;
    value_type_of(call->arg_types[0], &s->value_type);
    *out = &s->base;
    return QV_OK;
}

static qv_status median_schema(const func_agg_call *call, arrow_schema **out, qv_error *err)
{
    arrow_type *vt, *list;
    value_type_of(call->arg_types[0], &vt);
    qv_status st = arrow_type_list_of(QV_TYPE_LIST, vt, &list, err);
    arrow_type_release(vt);
    QV_TRY(st);
    st = func_agg_schema1("median", list, out, err);
    arrow_type_release(list);
    return st;
}

const func_agg_impl func_agg_median_impl = {rt_median, median_schema, median_create};
