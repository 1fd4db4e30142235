/*
 * join_build.c — the collected left input of a join, shared by all of the
 * node's output partitions (layer: exec); see join_int.h for the protocol.
 *
 * Why the drains run without the thread pool: a thread waiting on a task
 * group runs any queued task, of any group. If a drain of the left input
 * waited on a pool (an aggregate below it, say), it could pick up the task
 * of another output partition of this join, which would then wait for the
 * build — that is, for the drain lower on its own stack: a deadlock. So
 * each left partition is drained by its own pool task, but inside it the
 * left subtree runs with a copy of the context whose pool is NULL. Waiting
 * for the build is done on the drain tasks' group (helping), never on a
 * lock held across a wait, and the last step (concatenation and the
 * operator's table) runs under the build's lock without waiting on
 * anything. Cancellation reaches the drains through the query context,
 * checked per batch and copied into the drain context.
 */
#include <stdio.h>
#include <string.h>

#include "exec/join_int.h"
#include "func/select.h"

typedef enum build_phase { BUILD_NEW, BUILD_RUNNING, BUILD_READY, BUILD_FAILED } build_phase;

typedef struct drain_part {
    arrow_batch **batches;
    int64_t n, cap;
} drain_part;

typedef struct drain_task {
    join_build *build;
    int32_t partition;
} drain_task;

struct join_build_private {
    join_build_config config;
    char consumer[64];
    /* The execution, guarded by the holder's lock. */
    int32_t refs;   /* open streams */
    int32_t closed; /* streams closed */
    bool detached;  /* no new stream joins this execution */
    bool *opened;   /* per partition */
    /* The build, guarded by lock. */
    pthread_mutex_t lock;
    pthread_cond_t done; /* without a pool: the phase left BUILD_RUNNING */
    build_phase phase;
    bool inline_drain;
    base_task_group *group;
    exec_ctx drain_ctx;
    exec_ctx *query_ctx;
    int32_t n_parts;
    drain_part *parts;
    drain_task *tasks;
    _Atomic bool stop;
    pthread_mutex_t mem_lock; /* the reservation while draining; status and error */
    qv_status status;         /* the first failure */
    qv_error error;
    _Atomic int32_t probes_done;
};

typedef struct join_build_private build_private;

/* ---- lifetime ---- */

static void build_free(join_build *b)
{
    if (b == NULL)
        return;
    build_private *p = b->priv;
    base_task_group_free(p->group);
    for (int32_t i = 0; p->parts != NULL && i < p->n_parts; i++)
        exec_batches_free(p->parts[i].batches, p->parts[i].n);
    base_free(p->parts);
    base_free(p->tasks);
    base_free(p->opened);
    arrow_batch_release(b->data);
    if (b->table_free != NULL)
        b->table_free(b->table);
    base_free((void *)b->matched);
    base_mem_reservation_free(b->reservation);
    pthread_mutex_destroy(&p->lock);
    pthread_mutex_destroy(&p->mem_lock);
    pthread_cond_destroy(&p->done);
    base_free(p);
    base_free(b);
}

static qv_status build_new(const join_build_config *config, join_build **out, qv_error *err)
{
    *out = NULL;
    join_build *b = base_calloc(1, sizeof *b);
    build_private *p = base_calloc(1, sizeof *p);
    bool *opened = base_calloc((size_t)config->n_probes + 1, sizeof *opened);
    if (b == NULL || p == NULL || opened == NULL) {
        base_free(b);
        base_free(p);
        base_free(opened);
        return base_error_nomem(err, "join build");
    }
    b->priv = p;
    p->config = *config;
    snprintf(p->consumer, sizeof p->consumer, "%s", config->consumer);
    p->opened = opened;
    pthread_mutex_init(&p->lock, NULL);
    pthread_mutex_init(&p->mem_lock, NULL);
    pthread_cond_init(&p->done, NULL);
    p->phase = BUILD_NEW;
    p->status = QV_OK;
    atomic_init(&p->stop, false);
    atomic_init(&p->probes_done, 0);
    atomic_init(&b->probe_rows, 0);
    atomic_init(&b->probe_has_null_key, false);
    *out = b;
    return QV_OK;
}

void join_build_holder_init(join_build_holder *holder)
{
    pthread_mutex_init(&holder->lock, NULL);
    holder->current = NULL;
}

void join_build_holder_destroy(join_build_holder *holder)
{
    build_free(holder->current);
    holder->current = NULL;
    pthread_mutex_destroy(&holder->lock);
}

qv_status join_build_acquire(join_build_holder *holder, const join_build_config *config,
                             int32_t partition, join_build **out, qv_error *err)
{
    *out = NULL;
    qv_status st = QV_OK;
    pthread_mutex_lock(&holder->lock);
    join_build *b = holder->current;
    if (b != NULL && (b->priv->opened[partition] || b->priv->detached)) {
        /* The partition was opened before, or the execution was given up:
         * a new execution starts. */
        b->priv->detached = true;
        if (b->priv->refs == 0)
            build_free(b);
        holder->current = b = NULL;
    }
    if (b == NULL) {
        st = build_new(config, &b, err);
        holder->current = b;
    }
    if (st == QV_OK) {
        b->priv->opened[partition] = true;
        b->priv->refs++;
        *out = b;
    }
    pthread_mutex_unlock(&holder->lock);
    return st;
}

void join_build_release(join_build_holder *holder, join_build *b, bool finished)
{
    if (b == NULL)
        return;
    pthread_mutex_lock(&holder->lock);
    build_private *p = b->priv;
    p->refs--;
    p->closed++;
    if (!finished)
        p->detached = true;
    if (p->refs == 0 && (p->detached || p->closed >= p->config.n_probes)) {
        if (holder->current == b)
            holder->current = NULL;
        build_free(b);
    }
    pthread_mutex_unlock(&holder->lock);
}

bool join_build_probe_done(join_build *b)
{
    int32_t done = atomic_fetch_add_explicit(&b->priv->probes_done, 1, memory_order_acq_rel) + 1;
    return done == b->priv->config.n_probes;
}

/* ---- draining the left input ---- */

/* Records the first failure and makes the other drains stop. */
static qv_status fail(join_build *b, qv_status st, const qv_error *err)
{
    build_private *p = b->priv;
    pthread_mutex_lock(&p->mem_lock);
    if (p->status == QV_OK) {
        p->status = st;
        if (err != NULL)
            p->error = *err;
        else
            qv_error_clear(&p->error);
    }
    pthread_mutex_unlock(&p->mem_lock);
    atomic_store(&p->stop, true);
    return st;
}

static qv_status keep_batch(join_build *b, drain_part *part, arrow_batch *batch, qv_error *err)
{
    build_private *p = b->priv;
    int64_t bytes = arrow_batch_memory_bytes(batch);
    pthread_mutex_lock(&p->mem_lock);
    qv_status st = base_mem_reservation_try_grow(b->reservation, bytes, err);
    pthread_mutex_unlock(&p->mem_lock);
    QV_TRY(st);
    if (part->n == part->cap) {
        int64_t cap = part->cap == 0 ? 8 : part->cap * 2;
        arrow_batch **grown = base_realloc(part->batches, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "join build side");
        part->batches = grown;
        part->cap = cap;
    }
    part->batches[part->n++] = arrow_batch_retain(batch);
    return QV_OK;
}

static qv_status drain_partition(join_build *b, exec_ctx *ctx, int32_t partition, qv_error *err)
{
    build_private *p = b->priv;
    exec_stream *stream = NULL;
    qv_status st = exec_node_open(p->config.left, ctx, partition, &stream, err);
    while (st == QV_OK) {
        if (atomic_load_explicit(&p->query_ctx->cancelled, memory_order_relaxed)) {
            atomic_store(&ctx->cancelled, true);
            st = base_error_set(err, QV_CANCELLED, "Query was cancelled");
            break;
        }
        if (atomic_load_explicit(&p->stop, memory_order_relaxed)) {
            st = base_error_set(err, QV_CANCELLED, "Query was cancelled");
            break;
        }
        arrow_batch *batch = NULL;
        st = stream->next(stream, &batch, err);
        if (st != QV_OK || batch == NULL)
            break;
        st = keep_batch(b, &p->parts[partition], batch, err);
        arrow_batch_release(batch);
    }
    exec_stream_free(stream);
    if (st != QV_OK && !atomic_load(&p->stop))
        fail(b, st, err);
    return st;
}

static qv_status drain_task_run(void *arg, qv_error *err)
{
    drain_task *task = arg;
    return drain_partition(task->build, &task->build->priv->drain_ctx, task->partition, err);
}

/* Every left row as one batch (parts emptied), then the operator's table. */
static qv_status finish(join_build *b, qv_error *err)
{
    build_private *p = b->priv;
    int64_t n_batches = 0, bytes = 0;
    for (int32_t i = 0; i < p->n_parts; i++)
        n_batches += p->parts[i].n;
    if (n_batches > INT32_MAX)
        return base_error_set(err, QV_LIMIT, "the join build side has too many batches");
    arrow_batch **all = base_alloc((size_t)(n_batches + 1) * sizeof *all);
    if (all == NULL)
        return base_error_nomem(err, "join build side");
    int64_t k = 0, n_rows = 0;
    for (int32_t i = 0; i < p->n_parts; i++)
        for (int64_t j = 0; j < p->parts[i].n; j++) {
            all[k] = p->parts[i].batches[j];
            n_rows += all[k]->n_rows;
            bytes += arrow_batch_memory_bytes(all[k]);
            k++;
        }
    qv_status st = QV_OK;
    if (n_rows >= (int64_t)UINT32_MAX)
        st = base_error_set(err, QV_LIMIT, "the join build side has more than %lld rows",
                            (long long)UINT32_MAX - 1);
    /* The concatenated copy exists next to the pieces for a moment. */
    if (st == QV_OK && n_batches > 1)
        st = base_mem_reservation_try_grow(b->reservation, bytes, err);
    if (st == QV_OK && n_batches == 1)
        b->data = arrow_batch_retain(all[0]);
    else if (st == QV_OK)
        st = func_concat_batches(p->config.left->schema, (int32_t)n_batches, all, &b->data, err);
    base_free(all);
    for (int32_t i = 0; i < p->n_parts; i++) {
        exec_batches_free(p->parts[i].batches, p->parts[i].n);
        p->parts[i] = (drain_part){0};
    }
    if (st == QV_OK)
        st = base_mem_reservation_resize(b->reservation, arrow_batch_memory_bytes(b->data), err);
    QV_TRY(st);
    if (p->config.track_matches) {
        QV_TRY(base_mem_reservation_try_grow(b->reservation, n_rows, err));
        b->matched = base_calloc((size_t)n_rows + 1, sizeof *b->matched);
        if (b->matched == NULL)
            return base_error_nomem(err, "join build side");
    }
    if (p->config.finish != NULL)
        QV_TRY(p->config.finish(b, p->config.user, err));
    if (p->config.metrics != NULL)
        exec_metrics_note_memory(p->config.metrics, base_mem_reservation_size(b->reservation));
    return QV_OK;
}

/* Sets the phase from the drains' outcome; under the lock. */
static void conclude_locked(join_build *b, qv_status drained, const qv_error *drain_err)
{
    build_private *p = b->priv;
    pthread_mutex_lock(&p->mem_lock); /* drains that could not start may still fail */
    qv_status st = p->status;
    qv_error err = p->error;
    pthread_mutex_unlock(&p->mem_lock);
    if (st == QV_OK && drained != QV_OK) {
        st = drained;
        err = *drain_err;
    }
    if (st == QV_OK)
        st = finish(b, &err);
    pthread_mutex_lock(&p->mem_lock);
    p->status = st;
    p->error = err;
    pthread_mutex_unlock(&p->mem_lock);
    p->phase = st == QV_OK ? BUILD_READY : BUILD_FAILED;
}

/* Starts the drains (phase NEW -> RUNNING); under the lock. Returns
 * whether that worked (the failure is recorded). */
static qv_status start_locked(join_build *b, exec_ctx *ctx)
{
    build_private *p = b->priv;
    qv_error err;
    qv_error_clear(&err);
    p->phase = BUILD_RUNNING;
    p->query_ctx = ctx;
    p->n_parts = p->config.left->n_partitions;
    p->parts = base_calloc((size_t)p->n_parts, sizeof *p->parts);
    p->tasks = base_calloc((size_t)p->n_parts, sizeof *p->tasks);
    qv_status st =
        p->parts == NULL || p->tasks == NULL ? base_error_nomem(&err, "join build") : QV_OK;
    if (st == QV_OK)
        st = base_mem_reservation_new(ctx->mem_pool, p->consumer, &b->reservation, &err);
    p->inline_drain = ctx->pool == NULL;
    if (st == QV_OK && !p->inline_drain) {
        p->drain_ctx.pool = NULL;
        p->drain_ctx.mem_pool = ctx->mem_pool;
        p->drain_ctx.spill_dir = ctx->spill_dir;
        p->drain_ctx.disk = ctx->disk;
        p->drain_ctx.batch_size = ctx->batch_size;
        p->drain_ctx.target_partitions = ctx->target_partitions;
        p->drain_ctx.call = ctx->call;
        atomic_init(&p->drain_ctx.cancelled, atomic_load(&ctx->cancelled));
        st = base_task_group_new(ctx->pool, &p->group, &err);
        for (int32_t i = 0; i < p->n_parts && st == QV_OK; i++) {
            p->tasks[i] = (drain_task){b, i};
            st = base_task_group_submit(p->group, drain_task_run, &p->tasks[i], &err);
        }
        if (st != QV_OK && p->group != NULL)
            base_task_group_cancel(p->group);
    }
    if (st != QV_OK)
        fail(b, st, &err);
    return st;
}

static qv_status result_locked(join_build *b, qv_error *err)
{
    build_private *p = b->priv;
    if (p->phase == BUILD_READY)
        return QV_OK;
    if (err != NULL)
        *err = p->error;
    return p->status;
}

qv_status join_build_ready(join_build *b, exec_ctx *ctx, qv_error *err)
{
    build_private *p = b->priv;
    pthread_mutex_lock(&p->lock);
    if (p->phase == BUILD_NEW) {
        if (start_locked(b, ctx) != QV_OK) {
            conclude_locked(b, QV_OK, NULL); /* the drains could not start */
        } else if (p->inline_drain) {
            /* Without a pool: drain here; other streams wait on `done`. */
            pthread_mutex_unlock(&p->lock);
            qv_error drain_err;
            qv_error_clear(&drain_err);
            qv_status st = QV_OK;
            for (int32_t i = 0; i < p->n_parts && st == QV_OK; i++)
                st = drain_partition(b, ctx, i, &drain_err);
            pthread_mutex_lock(&p->lock);
            conclude_locked(b, st, &drain_err);
            pthread_cond_broadcast(&p->done);
        }
    }
    while (p->phase == BUILD_RUNNING && p->inline_drain)
        pthread_cond_wait(&p->done, &p->lock);
    if (p->phase == BUILD_RUNNING) {
        base_task_group *group = p->group;
        pthread_mutex_unlock(&p->lock);
        qv_error wait_err;
        qv_error_clear(&wait_err);
        qv_status st = base_task_group_wait(group, &wait_err);
        pthread_mutex_lock(&p->lock);
        if (p->phase == BUILD_RUNNING)
            conclude_locked(b, st, &wait_err);
    }
    qv_status st = result_locked(b, err);
    pthread_mutex_unlock(&p->lock);
    return st;
}
