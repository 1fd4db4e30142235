/*
 * test_collect.c — array_agg, string_agg, first_value and last_value:
 * arrival order kept, nulls collected (array_agg, first / last) or skipped
 * (string_agg), NULL for empty groups, literal delimiter handling, result
 * types, slices and scalars, two-phase merging in order.
 */
#include "agg_test_util.h"
#include "test.h"

TEST(array_agg_ints_nulls_empty)
{
    t_call c = {"array_agg", 1, {ARR(I64(1, NUL_I, 3, 4, 5))}, {NULL}, NULL};
    EXPECT(&c, GROUPS(0, 0, 1, 0, 1), 5, 3, "[[1, NULL, 4], [3, 5], NULL]");
    CHECK_STR_EQ(t_run_type(&c, GROUPS(0, 0, 1, 0, 1), 5, 3), "List(Int64)");
    t_call_release(&c);
    t_call s = {"array_agg", 1, {ARR(a_slice(STR("x", "b", NULL, "a", "y"), 1, 3))}, {NULL}, NULL};
    EXPECT(&s, GROUPS(0, 0, 0), 3, 1, "[[b, NULL, a]]");
    CHECK_STR_EQ(t_run_type(&s, GROUPS(0, 0, 0), 3, 1), "List(Utf8)");
    t_call_release(&s);
    t_call k = {"array_agg", 1, {SCA(I32(7))}, {NULL}, (const uint8_t[]){1, 0, 1}};
    EXPECT(&k, GROUPS(0, 0, 1), 3, 2, "[[7], [7]]");
    t_call_release(&k);
    t_call n = {"array_agg", 1, {ARR(a_null(2))}, {NULL}, NULL};
    EXPECT(&n, GROUPS(0, 0), 2, 1, "[[NULL, NULL]]");
    t_call_release(&n);
}

TEST(array_agg_nested_and_views)
{
    t_call v = {
        "array_agg", 1, {ARR(VSTR("short", "a string longer than twelve bytes"))}, {NULL}, NULL};
    EXPECT(&v, GROUPS(0, 0), 2, 1, "[[short, a string longer than twelve bytes]]");
    t_call_release(&v);
    t_call b = {"array_agg", 1, {ARR(BOOLS(1, -1, 0))}, {NULL}, NULL};
    EXPECT(&b, GROUPS(1, 0, 1), 3, 2, "[[NULL], [true, false]]");
    t_call_release(&b);
}

static t_call string_agg(arrow_array *x, arrow_array *delim)
{
    t_call c = {"string_agg", 2, {ARR(x), SCA(delim)}, {NULL, arrow_array_retain(delim)}, NULL};
    return c;
}

TEST(string_agg_basic)
{
    /* DataFusion's strings table: GROUP BY g -> a|b, i|j, p, x|y|z */
    t_call c = string_agg(STR("a", "b", "i", NULL, "j", "p", "x", "y", "z"), STR("|"));
    EXPECT(&c, GROUPS(0, 0, 1, 1, 1, 2, 3, 3, 3), 9, 5, "[a|b, i|j, p, x|y|z, NULL]");
    CHECK_STR_EQ(t_run_type(&c, GROUPS(0, 0, 1, 1, 1, 2, 3, 3, 3), 9, 5), "LargeUtf8");
    t_call_release(&c);
    /* empty strings are values: '', NULL, '' joined by | is "|" */
    t_call e = string_agg(STR("", NULL, ""), STR("|"));
    EXPECT(&e, GROUPS(0, 0, 0), 3, 1, "[|]");
    t_call_release(&e);
    t_call l = string_agg(LSTR("a", "b", "c"), STR(","));
    EXPECT(&l, GROUPS(0, 0, 0), 3, 1, "[a,b,c]");
    t_call_release(&l);
    t_call v = string_agg(VSTR("text1", "text1", "a longer view string"), LSTR(", "));
    EXPECT(&v, GROUPS(0, 0, 0), 3, 1, "[text1, text1, a longer view string]");
    t_call_release(&v);
}

TEST(string_agg_delimiters)
{
    /* a NULL delimiter joins on the empty string */
    t_call n = string_agg(STR("a", "b"), a_null(1));
    EXPECT(&n, GROUPS(0, 0), 2, 1, "[ab]");
    t_call_release(&n);
    t_call s = string_agg(STR("a", "b"), a_str(QV_TYPE_UTF8, 1, (const char *[]){NULL}));
    EXPECT(&s, GROUPS(0, 0), 2, 1, "[ab]");
    t_call_release(&s);
    /* string_agg(NULL, ',') is NULL */
    t_call z = string_agg(a_null(2), STR(","));
    EXPECT(&z, GROUPS(0, 0), 2, 1, "[NULL]");
    t_call_release(&z);
    /* the delimiter must be a literal */
    t_call x = {"string_agg", 2, {ARR(STR("a", "b")), ARR(STR("/", "-"))}, {NULL}, NULL};
    CHECK_STR_EQ(t_run(&x, GROUPS(0, 0), 2, 1),
                 "ERR: This feature is not implemented: string_agg delimiter must be a string "
                 "literal");
    t_call_release(&x);
}

TEST(first_last_value)
{
    t_call f = {"first_value", 1, {ARR(I64(NUL_I, 2, 3, 4, 5))}, {NULL}, NULL};
    EXPECT(&f, GROUPS(0, 0, 1, 1, 0), 5, 3, "[NULL, 3, NULL]");
    CHECK_STR_EQ(t_run_type(&f, GROUPS(0, 0, 1, 1, 0), 5, 3), "Int64");
    t_call_release(&f);
    t_call l = {"last_value", 1, {ARR(I64(1, 2, 3, 4, NUL_I))}, {NULL}, NULL};
    EXPECT(&l, GROUPS(0, 0, 1, 1, 0), 5, 3, "[NULL, 4, NULL]");
    t_call_release(&l);
    t_call s = {"last_value",
                1,
                {ARR(a_slice(STR("q", "a", "b", "c"), 1, 3))},
                {NULL},
                (const uint8_t[]){1, 1, 0}};
    EXPECT(&s, GROUPS(0, 0, 0), 3, 1, "[b]");
    t_call_release(&s);
    t_call k = {"first_value", 1, {SCA(STR("k"))}, {NULL}, NULL};
    EXPECT(&k, GROUPS(1, 1), 2, 2, "[NULL, k]");
    t_call_release(&k);
    t_call d = {"first_value", 1, {ARR(a_dec(12, 3, 3, (int64_t[]){1500, -2, 7}))}, {NULL}, NULL};
    EXPECT(&d, GROUPS(1, 0, 1), 3, 2, "[-0.002, 1.500]");
    CHECK_STR_EQ(t_run_type(&d, GROUPS(1, 0, 1), 3, 2), "Decimal128(12, 3)");
    t_call_release(&d);
}

TEST(first_last_many_batches_compact)
{
    /* many updates force the retained arrays to be compacted */
    qv_error err;
    t_call c = {"last_value", 1, {ARR(I64(0))}, {NULL}, NULL};
    func_agg_call call;
    arrow_type *types[4];
    CHECK_OK(t_prepare(&c, &call, types, &err));
    func_agg_state *s;
    CHECK_OK(call.entry->impl.aggregate->create(&call, &s, &err));
    int64_t vals[1000];
    uint32_t groups[1000];
    for (int b = 0; b < 200; b++) {
        for (int i = 0; i < 1000; i++) {
            vals[i] = b * 1000 + i;
            groups[i] = (uint32_t)(i % 3);
        }
        func_datum d = {a_int(QV_TYPE_INT64, 1000, vals), false};
        CHECK_OK(s->ops->update(s, &d, groups, NULL, 1000, 3, &err));
        arrow_array_release(d.array);
    }
    CHECK(s->ops->memory_bytes(s) < 200 * 8000);
    arrow_array *out;
    CHECK_OK(s->ops->evaluate(s, 3, &out, &err));
    CHECK_STR_EQ(a_fmt(out), "[199999, 199997, 199998]");
    arrow_array_release(out);
    s->ops->free(s);
    t_unprepare(&call, types);
    t_call_release(&c);
}
