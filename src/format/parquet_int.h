/*
 * parquet_int.h — private to the Parquet reader files of src/format: the
 * footer's metadata as parsed (parquet_meta.c), page decompression
 * (parquet_codec.c), value and level decoding (parquet_decode.c,
 * parquet_delta.c), the Parquet schema as Arrow fields (parquet_schema.c),
 * values into Arrow arrays (parquet_convert.c) and the column chunk reader
 * (parquet_chunk.c) that parquet_read.c assembles into batches.
 *
 * Every length, count and offset here comes from an untrusted file: the
 * parsers check them against the bytes they have before use, and problems
 * are QV_EXECUTION "Parquet error: ..." messages.
 */
#ifndef QV_PARQUET_INT_H
#define QV_PARQUET_INT_H

#include "format/parquet.h"

/* Limits that keep a corrupt file from asking for absurd memory. */
#define PQ_MAX_PAGE_BYTES (256 * 1024 * 1024) /* a page, uncompressed */
#define PQ_MAX_PAGE_LEVELS (16 * 1024 * 1024) /* levels (values) in a page */
#define PQ_MAX_FOOTER_BYTES (256 * 1024 * 1024)
#define PQ_MAX_SCHEMA_DEPTH 64

/* A byte string inside a buffer that outlives it. */
typedef struct pq_bytes {
    const uint8_t *data;
    uint32_t len;
} pq_bytes;

/* ---- metadata (parquet_meta.c) ---- */

/* parquet.thrift's ConvertedType, -1 for none. */
enum {
    PQ_CONVERTED_NONE = -1,
    PQ_CONVERTED_UTF8 = 0,
    PQ_CONVERTED_MAP = 1,
    PQ_CONVERTED_MAP_KEY_VALUE = 2,
    PQ_CONVERTED_LIST = 3,
    PQ_CONVERTED_ENUM = 4,
    PQ_CONVERTED_DECIMAL = 5,
    PQ_CONVERTED_DATE = 6,
    PQ_CONVERTED_TIME_MILLIS = 7,
    PQ_CONVERTED_TIME_MICROS = 8,
    PQ_CONVERTED_TIMESTAMP_MILLIS = 9,
    PQ_CONVERTED_TIMESTAMP_MICROS = 10,
    PQ_CONVERTED_UINT_8 = 11,
    PQ_CONVERTED_UINT_16 = 12,
    PQ_CONVERTED_UINT_32 = 13,
    PQ_CONVERTED_UINT_64 = 14,
    PQ_CONVERTED_INT_8 = 15,
    PQ_CONVERTED_INT_16 = 16,
    PQ_CONVERTED_INT_32 = 17,
    PQ_CONVERTED_INT_64 = 18,
    PQ_CONVERTED_JSON = 19,
    PQ_CONVERTED_BSON = 20,
    PQ_CONVERTED_INTERVAL = 21
};

/* The LogicalType union's member (its thrift field id), 0 for none. */
typedef enum pq_logical_kind {
    PQ_LOGICAL_NONE = 0,
    PQ_LOGICAL_STRING = 1,
    PQ_LOGICAL_MAP = 2,
    PQ_LOGICAL_LIST = 3,
    PQ_LOGICAL_ENUM = 4,
    PQ_LOGICAL_DECIMAL = 5,
    PQ_LOGICAL_DATE = 6,
    PQ_LOGICAL_TIME = 7,
    PQ_LOGICAL_TIMESTAMP = 8,
    PQ_LOGICAL_INTEGER = 10,
    PQ_LOGICAL_UNKNOWN = 11, /* always null */
    PQ_LOGICAL_JSON = 12,
    PQ_LOGICAL_BSON = 13,
    PQ_LOGICAL_UUID = 14,
    PQ_LOGICAL_FLOAT16 = 15,
    PQ_LOGICAL_OTHER = 99 /* VARIANT, GEOMETRY, GEOGRAPHY, future members */
} pq_logical_kind;

typedef struct pq_logical {
    pq_logical_kind kind;
    int32_t scale, precision; /* DECIMAL */
    bool adjusted_utc;        /* TIME, TIMESTAMP */
    arrow_time_unit unit;     /* TIME, TIMESTAMP: ms, us or ns */
    int32_t bit_width;        /* INTEGER */
    bool is_signed;           /* INTEGER */
} pq_logical;

typedef struct pq_schema_element {
    pq_bytes name;
    int32_t type;        /* parquet_physical_type; -1 for a group */
    int32_t type_length; /* FIXED_LEN_BYTE_ARRAY */
    int32_t repetition;  /* parquet_repetition; -1 when absent (the root) */
    int32_t num_children;
    int32_t converted; /* PQ_CONVERTED_*, -1 none */
    int32_t scale, precision;
    pq_logical logical;
} pq_schema_element;

/* Chunk statistics (kept for pruning, not used yet): min / max as written
 * (plain-encoded values), preferring min_value / max_value. */
typedef struct pq_statistics {
    bool has_min, has_max, has_null_count, has_distinct_count;
    pq_bytes min, max;
    int64_t null_count, distinct_count;
} pq_statistics;

typedef struct pq_column_meta {
    int32_t type; /* parquet_physical_type */
    int32_t codec;
    int32_t n_path;
    pq_bytes *path; /* n_path names (owned array, views into the footer) */
    int64_t num_values;
    int64_t total_uncompressed_size, total_compressed_size;
    int64_t data_page_offset;
    int64_t dictionary_page_offset; /* -1 when absent */
    pq_statistics statistics;
} pq_column_meta;

typedef struct pq_column_chunk {
    bool has_file_path; /* the chunk lives in another file: not supported */
    bool encrypted;
    bool has_meta;
    pq_column_meta meta;
} pq_column_chunk;

typedef struct pq_row_group {
    int32_t n_columns;
    pq_column_chunk *columns; /* owned */
    int64_t num_rows;
    int64_t total_byte_size;
} pq_row_group;

typedef struct pq_key_value {
    pq_bytes key, value;
    bool has_value;
} pq_key_value;

typedef struct pq_file_meta {
    int32_t version;
    int32_t n_schema;
    pq_schema_element *schema; /* owned; depth-first, [0] is the root */
    int64_t num_rows;
    int32_t n_row_groups;
    pq_row_group *row_groups; /* owned */
    int32_t n_key_values;
    pq_key_value *key_values; /* owned */
    pq_bytes created_by;
    bool encrypted; /* encryption_algorithm present */
} pq_file_meta;

/* Parses a FileMetaData from footer[0..len) (borrowed: the views in *out
 * point into it). On failure *out is cleared. */
qv_status pq_meta_parse(const uint8_t *footer, size_t len, pq_file_meta *out, qv_error *err);
void pq_meta_free(pq_file_meta *meta);

typedef struct pq_page_header {
    int32_t type; /* parquet_page_type */
    int32_t uncompressed_size, compressed_size;
    int32_t num_values; /* data and dictionary pages */
    int32_t encoding;
    int32_t def_encoding, rep_encoding; /* data page v1 */
    int32_t num_nulls, num_rows;        /* data page v2 */
    int32_t def_length, rep_length;     /* data page v2: level bytes */
    bool is_compressed;                 /* data page v2 (default true) */
    bool has_type_header;               /* the header of the page's type was there */
} pq_page_header;

/* Parses a PageHeader at data[0..len); *header_len gets its size. */
qv_status pq_page_header_parse(const uint8_t *data, size_t len, pq_page_header *out,
                               size_t *header_len, qv_error *err);

/* QV_EXECUTION "Parquet error: <message>". */
qv_status pq_corrupt(qv_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- codecs (parquet_codec.c) ---- */

/* Decompresses src[0..src_len) with codec into exactly dst_len bytes. */
qv_status pq_decompress(int32_t codec, const uint8_t *src, size_t src_len, uint8_t *dst,
                        size_t dst_len, qv_error *err);
/* Raw snappy (no framing): the decompressed length it declares, or false
 * when the header is bad. */
bool pq_snappy_length(const uint8_t *src, size_t src_len, size_t *out);
/* Raw snappy into dst[0..dst_len), which must be the declared length. */
bool pq_snappy_decompress(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len);

/* ---- decoded values (parquet_decode.c, parquet_delta.c) ---- */

/* Values of one physical type, as decoded: fixed-width values (width bytes
 * each; BOOLEAN one byte 0 / 1) in data, or byte arrays as n + 1 offsets
 * into data. Zero-initialized it is empty. */
typedef struct pq_values {
    int32_t width; /* > 0: fixed width; 0: byte arrays */
    int64_t n;
    uint8_t *data; /* owned */
    int64_t data_len, data_cap;
    int64_t *offsets; /* owned; n + 1 when width == 0 */
    int64_t offsets_cap;
} pq_values;

void pq_values_init(pq_values *v, int32_t width);
void pq_values_reset(pq_values *v);
void pq_values_free(pq_values *v);
/* Room for n more values (and bytes more data bytes). */
qv_status pq_values_reserve(pq_values *v, int64_t n, int64_t bytes, qv_error *err);
/* Appends src's values [start, start + n). */
qv_status pq_values_append_range(pq_values *v, const pq_values *src, int64_t start, int64_t n,
                                 qv_error *err);
qv_status pq_values_append_bytes(pq_values *v, const uint8_t *data, int64_t len, qv_error *err);

/* The RLE / bit-packed hybrid (levels, booleans, dictionary indices). */
typedef struct pq_rle {
    const uint8_t *pos, *end;
    int32_t bit_width;
    int64_t repeat_left; /* values left in the current RLE run */
    uint64_t repeat_value;
    int64_t packed_left;   /* values left in the current bit-packed run */
    const uint8_t *packed; /* its bytes */
    int64_t packed_bytes;
    int64_t packed_index;
} pq_rle;

void pq_rle_init(pq_rle *d, const uint8_t *data, size_t len, int32_t bit_width);
/* Up to n values into out; returns how many (fewer: the input ended, or it
 * is corrupt). */
int64_t pq_rle_read(pq_rle *d, uint32_t *out, int64_t n);

/* An unsigned LEB128 varint at *p (before end) into *out, *p moved past
 * it; false when the input ends first or it is longer than 64 bits. */
bool pq_read_uleb(const uint8_t **p, const uint8_t *end, uint64_t *out);

/* n levels of max_level from data[0..len) in encoding (RLE with no length
 * prefix, as data page v2 and the prefix-stripped v1 have them, or
 * BIT_PACKED) into out. */
qv_status pq_decode_levels(int32_t encoding, const uint8_t *data, size_t len, int16_t max_level,
                           int64_t n, int16_t *out, qv_error *err);

/* The bytes of one value of a physical type as pq_values holds it (BOOLEAN
 * 1, INT96 12, FIXED_LEN_BYTE_ARRAY type_length); 0 for BYTE_ARRAY, whose
 * values have offsets. */
int32_t pq_physical_width(int32_t physical, int32_t type_length);

/* Decodes n values of a page's value section data[0..len) in encoding into
 * out (appended). physical / type_length are the column's; dict holds the
 * dictionary values for the dictionary encodings (NULL: none yet). */
qv_status pq_decode_values(int32_t encoding, int32_t physical, int32_t type_length,
                           const uint8_t *data, size_t len, int64_t n, const pq_values *dict,
                           pq_values *out, qv_error *err);

/* The DELTA_* encodings (parquet_delta.c). *used gets the bytes read. */
qv_status pq_decode_delta_binary(const uint8_t *data, size_t len, int64_t n, int64_t *out,
                                 size_t *used, qv_error *err);
qv_status pq_decode_delta_length(const uint8_t *data, size_t len, int64_t n, pq_values *out,
                                 qv_error *err);
qv_status pq_decode_delta_byte_array(const uint8_t *data, size_t len, int64_t n, int32_t width,
                                     pq_values *out, qv_error *err);

/* ---- the schema (parquet_schema.c) ---- */

typedef enum pq_field_kind {
    PQ_FIELD_LEAF,
    PQ_FIELD_STRUCT,
    PQ_FIELD_LIST,
    PQ_FIELD_MAP
} pq_field_kind;

/* A field of the Arrow schema read from Parquet and how to assemble it
 * from its leaves' levels: an element at slot s is non-null when def[s] >=
 * def_level. Lists (and maps) start an item at slots with rep == rep_level
 * and are non-empty when def >= item_def. */
typedef struct pq_field {
    pq_field_kind kind;
    arrow_field *field; /* owned reference */
    int16_t def_level;
    int16_t rep_level;  /* LIST / MAP */
    int16_t item_def;   /* LIST / MAP */
    int32_t first_leaf; /* index of the first leaf column below */
    int32_t n_leaves;
    int32_t n_children;
    struct pq_field *children;     /* owned; LIST: 1 item; MAP: 1 entries struct */
    const pq_schema_element *leaf; /* LEAF: its element (borrowed from the metadata) */
    int16_t max_def, max_rep;      /* LEAF: the column's maximum levels */
} pq_field;

/* The file's top-level fields, as arrow-rs converts a Parquet schema, with
 * DataFusion's read options applied. */
typedef struct pq_schema {
    int32_t n_fields;
    pq_field *fields; /* owned */
    int32_t n_leaves;
    const pq_field **leaves; /* n_leaves, borrowed from fields */
    arrow_schema *arrow;     /* owned */
} pq_schema;

qv_status pq_schema_build(const pq_file_meta *meta, const parquet_read_options *opts,
                          pq_schema *out, qv_error *err);
void pq_schema_free(pq_schema *schema);

/* ---- values into Arrow arrays (parquet_convert.c) ---- */

/* An Arrow array of type from a leaf's decoded values: n elements, element
 * i null unless valid[i], the non-null ones taking values in order. type
 * is the leaf's own Arrow type or another the values convert to
 * (QV_PLAN "Cannot cast file schema field ..." otherwise). */
qv_status pq_convert_leaf(const pq_field *leaf, arrow_type *type, const pq_values *values,
                          const uint8_t *valid, int64_t n, arrow_array **out, qv_error *err);
/* True when pq_convert_leaf can make type from the leaf's values. */
bool pq_leaf_converts_to(const pq_field *leaf, const arrow_type *type);

/* ---- column chunks (parquet_chunk.c) ---- */

/* A reader of one column chunk: its pages decoded in turn, levels and
 * values collected a number of rows at a time. */
typedef struct pq_chunk {
    const pq_field *leaf;
    const pq_column_meta *meta;
    uint8_t *bytes; /* the chunk's compressed bytes (owned) */
    int64_t len, pos;
    int64_t values_seen; /* levels of the pages loaded so far */
    pq_values dict;
    bool has_dict;
    /* the current page */
    uint8_t *page; /* decompressed (owned) */
    int64_t page_levels, page_pos;
    int16_t *page_def, *page_rep; /* owned, page_levels each (when max > 0) */
    int64_t level_cap;
    pq_values page_values;
    int64_t page_value_pos;
    /* what read_rows collected */
    int16_t *def, *rep;
    int64_t n_levels, levels_cap;
    pq_values values;
} pq_chunk;

/* Starts reading a column chunk of file (file_size bytes): its bytes are
 * read now. name is used in error hints. */
qv_status pq_chunk_open(pq_chunk *c, const pq_field *leaf, const pq_column_meta *meta,
                        io_file *file, int64_t file_size, qv_error *err);
/* Collects the levels and values of the next n_rows rows (fewer at the end
 * of the chunk; *got says how many). */
qv_status pq_chunk_read_rows(pq_chunk *c, int64_t n_rows, int64_t *got, qv_error *err);
void pq_chunk_free(pq_chunk *c);

#endif /* QV_PARQUET_INT_H */
