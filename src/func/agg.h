/*
 * agg.h — aggregate functions (layer: func): grouped, vectorized
 * accumulators behind one vtable, and the builtin aggregate entries.
 *
 * ---- The model ----
 * One func_agg_state holds one aggregate call's state for every group of
 * one operator (or one partition of it). Groups are dense ids 0..n_groups-1
 * that the aggregate operator assigns; every call passes the current number
 * of groups, which only ever grows, and the state grows with it. A group
 * that never received a row evaluates to the aggregate's empty value
 * (count: 0, sum / min / avg...: NULL, array_agg: NULL, bool_and: NULL).
 *
 * Two-phase aggregation: partial states (one per input partition) emit their
 * state as columns (emit_state, one array per state field, n_groups rows);
 * the final state merges those rows into its own groups (merge) and then
 * evaluates. Single-phase: update then evaluate on the same state.
 *
 * What the operator does, so accumulators do not:
 *   - DISTINCT: the operator passes only the first occurrence of each
 *     (group, arguments) pair, and runs single-phase.
 *   - ORDER BY inside the call (array_agg(x ORDER BY y), first_value,
 *     last_value, string_agg ... ORDER BY): the operator feeds rows in that
 *     order (it sorts its input first) and runs single-phase, so an
 *     order-sensitive accumulator keeps rows in arrival order: first_value
 *     keeps the first row a group sees, last_value the last one, array_agg
 *     appends.
 *   - FILTER (WHERE ...): rows_selected (one byte per row, non-zero = row
 *     counts) or NULL when every row counts.
 *
 * Literal arguments (the delimiter of string_agg, the percentile of
 * approx_percentile_cont) are given at creation in func_agg_call.literals
 * (so that a final state that only merges knows them too); the same
 * arguments also arrive in update as scalar datums.
 *
 * ---- Errors ----
 * As func.h: DataFusion's text without "DataFusion error: ". Sum of Int64
 * overflows as DataFusion does (wrapping arithmetic, no error: arrow-rs add_wrapping).
 */
#ifndef QV_FUNC_AGG_H
#define QV_FUNC_AGG_H

#include <stdbool.h>
#include <stdint.h>

#include "func/func.h"

/* What the binder resolved for one aggregate call. Borrowed by create for
 * the state's lifetime unless the implementation copies it (implementations
 * retain what they keep). */
typedef struct func_agg_call {
    const func_entry *entry;
    int32_t n_args;
    arrow_type *const *arg_types; /* after coercion */
    arrow_array *const *literals; /* n_args entries: a length-1 array when
                                     argument i is a literal, else NULL */
    arrow_type *return_type;      /* from entry->impl.aggregate.return_type */
    bool distinct;                /* informational (the operator dedups) */
    bool has_order_by;            /* informational (the operator orders) */
} func_agg_call;

typedef struct func_agg_state func_agg_state;

typedef struct func_agg_ops {
    /* Adds rows: args[i] is argument i (array datums of n_rows, or scalars),
     * group_ids[r] the group of row r (< n_groups). */
    qv_status (*update)(func_agg_state *state, const func_datum *args, const uint32_t *group_ids,
                        const uint8_t *rows_selected, int64_t n_rows, int64_t n_groups,
                        qv_error *err);
    /* Merges partial states: states[k] is state field k (from emit_state of
     * another state of the same call), row r goes into group_ids[r]. */
    qv_status (*merge)(func_agg_state *state, arrow_array *const *states, const uint32_t *group_ids,
                       int64_t n_rows, int64_t n_groups, qv_error *err);
    /* The state of groups 0..n_groups-1 as columns (new references in
     * states_out[0..n_state_fields)). The state is unchanged. */
    qv_status (*emit_state)(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                            qv_error *err);
    /* The final values of groups 0..n_groups-1 (a new array of return_type). */
    qv_status (*evaluate)(func_agg_state *state, int64_t n_groups, arrow_array **out,
                          qv_error *err);
    /* Bytes the state holds now (for memory reservations). */
    int64_t (*memory_bytes)(const func_agg_state *state);
    void (*free)(func_agg_state *state);
    /* Optional (NULL: the aggregate cannot): takes rows that update added
     * earlier back out of their groups, as if they had never been added
     * (same parameters as update; a group left with no rows evaluates to
     * the empty value again). Window frames that slide use it so that each
     * frame need not be recomputed (count, sum and avg have it). */
    qv_status (*retract)(func_agg_state *state, const func_datum *args, const uint32_t *group_ids,
                         const uint8_t *rows_selected, int64_t n_rows, int64_t n_groups,
                         qv_error *err);
} func_agg_ops;

/* Every state starts with this header; implementations embed it first. */
struct func_agg_state {
    const func_agg_ops *ops;
};

/* The aggregate member of func_entry.impl (see func.h). */
typedef struct func_agg_impl {
    func_return_type_fn return_type;
    /* The partial-state layout: *out gets a new schema (one field per state
     * column, new reference). */
    qv_status (*state_schema)(const func_agg_call *call, arrow_schema **out, qv_error *err);
    qv_status (*create)(const func_agg_call *call, func_agg_state **out, qv_error *err);
} func_agg_impl;

/* The builtin aggregate entries (agg_*.c tables, joined by registry.c). */
extern const func_entry func_agg_entries[];
extern const int32_t func_agg_entry_count;

#endif /* QV_FUNC_AGG_H */
