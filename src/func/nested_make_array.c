/*
 * nested_make_array.c — make_array / make_list (layer: func): one list
 * per row holding the row's argument values, after the arguments were
 * unified to one item type as DataFusion does (structs with the same keys
 * keep their field names and order, anything else goes through
 * type_union_resolution). `[a, b]` literals bind to this function.
 */
#include "func/array_int.h"

/* Structs that all share one key list unify field by field, each argument
 * keeping its own field names (try_type_union_resolution_with_struct).
 * QV_NOT_FOUND when the arguments are not such structs. */
static qv_status unify_structs(const func_coerce_services *svc, int n_args,
                               arrow_type *const *types, arrow_type **targets, qv_error *err)
{
    const arrow_type *first = types[0];
    for (int k = 0; k < n_args; k++) {
        const arrow_type *t = types[k];
        if (t->id != QV_TYPE_STRUCT || t->n_children != first->n_children)
            return QV_NOT_FOUND;
        for (int32_t f = 0; f < t->n_children; f++)
            if (strcmp(t->children[f]->name, first->children[f]->name) != 0)
                return QV_NOT_FOUND;
    }
    int32_t n_fields = first->n_children;
    arrow_type **field_types =
        base_calloc((size_t)(n_fields > 0 ? n_fields : 1), sizeof *field_types);
    arrow_field **fields = base_calloc((size_t)(n_fields > 0 ? n_fields : 1), sizeof *fields);
    qv_status st = field_types && fields ? QV_OK : base_error_nomem(err, "make_array");
    for (int32_t f = 0; f < n_fields && st == QV_OK; f++) {
        field_types[f] = arrow_type_retain(first->children[f]->type);
        for (int k = 1; k < n_args && st == QV_OK; k++) {
            arrow_type *pair[2] = {types[k]->children[f]->type, field_types[f]};
            arrow_type *next = NULL;
            st = svc->union_types(2, pair, &next, err);
            arrow_type_release(field_types[f]);
            field_types[f] = next;
        }
    }
    for (int k = 0; k < n_args && st == QV_OK; k++) {
        for (int32_t f = 0; f < n_fields && st == QV_OK; f++) {
            const arrow_field *src = types[k]->children[f];
            st = arrow_field_new(src->name, field_types[f], src->nullable, &src->metadata,
                                 &fields[f], err);
        }
        arrow_type *want = NULL;
        if (st == QV_OK)
            st = arrow_type_struct(n_fields, fields, &want, err);
        if (st == QV_OK)
            array_set_target(targets, k, types, want);
        for (int32_t f = 0; f < n_fields && fields; f++) {
            arrow_field_release(fields[f]);
            fields[f] = NULL;
        }
    }
    for (int32_t f = 0; f < n_fields && field_types; f++)
        arrow_type_release(field_types[f]);
    base_free(field_types);
    base_free(fields);
    if (st != QV_OK)
        for (int k = 0; k < n_args; k++) {
            arrow_type_release(targets[k]);
            targets[k] = NULL;
        }
    return st;
}

static qv_status make_array_coerce(ARRAY_COERCE_ARGS)
{
    if (n_args == 0)
        return QV_OK;
    qv_status st = unify_structs(svc, n_args, types, targets, err);
    if (st != QV_NOT_FOUND)
        return st;
    arrow_type *common = NULL;
    st = svc->union_types(n_args, types, &common, err);
    if (st == QV_NOT_FOUND) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        for (int k = 0; k < n_args; k++) {
            if (k > 0)
                base_strbuf_append_str(&sb, ", ");
            arrow_type_format(types[k], &sb);
        }
        st = base_error_set(err, QV_PLAN,
                            "Error during planning: Failed to unify argument types of "
                            "make_array: [%s]",
                            base_strbuf_failed(&sb) ? "?" : base_strbuf_cstr(&sb));
        base_strbuf_free(&sb);
        return st;
    }
    QV_TRY(st);
    for (int k = 0; k < n_args; k++)
        array_set_target(targets, k, types, arrow_type_retain(common));
    arrow_type_release(common);
    return QV_OK;
}

static qv_status make_array_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                        qv_error *err)
{
    arrow_type *item = n_args > 0 ? types[0] : arrow_type_primitive(QV_TYPE_NULL);
    return arrow_type_list_of(QV_TYPE_LIST, item, out, err);
}

/* The rows' values are gathered from the arguments laid end to end: row r
 * takes, for each argument, its element r (element 0 of a scalar). */
static qv_status make_array_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    arrow_type *item = array_item_type(return_type);
    arrow_array **parts = base_calloc((size_t)(n_args > 0 ? n_args : 1), sizeof *parts);
    int64_t *bases = base_calloc((size_t)(n_args > 0 ? n_args : 1), sizeof *bases);
    arrow_array *source = NULL;
    array_out o;
    memset(&o, 0, sizeof o);
    qv_status st = parts && bases ? QV_OK : base_error_nomem(err, "make_array");
    for (int k = 0; k < n_args && st == QV_OK; k++) {
        const arrow_array *a = args[k].array;
        if (a->type->id == QV_TYPE_NULL && item->id != QV_TYPE_NULL)
            st = arrow_array_new_null(item, a->length, &parts[k], err);
        else
            parts[k] = arrow_array_retain(args[k].array);
    }
    if (st == QV_OK && n_args > 0)
        st = array_concat_parts(n_args, parts, bases, &source, err);
    else if (st == QV_OK)
        st = arrow_array_new_null(item, 0, &source, err);
    if (st == QV_OK)
        st = array_out_begin(&o, n, err);
    if (st == QV_OK)
        st = array_out_grow(&o, n * n_args, err);
    for (int64_t row = 0; row < n && st == QV_OK; row++) {
        for (int k = 0; k < n_args; k++)
            o.indices[o.n_indices++] = (uint32_t)(bases[k] + (args[k].is_scalar ? 0 : row));
        st = array_out_end_row(&o, true, err);
    }
    st = array_out_close(st, &o, return_type, source, all_scalar, out, err);
    for (int k = 0; k < n_args && parts; k++)
        arrow_array_release(parts[k]);
    arrow_array_release(source);
    base_free(parts);
    base_free(bases);
    return st;
}

static const char *const make_array_aliases[] = {"make_list", NULL};
static const char *const make_array_params[] = {"expression_n", NULL};

const func_entry func_nested_make_array_entries[] = {
    ARRAY_ENTRY("make_array", make_array_aliases,
                "Returns an array using the specified input expressions.", make_array_params,
                make_array_return_type, make_array_invoke, make_array_coerce),
};
const int32_t func_nested_make_array_entry_count =
    (int32_t)(sizeof func_nested_make_array_entries / sizeof func_nested_make_array_entries[0]);
