/*
 * parquet_write_meta.c — the Parquet footer as thrift (layer: format):
 * FileMetaData with the schema elements (types, repetition, converted and
 * logical annotations), the row groups, key / value metadata, created_by
 * and a type-defined column order per leaf; and column Statistics (the
 * deprecated min / max too where the sort order is signed, as arrow-rs
 * writes them).
 */
#include <string.h>

#include "format/parquet_write_int.h"

static const char *default_created_by = "datafusion version 52.0.0";

static void write_time_unit(thrift_writer *w, int16_t id, int32_t unit)
{
    thrift_write_field_struct_begin(w, id);
    thrift_write_field_struct_begin(w, (int16_t)unit); /* MILLIS 1, MICROS 2, NANOS 3 */
    thrift_write_struct_end(w);
    thrift_write_struct_end(w);
}

static void write_logical(thrift_writer *w, const pqw_element *e)
{
    thrift_write_field_struct_begin(w, 10);
    thrift_write_field_struct_begin(w, (int16_t)e->logical);
    switch (e->logical) {
    case PQW_LOGICAL_DECIMAL:
        thrift_write_field_i32(w, 1, e->scale);
        thrift_write_field_i32(w, 2, e->precision);
        break;
    case PQW_LOGICAL_TIME:
    case PQW_LOGICAL_TIMESTAMP:
        thrift_write_field_bool(w, 1, e->adjusted_to_utc);
        write_time_unit(w, 2, e->time_unit);
        break;
    case PQW_LOGICAL_INTEGER:
        thrift_write_field_i8(w, 1, e->bit_width);
        thrift_write_field_bool(w, 2, e->is_signed);
        break;
    default:
        break; /* the others are empty structs */
    }
    thrift_write_struct_end(w);
    thrift_write_struct_end(w);
}

static void write_element(thrift_writer *w, const pqw_element *e)
{
    thrift_write_struct_begin(w);
    if (e->physical >= 0)
        thrift_write_field_i32(w, 1, e->physical);
    if (e->type_length >= 0)
        thrift_write_field_i32(w, 2, e->type_length);
    if ((int32_t)e->repetition >= 0)
        thrift_write_field_i32(w, 3, (int32_t)e->repetition);
    thrift_write_field_string(w, 4, e->name);
    if (e->physical < 0)
        thrift_write_field_i32(w, 5, e->num_children);
    if (e->converted >= 0)
        thrift_write_field_i32(w, 6, e->converted);
    if (e->scale >= 0 || e->logical == PQW_LOGICAL_DECIMAL) {
        thrift_write_field_i32(w, 7, e->scale);
        thrift_write_field_i32(w, 8, e->precision);
    }
    if (e->logical != PQW_LOGICAL_NONE)
        write_logical(w, e);
    thrift_write_struct_end(w);
}

void pqw_write_file_metadata(thrift_writer *w, const pqw_schema *schema,
                             const parquet_write_options *opts, int64_t num_rows,
                             int32_t n_row_groups, const base_strbuf *row_groups)
{
    thrift_write_struct_begin(w);
    thrift_write_field_i32(w, 1, opts->writer_version == 2 ? 2 : 1);
    thrift_write_field_list_begin(w, 2, THRIFT_STRUCT, schema->n_elements);
    for (int32_t i = 0; i < schema->n_elements; i++)
        write_element(w, &schema->elements[i]);
    thrift_write_field_i64(w, 3, num_rows);
    thrift_write_field_list_begin(w, 4, THRIFT_STRUCT, n_row_groups);
    base_strbuf_append(w->out, row_groups->data, row_groups->len);
    if (opts->n_metadata > 0) {
        thrift_write_field_list_begin(w, 5, THRIFT_STRUCT, opts->n_metadata);
        for (int32_t i = 0; i < opts->n_metadata; i++) {
            thrift_write_struct_begin(w);
            thrift_write_field_string(w, 1, opts->metadata_keys[i]);
            thrift_write_field_string(w, 2, opts->metadata_values[i]);
            thrift_write_struct_end(w);
        }
    }
    thrift_write_field_string(w, 6,
                              opts->created_by != NULL ? opts->created_by : default_created_by);
    thrift_write_field_list_begin(w, 7, THRIFT_STRUCT, schema->n_leaves);
    for (int32_t i = 0; i < schema->n_leaves; i++) {
        thrift_write_struct_begin(w);
        thrift_write_field_struct_begin(w, 1); /* TYPE_ORDER */
        thrift_write_struct_end(w);
        thrift_write_struct_end(w);
    }
    thrift_write_struct_end(w);
}

void pqw_write_statistics(thrift_writer *w, int16_t id, const pqw_leaf *leaf, const uint8_t *min,
                          size_t min_len, bool min_exact, const uint8_t *max, size_t max_len,
                          bool max_exact, int64_t null_count)
{
    bool deprecated_too = leaf->order == PQW_ORDER_SIGNED;
    thrift_write_field_struct_begin(w, id);
    if (min != NULL && max != NULL && deprecated_too) {
        thrift_write_field_binary(w, 1, max, max_len);
        thrift_write_field_binary(w, 2, min, min_len);
    }
    thrift_write_field_i64(w, 3, null_count);
    if (min != NULL && max != NULL) {
        thrift_write_field_binary(w, 5, max, max_len);
        thrift_write_field_binary(w, 6, min, min_len);
        thrift_write_field_bool(w, 7, max_exact);
        thrift_write_field_bool(w, 8, min_exact);
    }
    thrift_write_struct_end(w);
}
