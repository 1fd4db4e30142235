/*
 * parquet_meta.c — Parquet's footer and page headers (layer: format):
 * FileMetaData, SchemaElement (with logical and converted types),
 * RowGroup, ColumnChunk, ColumnMetaData and Statistics, and PageHeader,
 * read from the Thrift compact protocol (thrift_read.c) into the structs
 * of parquet_int.h. Fields this reader has no use for are skipped; a
 * missing required field or a malformed structure is QV_EXECUTION.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format/parquet_int.h"
#include "format/thrift.h"

qv_status pq_corrupt(qv_error *err, const char *fmt, ...)
{
    char msg[400];
    va_list args;
    va_start(args, fmt);
    vsnprintf(msg, sizeof msg, fmt, args);
    va_end(args);
    return base_error_set(err, QV_EXECUTION, "Parquet error: %s", msg);
}

static pq_bytes read_bytes(thrift_reader *r, uint8_t type)
{
    pq_bytes b;
    b.data = thrift_read_binary(r, type, &b.len);
    return b;
}

/* A TimeUnit union: MILLIS (1), MICROS (2), NANOS (3), each an empty struct. */
static arrow_time_unit read_time_unit(thrift_reader *r, uint8_t type)
{
    arrow_time_unit unit = QV_UNIT_MILLISECOND;
    if (!thrift_struct_begin(r, type))
        return unit;
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(r, &last, &id, &t)) {
        if (id == 2)
            unit = QV_UNIT_MICROSECOND;
        else if (id == 3)
            unit = QV_UNIT_NANOSECOND;
        thrift_skip(r, t);
    }
    thrift_struct_end(r);
    return unit;
}

/* The members of DecimalType, TimeType, TimestampType and IntType. */
static void read_logical_member(thrift_reader *r, pq_logical *lt)
{
    if (!thrift_struct_begin(r, THRIFT_STRUCT))
        return;
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(r, &last, &id, &t)) {
        switch (lt->kind) {
        case PQ_LOGICAL_DECIMAL:
            if (id == 1)
                lt->scale = thrift_read_i32(r, t);
            else if (id == 2)
                lt->precision = thrift_read_i32(r, t);
            else
                thrift_skip(r, t);
            break;
        case PQ_LOGICAL_TIME:
        case PQ_LOGICAL_TIMESTAMP:
            if (id == 1)
                lt->adjusted_utc = thrift_read_bool(r, t);
            else if (id == 2)
                lt->unit = read_time_unit(r, t);
            else
                thrift_skip(r, t);
            break;
        case PQ_LOGICAL_INTEGER:
            if (id == 1)
                lt->bit_width = thrift_read_i32(r, t);
            else if (id == 2)
                lt->is_signed = thrift_read_bool(r, t);
            else
                thrift_skip(r, t);
            break;
        default:
            thrift_skip(r, t);
            break;
        }
    }
    thrift_struct_end(r);
}

static void read_logical(thrift_reader *r, uint8_t type, pq_logical *lt)
{
    if (!thrift_struct_begin(r, type))
        return;
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(r, &last, &id, &t)) {
        if (t != THRIFT_STRUCT) {
            thrift_skip(r, t);
            continue;
        }
        bool known = (id >= 1 && id <= 8) || (id >= 10 && id <= 15);
        lt->kind = known ? (pq_logical_kind)id : PQ_LOGICAL_OTHER;
        read_logical_member(r, lt);
    }
    thrift_struct_end(r);
}

/* A list element (thrift_elem_reader) of FileMetaData.schema. */
static void read_schema_element(thrift_reader *r, uint8_t type, void *element)
{
    pq_schema_element *el = element;
    el->type = -1;
    el->repetition = -1;
    el->converted = PQ_CONVERTED_NONE;
    bool has_name = false;
    if (!thrift_struct_begin(r, type))
        return;
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(r, &last, &id, &t)) {
        switch (id) {
        case 1:
            el->type = thrift_read_i32(r, t);
            break;
        case 2:
            el->type_length = thrift_read_i32(r, t);
            break;
        case 3:
            el->repetition = thrift_read_i32(r, t);
            break;
        case 4:
            el->name = read_bytes(r, t);
            has_name = true;
            break;
        case 5:
            el->num_children = thrift_read_i32(r, t);
            break;
        case 6:
            el->converted = thrift_read_i32(r, t);
            break;
        case 7:
            el->scale = thrift_read_i32(r, t);
            break;
        case 8:
            el->precision = thrift_read_i32(r, t);
            break;
        case 10:
            read_logical(r, t, &el->logical);
            break;
        default:
            thrift_skip(r, t);
            break;
        }
    }
    thrift_struct_end(r);
    if (!has_name)
        thrift_fail(r, "Required field name is missing");
    if (el->type < -1 || el->type > PARQUET_FIXED_LEN_BYTE_ARRAY)
        thrift_fail(r, "unknown physical type");
    if (el->repetition < -1 || el->repetition > PARQUET_REPEATED)
        thrift_fail(r, "unknown repetition type");
    if (el->num_children < 0)
        thrift_fail(r, "negative number of children");
}

static void read_statistics(thrift_reader *r, uint8_t type, pq_statistics *st)
{
    if (!thrift_struct_begin(r, type))
        return;
    int16_t last = 0, id;
    uint8_t t;
    bool new_min = false, new_max = false;
    while (thrift_next_field(r, &last, &id, &t)) {
        switch (id) {
        case 1: /* deprecated max */
            if (!new_max) {
                st->max = read_bytes(r, t);
                st->has_max = true;
            } else
                thrift_skip(r, t);
            break;
        case 2: /* deprecated min */
            if (!new_min) {
                st->min = read_bytes(r, t);
                st->has_min = true;
            } else
                thrift_skip(r, t);
            break;
        case 3:
            st->null_count = thrift_read_i64(r, t);
            st->has_null_count = true;
            break;
        case 4:
            st->distinct_count = thrift_read_i64(r, t);
            st->has_distinct_count = true;
            break;
        case 5:
            st->max = read_bytes(r, t);
            st->has_max = new_max = true;
            break;
        case 6:
            st->min = read_bytes(r, t);
            st->has_min = new_min = true;
            break;
        default:
            thrift_skip(r, t);
            break;
        }
    }
    thrift_struct_end(r);
}

/* A list element (thrift_elem_reader) of ColumnMetaData.path_in_schema. */
static void read_path_element(thrift_reader *r, uint8_t type, void *element)
{
    *(pq_bytes *)element = read_bytes(r, type);
}

static void read_column_meta(thrift_reader *r, uint8_t type, pq_column_meta *m)
{
    m->dictionary_page_offset = -1;
    bool has[5] = {false, false, false, false, false};
    if (!thrift_struct_begin(r, type))
        return;
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(r, &last, &id, &t)) {
        switch (id) {
        case 1:
            m->type = thrift_read_i32(r, t);
            has[0] = true;
            break;
        case 3:
            if (m->path == NULL)
                m->path = thrift_read_list(r, t, sizeof *m->path, &m->n_path, read_path_element);
            else /* a second path: only the first counts */
                thrift_skip(r, t);
            break;
        case 4:
            m->codec = thrift_read_i32(r, t);
            has[1] = true;
            break;
        case 5:
            m->num_values = thrift_read_i64(r, t);
            has[2] = true;
            break;
        case 6:
            m->total_uncompressed_size = thrift_read_i64(r, t);
            break;
        case 7:
            m->total_compressed_size = thrift_read_i64(r, t);
            has[3] = true;
            break;
        case 9:
            m->data_page_offset = thrift_read_i64(r, t);
            has[4] = true;
            break;
        case 11:
            m->dictionary_page_offset = thrift_read_i64(r, t);
            break;
        case 12:
            read_statistics(r, t, &m->statistics);
            break;
        default:
            thrift_skip(r, t);
            break;
        }
    }
    thrift_struct_end(r);
    if (!(has[0] && has[1] && has[2] && has[3] && has[4]))
        thrift_fail(r, "Required field of ColumnMetaData is missing");
}

/* A list element (thrift_elem_reader) of RowGroup.columns. */
static void read_column_chunk(thrift_reader *r, uint8_t type, void *element)
{
    pq_column_chunk *c = element;
    if (!thrift_struct_begin(r, type))
        return;
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(r, &last, &id, &t)) {
        if (id == 1) {
            c->has_file_path = true;
            thrift_skip(r, t);
        } else if (id == 3 && !c->has_meta) {
            c->has_meta = true;
            read_column_meta(r, t, &c->meta);
        } else if (id == 8 || id == 9) {
            c->encrypted = true;
            thrift_skip(r, t);
        } else {
            thrift_skip(r, t);
        }
    }
    thrift_struct_end(r);
}

/* A list element (thrift_elem_reader) of FileMetaData.row_groups. */
static void read_row_group(thrift_reader *r, uint8_t type, void *element)
{
    pq_row_group *g = element;
    bool has_columns = false, has_rows = false;
    if (!thrift_struct_begin(r, type))
        return;
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(r, &last, &id, &t)) {
        if (id == 1 && !has_columns) {
            has_columns = true;
            g->columns =
                thrift_read_list(r, t, sizeof *g->columns, &g->n_columns, read_column_chunk);
        } else if (id == 2) {
            g->total_byte_size = thrift_read_i64(r, t);
        } else if (id == 3) {
            g->num_rows = thrift_read_i64(r, t);
            has_rows = true;
        } else {
            thrift_skip(r, t);
        }
    }
    thrift_struct_end(r);
    if (!has_columns || !has_rows)
        thrift_fail(r, "Required field of RowGroup is missing");
    if (g->num_rows < 0)
        thrift_fail(r, "negative row count");
}

/* A list element (thrift_elem_reader) of FileMetaData.key_value_metadata. */
static void read_key_value(thrift_reader *r, uint8_t type, void *element)
{
    pq_key_value *kv = element;
    if (!thrift_struct_begin(r, type))
        return;
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(r, &last, &id, &t)) {
        if (id == 1)
            kv->key = read_bytes(r, t);
        else if (id == 2) {
            kv->value = read_bytes(r, t);
            kv->has_value = true;
        } else
            thrift_skip(r, t);
    }
    thrift_struct_end(r);
}

void pq_meta_free(pq_file_meta *meta)
{
    for (int32_t g = 0; g < meta->n_row_groups; g++) {
        pq_row_group *rg = &meta->row_groups[g];
        for (int32_t c = 0; c < rg->n_columns; c++)
            base_free(rg->columns[c].meta.path);
        base_free(rg->columns);
    }
    base_free(meta->row_groups);
    base_free(meta->schema);
    base_free(meta->key_values);
    memset(meta, 0, sizeof *meta);
}

qv_status pq_meta_parse(const uint8_t *footer, size_t len, pq_file_meta *out, qv_error *err)
{
    memset(out, 0, sizeof *out);
    thrift_reader r;
    thrift_reader_init(&r, footer, len);
    bool has_schema = false, has_rows = false, has_groups = false;
    (void)thrift_struct_begin(&r, THRIFT_STRUCT);
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(&r, &last, &id, &t)) {
        switch (id) {
        case 1:
            out->version = thrift_read_i32(&r, t);
            break;
        case 2:
            if (has_schema) {
                thrift_skip(&r, t);
                break;
            }
            has_schema = true;
            out->schema =
                thrift_read_list(&r, t, sizeof *out->schema, &out->n_schema, read_schema_element);
            break;
        case 3:
            out->num_rows = thrift_read_i64(&r, t);
            has_rows = true;
            break;
        case 4:
            if (has_groups) {
                thrift_skip(&r, t);
                break;
            }
            has_groups = true;
            out->row_groups = thrift_read_list(&r, t, sizeof *out->row_groups, &out->n_row_groups,
                                               read_row_group);
            break;
        case 5:
            if (out->key_values == NULL)
                out->key_values = thrift_read_list(&r, t, sizeof *out->key_values,
                                                   &out->n_key_values, read_key_value);
            else
                thrift_skip(&r, t);
            break;
        case 6:
            out->created_by = read_bytes(&r, t);
            break;
        case 8:
            out->encrypted = true;
            thrift_skip(&r, t);
            break;
        default:
            thrift_skip(&r, t);
            break;
        }
    }
    thrift_struct_end(&r);
    if (!thrift_failed(&r) && (!has_schema || !has_rows || !has_groups))
        thrift_fail(&r, "Required field of FileMetaData is missing");
    if (!thrift_failed(&r) && out->n_schema == 0)
        thrift_fail(&r, "the schema is empty");
    if (thrift_failed(&r)) {
        const char *why = r.error;
        pq_meta_free(out);
        if (r.out_of_memory)
            return base_error_nomem(err, "Parquet metadata");
        return pq_corrupt(err, "Could not parse metadata: %s", why);
    }
    return QV_OK;
}

static void read_data_page_header(thrift_reader *r, uint8_t type, pq_page_header *h, bool v2)
{
    if (!thrift_struct_begin(r, type))
        return;
    int16_t last = 0, id;
    uint8_t t;
    bool has_values = false;
    while (thrift_next_field(r, &last, &id, &t)) {
        if (id == 1) {
            h->num_values = thrift_read_i32(r, t);
            has_values = true;
        } else if (!v2 && id == 2)
            h->encoding = thrift_read_i32(r, t);
        else if (!v2 && id == 3)
            h->def_encoding = thrift_read_i32(r, t);
        else if (!v2 && id == 4)
            h->rep_encoding = thrift_read_i32(r, t);
        else if (v2 && id == 2)
            h->num_nulls = thrift_read_i32(r, t);
        else if (v2 && id == 3)
            h->num_rows = thrift_read_i32(r, t);
        else if (v2 && id == 4)
            h->encoding = thrift_read_i32(r, t);
        else if (v2 && id == 5)
            h->def_length = thrift_read_i32(r, t);
        else if (v2 && id == 6)
            h->rep_length = thrift_read_i32(r, t);
        else if (v2 && id == 7)
            h->is_compressed = thrift_read_bool(r, t);
        else
            thrift_skip(r, t);
    }
    thrift_struct_end(r);
    if (!has_values || h->num_values < 0 || h->def_length < 0 || h->rep_length < 0)
        thrift_fail(r, "bad data page header");
    h->has_type_header = true;
}

static void read_dictionary_page_header(thrift_reader *r, uint8_t type, pq_page_header *h)
{
    if (!thrift_struct_begin(r, type))
        return;
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(r, &last, &id, &t)) {
        if (id == 1)
            h->num_values = thrift_read_i32(r, t);
        else if (id == 2)
            h->encoding = thrift_read_i32(r, t);
        else
            thrift_skip(r, t);
    }
    thrift_struct_end(r);
    if (h->num_values < 0)
        thrift_fail(r, "bad dictionary page header");
    h->has_type_header = true;
}

qv_status pq_page_header_parse(const uint8_t *data, size_t len, pq_page_header *out,
                               size_t *header_len, qv_error *err)
{
    memset(out, 0, sizeof *out);
    out->type = -1;
    out->is_compressed = true;
    thrift_reader r;
    thrift_reader_init(&r, data, len);
    bool has[3] = {false, false, false};
    (void)thrift_struct_begin(&r, THRIFT_STRUCT);
    int16_t last = 0, id;
    uint8_t t;
    while (thrift_next_field(&r, &last, &id, &t)) {
        switch (id) {
        case 1:
            out->type = thrift_read_i32(&r, t);
            has[0] = true;
            break;
        case 2:
            out->uncompressed_size = thrift_read_i32(&r, t);
            has[1] = true;
            break;
        case 3:
            out->compressed_size = thrift_read_i32(&r, t);
            has[2] = true;
            break;
        case 5:
            read_data_page_header(&r, t, out, false);
            break;
        case 7:
            read_dictionary_page_header(&r, t, out);
            break;
        case 8:
            read_data_page_header(&r, t, out, true);
            break;
        default:
            thrift_skip(&r, t);
            break;
        }
    }
    thrift_struct_end(&r);
    if (!thrift_failed(&r) && !(has[0] && has[1] && has[2]))
        thrift_fail(&r, "Required field of PageHeader is missing");
    if (!thrift_failed(&r) && (out->uncompressed_size < 0 || out->compressed_size < 0))
        thrift_fail(&r, "negative page size");
    if (thrift_failed(&r))
        return pq_corrupt(err, "Could not parse page header: %s", r.error);
    *header_len = (size_t)(r.pos - data);
    return QV_OK;
}
