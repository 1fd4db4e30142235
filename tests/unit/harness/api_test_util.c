/*
 * api_test_util.c — helpers for tests through quiver.h (see
 * api_test_util.h).
 */
#include "api_test_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/base.h"

qv_status api_test_run(qv_session *s, const char *sql, qv_error *err)
{
    qv_result *r = NULL;
    QV_TRY(qv_session_sql(s, sql, &r, err));
    qv_status st;
    struct ArrowArray batch;
    do {
        st = qv_result_next(r, &batch, err);
        if (st == QV_OK && batch.release != NULL)
            batch.release(&batch);
    } while (st == QV_OK && batch.release != NULL);
    qv_result_free(r);
    return st;
}

int64_t api_test_query_int(qv_session *s, const char *sql, qv_error *err)
{
    qv_result *r = NULL;
    if (qv_session_sql(s, sql, &r, err) != QV_OK)
        return -1;
    int64_t value = -1;
    struct ArrowArray batch;
    if (qv_result_next(r, &batch, err) == QV_OK && batch.release != NULL) {
        const struct ArrowArray *col = batch.children[0];
        if (batch.length > 0)
            value = ((const int64_t *)col->buffers[1])[col->offset];
        batch.release(&batch);
    }
    qv_result_free(r);
    return value;
}

void *api_test_make_sessions(void *job)
{
    api_test_session_job *j = job;
    qv_error err;
    for (int i = 0; i < j->n_sessions && j->status == QV_OK; i++) {
        qv_session *s = NULL;
        j->status = qv_session_new(j->profile, NULL, &s, &err);
        if (j->status == QV_OK)
            j->total += api_test_query_int(s, j->sql, &err);
        qv_session_free(s);
    }
    return NULL;
}

bool api_test_write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

bool api_test_remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) == 0)
        return true;
    fprintf(stderr, "could not remove %s\n", dir);
    return false;
}
