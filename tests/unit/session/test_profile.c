/*
 * test_profile.c — profiles (quiver.h): configurators run in order on every
 * new session and abort it on error without leaking, the statement policy
 * (read-only profiles: 42501 with DataFusion's message), immutability once a
 * session exists, session settings through the C API, identities, and
 * session creation under allocation failures.
 */
#include <stdio.h>
#include <string.h>

#include "api_test_util.h"
#include "quiver.h"
#include "test.h"

typedef struct trace {
    char order[16];
    int n_released;
} trace;

typedef struct step {
    trace *trace;
    char mark;
    qv_status fail; /* QV_OK: succeed */
    const char *sql;
} step;

static qv_status record_step(qv_session *session, void *user_data, qv_error *err)
{
    step *st = user_data;
    size_t n = strlen(st->trace->order);
    st->trace->order[n] = st->mark;
    st->trace->order[n + 1] = '\0';
    if (st->sql != NULL)
        QV_TRY(api_test_run(session, st->sql, err));
    if (st->fail != QV_OK) {
        if (err != NULL) {
            qv_error_clear(err);
            err->code = st->fail;
            snprintf(err->message, sizeof err->message, "configurator %c refused", st->mark);
        }
        return st->fail;
    }
    return QV_OK;
}

static void release_step(void *user_data)
{
    ((step *)user_data)->trace->n_released++;
}

TEST(configurators_run_in_order)
{
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *p = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &p, &err));
    trace tr = {{0}, 0};
    step steps[3] = {
        {&tr, 'a', QV_OK, "CREATE TABLE t AS VALUES (1), (2)"},
        {&tr, 'b', QV_OK, "SET datafusion.execution.batch_size = 7"},
        {&tr, 'c', QV_OK, "CREATE VIEW v AS SELECT count(*) AS n FROM t"},
    };
    for (int i = 0; i < 3; i++) {
        qv_configurator c = {record_step, &steps[i], release_step};
        CHECK_OK(qv_profile_add_configurator(p, &c, &err));
    }
    qv_session *s1 = NULL, *s2 = NULL;
    CHECK_OK(qv_session_new(p, NULL, &s1, &err));
    CHECK_STR_EQ(tr.order, "abc");
    CHECK_OK(qv_session_new(p, NULL, &s2, &err));
    CHECK_STR_EQ(tr.order, "abcabc");
    /* Each session got its own table, view and setting. */
    CHECK_INT_EQ(api_test_query_int(s1, "SELECT n FROM v", &err), 2);
    CHECK_OK(api_test_run(s1, "INSERT INTO t VALUES (3)", &err));
    CHECK_INT_EQ(api_test_query_int(s1, "SELECT n FROM v", &err), 3);
    CHECK_INT_EQ(api_test_query_int(s2, "SELECT n FROM v", &err), 2);
    const char *value = NULL;
    CHECK_OK(qv_session_get(s2, "datafusion.execution.batch_size", &value, &err));
    CHECK_STR_EQ(value, "7");
    qv_session_free(s1);
    qv_session_free(s2);
    CHECK_INT_EQ(tr.n_released, 0);
    qv_profile_free(p);
    CHECK_INT_EQ(tr.n_released, 3);
    qv_runtime_free(rt);
}

TEST(configurator_error_aborts_session)
{
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *p = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &p, &err));
    trace tr = {{0}, 0};
    step steps[3] = {
        {&tr, 'a', QV_OK, "CREATE TABLE t AS VALUES (1)"},
        {&tr, 'b', QV_PERMISSION, NULL},
        {&tr, 'c', QV_OK, NULL},
    };
    for (int i = 0; i < 3; i++) {
        qv_configurator c = {record_step, &steps[i], NULL};
        CHECK_OK(qv_profile_add_configurator(p, &c, &err));
    }
    qv_session *s = (qv_session *)&tr; /* must be reset to NULL */
    CHECK_STATUS(qv_session_new(p, NULL, &s, &err), QV_PERMISSION);
    CHECK(s == NULL);
    CHECK_STR_EQ(err.message, "configurator b refused");
    CHECK_STR_EQ(tr.order, "ab");
    /* A configurator's SQL error is the session's error, as it was. */
    qv_profile *p2 = NULL;
    CHECK_OK(qv_profile_new(rt, &p2, &err));
    step bad = {&tr, 'x', QV_OK, "SELECT * FROM missing"};
    qv_configurator c = {record_step, &bad, NULL};
    CHECK_OK(qv_profile_add_configurator(p2, &c, &err));
    CHECK_STATUS(qv_session_new(p2, NULL, &s, &err), QV_PLAN);
    CHECK(strstr(err.message, "table 'datafusion.public.missing' not found") != NULL);
    /* A configurator failing without a message still explains itself. */
    qv_profile *p3 = NULL;
    CHECK_OK(qv_profile_new(rt, &p3, &err));
    step silent = {&tr, 'y', QV_IO, NULL};
    qv_configurator c3 = {record_step, &silent, NULL};
    CHECK_OK(qv_profile_add_configurator(p3, &c3, &err));
    CHECK_STATUS(qv_session_new(p3, NULL, &s, NULL), QV_IO);
    qv_profile_free(p3);
    qv_profile_free(p2);
    qv_profile_free(p);
    qv_runtime_free(rt);
}

TEST(profile_immutable_once_used)
{
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *p = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &p, &err));
    qv_configurator none = {NULL, NULL, NULL};
    CHECK_STATUS(qv_profile_add_configurator(p, &none, &err), QV_MISUSE);
    CHECK_STATUS(qv_profile_add_configurator(p, NULL, &err), QV_MISUSE);
    CHECK_STATUS(qv_profile_allow_statements(p, 8, &err), QV_INVALID);
    qv_session *s = NULL;
    CHECK_OK(qv_session_new(p, NULL, &s, &err));
    qv_session_free(s);
    /* Still immutable after its sessions are gone. */
    trace tr = {{0}, 0};
    step st = {&tr, 'a', QV_OK, NULL};
    qv_configurator c = {record_step, &st, release_step};
    CHECK_STATUS(qv_profile_add_configurator(p, &c, &err), QV_MISUSE);
    CHECK(strstr(err.message, "immutable") != NULL);
    CHECK_STATUS(qv_profile_allow_statements(p, 0, &err), QV_MISUSE);
    CHECK_STATUS(qv_profile_set(p, "datafusion.execution.batch_size", "5", &err), QV_MISUSE);
    qv_profile_free(p);
    CHECK_INT_EQ(tr.n_released, 0); /* refused: not taken */
    qv_runtime_free(rt);
}

TEST(read_only_profile_refuses_ddl_dml_set)
{
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *p = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &p, &err));
    CHECK_OK(qv_profile_allow_statements(p, 0, &err));
    /* Configurators are the profile's own code: the policy does not apply. */
    trace tr = {{0}, 0};
    step setup = {&tr, 'a', QV_OK,
                  "CREATE TABLE t AS VALUES (1), (2); CREATE VIEW v AS SELECT * FROM t"};
    qv_configurator c = {record_step, &setup, NULL};
    CHECK_OK(qv_profile_add_configurator(p, &c, &err));
    qv_session *s = NULL;
    CHECK_OK(qv_session_new(p, NULL, &s, &err));
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM v", &err), 2);
    static const struct {
        const char *sql, *message;
    } refused[] = {
        {"CREATE TABLE u (a INT)", "Error during planning: DDL not supported: CreateMemoryTable"},
        {"CREATE VIEW w AS SELECT 1", "Error during planning: DDL not supported: CreateView"},
        {"DROP TABLE t", "Error during planning: DDL not supported: DropTable"},
        {"CREATE SCHEMA s2", "Error during planning: DDL not supported: CreateCatalogSchema"},
        {"INSERT INTO t VALUES (3)", "Error during planning: DML not supported: Insert Into"},
        {"DELETE FROM t", "Error during planning: DML not supported: Delete"},
        {"UPDATE t SET column1 = 0", "Error during planning: DML not supported: Update"},
        {"EXPLAIN INSERT INTO t VALUES (3)",
         "Error during planning: DML not supported: Insert Into"},
        {"SET datafusion.execution.batch_size = 2",
         "Error during planning: Statement not supported: SetVariable"},
        {"RESET datafusion.execution.batch_size",
         "Error during planning: Statement not supported: ResetVariable"},
        {"CREATE EXTERNAL TABLE e STORED AS CSV LOCATION '/nonexistent/e.csv'",
         "Error during planning: DDL not supported: CreateExternalTable"},
        {"COPY t TO '/nonexistent/t.csv'", "Error during planning: DML not supported: COPY"},
        {"PREPARE p AS INSERT INTO t VALUES ($1)",
         "Error during planning: DML not supported: Insert Into"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        qv_result *r = NULL;
        qv_status st = qv_session_sql(s, refused[i].sql, &r, &err);
        if (st != QV_PERMISSION)
            test_fail(__FILE__, __LINE__, "%s returned %s", refused[i].sql, qv_status_name(st));
        CHECK(r == NULL);
        CHECK_STR_EQ(err.message, refused[i].message);
        CHECK_STR_EQ(err.sqlstate, "42501");
        CHECK(strstr(err.hint, "does not allow") != NULL);
    }
    /* Nothing changed; queries still run; a refused statement stops the
     * text before later statements run. */
    CHECK_STATUS(api_test_run(s, "SELECT 1; INSERT INTO t VALUES (9); SELECT 2", &err),
                 QV_PERMISSION);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM t", &err), 2);
    CHECK_OK(api_test_run(s, "EXPLAIN SELECT * FROM t", &err));
    /* The C API is the embedder's, not the SQL user's. */
    CHECK_OK(qv_session_set(s, "datafusion.execution.batch_size", "3", &err));
    qv_session_free(s);
    qv_profile_free(p);
    qv_runtime_free(rt);
}

TEST(partial_policy)
{
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *p = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &p, &err));
    /* DML and SET, but no DDL. */
    CHECK_OK(qv_profile_allow_statements(p, QV_STATEMENTS_DML | QV_STATEMENTS_SET, &err));
    trace tr = {{0}, 0};
    step setup = {&tr, 'a', QV_OK, "CREATE TABLE t (a BIGINT)"};
    qv_configurator c = {record_step, &setup, NULL};
    CHECK_OK(qv_profile_add_configurator(p, &c, &err));
    qv_session *s = NULL;
    CHECK_OK(qv_session_new(p, NULL, &s, &err));
    CHECK_OK(api_test_run(s, "INSERT INTO t VALUES (1), (2), (3)", &err));
    CHECK_OK(api_test_run(s, "SET datafusion.execution.batch_size = 2", &err));
    CHECK_STATUS(api_test_run(s, "CREATE TABLE u AS SELECT * FROM t", &err), QV_PERMISSION);
    CHECK_STR_EQ(err.message, "Error during planning: DDL not supported: CreateMemoryTable");
    CHECK_INT_EQ(api_test_query_int(s, "SELECT sum(a) FROM t", &err), 6);
    qv_session_free(s);
    qv_profile_free(p);
    qv_runtime_free(rt);
}

TEST(session_settings_api)
{
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *p = NULL;
    qv_session *s = NULL, *other = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &p, &err));
    CHECK_OK(qv_profile_set(p, "datafusion.execution.batch_size", "100", &err));
    CHECK_OK(qv_session_new(p, NULL, &s, &err));
    CHECK_OK(qv_session_new(p, NULL, &other, &err));
    const char *value = NULL;
    CHECK_OK(qv_session_get(s, "datafusion.execution.batch_size", &value, &err));
    CHECK_STR_EQ(value, "100");
    CHECK_OK(qv_session_set(s, "datafusion.execution.batch_size", "5", &err));
    CHECK_OK(qv_session_get(s, "datafusion.execution.batch_size", &value, &err));
    CHECK_STR_EQ(value, "5");
    CHECK_OK(qv_session_get(other, "datafusion.execution.batch_size", &value, &err));
    CHECK_STR_EQ(value, "100");
    CHECK_OK(qv_session_get(s, "datafusion.execution.time_zone", &value, &err));
    CHECK(value == NULL);
    /* SQL sees what the C API set, and the other way round. */
    CHECK_OK(api_test_run(s, "SET datafusion.catalog.information_schema = true", &err));
    CHECK_OK(qv_session_get(s, "datafusion.catalog.information_schema", &value, &err));
    CHECK_STR_EQ(value, "true");
    CHECK_STATUS(qv_session_set(s, "datafusion.execution.batch_size", "x", &err), QV_PLAN);
    CHECK_STATUS(qv_session_set(s, "datafusion.execution.nope", "1", &err), QV_PLAN);
    CHECK_STATUS(qv_session_get(s, "datafusion.execution.nope", &value, &err), QV_NOT_FOUND);
    CHECK_STATUS(qv_session_get(NULL, "datafusion.execution.batch_size", &value, &err), QV_MISUSE);
    CHECK_STATUS(qv_session_set(s, NULL, "1", &err), QV_MISUSE);
    qv_session_free(s);
    qv_session_free(other);
    qv_profile_free(p);
    qv_runtime_free(rt);
}

TEST(session_identity_is_copied)
{
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *p = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &p, &err));
    char user[16] = "alice";
    char role0[16] = "analyst", role1[16] = "admin";
    const char *roles[2] = {role0, role1};
    qv_identity who = {user, roles, 2};
    qv_session *s = NULL, *anon = NULL;
    CHECK_OK(qv_session_new(p, &who, &s, &err));
    strcpy(user, "mallory");
    strcpy(role0, "x");
    const qv_identity *id = qv_session_identity(s);
    CHECK_STR_EQ(id->user_id, "alice");
    CHECK_INT_EQ(id->n_roles, 2);
    CHECK_STR_EQ(id->roles[0], "analyst");
    CHECK_STR_EQ(id->roles[1], "admin");
    CHECK_OK(qv_session_new(p, NULL, &anon, &err));
    CHECK(qv_session_identity(anon)->user_id == NULL);
    CHECK_INT_EQ(qv_session_identity(anon)->n_roles, 0);
    CHECK(qv_session_identity(NULL) == NULL);
    qv_identity bad = {"bob", NULL, 1};
    qv_session *s2 = NULL;
    CHECK_STATUS(qv_session_new(p, &bad, &s2, &err), QV_MISUSE);
    CHECK(s2 == NULL);
    qv_session_free(s);
    qv_session_free(anon);
    qv_profile_free(p);
    qv_runtime_free(rt);
}

/* Every allocation of qv_session_new (with configurators that register a
 * table, set a setting and create a view) failing in turn: a clean error
 * each time, nothing leaked (ASan checks at exit), then success. */
TEST(session_new_out_of_memory)
{
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *p = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &p, &err));
    trace tr = {{0}, 0};
    step steps[3] = {
        {&tr, 'a', QV_OK, "CREATE TABLE t (a INT)"},
        {&tr, 'b', QV_OK, "SET datafusion.execution.batch_size = 7"},
        {&tr, 'c', QV_OK, "CREATE VIEW v AS SELECT a FROM t"},
    };
    for (int i = 0; i < 3; i++) {
        qv_configurator c = {record_step, &steps[i], NULL};
        CHECK_OK(qv_profile_add_configurator(p, &c, &err));
    }
    qv_identity who = {"alice", NULL, 0};
    bool succeeded = false;
    for (int64_t n = 1; n < 10000 && !succeeded; n++) {
        tr.order[0] = '\0';
        qv_session *s = NULL;
        base_alloc_fail_after(n);
        qv_status st = qv_session_new(p, &who, &s, &err);
        bool triggered = base_alloc_fail_triggered();
        base_alloc_fail_after(0);
        if (st == QV_OK) {
            CHECK(!triggered);
            succeeded = true;
        } else {
            CHECK(s == NULL);
            CHECK(err.message[0] != '\0');
        }
        qv_session_free(s);
    }
    CHECK(succeeded);
    qv_profile_free(p);
    qv_runtime_free(rt);
}
