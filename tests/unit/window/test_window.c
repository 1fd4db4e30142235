/*
 * test_window.c — the window operator under a memory limit, through the C
 * API: one partition holding every row fails with 53200 (it must be
 * buffered whole), many small partitions pass in small chunks.
 */
#include <stdio.h>
#include <string.h>

#include "quiver.h"
#include "test.h"

typedef struct env {
    qv_runtime *rt;
    qv_profile *profile;
    qv_session *session;
} env;

/* A session over a 64 KiB pool with table t of 12,288 distinct BIGINTs. */
static bool env_open(env *e, qv_error *err)
{
    memset(e, 0, sizeof *e);
    qv_runtime_options opts;
    qv_runtime_options_init(&opts);
    opts.memory_limit = 64 << 10;
    if (qv_runtime_new(&opts, &e->rt, err) != QV_OK ||
        qv_profile_new(e->rt, &e->profile, err) != QV_OK ||
        qv_profile_set(e->profile, "datafusion.execution.target_partitions", "1", err) != QV_OK ||
        qv_profile_set(e->profile, "datafusion.execution.batch_size", "256", err) != QV_OK ||
        qv_session_new(e->profile, NULL, &e->session, err) != QV_OK)
        return false;
    qv_result *r = NULL;
    if (qv_session_sql(e->session, "CREATE TABLE t AS VALUES (1), (2), (3)", &r, err) != QV_OK)
        return false;
    qv_result_free(r);
    for (int i = 0; i < 12; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "INSERT INTO t SELECT column1 + %d FROM t", 3 << i);
        if (qv_session_sql(e->session, sql, &r, err) != QV_OK)
            return false;
        qv_result_free(r);
    }
    return true;
}

static void env_close(env *e)
{
    qv_session_free(e->session);
    qv_profile_free(e->profile);
    qv_runtime_free(e->rt);
}

/* Reads every batch of sql's result; the status of the first failure. */
static qv_status drain(qv_session *s, const char *sql, int64_t *rows, qv_error *err)
{
    qv_result *r = NULL;
    qv_status st = qv_session_sql(s, sql, &r, err);
    *rows = 0;
    while (st == QV_OK) {
        struct ArrowArray batch;
        st = qv_result_next(r, &batch, err);
        if (st != QV_OK || batch.release == NULL)
            break;
        *rows += batch.length;
        batch.release(&batch);
    }
    qv_result_free(r);
    return st;
}

TEST(window_one_partition_past_the_limit)
{
    qv_error err;
    env e;
    CHECK(env_open(&e, &err));
    int64_t rows = 0;
    qv_status st = drain(e.session, "SELECT sum(column1) OVER () FROM t", &rows, &err);
    env_close(&e);
    CHECK_INT_EQ(st, QV_RESOURCES_EXHAUSTED);
    CHECK_STR_EQ(err.sqlstate, "53200");
    CHECK(strstr(err.message, "WindowAggExec") != NULL);
}

TEST(window_small_partitions_within_the_limit)
{
    qv_error err;
    env e;
    CHECK(env_open(&e, &err));
    int64_t rows = 0;
    qv_status st = drain(e.session,
                         "SELECT row_number() OVER (PARTITION BY column1 % 1000 ORDER BY column1), "
                         "sum(column1) OVER (PARTITION BY column1 % 1000 ORDER BY column1 ROWS 2 "
                         "PRECEDING) FROM t",
                         &rows, &err);
    env_close(&e);
    CHECK_INT_EQ(st, QV_OK);
    CHECK_INT_EQ(rows, 12288);
}
