/*
 * test_regex_digest.c — regexp_like / regexp_match / regexp_replace /
 * regexp_count / regexp_instr, the ~ operator kernel, and the digests.
 * Expected values from DataFusion's the regexp slt files and expr.slt.
 */
#include <stdio.h>

#include "dt_test_util.h"
#include "test.h"

/* regexp_test_data of regexp/init_data.slt.part */
#define R_STR                                                                                      \
    t_arr(STR(NULL, "abc", "ABC", "aBc", "AbC", "aBC", "4000", "4010", "Düsseldorf", "Москва",     \
              "Köln", "إسرائيل"))
#define R_PAT                                                                                      \
    t_arr(STR("^(a)", "^(a)", "^(A).*", "(b|d)", "(B|D)", "^(b|c)",                                \
              "\\b4([1-9]\\d\\d|\\d[1-9]\\d|\\d\\d[1-9])\\b",                                      \
              "\\b4([1-9]\\d\\d|\\d[1-9]\\d|\\d\\d[1-9])\\b", "[\\p{Letter}-]+", "[\\p{L}-]+",     \
              "[a-zA-Z]ö[a-zA-Z]{2}", "^\\p{Arabic}+$"))
#define R_START t_arr(I64(1, 1, 1, 1, 2, 3, 1, 2, 3, 4, 1, 2))
#define R_FLAGS t_arr(STR("i", "i", "i", "i", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL))

TEST(rx_like)
{
    CHECK_STR_EQ(DCALL3("regexp_like", R_STR, R_PAT, R_FLAGS, 12),
                 "Boolean [NULL, true, true, true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                 "NULL]");
    CHECK_STR_EQ(DCALL2("regexp_like", R_STR, R_PAT, 12),
                 "Boolean [NULL, true, true, false, false, false, false, true, true, true, true, "
                 "true]");
    CHECK_STR_EQ(DCALL3("regexp_like", d_s("fooBarbeQuebaz"), d_s("(bar).*(que)"), d_s("is"), 1),
                 "Boolean S[true]");
    CHECK_STR_EQ(DCALL3("regexp_like", d_s("a\nb"), d_s("^b"), d_s("m"), 1), "Boolean S[true]");
    CHECK_STR_EQ(DCALL2("regexp_like", d_s("a\nb"), d_s("^b"), 1), "Boolean S[false]");
    CHECK_STR_EQ(DCALL2("regexp_like", d_s("ab\n"), d_s("b$"), 1), "Boolean S[false]");
    CHECK_STR_EQ(DCALL2("regexp_like", d_s(""), d_s(""), 1), "Boolean S[true]");
    CHECK_STR_EQ(DCALL3("regexp_like", d_s("bb-1"), d_s(".*-(\\d)"), d_s("g"), 1),
                 "ERR: Error during planning: regexp_like() does not support the \"global\" "
                 "option");
    CHECK_STR_EQ(DCALL2("regexp_like", d_s("aaaaa"),
                        d_s("a{5}{5}{5}{5}{5}{5}{5}{5}{5}{5}{5}{5}{5}{5}{5}{5}{5}{5}"), 1),
                 "ERR: Arrow error: Compute error: Regular expression did not compile: "
                 "CompiledTooBig(10485760)");
    CHECK_STR_EQ(DCALL2("regexp_like", d_s("aaaaaa"), d_s("^a{2}{3}$"), 1), "Boolean S[true]");
    CHECK_STR_EQ(DCALL2("regexp_like", d_s("x"), d_s("(?=x)"), 1),
                 "ERR: Arrow error: Compute error: Regular expression did not compile: "
                 "Syntax(regex parse error: look-around, including look-ahead and look-behind, is "
                 "not supported)");
    CHECK_STR_EQ(DCALL2("regexp_like", d_s("ab"), d_s("(?u)A(?i:B)"), 1), "Boolean S[false]");
    CHECK_STR_EQ(DCALL2("regexp_like", d_s("\xd9\xa3"), d_s("^\\d$"), 1), "Boolean S[true]");
    CHECK_STR_EQ(DCALL2("regexp_like", t_arr(t_slice(STR("zz", "abc", NULL), 1, 2)), d_s("b"), 2),
                 "Boolean [true, NULL]");
}

TEST(rx_operator)
{
    qv_error err;
    func_datum out;
    func_datum v = t_arr(STR("foo\nbar", "Foo", NULL));
    func_datum p = d_s("^f");
    CHECK_OK(func_regex_match(false, true, &v, &p, 3, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[true, true, NULL]");
    func_datum_release(&out);
    CHECK_OK(func_regex_match(true, false, &v, &p, 3, &out, &err));
    CHECK_STR_EQ(t_fmt(&out), "[false, true, NULL]");
    func_datum_release(&out);
    func_datum bad = d_s("(");
    CHECK(func_regex_match(false, false, &v, &bad, 3, &out, &err) == QV_EXECUTION);
    CHECK(strncmp(err.message, "Arrow error: Compute error: Regular expression did not compile",
                  61) == 0);
    t_release_all(1, &bad);
    t_release_all(1, &v);
    t_release_all(1, &p);
}

TEST(rx_match_replace)
{
    CHECK_STR_EQ(
        DCALL2("regexp_match", t_arr(STR("foobarbequebaz", "x", NULL)), d_s("(bar)(beque)"), 3),
        "List(Utf8) [[bar, beque], NULL, NULL]");
    CHECK_STR_EQ(DCALL2("regexp_match", t_sca(LSTR("aaa-0")), d_s(".*-\\d"), 1),
                 "List(LargeUtf8) S[[aaa-0]]");
    CHECK_STR_EQ(DCALL4("regexp_replace", R_STR, R_PAT, d_s("X"),
                        t_arr(STR("gi", "gi", "gi", "gi", "g", "g", "g", "g", "g", "g", "g", "g")),
                        12),
                 "Utf8 [NULL, Xbc, X, aXc, AbC, aBC, 4000, X, X, X, X, X]");
    CHECK_STR_EQ(DCALL4("regexp_replace", d_s("ABCabcABC"), d_s("(abc)"), d_s("X"), d_s("i"), 1),
                 "Utf8 S[XabcABC]");
    CHECK_STR_EQ(
        DCALL4("regexp_replace", d_s("foobarbaz"), d_s("b(..)"), d_s("X\\\\1Y"), d_s("g"), 1),
        "Utf8 S[fooXarYXazY]");
    CHECK_STR_EQ(DCALL3("regexp_replace", d_s("foobarbaz"), d_s("b.."), d_s("X"), 1),
                 "Utf8 S[fooXbaz]");
    CHECK_STR_EQ(DCALL3("regexp_replace", d_s("Thomas"), d_s(".[mN]a."), d_s("M"), 1),
                 "Utf8 S[ThM]");
    CHECK_STR_EQ(DCALL3("regexp_replace", t_arr(VSTR("bzzz", "http://test.org/foo/bar")),
                        d_s("^(a)?b.*$|^https?://(?:www\\.)?([^/]+)/.*$"), d_s("\\1${2}$$"), 2),
                 "Utf8View [$, test.org$]");
    CHECK_STR_EQ(DCALL4("regexp_replace", d_s("abc"), d_s("x*"), d_s("-"), d_s("g"), 1),
                 "Utf8 S[-a-b-c-]");
    CHECK_STR_EQ(DCALL4("regexp_replace", d_s("xxa"), d_s("x*"), d_s("-"), d_s("g"), 1),
                 "Utf8 S[-a-]");
    CHECK_STR_EQ(DCALL4("regexp_replace", d_s("foobarbaz"), d_s("b(..)"), d_s("X\\\\1Y"),
                        t_sca(t_str(QV_TYPE_UTF8, 1, (const char *[]){NULL})), 1),
                 "Utf8 S[NULL]");
    CHECK_STR_EQ(DCALL3("regexp_replace", d_s("ab"), d_s("(?P<x>a)"), d_s("[$x$1a]"), 1),
                 "Utf8 S[[a]b]");
}

TEST(rx_count_instr)
{
    CHECK_STR_EQ(DCALL2("regexp_count", d_s("123123123123123"), d_s("(12)3"), 1), "Int64 S[5]");
    CHECK_STR_EQ(DCALL3("regexp_count", d_s("123123123123"), d_s("123"), t_sca(I64(3)), 1),
                 "Int64 S[3]");
    CHECK_STR_EQ(DCALL3("regexp_count", d_s("123123123123"), d_s("123"), t_sca(I64(33)), 1),
                 "Int64 S[0]");
    CHECK_STR_EQ(
        DCALL4("regexp_count", d_s("ABCABCABCABC"), d_s("Abc"), t_sca(I64(1)), d_s("i"), 1),
        "Int64 S[4]");
    CHECK_STR_EQ(DCALL2("regexp_count", d_s("abc"), d_s(""), 1), "Int64 S[4]");
    CHECK_STR_EQ(DCALL3("regexp_count", d_s("abc"), d_s(""), t_sca(I64(4)), 1), "Int64 S[1]");
    CHECK_STR_EQ(DCALL3("regexp_count", d_s("abc"), d_s(""), t_sca(I64(5)), 1), "Int64 S[0]");
    CHECK_STR_EQ(DCALL3("regexp_count", d_s("123"), d_s("1"), t_sca(I64(0)), 1),
                 "ERR: Arrow error: Compute error: regexp_count() requires start to be 1 based");
    CHECK_STR_EQ(DCALL4("regexp_count", d_s("123"), d_s("1"), t_sca(I64(1)), d_s("g"), 1),
                 "ERR: Arrow error: Compute error: regexp_count() does not support global flag");
    CHECK_STR_EQ(DCALL2("regexp_count", R_STR, d_s("\\w"), 12),
                 "Int64 [0, 3, 3, 3, 3, 3, 4, 4, 10, 6, 4, 7]");
    CHECK_STR_EQ(DCALL3("regexp_count", R_STR, d_s("\\w{2}"), R_START, 12),
                 "Int64 [0, 1, 1, 1, 1, 0, 2, 1, 4, 1, 2, 3]");
    CHECK_STR_EQ(DCALL4("regexp_count", R_STR, R_PAT, R_START, R_FLAGS, 12),
                 "Int64 [0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]");
    CHECK_STR_EQ(DCALL3("regexp_count", R_STR, R_PAT, R_START, 12),
                 "Int64 [0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1]");
    CHECK_STR_EQ(DCALL2("regexp_count", t_sca(d_null(1)), d_s("a"), 1), "Int64 S[0]");
    CHECK_STR_EQ(DCALL2("regexp_instr", t_arr(STR("abcabc", "xyz", NULL)), d_s("c"), 3),
                 "Int64 [3, 0, NULL]");
    CHECK_STR_EQ(DCALL4("regexp_instr", d_s("ößxßx"), d_s("x"), t_sca(I64(1)), t_sca(I64(2)), 1),
                 "Int64 S[5]");
}

TEST(digests)
{
    CHECK_STR_EQ(DCALL1("md5", t_arr(STR("tom", "", NULL)), 3),
                 "Utf8 [34b7da764b21d298ef307d04d8152dc5, d41d8cd98f00b204e9800998ecf8427e, "
                 "NULL]");
    CHECK_STR_EQ(DCALL1("sha224", t_sca(VSTR("tom")), 1),
                 "Binary S[0bf6cb62649c42a9ae3876ab6f6d92ad36cb5414e495f8873292be4d]");
    CHECK_STR_EQ(DCALL1("sha256", d_s(""), 1),
                 "Binary S[e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855]");
    CHECK_STR_EQ(DCALL1("sha384", d_s("tom"), 1),
                 "Binary S[096f5b68aa77848e4fdf5c1c0b350de2dbfad60ffd7c25d9ea07c6c19b8a4d55a9187eb"
                 "117c557883f58c16dfac3e343]");
    CHECK_STR_EQ(DCALL1("sha512", t_sca(LSTR("")), 1),
                 "LargeBinary S[cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce4"
                 "7d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e]");
    CHECK_STR_EQ(DCALL2("digest", d_s("tom"), d_s("md5"), 1),
                 "Binary S[34b7da764b21d298ef307d04d8152dc5]");
    CHECK_STR_EQ(DCALL2("digest", d_s("tom"), d_s("blake2s"), 1),
                 "Binary S[5fc3f2b3a07cade5023c3df566e4d697d3823ba1b72bfb3e84cf7e768b2e7529]");
    CHECK_STR_EQ(DCALL2("digest", d_s(""), d_s("blake2b"), 1),
                 "Binary S[786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e10"
                 "31afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce]");
    CHECK_STR_EQ(DCALL2("digest", d_s(""), d_s("blake3"), 1),
                 "Binary S[af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262]");
    CHECK_STR_EQ(
        DCALL2("digest", t_sca(t_str(QV_TYPE_UTF8, 1, (const char *[]){NULL})), d_s("sha224"), 1),
        "Binary S[NULL]");
    CHECK_STR_EQ(DCALL2("digest", d_s("x"), d_s("sha1"), 1),
                 "ERR: Error during planning: There is no built-in digest algorithm named 'sha1', "
                 "currently supported algorithms are: md5, sha224, sha256, sha384, sha512, "
                 "blake2s, blake2b, blake3");
}
