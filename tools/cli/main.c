/*
 * main.c — the `quiver` command-line program: parses the arguments, opens
 * one runtime, profile and session (with information_schema and file paths
 * as table names on, as DataFusion CLI has them), registers --data tables,
 * then runs the -c / -f steps in order, or standard input: the REPL on a
 * terminal, a script otherwise. Exit status: 0, 1 after an SQL or file
 * error outside the REPL, 2 for bad usage.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_sigmask */

#include <signal.h>
#include <unistd.h>

#include "cli.h"

static void close_engine(cli_state *cli)
{
    qv_session_free(cli->session);
    qv_profile_free(cli->profile);
    qv_runtime_free(cli->runtime);
}

static bool open_engine(cli_state *cli)
{
    qv_error err;
    qv_error_clear(&err);
    /* Worker threads inherit this mask: Ctrl-C must reach the main thread
     * only (it cancels the query there; a worker would ignore it). */
    sigset_t sigint, previous;
    sigemptyset(&sigint);
    sigaddset(&sigint, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigint, &previous);
    qv_status status = qv_runtime_new(NULL, &cli->runtime, &err);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (status == QV_OK)
        status = qv_profile_new(cli->runtime, &cli->profile, &err);
    /* As DataFusion CLI: information_schema (for \d and SHOW) and file paths
     * as table names (SELECT * FROM 'data.csv'). */
    if (status == QV_OK)
        status =
            qv_profile_set(cli->profile, "datafusion.catalog.information_schema", "true", &err);
    if (status == QV_OK)
        status = qv_profile_set(cli->profile, "quiver.catalog.url_table", "true", &err);
    if (status == QV_OK)
        status = qv_session_new(cli->profile, NULL, &cli->session, &err);
    if (status != QV_OK) {
        fprintf(stderr, "quiver: cannot start the engine: %s\n",
                err.message[0] != '\0' ? err.message : qv_status_message(status));
        close_engine(cli);
        return false;
    }
    return true;
}

static cli_outcome run_steps(cli_state *cli, const cli_args *args)
{
    cli_outcome outcome = CLI_DONE;
    for (int k = 0; k < args->n_steps && outcome == CLI_DONE; k++) {
        const cli_step *step = &args->steps[k];
        outcome = step->kind == CLI_STEP_COMMAND ? cli_run_text(cli, step->text)
                                                 : cli_run_path(cli, step->text);
    }
    return outcome;
}

int main(int argc, char **argv)
{
    cli_args args;
    int exit_code = cli_args_parse(argc, argv, &args);
    if (exit_code >= 0) {
        cli_args_free(&args);
        return exit_code;
    }
    cli_state cli = {
        .format = args.format, .maxrows = args.maxrows, .quiet = args.quiet, .timing = true};
    cli.interactive = args.n_steps == 0 && isatty(STDIN_FILENO);
    if (!open_engine(&cli)) {
        cli_args_free(&args);
        return CLI_EXIT_ERROR;
    }
    exit_code = CLI_EXIT_OK;
    if (cli.interactive && !cli.quiet)
        printf("quiver %s: SQL in Apache DataFusion's dialect. \\? for help, \\q to quit.\n",
               qv_version());
    if (args.data_dir != NULL && !cli_register_data_dir(&cli, args.data_dir)) {
        exit_code = CLI_EXIT_ERROR;
    } else if (args.n_steps > 0) {
        if (run_steps(&cli, &args) == CLI_FAILED)
            exit_code = CLI_EXIT_ERROR;
    } else if (cli.interactive) {
        cli_repl(&cli);
    } else if (cli_run_file(&cli, stdin, "<stdin>") == CLI_FAILED) {
        exit_code = CLI_EXIT_ERROR;
    }
    close_engine(&cli);
    cli_args_free(&args);
    return exit_code;
}
