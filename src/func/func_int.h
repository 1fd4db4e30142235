/*
 * func_int.h — private helpers shared by the files of the function layer
 * (layer: func): output sizing, validity bitmaps, typed buffer access, a
 * string reader over the three string layouts, and result assembly. Not for
 * other layers.
 */
#ifndef QV_FUNC_INT_H
#define QV_FUNC_INT_H

#include <string.h>

#include "func/func.h"

/* Rows a kernel computes: 1 when every argument is scalar (then *all_scalar
 * is true), else n_rows. */
int64_t func_out_rows(int n_args, const func_datum *args, int64_t n_rows, bool *all_scalar);

/* The AND of the arguments' validity over out_len rows, as a new bitmap
 * buffer starting at bit 0; *out is NULL when no row is null. A null scalar
 * makes every row null. */
qv_status func_validity_and(int n_args, const func_datum *args, int64_t out_len, arrow_buffer **out,
                            qv_error *err);
/* dst[0..n) = src[src_off .. src_off+n) (bits); dst bytes past n are zeroed
 * up to the last written byte. */
void func_bits_copy(uint8_t *dst, const uint8_t *src, int64_t src_off, int64_t n);
/* dst[0..n) &= src[src_off .. src_off+n). */
void func_bits_and(uint8_t *dst, const uint8_t *src, int64_t src_off, int64_t n);
/* A new zeroed buffer for n bits. */
qv_status func_bitmap_new(int64_t n, arrow_buffer **out, qv_error *err);

/* Assembles a flat fixed-width (or Boolean) array of len rows at offset 0 from
 * validity (may be NULL) and values; both are consumed (released). */
qv_status func_make_fixed(arrow_type *type, int64_t len, arrow_buffer *validity,
                          arrow_buffer *values, arrow_array **out, qv_error *err);
/* Sets *out to a datum owning array (the reference moves). */
static inline void func_set_result(func_datum *out, arrow_array *array, bool is_scalar)
{
    out->array = array;
    out->is_scalar = is_scalar;
}
/* Finishes builder into *out as a datum. */
qv_status func_finish_builder(arrow_builder *builder, bool is_scalar, func_datum *out,
                              qv_error *err);

/* A fixed-width result under construction: rows, validity (AND of the
 * arguments'), zeroed values sized for type. */
typedef struct func_fixed_out {
    int64_t n;
    bool all_scalar;
    arrow_buffer *validity; /* NULL: no nulls */
    arrow_buffer *values;
} func_fixed_out;
qv_status func_fixed_begin(int n_args, const func_datum *args, int64_t n_rows, arrow_type *type,
                           func_fixed_out *fo, qv_error *err);
/* st == QV_OK: assembles the array into *out; else frees the buffers and
 * returns st. */
qv_status func_fixed_end(func_fixed_out *fo, arrow_type *type, qv_status st, func_datum *out,
                         qv_error *err);
/* Marks row i of fo null (allocating the bitmap when needed). */
qv_status func_fixed_set_null(func_fixed_out *fo, int64_t i, qv_error *err);

/* Element 0 of a fixed-width array with its offset applied. */
static inline const uint8_t *func_fixed_ptr(const arrow_array *array, int width_bytes)
{
    return arrow_array_values(array) + array->offset * width_bytes;
}

/* Row `row` of a datum is valid (row 0 for scalars). */
static inline bool func_valid_at(const func_datum *d, int64_t row)
{
    const arrow_array *a = d->array;
    if (a->type->id == QV_TYPE_NULL)
        return false;
    if (a->buffers[0] == NULL)
        return true;
    return arrow_bit_get(a->buffers[0]->data, a->offset + (d->is_scalar ? 0 : row));
}

static inline bool func_is_string_id(arrow_type_id id)
{
    return id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW;
}
static inline bool func_is_binary_id(arrow_type_id id)
{
    return id == QV_TYPE_BINARY || id == QV_TYPE_LARGE_BINARY || id == QV_TYPE_BINARY_VIEW ||
           id == QV_TYPE_FIXED_SIZE_BINARY;
}
static inline bool func_is_numeric_id(arrow_type_id id)
{
    return arrow_type_is_integer(id) || arrow_type_is_floating(id) || id == QV_TYPE_DECIMAL128 ||
           id == QV_TYPE_DECIMAL256;
}

/* Reads strings / binaries of any of the byte layouts. The layout switch in
 * func_str_at does not depend on the row, so compilers unswitch it out of
 * the caller's loop. */
typedef struct func_str {
    arrow_type_id id;
    const uint8_t *data; /* UTF8 / BINARY (LARGE_*) */
    const int32_t *off32;
    const int64_t *off64;
    const uint8_t *views; /* *_VIEW */
    arrow_buffer *const *bufs;
    int32_t fixed_width; /* FIXED_SIZE_BINARY */
    int64_t offset;
    bool scalar;
} func_str;

void func_str_init(func_str *s, const func_datum *d);

static inline void func_str_at(const func_str *s, int64_t row, const uint8_t **p, int64_t *len)
{
    int64_t j = s->offset + (s->scalar ? 0 : row);
    switch (s->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
        *p = s->data + s->off32[j];
        *len = s->off32[j + 1] - s->off32[j];
        return;
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
        *p = s->data + s->off64[j];
        *len = s->off64[j + 1] - s->off64[j];
        return;
    case QV_TYPE_FIXED_SIZE_BINARY:
        *p = s->data + j * s->fixed_width;
        *len = s->fixed_width;
        return;
    default: {
        const uint8_t *v = s->views + j * 16;
        int32_t n;
        memcpy(&n, v, 4);
        *len = n;
        if (n <= 12) {
            *p = v + 4;
        } else {
            int32_t buf, off;
            memcpy(&buf, v + 8, 4);
            memcpy(&off, v + 12, 4);
            *p = s->bufs[2 + buf]->data + off;
        }
        return;
    }
    }
}

/* Appends the type's DataFusion name to a fixed buffer (cut at cap). */
void func_type_name(const arrow_type *type, char *buf, size_t cap);

/* UTF-8: decodes one code point at p (valid UTF-8 assumed, as arrays are
 * validated); returns its byte length. */
static inline int func_utf8_decode(const uint8_t *p, uint32_t *cp)
{
    uint8_t c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xE0) {
        *cp = ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
          ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
}
/* Byte length of the code point starting with byte c. */
static inline int func_utf8_len(uint8_t c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}
/* Encodes cp into out (4 bytes room); returns the length. */
int func_utf8_encode(uint32_t cp, uint8_t *out);
/* Number of code points in p[0..len). */
int64_t func_utf8_count(const uint8_t *p, int64_t len);
/* Simple case mapping (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic). */
uint32_t func_unicode_lower(uint32_t cp);
uint32_t func_unicode_upper(uint32_t cp);

/* Decimal helpers (cast.c). */
/* __extension__: 128-bit integers are a GCC/Clang extension -Wpedantic flags. */
__extension__ typedef __int128 func_i128;
__extension__ typedef unsigned __int128 func_u128;
func_i128 func_pow10_i128(int n);                 /* 0 <= n <= 38 */
void func_i128_to_string(func_i128 v, char *buf); /* buf >= 42 bytes */
/* QV_CAST with arrow-rs's "is too large to store in a Decimal128 of
 * precision p" error when v does not fit to's precision. */
qv_status func_dec_check_precision(func_i128 v, const arrow_type *to, qv_error *err);

/* Temporal cast pairs that cast.c hands to cast_temporal.c: strings to
 * Timestamp / Time / Date64 / Interval, numbers to and from temporal types,
 * naive to zoned timestamps, zoned timestamps to dates, timestamps to times,
 * time and duration units. (cast_temporal.c) */
bool func_cast_temporal_handles(const arrow_type *from, const arrow_type *to);
qv_status func_cast_temporal(const func_datum *arg, arrow_type *to, bool safe, int64_t n_rows,
                             func_datum *out, qv_error *err);

/* Casts that involve a List, LargeList, FixedSizeList, Struct or Map on
 * either side: whether cast_nested.c handles the pair, whether it
 * supports it, and the cast itself (nested to string excepted: cast.c
 * formats those). (cast_nested.c) */
bool func_cast_nested_handles(const arrow_type *from, const arrow_type *to);
bool func_can_cast_nested(const arrow_type *from, const arrow_type *to);
qv_status func_cast_nested(const func_datum *arg, arrow_type *to, bool safe, int64_t n_rows,
                           func_datum *out, qv_error *err);

/* Whether a three-way comparison result c (<0, 0, >0) satisfies op. */
static inline bool func_cmp_holds(func_cmp_op op, int c)
{
    switch (op) {
    case FUNC_EQ:
        return c == 0;
    case FUNC_NE:
        return c != 0;
    case FUNC_LT:
        return c < 0;
    case FUNC_LE:
        return c <= 0;
    case FUNC_GT:
        return c > 0;
    case FUNC_GE:
        return c >= 0;
    }
    return false;
}

/* Comparison bits out[0..n) of nested values of one type (lists,
 * structs, maps), as arrow-rs orders them; rows where either side is null
 * are left alone. (compare_nested.c) */
qv_status func_compare_nested(func_cmp_op op, const func_datum *left, const func_datum *right,
                              int64_t n, uint8_t *out, qv_error *err);

/* Error shorthands (datum.c). */
qv_status func_err_overflow_i(qv_error *err, const char *op, int64_t l, int64_t r);
qv_status func_err_div_zero(qv_error *err);

#endif /* QV_FUNC_INT_H */
