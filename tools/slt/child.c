/*
 * child.c — the per-file child process of quiver-slt and its pipe protocol
 * (see child.h).
 */
#define _GNU_SOURCE

#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "eval.h"

#define NO_STRING 0xFFFFFFFFu

static void put_u32(slt_buf *b, uint32_t v)
{
    slt_buf_add(b, (const char *)&v, sizeof v);
}

static uint32_t get_u32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static void put_string(slt_buf *b, const char *s)
{
    if (s == NULL) {
        put_u32(b, NO_STRING);
        return;
    }
    put_u32(b, (uint32_t)strlen(s));
    slt_buf_adds(b, s);
}

void slt_msg_encode(slt_buf *b, slt_msg_type type, uint32_t record, slt_outcome outcome,
                    bool lenient, const char *detail, const char *completion)
{
    slt_buf payload = {0};
    if (type == SLT_MSG_DONE || type == SLT_MSG_SETUP) {
        slt_buf_addc(&payload, (char)outcome);
        slt_buf_addc(&payload, (char)lenient);
        put_string(&payload, detail);
        put_string(&payload, completion);
    }
    put_u32(b, (uint32_t)type);
    put_u32(b, record);
    put_u32(b, (uint32_t)payload.len);
    slt_buf_add(b, slt_buf_cstr(&payload), payload.len);
    slt_buf_free(&payload);
}

/* Reads a string at *pos within payload[0, len); false when malformed. */
static bool take_string(const char *payload, size_t len, size_t *pos, char **out)
{
    if (*pos + 4 > len)
        return false;
    uint32_t n = get_u32(payload + *pos);
    *pos += 4;
    if (n == NO_STRING) {
        *out = NULL;
        return true;
    }
    if (*pos + n > len)
        return false;
    *out = slt_xstrndup(payload + *pos, n);
    *pos += n;
    return true;
}

bool slt_msg_decode(const char *buf, size_t len, size_t *consumed, slt_msg *msg)
{
    memset(msg, 0, sizeof *msg);
    if (len < 12)
        return false;
    uint32_t payload_len = get_u32(buf + 8);
    if (len < 12 + (size_t)payload_len)
        return false;
    msg->type = (slt_msg_type)get_u32(buf);
    msg->record = get_u32(buf + 4);
    const char *payload = buf + 12;
    if (payload_len >= 2) {
        msg->outcome = (slt_outcome)(unsigned char)payload[0];
        msg->lenient = payload[1] != 0;
        size_t pos = 2;
        if (!take_string(payload, payload_len, &pos, &msg->detail) ||
            !take_string(payload, payload_len, &pos, &msg->completion)) {
            slt_msg_free(msg);
            msg->detail = slt_xstrdup("malformed message from the child process");
        }
    }
    *consumed = 12 + (size_t)payload_len;
    return true;
}

void slt_msg_free(slt_msg *msg)
{
    free(msg->detail);
    free(msg->completion);
    msg->detail = msg->completion = NULL;
}

slt_outcome slt_record_skip(const slt_record *rec, bool run_explain)
{
    if (rec->skipped)
        return SLT_OUTCOME_SKIP_LABEL;
    if (rec->explain && !run_explain)
        return SLT_OUTCOME_SKIP_EXPLAIN;
    return SLT_OUTCOME_NOT_RUN;
}

void slt_fixture_sql(const char *file_path, slt_strv *out)
{
    const char *slash = strrchr(file_path, '/');
    const char *name = slash != NULL ? slash + 1 : file_path;
    if (strcmp(name, "joins.slt") != 0)
        return;
    /* DataFusion reads a CSV whose first line (p = 0, i = 0) is taken as the
     * header: 10 rows remain, c1 = 0, c2 = 1..10, c3 = c2 is even. */
    slt_strv_push(out, "CREATE TABLE test_partition_table (c1 INT UNSIGNED NOT NULL, "
                       "c2 BIGINT UNSIGNED NOT NULL, c3 BOOLEAN NOT NULL)");
    slt_buf b = {0};
    slt_buf_adds(&b, "INSERT INTO test_partition_table VALUES ");
    for (int i = 1; i <= 10; i++)
        slt_buf_addf(&b, "%s(0, %d, %s)", i > 1 ? ", " : "", i, i % 2 == 0 ? "true" : "false");
    slt_strv_push_owned(out, slt_buf_take(&b));
}

/* ---- the child itself ---- */

static int pipe_fd = -1;

static void send_msg(slt_msg_type type, uint32_t record, slt_outcome outcome, bool lenient,
                     const char *detail, const char *completion)
{
    slt_buf b = {0};
    slt_msg_encode(&b, type, record, outcome, lenient, detail, completion);
    const char *p = slt_buf_cstr(&b);
    size_t left = b.len;
    while (left > 0) {
        ssize_t n = write(pipe_fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(3); /* the parent is gone */
        p += n;
        left -= (size_t)n;
    }
    slt_buf_free(&b);
}

static void redirect_output(const char *stderr_path)
{
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        close(null_fd);
    }
    if (stderr_path != NULL) {
        int log_fd = open(stderr_path, O_WRONLY | O_CREAT | O_APPEND, 0666);
        if (log_fd >= 0) {
            dup2(log_fd, STDERR_FILENO);
            close(log_fd);
        }
    }
}

/* Opens the session and runs fixtures and prelude; NULL after reporting. */
static void *set_up(const slt_child_job *job)
{
    char errbuf[1200];
    if (chdir(job->cwd) != 0) {
        snprintf(errbuf, sizeof errbuf, "cannot chdir to %s: %s", job->cwd, strerror(errno));
        send_msg(SLT_MSG_SETUP, 0, SLT_OUTCOME_FAIL, false, errbuf, NULL);
        return NULL;
    }
    void *session = job->engine->open(job->config, errbuf, sizeof errbuf);
    if (session == NULL) {
        send_msg(SLT_MSG_SETUP, 0, SLT_OUTCOME_FAIL, false, errbuf, NULL);
        return NULL;
    }
    slt_strv fixtures = {0};
    slt_fixture_sql(job->file->path, &fixtures);
    for (size_t i = 0; i < fixtures.n; i++) {
        /* A fixture the engine cannot build only fails the records using it. */
        slt_output out = {0};
        job->engine->exec(session, fixtures.items[i], &out);
        slt_output_free(&out);
    }
    slt_strv_free(&fixtures);
    for (size_t i = 0; job->prelude != NULL && i < job->prelude->n; i++) {
        slt_output out = {0};
        job->engine->exec(session, job->prelude->items[i], &out);
        if (out.failed) {
            slt_buf b = {0};
            slt_buf_addf(&b, "prelude statement failed: %s: %s", job->prelude->items[i], out.error);
            send_msg(SLT_MSG_SETUP, 0, SLT_OUTCOME_FAIL, false, slt_buf_cstr(&b), NULL);
            slt_buf_free(&b);
            slt_output_free(&out);
            job->engine->close(session);
            return NULL;
        }
        slt_output_free(&out);
    }
    return session;
}

static void run_records(const slt_child_job *job, void *session)
{
    slt_labels labels = {0};
    slt_eval_context ctx = {job->file->dialect, job->roots, job->n_roots, &labels,
                            job->want_completion};
    for (size_t i = job->first_record; i < job->file->n_records; i++) {
        const slt_record *rec = &job->file->records[i];
        slt_outcome skip = slt_record_skip(rec, job->run_explain);
        if (skip != SLT_OUTCOME_NOT_RUN) {
            if (skip == SLT_OUTCOME_SKIP_LABEL)
                slt_eval_skipped(rec, &ctx);
            send_msg(SLT_MSG_DONE, (uint32_t)i, skip, false, NULL, NULL);
            continue;
        }
        send_msg(SLT_MSG_START, (uint32_t)i, SLT_OUTCOME_NOT_RUN, false, NULL, NULL);
        slt_output out = {0};
        job->engine->exec(session, rec->sql, &out);
        slt_verdict verdict;
        slt_eval(rec, &out, &ctx, &verdict);
        char *detail = verdict.passed ? NULL : slt_verdict_describe(rec, &verdict, job->max_lines);
        send_msg(SLT_MSG_DONE, (uint32_t)i, verdict.passed ? SLT_OUTCOME_PASS : SLT_OUTCOME_FAIL,
                 verdict.passed_lenient, detail, verdict.completion);
        free(detail);
        slt_verdict_free(&verdict);
        slt_output_free(&out);
    }
    slt_labels_free(&labels);
}

pid_t slt_child_spawn(const slt_child_job *job, int *read_fd, char *err, size_t err_size)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(err, err_size, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_size, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid > 0) {
        close(fds[1]);
        *read_fd = fds[0];
        return pid;
    }
    close(fds[0]);
    pipe_fd = fds[1];
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    redirect_output(job->stderr_path);
    void *session = set_up(job);
    if (session != NULL) {
        run_records(job, session);
        send_msg(SLT_MSG_END, 0, SLT_OUTCOME_NOT_RUN, false, NULL, NULL);
        job->engine->close(session);
    }
    close(pipe_fd);
    /* exit, not _exit: leak checkers report into the log when they run. */
    exit(0);
}
