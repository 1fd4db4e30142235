/*
 * cdata_import.c — import of fields, schemas, arrays and batches from the
 * Arrow C Data Interface (layer: arrow).
 *
 * Import takes ownership of the C structs. A schema is translated into
 * arrow_type / arrow_field objects and released at once. An array's memory
 * stays where the producer put it: the top-level ArrowArray is moved into a
 * refcounted holder, every imported buffer wraps foreign memory and holds a
 * reference to it, and the producer's release runs when the last buffer
 * goes. The C interface carries no buffer sizes (except for view data
 * buffers), so sizes are computed from type, length, offset and offsets and
 * trusted; everything else is checked by arrow_array_validate before the
 * array is handed out. Every failure releases the input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arrow/cdata_int.h"

/* ---- schemas ---- */

static qv_status import_field_node(struct ArrowSchema *schema, int depth, bool force_non_null,
                                   arrow_field **out, qv_error *err);

static qv_status bad_schema(qv_error *err, const char *what, const char *format)
{
    return base_error_set(err, QV_INVALID, "invalid schema: %s (format \"%.64s\")", what,
                          format != NULL ? format : "(null)");
}

/* Imports n children of schema as fields into fields[0..n). */
static qv_status import_children(struct ArrowSchema *schema, int depth, int32_t n,
                                 arrow_field **fields, qv_error *err)
{
    for (int32_t i = 0; i < n; i++)
        QV_TRY(import_field_node(schema->children[i], depth, false, &fields[i], err));
    return QV_OK;
}

/* The type of a parsed format without children. */
static qv_status leaf_type(const cdata_format *format, arrow_type **out, qv_error *err)
{
    *out = arrow_type_primitive(format->id);
    if (*out != NULL)
        return QV_OK;
    switch (format->id) {
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        return arrow_type_decimal(format->id, format->precision, format->scale, out, err);
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
        return arrow_type_time(format->id, format->unit, out, err);
    case QV_TYPE_TIMESTAMP:
        return arrow_type_timestamp(format->unit, format->timezone, out, err);
    case QV_TYPE_DURATION:
        return arrow_type_duration(format->unit, out, err);
    case QV_TYPE_FIXED_SIZE_BINARY:
        return arrow_type_fixed_size_binary(format->fixed_size, out, err);
    default:
        return base_error_set(err, QV_INVALID, "invalid schema: %s needs children",
                              arrow_type_id_name(format->id));
    }
}

/* A map's entries field: a struct of exactly (key, value); entries and keys
 * are made non-nullable, as the spec requires of them, even when a producer
 * forgot the flag. */
static qv_status import_map_entries(struct ArrowSchema *entries, int depth, arrow_field **out,
                                    qv_error *err)
{
    *out = NULL;
    if (entries->release == NULL)
        return bad_schema(err, "a child is released", entries->format);
    if (entries->format == NULL || strcmp(entries->format, "+s") != 0 || entries->n_children != 2 ||
        entries->children == NULL || entries->children[0] == NULL || entries->children[1] == NULL ||
        entries->dictionary != NULL)
        return bad_schema(err, "a map's child must be a struct of key and value", entries->format);
    arrow_field *fields[2] = {NULL, NULL};
    arrow_type *type = NULL;
    arrow_metadata metadata = {0, NULL, NULL};
    qv_status status = import_field_node(entries->children[0], depth + 1, true, &fields[0], err);
    if (status == QV_OK)
        status = import_field_node(entries->children[1], depth + 1, false, &fields[1], err);
    if (status == QV_OK)
        status = arrow_type_struct(2, fields, &type, err);
    if (status == QV_OK)
        status = cdata_metadata_decode(entries->metadata, &metadata, err);
    if (status == QV_OK)
        status = arrow_field_new(entries->name != NULL ? entries->name : "", type, false, &metadata,
                                 out, err);
    arrow_metadata_clear(&metadata);
    arrow_type_release(type);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return status;
}

static qv_status import_type(struct ArrowSchema *schema, int depth, arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (depth > CDATA_MAX_DEPTH)
        return base_error_set(err, QV_INVALID, "invalid schema: nested deeper than %d levels",
                              CDATA_MAX_DEPTH);
    if (schema->release == NULL)
        return bad_schema(err, "a child or dictionary is released", schema->format);
    cdata_format format;
    QV_TRY(cdata_format_parse(schema->format, &format, err));
    if (schema->n_children < 0 || schema->n_children > INT32_MAX ||
        (schema->n_children > 0 && schema->children == NULL))
        return bad_schema(err, "bad children", schema->format);
    int32_t n_children = (int32_t)schema->n_children;
    for (int32_t i = 0; i < n_children; i++) {
        if (schema->children[i] == NULL)
            return bad_schema(err, "a child is NULL", schema->format);
    }

    if (schema->dictionary != NULL) {
        if (!arrow_type_is_integer(format.id) || n_children != 0)
            return bad_schema(err, "a dictionary's index type must be an integer", schema->format);
        arrow_type *values;
        QV_TRY(import_type(schema->dictionary, depth + 1, &values, err));
        qv_status status =
            arrow_type_dictionary(arrow_type_primitive(format.id), values,
                                  (schema->flags & ARROW_FLAG_DICTIONARY_ORDERED) != 0, out, err);
        arrow_type_release(values);
        return status;
    }

    int32_t want;
    switch (format.id) {
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_MAP:
        want = 1;
        break;
    case QV_TYPE_RUN_END_ENCODED:
        want = 2;
        break;
    case QV_TYPE_STRUCT:
        want = n_children;
        break;
    default:
        want = 0;
        break;
    }
    if (n_children != want) {
        base_error_set(err, QV_INVALID,
                       "invalid schema: %s has %d children where %d are expected (format "
                       "\"%.64s\")",
                       arrow_type_id_name(format.id), n_children, want, schema->format);
        return QV_INVALID;
    }
    if (want == 0 && format.id != QV_TYPE_STRUCT)
        return leaf_type(&format, out, err);

    arrow_field *stack_fields[2] = {NULL, NULL};
    arrow_field **fields = stack_fields;
    if (n_children > 2) {
        fields = base_calloc((size_t)n_children, sizeof(arrow_field *));
        if (fields == NULL)
            return base_error_nomem(err, "data type");
    }
    qv_status status;
    switch (format.id) {
    case QV_TYPE_MAP:
        status = import_map_entries(schema->children[0], depth + 1, &fields[0], err);
        if (status == QV_OK)
            status = arrow_type_map(fields[0], (schema->flags & ARROW_FLAG_MAP_KEYS_SORTED) != 0,
                                    out, err);
        break;
    case QV_TYPE_RUN_END_ENCODED:
        status = import_field_node(schema->children[0], depth + 1, true, &fields[0], err);
        if (status == QV_OK)
            status = import_field_node(schema->children[1], depth + 1, false, &fields[1], err);
        if (status == QV_OK)
            status = arrow_type_run_end_encoded(fields[0], fields[1], out, err);
        break;
    default:
        status = import_children(schema, depth + 1, n_children, fields, err);
        if (status != QV_OK)
            break;
        if (format.id == QV_TYPE_STRUCT)
            status = arrow_type_struct(n_children, fields, out, err);
        else if (format.id == QV_TYPE_FIXED_SIZE_LIST)
            status = arrow_type_fixed_size_list(fields[0], format.fixed_size, out, err);
        else
            status = arrow_type_list(format.id, fields[0], out, err);
        break;
    }
    for (int32_t i = 0; i < n_children; i++)
        arrow_field_release(fields[i]);
    if (fields != stack_fields)
        base_free(fields);
    return status;
}

static qv_status import_field_node(struct ArrowSchema *schema, int depth, bool force_non_null,
                                   arrow_field **out, qv_error *err)
{
    *out = NULL;
    arrow_type *type;
    QV_TRY(import_type(schema, depth, &type, err));
    arrow_metadata metadata;
    qv_status status = cdata_metadata_decode(schema->metadata, &metadata, err);
    if (status == QV_OK) {
        bool nullable = !force_non_null && (schema->flags & ARROW_FLAG_NULLABLE) != 0;
        status = arrow_field_new(schema->name != NULL ? schema->name : "", type, nullable,
                                 &metadata, out, err);
        arrow_metadata_clear(&metadata);
    }
    arrow_type_release(type);
    return status;
}

static void release_schema_input(struct ArrowSchema *schema)
{
    if (schema != NULL && schema->release != NULL)
        schema->release(schema);
}

qv_status arrow_import_field(struct ArrowSchema *schema, arrow_field **out, qv_error *err)
{
    *out = NULL;
    if (schema == NULL || schema->release == NULL)
        return base_error_set(err, QV_INVALID, "invalid schema: NULL or already released");
    qv_status status = import_field_node(schema, 0, false, out, err);
    release_schema_input(schema);
    return status;
}

qv_status arrow_import_schema(struct ArrowSchema *schema, arrow_schema **out, qv_error *err)
{
    *out = NULL;
    if (schema == NULL || schema->release == NULL)
        return base_error_set(err, QV_INVALID, "invalid schema: NULL or already released");
    arrow_type *type = NULL;
    arrow_metadata metadata = {0, NULL, NULL};
    qv_status status = import_type(schema, 0, &type, err);
    if (status == QV_OK && type->id != QV_TYPE_STRUCT)
        status = base_error_set(err, QV_INVALID,
                                "invalid schema: a schema must be a struct (\"+s\"), not %s",
                                arrow_type_id_name(type->id));
    if (status == QV_OK)
        status = cdata_metadata_decode(schema->metadata, &metadata, err);
    if (status == QV_OK)
        status = arrow_schema_new(type->n_children, type->children, &metadata, out, err);
    arrow_metadata_clear(&metadata);
    arrow_type_release(type);
    release_schema_input(schema);
    return status;
}

/* ---- arrays ---- */

/* Owns the moved top-level ArrowArray; every imported buffer holds one
 * reference, and so does the import while it runs. */
typedef struct import_holder {
    _Atomic int32_t refcount;
    struct ArrowArray array;
} import_holder;

static void holder_release(import_holder *holder)
{
    if (atomic_fetch_sub_explicit(&holder->refcount, 1, memory_order_acq_rel) != 1)
        return;
    if (holder->array.release != NULL)
        holder->array.release(&holder->array);
    base_free(holder);
}

static void release_foreign_buffer(arrow_buffer *buffer)
{
    holder_release(buffer->owner);
}

/* Bytes of n_values values of bit_width bits; false on overflow. */
static bool bytes_for(int64_t n_values, int64_t bit_width, int64_t *out)
{
    if (bit_width > 0 && n_values > (INT64_MAX - 7) / bit_width)
        return false;
    *out = (n_values * bit_width + 7) / 8;
    return true;
}

/* Makes *out an arrow_buffer for foreign memory data[0..size), or, when the
 * producer left the pointer NULL (allowed for empty buffers and empty
 * arrays), an owned zero-filled buffer of size bytes. */
static qv_status import_buffer(import_holder *holder, const arrow_type *type, int32_t index,
                               const void *data, int64_t size, bool empty_array, arrow_buffer **out,
                               qv_error *err)
{
    *out = NULL;
    if (data == NULL) {
        if (size > 0 && !empty_array)
            return cdata_invalid_array(type, err, "buffer %d is NULL but %lld bytes are needed",
                                       index, (long long)size);
        return arrow_buffer_new(size, out, err);
    }
    atomic_fetch_add_explicit(&holder->refcount, 1, memory_order_relaxed);
    qv_status status = arrow_buffer_wrap(data, size, release_foreign_buffer, holder, out, err);
    if (status != QV_OK)
        atomic_fetch_sub_explicit(&holder->refcount, 1, memory_order_relaxed);
    return status;
}

static int64_t read_offset(const void *data, int width, int64_t i)
{
    if (width == 4) {
        int32_t value;
        memcpy(&value, (const uint8_t *)data + i * 4, 4);
        return value;
    }
    int64_t value;
    memcpy(&value, (const uint8_t *)data + i * 8, 8);
    return value;
}

/* The imported buffers of one array, by layout. c is the producer's struct,
 * offset the (normalised) offset; buffers has room for every buffer. */
static qv_status import_buffers(import_holder *holder, const struct ArrowArray *c,
                                const arrow_type *type, int64_t offset, arrow_buffer **buffers,
                                qv_error *err)
{
    int64_t end = offset + c->length;
    bool empty = c->length == 0;
    int32_t n_expected = arrow_layout_buffers(type);
    if (n_expected == 0)
        return QV_OK;
    /* Validity: absent when there are no nulls (or no elements). */
    if (c->buffers[0] != NULL && !empty) {
        int64_t size;
        bytes_for(end, 1, &size);
        QV_TRY(import_buffer(holder, type, 0, c->buffers[0], size, false, &buffers[0], err));
    } else if (c->null_count > 0) {
        return cdata_invalid_array(type, err, "null_count is %lld but the validity buffer is NULL",
                                   (long long)c->null_count);
    }
    int64_t size;
    switch (type->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
    case QV_TYPE_LARGE_LIST: {
        int width = type->id == QV_TYPE_UTF8 || type->id == QV_TYPE_BINARY ||
                            type->id == QV_TYPE_LIST || type->id == QV_TYPE_MAP
                        ? 4
                        : 8;
        if (end == INT64_MAX || !bytes_for(end + 1, width * 8, &size))
            return cdata_invalid_array(type, err, "offset + length overflows the offsets buffer");
        QV_TRY(import_buffer(holder, type, 1, c->buffers[1], size, empty, &buffers[1], err));
        if (n_expected == 3) {
            /* The data buffer's size is where the last offset points. */
            int64_t data_size = read_offset(buffers[1]->data, width, end);
            if (data_size < 0)
                return cdata_invalid_array(type, err, "the last offset is negative (%lld)",
                                           (long long)data_size);
            QV_TRY(
                import_buffer(holder, type, 2, c->buffers[2], data_size, false, &buffers[2], err));
        }
        return QV_OK;
    }
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW: {
        if (!bytes_for(end, 128, &size))
            return cdata_invalid_array(type, err, "offset + length overflows the views buffer");
        QV_TRY(import_buffer(holder, type, 1, c->buffers[1], size, empty, &buffers[1], err));
        int64_t n_data = c->n_buffers - 3;
        const int64_t *sizes = c->buffers[c->n_buffers - 1];
        if (n_data > 0 && sizes == NULL)
            return cdata_invalid_array(type, err, "the variadic buffer sizes are missing");
        for (int64_t i = 0; i < n_data; i++) {
            int64_t data_size;
            memcpy(&data_size, sizes + i, sizeof data_size);
            if (data_size < 0)
                return cdata_invalid_array(type, err, "data buffer %lld has a negative size",
                                           (long long)i);
            QV_TRY(import_buffer(holder, type, (int32_t)(2 + i), c->buffers[2 + i], data_size,
                                 false, &buffers[2 + i], err));
        }
        return QV_OK;
    }
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_STRUCT:
        return QV_OK;
    default:
        if (!bytes_for(end, cdata_fixed_bit_width(type), &size))
            return cdata_invalid_array(type, err, "offset + length overflows the values buffer");
        return import_buffer(holder, type, 1, c->buffers[1], size, empty, &buffers[1], err);
    }
}

static qv_status import_array_node(import_holder *holder, struct ArrowArray *c, arrow_type *type,
                                   int depth, arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (depth > CDATA_MAX_DEPTH)
        return cdata_invalid_array(type, err, "nested deeper than %d levels", CDATA_MAX_DEPTH);
    if (c == NULL || c->release == NULL)
        return cdata_invalid_array(type, err, "a child or dictionary is NULL or released");
    if (c->length < 0 || c->offset < 0 || c->offset > INT64_MAX - c->length)
        return cdata_invalid_array(type, err, "bad length (%lld) or offset (%lld)",
                                   (long long)c->length, (long long)c->offset);
    if (c->null_count < -1 || c->null_count > c->length)
        return cdata_invalid_array(type, err, "null_count %lld is outside [0, length %lld]",
                                   (long long)c->null_count, (long long)c->length);
    bool views = type->id == QV_TYPE_UTF8_VIEW || type->id == QV_TYPE_BINARY_VIEW;
    int64_t want_buffers = arrow_layout_buffers(type) + (views ? 1 : 0);
    if (views ? c->n_buffers < want_buffers || c->n_buffers > INT32_MAX
              : c->n_buffers != want_buffers)
        return cdata_invalid_array(type, err, "%lld buffers where %s%lld are expected",
                                   (long long)c->n_buffers, views ? "at least " : "",
                                   (long long)want_buffers);
    if (c->n_buffers > 0 && c->buffers == NULL)
        return cdata_invalid_array(type, err, "the buffers pointer is NULL");
    int32_t n_children = arrow_layout_children(type);
    if (c->n_children != n_children)
        return cdata_invalid_array(type, err, "%lld children where %d are expected",
                                   (long long)c->n_children, n_children);
    if (n_children > 0 && c->children == NULL)
        return cdata_invalid_array(type, err, "the children pointer is NULL");
    if ((type->id == QV_TYPE_DICTIONARY) != (c->dictionary != NULL))
        return cdata_invalid_array(type, err,
                                   type->id == QV_TYPE_DICTIONARY ? "the dictionary is missing"
                                                                  : "unexpected dictionary");

    /* The n_buffers of the array: the C interface's minus views' sizes buffer. */
    int32_t n_buffers = (int32_t)c->n_buffers - (views ? 1 : 0);
    arrow_buffer *stack_buffers[3] = {NULL, NULL, NULL};
    arrow_array *stack_children[2] = {NULL, NULL};
    arrow_buffer **buffers = stack_buffers;
    arrow_array **children = stack_children;
    arrow_array *dictionary = NULL;
    qv_status status = QV_OK;
    if (n_buffers > 3)
        buffers = base_calloc((size_t)n_buffers, sizeof(arrow_buffer *));
    if (n_children > 2)
        children = base_calloc((size_t)n_children, sizeof(arrow_array *));
    if (buffers == NULL || children == NULL)
        status = base_error_nomem(err, "imported array");

    for (int32_t i = 0; i < n_children && status == QV_OK; i++) {
        status = import_array_node(holder, c->children[i], type->children[i]->type, depth + 1,
                                   &children[i], err);
    }
    if (status == QV_OK && c->dictionary != NULL)
        status =
            import_array_node(holder, c->dictionary, type->value_type, depth + 1, &dictionary, err);
    /* The offset of an empty array is meaningless; 0 keeps computed sizes small. */
    int64_t offset = c->length == 0 ? 0 : c->offset;
    if (status == QV_OK)
        status = import_buffers(holder, c, type, offset, buffers, err);
    if (status == QV_OK) {
        int64_t null_count =
            buffers[0] == NULL && n_buffers > 0 ? (c->null_count < 0 ? -1 : 0) : c->null_count;
        if (c->length == 0)
            null_count = 0;
        status = arrow_array_new(type, c->length, null_count, offset, n_buffers, buffers,
                                 n_children, children, dictionary, out, err);
    }
    if (buffers != NULL) {
        for (int32_t i = 0; i < n_buffers; i++)
            arrow_buffer_release(buffers[i]);
    }
    if (children != NULL) {
        for (int32_t i = 0; i < n_children; i++)
            arrow_array_release(children[i]);
    }
    arrow_array_release(dictionary);
    if (buffers != stack_buffers)
        base_free(buffers);
    if (children != stack_children)
        base_free(children);
    return status;
}

static void release_array_input(struct ArrowArray *array)
{
    if (array != NULL && array->release != NULL)
        array->release(array);
}

qv_status arrow_import_array(struct ArrowArray *array, arrow_type *type, arrow_array **out,
                             qv_error *err)
{
    *out = NULL;
    if (array == NULL || array->release == NULL)
        return base_error_set(err, QV_INVALID, "invalid array: NULL or already released");
    if (type == NULL) {
        release_array_input(array);
        return base_error_set(err, QV_MISUSE, "importing an array needs its type");
    }
    import_holder *holder = base_alloc(sizeof *holder);
    if (holder == NULL) {
        release_array_input(array);
        return base_error_nomem(err, "imported array");
    }
    atomic_init(&holder->refcount, 1);
    holder->array = *array;
    array->release = NULL; /* moved */
    qv_status status = import_array_node(holder, &holder->array, type, 0, out, err);
    if (status == QV_OK) {
        status = arrow_array_validate(*out, err);
        if (status != QV_OK) {
            arrow_array_release(*out);
            *out = NULL;
        }
    }
    holder_release(holder);
    return status;
}

qv_status arrow_import_batch(struct ArrowArray *array, arrow_schema *schema, arrow_batch **out,
                             qv_error *err)
{
    *out = NULL;
    if (array == NULL || array->release == NULL)
        return base_error_set(err, QV_INVALID, "invalid array: NULL or already released");
    if (schema == NULL) {
        release_array_input(array);
        return base_error_set(err, QV_MISUSE, "importing a batch needs its schema");
    }
    arrow_type *type;
    qv_status status = arrow_type_struct(schema->n_fields, schema->fields, &type, err);
    if (status != QV_OK) {
        release_array_input(array);
        return status;
    }
    arrow_array *imported;
    status = arrow_import_array(array, type, &imported, err);
    arrow_type_release(type);
    QV_TRY(status);
    if (arrow_array_null_count(imported) > 0) {
        arrow_array_release(imported);
        return base_error_set(err, QV_INVALID,
                              "invalid record batch: the struct array has top-level nulls");
    }
    arrow_array *stack_columns[8];
    arrow_array **columns = stack_columns;
    int32_t n = schema->n_fields;
    if (n > 8) {
        columns = base_calloc((size_t)n, sizeof(arrow_array *));
        if (columns == NULL) {
            arrow_array_release(imported);
            return base_error_nomem(err, "record batch");
        }
    }
    int32_t n_done = 0;
    for (; n_done < n && status == QV_OK; n_done++) {
        arrow_array *child = imported->children[n_done];
        if (imported->offset == 0 && child->length == imported->length)
            columns[n_done] = arrow_array_retain(child);
        else
            status =
                arrow_array_slice(child, imported->offset, imported->length, &columns[n_done], err);
    }
    if (status == QV_OK)
        status = arrow_batch_new(schema, imported->length, columns, out, err);
    for (int32_t i = 0; i < n_done; i++)
        arrow_array_release(columns[i]);
    if (columns != stack_columns)
        base_free(columns);
    arrow_array_release(imported);
    return status;
}
