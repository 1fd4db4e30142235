/*
 * table.c — the table provider header (layer: catalog): initialisation and
 * reference counting shared by every provider, and the projected schema of
 * a scan.
 */
#include "catalog/catalog.h"

void catalog_table_init(catalog_table *table, const catalog_table_ops *ops, arrow_schema *schema)
{
    table->ops = ops;
    atomic_init(&table->refcount, 1);
    table->schema = arrow_schema_retain(schema);
}

catalog_table *catalog_table_retain(catalog_table *table)
{
    if (table != NULL)
        atomic_fetch_add_explicit(&table->refcount, 1, memory_order_relaxed);
    return table;
}

void catalog_table_release(catalog_table *table)
{
    if (table == NULL)
        return;
    if (atomic_fetch_sub_explicit(&table->refcount, 1, memory_order_acq_rel) != 1)
        return;
    arrow_schema_release(table->schema);
    table->schema = NULL;
    table->ops->free(table);
}

qv_status catalog_projected_schema(arrow_schema *schema, const int32_t *projection,
                                   int32_t n_projection, arrow_schema **out, qv_error *err)
{
    *out = NULL;
    if (projection == NULL) {
        *out = arrow_schema_retain(schema);
        return QV_OK;
    }
    arrow_field **fields =
        base_calloc((size_t)(n_projection > 0 ? n_projection : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "scan schema");
    for (int32_t i = 0; i < n_projection; i++) {
        if (projection[i] < 0 || projection[i] >= schema->n_fields) {
            base_free(fields);
            return base_error_set(err, QV_MISUSE, "projection column %d out of range",
                                  projection[i]);
        }
        fields[i] = schema->fields[projection[i]];
    }
    qv_status st = arrow_schema_new(n_projection, fields, &schema->metadata, out, err);
    base_free(fields);
    return st;
}
