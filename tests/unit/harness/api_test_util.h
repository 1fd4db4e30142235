/*
 * api_test_util.h — helpers for the unit tests that drive the engine
 * through quiver.h (tests/unit/session, tests/unit/listing, ...): run a
 * statement to completion, read one integer result, write and remove
 * scratch files. Compiled into every unit runner with the harness.
 */
#ifndef QV_API_TEST_UTIL_H
#define QV_API_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "quiver.h"

/* Runs sql and reads its result to the end; the status of the statement
 * or of reading it (err gets the error). */
qv_status api_test_run(qv_session *s, const char *sql, qv_error *err);

/* The first column (Int64) of the first row of sql's result; -1 when
 * there is no row or on error (err gets the error). */
int64_t api_test_query_int(qv_session *s, const char *sql, qv_error *err);

/* A thread's work for api_test_make_sessions: n_sessions sessions of
 * profile made one after another, each adding sql's api_test_query_int
 * to total; stops at the first session that cannot be made (status). */
typedef struct api_test_session_job {
    qv_profile *profile;
    const char *sql;
    int n_sessions;
    int64_t total;
    qv_status status;
} api_test_session_job;

/* pthread_create's start routine for an api_test_session_job; returns
 * NULL. */
void *api_test_make_sessions(void *job);

/* Writes text to dir/name (replacing it); false on any I/O error. */
bool api_test_write_file(const char *dir, const char *name, const char *text);

/* Removes dir and everything under it; false (and a message on stderr)
 * when it cannot. */
bool api_test_remove_tree(const char *dir);

#endif /* QV_API_TEST_UTIL_H */
