/*
 * join_block.c — the output side shared by the join operators (layer:
 * exec): from candidate pairs of a left and a right block of rows to the
 * rows each join type produces (filter, matched flags, NULL-extended and
 * semi / anti / mark rows), and the queue that hands output out in
 * batches of ctx->batch_size rows.
 */
#include <string.h>

#include "exec/join_int.h"
#include "func/select.h"

qv_status join_take(arrow_array *array, const uint32_t *indices, int64_t n, arrow_array **out,
                    qv_error *err)
{
    bool consecutive = n > 0 && indices[0] != UINT32_MAX;
    for (int64_t i = 1; i < n && consecutive; i++)
        consecutive = indices[i] == indices[0] + (uint32_t)i;
    if (consecutive)
        return arrow_array_slice(array, indices[0], n, out, err);
    return func_take(array, indices, n, out, err);
}

/* ---- the output queue ---- */

qv_status join_queue_push(join_queue *queue, arrow_batch *batch, qv_error *err)
{
    if (batch->n_rows == 0) {
        arrow_batch_release(batch);
        return QV_OK;
    }
    if (queue->head > 0 && queue->head + queue->n == queue->cap) {
        memmove(queue->items, queue->items + queue->head, (size_t)queue->n * sizeof *queue->items);
        queue->head = 0;
    }
    if (queue->n == queue->cap) {
        int32_t cap = queue->cap == 0 ? 4 : queue->cap * 2;
        arrow_batch **items = base_realloc(queue->items, (size_t)cap * sizeof *items);
        if (items == NULL) {
            arrow_batch_release(batch);
            return base_error_nomem(err, "join output");
        }
        queue->items = items;
        queue->cap = cap;
    }
    queue->items[queue->head + queue->n++] = batch;
    return QV_OK;
}

qv_status join_queue_pop(join_queue *queue, int64_t max_rows, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    if (queue->n == 0)
        return QV_OK;
    arrow_batch *first = queue->items[queue->head];
    int64_t left = first->n_rows - queue->pos;
    if (queue->pos == 0 && left <= max_rows) {
        *out = first;
    } else {
        int64_t take = left < max_rows ? left : max_rows;
        QV_TRY(arrow_batch_slice(first, queue->pos, take, out, err));
        queue->pos += take;
        if (queue->pos < first->n_rows)
            return QV_OK;
        arrow_batch_release(first);
    }
    queue->pos = 0;
    queue->head++;
    queue->n--;
    if (queue->n == 0)
        queue->head = 0;
    return QV_OK;
}

void join_queue_clear(join_queue *queue)
{
    for (int32_t i = 0; i < queue->n; i++)
        arrow_batch_release(queue->items[queue->head + i]);
    base_free(queue->items);
    memset(queue, 0, sizeof *queue);
}

/* ---- output rows ---- */

static qv_status bool_array(const uint8_t *values, int64_t n, arrow_array **out, qv_error *err)
{
    arrow_buffer *bits = NULL;
    QV_TRY(arrow_buffer_new((n + 7) / 8, &bits, err));
    for (int64_t i = 0; i < n; i++)
        if (values[i])
            arrow_bit_set(bits->data, i, true);
    arrow_buffer *buffers[2] = {NULL, bits};
    qv_status st = arrow_array_new(arrow_type_primitive(QV_TYPE_BOOLEAN), n, 0, 0, 2, buffers, 0,
                                   NULL, NULL, out, err);
    arrow_buffer_release(bits);
    return st;
}

/* The columns of one side at rows (NULL: all NULL) into cols[0..n_fields). */
static qv_status side_columns(arrow_batch *side, const arrow_schema *schema, int32_t first_field,
                              int32_t n_fields, const uint32_t *rows, int64_t n, arrow_array **cols,
                              qv_error *err)
{
    for (int32_t c = 0; c < n_fields; c++) {
        if (rows != NULL)
            QV_TRY(join_take(side->columns[c], rows, n, &cols[c], err));
        else
            QV_TRY(arrow_array_new_null(schema->fields[first_field + c]->type, n, &cols[c], err));
    }
    return QV_OK;
}

/* Queues n output rows: left columns at l, right columns at r (NULL: all
 * NULL; which sides appear depends on the type), then the mark. */
static qv_status output_rows(join_block *b, const uint32_t *l, const uint32_t *r,
                             const uint8_t *mark, int64_t n, qv_error *err)
{
    if (n == 0)
        return QV_OK;
    plan_join_type type = b->plan->type;
    int32_t n_out = b->schema->n_fields;
    arrow_array **cols = base_calloc((size_t)n_out + 1, sizeof *cols);
    if (cols == NULL)
        return base_error_nomem(err, "join output");
    int32_t n_left, n_right;
    if (join_emits_pairs(type)) {
        n_left = b->left->schema->n_fields;
        n_right = n_out - n_left;
    } else if (type == PLAN_JOIN_RIGHT_SEMI || type == PLAN_JOIN_RIGHT_ANTI) {
        n_left = 0;
        n_right = n_out;
    } else {
        n_left = n_out - (type == PLAN_JOIN_LEFT_MARK ? 1 : 0);
        n_right = 0;
    }
    qv_status st = QV_OK;
    if (n_left > 0)
        st = side_columns(b->left, b->schema, 0, n_left, l, n, cols, err);
    if (st == QV_OK && n_right > 0)
        st = side_columns(b->right, b->schema, n_left, n_right, r, n, cols + n_left, err);
    if (st == QV_OK && type == PLAN_JOIN_LEFT_MARK)
        st = bool_array(mark, n, &cols[n_out - 1], err);
    arrow_batch *batch = NULL;
    if (st == QV_OK)
        st = arrow_batch_new(b->schema, n, cols, &batch, err);
    for (int32_t c = 0; c < n_out; c++)
        arrow_array_release(cols[c]);
    base_free(cols);
    if (st == QV_OK)
        st = join_queue_push(b->queue, batch, err);
    return st;
}

/* ---- pairs ---- */

/* RIGHT / FULL: the pairs, and the unmatched rows among [from, to) with
 * NULL left columns, in right row order. */
static qv_status pairs_in_right_order(join_block *b, const uint32_t *l, const uint32_t *r,
                                      int64_t n, int64_t from, int64_t to, qv_error *err)
{
    int64_t cap = n + (to - from);
    uint32_t *out_l = base_alloc((size_t)(cap + 1) * sizeof *out_l);
    uint32_t *out_r = base_alloc((size_t)(cap + 1) * sizeof *out_r);
    if (out_l == NULL || out_r == NULL) {
        base_free(out_l);
        base_free(out_r);
        return base_error_nomem(err, "join output");
    }
    int64_t k = 0, i = 0, row = from;
    while (i < n || row < to) {
        if (row < to && (i == n || row < r[i])) {
            if (!b->right_matched[row]) {
                out_l[k] = UINT32_MAX;
                out_r[k++] = (uint32_t)row;
            }
            row++;
            continue;
        }
        if (row < to && row == r[i])
            row++; /* matched: its pairs follow */
        for (uint32_t current = r[i]; i < n && r[i] == current; i++) {
            out_l[k] = l[i];
            out_r[k++] = r[i];
        }
    }
    qv_status st = output_rows(b, out_l, out_r, NULL, k, err);
    base_free(out_l);
    base_free(out_r);
    return st;
}

qv_status join_block_pairs(join_block *b, uint32_t *l, uint32_t *r, int64_t n, int64_t done_from,
                           int64_t done_to, qv_error *err)
{
    plan_join_type type = b->plan->type;
    if (b->plan->filter != NULL && n > 0)
        QV_TRY(join_filter_pairs(b->plan->filter, b->left, b->right, l, r, &n, b->call, err));
    if (b->left_matched != NULL)
        for (int64_t i = 0; i < n; i++)
            atomic_store_explicit(&b->left_matched[l[i]], 1, memory_order_relaxed);
    if (b->right_matched != NULL)
        for (int64_t i = 0; i < n; i++)
            b->right_matched[r[i]] = 1;
    if ((type == PLAN_JOIN_RIGHT || type == PLAN_JOIN_FULL) && done_to > done_from)
        return pairs_in_right_order(b, l, r, n, done_from, done_to, err);
    if (join_emits_pairs(type))
        QV_TRY(output_rows(b, l, r, NULL, n, err));
    return join_block_right_rows(b, done_from, done_to, err);
}

void join_block_match_all(join_block *b)
{
    if (b->left_matched != NULL)
        for (int64_t i = 0; i < b->left->n_rows; i++)
            atomic_store_explicit(&b->left_matched[i], 1, memory_order_relaxed);
    if (b->right_matched != NULL)
        memset(b->right_matched, 1, (size_t)b->right->n_rows);
}

/* ---- rows of one side after their pairs ---- */

qv_status join_block_right_rows(join_block *b, int64_t from, int64_t to, qv_error *err)
{
    plan_join_type type = b->plan->type;
    if (!join_tracks_right(type) || to <= from)
        return QV_OK;
    bool want_matched = type == PLAN_JOIN_RIGHT_SEMI;
    uint32_t *rows = base_alloc((size_t)(to - from) * sizeof *rows);
    if (rows == NULL)
        return base_error_nomem(err, "join output");
    int64_t n = 0;
    for (int64_t i = from; i < to; i++) {
        bool matched = b->right_matched != NULL && b->right_matched[i];
        if (matched == want_matched)
            rows[n++] = (uint32_t)i;
    }
    qv_status st = output_rows(b, NULL, rows, NULL, n, err);
    base_free(rows);
    return st;
}

/* Whether left row i comes out of a (null-aware) anti join. */
static bool anti_keeps(const join_block *b, const join_null_aware *na, arrow_array *const *keys,
                       int64_t i, bool matched)
{
    if (na == NULL)
        return !matched;
    if (na->right_empty)
        return true;
    if (na->right_has_null)
        return false;
    return !matched && !join_keys_row_has_null(b->plan->keys, keys, i);
}

qv_status join_block_left_rows(join_block *b, int64_t from, int64_t to,
                               const join_null_aware *null_aware, qv_error *err)
{
    plan_join_type type = b->plan->type;
    if (!join_tracks_left(type) || to <= from)
        return QV_OK;
    const join_null_aware *na = b->plan->null_aware ? null_aware : NULL;
    arrow_array *keys[1] = {NULL};
    if (na != NULL)
        join_plan_key_arrays(b->plan, b->left, false, keys);
    uint32_t *rows = base_alloc((size_t)(to - from) * sizeof *rows);
    uint8_t *mark = type == PLAN_JOIN_LEFT_MARK ? base_alloc((size_t)(to - from)) : NULL;
    if (rows == NULL || (type == PLAN_JOIN_LEFT_MARK && mark == NULL)) {
        base_free(rows);
        base_free(mark);
        return base_error_nomem(err, "join output");
    }
    int64_t n = 0;
    for (int64_t i = from; i < to; i++) {
        bool matched = b->left_matched != NULL &&
                       atomic_load_explicit(&b->left_matched[i], memory_order_relaxed);
        bool keep;
        switch (type) {
        case PLAN_JOIN_LEFT_SEMI:
            keep = matched;
            break;
        case PLAN_JOIN_LEFT_ANTI:
            keep = anti_keeps(b, na, keys, i, matched);
            break;
        case PLAN_JOIN_LEFT_MARK:
            mark[n] = matched;
            keep = true;
            break;
        default: /* LEFT, FULL */
            keep = !matched;
            break;
        }
        if (keep)
            rows[n++] = (uint32_t)i;
    }
    qv_status st = output_rows(b, rows, NULL, mark, n, err);
    base_free(rows);
    base_free(mark);
    return st;
}
