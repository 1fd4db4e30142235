/*
 * run.c — one statement from text to screen: qv_session_sql, the result
 * printed in the chosen format, then DataFusion CLI's footer ("2 row(s)
 * fetched." and the elapsed time) for tables; or the error as DataFusion CLI
 * prints it (the message alone: it names its kind), then the line
 * of the statement it points at and a caret under the position (PostgreSQL's
 * "LINE n:" layout) and the hint when there is one.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Prints line `line` of sql and a caret under character `column` (both
 * 1-based; columns count UTF-8 characters, as the lexer does). Tabs are
 * copied into the caret line so that it stays aligned. */
static void show_position(const char *sql, int32_t line, int32_t column)
{
    const char *text = sql;
    for (int32_t k = 1; k < line && text != NULL; k++) {
        text = strchr(text, '\n');
        text = text != NULL ? text + 1 : NULL;
    }
    if (text == NULL)
        return;
    size_t len = strcspn(text, "\n");
    if (len > 0 && text[len - 1] == '\r')
        len--;
    int prefix = fprintf(stderr, "LINE %d: ", (int)line);
    fprintf(stderr, "%.*s\n", (int)len, text);
    fprintf(stderr, "%*s", prefix > 0 ? prefix : 0, "");
    int32_t chars = 0;
    for (size_t i = 0; i < len && chars < column - 1; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xc0) == 0x80)
            continue; /* UTF-8 continuation byte: same character */
        fputc(c == '\t' ? '\t' : ' ', stderr);
        chars++;
    }
    fputs("^\n", stderr);
}

static void report_error(qv_status status, const qv_error *err, const char *sql,
                         const cli_where *where)
{
    const char *message = err->message[0] != '\0' ? err->message : qv_status_message(status);
    fflush(stdout); /* what was printed before the error comes first */
    if (where != NULL && where->name != NULL)
        fprintf(stderr, "%s:%d: ", where->name,
                (int)(where->line + (err->line > 0 ? err->line - 1 : 0)));
    fprintf(stderr, "%s\n", message); /* DataFusion's messages say what kind of error */
    if (err->line > 0)
        show_position(sql, err->line, err->column);
    if (err->hint[0] != '\0')
        fprintf(stderr, "HINT: %s\n", err->hint);
}

/* DataFusion CLI's footer, as it prints it. */
static void print_footer(const cli_state *cli, int64_t n_rows, double seconds)
{
    if (cli->format != CLI_FORMAT_TABLE || cli->quiet)
        return;
    printf("%lld row(s) fetched. ", (long long)n_rows);
    if (cli->maxrows >= 0 && n_rows > cli->maxrows)
        printf("(First %lld displayed. Use --maxrows to adjust)", (long long)cli->maxrows);
    printf("\n");
    if (cli->timing)
        printf("Elapsed %.3f seconds.\n", seconds);
    printf("\n");
}

cli_outcome cli_run_statement(cli_state *cli, const char *text, size_t len, const cli_where *where)
{
    char *sql = malloc(len + 1);
    if (sql == NULL) {
        fputs("quiver: out of memory\n", stderr);
        exit(CLI_EXIT_ERROR);
    }
    memcpy(sql, text, len);
    sql[len] = '\0';
    (void)cli_take_interrupt(); /* a Ctrl-C before this statement is not for it */
    double start = now_seconds();
    qv_error err;
    qv_error_clear(&err);
    qv_result *result = NULL;
    int64_t n_rows = 0;
    qv_status status = qv_session_sql(cli->session, sql, &result, &err);
    if (status == QV_OK)
        status = cli_print_result(cli->format, cli->maxrows, result, &n_rows, &err);
    qv_result_free(result);
    if (status == QV_OK)
        print_footer(cli, n_rows, now_seconds() - start);
    else
        report_error(status, &err, sql, where);
    fflush(stdout);
    free(sql);
    return status == QV_OK ? CLI_DONE : CLI_FAILED;
}
