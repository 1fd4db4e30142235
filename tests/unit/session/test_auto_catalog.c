/*
 * test_auto_catalog.c — the `default` schema a profile loads from
 * datafusion.catalog.location / datafusion.catalog.format (auto_catalog.c):
 * a table per file or subdirectory, header setting, loaded once per
 * profile and shared by its sessions (same providers, later files in the
 * directory not picked up), sessions made from many threads, and the
 * errors (ambiguous names, a missing directory, an unknown format, a
 * remote URL), after which the next session tries again.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, pthreads */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quiver.h"
#include "session/session_int.h"
#include "test.h"

static bool write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

static bool make_dir(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return mkdir(path, 0700) == 0;
}

static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* customer.csv, orders/ (two files), .hidden, empty/ (no table). */
static bool make_tables(char *dir)
{
    strcpy(dir, "/tmp/qv_auto_catalogXXXXXX");
    return mkdtemp(dir) != NULL && write_file(dir, "customer.csv", "id,name\n1,ann\n2,bob\n") &&
           make_dir(dir, "orders") &&
           write_file(dir, "orders/part-0.csv", "id,amount\n1,10\n2,20\n") &&
           write_file(dir, "orders/part-1.csv", "id,amount\n3,30\n") &&
           write_file(dir, ".hidden", "not a table\n") && make_dir(dir, "empty");
}

/* The first column of the first row as int64 (-1 when missing or on error). */
static int64_t query_int(qv_session *s, const char *sql, qv_error *err)
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

static qv_status profile_at(qv_runtime *rt, const char *location, const char *format,
                            qv_profile **out, qv_error *err)
{
    QV_TRY(qv_profile_new(rt, out, err));
    qv_status st = QV_OK;
    if (location != NULL)
        st = qv_profile_set(*out, "datafusion.catalog.location", location, err);
    if (st == QV_OK && format != NULL)
        st = qv_profile_set(*out, "datafusion.catalog.format", format, err);
    if (st == QV_OK)
        st = qv_profile_set(*out, "datafusion.catalog.information_schema", "true", err);
    if (st != QV_OK) {
        qv_profile_free(*out);
        *out = NULL;
    }
    return st;
}

TEST(auto_catalog_tables_from_directory)
{
    char dir[64];
    CHECK(make_tables(dir));
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    qv_session *s = NULL;
    char url[128];
    snprintf(url, sizeof url, "file://%s/", dir);
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(profile_at(rt, url, "csv", &profile, &err)); /* the format in any case */
    CHECK_OK(qv_session_new(profile, NULL, &s, &err));
    CHECK_INT_EQ(query_int(s, "SELECT count(*) FROM \"default\".customer", &err), 2);
    CHECK_INT_EQ(query_int(s, "SELECT sum(amount) FROM datafusion.default.orders", &err), 60);
    CHECK_INT_EQ(query_int(s, "SELECT max(id) FROM \"default\".orders", &err), 3);
    CHECK_INT_EQ(query_int(s,
                           "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                           "'default'",
                           &err),
                 2);
    /* no table for the empty directory or the hidden file */
    CHECK_INT_EQ(query_int(s, "SELECT count(*) FROM \"default\".empty", &err), -1);
    CHECK(strstr(err.message, "not found") != NULL);
    /* a session's own tables can live next to them */
    CHECK_INT_EQ(query_int(s,
                           "CREATE TABLE \"default\".mine AS VALUES (1); SELECT count(*) FROM "
                           "\"default\".mine",
                           &err),
                 1);
    qv_session_free(s);
    qv_profile_free(profile);
    qv_runtime_free(rt);
    remove_tree(dir);
}

TEST(auto_catalog_has_header_setting)
{
    char dir[64];
    CHECK(make_tables(dir));
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    qv_session *s = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(profile_at(rt, dir, "CSV", &profile, &err));
    CHECK_OK(qv_profile_set(profile, "datafusion.catalog.has_header", "false", &err));
    CHECK_OK(qv_session_new(profile, NULL, &s, &err));
    /* the header line is a row now */
    CHECK_INT_EQ(query_int(s, "SELECT count(*) FROM \"default\".customer", &err), 3);
    qv_session_free(s);
    qv_profile_free(profile);
    qv_runtime_free(rt);
    remove_tree(dir);
}

TEST(auto_catalog_loaded_once_per_profile)
{
    char dir[64];
    CHECK(make_tables(dir));
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    qv_session *first = NULL, *second = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(profile_at(rt, dir, "CSV", &profile, &err));
    CHECK_OK(qv_session_new(profile, NULL, &first, &err));
    CHECK(write_file(dir, "late.csv", "x\n1\n"));
    CHECK_OK(qv_session_new(profile, NULL, &second, &err));
    /* both sessions use the same providers, made when the first came */
    catalog_entry a, b;
    CHECK_OK(catalog_lookup(first->catalog, "datafusion", "default", "customer", &a, &err));
    CHECK_OK(catalog_lookup(second->catalog, "datafusion", "default", "customer", &b, &err));
    bool same = a.table == b.table;
    catalog_entry_clear(&a);
    catalog_entry_clear(&b);
    CHECK(same);
    CHECK_INT_EQ(query_int(second, "SELECT count(*) FROM \"default\".late", &err), -1);
    /* a new profile lists the directory again */
    qv_profile *fresh = NULL;
    qv_session *third = NULL;
    CHECK_OK(profile_at(rt, dir, "CSV", &fresh, &err));
    CHECK_OK(qv_session_new(fresh, NULL, &third, &err));
    CHECK_INT_EQ(query_int(third, "SELECT count(*) FROM \"default\".late", &err), 1);
    qv_session_free(third);
    qv_profile_free(fresh);
    qv_session_free(first);
    qv_session_free(second);
    qv_profile_free(profile);
    qv_runtime_free(rt);
    remove_tree(dir);
}

typedef struct thread_job {
    qv_profile *profile;
    int64_t total;
    bool failed;
} thread_job;

static void *make_sessions(void *arg)
{
    thread_job *job = arg;
    for (int i = 0; i < 8; i++) {
        qv_error err;
        qv_session *s = NULL;
        if (qv_session_new(job->profile, NULL, &s, &err) != QV_OK) {
            job->failed = true;
            return NULL;
        }
        job->total += query_int(s, "SELECT count(*) FROM \"default\".customer", &err);
        qv_session_free(s);
    }
    return NULL;
}

TEST(auto_catalog_sessions_from_many_threads)
{
    char dir[64];
    CHECK(make_tables(dir));
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(profile_at(rt, dir, "CSV", &profile, &err));
    enum { N_THREADS = 4 };
    pthread_t threads[N_THREADS];
    thread_job jobs[N_THREADS];
    for (int t = 0; t < N_THREADS; t++) {
        jobs[t] = (thread_job){profile, 0, false};
        CHECK(pthread_create(&threads[t], NULL, make_sessions, &jobs[t]) == 0);
    }
    for (int t = 0; t < N_THREADS; t++)
        pthread_join(threads[t], NULL);
    for (int t = 0; t < N_THREADS; t++) {
        CHECK(!jobs[t].failed);
        CHECK_INT_EQ(jobs[t].total, 8 * 2);
    }
    qv_profile_free(profile);
    qv_runtime_free(rt);
    remove_tree(dir);
}

/* qv_session_new's status and message for a profile at location. */
static qv_status session_error(qv_runtime *rt, const char *location, const char *format,
                               qv_error *err)
{
    qv_profile *profile = NULL;
    QV_TRY(profile_at(rt, location, format, &profile, err));
    qv_session *s = NULL;
    qv_status st = qv_session_new(profile, NULL, &s, err);
    if (st != QV_OK) /* the next session tries again, and fails the same way */
        st = qv_session_new(profile, NULL, &s, err);
    qv_session_free(s);
    qv_profile_free(profile);
    return st;
}

TEST(auto_catalog_errors)
{
    char dir[64];
    CHECK(make_tables(dir));
    qv_error err;
    qv_runtime *rt = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_STATUS(session_error(rt, dir, "DELTATABLE", &err), QV_EXECUTION);
    CHECK_STR_EQ(err.message, "Execution error: Unable to find factory for DELTATABLE (in "
                              "datafusion.catalog.format)");
    CHECK_STATUS(session_error(rt, "/nonexistent/quiver/dir", "CSV", &err), QV_NOT_FOUND);
    CHECK(strstr(err.message, "is not a directory") != NULL);
    CHECK_STATUS(session_error(rt, "s3://bucket/data", "CSV", &err), QV_NOT_IMPLEMENTED);
    /* two entries for one name */
    CHECK(write_file(dir, "customer.json", "{\"id\": 1}\n"));
    CHECK_STATUS(session_error(rt, dir, "CSV", &err), QV_PLAN);
    CHECK_STR_EQ(err.message, "Error during planning: ambiguous discovered table name: customer");
    /* one key alone asks for nothing */
    qv_profile *profile = NULL;
    qv_session *s = NULL;
    CHECK_OK(profile_at(rt, dir, NULL, &profile, &err));
    CHECK_OK(qv_session_new(profile, NULL, &s, &err));
    CHECK_INT_EQ(query_int(s, "SELECT count(*) FROM \"default\".orders", &err), -1);
    qv_session_free(s);
    qv_profile_free(profile);
    qv_runtime_free(rt);
    remove_tree(dir);
}
