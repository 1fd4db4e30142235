/*
 * op_recursive.c — WITH RECURSIVE (layer: exec): RecursiveQueryExec runs
 * the static term, then the recursive term round after round, each round
 * reading the previous round's new rows through a WorkTableExec, until a
 * round adds nothing. Rounds are produced lazily, so a LIMIT above stops
 * an endless recursion. UNION (distinct) keeps only rows never seen
 * before. The recursive term is planned again for every round after the
 * first (operators keep per-node state), from its logical plan.
 */
#include <string.h>

#include "exec/planner_int.h"
#include "func/select.h"

/* Past this many rounds the query fails rather than running forever. */
#define MAX_ROUNDS 100000

struct exec_work_table {
    _Atomic int32_t refs;
    arrow_batch **batches; /* the previous round (owned references) */
    int64_t n_batches;
};

qv_status exec_work_table_new(exec_work_table **out, qv_error *err)
{
    *out = base_calloc(1, sizeof **out);
    if (*out == NULL)
        return base_error_nomem(err, "work table");
    (*out)->refs = 1;
    return QV_OK;
}

static void work_table_set(exec_work_table *wt, arrow_batch **batches, int64_t n)
{
    exec_batches_free(wt->batches, wt->n_batches);
    wt->batches = batches;
    wt->n_batches = n;
}

exec_work_table *exec_work_table_retain(exec_work_table *wt)
{
    wt->refs++;
    return wt;
}

void exec_work_table_release(exec_work_table *wt)
{
    if (wt == NULL || --wt->refs > 0)
        return;
    work_table_set(wt, NULL, 0);
    base_free(wt);
}

/* ---- WorkTableExec ---- */

typedef struct work_stream {
    exec_stream base;
    const exec_work_table *wt;
    int64_t next;
} work_stream;

static qv_status work_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    (void)err;
    work_stream *s = (work_stream *)stream;
    *out = s->next < s->wt->n_batches ? arrow_batch_retain(s->wt->batches[s->next++]) : NULL;
    return QV_OK;
}

static void work_stream_free(exec_stream *stream)
{
    base_free(stream);
}

static qv_status work_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                           qv_error *err)
{
    (void)ctx;
    (void)partition;
    work_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "work table stream");
    s->base.next = work_next;
    s->base.free = work_stream_free;
    s->wt = node->state;
    *out = &s->base;
    return QV_OK;
}

static void work_free(exec_node *node)
{
    exec_work_table_release(node->state);
}

static const exec_node_ops work_ops = {"WorkTableExec", work_open, NULL, work_free};

qv_status exec_work_table_scan_new(exec_work_table *wt, arrow_schema *schema, exec_node **out,
                                   qv_error *err)
{
    qv_status st =
        exec_node_new(&work_ops, schema, 1, 0, NULL, exec_work_table_retain(wt), out, err);
    if (st != QV_OK)
        exec_work_table_release(wt);
    return st;
}

/* ---- RecursiveQueryExec ---- */

typedef struct recursive_state {
    const plan_node *term;     /* the recursive term's logical plan (borrowed) */
    exec_plan_options options; /* to plan it again; call points at call below */
    func_call_ctx call;
    exec_work_table *wt;
    bool distinct;
} recursive_state;

typedef struct recursive_stream {
    exec_stream base;
    exec_node *node;
    exec_ctx *ctx;
    exec_group_table *seen; /* distinct: every row so far */
    arrow_batch **round;    /* rows of the current round, being handed out */
    int64_t n_round, next;
    int32_t rounds;
    bool done;
} recursive_stream;

/* Every batch of node (all partitions, in order). */
static qv_status collect(exec_node *node, exec_ctx *ctx, arrow_batch ***out, int64_t *n,
                         qv_error *err)
{
    *out = NULL;
    *n = 0;
    for (int32_t p = 0; p < node->n_partitions; p++) {
        arrow_batch **part = NULL;
        int64_t n_part = 0;
        qv_status st = exec_collect_partition(node, ctx, p, &part, &n_part, err);
        arrow_batch **all =
            st == QV_OK ? base_realloc(*out, (size_t)(*n + n_part + 1) * sizeof *all) : NULL;
        if (all == NULL) {
            exec_batches_free(part, n_part);
            exec_batches_free(*out, *n);
            *out = NULL;
            *n = 0;
            return st != QV_OK ? st : base_error_nomem(err, "recursive query round");
        }
        if (n_part > 0)
            memcpy(all + *n, part, (size_t)n_part * sizeof *all);
        base_free(part);
        *out = all;
        *n += n_part;
    }
    return QV_OK;
}

/* Drops the rows seen in earlier rounds (and repeats within this one). */
static qv_status keep_new_rows(recursive_stream *s, arrow_batch **batches, int64_t n, qv_error *err)
{
    for (int64_t b = 0; b < n; b++) {
        arrow_batch *batch = batches[b];
        int64_t rows = batch->n_rows;
        int64_t before = exec_group_table_count(s->seen);
        uint32_t *ids = base_alloc((size_t)(rows > 0 ? rows : 1) * sizeof *ids);
        uint32_t *keep = base_alloc((size_t)(rows > 0 ? rows : 1) * sizeof *keep);
        qv_status st = ids && keep ? QV_OK : base_error_nomem(err, "recursive query");
        if (st == QV_OK)
            st = exec_group_table_intern(s->seen, batch->columns, rows, ids, err);
        int64_t n_keep = 0, next_new = before;
        for (int64_t r = 0; st == QV_OK && r < rows; r++)
            if (ids[r] == (uint32_t)next_new) {
                keep[n_keep++] = (uint32_t)r;
                next_new++;
            }
        arrow_batch *kept = NULL;
        if (st == QV_OK && n_keep < rows)
            st = func_take_batch(batch, keep, n_keep, &kept, err);
        base_free(ids);
        base_free(keep);
        QV_TRY(st);
        if (kept != NULL) {
            arrow_batch_release(batch);
            batches[b] = kept;
        }
    }
    return QV_OK;
}

/* The next round's rows into s->round (none: the recursion is over). */
static qv_status next_round(recursive_stream *s, qv_error *err)
{
    recursive_state *state = s->node->state;
    exec_node *plan = NULL;
    if (s->rounds == 0) {
        plan = s->node->children[0];
    } else {
        if (s->rounds >= MAX_ROUNDS)
            return base_error_set(err, QV_RESOURCES_EXHAUSTED,
                                  "Resources exhausted: recursive query still produced rows "
                                  "after %d rounds",
                                  MAX_ROUNDS);
        /* The previous round becomes the work table. */
        work_table_set(state->wt, s->round, s->n_round);
        s->round = NULL;
        s->n_round = 0;
        plan = s->rounds == 1 ? s->node->children[1] : NULL;
        if (plan == NULL)
            QV_TRY(planner_recursive_term(state->term, &state->options, state->wt, &plan, err));
    }
    arrow_batch **batches = NULL;
    int64_t n = 0;
    qv_status st = collect(plan, s->ctx, &batches, &n, err);
    if (plan != s->node->children[0] && plan != s->node->children[1])
        exec_node_free(plan);
    QV_TRY(st);
    if (state->distinct && (st = keep_new_rows(s, batches, n, err)) != QV_OK) {
        exec_batches_free(batches, n);
        return st;
    }
    int64_t rows = 0;
    for (int64_t b = 0; b < n; b++)
        rows += batches[b]->n_rows;
    s->rounds++;
    s->round = batches;
    s->n_round = n;
    s->next = 0;
    s->done = rows == 0;
    return QV_OK;
}

static qv_status recursive_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    recursive_stream *s = (recursive_stream *)stream;
    *out = NULL;
    while (!s->done) {
        while (s->next < s->n_round) {
            arrow_batch *b = s->round[s->next++];
            if (b->n_rows > 0) /* under the query's column names */
                return arrow_batch_new(s->node->schema, b->n_rows, b->columns, out, err);
        }
        QV_TRY(next_round(s, err));
    }
    return QV_OK;
}

static void recursive_stream_free(exec_stream *stream)
{
    recursive_stream *s = (recursive_stream *)stream;
    exec_batches_free(s->round, s->n_round);
    exec_group_table_free(s->seen);
    base_free(s);
}

static qv_status recursive_open(exec_node *node, exec_ctx *ctx, int32_t partition,
                                exec_stream **out, qv_error *err)
{
    (void)partition;
    const recursive_state *state = node->state;
    recursive_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "recursive query stream");
    s->base.next = recursive_next;
    s->base.free = recursive_stream_free;
    s->node = node;
    s->ctx = ctx;
    if (state->distinct) {
        arrow_schema *schema = node->schema;
        arrow_type **types = base_calloc((size_t)(schema->n_fields + 1), sizeof *types);
        qv_status st = types ? QV_OK : base_error_nomem(err, "recursive query");
        for (int32_t i = 0; st == QV_OK && i < schema->n_fields; i++)
            types[i] = schema->fields[i]->type;
        if (st == QV_OK)
            st = exec_group_table_new(schema->n_fields, types, &s->seen, err);
        base_free(types);
        if (st != QV_OK) {
            base_free(s);
            return st;
        }
    }
    *out = &s->base;
    return QV_OK;
}

static void recursive_describe(const exec_node *node, base_strbuf *sb)
{
    const recursive_state *state = node->state;
    base_strbuf_appendf(sb, "is_distinct=%s", state->distinct ? "true" : "false");
}

static void recursive_free(exec_node *node)
{
    recursive_state *state = node->state;
    exec_work_table_release(state->wt);
    base_free(state);
}

static const exec_node_ops recursive_ops = {"RecursiveQueryExec", recursive_open,
                                            recursive_describe, recursive_free};

qv_status exec_recursive_new(exec_node *static_term, exec_node *first_round, const plan_node *term,
                             const exec_plan_options *options, exec_work_table *wt, bool distinct,
                             exec_node **out, qv_error *err)
{
    *out = NULL;
    recursive_state *state = base_calloc(1, sizeof *state);
    exec_node *children[2] = {static_term, first_round};
    if (state == NULL) {
        exec_node_free(static_term);
        exec_node_free(first_round);
        exec_work_table_release(wt);
        return base_error_nomem(err, "recursive query");
    }
    state->term = term;
    state->options = *options;
    if (options->call != NULL) {
        state->call = *options->call;
        state->options.call = &state->call;
    }
    state->wt = wt;
    state->distinct = distinct;
    qv_status st =
        exec_node_new(&recursive_ops, static_term->schema, 1, 2, children, state, out, err);
    if (st != QV_OK) {
        exec_work_table_release(wt);
        base_free(state);
    }
    return st;
}
