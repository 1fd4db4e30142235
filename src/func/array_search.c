/*
 * array_search.c — array functions that look for elements in lists (layer:
 * func): array_has, array_has_all, array_has_any, array_position,
 * array_positions, array_remove[_n|_all], array_replace[_n|_all].
 * Elements are compared as DataFusion's not_distinct does: NULL matches
 * NULL, NaN matches NaN, nested values compare item by item.
 */
#include "func/array_int.h"

static const array_form f_array_element[] = {ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_ELEMENT)};
static const array_form f_two_arrays[] = {ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_ARRAY)};
static const array_form f_position[] = {
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_ELEMENT),
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_ELEMENT, ARRAY_ARG_INDEX)};
static const array_form f_remove_n[] = {
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_ELEMENT, ARRAY_ARG_INDEX)};
static const array_form f_replace[] = {
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_ELEMENT, ARRAY_ARG_ELEMENT)};
static const array_form f_replace_n[] = {
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_ELEMENT, ARRAY_ARG_ELEMENT, ARRAY_ARG_INDEX)};

ARRAY_COERCE_FORMS(coerce_has, "array_has", f_array_element)
ARRAY_COERCE_FORMS(coerce_has_all, "array_has_all", f_two_arrays)
ARRAY_COERCE_FORMS(coerce_has_any, "array_has_any", f_two_arrays)
ARRAY_COERCE_FORMS(coerce_position, "array_position", f_position)
ARRAY_COERCE_FORMS(coerce_positions, "array_positions", f_array_element)
ARRAY_COERCE_FORMS(coerce_remove, "array_remove", f_array_element)
ARRAY_COERCE_FORMS(coerce_remove_n, "array_remove_n", f_remove_n)
ARRAY_COERCE_FORMS(coerce_remove_all, "array_remove_all", f_array_element)
ARRAY_COERCE_FORMS(coerce_replace, "array_replace", f_replace)
ARRAY_COERCE_FORMS(coerce_replace_n, "array_replace_n", f_replace_n)
ARRAY_COERCE_FORMS(coerce_replace_all, "array_replace_all", f_replace)

static qv_status rt_positions(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(types);
    return arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(QV_TYPE_UINT64), out, err);
}

/* A comparator for the items of list (NULL when the list is Null-typed). */
static qv_status items_comparator(const array_list *l, func_row_comparator **out, qv_error *err)
{
    *out = NULL;
    if (l->values == NULL)
        return QV_OK;
    return array_comparator_new(l->values->type, out, err);
}

/* ---- array_has ---- */

/* True / false whether a non-null item equals the needle; null when the
 * list or the needle is null. */
static qv_status has_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(return_type);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    array_list l;
    array_list_init(&l, &args[0]);
    const func_datum *needle = &args[1];
    func_row_comparator *cmp = NULL;
    QV_TRY(items_comparator(&l, &cmp, err));
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        if (!array_list_valid(&l, i) || !func_valid_at(needle, i)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        int64_t start, len, e = needle->is_scalar ? 0 : i;
        array_list_range(&l, i, &start, &len);
        bool found = false;
        for (int64_t k = start; k < start + len && !found; k++)
            found = arrow_array_is_valid(l.values, k) &&
                    array_compare(cmp, l.values, k, needle->array, e) == 0;
        st = arrow_builder_append_bool(b, found, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    func_row_comparator_free(cmp);
    return st;
}

/* ---- array_has_all / array_has_any ---- */

/* Merges the sorted items of haystack row ra and needle row rb: all ->
 * every needle item is in the haystack, else some is. */
static bool has_items(const func_row_comparator *cmp, const array_sorted *hay, int64_t ra,
                      const array_sorted *needles, int64_t rb, bool all)
{
    int64_t a = hay->row_start[ra], a_end = hay->row_start[ra + 1];
    int64_t b = needles->row_start[rb], b_end = needles->row_start[rb + 1];
    while (b < b_end) {
        int c = a < a_end ? array_compare(cmp, hay->items, hay->order[a], needles->items,
                                          needles->order[b])
                          : 1;
        if (c < 0) {
            a++;
        } else if (c > 0) {
            if (all)
                return false;
            b++;
        } else {
            if (!all)
                return true;
            b++;
        }
    }
    return all;
}

static qv_status has_set(bool all, ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(return_type);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    array_list la, lb;
    array_list_init(&la, &args[0]);
    array_list_init(&lb, &args[1]);
    array_sorted hay, needles;
    func_row_comparator *cmp = NULL;
    arrow_builder *b = NULL;
    QV_TRY(array_sorted_build(&la, n, false, true, false, &hay, err));
    qv_status st = array_sorted_build(&lb, n, false, true, false, &needles, err);
    if (st != QV_OK) {
        array_sorted_free(&hay);
        return st;
    }
    bool typed = hay.items != NULL && needles.items != NULL;
    if (typed)
        st = array_comparator_new(hay.items->type, &cmp, err);
    if (st == QV_OK)
        st = arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t ra = array_sorted_row(&hay, i), rb = array_sorted_row(&needles, i);
        if (!typed || !hay.valid[ra] || !needles.valid[rb])
            st = arrow_builder_append_null(b, err);
        else
            st = arrow_builder_append_bool(b, has_items(cmp, &hay, ra, &needles, rb, all), err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    func_row_comparator_free(cmp);
    array_sorted_free(&hay);
    array_sorted_free(&needles);
    return st;
}

static qv_status has_all_invoke(ARRAY_INVOKE_ARGS)
{
    return has_set(true, ctx, n_args, args, n_rows, return_type, out, err);
}

static qv_status has_any_invoke(ARRAY_INVOKE_ARGS)
{
    return has_set(false, ctx, n_args, args, n_rows, return_type, out, err);
}

/* ---- array_position / array_positions ---- */

static qv_status position_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(return_type);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    array_list l;
    array_list_init(&l, &args[0]);
    const func_datum *needle = &args[1];
    func_row_comparator *cmp = NULL;
    QV_TRY(items_comparator(&l, &cmp, err));
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_UINT64), &b, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t from = 1;
        if (!array_list_valid(&l, i) || (n_args == 3 && !array_int_at(&args[2], i, &from))) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        int64_t start, len, e = needle->is_scalar ? 0 : i;
        array_list_range(&l, i, &start, &len);
        if (from < 1 || from - 1 > len) {
            st = base_error_set(err, QV_ERROR, "Internal error: start_from index out of bounds");
            break;
        }
        int64_t found = -1;
        for (int64_t k = from - 1; k < len && found < 0; k++) {
            if (array_compare(cmp, l.values, start + k, needle->array, e) == 0)
                found = k + 1;
        }
        st = found < 0 ? arrow_builder_append_null(b, err)
                       : arrow_builder_append_uint(b, (uint64_t)found, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    func_row_comparator_free(cmp);
    return st;
}

static qv_status positions_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    array_list l;
    array_list_init(&l, &args[0]);
    const func_datum *needle = &args[1];
    func_row_comparator *cmp = NULL;
    QV_TRY(items_comparator(&l, &cmp, err));
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(return_type, &b, err);
    arrow_builder *items = st == QV_OK ? arrow_builder_child(b, 0) : NULL;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        bool valid = array_list_valid(&l, i);
        int64_t start, len, e = needle->is_scalar ? 0 : i;
        array_list_range(&l, i, &start, &len);
        for (int64_t k = 0; valid && k < len && st == QV_OK; k++) {
            if (array_compare(cmp, l.values, start + k, needle->array, e) == 0)
                st = arrow_builder_append_uint(items, (uint64_t)(k + 1), err);
        }
        if (st == QV_OK)
            st = arrow_builder_end_list(b, valid, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    func_row_comparator_free(cmp);
    return st;
}

/* ---- array_remove / array_replace ---- */

/* Gathers each row with its first `max` items (every one with `all`; none
 * when max <= 0) equal to the needle removed, or replaced by the
 * replacement's row. */
typedef struct edit_spec {
    const func_datum *needle;
    const func_datum *replacement; /* NULL: remove */
    const func_datum *max;         /* NULL: 1 (remove_n / replace_n: the argument) */
    bool all;
    bool null_needle_gives_null; /* array_remove(list, NULL) is NULL */
} edit_spec;

static qv_status edit_lists(const edit_spec *spec, int n_args, const func_datum *args,
                            int64_t n_rows, arrow_type *return_type, func_datum *out, qv_error *err)
{
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    if (return_type->id == QV_TYPE_NULL)
        return array_null_result(return_type, n, all_scalar, out, err);
    array_list l;
    array_list_init(&l, &args[0]);
    arrow_array *parts[2] = {l.values, spec->replacement ? spec->replacement->array : NULL};
    int64_t bases[2] = {0, 0};
    arrow_array *source = NULL;
    QV_TRY(array_concat_parts(spec->replacement ? 2 : 1, parts, bases, &source, err));
    func_row_comparator *cmp = NULL;
    array_out o;
    qv_status st = array_comparator_new(l.values->type, &cmp, err);
    if (st == QV_OK)
        st = array_out_begin(&o, n, err);
    if (st != QV_OK) {
        func_row_comparator_free(cmp);
        arrow_array_release(source);
        return st;
    }
    const func_datum *needle = spec->needle;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t max = 1;
        bool valid = array_list_valid(&l, i) &&
                     (spec->max == NULL || array_int_at(spec->max, i, &max)) &&
                     !(spec->null_needle_gives_null && !func_valid_at(needle, i));
        int64_t start, len, e = needle->is_scalar ? 0 : i;
        array_list_range(&l, i, &start, &len);
        int64_t edits = 0;
        for (int64_t k = start; valid && k < start + len && st == QV_OK; k++) {
            bool match = (spec->all || edits < max) &&
                         array_compare(cmp, l.values, k, needle->array, e) == 0;
            edits += match;
            if (!match)
                st = array_out_push(&o, k, err);
            else if (spec->replacement != NULL)
                st = array_out_push(&o, bases[1] + (spec->replacement->is_scalar ? 0 : i), err);
        }
        if (st == QV_OK)
            st = array_out_end_row(&o, valid, err);
    }
    st = array_out_close(st, &o, return_type, source, all_scalar, out, err);
    func_row_comparator_free(cmp);
    arrow_array_release(source);
    return st;
}

static qv_status remove_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    edit_spec spec = {&args[1], NULL, NULL, false, true};
    return edit_lists(&spec, n_args, args, n_rows, return_type, out, err);
}

static qv_status remove_n_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    edit_spec spec = {&args[1], NULL, &args[2], false, true};
    return edit_lists(&spec, n_args, args, n_rows, return_type, out, err);
}

static qv_status remove_all_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    edit_spec spec = {&args[1], NULL, NULL, true, true};
    return edit_lists(&spec, n_args, args, n_rows, return_type, out, err);
}

static qv_status replace_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    edit_spec spec = {&args[1], &args[2], NULL, false, false};
    return edit_lists(&spec, n_args, args, n_rows, return_type, out, err);
}

static qv_status replace_n_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    edit_spec spec = {&args[1], &args[2], &args[3], false, false};
    return edit_lists(&spec, n_args, args, n_rows, return_type, out, err);
}

static qv_status replace_all_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    edit_spec spec = {&args[1], &args[2], NULL, true, false};
    return edit_lists(&spec, n_args, args, n_rows, return_type, out, err);
}

/* ---- the table ---- */

static const char *const a_has[] = {"list_has", "array_contains", "list_contains", NULL};
static const char *const a_has_all[] = {"list_has_all", NULL};
static const char *const a_has_any[] = {"list_has_any", "arrays_overlap", NULL};
static const char *const a_position[] = {"list_position", "array_indexof", "list_indexof", NULL};
static const char *const a_positions[] = {"list_positions", NULL};
static const char *const a_remove[] = {"list_remove", NULL};
static const char *const a_remove_n[] = {"list_remove_n", NULL};
static const char *const a_remove_all[] = {"list_remove_all", NULL};
static const char *const a_replace[] = {"list_replace", NULL};
static const char *const a_replace_n[] = {"list_replace_n", NULL};
static const char *const a_replace_all[] = {"list_replace_all", NULL};
static const char *const p_has[] = {"array", "element", NULL};
static const char *const p_has_set[] = {"array", "sub-array", NULL};
static const char *const p_position[] = {"array", "element", "index", NULL};
static const char *const p_remove_n[] = {"array", "element", "max", NULL};
static const char *const p_replace[] = {"array", "from", "to", NULL};
static const char *const p_replace_n[] = {"array", "from", "to", "max", NULL};

const func_entry func_array_search_entries[] = {
    ARRAY_ENTRY("array_has", a_has, "Returns true if the array contains the element.", p_has,
                array_rt_boolean, has_invoke, coerce_has),
    ARRAY_ENTRY("array_has_all", a_has_all,
                "Returns true if all elements of sub-array exist in array.", p_has_set,
                array_rt_boolean, has_all_invoke, coerce_has_all),
    ARRAY_ENTRY("array_has_any", a_has_any, "Returns true if any elements exist in both arrays.",
                p_has_set, array_rt_boolean, has_any_invoke, coerce_has_any),
    ARRAY_ENTRY("array_position", a_position,
                "Returns the position of the first occurrence of the specified element in the "
                "array, or NULL if not found.",
                p_position, array_rt_uint64, position_invoke, coerce_position),
    ARRAY_ENTRY("array_positions", a_positions,
                "Searches for an element in the array, returns all occurrences.", p_has,
                rt_positions, positions_invoke, coerce_positions),
    ARRAY_ENTRY("array_remove", a_remove,
                "Removes the first element from the array equal to the given value.", p_has,
                array_rt_first, remove_invoke, coerce_remove),
    ARRAY_ENTRY("array_remove_n", a_remove_n,
                "Removes the first `max` elements from the array equal to the given value.",
                p_remove_n, array_rt_first, remove_n_invoke, coerce_remove_n),
    ARRAY_ENTRY("array_remove_all", a_remove_all,
                "Removes all elements from the array equal to the given value.", p_has,
                array_rt_first, remove_all_invoke, coerce_remove_all),
    ARRAY_ENTRY("array_replace", a_replace,
                "Replaces the first occurrence of the specified element with another specified "
                "element.",
                p_replace, array_rt_first, replace_invoke, coerce_replace),
    ARRAY_ENTRY("array_replace_n", a_replace_n,
                "Replaces the first `max` occurrences of the specified element with another "
                "specified element.",
                p_replace_n, array_rt_first, replace_n_invoke, coerce_replace_n),
    ARRAY_ENTRY("array_replace_all", a_replace_all,
                "Replaces all occurrences of the specified element with another specified "
                "element.",
                p_replace, array_rt_first, replace_all_invoke, coerce_replace_all),
};
const int32_t func_array_search_entry_count =
    (int32_t)(sizeof func_array_search_entries / sizeof func_array_search_entries[0]);
