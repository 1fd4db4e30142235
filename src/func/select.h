/*
 * select.h — selection, reordering and ordering kernels (layer: func):
 * take, filter, concatenate, sort indices and row comparison, for every
 * Arrow type the engine carries (flat, views, nested, dictionary, REE).
 * The executor's filter, sort, top-K, merge and aggregate operators are
 * built on these; aggregates use them for ordered state.
 *
 * Ordering follows DataFusion / arrow-rs: integers, decimals and temporal
 * values numerically; floats by IEEE total order (-NaN < -inf < ... < -0 <
 * +0 < ... < inf < NaN), strings and binaries bytewise, booleans
 * false < true, structs field by field, lists element by element (a prefix
 * sorts first). Nulls go first or last as asked, whatever the direction.
 *
 * Ownership: input arrays are borrowed; results are new references.
 */
#ifndef QV_FUNC_SELECT_H
#define QV_FUNC_SELECT_H

#include <stdbool.h>
#include <stdint.h>

#include "arrow/arrow.h"
#include "base/base.h"

/* out[i] = array[indices[i]] for i < n. An index of UINT32_MAX yields a
 * null. Indices must be < array->length (QV_INVALID otherwise). */
qv_status func_take(arrow_array *array, const uint32_t *indices, int64_t n, arrow_array **out,
                    qv_error *err);
/* Every column of batch through func_take. */
qv_status func_take_batch(arrow_batch *batch, const uint32_t *indices, int64_t n,
                          arrow_batch **out, qv_error *err);

/* The rows of array where mask (a Boolean array of the same length) is
 * true; a null in the mask counts as false. */
qv_status func_filter(arrow_array *array, arrow_array *mask, arrow_array **out, qv_error *err);
/* Every column of batch through func_filter (a mask that selects every row
 * returns the batch itself, retained). */
qv_status func_filter_batch(arrow_batch *batch, arrow_array *mask, arrow_batch **out,
                            qv_error *err);

/* The arrays one after another (all of one type; n >= 1). */
qv_status func_concat(int32_t n, arrow_array *const *arrays, arrow_array **out, qv_error *err);
/* Batches of one schema as one batch (n may be 0: an empty batch). */
qv_status func_concat_batches(arrow_schema *schema, int32_t n, arrow_batch *const *batches,
                              arrow_batch **out, qv_error *err);

/* One sort key: a column and how it sorts. */
typedef struct func_sort_key {
    arrow_array *array;
    bool descending;
    bool nulls_first;
} func_sort_key;

/* Fills indices[0..n_rows) with the permutation that sorts the rows by the
 * keys (lexicographically; the sort is stable, so equal rows keep their
 * order). Every key array has n_rows elements. With limit >= 0 only the
 * first min(limit, n_rows) positions need to be right (partial sort). */
qv_status func_sort_indices(int32_t n_keys, const func_sort_key *keys, int64_t n_rows,
                            int64_t limit, uint32_t *indices, qv_error *err);

/*
 * Compares rows across arrays of the same key layout, for merges and top-K
 * heaps: built once for the key types and directions, then called per row
 * pair. Returns < 0, 0, > 0 as row i of a sorts before, equal to, after
 * row j of b (a and b are arrays of n_keys columns with the key types).
 */
typedef struct func_row_comparator func_row_comparator;
qv_status func_row_comparator_new(int32_t n_keys, arrow_type *const *types,
                                  const bool *descending, const bool *nulls_first,
                                  func_row_comparator **out, qv_error *err);
int func_row_compare(const func_row_comparator *cmp, arrow_array *const *a, int64_t i,
                     arrow_array *const *b, int64_t j);
void func_row_comparator_free(func_row_comparator *cmp);

#endif /* QV_FUNC_SELECT_H */
