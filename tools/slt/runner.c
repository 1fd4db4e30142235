/*
 * runner.c — quiver-slt's full run mode (see runner.h): the parent side.
 * Each file is a file_run; up to opts->jobs of them have a child process at
 * a time. The parent polls the children's pipes, records each record's
 * outcome as it is reported, kills a child whose record overruns the
 * per-record timeout (or whose file overruns the per-file one), and starts a
 * new child after the record that crashed or hung. It never touches the
 * engine itself, so forking is safe (no engine threads in the parent).
 */
#define _GNU_SOURCE

#include "runner.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "complete.h"
#include "slt_reader.h"
#include "workspace.h"

typedef struct file_run {
    char *path;
    slt_file file;
    bool loaded;
    char *root; /* WORKSPACE_ROOT or NULL */
    char *cwd;
    slt_strv roots;
    char *log_path;
    slt_outcome *outcome; /* per record */
    bool *lenient;
    char **completions;
    slt_strv failures; /* the first opts->show_failures descriptions */
    size_t n_failures;
    slt_strv notes;
    /* the current child */
    pid_t pid;
    int fd;
    slt_buf inbuf;
    size_t next;  /* first record of the next child */
    long current; /* record in flight, -1 when none */
    bool got_end;
    bool got_message; /* the current child has reported anything */
    char *setup_error;
    long log_offset;
    double last_event;
    double started;
    bool finished;
    slt_file_result result;
} file_run;

typedef struct run_state {
    const slt_run_options *opts;
    slt_workspace ws;
    slt_engine_config config;
    const char **labels; /* NULL-terminated view of opts->labels */
    file_run *runs;
    size_t n_runs;
} run_state;

/* Set by SIGINT / SIGTERM / SIGHUP, or when stdout is gone: the run stops,
 * kills its children and removes its work directory. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

/* ---- per-file bookkeeping ---- */

static void add_failure(const run_state *st, file_run *run, char *description)
{
    run->n_failures++;
    if (run->failures.n < st->opts->show_failures)
        slt_strv_push_owned(&run->failures, description);
    else
        free(description);
}

/* The first lines the child wrote to its stderr since it was started (the
 * head of a sanitizer report says what happened and where). */
static char *log_head(const file_run *run)
{
    FILE *f = fopen(run->log_path, "rb");
    if (f == NULL)
        return slt_xstrdup("");
    fseek(f, run->log_offset, SEEK_SET);
    slt_buf b = {0};
    char line[512];
    for (int n = 0; n < 15 && fgets(line, sizeof line, f) != NULL;) {
        if (line[0] == '\n')
            continue;
        slt_buf_adds(&b, line);
        if (strchr(line, '\n') != NULL)
            n++;
    }
    fclose(f);
    return slt_buf_take(&b);
}

static char *describe_exit(int status)
{
    slt_buf b = {0};
    if (WIFSIGNALED(status))
        slt_buf_addf(&b, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (WIFEXITED(status))
        slt_buf_addf(&b, "exit status %d", WEXITSTATUS(status));
    else
        slt_buf_adds(&b, "unknown status");
    return slt_buf_take(&b);
}

/* A failure description for a record that crashed or hung. */
static char *describe_abort(const run_state *st, const file_run *run, long record, const char *what)
{
    const slt_record *rec = &run->file.records[record];
    slt_buf b = {0};
    slt_buf_addf(&b, "  %s:%d: %s\n", rec->path, rec->line, what);
    size_t n = 0;
    for (const char *p = rec->sql; *p != '\0' && n < st->opts->max_lines; n++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        slt_buf_addf(&b, "    %s%.*s\n", n == 0 ? "sql: " : "     ", (int)len, p);
        p = nl != NULL ? nl + 1 : p + len;
    }
    char *tail = log_head(run);
    if (tail[0] != '\0') {
        slt_buf_addf(&b, "    stderr (%s):\n", run->log_path);
        for (char *line = strtok(tail, "\n"); line != NULL; line = strtok(NULL, "\n"))
            slt_buf_addf(&b, "        %s\n", line);
    }
    free(tail);
    return slt_buf_take(&b);
}

/* Notes that the records from run->next on could not be run. */
static void abandon_rest(const run_state *st, file_run *run, const char *reason)
{
    if (run->next >= run->file.n_records)
        return;
    size_t to_run = 0;
    for (size_t i = run->next; i < run->file.n_records; i++)
        to_run +=
            slt_record_skip(&run->file.records[i], st->opts->run_explain) == SLT_OUTCOME_NOT_RUN;
    if (to_run == 0)
        return;
    slt_buf b = {0};
    slt_buf_addf(&b, "  %s:%d: %zu records from here on not run: %s\n",
                 run->file.records[run->next].path, run->file.records[run->next].line, to_run,
                 reason);
    add_failure(st, run, slt_buf_take(&b));
}

static void finish(run_state *st, file_run *run);

static void spawn(run_state *st, file_run *run)
{
    if (run->next >= run->file.n_records) {
        finish(st, run);
        return;
    }
    struct stat log_st;
    run->log_offset = stat(run->log_path, &log_st) == 0 ? (long)log_st.st_size : 0;
    slt_child_job job = {&run->file,
                         run->next,
                         st->opts->engine,
                         &st->config,
                         run->cwd,
                         (const char *const *)run->roots.items,
                         run->roots.n,
                         &st->opts->prelude,
                         st->opts->run_explain,
                         st->opts->complete,
                         st->opts->max_lines,
                         run->log_path};
    char err[512];
    run->current = -1;
    run->got_end = false;
    run->got_message = false;
    run->last_event = slt_now();
    run->pid = slt_child_spawn(&job, &run->fd, err, sizeof err);
    if (run->pid < 0) {
        abandon_rest(st, run, err);
        finish(st, run);
    }
}

static void start_file(run_state *st, file_run *run, size_t index)
{
    const slt_run_options *opts = st->opts;
    run->started = slt_now();
    run->pid = -1;
    run->fd = -1;
    run->result.path = slt_xstrdup(run->path);
    slt_read_options read_opts = {opts->dialect >= 0 ? (slt_dialect)opts->dialect
                                                     : slt_dialect_of_path(run->path),
                                  st->labels};
    char err[1024];
    if (!slt_file_read_ex(run->path, &read_opts, &run->file, err, sizeof err)) {
        slt_strv_push(&run->notes, err);
        run->result.error = true;
        run->finished = true;
        return;
    }
    run->loaded = true;
    run->root = opts->workspace_root != NULL ? slt_xstrdup(opts->workspace_root)
                                             : slt_workspace_detect_root(run->path);
    if (!slt_workspace_prepare(&st->ws, run->root, run->path, &run->cwd, &run->roots, err,
                               sizeof err)) {
        slt_strv_push(&run->notes, err);
        run->result.error = true;
        run->finished = true;
        return;
    }
    char log[4096];
    snprintf(log, sizeof log, "%s/logs/%zu.stderr", st->ws.work_dir, index);
    run->log_path = slt_xstrdup(log);
    size_t n = run->file.n_records;
    run->outcome = slt_xcalloc(n, sizeof *run->outcome);
    run->lenient = slt_xcalloc(n, sizeof *run->lenient);
    run->completions = slt_xcalloc(n, sizeof *run->completions);
    spawn(st, run);
}

static void handle_message(const run_state *st, file_run *run, slt_msg *msg)
{
    run->last_event = slt_now();
    run->got_message = true;
    size_t n = run->file.n_records;
    switch (msg->type) {
    case SLT_MSG_START:
        if (msg->record < n)
            run->current = (long)msg->record;
        break;
    case SLT_MSG_DONE:
        if (msg->record >= n)
            break;
        run->outcome[msg->record] = msg->outcome;
        run->lenient[msg->record] = msg->lenient;
        if (msg->outcome == SLT_OUTCOME_FAIL)
            add_failure(st, run, msg->detail != NULL ? msg->detail : slt_xstrdup("  failed\n"));
        else
            free(msg->detail);
        msg->detail = NULL;
        run->completions[msg->record] = msg->completion;
        msg->completion = NULL;
        run->current = -1;
        run->next = msg->record + 1;
        break;
    case SLT_MSG_SETUP:
        free(run->setup_error);
        run->setup_error = msg->detail;
        msg->detail = NULL;
        break;
    case SLT_MSG_END:
        run->got_end = true;
        break;
    }
}

/* Waits for the child, killing it when it does not exit within a grace
 * period (leak checkers may take a while at exit). */
static int reap(pid_t pid)
{
    int status = 0;
    for (int waited = 0; waited < 3000; waited++) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid || (got < 0 && errno != EINTR))
            return status;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return status;
}

static void close_child(file_run *run)
{
    if (run->fd >= 0)
        close(run->fd);
    run->fd = -1;
    run->pid = -1;
    slt_buf_free(&run->inbuf);
}

static void child_gone(run_state *st, file_run *run, int status)
{
    close_child(run);
    char *how = describe_exit(status);
    if (run->got_end) {
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            /* Typically a leak report at exit: show its end. */
            slt_buf b = {0};
            slt_buf_addf(&b, "the child ended with %s after its last record; its stderr:", how);
            char *tail = log_head(run);
            for (char *line = strtok(tail, "\n"); line != NULL; line = strtok(NULL, "\n"))
                slt_buf_addf(&b, "\n        %s", line);
            free(tail);
            /* A sanitizer report at exit (a leak) is a bug: it fails the
             * file's last executed record, so our own tests cannot pass
             * with it. */
            for (size_t i = run->file.n_records; i-- > 0;)
                if (run->outcome[i] == SLT_OUTCOME_PASS || run->outcome[i] == SLT_OUTCOME_FAIL) {
                    run->outcome[i] = SLT_OUTCOME_CRASH;
                    break;
                }
            add_failure(st, run, slt_xstrdup(slt_buf_cstr(&b)));
            slt_strv_push_owned(&run->notes, slt_buf_take(&b));
        }
        finish(st, run);
    } else if (run->setup_error != NULL) {
        slt_buf b = {0};
        slt_buf_addf(&b, "session setup failed: %s", run->setup_error);
        abandon_rest(st, run, slt_buf_cstr(&b));
        slt_buf_free(&b);
        finish(st, run);
    } else if (run->current >= 0) {
        slt_buf b = {0};
        slt_buf_addf(&b, "crashed: %s", how);
        run->outcome[run->current] = SLT_OUTCOME_CRASH;
        add_failure(st, run, describe_abort(st, run, run->current, slt_buf_cstr(&b)));
        slt_buf_free(&b);
        run->next = (size_t)run->current + 1;
        spawn(st, run);
    } else if (!run->got_message) {
        slt_buf b = {0};
        slt_buf_addf(&b, "session setup crashed: %s (see %s)", how, run->log_path);
        abandon_rest(st, run, slt_buf_cstr(&b));
        slt_buf_free(&b);
        finish(st, run);
    } else {
        spawn(st, run); /* died between two records: carry on */
    }
    free(how);
}

static void check_timeouts(run_state *st, file_run *run)
{
    double now = slt_now();
    bool file_over = now - run->started > st->opts->file_timeout;
    bool record_over = now - run->last_event > st->opts->record_timeout;
    if (run->pid <= 0 || (!file_over && !record_over))
        return;
    kill(run->pid, SIGKILL);
    reap(run->pid);
    close_child(run);
    char what[128];
    if (run->current >= 0) {
        snprintf(what, sizeof what, "timed out after %.0f s (killed)",
                 file_over ? now - run->started : now - run->last_event);
        run->outcome[run->current] = SLT_OUTCOME_TIMEOUT;
        add_failure(st, run, describe_abort(st, run, run->current, what));
        run->next = (size_t)run->current + 1;
    }
    if (file_over) {
        snprintf(what, sizeof what, "the file timeout (%.0f s) expired", st->opts->file_timeout);
        abandon_rest(st, run, what);
        finish(st, run);
    } else if (run->current < 0) {
        snprintf(what, sizeof what, "no progress for %.0f s (session setup hung?)",
                 st->opts->record_timeout);
        abandon_rest(st, run, what);
        finish(st, run);
    } else {
        spawn(st, run);
    }
}

static void read_child(run_state *st, file_run *run)
{
    char chunk[65536];
    ssize_t got = read(run->fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR)
        return;
    if (got > 0) {
        slt_buf_add(&run->inbuf, chunk, (size_t)got);
        size_t pos = 0, used;
        slt_msg msg;
        while (slt_msg_decode(run->inbuf.data + pos, run->inbuf.len - pos, &used, &msg)) {
            handle_message(st, run, &msg);
            slt_msg_free(&msg);
            pos += used;
        }
        memmove(run->inbuf.data, run->inbuf.data + pos, run->inbuf.len - pos);
        run->inbuf.len -= pos;
        return;
    }
    child_gone(st, run, reap(run->pid));
}

static void count_results(const run_state *st, file_run *run)
{
    slt_file_result *r = &run->result;
    for (size_t i = 0; i < run->file.n_records; i++) {
        const slt_record *rec = &run->file.records[i];
        slt_outcome skip = slt_record_skip(rec, st->opts->run_explain);
        slt_outcome o = run->outcome[i];
        r->records++;
        if (skip != SLT_OUTCOME_NOT_RUN) {
            r->skipped++;
            r->skipped_explain += skip == SLT_OUTCOME_SKIP_EXPLAIN;
            continue;
        }
        r->attempted++;
        r->queries += rec->kind == SLT_QUERY;
        if (o == SLT_OUTCOME_PASS) {
            r->passed++;
            r->queries_passed += rec->kind == SLT_QUERY;
        }
        r->passed_lenient += o == SLT_OUTCOME_PASS || (o == SLT_OUTCOME_FAIL && run->lenient[i]);
        r->crashes += o == SLT_OUTCOME_CRASH;
        r->timeouts += o == SLT_OUTCOME_TIMEOUT;
    }
    r->failed = r->attempted - r->passed;
}

static void complete_file(file_run *run)
{
    bool any = false;
    for (size_t i = 0; i < run->file.n_records && !any; i++)
        any = run->completions[i] != NULL;
    if (!any)
        return;
    char *corpus_root = slt_workspace_detect_root(run->path);
    bool ours = corpus_root == NULL && run->file.dialect == SLT_DIALECT_DATAFUSION;
    free(corpus_root);
    if (!ours) {
        slt_strv_push(&run->notes, "--complete leaves corpus and SQLite-dialect files alone");
        return;
    }
    char err[512];
    long n = slt_complete_file(&run->file, run->completions, err, sizeof err);
    slt_buf b = {0};
    if (n < 0)
        slt_buf_addf(&b, "--complete failed: %s", err);
    else
        slt_buf_addf(&b, "--complete rewrote %ld records", n);
    slt_strv_push_owned(&run->notes, slt_buf_take(&b));
}

static void finish(run_state *st, file_run *run)
{
    if (run->finished)
        return;
    count_results(st, run);
    if (st->opts->complete)
        complete_file(run);
    run->result.seconds = slt_now() - run->started;
    run->finished = true;
}

static void print_run(const run_state *st, file_run *run)
{
    const slt_file_result *r = &run->result;
    if (r->error) {
        printf("%s: could not be run\n", r->path);
    } else {
        printf("%s: %zu passed, %zu failed, %zu skipped", r->path, r->passed, r->failed,
               r->skipped);
        if (r->passed_lenient != r->passed || r->crashes || r->timeouts) {
            printf(" (lenient %zu passed", r->passed_lenient);
            if (r->crashes)
                printf(", %zu crashed", r->crashes);
            if (r->timeouts)
                printf(", %zu timed out", r->timeouts);
            printf(")");
        }
        printf(" [%.1f s]\n", r->seconds);
    }
    if (!st->opts->quiet) {
        for (size_t i = 0; i < run->failures.n; i++)
            fputs(run->failures.items[i], stdout);
        if (run->n_failures > run->failures.n)
            printf("  ... and %zu more failures\n", run->n_failures - run->failures.n);
    }
    for (size_t i = 0; i < run->notes.n; i++)
        printf("  note: %s\n", run->notes.items[i]);
    if (fflush(stdout) != 0 || ferror(stdout))
        stop_signal = SIGPIPE; /* nobody is reading the report any more */
}

static void release_run(file_run *run)
{
    for (size_t i = 0; run->completions != NULL && i < run->file.n_records; i++)
        free(run->completions[i]);
    free(run->completions);
    free(run->outcome);
    free(run->lenient);
    if (run->loaded)
        slt_file_free(&run->file);
    free(run->root);
    free(run->cwd);
    free(run->log_path);
    free(run->setup_error);
    slt_strv_free(&run->roots);
    slt_strv_free(&run->failures);
    slt_strv_free(&run->notes);
    slt_buf_free(&run->inbuf);
    free(run->path);
    /* Idempotent: only the result (and whether it is final) survives. */
    slt_file_result result = run->result;
    bool finished = run->finished;
    memset(run, 0, sizeof *run);
    run->result = result;
    run->finished = finished;
}

/* Collects and filters the files; false when a path does not exist. */
static bool collect(const slt_run_options *opts, char **paths, size_t n_paths, char ***files,
                    size_t *n_files)
{
    size_t cap = 0, n_all = 0;
    char **all = NULL;
    bool ok = true;
    for (size_t i = 0; i < n_paths; i++) {
        if (!slt_collect_files(paths[i], &all, &n_all, &cap)) {
            fprintf(stderr, "quiver-slt: cannot read %s\n", paths[i]);
            ok = false;
        }
    }
    *files = slt_xmalloc((n_all ? n_all : 1) * sizeof **files);
    *n_files = 0;
    for (size_t i = 0; i < n_all; i++) {
        if (slt_path_selected(opts, all[i]))
            (*files)[(*n_files)++] = all[i];
        else
            free(all[i]);
    }
    free(all);
    return ok;
}

static void run_all(run_state *st)
{
    size_t jobs = st->opts->jobs > 0 ? (size_t)st->opts->jobs : 1;
    size_t next_file = 0, printed = 0;
    struct pollfd *fds = slt_xcalloc(jobs, sizeof *fds);
    file_run **owners = slt_xcalloc(jobs, sizeof *owners);
    while (printed < st->n_runs && !stop_signal) {
        size_t active = 0;
        for (size_t i = printed; i < next_file; i++)
            active += !st->runs[i].finished;
        while (active < jobs && next_file < st->n_runs) {
            start_file(st, &st->runs[next_file], next_file);
            active += !st->runs[next_file].finished;
            next_file++;
        }
        while (printed < st->n_runs && st->runs[printed].finished) {
            print_run(st, &st->runs[printed]);
            release_run(&st->runs[printed]);
            printed++;
        }
        size_t n_fds = 0;
        double wait = 1.0, now = slt_now();
        for (size_t i = printed; i < next_file; i++) {
            file_run *run = &st->runs[i];
            if (run->finished || run->pid <= 0)
                continue;
            fds[n_fds] = (struct pollfd){run->fd, POLLIN, 0};
            owners[n_fds++] = run;
            double left = run->last_event + st->opts->record_timeout - now;
            double file_left = run->started + st->opts->file_timeout - now;
            wait = left < wait ? left : wait;
            wait = file_left < wait ? file_left : wait;
        }
        if (n_fds == 0)
            continue;
        int ready = poll(fds, n_fds, wait > 0 ? (int)(wait * 1000) + 1 : 0);
        for (size_t k = 0; ready > 0 && k < n_fds; k++) {
            if (fds[k].revents != 0 && owners[k]->fd == fds[k].fd && !owners[k]->finished)
                read_child(st, owners[k]);
        }
        for (size_t k = 0; k < n_fds; k++) {
            if (!owners[k]->finished)
                check_timeouts(st, owners[k]);
        }
    }
    for (size_t i = printed; stop_signal && i < next_file; i++) {
        file_run *run = &st->runs[i];
        if (!run->finished && run->pid > 0) {
            kill(run->pid, SIGKILL);
            reap(run->pid);
            close_child(run);
        }
    }
    free(fds);
    free(owners);
}

static int conclude(const slt_run_options *opts, slt_file_result *results, size_t n,
                    bool had_errors)
{
    char err[1024];
    int code = had_errors ? 1 : 0;
    for (size_t i = 0; i < n; i++)
        code |= results[i].error;
    if (opts->tsv_path != NULL && !slt_tsv_write(opts->tsv_path, results, n, err, sizeof err)) {
        fprintf(stderr, "quiver-slt: %s\n", err);
        code = 1;
    }
    bool compared = false;
    if (opts->baseline_path != NULL) {
        FILE *probe = fopen(opts->baseline_path, "rb");
        if (probe == NULL) {
            printf("warning: no baseline at %s; nothing to compare against\n", opts->baseline_path);
        } else {
            fclose(probe);
            slt_file_result *base = NULL;
            size_t n_base = 0;
            if (!slt_tsv_read(opts->baseline_path, &base, &n_base, err, sizeof err)) {
                fprintf(stderr, "quiver-slt: %s\n", err);
                code = 1;
            } else {
                compared = true;
                if (slt_baseline_compare(base, n_base, results, n, stdout) > 0)
                    code = 1;
                slt_results_free(base, n_base);
            }
        }
    }
    if (opts->write_baseline_path != NULL) {
        if (slt_baseline_write(opts->write_baseline_path, results, n, err, sizeof err))
            printf("baseline written to %s\n", opts->write_baseline_path);
        else {
            fprintf(stderr, "quiver-slt: %s\n", err);
            code = 1;
        }
    }
    if (opts->baseline_path == NULL && opts->write_baseline_path == NULL && !compared) {
        for (size_t i = 0; i < n; i++)
            code |= results[i].failed > 0;
    }
    slt_print_totals(stdout, results, n);
    return code;
}

int slt_run(const slt_run_options *opts, char **paths, size_t n_paths, slt_file_result **results,
            size_t *n_results)
{
    run_state st;
    memset(&st, 0, sizeof st);
    st.opts = opts;
    char **files = NULL;
    size_t n_files = 0;
    bool had_errors = !collect(opts, paths, n_paths, &files, &n_files);
    char err[1024];
    if (!slt_workspace_init(&st.ws, opts->work_dir, opts->in_place, err, sizeof err)) {
        fprintf(stderr, "quiver-slt: %s\n", err);
        for (size_t i = 0; i < n_files; i++)
            free(files[i]);
        free(files);
        return 2;
    }
    char logs[4096];
    snprintf(logs, sizeof logs, "%s/logs", st.ws.work_dir);
    slt_make_dirs(logs);
    st.config = (slt_engine_config){(const char *const *)opts->settings.items, opts->settings.n,
                                    opts->runner_defaults};
    st.labels = slt_xcalloc(opts->labels.n + 1, sizeof *st.labels);
    for (size_t i = 0; i < opts->labels.n; i++)
        st.labels[i] = opts->labels.items[i];
    st.n_runs = n_files;
    st.runs = slt_xcalloc(n_files ? n_files : 1, sizeof *st.runs);
    for (size_t i = 0; i < n_files; i++)
        st.runs[i].path = files[i]; /* owned by the run from now on */
    free(files);

    struct sigaction stop_action, old_actions[4];
    memset(&stop_action, 0, sizeof stop_action);
    stop_action.sa_handler = on_stop_signal; /* no SA_RESTART: poll returns EINTR */
    sigemptyset(&stop_action.sa_mask);
    const int stop_signals[3] = {SIGINT, SIGTERM, SIGHUP};
    for (int k = 0; k < 3; k++)
        sigaction(stop_signals[k], &stop_action, &old_actions[k]);
    struct sigaction ignore_pipe;
    memset(&ignore_pipe, 0, sizeof ignore_pipe);
    ignore_pipe.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore_pipe, &old_actions[3]);
    stop_signal = 0;

    run_all(&st);

    for (int k = 0; k < 3; k++)
        sigaction(stop_signals[k], &old_actions[k], NULL);
    sigaction(SIGPIPE, &old_actions[3], NULL);
    if (stop_signal) {
        int sig = stop_signal;
        for (size_t i = 0; i < n_files; i++) {
            release_run(&st.runs[i]);
            free(st.runs[i].result.path);
        }
        free(st.runs);
        free(st.labels);
        slt_workspace_cleanup(&st.ws);
        if (sig != SIGPIPE)
            fprintf(stderr, "quiver-slt: stopped by signal %d\n", sig);
        if (results != NULL) {
            *results = NULL;
            *n_results = 0;
        }
        return 128 + sig;
    }

    slt_file_result *all = slt_xmalloc((n_files ? n_files : 1) * sizeof *all);
    for (size_t i = 0; i < n_files; i++)
        all[i] = st.runs[i].result;
    int code = conclude(opts, all, n_files, had_errors);
    if (results != NULL) {
        *results = all;
        *n_results = n_files;
    } else {
        slt_results_free(all, n_files);
    }
    free(st.runs);
    free(st.labels);
    slt_workspace_cleanup(&st.ws);
    return code;
}
