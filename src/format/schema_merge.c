/*
 * schema_merge.c — merging the schemas inferred from several files
 * (layer: format), as arrow-rs Schema::try_merge does for DataFusion's
 * listing tables: fields by name in first-seen order, Null gives way to any
 * type, structs merge member by member, other differences are errors;
 * and the inference of formats whose files carry their schema (each file's
 * schema, merged).
 */
#include <string.h>

#include "format/format.h"

/* A growable list of field references. */
typedef struct field_list {
    int32_t n, cap;
    arrow_field **items;
} field_list;

static void field_list_free(field_list *l)
{
    for (int32_t i = 0; i < l->n; i++)
        arrow_field_release(l->items[i]);
    base_free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static bool field_list_push(field_list *l, arrow_field *f)
{
    if (l->n == l->cap) {
        int32_t cap = l->cap ? l->cap * 2 : 8;
        arrow_field **grown = base_realloc(l->items, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return false;
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = arrow_field_retain(f);
    return true;
}

static qv_status merge_field(arrow_field *into, arrow_field *from, arrow_field **out,
                             qv_error *err);

/* Merges from's members into the list of into's members. */
static qv_status merge_into_list(field_list *list, int32_t n, arrow_field *const *fields,
                                 qv_error *err)
{
    for (int32_t i = 0; i < n; i++) {
        arrow_field *f = fields[i];
        int32_t at = -1;
        for (int32_t k = 0; k < list->n; k++)
            if (strcmp(list->items[k]->name, f->name) == 0) {
                at = k;
                break;
            }
        if (at < 0) {
            if (!field_list_push(list, f))
                return base_error_nomem(err, "merged schema");
            continue;
        }
        arrow_field *merged;
        QV_TRY(merge_field(list->items[at], f, &merged, err));
        arrow_field_release(list->items[at]);
        list->items[at] = merged;
    }
    return QV_OK;
}

static qv_status merge_field(arrow_field *into, arrow_field *from, arrow_field **out, qv_error *err)
{
    bool nullable = into->nullable || from->nullable;
    arrow_type *type = into->type;
    arrow_type *owned = NULL;
    if (into->type->id == QV_TYPE_NULL) {
        type = from->type;
        nullable = true;
    } else if (from->type->id == QV_TYPE_NULL) {
        nullable = true;
    } else if (into->type->id == QV_TYPE_STRUCT && from->type->id == QV_TYPE_STRUCT) {
        field_list list = {0, 0, NULL};
        qv_status status =
            merge_into_list(&list, into->type->n_children, into->type->children, err);
        if (status == QV_OK)
            status = merge_into_list(&list, from->type->n_children, from->type->children, err);
        if (status == QV_OK)
            status = arrow_type_struct(list.n, list.items, &owned, err);
        field_list_free(&list);
        if (status != QV_OK)
            return status;
        type = owned;
    } else if (!arrow_type_equal(into->type, from->type)) {
        base_strbuf a, b;
        base_strbuf_init(&a);
        base_strbuf_init(&b);
        arrow_type_format(from->type, &a);
        arrow_type_format(into->type, &b);
        qv_status status = base_error_set(
            err, QV_SCHEMA,
            "Arrow error: Schema error: Fail to merge schema field '%s' because the from "
            "data_type = %s does not equal %s",
            into->name, base_strbuf_cstr(&a), base_strbuf_cstr(&b));
        base_strbuf_free(&a);
        base_strbuf_free(&b);
        return status;
    }
    qv_status status = arrow_field_new(into->name, type, nullable, &into->metadata, out, err);
    arrow_type_release(owned);
    return status;
}

qv_status fmt_schema_merge(int32_t n, arrow_schema *const *schemas, arrow_schema **out,
                           qv_error *err)
{
    *out = NULL;
    field_list list = {0, 0, NULL};
    qv_status status = QV_OK;
    for (int32_t i = 0; i < n && status == QV_OK; i++)
        if (schemas[i] != NULL)
            status = merge_into_list(&list, schemas[i]->n_fields, schemas[i]->fields, err);
    if (status == QV_OK)
        status = arrow_schema_new(list.n, list.items, NULL, out, err);
    field_list_free(&list);
    return status;
}

qv_status fmt_merge_file_schemas(const char *const *paths, int32_t n, fmt_file_schema_fn schema_of,
                                 void *user, arrow_schema **out, qv_error *err)
{
    *out = NULL;
    arrow_schema **schemas = base_calloc((size_t)(n > 0 ? n : 1), sizeof *schemas);
    if (schemas == NULL)
        return base_error_nomem(err, "schema inference");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++)
        st = schema_of(user, paths[i], &schemas[i], err);
    if (st == QV_OK)
        st = fmt_schema_merge(n, schemas, out, err);
    for (int32_t i = 0; i < n; i++)
        arrow_schema_release(schemas[i]);
    base_free(schemas);
    return st;
}
