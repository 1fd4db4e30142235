/*
 * nested_struct.c — struct values (layer: func): struct / row (fields c0,
 * c1, ...), named_struct (names from constant arguments), get_field (a
 * chain of struct field names and map keys, `s['a']['b']`), and the
 * field extraction the executor's unnest shares.
 */
#include <stdio.h>

#include "func/array_int.h"

/* ---- field extraction ---- */

qv_status func_struct_field(const arrow_array *s, int32_t i, arrow_array **out, qv_error *err)
{
    *out = NULL;
    arrow_array *child = s->children[i];
    arrow_array *slice = NULL;
    QV_TRY(arrow_array_slice(child, s->offset, s->length, &slice, err));
    const arrow_buffer *parent_bits = s->buffers[0];
    if (parent_bits == NULL || arrow_array_null_count((arrow_array *)s) == 0 ||
        slice->type->id == QV_TYPE_NULL || slice->n_buffers == 0) {
        *out = slice;
        return QV_OK;
    }
    /* A value under a null struct is null: AND the struct's validity into
     * the child's, kept at the child's offset. */
    int64_t len = slice->length, off = slice->offset;
    arrow_buffer *bits = NULL;
    qv_status st = func_bitmap_new(off + len, &bits, err);
    if (st == QV_OK) {
        for (int64_t r = 0; r < len; r++) {
            bool valid =
                arrow_bit_get(parent_bits->data, s->offset + r) &&
                (slice->buffers[0] == NULL || arrow_bit_get(slice->buffers[0]->data, off + r));
            arrow_bit_set(bits->data, off + r, valid);
        }
        arrow_buffer **buffers = base_calloc((size_t)slice->n_buffers, sizeof *buffers);
        if (buffers == NULL) {
            st = base_error_nomem(err, "struct field");
        } else {
            buffers[0] = bits;
            for (int32_t b = 1; b < slice->n_buffers; b++)
                buffers[b] = slice->buffers[b];
            st = arrow_array_new(slice->type, len, -1, off, slice->n_buffers, buffers,
                                 slice->n_children, slice->children, slice->dictionary, out, err);
            base_free(buffers);
        }
    }
    arrow_buffer_release(bits);
    arrow_array_release(slice);
    return st;
}

/* A struct array of n rows, never null, whose fields are the arguments
 * (scalars repeated). */
static qv_status make_struct(arrow_type *type, int32_t n_fields, const func_datum *values,
                             int64_t n_rows, func_datum *out, qv_error *err)
{
    bool all_scalar;
    int64_t n = func_out_rows(n_fields, values, n_rows, &all_scalar);
    arrow_array **children = base_calloc((size_t)(n_fields > 0 ? n_fields : 1), sizeof *children);
    if (children == NULL)
        return base_error_nomem(err, "struct");
    qv_status st = QV_OK;
    for (int32_t f = 0; f < n_fields && st == QV_OK; f++) {
        if (all_scalar)
            children[f] = arrow_array_retain(values[f].array);
        else
            st = func_datum_to_array(&values[f], n, &children[f], err);
    }
    arrow_buffer *validity = NULL;
    arrow_array *result = NULL;
    if (st == QV_OK)
        st = arrow_array_new(type, n, 0, 0, 1, &validity, n_fields, children, NULL, &result, err);
    for (int32_t f = 0; f < n_fields; f++)
        arrow_array_release(children[f]);
    base_free(children);
    if (st == QV_OK)
        func_set_result(out, result, all_scalar);
    return st;
}

/* A struct type with the given names and the arguments' types. */
static qv_status struct_type(int32_t n, const char *const *names, arrow_type *const *types,
                             arrow_type **out, qv_error *err)
{
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "struct type");
    qv_status st = QV_OK;
    for (int32_t f = 0; f < n && st == QV_OK; f++)
        st = arrow_field_new(names[f], types[f], true, NULL, &fields[f], err);
    if (st == QV_OK)
        st = arrow_type_struct(n, fields, out, err);
    for (int32_t f = 0; f < n; f++)
        arrow_field_release(fields[f]);
    base_free(fields);
    return st;
}

/* ---- struct / row ---- */

static qv_status struct_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                    qv_error *err)
{
    if (n_args == 0)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: struct requires at least one argument");
    char(*names)[16] = base_calloc((size_t)n_args, sizeof *names);
    const char **name_ptrs = base_calloc((size_t)n_args, sizeof *name_ptrs);
    qv_status st = names && name_ptrs ? QV_OK : base_error_nomem(err, "struct type");
    for (int f = 0; f < n_args && st == QV_OK; f++) {
        snprintf(names[f], sizeof names[f], "c%d", f);
        name_ptrs[f] = names[f];
    }
    if (st == QV_OK)
        st = struct_type(n_args, name_ptrs, types, out, err);
    base_free(names);
    base_free(name_ptrs);
    return st;
}

static qv_status struct_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    return make_struct(return_type, n_args, args, n_rows, out, err);
}

/* ---- named_struct ---- */

/* The text of a constant string argument, or NULL. */
static const char *constant_name(const arrow_array *literal, base_strbuf *sb)
{
    if (literal == NULL || !func_is_string_id(literal->type->id) ||
        !arrow_array_is_valid(literal, 0))
        return NULL;
    base_strbuf_clear(sb);
    if (arrow_format_value(literal, 0, sb, NULL) != QV_OK || sb->len == 0)
        return NULL;
    return base_strbuf_cstr(sb);
}

static qv_status named_struct_return_type(int n_args, arrow_type *const *types,
                                          const arrow_array *const *literals, const char *time_zone,
                                          arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(time_zone);
    if (n_args == 0)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: named_struct requires at least one pair of "
                              "arguments, got 0 instead");
    if (n_args % 2 != 0)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: named_struct requires an even number of "
                              "arguments, got %d instead",
                              n_args);
    int32_t n = n_args / 2;
    char **names = base_calloc((size_t)n, sizeof *names);
    arrow_type **value_types = base_calloc((size_t)n, sizeof *value_types);
    qv_status st = names && value_types ? QV_OK : base_error_nomem(err, "named_struct");
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (int32_t f = 0; f < n && st == QV_OK; f++) {
        const char *name = constant_name(literals[2 * f], &sb);
        if (name == NULL) {
            st = base_error_set(err, QV_EXECUTION,
                                "Execution error: named_struct requires %d-th (0-indexed) field "
                                "name as non-empty constant string",
                                2 * f);
            break;
        }
        for (int32_t g = 0; g < f; g++)
            if (strcmp(names[g], name) == 0)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: named_struct requires unique field names. "
                                    "Field %s is used more than once.",
                                    name);
        names[f] = st == QV_OK ? base_strdup(name) : NULL;
        if (st == QV_OK && names[f] == NULL)
            st = base_error_nomem(err, "named_struct");
        value_types[f] = types[2 * f + 1];
    }
    base_strbuf_free(&sb);
    if (st == QV_OK)
        st = struct_type(n, (const char *const *)names, value_types, out, err);
    for (int32_t f = 0; f < n && names; f++)
        base_free(names[f]);
    base_free(names);
    base_free(value_types);
    return st;
}

static qv_status named_struct_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    int32_t n = n_args / 2;
    func_datum *values = base_calloc((size_t)(n > 0 ? n : 1), sizeof *values);
    if (values == NULL)
        return base_error_nomem(err, "named_struct");
    for (int32_t f = 0; f < n; f++)
        values[f] = args[2 * f + 1];
    qv_status st = make_struct(return_type, n, values, n_rows, out, err);
    base_free(values);
    return st;
}

/* ---- get_field ---- */

/* Any arguments pass as they are: get_field checks them itself. */
static qv_status get_field_coerce(ARRAY_COERCE_ARGS)
{
    ARRAY_UNUSED(svc);
    ARRAY_UNUSED(n_args);
    ARRAY_UNUSED(types);
    ARRAY_UNUSED(targets);
    ARRAY_UNUSED(err);
    return QV_OK;
}

/* The index of the struct field named name, or -1. */
static int32_t field_index(const arrow_type *s, const char *name)
{
    for (int32_t f = 0; f < s->n_children; f++)
        if (strcmp(s->children[f]->name, name) == 0)
            return f;
    return -1;
}

static qv_status get_field_return_type(int n_args, arrow_type *const *types,
                                       const arrow_array *const *literals, const char *time_zone,
                                       arrow_type **out, qv_error *err)
{
    ARRAY_UNUSED(time_zone);
    if (n_args < 2)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: get_field requires at least 2 arguments, got %d",
                              n_args);
    arrow_type *current = types[0];
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_status st = QV_OK;
    for (int k = 1; k < n_args && st == QV_OK; k++) {
        if (current->id == QV_TYPE_NULL)
            break;
        if (current->id == QV_TYPE_MAP) {
            current = current->children[0]->type->children[1]->type;
            continue;
        }
        if (current->id != QV_TYPE_STRUCT) {
            char name[128];
            func_type_name(current, name, sizeof name);
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: Cannot access field at argument %d: type "
                                "%s is not Struct, Map, or Null",
                                k, name);
            break;
        }
        const char *name = constant_name(literals[k], &sb);
        if (name == NULL) {
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: Field name at argument %d of get_field "
                                "must be a non-empty constant string",
                                k);
            break;
        }
        int32_t f = field_index(current, name);
        if (f < 0) {
            st = base_error_set(err, QV_PLAN, "Error during planning: Field %s not found in struct",
                                name);
            break;
        }
        current = current->children[f]->type;
    }
    base_strbuf_free(&sb);
    if (st == QV_OK)
        *out = arrow_type_retain(current);
    return st;
}

/* The values of a map datum at the rows' keys (NULL when absent). */
static qv_status map_lookup(const func_datum *map, const func_datum *key, int64_t n,
                            arrow_array **out, qv_error *err)
{
    const arrow_array *m = map->array;
    arrow_array *entries = m->children[0];
    arrow_array *keys = entries->children[0], *values = entries->children[1];
    const int32_t *offsets = (const int32_t *)arrow_array_values(m);
    func_datum cast_key = {0};
    QV_TRY(func_cast(key, keys->type, false, key->is_scalar ? 1 : n, &cast_key, err));
    func_row_comparator *cmp = NULL;
    uint32_t *indices = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *indices);
    qv_status st =
        indices ? array_comparator_new(keys->type, &cmp, err) : base_error_nomem(err, "map lookup");
    for (int64_t row = 0; row < n && st == QV_OK; row++) {
        int64_t j = m->offset + (map->is_scalar ? 0 : row);
        int64_t kj = cast_key.is_scalar ? 0 : row;
        indices[row] = UINT32_MAX;
        if (!func_valid_at(map, row) || !func_valid_at(&cast_key, row))
            continue;
        /* Entry e of the map row is keys[entries->offset + e]: struct
         * children are addressed through the struct's offset. */
        for (int64_t e = entries->offset + offsets[j]; e < entries->offset + offsets[j + 1]; e++)
            if (array_compare(cmp, keys, e, cast_key.array, kj) == 0) {
                indices[row] = (uint32_t)e;
                break;
            }
    }
    if (st == QV_OK)
        st = func_take(values, indices, n, out, err);
    func_row_comparator_free(cmp);
    base_free(indices);
    func_datum_release(&cast_key);
    return st;
}

static qv_status get_field_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    func_datum current = {arrow_array_retain(args[0].array), args[0].is_scalar};
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_status st = QV_OK;
    for (int k = 1; k < n_args && st == QV_OK; k++) {
        const arrow_array *a = current.array;
        arrow_array *next = NULL;
        bool next_scalar = current.is_scalar;
        if (a->type->id == QV_TYPE_NULL) {
            break;
        } else if (a->type->id == QV_TYPE_MAP) {
            next_scalar = current.is_scalar && args[k].is_scalar;
            st = map_lookup(&current, &args[k], next_scalar ? 1 : n, &next, err);
        } else {
            base_strbuf_clear(&sb);
            const char *name = constant_name(args[k].array, &sb);
            int32_t f = name ? field_index(a->type, name) : -1;
            if (f < 0)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: get_field: no field %s in the struct",
                                    name ? name : "?");
            else
                st = func_struct_field(a, f, &next, err);
        }
        if (st == QV_OK) {
            func_datum_release(&current);
            current.array = next;
            current.is_scalar = next_scalar;
        }
    }
    base_strbuf_free(&sb);
    if (st == QV_OK && current.array->type->id == QV_TYPE_NULL && return_type->id != QV_TYPE_NULL) {
        /* A Null base: every row is null, of the type the chain names. */
        arrow_array *nulls = NULL;
        st = arrow_array_new_null(return_type, all_scalar ? 1 : n, &nulls, err);
        func_datum_release(&current);
        current.array = nulls;
        current.is_scalar = all_scalar;
    }
    if (st != QV_OK) {
        func_datum_release(&current);
        return st;
    }
    if (current.is_scalar && !all_scalar) {
        /* A scalar struct read with a per-row key: expand to rows. */
        arrow_array *rows = NULL;
        st = func_datum_to_array(&current, n, &rows, err);
        func_datum_release(&current);
        QV_TRY(st);
        current.array = rows;
        current.is_scalar = false;
    }
    *out = current;
    return QV_OK;
}

/* ---- entries ---- */

static const char *const struct_aliases[] = {"row", NULL};
static const char *const struct_params[] = {"expression1", "expression_n", NULL};
static const char *const named_params[] = {"expression1_name", "expression1_input",
                                           "expression_n_name", "expression_n_input", NULL};
static const char *const get_field_params[] = {"expression", "field_name", NULL};

#define SIG_VAR_ANY                                                                                \
    {                                                                                              \
        FUNC_SIG_VARIADIC_ANY, 0, 0, NULL, 0, NULL                                                 \
    }

const func_entry func_nested_struct_entries[] = {
    {"struct", struct_aliases, FUNC_SCALAR, SIG_VAR_ANY, FUNC_IMMUTABLE,
     "Returns an Arrow struct using the specified input expressions optionally named.",
     struct_params, .impl.scalar = {struct_return_type, struct_invoke, NULL, NULL}},
    {"named_struct", NULL, FUNC_SCALAR, SIG_VAR_ANY, FUNC_IMMUTABLE,
     "Returns an Arrow struct using the specified name and input expressions pairs.", named_params,
     .impl.scalar = {NULL, named_struct_invoke, named_struct_return_type, NULL}},
    {"get_field", NULL, FUNC_SCALAR, ARRAY_SIG_USER, FUNC_IMMUTABLE,
     "Returns a field within a map or a struct with the given key.", get_field_params,
     .impl.scalar = {NULL, get_field_invoke, get_field_return_type, get_field_coerce}},
};
const int32_t func_nested_struct_entry_count =
    (int32_t)(sizeof func_nested_struct_entries / sizeof func_nested_struct_entries[0]);
