/*
 * window.h — window functions (layer: func): row_number, rank, dense_rank,
 * percent_rank, cume_dist, ntile, lag, lead, first_value, last_value and
 * nth_value behind one vtable, and the builtin window entries.
 *
 * ---- The model ----
 * The executor sorts the rows by PARTITION BY then ORDER BY and hands a
 * window function "chunks": runs of whole partitions (func_window_rows).
 * For every row it knows the row's partition, its peer group (the rows
 * with equal ORDER BY keys; the whole partition without ORDER BY) and,
 * for functions that read frames (uses_frame), the row's frame. A
 * function returns one value per row of the chunk; chunks are independent,
 * so a function keeps no state between them beyond what create parsed
 * (constant arguments).
 *
 * Aggregate functions used with OVER are not window entries: the executor
 * runs their accumulators (agg.h) over the frames itself.
 *
 * ---- Errors ----
 * As func.h: DataFusion's text without "DataFusion error: ", e.g.
 * "Execution error: NTILE requires a positive integer".
 */
#ifndef QV_FUNC_WINDOW_H
#define QV_FUNC_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "func/func.h"

/* Rows a frame leaves out (SQL's EXCLUDE). */
typedef enum func_window_exclude {
    FUNC_WINDOW_EXCLUDE_NO_OTHERS,
    FUNC_WINDOW_EXCLUDE_CURRENT_ROW,
    FUNC_WINDOW_EXCLUDE_GROUP, /* the current row and its peers */
    FUNC_WINDOW_EXCLUDE_TIES,  /* the current row's peers, not the row */
} func_window_exclude;

/* What the binder resolved for one call. Borrowed by create for the
 * state's lifetime unless the implementation copies it. */
typedef struct func_window_call {
    const func_entry *entry;
    int32_t n_args;
    arrow_type *const *arg_types; /* after coercion */
    arrow_array *const *literals; /* n_args entries: a length-1 array when
                                     argument i is constant, else NULL */
    arrow_type *return_type;
    bool ignore_nulls; /* IGNORE NULLS */
} func_window_call;

/* One chunk of whole partitions. Row indices are chunk rows. */
typedef struct func_window_rows {
    int64_t n_rows;
    const func_datum *args; /* the call's arguments: arrays of n_rows
                               rows, or scalars */
    int64_t n_partitions;
    const int64_t *partition_offsets; /* n_partitions + 1, first 0, last n_rows */
    const int64_t *peer_start;        /* per row: its peer group [start, end) */
    const int64_t *peer_end;
    const int64_t *frame_start; /* per row: its frame [start, end) before */
    const int64_t *frame_end;   /* EXCLUDE (empty when start >= end);
                                   NULL unless the function uses frames */
    func_window_exclude exclude;
} func_window_rows;

/* Row i's frame after exclusion, as up to three ranges [starts[k],
 * ends[k]) in row order, none empty; returns how many. */
int func_window_frame_ranges(const func_window_rows *rows, int64_t i, int64_t starts[3],
                             int64_t ends[3]);

typedef struct func_window_state func_window_state;

/* The window member of func_entry.impl (see func.h). */
typedef struct func_window_impl {
    func_return_type_fn return_type;
    bool uses_frame;      /* reads frames (first_value, last_value, nth_value) */
    bool needs_partition; /* a row's value depends on rows after it beyond its
                             frame (percent_rank, cume_dist, ntile): for EXPLAIN */
    bool nullable;        /* the result may be null */
    int8_t default_arg;   /* the argument that is a default value (lag / lead:
                             2), which the binder casts to the result type,
                             as it does argument 0 when that is NULL; -1: none */
    /* Parses and checks the constant arguments (DataFusion's errors for
     * bad offsets, bucket counts...). */
    qv_status (*create)(const func_window_call *call, func_window_state **out, qv_error *err);
    /* The n_rows results of a chunk (a new array of the return type). */
    qv_status (*evaluate)(func_window_state *state, const func_window_rows *rows, arrow_array **out,
                          qv_error *err);
    void (*free)(func_window_state *state);
} func_window_impl;

/* Every state starts with this header. */
struct func_window_state {
    const func_window_impl *impl;
};

/* The builtin window entries the registry lists (window_registry.c). */
extern const func_entry func_window_entries[];
extern const int32_t func_window_entry_count;

/* The window function a call with OVER means by name (any case): an entry
 * of the registry table above, or first_value / last_value / nth_value,
 * whose names aggregates hold or may hold in the registry (with OVER they
 * are the window functions, as in DataFusion). NULL for other names. */
const func_entry *func_window_lookup(const char *name);

#endif /* QV_FUNC_WINDOW_H */
