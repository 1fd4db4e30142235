/*
 * array_set.c — array functions that order or deduplicate list items
 * (layer: func): array_sort, array_distinct, array_union, array_intersect,
 * array_except. All rows are sorted at once (array_sorted.c); runs of
 * equal items are then walked per row. array_sort and array_distinct give
 * sorted results; the set functions keep first occurrences in their
 * original order, and treat -0.0 and +0.0 as one value (+0.0).
 */
#include <stdlib.h>
#include <strings.h>

#include "func/array_int.h"

static const array_form f_array[] = {ARRAY_FORM(ARRAY_ARG_ARRAY)};
static const array_form f_sort[] = {
    ARRAY_FORM(ARRAY_ARG_ARRAY), ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_STRING),
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_STRING, ARRAY_ARG_STRING)};
static const array_form f_two_arrays[] = {ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_ARRAY)};

ARRAY_COERCE_FORMS(coerce_sort, "array_sort", f_sort)
ARRAY_COERCE_FORMS(coerce_distinct, "array_distinct", f_array)
ARRAY_COERCE_FORMS(coerce_union, "array_union", f_two_arrays)
ARRAY_COERCE_FORMS(coerce_intersect, "array_intersect", f_two_arrays)
ARRAY_COERCE_FORMS(coerce_except, "array_except", f_two_arrays)

/* ---- array_sort / array_distinct ---- */

/* The text of a string datum's row 0 compared (ASCII case-insensitively)
 * with word; *valid is false when it is null. */
static bool word_is(const func_datum *d, const char *word, bool *valid)
{
    *valid = func_valid_at(d, 0);
    if (!*valid)
        return false;
    func_str s;
    func_str_init(&s, d);
    const uint8_t *p;
    int64_t len;
    func_str_at(&s, 0, &p, &len);
    return (size_t)len == strlen(word) && strncasecmp((const char *)p, word, (size_t)len) == 0;
}

/* The sort direction arguments (constants, as DataFusion reads their first
 * row); *null_result when one of them is null. */
static qv_status sort_options(int n_args, const func_datum *args, bool *descending,
                              bool *nulls_first, bool *null_result, qv_error *err)
{
    *descending = false;
    *nulls_first = true;
    *null_result = false;
    bool valid;
    if (n_args >= 2) {
        *descending = word_is(&args[1], "DESC", &valid);
        if (!valid) {
            *null_result = true;
            return QV_OK;
        }
        if (!*descending && !word_is(&args[1], "ASC", &valid))
            return base_error_set(err, QV_EXECUTION,
                                  "Execution error: the second parameter of array_sort expects "
                                  "DESC or ASC");
    }
    if (n_args >= 3) {
        *nulls_first = word_is(&args[2], "NULLS FIRST", &valid);
        if (!valid) {
            *null_result = true;
            return QV_OK;
        }
        if (!*nulls_first && !word_is(&args[2], "NULLS LAST", &valid))
            return base_error_set(err, QV_EXECUTION,
                                  "Execution error: the third parameter of array_sort expects "
                                  "NULLS FIRST or NULLS LAST");
    }
    return QV_OK;
}

/* Each row's items in sorted order, all of them (sort) or the first of
 * each run of equal items (distinct). */
static qv_status sorted_rows(const func_datum *list_arg, int64_t n_rows, bool descending,
                             bool nulls_first, bool distinct, arrow_type *return_type,
                             func_datum *out, qv_error *err)
{
    bool all_scalar = list_arg->is_scalar;
    int64_t n = all_scalar ? 1 : n_rows;
    if (return_type->id == QV_TYPE_NULL)
        return array_null_result(return_type, n, all_scalar, out, err);
    array_list l;
    array_list_init(&l, list_arg);
    array_sorted s;
    QV_TRY(array_sorted_build(&l, n, descending, nulls_first, false, &s, err));
    func_row_comparator *cmp = NULL;
    array_out o;
    qv_status st = array_comparator_new(s.items->type, &cmp, err);
    if (st == QV_OK)
        st = array_out_begin(&o, n, err);
    if (st != QV_OK) {
        func_row_comparator_free(cmp);
        array_sorted_free(&s);
        return st;
    }
    for (int64_t r = 0; r < n && st == QV_OK; r++) {
        for (int64_t p = s.row_start[r]; p < s.row_start[r + 1] && st == QV_OK; p++) {
            if (distinct && p > s.row_start[r] &&
                array_compare(cmp, s.items, s.order[p - 1], s.items, s.order[p]) == 0)
                continue;
            st = array_out_push(&o, s.order[p], err);
        }
        if (st == QV_OK)
            st = array_out_end_row(&o, s.valid[r], err);
    }
    st = array_out_close(st, &o, return_type, s.items, all_scalar, out, err);
    func_row_comparator_free(cmp);
    array_sorted_free(&s);
    return st;
}

static qv_status sort_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool descending, nulls_first, null_result;
    QV_TRY(sort_options(n_args, args, &descending, &nulls_first, &null_result, err));
    if (null_result) {
        bool all_scalar;
        int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
        return array_null_result(return_type, n, all_scalar, out, err);
    }
    return sorted_rows(&args[0], n_rows, descending, nulls_first, false, return_type, out, err);
}

static qv_status distinct_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    return sorted_rows(&args[0], n_rows, false, true, true, return_type, out, err);
}

/* ---- array_union / array_intersect / array_except ---- */

typedef enum set_op { SET_UNION, SET_INTERSECT, SET_EXCEPT } set_op;

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Pushes (base + position of) the first item of every run of equal items
 * of row ra of a that passes the op's test against row rb of b: found
 * there (SET_INTERSECT), not found (SET_EXCEPT), or always (SET_UNION). */
static qv_status keep_runs(set_op op, const func_row_comparator *cmp, const array_sorted *a,
                           int64_t ra, const array_sorted *b, int64_t rb, int64_t base,
                           array_out *o, qv_error *err)
{
    int64_t q = op == SET_UNION ? 0 : b->row_start[rb];
    int64_t q_end = op == SET_UNION ? 0 : b->row_start[rb + 1];
    int64_t p_end = a->row_start[ra + 1];
    for (int64_t p = a->row_start[ra]; p < p_end;) {
        uint32_t first = a->order[p];
        int64_t run_end = p + 1;
        while (run_end < p_end &&
               array_compare(cmp, a->items, first, a->items, a->order[run_end]) == 0)
            run_end++;
        int c = 1;
        while (q < q_end && (c = array_compare(cmp, b->items, b->order[q], a->items, first)) < 0)
            q++;
        bool in_b = q < q_end && c == 0;
        bool keep = op == SET_UNION || (op == SET_INTERSECT ? in_b : !in_b);
        if (keep)
            QV_TRY(array_out_push(o, base + first, err));
        p = run_end;
    }
    return QV_OK;
}

static qv_status set_invoke(set_op op, const func_datum *args, int64_t n_rows,
                            arrow_type *return_type, func_datum *out, qv_error *err)
{
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    if (return_type->id == QV_TYPE_NULL)
        return array_null_result(return_type, n, all_scalar, out, err);
    array_list la, lb;
    array_list_init(&la, &args[0]);
    array_list_init(&lb, &args[1]);
    array_sorted a, b;
    QV_TRY(array_sorted_build(&la, n, false, true, true, &a, err));
    qv_status st = array_sorted_build(&lb, n, false, true, true, &b, err);
    if (st != QV_OK) {
        array_sorted_free(&a);
        return st;
    }
    if (a.items == NULL || b.items == NULL) {
        /* A Null-typed argument (beside a list of Null items): null rows. */
        array_sorted_free(&a);
        array_sorted_free(&b);
        return array_null_result(return_type, n, all_scalar, out, err);
    }
    arrow_array *parts[2] = {a.items, b.items};
    int64_t bases[2];
    arrow_array *source = NULL;
    func_row_comparator *cmp = NULL;
    array_out o;
    bool began = false;
    st = array_concat_parts(2, parts, bases, &source, err);
    if (st == QV_OK)
        st = array_comparator_new(source->type, &cmp, err);
    if (st == QV_OK) {
        st = array_out_begin(&o, n, err);
        began = st == QV_OK;
    }
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t ra = array_sorted_row(&a, i), rb = array_sorted_row(&b, i);
        bool valid = a.valid[ra] && b.valid[rb];
        int64_t row_begin = o.n_indices;
        if (valid && op == SET_UNION) {
            st = keep_runs(SET_UNION, cmp, &a, ra, NULL, 0, bases[0], &o, err);
            if (st == QV_OK)
                st = keep_runs(SET_EXCEPT, cmp, &b, rb, &a, ra, bases[1], &o, err);
        } else if (valid) {
            st = keep_runs(op, cmp, &a, ra, &b, rb, bases[0], &o, err);
        }
        /* First occurrences in their original order (a's before b's). */
        if (st == QV_OK && o.n_indices - row_begin > 1)
            qsort(o.indices + row_begin, (size_t)(o.n_indices - row_begin), sizeof *o.indices,
                  compare_u32);
        if (st == QV_OK)
            st = array_out_end_row(&o, valid, err);
    }
    if (st == QV_OK)
        st = array_out_finish(&o, return_type, source, all_scalar, out, err);
    else if (began)
        array_out_free(&o);
    func_row_comparator_free(cmp);
    arrow_array_release(source);
    array_sorted_free(&a);
    array_sorted_free(&b);
    return st;
}

static qv_status union_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    return set_invoke(SET_UNION, args, n_rows, return_type, out, err);
}

static qv_status intersect_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    return set_invoke(SET_INTERSECT, args, n_rows, return_type, out, err);
}

static qv_status except_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    return set_invoke(SET_EXCEPT, args, n_rows, return_type, out, err);
}

/* ---- the table ---- */

static const char *const a_sort[] = {"list_sort", NULL};
static const char *const a_distinct[] = {"list_distinct", NULL};
static const char *const a_union[] = {"list_union", NULL};
static const char *const a_intersect[] = {"list_intersect", NULL};
static const char *const a_except[] = {"list_except", NULL};
static const char *const p_sort[] = {"array", "desc", "nulls_first", NULL};
static const char *const p_array[] = {"array", NULL};
static const char *const p_two[] = {"array1", "array2", NULL};

const func_entry func_array_set_entries[] = {
    ARRAY_ENTRY("array_sort", a_sort, "Sort array.", p_sort, array_rt_first, sort_invoke,
                coerce_sort),
    ARRAY_ENTRY("array_distinct", a_distinct,
                "Returns distinct values from the array after removing duplicates.", p_array,
                array_rt_first, distinct_invoke, coerce_distinct),
    ARRAY_ENTRY("array_union", a_union,
                "Returns an array of elements that are present in both arrays (all elements "
                "from both arrays) without duplicates.",
                p_two, array_rt_first, union_invoke, coerce_union),
    ARRAY_ENTRY("array_intersect", a_intersect,
                "Returns an array of elements in the intersection of array1 and array2.", p_two,
                array_rt_first, intersect_invoke, coerce_intersect),
    ARRAY_ENTRY("array_except", a_except,
                "Returns an array of the elements that appear in the first array but not in the "
                "second.",
                p_two, array_rt_first, except_invoke, coerce_except),
};
const int32_t func_array_set_entry_count =
    (int32_t)(sizeof func_array_set_entries / sizeof func_array_set_entries[0]);
