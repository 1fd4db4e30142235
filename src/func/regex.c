/*
 * regex.c — regular expression functions and operators (layer: func):
 * regexp_like, regexp_match, regexp_replace, regexp_count, regexp_instr and
 * the ~ ~* !~ !~* kernel, with DataFusion's semantics on top of PCRE2
 * (regex_compile.c translates Rust-regex syntax): flags as Rust inline
 * flags plus 'g' for replace-all, replacements with `\1` / `${1}` / `$name`
 * expanded as the regex crate does, empty matches iterated as the crate's
 * find_iter (an empty match right after a match is skipped).
 */
#include <stdio.h>

#include "func/regex_int.h"

#define UNUSED(x) (void)(x)
#define INVOKE_ARGS                                                                                \
    func_call_ctx *ctx, int n_args, const func_datum *args, int64_t n_rows,                        \
        arrow_type *return_type, func_datum *out, qv_error *err

/* ---- rows ---- */

/* Readers for string arguments and Int64 views of integer ones. */
typedef struct rx_rows {
    int n_args;
    const func_datum *args;
    func_str str[6];
    func_datum ints[6]; /* Int64 casts of integer arguments (owned) */
    int64_t n;
    bool all_scalar;
} rx_rows;

static qv_status rows_init(rx_rows *r, int n_args, const func_datum *args, int64_t n_rows,
                           qv_error *err)
{
    memset(r, 0, sizeof *r);
    r->n_args = n_args;
    r->args = args;
    r->n = func_out_rows(n_args, args, n_rows, &r->all_scalar);
    for (int k = 0; k < n_args && k < 6; k++) {
        arrow_type_id id = args[k].array->type->id;
        if (func_is_string_id(id) || func_is_binary_id(id)) {
            func_str_init(&r->str[k], &args[k]);
        } else if (arrow_type_is_integer(id)) {
            qv_status st = func_cast(&args[k], arrow_type_primitive(QV_TYPE_INT64), false, n_rows,
                                     &r->ints[k], err);
            if (st != QV_OK) {
                for (int j = 0; j < k; j++)
                    func_datum_release(&r->ints[j]);
                return st;
            }
        }
    }
    return QV_OK;
}

static void rows_free(rx_rows *r)
{
    for (int k = 0; k < 6; k++)
        func_datum_release(&r->ints[k]);
}

/* Argument k at row i is present (not null and of a usable type). */
static bool rows_valid(const rx_rows *r, int k, int64_t i)
{
    if (k >= r->n_args)
        return true;
    arrow_type_id id = r->args[k].array->type->id;
    if (id == QV_TYPE_NULL || !func_valid_at(&r->args[k], i))
        return false;
    return func_is_string_id(id) || func_is_binary_id(id) || r->ints[k].array != NULL;
}

static void rows_str(const rx_rows *r, int k, int64_t i, const uint8_t **p, int64_t *len)
{
    if (k >= r->n_args) {
        *p = (const uint8_t *)"";
        *len = 0;
        return;
    }
    func_str_at(&r->str[k], i, p, len);
    if (*p == NULL)
        *p = (const uint8_t *)"";
}

static int64_t rows_int(const rx_rows *r, int k, int64_t i)
{
    const func_datum *d = &r->ints[k];
    return (
        (const int64_t *)arrow_array_values(d->array))[d->array->offset + (d->is_scalar ? 0 : i)];
}

static bool has_char(const uint8_t *p, int64_t len, uint8_t c)
{
    return len > 0 && memchr(p, c, (size_t)len) != NULL;
}

/* Byte offset of character index `chars` in s (len when past the end). */
static int64_t char_offset(const uint8_t *s, int64_t len, int64_t chars)
{
    int64_t i = 0;
    while (i < len && chars > 0) {
        i += func_utf8_len(s[i]);
        chars--;
    }
    return i < len ? i : len;
}

static int64_t next_char(const uint8_t *s, int64_t len, int64_t at)
{
    return at < len ? at + func_utf8_len(s[at]) : len + 1;
}

/* The regex crate's find_iter step: the next match at or after *pos,
 * skipping an empty match that ends where the previous match ended.
 * Returns 1 (match), 0 (none), -1 (engine error). */
static int next_match(regex_entry *e, const uint8_t *s, int64_t len, int64_t *pos,
                      int64_t *last_end, int64_t *ms, int64_t *me)
{
    while (*pos <= len) {
        int rc = regex_find(e, s, len, *pos, ms, me);
        if (rc <= 0)
            return rc < 0 ? -1 : 0;
        if (*ms == *me && *me == *last_end) {
            *pos = next_char(s, len, *me);
            continue;
        }
        *last_end = *me;
        *pos = *ms == *me ? next_char(s, len, *me) : *me;
        return 1;
    }
    return 0;
}

static qv_status engine_error(qv_error *err)
{
    return base_error_set(err, QV_EXECUTION,
                          "Arrow error: Compute error: regular expression matching failed");
}

/* ---- the operator kernel and regexp_like ---- */

static qv_status like_rows(bool negated, bool ci, int n_args, const func_datum *args,
                           int64_t n_rows, const char *fname, func_datum *out, qv_error *err)
{
    arrow_type *bt = arrow_type_primitive(QV_TYPE_BOOLEAN);
    rx_rows r;
    QV_TRY(rows_init(&r, n_args, args, n_rows, err));
    func_fixed_out fo;
    qv_status st = func_fixed_begin(n_args, args, n_rows, bt, &fo, err);
    regex_cache cache;
    regex_cache_init(&cache);
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        if (!rows_valid(&r, 0, i) || !rows_valid(&r, 1, i) || !rows_valid(&r, 2, i)) {
            st = func_fixed_set_null(&fo, i, err);
            continue;
        }
        const uint8_t *s, *p, *f;
        int64_t sl, pl, fl;
        rows_str(&r, 0, i, &s, &sl);
        rows_str(&r, 1, i, &p, &pl);
        rows_str(&r, 2, i, &f, &fl);
        if (fname != NULL && has_char(f, fl, 'g')) {
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: %s() does not support the \"global\" "
                                "option",
                                fname);
            break;
        }
        regex_entry *e;
        st = regex_cache_get(&cache, p, pl, f, fl, ci, &e, err);
        if (st != QV_OK)
            break;
        int64_t ms, me;
        int rc = regex_find(e, s, sl, 0, &ms, &me);
        if (rc < 0) {
            st = engine_error(err);
            break;
        }
        if ((rc > 0) != negated)
            arrow_bit_set(fo.values->data, i, true);
    }
    regex_cache_free(&cache);
    rows_free(&r);
    return func_fixed_end(&fo, bt, st, out, err);
}

qv_status func_regex_match(bool negated, bool case_insensitive, const func_datum *value,
                           const func_datum *pattern, int64_t n_rows, func_datum *out,
                           qv_error *err)
{
    func_datum args[2] = {*value, *pattern};
    return like_rows(negated, case_insensitive, 2, args, n_rows, NULL, out, err);
}

static qv_status regexp_like_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    UNUSED(return_type);
    return like_rows(false, false, n_args, args, n_rows, "regexp_like", out, err);
}

/* ---- regexp_match ---- */

static qv_status regexp_match_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    rx_rows r;
    QV_TRY(rows_init(&r, n_args, args, n_rows, err));
    arrow_builder *b;
    qv_status st = arrow_builder_new(return_type, &b, err);
    if (st != QV_OK) {
        rows_free(&r);
        return st;
    }
    arrow_builder *items = arrow_builder_child(b, 0);
    regex_cache cache;
    regex_cache_init(&cache);
    for (int64_t i = 0; st == QV_OK && i < r.n; i++) {
        if (!rows_valid(&r, 0, i) || !rows_valid(&r, 1, i) || !rows_valid(&r, 2, i)) {
            st = arrow_builder_end_list(b, false, err);
            continue;
        }
        const uint8_t *s, *p, *f;
        int64_t sl, pl, fl;
        rows_str(&r, 0, i, &s, &sl);
        rows_str(&r, 1, i, &p, &pl);
        rows_str(&r, 2, i, &f, &fl);
        if (has_char(f, fl, 'g')) {
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: regexp_match() does not support the "
                                "\"global\" option");
            break;
        }
        regex_entry *e;
        st = regex_cache_get(&cache, p, pl, f, fl, false, &e, err);
        if (st != QV_OK)
            break;
        int64_t ms, me;
        int rc = regex_find(e, s, sl, 0, &ms, &me);
        if (rc < 0) {
            st = engine_error(err);
            break;
        }
        if (rc == 0) {
            st = arrow_builder_end_list(b, false, err);
            continue;
        }
        int groups = regex_group_count(e);
        for (int g = groups > 0 ? 1 : 0; st == QV_OK && g <= groups; g++) {
            int64_t gs, ge;
            if (regex_group(e, g, &gs, &ge))
                st = arrow_builder_append_bytes(items, s + gs, ge - gs, err);
        }
        if (st == QV_OK)
            st = arrow_builder_end_list(b, true, err);
    }
    regex_cache_free(&cache);
    if (st == QV_OK)
        st = func_finish_builder(b, r.all_scalar, out, err);
    arrow_builder_free(b);
    rows_free(&r);
    return st;
}

static qv_status rt_match(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    arrow_type_id id = types[0]->id;
    arrow_type *item = arrow_type_primitive(func_is_string_id(id) ? id : QV_TYPE_UTF8);
    return arrow_type_list_of(QV_TYPE_LIST, item, out, err);
}

/* ---- regexp_replace ---- */

/* DataFusion's regex_replace_posix_groups: each `\` with the digits after
 * it becomes `${digits}`. */
static void posix_groups(const uint8_t *p, int64_t len, base_strbuf *sb)
{
    base_strbuf_clear(sb);
    for (int64_t i = 0; i < len;) {
        if (p[i] != '\\') {
            base_strbuf_append_char(sb, (char)p[i++]);
            continue;
        }
        int64_t j = i + 1;
        while (j < len && p[j] >= '0' && p[j] <= '9')
            j++;
        base_strbuf_append(sb, "${", 2);
        base_strbuf_append(sb, (const char *)p + i + 1, (size_t)(j - i - 1));
        base_strbuf_append_char(sb, '}');
        i = j;
    }
}

static bool cap_letter(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Appends group `name` (a number or a group name) of the last match. */
static void append_group(regex_entry *e, const uint8_t *s, const char *name, size_t n,
                         base_strbuf *dst)
{
    int group = -1;
    bool numeric = n > 0 && n < 10;
    for (size_t k = 0; k < n && numeric; k++)
        numeric = name[k] >= '0' && name[k] <= '9';
    if (numeric) {
        group = 0;
        for (size_t k = 0; k < n; k++)
            group = group * 10 + (name[k] - '0');
    } else if (n > 0 && n < 64) {
        char buf[64];
        memcpy(buf, name, n);
        buf[n] = '\0';
        group = regex_group_by_name(e, buf);
    }
    int64_t gs, ge;
    if (group >= 0 && regex_group(e, group, &gs, &ge))
        base_strbuf_append(dst, (const char *)s + gs, (size_t)(ge - gs));
}

/* The regex crate's Captures::expand of template t. */
static void expand(regex_entry *e, const uint8_t *s, const char *t, size_t n, base_strbuf *dst)
{
    size_t i = 0;
    while (i < n) {
        const char *dollar = memchr(t + i, '$', n - i);
        if (dollar == NULL) {
            base_strbuf_append(dst, t + i, n - i);
            return;
        }
        size_t at = (size_t)(dollar - t);
        base_strbuf_append(dst, t + i, at - i);
        i = at;
        if (i + 1 < n && t[i + 1] == '$') {
            base_strbuf_append_char(dst, '$');
            i += 2;
            continue;
        }
        if (i + 1 < n && t[i + 1] == '{') {
            const char *close = memchr(t + i + 2, '}', n - i - 2);
            if (close != NULL) {
                append_group(e, s, t + i + 2, (size_t)(close - t - i - 2), dst);
                i = (size_t)(close - t) + 1;
                continue;
            }
        } else {
            size_t j = i + 1;
            while (j < n && cap_letter((uint8_t)t[j]))
                j++;
            if (j > i + 1) {
                append_group(e, s, t + i + 1, j - i - 1, dst);
                i = j;
                continue;
            }
        }
        base_strbuf_append_char(dst, '$');
        i++;
    }
}

static qv_status regexp_replace_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    rx_rows r;
    QV_TRY(rows_init(&r, n_args, args, n_rows, err));
    arrow_builder *b;
    qv_status st = arrow_builder_new(return_type, &b, err);
    if (st != QV_OK) {
        rows_free(&r);
        return st;
    }
    regex_cache cache;
    regex_cache_init(&cache);
    base_strbuf tmpl, dst;
    base_strbuf_init(&tmpl);
    base_strbuf_init(&dst);
    const uint8_t *last_repl = NULL;
    int64_t last_repl_len = -1;
    for (int64_t i = 0; st == QV_OK && i < r.n; i++) {
        if (!rows_valid(&r, 0, i) || !rows_valid(&r, 1, i) || !rows_valid(&r, 2, i) ||
            !rows_valid(&r, 3, i)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        const uint8_t *s, *p, *rep, *f;
        int64_t sl, pl, rl, fl;
        rows_str(&r, 0, i, &s, &sl);
        rows_str(&r, 1, i, &p, &pl);
        rows_str(&r, 2, i, &rep, &rl);
        rows_str(&r, 3, i, &f, &fl);
        bool global = has_char(f, fl, 'g');
        regex_entry *e;
        st = regex_cache_get(&cache, p, pl, f, fl, false, &e, err);
        if (st != QV_OK)
            break;
        if (rep != last_repl || rl != last_repl_len) {
            posix_groups(rep, rl, &tmpl);
            last_repl = rep;
            last_repl_len = rl;
        }
        base_strbuf_clear(&dst);
        int64_t pos = 0, last_end = -1, copied = 0, ms, me;
        int rc;
        while ((rc = next_match(e, s, sl, &pos, &last_end, &ms, &me)) > 0) {
            base_strbuf_append(&dst, (const char *)s + copied, (size_t)(ms - copied));
            expand(e, s, tmpl.data ? tmpl.data : "", tmpl.len, &dst);
            copied = me;
            if (!global)
                break;
        }
        if (rc < 0) {
            st = engine_error(err);
            break;
        }
        base_strbuf_append(&dst, (const char *)s + copied, (size_t)(sl - copied));
        if (base_strbuf_failed(&dst) || base_strbuf_failed(&tmpl)) {
            st = base_error_nomem(err, "regexp_replace");
            break;
        }
        st = arrow_builder_append_bytes(b, dst.data ? dst.data : "", (int64_t)dst.len, err);
    }
    base_strbuf_free(&tmpl);
    base_strbuf_free(&dst);
    regex_cache_free(&cache);
    if (st == QV_OK)
        st = func_finish_builder(b, r.all_scalar, out, err);
    arrow_builder_free(b);
    rows_free(&r);
    return st;
}

static qv_status rt_replace(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(err);
    arrow_type_id id = types[0]->id;
    *out = arrow_type_primitive(id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW ? id
                                                                                    : QV_TYPE_UTF8);
    return QV_OK;
}

/* ---- regexp_count, regexp_instr ---- */

static qv_status regexp_count_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    rx_rows r;
    QV_TRY(rows_init(&r, n_args, args, n_rows, err));
    func_fixed_out fo;
    memset(&fo, 0, sizeof fo);
    fo.n = r.n;
    fo.all_scalar = r.all_scalar;
    qv_status st = arrow_buffer_new(fo.n * 8, &fo.values, err); /* never null */
    regex_cache cache;
    regex_cache_init(&cache);
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        if (n_args > 2 && rows_valid(&r, 2, i) && rows_int(&r, 2, i) <= 0) {
            st = base_error_set(err, QV_EXECUTION,
                                "Arrow error: Compute error: regexp_count() requires start to be "
                                "1 based");
            break;
        }
        if (n_args > 3 && rows_valid(&r, 3, i)) {
            const uint8_t *f;
            int64_t fl;
            rows_str(&r, 3, i, &f, &fl);
            if (has_char(f, fl, 'g')) {
                st = base_error_set(err, QV_EXECUTION,
                                    "Arrow error: Compute error: regexp_count() does not support "
                                    "global flag");
                break;
            }
        }
        /* DataFusion counts 0 for a null string or pattern; a null start is
         * 1 and null flags are none */
        if (!rows_valid(&r, 0, i) || !rows_valid(&r, 1, i))
            continue;
        const uint8_t *s, *p, *f = (const uint8_t *)"";
        int64_t sl, pl, fl = 0;
        rows_str(&r, 0, i, &s, &sl);
        rows_str(&r, 1, i, &p, &pl);
        if (rows_valid(&r, 3, i))
            rows_str(&r, 3, i, &f, &fl);
        int64_t start = n_args > 2 && rows_valid(&r, 2, i) ? rows_int(&r, 2, i) : 1;
        int64_t from = char_offset(s, sl, start - 1);
        if (func_utf8_count(s, sl) < start - 1)
            continue;
        regex_entry *e;
        st = regex_cache_get(&cache, p, pl, f, fl, false, &e, err);
        if (st != QV_OK)
            break;
        int64_t pos = 0, last_end = -1, ms, me, count = 0;
        int rc;
        while ((rc = next_match(e, s + from, sl - from, &pos, &last_end, &ms, &me)) > 0)
            count++;
        if (rc < 0) {
            st = engine_error(err);
            break;
        }
        ((int64_t *)fo.values->data)[i] = count;
    }
    regex_cache_free(&cache);
    rows_free(&r);
    return func_fixed_end(&fo, return_type, st, out, err);
}

/* regexp_instr(str, pattern[, start[, n[, flags[, subexpr]]]]): the 1-based
 * character position of the n-th match (or of its subexpr group), 0 when
 * there is none. */
static qv_status regexp_instr_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    rx_rows r;
    QV_TRY(rows_init(&r, n_args, args, n_rows, err));
    func_fixed_out fo;
    qv_status st = func_fixed_begin(n_args, args, n_rows, return_type, &fo, err);
    regex_cache cache;
    regex_cache_init(&cache);
    for (int64_t i = 0; st == QV_OK && i < fo.n; i++) {
        bool ok = true;
        for (int k = 0; k < n_args; k++)
            ok = ok && rows_valid(&r, k, i);
        if (!ok) {
            st = func_fixed_set_null(&fo, i, err);
            continue;
        }
        int64_t start = n_args > 2 ? rows_int(&r, 2, i) : 1;
        int64_t nth = n_args > 3 ? rows_int(&r, 3, i) : 1;
        int64_t sub = n_args > 5 ? rows_int(&r, 5, i) : 0;
        if (start < 1 || nth < 1 || sub < 0) {
            st = base_error_set(err, QV_EXECUTION,
                                "Arrow error: Compute error: regexp_instr() requires %s to be %s",
                                start < 1 ? "start"
                                : nth < 1 ? "N"
                                          : "subexpr",
                                sub < 0 && start >= 1 && nth >= 1 ? "non-negative" : "1 based");
            break;
        }
        const uint8_t *s, *p, *f;
        int64_t sl, pl, fl;
        rows_str(&r, 0, i, &s, &sl);
        rows_str(&r, 1, i, &p, &pl);
        rows_str(&r, 4, i, &f, &fl);
        regex_entry *e;
        st = regex_cache_get(&cache, p, pl, f, fl, false, &e, err);
        if (st != QV_OK)
            break;
        int64_t from = char_offset(s, sl, start - 1);
        int64_t pos = 0, last_end = -1, ms, me, found = 0, seen = 0;
        int rc;
        while ((rc = next_match(e, s + from, sl - from, &pos, &last_end, &ms, &me)) > 0) {
            if (++seen < nth)
                continue;
            int64_t gs = ms, ge;
            if (sub > 0 && !regex_group(e, (int)sub, &gs, &ge))
                break;
            found = func_utf8_count(s, from + gs) + 1;
            break;
        }
        if (rc < 0) {
            st = engine_error(err);
            break;
        }
        ((int64_t *)fo.values->data)[i] = found;
    }
    regex_cache_free(&cache);
    rows_free(&r);
    return func_fixed_end(&fo, return_type, st, out, err);
}

static qv_status rt_bool(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(types);
    UNUSED(err);
    *out = arrow_type_primitive(QV_TYPE_BOOLEAN);
    return QV_OK;
}

static qv_status rt_i64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(types);
    UNUSED(err);
    *out = arrow_type_primitive(QV_TYPE_INT64);
    return QV_OK;
}

/* ---- entries ---- */

static const arrow_type_id s_s_i[] = {QV_TYPE_UTF8, QV_TYPE_UTF8, QV_TYPE_INT64};
static const arrow_type_id s_s_i_s[] = {QV_TYPE_UTF8, QV_TYPE_UTF8, QV_TYPE_INT64, QV_TYPE_UTF8};
static const arrow_type_id s_s_i_i[] = {QV_TYPE_UTF8, QV_TYPE_UTF8, QV_TYPE_INT64, QV_TYPE_INT64};
static const arrow_type_id s_s_i_i_s_i[] = {QV_TYPE_UTF8,  QV_TYPE_UTF8, QV_TYPE_INT64,
                                            QV_TYPE_INT64, QV_TYPE_UTF8, QV_TYPE_INT64};

static const func_signature sig_23[] = {
    {FUNC_SIG_STRING, 2, 0, NULL, 0, NULL},
    {FUNC_SIG_STRING, 3, 0, NULL, 0, NULL},
};
static const func_signature sig_34[] = {
    {FUNC_SIG_STRING, 3, 0, NULL, 0, NULL},
    {FUNC_SIG_STRING, 4, 0, NULL, 0, NULL},
};
static const func_signature sig_count[] = {
    {FUNC_SIG_STRING, 2, 0, NULL, 0, NULL},
    {FUNC_SIG_EXACT, 3, 0, s_s_i, 0, NULL},
    {FUNC_SIG_EXACT, 4, 0, s_s_i_s, 0, NULL},
};
static const func_signature sig_instr[] = {
    {FUNC_SIG_STRING, 2, 0, NULL, 0, NULL},       {FUNC_SIG_EXACT, 3, 0, s_s_i, 0, NULL},
    {FUNC_SIG_EXACT, 4, 0, s_s_i_i, 0, NULL},     {FUNC_SIG_EXACT, 5, 0, s_s_i_i_s_i, 0, NULL},
    {FUNC_SIG_EXACT, 6, 0, s_s_i_i_s_i, 0, NULL},
};

#define SIG_ONE_OF(N, ALTS)                                                                        \
    {                                                                                              \
        FUNC_SIG_ONE_OF, 0, 0, NULL, N, ALTS                                                       \
    }
#define ENTRY(NAME, SIG, DESC, PARAMS, RT, INVOKE)                                                 \
    {                                                                                              \
        NAME, NULL, FUNC_SCALAR, SIG, FUNC_IMMUTABLE, DESC, PARAMS, .impl.scalar = {               \
            RT,                                                                                    \
            INVOKE,                                                                                \
            NULL                                                                                   \
        }                                                                                          \
    }

static const char *const p_like[] = {"str", "regexp", "flags", NULL};
static const char *const p_replace[] = {"str", "regexp", "replacement", "flags", NULL};
static const char *const p_count[] = {"str", "regexp", "start", "flags", NULL};
static const char *const p_instr[] = {"str", "regexp", "start", "N", "flags", "subexpr", NULL};

const func_entry func_regex_entries[] = {
    ENTRY("regexp_count", SIG_ONE_OF(3, sig_count),
          "Returns the number of matches that a regular expression has in a string.", p_count,
          rt_i64, regexp_count_invoke),
    ENTRY("regexp_instr", SIG_ONE_OF(5, sig_instr),
          "Returns the position in a string where the specified occurrence of a POSIX regular "
          "expression is located.",
          p_instr, rt_i64, regexp_instr_invoke),
    ENTRY("regexp_like", SIG_ONE_OF(2, sig_23),
          "Returns true if a regular expression has at least one match in a string, false "
          "otherwise.",
          p_like, rt_bool, regexp_like_invoke),
    ENTRY("regexp_match", SIG_ONE_OF(2, sig_23),
          "Returns the first regular expression matches in a string.", p_like, rt_match,
          regexp_match_invoke),
    ENTRY("regexp_replace", SIG_ONE_OF(2, sig_34),
          "Replaces substrings in a string that match a regular expression.", p_replace, rt_replace,
          regexp_replace_invoke),
};
const int32_t func_regex_entry_count =
    (int32_t)(sizeof func_regex_entries / sizeof func_regex_entries[0]);
