/*
 * array_sorted.c — every row of a list argument sorted at once (layer:
 * func): the rows' items are gathered row after row and ordered by (row,
 * item) with one call of the sort kernel, so sorting, deduplication and
 * set operations inside lists work for every item type the row comparator
 * knows (nested lists and structs included) without a sort per row.
 */
#include "func/array_int.h"

void array_sorted_free(array_sorted *s)
{
    arrow_array_release(s->items);
    base_free(s->row_start);
    base_free(s->order);
    base_free(s->valid);
    memset(s, 0, sizeof *s);
}

/* -0.0 items become +0.0 (items is a fresh, unshared take result). */
static void canonicalize_zeros(arrow_array *items)
{
    uint8_t *data = items->n_buffers >= 2 && items->buffers[1] ? items->buffers[1]->data : NULL;
    if (data == NULL)
        return;
    int64_t first = items->offset, end = items->offset + items->length;
    switch (items->type->id) {
    case QV_TYPE_FLOAT16:
        for (int64_t p = first; p < end; p++) {
            if (((uint16_t *)data)[p] == 0x8000)
                ((uint16_t *)data)[p] = 0;
        }
        break;
    case QV_TYPE_FLOAT32:
        for (int64_t p = first; p < end; p++) {
            if (((float *)data)[p] == 0.0f)
                ((float *)data)[p] = 0.0f;
        }
        break;
    case QV_TYPE_FLOAT64:
        for (int64_t p = first; p < end; p++) {
            if (((double *)data)[p] == 0.0)
                ((double *)data)[p] = 0.0;
        }
        break;
    default:
        break;
    }
}

/* Gathers the valid rows' items into s->items with the row of each item
 * in *row_ids (an Int64 array). */
static qv_status gather(const array_list *l, array_sorted *s, arrow_array **row_ids, qv_error *err)
{
    int64_t total = s->row_start[s->n_rows];
    uint32_t *idx = base_alloc((size_t)(total > 0 ? total : 1) * sizeof *idx);
    arrow_buffer *ids = NULL;
    qv_status st = idx == NULL ? base_error_nomem(err, "sorted list items") : QV_OK;
    if (st == QV_OK)
        st = arrow_buffer_new(total * 8, &ids, err);
    for (int64_t r = 0; r < s->n_rows && st == QV_OK; r++) {
        if (!s->valid[r])
            continue;
        int64_t start, len;
        array_list_range(l, r, &start, &len);
        for (int64_t k = 0; k < len; k++) {
            idx[s->row_start[r] + k] = (uint32_t)(start + k);
            ((int64_t *)ids->data)[s->row_start[r] + k] = r;
        }
    }
    if (st == QV_OK)
        st = func_take(l->values, idx, total, &s->items, err);
    base_free(idx);
    if (st == QV_OK) {
        st = func_make_fixed(arrow_type_primitive(QV_TYPE_INT64), total, NULL, ids, row_ids, err);
        ids = NULL;
    }
    arrow_buffer_release(ids);
    return st;
}

qv_status array_sorted_build(const array_list *l, int64_t n_rows, bool descending, bool nulls_first,
                             bool canonical_zero, array_sorted *s, qv_error *err)
{
    memset(s, 0, sizeof *s);
    s->n_rows = l->scalar ? 1 : n_rows;
    s->row_start = base_calloc((size_t)s->n_rows + 1, sizeof *s->row_start);
    s->valid = base_calloc((size_t)s->n_rows + 1, sizeof *s->valid);
    if (s->row_start == NULL || s->valid == NULL) {
        array_sorted_free(s);
        return base_error_nomem(err, "sorted list rows");
    }
    int64_t total = 0;
    for (int64_t r = 0; r < s->n_rows; r++) {
        s->row_start[r] = total;
        s->valid[r] = array_list_valid(l, r);
        if (s->valid[r]) {
            int64_t start, len;
            array_list_range(l, r, &start, &len);
            total += len;
        }
    }
    s->row_start[s->n_rows] = total;
    if (total >= (int64_t)UINT32_MAX) {
        array_sorted_free(s);
        return base_error_set(err, QV_LIMIT, "Execution error: too many list items to sort (%lld)",
                              (long long)total);
    }
    if (l->values == NULL)
        return QV_OK; /* a Null-typed list: no row has items */
    arrow_array *row_ids = NULL;
    s->order = base_alloc((size_t)(total > 0 ? total : 1) * sizeof *s->order);
    qv_status st = s->order == NULL ? base_error_nomem(err, "sorted list order") : QV_OK;
    if (st == QV_OK)
        st = gather(l, s, &row_ids, err);
    if (st == QV_OK && canonical_zero)
        canonicalize_zeros(s->items);
    if (st == QV_OK) {
        func_sort_key keys[2] = {{row_ids, false, true}, {s->items, descending, nulls_first}};
        st = func_sort_indices(2, keys, total, -1, s->order, err);
    }
    arrow_array_release(row_ids);
    if (st != QV_OK)
        array_sorted_free(s);
    return st;
}
