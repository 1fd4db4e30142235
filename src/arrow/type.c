/*
 * type.c — Arrow data types: singletons, constructors, equality and
 * classification (layer: arrow).
 */
#include <string.h>

#include "arrow.h"

#define IMMORTAL (-1)

/* The parameterless types, immortal; other slots stay zero (id 0 = NULL is
 * listed, so a zero slot is recognised by its id differing from its index). */
#define SINGLETON(type_id) [type_id] = {.id = type_id, .refcount = IMMORTAL}
static arrow_type singletons[QV_TYPE_COUNT_] = {
    SINGLETON(QV_TYPE_NULL),
    SINGLETON(QV_TYPE_BOOLEAN),
    SINGLETON(QV_TYPE_INT8),
    SINGLETON(QV_TYPE_INT16),
    SINGLETON(QV_TYPE_INT32),
    SINGLETON(QV_TYPE_INT64),
    SINGLETON(QV_TYPE_UINT8),
    SINGLETON(QV_TYPE_UINT16),
    SINGLETON(QV_TYPE_UINT32),
    SINGLETON(QV_TYPE_UINT64),
    SINGLETON(QV_TYPE_FLOAT16),
    SINGLETON(QV_TYPE_FLOAT32),
    SINGLETON(QV_TYPE_FLOAT64),
    SINGLETON(QV_TYPE_UTF8),
    SINGLETON(QV_TYPE_LARGE_UTF8),
    SINGLETON(QV_TYPE_UTF8_VIEW),
    SINGLETON(QV_TYPE_BINARY),
    SINGLETON(QV_TYPE_LARGE_BINARY),
    SINGLETON(QV_TYPE_BINARY_VIEW),
    SINGLETON(QV_TYPE_DATE32),
    SINGLETON(QV_TYPE_DATE64),
    SINGLETON(QV_TYPE_INTERVAL_YEAR_MONTH),
    SINGLETON(QV_TYPE_INTERVAL_DAY_TIME),
    SINGLETON(QV_TYPE_INTERVAL_MONTH_DAY_NANO),
};
#undef SINGLETON

arrow_type *arrow_type_primitive(arrow_type_id id)
{
    if ((int)id < 0 || id >= QV_TYPE_COUNT_ || singletons[id].id != id)
        return NULL;
    return &singletons[id];
}

static qv_status new_type(arrow_type_id id, arrow_type **out, qv_error *err)
{
    arrow_type *type = base_calloc(1, sizeof *type);
    if (type == NULL) {
        *out = NULL;
        return base_error_nomem(err, "data type");
    }
    type->id = id;
    atomic_init(&type->refcount, 1);
    *out = type;
    return QV_OK;
}

arrow_type *arrow_type_retain(arrow_type *type)
{
    if (type != NULL && atomic_load_explicit(&type->refcount, memory_order_relaxed) >= 0)
        atomic_fetch_add_explicit(&type->refcount, 1, memory_order_relaxed);
    return type;
}

void arrow_type_release(arrow_type *type)
{
    if (type == NULL || atomic_load_explicit(&type->refcount, memory_order_relaxed) < 0)
        return;
    if (atomic_fetch_sub_explicit(&type->refcount, 1, memory_order_acq_rel) != 1)
        return;
    for (int32_t i = 0; i < type->n_children; i++)
        arrow_field_release(type->children[i]);
    base_free(type->children);
    base_free(type->timezone);
    arrow_type_release(type->index_type);
    arrow_type_release(type->value_type);
    base_free(type);
}

qv_status arrow_type_decimal(arrow_type_id id, int32_t precision, int32_t scale, arrow_type **out,
                             qv_error *err)
{
    *out = NULL;
    int32_t max_precision = id == QV_TYPE_DECIMAL128 ? 38 : id == QV_TYPE_DECIMAL256 ? 76 : 0;
    if (max_precision == 0)
        return base_error_set(err, QV_INVALID, "not a decimal type id: %d", (int)id);
    if (precision < 1 || precision > max_precision)
        return base_error_set(err, QV_INVALID,
                              "decimal precision %d is out of range: it must be 1 to %d",
                              precision, max_precision);
    if (scale > precision || scale < -max_precision)
        return base_error_set(err, QV_INVALID,
                              "decimal scale %d is out of range for precision %d", scale,
                              precision);
    QV_TRY(new_type(id, out, err));
    (*out)->precision = precision;
    (*out)->scale = scale;
    return QV_OK;
}

static bool valid_unit(arrow_time_unit unit)
{
    return unit >= QV_UNIT_SECOND && unit <= QV_UNIT_NANOSECOND;
}

qv_status arrow_type_time(arrow_type_id id, arrow_time_unit unit, arrow_type **out, qv_error *err)
{
    *out = NULL;
    bool ok = (id == QV_TYPE_TIME32 && (unit == QV_UNIT_SECOND || unit == QV_UNIT_MILLISECOND)) ||
              (id == QV_TYPE_TIME64 &&
               (unit == QV_UNIT_MICROSECOND || unit == QV_UNIT_NANOSECOND));
    if (!ok)
        return base_error_set(err, QV_INVALID,
                              "Time32 takes seconds or milliseconds and Time64 takes "
                              "microseconds or nanoseconds");
    QV_TRY(new_type(id, out, err));
    (*out)->unit = unit;
    return QV_OK;
}

qv_status arrow_type_timestamp(arrow_time_unit unit, const char *timezone, arrow_type **out,
                               qv_error *err)
{
    *out = NULL;
    if (!valid_unit(unit))
        return base_error_set(err, QV_INVALID, "invalid time unit %d", (int)unit);
    QV_TRY(new_type(QV_TYPE_TIMESTAMP, out, err));
    (*out)->unit = unit;
    if (timezone != NULL) {
        (*out)->timezone = base_strdup(timezone);
        if ((*out)->timezone == NULL) {
            arrow_type_release(*out);
            *out = NULL;
            return base_error_nomem(err, "data type");
        }
    }
    return QV_OK;
}

qv_status arrow_type_duration(arrow_time_unit unit, arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (!valid_unit(unit))
        return base_error_set(err, QV_INVALID, "invalid time unit %d", (int)unit);
    QV_TRY(new_type(QV_TYPE_DURATION, out, err));
    (*out)->unit = unit;
    return QV_OK;
}

qv_status arrow_type_fixed_size_binary(int32_t byte_width, arrow_type **out, qv_error *err)
{
    *out = NULL;
    /* The cap keeps bit widths (width * 8) within int32. */
    if (byte_width < 0 || byte_width > INT32_MAX / 8)
        return base_error_set(err, QV_INVALID, "FixedSizeBinary width %d is out of range",
                              byte_width);
    QV_TRY(new_type(QV_TYPE_FIXED_SIZE_BINARY, out, err));
    (*out)->fixed_size = byte_width;
    return QV_OK;
}

/* Gives *type its children (retained). */
static qv_status set_children(arrow_type *type, int32_t n, arrow_field *const *fields,
                              qv_error *err)
{
    if (n == 0)
        return QV_OK;
    type->children = base_calloc((size_t)n, sizeof(arrow_field *));
    if (type->children == NULL)
        return base_error_nomem(err, "data type");
    for (int32_t i = 0; i < n; i++)
        type->children[i] = arrow_field_retain(fields[i]);
    type->n_children = n;
    return QV_OK;
}

static qv_status new_nested(arrow_type_id id, int32_t n, arrow_field *const *fields,
                            arrow_type **out, qv_error *err)
{
    QV_TRY(new_type(id, out, err));
    qv_status status = set_children(*out, n, fields, err);
    if (status != QV_OK) {
        arrow_type_release(*out);
        *out = NULL;
    }
    return status;
}

qv_status arrow_type_list(arrow_type_id id, arrow_field *item, arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (id != QV_TYPE_LIST && id != QV_TYPE_LARGE_LIST)
        return base_error_set(err, QV_INVALID, "not a list type id: %d", (int)id);
    if (item == NULL)
        return base_error_set(err, QV_INVALID, "a list type needs an item field");
    return new_nested(id, 1, &item, out, err);
}

qv_status arrow_type_list_of(arrow_type_id id, arrow_type *item_type, arrow_type **out,
                             qv_error *err)
{
    *out = NULL;
    arrow_field *item;
    QV_TRY(arrow_field_new("item", item_type, true, NULL, &item, err));
    qv_status status = arrow_type_list(id, item, out, err);
    arrow_field_release(item);
    return status;
}

qv_status arrow_type_fixed_size_list(arrow_field *item, int32_t list_size, arrow_type **out,
                                     qv_error *err)
{
    *out = NULL;
    if (list_size < 0)
        return base_error_set(err, QV_INVALID, "FixedSizeList size %d is negative", list_size);
    if (item == NULL)
        return base_error_set(err, QV_INVALID, "a list type needs an item field");
    QV_TRY(new_nested(QV_TYPE_FIXED_SIZE_LIST, 1, &item, out, err));
    (*out)->fixed_size = list_size;
    return QV_OK;
}

qv_status arrow_type_struct(int32_t n_fields, arrow_field *const *fields, arrow_type **out,
                            qv_error *err)
{
    *out = NULL;
    if (n_fields < 0)
        return base_error_set(err, QV_INVALID, "negative struct field count");
    return new_nested(QV_TYPE_STRUCT, n_fields, fields, out, err);
}

qv_status arrow_type_map(arrow_field *entries, bool keys_sorted, arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (entries == NULL || entries->type->id != QV_TYPE_STRUCT || entries->type->n_children != 2)
        return base_error_set(err, QV_INVALID,
                              "a map's entries must be a struct of two fields (key, value)");
    if (entries->nullable || entries->type->children[0]->nullable)
        return base_error_set(err, QV_INVALID, "a map's entries and keys must not be nullable");
    QV_TRY(new_nested(QV_TYPE_MAP, 1, &entries, out, err));
    (*out)->keys_sorted = keys_sorted;
    return QV_OK;
}

qv_status arrow_type_dictionary(arrow_type *index_type, arrow_type *value_type, bool ordered,
                                arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (index_type == NULL || !arrow_type_is_integer(index_type->id))
        return base_error_set(err, QV_INVALID, "a dictionary's index type must be an integer");
    if (value_type == NULL)
        return base_error_set(err, QV_INVALID, "a dictionary needs a value type");
    QV_TRY(new_type(QV_TYPE_DICTIONARY, out, err));
    (*out)->index_type = arrow_type_retain(index_type);
    (*out)->value_type = arrow_type_retain(value_type);
    (*out)->ordered = ordered;
    return QV_OK;
}

qv_status arrow_type_run_end_encoded(arrow_field *run_ends, arrow_field *values, arrow_type **out,
                                     qv_error *err)
{
    *out = NULL;
    if (run_ends == NULL || values == NULL)
        return base_error_set(err, QV_INVALID, "a run-end encoded type needs two fields");
    arrow_type_id ends = run_ends->type->id;
    if (ends != QV_TYPE_INT16 && ends != QV_TYPE_INT32 && ends != QV_TYPE_INT64)
        return base_error_set(err, QV_INVALID, "run ends must be Int16, Int32 or Int64");
    if (run_ends->nullable)
        return base_error_set(err, QV_INVALID, "run ends must not be nullable");
    arrow_field *children[2] = {run_ends, values};
    return new_nested(QV_TYPE_RUN_END_ENCODED, 2, children, out, err);
}

bool arrow_type_equal(const arrow_type *a, const arrow_type *b)
{
    if (a == b)
        return true;
    if (a == NULL || b == NULL || a->id != b->id)
        return false;
    switch (a->id) {
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        return a->precision == b->precision && a->scale == b->scale;
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
    case QV_TYPE_DURATION:
        return a->unit == b->unit;
    case QV_TYPE_TIMESTAMP:
        if (a->unit != b->unit || (a->timezone == NULL) != (b->timezone == NULL))
            return false;
        return a->timezone == NULL || strcmp(a->timezone, b->timezone) == 0;
    case QV_TYPE_FIXED_SIZE_BINARY:
        return a->fixed_size == b->fixed_size;
    case QV_TYPE_DICTIONARY:
        return a->ordered == b->ordered && arrow_type_equal(a->index_type, b->index_type) &&
               arrow_type_equal(a->value_type, b->value_type);
    default:
        break;
    }
    if (a->fixed_size != b->fixed_size || a->keys_sorted != b->keys_sorted ||
        a->n_children != b->n_children)
        return false;
    for (int32_t i = 0; i < a->n_children; i++) {
        const arrow_field *fa = a->children[i], *fb = b->children[i];
        if (fa->nullable != fb->nullable || strcmp(fa->name, fb->name) != 0 ||
            !arrow_type_equal(fa->type, fb->type))
            return false;
    }
    return true;
}

bool arrow_type_is_signed_integer(arrow_type_id id)
{
    return id >= QV_TYPE_INT8 && id <= QV_TYPE_INT64;
}

bool arrow_type_is_integer(arrow_type_id id) { return id >= QV_TYPE_INT8 && id <= QV_TYPE_UINT64; }

bool arrow_type_is_floating(arrow_type_id id)
{
    return id >= QV_TYPE_FLOAT16 && id <= QV_TYPE_FLOAT64;
}

bool arrow_type_is_nested(arrow_type_id id)
{
    return id >= QV_TYPE_LIST && id <= QV_TYPE_MAP;
}

int32_t arrow_type_bit_width(const arrow_type *type)
{
    switch (type->id) {
    case QV_TYPE_BOOLEAN:
        return 1;
    case QV_TYPE_INT8:
    case QV_TYPE_UINT8:
        return 8;
    case QV_TYPE_INT16:
    case QV_TYPE_UINT16:
    case QV_TYPE_FLOAT16:
        return 16;
    case QV_TYPE_INT32:
    case QV_TYPE_UINT32:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIME32:
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        return 32;
    case QV_TYPE_INT64:
    case QV_TYPE_UINT64:
    case QV_TYPE_FLOAT64:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION:
    case QV_TYPE_INTERVAL_DAY_TIME:
        return 64;
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        return 128;
    case QV_TYPE_DECIMAL256:
        return 256;
    case QV_TYPE_FIXED_SIZE_BINARY:
        return type->fixed_size * 8;
    case QV_TYPE_DICTIONARY:
        return arrow_type_bit_width(type->index_type);
    default:
        return 0;
    }
}

static const char *const type_id_names[QV_TYPE_COUNT_] = {
    [QV_TYPE_NULL] = "Null",
    [QV_TYPE_BOOLEAN] = "Boolean",
    [QV_TYPE_INT8] = "Int8",
    [QV_TYPE_INT16] = "Int16",
    [QV_TYPE_INT32] = "Int32",
    [QV_TYPE_INT64] = "Int64",
    [QV_TYPE_UINT8] = "UInt8",
    [QV_TYPE_UINT16] = "UInt16",
    [QV_TYPE_UINT32] = "UInt32",
    [QV_TYPE_UINT64] = "UInt64",
    [QV_TYPE_FLOAT16] = "Float16",
    [QV_TYPE_FLOAT32] = "Float32",
    [QV_TYPE_FLOAT64] = "Float64",
    [QV_TYPE_DECIMAL128] = "Decimal128",
    [QV_TYPE_DECIMAL256] = "Decimal256",
    [QV_TYPE_UTF8] = "Utf8",
    [QV_TYPE_LARGE_UTF8] = "LargeUtf8",
    [QV_TYPE_UTF8_VIEW] = "Utf8View",
    [QV_TYPE_BINARY] = "Binary",
    [QV_TYPE_LARGE_BINARY] = "LargeBinary",
    [QV_TYPE_BINARY_VIEW] = "BinaryView",
    [QV_TYPE_FIXED_SIZE_BINARY] = "FixedSizeBinary",
    [QV_TYPE_DATE32] = "Date32",
    [QV_TYPE_DATE64] = "Date64",
    [QV_TYPE_TIME32] = "Time32",
    [QV_TYPE_TIME64] = "Time64",
    [QV_TYPE_TIMESTAMP] = "Timestamp",
    [QV_TYPE_DURATION] = "Duration",
    [QV_TYPE_INTERVAL_YEAR_MONTH] = "Interval(YearMonth)",
    [QV_TYPE_INTERVAL_DAY_TIME] = "Interval(DayTime)",
    [QV_TYPE_INTERVAL_MONTH_DAY_NANO] = "Interval(MonthDayNano)",
    [QV_TYPE_LIST] = "List",
    [QV_TYPE_LARGE_LIST] = "LargeList",
    [QV_TYPE_FIXED_SIZE_LIST] = "FixedSizeList",
    [QV_TYPE_STRUCT] = "Struct",
    [QV_TYPE_MAP] = "Map",
    [QV_TYPE_DICTIONARY] = "Dictionary",
    [QV_TYPE_RUN_END_ENCODED] = "RunEndEncoded",
};

const char *arrow_type_id_name(arrow_type_id id)
{
    if ((int)id < 0 || id >= QV_TYPE_COUNT_)
        return "unknown type";
    return type_id_names[id];
}
