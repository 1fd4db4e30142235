/*
 * test_format.c — type names (arrow_typeof), value formatting as DataFusion
 * displays it, sqllogictest rendering and column letters, and the CLI table
 * printer. Arrays are assembled directly from buffers (the layouts of
 * arrow.h), so these tests do not depend on the builders.
 */
#include <math.h>
#include <stdio.h>

#include "arrow/arrow.h"
#include "arrow/format_slt.h"
#include "test.h"

/* ---- helpers: each returns a new reference or NULL; they take ownership of
 * the type and child references passed in ---- */

static base_strbuf text_sb; /* reused by fmt_*; reachable, so never a leak */

static const char *fmt_value(const arrow_array *array, int64_t i)
{
    qv_error err;
    base_strbuf_clear(&text_sb);
    if (arrow_format_value(array, i, &text_sb, &err) != QV_OK)
        return "<error>";
    return base_strbuf_cstr(&text_sb);
}

static const char *fmt_slt(const arrow_array *array, int64_t i)
{
    qv_error err;
    base_strbuf_clear(&text_sb);
    if (arrow_format_slt_value(array, i, &text_sb, &err) != QV_OK)
        return "<error>";
    return base_strbuf_cstr(&text_sb);
}

static const char *type_name(arrow_type *type)
{
    base_strbuf_clear(&text_sb);
    arrow_type_format(type, &text_sb);
    arrow_type_release(type);
    return base_strbuf_cstr(&text_sb);
}

static arrow_buffer *bytes_buffer(const void *data, int64_t size)
{
    arrow_buffer *buffer = NULL;
    if (arrow_buffer_copy(data, size, &buffer, NULL) != QV_OK)
        return NULL;
    return buffer;
}

/* A validity bitmap for valid[0..n), or NULL when valid is NULL. */
static arrow_buffer *validity_buffer(const bool *valid, int64_t n)
{
    if (valid == NULL)
        return NULL;
    arrow_buffer *buffer = NULL;
    if (arrow_buffer_new((n + 7) / 8, &buffer, NULL) != QV_OK)
        return NULL;
    for (int64_t k = 0; k < n; k++)
        arrow_bit_set(buffer->data, k, valid[k]);
    return buffer;
}

static arrow_array *assemble(arrow_type *type, int64_t n, int32_t n_buffers, arrow_buffer **buffers,
                             int32_t n_children, arrow_array **children, arrow_array *dictionary)
{
    arrow_array *array = NULL;
    arrow_array_new(type, n, -1, 0, n_buffers, buffers, n_children, children, dictionary, &array,
                    NULL);
    for (int32_t k = 0; k < n_buffers; k++)
        arrow_buffer_release(buffers[k]);
    for (int32_t k = 0; k < n_children; k++)
        arrow_array_release(children[k]);
    arrow_array_release(dictionary);
    arrow_type_release(type);
    return array;
}

/* Fixed-width values (or dictionary indices when dictionary is given). */
static arrow_array *fixed_array(arrow_type *type, const void *values, int64_t n, int64_t width,
                                const bool *valid, arrow_array *dictionary)
{
    arrow_buffer *buffers[2] = {validity_buffer(valid, n), bytes_buffer(values, n * width)};
    return assemble(type, n, 2, buffers, 0, NULL, dictionary);
}

static arrow_array *bool_array(const bool *values, int64_t n, const bool *valid)
{
    arrow_buffer *buffers[2] = {validity_buffer(valid, n), validity_buffer(values, n)};
    return assemble(arrow_type_primitive(QV_TYPE_BOOLEAN), n, 2, buffers, 0, NULL, NULL);
}

/* UTF8 / BINARY (int32 offsets) or LARGE_* (int64); strs[k] NULL is a null.
 * lens may be NULL (then strlen). */
static arrow_array *string_array(arrow_type_id id, const char *const *strs, const int64_t *lens,
                                 int64_t n)
{
    bool large = id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_LARGE_BINARY;
    int64_t offsets64[16] = {0};
    int32_t offsets32[16] = {0};
    bool valid[16];
    char data[512];
    int64_t size = 0;
    for (int64_t k = 0; k < n; k++) {
        valid[k] = strs[k] != NULL;
        int64_t len = strs[k] == NULL ? 0 : lens ? lens[k] : (int64_t)strlen(strs[k]);
        if (len > 0)
            memcpy(data + size, strs[k], (size_t)len);
        size += len;
        offsets64[k + 1] = size;
        offsets32[k + 1] = (int32_t)size;
    }
    arrow_buffer *buffers[3] = {validity_buffer(valid, n),
                                large ? bytes_buffer(offsets64, 8 * (n + 1))
                                      : bytes_buffer(offsets32, 4 * (n + 1)),
                                bytes_buffer(data, size)};
    return assemble(arrow_type_primitive(id), n, 3, buffers, 0, NULL, NULL);
}

/* UTF8_VIEW / BINARY_VIEW; long strings go to one data buffer. */
static arrow_array *view_array(arrow_type_id id, const char *const *strs, int64_t n)
{
    uint8_t views[16 * 16] = {0};
    bool valid[16];
    char data[512];
    int32_t size = 0;
    for (int64_t k = 0; k < n; k++) {
        valid[k] = strs[k] != NULL;
        if (strs[k] == NULL)
            continue;
        int32_t len = (int32_t)strlen(strs[k]);
        uint8_t *view = views + 16 * k;
        memcpy(view, &len, 4);
        if (len <= 12) {
            memcpy(view + 4, strs[k], (size_t)len);
        } else {
            int32_t buffer_index = 0;
            memcpy(view + 4, strs[k], 4);
            memcpy(view + 8, &buffer_index, 4);
            memcpy(view + 12, &size, 4);
            memcpy(data + size, strs[k], (size_t)len);
            size += len;
        }
    }
    arrow_buffer *buffers[3] = {validity_buffer(valid, n), bytes_buffer(views, 16 * n),
                                bytes_buffer(data, size)};
    return assemble(arrow_type_primitive(id), n, 3, buffers, 0, NULL, NULL);
}

/* LIST or MAP with int32 offsets[0..n]. */
static arrow_array *list_array(arrow_type *type, const int32_t *offsets, int64_t n,
                               arrow_array *child, const bool *valid)
{
    arrow_buffer *buffers[2] = {validity_buffer(valid, n), bytes_buffer(offsets, 4 * (n + 1))};
    return assemble(type, n, 2, buffers, 1, &child, NULL);
}

/* STRUCT or FIXED_SIZE_LIST. */
static arrow_array *nested_array(arrow_type *type, int64_t n, int32_t n_children,
                                 arrow_array **children, const bool *valid)
{
    arrow_buffer *buffers[1] = {validity_buffer(valid, n)};
    return assemble(type, n, 1, buffers, n_children, children, NULL);
}

static arrow_field *field_of(const char *name, arrow_type *type, bool nullable)
{
    arrow_field *field = NULL;
    arrow_field_new(name, type, nullable, NULL, &field, NULL);
    arrow_type_release(type);
    return field;
}

static arrow_type *struct_of(int32_t n, arrow_field **fields)
{
    arrow_type *type = NULL;
    arrow_type_struct(n, fields, &type, NULL);
    for (int32_t k = 0; k < n; k++)
        arrow_field_release(fields[k]);
    return type;
}

static arrow_type *list_of(arrow_type_id id, arrow_type *item)
{
    arrow_type *type = NULL;
    arrow_type_list_of(id, item, &type, NULL);
    arrow_type_release(item);
    return type;
}

static arrow_type *timestamp_of(arrow_time_unit unit, const char *tz)
{
    arrow_type *type = NULL;
    arrow_type_timestamp(unit, tz, &type, NULL);
    return type;
}

static arrow_type *map_of(arrow_type *key, arrow_type *value, bool sorted)
{
    arrow_field *kv[2] = {field_of("key", key, false), field_of("value", value, true)};
    arrow_field *entries = field_of("entries", struct_of(2, kv), false);
    arrow_type *type = NULL;
    arrow_type_map(entries, sorted, &type, NULL);
    arrow_field_release(entries);
    return type;
}

#define PRIM(id) arrow_type_primitive(QV_TYPE_##id)

/* ---- type names ---- */

TEST(format_type_names_of_simple_types)
{
    CHECK_STR_EQ(type_name(PRIM(NULL)), "Null");
    CHECK_STR_EQ(type_name(PRIM(BOOLEAN)), "Boolean");
    CHECK_STR_EQ(type_name(PRIM(INT8)), "Int8");
    CHECK_STR_EQ(type_name(PRIM(INT64)), "Int64");
    CHECK_STR_EQ(type_name(PRIM(UINT16)), "UInt16");
    CHECK_STR_EQ(type_name(PRIM(UINT64)), "UInt64");
    CHECK_STR_EQ(type_name(PRIM(FLOAT16)), "Float16");
    CHECK_STR_EQ(type_name(PRIM(FLOAT32)), "Float32");
    CHECK_STR_EQ(type_name(PRIM(FLOAT64)), "Float64");
    CHECK_STR_EQ(type_name(PRIM(UTF8)), "Utf8");
    CHECK_STR_EQ(type_name(PRIM(LARGE_UTF8)), "LargeUtf8");
    CHECK_STR_EQ(type_name(PRIM(UTF8_VIEW)), "Utf8View");
    CHECK_STR_EQ(type_name(PRIM(BINARY)), "Binary");
    CHECK_STR_EQ(type_name(PRIM(LARGE_BINARY)), "LargeBinary");
    CHECK_STR_EQ(type_name(PRIM(BINARY_VIEW)), "BinaryView");
    CHECK_STR_EQ(type_name(PRIM(DATE32)), "Date32");
    CHECK_STR_EQ(type_name(PRIM(DATE64)), "Date64");
    CHECK_STR_EQ(type_name(PRIM(INTERVAL_YEAR_MONTH)), "Interval(YearMonth)");
    CHECK_STR_EQ(type_name(PRIM(INTERVAL_DAY_TIME)), "Interval(DayTime)");
    CHECK_STR_EQ(type_name(PRIM(INTERVAL_MONTH_DAY_NANO)), "Interval(MonthDayNano)");
}

TEST(format_type_names_of_parameterised_types)
{
    qv_error err;
    arrow_type *type;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL128, 38, 10, &type, &err));
    CHECK_STR_EQ(type_name(type), "Decimal128(38, 10)");
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL256, 50, -2, &type, &err));
    CHECK_STR_EQ(type_name(type), "Decimal256(50, -2)");
    CHECK_OK(arrow_type_fixed_size_binary(16, &type, &err));
    CHECK_STR_EQ(type_name(type), "FixedSizeBinary(16)");
    CHECK_OK(arrow_type_time(QV_TYPE_TIME32, QV_UNIT_SECOND, &type, &err));
    CHECK_STR_EQ(type_name(type), "Time32(s)");
    CHECK_OK(arrow_type_time(QV_TYPE_TIME64, QV_UNIT_NANOSECOND, &type, &err));
    CHECK_STR_EQ(type_name(type), "Time64(ns)");
    CHECK_OK(arrow_type_duration(QV_UNIT_MILLISECOND, &type, &err));
    CHECK_STR_EQ(type_name(type), "Duration(ms)");
    CHECK_STR_EQ(type_name(timestamp_of(QV_UNIT_NANOSECOND, NULL)), "Timestamp(ns)");
    CHECK_STR_EQ(type_name(timestamp_of(QV_UNIT_MICROSECOND, NULL)), "Timestamp(\xc2\xb5s)");
    CHECK_STR_EQ(type_name(timestamp_of(QV_UNIT_SECOND, "+08:00")), "Timestamp(s, \"+08:00\")");
    CHECK_STR_EQ(type_name(timestamp_of(QV_UNIT_MILLISECOND, "UTC")), "Timestamp(ms, \"UTC\")");
    CHECK_STR_EQ(type_name(list_of(QV_TYPE_LIST, PRIM(INT64))), "List(Int64)");
    CHECK_STR_EQ(type_name(list_of(QV_TYPE_LIST, list_of(QV_TYPE_LIST, PRIM(INT64)))),
                 "List(List(Int64))");
    CHECK_STR_EQ(type_name(list_of(QV_TYPE_LARGE_LIST, PRIM(UTF8))), "LargeList(Utf8)");
    CHECK_OK(arrow_type_list(QV_TYPE_LIST, field_of("foo", PRIM(UINT64), false), &type, &err));
    arrow_field_release(type->children[0]); /* field_of's reference */
    CHECK_STR_EQ(type_name(type), "List(non-null UInt64, field: 'foo')");
    CHECK_OK(arrow_type_fixed_size_list(field_of("item", PRIM(INT64), true), 3, &type, &err));
    arrow_field_release(type->children[0]);
    CHECK_STR_EQ(type_name(type), "FixedSizeList(3 x Int64)");
    arrow_field *fields[2] = {field_of("a", PRIM(INT32), true),
                              field_of("b", PRIM(UTF8_VIEW), false)};
    CHECK_STR_EQ(type_name(struct_of(2, fields)), "Struct(\"a\": Int32, \"b\": non-null Utf8View)");
    arrow_field *nested[1] = {field_of("outer", struct_of(0, NULL), true)};
    CHECK_STR_EQ(type_name(struct_of(1, nested)), "Struct(\"outer\": Struct())");
    CHECK_STR_EQ(type_name(map_of(PRIM(UTF8), PRIM(INT32), false)),
                 "Map(\"entries\": non-null Struct(\"key\": non-null Utf8, \"value\": Int32), "
                 "unsorted)");
    CHECK_OK(arrow_type_dictionary(PRIM(INT32), PRIM(UTF8), false, &type, &err));
    CHECK_STR_EQ(type_name(type), "Dictionary(Int32, Utf8)");
    arrow_field *run_ends = field_of("run_ends", PRIM(INT32), false);
    arrow_field *values = field_of("values", PRIM(UTF8), true);
    CHECK_OK(arrow_type_run_end_encoded(run_ends, values, &type, &err));
    arrow_field_release(run_ends);
    arrow_field_release(values);
    CHECK_STR_EQ(type_name(type), "RunEndEncoded(\"run_ends\": non-null Int32, \"values\": Utf8)");
}

TEST(format_type_names_escape_and_show_metadata)
{
    qv_error err;
    arrow_metadata md = {0};
    CHECK_OK(arrow_metadata_add(&md, "k2", "v\"2", &err));
    CHECK_OK(arrow_metadata_add(&md, "k1", "v1", &err));
    arrow_field *field;
    CHECK_OK(arrow_field_new("a\tb", PRIM(INT32), true, &md, &field, &err));
    arrow_metadata_clear(&md);
    arrow_field *fields[1] = {field};
    CHECK_STR_EQ(type_name(struct_of(1, fields)),
                 "Struct(\"a\\tb\": Int32, metadata: {\"k1\": \"v1\", \"k2\": \"v\\\"2\"})");
}

/* ---- values ---- */

TEST(format_integers_and_booleans)
{
    int8_t i8[3] = {-128, 0, 127};
    int64_t i64[2] = {INT64_MIN, INT64_MAX};
    uint64_t u64[1] = {UINT64_MAX};
    uint16_t u16[1] = {65535};
    bool valid[3] = {true, false, true};
    arrow_array *a = fixed_array(PRIM(INT8), i8, 3, 1, valid, NULL);
    arrow_array *b = fixed_array(PRIM(INT64), i64, 2, 8, NULL, NULL);
    arrow_array *c = fixed_array(PRIM(UINT64), u64, 1, 8, NULL, NULL);
    arrow_array *d = fixed_array(PRIM(UINT16), u16, 1, 2, NULL, NULL);
    bool bits[3] = {true, false, true};
    arrow_array *e = bool_array(bits, 3, valid);
    CHECK(a && b && c && d && e);
    CHECK_STR_EQ(fmt_value(a, 0), "-128");
    CHECK_STR_EQ(fmt_value(a, 1), "NULL");
    CHECK_STR_EQ(fmt_value(a, 2), "127");
    CHECK_STR_EQ(fmt_value(b, 0), "-9223372036854775808");
    CHECK_STR_EQ(fmt_value(b, 1), "9223372036854775807");
    CHECK_STR_EQ(fmt_value(c, 0), "18446744073709551615");
    CHECK_STR_EQ(fmt_value(d, 0), "65535");
    CHECK_STR_EQ(fmt_value(e, 0), "true");
    CHECK_STR_EQ(fmt_value(e, 1), "NULL");
    CHECK_STR_EQ(fmt_slt(e, 2), "true");
    arrow_array *nulls = NULL;
    qv_error err;
    CHECK_OK(arrow_array_new_null(PRIM(NULL), 2, &nulls, &err));
    CHECK_STR_EQ(fmt_value(nulls, 1), "NULL");
    arrow_array_release(nulls);
    arrow_array *sliced;
    CHECK_OK(arrow_array_slice(a, 1, 2, &sliced, &err));
    CHECK_STR_EQ(fmt_value(sliced, 0), "NULL");
    CHECK_STR_EQ(fmt_value(sliced, 1), "127");
    arrow_array_release(sliced);
    arrow_array_release(a);
    arrow_array_release(b);
    arrow_array_release(c);
    arrow_array_release(d);
    arrow_array_release(e);
}

TEST(format_float64_like_ryu)
{
    double values[] = {1.0,
                       0.1,
                       1e20,
                       1.5e-7,
                       1e16,
                       1e15,
                       0.00001,
                       0.000001,
                       -0.0,
                       NAN,
                       INFINITY,
                       -INFINITY,
                       5e-324,
                       1.7976931348623157e308,
                       0.1 + 0.2,
                       -2.5,
                       123456.789,
                       1.2345678901234568e17,
                       9007199254740993.0};
    const char *expected[] = {"1.0",
                              "0.1",
                              "1e20",
                              "1.5e-7",
                              "1e16",
                              "1000000000000000.0",
                              "0.00001",
                              "1e-6",
                              "-0.0",
                              "NaN",
                              "inf",
                              "-inf",
                              "5e-324",
                              "1.7976931348623157e308",
                              "0.30000000000000004",
                              "-2.5",
                              "123456.789",
                              "1.2345678901234568e17",
                              "9007199254740992.0"};
    int n = (int)(sizeof values / sizeof values[0]);
    arrow_array *a = fixed_array(PRIM(FLOAT64), values, n, 8, NULL, NULL);
    CHECK(a != NULL);
    for (int k = 0; k < n; k++)
        CHECK_STR_EQ(fmt_value(a, k), expected[k]);
    arrow_array_release(a);
}

TEST(format_float32_and_float16)
{
    float values[] = {0.1f, 16777216.0f, 1e13f, 1e12f, 1e-5f, 1e-6f, 1e-7f, 3.4028235e38f, 1.1f};
    const char *expected[] = {"0.1",     "16777216.0", "1e13", "1000000000000.0",
                              "0.00001", "0.000001",   "1e-7", "3.4028235e38",
                              "1.1"};
    int n = (int)(sizeof values / sizeof values[0]);
    arrow_array *a = fixed_array(PRIM(FLOAT32), values, n, 4, NULL, NULL);
    CHECK(a != NULL);
    for (int k = 0; k < n; k++)
        CHECK_STR_EQ(fmt_value(a, k), expected[k]);
    CHECK_STR_EQ(fmt_slt(a, 0), "0.1");
    CHECK_STR_EQ(fmt_slt(a, 8), "1.1");
    arrow_array_release(a);
    /* 1.0, 6.80078125, 2.75, -0.0, inf, NaN, smallest subnormal */
    uint16_t halves[] = {0x3c00, 0x46cd, 0x4180, 0x8000, 0x7c00, 0x7e00, 0x0001};
    arrow_array *h = fixed_array(PRIM(FLOAT16), halves, 7, 2, NULL, NULL);
    CHECK(h != NULL);
    CHECK_STR_EQ(fmt_value(h, 0), "1");
    CHECK_STR_EQ(fmt_value(h, 1), "6.8007813");
    CHECK_STR_EQ(fmt_value(h, 2), "2.75");
    CHECK_STR_EQ(fmt_value(h, 3), "-0");
    CHECK_STR_EQ(fmt_value(h, 4), "inf");
    CHECK_STR_EQ(fmt_value(h, 5), "NaN");
    CHECK_STR_EQ(fmt_value(h, 6), "0.000000059604645");
    CHECK_STR_EQ(fmt_slt(h, 1), "6.8007813");
    CHECK_STR_EQ(fmt_slt(h, 3), "0");
    CHECK_STR_EQ(fmt_slt(h, 4), "Infinity");
    arrow_array_release(h);
}

static arrow_array *decimal_array(arrow_type_id id, int32_t precision, int32_t scale,
                                  const int64_t *values, int64_t n)
{
    int width = id == QV_TYPE_DECIMAL128 ? 16 : 32;
    uint8_t bytes[8 * 32];
    for (int64_t k = 0; k < n; k++) {
        memcpy(bytes + width * k, &values[k], 8);
        memset(bytes + width * k + 8, values[k] < 0 ? 0xff : 0, (size_t)width - 8);
    }
    arrow_type *type = NULL;
    arrow_type_decimal(id, precision, scale, &type, NULL);
    return fixed_array(type, bytes, n, width, NULL, NULL);
}

TEST(format_decimals)
{
    int64_t v[] = {150, -5, 0, 10000, -123456789};
    arrow_array *a = decimal_array(QV_TYPE_DECIMAL128, 10, 2, v, 5);
    CHECK(a != NULL);
    CHECK_STR_EQ(fmt_value(a, 0), "1.50");
    CHECK_STR_EQ(fmt_value(a, 1), "-0.05");
    CHECK_STR_EQ(fmt_value(a, 2), "0.00");
    CHECK_STR_EQ(fmt_value(a, 3), "100.00");
    CHECK_STR_EQ(fmt_value(a, 4), "-1234567.89");
    CHECK_STR_EQ(fmt_slt(a, 0), "1.5");
    CHECK_STR_EQ(fmt_slt(a, 1), "-0.05");
    CHECK_STR_EQ(fmt_slt(a, 2), "0");
    CHECK_STR_EQ(fmt_slt(a, 3), "100");
    arrow_array_release(a);
    int64_t w[] = {123, -47, 0};
    arrow_array *negative_scale = decimal_array(QV_TYPE_DECIMAL128, 5, -2, w, 3);
    arrow_array *zero_scale = decimal_array(QV_TYPE_DECIMAL128, 5, 0, w, 3);
    CHECK(negative_scale && zero_scale);
    CHECK_STR_EQ(fmt_value(negative_scale, 0), "12300");
    CHECK_STR_EQ(fmt_value(negative_scale, 1), "-4700");
    CHECK_STR_EQ(fmt_value(negative_scale, 2), "000");
    CHECK_STR_EQ(fmt_value(zero_scale, 1), "-47");
    arrow_array_release(negative_scale);
    arrow_array_release(zero_scale);
    int64_t x[] = {INT64_C(1234567890123456789), -1};
    arrow_array *fine = decimal_array(QV_TYPE_DECIMAL128, 38, 20, x, 2);
    CHECK(fine != NULL);
    CHECK_STR_EQ(fmt_value(fine, 0), "0.01234567890123456789");
    CHECK_STR_EQ(fmt_slt(fine, 0), "0.012345678901");
    CHECK_STR_EQ(fmt_slt(fine, 1), "0");
    arrow_array_release(fine);
}

TEST(format_decimal256_large_values)
{
    /* +-2^200 and -1, Decimal256(76, 10) */
    uint8_t bytes[3 * 32] = {0};
    bytes[25] = 0x01;
    memset(bytes + 32, 0xff, 32);
    memset(bytes + 32, 0, 25);
    memset(bytes + 64, 0xff, 32);
    arrow_type *type = NULL;
    qv_error err;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL256, 76, 10, &type, &err));
    arrow_array *a = fixed_array(type, bytes, 3, 32, NULL, NULL);
    CHECK(a != NULL);
    CHECK_STR_EQ(fmt_value(a, 0), "160693804425899027554196209234116260252220299378279.2835301376");
    CHECK_STR_EQ(fmt_value(a, 1),
                 "-160693804425899027554196209234116260252220299378279.2835301376");
    CHECK_STR_EQ(fmt_value(a, 2), "-0.0000000001");
    CHECK_STR_EQ(fmt_slt(a, 1), "-160693804425899027554196209234116260252220299378279.2835301376");
    CHECK_STR_EQ(fmt_slt(a, 2), "-0.0000000001");
    arrow_array_release(a);
}

TEST(format_strings_and_binary)
{
    const char *strs[] = {"alice", NULL, "", "h\xc3\xa9"};
    arrow_array *utf8 = string_array(QV_TYPE_UTF8, strs, NULL, 4);
    arrow_array *large = string_array(QV_TYPE_LARGE_UTF8, strs, NULL, 4);
    const char *views[] = {"hi", "a string longer than twelve", NULL, ""};
    arrow_array *view = view_array(QV_TYPE_UTF8_VIEW, views, 4);
    const char *bins[] = {"cahello", NULL};
    arrow_array *binary = string_array(QV_TYPE_BINARY, bins, NULL, 2);
    arrow_array *large_binary = string_array(QV_TYPE_LARGE_BINARY, bins, NULL, 2);
    const char *bin_views[] = {"\x01\xff", "0123456789abcdef"};
    arrow_array *binary_view = view_array(QV_TYPE_BINARY_VIEW, bin_views, 2);
    arrow_type *fsb_type = NULL;
    arrow_type_fixed_size_binary(3, &fsb_type, NULL);
    arrow_array *fsb = fixed_array(fsb_type, "abc\x00\x10\xfe", 2, 3, NULL, NULL);
    CHECK(utf8 && large && view && binary && large_binary && binary_view && fsb);
    CHECK_STR_EQ(fmt_value(utf8, 0), "alice");
    CHECK_STR_EQ(fmt_value(utf8, 1), "NULL");
    CHECK_STR_EQ(fmt_value(utf8, 2), "");
    CHECK_STR_EQ(fmt_value(large, 3), "h\xc3\xa9");
    CHECK_STR_EQ(fmt_value(view, 0), "hi");
    CHECK_STR_EQ(fmt_value(view, 1), "a string longer than twelve");
    CHECK_STR_EQ(fmt_value(view, 2), "NULL");
    CHECK_STR_EQ(fmt_slt(view, 3), "(empty)");
    CHECK_STR_EQ(fmt_value(binary, 0), "636168656c6c6f");
    CHECK_STR_EQ(fmt_value(large_binary, 1), "NULL");
    CHECK_STR_EQ(fmt_value(binary_view, 0), "01ff");
    CHECK_STR_EQ(fmt_value(binary_view, 1), "30313233343536373839616263646566");
    CHECK_STR_EQ(fmt_value(fsb, 0), "616263");
    CHECK_STR_EQ(fmt_value(fsb, 1), "0010fe");
    arrow_array_release(utf8);
    arrow_array_release(large);
    arrow_array_release(view);
    arrow_array_release(binary);
    arrow_array_release(large_binary);
    arrow_array_release(binary_view);
    arrow_array_release(fsb);
}

TEST(format_dates_including_far_years)
{
    int32_t days[] = {0, -1, 19000, -719528, -719529, 2932897, INT32_MAX};
    arrow_array *a = fixed_array(PRIM(DATE32), days, 7, 4, NULL, NULL);
    CHECK(a != NULL);
    CHECK_STR_EQ(fmt_value(a, 0), "1970-01-01");
    CHECK_STR_EQ(fmt_value(a, 1), "1969-12-31");
    CHECK_STR_EQ(fmt_value(a, 2), "2022-01-08");
    CHECK_STR_EQ(fmt_value(a, 3), "0000-01-01");
    CHECK_STR_EQ(fmt_value(a, 4), "-0001-12-31");
    CHECK_STR_EQ(fmt_value(a, 5), "+10000-01-01");
    CHECK_STR_EQ(fmt_slt(a, 0), "1970-01-01");
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_error err;
    CHECK_STATUS(arrow_format_value(a, 6, &sb, &err), QV_CAST);
    CHECK_STR_EQ(err.message, "Failed to convert 2147483647 to temporal for Date32");
    base_strbuf_free(&sb);
    arrow_array_release(a);
    int64_t ms[] = {INT64_C(1542067200000), INT64_C(1542067200123), -1};
    arrow_array *d64 = fixed_array(PRIM(DATE64), ms, 3, 8, NULL, NULL);
    CHECK(d64 != NULL);
    CHECK_STR_EQ(fmt_value(d64, 0), "2018-11-13T00:00:00");
    CHECK_STR_EQ(fmt_value(d64, 1), "2018-11-13T00:00:00.123");
    CHECK_STR_EQ(fmt_value(d64, 2), "1969-12-31T23:59:59.999");
    arrow_array_release(d64);
}

TEST(format_times)
{
    qv_error err;
    arrow_type *t32s, *t32ms, *t64us, *t64ns;
    CHECK_OK(arrow_type_time(QV_TYPE_TIME32, QV_UNIT_SECOND, &t32s, &err));
    CHECK_OK(arrow_type_time(QV_TYPE_TIME32, QV_UNIT_MILLISECOND, &t32ms, &err));
    CHECK_OK(arrow_type_time(QV_TYPE_TIME64, QV_UNIT_MICROSECOND, &t64us, &err));
    CHECK_OK(arrow_type_time(QV_TYPE_TIME64, QV_UNIT_NANOSECOND, &t64ns, &err));
    int32_t secs[] = {3661, 86400, -1};
    int32_t millis[] = {3661001, 0};
    int64_t micros[] = {1, 86399999999};
    int64_t nanos[] = {INT64_C(49349190855123), 1000, 1000000};
    arrow_array *a = fixed_array(t32s, secs, 3, 4, NULL, NULL);
    arrow_array *b = fixed_array(t32ms, millis, 2, 4, NULL, NULL);
    arrow_array *c = fixed_array(t64us, micros, 2, 8, NULL, NULL);
    arrow_array *d = fixed_array(t64ns, nanos, 3, 8, NULL, NULL);
    CHECK(a && b && c && d);
    CHECK_STR_EQ(fmt_value(a, 0), "01:01:01");
    CHECK_STR_EQ(fmt_value(a, 1), "<error>");
    CHECK_STR_EQ(fmt_value(a, 2), "<error>");
    CHECK_STR_EQ(fmt_value(b, 0), "01:01:01.001");
    CHECK_STR_EQ(fmt_value(b, 1), "00:00:00");
    CHECK_STR_EQ(fmt_value(c, 0), "00:00:00.000001");
    CHECK_STR_EQ(fmt_value(c, 1), "23:59:59.999999");
    CHECK_STR_EQ(fmt_value(d, 0), "13:42:29.190855123");
    CHECK_STR_EQ(fmt_value(d, 1), "00:00:00.000001");
    CHECK_STR_EQ(fmt_value(d, 2), "00:00:00.001");
    arrow_array_release(a);
    arrow_array_release(b);
    arrow_array_release(c);
    arrow_array_release(d);
}

TEST(format_timestamps_without_time_zone)
{
    int64_t ns[] = {INT64_C(1599572549190855123), INT64_C(1599572549000000000), -1};
    int64_t s[] = {-1, 0, INT64_C(253402300800)};
    arrow_array *a = fixed_array(timestamp_of(QV_UNIT_NANOSECOND, NULL), ns, 3, 8, NULL, NULL);
    arrow_array *b = fixed_array(timestamp_of(QV_UNIT_SECOND, NULL), s, 3, 8, NULL, NULL);
    CHECK(a && b);
    CHECK_STR_EQ(fmt_value(a, 0), "2020-09-08T13:42:29.190855123");
    CHECK_STR_EQ(fmt_value(a, 1), "2020-09-08T13:42:29");
    CHECK_STR_EQ(fmt_value(a, 2), "1969-12-31T23:59:59.999999999");
    CHECK_STR_EQ(fmt_value(b, 0), "1969-12-31T23:59:59");
    CHECK_STR_EQ(fmt_value(b, 1), "1970-01-01T00:00:00");
    CHECK_STR_EQ(fmt_value(b, 2), "+10000-01-01T00:00:00");
    arrow_array_release(a);
    arrow_array_release(b);
    int64_t huge[] = {INT64_MAX};
    arrow_array *c = fixed_array(timestamp_of(QV_UNIT_SECOND, NULL), huge, 1, 8, NULL, NULL);
    CHECK(c != NULL);
    CHECK_STR_EQ(fmt_value(c, 0), "<error>");
    arrow_array_release(c);
}

TEST(format_timestamps_with_fixed_offsets)
{
    int64_t ms[] = {INT64_C(1409148000000), INT64_C(946688461123)};
    arrow_array *utc = fixed_array(timestamp_of(QV_UNIT_MILLISECOND, "UTC"), ms, 2, 8, NULL, NULL);
    arrow_array *plus8 =
        fixed_array(timestamp_of(QV_UNIT_MILLISECOND, "+08:00"), ms, 2, 8, NULL, NULL);
    arrow_array *minus =
        fixed_array(timestamp_of(QV_UNIT_MILLISECOND, "-0530"), ms, 2, 8, NULL, NULL);
    arrow_array *short_form =
        fixed_array(timestamp_of(QV_UNIT_MILLISECOND, "+08"), ms, 2, 8, NULL, NULL);
    arrow_array *zero =
        fixed_array(timestamp_of(QV_UNIT_MILLISECOND, "+00:00"), ms, 2, 8, NULL, NULL);
    CHECK(utc && plus8 && minus && short_form && zero);
    CHECK_STR_EQ(fmt_value(utc, 0), "2014-08-27T14:00:00Z");
    CHECK_STR_EQ(fmt_value(utc, 1), "2000-01-01T01:01:01.123Z");
    CHECK_STR_EQ(fmt_value(plus8, 1), "2000-01-01T09:01:01.123+08:00");
    CHECK_STR_EQ(fmt_value(minus, 1), "1999-12-31T19:31:01.123-05:30");
    CHECK_STR_EQ(fmt_value(short_form, 0), "2014-08-27T22:00:00+08:00");
    CHECK_STR_EQ(fmt_value(zero, 0), "2014-08-27T14:00:00Z");
    CHECK_STR_EQ(fmt_slt(plus8, 0), "2014-08-27T22:00:00+08:00");
    arrow_array_release(utc);
    arrow_array_release(plus8);
    arrow_array_release(minus);
    arrow_array_release(short_form);
    arrow_array_release(zero);
}

TEST(format_timestamps_with_named_zones)
{
    int64_t s[] = {INT64_C(1593561600), INT64_C(1577836800), INT64_C(4118083200),
                   INT64_C(-5364662400), INT64_C(1603587600)};
    arrow_array *berlin =
        fixed_array(timestamp_of(QV_UNIT_SECOND, "Europe/Berlin"), s, 5, 8, NULL, NULL);
    arrow_array *new_york =
        fixed_array(timestamp_of(QV_UNIT_SECOND, "America/New_York"), s, 2, 8, NULL, NULL);
    arrow_array *kolkata =
        fixed_array(timestamp_of(QV_UNIT_SECOND, "Asia/Kolkata"), s, 1, 8, NULL, NULL);
    arrow_array *bad =
        fixed_array(timestamp_of(QV_UNIT_SECOND, "Mars/Olympus_Mons"), s, 1, 8, NULL, NULL);
    CHECK(berlin && new_york && kolkata && bad);
    CHECK_STR_EQ(fmt_value(berlin, 0), "2020-07-01T02:00:00+02:00");
    CHECK_STR_EQ(fmt_value(berlin, 1), "2020-01-01T01:00:00+01:00");
    CHECK_STR_EQ(fmt_value(berlin, 2), "2100-07-01T02:00:00+02:00"); /* footer rule */
    CHECK_STR_EQ(fmt_value(berlin, 3), "1800-01-01T00:53:28+00:53"); /* LMT */
    CHECK_STR_EQ(fmt_value(berlin, 4), "2020-10-25T02:00:00+01:00"); /* DST just ended */
    CHECK_STR_EQ(fmt_value(new_york, 0), "2020-06-30T20:00:00-04:00");
    CHECK_STR_EQ(fmt_value(new_york, 1), "2019-12-31T19:00:00-05:00");
    CHECK_STR_EQ(fmt_value(kolkata, 0), "2020-07-01T05:30:00+05:30");
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_error err;
    CHECK_STATUS(arrow_format_value(bad, 0, &sb, &err), QV_INVALID);
    CHECK_STR_EQ(
        err.message,
        "Invalid timezone \"Mars/Olympus_Mons\": 'Mars/Olympus_Mons' is not a valid timezone");
    base_strbuf_free(&sb);
    arrow_array_release(berlin);
    arrow_array_release(new_york);
    arrow_array_release(kolkata);
    arrow_array_release(bad);
}

static arrow_array *duration_array(arrow_time_unit unit, const int64_t *values, int64_t n)
{
    arrow_type *type = NULL;
    arrow_type_duration(unit, &type, NULL);
    return fixed_array(type, values, n, 8, NULL, NULL);
}

TEST(format_durations_pretty)
{
    int64_t big = INT64_C(3938554);
    int64_t ns[] = {1, -1, big * 1000000000 + 123456789, -(big * 1000000000 + 123456789)};
    int64_t ms[] = {1000, -1, INT64_MIN};
    int64_t us[] = {1000};
    int64_t s[] = {1800, -big, INT64_MAX};
    arrow_array *a = duration_array(QV_UNIT_NANOSECOND, ns, 4);
    arrow_array *b = duration_array(QV_UNIT_MILLISECOND, ms, 3);
    arrow_array *c = duration_array(QV_UNIT_MICROSECOND, us, 1);
    arrow_array *d = duration_array(QV_UNIT_SECOND, s, 3);
    CHECK(a && b && c && d);
    CHECK_STR_EQ(fmt_value(a, 0), "0 days 0 hours 0 mins 0.000000001 secs");
    CHECK_STR_EQ(fmt_value(a, 1), "0 days 0 hours 0 mins -0.000000001 secs");
    CHECK_STR_EQ(fmt_value(a, 2), "45 days 14 hours 2 mins 34.123456789 secs");
    CHECK_STR_EQ(fmt_value(a, 3), "-45 days -14 hours -2 mins -34.123456789 secs");
    CHECK_STR_EQ(fmt_value(b, 0), "0 days 0 hours 0 mins 1.000 secs");
    CHECK_STR_EQ(fmt_value(b, 1), "0 days 0 hours 0 mins -0.001 secs");
    CHECK_STR_EQ(fmt_value(b, 2), "<invalid>");
    CHECK_STR_EQ(fmt_value(c, 0), "0 days 0 hours 0 mins 0.001000 secs");
    CHECK_STR_EQ(fmt_value(d, 0), "0 days 0 hours 30 mins 0 secs");
    CHECK_STR_EQ(fmt_value(d, 1), "-45 days -14 hours -2 mins -34 secs");
    CHECK_STR_EQ(fmt_value(d, 2), "<invalid>");
    arrow_array_release(a);
    arrow_array_release(b);
    arrow_array_release(c);
    arrow_array_release(d);
}

TEST(format_intervals_list_non_zero_parts)
{
    int32_t months[] = {-12, 13, -1, 0};
    arrow_array *ym = fixed_array(PRIM(INTERVAL_YEAR_MONTH), months, 4, 4, NULL, NULL);
    int32_t day_time[] = {0, 1800000, 1, 3600000, 0, -180000, 0, -1500, 0, 0, -2, 61001};
    arrow_array *dt = fixed_array(PRIM(INTERVAL_DAY_TIME), day_time, 6, 8, NULL, NULL);
    struct {
        int32_t months, days;
        int64_t nanos;
    } mdn[] = {{60, 0, 0},
               {-2, 0, 0},
               {2, 15, 0},
               {0, 0, 1},
               {0, 0, -INT64_C(3723000000001)},
               {0, 0, 0},
               {0, 1, INT64_C(3600000000000)}};
    arrow_array *m = fixed_array(PRIM(INTERVAL_MONTH_DAY_NANO), mdn, 7, 16, NULL, NULL);
    CHECK(ym && dt && m);
    CHECK_STR_EQ(fmt_value(ym, 0), "-1 years 0 mons");
    CHECK_STR_EQ(fmt_value(ym, 1), "1 years 1 mons");
    CHECK_STR_EQ(fmt_value(ym, 2), "-1 years 11 mons");
    CHECK_STR_EQ(fmt_value(ym, 3), "0 years 0 mons");
    CHECK_STR_EQ(fmt_value(dt, 0), "30 mins");
    CHECK_STR_EQ(fmt_value(dt, 1), "1 days 1 hours");
    CHECK_STR_EQ(fmt_value(dt, 2), "-3 mins");
    CHECK_STR_EQ(fmt_value(dt, 3), "-1.500 secs");
    CHECK_STR_EQ(fmt_value(dt, 4), "");
    CHECK_STR_EQ(fmt_value(dt, 5), "-2 days 1 mins 1.001 secs");
    CHECK_STR_EQ(fmt_value(m, 0), "60 mons");
    CHECK_STR_EQ(fmt_value(m, 1), "-2 mons");
    CHECK_STR_EQ(fmt_value(m, 2), "2 mons 15 days");
    CHECK_STR_EQ(fmt_value(m, 3), "0.000000001 secs");
    CHECK_STR_EQ(fmt_value(m, 4), "-1 hours -2 mins -3.000000001 secs");
    CHECK_STR_EQ(fmt_value(m, 5), "");
    CHECK_STR_EQ(fmt_value(m, 6), "1 days 1 hours");
    arrow_array_release(ym);
    arrow_array_release(dt);
    arrow_array_release(m);
}

TEST(format_lists_with_nulls_floats_and_slices)
{
    int64_t items[] = {1, 2, 3, 4, 0};
    bool item_valid[] = {true, true, true, true, false};
    arrow_array *child = fixed_array(PRIM(INT64), items, 5, 8, item_valid, NULL);
    int32_t offsets[] = {0, 3, 3, 3, 5};
    bool valid[] = {true, true, false, true};
    arrow_array *list = list_array(list_of(QV_TYPE_LIST, PRIM(INT64)), offsets, 4, child, valid);
    CHECK(list != NULL);
    CHECK_STR_EQ(fmt_value(list, 0), "[1, 2, 3]");
    CHECK_STR_EQ(fmt_value(list, 1), "[]");
    CHECK_STR_EQ(fmt_value(list, 2), "NULL");
    CHECK_STR_EQ(fmt_value(list, 3), "[4, NULL]");
    qv_error err;
    arrow_array *sliced;
    CHECK_OK(arrow_array_slice(list, 2, 2, &sliced, &err));
    CHECK_STR_EQ(fmt_value(sliced, 1), "[4, NULL]");
    CHECK_STR_EQ(fmt_slt(sliced, 1), "[4, NULL]");
    arrow_array_release(sliced);
    arrow_array_release(list);

    double floats[] = {1.0, 2.5, 1e20};
    arrow_array *float_child = fixed_array(PRIM(FLOAT64), floats, 3, 8, NULL, NULL);
    int32_t float_offsets[] = {0, 3};
    arrow_array *float_list =
        list_array(list_of(QV_TYPE_LIST, PRIM(FLOAT64)), float_offsets, 1, float_child, NULL);
    CHECK(float_list != NULL);
    CHECK_STR_EQ(fmt_slt(float_list, 0), "[1.0, 2.5, 1e20]");
    arrow_array_release(float_list);

    const char *strs[] = {"a", "", "b c"};
    arrow_array *str_child = string_array(QV_TYPE_UTF8, strs, NULL, 3);
    int64_t large_offsets[] = {0, 3};
    arrow_buffer *buffers[2] = {NULL, bytes_buffer(large_offsets, 16)};
    arrow_array *large_list =
        assemble(list_of(QV_TYPE_LARGE_LIST, PRIM(UTF8)), 1, 2, buffers, 1, &str_child, NULL);
    CHECK(large_list != NULL);
    CHECK_STR_EQ(fmt_value(large_list, 0), "[a, , b c]");
    arrow_array_release(large_list);

    int64_t fixed_items[] = {1, 2, 3, 4, 5, 6};
    arrow_array *fixed_child = fixed_array(PRIM(INT64), fixed_items, 6, 8, NULL, NULL);
    arrow_type *fsl_type = NULL;
    arrow_field *item = field_of("item", PRIM(INT64), true);
    CHECK_OK(arrow_type_fixed_size_list(item, 2, &fsl_type, &err));
    arrow_field_release(item);
    arrow_array *fsl = nested_array(fsl_type, 3, 1, &fixed_child, NULL);
    CHECK(fsl != NULL);
    CHECK_STR_EQ(fmt_value(fsl, 1), "[3, 4]");
    CHECK_OK(arrow_array_slice(fsl, 1, 2, &sliced, &err));
    CHECK_STR_EQ(fmt_value(sliced, 1), "[5, 6]");
    arrow_array_release(sliced);
    arrow_array_release(fsl);
}

TEST(format_structs_lists_of_structs_and_maps)
{
    int32_t a_values[] = {1, 0, 3};
    bool a_valid[] = {true, false, true};
    const char *b_values[] = {"x", "y", NULL};
    arrow_array *children[2] = {fixed_array(PRIM(INT32), a_values, 3, 4, a_valid, NULL),
                                string_array(QV_TYPE_UTF8, b_values, NULL, 3)};
    arrow_field *fields[2] = {field_of("a", PRIM(INT32), true), field_of("b", PRIM(UTF8), true)};
    arrow_type *struct_type = struct_of(2, fields);
    bool struct_valid[] = {true, true, false};
    arrow_array *structs =
        nested_array(arrow_type_retain(struct_type), 3, 2, children, struct_valid);
    CHECK(structs != NULL);
    CHECK_STR_EQ(fmt_value(structs, 0), "{a: 1, b: x}");
    CHECK_STR_EQ(fmt_value(structs, 1), "{a: NULL, b: y}");
    CHECK_STR_EQ(fmt_value(structs, 2), "NULL");
    qv_error err;
    arrow_array *sliced;
    CHECK_OK(arrow_array_slice(structs, 1, 1, &sliced, &err));
    CHECK_STR_EQ(fmt_value(sliced, 0), "{a: NULL, b: y}");
    arrow_array_release(sliced);

    int32_t offsets[] = {0, 3};
    arrow_array *list = list_array(list_of(QV_TYPE_LIST, struct_type), offsets, 1, structs, NULL);
    CHECK(list != NULL);
    CHECK_STR_EQ(fmt_value(list, 0), "[{a: 1, b: x}, {a: NULL, b: y}, NULL]");
    arrow_array_release(list);

    const char *keys[] = {"POST", "HEAD", "GET"};
    int64_t counts[] = {41, 33, 0};
    bool count_valid[] = {true, true, false};
    arrow_type *map_type = map_of(PRIM(UTF8), PRIM(INT64), false);
    arrow_array *kv[2] = {string_array(QV_TYPE_UTF8, keys, NULL, 3),
                          fixed_array(PRIM(INT64), counts, 3, 8, count_valid, NULL)};
    arrow_array *entries =
        nested_array(arrow_type_retain(map_type->children[0]->type), 3, 2, kv, NULL);
    int32_t map_offsets[] = {0, 2, 2, 3};
    bool map_valid[] = {true, true, true};
    arrow_array *map = list_array(map_type, map_offsets, 3, entries, map_valid);
    CHECK(map != NULL);
    CHECK_STR_EQ(fmt_value(map, 0), "{POST: 41, HEAD: 33}");
    CHECK_STR_EQ(fmt_value(map, 1), "{}");
    CHECK_STR_EQ(fmt_value(map, 2), "{GET: NULL}");
    arrow_array_release(map);
}

TEST(format_dictionaries_and_run_end_encoded)
{
    const char *words[] = {"a", "", NULL};
    arrow_array *dictionary = string_array(QV_TYPE_UTF8, words, NULL, 3);
    int8_t keys[] = {1, 0, 0, 2};
    bool key_valid[] = {true, true, false, true};
    arrow_type *dict_type = NULL;
    qv_error err;
    CHECK_OK(arrow_type_dictionary(PRIM(INT8), PRIM(UTF8), false, &dict_type, &err));
    CHECK(arrow_type_slt_letter(dict_type) == 'T');
    arrow_array *dict = fixed_array(dict_type, keys, 4, 1, key_valid, dictionary);
    CHECK(dict != NULL);
    CHECK_STR_EQ(fmt_value(dict, 0), "");
    CHECK_STR_EQ(fmt_value(dict, 1), "a");
    CHECK_STR_EQ(fmt_value(dict, 2), "NULL");
    CHECK_STR_EQ(fmt_value(dict, 3), "NULL");
    CHECK_STR_EQ(fmt_slt(dict, 0), "(empty)");
    CHECK_STR_EQ(fmt_slt(dict, 2), "NULL");
    CHECK_STR_EQ(fmt_slt(dict, 3), "NULL");
    arrow_array_release(dict);

    double floats[] = {0.1 + 0.2};
    arrow_array *float_values = fixed_array(PRIM(FLOAT64), floats, 1, 8, NULL, NULL);
    uint32_t ukeys[] = {0};
    arrow_type *float_dict_type = NULL;
    CHECK_OK(arrow_type_dictionary(PRIM(UINT32), PRIM(FLOAT64), false, &float_dict_type, &err));
    CHECK(arrow_type_slt_letter(float_dict_type) == '?');
    arrow_array *float_dict = fixed_array(float_dict_type, ukeys, 1, 4, NULL, float_values);
    CHECK(float_dict != NULL);
    CHECK_STR_EQ(fmt_value(float_dict, 0), "0.30000000000000004");
    CHECK_STR_EQ(fmt_slt(float_dict, 0), "0.3");
    arrow_array_release(float_dict);

    int32_t ends[] = {2, 5};
    const char *run_values[] = {"x", NULL};
    arrow_array *ree_children[2] = {fixed_array(PRIM(INT32), ends, 2, 4, NULL, NULL),
                                    string_array(QV_TYPE_UTF8, run_values, NULL, 2)};
    arrow_field *run_ends = field_of("run_ends", PRIM(INT32), false);
    arrow_field *values = field_of("values", PRIM(UTF8), true);
    arrow_type *ree_type = NULL;
    CHECK_OK(arrow_type_run_end_encoded(run_ends, values, &ree_type, &err));
    arrow_field_release(run_ends);
    arrow_field_release(values);
    arrow_array *ree = assemble(ree_type, 5, 0, NULL, 2, ree_children, NULL);
    CHECK(ree != NULL);
    CHECK_STR_EQ(fmt_value(ree, 0), "x");
    CHECK_STR_EQ(fmt_value(ree, 1), "x");
    CHECK_STR_EQ(fmt_value(ree, 2), "NULL");
    CHECK_STR_EQ(fmt_value(ree, 4), "NULL");
    CHECK_STR_EQ(fmt_slt(ree, 0), "x");
    arrow_array *sliced;
    CHECK_OK(arrow_array_slice(ree, 1, 3, &sliced, &err));
    CHECK_STR_EQ(fmt_value(sliced, 0), "x");
    CHECK_STR_EQ(fmt_value(sliced, 1), "NULL");
    arrow_array_release(sliced);
    arrow_array_release(ree);
}

/* ---- sqllogictest rendering ---- */

TEST(format_slt_floats_round_to_twelve_digits)
{
    double values[] = {
        1.0 / 3.0, 1e-13,           -0.0,      2.5e15,    0.1 + 0.2, 1.0,
        NAN,       INFINITY,        -INFINITY, 2.0 / 3.0, 5e-13,     1.5e-12,
        -1e-13,    0.9999999999999, 1e20,      -2.5,      1.5e-7,    123456789.123456789};
    const char *expected[] = {"0.333333333333",
                              "0",
                              "0",
                              "2500000000000000",
                              "0.3",
                              "1",
                              "NaN",
                              "Infinity",
                              "-Infinity",
                              "0.666666666667",
                              "0",
                              "0.000000000002",
                              "0",
                              "1",
                              "100000000000000000000",
                              "-2.5",
                              "0.00000015",
                              "123456789.12345679"};
    int n = (int)(sizeof values / sizeof values[0]);
    arrow_array *a = fixed_array(PRIM(FLOAT64), values, n, 8, NULL, NULL);
    CHECK(a != NULL);
    for (int k = 0; k < n; k++)
        CHECK_STR_EQ(fmt_slt(a, k), expected[k]);
    arrow_array_release(a);
    double minus_nan = -NAN;
    arrow_array *b = fixed_array(PRIM(FLOAT64), &minus_nan, 1, 8, NULL, NULL);
    CHECK(b != NULL);
    CHECK_STR_EQ(fmt_slt(b, 0), "NaN");
    arrow_array_release(b);
}

TEST(format_slt_strings)
{
    const char *strs[] = {"", "a\n", "a\0b\n\n", "\n", NULL, "x y"};
    int64_t lens[] = {0, 2, 5, 1, 0, 3};
    arrow_array *a = string_array(QV_TYPE_LARGE_UTF8, strs, lens, 6);
    CHECK(a != NULL);
    CHECK_STR_EQ(fmt_slt(a, 0), "(empty)");
    CHECK_STR_EQ(fmt_slt(a, 1), "a");
    CHECK_STR_EQ(fmt_slt(a, 2), "a\\0b");
    CHECK_STR_EQ(fmt_slt(a, 3), "");
    CHECK_STR_EQ(fmt_slt(a, 4), "NULL");
    CHECK_STR_EQ(fmt_slt(a, 5), "x y");
    arrow_array_release(a);
}

TEST(format_slt_letters)
{
    CHECK(arrow_type_slt_letter(PRIM(INT8)) == 'I');
    CHECK(arrow_type_slt_letter(PRIM(UINT64)) == 'I');
    CHECK(arrow_type_slt_letter(PRIM(FLOAT16)) == 'R');
    CHECK(arrow_type_slt_letter(PRIM(FLOAT64)) == 'R');
    CHECK(arrow_type_slt_letter(PRIM(UTF8_VIEW)) == 'T');
    CHECK(arrow_type_slt_letter(PRIM(LARGE_UTF8)) == 'T');
    CHECK(arrow_type_slt_letter(PRIM(BOOLEAN)) == 'B');
    CHECK(arrow_type_slt_letter(PRIM(DATE32)) == 'D');
    CHECK(arrow_type_slt_letter(PRIM(DATE64)) == 'D');
    CHECK(arrow_type_slt_letter(PRIM(NULL)) == '?');
    CHECK(arrow_type_slt_letter(PRIM(BINARY)) == '?');
    CHECK(arrow_type_slt_letter(PRIM(INTERVAL_MONTH_DAY_NANO)) == '?');
    qv_error err;
    arrow_type *type;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL256, 40, 2, &type, &err));
    CHECK(arrow_type_slt_letter(type) == 'R');
    arrow_type_release(type);
    CHECK_OK(arrow_type_time(QV_TYPE_TIME64, QV_UNIT_NANOSECOND, &type, &err));
    CHECK(arrow_type_slt_letter(type) == 'D');
    arrow_type_release(type);
    type = timestamp_of(QV_UNIT_SECOND, "UTC");
    CHECK(arrow_type_slt_letter(type) == 'P');
    arrow_type_release(type);
    CHECK_OK(arrow_type_duration(QV_UNIT_SECOND, &type, &err));
    CHECK(arrow_type_slt_letter(type) == '?');
    arrow_type_release(type);
    type = list_of(QV_TYPE_LIST, PRIM(UTF8));
    CHECK(arrow_type_slt_letter(type) == '?');
    arrow_type_release(type);
}

/* ---- the table printer ---- */

static arrow_schema *two_column_schema(void)
{
    arrow_field *fields[2] = {field_of("id", PRIM(INT64), true),
                              field_of("name", PRIM(UTF8), true)};
    arrow_schema *schema = NULL;
    arrow_schema_new(2, fields, NULL, &schema, NULL);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return schema;
}

TEST(format_print_table_rows_and_widths)
{
    qv_error err;
    arrow_schema *schema = two_column_schema();
    CHECK(schema != NULL);
    int64_t ids[] = {1, 22, 3};
    bool id_valid[] = {true, true, false};
    const char *names[] = {"alice", "j\xc3\xa9r\xc3\xb4me", "two\nlines"};
    arrow_array *columns[2] = {fixed_array(PRIM(INT64), ids, 3, 8, id_valid, NULL),
                               string_array(QV_TYPE_UTF8, names, NULL, 3)};
    arrow_batch *batch = NULL;
    CHECK_OK(arrow_batch_new(schema, 3, columns, &batch, &err));
    arrow_array_release(columns[0]);
    arrow_array_release(columns[1]);
    base_strbuf sb;
    base_strbuf_init(&sb);
    CHECK_OK(arrow_print_table(schema, &batch, 1, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "+------+--------+\n"
                                        "| id   | name   |\n"
                                        "+------+--------+\n"
                                        "| 1    | alice  |\n"
                                        "| 22   | j\xc3\xa9r\xc3\xb4me |\n"
                                        "| NULL | two    |\n"
                                        "|      | lines  |\n"
                                        "+------+--------+\n");
    base_strbuf_free(&sb);
    arrow_batch_release(batch);
    arrow_schema_release(schema);
}

TEST(format_print_table_empty_result_keeps_header)
{
    qv_error err;
    arrow_schema *schema = two_column_schema();
    CHECK(schema != NULL);
    base_strbuf sb;
    base_strbuf_init(&sb);
    CHECK_OK(arrow_print_table(schema, NULL, 0, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "+----+------+\n"
                                        "| id | name |\n"
                                        "+----+------+\n"
                                        "+----+------+\n");
    base_strbuf_free(&sb);
    arrow_schema_release(schema);
    arrow_field *one[1] = {field_of("count", PRIM(UINT64), false)};
    CHECK_OK(arrow_schema_new(1, one, NULL, &schema, &err));
    arrow_field_release(one[0]);
    base_strbuf_init(&sb);
    CHECK_OK(arrow_print_table(schema, NULL, 0, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "+-------+\n| count |\n+-------+\n+-------+\n");
    base_strbuf_free(&sb);
    arrow_schema_release(schema);
}

TEST(format_value_survives_allocation_failure)
{
    const char *strs[] = {"a long enough string to need a bigger buffer than the first one"};
    arrow_array *a = string_array(QV_TYPE_UTF8, strs, NULL, 1);
    CHECK(a != NULL);
    qv_error err;
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_alloc_fail_after(1);
    qv_status status = arrow_format_value(a, 0, &sb, &err);
    base_alloc_fail_after(0);
    CHECK_STATUS(status, QV_NOMEM);
    base_strbuf_free(&sb);
    arrow_array_release(a);
}
