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

#include "api_test_util.h"
#include "quiver.h"
#include "session/session_int.h"
#include "test.h"

static bool make_dir(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return mkdir(path, 0700) == 0;
}

/* customer.csv, orders/ (two files), .hidden, empty/ (no table). */
static bool make_tables(char *dir)
{
    strcpy(dir, "/tmp/qv_auto_catalogXXXXXX");
    return mkdtemp(dir) != NULL &&
           api_test_write_file(dir, "customer.csv", "id,name\n1,ann\n2,bob\n") &&
           make_dir(dir, "orders") &&
           api_test_write_file(dir, "orders/part-0.csv", "id,amount\n1,10\n2,20\n") &&
           api_test_write_file(dir, "orders/part-1.csv", "id,amount\n3,30\n") &&
           api_test_write_file(dir, ".hidden", "not a table\n") && make_dir(dir, "empty");
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

/* make_tables' directory and a runtime over it; the profile is the test's
 * to make (fixture_close frees it when set). */
typedef struct fixture {
    char dir[64];
    qv_runtime *rt;
    qv_profile *profile;
} fixture;

static bool fixture_open(fixture *f)
{
    *f = (fixture){.rt = NULL};
    return make_tables(f->dir) && qv_runtime_new(NULL, &f->rt, NULL) == QV_OK;
}

static void fixture_close(fixture *f)
{
    qv_profile_free(f->profile);
    qv_runtime_free(f->rt);
    api_test_remove_tree(f->dir);
}

TEST(auto_catalog_tables_from_directory)
{
    fixture f;
    CHECK(fixture_open(&f));
    qv_error err;
    qv_session *s = NULL;
    char url[128];
    snprintf(url, sizeof url, "file://%s/", f.dir);
    CHECK_OK(profile_at(f.rt, url, "csv", &f.profile, &err)); /* the format in any case */
    CHECK_OK(qv_session_new(f.profile, NULL, &s, &err));
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM \"default\".customer", &err), 2);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT sum(amount) FROM datafusion.default.orders", &err),
                 60);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT max(id) FROM \"default\".orders", &err), 3);
    CHECK_INT_EQ(
        api_test_query_int(s,
                           "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                           "'default'",
                           &err),
        2);
    /* no table for the empty directory or the hidden file */
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM \"default\".empty", &err), -1);
    CHECK(strstr(err.message, "not found") != NULL);
    /* a session's own tables can live next to them */
    CHECK_INT_EQ(
        api_test_query_int(s,
                           "CREATE TABLE \"default\".mine AS VALUES (1); SELECT count(*) FROM "
                           "\"default\".mine",
                           &err),
        1);
    qv_session_free(s);
    fixture_close(&f);
}

TEST(auto_catalog_has_header_setting)
{
    fixture f;
    CHECK(fixture_open(&f));
    qv_error err;
    qv_session *s = NULL;
    CHECK_OK(profile_at(f.rt, f.dir, "CSV", &f.profile, &err));
    CHECK_OK(qv_profile_set(f.profile, "datafusion.catalog.has_header", "false", &err));
    CHECK_OK(qv_session_new(f.profile, NULL, &s, &err));
    /* the header line is a row now */
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM \"default\".customer", &err), 3);
    qv_session_free(s);
    fixture_close(&f);
}

TEST(auto_catalog_loaded_once_per_profile)
{
    fixture f;
    CHECK(fixture_open(&f));
    qv_error err;
    qv_session *first = NULL, *second = NULL;
    CHECK_OK(profile_at(f.rt, f.dir, "CSV", &f.profile, &err));
    CHECK_OK(qv_session_new(f.profile, NULL, &first, &err));
    CHECK(api_test_write_file(f.dir, "late.csv", "x\n1\n"));
    CHECK_OK(qv_session_new(f.profile, NULL, &second, &err));
    /* both sessions use the same providers, made when the first came */
    catalog_entry a, b;
    CHECK_OK(catalog_lookup(first->catalog, "datafusion", "default", "customer", &a, &err));
    CHECK_OK(catalog_lookup(second->catalog, "datafusion", "default", "customer", &b, &err));
    bool same = a.table == b.table;
    catalog_entry_clear(&a);
    catalog_entry_clear(&b);
    CHECK(same);
    CHECK_INT_EQ(api_test_query_int(second, "SELECT count(*) FROM \"default\".late", &err), -1);
    /* a new profile lists the directory again */
    qv_profile *fresh = NULL;
    qv_session *third = NULL;
    CHECK_OK(profile_at(f.rt, f.dir, "CSV", &fresh, &err));
    CHECK_OK(qv_session_new(fresh, NULL, &third, &err));
    CHECK_INT_EQ(api_test_query_int(third, "SELECT count(*) FROM \"default\".late", &err), 1);
    qv_session_free(third);
    qv_profile_free(fresh);
    qv_session_free(first);
    qv_session_free(second);
    fixture_close(&f);
}

TEST(auto_catalog_sessions_from_many_threads)
{
    fixture f;
    CHECK(fixture_open(&f));
    qv_error err;
    CHECK_OK(profile_at(f.rt, f.dir, "CSV", &f.profile, &err));
    enum { N_THREADS = 4 };
    pthread_t threads[N_THREADS];
    api_test_session_job jobs[N_THREADS];
    for (int t = 0; t < N_THREADS; t++) {
        jobs[t] = (api_test_session_job){f.profile, "SELECT count(*) FROM \"default\".customer", 8,
                                         0, QV_OK};
        CHECK(pthread_create(&threads[t], NULL, api_test_make_sessions, &jobs[t]) == 0);
    }
    for (int t = 0; t < N_THREADS; t++)
        pthread_join(threads[t], NULL);
    for (int t = 0; t < N_THREADS; t++) {
        CHECK_OK(jobs[t].status);
        CHECK_INT_EQ(jobs[t].total, 8 * 2);
    }
    fixture_close(&f);
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
    fixture f;
    CHECK(fixture_open(&f));
    qv_error err;
    CHECK_STATUS(session_error(f.rt, f.dir, "DELTATABLE", &err), QV_EXECUTION);
    CHECK_STR_EQ(err.message, "Execution error: Unable to find factory for DELTATABLE (in "
                              "datafusion.catalog.format)");
    CHECK_STATUS(session_error(f.rt, "/nonexistent/quiver/dir", "CSV", &err), QV_NOT_FOUND);
    CHECK(strstr(err.message, "is not a directory") != NULL);
    CHECK_STATUS(session_error(f.rt, "s3://bucket/data", "CSV", &err), QV_NOT_IMPLEMENTED);
    /* two entries for one name */
    CHECK(api_test_write_file(f.dir, "customer.json", "{\"id\": 1}\n"));
    CHECK_STATUS(session_error(f.rt, f.dir, "CSV", &err), QV_PLAN);
    CHECK_STR_EQ(err.message, "Error during planning: ambiguous discovered table name: customer");
    /* one key alone asks for nothing */
    qv_session *s = NULL;
    CHECK_OK(profile_at(f.rt, f.dir, NULL, &f.profile, &err));
    CHECK_OK(qv_session_new(f.profile, NULL, &s, &err));
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM \"default\".orders", &err), -1);
    qv_session_free(s);
    fixture_close(&f);
}
