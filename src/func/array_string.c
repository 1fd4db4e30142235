/*
 * array_string.c — array functions between lists and strings (layer:
 * func): array_to_string (array_join) and string_to_array. Items are
 * rendered as DataFusion does: floats as Rust's Display prints them (`1`,
 * `NaN`, `inf`, no exponent), everything else as CAST(item AS VARCHAR)
 * (durations in ISO 8601 and times and intervals as displayed where the
 * cast kernel has no such cast yet); nested lists are joined item by item.
 */
#include <string.h>

#include "arrow/format_int.h"
#include "func/array_int.h"

/* ---- array_to_string ---- */

static const array_form f_to_string[] = {
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_STRING),
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_STRING, ARRAY_ARG_STRING)};

static qv_status coerce_to_string(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_to_string", 2, f_to_string, n_args, types, targets, err);
}

/* The nesting of a list argument: level k's reader (level 0 is the
 * argument), and the innermost items as text. */
typedef struct joiner {
    int32_t n_levels;
    array_list levels[64];
    const arrow_array *base; /* innermost items */
    arrow_array *base_text;  /* CAST(base AS Utf8), NULL for floats */
    func_str text;
    base_strbuf *sb;
    const uint8_t *delim, *null_str; /* null_str NULL: nulls are skipped */
    int64_t delim_len, null_len;
    bool first;
} joiner;

static qv_status joiner_init(joiner *j, const func_datum *list, qv_error *err)
{
    memset(j, 0, sizeof *j);
    array_list_init(&j->levels[0], list);
    j->n_levels = 1;
    const arrow_array *values = j->levels[0].values;
    while (array_is_list_id(values->type->id)) {
        if (j->n_levels == 64)
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: array_to_string of more "
                                  "than 64 nested levels");
        func_datum d = {(arrow_array *)values, false};
        array_list_init(&j->levels[j->n_levels++], &d);
        values = j->levels[j->n_levels - 1].values;
    }
    j->base = values;
    if (arrow_type_is_floating(values->type->id) ||
        !func_can_cast(values->type, arrow_type_primitive(QV_TYPE_UTF8)))
        return QV_OK;
    func_datum in = {(arrow_array *)values, false}, text;
    QV_TRY(func_cast(&in, arrow_type_primitive(QV_TYPE_UTF8), false, values->length, &text, err));
    j->base_text = text.array;
    func_datum view = {j->base_text, false};
    func_str_init(&j->text, &view);
    return QV_OK;
}

static void append_piece(joiner *j, const uint8_t *p, int64_t len)
{
    if (!j->first)
        base_strbuf_append(j->sb, (const char *)j->delim, (size_t)j->delim_len);
    j->first = false;
    base_strbuf_append(j->sb, (const char *)p, (size_t)len);
}

static void append_null(joiner *j)
{
    if (j->null_str != NULL)
        append_piece(j, j->null_str, j->null_len);
}

/* A Duration as arrow-rs casts it to text (chrono's ISO 8601 Display):
 * "PT1S", "PT1.500S", "P1DT3600S", "-PT0.000001S". */
static void append_duration(base_strbuf *sb, int64_t value, arrow_time_unit unit)
{
    static const int64_t per_second[] = {1, 1000, 1000000, 1000000000};
    __extension__ __int128 nanos = (__int128)value * (1000000000 / per_second[unit]);
    if (nanos < 0) {
        base_strbuf_append_char(sb, '-');
        nanos = -nanos;
    }
    long long secs = (long long)(nanos / 1000000000), frac = (long long)(nanos % 1000000000);
    long long days = secs / 86400;
    secs -= days * 86400;
    base_strbuf_append_char(sb, 'P');
    if (days != 0)
        base_strbuf_appendf(sb, "%lldD", days);
    if (secs == 0 && frac == 0 && days != 0)
        return;
    if (frac == 0)
        base_strbuf_appendf(sb, "T%lldS", secs);
    else if (frac % 1000000 == 0)
        base_strbuf_appendf(sb, "T%lld.%03lldS", secs, frac / 1000000);
    else if (frac % 1000 == 0)
        base_strbuf_appendf(sb, "T%lld.%06lldS", secs, frac / 1000);
    else
        base_strbuf_appendf(sb, "T%lld.%09lldS", secs, frac);
}

/* An item the cast kernel does not render: durations in ISO 8601, other
 * types (times, intervals) as DataFusion displays them. */
static void append_formatted(joiner *j, int64_t k)
{
    if (!j->first)
        base_strbuf_append(j->sb, (const char *)j->delim, (size_t)j->delim_len);
    j->first = false;
    const arrow_array *a = j->base;
    if (a->type->id == QV_TYPE_DURATION) {
        int64_t v = ((const int64_t *)arrow_array_values(a))[a->offset + k];
        append_duration(j->sb, v, a->type->unit);
    } else if (arrow_format_value(a, k, j->sb, NULL) != QV_OK) {
        base_strbuf_append_str(j->sb, "?");
    }
}

static void append_base(joiner *j, int64_t k)
{
    if (!arrow_array_is_valid(j->base, k)) {
        append_null(j);
        return;
    }
    if (j->base_text != NULL) {
        const uint8_t *p;
        int64_t len;
        func_str_at(&j->text, k, &p, &len);
        append_piece(j, p, len);
        return;
    }
    if (!arrow_type_is_floating(j->base->type->id)) {
        append_formatted(j, k);
        return;
    }
    double v;
    int64_t at = j->base->offset + k;
    const uint8_t *data = arrow_array_values(j->base);
    bool is_f32 = j->base->type->id != QV_TYPE_FLOAT64;
    if (j->base->type->id == QV_TYPE_FLOAT16)
        v = arrow_half_to_float(((const uint16_t *)data)[at]);
    else if (is_f32)
        v = ((const float *)data)[at];
    else
        v = ((const double *)data)[at];
    if (!j->first)
        base_strbuf_append(j->sb, (const char *)j->delim, (size_t)j->delim_len);
    j->first = false;
    arrow_format_float_display(v, is_f32, j->sb);
}

/* Joins the items of row `row` of level `level` (the row is valid). */
static void join_row(joiner *j, int32_t level, int64_t row)
{
    const array_list *l = &j->levels[level];
    int64_t start, len;
    array_list_range(l, row, &start, &len);
    for (int64_t k = start; k < start + len; k++) {
        if (level + 1 == j->n_levels)
            append_base(j, k);
        else if (!array_list_valid(&j->levels[level + 1], k))
            append_null(j);
        else
            join_row(j, level + 1, k);
    }
}

static qv_status to_string_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(return_type);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    if (args[0].array->type->id == QV_TYPE_NULL || args[1].array->type->id == QV_TYPE_NULL)
        return array_null_result(arrow_type_primitive(QV_TYPE_UTF8), n, all_scalar, out, err);
    joiner j;
    qv_status st = joiner_init(&j, &args[0], err);
    func_str delim, null_str;
    func_str_init(&delim, &args[1]);
    bool has_null_str = n_args == 3 && args[2].array->type->id != QV_TYPE_NULL;
    if (has_null_str)
        func_str_init(&null_str, &args[2]);
    base_strbuf sb;
    base_strbuf_init(&sb);
    j.sb = &sb;
    arrow_builder *b = NULL;
    if (st == QV_OK)
        st = arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &b, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        if (!array_list_valid(&j.levels[0], i) || !func_valid_at(&args[1], i)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        func_str_at(&delim, i, &j.delim, &j.delim_len);
        j.null_str = NULL;
        if (has_null_str && func_valid_at(&args[2], i))
            func_str_at(&null_str, i, &j.null_str, &j.null_len);
        j.first = true;
        base_strbuf_clear(&sb);
        join_row(&j, 0, i);
        if (base_strbuf_failed(&sb))
            st = base_error_nomem(err, "array_to_string");
        else
            st = arrow_builder_append_bytes(b, sb.data ? sb.data : "", (int64_t)sb.len, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    base_strbuf_free(&sb);
    arrow_array_release(j.base_text);
    return st;
}

/* ---- string_to_array ---- */

static const array_form f_to_array[] = {
    ARRAY_FORM(ARRAY_ARG_STRING, ARRAY_ARG_STRING),
    ARRAY_FORM(ARRAY_ARG_STRING, ARRAY_ARG_STRING, ARRAY_ARG_STRING)};

static qv_status coerce_to_array(ARRAY_COERCE_ARGS)
{
    ARRAY_UNUSED(svc);
    if (n_args < 2 || n_args > 3)
        return array_coerce_failed("string_to_array", 2, f_to_array, n_args, types, err);
    for (int i = 0; i < n_args; i++) {
        arrow_type_id id = types[i]->id;
        if (id == QV_TYPE_NULL || id == QV_TYPE_DICTIONARY)
            targets[i] = arrow_type_primitive(QV_TYPE_UTF8);
        else if (!func_is_string_id(id))
            return base_error_set(err, QV_PLAN,
                                  "Error during planning: Failed to coerce arguments to satisfy "
                                  "a call to 'string_to_array' function: unsupported type %s",
                                  arrow_type_id_name(id));
    }
    return QV_OK;
}

static qv_status rt_to_array(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(n_args);
    arrow_type_id id = types[0]->id == QV_TYPE_LARGE_UTF8 ? QV_TYPE_LARGE_UTF8 : QV_TYPE_UTF8;
    return arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(id), out, err);
}

/* Appends piece p[0..len) (a null when it equals the null string). */
static qv_status append_part(arrow_builder *items, const uint8_t *p, int64_t len,
                             const uint8_t *null_str, int64_t null_len, qv_error *err)
{
    if (null_str != NULL && len == null_len && memcmp(p, null_str, (size_t)len) == 0)
        return arrow_builder_append_null(items, err);
    return arrow_builder_append_bytes(items, p, len, err);
}

/* Splits s as PostgreSQL's string_to_array: an empty string gives no
 * items; a null delimiter splits into characters; an empty delimiter keeps
 * the string whole. */
static qv_status split_row(arrow_builder *items, const uint8_t *s, int64_t len,
                           const uint8_t *delim, int64_t delim_len, const uint8_t *null_str,
                           int64_t null_len, qv_error *err)
{
    if (len == 0)
        return QV_OK;
    if (delim == NULL) {
        for (int64_t k = 0; k < len;) {
            int64_t w = func_utf8_len(s[k]);
            QV_TRY(append_part(items, s + k, w, null_str, null_len, err));
            k += w;
        }
        return QV_OK;
    }
    if (delim_len == 0)
        return append_part(items, s, len, null_str, null_len, err);
    int64_t begin = 0;
    for (int64_t k = 0; k + delim_len <= len;) {
        if (memcmp(s + k, delim, (size_t)delim_len) == 0) {
            QV_TRY(append_part(items, s + begin, k - begin, null_str, null_len, err));
            k += delim_len;
            begin = k;
        } else {
            k++;
        }
    }
    return append_part(items, s + begin, len - begin, null_str, null_len, err);
}

static qv_status to_array_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    if (args[0].array->type->id == QV_TYPE_NULL)
        return array_null_result(return_type, n, all_scalar, out, err);
    func_str str, delim, null_str;
    func_str_init(&str, &args[0]);
    bool has_delim = args[1].array->type->id != QV_TYPE_NULL;
    bool has_null_str = n_args == 3 && args[2].array->type->id != QV_TYPE_NULL;
    if (has_delim)
        func_str_init(&delim, &args[1]);
    if (has_null_str)
        func_str_init(&null_str, &args[2]);
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(return_type, &b, err));
    arrow_builder *items = arrow_builder_child(b, 0);
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        bool valid = func_valid_at(&args[0], i);
        if (valid) {
            const uint8_t *s, *d = NULL, *ns = NULL;
            int64_t len, d_len = 0, ns_len = 0;
            func_str_at(&str, i, &s, &len);
            if (has_delim && func_valid_at(&args[1], i))
                func_str_at(&delim, i, &d, &d_len);
            if (has_null_str && func_valid_at(&args[2], i))
                func_str_at(&null_str, i, &ns, &ns_len);
            st = split_row(items, s, len, d, d_len, ns, ns_len, err);
        }
        if (st == QV_OK)
            st = arrow_builder_end_list(b, valid, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    return st;
}

/* ---- the table ---- */

static const char *const a_to_string[] = {"list_to_string", "array_join", "list_join", NULL};
static const char *const a_to_array[] = {"string_to_list", NULL};
static const char *const p_to_string[] = {"array", "delimiter", "null_string", NULL};
static const char *const p_to_array[] = {"str", "delimiter", "null_str", NULL};

const func_entry func_array_string_entries[] = {
    ARRAY_ENTRY("array_to_string", a_to_string, "Converts each element to its text representation.",
                p_to_string, array_rt_utf8, to_string_invoke, coerce_to_string),
    ARRAY_ENTRY("string_to_array", a_to_array,
                "Splits a string into an array of substrings based on a delimiter. Any "
                "substrings matching the optional `null_str` argument are replaced with NULL.",
                p_to_array, rt_to_array, to_array_invoke, coerce_to_array),
};
const int32_t func_array_string_entry_count =
    (int32_t)(sizeof func_array_string_entries / sizeof func_array_string_entries[0]);
