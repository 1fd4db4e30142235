/*
 * op_projection.c — computing expressions over each batch (layer: exec).
 */
#include "exec/exec.h"

typedef struct projection_state {
    int32_t n_exprs;
    plan_expr **exprs; /* the array is owned; the expressions belong to the plan */
} projection_state;

typedef struct projection_stream {
    exec_unary_stream base;
    exec_node *node;
    func_call_ctx call;
} projection_stream;

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    projection_stream *s = (projection_stream *)stream;
    const projection_state *state = s->node->state;
    *out = NULL;
    arrow_batch *in = NULL;
    QV_TRY(s->base.child->next(s->base.child, &in, err));
    if (in == NULL)
        return QV_OK;
    int32_t n = state->n_exprs;
    arrow_array **cols = base_calloc((size_t)(n > 0 ? n : 1), sizeof *cols);
    qv_status st = cols == NULL ? base_error_nomem(err, "projection") : QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++)
        st = exec_expr_eval_array(state->exprs[i], in, &s->call, &cols[i], err);
    if (st == QV_OK)
        st = arrow_batch_new(s->node->schema, in->n_rows, cols, out, err);
    for (int32_t i = 0; cols != NULL && i < n; i++)
        arrow_array_release(cols[i]);
    base_free(cols);
    arrow_batch_release(in);
    return st;
}

static qv_status projection_open(exec_node *node, exec_ctx *ctx, int32_t partition,
                                 exec_stream **out, qv_error *err)
{
    static const exec_stream fns = {stream_next, exec_unary_stream_free};
    exec_unary_stream *unary = NULL;
    QV_TRY(exec_unary_stream_open(node->children[0], ctx, partition, sizeof(projection_stream),
                                  &fns, "projection stream", &unary, err));
    projection_stream *s = (projection_stream *)unary;
    s->node = node;
    s->call = ctx->call;
    s->call.random_state ^= (uint64_t)(partition + 1) * 0x9E3779B97F4A7C15ull;
    *out = &unary->base;
    return QV_OK;
}

static void projection_describe(const exec_node *node, base_strbuf *sb)
{
    const projection_state *state = node->state;
    arrow_schema *in = node->children[0]->schema;
    plan_schema input = {0};
    plan_column cols[64];
    if (in->n_fields <= 64) {
        for (int32_t i = 0; i < in->n_fields; i++)
            cols[i] = (plan_column){.qualifier = NULL,
                                    .name = in->fields[i]->name,
                                    .type = in->fields[i]->type,
                                    .nullable = true};
        input = (plan_schema){in->n_fields, cols};
    }
    base_strbuf_append_str(sb, "expr=[");
    for (int32_t i = 0; i < state->n_exprs; i++) {
        if (i > 0)
            base_strbuf_append_str(sb, ", ");
        plan_expr_format(state->exprs[i], in->n_fields <= 64 ? &input : NULL, sb);
        base_strbuf_appendf(sb, " as %s", node->schema->fields[i]->name);
    }
    base_strbuf_append_char(sb, ']');
}

static void projection_free(exec_node *node)
{
    projection_state *state = node->state;
    if (state != NULL)
        base_free(state->exprs);
    base_free(state);
}

static const exec_node_ops projection_ops = {"ProjectionExec", projection_open, projection_describe,
                                             projection_free};

qv_status exec_projection_new(exec_node *child, int32_t n_exprs, plan_expr *const *exprs,
                              arrow_schema *schema, exec_node **out, qv_error *err)
{
    *out = NULL;
    projection_state *state = base_calloc(1, sizeof *state);
    plan_expr **copy = base_calloc((size_t)(n_exprs > 0 ? n_exprs : 1), sizeof *copy);
    if (state == NULL || copy == NULL) {
        base_free(state);
        base_free(copy);
        exec_node_free(child);
        return base_error_nomem(err, "projection");
    }
    for (int32_t i = 0; i < n_exprs; i++)
        copy[i] = exprs[i];
    state->n_exprs = n_exprs;
    state->exprs = copy;
    qv_status st =
        exec_node_new(&projection_ops, schema, child->n_partitions, 1, &child, state, out, err);
    if (st != QV_OK) {
        base_free(copy);
        base_free(state);
    }
    return st;
}
