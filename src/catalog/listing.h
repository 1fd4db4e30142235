/*
 * listing.h — tables over files (layer: catalog; uses format and io):
 * DataFusion's ListingTable for CSV and NDJSON, and the file sink that
 * COPY and INSERT write through. Kept apart from catalog.h so that only
 * the code that makes file tables sees the format layer.
 *
 * A listing table is one or more locations, each a file or a directory
 * listed recursively (hive `key=value` directories give partition
 * columns, after the file columns). Its schema is fixed when it is made
 * (declared, or inferred then, once): scans list the files again (new
 * files written by INSERT are seen), prune them by partition filters,
 * and read them one scan partition per file group or byte range.
 */
#ifndef QV_LISTING_H
#define QV_LISTING_H

#include "catalog/catalog.h"
#include "catalog/file_cache.h"
#include "format/format.h"
#include "format/parquet.h"

typedef enum catalog_file_format {
    CATALOG_FORMAT_CSV,
    CATALOG_FORMAT_NDJSON,
    CATALOG_FORMAT_PARQUET,
    CATALOG_FORMAT_ARROW /* Arrow IPC files */
} catalog_file_format;

/* "csv" / "json" / "parquet" / "arrow": the file extension DataFusion
 * writes (without the dot). */
const char *catalog_file_format_extension(catalog_file_format format);

/* One key of a declared ordering (WITH ORDER): a column of the table. */
typedef struct catalog_sort_key {
    int32_t column;
    bool descending;
    bool nulls_first;
} catalog_sort_key;

/* The same, as declared: by column name. */
typedef struct catalog_sort_spec {
    const char *column;
    bool descending;
    bool nulls_first;
} catalog_sort_spec;

typedef struct catalog_listing_options {
    catalog_file_format format;
    csv_options csv;             /* reading CSV (null_regex borrowed, copied) */
    csv_write_options csv_write; /* INSERT into a CSV table (strings copied) */
    ndjson_options json;
    parquet_read_options parquet;               /* reading Parquet (strings borrowed, copied) */
    const parquet_write_options *parquet_write; /* INSERT into a Parquet table
                                                 * (NULL: defaults; copied) */
    /* Locations (copied), made absolute against the current directory. A
     * location is a directory when it ends with '/' or is a directory now
     * (DataFusion's ListingTableUrl); a glob (`*`, `?`, `[`) in its last
     * segments filters the files below the part before it. */
    const char *const *paths;
    int32_t n_paths;
    /* Only files whose name ends with this are read (NULL or "": all). */
    const char *file_extension;
    /* The file columns; NULL: inferred from the files now. */
    arrow_schema *schema;
    /* Partition columns (names copied; types retained, NULL: Utf8), in
     * directory order. With none given and infer_partitions, the first
     * files' `key=value` directories name them (as Utf8). */
    int32_t n_partitions;
    const char *const *partition_names;
    arrow_type *const *partition_types;
    bool infer_partitions;    /* datafusion.execution.listing_table_factory_infer_partitions */
    bool ignore_subdirectory; /* datafusion.execution.listing_table_ignore_subdirectory */
    bool unbounded;           /* CREATE UNBOUNDED EXTERNAL TABLE */
    /* WITH ORDER: n_orderings lists of keys naming columns of the table
     * (file or partition columns); QV_PLAN "Column c is not in schema" for
     * another name. */
    int32_t n_orderings;
    const catalog_sort_spec *const *orderings;
    const int32_t *ordering_lengths;
    /* Scans split files into byte ranges across target_partitions when the
     * files add up to at least repartition_file_min_size bytes
     * (datafusion.optimizer.repartition_file_scans / _min_size). */
    bool repartition_file_scans;
    int64_t repartition_file_min_size;
    int32_t max_parallel_output_files; /* INSERT: files written per statement, >= 1 */
    /* The statement that made the table, for SHOW CREATE TABLE (copied;
     * NULL: none). */
    const char *definition;
    /* The runtime's caches (file_cache.h; NULL: none): listings of the
     * locations are kept there under table_name (NULL: none, copied), and
     * scans record the files' statistics. */
    catalog_file_cache *file_cache;
    const char *table_name;
} catalog_listing_options;

/* Fills the defaults: CSV with format.h's defaults, no locations,
 * infer_partitions and ignore_subdirectory on, repartitioning from 10 MiB,
 * 4 output files. */
void catalog_listing_options_init(catalog_listing_options *opts);

/* Makes a listing table. Errors are DataFusion's: QV_PLAN "Error during
 * planning: No files found at file:///...  Cannot infer schema from an
 * empty location; ...", "Can't create a partitioned table backed by a
 * single file, perhaps the URL is missing a trailing slash?", "Inferred
 * partitions to be [...], but got [...]", "Found mixed partition values on
 * disk [...]"; inference errors of the format layer; QV_NOT_FOUND / QV_IO
 * for a location that cannot be read while inferring. */
qv_status catalog_listing_table_new(const catalog_listing_options *opts, catalog_table **out,
                                    qv_error *err);

/* True when table is a listing table. */
bool catalog_is_listing_table(const catalog_table *table);
/* The declared orderings (WITH ORDER) of a listing table: *n lists, list i
 * of lengths[i] keys over the table's columns (borrowed, live as long as
 * the table). *n is 0 for other tables. */
void catalog_listing_orderings(const catalog_table *table, int32_t *n,
                               const catalog_sort_key *const **orderings, const int32_t **lengths);
/* True for CREATE UNBOUNDED EXTERNAL TABLE (false for other tables). */
bool catalog_listing_unbounded(const catalog_table *table);

/* ---- writing files (file_sink.c) ----
 * Batches written as CSV or NDJSON files, as DataFusion's file sinks and
 * demuxer do: to one file, or into a directory as `<write id>_<n>.<ext>`
 * files (batches dealt round-robin to up to max_files files), or, with
 * partition columns, into hive directories `col=value/.../<write id>.<ext>`
 * (NULL values as __HIVE_DEFAULT_PARTITION__). Files are staged and moved
 * into place when the sink finishes. */
typedef struct catalog_sink_options {
    catalog_file_format format;
    csv_write_options csv; /* borrowed strings */
    fmt_compression compression;
    const char *path;                /* the file, or the directory */
    bool single_file;                /* write exactly path */
    bool append;                     /* single_file: add to path (no CSV header if it has bytes) */
    const char *const *partition_by; /* column names of the schema */
    int32_t n_partition_by;
    bool keep_partition_by_columns;
    int32_t max_files; /* >= 1 */
    /* Listings covering path are dropped from it when the sink ends
     * (NULL: no cache). */
    catalog_file_cache *file_cache;
    /* Parquet files: the writer's options (NULL: defaults; copied). The
     * codec is the pages', `compression` must be NONE. */
    const parquet_write_options *parquet;
} catalog_sink_options;

typedef struct catalog_sink catalog_sink;

/* A sink for batches of schema (retained); options and strings copied.
 * QV_PLAN for a partition column not in schema; the writers' errors for
 * column types the format cannot write. */
qv_status catalog_sink_new(const catalog_sink_options *opts, arrow_schema *schema,
                           catalog_sink **out, qv_error *err);
qv_status catalog_sink_write(catalog_sink *sink, arrow_batch *batch, qv_error *err);
/* Closes every file (a single file is made even when no row came); *rows
 * gets the rows written. Frees the sink. */
qv_status catalog_sink_finish(catalog_sink *sink, uint64_t *rows, qv_error *err);
/* Drops files not finished yet. Frees the sink; NULL is a no-op. */
void catalog_sink_abort(catalog_sink *sink);

#endif /* QV_LISTING_H */
