/*
 * cast_nested.c — CAST to and from nested types (layer: func): between
 * List, LargeList and FixedSizeList (items cast recursively; a list of the
 * wrong length for a FixedSizeList is an error, or NULL for TRY_CAST),
 * any value to a list (a one-item list, as arrow-rs), struct to struct
 * (fields matched by name, missing ones NULL; by position when no name
 * matches and the counts agree), and map to map. Nested values to strings
 * go through cast.c's formatting path.
 */
#include "func/array_int.h"

static bool is_list_id(arrow_type_id id)
{
    return id == QV_TYPE_LIST || id == QV_TYPE_LARGE_LIST || id == QV_TYPE_FIXED_SIZE_LIST;
}

static bool is_nested_id(arrow_type_id id)
{
    return is_list_id(id) || id == QV_TYPE_STRUCT || id == QV_TYPE_MAP;
}

bool func_cast_nested_handles(const arrow_type *from, const arrow_type *to)
{
    return is_nested_id(from->id) || is_nested_id(to->id);
}

/* The source field target field t of a struct cast reads, or -1: by name,
 * or by position when by_name is false. */
static int32_t source_field(const arrow_type *from, const arrow_type *to, int32_t t, bool by_name)
{
    if (!by_name)
        return t;
    for (int32_t f = 0; f < from->n_children; f++)
        if (strcmp(from->children[f]->name, to->children[t]->name) == 0)
            return f;
    return -1;
}

/* Struct casts pair fields by name when at least one name matches. */
static bool struct_by_name(const arrow_type *from, const arrow_type *to)
{
    for (int32_t t = 0; t < to->n_children; t++)
        if (source_field(from, to, t, true) >= 0)
            return true;
    return false;
}

bool func_can_cast_nested(const arrow_type *from, const arrow_type *to)
{
    if (func_is_string_id(to->id))
        return is_nested_id(from->id);
    if (is_list_id(to->id)) {
        const arrow_type *item = array_item_type(to);
        if (is_list_id(from->id))
            return func_can_cast(array_item_type(from), item);
        return !is_nested_id(from->id) || from->id == QV_TYPE_STRUCT ? func_can_cast(from, item)
                                                                     : false;
    }
    if (from->id == QV_TYPE_STRUCT && to->id == QV_TYPE_STRUCT) {
        bool by_name = struct_by_name(from, to);
        if (!by_name && from->n_children != to->n_children)
            return false;
        for (int32_t t = 0; t < to->n_children; t++) {
            int32_t f = source_field(from, to, t, by_name);
            if (f >= 0 && !func_can_cast(from->children[f]->type, to->children[t]->type))
                return false;
        }
        return true;
    }
    if (from->id == QV_TYPE_MAP && to->id == QV_TYPE_MAP)
        return func_can_cast(from->children[0]->type, to->children[0]->type);
    return false;
}

/* The validity of a's rows as a new bitmap starting at bit 0 (NULL: no
 * row is null). */
static qv_status copy_validity(const arrow_array *a, arrow_buffer **out, qv_error *err)
{
    *out = NULL;
    if (a->buffers[0] == NULL || arrow_array_null_count((arrow_array *)a) == 0)
        return QV_OK;
    QV_TRY(func_bitmap_new(a->length, out, err));
    func_bits_copy((*out)->data, a->buffers[0]->data, a->offset, a->length);
    return QV_OK;
}

/* ---- lists ---- */

/* The rows of a list as gather indices into its items, with new offsets
 * (n + 1) and validity; rows of the wrong length for a fixed size
 * (fixed_size >= 0) fail, or become null when safe. */
typedef struct gathered {
    int64_t *offsets;
    uint32_t *indices;
    int64_t n_indices;
    arrow_buffer *validity;
} gathered;

static void gathered_free(gathered *g)
{
    base_free(g->offsets);
    base_free(g->indices);
    arrow_buffer_release(g->validity);
}

static qv_status gather_rows(const arrow_array *a, int32_t fixed_size, bool safe, gathered *g,
                             qv_error *err)
{
    memset(g, 0, sizeof *g);
    func_datum d = {(arrow_array *)a, false};
    array_list l;
    array_list_init(&l, &d);
    int64_t n = a->length, total = 0;
    for (int64_t r = 0; r < n; r++) {
        int64_t start, len;
        array_list_range(&l, r, &start, &len);
        total += fixed_size >= 0 ? fixed_size : len;
    }
    if (total >= (int64_t)UINT32_MAX)
        return base_error_set(err, QV_LIMIT, "Execution error: list cast of %lld items",
                              (long long)total);
    g->offsets = base_calloc((size_t)n + 1, sizeof *g->offsets);
    g->indices = base_alloc((size_t)(total > 0 ? total : 1) * sizeof *g->indices);
    if (g->offsets == NULL || g->indices == NULL)
        return base_error_nomem(err, "list cast");
    QV_TRY(copy_validity(a, &g->validity, err));
    for (int64_t r = 0; r < n; r++) {
        int64_t start, len;
        array_list_range(&l, r, &start, &len);
        bool valid = array_list_valid(&l, r);
        if (fixed_size >= 0 && len != fixed_size) {
            if (valid && !safe)
                return base_error_set(err, QV_CAST,
                                      "Arrow error: Cast error: Cannot cast to FixedSizeList(%d): "
                                      "value at index %lld has length %lld",
                                      (int)fixed_size, (long long)r, (long long)len);
            if (valid) {
                if (g->validity == NULL) {
                    QV_TRY(func_bitmap_new(n, &g->validity, err));
                    memset(g->validity->data, 0xFF, (size_t)(n + 7) / 8);
                }
                arrow_bit_set(g->validity->data, r, false);
            }
            for (int64_t k = 0; k < fixed_size; k++)
                g->indices[g->n_indices++] = UINT32_MAX;
        } else {
            for (int64_t k = 0; k < len; k++)
                g->indices[g->n_indices++] = (uint32_t)(start + k);
        }
        g->offsets[r + 1] = g->n_indices;
    }
    return QV_OK;
}

/* The offsets buffer of a List (int32) or LargeList (int64). */
static qv_status offsets_buffer(const int64_t *offsets, int64_t n, arrow_type_id id,
                                arrow_buffer **out, qv_error *err)
{
    if (id == QV_TYPE_LARGE_LIST)
        return arrow_buffer_copy(offsets, (n + 1) * 8, out, err);
    if (offsets[n] > INT32_MAX)
        return base_error_set(err, QV_LIMIT,
                              "Execution error: list too large for List offsets (%lld items)",
                              (long long)offsets[n]);
    QV_TRY(arrow_buffer_new((n + 1) * 4, out, err));
    int32_t *p = (int32_t *)(*out)->data;
    for (int64_t i = 0; i <= n; i++)
        p[i] = (int32_t)offsets[i];
    return QV_OK;
}

static qv_status cast_list(const arrow_array *a, arrow_type *to, bool safe, arrow_array **out,
                           qv_error *err)
{
    gathered g;
    arrow_array *taken = NULL;
    func_datum items = {0};
    arrow_buffer *offsets = NULL;
    int32_t fixed = to->id == QV_TYPE_FIXED_SIZE_LIST ? to->fixed_size : -1;
    qv_status st = gather_rows(a, fixed, safe, &g, err);
    if (st == QV_OK)
        st = func_take(a->children[0], g.indices, g.n_indices, &taken, err);
    if (st == QV_OK) {
        func_datum src = {taken, false}; /* borrowed */
        st = func_cast(&src, array_item_type(to), safe, taken->length, &items, err);
    }
    if (st == QV_OK && fixed < 0)
        st = offsets_buffer(g.offsets, a->length, to->id, &offsets, err);
    if (st == QV_OK) {
        arrow_buffer *buffers[2] = {g.validity, offsets};
        st = arrow_array_new(to, a->length, -1, 0, fixed < 0 ? 2 : 1, buffers, 1, &items.array,
                             NULL, out, err);
    }
    arrow_buffer_release(offsets);
    func_datum_release(&items);
    arrow_array_release(taken);
    gathered_free(&g);
    return st;
}

/* A value cast to a list of one item per row (arrow-rs's
 * cast_values_to_list). */
static qv_status wrap_in_list(const arrow_array *a, arrow_type *to, bool safe, arrow_array **out,
                              qv_error *err)
{
    if (to->id == QV_TYPE_FIXED_SIZE_LIST && to->fixed_size != 1) {
        char name[128];
        func_type_name(to, name, sizeof name);
        return base_error_set(err, QV_CAST,
                              "Arrow error: Cast error: Cannot cast to %s: the value is not a "
                              "list",
                              name);
    }
    func_datum src = {(arrow_array *)a, false}; /* borrowed */
    func_datum items = {0};
    QV_TRY(func_cast(&src, array_item_type(to), safe, a->length, &items, err));
    int64_t n = a->length;
    int64_t *positions = base_alloc((size_t)(n + 1) * sizeof *positions);
    arrow_buffer *offsets = NULL;
    qv_status st = positions ? QV_OK : base_error_nomem(err, "list cast");
    for (int64_t i = 0; i <= n && st == QV_OK; i++)
        positions[i] = i;
    if (st == QV_OK && to->id != QV_TYPE_FIXED_SIZE_LIST)
        st = offsets_buffer(positions, n, to->id, &offsets, err);
    if (st == QV_OK) {
        arrow_buffer *buffers[2] = {NULL, offsets};
        st = arrow_array_new(to, n, 0, 0, to->id == QV_TYPE_FIXED_SIZE_LIST ? 1 : 2, buffers, 1,
                             &items.array, NULL, out, err);
    }
    arrow_buffer_release(offsets);
    base_free(positions);
    func_datum_release(&items);
    return st;
}

/* ---- structs and maps ---- */

static qv_status cast_struct(const arrow_array *a, arrow_type *to, bool safe, arrow_array **out,
                             qv_error *err)
{
    int32_t n_fields = to->n_children;
    bool by_name = struct_by_name(a->type, to);
    arrow_array **children = base_calloc((size_t)(n_fields > 0 ? n_fields : 1), sizeof *children);
    arrow_buffer *validity = NULL;
    qv_status st =
        children ? copy_validity(a, &validity, err) : base_error_nomem(err, "struct cast");
    for (int32_t t = 0; t < n_fields && st == QV_OK; t++) {
        arrow_type *want = to->children[t]->type;
        int32_t f = source_field(a->type, to, t, by_name);
        if (f < 0) {
            st = arrow_array_new_null(want, a->length, &children[t], err);
            continue;
        }
        arrow_array *field = NULL;
        st = arrow_array_slice(a->children[f], a->offset, a->length, &field, err);
        func_datum src = {field, false}, cast = {0}; /* src borrowed */
        if (st == QV_OK)
            st = func_cast(&src, want, safe, a->length, &cast, err);
        children[t] = cast.array;
        arrow_array_release(field);
    }
    if (st == QV_OK)
        st =
            arrow_array_new(to, a->length, -1, 0, 1, &validity, n_fields, children, NULL, out, err);
    for (int32_t t = 0; t < n_fields && children; t++)
        arrow_array_release(children[t]);
    base_free(children);
    arrow_buffer_release(validity);
    return st;
}

/* Maps cast as the lists of entries they are laid out as. */
static qv_status cast_map(const arrow_array *a, arrow_type *to, bool safe, arrow_array **out,
                          qv_error *err)
{
    arrow_type *from_list = NULL, *to_list = NULL;
    arrow_array *as_list = NULL, *cast = NULL;
    qv_status st = arrow_type_list(QV_TYPE_LIST, a->type->children[0], &from_list, err);
    if (st == QV_OK)
        st = arrow_type_list(QV_TYPE_LIST, to->children[0], &to_list, err);
    if (st == QV_OK)
        st = arrow_array_new(from_list, a->length, -1, a->offset, a->n_buffers, a->buffers,
                             a->n_children, a->children, NULL, &as_list, err);
    if (st == QV_OK)
        st = cast_list(as_list, to_list, safe, &cast, err);
    if (st == QV_OK)
        st = arrow_array_new(to, cast->length, -1, 0, cast->n_buffers, cast->buffers,
                             cast->n_children, cast->children, NULL, out, err);
    arrow_array_release(cast);
    arrow_array_release(as_list);
    arrow_type_release(to_list);
    arrow_type_release(from_list);
    return st;
}

qv_status func_cast_nested(const func_datum *arg, arrow_type *to, bool safe, int64_t n_rows,
                           func_datum *out, qv_error *err)
{
    (void)n_rows;
    out->array = NULL;
    const arrow_array *a = arg->array;
    arrow_type_id from = a->type->id;
    arrow_array *result = NULL;
    qv_status st;
    if (is_list_id(to->id))
        st = is_list_id(from) ? cast_list(a, to, safe, &result, err)
                              : wrap_in_list(a, to, safe, &result, err);
    else if (from == QV_TYPE_STRUCT && to->id == QV_TYPE_STRUCT)
        st = cast_struct(a, to, safe, &result, err);
    else if (from == QV_TYPE_MAP && to->id == QV_TYPE_MAP)
        st = cast_map(a, to, safe, &result, err);
    else {
        char f[128], t[128];
        func_type_name(a->type, f, sizeof f);
        func_type_name(to, t, sizeof t);
        st = base_error_set(err, QV_NOT_IMPLEMENTED,
                            "Arrow error: Cast error: Casting from %s to %s not supported", f, t);
    }
    if (st == QV_OK)
        func_set_result(out, result, arg->is_scalar);
    return st;
}
