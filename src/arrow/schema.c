/*
 * schema.c — schemas: ordered fields plus metadata (layer: arrow).
 */
#include <string.h>

#include "arrow.h"

qv_status arrow_schema_new(int32_t n_fields, arrow_field *const *fields,
                           const arrow_metadata *metadata, arrow_schema **out, qv_error *err)
{
    *out = NULL;
    if (n_fields < 0 || (n_fields > 0 && fields == NULL))
        return base_error_set(err, QV_MISUSE, "a schema needs its fields");
    arrow_schema *schema = base_calloc(1, sizeof *schema);
    if (schema == NULL)
        return base_error_nomem(err, "schema");
    if (n_fields > 0) {
        schema->fields = base_calloc((size_t)n_fields, sizeof(arrow_field *));
        if (schema->fields == NULL) {
            base_free(schema);
            return base_error_nomem(err, "schema");
        }
    }
    qv_status status = arrow_metadata_copy(&schema->metadata, metadata, err);
    if (status != QV_OK) {
        base_free(schema->fields);
        base_free(schema);
        return status;
    }
    for (int32_t i = 0; i < n_fields; i++)
        schema->fields[i] = arrow_field_retain(fields[i]);
    schema->n_fields = n_fields;
    atomic_init(&schema->refcount, 1);
    *out = schema;
    return QV_OK;
}

arrow_schema *arrow_schema_retain(arrow_schema *schema)
{
    if (schema != NULL)
        atomic_fetch_add_explicit(&schema->refcount, 1, memory_order_relaxed);
    return schema;
}

void arrow_schema_release(arrow_schema *schema)
{
    if (schema == NULL ||
        atomic_fetch_sub_explicit(&schema->refcount, 1, memory_order_acq_rel) != 1)
        return;
    for (int32_t i = 0; i < schema->n_fields; i++)
        arrow_field_release(schema->fields[i]);
    base_free(schema->fields);
    arrow_metadata_clear(&schema->metadata);
    base_free(schema);
}

int32_t arrow_schema_find(const arrow_schema *schema, const char *name)
{
    for (int32_t i = 0; i < schema->n_fields; i++) {
        if (strcmp(schema->fields[i]->name, name) == 0)
            return i;
    }
    return -1;
}

bool arrow_schema_equal(const arrow_schema *a, const arrow_schema *b)
{
    if (a == b)
        return true;
    if (a->n_fields != b->n_fields || !arrow_metadata_equal(&a->metadata, &b->metadata))
        return false;
    for (int32_t i = 0; i < a->n_fields; i++) {
        if (!arrow_field_equal(a->fields[i], b->fields[i]))
            return false;
    }
    return true;
}
