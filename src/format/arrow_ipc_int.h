/*
 * arrow_ipc_int.h — private to the Arrow IPC files of src/format: the
 * FlatBuffers reader (flatbuf_read.c) and builder (flatbuf_write.c), the
 * table and field ids of Arrow's Schema.fbs / Message.fbs / File.fbs that
 * both directions use, and the Schema codec (arrow_ipc_schema.c) shared by
 * the reader (arrow_ipc_read.c) and the writer (arrow_ipc_write.c).
 *
 * FlatBuffers in brief: a buffer starts with a u32 offset to the root
 * table; a table starts with an i32 whose subtraction from the table's
 * position gives its vtable (u16 vtable bytes, u16 table bytes, then one
 * u16 offset per field, 0 for an absent field); offsets to tables, strings
 * and vectors are u32 values added to their own position; vectors and
 * strings start with a u32 count. Everything is little-endian.
 */
#ifndef QV_ARROW_IPC_INT_H
#define QV_ARROW_IPC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/arrow_ipc.h"

/* ---- reading FlatBuffers (flatbuf_read.c) ----
 * Every accessor checks that what it reads lies inside the buffer and
 * returns false when it does not (the caller names the problem). Readers
 * never trust an offset: a malformed buffer is an error, never an
 * over-read. A vtable shorter than a field's slot means the field is
 * absent (as in the FlatBuffers libraries). */

typedef struct fb_table {
    const uint8_t *buf;
    size_t len;
    size_t pos;      /* the table's first byte */
    size_t vtable;   /* its vtable's first byte */
    uint16_t vt_len; /* vtable bytes */
    uint16_t size;   /* the table's inline bytes */
} fb_table;

typedef struct fb_vector {
    const uint8_t *buf;
    size_t len;
    size_t pos; /* the first element */
    uint32_t n;
} fb_vector;

/* The root table of buf[0..len). */
bool fb_root(const uint8_t *buf, size_t len, fb_table *out);
/* True when field id is present. */
bool fb_has(const fb_table *t, int id);
/* Scalar fields: *out is def when the field is absent. */
bool fb_u8(const fb_table *t, int id, uint8_t def, uint8_t *out);
bool fb_bool(const fb_table *t, int id, bool def, bool *out);
bool fb_i16(const fb_table *t, int id, int16_t def, int16_t *out);
bool fb_i32(const fb_table *t, int id, int32_t def, int32_t *out);
bool fb_i64(const fb_table *t, int id, int64_t def, int64_t *out);
/* A table / string / vector field; *present false when absent (then *out
 * is zeroed). Strings are not NUL-terminated views into the buffer. */
bool fb_table_field(const fb_table *t, int id, fb_table *out, bool *present);
bool fb_string(const fb_table *t, int id, const char **s, uint32_t *n, bool *present);
/* elem_size: bytes per element (4 for vectors of tables or strings). */
bool fb_vector_field(const fb_table *t, int id, size_t elem_size, fb_vector *out, bool *present);
/* Element i (< v->n) of a vector of tables. */
bool fb_vector_table(const fb_vector *v, uint32_t i, fb_table *out);
/* The bytes of element i of a vector of structs or scalars (in bounds by
 * construction of fb_vector_field). */
const uint8_t *fb_vector_elem(const fb_vector *v, uint32_t i, size_t elem_size);

/* Little-endian loads from unaligned memory. */
static inline int64_t fb_load_i64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return (int64_t)v;
}
static inline int32_t fb_load_i32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

/* ---- building FlatBuffers (flatbuf_write.c) ----
 * Back to front, as FlatBuffers are built: children (strings, vectors,
 * tables) are made before the table that refers to them; a table's fields
 * are added between fb_table_begin and fb_table_end with no other object
 * made in between. An allocation failure is remembered and reported by
 * fb_finish. */

#define FB_MAX_FIELDS 16

typedef uint32_t fb_ref; /* an object: its distance from the buffer's end */

typedef struct fb_builder {
    uint8_t *buf;
    size_t cap, size; /* the data is buf[cap - size .. cap) */
    size_t min_align;
    uint32_t fields[FB_MAX_FIELDS]; /* the open table's fields (0: absent) */
    int n_fields;                   /* highest field id + 1 */
    size_t table_start;
    bool failed;
} fb_builder;

void fb_builder_init(fb_builder *b);
void fb_builder_free(fb_builder *b);
fb_ref fb_string_new(fb_builder *b, const char *s, size_t len);
/* A vector of n structs or scalars of elem_size bytes each (already in
 * little-endian layout), aligned to align. */
fb_ref fb_vector_new(fb_builder *b, const void *elems, uint32_t n, size_t elem_size, size_t align);
fb_ref fb_vector_refs(fb_builder *b, const fb_ref *refs, uint32_t n);
void fb_table_begin(fb_builder *b);
void fb_add_u8(fb_builder *b, int id, uint8_t v);
void fb_add_i16(fb_builder *b, int id, int16_t v);
void fb_add_i32(fb_builder *b, int id, int32_t v);
void fb_add_i64(fb_builder *b, int id, int64_t v);
void fb_add_ref(fb_builder *b, int id, fb_ref ref);
fb_ref fb_table_end(fb_builder *b);
/* Writes the root offset; *data (borrowed, lives until the builder is
 * freed) and *len get the finished buffer. QV_NOMEM after any failure. */
qv_status fb_finish(fb_builder *b, fb_ref root, const uint8_t **data, size_t *len, qv_error *err);

/* ---- the Arrow flatbuffer schema: field ids and union tags ---- */

enum { IPC_V5 = 4 }; /* MetadataVersion */
enum {               /* MessageHeader union */
       IPC_HEADER_NONE = 0,
       IPC_HEADER_SCHEMA = 1,
       IPC_HEADER_DICTIONARY_BATCH = 2,
       IPC_HEADER_RECORD_BATCH = 3,
       IPC_HEADER_TENSOR = 4,
       IPC_HEADER_SPARSE_TENSOR = 5
};
enum {
    IPC_MESSAGE_VERSION = 0,
    IPC_MESSAGE_HEADER_TYPE = 1,
    IPC_MESSAGE_HEADER = 2,
    IPC_MESSAGE_BODY_LENGTH = 3
};
enum { IPC_SCHEMA_ENDIANNESS = 0, IPC_SCHEMA_FIELDS = 1, IPC_SCHEMA_METADATA = 2 };
enum {
    IPC_FIELD_NAME = 0,
    IPC_FIELD_NULLABLE = 1,
    IPC_FIELD_TYPE_TYPE = 2,
    IPC_FIELD_TYPE = 3,
    IPC_FIELD_DICTIONARY = 4,
    IPC_FIELD_CHILDREN = 5,
    IPC_FIELD_METADATA = 6
};
enum { IPC_DICT_ID = 0, IPC_DICT_INDEX_TYPE = 1, IPC_DICT_ORDERED = 2 };
enum { IPC_KV_KEY = 0, IPC_KV_VALUE = 1 };
enum {
    IPC_BATCH_LENGTH = 0,
    IPC_BATCH_NODES = 1,
    IPC_BATCH_BUFFERS = 2,
    IPC_BATCH_COMPRESSION = 3,
    IPC_BATCH_VARIADIC = 4
};
enum { IPC_DICTBATCH_ID = 0, IPC_DICTBATCH_DATA = 1, IPC_DICTBATCH_DELTA = 2 };
enum { IPC_COMPRESSION_CODEC = 0, IPC_COMPRESSION_METHOD = 1 };
enum { IPC_CODEC_LZ4_FRAME = 0, IPC_CODEC_ZSTD = 1 };
enum {
    IPC_FOOTER_VERSION = 0,
    IPC_FOOTER_SCHEMA = 1,
    IPC_FOOTER_DICTIONARIES = 2,
    IPC_FOOTER_BATCHES = 3
};
/* struct sizes: FieldNode {length, null_count}, Buffer {offset, length},
 * Block {offset, metaDataLength, (pad), bodyLength} */
enum { IPC_NODE_SIZE = 16, IPC_BUFFER_SIZE = 16, IPC_BLOCK_SIZE = 24 };

/* ---- dictionaries and the Schema codec (arrow_ipc_schema.c) ---- */

/* The dictionary-encoded fields of a schema: each DICTIONARY type object
 * of a decoded schema (made fresh per field, so its address names the
 * field) with its id and, once read, its values. */
typedef struct ipc_dict {
    arrow_type *type; /* a reference (a malformed schema may drop its field) */
    int64_t id;
    arrow_array *values; /* owned; NULL until its dictionary batch is read */
} ipc_dict;

typedef struct ipc_dicts {
    ipc_dict *items;
    int32_t n, cap;
} ipc_dicts;

void ipc_dicts_free(ipc_dicts *dicts);
/* The entry of a dictionary type / of an id, or NULL. */
ipc_dict *ipc_dicts_by_type(ipc_dicts *dicts, const arrow_type *type);
ipc_dict *ipc_dicts_by_id(ipc_dicts *dicts, int64_t id);

/* Decodes a Schema table into *out (new reference), registering its
 * dictionary-encoded fields in dicts (may be NULL). QV_EXECUTION for a
 * malformed schema, QV_NOT_IMPLEMENTED for types Quiver does not have
 * (Union, ListView, 32/64-bit decimals...). */
qv_status ipc_schema_decode(const fb_table *schema, ipc_dicts *dicts, arrow_schema **out,
                            qv_error *err);

/* Encodes schema as a Schema table; dictionary ids are given to the
 * dictionary-encoded fields in pre-order (the field, then the children of
 * its value type), from 0, as arrow-rs does. */
fb_ref ipc_schema_encode(fb_builder *b, const arrow_schema *schema);

/* ---- message bodies (arrow_ipc_body.c) ---- */

/* Decodes RecordBatch rb over body (borrowed; the columns may share its
 * memory) into columns[0..schema->n_fields): the columns with keep[i]
 * (keep NULL: all) are built and validated, the others skipped (NULL).
 * Dictionary columns take their values from dicts. *n_rows: the batch's
 * length. On failure the columns built so far are the caller's to
 * release. */
qv_status ipc_decode_batch(const fb_table *rb, arrow_buffer *body, arrow_schema *schema,
                           const bool *keep, ipc_dicts *dicts, arrow_array **columns,
                           int64_t *n_rows, qv_error *err);
/* Decodes DictionaryBatch db into its entry of dicts (replacing the
 * values, or appending to them for a delta). */
qv_status ipc_decode_dictionary(const fb_table *db, arrow_buffer *body, ipc_dicts *dicts,
                                qv_error *err);

/* "Arrow error: Parser error: <what>" (QV_EXECUTION), arrow-rs' text for
 * malformed IPC data. */
qv_status ipc_parse_error(qv_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* QV_ARROW_IPC_INT_H */
