/*
 * node.c — the operator framework (layer: exec): node allocation and
 * freeing, the metrics-recording stream wrapper every open goes through,
 * streams over one child partition (exec_unary_stream), and draining a
 * child's partitions in parallel for pipeline breakers.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <time.h>

#include "exec/exec.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void exec_metrics_note_memory(exec_metrics *metrics, int64_t bytes)
{
    int64_t peak = atomic_load_explicit(&metrics->mem_peak_bytes, memory_order_relaxed);
    while (bytes > peak &&
           !atomic_compare_exchange_weak_explicit(&metrics->mem_peak_bytes, &peak, bytes,
                                                  memory_order_relaxed, memory_order_relaxed)) {
    }
}

qv_status exec_node_new(const exec_node_ops *ops, arrow_schema *schema, int32_t n_partitions,
                        int32_t n_children, exec_node *const *children, void *state,
                        exec_node **out, qv_error *err)
{
    *out = NULL;
    exec_node *node = base_calloc(1, sizeof *node);
    exec_node **kids = n_children > 0 ? base_calloc((size_t)n_children, sizeof *kids) : NULL;
    if (node == NULL || (n_children > 0 && kids == NULL)) {
        base_free(node);
        base_free(kids);
        for (int32_t i = 0; i < n_children; i++)
            exec_node_free(children[i]);
        return base_error_nomem(err, "execution plan node");
    }
    for (int32_t i = 0; i < n_children; i++)
        kids[i] = children[i];
    node->ops = ops;
    node->schema = arrow_schema_retain(schema);
    node->n_partitions = n_partitions < 1 ? 1 : n_partitions;
    node->n_children = n_children;
    node->children = kids;
    node->state = state;
    *out = node;
    return QV_OK;
}

void exec_node_free(exec_node *node)
{
    if (node == NULL)
        return;
    if (node->ops->free_state != NULL)
        node->ops->free_state(node);
    for (int32_t i = 0; i < node->n_children; i++)
        exec_node_free(node->children[i]);
    base_free(node->children);
    arrow_schema_release(node->schema);
    base_free(node);
}

/* ---- the metrics wrapper ---- */

typedef struct metered_stream {
    exec_stream base;
    exec_stream *inner;
    exec_node *node;
    exec_ctx *ctx;
} metered_stream;

static qv_status metered_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    metered_stream *m = (metered_stream *)stream;
    *out = NULL;
    if (atomic_load_explicit(&m->ctx->cancelled, memory_order_relaxed))
        return base_error_set(err, QV_CANCELLED, "Query was cancelled");
    int64_t start = now_ns();
    qv_status st;
    /* Operators never hand out empty batches; skip any an inner stream makes. */
    do {
        st = m->inner->next(m->inner, out, err);
        if (st == QV_OK && *out != NULL && (*out)->n_rows == 0) {
            arrow_batch_release(*out);
            *out = NULL;
            continue;
        }
        break;
    } while (true);
    atomic_fetch_add_explicit(&m->node->metrics.elapsed_ns, now_ns() - start, memory_order_relaxed);
    if (st == QV_OK && *out != NULL) {
        atomic_fetch_add_explicit(&m->node->metrics.output_rows, (*out)->n_rows,
                                  memory_order_relaxed);
        atomic_fetch_add_explicit(&m->node->metrics.output_batches, 1, memory_order_relaxed);
    }
    return st;
}

static void metered_free(exec_stream *stream)
{
    metered_stream *m = (metered_stream *)stream;
    exec_stream_free(m->inner);
    base_free(m);
}

qv_status exec_node_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                         qv_error *err)
{
    *out = NULL;
    if (partition < 0 || partition >= node->n_partitions)
        return base_error_set(err, QV_MISUSE, "%s has no partition %d", node->ops->name, partition);
    metered_stream *m = base_calloc(1, sizeof *m);
    if (m == NULL)
        return base_error_nomem(err, "execution stream");
    int64_t start = now_ns();
    qv_status st = node->ops->open(node, ctx, partition, &m->inner, err);
    atomic_fetch_add_explicit(&node->metrics.elapsed_ns, now_ns() - start, memory_order_relaxed);
    if (st != QV_OK) {
        base_free(m);
        return st;
    }
    m->base.next = metered_next;
    m->base.free = metered_free;
    m->node = node;
    m->ctx = ctx;
    *out = &m->base;
    return QV_OK;
}

void exec_stream_free(exec_stream *stream)
{
    if (stream != NULL)
        stream->free(stream);
}

/* ---- unary streams ---- */

qv_status exec_unary_stream_open(exec_node *child, exec_ctx *ctx, int32_t partition, size_t size,
                                 const exec_stream *fns, const char *what, exec_unary_stream **out,
                                 qv_error *err)
{
    *out = NULL;
    exec_unary_stream *s = base_calloc(1, size);
    if (s == NULL)
        return base_error_nomem(err, what);
    qv_status st = exec_node_open(child, ctx, partition, &s->child, err);
    if (st != QV_OK) {
        base_free(s);
        return st;
    }
    s->base = *fns;
    *out = s;
    return QV_OK;
}

void exec_unary_stream_free(exec_stream *stream)
{
    exec_unary_stream *s = (exec_unary_stream *)stream;
    exec_stream_free(s->child);
    base_free(s);
}

/* ---- draining partitions ---- */

typedef struct drain_task {
    exec_node *child;
    exec_ctx *ctx;
    exec_consume_fn consume;
    void *user;
    int32_t partition;
    _Atomic bool *failed;
} drain_task;

static qv_status drain_one(void *arg, qv_error *err)
{
    drain_task *task = arg;
    exec_stream *stream = NULL;
    qv_status st = exec_node_open(task->child, task->ctx, task->partition, &stream, err);
    while (st == QV_OK) {
        if (atomic_load_explicit(task->failed, memory_order_relaxed)) {
            st = base_error_set(err, QV_CANCELLED, "Query was cancelled");
            break;
        }
        arrow_batch *batch = NULL;
        st = stream->next(stream, &batch, err);
        if (st != QV_OK || batch == NULL)
            break;
        st = task->consume(task->user, task->partition, batch, err);
        arrow_batch_release(batch);
    }
    exec_stream_free(stream);
    if (st != QV_OK)
        atomic_store_explicit(task->failed, true, memory_order_relaxed);
    return st;
}

qv_status exec_consume_partitions(exec_node *child, exec_ctx *ctx, exec_consume_fn consume,
                                  void *user, qv_error *err)
{
    int32_t n = child->n_partitions;
    _Atomic bool failed = false;
    drain_task *tasks = base_calloc((size_t)n, sizeof *tasks);
    if (tasks == NULL)
        return base_error_nomem(err, "partition tasks");
    for (int32_t p = 0; p < n; p++)
        tasks[p] = (drain_task){child, ctx, consume, user, p, &failed};

    qv_status st = QV_OK;
    if (ctx->pool == NULL || n == 1) {
        for (int32_t p = 0; p < n && st == QV_OK; p++)
            st = drain_one(&tasks[p], err);
    } else {
        base_task_group *group = NULL;
        st = base_task_group_new(ctx->pool, &group, err);
        for (int32_t p = 0; p < n && st == QV_OK; p++)
            st = base_task_group_submit(group, drain_one, &tasks[p], err);
        if (st != QV_OK && group != NULL)
            base_task_group_cancel(group);
        if (group != NULL) {
            qv_error wait_err;
            qv_status wait_st = base_task_group_wait(group, &wait_err);
            if (st == QV_OK && wait_st != QV_OK) {
                st = wait_st;
                if (err != NULL)
                    *err = wait_err;
            }
            base_task_group_free(group);
        }
    }
    base_free(tasks);
    return st;
}

qv_status exec_collect_partition(exec_node *node, exec_ctx *ctx, int32_t partition,
                                 arrow_batch ***out, int64_t *n_out, qv_error *err)
{
    *out = NULL;
    *n_out = 0;
    exec_stream *stream = NULL;
    QV_TRY(exec_node_open(node, ctx, partition, &stream, err));
    arrow_batch **batches = NULL;
    int64_t n = 0, cap = 0;
    qv_status st = QV_OK;
    for (;;) {
        arrow_batch *batch = NULL;
        st = stream->next(stream, &batch, err);
        if (st != QV_OK || batch == NULL)
            break;
        if (n == cap) {
            int64_t new_cap = cap == 0 ? 8 : cap * 2;
            arrow_batch **grown = base_realloc(batches, (size_t)new_cap * sizeof *grown);
            if (grown == NULL) {
                arrow_batch_release(batch);
                st = base_error_nomem(err, "collected batches");
                break;
            }
            batches = grown;
            cap = new_cap;
        }
        batches[n++] = batch;
    }
    exec_stream_free(stream);
    if (st != QV_OK) {
        exec_batches_free(batches, n);
        return st;
    }
    *out = batches;
    *n_out = n;
    return QV_OK;
}

void exec_batches_free(arrow_batch **batches, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        arrow_batch_release(batches[i]);
    base_free(batches);
}
