/*
 * select_sort.c — sort indices (layer: func): the stable permutation that
 * orders rows by several keys.
 *
 * Rows travel as (64-bit prefix, row) pairs. For key k, every row gets a
 * prefix of its key whose unsigned order agrees with the key's order (exact
 * for integers, floats, temporal values, Boolean and dictionary ranks; the
 * leading bytes for strings, binaries and wide numbers; descending flips
 * it). Null rows are split off (stably) to the asked end and ordered by the
 * next key. The others are radix sorted (stable; bytes that never vary are
 * skipped; large inputs take one most-significant-byte pass first so that
 * the remaining passes run on cache-sized buckets). Runs of equal prefixes
 * are ordered by the next key the same way when the prefix was exact, or
 * merge sorted with the typed comparators when it was not. So each key costs
 * one pass over its rows instead of comparisons that chase random rows. A
 * single exact key whose values span less than 2^32 sorts packed
 * (prefix << 32 | row) words; partial sorts with a small limit select with a
 * bounded heap instead.
 */
#include "func/select_int.h"

typedef struct sort_pair {
    uint64_t key;
    uint32_t row;
    uint32_t pad; /* 1 for a null row while prefixes are computed */
} sort_pair;

typedef struct sort_ctx {
    int32_t n_keys;
    arrow_array **arrays;
    const func_sort_key *keys;
    uint32_t **ranks; /* per key: dictionary value ranks, or NULL */
    const func_row_comparator *cmp;
    int32_t tie_start; /* first key compared when prefixes are equal */
} sort_ctx;

static inline int pair_compare(const sort_ctx *ctx, const sort_pair *x, const sort_pair *y)
{
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    for (int32_t k = ctx->tie_start; k < ctx->n_keys; k++) {
        int r = sel_key_compare(&ctx->cmp->keys[k], ctx->arrays[k], x->row, ctx->arrays[k],
                                y->row);
        if (r != 0)
            return r;
    }
    return (x->row > y->row) - (x->row < y->row);
}

/* ---- radix sorts (stable) ---- */

/* Inputs larger than this (items) start with a most-significant-byte pass. */
#define RADIX_MSD_MIN 65536

#define RADIX_SORT(NAME, T, KEY)                                                           \
    static void NAME##_lsd(T *items, T *tmp, int64_t n, const int *active, int n_active)   \
    {                                                                                      \
        int64_t counts[8][256];                                                            \
        memset(counts, 0, sizeof counts);                                                  \
        for (int64_t i = 0; i < n; i++) {                                                  \
            uint64_t key = KEY(items[i]);                                                  \
            for (int a = 0; a < n_active; a++)                                             \
                counts[a][(key >> (8 * active[a])) & 0xFF]++;                              \
        }                                                                                  \
        T *src = items, *dst = tmp;                                                        \
        for (int a = 0; a < n_active; a++) {                                               \
            int64_t sum = 0;                                                               \
            for (int d = 0; d < 256; d++) {                                                \
                int64_t c = counts[a][d];                                                  \
                counts[a][d] = sum;                                                        \
                sum += c;                                                                  \
            }                                                                              \
            int shift = 8 * active[a];                                                     \
            for (int64_t i = 0; i < n; i++)                                                \
                dst[counts[a][(KEY(src[i]) >> shift) & 0xFF]++] = src[i];                  \
            T *swap = src;                                                                 \
            src = dst;                                                                     \
            dst = swap;                                                                    \
        }                                                                                  \
        if (src != items)                                                                  \
            memcpy(items, src, (size_t)n * sizeof(T));                                     \
    }                                                                                      \
    static void NAME##_run(T *items, T *tmp, int64_t n, const int *active, int n_active)   \
    {                                                                                      \
        if (n_active == 0 || n < 2)                                                        \
            return;                                                                        \
        if (n <= 32) {                                                                     \
            for (int64_t i = 1; i < n; i++) {                                              \
                T item = items[i];                                                         \
                int64_t j = i;                                                             \
                while (j > 0 && KEY(items[j - 1]) > KEY(item)) {                           \
                    items[j] = items[j - 1];                                               \
                    j--;                                                                   \
                }                                                                          \
                items[j] = item;                                                           \
            }                                                                              \
            return;                                                                        \
        }                                                                                  \
        if (n < RADIX_MSD_MIN || n_active == 1) {                                          \
            NAME##_lsd(items, tmp, n, active, n_active);                                   \
            return;                                                                        \
        }                                                                                  \
        int shift = 8 * active[n_active - 1];                                              \
        int64_t starts[257] = {0};                                                         \
        for (int64_t i = 0; i < n; i++)                                                    \
            starts[((KEY(items[i]) >> shift) & 0xFF) + 1]++;                               \
        for (int d = 0; d < 256; d++)                                                      \
            starts[d + 1] += starts[d];                                                    \
        int64_t fill[256];                                                                 \
        memcpy(fill, starts, sizeof fill);                                                 \
        for (int64_t i = 0; i < n; i++)                                                    \
            tmp[fill[(KEY(items[i]) >> shift) & 0xFF]++] = items[i];                       \
        for (int d = 0; d < 256; d++)                                                      \
            NAME##_run(tmp + starts[d], items + starts[d], starts[d + 1] - starts[d],      \
                       active, n_active - 1);                                              \
        memcpy(items, tmp, (size_t)n * sizeof(T));                                         \
    }                                                                                      \
    static void NAME(T *items, T *tmp, int64_t n, int lowest_byte)                         \
    {                                                                                      \
        if (n < 2)                                                                         \
            return;                                                                        \
        uint64_t first = KEY(items[0]), diff = 0;                                          \
        for (int64_t i = 1; i < n; i++)                                                    \
            diff |= KEY(items[i]) ^ first;                                                 \
        int active[8], n_active = 0;                                                       \
        for (int b = lowest_byte; b < 8; b++) {                                            \
            if ((diff >> (8 * b)) & 0xFF)                                                  \
                active[n_active++] = b;                                                    \
        }                                                                                  \
        NAME##_run(items, tmp, n, active, n_active);                                       \
    }

#define PAIR_KEY(p) ((p).key)
#define WORD_KEY(w) (w)
RADIX_SORT(radix_pairs, sort_pair, PAIR_KEY)
RADIX_SORT(radix_words, uint64_t, WORD_KEY)

/* ---- comparison sorts ---- */

static void merge_sort(sort_pair *items, sort_pair *tmp, int64_t n, const sort_ctx *ctx)
{
    if (n <= 16) {
        for (int64_t i = 1; i < n; i++) {
            sort_pair item = items[i];
            int64_t j = i;
            while (j > 0 && pair_compare(ctx, &items[j - 1], &item) > 0) {
                items[j] = items[j - 1];
                j--;
            }
            items[j] = item;
        }
        return;
    }
    int64_t mid = n / 2;
    merge_sort(items, tmp, mid, ctx);
    merge_sort(items + mid, tmp + mid, n - mid, ctx);
    if (pair_compare(ctx, &items[mid - 1], &items[mid]) <= 0)
        return;
    memcpy(tmp, items, (size_t)mid * sizeof *tmp);
    int64_t l = 0, r = mid, w = 0;
    while (l < mid && r < n) {
        if (pair_compare(ctx, &items[r], &tmp[l]) < 0)
            items[w++] = items[r++];
        else
            items[w++] = tmp[l++];
    }
    while (l < mid)
        items[w++] = tmp[l++];
}

static void sift_down(sort_pair *heap, int64_t n, int64_t i, const sort_ctx *ctx)
{
    for (;;) {
        int64_t largest = i, l = 2 * i + 1, r = l + 1;
        if (l < n && pair_compare(ctx, &heap[l], &heap[largest]) > 0)
            largest = l;
        if (r < n && pair_compare(ctx, &heap[r], &heap[largest]) > 0)
            largest = r;
        if (largest == i)
            return;
        sort_pair t = heap[i];
        heap[i] = heap[largest];
        heap[largest] = t;
        i = largest;
    }
}

/* Reorders pairs: the `limit` smallest, sorted, then the others in their
 * input order. */
static qv_status heap_select(const sort_ctx *ctx, sort_pair *pairs, sort_pair *tmp, int64_t n,
                             int64_t limit, qv_error *err)
{
    sort_pair *heap = base_alloc((size_t)limit * 2 * sizeof *heap);
    if (heap == NULL)
        return base_error_nomem(err, "sort heap");
    int64_t size = 0;
    for (int64_t i = 0; i < n; i++) {
        sort_pair p = pairs[i];
        p.pad = (uint32_t)i; /* position, to find what was taken */
        pairs[i].pad = 0;
        if (size < limit) {
            heap[size++] = p;
            if (size == limit) {
                for (int64_t h = limit / 2 - 1; h >= 0; h--)
                    sift_down(heap, limit, h, ctx);
            }
        } else if (pair_compare(ctx, &p, &heap[0]) < 0) {
            heap[0] = p;
            sift_down(heap, limit, 0, ctx);
        }
    }
    merge_sort(heap, heap + limit, size, ctx);
    int64_t w = 0;
    for (int64_t h = 0; h < size; h++) {
        tmp[w++] = heap[h];
        pairs[heap[h].pad].pad = 1;
    }
    for (int64_t i = 0; i < n; i++) {
        if (!pairs[i].pad)
            tmp[w++] = pairs[i];
    }
    memcpy(pairs, tmp, (size_t)n * sizeof *pairs);
    base_free(heap);
    return QV_OK;
}

/* ---- prefixes ---- */

#define SIGN_BIT (UINT64_C(1) << 63)

static inline uint64_t be_prefix(const uint8_t *p, int64_t len)
{
    if (len >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        return __builtin_bswap64(v);
    }
    uint64_t v = 0;
    for (int64_t k = 0; k < len; k++)
        v |= (uint64_t)p[k] << (56 - 8 * k);
    return v;
}

static inline uint64_t float_key(int64_t bits)
{
    bits ^= (int64_t)((uint64_t)(bits >> 63) >> 1);
    return (uint64_t)bits ^ SIGN_BIT;
}

static inline uint64_t f32_key(int32_t bits)
{
    return (uint64_t)(int64_t)(bits < 0 ? bits ^ 0x7FFFFFFF : bits) ^ SIGN_BIT;
}

static inline uint64_t f16_key(int16_t bits)
{
    return (uint64_t)(int64_t)(bits < 0 ? bits ^ 0x7FFF : bits) ^ SIGN_BIT;
}

static inline uint64_t view_prefix(const arrow_array *a, int64_t r)
{
    const uint8_t *view = a->buffers[1]->data + r * 16;
    int32_t len;
    memcpy(&len, view, 4);
    if (len <= 12)
        return be_prefix(view + 4, len);
    int32_t buffer_index, offset;
    memcpy(&buffer_index, view + 8, 4);
    memcpy(&offset, view + 12, 4);
    return be_prefix(a->buffers[2 + buffer_index]->data + offset, 8);
}

/* Computes the prefixes of key k for the rows in pairs[0..n): non-null
 * rows get their prefix (flipped when descending), null rows pad = 1.
 * *exact: equal prefixes mean equal keys. *n_null: null rows. */
#define PREFIX_LOOP(VALID, PREFIX)                                                         \
    for (int64_t i = 0; i < n; i++) {                                                      \
        int64_t row = pairs[i].row, r = off + row;                                         \
        (void)r;                                                                           \
        if (VALID) {                                                                       \
            pairs[i].key = (PREFIX) ^ flip;                                                \
            pairs[i].pad = 0;                                                              \
        } else {                                                                           \
            pairs[i].pad = 1;                                                              \
            nulls++;                                                                       \
        }                                                                                  \
    }

#define BIT_VALID (bits == NULL || arrow_bit_get(bits, r))

static void prefix_rows(const arrow_array *a, bool descending, const uint32_t *rank,
                        sort_pair *pairs, int64_t n, bool *exact, int64_t *n_null)
{
    uint64_t flip = descending ? ~UINT64_C(0) : 0;
    int64_t off = a->offset, nulls = 0;
    const uint8_t *bits = a->n_buffers > 0 && a->buffers[0] != NULL ? a->buffers[0]->data : NULL;
    const uint8_t *v = arrow_array_values(a);
    *exact = true;
    switch (a->type->id) {
    case QV_TYPE_BOOLEAN:
        PREFIX_LOOP(BIT_VALID, (uint64_t)arrow_bit_get(v, r));
        break;
    case QV_TYPE_INT8:
        PREFIX_LOOP(BIT_VALID, (uint64_t)(int64_t)((const int8_t *)v)[r] ^ SIGN_BIT);
        break;
    case QV_TYPE_INT16:
        PREFIX_LOOP(BIT_VALID, (uint64_t)(int64_t)((const int16_t *)v)[r] ^ SIGN_BIT);
        break;
    case QV_TYPE_INT32:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIME32:
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        PREFIX_LOOP(BIT_VALID, (uint64_t)(int64_t)((const int32_t *)v)[r] ^ SIGN_BIT);
        break;
    case QV_TYPE_INT64:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION:
        PREFIX_LOOP(BIT_VALID, (uint64_t)((const int64_t *)v)[r] ^ SIGN_BIT);
        break;
    case QV_TYPE_UINT8:
        PREFIX_LOOP(BIT_VALID, (uint64_t)v[r]);
        break;
    case QV_TYPE_UINT16:
        PREFIX_LOOP(BIT_VALID, (uint64_t)((const uint16_t *)v)[r]);
        break;
    case QV_TYPE_UINT32:
        PREFIX_LOOP(BIT_VALID, (uint64_t)((const uint32_t *)v)[r]);
        break;
    case QV_TYPE_UINT64:
        PREFIX_LOOP(BIT_VALID, ((const uint64_t *)v)[r]);
        break;
    case QV_TYPE_FLOAT16:
        PREFIX_LOOP(BIT_VALID, f16_key(((const int16_t *)v)[r]));
        break;
    case QV_TYPE_FLOAT32:
        PREFIX_LOOP(BIT_VALID, f32_key(((const int32_t *)v)[r]));
        break;
    case QV_TYPE_FLOAT64:
        PREFIX_LOOP(BIT_VALID, float_key(((const int64_t *)v)[r]));
        break;
    case QV_TYPE_DECIMAL128:
        PREFIX_LOOP(BIT_VALID, (uint64_t)((const int64_t *)v)[r * 2 + 1] ^ SIGN_BIT);
        *exact = false;
        break;
    case QV_TYPE_DECIMAL256:
        PREFIX_LOOP(BIT_VALID, (uint64_t)((const int64_t *)v)[r * 4 + 3] ^ SIGN_BIT);
        *exact = false;
        break;
    case QV_TYPE_INTERVAL_DAY_TIME:
        PREFIX_LOOP(BIT_VALID,
                   (uint64_t)((uint32_t)((const int32_t *)v)[r * 2] ^ 0x80000000u) << 32 |
                       ((uint32_t)((const int32_t *)v)[r * 2 + 1] ^ 0x80000000u));
        break;
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        PREFIX_LOOP(BIT_VALID,
                   (uint64_t)((uint32_t)((const int32_t *)v)[r * 4] ^ 0x80000000u) << 32 |
                       ((uint32_t)((const int32_t *)v)[r * 4 + 1] ^ 0x80000000u));
        *exact = false;
        break;
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY: {
        const int32_t *o = (const int32_t *)v;
        const uint8_t *data = a->buffers[2] != NULL ? a->buffers[2]->data : NULL;
        PREFIX_LOOP(BIT_VALID, be_prefix(data + o[r], o[r + 1] - o[r]));
        *exact = false;
        break;
    }
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY: {
        const int64_t *o = (const int64_t *)v;
        const uint8_t *data = a->buffers[2] != NULL ? a->buffers[2]->data : NULL;
        PREFIX_LOOP(BIT_VALID, be_prefix(data + o[r], o[r + 1] - o[r]));
        *exact = false;
        break;
    }
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        PREFIX_LOOP(BIT_VALID, view_prefix(a, r));
        *exact = false;
        break;
    case QV_TYPE_FIXED_SIZE_BINARY: {
        int64_t w = a->type->fixed_size;
        PREFIX_LOOP(BIT_VALID, be_prefix(v + r * w, w));
        *exact = w <= 8;
        break;
    }
    case QV_TYPE_DICTIONARY: {
        arrow_type_id index_id = a->type->index_type->id;
        PREFIX_LOOP(BIT_VALID && rank[sel_read_int(v, index_id, r)] != UINT32_MAX,
                   (uint64_t)rank[sel_read_int(v, index_id, r)]);
        break;
    }
    default:
        PREFIX_LOOP(sel_valid(a, row), UINT64_C(0));
        *exact = false;
        break;
    }
    *n_null = nulls;
}

/* Dictionary value ranks (equal values share a rank; null values get
 * UINT32_MAX) into *out, for the dictionary key whose comparator is node. */
static qv_status dictionary_ranks(const sel_cmp_node *dict_node, arrow_array *dict,
                                  uint32_t **out, qv_error *err)
{
    int64_t n = dict->length;
    uint32_t *order = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *order);
    uint32_t *rank = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *rank);
    if (order == NULL || rank == NULL) {
        base_free(order);
        base_free(rank);
        return base_error_nomem(err, "dictionary ranks");
    }
    func_sort_key key = {dict, false, false};
    qv_status st = func_sort_indices(1, &key, n, -1, order, err);
    const sel_cmp_node *values = &dict_node->children[0];
    uint32_t current = 0;
    for (int64_t r = 0; r < n && st == QV_OK; r++) {
        uint32_t row = order[r];
        if (!sel_valid(dict, row)) {
            rank[row] = UINT32_MAX;
            continue;
        }
        if (r > 0 && values->values(values, dict, order[r - 1], dict, row) != 0)
            current++;
        rank[row] = current;
    }
    base_free(order);
    if (st != QV_OK) {
        base_free(rank);
        return st;
    }
    *out = rank;
    return QV_OK;
}

static qv_status order_from_key(const sort_ctx *ctx, sort_pair *pairs, sort_pair *tmp, int64_t n,
                                int64_t limit, int32_t k, qv_error *err);

/* Orders pairs[0..n) holding valid prefixes of key k (in input order) by
 * keys k.. so that the first `limit` are right. */
static qv_status sort_prefixed(const sort_ctx *ctx, sort_pair *pairs, sort_pair *tmp, int64_t n,
                               int64_t limit, int32_t k, bool exact, qv_error *err)
{
    if (n <= 1 || limit == 0)
        return QV_OK;
    sort_ctx local = *ctx;
    local.tie_start = exact ? k + 1 : k;
    bool ties = local.tie_start < ctx->n_keys;
    if (limit < n && n > 256 && limit <= n / 8)
        return heap_select(&local, pairs, tmp, n, limit, err);
    if (n <= 32) {
        merge_sort(pairs, tmp, n, &local);
        return QV_OK;
    }
    if (!ties) {
        uint64_t min = UINT64_MAX, max = 0;
        for (int64_t i = 0; i < n; i++) {
            min = pairs[i].key < min ? pairs[i].key : min;
            max = pairs[i].key > max ? pairs[i].key : max;
        }
        if (max - min <= UINT32_MAX) {
            /* Packed: rows ride in the low half, already in order. */
            uint64_t *words = (uint64_t *)tmp;
            for (int64_t i = 0; i < n; i++)
                words[i] = (pairs[i].key - min) << 32 | pairs[i].row;
            radix_words(words, words + n, n, 4);
            for (int64_t i = 0; i < n; i++)
                pairs[i].row = (uint32_t)words[i];
            return QV_OK;
        }
    }
    radix_pairs(pairs, tmp, n, 0);
    for (int64_t start = 0; ties && start < limit;) {
        int64_t end = start + 1;
        while (end < n && pairs[end].key == pairs[start].key)
            end++;
        if (end - start > 1) {
            if (exact)
                QV_TRY(order_from_key(ctx, pairs + start, tmp, end - start, limit - start, k + 1,
                                      err));
            else
                merge_sort(pairs + start, tmp, end - start, &local);
        }
        start = end;
    }
    return QV_OK;
}

/* Orders pairs[0..n) (in input order, all equal on the keys before k) by
 * keys k.. so that the first `limit` are right. */
static qv_status order_from_key(const sort_ctx *ctx, sort_pair *pairs, sort_pair *tmp, int64_t n,
                                int64_t limit, int32_t k, qv_error *err)
{
    if (k >= ctx->n_keys || n <= 1 || limit == 0)
        return QV_OK;
    if (n <= 16) {
        /* Few rows: comparisons beat a pass over the key. */
        sort_ctx local = *ctx;
        local.tie_start = k;
        for (int64_t i = 0; i < n; i++)
            pairs[i].key = 0;
        merge_sort(pairs, tmp, n, &local);
        return QV_OK;
    }
    bool exact;
    int64_t n_null;
    const func_sort_key *key = &ctx->keys[k];
    prefix_rows(ctx->arrays[k], key->descending, ctx->ranks[k], pairs, n, &exact, &n_null);
    if (n_null == 0)
        return sort_prefixed(ctx, pairs, tmp, n, limit, k, exact, err);
    /* Nulls to the asked end, both sides keeping their order. */
    int64_t n_valid = n - n_null;
    sort_pair *nulls = key->nulls_first ? tmp : tmp + n_valid;
    sort_pair *valid = key->nulls_first ? tmp + n_null : tmp;
    int64_t w_null = 0, w_valid = 0;
    for (int64_t i = 0; i < n; i++) {
        if (pairs[i].pad)
            nulls[w_null++] = pairs[i];
        else
            valid[w_valid++] = pairs[i];
    }
    memcpy(pairs, tmp, (size_t)n * sizeof *pairs);
    sort_pair *null_part = key->nulls_first ? pairs : pairs + n_valid;
    sort_pair *valid_part = key->nulls_first ? pairs + n_null : pairs;
    int64_t null_limit = key->nulls_first ? limit : limit - n_valid;
    int64_t valid_limit = key->nulls_first ? limit - n_null : limit;
    if (valid_limit > 0)
        QV_TRY(sort_prefixed(ctx, valid_part, tmp, n_valid,
                             valid_limit < n_valid ? valid_limit : n_valid, k, exact, err));
    if (null_limit > 0)
        QV_TRY(order_from_key(ctx, null_part, tmp, n_null, null_limit < n_null ? null_limit : n_null,
                              k + 1, err));
    return QV_OK;
}

qv_status func_sort_indices(int32_t n_keys, const func_sort_key *keys, int64_t n_rows,
                            int64_t limit, uint32_t *indices, qv_error *err)
{
    if (n_keys < 1 || keys == NULL || n_rows < 0 || (n_rows > 0 && indices == NULL))
        return base_error_set(err, QV_MISUSE, "sort needs keys and an index buffer");
    if (n_rows >= (int64_t)SEL_NULL_INDEX)
        return base_error_set(err, QV_LIMIT, "cannot sort %lld rows at once", (long long)n_rows);
    for (int32_t k = 0; k < n_keys; k++) {
        if (keys[k].array == NULL || keys[k].array->length != n_rows)
            return base_error_set(err, QV_INVALID, "sort key %d does not have %lld rows", k,
                                  (long long)n_rows);
    }
    if (n_rows == 0)
        return QV_OK;

    arrow_array **arrays = base_calloc((size_t)n_keys, sizeof *arrays);
    arrow_type **types = base_calloc((size_t)n_keys, sizeof *types);
    bool *flags = base_calloc((size_t)n_keys * 2, sizeof *flags);
    uint32_t **ranks = base_calloc((size_t)n_keys, sizeof *ranks);
    sort_pair *pairs = base_alloc((size_t)n_rows * sizeof *pairs);
    sort_pair *tmp = base_alloc((size_t)n_rows * sizeof *tmp);
    func_row_comparator *cmp = NULL;
    qv_status st = QV_OK;
    if (arrays == NULL || types == NULL || flags == NULL || ranks == NULL || pairs == NULL ||
        tmp == NULL)
        st = base_error_nomem(err, "sort buffers");
    for (int32_t k = 0; k < n_keys && st == QV_OK; k++) {
        arrays[k] = keys[k].array;
        types[k] = keys[k].array->type;
        flags[k] = keys[k].descending;
        flags[n_keys + k] = keys[k].nulls_first;
    }
    if (st == QV_OK)
        st = func_row_comparator_new(n_keys, types, flags, flags + n_keys, &cmp, err);
    for (int32_t k = 0; k < n_keys && st == QV_OK; k++) {
        if (arrays[k]->type->id == QV_TYPE_DICTIONARY)
            st = dictionary_ranks(&cmp->keys[k].node, arrays[k]->dictionary, &ranks[k], err);
    }
    if (st == QV_OK) {
        for (int64_t i = 0; i < n_rows; i++)
            pairs[i] = (sort_pair){0, (uint32_t)i, 0};
        sort_ctx ctx = {n_keys, arrays, keys, ranks, cmp, 0};
        int64_t want = limit < 0 || limit > n_rows ? n_rows : limit;
        st = order_from_key(&ctx, pairs, tmp, n_rows, want, 0, err);
    }
    if (st == QV_OK) {
        for (int64_t i = 0; i < n_rows; i++)
            indices[i] = pairs[i].row;
    }
    func_row_comparator_free(cmp);
    for (int32_t k = 0; k < n_keys && ranks != NULL; k++)
        base_free(ranks[k]);
    base_free(ranks);
    base_free(pairs);
    base_free(tmp);
    base_free(arrays);
    base_free(types);
    base_free(flags);
    return st;
}
