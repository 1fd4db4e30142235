/*
 * join_keys.c — rows of join key columns (layer: exec): hashing a batch of
 * key rows and comparing a key row of one side with a key row of the
 * other, for the hash, nested loop and merge joins.
 *
 * Each key column is classified once by layout (fixed-width bytes, bits,
 * 32/64-bit offsets, views, or anything else) so that hashing runs one
 * tight loop per column and equality one switch per column. Fixed-width
 * values hash and compare by their bytes, floats included (DataFusion's
 * hash join compares floats by bit pattern). Nested, dictionary and
 * run-end encoded keys fall back to the row comparator for equality and to
 * the group table's canonical encoding (group_encode.c) for hashing: values
 * the comparator finds equal encode equally.
 */
#include <string.h>

#include "exec/group_int.h"
#include "exec/join_int.h"
#include "func/select.h"

typedef enum key_kind {
    KEY_NULL,
    KEY_BOOL,
    KEY_FIXED,
    KEY_VAR32,
    KEY_VAR64,
    KEY_VIEW,
    KEY_OTHER
} key_kind;

typedef struct key_column {
    key_kind kind;
    int32_t width;            /* KEY_FIXED: bytes per value */
    func_row_comparator *cmp; /* KEY_OTHER: equality of one key */
} key_column;

struct join_keys {
    int32_t n_keys;
    key_column *cols;
};

static key_kind kind_of(const arrow_type *type, int32_t *width)
{
    *width = 0;
    switch (type->id) {
    case QV_TYPE_NULL:
        return KEY_NULL;
    case QV_TYPE_BOOLEAN:
        return KEY_BOOL;
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
        return KEY_VAR32;
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
        return KEY_VAR64;
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        return KEY_VIEW;
    default:
        if (arrow_type_is_nested(type->id) || type->id == QV_TYPE_DICTIONARY ||
            type->id == QV_TYPE_RUN_END_ENCODED)
            return KEY_OTHER;
        *width = arrow_type_bit_width(type) / 8;
        return KEY_FIXED;
    }
}

qv_status join_keys_new(int32_t n_keys, arrow_type *const *types, join_keys **out, qv_error *err)
{
    *out = NULL;
    join_keys *keys = base_calloc(1, sizeof *keys);
    if (keys == NULL)
        return base_error_nomem(err, "join keys");
    keys->cols = base_calloc((size_t)(n_keys > 0 ? n_keys : 1), sizeof *keys->cols);
    if (keys->cols == NULL) {
        base_free(keys);
        return base_error_nomem(err, "join keys");
    }
    keys->n_keys = n_keys;
    for (int32_t k = 0; k < n_keys; k++) {
        key_column *col = &keys->cols[k];
        col->kind = kind_of(types[k], &col->width);
        if (col->kind == KEY_OTHER) {
            bool no = false;
            qv_status st = func_row_comparator_new(1, &types[k], &no, &no, &col->cmp, err);
            if (st != QV_OK) {
                join_keys_free(keys);
                return st;
            }
        }
    }
    *out = keys;
    return QV_OK;
}

void join_keys_free(join_keys *keys)
{
    if (keys == NULL)
        return;
    for (int32_t k = 0; k < keys->n_keys; k++)
        func_row_comparator_free(keys->cols[k].cmp);
    base_free(keys->cols);
    base_free(keys);
}

/* ---- reading values ---- */

static inline bool valid_at(key_kind kind, const arrow_array *a, int64_t i)
{
    if (kind == KEY_NULL)
        return false;
    if (kind == KEY_OTHER)
        return arrow_array_is_valid(a, i);
    const arrow_buffer *validity = a->buffers[0];
    return validity == NULL || arrow_bit_get(validity->data, a->offset + i);
}

/* The bytes of element i of a variable-width array. */
static inline const uint8_t *var_bytes(key_kind kind, const arrow_array *a, int64_t i, int64_t *len)
{
    int64_t pos = a->offset + i;
    if (kind == KEY_VAR32) {
        const int32_t *offsets = (const int32_t *)a->buffers[1]->data;
        *len = offsets[pos + 1] - offsets[pos];
        return a->buffers[2] != NULL ? a->buffers[2]->data + offsets[pos] : (const uint8_t *)"";
    }
    if (kind == KEY_VAR64) {
        const int64_t *offsets = (const int64_t *)a->buffers[1]->data;
        *len = offsets[pos + 1] - offsets[pos];
        return a->buffers[2] != NULL ? a->buffers[2]->data + offsets[pos] : (const uint8_t *)"";
    }
    /* Views: u32 length, then the bytes inline (<= 12) or a prefix, the
     * data buffer's index and the offset into it. */
    const uint8_t *view = a->buffers[1]->data + pos * 16;
    int32_t n, buffer, offset;
    memcpy(&n, view, 4);
    *len = n;
    if (n <= 12)
        return view + 4;
    memcpy(&buffer, view + 8, 4);
    memcpy(&offset, view + 12, 4);
    return a->buffers[2 + buffer]->data + offset;
}

static inline uint64_t fixed_hash(const uint8_t *v, int32_t width)
{
    uint64_t x = 0;
    switch (width) {
    case 1:
        return group_mix64(v[0] ^ 0x51ED27FF00ull);
    case 2: {
        uint16_t y;
        memcpy(&y, v, 2);
        return group_mix64(y ^ 0x2F0A4C1D00000ull);
    }
    case 4: {
        uint32_t y;
        memcpy(&y, v, 4);
        return group_mix64(y ^ 0x9E3779B900000000ull);
    }
    case 8:
        memcpy(&x, v, 8);
        return group_mix64(x);
    default:
        return base_hash_bytes(v, (size_t)width, 0);
    }
}

/* ---- hashing ---- */

static inline void put_hash(uint64_t *hashes, int64_t i, uint64_t h, bool first)
{
    hashes[i] = first ? h : group_hash_fold(hashes[i], h);
}

static qv_status hash_column(const key_column *col, const arrow_array *a, int64_t n_rows,
                             uint64_t *hashes, bool first, qv_error *err)
{
    if (col->kind == KEY_NULL) {
        for (int64_t i = 0; i < n_rows; i++)
            put_hash(hashes, i, GROUP_NULL_HASH, first);
        return QV_OK;
    }
    if (col->kind == KEY_OTHER) {
        uint8_t *buf = NULL;
        int64_t cap = 0;
        for (int64_t i = 0; i < n_rows; i++) {
            uint64_t h = GROUP_NULL_HASH;
            if (arrow_array_is_valid(a, i)) {
                int64_t len = 0;
                qv_status st = group_encode_value(a, i, &buf, &len, &cap, err);
                if (st != QV_OK) {
                    base_free(buf);
                    return st;
                }
                h = base_hash_bytes(buf, (size_t)len, 0);
            }
            put_hash(hashes, i, h, first);
        }
        base_free(buf);
        return QV_OK;
    }
    const uint8_t *validity = a->buffers[0] != NULL ? a->buffers[0]->data : NULL;
    for (int64_t i = 0; i < n_rows; i++) {
        uint64_t h = GROUP_NULL_HASH;
        if (validity == NULL || arrow_bit_get(validity, a->offset + i)) {
            if (col->kind == KEY_FIXED && col->width == 0) {
                h = 0;
            } else if (col->kind == KEY_FIXED) {
                h = fixed_hash(a->buffers[1]->data + (a->offset + i) * col->width, col->width);
            } else if (col->kind == KEY_BOOL) {
                h = group_mix64(arrow_bit_get(a->buffers[1]->data, a->offset + i) ? 0x5BD1E995ull
                                                                                  : 0x1B873593ull);
            } else {
                int64_t len = 0;
                const uint8_t *bytes = var_bytes(col->kind, a, i, &len);
                h = base_hash_bytes(bytes, (size_t)len, 0);
            }
        }
        put_hash(hashes, i, h, first);
    }
    return QV_OK;
}

qv_status join_keys_hash(const join_keys *keys, arrow_array *const *arrays, int64_t n_rows,
                         uint64_t *hashes, qv_error *err)
{
    for (int32_t k = 0; k < keys->n_keys; k++)
        QV_TRY(hash_column(&keys->cols[k], arrays[k], n_rows, hashes, k == 0, err));
    return QV_OK;
}

/* ---- nulls and equality ---- */

int64_t join_keys_null_rows(const join_keys *keys, arrow_array *const *arrays, int64_t n_rows,
                            uint8_t *null_rows)
{
    memset(null_rows, 0, (size_t)n_rows);
    for (int32_t k = 0; k < keys->n_keys; k++) {
        const key_column *col = &keys->cols[k];
        const arrow_array *a = arrays[k];
        if (col->kind == KEY_NULL) {
            memset(null_rows, 1, (size_t)n_rows);
            break;
        }
        if (col->kind != KEY_OTHER && a->buffers[0] == NULL)
            continue;
        for (int64_t i = 0; i < n_rows; i++)
            if (!valid_at(col->kind, a, i))
                null_rows[i] = 1;
    }
    int64_t count = 0;
    for (int64_t i = 0; i < n_rows; i++)
        count += null_rows[i];
    return count;
}

bool join_keys_row_has_null(const join_keys *keys, arrow_array *const *arrays, int64_t i)
{
    for (int32_t k = 0; k < keys->n_keys; k++)
        if (!valid_at(keys->cols[k].kind, arrays[k], i))
            return true;
    return false;
}

static bool column_equal(const key_column *col, const arrow_array *a, int64_t i,
                         const arrow_array *b, int64_t j)
{
    if (col->kind == KEY_OTHER) {
        arrow_array *pa = (arrow_array *)a, *pb = (arrow_array *)b;
        return func_row_compare(col->cmp, &pa, i, &pb, j) == 0;
    }
    bool va = valid_at(col->kind, a, i), vb = valid_at(col->kind, b, j);
    if (!va || !vb)
        return va == vb;
    switch (col->kind) {
    case KEY_FIXED:
        return col->width == 0 ||
               memcmp(a->buffers[1]->data + (a->offset + i) * col->width,
                      b->buffers[1]->data + (b->offset + j) * col->width, (size_t)col->width) == 0;
    case KEY_BOOL:
        return arrow_bit_get(a->buffers[1]->data, a->offset + i) ==
               arrow_bit_get(b->buffers[1]->data, b->offset + j);
    default: {
        int64_t la = 0, lb = 0;
        const uint8_t *pa = var_bytes(col->kind, a, i, &la);
        const uint8_t *pb = var_bytes(col->kind, b, j, &lb);
        return la == lb && memcmp(pa, pb, (size_t)la) == 0;
    }
    }
}

bool join_keys_equal(const join_keys *keys, arrow_array *const *a, int64_t i, arrow_array *const *b,
                     int64_t j)
{
    for (int32_t k = 0; k < keys->n_keys; k++)
        if (!column_equal(&keys->cols[k], a[k], i, b[k], j))
            return false;
    return true;
}
