/*
 * string_concat.c — concat and concat_ws (layer: func): NULL arguments are
 * skipped; concat_ws is NULL only when the separator is.
 */
#include "func/string_int.h"

/* ---- concat, concat_ws ---- */

/* concat: nulls are skipped; the result is never null. */
qv_status func_concat_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    arrow_builder *b = NULL;
    base_strbuf sb;
    base_strbuf_init(&sb);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    func_str s[64];
    if (n_args > 64)
        return base_error_set(err, QV_NOT_IMPLEMENTED, "concat of more than 64 arguments");
    for (int k = 0; k < n_args; k++) {
        if (args[k].array->type->id != QV_TYPE_NULL)
            func_str_init(&s[k], &args[k]);
    }
    qv_status st = arrow_builder_new(return_type, &b, err);
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        base_strbuf_clear(&sb);
        for (int k = 0; k < n_args; k++) {
            if (!func_valid_at(&args[k], i))
                continue;
            const uint8_t *p;
            int64_t len;
            func_str_at(&s[k], i, &p, &len);
            base_strbuf_append(&sb, (const char *)p, (size_t)len);
        }
        st = base_strbuf_failed(&sb) ? base_error_nomem(err, "concat")
                                     : arrow_builder_append_bytes(b, sb.data ? sb.data : "",
                                                                  (int64_t)sb.len, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    base_strbuf_free(&sb);
    return st;
}

/* concat_ws: null separator gives null; null values are skipped. */
qv_status func_concat_ws_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    arrow_builder *b = NULL;
    base_strbuf sb;
    base_strbuf_init(&sb);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    func_str s[64];
    if (n_args > 64)
        return base_error_set(err, QV_NOT_IMPLEMENTED, "concat_ws of more than 64 arguments");
    for (int k = 0; k < n_args; k++) {
        if (args[k].array->type->id != QV_TYPE_NULL)
            func_str_init(&s[k], &args[k]);
    }
    qv_status st = arrow_builder_new(return_type, &b, err);
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        if (!func_valid_at(&args[0], i)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        base_strbuf_clear(&sb);
        const uint8_t *sep;
        int64_t sep_len;
        func_str_at(&s[0], i, &sep, &sep_len);
        bool first = true;
        for (int k = 1; k < n_args; k++) {
            if (!func_valid_at(&args[k], i))
                continue;
            const uint8_t *p;
            int64_t len;
            func_str_at(&s[k], i, &p, &len);
            if (!first)
                base_strbuf_append(&sb, (const char *)sep, (size_t)sep_len);
            base_strbuf_append(&sb, (const char *)p, (size_t)len);
            first = false;
        }
        st = base_strbuf_failed(&sb) ? base_error_nomem(err, "concat_ws")
                                     : arrow_builder_append_bytes(b, sb.data ? sb.data : "",
                                                                  (int64_t)sb.len, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    base_strbuf_free(&sb);
    return st;
}

/* concat's type: Utf8View if any argument is, else LargeUtf8 if any is,
 * else Utf8 (string/concat.slt). */
qv_status func_concat_rt(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(err);
    arrow_type_id id = QV_TYPE_UTF8;
    for (int k = 0; k < n_args; k++) {
        if (types[k]->id == QV_TYPE_UTF8_VIEW)
            id = QV_TYPE_UTF8_VIEW;
        else if (types[k]->id == QV_TYPE_LARGE_UTF8 && id == QV_TYPE_UTF8)
            id = QV_TYPE_LARGE_UTF8;
    }
    *out = arrow_type_primitive(id);
    return QV_OK;
}

