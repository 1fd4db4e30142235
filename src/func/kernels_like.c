/*
 * kernels_like.c — [NOT] LIKE / ILIKE with ESCAPE (layer: func). The pattern
 * is compiled to code-point tokens (once per batch when it is a scalar) and
 * matched with the linear-backtracking wildcard algorithm: on a mismatch,
 * only the last '%' is retried, which is enough because a later '%' can
 * absorb anything an earlier one could.
 */
#include "func/func_int.h"

#define TOK_ANY_MANY 0xFFFFFFFFu /* % */
#define TOK_ANY_ONE 0xFFFFFFFEu  /* _ */

typedef struct like_pattern {
    uint32_t *tokens;
    int64_t n;
    int64_t cap;
} like_pattern;

static qv_status compile(like_pattern *p, const uint8_t *s, int64_t len, uint32_t escape,
                         bool fold, qv_error *err)
{
    if (p->cap < len + 1) {
        uint32_t *t = base_realloc(p->tokens, (size_t)(len + 1) * sizeof *t);
        if (t == NULL)
            return base_error_nomem(err, "LIKE pattern");
        p->tokens = t;
        p->cap = len + 1;
    }
    p->n = 0;
    int64_t i = 0;
    while (i < len) {
        uint32_t cp;
        i += func_utf8_decode(s + i, &cp);
        uint32_t tok;
        if (escape != 0 && cp == escape) {
            if (i < len) {
                i += func_utf8_decode(s + i, &cp);
                tok = fold ? func_unicode_lower(cp) : cp;
            } else {
                tok = cp; /* a trailing escape stands for itself (arrow-rs) */
            }
        } else if (cp == '%') {
            if (p->n > 0 && p->tokens[p->n - 1] == TOK_ANY_MANY)
                continue;
            tok = TOK_ANY_MANY;
        } else if (cp == '_') {
            tok = TOK_ANY_ONE;
        } else {
            tok = fold ? func_unicode_lower(cp) : cp;
        }
        p->tokens[p->n++] = tok;
    }
    return QV_OK;
}

static bool match(const like_pattern *p, const uint8_t *s, int64_t len, bool fold)
{
    const uint32_t *tok = p->tokens;
    int64_t np = p->n, pi = 0, ti = 0, star_p = -1, star_t = 0;
    while (ti < len) {
        if (pi < np && tok[pi] == TOK_ANY_MANY) {
            star_p = pi++;
            star_t = ti;
            continue;
        }
        if (pi < np) {
            uint32_t cp;
            int w = func_utf8_decode(s + ti, &cp);
            if (fold)
                cp = func_unicode_lower(cp);
            if (tok[pi] == TOK_ANY_ONE || tok[pi] == cp) {
                ti += w;
                pi++;
                continue;
            }
        }
        if (star_p < 0)
            return false;
        pi = star_p + 1;
        star_t += func_utf8_len(s[star_t]);
        ti = star_t;
    }
    while (pi < np && tok[pi] == TOK_ANY_MANY)
        pi++;
    return pi == np;
}

static qv_status check_string(const func_datum *d, qv_error *err)
{
    arrow_type_id id = d->array->type->id;
    if (func_is_string_id(id) || id == QV_TYPE_NULL)
        return QV_OK;
    char name[64];
    func_type_name(d->array->type, name, sizeof name);
    return base_error_set(err, QV_PLAN,
                          "Error during planning: There isn't a common type to coerce %s in LIKE "
                          "expression",
                          name);
}

qv_status func_like(bool negated, bool case_insensitive, const func_datum *value,
                    const func_datum *pattern, uint32_t escape, int64_t n_rows, func_datum *out,
                    qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    QV_TRY(check_string(value, err));
    QV_TRY(check_string(pattern, err));
    func_datum args[2] = {*value, *pattern};
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    arrow_buffer *validity = NULL, *values = NULL;
    like_pattern pat = {NULL, 0, 0};
    qv_status st = func_validity_and(2, args, n, &validity, err);
    if (st == QV_OK)
        st = func_bitmap_new(n, &values, err);
    if (st != QV_OK)
        goto cleanup;
    if (value->array->type->id != QV_TYPE_NULL && pattern->array->type->id != QV_TYPE_NULL) {
        func_str vs, ps;
        func_str_init(&vs, value);
        func_str_init(&ps, pattern);
        const uint8_t *valid = validity ? validity->data : NULL;
        bool compiled = false;
        for (int64_t i = 0; i < n; i++) {
            if (valid && !arrow_bit_get(valid, i))
                continue;
            const uint8_t *s, *p;
            int64_t sl, pl;
            if (!compiled || !pattern->is_scalar) {
                func_str_at(&ps, i, &p, &pl);
                st = compile(&pat, p, pl, escape, case_insensitive, err);
                if (st != QV_OK)
                    goto cleanup;
                compiled = true;
            }
            func_str_at(&vs, i, &s, &sl);
            if (match(&pat, s, sl, case_insensitive) != negated)
                arrow_bit_set(values->data, i, true);
        }
    }
    arrow_array *result;
    st = func_make_fixed(arrow_type_primitive(QV_TYPE_BOOLEAN), n, validity, values, &result,
                         err);
    validity = values = NULL;
    if (st == QV_OK)
        func_set_result(out, result, all_scalar);
cleanup:
    base_free(pat.tokens);
    arrow_buffer_release(validity);
    arrow_buffer_release(values);
    return st;
}
