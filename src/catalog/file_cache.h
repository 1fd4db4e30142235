/*
 * file_cache.h — the runtime's file caches (layer: catalog; uses io),
 * DataFusion's CacheManager: one per runtime, shared by every session,
 * thread-safe.
 *
 * - The list-files cache remembers the files a listing table found under
 *   a location (path, size, modification time), so repeated scans do not
 *   list directories again. Keyed by (table name or none, location, and
 *   the listing's extension filter and subdirectory rule); entries are
 *   evicted least-recently-used first past a byte limit (0 disables the
 *   cache) and expire after a time-to-live (none by default, as
 *   DataFusion's). Writes into a location (INSERT, COPY) drop the entries
 *   that cover it, so a table sees its own writes at once.
 * - The file statistics cache keeps what a reader learnt about a file
 *   (rows, columns, bytes), valid while the file keeps its size and
 *   modification time; least-recently-used eviction past a byte limit.
 *
 * Times come from a clock the tests may replace (monotonic nanoseconds).
 */
#ifndef QV_FILE_CACHE_H
#define QV_FILE_CACHE_H

#include "base/base.h"
#include "io/io.h"

typedef struct catalog_file_cache catalog_file_cache;

/* DataFusion's defaults: list_files_cache_limit "1M", no TTL,
 * file_statistics_cache_limit "20M". */
#define CATALOG_LIST_CACHE_DEFAULT_LIMIT (1024 * 1024)
#define CATALOG_STATS_CACHE_DEFAULT_LIMIT (20 * 1024 * 1024)

qv_status catalog_file_cache_new(catalog_file_cache **out, qv_error *err);
/* NULL is a no-op. */
void catalog_file_cache_free(catalog_file_cache *cache);

/* Monotonic nanoseconds; NULL restores the system's monotonic clock. */
typedef int64_t (*catalog_clock_fn)(void *user);
void catalog_file_cache_set_clock(catalog_file_cache *cache, catalog_clock_fn fn, void *user);

/* ---- listed files ---- */

/* Bytes (0: nothing is cached, and what is there is dropped); evicts the
 * least recently used entries down to the new limit. */
void catalog_file_cache_set_list_limit(catalog_file_cache *cache, int64_t bytes);
/* Time-to-live of entries put from now on, nanoseconds (0: none). */
void catalog_file_cache_set_list_ttl(catalog_file_cache *cache, int64_t ttl_ns);

/* The key of a listing: table may be NULL (a table function's or a path
 * queried directly); root is an absolute path. */
typedef struct catalog_list_key {
    const char *table;
    const char *root;
    const char *extension; /* NULL or "": every file */
    bool ignore_subdirectory;
} catalog_list_key;

/* On a hit *hit is true and *out gets a copy of the listed files; an
 * expired entry is dropped and misses. */
qv_status catalog_file_cache_list_get(catalog_file_cache *cache, const catalog_list_key *key,
                                      io_file_list *out, bool *hit, qv_error *err);
/* Remembers files (copied) under key, replacing what was there; nothing
 * happens when the entry alone is larger than the limit. */
qv_status catalog_file_cache_list_put(catalog_file_cache *cache, const catalog_list_key *key,
                                      const io_file_list *files, qv_error *err);
/* Drops every listing whose root is path, lies under it or holds it
 * (a write at path). */
void catalog_file_cache_invalidate(catalog_file_cache *cache, const char *path);

/* One entry as list_files_cache() shows it; borrowed for the call. */
typedef struct catalog_list_entry_info {
    const char *table; /* NULL: none */
    const char *root;
    int64_t size_bytes;
    int64_t expires_in_ns; /* -1: never */
    const io_file_list *files;
} catalog_list_entry_info;
typedef qv_status (*catalog_list_visit_fn)(void *user, const catalog_list_entry_info *entry,
                                           qv_error *err);
/* Calls fn for every live entry, sorted by table then root, under the
 * cache's lock (fn must not call the cache). */
qv_status catalog_file_cache_visit_lists(catalog_file_cache *cache, catalog_list_visit_fn fn,
                                         void *user, qv_error *err);

/* ---- file statistics ---- */

typedef struct catalog_file_stats {
    int64_t num_rows;         /* -1: absent */
    int32_t num_columns;      /* columns the statistics describe */
    int64_t table_size_bytes; /* -1: absent */
} catalog_file_stats;

void catalog_file_cache_set_stats_limit(catalog_file_cache *cache, int64_t bytes);
/* True (and *out filled) when statistics of path are cached for a file of
 * this size and modification time. */
bool catalog_file_cache_stats_get(catalog_file_cache *cache, const char *path, int64_t size,
                                  int64_t mtime_ns, catalog_file_stats *out);
/* Remembers stats of path as it is now (size, modification time). */
qv_status catalog_file_cache_stats_put(catalog_file_cache *cache, const char *path, int64_t size,
                                       int64_t mtime_ns, const catalog_file_stats *stats,
                                       qv_error *err);

typedef struct catalog_stats_entry_info {
    const char *path;
    int64_t size;
    int64_t mtime_ns;
    catalog_file_stats stats;
    int64_t size_bytes; /* what the entry takes in the cache */
} catalog_stats_entry_info;
typedef qv_status (*catalog_stats_visit_fn)(void *user, const catalog_stats_entry_info *entry,
                                            qv_error *err);
/* Calls fn for every entry, sorted by path, under the cache's lock. */
qv_status catalog_file_cache_visit_stats(catalog_file_cache *cache, catalog_stats_visit_fn fn,
                                         void *user, qv_error *err);

#endif /* QV_FILE_CACHE_H */
