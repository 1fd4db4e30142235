/*
 * field.c — key/value metadata and fields (layer: arrow).
 */
#include <string.h>

#include "arrow.h"

void arrow_metadata_clear(arrow_metadata *md)
{
    for (int32_t i = 0; i < md->n; i++) {
        base_free(md->keys[i]);
        base_free(md->values[i]);
    }
    base_free(md->keys);
    base_free(md->values);
    md->n = 0;
    md->keys = NULL;
    md->values = NULL;
}

qv_status arrow_metadata_add(arrow_metadata *md, const char *key, const char *value, qv_error *err)
{
    char **keys = base_realloc(md->keys, (size_t)(md->n + 1) * sizeof(char *));
    if (keys == NULL)
        return base_error_nomem(err, "metadata");
    md->keys = keys;
    char **values = base_realloc(md->values, (size_t)(md->n + 1) * sizeof(char *));
    if (values == NULL)
        return base_error_nomem(err, "metadata");
    md->values = values;
    char *key_copy = base_strdup(key);
    char *value_copy = base_strdup(value);
    if (key_copy == NULL || value_copy == NULL) {
        base_free(key_copy);
        base_free(value_copy);
        return base_error_nomem(err, "metadata");
    }
    md->keys[md->n] = key_copy;
    md->values[md->n] = value_copy;
    md->n++;
    return QV_OK;
}

qv_status arrow_metadata_copy(arrow_metadata *dst, const arrow_metadata *src, qv_error *err)
{
    dst->n = 0;
    dst->keys = NULL;
    dst->values = NULL;
    if (src == NULL)
        return QV_OK;
    for (int32_t i = 0; i < src->n; i++) {
        qv_status status = arrow_metadata_add(dst, src->keys[i], src->values[i], err);
        if (status != QV_OK) {
            arrow_metadata_clear(dst);
            return status;
        }
    }
    return QV_OK;
}

const char *arrow_metadata_get(const arrow_metadata *md, const char *key)
{
    for (int32_t i = 0; i < md->n; i++) {
        if (strcmp(md->keys[i], key) == 0)
            return md->values[i];
    }
    return NULL;
}

bool arrow_metadata_equal(const arrow_metadata *a, const arrow_metadata *b)
{
    if (a->n != b->n)
        return false;
    for (int32_t i = 0; i < a->n; i++) {
        const char *other = arrow_metadata_get(b, a->keys[i]);
        if (other == NULL || strcmp(other, a->values[i]) != 0)
            return false;
    }
    return true;
}

qv_status arrow_field_new(const char *name, arrow_type *type, bool nullable,
                          const arrow_metadata *metadata, arrow_field **out, qv_error *err)
{
    *out = NULL;
    if (name == NULL || type == NULL)
        return base_error_set(err, QV_MISUSE, "a field needs a name and a type");
    arrow_field *field = base_calloc(1, sizeof *field);
    if (field == NULL)
        return base_error_nomem(err, "field");
    field->name = base_strdup(name);
    if (field->name == NULL) {
        base_free(field);
        return base_error_nomem(err, "field");
    }
    qv_status status = arrow_metadata_copy(&field->metadata, metadata, err);
    if (status != QV_OK) {
        base_free(field->name);
        base_free(field);
        return status;
    }
    atomic_init(&field->refcount, 1);
    field->type = arrow_type_retain(type);
    field->nullable = nullable;
    *out = field;
    return QV_OK;
}

arrow_field *arrow_field_retain(arrow_field *field)
{
    if (field != NULL)
        atomic_fetch_add_explicit(&field->refcount, 1, memory_order_relaxed);
    return field;
}

void arrow_field_release(arrow_field *field)
{
    if (field == NULL || atomic_fetch_sub_explicit(&field->refcount, 1, memory_order_acq_rel) != 1)
        return;
    base_free(field->name);
    arrow_type_release(field->type);
    arrow_metadata_clear(&field->metadata);
    base_free(field);
}

bool arrow_field_equal(const arrow_field *a, const arrow_field *b)
{
    return a == b || (a->nullable == b->nullable && strcmp(a->name, b->name) == 0 &&
                      arrow_type_equal(a->type, b->type) &&
                      arrow_metadata_equal(&a->metadata, &b->metadata));
}
