/*
 * op_sort.c — SortExec (layer: exec): sorts every row of every child
 * partition into one output partition, with top-K for a fetch and external
 * sorting through spill files when the memory pool says no.
 *
 * On the first next() the child's partitions are drained concurrently into
 * per-partition buffers (exec_consume_partitions).
 *   Full sort: each batch is reserved ("SortExec[0]") under a lock before it
 *   is buffered. When the pool refuses, everything buffered (all
 *   partitions, in partition order) is concatenated, sorted and written as
 *   a run to a spill file, the memory is given back and the batch tried
 *   again; if it still does not fit, the pool's 53200 error is returned.
 *   At the end, without spills the buffered rows are concatenated and
 *   sorted once and handed out as takes of batch_size rows (slices where
 *   the order is already sequential); with spills the spilled runs and the
 *   rows still in memory (sorted the same way) are merged with a heap
 *   (sort_merge.c), after extra passes that merge SORT_FANIN spilled runs
 *   at a time into one while there are more. When the final in-memory copy
 *   cannot be reserved, those rows are spilled as one more run instead.
 *   Top-K (fetch >= 0): each partition keeps its own rows and, when it holds
 *   more than max(2 * fetch, batch_size), sorts them and keeps the first
 *   fetch; the partitions' survivors are sorted together at the end. Memory
 *   is O(fetch) per partition and never spills.
 * Concatenating in partition order and sorting stably makes the output
 * deterministic: equal rows keep partition order, then arrival order.
 * Transient copies made while sorting a buffer (the concatenation, the
 * permutation) and one batch per run while merging are not reserved.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "exec/sort_int.h"

#define SORT_FANIN 32

typedef struct sort_plan {
    int32_t n_keys;
    exec_sort_key *keys;
    int32_t *key_columns;
    int64_t fetch;
    func_row_comparator *cmp;
} sort_plan;

typedef struct sort_part {
    arrow_batch **batches;
    int64_t n, cap;
    int64_t rows, bytes;
} sort_part;

typedef struct sort_stream {
    exec_stream base;
    exec_node *node;
    exec_ctx *ctx;
    const sort_plan *plan;
    bool started;
    pthread_mutex_t lock;
    base_mem_reservation *reservation;
    int32_t n_parts;
    sort_part *parts;
    exec_spill_file **runs;
    int32_t n_runs, cap_runs;
    /* in-memory output */
    arrow_batch *sorted;
    uint32_t *order;
    int64_t n_out, pos;
    /* merged output */
    struct merge_source *sources;
    sort_merge *merge;
} sort_stream;

static void part_clear(sort_part *part)
{
    for (int64_t i = 0; i < part->n; i++)
        arrow_batch_release(part->batches[i]);
    part->n = part->rows = part->bytes = 0;
}

static qv_status part_append(sort_part *part, arrow_batch *batch, int64_t bytes, qv_error *err)
{
    if (part->n == part->cap) {
        int64_t cap = part->cap ? part->cap * 2 : 16;
        arrow_batch **grown = base_realloc(part->batches, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "sort buffer");
        part->batches = grown;
        part->cap = cap;
    }
    part->batches[part->n++] = arrow_batch_retain(batch);
    part->rows += batch->n_rows;
    part->bytes += bytes;
    return QV_OK;
}

/* ---- sorting buffered rows ---- */

/* Concatenates the batches of parts[0..n_parts) in order (they are emptied)
 * into *data and sorts it: *order (n rows of it, the first `limit` right). */
static qv_status sort_parts(const sort_plan *plan, arrow_schema *schema, sort_part *parts,
                            int32_t n_parts, int64_t limit, arrow_batch **data, uint32_t **order,
                            qv_error *err)
{
    *data = NULL;
    *order = NULL;
    int64_t n_batches = 0;
    for (int32_t p = 0; p < n_parts; p++)
        n_batches += parts[p].n;
    if (n_batches > INT32_MAX)
        return base_error_set(err, QV_LIMIT, "too many batches to sort at once");
    arrow_batch **all = base_alloc((size_t)(n_batches > 0 ? n_batches : 1) * sizeof *all);
    if (all == NULL)
        return base_error_nomem(err, "sort buffer");
    int64_t k = 0;
    for (int32_t p = 0; p < n_parts; p++) {
        for (int64_t i = 0; i < parts[p].n; i++)
            all[k++] = parts[p].batches[i];
    }
    qv_status st = func_concat_batches(schema, (int32_t)n_batches, all, data, err);
    base_free(all);
    if (st != QV_OK)
        return st;
    for (int32_t p = 0; p < n_parts; p++)
        part_clear(&parts[p]);
    int64_t rows = (*data)->n_rows;
    func_sort_key *keys = base_calloc((size_t)plan->n_keys, sizeof *keys);
    *order = base_alloc((size_t)(rows > 0 ? rows : 1) * sizeof **order);
    if (keys == NULL || *order == NULL) {
        st = base_error_nomem(err, "sort buffer");
    } else {
        for (int32_t i = 0; i < plan->n_keys; i++)
            keys[i] = (func_sort_key){(*data)->columns[plan->key_columns[i]],
                                      plan->keys[i].descending, plan->keys[i].nulls_first};
        st = func_sort_indices(plan->n_keys, keys, rows, limit, *order, err);
    }
    base_free(keys);
    if (st != QV_OK) {
        arrow_batch_release(*data);
        base_free(*order);
        *data = NULL;
        *order = NULL;
    }
    return st;
}

/* Rows order[pos..pos+n) of data: a slice when they are consecutive. */
static qv_status take_rows(arrow_batch *data, const uint32_t *order, int64_t n, arrow_batch **out,
                           qv_error *err)
{
    bool sequential = true;
    for (int64_t i = 1; i < n && sequential; i++)
        sequential = order[i] == order[0] + (uint32_t)i;
    if (sequential)
        return arrow_batch_slice(data, order[0], n, out, err);
    return func_take_batch(data, order, n, out, err);
}

static qv_status add_run(sort_stream *s, exec_spill_file *file, qv_error *err)
{
    if (s->n_runs == s->cap_runs) {
        int32_t cap = s->cap_runs ? s->cap_runs * 2 : 8;
        exec_spill_file **grown = base_realloc(s->runs, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "sort runs");
        s->runs = grown;
        s->cap_runs = cap;
    }
    s->runs[s->n_runs++] = file;
    atomic_fetch_add_explicit(&s->node->metrics.spill_count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->node->metrics.spilled_bytes, exec_spill_bytes(file),
                              memory_order_relaxed);
    return QV_OK;
}

/* Sorts everything buffered and writes it as a run; the reservation drops
 * to zero. Called with the lock held (or before any task runs). */
static qv_status spill_buffered(sort_stream *s, qv_error *err)
{
    int64_t rows = 0;
    for (int32_t p = 0; p < s->n_parts; p++)
        rows += s->parts[p].rows;
    if (rows == 0)
        return QV_OK;
    arrow_batch *data = NULL;
    uint32_t *order = NULL;
    exec_spill_file *file = NULL;
    qv_status st =
        sort_parts(s->plan, s->node->schema, s->parts, s->n_parts, -1, &data, &order, err);
    if (st == QV_OK)
        st = exec_spill_create(s->ctx->spill_dir, s->ctx->disk, s->node->schema, &file, err);
    for (int64_t pos = 0; st == QV_OK && pos < rows; pos += s->ctx->batch_size) {
        int64_t n = rows - pos < s->ctx->batch_size ? rows - pos : s->ctx->batch_size;
        arrow_batch *chunk = NULL;
        st = take_rows(data, order + pos, n, &chunk, err);
        if (st == QV_OK)
            st = exec_spill_write(file, chunk, err);
        arrow_batch_release(chunk);
    }
    if (st == QV_OK)
        st = exec_spill_finish(file, err);
    if (st == QV_OK && (st = add_run(s, file, err)) == QV_OK)
        file = NULL;
    exec_spill_free(file);
    arrow_batch_release(data);
    base_free(order);
    base_mem_reservation_shrink(s->reservation, base_mem_reservation_size(s->reservation));
    return st;
}

/* ---- consuming the input ---- */

static qv_status consume_full(sort_stream *s, int32_t partition, arrow_batch *batch, qv_error *err)
{
    int64_t bytes = arrow_batch_memory_bytes(batch);
    pthread_mutex_lock(&s->lock);
    qv_status st = base_mem_reservation_try_grow(s->reservation, bytes, err);
    if (st == QV_RESOURCES_EXHAUSTED) {
        st = spill_buffered(s, err);
        if (st == QV_OK)
            st = base_mem_reservation_try_grow(s->reservation, bytes, err);
    }
    if (st == QV_OK) {
        exec_metrics_note_memory(&s->node->metrics, base_mem_reservation_size(s->reservation));
        st = part_append(&s->parts[partition], batch, bytes, err);
        if (st != QV_OK)
            base_mem_reservation_shrink(s->reservation, bytes);
    }
    pthread_mutex_unlock(&s->lock);
    return st;
}

static void reserve_delta(sort_stream *s, int64_t delta)
{
    pthread_mutex_lock(&s->lock);
    if (delta > 0)
        base_mem_reservation_grow(s->reservation, delta);
    else
        base_mem_reservation_shrink(s->reservation, -delta);
    pthread_mutex_unlock(&s->lock);
}

/* Keeps the first fetch rows of a partition (sorted). */
static qv_status topk_compact(sort_stream *s, sort_part *part, qv_error *err)
{
    if (part->n <= 1 && part->rows <= s->plan->fetch)
        return QV_OK;
    int64_t old_bytes = part->bytes;
    arrow_batch *data = NULL, *kept = NULL;
    uint32_t *order = NULL;
    qv_status st =
        sort_parts(s->plan, s->node->schema, part, 1, s->plan->fetch, &data, &order, err);
    if (st == QV_OK) {
        int64_t n = data->n_rows < s->plan->fetch ? data->n_rows : s->plan->fetch;
        st = func_take_batch(data, order, n, &kept, err);
    }
    if (st == QV_OK)
        st = part_append(part, kept, arrow_batch_memory_bytes(kept), err);
    arrow_batch_release(kept);
    arrow_batch_release(data);
    base_free(order);
    reserve_delta(s, part->bytes - old_bytes);
    return st;
}

static qv_status consume_topk(sort_stream *s, int32_t partition, arrow_batch *batch, qv_error *err)
{
    if (s->plan->fetch == 0)
        return QV_OK;
    sort_part *part = &s->parts[partition];
    int64_t bytes = arrow_batch_memory_bytes(batch);
    pthread_mutex_lock(&s->lock);
    qv_status st = base_mem_reservation_try_grow(s->reservation, bytes, err);
    pthread_mutex_unlock(&s->lock);
    if (st == QV_RESOURCES_EXHAUSTED) {
        st = topk_compact(s, part, err);
        if (st == QV_OK) {
            pthread_mutex_lock(&s->lock);
            st = base_mem_reservation_try_grow(s->reservation, bytes, err);
            pthread_mutex_unlock(&s->lock);
        }
    }
    if (st != QV_OK)
        return st;
    pthread_mutex_lock(&s->lock);
    exec_metrics_note_memory(&s->node->metrics, base_mem_reservation_size(s->reservation));
    pthread_mutex_unlock(&s->lock);
    st = part_append(part, batch, bytes, err);
    if (st != QV_OK) {
        reserve_delta(s, -bytes);
        return st;
    }
    int64_t threshold = 2 * s->plan->fetch;
    if (threshold < s->ctx->batch_size)
        threshold = s->ctx->batch_size;
    if (part->rows > threshold)
        st = topk_compact(s, part, err);
    return st;
}

static qv_status consume(void *user, int32_t partition, arrow_batch *batch, qv_error *err)
{
    sort_stream *s = user;
    if (batch->n_rows == 0)
        return QV_OK;
    return s->plan->fetch >= 0 ? consume_topk(s, partition, batch, err)
                               : consume_full(s, partition, batch, err);
}

/* ---- producing the output ---- */

static qv_status pull_spill(void *source, arrow_batch **out, qv_error *err)
{
    return exec_spill_read(source, out, err);
}

/* Merges runs [first, first+n) into one new run at position first. */
static qv_status merge_runs_to_file(sort_stream *s, int32_t first, int32_t n, qv_error *err)
{
    sort_merge *merge = NULL;
    exec_spill_file *file = NULL;
    qv_status st = sort_merge_new(
        s->node->schema, s->plan->cmp, s->plan->n_keys, s->plan->key_columns, n, pull_spill,
        (void *const *)(s->runs + first), s->ctx->batch_size, -1, &merge, err);
    if (st == QV_OK)
        st = exec_spill_create(s->ctx->spill_dir, s->ctx->disk, s->node->schema, &file, err);
    while (st == QV_OK) {
        arrow_batch *batch = NULL;
        st = sort_merge_next(merge, &batch, err);
        if (st != QV_OK || batch == NULL)
            break;
        st = exec_spill_write(file, batch, err);
        arrow_batch_release(batch);
    }
    sort_merge_free(merge);
    if (st == QV_OK)
        st = exec_spill_finish(file, err);
    if (st != QV_OK) {
        exec_spill_free(file);
        return st;
    }
    for (int32_t r = first; r < first + n; r++)
        exec_spill_free(s->runs[r]);
    s->runs[first] = file;
    for (int32_t r = first + n; r < s->n_runs; r++)
        s->runs[r - n + 1] = s->runs[r];
    s->n_runs -= n - 1;
    atomic_fetch_add_explicit(&s->node->metrics.spill_count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->node->metrics.spilled_bytes, exec_spill_bytes(file),
                              memory_order_relaxed);
    return QV_OK;
}

/* Rows of the in-memory sorted data, batch_size at a time, as a merge
 * source. */
static qv_status pull_memory(sort_stream *s, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    if (s->sorted == NULL || s->pos >= s->n_out)
        return QV_OK;
    int64_t n = s->n_out - s->pos < s->ctx->batch_size ? s->n_out - s->pos : s->ctx->batch_size;
    QV_TRY(take_rows(s->sorted, s->order + s->pos, n, out, err));
    s->pos += n;
    return QV_OK;
}

/* A merge source: a spilled run, or (file NULL) the in-memory data. */
typedef struct merge_source {
    exec_spill_file *file;
    sort_stream *memory;
} merge_source;

static qv_status pull_source(void *source, arrow_batch **out, qv_error *err)
{
    merge_source *src = source;
    return src->file != NULL ? exec_spill_read(src->file, out, err)
                             : pull_memory(src->memory, out, err);
}

/* Sorts what is buffered into s->sorted / s->order, reserving the copy. */
static qv_status sort_in_memory(sort_stream *s, qv_error *err)
{
    QV_TRY(sort_parts(s->plan, s->node->schema, s->parts, s->n_parts, s->plan->fetch, &s->sorted,
                      &s->order, err));
    s->n_out = s->sorted->n_rows;
    if (s->plan->fetch >= 0 && s->plan->fetch < s->n_out)
        s->n_out = s->plan->fetch;
    /* The concatenation replaced the buffered batches. */
    int64_t held =
        arrow_batch_memory_bytes(s->sorted) + s->sorted->n_rows * (int64_t)sizeof *s->order;
    int64_t size = base_mem_reservation_size(s->reservation);
    if (held < size)
        base_mem_reservation_shrink(s->reservation, size - held);
    else
        base_mem_reservation_grow(s->reservation, held - size);
    exec_metrics_note_memory(&s->node->metrics, base_mem_reservation_size(s->reservation));
    return QV_OK;
}

static qv_status finish_input(sort_stream *s, qv_error *err)
{
    int64_t rows = 0, bytes = 0, n_batches = 0;
    for (int32_t p = 0; p < s->n_parts; p++) {
        rows += s->parts[p].rows;
        bytes += s->parts[p].bytes;
        n_batches += s->parts[p].n;
    }
    if (s->plan->fetch < 0 && n_batches > 1) {
        /* Concatenating copies the buffer: reserve the copy, or spill instead. */
        qv_status st = base_mem_reservation_try_grow(s->reservation, bytes, err);
        if (st == QV_RESOURCES_EXHAUSTED) {
            QV_TRY(spill_buffered(s, err));
            rows = 0;
        } else if (st != QV_OK) {
            return st;
        } else {
            exec_metrics_note_memory(&s->node->metrics, base_mem_reservation_size(s->reservation));
        }
    }
    if (s->n_runs == 0 || rows > 0)
        QV_TRY(sort_in_memory(s, err));
    if (s->n_runs == 0)
        return QV_OK;
    /* Spilled runs first, then the newest rows held in memory: equal rows
     * come out in arrival order. */
    bool in_memory = s->sorted != NULL && s->n_out > 0;
    while (s->n_runs + in_memory > SORT_FANIN) {
        for (int32_t first = 0; first < s->n_runs; first++) {
            int32_t n = s->n_runs - first < SORT_FANIN ? s->n_runs - first : SORT_FANIN;
            if (n > 1)
                QV_TRY(merge_runs_to_file(s, first, n, err));
        }
    }
    int32_t n_sources = s->n_runs + in_memory;
    s->sources = base_calloc((size_t)n_sources, sizeof *s->sources);
    void **pointers = base_calloc((size_t)n_sources, sizeof *pointers);
    qv_status st = QV_OK;
    if (s->sources == NULL || pointers == NULL)
        st = base_error_nomem(err, "sort merge");
    for (int32_t r = 0; r < n_sources && st == QV_OK; r++) {
        s->sources[r] = (merge_source){r < s->n_runs ? s->runs[r] : NULL, s};
        pointers[r] = &s->sources[r];
    }
    if (st == QV_OK)
        st = sort_merge_new(s->node->schema, s->plan->cmp, s->plan->n_keys, s->plan->key_columns,
                            n_sources, pull_source, pointers, s->ctx->batch_size, s->plan->fetch,
                            &s->merge, err);
    base_free(pointers);
    return st;
}

static qv_status sort_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    sort_stream *s = (sort_stream *)stream;
    *out = NULL;
    if (!s->started) {
        s->started = true;
        QV_TRY(exec_consume_partitions(s->node->children[0], s->ctx, consume, s, err));
        QV_TRY(finish_input(s, err));
    }
    if (s->merge != NULL)
        return sort_merge_next(s->merge, out, err);
    if (s->sorted == NULL || s->pos >= s->n_out) {
        /* Done: give the memory back before the stream is freed. */
        arrow_batch_release(s->sorted);
        s->sorted = NULL;
        base_free(s->order);
        s->order = NULL;
        base_mem_reservation_shrink(s->reservation, base_mem_reservation_size(s->reservation));
        return QV_OK;
    }
    return pull_memory(s, out, err);
}

static void sort_stream_free(exec_stream *stream)
{
    sort_stream *s = (sort_stream *)stream;
    sort_merge_free(s->merge);
    base_free(s->sources);
    for (int32_t r = 0; r < s->n_runs; r++)
        exec_spill_free(s->runs[r]);
    base_free(s->runs);
    for (int32_t p = 0; p < s->n_parts; p++) {
        part_clear(&s->parts[p]);
        base_free(s->parts[p].batches);
    }
    base_free(s->parts);
    arrow_batch_release(s->sorted);
    base_free(s->order);
    base_mem_reservation_free(s->reservation);
    pthread_mutex_destroy(&s->lock);
    base_free(s);
}

static qv_status sort_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                           qv_error *err)
{
    (void)partition;
    *out = NULL;
    sort_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "sort stream");
    s->n_parts = node->children[0]->n_partitions;
    s->parts = base_calloc((size_t)s->n_parts, sizeof *s->parts);
    if (s->parts == NULL) {
        base_free(s);
        return base_error_nomem(err, "sort stream");
    }
    qv_status st = base_mem_reservation_new(ctx->mem_pool, "SortExec[0]", &s->reservation, err);
    if (st != QV_OK) {
        base_free(s->parts);
        base_free(s);
        return st;
    }
    pthread_mutex_init(&s->lock, NULL);
    s->base.next = sort_next;
    s->base.free = sort_stream_free;
    s->node = node;
    s->ctx = ctx;
    s->plan = node->state;
    *out = &s->base;
    return QV_OK;
}

static void sort_describe(const exec_node *node, base_strbuf *sb)
{
    const sort_plan *plan = node->state;
    const arrow_schema *schema = node->children[0]->schema;
    base_strbuf_append_str(sb, "expr=[");
    for (int32_t k = 0; k < plan->n_keys; k++) {
        const exec_sort_key *key = &plan->keys[k];
        base_strbuf_appendf(sb, "%s%s@%d %s", k > 0 ? ", " : "", schema->fields[key->column]->name,
                            key->column,
                            key->descending ? (key->nulls_first ? "DESC" : "DESC NULLS LAST")
                                            : (key->nulls_first ? "ASC" : "ASC NULLS LAST"));
    }
    base_strbuf_append_char(sb, ']');
    if (plan->fetch >= 0)
        base_strbuf_appendf(sb, ", fetch=%lld", (long long)plan->fetch);
}

static void plan_free(sort_plan *plan)
{
    if (plan == NULL)
        return;
    func_row_comparator_free(plan->cmp);
    base_free(plan->keys);
    base_free(plan->key_columns);
    base_free(plan);
}

static void sort_free_state(exec_node *node)
{
    plan_free(node->state);
    node->state = NULL;
}

static const exec_node_ops sort_ops = {"SortExec", sort_open, sort_describe, sort_free_state};

qv_status exec_sort_new(exec_node *child, int32_t n_keys, const exec_sort_key *keys, int64_t fetch,
                        exec_node **out, qv_error *err)
{
    *out = NULL;
    if (child == NULL)
        return base_error_set(err, QV_MISUSE, "SortExec needs an input");
    qv_status st = QV_OK;
    if (n_keys < 1 || keys == NULL)
        st = base_error_set(err, QV_INVALID, "SortExec needs at least one sort key");
    for (int32_t k = 0; k < n_keys && st == QV_OK; k++) {
        if (keys[k].column < 0 || keys[k].column >= child->schema->n_fields)
            st = base_error_set(err, QV_INVALID, "SortExec key %d refers to column %d of %d", k,
                                keys[k].column, child->schema->n_fields);
    }
    sort_plan *plan = NULL;
    arrow_type **types = NULL;
    bool *flags = NULL;
    if (st == QV_OK) {
        plan = base_calloc(1, sizeof *plan);
        types = base_calloc((size_t)n_keys, sizeof *types);
        flags = base_calloc((size_t)n_keys * 2, sizeof *flags);
        if (plan != NULL) {
            plan->keys = base_calloc((size_t)n_keys, sizeof *plan->keys);
            plan->key_columns = base_calloc((size_t)n_keys, sizeof *plan->key_columns);
        }
        if (plan == NULL || types == NULL || flags == NULL || plan->keys == NULL ||
            plan->key_columns == NULL)
            st = base_error_nomem(err, "SortExec");
    }
    if (st == QV_OK) {
        plan->n_keys = n_keys;
        plan->fetch = fetch < 0 ? -1 : fetch;
        for (int32_t k = 0; k < n_keys; k++) {
            plan->keys[k] = keys[k];
            plan->key_columns[k] = keys[k].column;
            types[k] = child->schema->fields[keys[k].column]->type;
            flags[k] = keys[k].descending;
            flags[n_keys + k] = keys[k].nulls_first;
        }
        st = func_row_comparator_new(n_keys, types, flags, flags + n_keys, &plan->cmp, err);
    }
    base_free(types);
    base_free(flags);
    if (st != QV_OK) {
        plan_free(plan);
        exec_node_free(child);
        return st;
    }
    st = exec_node_new(&sort_ops, child->schema, 1, 1, &child, plan, out, err);
    if (st != QV_OK)
        plan_free(plan);
    return st;
}
