/*
 * test_basic.c — count, sum, avg, bool_and / bool_or, bit_and / bit_or /
 * bit_xor and min / max: results per group, empty groups, nulls, slices,
 * scalar arguments, FILTER, result types, and two-phase equals single-phase
 * (t_expect runs both).
 */
#include <math.h>

#include "agg_test_util.h"
#include "test.h"

TEST(count_groups_nulls_empty)
{
    t_call c = {"count", 1, {ARR(I64(1, NUL_I, 3, 4, NUL_I, 6))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 1, 0, 1, 1, 0), 6, 3, "[3, 1, 0]");
    CHECK_STR_EQ(t_run_type(&c, GROUPS(0, 1, 0, 1, 1, 0), 6, 3), "Int64");
    t_call_release(&c);
}

TEST(count_star_scalar_and_filter)
{
    /* count(*) arrives as count(Int64(1)), a scalar literal */
    t_call c = {"count", 1, {SCA(I64(1))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 1, 0, 0, 2), 5, 4, "[3, 1, 1, 0]");
    c.selected = (const uint8_t[]){1, 0, 1, 0, 1};
    EXPECT(&c, GROUPS(0, 1, 0, 0, 2), 5, 4, "[2, 0, 1, 0]");
    t_call_release(&c);
    /* count(NULL) */
    t_call n = {"count", 1, {SCA(a_null(1))}, {NULL}, NULL};
    EXPECT(&n, GROUPS(0, 0), 2, 1, "[0]");
    t_call_release(&n);
}

TEST(count_multiple_args)
{
    t_call c = {"count",
                2,
                {ARR(I64(1, 2, NUL_I, NUL_I, 3, NUL_I)), ARR(I64(1, NUL_I, 2, NUL_I, 3, 4))},
                {NULL},
                NULL};
    EXPECT(&c, GROUPS(0, 0, 0, 0, 0, 0), 6, 1, "[2]");
    t_call_release(&c);
}

TEST(count_slice_and_strings)
{
    t_call c = {
        "count", 1, {ARR(a_slice(STR("a", NULL, "b", "c", NULL, "d"), 1, 4))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 1, 1, 0), 4, 2, "[0, 2]");
    t_call_release(&c);
}

TEST(sum_int64_nulls_empty_wrap)
{
    t_call c = {"sum", 1, {ARR(I64(1, NUL_I, 3, 4, NUL_I, 6))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 1, 0, 1, 1, 0), 6, 3, "[10, 4, NULL]");
    CHECK_STR_EQ(t_run_type(&c, GROUPS(0, 1, 0, 1, 1, 0), 6, 3), "Int64");
    t_call_release(&c);
    /* wraps like arrow-rs add_wrapping */
    t_call w = {"sum", 1, {ARR(I64(INT64_MAX, 1, INT64_MAX))}, {NULL}, NULL};
    EXPECT(&w, GROUPS(0, 0, 1), 3, 2, "[-9223372036854775808, 9223372036854775807]");
    t_call_release(&w);
}

TEST(sum_types)
{
    t_call i8 = {"sum", 1, {ARR(I8(100, 100, -5))}, {NULL}, NULL};
    EXPECT(&i8, GROUPS(0, 0, 0), 3, 1, "[195]");
    CHECK_STR_EQ(t_run_type(&i8, GROUPS(0, 0, 0), 3, 1), "Int64");
    t_call_release(&i8);

    t_call u = {"sum", 1, {ARR(U32(4000000000, 4000000000, NUL_I))}, {NULL}, NULL};
    EXPECT(&u, GROUPS(0, 0, 1), 3, 2, "[8000000000, NULL]");
    CHECK_STR_EQ(t_run_type(&u, GROUPS(0, 0, 1), 3, 2), "UInt64");
    t_call_release(&u);

    t_call f = {"sum", 1, {ARR(F32(1.5, 2.25, NUL_F))}, {NULL}, NULL};
    EXPECT(&f, GROUPS(1, 1, 0), 3, 2, "[NULL, 3.75]");
    CHECK_STR_EQ(t_run_type(&f, GROUPS(1, 1, 0), 3, 2), "Float64");
    t_call_release(&f);

    t_call d = {"sum", 1, {ARR(a_dec(10, 2, 4, (int64_t[]){125, -25, NUL_I, 5}))}, {NULL}, NULL};
    EXPECT(&d, GROUPS(0, 0, 1, 1), 4, 2, "[1.00, 0.05]");
    CHECK_STR_EQ(t_run_type(&d, GROUPS(0, 0, 1, 1), 4, 2), "Decimal128(20, 2)");
    t_call_release(&d);

    t_call s = {"sum", 1, {SCA(I32(7))}, {NULL}, NULL};
    EXPECT(&s, GROUPS(0, 1, 1), 3, 2, "[7, 14]");
    t_call_release(&s);

    t_call sl = {"sum", 1, {ARR(a_slice(I64(100, 1, 2, 3, 100), 1, 3))}, {NULL}, NULL};
    EXPECT(&sl, GROUPS(0, 0, 0), 3, 1, "[6]");
    t_call_release(&sl);
}

TEST(avg_types)
{
    t_call c = {"avg", 1, {ARR(I32(1, NUL_I, 3, 4, 5))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 0, 0, 0, 0), 5, 2, "[3.25, NULL]");
    CHECK_STR_EQ(t_run_type(&c, GROUPS(0, 0, 0, 0, 0), 5, 2), "Float64");
    t_call_release(&c);

    t_call d = {"avg", 1, {ARR(a_dec(10, 0, 6, (int64_t[]){1, 2, 3, 4, 5, 6}))}, {NULL}, NULL};
    EXPECT(&d, GROUPS(0, 0, 0, 0, 0, 0), 6, 1, "[3.5000]");
    CHECK_STR_EQ(t_run_type(&d, GROUPS(0, 0, 0, 0, 0, 0), 6, 1), "Decimal128(14, 4)");
    t_call_release(&d);

    /* DataFusion's decimal_simple: 0.00055 / 15 truncates to 0.0000366666 */
    t_call t = {"mean", 1, {ARR(a_dec(10, 6, 2, (int64_t[]){540, 10}))}, {NULL}, NULL};
    t_call t15 = {
        "avg",
        1,
        {ARR(a_dec(10, 6, 15,
                   (int64_t[]){10, 20, 20, 30, 30, 30, 40, 40, 40, 40, 50, 50, 50, 50, 50}))},
        {NULL},
        NULL};
    EXPECT(&t15, GROUPS(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 15, 1, "[0.0000366666]");
    EXPECT(&t, GROUPS(0, 0), 2, 1, "[0.0002750000]");
    t_call_release(&t);
    t_call_release(&t15);

    t_call f = {"avg", 1, {ARR(F64(1.5, 2.5, NUL_F, -1))}, {NULL}, NULL};
    EXPECT(&f, GROUPS(0, 0, 1, 1), 4, 2, "[2.0, -1.0]");
    t_call_release(&f);
}

TEST(bool_and_or)
{
    t_call a = {"bool_and", 1, {ARR(BOOLS(1, 1, 0, 1, -1, -1))}, {NULL}, NULL};
    EXPECT(&a, GROUPS(0, 0, 1, 1, 2, 0), 6, 4, "[true, false, NULL, NULL]");
    t_call_release(&a);
    t_call o = {"bool_or", 1, {ARR(BOOLS(0, 0, 0, 1, -1, -1))}, {NULL}, NULL};
    EXPECT(&o, GROUPS(0, 0, 1, 1, 2, 0), 6, 4, "[false, true, NULL, NULL]");
    CHECK_STR_EQ(t_run_type(&o, GROUPS(0, 0, 1, 1, 2, 0), 6, 4), "Boolean");
    t_call_release(&o);
    t_call sl = {"bool_and", 1, {ARR(a_slice(BOOLS(0, 1, 1, 1, 0), 1, 3))}, {NULL}, NULL};
    EXPECT(&sl, GROUPS(0, 0, 0), 3, 1, "[true]");
    t_call_release(&sl);
    t_call sc = {"bool_or", 1, {SCA(BOOLS(1))}, {NULL}, NULL};
    EXPECT(&sc, GROUPS(1, 1), 2, 2, "[NULL, true]");
    t_call_release(&sc);
}

TEST(bit_and_or_xor)
{
    t_call a = {"bit_and", 1, {ARR(I32(12, 10, -1, 7, NUL_I))}, {NULL}, NULL};
    EXPECT(&a, GROUPS(0, 0, 1, 1, 2), 5, 3, "[8, 7, NULL]");
    CHECK_STR_EQ(t_run_type(&a, GROUPS(0, 0, 1, 1, 2), 5, 3), "Int32");
    t_call_release(&a);
    t_call o = {"bit_or", 1, {ARR(U8(12, 10, 1, 128))}, {NULL}, NULL};
    EXPECT(&o, GROUPS(0, 0, 1, 1), 4, 2, "[14, 129]");
    CHECK_STR_EQ(t_run_type(&o, GROUPS(0, 0, 1, 1), 4, 2), "UInt8");
    t_call_release(&o);
    t_call x = {"bit_xor", 1, {ARR(I64(5, 3, -2, NUL_I))}, {NULL}, NULL};
    EXPECT(&x, GROUPS(0, 0, 1, 1), 4, 2, "[6, -2]");
    t_call_release(&x);
    t_call n = {"bit_xor", 1, {ARR(a_null(2))}, {NULL}, NULL};
    EXPECT(&n, GROUPS(0, 0), 2, 1, "[NULL]");
    CHECK_STR_EQ(t_run_type(&n, GROUPS(0, 0), 2, 1), "Null");
    t_call_release(&n);
}

TEST(min_max_integers)
{
    t_call mn = {"min", 1, {ARR(I64(5, NUL_I, -3, 8, 2))}, {NULL}, NULL};
    t_call mx = {"max", 1, {ARR(I64(5, NUL_I, -3, 8, 2))}, {NULL}, NULL};
    EXPECT(&mn, GROUPS(0, 1, 0, 2, 2), 5, 4, "[-3, NULL, 2, NULL]");
    EXPECT(&mx, GROUPS(0, 1, 0, 2, 2), 5, 4, "[5, NULL, 8, NULL]");
    t_call_release(&mn);
    t_call_release(&mx);
    t_call u = {"max", 1, {ARR(a_slice(U8(255, 1, 200, 3), 1, 3))}, {NULL}, NULL};
    EXPECT(&u, GROUPS(0, 0, 0), 3, 1, "[200]");
    CHECK_STR_EQ(t_run_type(&u, GROUPS(0, 0, 0), 3, 1), "UInt8");
    t_call_release(&u);
    t_call s = {"min", 1, {SCA(I8(-7))}, {NULL}, NULL};
    EXPECT(&s, GROUPS(1, 1), 2, 2, "[NULL, -7]");
    t_call_release(&s);
    t_call e = {"min", 1, {ARR(I64(INT64_MAX, INT64_MAX))}, {NULL}, NULL};
    EXPECT(&e, GROUPS(0, 0), 2, 1, "[9223372036854775807]");
    t_call_release(&e);
}

TEST(min_max_floats_nan)
{
    /* NaN is the largest value, -0 < +0 (total order, as DataFusion) */
    t_call mx = {"max", 1, {ARR(F64(1.5, NAN, 2.5, -0.0, 0.0, NUL_F))}, {NULL}, NULL};
    t_call mn = {"min", 1, {ARR(F64(1.5, NAN, 2.5, 0.0, -0.0, NUL_F))}, {NULL}, NULL};
    EXPECT(&mx, GROUPS(0, 0, 0, 1, 1, 2), 6, 3, "[NaN, 0.0, NULL]");
    EXPECT(&mn, GROUPS(0, 0, 0, 1, 1, 2), 6, 3, "[1.5, -0.0, NULL]");
    t_call_release(&mx);
    t_call_release(&mn);
    t_call nan = {"min", 1, {ARR(F32(NAN, NAN))}, {NULL}, NULL};
    EXPECT(&nan, GROUPS(0, 0), 2, 1, "[NaN]");
    CHECK_STR_EQ(t_run_type(&nan, GROUPS(0, 0), 2, 1), "Float32");
    t_call_release(&nan);
    t_call inf = {"min", 1, {ARR(F64(INFINITY, -INFINITY))}, {NULL}, NULL};
    EXPECT(&inf, GROUPS(0, 0), 2, 1, "[-inf]");
    t_call_release(&inf);
}

TEST(min_max_strings_binary)
{
    static const arrow_type_id ids[] = {QV_TYPE_UTF8, QV_TYPE_LARGE_UTF8, QV_TYPE_UTF8_VIEW};
    for (int k = 0; k < 3; k++) {
        const char *v[] = {"pear", "apple", NULL, "a much longer string than twelve", "zz", "b"};
        t_call mn = {"min", 1, {ARR(a_str(ids[k], 6, v))}, {NULL}, NULL};
        t_call mx = {"max", 1, {ARR(a_str(ids[k], 6, v))}, {NULL}, NULL};
        EXPECT(&mn, GROUPS(0, 0, 1, 2, 2, 2), 6, 4,
               "[apple, NULL, a much longer string than twelve, NULL]");
        EXPECT(&mx, GROUPS(0, 0, 1, 2, 2, 2), 6, 4, "[pear, NULL, zz, NULL]");
        CHECK_STR_EQ(t_run_type(&mx, GROUPS(0, 0, 1, 2, 2, 2), 6, 4), k == 0   ? "Utf8"
                                                                      : k == 1 ? "LargeUtf8"
                                                                               : "Utf8View");
        t_call_release(&mn);
        t_call_release(&mx);
    }
    t_call b = {"max", 1, {ARR(BIN("ab", "abc", "", "a"))}, {NULL}, NULL};
    EXPECT(&b, GROUPS(0, 0, 1, 1), 4, 2, "[616263, 61]");
    t_call_release(&b);
    t_call e = {"min", 1, {ARR(STR("", "x"))}, {NULL}, NULL};
    EXPECT(&e, GROUPS(0, 0), 2, 1, "[]");
    t_call_release(&e);
    t_call s = {"max", 1, {SCA(STR("k"))}, {NULL}, NULL};
    EXPECT(&s, GROUPS(0, 0), 2, 1, "[k]");
    t_call_release(&s);
    t_call sl = {"min", 1, {ARR(a_slice(STR("a", "d", "c", "b"), 1, 2))}, {NULL}, NULL};
    EXPECT(&sl, GROUPS(0, 0), 2, 1, "[c]");
    t_call_release(&sl);
}

TEST(min_max_bool_decimal_temporal)
{
    t_call b = {"min", 1, {ARR(BOOLS(1, 0, 1, -1))}, {NULL}, NULL};
    t_call bx = {"max", 1, {ARR(BOOLS(1, 0, 0, -1))}, {NULL}, NULL};
    EXPECT(&b, GROUPS(0, 0, 1, 1), 4, 2, "[false, true]");
    EXPECT(&bx, GROUPS(0, 0, 1, 1), 4, 2, "[true, false]");
    t_call_release(&b);
    t_call_release(&bx);

    t_call d = {"max", 1, {ARR(a_dec(10, 6, 3, (int64_t[]){20, 50, -70}))}, {NULL}, NULL};
    EXPECT(&d, GROUPS(0, 0, 0), 3, 1, "[0.000050]");
    CHECK_STR_EQ(t_run_type(&d, GROUPS(0, 0, 0), 3, 1), "Decimal128(10, 6)");
    t_call_release(&d);

    t_call dt = {
        "min", 1, {ARR(a_int(QV_TYPE_DATE32, 3, (int64_t[]){19000, 18000, NUL_I}))}, {NULL}, NULL};
    EXPECT(&dt, GROUPS(0, 0, 0), 3, 1, "[2019-04-14]");
    CHECK_STR_EQ(t_run_type(&dt, GROUPS(0, 0, 0), 3, 1), "Date32");
    t_call_release(&dt);
}

TEST(min_max_generic_types)
{
    /* Float16 goes through the generic comparator. */
    t_call h = {
        "max", 1, {ARR(a_flt(QV_TYPE_FLOAT16, 4, (double[]){1.5, -2, NAN, 0.25}))}, {NULL}, NULL};
    EXPECT(&h, GROUPS(0, 0, 1, 1), 4, 2, "[1.5, NaN]");
    t_call_release(&h);
    t_call hm = {
        "min", 1, {ARR(a_flt(QV_TYPE_FLOAT16, 4, (double[]){1.5, -2, NAN, 0.25}))}, {NULL}, NULL};
    EXPECT(&hm, GROUPS(0, 0, 1, 1), 4, 2, "[-2, 0.25]");
    t_call_release(&hm);
}

TEST(min_max_null_type)
{
    t_call n = {"max", 1, {ARR(a_null(3))}, {NULL}, NULL};
    EXPECT(&n, GROUPS(0, 1, 0), 3, 2, "[NULL, NULL]");
    CHECK_STR_EQ(t_run_type(&n, GROUPS(0, 1, 0), 3, 2), "Null");
    t_call_release(&n);
}

TEST(groups_grow_between_batches)
{
    /* n_groups grows from one update to the next; new groups start empty. */
    qv_error err;
    t_call c = {"sum", 1, {ARR(I64(1, 2, 3))}, {NULL}, NULL};
    func_agg_call call;
    arrow_type *types[4];
    CHECK_OK(t_prepare(&c, &call, types, &err));
    func_agg_state *s;
    CHECK_OK(call.entry->impl.aggregate->create(&call, &s, &err));
    CHECK_OK(s->ops->update(s, c.args, GROUPS(0, 0, 0), NULL, 3, 1, &err));
    CHECK_OK(s->ops->update(s, c.args, GROUPS(0, 1, 700), NULL, 3, 701, &err));
    arrow_array *out;
    CHECK_OK(s->ops->evaluate(s, 702, &out, &err));
    CHECK_INT_EQ(out->length, 702);
    CHECK(arrow_array_is_valid(out, 700) && !arrow_array_is_valid(out, 701) &&
          !arrow_array_is_valid(out, 2));
    CHECK_INT_EQ(((const int64_t *)(const void *)arrow_array_values(out))[0], 7);
    CHECK_INT_EQ(((const int64_t *)(const void *)arrow_array_values(out))[700], 3);
    CHECK(s->ops->memory_bytes(s) > 0);
    arrow_array_release(out);
    s->ops->free(s);
    t_unprepare(&call, types);
    t_call_release(&c);
}
