/*
 * type_parse.c — parsing DataFusion's data type names (layer: arrow): the
 * inverse of arrow_type_format, plus the older arrow-rs spellings still
 * accepted by arrow_cast ("Timestamp(Nanosecond, Some(\"UTC\"))",
 * "Duration(Second)", "Time32(Millisecond)", "List(nullable Int64)").
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow.h"

typedef struct parser {
    const char *text;
    const char *p;
    qv_error *err;
} parser;

static void skip_space(parser *ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

static qv_status fail(parser *ps)
{
    return base_error_set(ps->err, QV_PLAN,
                          "Error during planning: Unsupported type '%s'. Must be a supported "
                          "arrow type name such as 'Int32' or 'Timestamp(ns)'. Error unrecognized "
                          "word: %.*s",
                          ps->text, (int)strcspn(ps->p, "(), "), ps->p);
}

/* Reads an identifier-like word (letters, digits, _ and µ). */
static size_t word(parser *ps, const char **start)
{
    skip_space(ps);
    *start = ps->p;
    while (isalnum((unsigned char)*ps->p) || *ps->p == '_' || (unsigned char)*ps->p >= 0x80)
        ps->p++;
    return (size_t)(ps->p - *start);
}

static bool accept(parser *ps, char c)
{
    skip_space(ps);
    if (*ps->p == c) {
        ps->p++;
        return true;
    }
    return false;
}

static bool is_word(const char *w, size_t n, const char *s)
{
    return strlen(s) == n && memcmp(w, s, n) == 0;
}

static qv_status number(parser *ps, int64_t *out)
{
    skip_space(ps);
    char *end;
    long long v = strtoll(ps->p, &end, 10);
    if (end == ps->p)
        return fail(ps);
    ps->p = end;
    *out = v;
    return QV_OK;
}

static qv_status unit(parser *ps, arrow_time_unit *out)
{
    const char *w;
    size_t n = word(ps, &w);
    if (is_word(w, n, "Second") || is_word(w, n, "s"))
        *out = QV_UNIT_SECOND;
    else if (is_word(w, n, "Millisecond") || is_word(w, n, "ms"))
        *out = QV_UNIT_MILLISECOND;
    else if (is_word(w, n, "Microsecond") || is_word(w, n, "us") || is_word(w, n, "µs"))
        *out = QV_UNIT_MICROSECOND;
    else if (is_word(w, n, "Nanosecond") || is_word(w, n, "ns"))
        *out = QV_UNIT_NANOSECOND;
    else {
        ps->p = w;
        return fail(ps);
    }
    return QV_OK;
}

/* A quoted string; *out is a copy (base_free). */
static qv_status quoted(parser *ps, char **out)
{
    skip_space(ps);
    if (*ps->p != '"')
        return fail(ps);
    const char *start = ++ps->p;
    while (*ps->p && *ps->p != '"')
        ps->p++;
    if (*ps->p != '"')
        return fail(ps);
    *out = base_strndup(start, (size_t)(ps->p - start));
    ps->p++;
    return *out ? QV_OK : base_error_nomem(ps->err, "type name");
}

static qv_status parse_type(parser *ps, arrow_type **out);

static qv_status parse_timestamp(parser *ps, arrow_type **out)
{
    arrow_time_unit u;
    if (!accept(ps, '('))
        return fail(ps);
    QV_TRY(unit(ps, &u));
    char *tz = NULL;
    if (accept(ps, ',')) {
        const char *w;
        size_t n = word(ps, &w);
        if (is_word(w, n, "Some")) {
            if (!accept(ps, '('))
                return fail(ps);
            QV_TRY(quoted(ps, &tz));
            if (!accept(ps, ')')) {
                base_free(tz);
                return fail(ps);
            }
        } else if (n == 0) {
            QV_TRY(quoted(ps, &tz));
        } else if (!is_word(w, n, "None")) {
            ps->p = w;
            return fail(ps);
        }
    }
    qv_status st = accept(ps, ')') ? arrow_type_timestamp(u, tz, out, ps->err) : fail(ps);
    base_free(tz);
    return st;
}

/* The item of a list: "Int64", "nullable Int64", or a field "Field { ... }"
 * which is not supported. */
static qv_status list_item(parser *ps, arrow_field **out)
{
    const char *save = ps->p;
    const char *w;
    size_t n = word(ps, &w);
    bool nullable = true;
    if (is_word(w, n, "nullable"))
        nullable = true;
    else if (is_word(w, n, "non") && accept(ps, '-')) {
        n = word(ps, &w);
        nullable = false;
    } else
        ps->p = save;
    arrow_type *item = NULL;
    QV_TRY(parse_type(ps, &item));
    qv_status st = arrow_field_new("item", item, nullable, NULL, out, ps->err);
    arrow_type_release(item);
    return st;
}

static qv_status parse_type(parser *ps, arrow_type **out)
{
    const char *w;
    size_t n = word(ps, &w);
    static const struct {
        const char *name;
        arrow_type_id id;
    } simple[] = {
        {"Null", QV_TYPE_NULL},           {"Boolean", QV_TYPE_BOOLEAN},
        {"Int8", QV_TYPE_INT8},           {"Int16", QV_TYPE_INT16},
        {"Int32", QV_TYPE_INT32},         {"Int64", QV_TYPE_INT64},
        {"UInt8", QV_TYPE_UINT8},         {"UInt16", QV_TYPE_UINT16},
        {"UInt32", QV_TYPE_UINT32},       {"UInt64", QV_TYPE_UINT64},
        {"Float16", QV_TYPE_FLOAT16},     {"Float32", QV_TYPE_FLOAT32},
        {"Float64", QV_TYPE_FLOAT64},     {"Utf8", QV_TYPE_UTF8},
        {"LargeUtf8", QV_TYPE_LARGE_UTF8}, {"Utf8View", QV_TYPE_UTF8_VIEW},
        {"Binary", QV_TYPE_BINARY},       {"LargeBinary", QV_TYPE_LARGE_BINARY},
        {"BinaryView", QV_TYPE_BINARY_VIEW}, {"Date32", QV_TYPE_DATE32},
        {"Date64", QV_TYPE_DATE64},
    };
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
        if (is_word(w, n, simple[i].name)) {
            *out = arrow_type_primitive(simple[i].id);
            return QV_OK;
        }
    if (is_word(w, n, "Timestamp"))
        return parse_timestamp(ps, out);
    if (is_word(w, n, "Time32") || is_word(w, n, "Time64") || is_word(w, n, "Duration")) {
        arrow_time_unit u;
        if (!accept(ps, '('))
            return fail(ps);
        QV_TRY(unit(ps, &u));
        if (!accept(ps, ')'))
            return fail(ps);
        if (is_word(w, n, "Duration"))
            return arrow_type_duration(u, out, ps->err);
        return arrow_type_time(is_word(w, n, "Time32") ? QV_TYPE_TIME32 : QV_TYPE_TIME64, u, out,
                               ps->err);
    }
    if (is_word(w, n, "Interval")) {
        const char *k;
        if (!accept(ps, '('))
            return fail(ps);
        size_t kn = word(ps, &k);
        if (!accept(ps, ')'))
            return fail(ps);
        if (is_word(k, kn, "YearMonth"))
            *out = arrow_type_primitive(QV_TYPE_INTERVAL_YEAR_MONTH);
        else if (is_word(k, kn, "DayTime"))
            *out = arrow_type_primitive(QV_TYPE_INTERVAL_DAY_TIME);
        else if (is_word(k, kn, "MonthDayNano"))
            *out = arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO);
        else
            return fail(ps);
        return QV_OK;
    }
    if (is_word(w, n, "Decimal128") || is_word(w, n, "Decimal256") || is_word(w, n, "Decimal32") ||
        is_word(w, n, "Decimal64")) {
        int64_t p, s;
        if (!accept(ps, '('))
            return fail(ps);
        QV_TRY(number(ps, &p));
        if (!accept(ps, ','))
            return fail(ps);
        QV_TRY(number(ps, &s));
        if (!accept(ps, ')'))
            return fail(ps);
        if (is_word(w, n, "Decimal32") || is_word(w, n, "Decimal64"))
            return base_error_set(ps->err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: %.*s is not supported", (int)n,
                                  w);
        return arrow_type_decimal(is_word(w, n, "Decimal256") ? QV_TYPE_DECIMAL256
                                                              : QV_TYPE_DECIMAL128,
                                  (int32_t)p, (int32_t)s, out, ps->err);
    }
    if (is_word(w, n, "FixedSizeBinary")) {
        int64_t width;
        if (!accept(ps, '('))
            return fail(ps);
        QV_TRY(number(ps, &width));
        if (!accept(ps, ')'))
            return fail(ps);
        return arrow_type_fixed_size_binary((int32_t)width, out, ps->err);
    }
    if (is_word(w, n, "List") || is_word(w, n, "LargeList")) {
        if (!accept(ps, '('))
            return fail(ps);
        arrow_field *item = NULL;
        QV_TRY(list_item(ps, &item));
        qv_status st = accept(ps, ')') ? arrow_type_list(is_word(w, n, "List") ? QV_TYPE_LIST
                                                                                : QV_TYPE_LARGE_LIST,
                                                         item, out, ps->err)
                                       : fail(ps);
        arrow_field_release(item);
        return st;
    }
    if (is_word(w, n, "FixedSizeList")) {
        int64_t size;
        if (!accept(ps, '('))
            return fail(ps);
        QV_TRY(number(ps, &size));
        if (!accept(ps, ','))
            return fail(ps);
        arrow_field *item = NULL;
        QV_TRY(list_item(ps, &item));
        qv_status st = accept(ps, ')')
                           ? arrow_type_fixed_size_list(item, (int32_t)size, out, ps->err)
                           : fail(ps);
        arrow_field_release(item);
        return st;
    }
    if (is_word(w, n, "Dictionary")) {
        arrow_type *key = NULL, *value = NULL;
        if (!accept(ps, '('))
            return fail(ps);
        QV_TRY(parse_type(ps, &key));
        qv_status st = accept(ps, ',') ? parse_type(ps, &value) : fail(ps);
        if (st == QV_OK)
            st = accept(ps, ')') ? arrow_type_dictionary(key, value, false, out, ps->err)
                                 : fail(ps);
        arrow_type_release(key);
        arrow_type_release(value);
        return st;
    }
    ps->p = w;
    return fail(ps);
}

qv_status arrow_type_parse(const char *text, arrow_type **out, qv_error *err)
{
    *out = NULL;
    parser ps = {text, text, err};
    skip_space(&ps);
    if (*ps.p == '\0')
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: arrow_cast requires its second argument to be a "
                              "non-empty constant string");
    QV_TRY(parse_type(&ps, out));
    skip_space(&ps);
    if (*ps.p != '\0') {
        arrow_type_release(*out);
        *out = NULL;
        return fail(&ps);
    }
    return QV_OK;
}
