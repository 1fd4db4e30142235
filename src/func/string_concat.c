/*
 * string_concat.c — concat and concat_ws (layer: func): NULL arguments are
 * skipped; concat_ws is NULL only when the separator is.
 */
#include "func/string_int.h"

/* ---- concat, concat_ws ---- */

/*
 * Joins the string arguments row by row, skipping null values. With a
 * separator (concat_ws) args[0] is the separator, a null separator makes the
 * row null, and the separator goes between the values that are present;
 * without one (concat) the row is never null.
 */
static qv_status join_strings(bool has_separator, int n_args, const func_datum *args,
                              int64_t n_rows, arrow_type *return_type, func_datum *out,
                              qv_error *err)
{
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    func_str *readers = base_calloc(n_args > 0 ? (size_t)n_args : 1, sizeof *readers);
    if (readers == NULL)
        return base_error_nomem(err, "string arguments");
    for (int k = 0; k < n_args; k++) {
        if (args[k].array->type->id != QV_TYPE_NULL)
            func_str_init(&readers[k], &args[k]);
    }
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(return_type, &b, err);
    int first_value = has_separator ? 1 : 0;
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        const uint8_t *sep = NULL;
        int64_t sep_len = 0;
        if (has_separator) {
            if (!func_valid_at(&args[0], i)) {
                st = arrow_builder_append_null(b, err);
                continue;
            }
            func_str_at(&readers[0], i, &sep, &sep_len);
        }
        base_strbuf_clear(&sb);
        bool first = true;
        for (int k = first_value; k < n_args; k++) {
            if (!func_valid_at(&args[k], i))
                continue;
            const uint8_t *p;
            int64_t len;
            func_str_at(&readers[k], i, &p, &len);
            if (!first)
                base_strbuf_append(&sb, (const char *)sep, (size_t)sep_len);
            base_strbuf_append(&sb, (const char *)p, (size_t)len);
            first = false;
        }
        st = base_strbuf_failed(&sb) ? base_error_nomem(err, "string result")
                                     : arrow_builder_append_bytes(b, sb.data ? sb.data : "",
                                                                  (int64_t)sb.len, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    base_strbuf_free(&sb);
    base_free(readers);
    return st;
}

/* concat: nulls are skipped; the result is never null. */
qv_status func_concat_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    return join_strings(false, n_args, args, n_rows, return_type, out, err);
}

/* concat_ws: null separator gives null; null values are skipped. */
qv_status func_concat_ws_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    return join_strings(true, n_args, args, n_rows, return_type, out, err);
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

