/*
 * test_push_projection.c — projection pushdown.
 */
#include "opt_test_util.h"

#define PRUNED(sql, expected)                                                                      \
    do {                                                                                           \
        optimizer_options opts_ = fx_only("projection");                                           \
        CHECK_STR_EQ(fx_plan(&fx, sql, &opts_), expected);                                         \
    } while (0)

TEST(push_projection_into_scan)
{
    opt_fixture fx;
    fx_init(&fx);
    PRUNED("SELECT a FROM t WHERE b > 1", "Projection: t.a\n"
                                          "  Filter: t.b > Int64(1)\n"
                                          "    TableScan: t projection=[a, b]");
    PRUNED("SELECT * FROM t", "Projection: t.a, t.b, t.c\n"
                              "  TableScan: t projection=[a, b, c]");
    PRUNED("SELECT c FROM t ORDER BY a", "Projection: t.c\n"
                                         "  Sort: t.a ASC NULLS LAST\n"
                                         "    Projection: t.c, t.a AS t.a\n"
                                         "      TableScan: t projection=[a, c]");
    fx_free(&fx);
}

TEST(push_projection_no_columns)
{
    opt_fixture fx;
    fx_init(&fx);
    PRUNED("SELECT count(*) FROM t", "Projection: count(*)\n"
                                     "  Aggregate: groupBy=[[]], aggr=[[count(*)]]\n"
                                     "    TableScan: t projection=[]");
    PRUNED("SELECT count(*) FROM (SELECT a + 1 FROM t) s",
           "Projection: count(*)\n"
           "  Aggregate: groupBy=[[]], aggr=[[count(*)]]\n"
           "    TableScan: t projection=[]");
    optimizer_options all = fx_only("all");
    CHECK(fx_same_results(&fx, "SELECT count(*) FROM t", &all));
    CHECK(fx_same_results(&fx, "SELECT count(*) FROM (SELECT a + 1 FROM t) s", &all));
    fx_free(&fx);
}

TEST(push_projection_drops_aggregates_and_expressions)
{
    opt_fixture fx;
    fx_init(&fx);
    PRUNED("SELECT s.a FROM (SELECT a, sum(b), max(c) FROM t GROUP BY a) s",
           "Projection: t.a\n"
           "  Aggregate: groupBy=[[t.a]], aggr=[[]]\n"
           "    TableScan: t projection=[a]");
    /* without groups one call stays */
    PRUNED("SELECT 1 FROM (SELECT count(*), sum(b) FROM t) s",
           "Projection: Int64(1)\n"
           "  Aggregate: groupBy=[[]], aggr=[[count(*)]]\n"
           "    TableScan: t projection=[]");
    PRUNED("SELECT s.y FROM (SELECT x + 1 AS y, x * 2 AS z FROM (SELECT a AS x, b FROM t) q) s",
           "Projection: CAST(t.a AS Int64) + Int64(1) AS y\n"
           "  TableScan: t projection=[a]");
    fx_free(&fx);
}

TEST(push_projection_merges_only_cheap_projections)
{
    opt_fixture fx;
    fx_init(&fx);
    /* b * 2 is read twice above: not merged, so it is computed once */
    PRUNED("SELECT s.z + s.z AS w FROM (SELECT b * 2 AS z FROM t) s",
           "Projection: s.z + s.z AS w\n"
           "  Projection: t.b * Int64(2) AS z\n"
           "    TableScan: t projection=[b]");
    fx_free(&fx);
}

TEST(push_projection_into_union)
{
    opt_fixture fx;
    fx_init(&fx);
    PRUNED("SELECT s.a FROM (SELECT a, b FROM t UNION ALL SELECT a, b FROM u) s",
           "Projection: a\n"
           "  Union\n"
           "    Projection: t.a\n"
           "      TableScan: t projection=[a]\n"
           "    Projection: u.a\n"
           "      TableScan: u projection=[a]");
    PRUNED("SELECT column1 FROM (VALUES (1, 2), (3, 4)) v",
           "Projection: column1\n"
           "  Values: (Int64(1), Int64(2)), (Int64(3), Int64(4))");
    fx_free(&fx);
}
