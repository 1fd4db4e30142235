/*
 * parse_check.c — quiver-slt --parse-only / --round-trip (see parse_check.h).
 */
#include "parse_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slt_reader.h"
#include "sql/sql.h"

typedef struct counts {
    size_t accepted_total; /* records DataFusion accepts */
    size_t parsed;         /* ... that Quiver parses */
    size_t round_trip_ok;  /* ... whose trees survive unparse -> parse */
    size_t error_total;    /* records that expect an error */
    size_t error_rejected; /* ... that Quiver's parser already rejects */
    size_t parser_error_total;    /* records whose expected error is a parser error */
    size_t parser_error_rejected; /* ... that Quiver's parser rejects */
} counts;

static const char *const runner_labels[] = {"Datafusion", "DataFusion", NULL};

static void add(counts *total, const counts *part)
{
    total->accepted_total += part->accepted_total;
    total->parsed += part->parsed;
    total->round_trip_ok += part->round_trip_ok;
    total->error_total += part->error_total;
    total->error_rejected += part->error_rejected;
    total->parser_error_total += part->parser_error_total;
    total->parser_error_rejected += part->parser_error_rejected;
}

static bool expects_parser_error(const char *expected)
{
    return expected != NULL &&
           (strstr(expected, "ParserError") != NULL || strstr(expected, "SQL error") != NULL);
}

/* unparse -> parse -> compare, for every statement of result. On mismatch
 * writes the unparsed text of the first failing statement to *text. */
static bool round_trips(const sql_parse_result *result, char **text, qv_error *err)
{
    for (size_t i = 0; i < result->n_statements; i++) {
        char *sql = sql_unparse_to_string(result->statements[i].node);
        if (sql == NULL)
            return false;
        sql_parse_result *again = NULL;
        bool same = sql_parse(sql, strlen(sql), NULL, &again, err) == QV_OK &&
                    again->n_statements == 1 &&
                    sql_ast_equal(result->statements[i].node, again->statements[0].node);
        if (same && err != NULL)
            qv_error_clear(err);
        else if (err != NULL && err->code == QV_OK)
            snprintf(err->message, sizeof err->message, "trees differ");
        sql_parse_result_free(again);
        if (!same) {
            *text = sql;
            return false;
        }
        base_free(sql);
    }
    return true;
}

static void check_record(const slt_record *rec, const parse_check_options *opts, counts *c)
{
    qv_error err;
    qv_error_clear(&err);
    sql_parse_result *result = NULL;
    qv_status status = sql_parse(rec->sql, strlen(rec->sql), NULL, &result, &err);
    bool accepted = rec->kind == SLT_STATEMENT_OK || rec->kind == SLT_STATEMENT_COUNT ||
                    rec->kind == SLT_QUERY;
    if (!accepted) {
        c->error_total++;
        c->error_rejected += status != QV_OK;
        if (expects_parser_error(rec->expected)) {
            c->parser_error_total++;
            c->parser_error_rejected += status != QV_OK;
            if (status == QV_OK && opts->verbose)
                printf("ACCEPTED %s:%d (DataFusion: %s)\n%s\n\n", rec->path, rec->line,
                       rec->expected, rec->sql);
        }
        sql_parse_result_free(result);
        return;
    }
    c->accepted_total++;
    if (status != QV_OK) {
        if (opts->verbose)
            printf("PARSE FAIL %s:%d: %s\n%s\n\n", rec->path, rec->line, err.message, rec->sql);
        return;
    }
    c->parsed++;
    char *text = NULL;
    if (round_trips(result, &text, &err)) {
        c->round_trip_ok++;
    } else if (opts->verbose) {
        printf("ROUND TRIP FAIL %s:%d: %s\n%s\n-- unparsed:\n%s\n\n", rec->path, rec->line,
               err.message, rec->sql, text != NULL ? text : "(out of memory)");
    }
    base_free(text);
    sql_parse_result_free(result);
}

static double rate(size_t part, size_t whole) { return whole == 0 ? 1.0 : (double)part / (double)whole; }

int parse_check_run(char **paths, size_t n_paths, const parse_check_options *opts)
{
    char **files = NULL;
    size_t n_files = 0, cap = 0;
    int exit_code = 0;
    for (size_t i = 0; i < n_paths; i++) {
        if (!slt_collect_files(paths[i], &files, &n_files, &cap)) {
            fprintf(stderr, "quiver-slt: cannot read %s\n", paths[i]);
            exit_code = 1;
        }
    }
    counts total = {0};
    for (size_t i = 0; i < n_files; i++) {
        slt_file file;
        char errbuf[512];
        slt_read_options read_opts = {slt_dialect_of_path(files[i]), runner_labels};
        if (!slt_file_read_ex(files[i], &read_opts, &file, errbuf, sizeof errbuf)) {
            fprintf(stderr, "quiver-slt: %s\n", errbuf);
            exit_code = 1;
            continue;
        }
        counts c = {0};
        for (size_t r = 0; r < file.n_records; r++) {
            if (!file.records[r].skipped)
                check_record(&file.records[r], opts, &c);
        }
        printf("%s: parsed %zu/%zu, round-trip %zu/%zu, error records rejected by the parser "
               "%zu/%zu (parser errors %zu/%zu)\n",
               files[i], c.parsed, c.accepted_total, c.round_trip_ok, c.parsed, c.error_rejected,
               c.error_total, c.parser_error_rejected, c.parser_error_total);
        add(&total, &c);
        slt_file_free(&file);
    }
    for (size_t i = 0; i < n_files; i++)
        free(files[i]);
    free(files);

    printf("\nfiles: %zu\n", n_files);
    printf("parse: %zu of %zu accepted records (%.2f%%)\n", total.parsed, total.accepted_total,
           100.0 * rate(total.parsed, total.accepted_total));
    printf("round-trip: %zu of %zu parsed records (%.2f%%)\n", total.round_trip_ok, total.parsed,
           100.0 * rate(total.round_trip_ok, total.parsed));
    printf("error records rejected at parse time: %zu of %zu (information only)\n",
           total.error_rejected, total.error_total);
    printf("records expecting a parser error rejected: %zu of %zu\n",
           total.parser_error_rejected, total.parser_error_total);
    size_t passed = opts->round_trip ? total.round_trip_ok : total.parsed;
    size_t whole = opts->round_trip ? total.parsed : total.accepted_total;
    if (rate(passed, whole) < opts->min_rate) {
        printf("pass rate %.2f%% is below the required %.2f%%\n", 100.0 * rate(passed, whole),
               100.0 * opts->min_rate);
        exit_code = 1;
    }
    printf("%zu passed, %zu failed\n", passed, whole - passed);
    return exit_code;
}
