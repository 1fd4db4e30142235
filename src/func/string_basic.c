/*
 * string_basic.c — string scalar functions (layer: func): lengths, case,
 * ascii / chr, substrings, search, replace, repeat, reverse, split_part,
 * translate, to_hex, levenshtein, uuid (concat / concat_ws: string_concat.c). Positions and
 * lengths count code points, as DataFusion does. Padding and trimming live
 * in string_pad_trim.c.
 */
#include <stdio.h>

#include "func/string_int.h"

qv_status str_rows_init(str_rows *r, int n_args, const func_datum *args, int64_t n_rows,
                        qv_error *err)
{
    memset(r, 0, sizeof *r);
    r->n_args = n_args;
    r->args = args;
    for (int k = 0; k < n_args && k < 5; k++) {
        arrow_type_id id = args[k].array->type->id;
        if (func_is_string_id(id) || func_is_binary_id(id))
            func_str_init(&r->str[k], &args[k]);
        else if (id == QV_TYPE_INT64)
            r->ints[k] = (const int64_t *)func_fixed_ptr(args[k].array, 8);
    }
    r->n = func_out_rows(n_args, args, n_rows, &r->all_scalar);
    return func_validity_and(n_args, args, r->n, &r->validity, err);
}

void str_rows_free(str_rows *r)
{
    arrow_buffer_release(r->validity);
    r->validity = NULL;
}

int64_t str_char_offset(const uint8_t *p, int64_t len, int64_t char_index)
{
    int64_t i = 0;
    while (i < len && char_index > 0) {
        i += func_utf8_len(p[i]);
        char_index--;
    }
    return i < len ? i : len;
}

qv_status str_rt_string(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(err);
    *out = arrow_type_primitive(types[0]->id == QV_TYPE_LARGE_UTF8 ? QV_TYPE_LARGE_UTF8
                                                                    : QV_TYPE_UTF8);
    return QV_OK;
}

qv_status str_rt_length(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(err);
    *out = arrow_type_primitive(types[0]->id == QV_TYPE_LARGE_UTF8 ? QV_TYPE_INT64
                                                                    : QV_TYPE_INT32);
    return QV_OK;
}

qv_status str_rt_utf8(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(types);
    UNUSED(err);
    *out = arrow_type_primitive(QV_TYPE_UTF8);
    return QV_OK;
}

qv_status str_rt_bool(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(types);
    UNUSED(err);
    *out = arrow_type_primitive(QV_TYPE_BOOLEAN);
    return QV_OK;
}

/* Writes an integer result v (Int32 or Int64 by return type) at row i. */
static inline void put_int(arrow_buffer *values, arrow_type *rt, int64_t i, int64_t v)
{
    if (rt->id == QV_TYPE_INT64)
        ((int64_t *)values->data)[i] = v;
    else
        ((int32_t *)values->data)[i] = (int32_t)v;
}

/* ---- integer-valued functions of one string ---- */

enum { LEN_CHARS, LEN_OCTETS, LEN_BITS, LEN_ASCII };

static qv_status length_kind(int kind, const func_datum *args, int64_t n_rows, arrow_type *rt,
                             func_datum *out, qv_error *err)
{
    func_fixed_out fo;
    QV_TRY(func_fixed_begin(1, args, n_rows, rt, &fo, err));
    func_str s;
    func_str_init(&s, &args[0]);
    for (int64_t i = 0; i < fo.n; i++) {
        const uint8_t *p;
        int64_t len;
        if (fo.validity && !arrow_bit_get(fo.validity->data, i))
            continue;
        func_str_at(&s, i, &p, &len);
        int64_t v;
        switch (kind) {
        case LEN_CHARS: v = func_utf8_count(p, len); break;
        case LEN_OCTETS: v = len; break;
        case LEN_BITS: v = len * 8; break;
        default: {
            uint32_t cp = 0;
            if (len > 0)
                func_utf8_decode(p, &cp);
            v = cp;
            break;
        }
        }
        put_int(fo.values, rt, i, v);
    }
    return func_fixed_end(&fo, rt, QV_OK, out, err);
}

#define LENGTH_FN(NAME, KIND)                                                                      \
    static qv_status NAME##_invoke(INVOKE_ARGS)                                                    \
    {                                                                                              \
        UNUSED(ctx);                                                                               \
        UNUSED(n_args);                                                                            \
        return length_kind(KIND, args, n_rows, return_type, out, err);                             \
    }
LENGTH_FN(char_length, LEN_CHARS)
LENGTH_FN(octet_length, LEN_OCTETS)
LENGTH_FN(bit_length, LEN_BITS)
LENGTH_FN(ascii, LEN_ASCII)

static qv_status rt_i32(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(types);
    UNUSED(err);
    *out = arrow_type_primitive(QV_TYPE_INT32);
    return QV_OK;
}

/* ---- string-valued functions: one loop skeleton, per-function body ---- */

/* Runs the body for every valid row with `sb` cleared; the body appends the
 * result to sb (or sets `is_null`), or sets st and breaks to fail. It must
 * not `continue` (that would skip the row's append). */
#define STRING_ROWS(...)                                                                          \
    str_rows r;                                                                                    \
    arrow_builder *b = NULL;                                                                       \
    base_strbuf sb;                                                                                \
    base_strbuf_init(&sb);                                                                         \
    qv_status st = str_rows_init(&r, n_args, args, n_rows, err);                                   \
    if (st == QV_OK)                                                                               \
        st = arrow_builder_new(return_type, &b, err);                                              \
    for (int64_t i = 0; st == QV_OK && i < r.n; i++) {                                             \
        bool is_null = !str_rows_valid(&r, i);                                                     \
        base_strbuf_clear(&sb);                                                                    \
        if (!is_null) {                                                                            \
            __VA_ARGS__;                                                                           \
        }                                                                                          \
        if (st != QV_OK)                                                                           \
            break;                                                                                 \
        if (base_strbuf_failed(&sb))                                                               \
            st = base_error_nomem(err, "string result");                                           \
        else if (is_null)                                                                          \
            st = arrow_builder_append_null(b, err);                                                \
        else                                                                                       \
            st = arrow_builder_append_bytes(b, sb.data ? sb.data : "", (int64_t)sb.len, err);      \
    }                                                                                              \
    if (st == QV_OK)                                                                               \
        st = func_finish_builder(b, r.all_scalar, out, err);                                       \
    arrow_builder_free(b);                                                                         \
    base_strbuf_free(&sb);                                                                         \
    str_rows_free(&r);                                                                             \
    return st

static void map_case(const uint8_t *p, int64_t len, base_strbuf *sb, int mode)
{
    /* mode 0 lower, 1 upper, 2 initcap */
    bool word_start = true;
    for (int64_t k = 0; k < len;) {
        uint32_t cp;
        k += func_utf8_decode(p + k, &cp);
        uint32_t m;
        if (mode == 0)
            m = func_unicode_lower(cp);
        else if (mode == 1)
            m = func_unicode_upper(cp);
        else
            m = word_start ? func_unicode_upper(cp) : func_unicode_lower(cp);
        if (mode == 2) {
            bool alnum = (cp >= '0' && cp <= '9') || func_unicode_lower(cp) != cp ||
                         func_unicode_upper(cp) != cp;
            word_start = !alnum;
        }
        uint8_t enc[4];
        base_strbuf_append(sb, (const char *)enc, (size_t)func_utf8_encode(m, enc));
    }
}

#define CASE_FN(NAME, MODE)                                                                        \
    static qv_status NAME##_invoke(INVOKE_ARGS)                                                    \
    {                                                                                              \
        UNUSED(ctx);                                                                               \
        STRING_ROWS({                                                                              \
            const uint8_t *p;                                                                      \
            int64_t len;                                                                           \
            str_rows_get(&r, 0, i, &p, &len);                                                      \
            map_case(p, len, &sb, MODE);                                                           \
        });                                                                                        \
    }
CASE_FN(lower, 0)
CASE_FN(upper, 1)
CASE_FN(initcap, 2)

static qv_status reverse_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    STRING_ROWS({
        const uint8_t *p;
        int64_t len;
        str_rows_get(&r, 0, i, &p, &len);
        base_strbuf_reserve(&sb, (size_t)len);
        for (int64_t k = len; k > 0;) {
            int64_t start = k - 1;
            while (start > 0 && (p[start] & 0xC0) == 0x80)
                start--;
            base_strbuf_append(&sb, (const char *)p + start, (size_t)(k - start));
            k = start;
        }
    });
}

static qv_status repeat_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    STRING_ROWS({
        const uint8_t *p;
        int64_t len;
        str_rows_get(&r, 0, i, &p, &len);
        int64_t times = str_rows_int(&r, 1, i);
        if (times > 0 && len > 0 && times > (INT32_MAX / len))
            st = base_error_set(err, QV_EXECUTION,
                                "Execution error: string size overflow on repeat");
        for (int64_t k = 0; st == QV_OK && k < times; k++)
            base_strbuf_append(&sb, (const char *)p, (size_t)len);
    });
}

static const uint8_t *find_bytes(const uint8_t *h, int64_t hl, const uint8_t *n, int64_t nl)
{
    if (nl == 0)
        return h;
    for (int64_t k = 0; k + nl <= hl; k++) {
        if (h[k] == n[0] && memcmp(h + k, n, (size_t)nl) == 0)
            return h + k;
    }
    return NULL;
}

static qv_status replace_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    STRING_ROWS({
        const uint8_t *p, *from, *to;
        int64_t len, fl, tl;
        str_rows_get(&r, 0, i, &p, &len);
        str_rows_get(&r, 1, i, &from, &fl);
        str_rows_get(&r, 2, i, &to, &tl);
        if (fl == 0) {
            /* Rust str::replace with an empty pattern inserts `to` around every char */
            base_strbuf_append(&sb, (const char *)to, (size_t)tl);
            for (int64_t k = 0; k < len;) {
                int w = func_utf8_len(p[k]);
                base_strbuf_append(&sb, (const char *)p + k, (size_t)w);
                base_strbuf_append(&sb, (const char *)to, (size_t)tl);
                k += w;
            }
        } else {
            const uint8_t *cur = p, *end = p + len, *hit;
            while ((hit = find_bytes(cur, end - cur, from, fl)) != NULL) {
                base_strbuf_append(&sb, (const char *)cur, (size_t)(hit - cur));
                base_strbuf_append(&sb, (const char *)to, (size_t)tl);
                cur = hit + fl;
            }
            base_strbuf_append(&sb, (const char *)cur, (size_t)(end - cur));
        }
    });
}

/* left(s, n) / right(s, n): n < 0 drops |n| characters from the other end. */
static qv_status left_right(bool left, INVOKE_ARGS)
{
    UNUSED(ctx);
    STRING_ROWS({
        const uint8_t *p;
        int64_t len;
        str_rows_get(&r, 0, i, &p, &len);
        int64_t n = str_rows_int(&r, 1, i);
        int64_t chars = func_utf8_count(p, len);
        int64_t keep = n >= 0 ? (n < chars ? n : chars) : (chars + n > 0 ? chars + n : 0);
        if (left) {
            base_strbuf_append(&sb, (const char *)p, (size_t)str_char_offset(p, len, keep));
        } else {
            int64_t off = str_char_offset(p, len, chars - keep);
            base_strbuf_append(&sb, (const char *)p + off, (size_t)(len - off));
        }
    });
}

static qv_status left_invoke(INVOKE_ARGS)
{
    return left_right(true, ctx, n_args, args, n_rows, return_type, out, err);
}

static qv_status right_invoke(INVOKE_ARGS)
{
    return left_right(false, ctx, n_args, args, n_rows, return_type, out, err);
}

/* substr(s, start [, count]), 1-based; characters before position 1 count
 * against `count`, as in PostgreSQL and DataFusion. */
static qv_status substr_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    STRING_ROWS({
        const uint8_t *p;
        int64_t len;
        str_rows_get(&r, 0, i, &p, &len);
        int64_t start = str_rows_int(&r, 1, i);
        int64_t first = start > 1 ? start - 1 : 0, last = INT64_MAX;
        if (n_args == 3) {
            int64_t count = str_rows_int(&r, 2, i);
            if (count < 0) {
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: negative substring length not allowed: "
                                    "substr(<str>, %lld, %lld)",
                                    (long long)start, (long long)count);
                break;
            }
            int64_t end;
            last = __builtin_add_overflow(start - 1, count, &end) ? INT64_MAX : end;
        }
        if (last > first) {
            int64_t b0 = str_char_offset(p, len, first);
            int64_t b1 = last == INT64_MAX ? len : str_char_offset(p, len, last);
            base_strbuf_append(&sb, (const char *)p + b0, (size_t)(b1 - b0));
        }
    });
}

static qv_status rt_substr(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(err);
    *out = arrow_type_primitive(types[0]->id);
    return QV_OK;
}

static qv_status split_part_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    STRING_ROWS({
        const uint8_t *p, *d;
        int64_t len, dl;
        str_rows_get(&r, 0, i, &p, &len);
        str_rows_get(&r, 1, i, &d, &dl);
        int64_t n = str_rows_int(&r, 2, i);
        if (n == 0) {
            st = base_error_set(err, QV_EXECUTION,
                                "Execution error: field position must not be zero");
            break;
        }
        /* collect part boundaries: count parts first */
        int64_t parts = 1;
        if (dl > 0) {
            for (const uint8_t *c = p, *h; (h = find_bytes(c, p + len - c, d, dl)) != NULL;
                 c = h + dl)
                parts++;
        }
        int64_t want = n > 0 ? n - 1 : parts + n;
        if (want >= 0 && want < parts) { /* else the empty string */
            const uint8_t *c = p;
            for (int64_t k = 0; k < want; k++)
                c = find_bytes(c, p + len - c, d, dl) + dl;
            const uint8_t *h = dl > 0 ? find_bytes(c, p + len - c, d, dl) : NULL;
            base_strbuf_append(&sb, (const char *)c, (size_t)((h ? h : p + len) - c));
        }
    });
}

static qv_status translate_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    STRING_ROWS({
        const uint8_t *p, *f, *t;
        int64_t len, fl, tl;
        str_rows_get(&r, 0, i, &p, &len);
        str_rows_get(&r, 1, i, &f, &fl);
        str_rows_get(&r, 2, i, &t, &tl);
        for (int64_t k = 0; k < len;) {
            uint32_t cp;
            int w = func_utf8_decode(p + k, &cp);
            k += w;
            /* index of cp in `from` (first occurrence), in characters */
            int64_t idx = -1, ci = 0;
            for (int64_t q = 0; q < fl; ci++) {
                uint32_t fc;
                q += func_utf8_decode(f + q, &fc);
                if (fc == cp) {
                    idx = ci;
                    break;
                }
            }
            if (idx < 0) {
                base_strbuf_append(&sb, (const char *)p + k - w, (size_t)w);
                continue;
            }
            int64_t off = str_char_offset(t, tl, idx);
            if (off < tl)
                base_strbuf_append(&sb, (const char *)t + off, (size_t)func_utf8_len(t[off]));
        }
    });
}

static qv_status chr_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    STRING_ROWS({
        int64_t cp = str_rows_int(&r, 0, i);
        if (cp == 0) {
            st = base_error_set(err, QV_EXECUTION,
                                "Execution error: null character not permitted.");
            break;
        }
        if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            st = base_error_set(err, QV_EXECUTION,
                                "Execution error: requested character too large for encoding.");
            break;
        }
        uint8_t enc[4];
        base_strbuf_append(&sb, (const char *)enc, (size_t)func_utf8_encode((uint32_t)cp, enc));
    });
}

static qv_status to_hex_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    STRING_ROWS({
        const arrow_array *a = args[0].array;
        int64_t j = args[0].is_scalar ? 0 : i;
        int w = arrow_type_bit_width(a->type) / 8;
        const uint8_t *v = func_fixed_ptr(a, w) + j * w;
        uint64_t u = 0;
        if (arrow_type_is_signed_integer(a->type->id)) {
            int64_t s = w == 1 ? *(const int8_t *)v : w == 2 ? *(const int16_t *)v
                        : w == 4 ? *(const int32_t *)v : *(const int64_t *)v;
            u = (uint64_t)s;
        } else {
            memcpy(&u, v, (size_t)w);
        }
        base_strbuf_appendf(&sb, "%llx", (unsigned long long)u);
    });
}

static qv_status uuid_invoke(INVOKE_ARGS)
{
    UNUSED(n_args);
    UNUSED(args);
    arrow_builder *b;
    QV_TRY(arrow_builder_new(return_type, &b, err));
    uint64_t s = ctx->random_state ? ctx->random_state : 0x9E3779B97F4A7C15ull;
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n_rows && st == QV_OK; i++) {
        uint8_t bytes[16];
        for (int k = 0; k < 16; k += 8) {
            s ^= s >> 12;
            s ^= s << 25;
            s ^= s >> 27;
            uint64_t v = s * 0x2545F4914F6CDD1Dull;
            memcpy(bytes + k, &v, 8);
        }
        bytes[6] = (uint8_t)((bytes[6] & 0x0F) | 0x40); /* version 4 */
        bytes[8] = (uint8_t)((bytes[8] & 0x3F) | 0x80); /* RFC 4122 variant */
        char text[37];
        int o = 0;
        for (int k = 0; k < 16; k++) {
            if (k == 4 || k == 6 || k == 8 || k == 10)
                text[o++] = '-';
            o += snprintf(text + o, sizeof text - (size_t)o, "%02x", bytes[k]);
        }
        st = arrow_builder_append_bytes(b, text, 36, err);
    }
    ctx->random_state = s;
    if (st == QV_OK)
        st = func_finish_builder(b, false, out, err);
    arrow_builder_free(b);
    return st;
}

/* ---- Boolean and position results ---- */

static qv_status match_kind(int kind, const func_datum *args, int64_t n_rows, arrow_type *rt,
                            func_datum *out, qv_error *err)
{
    /* kind 0 starts_with, 1 ends_with, 2 strpos */
    func_fixed_out fo;
    QV_TRY(func_fixed_begin(2, args, n_rows, rt, &fo, err));
    func_str a, b;
    func_str_init(&a, &args[0]);
    func_str_init(&b, &args[1]);
    for (int64_t i = 0; i < fo.n; i++) {
        if (fo.validity && !arrow_bit_get(fo.validity->data, i))
            continue;
        const uint8_t *p, *q;
        int64_t pl, ql;
        func_str_at(&a, i, &p, &pl);
        func_str_at(&b, i, &q, &ql);
        if (kind == 0) {
            arrow_bit_set(fo.values->data, i, ql <= pl && memcmp(p, q, (size_t)ql) == 0);
        } else if (kind == 1) {
            arrow_bit_set(fo.values->data, i,
                          ql <= pl && memcmp(p + pl - ql, q, (size_t)ql) == 0);
        } else {
            const uint8_t *hit = find_bytes(p, pl, q, ql);
            put_int(fo.values, rt, i, hit ? func_utf8_count(p, hit - p) + 1 : 0);
        }
    }
    return func_fixed_end(&fo, rt, QV_OK, out, err);
}

static qv_status starts_with_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    UNUSED(n_args);
    return match_kind(0, args, n_rows, return_type, out, err);
}

static qv_status ends_with_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    UNUSED(n_args);
    return match_kind(1, args, n_rows, return_type, out, err);
}

static qv_status strpos_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    UNUSED(n_args);
    return match_kind(2, args, n_rows, return_type, out, err);
}

static qv_status levenshtein_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    UNUSED(n_args);
    func_fixed_out fo;
    QV_TRY(func_fixed_begin(2, args, n_rows, return_type, &fo, err));
    func_str a, b;
    func_str_init(&a, &args[0]);
    func_str_init(&b, &args[1]);
    int64_t *row = NULL;
    int64_t row_cap = 0;
    qv_status st = QV_OK;
    for (int64_t i = 0; i < fo.n && st == QV_OK; i++) {
        if (fo.validity && !arrow_bit_get(fo.validity->data, i))
            continue;
        const uint8_t *p, *q;
        int64_t pl, ql;
        func_str_at(&a, i, &p, &pl);
        func_str_at(&b, i, &q, &ql);
        int64_t m = func_utf8_count(q, ql);
        if (m + 1 > row_cap) {
            int64_t *nr = base_realloc(row, (size_t)(m + 1) * sizeof *row);
            if (nr == NULL) {
                st = base_error_nomem(err, "levenshtein");
                break;
            }
            row = nr;
            row_cap = m + 1;
        }
        for (int64_t k = 0; k <= m; k++)
            row[k] = k;
        int64_t n_chars = 0;
        for (int64_t x = 0; x < pl; n_chars++) {
            uint32_t ca;
            x += func_utf8_decode(p + x, &ca);
            int64_t diag = row[0];
            row[0] = n_chars + 1;
            int64_t k = 1;
            for (int64_t y = 0; y < ql; k++) {
                uint32_t cb;
                y += func_utf8_decode(q + y, &cb);
                int64_t best = diag + (ca != cb);
                if (row[k] + 1 < best)
                    best = row[k] + 1;
                if (row[k - 1] + 1 < best)
                    best = row[k - 1] + 1;
                diag = row[k];
                row[k] = best;
            }
        }
        put_int(fo.values, return_type, i, row[m]);
    }
    base_free(row);
    return func_fixed_end(&fo, return_type, st, out, err);
}

/* ---- entries ---- */

static const arrow_type_id str_types[] = {QV_TYPE_UTF8, QV_TYPE_LARGE_UTF8, QV_TYPE_UTF8_VIEW};
static const arrow_type_id i64_only[] = {QV_TYPE_INT64};
static const arrow_type_id s_i[] = {QV_TYPE_UTF8, QV_TYPE_INT64};
static const arrow_type_id s_i_i[] = {QV_TYPE_UTF8, QV_TYPE_INT64, QV_TYPE_INT64};
static const arrow_type_id s_s_i[] = {QV_TYPE_UTF8, QV_TYPE_UTF8, QV_TYPE_INT64};
static const arrow_type_id ints[] = {QV_TYPE_INT8,  QV_TYPE_INT16,  QV_TYPE_INT32,
                                     QV_TYPE_INT64, QV_TYPE_UINT8,  QV_TYPE_UINT16,
                                     QV_TYPE_UINT32, QV_TYPE_UINT64};

static const func_signature sig_substr_alts[] = {
    {FUNC_SIG_EXACT, 2, 0, s_i, 0, NULL},
    {FUNC_SIG_EXACT, 3, 0, s_i_i, 0, NULL},
};

#define SIG_STR(N) {FUNC_SIG_STRING, N, 0, NULL, 0, NULL}
#define SIG_I64 {FUNC_SIG_UNIFORM, 1, 1, i64_only, 0, NULL}
#define SIG_VAR_STR {FUNC_SIG_VARIADIC, 0, 3, str_types, 0, NULL}
#define SIG_S_I {FUNC_SIG_EXACT, 2, 0, s_i, 0, NULL}
#define SIG_S_S_I {FUNC_SIG_EXACT, 3, 0, s_s_i, 0, NULL}
#define SIG_SUBSTR {FUNC_SIG_ONE_OF, 0, 0, NULL, 2, sig_substr_alts}
#define SIG_INTS {FUNC_SIG_UNIFORM, 1, 8, ints, 0, NULL}
#define SCALAR(NAME, ALIASES, SIG, DESC, PARAMS, RT, INVOKE)                                       \
    {NAME, ALIASES, FUNC_SCALAR, SIG, FUNC_IMMUTABLE, DESC, PARAMS, .impl.scalar = {RT, INVOKE}}

static const char *const p_str[] = {"str", NULL};
static const char *const p_str_n[] = {"str", "n", NULL};
static const char *const p_substr[] = {"str", "start_pos", "length", NULL};
static const char *const p_replace[] = {"str", "substr", "replacement", NULL};
static const char *const p_split[] = {"str", "delimiter", "pos", NULL};
static const char *const p_translate[] = {"str", "chars", "translation", NULL};
static const char *const p_sub[] = {"str", "substr", NULL};
static const char *const p_two[] = {"str1", "str2", NULL};
static const char *const p_concat[] = {"str", NULL};
static const char *const p_concat_ws[] = {"separator", "str", NULL};
static const char *const p_int[] = {"expression", NULL};
static const char *const a_length[] = {"character_length", "length", NULL};
static const char *const a_strpos[] = {"instr", "position", NULL};
static const char *const a_substr[] = {"substring", NULL};

const func_entry func_string_entries[] = {
    SCALAR("ascii", NULL, SIG_STR(1), "Returns the Unicode character code of the first character "
           "in a string.", p_str, rt_i32, ascii_invoke),
    SCALAR("bit_length", NULL, SIG_STR(1), "Returns the bit length of a string.", p_str,
           str_rt_length, bit_length_invoke),
    SCALAR("char_length", a_length, SIG_STR(1), "Returns the number of characters in a string.",
           p_str, str_rt_length, char_length_invoke),
    SCALAR("chr", NULL, SIG_I64,
           "Returns the character with the specified ASCII or Unicode code value.", p_int,
           str_rt_utf8, chr_invoke),
    SCALAR("concat", NULL, SIG_VAR_STR,
           "Concatenates multiple strings together.", p_concat, func_concat_rt, func_concat_invoke),
    SCALAR("concat_ws", NULL, SIG_VAR_STR,
           "Concatenates multiple strings together with a specified separator.", p_concat_ws,
           str_rt_utf8, func_concat_ws_invoke),
    SCALAR("ends_with", NULL, SIG_STR(2), "Tests if a string ends with a substring.", p_sub,
           str_rt_bool, ends_with_invoke),
    SCALAR("initcap", NULL, SIG_STR(1), "Capitalizes the first character in each word of the "
           "input string.", p_str, str_rt_string, initcap_invoke),
    SCALAR("left", NULL, SIG_S_I,
           "Returns a specified number of characters from the left side of a string.", p_str_n,
           str_rt_string, left_invoke),
    SCALAR("levenshtein", NULL, SIG_STR(2), "Returns the Levenshtein distance between the two "
           "given strings.", p_two, str_rt_length, levenshtein_invoke),
    SCALAR("lower", NULL, SIG_STR(1), "Converts a string to lower-case.", p_str, str_rt_string,
           lower_invoke),
    SCALAR("octet_length", NULL, SIG_STR(1), "Returns the length of a string in bytes.", p_str,
           str_rt_length, octet_length_invoke),
    SCALAR("repeat", NULL, SIG_S_I,
           "Returns a string with an input string repeated a specified number.", p_str_n,
           str_rt_string, repeat_invoke),
    SCALAR("replace", NULL, SIG_STR(3), "Replaces all occurrences of a specified substring in a "
           "string with a new substring.", p_replace, str_rt_string, replace_invoke),
    SCALAR("reverse", NULL, SIG_STR(1), "Reverses the character order of a string.", p_str,
           str_rt_string, reverse_invoke),
    SCALAR("right", NULL, SIG_S_I,
           "Returns a specified number of characters from the right side of a string.", p_str_n,
           str_rt_string, right_invoke),
    SCALAR("split_part", NULL, SIG_S_S_I,
           "Splits a string based on a specified delimiter and returns the substring in the "
           "specified position.", p_split, str_rt_string, split_part_invoke),
    SCALAR("starts_with", NULL, SIG_STR(2), "Tests if a string starts with a substring.", p_sub,
           str_rt_bool, starts_with_invoke),
    SCALAR("strpos", a_strpos, SIG_STR(2), "Returns the starting position of a specified "
           "substring in a string.", p_sub, str_rt_length, strpos_invoke),
    SCALAR("substr", a_substr, SIG_SUBSTR,
           "Extracts a substring of a specified number of characters from a specific starting "
           "position in a string.", p_substr, rt_substr, substr_invoke),
    SCALAR("to_hex", NULL, SIG_INTS,
           "Converts an integer to a hexadecimal string.", p_int, str_rt_utf8, to_hex_invoke),
    SCALAR("translate", NULL, SIG_STR(3), "Translates characters in a string to specified "
           "translation characters.", p_translate, str_rt_string, translate_invoke),
    SCALAR("upper", NULL, SIG_STR(1), "Converts a string to upper-case.", p_str, str_rt_string,
           upper_invoke),
    {"uuid", NULL, FUNC_SCALAR, {FUNC_SIG_NULLARY, 0, 0, NULL, 0, NULL}, FUNC_VOLATILE,
     "Returns a UUID v4 string value which is unique per row.", NULL,
     .impl.scalar = {str_rt_utf8, uuid_invoke}},
};
const int32_t func_string_entry_count =
    (int32_t)(sizeof func_string_entries / sizeof func_string_entries[0]);
