/*
 * test_oom.c — the optimizer under allocation failures: every failure
 * point gives QV_OK or QV_NOMEM, never a crash or a leak, and the input
 * plan stays intact.
 */
#include <stdio.h>

#include "opt_test_util.h"

static const char *const queries[] = {
    "SELECT a + (1 + 2) AS k, CASE WHEN false THEN 1 WHEN a > 1 THEN 2 END FROM t "
    "WHERE NOT NOT (b > 1 AND true) AND a IN (1, 2) ORDER BY k LIMIT 3",
    "SELECT * FROM (SELECT a, b FROM t UNION ALL SELECT a, b FROM u) s WHERE s.b > 15 LIMIT 2",
    "SELECT s.a FROM (SELECT a, sum(b), max(c) FROM t GROUP BY a HAVING a > 1) s",
    "SELECT count(*) FROM (SELECT a FROM t ORDER BY a) s WHERE 1 = 0",
    "SELECT * FROM f WHERE x = 1 AND x IN (1, 2) AND y > 2",
};

TEST(optimizer_out_of_memory)
{
    opt_fixture fx;
    fx_init(&fx);
    qv_error err = {0};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        plan_node *p = fx_bind(&fx, queries[q]);
        CHECK(p != NULL);
        char before[8192];
        snprintf(before, sizeof before, "%s", fx_explain(p));
        int64_t n;
        for (n = 1; n < 100000; n++) {
            /* A fresh context each time, so that its arena grows (and can
             * fail) during the run. */
            plan_ctx *ctx = NULL;
            CHECK_OK(plan_ctx_new(fx.catalog, fx.registry, &fx.ctx->options, &ctx, &err));
            plan_node *out = NULL;
            base_alloc_fail_after(n);
            qv_status st = optimizer_run(ctx, p, NULL, &out, &err);
            bool triggered = base_alloc_fail_triggered();
            base_alloc_fail_after(0);
            plan_ctx_free(ctx);
            CHECK(st == QV_OK || st == QV_NOMEM);
            CHECK(st == QV_OK || out == NULL);
            if (!triggered) {
                CHECK(st == QV_OK);
                break;
            }
        }
        CHECK(n < 100000);
        CHECK_STR_EQ(fx_explain(p), before);
    }
    fx_free(&fx);
}
