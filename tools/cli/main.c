/*
 * main.c — the `quiver` command-line program.
 *
 * Until its own issue (sessions, file tables, the REPL) lands, it says
 * honestly what this build can do: its version and build options; the
 * query engine runs through the C API and quiver-slt, not through this
 * program yet. SQL given on stdin or with -c is refused with a clear message
 * rather than ignored.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "quiver.h"

static void print_banner(FILE *out)
{
    fprintf(out, "quiver %s (%s)\n", qv_version(), qv_build_info());
    fprintf(out, "The query engine runs through the C API (quiver.h) and quiver-slt; this\n"
                 "program cannot run SQL yet. See README.md for what is built so far.\n");
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            printf("quiver %s\n", qv_version());
            return 0;
        }
        if (strcmp(argv[i], "-c") == 0) {
            print_banner(stderr);
            return 2;
        }
    }
    print_banner(stdout);
    if (!isatty(STDIN_FILENO)) {
        char line[4096];
        if (fgets(line, sizeof line, stdin) != NULL) {
            fprintf(stderr, "quiver: this program cannot run SQL yet (use the C API)\n");
            return 2;
        }
    }
    return 0;
}
