/*
 * test_push_filter.c — filter pushdown.
 */
#include "opt_test_util.h"

#define PUSHED(sql, expected)                                                                      \
    do {                                                                                           \
        optimizer_options opts_ = fx_only("filter");                                               \
        CHECK_STR_EQ(fx_plan(&fx, sql, &opts_), expected);                                         \
    } while (0)

TEST(push_filter_through_projection_and_sort)
{
    opt_fixture fx;
    fx_init(&fx);
    PUSHED("SELECT * FROM (SELECT a + 1 AS x, b FROM t) s WHERE s.x > 2 AND s.b < 30",
           "Projection: s.x, s.b\n"
           "  Projection: x, t.b\n"
           "    Projection: CAST(t.a AS Int64) + Int64(1) AS x, t.b\n"
           "      Filter: CAST(t.a AS Int64) + Int64(1) > Int64(2) AND t.b < Int64(30)\n"
           "        TableScan: t");
    PUSHED("SELECT * FROM (SELECT a, b FROM t ORDER BY b) s WHERE s.a > 1",
           "Projection: s.a, s.b\n"
           "  Projection: t.a, t.b\n"
           "    Sort: t.b ASC NULLS LAST\n"
           "      Projection: t.a, t.b\n"
           "        Filter: CAST(t.a AS Int64) > Int64(1)\n"
           "          TableScan: t");
    fx_free(&fx);
}

TEST(push_filter_stops_at_limits)
{
    opt_fixture fx;
    fx_init(&fx);
    PUSHED("SELECT * FROM (SELECT a, b FROM t ORDER BY b LIMIT 3) s WHERE s.a > 1",
           "Projection: s.a, s.b\n"
           "  Projection: t.a, t.b\n"
           "    Filter: CAST(t.a AS Int64) > Int64(1)\n"
           "      Limit: skip=0, fetch=3\n"
           "        Sort: t.b ASC NULLS LAST\n"
           "          Projection: t.a, t.b\n"
           "            TableScan: t");
    fx_free(&fx);
}

TEST(push_filter_through_aggregate)
{
    opt_fixture fx;
    fx_init(&fx);
    PUSHED("SELECT a, count(*) FROM t GROUP BY a HAVING a > 1 AND count(*) > 0",
           "Projection: t.a, count(*)\n"
           "  Filter: count(*) > Int64(0)\n"
           "    Aggregate: groupBy=[[t.a]], aggr=[[count(*)]]\n"
           "      Filter: CAST(t.a AS Int64) > Int64(1)\n"
           "        TableScan: t");
    /* without groups the aggregate makes a row of nothing: stay above */
    PUSHED("SELECT count(*) FROM t HAVING 1 = 2", "Projection: count(*)\n"
                                                  "  Filter: Int64(1) = Int64(2)\n"
                                                  "    Aggregate: groupBy=[[]], aggr=[[count(*)]]\n"
                                                  "      TableScan: t");
    /* grouping sets make group columns NULL: stay above */
    PUSHED("SELECT * FROM (SELECT a, sum(b) FROM t GROUP BY GROUPING SETS ((a), ())) s "
           "WHERE s.a > 1",
           "Projection: s.a, s.sum(t.b)\n"
           "  Projection: t.a, sum(t.b)\n"
           "    Projection: t.a, sum(t.b)\n"
           "      Filter: CAST(t.a AS Int64) > Int64(1)\n"
           "        Aggregate: groupBy=[[t.a]], aggr=[[sum(t.b)]]\n"
           "          TableScan: t");
    fx_free(&fx);
}

TEST(push_filter_into_union)
{
    opt_fixture fx;
    fx_init(&fx);
    PUSHED("SELECT * FROM (SELECT a, b FROM t UNION ALL SELECT a, b FROM u) s WHERE s.b > 15",
           "Projection: s.a, s.b\n"
           "  Projection: a, b\n"
           "    Union\n"
           "      Projection: t.a, t.b\n"
           "        Filter: t.b > Int64(15)\n"
           "          TableScan: t\n"
           "      Projection: u.a, u.b\n"
           "        Filter: u.b > Int64(15)\n"
           "          TableScan: u");
    fx_free(&fx);
}

TEST(push_filter_keeps_failing_conjuncts_above_filters)
{
    opt_fixture fx;
    fx_init(&fx);
    /* 100 / b must not see the rows where b = 0 */
    const char *sql =
        "SELECT * FROM (SELECT * FROM t WHERE b <> 0) s WHERE 100 / s.b > 2 AND s.a > 1";
    PUSHED(sql, "Projection: s.a, s.b, s.c\n"
                "  Projection: t.a, t.b, t.c\n"
                "    Projection: t.a, t.b, t.c\n"
                "      Filter: Int64(100) / t.b > Int64(2)\n"
                "        Filter: CAST(t.a AS Int64) > Int64(1) AND t.b != Int64(0)\n"
                "          TableScan: t");
    optimizer_options all = fx_only("all");
    CHECK(fx_same_results(&fx, sql, &all));
    CHECK(fx_same_results(&fx, "SELECT * FROM (SELECT * FROM t WHERE b <> 0) s WHERE 100 / s.b > 2",
                          &all));
    fx_free(&fx);
}

TEST(push_filter_not_through_volatile)
{
    opt_fixture fx;
    fx_init(&fx);
    PUSHED("SELECT * FROM (SELECT random() AS r, a FROM t) s WHERE s.r < 2 AND s.a > 1",
           "Projection: s.r, s.a\n"
           "  Projection: r, t.a\n"
           "    Filter: r < CAST(Int64(2) AS Float64)\n"
           "      Projection: random() AS r, t.a\n"
           "        Filter: CAST(t.a AS Int64) > Int64(1)\n"
           "          TableScan: t");
    fx_free(&fx);
}

TEST(push_filter_into_scan)
{
    opt_fixture fx;
    fx_init(&fx);
    /* f answers Exact for x = v, Inexact for x > v, Unsupported for y */
    optimizer_options opts = fx_only("filter");
    opts.simplify_expressions = true;
    plan_node *p =
        fx_optimize(&fx, fx_bind(&fx, "SELECT * FROM f WHERE x = 1 AND y > 2 AND x > 0"), &opts);
    CHECK_STR_EQ(fx_explain(p), "Projection: f.x, f.y\n"
                                "  Filter: f.y > Int32(2) AND f.x > Int32(0)\n"
                                "    TableScan: f");
    const plan_node *scan = p->inputs[0]->inputs[0];
    CHECK_INT_EQ(scan->kind, PLAN_SCAN);
    CHECK_INT_EQ(scan->n_filters, 2);
    CHECK_STR_EQ(plan_expr_name(fx.ctx, scan->filters[0], &scan->schema), "f.x = Int32(1)");
    CHECK_STR_EQ(plan_expr_name(fx.ctx, scan->filters[1], &scan->schema), "f.x > Int32(0)");
    /* pushing again adds nothing */
    plan_node *q = fx_optimize(&fx, p, &opts);
    CHECK(q != NULL);
    CHECK_INT_EQ(q->inputs[0]->inputs[0]->n_filters, 2);
    /* scan filters are over the table's full schema: x need not be read */
    opts.push_down_projection = true;
    p = fx_optimize(&fx, fx_bind(&fx, "SELECT y FROM f WHERE y > 1 AND x = 3"), &opts);
    CHECK_STR_EQ(fx_explain(p), "Projection: f.y\n"
                                "  Filter: f.y > Int32(1)\n"
                                "    TableScan: f projection=[y]");
    scan = p->inputs[0]->inputs[0];
    CHECK_INT_EQ(scan->n_filters, 1);
    CHECK_STR_EQ(plan_expr_name(fx.ctx, scan->filters[0], NULL), "#0 = Int32(3)");
    fx_free(&fx);
}

TEST(push_filter_catalog_predicates)
{
    opt_fixture fx;
    fx_init(&fx);
    optimizer_options opts = fx_only("simplify");
    plan_node *p = fx_optimize(
        &fx,
        fx_bind(&fx, "SELECT * FROM t WHERE 3 > a AND b IS NULL AND a IN (1, 2) AND b + 1 > 2"),
        &opts);
    CHECK(p != NULL && p->kind == PLAN_PROJECTION && p->inputs[0]->kind == PLAN_FILTER);
    plan_expr *pred = p->inputs[0]->exprs[0];
    /* ((3 > a AND b IS NULL) AND a IN (1, 2)) AND b + 1 > 2 */
    plan_expr *in_list = pred->args[0]->args[1];
    plan_expr *gt = pred->args[0]->args[0]->args[0];
    plan_expr *is_null = pred->args[0]->args[0]->args[1];
    catalog_predicate cp;
    CHECK(optimizer_to_catalog_predicate(gt, &cp));
    CHECK_INT_EQ(cp.op, CATALOG_PRED_LT); /* 3 > a is a < 3 */
    CHECK_INT_EQ(cp.column, 0);
    CHECK(cp.values != NULL && cp.values->length == 1);
    optimizer_predicate_clear(&cp);
    CHECK(cp.values == NULL);
    CHECK(optimizer_to_catalog_predicate(is_null, &cp));
    CHECK_INT_EQ(cp.op, CATALOG_PRED_IS_NULL);
    CHECK_INT_EQ(cp.column, 1);
    CHECK(cp.values == NULL);
    CHECK(optimizer_to_catalog_predicate(in_list, &cp));
    CHECK_INT_EQ(cp.op, CATALOG_PRED_IN);
    CHECK(cp.values != NULL && cp.values->length == 2);
    CHECK(arrow_type_equal(cp.values->type, arrow_type_primitive(QV_TYPE_INT32)));
    optimizer_predicate_clear(&cp);
    CHECK(!optimizer_to_catalog_predicate(pred->args[1], &cp));
    fx_free(&fx);
}
