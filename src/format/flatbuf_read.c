/*
 * flatbuf_read.c — a small, bounds-checked FlatBuffers reader (layer:
 * format), enough for Arrow's IPC metadata: tables through their vtables,
 * scalars with defaults, strings, vectors of tables, strings and structs.
 * Written by hand from the FlatBuffers binary format description; every
 * offset is checked against the buffer before it is followed.
 */
#include <string.h>

#include "format/arrow_ipc_int.h"

static uint32_t load_u32(const uint8_t *p)
{
    return (uint32_t)fb_load_i32(p);
}

static uint16_t load_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* The table at pos, its vtable checked to lie in the buffer. */
static bool table_at(const uint8_t *buf, size_t len, size_t pos, fb_table *out)
{
    memset(out, 0, sizeof *out);
    if (len < 4 || pos > len - 4)
        return false;
    int64_t vt = (int64_t)pos - (int64_t)fb_load_i32(buf + pos);
    if (vt < 0 || (uint64_t)vt > len - 2)
        return false;
    out->buf = buf;
    out->len = len;
    out->pos = pos;
    out->vtable = (size_t)vt;
    out->vt_len = load_u16(buf + vt);
    if (out->vt_len > len - (size_t)vt)
        return false;
    /* a vtable too short to hold the table size has no fields */
    out->size = out->vt_len >= 4 ? load_u16(buf + vt + 2) : 0;
    if (out->size > len - pos)
        return false;
    return true;
}

bool fb_root(const uint8_t *buf, size_t len, fb_table *out)
{
    memset(out, 0, sizeof *out);
    if (len < 4)
        return false;
    return table_at(buf, len, load_u32(buf), out);
}

/* The field's offset in the table (0: absent); false when a present field
 * of `width` bytes does not fit the table. */
static bool field_offset(const fb_table *t, int id, size_t width, size_t *off)
{
    *off = 0;
    size_t slot = 4 + 2 * (size_t)id;
    if (t->buf == NULL || slot + 2 > t->vt_len)
        return true;
    *off = load_u16(t->buf + t->vtable + slot);
    if (*off == 0)
        return true;
    return *off + width <= t->size && t->pos + *off + width <= t->len;
}

bool fb_has(const fb_table *t, int id)
{
    size_t off = 0;
    return field_offset(t, id, 1, &off) && off != 0;
}

bool fb_u8(const fb_table *t, int id, uint8_t def, uint8_t *out)
{
    size_t off = 0;
    *out = def;
    if (!field_offset(t, id, 1, &off))
        return false;
    if (off != 0)
        *out = t->buf[t->pos + off];
    return true;
}

bool fb_bool(const fb_table *t, int id, bool def, bool *out)
{
    uint8_t v = 0;
    if (!fb_u8(t, id, def ? 1 : 0, &v))
        return false;
    *out = v != 0;
    return true;
}

bool fb_i16(const fb_table *t, int id, int16_t def, int16_t *out)
{
    size_t off = 0;
    *out = def;
    if (!field_offset(t, id, 2, &off))
        return false;
    if (off != 0)
        *out = (int16_t)load_u16(t->buf + t->pos + off);
    return true;
}

bool fb_i32(const fb_table *t, int id, int32_t def, int32_t *out)
{
    size_t off = 0;
    *out = def;
    if (!field_offset(t, id, 4, &off))
        return false;
    if (off != 0)
        *out = fb_load_i32(t->buf + t->pos + off);
    return true;
}

bool fb_i64(const fb_table *t, int id, int64_t def, int64_t *out)
{
    size_t off = 0;
    *out = def;
    if (!field_offset(t, id, 8, &off))
        return false;
    if (off != 0)
        *out = fb_load_i64(t->buf + t->pos + off);
    return true;
}

/* Follows the u32 offset stored at pos; false when the target is outside. */
static bool follow(const uint8_t *buf, size_t len, size_t pos, size_t *target)
{
    if (len < 4 || pos > len - 4)
        return false;
    uint64_t to = (uint64_t)pos + load_u32(buf + pos);
    if (to > len - 4)
        return false;
    *target = (size_t)to;
    return true;
}

/* The position an offset field points to; *present false when absent. */
static bool offset_field(const fb_table *t, int id, size_t *target, bool *present)
{
    size_t off = 0;
    *present = false;
    if (!field_offset(t, id, 4, &off))
        return false;
    if (off == 0)
        return true;
    *present = true;
    return follow(t->buf, t->len, t->pos + off, target);
}

bool fb_table_field(const fb_table *t, int id, fb_table *out, bool *present)
{
    size_t at = 0;
    memset(out, 0, sizeof *out);
    if (!offset_field(t, id, &at, present))
        return false;
    return !*present || table_at(t->buf, t->len, at, out);
}

/* A vector or string header at pos: n elements of elem_size bytes that
 * must fit the buffer. */
static bool vector_at(const uint8_t *buf, size_t len, size_t pos, size_t elem_size, fb_vector *out)
{
    uint32_t n = load_u32(buf + pos);
    size_t avail = len - pos - 4;
    if (elem_size > 0 && n > avail / elem_size)
        return false;
    *out = (fb_vector){buf, len, pos + 4, n};
    return true;
}

bool fb_string(const fb_table *t, int id, const char **s, uint32_t *n, bool *present)
{
    size_t at = 0;
    fb_vector v = {0};
    *s = NULL;
    *n = 0;
    if (!offset_field(t, id, &at, present))
        return false;
    if (!*present)
        return true;
    if (!vector_at(t->buf, t->len, at, 1, &v))
        return false;
    *s = (const char *)t->buf + v.pos;
    *n = v.n;
    return true;
}

bool fb_vector_field(const fb_table *t, int id, size_t elem_size, fb_vector *out, bool *present)
{
    size_t at = 0;
    memset(out, 0, sizeof *out);
    if (!offset_field(t, id, &at, present))
        return false;
    return !*present || vector_at(t->buf, t->len, at, elem_size, out);
}

bool fb_vector_table(const fb_vector *v, uint32_t i, fb_table *out)
{
    size_t at = 0;
    memset(out, 0, sizeof *out);
    if (i >= v->n || !follow(v->buf, v->len, v->pos + (size_t)i * 4, &at))
        return false;
    return table_at(v->buf, v->len, at, out);
}

const uint8_t *fb_vector_elem(const fb_vector *v, uint32_t i, size_t elem_size)
{
    return v->buf + v->pos + (size_t)i * elem_size;
}
