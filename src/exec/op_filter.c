/*
 * op_filter.c — keeping the rows where a predicate is true (layer: exec).
 */
#include "exec/exec.h"
#include "func/select.h"

typedef struct filter_stream {
    exec_unary_stream base;
    const plan_expr *predicate;
    func_call_ctx call;
} filter_stream;

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    filter_stream *s = (filter_stream *)stream;
    *out = NULL;
    for (;;) {
        arrow_batch *in = NULL;
        QV_TRY(s->base.child->next(s->base.child, &in, err));
        if (in == NULL)
            return QV_OK;
        arrow_array *mask = NULL;
        qv_status st = exec_expr_eval_array(s->predicate, in, &s->call, &mask, err);
        arrow_batch *kept = NULL;
        if (st == QV_OK)
            st = func_filter_batch(in, mask, &kept, err);
        arrow_array_release(mask);
        arrow_batch_release(in);
        QV_TRY(st);
        if (kept->n_rows > 0) {
            *out = kept;
            return QV_OK;
        }
        arrow_batch_release(kept);
    }
}

static qv_status filter_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                             qv_error *err)
{
    static const exec_stream fns = {stream_next, exec_unary_stream_free};
    exec_unary_stream *unary = NULL;
    QV_TRY(exec_unary_stream_open(node->children[0], ctx, partition, sizeof(filter_stream), &fns,
                                  "filter stream", &unary, err));
    filter_stream *s = (filter_stream *)unary;
    s->predicate = node->state;
    s->call = ctx->call;
    s->call.random_state ^= (uint64_t)(partition + 1) * 0xBF58476D1CE4E5B9ull;
    *out = &unary->base;
    return QV_OK;
}

static void filter_describe(const exec_node *node, base_strbuf *sb)
{
    arrow_schema *in = node->children[0]->schema;
    plan_column cols[64];
    plan_schema input = {0};
    if (in->n_fields <= 64) {
        for (int32_t i = 0; i < in->n_fields; i++)
            cols[i] = (plan_column){.qualifier = NULL,
                                    .name = in->fields[i]->name,
                                    .type = in->fields[i]->type,
                                    .nullable = true};
        input = (plan_schema){in->n_fields, cols};
    }
    base_strbuf_append_str(sb, "predicate=");
    plan_expr_format(node->state, in->n_fields <= 64 ? &input : NULL, sb);
}

static const exec_node_ops filter_ops = {"FilterExec", filter_open, filter_describe, NULL};

qv_status exec_filter_new(exec_node *child, const plan_expr *predicate, exec_node **out,
                          qv_error *err)
{
    return exec_node_new(&filter_ops, child->schema, child->n_partitions, 1, &child,
                         (void *)predicate, out, err);
}
