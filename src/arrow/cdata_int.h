/*
 * cdata_int.h — private to the C Data Interface files of src/arrow/
 * (cdata_format.c, cdata_export.c, cdata_import.c) and validate.c.
 *
 * Format strings and metadata blobs of the Arrow C Data Interface, the
 * nesting limit shared by import and validation, and type names for messages.
 */
#ifndef QV_ARROW_CDATA_INT_H
#define QV_ARROW_CDATA_INT_H

#include "arrow/arrow.h"

/* Deepest nesting of types / arrays that import and validation accept, so
 * that hostile input cannot exhaust the stack by recursion. */
#define CDATA_MAX_DEPTH 64

/* A parsed format string: the type id and its parameters. Nested ids (lists,
 * struct, map, REE) take their children from the ArrowSchema's children. */
typedef struct cdata_format {
    arrow_type_id id;
    arrow_time_unit unit;
    int32_t precision;
    int32_t scale;
    int32_t fixed_size;   /* w:n and +w:n */
    const char *timezone; /* TIMESTAMP: points into the format string; NULL if none */
} cdata_format;

/* Parses a C Data Interface format string (never reads past its NUL).
 * QV_INVALID with a message naming the format for anything unknown or
 * malformed. */
qv_status cdata_format_parse(const char *format, cdata_format *out, qv_error *err);

/* The format string of type (for DICTIONARY: of its index type), as a new
 * NUL-terminated string the caller frees with base_free. QV_NOMEM. */
qv_status cdata_format_string(const arrow_type *type, char **out, qv_error *err);

/* Encodes metadata as the C interface's blob (int32 count, then int32-length
 * prefixed keys and values, native endianness) into a new base_alloc'd
 * buffer; *out is NULL when md has no entries. QV_NOMEM. */
qv_status cdata_metadata_encode(const arrow_metadata *md, char **out, qv_error *err);

/* Decodes a metadata blob (NULL means none) into out (which starts empty).
 * QV_INVALID on negative counts or lengths, QV_NOMEM; out is empty on
 * failure. */
qv_status cdata_metadata_decode(const char *blob, arrow_metadata *out, qv_error *err);

/* The bit width of one fixed-width value (DICTIONARY: of its index;
 * FIXED_SIZE_BINARY computed in 64 bits; 0 when the type has no fixed-width
 * values buffer), for import and validation (validate.c). */
int64_t cdata_fixed_bit_width(const arrow_type *type);

/* QV_INVALID "invalid array: <message> (column type <type>)", the error of
 * import and validation for an array that breaks the format's rules. */
qv_status cdata_invalid_array(const arrow_type *type, qv_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* QV_ARROW_CDATA_INT_H */
