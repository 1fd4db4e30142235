/*
 * aggregate_part.c — one aggregation state of the hash aggregate (layer:
 * exec): a group table over the keys (plus the grouping id with grouping
 * sets) and one accumulator per call. Consumes input batches (grouping
 * sets, FILTER, DISTINCT), merges another part's partial states, and
 * evaluates; its memory is held under a pool reservation that grows after
 * every batch, so a full pool stops the query with 53200.
 */
#include <string.h>

#include "exec/aggregate_int.h"

/* Rows of a partial state merged per round (bounds the scratch). */
#define MERGE_CHUNK 65536

struct agg_part {
    const agg_plan *plan;
    exec_group_table *table;
    func_agg_state **states;     /* n_aggs; NULL once evaluated */
    exec_group_table **distinct; /* n_aggs; non-NULL for DISTINCT calls */
    uint8_t **distinct_seen;     /* per DISTINCT call: one byte per distinct group */
    int64_t *distinct_seen_cap;
    base_mem_reservation *reservation;

    /* Scratch for one batch. */
    int64_t scratch_rows;
    uint32_t *ids;      /* group of each row */
    uint32_t *dids;     /* distinct-table group of each row */
    uint8_t *selected;  /* FILTER rows */
    uint8_t *first;     /* DISTINCT first occurrences */
    arrow_array **keys; /* n_table_keys borrowed / owned pointers */
    arrow_array **dkeys;
    func_datum *args;
};

static int32_t max_args(const agg_plan *plan)
{
    int32_t n = 0;
    for (int32_t a = 0; a < plan->n_aggs; a++)
        n = plan->aggs[a].call.n_args > n ? plan->aggs[a].call.n_args : n;
    return n;
}

qv_status agg_part_new(const agg_plan *plan, base_mem_pool *pool, const char *consumer,
                       agg_part **out, qv_error *err)
{
    *out = NULL;
    agg_part *part = base_calloc(1, sizeof *part);
    if (part == NULL)
        return base_error_nomem(err, "aggregate state");
    part->plan = plan;
    int32_t n_aggs = plan->n_aggs, n_args = max_args(plan);
    size_t n_agg_slots = (size_t)(n_aggs > 0 ? n_aggs : 1);
    part->states = base_calloc(n_agg_slots, sizeof *part->states);
    part->distinct = base_calloc(n_agg_slots, sizeof *part->distinct);
    part->distinct_seen = base_calloc(n_agg_slots, sizeof *part->distinct_seen);
    part->distinct_seen_cap = base_calloc(n_agg_slots, sizeof *part->distinct_seen_cap);
    part->keys = base_calloc((size_t)plan->n_table_keys + 1, sizeof *part->keys);
    part->dkeys = base_calloc((size_t)n_args + 1, sizeof *part->dkeys);
    part->args = base_calloc((size_t)n_args + 1, sizeof *part->args);
    qv_status st = QV_OK;
    if (part->states == NULL || part->distinct == NULL || part->distinct_seen == NULL ||
        part->distinct_seen_cap == NULL || part->keys == NULL || part->dkeys == NULL ||
        part->args == NULL)
        st = base_error_nomem(err, "aggregate state");
    if (st == QV_OK)
        st = base_mem_reservation_new(pool, consumer, &part->reservation, err);
    if (st == QV_OK)
        st = exec_group_table_new(plan->n_table_keys, plan->table_types, &part->table, err);
    for (int32_t a = 0; a < n_aggs && st == QV_OK; a++) {
        const agg_call_plan *c = &plan->aggs[a];
        st = c->call.entry->impl.aggregate->create(&c->call, &part->states[a], err);
        if (st == QV_OK && c->call.distinct) {
            /* Keyed by (group id, column arguments): literals are the same on every row. */
            arrow_type **dtypes = base_calloc((size_t)c->call.n_args + 1, sizeof *dtypes);
            if (dtypes == NULL) {
                st = base_error_nomem(err, "aggregate state");
                break;
            }
            int32_t n = 0;
            dtypes[n++] = arrow_type_primitive(QV_TYPE_UINT32);
            for (int32_t i = 0; i < c->call.n_args; i++)
                if (c->arg_columns[i] >= 0)
                    dtypes[n++] = c->arg_types[i];
            st = exec_group_table_new(n, dtypes, &part->distinct[a], err);
            base_free(dtypes);
        }
    }
    if (st != QV_OK) {
        agg_part_free(part);
        return st;
    }
    *out = part;
    return QV_OK;
}

void agg_part_free(agg_part *part)
{
    if (part == NULL)
        return;
    const agg_plan *plan = part->plan;
    for (int32_t a = 0; a < plan->n_aggs; a++) {
        if (part->states != NULL && part->states[a] != NULL)
            part->states[a]->ops->free(part->states[a]);
        if (part->distinct != NULL)
            exec_group_table_free(part->distinct[a]);
        if (part->distinct_seen != NULL)
            base_free(part->distinct_seen[a]);
    }
    base_free(part->states);
    base_free(part->distinct);
    base_free(part->distinct_seen);
    base_free(part->distinct_seen_cap);
    exec_group_table_free(part->table);
    base_mem_reservation_free(part->reservation);
    base_free(part->ids);
    base_free(part->dids);
    base_free(part->selected);
    base_free(part->first);
    base_free(part->keys);
    base_free(part->dkeys);
    base_free(part->args);
    base_free(part);
}

int64_t agg_part_groups(const agg_part *part)
{
    return exec_group_table_count(part->table);
}

int64_t agg_part_reserved(const agg_part *part)
{
    return base_mem_reservation_size(part->reservation);
}

/* Grows (or shrinks) the reservation to what the part holds now. */
static qv_status account(agg_part *part, qv_error *err)
{
    const agg_plan *plan = part->plan;
    int64_t bytes = (int64_t)sizeof *part + exec_group_table_memory_bytes(part->table);
    bytes += part->scratch_rows * (4 + 4 + 1 + 1);
    for (int32_t a = 0; a < plan->n_aggs; a++) {
        if (part->states[a] != NULL)
            bytes += part->states[a]->ops->memory_bytes(part->states[a]);
        if (part->distinct[a] != NULL)
            bytes += exec_group_table_memory_bytes(part->distinct[a]) + part->distinct_seen_cap[a];
    }
    return base_mem_reservation_resize(part->reservation, bytes, err);
}

static qv_status ensure_scratch(agg_part *part, int64_t n_rows, qv_error *err)
{
    if (n_rows <= part->scratch_rows)
        return QV_OK;
    int64_t rows = part->scratch_rows < 1024 ? 1024 : part->scratch_rows;
    while (rows < n_rows)
        rows *= 2;
    uint32_t *ids = base_realloc(part->ids, (size_t)rows * 4);
    if (ids == NULL)
        return base_error_nomem(err, "aggregate scratch");
    part->ids = ids;
    uint32_t *dids = base_realloc(part->dids, (size_t)rows * 4);
    if (dids == NULL)
        return base_error_nomem(err, "aggregate scratch");
    part->dids = dids;
    uint8_t *selected = base_realloc(part->selected, (size_t)rows);
    if (selected == NULL)
        return base_error_nomem(err, "aggregate scratch");
    part->selected = selected;
    uint8_t *first = base_realloc(part->first, (size_t)rows);
    if (first == NULL)
        return base_error_nomem(err, "aggregate scratch");
    part->first = first;
    part->scratch_rows = rows;
    return QV_OK;
}

/* A UInt32 array of n copies of value, or of values[0..n) when values is set. */
static qv_status u32_array(uint32_t value, const uint32_t *values, int64_t n, arrow_array **out,
                           qv_error *err)
{
    *out = NULL;
    arrow_buffer *buf = NULL;
    QV_TRY(arrow_buffer_new(n * 4, &buf, err));
    uint32_t *data = (uint32_t *)buf->data;
    if (values != NULL)
        memcpy(data, values, (size_t)n * 4);
    else
        for (int64_t i = 0; i < n; i++)
            data[i] = value;
    arrow_buffer *bufs[2] = {NULL, buf};
    qv_status st = arrow_array_new(arrow_type_primitive(QV_TYPE_UINT32), n, 0, 0, 2, bufs, 0, NULL,
                                   NULL, out, err);
    arrow_buffer_release(buf);
    return st;
}

/* rows_selected for a FILTER column: valid and true. */
static void filter_rows(const arrow_array *mask, int64_t n, uint8_t *selected)
{
    const uint8_t *values = arrow_array_values(mask);
    const uint8_t *validity = mask->buffers[0] ? mask->buffers[0]->data : NULL;
    for (int64_t i = 0; i < n; i++) {
        int64_t j = mask->offset + i;
        bool v = arrow_bit_get(values, j);
        if (validity != NULL)
            v = v && arrow_bit_get(validity, j);
        selected[i] = v;
    }
}

/* Narrows *selected to the first occurrence of each (group, arguments) of
 * DISTINCT call a; the rows that pass are in part->first. */
static qv_status distinct_rows(agg_part *part, int32_t a, arrow_batch *batch,
                               const uint8_t **selected, qv_error *err)
{
    const agg_call_plan *c = &part->plan->aggs[a];
    exec_group_table *dt = part->distinct[a];
    int64_t n = batch->n_rows;
    arrow_array *gid = NULL;
    QV_TRY(u32_array(0, part->ids, n, &gid, err));
    int32_t nk = 0;
    part->dkeys[nk++] = gid;
    for (int32_t i = 0; i < c->call.n_args; i++)
        if (c->arg_columns[i] >= 0)
            part->dkeys[nk++] = batch->columns[c->arg_columns[i]];
    qv_status st = exec_group_table_intern(dt, part->dkeys, n, part->dids, err);
    arrow_array_release(gid);
    QV_TRY(st);
    int64_t count = exec_group_table_count(dt);
    if (count > part->distinct_seen_cap[a]) {
        int64_t cap = part->distinct_seen_cap[a] < 1024 ? 1024 : part->distinct_seen_cap[a];
        while (cap < count)
            cap *= 2;
        uint8_t *seen = base_realloc(part->distinct_seen[a], (size_t)cap);
        if (seen == NULL)
            return base_error_nomem(err, "distinct aggregate");
        memset(seen + part->distinct_seen_cap[a], 0, (size_t)(cap - part->distinct_seen_cap[a]));
        part->distinct_seen[a] = seen;
        part->distinct_seen_cap[a] = cap;
    }
    /* Seen is set only by rows that pass the filter, so a pair first met on
     * a filtered-out row still counts when a selected row brings it. */
    uint8_t *seen = part->distinct_seen[a];
    const uint8_t *sel = *selected;
    for (int64_t r = 0; r < n; r++) {
        uint32_t d = part->dids[r];
        uint8_t pass = (sel == NULL || sel[r]) && !seen[d];
        seen[d] |= pass;
        part->first[r] = pass;
    }
    *selected = part->first;
    return QV_OK;
}

static qv_status update_calls(agg_part *part, arrow_batch *batch, qv_error *err)
{
    const agg_plan *plan = part->plan;
    int64_t n = batch->n_rows;
    int64_t n_groups = exec_group_table_count(part->table);
    for (int32_t a = 0; a < plan->n_aggs; a++) {
        const agg_call_plan *c = &plan->aggs[a];
        for (int32_t i = 0; i < c->call.n_args; i++) {
            if (c->arg_columns[i] >= 0)
                part->args[i] = (func_datum){batch->columns[c->arg_columns[i]], false};
            else
                part->args[i] = (func_datum){c->literals[i], true};
        }
        const uint8_t *selected = NULL;
        if (c->filter_column >= 0) {
            filter_rows(batch->columns[c->filter_column], n, part->selected);
            selected = part->selected;
        }
        if (part->distinct[a] != NULL)
            QV_TRY(distinct_rows(part, a, batch, &selected, err));
        func_agg_state *state = part->states[a];
        QV_TRY(state->ops->update(state, part->args, part->ids, selected, n, n_groups, err));
    }
    return QV_OK;
}

qv_status agg_part_consume(agg_part *part, arrow_batch *batch, qv_error *err)
{
    const agg_plan *plan = part->plan;
    int64_t n = batch->n_rows;
    if (n == 0)
        return QV_OK;
    QV_TRY(ensure_scratch(part, n, err));
    int32_t n_rounds = plan->n_sets > 0 ? plan->n_sets : 1;
    for (int32_t s = 0; s < n_rounds; s++) {
        arrow_array *gid = NULL;
        for (int32_t k = 0; k < plan->n_keys; k++) {
            bool in_set = plan->n_sets == 0 || ((plan->sets[s] >> k) & 1u);
            part->keys[k] = in_set ? batch->columns[plan->key_columns[k]] : NULL;
        }
        if (plan->n_sets > 0) {
            QV_TRY(u32_array(plan->set_ids[s], NULL, n, &gid, err));
            part->keys[plan->n_keys] = gid;
        }
        qv_status st = exec_group_table_intern(part->table, part->keys, n, part->ids, err);
        arrow_array_release(gid);
        QV_TRY(st);
        QV_TRY(update_calls(part, batch, err));
    }
    return account(part, err);
}

qv_status agg_part_add_empty_groups(agg_part *part, qv_error *err)
{
    const agg_plan *plan = part->plan;
    uint32_t id;
    for (int32_t k = 0; k < plan->n_keys; k++)
        part->keys[k] = NULL;
    if (plan->n_sets == 0) {
        if (plan->n_keys == 0)
            QV_TRY(exec_group_table_intern(part->table, part->keys, 1, &id, err));
        return account(part, err);
    }
    uint32_t all_keys = plan->n_keys >= 32 ? UINT32_MAX : (1u << plan->n_keys) - 1;
    for (int32_t s = 0; s < plan->n_sets; s++) {
        if ((plan->sets[s] & all_keys) != 0)
            continue;
        arrow_array *gid = NULL;
        QV_TRY(u32_array(plan->set_ids[s], NULL, 1, &gid, err));
        part->keys[plan->n_keys] = gid;
        qv_status st = exec_group_table_intern(part->table, part->keys, 1, &id, err);
        arrow_array_release(gid);
        QV_TRY(st);
    }
    return account(part, err);
}

static void release_arrays(arrow_array **arrays, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        arrow_array_release(arrays[i]);
        arrays[i] = NULL;
    }
}

/* Emits src's state for call a and frees it (*out: n_state_fields arrays). */
static qv_status take_state(agg_part *src, int32_t a, int64_t n_groups, arrow_array **out,
                            qv_error *err)
{
    func_agg_state *state = src->states[a];
    qv_status st = state->ops->emit_state(state, n_groups, out, err);
    state->ops->free(state);
    src->states[a] = NULL;
    return st;
}

qv_status agg_part_merge(agg_part *part, agg_part *src, const _Atomic bool *cancelled,
                         qv_error *err)
{
    const agg_plan *plan = part->plan;
    int64_t n = exec_group_table_count(src->table);
    int32_t n_fields = 0;
    for (int32_t a = 0; a < plan->n_aggs; a++)
        n_fields += plan->aggs[a].n_state_fields;
    /* states[] holds every call's state columns, then their slices. */
    arrow_array **states =
        base_calloc((size_t)n_fields * 2 + (size_t)plan->n_table_keys + 1, sizeof *states);
    if (states == NULL)
        return base_error_nomem(err, "aggregate merge");
    arrow_array **slices = states + n_fields, **keys = slices + n_fields;
    qv_status st = ensure_scratch(part, n < MERGE_CHUNK ? n : MERGE_CHUNK, err);
    for (int32_t a = 0, f = 0; a < plan->n_aggs && st == QV_OK; a++) {
        st = take_state(src, a, n, states + f, err);
        f += plan->aggs[a].n_state_fields;
    }
    for (int64_t start = 0; start < n && st == QV_OK; start += MERGE_CHUNK) {
        if (cancelled != NULL && atomic_load_explicit(cancelled, memory_order_relaxed)) {
            st = base_error_set(err, QV_CANCELLED, "Query was cancelled");
            break;
        }
        int64_t count = n - start < MERGE_CHUNK ? n - start : MERGE_CHUNK;
        st = exec_group_table_emit(src->table, start, count, keys, err);
        if (st == QV_OK)
            st = exec_group_table_intern(part->table, keys, count, part->ids, err);
        release_arrays(keys, plan->n_table_keys);
        int64_t n_groups = exec_group_table_count(part->table);
        for (int32_t a = 0, f = 0; a < plan->n_aggs && st == QV_OK; a++) {
            int32_t nf = plan->aggs[a].n_state_fields;
            for (int32_t i = 0; i < nf && st == QV_OK; i++)
                st = arrow_array_slice(states[f + i], start, count, &slices[f + i], err);
            if (st == QV_OK) {
                func_agg_state *state = part->states[a];
                st = state->ops->merge(state, slices + f, part->ids, count, n_groups, err);
            }
            release_arrays(slices + f, nf);
            f += nf;
        }
        if (st == QV_OK)
            st = account(part, err);
    }
    release_arrays(states, n_fields);
    base_free(states);
    return st;
}

qv_status agg_part_evaluate(agg_part *part, arrow_array **values_out, qv_error *err)
{
    const agg_plan *plan = part->plan;
    int64_t n_groups = exec_group_table_count(part->table);
    for (int32_t a = 0; a < plan->n_aggs; a++)
        values_out[a] = NULL;
    qv_status st = QV_OK;
    for (int32_t a = 0; a < plan->n_aggs && st == QV_OK; a++) {
        func_agg_state *state = part->states[a];
        st = state->ops->evaluate(state, n_groups, &values_out[a], err);
        if (st == QV_OK && (values_out[a]->length != n_groups ||
                            !arrow_type_equal(values_out[a]->type, plan->aggs[a].return_type)))
            st = base_error_set(err, QV_ERROR,
                                "aggregate %s returned %lld values of another type than its "
                                "return type (expected %lld)",
                                plan->aggs[a].name, (long long)values_out[a]->length,
                                (long long)n_groups);
    }
    if (st != QV_OK) {
        release_arrays(values_out, plan->n_aggs);
        return st;
    }
    for (int32_t a = 0; a < plan->n_aggs; a++) {
        part->states[a]->ops->free(part->states[a]);
        part->states[a] = NULL;
    }
    return account(part, err);
}

qv_status agg_part_emit_keys(const agg_part *part, int64_t start, int64_t count,
                             arrow_array **keys_out, qv_error *err)
{
    return exec_group_table_emit(part->table, start, count, keys_out, err);
}
