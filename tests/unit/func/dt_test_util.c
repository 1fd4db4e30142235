/*
 * dt_test_util.c — see dt_test_util.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dt_test_util.h"

static void die(const char *what, const qv_error *err)
{
    fprintf(stderr, "dt test helper failed: %s: %s\n", what, err ? err->message : "");
    abort();
}

arrow_array *d_typed(arrow_type *type, int n, const int64_t *values)
{
    qv_error err;
    arrow_builder *b;
    if (arrow_builder_new(type, &b, &err) != QV_OK)
        die("builder", &err);
    arrow_type_release(type);
    for (int i = 0; i < n; i++) {
        qv_status st = values[i] == NUL_I ? arrow_builder_append_null(b, &err)
                                          : arrow_builder_append_int(b, values[i], &err);
        if (st != QV_OK)
            die("append", &err);
    }
    arrow_array *a;
    if (arrow_builder_finish(b, &a, &err) != QV_OK)
        die("finish", &err);
    arrow_builder_free(b);
    return a;
}

arrow_array *d_ts(arrow_time_unit unit, const char *tz, int n, const int64_t *values)
{
    qv_error err;
    arrow_type *t;
    if (arrow_type_timestamp(unit, tz, &t, &err) != QV_OK)
        die("timestamp type", &err);
    return d_typed(t, n, values);
}

arrow_array *d_time64(int n, const int64_t *values)
{
    qv_error err;
    arrow_type *t;
    if (arrow_type_time(QV_TYPE_TIME64, QV_UNIT_NANOSECOND, &t, &err) != QV_OK)
        die("time type", &err);
    return d_typed(t, n, values);
}

arrow_array *d_interval(int32_t months, int32_t days, int64_t nanos)
{
    qv_error err;
    arrow_builder *b;
    if (arrow_builder_new(arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO), &b, &err) !=
            QV_OK ||
        arrow_builder_append_interval_mdn(b, months, days, nanos, &err) != QV_OK)
        die("interval", &err);
    arrow_array *a;
    if (arrow_builder_finish(b, &a, &err) != QV_OK)
        die("finish", &err);
    arrow_builder_free(b);
    return a;
}

arrow_array *d_null(int n)
{
    qv_error err;
    arrow_array *a;
    if (arrow_array_new_null(arrow_type_primitive(QV_TYPE_NULL), n, &a, &err) != QV_OK)
        die("null array", &err);
    return a;
}

func_datum d_s(const char *text)
{
    return t_sca(t_str(QV_TYPE_UTF8, 1, (const char *[]){text}));
}

static char out_buf[8192];

const char *d_call(const char *name, const char *tz, int n_args, func_datum *args, int64_t n_rows)
{
    qv_error err;
    const func_entry *e = func_registry_lookup(t_registry(), name, strlen(name));
    if (e == NULL) {
        t_release_all(n_args, args);
        snprintf(out_buf, sizeof out_buf, "ERR: no function %s", name);
        return out_buf;
    }
    arrow_type *types[16];
    const arrow_array *lits[16];
    for (int i = 0; i < n_args && i < 16; i++) {
        types[i] = args[i].array->type;
        lits[i] = args[i].is_scalar ? args[i].array : NULL;
    }
    arrow_type *rt;
    func_datum out = {NULL, false};
    qv_status st = func_resolve_return_type(e, n_args, types, lits, tz, &rt, &err);
    if (st == QV_OK) {
        func_call_ctx ctx = {D_NOW_NS, tz, 42};
        st = e->impl.scalar.invoke(&ctx, n_args, args, n_rows, rt, &out, &err);
        if (st == QV_OK && !arrow_type_equal(out.array->type, rt) &&
            !(rt->id == QV_TYPE_INT32 && out.array->type->id == QV_TYPE_FLOAT64))
            st = base_error_set(&err, QV_CORRUPT, "result type differs from the return type");
        arrow_type_release(rt);
    }
    if (st == QV_OK) {
        qv_error verr;
        if (arrow_array_validate(out.array, &verr) != QV_OK)
            st = base_error_set(&err, QV_CORRUPT, "invalid result: %s", verr.message);
    }
    t_release_all(n_args, args);
    if (st != QV_OK) {
        func_datum_release(&out);
        snprintf(out_buf, sizeof out_buf, "ERR: %s", err.message);
        return out_buf;
    }
    char type[128];
    snprintf(type, sizeof type, "%s", t_type(&out));
    snprintf(out_buf, sizeof out_buf, "%s %s", type, t_fmt(&out));
    func_datum_release(&out);
    return out_buf;
}
