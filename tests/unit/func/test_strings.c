/*
 * test_strings.c — string scalar functions through the registry: NULLs,
 * empty strings, unicode, all three string layouts, sliced inputs, scalar
 * and array shapes, return types, error texts.
 */
#include <stdio.h>

#include "func_test_util.h"
#include "test.h"

#define CALL1(name, a, n) t_callf(name, 1, (func_datum[]){a}, n)
#define CALL2(name, a, b, n) t_callf(name, 2, (func_datum[]){a, b}, n)
#define CALL3(name, a, b, c, n) t_callf(name, 3, (func_datum[]){a, b, c}, n)
#define CALL4(name, a, b, c, d, n) t_callf(name, 4, (func_datum[]){a, b, c, d}, n)

static const char *typed(const char *name, int n_args, func_datum *args, int64_t n_rows)
{
    static char out[512];
    qv_error err;
    func_datum r;
    if (t_call(name, n_args, args, n_rows, &r, &err) != QV_OK)
        return "ERR";
    char type[64];
    snprintf(type, sizeof type, "%s", t_type(&r));
    snprintf(out, sizeof out, "%s %s", type, t_fmt(&r));
    func_datum_release(&r);
    return out;
}

TEST(string_lengths)
{
    CHECK_STR_EQ(typed("char_length", 1, (func_datum[]){t_arr(STR("héllo", "", NULL))}, 3),
                 "Int32 [5, 0, NULL]");
    CHECK_STR_EQ(typed("length", 1, (func_datum[]){t_arr(LSTR("日本"))}, 1), "Int64 [2]");
    CHECK_STR_EQ(typed("character_length", 1, (func_datum[]){t_sca(VSTR("abc"))}, 4),
                 "Int32 S[3]");
    CHECK_STR_EQ(CALL1("octet_length", t_arr(STR("héllo")), 1), "[6]");
    CHECK_STR_EQ(CALL1("bit_length", t_arr(STR("ab", "")), 2), "[16, 0]");
    CHECK_STR_EQ(CALL1("ascii", t_arr(STR("abc", "é", "", NULL)), 4), "[97, 233, 0, NULL]");
    CHECK_STR_EQ(CALL1("length", t_arr(t_slice(STR("xx", "abc", NULL, "abcd"), 1, 3)), 3),
                 "[3, NULL, 4]");
}

TEST(string_case)
{
    CHECK_STR_EQ(typed("lower", 1, (func_datum[]){t_arr(STR("FOObar", "ÀÉÎ", NULL))}, 3),
                 "Utf8 [foobar, àéî, NULL]");
    CHECK_STR_EQ(typed("upper", 1, (func_datum[]){t_arr(LSTR("straße", "ωμέγα"))}, 2),
                 "LargeUtf8 [STRAßE, ΩΜΈΓΑ]");
    CHECK_STR_EQ(CALL1("upper", t_arr(VSTR("привет", "")), 2), "[ПРИВЕТ, ]");
    CHECK_STR_EQ(CALL1("initcap", t_arr(STR("hi THOMAS", "hello-world 2nd", "")), 3),
                 "[Hi Thomas, Hello-World 2nd, ]");
}

TEST(string_substrings)
{
    CHECK_STR_EQ(CALL2("substr", t_arr(STR("alphabet", "héllo", NULL)), t_sca(I64(3)), 3),
                 "[phabet, llo, NULL]");
    CHECK_STR_EQ(CALL3("substr", t_arr(STR("alphabet", "alphabet", "alphabet", "alphabet")),
                       t_arr(I64(3, 0, -3, 30)), t_arr(I64(2, 3, 5, 2)), 4),
                 "[ph, al, a, ]");
    CHECK_STR_EQ(CALL3("substring", t_arr(STR("alphabet")), t_sca(I64(1)), t_sca(I64(-1)), 1),
                 "ERR: Execution error: negative substring length not allowed: substr(<str>, 1, "
                 "-1)");
    CHECK_STR_EQ(CALL2("left", t_arr(STR("abcde", "abcde", "日本語", "ab")),
                       t_arr(I64(2, -2, 1, 10)), 4),
                 "[ab, abc, 日, ab]");
    CHECK_STR_EQ(CALL2("right", t_arr(STR("abcde", "abcde", "日本語", "ab")),
                       t_arr(I64(2, -2, 1, 10)), 4),
                 "[de, cde, 語, ab]");
    CHECK_STR_EQ(CALL3("split_part", t_arr(STR("1.2.3.4.5", "1.2.3", "abc", "a,b")),
                       t_arr(STR(".", ".", "", ",")), t_arr(I64(3, -1, 1, 5)), 4),
                 "[3, 3, abc, ]");
    CHECK_STR_EQ(CALL3("split_part", t_arr(STR("a.b")), t_sca(STR(".")), t_sca(I64(0)), 1),
                 "ERR: Execution error: field position must not be zero");
    CHECK_STR_EQ(typed("substr", 2, (func_datum[]){t_arr(VSTR("abcdef")), t_sca(I64(2))}, 1),
                 "Utf8View [bcdef]");
}

TEST(string_search)
{
    CHECK_STR_EQ(CALL2("strpos", t_arr(STR("alphabet", "héllo", "abc", NULL)),
                       t_arr(STR("ph", "l", "", "a")), 4),
                 "[3, 3, 1, NULL]");
    CHECK_STR_EQ(CALL2("instr", t_arr(STR("abc")), t_sca(STR("z")), 1), "[0]");
    CHECK_STR_EQ(CALL2("position", t_arr(LSTR("abc")), t_sca(LSTR("c")), 1), "[3]");
    CHECK_STR_EQ(CALL2("starts_with", t_arr(STR("datafusion", "", "x", NULL)), t_sca(STR("")),
                       4),
                 "[true, true, true, NULL]");
    CHECK_STR_EQ(CALL2("starts_with", t_arr(STR("datafusion", "data")), t_sca(STR("datafu")), 2),
                 "[true, false]");
    CHECK_STR_EQ(CALL2("ends_with", t_arr(VSTR("datafusion", "ion")), t_sca(VSTR("sion")), 2),
                 "[true, false]");
    CHECK_STR_EQ(CALL2("levenshtein", t_arr(STR("kitten", "", "héllo", NULL)),
                       t_arr(STR("sitting", "abc", "hello", "x")), 4),
                 "[3, 3, 1, NULL]");
}

TEST(string_transform)
{
    CHECK_STR_EQ(CALL3("replace", t_arr(STR("ABabbaBA", "aaa", "abc")), t_sca(STR("ab")),
                       t_sca(STR("cd")), 3),
                 "[ABcdbaBA, aaa, cdc]");
    CHECK_STR_EQ(CALL3("replace", t_arr(STR("ab")), t_sca(STR("")), t_sca(STR("-")), 1),
                 "[-a-b-]");
    CHECK_STR_EQ(CALL1("reverse", t_arr(STR("abc", "héllo", "", NULL)), 4),
                 "[cba, olléh, , NULL]");
    CHECK_STR_EQ(CALL2("repeat", t_arr(STR("ab", "x", "é")), t_arr(I64(3, 0, -1)), 3),
                 "[ababab, , ]");
    CHECK_STR_EQ(CALL3("translate", t_arr(STR("12345", "héllo")), t_arr(STR("143", "él")),
                       t_arr(STR("ax", "e")), 2),
                 "[a2x5, heo]");
    CHECK_STR_EQ(CALL1("chr", t_arr(I64(65, 233, 128512, NUL_I)), 4), "[A, é, 😀, NULL]");
    CHECK_STR_EQ(CALL1("chr", t_arr(I64(0)), 1), "ERR: Execution error: null character not "
                                                 "permitted.");
    CHECK_STR_EQ(CALL1("chr", t_arr(I64(0x110000)), 1),
                 "ERR: Execution error: requested character too large for encoding.");
    CHECK_STR_EQ(CALL1("to_hex", t_arr(I64(255, -1, 0, NUL_I)), 4),
                 "[ff, ffffffffffffffff, 0, NULL]");
    CHECK_STR_EQ(CALL1("to_hex", t_arr(I32(-1)), 1), "[ffffffffffffffff]");
}

TEST(string_pad_trim)
{
    CHECK_STR_EQ(CALL2("lpad", t_arr(STR("hi", "hello", "", NULL)), t_sca(I64(4)), 4),
                 "[  hi, hell, \x20\x20\x20\x20, NULL]");
    CHECK_STR_EQ(CALL3("lpad", t_arr(STR("hi", "日")), t_sca(I64(5)), t_sca(STR("ab")), 2),
                 "[abahi, abab日]");
    CHECK_STR_EQ(CALL3("rpad", t_arr(STR("hi", "héllo")), t_arr(I64(5, 3)), t_sca(STR("é")), 2),
                 "[hiééé, hél]");
    CHECK_STR_EQ(CALL3("rpad", t_arr(STR("hi")), t_sca(I64(5)), t_sca(STR("")), 1), "[hi]");
    CHECK_STR_EQ(CALL2("lpad", t_arr(STR("hi")), t_sca(I64(-1)), 1), "[]");
    CHECK_STR_EQ(CALL1("btrim", t_arr(STR("  a b  ", "", "   ", NULL)), 4), "[a b, , , NULL]");
    CHECK_STR_EQ(CALL2("trim", t_arr(STR("xxaxx", "éaé")), t_arr(STR("x", "é")), 2), "[a, a]");
    CHECK_STR_EQ(CALL1("ltrim", t_arr(LSTR("  a  ")), 1), "[a  ]");
    CHECK_STR_EQ(CALL2("rtrim", t_arr(STR("abcxyx")), t_sca(STR("xy")), 1), "[abc]");
    CHECK_STR_EQ(CALL3("overlay", t_arr(STR("Txxxxas")), t_sca(STR("hom")), t_sca(I64(2)), 1),
                 "[Thomxas]");
    CHECK_STR_EQ(CALL4("overlay", t_arr(STR("Txxxxas")), t_sca(STR("hom")), t_sca(I64(2)),
                       t_sca(I64(4)), 1),
                 "[Thomas]");
    CHECK_STR_EQ(CALL4("overlay", t_arr(STR("héllo")), t_sca(STR("X")), t_sca(I64(2)),
                       t_sca(I64(1)), 1),
                 "[hXllo]");
}

TEST(string_concat)
{
    CHECK_STR_EQ(typed("concat", 3,
                       (func_datum[]){t_arr(STR("a", NULL, "c")), t_sca(STR("-")),
                                      t_arr(STR(NULL, NULL, "é"))},
                       3),
                 "Utf8 [a-, -, c-é]");
    CHECK_STR_EQ(typed("concat", 2, (func_datum[]){t_sca(STR("a")), t_sca(LSTR("b"))}, 3),
                 "LargeUtf8 S[ab]");
    CHECK_STR_EQ(typed("concat", 2, (func_datum[]){t_sca(VSTR("a")), t_sca(LSTR("b"))}, 3),
                 "Utf8View S[ab]");
    CHECK_STR_EQ(CALL4("concat_ws", t_arr(STR(",", NULL, "")), t_sca(STR("a")),
                       t_arr(STR(NULL, "x", "b")), t_sca(STR("c")), 3),
                 "[a,c, NULL, abc]");
}

/* SQL puts no cap on the number of arguments (the kernels once refused > 64). */
TEST(string_concat_many_arguments)
{
    func_datum args[100];
    for (int k = 0; k < 100; k++)
        args[k] = t_sca(STR("x"));
    const char *joined = typed("concat", 100, args, 1);
    CHECK(joined != NULL && strncmp(joined, "Utf8 S[xxxx", 11) == 0);
    CHECK_INT_EQ(strlen(joined), strlen("Utf8 S[]") + 100);
    /* typed() releases its arguments: make them again. */
    args[0] = t_sca(STR("-"));
    for (int k = 1; k < 100; k++)
        args[k] = t_sca(STR("x"));
    joined = typed("concat_ws", 100, args, 1);
    CHECK(joined != NULL && strncmp(joined, "Utf8 S[x-x-x", 12) == 0);
    CHECK_INT_EQ(strlen(joined), strlen("Utf8 S[]") + 99 + 98);
}

TEST(string_uuid)
{
    qv_error err;
    func_datum out;
    CHECK_OK(t_call("uuid", 0, NULL, 3, &out, &err));
    CHECK_INT_EQ(out.array->length, 3);
    const char *s = t_fmt(&out);
    /* "[xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, ...]" */
    CHECK(s[15] == '4' && s[9] == '-');
    func_datum_release(&out);
}
