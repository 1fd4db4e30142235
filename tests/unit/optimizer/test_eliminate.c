/*
 * test_eliminate.c — removal of redundant nodes.
 */
#include "opt_test_util.h"

#define ELIMINATED(sql, expected)                                                                  \
    do {                                                                                           \
        optimizer_options opts_ = fx_only("eliminate");                                            \
        CHECK_STR_EQ(fx_plan(&fx, sql, &opts_), expected);                                         \
    } while (0)

TEST(eliminate_identity_projection)
{
    opt_fixture fx;
    fx_init(&fx);
    ELIMINATED("SELECT * FROM t", "TableScan: t");
    /* a projection that drops or renames columns stays */
    ELIMINATED("SELECT a FROM t", "Projection: t.a\n"
                                  "  TableScan: t");
    ELIMINATED("SELECT a AS x, b, c FROM t", "Projection: t.a AS x, t.b, t.c\n"
                                             "  TableScan: t");
    fx_free(&fx);
}

TEST(eliminate_sorts)
{
    opt_fixture fx;
    fx_init(&fx);
    ELIMINATED("SELECT count(*) FROM (SELECT a FROM t ORDER BY a)",
               "Aggregate: groupBy=[[]], aggr=[[count(*)]]\n"
               "  Projection: t.a\n"
               "    TableScan: t");
    /* order-sensitive aggregates keep their input's order */
    ELIMINATED("SELECT array_agg(a) FROM (SELECT a FROM t ORDER BY a)",
               "Aggregate: groupBy=[[]], aggr=[[array_agg(t.a)]]\n"
               "  Sort: t.a ASC NULLS LAST\n"
               "    Projection: t.a\n"
               "      TableScan: t");
    /* a sort with fetch is a limit: it stays */
    ELIMINATED("SELECT count(*) FROM (SELECT a FROM t ORDER BY a LIMIT 2)",
               "Aggregate: groupBy=[[]], aggr=[[count(*)]]\n"
               "  Limit: skip=0, fetch=2\n"
               "    Sort: t.a ASC NULLS LAST\n"
               "      Projection: t.a\n"
               "        TableScan: t");
    ELIMINATED("SELECT * FROM (SELECT a FROM t ORDER BY a) ORDER BY a DESC",
               "Sort: t.a DESC NULLS FIRST\n"
               "  Projection: t.a\n"
               "    TableScan: t");
    fx_free(&fx);
}

TEST(eliminate_limits)
{
    opt_fixture fx;
    fx_init(&fx);
    ELIMINATED("SELECT * FROM (SELECT * FROM t LIMIT 4) LIMIT 2 OFFSET 1",
               "Limit: skip=1, fetch=2\n"
               "  TableScan: t");
    ELIMINATED("SELECT * FROM (SELECT * FROM t LIMIT 4 OFFSET 1) LIMIT 10 OFFSET 2",
               "Limit: skip=3, fetch=2\n"
               "  TableScan: t");
    /* rows 5.. of 2 rows: none */
    ELIMINATED("SELECT * FROM (SELECT * FROM t LIMIT 2) LIMIT 10 OFFSET 5",
               "EmptyRelation: rows=0");
    ELIMINATED("SELECT a FROM t LIMIT 0", "EmptyRelation: rows=0");
    fx_free(&fx);
}

TEST(eliminate_constant_filters_and_empty)
{
    opt_fixture fx;
    fx_init(&fx);
    ELIMINATED("SELECT a FROM t WHERE true", "Projection: t.a\n"
                                             "  TableScan: t");
    ELIMINATED("SELECT a FROM t WHERE false", "EmptyRelation: rows=0");
    /* a grouped aggregate of nothing is nothing; without groups it is a row */
    optimizer_options all = fx_only("all");
    CHECK_STR_EQ(fx_plan(&fx, "SELECT a, count(*) FROM t WHERE 1 = 0 GROUP BY a", &all),
                 "EmptyRelation: rows=0");
    CHECK_STR_EQ(fx_plan(&fx, "SELECT count(*) FROM t WHERE 1 = 0", &all),
                 "Aggregate: groupBy=[[]], aggr=[[count(*)]]\n"
                 "  EmptyRelation: rows=0");
    CHECK(fx_same_results(&fx, "SELECT count(*) FROM t WHERE 1 = 0", &all));
    CHECK(fx_same_results(&fx, "SELECT a, count(*) FROM t WHERE 1 = 0 GROUP BY a", &all));
    fx_free(&fx);
}

TEST(eliminate_unions)
{
    opt_fixture fx;
    fx_init(&fx);
    optimizer_options all = fx_only("all");
    /* one input left: a projection keeps the union's column names */
    CHECK_STR_EQ(fx_plan(&fx, "SELECT a FROM t UNION ALL SELECT a FROM u WHERE false", &all),
                 "Projection: t.a\n"
                 "  TableScan: t projection=[a]");
    CHECK_STR_EQ(
        fx_plan(&fx, "SELECT a FROM t WHERE false UNION ALL SELECT a FROM u WHERE false", &all),
        "EmptyRelation: rows=0");
    ELIMINATED("SELECT a FROM t UNION ALL SELECT a FROM u UNION ALL SELECT a FROM t",
               "Union\n"
               "  Projection: t.a\n"
               "    TableScan: t\n"
               "  Projection: u.a\n"
               "    TableScan: u\n"
               "  Projection: t.a\n"
               "    TableScan: t");
    CHECK(fx_same_results(&fx, "SELECT a FROM t UNION ALL SELECT a FROM u WHERE false", &all));
    fx_free(&fx);
}
