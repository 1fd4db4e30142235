/*
 * kernels_bool.c — SQL three-valued AND / OR, NOT, IS [NOT] NULL (layer:
 * func). Works a byte (eight rows) at a time on aligned copies of the value
 * and validity bitmaps (Kleene logic: FALSE AND NULL is FALSE, TRUE OR NULL
 * is TRUE).
 */
#include "func/func_int.h"

/* Copies a Boolean (or Null-type) datum's values and validity, as n bits
 * from bit 0, into vals / valid (n_bytes each). Values of null rows are 0. */
static void load_bits(const func_datum *d, int64_t n, uint8_t *vals, uint8_t *valid)
{
    int64_t n_bytes = (n + 7) / 8;
    const arrow_array *a = d->array;
    if (a->type->id == QV_TYPE_NULL) {
        memset(vals, 0, (size_t)n_bytes);
        memset(valid, 0, (size_t)n_bytes);
        return;
    }
    if (d->is_scalar) {
        bool ok = func_valid_at(d, 0);
        bool v = ok && arrow_bit_get(a->buffers[1]->data, a->offset);
        memset(vals, v ? 0xFF : 0, (size_t)n_bytes);
        memset(valid, ok ? 0xFF : 0, (size_t)n_bytes);
        return;
    }
    func_bits_copy(vals, a->buffers[1]->data, a->offset, n);
    if (a->buffers[0]) {
        func_bits_copy(valid, a->buffers[0]->data, a->offset, n);
        for (int64_t i = 0; i < n_bytes; i++)
            vals[i] &= valid[i];
    } else {
        memset(valid, 0xFF, (size_t)n_bytes);
    }
}

static qv_status check_bool(const func_datum *d, const char *op, qv_error *err)
{
    arrow_type_id id = d->array->type->id;
    if (id == QV_TYPE_BOOLEAN || id == QV_TYPE_NULL)
        return QV_OK;
    char name[64];
    func_type_name(d->array->type, name, sizeof name);
    return base_error_set(err, QV_PLAN,
                          "Error during planning: Cannot infer common argument type for logical "
                          "boolean operation %s %s %s",
                          name, op, name);
}

static qv_status and_or(bool is_and, const func_datum *left, const func_datum *right,
                        int64_t n_rows, func_datum *out, qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    QV_TRY(check_bool(left, is_and ? "AND" : "OR", err));
    QV_TRY(check_bool(right, is_and ? "AND" : "OR", err));
    func_datum args[2] = {*left, *right};
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    int64_t n_bytes = (n + 7) / 8;
    arrow_buffer *lv = NULL, *lm = NULL, *rv = NULL, *rm = NULL;
    qv_status st = func_bitmap_new(n, &lv, err);
    if (st == QV_OK)
        st = func_bitmap_new(n, &lm, err);
    if (st == QV_OK)
        st = func_bitmap_new(n, &rv, err);
    if (st == QV_OK)
        st = func_bitmap_new(n, &rm, err);
    if (st != QV_OK)
        goto cleanup;
    load_bits(left, n, lv->data, lm->data);
    load_bits(right, n, rv->data, rm->data);
    uint8_t *a = lv->data, *am = lm->data, *b = rv->data, *bm = rm->data;
    if (is_and) {
        for (int64_t i = 0; i < n_bytes; i++) {
            uint8_t valid = (uint8_t)((am[i] & bm[i]) | (am[i] & ~a[i]) | (bm[i] & ~b[i]));
            a[i] = (uint8_t)(a[i] & b[i]);
            am[i] = valid;
        }
    } else {
        for (int64_t i = 0; i < n_bytes; i++) {
            uint8_t valid = (uint8_t)((am[i] & bm[i]) | a[i] | b[i]);
            a[i] = (uint8_t)(a[i] | b[i]);
            am[i] = valid;
        }
    }
    if (n & 7) {
        a[n_bytes - 1] &= (uint8_t)((1u << (n & 7)) - 1);
        am[n_bytes - 1] &= (uint8_t)((1u << (n & 7)) - 1);
    }
    arrow_array *result;
    st = func_make_fixed(arrow_type_primitive(QV_TYPE_BOOLEAN), n, lm, lv, &result, err);
    lm = lv = NULL;
    if (st == QV_OK)
        func_set_result(out, result, all_scalar);
cleanup:
    arrow_buffer_release(lv);
    arrow_buffer_release(lm);
    arrow_buffer_release(rv);
    arrow_buffer_release(rm);
    return st;
}

qv_status func_and(const func_datum *left, const func_datum *right, int64_t n_rows,
                   func_datum *out, qv_error *err)
{
    return and_or(true, left, right, n_rows, out, err);
}

qv_status func_or(const func_datum *left, const func_datum *right, int64_t n_rows,
                  func_datum *out, qv_error *err)
{
    return and_or(false, left, right, n_rows, out, err);
}

qv_status func_not(const func_datum *arg, int64_t n_rows, func_datum *out, qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    if (arg->array->type->id != QV_TYPE_BOOLEAN && arg->array->type->id != QV_TYPE_NULL) {
        char name[64];
        func_type_name(arg->array->type, name, sizeof name);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: Cannot infer common argument type for NOT "
                              "%s",
                              name);
    }
    bool all_scalar;
    int64_t n = func_out_rows(1, arg, n_rows, &all_scalar);
    int64_t n_bytes = (n + 7) / 8;
    arrow_buffer *v = NULL, *m = NULL;
    qv_status st = func_bitmap_new(n, &v, err);
    if (st == QV_OK)
        st = func_bitmap_new(n, &m, err);
    if (st != QV_OK) {
        arrow_buffer_release(v);
        arrow_buffer_release(m);
        return st;
    }
    load_bits(arg, n, v->data, m->data);
    for (int64_t i = 0; i < n_bytes; i++)
        v->data[i] = (uint8_t)(~v->data[i] & m->data[i]);
    arrow_array *result;
    QV_TRY(func_make_fixed(arrow_type_primitive(QV_TYPE_BOOLEAN), n, m, v, &result, err));
    func_set_result(out, result, all_scalar);
    return QV_OK;
}

qv_status func_is_null(bool negated, const func_datum *arg, int64_t n_rows, func_datum *out,
                       qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    bool all_scalar;
    int64_t n = func_out_rows(1, arg, n_rows, &all_scalar);
    int64_t n_bytes = (n + 7) / 8;
    arrow_buffer *v;
    QV_TRY(func_bitmap_new(n, &v, err));
    const arrow_array *a = arg->array;
    if (a->type->id == QV_TYPE_NULL) {
        memset(v->data, 0, (size_t)n_bytes);
    } else if (arg->is_scalar || a->buffers[0] == NULL) {
        memset(v->data, func_valid_at(arg, 0) ? 0xFF : 0, (size_t)n_bytes);
    } else {
        func_bits_copy(v->data, a->buffers[0]->data, a->offset, n);
    }
    if (!negated) {
        for (int64_t i = 0; i < n_bytes; i++)
            v->data[i] = (uint8_t)~v->data[i];
    }
    if (n & 7)
        v->data[n_bytes - 1] &= (uint8_t)((1u << (n & 7)) - 1);
    arrow_array *result;
    QV_TRY(func_make_fixed(arrow_type_primitive(QV_TYPE_BOOLEAN), n, NULL, v, &result, err));
    func_set_result(out, result, all_scalar);
    return QV_OK;
}
