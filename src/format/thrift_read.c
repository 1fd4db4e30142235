/*
 * thrift_read.c — the Thrift compact protocol decoder (layer: format):
 * varints and zigzag integers, field headers with delta-encoded ids,
 * binaries, list / set / map headers, lists read into arrays and skipping
 * of values nobody asked for, with strict bounds and a nesting limit (see thrift.h). Parquet's
 * footer and page headers are parsed with it in parquet_meta.c.
 */
#include "base/base.h"
#include "format/thrift.h"

void thrift_reader_init(thrift_reader *r, const uint8_t *data, size_t len)
{
    r->pos = data;
    r->end = data + len;
    r->depth = 0;
    r->error = NULL;
    r->out_of_memory = false;
}

bool thrift_failed(const thrift_reader *r)
{
    return r->error != NULL;
}

void thrift_fail(thrift_reader *r, const char *why)
{
    if (r->error == NULL)
        r->error = why;
    r->pos = r->end;
}

static uint8_t read_byte(thrift_reader *r)
{
    if (r->pos >= r->end) {
        thrift_fail(r, "unexpected end of input");
        return 0;
    }
    return *r->pos++;
}

/* An unsigned LEB128 varint of at most 10 bytes. */
static uint64_t read_varint(thrift_reader *r)
{
    uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        uint8_t byte = read_byte(r);
        if (r->error != NULL)
            return 0;
        if (shift == 63 && (byte & 0x7e) != 0) {
            thrift_fail(r, "varint overflows 64 bits");
            return 0;
        }
        value |= (uint64_t)(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return value;
    }
    thrift_fail(r, "varint longer than 10 bytes");
    return 0;
}

static int64_t read_zigzag(thrift_reader *r)
{
    uint64_t v = read_varint(r);
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static void enter(thrift_reader *r)
{
    if (++r->depth > THRIFT_MAX_DEPTH)
        thrift_fail(r, "nesting too deep");
}

static void leave(thrift_reader *r)
{
    if (r->depth > 0)
        r->depth--;
}

bool thrift_struct_begin(thrift_reader *r, uint8_t type)
{
    if (type != THRIFT_STRUCT) {
        thrift_fail(r, "expected a struct");
        return false;
    }
    enter(r);
    return r->error == NULL;
}

void thrift_struct_end(thrift_reader *r)
{
    leave(r);
}

bool thrift_next_field(thrift_reader *r, int16_t *last_id, int16_t *id, uint8_t *type)
{
    uint8_t header = read_byte(r);
    if (r->error != NULL || header == THRIFT_STOP)
        return false;
    *type = header & 0x0f;
    if (*type == THRIFT_STOP || *type > THRIFT_STRUCT) {
        thrift_fail(r, "invalid field type");
        return false;
    }
    uint8_t delta = header >> 4;
    if (delta != 0) {
        *id = (int16_t)(*last_id + delta);
    } else {
        int64_t v = read_zigzag(r);
        if (v < INT16_MIN || v > INT16_MAX) {
            thrift_fail(r, "field id out of range");
            return false;
        }
        *id = (int16_t)v;
    }
    *last_id = *id;
    return r->error == NULL;
}

int64_t thrift_read_i64(thrift_reader *r, uint8_t type)
{
    switch (type) {
    case THRIFT_BYTE:
        return (int8_t)read_byte(r);
    case THRIFT_I16:
    case THRIFT_I32:
    case THRIFT_I64:
        return read_zigzag(r);
    default:
        thrift_fail(r, "expected an integer");
        return 0;
    }
}

int32_t thrift_read_i32(thrift_reader *r, uint8_t type)
{
    int64_t v = thrift_read_i64(r, type);
    if (v < INT32_MIN || v > INT32_MAX) {
        thrift_fail(r, "integer out of range");
        return 0;
    }
    return (int32_t)v;
}

bool thrift_read_bool(thrift_reader *r, uint8_t type)
{
    if (type == THRIFT_BOOL_FALSE)
        return false;
    if (type != THRIFT_BOOL_TRUE) {
        thrift_fail(r, "expected a bool");
        return false;
    }
    return true;
}

const uint8_t *thrift_read_binary(thrift_reader *r, uint8_t type, uint32_t *len)
{
    *len = 0;
    if (type != THRIFT_BINARY) {
        thrift_fail(r, "expected a binary");
        return r->end;
    }
    uint64_t n = read_varint(r);
    if (r->error != NULL)
        return r->end;
    if (n > (uint64_t)(r->end - r->pos)) {
        thrift_fail(r, "binary longer than the input");
        return r->end;
    }
    const uint8_t *p = r->pos;
    r->pos += n;
    *len = (uint32_t)n;
    return p;
}

void thrift_list_begin(thrift_reader *r, uint8_t type, uint8_t *elem_type, int32_t *n)
{
    *n = 0;
    *elem_type = THRIFT_STOP;
    enter(r);
    if (type != THRIFT_LIST && type != THRIFT_SET) {
        thrift_fail(r, "expected a list");
        return;
    }
    uint8_t header = read_byte(r);
    uint64_t size = header >> 4;
    if (size == 15)
        size = read_varint(r);
    *elem_type = header & 0x0f;
    if (r->error != NULL)
        return;
    if (*elem_type == THRIFT_STOP || *elem_type > THRIFT_STRUCT) {
        thrift_fail(r, "invalid list element type");
        return;
    }
    /* every element takes at least one byte */
    if (size > (uint64_t)(r->end - r->pos)) {
        thrift_fail(r, "list longer than the input");
        return;
    }
    *n = (int32_t)size;
}

void thrift_list_end(thrift_reader *r)
{
    leave(r);
}

void *thrift_read_list(thrift_reader *r, uint8_t type, size_t elem_size, int32_t *n_items,
                       thrift_elem_reader read_elem)
{
    *n_items = 0;
    uint8_t elem_type;
    int32_t n;
    thrift_list_begin(r, type, &elem_type, &n);
    uint8_t *items = NULL;
    if (n > 0 && r->error == NULL) {
        items = base_calloc((size_t)n, elem_size);
        if (items == NULL) {
            thrift_fail(r, "out of memory");
            r->out_of_memory = true;
        }
    }
    for (int32_t i = 0; i < n && r->error == NULL; i++) {
        *n_items = i + 1;
        read_elem(r, elem_type, items + (size_t)i * elem_size);
    }
    thrift_list_end(r);
    return items;
}

static void skip_bytes(thrift_reader *r, size_t n)
{
    if ((size_t)(r->end - r->pos) < n)
        thrift_fail(r, "unexpected end of input");
    else
        r->pos += n;
}

/* A list element of bool type is a byte (1 true, 0 or 2 false). */
static void skip_list_elem(thrift_reader *r, uint8_t type)
{
    if (type == THRIFT_BOOL_TRUE || type == THRIFT_BOOL_FALSE)
        skip_bytes(r, 1);
    else
        thrift_skip(r, type);
}

void thrift_skip(thrift_reader *r, uint8_t type)
{
    switch (type) {
    case THRIFT_BOOL_TRUE:
    case THRIFT_BOOL_FALSE:
        return;
    case THRIFT_BYTE:
        skip_bytes(r, 1);
        return;
    case THRIFT_I16:
    case THRIFT_I32:
    case THRIFT_I64:
        (void)read_varint(r);
        return;
    case THRIFT_DOUBLE:
        skip_bytes(r, 8);
        return;
    case THRIFT_BINARY: {
        uint32_t len;
        (void)thrift_read_binary(r, type, &len);
        return;
    }
    case THRIFT_LIST:
    case THRIFT_SET: {
        uint8_t elem;
        int32_t n;
        thrift_list_begin(r, type, &elem, &n);
        for (int32_t i = 0; i < n && r->error == NULL; i++)
            skip_list_elem(r, elem);
        thrift_list_end(r);
        return;
    }
    case THRIFT_MAP: {
        enter(r);
        uint64_t n = read_varint(r);
        if (n > 0 && r->error == NULL) {
            uint8_t kv = read_byte(r);
            uint8_t kt = kv >> 4, vt = kv & 0x0f;
            if (kt == THRIFT_STOP || kt > THRIFT_STRUCT || vt == THRIFT_STOP || vt > THRIFT_STRUCT)
                thrift_fail(r, "invalid map types");
            if (n > (uint64_t)(r->end - r->pos))
                thrift_fail(r, "map longer than the input");
            for (uint64_t i = 0; i < n && r->error == NULL; i++) {
                skip_list_elem(r, kt);
                skip_list_elem(r, vt);
            }
        }
        leave(r);
        return;
    }
    case THRIFT_STRUCT: {
        if (!thrift_struct_begin(r, type))
            return;
        int16_t last = 0, id;
        uint8_t t;
        while (thrift_next_field(r, &last, &id, &t))
            thrift_skip(r, t);
        thrift_struct_end(r);
        return;
    }
    default:
        thrift_fail(r, "invalid type");
        return;
    }
}
