/*
 * window_int.h — what the window operator's files share (layer: exec):
 * a call as the operator keeps it, a chunk of whole partitions with its
 * partition and peer boundaries, and the frame and aggregate evaluators
 * (window_frame.c, window_agg.c) that op_window.c runs over a chunk.
 */
#ifndef QV_EXEC_WINDOW_INT_H
#define QV_EXEC_WINDOW_INT_H

#include "exec/exec.h"
#include "func/window.h"

__extension__ typedef __int128 window_i128;

/* One call (a deep copy of its exec_window_spec; frame offsets are
 * borrowed from the plan, which outlives the operator). */
typedef struct window_call {
    const func_entry *entry;
    int32_t n_args;
    int32_t *arg_columns;
    arrow_array **literals; /* retained, entries may be NULL */
    arrow_type **arg_types; /* retained */
    arrow_type *return_type;
    int32_t filter_column;
    bool distinct;
    bool ignore_nulls;
    plan_window_frame frame;
    char *describe;
} window_call;

/* A run of whole partitions of the sorted input. Row indices are chunk
 * rows; arrays are owned by the chunk. */
typedef struct window_chunk {
    arrow_batch *batch;
    int64_t n_rows;
    int64_t n_partitions;
    int64_t *partition_offsets; /* n_partitions + 1 */
    int64_t *peer_start;        /* per row: its peer group [start, end) */
    int64_t *peer_end;
    arrow_array *order_key; /* the first order column, NULL without ORDER BY */
    bool descending;        /* its direction */
    bool nulls_first;
} window_chunk;

/* Every row's frame [start[i], end[i]) (start <= end) before EXCLUDE.
 * Errors: temporal overflow of RANGE offsets; QV_NOT_IMPLEMENTED for
 * RANGE offsets over keys that are not numbers, dates or timestamps. */
qv_status window_frames(const plan_window_frame *frame, const window_chunk *chunk, int64_t *start,
                        int64_t *end, qv_error *err);

/* The values of an aggregate call over every row's frame (args: the
 * call's arguments over the chunk). */
qv_status window_aggregate(const window_call *call, const window_chunk *chunk,
                           const func_datum *args, const int64_t *start, const int64_t *end,
                           arrow_array **out, qv_error *err);

#endif /* QV_EXEC_WINDOW_INT_H */
