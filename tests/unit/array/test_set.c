/*
 * test_set.c — array_sort, array_distinct, array_union, array_intersect,
 * array_except through the registry: ordering options, NULL items, -0.0
 * and +0.0 as one value in the set functions, nested items, many rows.
 */
#include <stdio.h>

#include "array_test_util.h"
#include "test.h"

#define L64 "List(Int64)"

TEST(sort)
{
    CHECK_STR_EQ(TCALL("array_sort", 3, tarr(ta(L64, "[[3, NULL, 1, 2], [], NULL]"))),
                 "List(Int64) [NULL, 1, 2, 3]; []; NULL");
    CHECK_STR_EQ(
        TCALL("array_sort", 1, tsca(ta(L64, "[[3, NULL, 1]]")), tsca(ta("Utf8", "['DESC']"))),
        "S List(Int64) [NULL, 3, 1]");
    CHECK_STR_EQ(TCALL("list_sort", 1, tsca(ta(L64, "[[3, NULL, 1]]")),
                       tsca(ta("Utf8", "['desc']")), tsca(ta("Utf8", "['NULLS LAST']"))),
                 "S List(Int64) [3, 1, NULL]");
    CHECK_STR_EQ(TCALL("array_sort", 1, tsca(ta(L64, "[[1]]")), tsca(ta("Utf8", "['up']"))),
                 "ERR: Execution error: the second parameter of array_sort expects DESC or ASC");
    CHECK_STR_EQ(TCALL("array_sort", 1, tsca(ta(L64, "[[1]]")), tsca(ta("Utf8", "['ASC']")),
                       tsca(ta("Utf8", "['NULLS']"))),
                 "ERR: Execution error: the third parameter of array_sort expects NULLS FIRST or "
                 "NULLS LAST");
    CHECK_STR_EQ(TCALL("array_sort", 1, tsca(ta("List(List(Int64))", "[[[2], [1, 5], [1]]]"))),
                 "S List(List(Int64)) [[1], [1, 5], [2]]");
}

TEST(distinct)
{
    CHECK_STR_EQ(
        TCALL("array_distinct", 3, tarr(ta(L64, "[[1, 3, 2, 3, 1, NULL, NULL], [], NULL]"))),
        "List(Int64) [NULL, 1, 2, 3]; []; NULL");
    CHECK_STR_EQ(
        TCALL("list_distinct", 1, tsca(ta("List(List(Int64))", "[[[1, 2], [1, 2], NULL, [3]]]"))),
        "S List(List(Int64)) [NULL, [1, 2], [3]]");
}

TEST(union_intersect_except)
{
    CHECK_STR_EQ(TCALL("array_union", 3, tarr(ta(L64, "[[1, 2, 3, 4], [0, 1, 1], NULL]")),
                       tarr(ta(L64, "[[5, 6, 3, 4], [], [1]]"))),
                 "List(Int64) [1, 2, 3, 4, 5, 6]; [0, 1]; NULL");
    CHECK_STR_EQ(TCALL("array_union", 1, tsca(ta("List(Utf8)", "[['hello']]")),
                       tsca(ta("List(Utf8)", "[['hello', 'datafusion']]"))),
                 "S List(Utf8) [hello, datafusion]");
    CHECK_STR_EQ(TCALL("array_intersect", 2, tarr(ta(L64, "[[1, 2, 2, 3], [3]]")),
                       tarr(ta(L64, "[[2, 3, 4], [3, 3, 4]]"))),
                 "List(Int64) [2, 3]; [3]");
    CHECK_STR_EQ(TCALL("array_except", 3, tarr(ta(L64, "[[1, 2, 2, 3], [2, 3, 3], [3]]")),
                       tarr(ta(L64, "[[2, 3, 4], [3], [3, 3, 4]]"))),
                 "List(Int64) [1]; [2]; []");
    CHECK_STR_EQ(TCALL("array_except", 1, tsca(ta("List(List(Int64))", "[[[1, 2], [3]]]")),
                       tsca(ta("List(List(Int64))", "[[[2], [3], [4, 5]]]"))),
                 "S List(List(Int64)) [[1, 2]]");
    CHECK_STR_EQ(TCALL("array_union", 1, tsca(ta(L64, "[[NULL]]")), tsca(ta(L64, "[[NULL]]"))),
                 "S List(Int64) [NULL]");
}

TEST(set_zero_signs)
{
    CHECK_STR_EQ(TCALL("array_union", 1, tsca(ta("List(Float64)", "[[0.0, -0.0, 1.0]]")),
                       tsca(ta("List(Float64)", "[[-0.0, 1.0]]"))),
                 "S List(Float64) [0.0, 1.0]");
    CHECK_STR_EQ(TCALL("array_intersect", 1, tsca(ta("List(Float32)", "[[0.0, -0.0]]")),
                       tsca(ta("List(Float32)", "[[-0.0]]"))),
                 "S List(Float32) [0.0]");
    CHECK_STR_EQ(TCALL("array_except", 1, tsca(ta("LargeList(Float64)", "[[-0.0, 1.0]]")),
                       tsca(ta("LargeList(Float64)", "[[0.0]]"))),
                 "S LargeList(Float64) [1.0]");
}

TEST(set_coercion)
{
    CHECK_STR_EQ(TCOERCE("array_union", "List(Int64)", "LargeList(Int32)"),
                 "LargeList(Int64), LargeList(Int64)");
    CHECK_STR_EQ(TCOERCE("array_union", "LargeList(List(Int64))", "LargeList(Int64)"),
                 "ERR: Error during planning: Failed to coerce arguments to satisfy a call to "
                 "'array_union' function: coercion from LargeList(List(Int64)), "
                 "LargeList(Int64) to the signature ArraySignature(Array { arguments: [Array, "
                 "Array], array_coercion: Some(FixedSizedListToList) }) failed");
    CHECK_STR_EQ(TCOERCE("array_union", "Null", "List(Int64)"), "List(Int64), -");
}

/* Many rows of varying lengths, against a row-by-row reference. */
TEST(sort_many_rows)
{
    char rows[16384];
    int at = snprintf(rows, sizeof rows, "[");
    for (int r = 0; r < 300; r++) {
        at += snprintf(rows + at, sizeof rows - (size_t)at, "[");
        for (int k = 0; k < r % 7; k++)
            at += snprintf(rows + at, sizeof rows - (size_t)at, "%d, ", (r * 31 + k * 17) % 11);
        at += snprintf(rows + at, sizeof rows - (size_t)at, "], ");
    }
    snprintf(rows + at, sizeof rows - (size_t)at, "]");
    const char *got = TCALL("array_distinct", 300, tarr(ta(L64, rows)));
    /* Row 6 holds (186 + 17k) % 11 for k < 6: 10, 5, 0, 6, 1, 7. */
    CHECK(strstr(got, "; [0, 1, 5, 6, 7, 10]; ") != NULL);
}
