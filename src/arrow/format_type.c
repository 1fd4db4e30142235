/*
 * format_type.c — data type names as DataFusion's arrow_typeof prints them
 * (layer: arrow).
 *
 * This is arrow-rs's `Display for DataType` (arrow-schema
 * datatype_display.rs, arrow 57+): `Timestamp(µs, "UTC")`, `List(Int64)`,
 * `List(non-null Utf8, field: 'x')`, `FixedSizeList(3 x Int64)`,
 * `Struct("a": Int32, "b": non-null Utf8)`, `Map("entries": non-null
 * Struct(...), unsorted)`, `Dictionary(Int32, Utf8)`. Quoted names and time
 * zones use Rust's string Debug escaping; field metadata is shown as
 * `, metadata: {"k": "v"}` in key order.
 */
#include <string.h>

#include "arrow/arrow.h"

static const char *unit_name(arrow_time_unit unit)
{
    switch (unit) {
    case QV_UNIT_SECOND:
        return "s";
    case QV_UNIT_MILLISECOND:
        return "ms";
    case QV_UNIT_MICROSECOND:
        return "\xc2\xb5s"; /* µs, as arrow-rs prints it */
    case QV_UNIT_NANOSECOND:
        return "ns";
    }
    return "?";
}

/* s as Rust's `{:?}` prints a &str: quoted, with \" \\ \n \r \t \0 and
 * \u{..} for other control characters. */
static void append_debug_str(base_strbuf *sb, const char *s)
{
    base_strbuf_append_char(sb, '"');
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        switch (*c) {
        case '"':
            base_strbuf_append_str(sb, "\\\"");
            break;
        case '\\':
            base_strbuf_append_str(sb, "\\\\");
            break;
        case '\n':
            base_strbuf_append_str(sb, "\\n");
            break;
        case '\r':
            base_strbuf_append_str(sb, "\\r");
            break;
        case '\t':
            base_strbuf_append_str(sb, "\\t");
            break;
        default:
            if (*c < 0x20 || *c == 0x7f)
                base_strbuf_appendf(sb, "\\u{%x}", *c);
            else
                base_strbuf_append_char(sb, (char)*c);
        }
    }
    base_strbuf_append_char(sb, '"');
}

/* ", metadata: {"k": "v", ...}" with keys in byte order; nothing when empty. */
static void append_metadata(base_strbuf *sb, const arrow_metadata *md)
{
    if (md->n == 0)
        return;
    base_strbuf_append_str(sb, ", metadata: {");
    const char *previous = NULL;
    for (int32_t written = 0; written < md->n; written++) {
        /* Next key after `previous` in order: metadata maps are tiny. */
        int32_t next = -1;
        for (int32_t k = 0; k < md->n; k++) {
            if (previous != NULL && strcmp(md->keys[k], previous) <= 0)
                continue;
            if (next < 0 || strcmp(md->keys[k], md->keys[next]) < 0)
                next = k;
        }
        if (next < 0)
            break;
        if (written > 0)
            base_strbuf_append_str(sb, ", ");
        append_debug_str(sb, md->keys[next]);
        base_strbuf_append_str(sb, ": ");
        append_debug_str(sb, md->values[next]);
        previous = md->keys[next];
    }
    base_strbuf_append_char(sb, '}');
}

/* `"name": [non-null ]Type[, metadata: {...}]` (arrow-rs format_field). */
static void append_field(base_strbuf *sb, const arrow_field *field)
{
    append_debug_str(sb, field->name);
    base_strbuf_append_str(sb, ": ");
    if (!field->nullable)
        base_strbuf_append_str(sb, "non-null ");
    arrow_type_format(field->type, sb);
    append_metadata(sb, &field->metadata);
}

/* The item of a list type: `[non-null ]Type[, field: 'name'][, metadata]`. */
static void append_list_item(base_strbuf *sb, const arrow_field *item)
{
    if (!item->nullable)
        base_strbuf_append_str(sb, "non-null ");
    arrow_type_format(item->type, sb);
    if (strcmp(item->name, "item") != 0)
        base_strbuf_appendf(sb, ", field: '%s'", item->name);
    append_metadata(sb, &item->metadata);
}

void arrow_type_format(const arrow_type *type, base_strbuf *sb)
{
    if ((int)type->id < 0 || type->id >= QV_TYPE_COUNT_) {
        base_strbuf_append_str(sb, "Unknown");
        return;
    }
    /* A parameterless type prints as its bare name. */
    if (arrow_type_primitive(type->id) != NULL) {
        base_strbuf_append_str(sb, arrow_type_id_name(type->id));
        return;
    }
    switch (type->id) {
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        base_strbuf_appendf(sb, "Decimal%s(%d, %d)", type->id == QV_TYPE_DECIMAL128 ? "128" : "256",
                            (int)type->precision, (int)type->scale);
        break;
    case QV_TYPE_FIXED_SIZE_BINARY:
        base_strbuf_appendf(sb, "FixedSizeBinary(%d)", (int)type->fixed_size);
        break;
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
        base_strbuf_appendf(sb, "Time%s(%s)", type->id == QV_TYPE_TIME32 ? "32" : "64",
                            unit_name(type->unit));
        break;
    case QV_TYPE_DURATION:
        base_strbuf_appendf(sb, "Duration(%s)", unit_name(type->unit));
        break;
    case QV_TYPE_TIMESTAMP:
        base_strbuf_appendf(sb, "Timestamp(%s", unit_name(type->unit));
        if (type->timezone != NULL) {
            base_strbuf_append_str(sb, ", ");
            append_debug_str(sb, type->timezone);
        }
        base_strbuf_append_char(sb, ')');
        break;
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
        base_strbuf_append_str(sb, type->id == QV_TYPE_LIST ? "List(" : "LargeList(");
        append_list_item(sb, type->children[0]);
        base_strbuf_append_char(sb, ')');
        break;
    case QV_TYPE_FIXED_SIZE_LIST:
        base_strbuf_appendf(sb, "FixedSizeList(%d x ", (int)type->fixed_size);
        append_list_item(sb, type->children[0]);
        base_strbuf_append_char(sb, ')');
        break;
    case QV_TYPE_STRUCT:
        base_strbuf_append_str(sb, "Struct(");
        for (int32_t k = 0; k < type->n_children; k++) {
            if (k > 0)
                base_strbuf_append_str(sb, ", ");
            append_field(sb, type->children[k]);
        }
        base_strbuf_append_char(sb, ')');
        break;
    case QV_TYPE_MAP:
        base_strbuf_append_str(sb, "Map(");
        append_field(sb, type->children[0]);
        base_strbuf_append_str(sb, type->keys_sorted ? ", sorted)" : ", unsorted)");
        break;
    case QV_TYPE_DICTIONARY:
        base_strbuf_append_str(sb, "Dictionary(");
        arrow_type_format(type->index_type, sb);
        base_strbuf_append_str(sb, ", ");
        arrow_type_format(type->value_type, sb);
        base_strbuf_append_char(sb, ')');
        break;
    case QV_TYPE_RUN_END_ENCODED:
        base_strbuf_append_str(sb, "RunEndEncoded(");
        append_field(sb, type->children[0]);
        base_strbuf_append_str(sb, ", ");
        append_field(sb, type->children[1]);
        base_strbuf_append_char(sb, ')');
        break;
    default:
        base_strbuf_append_str(sb, "Unknown");
        break;
    }
}
