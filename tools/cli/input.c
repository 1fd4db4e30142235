/*
 * input.c — lines become statements, for every kind of input: -c texts,
 * -f files, \i, standard input and the REPL. Text accumulates until a ';'
 * ends a statement (split.c finds it), which then runs; a line that starts
 * with '\' while nothing is pending is a backslash command. Line numbers are
 * kept so that errors in files can say where the statement starts.
 */
#define _POSIX_C_SOURCE 200809L /* getline */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cli.h"

void cli_input_init(cli_input *input, const char *name)
{
    memset(input, 0, sizeof *input);
    input->name = name;
    input->stmt_line = 1;
    cli_scanner_reset(&input->scanner);
}

void cli_input_free(cli_input *input)
{
    free(input->buf);
    input->buf = NULL;
    input->len = input->cap = 0;
}

bool cli_input_pending(const cli_input *input)
{
    return input->scanner.has_code || cli_scanner_in_quote(&input->scanner);
}

void cli_input_discard(cli_input *input)
{
    input->len = 0;
    cli_scanner_reset(&input->scanner);
}

static void append(cli_input *input, const char *text, size_t len)
{
    if (input->len + len + 1 > input->cap) {
        size_t cap = input->cap < 256 ? 256 : input->cap;
        while (cap < input->len + len + 1)
            cap *= 2;
        char *buf = realloc(input->buf, cap);
        if (buf == NULL) {
            fputs("quiver: out of memory\n", stderr);
            exit(CLI_EXIT_ERROR);
        }
        input->buf = buf;
        input->cap = cap;
    }
    memcpy(input->buf + input->len, text, len);
    input->len += len;
    input->buf[input->len] = '\0';
}

static int32_t count_newlines(const char *text, size_t len)
{
    int32_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    return n;
}

/* Runs buf[0..len) unless it is blank, starting at its first non-space byte
 * (so that error line numbers count from the statement's own first line). */
static cli_outcome run_pending(cli_state *cli, cli_input *input, size_t len)
{
    size_t start = 0;
    while (start < len && isspace((unsigned char)input->buf[start]))
        start++;
    if (cli_sql_is_blank(input->buf + start, len - start))
        return CLI_DONE;
    cli_where where = {input->name, input->stmt_line + count_newlines(input->buf, start)};
    return cli_run_statement(cli, input->buf + start, len - start, &where);
}

/* Removes buf[0..len) after it ran; the rest is the start of the next
 * statement. */
static void consume(cli_input *input, size_t len)
{
    input->stmt_line += count_newlines(input->buf, len);
    memmove(input->buf, input->buf + len, input->len - len);
    input->len -= len;
    input->buf[input->len] = '\0';
    cli_scanner_reset(&input->scanner);
}

static bool is_command_line(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)line[i]))
        i++;
    return i < len && line[i] == '\\';
}

static cli_outcome run_command_line(cli_state *cli, const char *line, size_t len)
{
    char *text = malloc(len + 1);
    if (text == NULL) {
        fputs("quiver: out of memory\n", stderr);
        exit(CLI_EXIT_ERROR);
    }
    memcpy(text, line, len);
    text[len] = '\0';
    cli_outcome outcome = cli_run_command(cli, text);
    free(text);
    return outcome;
}

cli_outcome cli_input_feed(cli_state *cli, cli_input *input, const char *line, size_t len)
{
    int32_t n_lines = count_newlines(line, len);
    if (len > 0 && line[len - 1] != '\n')
        n_lines++;
    if (!cli_input_pending(input)) {
        /* Blank text left over (spaces, comments) does not hold a command back. */
        input->len = 0;
        cli_scanner_reset(&input->scanner);
        input->stmt_line = input->line + 1;
        if (is_command_line(line, len)) {
            input->line += n_lines;
            input->stmt_line = input->line + 1;
            return run_command_line(cli, line, len);
        }
    }
    input->line += n_lines;
    append(input, line, len);
    if (len > 0 && line[len - 1] != '\n')
        append(input, "\n", 1); /* a line without its newline still ends there */
    cli_outcome result = CLI_DONE;
    size_t end;
    while ((end = cli_scanner_next(&input->scanner, input->buf, input->len)) > 0) {
        cli_outcome outcome = run_pending(cli, input, end);
        consume(input, end);
        if (outcome == CLI_FAILED) {
            result = CLI_FAILED;
            if (!cli->interactive) {
                cli_input_discard(input);
                return CLI_FAILED;
            }
        }
    }
    return result;
}

cli_outcome cli_input_finish(cli_state *cli, cli_input *input)
{
    cli_outcome outcome = CLI_DONE;
    if (cli_input_pending(input))
        outcome = run_pending(cli, input, input->len);
    cli_input_discard(input);
    return outcome;
}

cli_outcome cli_run_text(cli_state *cli, const char *text)
{
    cli_input input;
    cli_input_init(&input, NULL);
    cli_outcome outcome = CLI_DONE;
    const char *line = text;
    while (*line != '\0' && outcome == CLI_DONE) {
        const char *nl = strchr(line, '\n');
        size_t len = nl != NULL ? (size_t)(nl - line) + 1 : strlen(line);
        outcome = cli_input_feed(cli, &input, line, len);
        line += len;
    }
    if (outcome == CLI_DONE)
        outcome = cli_input_finish(cli, &input);
    cli_input_free(&input);
    return outcome;
}

cli_outcome cli_run_file(cli_state *cli, FILE *file, const char *name)
{
    cli_input input;
    cli_input_init(&input, name);
    cli_outcome outcome = CLI_DONE;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while (outcome == CLI_DONE && (len = getline(&line, &cap, file)) >= 0)
        outcome = cli_input_feed(cli, &input, line, (size_t)len);
    if (outcome == CLI_DONE && ferror(file)) {
        fprintf(stderr, "quiver: cannot read %s: %s\n", name, strerror(errno));
        outcome = CLI_FAILED;
    }
    if (outcome == CLI_DONE)
        outcome = cli_input_finish(cli, &input);
    free(line);
    cli_input_free(&input);
    return outcome;
}

cli_outcome cli_run_path(cli_state *cli, const char *path)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        fprintf(stderr, "quiver: cannot open %s: %s\n", path, strerror(errno));
        return CLI_FAILED;
    }
    cli_outcome outcome = cli_run_file(cli, file, path);
    fclose(file);
    return outcome;
}
