/*
 * test_file_cache.c — the runtime's list-files and statistics caches
 * (src/catalog/file_cache.c): hits and keys, least-recently-used eviction
 * by bytes, the limit 0, time-to-live on an injected clock, invalidation
 * by written paths, statistics checked against size and modification
 * time, and many threads at once.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../harness/test.h"
#include "catalog/file_cache.h"

/* A listing of n files root/f0 .. root/f<n-1>. */
static io_file_list listing(const char *root, int32_t n)
{
    io_file_list list = {0, base_calloc((size_t)(n > 0 ? n : 1), sizeof(io_file_entry))};
    for (int32_t i = 0; i < n; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/f%d", root, (int)i);
        list.entries[i].path = base_strdup(path);
        list.entries[i].size = 100 + i;
        list.entries[i].mtime_ns = 1000000000LL * (i + 1);
        list.n++;
    }
    return list;
}

/* Puts n files under root (no table, no extension). */
static qv_status put(catalog_file_cache *cache, const char *root, int32_t n, qv_error *err)
{
    io_file_list files = listing(root, n);
    catalog_list_key key = {NULL, root, NULL, true};
    qv_status st = catalog_file_cache_list_put(cache, &key, &files, err);
    io_file_list_free(&files);
    return st;
}

/* Files cached under root (-1: a miss). */
static int32_t cached(catalog_file_cache *cache, const char *root)
{
    io_file_list files = {0};
    bool hit = false;
    catalog_list_key key = {NULL, root, NULL, true};
    if (catalog_file_cache_list_get(cache, &key, &files, &hit, NULL) != QV_OK)
        return -2;
    int32_t n = hit ? files.n : -1;
    io_file_list_free(&files);
    return n;
}

TEST(list_cache_hits_by_key)
{
    qv_error err;
    catalog_file_cache *cache = NULL;
    CHECK_OK(catalog_file_cache_new(&cache, &err));
    CHECK_OK(put(cache, "/data/a", 3, &err));
    io_file_list files = {0};
    bool hit = false;
    catalog_list_key key = {NULL, "/data/a", NULL, true};
    CHECK_OK(catalog_file_cache_list_get(cache, &key, &files, &hit, &err));
    CHECK(hit);
    CHECK_INT_EQ(files.n, 3);
    CHECK_STR_EQ(files.entries[2].path, "/data/a/f2");
    CHECK_INT_EQ(files.entries[2].size, 102);
    CHECK_INT_EQ(files.entries[2].mtime_ns, 3000000000LL);
    io_file_list_free(&files);
    /* the table, extension and subdirectory rule are part of the key */
    catalog_list_key others[3] = {{"t", "/data/a", NULL, true},
                                  {NULL, "/data/a", ".csv", true},
                                  {NULL, "/data/a", NULL, false}};
    for (int i = 0; i < 3; i++) {
        CHECK_OK(catalog_file_cache_list_get(cache, &others[i], &files, &hit, &err));
        CHECK(!hit);
    }
    catalog_file_cache_free(cache);
}

TEST(list_cache_evicts_least_recently_used)
{
    qv_error err;
    catalog_file_cache *cache = NULL;
    CHECK_OK(catalog_file_cache_new(&cache, &err));
    /* each entry: key bytes + 4 files (entry struct + path) — about 170 bytes */
    catalog_file_cache_set_list_limit(cache, 400);
    CHECK_OK(put(cache, "/d/one", 4, &err));
    CHECK_OK(put(cache, "/d/two", 4, &err));
    CHECK_INT_EQ(cached(cache, "/d/one"), 4); /* one is now the most recent */
    CHECK_OK(put(cache, "/d/three", 4, &err));
    CHECK_INT_EQ(cached(cache, "/d/two"), -1);
    CHECK_INT_EQ(cached(cache, "/d/one"), 4);
    CHECK_INT_EQ(cached(cache, "/d/three"), 4);
    /* an entry larger than the limit is not kept, and evicts nothing */
    CHECK_OK(put(cache, "/d/huge", 50, &err));
    CHECK_INT_EQ(cached(cache, "/d/huge"), -1);
    CHECK_INT_EQ(cached(cache, "/d/one"), 4);
    /* lowering the limit evicts; 0 keeps nothing */
    catalog_file_cache_set_list_limit(cache, 0);
    CHECK_INT_EQ(cached(cache, "/d/one"), -1);
    CHECK_OK(put(cache, "/d/one", 1, &err));
    CHECK_INT_EQ(cached(cache, "/d/one"), -1);
    catalog_file_cache_free(cache);
}

static int64_t fake_now;
static int64_t fake_clock(void *user)
{
    (void)user;
    return fake_now;
}

static qv_status count_entry(void *user, const catalog_list_entry_info *entry, qv_error *err)
{
    (void)err;
    int64_t *last_expiry = user;
    *last_expiry = entry->expires_in_ns;
    return QV_OK;
}

TEST(list_cache_ttl_on_injected_clock)
{
    qv_error err;
    catalog_file_cache *cache = NULL;
    CHECK_OK(catalog_file_cache_new(&cache, &err));
    catalog_file_cache_set_clock(cache, fake_clock, NULL);
    fake_now = 1000;
    CHECK_OK(put(cache, "/never", 1, &err)); /* no TTL yet: never expires */
    catalog_file_cache_set_list_ttl(cache, 10 * 1000000000LL);
    CHECK_OK(put(cache, "/ttl", 1, &err));
    fake_now += 4 * 1000000000LL;
    CHECK_INT_EQ(cached(cache, "/ttl"), 1);
    int64_t expiry = 0;
    CHECK_OK(catalog_file_cache_visit_lists(cache, count_entry, &expiry, &err));
    CHECK_INT_EQ(expiry, 6 * 1000000000LL); /* sorted by root: /ttl comes last */
    fake_now += 6 * 1000000000LL;
    CHECK_INT_EQ(cached(cache, "/ttl"), -1);
    CHECK_INT_EQ(cached(cache, "/never"), 1);
    fake_now += 1000 * 1000000000LL;
    CHECK_INT_EQ(cached(cache, "/never"), 1);
    catalog_file_cache_free(cache);
}

TEST(list_cache_invalidated_by_writes)
{
    qv_error err;
    catalog_file_cache *cache = NULL;
    CHECK_OK(catalog_file_cache_new(&cache, &err));
    CHECK_OK(put(cache, "/w/table", 1, &err));
    CHECK_OK(put(cache, "/w/table/year=2024", 1, &err));
    CHECK_OK(put(cache, "/w/tables", 1, &err));
    CHECK_OK(put(cache, "/w/other", 1, &err));
    /* a file written below /w/table: the table and the partition holding it */
    catalog_file_cache_invalidate(cache, "/w/table/year=2024/part.csv");
    CHECK_INT_EQ(cached(cache, "/w/table"), -1);
    CHECK_INT_EQ(cached(cache, "/w/table/year=2024"), -1);
    CHECK_INT_EQ(cached(cache, "/w/tables"), 1);
    /* a whole directory written: everything under it */
    CHECK_OK(put(cache, "/w/table/year=2025", 1, &err));
    catalog_file_cache_invalidate(cache, "/w/");
    CHECK_INT_EQ(cached(cache, "/w/table/year=2025"), -1);
    CHECK_INT_EQ(cached(cache, "/w/other"), -1);
    catalog_file_cache_free(cache);
}

TEST(statistics_cache_checks_size_and_time)
{
    qv_error err;
    catalog_file_cache *cache = NULL;
    CHECK_OK(catalog_file_cache_new(&cache, &err));
    catalog_file_stats stats = {42, 3, 1000}, got;
    CHECK_OK(catalog_file_cache_stats_put(cache, "/s/a.parquet", 1000, 77, &stats, &err));
    CHECK(catalog_file_cache_stats_get(cache, "/s/a.parquet", 1000, 77, &got));
    CHECK_INT_EQ(got.num_rows, 42);
    CHECK_INT_EQ(got.num_columns, 3);
    CHECK(!catalog_file_cache_stats_get(cache, "/s/a.parquet", 1001, 77, &got));
    CHECK(!catalog_file_cache_stats_get(cache, "/s/a.parquet", 1000, 78, &got));
    CHECK(!catalog_file_cache_stats_get(cache, "/s/b.parquet", 1000, 77, &got));
    /* a new version of the file replaces the entry */
    stats.num_rows = 43;
    CHECK_OK(catalog_file_cache_stats_put(cache, "/s/a.parquet", 2000, 88, &stats, &err));
    CHECK(catalog_file_cache_stats_get(cache, "/s/a.parquet", 2000, 88, &got));
    CHECK_INT_EQ(got.num_rows, 43);
    /* eviction by bytes: a limit that holds about two entries */
    catalog_file_cache_set_stats_limit(cache, 2 * (int64_t)(sizeof(catalog_file_stats) + 100));
    for (int i = 0; i < 10; i++) {
        char path[64];
        snprintf(path, sizeof path, "/s/file%d", i);
        CHECK_OK(catalog_file_cache_stats_put(cache, path, i, i, &stats, &err));
    }
    CHECK(catalog_file_cache_stats_get(cache, "/s/file9", 9, 9, &got));
    CHECK(!catalog_file_cache_stats_get(cache, "/s/file0", 0, 0, &got));
    CHECK(!catalog_file_cache_stats_get(cache, "/s/a.parquet", 2000, 88, &got));
    catalog_file_cache_free(cache);
}

/* ---- many threads ---- */

typedef struct worker_args {
    catalog_file_cache *cache;
    int id;
    int failures;
} worker_args;

static void *worker(void *p)
{
    worker_args *a = p;
    for (int i = 0; i < 2000; i++) {
        char root[64];
        snprintf(root, sizeof root, "/t/%d/%d", (a->id + i) % 5, i % 7);
        switch (i % 5) {
        case 0:
        case 1:
            if (put(a->cache, root, 1 + i % 4, NULL) != QV_OK)
                a->failures++;
            break;
        case 2: {
            int32_t n = cached(a->cache, root);
            if (n == -2 || n == 0 || n > 4)
                a->failures++; /* a hit always holds what some put stored */
            break;
        }
        case 3:
            catalog_file_cache_invalidate(a->cache, i % 2 ? root : "/t/1");
            break;
        default: {
            catalog_file_stats stats = {i, 1, -1}, got;
            if (catalog_file_cache_stats_put(a->cache, root, i, i, &stats, NULL) != QV_OK)
                a->failures++;
            catalog_file_cache_stats_get(a->cache, root, i, i, &got);
            catalog_file_cache_set_list_limit(a->cache, i % 3 == 0 ? 2000 : 1 << 20);
        }
        }
    }
    return NULL;
}

TEST(caches_are_thread_safe)
{
    qv_error err;
    catalog_file_cache *cache = NULL;
    CHECK_OK(catalog_file_cache_new(&cache, &err));
    catalog_file_cache_set_list_ttl(cache, 1000000); /* 1 ms: entries expire meanwhile */
    enum { N = 4 };
    pthread_t threads[N];
    worker_args args[N];
    for (int t = 0; t < N; t++) {
        args[t] = (worker_args){cache, t, 0};
        CHECK(pthread_create(&threads[t], NULL, worker, &args[t]) == 0);
    }
    for (int t = 0; t < N; t++)
        pthread_join(threads[t], NULL);
    for (int t = 0; t < N; t++)
        CHECK_INT_EQ(args[t].failures, 0);
    int64_t expiry = 0;
    CHECK_OK(catalog_file_cache_visit_lists(cache, count_entry, &expiry, &err));
    catalog_file_cache_free(cache);
}
