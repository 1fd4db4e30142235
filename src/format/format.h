/*
 * format.h — file formats: CSV and NDJSON readers and DataFusion-identical
 * schema inference (layer: format; uses arrow and io).
 *
 * Error messages are the text DataFusion shows after its "Arrow error: "
 * prefix (arrow-rs ArrowError Display: "Csv error: ...", "Parser error: ...",
 * "Json error: ..."), so a caller that renders DataFusion's error chain adds
 * "Arrow error: " in front. The file a problem was found in is named in the
 * error's hint ("in file data/x.csv"), keeping the message identical to
 * DataFusion's. Value parse errors are QV_CAST, malformed records
 * QV_EXECUTION, I/O problems QV_IO / QV_NOT_FOUND, missing features
 * QV_NOT_IMPLEMENTED.
 *
 * Readers are pull-based: *_next hands out one batch (a new reference) or
 * NULL at the end. A reader is used by one thread at a time; several readers
 * over byte ranges of one file run in parallel.
 */
#ifndef QV_FORMAT_H
#define QV_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "arrow/arrow.h"
#include "io/io.h"

/* ---- shared scalar parsing (value_parse.c) ----
 * Each parses the whole of s[0..len) exactly as arrow-rs (arrow-cast) does
 * for CSV and JSON reading, returning false when it is not a valid value. */

/* Optional sign, ASCII digits, checked against [min, max]. */
bool fmt_parse_int(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);
/* Optional '+', digits, at most max. */
bool fmt_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out);
/* Decimal or scientific notation, "NaN", "inf", "infinity" (any case, signed). */
bool fmt_parse_double(const char *s, size_t len, double *out);
bool fmt_parse_float(const char *s, size_t len, float *out);
/* "true" / "false" in any case. */
bool fmt_parse_bool(const char *s, size_t len, bool *out);
/* YYYY-MM-DD (also YYYY-M-D, YYYYMMDD, signed extended years, and a full
 * timestamp whose date is taken): days since 1970-01-01. */
bool fmt_parse_date32(const char *s, size_t len, int32_t *out);

/* arrow-rs string_to_datetime: `YYYY-MM-DD`, then optionally `T`/`t`/` `,
 * `HH:MM:SS[.fraction]` or `HHMMSS`, then optionally `Z` or an offset
 * (`+08:00`, `+0800`, `+08`) or "UTC"/"GMT". Naive values are taken in the
 * zone whose fixed UTC offset is default_offset_s. On failure, why (arrow-rs'
 * wording: "error parsing date", ...) is written to reason (may be NULL).
 * *out is in unit; QV_OVERFLOW-like failures set reason too. */
bool fmt_parse_timestamp(const char *s, size_t len, arrow_time_unit unit, int32_t default_offset_s,
                         int64_t *out, const char **reason);
/* The fixed UTC offset of a timezone name ("+05:30", "UTC", "Z"...); false for
 * names this build cannot resolve (IANA zones: not yet). */
bool fmt_tz_fixed_offset(const char *name, int32_t *offset_s);
/* HH:MM[:SS[.fraction]] or a plain integer count of unit, into unit. */
bool fmt_parse_time(const char *s, size_t len, arrow_time_unit unit, int64_t *out);
/* A decimal string (sign, digits, '.', exponent) as a precision/scale value
 * in n_bytes (16 or 32) little-endian two's complement bytes. Extra fraction
 * digits are truncated, as arrow-rs parse_decimal does. *overflow is set when
 * the value does not fit the precision. */
bool fmt_parse_decimal(const char *s, size_t len, int32_t precision, int32_t scale, uint8_t *le,
                       int n_bytes, bool *overflow);

/* Index of the first byte of s[0..len) that starts an invalid UTF-8
 * sequence, or len when all of it is valid. */
size_t fmt_utf8_valid_prefix(const uint8_t *s, size_t len);

/* ---- compression (compression.c, decompress.c, compress.c) ----
 * DataFusion's format.compression: gzip, bzip2, xz and zstd files are read
 * and written as streams (compressed files are never split into byte
 * ranges). */
typedef enum fmt_compression {
    QV_COMPRESSION_NONE,
    QV_COMPRESSION_GZIP,
    QV_COMPRESSION_BZIP2,
    QV_COMPRESSION_XZ,
    QV_COMPRESSION_ZSTD
} fmt_compression;

/* "uncompressed", "gzip", "bzip2", "xz", "zstd". */
const char *fmt_compression_name(fmt_compression c);
/* Parses DataFusion's option value (case-insensitive; "" is uncompressed);
 * false for an unknown name. */
bool fmt_compression_parse(const char *name, fmt_compression *out);
/* The suffix DataFusion gives such files: ".gz", ".bz2", ".xz", ".zst", or
 * "" uncompressed. */
const char *fmt_compression_extension(fmt_compression c);
/* The codec a file name's last extension names (case-insensitive; NONE for
 * another one); *ext_len (may be NULL) gets that extension's length. */
fmt_compression fmt_compression_of_name(const char *name, size_t *ext_len);
/* QV_OK when files compressed with c can be read by this build (every
 * codec above is). */
qv_status fmt_compression_check(fmt_compression c, qv_error *err);

/* A streaming decompressor over a file (borrowed: it must outlive the
 * decompressor; read from offset 0) or bytes in memory (borrowed). name (may
 * be NULL, copied) is used in error hints. Concatenated gzip members, bzip2
 * and xz streams and zstd frames are read one after another. */
typedef struct fmt_inflate fmt_inflate;
qv_status fmt_inflate_open_file(io_file *file, fmt_compression codec, const char *name,
                                fmt_inflate **out, qv_error *err);
qv_status fmt_inflate_open_buffer(const uint8_t *data, size_t len, fmt_compression codec,
                                  const char *name, fmt_inflate **out, qv_error *err);
/* Reads up to cap decompressed bytes into buf; *got is 0 only at the end.
 * Corrupt or truncated input is QV_EXECUTION ("Execution error: gzip
 * decompression failed: ..." with the file in the hint), and so is every
 * later read. */
qv_status fmt_inflate_read(fmt_inflate *d, uint8_t *buf, size_t cap, size_t *got, qv_error *err);
void fmt_inflate_free(fmt_inflate *d);
/* The whole of a file, decompressed with codec (NONE: read as it is), in a
 * new buffer (base_free). */
qv_status fmt_read_all(const char *path, fmt_compression codec, uint8_t **out, int64_t *len,
                       qv_error *err);

/* A streaming compressor at the codec's default level; compressed bytes go
 * to sink(user, ...) in blocks. A sink error is returned as it is. */
typedef qv_status (*fmt_sink_fn)(void *user, const uint8_t *data, size_t len, qv_error *err);
typedef struct fmt_deflate fmt_deflate;
qv_status fmt_deflate_new(fmt_compression codec, fmt_sink_fn sink, void *user, fmt_deflate **out,
                          qv_error *err);
qv_status fmt_deflate_write(fmt_deflate *z, const uint8_t *data, size_t len, qv_error *err);
/* Ends the stream (its trailer goes to the sink). */
qv_status fmt_deflate_finish(fmt_deflate *z, qv_error *err);
void fmt_deflate_free(fmt_deflate *z);

/* ---- written files (output.c) ----
 * A file being written (see io_writer_open: staged and renamed into place
 * on close, unless appending), compressed with the given codec. */
typedef struct fmt_output fmt_output;
qv_status fmt_output_open(const char *path, fmt_compression compression, bool append,
                          fmt_output **out, qv_error *err);
qv_status fmt_output_write(fmt_output *o, const void *data, size_t len, qv_error *err);
/* Uncompressed bytes written so far. */
int64_t fmt_output_bytes(const fmt_output *o);
/* Finishes the stream and moves the file into place; always frees o. */
qv_status fmt_output_close(fmt_output *o, qv_error *err);
/* Drops the file (a staged file is removed). NULL is a no-op. */
void fmt_output_abort(fmt_output *o);

/* ---- schema merging (schema_merge.c) ---- */

/* arrow-rs Schema::try_merge: fields by name in first-seen order; equal
 * types merge, Null merges with anything (taking the other type), nullable
 * is or-ed; different types are QV_SCHEMA "Fail to merge schema field 'c'
 * because the from data_type = Float64 does not equal Int64". NULL entries
 * are skipped. */
qv_status fmt_schema_merge(int32_t n, arrow_schema *const *schemas, arrow_schema **out,
                           qv_error *err);

/* The schema of each file (schema_of gives a new reference), merged with
 * fmt_schema_merge: the inference of formats whose files carry their
 * schema (Parquet, Arrow IPC). The first error stops it. */
typedef qv_status (*fmt_file_schema_fn)(void *user, const char *path, arrow_schema **out,
                                        qv_error *err);
qv_status fmt_merge_file_schemas(const char *const *paths, int32_t n, fmt_file_schema_fn schema_of,
                                 void *user, arrow_schema **out, qv_error *err);

/* ---- CSV (csv_*.c) ---- */

typedef struct csv_options {
    bool has_header;              /* default true (datafusion.catalog.has_header) */
    uint8_t delimiter;            /* default ',' */
    uint8_t quote;                /* default '"' */
    int16_t escape;               /* -1: none (default) */
    bool double_quote;            /* default true: "" inside quotes is one quote */
    int16_t terminator;           /* -1: \n, \r or \r\n (default); else that byte */
    int16_t comment;              /* -1: none (default) */
    bool newlines_in_values;      /* default false; when true, files are not split
                                   * into byte ranges (see csv_can_split) */
    const char *null_regex;       /* NULL: an empty field is NULL (default). Else
                                   * a POSIX extended regex searched in the field
                                   * (borrowed; copied by readers) */
    int64_t schema_infer_max_rec; /* default 1000 */
    bool truncated_rows;          /* default false: rows with fewer fields than
                                   * the schema get NULLs instead of an error */
    arrow_type_id string_type;    /* inferred string type: QV_TYPE_UTF8 (default,
                                   * as DataFusion) or QV_TYPE_UTF8_VIEW */
    int64_t infer_chunk_size;     /* default 8192: inference sees the file in the
                                   * newline-delimited chunks object_store's
                                   * local reads produce (see csv_infer.c) */
    fmt_compression compression;  /* default NONE */
} csv_options;

/* Fills DataFusion's defaults. */
void csv_options_init(csv_options *opts);

/* True when a file read with these options may be split into byte ranges
 * (DataFusion: not when newlines_in_values, nor when compressed). */
bool csv_can_split(const csv_options *opts);

/* Schema inference over data[0..len), one file's bytes, as DataFusion's
 * CsvFormat::infer_schema_from_stream does: at most *records_left records
 * are looked at (decremented by the number read); columns are named from the
 * header or column_1, column_2...; types are Null, Boolean, Int64, Float64,
 * Date32, Timestamp(s|ms|us|ns) or opts->string_type; every field nullable.
 * name (may be NULL) is only used in error hints. *out is a new reference. */
qv_status csv_infer_buffer(const uint8_t *data, size_t len, const csv_options *opts,
                           const char *name, int64_t *records_left, arrow_schema **out,
                           qv_error *err);

/* DataFusion's CsvFormat::infer_schema over files (in the order given):
 * infers each file until schema_infer_max_rec records have been seen, then
 * merges with fmt_schema_merge. n == 0 gives an empty schema. */
qv_status csv_infer_files(const char *const *paths, int32_t n, const csv_options *opts,
                          arrow_schema **out, qv_error *err);

/* What to read. projection (borrowed, copied) lists schema column indices;
 * NULL means all columns. limit < 0: no limit. range_end < 0: whole file. */
typedef struct csv_scan {
    arrow_schema *schema; /* the file's schema (borrowed; retained) */
    const int32_t *projection;
    int32_t n_projection;
    int64_t batch_size; /* rows per batch, >= 1 (default 8192 if <= 0) */
    int64_t limit;
    int64_t range_start; /* byte range: the records that start in */
    int64_t range_end;   /* [range_start, range_end), DataFusion style */
} csv_scan;

typedef struct csv_reader csv_reader;

/* Opens path for reading. The batches' schema is the projected schema
 * (csv_reader_schema). With a byte range, the reader reads the records whose
 * first byte lies in the range: it starts after the first terminator at or
 * after range_start - 1 (unless range_start is 0) and stops after the first
 * terminator at or after range_end - 1, exactly as DataFusion's
 * calculate_range; the header is only skipped by the range that starts at 0.
 * opts and scan are copied. */
qv_status csv_reader_open(const char *path, const csv_options *opts, const csv_scan *scan,
                          csv_reader **out, qv_error *err);
/* The same over bytes in memory (borrowed: they must outlive the reader);
 * name is used in error hints (may be NULL). */
qv_status csv_reader_open_buffer(const uint8_t *data, size_t len, const char *name,
                                 const csv_options *opts, const csv_scan *scan, csv_reader **out,
                                 qv_error *err);
/* The next batch (a new reference; NULL at the end). After an error the
 * reader only returns that error again. */
qv_status csv_reader_next(csv_reader *reader, arrow_batch **out, qv_error *err);
/* The projected schema (borrowed, lives as long as the reader). */
arrow_schema *csv_reader_schema(const csv_reader *reader);
/* Rows padded because truncated_rows let short records through. */
int64_t csv_reader_truncated_rows(const csv_reader *reader);
void csv_reader_free(csv_reader *reader);

/* ---- NDJSON (json_tokenizer.c, ndjson_*.c) ---- */

typedef struct ndjson_options {
    int64_t schema_infer_max_rec; /* default 1000 */
    arrow_type_id string_type;    /* QV_TYPE_UTF8 (default) or QV_TYPE_UTF8_VIEW */
    int32_t max_depth;            /* nesting limit, default 64 */
    fmt_compression compression;  /* default NONE */
} ndjson_options;

void ndjson_options_init(ndjson_options *opts);

/* arrow-rs infer_json_schema over data[0..len) (one file), reading at most
 * *records_left lines (decremented). Scalars: Boolean, Int64, Float64, Utf8
 * (or string_type); a key only ever null is Null; objects become Struct with
 * fields in first-seen order; arrays List(item). Conflicts coerce as arrow-rs
 * (Int64+Float64 -> Float64, scalar + anything else -> Utf8, scalar vs
 * list -> List of the coerced item, object vs scalar -> error). */
qv_status ndjson_infer_buffer(const uint8_t *data, size_t len, const ndjson_options *opts,
                              const char *name, int64_t *records_left, arrow_schema **out,
                              qv_error *err);
qv_status ndjson_infer_files(const char *const *paths, int32_t n, const ndjson_options *opts,
                             arrow_schema **out, qv_error *err);

typedef struct ndjson_scan {
    arrow_schema *schema;
    const int32_t *projection;
    int32_t n_projection;
    int64_t batch_size;
    int64_t limit;
    int64_t range_start; /* records (lines) that start in the range, as CSV */
    int64_t range_end;
} ndjson_scan;

typedef struct ndjson_reader ndjson_reader;

qv_status ndjson_reader_open(const char *path, const ndjson_options *opts, const ndjson_scan *scan,
                             ndjson_reader **out, qv_error *err);
qv_status ndjson_reader_open_buffer(const uint8_t *data, size_t len, const char *name,
                                    const ndjson_options *opts, const ndjson_scan *scan,
                                    ndjson_reader **out, qv_error *err);
qv_status ndjson_reader_next(ndjson_reader *reader, arrow_batch **out, qv_error *err);
arrow_schema *ndjson_reader_schema(const ndjson_reader *reader);
void ndjson_reader_free(ndjson_reader *reader);

/* ---- writing CSV and NDJSON (csv_writer.c, json_writer.c) ---- */

/* The csv crate's QuoteStyle (DataFusion's format.quote_style). */
typedef enum csv_quote_style {
    CSV_QUOTE_NECESSARY, /* default */
    CSV_QUOTE_ALWAYS,
    CSV_QUOTE_NON_NUMERIC,
    CSV_QUOTE_NEVER
} csv_quote_style;

typedef struct csv_write_options {
    bool has_header;        /* default true: a header row before the first batch */
    uint8_t delimiter;      /* default ',' */
    uint8_t quote;          /* default '"' */
    uint8_t escape;         /* default '\\': escapes quotes when !double_quote */
    bool double_quote;      /* default true */
    const char *null_value; /* NULL: "" (borrowed; copied by the writer) */
    csv_quote_style quote_style;
    bool trim_leading;  /* ignore_leading_whitespace of string values */
    bool trim_trailing; /* ignore_trailing_whitespace */
    /* chrono formats of DataFusion's options; NULL: the default display.
     * A custom format for a column type the schema has is
     * QV_NOT_IMPLEMENTED for now. (borrowed) */
    const char *date_format, *datetime_format, *time_format, *timestamp_format,
        *timestamp_tz_format;
} csv_write_options;

void csv_write_options_init(csv_write_options *opts);

typedef struct csv_writer csv_writer;
/* A writer of batches of schema (retained); opts is copied. Nested column
 * types are QV_NOT_IMPLEMENTED ("Csv error: Nested type ... is not
 * supported in CSV"). */
qv_status csv_writer_new(arrow_schema *schema, const csv_write_options *opts, csv_writer **out,
                         qv_error *err);
/* Appends the batch's records to out, after the header row on the first
 * call when has_header. */
qv_status csv_writer_write(csv_writer *w, arrow_batch *batch, base_strbuf *out, qv_error *err);
void csv_writer_free(csv_writer *w);

/* Appends the batch's rows to out as newline-delimited JSON objects. */
qv_status ndjson_write_batch(arrow_batch *batch, base_strbuf *out, qv_error *err);
/* Appends s[0..len) as a JSON string, escaped as serde_json does (\" \\ \n
 * \r \t \b \f, other control characters as \u00xx). */
void fmt_json_string(const char *s, size_t len, base_strbuf *out);

#endif /* QV_FORMAT_H */
