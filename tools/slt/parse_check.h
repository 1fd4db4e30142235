/*
 * parse_check.h — quiver-slt's parse-only mode: checks that Quiver's parser
 * accepts the SQL of every .slt record DataFusion accepts, that
 * unparse -> parse reproduces every tree, and reports how many records that
 * expect an error are already rejected by the parser.
 */
#ifndef QV_SLT_PARSE_CHECK_H
#define QV_SLT_PARSE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

typedef struct parse_check_options {
    bool verbose;      /* print every failing record with its error */
    bool round_trip;   /* the final "N passed, N failed" line counts round trips */
    double min_rate;   /* fail (exit 1) when the pass rate is below this, 0..1 */
} parse_check_options;

/* Runs the check over every .slt file under paths; prints per-file lines,
 * totals and a last line "N passed, N failed". Returns the process exit
 * code: 0, or 1 when reading fails or the rate is below opts->min_rate. */
int parse_check_run(char **paths, size_t n_paths, const parse_check_options *opts);

#endif /* QV_SLT_PARSE_CHECK_H */
