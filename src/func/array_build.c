/*
 * array_build.c — array functions that build lists from lists and elements
 * (layer: func): array_append, array_prepend, array_concat, array_repeat,
 * array_resize, array_pop_front, array_pop_back, array_reverse, array_compact,
 * flatten.
 * Each result is gathered from its sources (list items, elements) with one
 * take (see array_out in array_int.h).
 */
#include "func/array_int.h"

static const char *const p_array_element[] = {"array", "element", NULL};
static const char *const p_element_array[] = {"element", "array", NULL};
static const char *const p_array[] = {"array", NULL};

/* ---- array_append / array_prepend ---- */

static const array_form f_array_element[] = {ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_ELEMENT)};
static const array_form f_element_array[] = {ARRAY_FORM(ARRAY_ARG_ELEMENT, ARRAY_ARG_ARRAY)};

static qv_status coerce_append(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_append", 1, f_array_element, n_args, types, targets, err);
}

static qv_status coerce_prepend(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_prepend", 1, f_element_array, n_args, types, targets,
                              err);
}

/* The list type of a (list, element) pair: the list's, or a List of the
 * element when the list argument is the Null type. */
static qv_status rt_list_of_pair(arrow_type *list, arrow_type *element, arrow_type **out,
                                 qv_error *err)
{
    if (list->id == QV_TYPE_NULL)
        return arrow_type_list_of(QV_TYPE_LIST, element, out, err);
    arrow_type *one[1] = {list};
    return array_rt_first(1, one, out, err);
}

static qv_status rt_append(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(n_args);
    return rt_list_of_pair(types[0], types[1], out, err);
}

static qv_status rt_prepend(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(n_args);
    return rt_list_of_pair(types[1], types[0], out, err);
}

/* The list's items (whatever its validity) with the element after (append)
 * or before them; never null. */
static qv_status append_element(bool append, const func_datum *list_arg, const func_datum *element,
                                int64_t n_rows, arrow_type *return_type, func_datum *out,
                                qv_error *err)
{
    func_datum pair[2] = {*list_arg, *element};
    bool all_scalar;
    int64_t n = func_out_rows(2, pair, n_rows, &all_scalar);
    array_list l;
    array_list_init(&l, list_arg);
    arrow_array *parts[2];
    int32_t n_parts = 0;
    if (l.values != NULL)
        parts[n_parts++] = l.values;
    parts[n_parts++] = element->array;
    int64_t bases[2];
    arrow_array *source = NULL;
    QV_TRY(array_concat_parts(n_parts, parts, bases, &source, err));
    int64_t element_base = bases[n_parts - 1];
    array_out o;
    qv_status st = array_out_begin(&o, n, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t start, len;
        array_list_range(&l, i, &start, &len);
        int64_t e = element_base + (element->is_scalar ? 0 : i);
        if (!append)
            st = array_out_push(&o, e, err);
        if (st == QV_OK)
            st = array_out_push_range(&o, bases[0] + start, len, err);
        if (st == QV_OK && append)
            st = array_out_push(&o, e, err);
        if (st == QV_OK)
            st = array_out_end_row(&o, true, err);
    }
    st = array_out_close(st, &o, return_type, source, all_scalar, out, err);
    arrow_array_release(source);
    return st;
}

static qv_status append_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    return append_element(true, &args[0], &args[1], n_rows, return_type, out, err);
}

static qv_status prepend_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    return append_element(false, &args[1], &args[0], n_rows, return_type, out, err);
}

/* ---- array_concat ----
 * Arguments of fewer dimensions than the deepest are wrapped (each row
 * becomes one element) until they are items of the result; a row is null
 * only when every argument is null there. */

/* The list type `depth` levels inside t (borrowed). */
static arrow_type *type_at_depth(arrow_type *t, int32_t depth)
{
    for (int32_t k = 0; k < depth; k++)
        t = array_item_type(t);
    return t;
}

static qv_status concat_type_error(const arrow_type *t, qv_error *err)
{
    char name[128];
    func_type_name(t, name, sizeof name);
    return base_error_set(err, QV_PLAN,
                          "Error during planning: Execution error: Function 'array_concat' "
                          "user-defined coercion failed with: Error during planning: "
                          "array_concat does not support type %s",
                          name);
}

static qv_status coerce_concat(ARRAY_COERCE_ARGS)
{
    if (n_args == 0)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: 'array_concat' does not support zero "
                              "arguments");
    arrow_type *base = arrow_type_primitive(QV_TYPE_NULL);
    int32_t max_dims = 0;
    int deepest = -1;
    bool large = false;
    qv_status st = QV_OK;
    for (int i = 0; i < n_args && st == QV_OK; i++) {
        if (types[i]->id == QV_TYPE_NULL)
            continue;
        if (!array_is_list_id(types[i]->id)) {
            st = concat_type_error(types[i], err);
            break;
        }
        arrow_type *next = NULL;
        st = svc->comparison(base, array_base_type(types[i]), &next, err);
        if (st != QV_OK)
            break;
        arrow_type_release(base);
        base = next;
        int32_t dims = array_ndims(types[i]);
        if (dims > max_dims) {
            max_dims = dims;
            deepest = i;
            large = false;
        }
        if (dims == max_dims && types[i]->id == QV_TYPE_LARGE_LIST)
            large = true;
    }
    arrow_type *result = NULL;
    if (st == QV_OK && deepest >= 0)
        st = array_rebase(types[deepest], base, large ? QV_TYPE_LARGE_LIST : QV_TYPE_LIST, &result,
                          err);
    arrow_type_release(base);
    for (int i = 0; i < n_args && st == QV_OK && result != NULL; i++) {
        int32_t dims = types[i]->id == QV_TYPE_NULL ? max_dims : array_ndims(types[i]);
        arrow_type *want = arrow_type_retain(type_at_depth(result, max_dims - dims));
        array_set_target(targets, i, types, want);
    }
    arrow_type_release(result);
    if (st == QV_NOT_FOUND)
        return array_coerce_failed("array_concat", 0, NULL, n_args, types, err);
    return st;
}

static qv_status rt_concat(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(err);
    arrow_type *best = types[0];
    for (int i = 1; i < n_args; i++) {
        if (array_ndims(types[i]) > array_ndims(best))
            best = types[i];
    }
    *out = arrow_type_retain(best);
    return QV_OK;
}

/* a as the items of a list of type list_type: row i holds a[i]. */
static qv_status wrap_rows(arrow_array *a, arrow_type *list_type, arrow_array **out, qv_error *err)
{
    bool large = list_type->id == QV_TYPE_LARGE_LIST;
    int64_t n = a->length;
    arrow_buffer *offsets = NULL;
    QV_TRY(arrow_buffer_new((n + 1) * (large ? 8 : 4), &offsets, err));
    for (int64_t i = 0; i <= n; i++) {
        if (large)
            ((int64_t *)offsets->data)[i] = i;
        else
            ((int32_t *)offsets->data)[i] = (int32_t)i;
    }
    arrow_buffer *buffers[2] = {NULL, offsets};
    qv_status st = arrow_array_new(list_type, n, 0, 0, 2, buffers, 1, &a, NULL, out, err);
    arrow_buffer_release(offsets);
    return st;
}

/* One argument of array_concat as a gather source: its items (an argument
 * of the result's dimensions) or its rows wrapped to item depth. */
typedef struct concat_arg {
    array_list list;      /* full-depth arguments */
    arrow_array *wrapped; /* shallower arguments: one item per row (owned) */
    bool scalar;
    bool skip; /* Null-typed argument */
} concat_arg;

static qv_status concat_prepare(const func_datum *d, arrow_type *result, int32_t max_dims,
                                concat_arg *c, qv_error *err)
{
    memset(c, 0, sizeof *c);
    c->scalar = d->is_scalar;
    if (d->array->type->id == QV_TYPE_NULL) {
        c->skip = true;
        return QV_OK;
    }
    int32_t dims = array_ndims(d->array->type);
    if (dims == max_dims) {
        array_list_init(&c->list, d);
        return QV_OK;
    }
    arrow_array *cur = arrow_array_retain(d->array);
    for (int32_t depth = max_dims - dims - 1; depth >= 1; depth--) {
        arrow_array *next = NULL;
        qv_status st = wrap_rows(cur, type_at_depth(result, depth), &next, err);
        arrow_array_release(cur);
        if (st != QV_OK)
            return st;
        cur = next;
    }
    c->wrapped = cur;
    return QV_OK;
}

static qv_status concat_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    if (return_type->id == QV_TYPE_NULL)
        return array_null_result(return_type, n, all_scalar, out, err);
    int32_t max_dims = array_ndims(return_type);
    concat_arg *cargs = base_calloc((size_t)n_args, sizeof *cargs);
    arrow_array **parts = base_calloc((size_t)n_args, sizeof *parts);
    int64_t *bases = base_calloc((size_t)n_args, sizeof *bases);
    int *part_of = base_calloc((size_t)n_args, sizeof *part_of);
    qv_status st = QV_OK;
    if (cargs == NULL || parts == NULL || bases == NULL || part_of == NULL)
        st = base_error_nomem(err, "array_concat");
    int32_t n_parts = 0;
    for (int k = 0; k < n_args && st == QV_OK; k++) {
        st = concat_prepare(&args[k], return_type, max_dims, &cargs[k], err);
        if (st != QV_OK || cargs[k].skip)
            continue;
        part_of[k] = n_parts;
        parts[n_parts++] = cargs[k].wrapped ? cargs[k].wrapped : cargs[k].list.values;
    }
    arrow_array *source = NULL;
    if (st == QV_OK && n_parts > 0)
        st = array_concat_parts(n_parts, parts, bases, &source, err);
    array_out o;
    bool began = false;
    if (st == QV_OK && source != NULL) {
        st = array_out_begin(&o, n, err);
        began = st == QV_OK;
    }
    for (int64_t i = 0; i < n && began && st == QV_OK; i++) {
        bool any_valid = false;
        for (int k = 0; k < n_args && st == QV_OK; k++) {
            const concat_arg *c = &cargs[k];
            if (c->skip)
                continue;
            int64_t base = bases[part_of[k]];
            if (c->wrapped != NULL) {
                any_valid = true;
                st = array_out_push(&o, base + (c->scalar ? 0 : i), err);
                continue;
            }
            int64_t start, len;
            any_valid = any_valid || array_list_valid(&c->list, i);
            array_list_range(&c->list, i, &start, &len);
            st = array_out_push_range(&o, base + start, len, err);
        }
        if (st == QV_OK)
            st = array_out_end_row(&o, any_valid, err);
    }
    if (st == QV_OK && source == NULL)
        st = array_null_result(return_type, n, all_scalar, out, err);
    else if (st == QV_OK)
        st = array_out_finish(&o, return_type, source, all_scalar, out, err);
    else if (began)
        array_out_free(&o);
    for (int k = 0; cargs != NULL && k < n_args; k++)
        arrow_array_release(cargs[k].wrapped);
    arrow_array_release(source);
    base_free(cargs);
    base_free(parts);
    base_free(bases);
    base_free(part_of);
    return st;
}

/* ---- array_repeat ---- */

static qv_status coerce_repeat(ARRAY_COERCE_ARGS)
{
    ARRAY_UNUSED(svc);
    if (n_args != 2 || (types[1]->id != QV_TYPE_NULL && !arrow_type_is_integer(types[1]->id)))
        return array_coerce_failed("array_repeat", 0, NULL, n_args, types, err);
    array_set_target(targets, 1, types, arrow_type_primitive(QV_TYPE_INT64));
    return QV_OK;
}

static qv_status rt_repeat(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(n_args);
    return arrow_type_list_of(QV_TYPE_LIST, types[0], out, err);
}

static qv_status repeat_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    array_out o;
    QV_TRY(array_out_begin(&o, n, err));
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t count;
        bool valid = array_int_at(&args[1], i, &count);
        int64_t e = args[0].is_scalar ? 0 : i;
        if (valid && count > 0)
            st = array_out_grow(&o, count, err);
        for (int64_t k = 0; valid && k < count && st == QV_OK; k++)
            st = array_out_push(&o, e, err);
        if (st == QV_OK)
            st = array_out_end_row(&o, valid, err);
    }
    return array_out_close(st, &o, return_type, args[0].array, all_scalar, out, err);
}

/* ---- array_resize ---- */

static const array_form f_resize[] = {
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_INDEX),
    ARRAY_FORM(ARRAY_ARG_ARRAY, ARRAY_ARG_INDEX, ARRAY_ARG_ELEMENT)};

static qv_status coerce_resize(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "array_resize", 2, f_resize, n_args, types, targets, err);
}

/* The first min(len, size) items, then the fill value (or nulls) up to
 * size; null when the list or the size is null. */
static qv_status resize_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    if (return_type->id == QV_TYPE_NULL)
        return array_null_result(return_type, n, all_scalar, out, err);
    array_list l;
    array_list_init(&l, &args[0]);
    const func_datum *fill = n_args == 3 ? &args[2] : NULL;
    arrow_array *parts[2];
    int32_t n_parts = 0;
    if (l.values != NULL)
        parts[n_parts++] = l.values;
    if (fill != NULL)
        parts[n_parts++] = fill->array;
    int64_t bases[2] = {0, 0};
    arrow_array *source = NULL;
    if (n_parts > 0)
        QV_TRY(array_concat_parts(n_parts, parts, bases, &source, err));
    else
        QV_TRY(arrow_array_new_null(array_item_type(return_type), 0, &source, err));
    array_out o;
    qv_status st = array_out_begin(&o, n, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t size;
        bool valid = array_list_valid(&l, i) && array_int_at(&args[1], i, &size);
        if (valid && size < 0) {
            st = base_error_set(err, QV_ERROR,
                                "Internal error: array_resize: failed to convert size to usize");
            break;
        }
        if (valid) {
            int64_t start, len;
            array_list_range(&l, i, &start, &len);
            int64_t keep = len < size ? len : size;
            st = array_out_push_range(&o, start, keep, err);
            int64_t f = fill != NULL ? bases[n_parts - 1] + (fill->is_scalar ? 0 : i) : -1;
            if (st == QV_OK && size > keep)
                st = array_out_grow(&o, size - keep, err);
            for (int64_t k = keep; k < size && st == QV_OK; k++)
                st = array_out_push(&o, f, err);
        }
        if (st == QV_OK)
            st = array_out_end_row(&o, valid, err);
    }
    st = array_out_close(st, &o, return_type, source, all_scalar, out, err);
    arrow_array_release(source);
    return st;
}

/* ---- array_pop_front, array_pop_back, array_reverse, array_compact ---- */

static const array_form f_array[] = {ARRAY_FORM(ARRAY_ARG_ARRAY)};

typedef enum reshape_op { POP_FRONT, POP_BACK, REVERSE, COMPACT } reshape_op;

static qv_status reshape(reshape_op op, const func_datum *arg, int64_t n_rows,
                         arrow_type *return_type, func_datum *out, qv_error *err)
{
    bool all_scalar = arg->is_scalar;
    int64_t n = all_scalar ? 1 : n_rows;
    if (return_type->id == QV_TYPE_NULL)
        return array_null_result(return_type, n, all_scalar, out, err);
    array_list l;
    array_list_init(&l, arg);
    array_out o;
    QV_TRY(array_out_begin(&o, n, err));
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        bool valid = array_list_valid(&l, i);
        int64_t start, len;
        array_list_range(&l, i, &start, &len);
        if (valid && op == REVERSE) {
            st = array_out_grow(&o, len, err);
            for (int64_t k = len - 1; k >= 0 && st == QV_OK; k--)
                st = array_out_push(&o, start + k, err);
        } else if (valid && op == COMPACT) {
            for (int64_t k = start; k < start + len && st == QV_OK; k++) {
                if (arrow_array_is_valid(l.values, k))
                    st = array_out_push(&o, k, err);
            }
        } else if (valid && len > 0) {
            st = array_out_push_range(&o, op == POP_FRONT ? start + 1 : start, len - 1, err);
        }
        if (st == QV_OK)
            st = array_out_end_row(&o, valid, err);
    }
    return array_out_close(st, &o, return_type, l.values, all_scalar, out, err);
}

#define RESHAPE_FUNCTION(FN, NAME, OP)                                                             \
    static qv_status FN##_coerce(ARRAY_COERCE_ARGS)                                                \
    {                                                                                              \
        return array_coerce_forms(svc, NAME, 1, f_array, n_args, types, targets, err);             \
    }                                                                                              \
    static qv_status FN##_invoke(ARRAY_INVOKE_ARGS)                                                \
    {                                                                                              \
        ARRAY_UNUSED(ctx);                                                                         \
        ARRAY_UNUSED(n_args);                                                                      \
        return reshape(OP, &args[0], n_rows, return_type, out, err);                               \
    }

RESHAPE_FUNCTION(pop_front, "array_pop_front", POP_FRONT)
RESHAPE_FUNCTION(pop_back, "array_pop_back", POP_BACK)
RESHAPE_FUNCTION(reverse, "array_reverse", REVERSE)
RESHAPE_FUNCTION(compact, "array_compact", COMPACT)

/* ---- flatten ---- */

static qv_status coerce_flatten(ARRAY_COERCE_ARGS)
{
    return array_coerce_forms(svc, "flatten", 1, f_array, n_args, types, targets, err);
}

/* One level: List(List(T)) -> List(T); LargeList when either level is. A
 * list of non-lists is returned as it is. */
static qv_status rt_flatten(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    arrow_type *t = types[0];
    if (t->id == QV_TYPE_NULL || !array_is_list_id(array_item_type(t)->id))
        return array_rt_first(n_args, types, out, err);
    arrow_type *inner = array_item_type(t);
    bool large = t->id == QV_TYPE_LARGE_LIST || inner->id == QV_TYPE_LARGE_LIST;
    return arrow_type_list_of(large ? QV_TYPE_LARGE_LIST : QV_TYPE_LIST, array_item_type(inner),
                              out, err);
}

static qv_status flatten_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    const func_datum *arg = &args[0];
    bool all_scalar = arg->is_scalar;
    int64_t n = all_scalar ? 1 : n_rows;
    if (return_type->id == QV_TYPE_NULL)
        return array_null_result(return_type, n, all_scalar, out, err);
    if (!array_is_list_id(array_item_type(arg->array->type)->id)) {
        /* Already flat: the argument itself (a List or LargeList after coercion). */
        func_set_result(out, arrow_array_retain(arg->array), all_scalar);
        return QV_OK;
    }
    array_list outer, inner;
    array_list_init(&outer, arg);
    func_datum items = {outer.values, false};
    array_list_init(&inner, &items);
    array_out o;
    QV_TRY(array_out_begin(&o, n, err));
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        bool valid = array_list_valid(&outer, i);
        int64_t start, len;
        array_list_range(&outer, i, &start, &len);
        for (int64_t k = 0; valid && k < len && st == QV_OK; k++) {
            int64_t s, m;
            if (!array_list_valid(&inner, start + k))
                continue;
            array_list_range(&inner, start + k, &s, &m);
            st = array_out_push_range(&o, s, m, err);
        }
        if (st == QV_OK)
            st = array_out_end_row(&o, valid, err);
    }
    return array_out_close(st, &o, return_type, inner.values, all_scalar, out, err);
}

/* ---- the table ---- */

static const char *const a_append[] = {"list_append", "array_push_back", "list_push_back", NULL};
static const char *const a_prepend[] = {"list_prepend", "array_push_front", "list_push_front",
                                        NULL};
static const char *const a_concat[] = {"array_cat", "list_concat", "list_cat", NULL};
static const char *const a_repeat[] = {"list_repeat", NULL};
static const char *const a_resize[] = {"list_resize", NULL};
static const char *const a_pop_front[] = {"list_pop_front", NULL};
static const char *const a_pop_back[] = {"list_pop_back", NULL};
static const char *const a_reverse[] = {"list_reverse", NULL};
static const char *const a_compact[] = {"list_compact", NULL};
static const char *const p_concat[] = {"array", "array_n", NULL};
static const char *const p_repeat[] = {"element", "count", NULL};
static const char *const p_resize[] = {"array", "size", "value", NULL};

const func_entry func_array_build_entries[] = {
    ARRAY_ENTRY("array_append", a_append, "Appends an element to the end of an array.",
                p_array_element, rt_append, append_invoke, coerce_append),
    ARRAY_ENTRY("array_prepend", a_prepend, "Prepends an element to the beginning of an array.",
                p_element_array, rt_prepend, prepend_invoke, coerce_prepend),
    ARRAY_ENTRY("array_concat", a_concat, "Concatenates arrays.", p_concat, rt_concat,
                concat_invoke, coerce_concat),
    ARRAY_ENTRY("array_repeat", a_repeat, "Returns an array containing element `count` times.",
                p_repeat, rt_repeat, repeat_invoke, coerce_repeat),
    ARRAY_ENTRY("array_resize", a_resize,
                "Resizes the list to contain size elements. Initializes new elements with value "
                "or empty if value is not set.",
                p_resize, array_rt_first, resize_invoke, coerce_resize),
    ARRAY_ENTRY("array_pop_front", a_pop_front, "Returns the array without the first element.",
                p_array, array_rt_first, pop_front_invoke, pop_front_coerce),
    ARRAY_ENTRY("array_pop_back", a_pop_back, "Returns the array without the last element.",
                p_array, array_rt_first, pop_back_invoke, pop_back_coerce),
    ARRAY_ENTRY("array_reverse", a_reverse,
                "Returns the array with the order of the elements "
                "reversed.",
                p_array, array_rt_first, reverse_invoke, reverse_coerce),
    ARRAY_ENTRY("array_compact", a_compact, "Removes null values from the array.", p_array,
                array_rt_first, compact_invoke, compact_coerce),
    ARRAY_ENTRY("flatten", NULL, "Converts an array of arrays to a flat array.", p_array,
                rt_flatten, flatten_invoke, coerce_flatten),
};
const int32_t func_array_build_entry_count =
    (int32_t)(sizeof func_array_build_entries / sizeof func_array_build_entries[0]);
