/*
 * validate.c — full structural validation of arrays (layer: arrow).
 *
 * Everything a reader of an array trusts without checking: buffer counts and
 * sizes, offsets, views, UTF-8, dictionary indices, run ends, children's
 * lengths and types, null counts. Imports run it on foreign data, so every
 * check is written against hostile input: sizes are computed without
 * overflow, nothing is read before the buffer holding it has been checked,
 * and nesting is bounded by CDATA_MAX_DEPTH.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arrow/cdata_int.h"

int64_t cdata_fixed_bit_width(const arrow_type *type)
{
    switch (type->id) {
    case QV_TYPE_FIXED_SIZE_BINARY:
        return (int64_t)type->fixed_size * 8;
    case QV_TYPE_DICTIONARY:
        return arrow_type_bit_width(type->index_type);
    default:
        return arrow_type_bit_width(type);
    }
}

/* Sets err to "invalid array: <message> (column type <type>)". */
qv_status cdata_invalid_array(const arrow_type *type, qv_error *err, const char *fmt, ...)
{
    char message[768];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    return base_error_set(err, QV_INVALID, "invalid array: %s (column type %s)", message,
                          arrow_type_id_name(type->id));
}

/* Appends where a nested failure happened, as the error unwinds. */
static qv_status add_context(qv_status status, qv_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static qv_status add_context(qv_status status, qv_error *err, const char *fmt, ...)
{
    if (err != NULL && status == QV_INVALID) {
        size_t len = strlen(err->message);
        va_list args;
        va_start(args, fmt);
        vsnprintf(err->message + len, sizeof err->message - len, fmt, args);
        va_end(args);
    }
    return status;
}

static int64_t buffer_size(const arrow_array *array, int32_t i)
{
    return array->buffers[i] != NULL ? array->buffers[i]->size : 0;
}

static const uint8_t *buffer_data(const arrow_array *array, int32_t i)
{
    return array->buffers[i] != NULL ? array->buffers[i]->data : NULL;
}

/* Bytes holding n_values values of bit_width bits; false on overflow. */
static bool bytes_for(int64_t n_values, int64_t bit_width, int64_t *out)
{
    if (bit_width > 0 && n_values > (INT64_MAX - 7) / bit_width)
        return false;
    *out = (n_values * bit_width + 7) / 8;
    return true;
}

/* Checks that buffer i holds at least n_values values of bit_width bits. */
static qv_status check_buffer(const arrow_array *array, int32_t i, const char *what,
                              int64_t n_values, int64_t bit_width, qv_error *err)
{
    int64_t needed;
    if (!bytes_for(n_values, bit_width, &needed))
        return cdata_invalid_array(array->type, err,
                                   "the %s buffer would need more than 2^63 bytes", what);
    if (needed > 0 && buffer_data(array, i) == NULL)
        return cdata_invalid_array(array->type, err, "the %s buffer is missing (%lld bytes needed)",
                                   what, (long long)needed);
    if (buffer_size(array, i) < needed)
        return cdata_invalid_array(array->type, err,
                                   "the %s buffer has %lld bytes where %lld are needed", what,
                                   (long long)buffer_size(array, i), (long long)needed);
    return QV_OK;
}

static bool slot_valid(const arrow_array *array, int64_t i)
{
    const uint8_t *validity = array->n_buffers > 0 ? buffer_data(array, 0) : NULL;
    return validity == NULL || arrow_bit_get(validity, array->offset + i);
}

/* ---- UTF-8 ---- */

static bool all_ascii(const uint8_t *s, int64_t n)
{
    int64_t i = 0;
    uint64_t high = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, s + i, 8);
        high |= word;
    }
    for (; i < n; i++)
        high |= s[i];
    return (high & UINT64_C(0x8080808080808080)) == 0;
}

/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or code
 * points past U+10FFFF). ASCII runs go eight bytes at a time. */
static bool utf8_valid(const uint8_t *s, int64_t n)
{
    int64_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t word;
            memcpy(&word, s + i, 8);
            if ((word & UINT64_C(0x8080808080808080)) == 0) {
                i += 8;
                continue;
            }
        }
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        int64_t n_cont;
        uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the first continuation byte */
        if (c >= 0xC2 && c <= 0xDF) {
            n_cont = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n_cont = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n_cont = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* past U+10FFFF */
        } else {
            return false;
        }
        if (n - i - 1 < n_cont || s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (int64_t k = 2; k <= n_cont; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        }
        i += 1 + n_cont;
    }
    return true;
}

/* ---- per-layout checks ---- */

static int64_t read_offset(const uint8_t *data, int width, int64_t i)
{
    if (width == 4) {
        int32_t value;
        memcpy(&value, data + i * 4, 4);
        return value;
    }
    int64_t value;
    memcpy(&value, data + i * 8, 8);
    return value;
}

/* Offsets of a variable-size layout: monotonic, first >= 0, last <= limit
 * (the data buffer's size or the child's length). Sets *first / *last. */
static qv_status check_offsets(const arrow_array *array, int width, int64_t limit,
                               const char *limit_what, int64_t *first, int64_t *last, qv_error *err)
{
    *first = *last = 0;
    int64_t end = array->offset + array->length;
    /* An empty array may come without offsets: nothing is read from them. */
    if (array->length == 0 && buffer_size(array, 1) / width <= end)
        return QV_OK;
    if (end == INT64_MAX)
        return cdata_invalid_array(array->type, err,
                                   "offset + length overflows the offsets buffer");
    QV_TRY(check_buffer(array, 1, "offsets", end + 1, width * 8, err));
    const uint8_t *offsets = buffer_data(array, 1);
    int64_t previous = read_offset(offsets, width, array->offset);
    if (previous < 0)
        return cdata_invalid_array(array->type, err, "the first offset is negative (%lld)",
                                   (long long)previous);
    *first = previous;
    for (int64_t i = array->offset + 1; i <= end; i++) {
        int64_t current = read_offset(offsets, width, i);
        if (current < previous)
            return cdata_invalid_array(array->type, err, "offsets are not monotonic at index %lld",
                                       (long long)(i - array->offset));
        previous = current;
    }
    if (previous > limit)
        return cdata_invalid_array(array->type, err,
                                   "the last offset (%lld) is past the end of the %s (%lld)",
                                   (long long)previous, limit_what, (long long)limit);
    *last = previous;
    return QV_OK;
}

static qv_status check_binary(const arrow_array *array, int width, bool utf8, qv_error *err)
{
    int64_t first, last;
    QV_TRY(check_offsets(array, width, buffer_size(array, 2), "data buffer", &first, &last, err));
    if (last > 0 && buffer_data(array, 2) == NULL)
        return cdata_invalid_array(array->type, err, "the data buffer is missing");
    if (!utf8 || last == first || all_ascii(buffer_data(array, 2) + first, last - first))
        return QV_OK;
    const uint8_t *offsets = buffer_data(array, 1), *data = buffer_data(array, 2);
    for (int64_t i = 0; i < array->length; i++) {
        if (!slot_valid(array, i))
            continue;
        int64_t start = read_offset(offsets, width, array->offset + i);
        int64_t stop = read_offset(offsets, width, array->offset + i + 1);
        if (!utf8_valid(data + start, stop - start))
            return cdata_invalid_array(array->type, err, "invalid UTF-8 in element %lld",
                                       (long long)i);
    }
    return QV_OK;
}

static qv_status check_views(const arrow_array *array, bool utf8, qv_error *err)
{
    int64_t end = array->offset + array->length;
    QV_TRY(check_buffer(array, 1, "views", end, 128, err));
    int32_t n_data = array->n_buffers - 2;
    const uint8_t *views = buffer_data(array, 1);
    for (int64_t i = 0; i < array->length; i++) {
        const uint8_t *view = views + (array->offset + i) * 16;
        int32_t len;
        memcpy(&len, view, 4);
        if (len < 0)
            return cdata_invalid_array(array->type, err, "view %lld has a negative length (%d)",
                                       (long long)i, len);
        const uint8_t *bytes = view + 4;
        if (len > 12) {
            int32_t buffer_index, data_offset;
            memcpy(&buffer_index, view + 8, 4);
            memcpy(&data_offset, view + 12, 4);
            if (buffer_index < 0 || buffer_index >= n_data)
                return cdata_invalid_array(array->type, err,
                                           "view %lld refers to data buffer %d of %d", (long long)i,
                                           buffer_index, n_data);
            int64_t size = buffer_size(array, 2 + buffer_index);
            if (data_offset < 0 || (int64_t)data_offset + len > size)
                return cdata_invalid_array(
                    array->type, err,
                    "view %lld (offset %d, length %d) is outside data buffer %d "
                    "of %lld bytes",
                    (long long)i, data_offset, len, buffer_index, (long long)size);
            bytes = buffer_data(array, 2 + buffer_index) + data_offset;
            if (memcmp(view + 4, bytes, 4) != 0)
                return cdata_invalid_array(
                    array->type, err, "view %lld's prefix does not match its data", (long long)i);
        }
        if (utf8 && slot_valid(array, i) && !utf8_valid(bytes, len))
            return cdata_invalid_array(array->type, err, "invalid UTF-8 in element %lld",
                                       (long long)i);
    }
    return QV_OK;
}

static int64_t read_integer(const uint8_t *data, arrow_type_id id, int64_t i, bool *too_big)
{
    switch (id) {
    case QV_TYPE_INT8:
        return ((const int8_t *)data)[i];
    case QV_TYPE_UINT8:
        return data[i];
    case QV_TYPE_INT16: {
        int16_t v;
        memcpy(&v, data + i * 2, 2);
        return v;
    }
    case QV_TYPE_UINT16: {
        uint16_t v;
        memcpy(&v, data + i * 2, 2);
        return v;
    }
    case QV_TYPE_INT32: {
        int32_t v;
        memcpy(&v, data + i * 4, 4);
        return v;
    }
    case QV_TYPE_UINT32: {
        uint32_t v;
        memcpy(&v, data + i * 4, 4);
        return v;
    }
    case QV_TYPE_UINT64: {
        uint64_t v;
        memcpy(&v, data + i * 8, 8);
        if (v > INT64_MAX)
            *too_big = true;
        return (int64_t)(v & INT64_MAX);
    }
    default: {
        int64_t v;
        memcpy(&v, data + i * 8, 8);
        return v;
    }
    }
}

static qv_status check_dictionary_indices(const arrow_array *array, qv_error *err)
{
    const uint8_t *indices = buffer_data(array, 1);
    int64_t n_values = array->dictionary->length;
    arrow_type_id id = array->type->index_type->id;
    for (int64_t i = 0; i < array->length; i++) {
        if (!slot_valid(array, i))
            continue;
        bool too_big = false;
        int64_t index = read_integer(indices, id, array->offset + i, &too_big);
        if (too_big || index < 0 || index >= n_values)
            return cdata_invalid_array(array->type, err,
                                       "dictionary index %s%lld of element %lld is outside the "
                                       "dictionary of %lld values",
                                       too_big ? ">" : "", (long long)index, (long long)i,
                                       (long long)n_values);
    }
    return QV_OK;
}

static qv_status check_map_entries(const arrow_array *array, int64_t first, int64_t last,
                                   qv_error *err)
{
    const arrow_array *entries = array->children[0];
    if (entries->type->id != QV_TYPE_STRUCT || entries->n_children != 2)
        return cdata_invalid_array(array->type, err,
                                   "map entries must be a struct of key and value");
    const arrow_array *keys = entries->children[0];
    for (int64_t k = first; k < last; k++) {
        if (!slot_valid(entries, k))
            return cdata_invalid_array(array->type, err, "map entry %lld is null", (long long)k);
        if (keys->type->id == QV_TYPE_NULL || !arrow_array_is_valid(keys, entries->offset + k))
            return cdata_invalid_array(array->type, err, "map key %lld is null", (long long)k);
    }
    return QV_OK;
}

static qv_status check_run_ends(const arrow_array *array, qv_error *err)
{
    const arrow_array *ends = array->children[0], *values = array->children[1];
    arrow_type_id id = ends->type->id;
    if (id != QV_TYPE_INT16 && id != QV_TYPE_INT32 && id != QV_TYPE_INT64)
        return cdata_invalid_array(array->type, err,
                                   "run ends must be Int16, Int32 or Int64, not %s",
                                   arrow_type_id_name(id));
    if (values->length < ends->length)
        return cdata_invalid_array(array->type, err, "%lld run ends but only %lld values",
                                   (long long)ends->length, (long long)values->length);
    const uint8_t *data = buffer_data(ends, 1);
    int64_t previous = 0;
    for (int64_t r = 0; r < ends->length; r++) {
        if (!slot_valid(ends, r))
            return cdata_invalid_array(array->type, err, "run end %lld is null", (long long)r);
        bool too_big = false;
        int64_t run_end = read_integer(data, id, ends->offset + r, &too_big);
        if (run_end <= previous)
            return cdata_invalid_array(
                array->type, err,
                r == 0 ? "run ends must be positive (run end %lld is %lld)"
                       : "run ends are not strictly increasing at index %lld (%lld)",
                (long long)r, (long long)run_end);
        previous = run_end;
    }
    int64_t end = array->offset + array->length;
    if (end > 0 && previous < end)
        return cdata_invalid_array(
            array->type, err,
            "the last run end (%lld) is before the end of the array (offset + "
            "length = %lld)",
            (long long)previous, (long long)end);
    return QV_OK;
}

/* ---- the walk ---- */

static qv_status validate_node(const arrow_array *array, int depth, qv_error *err);

/* Counts of buffers, children and dictionary, and the children's types. */
static qv_status check_shape(const arrow_array *array, qv_error *err)
{
    const arrow_type *type = array->type;
    int32_t want = arrow_layout_buffers(type);
    bool views = type->id == QV_TYPE_UTF8_VIEW || type->id == QV_TYPE_BINARY_VIEW;
    if (views ? array->n_buffers < want : array->n_buffers != want)
        return cdata_invalid_array(array->type, err, "%d buffers where %s%d are expected",
                                   array->n_buffers, views ? "at least " : "", want);
    if (array->n_children != arrow_layout_children(type))
        return cdata_invalid_array(array->type, err, "%d children where %d are expected",
                                   array->n_children, arrow_layout_children(type));
    if ((type->id == QV_TYPE_DICTIONARY) != (array->dictionary != NULL))
        return cdata_invalid_array(array->type, err,
                                   type->id == QV_TYPE_DICTIONARY ? "the dictionary is missing"
                                                                  : "unexpected dictionary");
    for (int32_t i = 0; i < array->n_children; i++) {
        const arrow_array *child = array->children[i];
        if (child == NULL)
            return cdata_invalid_array(array->type, err, "child %d is missing", i);
        if (!arrow_type_equal(child->type, type->children[i]->type))
            return cdata_invalid_array(array->type, err,
                                       "child %d has type %s where the type says %s", i,
                                       arrow_type_id_name(child->type->id),
                                       arrow_type_id_name(type->children[i]->type->id));
    }
    if (array->dictionary != NULL && !arrow_type_equal(array->dictionary->type, type->value_type))
        return cdata_invalid_array(array->type, err,
                                   "the dictionary has type %s where the type says %s",
                                   arrow_type_id_name(array->dictionary->type->id),
                                   arrow_type_id_name(type->value_type->id));
    return QV_OK;
}

static qv_status check_validity(const arrow_array *array, qv_error *err)
{
    arrow_type_id id = array->type->id;
    if (id == QV_TYPE_NULL || id == QV_TYPE_RUN_END_ENCODED)
        return QV_OK;
    int64_t end = array->offset + array->length;
    if (buffer_data(array, 0) == NULL) {
        if (array->null_count > 0)
            return cdata_invalid_array(array->type, err,
                                       "null_count is %lld but there is no validity bitmap",
                                       (long long)array->null_count);
        return QV_OK;
    }
    QV_TRY(check_buffer(array, 0, "validity", end, 1, err));
    if (array->null_count >= 0) {
        int64_t nulls = array->length -
                        arrow_bitmap_count_set(buffer_data(array, 0), array->offset, array->length);
        if (nulls != array->null_count)
            return cdata_invalid_array(array->type, err,
                                       "null_count is %lld but the validity bitmap has %lld nulls",
                                       (long long)array->null_count, (long long)nulls);
    }
    return QV_OK;
}

/* Checks of the type's own buffers and of the parent/child relations; the
 * children have been validated already. */
static qv_status check_content(const arrow_array *array, qv_error *err)
{
    const arrow_type *type = array->type;
    int64_t end = array->offset + array->length;
    int64_t first, last;
    switch (type->id) {
    case QV_TYPE_NULL:
        return QV_OK;
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
        return check_binary(array, 4, type->id == QV_TYPE_UTF8, err);
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
        return check_binary(array, 8, type->id == QV_TYPE_LARGE_UTF8, err);
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        return check_views(array, type->id == QV_TYPE_UTF8_VIEW, err);
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
        QV_TRY(
            check_offsets(array, 4, array->children[0]->length, "child array", &first, &last, err));
        return type->id == QV_TYPE_MAP ? check_map_entries(array, first, last, err) : QV_OK;
    case QV_TYPE_LARGE_LIST:
        return check_offsets(array, 8, array->children[0]->length, "child array", &first, &last,
                             err);
    case QV_TYPE_FIXED_SIZE_LIST: {
        int64_t size = type->fixed_size;
        if (size > 0 && end > INT64_MAX / size)
            return cdata_invalid_array(array->type, err,
                                       "offset + length overflows the child's size");
        if (array->children[0]->length < end * size)
            return cdata_invalid_array(
                array->type, err, "the child has %lld values where %lld are needed",
                (long long)array->children[0]->length, (long long)(end * size));
        return QV_OK;
    }
    case QV_TYPE_STRUCT:
        for (int32_t i = 0; i < array->n_children; i++) {
            if (array->children[i]->length < end)
                return cdata_invalid_array(
                    array->type, err, "child %d (\"%s\") has %lld values where %lld are needed", i,
                    type->children[i]->name, (long long)array->children[i]->length, (long long)end);
        }
        return QV_OK;
    case QV_TYPE_RUN_END_ENCODED:
        return check_run_ends(array, err);
    case QV_TYPE_DICTIONARY:
        QV_TRY(check_buffer(array, 1, "indices", end, cdata_fixed_bit_width(type), err));
        return check_dictionary_indices(array, err);
    default:
        return check_buffer(array, 1, "values", end, cdata_fixed_bit_width(type), err);
    }
}

static qv_status validate_node(const arrow_array *array, int depth, qv_error *err)
{
    if (depth > CDATA_MAX_DEPTH)
        return cdata_invalid_array(array->type, err, "nested deeper than %d levels",
                                   CDATA_MAX_DEPTH);
    if (array->length < 0 || array->offset < 0)
        return cdata_invalid_array(array->type, err, "negative length (%lld) or offset (%lld)",
                                   (long long)array->length, (long long)array->offset);
    if (array->offset > INT64_MAX - array->length)
        return cdata_invalid_array(array->type, err, "offset + length overflows");
    if (array->null_count < -1 || array->null_count > array->length)
        return cdata_invalid_array(array->type, err, "null_count %lld is outside [0, length %lld]",
                                   (long long)array->null_count, (long long)array->length);
    QV_TRY(check_shape(array, err));
    for (int32_t i = 0; i < array->n_children; i++) {
        qv_status status = validate_node(array->children[i], depth + 1, err);
        if (status != QV_OK)
            return add_context(status, err, " in child %d of %s", i,
                               arrow_type_id_name(array->type->id));
    }
    if (array->dictionary != NULL) {
        qv_status status = validate_node(array->dictionary, depth + 1, err);
        if (status != QV_OK)
            return add_context(status, err, " in the dictionary");
    }
    QV_TRY(check_validity(array, err));
    return check_content(array, err);
}

qv_status arrow_array_validate(const arrow_array *array, qv_error *err)
{
    if (array == NULL || array->type == NULL)
        return base_error_set(err, QV_INVALID, "invalid array: NULL array or type");
    return validate_node(array, 0, err);
}
