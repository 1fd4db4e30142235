/*
 * test_results.c — every rule, alone and all together, leaves the results
 * (rows, output schema, errors) of a set of queries unchanged.
 */
#include <stdio.h>

#include "opt_test_util.h"

static const char *const queries[] = {
    "SELECT * FROM t",
    "SELECT a, b FROM t WHERE b > 5 AND c = 'x' ORDER BY c",
    "SELECT a FROM t WHERE a > 1 AND true",
    "SELECT a FROM t WHERE a IN (1, 2) OR c IS NULL",
    "SELECT a FROM t WHERE NOT (b = 20) AND NOT (c LIKE 'x%')",
    "SELECT a FROM t WHERE 1 = 2",
    "SELECT a FROM t WHERE NULL",
    "SELECT a + (1 + 2) AS k, CASE WHEN false THEN 1 WHEN a > 1 THEN 2 ELSE 3 END FROM t",
    "SELECT CASE WHEN a > 1 THEN 1 WHEN true THEN 2 ELSE 3 END, b + 0, b * 1 FROM t",
    "SELECT count(*) FROM t",
    "SELECT count(*), sum(b) FROM t WHERE c = 'y'",
    "SELECT a, count(*) FROM t GROUP BY a HAVING a > 1 AND count(*) > 0 ORDER BY a",
    "SELECT a + 1 AS x, sum(b) FROM t GROUP BY a + 1 HAVING sum(b) > 1 ORDER BY x",
    "SELECT s.a FROM (SELECT a, sum(b), max(c) FROM t GROUP BY a) s ORDER BY s.a",
    "SELECT * FROM (SELECT a + 1 AS x, b FROM t) s WHERE s.x > 2 AND s.b < 30",
    "SELECT * FROM (SELECT a, b FROM t ORDER BY b) s WHERE s.a > 1",
    "SELECT * FROM (SELECT a, b FROM t ORDER BY b, a LIMIT 3) s WHERE s.a > 1",
    "SELECT * FROM (SELECT a, b FROM t UNION ALL SELECT a, b FROM u) s WHERE s.b > 15",
    "SELECT * FROM (SELECT * FROM t WHERE b <> 0) s WHERE 100 / s.b > 2",
    "SELECT * FROM (SELECT * FROM t WHERE b <> 0) s WHERE 100 / s.b > 2 AND s.a > 1",
    "SELECT a FROM t ORDER BY a NULLS FIRST, b LIMIT 3",
    "SELECT a FROM t ORDER BY b DESC, a LIMIT 3 OFFSET 2",
    "SELECT c FROM t ORDER BY b, a LIMIT 2 OFFSET 1",
    "SELECT a FROM t UNION ALL SELECT a FROM u",
    "SELECT a FROM t UNION SELECT a FROM u",
    "SELECT a, b FROM t UNION ALL SELECT b, a FROM u",
    "SELECT count(*) FROM (SELECT a FROM t UNION ALL SELECT b FROM u) s",
    "SELECT * FROM (SELECT * FROM t LIMIT 4) s LIMIT 2 OFFSET 1",
    "SELECT * FROM (SELECT * FROM t LIMIT 2) s LIMIT 10 OFFSET 5",
    "SELECT a FROM t LIMIT 0",
    "SELECT count(*) FROM (SELECT a FROM t ORDER BY a) s",
    "SELECT s.y FROM (SELECT x + 1 AS y, x * 2 AS z FROM (SELECT a AS x, b FROM t) q) s",
    "SELECT s.z + s.z AS w FROM (SELECT b * 2 AS z FROM t) s",
    "SELECT 1 FROM (SELECT count(*), sum(b) FROM t) s",
    "SELECT column1 FROM (VALUES (1, 2), (3, 4)) v",
    "SELECT 1 + 2, CAST('5' AS INT), NOT NOT true",
    "SELECT a FROM t WHERE 1 / 0 = 1",
    "SELECT count(*) FROM t WHERE 1 = 0",
    "SELECT a, count(*) FROM t WHERE 1 = 0 GROUP BY a",
    "SELECT DISTINCT c FROM t",
    "SELECT a FROM t WHERE b / 0 > 1 AND false",
    "SELECT a FROM t UNION ALL SELECT a FROM u WHERE false",
    "SELECT a FROM t UNION ALL SELECT a FROM u LIMIT 2",
    "SELECT a FROM t ORDER BY a LIMIT 0",
    "SELECT a, array_agg(b ORDER BY b DESC) FROM t GROUP BY a ORDER BY a",
    "SELECT count(*) FILTER (WHERE b > 10), sum(b) FROM t",
    "SELECT * FROM (SELECT a, sum(b) AS s FROM t GROUP BY ROLLUP (a)) q WHERE q.a > 1 OR q.a IS "
    "NULL",
    "SELECT * FROM (VALUES (1 + 1, 'a'), (3, 'b')) v WHERE column1 > 2",
    "SELECT now() = now(), random() < 2.0",
    "SELECT c, count(DISTINCT a) FROM t GROUP BY c ORDER BY c",
    "SELECT * FROM (SELECT c, max(b) AS m FROM t GROUP BY c) s WHERE s.c = 'y' AND s.m > 1",
    "SELECT a FROM (SELECT a, b FROM t WHERE a > 1 LIMIT 3) s WHERE s.b > 10",
    "SELECT a FROM t WHERE CAST(a AS BIGINT) IN (1, 2, 3000000000)",
    "SELECT t.a, u.c FROM t JOIN u ON t.a = u.a WHERE u.b > 1 AND t.c IS NOT NULL",
    "SELECT t.a, u.c FROM t LEFT JOIN u ON t.a = u.a AND u.b > 15 WHERE t.b > 5",
    "SELECT t.a, u.c FROM t RIGHT JOIN u ON t.a = u.a AND t.b > 5 WHERE u.c IS NOT NULL",
    "SELECT t.a, u.a FROM t FULL JOIN u ON t.a = u.a WHERE t.a > 1 OR u.a IS NULL",
    "SELECT count(*) FROM t, u WHERE t.a = u.a AND t.b < u.b",
    "SELECT * FROM t, t AS t2, u WHERE t.a = u.a AND t2.a = u.a AND t2.b > 1",
    "SELECT * FROM t JOIN t AS t2 ON t.a = t2.a JOIN u ON u.a = t.a",
    "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a)",
    "SELECT a FROM t WHERE a NOT IN (SELECT a FROM u)",
    "SELECT a, (SELECT max(b) FROM u WHERE u.a = t.a) FROM t",
    "SELECT a FROM t INTERSECT SELECT a FROM u",
    "SELECT a FROM t EXCEPT ALL SELECT a FROM u",
};

static void check_all(const char *rule)
{
    opt_fixture fx;
    fx_init(&fx);
    optimizer_options opts = fx_only(rule);
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        if (!fx_same_results(&fx, queries[i], &opts))
            break;
    fx_free(&fx);
}

TEST(results_simplify)
{
    check_all("simplify");
}

TEST(results_eliminate)
{
    check_all("eliminate");
}

TEST(results_push_filter)
{
    check_all("filter");
}

TEST(results_push_limit)
{
    check_all("limit");
}

TEST(results_push_projection)
{
    check_all("projection");
}

TEST(results_join_order)
{
    check_all("join_order");
}

TEST(results_all_rules)
{
    check_all("all");
}

TEST(results_max_passes_zero_changes_nothing)
{
    opt_fixture fx;
    fx_init(&fx);
    plan_node *p = fx_bind(&fx, "SELECT a FROM t WHERE 1 = 1 ORDER BY a LIMIT 2");
    optimizer_options opts;
    optimizer_options_default(&opts);
    opts.max_passes = 0;
    CHECK(fx_optimize(&fx, p, &opts) == p);
    /* all rules off: the same plan */
    opts = fx_no_rules();
    CHECK(fx_optimize(&fx, p, &opts) == p);
    /* NULL options: the defaults */
    qv_error err = {0};
    plan_node *out = NULL;
    CHECK_OK(optimizer_run(fx.ctx, p, NULL, &out, &err));
    CHECK_STR_EQ(fx_explain(out), "Limit: skip=0, fetch=2\n"
                                  "  Sort: t.a ASC NULLS LAST, fetch=2\n"
                                  "    TableScan: t projection=[a]");
    fx_free(&fx);
}

/* Three passes reach the fixed point: optimizing again changes nothing. */
TEST(results_fixed_point)
{
    opt_fixture fx;
    fx_init(&fx);
    optimizer_options opts = fx_only("all");
    char first[8192];
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        plan_node *once = fx_optimize(&fx, fx_bind(&fx, queries[i]), &opts);
        CHECK(once != NULL);
        snprintf(first, sizeof first, "%s", fx_explain(once));
        plan_node *twice = fx_optimize(&fx, once, &opts);
        if (strcmp(first, fx_explain(twice)) != 0)
            test_fail(__FILE__, __LINE__, "%s: not at a fixed point:\n%s\nthen\n%s", queries[i],
                      first, fx_explain(twice));
    }
    fx_free(&fx);
}
