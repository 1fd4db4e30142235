/*
 * array_dims.c — array functions about the shape of lists (layer: func):
 * array_length (of a dimension), array_ndims, array_dims, cardinality (of
 * lists and maps), empty. Inner dimensions are read from the first item of
 * each level, as DataFusion does.
 */
#include "func/array_int.h"

static const array_form f_array[] = {ARRAY_FORM(ARRAY_ARG_ARRAY)};
static const array_form f_length[] = {ARRAY_FORM(ARRAY_ARG_ARRAY),
                                      ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_INDEX)};

static qv_status coerce_length(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_length", 2, f_length, n_args, types, targets, err);
}

static qv_status coerce_ndims(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_ndims", 1, f_array, n_args, types, targets, err);
}

static qv_status coerce_dims(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_dims", 1, f_array, n_args, types, targets, err);
}

static qv_status coerce_empty(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "empty", 1, f_array, n_args, types, targets, err);
}

/* Lists as array_length's, maps as they are. */
static qv_status coerce_cardinality(ARRAY_COERCE_ARGS)
{
    if (n_args == 1 && types[0]->id == QV_TYPE_MAP)
        return QV_OK;
    return array_coerce_forms(svc, "cardinality", 1, f_array, n_args, types, targets, err);
}

static qv_status rt_dims(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(types);
    return arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(QV_TYPE_UINT64), out, err);
}

/* The lengths of row `row` of l and of the first item of each level below
 * it, outermost first, up to max_dims of them; stops after an empty level.
 * Returns how many were written. */
static int32_t row_dims(const array_list *l, int64_t row, int64_t *dims, int32_t max_dims)
{
    array_list cur = *l;
    int64_t at = row;
    int32_t n = 0;
    while (n < max_dims) {
        int64_t start, len;
        array_list_range(&cur, at, &start, &len);
        dims[n++] = len;
        if (len == 0 || cur.values == NULL || !array_is_list_id(cur.values->type->id))
            break;
        func_datum items = {cur.values, false};
        array_list_init(&cur, &items);
        at = start;
    }
    return n;
}

/* ---- array_length ---- */

static qv_status length_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    array_list l;
    array_list_init(&l, &args[0]);
    int32_t max_dims = l.id == QV_TYPE_NULL ? 0 : array_ndims(l.array->type);
    int64_t *dims = base_calloc((size_t)max_dims + 1, sizeof *dims);
    arrow_builder *b = NULL;
    qv_status st = dims == NULL ? base_error_nomem(err, "array_length")
                                : arrow_builder_new(return_type, &b, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t dim = 1;
        bool valid = array_list_valid(&l, i) && (n_args < 2 || array_int_at(&args[1], i, &dim));
        int32_t got = valid ? row_dims(&l, i, dims, max_dims) : 0;
        st = valid && dim >= 1 && dim <= got
                 ? arrow_builder_append_uint(b, (uint64_t)dims[dim - 1], err)
                 : arrow_builder_append_null(b, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    base_free(dims);
    return st;
}

/* ---- array_ndims, cardinality, empty ---- */

typedef enum shape_op { SHAPE_NDIMS, SHAPE_CARDINALITY } shape_op;

static qv_status shape_invoke(shape_op op, const func_datum *arg, int64_t n_rows, func_datum *out,
                              qv_error *err)
{
    array_list l;
    array_list_init(&l, arg);
    func_fixed_out fo;
    QV_TRY(func_fixed_begin(1, arg, n_rows, arrow_type_primitive(QV_TYPE_UINT64), &fo, err));
    uint64_t *values = (uint64_t *)fo.values->data;
    bool is_map = l.id == QV_TYPE_MAP;
    int32_t max_dims = l.id == QV_TYPE_NULL ? 0 : is_map ? 1 : array_ndims(l.array->type);
    int64_t *dims = base_calloc((size_t)max_dims + 1, sizeof *dims);
    qv_status st = dims == NULL ? base_error_nomem(err, "array dimensions") : QV_OK;
    for (int64_t i = 0; i < fo.n && st == QV_OK; i++) {
        if (!array_list_valid(&l, i)) {
            st = func_fixed_set_null(&fo, i, err);
            continue;
        }
        if (op == SHAPE_NDIMS) {
            values[i] = (uint64_t)max_dims;
            continue;
        }
        int32_t got = row_dims(&l, i, dims, max_dims);
        uint64_t product = 1;
        for (int32_t k = 0; k < got; k++)
            product *= (uint64_t)dims[k];
        values[i] = product;
    }
    base_free(dims);
    return func_fixed_end(&fo, arrow_type_primitive(QV_TYPE_UINT64), st, out, err);
}

static qv_status ndims_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(return_type);
    return shape_invoke(SHAPE_NDIMS, &args[0], n_rows, out, err);
}

static qv_status cardinality_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(return_type);
    return shape_invoke(SHAPE_CARDINALITY, &args[0], n_rows, out, err);
}

static qv_status empty_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(return_type);
    array_list l;
    array_list_init(&l, &args[0]);
    arrow_type *boolean = arrow_type_primitive(QV_TYPE_BOOLEAN);
    func_fixed_out fo;
    QV_TRY(func_fixed_begin(1, args, n_rows, boolean, &fo, err));
    qv_status st = QV_OK;
    for (int64_t i = 0; i < fo.n && st == QV_OK; i++) {
        if (!array_list_valid(&l, i)) {
            st = func_fixed_set_null(&fo, i, err);
            continue;
        }
        int64_t start, len;
        array_list_range(&l, i, &start, &len);
        arrow_bit_set(fo.values->data, i, len == 0);
    }
    return func_fixed_end(&fo, boolean, st, out, err);
}

/* ---- array_dims ---- */

static qv_status dims_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    const func_datum *arg = &args[0];
    bool all_scalar = arg->is_scalar;
    int64_t n = all_scalar ? 1 : n_rows;
    array_list l;
    array_list_init(&l, arg);
    int32_t max_dims = l.id == QV_TYPE_NULL ? 0 : array_ndims(l.array->type);
    int64_t *dims = base_calloc((size_t)max_dims + 1, sizeof *dims);
    arrow_builder *b = NULL;
    qv_status st = dims == NULL ? base_error_nomem(err, "array_dims")
                                : arrow_builder_new(return_type, &b, err);
    arrow_builder *items = st == QV_OK ? arrow_builder_child(b, 0) : NULL;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int32_t got = array_list_valid(&l, i) ? row_dims(&l, i, dims, max_dims) : 0;
        /* An empty outermost list has no dimensions: null. */
        bool valid = got > 0 && dims[0] > 0;
        for (int32_t k = 0; valid && k < got && st == QV_OK; k++)
            st = arrow_builder_append_uint(items, (uint64_t)dims[k], err);
        if (st == QV_OK)
            st = arrow_builder_end_list(b, valid, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    base_free(dims);
    return st;
}

/* ---- the table ---- */

static const char *const a_length[] = {"list_length", NULL};
static const char *const a_ndims[] = {"list_ndims", NULL};
static const char *const a_dims[] = {"list_dims", NULL};
static const char *const a_empty[] = {"array_empty", "list_empty", NULL};
static const char *const p_array[] = {"array", NULL};
static const char *const p_length[] = {"array", "dimension", NULL};

const func_entry func_array_dims_entries[] = {
    ARRAY_ENTRY("array_length", a_length, "Returns the length of the array dimension.", p_length,
                array_rt_uint64, length_invoke, coerce_length),
    ARRAY_ENTRY("array_ndims", a_ndims, "Returns the number of dimensions of the array.", p_array,
                array_rt_uint64, ndims_invoke, coerce_ndims),
    ARRAY_ENTRY("array_dims", a_dims, "Returns an array of the array's dimensions.", p_array,
                rt_dims, dims_invoke, coerce_dims),
    ARRAY_ENTRY("cardinality", NULL, "Returns the total number of elements in the array or map.",
                p_array, array_rt_uint64, cardinality_invoke, coerce_cardinality),
    ARRAY_ENTRY("empty", a_empty, "Returns 1 for an empty array or 0 for a non-empty array.",
                p_array, array_rt_boolean, empty_invoke, coerce_empty),
};
const int32_t func_array_dims_entry_count =
    (int32_t)(sizeof func_array_dims_entries / sizeof func_array_dims_entries[0]);
