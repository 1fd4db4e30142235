/*
 * nested_map.c — map values (layer: func): map(keys, values) from two
 * lists per row (`MAP {k: v}` binds to it), make_map(k1, v1, ...),
 * map_keys, map_values, map_entries and map_extract (alias element_at).
 * Maps are DataFusion's Map("entries": Struct("key": non-null K,
 * "value": V), unsorted); keys are never null and unique within a map.
 */
#include "func/array_int.h"

qv_status func_map_type(arrow_type *key, arrow_type *value, arrow_type **out, qv_error *err)
{
    arrow_field *fields[2] = {NULL, NULL}, *entries = NULL;
    arrow_type *entry_type = NULL;
    qv_status st = arrow_field_new("key", key, false, NULL, &fields[0], err);
    if (st == QV_OK)
        st = arrow_field_new("value", value, true, NULL, &fields[1], err);
    if (st == QV_OK)
        st = arrow_type_struct(2, fields, &entry_type, err);
    if (st == QV_OK)
        st = arrow_field_new("entries", entry_type, false, NULL, &entries, err);
    if (st == QV_OK)
        st = arrow_type_map(entries, false, out, err);
    arrow_field_release(entries);
    arrow_type_release(entry_type);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return st;
}

/* The entries of a map datum's row, as indices into the entries' key and
 * value arrays. */
static void map_range(const func_datum *m, int64_t row, int64_t *start, int64_t *end)
{
    const arrow_array *a = m->array;
    const int32_t *offsets = (const int32_t *)arrow_array_values(a);
    int64_t j = a->offset + (m->is_scalar ? 0 : row);
    int64_t base = a->children[0]->offset;
    *start = base + offsets[j];
    *end = base + offsets[j + 1];
}

/* Builds a map array from per-row gather indices into keys and values. */
static qv_status assemble_map(arrow_type *type, int64_t n, const int32_t *offsets,
                              arrow_buffer *validity, arrow_array *keys, arrow_array *values,
                              const uint32_t *key_idx, const uint32_t *value_idx, int64_t n_entries,
                              arrow_array **out, qv_error *err)
{
    arrow_array *children[2] = {NULL, NULL}, *entries = NULL;
    arrow_buffer *offset_buf = NULL;
    arrow_type *entry_type = type->children[0]->type;
    qv_status st = func_take(keys, key_idx, n_entries, &children[0], err);
    if (st == QV_OK)
        st = func_take(values, value_idx, n_entries, &children[1], err);
    arrow_buffer *no_validity = NULL;
    if (st == QV_OK)
        st = arrow_array_new(entry_type, n_entries, 0, 0, 1, &no_validity, 2, children, NULL,
                             &entries, err);
    if (st == QV_OK)
        st = arrow_buffer_copy(offsets, (n + 1) * 4, &offset_buf, err);
    if (st == QV_OK) {
        arrow_buffer *buffers[2] = {validity, offset_buf};
        st = arrow_array_new(type, n, -1, 0, 2, buffers, 1, &entries, NULL, out, err);
    }
    arrow_buffer_release(offset_buf);
    arrow_array_release(entries);
    arrow_array_release(children[0]);
    arrow_array_release(children[1]);
    return st;
}

/* Growing gather lists for map construction. */
typedef struct map_out {
    int32_t *offsets;
    uint32_t *keys, *values;
    int64_t n, cap;
    arrow_buffer *validity;
} map_out;

static qv_status map_out_push(map_out *o, int64_t key, int64_t value, qv_error *err)
{
    if (o->n == o->cap) {
        int64_t cap = o->cap ? 2 * o->cap : 64;
        if (cap >= INT32_MAX)
            return base_error_set(err, QV_LIMIT, "Execution error: map too large");
        uint32_t *k = base_realloc(o->keys, (size_t)cap * sizeof *k);
        if (k != NULL)
            o->keys = k;
        uint32_t *v = k ? base_realloc(o->values, (size_t)cap * sizeof *v) : NULL;
        if (v == NULL)
            return base_error_nomem(err, "map");
        o->values = v;
        o->cap = cap;
    }
    o->keys[o->n] = (uint32_t)key;
    o->values[o->n++] = (uint32_t)value;
    return QV_OK;
}

static void map_out_free(map_out *o)
{
    base_free(o->offsets);
    base_free(o->keys);
    base_free(o->values);
    arrow_buffer_release(o->validity);
}

/* Fails when row entries [first, n) of o repeat a key. */
static qv_status check_unique(const map_out *o, int64_t first, const arrow_array *keys,
                              const func_row_comparator *cmp, qv_error *err)
{
    for (int64_t i = first; i < o->n; i++)
        for (int64_t j = first; j < i; j++)
            if (array_compare(cmp, keys, o->keys[i], keys, o->keys[j]) == 0) {
                base_strbuf sb;
                base_strbuf_init(&sb);
                arrow_format_value(keys, o->keys[i], &sb, NULL);
                qv_status st = base_error_set(err, QV_EXECUTION,
                                              "Execution error: map key must be unique, "
                                              "duplicate key found: %s",
                                              base_strbuf_failed(&sb) ? "?" : sb.data);
                base_strbuf_free(&sb);
                return st;
            }
    return QV_OK;
}

static qv_status null_key_error(qv_error *err)
{
    return base_error_set(err, QV_EXECUTION, "Execution error: map key cannot be null");
}

/* ---- map(keys, values) ---- */

static qv_status map_coerce(ARRAY_COERCE_ARGS)
{
    ARRAY_UNUSED(svc);
    if (n_args != 2)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: map requires exactly 2 arguments, got %d instead",
                              n_args);
    for (int k = 0; k < 2; k++) {
        if (types[k]->id == QV_TYPE_NULL || !array_is_list_id(types[k]->id)) {
            char name[128];
            func_type_name(types[k], name, sizeof name);
            return base_error_set(err, QV_EXECUTION,
                                  "Execution error: Expected list, large_list or "
                                  "fixed_size_list, got %s",
                                  name);
        }
        /* One list kind for both (List unless either is LargeList). */
        arrow_type *want = NULL;
        arrow_type_id id = types[0]->id == QV_TYPE_LARGE_LIST || types[1]->id == QV_TYPE_LARGE_LIST
                               ? QV_TYPE_LARGE_LIST
                               : QV_TYPE_LIST;
        QV_TRY(arrow_type_list_of(id, array_item_type(types[k]), &want, err));
        array_set_target(targets, k, types, want);
    }
    return QV_OK;
}

static qv_status map_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                 qv_error *err)
{
    ARRAY_UNUSED(n_args);
    return func_map_type(array_item_type(types[0]), array_item_type(types[1]), out, err);
}

static qv_status map_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    ARRAY_UNUSED(n_args);
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    array_list keys, values;
    array_list_init(&keys, &args[0]);
    array_list_init(&values, &args[1]);
    map_out o;
    memset(&o, 0, sizeof o);
    func_row_comparator *cmp = NULL;
    o.offsets = base_calloc((size_t)n + 1, sizeof *o.offsets);
    qv_status st = o.offsets ? array_comparator_new(keys.values->type, &cmp, err)
                             : base_error_nomem(err, "map");
    for (int64_t row = 0; row < n && st == QV_OK; row++) {
        int64_t ks, kn, vs, vn, first = o.n;
        if (!array_list_valid(&keys, row)) {
            if (o.validity == NULL) {
                st = func_bitmap_new(n, &o.validity, err);
                if (st == QV_OK)
                    memset(o.validity->data, 0xFF, (size_t)(n + 7) / 8);
            }
            if (st == QV_OK)
                arrow_bit_set(o.validity->data, row, false);
            o.offsets[row + 1] = (int32_t)o.n;
            continue;
        }
        array_list_range(&keys, row, &ks, &kn);
        vn = 0;
        vs = 0;
        if (array_list_valid(&values, row))
            array_list_range(&values, row, &vs, &vn);
        if (kn != vn) {
            st = base_error_set(err, QV_EXECUTION,
                                "Execution error: map requires key and value lists to have the "
                                "same length");
            break;
        }
        for (int64_t k = 0; k < kn && st == QV_OK; k++) {
            if (!arrow_array_is_valid(keys.values, ks + k))
                st = null_key_error(err);
            else
                st = map_out_push(&o, ks + k, vs + k, err);
        }
        if (st == QV_OK)
            st = check_unique(&o, first, keys.values, cmp, err);
        o.offsets[row + 1] = (int32_t)o.n;
    }
    arrow_array *result = NULL;
    if (st == QV_OK)
        st = assemble_map(return_type, n, o.offsets, o.validity, keys.values, values.values, o.keys,
                          o.values, o.n, &result, err);
    func_row_comparator_free(cmp);
    map_out_free(&o);
    if (st == QV_OK)
        func_set_result(out, result, all_scalar);
    return st;
}

/* ---- make_map(k1, v1, ...) ---- */

static qv_status make_map_coerce(ARRAY_COERCE_ARGS)
{
    if (n_args == 0 || n_args % 2 != 0)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: make_map requires an even number of "
                              "arguments, got %d instead",
                              n_args);
    /* Keys unify with keys, values with values. */
    int32_t half = n_args / 2;
    arrow_type **part = base_calloc((size_t)half, sizeof *part);
    if (part == NULL)
        return base_error_nomem(err, "make_map");
    qv_status st = QV_OK;
    for (int side = 0; side < 2 && st == QV_OK; side++) {
        for (int32_t i = 0; i < half; i++)
            part[i] = types[2 * i + side];
        arrow_type *common = NULL;
        st = svc->union_types(half, part, &common, err);
        if (st == QV_NOT_FOUND)
            st = base_error_set(err, QV_PLAN,
                                "Error during planning: make_map requires %s of one type",
                                side == 0 ? "keys" : "values");
        for (int32_t i = 0; i < half && st == QV_OK; i++)
            array_set_target(targets, 2 * i + side, types, arrow_type_retain(common));
        arrow_type_release(common);
    }
    base_free(part);
    return st;
}

static qv_status make_map_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                      qv_error *err)
{
    ARRAY_UNUSED(n_args);
    return func_map_type(types[0], types[1], out, err);
}

static qv_status make_map_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    int32_t half = n_args / 2;
    arrow_array **parts = base_calloc((size_t)n_args, sizeof *parts);
    int64_t *bases = base_calloc((size_t)n_args, sizeof *bases);
    arrow_array *keys = NULL, *values = NULL;
    map_out o;
    memset(&o, 0, sizeof o);
    func_row_comparator *cmp = NULL;
    o.offsets = base_calloc((size_t)n + 1, sizeof *o.offsets);
    qv_status st = parts && bases && o.offsets ? QV_OK : base_error_nomem(err, "make_map");
    for (int k = 0; k < n_args && st == QV_OK; k++)
        parts[k] = arrow_array_retain(args[k].array);
    /* keys = k1 k2 ... laid end to end; values likewise. */
    arrow_array **key_parts = base_calloc((size_t)half, sizeof *key_parts);
    arrow_array **value_parts = base_calloc((size_t)half, sizeof *value_parts);
    int64_t *key_bases = base_calloc((size_t)half, sizeof *key_bases);
    int64_t *value_bases = base_calloc((size_t)half, sizeof *value_bases);
    if (st == QV_OK && !(key_parts && value_parts && key_bases && value_bases))
        st = base_error_nomem(err, "make_map");
    for (int32_t i = 0; i < half && st == QV_OK; i++) {
        key_parts[i] = parts[2 * i];
        value_parts[i] = parts[2 * i + 1];
    }
    if (st == QV_OK)
        st = array_concat_parts(half, key_parts, key_bases, &keys, err);
    if (st == QV_OK)
        st = array_concat_parts(half, value_parts, value_bases, &values, err);
    if (st == QV_OK)
        st = array_comparator_new(keys->type, &cmp, err);
    for (int64_t row = 0; row < n && st == QV_OK; row++) {
        int64_t first = o.n;
        for (int32_t i = 0; i < half && st == QV_OK; i++) {
            int64_t kk = key_bases[i] + (args[2 * i].is_scalar ? 0 : row);
            int64_t vv = value_bases[i] + (args[2 * i + 1].is_scalar ? 0 : row);
            st = arrow_array_is_valid(keys, kk) ? map_out_push(&o, kk, vv, err)
                                                : null_key_error(err);
        }
        if (st == QV_OK)
            st = check_unique(&o, first, keys, cmp, err);
        o.offsets[row + 1] = (int32_t)o.n;
    }
    arrow_array *result = NULL;
    if (st == QV_OK)
        st = assemble_map(return_type, n, o.offsets, NULL, keys, values, o.keys, o.values, o.n,
                          &result, err);
    func_row_comparator_free(cmp);
    map_out_free(&o);
    for (int k = 0; k < n_args && parts; k++)
        arrow_array_release(parts[k]);
    arrow_array_release(keys);
    arrow_array_release(values);
    base_free(parts);
    base_free(bases);
    base_free(key_parts);
    base_free(value_parts);
    base_free(key_bases);
    base_free(value_bases);
    if (st == QV_OK)
        func_set_result(out, result, all_scalar);
    return st;
}

/* ---- map_keys, map_values, map_entries, map_extract ---- */

static qv_status one_map_coerce(ARRAY_COERCE_ARGS, const char *name, int want_args)
{
    ARRAY_UNUSED(svc);
    ARRAY_UNUSED(targets);
    if (n_args != want_args)
        return base_error_set(err, QV_PLAN, "Error during planning: %s expects %d argument%s", name,
                              want_args, want_args == 1 ? "" : "s");
    if (types[0]->id != QV_TYPE_MAP && types[0]->id != QV_TYPE_NULL) {
        char type_name[128];
        func_type_name(types[0], type_name, sizeof type_name);
        return base_error_set(err, QV_PLAN,
                              "Error during planning: %s expects a Map as its argument, got %s",
                              name, type_name);
    }
    return QV_OK;
}

static qv_status keys_coerce(ARRAY_COERCE_ARGS)
{
    return one_map_coerce(svc, n_args, types, targets, err, "map_keys", 1);
}
static qv_status values_coerce(ARRAY_COERCE_ARGS)
{
    return one_map_coerce(svc, n_args, types, targets, err, "map_values", 1);
}
static qv_status entries_coerce(ARRAY_COERCE_ARGS)
{
    return one_map_coerce(svc, n_args, types, targets, err, "map_entries", 1);
}
static qv_status extract_coerce(ARRAY_COERCE_ARGS)
{
    QV_TRY(one_map_coerce(svc, n_args, types, targets, err, "map_extract", 2));
    if (types[0]->id == QV_TYPE_MAP) {
        arrow_type *key = types[0]->children[0]->type->children[0]->type;
        array_set_target(targets, 1, types, arrow_type_retain(key));
    }
    return QV_OK;
}

/* List(item) with the item's nullability. */
static qv_status list_of(arrow_type *item, bool nullable, arrow_type **out, qv_error *err)
{
    arrow_field *field = NULL;
    QV_TRY(arrow_field_new("item", item, nullable, NULL, &field, err));
    qv_status st = arrow_type_list(QV_TYPE_LIST, field, out, err);
    arrow_field_release(field);
    return st;
}

static arrow_type *entry_field_type(arrow_type *map, int32_t i)
{
    return map->children[0]->type->children[i]->type;
}

static qv_status keys_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                  qv_error *err)
{
    ARRAY_UNUSED(n_args);
    if (types[0]->id == QV_TYPE_NULL)
        return list_of(types[0], true, out, err);
    return list_of(entry_field_type(types[0], 0), false, out, err);
}

static qv_status values_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                    qv_error *err)
{
    ARRAY_UNUSED(n_args);
    if (types[0]->id == QV_TYPE_NULL)
        return list_of(types[0], true, out, err);
    return list_of(entry_field_type(types[0], 1), true, out, err);
}

static qv_status entries_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                     qv_error *err)
{
    ARRAY_UNUSED(n_args);
    if (types[0]->id == QV_TYPE_NULL)
        return list_of(types[0], true, out, err);
    return list_of(types[0]->children[0]->type, false, out, err);
}

/* One list per map row whose items come from child `which` of the
 * entries (0 keys, 1 values, -1 the entries themselves); with key_of
 * non-NULL only the entry whose key matches. */
static qv_status map_project(const func_datum *m, int which, const func_datum *key_of, int64_t n,
                             bool is_scalar, arrow_type *return_type, func_datum *out,
                             qv_error *err)
{
    if (m->array->type->id == QV_TYPE_NULL) {
        arrow_array *nulls = NULL;
        QV_TRY(arrow_array_new_null(return_type, n, &nulls, err));
        func_set_result(out, nulls, is_scalar);
        return QV_OK;
    }
    arrow_array *entries = m->array->children[0];
    arrow_array *source = which < 0 ? entries : entries->children[which];
    func_row_comparator *cmp = NULL;
    if (key_of != NULL)
        QV_TRY(array_comparator_new(entries->children[0]->type, &cmp, err));
    array_out o;
    qv_status st = array_out_begin(&o, n, err);
    for (int64_t row = 0; row < n && st == QV_OK; row++) {
        bool valid = func_valid_at(m, row);
        int64_t start = 0, end = 0;
        if (valid)
            map_range(m, row, &start, &end);
        /* For the entries themselves, index the struct, not its children. */
        int64_t shift = which < 0 ? entries->offset : 0;
        for (int64_t e = start; e < end && st == QV_OK; e++) {
            if (key_of != NULL && (!func_valid_at(key_of, row) ||
                                   array_compare(cmp, entries->children[0], e, key_of->array,
                                                 key_of->is_scalar ? 0 : row) != 0))
                continue;
            st = array_out_push(&o, e - shift, err);
            if (key_of != NULL)
                break;
        }
        if (st == QV_OK)
            st = array_out_end_row(&o, valid, err);
    }
    func_row_comparator_free(cmp);
    if (st != QV_OK) {
        array_out_free(&o);
        return st;
    }
    return array_out_finish(&o, return_type, source, is_scalar, out, err);
}

static qv_status keys_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    return map_project(&args[0], 0, NULL, n, all_scalar, return_type, out, err);
}

static qv_status values_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    return map_project(&args[0], 1, NULL, n, all_scalar, return_type, out, err);
}

static qv_status entries_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    return map_project(&args[0], -1, NULL, n, all_scalar, return_type, out, err);
}

static qv_status extract_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    return map_project(&args[0], 1, &args[1], n, all_scalar, return_type, out, err);
}

static const char *const map_params[] = {"keys", "values", NULL};
static const char *const make_map_params[] = {"key", "value", NULL};
static const char *const one_map_params[] = {"map", NULL};
static const char *const extract_params[] = {"map", "key", NULL};
static const char *const extract_aliases[] = {"element_at", NULL};

const func_entry func_nested_map_entries[] = {
    ARRAY_ENTRY("map", NULL, "Returns an Arrow map with the specified key-value pairs.", map_params,
                map_return_type, map_invoke, map_coerce),
    ARRAY_ENTRY("make_map", NULL, "Returns an Arrow map with the specified key-value pairs.",
                make_map_params, make_map_return_type, make_map_invoke, make_map_coerce),
    ARRAY_ENTRY("map_keys", NULL, "Returns a list of all keys in the map.", one_map_params,
                keys_return_type, keys_invoke, keys_coerce),
    ARRAY_ENTRY("map_values", NULL, "Returns a list of all values in the map.", one_map_params,
                values_return_type, values_invoke, values_coerce),
    ARRAY_ENTRY("map_entries", NULL, "Returns a list of all entries in the map.", one_map_params,
                entries_return_type, entries_invoke, entries_coerce),
    ARRAY_ENTRY("map_extract", extract_aliases,
                "Returns a list containing the value for the given key or an empty list if the "
                "key is not present in the map.",
                extract_params, values_return_type, extract_invoke, extract_coerce),
};
const int32_t func_nested_map_entry_count =
    (int32_t)(sizeof func_nested_map_entries / sizeof func_nested_map_entries[0]);
