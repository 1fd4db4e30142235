/*
 * array_vector.c — the Float64 vector functions over lists (layer: func):
 * array_sum, array_product, array_avg, array_normalize, array_add,
 * array_subtract, array_scale, array_distance, cosine_distance,
 * inner_product. Lists of numbers are coerced to lists of Float64 (List
 * and FixedSizeList give List; LargeList when any argument is one; a Null
 * argument becomes a null list), with DataFusion's user-defined coercion
 * errors.
 */
#include <math.h>
#include <stdio.h>

#include "func/array_int.h"

typedef enum vec_op {
    VEC_SUM,
    VEC_PRODUCT,
    VEC_AVG,
    VEC_DISTANCE,
    VEC_COSINE,
    VEC_INNER,
    VEC_NORMALIZE,
    VEC_ADD,
    VEC_SUBTRACT,
    VEC_SCALE
} vec_op;

/* ---- coercion ---- */

static qv_status vector_error(const char *name, const char *what, qv_error *err)
{
    return base_error_set(err, QV_PLAN,
                          "Error during planning: Execution error: Function '%s' user-defined "
                          "coercion failed with: Error during planning: %s",
                          name, what);
}

static bool is_number_list(const arrow_type *t, bool nested)
{
    if (!array_is_list_id(t->id) || (!nested && array_ndims(t) != 1))
        return false;
    arrow_type_id base = array_base_type((arrow_type *)t)->id;
    return func_is_numeric_id(base) || base == QV_TYPE_NULL;
}

/* n_lists list arguments (then, with scalar_second, one number) become
 * lists of Float64 of as many dimensions. */
static qv_status coerce_vectors(const char *name, int n_lists, bool nested, bool scalar_second,
                                int n_args, arrow_type *const *types, arrow_type **targets,
                                qv_error *err)
{
    char what[256], type_name[128];
    int want = n_lists + (scalar_second ? 1 : 0);
    if (n_args != want) {
        snprintf(what, sizeof what, "%s function requires %d argument%s, got %d", name, want,
                 want == 1 ? "" : "s", n_args);
        return vector_error(name, what, err);
    }
    bool large = false;
    for (int i = 0; i < n_lists; i++) {
        if (types[i]->id != QV_TYPE_NULL && !is_number_list(types[i], nested)) {
            func_type_name(types[i], type_name, sizeof type_name);
            if (scalar_second)
                snprintf(what, sizeof what, "%s first argument must be a list type, got %s", name,
                         type_name);
            else
                snprintf(what, sizeof what, "%s does not support type %s", name, type_name);
            return vector_error(name, what, err);
        }
        large = large || types[i]->id == QV_TYPE_LARGE_LIST;
    }
    if (scalar_second && types[1]->id != QV_TYPE_NULL && !func_is_numeric_id(types[1]->id)) {
        func_type_name(types[1], type_name, sizeof type_name);
        snprintf(what, sizeof what, "%s second argument must be numeric, got %s", name, type_name);
        return vector_error(name, what, err);
    }
    arrow_type *f64 = arrow_type_primitive(QV_TYPE_FLOAT64);
    arrow_type_id outer = large ? QV_TYPE_LARGE_LIST : QV_TYPE_LIST;
    for (int i = 0; i < n_lists; i++) {
        arrow_type *t = NULL;
        if (types[i]->id == QV_TYPE_NULL)
            QV_TRY(arrow_type_list_of(outer, f64, &t, err));
        else
            QV_TRY(array_rebase(types[i], f64, outer, &t, err));
        array_set_target(targets, i, types, t);
    }
    if (scalar_second)
        array_set_target(targets, 1, types, f64);
    return QV_OK;
}

#define COERCE_VECTORS(FN, NAME, N_LISTS, NESTED, SCALAR)                                          \
    static qv_status FN(ARRAY_COERCE_ARGS)                                                         \
    {                                                                                              \
        ARRAY_UNUSED(svc);                                                                         \
        return coerce_vectors(NAME, N_LISTS, NESTED, SCALAR, n_args, types, targets, err);         \
    }

COERCE_VECTORS(coerce_sum, "array_sum", 1, false, false)
COERCE_VECTORS(coerce_product, "array_product", 1, false, false)
COERCE_VECTORS(coerce_avg, "array_avg", 1, false, false)
COERCE_VECTORS(coerce_normalize, "array_normalize", 1, false, false)
COERCE_VECTORS(coerce_add, "array_add", 2, false, false)
COERCE_VECTORS(coerce_subtract, "array_subtract", 2, false, false)
COERCE_VECTORS(coerce_scale, "array_scale", 1, false, true)
COERCE_VECTORS(coerce_distance, "array_distance", 2, true, false)
COERCE_VECTORS(coerce_cosine, "cosine_distance", 2, false, false)
COERCE_VECTORS(coerce_inner, "inner_product", 2, false, false)

/* ---- reading rows ---- */

/* A Float64 list argument, read per row flattened to its innermost values. */
typedef struct vec_arg {
    int32_t n_levels;
    array_list levels[32];
    const arrow_array *base;
    const double *data;
} vec_arg;

static qv_status vec_init(vec_arg *v, const func_datum *d, qv_error *err)
{
    memset(v, 0, sizeof *v);
    array_list_init(&v->levels[0], d);
    v->n_levels = 1;
    const arrow_array *values = v->levels[0].values;
    while (values != NULL && array_is_list_id(values->type->id)) {
        if (v->n_levels == 32)
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: vectors of more than 32 "
                                  "nested levels");
        func_datum items = {(arrow_array *)values, false};
        array_list_init(&v->levels[v->n_levels++], &items);
        values = v->levels[v->n_levels - 1].values;
    }
    v->base = values;
    if (values != NULL && values->type->id == QV_TYPE_FLOAT64)
        v->data = (const double *)arrow_array_values(values) + values->offset;
    return QV_OK;
}

/* One row's values, flattened; a null item counts as 0 and sets has_null,
 * a null inner list sets has_null. */
typedef struct vec_row {
    double *x;
    int64_t n, cap;
    bool has_null;
} vec_row;

static qv_status vec_push(vec_row *r, double x, qv_error *err)
{
    if (r->n == r->cap) {
        int64_t cap = r->cap ? r->cap * 2 : 16;
        double *p = base_realloc(r->x, (size_t)cap * sizeof *p);
        if (p == NULL)
            return base_error_nomem(err, "vector row");
        r->x = p;
        r->cap = cap;
    }
    r->x[r->n++] = x;
    return QV_OK;
}

static qv_status vec_collect(const vec_arg *v, int32_t level, int64_t row, vec_row *r,
                             qv_error *err)
{
    int64_t start, len;
    array_list_range(&v->levels[level], row, &start, &len);
    for (int64_t k = start; k < start + len; k++) {
        if (level + 1 < v->n_levels) {
            if (!array_list_valid(&v->levels[level + 1], k))
                r->has_null = true;
            else
                QV_TRY(vec_collect(v, level + 1, k, r, err));
        } else {
            bool valid = arrow_array_is_valid(v->base, k);
            r->has_null = r->has_null || !valid;
            QV_TRY(vec_push(r, valid ? v->data[k] : 0, err));
        }
    }
    return QV_OK;
}

/* Row i's values into r; *valid is false when the row is null. */
static qv_status vec_row_at(const vec_arg *v, int64_t i, vec_row *r, bool *valid, qv_error *err)
{
    r->n = 0;
    r->has_null = false;
    *valid = v->base != NULL && array_list_valid(&v->levels[0], i);
    return *valid ? vec_collect(v, 0, i, r, err) : QV_OK;
}

static qv_status length_mismatch(const char *name, int64_t a, int64_t b, bool per_row,
                                 qv_error *err)
{
    return base_error_set(err, QV_EXECUTION,
                          "Execution error: %s requires both list inputs to have the same "
                          "length%s, got %lld and %lld",
                          name, per_row ? " per row" : "", (long long)a, (long long)b);
}

/* ---- reductions to one Float64 per row ---- */

/* sum / product / avg of the row's items (a holds the non-null ones; null
 * when there are none);
 * Euclidean distance, cosine distance and inner product of two lists of
 * one length (null when a value is null; cosine: or a magnitude is 0). */
static bool reduce_row(vec_op op, const vec_row *a, const vec_row *b, double *out)
{
    double acc = op == VEC_PRODUCT ? 1 : 0, dot = 0, na = 0, nb = 0;
    int64_t counted = 0;
    switch (op) {
    case VEC_SUM:
    case VEC_PRODUCT:
    case VEC_AVG:
        /* a holds the row's non-null items only (reduce_invoke drops nulls) */
        for (int64_t k = 0; k < a->n; k++) {
            acc = op == VEC_PRODUCT ? acc * a->x[k] : acc + a->x[k];
            counted++;
        }
        *out = op == VEC_AVG && counted > 0 ? acc / (double)counted : acc;
        return counted > 0;
    default:
        if (a->has_null || b->has_null)
            return false;
        for (int64_t k = 0; k < a->n; k++) {
            double d = a->x[k] - b->x[k];
            acc += d * d;
            dot += a->x[k] * b->x[k];
            na += a->x[k] * a->x[k];
            nb += b->x[k] * b->x[k];
        }
        if (op == VEC_DISTANCE)
            *out = sqrt(acc);
        else if (op == VEC_INNER)
            *out = dot;
        else if (na == 0 || nb == 0)
            return false;
        else
            *out = 1 - dot / (sqrt(na) * sqrt(nb));
        return true;
    }
}

static qv_status reduce_invoke(vec_op op, const char *name, int n_args, const func_datum *args,
                               int64_t n_rows, func_datum *out, qv_error *err)
{
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    vec_arg va, vb;
    vec_row ra = {0}, rb = {0};
    QV_TRY(vec_init(&va, &args[0], err));
    if (n_args == 2)
        QV_TRY(vec_init(&vb, &args[1], err));
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_FLOAT64), &b, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        bool valid_a, valid_b = true;
        st = vec_row_at(&va, i, &ra, &valid_a, err);
        if (st == QV_OK && n_args == 2)
            st = vec_row_at(&vb, i, &rb, &valid_b, err);
        if (st != QV_OK)
            break;
        bool one_list = op == VEC_SUM || op == VEC_PRODUCT || op == VEC_AVG;
        if (valid_a && valid_b && !one_list && ra.n != rb.n) {
            st = length_mismatch(name, ra.n, rb.n, false, err);
            break;
        }
        if (one_list && valid_a && ra.has_null) {
            /* drop the nulls (pushed as 0) by re-reading the items */
            int64_t start, len, m = 0;
            array_list_range(&va.levels[0], i, &start, &len);
            for (int64_t k = start; k < start + len; k++) {
                if (arrow_array_is_valid(va.base, k))
                    ra.x[m++] = va.data[k];
            }
            ra.n = m;
            ra.has_null = false;
        }
        double result = 0;
        bool has = valid_a && valid_b && reduce_row(op, &ra, &rb, &result);
        st = has ? arrow_builder_append_double(b, result, err) : arrow_builder_append_null(b, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    base_free(ra.x);
    base_free(rb.x);
    return st;
}

/* ---- lists to lists ---- */

/* Per row a list of Float64: x / |x| (null when an item is null, or |x| is
 * 0 for a non-empty list), a + b / a - b item by item, or x * factor (null
 * items stay null; a null row or factor gives a null row). */
static qv_status map_invoke(vec_op op, const char *name, int n_args, const func_datum *args,
                            int64_t n_rows, arrow_type *return_type, func_datum *out, qv_error *err)
{
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    bool two_lists = op == VEC_ADD || op == VEC_SUBTRACT;
    vec_arg va, vb;
    QV_TRY(vec_init(&va, &args[0], err));
    if (two_lists)
        QV_TRY(vec_init(&vb, &args[1], err));
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(return_type, &b, err));
    arrow_builder *items = arrow_builder_child(b, 0);
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t sa = 0, la = 0, sb = 0, lb = 0;
        double factor = 1;
        bool valid = va.base != NULL && array_list_valid(&va.levels[0], i);
        if (two_lists)
            valid = valid && vb.base != NULL && array_list_valid(&vb.levels[0], i);
        if (op == VEC_SCALE) {
            valid = valid && func_valid_at(&args[1], i);
            if (valid)
                factor = ((const double *)arrow_array_values(
                    args[1].array))[args[1].array->offset + (args[1].is_scalar ? 0 : i)];
        }
        if (valid) {
            array_list_range(&va.levels[0], i, &sa, &la);
            if (two_lists)
                array_list_range(&vb.levels[0], i, &sb, &lb);
        }
        if (valid && two_lists && la != lb) {
            st = length_mismatch(name, la, lb, true, err);
            break;
        }
        double norm = 0;
        for (int64_t k = 0; valid && op == VEC_NORMALIZE && k < la; k++) {
            if (!arrow_array_is_valid(va.base, sa + k))
                valid = false;
            else
                norm += va.data[sa + k] * va.data[sa + k];
        }
        norm = sqrt(norm);
        if (op == VEC_NORMALIZE && la > 0 && norm == 0)
            valid = false;
        for (int64_t k = 0; valid && k < la && st == QV_OK; k++) {
            bool item_valid = arrow_array_is_valid(va.base, sa + k) &&
                              (!two_lists || arrow_array_is_valid(vb.base, sb + k));
            double x = item_valid ? va.data[sa + k] : 0,
                   y = two_lists && item_valid ? vb.data[sb + k] : 0;
            double v = op == VEC_ADD        ? x + y
                       : op == VEC_SUBTRACT ? x - y
                       : op == VEC_SCALE    ? x * factor
                                            : x / norm;
            st = item_valid ? arrow_builder_append_double(items, v, err)
                            : arrow_builder_append_null(items, err);
        }
        if (st == QV_OK)
            st = arrow_builder_end_list(b, valid, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    return st;
}

#define REDUCE_FUNCTION(FN, OP, NAME)                                                              \
    static qv_status FN(ARRAY_INVOKE_ARGS)                                                         \
    {                                                                                              \
        ARRAY_UNUSED(ctx);                                                                         \
        ARRAY_UNUSED(return_type);                                                                 \
        return reduce_invoke(OP, NAME, n_args, args, n_rows, out, err);                            \
    }
#define MAP_FUNCTION(FN, OP, NAME)                                                                 \
    static qv_status FN(ARRAY_INVOKE_ARGS)                                                         \
    {                                                                                              \
        ARRAY_UNUSED(ctx);                                                                         \
        return map_invoke(OP, NAME, n_args, args, n_rows, return_type, out, err);                  \
    }

REDUCE_FUNCTION(sum_invoke, VEC_SUM, "array_sum")
REDUCE_FUNCTION(product_invoke, VEC_PRODUCT, "array_product")
REDUCE_FUNCTION(avg_invoke, VEC_AVG, "array_avg")
REDUCE_FUNCTION(distance_invoke, VEC_DISTANCE, "array_distance")
REDUCE_FUNCTION(cosine_invoke, VEC_COSINE, "cosine_distance")
REDUCE_FUNCTION(inner_invoke, VEC_INNER, "inner_product")
MAP_FUNCTION(normalize_invoke, VEC_NORMALIZE, "array_normalize")
MAP_FUNCTION(add_invoke, VEC_ADD, "array_add")
MAP_FUNCTION(subtract_invoke, VEC_SUBTRACT, "array_subtract")
MAP_FUNCTION(scale_invoke, VEC_SCALE, "array_scale")

/* ---- the table ---- */

static const char *const a_sum[] = {"list_sum", NULL};
static const char *const a_product[] = {"list_product", NULL};
static const char *const a_avg[] = {"list_avg", NULL};
static const char *const a_normalize[] = {"list_normalize", NULL};
static const char *const a_add[] = {"list_add", NULL};
static const char *const a_subtract[] = {"list_subtract", NULL};
static const char *const a_scale[] = {"list_scale", NULL};
static const char *const a_distance[] = {"list_distance", NULL};
static const char *const a_inner[] = {"dot_product", NULL};
static const char *const p_array[] = {"array", NULL};
static const char *const p_two[] = {"array1", "array2", NULL};
static const char *const p_scale[] = {"array", "scalar", NULL};

const func_entry func_array_vector_entries[] = {
    ARRAY_ENTRY("array_sum", a_sum, "Returns the sum of the non-null elements of the array.",
                p_array, array_rt_float64, sum_invoke, coerce_sum),
    ARRAY_ENTRY("array_product", a_product,
                "Returns the product of the non-null elements of the array.", p_array,
                array_rt_float64, product_invoke, coerce_product),
    ARRAY_ENTRY("array_avg", a_avg,
                "Returns the arithmetic mean of the non-null elements of the array.", p_array,
                array_rt_float64, avg_invoke, coerce_avg),
    ARRAY_ENTRY("array_normalize", a_normalize,
                "Returns the array scaled to unit length (L2 norm).", p_array, array_rt_first,
                normalize_invoke, coerce_normalize),
    ARRAY_ENTRY("array_add", a_add, "Returns the element-wise sum of two arrays of equal length.",
                p_two, array_rt_first, add_invoke, coerce_add),
    ARRAY_ENTRY("array_subtract", a_subtract,
                "Returns the element-wise difference of two arrays of equal length.", p_two,
                array_rt_first, subtract_invoke, coerce_subtract),
    ARRAY_ENTRY("array_scale", a_scale,
                "Returns the array with each element multiplied by a scalar.", p_scale,
                array_rt_first, scale_invoke, coerce_scale),
    ARRAY_ENTRY("array_distance", a_distance,
                "Returns the Euclidean distance between two input arrays of equal length.", p_two,
                array_rt_float64, distance_invoke, coerce_distance),
    ARRAY_ENTRY("cosine_distance", NULL,
                "Returns the cosine distance (1 - cosine similarity) between two arrays of equal "
                "length.",
                p_two, array_rt_float64, cosine_invoke, coerce_cosine),
    ARRAY_ENTRY("inner_product", a_inner,
                "Returns the inner product (dot product) of two arrays of equal length.", p_two,
                array_rt_float64, inner_invoke, coerce_inner),
};
const int32_t func_array_vector_entry_count =
    (int32_t)(sizeof func_array_vector_entries / sizeof func_array_vector_entries[0]);
