/*
 * explain.c — the text of a physical plan (layer: exec): one line per
 * operator, "Name: details", indented two spaces per level; with metrics
 * for EXPLAIN ANALYZE.
 */
#include "exec/exec.h"

static void format_node(const exec_node *node, int depth, bool with_metrics, base_strbuf *sb)
{
    for (int i = 0; i < depth; i++)
        base_strbuf_append_str(sb, "  ");
    base_strbuf_append_str(sb, node->ops->name);
    size_t before = sb->len;
    base_strbuf_append_str(sb, ": ");
    size_t after = sb->len;
    if (node->ops->describe != NULL)
        node->ops->describe(node, sb);
    if (sb->len == after)
        sb->len = before;
    if (with_metrics) {
        const exec_metrics *m = &node->metrics;
        base_strbuf_appendf(sb, ", metrics=[output_rows=%lld, output_batches=%lld, "
                                "elapsed_compute=%.3fms",
                            (long long)m->output_rows, (long long)m->output_batches,
                            (double)m->elapsed_ns / 1e6);
        if (m->mem_peak_bytes > 0)
            base_strbuf_appendf(sb, ", peak_mem_used=%lld", (long long)m->mem_peak_bytes);
        if (m->spill_count > 0)
            base_strbuf_appendf(sb, ", spill_count=%lld, spilled_bytes=%lld",
                                (long long)m->spill_count, (long long)m->spilled_bytes);
        base_strbuf_append_char(sb, ']');
    }
    base_strbuf_append_char(sb, '\n');
    for (int32_t i = 0; i < node->n_children; i++)
        format_node(node->children[i], depth + 1, with_metrics, sb);
}

void exec_plan_format(const exec_node *root, bool with_metrics, base_strbuf *sb)
{
    format_node(root, 0, with_metrics, sb);
    if (sb->len > 0 && sb->data != NULL && sb->data[sb->len - 1] == '\n')
        sb->len--;
}
