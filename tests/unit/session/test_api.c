/*
 * test_api.c — the first public C API (quiver.h): runtime, profile,
 * session, running SQL, reading results batch by batch and as an Arrow C
 * stream, configuration defaults, and misuse (NULL handles, an unread
 * result, a profile changed after its first session).
 */
#include <stdio.h>
#include <string.h>

#include "arrow/arrow.h"
#include "quiver.h"
#include "test.h"

typedef struct env {
    qv_runtime *rt;
    qv_profile *profile;
    qv_session *session;
} env;

static bool env_open(env *e, const char *key, const char *value)
{
    qv_error err;
    memset(e, 0, sizeof *e);
    return qv_runtime_new(NULL, &e->rt, &err) == QV_OK &&
           qv_profile_new(e->rt, &e->profile, &err) == QV_OK &&
           (key == NULL || qv_profile_set(e->profile, key, value, &err) == QV_OK) &&
           qv_session_new(e->profile, NULL, &e->session, &err) == QV_OK;
}

static void env_close(env *e)
{
    qv_session_free(e->session);
    qv_profile_free(e->profile);
    qv_runtime_free(e->rt);
}

/* Runs sql and returns the sum of the rows of all batches read with
 * qv_result_next (the Int64 first column is summed into *sum). */
static qv_status run_sum(qv_session *s, const char *sql, int64_t *rows, int64_t *sum, qv_error *err)
{
    qv_result *r = NULL;
    *rows = 0;
    *sum = 0;
    QV_TRY(qv_session_sql(s, sql, &r, err));
    qv_status st;
    for (;;) {
        struct ArrowArray batch;
        st = qv_result_next(r, &batch, err);
        if (st != QV_OK || batch.release == NULL)
            break;
        *rows += batch.length;
        const struct ArrowArray *col = batch.children[0];
        const int64_t *values = (const int64_t *)col->buffers[1];
        for (int64_t i = 0; i < col->length; i++)
            *sum += values[col->offset + i];
        batch.release(&batch);
    }
    qv_result_free(r);
    return st;
}

TEST(api_query_batches)
{
    env e;
    qv_error err;
    CHECK(env_open(&e, "datafusion.execution.batch_size", "3"));
    qv_result *r = NULL;
    CHECK_OK(qv_session_sql(e.session,
                            "CREATE TABLE t (x BIGINT); INSERT INTO t VALUES (1),(2),(3),(4),(5),"
                            "(6),(7)",
                            &r, &err));
    qv_result_free(r);
    int64_t rows, sum;
    CHECK_OK(run_sum(e.session, "SELECT x FROM t ORDER BY x", &rows, &sum, &err));
    CHECK_INT_EQ(rows, 7);
    CHECK_INT_EQ(sum, 28);
    /* A second session of the profile does not see the first one's table. */
    qv_session *other = NULL;
    CHECK_OK(qv_session_new(e.profile, NULL, &other, &err));
    CHECK_STATUS(qv_session_sql(other, "SELECT x FROM t", &r, &err), QV_PLAN);
    CHECK(r == NULL);
    CHECK(strstr(err.message, "table 'datafusion.public.t' not found") != NULL);
    CHECK_STR_EQ(err.sqlstate, qv_status_sqlstate(QV_PLAN));
    qv_session_free(other);
    env_close(&e);
}

TEST(api_result_schema_and_stream)
{
    env e;
    qv_error err;
    CHECK(env_open(&e, NULL, NULL));
    qv_result *r = NULL;
    CHECK_OK(
        qv_session_sql(e.session, "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y'", &r, &err));
    struct ArrowSchema schema;
    CHECK_OK(qv_result_schema(r, &schema, &err));
    CHECK_INT_EQ(schema.n_children, 2);
    CHECK_STR_EQ(schema.children[0]->name, "a");
    CHECK_STR_EQ(schema.children[0]->format, "l");
    CHECK_STR_EQ(schema.children[1]->format, "u");
    schema.release(&schema);
    struct ArrowArrayStream stream;
    CHECK_OK(qv_result_to_stream(r, &stream, &err));
    /* The session is free for the next statement while the stream lives. */
    qv_result *r2 = NULL;
    CHECK_OK(qv_session_sql(e.session, "SELECT 3", &r2, &err));
    qv_result_free(r2);
    int64_t rows = 0;
    for (;;) {
        struct ArrowArray batch;
        CHECK_INT_EQ(stream.get_next(&stream, &batch), 0);
        if (batch.release == NULL)
            break;
        rows += batch.length;
        batch.release(&batch);
    }
    CHECK_INT_EQ(rows, 2);
    stream.release(&stream);
    env_close(&e);
}

TEST(api_errors_and_misuse)
{
    env e;
    qv_error err;
    CHECK(env_open(&e, NULL, NULL));
    qv_result *r = NULL;
    CHECK_STATUS(qv_session_sql(e.session, "SELEC 1", &r, &err), QV_SYNTAX);
    CHECK(err.line == 1);
    CHECK_STATUS(qv_session_sql(e.session, "SELECT 1/0", &r, &err), QV_OK);
    struct ArrowArray batch;
    CHECK_STATUS(qv_result_next(r, &batch, &err), QV_DIVIDE_BY_ZERO);
    CHECK(strstr(err.message, "Divide by zero") != NULL);
    qv_result_free(r);
    CHECK_STATUS(qv_session_sql(NULL, "SELECT 1", &r, &err), QV_MISUSE);
    CHECK_STATUS(qv_session_sql(e.session, NULL, &r, &err), QV_MISUSE);
    CHECK_STATUS(qv_result_next(NULL, &batch, &err), QV_MISUSE);
    /* An unread result blocks the session's next statement. */
    CHECK_OK(qv_session_sql(e.session, "SELECT 1", &r, &err));
    qv_result *r2 = NULL;
    CHECK_STATUS(qv_session_sql(e.session, "SELECT 2", &r2, &err), QV_MISUSE);
    qv_result_free(r);
    /* A profile is immutable once it has sessions; unknown keys are refused. */
    CHECK_STATUS(qv_profile_set(e.profile, "datafusion.execution.batch_size", "2", &err),
                 QV_MISUSE);
    qv_profile *p2 = NULL;
    CHECK_OK(qv_profile_new(e.rt, &p2, &err));
    CHECK_STATUS(qv_profile_set(p2, "datafusion.execution.no_such_key", "1", &err), QV_PLAN);
    CHECK_STATUS(qv_profile_set(p2, "datafusion.execution.batch_size", "-1", &err), QV_PLAN);
    qv_profile_free(p2);
    qv_session_free(NULL);
    qv_result_free(NULL);
    env_close(&e);
}

TEST(api_memory_limit_error)
{
    qv_error err;
    qv_runtime_options opts;
    qv_runtime_options_init(&opts);
    opts.memory_limit = 64 << 10;
    qv_runtime *rt = NULL;
    qv_profile *p = NULL;
    qv_session *s = NULL;
    CHECK_OK(qv_runtime_new(&opts, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &p, &err));
    CHECK_OK(qv_profile_set(p, "datafusion.execution.target_partitions", "1", &err));
    CHECK_OK(qv_session_new(p, NULL, &s, &err));
    qv_result *r = NULL;
    CHECK_OK(qv_session_sql(s, "CREATE TABLE t AS VALUES (1), (2), (3)", &r, &err));
    qv_result_free(r);
    /* Doubling twelve times: 12,288 distinct keys, well past 64 KiB of groups. */
    for (int i = 0; i < 12; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "INSERT INTO t SELECT column1 + %d FROM t", 3 << i);
        CHECK_OK(qv_session_sql(s, sql, &r, &err));
        qv_result_free(r);
    }
    CHECK_OK(qv_session_sql(s, "SELECT column1, count(*) FROM t GROUP BY column1", &r, &err));
    struct ArrowArray batch;
    CHECK_STATUS(qv_result_next(r, &batch, &err), QV_RESOURCES_EXHAUSTED);
    CHECK_STR_EQ(err.sqlstate, "53200");
    CHECK(strstr(err.message, "Resources exhausted") != NULL);
    qv_result_free(r);
    qv_session_free(s);
    qv_profile_free(p);
    qv_runtime_free(rt);
}
