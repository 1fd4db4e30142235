/*
 * slt_reader.h — reads sqllogictest files in the two dialects quiver-slt
 * speaks: DataFusion's (sqllogictest-rs 0.29 as DataFusion drives it; *.slt)
 * and SQLite's original one (*.test). Records, result and error blocks,
 * include directives (relative to the including file, globs allowed),
 * skipif / onlyif labels, halt, hash-threshold and `control sortmode`.
 * Part of the quiver-slt tool; the parse-only checker and the full runner
 * both build on it. See conformance/datafusion/README.md and
 * conformance/sqlite/README.md for the rules implemented here.
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

typedef enum slt_dialect {
    SLT_DIALECT_DATAFUSION, /* sqllogictest-rs as driven by DataFusion */
    SLT_DIALECT_SQLITE,     /* SQLite's sqllogictest.c conventions */
} slt_dialect;

typedef enum slt_sort {
    SLT_SORT_NOSORT,    /* engine order (also: no mode given) */
    SLT_SORT_ROWSORT,   /* sort rows by their vectors of rendered cells */
    SLT_SORT_VALUESORT, /* sort every value on its own */
} slt_sort;

/* One executable record. Strings are NUL-terminated and owned by the file. */
typedef struct slt_record {
    slt_kind kind;
    const char *path;    /* file the record comes from (an included part, maybe) */
    int line;            /* 1-based line of the header */
    int end_line;        /* 1-based line just after the record's text (its terminating
                            empty line, or the line count + 1 at EOF) */
    char *sql;           /* lines joined with '\n' */
    char *types;         /* SLT_QUERY: column type letters ("ITR"), else NULL */
    char *sort_mode;     /* SLT_QUERY: the mode token as written, or NULL */
    char *label;         /* SLT_QUERY: the label token, or NULL */
    slt_sort sort;       /* SLT_QUERY: the mode in effect (written or `control sortmode`) */
    char *expected;      /* SLT_QUERY: result lines joined with '\n';
                          *_ERROR: the expected message (regex or block), may be "" */
    bool error_block;    /* *_ERROR: expected is a multi-line block (exact match),
                            not a regex */
    bool has_results;    /* a `----` line was present */
    long count;          /* SLT_STATEMENT_COUNT: expected count */
    long hash_threshold; /* hash-threshold in effect (0: never hash) */
    bool skipped;        /* excluded by skipif / onlyif for the runner's labels */
    bool explain;        /* the SQL starts with EXPLAIN (skipped by policy) */
} slt_record;

typedef struct slt_file {
    char *path;
    slt_dialect dialect;
    slt_record *records;
    size_t n_records;
    char **paths; /* every file read (the file and its includes), owned */
    size_t n_paths;
} slt_file;

typedef struct slt_read_options {
    slt_dialect dialect;
    const char *const *labels; /* the runner's labels (NULL-terminated; may be NULL) */
} slt_read_options;

/* Reads path (expanding includes) in the DataFusion dialect. labels are the
 * runner's labels (NULL-terminated), used by skipif / onlyif. Returns false
 * and writes a message to errbuf when the file cannot be read or is
 * malformed; out is then empty. */
bool slt_file_read(const char *path, const char *const *labels, slt_file *out, char *errbuf,
                   size_t errbuf_size);

/* As slt_file_read, in the dialect opts->dialect. */
bool slt_file_read_ex(const char *path, const slt_read_options *opts, slt_file *out, char *errbuf,
                      size_t errbuf_size);

/* Frees everything slt_file_read allocated. */
void slt_file_free(slt_file *file);

/* The dialect a file is written in, from its name: *.test is SQLite's,
 * everything else DataFusion's. */
slt_dialect slt_dialect_of_path(const char *path);

/* True when the SQL's first word (after whitespace and `--` comment lines)
 * is EXPLAIN, case-insensitively. */
bool slt_sql_is_explain(const char *sql);

/* Appends to *paths (growing *n / *cap) every *.slt and *.test file under
 * path (a file or a directory, searched recursively; names starting with '.'
 * are skipped), sorted. A path naming a file is taken whatever its name.
 * Returns false on memory or I/O failure. The strings are malloc'd. */
bool slt_collect_files(const char *path, char ***paths, size_t *n, size_t *cap);

#endif /* QV_SLT_READER_H */
