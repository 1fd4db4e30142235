/*
 * test_file_cache_session.c — the runtime's list-files cache as queries
 * see it (src/catalog/file_cache.c through listing tables): a directory is
 * listed once, so a file added behind the engine's back is not seen until
 * the listing goes (a write through the engine, the limit 0, or the TTL on
 * an injected clock), as DataFusion's cache behaves; and one session's
 * listing serves the others.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_test_util.h"
#include "quiver.h"
#include "session/session_int.h"
#include "test.h"

static int64_t fake_now;
static int64_t fake_clock(void *user)
{
    (void)user;
    return fake_now;
}

TEST(list_cache_serves_scans_until_the_listing_goes)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/qv_lfcXXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    CHECK(api_test_write_file(dir, "a.csv", "v\n1\n2\n"));
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    qv_session *s = NULL, *other = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    catalog_file_cache_set_clock(rt->file_cache, fake_clock, NULL);
    CHECK_OK(qv_profile_new(rt, &profile, &err));
    CHECK_OK(qv_session_new(profile, NULL, &s, &err));
    CHECK_OK(qv_session_new(profile, NULL, &other, &err));
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE EXTERNAL TABLE t STORED AS CSV LOCATION '%s/'", dir);
    CHECK_INT_EQ(api_test_query_int(s, sql, &err), -1);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM t", &err), 2);
    /* behind the engine's back: the cached listing does not have it */
    CHECK(api_test_write_file(dir, "b.csv", "v\n3\n"));
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM t", &err), 2);
    /* a write through the engine drops the listing */
    CHECK_INT_EQ(api_test_query_int(s, "INSERT INTO t VALUES (4)", &err), 1);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM t", &err), 4);
    /* the cache is the runtime's: another session's read path lists nothing
     * new either */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM read_csv('%s/')", dir);
    CHECK_INT_EQ(api_test_query_int(other, sql, &err), 4);
    CHECK(api_test_write_file(dir, "c.csv", "v\n5\n"));
    CHECK_INT_EQ(api_test_query_int(other, sql, &err), 4);
    /* limit 0: every scan lists */
    CHECK_INT_EQ(
        api_test_query_int(s, "SET datafusion.runtime.list_files_cache_limit = '0K'", &err), -1);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM t", &err), 5);
    CHECK_INT_EQ(api_test_query_int(s, "RESET datafusion.runtime.list_files_cache_limit", &err),
                 -1);
    /* a TTL: entries go when it passes */
    CHECK_INT_EQ(api_test_query_int(s, "SET datafusion.runtime.list_files_cache_ttl = '30s'", &err),
                 -1);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM t", &err), 5);
    CHECK(api_test_write_file(dir, "d.csv", "v\n6\n"));
    fake_now += 29 * 1000000000LL;
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM t", &err), 5);
    fake_now += 1000000000LL;
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM t", &err), 6);
    qv_session_free(other);
    qv_session_free(s);
    qv_profile_free(profile);
    qv_runtime_free(rt);
    CHECK(api_test_remove_tree(dir));
}

/* A result streaming rows keeps the pool of the session's memory limit
 * alive after the limit changes and after the session is gone. */
TEST(memory_limit_pool_outlives_its_session)
{
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    qv_session *s = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &profile, &err));
    CHECK_OK(qv_session_new(profile, NULL, &s, &err));
    CHECK_OK(qv_session_set(s, "datafusion.runtime.memory_limit", "64M", &err));
    qv_result *r = NULL;
    CHECK_OK(qv_session_sql(s, "SELECT v FROM generate_series(1, 50000) t(v) ORDER BY v DESC", &r,
                            &err));
    struct ArrowArray batch;
    CHECK_OK(qv_result_next(r, &batch, &err));
    CHECK(batch.release != NULL);
    batch.release(&batch);
    CHECK_OK(qv_session_set(s, "datafusion.runtime.memory_limit", "32M", &err));
    qv_session_free(s);
    do {
        CHECK_OK(qv_result_next(r, &batch, &err));
        if (batch.release != NULL)
            batch.release(&batch);
    } while (batch.release != NULL);
    qv_result_free(r);
    qv_profile_free(profile);
    qv_runtime_free(rt);
}
