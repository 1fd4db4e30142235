/*
 * arrow_ipc_schema.c — Arrow's Schema flatbuffer <-> arrow_schema (layer:
 * format): every type Quiver has (nested ones, dictionaries with their ids
 * and index types, run-end encoded), field and schema metadata kept both
 * ways; the dictionaries a decoded schema declares; the "ARROW:schema"
 * base64 entry of Parquet files.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format/arrow_ipc_int.h"

/* Fields nest at most this deep (a malformed buffer can loop). */
#define MAX_DEPTH 64

/* Schema.fbs' Type union. */
enum {
    T_NULL = 1,
    T_INT,
    T_FLOAT,
    T_BINARY,
    T_UTF8,
    T_BOOL,
    T_DECIMAL,
    T_DATE,
    T_TIME,
    T_TIMESTAMP,
    T_INTERVAL,
    T_LIST,
    T_STRUCT,
    T_UNION,
    T_FIXED_SIZE_BINARY,
    T_FIXED_SIZE_LIST,
    T_MAP,
    T_DURATION,
    T_LARGE_BINARY,
    T_LARGE_UTF8,
    T_LARGE_LIST,
    T_RUN_END_ENCODED,
    T_BINARY_VIEW,
    T_UTF8_VIEW,
    T_LIST_VIEW,
    T_LARGE_LIST_VIEW
};

qv_status ipc_parse_error(qv_error *err, const char *fmt, ...)
{
    char msg[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(msg, sizeof msg, fmt, args);
    va_end(args);
    return base_error_set(err, QV_EXECUTION, "Arrow error: Parser error: %s", msg);
}

/* ---- dictionaries ---- */

void ipc_dicts_free(ipc_dicts *dicts)
{
    for (int32_t i = 0; i < dicts->n; i++) {
        arrow_type_release(dicts->items[i].type);
        arrow_array_release(dicts->items[i].values);
    }
    base_free(dicts->items);
    memset(dicts, 0, sizeof *dicts);
}

ipc_dict *ipc_dicts_by_type(ipc_dicts *dicts, const arrow_type *type)
{
    for (int32_t i = 0; i < dicts->n; i++)
        if (dicts->items[i].type == type)
            return &dicts->items[i];
    return NULL;
}

ipc_dict *ipc_dicts_by_id(ipc_dicts *dicts, int64_t id)
{
    for (int32_t i = 0; i < dicts->n; i++)
        if (dicts->items[i].id == id)
            return &dicts->items[i];
    return NULL;
}

static qv_status dicts_add(ipc_dicts *dicts, arrow_type *type, int64_t id, qv_error *err)
{
    if (dicts->n == dicts->cap) {
        int32_t cap = dicts->cap ? dicts->cap * 2 : 4;
        ipc_dict *grown = base_realloc(dicts->items, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "IPC dictionaries");
        dicts->items = grown;
        dicts->cap = cap;
    }
    dicts->items[dicts->n++] = (ipc_dict){arrow_type_retain(type), id, NULL};
    return QV_OK;
}

/* ---- decoding ---- */

static qv_status malformed(qv_error *err, const char *what)
{
    return ipc_parse_error(err, "Unable to read IPC schema: malformed %s", what);
}

/* A constructor's QV_INVALID (bad parameter in the file) as a parse error. */
static qv_status as_parse_error(qv_status st, qv_error *err)
{
    if (st == QV_INVALID && err != NULL) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        return ipc_parse_error(err, "%s", msg);
    }
    return st;
}

static qv_status decode_metadata(const fb_table *t, int id, arrow_metadata *md, qv_error *err)
{
    fb_vector kvs;
    bool present = false;
    if (!fb_vector_field(t, id, 4, &kvs, &present))
        return malformed(err, "custom_metadata");
    for (uint32_t i = 0; present && i < kvs.n; i++) {
        fb_table kv;
        const char *k = NULL, *v = NULL;
        uint32_t kn = 0, vn = 0;
        bool has_k = false, has_v = false;
        if (!fb_vector_table(&kvs, i, &kv) || !fb_string(&kv, IPC_KV_KEY, &k, &kn, &has_k) ||
            !fb_string(&kv, IPC_KV_VALUE, &v, &vn, &has_v))
            return malformed(err, "custom_metadata");
        char *key = base_strndup(has_k ? k : "", kn);
        char *value = base_strndup(has_v ? v : "", vn);
        qv_status st = key && value ? arrow_metadata_add(md, key, value, err)
                                    : base_error_nomem(err, "IPC metadata");
        base_free(key);
        base_free(value);
        QV_TRY(st);
    }
    return QV_OK;
}

static qv_status time_unit(int16_t unit, arrow_time_unit *out, qv_error *err)
{
    if (unit < 0 || unit > 3)
        return malformed(err, "time unit");
    *out = (arrow_time_unit)unit;
    return QV_OK;
}

static qv_status int_type(const fb_table *t, arrow_type **out, qv_error *err)
{
    int32_t bits = 0;
    bool is_signed = false;
    if (!fb_i32(t, 0, 0, &bits) || !fb_bool(t, 1, false, &is_signed))
        return malformed(err, "Int");
    arrow_type_id id;
    switch (bits) {
    case 8:
        id = is_signed ? QV_TYPE_INT8 : QV_TYPE_UINT8;
        break;
    case 16:
        id = is_signed ? QV_TYPE_INT16 : QV_TYPE_UINT16;
        break;
    case 32:
        id = is_signed ? QV_TYPE_INT32 : QV_TYPE_UINT32;
        break;
    case 64:
        id = is_signed ? QV_TYPE_INT64 : QV_TYPE_UINT64;
        break;
    default:
        return ipc_parse_error(err, "Unexpected bitwidth %d for an Int type", bits);
    }
    *out = arrow_type_primitive(id);
    return QV_OK;
}

/* Map: the entries struct and its key made non-nullable, as the format
 * requires (and the C Data import does). */
static qv_status map_type(arrow_field *entries, bool sorted, arrow_type **out, qv_error *err)
{
    arrow_type *st_type = entries->type;
    if (st_type->id != QV_TYPE_STRUCT || st_type->n_children != 2)
        return ipc_parse_error(err, "Map entries must be a struct with two fields");
    if (!entries->nullable && !st_type->children[0]->nullable)
        return as_parse_error(arrow_type_map(entries, sorted, out, err), err);
    arrow_field *kv[2] = {NULL, arrow_field_retain(st_type->children[1])};
    arrow_type *fixed_struct = NULL;
    arrow_field *fixed_entries = NULL;
    const arrow_field *key = st_type->children[0];
    qv_status st = arrow_field_new(key->name, key->type, false, &key->metadata, &kv[0], err);
    if (st == QV_OK)
        st = arrow_type_struct(2, kv, &fixed_struct, err);
    if (st == QV_OK)
        st = arrow_field_new(entries->name, fixed_struct, false, &entries->metadata, &fixed_entries,
                             err);
    if (st == QV_OK)
        st = as_parse_error(arrow_type_map(fixed_entries, sorted, out, err), err);
    arrow_field_release(kv[0]);
    arrow_field_release(kv[1]);
    arrow_type_release(fixed_struct);
    arrow_field_release(fixed_entries);
    return st;
}

static qv_status need_children(int32_t n_children, int32_t want, const char *type, qv_error *err)
{
    if (n_children != want)
        return ipc_parse_error(err, "%s type must have %d child field%s, found %d", type, want,
                               want == 1 ? "" : "s", n_children);
    return QV_OK;
}

/* The type of tag with parameters in t and the given children (borrowed). */
static qv_status decode_type(uint8_t tag, const fb_table *t, arrow_field **kids, int32_t n_kids,
                             arrow_type **out, qv_error *err)
{
    int32_t a = 0, b = 0, c = 0;
    int16_t unit = 0;
    bool flag = false;
    arrow_time_unit tu = QV_UNIT_SECOND;
    *out = NULL;
    switch (tag) {
    case T_NULL:
        *out = arrow_type_primitive(QV_TYPE_NULL);
        return QV_OK;
    case T_INT:
        return int_type(t, out, err);
    case T_FLOAT:
        if (!fb_i16(t, 0, 0, &unit) || unit < 0 || unit > 2)
            return malformed(err, "FloatingPoint");
        *out = arrow_type_primitive(unit == 0   ? QV_TYPE_FLOAT16
                                    : unit == 1 ? QV_TYPE_FLOAT32
                                                : QV_TYPE_FLOAT64);
        return QV_OK;
    case T_BINARY:
        *out = arrow_type_primitive(QV_TYPE_BINARY);
        return QV_OK;
    case T_UTF8:
        *out = arrow_type_primitive(QV_TYPE_UTF8);
        return QV_OK;
    case T_BOOL:
        *out = arrow_type_primitive(QV_TYPE_BOOLEAN);
        return QV_OK;
    case T_LARGE_BINARY:
        *out = arrow_type_primitive(QV_TYPE_LARGE_BINARY);
        return QV_OK;
    case T_LARGE_UTF8:
        *out = arrow_type_primitive(QV_TYPE_LARGE_UTF8);
        return QV_OK;
    case T_BINARY_VIEW:
        *out = arrow_type_primitive(QV_TYPE_BINARY_VIEW);
        return QV_OK;
    case T_UTF8_VIEW:
        *out = arrow_type_primitive(QV_TYPE_UTF8_VIEW);
        return QV_OK;
    case T_DECIMAL:
        if (!fb_i32(t, 0, 0, &a) || !fb_i32(t, 1, 0, &b) || !fb_i32(t, 2, 128, &c))
            return malformed(err, "Decimal");
        if (c == 32 || c == 64)
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: Decimal%d columns", c);
        if (c != 128 && c != 256)
            return ipc_parse_error(err, "Unexpected decimal bit width %d", c);
        return as_parse_error(
            arrow_type_decimal(c == 128 ? QV_TYPE_DECIMAL128 : QV_TYPE_DECIMAL256, a, b, out, err),
            err);
    case T_DATE:
        if (!fb_i16(t, 0, 1, &unit) || unit < 0 || unit > 1)
            return malformed(err, "Date");
        *out = arrow_type_primitive(unit == 0 ? QV_TYPE_DATE32 : QV_TYPE_DATE64);
        return QV_OK;
    case T_TIME:
        if (!fb_i16(t, 0, 1, &unit) || !fb_i32(t, 1, 32, &a))
            return malformed(err, "Time");
        QV_TRY(time_unit(unit, &tu, err));
        if (a != (tu <= QV_UNIT_MILLISECOND ? 32 : 64))
            return ipc_parse_error(err, "Time type with bit width %d and unit %d", a, unit);
        return as_parse_error(
            arrow_type_time(a == 32 ? QV_TYPE_TIME32 : QV_TYPE_TIME64, tu, out, err), err);
    case T_TIMESTAMP: {
        const char *tz = NULL;
        uint32_t tz_len = 0;
        bool has_tz = false;
        if (!fb_i16(t, 0, 0, &unit) || !fb_string(t, 1, &tz, &tz_len, &has_tz))
            return malformed(err, "Timestamp");
        QV_TRY(time_unit(unit, &tu, err));
        char *zone = has_tz ? base_strndup(tz, tz_len) : NULL;
        if (has_tz && zone == NULL)
            return base_error_nomem(err, "IPC schema");
        qv_status st = as_parse_error(arrow_type_timestamp(tu, zone, out, err), err);
        base_free(zone);
        return st;
    }
    case T_DURATION:
        if (!fb_i16(t, 0, 1, &unit))
            return malformed(err, "Duration");
        QV_TRY(time_unit(unit, &tu, err));
        return as_parse_error(arrow_type_duration(tu, out, err), err);
    case T_INTERVAL:
        if (!fb_i16(t, 0, 0, &unit) || unit < 0 || unit > 2)
            return malformed(err, "Interval");
        *out = arrow_type_primitive(unit == 0   ? QV_TYPE_INTERVAL_YEAR_MONTH
                                    : unit == 1 ? QV_TYPE_INTERVAL_DAY_TIME
                                                : QV_TYPE_INTERVAL_MONTH_DAY_NANO);
        return QV_OK;
    case T_FIXED_SIZE_BINARY:
        if (!fb_i32(t, 0, 0, &a))
            return malformed(err, "FixedSizeBinary");
        return as_parse_error(arrow_type_fixed_size_binary(a, out, err), err);
    case T_LIST:
    case T_LARGE_LIST:
        QV_TRY(need_children(n_kids, 1, tag == T_LIST ? "List" : "LargeList", err));
        return as_parse_error(
            arrow_type_list(tag == T_LIST ? QV_TYPE_LIST : QV_TYPE_LARGE_LIST, kids[0], out, err),
            err);
    case T_FIXED_SIZE_LIST:
        QV_TRY(need_children(n_kids, 1, "FixedSizeList", err));
        if (!fb_i32(t, 0, 0, &a))
            return malformed(err, "FixedSizeList");
        return as_parse_error(arrow_type_fixed_size_list(kids[0], a, out, err), err);
    case T_STRUCT:
        return as_parse_error(arrow_type_struct(n_kids, kids, out, err), err);
    case T_MAP:
        QV_TRY(need_children(n_kids, 1, "Map", err));
        if (!fb_bool(t, 0, false, &flag))
            return malformed(err, "Map");
        return map_type(kids[0], flag, out, err);
    case T_RUN_END_ENCODED:
        QV_TRY(need_children(n_kids, 2, "RunEndEncoded", err));
        return as_parse_error(arrow_type_run_end_encoded(kids[0], kids[1], out, err), err);
    case T_UNION:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Union columns in Arrow IPC files");
    case T_LIST_VIEW:
    case T_LARGE_LIST_VIEW:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: %s columns in Arrow IPC files",
                              tag == T_LIST_VIEW ? "ListView" : "LargeListView");
    default:
        return ipc_parse_error(err, "Unable to get field type: unknown type tag %u", tag);
    }
}

static qv_status decode_field(const fb_table *f, ipc_dicts *dicts, int depth, arrow_field **out,
                              qv_error *err);

/* The children of field f, decoded. */
static qv_status decode_children(const fb_table *f, ipc_dicts *dicts, int depth,
                                 arrow_field ***kids, int32_t *n_kids, qv_error *err)
{
    fb_vector vec;
    bool present = false;
    *kids = NULL;
    *n_kids = 0;
    if (!fb_vector_field(f, IPC_FIELD_CHILDREN, 4, &vec, &present))
        return malformed(err, "Field children");
    if (!present || vec.n == 0)
        return QV_OK;
    *kids = base_calloc(vec.n, sizeof **kids);
    if (*kids == NULL)
        return base_error_nomem(err, "IPC schema");
    for (uint32_t i = 0; i < vec.n; i++) {
        fb_table child;
        if (!fb_vector_table(&vec, i, &child))
            return malformed(err, "Field children");
        QV_TRY(decode_field(&child, dicts, depth + 1, &(*kids)[i], err));
        *n_kids = (int32_t)i + 1;
    }
    return QV_OK;
}

/* DictionaryEncoding: the dictionary type around value_type (borrowed). */
static qv_status decode_dictionary(const fb_table *enc, arrow_type *value_type, ipc_dicts *dicts,
                                   arrow_type **out, qv_error *err)
{
    int64_t id = 0;
    bool ordered = false, has_index = false;
    fb_table index;
    if (!fb_i64(enc, IPC_DICT_ID, 0, &id) || !fb_bool(enc, IPC_DICT_ORDERED, false, &ordered) ||
        !fb_table_field(enc, IPC_DICT_INDEX_TYPE, &index, &has_index))
        return malformed(err, "DictionaryEncoding");
    arrow_type *index_type = arrow_type_primitive(QV_TYPE_INT32);
    if (has_index)
        QV_TRY(int_type(&index, &index_type, err));
    QV_TRY(as_parse_error(arrow_type_dictionary(index_type, value_type, ordered, out, err), err));
    if (dicts == NULL)
        return QV_OK;
    if (ipc_dicts_by_id(dicts, id) != NULL) {
        arrow_type_release(*out);
        *out = NULL;
        return ipc_parse_error(err, "Dictionary id %lld is used by more than one field",
                               (long long)id);
    }
    qv_status st = dicts_add(dicts, *out, id, err);
    if (st != QV_OK) {
        arrow_type_release(*out);
        *out = NULL;
    }
    return st;
}

static qv_status decode_field(const fb_table *f, ipc_dicts *dicts, int depth, arrow_field **out,
                              qv_error *err)
{
    *out = NULL;
    if (depth > MAX_DEPTH)
        return ipc_parse_error(err, "Unable to read IPC schema: fields nest deeper than %d",
                               MAX_DEPTH);
    const char *name = NULL;
    uint32_t name_len = 0;
    bool has_name = false, nullable = false, has_type = false, has_dict = false;
    uint8_t tag = 0;
    fb_table type_table, dict_table;
    if (!fb_string(f, IPC_FIELD_NAME, &name, &name_len, &has_name) ||
        !fb_bool(f, IPC_FIELD_NULLABLE, false, &nullable) ||
        !fb_u8(f, IPC_FIELD_TYPE_TYPE, 0, &tag) ||
        !fb_table_field(f, IPC_FIELD_TYPE, &type_table, &has_type) ||
        !fb_table_field(f, IPC_FIELD_DICTIONARY, &dict_table, &has_dict))
        return malformed(err, "Field");
    arrow_field **kids = NULL;
    int32_t n_kids = 0;
    arrow_type *type = NULL, *dict_type = NULL;
    arrow_metadata md = {0};
    char *field_name = base_strndup(has_name ? name : "", name_len);
    qv_status st = field_name != NULL ? QV_OK : base_error_nomem(err, "IPC schema");
    if (st == QV_OK)
        st = decode_children(f, dicts, depth, &kids, &n_kids, err);
    if (st == QV_OK)
        st = decode_type(tag, &type_table, kids, n_kids, &type, err);
    if (st == QV_OK && has_dict)
        st = decode_dictionary(&dict_table, type, dicts, &dict_type, err);
    if (st == QV_OK)
        st = decode_metadata(f, IPC_FIELD_METADATA, &md, err);
    if (st == QV_OK)
        st = arrow_field_new(field_name, dict_type != NULL ? dict_type : type, nullable, &md, out,
                             err);
    for (int32_t i = 0; i < n_kids; i++)
        arrow_field_release(kids[i]);
    base_free(kids);
    arrow_type_release(type);
    arrow_type_release(dict_type);
    arrow_metadata_clear(&md);
    base_free(field_name);
    return st;
}

qv_status ipc_schema_decode(const fb_table *schema, ipc_dicts *dicts, arrow_schema **out,
                            qv_error *err)
{
    *out = NULL;
    int16_t endianness = 0;
    fb_vector fields;
    bool present = false;
    if (!fb_i16(schema, IPC_SCHEMA_ENDIANNESS, 0, &endianness) ||
        !fb_vector_field(schema, IPC_SCHEMA_FIELDS, 4, &fields, &present))
        return malformed(err, "Schema");
    if (endianness != 0)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: big-endian Arrow IPC data");
    uint32_t n = present ? fields.n : 0;
    arrow_field **list = base_calloc(n > 0 ? n : 1, sizeof *list);
    if (list == NULL)
        return base_error_nomem(err, "IPC schema");
    arrow_metadata md = {0};
    qv_status st = QV_OK;
    for (uint32_t i = 0; i < n && st == QV_OK; i++) {
        fb_table f;
        st = fb_vector_table(&fields, i, &f) ? decode_field(&f, dicts, 0, &list[i], err)
                                             : malformed(err, "Schema fields");
    }
    if (st == QV_OK)
        st = decode_metadata(schema, IPC_SCHEMA_METADATA, &md, err);
    if (st == QV_OK)
        st = arrow_schema_new((int32_t)n, list, &md, out, err);
    for (uint32_t i = 0; i < n; i++)
        arrow_field_release(list[i]);
    base_free(list);
    arrow_metadata_clear(&md);
    return st;
}

/* ---- encoding ---- */

static fb_ref encode_metadata(fb_builder *b, const arrow_metadata *md)
{
    fb_ref *refs = base_calloc((size_t)(md->n > 0 ? md->n : 1), sizeof *refs);
    if (refs == NULL) {
        b->failed = true;
        return 0;
    }
    for (int32_t i = 0; i < md->n; i++) {
        fb_ref k = fb_string_new(b, md->keys[i], strlen(md->keys[i]));
        fb_ref v = fb_string_new(b, md->values[i], strlen(md->values[i]));
        fb_table_begin(b);
        fb_add_ref(b, IPC_KV_KEY, k);
        fb_add_ref(b, IPC_KV_VALUE, v);
        refs[i] = fb_table_end(b);
    }
    fb_ref vec = fb_vector_refs(b, refs, (uint32_t)md->n);
    base_free(refs);
    return vec;
}

static fb_ref int_table(fb_builder *b, const arrow_type *type)
{
    fb_table_begin(b);
    fb_add_i32(b, 0, arrow_type_bit_width(type));
    fb_add_u8(b, 1, arrow_type_is_signed_integer(type->id));
    return fb_table_end(b);
}

static int16_t unit_code(arrow_time_unit unit)
{
    return (int16_t)unit;
}

/* The Type union member of a (non-dictionary) type: *tag and its table. */
static fb_ref encode_type(fb_builder *b, const arrow_type *type, uint8_t *tag)
{
    fb_ref tz = 0;
    if (type->id == QV_TYPE_TIMESTAMP && type->timezone != NULL)
        tz = fb_string_new(b, type->timezone, strlen(type->timezone));
    fb_table_begin(b);
    switch (type->id) {
    case QV_TYPE_NULL:
        *tag = T_NULL;
        break;
    case QV_TYPE_BOOLEAN:
        *tag = T_BOOL;
        break;
    case QV_TYPE_INT8:
    case QV_TYPE_INT16:
    case QV_TYPE_INT32:
    case QV_TYPE_INT64:
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64:
        *tag = T_INT;
        fb_add_i32(b, 0, arrow_type_bit_width(type));
        fb_add_u8(b, 1, arrow_type_is_signed_integer(type->id));
        break;
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
        *tag = T_FLOAT;
        fb_add_i16(b, 0, type->id == QV_TYPE_FLOAT16 ? 0 : type->id == QV_TYPE_FLOAT32 ? 1 : 2);
        break;
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        *tag = T_DECIMAL;
        fb_add_i32(b, 0, type->precision);
        fb_add_i32(b, 1, type->scale);
        fb_add_i32(b, 2, type->id == QV_TYPE_DECIMAL128 ? 128 : 256);
        break;
    case QV_TYPE_UTF8:
        *tag = T_UTF8;
        break;
    case QV_TYPE_LARGE_UTF8:
        *tag = T_LARGE_UTF8;
        break;
    case QV_TYPE_UTF8_VIEW:
        *tag = T_UTF8_VIEW;
        break;
    case QV_TYPE_BINARY:
        *tag = T_BINARY;
        break;
    case QV_TYPE_LARGE_BINARY:
        *tag = T_LARGE_BINARY;
        break;
    case QV_TYPE_BINARY_VIEW:
        *tag = T_BINARY_VIEW;
        break;
    case QV_TYPE_FIXED_SIZE_BINARY:
        *tag = T_FIXED_SIZE_BINARY;
        fb_add_i32(b, 0, type->fixed_size);
        break;
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
        *tag = T_DATE;
        fb_add_i16(b, 0, type->id == QV_TYPE_DATE32 ? 0 : 1);
        break;
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
        *tag = T_TIME;
        fb_add_i16(b, 0, unit_code(type->unit));
        fb_add_i32(b, 1, type->id == QV_TYPE_TIME32 ? 32 : 64);
        break;
    case QV_TYPE_TIMESTAMP:
        *tag = T_TIMESTAMP;
        fb_add_i16(b, 0, unit_code(type->unit));
        if (type->timezone != NULL)
            fb_add_ref(b, 1, tz);
        break;
    case QV_TYPE_DURATION:
        *tag = T_DURATION;
        fb_add_i16(b, 0, unit_code(type->unit));
        break;
    case QV_TYPE_INTERVAL_YEAR_MONTH:
    case QV_TYPE_INTERVAL_DAY_TIME:
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        *tag = T_INTERVAL;
        fb_add_i16(b, 0,
                   type->id == QV_TYPE_INTERVAL_YEAR_MONTH ? 0
                   : type->id == QV_TYPE_INTERVAL_DAY_TIME ? 1
                                                           : 2);
        break;
    case QV_TYPE_LIST:
        *tag = T_LIST;
        break;
    case QV_TYPE_LARGE_LIST:
        *tag = T_LARGE_LIST;
        break;
    case QV_TYPE_FIXED_SIZE_LIST:
        *tag = T_FIXED_SIZE_LIST;
        fb_add_i32(b, 0, type->fixed_size);
        break;
    case QV_TYPE_STRUCT:
        *tag = T_STRUCT;
        break;
    case QV_TYPE_MAP:
        *tag = T_MAP;
        fb_add_u8(b, 0, type->keys_sorted);
        break;
    case QV_TYPE_RUN_END_ENCODED:
        *tag = T_RUN_END_ENCODED;
        break;
    case QV_TYPE_DICTIONARY: /* encoded by the caller as its value type */
    case QV_TYPE_COUNT_:
        b->failed = true;
        break;
    }
    return fb_table_end(b);
}

static fb_ref encode_field(fb_builder *b, const arrow_field *f, int64_t *next_dict_id)
{
    const arrow_type *type = f->type;
    const arrow_type *value_type = type->id == QV_TYPE_DICTIONARY ? type->value_type : type;
    int64_t dict_id = type->id == QV_TYPE_DICTIONARY ? (*next_dict_id)++ : -1;
    int32_t n_kids = value_type->n_children;
    fb_ref *kids = base_calloc((size_t)(n_kids > 0 ? n_kids : 1), sizeof *kids);
    if (kids == NULL) {
        b->failed = true;
        return 0;
    }
    for (int32_t i = 0; i < n_kids; i++)
        kids[i] = encode_field(b, value_type->children[i], next_dict_id);
    fb_ref children = fb_vector_refs(b, kids, (uint32_t)n_kids);
    base_free(kids);
    fb_ref name = fb_string_new(b, f->name, strlen(f->name));
    fb_ref md = f->metadata.n > 0 ? encode_metadata(b, &f->metadata) : 0;
    uint8_t tag = 0;
    fb_ref type_ref = encode_type(b, value_type, &tag);
    fb_ref dict = 0;
    if (dict_id >= 0) {
        fb_ref index = int_table(b, type->index_type);
        fb_table_begin(b);
        fb_add_i64(b, IPC_DICT_ID, dict_id);
        fb_add_ref(b, IPC_DICT_INDEX_TYPE, index);
        fb_add_u8(b, IPC_DICT_ORDERED, type->ordered);
        dict = fb_table_end(b);
    }
    fb_table_begin(b);
    fb_add_ref(b, IPC_FIELD_NAME, name);
    fb_add_u8(b, IPC_FIELD_NULLABLE, f->nullable);
    fb_add_u8(b, IPC_FIELD_TYPE_TYPE, tag);
    fb_add_ref(b, IPC_FIELD_TYPE, type_ref);
    if (dict_id >= 0)
        fb_add_ref(b, IPC_FIELD_DICTIONARY, dict);
    fb_add_ref(b, IPC_FIELD_CHILDREN, children);
    if (f->metadata.n > 0)
        fb_add_ref(b, IPC_FIELD_METADATA, md);
    return fb_table_end(b);
}

fb_ref ipc_schema_encode(fb_builder *b, const arrow_schema *schema)
{
    int32_t n = schema->n_fields;
    fb_ref *refs = base_calloc((size_t)(n > 0 ? n : 1), sizeof *refs);
    if (refs == NULL) {
        b->failed = true;
        return 0;
    }
    int64_t next_dict_id = 0;
    for (int32_t i = 0; i < n; i++)
        refs[i] = encode_field(b, schema->fields[i], &next_dict_id);
    fb_ref fields = fb_vector_refs(b, refs, (uint32_t)n);
    base_free(refs);
    fb_ref md = schema->metadata.n > 0 ? encode_metadata(b, &schema->metadata) : 0;
    fb_table_begin(b);
    fb_add_i16(b, IPC_SCHEMA_ENDIANNESS, 0);
    fb_add_ref(b, IPC_SCHEMA_FIELDS, fields);
    if (schema->metadata.n > 0)
        fb_add_ref(b, IPC_SCHEMA_METADATA, md);
    return fb_table_end(b);
}

/* ---- "ARROW:schema" ---- */

static int base64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Standard base64, '=' padding optional; false for another character. */
static bool base64_decode(const char *text, size_t len, uint8_t *out, size_t *out_len)
{
    while (len > 0 && text[len - 1] == '=')
        len--;
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int v = base64_value((unsigned char)text[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    *out_len = n;
    return true;
}

qv_status arrow_ipc_schema_from_base64(const char *text, size_t len, arrow_schema **out,
                                       qv_error *err)
{
    *out = NULL;
    uint8_t *bytes = base_alloc(len / 4 * 3 + 3);
    if (bytes == NULL)
        return base_error_nomem(err, "ARROW:schema");
    size_t n = 0;
    qv_status st = QV_OK;
    if (!base64_decode(text, len, bytes, &n))
        st = ipc_parse_error(err, "Unable to decode the embedded Arrow schema: invalid base64");
    const uint8_t *fb = bytes;
    if (st == QV_OK && n >= 8 && fb_load_i32(bytes) == -1) {
        /* an encapsulated message: continuation, length, flatbuffer */
        int32_t meta = fb_load_i32(bytes + 4);
        fb += 8;
        n = meta >= 0 && (size_t)meta <= n - 8 ? (size_t)meta : n - 8;
    }
    fb_table root, header;
    uint8_t tag = 0;
    bool has_header = false;
    if (st == QV_OK && !fb_root(fb, n, &root))
        st = ipc_parse_error(err, "Unable to get root as message: the embedded schema is "
                                  "malformed");
    /* a Message whose header is a Schema, or a bare Schema table */
    if (st == QV_OK && fb_u8(&root, IPC_MESSAGE_HEADER_TYPE, 0, &tag) && tag == IPC_HEADER_SCHEMA &&
        fb_table_field(&root, IPC_MESSAGE_HEADER, &header, &has_header) && has_header)
        st = ipc_schema_decode(&header, NULL, out, err);
    else if (st == QV_OK)
        st = ipc_schema_decode(&root, NULL, out, err);
    base_free(bytes);
    return st;
}
