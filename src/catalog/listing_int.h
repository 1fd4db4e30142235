/*
 * listing_int.h — private to the listing table files of src/catalog
 * (listing_table.c: making the table, inference, INSERT; listing_files.c:
 * listing and partition values; listing_scan.c: scans): the provider's
 * structure and what those files share.
 */
#ifndef QV_LISTING_INT_H
#define QV_LISTING_INT_H

#include "catalog/listing.h"
#include "io/io.h"

/* A table location: a file, or a directory whose files (filtered by the
 * extension and the glob) make the table. */
typedef struct listing_location {
    char *root;         /* absolute, without a trailing slash (owned) */
    bool is_collection; /* a directory */
    char *glob;         /* NULL: none; else a pattern for the path below root (owned) */
} listing_location;

typedef struct listing_table {
    catalog_table base;
    catalog_file_format format;
    csv_options csv;
    char *csv_null_regex; /* owned copy of csv.null_regex */
    csv_write_options csv_write;
    char *write_strings[6]; /* owned copies of csv_write's strings */
    ndjson_options json;
    parquet_read_options parquet;
    char *parquet_strings[2]; /* owned copies of parquet's coerce_int96 and coerce_int96_tz */
    parquet_write_options parquet_write; /* INSERT into a Parquet table (owned) */
    listing_location *locations;
    int32_t n_locations;
    char *extension;        /* "" keeps all files (owned) */
    int32_t n_file_columns; /* the first columns of base.schema are the files' */
    arrow_schema *file_schema;
    int32_t n_partitions;   /* the rest are partition columns */
    char **partition_names; /* owned */
    bool ignore_subdirectory;
    bool unbounded;
    int32_t n_orderings;
    catalog_sort_key **orderings; /* owned */
    int32_t *ordering_lengths;
    bool repartition_file_scans;
    int64_t repartition_file_min_size;
    int32_t max_parallel_output_files;
    catalog_file_cache *file_cache; /* the runtime's (NULL: none); file_cache.h */
    char *cache_table;              /* the table's name in the cache (owned, NULL: none) */
    char *definition;               /* SHOW CREATE TABLE's text (owned); NULL: none */
} listing_table;

/* A file of the table with its partition values. */
typedef struct listing_file {
    char *path; /* owned */
    int64_t size;
    int64_t mtime_ns;     /* modification time (the statistics cache checks it) */
    arrow_array **values; /* n_partitions length-1 arrays of the columns' types (owned) */
} listing_file;

typedef struct listing_files {
    int32_t n;
    listing_file *items;
} listing_files;

/* ---- listing_files.c ---- */

/* Parses a location as DataFusion's ListingTableUrl: made absolute, a glob
 * split off, a directory when it ends with '/' or is one now. */
qv_status listing_location_parse(const char *path, listing_location *out, qv_error *err);
void listing_location_clear(listing_location *loc);
/* "file:///abs/path/" as DataFusion prints a location (new string). */
char *listing_location_url(const listing_location *loc);

/* The files of every location, sorted per location, in location order:
 * with the extension and glob filters and DataFusion's subdirectory rule,
 * files outside the partition layout left out, partition values parsed
 * into the columns' types. A missing directory has no files; a missing
 * file location is QV_NOT_FOUND. Values are not parsed when parse_values
 * is false (only the files are wanted). */
qv_status listing_list(const listing_table *lt, bool parse_values, listing_files *out,
                       qv_error *err);
void listing_files_free(listing_files *files);
/* Frees what one file entry owns and zeroes it. */
void listing_file_clear(listing_file *file);

/* A partition value (text from the path) as a length-1 array of type:
 * Utf8 as it is, other types parsed as CSV values are. QV_CAST ("Arrow
 * error: Cast error: Cannot cast string 'x' to value of Int32 type") when it
 * does not parse. */
qv_status listing_partition_value(arrow_type *type, const char *text, arrow_array **out,
                                  qv_error *err);

/* True when predicate is on a partition column and can be decided from a
 * file's partition values (the filter is then Exact). */
bool listing_predicate_supported(const listing_table *lt, const catalog_predicate *predicate);
/* True when the file's partition values pass every supported predicate
 * (the others are ignored: the engine applies them). */
bool listing_file_passes(const listing_table *lt, const listing_file *file,
                         const catalog_predicate *predicates, int32_t n_predicates);

/* DataFusion's infer_partitions: the key=value directory keys of the
 * first 10 files (*keys NULL when there are none). QV_PLAN "Found mixed
 * partition values on disk [[...], [...]]" when they differ. Free with
 * listing_free_keys. */
qv_status listing_infer_partitions(const listing_table *lt, char ***keys, int32_t *n_keys,
                                   qv_error *err);
void listing_free_keys(char **keys, int32_t n);

/* ---- listing_scan.c ---- */

qv_status listing_scan(catalog_table *table, const catalog_scan_args *args, catalog_scan **out,
                       qv_error *err);

#endif /* QV_LISTING_INT_H */
