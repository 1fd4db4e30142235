/*
 * parquet_schema.c — a Parquet schema as Arrow fields (layer: format), as
 * arrow-rs' parquet crate converts one: primitive columns by physical,
 * logical and converted type (INT96 as Timestamp(ns), timestamps adjusted
 * to UTC with the "UTC" zone, decimals as Decimal128 / Decimal256...),
 * LIST groups (three-level and the legacy two-level forms) and bare
 * repeated fields as List, MAP groups as Map, other groups as Struct; with
 * the definition and repetition levels that assembling each needs. Then
 * DataFusion's read options: binary_as_string, schema_force_view_types
 * (top-level strings as Utf8View, binaries as BinaryView) and coerce_int96.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "format/parquet_int.h"

typedef struct schema_ctx {
    const pq_file_meta *meta;
    const parquet_read_options *opts;
    int32_t next; /* the next schema element to convert */
    int32_t n_leaves;
    qv_error *err;
} schema_ctx;

static qv_status not_convertible(qv_error *err, const char *physical, const pq_schema_element *el)
{
    return base_error_set(err, QV_EXECUTION,
                          "Parquet error: Arrow: Unable to convert parquet %s logical type %d or "
                          "converted type %d (column \"%.*s\")",
                          physical, (int)el->logical.kind, (int)el->converted, (int)el->name.len,
                          (const char *)el->name.data);
}

static qv_status decimal(arrow_type_id id, int32_t precision, int32_t scale, arrow_type **out,
                         qv_error *err)
{
    if (scale < 0)
        return pq_corrupt(err, "Arrow: scale cannot be negative: %d", (int)scale);
    if (precision < 0)
        return pq_corrupt(err, "Arrow: precision cannot be negative: %d", (int)precision);
    if (arrow_type_decimal(id, precision, scale, out, NULL) != QV_OK)
        return pq_corrupt(err, "invalid decimal precision %d and scale %d", (int)precision,
                          (int)scale);
    return QV_OK;
}

static qv_status int32_type(const pq_schema_element *el, arrow_type **out, qv_error *err)
{
    const pq_logical *lt = &el->logical;
    switch (lt->kind) {
    case PQ_LOGICAL_INTEGER:
        switch (lt->bit_width) {
        case 8:
            *out = arrow_type_primitive(lt->is_signed ? QV_TYPE_INT8 : QV_TYPE_UINT8);
            return QV_OK;
        case 16:
            *out = arrow_type_primitive(lt->is_signed ? QV_TYPE_INT16 : QV_TYPE_UINT16);
            return QV_OK;
        case 32:
            *out = arrow_type_primitive(lt->is_signed ? QV_TYPE_INT32 : QV_TYPE_UINT32);
            return QV_OK;
        default:
            return not_convertible(err, "INT32", el);
        }
    case PQ_LOGICAL_DECIMAL:
        return decimal(QV_TYPE_DECIMAL128, lt->precision, lt->scale, out, err);
    case PQ_LOGICAL_DATE:
        *out = arrow_type_primitive(QV_TYPE_DATE32);
        return QV_OK;
    case PQ_LOGICAL_TIME:
        if (lt->unit != QV_UNIT_MILLISECOND)
            return not_convertible(err, "INT32", el);
        return arrow_type_time(QV_TYPE_TIME32, QV_UNIT_MILLISECOND, out, err);
    case PQ_LOGICAL_UNKNOWN:
        *out = arrow_type_primitive(QV_TYPE_NULL);
        return QV_OK;
    case PQ_LOGICAL_NONE:
        break;
    default:
        return not_convertible(err, "INT32", el);
    }
    static const struct {
        int32_t converted;
        arrow_type_id id;
    } simple[] = {{PQ_CONVERTED_NONE, QV_TYPE_INT32},     {PQ_CONVERTED_UINT_8, QV_TYPE_UINT8},
                  {PQ_CONVERTED_UINT_16, QV_TYPE_UINT16}, {PQ_CONVERTED_UINT_32, QV_TYPE_UINT32},
                  {PQ_CONVERTED_INT_8, QV_TYPE_INT8},     {PQ_CONVERTED_INT_16, QV_TYPE_INT16},
                  {PQ_CONVERTED_INT_32, QV_TYPE_INT32},   {PQ_CONVERTED_DATE, QV_TYPE_DATE32}};
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
        if (el->converted == simple[i].converted) {
            *out = arrow_type_primitive(simple[i].id);
            return QV_OK;
        }
    if (el->converted == PQ_CONVERTED_TIME_MILLIS)
        return arrow_type_time(QV_TYPE_TIME32, QV_UNIT_MILLISECOND, out, err);
    if (el->converted == PQ_CONVERTED_DECIMAL)
        return decimal(QV_TYPE_DECIMAL128, el->precision, el->scale, out, err);
    return not_convertible(err, "INT32", el);
}

static qv_status int64_type(const pq_schema_element *el, arrow_type **out, qv_error *err)
{
    const pq_logical *lt = &el->logical;
    switch (lt->kind) {
    case PQ_LOGICAL_INTEGER:
        if (lt->bit_width != 64)
            return not_convertible(err, "INT64", el);
        *out = arrow_type_primitive(lt->is_signed ? QV_TYPE_INT64 : QV_TYPE_UINT64);
        return QV_OK;
    case PQ_LOGICAL_TIME:
        if (lt->unit == QV_UNIT_MILLISECOND)
            return pq_corrupt(err, "Arrow: Cannot create INT64 from MILLIS time unit");
        return arrow_type_time(QV_TYPE_TIME64, lt->unit, out, err);
    case PQ_LOGICAL_TIMESTAMP:
        return arrow_type_timestamp(lt->unit, lt->adjusted_utc ? "UTC" : NULL, out, err);
    case PQ_LOGICAL_DECIMAL:
        return decimal(QV_TYPE_DECIMAL128, lt->precision, lt->scale, out, err);
    case PQ_LOGICAL_NONE:
        break;
    default:
        return not_convertible(err, "INT64", el);
    }
    switch (el->converted) {
    case PQ_CONVERTED_NONE:
    case PQ_CONVERTED_INT_64:
        *out = arrow_type_primitive(QV_TYPE_INT64);
        return QV_OK;
    case PQ_CONVERTED_UINT_64:
        *out = arrow_type_primitive(QV_TYPE_UINT64);
        return QV_OK;
    case PQ_CONVERTED_TIME_MICROS:
        return arrow_type_time(QV_TYPE_TIME64, QV_UNIT_MICROSECOND, out, err);
    case PQ_CONVERTED_TIMESTAMP_MILLIS:
        return arrow_type_timestamp(QV_UNIT_MILLISECOND, "UTC", out, err);
    case PQ_CONVERTED_TIMESTAMP_MICROS:
        return arrow_type_timestamp(QV_UNIT_MICROSECOND, "UTC", out, err);
    case PQ_CONVERTED_DECIMAL:
        return decimal(QV_TYPE_DECIMAL128, el->precision, el->scale, out, err);
    default:
        return not_convertible(err, "INT64", el);
    }
}

static qv_status byte_array_type(const pq_schema_element *el, arrow_type **out, qv_error *err)
{
    const pq_logical *lt = &el->logical;
    switch (lt->kind) {
    case PQ_LOGICAL_STRING:
    case PQ_LOGICAL_JSON:
        *out = arrow_type_primitive(QV_TYPE_UTF8);
        return QV_OK;
    case PQ_LOGICAL_BSON:
    case PQ_LOGICAL_ENUM:
    case PQ_LOGICAL_OTHER:
        *out = arrow_type_primitive(QV_TYPE_BINARY);
        return QV_OK;
    case PQ_LOGICAL_DECIMAL:
        return decimal(lt->precision <= 38 ? QV_TYPE_DECIMAL128 : QV_TYPE_DECIMAL256, lt->precision,
                       lt->scale, out, err);
    case PQ_LOGICAL_NONE:
        break;
    default:
        return not_convertible(err, "BYTE_ARRAY", el);
    }
    switch (el->converted) {
    case PQ_CONVERTED_NONE:
    case PQ_CONVERTED_BSON:
    case PQ_CONVERTED_ENUM:
        *out = arrow_type_primitive(QV_TYPE_BINARY);
        return QV_OK;
    case PQ_CONVERTED_UTF8:
    case PQ_CONVERTED_JSON:
        *out = arrow_type_primitive(QV_TYPE_UTF8);
        return QV_OK;
    case PQ_CONVERTED_DECIMAL:
        return decimal(el->precision <= 38 ? QV_TYPE_DECIMAL128 : QV_TYPE_DECIMAL256, el->precision,
                       el->scale, out, err);
    default:
        return not_convertible(err, "BYTE_ARRAY", el);
    }
}

static qv_status fixed_type(const pq_schema_element *el, arrow_type **out, qv_error *err)
{
    const pq_logical *lt = &el->logical;
    arrow_type_id dec = el->type_length <= 16 ? QV_TYPE_DECIMAL128 : QV_TYPE_DECIMAL256;
    if (lt->kind == PQ_LOGICAL_DECIMAL)
        return decimal(dec, lt->precision, lt->scale, out, err);
    if (lt->kind == PQ_LOGICAL_NONE && el->converted == PQ_CONVERTED_DECIMAL)
        return decimal(dec, el->precision, el->scale, out, err);
    if (lt->kind == PQ_LOGICAL_NONE && el->converted == PQ_CONVERTED_INTERVAL) {
        *out = arrow_type_primitive(QV_TYPE_INTERVAL_DAY_TIME);
        return QV_OK;
    }
    if (lt->kind == PQ_LOGICAL_FLOAT16) {
        if (el->type_length != 2)
            return pq_corrupt(err,
                              "FLOAT16 logical type must be Fixed Length Byte Array with length 2");
        *out = arrow_type_primitive(QV_TYPE_FLOAT16);
        return QV_OK;
    }
    return arrow_type_fixed_size_binary(el->type_length, out, err);
}

static bool parse_unit(const char *text, arrow_time_unit *unit)
{
    static const struct {
        const char *name;
        arrow_time_unit unit;
    } units[] = {{"s", QV_UNIT_SECOND},
                 {"ms", QV_UNIT_MILLISECOND},
                 {"us", QV_UNIT_MICROSECOND},
                 {"ns", QV_UNIT_NANOSECOND}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcasecmp(text, units[i].name) == 0) {
            *unit = units[i].unit;
            return true;
        }
    return false;
}

/* The Arrow type of a primitive column; top-level columns get
 * DataFusion's string / binary options. */
static qv_status leaf_type(const pq_schema_element *el, const parquet_read_options *opts, bool top,
                           arrow_type **out, qv_error *err)
{
    *out = NULL;
    switch (el->type) {
    case PARQUET_BOOLEAN:
        *out = arrow_type_primitive(QV_TYPE_BOOLEAN);
        return QV_OK;
    case PARQUET_INT32:
        return int32_type(el, out, err);
    case PARQUET_INT64:
        return int64_type(el, out, err);
    case PARQUET_INT96: {
        arrow_time_unit unit = QV_UNIT_NANOSECOND;
        if (opts->coerce_int96 != NULL && !parse_unit(opts->coerce_int96, &unit))
            return base_error_set(err, QV_PLAN,
                                  "Invalid or Unsupported Configuration: Unknown or unsupported "
                                  "parquet coerce_int96: %s. Valid values are: ns, us, ms, and s.",
                                  opts->coerce_int96);
        return arrow_type_timestamp(unit, opts->coerce_int96 != NULL ? opts->coerce_int96_tz : NULL,
                                    out, err);
    }
    case PARQUET_FLOAT:
        *out = arrow_type_primitive(QV_TYPE_FLOAT32);
        return QV_OK;
    case PARQUET_DOUBLE:
        *out = arrow_type_primitive(QV_TYPE_FLOAT64);
        return QV_OK;
    case PARQUET_BYTE_ARRAY: {
        QV_TRY(byte_array_type(el, out, err));
        arrow_type_id id = (*out)->id;
        if (top && opts->binary_as_string && id == QV_TYPE_BINARY)
            id = QV_TYPE_UTF8;
        if (top && opts->schema_force_view_types && id == QV_TYPE_UTF8)
            id = QV_TYPE_UTF8_VIEW;
        if (top && opts->schema_force_view_types && id == QV_TYPE_BINARY)
            id = QV_TYPE_BINARY_VIEW;
        if (id != (*out)->id) {
            arrow_type_release(*out);
            *out = arrow_type_primitive(id);
        }
        return QV_OK;
    }
    case PARQUET_FIXED_LEN_BYTE_ARRAY:
        if (el->type_length < 0)
            return pq_corrupt(err, "negative fixed length %d", (int)el->type_length);
        return fixed_type(el, out, err);
    default:
        return pq_corrupt(err, "unknown physical type %d", (int)el->type);
    }
}

static bool is_list(const pq_schema_element *el)
{
    return el->logical.kind == PQ_LOGICAL_LIST ||
           (el->logical.kind == PQ_LOGICAL_NONE && el->converted == PQ_CONVERTED_LIST);
}

static bool is_map(const pq_schema_element *el)
{
    return el->logical.kind == PQ_LOGICAL_MAP ||
           (el->logical.kind == PQ_LOGICAL_NONE &&
            (el->converted == PQ_CONVERTED_MAP || el->converted == PQ_CONVERTED_MAP_KEY_VALUE));
}

static bool name_is(const pq_bytes *name, const char *s)
{
    return name->len == strlen(s) && memcmp(name->data, s, name->len) == 0;
}

static qv_status make_field(const pq_bytes *name, arrow_type *type, bool nullable,
                            arrow_field **out, qv_error *err)
{
    char *text = base_alloc(name->len + 1u);
    if (text == NULL)
        return base_error_nomem(err, "Parquet schema");
    if (name->len > 0)
        memcpy(text, name->data, name->len);
    text[name->len] = '\0';
    qv_status st = arrow_field_new(text, type, nullable, NULL, out, err);
    base_free(text);
    return st;
}

static void field_clear(pq_field *f)
{
    for (int32_t i = 0; i < f->n_children; i++)
        field_clear(&f->children[i]);
    base_free(f->children);
    arrow_field_release(f->field);
    memset(f, 0, sizeof *f);
}

static qv_status convert_field(schema_ctx *ctx, int16_t parent_def, int16_t parent_rep, bool top,
                               int depth, pq_field *out);

/* The element at ctx->next (its children following), present at levels
 * def / rep, as a field named name. */
static qv_status convert_content(schema_ctx *ctx, int16_t def, int16_t rep, bool top, bool nullable,
                                 int depth, pq_field *out);

/* Converts `n` children of a group into out->children. */
static qv_status convert_children(schema_ctx *ctx, int32_t n, int16_t def, int16_t rep, int depth,
                                  pq_field *out)
{
    out->children = base_calloc((size_t)(n > 0 ? n : 1), sizeof *out->children);
    if (out->children == NULL)
        return base_error_nomem(ctx->err, "Parquet schema");
    for (int32_t i = 0; i < n; i++) {
        out->n_children = i + 1;
        QV_TRY(convert_field(ctx, def, rep, false, depth + 1, &out->children[i]));
    }
    return QV_OK;
}

static qv_status finish_struct(schema_ctx *ctx, const pq_schema_element *el, bool nullable,
                               pq_field *out)
{
    if (out->n_children == 0)
        return base_error_set(ctx->err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Parquet group \"%.*s\" without "
                              "columns",
                              (int)el->name.len, (const char *)el->name.data);
    arrow_field **fields = base_calloc((size_t)out->n_children, sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(ctx->err, "Parquet schema");
    for (int32_t i = 0; i < out->n_children; i++)
        fields[i] = out->children[i].field;
    arrow_type *type = NULL;
    qv_status st = arrow_type_struct(out->n_children, fields, &type, ctx->err);
    base_free(fields);
    if (st == QV_OK)
        st = make_field(&el->name, type, nullable, &out->field, ctx->err);
    arrow_type_release(type);
    return st;
}

static qv_status convert_content(schema_ctx *ctx, int16_t def, int16_t rep, bool top, bool nullable,
                                 int depth, pq_field *out)
{
    if (depth > PQ_MAX_SCHEMA_DEPTH)
        return pq_corrupt(ctx->err, "the schema is nested too deeply");
    const pq_file_meta *meta = ctx->meta;
    if (ctx->next >= meta->n_schema)
        return pq_corrupt(ctx->err, "the schema has fewer elements than its groups declare");
    const pq_schema_element *el = &meta->schema[ctx->next++];
    out->def_level = def;
    out->first_leaf = ctx->n_leaves;
    if (el->num_children == 0 && el->type >= 0) {
        out->kind = PQ_FIELD_LEAF;
        out->leaf = el;
        out->max_def = def;
        out->max_rep = rep;
        ctx->n_leaves++;
        out->n_leaves = 1;
        arrow_type *type = NULL;
        QV_TRY(leaf_type(el, ctx->opts, top, &type, ctx->err));
        qv_status st = make_field(&el->name, type, nullable, &out->field, ctx->err);
        arrow_type_release(type);
        return st;
    }
    if (el->num_children > meta->n_schema - ctx->next)
        return pq_corrupt(ctx->err, "the schema has fewer elements than its groups declare");
    const pq_schema_element *child = el->num_children > 0 ? &meta->schema[ctx->next] : NULL;
    bool repeated_child = el->num_children == 1 && child->repetition == PARQUET_REPEATED;
    if (is_list(el) && repeated_child) {
        out->kind = PQ_FIELD_LIST;
        out->rep_level = (int16_t)(rep + 1);
        out->item_def = (int16_t)(def + 1);
        out->children = base_calloc(1, sizeof *out->children);
        if (out->children == NULL)
            return base_error_nomem(ctx->err, "Parquet schema");
        out->n_children = 1;
        char tuple[300];
        snprintf(tuple, sizeof tuple, "%.*s_tuple", (int)el->name.len, (const char *)el->name.data);
        bool legacy = child->num_children != 1 || name_is(&child->name, "array") ||
                      name_is(&child->name, tuple);
        if (legacy) {
            /* two-level: the repeated element is the item */
            QV_TRY(convert_content(ctx, out->item_def, out->rep_level, false, false, depth + 1,
                                   &out->children[0]));
        } else {
            ctx->next++; /* the repeated group; its only child is the item */
            QV_TRY(convert_field(ctx, out->item_def, out->rep_level, false, depth + 1,
                                 &out->children[0]));
        }
    } else if (is_map(el) && repeated_child && child->num_children == 2 && child->type < 0) {
        out->kind = PQ_FIELD_MAP;
        out->rep_level = (int16_t)(rep + 1);
        out->item_def = (int16_t)(def + 1);
        out->children = base_calloc(1, sizeof *out->children);
        if (out->children == NULL)
            return base_error_nomem(ctx->err, "Parquet schema");
        out->n_children = 1;
        pq_field *entries = &out->children[0];
        ctx->next++;
        entries->kind = PQ_FIELD_STRUCT;
        entries->def_level = out->item_def;
        entries->first_leaf = ctx->n_leaves;
        QV_TRY(convert_children(ctx, 2, out->item_def, out->rep_level, depth + 1, entries));
        entries->n_leaves = ctx->n_leaves - entries->first_leaf;
        if (entries->children[0].field->nullable)
            return base_error_set(ctx->err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: Parquet map \"%.*s\" with "
                                  "nullable keys",
                                  (int)el->name.len, (const char *)el->name.data);
        QV_TRY(finish_struct(ctx, child, false, entries));
    } else {
        out->kind = PQ_FIELD_STRUCT;
        QV_TRY(convert_children(ctx, el->num_children, def, rep, depth, out));
        out->n_leaves = ctx->n_leaves - out->first_leaf;
        return finish_struct(ctx, el, nullable, out);
    }
    out->n_leaves = ctx->n_leaves - out->first_leaf;
    arrow_type *type = NULL;
    qv_status st = out->kind == PQ_FIELD_LIST
                       ? arrow_type_list(QV_TYPE_LIST, out->children[0].field, &type, ctx->err)
                       : arrow_type_map(out->children[0].field, false, &type, ctx->err);
    if (st == QV_OK)
        st = make_field(&el->name, type, nullable, &out->field, ctx->err);
    arrow_type_release(type);
    return st;
}

static qv_status convert_field(schema_ctx *ctx, int16_t parent_def, int16_t parent_rep, bool top,
                               int depth, pq_field *out)
{
    if (ctx->next >= ctx->meta->n_schema)
        return pq_corrupt(ctx->err, "the schema has fewer elements than its groups declare");
    const pq_schema_element *el = &ctx->meta->schema[ctx->next];
    if (el->repetition != PARQUET_REPEATED) {
        bool optional = el->repetition == PARQUET_OPTIONAL;
        return convert_content(ctx, (int16_t)(parent_def + optional), parent_rep, top, optional,
                               depth, out);
    }
    /* a repeated field outside a LIST group: a non-null list of required items */
    if (parent_def >= INT16_MAX - 1 || parent_rep >= INT16_MAX - 1)
        return pq_corrupt(ctx->err, "the schema is nested too deeply");
    out->kind = PQ_FIELD_LIST;
    out->def_level = parent_def;
    out->rep_level = (int16_t)(parent_rep + 1);
    out->item_def = (int16_t)(parent_def + 1);
    out->first_leaf = ctx->n_leaves;
    out->children = base_calloc(1, sizeof *out->children);
    if (out->children == NULL)
        return base_error_nomem(ctx->err, "Parquet schema");
    out->n_children = 1;
    QV_TRY(convert_content(ctx, out->item_def, out->rep_level, false, false, depth + 1,
                           &out->children[0]));
    out->n_leaves = ctx->n_leaves - out->first_leaf;
    arrow_type *type = NULL;
    qv_status st = arrow_type_list(QV_TYPE_LIST, out->children[0].field, &type, ctx->err);
    if (st == QV_OK)
        st = make_field(&el->name, type, false, &out->field, ctx->err);
    arrow_type_release(type);
    return st;
}

static void collect_leaves(const pq_field *f, const pq_field **leaves)
{
    if (f->kind == PQ_FIELD_LEAF) {
        leaves[f->first_leaf] = f;
        return;
    }
    for (int32_t i = 0; i < f->n_children; i++)
        collect_leaves(&f->children[i], leaves);
}

void pq_schema_free(pq_schema *schema)
{
    for (int32_t i = 0; i < schema->n_fields; i++)
        field_clear(&schema->fields[i]);
    base_free(schema->fields);
    base_free(schema->leaves);
    arrow_schema_release(schema->arrow);
    memset(schema, 0, sizeof *schema);
}

qv_status pq_schema_build(const pq_file_meta *meta, const parquet_read_options *opts,
                          pq_schema *out, qv_error *err)
{
    memset(out, 0, sizeof *out);
    const pq_schema_element *root = &meta->schema[0];
    schema_ctx ctx = {meta, opts, 1, 0, err};
    int32_t n = root->num_children;
    if (n > meta->n_schema - 1)
        return pq_corrupt(err, "the schema has fewer elements than its root declares");
    out->fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *out->fields);
    if (out->fields == NULL)
        return base_error_nomem(err, "Parquet schema");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++) {
        out->n_fields = i + 1;
        st = convert_field(&ctx, 0, 0, true, 1, &out->fields[i]);
    }
    arrow_field **fields = NULL;
    if (st == QV_OK) {
        out->n_leaves = ctx.n_leaves;
        out->leaves =
            base_calloc((size_t)(ctx.n_leaves > 0 ? ctx.n_leaves : 1), sizeof *out->leaves);
        fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
        if (out->leaves == NULL || fields == NULL)
            st = base_error_nomem(err, "Parquet schema");
    }
    if (st == QV_OK) {
        for (int32_t i = 0; i < n; i++) {
            collect_leaves(&out->fields[i], out->leaves);
            fields[i] = out->fields[i].field;
        }
        st = arrow_schema_new(n, fields, NULL, &out->arrow, err);
    }
    base_free(fields);
    if (st != QV_OK)
        pq_schema_free(out);
    return st;
}
