/*
 * format_value.c — one array element as DataFusion displays it (layer: arrow).
 *
 * The dispatch of arrow-rs's ArrayFormatter (arrow-cast display.rs) with
 * DataFusion's FormatOptions (null as `NULL`, pretty durations): integers in
 * decimal, Float32/64 as the ryu crate prints them (`1.0`, `1e20`), Float16
 * through f32 Display, strings raw, binary as lowercase hex, lists `[a, b]`,
 * structs `{a: 1, b: x}`, maps `{k: v}`, dictionaries and run-end encoded
 * arrays as their logical value. Temporal types are in format_temporal.c,
 * decimals in format_decimal.c, floats in format_float.c.
 */
#include <string.h>

#include "arrow/format_int.h"

static qv_status format_element(const arrow_array *array, int64_t i, base_strbuf *sb,
                                qv_error *err);

/* Reads an integer of the array's (integer) type at buffer slot `slot`. */
static int64_t read_signed(const uint8_t *values, arrow_type_id id, int64_t slot)
{
    switch (id) {
    case QV_TYPE_INT8:
        return ((const int8_t *)values)[slot];
    case QV_TYPE_INT16: {
        int16_t v;
        memcpy(&v, values + 2 * slot, 2);
        return v;
    }
    case QV_TYPE_INT32: {
        int32_t v;
        memcpy(&v, values + 4 * slot, 4);
        return v;
    }
    default: {
        int64_t v;
        memcpy(&v, values + 8 * slot, 8);
        return v;
    }
    }
}

static uint64_t read_unsigned(const uint8_t *values, arrow_type_id id, int64_t slot)
{
    switch (id) {
    case QV_TYPE_UINT8:
        return values[slot];
    case QV_TYPE_UINT16: {
        uint16_t v;
        memcpy(&v, values + 2 * slot, 2);
        return v;
    }
    case QV_TYPE_UINT32: {
        uint32_t v;
        memcpy(&v, values + 4 * slot, 4);
        return v;
    }
    default: {
        uint64_t v;
        memcpy(&v, values + 8 * slot, 8);
        return v;
    }
    }
}

int64_t arrow_read_integer(const uint8_t *values, arrow_type_id id, int64_t slot)
{
    if (arrow_type_is_signed_integer(id))
        return read_signed(values, id, slot);
    return (int64_t)read_unsigned(values, id, slot);
}

/* Offsets [start, end) of a list, map or (large) string/binary slot. */
static void read_offsets(const arrow_array *array, bool large, int64_t slot, int64_t *start,
                         int64_t *end)
{
    const uint8_t *offsets = array->buffers[1]->data;
    if (large) {
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

/* The bytes of element i of a string or binary array of any layout. */
static void read_bytes(const arrow_array *array, int64_t i, const uint8_t **data, int64_t *len)
{
    int64_t slot = array->offset + i;
    switch (array->type->id) {
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW: {
        const uint8_t *view = array->buffers[1]->data + 16 * slot;
        int32_t length, buffer_index, buffer_offset;
        memcpy(&length, view, 4);
        *len = length;
        if (length <= 12) {
            *data = view + 4;
            return;
        }
        memcpy(&buffer_index, view + 8, 4);
        memcpy(&buffer_offset, view + 12, 4);
        *data = array->buffers[2 + buffer_index]->data + buffer_offset;
        return;
    }
    case QV_TYPE_FIXED_SIZE_BINARY:
        *len = array->type->fixed_size;
        *data = array->buffers[1]->data + *len * slot;
        return;
    default: {
        bool large =
            array->type->id == QV_TYPE_LARGE_UTF8 || array->type->id == QV_TYPE_LARGE_BINARY;
        int64_t start, end;
        read_offsets(array, large, slot, &start, &end);
        *len = end - start;
        *data = *len > 0 ? array->buffers[2]->data + start : (const uint8_t *)"";
        return;
    }
    }
}

static void append_hex(base_strbuf *sb, const uint8_t *data, int64_t len)
{
    static const char digits[] = "0123456789abcdef";
    if (!base_strbuf_reserve(sb, (size_t)len * 2))
        return;
    for (int64_t k = 0; k < len; k++) {
        sb->data[sb->len++] = digits[data[k] >> 4];
        sb->data[sb->len++] = digits[data[k] & 15];
    }
    sb->data[sb->len] = '\0';
}

/* "[a, b, c]" for child elements [start, end). */
static qv_status format_items(const arrow_array *child, int64_t start, int64_t end, base_strbuf *sb,
                              qv_error *err)
{
    base_strbuf_append_char(sb, '[');
    for (int64_t k = start; k < end; k++) {
        if (k > start)
            base_strbuf_append_str(sb, ", ");
        QV_TRY(format_element(child, k, sb, err));
    }
    base_strbuf_append_char(sb, ']');
    return QV_OK;
}

static qv_status format_struct(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    base_strbuf_append_char(sb, '{');
    for (int32_t k = 0; k < array->n_children; k++) {
        if (k > 0)
            base_strbuf_append_str(sb, ", ");
        base_strbuf_append_str(sb, array->type->children[k]->name);
        base_strbuf_append_str(sb, ": ");
        QV_TRY(format_element(array->children[k], array->offset + i, sb, err));
    }
    base_strbuf_append_char(sb, '}');
    return QV_OK;
}

static qv_status format_map(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    int64_t start, end;
    read_offsets(array, false, array->offset + i, &start, &end);
    const arrow_array *entries = array->children[0];
    base_strbuf_append_char(sb, '{');
    for (int64_t k = start; k < end; k++) {
        if (k > start)
            base_strbuf_append_str(sb, ", ");
        QV_TRY(format_element(entries->children[0], entries->offset + k, sb, err));
        base_strbuf_append_str(sb, ": ");
        QV_TRY(format_element(entries->children[1], entries->offset + k, sb, err));
    }
    base_strbuf_append_char(sb, '}');
    return QV_OK;
}

/* The physical index in the values child of logical element i of a run-end
 * encoded array: the first run whose end lies beyond the position. */
static int64_t run_physical_index(const arrow_array *array, int64_t i)
{
    const arrow_array *run_ends = array->children[0];
    const uint8_t *ends = arrow_array_values(run_ends);
    arrow_type_id id = run_ends->type->id;
    int64_t position = array->offset + i;
    int64_t lo = 0, hi = run_ends->length - 1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (read_signed(ends, id, run_ends->offset + mid) > position)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static qv_status format_element(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    const arrow_type *type = array->type;
    if (type->id == QV_TYPE_RUN_END_ENCODED) /* validity lives in the values */
        return format_element(array->children[1], run_physical_index(array, i), sb, err);
    if (!arrow_array_is_valid(array, i)) {
        base_strbuf_append_str(sb, "NULL");
        return QV_OK;
    }
    /* STRUCT and FIXED_SIZE_LIST have no values buffer. */
    const uint8_t *values = array->n_buffers >= 2 ? arrow_array_values(array) : NULL;
    int64_t slot = array->offset + i;
    switch (type->id) {
    case QV_TYPE_NULL:
        base_strbuf_append_str(sb, "NULL");
        return QV_OK;
    case QV_TYPE_BOOLEAN:
        base_strbuf_append_str(sb, arrow_bit_get(values, slot) ? "true" : "false");
        return QV_OK;
    case QV_TYPE_INT8:
    case QV_TYPE_INT16:
    case QV_TYPE_INT32:
    case QV_TYPE_INT64:
        base_strbuf_appendf(sb, "%lld", (long long)read_signed(values, type->id, slot));
        return QV_OK;
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64:
        base_strbuf_appendf(sb, "%llu", (unsigned long long)read_unsigned(values, type->id, slot));
        return QV_OK;
    case QV_TYPE_FLOAT16: {
        uint16_t bits;
        memcpy(&bits, values + 2 * slot, 2);
        /* half's Display prints the value converted to f32. */
        arrow_format_float_display(arrow_half_to_float(bits), true, sb);
        return QV_OK;
    }
    case QV_TYPE_FLOAT32: {
        float v;
        memcpy(&v, values + 4 * slot, 4);
        arrow_format_float_ryu(v, true, sb);
        return QV_OK;
    }
    case QV_TYPE_FLOAT64: {
        double v;
        memcpy(&v, values + 8 * slot, 8);
        arrow_format_float_ryu(v, false, sb);
        return QV_OK;
    }
    case QV_TYPE_DECIMAL128:
        arrow_format_decimal(values + 16 * slot, 16, type->precision, type->scale, sb);
        return QV_OK;
    case QV_TYPE_DECIMAL256:
        arrow_format_decimal(values + 32 * slot, 32, type->precision, type->scale, sb);
        return QV_OK;
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW: {
        const uint8_t *data;
        int64_t len;
        read_bytes(array, i, &data, &len);
        base_strbuf_append(sb, (const char *)data, (size_t)len);
        return QV_OK;
    }
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
    case QV_TYPE_FIXED_SIZE_BINARY: {
        const uint8_t *data;
        int64_t len;
        read_bytes(array, i, &data, &len);
        append_hex(sb, data, len);
        return QV_OK;
    }
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION:
    case QV_TYPE_INTERVAL_YEAR_MONTH:
    case QV_TYPE_INTERVAL_DAY_TIME:
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        return arrow_format_temporal(array, i, sb, err);
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST: {
        int64_t start, end;
        read_offsets(array, type->id == QV_TYPE_LARGE_LIST, slot, &start, &end);
        return format_items(array->children[0], start, end, sb, err);
    }
    case QV_TYPE_FIXED_SIZE_LIST: {
        int64_t size = type->fixed_size;
        return format_items(array->children[0], slot * size, slot * size + size, sb, err);
    }
    case QV_TYPE_STRUCT:
        return format_struct(array, i, sb, err);
    case QV_TYPE_MAP:
        return format_map(array, i, sb, err);
    case QV_TYPE_DICTIONARY:
        return format_element(array->dictionary,
                              arrow_read_integer(values, type->index_type->id, slot), sb, err);
    default:
        return base_error_set(err, QV_NOT_IMPLEMENTED, "formatting type id %d is not supported",
                              (int)type->id);
    }
}

qv_status arrow_format_value(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    QV_TRY(format_element(array, i, sb, err));
    if (base_strbuf_failed(sb))
        return base_error_nomem(err, "formatted value");
    return QV_OK;
}
