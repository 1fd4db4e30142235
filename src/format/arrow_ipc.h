/*
 * arrow_ipc.h — Arrow IPC files (layer: format; uses arrow and io): the
 * file format ("ARROW1" magic, schema, dictionary and record batch
 * messages, footer) and the stream format (the same messages one after
 * another), read into arrow batches and written from them as arrow-rs'
 * FileWriter writes them with DataFusion's options (metadata version V5,
 * 64-byte alignment, LZ4_FRAME compressed buffers).
 *
 * Errors follow format.h: messages are DataFusion's ("Arrow error: Parser
 * error: ...", "Arrow error: Ipc error: ..."), the file is named in the
 * hint; a corrupt or truncated file is QV_EXECUTION, never a crash or an
 * over-read; types Quiver does not have (Union, ListView...) are
 * QV_NOT_IMPLEMENTED naming them.
 */
#ifndef QV_ARROW_IPC_H
#define QV_ARROW_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "arrow/arrow.h"
#include "format/format.h"

/* ---- reading (arrow_ipc_read.c) ---- */

/* True when the bytes start with the file format's magic "ARROW1" (else
 * they are read as the stream format), as DataFusion decides. */
bool arrow_ipc_is_file_format(const uint8_t *data, size_t len);

/* The schema of one file's bytes: the footer's for the file format (falling
 * back to the stream format when the footer cannot be read, as DataFusion's
 * ArrowFormat::infer_schema), else the first message's. Field and schema
 * metadata are kept. name (may be NULL) is used in hints. */
qv_status arrow_ipc_read_schema_buffer(const uint8_t *data, size_t len, const char *name,
                                       arrow_schema **out, qv_error *err);

/* DataFusion's ArrowFormat::infer_schema over files: each file's schema,
 * merged with fmt_schema_merge (n == 0 gives an empty schema). */
qv_status arrow_ipc_infer_files(const char *const *paths, int32_t n, arrow_schema **out,
                                qv_error *err);

/* A Schema flatbuffer given in base64 (the "ARROW:schema" key arrow-rs
 * stores in Parquet files: standard alphabet, padding optional; the
 * flatbuffer may be an IPC Message holding the Schema, with or without the
 * 8-byte continuation / length prefix, or a bare Schema table). */
qv_status arrow_ipc_schema_from_base64(const char *text, size_t len, arrow_schema **out,
                                       qv_error *err);

/* What to read, as csv_scan. schema is the table's file schema: columns
 * are found in the file by name; a column the file lacks reads as NULLs;
 * a type that differs is converted where the value is kept exactly
 * (dictionary to values, between the string / binary types, between
 * integer types), anything else is QV_NOT_IMPLEMENTED. Batches are the
 * file's record batches, split to at most batch_size rows. */
typedef struct arrow_ipc_scan {
    arrow_schema *schema; /* borrowed; retained */
    const int32_t *projection;
    int32_t n_projection;
    int64_t batch_size;
    int64_t limit;
} arrow_ipc_scan;

typedef struct arrow_ipc_reader arrow_ipc_reader;

/* Opens a file (file or stream format, told by the magic). */
qv_status arrow_ipc_reader_open(const char *path, const arrow_ipc_scan *scan,
                                arrow_ipc_reader **out, qv_error *err);
/* The same over bytes in memory (borrowed: they must outlive the reader). */
qv_status arrow_ipc_reader_open_buffer(const uint8_t *data, size_t len, const char *name,
                                       const arrow_ipc_scan *scan, arrow_ipc_reader **out,
                                       qv_error *err);
/* The next batch (new reference; NULL at the end). After an error the
 * reader only returns that error again. */
qv_status arrow_ipc_reader_next(arrow_ipc_reader *reader, arrow_batch **out, qv_error *err);
/* The projected schema (borrowed, lives as long as the reader). */
arrow_schema *arrow_ipc_reader_schema(const arrow_ipc_reader *reader);
/* True when the reader reads the stream format. */
bool arrow_ipc_reader_is_stream(const arrow_ipc_reader *reader);
void arrow_ipc_reader_free(arrow_ipc_reader *reader);

/* ---- writing (arrow_ipc_write.c) ---- */

typedef enum arrow_ipc_codec {
    ARROW_IPC_UNCOMPRESSED,
    ARROW_IPC_LZ4_FRAME, /* DataFusion's choice for COPY / INSERT */
    ARROW_IPC_ZSTD
} arrow_ipc_codec;

typedef struct arrow_ipc_writer arrow_ipc_writer;

/* A file-format writer of batches of schema (retained), its bytes going to
 * sink(user, ...) (a sink error is returned as it is). The magic and the
 * schema message are written by the first write or by finish. */
qv_status arrow_ipc_writer_new(arrow_schema *schema, arrow_ipc_codec codec, fmt_sink_fn sink,
                               void *user, arrow_ipc_writer **out, qv_error *err);
/* Writes the batch's dictionaries (the first time; a different dictionary
 * for the same field later is arrow-rs' "Dictionary replacement detected
 * when writing IPC file format" error) and the batch. */
qv_status arrow_ipc_writer_write(arrow_ipc_writer *w, arrow_batch *batch, qv_error *err);
/* Writes the end-of-stream marker and the footer. */
qv_status arrow_ipc_writer_finish(arrow_ipc_writer *w, qv_error *err);
void arrow_ipc_writer_free(arrow_ipc_writer *w);

#endif /* QV_ARROW_IPC_H */
