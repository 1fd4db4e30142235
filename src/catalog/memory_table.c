/*
 * memory_table.c — the in-memory table provider (layer: catalog). The data
 * is an immutable, refcounted generation (a list of batches); scans retain
 * the generation current when they open, and every change (insert, delete,
 * update) builds a new generation and swaps it in under the table's mutex.
 * Scans split the batches round-robin into partitions and slice them to
 * the batch size.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <string.h>

#include "catalog/catalog.h"

typedef struct generation {
    _Atomic int32_t refcount;
    int64_t n_batches;
    arrow_batch **batches; /* owned references */
} generation;

typedef struct memory_table {
    catalog_table base;
    pthread_mutex_t mutex;
    generation *current;
    char **defaults; /* n_defaults DEFAULT SQL texts (owned; NULL: none), or NULL */
    int32_t n_defaults;
} memory_table;

static void generation_release(generation *gen)
{
    if (gen == NULL || atomic_fetch_sub_explicit(&gen->refcount, 1, memory_order_acq_rel) != 1)
        return;
    for (int64_t i = 0; i < gen->n_batches; i++)
        arrow_batch_release(gen->batches[i]);
    base_free(gen->batches);
    base_free(gen);
}

/* A new generation holding n batches (retained); empty batches are dropped. */
static qv_status generation_new(arrow_batch *const *batches, int64_t n, generation **out,
                                qv_error *err)
{
    generation *gen = base_calloc(1, sizeof *gen);
    arrow_batch **list = base_calloc((size_t)(n > 0 ? n : 1), sizeof *list);
    if (gen == NULL || list == NULL) {
        base_free(gen);
        base_free(list);
        return base_error_nomem(err, "memory table");
    }
    atomic_init(&gen->refcount, 1);
    gen->batches = list;
    for (int64_t i = 0; i < n; i++)
        if (batches[i]->n_rows > 0)
            list[gen->n_batches++] = arrow_batch_retain(batches[i]);
    *out = gen;
    return QV_OK;
}

static generation *snapshot(memory_table *mt)
{
    pthread_mutex_lock(&mt->mutex);
    generation *gen = mt->current;
    atomic_fetch_add_explicit(&gen->refcount, 1, memory_order_relaxed);
    pthread_mutex_unlock(&mt->mutex);
    return gen;
}

/* Installs next if the current generation is still expected (else the
 * table changed meanwhile: QV_OK with *swapped false). */
static bool swap_generation(memory_table *mt, generation *expected, generation *next)
{
    pthread_mutex_lock(&mt->mutex);
    bool ok = mt->current == expected;
    if (ok)
        mt->current = next;
    pthread_mutex_unlock(&mt->mutex);
    if (ok)
        generation_release(expected);
    return ok;
}

/* ---- scans ---- */

typedef struct memory_scan {
    catalog_scan base;
    generation *gen;
    int32_t *projection; /* NULL: all columns */
    int32_t n_projection;
    int64_t limit;
    int64_t batch_size;
} memory_scan;

typedef struct memory_stream {
    catalog_stream base;
    memory_scan *scan;
    int32_t partition;
    int64_t next_batch; /* index into gen->batches (partition, partition + n...) */
    int64_t row;        /* next row within that batch */
    int64_t emitted;
} memory_stream;

static qv_status stream_next(catalog_stream *stream, arrow_batch **out, qv_error *err)
{
    memory_stream *ms = (memory_stream *)stream;
    memory_scan *scan = ms->scan;
    *out = NULL;
    if (scan->limit >= 0 && ms->emitted >= scan->limit)
        return QV_OK;
    if (ms->next_batch >= scan->gen->n_batches)
        return QV_OK;
    arrow_batch *batch = scan->gen->batches[ms->next_batch];
    int64_t take = batch->n_rows - ms->row;
    if (take > scan->batch_size)
        take = scan->batch_size;
    if (scan->limit >= 0 && take > scan->limit - ms->emitted)
        take = scan->limit - ms->emitted;
    arrow_array **cols = NULL;
    qv_status st = QV_OK;
    int32_t n_cols = scan->projection ? scan->n_projection : batch->schema->n_fields;
    if (n_cols > 0) {
        cols = base_calloc((size_t)n_cols, sizeof *cols);
        if (cols == NULL)
            return base_error_nomem(err, "memory table scan");
    }
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++) {
        int32_t src = scan->projection ? scan->projection[c] : c;
        st = arrow_array_slice(batch->columns[src], ms->row, take, &cols[c], err);
    }
    if (st == QV_OK)
        st = arrow_batch_new(scan->base.schema, take, cols, out, err);
    for (int32_t c = 0; c < n_cols; c++)
        arrow_array_release(cols[c]);
    base_free(cols);
    if (st != QV_OK)
        return st;
    ms->emitted += take;
    ms->row += take;
    if (ms->row >= batch->n_rows) {
        ms->row = 0;
        ms->next_batch += scan->base.n_partitions;
    }
    return QV_OK;
}

static void stream_free(catalog_stream *stream)
{
    base_free(stream);
}

static qv_status scan_open(catalog_scan *base, int32_t partition, catalog_stream **out,
                           qv_error *err)
{
    *out = NULL;
    memory_stream *ms = base_calloc(1, sizeof *ms);
    if (ms == NULL)
        return base_error_nomem(err, "memory table scan");
    ms->base.next = stream_next;
    ms->base.free = stream_free;
    ms->scan = (memory_scan *)base;
    ms->partition = partition;
    ms->next_batch = partition;
    *out = &ms->base;
    return QV_OK;
}

static void scan_free(catalog_scan *base)
{
    memory_scan *scan = (memory_scan *)base;
    generation_release(scan->gen);
    arrow_schema_release(scan->base.schema);
    base_free(scan->projection);
    base_free(scan);
}

static qv_status table_scan(catalog_table *table, const catalog_scan_args *args, catalog_scan **out,
                            qv_error *err)
{
    memory_table *mt = (memory_table *)table;
    *out = NULL;
    memory_scan *scan = base_calloc(1, sizeof *scan);
    if (scan == NULL)
        return base_error_nomem(err, "memory table scan");
    qv_status st = catalog_projected_schema(table->schema, args->projection, args->n_projection,
                                            &scan->base.schema, err);
    if (st == QV_OK && args->projection != NULL) {
        scan->projection =
            base_calloc((size_t)(args->n_projection > 0 ? args->n_projection : 1), sizeof(int32_t));
        if (scan->projection == NULL)
            st = base_error_nomem(err, "memory table scan");
        else if (args->n_projection > 0)
            memcpy(scan->projection, args->projection,
                   (size_t)args->n_projection * sizeof(int32_t));
        scan->n_projection = args->n_projection;
    }
    if (st != QV_OK) {
        arrow_schema_release(scan->base.schema);
        base_free(scan->projection);
        base_free(scan);
        return st;
    }
    scan->gen = snapshot(mt);
    scan->limit = args->limit;
    scan->batch_size = args->batch_size > 0 ? args->batch_size : 8192;
    int64_t parts = args->target_partitions > 0 ? args->target_partitions : 1;
    if (parts > scan->gen->n_batches)
        parts = scan->gen->n_batches > 0 ? scan->gen->n_batches : 1;
    scan->base.n_partitions = (int32_t)parts;
    scan->base.open = scan_open;
    scan->base.free = scan_free;
    *out = &scan->base;
    return QV_OK;
}

static void table_statistics(catalog_table *table, catalog_stats *out)
{
    memory_table *mt = (memory_table *)table;
    generation *gen = snapshot(mt);
    out->n_rows = 0;
    out->n_rows_exact = true;
    out->total_bytes = -1;
    for (int64_t i = 0; i < gen->n_batches; i++)
        out->n_rows += gen->batches[i]->n_rows;
    generation_release(gen);
}

/* ---- changes ---- */

static qv_status table_insert(catalog_table *table, const catalog_identity *identity,
                              arrow_batch *const *batches, int64_t n_batches, bool overwrite,
                              qv_error *err)
{
    (void)identity;
    memory_table *mt = (memory_table *)table;
    for (;;) {
        generation *old = snapshot(mt);
        int64_t n_old = overwrite ? 0 : old->n_batches;
        arrow_batch **all = base_calloc((size_t)(n_old + n_batches + 1), sizeof *all);
        if (all == NULL) {
            generation_release(old);
            return base_error_nomem(err, "memory table insert");
        }
        for (int64_t i = 0; i < n_old; i++)
            all[i] = old->batches[i];
        for (int64_t i = 0; i < n_batches; i++)
            all[n_old + i] = batches[i];
        generation *next = NULL;
        qv_status st = generation_new(all, n_old + n_batches, &next, err);
        base_free(all);
        if (st != QV_OK) {
            generation_release(old);
            return st;
        }
        bool swapped = swap_generation(mt, old, next);
        generation_release(old);
        if (swapped)
            return QV_OK;
        generation_release(next); /* the table changed meanwhile: redo */
    }
}

/* Without updated: the rows of batch that mask does not select (DELETE).
 * With updated: every row, taken from updated where mask selects it
 * (UPDATE). *n_selected: rows the mask selects. */
static qv_status merge_rows(arrow_batch *batch, arrow_batch *updated, const arrow_array *mask,
                            arrow_batch **out, int64_t *n_selected, qv_error *err)
{
    int32_t n_cols = batch->schema->n_fields;
    arrow_array **cols = base_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *cols);
    if (cols == NULL)
        return base_error_nomem(err, "memory table change");
    int64_t selected = 0;
    for (int64_t r = 0; r < batch->n_rows; r++) {
        const uint8_t *bits = arrow_array_values(mask);
        bool sel = arrow_array_is_valid(mask, r) && arrow_bit_get(bits, mask->offset + r);
        selected += sel;
    }
    qv_status st = QV_OK;
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++) {
        arrow_builder *b = NULL;
        st = arrow_builder_new(batch->schema->fields[c]->type, &b, err);
        for (int64_t r = 0; r < batch->n_rows && st == QV_OK; r++) {
            const uint8_t *bits = arrow_array_values(mask);
            bool sel = arrow_array_is_valid(mask, r) && arrow_bit_get(bits, mask->offset + r);
            if (updated != NULL)
                st = arrow_builder_append_from(b, sel ? updated->columns[c] : batch->columns[c], r,
                                               err);
            else if (!sel)
                st = arrow_builder_append_from(b, batch->columns[c], r, err);
        }
        if (st == QV_OK)
            st = arrow_builder_finish(b, &cols[c], err);
        arrow_builder_free(b);
    }
    if (st == QV_OK)
        st = arrow_batch_new(batch->schema, updated ? batch->n_rows : batch->n_rows - selected,
                             cols, out, err);
    for (int32_t c = 0; c < n_cols; c++)
        arrow_array_release(cols[c]);
    base_free(cols);
    *n_selected = selected;
    return st;
}

static qv_status rewrite(memory_table *mt, const catalog_row_filter *filter,
                         const catalog_row_updater *updater, int64_t *count, qv_error *err)
{
    *count = 0;
    for (;;) {
        generation *old = snapshot(mt);
        arrow_batch **rows = base_calloc((size_t)(old->n_batches + 1), sizeof *rows);
        if (rows == NULL) {
            generation_release(old);
            return base_error_nomem(err, "memory table change");
        }
        int64_t total = 0, n_rows_out = 0;
        qv_status st = QV_OK;
        for (int64_t i = 0; i < old->n_batches && st == QV_OK; i++) {
            arrow_batch *batch = old->batches[i];
            arrow_array *mask = NULL;
            arrow_batch *updated = NULL;
            if (filter != NULL) {
                st = filter->evaluate(filter, batch, &mask, err);
            } else {
                arrow_builder *b = NULL;
                st = arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, err);
                for (int64_t r = 0; r < batch->n_rows && st == QV_OK; r++)
                    st = arrow_builder_append_bool(b, true, err);
                if (st == QV_OK)
                    st = arrow_builder_finish(b, &mask, err);
                arrow_builder_free(b);
            }
            if (st == QV_OK && updater != NULL)
                st = updater->apply(updater, batch, &updated, err);
            int64_t selected = 0;
            if (st == QV_OK)
                st = merge_rows(batch, updated, mask, &rows[n_rows_out], &selected, err);
            if (st == QV_OK)
                n_rows_out++;
            total += selected;
            arrow_array_release(mask);
            arrow_batch_release(updated);
        }
        generation *next = NULL;
        if (st == QV_OK)
            st = generation_new(rows, n_rows_out, &next, err);
        for (int64_t i = 0; i < n_rows_out; i++)
            arrow_batch_release(rows[i]);
        base_free(rows);
        if (st != QV_OK) {
            generation_release(old);
            return st;
        }
        bool swapped = swap_generation(mt, old, next);
        generation_release(old);
        if (swapped) {
            *count = total;
            return QV_OK;
        }
        generation_release(next);
    }
}

static qv_status table_delete(catalog_table *table, const catalog_identity *identity,
                              const catalog_row_filter *filter, int64_t *count, qv_error *err)
{
    (void)identity;
    return rewrite((memory_table *)table, filter, NULL, count, err);
}

static qv_status table_update(catalog_table *table, const catalog_identity *identity,
                              const catalog_row_filter *filter, const catalog_row_updater *updater,
                              int64_t *count, qv_error *err)
{
    (void)identity;
    return rewrite((memory_table *)table, filter, updater, count, err);
}

static const char *table_column_default(catalog_table *table, int32_t column)
{
    memory_table *mt = (memory_table *)table;
    return mt->defaults != NULL && column >= 0 && column < mt->n_defaults ? mt->defaults[column]
                                                                          : NULL;
}

static void free_defaults(char **defaults, int32_t n)
{
    for (int32_t i = 0; defaults != NULL && i < n; i++)
        base_free(defaults[i]);
    base_free(defaults);
}

static void table_free(catalog_table *table)
{
    memory_table *mt = (memory_table *)table;
    free_defaults(mt->defaults, mt->n_defaults);
    generation_release(mt->current);
    pthread_mutex_destroy(&mt->mutex);
    base_free(mt);
}

static const catalog_table_ops memory_table_ops = {
    .kind = "memory",
    .supports_filter = NULL,
    .scan = table_scan,
    .statistics = table_statistics,
    .insert = table_insert,
    .delete_rows = table_delete,
    .update_rows = table_update,
    .column_default = table_column_default,
    .free = table_free,
};

qv_status catalog_memory_table_new(arrow_schema *schema, arrow_batch *const *batches,
                                   int64_t n_batches, catalog_table **out, qv_error *err)
{
    *out = NULL;
    memory_table *mt = base_calloc(1, sizeof *mt);
    if (mt == NULL)
        return base_error_nomem(err, "memory table");
    qv_status st = generation_new(batches, n_batches, &mt->current, err);
    if (st != QV_OK) {
        base_free(mt);
        return st;
    }
    pthread_mutex_init(&mt->mutex, NULL);
    catalog_table_init(&mt->base, &memory_table_ops, schema);
    *out = &mt->base;
    return QV_OK;
}

qv_status catalog_memory_table_set_defaults(catalog_table *table, char *const *defaults,
                                            qv_error *err)
{
    if (table == NULL || table->ops != &memory_table_ops)
        return base_error_set(err, QV_MISUSE, "column defaults need a memory table");
    memory_table *mt = (memory_table *)table;
    int32_t n = table->schema->n_fields;
    char **copy = base_calloc((size_t)(n > 0 ? n : 1), sizeof *copy);
    if (copy == NULL)
        return base_error_nomem(err, "column defaults");
    for (int32_t i = 0; i < n; i++)
        if (defaults[i] != NULL && (copy[i] = base_strdup(defaults[i])) == NULL) {
            free_defaults(copy, n);
            return base_error_nomem(err, "column defaults");
        }
    free_defaults(mt->defaults, mt->n_defaults);
    mt->defaults = copy;
    mt->n_defaults = n;
    return QV_OK;
}
