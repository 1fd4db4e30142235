/*
 * array_math.c — array functions that pick one item of a list (layer:
 * func): array_min, array_max (by the sort order: floats in total order,
 * so NaN is the greatest), array_any_value (the first non-null item).
 */

#include "func/array_int.h"

/* ---- array_min / array_max / array_any_value ---- */

static const array_form f_array[] = {ARRAY_FORM(ARRAY_ARG_ARRAY)};

static qv_status coerce_min(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_min", 1, f_array, n_args, types, targets, err);
}

static qv_status coerce_max(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_max", 1, f_array, n_args, types, targets, err);
}

static qv_status coerce_any_value(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_any_value", 1, f_array, n_args, types, targets, err);
}

/* The item type (Null for a Null-typed argument). */
static qv_status rt_item(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(err);
    *out = arrow_type_retain(types[0]->id == QV_TYPE_NULL ? types[0] : array_item_type(types[0]));
    return QV_OK;
}

typedef enum pick_op { PICK_MIN, PICK_MAX, PICK_ANY } pick_op;

/* One item per row (its index, or null): the least / greatest / first
 * non-null item. */
static qv_status pick_invoke(pick_op op, const func_datum *arg, int64_t n_rows,
                             arrow_type *return_type, func_datum *out, qv_error *err)
{
    bool all_scalar = arg->is_scalar;
    int64_t n = all_scalar ? 1 : n_rows;
    array_list l;
    array_list_init(&l, arg);
    if (l.values == NULL)
        return array_null_result(return_type, n, all_scalar, out, err);
    func_row_comparator *cmp = NULL;
    QV_TRY(array_comparator_new(l.values->type, &cmp, err));
    uint32_t *picked = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *picked);
    qv_status st = picked == NULL ? base_error_nomem(err, "array_min/max") : QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t best = -1, start, len;
        array_list_range(&l, i, &start, &len);
        if (!array_list_valid(&l, i))
            len = 0;
        for (int64_t k = start; k < start + len; k++) {
            if (!arrow_array_is_valid(l.values, k))
                continue;
            if (best < 0) {
                best = k;
                if (op == PICK_ANY)
                    break;
                continue;
            }
            int c = array_compare(cmp, l.values, k, l.values, best);
            if ((op == PICK_MIN && c < 0) || (op == PICK_MAX && c > 0))
                best = k;
        }
        picked[i] = best < 0 ? UINT32_MAX : (uint32_t)best;
    }
    arrow_array *result = NULL;
    if (st == QV_OK && l.values->length >= (int64_t)UINT32_MAX)
        st = base_error_set(err, QV_LIMIT, "Execution error: too many list items (%lld)",
                            (long long)l.values->length);
    if (st == QV_OK)
        st = func_take(l.values, picked, n, &result, err);
    if (st == QV_OK)
        func_set_result(out, result, all_scalar);
    base_free(picked);
    func_row_comparator_free(cmp);
    return st;
}

static qv_status min_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    return pick_invoke(PICK_MIN, &args[0], n_rows, return_type, out, err);
}

static qv_status max_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    return pick_invoke(PICK_MAX, &args[0], n_rows, return_type, out, err);
}

static qv_status any_value_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    return pick_invoke(PICK_ANY, &args[0], n_rows, return_type, out, err);
}

/* ---- the table ---- */

static const char *const a_min[] = {"list_min", NULL};
static const char *const a_max[] = {"list_max", NULL};
static const char *const a_any_value[] = {"list_any_value", NULL};
static const char *const p_array[] = {"array", NULL};

const func_entry func_array_math_entries[] = {
    ARRAY_ENTRY("array_min", a_min, "Returns the minimum value in the array.", p_array, rt_item,
                min_invoke, coerce_min),
    ARRAY_ENTRY("array_max", a_max, "Returns the maximum value in the array.", p_array, rt_item,
                max_invoke, coerce_max),
    ARRAY_ENTRY("array_any_value", a_any_value, "Returns the first non-null element in the array.",
                p_array, rt_item, any_value_invoke, coerce_any_value),
};
const int32_t func_array_math_entry_count =
    (int32_t)(sizeof func_array_math_entries / sizeof func_array_math_entries[0]);
