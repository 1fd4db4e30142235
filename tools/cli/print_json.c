/*
 * print_json.c — one row as a JSON object, as arrow-rs's JSON writer
 * encodes it for DataFusion CLI's json and ndjson formats (explicit nulls
 * off: NULL columns and struct members are left out; list items and map
 * values are written as null). Scalars are formatted by
 * arrow_format_value and then either written bare (booleans, integers,
 * floats, decimals) or as JSON strings (text, binary as hex, temporal
 * values); lists, structs and maps become arrays and objects. Dictionary and
 * run-end encoded values are decoded element by element through a builder.
 */
#include <string.h>

#include "format/format.h"
#include "print_json.h"

static qv_status json_value(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err);

/* The element as DataFusion displays it, bare or as a JSON string. */
static qv_status append_formatted(const arrow_array *array, int64_t i, bool as_string,
                                  base_strbuf *sb, qv_error *err)
{
    base_strbuf text;
    base_strbuf_init(&text);
    qv_status status = arrow_format_value(array, i, &text, err);
    if (status == QV_OK) {
        const char *value = text.len > 0 ? text.data : "";
        if (as_string)
            fmt_json_string(value, text.len, sb);
        else if (strcmp(value, "NaN") == 0 || strcmp(value, "inf") == 0 ||
                 strcmp(value, "-inf") == 0)
            base_strbuf_append_str(sb, "null"); /* JSON has no NaN or infinity */
        else
            base_strbuf_append(sb, value, text.len);
    }
    base_strbuf_free(&text);
    return status;
}

/* Element i of a dictionary or run-end encoded array as a one-element array
 * of its logical type (new reference in *out). */
static qv_status decode_element(const arrow_array *array, int64_t i, arrow_array **out,
                                qv_error *err)
{
    arrow_type *logical = array->type->id == QV_TYPE_DICTIONARY ? array->type->value_type
                                                                : array->type->children[1]->type;
    arrow_builder *builder = NULL;
    QV_TRY(arrow_builder_new(logical, &builder, err));
    qv_status status = arrow_builder_append_from(builder, array, i, err);
    if (status == QV_OK)
        status = arrow_builder_finish(builder, out, err);
    arrow_builder_free(builder);
    return status;
}

static bool is_encoded(const arrow_array *array)
{
    return array->type->id == QV_TYPE_DICTIONARY || array->type->id == QV_TYPE_RUN_END_ENCODED;
}

static qv_status json_list(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    int64_t start, end;
    arrow_list_range(array, i, &start, &end);
    base_strbuf_append_char(sb, '[');
    for (int64_t k = start; k < end; k++) {
        if (k > start)
            base_strbuf_append_char(sb, ',');
        QV_TRY(json_value(array->children[0], k, sb, err));
    }
    base_strbuf_append_char(sb, ']');
    return QV_OK;
}

/* Appends `"name":value` unless the value is NULL; *first tracks the comma. */
static qv_status json_member(const char *name, const arrow_array *array, int64_t i, bool *first,
                             base_strbuf *sb, qv_error *err)
{
    if (is_encoded(array)) {
        arrow_array *decoded = NULL;
        QV_TRY(decode_element(array, i, &decoded, err));
        qv_status status = json_member(name, decoded, 0, first, sb, err);
        arrow_array_release(decoded);
        return status;
    }
    if (!arrow_array_is_valid(array, i) || array->type->id == QV_TYPE_NULL)
        return QV_OK;
    if (!*first)
        base_strbuf_append_char(sb, ',');
    *first = false;
    fmt_json_string(name, strlen(name), sb);
    base_strbuf_append_char(sb, ':');
    return json_value(array, i, sb, err);
}

static qv_status json_struct(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    bool first = true;
    base_strbuf_append_char(sb, '{');
    for (int32_t k = 0; k < array->n_children; k++)
        QV_TRY(json_member(array->type->children[k]->name, array->children[k], array->offset + i,
                           &first, sb, err));
    base_strbuf_append_char(sb, '}');
    return QV_OK;
}

/* A map as an object whose member names are the keys as DataFusion displays
 * them; unlike struct members, NULL values are written. */
static qv_status json_map(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    int64_t start, end;
    arrow_list_range(array, i, &start, &end);
    const arrow_array *entries = array->children[0];
    base_strbuf key;
    base_strbuf_init(&key);
    qv_status status = QV_OK;
    base_strbuf_append_char(sb, '{');
    for (int64_t k = start; k < end && status == QV_OK; k++) {
        if (k > start)
            base_strbuf_append_char(sb, ',');
        base_strbuf_clear(&key);
        status = arrow_format_value(entries->children[0], entries->offset + k, &key, err);
        fmt_json_string(key.len > 0 ? key.data : "", key.len, sb);
        base_strbuf_append_char(sb, ':');
        if (status == QV_OK)
            status = json_value(entries->children[1], entries->offset + k, sb, err);
    }
    base_strbuf_append_char(sb, '}');
    base_strbuf_free(&key);
    return status;
}

static qv_status json_value(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    if (is_encoded(array)) {
        arrow_array *decoded = NULL;
        QV_TRY(decode_element(array, i, &decoded, err));
        qv_status status = json_value(decoded, 0, sb, err);
        arrow_array_release(decoded);
        return status;
    }
    arrow_type_id id = array->type->id;
    if (id == QV_TYPE_NULL || !arrow_array_is_valid(array, i)) {
        base_strbuf_append_str(sb, "null");
        return QV_OK;
    }
    switch (id) {
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST:
        return json_list(array, i, sb, err);
    case QV_TYPE_STRUCT:
        return json_struct(array, i, sb, err);
    case QV_TYPE_MAP:
        return json_map(array, i, sb, err);
    case QV_TYPE_BOOLEAN:
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        return append_formatted(array, i, false, sb, err);
    default:
        return append_formatted(array, i, !arrow_type_is_integer(id), sb, err);
    }
}

qv_status cli_json_row(const arrow_batch *batch, int64_t row, base_strbuf *sb, qv_error *err)
{
    bool first = true;
    base_strbuf_append_char(sb, '{');
    for (int32_t c = 0; c < batch->schema->n_fields; c++)
        QV_TRY(
            json_member(batch->schema->fields[c]->name, batch->columns[c], row, &first, sb, err));
    base_strbuf_append_char(sb, '}');
    if (base_strbuf_failed(sb))
        return base_error_nomem(err, "JSON text");
    return QV_OK;
}
