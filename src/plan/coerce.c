/*
 * coerce.c — DataFusion's type coercion rules (layer: plan): the common
 * type of a comparison, the operand and result types of arithmetic, and
 * the common type of a list of expressions (CASE, IN, COALESCE, UNION,
 * VALUES rows). Follows datafusion-expr-common's type_coercion/binary.rs.
 */
#include "plan/coerce.h"

static bool is_string(arrow_type_id id)
{
    return id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW;
}

static bool is_binary(arrow_type_id id)
{
    return id == QV_TYPE_BINARY || id == QV_TYPE_LARGE_BINARY || id == QV_TYPE_BINARY_VIEW ||
           id == QV_TYPE_FIXED_SIZE_BINARY;
}

bool plan_type_is_numeric(arrow_type_id id)
{
    return arrow_type_is_integer(id) || arrow_type_is_floating(id) || id == QV_TYPE_DECIMAL128 ||
           id == QV_TYPE_DECIMAL256;
}

static bool is_temporal(arrow_type_id id)
{
    return id == QV_TYPE_DATE32 || id == QV_TYPE_DATE64 || id == QV_TYPE_TIMESTAMP ||
           id == QV_TYPE_TIME32 || id == QV_TYPE_TIME64;
}

/* Digits before the point an integer type needs as a decimal. */
static int32_t integer_digits(arrow_type_id id)
{
    switch (id) {
    case QV_TYPE_INT8:
    case QV_TYPE_UINT8:
        return 3;
    case QV_TYPE_INT16:
    case QV_TYPE_UINT16:
        return 5;
    case QV_TYPE_INT32:
    case QV_TYPE_UINT32:
        return 10;
    case QV_TYPE_INT64:
        return 19;
    default:
        return 20;
    }
}

static qv_status decimal_of(int32_t precision, int32_t scale, arrow_type **out, qv_error *err)
{
    if (precision > 38)
        precision = 38;
    if (precision < 1)
        precision = 1;
    return arrow_type_decimal(QV_TYPE_DECIMAL128, precision, scale, out, err);
}

/* Decimal coercion when at least one side is a decimal. */
static qv_status decimal_coercion(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err)
{
    if (arrow_type_is_floating(l->id) || arrow_type_is_floating(r->id)) {
        *out = arrow_type_primitive(QV_TYPE_FLOAT64);
        return QV_OK;
    }
    int32_t lp, ls, rp, rs;
    if (l->id == QV_TYPE_DECIMAL128 || l->id == QV_TYPE_DECIMAL256) {
        lp = l->precision;
        ls = l->scale;
    } else {
        lp = integer_digits(l->id);
        ls = 0;
    }
    if (r->id == QV_TYPE_DECIMAL128 || r->id == QV_TYPE_DECIMAL256) {
        rp = r->precision;
        rs = r->scale;
    } else {
        rp = integer_digits(r->id);
        rs = 0;
    }
    int32_t scale = ls > rs ? ls : rs;
    int32_t whole = (lp - ls) > (rp - rs) ? (lp - ls) : (rp - rs);
    return decimal_of(whole + scale, scale, out, err);
}

static arrow_type_id int_rank_pick(arrow_type_id l, arrow_type_id r)
{
    /* DataFusion's binary_numeric_coercion for integers: the wider width
     * wins; an unsigned type meeting a signed one of at most its width
     * takes the signed type one step wider (capped at Int64). */
    bool ls = arrow_type_is_signed_integer(l), rs = arrow_type_is_signed_integer(r);
    int lw = arrow_type_bit_width(arrow_type_primitive(l));
    int rw = arrow_type_bit_width(arrow_type_primitive(r));
    if (ls == rs)
        return lw >= rw ? l : r;
    arrow_type_id s = ls ? l : r, u = ls ? r : l;
    int sw = ls ? lw : rw, uw = ls ? rw : lw;
    if (sw > uw)
        return s;
    switch (uw) {
    case 8:
        return QV_TYPE_INT16;
    case 16:
        return QV_TYPE_INT32;
    default:
        (void)u;
        return QV_TYPE_INT64;
    }
}

qv_status plan_numeric_coercion(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (arrow_type_equal(l, r)) {
        *out = arrow_type_retain(l);
        return QV_OK;
    }
    if (l->id == QV_TYPE_DECIMAL128 || r->id == QV_TYPE_DECIMAL128 || l->id == QV_TYPE_DECIMAL256 ||
        r->id == QV_TYPE_DECIMAL256)
        return decimal_coercion(l, r, out, err);
    if (l->id == QV_TYPE_FLOAT64 || r->id == QV_TYPE_FLOAT64)
        *out = arrow_type_primitive(QV_TYPE_FLOAT64);
    else if (l->id == QV_TYPE_FLOAT32 || r->id == QV_TYPE_FLOAT32)
        *out = arrow_type_primitive(QV_TYPE_FLOAT32);
    else if (l->id == QV_TYPE_FLOAT16 || r->id == QV_TYPE_FLOAT16)
        *out = arrow_type_primitive(QV_TYPE_FLOAT16);
    else
        *out = arrow_type_primitive(int_rank_pick(l->id, r->id));
    return QV_OK;
}

static arrow_type *string_union(arrow_type_id l, arrow_type_id r)
{
    if (l == QV_TYPE_UTF8_VIEW || r == QV_TYPE_UTF8_VIEW)
        return arrow_type_primitive(QV_TYPE_UTF8_VIEW);
    if (l == QV_TYPE_LARGE_UTF8 || r == QV_TYPE_LARGE_UTF8)
        return arrow_type_primitive(QV_TYPE_LARGE_UTF8);
    return arrow_type_primitive(QV_TYPE_UTF8);
}

static arrow_type *binary_union(arrow_type_id l, arrow_type_id r)
{
    if (l == QV_TYPE_BINARY_VIEW || r == QV_TYPE_BINARY_VIEW)
        return arrow_type_primitive(QV_TYPE_BINARY_VIEW);
    if (l == QV_TYPE_LARGE_BINARY || r == QV_TYPE_LARGE_BINARY)
        return arrow_type_primitive(QV_TYPE_LARGE_BINARY);
    return arrow_type_primitive(QV_TYPE_BINARY);
}

/* Temporal pairs: date with timestamp -> timestamp; two timestamps -> the
 * finer unit (keeping a time zone if either has one). */
static qv_status temporal_coercion(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err)
{
    if (l->id == QV_TYPE_TIMESTAMP && r->id == QV_TYPE_TIMESTAMP) {
        arrow_time_unit unit = l->unit > r->unit ? l->unit : r->unit;
        const char *tz = l->timezone ? l->timezone : r->timezone;
        return arrow_type_timestamp(unit, tz, out, err);
    }
    if (l->id == QV_TYPE_TIMESTAMP && (r->id == QV_TYPE_DATE32 || r->id == QV_TYPE_DATE64)) {
        *out = arrow_type_retain(l);
        return QV_OK;
    }
    if (r->id == QV_TYPE_TIMESTAMP && (l->id == QV_TYPE_DATE32 || l->id == QV_TYPE_DATE64)) {
        *out = arrow_type_retain(r);
        return QV_OK;
    }
    if ((l->id == QV_TYPE_DATE32 || l->id == QV_TYPE_DATE64) &&
        (r->id == QV_TYPE_DATE32 || r->id == QV_TYPE_DATE64)) {
        *out = arrow_type_primitive(QV_TYPE_DATE64);
        return QV_OK;
    }
    return QV_NOT_FOUND;
}

static arrow_type *unpack(arrow_type *t)
{
    return t->id == QV_TYPE_DICTIONARY ? t->value_type : t;
}

qv_status plan_comparison_coercion(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (arrow_type_equal(l, r)) {
        *out = arrow_type_retain(l);
        return QV_OK;
    }
    l = unpack(l);
    r = unpack(r);
    if (arrow_type_equal(l, r)) {
        *out = arrow_type_retain(l);
        return QV_OK;
    }
    if (l->id == QV_TYPE_NULL) {
        *out = arrow_type_retain(r);
        return QV_OK;
    }
    if (r->id == QV_TYPE_NULL) {
        *out = arrow_type_retain(l);
        return QV_OK;
    }
    if (plan_type_is_numeric(l->id) && plan_type_is_numeric(r->id))
        return plan_numeric_coercion(l, r, out, err);
    if (is_string(l->id) && is_string(r->id)) {
        *out = string_union(l->id, r->id);
        return QV_OK;
    }
    /* A string meets a number, a date, a time or a boolean: the string is
     * cast to the other side's type. */
    if (is_string(l->id) &&
        (plan_type_is_numeric(r->id) || is_temporal(r->id) || r->id == QV_TYPE_BOOLEAN ||
         r->id == QV_TYPE_INTERVAL_MONTH_DAY_NANO || r->id == QV_TYPE_DURATION)) {
        *out = arrow_type_retain(r);
        return QV_OK;
    }
    if (is_string(r->id) &&
        (plan_type_is_numeric(l->id) || is_temporal(l->id) || l->id == QV_TYPE_BOOLEAN ||
         l->id == QV_TYPE_INTERVAL_MONTH_DAY_NANO || l->id == QV_TYPE_DURATION)) {
        *out = arrow_type_retain(l);
        return QV_OK;
    }
    if (is_binary(l->id) && is_binary(r->id)) {
        *out = binary_union(l->id, r->id);
        return QV_OK;
    }
    if ((is_binary(l->id) && is_string(r->id)) || (is_string(l->id) && is_binary(r->id))) {
        *out = binary_union(is_binary(l->id) ? l->id : QV_TYPE_BINARY,
                            is_binary(r->id) ? r->id : QV_TYPE_BINARY);
        return QV_OK;
    }
    if (is_temporal(l->id) && is_temporal(r->id)) {
        qv_status st = temporal_coercion(l, r, out, err);
        if (st != QV_NOT_FOUND)
            return st;
    }
    if ((l->id == QV_TYPE_LIST || l->id == QV_TYPE_LARGE_LIST ||
         l->id == QV_TYPE_FIXED_SIZE_LIST) &&
        (r->id == QV_TYPE_LIST || r->id == QV_TYPE_LARGE_LIST ||
         r->id == QV_TYPE_FIXED_SIZE_LIST)) {
        arrow_type *item = NULL;
        QV_TRY(plan_comparison_coercion(l->children[0]->type, r->children[0]->type, &item, err));
        arrow_type_id id = (l->id == QV_TYPE_LARGE_LIST || r->id == QV_TYPE_LARGE_LIST)
                               ? QV_TYPE_LARGE_LIST
                               : QV_TYPE_LIST;
        qv_status st = arrow_type_list_of(id, item, out, err);
        arrow_type_release(item);
        return st;
    }
    if ((l->id == QV_TYPE_STRUCT && r->id == QV_TYPE_STRUCT) ||
        (l->id == QV_TYPE_MAP && r->id == QV_TYPE_MAP)) /* coerce_nested.c */
        return plan_nested_comparison_coercion(l, r, out, err);
    return QV_NOT_FOUND;
}

qv_status plan_union_coercion(int32_t n, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    *out = NULL;
    arrow_type *acc = arrow_type_primitive(QV_TYPE_NULL);
    for (int32_t i = 0; i < n; i++) {
        arrow_type *next = NULL;
        qv_status st;
        /* In a list of values a string does not pull numbers to itself the
         * way a comparison does: strings win (DataFusion's
         * type_union_resolution). */
        arrow_type *a = unpack(acc), *b = unpack(types[i]);
        if ((a->id == QV_TYPE_STRUCT && b->id == QV_TYPE_STRUCT) ||
            (a->id == QV_TYPE_MAP && b->id == QV_TYPE_MAP)) {
            /* Structs unify field by field, by name; maps key and value
             * types (coerce_nested.c). */
            arrow_type *pair[2] = {acc, types[i]};
            st = plan_type_union_resolution(2, pair, &next, err);
        } else if ((is_string(a->id) &&
                    (plan_type_is_numeric(b->id) || b->id == QV_TYPE_BOOLEAN)) ||
                   (is_string(b->id) &&
                    (plan_type_is_numeric(a->id) || a->id == QV_TYPE_BOOLEAN))) {
            next = arrow_type_retain(is_string(a->id) ? a : b);
            st = QV_OK;
        } else {
            st = plan_comparison_coercion(acc, types[i], &next, err);
        }
        arrow_type_release(acc);
        if (st != QV_OK)
            return st;
        acc = next;
    }
    *out = acc;
    return QV_OK;
}

qv_status plan_arith_coercion(int32_t op, arrow_type *l, arrow_type *r, arrow_type **operand,
                              qv_error *err)
{
    *operand = NULL;
    l = unpack(l);
    r = unpack(r);
    if (l->id == QV_TYPE_NULL && r->id == QV_TYPE_NULL) {
        *operand = arrow_type_primitive(QV_TYPE_INT64);
        return QV_OK;
    }
    if (l->id == QV_TYPE_NULL && plan_type_is_numeric(r->id)) {
        *operand = arrow_type_retain(r);
        return QV_OK;
    }
    if (r->id == QV_TYPE_NULL && plan_type_is_numeric(l->id)) {
        *operand = arrow_type_retain(l);
        return QV_OK;
    }
    if (plan_type_is_numeric(l->id) && plan_type_is_numeric(r->id)) {
        bool ldec = l->id == QV_TYPE_DECIMAL128 || l->id == QV_TYPE_DECIMAL256;
        bool rdec = r->id == QV_TYPE_DECIMAL128 || r->id == QV_TYPE_DECIMAL256;
        /* Decimal arithmetic keeps each side's precision and scale (the
         * kernel combines them); an integer side becomes a decimal. */
        if ((ldec || rdec) && !arrow_type_is_floating(l->id) && !arrow_type_is_floating(r->id))
            return QV_NOT_FOUND; /* the binder handles decimal pairs itself */
        (void)op;
        return plan_numeric_coercion(l, r, operand, err);
    }
    return QV_NOT_FOUND;
}

qv_status plan_decimal_operand(arrow_type *t, arrow_type **out, qv_error *err)
{
    if (t->id == QV_TYPE_DECIMAL128 || t->id == QV_TYPE_DECIMAL256) {
        *out = arrow_type_retain(t);
        return QV_OK;
    }
    if (t->id == QV_TYPE_NULL)
        return decimal_of(1, 0, out, err);
    return decimal_of(integer_digits(t->id), 0, out, err);
}
