/*
 * test_tables.c — tables from C (quiver.h): qv_table handles registered in
 * the runtime (every session sees them, also sessions already open) or in
 * one session, names read as DataFusion reads table references, custom
 * table providers (projection, identity at scan and insert, read-only
 * tables, wrong streams, errors), session creation that does not grow
 * with the number of registered tables, and many threads making sessions of
 * one profile while tables are registered.
 */
#define _POSIX_C_SOURCE 200809L /* pthreads */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api_test_util.h"
#include "quiver.h"
#include "session/session_int.h"
#include "test.h"

/* ---- a custom provider: ledger(owner Utf8, amount Int64), each user sees
 * their own rows; inserts record the inserting user ---- */

#define MAX_ROWS 64

typedef struct ledger {
    char owners[MAX_ROWS][16];
    int64_t amounts[MAX_ROWS];
    int n_rows;
    int n_scans;
    int last_n_projection;
    int64_t last_limit;
    bool return_all_columns; /* ignore the projection */
    bool wrong_types;        /* return Int32 amounts */
    bool fail_scan;
    bool released;
} ledger;

static arrow_schema *ledger_schema(bool wrong_types)
{
    qv_error err;
    arrow_field *fields[2] = {NULL, NULL};
    arrow_schema *schema = NULL;
    arrow_field_new("owner", arrow_type_primitive(QV_TYPE_UTF8), false, NULL, &fields[0], &err);
    arrow_field_new("amount", arrow_type_primitive(wrong_types ? QV_TYPE_INT32 : QV_TYPE_INT64),
                    true, NULL, &fields[1], &err);
    if (fields[0] != NULL && fields[1] != NULL)
        arrow_schema_new(2, fields, NULL, &schema, &err);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return schema;
}

static qv_status ledger_get_schema(void *user_data, struct ArrowSchema *out, qv_error *err)
{
    (void)user_data;
    arrow_schema *schema = ledger_schema(false);
    if (schema == NULL)
        return base_error_nomem(err, "ledger schema");
    qv_status st = arrow_export_schema(schema, out, err);
    arrow_schema_release(schema);
    return st;
}

typedef struct one_batch_source {
    arrow_batch_source base;
    arrow_batch *batch;
} one_batch_source;

static qv_status one_next(arrow_batch_source *source, arrow_batch **out, qv_error *err)
{
    (void)err;
    one_batch_source *s = (one_batch_source *)source;
    *out = s->batch;
    s->batch = NULL;
    return QV_OK;
}

static void one_release(arrow_batch_source *source)
{
    one_batch_source *s = (one_batch_source *)source;
    arrow_batch_release(s->batch);
    arrow_schema_release(s->base.schema);
    base_free(s);
}

static qv_status ledger_scan(void *user_data, const qv_scan_request *request,
                             struct ArrowArrayStream *out, qv_error *err)
{
    ledger *l = user_data;
    l->n_scans++;
    l->last_n_projection = request->projection ? request->n_projection : -1;
    l->last_limit = request->limit;
    if (l->fail_scan)
        return base_error_set(err, QV_IO, "ledger is offline");
    const char *who = request->identity->user_id;
    arrow_builder *owners = NULL, *amounts = NULL;
    arrow_type *amount_type = arrow_type_primitive(l->wrong_types ? QV_TYPE_INT32 : QV_TYPE_INT64);
    QV_TRY(arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &owners, err));
    qv_status st = arrow_builder_new(amount_type, &amounts, err);
    int64_t n = 0;
    for (int i = 0; i < l->n_rows && st == QV_OK; i++) {
        if (who == NULL || strcmp(who, l->owners[i]) != 0)
            continue;
        st = arrow_builder_append_bytes(owners, l->owners[i], (int64_t)strlen(l->owners[i]), err);
        if (st == QV_OK)
            st = arrow_builder_append_int(amounts, l->amounts[i], err);
        n++;
    }
    arrow_array *cols[2] = {NULL, NULL};
    if (st == QV_OK)
        st = arrow_builder_finish(owners, &cols[0], err);
    if (st == QV_OK)
        st = arrow_builder_finish(amounts, &cols[1], err);
    arrow_builder_free(owners);
    arrow_builder_free(amounts);
    arrow_schema *full = ledger_schema(l->wrong_types);
    arrow_schema *schema = full;
    arrow_batch *batch = NULL;
    bool project = !l->return_all_columns && request->projection != NULL;
    if (st == QV_OK && project) {
        st = catalog_projected_schema(full, request->projection, request->n_projection, &schema,
                                      err);
        arrow_schema_release(full);
        arrow_array *picked[2] = {NULL, NULL};
        for (int32_t i = 0; st == QV_OK && i < request->n_projection; i++)
            picked[i] = cols[request->projection[i]];
        if (st == QV_OK)
            st = arrow_batch_new(schema, n, picked, &batch, err);
    } else if (st == QV_OK) {
        st = arrow_batch_new(schema, n, cols, &batch, err);
    }
    arrow_array_release(cols[0]);
    arrow_array_release(cols[1]);
    one_batch_source *source = base_calloc(1, sizeof *source);
    if (st == QV_OK && source == NULL)
        st = base_error_nomem(err, "ledger scan");
    if (st != QV_OK) {
        arrow_batch_release(batch);
        arrow_schema_release(schema);
        base_free(source);
        return st;
    }
    *source = (one_batch_source){{schema, one_next, one_release}, batch};
    return arrow_export_stream(&source->base, out, err);
}

static qv_status ledger_insert(void *user_data, const qv_identity *identity,
                               struct ArrowArrayStream *batches, qv_error *err)
{
    ledger *l = user_data;
    for (;;) {
        struct ArrowArray array;
        if (batches->get_next(batches, &array) != 0)
            return base_error_set(err, QV_IO, "cannot read the inserted rows");
        if (array.release == NULL)
            return QV_OK;
        const struct ArrowArray *amounts = array.children[1];
        for (int64_t i = 0; i < array.length && l->n_rows < MAX_ROWS; i++) {
            snprintf(l->owners[l->n_rows], sizeof l->owners[0], "%s",
                     identity->user_id ? identity->user_id : "");
            l->amounts[l->n_rows++] = ((const int64_t *)amounts->buffers[1])[amounts->offset + i];
        }
        array.release(&array);
    }
}

static void ledger_release(void *user_data)
{
    ((ledger *)user_data)->released = true;
}

static void ledger_add(ledger *l, const char *owner, int64_t amount)
{
    snprintf(l->owners[l->n_rows], sizeof l->owners[0], "%s", owner);
    l->amounts[l->n_rows++] = amount;
}

typedef struct env {
    qv_runtime *rt;
    qv_profile *profile;
} env;

static bool env_open(env *e)
{
    qv_error err;
    memset(e, 0, sizeof *e);
    return qv_runtime_new(NULL, &e->rt, &err) == QV_OK &&
           qv_profile_new(e->rt, &e->profile, &err) == QV_OK;
}

static void env_close(env *e)
{
    qv_profile_free(e->profile);
    qv_runtime_free(e->rt);
}

static qv_session *session_for(env *e, const char *user)
{
    qv_error err;
    qv_identity who = {user, NULL, 0};
    qv_session *s = NULL;
    qv_session_new(e->profile, user ? &who : NULL, &s, &err);
    return s;
}

TEST(custom_provider_per_user_rows)
{
    env e;
    qv_error err;
    CHECK(env_open(&e));
    ledger l;
    memset(&l, 0, sizeof l);
    ledger_add(&l, "alice", 10);
    ledger_add(&l, "bob", 100);
    ledger_add(&l, "alice", 5);
    qv_table_provider provider = {ledger_get_schema, ledger_scan, ledger_insert, ledger_release};
    qv_table *table = NULL;
    CHECK_OK(qv_table_new(&provider, &l, &table, &err));
    CHECK_OK(qv_runtime_register_table(e.rt, "ledger", table, &err));
    qv_table_free(table); /* the catalog keeps its own reference */
    qv_session *alice = session_for(&e, "alice"), *bob = session_for(&e, "bob");
    qv_session *nobody = session_for(&e, NULL);
    CHECK(alice != NULL && bob != NULL && nobody != NULL);
    CHECK_INT_EQ(api_test_query_int(alice, "SELECT sum(amount) FROM ledger", &err), 15);
    CHECK_INT_EQ(api_test_query_int(bob, "SELECT sum(amount) FROM ledger", &err), 100);
    CHECK_INT_EQ(api_test_query_int(nobody, "SELECT count(*) FROM ledger", &err), 0);
    CHECK_INT_EQ(l.last_n_projection, 0); /* count(*) needs no column */
    CHECK_INT_EQ(
        api_test_query_int(alice, "SELECT amount FROM ledger ORDER BY amount LIMIT 1", &err), 5);
    CHECK_INT_EQ(l.last_n_projection, 1);
    CHECK_INT_EQ(api_test_query_int(alice, "SELECT amount FROM ledger LIMIT 1", &err), 10);
    CHECK_INT_EQ(l.last_limit, 1);
    /* Inserts reach the provider with the inserting session's identity. */
    CHECK_OK(api_test_run(bob, "INSERT INTO ledger VALUES ('ignored', 7), ('ignored', 8)", &err));
    CHECK_INT_EQ(api_test_query_int(bob, "SELECT sum(amount) FROM ledger", &err), 115);
    CHECK_INT_EQ(api_test_query_int(alice, "SELECT sum(amount) FROM ledger", &err), 15);
    CHECK_STATUS(api_test_run(bob, "INSERT OVERWRITE ledger VALUES ('x', 1)", &err),
                 QV_NOT_IMPLEMENTED);
    /* A provider that ignores the projection is projected by the engine. */
    l.return_all_columns = true;
    CHECK_INT_EQ(api_test_query_int(alice, "SELECT amount FROM ledger ORDER BY amount DESC", &err),
                 10);
    l.return_all_columns = false;
    /* Wrong column types and scan errors fail the query with a message. */
    l.wrong_types = true;
    CHECK_STATUS(api_test_run(alice, "SELECT amount FROM ledger", &err), QV_EXECUTION);
    CHECK(strstr(err.message, "types are not the table's") != NULL);
    l.wrong_types = false;
    l.fail_scan = true;
    CHECK_STATUS(api_test_run(alice, "SELECT * FROM ledger", &err), QV_IO);
    CHECK_STR_EQ(err.message, "ledger is offline");
    l.fail_scan = false;
    CHECK_OK(api_test_run(alice, "SELECT * FROM ledger", &err));
    qv_session_free(alice);
    qv_session_free(bob);
    qv_session_free(nobody);
    CHECK(!l.released);
    env_close(&e);
    CHECK(l.released);
}

TEST(custom_provider_read_only_and_misuse)
{
    env e;
    qv_error err;
    CHECK(env_open(&e));
    ledger l;
    memset(&l, 0, sizeof l);
    qv_table_provider provider = {ledger_get_schema, ledger_scan, NULL, NULL};
    qv_table *table = NULL;
    CHECK_OK(qv_table_new(&provider, &l, &table, &err));
    qv_session *s = session_for(&e, "alice");
    CHECK_OK(qv_session_register_table(s, "ledger", table, &err));
    CHECK_STATUS(api_test_run(s, "INSERT INTO ledger VALUES ('a', 1)", &err), QV_NOT_IMPLEMENTED);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM ledger", &err), 0);
    qv_table_provider no_scan = {ledger_get_schema, NULL, NULL, NULL};
    qv_table *t2 = (qv_table *)&l;
    CHECK_STATUS(qv_table_new(&no_scan, &l, &t2, &err), QV_MISUSE);
    CHECK(t2 == NULL);
    CHECK_STATUS(qv_table_new(NULL, &l, &t2, &err), QV_MISUSE);
    CHECK_STATUS(qv_session_register_table(s, NULL, table, &err), QV_MISUSE);
    CHECK_STATUS(qv_runtime_register_table(e.rt, "x", NULL, &err), QV_MISUSE);
    qv_table_free(NULL);
    qv_table_free(table);
    qv_session_free(s);
    env_close(&e);
}

static qv_status failing_schema(void *user_data, struct ArrowSchema *out, qv_error *err)
{
    (void)user_data;
    (void)out;
    (void)err;
    return QV_IO;
}

TEST(custom_provider_schema_failure)
{
    qv_error err;
    qv_table_provider provider = {failing_schema, ledger_scan, NULL, ledger_release};
    ledger l;
    memset(&l, 0, sizeof l);
    qv_table *table = NULL;
    CHECK_STATUS(qv_table_new(&provider, &l, &table, &err), QV_IO);
    CHECK(table == NULL);
    CHECK(strstr(err.message, "schema failed") != NULL);
    CHECK(!l.released); /* not taken on failure */
}

static qv_table *memory_table(int64_t n_rows)
{
    qv_error err;
    arrow_schema *schema = NULL;
    arrow_field *field = NULL;
    arrow_builder *b = NULL;
    arrow_array *col = NULL;
    arrow_batch *batch = NULL;
    catalog_table *t = NULL;
    qv_table *out = NULL;
    arrow_field_new("x", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &field, &err);
    arrow_schema_new(1, &field, NULL, &schema, &err);
    arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &b, &err);
    for (int64_t i = 0; i < n_rows; i++)
        arrow_builder_append_int(b, i, &err);
    arrow_builder_finish(b, &col, &err);
    arrow_batch_new(schema, n_rows, &col, &batch, &err);
    catalog_memory_table_new(schema, &batch, 1, &t, &err);
    session_table_new(t, &out, &err);
    catalog_table_release(t);
    arrow_batch_release(batch);
    arrow_array_release(col);
    arrow_builder_free(b);
    arrow_schema_release(schema);
    arrow_field_release(field);
    return out;
}

TEST(register_tables_runtime_and_session)
{
    env e;
    qv_error err;
    CHECK(env_open(&e));
    qv_session *early = session_for(&e, NULL);
    qv_table *t3 = memory_table(3), *t5 = memory_table(5);
    CHECK(t3 != NULL && t5 != NULL);
    CHECK_OK(qv_runtime_register_table(e.rt, "Shared", t3, &err));
    CHECK_STATUS(qv_runtime_register_table(e.rt, "shared", t5, &err), QV_ALREADY_EXISTS);
    CHECK_OK(qv_runtime_register_table(e.rt, "\"Mixed.Case\"", t5, &err));
    CHECK_OK(qv_runtime_register_table(e.rt, "datafusion.public.full", t5, &err));
    CHECK_STATUS(qv_runtime_register_table(e.rt, "nope.t", t5, &err), QV_NOT_FOUND);
    static const char *const bad_names[] = {"", "a..b", "a.b.c.d", "\"open", "\"x\"y", "t."};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        qv_status st = qv_runtime_register_table(e.rt, bad_names[i], t5, &err);
        if (st != QV_INVALID)
            test_fail(__FILE__, __LINE__, "'%s' gave %s", bad_names[i], qv_status_name(st));
    }
    /* Sessions opened before and after the registration both see it. */
    qv_session *late = session_for(&e, NULL);
    CHECK_INT_EQ(api_test_query_int(early, "SELECT count(*) FROM shared", &err), 3);
    CHECK_INT_EQ(api_test_query_int(late, "SELECT count(*) FROM SHARED", &err), 3);
    CHECK_INT_EQ(api_test_query_int(late, "SELECT count(*) FROM \"Mixed.Case\"", &err), 5);
    CHECK_INT_EQ(api_test_query_int(late, "SELECT count(*) FROM full", &err), 5);
    /* A session's own table shadows the shared one, for that session only. */
    CHECK_OK(qv_session_register_table(late, "shared", t5, &err));
    CHECK_INT_EQ(api_test_query_int(late, "SELECT count(*) FROM shared", &err), 5);
    CHECK_INT_EQ(api_test_query_int(early, "SELECT count(*) FROM shared", &err), 3);
    CHECK_STATUS(qv_session_register_table(late, "shared", t3, &err), QV_ALREADY_EXISTS);
    /* SQL DROP in a session removes its own table, not the shared one. */
    CHECK_OK(api_test_run(late, "DROP TABLE shared", &err));
    CHECK_INT_EQ(api_test_query_int(late, "SELECT count(*) FROM shared", &err), 3);
    /* Handles freed while registered: the catalogs keep the tables. */
    qv_table_free(t3);
    qv_table_free(t5);
    CHECK_INT_EQ(api_test_query_int(early, "SELECT sum(x) FROM shared", &err), 3);
    qv_session_free(early);
    qv_session_free(late);
    env_close(&e);
}

/* Bytes a session of p holds while alive (thread allocator counter). */
static int64_t session_bytes(qv_profile *p)
{
    qv_error err;
    qv_session *s = NULL;
    int64_t before = base_alloc_thread_bytes();
    if (qv_session_new(p, NULL, &s, &err) != QV_OK)
        return -1;
    int64_t bytes = base_alloc_thread_bytes() - before;
    qv_session_free(s);
    return bytes;
}

TEST(session_cost_independent_of_tables)
{
    env e;
    qv_error err;
    CHECK(env_open(&e));
    qv_table *t = memory_table(1);
    int64_t empty = session_bytes(e.profile);
    CHECK(empty > 0);
    for (int i = 0; i < 2000; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%d", i);
        CHECK_OK(qv_runtime_register_table(e.rt, name, t, &err));
    }
    CHECK_INT_EQ(session_bytes(e.profile), empty);
    CHECK(empty <= 2048);
    qv_session *s = session_for(&e, NULL);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM t1999", &err), 1);
    qv_session_free(s);
    qv_table_free(t);
    env_close(&e);
}

/* ---- many threads making sessions of one profile at once ---- */

static qv_status create_view(qv_session *session, void *user_data, qv_error *err)
{
    (void)user_data;
    return api_test_run(session, "CREATE VIEW mine AS SELECT * FROM shared", err);
}

TEST(sessions_from_many_threads)
{
    env e;
    qv_error err;
    CHECK(env_open(&e));
    CHECK_OK(qv_profile_set(e.profile, "datafusion.execution.target_partitions", "1", &err));
    qv_configurator c = {create_view, NULL, NULL};
    CHECK_OK(qv_profile_add_configurator(e.profile, &c, &err));
    qv_table *t = memory_table(3);
    CHECK_OK(qv_runtime_register_table(e.rt, "shared", t, &err));
    api_test_session_job jobs[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (api_test_session_job){e.profile, "SELECT count(*) FROM mine", 100, 0, QV_OK};
        CHECK(pthread_create(&threads[i], NULL, api_test_make_sessions, &jobs[i]) == 0);
    }
    /* Registering in the shared catalog meanwhile. */
    for (int i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof name, "extra%d", i);
        CHECK_OK(qv_runtime_register_table(e.rt, name, t, &err));
    }
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < 4; i++) {
        CHECK_OK(jobs[i].status);
        CHECK_INT_EQ(jobs[i].total, 300);
    }
    qv_table_free(t);
    env_close(&e);
}
