/*
 * select_compare.c — row comparison (layer: func): a comparator tree per
 * key type (one typed function per type; nested types recurse into their
 * children), and func_row_comparator over several keys with directions and
 * null placement. Ordering rules are in select.h; nested children follow
 * arrow-rs: their nulls sort as the key asks whatever the direction.
 */
#include "func/select_int.h"

/* ---- flat types ---- */

#define CMP_PRIMITIVE(NAME, T)                                                             \
    static int NAME(const sel_cmp_node *node, const arrow_array *a, int64_t i,             \
                    const arrow_array *b, int64_t j)                                       \
    {                                                                                      \
        (void)node;                                                                        \
        T x = ((const T *)a->buffers[1]->data)[a->offset + i];                             \
        T y = ((const T *)b->buffers[1]->data)[b->offset + j];                             \
        return (x > y) - (x < y);                                                          \
    }

CMP_PRIMITIVE(cmp_i8, int8_t)
CMP_PRIMITIVE(cmp_i16, int16_t)
CMP_PRIMITIVE(cmp_i32, int32_t)
CMP_PRIMITIVE(cmp_i64, int64_t)
CMP_PRIMITIVE(cmp_u8, uint8_t)
CMP_PRIMITIVE(cmp_u16, uint16_t)
CMP_PRIMITIVE(cmp_u32, uint32_t)
CMP_PRIMITIVE(cmp_u64, uint64_t)

/* IEEE total order: flip the magnitude bits of negative numbers. */
#define CMP_FLOAT(NAME, S, U, BITS)                                                        \
    static int NAME(const sel_cmp_node *node, const arrow_array *a, int64_t i,             \
                    const arrow_array *b, int64_t j)                                       \
    {                                                                                      \
        (void)node;                                                                        \
        S x = ((const S *)a->buffers[1]->data)[a->offset + i];                             \
        S y = ((const S *)b->buffers[1]->data)[b->offset + j];                             \
        x ^= (S)((U)(x >> (BITS - 1)) >> 1);                                               \
        y ^= (S)((U)(y >> (BITS - 1)) >> 1);                                               \
        return (x > y) - (x < y);                                                          \
    }

CMP_FLOAT(cmp_f16, int16_t, uint16_t, 16)
CMP_FLOAT(cmp_f32, int32_t, uint32_t, 32)
CMP_FLOAT(cmp_f64, int64_t, uint64_t, 64)

static int cmp_bool(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                    const arrow_array *b, int64_t j)
{
    (void)node;
    int x = arrow_bit_get(a->buffers[1]->data, a->offset + i);
    int y = arrow_bit_get(b->buffers[1]->data, b->offset + j);
    return x - y;
}

/* Little-endian two's complement of `limbs` 64-bit words: the top word
 * signed, the others unsigned. */
static int cmp_wide(const uint8_t *x, const uint8_t *y, int limbs)
{
    int64_t hx, hy;
    memcpy(&hx, x + (limbs - 1) * 8, 8);
    memcpy(&hy, y + (limbs - 1) * 8, 8);
    if (hx != hy)
        return hx < hy ? -1 : 1;
    for (int l = limbs - 2; l >= 0; l--) {
        uint64_t lx, ly;
        memcpy(&lx, x + l * 8, 8);
        memcpy(&ly, y + l * 8, 8);
        if (lx != ly)
            return lx < ly ? -1 : 1;
    }
    return 0;
}

static int cmp_decimal128(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                          const arrow_array *b, int64_t j)
{
    (void)node;
    return cmp_wide(a->buffers[1]->data + (a->offset + i) * 16,
                    b->buffers[1]->data + (b->offset + j) * 16, 2);
}

static int cmp_decimal256(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                          const arrow_array *b, int64_t j)
{
    (void)node;
    return cmp_wide(a->buffers[1]->data + (a->offset + i) * 32,
                    b->buffers[1]->data + (b->offset + j) * 32, 4);
}

/* Intervals compare field by field (months, days, then the sub-day part). */
static int cmp_interval_dt(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                           const arrow_array *b, int64_t j)
{
    (void)node;
    const int32_t *x = (const int32_t *)a->buffers[1]->data + (a->offset + i) * 2;
    const int32_t *y = (const int32_t *)b->buffers[1]->data + (b->offset + j) * 2;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

static int cmp_interval_mdn(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                            const arrow_array *b, int64_t j)
{
    (void)node;
    const uint8_t *x = a->buffers[1]->data + (a->offset + i) * 16;
    const uint8_t *y = b->buffers[1]->data + (b->offset + j) * 16;
    int32_t xm, ym, xd, yd;
    int64_t xn, yn;
    memcpy(&xm, x, 4);
    memcpy(&ym, y, 4);
    memcpy(&xd, x + 4, 4);
    memcpy(&yd, y + 4, 4);
    memcpy(&xn, x + 8, 8);
    memcpy(&yn, y + 8, 8);
    if (xm != ym)
        return xm < ym ? -1 : 1;
    if (xd != yd)
        return xd < yd ? -1 : 1;
    return (xn > yn) - (xn < yn);
}

static int cmp_bytes(const uint8_t *x, int64_t nx, const uint8_t *y, int64_t ny)
{
    int64_t n = nx < ny ? nx : ny;
    int r = n > 0 ? memcmp(x, y, (size_t)n) : 0;
    if (r != 0)
        return r < 0 ? -1 : 1;
    return (nx > ny) - (nx < ny);
}

static int cmp_binary(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                      const arrow_array *b, int64_t j)
{
    (void)node;
    const int32_t *oa = (const int32_t *)a->buffers[1]->data + a->offset + i;
    const int32_t *ob = (const int32_t *)b->buffers[1]->data + b->offset + j;
    return cmp_bytes(a->buffers[2]->data + oa[0], oa[1] - oa[0], b->buffers[2]->data + ob[0],
                     ob[1] - ob[0]);
}

static int cmp_large_binary(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                            const arrow_array *b, int64_t j)
{
    (void)node;
    const int64_t *oa = (const int64_t *)a->buffers[1]->data + a->offset + i;
    const int64_t *ob = (const int64_t *)b->buffers[1]->data + b->offset + j;
    return cmp_bytes(a->buffers[2]->data + oa[0], oa[1] - oa[0], b->buffers[2]->data + ob[0],
                     ob[1] - ob[0]);
}

/* The bytes of view i (inline up to 12 bytes, else in a data buffer). */
static const uint8_t *view_bytes(const arrow_array *a, int64_t i, int32_t *len)
{
    const uint8_t *view = a->buffers[1]->data + (a->offset + i) * 16;
    memcpy(len, view, 4);
    if (*len <= 12)
        return view + 4;
    int32_t buffer_index, offset;
    memcpy(&buffer_index, view + 8, 4);
    memcpy(&offset, view + 12, 4);
    return a->buffers[2 + buffer_index]->data + offset;
}

static int cmp_view(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                    const arrow_array *b, int64_t j)
{
    (void)node;
    const uint8_t *va = a->buffers[1]->data + (a->offset + i) * 16;
    const uint8_t *vb = b->buffers[1]->data + (b->offset + j) * 16;
    /* The 4-byte prefixes decide most comparisons without touching data. */
    int r = memcmp(va + 4, vb + 4, 4);
    if (r != 0) {
        int32_t la, lb;
        memcpy(&la, va, 4);
        memcpy(&lb, vb, 4);
        if (la >= 4 && lb >= 4)
            return r < 0 ? -1 : 1;
    }
    int32_t la, lb;
    const uint8_t *xa = view_bytes(a, i, &la), *xb = view_bytes(b, j, &lb);
    return cmp_bytes(xa, la, xb, lb);
}

static int cmp_fixed_binary(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                            const arrow_array *b, int64_t j)
{
    int64_t w = node->width;
    return cmp_bytes(a->buffers[1]->data + (a->offset + i) * w, w,
                     b->buffers[1]->data + (b->offset + j) * w, w);
}

static int cmp_null(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                    const arrow_array *b, int64_t j)
{
    (void)node, (void)a, (void)i, (void)b, (void)j;
    return 0;
}

/* ---- nested types ---- */

/* A child element comparison with nulls placed by node->child_nulls_first. */
static inline int cmp_child(const sel_cmp_node *parent, const sel_cmp_node *child,
                            const arrow_array *a, int64_t i, const arrow_array *b, int64_t j)
{
    bool valid_a = sel_valid(a, i), valid_b = sel_valid(b, j);
    if (!valid_a || !valid_b) {
        if (valid_a == valid_b)
            return 0;
        return !valid_a == parent->child_nulls_first ? -1 : 1;
    }
    return child->values(child, a, i, b, j);
}

static int cmp_struct(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                      const arrow_array *b, int64_t j)
{
    for (int32_t c = 0; c < node->n_children; c++) {
        int r = cmp_child(node, &node->children[c], a->children[c], a->offset + i, b->children[c],
                          b->offset + j);
        if (r != 0)
            return r;
    }
    return 0;
}

/* Items [sa, sa+na) of child ca against [sb, sb+nb) of cb; a prefix first. */
static int cmp_items(const sel_cmp_node *node, const arrow_array *ca, int64_t sa, int64_t na,
                     const arrow_array *cb, int64_t sb, int64_t nb)
{
    int64_t n = na < nb ? na : nb;
    for (int64_t k = 0; k < n; k++) {
        int r = cmp_child(node, &node->children[0], ca, sa + k, cb, sb + k);
        if (r != 0)
            return r;
    }
    return (na > nb) - (na < nb);
}

static int cmp_list(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                    const arrow_array *b, int64_t j)
{
    const int32_t *oa = (const int32_t *)a->buffers[1]->data + a->offset + i;
    const int32_t *ob = (const int32_t *)b->buffers[1]->data + b->offset + j;
    return cmp_items(node, a->children[0], oa[0], oa[1] - oa[0], b->children[0], ob[0],
                     ob[1] - ob[0]);
}

static int cmp_large_list(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                          const arrow_array *b, int64_t j)
{
    const int64_t *oa = (const int64_t *)a->buffers[1]->data + a->offset + i;
    const int64_t *ob = (const int64_t *)b->buffers[1]->data + b->offset + j;
    return cmp_items(node, a->children[0], oa[0], oa[1] - oa[0], b->children[0], ob[0],
                     ob[1] - ob[0]);
}

static int cmp_fixed_list(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                          const arrow_array *b, int64_t j)
{
    int64_t size = node->width;
    return cmp_items(node, a->children[0], (a->offset + i) * size, size, b->children[0],
                     (b->offset + j) * size, size);
}

static int cmp_dictionary(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                          const arrow_array *b, int64_t j)
{
    int64_t ka = sel_read_int(a->buffers[1]->data, a->type->index_type->id, a->offset + i);
    int64_t kb = sel_read_int(b->buffers[1]->data, b->type->index_type->id, b->offset + j);
    const sel_cmp_node *values = &node->children[0];
    return values->values(values, a->dictionary, ka, b->dictionary, kb);
}

static int cmp_run_end(const sel_cmp_node *node, const arrow_array *a, int64_t i,
                       const arrow_array *b, int64_t j)
{
    const sel_cmp_node *values = &node->children[0];
    return values->values(values, a->children[1], sel_ree_physical(a, i), b->children[1],
                          sel_ree_physical(b, j));
}

/* ---- building ---- */

static void node_clear(sel_cmp_node *node)
{
    for (int32_t c = 0; c < node->n_children; c++)
        node_clear(&node->children[c]);
    base_free(node->children);
    node->children = NULL;
    node->n_children = 0;
}

static qv_status node_init(sel_cmp_node *node, const arrow_type *type, bool child_nulls_first,
                           int depth, qv_error *err);

static qv_status node_children(sel_cmp_node *node, int32_t n, arrow_type *const *types,
                               bool child_nulls_first, int depth, qv_error *err)
{
    node->children = base_calloc((size_t)(n > 0 ? n : 1), sizeof *node->children);
    if (node->children == NULL)
        return base_error_nomem(err, "row comparator");
    node->n_children = n;
    for (int32_t c = 0; c < n; c++)
        QV_TRY(node_init(&node->children[c], types[c], child_nulls_first, depth + 1, err));
    return QV_OK;
}

static qv_status node_init(sel_cmp_node *node, const arrow_type *type, bool child_nulls_first,
                           int depth, qv_error *err)
{
    memset(node, 0, sizeof *node);
    node->child_nulls_first = child_nulls_first;
    if (depth > 64)
        return base_error_set(err, QV_NOT_IMPLEMENTED, "sort key nested too deeply");
    switch (type->id) {
    case QV_TYPE_NULL:
        node->values = cmp_null;
        return QV_OK;
    case QV_TYPE_BOOLEAN:
        node->values = cmp_bool;
        return QV_OK;
    case QV_TYPE_INT8:
        node->values = cmp_i8;
        return QV_OK;
    case QV_TYPE_INT16:
        node->values = cmp_i16;
        return QV_OK;
    case QV_TYPE_INT32:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIME32:
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        node->values = cmp_i32;
        return QV_OK;
    case QV_TYPE_INT64:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION:
        node->values = cmp_i64;
        return QV_OK;
    case QV_TYPE_UINT8:
        node->values = cmp_u8;
        return QV_OK;
    case QV_TYPE_UINT16:
        node->values = cmp_u16;
        return QV_OK;
    case QV_TYPE_UINT32:
        node->values = cmp_u32;
        return QV_OK;
    case QV_TYPE_UINT64:
        node->values = cmp_u64;
        return QV_OK;
    case QV_TYPE_FLOAT16:
        node->values = cmp_f16;
        return QV_OK;
    case QV_TYPE_FLOAT32:
        node->values = cmp_f32;
        return QV_OK;
    case QV_TYPE_FLOAT64:
        node->values = cmp_f64;
        return QV_OK;
    case QV_TYPE_DECIMAL128:
        node->values = cmp_decimal128;
        return QV_OK;
    case QV_TYPE_DECIMAL256:
        node->values = cmp_decimal256;
        return QV_OK;
    case QV_TYPE_INTERVAL_DAY_TIME:
        node->values = cmp_interval_dt;
        return QV_OK;
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        node->values = cmp_interval_mdn;
        return QV_OK;
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
        node->values = cmp_binary;
        return QV_OK;
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
        node->values = cmp_large_binary;
        return QV_OK;
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        node->values = cmp_view;
        return QV_OK;
    case QV_TYPE_FIXED_SIZE_BINARY:
        node->values = cmp_fixed_binary;
        node->width = type->fixed_size;
        return QV_OK;
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST:
        node->values = type->id == QV_TYPE_LARGE_LIST        ? cmp_large_list
                       : type->id == QV_TYPE_FIXED_SIZE_LIST ? cmp_fixed_list
                                                             : cmp_list;
        node->width = type->fixed_size;
        return node_children(node, 1, &type->children[0]->type, child_nulls_first, depth, err);
    case QV_TYPE_STRUCT: {
        node->values = cmp_struct;
        arrow_type **types = base_calloc((size_t)(type->n_children > 0 ? type->n_children : 1),
                                         sizeof *types);
        if (types == NULL)
            return base_error_nomem(err, "row comparator");
        for (int32_t c = 0; c < type->n_children; c++)
            types[c] = type->children[c]->type;
        qv_status st =
            node_children(node, type->n_children, types, child_nulls_first, depth, err);
        base_free(types);
        return st;
    }
    case QV_TYPE_DICTIONARY:
        node->values = cmp_dictionary;
        return node_children(node, 1, &type->value_type, child_nulls_first, depth, err);
    case QV_TYPE_RUN_END_ENCODED:
        node->values = cmp_run_end;
        return node_children(node, 1, &type->children[1]->type, child_nulls_first, depth, err);
    default:
        return base_error_set(err, QV_NOT_IMPLEMENTED, "cannot sort values of type %s",
                              arrow_type_id_name(type->id));
    }
}

qv_status func_row_comparator_new(int32_t n_keys, arrow_type *const *types,
                                  const bool *descending, const bool *nulls_first,
                                  func_row_comparator **out, qv_error *err)
{
    *out = NULL;
    if (n_keys < 1)
        return base_error_set(err, QV_MISUSE, "a row comparator needs at least one key");
    func_row_comparator *cmp = base_calloc(1, sizeof *cmp);
    if (cmp == NULL)
        return base_error_nomem(err, "row comparator");
    cmp->keys = base_calloc((size_t)n_keys, sizeof *cmp->keys);
    if (cmp->keys == NULL) {
        base_free(cmp);
        return base_error_nomem(err, "row comparator");
    }
    cmp->n_keys = n_keys;
    qv_status st = QV_OK;
    for (int32_t k = 0; k < n_keys && st == QV_OK; k++) {
        cmp->keys[k].descending = descending[k];
        cmp->keys[k].nulls_first = nulls_first[k];
        /* Children compare ascending; the key's direction flips them, so
         * their nulls go the other way round before it (arrow-rs). */
        st = node_init(&cmp->keys[k].node, types[k], nulls_first[k] != descending[k], 0, err);
    }
    if (st != QV_OK) {
        func_row_comparator_free(cmp);
        return st;
    }
    *out = cmp;
    return QV_OK;
}

int func_row_compare(const func_row_comparator *cmp, arrow_array *const *a, int64_t i,
                     arrow_array *const *b, int64_t j)
{
    for (int32_t k = 0; k < cmp->n_keys; k++) {
        int r = sel_key_compare(&cmp->keys[k], a[k], i, b[k], j);
        if (r != 0)
            return r;
    }
    return 0;
}

void func_row_comparator_free(func_row_comparator *cmp)
{
    if (cmp == NULL)
        return;
    for (int32_t k = 0; k < cmp->n_keys; k++)
        node_clear(&cmp->keys[k].node);
    base_free(cmp->keys);
    base_free(cmp);
}
