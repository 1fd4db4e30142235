/*
 * window_value.c — first_value, last_value and nth_value (layer: func):
 * the value of the first, last or n-th row of each row's frame (after
 * EXCLUDE), NULL when the frame has no such row. nth_value with a negative
 * n counts from the frame's end; IGNORE NULLS counts only rows whose value
 * is not null. One take gathers the picked rows.
 */
#include "func/select.h"
#include "func/window_int.h"

typedef struct value_state {
    func_window_state base;
    int64_t nth; /* 1: first, -1: last; 0: every result is NULL */
    bool ignore_nulls;
} value_state;

static qv_status rt_value(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    (void)n_args;
    (void)err;
    *out = arrow_type_retain(types[0]);
    return QV_OK;
}

static qv_status value_create(int64_t nth, const func_window_impl *impl,
                              const func_window_call *call, func_window_state **out, qv_error *err)
{
    *out = NULL;
    value_state *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "window function");
    s->base.impl = impl;
    s->nth = nth;
    s->ignore_nulls = call->ignore_nulls;
    *out = &s->base;
    return QV_OK;
}

/* The picked row for the n-th (n > 0) or -n-th from the end (n < 0) pick
 * within ranges, or UINT32_MAX. */
static uint32_t pick_in_ranges(const func_window_picks *picks, int count, const int64_t *starts,
                               const int64_t *ends, int64_t n)
{
    if (n > 0) {
        for (int k = 0; k < count; k++) {
            int64_t first = picks->prefix[starts[k]], avail = picks->prefix[ends[k]] - first;
            if (n <= avail)
                return (uint32_t)picks->rows[first + n - 1];
            n -= avail;
        }
    } else if (n < 0) {
        int64_t m = -n;
        for (int k = count - 1; k >= 0; k--) {
            int64_t last = picks->prefix[ends[k]], avail = last - picks->prefix[starts[k]];
            if (m <= avail)
                return (uint32_t)picks->rows[last - m];
            m -= avail;
        }
    }
    return UINT32_MAX;
}

static qv_status value_evaluate(func_window_state *state, const func_window_rows *rows,
                                arrow_array **out, qv_error *err)
{
    const value_state *s = (const value_state *)state;
    int64_t n = rows->n_rows;
    *out = NULL;
    if (n >= (int64_t)UINT32_MAX)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: window partitions of more than "
                              "2^32 rows");
    arrow_array *values = NULL;
    QV_TRY(func_datum_to_array(&rows->args[0], n, &values, err));
    uint32_t *indices = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *indices);
    func_window_picks picks = {0};
    qv_status st = indices != NULL
                       ? func_window_picks_init(&rows->args[0], n, s->ignore_nulls, &picks, err)
                       : base_error_nomem(err, "first_value / last_value / nth_value");
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        int64_t starts[3], ends[3];
        int count = func_window_frame_ranges(rows, i, starts, ends);
        indices[i] = pick_in_ranges(&picks, count, starts, ends, s->nth);
    }
    if (st == QV_OK)
        st = func_take(values, indices, n, out, err);
    func_window_picks_free(&picks);
    base_free(indices);
    arrow_array_release(values);
    return st;
}

static void value_free(func_window_state *state)
{
    base_free(state);
}

static qv_status first_create(const func_window_call *call, func_window_state **out, qv_error *err);
static qv_status last_create(const func_window_call *call, func_window_state **out, qv_error *err);
static qv_status nth_create(const func_window_call *call, func_window_state **out, qv_error *err);

const func_window_impl func_window_first_value_impl = {
    rt_value, true, false, true, -1, first_create, value_evaluate, value_free};
const func_window_impl func_window_last_value_impl = {
    rt_value, true, false, true, -1, last_create, value_evaluate, value_free};
const func_window_impl func_window_nth_value_impl = {
    rt_value, true, false, true, -1, nth_create, value_evaluate, value_free};

static qv_status first_create(const func_window_call *call, func_window_state **out, qv_error *err)
{
    return value_create(1, &func_window_first_value_impl, call, out, err);
}

static qv_status last_create(const func_window_call *call, func_window_state **out, qv_error *err)
{
    return value_create(-1, &func_window_last_value_impl, call, out, err);
}

static qv_status nth_create(const func_window_call *call, func_window_state **out, qv_error *err)
{
    static const char what[] =
        "Expected a signed integer literal for the second argument of nth_value";
    *out = NULL;
    const arrow_array *lit = call->n_args >= 2 ? call->literals[1] : NULL;
    if (lit == NULL)
        return base_error_set(err, QV_EXECUTION, "Execution error: %s", what);
    int64_t n = 0;
    bool is_null = false;
    QV_TRY(func_window_int_arg(lit, what, &n, &is_null, err));
    if (!is_null && n == INT64_MIN)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: The second argument of nth_value must not be "
                              "i64::MIN");
    return value_create(is_null ? 0 : n, &func_window_nth_value_impl, call, out, err);
}
