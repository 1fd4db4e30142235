/*
 * test_kernels.c — operator kernels: arithmetic (checked integers, floats,
 * decimals, every operand shape, sliced inputs, exact overflow and divide by
 * zero messages), comparisons (numbers with total float order, strings of
 * mixed layouts, booleans, decimals), three-valued logic, IS NULL, IS
 * DISTINCT FROM, LIKE / ILIKE.
 */
#include <math.h>
#include <stdio.h>

#include "func_test_util.h"
#include "test.h"

/* Runs a binary kernel call and formats the result (or the error). */
static char result_buf[4096];
#define ARITH(op, l, r, n)                                                                         \
    arith_fmt((op), (func_datum[]){l, r}, (n))
static const char *arith_fmt(func_arith_op op, func_datum *lr, int64_t n)
{
    qv_error err;
    func_datum out;
    qv_status st = func_arith(op, &lr[0], &lr[1], n, &out, &err);
    if (st != QV_OK)
        snprintf(result_buf, sizeof result_buf, "ERR %s: %s", qv_status_name(st), err.message);
    else
        snprintf(result_buf, sizeof result_buf, "%s", t_fmt(&out));
    if (st == QV_OK)
        func_datum_release(&out);
    t_release_all(2, lr);
    return result_buf;
}

#define CMP(op, l, r, n) cmp_fmt((op), (func_datum[]){l, r}, (n))
static const char *cmp_fmt(func_cmp_op op, func_datum *lr, int64_t n)
{
    qv_error err;
    func_datum out;
    qv_status st = func_compare(op, &lr[0], &lr[1], n, &out, &err);
    if (st != QV_OK)
        snprintf(result_buf, sizeof result_buf, "ERR %s: %s", qv_status_name(st), err.message);
    else
        snprintf(result_buf, sizeof result_buf, "%s", t_fmt(&out));
    if (st == QV_OK)
        func_datum_release(&out);
    t_release_all(2, lr);
    return result_buf;
}

TEST(arith_int32_shapes)
{
    CHECK_STR_EQ(ARITH(FUNC_ADD, t_arr(I32(1, 2, NUL_I)), t_arr(I32(10, 20, 30)), 3),
                 "[11, 22, NULL]");
    CHECK_STR_EQ(ARITH(FUNC_SUB, t_arr(I32(1, 2, 3)), t_sca(I32(1)), 3), "[0, 1, 2]");
    CHECK_STR_EQ(ARITH(FUNC_MUL, t_sca(I32(3)), t_arr(I32(1, NUL_I, 3)), 3), "[3, NULL, 9]");
    CHECK_STR_EQ(ARITH(FUNC_DIV, t_sca(I32(7)), t_sca(I32(2)), 5), "S[3]");
    CHECK_STR_EQ(ARITH(FUNC_MOD, t_arr(I32(7, -7, 7)), t_arr(I32(3, 3, -3)), 3), "[1, -1, 1]");
    CHECK_STR_EQ(ARITH(FUNC_DIV, t_arr(I32(-7)), t_arr(I32(2)), 1), "[-3]");
    /* a null scalar makes every row null */
    CHECK_STR_EQ(ARITH(FUNC_ADD, t_arr(I32(1, 2)), t_sca(I32(NUL_I)), 2), "[NULL, NULL]");
}

TEST(arith_overflow_messages)
{
    CHECK_STR_EQ(ARITH(FUNC_ADD, t_arr(I32(1, 2147483647)), t_sca(I32(1)), 2),
                 "ERR OVERFLOW: Arrow error: Arithmetic overflow: Overflow happened on: "
                 "2147483647 + 1");
    CHECK_STR_EQ(ARITH(FUNC_SUB, t_sca(I64(INT64_MIN + 1)), t_arr(I64(0, 2)), 2),
                 "ERR OVERFLOW: Arrow error: Arithmetic overflow: Overflow happened on: "
                 "-9223372036854775807 - 2");
    CHECK_STR_EQ(ARITH(FUNC_MUL, t_arr(I8(100)), t_arr(I8(2)), 1),
                 "ERR OVERFLOW: Arrow error: Arithmetic overflow: Overflow happened on: 100 * 2");
    CHECK_STR_EQ(ARITH(FUNC_DIV, t_arr(I32(INT32_MIN)), t_arr(I32(-1)), 1),
                 "ERR OVERFLOW: Arrow error: Arithmetic overflow: Overflow happened on: "
                 "-2147483648 / -1");
    CHECK_STR_EQ(ARITH(FUNC_MOD, t_arr(I32(INT32_MIN)), t_arr(I32(-1)), 1), "[0]");
    CHECK_STR_EQ(ARITH(FUNC_SUB, t_arr(U8(1)), t_arr(U8(2)), 1),
                 "ERR OVERFLOW: Arrow error: Arithmetic overflow: Overflow happened on: 1 - 2");
    /* overflow hidden under a null row is not an error */
    CHECK_STR_EQ(ARITH(FUNC_ADD, t_arr(I32(2147483647, 1)), t_arr(I32(NUL_I, 1)), 2),
                 "[NULL, 2]");
}

TEST(arith_divide_by_zero)
{
    CHECK_STR_EQ(ARITH(FUNC_DIV, t_arr(I64(1, 2)), t_arr(I64(1, 0)), 2),
                 "ERR DIVIDE_BY_ZERO: Arrow error: Divide by zero error");
    CHECK_STR_EQ(ARITH(FUNC_MOD, t_arr(I64(1)), t_sca(I64(0)), 1),
                 "ERR DIVIDE_BY_ZERO: Arrow error: Divide by zero error");
    CHECK_STR_EQ(ARITH(FUNC_DIV, t_arr(I64(1, NUL_I)), t_arr(I64(1, 0)), 2), "[1, NULL]");
    CHECK_STR_EQ(ARITH(FUNC_DIV, t_arr(F64(1.0, -1.0, 0.0)), t_sca(F64(0.0)), 3),
                 "[inf, -inf, NaN]");
    CHECK_STR_EQ(ARITH(FUNC_MOD, t_arr(F64(5.5)), t_sca(F64(2.0)), 1), "[1.5]");
    CHECK_STR_EQ(ARITH(FUNC_ADD, t_arr(F32(1.5)), t_sca(F32(2.25)), 1), "[3.75]");
}

TEST(arith_sliced_inputs)
{
    arrow_array *l = t_slice(I64(100, 1, NUL_I, 3, 100), 1, 3);
    arrow_array *r = t_slice(I64(7, 7, 10, 20, 30), 2, 3);
    CHECK_STR_EQ(ARITH(FUNC_ADD, t_arr(l), t_arr(r), 3), "[11, NULL, 33]");
    /* validity at a non-byte-aligned offset over more than 8 rows */
    arrow_array *big = t_slice(I64(0, 1, 2, 3, NUL_I, 5, 6, 7, 8, 9, 10, NUL_I, 12), 3, 10);
    CHECK_STR_EQ(ARITH(FUNC_MUL, t_arr(big), t_sca(I64(2)), 10),
                 "[6, NULL, 10, 12, 14, 16, 18, 20, NULL, 24]");
}

TEST(arith_decimal)
{
    qv_error err;
    arrow_type *t;
    arrow_array *a = t_dec(5, 2, 2, (int64_t[]){123, -50}); /* 1.23, -0.50 */
    arrow_array *b = t_dec(4, 1, 2, (int64_t[]){15, 10});   /* 1.5, 1.0 */
    CHECK_OK(func_arith_result_type(FUNC_ADD, a->type, b->type, &t, &err));
    CHECK(t->precision == 6 && t->scale == 2);
    arrow_type_release(t);
    CHECK_OK(func_arith_result_type(FUNC_MUL, a->type, b->type, &t, &err));
    CHECK(t->precision == 10 && t->scale == 3);
    arrow_type_release(t);
    CHECK_OK(func_arith_result_type(FUNC_DIV, a->type, b->type, &t, &err));
    CHECK(t->precision == 10 && t->scale == 6);
    arrow_type_release(t);
    arrow_array_retain(a);
    arrow_array_retain(b);
    arrow_array_retain(a);
    arrow_array_retain(b);
    CHECK_STR_EQ(ARITH(FUNC_ADD, t_arr(a), t_arr(b), 2), "[2.73, 0.50]");
    CHECK_STR_EQ(ARITH(FUNC_MUL, t_arr(a), t_arr(b), 2), "[1.845, -0.500]");
    CHECK_STR_EQ(ARITH(FUNC_DIV, t_arr(a), t_arr(b), 2), "[0.820000, -0.500000]");
    CHECK_STR_EQ(ARITH(FUNC_DIV, t_arr(t_dec(5, 2, 1, (int64_t[]){1})),
                       t_arr(t_dec(5, 2, 1, (int64_t[]){0})), 1),
                 "ERR DIVIDE_BY_ZERO: Arrow error: Divide by zero error");
    CHECK_STR_EQ(ARITH(FUNC_MOD, t_arr(t_dec(5, 2, 1, (int64_t[]){550})),
                       t_arr(t_dec(5, 1, 1, (int64_t[]){20})), 1),
                 "[1.50]");
}

TEST(negate)
{
    qv_error err;
    func_datum in = t_arr(I32(1, NUL_I, -3)), out;
    CHECK_OK(func_negate(&in, 3, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[-1, NULL, 3]");
    func_datum_release(&out);
    func_datum_release(&in);
    in = t_arr(I8(-128));
    CHECK_STATUS(func_negate(&in, 1, &out, &err), QV_OVERFLOW);
    CHECK_STR_EQ(err.message, "Arrow error: Arithmetic overflow: Overflow happened on: - -128");
    func_datum_release(&in);
    in = t_arr(STR("x"));
    CHECK_STATUS(func_negate(&in, 1, &out, &err), QV_PLAN);
    func_datum_release(&in);
}

TEST(compare_numbers)
{
    CHECK_STR_EQ(CMP(FUNC_LT, t_arr(I32(1, 2, 3, NUL_I)), t_sca(I32(2)), 4),
                 "[true, false, false, NULL]");
    CHECK_STR_EQ(CMP(FUNC_GE, t_sca(I64(2)), t_arr(I64(1, 2, 3)), 3), "[true, true, false]");
    CHECK_STR_EQ(CMP(FUNC_NE, t_sca(I64(2)), t_sca(I64(3)), 3), "S[true]");
    CHECK_STR_EQ(CMP(FUNC_EQ, t_arr(U8(255, 0)), t_arr(U8(255, 1)), 2), "[true, false]");
    /* total order: NaN = NaN, NaN greatest, -0 < 0 */
    CHECK_STR_EQ(CMP(FUNC_EQ, t_arr(F64(NAN, -0.0)), t_arr(F64(NAN, 0.0)), 2), "[true, false]");
    CHECK_STR_EQ(CMP(FUNC_GT, t_arr(F64(NAN, 1.0, -INFINITY)), t_sca(F64(INFINITY)), 3),
                 "[true, false, false]");
    CHECK_STR_EQ(CMP(FUNC_LT, t_arr(F32(-1.5, 2.5)), t_sca(F32(0.0)), 2), "[true, false]");
    /* 20 rows: more than two output bytes, unaligned slice */
    arrow_array *a = t_slice(I64(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
                                 19, 20, 21),
                             1, 20);
    CHECK_STR_EQ(CMP(FUNC_LE, t_arr(a), t_sca(I64(10)), 20),
                 "[true, true, true, true, true, true, true, true, true, true, false, false, "
                 "false, false, false, false, false, false, false, false]");
    CHECK_STR_EQ(CMP(FUNC_EQ, t_arr(t_dec(5, 2, 2, (int64_t[]){100, -5})),
                     t_sca(t_dec(5, 2, 1, (int64_t[]){-5})), 2),
                 "[false, true]");
    CHECK(strncmp(CMP(FUNC_EQ, t_arr(I32(1)), t_arr(I64(1)), 1), "ERR PLAN_ERROR", 14) == 0);
}

TEST(compare_strings_and_bools)
{
    CHECK_STR_EQ(CMP(FUNC_LT, t_arr(STR("a", "abc", "", NULL, "b")), t_sca(STR("ab")), 5),
                 "[true, false, true, NULL, false]");
    CHECK_STR_EQ(CMP(FUNC_EQ, t_arr(VSTR("short", "a string longer than twelve")),
                     t_arr(LSTR("short", "a string longer than twelve")), 2),
                 "[true, true]");
    CHECK_STR_EQ(CMP(FUNC_GT, t_arr(STR("é", "z")), t_arr(STR("z", "é")), 2), "[true, false]");
    CHECK_STR_EQ(CMP(FUNC_LT, t_arr(BOOLS(0, 1, -1)), t_sca(BOOLS(1)), 3),
                 "[true, false, NULL]");
}

TEST(is_distinct_from)
{
    qv_error err;
    func_datum l = t_arr(I32(1, NUL_I, NUL_I, 2)), r = t_arr(I32(1, 1, NUL_I, 3)), out;
    CHECK_OK(func_is_distinct(true, &l, &r, 4, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[false, true, false, true]");
    func_datum_release(&out);
    CHECK_OK(func_is_distinct(false, &l, &r, 4, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[true, false, true, false]");
    func_datum_release(&out);
    func_datum_release(&l);
    func_datum_release(&r);
}

TEST(three_valued_logic)
{
    qv_error err;
    func_datum l = t_arr(BOOLS(1, 1, 1, 0, 0, 0, -1, -1, -1));
    func_datum r = t_arr(BOOLS(1, 0, -1, 1, 0, -1, 1, 0, -1));
    func_datum out;
    CHECK_OK(func_and(&l, &r, 9, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[true, false, NULL, false, false, false, NULL, false, NULL]");
    func_datum_release(&out);
    CHECK_OK(func_or(&l, &r, 9, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[true, true, true, true, false, NULL, true, NULL, NULL]");
    func_datum_release(&out);
    CHECK_OK(func_not(&l, 9, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[false, false, false, true, true, true, NULL, NULL, NULL]");
    func_datum_release(&out);
    func_datum s = t_sca(BOOLS(0));
    CHECK_OK(func_and(&l, &s, 9, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[false, false, false, false, false, false, false, false, false]");
    func_datum_release(&out);
    func_datum_release(&s);
    s = t_sca(BOOLS(-1));
    CHECK_OK(func_or(&s, &l, 9, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[true, true, true, NULL, NULL, NULL, NULL, NULL, NULL]");
    func_datum_release(&out);
    func_datum_release(&s);
    /* sliced boolean input */
    func_datum sl = t_arr(t_slice(BOOLS(1, 0, 1, -1, 0), 1, 4));
    CHECK_OK(func_not(&sl, 4, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[true, false, NULL, true]");
    func_datum_release(&out);
    func_datum_release(&sl);
    func_datum_release(&l);
    func_datum_release(&r);
}

TEST(is_null_kernel)
{
    qv_error err;
    func_datum a = t_arr(t_slice(STR("x", NULL, "y", NULL), 1, 3)), out;
    CHECK_OK(func_is_null(false, &a, 3, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[true, false, true]");
    func_datum_release(&out);
    CHECK_OK(func_is_null(true, &a, 3, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[false, true, false]");
    func_datum_release(&out);
    func_datum_release(&a);
    func_datum s = t_sca(I32(NUL_I));
    CHECK_OK(func_is_null(false, &s, 5, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "S[true]");
    func_datum_release(&out);
    func_datum_release(&s);
}

static const char *like(bool neg, bool ci, const char *value, const char *pattern,
                        uint32_t escape)
{
    qv_error err;
    func_datum v = t_arr(value ? STR(value) : STR(NULL)), p = t_sca(STR(pattern)), out;
    qv_status st = func_like(neg, ci, &v, &p, escape, 1, &out, &err);
    func_datum_release(&v);
    func_datum_release(&p);
    if (st != QV_OK)
        return "ERR";
    snprintf(result_buf, sizeof result_buf, "%s", t_fmt(&out));
    func_datum_release(&out);
    return result_buf;
}

TEST(like_matcher)
{
    CHECK_STR_EQ(like(false, false, "hello", "h%o", '\\'), "[true]");
    CHECK_STR_EQ(like(false, false, "hello", "h_llo", '\\'), "[true]");
    CHECK_STR_EQ(like(false, false, "hello", "h_lo", '\\'), "[false]");
    CHECK_STR_EQ(like(false, false, "", "%", '\\'), "[true]");
    CHECK_STR_EQ(like(false, false, "", "_", '\\'), "[false]");
    CHECK_STR_EQ(like(false, false, "abcabcabd", "%abc%abd", '\\'), "[true]");
    CHECK_STR_EQ(like(false, false, "aXbXc", "%X%X%X%", '\\'), "[false]");
    CHECK_STR_EQ(like(false, false, "héllo wörld", "h_llo w_rld", '\\'), "[true]");
    CHECK_STR_EQ(like(false, false, "日本語", "__語", '\\'), "[true]");
    CHECK_STR_EQ(like(false, false, "50%", "50\\%", '\\'), "[true]");
    CHECK_STR_EQ(like(false, false, "500", "50\\%", '\\'), "[false]");
    CHECK_STR_EQ(like(false, false, "a_b", "a#_b", '#'), "[true]");
    CHECK_STR_EQ(like(false, false, "axb", "a#_b", '#'), "[false]");
    CHECK_STR_EQ(like(false, false, "a\\", "a\\", '\\'), "[true]");
    CHECK_STR_EQ(like(false, false, "Hello", "hello", '\\'), "[false]");
    CHECK_STR_EQ(like(false, true, "Hello", "hELLO", '\\'), "[true]");
    CHECK_STR_EQ(like(false, true, "ÉCOLE", "éc%", '\\'), "[true]");
    CHECK_STR_EQ(like(true, false, "abc", "a%", '\\'), "[false]");
    CHECK_STR_EQ(like(true, false, "abc", "b%", '\\'), "[true]");
    CHECK_STR_EQ(like(false, false, NULL, "%", '\\'), "[NULL]");
}

TEST(like_array_patterns)
{
    qv_error err;
    func_datum v = t_arr(STR("abc", "abc", NULL, "xyz"));
    func_datum p = t_arr(STR("a%", "%d", "%", NULL)), out;
    CHECK_OK(func_like(false, false, &v, &p, '\\', 4, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[true, false, NULL, NULL]");
    func_datum_release(&out);
    func_datum_release(&v);
    func_datum_release(&p);
    v = t_arr(I32(1));
    p = t_sca(STR("%"));
    CHECK_STATUS(func_like(false, false, &v, &p, '\\', 1, &out, &err), QV_PLAN);
    func_datum_release(&v);
    func_datum_release(&p);
}
