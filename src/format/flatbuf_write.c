/*
 * flatbuf_write.c — a small FlatBuffers builder (layer: format), enough for
 * Arrow's IPC metadata. Objects are written back to front into a buffer
 * that grows at its start, each scalar aligned to its size (relative to
 * the buffer's end, which fb_finish makes the alignment of the start too);
 * every table gets its own vtable (no sharing: the metadata is small).
 */
#include <string.h>

#include "format/arrow_ipc_int.h"

void fb_builder_init(fb_builder *b)
{
    memset(b, 0, sizeof *b);
    b->min_align = 1;
}

void fb_builder_free(fb_builder *b)
{
    base_free(b->buf);
    memset(b, 0, sizeof *b);
}

static bool reserve(fb_builder *b, size_t n)
{
    if (b->failed)
        return false;
    if (b->cap - b->size >= n)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->size < n)
        cap *= 2;
    uint8_t *grown = base_alloc(cap);
    if (grown == NULL) {
        b->failed = true;
        return false;
    }
    if (b->size > 0)
        memcpy(grown + cap - b->size, b->buf + b->cap - b->size, b->size);
    base_free(b->buf);
    b->buf = grown;
    b->cap = cap;
    return true;
}

static void push(fb_builder *b, const void *data, size_t n)
{
    if (n == 0 || !reserve(b, n))
        return;
    b->size += n;
    if (data != NULL)
        memcpy(b->buf + b->cap - b->size, data, n);
    else
        memset(b->buf + b->cap - b->size, 0, n);
}

/* Pads so that, once `additional` more bytes are written, the data is
 * aligned to align. */
static void prep(fb_builder *b, size_t align, size_t additional)
{
    if (align > b->min_align)
        b->min_align = align;
    size_t pad = (~(b->size + additional) + 1) & (align - 1);
    push(b, NULL, pad);
}

static void store_le(uint8_t *out, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

static void push_scalar(fb_builder *b, uint64_t v, size_t n)
{
    uint8_t bytes[8];
    store_le(bytes, v, n);
    prep(b, n, n);
    push(b, bytes, n);
}

fb_ref fb_string_new(fb_builder *b, const char *s, size_t len)
{
    prep(b, 4, len + 1);
    push(b, NULL, 1); /* the NUL terminator */
    push(b, s, len);
    push_scalar(b, (uint64_t)len, 4);
    return (fb_ref)b->size;
}

fb_ref fb_vector_new(fb_builder *b, const void *elems, uint32_t n, size_t elem_size, size_t align)
{
    size_t bytes = (size_t)n * elem_size;
    prep(b, align > 4 ? align : 4, bytes);
    push(b, elems, bytes);
    push_scalar(b, n, 4);
    return (fb_ref)b->size;
}

fb_ref fb_vector_refs(fb_builder *b, const fb_ref *refs, uint32_t n)
{
    prep(b, 4, (size_t)n * 4);
    for (uint32_t i = n; i-- > 0;) {
        /* each element is relative to its own position */
        uint8_t bytes[4];
        store_le(bytes, (uint64_t)(b->size + 4 - refs[i]), 4);
        push(b, bytes, 4);
    }
    push_scalar(b, n, 4);
    return (fb_ref)b->size;
}

void fb_table_begin(fb_builder *b)
{
    memset(b->fields, 0, sizeof b->fields);
    b->n_fields = 0;
    b->table_start = b->size;
}

static void mark_field(fb_builder *b, int id)
{
    if (id < 0 || id >= FB_MAX_FIELDS) {
        b->failed = true;
        return;
    }
    b->fields[id] = (uint32_t)b->size;
    if (id + 1 > b->n_fields)
        b->n_fields = id + 1;
}

void fb_add_u8(fb_builder *b, int id, uint8_t v)
{
    push_scalar(b, v, 1);
    mark_field(b, id);
}

void fb_add_i16(fb_builder *b, int id, int16_t v)
{
    push_scalar(b, (uint16_t)v, 2);
    mark_field(b, id);
}

void fb_add_i32(fb_builder *b, int id, int32_t v)
{
    push_scalar(b, (uint32_t)v, 4);
    mark_field(b, id);
}

void fb_add_i64(fb_builder *b, int id, int64_t v)
{
    push_scalar(b, (uint64_t)v, 8);
    mark_field(b, id);
}

void fb_add_ref(fb_builder *b, int id, fb_ref ref)
{
    prep(b, 4, 4);
    push_scalar(b, (uint64_t)(b->size + 4 - ref), 4);
    mark_field(b, id);
}

fb_ref fb_table_end(fb_builder *b)
{
    push_scalar(b, 0, 4); /* the vtable offset, patched below */
    size_t table = b->size;
    uint8_t vt[4 + 2 * FB_MAX_FIELDS];
    size_t vt_len = 4 + 2 * (size_t)b->n_fields;
    store_le(vt, vt_len, 2);
    store_le(vt + 2, table - b->table_start, 2);
    for (int i = 0; i < b->n_fields; i++)
        store_le(vt + 4 + 2 * i, b->fields[i] != 0 ? table - b->fields[i] : 0, 2);
    push(b, vt, vt_len);
    if (!b->failed)
        store_le(b->buf + b->cap - table, (uint64_t)(b->size - table), 4);
    fb_table_begin(b);
    return (fb_ref)table;
}

qv_status fb_finish(fb_builder *b, fb_ref root, const uint8_t **data, size_t *len, qv_error *err)
{
    prep(b, b->min_align, 4);
    push_scalar(b, (uint64_t)(b->size + 4 - root), 4);
    if (b->failed)
        return base_error_nomem(err, "flatbuffer");
    *data = b->buf + b->cap - b->size;
    *len = b->size;
    return QV_OK;
}
