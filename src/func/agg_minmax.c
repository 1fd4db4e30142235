/*
 * agg_minmax.c — min and max (layer: func) for every comparable type, the
 * result keeping the input type. Typed loops for integers, dates, times,
 * timestamps, durations, floats (IEEE total order, so NaN is the largest
 * value as in DataFusion), Decimal128 and Boolean; byte strings (all string
 * and binary layouts) keep one owned copy per group and copy a batch's
 * winner once per batch; every other type (Float16, intervals, Decimal256,
 * lists, structs, dictionaries) goes through row references and the
 * generic comparator of agg_refs.c. The partial state is the running value.
 */
#include "func/agg_int.h"

typedef enum mm_kind {
    MM_I8,
    MM_I16,
    MM_I32,
    MM_I64,
    MM_U8,
    MM_U16,
    MM_U32,
    MM_U64,
    MM_F32,
    MM_F64,
    MM_D128,
    MM_BOOL,
    MM_BYTES,
    MM_GENERIC,
    MM_NULL
} mm_kind;

typedef struct bytes_slot {
    uint8_t *data;
    int64_t len;
    int64_t cap;
} bytes_slot;

typedef struct minmax_state {
    func_agg_state base;
    bool is_min;
    mm_kind kind;
    int width;        /* fixed kinds: bytes per value */
    arrow_type *type; /* input = result type */
    uint8_t *acc;     /* fixed kinds: per-group running value */
    int64_t acc_cap;
    uint8_t *seen;
    int64_t seen_cap;
    bytes_slot *slots; /* MM_BYTES */
    int64_t slots_cap;
    int64_t *cand; /* MM_BYTES: per group, the batch's best row or -1 */
    int64_t cand_cap;
    int64_t slot_bytes;
    agg_refs refs; /* MM_GENERIC */
    agg_scratch mask_scratch;
    agg_scratch value_scratch;
} minmax_state;

static mm_kind kind_of(const arrow_type *t)
{
    switch (t->id) {
    case QV_TYPE_INT8:
        return MM_I8;
    case QV_TYPE_INT16:
        return MM_I16;
    case QV_TYPE_INT32:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIME32:
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        return MM_I32;
    case QV_TYPE_INT64:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION:
        return MM_I64;
    case QV_TYPE_UINT8:
        return MM_U8;
    case QV_TYPE_UINT16:
        return MM_U16;
    case QV_TYPE_UINT32:
        return MM_U32;
    case QV_TYPE_UINT64:
        return MM_U64;
    case QV_TYPE_FLOAT32:
        return MM_F32;
    case QV_TYPE_FLOAT64:
        return MM_F64;
    case QV_TYPE_DECIMAL128:
        return MM_D128;
    case QV_TYPE_BOOLEAN:
        return MM_BOOL;
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
    case QV_TYPE_FIXED_SIZE_BINARY:
        return MM_BYTES;
    case QV_TYPE_NULL:
        return MM_NULL;
    default:
        return MM_GENERIC;
    }
}

static const int kind_width[] = {1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 16, 1, 0, 0, 0};

/* Writes the identity of min (the largest value) or max (the smallest) to
 * dst, so that the loops need no "first value" branch. */
static void identity(mm_kind kind, bool is_min, uint8_t *dst)
{
    switch (kind) {
    case MM_I8: {
        int8_t v = is_min ? INT8_MAX : INT8_MIN;
        memcpy(dst, &v, 1);
        break;
    }
    case MM_I16: {
        int16_t v = is_min ? INT16_MAX : INT16_MIN;
        memcpy(dst, &v, 2);
        break;
    }
    case MM_I32: {
        int32_t v = is_min ? INT32_MAX : INT32_MIN;
        memcpy(dst, &v, 4);
        break;
    }
    case MM_I64: {
        int64_t v = is_min ? INT64_MAX : INT64_MIN;
        memcpy(dst, &v, 8);
        break;
    }
    case MM_U8:
    case MM_U16:
    case MM_U32:
    case MM_U64:
    case MM_BOOL:
        memset(dst, is_min ? 0xFF : 0, (size_t)kind_width[kind]);
        break;
    case MM_F32: {
        /* bit patterns at the ends of the total order (NaNs with full payload) */
        uint32_t v = is_min ? 0x7FFFFFFFu : 0xFFFFFFFFu;
        memcpy(dst, &v, 4);
        break;
    }
    case MM_F64: {
        uint64_t v = is_min ? 0x7FFFFFFFFFFFFFFFull : 0xFFFFFFFFFFFFFFFFull;
        memcpy(dst, &v, 8);
        break;
    }
    case MM_D128: {
        func_u128 u = ~(func_u128)0 >> 1;
        func_i128 v = is_min ? (func_i128)u : -(func_i128)u - 1;
        memcpy(dst, &v, 16);
        break;
    }
    default:
        break;
    }
}

static qv_status ensure(minmax_state *s, int64_t n_groups, qv_error *err)
{
    if (n_groups <= s->seen_cap)
        return QV_OK;
    if (s->width > 0) {
        int64_t old = s->acc_cap;
        QV_TRY(func_agg_grow((void **)&s->acc, &s->acc_cap, n_groups, (size_t)s->width, err));
        for (int64_t g = old; g < s->acc_cap; g++)
            identity(s->kind, s->is_min, s->acc + g * s->width);
    }
    if (s->kind == MM_BYTES) {
        QV_TRY(func_agg_grow((void **)&s->slots, &s->slots_cap, n_groups, sizeof(bytes_slot), err));
        int64_t old = s->cand_cap;
        QV_TRY(func_agg_grow((void **)&s->cand, &s->cand_cap, n_groups, 8, err));
        for (int64_t g = old; g < s->cand_cap; g++)
            s->cand[g] = -1;
    }
    if (s->kind == MM_GENERIC)
        QV_TRY(func_agg_refs_reserve(&s->refs, n_groups, err));
    return func_agg_grow((void **)&s->seen, &s->seen_cap, n_groups, 1, err);
}

/* ---- typed loops ---- */

#define KEY_SELF(x) (x)

#define MM_LOOP(T, KEY)                                                                            \
    do {                                                                                           \
        const T *v = (const T *)vals;                                                              \
        T *acc = (T *)(void *)s->acc;                                                              \
        uint8_t *seen = s->seen;                                                                   \
        if (s->is_min)                                                                             \
            AGG_FOR_ROWS(mask, n_rows, {                                                           \
                uint32_t g = group_ids[i];                                                         \
                T x = v[i];                                                                        \
                acc[g] = KEY(x) < KEY(acc[g]) ? x : acc[g];                                        \
                seen[g] = 1;                                                                       \
            });                                                                                    \
        else                                                                                       \
            AGG_FOR_ROWS(mask, n_rows, {                                                           \
                uint32_t g = group_ids[i];                                                         \
                T x = v[i];                                                                        \
                acc[g] = KEY(x) > KEY(acc[g]) ? x : acc[g];                                        \
                seen[g] = 1;                                                                       \
            });                                                                                    \
    } while (0)

static void update_d128(minmax_state *s, const uint8_t *vals, const uint32_t *group_ids,
                        const uint8_t *mask, int64_t n_rows)
{
    uint8_t *acc = s->acc, *seen = s->seen;
    bool is_min = s->is_min;
    AGG_FOR_ROWS(mask, n_rows, {
        uint32_t g = group_ids[i];
        func_i128 x, cur;
        memcpy(&x, vals + i * 16, 16);
        memcpy(&cur, acc + (int64_t)g * 16, 16);
        if (is_min ? x < cur : x > cur)
            memcpy(acc + (int64_t)g * 16, &x, 16);
        seen[g] = 1;
    });
}

static void update_bool(minmax_state *s, const func_datum *arg, const uint32_t *group_ids,
                        const uint8_t *mask, int64_t n_rows)
{
    const uint8_t *bits = arrow_array_values(arg->array);
    int64_t off = arg->array->offset, step = arg->is_scalar ? 0 : 1;
    uint8_t *acc = s->acc, *seen = s->seen;
    /* min is AND (false < true), max is OR */
    if (s->is_min)
        AGG_FOR_ROWS(mask, n_rows, {
            int64_t j = off + i * step;
            acc[group_ids[i]] &= (uint8_t)((bits[j >> 3] >> (j & 7)) & 1);
            seen[group_ids[i]] = 1;
        });
    else
        AGG_FOR_ROWS(mask, n_rows, {
            int64_t j = off + i * step;
            acc[group_ids[i]] |= (uint8_t)((bits[j >> 3] >> (j & 7)) & 1);
            seen[group_ids[i]] = 1;
        });
}

static inline int bytes_cmp(const uint8_t *a, int64_t la, const uint8_t *b, int64_t lb)
{
    int64_t n = la < lb ? la : lb;
    int c = n > 0 ? memcmp(a, b, (size_t)n) : 0;
    return c != 0 ? c : (la < lb ? -1 : la > lb);
}

static qv_status update_bytes(minmax_state *s, const func_datum *arg, const uint32_t *group_ids,
                              const uint8_t *mask, int64_t n_rows, qv_error *err)
{
    func_str rd;
    func_str_init(&rd, arg);
    uint32_t *touched = func_agg_scratch(&s->value_scratch, (size_t)n_rows * 4, err);
    if (touched == NULL)
        return QV_NOMEM;
    int64_t n_touched = 0;
    int sign = s->is_min ? -1 : 1;
    int64_t *cand = s->cand;
    AGG_FOR_ROWS(mask, n_rows, {
        uint32_t g = group_ids[i];
        const uint8_t *p;
        int64_t len;
        func_str_at(&rd, i, &p, &len);
        int64_t c = cand[g];
        if (c >= 0) {
            const uint8_t *q;
            int64_t lq;
            func_str_at(&rd, c, &q, &lq);
            if (bytes_cmp(p, len, q, lq) * sign > 0)
                cand[g] = i;
        } else if (!s->seen[g] || bytes_cmp(p, len, s->slots[g].data, s->slots[g].len) * sign > 0) {
            cand[g] = i;
            touched[n_touched++] = g;
        }
    });
    /* Copy each group's winner once; on failure keep going so cand is reset. */
    qv_status st = QV_OK;
    for (int64_t k = 0; k < n_touched; k++) {
        uint32_t g = touched[k];
        const uint8_t *p;
        int64_t len;
        func_str_at(&rd, cand[g], &p, &len);
        cand[g] = -1;
        if (st != QV_OK)
            continue;
        bytes_slot *slot = &s->slots[g];
        if (len > slot->cap) {
            int64_t cap = len < 16 ? 16 : len;
            uint8_t *d = base_realloc(slot->data, (size_t)cap);
            if (d == NULL) {
                st = base_error_nomem(err, "min/max value");
                continue;
            }
            s->slot_bytes += cap - slot->cap;
            slot->data = d;
            slot->cap = cap;
        }
        if (len > 0)
            memcpy(slot->data, p, (size_t)len);
        slot->len = len;
        s->seen[g] = 1;
    }
    return st;
}

static qv_status update_generic(minmax_state *s, const func_datum *arg, const uint32_t *group_ids,
                                const uint8_t *mask, int64_t n_rows, int64_t n_groups,
                                qv_error *err)
{
    agg_refs *r = &s->refs;
    int32_t idx = -1;
    int64_t step = arg->is_scalar ? 0 : 1;
    int sign = s->is_min ? -1 : 1;
    AGG_FOR_ROWS(mask, n_rows, {
        uint32_t g = group_ids[i];
        int32_t cur = r->array_of[g];
        if (cur < 0 ||
            func_agg_compare(arg->array, i * step, r->arrays[cur], r->row_of[g]) * sign > 0) {
            if (idx < 0) {
                QV_TRY(func_agg_refs_add(r, arg->array, n_groups, &idx, err));
            }
            r->array_of[g] = idx;
            r->row_of[g] = i * step;
            s->seen[g] = 1;
        }
    });
    return QV_OK;
}

static qv_status minmax_update(func_agg_state *state, const func_datum *args,
                               const uint32_t *group_ids, const uint8_t *rows_selected,
                               int64_t n_rows, int64_t n_groups, qv_error *err)
{
    minmax_state *s = (minmax_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, 1, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none)
        return QV_OK;
    switch (s->kind) {
    case MM_BOOL:
        update_bool(s, &args[0], group_ids, mask, n_rows);
        return QV_OK;
    case MM_BYTES:
        return update_bytes(s, &args[0], group_ids, mask, n_rows, err);
    case MM_GENERIC:
        return update_generic(s, &args[0], group_ids, mask, n_rows, n_groups, err);
    case MM_NULL:
        return QV_OK;
    default:
        break;
    }
    const void *vals = func_agg_fixed(&args[0], n_rows, s->width, &s->value_scratch, err);
    if (vals == NULL)
        return QV_NOMEM;
    switch (s->kind) {
    case MM_I8:
        MM_LOOP(int8_t, KEY_SELF);
        break;
    case MM_I16:
        MM_LOOP(int16_t, KEY_SELF);
        break;
    case MM_I32:
        MM_LOOP(int32_t, KEY_SELF);
        break;
    case MM_I64:
        MM_LOOP(int64_t, KEY_SELF);
        break;
    case MM_U8:
        MM_LOOP(uint8_t, KEY_SELF);
        break;
    case MM_U16:
        MM_LOOP(uint16_t, KEY_SELF);
        break;
    case MM_U32:
        MM_LOOP(uint32_t, KEY_SELF);
        break;
    case MM_U64:
        MM_LOOP(uint64_t, KEY_SELF);
        break;
    case MM_F32:
        MM_LOOP(float, func_agg_f32_key);
        break;
    case MM_F64:
        MM_LOOP(double, func_agg_f64_key);
        break;
    default:
        update_d128(s, vals, group_ids, mask, n_rows);
        break;
    }
    return QV_OK;
}

static qv_status minmax_merge(func_agg_state *state, arrow_array *const *states,
                              const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                              qv_error *err)
{
    func_datum d = {states[0], false};
    return minmax_update(state, &d, group_ids, NULL, n_rows, n_groups, err);
}

static qv_status minmax_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                                 qv_error *err)
{
    minmax_state *s = (minmax_state *)state;
    *out = NULL;
    QV_TRY(ensure(s, n_groups, err));
    switch (s->kind) {
    case MM_NULL:
        return func_agg_nulls(s->type, n_groups, out, err);
    case MM_GENERIC:
        return func_agg_refs_build(&s->refs, n_groups, out, err);
    case MM_BYTES: {
        arrow_builder *b;
        QV_TRY(arrow_builder_new(s->type, &b, err));
        qv_status st = QV_OK;
        for (int64_t g = 0; g < n_groups && st == QV_OK; g++) {
            if (s->seen[g])
                st = arrow_builder_append_bytes(b, s->slots[g].data, s->slots[g].len, err);
            else
                st = arrow_builder_append_null(b, err);
        }
        if (st == QV_OK)
            st = arrow_builder_finish(b, out, err);
        arrow_builder_free(b);
        return st;
    }
    default:
        return func_agg_make_array(s->type, n_groups, s->acc, s->width, s->seen, out, err);
    }
}

static qv_status minmax_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                             qv_error *err)
{
    return minmax_evaluate(state, n_groups, &states_out[0], err);
}

static int64_t minmax_memory(const func_agg_state *state)
{
    const minmax_state *s = (const minmax_state *)state;
    return (int64_t)sizeof *s + s->acc_cap * s->width + s->seen_cap +
           s->slots_cap * (int64_t)sizeof(bytes_slot) + s->cand_cap * 8 + s->slot_bytes +
           func_agg_refs_bytes(&s->refs) + (int64_t)(s->mask_scratch.cap + s->value_scratch.cap);
}

static void minmax_free(func_agg_state *state)
{
    minmax_state *s = (minmax_state *)state;
    if (s == NULL)
        return;
    for (int64_t g = 0; g < s->slots_cap; g++)
        base_free(s->slots[g].data);
    base_free(s->slots);
    base_free(s->cand);
    base_free(s->acc);
    base_free(s->seen);
    func_agg_refs_free(&s->refs);
    func_agg_scratch_free(&s->mask_scratch);
    func_agg_scratch_free(&s->value_scratch);
    arrow_type_release(s->type);
    base_free(s);
}

static const func_agg_ops minmax_ops = {minmax_update, minmax_merge, minmax_emit, minmax_evaluate,
                                        minmax_memory, minmax_free,  NULL};

static qv_status minmax_create(bool is_min, const func_agg_call *call, func_agg_state **out,
                               qv_error *err)
{
    *out = NULL;
    minmax_state *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "aggregate state");
    s->base.ops = &minmax_ops;
    s->is_min = is_min;
    s->type = arrow_type_retain(call->arg_types[0]);
    s->kind = kind_of(s->type);
    s->width = kind_width[s->kind];
    func_agg_refs_init(&s->refs, s->type);
    *out = &s->base;
    return QV_OK;
}

static qv_status minmax_schema(const func_agg_call *call, arrow_schema **out, qv_error *err)
{
    return func_agg_schema1("value", call->arg_types[0], out, err);
}

static qv_status min_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    return minmax_create(true, call, out, err);
}

static qv_status max_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    return minmax_create(false, call, out, err);
}

const func_agg_impl func_agg_min_impl = {func_agg_rt_first, minmax_schema, min_create};
const func_agg_impl func_agg_max_impl = {func_agg_rt_first, minmax_schema, max_create};
