/*
 * cdata_export.c — export of types, schemas, arrays, batches and batch
 * streams through the Arrow C Data and C Stream Interfaces (layer: arrow).
 *
 * Nothing is copied: an exported ArrowArray points at the array's buffers
 * and its private data holds a reference to the array (or batch), dropped
 * by the release callback. Each exported node (children, dictionary) has its
 * own private data, so a consumer may move any node, and release may run on
 * any thread (it only drops references and frees memory).
 */
#include <errno.h>
#include <string.h>

#include "arrow/cdata_int.h"

/* ---- schemas ---- */

/* Owned by an exported ArrowSchema; freed by release_schema. */
typedef struct schema_private {
    char *format;
    char *name;
    char *metadata;
    struct ArrowSchema **child_ptrs;
    struct ArrowSchema *children;
    struct ArrowSchema dictionary;
} schema_private;

static void release_schema(struct ArrowSchema *schema)
{
    if (schema == NULL || schema->release == NULL)
        return;
    schema_private *priv = schema->private_data;
    for (int64_t i = 0; i < schema->n_children; i++) {
        struct ArrowSchema *child = schema->children[i];
        if (child->release != NULL)
            child->release(child);
    }
    if (schema->dictionary != NULL && schema->dictionary->release != NULL)
        schema->dictionary->release(schema->dictionary);
    base_free(priv->format);
    base_free(priv->name);
    base_free(priv->metadata);
    base_free(priv->child_ptrs);
    base_free(priv->children);
    base_free(priv);
    schema->release = NULL;
    schema->private_data = NULL;
}

/* Starts an exported schema node whose children are filled in by the caller
 * (out->n_children counts those done, so a failure releases what exists).
 * format is taken over (freed here on failure). */
static qv_status begin_schema(struct ArrowSchema *out, char *format, const char *name,
                              const arrow_metadata *metadata, int64_t flags, int32_t n_children,
                              qv_error *err)
{
    memset(out, 0, sizeof *out);
    schema_private *priv = base_calloc(1, sizeof *priv);
    if (priv == NULL) {
        base_free(format);
        return base_error_nomem(err, "exported schema");
    }
    priv->format = format;
    out->format = format;
    out->flags = flags;
    out->release = release_schema;
    out->private_data = priv;
    priv->name = base_strdup(name != NULL ? name : "");
    if (priv->name == NULL)
        goto nomem;
    out->name = priv->name;
    if (cdata_metadata_encode(metadata, &priv->metadata, err) != QV_OK)
        goto nomem;
    out->metadata = priv->metadata;
    if (n_children > 0) {
        priv->child_ptrs = base_calloc((size_t)n_children, sizeof(struct ArrowSchema *));
        priv->children = base_calloc((size_t)n_children, sizeof(struct ArrowSchema));
        if (priv->child_ptrs == NULL || priv->children == NULL)
            goto nomem;
        for (int32_t i = 0; i < n_children; i++)
            priv->child_ptrs[i] = &priv->children[i];
        out->children = priv->child_ptrs;
    }
    return QV_OK;
nomem:
    release_schema(out);
    return base_error_nomem(err, "exported schema");
}

static qv_status export_field_node(const char *name, const arrow_type *type, bool nullable,
                                   const arrow_metadata *metadata, struct ArrowSchema *out,
                                   qv_error *err)
{
    memset(out, 0, sizeof *out);
    char *format;
    QV_TRY(cdata_format_string(type, &format, err));
    int64_t flags = nullable ? ARROW_FLAG_NULLABLE : 0;
    if (type->id == QV_TYPE_DICTIONARY && type->ordered)
        flags |= ARROW_FLAG_DICTIONARY_ORDERED;
    if (type->id == QV_TYPE_MAP && type->keys_sorted)
        flags |= ARROW_FLAG_MAP_KEYS_SORTED;
    int32_t n_children = type->id == QV_TYPE_DICTIONARY ? 0 : type->n_children;
    QV_TRY(begin_schema(out, format, name, metadata, flags, n_children, err));
    schema_private *priv = out->private_data;
    qv_status status = QV_OK;
    for (int32_t i = 0; i < n_children && status == QV_OK; i++) {
        const arrow_field *child = type->children[i];
        status = export_field_node(child->name, child->type, child->nullable, &child->metadata,
                                   &priv->children[i], err);
        if (status == QV_OK)
            out->n_children++;
    }
    if (status == QV_OK && type->id == QV_TYPE_DICTIONARY) {
        status = export_field_node("", type->value_type, true, NULL, &priv->dictionary, err);
        if (status == QV_OK)
            out->dictionary = &priv->dictionary;
    }
    if (status != QV_OK)
        release_schema(out);
    return status;
}

qv_status arrow_export_type(const arrow_field *field, struct ArrowSchema *out, qv_error *err)
{
    return export_field_node(field->name, field->type, field->nullable, &field->metadata, out, err);
}

qv_status arrow_export_schema(const arrow_schema *schema, struct ArrowSchema *out, qv_error *err)
{
    char *format = base_strdup("+s");
    if (format == NULL) {
        memset(out, 0, sizeof *out);
        return base_error_nomem(err, "exported schema");
    }
    QV_TRY(begin_schema(out, format, "", &schema->metadata, 0, schema->n_fields, err));
    schema_private *priv = out->private_data;
    for (int32_t i = 0; i < schema->n_fields; i++) {
        const arrow_field *field = schema->fields[i];
        qv_status status = export_field_node(field->name, field->type, field->nullable,
                                             &field->metadata, &priv->children[i], err);
        if (status != QV_OK) {
            release_schema(out);
            return status;
        }
        out->n_children++;
    }
    return QV_OK;
}

/* ---- arrays ---- */

/* Owned by an exported ArrowArray; freed by release_array. */
typedef struct array_private {
    arrow_array *array; /* reference: keeps the buffers alive */
    arrow_batch *batch; /* reference, for an exported batch */
    const void **buffers;
    int64_t *variadic_sizes; /* views: the trailing buffer of data buffer sizes */
    struct ArrowArray **child_ptrs;
    struct ArrowArray *children;
    struct ArrowArray dictionary;
} array_private;

static void release_array(struct ArrowArray *array)
{
    if (array == NULL || array->release == NULL)
        return;
    array_private *priv = array->private_data;
    for (int64_t i = 0; i < array->n_children; i++) {
        struct ArrowArray *child = array->children[i];
        if (child->release != NULL)
            child->release(child);
    }
    if (array->dictionary != NULL && array->dictionary->release != NULL)
        array->dictionary->release(array->dictionary);
    arrow_array_release(priv->array);
    arrow_batch_release(priv->batch);
    base_free(priv->buffers);
    base_free(priv->variadic_sizes);
    base_free(priv->child_ptrs);
    base_free(priv->children);
    base_free(priv);
    array->release = NULL;
    array->private_data = NULL;
}

/* Starts an exported array node with room for n_buffers buffer pointers and
 * n_children children, filled in by the caller (out->n_children counts the
 * children done). */
static qv_status begin_array(struct ArrowArray *out, int64_t length, int64_t null_count,
                             int64_t offset, int32_t n_buffers, int32_t n_children, qv_error *err)
{
    memset(out, 0, sizeof *out);
    array_private *priv = base_calloc(1, sizeof *priv);
    if (priv == NULL)
        return base_error_nomem(err, "exported array");
    out->length = length;
    out->null_count = null_count;
    out->offset = offset;
    out->release = release_array;
    out->private_data = priv;
    if (n_buffers > 0) {
        priv->buffers = base_calloc((size_t)n_buffers, sizeof(const void *));
        if (priv->buffers == NULL)
            goto nomem;
        out->buffers = priv->buffers;
        out->n_buffers = n_buffers;
    }
    if (n_children > 0) {
        priv->child_ptrs = base_calloc((size_t)n_children, sizeof(struct ArrowArray *));
        priv->children = base_calloc((size_t)n_children, sizeof(struct ArrowArray));
        if (priv->child_ptrs == NULL || priv->children == NULL)
            goto nomem;
        for (int32_t i = 0; i < n_children; i++)
            priv->child_ptrs[i] = &priv->children[i];
        out->children = priv->child_ptrs;
    }
    return QV_OK;
nomem:
    release_array(out);
    return base_error_nomem(err, "exported array");
}

static qv_status export_array_node(arrow_array *array, struct ArrowArray *out, qv_error *err)
{
    arrow_type_id id = array->type->id;
    bool views = id == QV_TYPE_UTF8_VIEW || id == QV_TYPE_BINARY_VIEW;
    int32_t n_buffers = array->n_buffers + (views ? 1 : 0);
    QV_TRY(begin_array(out, array->length, array->null_count, array->offset, n_buffers,
                       array->n_children, err));
    array_private *priv = out->private_data;
    priv->array = arrow_array_retain(array);
    for (int32_t i = 0; i < array->n_buffers; i++)
        priv->buffers[i] = array->buffers[i] != NULL ? array->buffers[i]->data : NULL;
    if (views) {
        int32_t n_data = array->n_buffers - 2;
        /* At least one slot, so that the sizes buffer is never NULL. */
        priv->variadic_sizes = base_calloc(n_data > 0 ? (size_t)n_data : 1, sizeof(int64_t));
        if (priv->variadic_sizes == NULL) {
            release_array(out);
            return base_error_nomem(err, "exported array");
        }
        for (int32_t i = 0; i < n_data; i++)
            priv->variadic_sizes[i] = array->buffers[2 + i] ? array->buffers[2 + i]->size : 0;
        priv->buffers[n_buffers - 1] = priv->variadic_sizes;
    }
    qv_status status = QV_OK;
    for (int32_t i = 0; i < array->n_children && status == QV_OK; i++) {
        status = export_array_node(array->children[i], &priv->children[i], err);
        if (status == QV_OK)
            out->n_children++;
    }
    if (status == QV_OK && array->dictionary != NULL) {
        status = export_array_node(array->dictionary, &priv->dictionary, err);
        if (status == QV_OK)
            out->dictionary = &priv->dictionary;
    }
    if (status != QV_OK)
        release_array(out);
    return status;
}

qv_status arrow_export_array(arrow_array *array, struct ArrowArray *out, qv_error *err)
{
    return export_array_node(array, out, err);
}

qv_status arrow_export_batch(arrow_batch *batch, struct ArrowArray *out, qv_error *err)
{
    int32_t n_columns = batch->schema->n_fields;
    QV_TRY(begin_array(out, batch->n_rows, 0, 0, 1, n_columns, err));
    array_private *priv = out->private_data;
    priv->batch = arrow_batch_retain(batch);
    for (int32_t i = 0; i < n_columns; i++) {
        qv_status status = export_array_node(batch->columns[i], &priv->children[i], err);
        if (status != QV_OK) {
            release_array(out);
            return status;
        }
        out->n_children++;
    }
    return QV_OK;
}

/* ---- streams ---- */

/* Owned by an exported ArrowArrayStream. */
typedef struct stream_private {
    arrow_batch_source *source; /* owned */
    qv_error error;             /* the last error, for get_last_error */
    bool has_error;
} stream_private;

/* The errno-style code the C stream interface returns for a status. */
static int stream_errno(qv_status status)
{
    switch (status) {
    case QV_OK:
        return 0;
    case QV_NOMEM:
        return ENOMEM;
    case QV_INVALID:
    case QV_MISUSE:
        return EINVAL;
    case QV_NOT_IMPLEMENTED:
        return ENOSYS;
    default:
        return EIO;
    }
}

static int stream_result(stream_private *priv, qv_status status)
{
    priv->has_error = status != QV_OK;
    return stream_errno(status);
}

static int stream_get_schema(struct ArrowArrayStream *stream, struct ArrowSchema *out)
{
    stream_private *priv = stream->private_data;
    if (priv == NULL)
        return EINVAL;
    return stream_result(priv, arrow_export_schema(priv->source->schema, out, &priv->error));
}

static int stream_get_next(struct ArrowArrayStream *stream, struct ArrowArray *out)
{
    stream_private *priv = stream->private_data;
    if (priv == NULL)
        return EINVAL;
    memset(out, 0, sizeof *out);
    arrow_batch *batch = NULL;
    qv_status status = priv->source->next(priv->source, &batch, &priv->error);
    if (status != QV_OK || batch == NULL)
        return stream_result(priv, status); /* end of stream: out stays released */
    status = arrow_export_batch(batch, out, &priv->error);
    arrow_batch_release(batch);
    return stream_result(priv, status);
}

static const char *stream_get_last_error(struct ArrowArrayStream *stream)
{
    stream_private *priv = stream->private_data;
    if (priv == NULL || !priv->has_error)
        return NULL;
    return priv->error.message;
}

static void stream_release(struct ArrowArrayStream *stream)
{
    if (stream == NULL || stream->release == NULL)
        return;
    stream_private *priv = stream->private_data;
    priv->source->release(priv->source);
    base_free(priv);
    stream->release = NULL;
    stream->private_data = NULL;
}

qv_status arrow_export_stream(arrow_batch_source *source, struct ArrowArrayStream *out,
                              qv_error *err)
{
    memset(out, 0, sizeof *out);
    stream_private *priv = base_calloc(1, sizeof *priv);
    if (priv == NULL) {
        source->release(source);
        return base_error_nomem(err, "exported stream");
    }
    priv->source = source;
    out->get_schema = stream_get_schema;
    out->get_next = stream_get_next;
    out->get_last_error = stream_get_last_error;
    out->release = stream_release;
    out->private_data = priv;
    return QV_OK;
}
