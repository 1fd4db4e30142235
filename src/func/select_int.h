/*
 * select_int.h — private helpers shared by the selection kernels
 * (select_take.c, select_filter.c, select_concat.c, select_compare.c,
 * select_sort.c; layer: func): bit-run reading and writing, logical
 * validity (dictionary values and run-end encoding included), run-end
 * lookups, fixed widths, the unchecked take, and the per-type comparator
 * tree the sort and the row comparator share. Not for other layers.
 */
#ifndef QV_FUNC_SELECT_INT_H
#define QV_FUNC_SELECT_INT_H

#include <string.h>

#include "func/select.h"

#define SEL_NULL_INDEX UINT32_MAX

/* ---- bits ---- */

/* nbits (1..64) bits of bits[] starting at bit pos, as the low bits of a
 * word. Reads only the bytes holding those bits (little-endian hosts). */
static inline uint64_t sel_load_bits(const uint8_t *bits, int64_t pos, int64_t nbits)
{
    const uint8_t *p = bits + (pos >> 3);
    int shift = (int)(pos & 7);
    int64_t n_bytes = (shift + nbits + 7) >> 3;
    uint64_t word = 0;
    if (n_bytes >= 8) {
        memcpy(&word, p, 8);
        word >>= shift;
        if (n_bytes == 9)
            word |= (uint64_t)p[8] << (64 - shift);
    } else {
        for (int64_t k = 0; k < n_bytes; k++)
            word |= (uint64_t)p[k] << (8 * k);
        word >>= shift;
    }
    if (nbits < 64)
        word &= (UINT64_C(1) << nbits) - 1;
    return word;
}

/* ORs the low nbits (1..64) of word into dst at bit pos (the destination
 * bits are zero). Writes only the bytes holding those bits. */
static inline void sel_or_bits(uint8_t *dst, int64_t pos, uint64_t word, int64_t nbits)
{
    uint8_t *p = dst + (pos >> 3);
    int shift = (int)(pos & 7);
    if (nbits < 64)
        word &= (UINT64_C(1) << nbits) - 1;
    int64_t n_bytes = (shift + nbits + 7) >> 3;
    uint64_t low = word << shift;
    for (int64_t k = 0; k < n_bytes && k < 8; k++)
        p[k] |= (uint8_t)(low >> (8 * k));
    if (n_bytes == 9)
        p[8] |= (uint8_t)(word >> (64 - shift));
}

/* dst bits [dst_pos, +n) = src bits [src_pos, +n), or all ones when src is
 * NULL (the destination bits are zero). */
static inline void sel_copy_bits(uint8_t *dst, int64_t dst_pos, const uint8_t *src, int64_t src_pos,
                                 int64_t n)
{
    for (int64_t k = 0; k < n; k += 64) {
        int64_t m = n - k < 64 ? n - k : 64;
        uint64_t word = src != NULL ? sel_load_bits(src, src_pos + k, m) : ~UINT64_C(0);
        sel_or_bits(dst, dst_pos + k, word, m);
    }
}

/* ---- element access ---- */

/* Integer i of a buffer of an integer type (dictionary indices, run ends). */
static inline int64_t sel_read_int(const uint8_t *data, arrow_type_id id, int64_t i)
{
    switch (id) {
    case QV_TYPE_INT8:
        return ((const int8_t *)data)[i];
    case QV_TYPE_UINT8:
        return data[i];
    case QV_TYPE_INT16:
        return ((const int16_t *)data)[i];
    case QV_TYPE_UINT16:
        return ((const uint16_t *)data)[i];
    case QV_TYPE_INT32:
        return ((const int32_t *)data)[i];
    case QV_TYPE_UINT32:
        return ((const uint32_t *)data)[i];
    default:
        return ((const int64_t *)data)[i];
    }
}

/* The index into the children (run ends and values) of logical element i of
 * a run-end encoded array. */
int64_t sel_ree_physical(const arrow_array *array, int64_t i);
/* Run end r of a run-ends array (its offset applied). */
static inline int64_t sel_run_end(const arrow_array *ends, int64_t r)
{
    return sel_read_int(ends->buffers[1]->data, ends->type->id, ends->offset + r);
}

/* True when element i is logically valid: its own bit, and for dictionaries
 * the value it points to, for run-end encoding the run's value. */
static inline bool sel_valid(const arrow_array *array, int64_t i)
{
    switch (array->type->id) {
    case QV_TYPE_NULL:
        return false;
    case QV_TYPE_RUN_END_ENCODED:
        return sel_valid(array->children[1], sel_ree_physical(array, i));
    case QV_TYPE_DICTIONARY: {
        const arrow_buffer *validity = array->buffers[0];
        if (validity != NULL && !arrow_bit_get(validity->data, array->offset + i))
            return false;
        int64_t key = sel_read_int(array->buffers[1]->data, array->type->index_type->id,
                                   array->offset + i);
        return sel_valid(array->dictionary, key);
    }
    default: {
        const arrow_buffer *validity = array->buffers[0];
        return validity == NULL || arrow_bit_get(validity->data, array->offset + i);
    }
    }
}

/* Bytes per value of a fixed-width layout (FIXED_SIZE_BINARY, decimals,
 * intervals, dictionary indices...); 0 for Boolean, variable-width, nested
 * and Null. */
int32_t sel_fixed_width(const arrow_type *type);

/* Takes without checking the indices (they are < length or SEL_NULL_INDEX). */
qv_status sel_take(arrow_array *array, const uint32_t *indices, int64_t n, arrow_array **out,
                   qv_error *err);

/* A run-ends array of `type` (Int16/32/64) holding ends[0..n_runs);
 * QV_LIMIT when the last end does not fit the type. */
qv_status sel_make_run_ends(arrow_type *type, const int64_t *ends, int64_t n_runs,
                            arrow_array **out, qv_error *err);

/* Concatenation of n >= 1 arrays already known to share one type. */
qv_status sel_concat(int32_t n, arrow_array *const *arrays, arrow_array **out, qv_error *err);

/* ---- comparison (select_compare.c) ---- */

typedef struct sel_cmp_node sel_cmp_node;
/* Compares two valid elements ascending: < 0, 0, > 0. */
typedef int (*sel_cmp_fn)(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                          const arrow_array *b, int64_t j);

/* A comparator for one type: the function for its values, and for nested
 * types the comparators of the children (struct fields, list items,
 * dictionary or run-end values), whose nulls sort first when
 * child_nulls_first (in ascending terms, before the key's direction). */
struct sel_cmp_node {
    sel_cmp_fn values;
    int32_t width; /* FIXED_SIZE_BINARY bytes, FIXED_SIZE_LIST items */
    bool child_nulls_first;
    int32_t n_children;
    sel_cmp_node *children;
};

/* One key of a row comparison. */
typedef struct sel_cmp_key {
    sel_cmp_node node;
    bool descending;
    bool nulls_first;
} sel_cmp_key;

struct func_row_comparator {
    int32_t n_keys;
    sel_cmp_key *keys;
};

/* Compares element i of a with element j of b under one key (nulls, then
 * direction). */
static inline int sel_key_compare(const sel_cmp_key *key, const arrow_array *a, int64_t i,
                                  const arrow_array *b, int64_t j)
{
    bool valid_a = sel_valid(a, i), valid_b = sel_valid(b, j);
    if (!valid_a || !valid_b) {
        if (valid_a == valid_b)
            return 0;
        return !valid_a == key->nulls_first ? -1 : 1;
    }
    int r = key->node.values(&key->node, a, i, b, j);
    return key->descending ? -r : r;
}

#endif /* QV_FUNC_SELECT_INT_H */
