/*
 * opt_test_util.h — fixtures for the optimizer's unit tests: a catalog with
 * two memory tables, binding SQL into plans, running one rule or all of
 * them, the EXPLAIN text of a plan, and running a plan to compare results.
 */
#ifndef QV_OPT_TEST_UTIL_H
#define QV_OPT_TEST_UTIL_H

#include "exec/exec.h"
#include "optimizer/optimizer.h"
#include "plan/plan.h"
#include "test.h"

typedef struct opt_fixture {
    func_registry *registry;
    catalog *catalog;
    plan_ctx *ctx;
    base_mem_pool *mem;
    sql_parse_result **parsed; /* kept until fx_free (plans may point into them) */
    int n_parsed;
} opt_fixture;

/* Tables (datafusion.public):
 *   t(a Int32, b Int64, c Utf8), 6 rows, some NULLs;
 *   u(a Int32, b Int64, c Utf8), 3 rows;
 *   f(x Int32, y Int32): a provider answering Exact for x = literal,
 *     Inexact for x < / > literal and Unsupported otherwise. */
void fx_init(opt_fixture *fx);
void fx_free(opt_fixture *fx);

/* The bound plan of sql, or NULL (a test failure is recorded). */
plan_node *fx_bind(opt_fixture *fx, const char *sql);

/* Options with every rule off (max_passes 3); tests switch one on. */
optimizer_options fx_no_rules(void);
/* Runs the optimizer with opts; NULL on failure (recorded). */
plan_node *fx_optimize(opt_fixture *fx, plan_node *root, const optimizer_options *opts);

/* Options with only the named rule on: "simplify", "eliminate", "filter",
 * "limit", "projection", "join_order"; "all" gives the defaults. */
optimizer_options fx_only(const char *rule);
/* The EXPLAIN text of sql's plan after optimizing with opts (static
 * buffer, as fx_explain). */
const char *fx_plan(opt_fixture *fx, const char *sql, const optimizer_options *opts);

/* The EXPLAIN text of a plan, in a static buffer valid until the next call. */
const char *fx_explain(const plan_node *root);

/* Runs the plan and returns its rows, one "v1|v2|...\n" line each, in
 * output order (sorted when sort is set); base_free the result. NULL when
 * execution fails (err set). */
char *fx_run(opt_fixture *fx, const plan_node *root, bool sort, qv_error *err);

/* Binds sql, runs the unoptimized plan and the plan optimized with opts
 * (NULL: defaults), and checks both give the same rows and output schema
 * (or both fail with the same status). Returns false (failure recorded)
 * when they differ. */
bool fx_same_results(opt_fixture *fx, const char *sql, const optimizer_options *opts);

#endif /* QV_OPT_TEST_UTIL_H */
