/*
 * op_window.c — WindowAggExec / BoundedWindowAggExec (layer: exec): the
 * node (calls, EXPLAIN line) and its stream. The stream buffers input
 * batches (sorted by partition then order columns) until it holds at least
 * a batch worth of whole partitions, finds the partitions and peer groups
 * of that chunk, computes every call over it (window functions through
 * func/window.h, aggregates through window_agg.c, frames from
 * window_frame.c), and hands the chunk's rows with the new columns out in
 * batches of ctx->batch_size. The rows after the chunk's last partition
 * start wait for the next chunk.
 */
#include <stdio.h>
#include <string.h>

#include "exec/window_int.h"
#include "func/select.h"

typedef struct window_plan {
    int32_t n_pass;
    int32_t n_partition;
    int32_t *partition_columns;
    int32_t n_order;
    exec_sort_key *order;
    int32_t n_calls;
    window_call *calls;
    func_window_state **states; /* per call: the window function's state, NULL for aggregates */
    plan_expr **owned;          /* expressions the projection below reads */
    int32_t n_owned;
} window_plan;

/* ---- the plan ---- */

static void free_owned(plan_expr **owned, int32_t n)
{
    for (int32_t i = 0; owned != NULL && i < n; i++)
        base_free(owned[i]);
    base_free(owned);
}

static void free_plan(window_plan *plan)
{
    if (plan == NULL)
        return;
    free_owned(plan->owned, plan->n_owned);
    for (int32_t c = 0; c < plan->n_calls && plan->calls != NULL; c++) {
        window_call *call = &plan->calls[c];
        for (int32_t i = 0; i < call->n_args; i++) {
            if (call->literals != NULL)
                arrow_array_release(call->literals[i]);
            if (call->arg_types != NULL)
                arrow_type_release(call->arg_types[i]);
        }
        base_free(call->literals);
        base_free(call->arg_types);
        base_free(call->arg_columns);
        arrow_type_release(call->return_type);
        base_free(call->describe);
        if (plan->states != NULL && plan->states[c] != NULL)
            plan->states[c]->impl->free(plan->states[c]);
    }
    base_free(plan->states);
    base_free(plan->calls);
    base_free(plan->partition_columns);
    base_free(plan->order);
    base_free(plan);
}

static char *copy_text(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *copy = base_alloc(n + 1);
    if (copy != NULL)
        memcpy(copy, s ? s : "", n + 1);
    return copy;
}

static qv_status copy_call(window_call *dst, const exec_window_spec *src, qv_error *err)
{
    int32_t n = src->n_args;
    dst->entry = src->entry;
    dst->n_args = n;
    dst->filter_column = src->filter_column;
    dst->distinct = src->distinct;
    dst->ignore_nulls = src->ignore_nulls;
    dst->frame = src->frame;
    dst->return_type = arrow_type_retain(src->return_type);
    dst->describe = copy_text(src->describe);
    dst->arg_columns = base_calloc((size_t)(n > 0 ? n : 1), sizeof *dst->arg_columns);
    dst->literals = base_calloc((size_t)(n > 0 ? n : 1), sizeof *dst->literals);
    dst->arg_types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *dst->arg_types);
    if (dst->describe == NULL || dst->arg_columns == NULL || dst->literals == NULL ||
        dst->arg_types == NULL)
        return base_error_nomem(err, "window operator");
    for (int32_t i = 0; i < n; i++) {
        dst->arg_columns[i] = src->arg_columns[i];
        dst->literals[i] = src->literals[i] ? arrow_array_retain(src->literals[i]) : NULL;
        dst->arg_types[i] = arrow_type_retain(src->arg_types[i]);
    }
    return QV_OK;
}

/* The window function's state: parses its constant arguments, so that bad
 * ones fail when the plan is built. */
static qv_status create_state(const window_call *call, func_window_state **out, qv_error *err)
{
    func_window_call fcall = {.entry = call->entry,
                              .n_args = call->n_args,
                              .arg_types = call->arg_types,
                              .literals = call->literals,
                              .return_type = call->return_type,
                              .ignore_nulls = call->ignore_nulls};
    return call->entry->impl.window->create(&fcall, out, err);
}

/* ---- chunks ---- */

typedef struct window_stream {
    exec_stream base;
    exec_node *node;
    exec_ctx *ctx;
    exec_stream *child;
    base_mem_reservation *reservation;
    func_row_comparator *partition_cmp;
    func_row_comparator *peer_cmp;
    arrow_batch **pending; /* input not yet computed, in order */
    int64_t n_pending, pending_cap, pending_rows;
    int64_t last_start;  /* row (over pending) of the last partition start seen, -1: none */
    arrow_batch *output; /* a computed chunk being handed out */
    int64_t out_pos;
    bool input_done;
    arrow_array **keys_a; /* scratch for same_keys */
    arrow_array **keys_b;
} window_stream;

static qv_status comparator(const arrow_schema *schema, int32_t n, const int32_t *columns,
                            const exec_sort_key *keys, func_row_comparator **out, qv_error *err)
{
    *out = NULL;
    if (n == 0)
        return QV_OK;
    arrow_type **types = base_calloc((size_t)n, sizeof *types);
    bool *desc = base_calloc((size_t)n, sizeof *desc);
    bool *nulls = base_calloc((size_t)n, sizeof *nulls);
    qv_status st = types && desc && nulls ? QV_OK : base_error_nomem(err, "window operator");
    for (int32_t i = 0; i < n && st == QV_OK; i++) {
        int32_t col = columns ? columns[i] : keys[i].column;
        types[i] = schema->fields[col]->type;
        desc[i] = keys ? keys[i].descending : false;
        nulls[i] = keys ? keys[i].nulls_first : false;
    }
    if (st == QV_OK)
        st = func_row_comparator_new(n, types, desc, nulls, out, err);
    base_free(types);
    base_free(desc);
    base_free(nulls);
    return st;
}

/* True when row i of a and row j of b have equal key columns (ka, kb:
 * scratch for n arrays). */
static bool same_keys(const func_row_comparator *cmp, int32_t n, const int32_t *columns,
                      const exec_sort_key *keys, arrow_batch *a, int64_t i, arrow_batch *b,
                      int64_t j, arrow_array **ka, arrow_array **kb)
{
    for (int32_t k = 0; k < n; k++) {
        int32_t col = columns ? columns[k] : keys[k].column;
        ka[k] = a->columns[col];
        kb[k] = b->columns[col];
    }
    return func_row_compare(cmp, ka, i, kb, j) == 0;
}

/* Notes where partitions start in batch (appended at pending row base). */
static void note_partition_starts(window_stream *s, arrow_batch *batch, int64_t base)
{
    const window_plan *plan = s->node->state;
    if (plan->n_partition == 0)
        return;
    for (int64_t r = batch->n_rows - 1; r >= 0; r--) {
        arrow_batch *prev =
            r > 0 ? batch : (s->n_pending > 0 ? s->pending[s->n_pending - 1] : NULL);
        int64_t prev_row = r > 0 ? r - 1 : (prev ? prev->n_rows - 1 : -1);
        if (prev == NULL)
            return;
        if (!same_keys(s->partition_cmp, plan->n_partition, plan->partition_columns, NULL, batch, r,
                       prev, prev_row, s->keys_a, s->keys_b)) {
            s->last_start = base + r;
            return;
        }
    }
}

static qv_status pull_input(window_stream *s, qv_error *err)
{
    /* Enough rows for a chunk: complete partitions of about a batch. */
    while (!s->input_done) {
        if (s->last_start > 0 && s->last_start >= s->ctx->batch_size)
            return QV_OK;
        arrow_batch *batch = NULL;
        QV_TRY(s->child->next(s->child, &batch, err));
        if (batch == NULL) {
            s->input_done = true;
            return QV_OK;
        }
        if (batch->n_rows == 0) {
            arrow_batch_release(batch);
            continue;
        }
        qv_status st =
            base_mem_reservation_try_grow(s->reservation, arrow_batch_memory_bytes(batch), err);
        if (st == QV_OK && s->n_pending == s->pending_cap) {
            int64_t cap = s->pending_cap ? s->pending_cap * 2 : 16;
            arrow_batch **bigger = base_realloc(s->pending, (size_t)cap * sizeof *bigger);
            if (bigger == NULL)
                st = base_error_nomem(err, "window operator");
            else {
                s->pending = bigger;
                s->pending_cap = cap;
            }
        }
        if (st != QV_OK) {
            arrow_batch_release(batch);
            return st;
        }
        exec_metrics_note_memory(&s->node->metrics, base_mem_reservation_size(s->reservation));
        note_partition_starts(s, batch, s->pending_rows);
        s->pending[s->n_pending++] = batch;
        s->pending_rows += batch->n_rows;
    }
    return QV_OK;
}

static void chunk_free(window_chunk *c)
{
    arrow_batch_release(c->batch);
    base_free(c->partition_offsets);
    base_free(c->peer_start);
    base_free(c->peer_end);
}

/* Partition and peer boundaries of the chunk's rows. */
static qv_status chunk_bounds(window_stream *s, window_chunk *c, qv_error *err)
{
    const window_plan *plan = s->node->state;
    int64_t n = c->n_rows;
    c->partition_offsets = base_alloc((size_t)(n + 1) * sizeof *c->partition_offsets);
    c->peer_start = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *c->peer_start);
    c->peer_end = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *c->peer_end);
    if (c->partition_offsets == NULL || c->peer_start == NULL || c->peer_end == NULL)
        return base_error_nomem(err, "window operator");
    c->n_partitions = 0;
    for (int64_t i = 0; i < n; i++) {
        bool new_partition =
            i == 0 || (plan->n_partition > 0 &&
                       !same_keys(s->partition_cmp, plan->n_partition, plan->partition_columns,
                                  NULL, c->batch, i, c->batch, i - 1, s->keys_a, s->keys_b));
        if (new_partition)
            c->partition_offsets[c->n_partitions++] = i;
        bool new_peers =
            new_partition ||
            (plan->n_order > 0 && !same_keys(s->peer_cmp, plan->n_order, NULL, plan->order,
                                             c->batch, i, c->batch, i - 1, s->keys_a, s->keys_b));
        c->peer_start[i] = new_peers ? i : c->peer_start[i - 1];
    }
    c->partition_offsets[c->n_partitions] = n;
    for (int64_t i = n - 1; i >= 0; i--)
        c->peer_end[i] =
            i + 1 < n && c->peer_start[i + 1] == c->peer_start[i] ? c->peer_end[i + 1] : i + 1;
    if (plan->n_order > 0) {
        c->order_key = c->batch->columns[plan->order[0].column];
        c->descending = plan->order[0].descending;
        c->nulls_first = plan->order[0].nulls_first;
    }
    return QV_OK;
}

/* One call's values over the chunk. */
static qv_status compute_call(const window_plan *plan, int32_t index, const window_chunk *c,
                              arrow_array **out, qv_error *err)
{
    const window_call *call = &plan->calls[index];
    int64_t n = c->n_rows;
    int32_t k = call->n_args;
    func_datum *args = base_calloc((size_t)(k > 0 ? k : 1), sizeof *args);
    if (args == NULL)
        return base_error_nomem(err, "window operator");
    for (int32_t i = 0; i < k; i++)
        args[i] = call->arg_columns[i] >= 0
                      ? func_datum_array(c->batch->columns[call->arg_columns[i]])
                      : func_datum_scalar(call->literals[i]);
    bool is_agg = call->entry->kind == FUNC_AGGREGATE;
    bool frames = is_agg || call->entry->impl.window->uses_frame;
    int64_t *start = NULL, *end = NULL;
    qv_status st = QV_OK;
    if (frames) {
        start = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *start);
        end = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *end);
        st = start && end ? window_frames(&call->frame, c, start, end, err)
                          : base_error_nomem(err, "window frame");
    }
    if (st == QV_OK && is_agg) {
        st = window_aggregate(call, c, args, start, end, out, err);
    } else if (st == QV_OK) {
        func_window_rows rows = {.n_rows = n,
                                 .args = args,
                                 .n_partitions = c->n_partitions,
                                 .partition_offsets = c->partition_offsets,
                                 .peer_start = c->peer_start,
                                 .peer_end = c->peer_end,
                                 .frame_start = start,
                                 .frame_end = end,
                                 .exclude = (func_window_exclude)call->frame.exclude};
        func_window_state *state = plan->states[index];
        st = state->impl->evaluate(state, &rows, out, err);
    }
    for (int32_t i = 0; i < k; i++)
        func_datum_release(&args[i]);
    base_free(args);
    base_free(start);
    base_free(end);
    return st;
}

static void release_pending(window_stream *s)
{
    for (int64_t i = 0; i < s->n_pending; i++)
        arrow_batch_release(s->pending[i]);
    s->n_pending = 0;
    s->pending_rows = 0;
}

/* The chunk's rows with the calls' columns added. */
static qv_status chunk_output(window_stream *s, window_chunk *c, arrow_batch **out, qv_error *err)
{
    const window_plan *plan = s->node->state;
    int32_t n_cols = plan->n_pass + plan->n_calls;
    arrow_array **cols = base_calloc((size_t)n_cols, sizeof *cols);
    if (cols == NULL)
        return base_error_nomem(err, "window operator");
    for (int32_t i = 0; i < plan->n_pass; i++)
        cols[i] = arrow_array_retain(c->batch->columns[i]);
    qv_status st = chunk_bounds(s, c, err);
    for (int32_t k = 0; k < plan->n_calls && st == QV_OK; k++)
        st = compute_call(plan, k, c, &cols[plan->n_pass + k], err);
    if (st == QV_OK)
        st = arrow_batch_new(s->node->schema, c->n_rows, cols, out, err);
    for (int32_t i = 0; i < n_cols; i++)
        arrow_array_release(cols[i]);
    base_free(cols);
    return st;
}

/* Computes the pending rows of whole partitions into s->output; the rows
 * of the last partition stay pending unless the input is done. */
/* The pending batches as one batch of the input's schema (their own
 * schemas may differ in names and nullability, as UNION inputs do). */
static qv_status concat_pending(window_stream *s, arrow_batch **out, qv_error *err)
{
    arrow_schema *schema = s->node->children[0]->schema;
    int32_t n_cols = schema->n_fields;
    arrow_array **cols = base_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *cols);
    arrow_array **parts = base_calloc((size_t)s->n_pending, sizeof *parts);
    qv_status st = cols && parts ? QV_OK : base_error_nomem(err, "window operator");
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++) {
        for (int64_t b = 0; b < s->n_pending; b++)
            parts[b] = s->pending[b]->columns[c];
        st = func_concat((int32_t)s->n_pending, parts, &cols[c], err);
    }
    if (st == QV_OK)
        st = arrow_batch_new(schema, s->pending_rows, cols, out, err);
    for (int32_t c = 0; cols != NULL && c < n_cols; c++)
        arrow_array_release(cols[c]);
    base_free(cols);
    base_free(parts);
    return st;
}

static qv_status compute_chunk(window_stream *s, qv_error *err)
{
    arrow_batch *all = NULL;
    QV_TRY(concat_pending(s, &all, err));
    int64_t cut = s->input_done ? s->pending_rows : s->last_start;
    release_pending(s);
    s->last_start = -1;
    window_chunk c = {0};
    c.n_rows = cut;
    qv_status st = cut == all->n_rows ? (c.batch = arrow_batch_retain(all), QV_OK)
                                      : arrow_batch_slice(all, 0, cut, &c.batch, err);
    if (st == QV_OK && cut < all->n_rows) {
        arrow_batch *rest = NULL;
        st = arrow_batch_slice(all, cut, all->n_rows - cut, &rest, err);
        if (st == QV_OK) {
            s->pending[s->n_pending++] = rest;
            s->pending_rows = rest->n_rows;
        }
    }
    if (st == QV_OK)
        st = chunk_output(s, &c, &s->output, err);
    s->out_pos = 0;
    chunk_free(&c);
    arrow_batch_release(all);
    /* Held now: the rows still pending and the output. */
    base_mem_reservation_shrink(s->reservation, base_mem_reservation_size(s->reservation));
    base_mem_reservation_grow(s->reservation,
                              arrow_batch_memory_bytes(s->output) +
                                  (s->n_pending > 0 ? arrow_batch_memory_bytes(s->pending[0]) : 0));
    exec_metrics_note_memory(&s->node->metrics, base_mem_reservation_size(s->reservation));
    return st;
}

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    window_stream *s = (window_stream *)stream;
    *out = NULL;
    for (;;) {
        if (s->output != NULL && s->out_pos < s->output->n_rows) {
            int64_t rows = s->output->n_rows - s->out_pos;
            if (rows > s->ctx->batch_size)
                rows = s->ctx->batch_size;
            if (s->out_pos == 0 && rows == s->output->n_rows)
                *out = arrow_batch_retain(s->output);
            else
                QV_TRY(arrow_batch_slice(s->output, s->out_pos, rows, out, err));
            s->out_pos += rows;
            return QV_OK;
        }
        arrow_batch_release(s->output);
        s->output = NULL;
        QV_TRY(pull_input(s, err));
        if (s->pending_rows == 0)
            return QV_OK;
        QV_TRY(compute_chunk(s, err));
    }
}

static void stream_free(exec_stream *stream)
{
    window_stream *s = (window_stream *)stream;
    exec_stream_free(s->child);
    release_pending(s);
    base_free(s->pending);
    arrow_batch_release(s->output);
    func_row_comparator_free(s->partition_cmp);
    func_row_comparator_free(s->peer_cmp);
    base_mem_reservation_free(s->reservation);
    base_free(s->keys_a);
    base_free(s->keys_b);
    base_free(s);
}

static qv_status window_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                             qv_error *err)
{
    const window_plan *plan = node->state;
    window_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "window stream");
    s->base.next = stream_next;
    s->base.free = stream_free;
    s->node = node;
    s->ctx = ctx;
    s->last_start = -1;
    char consumer[64];
    snprintf(consumer, sizeof consumer, "%s[%d]", node->ops->name, partition);
    arrow_schema *in = node->children[0]->schema;
    int32_t n_keys = plan->n_partition > plan->n_order ? plan->n_partition : plan->n_order;
    s->keys_a = base_calloc((size_t)n_keys + 1, sizeof *s->keys_a);
    s->keys_b = base_calloc((size_t)n_keys + 1, sizeof *s->keys_b);
    qv_status st = s->keys_a && s->keys_b ? QV_OK : base_error_nomem(err, "window stream");
    if (st == QV_OK)
        st = base_mem_reservation_new(ctx->mem_pool, consumer, &s->reservation, err);
    if (st == QV_OK)
        st = comparator(in, plan->n_partition, plan->partition_columns, NULL, &s->partition_cmp,
                        err);
    if (st == QV_OK)
        st = comparator(in, plan->n_order, NULL, plan->order, &s->peer_cmp, err);
    if (st == QV_OK)
        st = exec_node_open(node->children[0], ctx, 0, &s->child, err);
    if (st != QV_OK) {
        stream_free(&s->base);
        return st;
    }
    *out = &s->base;
    return QV_OK;
}

/* ---- the node ---- */

static void window_describe(const exec_node *node, base_strbuf *sb)
{
    const window_plan *plan = node->state;
    base_strbuf_append_str(sb, "wdw=[");
    for (int32_t c = 0; c < plan->n_calls; c++) {
        if (c > 0)
            base_strbuf_append_str(sb, ", ");
        base_strbuf_append_str(sb, plan->calls[c].describe);
    }
    base_strbuf_append_char(sb, ']');
    if (strcmp(node->ops->name, "BoundedWindowAggExec") == 0)
        base_strbuf_append_str(sb, ", mode=[Sorted]");
}

static void window_free(exec_node *node)
{
    free_plan(node->state);
}

static const exec_node_ops window_ops = {"WindowAggExec", window_open, window_describe,
                                         window_free};
static const exec_node_ops bounded_ops = {"BoundedWindowAggExec", window_open, window_describe,
                                          window_free};

qv_status exec_window_new(exec_node *child, int32_t n_pass, int32_t n_partition,
                          const int32_t *partition_columns, int32_t n_order,
                          const exec_sort_key *order, int32_t n_calls,
                          const exec_window_spec *calls, arrow_schema *schema, bool bounded,
                          plan_expr **owned, int32_t n_owned, exec_node **out, qv_error *err)
{
    *out = NULL;
    if (child->n_partitions != 1 || n_partition < 0 || n_order < 0 || n_pass < 0 ||
        n_pass + n_calls != schema->n_fields) {
        free_owned(owned, n_owned);
        exec_node_free(child);
        return base_error_set(err, QV_MISUSE, "WindowAggExec: bad arguments");
    }
    window_plan *plan = base_calloc(1, sizeof *plan);
    if (plan == NULL)
        free_owned(owned, n_owned);
    qv_status st = plan != NULL ? QV_OK : base_error_nomem(err, "window operator");
    if (st == QV_OK) {
        plan->owned = owned;
        plan->n_owned = n_owned;
        plan->n_pass = n_pass;
        plan->n_partition = n_partition;
        plan->n_order = n_order;
        plan->partition_columns = base_calloc((size_t)(n_partition + 1), sizeof(int32_t));
        plan->order = base_calloc((size_t)(n_order + 1), sizeof *plan->order);
        plan->calls = base_calloc((size_t)(n_calls + 1), sizeof *plan->calls);
        plan->states = base_calloc((size_t)(n_calls + 1), sizeof *plan->states);
        if (plan->partition_columns == NULL || plan->order == NULL || plan->calls == NULL ||
            plan->states == NULL)
            st = base_error_nomem(err, "window operator");
    }
    if (st == QV_OK) {
        if (n_partition > 0)
            memcpy(plan->partition_columns, partition_columns,
                   (size_t)n_partition * sizeof(int32_t));
        if (n_order > 0)
            memcpy(plan->order, order, (size_t)n_order * sizeof *order);
    }
    for (int32_t c = 0; c < n_calls && st == QV_OK; c++) {
        plan->n_calls = c + 1;
        st = copy_call(&plan->calls[c], &calls[c], err);
        if (st == QV_OK && calls[c].entry->kind == FUNC_WINDOW)
            st = create_state(&plan->calls[c], &plan->states[c], err);
    }
    if (st != QV_OK) {
        free_plan(plan);
        exec_node_free(child);
        return st;
    }
    st = exec_node_new(bounded ? &bounded_ops : &window_ops, schema, 1, 1, &child, plan, out, err);
    if (st != QV_OK)
        free_plan(plan);
    return st;
}
