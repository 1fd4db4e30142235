/*
 * op_union.c — UNION ALL (layer: exec): the partitions of every input, one
 * after another; output partition p is some input's partition.
 */
#include "exec/exec.h"

static qv_status union_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                            qv_error *err)
{
    for (int32_t i = 0; i < node->n_children; i++) {
        exec_node *child = node->children[i];
        if (partition < child->n_partitions)
            return exec_node_open(child, ctx, partition, out, err);
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
