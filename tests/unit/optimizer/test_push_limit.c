/*
 * test_push_limit.c — limit pushdown.
 */
#include "opt_test_util.h"

#define LIMITED(sql, expected)                                                                     \
    do {                                                                                           \
        optimizer_options opts_ = fx_only("limit");                                                \
        CHECK_STR_EQ(fx_plan(&fx, sql, &opts_), expected);                                         \
    } while (0)

TEST(push_limit_into_sort)
{
    opt_fixture fx;
    fx_init(&fx);
    LIMITED("SELECT a FROM t ORDER BY a LIMIT 3", "Limit: skip=0, fetch=3\n"
                                                  "  Sort: t.a ASC NULLS LAST, fetch=3\n"
                                                  "    Projection: t.a\n"
                                                  "      TableScan: t");
    LIMITED("SELECT a FROM t ORDER BY a LIMIT 3 OFFSET 2", "Limit: skip=2, fetch=3\n"
                                                           "  Sort: t.a ASC NULLS LAST, fetch=5\n"
                                                           "    Projection: t.a\n"
                                                           "      TableScan: t");
    fx_free(&fx);
}

TEST(push_limit_below_projection_into_scan)
{
    opt_fixture fx;
    fx_init(&fx);
    LIMITED("SELECT a FROM t LIMIT 3", "Projection: t.a\n"
                                       "  Limit: skip=0, fetch=3\n"
                                       "    TableScan: t, fetch=3");
    LIMITED("SELECT * FROM t LIMIT 2 OFFSET 3", "Projection: t.a, t.b, t.c\n"
                                                "  Limit: skip=3, fetch=2\n"
                                                "    TableScan: t, fetch=5");
    /* not through filters, aggregates, or without a fetch */
    LIMITED("SELECT a FROM t WHERE b > 1 LIMIT 3", "Projection: t.a\n"
                                                   "  Limit: skip=0, fetch=3\n"
                                                   "    Filter: t.b > Int64(1)\n"
                                                   "      TableScan: t");
    LIMITED("SELECT a, count(*) FROM t GROUP BY a LIMIT 2",
            "Projection: t.a, count(*)\n"
            "  Limit: skip=0, fetch=2\n"
            "    Aggregate: groupBy=[[t.a]], aggr=[[count(*)]]\n"
            "      TableScan: t");
    LIMITED("SELECT a FROM t OFFSET 2", "Limit: skip=2, fetch=None\n"
                                        "  Projection: t.a\n"
                                        "    TableScan: t");
    fx_free(&fx);
}

TEST(push_limit_into_union)
{
    opt_fixture fx;
    fx_init(&fx);
    LIMITED("SELECT a FROM t UNION ALL SELECT a FROM u LIMIT 2 OFFSET 1",
            "Limit: skip=1, fetch=2\n"
            "  Union\n"
            "    Projection: t.a\n"
            "      Limit: skip=0, fetch=3\n"
            "        TableScan: t, fetch=3\n"
            "    Projection: u.a\n"
            "      Limit: skip=0, fetch=3\n"
            "        TableScan: u, fetch=3");
    /* more passes change nothing */
    optimizer_options many = fx_only("limit");
    many.max_passes = 10;
    LIMITED("SELECT a FROM t UNION ALL SELECT a FROM u LIMIT 2 OFFSET 1",
            fx_plan(&fx, "SELECT a FROM t UNION ALL SELECT a FROM u LIMIT 2 OFFSET 1", &many));
    fx_free(&fx);
}
