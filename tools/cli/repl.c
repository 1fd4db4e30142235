/*
 * repl.c — the interactive loop on a terminal, with libedit (its native
 * histedit API): emacs key bindings, history kept in ~/.quiver_history (one
 * entry per statement or command, however many lines it took), a
 * continuation prompt while a statement waits for its ';'. Ctrl-C drops the
 * current input; while a query runs it cancels the query at the next batch
 * (the SIGINT handler only sets a flag, which the printer checks). Ctrl-D on
 * an empty line or \q leaves.
 */
#define _POSIX_C_SOURCE 200809L /* sigaction */

#include <errno.h>
#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static volatile sig_atomic_t interrupt_pending;

static void on_sigint(int signo)
{
    (void)signo;
    interrupt_pending = 1;
}

bool cli_take_interrupt(void)
{
    if (!interrupt_pending)
        return false;
    interrupt_pending = 0;
    return true;
}

typedef struct repl {
    cli_state *cli;
    cli_input input;
    char *entry; /* the lines of the statement being typed, for the history */
    size_t entry_len;
} repl;

static const char *prompt(EditLine *el)
{
    repl *r = NULL;
    el_get(el, EL_CLIENTDATA, &r);
    return r != NULL && cli_input_pending(&r->input) ? "   ...> " : "quiver> ";
}

/* ~/.quiver_history, or NULL without $HOME (then there is no history file).
 * The caller frees it. */
static char *history_path(void)
{
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0')
        return NULL;
    static const char name[] = "/.quiver_history";
    size_t len = strlen(home) + sizeof name;
    char *path = malloc(len);
    if (path != NULL)
        snprintf(path, len, "%s%s", home, name);
    return path;
}

/* Adds a line (about to be fed to the input) to the history entry being
 * built. Lines are joined with spaces so that the entry can be recalled and
 * edited as one line, unless the line break means something: inside a
 * string, or after a -- comment. */
static void add_to_entry(repl *r, const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    char *entry = realloc(r->entry, r->entry_len + len + 2);
    if (entry == NULL)
        return; /* the history misses this entry; input goes on */
    r->entry = entry;
    if (r->entry_len > 0)
        r->entry[r->entry_len++] =
            cli_scanner_in_quote(&r->input.scanner) || strstr(r->entry, "--") != NULL ? '\n' : ' ';
    memcpy(r->entry + r->entry_len, line, len);
    r->entry_len += len;
    r->entry[r->entry_len] = '\0';
}

static void end_entry(repl *r, History *history_list)
{
    if (r->entry_len > 0 && !cli_sql_is_blank(r->entry, r->entry_len)) {
        HistEvent event;
        history(history_list, &event, H_ENTER, r->entry);
    }
    r->entry_len = 0;
}

static void install_sigint_handler(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; /* no SA_RESTART: Ctrl-C must end the terminal read */
    sigaction(SIGINT, &action, NULL);
}

void cli_repl(cli_state *cli)
{
    setlocale(LC_CTYPE, ""); /* libedit decodes multibyte input by the locale */
    install_sigint_handler();
    repl r = {.cli = cli};
    cli_input_init(&r.input, NULL);

    HistEvent event;
    History *history_list = history_init();
    history(history_list, &event, H_SETSIZE, 1000);
    history(history_list, &event, H_SETUNIQUE, 1);
    char *path = history_path();
    if (path != NULL)
        history(history_list, &event, H_LOAD, path); /* a missing file is fine */

    EditLine *el = el_init("quiver", stdin, stdout, stderr);
    el_set(el, EL_CLIENTDATA, &r);
    el_set(el, EL_PROMPT, prompt);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_SIGNAL, 1);
    el_set(el, EL_HIST, history, history_list);
    el_source(el, NULL); /* ~/.editrc */

    for (;;) {
        int count = 0;
        (void)cli_take_interrupt();
        errno = 0;
        const char *line = el_gets(el, &count);
        if (line == NULL && count < 0 && errno == EINTR) {
            /* Ctrl-C at the prompt: forget what was typed. */
            cli_input_discard(&r.input);
            r.entry_len = 0;
            fputs("\n", stdout);
            continue;
        }
        if (line == NULL || count <= 0) {
            fputs("\n", stdout);
            break;
        }
        add_to_entry(&r, line, (size_t)count);
        cli_outcome outcome = cli_input_feed(cli, &r.input, line, (size_t)count);
        if (!cli_input_pending(&r.input))
            end_entry(&r, history_list);
        if (outcome == CLI_QUIT)
            break;
    }
    if (path != NULL)
        history(history_list, &event, H_SAVE, path);
    free(path);
    el_end(el);
    history_end(history_list);
    free(r.entry);
    cli_input_free(&r.input);
    signal(SIGINT, SIG_DFL);
}
