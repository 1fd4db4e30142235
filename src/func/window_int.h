/*
 * window_int.h — private helpers shared by the window function files
 * window_*.c (layer: func): reading a constant integer argument, the rows
 * a value function may pick, and the implementations window_registry.c
 * puts in the entry table. Not for other layers (they use window.h).
 */
#ifndef QV_FUNC_WINDOW_INT_H
#define QV_FUNC_WINDOW_INT_H

#include "func/func_int.h"
#include "func/window.h"

/* The value of a constant integer argument (any integer type; *is_null
 * when it is NULL). QV_EXECUTION with "Execution error: <what>" when the
 * argument is not constant (literal NULL), not an integer, or outside the
 * Int64 range. */
qv_status func_window_int_arg(const arrow_array *literal, const char *what, int64_t *value,
                              bool *is_null, qv_error *err);

/* Positions of the rows that a value function may pick in a chunk: every
 * row, or with IGNORE NULLS the rows where the value is not null.
 * prefix[i] is how many picked rows come before row i (n_rows + 1
 * entries); rows[k] is the k-th picked row. */
typedef struct func_window_picks {
    int64_t *prefix;
    int64_t *rows;
} func_window_picks;
qv_status func_window_picks_init(const func_datum *value, int64_t n_rows, bool ignore_nulls,
                                 func_window_picks *picks, qv_error *err);
void func_window_picks_free(func_window_picks *picks);

/* The implementations (window_rank.c, window_offset.c, window_value.c). */
extern const func_window_impl func_window_row_number_impl;
extern const func_window_impl func_window_rank_impl;
extern const func_window_impl func_window_dense_rank_impl;
extern const func_window_impl func_window_percent_rank_impl;
extern const func_window_impl func_window_cume_dist_impl;
extern const func_window_impl func_window_ntile_impl;
extern const func_window_impl func_window_lag_impl;
extern const func_window_impl func_window_lead_impl;
extern const func_window_impl func_window_first_value_impl;
extern const func_window_impl func_window_last_value_impl;
extern const func_window_impl func_window_nth_value_impl;

#endif /* QV_FUNC_WINDOW_INT_H */
