/*
 * agg_refs.c — per-group values of any type held as references into
 * retained input arrays (layer: func), and the generic element comparator
 * min / max use for types without a typed loop (Float16, intervals,
 * Decimal256, lists, structs, dictionaries). References are compacted into
 * one array of n_groups rows once the retained arrays hold more rows than
 * twice the groups, so memory stays proportional to the groups.
 */
#include "func/agg_int.h"

void func_agg_refs_init(agg_refs *refs, arrow_type *type)
{
    memset(refs, 0, sizeof *refs);
    refs->type = type;
}

void func_agg_refs_free(agg_refs *refs)
{
    for (int32_t i = 0; i < refs->n_arrays; i++)
        arrow_array_release(refs->arrays[i]);
    base_free(refs->arrays);
    base_free(refs->array_of);
    base_free(refs->row_of);
    memset(refs, 0, sizeof *refs);
}

qv_status func_agg_refs_reserve(agg_refs *refs, int64_t n_groups, qv_error *err)
{
    if (n_groups <= refs->cap)
        return QV_OK;
    int64_t old = refs->cap, cap_rows = refs->cap;
    QV_TRY(func_agg_grow((void **)&refs->row_of, &cap_rows, n_groups, sizeof(int64_t), err));
    int64_t cap = refs->cap;
    QV_TRY(func_agg_grow((void **)&refs->array_of, &cap, cap_rows, sizeof(int32_t), err));
    for (int64_t g = old; g < cap; g++)
        refs->array_of[g] = -1;
    refs->cap = cap;
    return QV_OK;
}

/* Replaces the retained arrays by one array holding each group's value. */
static qv_status compact(agg_refs *refs, int64_t n_groups, qv_error *err)
{
    arrow_array *merged = NULL;
    QV_TRY(func_agg_refs_build(refs, n_groups, &merged, err));
    for (int32_t i = 0; i < refs->n_arrays; i++)
        arrow_array_release(refs->arrays[i]);
    refs->arrays[0] = merged;
    refs->n_arrays = 1;
    refs->retained_rows = merged->length;
    for (int64_t g = 0; g < n_groups; g++) {
        if (refs->array_of[g] >= 0) {
            refs->array_of[g] = 0;
            refs->row_of[g] = g;
        }
    }
    return QV_OK;
}

qv_status func_agg_refs_add(agg_refs *refs, arrow_array *array, int64_t n_groups, int32_t *index,
                            qv_error *err)
{
    int64_t limit = 2 * n_groups < 65536 ? 65536 : 2 * n_groups;
    if (refs->n_arrays > 1 && refs->retained_rows + array->length > limit)
        QV_TRY(compact(refs, n_groups, err));
    QV_TRY(func_agg_grow((void **)&refs->arrays, &refs->arrays_cap, refs->n_arrays + 1,
                         sizeof(arrow_array *), err));
    refs->arrays[refs->n_arrays] = arrow_array_retain(array);
    refs->retained_rows += array->length;
    *index = refs->n_arrays++;
    return QV_OK;
}

qv_status func_agg_refs_build(agg_refs *refs, int64_t n_groups, arrow_array **out, qv_error *err)
{
    *out = NULL;
    arrow_builder *b;
    QV_TRY(arrow_builder_new(refs->type, &b, err));
    qv_status st = QV_OK;
    for (int64_t g = 0; g < n_groups && st == QV_OK; g++) {
        if (g < refs->cap && refs->array_of[g] >= 0)
            st =
                arrow_builder_append_from(b, refs->arrays[refs->array_of[g]], refs->row_of[g], err);
        else
            st = arrow_builder_append_null(b, err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

int64_t func_agg_refs_bytes(const agg_refs *refs)
{
    int64_t bytes = refs->cap * 12 + refs->arrays_cap * (int64_t)sizeof(arrow_array *);
    for (int32_t i = 0; i < refs->n_arrays; i++)
        bytes += func_agg_array_bytes(refs->arrays[i]);
    return bytes;
}

/* ---- comparison ---- */

#define CMP(x, y) ((x) < (y) ? -1 : (x) > (y) ? 1 : 0)

static int64_t read_index(const arrow_array *a, int64_t i)
{
    const uint8_t *p = arrow_array_values(a);
    int64_t j = a->offset + i;
    switch (a->type->index_type->id) {
    case QV_TYPE_INT8:
        return ((const int8_t *)p)[j];
    case QV_TYPE_UINT8:
        return p[j];
    case QV_TYPE_INT16:
        return ((const int16_t *)p)[j];
    case QV_TYPE_UINT16:
        return ((const uint16_t *)p)[j];
    case QV_TYPE_INT32:
        return ((const int32_t *)p)[j];
    case QV_TYPE_UINT32:
        return ((const uint32_t *)p)[j];
    default:
        return ((const int64_t *)p)[j];
    }
}

static void list_range(const arrow_array *a, int64_t i, int64_t *start, int64_t *len)
{
    int64_t j = a->offset + i;
    if (a->type->id == QV_TYPE_FIXED_SIZE_LIST) {
        *start = j * a->type->fixed_size;
        *len = a->type->fixed_size;
    } else if (a->type->id == QV_TYPE_LARGE_LIST) {
        const int64_t *o = (const int64_t *)(const void *)a->buffers[1]->data;
        *start = o[j];
        *len = o[j + 1] - o[j];
    } else {
        const int32_t *o = (const int32_t *)(const void *)a->buffers[1]->data;
        *start = o[j];
        *len = o[j + 1] - o[j];
    }
}

static int compare_bytes(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j)
{
    func_datum da = {(arrow_array *)a, false}, db = {(arrow_array *)b, false};
    func_str sa, sb;
    func_str_init(&sa, &da);
    func_str_init(&sb, &db);
    const uint8_t *pa, *pb;
    int64_t la, lb;
    func_str_at(&sa, i, &pa, &la);
    func_str_at(&sb, j, &pb, &lb);
    int64_t n = la < lb ? la : lb;
    int c = n > 0 ? memcmp(pa, pb, (size_t)n) : 0;
    return c != 0 ? (c < 0 ? -1 : 1) : CMP(la, lb);
}

/* Compares two valid elements of one fixed-width layout. */
static int compare_fixed(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j)
{
    const uint8_t *pa = arrow_array_values(a), *pb = arrow_array_values(b);
    int64_t ia = a->offset + i, ib = b->offset + j;
    switch (a->type->id) {
    case QV_TYPE_BOOLEAN:
        return CMP(arrow_bit_get(pa, ia), arrow_bit_get(pb, ib));
    case QV_TYPE_INT8:
        return CMP(((const int8_t *)pa)[ia], ((const int8_t *)pb)[ib]);
    case QV_TYPE_UINT8:
        return CMP(pa[ia], pb[ib]);
    case QV_TYPE_INT16:
        return CMP(((const int16_t *)pa)[ia], ((const int16_t *)pb)[ib]);
    case QV_TYPE_UINT16:
        return CMP(((const uint16_t *)pa)[ia], ((const uint16_t *)pb)[ib]);
    case QV_TYPE_INT32:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIME32:
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        return CMP(((const int32_t *)pa)[ia], ((const int32_t *)pb)[ib]);
    case QV_TYPE_UINT32:
        return CMP(((const uint32_t *)pa)[ia], ((const uint32_t *)pb)[ib]);
    case QV_TYPE_UINT64:
        return CMP(((const uint64_t *)pa)[ia], ((const uint64_t *)pb)[ib]);
    case QV_TYPE_FLOAT16: {
        double x = func_agg_half_to_double(((const uint16_t *)pa)[ia]);
        double y = func_agg_half_to_double(((const uint16_t *)pb)[ib]);
        return CMP(func_agg_f64_key(x), func_agg_f64_key(y));
    }
    case QV_TYPE_FLOAT32:
        return CMP(func_agg_f32_key(((const float *)pa)[ia]),
                   func_agg_f32_key(((const float *)pb)[ib]));
    case QV_TYPE_FLOAT64:
        return CMP(func_agg_f64_key(((const double *)pa)[ia]),
                   func_agg_f64_key(((const double *)pb)[ib]));
    case QV_TYPE_DECIMAL128: {
        func_i128 x, y;
        memcpy(&x, pa + ia * 16, 16);
        memcpy(&y, pb + ib * 16, 16);
        return CMP(x, y);
    }
    case QV_TYPE_DECIMAL256: {
        func_i128 xh, yh;
        func_u128 xl, yl;
        memcpy(&xl, pa + ia * 32, 16);
        memcpy(&xh, pa + ia * 32 + 16, 16);
        memcpy(&yl, pb + ib * 32, 16);
        memcpy(&yh, pb + ib * 32 + 16, 16);
        return xh != yh ? CMP(xh, yh) : CMP(xl, yl);
    }
    case QV_TYPE_INTERVAL_DAY_TIME: {
        int32_t x[2], y[2];
        memcpy(x, pa + ia * 8, 8);
        memcpy(y, pb + ib * 8, 8);
        return x[0] != y[0] ? CMP(x[0], y[0]) : CMP(x[1], y[1]);
    }
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO: {
        int32_t x[2], y[2];
        int64_t xn, yn;
        memcpy(x, pa + ia * 16, 8);
        memcpy(&xn, pa + ia * 16 + 8, 8);
        memcpy(y, pb + ib * 16, 8);
        memcpy(&yn, pb + ib * 16 + 8, 8);
        if (x[0] != y[0])
            return CMP(x[0], y[0]);
        return x[1] != y[1] ? CMP(x[1], y[1]) : CMP(xn, yn);
    }
    default: /* INT64, DATE64, TIME64, TIMESTAMP, DURATION */
        return CMP(((const int64_t *)pa)[ia], ((const int64_t *)pb)[ib]);
    }
}

int func_agg_compare(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j)
{
    bool va = arrow_array_is_valid(a, i), vb = arrow_array_is_valid(b, j);
    if (!va || !vb)
        return va == vb ? 0 : va ? -1 : 1;
    switch (a->type->id) {
    case QV_TYPE_NULL:
    case QV_TYPE_MAP:
    case QV_TYPE_RUN_END_ENCODED:
        return 0;
    case QV_TYPE_DICTIONARY:
        return func_agg_compare(a->dictionary, read_index(a, i), b->dictionary, read_index(b, j));
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
    case QV_TYPE_FIXED_SIZE_BINARY:
        return compare_bytes(a, i, b, j);
    case QV_TYPE_STRUCT:
        for (int32_t k = 0; k < a->n_children && k < b->n_children; k++) {
            int c = func_agg_compare(a->children[k], a->offset + i, b->children[k], b->offset + j);
            if (c != 0)
                return c;
        }
        return 0;
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST: {
        int64_t sa, la, sb, lb;
        list_range(a, i, &sa, &la);
        list_range(b, j, &sb, &lb);
        for (int64_t k = 0; k < la && k < lb; k++) {
            int c = func_agg_compare(a->children[0], sa + k, b->children[0], sb + k);
            if (c != 0)
                return c;
        }
        return CMP(la, lb);
    }
    default:
        return compare_fixed(a, i, b, j);
    }
}
