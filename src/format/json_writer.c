/*
 * json_writer.c — batches as newline-delimited JSON (layer: format), as
 * arrow-rs's LineDelimitedWriter writes them for DataFusion's COPY and
 * INSERT: one object per row, keys in schema order, NULL fields left out
 * (explicit_nulls off, also inside structs; list elements keep `null`),
 * numbers and decimals bare, non-finite floats as null, strings escaped as
 * serde_json does, binary as hex strings, dates / times / timestamps /
 * durations / intervals as their display strings, lists as arrays, structs
 * and maps as objects, dictionaries as their values.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format/writer_int.h"

void fmt_json_string(const char *s, size_t len, base_strbuf *out)
{
    base_strbuf_append_char(out, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)s[i];
        const char *esc = NULL;
        char hex[8];
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        default:
            if (c < 0x20) {
                snprintf(hex, sizeof hex, "\\u%04x", c);
                esc = hex;
            }
            break;
        }
        if (esc == NULL)
            continue;
        base_strbuf_append(out, s + run, i - run);
        base_strbuf_append_str(out, esc);
        run = i + 1;
    }
    base_strbuf_append(out, s + run, len - run);
    base_strbuf_append_char(out, '"');
}

static qv_status encode(const arrow_array *a, int64_t i, base_strbuf *scratch, base_strbuf *out,
                        qv_error *err);

/* The display text of element i, bare or as a JSON string. */
static qv_status display(const arrow_array *a, int64_t i, bool quoted, base_strbuf *scratch,
                         base_strbuf *out, qv_error *err)
{
    base_strbuf_clear(scratch);
    QV_TRY(arrow_format_value(a, i, scratch, err));
    const char *text = base_strbuf_cstr(scratch);
    if (quoted)
        fmt_json_string(text, scratch->len, out);
    else
        base_strbuf_append(out, text, scratch->len);
    return QV_OK;
}

static bool float_finite(const arrow_array *a, int64_t i)
{
    const uint8_t *values = arrow_array_values(a);
    int64_t slot = a->offset + i;
    if (a->type->id == QV_TYPE_FLOAT64) {
        double v;
        memcpy(&v, values + 8 * slot, 8);
        return isfinite(v);
    }
    if (a->type->id == QV_TYPE_FLOAT32) {
        float v;
        memcpy(&v, values + 4 * slot, 4);
        return isfinite(v);
    }
    uint16_t h;
    memcpy(&h, values + 2 * slot, 2);
    return (h & 0x7c00) != 0x7c00; /* exponent all ones: inf or NaN */
}

/* Fields of struct element i (children addressed through the offset). */
static qv_status encode_struct(const arrow_array *a, int64_t i, base_strbuf *scratch,
                               base_strbuf *out, qv_error *err)
{
    base_strbuf_append_char(out, '{');
    bool first = true;
    for (int32_t c = 0; c < a->n_children; c++) {
        const arrow_array *child = a->children[c];
        int64_t k = a->offset + i;
        if (!arrow_array_is_valid(child, k) || child->type->id == QV_TYPE_NULL)
            continue;
        if (!first)
            base_strbuf_append_char(out, ',');
        first = false;
        const char *name = a->type->children[c]->name;
        fmt_json_string(name, strlen(name), out);
        base_strbuf_append_char(out, ':');
        QV_TRY(encode(child, k, scratch, out, err));
    }
    base_strbuf_append_char(out, '}');
    return QV_OK;
}

static qv_status encode(const arrow_array *a, int64_t i, base_strbuf *scratch, base_strbuf *out,
                        qv_error *err)
{
    if (!arrow_array_is_valid(a, i)) {
        base_strbuf_append_str(out, "null");
        return QV_OK;
    }
    arrow_type_id id = a->type->id;
    if (writer_is_string(id)) {
        size_t len = 0;
        const uint8_t *s = writer_bytes_at(a, i, &len);
        fmt_json_string((const char *)s, len, out);
        return QV_OK;
    }
    if (arrow_type_is_integer(id)) {
        char digits[24];
        base_strbuf_append(out, digits, writer_integer_at(a, i, digits));
        return QV_OK;
    }
    if (id == QV_TYPE_BOOLEAN || id == QV_TYPE_DECIMAL128 || id == QV_TYPE_DECIMAL256)
        return display(a, i, false, scratch, out, err);
    if (arrow_type_is_floating(id)) {
        if (!float_finite(a, i)) {
            base_strbuf_append_str(out, "null");
            return QV_OK;
        }
        return display(a, i, false, scratch, out, err);
    }
    switch (id) {
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST: {
        int64_t start, end;
        arrow_list_range(a, i, &start, &end);
        base_strbuf_append_char(out, '[');
        for (int64_t k = start; k < end; k++) {
            if (k > start)
                base_strbuf_append_char(out, ',');
            QV_TRY(encode(a->children[0], k, scratch, out, err));
        }
        base_strbuf_append_char(out, ']');
        return QV_OK;
    }
    case QV_TYPE_STRUCT:
        return encode_struct(a, i, scratch, out, err);
    case QV_TYPE_MAP: {
        int64_t start, end;
        arrow_list_range(a, i, &start, &end);
        const arrow_array *entries = a->children[0];
        base_strbuf_append_char(out, '{');
        for (int64_t k = start; k < end; k++) {
            if (k > start)
                base_strbuf_append_char(out, ',');
            int64_t e = entries->offset + k;
            QV_TRY(display(entries->children[0], e, true, scratch, out, err));
            base_strbuf_append_char(out, ':');
            QV_TRY(encode(entries->children[1], e, scratch, out, err));
        }
        base_strbuf_append_char(out, '}');
        return QV_OK;
    }
    case QV_TYPE_DICTIONARY: {
        int64_t key = 0;
        const uint8_t *values = arrow_array_values(a);
        int64_t slot = a->offset + i;
        int32_t width = arrow_type_bit_width(a->type->index_type) / 8;
        if (arrow_type_is_signed_integer(a->type->index_type->id)) {
            int64_t v = 0;
            if (width == 1)
                v = ((const int8_t *)values)[slot];
            else if (width == 2) {
                int16_t x;
                memcpy(&x, values + 2 * slot, 2);
                v = x;
            } else if (width == 4) {
                int32_t x;
                memcpy(&x, values + 4 * slot, 4);
                v = x;
            } else
                memcpy(&v, values + 8 * slot, 8);
            key = v;
        } else {
            uint64_t v = 0;
            memcpy(&v, values + (size_t)width * (size_t)slot, (size_t)width);
            key = (int64_t)v;
        }
        return encode(a->dictionary, key, scratch, out, err);
    }
    case QV_TYPE_RUN_END_ENCODED:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "Arrow error: Json error: Unsupported data type for JSON encoding: "
                              "RunEndEncoded");
    default:
        /* binary (hex), dates, times, timestamps, durations, intervals */
        return display(a, i, true, scratch, out, err);
    }
}

qv_status ndjson_write_batch(arrow_batch *batch, base_strbuf *out, qv_error *err)
{
    base_strbuf scratch;
    base_strbuf_init(&scratch);
    qv_status st = QV_OK;
    arrow_schema *schema = batch->schema;
    for (int64_t r = 0; r < batch->n_rows && st == QV_OK; r++) {
        base_strbuf_append_char(out, '{');
        bool first = true;
        for (int32_t c = 0; c < schema->n_fields && st == QV_OK; c++) {
            const arrow_array *col = batch->columns[c];
            if (!arrow_array_is_valid(col, r) || col->type->id == QV_TYPE_NULL)
                continue;
            if (!first)
                base_strbuf_append_char(out, ',');
            first = false;
            const char *name = schema->fields[c]->name;
            fmt_json_string(name, strlen(name), out);
            base_strbuf_append_char(out, ':');
            st = encode(col, r, &scratch, out, err);
        }
        base_strbuf_append_str(out, "}\n");
    }
    if (st == QV_OK && (base_strbuf_failed(out) || base_strbuf_failed(&scratch)))
        st = base_error_nomem(err, "json writer output");
    base_strbuf_free(&scratch);
    return st;
}
