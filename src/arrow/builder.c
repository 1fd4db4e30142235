/*
 * builder.c — array builders, generic core (layer: arrow).
 *
 * Creation and freeing of builders for every data type, buffer growth,
 * validity, the flat layouts (boolean, fixed width, offsets + data, views),
 * nulls and finishing. The typed appends live in builder_append.c, nested
 * layouts in builder_nested.c, dictionary and run-end encoded ones in
 * builder_dict.c, copying from arrays in builder_from.c.
 */
#include <string.h>

#include "builder_int.h"

/* A view data buffer is sealed once the next value would take it past this. */
#define VIEW_BLOCK_SIZE (32 * 1024)

/* ---- creation ---- */

static qv_status classify(const arrow_type *type, builder_kind *kind, int32_t *width)
{
    *width = 0;
    switch (type->id) {
    case QV_TYPE_NULL:
        *kind = BK_NULL;
        return QV_OK;
    case QV_TYPE_BOOLEAN:
        *kind = BK_BOOL;
        return QV_OK;
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
        *kind = BK_VARBIN;
        return QV_OK;
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
        *kind = BK_LARGE_VARBIN;
        return QV_OK;
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        *kind = BK_VIEW;
        return QV_OK;
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
        *kind = BK_LIST;
        return QV_OK;
    case QV_TYPE_LARGE_LIST:
        *kind = BK_LARGE_LIST;
        return QV_OK;
    case QV_TYPE_FIXED_SIZE_LIST:
        *kind = BK_FSL;
        *width = type->fixed_size;
        return QV_OK;
    case QV_TYPE_STRUCT:
        *kind = BK_STRUCT;
        return QV_OK;
    case QV_TYPE_DICTIONARY:
        *kind = BK_DICT;
        *width = arrow_type_bit_width(type->index_type) / 8;
        return QV_OK;
    case QV_TYPE_RUN_END_ENCODED:
        *kind = BK_REE;
        *width = arrow_type_bit_width(type->children[0]->type) / 8;
        return QV_OK;
    case QV_TYPE_COUNT_:
        break;
    default:
        *kind = BK_FIXED;
        *width = arrow_type_bit_width(type) / 8;
        return QV_OK;
    }
    return QV_MISUSE;
}

/* The types of the child builders of a type, in order. */
static int32_t child_types(arrow_type *type, arrow_type **types, int32_t max)
{
    switch (type->id) {
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_MAP:
        if (max > 0)
            types[0] = type->children[0]->type;
        return 1;
    case QV_TYPE_STRUCT:
        for (int32_t i = 0; i < type->n_children && i < max; i++)
            types[i] = type->children[i]->type;
        return type->n_children;
    case QV_TYPE_DICTIONARY:
        if (max > 0)
            types[0] = type->value_type;
        return 1;
    case QV_TYPE_RUN_END_ENCODED:
        if (max > 0)
            types[0] = type->children[1]->type;
        return 1;
    default:
        return 0;
    }
}

/* Creates a builder for any type. Returns QV_OK with *out a new builder
 * (free with arrow_builder_free), QV_MISUSE for a NULL type,
 * QV_NOT_IMPLEMENTED for a dictionary or run-end encoded type whose values
 * are nested (dictionary: or null), QV_NOMEM. */
qv_status arrow_builder_new(arrow_type *type, arrow_builder **out, qv_error *err)
{
    if (out == NULL)
        return base_error_set(err, QV_MISUSE, "arrow_builder_new: NULL out");
    *out = NULL;
    if (type == NULL)
        return base_error_set(err, QV_MISUSE, "arrow_builder_new: NULL type");
    builder_kind kind;
    int32_t width;
    if (classify(type, &kind, &width) != QV_OK)
        return base_error_set(err, QV_MISUSE, "arrow_builder_new: unknown type id %d", type->id);
    arrow_builder *b = base_calloc(1, sizeof *b);
    if (b == NULL)
        return base_error_nomem(err, "builder");
    b->type = arrow_type_retain(type);
    b->kind = kind;
    b->width = width;
    qv_status status = QV_OK;
    int32_t n_children = child_types(type, NULL, 0);
    if (n_children > 0) {
        b->children = base_calloc((size_t)n_children, sizeof *b->children);
        arrow_type **types = base_calloc((size_t)n_children, sizeof *types);
        if (b->children == NULL || types == NULL) {
            base_free(types);
            arrow_builder_free(b);
            return base_error_nomem(err, "builder");
        }
        child_types(type, types, n_children);
        for (int32_t i = 0; i < n_children && status == QV_OK; i++) {
            status = arrow_builder_new(types[i], &b->children[i], err);
            if (status == QV_OK)
                b->n_children = i + 1;
        }
        base_free(types);
    }
    if (status == QV_OK && (kind == BK_DICT || kind == BK_REE)) {
        builder_kind value_kind = b->children[0]->kind;
        if (!builder_kind_is_flat(value_kind) && !(kind == BK_REE && value_kind == BK_NULL))
            status = base_error_set(err, QV_NOT_IMPLEMENTED,
                                    "builders of %s with nested values are not supported",
                                    kind == BK_DICT ? "dictionaries" : "run-end encoded arrays");
        else if (kind == BK_DICT)
            status = arrow_builder_dict_init(b, err);
        else
            b->max_index = width == 2 ? INT16_MAX : width == 4 ? INT32_MAX : INT64_MAX;
    }
    if (status != QV_OK) {
        arrow_builder_free(b);
        return status;
    }
    *out = b;
    return QV_OK;
}

/* Frees b, its children and everything appended. NULL is a no-op. */
void arrow_builder_free(arrow_builder *builder)
{
    if (builder == NULL)
        return;
    arrow_builder_reset(builder);
    for (int32_t i = 0; i < builder->n_children; i++)
        arrow_builder_free(builder->children[i]);
    base_free(builder->children);
    base_free(builder->sealed);
    arrow_builder_dict_free(builder);
    arrow_type_release(builder->type);
    base_free(builder);
}

void arrow_builder_reset(arrow_builder *b)
{
    arrow_buffer_release(b->validity);
    arrow_buffer_release(b->values);
    arrow_buffer_release(b->data);
    for (int32_t i = 0; i < b->n_sealed; i++)
        arrow_buffer_release(b->sealed[i]);
    b->validity = b->values = b->data = NULL;
    b->n_sealed = 0;
    b->length = 0;
    b->null_count = 0;
    if (b->kind == BK_DICT)
        arrow_builder_dict_clear(b);
    for (int32_t i = 0; i < b->n_children; i++)
        arrow_builder_reset(b->children[i]);
}

/* The builder's type (borrowed, lives as long as the builder). */
arrow_type *arrow_builder_type(const arrow_builder *builder)
{
    return builder == NULL ? NULL : builder->type;
}

/* Elements appended since creation or the last finish. */
int64_t arrow_builder_length(const arrow_builder *builder)
{
    return builder == NULL ? 0 : builder->length;
}

/* ---- buffers and validity ---- */

qv_status arrow_builder_buf_grow(arrow_buffer **slot, int64_t extra, qv_error *err)
{
    arrow_buffer *buffer = *slot;
    int64_t used = buffer == NULL ? 0 : buffer->size;
    if (extra < 0 || extra > INT64_MAX / 4 - used)
        return base_error_nomem(err, "builder buffer");
    if (buffer == NULL) {
        QV_TRY(arrow_buffer_new(extra < 64 ? 64 : extra, &buffer, err));
        buffer->size = 0;
        *slot = buffer;
        return QV_OK;
    }
    /* resize doubles the capacity; size goes back to what is in use. */
    QV_TRY(arrow_buffer_resize(buffer, used + extra, err));
    buffer->size = used;
    return QV_OK;
}

qv_status arrow_builder_validity_grow(arrow_builder *b, int64_t n, qv_error *err)
{
    int64_t need = (b->length + n + 7) / 8;
    if (b->validity == NULL) {
        QV_TRY(arrow_builder_buf_grow(&b->validity, need, err));
        /* Everything appended so far was valid. */
        memset(b->validity->data, 0xFF, (size_t)(b->length / 8));
        for (int64_t i = b->length & ~(int64_t)7; i < b->length; i++)
            arrow_bit_set(b->validity->data, i, true);
    } else if (need > b->validity->size) {
        QV_TRY(builder_reserve(&b->validity, need - b->validity->size, err));
    }
    if (need > b->validity->size)
        b->validity->size = need;
    return QV_OK;
}

/* ---- flat layouts ---- */

static qv_status append_offsets_value(arrow_builder *b, const uint8_t *bytes, int64_t len,
                                      qv_error *err)
{
    bool large = b->kind == BK_LARGE_VARBIN;
    int64_t offset_width = large ? 8 : 4;
    int64_t first = b->values == NULL || b->values->size == 0 ? offset_width : 0;
    int64_t end = (b->data == NULL ? 0 : b->data->size) + len;
    if (!large && end > INT32_MAX)
        return base_error_set(err, QV_OVERFLOW, "string data exceeds 2 GiB; use a large type");
    QV_TRY(builder_validity_reserve(b, 1, false, err));
    QV_TRY(builder_reserve(&b->values, first + offset_width, err));
    QV_TRY(builder_reserve(&b->data, len, err));
    if (len > 0)
        memcpy(b->data->data + b->data->size, bytes, (size_t)len);
    b->data->size = end;
    b->values->size += first;
    if (large) {
        memcpy(b->values->data + b->values->size, &end, 8);
    } else {
        int32_t end32 = (int32_t)end;
        memcpy(b->values->data + b->values->size, &end32, 4);
    }
    b->values->size += offset_width;
    builder_commit(b, 1, true);
    return QV_OK;
}

qv_status arrow_builder_push_offsets(arrow_builder *b, int64_t count, int64_t end, bool valid,
                                     qv_error *err)
{
    bool large = b->kind == BK_LARGE_VARBIN || b->kind == BK_LARGE_LIST;
    int64_t offset_width = large ? 8 : 4;
    if (!large && end > INT32_MAX)
        return base_error_set(err, QV_OVERFLOW, "more than 2^31 items; use a large type");
    int64_t first = b->values == NULL || b->values->size == 0 ? offset_width : 0;
    QV_TRY(builder_validity_reserve(b, count, !valid, err));
    QV_TRY(builder_reserve(&b->values, first + count * offset_width, err));
    b->values->size += first;
    uint8_t *slot = b->values->data + b->values->size;
    if (large) {
        for (int64_t i = 0; i < count; i++)
            memcpy(slot + i * 8, &end, 8);
    } else {
        int32_t end32 = (int32_t)end;
        for (int64_t i = 0; i < count; i++)
            memcpy(slot + i * 4, &end32, 4);
    }
    b->values->size += count * offset_width;
    builder_commit(b, count, valid);
    return QV_OK;
}

static qv_status append_view(arrow_builder *b, const uint8_t *bytes, int64_t len, qv_error *err)
{
    if (len > INT32_MAX)
        return base_error_set(err, QV_OVERFLOW, "view values are limited to 2 GiB");
    QV_TRY(builder_validity_reserve(b, 1, false, err));
    QV_TRY(builder_reserve(&b->values, 16, err));
    uint8_t view[16] = {0};
    int32_t len32 = (int32_t)len;
    memcpy(view, &len32, 4);
    if (len <= 12) {
        if (len > 0)
            memcpy(view + 4, bytes, (size_t)len);
    } else {
        if (b->data != NULL && b->data->size > 0 && b->data->size + len > VIEW_BLOCK_SIZE) {
            /* Seal the full buffer; every allocation happens before anything moves. */
            if (b->n_sealed == b->cap_sealed) {
                if (b->cap_sealed > INT32_MAX / 2)
                    return base_error_set(err, QV_OVERFLOW, "too many view data buffers");
                int32_t cap = b->cap_sealed ? b->cap_sealed * 2 : 4;
                arrow_buffer **grown = base_realloc(b->sealed, (size_t)cap * sizeof *grown);
                if (grown == NULL)
                    return base_error_nomem(err, "view data buffers");
                b->sealed = grown;
                b->cap_sealed = cap;
            }
            arrow_buffer *fresh = NULL;
            QV_TRY(arrow_builder_buf_grow(&fresh, len, err));
            b->sealed[b->n_sealed++] = b->data;
            b->data = fresh;
        } else {
            QV_TRY(builder_reserve(&b->data, len, err));
        }
        int32_t buffer_index = b->n_sealed;
        int32_t offset = (int32_t)b->data->size;
        memcpy(view + 4, bytes, 4);
        memcpy(view + 8, &buffer_index, 4);
        memcpy(view + 12, &offset, 4);
        memcpy(b->data->data + b->data->size, bytes, (size_t)len);
        b->data->size += len;
    }
    memcpy(b->values->data + b->values->size, view, 16);
    b->values->size += 16;
    builder_commit(b, 1, true);
    return QV_OK;
}

qv_status arrow_builder_append_raw(arrow_builder *b, const uint8_t *bytes, int64_t len,
                                   qv_error *err)
{
    switch (b->kind) {
    case BK_FIXED:
        QV_ASSERT(len == b->width);
        QV_TRY(builder_validity_reserve(b, 1, false, err));
        QV_TRY(builder_reserve(&b->values, b->width, err));
        memcpy(b->values->data + b->values->size, bytes, (size_t)b->width);
        b->values->size += b->width;
        builder_commit(b, 1, true);
        return QV_OK;
    case BK_BOOL:
        QV_TRY(builder_validity_reserve(b, 1, false, err));
        if ((b->length & 7) == 0) {
            QV_TRY(builder_reserve(&b->values, 1, err));
            b->values->size++;
        }
        if (bytes[0])
            arrow_bit_set(b->values->data, b->length, true);
        builder_commit(b, 1, true);
        return QV_OK;
    case BK_VARBIN:
    case BK_LARGE_VARBIN:
        return append_offsets_value(b, bytes, len, err);
    case BK_VIEW:
        return append_view(b, bytes, len, err);
    default:
        return base_error_set(err, QV_MISUSE, "value does not fit the builder's type");
    }
}

qv_status arrow_builder_append_encoded(arrow_builder *b, const uint8_t *bytes, int64_t len,
                                       qv_error *err)
{
    switch (b->kind) {
    case BK_DICT:
        return arrow_builder_dict_append(b, bytes, len, err);
    case BK_REE:
        return arrow_builder_ree_append(b, bytes, len, 1, err);
    default:
        return arrow_builder_append_raw(b, bytes, len, err);
    }
}

void arrow_builder_peek(const arrow_builder *b, int64_t i, const uint8_t **bytes, int64_t *len,
                        uint8_t *tmp)
{
    switch (b->kind) {
    case BK_BOOL:
        *tmp = arrow_bit_get(b->values->data, i);
        *bytes = tmp;
        *len = 1;
        return;
    case BK_FIXED:
        *bytes = b->values->data + i * b->width;
        *len = b->width;
        return;
    case BK_VARBIN: {
        int32_t start, end;
        memcpy(&start, b->values->data + i * 4, 4);
        memcpy(&end, b->values->data + i * 4 + 4, 4);
        *bytes = b->data->data + start;
        *len = end - start;
        return;
    }
    case BK_LARGE_VARBIN: {
        int64_t start, end;
        memcpy(&start, b->values->data + i * 8, 8);
        memcpy(&end, b->values->data + i * 8 + 8, 8);
        *bytes = b->data->data + start;
        *len = end - start;
        return;
    }
    case BK_VIEW: {
        const uint8_t *view = b->values->data + i * 16;
        int32_t view_len, buffer_index, offset;
        memcpy(&view_len, view, 4);
        *len = view_len;
        if (view_len <= 12) {
            *bytes = view + 4;
            return;
        }
        memcpy(&buffer_index, view + 8, 4);
        memcpy(&offset, view + 12, 4);
        const arrow_buffer *buffer =
            buffer_index == b->n_sealed ? b->data : b->sealed[buffer_index];
        *bytes = buffer->data + offset;
        return;
    }
    default:
        QV_ASSERT(!"peek on a builder that is not flat");
    }
}

/* ---- nulls ---- */

/* Appends one null to b (any type). QV_NOMEM, QV_OVERFLOW (dictionary,
 * run-end or offset limits), QV_MISUSE for a NULL builder. */
qv_status arrow_builder_append_null(arrow_builder *b, qv_error *err)
{
    return arrow_builder_append_nulls(b, 1, err);
}

/* Appends count nulls to b (for STRUCT, children get nulls too; for
 * FIXED_SIZE_LIST, the child gets count * size nulls). QV_MISUSE for a NULL
 * builder or negative count. Failures of flat, dictionary and run-end
 * builders leave them unchanged; a nested builder whose child failed can
 * only be finished (QV_INVALID, reset) or freed. */
qv_status arrow_builder_append_nulls(arrow_builder *b, int64_t count, qv_error *err)
{
    if (b == NULL || count < 0 || count > INT64_MAX / 64 - (b ? b->length : 0))
        return base_error_set(err, QV_MISUSE, "arrow_builder_append_nulls: bad arguments");
    if (count == 0)
        return QV_OK;
    switch (b->kind) {
    case BK_NULL:
        builder_commit(b, count, false);
        return QV_OK;
    case BK_BOOL: {
        QV_TRY(builder_validity_reserve(b, count, true, err));
        int64_t bytes = (b->length + count + 7) / 8;
        if (b->values == NULL || bytes > b->values->size) {
            QV_TRY(builder_reserve(&b->values, bytes - (b->values ? b->values->size : 0), err));
            b->values->size = bytes;
        }
        builder_commit(b, count, false);
        return QV_OK;
    }
    case BK_FIXED:
    case BK_VIEW:
    case BK_DICT: {
        int64_t width = b->kind == BK_VIEW ? 16 : b->width;
        QV_TRY(builder_validity_reserve(b, count, true, err));
        QV_TRY(builder_reserve(&b->values, count * width, err));
        /* Bytes past size are zero: a zero value, an empty view, index 0. */
        b->values->size += count * width;
        builder_commit(b, count, false);
        return QV_OK;
    }
    case BK_VARBIN:
    case BK_LARGE_VARBIN:
        return arrow_builder_push_offsets(b, count, b->data == NULL ? 0 : b->data->size, false,
                                          err);
    case BK_LIST:
    case BK_LARGE_LIST:
    case BK_FSL:
    case BK_STRUCT:
        return arrow_builder_nested_nulls(b, count, err);
    case BK_REE:
        return arrow_builder_ree_append(b, NULL, 0, count, err);
    }
    return QV_MISUSE;
}

/* ---- finishing ---- */

qv_status arrow_builder_assemble(arrow_builder *b, int32_t n_buffers, arrow_buffer **buffers,
                                 int32_t n_children, arrow_array **children,
                                 arrow_array *dictionary, int64_t null_count, arrow_array **out,
                                 qv_error *err)
{
    qv_status status = arrow_array_new(b->type, b->length, null_count, 0, n_buffers, buffers,
                                       n_children, children, dictionary, out, err);
    arrow_builder_reset(b);
    return status;
}

/* b's validity bitmap for finishing: NULL when nothing is null. */
static arrow_buffer *finished_validity(arrow_builder *b)
{
    if (b->null_count == 0)
        return NULL;
    b->validity->size = (b->length + 7) / 8;
    return b->validity;
}

/* Makes *slot exist with at least min_size bytes (zeros). */
static qv_status ensure_buffer(arrow_buffer **slot, int64_t min_size, qv_error *err)
{
    if (*slot == NULL || (*slot)->size < min_size) {
        int64_t size = *slot == NULL ? 0 : (*slot)->size;
        QV_TRY(builder_reserve(slot, min_size - size, err));
        (*slot)->size = min_size;
    }
    return QV_OK;
}

static qv_status finish_view(arrow_builder *b, arrow_array **out, qv_error *err)
{
    bool has_open = b->data != NULL && b->data->size > 0;
    int32_t n_buffers = 2 + b->n_sealed + (has_open ? 1 : 0);
    arrow_buffer **buffers = base_calloc((size_t)n_buffers, sizeof *buffers);
    if (buffers == NULL) {
        arrow_builder_reset(b);
        return base_error_nomem(err, "array buffers");
    }
    qv_status status = ensure_buffer(&b->values, 0, err);
    if (status == QV_OK) {
        buffers[0] = finished_validity(b);
        buffers[1] = b->values;
        for (int32_t i = 0; i < b->n_sealed; i++)
            buffers[2 + i] = b->sealed[i];
        if (has_open)
            buffers[n_buffers - 1] = b->data;
        status =
            arrow_builder_assemble(b, n_buffers, buffers, 0, NULL, NULL, b->null_count, out, err);
    } else {
        arrow_builder_reset(b);
    }
    base_free(buffers);
    return status;
}

/* Hands out the built array in *out (a new reference): offset 0, null_count
 * computed, validity NULL when nothing is null. The builder is reset to
 * empty for reuse, also when finishing fails (QV_NOMEM; QV_INVALID when a
 * STRUCT's or FIXED_SIZE_LIST's children do not match its length). */
qv_status arrow_builder_finish(arrow_builder *b, arrow_array **out, qv_error *err)
{
    if (out == NULL)
        return base_error_set(err, QV_MISUSE, "arrow_builder_finish: NULL out");
    *out = NULL;
    if (b == NULL)
        return base_error_set(err, QV_MISUSE, "arrow_builder_finish: NULL builder");
    qv_status status = QV_OK;
    arrow_buffer *buffers[3];
    switch (b->kind) {
    case BK_NULL:
        return arrow_builder_assemble(b, 0, NULL, 0, NULL, NULL, b->length, out, err);
    case BK_BOOL:
    case BK_FIXED:
        status = ensure_buffer(&b->values, 0, err);
        if (status != QV_OK)
            break;
        buffers[0] = finished_validity(b);
        buffers[1] = b->values;
        return arrow_builder_assemble(b, 2, buffers, 0, NULL, NULL, b->null_count, out, err);
    case BK_VARBIN:
    case BK_LARGE_VARBIN:
        status = ensure_buffer(&b->values, b->kind == BK_VARBIN ? 4 : 8, err);
        if (status == QV_OK)
            status = ensure_buffer(&b->data, 0, err);
        if (status != QV_OK)
            break;
        buffers[0] = finished_validity(b);
        buffers[1] = b->values;
        buffers[2] = b->data;
        return arrow_builder_assemble(b, 3, buffers, 0, NULL, NULL, b->null_count, out, err);
    case BK_VIEW:
        return finish_view(b, out, err);
    case BK_DICT:
        return arrow_builder_dict_finish(b, out, err);
    case BK_REE:
        return arrow_builder_ree_finish(b, out, err);
    default:
        return arrow_builder_nested_finish(b, out, err);
    }
    arrow_builder_reset(b);
    return status;
}
