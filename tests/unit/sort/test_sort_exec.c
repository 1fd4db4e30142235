/*
 * test_sort_exec.c — SortExec: orderings on several key types with nulls
 * first/last and descending, stability (row ids of equal keys ascending),
 * several partitions on a thread pool, output batch sizes 1 and 7, top-K
 * against full-sort prefixes (and never spilling), spilling under a tiny
 * memory limit (same output as in memory, spill metrics, more runs than the
 * merge fan-in), the 53200 error when one batch does not fit, randomized
 * runs against a reference insertion sort, EXPLAIN text, construction
 * errors, and memory: everything allocated is freed and the pool is empty,
 * also when a query stops early.
 */
#include <stdlib.h>

#include "sort_test_util.h"
#include "test.h"

enum { K_INT = 0, K_STR = 1, K_F = 2, K_ID = 3 };

/* Runs the sort and compares with the reference; strict: row ids too. */
static bool sort_matches(t_env *env, const t_input *in, int32_t n_keys, const exec_sort_key *keys,
                         int64_t fetch, bool strict, exec_node **node_out)
{
    qv_error err;
    arrow_batch *out = NULL;
    qv_status st = t_run_sort(env, in, n_keys, keys, fetch, &out, node_out, &err);
    if (st != QV_OK) {
        test_fail(__FILE__, __LINE__, "sort failed: %s", err.message);
        return false;
    }
    arrow_batch *all = t_input_concat(in);
    uint32_t *order = t_reference_order(all, n_keys, keys);
    int64_t n = fetch >= 0 && fetch < all->n_rows ? fetch : all->n_rows;
    bool ok = t_rows_match(out, all, order, n, n_keys, keys, strict);
    free(order);
    arrow_batch_release(all);
    arrow_batch_release(out);
    return ok;
}

TEST(sort_exec_key_types_directions_and_batch_sizes)
{
    int64_t total_before = base_alloc_total_bytes();
    uint64_t rng = 11;
    t_input in;
    t_input_random(&in, 1, 9, 40, 20, &rng);
    int64_t batch_sizes[3] = {1, 7, 8192};
    for (int b = 0; b < 3; b++) {
        t_env env;
        t_env_init(&env, 0, 0, batch_sizes[b]);
        for (int mode = 0; mode < 4; mode++) {
            bool desc = mode & 1, nf = mode & 2;
            exec_sort_key by_int = {K_INT, desc, nf}, by_str = {K_STR, desc, nf},
                          by_f = {K_F, desc, nf};
            exec_sort_key multi[3] = {{K_STR, !desc, nf}, {K_F, desc, !nf}, {K_INT, desc, nf}};
            CHECK(sort_matches(&env, &in, 1, &by_int, -1, true, NULL));
            CHECK(sort_matches(&env, &in, 1, &by_str, -1, true, NULL));
            CHECK(sort_matches(&env, &in, 1, &by_f, -1, true, NULL));
            CHECK(sort_matches(&env, &in, 3, multi, -1, true, NULL));
        }
        CHECK_INT_EQ(base_mem_pool_used(env.mem), 0);
        t_env_free(&env);
    }
    t_input_free(&in);
    CHECK_INT_EQ(base_alloc_total_bytes(), total_before);
}

TEST(sort_exec_stable_across_partitions_on_a_pool)
{
    qv_error err;
    uint64_t rng = 12;
    t_input in;
    t_input_random(&in, 3, 6, 50, 4, &rng); /* few distinct keys: many ties */
    t_env env;
    t_env_init(&env, 2, 0, 7);
    int64_t total_before = base_alloc_total_bytes();
    exec_sort_key key = {K_INT, false, false};
    arrow_batch *out;
    CHECK_OK(t_run_sort(&env, &in, 1, &key, -1, &out, NULL, &err));
    /* Equal keys keep partition, then arrival order: ids ascend. */
    const arrow_array *ints = out->columns[K_INT], *ids = out->columns[K_ID];
    for (int64_t i = 1; i < out->n_rows; i++) {
        if (t_equal(ints, i - 1, ints, i)) {
            int64_t a = ((const int64_t *)ids->buffers[1]->data)[ids->offset + i - 1];
            int64_t b = ((const int64_t *)ids->buffers[1]->data)[ids->offset + i];
            CHECK(a < b);
        }
    }
    arrow_batch_release(out);
    for (int rep = 0; rep < 5; rep++)
        CHECK(sort_matches(&env, &in, 1, &key, -1, true, NULL));
    CHECK_INT_EQ(base_alloc_total_bytes(), total_before);
    CHECK_INT_EQ(base_mem_pool_used(env.mem), 0);
    t_env_free(&env);
    t_input_free(&in);
}

TEST(sort_exec_fetch_is_full_sort_prefix)
{
    uint64_t rng = 13;
    t_input in;
    t_input_random(&in, 2, 20, 60, 50, &rng);
    exec_sort_key keys[2] = {{K_STR, true, false}, {K_INT, false, true}};
    int64_t fetches[7] = {0, 1, 3, 10, 59, 200, 100000};
    for (int bs = 0; bs < 2; bs++) {
        t_env env;
        /* A limit the full sort would have to spill under. */
        t_env_init(&env, 2, 60000, bs == 0 ? 7 : 8192);
        for (int f = 0; f < 7; f++) {
            if (fetches[f] > 1000)
                continue;
            exec_node *node = NULL;
            CHECK(sort_matches(&env, &in, 2, keys, fetches[f], true, &node));
            CHECK_INT_EQ(atomic_load(&node->metrics.spill_count), 0);
            CHECK_INT_EQ(atomic_load(&node->metrics.output_rows),
                         fetches[f] < in.total_rows ? fetches[f] : in.total_rows);
            exec_node_free(node);
        }
        t_env_free(&env);
        /* Unbounded: a fetch past the input returns everything. */
        t_env_init(&env, 0, 0, 100);
        CHECK(sort_matches(&env, &in, 2, keys, fetches[6], true, NULL));
        t_env_free(&env);
    }
    t_input_free(&in);
}

TEST(sort_exec_spills_under_a_small_limit)
{
    qv_error err;
    uint64_t rng = 14;
    t_input in;
    t_input_random(&in, 1, 60, 200, 1000, &rng);
    exec_sort_key keys[2] = {{K_F, false, true}, {K_STR, true, false}};
    t_env mem_env, spill_env;
    t_env_init(&mem_env, 0, 0, 64);
    t_env_init(&spill_env, 0, 40000, 64);
    int64_t total_before = base_alloc_total_bytes();
    arrow_batch *in_memory, *spilled;
    exec_node *node;
    CHECK_OK(t_run_sort(&mem_env, &in, 2, keys, -1, &in_memory, &node, &err));
    CHECK_INT_EQ(atomic_load(&node->metrics.spill_count), 0);
    CHECK(atomic_load(&node->metrics.mem_peak_bytes) > 0);
    exec_node_free(node);
    CHECK_OK(t_run_sort(&spill_env, &in, 2, keys, -1, &spilled, &node, &err));
    CHECK(atomic_load(&node->metrics.spill_count) > 1);
    CHECK(atomic_load(&node->metrics.spilled_bytes) > 0);
    CHECK(atomic_load(&node->metrics.mem_peak_bytes) <= 40000);
    exec_node_free(node);
    CHECK_INT_EQ(spilled->n_rows, in_memory->n_rows);
    for (int64_t i = 0; i < spilled->n_rows; i++) {
        for (int32_t c = 0; c < 4; c++)
            CHECK(t_same(spilled->columns[c], i, in_memory->columns[c], i));
    }
    arrow_batch_release(in_memory);
    arrow_batch_release(spilled);
    CHECK(sort_matches(&spill_env, &in, 2, keys, -1, true, NULL));
    CHECK_INT_EQ(base_alloc_total_bytes(), total_before);
    CHECK_INT_EQ(base_mem_pool_used(spill_env.mem), 0);
    t_env_free(&mem_env);
    t_env_free(&spill_env);
    t_input_free(&in);
}

TEST(sort_exec_many_runs_merge_in_passes)
{
    uint64_t rng = 15;
    t_input in;
    t_input_random(&in, 1, 150, 30, 100000, &rng);
    t_env env;
    t_env_init(&env, 0, 3000, 13); /* about one batch per run: > 32 runs */
    exec_sort_key key = {K_INT, true, true};
    exec_node *node = NULL;
    CHECK(sort_matches(&env, &in, 1, &key, -1, true, &node));
    CHECK(atomic_load(&node->metrics.spill_count) > 40);
    exec_node_free(node);
    /* Several partitions on a pool: the same keys (ties may interleave). */
    t_input multi;
    t_input_random(&multi, 3, 40, 30, 100000, &rng);
    t_env pooled;
    t_env_init(&pooled, 2, 3000, 13);
    CHECK(sort_matches(&pooled, &multi, 1, &key, -1, false, NULL));
    CHECK_INT_EQ(base_mem_pool_used(pooled.mem), 0);
    t_env_free(&pooled);
    t_input_free(&multi);
    t_env_free(&env);
    t_input_free(&in);
}

TEST(sort_exec_limit_below_one_batch_is_53200)
{
    qv_error err;
    uint64_t rng = 16;
    t_input in;
    t_input_random(&in, 2, 3, 100, 10, &rng);
    t_env env;
    t_env_init(&env, 2, 200, 10);
    int64_t total_before = base_alloc_total_bytes();
    exec_sort_key key = {K_INT, false, false};
    arrow_batch *out = NULL;
    CHECK_STATUS(t_run_sort(&env, &in, 1, &key, -1, &out, NULL, &err), QV_RESOURCES_EXHAUSTED);
    CHECK(out == NULL);
    CHECK_STR_EQ(err.sqlstate, "53200");
    CHECK(strstr(err.message, "SortExec[0]") != NULL);
    CHECK_INT_EQ(base_alloc_total_bytes(), total_before);
    CHECK_INT_EQ(base_mem_pool_used(env.mem), 0);
    t_env_free(&env);
    t_input_free(&in);
}

TEST(sort_exec_randomized_against_reference)
{
    for (uint64_t seed = 1; seed <= 40; seed++) {
        uint64_t rng = seed * 101;
        int32_t n_parts = 1 + (int32_t)t_rand_below(&rng, 3);
        t_input in;
        t_input_random(&in, n_parts, 1 + t_rand_below(&rng, 8), 1 + t_rand_below(&rng, 80),
                       seed % 2 ? 6 : 10000, &rng);
        int32_t n_keys = 1 + (int32_t)t_rand_below(&rng, 3);
        exec_sort_key keys[3];
        for (int32_t k = 0; k < n_keys; k++)
            keys[k] = (exec_sort_key){(int32_t)t_rand_below(&rng, 3), t_rand_below(&rng, 2),
                                      t_rand_below(&rng, 2)};
        int64_t fetch = t_rand_below(&rng, 3) == 0 ? t_rand_below(&rng, in.total_rows + 3) : -1;
        static const int64_t sizes[4] = {1, 7, 100, 8192};
        int64_t limit = fetch < 0 && t_rand_below(&rng, 2) ? 4000 + t_rand_below(&rng, 20000) : 0;
        t_env env;
        t_env_init(&env, (int)t_rand_below(&rng, 3), limit, sizes[t_rand_below(&rng, 4)]);
        exec_node *node = NULL;
        /* Spilled runs of several partitions may interleave equal keys. */
        bool strict = n_parts == 1 || limit == 0;
        bool ok = sort_matches(&env, &in, n_keys, keys, fetch, strict, &node);
        exec_node_free(node);
        CHECK_INT_EQ(base_mem_pool_used(env.mem), 0);
        t_env_free(&env);
        t_input_free(&in);
        if (!ok) {
            test_fail(__FILE__, __LINE__, "seed %llu", (unsigned long long)seed);
            return;
        }
    }
}

TEST(sort_exec_early_stop_frees_everything)
{
    qv_error err;
    uint64_t rng = 17;
    t_input in;
    t_input_random(&in, 2, 30, 100, 1000, &rng);
    for (int spill = 0; spill < 2; spill++) {
        t_env env;
        t_env_init(&env, 2, spill ? 20000 : 0, 16);
        int64_t total_before = base_alloc_total_bytes();
        exec_node *source = t_source_new(in.schema, in.n_parts, in.batches, in.counts);
        exec_sort_key key = {K_STR, false, false};
        exec_node *node;
        CHECK_OK(exec_sort_new(source, 1, &key, -1, &node, &err));
        exec_stream *stream;
        CHECK_OK(exec_node_open(node, &env.ctx, 0, &stream, &err));
        arrow_batch *batch;
        CHECK_OK(stream->next(stream, &batch, &err));
        CHECK(batch != NULL && batch->n_rows == 16);
        arrow_batch_release(batch);
        CHECK(base_mem_pool_used(env.mem) > 0 || spill);
        CHECK(spill == 0 || atomic_load(&node->metrics.spill_count) > 0);
        exec_stream_free(stream);
        CHECK_INT_EQ(base_mem_pool_used(env.mem), 0);
        /* Opened and freed without pulling. */
        CHECK_OK(exec_node_open(node, &env.ctx, 0, &stream, &err));
        exec_stream_free(stream);
        exec_node_free(node);
        CHECK_INT_EQ(base_alloc_total_bytes(), total_before);
        t_env_free(&env);
    }
    t_input_free(&in);
}

TEST(sort_exec_describe_and_errors)
{
    qv_error err;
    uint64_t rng = 18;
    t_input in;
    t_input_random(&in, 1, 1, 5, 10, &rng);
    int64_t total_before = base_alloc_total_bytes();
    exec_node *source = t_source_new(in.schema, 1, in.batches, in.counts);
    exec_sort_key keys[3] = {{K_INT, false, false}, {K_STR, true, true}, {K_F, true, false}};
    exec_node *node;
    CHECK_OK(exec_sort_new(source, 3, keys, 10, &node, &err));
    CHECK_STR_EQ(node->ops->name, "SortExec");
    CHECK_INT_EQ(node->n_partitions, 1);
    base_strbuf sb;
    base_strbuf_init(&sb);
    node->ops->describe(node, &sb);
    CHECK_STR_EQ(base_strbuf_cstr(&sb),
                 "expr=[k_int@0 ASC NULLS LAST, k_str@1 DESC, k_f@2 DESC NULLS LAST], fetch=10");
    exec_node_free(node);
    source = t_source_new(in.schema, 1, in.batches, in.counts);
    keys[0].nulls_first = true;
    CHECK_OK(exec_sort_new(source, 1, keys, -1, &node, &err));
    base_strbuf_clear(&sb);
    node->ops->describe(node, &sb);
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "expr=[k_int@0 ASC]");
    base_strbuf_free(&sb);
    exec_node_free(node);
    /* A bad column: an error, and the child is freed. */
    source = t_source_new(in.schema, 1, in.batches, in.counts);
    keys[0].column = 9;
    CHECK_STATUS(exec_sort_new(source, 1, keys, -1, &node, &err), QV_INVALID);
    CHECK(node == NULL);
    source = t_source_new(in.schema, 1, in.batches, in.counts);
    CHECK_STATUS(exec_sort_new(source, 0, keys, -1, &node, &err), QV_INVALID);
    CHECK_INT_EQ(base_alloc_total_bytes(), total_before);
    t_input_free(&in);
}

/* Failing the N-th allocation anywhere in a sort (in memory, top-K and
 * spilling; no thread pool, so everything runs on this thread) returns
 * NOMEM, leaks nothing and leaves the pool empty. */
TEST(sort_exec_oom_loops)
{
    uint64_t rng = 19;
    t_input in;
    t_input_random(&in, 2, 5, 25, 50, &rng);
    exec_sort_key keys[2] = {{K_STR, false, true}, {K_INT, true, false}};
    struct {
        int64_t limit, fetch;
    } cases[3] = {{0, -1}, {0, 4}, {2500, -1}};
    for (int c = 0; c < 3; c++) {
        t_env env;
        t_env_init(&env, 0, cases[c].limit, 7);
        for (int64_t n = 1;; n++) {
            qv_error err;
            int64_t bytes_before = base_alloc_thread_bytes();
            exec_node *source = t_source_new(in.schema, in.n_parts, in.batches, in.counts);
            exec_node *node = NULL;
            base_alloc_fail_after(n);
            qv_status st = exec_sort_new(source, 2, keys, cases[c].fetch, &node, &err);
            arrow_batch **batches = NULL;
            int64_t n_batches = 0;
            if (st == QV_OK)
                st = exec_collect_partition(node, &env.ctx, 0, &batches, &n_batches, &err);
            bool triggered = base_alloc_fail_triggered();
            base_alloc_fail_after(0);
            exec_batches_free(batches, n_batches);
            exec_node_free(node);
            CHECK_INT_EQ(base_mem_pool_used(env.mem), 0);
            if (base_alloc_thread_bytes() != bytes_before) {
                test_fail(__FILE__, __LINE__, "case %d N=%lld leaks %lld bytes (%s)", c,
                          (long long)n, (long long)(base_alloc_thread_bytes() - bytes_before),
                          qv_status_name(st));
                return;
            }
            if (!triggered) {
                CHECK_OK(st);
                break;
            }
            if (st != QV_NOMEM) {
                test_fail(__FILE__, __LINE__, "case %d N=%lld: %s instead of NOMEM: %s", c,
                          (long long)n, qv_status_name(st), err.message);
                return;
            }
        }
        t_env_free(&env);
    }
    t_input_free(&in);
}
