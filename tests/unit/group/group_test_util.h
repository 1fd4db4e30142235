/*
 * group_test_util.h — helpers for the group table and hash aggregate tests:
 * compact array construction, a test-only source operator, test-only
 * accumulators (count, sum and first over Int64) and result formatting.
 */
#ifndef QV_GROUP_TEST_UTIL_H
#define QV_GROUP_TEST_UTIL_H

#include "exec/exec.h"

#define GT_NULL INT64_MIN /* marks a null in integer literals */

/* Builders; they abort the process on failure (test inputs only). */
arrow_array *gt_int(arrow_type_id id, int64_t n, const int64_t *values);
arrow_array *gt_f64(int64_t n, const double *values);
arrow_array *gt_str(arrow_type_id id, int64_t n, const char *const *values); /* NULL: null */
arrow_array *gt_bool(int64_t n, const int *values);                          /* -1: null */
/* A batch whose columns are named c0, c1, ... (the arrays are consumed). */
arrow_batch *gt_batch(int32_t n_cols, arrow_array **columns);

#define GT_COUNT(T, ...) ((int64_t)(sizeof((T[]){__VA_ARGS__}) / sizeof(T)))
#define GT_I64(...) gt_int(QV_TYPE_INT64, GT_COUNT(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define GT_I32(...) gt_int(QV_TYPE_INT32, GT_COUNT(int64_t, __VA_ARGS__), (int64_t[]){__VA_ARGS__})
#define GT_STR(...)                                                                                \
    gt_str(QV_TYPE_UTF8, GT_COUNT(const char *, __VA_ARGS__), (const char *[]){__VA_ARGS__})
#define GT_BOOL(...) gt_bool(GT_COUNT(int, __VA_ARGS__), (int[]){__VA_ARGS__})

/* A source operator over one batch: rows are cut into slices of `chunk`
 * rows, dealt round-robin to n_partitions partitions (batch retained). */
exec_node *gt_source(arrow_batch *batch, int32_t n_partitions, int64_t chunk);
/* The same, failing with the status instead of aborting (for OOM loops). */
qv_status gt_source_new(arrow_batch *batch, int32_t n_partitions, int64_t chunk, exec_node **out,
                        qv_error *err);

/* Test accumulators over one Int64 argument, returning Int64: count of
 * non-null rows, sum (NULL for no rows), first row's value (single phase). */
extern const func_entry gt_count_entry;
extern const func_entry gt_sum_entry;
extern const func_entry gt_first_entry;

/* One aggregate call for exec_aggregate_new; not to be copied after init
 * (spec points into it). arg_col < 0: the literal Int64 `literal`. */
typedef struct gt_agg {
    exec_agg_spec spec;
    arrow_type *arg_types[1];
    arrow_array *literals[1];
    int32_t arg_columns[1];
} gt_agg;
void gt_agg_init(gt_agg *agg, const func_entry *entry, int32_t arg_col, int64_t literal,
                 const char *name);
void gt_agg_clear(gt_agg *agg);

/* An execution context (cancelled cleared, call context zeroed). */
void gt_ctx_init(exec_ctx *ctx, base_thread_pool *pool, base_mem_pool *mem_pool,
                 int64_t batch_size);

/* Runs node's partition 0 and formats every row as "v1|v2|..." (values as
 * arrow_format_value prints them), rows sorted and joined by ", ".
 * *out: base_alloc'd string (caller frees). Also checks every batch has at
 * most ctx->batch_size rows (QV_ERROR otherwise). */
qv_status gt_run(exec_node *node, exec_ctx *ctx, char **out, qv_error *err);

/* A malloc'd copy of s (C11 has no strdup). */
char *gt_strdup(const char *s);

/* Element i of array formatted (static buffer, valid until the next call). */
const char *gt_fmt(const arrow_array *array, int64_t i);

#endif
