/*
 * explain.c — EXPLAIN and EXPLAIN ANALYZE (layer: session): the logical and
 * physical plans of a query as rows (plan_type, plan); ANALYZE runs the
 * query first and shows the physical plan with each operator's metrics.
 */
#include <string.h>

#include "session/session_int.h"

qv_status session_explain(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err)
{
    const sql_node *inner = sql_kid(stmt, 0);
    bool analyze = (stmt->flags & SQL_F_ANALYZE) != 0;
    if (sql_kid(stmt, 1) != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: EXPLAIN FORMAT");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    plan_node *root = NULL;
    qv_status st = plan_bind_query(pctx, inner, &root, err);
    if (st == QV_OK)
        st = session_optimize(session, pctx, root, &root, err);
    base_strbuf logical, physical;
    base_strbuf_init(&logical);
    base_strbuf_init(&physical);
    exec_node *node = NULL;
    exec_ctx *ctx = NULL;
    if (st == QV_OK) {
        plan_format(root, &logical);
        st = session_exec_ctx(session, &ctx, err);
    }
    if (st == QV_OK) {
        exec_plan_options options = session_plan_options(session, ctx);
        st = exec_plan_create(root, &options, &node, err);
    }
    if (st == QV_OK && analyze) {
        arrow_batch **batches = NULL;
        int64_t n = 0;
        st = exec_collect_partition(node, ctx, 0, &batches, &n, err);
        exec_batches_free(batches, n);
    }
    if (st == QV_OK)
        exec_plan_format(node, analyze, &physical);
    if (st == QV_OK && (base_strbuf_failed(&logical) || base_strbuf_failed(&physical)))
        st = base_error_nomem(err, "EXPLAIN");
    if (st == QV_OK) {
        static const char *const names[] = {"plan_type", "plan"};
        bool logical_only =
            config_get_bool(session->config, "datafusion.explain.logical_plan_only");
        bool physical_only =
            config_get_bool(session->config, "datafusion.explain.physical_plan_only");
        const char *cells[4];
        int64_t n_rows = 0;
        if (analyze) {
            cells[0] = "Plan with Metrics";
            cells[1] = physical.data ? physical.data : "";
            n_rows = 1;
        } else {
            if (!physical_only) {
                cells[2 * n_rows] = "logical_plan";
                cells[2 * n_rows + 1] = logical.data ? logical.data : "";
                n_rows++;
            }
            if (!logical_only) {
                cells[2 * n_rows] = "physical_plan";
                cells[2 * n_rows + 1] = physical.data ? physical.data : "";
                n_rows++;
            }
        }
        st = session_result_strings(session, 2, names, n_rows, cells, out, err);
    }
    base_strbuf_free(&logical);
    base_strbuf_free(&physical);
    exec_node_free(node);
    base_free(ctx);
    plan_ctx_free(pctx);
    return st;
}
