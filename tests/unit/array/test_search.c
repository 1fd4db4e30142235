/*
 * test_search.c — array_has[_all|_any], array_position[s],
 * array_remove[_n|_all], array_replace[_n|_all] through the registry:
 * NULL items and needles, NaN, nested items, scalar and array shapes.
 */
#include "array_test_util.h"
#include "test.h"

#define L64 "List(Int64)"

TEST(has)
{
    CHECK_STR_EQ(TCALL("array_has", 4, tarr(ta(L64, "[[1, 2], [NULL, 3], NULL, []]")),
                       tsca(ta("Int64", "[2]"))),
                 "Boolean true; false; NULL; false");
    CHECK_STR_EQ(
        TCALL("array_contains", 1, tsca(ta(L64, "[[1, NULL]]")), tsca(ta("Int64", "[NULL]"))),
        "S Boolean NULL");
    CHECK_STR_EQ(TCALL("list_has", 2, tsca(ta("List(List(Int64))", "[[[1, 2], [3]]]")),
                       tarr(ta(L64, "[[3], [1]]"))),
                 "Boolean true; false");
    CHECK_STR_EQ(TCALL("array_has", 1, tsca(ta("List(Float64)", "[[1.0, NaN]]")),
                       tsca(ta("Float64", "[NaN]"))),
                 "S Boolean true");
}

TEST(has_all_any)
{
    CHECK_STR_EQ(TCALL("array_has_all", 4, tarr(ta(L64, "[[1, 2, 3], [1, 2, 3], [1], NULL]")),
                       tarr(ta(L64, "[[3, 1, 1], [4], [], [1]]"))),
                 "Boolean true; false; true; NULL");
    CHECK_STR_EQ(TCALL("array_has_any", 3, tarr(ta(L64, "[[1, 2], [1, 2], []]")),
                       tarr(ta(L64, "[[5, 2], [3], []]"))),
                 "Boolean true; false; false");
    CHECK_STR_EQ(TCALL("array_has_all", 1, tsca(ta("List(List(Int64))", "[[[1, 2], [3, 4]]]")),
                       tsca(ta("List(List(Int64))", "[[[1, 3]]]"))),
                 "S Boolean false");
    CHECK_STR_EQ(TCALL("array_has_any", 2, tsca(ta("List(Utf8)", "[['a', NULL]]")),
                       tarr(ta("List(Utf8)", "[[NULL], ['b']]"))),
                 "Boolean true; false");
}

TEST(position)
{
    CHECK_STR_EQ(TCALL("array_position", 4, tarr(ta(L64, "[[1, 2, 2], [1, 2, 2], [5], NULL]")),
                       tsca(ta("Int64", "[2]"))),
                 "UInt64 2; 2; NULL; NULL");
    CHECK_STR_EQ(TCALL("array_indexof", 2, tsca(ta(L64, "[[1, 2, 2, 3]]")),
                       tsca(ta("Int64", "[2]")), tarr(ta("Int64", "[3, 4]"))),
                 "UInt64 3; NULL");
    CHECK_STR_EQ(
        TCALL("array_position", 1, tsca(ta(L64, "[[1, NULL]]")), tsca(ta("Int64", "[NULL]"))),
        "S UInt64 2");
    CHECK_STR_EQ(TCALL("array_position", 1, tsca(ta(L64, "[[1, 2]]")), tsca(ta("Int64", "[1]")),
                       tsca(ta("Int64", "[4]"))),
                 "ERR: Internal error: start_from index out of bounds");
    CHECK_STR_EQ(TCALL("array_positions", 3, tarr(ta(L64, "[[1, 2, 1], [3], NULL]")),
                       tsca(ta("Int64", "[1]"))),
                 "List(UInt64) [1, 3]; []; NULL");
    CHECK_STR_EQ(TCOERCE("array_position", "List(Int32)", "Int64", "Int32"),
                 "List(Int64), -, Int64");
}

TEST(remove)
{
    CHECK_STR_EQ(TCALL("array_remove", 4, tarr(ta(L64, "[[1, 2, 2, 1], [NULL, 1], NULL, [3]]")),
                       tsca(ta("Int64", "[2]"))),
                 "List(Int64) [1, 2, 1]; [NULL, 1]; NULL; [3]");
    CHECK_STR_EQ(
        TCALL("array_remove", 1, tsca(ta(L64, "[[1, NULL, 2]]")), tsca(ta("Int64", "[NULL]"))),
        "S List(Int64) NULL");
    CHECK_STR_EQ(TCALL("array_remove_n", 3, tarr(ta(L64, "[[1, 2, 2, 1, 2], [2, 2], [2]]")),
                       tsca(ta("Int64", "[2]")), tarr(ta("Int64", "[2, NULL, 0]"))),
                 "List(Int64) [1, 1, 2]; NULL; [2]");
    CHECK_STR_EQ(TCALL("list_remove_all", 1,
                       tsca(ta("List(List(Int64))", "[[[1], [2], [1], NULL]]")),
                       tsca(ta(L64, "[[1]]"))),
                 "S List(List(Int64)) [[2], NULL]");
}

TEST(replace)
{
    CHECK_STR_EQ(TCALL("array_replace", 2, tarr(ta(L64, "[[1, 2, 2], [NULL, NULL]]")),
                       tarr(ta("Int64", "[2, NULL]")), tsca(ta("Int64", "[9]"))),
                 "List(Int64) [1, 9, 2]; [9, NULL]");
    CHECK_STR_EQ(TCALL("array_replace_n", 1, tsca(ta(L64, "[[1, 2, 2, 2]]")),
                       tsca(ta("Int64", "[2]")), tsca(ta("Int64", "[NULL]")),
                       tsca(ta("Int64", "[2]"))),
                 "S List(Int64) [1, NULL, NULL, 2]");
    CHECK_STR_EQ(TCALL("array_replace_all", 1, tsca(ta("List(Utf8)", "[['a', 'b', 'a']]")),
                       tsca(ta("Utf8", "['a']")), tsca(ta("Utf8", "['z']"))),
                 "S List(Utf8) [z, b, z]");
}
