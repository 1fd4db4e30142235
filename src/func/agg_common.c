/*
 * agg_common.c — helpers shared by the aggregate accumulators (layer:
 * func): growable per-group arrays, scratch buffers, the per-batch mask of
 * rows that count, typed value access with scalar broadcast, conversion to
 * double, output arrays and schemas, common return types.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "func/agg_int.h"

qv_status func_agg_grow(void **data, int64_t *cap, int64_t need, size_t elem, qv_error *err)
{
    if (need <= *cap)
        return QV_OK;
    int64_t new_cap = *cap < 16 ? 16 : *cap;
    while (new_cap < need)
        new_cap *= 2;
    void *p = base_realloc(*data, (size_t)new_cap * elem);
    if (p == NULL)
        return base_error_nomem(err, "aggregate state");
    memset((uint8_t *)p + (size_t)*cap * elem, 0, (size_t)(new_cap - *cap) * elem);
    *data = p;
    *cap = new_cap;
    return QV_OK;
}

void *func_agg_scratch(agg_scratch *s, size_t bytes, qv_error *err)
{
    if (bytes == 0)
        bytes = 1;
    if (bytes > s->cap) {
        size_t cap = s->cap < 256 ? 256 : s->cap;
        while (cap < bytes)
            cap *= 2;
        void *p = base_realloc(s->data, cap);
        if (p == NULL) {
            base_error_nomem(err, "aggregate scratch");
            return NULL;
        }
        s->data = p;
        s->cap = cap;
    }
    return s->data;
}

void func_agg_scratch_free(agg_scratch *s)
{
    base_free(s->data);
    s->data = NULL;
    s->cap = 0;
}

/* ---- rows ---- */

qv_status func_agg_rows(const func_datum *args, int n_args, const uint8_t *rows_selected,
                        int64_t n_rows, agg_scratch *scratch, const uint8_t **mask, bool *none,
                        qv_error *err)
{
    *mask = NULL;
    *none = n_rows == 0;
    bool need = rows_selected != NULL;
    for (int k = 0; k < n_args; k++) {
        arrow_array *a = args[k].array;
        if (a->type->id == QV_TYPE_NULL) {
            *none = true;
            return QV_OK;
        }
        if (args[k].is_scalar) {
            if (!arrow_array_is_valid(a, 0)) {
                *none = true;
                return QV_OK;
            }
            continue;
        }
        /* run-end encoded arrays carry no validity buffer of their own */
        if (a->type->id == QV_TYPE_RUN_END_ENCODED ||
            (a->buffers[0] != NULL && arrow_array_null_count(a) > 0))
            need = true;
    }
    if (!need || *none)
        return QV_OK;
    uint8_t *m = func_agg_scratch(scratch, (size_t)n_rows, err);
    if (m == NULL)
        return QV_NOMEM;
    if (rows_selected != NULL)
        memcpy(m, rows_selected, (size_t)n_rows);
    else
        memset(m, 1, (size_t)n_rows);
    for (int k = 0; k < n_args; k++) {
        const arrow_array *a = args[k].array;
        if (args[k].is_scalar)
            continue;
        if (a->type->id == QV_TYPE_RUN_END_ENCODED) {
            for (int64_t i = 0; i < n_rows; i++)
                m[i] = (uint8_t)(m[i] & arrow_array_is_valid(a, i));
            continue;
        }
        if (a->buffers[0] == NULL)
            continue;
        const uint8_t *bits = a->buffers[0]->data;
        int64_t off = a->offset;
        for (int64_t i = 0; i < n_rows; i++)
            m[i] = (uint8_t)(m[i] & ((bits[(off + i) >> 3] >> ((off + i) & 7)) & 1));
    }
    *mask = m;
    return QV_OK;
}

/* ---- values ---- */

const void *func_agg_fixed(const func_datum *d, int64_t n_rows, int width, agg_scratch *scratch,
                           qv_error *err)
{
    const uint8_t *src = func_fixed_ptr(d->array, width);
    if (!d->is_scalar)
        return src;
    uint8_t *dst = func_agg_scratch(scratch, (size_t)(n_rows * width), err);
    if (dst == NULL)
        return NULL;
    for (int64_t i = 0; i < n_rows; i++)
        memcpy(dst + i * width, src, (size_t)width);
    return dst;
}

double func_agg_half_to_double(uint16_t h)
{
    int sign = h >> 15, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
    double v;
    if (exp == 0)
        v = ldexp((double)mant, -24);
    else if (exp == 31)
        v = mant ? NAN : INFINITY;
    else
        v = ldexp((double)(mant | 0x400), exp - 25);
    return sign ? -v : v;
}

bool func_agg_is_numeric(arrow_type_id id)
{
    return arrow_type_is_integer(id) || arrow_type_is_floating(id) || id == QV_TYPE_DECIMAL128;
}

#define LOAD_LOOP(T)                                                                               \
    do {                                                                                           \
        const T *v = (const T *)func_fixed_ptr(a, (int)sizeof(T));                                 \
        if (d->is_scalar) {                                                                        \
            double x = (double)v[0];                                                               \
            for (int64_t i = 0; i < n_rows; i++)                                                   \
                dst[i] = x;                                                                        \
        } else {                                                                                   \
            for (int64_t i = 0; i < n_rows; i++)                                                   \
                dst[i] = (double)v[i];                                                             \
        }                                                                                          \
    } while (0)

void func_agg_load_f64(const func_datum *d, int64_t n_rows, double *dst)
{
    const arrow_array *a = d->array;
    switch (a->type->id) {
    case QV_TYPE_INT8:
        LOAD_LOOP(int8_t);
        break;
    case QV_TYPE_INT16:
        LOAD_LOOP(int16_t);
        break;
    case QV_TYPE_INT32:
        LOAD_LOOP(int32_t);
        break;
    case QV_TYPE_INT64:
        LOAD_LOOP(int64_t);
        break;
    case QV_TYPE_UINT8:
        LOAD_LOOP(uint8_t);
        break;
    case QV_TYPE_UINT16:
        LOAD_LOOP(uint16_t);
        break;
    case QV_TYPE_UINT32:
        LOAD_LOOP(uint32_t);
        break;
    case QV_TYPE_UINT64:
        LOAD_LOOP(uint64_t);
        break;
    case QV_TYPE_FLOAT32:
        LOAD_LOOP(float);
        break;
    case QV_TYPE_FLOAT64:
        LOAD_LOOP(double);
        break;
    case QV_TYPE_FLOAT16: {
        const uint16_t *v = (const uint16_t *)func_fixed_ptr(a, 2);
        for (int64_t i = 0; i < n_rows; i++)
            dst[i] = func_agg_half_to_double(v[d->is_scalar ? 0 : i]);
        break;
    }
    case QV_TYPE_DECIMAL128: {
        const uint8_t *v = func_fixed_ptr(a, 16);
        double scale = pow(10.0, (double)a->type->scale);
        for (int64_t i = 0; i < n_rows; i++) {
            func_i128 x;
            memcpy(&x, v + (d->is_scalar ? 0 : i) * 16, 16);
            dst[i] = (double)x / scale;
        }
        break;
    }
    default:
        for (int64_t i = 0; i < n_rows; i++)
            dst[i] = 0;
        break;
    }
}

/* ---- output ---- */

qv_status func_agg_make_array(arrow_type *type, int64_t n, const void *values, int width,
                              const uint8_t *valid, arrow_array **out, qv_error *err)
{
    *out = NULL;
    arrow_buffer *validity = NULL, *data = NULL;
    bool is_bool = type->id == QV_TYPE_BOOLEAN;
    int64_t size = is_bool ? (n + 7) / 8 : n * width;
    QV_TRY(arrow_buffer_new(size, &data, err));
    if (is_bool) {
        const uint8_t *src = values;
        for (int64_t i = 0; i < n; i++) {
            if (src[i])
                data->data[i >> 3] = (uint8_t)(data->data[i >> 3] | (1u << (i & 7)));
        }
    } else if (size > 0) {
        memcpy(data->data, values, (size_t)size);
    }
    if (valid != NULL) {
        bool all = true;
        for (int64_t i = 0; i < n && all; i++)
            all = valid[i] != 0;
        if (!all) {
            qv_status st = func_bitmap_new(n, &validity, err);
            if (st != QV_OK) {
                arrow_buffer_release(data);
                return st;
            }
            for (int64_t i = 0; i < n; i++) {
                if (valid[i])
                    validity->data[i >> 3] = (uint8_t)(validity->data[i >> 3] | (1u << (i & 7)));
            }
        }
    }
    return func_make_fixed(type, n, validity, data, out, err);
}

qv_status func_agg_schema(int n, const char *const *names, arrow_type *const *types,
                          arrow_schema **out, qv_error *err)
{
    *out = NULL;
    arrow_field *fields[8];
    QV_ASSERT(n <= 8);
    int made = 0;
    qv_status st = QV_OK;
    for (; made < n && st == QV_OK; made++) {
        st = arrow_field_new(names[made], types[made], true, NULL, &fields[made], err);
        if (st != QV_OK)
            break;
    }
    if (st == QV_OK)
        st = arrow_schema_new(n, fields, NULL, out, err);
    for (int i = 0; i < made; i++)
        arrow_field_release(fields[i]);
    return st;
}

qv_status func_agg_schema1(const char *name, arrow_type *type, arrow_schema **out, qv_error *err)
{
    return func_agg_schema(1, &name, &type, out, err);
}

qv_status func_agg_nulls(arrow_type *type, int64_t n, arrow_array **out, qv_error *err)
{
    return arrow_array_new_null(type, n, out, err);
}

int64_t func_agg_array_bytes(const arrow_array *array)
{
    if (array == NULL)
        return 0;
    int64_t bytes = 0;
    for (int32_t i = 0; i < array->n_buffers; i++) {
        if (array->buffers[i] != NULL)
            bytes += array->buffers[i]->size;
    }
    for (int32_t i = 0; i < array->n_children; i++)
        bytes += func_agg_array_bytes(array->children[i]);
    return bytes + func_agg_array_bytes(array->dictionary);
}

void func_agg_format_f64(double v, char *buf, size_t cap)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* ---- return types ---- */

qv_status func_agg_rt_first(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    AGG_UNUSED(err);
    *out = arrow_type_retain(types[0]);
    return QV_OK;
}

static qv_status rt_prim(arrow_type_id id, arrow_type **out)
{
    *out = arrow_type_primitive(id);
    return QV_OK;
}

qv_status func_agg_rt_i64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    AGG_UNUSED(types);
    AGG_UNUSED(err);
    return rt_prim(QV_TYPE_INT64, out);
}

qv_status func_agg_rt_u64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    AGG_UNUSED(types);
    AGG_UNUSED(err);
    return rt_prim(QV_TYPE_UINT64, out);
}

qv_status func_agg_rt_f64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    AGG_UNUSED(types);
    AGG_UNUSED(err);
    return rt_prim(QV_TYPE_FLOAT64, out);
}

qv_status func_agg_rt_bool(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    AGG_UNUSED(types);
    AGG_UNUSED(err);
    return rt_prim(QV_TYPE_BOOLEAN, out);
}

/* ---- sorting and grouping ---- */

/* Introsort over T with an inline less-than: quicksort (median of three,
 * recursing into the smaller side), insertion sort below 16 elements and
 * heapsort when the depth runs out, so the worst case stays n log n. */
#define DEFINE_SORT(NAME, T, LESS)                                                                 \
    static void NAME##_insertion(T *a, int64_t n)                                                  \
    {                                                                                              \
        for (int64_t i = 1; i < n; i++) {                                                          \
            T x = a[i];                                                                            \
            int64_t j = i;                                                                         \
            while (j > 0 && LESS(x, a[j - 1])) {                                                   \
                a[j] = a[j - 1];                                                                   \
                j--;                                                                               \
            }                                                                                      \
            a[j] = x;                                                                              \
        }                                                                                          \
    }                                                                                              \
    static void NAME##_sift(T *a, int64_t start, int64_t n)                                        \
    {                                                                                              \
        int64_t root = start;                                                                      \
        while (2 * root + 1 < n) {                                                                 \
            int64_t child = 2 * root + 1;                                                          \
            if (child + 1 < n && LESS(a[child], a[child + 1]))                                     \
                child++;                                                                           \
            if (!LESS(a[root], a[child]))                                                          \
                return;                                                                            \
            T t = a[root];                                                                         \
            a[root] = a[child];                                                                    \
            a[child] = t;                                                                          \
            root = child;                                                                          \
        }                                                                                          \
    }                                                                                              \
    static void NAME##_heap(T *a, int64_t n)                                                       \
    {                                                                                              \
        for (int64_t i = n / 2 - 1; i >= 0; i--)                                                   \
            NAME##_sift(a, i, n);                                                                  \
        for (int64_t end = n - 1; end > 0; end--) {                                                \
            T t = a[0];                                                                            \
            a[0] = a[end];                                                                         \
            a[end] = t;                                                                            \
            NAME##_sift(a, 0, end);                                                                \
        }                                                                                          \
    }                                                                                              \
    static void NAME##_intro(T *a, int64_t n, int depth)                                           \
    {                                                                                              \
        while (n > 16) {                                                                           \
            if (depth-- == 0) {                                                                    \
                NAME##_heap(a, n);                                                                 \
                return;                                                                            \
            }                                                                                      \
            int64_t mid = n / 2;                                                                   \
            if (LESS(a[mid], a[0])) {                                                              \
                T t = a[mid];                                                                      \
                a[mid] = a[0];                                                                     \
                a[0] = t;                                                                          \
            }                                                                                      \
            if (LESS(a[n - 1], a[0])) {                                                            \
                T t = a[n - 1];                                                                    \
                a[n - 1] = a[0];                                                                   \
                a[0] = t;                                                                          \
            }                                                                                      \
            if (LESS(a[n - 1], a[mid])) {                                                          \
                T t = a[n - 1];                                                                    \
                a[n - 1] = a[mid];                                                                 \
                a[mid] = t;                                                                        \
            }                                                                                      \
            T pivot = a[mid];                                                                      \
            int64_t i = 0, j = n - 1;                                                              \
            for (;;) {                                                                             \
                while (LESS(a[i], pivot))                                                          \
                    i++;                                                                           \
                while (LESS(pivot, a[j]))                                                          \
                    j--;                                                                           \
                if (i >= j)                                                                        \
                    break;                                                                         \
                T t = a[i];                                                                        \
                a[i] = a[j];                                                                       \
                a[j] = t;                                                                          \
                i++;                                                                               \
                j--;                                                                               \
            }                                                                                      \
            /* [0, j] <= pivot <= [j+1, n) */                                                      \
            int64_t left = j + 1;                                                                  \
            if (left < n - left) {                                                                 \
                NAME##_intro(a, left, depth);                                                      \
                a += left;                                                                         \
                n -= left;                                                                         \
            } else {                                                                               \
                NAME##_intro(a + left, n - left, depth);                                           \
                n = left;                                                                          \
            }                                                                                      \
        }                                                                                          \
        NAME##_insertion(a, n);                                                                    \
    }                                                                                              \
    void NAME(T *a, int64_t n)                                                                     \
    {                                                                                              \
        int depth = 0;                                                                             \
        for (int64_t k = n; k > 1; k >>= 1)                                                        \
            depth += 2;                                                                            \
        NAME##_intro(a, n, depth);                                                                 \
    }

#define LESS_PLAIN(x, y) ((x) < (y))
DEFINE_SORT(func_agg_sort_i64, int64_t, LESS_PLAIN)
DEFINE_SORT(func_agg_sort_i128, func_i128, LESS_PLAIN)
DEFINE_SORT(func_agg_sort_u32, uint32_t, LESS_PLAIN)

qv_status func_agg_group_rows(const uint32_t *group_ids, const uint8_t *mask, int64_t n_rows,
                              agg_scratch *scratch, uint32_t **rows_out, int64_t *n_out,
                              qv_error *err)
{
    /* Two row buffers of n_rows and three 11-bit radix passes over the group id. */
    uint32_t *buf = func_agg_scratch(scratch, (size_t)n_rows * 8 + 8, err);
    if (buf == NULL)
        return QV_NOMEM;
    uint32_t *a = buf, *b = buf + n_rows;
    int64_t n = 0;
    uint32_t max_group = 0;
    AGG_FOR_ROWS(mask, n_rows, {
        a[n++] = (uint32_t)i;
        if (group_ids[i] > max_group)
            max_group = group_ids[i];
    });
    for (int shift = 0; shift < 33 && (max_group >> shift) != 0; shift += 11) {
        int64_t counts[2049];
        memset(counts, 0, sizeof counts);
        for (int64_t k = 0; k < n; k++)
            counts[((group_ids[a[k]] >> shift) & 2047) + 1]++;
        for (int d = 0; d < 2048; d++)
            counts[d + 1] += counts[d];
        for (int64_t k = 0; k < n; k++)
            b[counts[(group_ids[a[k]] >> shift) & 2047]++] = a[k];
        uint32_t *t = a;
        a = b;
        b = t;
    }
    *rows_out = a;
    *n_out = n;
    return QV_OK;
}
