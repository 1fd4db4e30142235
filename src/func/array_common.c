/*
 * array_common.c — the machinery the array (list) function kernels share
 * (layer: func): a uniform reader over List / LargeList / FixedSizeList
 * arguments, list results assembled from gather indices with one take,
 * concatenated gather sources, element comparators, and the return types
 * several functions share.
 */
#include "func/array_int.h"

void array_list_init(array_list *l, const func_datum *d)
{
    memset(l, 0, sizeof *l);
    const arrow_array *a = d->array;
    l->array = a;
    l->id = a->type->id;
    l->offset = a->offset;
    l->scalar = d->is_scalar;
    switch (l->id) {
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
        l->off32 = (const int32_t *)arrow_array_values(a);
        l->values = a->children[0];
        break;
    case QV_TYPE_LARGE_LIST:
        l->off64 = (const int64_t *)arrow_array_values(a);
        l->values = a->children[0];
        break;
    case QV_TYPE_FIXED_SIZE_LIST:
        l->fixed_size = a->type->fixed_size;
        l->values = a->children[0];
        break;
    default:
        /* The binder only lets lists and Null reach the kernels. */
        l->id = QV_TYPE_NULL;
        break;
    }
}

/* ---- results ---- */

qv_status array_out_begin(array_out *o, int64_t n_rows, qv_error *err)
{
    memset(o, 0, sizeof *o);
    o->n_rows = n_rows;
    o->offsets = base_calloc((size_t)n_rows + 1, sizeof *o->offsets);
    if (o->offsets == NULL)
        return base_error_nomem(err, "list offsets");
    return QV_OK;
}

void array_out_free(array_out *o)
{
    base_free(o->offsets);
    base_free(o->indices);
    arrow_buffer_release(o->validity);
    memset(o, 0, sizeof *o);
}

qv_status array_out_grow(array_out *o, int64_t extra, qv_error *err)
{
    if (o->n_indices + extra <= o->cap)
        return QV_OK;
    if (o->n_indices + extra >= (int64_t)UINT32_MAX)
        return base_error_set(err, QV_LIMIT, "Execution error: list result too large (%lld items)",
                              (long long)(o->n_indices + extra));
    int64_t cap = o->cap ? o->cap * 2 : 64;
    while (cap < o->n_indices + extra)
        cap *= 2;
    uint32_t *p = base_realloc(o->indices, (size_t)cap * sizeof *p);
    if (p == NULL)
        return base_error_nomem(err, "list result");
    o->indices = p;
    o->cap = cap;
    return QV_OK;
}

qv_status array_out_push_range(array_out *o, int64_t start, int64_t len, qv_error *err)
{
    QV_TRY(array_out_grow(o, len, err));
    for (int64_t k = 0; k < len; k++)
        o->indices[o->n_indices + k] = (uint32_t)(start + k);
    o->n_indices += len;
    return QV_OK;
}

qv_status array_out_end_row(array_out *o, bool valid, qv_error *err)
{
    if (!valid) {
        if (o->validity == NULL) {
            QV_TRY(func_bitmap_new(o->n_rows, &o->validity, err));
            memset(o->validity->data, 0xFF, (size_t)(o->n_rows + 7) / 8);
        }
        arrow_bit_set(o->validity->data, o->row, false);
        o->n_indices = o->offsets[o->row];
    }
    o->offsets[++o->row] = o->n_indices;
    return QV_OK;
}

/* The offsets as the list type's buffer (int32 for List). */
static qv_status offsets_buffer(const array_out *o, arrow_type_id id, arrow_buffer **out,
                                qv_error *err)
{
    int64_t n = o->n_rows + 1;
    if (id == QV_TYPE_LARGE_LIST)
        return arrow_buffer_copy(o->offsets, n * 8, out, err);
    if (o->offsets[o->n_rows] > INT32_MAX)
        return base_error_set(err, QV_LIMIT,
                              "Execution error: list result too large for List offsets (%lld "
                              "items); use LargeList",
                              (long long)o->offsets[o->n_rows]);
    QV_TRY(arrow_buffer_new(n * 4, out, err));
    int32_t *p = (int32_t *)(*out)->data;
    for (int64_t i = 0; i < n; i++)
        p[i] = (int32_t)o->offsets[i];
    return QV_OK;
}

qv_status array_out_finish(array_out *o, arrow_type *list_type, arrow_array *source, bool is_scalar,
                           func_datum *out, qv_error *err)
{
    out->array = NULL;
    qv_status st = QV_OK;
    arrow_array *items = NULL;
    arrow_buffer *buffers[2] = {o->validity, NULL};
    if (list_type->id != QV_TYPE_LIST && list_type->id != QV_TYPE_LARGE_LIST)
        st = base_error_set(err, QV_ERROR, "array result type %s is not a list",
                            arrow_type_id_name(list_type->id));
    else if (!arrow_type_equal(array_item_type(list_type), source->type))
        st = base_error_set(err, QV_ERROR, "array result items do not match the result type");
    if (st == QV_OK)
        st = func_take(source, o->indices, o->n_indices, &items, err);
    if (st == QV_OK)
        st = offsets_buffer(o, list_type->id, &buffers[1], err);
    arrow_array *list = NULL;
    if (st == QV_OK)
        st = arrow_array_new(list_type, o->n_rows, -1, 0, 2, buffers, 1, &items, NULL, &list, err);
    arrow_buffer_release(buffers[1]);
    arrow_array_release(items);
    array_out_free(o);
    if (st == QV_OK)
        func_set_result(out, list, is_scalar);
    return st;
}

qv_status array_null_result(arrow_type *type, int64_t n, bool is_scalar, func_datum *out,
                            qv_error *err)
{
    arrow_array *a = NULL;
    QV_TRY(arrow_array_new_null(type, is_scalar ? 1 : n, &a, err));
    func_set_result(out, a, is_scalar);
    return QV_OK;
}

qv_status array_rt_first(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(n_args);
    arrow_type *t = types[0];
    if (t->id == QV_TYPE_FIXED_SIZE_LIST)
        return arrow_type_list_of(QV_TYPE_LIST, array_item_type(t), out, err);
    *out = arrow_type_retain(t);
    return QV_OK;
}

static qv_status rt_fixed(arrow_type_id id, int n_args, arrow_type *const *types, arrow_type **out)
{
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(types);
    *out = arrow_type_primitive(id);
    return QV_OK;
}

qv_status array_rt_boolean(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(err);
    return rt_fixed(QV_TYPE_BOOLEAN, n_args, types, out);
}

qv_status array_rt_uint64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(err);
    return rt_fixed(QV_TYPE_UINT64, n_args, types, out);
}

qv_status array_rt_utf8(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(err);
    return rt_fixed(QV_TYPE_UTF8, n_args, types, out);
}

qv_status array_rt_float64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(err);
    return rt_fixed(QV_TYPE_FLOAT64, n_args, types, out);
}

qv_status array_concat_parts(int32_t n, arrow_array *const *parts, int64_t *bases,
                             arrow_array **out, qv_error *err)
{
    int64_t total = 0;
    for (int32_t k = 0; k < n; k++) {
        bases[k] = total;
        total += parts[k]->length;
    }
    if (total >= (int64_t)UINT32_MAX)
        return base_error_set(err, QV_LIMIT,
                              "Execution error: list items too many to gather (%lld)",
                              (long long)total);
    if (n == 1) {
        *out = arrow_array_retain(parts[0]);
        return QV_OK;
    }
    return func_concat(n, parts, out, err);
}

/* ---- comparison ---- */

qv_status array_comparator_new(arrow_type *type, func_row_comparator **out, qv_error *err)
{
    bool descending = false, nulls_first = true;
    return func_row_comparator_new(1, &type, &descending, &nulls_first, out, err);
}
