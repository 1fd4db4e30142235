/*
 * test_dims.c — array_length, array_ndims, array_dims, cardinality, empty
 * through the registry: nested lists, empty lists, NULL rows and
 * dimensions, FixedSizeList and Null-typed arguments.
 */
#include "array_test_util.h"
#include "test.h"

TEST(length)
{
    CHECK_STR_EQ(TCALL("array_length", 3, tarr(ta("List(Int64)", "[[1, 2, 3], [], NULL]"))),
                 "UInt64 3; 0; NULL");
    CHECK_STR_EQ(TCALL("list_length", 4,
                       tsca(ta("List(List(Int64))", "[[[1, 2, 3, 4], [5, 6, 7, 8]]]")),
                       tarr(ta("Int64", "[1, 2, 3, NULL]"))),
                 "UInt64 2; 4; NULL; NULL");
    CHECK_STR_EQ(
        TCALL("array_length", 1, tsca(ta("List(Int64)", "[[]]")), tsca(ta("Int64", "[2]"))),
        "S UInt64 NULL");
    CHECK_STR_EQ(TCALL("array_length", 1, tsca(ta("FixedSizeList(2, Int64)", "[[1, 2]]"))),
                 "S UInt64 2");
}

TEST(ndims_and_dims)
{
    CHECK_STR_EQ(TCALL("array_ndims", 2, tarr(ta("List(List(Int64))", "[[[1]], NULL]"))),
                 "UInt64 2; NULL");
    CHECK_STR_EQ(TCALL("array_ndims", 1, tsca(ta("Null", "[NULL]"))), "S UInt64 NULL");
    CHECK_STR_EQ(TCALL("array_dims", 4,
                       tarr(ta("List(List(Int64))", "[[[1, 2], [3, 4], [5, 6]], [], [[]], NULL]"))),
                 "List(UInt64) [3, 2]; NULL; [1, 0]; NULL");
    CHECK_STR_EQ(TCALL("list_dims", 1,
                       tsca(ta("List(List(List(List(List(Int64)))))", "[[[[[[1], [2]]]]]]"))),
                 "S List(UInt64) [1, 1, 1, 2, 1]");
}

TEST(cardinality_and_empty)
{
    CHECK_STR_EQ(TCALL("cardinality", 4,
                       tarr(ta("List(List(Int64))", "[[[1, 2], [3, 4], [5, 6]], [], [[]], NULL]"))),
                 "UInt64 6; 0; 0; NULL");
    CHECK_STR_EQ(TCALL("cardinality", 1, tsca(ta("Null", "[NULL]"))), "S UInt64 NULL");
    CHECK_STR_EQ(TCALL("empty", 3, tarr(ta("LargeList(Int64)", "[[1], [], NULL]"))),
                 "Boolean false; true; NULL");
    CHECK_STR_EQ(TCALL("list_empty", 1, tsca(ta("List(Int64)", "[[NULL]]"))), "S Boolean false");
    CHECK_STR_EQ(TCOERCE("cardinality", "Int64"),
                 "ERR: Error during planning: Failed to coerce arguments to satisfy a call to "
                 "'cardinality' function: coercion from Int64 to the signature "
                 "ArraySignature(Array { arguments: [Array], array_coercion: "
                 "Some(FixedSizedListToList) }) failed");
}
