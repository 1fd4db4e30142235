/*
 * agg_test_util.c — see agg_test_util.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg_test_util.h"
#include "test.h"

static void die(const char *what, const qv_error *err)
{
    fprintf(stderr, "test helper failed: %s: %s\n", what, err ? err->message : "");
    abort();
}

static arrow_builder *builder(arrow_type *t)
{
    qv_error err;
    arrow_builder *b;
    if (arrow_builder_new(t, &b, &err) != QV_OK)
        die("builder", &err);
    return b;
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

static void ok(qv_status st, const char *what, const qv_error *err)
{
    if (st != QV_OK)
        die(what, err);
}

arrow_array *a_int(arrow_type_id id, int n, const int64_t *values)
{
    arrow_builder *b = builder(arrow_type_primitive(id));
    qv_error err;
    for (int i = 0; i < n; i++) {
        qv_status st = values[i] == NUL_I ? arrow_builder_append_null(b, &err)
                       : arrow_type_is_integer(id) && !arrow_type_is_signed_integer(id)
                           ? arrow_builder_append_uint(b, (uint64_t)values[i], &err)
                           : arrow_builder_append_int(b, values[i], &err);
        ok(st, "append int", &err);
    }
    return finish(b);
}

arrow_array *a_flt(arrow_type_id id, int n, const double *values)
{
    arrow_builder *b = builder(arrow_type_primitive(id));
    qv_error err;
    for (int i = 0; i < n; i++) {
        qv_status st = values[i] == NUL_F ? arrow_builder_append_null(b, &err)
                                          : arrow_builder_append_double(b, values[i], &err);
        ok(st, "append double", &err);
    }
    return finish(b);
}

arrow_array *a_str(arrow_type_id id, int n, const char *const *values)
{
    arrow_builder *b = builder(arrow_type_primitive(id));
    qv_error err;
    for (int i = 0; i < n; i++) {
        qv_status st =
            values[i] == NULL
                ? arrow_builder_append_null(b, &err)
                : arrow_builder_append_bytes(b, values[i], (int64_t)strlen(values[i]), &err);
        ok(st, "append bytes", &err);
    }
    return finish(b);
}

arrow_array *a_bool(int n, const int *values)
{
    arrow_builder *b = builder(arrow_type_primitive(QV_TYPE_BOOLEAN));
    qv_error err;
    for (int i = 0; i < n; i++) {
        qv_status st = values[i] < 0 ? arrow_builder_append_null(b, &err)
                                     : arrow_builder_append_bool(b, values[i] != 0, &err);
        ok(st, "append bool", &err);
    }
    return finish(b);
}

arrow_array *a_dec(int precision, int scale, int n, const int64_t *values)
{
    qv_error err;
    arrow_type *t;
    ok(arrow_type_decimal(QV_TYPE_DECIMAL128, precision, scale, &t, &err), "decimal type", &err);
    arrow_builder *b = builder(t);
    arrow_type_release(t);
    for (int i = 0; i < n; i++) {
        qv_status st;
        if (values[i] == NUL_I) {
            st = arrow_builder_append_null(b, &err);
        } else {
            __extension__ __int128 v = values[i];
            uint8_t le[16];
            memcpy(le, &v, 16);
            st = arrow_builder_append_decimal(b, le, &err);
        }
        ok(st, "append decimal", &err);
    }
    return finish(b);
}

arrow_array *a_null(int n)
{
    qv_error err;
    arrow_array *a;
    ok(arrow_array_new_null(arrow_type_primitive(QV_TYPE_NULL), n, &a, &err), "null array", &err);
    return a;
}

arrow_array *a_slice(arrow_array *a, int64_t offset, int64_t length)
{
    qv_error err;
    arrow_array *s;
    ok(arrow_array_slice(a, offset, length, &s, &err), "slice", &err);
    arrow_array_release(a);
    return s;
}

const char *a_fmt(const arrow_array *a)
{
    static char buf[4096];
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_char(&sb, '[');
    for (int64_t i = 0; i < a->length; i++) {
        qv_error err;
        if (i > 0)
            base_strbuf_append_str(&sb, ", ");
        if (arrow_format_value(a, i, &sb, &err) != QV_OK)
            base_strbuf_append_str(&sb, "<format error>");
    }
    base_strbuf_append_char(&sb, ']');
    snprintf(buf, sizeof buf, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return buf;
}

const char *a_type(const arrow_array *a)
{
    static char buf[256];
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(a->type, &sb);
    snprintf(buf, sizeof buf, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return buf;
}

const func_registry *t_registry(void)
{
    static func_registry *reg;
    if (reg == NULL) {
        qv_error err;
        ok(func_registry_new(&reg, &err), "registry", &err);
        ok(func_registry_builtin(reg, &err), "builtin registry", &err);
    }
    return reg;
}

qv_status t_prepare(const t_call *c, func_agg_call *call, arrow_type **types, qv_error *err)
{
    memset(call, 0, sizeof *call);
    call->entry = func_registry_lookup(t_registry(), c->name, strlen(c->name));
    if (call->entry == NULL || call->entry->kind != FUNC_AGGREGATE)
        return base_error_set(err, QV_NOT_FOUND, "no aggregate %s", c->name);
    for (int i = 0; i < c->n_args; i++)
        types[i] = c->args[i].array->type;
    call->n_args = c->n_args;
    call->arg_types = types;
    call->literals = c->literals;
    return call->entry->impl.aggregate->return_type(c->n_args, types, &call->return_type, err);
}

void t_unprepare(func_agg_call *call, arrow_type **types)
{
    (void)types;
    arrow_type_release(call->return_type);
    call->return_type = NULL;
}

/* Updates state with rows [from, to) of the call. */
static qv_status update_range(func_agg_state *s, const t_call *c, const uint32_t *groups,
                              int64_t from, int64_t to, int64_t n_groups, qv_error *err)
{
    func_datum args[4];
    qv_status st = QV_OK;
    int made = 0;
    for (; made < c->n_args && st == QV_OK; made++) {
        args[made].is_scalar = c->args[made].is_scalar;
        if (c->args[made].is_scalar)
            args[made].array = arrow_array_retain(c->args[made].array);
        else
            st = arrow_array_slice(c->args[made].array, from, to - from, &args[made].array, err);
        if (st != QV_OK)
            break;
    }
    if (st == QV_OK)
        st = s->ops->update(s, args, groups + from, c->selected ? c->selected + from : NULL,
                            to - from, n_groups, err);
    for (int i = 0; i < made; i++)
        arrow_array_release(args[i].array);
    return st;
}

static char result_buf[4096];
static char type_buf[256];

static const char *format_result(qv_status st, arrow_array *out, const qv_error *err)
{
    if (st != QV_OK) {
        snprintf(result_buf, sizeof result_buf, "ERR: %s", err->message);
        snprintf(type_buf, sizeof type_buf, "ERR");
    } else {
        snprintf(result_buf, sizeof result_buf, "%s", a_fmt(out));
        snprintf(type_buf, sizeof type_buf, "%s", a_type(out));
    }
    arrow_array_release(out);
    return result_buf;
}

const char *t_run(const t_call *c, const uint32_t *groups, int64_t n_rows, int64_t n_groups)
{
    qv_error err;
    qv_error_clear(&err);
    func_agg_call call;
    arrow_type *types[4];
    func_agg_state *s = NULL;
    arrow_array *out = NULL;
    qv_status st = t_prepare(c, &call, types, &err);
    if (st == QV_OK)
        st = call.entry->impl.aggregate->create(&call, &s, &err);
    if (st == QV_OK)
        st = update_range(s, c, groups, 0, n_rows, n_groups, &err);
    if (st == QV_OK)
        st = s->ops->evaluate(s, n_groups, &out, &err);
    if (st == QV_OK && out->length != n_groups) {
        st = QV_ERROR;
        snprintf(err.message, sizeof err.message, "evaluate returned %lld rows",
                 (long long)out->length);
    }
    if (st == QV_OK && !arrow_type_equal(out->type, call.return_type)) {
        st = QV_ERROR;
        snprintf(err.message, sizeof err.message, "result type differs from return_type");
    }
    if (st == QV_OK && arrow_array_validate(out, &err) != QV_OK)
        st = QV_ERROR;
    if (s != NULL)
        s->ops->free(s);
    t_unprepare(&call, types);
    return format_result(st, out, &err);
}

const char *t_run_type(const t_call *c, const uint32_t *groups, int64_t n_rows, int64_t n_groups)
{
    t_run(c, groups, n_rows, n_groups);
    return type_buf;
}

qv_status t_two_phase(const t_call *c, const uint32_t *groups, int64_t n_rows, int64_t n_groups,
                      int64_t split, arrow_array **out, qv_error *err)
{
    *out = NULL;
    func_agg_call call;
    arrow_type *types[4];
    func_agg_state *s[3] = {NULL, NULL, NULL};
    arrow_array *states[2][8] = {{NULL}};
    arrow_schema *schema = NULL;
    uint32_t ids[1024];
    qv_status st = t_prepare(c, &call, types, err);
    if (st == QV_OK)
        st = call.entry->impl.aggregate->state_schema(&call, &schema, err);
    for (int k = 0; k < 3 && st == QV_OK; k++)
        st = call.entry->impl.aggregate->create(&call, &s[k], err);
    if (st == QV_OK)
        st = update_range(s[0], c, groups, 0, split, n_groups, err);
    if (st == QV_OK)
        st = update_range(s[1], c, groups, split, n_rows, n_groups, err);
    for (int k = 0; k < 2 && st == QV_OK; k++) {
        st = s[k]->ops->emit_state(s[k], n_groups, states[k], err);
        for (int f = 0; f < schema->n_fields && st == QV_OK; f++) {
            if (states[k][f] == NULL || states[k][f]->length != n_groups ||
                !arrow_type_equal(states[k][f]->type, schema->fields[f]->type)) {
                st = base_error_set(err, QV_ERROR, "state field %d does not match", f);
            } else if (arrow_array_validate(states[k][f], err) != QV_OK) {
                st = QV_ERROR;
            }
        }
    }
    for (int64_t g = 0; g < n_groups && g < 1024; g++)
        ids[g] = (uint32_t)g;
    for (int k = 0; k < 2 && st == QV_OK; k++)
        st = s[2]->ops->merge(s[2], states[k], ids, n_groups, n_groups, err);
    if (st == QV_OK)
        st = s[2]->ops->evaluate(s[2], n_groups, out, err);
    if (st == QV_OK && arrow_array_validate(*out, err) != QV_OK)
        st = QV_ERROR;
    for (int k = 0; k < 2; k++) {
        for (int f = 0; f < 8; f++)
            arrow_array_release(states[k][f]);
    }
    for (int k = 0; k < 3; k++) {
        if (s[k] != NULL)
            s[k]->ops->free(s[k]);
    }
    arrow_schema_release(schema);
    t_unprepare(&call, types);
    if (st != QV_OK) {
        arrow_array_release(*out);
        *out = NULL;
    }
    return st;
}

const char *t_run2(const t_call *c, const uint32_t *groups, int64_t n_rows, int64_t n_groups,
                   int64_t split)
{
    qv_error err;
    qv_error_clear(&err);
    arrow_array *out = NULL;
    qv_status st = t_two_phase(c, groups, n_rows, n_groups, split, &out, &err);
    return format_result(st, out, &err);
}

void t_call_release(t_call *c)
{
    for (int i = 0; i < c->n_args; i++) {
        arrow_array_release(c->args[i].array);
        arrow_array_release(c->literals[i]);
        c->args[i].array = NULL;
        c->literals[i] = NULL;
    }
}

/* Equal, or the same list of numbers up to a relative 1e-12 (two-phase
 * merges round differently in the last bits). */
static bool same_result(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    while (*a && *b) {
        char *ea, *eb;
        double x = strtod(a, &ea), y = strtod(b, &eb);
        if (ea != a && eb != b) {
            if (!(fabs(x - y) <= 1e-12 * fmax(1.0, fabs(y))))
                return false;
            a = ea;
            b = eb;
        } else if (*a == *b) {
            a++;
            b++;
        } else {
            return false;
        }
    }
    return *a == *b;
}

bool t_expect(const char *file, int line, const t_call *c, const uint32_t *groups, int64_t n_rows,
              int64_t n_groups, const char *expected)
{
    const char *got = t_run(c, groups, n_rows, n_groups);
    if (strcmp(got, expected) != 0) {
        test_fail(file, line, "%s: single phase gave %s, expected %s", c->name, got, expected);
        return false;
    }
    int64_t splits[4] = {0, n_rows > 0 ? 1 : 0, n_rows / 2, n_rows};
    for (int k = 0; k < 4; k++) {
        got = t_run2(c, groups, n_rows, n_groups, splits[k]);
        if (!same_result(got, expected)) {
            test_fail(file, line, "%s: two phase (split %lld) gave %s, expected %s", c->name,
                      (long long)splits[k], got, expected);
            return false;
        }
    }
    return true;
}
