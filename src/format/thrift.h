/*
 * thrift.h — the Thrift compact protocol that Parquet's footer and page
 * headers are written in (layer: format): the wire types shared by the
 * decoder (thrift_read.c) and the encoder (thrift_write.c), whose
 * interfaces follow in their own sections.
 */
#ifndef QV_THRIFT_H
#define QV_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The compact protocol's type codes (field headers and list headers). */
typedef enum thrift_type {
    THRIFT_STOP = 0,
    THRIFT_BOOL_TRUE = 1,
    THRIFT_BOOL_FALSE = 2,
    THRIFT_BYTE = 3,
    THRIFT_I16 = 4,
    THRIFT_I32 = 5,
    THRIFT_I64 = 6,
    THRIFT_DOUBLE = 7,
    THRIFT_BINARY = 8,
    THRIFT_LIST = 9,
    THRIFT_SET = 10,
    THRIFT_MAP = 11,
    THRIFT_STRUCT = 12
} thrift_type;

/* ---- decoding (thrift_read.c) ----
 * A cursor over bytes in memory. Every read is bounds-checked; the first
 * problem (truncated input, a bad type code, a size or nesting beyond the
 * limits) is remembered in `error` (static text), the cursor jumps to the
 * end and every later read returns zero, so a parser may read on and check
 * thrift_failed once at the end. Strings and binaries are views into the
 * input (borrowed). */

#define THRIFT_MAX_DEPTH 64 /* nested structs, lists, sets and maps */

typedef struct thrift_reader {
    const uint8_t *pos, *end;
    int32_t depth;
    const char *error;  /* NULL while all is well */
    bool out_of_memory; /* the error is an allocation failure */
} thrift_reader;

void thrift_reader_init(thrift_reader *r, const uint8_t *data, size_t len);
bool thrift_failed(const thrift_reader *r);
/* Records a problem found by the caller (a required field missing...). */
void thrift_fail(thrift_reader *r, const char *why);

/* Enters a struct value whose wire type is `type` (THRIFT_STRUCT for a
 * top-level struct); false when the reader has failed (another type, the
 * nesting limit, an earlier error): the caller then reads no fields and
 * need not call thrift_struct_end. */
bool thrift_struct_begin(thrift_reader *r, uint8_t type);
/* Leaves the struct. */
void thrift_struct_end(thrift_reader *r);
/* The next field header of the current struct: false at its STOP (or after
 * an error). *last_id starts at 0 for each struct and carries the delta
 * encoding; *type is a thrift_type (bool fields: THRIFT_BOOL_TRUE/_FALSE,
 * whose value is the type itself). */
bool thrift_next_field(thrift_reader *r, int16_t *last_id, int16_t *id, uint8_t *type);

/* Values of the given wire type. Integers accept BYTE, I16, I32 and I64
 * (range-checked for the result); a value of another type is an error. */
int32_t thrift_read_i32(thrift_reader *r, uint8_t type);
int64_t thrift_read_i64(thrift_reader *r, uint8_t type);
/* A bool field: its value is its type (TRUE / FALSE). */
bool thrift_read_bool(thrift_reader *r, uint8_t type);
/* BINARY (strings too): a view of *len bytes. */
const uint8_t *thrift_read_binary(thrift_reader *r, uint8_t type, uint32_t *len);
/* A list or set header: *elem_type and *n (bounded by the bytes left). The
 * caller reads n elements, then calls thrift_list_end. */
void thrift_list_begin(thrift_reader *r, uint8_t type, uint8_t *elem_type, int32_t *n);
void thrift_list_end(thrift_reader *r);
/* Reads a list value of wire type `type` into a new array of its n
 * elements of elem_size bytes, zeroed (base_calloc; NULL when n is 0):
 * *n_items counts the elements begun, so the caller frees what they hold
 * and the array, after a failure too. read_elem(r, elem_type, element)
 * reads each element while the reader has not failed. Out of memory is a
 * failure with out_of_memory set. */
typedef void (*thrift_elem_reader)(thrift_reader *r, uint8_t elem_type, void *element);
void *thrift_read_list(thrift_reader *r, uint8_t type, size_t elem_size, int32_t *n_items,
                       thrift_elem_reader read_elem);
/* Skips a value of the given type (structs, lists and maps recursively). */
void thrift_skip(thrift_reader *r, uint8_t type);

/* ---- encoding (thrift_write.c) ----
 * Appends compact-protocol bytes to a base_strbuf (whose failed flag
 * records an allocation failure: check it once at the end). Structs nest:
 * each begin remembers the field-id delta base of the struct it opens. */

#include "base/base.h"

typedef struct thrift_writer {
    base_strbuf *out;                  /* borrowed */
    int16_t last_id[THRIFT_MAX_DEPTH]; /* the previous field id, per open struct */
    int32_t depth;                     /* open structs */
} thrift_writer;

void thrift_writer_init(thrift_writer *w, base_strbuf *out);
/* A top-level struct (a page header, the file metadata): begin ... end. */
void thrift_write_struct_begin(thrift_writer *w);
/* Writes the struct's STOP byte and closes it. */
void thrift_write_struct_end(thrift_writer *w);
/* Field headers with their values. */
void thrift_write_field_bool(thrift_writer *w, int16_t id, bool value);
void thrift_write_field_i8(thrift_writer *w, int16_t id, int8_t value);
void thrift_write_field_i16(thrift_writer *w, int16_t id, int16_t value);
void thrift_write_field_i32(thrift_writer *w, int16_t id, int32_t value);
void thrift_write_field_i64(thrift_writer *w, int16_t id, int64_t value);
void thrift_write_field_binary(thrift_writer *w, int16_t id, const void *data, size_t len);
void thrift_write_field_string(thrift_writer *w, int16_t id, const char *s);
/* A struct-valued field: its header, then the struct is open until
 * thrift_write_struct_end. */
void thrift_write_field_struct_begin(thrift_writer *w, int16_t id);
/* A list-valued field's header: n elements of elem_type follow, written
 * with the element writers below (structs with thrift_write_struct_begin). */
void thrift_write_field_list_begin(thrift_writer *w, int16_t id, thrift_type elem_type, int32_t n);
void thrift_write_i32(thrift_writer *w, int32_t value);
void thrift_write_binary(thrift_writer *w, const void *data, size_t len);
/* The raw primitives (also used by the Parquet encoders): ULEB128 and
 * zigzag varints. */
void thrift_write_varint(base_strbuf *out, uint64_t value);
void thrift_write_zigzag(base_strbuf *out, int64_t value);

#endif /* QV_THRIFT_H */
