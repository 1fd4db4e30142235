/*
 * result.c — query results (layer: session): running a plan into a
 * streaming result, ready-made results (DDL, counts, text tables), and the
 * public qv_result API over the Arrow C Data / Stream interfaces.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <string.h>
#include <time.h>

#include "session/session_int.h"

static qv_status result_new(qv_session *session, arrow_schema *schema, qv_result **out,
                            qv_error *err)
{
    qv_result *r = base_calloc(1, sizeof *r);
    if (r == NULL)
        return base_error_nomem(err, "result");
    r->session = session;
    r->schema = arrow_schema_retain(schema);
    *out = r;
    return QV_OK;
}

qv_status session_result_batches(qv_session *session, arrow_schema *schema,
                                 arrow_batch *const *batches, int64_t n, qv_result **out,
                                 qv_error *err)
{
    *out = NULL;
    qv_result *r = NULL;
    QV_TRY(result_new(session, schema, &r, err));
    r->batches = base_calloc((size_t)(n > 0 ? n : 1), sizeof *r->batches);
    if (r->batches == NULL) {
        qv_result_free(r);
        return base_error_nomem(err, "result");
    }
    for (int64_t i = 0; i < n; i++)
        if (batches[i]->n_rows > 0)
            r->batches[r->n_batches++] = arrow_batch_retain(batches[i]);
    *out = r;
    return QV_OK;
}

qv_status session_result_empty(qv_session *session, qv_result **out, qv_error *err)
{
    arrow_schema *schema = NULL;
    QV_TRY(arrow_schema_new(0, NULL, NULL, &schema, err));
    qv_status st = session_result_batches(session, schema, NULL, 0, out, err);
    arrow_schema_release(schema);
    return st;
}

qv_status session_result_count(qv_session *session, uint64_t count, qv_result **out, qv_error *err)
{
    arrow_field *field = NULL;
    arrow_schema *schema = NULL;
    arrow_builder *b = NULL;
    arrow_array *col = NULL;
    arrow_batch *batch = NULL;
    qv_status st =
        arrow_field_new("count", arrow_type_primitive(QV_TYPE_UINT64), false, NULL, &field, err);
    if (st == QV_OK)
        st = arrow_schema_new(1, &field, NULL, &schema, err);
    if (st == QV_OK)
        st = arrow_builder_new(arrow_type_primitive(QV_TYPE_UINT64), &b, err);
    if (st == QV_OK)
        st = arrow_builder_append_uint(b, count, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &col, err);
    if (st == QV_OK)
        st = arrow_batch_new(schema, 1, &col, &batch, err);
    if (st == QV_OK)
        st = session_result_batches(session, schema, &batch, 1, out, err);
    arrow_batch_release(batch);
    arrow_array_release(col);
    arrow_builder_free(b);
    arrow_schema_release(schema);
    arrow_field_release(field);
    return st;
}

qv_status session_result_strings(qv_session *session, int32_t n_cols, const char *const *names,
                                 int64_t n_rows, const char *const *cells, qv_result **out,
                                 qv_error *err)
{
    *out = NULL;
    arrow_field **fields = base_calloc((size_t)n_cols, sizeof *fields);
    arrow_array **cols = base_calloc((size_t)n_cols, sizeof *cols);
    arrow_schema *schema = NULL;
    arrow_batch *batch = NULL;
    qv_status st = fields && cols ? QV_OK : base_error_nomem(err, "result");
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++) {
        st = arrow_field_new(names[c], arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &fields[c],
                             err);
        arrow_builder *b = NULL;
        if (st == QV_OK)
            st = arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &b, err);
        for (int64_t r = 0; r < n_rows && st == QV_OK; r++) {
            const char *cell = cells[r * n_cols + c];
            st = cell ? arrow_builder_append_bytes(b, cell, (int64_t)strlen(cell), err)
                      : arrow_builder_append_null(b, err);
        }
        if (st == QV_OK)
            st = arrow_builder_finish(b, &cols[c], err);
        arrow_builder_free(b);
    }
    if (st == QV_OK)
        st = arrow_schema_new(n_cols, fields, NULL, &schema, err);
    if (st == QV_OK)
        st = arrow_batch_new(schema, n_rows, cols, &batch, err);
    if (st == QV_OK)
        st = session_result_batches(session, schema, &batch, 1, out, err);
    arrow_batch_release(batch);
    arrow_schema_release(schema);
    for (int32_t c = 0; c < n_cols; c++) {
        if (fields)
            arrow_field_release(fields[c]);
        if (cols)
            arrow_array_release(cols[c]);
    }
    base_free(fields);
    base_free(cols);
    return st;
}

static int64_t wall_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void session_call_ctx(qv_session *session, func_call_ctx *call)
{
    const char *tz = NULL;
    config_get(session->config, "datafusion.execution.time_zone", &tz, NULL);
    call->time_zone = tz;
    call->query_start_ns = wall_clock_ns();
    session->random_state ^= session->random_state << 13;
    session->random_state ^= session->random_state >> 7;
    session->random_state ^= session->random_state << 17;
    call->random_state = session->random_state | 1;
}

qv_status session_exec_ctx(qv_session *session, exec_ctx **out, qv_error *err)
{
    qv_runtime *rt = session->profile->runtime;
    exec_ctx *ctx = base_calloc(1, sizeof *ctx);
    if (ctx == NULL)
        return base_error_nomem(err, "query context");
    int64_t partitions = config_get_int(session->config, "datafusion.execution.target_partitions");
    ctx->pool = partitions > 1 ? rt->pool : NULL;
    /* datafusion.runtime.memory_limit / temp_directory (runtime_settings.c) */
    ctx->mem_pool = session_memory_pool(session);
    ctx->spill_dir = session_spill_directory(session);
    ctx->disk = session_spill_budget(session);
    ctx->batch_size = config_get_int(session->config, "datafusion.execution.batch_size");
    if (ctx->batch_size < 1)
        ctx->batch_size = 1;
    ctx->target_partitions = (int32_t)(partitions > 0 ? partitions : 1);
    session_call_ctx(session, &ctx->call);
    *out = ctx;
    return QV_OK;
}

qv_status session_run_plan(qv_session *session, plan_ctx *pctx, plan_node *root, qv_result **out,
                           qv_error *err)
{
    *out = NULL;
    exec_ctx *ctx = NULL;
    qv_status st = session_exec_ctx(session, &ctx, err);
    if (st != QV_OK) {
        plan_ctx_free(pctx);
        return st;
    }
    exec_plan_options options = session_plan_options(session, ctx);
    exec_node *node = NULL;
    st = exec_plan_create(root, &options, &node, err);
    qv_result *r = NULL;
    if (st == QV_OK)
        st = result_new(session, node->schema, &r, err);
    if (st == QV_OK)
        st = exec_node_open(node, ctx, 0, &r->stream, err);
    if (st != QV_OK) {
        if (r != NULL) {
            r->root = NULL;
            qv_result_free(r);
        }
        exec_node_free(node);
        base_free(ctx);
        plan_ctx_free(pctx);
        return st;
    }
    r->plan = pctx;
    r->root = node;
    r->ctx = ctx;
    r->mem_pool = session_memory_pool_retain(session); /* outlives a SET or the session */
    session->open_result = r;
    *out = r;
    return QV_OK;
}

exec_plan_options session_plan_options(qv_session *session, exec_ctx *ctx)
{
    return (exec_plan_options){
        .batch_size = ctx->batch_size,
        .target_partitions = ctx->target_partitions,
        .identity = &session->catalog_identity,
        .call = &ctx->call,
        .prefer_sort_merge_join =
            !config_get_bool(session->config, "datafusion.optimizer.prefer_hash_join"),
    };
}

qv_status session_collect_plan(qv_session *session, plan_node *root, arrow_batch ***batches,
                               int64_t *n_batches, arrow_schema **schema, qv_error *err)
{
    *batches = NULL;
    *n_batches = 0;
    *schema = NULL;
    exec_ctx *ctx = NULL;
    QV_TRY(session_exec_ctx(session, &ctx, err));
    exec_plan_options options = session_plan_options(session, ctx);
    exec_node *node = NULL;
    qv_status st = exec_plan_create(root, &options, &node, err);
    if (st == QV_OK)
        st = exec_collect_partition(node, ctx, 0, batches, n_batches, err);
    if (st == QV_OK)
        *schema = arrow_schema_retain(node->schema);
    exec_node_free(node);
    base_free(ctx);
    return st;
}

/* ---- the public result API ---- */

static qv_status next_batch(qv_result *result, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    if (result->stream != NULL) {
        qv_status st = result->stream->next(result->stream, out, err);
        if (st != QV_OK || *out == NULL) {
            exec_stream_free(result->stream);
            result->stream = NULL;
        }
        return st;
    }
    if (result->next_batch < result->n_batches)
        *out = arrow_batch_retain(result->batches[result->next_batch++]);
    return QV_OK;
}

qv_status qv_result_schema(qv_result *result, struct ArrowSchema *out, qv_error *err)
{
    if (result == NULL || out == NULL)
        return base_error_set(err, QV_MISUSE, "qv_result_schema: result and out are required");
    return arrow_export_schema(result->schema, out, err);
}

qv_status qv_result_next(qv_result *result, struct ArrowArray *out, qv_error *err)
{
    if (result == NULL || out == NULL)
        return base_error_set(err, QV_MISUSE, "qv_result_next: result and out are required");
    memset(out, 0, sizeof *out);
    arrow_batch *batch = NULL;
    QV_TRY(next_batch(result, &batch, err));
    if (batch == NULL)
        return QV_OK;
    qv_status st = arrow_export_batch(batch, out, err);
    arrow_batch_release(batch);
    return st;
}

typedef struct result_source {
    arrow_batch_source base;
    qv_result *result;
} result_source;

static qv_status source_next(arrow_batch_source *source, arrow_batch **out, qv_error *err)
{
    return next_batch(((result_source *)source)->result, out, err);
}

static void source_release(arrow_batch_source *source)
{
    result_source *rs = (result_source *)source;
    qv_result_free(rs->result);
    base_free(rs);
}

qv_status qv_result_to_stream(qv_result *result, struct ArrowArrayStream *out, qv_error *err)
{
    if (result == NULL || out == NULL) {
        qv_result_free(result);
        return base_error_set(err, QV_MISUSE, "qv_result_to_stream: result and out are required");
    }
    result_source *rs = base_calloc(1, sizeof *rs);
    if (rs == NULL) {
        qv_result_free(result);
        return base_error_nomem(err, "result stream");
    }
    rs->base.schema = result->schema;
    rs->base.next = source_next;
    rs->base.release = source_release;
    rs->result = result;
    /* The stream may outlive the session's next statement. */
    if (result->session != NULL && result->session->open_result == result)
        result->session->open_result = NULL;
    result->session = NULL;
    return arrow_export_stream(&rs->base, out, err);
}

void qv_result_free(qv_result *result)
{
    if (result == NULL)
        return;
    if (result->session != NULL && result->session->open_result == result)
        result->session->open_result = NULL;
    exec_stream_free(result->stream);
    exec_node_free(result->root);
    base_free(result->ctx);
    session_memory_pool_release(result->mem_pool);
    plan_ctx_free(result->plan);
    for (int64_t i = 0; i < result->n_batches; i++)
        arrow_batch_release(result->batches[i]);
    base_free(result->batches);
    arrow_schema_release(result->schema);
    base_free(result);
}
