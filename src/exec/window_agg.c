/*
 * window_agg.c — aggregate functions over window frames (layer: exec).
 * The accumulators of agg.h run over each row's frame, by the cheapest
 * route the frames allow:
 *   - every frame its whole partition (no ORDER BY, or UNBOUNDED on both
 *     sides): one pass with the partition as the group, then a take;
 *   - min / max over frames whose ends only move forward: a monotonic
 *     deque of candidate rows, then a take;
 *   - otherwise per partition with one state, row after row: a frame equal
 *     to the previous row's reuses its value; a frame that moves forward
 *     adds the rows that enter and retracts those that leave when the
 *     aggregate can retract (else it is rebuilt unless its start stays);
 *     EXCLUDE rebuilds each frame from its ranges.
 * DISTINCT feeds a row only while no equal value is in the frame (counts
 * per distinct value); FILTER and IGNORE NULLS leave rows out.
 */
#include <string.h>

#include "exec/window_int.h"
#include "func/select.h"

typedef struct agg_run {
    const window_call *call;
    const window_chunk *chunk;
    const func_datum *args;
    func_agg_call fcall;
    uint8_t *selected;  /* per row: the row counts (FILTER, IGNORE NULLS); NULL: all */
    uint32_t *zeros;    /* group ids of a one-group state */
    uint32_t *value_id; /* DISTINCT: the distinct value of each row */
    int64_t *in_frame;  /* DISTINCT: rows of each value in the current frame */
    uint8_t *feed;      /* DISTINCT: scratch mask of rows to feed */
    arrow_array *empty; /* the value of an empty frame (length 1) */
} agg_run;

/* ---- states ---- */

static qv_status state_new(agg_run *r, func_agg_state **out, qv_error *err)
{
    return r->call->entry->impl.aggregate->create(&r->fcall, out, err);
}

static void state_free(func_agg_state *s)
{
    if (s != NULL)
        s->ops->free(s);
}

/* Adds (or retracts) rows [a, b) where mask (chunk rows, NULL: all) says
 * so, into group 0 of s. */
static qv_status feed_rows(agg_run *r, func_agg_state *s, int64_t a, int64_t b, const uint8_t *mask,
                           bool retract, qv_error *err)
{
    if (b <= a)
        return QV_OK;
    int32_t n = r->call->n_args;
    func_datum slices[16];
    if (n > 16)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: window aggregates of more than 16 "
                              "arguments");
    qv_status st = QV_OK;
    int32_t made = 0;
    for (; made < n && st == QV_OK; made++) {
        const func_datum *d = &r->args[made];
        slices[made] = (func_datum){NULL, d->is_scalar};
        if (d->is_scalar)
            slices[made].array = arrow_array_retain(d->array);
        else
            st = arrow_array_slice(d->array, a, b - a, &slices[made].array, err);
    }
    if (st == QV_OK) {
        const uint8_t *rows = mask != NULL ? mask + a : NULL;
        st = retract ? s->ops->retract(s, slices, r->zeros, rows, b - a, 1, err)
                     : s->ops->update(s, slices, r->zeros, rows, b - a, 1, err);
    }
    for (int32_t i = 0; i < made; i++)
        func_datum_release(&slices[i]);
    return st;
}

/* DISTINCT: the rows of [a, b) whose value enters (adding) or leaves
 * (retracting) the frame, fed as such. */
static qv_status feed_distinct(agg_run *r, func_agg_state *s, int64_t a, int64_t b, bool retract,
                               qv_error *err)
{
    bool any = false;
    for (int64_t j = a; j < b; j++) {
        r->feed[j] = 0;
        if (r->selected != NULL && !r->selected[j])
            continue;
        int64_t *count = &r->in_frame[r->value_id[j]];
        if (retract ? --*count == 0 : (*count)++ == 0)
            r->feed[j] = any = 1;
    }
    return any ? feed_rows(r, s, a, b, r->feed, retract, err) : QV_OK;
}

static qv_status add_rows(agg_run *r, func_agg_state *s, int64_t a, int64_t b, bool retract,
                          qv_error *err)
{
    if (r->call->distinct)
        return feed_distinct(r, s, a, b, retract, err);
    return feed_rows(r, s, a, b, r->selected, retract, err);
}

/* ---- whole partitions ---- */

static bool whole_partitions(const window_chunk *c, const int64_t *start, const int64_t *end,
                             plan_frame_exclude exclude)
{
    if (exclude != PLAN_EXCLUDE_NO_OTHERS)
        return false;
    for (int64_t p = 0; p < c->n_partitions; p++)
        for (int64_t i = c->partition_offsets[p]; i < c->partition_offsets[p + 1]; i++)
            if (start[i] != c->partition_offsets[p] || end[i] != c->partition_offsets[p + 1])
                return false;
    return true;
}

static qv_status by_partition(agg_run *r, arrow_array **out, qv_error *err)
{
    const window_chunk *c = r->chunk;
    int64_t n = c->n_rows;
    uint32_t *group = base_alloc((size_t)n * sizeof *group);
    uint8_t *mask = NULL;
    if (group == NULL)
        return base_error_nomem(err, "window aggregate");
    for (int64_t p = 0; p < c->n_partitions; p++)
        for (int64_t i = c->partition_offsets[p]; i < c->partition_offsets[p + 1]; i++)
            group[i] = (uint32_t)p;
    qv_status st = QV_OK;
    const uint8_t *rows = r->selected;
    if (r->call->distinct) {
        /* A value counts once per partition: its first row there. */
        mask = base_calloc((size_t)n, 1);
        if (mask == NULL)
            st = base_error_nomem(err, "window aggregate");
        for (int64_t p = 0; st == QV_OK && p < c->n_partitions; p++) {
            for (int64_t i = c->partition_offsets[p]; i < c->partition_offsets[p + 1]; i++)
                if ((r->selected == NULL || r->selected[i]) && r->in_frame[r->value_id[i]]++ == 0)
                    mask[i] = 1;
            for (int64_t i = c->partition_offsets[p]; i < c->partition_offsets[p + 1]; i++)
                r->in_frame[r->value_id[i]] = 0;
        }
        rows = mask;
    }
    func_agg_state *s = NULL;
    arrow_array *values = NULL;
    if (st == QV_OK)
        st = state_new(r, &s, err);
    if (st == QV_OK)
        st = s->ops->update(s, r->args, group, rows, n, c->n_partitions, err);
    if (st == QV_OK)
        st = s->ops->evaluate(s, c->n_partitions, &values, err);
    if (st == QV_OK)
        st = func_take(values, group, n, out, err);
    arrow_array_release(values);
    state_free(s);
    base_free(mask);
    base_free(group);
    return st;
}

/* ---- min / max ---- */

static bool forward_frames(const window_chunk *c, const int64_t *start, const int64_t *end)
{
    for (int64_t p = 0; p < c->n_partitions; p++)
        for (int64_t i = c->partition_offsets[p] + 1; i < c->partition_offsets[p + 1]; i++)
            if (start[i] < start[i - 1] || end[i] < end[i - 1])
                return false;
    return true;
}

static qv_status min_max(agg_run *r, bool is_max, const int64_t *start, const int64_t *end,
                         arrow_array **out, qv_error *err)
{
    const window_chunk *c = r->chunk;
    int64_t n = c->n_rows;
    arrow_array *values = NULL;
    QV_TRY(func_datum_to_array(&r->args[0], n, &values, err));
    bool desc = false, nulls_first = false;
    func_row_comparator *cmp = NULL;
    uint32_t *picks = base_alloc((size_t)n * sizeof *picks);
    int64_t *deque = base_alloc((size_t)n * sizeof *deque);
    qv_status st = picks != NULL && deque != NULL
                       ? func_row_comparator_new(1, &values->type, &desc, &nulls_first, &cmp, err)
                       : base_error_nomem(err, "window min / max");
    for (int64_t p = 0; st == QV_OK && p < c->n_partitions; p++) {
        int64_t head = 0, tail = 0, next = c->partition_offsets[p];
        for (int64_t i = c->partition_offsets[p]; i < c->partition_offsets[p + 1]; i++) {
            for (; next < end[i]; next++) {
                if ((r->selected != NULL && !r->selected[next]) ||
                    !arrow_array_is_valid(values, next))
                    continue;
                /* Drop candidates the new row beats: they can never win again. */
                while (tail > head) {
                    int d = func_row_compare(cmp, &values, deque[tail - 1], &values, next);
                    if (is_max ? d >= 0 : d <= 0)
                        break;
                    tail--;
                }
                deque[tail++] = next;
            }
            while (tail > head && deque[head] < start[i])
                head++;
            picks[i] = tail > head ? (uint32_t)deque[head] : UINT32_MAX;
        }
    }
    if (st == QV_OK)
        st = func_take(values, picks, n, out, err);
    func_row_comparator_free(cmp);
    base_free(picks);
    base_free(deque);
    arrow_array_release(values);
    return st;
}

/* ---- row after row ---- */

static qv_status append_value(arrow_builder *b, const arrow_array *value, qv_error *err)
{
    return arrow_builder_append_from(b, value, 0, err);
}

/* Rebuilds s from nothing over the ranges of row i's frame. */
static qv_status rebuild(agg_run *r, func_agg_state **s, const int64_t *starts, const int64_t *ends,
                         int count, qv_error *err)
{
    state_free(*s);
    *s = NULL;
    QV_TRY(state_new(r, s, err));
    for (int k = 0; k < count; k++)
        QV_TRY(add_rows(r, *s, starts[k], ends[k], false, err));
    return QV_OK;
}

/* DISTINCT: forgets the values of rows [a, b) (their frame is gone). */
static void clear_distinct(agg_run *r, int64_t a, int64_t b)
{
    for (int64_t j = a; r->call->distinct && j < b; j++)
        r->in_frame[r->value_id[j]] = 0;
}

static qv_status row_by_row(agg_run *r, const int64_t *start, const int64_t *end, arrow_array **out,
                            qv_error *err)
{
    const window_chunk *c = r->chunk;
    func_window_rows rows = {.n_rows = c->n_rows,
                             .peer_start = c->peer_start,
                             .peer_end = c->peer_end,
                             .frame_start = start,
                             .frame_end = end,
                             .exclude = (func_window_exclude)r->call->frame.exclude};
    bool can_retract = false;
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(r->call->return_type, &b, err));
    qv_status st = QV_OK;
    for (int64_t p = 0; st == QV_OK && p < c->n_partitions; p++) {
        int64_t ps = c->partition_offsets[p], pe = c->partition_offsets[p + 1];
        func_agg_state *s = NULL;
        arrow_array *last = NULL;
        int64_t cur_s = ps, cur_e = ps; /* the rows s holds (no EXCLUDE) */
        for (int64_t i = ps; st == QV_OK && i < pe; i++) {
            int64_t starts[3], ends[3];
            int count = func_window_frame_ranges(&rows, i, starts, ends);
            if (count == 0) {
                st = append_value(b, r->empty, err);
                continue;
            }
            bool plain = r->call->frame.exclude == PLAN_EXCLUDE_NO_OTHERS;
            if (plain && last != NULL && start[i] == cur_s && end[i] == cur_e) {
                st = append_value(b, last, err);
                continue;
            }
            if (!plain) {
                /* EXCLUDE: each frame from nothing (its DISTINCT counts
                 * cleared again after). */
                st = rebuild(r, &s, starts, ends, count, err);
                for (int k = 0; k < count; k++)
                    clear_distinct(r, starts[k], ends[k]);
            } else if (s != NULL && start[i] >= cur_s && end[i] >= cur_e && start[i] <= cur_e &&
                       (start[i] == cur_s || can_retract)) {
                st = add_rows(r, s, cur_e, end[i], false, err);
                if (st == QV_OK)
                    st = add_rows(r, s, cur_s, start[i], true, err);
                cur_s = start[i];
                cur_e = end[i];
            } else {
                clear_distinct(r, cur_s, cur_e);
                st = rebuild(r, &s, &start[i], &end[i], 1, err);
                cur_s = start[i];
                cur_e = end[i];
                can_retract = s != NULL && s->ops->retract != NULL;
            }
            arrow_array_release(last);
            last = NULL;
            if (st == QV_OK)
                st = s->ops->evaluate(s, 1, &last, err);
            if (st == QV_OK)
                st = append_value(b, last, err);
        }
        clear_distinct(r, cur_s, cur_e);
        arrow_array_release(last);
        state_free(s);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

/* ---- setup ---- */

/* Which rows count: FILTER true, and with IGNORE NULLS a non-null first
 * argument. NULL when all do. */
static qv_status selected_rows(agg_run *r, qv_error *err)
{
    const window_call *call = r->call;
    int64_t n = r->chunk->n_rows;
    if (call->filter_column < 0 && !(call->ignore_nulls && call->n_args > 0))
        return QV_OK;
    r->selected = base_alloc((size_t)n);
    if (r->selected == NULL)
        return base_error_nomem(err, "window aggregate");
    arrow_array *filter =
        call->filter_column >= 0 ? r->chunk->batch->columns[call->filter_column] : NULL;
    const uint8_t *bits = filter != NULL ? arrow_array_values(filter) : NULL;
    for (int64_t i = 0; i < n; i++) {
        bool keep = true;
        if (filter != NULL)
            keep = filter->type->id == QV_TYPE_BOOLEAN && arrow_array_is_valid(filter, i) &&
                   arrow_bit_get(bits, filter->offset + i);
        if (keep && call->ignore_nulls && call->n_args > 0)
            keep = func_datum_is_valid(&r->args[0], r->args[0].is_scalar ? 0 : i);
        r->selected[i] = keep;
    }
    return QV_OK;
}

/* DISTINCT: every row's distinct value (the arguments interned). */
static qv_status distinct_values(agg_run *r, qv_error *err)
{
    int64_t n = r->chunk->n_rows;
    int32_t k = r->call->n_args;
    arrow_array **keys = base_calloc((size_t)(k > 0 ? k : 1), sizeof *keys);
    r->value_id = base_alloc((size_t)n * sizeof *r->value_id);
    r->in_frame = base_calloc((size_t)n, sizeof *r->in_frame);
    r->feed = base_alloc((size_t)n);
    if (keys == NULL || r->value_id == NULL || r->in_frame == NULL || r->feed == NULL) {
        base_free(keys);
        return base_error_nomem(err, "window aggregate");
    }
    exec_group_table *table = NULL;
    qv_status st = QV_OK;
    for (int32_t i = 0; i < k && st == QV_OK; i++)
        st = func_datum_to_array(&r->args[i], n, &keys[i], err);
    if (st == QV_OK)
        st = exec_group_table_new(k, r->call->arg_types, &table, err);
    if (st == QV_OK)
        st = exec_group_table_intern(table, keys, n, r->value_id, err);
    exec_group_table_free(table);
    for (int32_t i = 0; i < k; i++)
        arrow_array_release(keys[i]);
    base_free(keys);
    return st;
}

static bool is_named(const window_call *call, const char *name)
{
    return strcmp(call->entry->name, name) == 0;
}

qv_status window_aggregate(const window_call *call, const window_chunk *chunk,
                           const func_datum *args, const int64_t *start, const int64_t *end,
                           arrow_array **out, qv_error *err)
{
    *out = NULL;
    agg_run r = {.call = call, .chunk = chunk, .args = args};
    r.fcall = (func_agg_call){.entry = call->entry,
                              .n_args = call->n_args,
                              .arg_types = call->arg_types,
                              .literals = call->literals,
                              .return_type = call->return_type,
                              .distinct = call->distinct};
    int64_t n = chunk->n_rows;
    qv_status st = QV_OK;
    r.zeros = base_calloc((size_t)(n > 0 ? n : 1), sizeof *r.zeros);
    if (r.zeros == NULL)
        st = base_error_nomem(err, "window aggregate");
    if (st == QV_OK)
        st = selected_rows(&r, err);
    if (st == QV_OK && call->distinct)
        st = distinct_values(&r, err);
    func_agg_state *empty = NULL;
    if (st == QV_OK)
        st = state_new(&r, &empty, err);
    if (st == QV_OK)
        st = empty->ops->evaluate(empty, 1, &r.empty, err);
    state_free(empty);
    if (st == QV_OK) {
        bool minmax = (is_named(call, "min") || is_named(call, "max")) && call->n_args == 1 &&
                      arrow_type_equal(call->arg_types[0], call->return_type);
        if (whole_partitions(chunk, start, end, call->frame.exclude))
            st = by_partition(&r, out, err);
        else if (minmax && call->frame.exclude == PLAN_EXCLUDE_NO_OTHERS &&
                 forward_frames(chunk, start, end))
            st = min_max(&r, is_named(call, "max"), start, end, out, err);
        else
            st = row_by_row(&r, start, end, out, err);
    }
    arrow_array_release(r.empty);
    base_free(r.zeros);
    base_free(r.selected);
    base_free(r.value_id);
    base_free(r.in_frame);
    base_free(r.feed);
    return st;
}
