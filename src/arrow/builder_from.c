/*
 * builder_from.c — appending elements of existing arrays to builders (layer:
 * arrow): any type, nested recursively, from sliced, dictionary and run-end
 * encoded sources. Dictionary and run-end encoded sources are decoded to
 * their values first, so they also feed builders of the value type, and
 * plain arrays of the value type feed dictionary and run-end builders.
 */
#include <string.h>

#include "builder_int.h"

/* The type of the values an array of this type holds once decoded. */
static const arrow_type *decoded_type(const arrow_type *type)
{
    if (type->id == QV_TYPE_DICTIONARY)
        return type->value_type;
    if (type->id == QV_TYPE_RUN_END_ENCODED)
        return type->children[1]->type;
    return type;
}

static int64_t read_int(const uint8_t *data, int64_t i, arrow_type_id id)
{
    switch (id) {
    case QV_TYPE_INT8:
        return ((const int8_t *)data)[i];
    case QV_TYPE_UINT8:
        return data[i];
    case QV_TYPE_INT16:
        return ((const int16_t *)data)[i];
    case QV_TYPE_UINT16:
        return ((const uint16_t *)data)[i];
    case QV_TYPE_INT32:
        return ((const int32_t *)data)[i];
    case QV_TYPE_UINT32:
        return ((const uint32_t *)data)[i];
    default:
        return ((const int64_t *)data)[i];
    }
}

/* Index into run_ends / values of logical element i of a run-end encoded array. */
static int64_t ree_run(const arrow_array *array, int64_t i)
{
    const arrow_array *ends = array->children[0];
    const uint8_t *data = ends->buffers[1]->data;
    int64_t logical = array->offset + i;
    int64_t lo = 0, hi = ends->length;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (read_int(data, ends->offset + mid, ends->type->id) <= logical)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Replaces (*array, *i) by the decoded element's array and index when
 * *array is dictionary or run-end encoded. Returns false when the element
 * is null. */
static bool resolve(const arrow_array **array, int64_t *i)
{
    const arrow_array *a = *array;
    if (a->type->id == QV_TYPE_DICTIONARY) {
        if (a->buffers[0] != NULL && !arrow_bit_get(a->buffers[0]->data, a->offset + *i))
            return false;
        *i = read_int(a->buffers[1]->data, a->offset + *i, a->type->index_type->id);
        *array = a = a->dictionary;
    } else if (a->type->id == QV_TYPE_RUN_END_ENCODED) {
        *i = ree_run(a, *i);
        *array = a = a->children[1];
    }
    if (a->type->id == QV_TYPE_NULL)
        return false;
    return a->buffers[0] == NULL || arrow_bit_get(a->buffers[0]->data, a->offset + *i);
}

/* Points *bytes and *len at element i of a flat array laid out as `kind`. */
static void peek_array(const arrow_array *a, int64_t i, builder_kind kind, int32_t width,
                       const uint8_t **bytes, int64_t *len, uint8_t *tmp)
{
    int64_t j = a->offset + i;
    const uint8_t *values = a->buffers[1]->data;
    switch (kind) {
    case BK_BOOL:
        *tmp = arrow_bit_get(values, j);
        *bytes = tmp;
        *len = 1;
        return;
    case BK_VARBIN: {
        int32_t start, end;
        memcpy(&start, values + j * 4, 4);
        memcpy(&end, values + j * 4 + 4, 4);
        *bytes = a->buffers[2]->data + start;
        *len = end - start;
        return;
    }
    case BK_LARGE_VARBIN: {
        int64_t start, end;
        memcpy(&start, values + j * 8, 8);
        memcpy(&end, values + j * 8 + 8, 8);
        *bytes = a->buffers[2]->data + start;
        *len = end - start;
        return;
    }
    case BK_VIEW: {
        const uint8_t *view = values + j * 16;
        int32_t view_len, buffer_index, offset;
        memcpy(&view_len, view, 4);
        *len = view_len;
        if (view_len <= 12) {
            *bytes = view + 4;
            return;
        }
        memcpy(&buffer_index, view + 8, 4);
        memcpy(&offset, view + 12, 4);
        *bytes = a->buffers[2 + buffer_index]->data + offset;
        return;
    }
    default:
        *bytes = values + j * width;
        *len = width;
        return;
    }
}

static int64_t list_offset(const arrow_array *a, int64_t j, bool large)
{
    const uint8_t *offsets = a->buffers[1]->data;
    if (large) {
        int64_t v;
        memcpy(&v, offsets + j * 8, 8);
        return v;
    }
    int32_t v;
    memcpy(&v, offsets + j * 4, 4);
    return v;
}

/* Appends element i of src, whose decoded type is b's decoded type. */
static qv_status copy_element(arrow_builder *b, const arrow_array *src, int64_t i, qv_error *err)
{
    if (!resolve(&src, &i))
        return arrow_builder_append_null(b, err);
    switch (b->kind) {
    case BK_NULL:
        return arrow_builder_append_null(b, err);
    case BK_STRUCT:
        for (int32_t c = 0; c < b->n_children; c++)
            QV_TRY(copy_element(b->children[c], src->children[c], src->offset + i, err));
        return arrow_builder_append_struct(b, true, err);
    case BK_LIST:
    case BK_LARGE_LIST: {
        bool large = b->kind == BK_LARGE_LIST;
        int64_t start = list_offset(src, src->offset + i, large);
        int64_t end = list_offset(src, src->offset + i + 1, large);
        for (int64_t k = start; k < end; k++)
            QV_TRY(copy_element(b->children[0], src->children[0], k, err));
        return arrow_builder_end_list(b, true, err);
    }
    case BK_FSL: {
        int64_t start = (src->offset + i) * b->width;
        for (int64_t k = start; k < start + b->width; k++)
            QV_TRY(copy_element(b->children[0], src->children[0], k, err));
        return arrow_builder_end_list(b, true, err);
    }
    default: {
        const arrow_builder *target = builder_value_target(b);
        const uint8_t *bytes;
        int64_t len;
        uint8_t tmp;
        peek_array(src, i, target->kind, target->width, &bytes, &len, &tmp);
        return arrow_builder_append_encoded(b, bytes, len, err);
    }
    }
}

/* Appends element i of src to b. src must have b's type, or the same type
 * once dictionary or run-end encoding is taken off either side (then the
 * value is re-encoded). QV_MISUSE for another type or i out of range;
 * QV_OVERFLOW, QV_INVALID or QV_NOMEM as the typed appends. On failure
 * inside a nested element, the builder can only be freed or finished. */
qv_status arrow_builder_append_from(arrow_builder *b, const arrow_array *src, int64_t i,
                                    qv_error *err)
{
    if (b == NULL || src == NULL || i < 0 || i >= src->length)
        return base_error_set(err, QV_MISUSE, "arrow_builder_append_from: bad arguments");
    if (b->type != src->type && !arrow_type_equal(b->type, src->type) &&
        !arrow_type_equal(decoded_type(b->type), decoded_type(src->type)))
        return base_error_set(err, QV_MISUSE,
                              "arrow_builder_append_from: source type id %d does not match "
                              "builder type id %d",
                              (int)src->type->id, (int)b->type->id);
    return copy_element(b, src, i, err);
}
