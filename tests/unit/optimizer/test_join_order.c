/*
 * test_join_order.c — filters into joins (keys from WHERE equalities,
 * one-sided conjuncts to their side) and the greedy join order.
 */
#include "opt_test_util.h"

TEST(push_filter_makes_join_keys)
{
    opt_fixture fx;
    fx_init(&fx);
    optimizer_options opts = fx_only("filter");
    CHECK_STR_EQ(
        fx_plan(&fx, "SELECT t.a FROM t, u WHERE t.a = u.a AND u.b > 1 AND t.c = 'x'", &opts),
        "Projection: t.a\n"
        "  Inner Join\n"
        "    Filter: t.c = Utf8(\"x\")\n"
        "      TableScan: t\n"
        "    Filter: u.b > Int64(1)\n"
        "      TableScan: u");
    fx_free(&fx);
}

TEST(push_filter_respects_outer_joins)
{
    opt_fixture fx;
    fx_init(&fx);
    optimizer_options opts = fx_only("filter");
    /* WHERE on the null-supplying side stays above the join; ON on it goes
     * below. */
    CHECK_STR_EQ(fx_plan(&fx,
                         "SELECT t.a FROM t LEFT JOIN u ON t.a = u.a AND u.b > 1 AND t.b > 2 "
                         "WHERE u.c IS NULL AND t.c = 'x'",
                         &opts),
                 "Projection: t.a\n"
                 "  Filter: u.c IS NULL\n"
                 "    Left Join\n"
                 "      Filter: t.c = Utf8(\"x\")\n"
                 "        TableScan: t\n"
                 "      Filter: u.b > Int64(1)\n"
                 "        TableScan: u");
    fx_free(&fx);
}

TEST(join_order_starts_from_the_smallest_relation)
{
    opt_fixture fx;
    fx_init(&fx);
    optimizer_options opts = fx_only("join_order");
    /* t has 6 rows, u 3: u first, then t (joined to u), then t2. */
    CHECK_STR_EQ(
        fx_plan(&fx, "SELECT * FROM t JOIN t AS t2 ON t.a = t2.a JOIN u ON u.a = t.a", &opts),
        "Projection: t.a, t.b, t.c, t2.a, t2.b, t2.c, u.a, u.b, u.c\n"
        "  Projection: t.a, t.b, t.c, t2.a, t2.b, t2.c, u.a, u.b, u.c\n"
        "    Inner Join\n"
        "      Inner Join\n"
        "        TableScan: u\n"
        "        TableScan: t\n"
        "      TableScan: t");
    CHECK(fx_same_results(&fx, "SELECT * FROM t JOIN t AS t2 ON t.a = t2.a JOIN u ON u.a = t.a",
                          &opts));
    fx_free(&fx);
}
