/*
 * test_build.c — array_append / array_prepend / array_concat /
 * array_repeat / array_resize / array_pop_* / array_reverse / flatten
 * through the registry: List, LargeList and FixedSizeList inputs, scalar
 * and array shapes, sliced inputs, nulls, nested lists, return types.
 */
#include "array_test_util.h"
#include "test.h"

#define L64 "List(Int64)"

TEST(append_and_prepend)
{
    CHECK_STR_EQ(
        TCALL("array_append", 3, tarr(ta(L64, "[[1, 2], NULL, []]")), tsca(ta("Int64", "[9]"))),
        "List(Int64) [1, 2, 9]; [9]; [9]");
    CHECK_STR_EQ(
        TCALL("list_push_back", 1, tsca(ta(L64, "[[1, NULL, 3]]")), tsca(ta("Int64", "[NULL]"))),
        "S List(Int64) [1, NULL, 3, NULL]");
    CHECK_STR_EQ(TCALL("array_prepend", 2, tarr(ta("Int64", "[0, NULL]")),
                       tarr(ta("LargeList(Int64)", "[[1], [2, 3]]"))),
                 "LargeList(Int64) [0, 1]; [NULL, 2, 3]");
    /* A list of lists takes a list element. */
    CHECK_STR_EQ(TCALL("array_append", 1, tsca(ta("List(List(Int64))", "[[[1], [2, 3]]]")),
                       tsca(ta(L64, "[[4]]"))),
                 "S List(List(Int64)) [[1], [2, 3], [4]]");
    /* Null-typed list: a one-element list. */
    CHECK_STR_EQ(TCALL("array_append", 1, tsca(ta("Null", "[NULL]")), tsca(ta("Int64", "[1]"))),
                 "S List(Int64) [1]");
    /* FixedSizeList rows keep their items even when null (as DataFusion). */
    CHECK_STR_EQ(TCALL("array_append", 2, tarr(ta("FixedSizeList(2, Int64)", "[[1, 2], NULL]")),
                       tsca(ta("Int64", "[3]"))),
                 "List(Int64) [1, 2, 3]; [NULL, NULL, 3]");
}

TEST(append_coercion)
{
    CHECK_STR_EQ(TCOERCE("array_append", "List(Int32)", "Int64"), "List(Int64), -");
    CHECK_STR_EQ(TCOERCE("array_append", "FixedSizeList(3, Int64)", "Int64"), "List(Int64), -");
    CHECK_STR_EQ(TCOERCE("array_append", "Null", "Int64"), "List(Int64), -");
    CHECK_STR_EQ(TCOERCE("array_append", "List(List(Int64))", "List(Null)"), "-, List(Int64)");
    CHECK_STR_EQ(TCOERCE("array_append", "Int64", "Int64"),
                 "ERR: Error during planning: Failed to coerce arguments to satisfy a call to "
                 "'array_append' function: coercion from Int64, Int64 to the signature "
                 "ArraySignature(Array { arguments: [Array, Element], array_coercion: "
                 "Some(FixedSizedListToList) }) failed");
    CHECK_STR_EQ(TCOERCE("array_append", "List(Int64)", "List(Int64)"),
                 "ERR: Error during planning: Failed to coerce arguments to satisfy a call to "
                 "'array_append' function: coercion from List(Int64), List(Int64) to the "
                 "signature ArraySignature(Array { arguments: [Array, Element], array_coercion: "
                 "Some(FixedSizedListToList) }) failed");
    CHECK_STR_EQ(tcoerce("array_prepend", 0, NULL),
                 "ERR: Error during planning: 'array_prepend' does not support zero arguments");
}

TEST(concat)
{
    CHECK_STR_EQ(TCALL("array_concat", 3, tarr(ta(L64, "[[1, 2], NULL, NULL]")),
                       tarr(ta(L64, "[[3], [4], NULL]"))),
                 "List(Int64) [1, 2, 3]; [4]; NULL");
    CHECK_STR_EQ(TCALL("array_cat", 1, tsca(ta(L64, "[[1, NULL]]")), tsca(ta(L64, "[[]]")),
                       tsca(ta(L64, "[[NULL, 5]]"))),
                 "S List(Int64) [1, NULL, NULL, 5]");
    /* Shallower arguments are wrapped into items. */
    CHECK_STR_EQ(TCALL("array_concat", 2, tarr(ta("List(List(Int64))", "[[[1, 2]], NULL]")),
                       tarr(ta(L64, "[[5, 6], NULL]"))),
                 "List(List(Int64)) [[1, 2], [5, 6]]; [NULL]");
    CHECK_STR_EQ(TCALL("array_concat", 1, tsca(ta(L64, "[[10, 20]]")),
                       tsca(ta("List(List(Int64))", "[[[30, 40]]]")),
                       tsca(ta("List(List(List(Int64)))", "[[[[50, 60]]]]"))),
                 "S List(List(List(Int64))) [[[10, 20]], [[30, 40]], [[50, 60]]]");
    CHECK_STR_EQ(TCALL("array_concat", 1, tsca(ta("Null", "[NULL]")), tsca(ta(L64, "[[1]]"))),
                 "S List(Int64) [1]");
}

TEST(concat_coercion)
{
    CHECK_STR_EQ(TCOERCE("array_concat", "List(Int64)", "LargeList(Int64)"), "LargeList(Int64), -");
    CHECK_STR_EQ(TCOERCE("array_concat", "List(Utf8)", "List(Utf8View)"), "List(Utf8View), -");
    CHECK_STR_EQ(TCOERCE("array_concat", "FixedSizeList(2, Int64)", "List(Int32)"),
                 "List(Int64), List(Int64)");
    CHECK_STR_EQ(TCOERCE("array_concat", "List(List(Int64))", "List(Int32)"), "-, List(Int64)");
    CHECK_STR_EQ(TCOERCE("array_concat", "Int64", "Int64"),
                 "ERR: Error during planning: Execution error: Function 'array_concat' "
                 "user-defined coercion failed with: Error during planning: array_concat does "
                 "not support type Int64");
}

TEST(repeat_and_resize)
{
    CHECK_STR_EQ(TCALL("array_repeat", 3, tarr(ta("Int64", "[1, NULL, 3]")),
                       tarr(ta("Int64", "[2, 1, NULL]"))),
                 "List(Int64) [1, 1]; [NULL]; NULL");
    CHECK_STR_EQ(TCALL("array_repeat", 1, tsca(ta(L64, "[[1, 2]]")), tsca(ta("Int64", "[2]"))),
                 "S List(List(Int64)) [[1, 2], [1, 2]]");
    CHECK_STR_EQ(TCALL("array_repeat", 1, tsca(ta("Utf8", "['a']")), tsca(ta("Int64", "[-1]"))),
                 "S List(Utf8) []");
    CHECK_STR_EQ(TCALL("array_resize", 4, tarr(ta(L64, "[[1, 2, 3], [1, 2, 3], NULL, [1]]")),
                       tarr(ta("Int64", "[1, 5, 2, NULL]"))),
                 "List(Int64) [1]; [1, 2, 3, NULL, NULL]; NULL; NULL");
    CHECK_STR_EQ(TCALL("array_resize", 2, tarr(ta(L64, "[[1], [2, 3]]")), tsca(ta("Int64", "[3]")),
                       tarr(ta("Int64", "[7, NULL]"))),
                 "List(Int64) [1, 7, 7]; [2, 3, NULL]");
    CHECK_STR_EQ(TCALL("array_resize", 1, tsca(ta(L64, "[[1]]")), tsca(ta("Int64", "[-5]"))),
                 "ERR: Internal error: array_resize: failed to convert size to usize");
}

TEST(pop_and_reverse)
{
    CHECK_STR_EQ(TCALL("array_pop_front", 4, tarr(ta(L64, "[[1, 2, 3], [1], [], NULL]"))),
                 "List(Int64) [2, 3]; []; []; NULL");
    CHECK_STR_EQ(TCALL("array_pop_back", 2, tarr(ta("LargeList(Utf8)", "[['a', 'b'], [NULL]]"))),
                 "LargeList(Utf8) [a]; []");
    CHECK_STR_EQ(TCALL("array_reverse", 3, tarr(ta(L64, "[[1, NULL, 3], [], NULL]"))),
                 "List(Int64) [3, NULL, 1]; []; NULL");
    CHECK_STR_EQ(TCOERCE("array_reverse", "FixedSizeList(2, Int64)"), "List(Int64)");
    CHECK_STR_EQ(TCALL("array_compact", 3, tarr(ta(L64, "[[1, NULL, 2, NULL], [NULL], NULL]"))),
                 "List(Int64) [1, 2]; []; NULL");
    /* Sliced input. */
    arrow_array *sliced = NULL;
    arrow_array *full = ta(L64, "[[1], [2, 3], [4, 5, 6]]");
    qv_error err;
    CHECK_OK(arrow_array_slice(full, 1, 2, &sliced, &err));
    arrow_array_release(full);
    CHECK_STR_EQ(TCALL("array_reverse", 2, tarr(sliced)), "List(Int64) [3, 2]; [6, 5, 4]");
}

TEST(flatten)
{
    CHECK_STR_EQ(
        TCALL("flatten", 3, tarr(ta("List(List(Int64))", "[[[1], NULL, [2, 3]], [], NULL]"))),
        "List(Int64) [1, 2, 3]; []; NULL");
    CHECK_STR_EQ(TCALL("flatten", 1, tsca(ta("List(LargeList(Int64))", "[[[1], [2]]]"))),
                 "S LargeList(Int64) [1, 2]");
    CHECK_STR_EQ(TCALL("flatten", 1, tsca(ta(L64, "[[1, 2]]"))), "S List(Int64) [1, 2]");
    CHECK_STR_EQ(TCALL("flatten", 1, tsca(ta("List(List(List(Int64)))", "[[[[1, 2]], [[3]]]]"))),
                 "S List(List(Int64)) [[1, 2], [3]]");
    CHECK_STR_EQ(TCALL("flatten", 1, tsca(ta("Null", "[NULL]"))), "S Null NULL");
}
