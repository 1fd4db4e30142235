/*
 * window_offset.c — lag and lead (layer: func): the value offset rows
 * before / after the current row in its partition (a negative offset looks
 * the other way), or the default (NULL when none) past the partition's
 * edge. IGNORE NULLS counts only rows whose value is not null. The result
 * is gathered with one take over the values and the default.
 */
#include "func/select.h"
#include "func/window_int.h"

typedef struct offset_state {
    func_window_state base;
    func_i128 shift;       /* target row = current row + shift */
    arrow_array *fallback; /* the default (length 1), or NULL */
    bool ignore_nulls;
} offset_state;

static qv_status rt_value(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    (void)err;
    /* lag(NULL, 1, false): the default decides the type. */
    if (types[0]->id == QV_TYPE_NULL && n_args >= 3)
        *out = arrow_type_retain(types[2]);
    else
        *out = arrow_type_retain(types[0]);
    return QV_OK;
}

static qv_status not_literal(int idx, qv_error *err)
{
    return base_error_set(err, QV_NOT_IMPLEMENTED,
                          "This feature is not implemented: There is only support Literal types "
                          "for field at idx: %d in Window Function",
                          idx);
}

static qv_status offset_create(bool is_lag, const func_window_impl *impl,
                               const func_window_call *call, func_window_state **out, qv_error *err)
{
    *out = NULL;
    int64_t offset = 1;
    if (call->n_args >= 2) {
        if (call->literals[1] == NULL)
            return not_literal(1, err);
        bool is_null = false;
        QV_TRY(func_window_int_arg(call->literals[1], "Expected an integer value", &offset,
                                   &is_null, err));
        if (is_null)
            return base_error_set(err, QV_EXECUTION, "Execution error: Expected an integer value");
    }
    if (call->n_args >= 3 && call->literals[2] == NULL)
        return not_literal(2, err);
    offset_state *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "window function");
    s->base.impl = impl;
    s->shift = is_lag ? -(func_i128)offset : (func_i128)offset;
    s->ignore_nulls = call->ignore_nulls;
    if (call->n_args >= 3 && arrow_array_is_valid(call->literals[2], 0) &&
        call->literals[2]->type->id != QV_TYPE_NULL)
        s->fallback = arrow_array_retain(call->literals[2]);
    *out = &s->base;
    return QV_OK;
}

/* indices[i]: the row whose value row i gets, default_row for the default. */
static void plain_targets(const offset_state *s, const func_window_rows *rows, uint32_t default_row,
                          uint32_t *indices)
{
    for (int64_t p = 0; p < rows->n_partitions; p++) {
        int64_t start = rows->partition_offsets[p], end = rows->partition_offsets[p + 1];
        for (int64_t i = start; i < end; i++) {
            func_i128 t = (func_i128)i + s->shift;
            indices[i] = t >= start && t < end ? (uint32_t)t : default_row;
        }
    }
}

static void ignore_null_targets(const offset_state *s, const func_window_rows *rows,
                                const func_window_picks *picks, uint32_t default_row,
                                uint32_t *indices)
{
    for (int64_t p = 0; p < rows->n_partitions; p++) {
        int64_t start = rows->partition_offsets[p], end = rows->partition_offsets[p + 1];
        int64_t first = picks->prefix[start], last = picks->prefix[end];
        for (int64_t i = start; i < end; i++) {
            func_i128 k;
            if (s->shift > 0)
                k = (func_i128)picks->prefix[i + 1] + s->shift - 1;
            else if (s->shift < 0)
                k = (func_i128)picks->prefix[i] + s->shift;
            else {
                indices[i] = (uint32_t)i;
                continue;
            }
            indices[i] = k >= first && k < last ? (uint32_t)picks->rows[(int64_t)k] : default_row;
        }
    }
}

static qv_status offset_evaluate(func_window_state *state, const func_window_rows *rows,
                                 arrow_array **out, qv_error *err)
{
    const offset_state *s = (const offset_state *)state;
    int64_t n = rows->n_rows;
    *out = NULL;
    if (n >= (int64_t)UINT32_MAX - 1)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: window partitions of more than "
                              "2^32 rows");
    arrow_array *values = NULL, *source = NULL;
    QV_TRY(func_datum_to_array(&rows->args[0], n, &values, err));
    qv_status st = QV_OK;
    uint32_t default_row = UINT32_MAX;
    if (s->fallback != NULL) {
        arrow_array *both[2] = {values, s->fallback};
        st = func_concat(2, both, &source, err);
        default_row = (uint32_t)n;
    } else {
        source = arrow_array_retain(values);
    }
    uint32_t *indices = st == QV_OK ? base_alloc((size_t)(n > 0 ? n : 1) * sizeof *indices) : NULL;
    if (st == QV_OK && indices == NULL)
        st = base_error_nomem(err, "lag / lead");
    if (st == QV_OK && s->ignore_nulls) {
        func_window_picks picks;
        st = func_window_picks_init(&rows->args[0], n, true, &picks, err);
        if (st == QV_OK)
            ignore_null_targets(s, rows, &picks, default_row, indices);
        func_window_picks_free(&picks);
    } else if (st == QV_OK) {
        plain_targets(s, rows, default_row, indices);
    }
    if (st == QV_OK)
        st = func_take(source, indices, n, out, err);
    base_free(indices);
    arrow_array_release(source);
    arrow_array_release(values);
    return st;
}

static void offset_free(func_window_state *state)
{
    offset_state *s = (offset_state *)state;
    if (s == NULL)
        return;
    arrow_array_release(s->fallback);
    base_free(s);
}

static qv_status lag_create(const func_window_call *call, func_window_state **out, qv_error *err);
static qv_status lead_create(const func_window_call *call, func_window_state **out, qv_error *err);

const func_window_impl func_window_lag_impl = {rt_value, false,      false,           true,
                                               2,        lag_create, offset_evaluate, offset_free};
const func_window_impl func_window_lead_impl = {rt_value,    false,           false,      true, 2,
                                                lead_create, offset_evaluate, offset_free};

static qv_status lag_create(const func_window_call *call, func_window_state **out, qv_error *err)
{
    return offset_create(true, &func_window_lag_impl, call, out, err);
}

static qv_status lead_create(const func_window_call *call, func_window_state **out, qv_error *err)
{
    return offset_create(false, &func_window_lead_impl, call, out, err);
}
