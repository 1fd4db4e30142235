/*
 * test_string.c — array_to_string and string_to_array through the
 * registry: delimiters and null strings per row, nested lists, float
 * formatting, empty strings and delimiters.
 */
#include "array_test_util.h"
#include "test.h"

TEST(to_string)
{
    CHECK_STR_EQ(TCALL("array_to_string", 4,
                       tarr(ta("List(Int64)", "[[1, NULL, 3], [NULL, 5], [], NULL]")),
                       tsca(ta("Utf8", "[',']"))),
                 "Utf8 1,3; 5; ; NULL");
    CHECK_STR_EQ(TCALL("array_join", 3, tarr(ta("List(Int64)", "[[1, NULL], [NULL], [2]]")),
                       tarr(ta("Utf8", "['-', '-', NULL]")), tarr(ta("Utf8", "['N', NULL, 'N']"))),
                 "Utf8 1-N; ; NULL");
    CHECK_STR_EQ(TCALL("list_to_string", 1, tsca(ta("List(List(Int64))", "[[[1, 2], NULL, [3]]]")),
                       tsca(ta("LargeUtf8", "['+']")), tsca(ta("Utf8", "['x']"))),
                 "S Utf8 1+2+x+3");
    CHECK_STR_EQ(TCALL("array_to_string", 1,
                       tsca(ta("List(Float64)", "[[1.0, NaN, inf, 1e20, 0.30000000000000004]]")),
                       tsca(ta("Utf8", "['|']"))),
                 "S Utf8 1|NaN|inf|100000000000000000000|0.30000000000000004");
    CHECK_STR_EQ(TCALL("array_to_string", 1, tsca(ta("List(Boolean)", "[[true, false]]")),
                       tsca(ta("Utf8View", "[' ']"))),
                 "S Utf8 true false");
}

TEST(string_to_array)
{
    CHECK_STR_EQ(TCALL("string_to_array", 4, tarr(ta("Utf8", "['a,b,,c', '', NULL, 'abc']")),
                       tsca(ta("Utf8", "[',']"))),
                 "List(Utf8) [a, b, , c]; []; NULL; [abc]");
    CHECK_STR_EQ(
        TCALL("string_to_list", 1, tsca(ta("Utf8", "['héy']")), tsca(ta("Utf8", "[NULL]"))),
        "S List(Utf8) [h, é, y]");
    CHECK_STR_EQ(TCALL("string_to_array", 1, tsca(ta("LargeUtf8", "['a##b##c']")),
                       tsca(ta("Utf8", "['##']")), tsca(ta("Utf8", "['b']"))),
                 "S List(LargeUtf8) [a, NULL, c]");
    CHECK_STR_EQ(TCALL("string_to_array", 1, tsca(ta("Utf8", "['abc']")), tsca(ta("Utf8", "['']"))),
                 "S List(Utf8) [abc]");
}
