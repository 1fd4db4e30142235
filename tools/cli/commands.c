/*
 * commands.c — the backslash commands: \q, \?, \d, \d NAME, \dt, \i FILE,
 * \timing, \quiet and \format (or \pset format). \d and \d NAME run what
 * DataFusion CLI runs for them (SHOW TABLES, SHOW COLUMNS FROM NAME), so
 * their output is the engine's, in the current output format.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char help_text[] =
    "Statements end with ';' and may span lines. Commands:\n"
    "  \\q                    quit (Ctrl-D too)\n"
    "  \\?                    this help\n"
    "  \\d                    list tables (SHOW TABLES)\n"
    "  \\d NAME               describe a table (SHOW COLUMNS FROM NAME)\n"
    "  \\dt                   list tables and views, without information_schema\n"
    "  \\i FILE               run the statements of FILE\n"
    "  \\timing [on|off]      show the elapsed time after each query\n"
    "  \\quiet [on|off]       hide row counts and timing\n"
    "  \\format [NAME]        output format: table, csv, tsv, json, ndjson\n"
    "  \\pset format NAME     the same\n"
    "Ctrl-C drops the current input or cancels the running query.\n";

static const char list_user_tables_sql[] =
    "SELECT table_catalog, table_schema, table_name, table_type "
    "FROM information_schema.tables WHERE table_schema <> 'information_schema' "
    "ORDER BY table_catalog, table_schema, table_name";

/* "on"/"off" and their synonyms; false when word is none of them. */
static bool parse_switch(const char *word, bool *value)
{
    static const char *const on[] = {"on", "true", "t", "yes", "y", "1"};
    static const char *const off[] = {"off", "false", "f", "no", "n", "0"};
    for (size_t k = 0; k < sizeof on / sizeof on[0]; k++) {
        if (strcasecmp(word, on[k]) == 0) {
            *value = true;
            return true;
        }
        if (strcasecmp(word, off[k]) == 0) {
            *value = false;
            return true;
        }
    }
    return false;
}

/* \timing and \quiet: no argument toggles. */
static cli_outcome set_switch(const char *command, const char *arg, bool *setting,
                              const char *label)
{
    bool value = !*setting;
    if (arg[0] != '\0' && !parse_switch(arg, &value)) {
        fprintf(stderr, "Error: \\%s expects on or off, not '%s'\n", command, arg);
        return CLI_FAILED;
    }
    *setting = value;
    printf("%s is %s.\n", label, value ? "on" : "off");
    return CLI_DONE;
}

static cli_outcome set_format(cli_state *cli, const char *arg)
{
    if (arg[0] == '\0') {
        printf("Output format is %s.\n", cli_format_name(cli->format));
        return CLI_DONE;
    }
    if (!cli_format_parse(arg, &cli->format)) {
        fprintf(stderr, "Error: unknown format '%s' (table, csv, tsv, json, ndjson)\n", arg);
        return CLI_FAILED;
    }
    printf("Output format is %s.\n", cli_format_name(cli->format));
    return CLI_DONE;
}

/* Runs generated SQL (no file position to report). */
static cli_outcome run_sql(cli_state *cli, const char *sql)
{
    return cli_run_statement(cli, sql, strlen(sql), NULL);
}

static cli_outcome describe(cli_state *cli, const char *name)
{
    static const char prefix[] = "SHOW COLUMNS FROM ";
    size_t len = strlen(prefix) + strlen(name) + 1;
    char *sql = malloc(len);
    if (sql == NULL) {
        fputs("quiver: out of memory\n", stderr);
        exit(CLI_EXIT_ERROR);
    }
    snprintf(sql, len, "%s%s", prefix, name);
    cli_outcome outcome = run_sql(cli, sql);
    free(sql);
    return outcome;
}

static cli_outcome dispatch(cli_state *cli, const char *command, const char *arg)
{
    if (strcmp(command, "q") == 0 && arg[0] == '\0')
        return CLI_QUIT;
    if (strcmp(command, "?") == 0 && arg[0] == '\0') {
        fputs(help_text, stdout);
        return CLI_DONE;
    }
    if (strcmp(command, "d") == 0)
        return arg[0] == '\0' ? run_sql(cli, "SHOW TABLES") : describe(cli, arg);
    if (strcmp(command, "dt") == 0 && arg[0] == '\0')
        return run_sql(cli, list_user_tables_sql);
    if (strcmp(command, "i") == 0 && arg[0] != '\0')
        return cli_run_path(cli, arg);
    if (strcmp(command, "timing") == 0)
        return set_switch(command, arg, &cli->timing, "Timing");
    if (strcmp(command, "quiet") == 0)
        return set_switch(command, arg, &cli->quiet, "Quiet mode");
    if (strcmp(command, "format") == 0)
        return set_format(cli, arg);
    if (strcmp(command, "pset") == 0 && strncmp(arg, "format", 6) == 0 &&
        (arg[6] == '\0' || isspace((unsigned char)arg[6]))) {
        const char *name = arg + 6;
        while (isspace((unsigned char)*name))
            name++;
        return set_format(cli, name);
    }
    fprintf(stderr, "Error: unknown command or wrong arguments: \\%s%s%s (\\? for help)\n", command,
            arg[0] != '\0' ? " " : "", arg);
    return CLI_FAILED;
}

cli_outcome cli_run_command(cli_state *cli, const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    size_t len = strlen(line);
    char *text = malloc(len + 1);
    if (text == NULL) {
        fputs("quiver: out of memory\n", stderr);
        exit(CLI_EXIT_ERROR);
    }
    memcpy(text, line, len + 1);
    /* Trailing spaces and a habitual ';' are not part of the argument. */
    while (len > 0 && (isspace((unsigned char)text[len - 1]) || text[len - 1] == ';'))
        text[--len] = '\0';
    char *command = text + 1; /* after the backslash */
    char *arg = command;
    while (*arg != '\0' && !isspace((unsigned char)*arg))
        arg++;
    if (*arg != '\0') {
        *arg++ = '\0';
        while (isspace((unsigned char)*arg))
            arg++;
    }
    cli_outcome outcome = dispatch(cli, command, arg);
    fflush(stdout);
    free(text);
    return outcome;
}
