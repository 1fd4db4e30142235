/*
 * batch.c — record batches: a schema plus equal-length columns (layer: arrow).
 */
#include "arrow.h"

qv_status arrow_batch_new(arrow_schema *schema, int64_t n_rows, arrow_array *const *columns,
                          arrow_batch **out, qv_error *err)
{
    *out = NULL;
    if (schema == NULL || n_rows < 0 || (schema->n_fields > 0 && columns == NULL))
        return base_error_set(err, QV_MISUSE, "a record batch needs a schema and its columns");
    for (int32_t i = 0; i < schema->n_fields; i++) {
        if (columns[i]->length != n_rows)
            return base_error_set(
                err, QV_INVALID, "column %d (\"%s\") has %lld rows where the batch has %lld", i,
                schema->fields[i]->name, (long long)columns[i]->length, (long long)n_rows);
        if (!arrow_type_equal(columns[i]->type, schema->fields[i]->type))
            return base_error_set(err, QV_INVALID,
                                  "column %d (\"%s\") does not have the schema's type", i,
                                  schema->fields[i]->name);
    }
    arrow_batch *batch = base_calloc(1, sizeof *batch);
    if (batch == NULL)
        return base_error_nomem(err, "record batch");
    if (schema->n_fields > 0) {
        batch->columns = base_calloc((size_t)schema->n_fields, sizeof(arrow_array *));
        if (batch->columns == NULL) {
            base_free(batch);
            return base_error_nomem(err, "record batch");
        }
    }
    atomic_init(&batch->refcount, 1);
    batch->schema = arrow_schema_retain(schema);
    batch->n_rows = n_rows;
    for (int32_t i = 0; i < schema->n_fields; i++)
        batch->columns[i] = arrow_array_retain(columns[i]);
    *out = batch;
    return QV_OK;
}

arrow_batch *arrow_batch_retain(arrow_batch *batch)
{
    if (batch != NULL)
        atomic_fetch_add_explicit(&batch->refcount, 1, memory_order_relaxed);
    return batch;
}

void arrow_batch_release(arrow_batch *batch)
{
    if (batch == NULL || atomic_fetch_sub_explicit(&batch->refcount, 1, memory_order_acq_rel) != 1)
        return;
    for (int32_t i = 0; i < batch->schema->n_fields; i++)
        arrow_array_release(batch->columns[i]);
    base_free(batch->columns);
    arrow_schema_release(batch->schema);
    base_free(batch);
}

qv_status arrow_batch_slice(arrow_batch *batch, int64_t offset, int64_t length, arrow_batch **out,
                            qv_error *err)
{
    *out = NULL;
    if (offset < 0 || length < 0 || offset > batch->n_rows || length > batch->n_rows - offset)
        return base_error_set(err, QV_INVALID, "slice is outside a batch of %lld rows",
                              (long long)batch->n_rows);
    int32_t n = batch->schema->n_fields;
    arrow_array **sliced = n > 0 ? base_calloc((size_t)n, sizeof(arrow_array *)) : NULL;
    if (n > 0 && sliced == NULL)
        return base_error_nomem(err, "record batch");
    qv_status status = QV_OK;
    for (int32_t i = 0; i < n && status == QV_OK; i++)
        status = arrow_array_slice(batch->columns[i], offset, length, &sliced[i], err);
    if (status == QV_OK)
        status = arrow_batch_new(batch->schema, length, sliced, out, err);
    for (int32_t i = 0; i < n; i++)
        arrow_array_release(sliced[i]);
    base_free(sliced);
    return status;
}

static int64_t array_memory_bytes(const arrow_array *a)
{
    int64_t bytes = 0;
    for (int32_t b = 0; b < a->n_buffers; b++)
        if (a->buffers[b] != NULL)
            bytes += a->buffers[b]->capacity > a->buffers[b]->size ? a->buffers[b]->capacity
                                                                   : a->buffers[b]->size;
    for (int32_t c = 0; c < a->n_children; c++)
        bytes += array_memory_bytes(a->children[c]);
    if (a->dictionary != NULL)
        bytes += array_memory_bytes(a->dictionary);
    return bytes;
}

int64_t arrow_batch_memory_bytes(const arrow_batch *batch)
{
    int64_t bytes = 0;
    for (int32_t c = 0; c < batch->schema->n_fields; c++)
        bytes += array_memory_bytes(batch->columns[c]);
    return bytes;
}
