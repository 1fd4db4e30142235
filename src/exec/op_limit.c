/*
 * op_limit.c — OFFSET / LIMIT over one partition (layer: exec): skips and
 * slices batches without copying, and stops pulling once enough rows have
 * passed. The one-row form (scalar subqueries) fails instead when a second
 * row arrives.
 */
#include "exec/exec.h"

typedef struct limit_state {
    int64_t skip;
    int64_t fetch; /* -1: all */
    bool fail_past_fetch;
} limit_state;

typedef struct limit_stream {
    exec_unary_stream base; /* child NULL when fetch is 0 */
    int64_t to_skip;
    int64_t remaining; /* -1: unlimited */
    bool fail_past_fetch;
} limit_stream;

static qv_status too_many_rows(qv_error *err)
{
    return base_error_set(err, QV_EXECUTION,
                          "Execution error: Scalar subquery returned more than one row");
}

/* After the fetched rows: any further row is an error. */
static qv_status check_no_more(limit_stream *s, qv_error *err)
{
    for (;;) {
        arrow_batch *in = NULL;
        QV_TRY(s->base.child->next(s->base.child, &in, err));
        if (in == NULL)
            return QV_OK;
        int64_t n = in->n_rows;
        arrow_batch_release(in);
        if (n > 0)
            return too_many_rows(err);
    }
}

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    limit_stream *s = (limit_stream *)stream;
    *out = NULL;
    if (s->remaining == 0 && s->fail_past_fetch && s->base.child != NULL) {
        QV_TRY(check_no_more(s, err));
        s->fail_past_fetch = false;
    }
    while (s->remaining != 0) {
        arrow_batch *in = NULL;
        QV_TRY(s->base.child->next(s->base.child, &in, err));
        if (in == NULL)
            return QV_OK;
        int64_t start = 0;
        if (s->to_skip > 0) {
            start = s->to_skip < in->n_rows ? s->to_skip : in->n_rows;
            s->to_skip -= start;
        }
        int64_t take = in->n_rows - start;
        if (s->remaining >= 0 && take > s->remaining) {
            if (s->fail_past_fetch) {
                arrow_batch_release(in);
                return too_many_rows(err);
            }
            take = s->remaining;
        }
        if (take <= 0) {
            arrow_batch_release(in);
            continue;
        }
        if (s->remaining > 0)
            s->remaining -= take;
        if (start == 0 && take == in->n_rows) {
            *out = in;
            return QV_OK;
        }
        qv_status st = arrow_batch_slice(in, start, take, out, err);
        arrow_batch_release(in);
        return st;
    }
    return QV_OK;
}

static qv_status limit_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                            qv_error *err)
{
    const limit_state *state = node->state;
    limit_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "limit stream");
    s->to_skip = state->skip;
    s->remaining = state->fetch;
    s->fail_past_fetch = state->fail_past_fetch;
    qv_status st = s->remaining == 0 && !s->fail_past_fetch
                       ? QV_OK
                       : exec_node_open(node->children[0], ctx, partition, &s->base.child, err);
    if (st != QV_OK) {
        base_free(s);
        return st;
    }
    s->base.base = (exec_stream){stream_next, exec_unary_stream_free};
    *out = &s->base.base;
    return QV_OK;
}

static void limit_describe(const exec_node *node, base_strbuf *sb)
{
    const limit_state *state = node->state;
    base_strbuf_appendf(sb, "skip=%lld, fetch=", (long long)state->skip);
    if (state->fetch < 0)
        base_strbuf_append_str(sb, "None");
    else
        base_strbuf_appendf(sb, "%lld", (long long)state->fetch);
}

static void limit_free(exec_node *node)
{
    base_free(node->state);
}

static const exec_node_ops limit_ops = {"GlobalLimitExec", limit_open, limit_describe, limit_free};

static qv_status limit_new(exec_node *child, int64_t skip, int64_t fetch, bool fail_past_fetch,
                           exec_node **out, qv_error *err)
{
    *out = NULL;
    limit_state *state = base_calloc(1, sizeof *state);
    if (state == NULL) {
        exec_node_free(child);
        return base_error_nomem(err, "limit");
    }
    state->skip = skip;
    state->fetch = fetch;
    state->fail_past_fetch = fail_past_fetch;
    qv_status st = exec_node_new(&limit_ops, child->schema, 1, 1, &child, state, out, err);
    if (st != QV_OK)
        base_free(state);
    return st;
}

qv_status exec_limit_new(exec_node *child, int64_t skip, int64_t fetch, exec_node **out,
                         qv_error *err)
{
    return limit_new(child, skip, fetch, false, out, err);
}

qv_status exec_limit_one_row_new(exec_node *child, exec_node **out, qv_error *err)
{
    return limit_new(child, 0, 1, true, out, err);
}
