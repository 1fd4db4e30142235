/*
 * test_registry.c — the registry (names, aliases, case, duplicates,
 * enumeration, signatures) and the conditional and misc functions
 * (coalesce, nullif, nvl, nvl2, greatest, least, arrow_typeof, version).
 */
#include <stdio.h>

#include "func_test_util.h"
#include "test.h"

#define CALL2(name, a, b, n) t_callf(name, 2, (func_datum[]){a, b}, n)
#define CALL3(name, a, b, c, n) t_callf(name, 3, (func_datum[]){a, b, c}, n)

TEST(registry_lookup_and_aliases)
{
    const func_registry *r = t_registry();
    const func_entry *a = func_registry_lookup(r, "CHAR_LENGTH", 11);
    CHECK(a != NULL);
    CHECK(func_registry_lookup(r, "length", 6) == a);
    CHECK(func_registry_lookup(r, "Character_Length", 16) == a);
    CHECK(func_registry_lookup(r, "nope", 4) == NULL);
    CHECK(func_registry_lookup(r, "instr", 5) == func_registry_lookup(r, "strpos", 6));
    CHECK(func_registry_lookup(r, "pow", 3) == func_registry_lookup(r, "power", 5));
    CHECK(func_registry_lookup(r, "ifnull", 6) == func_registry_lookup(r, "nvl", 3));
    CHECK(func_registry_lookup(r, "trim", 4) == func_registry_lookup(r, "btrim", 5));
    CHECK(func_registry_lookup(r, "substring", 9) == func_registry_lookup(r, "substr", 6));
    CHECK(func_registry_count(r) >= 76);
    for (int32_t i = 0; i < func_registry_count(r); i++) {
        const func_entry *e = func_registry_at(r, i);
        CHECK(e->description != NULL);
        CHECK(e->kind == FUNC_SCALAR      ? e->impl.scalar.invoke != NULL
              : e->kind == FUNC_AGGREGATE ? e->impl.aggregate != NULL
                                          : e->kind == FUNC_WINDOW && e->impl.window != NULL);
        CHECK(func_registry_lookup(r, e->name, strlen(e->name)) == e);
    }
    CHECK(func_registry_at(r, -1) == NULL);
}

TEST(registry_duplicates)
{
    qv_error err;
    func_registry *r;
    CHECK_OK(func_registry_new(&r, &err));
    CHECK_OK(func_registry_builtin(r, &err));
    static const char *const aliases[] = {"LENGTH", NULL};
    func_entry dup = *func_registry_lookup(r, "abs", 3);
    dup.name = "my_fn";
    dup.aliases = aliases;
    CHECK_STATUS(func_registry_add(r, &dup, &err), QV_ALREADY_EXISTS);
    CHECK_STR_EQ(err.message, "function \"LENGTH\" already exists");
    CHECK(func_registry_lookup(r, "my_fn", 5) == NULL);
    dup.aliases = NULL;
    CHECK_OK(func_registry_add(r, &dup, &err));
    CHECK(func_registry_lookup(r, "MY_FN", 5) != NULL);
    func_registry_free(r);
    func_registry_free(NULL);
}

TEST(signatures)
{
    const func_registry *r = t_registry();
    arrow_type *f64 = arrow_type_primitive(QV_TYPE_FLOAT64);
    arrow_type *i64 = arrow_type_primitive(QV_TYPE_INT64);
    arrow_type *utf8 = arrow_type_primitive(QV_TYPE_UTF8);
    const func_entry *round = func_registry_lookup(r, "round", 5);
    CHECK(func_signature_accepts(&round->signature, 1, &f64));
    CHECK(func_signature_accepts(&round->signature, 2, (arrow_type *[]){f64, i64}));
    CHECK(!func_signature_accepts(&round->signature, 1, &i64));
    const func_entry *lower = func_registry_lookup(r, "lower", 5);
    CHECK(func_signature_accepts(&lower->signature, 1, &utf8));
    CHECK(!func_signature_accepts(&lower->signature, 1, &i64));
    const func_entry *coalesce = func_registry_lookup(r, "coalesce", 8);
    CHECK(func_signature_accepts(&coalesce->signature, 3, (arrow_type *[]){i64, utf8, f64}));
    CHECK(!func_signature_accepts(&coalesce->signature, 0, NULL));
    base_strbuf sb;
    base_strbuf_init(&sb);
    func_signature_format(&round->signature, &sb);
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "OneOf([Uniform(1, [Float64, Float32]), Exact([Float64, "
                                        "Int64]), Exact([Float32, Int64])])");
    base_strbuf_clear(&sb);
    func_signature_format(&func_registry_lookup(r, "pi", 2)->signature, &sb);
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "Nullary");
    base_strbuf_free(&sb);
    CHECK_STR_EQ(round->param_names[1], "decimal_places");
}

TEST(conditional_functions)
{
    CHECK_STR_EQ(
        CALL3("coalesce", t_arr(I64(NUL_I, 1, NUL_I)), t_arr(I64(NUL_I, 2, 3)), t_sca(I64(9)), 3),
        "[9, 1, 3]");
    CHECK_STR_EQ(CALL2("coalesce", t_sca(I64(NUL_I)), t_sca(I64(NUL_I)), 3), "S[NULL]");
    CHECK_STR_EQ(CALL2("nvl", t_arr(STR(NULL, "a")), t_sca(STR("x")), 2), "[x, a]");
    CHECK_STR_EQ(CALL2("ifnull", t_arr(t_slice(I64(5, NUL_I, 6), 1, 2)), t_sca(I64(0)), 2),
                 "[0, 6]");
    CHECK_STR_EQ(CALL3("nvl2", t_arr(I64(NUL_I, 1)), t_sca(STR("yes")), t_sca(STR("no")), 2),
                 "[no, yes]");
    CHECK_STR_EQ(CALL2("nullif", t_arr(I64(1, 2, NUL_I)), t_sca(I64(2)), 3), "[1, NULL, NULL]");
    CHECK_STR_EQ(CALL2("nullif", t_arr(STR("a", "")), t_sca(STR("")), 2), "[a, NULL]");
    CHECK_STR_EQ(CALL3("greatest", t_arr(I64(1, NUL_I, 5, NUL_I)), t_arr(I64(3, 2, 4, NUL_I)),
                       t_sca(I64(2)), 4),
                 "[3, 2, 5, 2]");
    CHECK_STR_EQ(CALL2("least", t_arr(STR("b", NULL, "a")), t_arr(STR("a", NULL, "b")), 3),
                 "[a, NULL, a]");
    CHECK_STR_EQ(CALL2("greatest", t_sca(F64(1.5)), t_sca(F64(-2.0)), 3), "S[1.5]");
}

TEST(misc_functions)
{
    CHECK_STR_EQ(t_callf("arrow_typeof", 1, (func_datum[]){t_arr(I64(1, 2))}, 2), "S[Int64]");
    CHECK_STR_EQ(t_callf("arrow_typeof", 1, (func_datum[]){t_sca(LSTR("x"))}, 2), "S[LargeUtf8]");
    CHECK_STR_EQ(
        t_callf("arrow_typeof", 1, (func_datum[]){t_arr(t_dec(10, 2, 1, (int64_t[]){1}))}, 1),
        "S[Decimal128(10, 2)]");
    const char *v = t_callf("version", 0, NULL, 1);
    CHECK(strncmp(v, "S[Quiver ", 9) == 0);
}

TEST(datum_helpers)
{
    qv_error err;
    func_datum s = t_sca(STR("ab")), n;
    arrow_array *a;
    CHECK_OK(func_datum_to_array(&s, 3, &a, &err));
    CHECK_INT_EQ(a->length, 3);
    arrow_array_release(a);
    CHECK(func_datum_is_valid(&s, 2));
    CHECK_INT_EQ(func_datum_length(&s, 7), 7);
    func_datum_release(&s);
    CHECK(s.array == NULL);
    CHECK_OK(func_datum_null_scalar(arrow_type_primitive(QV_TYPE_INT32), &n, &err));
    CHECK(n.is_scalar && !func_datum_is_valid(&n, 0));
    func_datum_release(&n);
}
