/*
 * datum.c — datums (array or broadcast scalar) and the shared helpers of the
 * function layer (layer: func): validity bitmaps, output assembly, the string
 * reader, UTF-8 coding and simple case mapping, error texts.
 */
#include <stdio.h>

#include "func/func_int.h"

func_datum func_datum_array(arrow_array *array)
{
    func_datum d = {arrow_array_retain(array), false};
    return d;
}

func_datum func_datum_scalar(arrow_array *array)
{
    func_datum d = {arrow_array_retain(array), true};
    return d;
}

void func_datum_release(func_datum *datum)
{
    if (datum == NULL)
        return;
    arrow_array_release(datum->array);
    datum->array = NULL;
    datum->is_scalar = false;
}

bool func_datum_is_valid(const func_datum *datum, int64_t i)
{
    return func_valid_at(datum, i);
}

qv_status func_datum_null_scalar(arrow_type *type, func_datum *out, qv_error *err)
{
    arrow_array *a;
    out->array = NULL;
    out->is_scalar = false;
    QV_TRY(arrow_array_new_null(type, 1, &a, err));
    func_set_result(out, a, true);
    return QV_OK;
}

qv_status func_datum_to_array(const func_datum *datum, int64_t n_rows, arrow_array **out,
                              qv_error *err)
{
    *out = NULL;
    if (!datum->is_scalar) {
        *out = arrow_array_retain(datum->array);
        return QV_OK;
    }
    arrow_builder *b;
    QV_TRY(arrow_builder_new(datum->array->type, &b, err));
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n_rows && st == QV_OK; i++)
        st = arrow_builder_append_from(b, datum->array, 0, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

int64_t func_out_rows(int n_args, const func_datum *args, int64_t n_rows, bool *all_scalar)
{
    bool scalar = true;
    for (int i = 0; i < n_args; i++)
        scalar = scalar && args[i].is_scalar;
    *all_scalar = scalar;
    return scalar ? 1 : n_rows;
}

/* Reads 8 bits of src starting at bit position pos (any alignment). */
static inline uint8_t bits_byte(const uint8_t *src, int64_t pos, int64_t n_bits_total)
{
    int64_t byte = pos >> 3;
    int shift = (int)(pos & 7);
    if (shift == 0)
        return src[byte];
    uint16_t lo = src[byte];
    /* only touch the next byte when it holds bits we need */
    uint16_t hi = (pos + 8 - shift < n_bits_total) ? src[byte + 1] : 0;
    return (uint8_t)((lo | (uint16_t)(hi << 8)) >> shift);
}

void func_bits_copy(uint8_t *dst, const uint8_t *src, int64_t src_off, int64_t n)
{
    int64_t n_bytes = (n + 7) / 8;
    if ((src_off & 7) == 0) {
        memcpy(dst, src + (src_off >> 3), (size_t)n_bytes);
    } else {
        for (int64_t i = 0; i < n_bytes; i++)
            dst[i] = bits_byte(src, src_off + i * 8, src_off + n);
    }
    if (n & 7)
        dst[n_bytes - 1] &= (uint8_t)((1u << (n & 7)) - 1);
}

void func_bits_and(uint8_t *dst, const uint8_t *src, int64_t src_off, int64_t n)
{
    int64_t n_bytes = (n + 7) / 8;
    if ((src_off & 7) == 0) {
        const uint8_t *s = src + (src_off >> 3);
        for (int64_t i = 0; i < n_bytes; i++)
            dst[i] &= s[i];
    } else {
        for (int64_t i = 0; i < n_bytes; i++)
            dst[i] &= bits_byte(src, src_off + i * 8, src_off + n);
    }
}

qv_status func_bitmap_new(int64_t n, arrow_buffer **out, qv_error *err)
{
    return arrow_buffer_new((n + 7) / 8, out, err);
}

qv_status func_validity_and(int n_args, const func_datum *args, int64_t out_len,
                            arrow_buffer **out, qv_error *err)
{
    *out = NULL;
    bool any_null_scalar = false;
    for (int i = 0; i < n_args; i++) {
        if (args[i].is_scalar && !func_valid_at(&args[i], 0))
            any_null_scalar = true;
    }
    if (any_null_scalar)
        return func_bitmap_new(out_len, out, err); /* all zero */
    arrow_buffer *bm = NULL;
    for (int i = 0; i < n_args; i++) {
        const arrow_array *a = args[i].array;
        if (args[i].is_scalar)
            continue;
        if (a->type->id == QV_TYPE_NULL) {
            arrow_buffer_release(bm);
            return func_bitmap_new(out_len, out, err);
        }
        if (a->buffers[0] == NULL || a->null_count == 0)
            continue;
        if (bm == NULL) {
            QV_TRY(func_bitmap_new(out_len, &bm, err));
            func_bits_copy(bm->data, a->buffers[0]->data, a->offset, out_len);
        } else {
            func_bits_and(bm->data, a->buffers[0]->data, a->offset, out_len);
        }
    }
    *out = bm;
    return QV_OK;
}

qv_status func_make_fixed(arrow_type *type, int64_t len, arrow_buffer *validity,
                          arrow_buffer *values, arrow_array **out, qv_error *err)
{
    arrow_buffer *bufs[2] = {validity, values};
    qv_status st = arrow_array_new(type, len, validity ? -1 : 0, 0, 2, bufs, 0, NULL, NULL, out,
                                   err);
    arrow_buffer_release(validity);
    arrow_buffer_release(values);
    return st;
}

qv_status func_finish_builder(arrow_builder *builder, bool is_scalar, func_datum *out,
                              qv_error *err)
{
    arrow_array *a;
    QV_TRY(arrow_builder_finish(builder, &a, err));
    func_set_result(out, a, is_scalar);
    return QV_OK;
}

void func_str_init(func_str *s, const func_datum *d)
{
    const arrow_array *a = d->array;
    memset(s, 0, sizeof *s);
    s->id = a->type->id;
    s->offset = a->offset;
    s->scalar = d->is_scalar;
    switch (s->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
        s->off32 = (const int32_t *)a->buffers[1]->data;
        s->data = a->buffers[2] ? a->buffers[2]->data : NULL;
        break;
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
        s->off64 = (const int64_t *)a->buffers[1]->data;
        s->data = a->buffers[2] ? a->buffers[2]->data : NULL;
        break;
    case QV_TYPE_FIXED_SIZE_BINARY:
        s->data = arrow_array_values(a);
        s->fixed_width = a->type->fixed_size;
        break;
    default:
        s->views = a->buffers[1]->data;
        s->bufs = a->buffers;
        break;
    }
}

void func_type_name(const arrow_type *type, char *buf, size_t cap)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(type, &sb);
    snprintf(buf, cap, "%s", base_strbuf_failed(&sb) ? "?" : base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
}

int func_utf8_encode(uint32_t cp, uint8_t *out)
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | (cp >> 6));
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (cp >> 12));
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

int64_t func_utf8_count(const uint8_t *p, int64_t len)
{
    int64_t n = 0;
    for (int64_t i = 0; i < len; i++)
        n += (p[i] & 0xC0) != 0x80;
    return n;
}

/* Simple one-to-one case mapping for the scripts most text uses. Full
 * Unicode (special casing such as German sharp s -> "SS") needs a Unicode
 * database (utf8proc), not yet a dependency. */
uint32_t func_unicode_lower(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x17F) {
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
            return (cp & 1) ? cp + 1 : cp;
        if (cp == 0x178)
            return 0xFF;
        if (cp == 0x130 || cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17F)
            return cp == 0x130 ? 'i' : cp;
        return (cp & 1) ? cp : cp + 1;
    }
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
        return cp + 32;
    if (cp == 0x386)
        return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A)
        return cp + 37;
    if (cp == 0x38C)
        return 0x3CC;
    if (cp == 0x38E || cp == 0x38F)
        return cp + 63;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    return cp;
}

uint32_t func_unicode_upper(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
        return cp - 32;
    if (cp == 0xFF)
        return 0x178;
    if (cp == 0xB5)
        return 0x39C;
    if (cp >= 0x100 && cp <= 0x17F) {
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
            return (cp & 1) ? cp : cp - 1;
        if (cp == 0x131)
            return 'I';
        if (cp == 0x130 || cp == 0x138 || cp == 0x149 || cp == 0x178)
            return cp;
        if (cp == 0x17F)
            return 'S';
        return (cp & 1) ? cp - 1 : cp;
    }
    if (cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3C2)
        return cp - 32;
    if (cp == 0x3C2)
        return 0x3A3;
    if (cp == 0x3AC)
        return 0x386;
    if (cp >= 0x3AD && cp <= 0x3AF)
        return cp - 37;
    if (cp == 0x3CC)
        return 0x38C;
    if (cp == 0x3CD || cp == 0x3CE)
        return cp - 63;
    if (cp >= 0x430 && cp <= 0x44F)
        return cp - 32;
    if (cp >= 0x450 && cp <= 0x45F)
        return cp - 80;
    return cp;
}

qv_status func_err_overflow_i(qv_error *err, const char *op, int64_t l, int64_t r)
{
    return base_error_set(err, QV_OVERFLOW,
                          "Arrow error: Arithmetic overflow: Overflow happened on: %lld %s %lld",
                          (long long)l, op, (long long)r);
}

qv_status func_err_div_zero(qv_error *err)
{
    return base_error_set(err, QV_DIVIDE_BY_ZERO, "Arrow error: Divide by zero error");
}

qv_status func_fixed_begin(int n_args, const func_datum *args, int64_t n_rows, arrow_type *type,
                           func_fixed_out *fo, qv_error *err)
{
    memset(fo, 0, sizeof *fo);
    fo->n = func_out_rows(n_args, args, n_rows, &fo->all_scalar);
    QV_TRY(func_validity_and(n_args, args, fo->n, &fo->validity, err));
    int w = arrow_type_bit_width(type);
    qv_status st = arrow_buffer_new(w == 1 ? (fo->n + 7) / 8 : fo->n * (w / 8), &fo->values, err);
    if (st != QV_OK) {
        arrow_buffer_release(fo->validity);
        fo->validity = NULL;
    }
    return st;
}

qv_status func_fixed_end(func_fixed_out *fo, arrow_type *type, qv_status st, func_datum *out,
                         qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    if (st != QV_OK) {
        arrow_buffer_release(fo->validity);
        arrow_buffer_release(fo->values);
        fo->validity = fo->values = NULL;
        return st;
    }
    arrow_array *a;
    st = func_make_fixed(type, fo->n, fo->validity, fo->values, &a, err);
    fo->validity = fo->values = NULL;
    if (st == QV_OK)
        func_set_result(out, a, fo->all_scalar);
    return st;
}

qv_status func_fixed_set_null(func_fixed_out *fo, int64_t i, qv_error *err)
{
    if (fo->validity == NULL) {
        QV_TRY(func_bitmap_new(fo->n, &fo->validity, err));
        memset(fo->validity->data, 0xFF, (size_t)((fo->n + 7) / 8));
    }
    arrow_bit_set(fo->validity->data, i, false);
    return QV_OK;
}
