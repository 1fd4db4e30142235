/*
 * io.h — object-store style access to local files (layer: io).
 *
 * Open a file, learn its size, read byte ranges, close it; list a directory
 * tree for files with a given extension (sorted by path, as DataFusion's
 * listing table sees them); and read hive partition values (`key=value`
 * directory segments) from a path below a table root. Every error names the
 * path and the operating system's reason (strerror). Used by format/.
 */
#ifndef QV_IO_H
#define QV_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"

/* ---- files (file.c) ---- */

/* An open, read-only local file. Safe to read from several threads at once
 * (reads are positional). */
typedef struct io_file io_file;

/* Opens path for reading. QV_NOT_FOUND when it does not exist, QV_IO for
 * other failures (a directory, permission...); the message names the path
 * and strerror. *out is NULL on failure. path is copied. */
qv_status io_file_open(const char *path, io_file **out, qv_error *err);
/* Closes the file. NULL is a no-op. */
void io_file_close(io_file *file);
/* Size in bytes at open time. */
int64_t io_file_size(const io_file *file);
/* The path given to io_file_open (borrowed, lives as long as the file). */
const char *io_file_path(const io_file *file);

/* Reads up to len bytes at offset into buf; *n_read is less than len only at
 * end of file. QV_INVALID for a negative offset or len, QV_IO on a read error
 * (message names path and strerror). */
qv_status io_file_read_at(io_file *file, int64_t offset, void *buf, int64_t len, int64_t *n_read,
                          qv_error *err);

/* Reads bytes [start, end) (end clipped to the file size) into a new buffer
 * (base_alloc; the caller frees with base_free; never NULL on success, even
 * for zero bytes). */
qv_status io_file_read_range(io_file *file, int64_t start, int64_t end, uint8_t **out,
                             int64_t *out_len, qv_error *err);

/* Reads a whole file into a new buffer (base_free). */
qv_status io_read_file(const char *path, uint8_t **out, int64_t *out_len, qv_error *err);

/* ---- listing (list.c) ---- */

typedef struct io_file_entry {
    char *path;       /* owned; root joined with the relative path by '/' */
    int64_t size;     /* bytes */
    int64_t mtime_ns; /* modification time, nanoseconds since the epoch */
} io_file_entry;

typedef struct io_file_list {
    int32_t n;
    io_file_entry *entries; /* owned, sorted by path (bytewise) */
} io_file_list;

/* Lists the regular files under root (recursively, following symlinks)
 * whose name ends with extension (NULL or "" keeps all). When root is itself
 * a regular file, the list holds just it, whatever its extension (DataFusion
 * reads a named file). With ignore_subdirectory (DataFusion's default,
 * `datafusion.execution.listing_table_ignore_subdirectory`), a file is kept
 * only when every directory between root and it is a `key=value` partition
 * segment. Object-store staging files ("name#123") are skipped. QV_NOT_FOUND
 * when root does not exist, QV_IO on other errors (path and strerror named).
 * On failure *out is empty. */
qv_status io_list_files(const char *root, const char *extension, bool ignore_subdirectory,
                        io_file_list *out, qv_error *err);
void io_file_list_free(io_file_list *list);

/* ---- hive partitions (hive.c) ---- */

typedef struct io_partition_value {
    char *key;   /* owned, as written in the path (percent-decoded) */
    char *value; /* owned, percent-decoded */
} io_partition_value;

typedef struct io_partition_values {
    int32_t n;
    io_partition_value *items; /* owned, in path order */
} io_partition_values;

/* The key=value pairs of the directory segments of path below root (the file
 * name itself is never a partition). Segments without '=' are skipped. Both
 * key and value are percent-decoded (%XX; invalid escapes are kept as
 * written, as Rust's percent_decode does). root may end with '/' or not;
 * QV_INVALID when path is not below root. */
qv_status io_hive_partitions(const char *root, const char *path, io_partition_values *out,
                             qv_error *err);
void io_partition_values_free(io_partition_values *values);

/* DataFusion's rule for a listing table with partition columns cols[0..n):
 * the first n directory segments below root must be exactly
 * `cols[i]=value`; fills values[i] (owned strings, base_free each) and returns
 * true, else returns false and fills nothing (the file is not part of the
 * table). QV_NOMEM is reported through *status when not NULL. */
bool io_hive_match(const char *root, const char *path, const char *const *cols, int32_t n,
                   char **values, qv_status *status);

/* Percent-decodes s[0..len) into a new NUL-terminated string (base_free), or
 * NULL when memory runs out. */
char *io_percent_decode(const char *s, size_t len);

/* ---- writing files (file_write.c) ---- */

/* A local file being written by one thread. */
typedef struct io_writer io_writer;

/* Opens path for writing, creating missing parent directories. Without
 * append the bytes go to a staging file ("<path>#<n>", skipped by
 * io_list_files) that io_writer_close renames to path (replacing a file
 * there); with append they are added to path itself (created if missing).
 * QV_IO naming the path and strerror on failure. path is copied. */
qv_status io_writer_open(const char *path, bool append, io_writer **out, qv_error *err);
/* The path given to io_writer_open (borrowed, lives as long as the writer). */
const char *io_writer_path(const io_writer *writer);
/* Writes all of data[0..len); QV_IO on failure. */
qv_status io_writer_write(io_writer *writer, const void *data, size_t len, qv_error *err);
/* Closes the file and moves it into place; on failure the staging file is
 * removed. Always frees the writer. NULL is a no-op. */
qv_status io_writer_close(io_writer *writer, qv_error *err);
/* Closes the file and removes the staging file (an appended file keeps what
 * was written). NULL is a no-op. */
void io_writer_abort(io_writer *writer);

/* Creates path and its missing parents as directories; QV_IO when one
 * cannot be made or exists as a file. */
qv_status io_make_dirs(const char *path, qv_error *err);

/* ---- paths (path.c) ---- */

/* path made absolute against the current directory, "." / ".." segments
 * and repeated slashes resolved lexically, a trailing slash kept (new
 * string, base_free). QV_INVALID for an empty path. */
qv_status io_absolute_path(const char *path, char **out, qv_error *err);

enum { IO_PATH_MISSING = 0, IO_PATH_FILE = 1, IO_PATH_DIRECTORY = 2 };
/* What path is now (symbolic links followed): IO_PATH_*. */
int io_path_kind(const char *path);

#endif /* QV_IO_H */
