/*
 * kernels_compare.c — comparison operator kernels = <> < <= > >= and IS
 * [NOT] DISTINCT FROM (layer: func). Results are Boolean arrays packed eight
 * rows per byte by typed loops (one per type and operand shape); floats use
 * the IEEE total order as arrow-rs does (NaN = NaN, NaN greatest, -0 < +0).
 */
#include "func/func_int.h"

/* Total-order keys: floats become integers that compare the same way. */
static inline int32_t key_f32(float x)
{
    int32_t b;
    memcpy(&b, &x, 4);
    return b ^ (int32_t)(((uint32_t)(b >> 31)) >> 1);
}
static inline int64_t key_f64(double x)
{
    int64_t b;
    memcpy(&b, &x, 8);
    return b ^ (int64_t)(((uint64_t)(b >> 63)) >> 1);
}
#define KEY_ID(x) (x)

/* Fills out bits with CMP(key(l[i]), key(r[i])) for the given shape. */
#define CMP_LOOP(T, KEY, OPX)                                                                      \
    do {                                                                                           \
        for (int64_t i = 0; i < n; i += 8) {                                                       \
            int64_t m = n - i < 8 ? n - i : 8;                                                     \
            unsigned byte = 0;                                                                     \
            for (int64_t j = 0; j < m; j++) {                                                      \
                T a = l[ls ? 0 : i + j], b = r[rs ? 0 : i + j];                                    \
                byte |= (unsigned)(KEY(a) OPX KEY(b)) << j;                                        \
            }                                                                                      \
            out[i >> 3] = (uint8_t)byte;                                                           \
        }                                                                                          \
    } while (0)

#define DEFINE_CMP(SUFFIX, T, KEY)                                                                 \
    static void cmp_##SUFFIX(func_cmp_op op, const T *l, bool ls, const T *r, bool rs,             \
                             uint8_t *out, int64_t n)                                              \
    {                                                                                              \
        switch (op) {                                                                              \
        case FUNC_EQ:                                                                              \
            CMP_LOOP(T, KEY, ==);                                                                  \
            break;                                                                                 \
        case FUNC_NE:                                                                              \
            CMP_LOOP(T, KEY, !=);                                                                  \
            break;                                                                                 \
        case FUNC_LT:                                                                              \
            CMP_LOOP(T, KEY, <);                                                                   \
            break;                                                                                 \
        case FUNC_LE:                                                                              \
            CMP_LOOP(T, KEY, <=);                                                                  \
            break;                                                                                 \
        case FUNC_GT:                                                                              \
            CMP_LOOP(T, KEY, >);                                                                   \
            break;                                                                                 \
        case FUNC_GE:                                                                              \
            CMP_LOOP(T, KEY, >=);                                                                  \
            break;                                                                                 \
        }                                                                                          \
    }

DEFINE_CMP(i8, int8_t, KEY_ID)
DEFINE_CMP(i16, int16_t, KEY_ID)
DEFINE_CMP(i32, int32_t, KEY_ID)
DEFINE_CMP(i64, int64_t, KEY_ID)
DEFINE_CMP(u8, uint8_t, KEY_ID)
DEFINE_CMP(u16, uint16_t, KEY_ID)
DEFINE_CMP(u32, uint32_t, KEY_ID)
DEFINE_CMP(u64, uint64_t, KEY_ID)
DEFINE_CMP(f32, float, key_f32)
DEFINE_CMP(f64, double, key_f64)

static void cmp_bytes(func_cmp_op op, const func_datum *ld, const func_datum *rd, uint8_t *out,
                      int64_t n)
{
    func_str ls, rs;
    func_str_init(&ls, ld);
    func_str_init(&rs, rd);
    for (int64_t i = 0; i < n; i++) {
        const uint8_t *a, *b;
        int64_t la, lb;
        func_str_at(&ls, i, &a, &la);
        func_str_at(&rs, i, &b, &lb);
        int64_t m = la < lb ? la : lb;
        int c = m > 0 ? memcmp(a, b, (size_t)m) : 0;
        if (c == 0)
            c = la < lb ? -1 : la > lb;
        arrow_bit_set(out, i, func_cmp_holds(op, c));
    }
}

static void cmp_dec(func_cmp_op op, const uint8_t *lp, bool ls, const uint8_t *rp, bool rs,
                    uint8_t *out, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        func_i128 a, b;
        memcpy(&a, lp + (ls ? 0 : i) * 16, 16);
        memcpy(&b, rp + (rs ? 0 : i) * 16, 16);
        arrow_bit_set(out, i, func_cmp_holds(op, (a > b) - (a < b)));
    }
}

static void cmp_bool(func_cmp_op op, const arrow_array *la, bool ls, const arrow_array *ra, bool rs,
                     uint8_t *out, int64_t n)
{
    const uint8_t *lb = la->buffers[1]->data, *rb = ra->buffers[1]->data;
    for (int64_t i = 0; i < n; i++) {
        int a = arrow_bit_get(lb, la->offset + (ls ? 0 : i));
        int b = arrow_bit_get(rb, ra->offset + (rs ? 0 : i));
        arrow_bit_set(out, i, func_cmp_holds(op, a - b));
    }
}

static bool same_family(const arrow_type *a, const arrow_type *b)
{
    if (func_is_string_id(a->id) && func_is_string_id(b->id))
        return true;
    if (func_is_binary_id(a->id) && func_is_binary_id(b->id))
        return true;
    if (a->id != b->id)
        return false;
    if (a->id == QV_TYPE_DECIMAL128)
        return a->scale == b->scale;
    if (a->id == QV_TYPE_TIMESTAMP || a->id == QV_TYPE_TIME32 || a->id == QV_TYPE_TIME64 ||
        a->id == QV_TYPE_DURATION)
        return a->unit == b->unit;
    return true;
}

/* Computes comparison bits for n rows into out (values only; no validity). */
static qv_status compare_values(func_cmp_op op, const func_datum *left, const func_datum *right,
                                int64_t n, uint8_t *out, qv_error *err)
{
    const arrow_type *t = left->array->type;
    if (!same_family(t, right->array->type)) {
        char a[64], b[64];
        func_type_name(t, a, sizeof a);
        func_type_name(right->array->type, b, sizeof b);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Cannot infer common argument type for "
                              "comparison operation %s and %s",
                              a, b);
    }
    bool ls = left->is_scalar, rs = right->is_scalar;
    int width = arrow_type_bit_width(t) / 8;
    const uint8_t *lp = NULL, *rp = NULL;
    if (width > 0 && t->id != QV_TYPE_BOOLEAN && !func_is_binary_id(t->id)) {
        lp = func_fixed_ptr(left->array, width);
        rp = func_fixed_ptr(right->array, width);
    }
    switch (t->id) {
#define C(ID, SUFFIX, T)                                                                           \
    case ID:                                                                                       \
        cmp_##SUFFIX(op, (const T *)lp, ls, (const T *)rp, rs, out, n);                            \
        return QV_OK;
        C(QV_TYPE_INT8, i8, int8_t)
        C(QV_TYPE_INT16, i16, int16_t)
        C(QV_TYPE_INT32, i32, int32_t)
        C(QV_TYPE_DATE32, i32, int32_t)
        C(QV_TYPE_TIME32, i32, int32_t)
        C(QV_TYPE_INT64, i64, int64_t)
        C(QV_TYPE_DATE64, i64, int64_t)
        C(QV_TYPE_TIME64, i64, int64_t)
        C(QV_TYPE_TIMESTAMP, i64, int64_t)
        C(QV_TYPE_DURATION, i64, int64_t)
        C(QV_TYPE_UINT8, u8, uint8_t)
        C(QV_TYPE_UINT16, u16, uint16_t)
        C(QV_TYPE_UINT32, u32, uint32_t)
        C(QV_TYPE_UINT64, u64, uint64_t)
        C(QV_TYPE_FLOAT32, f32, float)
        C(QV_TYPE_FLOAT64, f64, double)
#undef C
    case QV_TYPE_DECIMAL128:
        cmp_dec(op, lp, ls, rp, rs, out, n);
        return QV_OK;
    case QV_TYPE_BOOLEAN:
        cmp_bool(op, left->array, ls, right->array, rs, out, n);
        return QV_OK;
    default:
        if (func_is_string_id(t->id) || func_is_binary_id(t->id)) {
            cmp_bytes(op, left, right, out, n);
            return QV_OK;
        }
        if (arrow_type_is_nested(t->id)) /* lists, structs, maps: compare_nested.c */
            return func_compare_nested(op, left, right, n, out, err);
        break;
    }
    char a[64];
    func_type_name(t, a, sizeof a);
    return base_error_set(err, QV_NOT_IMPLEMENTED, "Comparison of %s values is not supported", a);
}

static bool is_null_type(const func_datum *d)
{
    return d->array->type->id == QV_TYPE_NULL;
}

qv_status func_compare(func_cmp_op op, const func_datum *left, const func_datum *right,
                       int64_t n_rows, func_datum *out, qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    func_datum args[2] = {*left, *right};
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    arrow_buffer *validity = NULL, *values = NULL;
    qv_status st = func_validity_and(2, args, n, &validity, err);
    if (st == QV_OK)
        st = func_bitmap_new(n, &values, err);
    if (st == QV_OK && !is_null_type(left) && !is_null_type(right))
        st = compare_values(op, left, right, n, values->data, err);
    if (st != QV_OK) {
        arrow_buffer_release(validity);
        arrow_buffer_release(values);
        return st;
    }
    arrow_array *result;
    QV_TRY(
        func_make_fixed(arrow_type_primitive(QV_TYPE_BOOLEAN), n, validity, values, &result, err));
    func_set_result(out, result, all_scalar);
    return QV_OK;
}

qv_status func_is_distinct(bool distinct, const func_datum *left, const func_datum *right,
                           int64_t n_rows, func_datum *out, qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    func_datum args[2] = {*left, *right};
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    arrow_buffer *values;
    QV_TRY(func_bitmap_new(n, &values, err));
    qv_status st = QV_OK;
    if (!is_null_type(left) && !is_null_type(right))
        st = compare_values(FUNC_NE, left, right, n, values->data, err);
    if (st != QV_OK) {
        arrow_buffer_release(values);
        return st;
    }
    for (int64_t i = 0; i < n; i++) {
        bool lv = func_valid_at(left, i), rv = func_valid_at(right, i);
        bool d = lv != rv || (lv && rv && arrow_bit_get(values->data, i));
        arrow_bit_set(values->data, i, d == distinct);
    }
    arrow_array *result;
    QV_TRY(func_make_fixed(arrow_type_primitive(QV_TYPE_BOOLEAN), n, NULL, values, &result, err));
    func_set_result(out, result, all_scalar);
    return QV_OK;
}
