/*
 * report.h — quiver-slt's per-file results and what is done with them: the
 * machine-readable summary (TSV, one line per file, columns named in a
 * header line), the committed baseline (the same format) and the ratchet
 * comparison against it, and the totals printed at the end of a run.
 */
#ifndef QV_SLT_REPORT_H
#define QV_SLT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct slt_file_result {
    char *path;             /* as shown and keyed in the TSV; owned */
    size_t records;         /* executable records after include expansion (before halt) */
    size_t attempted;       /* records - skipped */
    size_t passed;          /* exact rules (error regexes must match) */
    size_t failed;          /* attempted - passed */
    size_t skipped;         /* skipif / onlyif and EXPLAIN */
    size_t skipped_explain; /* of which EXPLAIN */
    size_t passed_lenient;  /* any error satisfies an error record */
    size_t queries;         /* attempted `query` records (with results) */
    size_t queries_passed;
    size_t crashes;
    size_t timeouts;
    double seconds;
    bool error; /* the file could not be read or run at all */
} slt_file_result;

/* Writes results as TSV (a '#' comment line, a header line, one line per
 * file, sorted by path). Returns false with a message in err. */
bool slt_tsv_write(const char *path, const slt_file_result *results, size_t n, char *err,
                   size_t err_size);

/* Reads a TSV written by slt_tsv_write (columns found by their header names;
 * unknown columns ignored, missing ones 0). *out is malloc'd; free with
 * slt_results_free. Returns false with a message in err. */
bool slt_tsv_read(const char *path, slt_file_result **out, size_t *n, char *err, size_t err_size);

/* Parses TSV text (what slt_tsv_read does after reading the file). */
bool slt_tsv_parse(const char *text, slt_file_result **out, size_t *n, char *err, size_t err_size);

void slt_results_free(slt_file_result *results, size_t n);

/* The ratchet: for every file of current that is also in baseline, a file
 * passing fewer records (exact or lenient) than its baseline is a
 * regression, printed to f. Files only in one of the two are ignored.
 * Prints how many files improved. Returns the number of regressions. */
size_t slt_baseline_compare(const slt_file_result *baseline, size_t n_baseline,
                            const slt_file_result *current, size_t n_current, FILE *f);

/* Writes current as the new baseline at path, keeping the lines of an
 * existing baseline there for files this run did not cover. */
bool slt_baseline_write(const char *path, const slt_file_result *current, size_t n_current,
                        char *err, size_t err_size);

/* The totals block; its last line is "N passed, N failed". */
void slt_print_totals(FILE *f, const slt_file_result *results, size_t n);

#endif /* QV_SLT_REPORT_H */
