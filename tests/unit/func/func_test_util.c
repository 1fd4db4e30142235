/*
 * func_test_util.c — see func_test_util.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func_test_util.h"

static void die(const char *what, const qv_error *err)
{
    fprintf(stderr, "test helper failed: %s: %s\n", what, err ? err->message : "");
    abort();
}

static arrow_array *finish(arrow_builder *b)
{
    qv_error err;
    arrow_array *a;
    if (arrow_builder_finish(b, &a, &err) != QV_OK)
        die("finish", &err);
    arrow_builder_free(b);
    return a;
}

static arrow_builder *builder(arrow_type *t)
{
    qv_error err;
    arrow_builder *b;
    if (arrow_builder_new(t, &b, &err) != QV_OK)
        die("builder", &err);
    return b;
}

arrow_array *t_int(arrow_type_id id, int n, const int64_t *values)
{
    arrow_builder *b = builder(arrow_type_primitive(id));
    qv_error err;
    for (int i = 0; i < n; i++) {
        qv_status st = values[i] == NUL_I ? arrow_builder_append_null(b, &err)
                                          : arrow_builder_append_int(b, values[i], &err);
        if (st != QV_OK)
            die("append int", &err);
    }
    return finish(b);
}

arrow_array *t_i64_raw(int n, const int64_t *values)
{
    arrow_builder *b = builder(arrow_type_primitive(QV_TYPE_INT64));
    qv_error err;
    for (int i = 0; i < n; i++) {
        if (arrow_builder_append_int(b, values[i], &err) != QV_OK)
            die("append int", &err);
    }
    return finish(b);
}

arrow_array *t_uint64(int n, const uint64_t *values)
{
    arrow_builder *b = builder(arrow_type_primitive(QV_TYPE_UINT64));
    qv_error err;
    for (int i = 0; i < n; i++) {
        if (arrow_builder_append_uint(b, values[i], &err) != QV_OK)
            die("append uint", &err);
    }
    return finish(b);
}

arrow_array *t_float(arrow_type_id id, int n, const double *values, const char *nulls)
{
    arrow_builder *b = builder(arrow_type_primitive(id));
    qv_error err;
    for (int i = 0; i < n; i++) {
        qv_status st = nulls && nulls[i] == 'n' ? arrow_builder_append_null(b, &err)
                                                : arrow_builder_append_double(b, values[i], &err);
        if (st != QV_OK)
            die("append double", &err);
    }
    return finish(b);
}

arrow_array *t_str(arrow_type_id id, int n, const char *const *values)
{
    arrow_builder *b = builder(arrow_type_primitive(id));
    qv_error err;
    for (int i = 0; i < n; i++) {
        qv_status st = values[i] == NULL
                           ? arrow_builder_append_null(b, &err)
                           : arrow_builder_append_bytes(b, values[i], (int64_t)strlen(values[i]),
                                                        &err);
        if (st != QV_OK)
            die("append bytes", &err);
    }
    return finish(b);
}

arrow_array *t_bool(int n, const int *values)
{
    arrow_builder *b = builder(arrow_type_primitive(QV_TYPE_BOOLEAN));
    qv_error err;
    for (int i = 0; i < n; i++) {
        qv_status st = values[i] < 0 ? arrow_builder_append_null(b, &err)
                                     : arrow_builder_append_bool(b, values[i] != 0, &err);
        if (st != QV_OK)
            die("append bool", &err);
    }
    return finish(b);
}

arrow_array *t_dec(int precision, int scale, int n, const int64_t *values)
{
    qv_error err;
    arrow_type *t;
    if (arrow_type_decimal(QV_TYPE_DECIMAL128, precision, scale, &t, &err) != QV_OK)
        die("decimal type", &err);
    arrow_builder *b = builder(t);
    arrow_type_release(t);
    for (int i = 0; i < n; i++) {
        __extension__ __int128 v = values[i];
        qv_status st = values[i] == NUL_I ? arrow_builder_append_null(b, &err)
                                          : arrow_builder_append_decimal(b, (uint8_t *)&v, &err);
        if (st != QV_OK)
            die("append decimal", &err);
    }
    return finish(b);
}

arrow_array *t_slice(arrow_array *a, int64_t offset, int64_t length)
{
    qv_error err;
    arrow_array *s;
    if (arrow_array_slice(a, offset, length, &s, &err) != QV_OK)
        die("slice", &err);
    arrow_array_release(a);
    return s;
}

func_datum t_arr(arrow_array *a)
{
    func_datum d = {a, false};
    return d;
}

func_datum t_sca(arrow_array *a)
{
    func_datum d = {a, true};
    return d;
}

static char fmt_buf[4096];

const char *t_fmt(const func_datum *d)
{
    if (d->array == NULL)
        return "ERROR";
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, d->is_scalar ? "S[" : "[");
    qv_error err;
    for (int64_t i = 0; i < d->array->length; i++) {
        if (i > 0)
            base_strbuf_append_str(&sb, ", ");
        if (arrow_format_value(d->array, i, &sb, &err) != QV_OK)
            base_strbuf_append_str(&sb, "<fmt error>");
    }
    base_strbuf_append_char(&sb, ']');
    snprintf(fmt_buf, sizeof fmt_buf, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return fmt_buf;
}

static char type_buf[128];

const char *t_type(const func_datum *d)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(d->array->type, &sb);
    snprintf(type_buf, sizeof type_buf, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return type_buf;
}

static func_registry *registry;

static void free_registry(void)
{
    func_registry_free(registry);
}

const func_registry *t_registry(void)
{
    if (registry == NULL) {
        qv_error err;
        if (func_registry_new(&registry, &err) != QV_OK ||
            func_registry_builtin(registry, &err) != QV_OK)
            die("registry", &err);
        atexit(free_registry);
    }
    return registry;
}

void t_release_all(int n, func_datum *d)
{
    for (int i = 0; i < n; i++)
        func_datum_release(&d[i]);
}

qv_status t_call(const char *name, int n_args, func_datum *args, int64_t n_rows,
                 func_datum *out, qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    const func_entry *e = func_registry_lookup(t_registry(), name, strlen(name));
    if (e == NULL) {
        t_release_all(n_args, args);
        return base_error_set(err, QV_NOT_FOUND, "no function %s", name);
    }
    arrow_type *types[128];
    if (n_args > 128) {
        t_release_all(n_args, args);
        return base_error_set(err, QV_INVALID, "t_call takes at most 128 arguments");
    }
    for (int i = 0; i < n_args; i++)
        types[i] = args[i].array->type;
    arrow_type *rt;
    qv_status st = e->impl.scalar.return_type(n_args, types, &rt, err);
    if (st == QV_OK) {
        func_call_ctx ctx = {1700000000000000000, "UTC", 42};
        st = e->impl.scalar.invoke(&ctx, n_args, args, n_rows, rt, out, err);
        arrow_type_release(rt);
    }
    if (st == QV_OK && out->array != NULL) {
        qv_error verr;
        if (arrow_array_validate(out->array, &verr) != QV_OK)
            st = base_error_set(err, QV_CORRUPT, "invalid result: %s", verr.message);
    }
    t_release_all(n_args, args);
    return st;
}

static char call_buf[4096];

const char *t_callf(const char *name, int n_args, func_datum *args, int64_t n_rows)
{
    qv_error err;
    func_datum out;
    qv_status st = t_call(name, n_args, args, n_rows, &out, &err);
    if (st != QV_OK) {
        snprintf(call_buf, sizeof call_buf, "ERR: %s", err.message);
        return call_buf;
    }
    snprintf(call_buf, sizeof call_buf, "%s", t_fmt(&out));
    func_datum_release(&out);
    return call_buf;
}
