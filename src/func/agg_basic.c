/*
 * agg_basic.c — count, sum, avg, bool_and / bool_or and bit_and / bit_or /
 * bit_xor (layer: func): grouped accumulators over flat per-group arrays,
 * one typed loop per input type chosen once per batch. Result types follow
 * DataFusion: count Int64; sum Int64 / UInt64 / Float64 / Decimal128(p+10, s)
 * (integer sums wrap); avg Float64 / Decimal128(p+4, s+4); bool_* Boolean;
 * bit_* the input type. count, sum and avg also retract rows (for window
 * frames that slide); sum keeps a per-group row count for that.
 */
#include <math.h>

#include "func/agg_int.h"

typedef enum basic_op {
    OP_COUNT,
    OP_SUM,
    OP_AVG,
    OP_BOOL_AND,
    OP_BOOL_OR,
    OP_BIT_AND,
    OP_BIT_OR,
    OP_BIT_XOR
} basic_op;

/* How values accumulate. */
typedef enum acc_kind {
    ACC_I64,  /* wrapping 64-bit integer sum / bit ops (uint64_t storage) */
    ACC_F64,  /* double */
    ACC_D128, /* wrapping 128-bit decimal sum */
    ACC_NONE  /* Null input: nothing accumulates */
} acc_kind;

typedef struct basic_state {
    func_agg_state base;
    basic_op op;
    acc_kind kind;
    int n_args;
    arrow_type *in_type;  /* argument 0 */
    arrow_type *out_type; /* result */
    arrow_type *sum_type; /* avg: the state's sum column */
    uint8_t *acc;         /* per group, acc_width bytes */
    int acc_width;
    int64_t acc_cap;
    uint8_t *seen; /* per group: a row arrived */
    int64_t seen_cap;
    uint64_t *count; /* count / avg */
    int64_t count_cap;
    agg_scratch mask_scratch;
    agg_scratch value_scratch;
} basic_state;

/* ---- types ---- */

static bool is_signed_int(arrow_type_id id)
{
    return id == QV_TYPE_INT8 || id == QV_TYPE_INT16 || id == QV_TYPE_INT32 || id == QV_TYPE_INT64;
}

static bool is_unsigned_int(arrow_type_id id)
{
    return id == QV_TYPE_UINT8 || id == QV_TYPE_UINT16 || id == QV_TYPE_UINT32 ||
           id == QV_TYPE_UINT64;
}

static qv_status unsupported(qv_error *err, const char *fn, const arrow_type *type)
{
    char name[128];
    func_type_name(type, name, sizeof name);
    return base_error_set(err, QV_PLAN, "Error during planning: %s not supported for %s", fn, name);
}

static qv_status decimal_type(int32_t precision, int32_t scale, arrow_type **out, qv_error *err)
{
    return arrow_type_decimal(QV_TYPE_DECIMAL128, precision > 38 ? 38 : precision,
                              scale > 38 ? 38 : scale, out, err);
}

static qv_status rt_sum(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    arrow_type_id id = types[0]->id;
    if (is_signed_int(id) || id == QV_TYPE_NULL)
        *out = arrow_type_primitive(QV_TYPE_INT64);
    else if (is_unsigned_int(id))
        *out = arrow_type_primitive(QV_TYPE_UINT64);
    else if (arrow_type_is_floating(id))
        *out = arrow_type_primitive(QV_TYPE_FLOAT64);
    else if (id == QV_TYPE_DECIMAL128)
        return decimal_type(types[0]->precision + 10, types[0]->scale, out, err);
    else
        return unsupported(err, "Sum", types[0]);
    return QV_OK;
}

static qv_status rt_avg(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    arrow_type_id id = types[0]->id;
    if (arrow_type_is_integer(id) || arrow_type_is_floating(id) || id == QV_TYPE_NULL)
        *out = arrow_type_primitive(QV_TYPE_FLOAT64);
    else if (id == QV_TYPE_DECIMAL128)
        return decimal_type(types[0]->precision + 4, types[0]->scale + 4, out, err);
    else
        return unsupported(err, "Avg", types[0]);
    return QV_OK;
}

static qv_status rt_bits(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    if (!arrow_type_is_integer(types[0]->id) && types[0]->id != QV_TYPE_NULL)
        return unsupported(err, "Bitwise aggregate", types[0]);
    return func_agg_rt_first(n_args, types, out, err);
}

/* ---- state ---- */

static qv_status ensure(basic_state *s, int64_t n_groups, qv_error *err)
{
    if (n_groups <= s->seen_cap)
        return QV_OK;
    int64_t old = s->acc_cap;
    if (s->acc_width > 0) {
        QV_TRY(func_agg_grow((void **)&s->acc, &s->acc_cap, n_groups, (size_t)s->acc_width, err));
        /* bool_and and bit_and start from all ones */
        if (s->op == OP_BOOL_AND || s->op == OP_BIT_AND)
            memset(s->acc + old * s->acc_width, 0xFF, (size_t)((s->acc_cap - old) * s->acc_width));
    }
    if (s->op == OP_COUNT || s->op == OP_AVG || s->op == OP_SUM)
        QV_TRY(func_agg_grow((void **)&s->count, &s->count_cap, n_groups, 8, err));
    return func_agg_grow((void **)&s->seen, &s->seen_cap, n_groups, 1, err);
}

static int64_t basic_memory(const func_agg_state *state)
{
    const basic_state *s = (const basic_state *)state;
    return (int64_t)sizeof *s + s->acc_cap * s->acc_width + s->seen_cap + s->count_cap * 8 +
           (int64_t)(s->mask_scratch.cap + s->value_scratch.cap);
}

static void basic_free(func_agg_state *state)
{
    basic_state *s = (basic_state *)state;
    if (s == NULL)
        return;
    arrow_type_release(s->in_type);
    arrow_type_release(s->out_type);
    arrow_type_release(s->sum_type);
    base_free(s->acc);
    base_free(s->seen);
    base_free(s->count);
    func_agg_scratch_free(&s->mask_scratch);
    func_agg_scratch_free(&s->value_scratch);
    base_free(s);
}

/* ---- typed loops ---- */

/* acc[g] OP= (ACC_T)v[i] for the rows that count. */
#define ACC_LOOP(T, ACC_T, EXPR)                                                                   \
    do {                                                                                           \
        const T *v = (const T *)vals;                                                              \
        ACC_T *acc = (ACC_T *)s->acc;                                                              \
        uint8_t *seen = s->seen;                                                                   \
        AGG_FOR_ROWS(mask, n_rows, {                                                               \
            uint32_t g = group_ids[i];                                                             \
            ACC_T x = (ACC_T)v[i];                                                                 \
            acc[g] = (EXPR);                                                                       \
            seen[g] = 1;                                                                           \
        });                                                                                        \
    } while (0)

/* Dispatches an integer input to ACC_LOOP with 64-bit unsigned storage. */
#define INT_DISPATCH(EXPR)                                                                         \
    switch (id) {                                                                                  \
    case QV_TYPE_INT8:                                                                             \
        ACC_LOOP(int8_t, uint64_t, EXPR);                                                          \
        break;                                                                                     \
    case QV_TYPE_INT16:                                                                            \
        ACC_LOOP(int16_t, uint64_t, EXPR);                                                         \
        break;                                                                                     \
    case QV_TYPE_INT32:                                                                            \
        ACC_LOOP(int32_t, uint64_t, EXPR);                                                         \
        break;                                                                                     \
    case QV_TYPE_INT64:                                                                            \
        ACC_LOOP(int64_t, uint64_t, EXPR);                                                         \
        break;                                                                                     \
    case QV_TYPE_UINT8:                                                                            \
        ACC_LOOP(uint8_t, uint64_t, EXPR);                                                         \
        break;                                                                                     \
    case QV_TYPE_UINT16:                                                                           \
        ACC_LOOP(uint16_t, uint64_t, EXPR);                                                        \
        break;                                                                                     \
    case QV_TYPE_UINT32:                                                                           \
        ACC_LOOP(uint32_t, uint64_t, EXPR);                                                        \
        break;                                                                                     \
    default:                                                                                       \
        ACC_LOOP(uint64_t, uint64_t, EXPR);                                                        \
        break;                                                                                     \
    }

/* Values of a numeric datum ready for a typed loop: the raw values, or
 * doubles for Float16. */
static const void *values_of(basic_state *s, const func_datum *d, int64_t n_rows, qv_error *err)
{
    arrow_type_id id = d->array->type->id;
    if (id == QV_TYPE_FLOAT16) {
        double *dst = func_agg_scratch(&s->value_scratch, (size_t)n_rows * 8, err);
        if (dst != NULL)
            func_agg_load_f64(d, n_rows, dst);
        return dst;
    }
    int width = arrow_type_bit_width(d->array->type) / 8;
    return func_agg_fixed(d, n_rows, width, &s->value_scratch, err);
}

/* Adds (sign 1) or takes back (sign -1, retract) the rows of a numeric
 * datum into acc (sum / avg storage), and counts them per group when
 * count_rows (sum and avg update; avg merge adds the partial counts
 * itself). */
static qv_status accumulate_numeric(basic_state *s, const func_datum *arg,
                                    const uint32_t *group_ids, const uint8_t *mask, int64_t n_rows,
                                    bool count_rows, int sign, qv_error *err)
{
    const void *vals = values_of(s, arg, n_rows, err);
    if (vals == NULL)
        return QV_NOMEM;
    arrow_type_id id = arg->array->type->id;
    if (s->kind == ACC_F64) {
        switch (id) {
        case QV_TYPE_INT8:
            ACC_LOOP(int8_t, double, acc[g] + x * (double)sign);
            break;
        case QV_TYPE_INT16:
            ACC_LOOP(int16_t, double, acc[g] + x * (double)sign);
            break;
        case QV_TYPE_INT32:
            ACC_LOOP(int32_t, double, acc[g] + x * (double)sign);
            break;
        case QV_TYPE_INT64:
            ACC_LOOP(int64_t, double, acc[g] + x * (double)sign);
            break;
        case QV_TYPE_UINT8:
            ACC_LOOP(uint8_t, double, acc[g] + x * (double)sign);
            break;
        case QV_TYPE_UINT16:
            ACC_LOOP(uint16_t, double, acc[g] + x * (double)sign);
            break;
        case QV_TYPE_UINT32:
            ACC_LOOP(uint32_t, double, acc[g] + x * (double)sign);
            break;
        case QV_TYPE_UINT64:
            ACC_LOOP(uint64_t, double, acc[g] + x * (double)sign);
            break;
        case QV_TYPE_FLOAT32:
            ACC_LOOP(float, double, acc[g] + x * (double)sign);
            break;
        default:
            ACC_LOOP(double, double, acc[g] + x * (double)sign);
            break;
        }
    } else if (s->kind == ACC_D128) {
        const uint8_t *v = vals;
        func_u128 *acc = (func_u128 *)(void *)s->acc;
        uint8_t *seen = s->seen;
        AGG_FOR_ROWS(mask, n_rows, {
            func_i128 x;
            memcpy(&x, v + i * 16, 16);
            acc[group_ids[i]] += (func_u128)x * (func_u128)(func_i128)sign;
            seen[group_ids[i]] = 1;
        });
    } else if (s->kind == ACC_I64) {
        INT_DISPATCH(acc[g] + x * (uint64_t)(int64_t)sign);
    }
    if (count_rows) {
        uint64_t *count = s->count;
        uint64_t delta = (uint64_t)(int64_t)sign;
        AGG_FOR_ROWS(mask, n_rows, count[group_ids[i]] += delta);
    }
    return QV_OK;
}

/* ---- count ---- */

/* Adds delta (1: update; UINT64_MAX, -1 modulo 2^64: retract) to the count
 * of each selected row's group. */
static qv_status count_add(func_agg_state *state, const func_datum *args, const uint32_t *group_ids,
                           const uint8_t *rows_selected, int64_t n_rows, int64_t n_groups,
                           uint64_t delta, qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint8_t *mask;
    bool none;
    QV_TRY(
        func_agg_rows(args, s->n_args, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none)
        return QV_OK;
    uint64_t *count = s->count;
    AGG_FOR_ROWS(mask, n_rows, count[group_ids[i]] += delta);
    return QV_OK;
}

static qv_status count_update(func_agg_state *state, const func_datum *args,
                              const uint32_t *group_ids, const uint8_t *rows_selected,
                              int64_t n_rows, int64_t n_groups, qv_error *err)
{
    return count_add(state, args, group_ids, rows_selected, n_rows, n_groups, 1, err);
}

static qv_status count_merge(func_agg_state *state, arrow_array *const *states,
                             const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                             qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const int64_t *v = (const int64_t *)func_fixed_ptr(states[0], 8);
    for (int64_t i = 0; i < n_rows; i++) {
        if (arrow_array_is_valid(states[0], i))
            s->count[group_ids[i]] += (uint64_t)v[i];
    }
    return QV_OK;
}

static qv_status count_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                                qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    return func_agg_make_array(s->out_type, n_groups, s->count, 8, NULL, out, err);
}

static qv_status count_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                            qv_error *err)
{
    return count_evaluate(state, n_groups, &states_out[0], err);
}

static qv_status count_retract(func_agg_state *state, const func_datum *args,
                               const uint32_t *group_ids, const uint8_t *rows_selected,
                               int64_t n_rows, int64_t n_groups, qv_error *err)
{
    return count_add(state, args, group_ids, rows_selected, n_rows, n_groups, UINT64_MAX, err);
}

static const func_agg_ops count_ops = {count_update, count_merge, count_emit,   count_evaluate,
                                       basic_memory, basic_free,  count_retract};

/* ---- sum ---- */

static qv_status sum_update(func_agg_state *state, const func_datum *args,
                            const uint32_t *group_ids, const uint8_t *rows_selected, int64_t n_rows,
                            int64_t n_groups, qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, 1, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none || s->kind == ACC_NONE)
        return QV_OK;
    return accumulate_numeric(s, &args[0], group_ids, mask, n_rows, true, 1, err);
}

static qv_status sum_merge(func_agg_state *state, arrow_array *const *states,
                           const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                           qv_error *err)
{
    /* The state column has the result type, which the sum loops read. */
    func_datum d = {states[0], false};
    return sum_update(state, &d, group_ids, NULL, n_rows, n_groups, err);
}

static qv_status sum_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                              qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    if (s->kind == ACC_NONE)
        return func_agg_nulls(s->out_type, n_groups, out, err);
    return func_agg_make_array(s->out_type, n_groups, s->acc, s->acc_width, s->seen, out, err);
}

static qv_status sum_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                          qv_error *err)
{
    return sum_evaluate(state, n_groups, &states_out[0], err);
}

/* sum and avg retract: the rows come out of acc and the counts; a group
 * whose count drops to zero is empty again (exactly zero, whatever float
 * rounding left behind). */
static qv_status sum_retract(func_agg_state *state, const func_datum *args,
                             const uint32_t *group_ids, const uint8_t *rows_selected,
                             int64_t n_rows, int64_t n_groups, qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, 1, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none || s->kind == ACC_NONE)
        return QV_OK;
    QV_TRY(accumulate_numeric(s, &args[0], group_ids, mask, n_rows, true, -1, err));
    AGG_FOR_ROWS(mask, n_rows, {
        uint32_t g = group_ids[i];
        if (s->count[g] == 0) {
            s->seen[g] = 0;
            memset(s->acc + (int64_t)g * s->acc_width, 0, (size_t)s->acc_width);
        }
    });
    return QV_OK;
}

static const func_agg_ops sum_ops = {sum_update,   sum_merge,  sum_emit,   sum_evaluate,
                                     basic_memory, basic_free, sum_retract};

/* ---- avg ---- */

static qv_status avg_merge(func_agg_state *state, arrow_array *const *states,
                           const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                           qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint64_t *counts = (const uint64_t *)func_fixed_ptr(states[0], 8);
    if (s->kind == ACC_NONE) {
        for (int64_t i = 0; i < n_rows; i++)
            s->count[group_ids[i]] += counts[i];
        return QV_OK;
    }
    func_datum d = {states[1], false};
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(&d, 1, NULL, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none)
        return QV_OK;
    /* Sums add like sum's; counts come from the state rather than one per row. */
    qv_status st = accumulate_numeric(s, &d, group_ids, mask, n_rows, false, 1, err);
    if (st == QV_OK)
        AGG_FOR_ROWS(mask, n_rows, s->count[group_ids[i]] += counts[i]);
    return st;
}

static qv_status avg_update(func_agg_state *state, const func_datum *args,
                            const uint32_t *group_ids, const uint8_t *rows_selected, int64_t n_rows,
                            int64_t n_groups, qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, 1, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none || s->kind == ACC_NONE)
        return QV_OK;
    return accumulate_numeric(s, &args[0], group_ids, mask, n_rows, true, 1, err);
}

static qv_status avg_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                          qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    QV_TRY(func_agg_make_array(arrow_type_primitive(QV_TYPE_UINT64), n_groups, s->count, 8, NULL,
                               &states_out[0], err));
    qv_status st;
    if (s->kind == ACC_NONE)
        st = func_agg_nulls(s->sum_type, n_groups, &states_out[1], err);
    else
        st = func_agg_make_array(s->sum_type, n_groups, s->acc, s->acc_width, NULL, &states_out[1],
                                 err);
    if (st != QV_OK) {
        arrow_array_release(states_out[0]);
        states_out[0] = NULL;
    }
    return st;
}

static qv_status avg_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                              qv_error *err)
{
    basic_state *s = (basic_state *)state;
    *out = NULL;
    QV_TRY(ensure(s, n_groups, err));
    if (s->kind == ACC_NONE)
        return func_agg_nulls(s->out_type, n_groups, out, err);
    int width = s->kind == ACC_D128 ? 16 : 8;
    uint8_t *vals = base_alloc((size_t)(n_groups * width) + 1);
    uint8_t *valid = base_alloc((size_t)n_groups + 1);
    qv_status st = QV_OK;
    if (vals == NULL || valid == NULL) {
        st = base_error_nomem(err, "avg result");
        goto cleanup;
    }
    if (s->kind == ACC_F64) {
        const double *sum = (const double *)(void *)s->acc;
        double *o = (double *)(void *)vals;
        for (int64_t g = 0; g < n_groups; g++) {
            valid[g] = s->count[g] > 0;
            o[g] = valid[g] ? sum[g] / (double)s->count[g] : 0;
        }
    } else {
        /* Decimal: sum * 10^(result scale - input scale) / count, truncated. */
        int shift = s->out_type->scale - s->in_type->scale;
        func_i128 mul = func_pow10_i128(shift);
        func_i128 limit = func_pow10_i128(s->out_type->precision);
        const uint8_t *sum = s->acc;
        for (int64_t g = 0; g < n_groups; g++) {
            func_i128 x = 0, r = 0;
            valid[g] = s->count[g] > 0;
            if (valid[g]) {
                memcpy(&x, sum + g * 16, 16);
                if (__builtin_mul_overflow(x, mul, &r) ||
                    (r = r / (func_i128)s->count[g]) >= limit || r <= -limit) {
                    st = base_error_set(err, QV_OVERFLOW,
                                        "Arrow error: Arithmetic overflow: Overflow happened on "
                                        "the average of a Decimal128 group");
                    goto cleanup;
                }
            }
            memcpy(vals + g * 16, &r, 16);
        }
    }
    st = func_agg_make_array(s->out_type, n_groups, vals, width, valid, out, err);
cleanup:
    base_free(vals);
    base_free(valid);
    return st;
}

static const func_agg_ops avg_ops = {avg_update,   avg_merge,  avg_emit,   avg_evaluate,
                                     basic_memory, basic_free, sum_retract};

/* ---- bool_and / bool_or ---- */

static qv_status bool_update(func_agg_state *state, const func_datum *args,
                             const uint32_t *group_ids, const uint8_t *rows_selected,
                             int64_t n_rows, int64_t n_groups, qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, 1, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none)
        return QV_OK;
    const arrow_array *a = args[0].array;
    const uint8_t *bits = arrow_array_values(a);
    int64_t off = a->offset;
    int64_t step = args[0].is_scalar ? 0 : 1;
    uint8_t *acc = s->acc, *seen = s->seen;
    if (s->op == OP_BOOL_AND) {
        AGG_FOR_ROWS(mask, n_rows, {
            int64_t j = off + i * step;
            acc[group_ids[i]] &= (uint8_t)((bits[j >> 3] >> (j & 7)) & 1);
            seen[group_ids[i]] = 1;
        });
    } else {
        AGG_FOR_ROWS(mask, n_rows, {
            int64_t j = off + i * step;
            acc[group_ids[i]] |= (uint8_t)((bits[j >> 3] >> (j & 7)) & 1);
            seen[group_ids[i]] = 1;
        });
    }
    return QV_OK;
}

static qv_status bool_merge(func_agg_state *state, arrow_array *const *states,
                            const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                            qv_error *err)
{
    func_datum d = {states[0], false};
    return bool_update(state, &d, group_ids, NULL, n_rows, n_groups, err);
}

static qv_status bool_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                               qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    return func_agg_make_array(s->out_type, n_groups, s->acc, 1, s->seen, out, err);
}

static qv_status bool_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                           qv_error *err)
{
    return bool_evaluate(state, n_groups, &states_out[0], err);
}

static const func_agg_ops bool_ops = {bool_update,  bool_merge, bool_emit, bool_evaluate,
                                      basic_memory, basic_free, NULL};

/* ---- bit_and / bit_or / bit_xor ---- */

static qv_status bit_update(func_agg_state *state, const func_datum *args,
                            const uint32_t *group_ids, const uint8_t *rows_selected, int64_t n_rows,
                            int64_t n_groups, qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, 1, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none || s->kind == ACC_NONE)
        return QV_OK;
    const void *vals = values_of(s, &args[0], n_rows, err);
    if (vals == NULL)
        return QV_NOMEM;
    arrow_type_id id = args[0].array->type->id;
    if (s->op == OP_BIT_AND) {
        INT_DISPATCH(acc[g] & x);
    } else if (s->op == OP_BIT_OR) {
        INT_DISPATCH(acc[g] | x);
    } else {
        INT_DISPATCH(acc[g] ^ x);
    }
    return QV_OK;
}

static qv_status bit_merge(func_agg_state *state, arrow_array *const *states,
                           const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                           qv_error *err)
{
    func_datum d = {states[0], false};
    return bit_update(state, &d, group_ids, NULL, n_rows, n_groups, err);
}

static qv_status bit_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                              qv_error *err)
{
    basic_state *s = (basic_state *)state;
    QV_TRY(ensure(s, n_groups, err));
    if (s->kind == ACC_NONE)
        return func_agg_nulls(s->out_type, n_groups, out, err);
    int width = arrow_type_bit_width(s->out_type) / 8;
    uint8_t *vals = base_alloc((size_t)(n_groups * width) + 1);
    if (vals == NULL)
        return base_error_nomem(err, "bitwise aggregate result");
    const uint64_t *acc = (const uint64_t *)(void *)s->acc;
    /* Little-endian: the low width bytes of each 64-bit value. */
    for (int64_t g = 0; g < n_groups; g++)
        memcpy(vals + g * width, &acc[g], (size_t)width);
    qv_status st = func_agg_make_array(s->out_type, n_groups, vals, width, s->seen, out, err);
    base_free(vals);
    return st;
}

static qv_status bit_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                          qv_error *err)
{
    return bit_evaluate(state, n_groups, &states_out[0], err);
}

static const func_agg_ops bit_ops = {bit_update,   bit_merge,  bit_emit, bit_evaluate,
                                     basic_memory, basic_free, NULL};

/* ---- creation ---- */

static acc_kind kind_for(basic_op op, arrow_type_id id)
{
    if (id == QV_TYPE_NULL)
        return ACC_NONE;
    if (id == QV_TYPE_DECIMAL128)
        return ACC_D128;
    if (op == OP_AVG || arrow_type_is_floating(id))
        return ACC_F64;
    return ACC_I64;
}

static qv_status basic_create(basic_op op, const func_agg_call *call, func_agg_state **out,
                              qv_error *err)
{
    *out = NULL;
    basic_state *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "aggregate state");
    static const func_agg_ops *const ops[] = {&count_ops, &sum_ops, &avg_ops, &bool_ops,
                                              &bool_ops,  &bit_ops, &bit_ops, &bit_ops};
    s->base.ops = ops[op];
    s->op = op;
    s->n_args = call->n_args;
    s->in_type = arrow_type_retain(call->arg_types[0]);
    s->out_type = arrow_type_retain(call->return_type);
    s->kind = kind_for(op, call->arg_types[0]->id);
    switch (op) {
    case OP_COUNT:
        s->acc_width = 0;
        break;
    case OP_BOOL_AND:
    case OP_BOOL_OR:
        s->acc_width = 1;
        break;
    default:
        s->acc_width = s->kind == ACC_D128 ? 16 : s->kind == ACC_NONE ? 0 : 8;
        break;
    }
    qv_status st = QV_OK;
    if (op == OP_AVG) {
        if (s->kind == ACC_D128)
            st = decimal_type(s->in_type->precision + 10, s->in_type->scale, &s->sum_type, err);
        else
            s->sum_type = arrow_type_primitive(QV_TYPE_FLOAT64);
    }
    if (st != QV_OK) {
        basic_free(&s->base);
        return st;
    }
    *out = &s->base;
    return QV_OK;
}

static qv_status basic_schema(basic_op op, const func_agg_call *call, arrow_schema **out,
                              qv_error *err)
{
    if (op != OP_AVG)
        return func_agg_schema1(op == OP_COUNT ? "count" : "value", call->return_type, out, err);
    arrow_type *in = call->arg_types[0], *sum_type = arrow_type_primitive(QV_TYPE_FLOAT64);
    if (in->id == QV_TYPE_DECIMAL128)
        QV_TRY(decimal_type(in->precision + 10, in->scale, &sum_type, err));
    static const char *const names[] = {"count", "sum"};
    arrow_type *types[] = {arrow_type_primitive(QV_TYPE_UINT64), sum_type};
    qv_status st = func_agg_schema(2, names, types, out, err);
    arrow_type_release(sum_type);
    return st;
}

#define BASIC_IMPL(NAME, OP, RT)                                                                   \
    static qv_status NAME##_schema(const func_agg_call *call, arrow_schema **out, qv_error *err)   \
    {                                                                                              \
        return basic_schema(OP, call, out, err);                                                   \
    }                                                                                              \
    static qv_status NAME##_create(const func_agg_call *call, func_agg_state **out, qv_error *err) \
    {                                                                                              \
        return basic_create(OP, call, out, err);                                                   \
    }                                                                                              \
    const func_agg_impl func_agg_##NAME##_impl = {RT, NAME##_schema, NAME##_create};

BASIC_IMPL(count, OP_COUNT, func_agg_rt_i64)
BASIC_IMPL(sum, OP_SUM, rt_sum)
BASIC_IMPL(avg, OP_AVG, rt_avg)
BASIC_IMPL(bool_and, OP_BOOL_AND, func_agg_rt_bool)
BASIC_IMPL(bool_or, OP_BOOL_OR, func_agg_rt_bool)
BASIC_IMPL(bit_and, OP_BIT_AND, rt_bits)
BASIC_IMPL(bit_or, OP_BIT_OR, rt_bits)
BASIC_IMPL(bit_xor, OP_BIT_XOR, rt_bits)
