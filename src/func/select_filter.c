/*
 * select_filter.c — the filter kernel (layer: func): the rows of an array or
 * batch where a Boolean mask is true (null counts as false). The mask is
 * turned into row indices a 64-bit word at a time, once per call (once per
 * batch for func_filter_batch), and the columns go through the take kernel.
 */
#include "func/select_int.h"

static qv_status check_mask(int64_t length, const arrow_array *mask, qv_error *err)
{
    if (mask == NULL || mask->type->id != QV_TYPE_BOOLEAN)
        return base_error_set(err, QV_INVALID, "filter needs a Boolean mask, not %s",
                              mask != NULL ? arrow_type_id_name(mask->type->id) : "nothing");
    if (mask->length != length)
        return base_error_set(err, QV_INVALID,
                              "filter mask has %lld rows where the input has %lld",
                              (long long)mask->length, (long long)length);
    if (length >= (int64_t)SEL_NULL_INDEX)
        return base_error_set(err, QV_LIMIT, "filter input of %lld rows is too long",
                              (long long)length);
    return QV_OK;
}

/* Word w (64 rows from row base) of the selection: mask value AND validity. */
static inline uint64_t selection_word(const arrow_array *mask, int64_t base, int64_t m)
{
    uint64_t word = sel_load_bits(mask->buffers[1]->data, mask->offset + base, m);
    if (mask->buffers[0] != NULL)
        word &= sel_load_bits(mask->buffers[0]->data, mask->offset + base, m);
    return word;
}

static int64_t count_selected(const arrow_array *mask)
{
    int64_t count = 0;
    for (int64_t base = 0; base < mask->length; base += 64) {
        int64_t m = mask->length - base < 64 ? mask->length - base : 64;
        count += __builtin_popcountll(selection_word(mask, base, m));
    }
    return count;
}

/* The selected row numbers (count of them) as a new array in *out. */
static qv_status mask_indices(const arrow_array *mask, int64_t count, uint32_t **out,
                              qv_error *err)
{
    uint32_t *indices = base_alloc((size_t)(count > 0 ? count : 1) * sizeof *indices);
    if (indices == NULL)
        return base_error_nomem(err, "filter indices");
    int64_t k = 0;
    for (int64_t base = 0; base < mask->length; base += 64) {
        int64_t m = mask->length - base < 64 ? mask->length - base : 64;
        uint64_t word = selection_word(mask, base, m);
        if (word == ~UINT64_C(0)) {
            for (int64_t b = 0; b < 64; b++)
                indices[k++] = (uint32_t)(base + b);
            continue;
        }
        while (word != 0) {
            indices[k++] = (uint32_t)(base + __builtin_ctzll(word));
            word &= word - 1;
        }
    }
    *out = indices;
    return QV_OK;
}

qv_status func_filter(arrow_array *array, arrow_array *mask, arrow_array **out, qv_error *err)
{
    *out = NULL;
    QV_TRY(check_mask(array->length, mask, err));
    int64_t count = count_selected(mask);
    if (count == array->length) {
        *out = arrow_array_retain(array);
        return QV_OK;
    }
    uint32_t *indices = NULL;
    QV_TRY(mask_indices(mask, count, &indices, err));
    qv_status st = sel_take(array, indices, count, out, err);
    base_free(indices);
    return st;
}

qv_status func_filter_batch(arrow_batch *batch, arrow_array *mask, arrow_batch **out,
                            qv_error *err)
{
    *out = NULL;
    QV_TRY(check_mask(batch->n_rows, mask, err));
    int64_t count = count_selected(mask);
    if (count == batch->n_rows) {
        *out = arrow_batch_retain(batch);
        return QV_OK;
    }
    uint32_t *indices = NULL;
    QV_TRY(mask_indices(mask, count, &indices, err));
    qv_status st = func_take_batch(batch, indices, count, out, err);
    base_free(indices);
    return st;
}
