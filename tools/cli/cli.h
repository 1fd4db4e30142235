/*
 * cli.h — the pieces of the `quiver` command-line program (tools/cli) and
 * how they meet: argument parsing (args.c), the statement splitter
 * (split.c), line input shared by -c, -f, stdin and the REPL (input.c),
 * running one statement and reporting its errors (run.c), result printing
 * (print.c, print_json.c), backslash commands (commands.c), the libedit
 * REPL (repl.c) and directory tables (data_dir.c).
 *
 * The program talks to the engine through include/quiver.h only; results come
 * back through the Arrow C Data Interface and are printed with the arrow
 * layer's value formatting (arrow_format_value, arrow_print_table), so that
 * values look exactly as DataFusion prints them.
 */
#ifndef QV_CLI_H
#define QV_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "quiver.h"

/* Exit codes: success, an SQL (or file) error in -c / -f / stdin mode, bad
 * usage. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_ERROR = 1, CLI_EXIT_USAGE = 2 };

typedef enum cli_format {
    CLI_FORMAT_TABLE, /* DataFusion CLI's +---+ boxes, with row count and timing */
    CLI_FORMAT_CSV,
    CLI_FORMAT_TSV,
    CLI_FORMAT_JSON,  /* one array of objects */
    CLI_FORMAT_NDJSON /* one object per line */
} cli_format;

/* What running a piece of input came to. */
typedef enum cli_outcome {
    CLI_DONE,   /* ran (in the REPL: errors were reported and input goes on) */
    CLI_FAILED, /* a statement or command failed (non-interactive modes stop) */
    CLI_QUIT    /* \q */
} cli_outcome;

/* The program's state: the engine handles and the printing settings that
 * backslash commands change. */
typedef struct cli_state {
    qv_runtime *runtime;
    qv_profile *profile;
    qv_session *session;
    cli_format format;
    int64_t maxrows;  /* rows shown in table format; -1: all */
    bool quiet;       /* no row counts, timing, banners or notices */
    bool timing;      /* the "Elapsed ..." line after table results */
    bool interactive; /* the REPL: errors do not stop the input */
} cli_state;

/* Where a statement came from, for error messages: a file name (NULL for
 * -c and the REPL) and the line of that input the statement starts on. */
typedef struct cli_where {
    const char *name;
    int32_t line;
} cli_where;

/* ---- arguments (args.c) ---- */

typedef enum cli_step_kind { CLI_STEP_COMMAND, CLI_STEP_FILE } cli_step_kind;

/* One -c or -f, in the order given. text is borrowed from argv. */
typedef struct cli_step {
    cli_step_kind kind;
    const char *text;
} cli_step;

typedef struct cli_args {
    cli_step *steps; /* owned */
    int n_steps;
    const char *data_dir; /* --data DIR, borrowed; NULL when absent */
    cli_format format;
    int64_t maxrows; /* --maxrows; -1: no limit */
    bool quiet;
} cli_args;

/* Parses argv into *args. Returns -1 to go on, or an exit code: 0 after
 * --help / --version (printed to stdout), CLI_EXIT_USAGE after a usage
 * error (printed to stderr). Free args with cli_args_free in every case. */
int cli_args_parse(int argc, char **argv, cli_args *args);
void cli_args_free(cli_args *args);

/* ---- statement splitting (split.c) ----
 * Finds the ';' that end statements, skipping those inside 'strings',
 * E'escape strings', "identifiers", `identifiers`, $tag$dollar strings$tag$,
 * -- line comments and nested block comments, as the SQL lexer does. The
 * scanner works incrementally over a growing buffer. */
typedef struct cli_scanner {
    int state;
    size_t pos; /* next byte of the buffer to scan */
    int32_t comment_depth;
    bool after_backslash; /* inside an E string, the last byte was a backslash */
    size_t tag_start;     /* the opening "$tag$" of a dollar string, in the buffer */
    size_t tag_len;
    bool has_code; /* scanned something that is not whitespace, a comment or ';' */
} cli_scanner;

void cli_scanner_reset(cli_scanner *scanner);
/* Scans text[scanner->pos .. len) (text may have grown since the last call,
 * never changed before pos). Returns the length of the first statement that
 * is complete (up to and including its ';'), or 0 when the text holds none
 * yet. After a statement is returned the caller removes it from the buffer
 * and resets the scanner. */
size_t cli_scanner_next(cli_scanner *scanner, const char *text, size_t len);
/* True while the scanner is inside a string, identifier or comment. */
bool cli_scanner_in_quote(const cli_scanner *scanner);
/* True when text holds nothing but whitespace, comments and ';'. */
bool cli_sql_is_blank(const char *text, size_t len);

/* ---- input (input.c) ----
 * Lines become statements: text accumulates until a ';' ends a statement,
 * which then runs; a line starting with '\' while no statement is pending is
 * a backslash command. */
typedef struct cli_input {
    char *buf; /* owned; the pending text */
    size_t len, cap;
    cli_scanner scanner;
    const char *name;  /* file name for messages, borrowed; NULL for -c / REPL */
    int32_t line;      /* lines read so far */
    int32_t stmt_line; /* the line the pending text starts on */
} cli_input;

void cli_input_init(cli_input *input, const char *name);
void cli_input_free(cli_input *input);
/* True when some text that is not blank is waiting for its ';'. */
bool cli_input_pending(const cli_input *input);
/* Drops the pending text (Ctrl-C in the REPL). */
void cli_input_discard(cli_input *input);
/* Feeds one line (with or without its '\n'; it may hold several lines) and
 * runs every statement it completes, in order. Outside the REPL the first
 * failure stops and is returned. */
cli_outcome cli_input_feed(cli_state *cli, cli_input *input, const char *line, size_t len);
/* End of input: runs what is pending (a last statement without ';'). */
cli_outcome cli_input_finish(cli_state *cli, cli_input *input);

/* Runs all of text (the argument of -c). */
cli_outcome cli_run_text(cli_state *cli, const char *text);
/* Runs a script read from file (-f, \i, stdin when it is not a terminal);
 * name is used in messages. */
cli_outcome cli_run_file(cli_state *cli, FILE *file, const char *name);
/* Opens path and runs it; a file that cannot be opened is reported and
 * fails. */
cli_outcome cli_run_path(cli_state *cli, const char *path);

/* ---- statements (run.c) ---- */

/* Runs one statement (text[0..len), not NUL-terminated) and prints its
 * result in cli->format, then the row count and timing (table format).
 * Errors are reported on stderr with the statement line and a caret under
 * the error position; where may be NULL. */
cli_outcome cli_run_statement(cli_state *cli, const char *text, size_t len, const cli_where *where);

/* ---- printing (print.c, print_json.c) ---- */

/* Parses a format name (table, csv, tsv, json, ndjson; any case). */
bool cli_format_parse(const char *name, cli_format *out);
const char *cli_format_name(cli_format format);

/* Reads result to its end and prints it to stdout in format (tables: the
 * first maxrows rows, -1 for all); *n_rows gets the rows read. Stops with
 * QV_CANCELLED when the user presses Ctrl-C in the REPL. */
qv_status cli_print_result(cli_format format, int64_t maxrows, qv_result *result, int64_t *n_rows,
                           qv_error *err);

/* ---- backslash commands (commands.c) ---- */

/* Runs a backslash command line (starting with '\', trailing whitespace and
 * ';' ignored). Unknown commands are reported and fail. */
cli_outcome cli_run_command(cli_state *cli, const char *line);

/* ---- the REPL and interrupts (repl.c) ---- */

/* The interactive loop: libedit line editing, history in ~/.quiver_history,
 * continuation prompt, Ctrl-C drops the input or cancels the running query,
 * Ctrl-D or \q leaves. */
void cli_repl(cli_state *cli);
/* True (once) when Ctrl-C was pressed since the last call. */
bool cli_take_interrupt(void);

/* ---- directory tables (data_dir.c) ---- */

/* Registers every CSV, TSV and NDJSON file of dir as a table named after the
 * file (without its extension). Files that cannot be registered are
 * reported and skipped. Returns false when dir cannot be read. */
bool cli_register_data_dir(cli_state *cli, const char *dir);

#endif /* QV_CLI_H */
