/*
 * thrift_write.c — the Thrift compact protocol encoder (layer: format):
 * field headers with delta-encoded ids, zigzag varint integers, binaries,
 * list headers and nested structs, as Parquet's page headers and footer
 * are written.
 */
#include <string.h>

#include "format/thrift.h"

void thrift_write_varint(base_strbuf *out, uint64_t value)
{
    char bytes[10];
    size_t n = 0;
    while (value >= 0x80) {
        bytes[n++] = (char)((value & 0x7f) | 0x80);
        value >>= 7;
    }
    bytes[n++] = (char)value;
    base_strbuf_append(out, bytes, n);
}

void thrift_write_zigzag(base_strbuf *out, int64_t value)
{
    thrift_write_varint(out, ((uint64_t)value << 1) ^ (uint64_t)(value >> 63));
}

void thrift_writer_init(thrift_writer *w, base_strbuf *out)
{
    w->out = out;
    w->depth = 0;
}

void thrift_write_struct_begin(thrift_writer *w)
{
    QV_ASSERT(w->depth < THRIFT_MAX_DEPTH);
    w->last_id[w->depth++] = 0;
}

void thrift_write_struct_end(thrift_writer *w)
{
    QV_ASSERT(w->depth > 0);
    base_strbuf_append_char(w->out, (char)THRIFT_STOP);
    w->depth--;
}

/* The short form packs the id delta (1..15) with the type in one byte. */
static void field_header(thrift_writer *w, int16_t id, thrift_type type)
{
    QV_ASSERT(w->depth > 0);
    int16_t *last = &w->last_id[w->depth - 1];
    int32_t delta = (int32_t)id - (int32_t)*last;
    if (delta > 0 && delta <= 15) {
        base_strbuf_append_char(w->out, (char)((delta << 4) | (int32_t)type));
    } else {
        base_strbuf_append_char(w->out, (char)type);
        thrift_write_zigzag(w->out, id);
    }
    *last = id;
}

void thrift_write_field_bool(thrift_writer *w, int16_t id, bool value)
{
    field_header(w, id, value ? THRIFT_BOOL_TRUE : THRIFT_BOOL_FALSE);
}

void thrift_write_field_i8(thrift_writer *w, int16_t id, int8_t value)
{
    field_header(w, id, THRIFT_BYTE);
    base_strbuf_append_char(w->out, (char)value);
}

void thrift_write_field_i16(thrift_writer *w, int16_t id, int16_t value)
{
    field_header(w, id, THRIFT_I16);
    thrift_write_zigzag(w->out, value);
}

void thrift_write_field_i32(thrift_writer *w, int16_t id, int32_t value)
{
    field_header(w, id, THRIFT_I32);
    thrift_write_zigzag(w->out, value);
}

void thrift_write_field_i64(thrift_writer *w, int16_t id, int64_t value)
{
    field_header(w, id, THRIFT_I64);
    thrift_write_zigzag(w->out, value);
}

void thrift_write_binary(thrift_writer *w, const void *data, size_t len)
{
    thrift_write_varint(w->out, len);
    if (len > 0)
        base_strbuf_append(w->out, data, len);
}

void thrift_write_field_binary(thrift_writer *w, int16_t id, const void *data, size_t len)
{
    field_header(w, id, THRIFT_BINARY);
    thrift_write_binary(w, data, len);
}

void thrift_write_field_string(thrift_writer *w, int16_t id, const char *s)
{
    thrift_write_field_binary(w, id, s, strlen(s));
}

void thrift_write_field_struct_begin(thrift_writer *w, int16_t id)
{
    field_header(w, id, THRIFT_STRUCT);
    thrift_write_struct_begin(w);
}

void thrift_write_field_list_begin(thrift_writer *w, int16_t id, thrift_type elem_type, int32_t n)
{
    field_header(w, id, THRIFT_LIST);
    if (n < 15) {
        base_strbuf_append_char(w->out, (char)((n << 4) | (int32_t)elem_type));
    } else {
        base_strbuf_append_char(w->out, (char)(0xf0 | (int32_t)elem_type));
        thrift_write_varint(w->out, (uint64_t)n);
    }
}

void thrift_write_i32(thrift_writer *w, int32_t value)
{
    thrift_write_zigzag(w->out, value);
}
