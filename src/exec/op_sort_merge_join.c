/*
 * op_sort_merge_join.c — SortMergeJoinExec (layer: exec): an equi-join of
 * two inputs sorted ascending on their keys (NULLs last), one partition
 * each, into one output partition, reading both sides as streams.
 *
 * The merge compares the current left and right key rows: rows that sort
 * before everything on the other side (and rows with a NULL key, unless
 * NULLs match) have no partner and come out as the type wants; equal keys
 * start a run on each side — all consecutive rows with that key, which may
 * cross batches, gathered into one batch — and the two runs are joined
 * like a small nested loop: every pair is a candidate (keys are equal by
 * construction), checked by the filter a round at a time (join_block.c),
 * then each run's rows are emitted by whether they matched. Only the
 * current runs are held in memory ("SortMergeJoinExec[0]").
 */
#include "exec/join_int.h"
#include "func/select.h"

typedef struct smj_state {
    join_plan *plan;          /* first (join_node_keep_exprs) */
    func_row_comparator *cmp; /* key rows, ascending, NULLs last */
} smj_state;

typedef struct side_cursor {
    exec_stream *stream;
    arrow_batch *batch; /* current batch, NULL before the first and at the end */
    arrow_array **keys; /* its key columns */
    int64_t pos;        /* next row */
    bool done;          /* the input is exhausted */
    bool right;
} side_cursor;

typedef enum smj_phase { SMJ_MERGE, SMJ_RUN, SMJ_DONE } smj_phase;

typedef struct smj_stream {
    exec_stream base;
    exec_node *node;
    exec_ctx *ctx;
    const smj_state *state;
    const join_plan *plan;
    func_call_ctx call;
    smj_phase phase;
    side_cursor left, right;
    arrow_batch *empty_left, *empty_right; /* partners of rows without one */
    join_queue queue;
    join_block block;
    int64_t chunk;
    uint32_t *cand_l, *cand_r;
    base_mem_reservation *reservation;
    /* The current runs of equal keys. */
    arrow_batch *run_left, *run_right;
    _Atomic uint8_t *run_left_matched;
    uint8_t *run_right_matched;
    int64_t run_pair; /* next pair, numbered left row * right rows + right row */
} smj_stream;

/* ---- cursors ---- */

/* Makes the cursor point at a row, or sets done. */
static qv_status cursor_fill(smj_stream *s, side_cursor *c, qv_error *err)
{
    while (!c->done && (c->batch == NULL || c->pos == c->batch->n_rows)) {
        arrow_batch_release(c->batch);
        c->batch = NULL;
        QV_TRY(c->stream->next(c->stream, &c->batch, err));
        if (c->batch == NULL) {
            c->done = true;
            break;
        }
        c->pos = 0;
        join_plan_key_arrays(s->plan, c->batch, c->right, c->keys);
    }
    return QV_OK;
}

static bool row_has_null(const smj_stream *s, const side_cursor *c, int64_t i)
{
    return !s->plan->null_equals_null && join_keys_row_has_null(s->plan->keys, c->keys, i);
}

static int compare(const smj_stream *s, arrow_array *const *a, int64_t i, arrow_array *const *b,
                   int64_t j)
{
    return func_row_compare(s->state->cmp, a, i, b, j);
}

/* ---- rows without a partner ---- */

static qv_status lone_left_rows(smj_stream *s, int64_t from, int64_t to, qv_error *err)
{
    join_block block = s->block;
    block.left = s->left.batch;
    block.left_matched = NULL;
    block.right = s->empty_right;
    return join_block_left_rows(&block, from, to, NULL, err);
}

static qv_status lone_right_rows(smj_stream *s, int64_t from, int64_t to, qv_error *err)
{
    join_block block = s->block;
    block.left = s->empty_left;
    block.right = s->right.batch;
    block.right_matched = NULL;
    return join_block_right_rows(&block, from, to, err);
}

/* ---- runs ---- */

/* All consecutive rows of c equal in key to its current row, as one batch. */
static qv_status gather_run(smj_stream *s, side_cursor *c, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    arrow_batch *first = arrow_batch_retain(c->batch);
    int64_t first_row = c->pos;
    int32_t n_keys = s->plan->n_keys;
    arrow_array **first_keys = base_calloc((size_t)n_keys, sizeof *first_keys);
    arrow_batch **pieces = NULL;
    int32_t n_pieces = 0, cap = 0;
    qv_status st = first_keys == NULL ? base_error_nomem(err, "merge join run") : QV_OK;
    if (st == QV_OK)
        join_plan_key_arrays(s->plan, first, c->right, first_keys);
    while (st == QV_OK) {
        int64_t start = c->pos, end = start, n = c->batch->n_rows;
        while (end < n && compare(s, first_keys, first_row, c->keys, end) == 0)
            end++;
        if (n_pieces == cap) {
            cap = cap == 0 ? 4 : cap * 2;
            arrow_batch **grown = base_realloc(pieces, (size_t)cap * sizeof *grown);
            if (grown == NULL) {
                st = base_error_nomem(err, "merge join run");
                break;
            }
            pieces = grown;
        }
        st = arrow_batch_slice(c->batch, start, end - start, &pieces[n_pieces], err);
        if (st != QV_OK)
            break;
        n_pieces++;
        c->pos = end;
        if (end < n)
            break;
        st = cursor_fill(s, c, err);
        if (c->done)
            break;
    }
    if (st == QV_OK && n_pieces == 1)
        *out = arrow_batch_retain(pieces[0]);
    else if (st == QV_OK)
        st = func_concat_batches(first->schema, n_pieces, pieces, out, err);
    for (int32_t i = 0; i < n_pieces; i++)
        arrow_batch_release(pieces[i]);
    base_free(pieces);
    base_free(first_keys);
    arrow_batch_release(first);
    return st;
}

static void release_runs(smj_stream *s)
{
    arrow_batch_release(s->run_left);
    arrow_batch_release(s->run_right);
    s->run_left = s->run_right = NULL;
    base_free((void *)s->run_left_matched);
    base_free(s->run_right_matched);
    s->run_left_matched = NULL;
    s->run_right_matched = NULL;
    if (s->reservation != NULL)
        base_mem_reservation_shrink(s->reservation, base_mem_reservation_size(s->reservation));
}

static qv_status start_runs(smj_stream *s, qv_error *err)
{
    QV_TRY(gather_run(s, &s->left, &s->run_left, err));
    QV_TRY(gather_run(s, &s->right, &s->run_right, err));
    int64_t nl = s->run_left->n_rows, nr = s->run_right->n_rows;
    int64_t bytes =
        arrow_batch_memory_bytes(s->run_left) + arrow_batch_memory_bytes(s->run_right) + nl + nr;
    QV_TRY(base_mem_reservation_try_grow(s->reservation, bytes, err));
    exec_metrics_note_memory(&s->node->metrics, base_mem_reservation_size(s->reservation));
    s->run_left_matched = base_calloc((size_t)nl, sizeof *s->run_left_matched);
    s->run_right_matched = base_calloc((size_t)nr, 1);
    if (s->run_left_matched == NULL || s->run_right_matched == NULL)
        return base_error_nomem(err, "merge join run");
    s->block.left = s->run_left;
    s->block.right = s->run_right;
    s->block.left_matched = join_tracks_left(s->plan->type) ? s->run_left_matched : NULL;
    s->block.right_matched = join_tracks_right(s->plan->type) ? s->run_right_matched : NULL;
    s->run_pair = 0;
    s->phase = SMJ_RUN;
    return QV_OK;
}

/* One round of the runs' pairs; at the end, their rows by match. */
static qv_status run_step(smj_stream *s, qv_error *err)
{
    int64_t nl = s->run_left->n_rows, nr = s->run_right->n_rows, total = nl * nr;
    if (s->plan->filter == NULL && !join_emits_pairs(s->plan->type)) {
        join_block_match_all(&s->block);
        s->run_pair = total;
    }
    if (s->run_pair < total) {
        int64_t n = 0;
        for (; n < s->chunk && s->run_pair < total; n++, s->run_pair++) {
            s->cand_l[n] = (uint32_t)(s->run_pair / nr);
            s->cand_r[n] = (uint32_t)(s->run_pair % nr);
        }
        return join_block_pairs(&s->block, s->cand_l, s->cand_r, n, 0, 0, err);
    }
    QV_TRY(join_block_left_rows(&s->block, 0, nl, NULL, err));
    QV_TRY(join_block_right_rows(&s->block, 0, nr, err));
    release_runs(s);
    s->phase = SMJ_MERGE;
    return QV_OK;
}

/* ---- the merge ---- */

static qv_status merge_step(smj_stream *s, qv_error *err)
{
    side_cursor *l = &s->left, *r = &s->right;
    QV_TRY(cursor_fill(s, l, err));
    QV_TRY(cursor_fill(s, r, err));
    if (l->done && r->done) {
        s->phase = SMJ_DONE;
        return QV_OK;
    }
    if (r->done) {
        QV_TRY(lone_left_rows(s, l->pos, l->batch->n_rows, err));
        l->pos = l->batch->n_rows;
        return QV_OK;
    }
    if (l->done) {
        QV_TRY(lone_right_rows(s, r->pos, r->batch->n_rows, err));
        r->pos = r->batch->n_rows;
        return QV_OK;
    }
    /* Left rows before the right row (or with a NULL key). */
    int64_t end = l->pos;
    while (end < l->batch->n_rows &&
           (row_has_null(s, l, end) || compare(s, l->keys, end, r->keys, r->pos) < 0))
        end++;
    if (end > l->pos) {
        QV_TRY(lone_left_rows(s, l->pos, end, err));
        l->pos = end;
        return QV_OK;
    }
    end = r->pos;
    while (end < r->batch->n_rows &&
           (row_has_null(s, r, end) || compare(s, l->keys, l->pos, r->keys, end) > 0))
        end++;
    if (end > r->pos) {
        QV_TRY(lone_right_rows(s, r->pos, end, err));
        r->pos = end;
        return QV_OK;
    }
    return start_runs(s, err);
}

static qv_status smj_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    smj_stream *s = (smj_stream *)stream;
    *out = NULL;
    for (;;) {
        QV_TRY(join_queue_pop(&s->queue, s->ctx->batch_size, out, err));
        if (*out != NULL || s->phase == SMJ_DONE)
            return QV_OK;
        if (s->phase == SMJ_MERGE)
            QV_TRY(merge_step(s, err));
        else
            QV_TRY(run_step(s, err));
    }
}

static void smj_free(exec_stream *stream)
{
    smj_stream *s = (smj_stream *)stream;
    release_runs(s);
    base_mem_reservation_free(s->reservation);
    join_queue_clear(&s->queue);
    side_cursor *sides[2] = {&s->left, &s->right};
    for (int i = 0; i < 2; i++) {
        arrow_batch_release(sides[i]->batch);
        exec_stream_free(sides[i]->stream);
        base_free(sides[i]->keys);
    }
    arrow_batch_release(s->empty_left);
    arrow_batch_release(s->empty_right);
    base_free(s->cand_l);
    base_free(s->cand_r);
    base_free(s);
}

static qv_status smj_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                          qv_error *err)
{
    (void)partition;
    smj_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "merge join stream");
    s->base.next = smj_next;
    s->base.free = smj_free;
    s->node = node;
    s->ctx = ctx;
    s->state = node->state;
    s->plan = s->state->plan;
    s->call = ctx->call;
    s->chunk = join_chunk_rows(ctx);
    s->right.right = true;
    s->block =
        (join_block){.plan = s->plan, .schema = node->schema, .call = &s->call, .queue = &s->queue};
    s->cand_l = base_alloc((size_t)s->chunk * sizeof *s->cand_l);
    s->cand_r = base_alloc((size_t)s->chunk * sizeof *s->cand_r);
    s->left.keys = base_calloc((size_t)s->plan->n_keys, sizeof *s->left.keys);
    s->right.keys = base_calloc((size_t)s->plan->n_keys, sizeof *s->right.keys);
    qv_status st =
        s->cand_l == NULL || s->cand_r == NULL || s->left.keys == NULL || s->right.keys == NULL
            ? base_error_nomem(err, "merge join stream")
            : QV_OK;
    if (st == QV_OK)
        st = base_mem_reservation_new(ctx->mem_pool, "SortMergeJoinExec[0]", &s->reservation, err);
    if (st == QV_OK)
        st = func_concat_batches(node->children[0]->schema, 0, NULL, &s->empty_left, err);
    if (st == QV_OK)
        st = func_concat_batches(node->children[1]->schema, 0, NULL, &s->empty_right, err);
    if (st == QV_OK)
        st = exec_node_open(node->children[0], ctx, 0, &s->left.stream, err);
    if (st == QV_OK)
        st = exec_node_open(node->children[1], ctx, 0, &s->right.stream, err);
    if (st != QV_OK) {
        smj_free(&s->base);
        return st;
    }
    *out = &s->base;
    return QV_OK;
}

static void smj_describe(const exec_node *node, base_strbuf *sb)
{
    const join_plan *plan = ((const smj_state *)node->state)->plan;
    join_plan_describe(plan, node, true, sb);
    join_plan_describe_conditions(plan, sb);
}

static void state_free(smj_state *state)
{
    if (state == NULL)
        return;
    join_plan_free(state->plan);
    func_row_comparator_free(state->cmp);
    base_free(state);
}

static void smj_free_state(exec_node *node)
{
    state_free(node->state);
}

static const exec_node_ops merge_join_ops = {"SortMergeJoinExec", smj_open, smj_describe,
                                             smj_free_state};

static qv_status make_comparator(smj_state *state, const arrow_schema *left, qv_error *err)
{
    int32_t n = state->plan->n_keys;
    arrow_type **types = base_calloc((size_t)n, sizeof *types);
    bool *flags = base_calloc((size_t)n, sizeof *flags);
    qv_status st = types == NULL || flags == NULL ? base_error_nomem(err, "merge join") : QV_OK;
    for (int32_t k = 0; k < n && st == QV_OK; k++)
        types[k] = left->fields[state->plan->left_keys[k]]->type;
    /* Ascending (descending all false), NULLs last (nulls_first all false). */
    if (st == QV_OK)
        st = func_row_comparator_new(n, types, flags, flags, &state->cmp, err);
    base_free(types);
    base_free(flags);
    return st;
}

qv_status exec_sort_merge_join_new(exec_node *left, exec_node *right, const exec_join_spec *spec,
                                   arrow_schema *schema, exec_node **out, qv_error *err)
{
    *out = NULL;
    smj_state *state = base_calloc(1, sizeof *state);
    arrow_schema *out_schema = NULL;
    qv_status st = state == NULL ? base_error_nomem(err, "merge join") : QV_OK;
    if (st == QV_OK && spec->n_keys == 0)
        st = base_error_set(err, QV_MISUSE, "SortMergeJoinExec needs at least one key");
    if (st == QV_OK && spec->null_aware)
        st = base_error_set(err, QV_NOT_IMPLEMENTED,
                            "This feature is not implemented: null-aware sort merge join");
    if (st == QV_OK && (left->n_partitions != 1 || right->n_partitions != 1))
        st = base_error_set(err, QV_MISUSE, "SortMergeJoinExec needs single-partition inputs");
    if (st == QV_OK)
        st = join_plan_new("SortMergeJoinExec", spec, left->schema, right->schema, schema,
                           &state->plan, &out_schema, err);
    if (st == QV_OK)
        st = make_comparator(state, left->schema, err);
    if (st != QV_OK) {
        state_free(state);
        arrow_schema_release(out_schema);
        exec_node_free(left);
        exec_node_free(right);
        return st;
    }
    exec_node *children[2] = {left, right};
    st = exec_node_new(&merge_join_ops, out_schema, 1, 2, children, state, out, err);
    arrow_schema_release(out_schema);
    if (st != QV_OK)
        state_free(state);
    return st;
}
