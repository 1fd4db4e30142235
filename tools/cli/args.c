/*
 * args.c — the `quiver` command line: options, --help and --version.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: quiver [OPTIONS]\n"
    "\n"
    "Runs SQL (Apache DataFusion's dialect) on CSV and NDJSON files and in-memory tables.\n"
    "Without -c or -f it reads SQL from standard input: interactively (line editing,\n"
    "history in ~/.quiver_history, \\? for help) when that is a terminal.\n"
    "\n"
    "Options:\n"
    "  -c, --command SQL     run SQL (one or more statements; repeatable) and exit\n"
    "  -f, --file FILE       run the statements of FILE (repeatable) and exit\n"
    "  -d, --data DIR        register every CSV, TSV and NDJSON file of DIR as a table\n"
    "                        named after the file\n"
    "      --format FORMAT   output format: table (default), csv, tsv, json, ndjson\n"
    "      --maxrows N       rows shown in table format (default 40; inf: all)\n"
    "  -q, --quiet           no row counts, timing or banner\n"
    "  -h, --help            print this help and exit\n"
    "  -V, --version         print the version and exit\n"
    "\n"
    "-c and -f run in the order given and stop at the first error.\n"
    "Exit status: 0 success, 1 an SQL or file error, 2 bad usage.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fputs("quiver: ", stderr);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputs("\nTry 'quiver --help' for more information.\n", stderr);
    return CLI_EXIT_USAGE;
}

static void add_step(cli_args *args, cli_step_kind kind, const char *text)
{
    cli_step *steps = realloc(args->steps, (size_t)(args->n_steps + 1) * sizeof *steps);
    if (steps == NULL) {
        fputs("quiver: out of memory\n", stderr);
        exit(CLI_EXIT_ERROR);
    }
    args->steps = steps;
    args->steps[args->n_steps++] = (cli_step){kind, text};
}

/* Matches argv[*i] against a short and a long option that take a value
 * ("-c SQL", "--command SQL", "--command=SQL"). Returns 1 with *value set on
 * a match, 0 when it is another option, -1 when the value is missing. */
static int option_value(int argc, char **argv, int *i, const char *short_name,
                        const char *long_name, const char **value)
{
    const char *arg = argv[*i];
    size_t long_len = strlen(long_name);
    if (strncmp(arg, long_name, long_len) == 0 && arg[long_len] == '=') {
        *value = arg + long_len + 1;
        return 1;
    }
    if (strcmp(arg, long_name) != 0 && (short_name == NULL || strcmp(arg, short_name) != 0))
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

/* A row count, or "inf" / "infinite" / "none" for no limit (-1). */
static bool parse_maxrows(const char *text, int64_t *out)
{
    if (strcasecmp(text, "inf") == 0 || strcasecmp(text, "infinite") == 0 ||
        strcasecmp(text, "none") == 0) {
        *out = -1;
        return true;
    }
    char *end = NULL;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (end == text || *end != '\0' || errno != 0 || n < 0 || text[0] == '-')
        return false;
    *out = n;
    return true;
}

int cli_args_parse(int argc, char **argv, cli_args *args)
{
    memset(args, 0, sizeof *args);
    args->format = CLI_FORMAT_TABLE;
    args->maxrows = 40; /* DataFusion CLI's default */
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        int found;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0) {
            printf("quiver %s\n", qv_version());
            return CLI_EXIT_OK;
        }
        if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            args->quiet = true;
            continue;
        }
        if ((found = option_value(argc, argv, &i, "-c", "--command", &value)) != 0) {
            if (found < 0)
                return usage_error("option '%s' needs an SQL text", arg);
            add_step(args, CLI_STEP_COMMAND, value);
        } else if ((found = option_value(argc, argv, &i, "-f", "--file", &value)) != 0) {
            if (found < 0)
                return usage_error("option '%s' needs a file name", arg);
            add_step(args, CLI_STEP_FILE, value);
        } else if ((found = option_value(argc, argv, &i, "-d", "--data", &value)) != 0) {
            if (found < 0)
                return usage_error("option '%s' needs a directory", arg);
            if (args->data_dir != NULL)
                return usage_error("%s", "--data may be given once");
            args->data_dir = value;
        } else if ((found = option_value(argc, argv, &i, NULL, "--format", &value)) != 0) {
            if (found < 0)
                return usage_error("option '%s' needs a format (table, csv, tsv, json, ndjson)",
                                   arg);
            if (!cli_format_parse(value, &args->format))
                return usage_error("unknown format '%s' (table, csv, tsv, json, ndjson)", value);
        } else if ((found = option_value(argc, argv, &i, NULL, "--maxrows", &value)) != 0) {
            if (found < 0 || !parse_maxrows(value, &args->maxrows))
                return usage_error("option '--maxrows' needs a number of rows or 'inf'");
        } else if (arg[0] == '-') {
            return usage_error("unknown option '%s'", arg);
        } else {
            return usage_error("unexpected argument '%s' (SQL goes after -c)", arg);
        }
    }
    return -1;
}

void cli_args_free(cli_args *args)
{
    free(args->steps);
    args->steps = NULL;
    args->n_steps = 0;
}
