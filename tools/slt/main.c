/*
 * main.c — quiver-slt, the sqllogictest tool (tools/slt). Dispatches on the
 * mode; this issue provides the parser modes:
 *   quiver-slt --parse-only [--verbose] [--min-rate R] PATH...
 *   quiver-slt --round-trip [--verbose] [--min-rate R] PATH...
 * PATH is a .slt file or a directory searched recursively. The full runner
 * (executing records and comparing results) will add its mode here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_check.h"

static int usage(void)
{
    fprintf(stderr, "usage: quiver-slt --parse-only|--round-trip [--verbose] [--min-rate PERCENT] "
                    "PATH...\n");
    return 2;
}

int main(int argc, char **argv)
{
    parse_check_options opts = {false, false, 0.0};
    bool parse_mode = false;
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--parse-only") == 0) {
            parse_mode = true;
        } else if (strcmp(argv[i], "--round-trip") == 0) {
            parse_mode = true;
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
    if (!parse_mode || first_path >= argc)
        return usage();
    return parse_check_run(argv + first_path, (size_t)(argc - first_path), &opts);
}
