/*
 * cdata_helpers.c — test-only array construction by hand and element-wise
 * comparison for the C Data Interface and validation tests.
 */
#include <stdio.h>
#include <string.h>

#include "cdata_helpers.h"

char th_compare_message[256];

arrow_type *th_prim(arrow_type_id id)
{
    return arrow_type_primitive(id);
}

arrow_field *th_field(const char *name, arrow_type *type, bool nullable)
{
    arrow_field *field = NULL;
    if (type != NULL)
        arrow_field_new(name, type, nullable, NULL, &field, NULL);
    arrow_type_release(type);
    return field;
}

arrow_type *th_list(arrow_type_id id, arrow_type *item)
{
    arrow_field *field = th_field("item", item, true);
    arrow_type *type = NULL;
    if (field != NULL)
        arrow_type_list(id, field, &type, NULL);
    arrow_field_release(field);
    return type;
}

arrow_type *th_fsl(arrow_type *item, int32_t size)
{
    arrow_field *field = th_field("item", item, true);
    arrow_type *type = NULL;
    if (field != NULL)
        arrow_type_fixed_size_list(field, size, &type, NULL);
    arrow_field_release(field);
    return type;
}

arrow_type *th_struct2(const char *name_a, arrow_type *a, const char *name_b, arrow_type *b)
{
    arrow_field *fields[2] = {th_field(name_a, a, true), th_field(name_b, b, true)};
    arrow_type *type = NULL;
    if (fields[0] != NULL && fields[1] != NULL)
        arrow_type_struct(2, fields, &type, NULL);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return type;
}

arrow_type *th_map(arrow_type *key, arrow_type *value)
{
    arrow_field *fields[2] = {th_field("key", key, false), th_field("value", value, true)};
    arrow_type *entries_type = NULL, *type = NULL;
    if (fields[0] != NULL && fields[1] != NULL)
        arrow_type_struct(2, fields, &entries_type, NULL);
    arrow_field *entries = th_field("entries", entries_type, false);
    if (entries != NULL)
        arrow_type_map(entries, false, &type, NULL);
    arrow_field_release(entries);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return type;
}

arrow_type *th_dict(arrow_type_id index, arrow_type *value)
{
    arrow_type *type = NULL;
    if (value != NULL)
        arrow_type_dictionary(arrow_type_primitive(index), value, false, &type, NULL);
    arrow_type_release(value);
    return type;
}

arrow_type *th_ree(arrow_type_id run_end, arrow_type *value)
{
    arrow_field *ends = th_field("run_ends", arrow_type_primitive(run_end), false);
    arrow_field *values = th_field("values", value, true);
    arrow_type *type = NULL;
    if (ends != NULL && values != NULL)
        arrow_type_run_end_encoded(ends, values, &type, NULL);
    arrow_field_release(ends);
    arrow_field_release(values);
    return type;
}

arrow_buffer *th_buffer(const void *data, int64_t size)
{
    arrow_buffer *buffer = NULL;
    arrow_buffer_copy(data, size, &buffer, NULL);
    return buffer;
}

arrow_buffer *th_bitmap(const char *valid)
{
    if (valid == NULL)
        return NULL;
    int64_t n = (int64_t)strlen(valid);
    arrow_buffer *buffer = NULL;
    if (arrow_buffer_new((n + 7) / 8, &buffer, NULL) != QV_OK)
        return NULL;
    for (int64_t i = 0; i < n; i++)
        arrow_bit_set(buffer->data, i, valid[i] == '1');
    return buffer;
}

arrow_array *th_array(arrow_type *type, int64_t length, const char *valid, int32_t n_buffers,
                      arrow_buffer **buffers, int32_t n_children, arrow_array **children,
                      arrow_array *dictionary)
{
    arrow_array *array = NULL;
    int64_t null_count = 0;
    if (valid != NULL) {
        for (const char *p = valid; *p; p++)
            null_count += *p == '0';
    }
    bool ok = type != NULL;
    if (n_buffers > 0) {
        buffers[0] = th_bitmap(valid);
        ok = ok && (valid == NULL || buffers[0] != NULL);
    }
    for (int32_t i = 1; i < n_buffers; i++)
        ok = ok && buffers[i] != NULL;
    for (int32_t i = 0; i < n_children; i++)
        ok = ok && children[i] != NULL;
    if (ok)
        arrow_array_new(type, length, null_count, 0, n_buffers, buffers, n_children, children,
                        dictionary, &array, NULL);
    for (int32_t i = 0; i < n_buffers; i++)
        arrow_buffer_release(buffers[i]);
    for (int32_t i = 0; i < n_children; i++)
        arrow_array_release(children[i]);
    arrow_array_release(dictionary);
    arrow_type_release(type);
    return array;
}

arrow_array *th_fixed(arrow_type *type, int64_t length, const char *valid, const void *values,
                      int64_t width)
{
    arrow_buffer *buffers[2] = {NULL, th_buffer(values, length * width)};
    return th_array(type, length, valid, 2, buffers, 0, NULL, NULL);
}

static arrow_array *views_array(arrow_type *type, int64_t length, const char *const *strings,
                                char *valid)
{
    /* Long strings alternate between two data buffers. */
    uint8_t views[64 * 16];
    char data[2][1024];
    int32_t used[2] = {0, 0};
    memset(views, 0, sizeof views);
    for (int64_t i = 0; i < length && i < 64; i++) {
        uint8_t *view = views + i * 16;
        if (strings[i] == NULL)
            continue;
        int32_t len = (int32_t)strlen(strings[i]);
        memcpy(view, &len, 4);
        if (len <= 12) {
            memcpy(view + 4, strings[i], (size_t)len);
            continue;
        }
        int32_t k = (int32_t)(i % 2);
        memcpy(view + 4, strings[i], 4);
        memcpy(view + 8, &k, 4);
        memcpy(view + 12, &used[k], 4);
        memcpy(data[k] + used[k], strings[i], (size_t)len);
        used[k] += len;
    }
    arrow_buffer *buffers[4] = {NULL, th_buffer(views, length * 16), th_buffer(data[0], used[0]),
                                th_buffer(data[1], used[1])};
    bool all_valid = strchr(valid, '0') == NULL;
    return th_array(type, length, all_valid ? NULL : valid, 4, buffers, 0, NULL, NULL);
}

arrow_array *th_strings(arrow_type *type, int64_t length, const char *const *strings)
{
    char valid[65];
    for (int64_t i = 0; i < length && i < 64; i++)
        valid[i] = strings[i] != NULL ? '1' : '0';
    valid[length < 64 ? length : 64] = '\0';
    if (type == NULL)
        return NULL;
    if (type->id == QV_TYPE_UTF8_VIEW || type->id == QV_TYPE_BINARY_VIEW)
        return views_array(type, length, strings, valid);
    bool large = type->id == QV_TYPE_LARGE_UTF8 || type->id == QV_TYPE_LARGE_BINARY;
    int64_t offsets[65];
    char data[2048];
    offsets[0] = 0;
    for (int64_t i = 0; i < length && i < 64; i++) {
        int64_t len = strings[i] != NULL ? (int64_t)strlen(strings[i]) : 0;
        memcpy(data + offsets[i], strings[i] != NULL ? strings[i] : "", (size_t)len);
        offsets[i + 1] = offsets[i] + len;
    }
    int32_t narrow[65];
    for (int64_t i = 0; i <= length; i++)
        narrow[i] = (int32_t)offsets[i];
    arrow_buffer *buffers[3] = {
        NULL, large ? th_buffer(offsets, (length + 1) * 8) : th_buffer(narrow, (length + 1) * 4),
        th_buffer(data, offsets[length])};
    bool all_valid = strchr(valid, '0') == NULL;
    return th_array(type, length, all_valid ? NULL : valid, 3, buffers, 0, NULL, NULL);
}

arrow_array *th_list_array(arrow_type *type, int64_t length, const char *valid,
                           const int64_t *offsets, arrow_array *child)
{
    arrow_buffer *buffers[2] = {NULL, NULL};
    if (type != NULL && type->id == QV_TYPE_LARGE_LIST) {
        buffers[1] = th_buffer(offsets, (length + 1) * 8);
    } else {
        int32_t narrow[65];
        for (int64_t i = 0; i <= length && i < 65; i++)
            narrow[i] = (int32_t)offsets[i];
        buffers[1] = th_buffer(narrow, (length + 1) * 4);
    }
    return th_array(type, length, valid, 2, buffers, 1, &child, NULL);
}

/* ---- comparison ---- */

static int64_t read_int(const uint8_t *data, int64_t width, int64_t i)
{
    switch (width) {
    case 1:
        return ((const int8_t *)data)[i];
    case 2: {
        int16_t v;
        memcpy(&v, data + i * 2, 2);
        return v;
    }
    case 4: {
        int32_t v;
        memcpy(&v, data + i * 4, 4);
        return v;
    }
    default: {
        int64_t v;
        memcpy(&v, data + i * 8, 8);
        return v;
    }
    }
}

static bool slot_valid(const arrow_array *a, int64_t i)
{
    if (a->type->id == QV_TYPE_NULL)
        return false;
    return a->n_buffers == 0 || a->buffers[0] == NULL ||
           arrow_bit_get(a->buffers[0]->data, a->offset + i);
}

/* The bytes of element i of a binary-like array. */
static const uint8_t *bytes_of(const arrow_array *a, int64_t i, int64_t *len)
{
    int64_t p = a->offset + i;
    switch (a->type->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY: {
        int64_t w = a->type->id == QV_TYPE_UTF8 || a->type->id == QV_TYPE_BINARY ? 4 : 8;
        int64_t start = read_int(a->buffers[1]->data, w, p);
        *len = read_int(a->buffers[1]->data, w, p + 1) - start;
        return a->buffers[2]->data + start;
    }
    default: {
        const uint8_t *view = a->buffers[1]->data + p * 16;
        int32_t n, k, off;
        memcpy(&n, view, 4);
        *len = n;
        if (n <= 12)
            return view + 4;
        memcpy(&k, view + 8, 4);
        memcpy(&off, view + 12, 4);
        return a->buffers[2 + k]->data + off;
    }
    }
}

static int64_t ree_index(const arrow_array *a, int64_t i)
{
    const arrow_array *ends = a->children[0];
    int64_t w = arrow_type_bit_width(ends->type) / 8;
    for (int64_t r = 0; r < ends->length; r++) {
        if (read_int(ends->buffers[1]->data, w, ends->offset + r) > a->offset + i)
            return r;
    }
    return -1;
}

static bool value_equal(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j)
{
    arrow_type_id id = a->type->id;
    if (id == QV_TYPE_NULL)
        return true;
    if (id == QV_TYPE_RUN_END_ENCODED) {
        int64_t ra = ree_index(a, i), rb = ree_index(b, j);
        return ra >= 0 && rb >= 0 && value_equal(a->children[1], ra, b->children[1], rb);
    }
    bool va = slot_valid(a, i), vb = slot_valid(b, j);
    if (va != vb)
        return false;
    if (!va)
        return true;
    int64_t pa = a->offset + i, pb = b->offset + j;
    switch (id) {
    case QV_TYPE_BOOLEAN:
        return arrow_bit_get(a->buffers[1]->data, pa) == arrow_bit_get(b->buffers[1]->data, pb);
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW: {
        int64_t la, lb;
        const uint8_t *da = bytes_of(a, i, &la), *db = bytes_of(b, j, &lb);
        return la == lb && (la == 0 || memcmp(da, db, (size_t)la) == 0);
    }
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_MAP: {
        int64_t w = id == QV_TYPE_LARGE_LIST ? 8 : 4;
        int64_t sa = read_int(a->buffers[1]->data, w, pa);
        int64_t na = read_int(a->buffers[1]->data, w, pa + 1) - sa;
        int64_t sb = read_int(b->buffers[1]->data, w, pb);
        int64_t nb = read_int(b->buffers[1]->data, w, pb + 1) - sb;
        if (na != nb)
            return false;
        for (int64_t k = 0; k < na; k++) {
            if (!value_equal(a->children[0], sa + k, b->children[0], sb + k))
                return false;
        }
        return true;
    }
    case QV_TYPE_FIXED_SIZE_LIST: {
        int64_t size = a->type->fixed_size;
        for (int64_t k = 0; k < size; k++) {
            if (!value_equal(a->children[0], pa * size + k, b->children[0], pb * size + k))
                return false;
        }
        return true;
    }
    case QV_TYPE_STRUCT:
        for (int32_t c = 0; c < a->n_children; c++) {
            if (!value_equal(a->children[c], pa, b->children[c], pb))
                return false;
        }
        return true;
    case QV_TYPE_DICTIONARY: {
        int64_t w = arrow_type_bit_width(a->type->index_type) / 8;
        return value_equal(a->dictionary, read_int(a->buffers[1]->data, w, pa), b->dictionary,
                           read_int(b->buffers[1]->data, w, pb));
    }
    default: {
        int64_t w = arrow_type_bit_width(a->type) / 8;
        return memcmp(a->buffers[1]->data + pa * w, b->buffers[1]->data + pb * w, (size_t)w) == 0;
    }
    }
}

bool th_arrays_equal(const arrow_array *a, const arrow_array *b)
{
    th_compare_message[0] = '\0';
    if (!arrow_type_equal(a->type, b->type)) {
        snprintf(th_compare_message, sizeof th_compare_message, "types differ");
        return false;
    }
    if (a->length != b->length) {
        snprintf(th_compare_message, sizeof th_compare_message, "lengths %lld and %lld",
                 (long long)a->length, (long long)b->length);
        return false;
    }
    for (int64_t i = 0; i < a->length; i++) {
        if (arrow_array_is_valid(a, i) != arrow_array_is_valid(b, i) || !value_equal(a, i, b, i)) {
            snprintf(th_compare_message, sizeof th_compare_message, "element %lld differs",
                     (long long)i);
            return false;
        }
    }
    return true;
}
