/*
 * arrow.h — Quiver's columnar memory model (layer: arrow).
 *
 * Data types, fields, schemas, refcounted buffers, arrays, record batches,
 * builders, C Data Interface export/import, value formatting and the table
 * printer. Arrays are laid out exactly as the Arrow columnar format (and the
 * C Data Interface) describes, so export is a matter of handing out pointers.
 *
 * Lifetimes: types, fields, schemas, buffers, arrays and batches are
 * immutable once built and refcounted; *_retain adds a reference, *_release
 * drops one (NULL is a no-op). Functions that return a new object hand the
 * caller one reference. Functions that take an object "by reference" retain
 * it themselves; the caller keeps its own reference.
 */
#ifndef QV_ARROW_H
#define QV_ARROW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"

/* ---- data types (type.c) ---- */

typedef enum arrow_type_id {
    QV_TYPE_NULL,
    QV_TYPE_BOOLEAN,
    QV_TYPE_INT8,
    QV_TYPE_INT16,
    QV_TYPE_INT32,
    QV_TYPE_INT64,
    QV_TYPE_UINT8,
    QV_TYPE_UINT16,
    QV_TYPE_UINT32,
    QV_TYPE_UINT64,
    QV_TYPE_FLOAT16,
    QV_TYPE_FLOAT32,
    QV_TYPE_FLOAT64,
    QV_TYPE_DECIMAL128,
    QV_TYPE_DECIMAL256,
    QV_TYPE_UTF8,
    QV_TYPE_LARGE_UTF8,
    QV_TYPE_UTF8_VIEW,
    QV_TYPE_BINARY,
    QV_TYPE_LARGE_BINARY,
    QV_TYPE_BINARY_VIEW,
    QV_TYPE_FIXED_SIZE_BINARY,
    QV_TYPE_DATE32,
    QV_TYPE_DATE64,
    QV_TYPE_TIME32,
    QV_TYPE_TIME64,
    QV_TYPE_TIMESTAMP,
    QV_TYPE_DURATION,
    QV_TYPE_INTERVAL_YEAR_MONTH,
    QV_TYPE_INTERVAL_DAY_TIME,
    QV_TYPE_INTERVAL_MONTH_DAY_NANO,
    QV_TYPE_LIST,
    QV_TYPE_LARGE_LIST,
    QV_TYPE_FIXED_SIZE_LIST,
    QV_TYPE_STRUCT,
    QV_TYPE_MAP,
    QV_TYPE_DICTIONARY,
    QV_TYPE_RUN_END_ENCODED,
    QV_TYPE_COUNT_ /* number of type ids; not a type */
} arrow_type_id;

typedef enum arrow_time_unit {
    QV_UNIT_SECOND,
    QV_UNIT_MILLISECOND,
    QV_UNIT_MICROSECOND,
    QV_UNIT_NANOSECOND
} arrow_time_unit;

typedef struct arrow_field arrow_field;
typedef struct arrow_type arrow_type;

/*
 * A data type. Parameterless types are immortal singletons (retain/release
 * do nothing). Children, by type:
 *   LIST, LARGE_LIST, FIXED_SIZE_LIST: children[0] is the item field;
 *   STRUCT: one field per member;
 *   MAP: children[0] is the non-nullable "entries" struct field whose two
 *        children are "key" (non-nullable) and "value";
 *   RUN_END_ENCODED: children[0] "run_ends" (Int16/32/64, non-nullable),
 *        children[1] "values";
 *   DICTIONARY: no children; index_type (a signed or unsigned integer type)
 *        and value_type instead.
 */
struct arrow_type {
    arrow_type_id id;
    _Atomic int32_t refcount; /* < 0: immortal */
    int32_t precision;        /* DECIMAL128 (1..38), DECIMAL256 (1..76) */
    int32_t scale;            /* DECIMAL*; may be negative */
    arrow_time_unit unit;     /* TIME32 (s, ms), TIME64 (us, ns), TIMESTAMP, DURATION */
    char *timezone;           /* TIMESTAMP: owned, NULL when without time zone */
    int32_t fixed_size;       /* FIXED_SIZE_BINARY byte width, FIXED_SIZE_LIST length */
    bool keys_sorted;         /* MAP */
    bool ordered;             /* DICTIONARY */
    int32_t n_children;
    arrow_field **children; /* owned references */
    arrow_type *index_type; /* DICTIONARY: owned reference */
    arrow_type *value_type; /* DICTIONARY: owned reference */
};

/* The singleton of a parameterless type id (NULL, BOOLEAN, INT*, UINT*,
 * FLOAT*, UTF8*, BINARY*, DATE*, INTERVAL_*). Returns NULL for a
 * parameterised id. Never fails. */
arrow_type *arrow_type_primitive(arrow_type_id id);

/* Constructors for parameterised types. Each returns a new reference in *out,
 * or QV_INVALID (bad parameter: precision 0 or > 38/76, TIME32 with us/ns,
 * FIXED_SIZE_* with size < 0, REE run-ends not Int16/32/64, dictionary index
 * not an integer...) or QV_NOMEM. Field and type arguments are retained. */
qv_status arrow_type_decimal(arrow_type_id id, int32_t precision, int32_t scale, arrow_type **out,
                             qv_error *err);
qv_status arrow_type_time(arrow_type_id id, arrow_time_unit unit, arrow_type **out, qv_error *err);
qv_status arrow_type_timestamp(arrow_time_unit unit, const char *timezone, arrow_type **out,
                               qv_error *err);
qv_status arrow_type_duration(arrow_time_unit unit, arrow_type **out, qv_error *err);
/* byte_width must be 0 .. INT32_MAX / 8. */
qv_status arrow_type_fixed_size_binary(int32_t byte_width, arrow_type **out, qv_error *err);
/* LIST / LARGE_LIST */
qv_status arrow_type_list(arrow_type_id id, arrow_field *item, arrow_type **out, qv_error *err);
qv_status arrow_type_fixed_size_list(arrow_field *item, int32_t list_size, arrow_type **out,
                                     qv_error *err);
qv_status arrow_type_struct(int32_t n_fields, arrow_field *const *fields, arrow_type **out,
                            qv_error *err);
/* entries must be a non-nullable STRUCT field with exactly two children. */
qv_status arrow_type_map(arrow_field *entries, bool keys_sorted, arrow_type **out, qv_error *err);
qv_status arrow_type_dictionary(arrow_type *index_type, arrow_type *value_type, bool ordered,
                                arrow_type **out, qv_error *err);
qv_status arrow_type_run_end_encoded(arrow_field *run_ends, arrow_field *values, arrow_type **out,
                                     qv_error *err);

/* Convenience: a list / large list type whose item field is "item", nullable. */
qv_status arrow_type_list_of(arrow_type_id id, arrow_type *item_type, arrow_type **out,
                             qv_error *err);

arrow_type *arrow_type_retain(arrow_type *type);
void arrow_type_release(arrow_type *type);

/* The base name of a type id for messages ("Utf8", "LargeList", ...);
 * static, "unknown type" for an id out of range. */
const char *arrow_type_id_name(arrow_type_id id);

/* Structural equality (ids, parameters, children's names, types, nullability). */
bool arrow_type_equal(const arrow_type *a, const arrow_type *b);

/* Classification helpers. */
bool arrow_type_is_integer(arrow_type_id id);
bool arrow_type_is_signed_integer(arrow_type_id id);
bool arrow_type_is_floating(arrow_type_id id);
bool arrow_type_is_nested(arrow_type_id id);
/* Width in bits of one value of a fixed-width type (Boolean: 1); 0 for
 * variable-width and nested types. FIXED_SIZE_BINARY uses the type's width. */
int32_t arrow_type_bit_width(const arrow_type *type);

/* The type's name exactly as DataFusion's arrow_typeof prints it
 * (`Int64`, `Timestamp(ns, "UTC")`, `List(Int64)`, `Struct("a": Int32)`...),
 * appended to sb (format_type.c). */
void arrow_type_format(const arrow_type *type, base_strbuf *sb);

/* Parses a type name as arrow_cast accepts it (the arrow_type_format
 * spelling and arrow-rs's older Debug spelling): new reference in *out, or
 * QV_PLAN naming the unrecognised word. (type_parse.c) */
qv_status arrow_type_parse(const char *text, arrow_type **out, qv_error *err);

/* ---- key/value metadata (field.c) ---- */

typedef struct arrow_metadata {
    int32_t n;
    char **keys;   /* owned */
    char **values; /* owned */
} arrow_metadata;

/* Copies src into dst (dst starts empty). QV_NOMEM on failure, dst empty. */
qv_status arrow_metadata_copy(arrow_metadata *dst, const arrow_metadata *src, qv_error *err);
qv_status arrow_metadata_add(arrow_metadata *md, const char *key, const char *value, qv_error *err);
void arrow_metadata_clear(arrow_metadata *md);
/* The value of key, or NULL. */
const char *arrow_metadata_get(const arrow_metadata *md, const char *key);
bool arrow_metadata_equal(const arrow_metadata *a, const arrow_metadata *b);

/* ---- fields and schemas (field.c, schema.c) ---- */

struct arrow_field {
    _Atomic int32_t refcount;
    char *name;       /* owned, NUL-terminated; may be "" */
    arrow_type *type; /* owned reference */
    bool nullable;
    arrow_metadata metadata; /* owned */
};

/* A new field; name is copied, type retained, metadata (may be NULL) copied. */
qv_status arrow_field_new(const char *name, arrow_type *type, bool nullable,
                          const arrow_metadata *metadata, arrow_field **out, qv_error *err);
arrow_field *arrow_field_retain(arrow_field *field);
void arrow_field_release(arrow_field *field);
bool arrow_field_equal(const arrow_field *a, const arrow_field *b);

typedef struct arrow_schema {
    _Atomic int32_t refcount;
    int32_t n_fields;
    arrow_field **fields;    /* owned references */
    arrow_metadata metadata; /* owned */
} arrow_schema;

/* fields are retained; metadata (may be NULL) copied. */
qv_status arrow_schema_new(int32_t n_fields, arrow_field *const *fields,
                           const arrow_metadata *metadata, arrow_schema **out, qv_error *err);
arrow_schema *arrow_schema_retain(arrow_schema *schema);
void arrow_schema_release(arrow_schema *schema);
/* Index of the first field with this exact name, or -1. */
int32_t arrow_schema_find(const arrow_schema *schema, const char *name);
bool arrow_schema_equal(const arrow_schema *a, const arrow_schema *b);

/* ---- buffers (buffer.c) ---- */

typedef struct arrow_buffer arrow_buffer;

/* Frees memory the buffer does not own itself (an imported array's memory). */
typedef void (*arrow_buffer_release_fn)(arrow_buffer *buffer);

/*
 * A contiguous, immutable (once shared) region of bytes. Owned buffers come
 * from base_alloc_aligned (64-byte aligned, zero padding up to capacity);
 * foreign buffers wrap memory owned by someone else and call release_fn on
 * the last release.
 */
struct arrow_buffer {
    _Atomic int32_t refcount;
    uint8_t *data;
    int64_t size;                       /* bytes in use */
    int64_t capacity;                   /* bytes allocated (owned buffers) */
    arrow_buffer_release_fn release_fn; /* NULL for owned buffers */
    void *owner;                        /* for release_fn */
};

/* A new owned buffer of `size` bytes, zero-filled, capacity rounded up to 64. */
qv_status arrow_buffer_new(int64_t size, arrow_buffer **out, qv_error *err);
/* A new owned buffer holding a copy of data[0..size). */
qv_status arrow_buffer_copy(const void *data, int64_t size, arrow_buffer **out, qv_error *err);
/* Wraps foreign memory; release_fn(buffer) runs on the last release. */
qv_status arrow_buffer_wrap(const void *data, int64_t size, arrow_buffer_release_fn release_fn,
                            void *owner, arrow_buffer **out, qv_error *err);
/* Grows an owned, unshared buffer to at least new_size bytes (zero-filled). */
qv_status arrow_buffer_resize(arrow_buffer *buffer, int64_t new_size, qv_error *err);
arrow_buffer *arrow_buffer_retain(arrow_buffer *buffer);
void arrow_buffer_release(arrow_buffer *buffer);

/* Bitmap helpers (LSB bit order, as Arrow). */
static inline bool arrow_bit_get(const uint8_t *bits, int64_t i)
{
    return (bits[i >> 3] >> (i & 7)) & 1;
}
static inline void arrow_bit_set(uint8_t *bits, int64_t i, bool value)
{
    uint8_t mask = (uint8_t)(1u << (i & 7));
    bits[i >> 3] = value ? (uint8_t)(bits[i >> 3] | mask) : (uint8_t)(bits[i >> 3] & ~mask);
}
/* Number of set bits in bits[offset .. offset+length). */
int64_t arrow_bitmap_count_set(const uint8_t *bits, int64_t offset, int64_t length);

/* ---- arrays (array.c) ---- */

typedef struct arrow_array arrow_array;

/*
 * An array. Buffers follow the Arrow C Data Interface layout of the type:
 *   NULL: none; BOOLEAN, fixed-width: [validity, values];
 *   UTF8/BINARY (LARGE_*): [validity, offsets (int32/int64), data];
 *   UTF8_VIEW/BINARY_VIEW: [validity, views (16 bytes each), data buffers...]
 *        (the C interface's trailing variadic-sizes buffer is added on export);
 *   FIXED_SIZE_BINARY: [validity, values];
 *   LIST/LARGE_LIST/MAP: [validity, offsets] + one child;
 *   FIXED_SIZE_LIST, STRUCT: [validity] + children;
 *   DICTIONARY: the index type's buffers, dictionary = the values array;
 *   RUN_END_ENCODED: no buffers, children [run_ends, values].
 * buffers[0] (validity) may be NULL: then no value is null. `offset` counts
 * logical elements into the buffers, as in the C Data Interface; children of
 * STRUCT / FIXED_SIZE_LIST are addressed through the parent's offset.
 */
struct arrow_array {
    _Atomic int32_t refcount;
    arrow_type *type; /* owned reference */
    int64_t length;
    int64_t offset;
    /* -1 when not yet computed. Atomic because arrow_array_null_count caches
     * it in arrays shared between threads; every thread computes the same
     * value, so relaxed ordering is enough. */
    _Atomic int64_t null_count;
    int32_t n_buffers;
    arrow_buffer **buffers; /* owned references; entries may be NULL */
    int32_t n_children;
    arrow_array **children;  /* owned references */
    arrow_array *dictionary; /* DICTIONARY only: owned reference */
};

/* Buffers an array of the type carries in the layout above (views: the
 * minimum, 2, without variadic data buffers), and children it has. */
int32_t arrow_layout_buffers(const arrow_type *type);
int32_t arrow_layout_children(const arrow_type *type);

/* Assembles an array; type, buffers, children and dictionary are retained.
 * null_count may be -1 (unknown). Checks only counts (buffers and children
 * for the type), not contents: see arrow_array_validate. */
qv_status arrow_array_new(arrow_type *type, int64_t length, int64_t null_count, int64_t offset,
                          int32_t n_buffers, arrow_buffer *const *buffers, int32_t n_children,
                          arrow_array *const *children, arrow_array *dictionary, arrow_array **out,
                          qv_error *err);
/* An array of `length` nulls of any type (all buffers zeroed, validity all 0;
 * NULL type has no buffers). */
qv_status arrow_array_new_null(arrow_type *type, int64_t length, arrow_array **out, qv_error *err);
arrow_array *arrow_array_retain(arrow_array *array);
void arrow_array_release(arrow_array *array);

/* A zero-copy view of array[offset .. offset+length). QV_INVALID when the
 * range is outside the array. */
qv_status arrow_array_slice(arrow_array *array, int64_t offset, int64_t length, arrow_array **out,
                            qv_error *err);

/* True when element i is not null. REE and NULL-type arrays are handled. */
bool arrow_array_is_valid(const arrow_array *array, int64_t i);
/* The null count, computed (and cached) when unknown. */
int64_t arrow_array_null_count(arrow_array *array);
/* The child rows [*start, *end) of element i of a LIST, LARGE_LIST, MAP or
 * FIXED_SIZE_LIST array (the array's offset applied). */
void arrow_list_range(const arrow_array *array, int64_t i, int64_t *start, int64_t *end);

/* Full structural validation: buffer counts and sizes for length + offset,
 * offsets monotonic and within data, view lengths and buffer indices, UTF-8
 * validity for string types, dictionary indices within the dictionary, run
 * ends strictly increasing, children lengths, recursively. QV_INVALID with a
 * message naming the problem. (validate.c) */
qv_status arrow_array_validate(const arrow_array *array, qv_error *err);

/* The values buffer (buffers[1]) of a flat array, or NULL when the layout has
 * none (NULL, STRUCT, FIXED_SIZE_LIST, RUN_END_ENCODED) or it is absent. The
 * array's offset is not applied. */
static inline const uint8_t *arrow_array_values(const arrow_array *array)
{
    return array->n_buffers >= 2 && array->buffers[1] ? array->buffers[1]->data : NULL;
}

/* ---- record batches (batch.c) ---- */

typedef struct arrow_batch {
    _Atomic int32_t refcount;
    arrow_schema *schema; /* owned reference */
    int64_t n_rows;
    arrow_array **columns; /* owned references, schema->n_fields of them */
} arrow_batch;

/* columns are retained; each must have n_rows elements and its field's type. */
qv_status arrow_batch_new(arrow_schema *schema, int64_t n_rows, arrow_array *const *columns,
                          arrow_batch **out, qv_error *err);
arrow_batch *arrow_batch_retain(arrow_batch *batch);
void arrow_batch_release(arrow_batch *batch);
/* Memory a batch's buffers take (the larger of capacity and size of each
 * buffer, children and dictionaries included; shared buffers count once
 * per use), as operators account it in the memory pool. */
int64_t arrow_batch_memory_bytes(const arrow_batch *batch);
/* Zero-copy rows [offset, offset+length). */
qv_status arrow_batch_slice(arrow_batch *batch, int64_t offset, int64_t length, arrow_batch **out,
                            qv_error *err);

/* ---- builders (builder*.c) ----
 *
 * One builder type for every data type. Append values with the function that
 * fits the type (a mismatch returns QV_MISUSE); finish hands out the array and
 * resets the builder for reuse. Nested types:
 *   STRUCT: append each child's value through arrow_builder_child(b, i), then
 *           arrow_builder_append_struct(b, valid) once per row;
 *   LIST / LARGE_LIST / MAP: append the row's items to arrow_builder_child(b, 0)
 *           (for MAP that is the entries struct builder), then
 *           arrow_builder_end_list(b, valid);
 *   FIXED_SIZE_LIST: append exactly fixed_size items to child 0, then
 *           arrow_builder_end_list(b, valid) (a mismatch is QV_INVALID);
 *   DICTIONARY: append values of the value type (append_bytes, append_int...);
 *           the builder deduplicates them into the dictionary;
 *   RUN_END_ENCODED: append values of the values type; equal consecutive
 *           values extend the current run.
 * Appending a null works for every type (for STRUCT, children get nulls too).
 * arrow_builder_child returns NULL for DICTIONARY and REE builders (their
 * value builders are internal). Dictionaries and REE arrays of nested values,
 * and dictionaries of the Null type, are QV_NOT_IMPLEMENTED at creation.
 * append_int accepts unsigned types for non-negative values and append_uint
 * signed types for values that fit; out of range is QV_OVERFLOW.
 *
 * Failures: a failed append to a flat, dictionary or REE builder leaves it
 * exactly as it was; a nested builder whose child append failed can only be
 * finished (QV_INVALID, and it resets) or freed. finish resets the builder
 * to empty whether it succeeds or not.
 */
typedef struct arrow_builder arrow_builder;

qv_status arrow_builder_new(arrow_type *type, arrow_builder **out, qv_error *err);
void arrow_builder_free(arrow_builder *builder);
arrow_type *arrow_builder_type(const arrow_builder *builder); /* borrowed */
int64_t arrow_builder_length(const arrow_builder *builder);

qv_status arrow_builder_append_null(arrow_builder *b, qv_error *err);
qv_status arrow_builder_append_nulls(arrow_builder *b, int64_t count, qv_error *err);
qv_status arrow_builder_append_bool(arrow_builder *b, bool value, qv_error *err);
/* Signed integers, DATE32/64, TIME32/64, TIMESTAMP, DURATION,
 * INTERVAL_YEAR_MONTH (months). Out of range for the type: QV_OVERFLOW. */
qv_status arrow_builder_append_int(arrow_builder *b, int64_t value, qv_error *err);
/* Unsigned integers. */
qv_status arrow_builder_append_uint(arrow_builder *b, uint64_t value, qv_error *err);
/* FLOAT16 (rounded to half), FLOAT32, FLOAT64. */
qv_status arrow_builder_append_double(arrow_builder *b, double value, qv_error *err);
/* UTF8*, BINARY*, FIXED_SIZE_BINARY (len must equal the width). UTF-8 is not
 * checked here (callers produce valid UTF-8; imports are validated). */
qv_status arrow_builder_append_bytes(arrow_builder *b, const void *data, int64_t len,
                                     qv_error *err);
/* DECIMAL128 (16 bytes) / DECIMAL256 (32 bytes), little-endian two's complement. */
qv_status arrow_builder_append_decimal(arrow_builder *b, const uint8_t *le_bytes, qv_error *err);
/* INTERVAL_DAY_TIME (days, millis) and INTERVAL_MONTH_DAY_NANO. */
qv_status arrow_builder_append_interval_dt(arrow_builder *b, int32_t days, int32_t millis,
                                           qv_error *err);
qv_status arrow_builder_append_interval_mdn(arrow_builder *b, int32_t months, int32_t days,
                                            int64_t nanos, qv_error *err);
/* Nested types, see above. */
arrow_builder *arrow_builder_child(arrow_builder *b, int32_t i);
qv_status arrow_builder_append_struct(arrow_builder *b, bool valid, qv_error *err);
qv_status arrow_builder_end_list(arrow_builder *b, bool valid, qv_error *err);
/* Appends element i of src: same type as the builder, or the same once
 * dictionary / run-end encoding is removed from either side. */
qv_status arrow_builder_append_from(arrow_builder *b, const arrow_array *src, int64_t i,
                                    qv_error *err);

qv_status arrow_builder_finish(arrow_builder *b, arrow_array **out, qv_error *err);

/* ---- C Data Interface (cdata_export.c, cdata_import.c) ----
 * Export moves nothing: the exported structs hold references to the arrays'
 * buffers and release them from their release callbacks. Import takes
 * ownership of the C structs (their release is called when the last imported
 * buffer is released; on failure they are released at once) and validates
 * the result with arrow_array_validate.
 *
 * Details consumers rely on: null_count is exported as stored (it may be -1);
 * validation requires a given null_count (>= 0) to match the bitmap exactly;
 * view bounds are checked for null slots too, UTF-8 only for valid slots.
 * Import makes map entries and keys non-nullable, resets the offset of
 * length-0 arrays to 0, and accepts NULL buffers for empty buffers and empty
 * arrays. arrow_export_stream releases the source when it fails itself. */
qv_status arrow_export_type(const arrow_field *field, struct ArrowSchema *out, qv_error *err);
qv_status arrow_export_schema(const arrow_schema *schema, struct ArrowSchema *out, qv_error *err);
qv_status arrow_export_array(arrow_array *array, struct ArrowArray *out, qv_error *err);
/* A batch exports as a struct array (the C stream convention). */
qv_status arrow_export_batch(arrow_batch *batch, struct ArrowArray *out, qv_error *err);
qv_status arrow_import_field(struct ArrowSchema *schema, arrow_field **out, qv_error *err);
qv_status arrow_import_schema(struct ArrowSchema *schema, arrow_schema **out, qv_error *err);
qv_status arrow_import_array(struct ArrowArray *array, arrow_type *type, arrow_array **out,
                             qv_error *err);
qv_status arrow_import_batch(struct ArrowArray *array, arrow_schema *schema, arrow_batch **out,
                             qv_error *err);

/* A producer of batches, as a C stream. next returns QV_OK with *out NULL at
 * the end. The stream object owns the state; release frees it. */
typedef struct arrow_batch_source {
    arrow_schema *schema; /* borrowed for the source's lifetime */
    qv_status (*next)(struct arrow_batch_source *source, arrow_batch **out, qv_error *err);
    void (*release)(struct arrow_batch_source *source);
} arrow_batch_source;
/* Wraps source in an ArrowArrayStream; the stream takes ownership of source. */
qv_status arrow_export_stream(arrow_batch_source *source, struct ArrowArrayStream *out,
                              qv_error *err);

/* ---- value formatting and printing (format_value.c, print_table.c) ---- */

/* Appends element i of array as DataFusion displays it (arrow-rs
 * ArrayFormatter with DataFusion's options: NULL as "NULL", dates %Y-%m-%d,
 * timestamps %Y-%m-%dT%H:%M:%S%.f, intervals "1 days 2 hours", lists
 * "[1, 2]", structs "{a: 1, b: x}", maps "{k: v}", binary as hex...). */
qv_status arrow_format_value(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err);

/* Renders batches as DataFusion's CLI table (+---+ borders, header row). */
qv_status arrow_print_table(const arrow_schema *schema, arrow_batch *const *batches,
                            int32_t n_batches, base_strbuf *sb, qv_error *err);

#endif /* QV_ARROW_H */
