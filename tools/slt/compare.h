/*
 * compare.h — how quiver-slt turns an engine's output into result lines and
 * judges them, DataFusion's way (datafusion/sqllogictest conversion.rs,
 * util.rs df_value_validator, sqllogictest-rs runner): the EXPLAIN-style
 * expansion of a multi-line last cell, the WORKSPACE_ROOT substitution, the
 * sort modes, MD5 result hashing, the trim_end line comparison with
 * <slt:ignore>, strict type letters, and error matching (regex or block)
 * against "DataFusion error: <message>". Pure functions: no engine, no I/O.
 */
#ifndef QV_SLT_COMPARE_H
#define QV_SLT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "slt_reader.h"
#include "slt_util.h"

/* A row of rendered cells; rows may differ in width (expanded plans). */
typedef struct slt_row {
    size_t n;
    char **cells; /* owned */
} slt_row;

typedef struct slt_rows {
    slt_row *rows; /* owned */
    size_t n;
    size_t cap;
} slt_rows;

/* Appends a row taking ownership of cells (malloc'd array of n malloc'd
 * strings). */
void slt_rows_push(slt_rows *rows, char **cells, size_t n);
void slt_rows_free(slt_rows *rows);
/* Number of cells over all rows. */
size_t slt_rows_n_values(const slt_rows *rows);

/* DataFusion's conversion of a result into rows of strings: each cell's
 * text; a row whose last cell contains '\n' is emitted without that cell,
 * followed by one one-cell row per line of it, "NN)" + the line with its
 * leading whitespace turned into '-'; then in every cell each of the
 * n_roots workspace-root paths (longest first is the caller's business) is
 * replaced by the literal WORKSPACE_ROOT. */
void slt_rows_from_output(const slt_output *out, const char *const *roots, size_t n_roots,
                          slt_rows *rows);

/* Applies a sort mode: ROWSORT orders rows by their cell vectors (byte
 * order, cell by cell, a shorter prefix first); VALUESORT flattens every cell
 * into its own one-cell row and sorts those; NOSORT does nothing. */
void slt_rows_sort(slt_rows *rows, slt_sort sort);

/* Lowercase hex MD5 of every cell followed by '\n', in row order; out gets
 * 33 bytes. Uses OpenSSL's EVP interface. */
void slt_rows_md5(const slt_rows *rows, char out[33]);

/* When threshold > 0 and the rows hold more than threshold values, replaces
 * them with the single row "N values hashing to <md5>" and returns true. */
bool slt_rows_hash(slt_rows *rows, long threshold);

/* DataFusion's result lines: each row's cells joined by one space, then
 * trailing whitespace removed. Appends to lines. */
void slt_rows_to_lines(const slt_rows *rows, slt_strv *lines);

/* DataFusion's validator: expected is the block text (lines joined with
 * '\n'); each expected line is compared with trailing whitespace removed; with
 * an <slt:ignore> marker anywhere the comparison is by fragments (see
 * conformance README, "Comparison"). */
bool slt_lines_match(const slt_strv *actual, const char *expected);

/* Strict column type check: same count, same letters, where any letter
 * other than I R T B D P in expected stands for '?'. */
bool slt_types_match(const char *expected, const char *actual);

/* The text error expectations are matched against: "DataFusion error: " +
 * message (message as qv_error holds it; not prefixed twice when the engine
 * already included the prefix). Caller frees. */
char *slt_error_display(const char *message);

/* Unanchored regex search of pattern in text, with PCRE2 in a mode close to
 * Rust's regex crate (UTF-8, Unicode classes, '$' only at the very end).
 * Returns 1 on a match, 0 on none, -1 when the pattern does not compile (then
 * errbuf says why). */
int slt_regex_search(const char *pattern, const char *text, char *errbuf, size_t errbuf_size);

/* A multi-line expected error: both texts trimmed (leading and trailing
 * whitespace) must be equal. */
bool slt_error_block_matches(const char *block, const char *text);

/* Escapes pattern metacharacters as Rust's regex::escape does, so the result
 * matches text literally. Caller frees. */
char *slt_regex_escape(const char *text);

#endif /* QV_SLT_COMPARE_H */
