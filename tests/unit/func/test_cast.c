/*
 * test_cast.c — CAST and TRY_CAST: integer narrowing with arrow-rs's error
 * text, float truncation, Booleans, decimals (rescale, rounding, precision
 * errors), strings to numbers / Booleans / dates with error texts, values to
 * strings, string layouts, temporal rescaling, Null source, scalars and
 * sliced inputs.
 */
#include <math.h>
#include <stdio.h>

#include "func_test_util.h"
#include "test.h"

static char buf[4096];

/* Casts (consuming a) to the type and formats "type: values" or "ERR ..." */
static const char *cast(func_datum a, arrow_type *to, bool safe)
{
    qv_error err;
    func_datum out;
    qv_status st = func_cast(&a, to, safe, a.is_scalar ? 3 : a.array->length, &out, &err);
    if (st != QV_OK) {
        snprintf(buf, sizeof buf, "ERR %s: %s", qv_status_name(st), err.message);
    } else {
        char vals[2048];
        snprintf(vals, sizeof vals, "%s", t_fmt(&out));
        snprintf(buf, sizeof buf, "%s %s", t_type(&out), vals);
        func_datum_release(&out);
    }
    func_datum_release(&a);
    return buf;
}

static arrow_type *P(arrow_type_id id)
{
    return arrow_type_primitive(id);
}

TEST(cast_integers)
{
    CHECK_STR_EQ(cast(t_arr(I64(1, NUL_I, -5)), P(QV_TYPE_INT8), false), "Int8 [1, NULL, -5]");
    CHECK_STR_EQ(cast(t_arr(I64(1, 300)), P(QV_TYPE_INT8), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: Can't cast value 300 to type Int8");
    CHECK_STR_EQ(cast(t_arr(I64(1, 300)), P(QV_TYPE_INT8), true), "Int8 [1, NULL]");
    CHECK_STR_EQ(cast(t_arr(I64(-5)), P(QV_TYPE_UINT8), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: Can't cast value -5 to type UInt8");
    CHECK_STR_EQ(cast(t_arr(t_uint64(1, (uint64_t[]){18446744073709551615ull})),
                      P(QV_TYPE_INT64), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: Can't cast value 18446744073709551615 "
                 "to type Int64");
    CHECK_STR_EQ(cast(t_arr(I32(7)), P(QV_TYPE_FLOAT64), false), "Float64 [7.0]");
    CHECK_STR_EQ(cast(t_sca(I32(7)), P(QV_TYPE_INT64), false), "Int64 S[7]");
    /* an overflowing value in a null slot is no error */
    CHECK_STR_EQ(cast(t_arr(t_slice(I64(1000, 2, NUL_I), 1, 2)), P(QV_TYPE_INT8), false),
                 "Int8 [2, NULL]");
}

TEST(cast_floats)
{
    CHECK_STR_EQ(cast(t_arr(F64(1.9, -1.9, 127.9)), P(QV_TYPE_INT8), false), "Int8 [1, -1, 127]");
    CHECK_STR_EQ(cast(t_arr(F64(128.0)), P(QV_TYPE_INT8), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: Can't cast value 128.0 to type Int8");
    CHECK_STR_EQ(cast(t_arr(F64(NAN, 9.3e18, 1.0)), P(QV_TYPE_INT64), true),
                 "Int64 [NULL, NULL, 1]");
    CHECK_STR_EQ(cast(t_arr(F64(0.5, 0.0, NAN)), P(QV_TYPE_BOOLEAN), false),
                 "Boolean [true, false, true]");
    CHECK_STR_EQ(cast(t_arr(BOOLS(1, 0, -1)), P(QV_TYPE_INT32), false), "Int32 [1, 0, NULL]");
    CHECK_STR_EQ(cast(t_arr(BOOLS(1, 0)), P(QV_TYPE_FLOAT64), false), "Float64 [1.0, 0.0]");
    CHECK_STR_EQ(cast(t_arr(F64(1.5)), P(QV_TYPE_FLOAT32), false), "Float32 [1.5]");
}

TEST(cast_decimals)
{
    qv_error err;
    arrow_type *d52, *d31;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL128, 5, 2, &d52, &err));
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL128, 3, 1, &d31, &err));
    CHECK_STR_EQ(cast(t_arr(I64(12, -3, NUL_I)), d52, false),
                 "Decimal128(5, 2) [12.00, -3.00, NULL]");
    CHECK_STR_EQ(cast(t_arr(I64(1000)), d52, false),
                 "ERR CAST_ERROR: Arrow error: Invalid argument error: 1000.00 is too large to "
                 "store in a Decimal128 of precision 5. Max is 999.99");
    CHECK_STR_EQ(cast(t_arr(F64(1.005, 2.5, -2.345)), d52, false),
                 "Decimal128(5, 2) [1.00, 2.50, -2.35]");
    /* 1.25 -> scale 1 rounds half away from zero; -1.25 -> -1.3 */
    CHECK_STR_EQ(cast(t_arr(t_dec(5, 2, 2, (int64_t[]){125, -125})), d31, false),
                 "Decimal128(3, 1) [1.3, -1.3]");
    CHECK_STR_EQ(cast(t_arr(t_dec(5, 2, 2, (int64_t[]){99999, -199})), P(QV_TYPE_INT8), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: value of 999 is out of range Int8");
    CHECK_STR_EQ(cast(t_arr(t_dec(5, 2, 2, (int64_t[]){12345, -199})), P(QV_TYPE_INT32), false),
                 "Int32 [123, -1]");
    CHECK_STR_EQ(cast(t_arr(t_dec(5, 2, 1, (int64_t[]){12345})), P(QV_TYPE_FLOAT64), false),
                 "Float64 [123.45]");
    CHECK_STR_EQ(cast(t_arr(t_dec(5, 2, 1, (int64_t[]){12345})), d31, true),
                 "Decimal128(3, 1) [NULL]");
    CHECK_STR_EQ(cast(t_arr(STR("1.235", " -2 ", "x")), d52, true),
                 "Decimal128(5, 2) [1.24, -2.00, NULL]");
    CHECK_STR_EQ(cast(t_arr(t_dec(5, 2, 1, (int64_t[]){-150})), P(QV_TYPE_UTF8), false),
                 "Utf8 [-1.50]");
    arrow_type_release(d52);
    arrow_type_release(d31);
}

TEST(cast_from_strings)
{
    CHECK_STR_EQ(cast(t_arr(STR("12", " -7 ", "+3", NULL)), P(QV_TYPE_INT32), false),
                 "Int32 [12, -7, 3, NULL]");
    CHECK_STR_EQ(cast(t_arr(STR("a")), P(QV_TYPE_INT64), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: Cannot cast string 'a' to value of "
                 "Int64 type");
    CHECK_STR_EQ(cast(t_arr(STR("")), P(QV_TYPE_INT32), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: Cannot cast string '' to value of "
                 "Int32 type");
    CHECK_STR_EQ(cast(t_arr(STR("300", "1.5", "")), P(QV_TYPE_INT8), true),
                 "Int8 [NULL, NULL, NULL]");
    CHECK_STR_EQ(cast(t_arr(STR("-9223372036854775808", "18446744073709551615")),
                      P(QV_TYPE_INT64), true),
                 "Int64 [-9223372036854775808, NULL]");
    CHECK_STR_EQ(cast(t_arr(STR("1.5", "1e3", "-inf", "NaN", ".5")), P(QV_TYPE_FLOAT64), false),
                 "Float64 [1.5, 1000.0, -inf, NaN, 0.5]");
    CHECK_STR_EQ(cast(t_arr(STR("blue")), P(QV_TYPE_FLOAT32), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: Cannot cast string 'blue' to value of "
                 "Float32 type");
    CHECK_STR_EQ(cast(t_arr(STR(" 1 ", "0x10")), P(QV_TYPE_FLOAT64), true),
                 "Float64 [NULL, NULL]");
    CHECK_STR_EQ(cast(t_arr(LSTR("TRUE", "f", "yes", "Off", " 1 ")), P(QV_TYPE_BOOLEAN), false),
                 "Boolean [true, false, true, false, true]");
    CHECK_STR_EQ(cast(t_arr(VSTR("maybe")), P(QV_TYPE_BOOLEAN), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: Cannot cast value 'maybe' to value of "
                 "Boolean type");
    CHECK_STR_EQ(cast(t_arr(STR("2020-01-31", "1999-1-2", "20240229", "2021-02-29",
                                "2020-03-04T10:11:12")),
                      P(QV_TYPE_DATE32), true),
                 "Date32 [2020-01-31, 1999-01-02, 2024-02-29, NULL, 2020-03-04]");
    CHECK_STR_EQ(cast(t_arr(STR("not a date")), P(QV_TYPE_DATE32), false),
                 "ERR CAST_ERROR: Arrow error: Cast error: Cannot cast string 'not a date' to "
                 "value of Date32 type");
    CHECK_STR_EQ(cast(t_sca(STR("42")), P(QV_TYPE_INT16), false), "Int16 S[42]");
}

TEST(cast_to_strings)
{
    CHECK_STR_EQ(cast(t_arr(I64(1, NUL_I, -20)), P(QV_TYPE_UTF8), false), "Utf8 [1, NULL, -20]");
    CHECK_STR_EQ(cast(t_arr(F64(1.5, 1.0)), P(QV_TYPE_LARGE_UTF8), false),
                 "LargeUtf8 [1.5, 1.0]");
    CHECK_STR_EQ(cast(t_arr(BOOLS(1, 0)), P(QV_TYPE_UTF8_VIEW), false), "Utf8View [true, false]");
    CHECK_STR_EQ(cast(t_arr(t_slice(STR("x", "héllo", "a longer string value", NULL), 1, 3)),
                      P(QV_TYPE_UTF8_VIEW), false),
                 "Utf8View [héllo, a longer string value, NULL]");
    CHECK_STR_EQ(cast(t_arr(VSTR("abc")), P(QV_TYPE_BINARY), false), "Binary [616263]");
}

TEST(cast_temporal_and_null)
{
    qv_error err;
    arrow_type *ts;
    CHECK_OK(arrow_type_timestamp(QV_UNIT_SECOND, NULL, &ts, &err));
    func_datum d = t_arr(t_int(QV_TYPE_DATE32, 2, (int64_t[]){1, -1}));
    CHECK_STR_EQ(cast(d, ts, false), "Timestamp(s) [1970-01-02T00:00:00, 1969-12-31T00:00:00]");
    d = t_arr(t_int(QV_TYPE_DATE32, 1, (int64_t[]){18000}));
    CHECK_STR_EQ(cast(d, P(QV_TYPE_UTF8), false), "Utf8 [2019-04-14]");
    arrow_array *n;
    CHECK_OK(arrow_array_new_null(P(QV_TYPE_NULL), 2, &n, &err));
    CHECK_STR_EQ(cast(t_arr(n), P(QV_TYPE_INT32), false), "Int32 [NULL, NULL]");
    CHECK(func_can_cast(P(QV_TYPE_UTF8), P(QV_TYPE_INT8)));
    CHECK(!func_can_cast(P(QV_TYPE_DATE32), P(QV_TYPE_INT8)));
    CHECK_STR_EQ(cast(t_arr(I32(1)), ts, false), "Timestamp(s) [1970-01-01T00:00:01]");
    CHECK(strncmp(cast(t_arr(I32(1)), P(QV_TYPE_INTERVAL_DAY_TIME), false),
                  "ERR NOT_IMPLEMENTED", 19) == 0);
    arrow_type_release(ts);
}
