/*
 * bind_type.c — SQL type names to Arrow types (layer: plan), as DataFusion's
 * SQL planner maps them (VARCHAR -> Utf8View, INT -> Int32, DECIMAL ->
 * Decimal128(38, 10), TIMESTAMP -> Timestamp(ns), ...).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan/bind_int.h"

static bool name_is(const sql_node *type, const char *name)
{
    return strcasecmp(type->text, name) == 0;
}

/* Integer parameter i of a named type, or dflt when absent. */
static qv_status param(const sql_node *type, uint32_t i, int64_t dflt, int64_t *out, qv_error *err)
{
    const sql_node *params = sql_kid(type, 0);
    const sql_node *p = params != NULL && i < params->n_kids ? params->kids[i] : NULL;
    if (p == NULL) {
        *out = dflt;
        return QV_OK;
    }
    if (p->kind != SQL_LITERAL || p->op != SQL_LIT_INTEGER)
        return bind_error(err, QV_PLAN, p, "Error during planning: Invalid type parameter");
    *out = strtoll(p->text, NULL, 10);
    return QV_OK;
}

/* time_zone: the session's, which WITH TIME ZONE types take (DataFusion's
 * convert_data_type); NULL: none. */
static qv_status named(const sql_node *type, const char *time_zone, arrow_type **out, qv_error *err)
{
    bool uns = (type->flags & SQL_F_UNSIGNED) != 0;
    static const struct {
        const char *name;
        arrow_type_id id, unsigned_id;
    } simple[] = {
        {"TINYINT", QV_TYPE_INT8, QV_TYPE_UINT8},
        {"SMALLINT", QV_TYPE_INT16, QV_TYPE_UINT16},
        {"INT2", QV_TYPE_INT16, QV_TYPE_UINT16},
        {"INT", QV_TYPE_INT32, QV_TYPE_UINT32},
        {"INTEGER", QV_TYPE_INT32, QV_TYPE_UINT32},
        {"INT4", QV_TYPE_INT32, QV_TYPE_UINT32},
        {"MEDIUMINT", QV_TYPE_INT32, QV_TYPE_UINT32},
        {"BIGINT", QV_TYPE_INT64, QV_TYPE_UINT64},
        {"INT8", QV_TYPE_INT64, QV_TYPE_UINT64},
        {"INT64", QV_TYPE_INT64, QV_TYPE_UINT64},
        {"INT32", QV_TYPE_INT32, QV_TYPE_UINT32},
        {"INT16", QV_TYPE_INT16, QV_TYPE_UINT16},
        {"UINT8", QV_TYPE_UINT8, QV_TYPE_UINT8},
        {"UINT16", QV_TYPE_UINT16, QV_TYPE_UINT16},
        {"UINT32", QV_TYPE_UINT32, QV_TYPE_UINT32},
        {"UINT64", QV_TYPE_UINT64, QV_TYPE_UINT64},
        {"REAL", QV_TYPE_FLOAT32, QV_TYPE_FLOAT32},
        {"FLOAT4", QV_TYPE_FLOAT32, QV_TYPE_FLOAT32},
        {"FLOAT32", QV_TYPE_FLOAT32, QV_TYPE_FLOAT32},
        {"DOUBLE", QV_TYPE_FLOAT64, QV_TYPE_FLOAT64},
        {"DOUBLE PRECISION", QV_TYPE_FLOAT64, QV_TYPE_FLOAT64},
        {"FLOAT8", QV_TYPE_FLOAT64, QV_TYPE_FLOAT64},
        {"FLOAT64", QV_TYPE_FLOAT64, QV_TYPE_FLOAT64},
        {"BOOLEAN", QV_TYPE_BOOLEAN, QV_TYPE_BOOLEAN},
        {"BOOL", QV_TYPE_BOOLEAN, QV_TYPE_BOOLEAN},
        {"DATE", QV_TYPE_DATE32, QV_TYPE_DATE32},
        {"BYTEA", QV_TYPE_BINARY, QV_TYPE_BINARY},
        {"BINARY", QV_TYPE_BINARY, QV_TYPE_BINARY},
        {"VARBINARY", QV_TYPE_BINARY, QV_TYPE_BINARY},
        {"BLOB", QV_TYPE_BINARY, QV_TYPE_BINARY},
        {"NULL", QV_TYPE_NULL, QV_TYPE_NULL},
    };
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
        if (name_is(type, simple[i].name)) {
            *out = arrow_type_primitive(uns ? simple[i].unsigned_id : simple[i].id);
            return QV_OK;
        }
    if (name_is(type, "FLOAT")) {
        /* DataFusion maps FLOAT (with any precision) to Float32. */
        *out = arrow_type_primitive(QV_TYPE_FLOAT32);
        return QV_OK;
    }
    static const char *const strings[] = {"VARCHAR",      "TEXT",      "STRING",
                                          "CHAR",         "CHARACTER", "CHARACTER VARYING",
                                          "CHAR VARYING", "NVARCHAR"};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (name_is(type, strings[i])) {
            /* datafusion.sql_parser.map_string_types_to_utf8view (default true) */
            *out = arrow_type_primitive(QV_TYPE_UTF8_VIEW);
            return QV_OK;
        }
    if (name_is(type, "DECIMAL") || name_is(type, "NUMERIC") || name_is(type, "DEC")) {
        int64_t p = 38, s = 10;
        QV_TRY(param(type, 0, 38, &p, err));
        QV_TRY(param(type, 1, sql_kid(sql_kid(type, 0), 0) != NULL ? 0 : 10, &s, err));
        if (p < 1 || p > 76 || s > p)
            return bind_error(err, QV_PLAN, type,
                              "Error during planning: Decimal(precision = %lld, scale = %lld) "
                              "should satisfy `0 < precision <= 76`, and `scale <= precision`.",
                              (long long)p, (long long)s);
        return arrow_type_decimal(p > 38 ? QV_TYPE_DECIMAL256 : QV_TYPE_DECIMAL128, (int32_t)p,
                                  (int32_t)s, out, err);
    }
    if (name_is(type, "TIMESTAMP") || name_is(type, "DATETIME")) {
        int64_t p = 9;
        QV_TRY(param(type, 0, 9, &p, err));
        arrow_time_unit unit = p <= 0   ? QV_UNIT_SECOND
                               : p <= 3 ? QV_UNIT_MILLISECOND
                               : p <= 6 ? QV_UNIT_MICROSECOND
                                        : QV_UNIT_NANOSECOND;
        const char *tz = (type->flags & SQL_F_WITH_TZ) ? time_zone : NULL;
        return arrow_type_timestamp(unit, tz, out, err);
    }
    if (name_is(type, "TIMESTAMPTZ"))
        return arrow_type_timestamp(QV_UNIT_NANOSECOND, time_zone, out, err);
    if (name_is(type, "TIME"))
        return arrow_type_time(QV_TYPE_TIME64, QV_UNIT_NANOSECOND, out, err);
    if (name_is(type, "INTERVAL")) {
        *out = arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO);
        return QV_OK;
    }
    return bind_error(err, QV_NOT_IMPLEMENTED, type,
                      "This feature is not implemented: Unsupported SQL type %s", type->text);
}

qv_status plan_bind_type(plan_ctx *ctx, const sql_node *type, arrow_type **out, qv_error *err)
{
    *out = NULL;
    switch (type->op) {
    case SQL_TYPE_NAMED:
        return named(type, ctx->options.time_zone, out, err);
    case SQL_TYPE_ARRAY:
    case SQL_TYPE_ARRAY_ANGLE: {
        arrow_type *item = NULL;
        QV_TRY(plan_bind_type(ctx, sql_kid(type, 0), &item, err));
        const sql_node *size = type->op == SQL_TYPE_ARRAY ? sql_kid(type, 1) : NULL;
        qv_status st;
        if (size != NULL) { /* elem[n]: FixedSizeList(n, elem) */
            arrow_field *field = NULL;
            long n = strtol(size->text ? size->text : "", NULL, 10);
            st = n < 0 || n > INT32_MAX
                     ? bind_error(err, QV_PLAN, size, "Error during planning: invalid array size")
                     : arrow_field_new("item", item, true, NULL, &field, err);
            if (st == QV_OK)
                st = arrow_type_fixed_size_list(field, (int32_t)n, out, err);
            arrow_field_release(field);
        } else {
            st = arrow_type_list_of(QV_TYPE_LIST, item, out, err);
        }
        arrow_type_release(item);
        return st;
    }
    case SQL_TYPE_STRUCT: {
        const sql_node *defs = sql_kid(type, 0);
        int32_t n = defs ? (int32_t)defs->n_kids : 0;
        arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
        if (fields == NULL)
            return base_error_nomem(err, "struct type");
        qv_status st = QV_OK;
        for (int32_t i = 0; i < n && st == QV_OK; i++) {
            const sql_node *def = defs->kids[i];
            arrow_type *ft = NULL;
            st = plan_bind_type(ctx, sql_kid(def, 1), &ft, err);
            char fallback[32];
            snprintf(fallback, sizeof fallback, "c%d", i);
            const char *name = sql_kid(def, 0) ? plan_ident(ctx, sql_kid(def, 0)) : fallback;
            if (st == QV_OK)
                st = arrow_field_new(name ? name : fallback, ft, true, NULL, &fields[i], err);
            arrow_type_release(ft);
        }
        if (st == QV_OK)
            st = arrow_type_struct(n, fields, out, err);
        for (int32_t i = 0; i < n; i++)
            arrow_field_release(fields[i]);
        base_free(fields);
        return st;
    }
    case SQL_TYPE_MAP: { /* MAP<K, V> / MAP(K, V) */
        arrow_type *key = NULL, *value = NULL;
        QV_TRY(plan_bind_type(ctx, sql_kid(type, 0), &key, err));
        qv_status st = plan_bind_type(ctx, sql_kid(type, 1), &value, err);
        if (st == QV_OK)
            st = func_map_type(key, value, out, err);
        arrow_type_release(key);
        arrow_type_release(value);
        return st;
    }
    default:
        return bind_error(err, QV_NOT_IMPLEMENTED, type,
                          "This feature is not implemented: Unsupported SQL type");
    }
}
