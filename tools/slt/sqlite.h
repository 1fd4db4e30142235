/*
 * sqlite.h — the parts of quiver-slt specific to SQLite's sqllogictest
 * dialect (conformance/sqlite/README.md): values rendered by the *expected*
 * type letter (I as a C int, R as "%.3f", T as text with "(empty)" and
 * unprintable bytes as '@'), and the label registry that cross-checks the
 * hashes of queries sharing a label. Sorting and hashing are compare.h's.
 */
#ifndef QV_SLT_SQLITE_H
#define QV_SLT_SQLITE_H

#include <stdbool.h>

#include "compare.h"
#include "engine.h"

/* Renders v as SQLite's harness prints a column of type letter (I, R or T;
 * anything else renders as T): NULL -> "NULL"; I -> sqlite3_column_int
 * (floats truncated toward zero, text by its integer prefix, 32-bit
 * wrap-around) printed "%d"; R -> sqlite3_column_double printed "%.3f";
 * T -> the text ("%!.15g" for floats), "" -> "(empty)", bytes outside
 * 0x20..0x7E -> '@'. Caller frees. */
char *slt_sqlite_render(const slt_value *v, char letter);

/* One row per result row, each value rendered for its column's letter in
 * types (the caller has checked that out->n_cols == strlen(types)). */
void slt_sqlite_rows(const slt_output *out, const char *types, slt_rows *rows);

/* label -> MD5 of the first query that used it. Zero-initialise to start. */
typedef struct slt_labels {
    slt_strv names;
    slt_strv hashes;
} slt_labels;

/* The hash registered for label, or NULL. */
const char *slt_labels_get(const slt_labels *labels, const char *label);
/* Registers md5 for label unless the label already has one. */
void slt_labels_put(slt_labels *labels, const char *label, const char *md5);
void slt_labels_free(slt_labels *labels);

/* The hash a skipped labelled query registers: the hash in an expected
 * "N values hashing to H" line, else the MD5 of its expected lines (each
 * followed by '\n'). out gets 33 bytes. */
void slt_sqlite_expected_hash(const char *expected, char out[33]);

#endif /* QV_SLT_SQLITE_H */
