/*
 * parquet_write_int.h — private to the Parquet writer's files of
 * src/format: the Parquet schema made from the Arrow schema
 * (parquet_write_schema.c), definition / repetition levels
 * (parquet_write_levels.c), value encoders (parquet_encode.c), page
 * compression (parquet_codec_write.c), column chunks (parquet_write_column.c)
 * and the file (parquet_write.c, parquet_write_meta.c).
 */
#ifndef QV_PARQUET_WRITE_INT_H
#define QV_PARQUET_WRITE_INT_H

#include "format/parquet.h"
#include "format/thrift.h"

/* ---- the schema (parquet_write_schema.c) ---- */

/* LogicalType union members (parquet.thrift field ids). */
typedef enum pqw_logical {
    PQW_LOGICAL_NONE = 0,
    PQW_LOGICAL_STRING = 1,
    PQW_LOGICAL_MAP = 2,
    PQW_LOGICAL_LIST = 3,
    PQW_LOGICAL_DECIMAL = 5,
    PQW_LOGICAL_DATE = 6,
    PQW_LOGICAL_TIME = 7,
    PQW_LOGICAL_TIMESTAMP = 8,
    PQW_LOGICAL_INTEGER = 10,
    PQW_LOGICAL_UNKNOWN = 11,
    PQW_LOGICAL_FLOAT16 = 15
} pqw_logical;

/* One SchemaElement, in depth-first order. */
typedef struct pqw_element {
    const char *name;              /* borrowed from the Arrow field (or a static name) */
    int32_t physical;              /* parquet_physical_type; -1 for a group */
    int32_t type_length;           /* FIXED_LEN_BYTE_ARRAY width, else -1 */
    parquet_repetition repetition; /* the root has none: repetition < 0 */
    int32_t num_children;          /* groups */
    int32_t converted;             /* ConvertedType, -1: none */
    int32_t scale, precision;      /* decimals, else -1 */
    pqw_logical logical;
    int32_t time_unit;    /* TIME / TIMESTAMP: 1 millis, 2 micros, 3 nanos */
    bool adjusted_to_utc; /* TIME / TIMESTAMP */
    int8_t bit_width;     /* INTEGER */
    bool is_signed;       /* INTEGER */
} pqw_element;

/* How min / max statistics compare values. */
typedef enum pqw_order {
    PQW_ORDER_SIGNED,   /* ints, floats, decimals, dates, times */
    PQW_ORDER_UNSIGNED, /* unsigned ints, booleans, byte arrays */
    PQW_ORDER_UNDEFINED /* INTERVAL: no min / max */
} pqw_order;

/* One step from a top-level column down to a leaf. */
typedef enum pqw_step_kind { PQW_STEP_LEAF, PQW_STEP_STRUCT, PQW_STEP_LIST } pqw_step_kind;

typedef struct pqw_step {
    pqw_step_kind kind;
    bool nullable;     /* OPTIONAL: one definition level when present */
    int32_t child;     /* STRUCT: the member on the path */
    int16_t rep_level; /* LIST: the repetition level of its items */
} pqw_step;

/* A leaf column (ColumnDescriptor) and how its values are written. */
typedef struct pqw_leaf {
    int32_t column;  /* the top-level Arrow column */
    pqw_step *steps; /* owned */
    int32_t n_steps;
    int16_t max_def, max_rep;
    parquet_physical_type physical;
    int32_t type_length;          /* FIXED_LEN_BYTE_ARRAY */
    const arrow_type *value_type; /* the leaf's Arrow type, dictionary resolved (borrowed) */
    pqw_order order;
    bool float_order; /* FLOAT / DOUBLE / Float16 compare as floats */
    bool utf8_stats;  /* statistics truncated at UTF-8 boundaries */
    char **path;      /* path_in_schema (borrowed names) */
    int32_t n_path;
    char *dotted_path; /* "a.list.item" (owned) */
    /* the settings of this column, overrides applied */
    parquet_codec codec;
    int32_t codec_level;
    bool dictionary;
    bool statistics;
    int32_t fallback_encoding; /* a parquet_encoding */
} pqw_leaf;

typedef struct pqw_schema {
    pqw_element *elements; /* owned; elements[0] is the root "arrow_schema" */
    int32_t n_elements;
    pqw_leaf *leaves; /* owned */
    int32_t n_leaves;
} pqw_schema;

/* The Parquet schema of an Arrow schema as arrow-rs' ArrowWriter makes it,
 * the per-column settings taken from opts. QV_NOT_IMPLEMENTED for types
 * Parquet cannot hold (with arrow-rs' messages). */
qv_status pqw_schema_build(const arrow_schema *schema, const parquet_write_options *opts,
                           pqw_schema *out, qv_error *err);
void pqw_schema_free(pqw_schema *s);

/* ---- levels (parquet_write_levels.c) ---- */

/* A leaf's levels over some rows, and the positions of its non-null
 * values in the leaf array (logical indexes, dictionaries resolved to
 * their values array). */
typedef struct pqw_levels {
    int16_t *def, *rep; /* n levels each (rep unused when max_rep == 0) */
    int64_t n, cap;
    int64_t *values; /* positions in `leaf` */
    int64_t n_values, values_cap;
    const arrow_array *leaf; /* borrowed from the batch */
} pqw_levels;

/* Levels of rows [0, column->length) of a top-level column for leaf;
 * out is reset first (its buffers are reused). */
qv_status pqw_levels_compute(const pqw_leaf *leaf, const arrow_array *column, pqw_levels *out,
                             qv_error *err);
void pqw_levels_free(pqw_levels *levels);

/* ---- encoders (parquet_encode.c) ---- */

/* The RLE / bit-packed hybrid encoding of n values of bit_width bits
 * (without a length prefix), appended to out. */
void pqw_rle_encode_u16(const int16_t *values, int64_t n, int32_t bit_width, base_strbuf *out);
void pqw_rle_encode_u32(const uint32_t *values, int64_t n, int32_t bit_width, base_strbuf *out);

/* DELTA_BINARY_PACKED of n integers (blocks of 128, 4 miniblocks). */
void pqw_delta_binary_packed(const int64_t *values, int64_t n, base_strbuf *out);
/* BYTE_STREAM_SPLIT of n values of width bytes given in PLAIN form. */
void pqw_byte_stream_split(const uint8_t *plain, int64_t n, int32_t width, base_strbuf *out);

/* A value's physical bytes: the PLAIN encoding of fixed-width values
 * (BOOLEAN: one byte 0 / 1), the raw bytes of a BYTE_ARRAY. */
typedef struct pqw_value {
    const uint8_t *data;
    size_t len;
    uint8_t fixed[32]; /* where fixed-width values are built */
} pqw_value;

/* Value i (valid) of the leaf array in the leaf's physical form, as
 * arrow-rs converts it (unsigned as their bit patterns, decimals to INT32 /
 * INT64 or big-endian bytes, intervals to 12 bytes...). */
void pqw_value_at(const pqw_leaf *leaf, const arrow_array *array, int64_t i, pqw_value *out);
/* < 0, 0, > 0 as a is less than, equal to, greater than b in the leaf's
 * sort order. */
int pqw_value_compare(const pqw_leaf *leaf, const uint8_t *a, size_t a_len, const uint8_t *b,
                      size_t b_len);

/* Floating-point values: NaN is left out of statistics, zeros are written
 * as -0.0 (min) and +0.0 (max). */
typedef enum pqw_float_kind { PQW_FLOAT_OTHER, PQW_FLOAT_NAN, PQW_FLOAT_ZERO } pqw_float_kind;
pqw_float_kind pqw_value_float_kind(const pqw_leaf *leaf, const uint8_t *v);

/* ---- page compression (parquet_codec_write.c) ---- */

/* Appends data[0..len) compressed with codec (at level where it has one)
 * to out. QV_NOT_IMPLEMENTED for LZO, QV_EXECUTION when a library fails. */
qv_status pqw_compress(parquet_codec codec, int32_t level, const uint8_t *data, size_t len,
                       base_strbuf *out, qv_error *err);
/* Snappy's block format (our own compressor). */
void pqw_snappy_compress(const uint8_t *data, size_t len, base_strbuf *out);
/* QV_OK when the codec can be written (LZO cannot). */
qv_status pqw_codec_check(parquet_codec codec, qv_error *err);

/* ---- column chunks (parquet_write_column.c) ---- */

typedef struct pqw_column pqw_column;

/* A column chunk writer for leaf (borrowed, outlives it). */
qv_status pqw_column_new(const pqw_leaf *leaf, const parquet_write_options *opts, pqw_column **out,
                         qv_error *err);
void pqw_column_free(pqw_column *col);
/* Adds levels (and their values) to the chunk, cutting pages as arrow-rs
 * does by size and row count. */
qv_status pqw_column_write(pqw_column *col, const pqw_levels *levels, qv_error *err);
/* Bytes the chunk holds so far (pages, dictionary, buffered values). */
int64_t pqw_column_memory(const pqw_column *col);
/* Finishes the chunk: its bytes (dictionary page first, then the data
 * pages) go to out, starting at file offset `offset`; the ColumnChunk
 * metadata is appended to meta (thrift). The writer is reset for the next
 * row group. *uncompressed / *compressed get the chunk's sizes. */
qv_status pqw_column_finish(pqw_column *col, int64_t offset, base_strbuf *out, thrift_writer *meta,
                            int64_t *uncompressed, int64_t *compressed, qv_error *err);

/* ---- the footer (parquet_write_meta.c) ---- */

/* Appends the FileMetaData: the schema, num_rows, the row groups already
 * encoded (n_row_groups RowGroup structs in row_groups), key / value
 * metadata, created_by and column orders. */
void pqw_write_file_metadata(thrift_writer *w, const pqw_schema *schema,
                             const parquet_write_options *opts, int64_t num_rows,
                             int32_t n_row_groups, const base_strbuf *row_groups);
/* A Statistics struct (field id) from min / max (NULL: none) and the null
 * count. */
void pqw_write_statistics(thrift_writer *w, int16_t id, const pqw_leaf *leaf, const uint8_t *min,
                          size_t min_len, bool min_exact, const uint8_t *max, size_t max_len,
                          bool max_exact, int64_t null_count);

#endif /* QV_PARQUET_WRITE_INT_H */
