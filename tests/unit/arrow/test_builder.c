/*
 * test_builder.c — array builders: every data type built and checked buffer
 * by buffer, Float16 rounding, views inline and out of line, nested types,
 * dictionary deduplication, run-end runs, append_from (sliced, dictionary and
 * run-end sources), reuse after finish, and the misuse / invalid / overflow
 * errors.
 */
#include <math.h>
#include <stdio.h>

#include "arrow/arrow.h"
#include "test.h"

/* Finishes b into *out and checks the array validates. */
#define FINISH(b, out)                                                                             \
    do {                                                                                           \
        CHECK_OK(arrow_builder_finish((b), (out), &err));                                          \
        CHECK_OK(arrow_array_validate(*(out), &err));                                              \
        CHECK_INT_EQ(arrow_builder_length(b), 0);                                                  \
    } while (0)

static bool bit(const arrow_array *a, int64_t i)
{
    return a->buffers[0] == NULL || arrow_bit_get(a->buffers[0]->data, a->offset + i);
}

static int32_t i32_at(const arrow_buffer *buffer, int64_t i)
{
    int32_t v;
    memcpy(&v, buffer->data + i * 4, 4);
    return v;
}

static int64_t i64_at(const arrow_buffer *buffer, int64_t i)
{
    int64_t v;
    memcpy(&v, buffer->data + i * 8, 8);
    return v;
}

TEST(builder_int8_values_nulls_and_overflow)
{
    qv_error err;
    arrow_builder *b;
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_INT8), &b, &err));
    CHECK_OK(arrow_builder_append_int(b, -128, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_OK(arrow_builder_append_int(b, 127, &err));
    CHECK_STATUS(arrow_builder_append_int(b, 128, &err), QV_OVERFLOW);
    CHECK_STATUS(arrow_builder_append_int(b, -129, &err), QV_OVERFLOW);
    CHECK_STATUS(arrow_builder_append_uint(b, 200, &err), QV_OVERFLOW);
    CHECK_OK(arrow_builder_append_uint(b, 5, &err));
    CHECK_STATUS(arrow_builder_append_double(b, 1.0, &err), QV_MISUSE);
    CHECK_STATUS(arrow_builder_append_bool(b, true, &err), QV_MISUSE);
    CHECK_STATUS(arrow_builder_append_bytes(b, "x", 1, &err), QV_MISUSE);
    CHECK_STATUS(arrow_builder_append_struct(b, true, &err), QV_MISUSE);
    CHECK_STATUS(arrow_builder_end_list(b, true, &err), QV_MISUSE);
    CHECK(arrow_builder_child(b, 0) == NULL);
    CHECK_INT_EQ(arrow_builder_length(b), 4);
    arrow_array *a;
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 4);
    CHECK_INT_EQ(a->null_count, 1);
    CHECK_INT_EQ(a->offset, 0);
    const int8_t *v = (const int8_t *)arrow_array_values(a);
    CHECK(v[0] == -128 && v[1] == 0 && v[2] == 127 && v[3] == 5);
    CHECK(bit(a, 0) && !bit(a, 1) && bit(a, 2) && bit(a, 3));
    arrow_array_release(a);
    arrow_builder_free(b);
}

TEST(builder_integer_and_temporal_widths)
{
    qv_error err;
    struct {
        arrow_type_id id;
        int64_t value;
        int width;
    } cases[] = {
        {QV_TYPE_INT16, -32768, 2},         {QV_TYPE_INT32, INT32_MIN, 4},
        {QV_TYPE_INT64, INT64_MIN, 8},      {QV_TYPE_UINT8, 255, 1},
        {QV_TYPE_UINT16, 65535, 2},         {QV_TYPE_UINT32, UINT32_MAX, 4},
        {QV_TYPE_UINT64, INT64_MAX, 8},     {QV_TYPE_DATE32, 19000, 4},
        {QV_TYPE_DATE64, 1641600000000, 8}, {QV_TYPE_INTERVAL_YEAR_MONTH, -14, 4},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        arrow_builder *b;
        CHECK_OK(arrow_builder_new(arrow_type_primitive(cases[c].id), &b, &err));
        for (int i = 0; i < 1000; i++)
            CHECK_OK(arrow_builder_append_int(b, i % 2 ? cases[c].value : i % 100, &err));
        arrow_array *a;
        FINISH(b, &a);
        CHECK(a->buffers[0] == NULL);
        CHECK_INT_EQ(a->null_count, 0);
        CHECK_INT_EQ(a->buffers[1]->size, 1000 * cases[c].width);
        /* Little-endian: the value's low bytes. */
        CHECK(memcmp(a->buffers[1]->data + cases[c].width, &cases[c].value,
                     (size_t)cases[c].width) == 0);
        arrow_array_release(a);
        arrow_builder_free(b);
    }
    /* Parameterised temporal types. */
    arrow_type *types[4];
    CHECK_OK(arrow_type_time(QV_TYPE_TIME32, QV_UNIT_MILLISECOND, &types[0], &err));
    CHECK_OK(arrow_type_time(QV_TYPE_TIME64, QV_UNIT_NANOSECOND, &types[1], &err));
    CHECK_OK(arrow_type_timestamp(QV_UNIT_MICROSECOND, "UTC", &types[2], &err));
    CHECK_OK(arrow_type_duration(QV_UNIT_SECOND, &types[3], &err));
    for (int t = 0; t < 4; t++) {
        arrow_builder *b;
        CHECK_OK(arrow_builder_new(types[t], &b, &err));
        CHECK_OK(arrow_builder_append_int(b, 86399000, &err));
        CHECK_OK(arrow_builder_append_null(b, &err));
        if (t == 0)
            CHECK_STATUS(arrow_builder_append_int(b, INT64_C(1) << 40, &err), QV_OVERFLOW);
        arrow_array *a;
        FINISH(b, &a);
        CHECK(arrow_type_equal(a->type, types[t]));
        CHECK_INT_EQ(t < 1 ? i32_at(a->buffers[1], 0) : i64_at(a->buffers[1], 0), 86399000);
        CHECK(!bit(a, 1));
        arrow_array_release(a);
        arrow_builder_free(b);
        arrow_type_release(types[t]);
    }
}

TEST(builder_uint64_full_range_and_negative)
{
    qv_error err;
    arrow_builder *b;
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_UINT64), &b, &err));
    CHECK_OK(arrow_builder_append_uint(b, UINT64_MAX, &err));
    CHECK_STATUS(arrow_builder_append_int(b, -1, &err), QV_OVERFLOW);
    arrow_array *a;
    FINISH(b, &a);
    CHECK(((const uint64_t *)arrow_array_values(a))[0] == UINT64_MAX);
    arrow_array_release(a);
    arrow_builder_free(b);
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &b, &err));
    CHECK_STATUS(arrow_builder_append_uint(b, UINT64_MAX, &err), QV_OVERFLOW);
    arrow_builder_free(b);
}

static uint16_t half_of(double value, qv_error *err)
{
    arrow_builder *b;
    arrow_array *a;
    uint16_t out = 0xDEAD;
    if (arrow_builder_new(arrow_type_primitive(QV_TYPE_FLOAT16), &b, err) != QV_OK)
        return out;
    if (arrow_builder_append_double(b, value, err) == QV_OK &&
        arrow_builder_finish(b, &a, err) == QV_OK) {
        memcpy(&out, a->buffers[1]->data, 2);
        arrow_array_release(a);
    }
    arrow_builder_free(b);
    return out;
}

TEST(builder_float16_rounds_to_nearest_even)
{
    qv_error err;
    CHECK_INT_EQ(half_of(1.0, &err), 0x3C00);
    CHECK_INT_EQ(half_of(-2.0, &err), 0xC000);
    CHECK_INT_EQ(half_of(0.0, &err), 0x0000);
    CHECK_INT_EQ(half_of(-0.0, &err), 0x8000);
    CHECK_INT_EQ(half_of(65504.0, &err), 0x7BFF);
    CHECK_INT_EQ(half_of(65519.99, &err), 0x7BFF);
    CHECK_INT_EQ(half_of(65520.0, &err), 0x7C00); /* tie rounds to even: infinity */
    CHECK_INT_EQ(half_of(1e300, &err), 0x7C00);
    CHECK_INT_EQ(half_of(-1e300, &err), 0xFC00);
    CHECK_INT_EQ(half_of(INFINITY, &err), 0x7C00);
    CHECK_INT_EQ(half_of(-INFINITY, &err), 0xFC00);
    uint16_t nan = half_of(NAN, &err);
    CHECK((nan & 0x7C00) == 0x7C00 && (nan & 0x03FF) != 0);
    CHECK_INT_EQ(half_of(1.0 / 3.0, &err), 0x3555);
    CHECK_INT_EQ(half_of(1.0 + ldexp(1, -11), &err), 0x3C00);     /* tie, even stays */
    CHECK_INT_EQ(half_of(1.0 + 3 * ldexp(1, -11), &err), 0x3C02); /* tie, rounds up to even */
    CHECK_INT_EQ(half_of(1.0 + ldexp(1, -11) + ldexp(1, -40), &err), 0x3C01);
    CHECK_INT_EQ(half_of(2047.0 / 1024.0 + ldexp(1, -11), &err), 0x4000); /* carry into exponent */
    CHECK_INT_EQ(half_of(ldexp(1, -14), &err), 0x0400);                   /* smallest normal */
    CHECK_INT_EQ(half_of(ldexp(1, -24), &err), 0x0001);                   /* smallest subnormal */
    CHECK_INT_EQ(half_of(ldexp(1, -25), &err), 0x0000);                   /* tie to even: zero */
    CHECK_INT_EQ(half_of(ldexp(1.5, -25), &err), 0x0001);
    CHECK_INT_EQ(half_of(ldexp(3, -25), &err), 0x0002);      /* 1.5 ulp: tie to even 2 */
    CHECK_INT_EQ(half_of(ldexp(1023.5, -24), &err), 0x0400); /* rounds up into the normals */
    CHECK_INT_EQ(half_of(ldexp(1, -30), &err), 0x0000);
    CHECK_INT_EQ(half_of(-ldexp(1, -30), &err), 0x8000);
    CHECK_INT_EQ(half_of(4.9406564584124654e-324, &err), 0x0000);
}

TEST(builder_float32_float64_decimal_intervals)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_FLOAT32), &b, &err));
    CHECK_OK(arrow_builder_append_double(b, 1.5, &err));
    CHECK_STATUS(arrow_builder_append_int(b, 1, &err), QV_MISUSE);
    FINISH(b, &a);
    CHECK(((const float *)arrow_array_values(a))[0] == 1.5f);
    arrow_array_release(a);
    arrow_builder_free(b);

    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_FLOAT64), &b, &err));
    CHECK_OK(arrow_builder_append_double(b, -0.25, &err));
    CHECK_OK(arrow_builder_append_nulls(b, 3, &err));
    FINISH(b, &a);
    CHECK(((const double *)arrow_array_values(a))[0] == -0.25);
    CHECK_INT_EQ(a->null_count, 3);
    arrow_array_release(a);
    arrow_builder_free(b);

    arrow_type *dec;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL256, 50, 2, &dec, &err));
    CHECK_OK(arrow_builder_new(dec, &b, &err));
    uint8_t le[32];
    for (int i = 0; i < 32; i++)
        le[i] = (uint8_t)i;
    CHECK_OK(arrow_builder_append_decimal(b, le, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    FINISH(b, &a);
    CHECK(memcmp(a->buffers[1]->data, le, 32) == 0);
    CHECK_INT_EQ(a->buffers[1]->size, 64);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(dec);
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL128, 38, 0, &dec, &err));
    CHECK_OK(arrow_builder_new(dec, &b, &err));
    CHECK_OK(arrow_builder_append_decimal(b, le + 16, &err));
    FINISH(b, &a);
    CHECK(memcmp(a->buffers[1]->data, le + 16, 16) == 0 && a->buffers[1]->size == 16);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(dec);

    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_INTERVAL_DAY_TIME), &b, &err));
    CHECK_OK(arrow_builder_append_interval_dt(b, 3, -5000, &err));
    CHECK_STATUS(arrow_builder_append_interval_mdn(b, 1, 2, 3, &err), QV_MISUSE);
    FINISH(b, &a);
    CHECK(i32_at(a->buffers[1], 0) == 3 && i32_at(a->buffers[1], 1) == -5000);
    arrow_array_release(a);
    arrow_builder_free(b);

    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO), &b, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_OK(arrow_builder_append_interval_mdn(b, 13, -2, INT64_C(3600000000000), &err));
    FINISH(b, &a);
    CHECK_INT_EQ(a->buffers[1]->size, 32);
    CHECK(i32_at(a->buffers[1], 4) == 13 && i32_at(a->buffers[1], 5) == -2);
    CHECK_INT_EQ(i64_at(a->buffers[1], 3), INT64_C(3600000000000));
    CHECK(!bit(a, 0) && bit(a, 1));
    arrow_array_release(a);
    arrow_builder_free(b);
}

TEST(builder_boolean_and_null_types)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, &err));
    for (int i = 0; i < 20; i++) {
        if (i % 5 == 4)
            CHECK_OK(arrow_builder_append_null(b, &err));
        else
            CHECK_OK(arrow_builder_append_bool(b, i % 3 == 0, &err));
    }
    CHECK_OK(arrow_builder_append_nulls(b, 13, &err));
    CHECK_OK(arrow_builder_append_bool(b, true, &err));
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 34);
    CHECK_INT_EQ(a->null_count, 4 + 13);
    CHECK_INT_EQ(a->buffers[1]->size, 5);
    CHECK_INT_EQ(a->buffers[0]->size, 5);
    for (int i = 0; i < 20; i++) {
        CHECK(bit(a, i) == (i % 5 != 4));
        if (i % 5 != 4)
            CHECK(arrow_bit_get(a->buffers[1]->data, i) == (i % 3 == 0));
    }
    CHECK(bit(a, 33) && arrow_bit_get(a->buffers[1]->data, 33));
    arrow_array_release(a);
    arrow_builder_free(b);

    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_NULL), &b, &err));
    CHECK_OK(arrow_builder_append_nulls(b, 7, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_STATUS(arrow_builder_append_int(b, 1, &err), QV_MISUSE);
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 8);
    CHECK_INT_EQ(a->null_count, 8);
    CHECK_INT_EQ(a->n_buffers, 0);
    arrow_array_release(a);
    arrow_builder_free(b);
}

TEST(builder_strings_and_binaries_offsets)
{
    qv_error err;
    arrow_type_id ids[4] = {QV_TYPE_UTF8, QV_TYPE_BINARY, QV_TYPE_LARGE_UTF8, QV_TYPE_LARGE_BINARY};
    for (int t = 0; t < 4; t++) {
        arrow_builder *b;
        arrow_array *a;
        CHECK_OK(arrow_builder_new(arrow_type_primitive(ids[t]), &b, &err));
        CHECK_OK(arrow_builder_append_bytes(b, "hello", 5, &err));
        CHECK_OK(arrow_builder_append_null(b, &err));
        CHECK_OK(arrow_builder_append_bytes(b, "", 0, &err));
        CHECK_OK(arrow_builder_append_bytes(b, "wörld", 6, &err));
        CHECK_STATUS(arrow_builder_append_int(b, 1, &err), QV_MISUSE);
        FINISH(b, &a);
        CHECK_INT_EQ(a->null_count, 1);
        CHECK_INT_EQ(a->buffers[2]->size, 11);
        CHECK(memcmp(a->buffers[2]->data, "hellowörld", 11) == 0);
        int64_t want[5] = {0, 5, 5, 5, 11};
        for (int i = 0; i < 5; i++)
            CHECK_INT_EQ(t < 2 ? i32_at(a->buffers[1], i) : i64_at(a->buffers[1], i), want[i]);
        CHECK(!bit(a, 1) && bit(a, 2));
        arrow_array_release(a);
        /* An empty finish still has the one leading offset. */
        FINISH(b, &a);
        CHECK_INT_EQ(a->length, 0);
        CHECK_INT_EQ(a->buffers[1]->size, t < 2 ? 4 : 8);
        arrow_array_release(a);
        arrow_builder_free(b);
    }
}

TEST(builder_fixed_size_binary_width_checked)
{
    qv_error err;
    arrow_type *type;
    CHECK_OK(arrow_type_fixed_size_binary(3, &type, &err));
    arrow_builder *b;
    arrow_array *a;
    CHECK_OK(arrow_builder_new(type, &b, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "abc", 3, &err));
    CHECK_STATUS(arrow_builder_append_bytes(b, "ab", 2, &err), QV_INVALID);
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "xyz", 3, &err));
    FINISH(b, &a);
    CHECK_INT_EQ(a->buffers[1]->size, 9);
    CHECK(memcmp(a->buffers[1]->data, "abc\0\0\0xyz", 9) == 0);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(type);
}

TEST(builder_views_inline_and_out_of_line)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8_VIEW), &b, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "twelve bytes", 12, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "thirteen byte", 13, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    /* 300 values of 1000 bytes: spread over several data buffers. */
    char big[1000];
    for (int i = 0; i < 300; i++) {
        memset(big, 'a' + i % 26, sizeof big);
        CHECK_OK(arrow_builder_append_bytes(b, big, sizeof big, &err));
    }
    char huge[100000];
    memset(huge, 'z', sizeof huge);
    CHECK_OK(arrow_builder_append_bytes(b, huge, sizeof huge, &err));
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 304);
    const uint8_t *views = a->buffers[1]->data;
    CHECK_INT_EQ(i32_at(a->buffers[1], 0), 12);
    CHECK(memcmp(views + 4, "twelve bytes", 12) == 0);
    CHECK_INT_EQ(i32_at(a->buffers[1], 4), 13);
    CHECK(memcmp(views + 20, "thir", 4) == 0);
    CHECK_INT_EQ(i32_at(a->buffers[1], 6), 0); /* buffer 0 */
    CHECK_INT_EQ(i32_at(a->buffers[1], 7), 0); /* offset 0 */
    CHECK_INT_EQ(i32_at(a->buffers[1], 8), 0); /* the null: an empty view */
    CHECK(!bit(a, 2));
    CHECK(a->n_buffers > 4);
    int64_t data_bytes = 0;
    for (int32_t i = 2; i < a->n_buffers; i++) {
        data_bytes += a->buffers[i]->size;
        CHECK(a->buffers[i]->size <= 32 * 1024 || a->buffers[i]->size == (int64_t)sizeof huge);
    }
    CHECK_INT_EQ(data_bytes, 13 + 300 * 1000 + (int64_t)sizeof huge);
    for (int i = 0; i < 300; i++) {
        const uint8_t *view = views + (3 + i) * 16;
        int32_t len, index, offset;
        memcpy(&len, view, 4);
        memcpy(&index, view + 8, 4);
        memcpy(&offset, view + 12, 4);
        CHECK_INT_EQ(len, 1000);
        CHECK(view[4] == 'a' + i % 26);
        CHECK(a->buffers[2 + index]->data[offset + 999] == 'a' + i % 26);
    }
    arrow_array_release(a);
    arrow_builder_free(b);

    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_BINARY_VIEW), &b, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "\0\1\2", 3, &err));
    FINISH(b, &a);
    CHECK_INT_EQ(a->n_buffers, 2); /* all inline: no data buffer */
    CHECK(memcmp(a->buffers[1]->data + 4, "\0\1\2", 3) == 0);
    arrow_array_release(a);
    arrow_builder_free(b);
}

static qv_status list_type(arrow_type_id id, arrow_type *item, arrow_type **out, qv_error *err)
{
    return arrow_type_list_of(id, item, out, err);
}

TEST(builder_list_and_large_list)
{
    qv_error err;
    for (int large = 0; large < 2; large++) {
        arrow_type *type;
        CHECK_OK(list_type(large ? QV_TYPE_LARGE_LIST : QV_TYPE_LIST,
                           arrow_type_primitive(QV_TYPE_INT32), &type, &err));
        arrow_builder *b;
        arrow_array *a;
        CHECK_OK(arrow_builder_new(type, &b, &err));
        arrow_builder *items = arrow_builder_child(b, 0);
        CHECK(items != NULL && arrow_builder_child(b, 1) == NULL);
        CHECK_OK(arrow_builder_append_int(items, 1, &err));
        CHECK_OK(arrow_builder_append_int(items, 2, &err));
        CHECK_OK(arrow_builder_end_list(b, true, &err)); /* [1, 2] */
        CHECK_OK(arrow_builder_append_null(b, &err));    /* NULL */
        CHECK_OK(arrow_builder_end_list(b, true, &err)); /* [] */
        CHECK_OK(arrow_builder_append_null(items, &err));
        CHECK_OK(arrow_builder_end_list(b, true, &err)); /* [NULL] */
        CHECK_STATUS(arrow_builder_append_int(b, 1, &err), QV_MISUSE);
        FINISH(b, &a);
        CHECK_INT_EQ(a->length, 4);
        CHECK_INT_EQ(a->null_count, 1);
        int64_t want[5] = {0, 2, 2, 2, 3};
        for (int i = 0; i < 5; i++)
            CHECK_INT_EQ(large ? i64_at(a->buffers[1], i) : i32_at(a->buffers[1], i), want[i]);
        CHECK_INT_EQ(a->children[0]->length, 3);
        CHECK_INT_EQ(a->children[0]->null_count, 1);
        arrow_array_release(a);
        arrow_builder_free(b);
        arrow_type_release(type);
    }
}

TEST(builder_fixed_size_list_counts_items)
{
    qv_error err;
    arrow_field *item;
    arrow_type *type;
    CHECK_OK(arrow_field_new("item", arrow_type_primitive(QV_TYPE_INT16), true, NULL, &item, &err));
    CHECK_OK(arrow_type_fixed_size_list(item, 2, &type, &err));
    arrow_field_release(item);
    arrow_builder *b;
    arrow_array *a;
    CHECK_OK(arrow_builder_new(type, &b, &err));
    arrow_builder *items = arrow_builder_child(b, 0);
    CHECK_OK(arrow_builder_append_int(items, 1, &err));
    CHECK_STATUS(arrow_builder_end_list(b, true, &err), QV_INVALID);
    CHECK_OK(arrow_builder_append_int(items, 2, &err));
    CHECK_OK(arrow_builder_end_list(b, true, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_INT_EQ(arrow_builder_length(items), 4);
    FINISH(b, &a);
    CHECK_INT_EQ(a->n_buffers, 1);
    CHECK_INT_EQ(a->null_count, 1);
    CHECK_INT_EQ(a->children[0]->length, 4);
    CHECK_INT_EQ(a->children[0]->null_count, 2);
    arrow_array_release(a);
    /* A short last row fails the finish (and leaves the builder empty). */
    CHECK_OK(arrow_builder_append_int(items, 1, &err));
    CHECK_STATUS(arrow_builder_finish(b, &a, &err), QV_INVALID);
    CHECK(a == NULL);
    CHECK_INT_EQ(arrow_builder_length(items), 0);
    arrow_builder_free(b);
    arrow_type_release(type);
}

static qv_status struct_type(arrow_type **out, qv_error *err)
{
    arrow_field *fields[2];
    QV_TRY(arrow_field_new("a", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &fields[0], err));
    qv_status status =
        arrow_field_new("b", arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &fields[1], err);
    if (status == QV_OK)
        status = arrow_type_struct(2, fields, out, err);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return status;
}

TEST(builder_struct_rows_and_nulls)
{
    qv_error err;
    arrow_type *type;
    CHECK_OK(struct_type(&type, &err));
    arrow_builder *b;
    arrow_array *a;
    CHECK_OK(arrow_builder_new(type, &b, &err));
    CHECK_OK(arrow_builder_append_int(arrow_builder_child(b, 0), 7, &err));
    CHECK_STATUS(arrow_builder_append_struct(b, true, &err), QV_INVALID);
    CHECK_OK(arrow_builder_append_bytes(arrow_builder_child(b, 1), "x", 1, &err));
    CHECK_OK(arrow_builder_append_struct(b, true, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_OK(arrow_builder_append_int(arrow_builder_child(b, 0), 8, &err));
    CHECK_OK(arrow_builder_append_null(arrow_builder_child(b, 1), &err));
    CHECK_OK(arrow_builder_append_struct(b, true, &err));
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 3);
    CHECK_INT_EQ(a->null_count, 1);
    CHECK_INT_EQ(a->n_children, 2);
    CHECK_INT_EQ(a->children[0]->null_count, 1);
    CHECK_INT_EQ(a->children[1]->null_count, 2);
    CHECK_INT_EQ(i64_at(a->children[0]->buffers[1], 2), 8);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(type);
}

static qv_status map_type(arrow_type **out, qv_error *err)
{
    arrow_field *kv[2] = {NULL, NULL}, *entries = NULL;
    arrow_type *entries_type = NULL;
    qv_status status =
        arrow_field_new("key", arrow_type_primitive(QV_TYPE_UTF8), false, NULL, &kv[0], err);
    if (status == QV_OK)
        status =
            arrow_field_new("value", arrow_type_primitive(QV_TYPE_INT32), true, NULL, &kv[1], err);
    if (status == QV_OK)
        status = arrow_type_struct(2, kv, &entries_type, err);
    if (status == QV_OK)
        status = arrow_field_new("entries", entries_type, false, NULL, &entries, err);
    if (status == QV_OK)
        status = arrow_type_map(entries, false, out, err);
    arrow_field_release(kv[0]);
    arrow_field_release(kv[1]);
    arrow_field_release(entries);
    arrow_type_release(entries_type);
    return status;
}

TEST(builder_map_entries)
{
    qv_error err;
    arrow_type *type;
    CHECK_OK(map_type(&type, &err));
    arrow_builder *b;
    arrow_array *a;
    CHECK_OK(arrow_builder_new(type, &b, &err));
    arrow_builder *entries = arrow_builder_child(b, 0);
    for (int i = 0; i < 3; i++) {
        CHECK_OK(arrow_builder_append_bytes(arrow_builder_child(entries, 0), "k", 1, &err));
        CHECK_OK(arrow_builder_append_int(arrow_builder_child(entries, 1), i, &err));
        CHECK_OK(arrow_builder_append_struct(entries, true, &err));
    }
    CHECK_OK(arrow_builder_end_list(b, true, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 2);
    CHECK_INT_EQ(i32_at(a->buffers[1], 1), 3);
    CHECK_INT_EQ(i32_at(a->buffers[1], 2), 3);
    CHECK_INT_EQ(a->children[0]->length, 3);
    CHECK(a->children[0]->type->id == QV_TYPE_STRUCT);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(type);
}

TEST(builder_dictionary_deduplicates)
{
    qv_error err;
    arrow_type *type;
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT8),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &type, &err));
    arrow_builder *b;
    arrow_array *a;
    CHECK_OK(arrow_builder_new(type, &b, &err));
    const char *words[] = {"red", "green", "red", "blue", "green", "red"};
    for (int i = 0; i < 6; i++)
        CHECK_OK(arrow_builder_append_bytes(b, words[i], (int64_t)strlen(words[i]), &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_STATUS(arrow_builder_append_int(b, 1, &err), QV_MISUSE);
    CHECK(arrow_builder_child(b, 0) == NULL);
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 7);
    CHECK_INT_EQ(a->null_count, 1);
    CHECK_INT_EQ(a->dictionary->length, 3);
    const int8_t *idx = (const int8_t *)arrow_array_values(a);
    int8_t want[6] = {0, 1, 0, 2, 1, 0};
    for (int i = 0; i < 6; i++)
        CHECK_INT_EQ(idx[i], want[i]);
    CHECK(memcmp(a->dictionary->buffers[2]->data, "redgreenblue", 12) == 0);
    arrow_array_release(a);

    /* Int8 indices hold 128 distinct values; the 129th overflows. */
    char key[8];
    for (int i = 0; i < 128; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        CHECK_OK(arrow_builder_append_bytes(b, key, n, &err));
    }
    CHECK_OK(arrow_builder_append_bytes(b, "k5", 2, &err));
    CHECK_STATUS(arrow_builder_append_bytes(b, "new", 3, &err), QV_OVERFLOW);
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 129);
    CHECK_INT_EQ(a->dictionary->length, 128);
    CHECK_INT_EQ(((const int8_t *)arrow_array_values(a))[128], 5);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(type);

    /* Integer values, unsigned 16-bit indices. */
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_UINT16),
                                   arrow_type_primitive(QV_TYPE_INT64), false, &type, &err));
    CHECK_OK(arrow_builder_new(type, &b, &err));
    for (int i = 0; i < 5000; i++)
        CHECK_OK(arrow_builder_append_int(b, (i * 7) % 1000, &err));
    FINISH(b, &a);
    CHECK_INT_EQ(a->dictionary->length, 1000);
    CHECK_INT_EQ(((const uint16_t *)arrow_array_values(a))[1000], 0);
    CHECK_INT_EQ(((const uint16_t *)arrow_array_values(a))[1001], 1);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(type);
}

static qv_status ree_type(arrow_type_id run_end_id, arrow_type *values, arrow_type **out,
                          qv_error *err)
{
    arrow_field *ends = NULL, *vals = NULL;
    qv_status status =
        arrow_field_new("run_ends", arrow_type_primitive(run_end_id), false, NULL, &ends, err);
    if (status == QV_OK)
        status = arrow_field_new("values", values, true, NULL, &vals, err);
    if (status == QV_OK)
        status = arrow_type_run_end_encoded(ends, vals, out, err);
    arrow_field_release(ends);
    arrow_field_release(vals);
    return status;
}

TEST(builder_run_end_encoded_runs)
{
    qv_error err;
    arrow_type *type;
    CHECK_OK(ree_type(QV_TYPE_INT16, arrow_type_primitive(QV_TYPE_INT32), &type, &err));
    arrow_builder *b;
    arrow_array *a;
    CHECK_OK(arrow_builder_new(type, &b, &err));
    CHECK_OK(arrow_builder_append_int(b, 1, &err));
    CHECK_OK(arrow_builder_append_int(b, 1, &err));
    CHECK_OK(arrow_builder_append_int(b, 2, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_OK(arrow_builder_append_nulls(b, 2, &err));
    CHECK_OK(arrow_builder_append_int(b, 2, &err));
    CHECK_STATUS(arrow_builder_append_bytes(b, "x", 1, &err), QV_MISUSE);
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 7);
    CHECK_INT_EQ(a->n_children, 2);
    const arrow_array *ends = a->children[0], *values = a->children[1];
    CHECK(ends->type->id == QV_TYPE_INT16);
    CHECK_INT_EQ(ends->length, 4);
    const int16_t *e = (const int16_t *)arrow_array_values(ends);
    CHECK(e[0] == 2 && e[1] == 3 && e[2] == 6 && e[3] == 7);
    CHECK_INT_EQ(values->length, 4);
    CHECK_INT_EQ(values->null_count, 1);
    CHECK(arrow_array_is_valid(a, 1) && !arrow_array_is_valid(a, 4));
    arrow_array_release(a);

    /* Int16 run ends stop at 32767 elements. */
    CHECK_OK(arrow_builder_append_nulls(b, 32766, &err));
    CHECK_OK(arrow_builder_append_int(b, 3, &err));
    CHECK_STATUS(arrow_builder_append_int(b, 3, &err), QV_OVERFLOW);
    CHECK_STATUS(arrow_builder_append_null(b, &err), QV_OVERFLOW);
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 32767);
    CHECK_INT_EQ(a->children[0]->length, 2);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(type);

    /* String values with Int64 run ends. */
    CHECK_OK(ree_type(QV_TYPE_INT64, arrow_type_primitive(QV_TYPE_UTF8), &type, &err));
    CHECK_OK(arrow_builder_new(type, &b, &err));
    const char *words[] = {"a", "a", "bb", "bb", "bb", "a"};
    for (int i = 0; i < 6; i++)
        CHECK_OK(arrow_builder_append_bytes(b, words[i], (int64_t)strlen(words[i]), &err));
    FINISH(b, &a);
    CHECK_INT_EQ(a->children[0]->length, 3);
    CHECK_INT_EQ(i64_at(a->children[0]->buffers[1], 1), 5);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(type);
}

/* Builds Utf8 ["v0", NULL, "v2", ...] of n elements (every 3rd from 1 null). */
static qv_status strings(int n, arrow_type_id id, arrow_array **out, qv_error *err)
{
    arrow_builder *b;
    QV_TRY(arrow_builder_new(arrow_type_primitive(id), &b, err));
    qv_status status = QV_OK;
    char text[32];
    for (int i = 0; i < n && status == QV_OK; i++) {
        int len = snprintf(text, sizeof text, "value number %d", i);
        status = i % 3 == 1 ? arrow_builder_append_null(b, err)
                            : arrow_builder_append_bytes(b, text, len, err);
    }
    if (status == QV_OK)
        status = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return status;
}

TEST(builder_append_from_sliced_flat_sources)
{
    qv_error err;
    arrow_type_id ids[3] = {QV_TYPE_UTF8, QV_TYPE_LARGE_BINARY, QV_TYPE_UTF8_VIEW};
    for (int t = 0; t < 3; t++) {
        arrow_array *src, *slice, *copy;
        CHECK_OK(strings(50, ids[t], &src, &err));
        CHECK_OK(arrow_array_slice(src, 10, 20, &slice, &err));
        arrow_builder *b;
        CHECK_OK(arrow_builder_new(src->type, &b, &err));
        for (int64_t i = 0; i < slice->length; i++)
            CHECK_OK(arrow_builder_append_from(b, slice, i, &err));
        CHECK_STATUS(arrow_builder_append_from(b, slice, 20, &err), QV_MISUSE);
        FINISH(b, &copy);
        CHECK_INT_EQ(copy->length, 20);
        CHECK(!bit(copy, 0) && bit(copy, 1)); /* source 10 is null, 11 is not */
        arrow_array_release(copy);
        arrow_builder_free(b);
        arrow_array_release(slice);
        arrow_array_release(src);
    }
    /* Int32 slice, then a mismatched type. */
    arrow_builder *b;
    arrow_array *src, *slice, *copy;
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_INT32), &b, &err));
    for (int i = 0; i < 10; i++)
        CHECK_OK(arrow_builder_append_int(b, i * 10, &err));
    FINISH(b, &src);
    CHECK_OK(arrow_array_slice(src, 3, 4, &slice, &err));
    CHECK_OK(arrow_builder_append_from(b, slice, 2, &err));
    FINISH(b, &copy);
    CHECK_INT_EQ(i32_at(copy->buffers[1], 0), 50);
    arrow_array_release(copy);
    arrow_builder_free(b);
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &b, &err));
    CHECK_STATUS(arrow_builder_append_from(b, slice, 0, &err), QV_MISUSE);
    CHECK_STATUS(arrow_builder_append_from(b, NULL, 0, &err), QV_MISUSE);
    arrow_builder_free(b);
    arrow_array_release(slice);
    arrow_array_release(src);
}

TEST(builder_append_from_nested_sources)
{
    qv_error err;
    /* List<Struct<a: Int64, b: Utf8>> with a sliced source. */
    arrow_type *st, *lt;
    CHECK_OK(struct_type(&st, &err));
    CHECK_OK(arrow_type_list_of(QV_TYPE_LIST, st, &lt, &err));
    arrow_builder *b;
    CHECK_OK(arrow_builder_new(lt, &b, &err));
    arrow_builder *items = arrow_builder_child(b, 0);
    for (int row = 0; row < 6; row++) {
        if (row == 2) {
            CHECK_OK(arrow_builder_append_null(b, &err));
            continue;
        }
        for (int k = 0; k < row; k++) {
            CHECK_OK(arrow_builder_append_int(arrow_builder_child(items, 0), row * 10 + k, &err));
            CHECK_OK(arrow_builder_append_bytes(arrow_builder_child(items, 1), "s", 1, &err));
            CHECK_OK(arrow_builder_append_struct(items, k != 1, &err));
        }
        CHECK_OK(arrow_builder_end_list(b, true, &err));
    }
    arrow_array *src, *slice, *copy;
    FINISH(b, &src);
    CHECK_OK(arrow_array_slice(src, 2, 3, &slice, &err));
    for (int64_t i = 0; i < 3; i++)
        CHECK_OK(arrow_builder_append_from(b, slice, i, &err));
    FINISH(b, &copy);
    CHECK_INT_EQ(copy->length, 3);
    CHECK_INT_EQ(copy->null_count, 1);
    CHECK_INT_EQ(i32_at(copy->buffers[1], 1), 0);
    CHECK_INT_EQ(i32_at(copy->buffers[1], 2), 3);
    CHECK_INT_EQ(i32_at(copy->buffers[1], 3), 7);
    const arrow_array *copied_items = copy->children[0];
    CHECK_INT_EQ(copied_items->null_count, 2);
    CHECK_INT_EQ(i64_at(copied_items->children[0]->buffers[1], 3), 40);
    CHECK_INT_EQ(copied_items->children[0]->null_count, 2); /* null structs copy as nulls */
    arrow_array_release(copy);
    arrow_array_release(slice);
    arrow_array_release(src);
    arrow_builder_free(b);
    arrow_type_release(lt);
    arrow_type_release(st);

    /* Fixed-size list sliced. */
    arrow_field *item;
    arrow_type *fsl;
    CHECK_OK(arrow_field_new("item", arrow_type_primitive(QV_TYPE_UINT8), true, NULL, &item, &err));
    CHECK_OK(arrow_type_fixed_size_list(item, 3, &fsl, &err));
    arrow_field_release(item);
    CHECK_OK(arrow_builder_new(fsl, &b, &err));
    for (int row = 0; row < 4; row++) {
        for (int k = 0; k < 3; k++)
            CHECK_OK(arrow_builder_append_uint(arrow_builder_child(b, 0), row * 3 + k, &err));
        CHECK_OK(arrow_builder_end_list(b, row != 1, &err));
    }
    FINISH(b, &src);
    CHECK_OK(arrow_array_slice(src, 2, 2, &slice, &err));
    CHECK_OK(arrow_builder_append_from(b, slice, 1, &err));
    FINISH(b, &copy);
    CHECK(memcmp(copy->children[0]->buffers[1]->data, "\x09\x0a\x0b", 3) == 0);
    arrow_array_release(copy);
    arrow_array_release(slice);
    arrow_array_release(src);
    arrow_builder_free(b);
    arrow_type_release(fsl);
}

TEST(builder_append_from_dictionary_and_ree)
{
    qv_error err;
    arrow_type *dict_type, *ree;
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT32),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &dict_type, &err));
    CHECK_OK(ree_type(QV_TYPE_INT32, arrow_type_primitive(QV_TYPE_UTF8), &ree, &err));
    arrow_array *plain, *slice;
    CHECK_OK(strings(30, QV_TYPE_UTF8, &plain, &err));
    CHECK_OK(arrow_array_slice(plain, 1, 12, &slice, &err));

    /* plain -> dictionary -> (sliced) dictionary -> ree -> plain */
    arrow_builder *db, *rb, *pb;
    arrow_array *dict, *dict_slice, *dict2, *runs, *back;
    CHECK_OK(arrow_builder_new(dict_type, &db, &err));
    for (int64_t i = 0; i < slice->length; i++) {
        CHECK_OK(arrow_builder_append_from(db, slice, i, &err));
        CHECK_OK(arrow_builder_append_from(db, slice, i, &err));
    }
    FINISH(db, &dict);
    CHECK_INT_EQ(dict->length, 24);
    CHECK_INT_EQ(dict->null_count, 8);
    CHECK_INT_EQ(dict->dictionary->length, 8);
    CHECK_OK(arrow_array_slice(dict, 2, 20, &dict_slice, &err));
    for (int64_t i = 0; i < dict_slice->length; i++)
        CHECK_OK(arrow_builder_append_from(db, dict_slice, i, &err));
    FINISH(db, &dict2);
    CHECK_INT_EQ(dict2->dictionary->length, 7);

    CHECK_OK(arrow_builder_new(ree, &rb, &err));
    for (int64_t i = 0; i < dict2->length; i++)
        CHECK_OK(arrow_builder_append_from(rb, dict2, i, &err));
    FINISH(rb, &runs);
    CHECK_INT_EQ(runs->length, 20);
    CHECK_INT_EQ(runs->children[0]->length, 10);

    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &pb, &err));
    arrow_array *runs_slice;
    CHECK_OK(arrow_array_slice(runs, 3, 16, &runs_slice, &err));
    for (int64_t i = 0; i < runs_slice->length; i++)
        CHECK_OK(arrow_builder_append_from(pb, runs_slice, i, &err));
    FINISH(pb, &back);
    /* back[j] is plain slice element (2 + 3 + j) / 2 of the original slice. */
    for (int64_t j = 0; j < back->length; j++) {
        int64_t s = 1 + (5 + j) / 2;
        CHECK(bit(back, j) == (s % 3 != 1));
        if (s % 3 != 1) {
            char text[32];
            int len = snprintf(text, sizeof text, "value number %d", (int)s);
            int32_t start = i32_at(back->buffers[1], j), end = i32_at(back->buffers[1], j + 1);
            CHECK_INT_EQ(end - start, len);
            CHECK(memcmp(back->buffers[2]->data + start, text, (size_t)len) == 0);
        }
    }
    arrow_array_release(back);
    arrow_array_release(runs_slice);
    arrow_array_release(runs);
    arrow_array_release(dict2);
    arrow_array_release(dict_slice);
    arrow_array_release(dict);
    arrow_array_release(slice);
    arrow_array_release(plain);
    arrow_builder_free(db);
    arrow_builder_free(rb);
    arrow_builder_free(pb);
    arrow_type_release(dict_type);
    arrow_type_release(ree);
}

TEST(builder_reuse_after_finish_and_misuse)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    CHECK_STATUS(arrow_builder_new(NULL, &b, &err), QV_MISUSE);
    CHECK(b == NULL);
    CHECK_STATUS(arrow_builder_append_int(NULL, 1, &err), QV_MISUSE);
    CHECK_STATUS(arrow_builder_append_nulls(NULL, 1, &err), QV_MISUSE);
    CHECK_STATUS(arrow_builder_finish(NULL, &a, &err), QV_MISUSE);
    arrow_builder_free(NULL);
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_INT32), &b, &err));
    CHECK_STATUS(arrow_builder_append_nulls(b, -1, &err), QV_MISUSE);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 100000; i++)
            CHECK_OK(arrow_builder_append_int(b, i + round, &err));
        FINISH(b, &a);
        CHECK_INT_EQ(a->length, 100000);
        CHECK_INT_EQ(i32_at(a->buffers[1], 99999), 99999 + round);
        CHECK(a->buffers[1]->capacity < 2 * 400000 + 64);
        arrow_array_release(a);
    }
    FINISH(b, &a);
    CHECK_INT_EQ(a->length, 0);
    CHECK(a->buffers[1] != NULL);
    arrow_array_release(a);
    arrow_builder_free(b);
}
