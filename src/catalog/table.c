/*
 * table.c — the table provider header (layer: catalog): initialisation and
 * reference counting shared by every provider.
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
