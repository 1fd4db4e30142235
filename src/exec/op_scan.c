/*
 * op_scan.c — the table scan operator (layer: exec): a catalog scan opened
 * at planning time, one output partition per scan partition, filters and
 * limits already handed to the provider.
 */
#include "exec/exec.h"

typedef struct scan_state {
    exec_node_ops ops; /* scan_ops, named as the scan asks (catalog_scan.exec_name) */
    catalog_scan *scan;
    const char *table_name;
    int32_t n_projection;
    int64_t limit;
} scan_state;

typedef struct scan_stream {
    exec_stream base;
    catalog_stream *inner;
} scan_stream;

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    scan_stream *s = (scan_stream *)stream;
    return s->inner->next(s->inner, out, err);
}

static void stream_free(exec_stream *stream)
{
    scan_stream *s = (scan_stream *)stream;
    if (s->inner != NULL)
        s->inner->free(s->inner);
    base_free(s);
}

static qv_status scan_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                           qv_error *err)
{
    (void)ctx;
    scan_state *state = node->state;
    scan_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "scan stream");
    qv_status st = state->scan->open(state->scan, partition, &s->inner, err);
    if (st != QV_OK) {
        base_free(s);
        return st;
    }
    s->base.next = stream_next;
    s->base.free = stream_free;
    *out = &s->base;
    return QV_OK;
}

static void scan_describe(const exec_node *node, base_strbuf *sb)
{
    const scan_state *state = node->state;
    if (state->scan->describe != NULL) {
        state->scan->describe(state->scan, sb);
        return;
    }
    base_strbuf_appendf(sb, "table=%s, partitions=%d, projection=[", state->table_name,
                        node->n_partitions);
    for (int32_t i = 0; i < node->schema->n_fields; i++)
        base_strbuf_appendf(sb, "%s%s", i > 0 ? ", " : "", node->schema->fields[i]->name);
    base_strbuf_append_char(sb, ']');
    if (state->limit >= 0)
        base_strbuf_appendf(sb, ", limit=%lld", (long long)state->limit);
}

static void scan_free(exec_node *node)
{
    scan_state *state = node->state;
    if (state == NULL)
        return;
    state->scan->free(state->scan);
    base_free(state);
}

static const exec_node_ops scan_ops = {"DataSourceExec", scan_open, scan_describe, scan_free};

qv_status exec_scan_new(catalog_table *table, const char *table_name, const catalog_scan_args *args,
                        exec_node **out, qv_error *err)
{
    *out = NULL;
    scan_state *state = base_calloc(1, sizeof *state);
    if (state == NULL)
        return base_error_nomem(err, "scan");
    qv_status st = table->ops->scan(table, args, &state->scan, err);
    if (st != QV_OK) {
        base_free(state);
        return st;
    }
    state->table_name = table_name;
    state->limit = args->limit;
    state->ops = scan_ops;
    if (state->scan->exec_name != NULL)
        state->ops.name = state->scan->exec_name;
    st = exec_node_new(&state->ops, state->scan->schema, state->scan->n_partitions, 0, NULL, state,
                       out, err);
    if (st != QV_OK) {
        state->scan->free(state->scan);
        base_free(state);
    }
    return st;
}
