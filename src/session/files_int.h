/*
 * files_int.h — the session layer's file statements (layer: session):
 * CREATE EXTERNAL TABLE (ddl_external.c), COPY (copy.c), CREATE SCHEMA
 * (ddl_schema.c), file paths as table names (url_table.c), the OPTIONS
 * clause and DataFusion's CSV / JSON format options (file_options.c).
 */
#ifndef QV_FILES_INT_H
#define QV_FILES_INT_H

#include "catalog/listing.h"
#include "session/session_int.h"

/* ---- OPTIONS (...) (file_options.c) ---- */

/* One option as DataFusion's parse_options_map leaves it: the key
 * lower-cased, "format." put in front of a key without a namespace; the
 * value as text. */
typedef struct session_option {
    char *key;
    char *value;
} session_option;

typedef struct session_options {
    int32_t n;
    session_option *items; /* owned */
} session_options;

/* Reads an OPTIONS list (NULL: none). Without allow_duplicates a key given
 * twice is QV_PLAN "Option k is specified multiple times"; with it the last
 * value wins. A value that is not a literal or a word is QV_PLAN
 * "Unsupported Value". */
qv_status session_options_parse(const sql_node *list, bool allow_duplicates, session_options *out,
                                qv_error *err);
void session_options_free(session_options *options);
/* The value of key, or NULL. */
const char *session_options_get(const session_options *options, const char *key);

/* A file format with DataFusion's CsvOptions / JsonOptions applied. */
typedef struct session_file_format {
    catalog_file_format format;
    csv_options csv;             /* reading */
    csv_write_options csv_write; /* writing */
    ndjson_options json;
    parquet_read_options parquet;        /* reading Parquet: datafusion.execution.parquet.* (strings
                                          * borrowed from the config, or from strings[]) */
    parquet_write_options parquet_write; /* writing Parquet (owned): the session's
                                          * datafusion.execution.parquet.* then format.* */
    const config *cfg;                   /* the session's, for the Parquet defaults */
    fmt_compression compression;         /* also in csv / json */
    char *strings[8];                    /* owned copies the options point into */
} session_file_format;

/* The format's defaults, with the session's datafusion.catalog.has_header
 * and newlines_in_values. */
void session_file_format_init(session_file_format *f, catalog_file_format format,
                              const config *cfg);
/* Applies the `format.*` options (other namespaces: "execution.*" is
 * skipped, anything else is "Invalid or Unsupported Configuration: Could
 * not find config namespace"); an unknown key is "Invalid or Unsupported
 * Configuration: Config value \"k\" not found on CsvOptions" (or
 * JsonOptions), a bad value names the value. */
qv_status session_file_format_apply(session_file_format *f, const session_options *options,
                                    qv_error *err);
void session_file_format_clear(session_file_format *f);

/* The format a STORED AS name or a file extension stands for: CSV, JSON /
 * NDJSON, PARQUET, ARROW. *known is false for other names;
 * QV_NOT_IMPLEMENTED for AVRO. */
qv_status session_file_format_from_name(const char *name, catalog_file_format *out, bool *known,
                                        qv_error *err);

/* DataFusion's ListingTableFactory options for a table over location:
 * ff's format and options; the session configuration's partition
 * inference, subdirectory rule, scan repartitioning and output files; a
 * directory (or glob) read whole, a file by its own extension. With
 * infer_schema a directory's schema comes from its files of the format's
 * extension only: *owned_path gets that glob, the directory joined with
 * "*.<ext>" (free it after the table is made), else NULL. lo->paths points
 * at paths, which the caller keeps until then. (ddl_external.c) */
qv_status session_factory_options(catalog_listing_options *lo, const session_file_format *ff,
                                  const config *cfg, const char *location, bool infer_schema,
                                  const char *paths[1], char **owned_path, qv_error *err);

/* ---- statements ---- */

qv_status session_create_external_table(qv_session *session, const sql_node *stmt, qv_result **out,
                                        qv_error *err);
qv_status session_copy(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err);
qv_status session_create_schema(qv_session *session, const sql_node *stmt, qv_result **out,
                                qv_error *err);

/* plan_options.file_table: a quoted path as a table name (when
 * quiver.catalog.url_table is on), the format from the extension. */
qv_status session_url_table(void *user, const char *path, catalog_table **out, qv_error *err);

/* A listing table over path (a file, a directory or a glob) in format
 * with the session's defaults for it, compression from a file's name,
 * schema inferred now (table_fn_files.c; read_csv and url tables). */
qv_status session_path_table(qv_session *session, const char *path, catalog_file_format format,
                             catalog_table **out, qv_error *err);

#endif /* QV_FILES_INT_H */
