/*
 * op_memory_source.c — batches held in memory as one partition (layer:
 * exec): the operator behind VALUES and empty relations.
 */
#include <string.h>

#include "exec/exec.h"

typedef struct source_state {
    arrow_batch **batches; /* owned references */
    int64_t n_batches;
} source_state;

typedef struct source_stream {
    exec_stream base;
    const source_state *state;
    int64_t next;
} source_stream;

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    (void)err;
    source_stream *s = (source_stream *)stream;
    *out = s->next < s->state->n_batches ? arrow_batch_retain(s->state->batches[s->next++]) : NULL;
    return QV_OK;
}

static void stream_free(exec_stream *stream)
{
    base_free(stream);
}

static qv_status source_open(exec_node *node, exec_ctx *ctx, int32_t partition,
                             exec_stream **out, qv_error *err)
{
    (void)ctx;
    (void)partition;
    source_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "memory source stream");
    s->base.next = stream_next;
    s->base.free = stream_free;
    s->state = node->state;
    *out = &s->base;
    return QV_OK;
}

static void source_describe(const exec_node *node, base_strbuf *sb)
{
    const source_state *state = node->state;
    int64_t rows = 0;
    for (int64_t i = 0; i < state->n_batches; i++)
        rows += state->batches[i]->n_rows;
    base_strbuf_appendf(sb, "rows=%lld", (long long)rows);
}

static void state_free(source_state *state)
{
    if (state == NULL)
        return;
    for (int64_t i = 0; i < state->n_batches; i++)
        arrow_batch_release(state->batches[i]);
    base_free(state->batches);
    base_free(state);
}

static void source_free(exec_node *node)
{
    state_free(node->state);
}

static const exec_node_ops values_ops = {"ValuesExec", source_open, source_describe, source_free};
static const exec_node_ops placeholder_ops = {"PlaceholderRowExec", source_open, source_describe,
                                              source_free};
static const exec_node_ops empty_ops = {"EmptyExec", source_open, source_describe, source_free};

qv_status exec_memory_source_new(arrow_schema *schema, arrow_batch *const *batches,
                                 int64_t n_batches, const char *name, exec_node **out,
                                 qv_error *err)
{
    *out = NULL;
    source_state *state = base_calloc(1, sizeof *state);
    arrow_batch **copy = base_calloc((size_t)(n_batches > 0 ? n_batches : 1), sizeof *copy);
    if (state == NULL || copy == NULL) {
        base_free(state);
        base_free(copy);
        return base_error_nomem(err, "memory source");
    }
    for (int64_t i = 0; i < n_batches; i++)
        copy[state->n_batches++] = arrow_batch_retain(batches[i]);
    state->batches = copy;
    const exec_node_ops *ops = &values_ops;
    if (name != NULL && strcmp(name, placeholder_ops.name) == 0)
        ops = &placeholder_ops;
    else if (name != NULL && strcmp(name, empty_ops.name) == 0)
        ops = &empty_ops;
    qv_status st = exec_node_new(ops, schema, 1, 0, NULL, state, out, err);
    if (st != QV_OK)
        state_free(state);
    return st;
}
