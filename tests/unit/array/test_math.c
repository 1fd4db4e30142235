/*
 * test_math.c — array_min / array_max / array_any_value and the Float64
 * vector functions (array_sum, array_product, array_avg, array_normalize,
 * array_add, array_subtract, array_scale, array_distance, cosine_distance,
 * inner_product) through the registry.
 */
#include "array_test_util.h"
#include "test.h"

TEST(min_max_any)
{
    CHECK_STR_EQ(
        TCALL("array_max", 4, tarr(ta("List(Int64)", "[[5, 3, NULL, 6], [], [NULL], NULL]"))),
        "Int64 6; NULL; NULL; NULL");
    CHECK_STR_EQ(TCALL("array_min", 1, tsca(ta("List(Utf8)", "[['h', 'e', NULL, 'o']]"))),
                 "S Utf8 e");
    CHECK_STR_EQ(TCALL("array_max", 1, tsca(ta("List(Float64)", "[[1.0, NaN, 3.0]]"))),
                 "S Float64 NaN");
    CHECK_STR_EQ(TCALL("array_min", 1, tsca(ta("List(Float64)", "[[1.0, NaN, 3.0]]"))),
                 "S Float64 1.0");
    CHECK_STR_EQ(TCALL("array_any_value", 2, tarr(ta("List(Int64)", "[[NULL, 2, 1], [NULL]]"))),
                 "Int64 2; NULL");
    CHECK_STR_EQ(tcoerce("array_max", 0, NULL),
                 "ERR: Error during planning: 'array_max' does not support zero arguments");
}

TEST(vector_functions)
{
    CHECK_STR_EQ(
        TCALL("array_sum", 4, tarr(ta("List(Float64)", "[[1.0, NULL, 3.0], [], [NULL], NULL]"))),
        "Float64 4.0; NULL; NULL; NULL");
    CHECK_STR_EQ(TCALL("list_product", 1, tsca(ta("LargeList(Float64)", "[[2.0, 3.0, 4.0]]"))),
                 "S Float64 24.0");
    CHECK_STR_EQ(TCALL("array_normalize", 4,
                       tarr(ta("List(Float64)", "[[3.0, 4.0], [0.0, 0.0], [1.0, NULL], []]"))),
                 "List(Float64) [0.6, 0.8]; NULL; NULL; []");
    CHECK_STR_EQ(TCALL("array_add", 2, tarr(ta("List(Float64)", "[[1.0, NULL], NULL]")),
                       tarr(ta("List(Float64)", "[[10.0, 20.0], [1.0]]"))),
                 "List(Float64) [11.0, NULL]; NULL");
    CHECK_STR_EQ(TCALL("array_add", 1, tsca(ta("List(Float64)", "[[1.0]]")),
                       tsca(ta("List(Float64)", "[[1.0, 2.0]]"))),
                 "ERR: Execution error: array_add requires both list inputs to have the same "
                 "length per row, got 1 and 2");
    CHECK_STR_EQ(TCALL("array_distance", 1, tsca(ta("List(List(Float64))", "[[[1.0, 1.0]]]")),
                       tsca(ta("List(Float64)", "[[1.0, 2.0]]"))),
                 "S Float64 1.0");
    CHECK_STR_EQ(TCALL("cosine_distance", 3,
                       tarr(ta("List(Float64)", "[[1.0, 0.0], [0.0, 0.0], [1.0, NULL]]")),
                       tsca(ta("List(Float64)", "[[0.0, 1.0]]"))),
                 "Float64 1.0; NULL; NULL");
    CHECK_STR_EQ(
        TCALL("array_avg", 3, tarr(ta("List(Float64)", "[[1.0, NULL, 4.0], [NULL], NULL]"))),
        "Float64 2.5; NULL; NULL");
    CHECK_STR_EQ(TCALL("list_subtract", 1, tsca(ta("LargeList(Float64)", "[[5.0, NULL]]")),
                       tsca(ta("LargeList(Float64)", "[[1.0, 2.0]]"))),
                 "S LargeList(Float64) [4.0, NULL]");
    CHECK_STR_EQ(TCALL("array_scale", 3, tarr(ta("List(Float64)", "[[1.0, NULL], [2.0], NULL]")),
                       tarr(ta("Float64", "[2.0, NULL, 3.0]"))),
                 "List(Float64) [2.0, NULL]; NULL; NULL");
    CHECK_STR_EQ(TCALL("dot_product", 3, tarr(ta("List(Float64)", "[[1.0, 2.0], [], [1.0, NULL]]")),
                       tarr(ta("List(Float64)", "[[3.0, 4.0], [], [1.0, 1.0]]"))),
                 "Float64 11.0; 0.0; NULL");
    CHECK_STR_EQ(TCALL("inner_product", 1, tsca(ta("List(Float64)", "[[1.0, NULL]]")),
                       tsca(ta("List(Float64)", "[[1.0]]"))),
                 "ERR: Execution error: inner_product requires both list inputs to have the "
                 "same length, got 2 and 1");
    CHECK_STR_EQ(TCOERCE("array_sum", "List(Int64)"), "List(Float64)");
    CHECK_STR_EQ(TCOERCE("array_avg", "Null"), "List(Float64)");
    CHECK_STR_EQ(TCOERCE("array_scale", "FixedSizeList(2, Int32)", "Int64"),
                 "List(Float64), Float64");
    CHECK_STR_EQ(TCOERCE("array_scale", "Int64", "Int64"),
                 "ERR: Error during planning: Execution error: Function 'array_scale' "
                 "user-defined coercion failed with: Error during planning: array_scale first "
                 "argument must be a list type, got Int64");
    CHECK_STR_EQ(TCOERCE("array_add", "FixedSizeList(2, Float32)", "LargeList(Int64)"),
                 "LargeList(Float64), LargeList(Float64)");
    CHECK_STR_EQ(TCOERCE("array_sum", "Int64"),
                 "ERR: Error during planning: Execution error: Function 'array_sum' "
                 "user-defined coercion failed with: Error during planning: array_sum does not "
                 "support type Int64");
    CHECK_STR_EQ(tcoerce("array_sum", 0, NULL),
                 "ERR: Error during planning: Execution error: Function 'array_sum' "
                 "user-defined coercion failed with: Error during planning: array_sum function "
                 "requires 1 argument, got 0");
}
