/*
 * array_test_util.c — see array_test_util.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array_test_util.h"
#include "plan/coerce.h"

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "array test helper failed: %s: %s\n", what, detail ? detail : "");
    abort();
}

/* ---- arrays from text ---- */

typedef struct parser {
    const char *p;
} parser;

static void skip_ws(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == ',')
        ps->p++;
}

static bool take_word(parser *ps, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(ps->p, word, n) != 0)
        return false;
    ps->p += n;
    return true;
}

static void check(qv_status st, const qv_error *err)
{
    if (st != QV_OK)
        die("append", err->message);
}

static void parse_value(parser *ps, arrow_builder *b)
{
    qv_error err;
    arrow_type *t = arrow_builder_type(b);
    skip_ws(ps);
    if (take_word(ps, "NULL")) {
        check(arrow_builder_append_null(b, &err), &err);
    } else if (*ps->p == '[') {
        ps->p++;
        arrow_builder *child = arrow_builder_child(b, 0);
        if (child == NULL)
            die("list value for a non-list type", ps->p);
        for (;;) {
            skip_ws(ps);
            if (*ps->p == ']')
                break;
            if (*ps->p == '\0')
                die("unterminated list", NULL);
            parse_value(ps, child);
        }
        ps->p++;
        check(arrow_builder_end_list(b, true, &err), &err);
    } else if (*ps->p == '\'') {
        const char *end = strchr(ps->p + 1, '\'');
        if (end == NULL)
            die("unterminated string", ps->p);
        check(arrow_builder_append_bytes(b, ps->p + 1, end - ps->p - 1, &err), &err);
        ps->p = end + 1;
    } else if (take_word(ps, "true") || take_word(ps, "false")) {
        check(arrow_builder_append_bool(b, ps->p[-1] == 'e' && ps->p[-2] == 'u', &err), &err);
    } else {
        char *end;
        if (arrow_type_is_floating(t->id)) {
            double v = strtod(ps->p, &end);
            check(arrow_builder_append_double(b, v, &err), &err);
        } else if (arrow_type_is_integer(t->id) && !arrow_type_is_signed_integer(t->id)) {
            unsigned long long v = strtoull(ps->p, &end, 10);
            check(arrow_builder_append_uint(b, v, &err), &err);
        } else {
            long long v = strtoll(ps->p, &end, 10);
            check(arrow_builder_append_int(b, v, &err), &err);
        }
        if (end == ps->p)
            die("bad value", ps->p);
        ps->p = end;
    }
}

arrow_array *ta(const char *type, const char *rows)
{
    qv_error err;
    arrow_type *t = NULL;
    if (arrow_type_parse(type, &t, &err) != QV_OK)
        die("type", err.message);
    arrow_builder *b = NULL;
    if (arrow_builder_new(t, &b, &err) != QV_OK)
        die("builder", err.message);
    arrow_type_release(t);
    parser ps = {rows};
    skip_ws(&ps);
    if (*ps.p != '[')
        die("rows must be a bracketed list", rows);
    ps.p++;
    for (;;) {
        skip_ws(&ps);
        if (*ps.p == ']')
            break;
        if (*ps.p == '\0')
            die("unterminated rows", rows);
        parse_value(&ps, b);
    }
    arrow_array *a = NULL;
    if (arrow_builder_finish(b, &a, &err) != QV_OK)
        die("finish", err.message);
    arrow_builder_free(b);
    return a;
}

func_datum tarr(arrow_array *a)
{
    func_datum d = {a, false};
    return d;
}

func_datum tsca(arrow_array *a)
{
    func_datum d = {a, true};
    return d;
}

/* ---- calls ---- */

static func_registry *registry;

static void free_registry(void)
{
    func_registry_free(registry);
}

static const func_entry *lookup(const char *name)
{
    if (registry == NULL) {
        qv_error err;
        if (func_registry_new(&registry, &err) != QV_OK ||
            func_registry_builtin(registry, &err) != QV_OK)
            die("registry", err.message);
        atexit(free_registry);
    }
    return func_registry_lookup(registry, name, strlen(name));
}

static const func_coerce_services services = {plan_comparison_coercion, plan_type_union_resolution};

static char out_buf[8192];

/* Coerces; the targets are appended to sb. With args, arguments are cast
 * to their targets (*changed when a cast is not supported). */
static qv_status coerce(const func_entry *e, int n, arrow_type **types, func_datum *args,
                        bool *changed, base_strbuf *sb, qv_error *err)
{
    arrow_type *targets[16] = {0};
    *changed = false;
    if (e->impl.scalar.coerce_types == NULL)
        return QV_OK;
    qv_status st = e->impl.scalar.coerce_types(&services, n, types, targets, err);
    if (st == QV_NOT_FOUND)
        base_error_set(err, st, "coercion not found");
    for (int i = 0; i < n; i++) {
        if (i > 0)
            base_strbuf_append_str(sb, ", ");
        if (targets[i] == NULL) {
            base_strbuf_append_str(sb, "-");
            continue;
        }
        arrow_type_format(targets[i], sb);
        if (args != NULL && st == QV_OK && func_can_cast(types[i], targets[i])) {
            func_datum cast;
            int64_t rows = args[i].is_scalar ? 1 : args[i].array->length;
            st = func_cast(&args[i], targets[i], false, rows, &cast, err);
            if (st == QV_OK) {
                cast.is_scalar = args[i].is_scalar;
                func_datum_release(&args[i]);
                args[i] = cast;
                types[i] = cast.array->type;
            }
        } else if (!arrow_type_equal(targets[i], types[i])) {
            *changed = true;
        }
        arrow_type_release(targets[i]);
    }
    return st;
}

const char *tcoerce(const char *name, int n_args, const char *const *type_names)
{
    const func_entry *e = lookup(name);
    if (e == NULL)
        return "ERR: no such function";
    arrow_type *types[16];
    qv_error err;
    for (int i = 0; i < n_args; i++) {
        if (arrow_type_parse(type_names[i], &types[i], &err) != QV_OK)
            die("type", err.message);
    }
    base_strbuf sb;
    base_strbuf_init(&sb);
    bool changed;
    qv_status st = coerce(e, n_args, types, NULL, &changed, &sb, &err);
    if (st != QV_OK)
        snprintf(out_buf, sizeof out_buf, "ERR: %s", err.message);
    else
        snprintf(out_buf, sizeof out_buf, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    for (int i = 0; i < n_args; i++)
        arrow_type_release(types[i]);
    return out_buf;
}

static void format_result(const func_datum *d, base_strbuf *sb)
{
    qv_error err;
    if (d->is_scalar)
        base_strbuf_append_str(sb, "S ");
    arrow_type_format(d->array->type, sb);
    base_strbuf_append_char(sb, ' ');
    for (int64_t i = 0; i < d->array->length; i++) {
        if (i > 0)
            base_strbuf_append_str(sb, "; ");
        if (arrow_format_value(d->array, i, sb, &err) != QV_OK)
            base_strbuf_append_str(sb, "<format error>");
    }
}

const char *tcall(const char *name, int n_args, func_datum *args, int64_t n_rows)
{
    const func_entry *e = lookup(name);
    arrow_type *types[16];
    for (int i = 0; i < n_args; i++)
        types[i] = args[i].array->type;
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_error err;
    bool changed = false;
    qv_status st = e == NULL ? base_error_set(&err, QV_NOT_FOUND, "no function %s", name)
                             : coerce(e, n_args, types, args, &changed, &sb, &err);
    if (st == QV_OK && changed) {
        snprintf(out_buf, sizeof out_buf, "COERCE: %s", base_strbuf_cstr(&sb));
        goto done;
    }
    base_strbuf_clear(&sb);
    arrow_type *rt = NULL;
    if (st == QV_OK)
        st = func_resolve_return_type(e, n_args, types, (const arrow_array *const[16]){0}, "UTC",
                                      &rt, &err);
    func_datum result = {NULL, false};
    if (st == QV_OK) {
        func_call_ctx ctx = {1700000000000000000, "UTC", 42};
        st = e->impl.scalar.invoke(&ctx, n_args, args, n_rows, rt, &result, &err);
    }
    if (st == QV_OK) {
        qv_error verr;
        if (arrow_array_validate(result.array, &verr) != QV_OK)
            st = base_error_set(&err, QV_CORRUPT, "invalid result: %s", verr.message);
        else if (!arrow_type_equal(result.array->type, rt))
            st = base_error_set(&err, QV_CORRUPT, "result type differs from the return type");
    }
    if (st == QV_OK) {
        format_result(&result, &sb);
        snprintf(out_buf, sizeof out_buf, "%s", base_strbuf_cstr(&sb));
    } else {
        snprintf(out_buf, sizeof out_buf, "ERR: %s", err.message);
    }
    func_datum_release(&result);
    arrow_type_release(rt);
done:
    base_strbuf_free(&sb);
    for (int i = 0; i < n_args; i++)
        func_datum_release(&args[i]);
    return out_buf;
}
