/*
 * join_stream.c — an output partition of a join that collects its left
 * input (layer: exec): HashJoinExec and NestedLoopJoinExec differ only in
 * how they find candidate pairs (their gather functions); the rest — wait
 * for the shared build, read the right partition batch by batch, join the
 * candidates a round at a time (right rows come out in their input order,
 * each as soon as all of its candidates are done) and emit the left rows
 * after the last partition — is here, with the node state they share.
 */
#include <string.h>

#include "exec/join_int.h"

typedef enum stream_phase {
    PHASE_BUILD,     /* waiting for the build side */
    PHASE_PROBE,     /* joining right batches */
    PHASE_FINISH,    /* right input done */
    PHASE_LEFT_ROWS, /* the last partition emits the left rows */
    PHASE_DONE
} stream_phase;

static qv_status ensure_capacity(join_stream *s, int64_t n, qv_error *err)
{
    if (n <= s->cap)
        return QV_OK;
    base_free(s->hashes);
    base_free(s->null_rows);
    base_free(s->matched);
    s->hashes = base_alloc((size_t)n * sizeof *s->hashes);
    s->null_rows = base_alloc((size_t)n);
    s->matched = base_alloc((size_t)n);
    s->cap = 0;
    if (s->hashes == NULL || s->null_rows == NULL || s->matched == NULL)
        return base_error_nomem(err, "join probe");
    s->cap = n;
    return QV_OK;
}

/* Takes the next right batch: its keys, hashes and NULL keys, and what the
 * build needs to know about the right input. */
static qv_status start_batch(join_stream *s, arrow_batch *batch, qv_error *err)
{
    const join_plan *plan = s->plan;
    int64_t n = batch->n_rows;
    QV_TRY(ensure_capacity(s, n, err));
    s->batch = batch;
    s->row = 0;
    s->in_row = false;
    s->pos = 0;
    s->right_cursor = 0;
    if (plan->n_keys > 0) {
        join_plan_key_arrays(plan, batch, true, s->keys);
        if (s->hash_rows)
            QV_TRY(join_keys_hash(plan->keys, s->keys, n, s->hashes, err));
        int64_t n_null = join_keys_null_rows(plan->keys, s->keys, n, s->null_rows);
        if (n_null > 0 && plan->null_aware)
            atomic_store_explicit(&s->build->probe_has_null_key, true, memory_order_relaxed);
    } else {
        memset(s->null_rows, 0, (size_t)n);
    }
    atomic_fetch_add_explicit(&s->build->probe_rows, n, memory_order_relaxed);
    memset(s->matched, 0, (size_t)n);
    s->block.right = batch;
    s->block.right_matched = join_tracks_right(plan->type) ? s->matched : NULL;
    return QV_OK;
}

static qv_status probe_step(join_stream *s, qv_error *err)
{
    if (s->batch == NULL) {
        arrow_batch *batch = NULL;
        QV_TRY(s->right->next(s->right, &batch, err));
        if (batch == NULL) {
            s->phase = PHASE_FINISH;
            return QV_OK;
        }
        qv_status st = start_batch(s, batch, err);
        if (st != QV_OK) {
            arrow_batch_release(batch);
            s->batch = NULL;
            return st;
        }
    }
    int64_t done_from = s->row;
    int64_t n = s->gather(s, s->chunk);
    if (n > 0 || s->row > done_from)
        QV_TRY(join_block_pairs(&s->block, s->cand_l, s->cand_r, n, done_from, s->row, err));
    if (s->row == s->batch->n_rows) {
        arrow_batch_release(s->batch);
        s->batch = NULL;
        s->block.right = NULL;
    }
    return QV_OK;
}

static qv_status left_rows_step(join_stream *s, qv_error *err)
{
    int64_t n = s->build->data->n_rows;
    int64_t to = s->left_pos + s->chunk < n ? s->left_pos + s->chunk : n;
    join_null_aware na = {
        .right_empty = atomic_load(&s->build->probe_rows) == 0,
        .right_has_null = atomic_load(&s->build->probe_has_null_key),
    };
    QV_TRY(join_block_left_rows(&s->block, s->left_pos, to, &na, err));
    s->left_pos = to;
    if (to == n)
        s->phase = PHASE_DONE;
    return QV_OK;
}

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    join_stream *s = (join_stream *)stream;
    *out = NULL;
    for (;;) {
        QV_TRY(join_queue_pop(&s->queue, s->ctx->batch_size, out, err));
        if (*out != NULL)
            return QV_OK;
        switch ((stream_phase)s->phase) {
        case PHASE_BUILD:
            QV_TRY(join_build_ready(s->build, s->ctx, err));
            s->block.left = s->build->data;
            s->block.left_matched = join_tracks_left(s->plan->type) ? s->build->matched : NULL;
            /* Nothing can come out: the right input is not read. */
            s->phase = s->build->data->n_rows == 0 && join_empty_without_left(s->plan->type)
                           ? PHASE_FINISH
                           : PHASE_PROBE;
            break;
        case PHASE_PROBE:
            QV_TRY(probe_step(s, err));
            break;
        case PHASE_FINISH:
            s->finished = true;
            s->phase = join_build_probe_done(s->build) && join_tracks_left(s->plan->type)
                           ? PHASE_LEFT_ROWS
                           : PHASE_DONE;
            break;
        case PHASE_LEFT_ROWS:
            QV_TRY(left_rows_step(s, err));
            break;
        case PHASE_DONE:
            return QV_OK;
        }
    }
}

static void stream_free(exec_stream *stream)
{
    join_stream *s = (join_stream *)stream;
    arrow_batch_release(s->batch);
    join_queue_clear(&s->queue);
    exec_stream_free(s->right);
    join_build_release(s->holder, s->build, s->finished);
    base_free(s->cand_l);
    base_free(s->cand_r);
    base_free(s->keys);
    base_free(s->hashes);
    base_free(s->null_rows);
    base_free(s->matched);
    base_free(s);
}

qv_status join_stream_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                           qv_error *err)
{
    *out = NULL;
    join_collect_state *state = node->state;
    const join_collect_kind *kind = state->kind;
    join_build_config build = {.left = node->children[0],
                               .n_probes = node->n_partitions,
                               .track_matches = join_tracks_left(state->plan->type),
                               .consumer = kind->consumer,
                               .finish = kind->finish,
                               .user = state->plan,
                               .metrics = &node->metrics};
    join_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "join stream");
    s->base.next = stream_next;
    s->base.free = stream_free;
    s->ctx = ctx;
    s->plan = state->plan;
    s->holder = &state->holder;
    s->gather = kind->gather;
    s->hash_rows = kind->hash_rows;
    s->phase = PHASE_BUILD;
    s->call = ctx->call;
    s->call.random_state ^= (uint64_t)(partition + 1) * 0xD6E8FEB86659FD93ull;
    s->chunk = join_chunk_rows(ctx);
    s->cand_l = base_alloc((size_t)s->chunk * sizeof *s->cand_l);
    s->cand_r = base_alloc((size_t)s->chunk * sizeof *s->cand_r);
    s->keys = base_calloc((size_t)s->plan->n_keys + 1, sizeof *s->keys);
    s->block =
        (join_block){.plan = s->plan, .schema = node->schema, .call = &s->call, .queue = &s->queue};
    qv_status st = s->cand_l == NULL || s->cand_r == NULL || s->keys == NULL
                       ? base_error_nomem(err, "join stream")
                       : QV_OK;
    if (st == QV_OK)
        st = join_build_acquire(s->holder, &build, partition, &s->build, err);
    if (st == QV_OK)
        st = exec_node_open(node->children[1], ctx, partition, &s->right, err);
    if (st != QV_OK) {
        stream_free(&s->base);
        return st;
    }
    *out = &s->base;
    return QV_OK;
}

/* ---- the node ---- */

static void state_free(join_collect_state *state)
{
    if (state == NULL)
        return;
    join_build_holder_destroy(&state->holder);
    join_plan_free(state->plan);
    base_free(state);
}

void join_collect_free_state(exec_node *node)
{
    state_free(node->state);
}

qv_status join_collect_node_new(const exec_node_ops *ops, const join_collect_kind *kind,
                                exec_node *left, exec_node *right, const exec_join_spec *spec,
                                arrow_schema *schema, exec_node **out, qv_error *err)
{
    *out = NULL;
    join_collect_state *state = base_calloc(1, sizeof *state);
    arrow_schema *out_schema = NULL;
    qv_status st = state == NULL ? base_error_nomem(err, kind->name) : QV_OK;
    if (st == QV_OK)
        st = join_plan_new(kind->name, spec, left->schema, right->schema, schema, &state->plan,
                           &out_schema, err);
    if (st != QV_OK) {
        base_free(state);
        exec_node_free(left);
        exec_node_free(right);
        return st;
    }
    join_build_holder_init(&state->holder);
    state->kind = kind;
    exec_node *children[2] = {left, right};
    st = exec_node_new(ops, out_schema, right->n_partitions, 2, children, state, out, err);
    arrow_schema_release(out_schema);
    if (st != QV_OK)
        state_free(state);
    return st;
}
