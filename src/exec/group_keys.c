/*
 * group_keys.c — one key column of the group table (layer: exec): typed
 * storage of the groups' values, and the per-batch work the table asks of a
 * column — read and hash the batch, store new groups, compare rows with
 * groups, and rebuild arrays of the original type on emit. Each operation
 * switches on the layout once and then runs a tight loop over rows.
 * See group_int.h for the storage layouts.
 */
#include <string.h>

#include "exec/group_int.h"

static group_key_kind kind_of(const arrow_type *type, int32_t *width, int32_t *float_bits)
{
    *width = 0;
    *float_bits = 0;
    switch (type->id) {
    case QV_TYPE_NULL:
        return GK_NULL;
    case QV_TYPE_BOOLEAN:
        *width = 1;
        return GK_FIXED;
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
        *width = arrow_type_bit_width(type) / 8;
        *float_bits = *width * 8;
        return GK_FIXED;
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
        return GK_VAR;
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_STRUCT:
    case QV_TYPE_MAP:
    case QV_TYPE_DICTIONARY:
    case QV_TYPE_RUN_END_ENCODED:
        return GK_GENERIC;
    default:
        *width = arrow_type_bit_width(type) / 8;
        return GK_FIXED;
    }
}

qv_status group_key_init(group_key_column *col, arrow_type *type, qv_error *err)
{
    (void)err;
    memset(col, 0, sizeof *col);
    col->type = arrow_type_retain(type);
    col->kind = kind_of(type, &col->width, &col->float_bits);
    col->is_bool = type->id == QV_TYPE_BOOLEAN;
    return QV_OK;
}

void group_key_free(group_key_column *col)
{
    arrow_type_release(col->type);
    base_free(col->values);
    base_free(col->valid);
    base_free(col->heap);
    base_free(col->s_valid);
    base_free(col->s_fixed);
    base_free(col->s_views);
    base_free((void *)col->s_ptrs);
    base_free(col->s_hash);
    base_free(col->s_enc);
    base_free(col->s_enc_off);
    memset(col, 0, sizeof *col);
}

static int64_t value_bytes(const group_key_column *col)
{
    switch (col->kind) {
    case GK_FIXED:
        return col->width;
    case GK_VAR:
    case GK_GENERIC:
        return 16;
    default:
        return 0;
    }
}

qv_status group_key_reserve(group_key_column *col, int64_t n_groups, qv_error *err)
{
    if (n_groups <= col->cap)
        return QV_OK;
    /* 1.5x: large blocks grow in place (mremap), so the copies stay cheap. */
    int64_t new_cap = col->cap < 64 ? 64 : col->cap + col->cap / 2;
    while (new_cap < n_groups)
        new_cap += new_cap / 2;
    int64_t vb = value_bytes(col);
    if (vb > 0) {
        /* +1 keeps a zero-width fixed-size binary column allocating something. */
        uint8_t *values = base_realloc(col->values, (size_t)(new_cap * vb + 1));
        if (values == NULL)
            return base_error_nomem(err, "group keys");
        col->values = values;
    }
    if (col->valid != NULL) {
        uint8_t *valid = base_realloc(col->valid, (size_t)new_cap);
        if (valid == NULL)
            return base_error_nomem(err, "group keys");
        col->valid = valid;
    }
    col->cap = new_cap;
    return QV_OK;
}

/* The validity bytes exist once a batch brings a null; before that every
 * group is valid. */
static qv_status ensure_valid(group_key_column *col, qv_error *err)
{
    if (col->valid != NULL)
        return QV_OK;
    col->valid = base_alloc((size_t)(col->cap > 0 ? col->cap : 1));
    if (col->valid == NULL)
        return base_error_nomem(err, "group keys");
    memset(col->valid, 1, (size_t)(col->cap > 0 ? col->cap : 1));
    return QV_OK;
}

int64_t group_key_memory(const group_key_column *col)
{
    int64_t bytes = col->cap * (value_bytes(col) + (col->valid != NULL)) + col->heap_cap;
    int64_t rows = col->scratch_rows;
    bytes += rows * (1 + 8 + 8); /* validity, hashes, pointers */
    if (col->s_fixed != NULL)
        bytes += rows * col->width;
    if (col->s_views != NULL)
        bytes += rows * 16;
    if (col->s_enc_off != NULL)
        bytes += (rows + 1) * 8;
    return bytes + col->s_enc_cap;
}

/* ---- preparing a batch ---- */

static qv_status ensure_scratch(group_key_column *col, int64_t n_rows, qv_error *err)
{
    if (n_rows <= col->scratch_rows)
        return QV_OK;
    int64_t rows = col->scratch_rows < 1024 ? 1024 : col->scratch_rows;
    while (rows < n_rows)
        rows *= 2;
    uint8_t *valid = base_realloc(col->s_valid, (size_t)rows);
    if (valid == NULL)
        return base_error_nomem(err, "group key scratch");
    col->s_valid = valid;
    uint64_t *hash = base_realloc(col->s_hash, (size_t)rows * 8);
    if (hash == NULL)
        return base_error_nomem(err, "group key scratch");
    col->s_hash = hash;
    if (col->kind == GK_FIXED && (col->is_bool || col->float_bits != 0)) {
        uint8_t *fixed = base_realloc(col->s_fixed, (size_t)(rows * col->width));
        if (fixed == NULL)
            return base_error_nomem(err, "group key scratch");
        col->s_fixed = fixed;
    }
    if (col->kind == GK_VAR || col->kind == GK_GENERIC) {
        uint8_t *views = base_realloc(col->s_views, (size_t)rows * 16);
        if (views == NULL)
            return base_error_nomem(err, "group key scratch");
        col->s_views = views;
        const uint8_t **ptrs = base_realloc((void *)col->s_ptrs, (size_t)rows * sizeof *ptrs);
        if (ptrs == NULL)
            return base_error_nomem(err, "group key scratch");
        col->s_ptrs = ptrs;
    }
    if (col->kind == GK_GENERIC) {
        int64_t *off = base_realloc(col->s_enc_off, (size_t)(rows + 1) * 8);
        if (off == NULL)
            return base_error_nomem(err, "group key scratch");
        col->s_enc_off = off;
    }
    col->scratch_rows = rows;
    return QV_OK;
}

/* Hashes of fixed-width values, one tight loop per width. */
static void hash_fixed(const uint8_t *src, int32_t width, int64_t n, uint64_t *out)
{
    switch (width) {
    case 1:
        for (int64_t i = 0; i < n; i++)
            out[i] = group_mix64(src[i] ^ 0x51ULL);
        return;
    case 2:
        for (int64_t i = 0; i < n; i++) {
            uint16_t v;
            memcpy(&v, src + i * 2, 2);
            out[i] = group_mix64(v ^ 0x52ULL);
        }
        return;
    case 4:
        for (int64_t i = 0; i < n; i++) {
            uint32_t v;
            memcpy(&v, src + i * 4, 4);
            out[i] = group_mix64(v ^ 0x54ULL);
        }
        return;
    case 8:
        for (int64_t i = 0; i < n; i++) {
            uint64_t v;
            memcpy(&v, src + i * 8, 8);
            out[i] = group_mix64(v ^ 0x58ULL);
        }
        return;
    case 16:
        for (int64_t i = 0; i < n; i++) {
            uint64_t lo, hi;
            memcpy(&lo, src + i * 16, 8);
            memcpy(&hi, src + i * 16 + 8, 8);
            out[i] = group_mix64(lo ^ group_mix64(hi ^ 0x60ULL));
        }
        return;
    default:
        for (int64_t i = 0; i < n; i++)
            out[i] = base_hash_bytes(src + i * width, (size_t)width, 0x61ULL);
        return;
    }
}

static inline uint64_t hash_view(const uint8_t *view, const uint8_t *ptr)
{
    uint32_t len;
    memcpy(&len, view, 4);
    if (len > GROUP_INLINE_MAX)
        return base_hash_bytes(ptr, len, 0x62ULL);
    uint64_t w0, w1;
    memcpy(&w0, view, 8);
    memcpy(&w1, view + 8, 8);
    return group_mix64(w0 ^ group_mix64(w1 ^ 0x63ULL));
}

/* Fills view v for a value of len bytes at ptr (offset left for append). */
static inline void make_view(uint8_t *v, const uint8_t *ptr, uint32_t len)
{
    memset(v, 0, 16);
    memcpy(v, &len, 4);
    memcpy(v + 4, ptr, len <= GROUP_INLINE_MAX ? len : 4);
}

/* make_view for a value whose next 12 bytes may be read (ptr + 12 <= end):
 * fixed-size loads and masks instead of variable-length copies. */
static inline void make_view_at(uint8_t *v, const uint8_t *ptr, uint32_t len, const uint8_t *end)
{
    if (ptr + 12 > end) {
        make_view(v, ptr, len);
        return;
    }
    uint64_t d0;
    uint32_t d1;
    memcpy(&d0, ptr, 8);
    memcpy(&d1, ptr + 8, 4);
    if (len > GROUP_INLINE_MAX) {
        d0 &= 0xFFFFFFFFULL; /* the prefix */
        d1 = 0;
    } else if (len >= 8) {
        d1 = len == 12 ? d1 : d1 & ((1u << ((len - 8) * 8)) - 1);
    } else {
        d0 = len == 0 ? 0 : d0 & (~0ULL >> ((8 - len) * 8));
        d1 = 0;
    }
    uint64_t lo = len | (d0 << 32), hi = (d0 >> 32) | ((uint64_t)d1 << 32);
    memcpy(v, &lo, 8);
    memcpy(v + 8, &hi, 8);
}

static qv_status prepare_var(group_key_column *col, const arrow_array *a, int64_t n)
{
    const uint8_t *valid = col->b_valid;
    uint8_t *views = col->s_views;
    const uint8_t **ptrs = col->s_ptrs;
    int64_t long_bytes = 0;
    static const uint8_t empty = 0;
    switch (a->type->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY: {
        /* memcpy loads: imported buffers need not be aligned. */
        const uint8_t *offsets = a->buffers[1]->data + a->offset * 4;
        const uint8_t *data = a->buffers[2] ? a->buffers[2]->data : &empty;
        const uint8_t *end = a->buffers[2] ? data + a->buffers[2]->size : data;
        for (int64_t i = 0; i < n; i++) {
            int32_t start, stop;
            memcpy(&start, offsets + i * 4, 4);
            memcpy(&stop, offsets + i * 4 + 4, 4);
            uint32_t len = (uint32_t)(stop - start);
            if (valid != NULL && !valid[i])
                len = 0;
            ptrs[i] = data + start;
            make_view_at(views + i * 16, ptrs[i], len, end);
            long_bytes += len > GROUP_INLINE_MAX ? len : 0;
        }
        break;
    }
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY: {
        const uint8_t *offsets = a->buffers[1]->data + a->offset * 8;
        const uint8_t *data = a->buffers[2] ? a->buffers[2]->data : &empty;
        const uint8_t *end = a->buffers[2] ? data + a->buffers[2]->size : data;
        for (int64_t i = 0; i < n; i++) {
            int64_t start, stop;
            memcpy(&start, offsets + i * 8, 8);
            memcpy(&stop, offsets + i * 8 + 8, 8);
            int64_t len = stop - start;
            if (valid != NULL && !valid[i])
                len = 0;
            if (len > (int64_t)UINT32_MAX)
                return QV_LIMIT;
            ptrs[i] = data + start;
            make_view_at(views + i * 16, ptrs[i], (uint32_t)len, end);
            long_bytes += len > GROUP_INLINE_MAX ? len : 0;
        }
        break;
    }
    default: { /* views */
        const uint8_t *in = a->buffers[1]->data + a->offset * 16;
        for (int64_t i = 0; i < n; i++) {
            const uint8_t *view = in + i * 16;
            int32_t len;
            memcpy(&len, view, 4);
            if (valid != NULL && !valid[i])
                len = 0;
            if (len <= GROUP_INLINE_MAX) {
                ptrs[i] = view + 4;
                make_view_at(views + i * 16, ptrs[i], (uint32_t)len, view + 16);
            } else {
                int32_t buffer_index, offset;
                memcpy(&buffer_index, view + 8, 4);
                memcpy(&offset, view + 12, 4);
                ptrs[i] = a->buffers[2 + buffer_index]->data + offset;
                long_bytes += len;
                make_view_at(views + i * 16, view + 4, (uint32_t)len, view + 16);
            }
        }
        break;
    }
    }
    col->b_views = views;
    col->b_ptrs = ptrs;
    col->b_long_bytes = long_bytes;
    return QV_OK;
}

static qv_status prepare_generic(group_key_column *col, const arrow_array *a, int64_t n,
                                 qv_error *err)
{
    int64_t len = 0;
    for (int64_t i = 0; i < n; i++) {
        col->s_enc_off[i] = len;
        QV_TRY(group_encode_value(a, i, &col->s_enc, &len, &col->s_enc_cap, err));
    }
    col->s_enc_off[n] = len;
    int64_t long_bytes = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t size = col->s_enc_off[i + 1] - col->s_enc_off[i];
        if (size > (int64_t)UINT32_MAX)
            return base_error_set(err, QV_LIMIT, "a group key of 4 GiB or more");
        col->s_ptrs[i] = col->s_enc + col->s_enc_off[i];
        make_view(col->s_views + i * 16, col->s_ptrs[i], (uint32_t)size);
        long_bytes += size > GROUP_INLINE_MAX ? size : 0;
    }
    col->b_valid = NULL; /* nulls are part of the encoding */
    col->b_views = col->s_views;
    col->b_ptrs = col->s_ptrs;
    col->b_long_bytes = long_bytes;
    return QV_OK;
}

static qv_status reserve_heap(group_key_column *col, qv_error *err)
{
    int64_t need = col->heap_len + col->b_long_bytes;
    if (need <= col->heap_cap)
        return QV_OK;
    int64_t new_cap = col->heap_cap < 4096 ? 4096 : col->heap_cap * 2;
    while (new_cap < need)
        new_cap *= 2;
    uint8_t *heap = base_realloc(col->heap, (size_t)new_cap);
    if (heap == NULL)
        return base_error_nomem(err, "group key heap");
    col->heap = heap;
    col->heap_cap = new_cap;
    return QV_OK;
}

qv_status group_key_prepare(group_key_column *col, const arrow_array *array, int64_t n_rows,
                            uint64_t *hashes, bool first, qv_error *err)
{
    QV_TRY(ensure_scratch(col, n_rows, err));
    col->b_long_bytes = 0;
    uint64_t *h = first ? hashes : col->s_hash;

    /* Validity as one byte per row (NULL when every row is valid). */
    col->b_valid = NULL;
    if (array == NULL && col->kind == GK_GENERIC) {
        /* All null: the encoding of a null is its tag alone, as for a real null. */
        for (int64_t i = 0; i < n_rows; i++) {
            col->s_ptrs[i] = col->s_views + i * 16 + 4;
            make_view(col->s_views + i * 16, (const uint8_t *)"", 1);
        }
        col->b_views = col->s_views;
        col->b_ptrs = col->s_ptrs;
    } else if (array == NULL || col->kind == GK_NULL) {
        memset(col->s_valid, 0, (size_t)n_rows);
        col->b_valid = col->s_valid;
        if (col->kind == GK_VAR) {
            memset(col->s_views, 0, (size_t)n_rows * 16);
            for (int64_t i = 0; i < n_rows; i++)
                col->s_ptrs[i] = col->s_views + i * 16 + 4;
            col->b_views = col->s_views;
            col->b_ptrs = col->s_ptrs;
        }
    } else if (col->kind != GK_GENERIC && array->buffers[0] != NULL &&
               arrow_array_null_count((arrow_array *)array) > 0) {
        const uint8_t *bits = array->buffers[0]->data;
        for (int64_t i = 0; i < n_rows; i++)
            col->s_valid[i] = arrow_bit_get(bits, array->offset + i);
        col->b_valid = col->s_valid;
    }

    if (array == NULL && col->kind == GK_GENERIC) {
        for (int64_t i = 0; i < n_rows; i++)
            h[i] = hash_view(col->b_views + i * 16, col->b_ptrs[i]);
    } else if (array == NULL || col->kind == GK_NULL) {
        for (int64_t i = 0; i < n_rows; i++)
            h[i] = GROUP_NULL_HASH;
    } else if (col->kind == GK_FIXED) {
        const uint8_t *src = arrow_array_values(array);
        int32_t width = col->width;
        if (col->is_bool) {
            for (int64_t i = 0; i < n_rows; i++)
                col->s_fixed[i] = arrow_bit_get(src, array->offset + i);
            src = col->s_fixed;
        } else if (col->float_bits != 0) {
            src += array->offset * width;
            for (int64_t i = 0; i < n_rows; i++) {
                uint64_t bits = 0;
                memcpy(&bits, src + i * width, (size_t)width);
                bits = group_normalize_float(bits, col->float_bits);
                memcpy(col->s_fixed + i * width, &bits, (size_t)width);
            }
            src = col->s_fixed;
        } else if (src != NULL) {
            src += array->offset * width;
        }
        col->b_fixed = src;
        if (width > 0)
            hash_fixed(src, width, n_rows, h);
        else
            for (int64_t i = 0; i < n_rows; i++)
                h[i] = 0x64ULL;
    } else {
        if (col->kind == GK_VAR) {
            if (prepare_var(col, array, n_rows) != QV_OK)
                return base_error_set(err, QV_LIMIT, "a group key of 4 GiB or more");
        } else {
            QV_TRY(prepare_generic(col, array, n_rows, err));
        }
        for (int64_t i = 0; i < n_rows; i++)
            h[i] = hash_view(col->b_views + i * 16, col->b_ptrs[i]);
    }

    if (col->b_valid != NULL && array != NULL && col->kind != GK_NULL) {
        const uint8_t *valid = col->b_valid;
        for (int64_t i = 0; i < n_rows; i++)
            h[i] = valid[i] ? h[i] : GROUP_NULL_HASH;
    }
    if (!first)
        for (int64_t i = 0; i < n_rows; i++)
            hashes[i] = group_hash_fold(hashes[i], h[i]);
    if (col->b_valid != NULL)
        QV_TRY(ensure_valid(col, err));
    return reserve_heap(col, err);
}

/* ---- storing and comparing ---- */

void group_key_append(group_key_column *col, const uint32_t *rows, int64_t n, int64_t first_group)
{
    const uint8_t *bv = col->b_valid;
    if (bv != NULL) {
        for (int64_t k = 0; k < n; k++) {
            uint8_t v = bv[rows[k]];
            col->valid[first_group + k] = v;
            col->n_null_groups += !v;
        }
    } else if (col->valid != NULL) {
        memset(col->valid + first_group, 1, (size_t)n);
    }
    switch (col->kind) {
    case GK_NULL:
        return;
    case GK_FIXED: {
        int32_t w = col->width;
        if (w == 0)
            return;
        uint8_t *dst = col->values + first_group * w;
        for (int64_t k = 0; k < n; k++) {
            if (bv != NULL && !bv[rows[k]])
                memset(dst + k * w, 0, (size_t)w);
            else
                memcpy(dst + k * w, col->b_fixed + (int64_t)rows[k] * w, (size_t)w);
        }
        return;
    }
    default: {
        uint8_t *dst = col->values + first_group * 16;
        for (int64_t k = 0; k < n; k++) {
            uint8_t *view = dst + k * 16;
            memcpy(view, col->b_views + (int64_t)rows[k] * 16, 16);
            uint32_t len;
            memcpy(&len, view, 4);
            if (len > GROUP_INLINE_MAX) {
                uint64_t off = (uint64_t)col->heap_len;
                memcpy(col->heap + off, col->b_ptrs[rows[k]], len);
                memcpy(view + 8, &off, 8);
                col->heap_len += len;
            }
        }
        return;
    }
    }
}

/* Candidates' groups are scattered over the storage: fetch a few ahead. */
#define GROUP_PREFETCH 16

#define CMP_FIXED(T)                                                                               \
    do {                                                                                           \
        for (int64_t k = 0; k < n; k++) {                                                          \
            if (k + GROUP_PREFETCH < n)                                                            \
                __builtin_prefetch(dst + (int64_t)groups[k + GROUP_PREFETCH] * sizeof(T));         \
            T a, b;                                                                                \
            memcpy(&a, src + (int64_t)rows[k] * sizeof(T), sizeof(T));                             \
            memcpy(&b, dst + (int64_t)groups[k] * sizeof(T), sizeof(T));                           \
            match[k] &= a == b;                                                                    \
        }                                                                                          \
    } while (0)

void group_key_compare(const group_key_column *col, const uint32_t *rows, const uint32_t *groups,
                       int64_t n, uint8_t *match)
{
    bool nulls = col->b_valid != NULL || col->n_null_groups > 0;
    if (nulls) {
        const uint8_t *bv = col->b_valid;
        for (int64_t k = 0; k < n; k++) {
            uint8_t vr = bv == NULL ? 1 : bv[rows[k]];
            uint8_t vg = col->valid == NULL ? 1 : col->valid[groups[k]];
            /* A null pair is equal; clear the flag below only through values. */
            match[k] &= vr == vg;
        }
    }
    switch (col->kind) {
    case GK_NULL:
        return;
    case GK_FIXED: {
        const uint8_t *src = col->b_fixed, *dst = col->values;
        int32_t w = col->width;
        if (w == 0)
            return;
        if (nulls) {
            /* Null rows compare as equal values only if the group is null too
             * (checked above); make their value compare pass. */
            const uint8_t *bv = col->b_valid;
            for (int64_t k = 0; k < n; k++) {
                if (!match[k] || (bv != NULL && !bv[rows[k]]))
                    continue;
                match[k] = memcmp(src + (int64_t)rows[k] * w, dst + (int64_t)groups[k] * w,
                                  (size_t)w) == 0;
            }
            return;
        }
        switch (w) {
        case 1:
            CMP_FIXED(uint8_t);
            return;
        case 2:
            CMP_FIXED(uint16_t);
            return;
        case 4:
            CMP_FIXED(uint32_t);
            return;
        case 8:
            CMP_FIXED(uint64_t);
            return;
        default:
            for (int64_t k = 0; k < n; k++)
                match[k] &= memcmp(src + (int64_t)rows[k] * w, dst + (int64_t)groups[k] * w,
                                   (size_t)w) == 0;
            return;
        }
    }
    default: {
        /* Null rows and null groups have all-zero views, so views decide. */
        const uint8_t *views = col->b_views, *stored = col->values;
        for (int64_t k = 0; k < n; k++) {
            if (k + GROUP_PREFETCH < n)
                __builtin_prefetch(stored + (int64_t)groups[k + GROUP_PREFETCH] * 16);
            const uint8_t *a = views + (int64_t)rows[k] * 16;
            const uint8_t *b = stored + (int64_t)groups[k] * 16;
            uint64_t a0, b0, a1, b1;
            memcpy(&a0, a, 8);
            memcpy(&b0, b, 8);
            uint32_t len = (uint32_t)a0;
            if (len <= GROUP_INLINE_MAX) {
                memcpy(&a1, a + 8, 8);
                memcpy(&b1, b + 8, 8);
                match[k] &= a0 == b0 && a1 == b1;
            } else if (a0 != b0) {
                match[k] = 0;
            } else if (match[k]) {
                uint64_t off;
                memcpy(&off, b + 8, 8);
                match[k] = memcmp(col->b_ptrs[rows[k]], col->heap + off, len) == 0;
            }
        }
        return;
    }
    }
}

/* ---- emitting ---- */

/* A validity bitmap for groups [start, start+count) in *out (NULL when none
 * is null), and the null count. */
static qv_status emit_validity(const group_key_column *col, int64_t start, int64_t count,
                               arrow_buffer **out, int64_t *null_count, qv_error *err)
{
    *out = NULL;
    *null_count = 0;
    if (col->n_null_groups == 0)
        return QV_OK;
    int64_t nulls = 0;
    for (int64_t g = 0; g < count; g++)
        nulls += !col->valid[start + g];
    *null_count = nulls;
    if (nulls == 0)
        return QV_OK;
    QV_TRY(arrow_buffer_new((count + 7) / 8, out, err));
    uint8_t *bits = (*out)->data;
    for (int64_t g = 0; g < count; g++)
        if (col->valid[start + g])
            bits[g >> 3] |= (uint8_t)(1u << (g & 7));
    return QV_OK;
}

static const uint8_t *view_bytes(const group_key_column *col, const uint8_t *view, uint32_t *len)
{
    memcpy(len, view, 4);
    if (*len <= GROUP_INLINE_MAX)
        return view + 4;
    uint64_t off;
    memcpy(&off, view + 8, 8);
    return col->heap + off;
}

static qv_status emit_var(const group_key_column *col, int64_t start, int64_t count,
                          arrow_buffer **bufs, int32_t *n_bufs, qv_error *err)
{
    const uint8_t *views = col->values + start * 16;
    arrow_type_id id = col->type->id;
    bool is_view = id == QV_TYPE_UTF8_VIEW || id == QV_TYPE_BINARY_VIEW;
    int64_t total = 0;
    for (int64_t g = 0; g < count; g++) {
        uint32_t len;
        memcpy(&len, views + g * 16, 4);
        total += is_view && len <= GROUP_INLINE_MAX ? 0 : len;
    }
    bool large = id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_LARGE_BINARY;
    if (!large && total > INT32_MAX)
        return base_error_set(err, QV_LIMIT, "%lld bytes of group keys do not fit one %s array",
                              (long long)total, arrow_type_id_name(id));
    if (is_view) {
        QV_TRY(arrow_buffer_new(count * 16, &bufs[1], err));
        *n_bufs = 2;
        if (total > 0) {
            QV_TRY(arrow_buffer_new(total, &bufs[2], err));
            *n_bufs = 3;
        }
        uint8_t *out = bufs[1]->data;
        int32_t pos = 0;
        for (int64_t g = 0; g < count; g++) {
            const uint8_t *view = views + g * 16;
            uint32_t len;
            const uint8_t *bytes = view_bytes(col, view, &len);
            memcpy(out + g * 16, view, 8); /* length and inline start / prefix */
            if (len <= GROUP_INLINE_MAX) {
                memcpy(out + g * 16 + 8, view + 8, 8);
            } else {
                int32_t zero = 0;
                memcpy(out + g * 16 + 8, &zero, 4);
                memcpy(out + g * 16 + 12, &pos, 4);
                memcpy(bufs[2]->data + pos, bytes, len);
                pos += (int32_t)len;
            }
        }
        return QV_OK;
    }
    QV_TRY(arrow_buffer_new((count + 1) * (large ? 8 : 4), &bufs[1], err));
    QV_TRY(arrow_buffer_new(total, &bufs[2], err));
    *n_bufs = 3;
    uint8_t *data = bufs[2]->data;
    int64_t pos = 0;
    for (int64_t g = 0; g < count; g++) {
        uint32_t len;
        const uint8_t *bytes = view_bytes(col, views + g * 16, &len);
        memcpy(data + pos, bytes, len);
        pos += len;
        if (large)
            ((int64_t *)bufs[1]->data)[g + 1] = pos;
        else
            ((int32_t *)bufs[1]->data)[g + 1] = (int32_t)pos;
    }
    return QV_OK;
}

static qv_status emit_generic(const group_key_column *col, int64_t start, int64_t count,
                              arrow_array **out, qv_error *err)
{
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(col->type, &b, err));
    qv_status st = QV_OK;
    for (int64_t g = start; g < start + count && st == QV_OK; g++) {
        uint32_t len;
        const uint8_t *pos = view_bytes(col, col->values + g * 16, &len);
        st = group_decode_value(b, col->type, &pos, err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

qv_status group_key_emit(const group_key_column *col, int64_t start, int64_t count,
                         arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (col->kind == GK_NULL)
        return arrow_array_new_null(col->type, count, out, err);
    if (col->kind == GK_GENERIC)
        return emit_generic(col, start, count, out, err);
    arrow_buffer *bufs[3] = {NULL, NULL, NULL};
    int32_t n_bufs = 2;
    int64_t null_count = 0;
    qv_status st = emit_validity(col, start, count, &bufs[0], &null_count, err);
    if (st == QV_OK && col->kind == GK_VAR) {
        st = emit_var(col, start, count, bufs, &n_bufs, err);
    } else if (st == QV_OK && col->is_bool) {
        st = arrow_buffer_new((count + 7) / 8, &bufs[1], err);
        for (int64_t g = 0; st == QV_OK && g < count; g++)
            if (col->values[start + g])
                bufs[1]->data[g >> 3] |= (uint8_t)(1u << (g & 7));
    } else if (st == QV_OK) {
        st = arrow_buffer_copy(col->values + start * col->width, count * col->width, &bufs[1], err);
    }
    if (st == QV_OK)
        st =
            arrow_array_new(col->type, count, null_count, 0, n_bufs, bufs, 0, NULL, NULL, out, err);
    for (int32_t i = 0; i < 3; i++)
        arrow_buffer_release(bufs[i]);
    return st;
}
