/*
 * test_math.c — math scalar functions through the registry: return types,
 * NULL propagation, scalar/array shapes, edge values and error texts.
 */
#include <math.h>
#include <stdio.h>

#include "func_test_util.h"
#include "test.h"

#define CALL1(name, a, n) t_callf(name, 1, (func_datum[]){a}, n)
#define CALL2(name, a, b, n) t_callf(name, 2, (func_datum[]){a, b}, n)

static const char *rtype(const char *name, int n_args, arrow_type *const *types)
{
    static char out[64];
    qv_error err;
    const func_entry *e = func_registry_lookup(t_registry(), name, strlen(name));
    arrow_type *rt;
    if (e == NULL || e->impl.scalar.return_type(n_args, types, &rt, &err) != QV_OK)
        return "ERR";
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(rt, &sb);
    snprintf(out, sizeof out, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    arrow_type_release(rt);
    return out;
}

TEST(math_unary_float)
{
    CHECK_STR_EQ(CALL1("sqrt", t_arr(F64(4.0, NAN, -1.0)), 3), "[2.0, NaN, NaN]");
    CHECK_STR_EQ(CALL1("sqrt", t_sca(F64(9.0)), 3), "S[3.0]");
    CHECK_STR_EQ(CALL1("cbrt", t_arr(F64(-64.0, 8.0)), 2), "[-4.0, 2.0]");
    CHECK_STR_EQ(CALL1("ceil", t_arr(F64(1.2, -1.2)), 2), "[2.0, -1.0]");
    CHECK_STR_EQ(CALL1("floor", t_arr(F32(1.7, -1.2)), 2), "[1.0, -2.0]");
    CHECK_STR_EQ(CALL1("ln", t_arr(F64(1.0, 0.0)), 2), "[0.0, -inf]");
    CHECK_STR_EQ(CALL1("log10", t_arr(F64(1000.0)), 1), "[3.0]");
    CHECK_STR_EQ(CALL1("log2", t_arr(F64(8.0)), 1), "[3.0]");
    CHECK_STR_EQ(CALL1("exp", t_arr(F64(0.0)), 1), "[1.0]");
    CHECK_STR_EQ(CALL1("degrees", t_arr(F64(3.14159265358979323846)), 1), "[180.0]");
    CHECK_STR_EQ(CALL1("radians", t_arr(F64(180.0)), 1), "[3.141592653589793]");
    CHECK_STR_EQ(CALL1("sin", t_arr(F64(0.0)), 1), "[0.0]");
    CHECK_STR_EQ(CALL1("cos", t_arr(F64(0.0)), 1), "[1.0]");
    CHECK_STR_EQ(CALL1("tan", t_arr(F64(0.0)), 1), "[0.0]");
    CHECK_STR_EQ(CALL1("cot", t_arr(F64(0.0)), 1), "[inf]");
    CHECK_STR_EQ(CALL1("acos", t_arr(F64(1.0, 2.0)), 2), "[0.0, NaN]");
    CHECK_STR_EQ(CALL1("asin", t_arr(F64(0.0)), 1), "[0.0]");
    CHECK_STR_EQ(CALL1("atan", t_arr(F64(0.0)), 1), "[0.0]");
    CHECK_STR_EQ(CALL1("sinh", t_arr(F64(0.0)), 1), "[0.0]");
    CHECK_STR_EQ(CALL1("cosh", t_arr(F64(0.0)), 1), "[1.0]");
    CHECK_STR_EQ(CALL1("tanh", t_arr(F64(0.0)), 1), "[0.0]");
    CHECK_STR_EQ(CALL1("asinh", t_arr(F64(0.0)), 1), "[0.0]");
    CHECK_STR_EQ(CALL1("acosh", t_arr(F64(1.0)), 1), "[0.0]");
    CHECK_STR_EQ(CALL1("atanh", t_arr(F64(0.0, 1.0)), 2), "[0.0, inf]");
    CHECK_STR_EQ(CALL1("signum", t_arr(F64(-2.5, 0.0, 3.0)), 3), "[-1.0, 0.0, 1.0]");
    CHECK_STR_EQ(CALL1("sqrt", t_arr(t_float(QV_TYPE_FLOAT64, 3, (double[]){1, 4, 16}, ".n.")),
                       3),
                 "[1.0, NULL, 4.0]");
    arrow_type *f32 = arrow_type_primitive(QV_TYPE_FLOAT32);
    arrow_type *f64 = arrow_type_primitive(QV_TYPE_FLOAT64);
    CHECK_STR_EQ(rtype("sqrt", 1, &f32), "Float32");
    CHECK_STR_EQ(rtype("sqrt", 1, &f64), "Float64");
}

TEST(math_abs)
{
    CHECK_STR_EQ(CALL1("abs", t_arr(I32(-1, NUL_I, 5)), 3), "[1, NULL, 5]");
    CHECK_STR_EQ(CALL1("abs", t_arr(F64(-1.5)), 1), "[1.5]");
    CHECK_STR_EQ(CALL1("abs", t_arr(t_dec(10, 2, 1, (int64_t[]){-150})), 1), "[1.50]");
    CHECK_STR_EQ(CALL1("abs", t_arr(I8(-128)), 1),
                 "ERR: Arrow error: Compute error: Int8Array overflow on abs(-128)");
    CHECK_STR_EQ(CALL1("abs", t_arr(I64RAW(INT64_MIN)), 1),
                 "ERR: Arrow error: Compute error: Int64Array overflow on abs(-9223372036854775808)");
    CHECK_STR_EQ(CALL1("abs", t_arr(t_slice(I8(-128, -3), 1, 1)), 1), "[3]");
    arrow_type *i16 = arrow_type_primitive(QV_TYPE_INT16);
    CHECK_STR_EQ(rtype("abs", 1, &i16), "Int16");
}

TEST(math_round_trunc)
{
    CHECK_STR_EQ(CALL1("round", t_arr(F64(2.5, -2.5, 1.4)), 3), "[3.0, -3.0, 1.0]");
    CHECK_STR_EQ(CALL2("round", t_arr(F64(125.2345, 125.2345, 125.2345)), t_arr(I64(2, -1, 0)), 3),
                 "[125.23, 130.0, 125.0]");
    CHECK_STR_EQ(CALL2("round", t_arr(F64(125.2345)), t_sca(I64(-3)), 1), "[0.0]");
    CHECK_STR_EQ(CALL1("trunc", t_arr(F64(-1.9, 1.9)), 2), "[-1.0, 1.0]");
    CHECK_STR_EQ(CALL2("trunc", t_arr(F64(1.2399)), t_sca(I64(2)), 1), "[1.23]");
    CHECK_STR_EQ(CALL2("round", t_arr(F64(1.0)), t_sca(I64(NUL_I)), 1), "[NULL]");
    CHECK_STR_EQ(CALL1("round", t_arr(F32(2.5)), 1), "[3.0]");
}

TEST(math_binary_float)
{
    CHECK_STR_EQ(CALL2("atan2", t_arr(F64(0.0)), t_arr(F64(1.0)), 1), "[0.0]");
    CHECK_STR_EQ(CALL2("log", t_sca(F64(2.0)), t_arr(F64(8.0, 1024.0)), 2), "[3.0, 10.0]");
    CHECK_STR_EQ(CALL1("log", t_arr(F64(100.0)), 1), "[2.0]");
    CHECK_STR_EQ(CALL2("nanvl", t_arr(F64(NAN, 1.0)), t_sca(F64(5.0)), 2), "[5.0, 1.0]");
    CHECK_STR_EQ(CALL2("power", t_arr(F64(2.0, 0.0)), t_arr(F64(10.0, -1.0)), 2),
                 "[1024.0, inf]");
    CHECK_STR_EQ(CALL2("pow", t_arr(I64(2, 3, NUL_I)), t_sca(I64(3)), 3), "[8, 27, NULL]");
    CHECK_STR_EQ(CALL2("power", t_arr(I64(2)), t_arr(I64(64)), 1),
                 "ERR: Arrow error: Arithmetic overflow: Overflow happened on: 2 ^ 64");
    CHECK_STR_EQ(CALL1("isnan", t_arr(F64(NAN, 1.0, NAN)), 3), "[true, false, true]");
    CHECK_STR_EQ(CALL1("iszero", t_arr(F64(0.0, -0.0, 1.0)), 3), "[true, true, false]");
}

TEST(math_integer_functions)
{
    CHECK_STR_EQ(CALL2("gcd", t_arr(I64(0, 2, 0, 2, 15, 20, -100, -2)),
                       t_arr(I64(0, 0, 2, 3, 10, 1000, 0, 3)), 8),
                 "[0, 2, 2, 1, 5, 20, 100, 1]");
    CHECK_STR_EQ(CALL2("gcd", t_arr(I64RAW(INT64_MIN)), t_arr(I64(0)), 1),
                 "ERR: Arrow error: Compute error: Signed integer overflow in "
                 "GCD(-9223372036854775808, 0)");
    CHECK_STR_EQ(CALL2("gcd", t_sca(I64(NUL_I)), t_sca(I64(64)), 1), "S[NULL]");
    CHECK_STR_EQ(CALL2("lcm", t_arr(I64(0, 2, 15, -15)), t_arr(I64(2, 3, 10, -10)), 4),
                 "[0, 6, 30, 30]");
    CHECK_STR_EQ(CALL2("lcm", t_arr(I64(2)), t_arr(I64(9223372036854775803)), 1),
                 "ERR: Arrow error: Compute error: Signed integer overflow in "
                 "LCM(2, 9223372036854775803)");
    CHECK_STR_EQ(CALL1("factorial", t_arr(I64(0, 1, 5, 20, NUL_I)), 5),
                 "[1, 1, 120, 2432902008176640000, NULL]");
    CHECK_STR_EQ(CALL1("factorial", t_arr(I64(-1)), 1),
                 "ERR: Execution error: factorial of a negative number is undefined");
    CHECK_STR_EQ(CALL1("factorial", t_arr(I64(350943270)), 1),
                 "ERR: Execution error: Overflow happened on FACTORIAL(350943270)");
}

TEST(math_nullary)
{
    CHECK_STR_EQ(t_callf("pi", 0, NULL, 4), "S[3.141592653589793]");
    qv_error err;
    func_datum out;
    CHECK_OK(t_call("random", 0, NULL, 50, &out, &err));
    CHECK(!out.is_scalar && out.array->length == 50);
    const double *v = (const double *)arrow_array_values(out.array);
    bool differ = false;
    for (int i = 0; i < 50; i++) {
        CHECK(v[i] >= 0.0 && v[i] < 1.0);
        differ = differ || v[i] != v[0];
    }
    CHECK(differ);
    func_datum_release(&out);
    const func_entry *e = func_registry_lookup(t_registry(), "random", 6);
    CHECK(e != NULL && e->volatility == FUNC_VOLATILE);
}
