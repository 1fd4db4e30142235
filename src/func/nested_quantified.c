/*
 * nested_quantified.c — `x op ALL (list)` and `x op ANY (list)` over
 * list values (layer: func): SQL's three-valued AND (ALL) or OR (ANY) of
 * x op e over the list's elements; an empty list gives true (ALL) or
 * false (ANY), a NULL list NULL. The binder calls the entry below
 * directly (it is not a named function): the third argument is a
 * constant Int32 holding the operator and the quantifier
 * (func_quantified_code).
 */
#include "func/array_int.h"

int32_t func_quantified_code(func_cmp_op op, bool all)
{
    return (int32_t)op * 2 + (all ? 1 : 0);
}

static qv_status quantified_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(return_type);
    int32_t code = ((const int32_t *)arrow_array_values(args[2].array))[args[2].array->offset];
    func_cmp_op op = (func_cmp_op)(code / 2);
    bool all = code % 2 != 0;
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    array_list list;
    array_list_init(&list, &args[1]);
    arrow_array *x = args[0].array;
    func_row_comparator *cmp = NULL;
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, err);
    if (st == QV_OK && list.id != QV_TYPE_NULL && x->type->id != QV_TYPE_NULL)
        st = array_comparator_new(x->type, &cmp, err);
    for (int64_t row = 0; row < n && st == QV_OK; row++) {
        if (!array_list_valid(&list, row)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        int64_t start, len, xi = args[0].is_scalar ? 0 : row;
        array_list_range(&list, row, &start, &len);
        bool x_valid = func_valid_at(&args[0], row);
        /* ALL: false wins, else NULL if any unknown; ANY: true wins. */
        bool decided = false, unknown = false;
        for (int64_t k = 0; k < len && !decided; k++) {
            if (!x_valid || !arrow_array_is_valid(list.values, start + k)) {
                unknown = true;
                continue;
            }
            bool r = func_cmp_holds(op, array_compare(cmp, x, xi, list.values, start + k));
            decided = all ? !r : r;
        }
        if (decided)
            st = arrow_builder_append_bool(b, !all, err);
        else if (unknown)
            st = arrow_builder_append_null(b, err);
        else
            st = arrow_builder_append_bool(b, all, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    func_row_comparator_free(cmp);
    return st;
}

const func_entry func_quantified_entry = {
    "quantified_comparison",
    NULL,
    FUNC_SCALAR,
    {FUNC_SIG_ANY, 3, 0, NULL, 0, NULL},
    FUNC_IMMUTABLE,
    "x op ALL (list) / x op ANY (list).",
    NULL,
    .impl.scalar = {array_rt_boolean, quantified_invoke, NULL, NULL}};
