/*
 * child.h — the process that runs the records of one file for quiver-slt,
 * and the messages it sends its parent through a pipe.
 *
 * The parent forks one child per file (and a new one after a crash or a
 * timeout). The child chdirs to the file's working directory, opens a fresh
 * engine session (settings, the harness fixtures the file needs, the
 * prelude), then runs the records from a given index on, announcing each
 * (START) before it runs and reporting its verdict (DONE) after, so that the
 * parent always knows which record a crash or hang belongs to. Messages are
 * frames: u32 type, u32 record index, u32 payload length, payload.
 */
#ifndef QV_SLT_CHILD_H
#define QV_SLT_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine.h"
#include "slt_reader.h"
#include "slt_util.h"

/* What became of a record. */
typedef enum slt_outcome {
    SLT_OUTCOME_NOT_RUN, /* never started (setup failure, file timeout) */
    SLT_OUTCOME_PASS,
    SLT_OUTCOME_FAIL,
    SLT_OUTCOME_SKIP_LABEL,   /* skipif / onlyif */
    SLT_OUTCOME_SKIP_EXPLAIN, /* EXPLAIN records are skipped by policy */
    SLT_OUTCOME_CRASH,        /* the child died while running it */
    SLT_OUTCOME_TIMEOUT,      /* killed after the per-record timeout */
} slt_outcome;

typedef enum slt_msg_type {
    SLT_MSG_START = 1, /* about to run record `record` */
    SLT_MSG_DONE = 2,  /* payload: outcome, lenient, detail, completion */
    SLT_MSG_SETUP = 3, /* the session could not be set up; payload: the reason */
    SLT_MSG_END = 4,   /* every record was handled */
} slt_msg_type;

/* A decoded message; strings are owned (free with slt_msg_free). */
typedef struct slt_msg {
    slt_msg_type type;
    uint32_t record;
    slt_outcome outcome;
    bool lenient;     /* DONE: passes in the lenient error mode */
    char *detail;     /* DONE (failure): the description; SETUP: the reason */
    char *completion; /* DONE (failure, --complete): the record's new text, or NULL */
} slt_msg;

typedef struct slt_child_job {
    const slt_file *file;
    size_t first_record;
    const slt_engine *engine;
    const slt_engine_config *config;
    const char *cwd;          /* chdir here first */
    const char *const *roots; /* shown as WORKSPACE_ROOT */
    size_t n_roots;
    const slt_strv *prelude; /* SQL run after the fixtures; a failure fails the setup */
    bool run_explain;        /* attempt EXPLAIN records */
    bool want_completion;
    size_t max_lines;        /* lines per block in failure descriptions */
    const char *stderr_path; /* the child's stderr is appended here (NULL: inherited) */
} slt_child_job;

/* Forks a child that runs job and exits. Returns its pid and the read end of
 * its pipe in *read_fd (the parent owns it), or -1 with a message in err. */
pid_t slt_child_spawn(const slt_child_job *job, int *read_fd, char *err, size_t err_size);

/* Why a record is not attempted: SLT_OUTCOME_SKIP_LABEL, SLT_OUTCOME_SKIP_EXPLAIN,
 * or SLT_OUTCOME_NOT_RUN when it is to be run. */
slt_outcome slt_record_skip(const slt_record *rec, bool run_explain);

/* The SQL that creates the harness fixtures DataFusion's runner registers for
 * the file (FIXTURES.md), by file name; appended to out. Only plain tables are
 * provided (joins.slt: test_partition_table). */
void slt_fixture_sql(const char *file_path, slt_strv *out);

/* Decodes the first complete frame of buf[0, len). Returns false when more
 * bytes are needed; else fills *msg and sets *consumed. */
bool slt_msg_decode(const char *buf, size_t len, size_t *consumed, slt_msg *msg);
void slt_msg_free(slt_msg *msg);

/* Encodes a frame into b (exposed for tests). */
void slt_msg_encode(slt_buf *b, slt_msg_type type, uint32_t record, slt_outcome outcome,
                    bool lenient, const char *detail, const char *completion);

#endif /* QV_SLT_CHILD_H */
