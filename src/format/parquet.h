/*
 * parquet.h — Apache Parquet files (layer: format; uses arrow and io):
 * the footer's metadata, reading column chunks into Arrow batches, and
 * writing batches as a Parquet file, with the Arrow <-> Parquet type
 * mapping of arrow-rs' parquet crate (which DataFusion uses).
 *
 * Reading (parquet_read*.c) and writing (parquet_write*.c) are separate
 * files; what both need from the format specification (physical types,
 * encodings, codecs) is declared here. The Thrift compact protocol is
 * decoded in thrift_read.c and encoded in thrift_write.c.
 *
 * Errors follow format.h: messages are the text DataFusion shows after its
 * "Parquet error: " / "Arrow error: " prefix, the file is named in the
 * error's hint; a corrupt or truncated file is QV_EXECUTION, never a crash
 * or an over-read; features not built yet are QV_NOT_IMPLEMENTED naming
 * them.
 */
#ifndef QV_PARQUET_H
#define QV_PARQUET_H

#include <stdbool.h>
#include <stdint.h>

#include "arrow/arrow.h"
#include "format/format.h"

/* ---- the specification (parquet.thrift) ---- */

typedef enum parquet_physical_type {
    PARQUET_BOOLEAN = 0,
    PARQUET_INT32 = 1,
    PARQUET_INT64 = 2,
    PARQUET_INT96 = 3,
    PARQUET_FLOAT = 4,
    PARQUET_DOUBLE = 5,
    PARQUET_BYTE_ARRAY = 6,
    PARQUET_FIXED_LEN_BYTE_ARRAY = 7
} parquet_physical_type;

typedef enum parquet_encoding {
    PARQUET_ENCODING_PLAIN = 0,
    PARQUET_ENCODING_PLAIN_DICTIONARY = 2,
    PARQUET_ENCODING_RLE = 3,
    PARQUET_ENCODING_BIT_PACKED = 4,
    PARQUET_ENCODING_DELTA_BINARY_PACKED = 5,
    PARQUET_ENCODING_DELTA_LENGTH_BYTE_ARRAY = 6,
    PARQUET_ENCODING_DELTA_BYTE_ARRAY = 7,
    PARQUET_ENCODING_RLE_DICTIONARY = 8,
    PARQUET_ENCODING_BYTE_STREAM_SPLIT = 9
} parquet_encoding;

typedef enum parquet_codec {
    PARQUET_CODEC_UNCOMPRESSED = 0,
    PARQUET_CODEC_SNAPPY = 1,
    PARQUET_CODEC_GZIP = 2,
    PARQUET_CODEC_LZO = 3,
    PARQUET_CODEC_BROTLI = 4,
    PARQUET_CODEC_LZ4 = 5,
    PARQUET_CODEC_ZSTD = 6,
    PARQUET_CODEC_LZ4_RAW = 7
} parquet_codec;

typedef enum parquet_page_type {
    PARQUET_PAGE_DATA = 0,
    PARQUET_PAGE_INDEX = 1,
    PARQUET_PAGE_DICTIONARY = 2,
    PARQUET_PAGE_DATA_V2 = 3
} parquet_page_type;

typedef enum parquet_repetition {
    PARQUET_REQUIRED = 0,
    PARQUET_OPTIONAL = 1,
    PARQUET_REPEATED = 2
} parquet_repetition;

/* The bit width of the RLE / bit-packed hybrid for values 0 .. max (levels,
 * dictionary indices, delta miniblocks): 0 for max 0. */
static inline int32_t parquet_bit_width(uint64_t max)
{
    int32_t bits = 0;
    while (max != 0) {
        bits++;
        max >>= 1;
    }
    return bits;
}

/* ---- options (DataFusion's datafusion.execution.parquet.* and the
 * format.* keys of CREATE EXTERNAL TABLE / COPY) ---- */

typedef struct parquet_read_options {
    bool binary_as_string;        /* binary_as_string: BYTE_ARRAY without a
                                   * logical type read as strings */
    bool schema_force_view_types; /* default true: strings Utf8View, binary BinaryView */
    const char *coerce_int96;     /* NULL: INT96 as Timestamp(ns); else "ms", "us"... */
    const char *coerce_int96_tz;  /* NULL: none; else the time zone INT96 timestamps get */
    bool skip_metadata;           /* default true: ignore the ARROW:schema key */
    bool pushdown_filters;        /* default false */
} parquet_read_options;

void parquet_read_options_init(parquet_read_options *opts);

typedef struct parquet_write_options {
    parquet_codec compression;          /* default ZSTD (DataFusion: "zstd(3)") */
    int32_t compression_level;          /* default 3; codecs without levels ignore it */
    int64_t max_row_group_size;         /* rows, default 1048576 */
    int64_t data_pagesize_limit;        /* bytes, default 1048576 */
    int64_t data_page_row_count_limit;  /* default 20000 */
    bool dictionary_enabled;            /* default true */
    int64_t dictionary_page_size_limit; /* bytes, default 1048576 */
    int32_t writer_version;             /* 1 (default, "1.0") or 2 ("2.0": data page v2) */
    bool statistics_enabled;            /* default true: chunk min / max / null count */
    const char *created_by;             /* NULL: "datafusion version ..." as DataFusion */
    /* (writer) the rest of DataFusion's writing options */
    int64_t write_batch_size;           /* levels per mini batch, default 1024 */
    int64_t max_row_group_bytes;        /* < 0 (default): no byte limit */
    int64_t statistics_truncate_length; /* < 0: none; default 64 */
    int32_t encoding;                   /* -1 (default): PLAIN; else the parquet_encoding
                                         * used when no dictionary is */
    /* file key / value metadata (format.metadata::key) */
    int32_t n_metadata;
    char **metadata_keys, **metadata_values;
    /* column-specific overrides (format.<option>::<column path>) */
    int32_t n_columns;
    struct parquet_column_write_options *columns;
} parquet_write_options;

/* An override for the leaf column whose dotted path is `path`. */
typedef struct parquet_column_write_options {
    char *path;
    int8_t dictionary_enabled; /* -1: not set, else 0 / 1 */
    int8_t statistics_enabled; /* -1: not set */
    bool has_compression;
    parquet_codec compression;
    int32_t compression_level;
    int32_t encoding; /* -1: not set */
} parquet_column_write_options;

/* The options as DataFusion's defaults; the strings and arrays of an
 * initialised options struct are owned by it (see _copy / _clear). */
void parquet_write_options_init(parquet_write_options *opts);
/* A deep copy into dst (not initialised before). QV_NOMEM. */
qv_status parquet_write_options_copy(parquet_write_options *dst, const parquet_write_options *src,
                                     qv_error *err);
/* Frees what opts owns and re-initialises it. */
void parquet_write_options_clear(parquet_write_options *opts);
/* The override for column path, added (all unset) when missing; NULL
 * when out of memory. */
parquet_column_write_options *parquet_write_options_column(parquet_write_options *opts,
                                                           const char *path);
/* Adds (or replaces) a key / value metadata entry. */
qv_status parquet_write_options_metadata(parquet_write_options *opts, const char *key,
                                         const char *value, qv_error *err);
/* DataFusion's parse_encoding_string (plain, rle, delta_binary_packed...);
 * QV_PLAN "Invalid or Unsupported Configuration: Unknown or unsupported
 * parquet encoding: ..." otherwise. */
qv_status parquet_parse_encoding(const char *text, int32_t *out, qv_error *err);

/* "uncompressed", "snappy", "gzip(6)", "brotli(1)", "lz4", "lz4_raw",
 * "zstd(3)" (DataFusion's spelling, case-insensitive; the level in
 * parentheses where the codec has one) into opts->compression and
 * ->compression_level. QV_CONFIGURATION with DataFusion's message for an
 * unknown codec or a level out of range. */
qv_status parquet_parse_compression(const char *text, parquet_write_options *opts, qv_error *err);

/* ---- reading (parquet_read*.c) ---- */

/* An open file with its footer parsed. */
typedef struct parquet_file parquet_file;

qv_status parquet_file_open(const char *path, const parquet_read_options *opts, parquet_file **out,
                            qv_error *err);
void parquet_file_free(parquet_file *file);
/* The file's columns as Arrow fields (borrowed, lives as long as file). */
arrow_schema *parquet_file_schema(const parquet_file *file);
int64_t parquet_file_num_rows(const parquet_file *file);
int32_t parquet_file_num_row_groups(const parquet_file *file);

/* DataFusion's ParquetFormat::infer_schema over files: each file's schema,
 * merged with fmt_schema_merge. */
qv_status parquet_infer_files(const char *const *paths, int32_t n, const parquet_read_options *opts,
                              arrow_schema **out, qv_error *err);

/* What to read, as csv_scan. schema is the table's file schema: columns are
 * found in each file by name (a column the file lacks reads as NULLs; a
 * type that differs is cast). A byte range reads the row groups whose
 * first page starts in [range_start, range_end). */
typedef struct parquet_scan {
    arrow_schema *schema; /* borrowed; retained */
    const int32_t *projection;
    int32_t n_projection;
    int64_t batch_size;
    int64_t limit;
    int64_t range_start;
    int64_t range_end; /* < 0: whole file */
} parquet_scan;

typedef struct parquet_reader parquet_reader;

qv_status parquet_reader_open(const char *path, const parquet_read_options *opts,
                              const parquet_scan *scan, parquet_reader **out, qv_error *err);
qv_status parquet_reader_next(parquet_reader *reader, arrow_batch **out, qv_error *err);
arrow_schema *parquet_reader_schema(const parquet_reader *reader);
/* The rows of the whole file, as its footer says. */
int64_t parquet_reader_file_rows(const parquet_reader *reader);
void parquet_reader_free(parquet_reader *reader);

/* ---- writing (parquet_write*.c) ---- */

typedef struct parquet_writer parquet_writer;

/* A writer of batches of schema (retained) whose bytes go to sink(user,...)
 * (format.h's fmt_sink_fn; a sink error is returned as it is). Column
 * types Parquet cannot hold are QV_NOT_IMPLEMENTED before any byte is
 * written. opts is copied. */
qv_status parquet_writer_new(arrow_schema *schema, const parquet_write_options *opts,
                             fmt_sink_fn sink, void *user, parquet_writer **out, qv_error *err);
/* Buffers rows; a full row group is written out. */
qv_status parquet_writer_write(parquet_writer *w, arrow_batch *batch, qv_error *err);
/* Writes the last row group and the footer. A file with no rows has no
 * row group. */
qv_status parquet_writer_finish(parquet_writer *w, qv_error *err);
void parquet_writer_free(parquet_writer *w);

#endif /* QV_PARQUET_H */
