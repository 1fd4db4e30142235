/*
 * sort_merge.c — k-way merge of sorted runs (layer: exec), for SortExec's
 * spilled runs. A binary min-heap of cursors (one current batch per
 * source) ordered by the row comparator, ties to the lower source. Each
 * output batch is assembled from the contiguous row ranges ("pieces") the
 * cursors contributed: one piece is a zero-copy slice, pieces in order are
 * concatenated, interleaved pieces are concatenated and then reordered with
 * one take.
 */
#include "exec/sort_int.h"

typedef struct cursor {
    void *source;
    arrow_batch *batch; /* current batch (owned), NULL once the source ends */
    int64_t row;
    arrow_array **keys; /* the batch's key columns (borrowed from it) */
    int32_t piece;      /* piece of the output being built from this batch, or -1 */
} cursor;

typedef struct piece {
    arrow_batch *batch; /* owned reference */
    int64_t start, length;
} piece;

struct sort_merge {
    arrow_schema *schema;
    const func_row_comparator *cmp;
    int32_t n_keys;
    const int32_t *key_columns;
    sort_pull_fn pull;
    int32_t n_sources;
    cursor *cursors;
    arrow_array **key_slots; /* n_sources * n_keys */
    int32_t *heap;
    int32_t heap_size;
    bool started;
    int64_t batch_size;
    int64_t remaining;
    piece *pieces; /* up to n_sources + batch_size of them */
    int32_t n_pieces;
    int32_t *pick_piece; /* per output row */
    uint32_t *pick_row;  /* row within the piece */
};

static int cursor_compare(const sort_merge *m, int32_t a, int32_t b)
{
    const cursor *x = &m->cursors[a], *y = &m->cursors[b];
    int r = func_row_compare(m->cmp, x->keys, x->row, y->keys, y->row);
    if (r != 0)
        return r;
    return (a > b) - (a < b);
}

static void sift_down(sort_merge *m, int32_t i)
{
    for (;;) {
        int32_t smallest = i, l = 2 * i + 1, r = l + 1;
        if (l < m->heap_size && cursor_compare(m, m->heap[l], m->heap[smallest]) < 0)
            smallest = l;
        if (r < m->heap_size && cursor_compare(m, m->heap[r], m->heap[smallest]) < 0)
            smallest = r;
        if (smallest == i)
            return;
        int32_t t = m->heap[i];
        m->heap[i] = m->heap[smallest];
        m->heap[smallest] = t;
        i = smallest;
    }
}

/* Loads the cursor's next non-empty batch (batch NULL at the end). */
static qv_status cursor_load(sort_merge *m, cursor *c, qv_error *err)
{
    arrow_batch_release(c->batch);
    c->batch = NULL;
    c->row = 0;
    c->piece = -1;
    for (;;) {
        arrow_batch *batch = NULL;
        QV_TRY(m->pull(c->source, &batch, err));
        if (batch == NULL)
            return QV_OK;
        if (batch->n_rows > 0) {
            c->batch = batch;
            for (int32_t k = 0; k < m->n_keys; k++)
                c->keys[k] = batch->columns[m->key_columns[k]];
            return QV_OK;
        }
        arrow_batch_release(batch);
    }
}

qv_status sort_merge_new(arrow_schema *schema, const func_row_comparator *cmp, int32_t n_keys,
                         const int32_t *key_columns, int32_t n_sources, sort_pull_fn pull,
                         void *const *sources, int64_t batch_size, int64_t limit,
                         sort_merge **out, qv_error *err)
{
    *out = NULL;
    sort_merge *m = base_calloc(1, sizeof *m);
    if (m == NULL)
        return base_error_nomem(err, "sort merge");
    int32_t n = n_sources > 0 ? n_sources : 1;
    int64_t bs = batch_size > 0 ? batch_size : 1;
    m->cursors = base_calloc((size_t)n, sizeof *m->cursors);
    m->key_slots = base_calloc((size_t)n * (size_t)n_keys, sizeof *m->key_slots);
    m->heap = base_calloc((size_t)n, sizeof *m->heap);
    m->pieces = base_calloc((size_t)(n + bs), sizeof *m->pieces);
    m->pick_piece = base_calloc((size_t)bs, sizeof *m->pick_piece);
    m->pick_row = base_calloc((size_t)bs, sizeof *m->pick_row);
    if (m->cursors == NULL || m->key_slots == NULL || m->heap == NULL || m->pieces == NULL ||
        m->pick_piece == NULL || m->pick_row == NULL) {
        sort_merge_free(m);
        return base_error_nomem(err, "sort merge");
    }
    m->schema = schema;
    m->cmp = cmp;
    m->n_keys = n_keys;
    m->key_columns = key_columns;
    m->pull = pull;
    m->n_sources = n_sources;
    m->batch_size = bs;
    m->remaining = limit < 0 ? INT64_MAX : limit;
    for (int32_t s = 0; s < n_sources; s++) {
        m->cursors[s].source = sources[s];
        m->cursors[s].keys = m->key_slots + (size_t)s * (size_t)n_keys;
        m->cursors[s].piece = -1;
    }
    *out = m;
    return QV_OK;
}

static qv_status start(sort_merge *m, qv_error *err)
{
    m->started = true;
    for (int32_t s = 0; s < m->n_sources; s++) {
        QV_TRY(cursor_load(m, &m->cursors[s], err));
        if (m->cursors[s].batch != NULL)
            m->heap[m->heap_size++] = s;
    }
    for (int32_t h = m->heap_size / 2 - 1; h >= 0; h--)
        sift_down(m, h);
    return QV_OK;
}

static void release_pieces(sort_merge *m)
{
    for (int32_t p = 0; p < m->n_pieces; p++)
        arrow_batch_release(m->pieces[p].batch);
    m->n_pieces = 0;
    for (int32_t s = 0; s < m->n_sources; s++)
        m->cursors[s].piece = -1;
}

/* The output batch of n picked rows from the pieces. */
static qv_status assemble(sort_merge *m, int64_t n, arrow_batch **out, qv_error *err)
{
    if (m->n_pieces == 1)
        return arrow_batch_slice(m->pieces[0].batch, m->pieces[0].start, m->pieces[0].length,
                                 out, err);
    arrow_batch **slices = base_calloc((size_t)m->n_pieces, sizeof *slices);
    int64_t *bases = base_alloc((size_t)m->n_pieces * sizeof *bases);
    arrow_batch *joined = NULL;
    qv_status st = QV_OK;
    if (slices == NULL || bases == NULL)
        st = base_error_nomem(err, "merge output");
    int64_t total = 0;
    for (int32_t p = 0; p < m->n_pieces && st == QV_OK; p++) {
        bases[p] = total;
        total += m->pieces[p].length;
        st = arrow_batch_slice(m->pieces[p].batch, m->pieces[p].start, m->pieces[p].length,
                               &slices[p], err);
    }
    if (st == QV_OK)
        st = func_concat_batches(m->schema, m->n_pieces, slices, &joined, err);
    /* Pieces are numbered in order of first pick: rows already in order need
     * no reordering. */
    bool in_order = st == QV_OK;
    for (int64_t i = 0; i < n && in_order; i++)
        in_order = bases[m->pick_piece[i]] + m->pick_row[i] == i;
    if (st == QV_OK && in_order) {
        *out = joined;
        joined = NULL;
    } else if (st == QV_OK) {
        uint32_t *perm = base_alloc((size_t)n * sizeof *perm);
        if (perm == NULL) {
            st = base_error_nomem(err, "merge output");
        } else {
            for (int64_t i = 0; i < n; i++)
                perm[i] = (uint32_t)(bases[m->pick_piece[i]] + m->pick_row[i]);
            st = func_take_batch(joined, perm, n, out, err);
            base_free(perm);
        }
    }
    arrow_batch_release(joined);
    for (int32_t p = 0; p < m->n_pieces && slices != NULL; p++)
        arrow_batch_release(slices[p]);
    base_free(slices);
    base_free(bases);
    return st;
}

qv_status sort_merge_next(sort_merge *m, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    if (!m->started)
        QV_TRY(start(m, err));
    int64_t want = m->remaining < m->batch_size ? m->remaining : m->batch_size;
    int64_t n = 0;
    qv_status st = QV_OK;
    while (n < want && m->heap_size > 0) {
        int32_t s = m->heap[0];
        cursor *c = &m->cursors[s];
        if (c->piece < 0) {
            c->piece = m->n_pieces++;
            m->pieces[c->piece] = (piece){arrow_batch_retain(c->batch), c->row, 0};
        }
        piece *p = &m->pieces[c->piece];
        m->pick_piece[n] = c->piece;
        m->pick_row[n] = (uint32_t)(c->row - p->start);
        p->length = c->row - p->start + 1;
        n++;
        if (++c->row == c->batch->n_rows) {
            st = cursor_load(m, c, err);
            if (st != QV_OK)
                break;
            if (c->batch == NULL)
                m->heap[0] = m->heap[--m->heap_size];
        }
        if (m->heap_size > 0)
            sift_down(m, 0);
    }
    if (st == QV_OK && n > 0)
        st = assemble(m, n, out, err);
    release_pieces(m);
    if (st == QV_OK)
        m->remaining -= n;
    return st;
}

void sort_merge_free(sort_merge *m)
{
    if (m == NULL)
        return;
    release_pieces(m);
    for (int32_t s = 0; s < m->n_sources && m->cursors != NULL; s++)
        arrow_batch_release(m->cursors[s].batch);
    base_free(m->cursors);
    base_free(m->key_slots);
    base_free(m->heap);
    base_free(m->pieces);
    base_free(m->pick_piece);
    base_free(m->pick_row);
    base_free(m);
}
