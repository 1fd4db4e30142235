/*
 * select_concat.c — the concatenation kernel (layer: func): arrays of one
 * type one after another, and batches of one schema as one batch. Results
 * start at offset 0 and hold only the referenced ranges of the inputs,
 * except views, which share their data buffers (deduplicated). Dictionaries
 * are kept when all inputs share one, else concatenated (and deduplicated by
 * value when the merged dictionary outgrows the index type).
 */
#include "func/select_int.h"

/* Validity of the concatenation into *out (NULL when nothing is null). */
static qv_status concat_validity(int32_t n, arrow_array *const *arrays, int64_t total,
                                 arrow_buffer **out, int64_t *null_count, qv_error *err)
{
    *out = NULL;
    int64_t nulls = 0;
    for (int32_t k = 0; k < n; k++) {
        if (arrays[k]->buffers[0] != NULL)
            nulls += arrow_array_null_count(arrays[k]);
    }
    *null_count = nulls;
    if (nulls == 0)
        return QV_OK;
    QV_TRY(arrow_buffer_new((total + 7) / 8, out, err));
    int64_t pos = 0;
    for (int32_t k = 0; k < n; k++) {
        const arrow_array *a = arrays[k];
        if (a->length > 0)
            sel_copy_bits((*out)->data, pos, a->buffers[0] != NULL ? a->buffers[0]->data : NULL,
                          a->offset, a->length);
        pos += a->length;
    }
    return QV_OK;
}

static qv_status finish(arrow_type *type, int64_t total, int64_t null_count, int32_t n_buffers,
                        arrow_buffer **buffers, int32_t n_children, arrow_array **children,
                        arrow_array *dictionary, qv_status st, arrow_array **out, qv_error *err)
{
    if (st == QV_OK)
        st = arrow_array_new(type, total, null_count, 0, n_buffers, buffers, n_children, children,
                             dictionary, out, err);
    for (int32_t i = 0; i < n_buffers; i++)
        arrow_buffer_release(buffers[i]);
    for (int32_t i = 0; i < n_children; i++)
        arrow_array_release(children[i]);
    return st;
}

static qv_status concat_fixed(int32_t n, arrow_array *const *arrays, int64_t total,
                              arrow_array *dictionary, arrow_array **out, qv_error *err)
{
    arrow_type *type = arrays[0]->type;
    int32_t width = sel_fixed_width(type);
    arrow_buffer *buffers[2] = {NULL, NULL};
    int64_t null_count = 0;
    qv_status st = concat_validity(n, arrays, total, &buffers[0], &null_count, err);
    bool boolean = type->id == QV_TYPE_BOOLEAN;
    if (st == QV_OK)
        st = arrow_buffer_new(boolean ? (total + 7) / 8 : total * width, &buffers[1], err);
    int64_t pos = 0;
    for (int32_t k = 0; k < n && st == QV_OK; k++) {
        const arrow_array *a = arrays[k];
        if (a->length == 0)
            continue;
        if (boolean)
            sel_copy_bits(buffers[1]->data, pos, arrow_array_values(a), a->offset, a->length);
        else if (width > 0)
            memcpy(buffers[1]->data + pos * width, arrow_array_values(a) + a->offset * width,
                   (size_t)(a->length * width));
        pos += a->length;
    }
    return finish(type, total, null_count, 2, buffers, 0, NULL, dictionary, st, out, err);
}

static int64_t read_offset(const arrow_array *a, bool large, int64_t i)
{
    const uint8_t *data = a->buffers[1]->data;
    return large ? ((const int64_t *)data)[a->offset + i] : ((const int32_t *)data)[a->offset + i];
}

/* Offsets of the concatenation (rebased) into buffers[1]; *firsts / *lasts
 * get each input's referenced range. */
static qv_status concat_offsets(int32_t n, arrow_array *const *arrays, int64_t total, bool large,
                                arrow_buffer **out, int64_t *firsts, int64_t *lasts,
                                int64_t *out_total, qv_error *err)
{
    int64_t sum = 0;
    for (int32_t k = 0; k < n; k++) {
        const arrow_array *a = arrays[k];
        firsts[k] = a->length > 0 ? read_offset(a, large, 0) : 0;
        lasts[k] = a->length > 0 ? read_offset(a, large, a->length) : 0;
        sum += lasts[k] - firsts[k];
    }
    if (!large && sum > INT32_MAX)
        return base_error_set(err, QV_LIMIT,
                              "concat: the result needs %lld elements, more than a %s array "
                              "with 32-bit offsets holds",
                              (long long)sum, arrow_type_id_name(arrays[0]->type->id));
    QV_TRY(arrow_buffer_new((total + 1) * (large ? 8 : 4), out, err));
    uint8_t *data = (*out)->data;
    int64_t pos = 0, base = 0;
    for (int32_t k = 0; k < n; k++) {
        const arrow_array *a = arrays[k];
        for (int64_t i = 1; i <= a->length; i++) {
            int64_t value = read_offset(a, large, i) - firsts[k] + base;
            if (large)
                ((int64_t *)data)[pos + i] = value;
            else
                ((int32_t *)data)[pos + i] = (int32_t)value;
        }
        pos += a->length;
        base += lasts[k] - firsts[k];
    }
    *out_total = sum;
    return QV_OK;
}

static qv_status concat_binary(int32_t n, arrow_array *const *arrays, int64_t total, bool large,
                               arrow_array **out, qv_error *err)
{
    arrow_buffer *buffers[3] = {NULL, NULL, NULL};
    int64_t null_count = 0, bytes = 0;
    int64_t *ranges = base_alloc((size_t)n * 2 * sizeof *ranges);
    if (ranges == NULL)
        return base_error_nomem(err, "concat ranges");
    qv_status st = concat_validity(n, arrays, total, &buffers[0], &null_count, err);
    if (st == QV_OK)
        st = concat_offsets(n, arrays, total, large, &buffers[1], ranges, ranges + n, &bytes, err);
    if (st == QV_OK)
        st = arrow_buffer_new(bytes, &buffers[2], err);
    int64_t pos = 0;
    for (int32_t k = 0; k < n && st == QV_OK; k++) {
        int64_t len = ranges[n + k] - ranges[k];
        if (len > 0)
            memcpy(buffers[2]->data + pos, arrays[k]->buffers[2]->data + ranges[k], (size_t)len);
        pos += len;
    }
    base_free(ranges);
    return finish(arrays[0]->type, total, null_count, 3, buffers, 0, NULL, NULL, st, out, err);
}

static qv_status concat_view(int32_t n, arrow_array *const *arrays, int64_t total,
                             arrow_array **out, qv_error *err)
{
    int32_t max_data = 0;
    for (int32_t k = 0; k < n; k++)
        max_data += arrays[k]->n_buffers - 2;
    arrow_buffer **buffers = base_calloc((size_t)(2 + max_data), sizeof *buffers);
    int32_t *remap = base_alloc((size_t)(max_data > 0 ? max_data : 1) * sizeof *remap);
    if (buffers == NULL || remap == NULL) {
        base_free(buffers);
        base_free(remap);
        return base_error_nomem(err, "concat buffers");
    }
    int64_t null_count = 0;
    int32_t n_data = 0;
    qv_status st = concat_validity(n, arrays, total, &buffers[0], &null_count, err);
    if (st == QV_OK)
        st = arrow_buffer_new(total * 16, &buffers[1], err);
    int64_t pos = 0;
    for (int32_t k = 0; k < n && st == QV_OK; k++) {
        const arrow_array *a = arrays[k];
        /* Data buffers shared by several inputs (slices of one array) appear once. */
        for (int32_t b = 2; b < a->n_buffers; b++) {
            int32_t found = -1;
            for (int32_t d = 0; d < n_data && found < 0; d++)
                found = buffers[2 + d] == a->buffers[b] ? d : -1;
            if (found < 0) {
                buffers[2 + n_data] = arrow_buffer_retain(a->buffers[b]);
                found = n_data++;
            }
            remap[b - 2] = found;
        }
        uint8_t *dst = buffers[1]->data + pos * 16;
        memcpy(dst, a->buffers[1]->data + a->offset * 16, (size_t)(a->length * 16));
        for (int64_t i = 0; i < a->length; i++) {
            int32_t len, index;
            memcpy(&len, dst + i * 16, 4);
            if (len <= 12)
                continue;
            memcpy(&index, dst + i * 16 + 8, 4);
            index = remap[index];
            memcpy(dst + i * 16 + 8, &index, 4);
        }
        pos += a->length;
    }
    base_free(remap);
    st = finish(arrays[0]->type, total, null_count, 2 + n_data, buffers, 0, NULL, NULL, st, out,
                err);
    base_free(buffers);
    return st;
}

/* Concatenates slices [starts[k], starts[k] + lens[k]) of arrays[k]'s child c. */
static qv_status concat_child_slices(int32_t n, arrow_array *const *arrays, int32_t c,
                                     const int64_t *starts, const int64_t *lens, arrow_array **out,
                                     qv_error *err)
{
    arrow_array **slices = base_calloc((size_t)n, sizeof *slices);
    if (slices == NULL)
        return base_error_nomem(err, "concat slices");
    qv_status st = QV_OK;
    for (int32_t k = 0; k < n && st == QV_OK; k++)
        st = arrow_array_slice(arrays[k]->children[c], starts[k], lens[k], &slices[k], err);
    if (st == QV_OK)
        st = sel_concat(n, slices, out, err);
    for (int32_t k = 0; k < n; k++)
        arrow_array_release(slices[k]);
    base_free(slices);
    return st;
}

static qv_status concat_list(int32_t n, arrow_array *const *arrays, int64_t total, bool large,
                             arrow_array **out, qv_error *err)
{
    arrow_buffer *buffers[2] = {NULL, NULL};
    arrow_array *child = NULL;
    int64_t null_count = 0, n_child = 0;
    int64_t *ranges = base_alloc((size_t)n * 2 * sizeof *ranges);
    if (ranges == NULL)
        return base_error_nomem(err, "concat ranges");
    qv_status st = concat_validity(n, arrays, total, &buffers[0], &null_count, err);
    if (st == QV_OK)
        st = concat_offsets(n, arrays, total, large, &buffers[1], ranges, ranges + n, &n_child,
                            err);
    if (st == QV_OK) {
        for (int32_t k = 0; k < n; k++)
            ranges[n + k] -= ranges[k]; /* lengths */
        st = concat_child_slices(n, arrays, 0, ranges, ranges + n, &child, err);
    }
    base_free(ranges);
    return finish(arrays[0]->type, total, null_count, 2, buffers, child != NULL, &child, NULL, st,
                  out, err);
}

/* FIXED_SIZE_LIST (child ranges scaled by the list size) and STRUCT. */
static qv_status concat_children(int32_t n, arrow_array *const *arrays, int64_t total,
                                 arrow_array **out, qv_error *err)
{
    arrow_type *type = arrays[0]->type;
    int64_t scale = type->id == QV_TYPE_FIXED_SIZE_LIST ? type->fixed_size : 1;
    int32_t n_children = arrays[0]->n_children;
    arrow_buffer *validity = NULL;
    int64_t null_count = 0;
    int64_t *ranges = base_alloc((size_t)n * 2 * sizeof *ranges);
    arrow_array **children = base_calloc((size_t)(n_children > 0 ? n_children : 1),
                                         sizeof *children);
    qv_status st = QV_OK;
    if (ranges == NULL || children == NULL)
        st = base_error_nomem(err, "concat ranges");
    if (st == QV_OK)
        st = concat_validity(n, arrays, total, &validity, &null_count, err);
    for (int32_t k = 0; k < n && st == QV_OK; k++) {
        ranges[k] = arrays[k]->offset * scale;
        ranges[n + k] = arrays[k]->length * scale;
    }
    int32_t made = 0;
    for (; made < n_children && st == QV_OK; made++)
        st = concat_child_slices(n, arrays, made, ranges, ranges + n, &children[made], err);
    if (st != QV_OK && made > 0)
        made--; /* the failing child was not made */
    base_free(ranges);
    st = finish(type, total, null_count, 1, &validity, made, children, NULL, st, out, err);
    base_free(children);
    return st;
}

static qv_status concat_run_end(int32_t n, arrow_array *const *arrays, int64_t total,
                                arrow_array **out, qv_error *err)
{
    arrow_array *children[2] = {NULL, NULL};
    int64_t n_runs = 0;
    int64_t *ranges = base_alloc((size_t)n * 2 * sizeof *ranges);
    qv_status st = QV_OK;
    if (ranges == NULL)
        return base_error_nomem(err, "concat ranges");
    for (int32_t k = 0; k < n; k++) {
        const arrow_array *a = arrays[k];
        int64_t first = a->length > 0 ? sel_ree_physical(a, 0) : 0;
        int64_t last = a->length > 0 ? sel_ree_physical(a, a->length - 1) + 1 : 0;
        ranges[k] = first;
        ranges[n + k] = last - first;
        n_runs += last - first;
    }
    int64_t *ends = base_alloc((size_t)(n_runs > 0 ? n_runs : 1) * sizeof *ends);
    if (ends == NULL)
        st = base_error_nomem(err, "concat run ends");
    int64_t r_out = 0, base = 0;
    for (int32_t k = 0; k < n && st == QV_OK; k++) {
        const arrow_array *a = arrays[k];
        for (int64_t r = ranges[k]; r < ranges[k] + ranges[n + k]; r++) {
            int64_t end = sel_run_end(a->children[0], r) - a->offset;
            ends[r_out++] = base + (end < a->length ? end : a->length);
        }
        base += a->length;
    }
    if (st == QV_OK)
        st = sel_make_run_ends(arrays[0]->children[0]->type, ends, n_runs, &children[0], err);
    if (st == QV_OK)
        st = concat_child_slices(n, arrays, 1, ranges, ranges + n, &children[1], err);
    base_free(ends);
    base_free(ranges);
    int32_t made = (children[0] != NULL) + (children[1] != NULL);
    return finish(arrays[0]->type, total, -1, 0, NULL, st == QV_OK ? 2 : made, children, NULL, st,
                  out, err);
}

static int64_t index_type_max(arrow_type_id id)
{
    switch (id) {
    case QV_TYPE_INT8:
        return INT8_MAX;
    case QV_TYPE_UINT8:
        return UINT8_MAX;
    case QV_TYPE_INT16:
        return INT16_MAX;
    case QV_TYPE_UINT16:
        return UINT16_MAX;
    case QV_TYPE_INT32:
        return INT32_MAX;
    case QV_TYPE_UINT32:
        return UINT32_MAX;
    default:
        return INT64_MAX;
    }
}

static void write_index(uint8_t *data, arrow_type_id id, int64_t i, int64_t value)
{
    switch (arrow_type_bit_width(arrow_type_primitive(id))) {
    case 8:
        data[i] = (uint8_t)value;
        break;
    case 16:
        ((uint16_t *)data)[i] = (uint16_t)value;
        break;
    case 32:
        ((uint32_t *)data)[i] = (uint32_t)value;
        break;
    default:
        ((uint64_t *)data)[i] = (uint64_t)value;
        break;
    }
}

/* Maps each entry of dict to the first entry with an equal value (by sort
 * order), in *map; *unique holds the distinct entries as indices. */
static qv_status dedup_dictionary(arrow_array *dict, int64_t **map, uint32_t **unique,
                                  int64_t *n_unique, qv_error *err)
{
    int64_t n = dict->length;
    uint32_t *order = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *order);
    *map = base_alloc((size_t)(n > 0 ? n : 1) * sizeof **map);
    *unique = base_alloc((size_t)(n > 0 ? n : 1) * sizeof **unique);
    func_row_comparator *cmp = NULL;
    qv_status st = QV_OK;
    if (order == NULL || *map == NULL || *unique == NULL)
        st = base_error_nomem(err, "dictionary merge");
    func_sort_key key = {dict, false, true};
    bool asc = false, nulls_first = true;
    if (st == QV_OK)
        st = func_sort_indices(1, &key, n, -1, order, err);
    if (st == QV_OK)
        st = func_row_comparator_new(1, &dict->type, &asc, &nulls_first, &cmp, err);
    int64_t count = 0;
    for (int64_t r = 0; r < n && st == QV_OK; r++) {
        if (r == 0 || func_row_compare(cmp, &dict, order[r - 1], &dict, order[r]) != 0)
            (*unique)[count++] = order[r];
        (*map)[order[r]] = count - 1;
    }
    func_row_comparator_free(cmp);
    base_free(order);
    *n_unique = count;
    if (st != QV_OK) {
        base_free(*map);
        base_free(*unique);
        *map = NULL;
        *unique = NULL;
    }
    return st;
}

static qv_status concat_dictionary(int32_t n, arrow_array *const *arrays, int64_t total,
                                   arrow_array **out, qv_error *err)
{
    bool shared = true;
    for (int32_t k = 1; k < n; k++)
        shared &= arrays[k]->dictionary == arrays[0]->dictionary;
    if (shared)
        return concat_fixed(n, arrays, total, arrays[0]->dictionary, out, err);

    arrow_type *type = arrays[0]->type;
    arrow_type_id index_id = type->index_type->id;
    arrow_array *merged = NULL, *unique_dict = NULL, *result = NULL;
    arrow_array **dicts = base_calloc((size_t)n, sizeof *dicts);
    int64_t *map = NULL;
    uint32_t *unique = NULL;
    int64_t n_unique = 0;
    if (dicts == NULL)
        return base_error_nomem(err, "dictionary merge");
    for (int32_t k = 0; k < n; k++)
        dicts[k] = arrays[k]->dictionary;
    qv_status st = sel_concat(n, dicts, &merged, err);
    arrow_array *dictionary = merged;
    if (st == QV_OK && merged->length - 1 > index_type_max(index_id)) {
        st = dedup_dictionary(merged, &map, &unique, &n_unique, err);
        if (st == QV_OK && n_unique - 1 > index_type_max(index_id))
            st = base_error_set(err, QV_LIMIT,
                                "concat: %lld distinct dictionary values do not fit index type %s",
                                (long long)n_unique, arrow_type_id_name(index_id));
        if (st == QV_OK)
            st = sel_take(merged, unique, n_unique, &unique_dict, err);
        dictionary = unique_dict;
    }
    /* Indices written as they are, then rebased into the merged dictionary. */
    if (st == QV_OK)
        st = concat_fixed(n, arrays, total, dictionary, &result, err);
    if (st == QV_OK) {
        uint8_t *data = result->buffers[1]->data;
        int64_t pos = 0, base = 0;
        for (int32_t k = 0; k < n; k++) {
            for (int64_t i = 0; i < arrays[k]->length; i++, pos++) {
                if (result->buffers[0] != NULL && !arrow_bit_get(result->buffers[0]->data, pos))
                    continue;
                int64_t index = sel_read_int(data, index_id, pos) + base;
                write_index(data, index_id, pos, map != NULL ? map[index] : index);
            }
            base += arrays[k]->dictionary->length;
        }
        *out = result;
        result = NULL;
    }
    arrow_array_release(result);
    arrow_array_release(merged);
    arrow_array_release(unique_dict);
    base_free(map);
    base_free(unique);
    base_free(dicts);
    return st;
}

qv_status sel_concat(int32_t n, arrow_array *const *arrays, arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (n == 1 && arrays[0]->offset == 0) {
        *out = arrow_array_retain(arrays[0]);
        return QV_OK;
    }
    int64_t total = 0;
    for (int32_t k = 0; k < n; k++)
        total += arrays[k]->length;
    arrow_type *type = arrays[0]->type;
    switch (type->id) {
    case QV_TYPE_NULL:
        return arrow_array_new_null(type, total, out, err);
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
        return concat_binary(n, arrays, total, false, out, err);
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
        return concat_binary(n, arrays, total, true, out, err);
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        return concat_view(n, arrays, total, out, err);
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
        return concat_list(n, arrays, total, false, out, err);
    case QV_TYPE_LARGE_LIST:
        return concat_list(n, arrays, total, true, out, err);
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_STRUCT:
        return concat_children(n, arrays, total, out, err);
    case QV_TYPE_RUN_END_ENCODED:
        return concat_run_end(n, arrays, total, out, err);
    case QV_TYPE_DICTIONARY:
        return concat_dictionary(n, arrays, total, out, err);
    default:
        return concat_fixed(n, arrays, total, NULL, out, err);
    }
}

qv_status func_concat(int32_t n, arrow_array *const *arrays, arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (n < 1 || arrays == NULL)
        return base_error_set(err, QV_MISUSE, "concat needs at least one array");
    for (int32_t k = 1; k < n; k++) {
        if (!arrow_type_equal(arrays[k]->type, arrays[0]->type))
            return base_error_set(err, QV_INVALID, "concat: array %d is %s where array 0 is %s",
                                  k, arrow_type_id_name(arrays[k]->type->id),
                                  arrow_type_id_name(arrays[0]->type->id));
    }
    return sel_concat(n, arrays, out, err);
}

qv_status func_concat_batches(arrow_schema *schema, int32_t n, arrow_batch *const *batches,
                              arrow_batch **out, qv_error *err)
{
    *out = NULL;
    if (n < 0 || (n > 0 && batches == NULL))
        return base_error_set(err, QV_MISUSE, "concat needs batches");
    for (int32_t k = 0; k < n; k++) {
        if (batches[k]->schema != schema && !arrow_schema_equal(batches[k]->schema, schema))
            return base_error_set(err, QV_INVALID, "concat: batch %d has a different schema", k);
    }
    if (n == 1) {
        *out = arrow_batch_retain(batches[0]);
        return QV_OK;
    }
    int32_t n_cols = schema->n_fields;
    int64_t rows = 0;
    for (int32_t k = 0; k < n; k++)
        rows += batches[k]->n_rows;
    arrow_array **columns = base_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *columns);
    arrow_array **parts = base_calloc((size_t)(n > 0 ? n : 1), sizeof *parts);
    qv_status st = QV_OK;
    if (columns == NULL || parts == NULL)
        st = base_error_nomem(err, "concat result");
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++) {
        if (n == 0) {
            st = arrow_array_new_null(schema->fields[c]->type, 0, &columns[c], err);
            continue;
        }
        for (int32_t k = 0; k < n; k++)
            parts[k] = batches[k]->columns[c];
        st = sel_concat(n, parts, &columns[c], err);
    }
    if (st == QV_OK)
        st = arrow_batch_new(schema, rows, columns, out, err);
    for (int32_t c = 0; c < n_cols && columns != NULL; c++)
        arrow_array_release(columns[c]);
    base_free(columns);
    base_free(parts);
    return st;
}
