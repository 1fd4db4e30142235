/*
 * main.c — quiver-slt, the sqllogictest tool (tools/slt): argument parsing
 * and dispatch. Modes:
 *   quiver-slt [options] PATH...          run the records (runner.h)
 *   quiver-slt --parse-only [--verbose] [--min-rate R] PATH...
 *   quiver-slt --round-trip [--verbose] [--min-rate R] PATH...   (parse_check.h)
 * PATH is a .slt / .test file or a directory searched recursively.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "parse_check.h"
#include "runner.h"
#include "slt_reader.h"

static const char usage_text[] =
    "usage: quiver-slt [options] PATH...\n"
    "       quiver-slt --parse-only|--round-trip [--verbose] [--min-rate PERCENT] PATH...\n"
    "PATH is a file or a directory searched for *.slt and *.test (SQLite dialect).\n"
    "run options:\n"
    "  --filter PATTERN       only files whose path matches (glob, else substring); repeatable\n"
    "  --exclude PATTERN      leave out files whose path matches; repeatable\n"
    "  --set KEY=VALUE        configuration default of every session; repeatable\n"
    "  --config NAME[,NAME]   named settings: batch1 batch7 batch8192 tp1 tp2 tp4 noopt\n"
    "  --prelude FILE         SQL statements (ending with ';') run at the start of every file\n"
    "  --no-runner-defaults   do not set target_partitions=4 as DataFusion's runner does\n"
    "  --label NAME           add a skipif/onlyif label (default: Datafusion, DataFusion)\n"
    "  --dialect NAME         datafusion or sqlite (default: by file name)\n"
    "  --workspace-root DIR   WORKSPACE_ROOT of every file (default: from the file's path)\n"
    "  --in-place             run inside the workspace (writes its test_files/scratch)\n"
    "  --work-dir DIR         keep the run's files here (default: a temporary directory)\n"
    "  --timeout SECONDS      per record (default 30)\n"
    "  --file-timeout SECONDS per file (default 900)\n"
    "  -j N, --jobs N        files run in parallel (default 1)\n"
    "  --run-explain          attempt EXPLAIN records (skipped by default)\n"
    "  --complete             rewrite failing records of our own files from the output\n"
    "  --show N               failures shown per file (default 3)\n"
    "  --lines N              lines per block in a failure (default 12)\n"
    "  --quiet                per-file lines and totals only\n"
    "  --tsv FILE             per-file summary as TSV\n"
    "  --baseline FILE        exit 1 when a file passes fewer records than in FILE\n"
    "  --write-baseline FILE  write this run's counts to FILE (other files' lines kept)\n";

static int usage(void)
{
    fputs(usage_text, stderr);
    return 2;
}

static int parse_mode(int argc, char **argv)
{
    parse_check_options opts = {false, false, 0.0};
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--parse-only") == 0) {
        } else if (strcmp(argv[i], "--round-trip") == 0) {
            opts.round_trip = true;
        } else if (strcmp(argv[i], "--verbose") == 0) {
            opts.verbose = true;
        } else if (strcmp(argv[i], "--min-rate") == 0 && i + 1 < argc) {
            opts.min_rate = strtod(argv[++i], NULL) / 100.0;
        } else if (argv[i][0] == '-') {
            return usage();
        } else {
            first_path = i;
            break;
        }
    }
    if (first_path >= argc)
        return usage();
    return parse_check_run(argv + first_path, (size_t)(argc - first_path), &opts);
}

/* Handles one run option at argv[*i]; false for an unknown or bad one. */
static bool run_option(slt_run_options *opts, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    const char *value = *i + 1 < argc ? argv[*i + 1] : NULL;
    bool takes_value = true;
    char err[512];
    if (strcmp(arg, "--run-explain") == 0)
        opts->run_explain = true, takes_value = false;
    else if (strcmp(arg, "--complete") == 0)
        opts->complete = true, takes_value = false;
    else if (strcmp(arg, "--in-place") == 0)
        opts->in_place = true, takes_value = false;
    else if (strcmp(arg, "--quiet") == 0)
        opts->quiet = true, takes_value = false;
    else if (strcmp(arg, "--no-runner-defaults") == 0)
        opts->runner_defaults = false, takes_value = false;
    else if (strncmp(arg, "-j", 2) == 0 && arg[2] != '\0' && atoi(arg + 2) > 0)
        opts->jobs = atoi(arg + 2), takes_value = false;
    else if (value == NULL)
        return false;
    else if (strcmp(arg, "--filter") == 0)
        slt_strv_push(&opts->filters, value);
    else if (strcmp(arg, "--exclude") == 0)
        slt_strv_push(&opts->excludes, value);
    else if (strcmp(arg, "--set") == 0 && strchr(value, '=') != NULL)
        slt_strv_push(&opts->settings, value);
    else if (strcmp(arg, "--config") == 0) {
        if (!slt_run_options_add_config(opts, value))
            return false;
    } else if (strcmp(arg, "--prelude") == 0) {
        if (!slt_run_options_load_prelude(opts, value, err, sizeof err)) {
            fprintf(stderr, "quiver-slt: %s\n", err);
            return false;
        }
    } else if (strcmp(arg, "--label") == 0)
        slt_strv_push(&opts->labels, value);
    else if (strcmp(arg, "--dialect") == 0 && strcmp(value, "datafusion") == 0)
        opts->dialect = SLT_DIALECT_DATAFUSION;
    else if (strcmp(arg, "--dialect") == 0 && strcmp(value, "sqlite") == 0)
        opts->dialect = SLT_DIALECT_SQLITE;
    else if (strcmp(arg, "--workspace-root") == 0)
        opts->workspace_root = value;
    else if (strcmp(arg, "--work-dir") == 0)
        opts->work_dir = value;
    else if (strcmp(arg, "--timeout") == 0 && strtod(value, NULL) > 0)
        opts->record_timeout = strtod(value, NULL);
    else if (strcmp(arg, "--file-timeout") == 0 && strtod(value, NULL) > 0)
        opts->file_timeout = strtod(value, NULL);
    else if ((strcmp(arg, "-j") == 0 || strcmp(arg, "--jobs") == 0) && atoi(value) > 0)
        opts->jobs = atoi(value);
    else if (strcmp(arg, "--show") == 0)
        opts->show_failures = (size_t)strtoul(value, NULL, 10);
    else if (strcmp(arg, "--lines") == 0 && atoi(value) > 0)
        opts->max_lines = (size_t)atoi(value);
    else if (strcmp(arg, "--tsv") == 0)
        opts->tsv_path = value;
    else if (strcmp(arg, "--baseline") == 0)
        opts->baseline_path = value;
    else if (strcmp(arg, "--write-baseline") == 0)
        opts->write_baseline_path = value;
    else
        return false;
    *i += takes_value;
    return true;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--parse-only") == 0 || strcmp(argv[i], "--round-trip") == 0)
            return parse_mode(argc, argv);
    }
    slt_run_options opts;
    slt_run_options_init(&opts);
    opts.engine = &slt_quiver_engine;
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            slt_run_options_free(&opts);
            return 0;
        }
        if (argv[i][0] != '-') {
            first_path = i;
            break;
        }
        if (!run_option(&opts, argc, argv, &i)) {
            fprintf(stderr, "quiver-slt: bad option %s\n", argv[i]);
            slt_run_options_free(&opts);
            return usage();
        }
    }
    if (first_path >= argc) {
        slt_run_options_free(&opts);
        return usage();
    }
    int code = slt_run(&opts, argv + first_path, (size_t)(argc - first_path), NULL, NULL);
    slt_run_options_free(&opts);
    return code;
}
