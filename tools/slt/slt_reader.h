/*
 * slt_reader.h — reads sqllogictest (.slt) files in the dialect DataFusion's
 * runner speaks (sqllogictest-rs 0.29): records, result and error blocks,
 * include directives (relative to the including file, globs allowed),
 * skipif / onlyif labels, halt. Part of the quiver-slt tool; the parse-only
 * checker and the full runner both build on it.
 */
#ifndef QV_SLT_READER_H
#define QV_SLT_READER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum slt_kind {
    SLT_STATEMENT_OK,
    SLT_STATEMENT_ERROR,
    SLT_STATEMENT_COUNT,
    SLT_QUERY,
    SLT_QUERY_ERROR,
} slt_kind;

/* One executable record. Strings are NUL-terminated and owned by the file. */
typedef struct slt_record {
    slt_kind kind;
    const char *path;     /* file the record comes from (an included part, maybe) */
    int line;             /* 1-based line of the header */
    char *sql;            /* lines joined with '\n' */
    char *types;          /* SLT_QUERY: column type letters ("ITR"), else NULL */
    char *sort_mode;      /* SLT_QUERY: "rowsort", "valuesort", "nosort" or NULL */
    char *expected;       /* SLT_QUERY: result lines joined with '\n';
                             *_ERROR: the expected message (regex or block), may be "" */
    long count;           /* SLT_STATEMENT_COUNT: expected count */
    bool skipped;         /* excluded by skipif / onlyif for the runner's labels */
} slt_record;

typedef struct slt_file {
    char *path;
    slt_record *records;
    size_t n_records;
    char **paths;         /* every file read (the file and its includes), owned */
    size_t n_paths;
} slt_file;

/* Reads path (expanding includes). labels are the runner's labels (NULL-
 * terminated), used by skipif / onlyif. Returns false and writes a message
 * to errbuf when the file cannot be read or is malformed. */
bool slt_file_read(const char *path, const char *const *labels, slt_file *out, char *errbuf,
                   size_t errbuf_size);

/* Frees everything slt_file_read allocated. */
void slt_file_free(slt_file *file);

/* Appends to *paths (growing *n / *cap) every *.slt file under path (a file
 * or a directory, searched recursively), sorted. Returns false on memory or
 * I/O failure. The strings are malloc'd. */
bool slt_collect_files(const char *path, char ***paths, size_t *n, size_t *cap);

#endif /* QV_SLT_READER_H */
