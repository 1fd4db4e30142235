/*
 * window_rank.c — the ranking window functions (layer: func): row_number,
 * rank, dense_rank, percent_rank, cume_dist and ntile. They read only the
 * partitions and peer groups of a chunk, never frames; results are UInt64
 * (Float64 for percent_rank and cume_dist) and never null.
 */
#include "func/window_int.h"

typedef enum rank_kind {
    RANK_ROW_NUMBER,
    RANK_RANK,
    RANK_DENSE,
    RANK_PERCENT,
    RANK_CUME_DIST,
    RANK_NTILE
} rank_kind;

typedef struct rank_state {
    func_window_state base;
    rank_kind kind;
    uint64_t buckets; /* ntile */
} rank_state;

static qv_status rt_u64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    (void)n_args;
    (void)types;
    (void)err;
    *out = arrow_type_primitive(QV_TYPE_UINT64);
    return QV_OK;
}

static qv_status rt_f64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    (void)n_args;
    (void)types;
    (void)err;
    *out = arrow_type_primitive(QV_TYPE_FLOAT64);
    return QV_OK;
}

/* Bucket (1-based) of row r of a partition of n rows split into k buckets,
 * the first n % k buckets one row larger (SQL's NTILE). */
static uint64_t ntile_bucket(uint64_t r, uint64_t n, uint64_t k)
{
    if (k >= n)
        return r + 1;
    uint64_t size = n / k, larger = n % k;
    uint64_t in_larger = larger * (size + 1);
    if (r < in_larger)
        return r / (size + 1) + 1;
    return larger + (r - in_larger) / size + 1;
}

static qv_status rank_evaluate(func_window_state *state, const func_window_rows *rows,
                               arrow_array **out, qv_error *err)
{
    const rank_state *s = (const rank_state *)state;
    int64_t n = rows->n_rows;
    *out = NULL;
    arrow_buffer *data = NULL;
    QV_TRY(arrow_buffer_new(n * 8, &data, err));
    uint64_t *u = (uint64_t *)(void *)data->data;
    double *d = (double *)(void *)data->data;
    for (int64_t p = 0; p < rows->n_partitions; p++) {
        int64_t start = rows->partition_offsets[p], end = rows->partition_offsets[p + 1];
        uint64_t size = (uint64_t)(end - start);
        uint64_t dense = 0;
        for (int64_t i = start; i < end; i++) {
            uint64_t rank = (uint64_t)(rows->peer_start[i] - start) + 1;
            switch (s->kind) {
            case RANK_ROW_NUMBER:
                u[i] = (uint64_t)(i - start) + 1;
                break;
            case RANK_RANK:
                u[i] = rank;
                break;
            case RANK_DENSE:
                if (rows->peer_start[i] == i)
                    dense++;
                u[i] = dense;
                break;
            case RANK_PERCENT:
                d[i] = size > 1 ? (double)(rank - 1) / (double)(size - 1) : 0.0;
                break;
            case RANK_CUME_DIST:
                d[i] = (double)(rows->peer_end[i] - start) / (double)size;
                break;
            case RANK_NTILE:
                u[i] = ntile_bucket((uint64_t)(i - start), size, s->buckets);
                break;
            }
        }
    }
    bool real = s->kind == RANK_PERCENT || s->kind == RANK_CUME_DIST;
    return func_make_fixed(arrow_type_primitive(real ? QV_TYPE_FLOAT64 : QV_TYPE_UINT64), n, NULL,
                           data, out, err);
}

static void rank_free(func_window_state *state)
{
    base_free(state);
}

static qv_status ranking_create(rank_kind kind, const func_window_impl *impl,
                                const func_window_call *call, func_window_state **out,
                                qv_error *err)
{
    *out = NULL;
    uint64_t buckets = 0;
    if (kind == RANK_NTILE) {
        const arrow_array *lit = call->n_args > 0 ? call->literals[0] : NULL;
        if (lit == NULL)
            return base_error_set(err, QV_EXECUTION,
                                  "Execution error: NTILE requires a positive integer");
        if (lit->type->id == QV_TYPE_NULL || !arrow_array_is_valid(lit, 0))
            return base_error_set(err, QV_EXECUTION,
                                  "Execution error: NTILE requires a positive integer, but finds "
                                  "NULL");
        if (lit->type->id == QV_TYPE_UINT64) {
            buckets = ((const uint64_t *)(const void *)arrow_array_values(lit))[lit->offset];
        } else {
            int64_t v = 0;
            bool is_null = false;
            QV_TRY(
                func_window_int_arg(lit, "NTILE requires a positive integer", &v, &is_null, err));
            if (v <= 0)
                return base_error_set(err, QV_EXECUTION,
                                      "Execution error: NTILE requires a positive integer");
            buckets = (uint64_t)v;
        }
        if (buckets == 0)
            return base_error_set(err, QV_EXECUTION,
                                  "Execution error: NTILE requires a positive integer");
    }
    rank_state *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "window function");
    s->base.impl = impl;
    s->kind = kind;
    s->buckets = buckets;
    *out = &s->base;
    return QV_OK;
}

#define RANK_IMPL(NAME, KIND, RT, NEEDS_PARTITION)                                                 \
    static qv_status NAME##_create(const func_window_call *call, func_window_state **out,          \
                                   qv_error *err);                                                 \
    const func_window_impl func_window_##NAME##_impl = {                                           \
        RT, false, NEEDS_PARTITION, false, -1, NAME##_create, rank_evaluate, rank_free};           \
    static qv_status NAME##_create(const func_window_call *call, func_window_state **out,          \
                                   qv_error *err)                                                  \
    {                                                                                              \
        return ranking_create(KIND, &func_window_##NAME##_impl, call, out, err);                   \
    }

RANK_IMPL(row_number, RANK_ROW_NUMBER, rt_u64, false)
RANK_IMPL(rank, RANK_RANK, rt_u64, false)
RANK_IMPL(dense_rank, RANK_DENSE, rt_u64, false)
RANK_IMPL(percent_rank, RANK_PERCENT, rt_f64, true)
RANK_IMPL(cume_dist, RANK_CUME_DIST, rt_f64, true)
RANK_IMPL(ntile, RANK_NTILE, rt_u64, true)
