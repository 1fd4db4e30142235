/*
 * string_int.h — private row-access helpers of the string functions (layer:
 * func): every argument is a string (any layout) or an Int64, read by row.
 */
#ifndef QV_FUNC_STRING_INT_H
#define QV_FUNC_STRING_INT_H

#include "func/func_int.h"

#define UNUSED(x) (void)(x)
#define INVOKE_ARGS                                                                                \
    func_call_ctx *ctx, int n_args, const func_datum *args, int64_t n_rows,                        \
        arrow_type *return_type, func_datum *out, qv_error *err

typedef struct str_rows {
    int n_args;
    const func_datum *args;
    func_str str[5];
    const int64_t *ints[5];
    int64_t n;
    bool all_scalar;
    arrow_buffer *validity; /* AND of the arguments' validity; NULL: none null */
} str_rows;

/* Sets up readers for n_args arguments; QV_NOMEM only. */
qv_status str_rows_init(str_rows *r, int n_args, const func_datum *args, int64_t n_rows,
                        qv_error *err);
void str_rows_free(str_rows *r);

static inline bool str_rows_valid(const str_rows *r, int64_t i)
{
    return r->validity == NULL || arrow_bit_get(r->validity->data, i);
}
static inline void str_rows_get(const str_rows *r, int k, int64_t i, const uint8_t **p,
                                int64_t *len)
{
    func_str_at(&r->str[k], i, p, len);
}
static inline int64_t str_rows_int(const str_rows *r, int k, int64_t i)
{
    return r->ints[k][r->args[k].is_scalar ? 0 : i];
}

/* Byte offset of the char_index-th code point (0-based) of p[0..len), or len. */
int64_t str_char_offset(const uint8_t *p, int64_t len, int64_t char_index);

/* Return type helpers: the string type of argument 0 with Utf8View mapped to
 * Utf8 (DataFusion's utf8_to_str_type), and the integer type for lengths
 * (Int64 for LargeUtf8, else Int32). */
qv_status str_rt_string(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status str_rt_length(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status str_rt_utf8(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status str_rt_bool(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);

/* concat / concat_ws (string_concat.c), listed in string_basic.c's table. */
qv_status func_concat_invoke(INVOKE_ARGS);
qv_status func_concat_ws_invoke(INVOKE_ARGS);
qv_status func_concat_rt(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);

#endif /* QV_FUNC_STRING_INT_H */
