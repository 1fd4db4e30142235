/*
 * array.c — arrays: assembly, all-null arrays, refcounting, zero-copy slices,
 * validity and null counts (layer: arrow). Validation lives in validate.c.
 */
#include <string.h>

#include "arrow.h"

int32_t arrow_layout_buffers(const arrow_type *type)
{
    switch (type->id) {
    case QV_TYPE_NULL:
    case QV_TYPE_RUN_END_ENCODED:
        return 0;
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
        return 3;
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_STRUCT:
        return 1;
    default:
        return 2;
    }
}

static bool is_view(arrow_type_id id)
{
    return id == QV_TYPE_UTF8_VIEW || id == QV_TYPE_BINARY_VIEW;
}

int32_t arrow_layout_children(const arrow_type *type)
{
    switch (type->id) {
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_MAP:
        return 1;
    case QV_TYPE_STRUCT:
    case QV_TYPE_RUN_END_ENCODED:
        return type->n_children;
    default:
        return 0;
    }
}

qv_status arrow_array_new(arrow_type *type, int64_t length, int64_t null_count, int64_t offset,
                          int32_t n_buffers, arrow_buffer *const *buffers, int32_t n_children,
                          arrow_array *const *children, arrow_array *dictionary, arrow_array **out,
                          qv_error *err)
{
    *out = NULL;
    if (type == NULL || length < 0 || offset < 0 || null_count < -1 || null_count > length)
        return base_error_set(err, QV_INVALID,
                              "invalid array: negative length or offset, or bad null count");
    int32_t want_buffers = arrow_layout_buffers(type);
    bool buffers_ok = is_view(type->id) ? n_buffers >= 2 : n_buffers == want_buffers;
    if (!buffers_ok)
        return base_error_set(err, QV_INVALID, "invalid array: %d buffers where %d are expected",
                              n_buffers, want_buffers);
    if (n_children != arrow_layout_children(type))
        return base_error_set(err, QV_INVALID, "invalid array: %d children where %d are expected",
                              n_children, arrow_layout_children(type));
    if ((type->id == QV_TYPE_DICTIONARY) != (dictionary != NULL))
        return base_error_set(err, QV_INVALID,
                              "invalid array: only dictionary arrays have a dictionary");

    arrow_array *array = base_calloc(1, sizeof *array);
    if (array == NULL)
        return base_error_nomem(err, "array");
    if (n_buffers > 0) {
        array->buffers = base_calloc((size_t)n_buffers, sizeof(arrow_buffer *));
        if (array->buffers == NULL) {
            base_free(array);
            return base_error_nomem(err, "array");
        }
    }
    if (n_children > 0) {
        array->children = base_calloc((size_t)n_children, sizeof(arrow_array *));
        if (array->children == NULL) {
            base_free(array->buffers);
            base_free(array);
            return base_error_nomem(err, "array");
        }
    }
    atomic_init(&array->refcount, 1);
    array->type = arrow_type_retain(type);
    array->length = length;
    array->offset = offset;
    atomic_init(&array->null_count, type->id == QV_TYPE_NULL ? length : null_count);
    array->n_buffers = n_buffers;
    for (int32_t i = 0; i < n_buffers; i++)
        array->buffers[i] = arrow_buffer_retain(buffers[i]);
    array->n_children = n_children;
    for (int32_t i = 0; i < n_children; i++)
        array->children[i] = arrow_array_retain(children[i]);
    array->dictionary = arrow_array_retain(dictionary);
    *out = array;
    return QV_OK;
}

arrow_array *arrow_array_retain(arrow_array *array)
{
    if (array != NULL)
        atomic_fetch_add_explicit(&array->refcount, 1, memory_order_relaxed);
    return array;
}

void arrow_array_release(arrow_array *array)
{
    if (array == NULL || atomic_fetch_sub_explicit(&array->refcount, 1, memory_order_acq_rel) != 1)
        return;
    for (int32_t i = 0; i < array->n_buffers; i++)
        arrow_buffer_release(array->buffers[i]);
    for (int32_t i = 0; i < array->n_children; i++)
        arrow_array_release(array->children[i]);
    base_free(array->buffers);
    base_free(array->children);
    arrow_array_release(array->dictionary);
    arrow_type_release(array->type);
    base_free(array);
}

/* Bytes of the fixed-width values buffer for `length` elements. */
static int64_t values_bytes(const arrow_type *type, int64_t length)
{
    switch (type->id) {
    case QV_TYPE_BOOLEAN:
        return (length + 7) / 8;
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
        return (length + 1) * 4;
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_LARGE_LIST:
        return (length + 1) * 8;
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        return length * 16;
    default:
        return length * (arrow_type_bit_width(type) / 8);
    }
}

static qv_status new_null_children(const arrow_type *type, int64_t length, arrow_array **children,
                                   qv_error *err);

qv_status arrow_array_new_null(arrow_type *type, int64_t length, arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (length < 0 || length > (INT64_MAX / 64))
        return base_error_set(err, QV_INVALID, "invalid array length %lld", (long long)length);
    int32_t n_buffers = arrow_layout_buffers(type);
    int32_t n_children = arrow_layout_children(type);
    arrow_buffer *buffers[3] = {NULL, NULL, NULL};
    arrow_array *children[2] = {NULL, NULL};
    arrow_array **child_list = children;
    arrow_array *dictionary = NULL;
    qv_status status = QV_OK;

    if (type->id == QV_TYPE_STRUCT && n_children > 2) {
        child_list = base_calloc((size_t)n_children, sizeof(arrow_array *));
        if (child_list == NULL)
            return base_error_nomem(err, "array");
    }
    if (n_buffers >= 1)
        status = arrow_buffer_new((length + 7) / 8, &buffers[0], err);
    if (status == QV_OK && n_buffers >= 2) {
        const arrow_type *layout = type->id == QV_TYPE_DICTIONARY ? type->index_type : type;
        status = arrow_buffer_new(values_bytes(layout, length), &buffers[1], err);
    }
    if (status == QV_OK && n_buffers >= 3)
        status = arrow_buffer_new(0, &buffers[2], err);
    if (status == QV_OK && n_children > 0)
        status = new_null_children(type, length, child_list, err);
    if (status == QV_OK && type->id == QV_TYPE_DICTIONARY)
        status = arrow_array_new_null(type->value_type, 0, &dictionary, err);
    if (status == QV_OK) {
        int64_t null_count = type->id == QV_TYPE_RUN_END_ENCODED ? -1 : length;
        status = arrow_array_new(type, length, null_count, 0, n_buffers, buffers, n_children,
                                 child_list, dictionary, out, err);
    }
    for (int i = 0; i < 3; i++)
        arrow_buffer_release(buffers[i]);
    for (int32_t i = 0; i < n_children; i++)
        arrow_array_release(child_list[i]);
    if (child_list != children)
        base_free(child_list);
    arrow_array_release(dictionary);
    return status;
}

/* Children of an all-null array of `length` elements of a nested type. */
static qv_status new_null_children(const arrow_type *type, int64_t length, arrow_array **children,
                                   qv_error *err)
{
    switch (type->id) {
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_MAP:
        return arrow_array_new_null(type->children[0]->type, 0, &children[0], err);
    case QV_TYPE_FIXED_SIZE_LIST:
        return arrow_array_new_null(type->children[0]->type, length * type->fixed_size,
                                    &children[0], err);
    case QV_TYPE_STRUCT:
        for (int32_t i = 0; i < type->n_children; i++)
            QV_TRY(arrow_array_new_null(type->children[i]->type, length, &children[i], err));
        return QV_OK;
    case QV_TYPE_RUN_END_ENCODED: {
        /* One run covering everything (none when empty), of one null value. */
        int64_t n_runs = length > 0 ? 1 : 0;
        arrow_buffer *ends;
        QV_TRY(arrow_buffer_new(values_bytes(type->children[0]->type, n_runs), &ends, err));
        if (n_runs == 1) {
            switch (type->children[0]->type->id) {
            case QV_TYPE_INT16: {
                int16_t end = (int16_t)length;
                memcpy(ends->data, &end, sizeof end);
                break;
            }
            case QV_TYPE_INT32: {
                int32_t end = (int32_t)length;
                memcpy(ends->data, &end, sizeof end);
                break;
            }
            default:
                memcpy(ends->data, &length, sizeof length);
                break;
            }
        }
        arrow_buffer *end_buffers[2] = {NULL, ends};
        qv_status status = arrow_array_new(type->children[0]->type, n_runs, 0, 0, 2, end_buffers, 0,
                                           NULL, NULL, &children[0], err);
        arrow_buffer_release(ends);
        QV_TRY(status);
        return arrow_array_new_null(type->children[1]->type, n_runs, &children[1], err);
    }
    default:
        return QV_OK;
    }
}

qv_status arrow_array_slice(arrow_array *array, int64_t offset, int64_t length, arrow_array **out,
                            qv_error *err)
{
    *out = NULL;
    if (offset < 0 || length < 0 || offset > array->length || length > array->length - offset)
        return base_error_set(
            err, QV_INVALID, "slice [%lld, %lld) is outside an array of length %lld",
            (long long)offset, (long long)(offset + length), (long long)array->length);
    int64_t null_count = -1;
    if (array->null_count == 0 || array->type->id == QV_TYPE_NULL)
        null_count = array->type->id == QV_TYPE_NULL ? length : 0;
    else if (offset == 0 && length == array->length)
        null_count = array->null_count;
    return arrow_array_new(array->type, length, null_count, array->offset + offset,
                           array->n_buffers, array->buffers, array->n_children, array->children,
                           array->dictionary, out, err);
}

/* Index into the children (run_ends and values) of logical element i of a
 * run-end encoded array. */
static int64_t ree_physical_index(const arrow_array *array, int64_t i)
{
    const arrow_array *ends = array->children[0];
    int64_t logical = array->offset + i;
    int64_t lo = 0, hi = ends->length;
    const uint8_t *data = ends->buffers[1]->data;
    arrow_type_id width = ends->type->id;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int64_t j = ends->offset + mid;
        int64_t end = width == QV_TYPE_INT16   ? ((const int16_t *)data)[j]
                      : width == QV_TYPE_INT32 ? ((const int32_t *)data)[j]
                                               : ((const int64_t *)data)[j];
        if (end <= logical)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool arrow_array_is_valid(const arrow_array *array, int64_t i)
{
    switch (array->type->id) {
    case QV_TYPE_NULL:
        return false;
    case QV_TYPE_RUN_END_ENCODED: {
        const arrow_array *values = array->children[1];
        return arrow_array_is_valid(values, ree_physical_index(array, i));
    }
    default: {
        const arrow_buffer *validity = array->buffers[0];
        return validity == NULL || arrow_bit_get(validity->data, array->offset + i);
    }
    }
}

int64_t arrow_array_null_count(arrow_array *array)
{
    int64_t cached = atomic_load_explicit(&array->null_count, memory_order_relaxed);
    if (cached >= 0)
        return cached;
    int64_t null_count;
    if (array->type->id == QV_TYPE_RUN_END_ENCODED) {
        null_count = 0;
        for (int64_t i = 0; i < array->length; i++)
            null_count += !arrow_array_is_valid(array, i);
    } else if (array->buffers[0] == NULL) {
        null_count = 0;
    } else {
        null_count = array->length -
                     arrow_bitmap_count_set(array->buffers[0]->data, array->offset, array->length);
    }
    atomic_store_explicit(&array->null_count, null_count, memory_order_relaxed);
    return null_count;
}

void arrow_list_range(const arrow_array *array, int64_t i, int64_t *start, int64_t *end)
{
    int64_t slot = array->offset + i;
    if (array->type->id == QV_TYPE_FIXED_SIZE_LIST) {
        *start = slot * array->type->fixed_size;
        *end = *start + array->type->fixed_size;
        return;
    }
    const uint8_t *offsets = array->buffers[1]->data;
    if (array->type->id == QV_TYPE_LARGE_LIST) {
        memcpy(start, offsets + 8 * slot, 8);
        memcpy(end, offsets + 8 * (slot + 1), 8);
    } else {
        int32_t s, e;
        memcpy(&s, offsets + 4 * slot, 4);
        memcpy(&e, offsets + 4 * (slot + 1), 4);
        *start = s;
        *end = e;
    }
}
