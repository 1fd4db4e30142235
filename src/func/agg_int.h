/*
 * agg_int.h — private helpers shared by the aggregate files agg_*.c
 * (layer: func): growable per-group arrays, the per-batch "rows that count"
 * mask, typed value access with scalar broadcast, output assembly, sorting
 * and grouping of rows, the t-digest, per-group row references with the
 * generic comparator, and the func_agg_impl descriptors agg_registry.c puts
 * in the entry table. Not for other layers (they use agg.h).
 */
#ifndef QV_FUNC_AGG_INT_H
#define QV_FUNC_AGG_INT_H

#include <string.h>

#include "func/agg.h"
#include "func/func_int.h"

#define AGG_UNUSED(x) (void)(x)

/* Runs the body (the trailing arguments) for every row i in [0, n) that counts: all rows when mask
 * is NULL, else rows with mask[i] != 0. Two loops so the unmasked one stays tight. The body is
 * variadic so that it may contain commas. */
#define AGG_FOR_ROWS(mask, n, ...)                                                                 \
    do {                                                                                           \
        if ((mask) == NULL) {                                                                      \
            for (int64_t i = 0; i < (n); i++) {                                                    \
                __VA_ARGS__;                                                                       \
            }                                                                                      \
        } else {                                                                                   \
            for (int64_t i = 0; i < (n); i++) {                                                    \
                if ((mask)[i]) {                                                                   \
                    __VA_ARGS__;                                                                   \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* ---- memory (agg_common.c) ---- */

/* Grows *data (an array of elem-byte elements, *cap of them) to hold at
 * least need elements; new elements are zero. QV_NOMEM leaves it as it was. */
qv_status func_agg_grow(void **data, int64_t *cap, int64_t need, size_t elem, qv_error *err);

/* A reusable scratch buffer owned by a state (per-batch masks, converted
 * values). */
typedef struct agg_scratch {
    void *data;
    size_t cap;
} agg_scratch;
/* Returns at least bytes of scratch (contents undefined), or NULL after
 * setting QV_NOMEM in err. */
void *func_agg_scratch(agg_scratch *s, size_t bytes, qv_error *err);
void func_agg_scratch_free(agg_scratch *s);

/* Literal i of a call (a length-1 array), or NULL when argument i is not a
 * literal. */
static inline arrow_array *func_agg_literal(const func_agg_call *call, int i)
{
    return call->literals != NULL && i < call->n_args ? call->literals[i] : NULL;
}

/* ---- rows ---- */

/* Which rows of a batch count: selected by rows_selected (NULL: all) and
 * valid in each of args[0..n_args). *mask is NULL when every row counts,
 * else one byte per row in scratch; *none is true when no row counts (then
 * *mask is meaningless). */
qv_status func_agg_rows(const func_datum *args, int n_args, const uint8_t *rows_selected,
                        int64_t n_rows, agg_scratch *scratch, const uint8_t **mask, bool *none,
                        qv_error *err);

/* ---- values ---- */

/* Row 0.. of a fixed-width datum as a contiguous array of n_rows values of
 * width bytes: the array's own buffer (offset applied) or, for a scalar,
 * scratch filled with the value. NULL after QV_NOMEM. */
const void *func_agg_fixed(const func_datum *d, int64_t n_rows, int width, agg_scratch *scratch,
                           qv_error *err);
/* Converts n_rows values of a numeric datum (integers, floats, Float16,
 * Decimal128 scaled by 10^-s) to doubles in dst; nulls give unspecified
 * values. Scalars are broadcast. */
void func_agg_load_f64(const func_datum *d, int64_t n_rows, double *dst);
/* True for the ids func_agg_load_f64 reads. */
bool func_agg_is_numeric(arrow_type_id id);
/* Half-precision bits to double. */
double func_agg_half_to_double(uint16_t h);

/* Floats in IEEE total order (as arrow-rs total_cmp: -NaN < -inf < ... <
 * -0 < +0 < ... < +inf < NaN) mapped to signed integers that compare alike. */
static inline int64_t func_agg_f64_key(double v)
{
    int64_t bits;
    memcpy(&bits, &v, 8);
    return bits ^ (int64_t)((uint64_t)(bits >> 63) >> 1);
}
static inline int32_t func_agg_f32_key(float v)
{
    int32_t bits;
    memcpy(&bits, &v, 4);
    return bits ^ (int32_t)((uint32_t)(bits >> 31) >> 1);
}

/* ---- output ---- */

/* A new flat array of type with n values copied from values (width bytes
 * each; Boolean: one byte per value, non-zero = true) and validity from
 * valid (one byte per value, NULL: all valid). */
qv_status func_agg_make_array(arrow_type *type, int64_t n, const void *values, int width,
                              const uint8_t *valid, arrow_array **out, qv_error *err);
/* A schema of n fields named names[i] (nullable) of types[i]. */
qv_status func_agg_schema(int n, const char *const *names, arrow_type *const *types,
                          arrow_schema **out, qv_error *err);
/* A one-field schema. */
qv_status func_agg_schema1(const char *name, arrow_type *type, arrow_schema **out, qv_error *err);
/* An array of n nulls of type. */
qv_status func_agg_nulls(arrow_type *type, int64_t n, arrow_array **out, qv_error *err);
/* Bytes held by an array's buffers (recursively), for memory_bytes. */
int64_t func_agg_array_bytes(const arrow_array *array);
/* Appends the shortest text that reads back as v (as Rust's f64 Display). */
void func_agg_format_f64(double v, char *buf, size_t cap);

/* ---- sorting and grouping ---- */

/* Sorts ascending (introsort; no function pointers). */
void func_agg_sort_i64(int64_t *values, int64_t n);
void func_agg_sort_i128(func_i128 *values, int64_t n);
void func_agg_sort_u32(uint32_t *values, int64_t n);
/* The rows that count (mask as func_agg_rows; NULL = all) ordered by group
 * id, stable: *rows_out (in scratch) holds *n_out row indices. */
qv_status func_agg_group_rows(const uint32_t *group_ids, const uint8_t *mask, int64_t n_rows,
                              agg_scratch *scratch, uint32_t **rows_out, int64_t *n_out,
                              qv_error *err);

/* ---- t-digest (agg_tdigest.c) ----
 * The merging t-digest DataFusion uses (after Folly's TDigest): centroids
 * sorted by mean, compressed with the k-to-q scale of max_size. count is the
 * total weight. */
typedef struct agg_centroid {
    double mean;
    double weight;
} agg_centroid;

typedef struct agg_tdigest {
    agg_centroid *centroids; /* owned */
    int32_t n;
    int32_t cap;
    double sum;
    double count;
    double min; /* NaN while empty */
    double max;
} agg_tdigest;

void func_agg_tdigest_init(agg_tdigest *d);
void func_agg_tdigest_free(agg_tdigest *d);
/* Adds values[0..n) (sorted ascending in total order, weight 1 each). */
qv_status func_agg_tdigest_add_sorted(agg_tdigest *d, int32_t max_size, const double *values,
                                      int64_t n, agg_scratch *scratch, qv_error *err);
/* Merges the digests parts[0..n_parts) into d (d's own centroids join). */
qv_status func_agg_tdigest_merge(agg_tdigest *d, int32_t max_size, const agg_tdigest *parts,
                                 int64_t n_parts, agg_scratch *scratch, qv_error *err);
/* The estimated value at quantile q (0 for an empty digest). */
double func_agg_tdigest_quantile(const agg_tdigest *d, double q);

/* ---- common return types ---- */

qv_status func_agg_rt_first(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status func_agg_rt_i64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status func_agg_rt_u64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status func_agg_rt_f64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status func_agg_rt_bool(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);

/* ---- row references (agg_refs.c) ----
 * Values of any type kept as (array, row) references into retained input
 * arrays, one per group, compacted into one array when the retained rows
 * outgrow the groups. Used by first_value / last_value and min / max of
 * types without a typed path. */
typedef struct agg_refs {
    arrow_type *type;     /* borrowed from the call */
    arrow_array **arrays; /* retained */
    int32_t n_arrays;
    int64_t arrays_cap;
    int64_t retained_rows; /* sum of the arrays' lengths */
    int32_t *array_of;     /* per group: index into arrays, -1 = no value */
    int64_t *row_of;       /* per group: row in that array */
    int64_t cap;           /* groups allocated */
} agg_refs;

void func_agg_refs_init(agg_refs *refs, arrow_type *type);
void func_agg_refs_free(agg_refs *refs);
/* Makes room for n_groups groups (new groups have no value). */
qv_status func_agg_refs_reserve(agg_refs *refs, int64_t n_groups, qv_error *err);
/* Retains array; *index receives its index for func_agg_refs_set. Compacts
 * first when the retained rows outgrow n_groups (indices of earlier
 * arrays stay valid only until the next call). */
qv_status func_agg_refs_add(agg_refs *refs, arrow_array *array, int64_t n_groups, int32_t *index,
                            qv_error *err);
/* The values of groups 0..n_groups-1 as an array of refs->type (null for
 * groups without a value). */
qv_status func_agg_refs_build(agg_refs *refs, int64_t n_groups, arrow_array **out, qv_error *err);
int64_t func_agg_refs_bytes(const agg_refs *refs);
/* Compares element i of a with element j of b (same type): <0, 0, >0.
 * Nulls sort after values (also inside lists and structs); floats in total
 * order; lists lexicographically, a prefix first. */
int func_agg_compare(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j);

/* ---- the implementations (one per function family) ---- */

extern const func_agg_impl func_agg_count_impl;
extern const func_agg_impl func_agg_sum_impl;
extern const func_agg_impl func_agg_avg_impl;
extern const func_agg_impl func_agg_min_impl;
extern const func_agg_impl func_agg_max_impl;
extern const func_agg_impl func_agg_bool_and_impl;
extern const func_agg_impl func_agg_bool_or_impl;
extern const func_agg_impl func_agg_bit_and_impl;
extern const func_agg_impl func_agg_bit_or_impl;
extern const func_agg_impl func_agg_bit_xor_impl;

extern const func_agg_impl func_agg_var_samp_impl;
extern const func_agg_impl func_agg_var_pop_impl;
extern const func_agg_impl func_agg_stddev_samp_impl;
extern const func_agg_impl func_agg_stddev_pop_impl;
extern const func_agg_impl func_agg_covar_samp_impl;
extern const func_agg_impl func_agg_covar_pop_impl;
extern const func_agg_impl func_agg_corr_impl;
extern const func_agg_impl func_agg_regr_slope_impl;
extern const func_agg_impl func_agg_regr_intercept_impl;
extern const func_agg_impl func_agg_regr_count_impl;
extern const func_agg_impl func_agg_regr_r2_impl;
extern const func_agg_impl func_agg_regr_avgx_impl;
extern const func_agg_impl func_agg_regr_avgy_impl;
extern const func_agg_impl func_agg_regr_sxx_impl;
extern const func_agg_impl func_agg_regr_syy_impl;
extern const func_agg_impl func_agg_regr_sxy_impl;

extern const func_agg_impl func_agg_median_impl;
extern const func_agg_impl func_agg_approx_distinct_impl;
extern const func_agg_impl func_agg_approx_median_impl;
extern const func_agg_impl func_agg_approx_percentile_impl;
extern const func_agg_impl func_agg_approx_percentile_weight_impl;

extern const func_agg_impl func_agg_array_agg_impl;
extern const func_agg_impl func_agg_string_agg_impl;
extern const func_agg_impl func_agg_first_value_impl;
extern const func_agg_impl func_agg_last_value_impl;

#endif /* QV_FUNC_AGG_INT_H */
