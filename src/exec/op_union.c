/*
 * op_union.c — UNION ALL (layer: exec): the partitions of every input, one
 * after another; output partition p is some input's partition.
 */
#include "exec/exec.h"

/* An input's batches carry its own field names and nullability; the
 * union hands them out under its schema (operators above, such as a sort
 * concatenating batches, expect one schema). */
typedef struct union_stream {
    exec_unary_stream base;
    arrow_schema *schema; /* the node's */
} union_stream;

static qv_status union_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    union_stream *s = (union_stream *)stream;
    arrow_batch *batch = NULL;
    QV_TRY(s->base.child->next(s->base.child, &batch, err));
    *out = batch;
    if (batch == NULL || batch->schema == s->schema)
        return QV_OK;
    qv_status st = arrow_batch_new(s->schema, batch->n_rows, batch->columns, out, err);
    arrow_batch_release(batch);
    return st;
}

static qv_status union_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                            qv_error *err)
{
    static const exec_stream fns = {union_next, exec_unary_stream_free};
    for (int32_t i = 0; i < node->n_children; i++) {
        exec_node *child = node->children[i];
        if (partition < child->n_partitions) {
            exec_unary_stream *unary = NULL;
            QV_TRY(exec_unary_stream_open(child, ctx, partition, sizeof(union_stream), &fns,
                                          "union stream", &unary, err));
            ((union_stream *)unary)->schema = node->schema;
            *out = &unary->base;
            return QV_OK;
        }
        partition -= child->n_partitions;
    }
    return base_error_set(err, QV_MISUSE, "UnionExec has no such partition");
}

static void union_describe(const exec_node *node, base_strbuf *sb)
{
    (void)node;
    (void)sb;
}

static const exec_node_ops union_ops = {"UnionExec", union_open, union_describe, NULL};

qv_status exec_union_new(int32_t n_children, exec_node *const *children, arrow_schema *schema,
                         exec_node **out, qv_error *err)
{
    int32_t parts = 0;
    for (int32_t i = 0; i < n_children; i++)
        parts += children[i]->n_partitions;
    return exec_node_new(&union_ops, schema, parts, n_children, children, NULL, out, err);
}
