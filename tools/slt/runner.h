/*
 * runner.h — quiver-slt's full run mode: collects the files under the given
 * paths, runs each in a child process (child.h) with per-record and per-file
 * timeouts, turns a crash or hang into a failure of the record that was
 * running and carries on with the next one in a new child, and reports per
 * file, in TSV, against a baseline, and in total.
 */
#ifndef QV_SLT_RUNNER_H
#define QV_SLT_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "report.h"
#include "slt_util.h"

typedef struct slt_run_options {
    const slt_engine *engine;
    slt_strv settings;          /* "key=value" configuration defaults for every session */
    bool runner_defaults;       /* also DataFusion's runner defaults (target_partitions=4) */
    slt_strv prelude;           /* SQL statements run at the start of every session */
    slt_strv filters;           /* run only files matching one of these (glob or substring) */
    slt_strv excludes;          /* ... and none of these */
    slt_strv labels;            /* skipif / onlyif labels */
    int dialect;                /* -1: by file name; else an slt_dialect */
    const char *workspace_root; /* NULL: detected from each file's path */
    const char *work_dir;       /* NULL: a temporary directory */
    bool in_place;              /* run inside the real workspace (writes its scratch/) */
    double record_timeout;      /* seconds */
    double file_timeout;        /* seconds */
    int jobs;                   /* files run at the same time */
    bool complete;              /* rewrite failing records of our own files */
    bool run_explain;           /* attempt EXPLAIN records */
    size_t show_failures;       /* failures printed per file */
    size_t max_lines;           /* lines per block in a failure */
    bool quiet;                 /* only the per-file lines and totals */
    const char *tsv_path;
    const char *baseline_path;
    const char *write_baseline_path;
} slt_run_options;

/* Fills the defaults (the engine is left NULL for the caller to choose;
 * the program uses slt_quiver_engine): labels Datafusion and DataFusion,
 * runner defaults on, dialect by file name, 30 s per record, 900 s per
 * file, one job, 3 failures shown with up to 12 lines each. */
void slt_run_options_init(slt_run_options *opts);
void slt_run_options_free(slt_run_options *opts);

/* Adds the settings of a named configuration (comma-separated names
 * allowed): batch1, batch7, batch8192 (execution.batch_size), tp1, tp2, tp4
 * (execution.target_partitions), noopt (optimizer.max_passes = 0). Returns
 * false for an unknown name. */
bool slt_run_options_add_config(slt_run_options *opts, const char *names);

/* Loads a prelude file: SQL statements, each ending with ';' at the end of a
 * line; empty lines and lines starting with '#' or '--' are ignored.
 * Returns false with a message in err. */
bool slt_run_options_load_prelude(slt_run_options *opts, const char *path, char *err,
                                  size_t err_size);

/* Runs every file under paths and prints the report to stdout (last line
 * "N passed, N failed"). When results is not NULL it receives the per-file
 * results (free with slt_results_free). Returns the exit code: 1 when a file
 * could not be run, when a baseline comparison finds a regression, or —
 * without a baseline — when any record failed; 2 on a usage problem; else 0. */
int slt_run(const slt_run_options *opts, char **paths, size_t n_paths, slt_file_result **results,
            size_t *n_results);

/* True when path is selected by the filters / excludes of opts: a pattern
 * with * ? [ is a glob matched against the whole path or any tail of it
 * starting after a '/' ('*' crosses '/'); any other pattern matches as a
 * substring. */
bool slt_path_selected(const slt_run_options *opts, const char *path);

#endif /* QV_SLT_RUNNER_H */
