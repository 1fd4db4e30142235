/*
 * op_coalesce.c — merging a child's partitions into one (layer: exec),
 * reading them one after another. Parallel work happens below it, in the
 * pipeline breakers that drain partitions on the thread pool.
 */
#include "exec/exec.h"

typedef struct coalesce_stream {
    exec_stream base;
    exec_node *child;
    exec_ctx *ctx;
    int32_t partition;
    exec_stream *current;
} coalesce_stream;

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    coalesce_stream *s = (coalesce_stream *)stream;
    *out = NULL;
    while (s->partition < s->child->n_partitions) {
        if (s->current == NULL)
            QV_TRY(exec_node_open(s->child, s->ctx, s->partition, &s->current, err));
        QV_TRY(s->current->next(s->current, out, err));
        if (*out != NULL)
            return QV_OK;
        exec_stream_free(s->current);
        s->current = NULL;
        s->partition++;
    }
    return QV_OK;
}

static void stream_free(exec_stream *stream)
{
    coalesce_stream *s = (coalesce_stream *)stream;
    exec_stream_free(s->current);
    base_free(s);
}

static qv_status coalesce_open(exec_node *node, exec_ctx *ctx, int32_t partition,
                               exec_stream **out, qv_error *err)
{
    (void)partition;
    coalesce_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "coalesce stream");
    s->base.next = stream_next;
    s->base.free = stream_free;
    s->child = node->children[0];
    s->ctx = ctx;
    *out = &s->base;
    return QV_OK;
}

static void coalesce_describe(const exec_node *node, base_strbuf *sb)
{
    (void)node;
    (void)sb;
}

static const exec_node_ops coalesce_ops = {"CoalescePartitionsExec", coalesce_open,
                                           coalesce_describe, NULL};

qv_status exec_coalesce_new(exec_node *child, exec_node **out, qv_error *err)
{
    return exec_node_new(&coalesce_ops, child->schema, 1, 1, &child, NULL, out, err);
}
