/*
 * test_simplify.c — constant folding and expression simplification.
 */
#include "opt_test_util.h"

#define SIMPLIFIED(sql, expected)                                                                  \
    do {                                                                                           \
        optimizer_options opts_ = fx_only("simplify");                                             \
        CHECK_STR_EQ(fx_plan(&fx, sql, &opts_), expected);                                         \
    } while (0)

TEST(simplify_folds_constants)
{
    opt_fixture fx;
    fx_init(&fx);
    SIMPLIFIED("SELECT 1 + 2, CAST('5' AS INT), NOT NOT true, abs(-3)",
               "Projection: Int64(3) AS Int64(1) + Int64(2), Int32(5) AS CAST(Utf8(\"5\") AS "
               "Int32), Boolean(true) AS NOT NOT Boolean(true), Int64(3) AS abs(Int64(-3))\n"
               "  EmptyRelation: rows=1");
    /* stable and volatile functions stay */
    SIMPLIFIED("SELECT random() < 2, now() IS NULL",
               "Projection: random() < Float64(2) AS random() < CAST(Int64(2) AS Float64), "
               "now() IS NULL\n"
               "  EmptyRelation: rows=1");
    fx_free(&fx);
}

TEST(simplify_leaves_failing_constants)
{
    opt_fixture fx;
    fx_init(&fx);
    SIMPLIFIED("SELECT a FROM t WHERE 1 / 0 = 1", "Projection: t.a\n"
                                                  "  Filter: Int64(1) / Int64(0) = Int64(1)\n"
                                                  "    TableScan: t");
    /* ... and the error still happens at execution */
    optimizer_options all = fx_only("all");
    CHECK(fx_same_results(&fx, "SELECT a FROM t WHERE 1 / 0 = 1", &all));
    CHECK(fx_same_results(&fx, "SELECT CASE WHEN a > 0 THEN 1 / 0 ELSE 1 END FROM t", &all));
    fx_free(&fx);
}

TEST(simplify_boolean_identities)
{
    opt_fixture fx;
    fx_init(&fx);
    SIMPLIFIED("SELECT a FROM t WHERE b > 1 AND true", "Projection: t.a\n"
                                                       "  Filter: t.b > Int64(1)\n"
                                                       "    TableScan: t");
    SIMPLIFIED("SELECT a FROM t WHERE b > 1 OR false", "Projection: t.a\n"
                                                       "  Filter: t.b > Int64(1)\n"
                                                       "    TableScan: t");
    /* x = x is NULL for NULL x: not true */
    SIMPLIFIED("SELECT a FROM t WHERE a = a", "Projection: t.a\n"
                                              "  Filter: t.a = t.a\n"
                                              "    TableScan: t");
    SIMPLIFIED("SELECT a FROM t WHERE NOT (b = 1) AND NOT (c IS NULL) AND NOT (c LIKE 'x%')",
               "Projection: t.a\n"
               "  Filter: t.b != Int64(1) AND t.c IS NOT NULL AND t.c NOT LIKE Utf8(\"x%\")\n"
               "    TableScan: t");
    /* x AND false is false only when x can neither fail nor vary */
    SIMPLIFIED("SELECT a FROM t WHERE b > 1 AND (c = 'x' AND false)", "Projection: t.a\n"
                                                                      "  EmptyRelation: rows=0");
    SIMPLIFIED("SELECT a FROM t WHERE b / 0 > 1 AND false",
               "Projection: t.a\n"
               "  Filter: t.b / Int64(0) > Int64(1) AND Boolean(false)\n"
               "    TableScan: t");
    fx_free(&fx);
}

TEST(simplify_constant_filters)
{
    opt_fixture fx;
    fx_init(&fx);
    SIMPLIFIED("SELECT a FROM t WHERE 1 = 2", "Projection: t.a\n"
                                              "  EmptyRelation: rows=0");
    SIMPLIFIED("SELECT a FROM t WHERE NULL", "Projection: t.a\n"
                                             "  EmptyRelation: rows=0");
    SIMPLIFIED("SELECT a FROM t WHERE 1 = 1", "Projection: t.a\n"
                                              "  TableScan: t");
    fx_free(&fx);
}

TEST(simplify_case)
{
    opt_fixture fx;
    fx_init(&fx);
    SIMPLIFIED("SELECT CASE WHEN false THEN 1 WHEN a > 1 THEN 2 ELSE 3 END AS k FROM t",
               "Projection: CASE WHEN t.a > Int32(1) THEN Int64(2) ELSE Int64(3) END AS k\n"
               "  TableScan: t");
    SIMPLIFIED("SELECT CASE WHEN a > 1 THEN 1 WHEN true THEN 2 ELSE 3 END AS k FROM t",
               "Projection: CASE WHEN t.a > Int32(1) THEN Int64(1) ELSE Int64(2) END AS k\n"
               "  TableScan: t");
    SIMPLIFIED("SELECT CASE WHEN 1 = 2 THEN 1 END AS k FROM t", "Projection: Int64(NULL) AS k\n"
                                                                "  TableScan: t");
    /* a condition after the constant true one may fail: keep the CASE */
    SIMPLIFIED("SELECT CASE WHEN true THEN 1 WHEN b / 0 > 1 THEN 2 END AS k FROM t",
               "Projection: CASE WHEN Boolean(true) THEN Int64(1) WHEN t.b / Int64(0) > Int64(1) "
               "THEN Int64(2) END AS k\n"
               "  TableScan: t");
    fx_free(&fx);
}

TEST(simplify_casts_lists_arithmetic)
{
    opt_fixture fx;
    fx_init(&fx);
    SIMPLIFIED("SELECT a FROM t WHERE a > 5", "Projection: t.a\n"
                                              "  Filter: t.a > Int32(5)\n"
                                              "    TableScan: t");
    /* 3000000000 does not fit an Int32: the cast stays */
    SIMPLIFIED("SELECT a FROM t WHERE a IN (1) AND b NOT IN (2) AND a IN (1, 2, 3000000000)",
               "Projection: t.a\n"
               "  Filter: t.a = Int32(1) AND t.b != Int64(2) AND CAST(t.a AS Int64) IN "
               "([Int64(1), Int64(2), Int64(3000000000)])\n"
               "    TableScan: t");
    SIMPLIFIED("SELECT a FROM t WHERE a IN (1, 2)", "Projection: t.a\n"
                                                    "  Filter: t.a IN ([Int32(1), Int32(2)])\n"
                                                    "    TableScan: t");
    SIMPLIFIED("SELECT b + 0 AS w, 1 * b AS x, b / 1 AS y, b - 0 AS z FROM t",
               "Projection: t.b AS w, t.b AS x, t.b AS y, t.b AS z\n"
               "  TableScan: t");
    fx_free(&fx);
}

TEST(simplify_is_idempotent)
{
    opt_fixture fx;
    fx_init(&fx);
    plan_node *p = fx_bind(&fx, "SELECT a + (1 + 2) AS k FROM t WHERE NOT NOT (b > 1 AND true)");
    optimizer_options once = fx_only("simplify");
    once.max_passes = 1;
    plan_node *q = fx_optimize(&fx, p, &once);
    CHECK(q != NULL && q != p);
    plan_node *r = fx_optimize(&fx, q, &once);
    CHECK(r == q); /* nothing left to change: the same plan comes back */
    CHECK_STR_EQ(fx_explain(r), "Projection: CAST(t.a AS Int64) + Int64(3) AS k\n"
                                "  Filter: t.b > Int64(1)\n"
                                "    TableScan: t");
    /* the input plan is untouched */
    CHECK_STR_EQ(fx_explain(p), "Projection: CAST(t.a AS Int64) + (Int64(1) + Int64(2)) AS k\n"
                                "  Filter: NOT NOT t.b > Int64(1) AND Boolean(true)\n"
                                "    TableScan: t");
    fx_free(&fx);
}
