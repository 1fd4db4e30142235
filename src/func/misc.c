/*
 * misc.c — miscellaneous scalar functions (layer: func): arrow_typeof and
 * version. (Digests md5 / sha2 / digest wait for OpenSSL to become a
 * dependency.)
 */
#include "func/func_int.h"

#define UNUSED(x) (void)(x)

static qv_status rt_utf8(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(types);
    UNUSED(err);
    *out = arrow_type_primitive(QV_TYPE_UTF8);
    return QV_OK;
}

static qv_status scalar_text(arrow_type *type, const char *text, size_t len, func_datum *out,
                             qv_error *err)
{
    arrow_builder *b;
    QV_TRY(arrow_builder_new(type, &b, err));
    qv_status st = arrow_builder_append_bytes(b, text, (int64_t)len, err);
    if (st == QV_OK)
        st = func_finish_builder(b, true, out, err);
    arrow_builder_free(b);
    return st;
}

/* arrow_typeof(x): the argument's type name, as a scalar. */
static qv_status arrow_typeof_invoke(func_call_ctx *ctx, int n_args, const func_datum *args,
                                     int64_t n_rows, arrow_type *return_type, func_datum *out,
                                     qv_error *err)
{
    UNUSED(ctx);
    UNUSED(n_args);
    UNUSED(n_rows);
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(args[0].array->type, &sb);
    qv_status st = base_strbuf_failed(&sb) ? base_error_nomem(err, "type name")
                                           : scalar_text(return_type, base_strbuf_cstr(&sb),
                                                         sb.len, out, err);
    base_strbuf_free(&sb);
    return st;
}

static qv_status version_invoke(func_call_ctx *ctx, int n_args, const func_datum *args,
                                int64_t n_rows, arrow_type *return_type, func_datum *out,
                                qv_error *err)
{
    UNUSED(ctx);
    UNUSED(n_args);
    UNUSED(args);
    UNUSED(n_rows);
    static const char text[] = "Quiver " QV_VERSION_STRING
#if defined(__x86_64__)
                               ", x86_64"
#elif defined(__aarch64__)
                               ", aarch64"
#else
                               ", unknown"
#endif
#if defined(__linux__)
                               " on linux";
#else
                               " on unknown";
#endif
    return scalar_text(return_type, text, sizeof text - 1, out, err);
}

static const char *const p_expr[] = {"expression", NULL};

const func_entry func_misc_entries[] = {
    {"arrow_typeof", NULL, FUNC_SCALAR, {FUNC_SIG_ANY, 1, 0, NULL, 0, NULL}, FUNC_IMMUTABLE,
     "Returns the name of the underlying Arrow data type of the expression.", p_expr,
     .impl.scalar = {rt_utf8, arrow_typeof_invoke}},
    {"version", NULL, FUNC_SCALAR, {FUNC_SIG_NULLARY, 0, 0, NULL, 0, NULL}, FUNC_IMMUTABLE,
     "Returns the version of the engine.", NULL, .impl.scalar = {rt_utf8, version_invoke}},
};
const int32_t func_misc_entry_count =
    (int32_t)(sizeof func_misc_entries / sizeof func_misc_entries[0]);
