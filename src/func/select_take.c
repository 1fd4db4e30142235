/*
 * select_take.c — the take kernel (layer: func): out[i] = array[indices[i]]
 * for every type, with SEL_NULL_INDEX giving a null. Flat types gather in
 * one typed loop per call; variable-width types size their output first;
 * views keep their data buffers; lists and fixed-size lists take their
 * children through derived index lists; structs take each field;
 * dictionaries take their indices and keep the dictionary; run-end encoded
 * arrays take their values per run and stay run-end encoded. Results start
 * at offset 0.
 */
#include "func/select_int.h"

int32_t sel_fixed_width(const arrow_type *type)
{
    switch (type->id) {
    case QV_TYPE_NULL:
    case QV_TYPE_BOOLEAN:
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_STRUCT:
    case QV_TYPE_MAP:
    case QV_TYPE_RUN_END_ENCODED:
        return 0;
    case QV_TYPE_FIXED_SIZE_BINARY:
        return type->fixed_size;
    case QV_TYPE_DICTIONARY:
        return arrow_type_bit_width(type->index_type) / 8;
    default:
        return arrow_type_bit_width(type) / 8;
    }
}

int64_t sel_ree_physical(const arrow_array *array, int64_t i)
{
    const arrow_array *ends = array->children[0];
    int64_t logical = array->offset + i;
    int64_t lo = 0, hi = ends->length;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (sel_run_end(ends, mid) <= logical)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- validity ---- */

/* The validity of the taken elements (the array's own bitmap only) into
 * *out, NULL when every result is valid; *null_count set exactly. */
static qv_status take_validity(arrow_array *array, const uint32_t *indices, int64_t n,
                               bool any_null_index, arrow_buffer **out, int64_t *null_count,
                               qv_error *err)
{
    *out = NULL;
    *null_count = 0;
    bool source_nulls = array->buffers[0] != NULL && arrow_array_null_count(array) > 0;
    if (!source_nulls && !any_null_index)
        return QV_OK;
    QV_TRY(arrow_buffer_new((n + 7) / 8, out, err));
    uint8_t *bits = (*out)->data;
    int64_t nulls = 0;
    if (source_nulls) {
        const uint8_t *src = array->buffers[0]->data;
        int64_t offset = array->offset;
        for (int64_t i = 0; i < n; i++) {
            uint32_t j = indices[i];
            bool valid = j != SEL_NULL_INDEX && arrow_bit_get(src, offset + j);
            bits[i >> 3] |= (uint8_t)(valid << (i & 7));
            nulls += !valid;
        }
    } else {
        for (int64_t i = 0; i < n; i++) {
            bool valid = indices[i] != SEL_NULL_INDEX;
            bits[i >> 3] |= (uint8_t)(valid << (i & 7));
            nulls += !valid;
        }
    }
    *null_count = nulls;
    return QV_OK;
}

/* Assembles a result from buffers and children, releasing them (moved). */
static qv_status assemble(arrow_type *type, int64_t n, int64_t null_count, int32_t n_buffers,
                          arrow_buffer **buffers, int32_t n_children, arrow_array **children,
                          arrow_array *dictionary, qv_status st, arrow_array **out, qv_error *err)
{
    if (st == QV_OK)
        st = arrow_array_new(type, n, null_count, 0, n_buffers, buffers, n_children, children,
                             dictionary, out, err);
    for (int32_t i = 0; i < n_buffers; i++)
        arrow_buffer_release(buffers[i]);
    for (int32_t i = 0; i < n_children; i++)
        arrow_array_release(children[i]);
    return st;
}

/* ---- flat layouts ---- */

#define GATHER_TYPED(T)                                                                    \
    do {                                                                                   \
        const T *src = (const T *)values + offset;                                         \
        T *dst = (T *)out_data;                                                            \
        if (!any_null_index) {                                                             \
            for (int64_t i = 0; i < n; i++)                                                \
                dst[i] = src[indices[i]];                                                  \
        } else {                                                                           \
            for (int64_t i = 0; i < n; i++)                                                \
                dst[i] = indices[i] == SEL_NULL_INDEX ? (T)0 : src[indices[i]];            \
        }                                                                                  \
    } while (0)

/* dst[i] = src[indices[i]] for values of `width` bytes (zero for null indices). */
static void gather_fixed(const uint8_t *values, int64_t offset, int32_t width,
                         const uint32_t *indices, int64_t n, bool any_null_index,
                         uint8_t *out_data)
{
    switch (width) {
    case 1:
        GATHER_TYPED(uint8_t);
        break;
    case 2:
        GATHER_TYPED(uint16_t);
        break;
    case 4:
        GATHER_TYPED(uint32_t);
        break;
    case 8:
        GATHER_TYPED(uint64_t);
        break;
    case 16: {
        const uint8_t *src = values + offset * 16;
        for (int64_t i = 0; i < n; i++) {
            if (indices[i] != SEL_NULL_INDEX)
                memcpy(out_data + i * 16, src + (int64_t)indices[i] * 16, 16);
        }
        break;
    }
    default: {
        const uint8_t *src = values + offset * width;
        for (int64_t i = 0; i < n; i++) {
            if (indices[i] != SEL_NULL_INDEX)
                memcpy(out_data + i * width, src + (int64_t)indices[i] * width, (size_t)width);
        }
        break;
    }
    }
}

static qv_status take_fixed(arrow_array *array, const uint32_t *indices, int64_t n,
                            bool any_null_index, arrow_array **out, qv_error *err)
{
    int32_t width = sel_fixed_width(array->type);
    arrow_buffer *buffers[2] = {NULL, NULL};
    int64_t null_count = 0;
    qv_status st =
        take_validity(array, indices, n, any_null_index, &buffers[0], &null_count, err);
    if (st == QV_OK)
        st = arrow_buffer_new(n * width, &buffers[1], err);
    const uint8_t *values = arrow_array_values(array);
    if (st == QV_OK && n > 0 && width > 0)
        gather_fixed(values, array->offset, width, indices, n, any_null_index, buffers[1]->data);
    return assemble(array->type, n, null_count, 2, buffers, 0, NULL, array->dictionary, st, out,
                    err);
}

static qv_status take_boolean(arrow_array *array, const uint32_t *indices, int64_t n,
                              bool any_null_index, arrow_array **out, qv_error *err)
{
    arrow_buffer *buffers[2] = {NULL, NULL};
    int64_t null_count = 0;
    qv_status st =
        take_validity(array, indices, n, any_null_index, &buffers[0], &null_count, err);
    if (st == QV_OK)
        st = arrow_buffer_new((n + 7) / 8, &buffers[1], err);
    if (st == QV_OK) {
        const uint8_t *src = arrow_array_values(array);
        uint8_t *dst = buffers[1]->data;
        for (int64_t i = 0; i < n; i++) {
            uint32_t j = indices[i];
            bool bit = j != SEL_NULL_INDEX && arrow_bit_get(src, array->offset + j);
            dst[i >> 3] |= (uint8_t)(bit << (i & 7));
        }
    }
    return assemble(array->type, n, null_count, 2, buffers, 0, NULL, NULL, st, out, err);
}

/* ---- variable-width layouts ---- */

#define TAKE_BINARY(O)                                                                     \
    do {                                                                                   \
        const O *offs = (const O *)array->buffers[1]->data + array->offset;                \
        O *out_offs = (O *)buffers[1]->data;                                               \
        int64_t total = 0;                                                                 \
        out_offs[0] = 0;                                                                   \
        for (int64_t i = 0; i < n; i++) {                                                  \
            uint32_t j = indices[i];                                                       \
            if (j != SEL_NULL_INDEX && (validity == NULL || arrow_bit_get(validity, vo + j))) \
                total += (int64_t)(offs[j + 1] - offs[j]);                                 \
            if (total > max_total)                                                         \
                break;                                                                     \
            out_offs[i + 1] = (O)total;                                                    \
        }                                                                                  \
        if (total > max_total) {                                                           \
            st = base_error_set(err, QV_LIMIT,                                             \
                                "take: the result needs more than %lld bytes, the limit "  \
                                "of a %s array",                                           \
                                (long long)max_total, arrow_type_id_name(array->type->id)); \
            break;                                                                         \
        }                                                                                  \
        st = arrow_buffer_new(total, &buffers[2], err);                                    \
        if (st != QV_OK)                                                                   \
            break;                                                                         \
        uint8_t *dst = buffers[2]->data;                                                   \
        const uint8_t *data = array->buffers[2] != NULL ? array->buffers[2]->data : NULL;  \
        for (int64_t i = 0; i < n; i++) {                                                  \
            int64_t len = (int64_t)(out_offs[i + 1] - out_offs[i]);                        \
            if (len > 0)                                                                   \
                memcpy(dst + out_offs[i], data + offs[indices[i]], (size_t)len);           \
        }                                                                                  \
    } while (0)

static qv_status take_binary(arrow_array *array, const uint32_t *indices, int64_t n,
                             bool any_null_index, bool large, arrow_array **out, qv_error *err)
{
    arrow_buffer *buffers[3] = {NULL, NULL, NULL};
    int64_t null_count = 0;
    qv_status st =
        take_validity(array, indices, n, any_null_index, &buffers[0], &null_count, err);
    if (st == QV_OK)
        st = arrow_buffer_new((n + 1) * (large ? 8 : 4), &buffers[1], err);
    if (st == QV_OK) {
        const uint8_t *validity = null_count > 0 ? array->buffers[0] != NULL
                                                       ? array->buffers[0]->data
                                                       : NULL
                                                 : NULL;
        int64_t vo = array->offset;
        int64_t max_total = large ? INT64_MAX / 2 : INT32_MAX;
        if (large)
            TAKE_BINARY(int64_t);
        else
            TAKE_BINARY(int32_t);
    }
    return assemble(array->type, n, null_count, 3, buffers, 0, NULL, NULL, st, out, err);
}

static qv_status take_view(arrow_array *array, const uint32_t *indices, int64_t n,
                           bool any_null_index, arrow_array **out, qv_error *err)
{
    int32_t n_buffers = array->n_buffers;
    arrow_buffer **buffers = base_calloc((size_t)n_buffers, sizeof *buffers);
    if (buffers == NULL)
        return base_error_nomem(err, "take result");
    int64_t null_count = 0;
    qv_status st =
        take_validity(array, indices, n, any_null_index, &buffers[0], &null_count, err);
    if (st == QV_OK)
        st = arrow_buffer_new(n * 16, &buffers[1], err);
    if (st == QV_OK && n > 0)
        gather_fixed(array->buffers[1]->data, array->offset, 16, indices, n, any_null_index,
                     buffers[1]->data);
    for (int32_t b = 2; b < n_buffers; b++)
        buffers[b] = arrow_buffer_retain(array->buffers[b]);
    st = assemble(array->type, n, null_count, n_buffers, buffers, 0, NULL, NULL, st, out, err);
    base_free(buffers);
    return st;
}

/* ---- nested layouts ---- */

static qv_status child_index_limit(const arrow_array *child, qv_error *err)
{
    if (child->length >= (int64_t)SEL_NULL_INDEX)
        return base_error_set(err, QV_LIMIT, "take: a child array of %lld elements is too long",
                              (long long)child->length);
    return QV_OK;
}

#define LIST_CHILD_INDICES(O)                                                              \
    do {                                                                                   \
        const O *offs = (const O *)array->buffers[1]->data + array->offset;                \
        O *out_offs = (O *)buffers[1]->data;                                               \
        int64_t total = 0;                                                                 \
        out_offs[0] = 0;                                                                   \
        for (int64_t i = 0; i < n; i++) {                                                  \
            uint32_t j = indices[i];                                                       \
            if (j != SEL_NULL_INDEX && (validity == NULL || arrow_bit_get(validity, vo + j))) \
                total += (int64_t)(offs[j + 1] - offs[j]);                                 \
            out_offs[i + 1] = (O)total;                                                    \
        }                                                                                  \
        child_idx = base_alloc((size_t)(total > 0 ? total : 1) * sizeof *child_idx);       \
        if (child_idx == NULL) {                                                           \
            st = base_error_nomem(err, "take indices");                                    \
            break;                                                                         \
        }                                                                                  \
        int64_t p = 0;                                                                     \
        for (int64_t i = 0; i < n; i++) {                                                  \
            int64_t len = (int64_t)(out_offs[i + 1] - out_offs[i]);                        \
            int64_t start = len > 0 ? (int64_t)offs[indices[i]] : 0;                       \
            for (int64_t k = 0; k < len; k++)                                              \
                child_idx[p++] = (uint32_t)(start + k);                                    \
        }                                                                                  \
        n_child = total;                                                                   \
    } while (0)

static qv_status take_list(arrow_array *array, const uint32_t *indices, int64_t n,
                           bool any_null_index, bool large, arrow_array **out, qv_error *err)
{
    arrow_buffer *buffers[2] = {NULL, NULL};
    arrow_array *child = NULL;
    uint32_t *child_idx = NULL;
    int64_t null_count = 0, n_child = 0;
    qv_status st = child_index_limit(array->children[0], err);
    if (st == QV_OK)
        st = take_validity(array, indices, n, any_null_index, &buffers[0], &null_count, err);
    if (st == QV_OK)
        st = arrow_buffer_new((n + 1) * (large ? 8 : 4), &buffers[1], err);
    if (st == QV_OK) {
        const uint8_t *validity =
            null_count > 0 && array->buffers[0] != NULL ? array->buffers[0]->data : NULL;
        int64_t vo = array->offset;
        if (large)
            LIST_CHILD_INDICES(int64_t);
        else
            LIST_CHILD_INDICES(int32_t);
    }
    if (st == QV_OK)
        st = sel_take(array->children[0], child_idx, n_child, &child, err);
    base_free(child_idx);
    return assemble(array->type, n, null_count, 2, buffers, child != NULL ? 1 : 0, &child, NULL,
                    st, out, err);
}

static qv_status take_fixed_list(arrow_array *array, const uint32_t *indices, int64_t n,
                                 bool any_null_index, arrow_array **out, qv_error *err)
{
    arrow_buffer *validity = NULL;
    arrow_array *child = NULL;
    int64_t null_count = 0;
    int64_t size = array->type->fixed_size;
    uint32_t *child_idx = NULL;
    qv_status st = child_index_limit(array->children[0], err);
    if (st == QV_OK)
        st = take_validity(array, indices, n, any_null_index, &validity, &null_count, err);
    if (st == QV_OK) {
        child_idx = base_alloc((size_t)(n * size > 0 ? n * size : 1) * sizeof *child_idx);
        if (child_idx == NULL)
            st = base_error_nomem(err, "take indices");
    }
    if (st == QV_OK) {
        for (int64_t i = 0; i < n; i++) {
            uint32_t j = indices[i];
            int64_t start = (array->offset + (int64_t)j) * size;
            for (int64_t k = 0; k < size; k++)
                child_idx[i * size + k] =
                    j == SEL_NULL_INDEX ? SEL_NULL_INDEX : (uint32_t)(start + k);
        }
        st = sel_take(array->children[0], child_idx, n * size, &child, err);
    }
    base_free(child_idx);
    return assemble(array->type, n, null_count, 1, &validity, child != NULL ? 1 : 0, &child, NULL,
                    st, out, err);
}

static qv_status take_struct(arrow_array *array, const uint32_t *indices, int64_t n,
                             bool any_null_index, arrow_array **out, qv_error *err)
{
    int32_t n_children = array->n_children;
    arrow_buffer *validity = NULL;
    int64_t null_count = 0;
    arrow_array **children = base_calloc((size_t)(n_children > 0 ? n_children : 1),
                                         sizeof *children);
    if (children == NULL)
        return base_error_nomem(err, "take result");
    qv_status st = take_validity(array, indices, n, any_null_index, &validity, &null_count, err);
    /* Children are addressed through the parent's offset. */
    const uint32_t *child_idx = indices;
    uint32_t *shifted = NULL;
    if (st == QV_OK && array->offset != 0) {
        if (array->offset + array->length >= (int64_t)SEL_NULL_INDEX)
            st = base_error_set(err, QV_LIMIT, "take: a struct array is too long");
        else if ((shifted = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *shifted)) == NULL)
            st = base_error_nomem(err, "take indices");
        for (int64_t i = 0; st == QV_OK && i < n; i++)
            shifted[i] = indices[i] == SEL_NULL_INDEX
                             ? SEL_NULL_INDEX
                             : (uint32_t)(indices[i] + array->offset);
        child_idx = shifted;
    }
    for (int32_t c = 0; c < n_children && st == QV_OK; c++)
        st = sel_take(array->children[c], child_idx, n, &children[c], err);
    base_free(shifted);
    int32_t made = 0;
    while (made < n_children && children[made] != NULL)
        made++;
    st = assemble(array->type, n, null_count, 1, &validity, st == QV_OK ? n_children : made,
                  children, NULL, st, out, err);
    base_free(children);
    return st;
}

qv_status sel_make_run_ends(arrow_type *type, const int64_t *ends, int64_t n_runs,
                            arrow_array **out, qv_error *err)
{
    *out = NULL;
    int64_t max = type->id == QV_TYPE_INT16 ? INT16_MAX
                  : type->id == QV_TYPE_INT32 ? INT32_MAX
                                              : INT64_MAX;
    if (n_runs > 0 && ends[n_runs - 1] > max)
        return base_error_set(err, QV_LIMIT, "run end %lld does not fit the run-end type %s",
                              (long long)ends[n_runs - 1], arrow_type_id_name(type->id));
    int32_t width = arrow_type_bit_width(type) / 8;
    arrow_buffer *buffers[2] = {NULL, NULL};
    QV_TRY(arrow_buffer_new(n_runs * width, &buffers[1], err));
    uint8_t *data = buffers[1]->data;
    for (int64_t r = 0; r < n_runs; r++) {
        if (width == 2)
            ((int16_t *)data)[r] = (int16_t)ends[r];
        else if (width == 4)
            ((int32_t *)data)[r] = (int32_t)ends[r];
        else
            ((int64_t *)data)[r] = ends[r];
    }
    return assemble(type, n_runs, 0, 2, buffers, 0, NULL, NULL, QV_OK, out, err);
}

static qv_status take_run_end(arrow_array *array, const uint32_t *indices, int64_t n,
                              arrow_array **out, qv_error *err)
{
    arrow_array *children[2] = {NULL, NULL};
    uint32_t *value_idx = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *value_idx);
    int64_t *ends = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *ends);
    qv_status st = QV_OK;
    if (value_idx == NULL || ends == NULL)
        st = base_error_nomem(err, "take indices");
    else
        st = child_index_limit(array->children[1], err);
    int64_t n_runs = 0;
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        uint32_t physical = indices[i] == SEL_NULL_INDEX
                                ? SEL_NULL_INDEX
                                : (uint32_t)sel_ree_physical(array, indices[i]);
        if (n_runs > 0 && value_idx[n_runs - 1] == physical) {
            ends[n_runs - 1] = i + 1;
        } else {
            value_idx[n_runs] = physical;
            ends[n_runs++] = i + 1;
        }
    }
    if (st == QV_OK)
        st = sel_make_run_ends(array->children[0]->type, ends, n_runs, &children[0], err);
    if (st == QV_OK)
        st = sel_take(array->children[1], value_idx, n_runs, &children[1], err);
    base_free(value_idx);
    base_free(ends);
    int32_t made = (children[0] != NULL) + (children[1] != NULL);
    return assemble(array->type, n, -1, 0, NULL, st == QV_OK ? 2 : made, children, NULL, st, out,
                    err);
}

qv_status sel_take(arrow_array *array, const uint32_t *indices, int64_t n, arrow_array **out,
                   qv_error *err)
{
    *out = NULL;
    bool any_null_index = false;
    for (int64_t i = 0; i < n; i++)
        any_null_index |= indices[i] == SEL_NULL_INDEX;
    switch (array->type->id) {
    case QV_TYPE_NULL:
        return arrow_array_new_null(array->type, n, out, err);
    case QV_TYPE_BOOLEAN:
        return take_boolean(array, indices, n, any_null_index, out, err);
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
        return take_binary(array, indices, n, any_null_index, false, out, err);
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
        return take_binary(array, indices, n, any_null_index, true, out, err);
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        return take_view(array, indices, n, any_null_index, out, err);
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
        return take_list(array, indices, n, any_null_index, false, out, err);
    case QV_TYPE_LARGE_LIST:
        return take_list(array, indices, n, any_null_index, true, out, err);
    case QV_TYPE_FIXED_SIZE_LIST:
        return take_fixed_list(array, indices, n, any_null_index, out, err);
    case QV_TYPE_STRUCT:
        return take_struct(array, indices, n, any_null_index, out, err);
    case QV_TYPE_RUN_END_ENCODED:
        return take_run_end(array, indices, n, out, err);
    default: /* fixed width, dictionary indices */
        return take_fixed(array, indices, n, any_null_index, out, err);
    }
}

qv_status func_take(arrow_array *array, const uint32_t *indices, int64_t n, arrow_array **out,
                    qv_error *err)
{
    *out = NULL;
    if (n < 0 || (n > 0 && indices == NULL))
        return base_error_set(err, QV_MISUSE, "take needs indices");
    for (int64_t i = 0; i < n; i++) {
        if (indices[i] != SEL_NULL_INDEX && (int64_t)indices[i] >= array->length)
            return base_error_set(err, QV_INVALID,
                                  "take index %u is out of range for an array of length %lld",
                                  indices[i], (long long)array->length);
    }
    return sel_take(array, indices, n, out, err);
}

qv_status func_take_batch(arrow_batch *batch, const uint32_t *indices, int64_t n,
                          arrow_batch **out, qv_error *err)
{
    *out = NULL;
    int32_t n_cols = batch->schema->n_fields;
    for (int64_t i = 0; i < n; i++) {
        if (indices[i] != SEL_NULL_INDEX && (int64_t)indices[i] >= batch->n_rows)
            return base_error_set(err, QV_INVALID,
                                  "take index %u is out of range for a batch of %lld rows",
                                  indices[i], (long long)batch->n_rows);
    }
    arrow_array **columns = base_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *columns);
    if (columns == NULL)
        return base_error_nomem(err, "take result");
    qv_status st = QV_OK;
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++)
        st = sel_take(batch->columns[c], indices, n, &columns[c], err);
    if (st == QV_OK)
        st = arrow_batch_new(batch->schema, n, columns, out, err);
    for (int32_t c = 0; c < n_cols; c++)
        arrow_array_release(columns[c]);
    base_free(columns);
    return st;
}
