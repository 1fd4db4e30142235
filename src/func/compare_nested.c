/*
 * compare_nested.c — comparison operators on nested values (layer: func):
 * lists element by element (a prefix sorts first), structs field by
 * field, maps entry by entry, as arrow-rs orders them; NULLs inside a
 * value compare equal to NULLs. Row-level NULLs are the caller's
 * (func_compare sets the validity).
 */
#include "func/func_int.h"
#include "func/select.h"

qv_status func_compare_nested(func_cmp_op op, const func_datum *left, const func_datum *right,
                              int64_t n, uint8_t *out, qv_error *err)
{
    arrow_type *type = left->array->type;
    if (!arrow_type_equal(type, right->array->type)) {
        char a[128], b[128];
        func_type_name(type, a, sizeof a);
        func_type_name(right->array->type, b, sizeof b);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Cannot infer common argument type for "
                              "comparison operation %s and %s",
                              a, b);
    }
    bool descending = false, nulls_first = true;
    func_row_comparator *cmp = NULL;
    QV_TRY(func_row_comparator_new(1, &type, &descending, &nulls_first, &cmp, err));
    arrow_array *l = left->array, *r = right->array;
    for (int64_t i = 0; i < n; i++) {
        int64_t li = left->is_scalar ? 0 : i, ri = right->is_scalar ? 0 : i;
        if (!arrow_array_is_valid(l, li) || !arrow_array_is_valid(r, ri))
            continue; /* a null row: the result is null whatever the bit */
        arrow_bit_set(out, i, func_cmp_holds(op, func_row_compare(cmp, &l, li, &r, ri)));
    }
    func_row_comparator_free(cmp);
    return QV_OK;
}
