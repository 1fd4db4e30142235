/*
 * parquet_write_schema.c — the Parquet schema of an Arrow schema, as
 * arrow-rs' ArrowWriter lays it out (layer: format): physical types and
 * logical / converted annotations per Arrow type, lists as three-level
 * LIST groups (`name` > `list` > item), maps as MAP groups over their
 * repeated entries, structs as groups, dictionaries as their values; and
 * for each leaf column its path of steps, its maximum definition and
 * repetition levels, its sort order and its settings (codec, dictionary,
 * statistics, encoding) with column-specific overrides applied.
 */
#include <stdio.h>
#include <string.h>

#include "format/parquet_write_int.h"

/* ConvertedType values. */
enum {
    CONVERTED_UTF8 = 0,
    CONVERTED_MAP = 1,
    CONVERTED_LIST = 3,
    CONVERTED_DECIMAL = 5,
    CONVERTED_DATE = 6,
    CONVERTED_TIME_MILLIS = 7,
    CONVERTED_TIME_MICROS = 8,
    CONVERTED_TIMESTAMP_MILLIS = 9,
    CONVERTED_TIMESTAMP_MICROS = 10,
    CONVERTED_UINT_8 = 11,
    CONVERTED_INT_8 = 15,
    CONVERTED_INTERVAL = 21
};

typedef struct builder {
    pqw_schema *out;
    int32_t elements_cap, leaves_cap;
    const parquet_write_options *opts;
    /* the path being visited */
    pqw_step steps[64];
    const char *names[64];
    int32_t depth, n_names;
} builder;

static pqw_element *add_element(builder *b, const char *name, parquet_repetition repetition,
                                qv_error *err)
{
    pqw_schema *s = b->out;
    if (s->n_elements == b->elements_cap) {
        int32_t cap = b->elements_cap ? b->elements_cap * 2 : 16;
        pqw_element *grown = base_realloc(s->elements, (size_t)cap * sizeof *grown);
        if (grown == NULL) {
            base_error_nomem(err, "parquet schema");
            return NULL;
        }
        s->elements = grown;
        b->elements_cap = cap;
    }
    pqw_element *e = &s->elements[s->n_elements++];
    memset(e, 0, sizeof *e);
    e->name = name;
    e->physical = -1;
    e->type_length = -1;
    e->repetition = repetition;
    e->converted = -1;
    e->scale = e->precision = -1;
    return e;
}

static void set_integer(pqw_element *e, int8_t bits, bool is_signed)
{
    e->logical = PQW_LOGICAL_INTEGER;
    e->bit_width = bits;
    e->is_signed = is_signed;
    int32_t log2 = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
    e->converted = (is_signed ? CONVERTED_INT_8 : CONVERTED_UINT_8) + log2;
}

/* arrow-rs decimal_length_from_precision: the bytes a precision needs. */
static int32_t decimal_length(int32_t precision)
{
    double digits = 0;
    for (int32_t n = 1; n <= 32; n++) {
        /* 2^(8n-1) - 1 >= 10^precision - 1 */
        digits = (8.0 * n - 1) * 0.30102999566398119521;
        if (digits >= precision)
            return n;
    }
    return 32;
}

/* The physical type and annotations of a flat Arrow type. */
static qv_status set_primitive(pqw_element *e, const arrow_type *t, qv_error *err)
{
    switch (t->id) {
    case QV_TYPE_NULL:
        e->physical = PARQUET_INT32;
        e->logical = PQW_LOGICAL_UNKNOWN;
        break;
    case QV_TYPE_BOOLEAN:
        e->physical = PARQUET_BOOLEAN;
        break;
    case QV_TYPE_INT8:
    case QV_TYPE_INT16:
        e->physical = PARQUET_INT32;
        set_integer(e, t->id == QV_TYPE_INT8 ? 8 : 16, true);
        break;
    case QV_TYPE_INT32:
        e->physical = PARQUET_INT32;
        break;
    case QV_TYPE_INT64:
        e->physical = PARQUET_INT64;
        break;
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
        e->physical = PARQUET_INT32;
        set_integer(e, t->id == QV_TYPE_UINT8 ? 8 : t->id == QV_TYPE_UINT16 ? 16 : 32, false);
        break;
    case QV_TYPE_UINT64:
        e->physical = PARQUET_INT64;
        set_integer(e, 64, false);
        break;
    case QV_TYPE_FLOAT16:
        e->physical = PARQUET_FIXED_LEN_BYTE_ARRAY;
        e->type_length = 2;
        e->logical = PQW_LOGICAL_FLOAT16;
        break;
    case QV_TYPE_FLOAT32:
        e->physical = PARQUET_FLOAT;
        break;
    case QV_TYPE_FLOAT64:
        e->physical = PARQUET_DOUBLE;
        break;
    case QV_TYPE_TIMESTAMP:
        e->physical = PARQUET_INT64;
        if (t->unit == QV_UNIT_SECOND)
            break; /* no logical type holds seconds */
        e->logical = PQW_LOGICAL_TIMESTAMP;
        e->adjusted_to_utc = t->timezone != NULL && t->timezone[0] != '\0';
        e->time_unit = t->unit == QV_UNIT_MILLISECOND ? 1 : t->unit == QV_UNIT_MICROSECOND ? 2 : 3;
        e->converted = e->time_unit == 1   ? CONVERTED_TIMESTAMP_MILLIS
                       : e->time_unit == 2 ? CONVERTED_TIMESTAMP_MICROS
                                           : -1;
        break;
    case QV_TYPE_DATE32:
        e->physical = PARQUET_INT32;
        e->logical = PQW_LOGICAL_DATE;
        e->converted = CONVERTED_DATE;
        break;
    case QV_TYPE_DATE64:
        e->physical = PARQUET_INT64;
        break;
    case QV_TYPE_TIME32:
        e->physical = PARQUET_INT32;
        if (t->unit == QV_UNIT_SECOND)
            break;
        e->logical = PQW_LOGICAL_TIME;
        e->time_unit = 1;
        e->converted = CONVERTED_TIME_MILLIS;
        break;
    case QV_TYPE_TIME64:
        e->physical = PARQUET_INT64;
        e->logical = PQW_LOGICAL_TIME;
        e->time_unit = t->unit == QV_UNIT_MICROSECOND ? 2 : 3;
        e->converted = e->time_unit == 2 ? CONVERTED_TIME_MICROS : -1;
        break;
    case QV_TYPE_DURATION:
        e->physical = PARQUET_INT64;
        break;
    case QV_TYPE_INTERVAL_YEAR_MONTH:
    case QV_TYPE_INTERVAL_DAY_TIME:
        e->physical = PARQUET_FIXED_LEN_BYTE_ARRAY;
        e->type_length = 12;
        e->converted = CONVERTED_INTERVAL;
        break;
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "Parquet error: NYI: Attempting to write an Arrow interval type "
                              "MonthDayNano to parquet that is not yet implemented");
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
        e->physical = PARQUET_BYTE_ARRAY;
        break;
    case QV_TYPE_FIXED_SIZE_BINARY:
        e->physical = PARQUET_FIXED_LEN_BYTE_ARRAY;
        e->type_length = t->fixed_size;
        break;
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        /* arrow-rs: precision 2..9 INT32, up to 18 INT64 (1 too), else bytes */
        if (t->precision > 1 && t->precision <= 9) {
            e->physical = PARQUET_INT32;
        } else if (t->precision <= 18) {
            e->physical = PARQUET_INT64;
        } else {
            e->physical = PARQUET_FIXED_LEN_BYTE_ARRAY;
            e->type_length = decimal_length(t->precision);
        }
        e->logical = PQW_LOGICAL_DECIMAL;
        e->converted = CONVERTED_DECIMAL;
        e->scale = t->scale;
        e->precision = t->precision;
        break;
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
        e->physical = PARQUET_BYTE_ARRAY;
        e->logical = PQW_LOGICAL_STRING;
        e->converted = CONVERTED_UTF8;
        break;
    case QV_TYPE_RUN_END_ENCODED:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "Parquet error: Arrow: Converting RunEndEncodedType to parquet not "
                              "supported");
    default:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "Parquet error: NYI: Attempting to write an Arrow type %s to parquet "
                              "that is not yet implemented",
                              arrow_type_id_name(t->id));
    }
    return QV_OK;
}

static pqw_order sort_order(const pqw_element *e)
{
    switch (e->logical) {
    case PQW_LOGICAL_INTEGER:
        return e->is_signed ? PQW_ORDER_SIGNED : PQW_ORDER_UNSIGNED;
    case PQW_LOGICAL_STRING:
        return PQW_ORDER_UNSIGNED;
    case PQW_LOGICAL_UNKNOWN:
        return PQW_ORDER_UNDEFINED;
    case PQW_LOGICAL_NONE:
        break;
    default:
        return PQW_ORDER_SIGNED;
    }
    if (e->converted == CONVERTED_INTERVAL)
        return PQW_ORDER_UNDEFINED;
    switch (e->physical) {
    case PARQUET_BOOLEAN:
    case PARQUET_BYTE_ARRAY:
    case PARQUET_FIXED_LEN_BYTE_ARRAY:
        return PQW_ORDER_UNSIGNED;
    default:
        return PQW_ORDER_SIGNED;
    }
}

/* The dictionary / statistics / codec / encoding settings of a leaf. */
static qv_status leaf_settings(builder *b, pqw_leaf *leaf, qv_error *err)
{
    const parquet_write_options *o = b->opts;
    leaf->codec = o->compression;
    leaf->codec_level = o->compression_level;
    leaf->dictionary = o->dictionary_enabled;
    leaf->statistics = o->statistics_enabled;
    int32_t encoding = o->encoding;
    for (int32_t i = 0; i < o->n_columns; i++) {
        const parquet_column_write_options *c = &o->columns[i];
        if (strcmp(c->path, leaf->dotted_path) != 0)
            continue;
        if (c->has_compression) {
            leaf->codec = c->compression;
            leaf->codec_level = c->compression_level;
        }
        if (c->dictionary_enabled >= 0)
            leaf->dictionary = c->dictionary_enabled != 0;
        if (c->statistics_enabled >= 0)
            leaf->statistics = c->statistics_enabled != 0;
        if (c->encoding >= 0)
            encoding = c->encoding;
    }
    if (leaf->physical == PARQUET_BOOLEAN)
        leaf->dictionary = false; /* arrow-rs has no boolean dictionaries */
    QV_TRY(pqw_codec_check(leaf->codec, err));
    leaf->fallback_encoding = encoding < 0 ? PARQUET_ENCODING_PLAIN : encoding;
    parquet_physical_type p = leaf->physical;
    bool is_int = p == PARQUET_INT32 || p == PARQUET_INT64;
    switch (leaf->fallback_encoding) {
    case PARQUET_ENCODING_PLAIN:
        return QV_OK;
    case PARQUET_ENCODING_PLAIN_DICTIONARY:
    case PARQUET_ENCODING_RLE_DICTIONARY:
        return base_error_set(err, QV_PLAN,
                              "Invalid or Unsupported Configuration: Dictionary encoding can not "
                              "be used as fallback encoding");
    case PARQUET_ENCODING_DELTA_BINARY_PACKED:
        if (is_int)
            return QV_OK;
        break;
    case PARQUET_ENCODING_BYTE_STREAM_SPLIT:
        if (is_int || p == PARQUET_FLOAT || p == PARQUET_DOUBLE ||
            p == PARQUET_FIXED_LEN_BYTE_ARRAY)
            return QV_OK;
        break;
    default:
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: writing Parquet encoding %d "
                              "(column %s)",
                              (int)leaf->fallback_encoding, leaf->dotted_path);
    }
    return base_error_set(
        err, QV_NOT_IMPLEMENTED, "Parquet error: NYI: Encoding %s is not supported for type %d",
        leaf->fallback_encoding == PARQUET_ENCODING_BYTE_STREAM_SPLIT ? "BYTE_STREAM_SPLIT"
                                                                      : "DELTA_BINARY_PACKED",
        (int)p);
}

static qv_status add_leaf(builder *b, const pqw_element *e, const arrow_type *value_type,
                          int32_t column, qv_error *err)
{
    pqw_schema *s = b->out;
    if (s->n_leaves == b->leaves_cap) {
        int32_t cap = b->leaves_cap ? b->leaves_cap * 2 : 8;
        pqw_leaf *grown = base_realloc(s->leaves, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "parquet schema");
        s->leaves = grown;
        b->leaves_cap = cap;
    }
    pqw_leaf *leaf = &s->leaves[s->n_leaves];
    memset(leaf, 0, sizeof *leaf);
    leaf->column = column;
    leaf->physical = (parquet_physical_type)e->physical;
    leaf->type_length = e->type_length;
    leaf->value_type = value_type;
    leaf->order = sort_order(e);
    leaf->float_order = e->logical == PQW_LOGICAL_FLOAT16;
    leaf->utf8_stats = e->logical == PQW_LOGICAL_STRING;
    leaf->steps = base_calloc((size_t)b->depth, sizeof *leaf->steps);
    leaf->path = base_calloc((size_t)b->n_names, sizeof *leaf->path);
    base_strbuf dotted;
    base_strbuf_init(&dotted);
    for (int32_t i = 0; i < b->n_names; i++) {
        if (i > 0)
            base_strbuf_append_char(&dotted, '.');
        base_strbuf_append_str(&dotted, b->names[i]);
    }
    leaf->dotted_path = base_strbuf_take(&dotted);
    s->n_leaves++; /* freed with the schema from here on */
    if (leaf->steps == NULL || leaf->path == NULL || leaf->dotted_path == NULL)
        return base_error_nomem(err, "parquet schema");
    memcpy(leaf->steps, b->steps, (size_t)b->depth * sizeof *leaf->steps);
    leaf->n_steps = b->depth;
    for (int32_t i = 0; i < b->n_names; i++)
        leaf->path[i] = (char *)b->names[i];
    leaf->n_path = b->n_names;
    for (int32_t i = 0; i < b->depth; i++) {
        leaf->max_def =
            (int16_t)(leaf->max_def + b->steps[i].nullable + (b->steps[i].kind == PQW_STEP_LIST));
        leaf->max_rep = (int16_t)(leaf->max_rep + (b->steps[i].kind == PQW_STEP_LIST));
    }
    return leaf_settings(b, leaf, err);
}

static qv_status visit(builder *b, const arrow_field *field, bool repeated, int32_t column,
                       int16_t rep, qv_error *err);

static qv_status push_step(builder *b, pqw_step step, const char *name, qv_error *err)
{
    if (b->depth >= 64 || b->n_names >= 64)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Parquet columns nested more than "
                              "64 levels deep");
    b->steps[b->depth++] = step;
    b->names[b->n_names++] = name;
    return QV_OK;
}

/* A field; repeated: the repeated entries of a map (a REPEATED group that
 * adds no definition level of its own). */
static qv_status visit(builder *b, const arrow_field *field, bool repeated, int32_t column,
                       int16_t rep, qv_error *err)
{
    const arrow_type *t = field->type;
    if (t->id == QV_TYPE_DICTIONARY)
        t = t->value_type;
    bool nullable = field->nullable && !repeated;
    parquet_repetition repetition = repeated   ? PARQUET_REPEATED
                                    : nullable ? PARQUET_OPTIONAL
                                               : PARQUET_REQUIRED;
    pqw_element *e = add_element(b, field->name, repetition, err);
    if (e == NULL)
        return QV_NOMEM;
    int32_t saved_depth = b->depth, saved_names = b->n_names;
    qv_status st = QV_OK;
    switch (t->id) {
    case QV_TYPE_STRUCT: {
        if (t->n_children == 0)
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "Parquet error: Arrow: Parquet does not support writing empty "
                                  "structs");
        e->num_children = t->n_children;
        for (int32_t c = 0; c < t->n_children && st == QV_OK; c++) {
            pqw_step step = {PQW_STEP_STRUCT, nullable, c, 0};
            st = push_step(b, step, field->name, err);
            if (st == QV_OK)
                st = visit(b, t->children[c], false, column, rep, err);
            b->depth = saved_depth;
            b->n_names = saved_names;
        }
        return st;
    }
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_MAP: {
        bool is_map = t->id == QV_TYPE_MAP;
        e->num_children = 1;
        e->logical = is_map ? PQW_LOGICAL_MAP : PQW_LOGICAL_LIST;
        e->converted = is_map ? CONVERTED_MAP : CONVERTED_LIST;
        pqw_step step = {PQW_STEP_LIST, nullable, 0, (int16_t)(rep + 1)};
        st = push_step(b, step, field->name, err);
        if (st == QV_OK && !is_map) {
            pqw_element *list = add_element(b, "list", PARQUET_REPEATED, err);
            if (list == NULL)
                return QV_NOMEM;
            list->num_children = 1;
            b->names[b->n_names++] = "list";
        }
        if (st == QV_OK)
            st = visit(b, t->children[0], is_map, column, (int16_t)(rep + 1), err);
        b->depth = saved_depth;
        b->n_names = saved_names;
        return st;
    }
    default:
        break;
    }
    QV_TRY(set_primitive(e, t, err));
    pqw_element copy = *e; /* add_leaf may move the elements */
    pqw_step step = {PQW_STEP_LEAF, nullable, 0, 0};
    QV_TRY(push_step(b, step, field->name, err));
    st = add_leaf(b, &copy, t, column, err);
    b->depth = saved_depth;
    b->n_names = saved_names;
    return st;
}

qv_status pqw_schema_build(const arrow_schema *schema, const parquet_write_options *opts,
                           pqw_schema *out, qv_error *err)
{
    memset(out, 0, sizeof *out);
    builder b = {.out = out, .opts = opts};
    pqw_element *root = add_element(&b, "arrow_schema", (parquet_repetition)-1, err);
    if (root == NULL)
        return QV_NOMEM;
    root->num_children = schema->n_fields;
    qv_status st = QV_OK;
    for (int32_t c = 0; c < schema->n_fields && st == QV_OK; c++)
        st = visit(&b, schema->fields[c], false, c, 0, err);
    if (st != QV_OK)
        pqw_schema_free(out);
    return st;
}

void pqw_schema_free(pqw_schema *s)
{
    for (int32_t i = 0; i < s->n_leaves; i++) {
        base_free(s->leaves[i].steps);
        base_free(s->leaves[i].path);
        base_free(s->leaves[i].dotted_path);
    }
    base_free(s->leaves);
    base_free(s->elements);
    memset(s, 0, sizeof *s);
}
