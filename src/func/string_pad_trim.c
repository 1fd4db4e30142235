/*
 * string_pad_trim.c — padding, trimming and overlay (layer: func): lpad,
 * rpad, btrim / trim, ltrim, rtrim, overlay. Lengths count code points.
 */
#include "func/string_int.h"

/* Runs BODY for each valid row; BODY appends the row's result to sb. */
#define ROWS(...)                                                                                  \
    str_rows r;                                                                                    \
    arrow_builder *b = NULL;                                                                       \
    base_strbuf sb;                                                                                \
    base_strbuf_init(&sb);                                                                         \
    qv_status st = str_rows_init(&r, n_args, args, n_rows, err);                                   \
    if (st == QV_OK)                                                                               \
        st = arrow_builder_new(return_type, &b, err);                                              \
    for (int64_t i = 0; st == QV_OK && i < r.n; i++) {                                             \
        if (!str_rows_valid(&r, i)) {                                                              \
            st = arrow_builder_append_null(b, err);                                                \
            continue;                                                                              \
        }                                                                                          \
        base_strbuf_clear(&sb);                                                                    \
        __VA_ARGS__;                                                                               \
        st = base_strbuf_failed(&sb) ? base_error_nomem(err, "string result")                     \
                                     : arrow_builder_append_bytes(b, sb.data ? sb.data : "",       \
                                                                  (int64_t)sb.len, err);           \
    }                                                                                              \
    if (st == QV_OK)                                                                               \
        st = func_finish_builder(b, r.all_scalar, out, err);                                       \
    arrow_builder_free(b);                                                                         \
    base_strbuf_free(&sb);                                                                         \
    str_rows_free(&r);                                                                             \
    return st

static void pad(bool left, const uint8_t *p, int64_t len, int64_t target, const uint8_t *fill,
                int64_t fill_len, base_strbuf *sb)
{
    if (target <= 0)
        return;
    int64_t chars = func_utf8_count(p, len);
    if (chars >= target) {
        base_strbuf_append(sb, (const char *)p, (size_t)str_char_offset(p, len, target));
        return;
    }
    if (fill_len == 0) {
        base_strbuf_append(sb, (const char *)p, (size_t)len);
        return;
    }
    int64_t missing = target - chars;
    if (!left)
        base_strbuf_append(sb, (const char *)p, (size_t)len);
    for (int64_t k = 0; missing > 0;) {
        int w = func_utf8_len(fill[k]);
        base_strbuf_append(sb, (const char *)fill + k, (size_t)w);
        missing--;
        k += w;
        if (k >= fill_len)
            k = 0;
        if (base_strbuf_failed(sb))
            return;
    }
    if (left)
        base_strbuf_append(sb, (const char *)p, (size_t)len);
}

static qv_status pad_rows(bool left, INVOKE_ARGS)
{
    UNUSED(ctx);
    ROWS({
        const uint8_t *p, *fill = (const uint8_t *)" ";
        int64_t len, fill_len = 1;
        str_rows_get(&r, 0, i, &p, &len);
        int64_t target = str_rows_int(&r, 1, i);
        if (n_args == 3)
            str_rows_get(&r, 2, i, &fill, &fill_len);
        if (target > INT32_MAX) {
            st = base_error_set(err, QV_EXECUTION,
                                "Execution error: %s requested length %lld too large",
                                left ? "lpad" : "rpad", (long long)target);
            break;
        }
        pad(left, p, len, target, fill, fill_len, &sb);
    });
}

static qv_status lpad_invoke(INVOKE_ARGS)
{
    return pad_rows(true, ctx, n_args, args, n_rows, return_type, out, err);
}

static qv_status rpad_invoke(INVOKE_ARGS)
{
    return pad_rows(false, ctx, n_args, args, n_rows, return_type, out, err);
}

static bool in_set(uint32_t cp, const uint8_t *set, int64_t set_len)
{
    for (int64_t k = 0; k < set_len;) {
        uint32_t c;
        k += func_utf8_decode(set + k, &c);
        if (c == cp)
            return true;
    }
    return false;
}

/* which: 0 both, 1 leading, 2 trailing. */
static qv_status trim_rows(int which, INVOKE_ARGS)
{
    UNUSED(ctx);
    ROWS({
        const uint8_t *p, *set = (const uint8_t *)" ";
        int64_t len, set_len = 1;
        str_rows_get(&r, 0, i, &p, &len);
        if (n_args == 2)
            str_rows_get(&r, 1, i, &set, &set_len);
        int64_t start = 0, end = len;
        if (which != 2) {
            while (start < end) {
                uint32_t cp;
                int w = func_utf8_decode(p + start, &cp);
                if (!in_set(cp, set, set_len))
                    break;
                start += w;
            }
        }
        if (which != 1) {
            while (end > start) {
                int64_t k = end - 1;
                while (k > start && (p[k] & 0xC0) == 0x80)
                    k--;
                uint32_t cp;
                func_utf8_decode(p + k, &cp);
                if (!in_set(cp, set, set_len))
                    break;
                end = k;
            }
        }
        base_strbuf_append(&sb, (const char *)p + start, (size_t)(end - start));
    });
}

static qv_status btrim_invoke(INVOKE_ARGS)
{
    return trim_rows(0, ctx, n_args, args, n_rows, return_type, out, err);
}

static qv_status ltrim_invoke(INVOKE_ARGS)
{
    return trim_rows(1, ctx, n_args, args, n_rows, return_type, out, err);
}

static qv_status rtrim_invoke(INVOKE_ARGS)
{
    return trim_rows(2, ctx, n_args, args, n_rows, return_type, out, err);
}

/* overlay(str PLACING substr FROM pos [FOR count]) */
static qv_status overlay_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    ROWS({
        const uint8_t *p, *q;
        int64_t len, ql;
        str_rows_get(&r, 0, i, &p, &len);
        str_rows_get(&r, 1, i, &q, &ql);
        int64_t pos = str_rows_int(&r, 2, i);
        int64_t count = n_args == 4 ? str_rows_int(&r, 3, i) : func_utf8_count(q, ql);
        int64_t chars = func_utf8_count(p, len);
        int64_t head = pos - 1 < 0 ? 0 : pos - 1 > chars ? chars : pos - 1;
        int64_t tail = pos + count - 1;
        tail = tail < 0 ? 0 : tail > chars ? chars : tail;
        base_strbuf_append(&sb, (const char *)p, (size_t)str_char_offset(p, len, head));
        base_strbuf_append(&sb, (const char *)q, (size_t)ql);
        int64_t off = str_char_offset(p, len, tail);
        base_strbuf_append(&sb, (const char *)p + off, (size_t)(len - off));
    });
}

static const arrow_type_id s_i[] = {QV_TYPE_UTF8, QV_TYPE_INT64};
static const arrow_type_id s_i_s[] = {QV_TYPE_UTF8, QV_TYPE_INT64, QV_TYPE_UTF8};
static const arrow_type_id s_s_i[] = {QV_TYPE_UTF8, QV_TYPE_UTF8, QV_TYPE_INT64};
static const arrow_type_id s_s_i_i[] = {QV_TYPE_UTF8, QV_TYPE_UTF8, QV_TYPE_INT64, QV_TYPE_INT64};
static const func_signature sig_pad_alts[] = {
    {FUNC_SIG_EXACT, 2, 0, s_i, 0, NULL},
    {FUNC_SIG_EXACT, 3, 0, s_i_s, 0, NULL},
};
static const func_signature sig_trim_alts[] = {
    {FUNC_SIG_STRING, 1, 0, NULL, 0, NULL},
    {FUNC_SIG_STRING, 2, 0, NULL, 0, NULL},
};
static const func_signature sig_overlay_alts[] = {
    {FUNC_SIG_EXACT, 3, 0, s_s_i, 0, NULL},
    {FUNC_SIG_EXACT, 4, 0, s_s_i_i, 0, NULL},
};
#define SIG_PAD {FUNC_SIG_ONE_OF, 0, 0, NULL, 2, sig_pad_alts}
#define SIG_TRIM {FUNC_SIG_ONE_OF, 0, 0, NULL, 2, sig_trim_alts}
#define SIG_OVERLAY {FUNC_SIG_ONE_OF, 0, 0, NULL, 2, sig_overlay_alts}

static const char *const p_pad[] = {"str", "n", "padding_str", NULL};
static const char *const p_trim[] = {"str", "trim_str", NULL};
static const char *const p_overlay[] = {"str", "substr", "pos", "count", NULL};
static const char *const a_btrim[] = {"trim", NULL};

#define ENTRY(NAME, ALIASES, SIG, DESC, PARAMS, INVOKE)                                            \
    {NAME, ALIASES, FUNC_SCALAR, SIG, FUNC_IMMUTABLE, DESC, PARAMS,                                \
     .impl.scalar = {str_rt_string, INVOKE}}

const func_entry func_string_pad_entries[] = {
    ENTRY("btrim", a_btrim, SIG_TRIM, "Trims the specified trim string from the start and end of "
          "a string (spaces by default).", p_trim, btrim_invoke),
    ENTRY("lpad", NULL, SIG_PAD, "Pads the left side of a string with another string to a "
          "specified string length.", p_pad, lpad_invoke),
    ENTRY("ltrim", NULL, SIG_TRIM, "Trims the specified trim string from the beginning of a "
          "string.", p_trim, ltrim_invoke),
    ENTRY("overlay", NULL, SIG_OVERLAY, "Returns the string which is replaced by another string "
          "from the specified position and specified count length.", p_overlay, overlay_invoke),
    ENTRY("rpad", NULL, SIG_PAD, "Pads the right side of a string with another string to a "
          "specified string length.", p_pad, rpad_invoke),
    ENTRY("rtrim", NULL, SIG_TRIM, "Trims the specified trim string from the end of a string.",
          p_trim, rtrim_invoke),
};
const int32_t func_string_pad_entry_count =
    (int32_t)(sizeof func_string_pad_entries / sizeof func_string_pad_entries[0]);
