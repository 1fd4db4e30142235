/*
 * coerce_nested.c — DataFusion's type_union_resolution (the common type of
 * a list of values: make_array's elements, struct fields of array literals)
 * and the comparison coercion of two struct types (layer: plan). The
 * scalar pairs reuse coerce.c; this file adds what nesting needs: list
 * kinds (FixedSizeList, List, LargeList), structs matched by field name,
 * and DataFusion's type categories.
 */
#include <string.h>

#include "plan/coerce.h"

typedef enum category {
    CAT_UNKNOWN, /* strings and Null: castable to many others */
    CAT_NUMERIC,
    CAT_BOOLEAN,
    CAT_ARRAY,
    CAT_DATETIME,
    CAT_COMPOSITE,
    CAT_NOT_SUPPORTED,
} category;

static bool is_string(arrow_type_id id)
{
    return id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW;
}

static bool is_binary(arrow_type_id id)
{
    return id == QV_TYPE_BINARY || id == QV_TYPE_LARGE_BINARY || id == QV_TYPE_BINARY_VIEW ||
           id == QV_TYPE_FIXED_SIZE_BINARY;
}

static bool is_list(arrow_type_id id)
{
    return id == QV_TYPE_LIST || id == QV_TYPE_LARGE_LIST || id == QV_TYPE_FIXED_SIZE_LIST;
}

static bool is_datetime(arrow_type_id id)
{
    return id == QV_TYPE_DATE32 || id == QV_TYPE_DATE64 || id == QV_TYPE_TIME32 ||
           id == QV_TYPE_TIME64 || id == QV_TYPE_TIMESTAMP || id == QV_TYPE_DURATION ||
           id == QV_TYPE_INTERVAL_YEAR_MONTH || id == QV_TYPE_INTERVAL_DAY_TIME ||
           id == QV_TYPE_INTERVAL_MONTH_DAY_NANO;
}

static category category_of(const arrow_type *t)
{
    if (t->id == QV_TYPE_DICTIONARY)
        return category_of(t->value_type);
    if (plan_type_is_numeric(t->id))
        return CAT_NUMERIC;
    if (t->id == QV_TYPE_BOOLEAN)
        return CAT_BOOLEAN;
    if (is_list(t->id))
        return CAT_ARRAY;
    if (is_string(t->id) || t->id == QV_TYPE_NULL)
        return CAT_UNKNOWN;
    if (is_datetime(t->id))
        return CAT_DATETIME;
    if (t->id == QV_TYPE_STRUCT || t->id == QV_TYPE_MAP)
        return CAT_COMPOSITE;
    return CAT_NOT_SUPPORTED;
}

static qv_status union_pair(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err);

/* A field named and typed like `named`, with type `type` and the
 * nullability of either side (coerce_fields / coerce_list_children). */
static qv_status merged_field(const arrow_field *named, const arrow_field *other, arrow_type *type,
                              arrow_field **out, qv_error *err)
{
    return arrow_field_new(named->name, type, named->nullable || other->nullable, NULL, out, err);
}

/* Lists: two fixed-size lists of one size stay fixed-size, LargeList on
 * either side wins, anything else is a List; the items unify. */
static qv_status union_lists(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err)
{
    arrow_field *lf = l->children[0], *rf = r->children[0];
    arrow_type *item = NULL;
    QV_TRY(union_pair(lf->type, rf->type, &item, err));
    arrow_field *field = NULL;
    qv_status st = merged_field(lf, rf, item, &field, err);
    arrow_type_release(item);
    QV_TRY(st);
    if (l->id == QV_TYPE_FIXED_SIZE_LIST && r->id == QV_TYPE_FIXED_SIZE_LIST &&
        l->fixed_size == r->fixed_size)
        st = arrow_type_fixed_size_list(field, r->fixed_size, out, err);
    else
        st = arrow_type_list(l->id == QV_TYPE_LARGE_LIST || r->id == QV_TYPE_LARGE_LIST
                                 ? QV_TYPE_LARGE_LIST
                                 : QV_TYPE_LIST,
                             field, out, err);
    arrow_field_release(field);
    return st;
}

/* Structs with the same field names (any order): the left side's order,
 * each field unified with the right side's field of that name. */
static qv_status union_structs_by_name(arrow_type *l, arrow_type *r, arrow_type **out,
                                       qv_error *err)
{
    if (l->n_children != r->n_children)
        return QV_NOT_FOUND;
    int32_t n = l->n_children;
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "struct type");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++) {
        const arrow_field *lf = l->children[i], *rf = NULL;
        for (int32_t j = 0; j < n && rf == NULL; j++)
            if (strcmp(r->children[j]->name, lf->name) == 0)
                rf = r->children[j];
        if (rf == NULL) {
            st = QV_NOT_FOUND;
            break;
        }
        arrow_type *type = NULL;
        st = union_pair(lf->type, rf->type, &type, err);
        if (st == QV_OK)
            st = merged_field(lf, rf, type, &fields[i], err);
        arrow_type_release(type);
    }
    if (st == QV_OK)
        st = arrow_type_struct(n, fields, out, err);
    for (int32_t i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    base_free(fields);
    return st;
}

/* Maps: keys with keys, values with values; unify(a, b) pairs the types. */
static qv_status map_pair(arrow_type *l, arrow_type *r,
                          qv_status (*unify)(arrow_type *, arrow_type *, arrow_type **, qv_error *),
                          arrow_type **out, qv_error *err)
{
    arrow_type *le = l->children[0]->type, *re = r->children[0]->type;
    arrow_type *key = NULL, *value = NULL;
    QV_TRY(unify(le->children[0]->type, re->children[0]->type, &key, err));
    qv_status st = unify(le->children[1]->type, re->children[1]->type, &value, err);
    if (st == QV_OK)
        st = func_map_type(key, value, out, err);
    arrow_type_release(key);
    arrow_type_release(value);
    return st;
}

/* type_union_resolution_coercion: the common type of one pair. */
static qv_status union_pair(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (arrow_type_equal(l, r)) {
        *out = arrow_type_retain(l);
        return QV_OK;
    }
    if (l->id == QV_TYPE_NULL || r->id == QV_TYPE_NULL) {
        *out = arrow_type_retain(l->id == QV_TYPE_NULL ? r : l);
        return QV_OK;
    }
    if (l->id == QV_TYPE_DICTIONARY || r->id == QV_TYPE_DICTIONARY) {
        arrow_type *dict = l->id == QV_TYPE_DICTIONARY ? l : r;
        arrow_type *other = dict == l ? r : l;
        if (other->id == QV_TYPE_DICTIONARY)
            other = other->value_type;
        arrow_type *value = NULL;
        QV_TRY(union_pair(dict->value_type, other, &value, err));
        if (value->id == QV_TYPE_UTF8_VIEW) {
            *out = value;
            return QV_OK;
        }
        qv_status st = arrow_type_dictionary(dict->index_type, value, false, out, err);
        arrow_type_release(value);
        return st;
    }
    if (l->id == QV_TYPE_STRUCT && r->id == QV_TYPE_STRUCT)
        return union_structs_by_name(l, r, out, err);
    if (l->id == QV_TYPE_MAP && r->id == QV_TYPE_MAP)
        return map_pair(l, r, union_pair, out, err);
    if (plan_type_is_numeric(l->id) && plan_type_is_numeric(r->id))
        return plan_numeric_coercion(l, r, out, err);
    if (is_list(l->id) && is_list(r->id))
        return union_lists(l, r, out, err);
    if ((is_datetime(l->id) && is_datetime(r->id)) || (is_string(l->id) && is_string(r->id)) ||
        (is_binary(l->id) && is_binary(r->id)))
        return plan_comparison_coercion(l, r, out, err);
    /* A string next to a number becomes the number. */
    if (is_string(l->id) && plan_type_is_numeric(r->id)) {
        *out = arrow_type_retain(r);
        return QV_OK;
    }
    if (is_string(r->id) && plan_type_is_numeric(l->id)) {
        *out = arrow_type_retain(l);
        return QV_OK;
    }
    return QV_NOT_FOUND;
}

qv_status plan_type_union_resolution(int32_t n, arrow_type *const *types, arrow_type **out,
                                     qv_error *err)
{
    *out = NULL;
    if (n == 0)
        return QV_NOT_FOUND;
    bool all_same = true, all_null = true;
    for (int32_t i = 0; i < n; i++) {
        all_same &= arrow_type_equal(types[i], types[0]);
        all_null &= types[i]->id == QV_TYPE_NULL;
    }
    if (all_same) {
        *out = arrow_type_retain(types[0]);
        return QV_OK;
    }
    if (all_null) {
        *out = arrow_type_primitive(QV_TYPE_UTF8_VIEW);
        return QV_OK;
    }
    /* Values of different kinds (a number and a date...) have no common
     * type; strings and nulls go with anything. */
    category seen = CAT_UNKNOWN;
    for (int32_t i = 0; i < n; i++) {
        category c = category_of(types[i]);
        if (c == CAT_NOT_SUPPORTED)
            return QV_NOT_FOUND;
        if (c == CAT_UNKNOWN)
            continue;
        if (seen != CAT_UNKNOWN && seen != c)
            return QV_NOT_FOUND;
        seen = c;
    }
    arrow_type *candidate = NULL;
    for (int32_t i = 0; i < n; i++) {
        if (types[i]->id == QV_TYPE_NULL)
            continue;
        if (candidate == NULL) {
            candidate = arrow_type_retain(types[i]);
            continue;
        }
        /* The newer type is the left side: its struct field order wins. */
        arrow_type *next = NULL;
        qv_status st = union_pair(types[i], candidate, &next, err);
        arrow_type_release(candidate);
        if (st != QV_OK)
            return st;
        candidate = next;
    }
    *out = candidate;
    return QV_OK;
}

qv_status plan_nested_comparison_coercion(arrow_type *l, arrow_type *r, arrow_type **out,
                                          qv_error *err)
{
    *out = NULL;
    if (l->id == QV_TYPE_MAP && r->id == QV_TYPE_MAP)
        return map_pair(l, r, plan_comparison_coercion, out, err);
    if (l->id != QV_TYPE_STRUCT || r->id != QV_TYPE_STRUCT || l->n_children != r->n_children)
        return QV_NOT_FOUND;
    int32_t n = l->n_children;
    /* The same names in any order pair fields by name (the left side's
     * order); otherwise fields pair by position (the left side's names). */
    bool by_name = true;
    for (int32_t i = 0; i < n && by_name; i++) {
        bool found = false;
        for (int32_t j = 0; j < n && !found; j++)
            found = strcmp(l->children[i]->name, r->children[j]->name) == 0;
        by_name = found;
    }
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "struct type");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++) {
        const arrow_field *lf = l->children[i], *rf = r->children[i];
        for (int32_t j = 0; by_name && j < n; j++)
            if (strcmp(r->children[j]->name, lf->name) == 0)
                rf = r->children[j];
        arrow_type *type = NULL;
        st = plan_comparison_coercion(lf->type, rf->type, &type, err);
        if (st == QV_OK)
            st = merged_field(lf, rf, type, &fields[i], err);
        arrow_type_release(type);
    }
    if (st == QV_OK)
        st = arrow_type_struct(n, fields, out, err);
    for (int32_t i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    base_free(fields);
    return st;
}
