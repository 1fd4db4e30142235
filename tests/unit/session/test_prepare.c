/*
 * test_prepare.c — prepared statements through the C API (qv_statement):
 * binding every value kind, inferred parameter types and the cast of
 * bound values, re-execution with new values, a statement that sees
 * catalog changes, misuse (unbound parameters, bad indexes, an open
 * result, a freed session) and a statement outliving its session.
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

static bool env_open(env *e)
{
    qv_error err;
    memset(e, 0, sizeof *e);
    return qv_runtime_new(NULL, &e->rt, &err) == QV_OK &&
           qv_profile_new(e->rt, &e->profile, &err) == QV_OK &&
           qv_session_new(e->profile, NULL, &e->session, &err) == QV_OK;
}

static void env_close(env *e)
{
    qv_session_free(e->session);
    qv_profile_free(e->profile);
    qv_runtime_free(e->rt);
}

static qv_status run(qv_session *s, const char *sql, qv_error *err)
{
    qv_result *r = NULL;
    qv_status st = qv_session_sql(s, sql, &r, err);
    qv_result_free(r);
    return st;
}

/* Executes stmt and returns its row count and, for an Int64 or Int32 first
 * column, the sum of its values. */
static qv_status execute_sum(qv_statement *stmt, int64_t *rows, int64_t *sum, qv_error *err)
{
    qv_result *r = NULL;
    *rows = 0;
    *sum = 0;
    QV_TRY(qv_statement_execute(stmt, &r, err));
    struct ArrowSchema schema;
    qv_status st = qv_result_schema(r, &schema, err);
    bool wide = st == QV_OK && strcmp(schema.children[0]->format, "l") == 0;
    if (st == QV_OK)
        schema.release(&schema);
    while (st == QV_OK) {
        struct ArrowArray batch;
        st = qv_result_next(r, &batch, err);
        if (st != QV_OK || batch.release == NULL)
            break;
        const struct ArrowArray *col = batch.children[0];
        for (int64_t i = 0; i < col->length; i++)
            *sum += wide ? ((const int64_t *)col->buffers[1])[col->offset + i]
                         : ((const int32_t *)col->buffers[1])[col->offset + i];
        *rows += batch.length;
        batch.release(&batch);
    }
    qv_result_free(r);
    return st;
}

TEST(prepare_bind_and_execute)
{
    env e;
    qv_error err;
    CHECK(env_open(&e));
    CHECK_OK(run(e.session,
                 "CREATE TABLE t (id INT, name VARCHAR, score DOUBLE, ok BOOLEAN) AS VALUES "
                 "(1, 'a', 1.5, true), (2, 'b', 2.5, false), (3, 'c', 3.5, NULL)",
                 &err));
    qv_statement *stmt = NULL;
    CHECK_OK(qv_session_prepare(
        e.session, "SELECT id FROM t WHERE id >= $1 AND name <> $2 AND score > $3", &stmt, &err));
    CHECK_INT_EQ(qv_statement_param_count(stmt), 3);
    CHECK_OK(qv_statement_bind_int64(stmt, 1, 2, &err));
    CHECK_OK(qv_statement_bind_text(stmt, 2, "zz", 2, &err));
    CHECK_OK(qv_statement_bind_double(stmt, 3, 0.0, &err));
    int64_t rows, sum;
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(rows, 2);
    CHECK_INT_EQ(sum, 5);
    /* Run again with other values: the statement is unchanged by a run. */
    CHECK_OK(qv_statement_bind_text(stmt, 2, "c", 1, &err));
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(rows, 1);
    CHECK_INT_EQ(sum, 2);
    /* A text value is cast to the inferred Int32 of $1; a bad one fails. */
    CHECK_OK(qv_statement_bind_text(stmt, 1, "3", 1, &err));
    CHECK_OK(qv_statement_bind_text(stmt, 2, "x", 1, &err));
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(rows, 1);
    CHECK_INT_EQ(sum, 3);
    CHECK_OK(qv_statement_bind_text(stmt, 1, "three", 5, &err));
    CHECK_STATUS(execute_sum(stmt, &rows, &sum, &err), QV_CAST);
    CHECK(strstr(err.message, "Cannot cast string 'three' to value of Int32 type") != NULL);
    /* NULL compares to nothing. */
    CHECK_OK(qv_statement_bind_null(stmt, 1, &err));
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(rows, 0);
    qv_statement_free(stmt);

    CHECK_OK(qv_session_prepare(e.session, "SELECT count(*) FROM t WHERE ok = $1", &stmt, &err));
    CHECK_OK(qv_statement_bind_bool(stmt, 1, 1, &err));
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(sum, 1);
    qv_statement_free(stmt);
    env_close(&e);
}

TEST(prepare_statement_sees_the_catalog_now)
{
    env e;
    qv_error err;
    CHECK(env_open(&e));
    CHECK_OK(run(e.session, "CREATE TABLE t (x BIGINT) AS VALUES (1), (2)", &err));
    qv_statement *stmt = NULL;
    CHECK_OK(qv_session_prepare(e.session, "SELECT x FROM t WHERE x > $1", &stmt, &err));
    CHECK_OK(qv_statement_bind_int64(stmt, 1, 0, &err));
    int64_t rows, sum;
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(sum, 3);
    CHECK_OK(run(e.session, "INSERT INTO t VALUES (10)", &err));
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(sum, 13);
    CHECK_OK(run(e.session, "DROP TABLE t", &err));
    CHECK_STATUS(execute_sum(stmt, &rows, &sum, &err), QV_PLAN);
    CHECK(strstr(err.message, "table 'datafusion.public.t' not found") != NULL);
    qv_statement_free(stmt);

    /* A statement other than a query is bound when it runs. */
    CHECK_OK(run(e.session, "CREATE TABLE u (a INT, b VARCHAR)", &err));
    CHECK_OK(qv_session_prepare(e.session, "INSERT INTO u VALUES ($1, $2)", &stmt, &err));
    CHECK_INT_EQ(qv_statement_param_count(stmt), 2);
    for (int64_t i = 1; i <= 3; i++) {
        qv_result *r = NULL;
        CHECK_OK(qv_statement_bind_int64(stmt, 1, i, &err));
        CHECK_OK(qv_statement_bind_text(stmt, 2, "v", 1, &err));
        CHECK_OK(qv_statement_execute(stmt, &r, &err));
        qv_result_free(r);
    }
    qv_statement_free(stmt);
    CHECK_OK(qv_session_prepare(e.session, "SELECT a FROM u WHERE b = $1", &stmt, &err));
    CHECK_OK(qv_statement_bind_text(stmt, 1, "v", 1, &err));
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(rows, 3);
    CHECK_INT_EQ(sum, 6);
    qv_statement_free(stmt);
    env_close(&e);
}

TEST(prepare_errors_and_misuse)
{
    env e;
    qv_error err;
    CHECK(env_open(&e));
    qv_statement *stmt = (qv_statement *)&e; /* must be reset to NULL on failure */
    CHECK_STATUS(qv_session_prepare(e.session, "SELECT nope", &stmt, &err), QV_SCHEMA);
    CHECK(stmt == NULL);
    CHECK_STATUS(qv_session_prepare(e.session, "SELEC 1", &stmt, &err), QV_SYNTAX);
    CHECK_STATUS(qv_session_prepare(e.session, "SELECT 1; SELECT 2", &stmt, &err), QV_MISUSE);
    CHECK_STATUS(qv_session_prepare(NULL, "SELECT 1", &stmt, &err), QV_MISUSE);
    CHECK_STATUS(qv_session_prepare(e.session, "SELECT $foo", &stmt, &err), QV_PLAN);
    CHECK(strstr(err.message, "Unknown placeholder: $foo") != NULL);

    CHECK_OK(qv_session_prepare(e.session, "SELECT $1 + $2", &stmt, &err));
    CHECK_INT_EQ(qv_statement_param_count(stmt), 2);
    CHECK_STATUS(qv_statement_bind_int64(stmt, 0, 1, &err), QV_INVALID);
    CHECK_STATUS(qv_statement_bind_int64(stmt, 3, 1, &err), QV_INVALID);
    CHECK_STATUS(qv_statement_bind_int64(NULL, 1, 1, &err), QV_MISUSE);
    CHECK_OK(qv_statement_bind_int64(stmt, 1, 40, &err));
    qv_result *r = NULL;
    CHECK_STATUS(qv_statement_execute(stmt, &r, &err), QV_MISUSE);
    CHECK(strstr(err.message, "$2 is not bound") != NULL);
    CHECK_OK(qv_statement_bind_int64(stmt, 2, 2, &err));
    /* An open result of the session blocks the next run. */
    qv_result *open = NULL;
    CHECK_OK(qv_session_sql(e.session, "SELECT 1", &open, &err));
    CHECK_STATUS(qv_statement_execute(stmt, &r, &err), QV_MISUSE);
    qv_result_free(open);
    int64_t rows, sum;
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(sum, 42);
    CHECK_INT_EQ(qv_statement_param_count(NULL), 0);
    qv_statement_free(NULL);

    /* The statement outlives its session: execute is misuse, free works. */
    qv_session_free(e.session);
    e.session = NULL;
    CHECK_STATUS(qv_statement_execute(stmt, &r, &err), QV_MISUSE);
    qv_statement_free(stmt);
    env_close(&e);
}

TEST(prepare_sql_and_api_share_the_session)
{
    env e;
    qv_error err;
    CHECK(env_open(&e));
    CHECK_OK(run(e.session, "PREPARE p(INT) AS SELECT $1 * 2", &err));
    /* An API statement may itself run a SQL EXECUTE. */
    qv_statement *stmt = NULL;
    CHECK_OK(qv_session_prepare(e.session, "EXECUTE p(21)", &stmt, &err));
    int64_t rows, sum;
    CHECK_OK(execute_sum(stmt, &rows, &sum, &err));
    CHECK_INT_EQ(sum, 42);
    qv_statement_free(stmt);
    /* Freeing the session frees its SQL prepared statements too. */
    env_close(&e);
}
