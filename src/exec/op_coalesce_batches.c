/*
 * op_coalesce_batches.c — gluing small batches into batches of about the
 * target size (layer: exec), placed above operators that shrink batches
 * (filters) so that the operators above work on full batches.
 */
#include "exec/exec.h"
#include "func/select.h"

typedef struct coalesce_stream {
    exec_unary_stream base;
    arrow_schema *schema;
    int64_t target;
    arrow_batch **pending; /* owned references */
    int32_t n_pending, cap;
    int64_t pending_rows;
    bool done;
} coalesce_stream;

/* Hands out the pending batches as one batch. */
static qv_status flush(coalesce_stream *s, arrow_batch **out, qv_error *err)
{
    qv_status st;
    if (s->n_pending == 1) {
        *out = s->pending[0];
        st = QV_OK;
    } else {
        st = func_concat_batches(s->schema, s->n_pending, s->pending, out, err);
        for (int32_t i = 0; i < s->n_pending; i++)
            arrow_batch_release(s->pending[i]);
    }
    s->n_pending = 0;
    s->pending_rows = 0;
    return st;
}

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    coalesce_stream *s = (coalesce_stream *)stream;
    *out = NULL;
    while (!s->done) {
        arrow_batch *in = NULL;
        QV_TRY(s->base.child->next(s->base.child, &in, err));
        if (in == NULL) {
            s->done = true;
            break;
        }
        /* Big batches pass through untouched (after what is pending). */
        if (in->n_rows >= s->target / 2 && s->n_pending == 0) {
            *out = in;
            return QV_OK;
        }
        if (s->n_pending == s->cap) {
            int32_t cap = s->cap == 0 ? 16 : s->cap * 2;
            arrow_batch **grown = base_realloc(s->pending, (size_t)cap * sizeof *grown);
            if (grown == NULL) {
                arrow_batch_release(in);
                return base_error_nomem(err, "batch coalescing");
            }
            s->pending = grown;
            s->cap = cap;
        }
        s->pending[s->n_pending++] = in;
        s->pending_rows += in->n_rows;
        if (s->pending_rows >= s->target)
            return flush(s, out, err);
    }
    if (s->n_pending > 0)
        return flush(s, out, err);
    return QV_OK;
}

static void stream_free(exec_stream *stream)
{
    coalesce_stream *s = (coalesce_stream *)stream;
    for (int32_t i = 0; i < s->n_pending; i++)
        arrow_batch_release(s->pending[i]);
    base_free(s->pending);
    exec_unary_stream_free(stream);
}

static qv_status coalesce_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                               qv_error *err)
{
    static const exec_stream fns = {stream_next, stream_free};
    exec_unary_stream *unary = NULL;
    QV_TRY(exec_unary_stream_open(node->children[0], ctx, partition, sizeof(coalesce_stream), &fns,
                                  "batch coalescing", &unary, err));
    coalesce_stream *s = (coalesce_stream *)unary;
    s->schema = node->schema;
    s->target = ctx->batch_size;
    *out = &unary->base;
    return QV_OK;
}

static void coalesce_describe(const exec_node *node, base_strbuf *sb)
{
    (void)node;
    base_strbuf_append_str(sb, "target_batch_size");
}

static const exec_node_ops coalesce_batches_ops = {"CoalesceBatchesExec", coalesce_open,
                                                   coalesce_describe, NULL};

qv_status exec_coalesce_batches_new(exec_node *child, exec_node **out, qv_error *err)
{
    return exec_node_new(&coalesce_batches_ops, child->schema, child->n_partitions, 1, &child, NULL,
                         out, err);
}
