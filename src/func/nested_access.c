/*
 * nested_access.c — element and slice access on lists (layer: func):
 * array_element (`a[i]`; aliases array_extract, list_element,
 * list_extract) and array_slice (`a[lo:hi:stride]`; alias list_slice),
 * with DataFusion's 1-based, negative-from-the-end index rules. Both
 * gather their result from the list items with one take.
 */
#include "func/array_int.h"

/* Element `row` of an Int64 datum, false when it is null. */
static bool read_index(const func_datum *d, int64_t row, int64_t *value)
{
    const arrow_array *a = d->array;
    if (a->type->id == QV_TYPE_NULL || !func_valid_at(d, row))
        return false;
    *value = ((const int64_t *)arrow_array_values(a))[a->offset + (d->is_scalar ? 0 : row)];
    return true;
}

/* ---- array_element ---- */

static const array_form element_forms[] = {ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_INDEX)};

static qv_status element_coerce(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_element", 1, element_forms, n_args, types, targets, err);
}

static qv_status element_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                     qv_error *err)
{
    ARRAY_UNUSED(n_args);
    if (types[0]->id == QV_TYPE_NULL) {
        *out = arrow_type_primitive(QV_TYPE_NULL);
        return QV_OK;
    }
    if (!array_is_list_id(types[0]->id)) {
        char name[128];
        func_type_name(types[0], name, sizeof name);
        return base_error_set(
            err, QV_PLAN, "Error during planning: array_element does not support type %s", name);
    }
    *out = arrow_type_retain(array_item_type(types[0]));
    return QV_OK;
}

/* Index i (1-based, negative from the end) of a list of len items as a
 * 0-based position, or -1 when outside the list (0 included). */
static int64_t element_position(int64_t i, int64_t len)
{
    int64_t pos = i < 0 ? i + len : i - 1;
    return pos >= 0 && pos < len ? pos : -1;
}

static qv_status element_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    array_list list;
    array_list_init(&list, &args[0]);
    arrow_array *result = NULL;
    if (list.id == QV_TYPE_NULL || list.values->type->id == QV_TYPE_NULL) {
        QV_TRY(arrow_array_new_null(return_type, n, &result, err));
        func_set_result(out, result, all_scalar);
        return QV_OK;
    }
    if (list.values->length >= (int64_t)UINT32_MAX)
        return base_error_set(err, QV_LIMIT,
                              "Execution error: array_element over more than %u list items",
                              UINT32_MAX - 1);
    uint32_t *indices = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *indices);
    if (indices == NULL)
        return base_error_nomem(err, "array_element");
    for (int64_t row = 0; row < n; row++) {
        int64_t index, start, len, pos = -1;
        if (array_list_valid(&list, row) && read_index(&args[1], row, &index)) {
            array_list_range(&list, row, &start, &len);
            pos = element_position(index, len);
            if (pos >= 0)
                pos += start;
        }
        indices[row] = pos < 0 ? UINT32_MAX : (uint32_t)pos;
    }
    qv_status st = func_take(list.values, indices, n, &result, err);
    base_free(indices);
    QV_TRY(st);
    func_set_result(out, result, all_scalar);
    return QV_OK;
}

/* ---- array_slice ---- */

static const array_form slice_forms[] = {
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_INDEX, ARRAY_ARG_INDEX),
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_INDEX, ARRAY_ARG_INDEX, ARRAY_ARG_INDEX),
};

static qv_status slice_coerce(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_slice", 2, slice_forms, n_args, types, targets, err);
}

static qv_status slice_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                   qv_error *err)
{
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(err);
    *out = arrow_type_retain(types[0]);
    return QV_OK;
}

/* The first position a slice takes (DuckDB's rules): 1-based from the
 * start (below 1 is the start), negative from the end (before the start
 * is the start); -1 when past the end. */
static int64_t slice_from(int64_t i, int64_t len)
{
    int64_t pos = i < 0 ? (i < -len ? 0 : i + len) : (i > 0 ? i - 1 : 0);
    return pos < len ? pos : -1;
}

/* The last position a slice takes (inclusive): past the end is the end;
 * negative counts from the end; -1 when before the start. */
static int64_t slice_to(int64_t i, int64_t len)
{
    int64_t pos = i < 0 ? i + len : (i - 1 < len - 1 ? i - 1 : len - 1);
    return pos >= 0 && pos < len ? pos : -1;
}

/* Pushes the positions of one row's slice. */
static qv_status slice_row(array_out *o, int64_t start, int64_t len, int64_t from_i, int64_t to_i,
                           int64_t stride, qv_error *err)
{
    int64_t from = slice_from(from_i, len), to = slice_to(to_i, len);
    if (len == 0 || from < 0 || to < 0 || (from < to && stride < 0) || (from > to && stride > 0))
        return QV_OK;
    if (stride == 1)
        return array_out_push_range(o, start + from, to - from + 1, err);
    /* Steps counted in unsigned arithmetic: a stride near the int64 limits
     * must not overflow. */
    uint64_t step = stride > 0 ? (uint64_t)stride : 0 - (uint64_t)stride;
    uint64_t span = stride > 0 ? (uint64_t)(to - from) : (uint64_t)(from - to);
    for (uint64_t d = 0; d <= span; d += step) {
        QV_TRY(
            array_out_push(o, start + (stride > 0 ? from + (int64_t)d : from - (int64_t)d), err));
        if (span - d < step)
            break;
    }
    return QV_OK;
}

static qv_status slice_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    array_list list;
    array_list_init(&list, &args[0]);
    if (list.id == QV_TYPE_NULL) {
        arrow_array *result = NULL;
        QV_TRY(arrow_array_new_null(return_type, n, &result, err));
        func_set_result(out, result, all_scalar);
        return QV_OK;
    }
    array_out o;
    QV_TRY(array_out_begin(&o, n, err));
    qv_status st = QV_OK;
    for (int64_t row = 0; row < n && st == QV_OK; row++) {
        int64_t from, to, stride = 1, start, len;
        bool valid = array_list_valid(&list, row) && read_index(&args[1], row, &from) &&
                     read_index(&args[2], row, &to) &&
                     (n_args < 4 || read_index(&args[3], row, &stride));
        if (valid) {
            array_list_range(&list, row, &start, &len);
            if (stride == 0 && len > 0)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: array_slice got invalid stride: %lld, it "
                                    "cannot be 0",
                                    (long long)stride);
            else
                st = slice_row(&o, start, len, from, to, stride, err);
        }
        if (st == QV_OK)
            st = array_out_end_row(&o, valid, err);
    }
    if (st != QV_OK) {
        array_out_free(&o);
        return st;
    }
    return array_out_finish(&o, return_type, list.values, all_scalar, out, err);
}

static const char *const element_aliases[] = {"array_extract", "list_element", "list_extract",
                                              NULL};
static const char *const element_params[] = {"array", "index", NULL};
static const char *const slice_aliases[] = {"list_slice", NULL};
static const char *const slice_params[] = {"array", "begin", "end", "stride", NULL};

const func_entry func_nested_access_entries[] = {
    ARRAY_ENTRY("array_element", element_aliases,
                "Extracts the element with the index n from the array.", element_params,
                element_return_type, element_invoke, element_coerce),
    ARRAY_ENTRY("array_slice", slice_aliases,
                "Returns a slice of the array based on 1-indexed start and end positions.",
                slice_params, slice_return_type, slice_invoke, slice_coerce),
};
const int32_t func_nested_access_entry_count =
    (int32_t)(sizeof func_nested_access_entries / sizeof func_nested_access_entries[0]);
