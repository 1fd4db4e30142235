/*
 * sort_int.h — private interface of the sort operator (layer: exec):
 * the k-way merge of sorted runs (sort_merge.c) used by op_sort.c. Not for
 * other files.
 */
#ifndef QV_EXEC_SORT_INT_H
#define QV_EXEC_SORT_INT_H

#include "exec/exec.h"
#include "func/select.h"

/* Pulls the next batch of a sorted source (*out NULL at the end; a new
 * reference). */
typedef qv_status (*sort_pull_fn)(void *source, arrow_batch **out, qv_error *err);

typedef struct sort_merge sort_merge;

/* A merge of n_sources sources, each sorted by the key columns under cmp,
 * into batches of at most batch_size rows, limit rows in all (< 0: no
 * limit). Equal rows come from the lower-numbered source first, so merging
 * runs in input order keeps the sort stable. schema, cmp, key_columns and
 * the sources are borrowed and must outlive the merge. */
qv_status sort_merge_new(arrow_schema *schema, const func_row_comparator *cmp, int32_t n_keys,
                         const int32_t *key_columns, int32_t n_sources, sort_pull_fn pull,
                         void *const *sources, int64_t batch_size, int64_t limit,
                         sort_merge **out, qv_error *err);
/* The next merged batch (new reference) or NULL at the end. */
qv_status sort_merge_next(sort_merge *merge, arrow_batch **out, qv_error *err);
/* Releases the merge and the batches it holds. NULL is a no-op. */
void sort_merge_free(sort_merge *merge);

#endif /* QV_EXEC_SORT_INT_H */
