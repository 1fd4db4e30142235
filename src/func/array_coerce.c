/*
 * array_coerce.c — list type helpers and DataFusion's array-signature
 * coercion for the array functions (layer: func): dimensions, base types,
 * rebasing a nested list on a new innermost type, and the coercion of
 * (array, element, index, string) argument forms with its error texts.
 */
#include "func/array_int.h"

int32_t array_ndims(const arrow_type *t)
{
    int32_t n = 0;
    while (array_is_list_id(t->id)) {
        n++;
        t = array_item_type(t);
    }
    return n;
}

arrow_type *array_base_type(arrow_type *t)
{
    while (array_is_list_id(t->id))
        t = array_item_type(t);
    return t;
}

qv_status array_rebase(const arrow_type *t, arrow_type *base, arrow_type_id outer_id,
                       arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (!array_is_list_id(t->id)) {
        *out = arrow_type_retain(base);
        return QV_OK;
    }
    arrow_type *item = NULL;
    QV_TRY(array_rebase(array_item_type(t), base, QV_TYPE_NULL, &item, err));
    arrow_type_id id = outer_id != QV_TYPE_NULL           ? outer_id
                       : t->id == QV_TYPE_FIXED_SIZE_LIST ? QV_TYPE_LIST
                                                          : t->id;
    qv_status st = arrow_type_list_of(id, item, out, err);
    arrow_type_release(item);
    return st;
}

void array_set_target(arrow_type **targets, int i, arrow_type *const *types, arrow_type *want)
{
    if (arrow_type_equal(types[i], want)) {
        arrow_type_release(want);
        return;
    }
    targets[i] = want;
}

/* ---- error texts ---- */

static const char *arg_name(array_arg a)
{
    switch (a) {
    case ARRAY_ARG_ARRAY:
        return "Array";
    case ARRAY_ARG_ELEMENT:
        return "Element";
    case ARRAY_ARG_INDEX:
        return "Index";
    case ARRAY_ARG_STRING:
        return "String";
    }
    return "?";
}

static void format_form(const array_form *f, base_strbuf *sb)
{
    base_strbuf_append_str(sb, "ArraySignature(Array { arguments: [");
    for (int32_t i = 0; i < f->n; i++) {
        if (i > 0)
            base_strbuf_append_str(sb, ", ");
        base_strbuf_append_str(sb, arg_name(f->args[i]));
    }
    base_strbuf_append_str(sb, "], array_coercion: Some(FixedSizedListToList) })");
}

qv_status array_coerce_failed(const char *name, int32_t n_forms, const array_form *forms,
                              int n_args, arrow_type *const *types, qv_error *err)
{
    if (n_args == 0)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: '%s' does not support zero arguments", name);
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_appendf(&sb,
                        "Error during planning: Failed to coerce arguments to satisfy a call to "
                        "'%s' function: coercion from ",
                        name);
    for (int i = 0; i < n_args; i++) {
        if (i > 0)
            base_strbuf_append_str(&sb, ", ");
        arrow_type_format(types[i], &sb);
    }
    base_strbuf_append_str(&sb, " to the signature ");
    if (n_forms == 0)
        base_strbuf_append_str(&sb, "UserDefined");
    if (n_forms > 1)
        base_strbuf_append_str(&sb, "OneOf([");
    for (int32_t k = 0; k < n_forms; k++) {
        if (k > 0)
            base_strbuf_append_str(&sb, ", ");
        format_form(&forms[k], &sb);
    }
    if (n_forms > 1)
        base_strbuf_append_str(&sb, "])");
    base_strbuf_append_str(&sb, " failed");
    qv_status st =
        base_error_set(err, QV_PLAN, "%s", base_strbuf_failed(&sb) ? "coercion failed" : sb.data);
    base_strbuf_free(&sb);
    return st;
}

/* ---- coercion ---- */

/* *acc = the common type of *acc and t (QV_NOT_FOUND when none). */
static qv_status unify(const func_coerce_services *svc, arrow_type **acc, arrow_type *t,
                       qv_error *err)
{
    arrow_type *next = NULL;
    QV_TRY(svc->comparison(*acc, t, &next, err));
    arrow_type_release(*acc);
    *acc = next;
    return QV_OK;
}

/* Fills targets for one form; QV_NOT_FOUND when the types do not fit. */
static qv_status coerce_form(const func_coerce_services *svc, const array_form *form,
                             arrow_type *const *types, arrow_type **targets, qv_error *err)
{
    bool large = false;
    arrow_type *item = arrow_type_primitive(QV_TYPE_NULL);
    qv_status st = QV_OK;
    for (int32_t i = 0; i < form->n && st == QV_OK; i++) {
        arrow_type *t = types[i];
        switch (form->args[i]) {
        case ARRAY_ARG_ARRAY:
            if (t->id == QV_TYPE_NULL)
                break;
            if (!array_is_list_id(t->id)) {
                st = QV_NOT_FOUND;
                break;
            }
            large = large || t->id == QV_TYPE_LARGE_LIST;
            st = unify(svc, &item, array_item_type(t), err);
            break;
        case ARRAY_ARG_ELEMENT:
            st = unify(svc, &item, t, err);
            break;
        case ARRAY_ARG_INDEX:
            if (t->id != QV_TYPE_NULL && !arrow_type_is_integer(t->id))
                st = QV_NOT_FOUND;
            break;
        case ARRAY_ARG_STRING:
            if (t->id != QV_TYPE_NULL && !func_is_string_id(t->id))
                st = QV_NOT_FOUND;
            break;
        }
    }
    for (int32_t i = 0; i < form->n && st == QV_OK; i++) {
        arrow_type *want = NULL;
        switch (form->args[i]) {
        case ARRAY_ARG_ARRAY:
            if (types[i]->id == QV_TYPE_NULL && item->id == QV_TYPE_NULL)
                break;
            st = arrow_type_list_of(large ? QV_TYPE_LARGE_LIST : QV_TYPE_LIST, item, &want, err);
            break;
        case ARRAY_ARG_ELEMENT:
            want = arrow_type_retain(item);
            break;
        case ARRAY_ARG_INDEX:
            want = arrow_type_primitive(QV_TYPE_INT64);
            break;
        case ARRAY_ARG_STRING:
            if (types[i]->id == QV_TYPE_NULL)
                want = arrow_type_primitive(QV_TYPE_UTF8);
            break;
        }
        if (want != NULL)
            array_set_target(targets, (int)i, types, want);
    }
    arrow_type_release(item);
    if (st != QV_OK) {
        for (int32_t i = 0; i < form->n; i++) {
            arrow_type_release(targets[i]);
            targets[i] = NULL;
        }
    }
    return st;
}

qv_status array_coerce_forms(const func_coerce_services *svc, const char *name, int32_t n_forms,
                             const array_form *forms, int n_args, arrow_type *const *types,
                             arrow_type **targets, qv_error *err)
{
    for (int32_t k = 0; k < n_forms; k++) {
        if (forms[k].n != n_args)
            continue;
        qv_status st = coerce_form(svc, &forms[k], types, targets, err);
        if (st != QV_NOT_FOUND)
            return st;
        break;
    }
    return array_coerce_failed(name, n_forms, forms, n_args, types, err);
}
