/*
 * test_aggregate.c — AggregateExec: one and several partitions, with and
 * without a thread pool, batch sizes 1, 7 and 8192, two-phase against
 * single-phase and against a naive reference; DISTINCT, FILTER, literal
 * arguments, grouping sets with __grouping_id, no keys over empty input,
 * ordered single-phase draining, EXPLAIN text, 53200 under a small pool,
 * memory given back, early stop and cancellation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group_test_util.h"
#include "test.h"

/* One run of an aggregate over a source made from batch. */
typedef struct run_opts {
    int32_t n_parts;
    int64_t chunk;
    base_thread_pool *pool;
    int64_t batch_size;
    bool single_phase;
    int64_t mem_limit;
} run_opts;

typedef struct agg_query {
    int32_t n_keys;
    const int32_t *keys;
    const char *const *key_names;
    int32_t n_sets;
    const uint32_t *sets;
    int32_t n_aggs;
    gt_agg *aggs;
} agg_query;

/* Runs q; *text: the sorted rows (base_free). */
static qv_status run(arrow_batch *batch, const agg_query *q, const run_opts *o, char **text,
                     qv_error *err)
{
    *text = NULL;
    base_mem_pool *mem = NULL;
    QV_TRY(base_mem_pool_new(o->mem_limit, &mem, err));
    exec_ctx ctx;
    gt_ctx_init(&ctx, o->pool, mem, o->batch_size);
    exec_agg_spec specs[8];
    for (int32_t a = 0; a < q->n_aggs; a++)
        specs[a] = q->aggs[a].spec;
    exec_node *node = NULL;
    qv_status st =
        exec_aggregate_new(gt_source(batch, o->n_parts, o->chunk), q->n_keys, q->keys, q->key_names,
                           q->n_sets, q->sets, q->n_aggs, specs, o->single_phase, &node, err);
    if (st == QV_OK)
        st = gt_run(node, &ctx, text, err);
    exec_node_free(node);
    if (base_mem_pool_used(mem) != 0 && st == QV_OK)
        st = base_error_set(err, QV_ERROR, "pool holds %lld bytes after the run",
                            (long long)base_mem_pool_used(mem));
    base_mem_pool_free(mem);
    return st;
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts lines[0..n) and joins them as gt_run does (frees the lines). */
static char *join_sorted(char **lines, int64_t n)
{
    qsort(lines, (size_t)n, sizeof *lines, cmp_line);
    size_t len = 1;
    for (int64_t i = 0; i < n; i++)
        len += strlen(lines[i]) + 2;
    char *all = malloc(len);
    all[0] = '\0';
    for (int64_t i = 0; i < n; i++) {
        if (i > 0)
            strcat(all, ", ");
        strcat(all, lines[i]);
        free(lines[i]);
    }
    return all;
}

/* Input: c0 key Utf8 ("k0".."k6", NULL every 11th), c1 Int64 (NULL every
 * 5th, values repeat mod 13), c2 Boolean filter (NULL every 4th). */
#define N_ROWS 500
static arrow_batch *make_input(void)
{
    static char names[7][4];
    const char *keys[N_ROWS];
    int64_t vals[N_ROWS];
    int flags[N_ROWS];
    for (int i = 0; i < N_ROWS; i++) {
        snprintf(names[i % 7], 4, "k%d", i % 7);
        keys[i] = i % 11 == 0 ? NULL : names[i % 7];
        vals[i] = i % 5 == 0 ? GT_NULL : i % 13;
        flags[i] = i % 4 == 0 ? -1 : i % 3 == 0;
    }
    arrow_array *cols[3] = {gt_str(QV_TYPE_UTF8, N_ROWS, keys), gt_int(QV_TYPE_INT64, N_ROWS, vals),
                            gt_bool(N_ROWS, flags)};
    return gt_batch(3, cols);
}

/* The naive answer for GROUP BY c0: count(c1), sum(c1), sum(c1) FILTER (c2),
 * count(DISTINCT c1), sum(DISTINCT c1). */
static char *naive_answer(bool distinct)
{
    char *lines[8];
    int n = 0;
    for (int key = -1; key < 7; key++) {
        int64_t count = 0, sum = 0, fsum = 0, dcount = 0, dsum = 0;
        bool any = false, has = false, fhas = false, seen[13] = {false};
        for (int i = 0; i < N_ROWS; i++) {
            int k = i % 11 == 0 ? -1 : i % 7;
            if (k != key)
                continue;
            any = true;
            if (i % 5 == 0)
                continue;
            int64_t v = i % 13;
            count++;
            sum += v;
            has = true;
            if (i % 4 != 0 && i % 3 == 0) {
                fsum += v;
                fhas = true;
            }
            if (!seen[v]) {
                seen[v] = true;
                dcount++;
                dsum += v;
            }
        }
        if (!any)
            continue;
        char line[128], name[8];
        snprintf(name, sizeof name, key < 0 ? "NULL" : "k%d", key);
        char s1[24] = "NULL", s2[24] = "NULL";
        if (has)
            snprintf(s1, sizeof s1, "%lld", (long long)sum);
        if (fhas)
            snprintf(s2, sizeof s2, "%lld", (long long)fsum);
        if (distinct)
            snprintf(line, sizeof line, "%s|%lld|%lld", name, (long long)dcount, (long long)dsum);
        else
            snprintf(line, sizeof line, "%s|%lld|%s|%s", name, (long long)count, s1, s2);
        lines[n++] = gt_strdup(line);
    }
    return join_sorted(lines, n);
}

TEST(aggregate_two_phase_and_single_phase_agree)
{
    qv_error err;
    arrow_batch *input = make_input();
    base_thread_pool *pool = NULL;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    gt_agg aggs[3];
    gt_agg_init(&aggs[0], &gt_count_entry, 1, 0, "count(c1)");
    gt_agg_init(&aggs[1], &gt_sum_entry, 1, 0, "sum(c1)");
    gt_agg_init(&aggs[2], &gt_sum_entry, 1, 0, "sum(c1) FILTER (WHERE c2)");
    aggs[2].spec.filter_column = 2;
    int32_t key = 0;
    agg_query q = {1, &key, NULL, 0, NULL, 3, aggs};
    char *expected = naive_answer(false);
    const int64_t batch_sizes[3] = {1, 7, 8192};
    const int32_t parts[3] = {1, 3, 4};
    const int64_t chunks[3] = {1, 7, 100};
    for (int bs = 0; bs < 3; bs++)
        for (int p = 0; p < 3; p++)
            for (int threads = 0; threads < 2; threads++)
                for (int single = 0; single < 2; single++) {
                    run_opts o = {parts[p],        chunks[(bs + p) % 3], threads ? pool : NULL,
                                  batch_sizes[bs], single != 0,          0};
                    char *text = NULL;
                    qv_status st = run(input, &q, &o, &text, &err);
                    if (st != QV_OK || strcmp(text, expected) != 0) {
                        test_fail(__FILE__, __LINE__,
                                  "batch %lld, %d partitions, %d threads, single %d: %s\n got %s\n "
                                  "want %s",
                                  (long long)batch_sizes[bs], parts[p], threads ? 2 : 0, single,
                                  st != QV_OK ? err.message : "", text ? text : "", expected);
                        base_free(text);
                        goto done;
                    }
                    base_free(text);
                }
done:
    free(expected);
    for (int a = 0; a < 3; a++)
        gt_agg_clear(&aggs[a]);
    base_thread_pool_free(pool);
    arrow_batch_release(input);
}

TEST(aggregate_distinct)
{
    qv_error err;
    arrow_batch *input = make_input();
    base_thread_pool *pool = NULL;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    gt_agg aggs[2];
    gt_agg_init(&aggs[0], &gt_count_entry, 1, 0, "count(DISTINCT c1)");
    gt_agg_init(&aggs[1], &gt_sum_entry, 1, 0, "sum(DISTINCT c1)");
    aggs[0].spec.call.distinct = aggs[1].spec.call.distinct = true;
    int32_t key = 0;
    agg_query q = {1, &key, NULL, 0, NULL, 2, aggs};
    char *expected = naive_answer(true);
    for (int bs = 0; bs < 3; bs++) {
        run_opts o = {3, (int64_t[]){1, 7, 64}[bs], pool, (int64_t[]){1, 7, 8192}[bs], false, 0};
        char *text = NULL;
        CHECK_OK(run(input, &q, &o, &text, &err));
        CHECK_STR_EQ(text, expected);
        base_free(text);
    }
    /* DISTINCT with FILTER: rows filtered out do not use up a value. */
    aggs[0].spec.filter_column = 2;
    q.n_aggs = 1;
    run_opts o = {2, 5, pool, 8192, false, 0};
    char *text = NULL;
    CHECK_OK(run(input, &q, &o, &text, &err));
    /* k1 rows with c2 true and c1 valid: i % 7 == 1, i % 3 == 0, i % 4 != 0, i % 5 != 0, i % 11 !=
     * 0. */
    bool seen[13] = {false};
    int64_t k1 = 0;
    for (int i = 0; i < N_ROWS; i++)
        if (i % 7 == 1 && i % 11 != 0 && i % 3 == 0 && i % 4 != 0 && i % 5 != 0 && !seen[i % 13]) {
            seen[i % 13] = true;
            k1++;
        }
    char want[32];
    snprintf(want, sizeof want, "k1|%lld", (long long)k1);
    CHECK(strstr(text, want) != NULL);
    base_free(text);
    free(expected);
    gt_agg_clear(&aggs[0]);
    gt_agg_clear(&aggs[1]);
    base_thread_pool_free(pool);
    arrow_batch_release(input);
}

TEST(aggregate_literal_argument_and_no_keys)
{
    qv_error err;
    arrow_batch *input = make_input();
    gt_agg aggs[2];
    gt_agg_init(&aggs[0], &gt_count_entry, -1, 1, "count(Int64(1))");
    gt_agg_init(&aggs[1], &gt_sum_entry, 1, 0, "sum(c1)");
    agg_query q = {0, NULL, NULL, 0, NULL, 2, aggs};
    int64_t sum = 0;
    for (int i = 0; i < N_ROWS; i++)
        sum += i % 5 == 0 ? 0 : i % 13;
    char want[64];
    snprintf(want, sizeof want, "%d|%lld", N_ROWS, (long long)sum);
    run_opts o = {3, 17, NULL, 8192, false, 0};
    char *text = NULL;
    CHECK_OK(run(input, &q, &o, &text, &err));
    CHECK_STR_EQ(text, want);
    base_free(text);

    /* Empty input: still one row (count 0, sum NULL). */
    arrow_batch *empty = NULL;
    CHECK_OK(arrow_batch_slice(input, 0, 0, &empty, &err));
    base_thread_pool *pool = NULL;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    for (int threads = 0; threads < 2; threads++) {
        run_opts e = {2, 10, threads ? pool : NULL, 8192, false, 0};
        CHECK_OK(run(empty, &q, &e, &text, &err));
        CHECK_STR_EQ(text, "0|NULL");
        base_free(text);
    }
    /* Grouping sets on empty input: only sets without keys give a row. */
    int32_t key = 0;
    uint32_t sets[2] = {0x0, 0x1};
    agg_query gs = {1, &key, NULL, 2, sets, 2, aggs};
    run_opts e = {2, 10, pool, 8192, false, 0};
    CHECK_OK(run(empty, &gs, &e, &text, &err));
    CHECK_STR_EQ(text, "NULL|1|0|NULL");
    base_free(text);
    /* With keys and no sets, empty input gives no rows. */
    agg_query byk = {1, &key, NULL, 0, NULL, 2, aggs};
    CHECK_OK(run(empty, &byk, &e, &text, &err));
    CHECK_STR_EQ(text, "");
    base_free(text);
    base_thread_pool_free(pool);
    arrow_batch_release(empty);
    gt_agg_clear(&aggs[0]);
    gt_agg_clear(&aggs[1]);
    arrow_batch_release(input);
}

TEST(aggregate_grouping_sets)
{
    qv_error err;
    arrow_array *cols[3] = {GT_I32(1, 1, 2, 1), GT_STR("x", "y", "x", "x"),
                            GT_I64(10, 20, 30, GT_NULL)};
    arrow_batch *input = gt_batch(3, cols);
    gt_agg aggs[2];
    gt_agg_init(&aggs[0], &gt_count_entry, 2, 0, "count(c2)");
    gt_agg_init(&aggs[1], &gt_sum_entry, 2, 0, "sum(c2)");
    int32_t keys[2] = {0, 1};
    const char *names[2] = {"a", "b"};
    uint32_t rollup[3] = {0x3, 0x1, 0x0};
    agg_query q = {2, keys, names, 3, rollup, 2, aggs};
    const char *want = "1|NULL|1|2|30, 1|x|0|1|10, 1|y|0|1|20, 2|NULL|1|1|30, 2|x|0|1|30, "
                       "NULL|NULL|3|3|60";
    base_thread_pool *pool = NULL;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    for (int v = 0; v < 4; v++) {
        run_opts o = {v % 2 ? 2 : 1, v < 2 ? 1 : 3, v % 2 ? pool : NULL, v < 2 ? 1 : 7, v == 3, 0};
        char *text = NULL;
        CHECK_OK(run(input, &q, &o, &text, &err));
        CHECK_STR_EQ(text, want);
        base_free(text);
    }
    /* A repeated set stays separate: its id carries the ordinal above the key bits. */
    uint32_t twice[2] = {0x1, 0x1};
    agg_query q2 = {2, keys, names, 2, twice, 1, aggs};
    run_opts o = {2, 1, pool, 8192, false, 0};
    char *text = NULL;
    CHECK_OK(run(input, &q2, &o, &text, &err));
    CHECK_STR_EQ(text, "1|NULL|1|2, 1|NULL|5|2, 2|NULL|1|1, 2|NULL|5|1");
    base_free(text);

    /* EXPLAIN lines. */
    exec_agg_spec specs[2] = {aggs[0].spec, aggs[1].spec};
    exec_node *node = NULL;
    CHECK_OK(exec_aggregate_new(gt_source(input, 1, 8), 2, keys, names, 3, rollup, 2, specs, false,
                                &node, &err));
    base_strbuf sb;
    base_strbuf_init(&sb);
    node->ops->describe(node, &sb);
    CHECK_STR_EQ(base_strbuf_cstr(&sb),
                 "mode=Partial+Final, gby=[(c0@0 as a, c1@1 as b), (c0@0 as a, NULL as b), "
                 "(NULL as a, NULL as b)], aggr=[count(c2), sum(c2)]");
    CHECK_STR_EQ(node->ops->name, "AggregateExec");
    CHECK_INT_EQ(node->schema->n_fields, 5);
    CHECK_STR_EQ(node->schema->fields[2]->name, "__grouping_id");
    CHECK_INT_EQ(node->schema->fields[2]->type->id, QV_TYPE_UINT32);
    CHECK(node->schema->fields[0]->nullable);
    exec_node_free(node);
    aggs[0].spec.call.distinct = true;
    specs[0] = aggs[0].spec;
    CHECK_OK(exec_aggregate_new(gt_source(input, 1, 8), 1, keys, NULL, 0, NULL, 1, specs, false,
                                &node, &err));
    base_strbuf_clear(&sb);
    node->ops->describe(node, &sb);
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "mode=Single, gby=[c0@0 as c0], aggr=[count(c2)]");
    exec_node_free(node);
    base_strbuf_free(&sb);
    base_thread_pool_free(pool);
    gt_agg_clear(&aggs[0]);
    gt_agg_clear(&aggs[1]);
    arrow_batch_release(input);
}

/* ORDER BY inside a call: partitions drained in order on one thread, so
 * first_value sees partition 0's rows first. */
TEST(aggregate_ordered_single_phase)
{
    qv_error err;
    arrow_batch *input = make_input();
    base_thread_pool *pool = NULL;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    gt_agg agg;
    gt_agg_init(&agg, &gt_first_entry, 1, 0, "first_value(c1)");
    agg.spec.call.has_order_by = true;
    int32_t key = 0;
    agg_query q = {1, &key, NULL, 0, NULL, 1, &agg};
    const int32_t n_parts = 3;
    const int64_t chunk = 4;
    /* Naive: walk partitions in order, their slices in order. */
    char *lines[8];
    int n = 0;
    for (int k = -1; k < 7; k++) {
        bool found = false;
        for (int p = 0; p < n_parts && !found; p++)
            for (int64_t s = p; s * chunk < N_ROWS && !found; s += n_parts)
                for (int64_t i = s * chunk; i < (s + 1) * chunk && i < N_ROWS && !found; i++) {
                    int key_of = i % 11 == 0 ? -1 : (int)(i % 7);
                    if (key_of != k)
                        continue;
                    found = true;
                    char line[64], v[24];
                    snprintf(v, sizeof v, i % 5 == 0 ? "NULL" : "%lld", (long long)(i % 13));
                    if (k < 0)
                        snprintf(line, sizeof line, "NULL|%s", v);
                    else
                        snprintf(line, sizeof line, "k%d|%s", k, v);
                    lines[n++] = gt_strdup(line);
                }
    }
    char *want = join_sorted(lines, n);
    run_opts o = {n_parts, chunk, pool, 7, false, 0};
    char *text = NULL;
    CHECK_OK(run(input, &q, &o, &text, &err));
    CHECK_STR_EQ(text, want);
    base_free(text);
    free(want);
    gt_agg_clear(&agg);
    base_thread_pool_free(pool);
    arrow_batch_release(input);
}

/* More groups than one merge round takes, two-phase against single-phase. */
TEST(aggregate_many_groups_merge)
{
    qv_error err;
    const int64_t n = 200000;
    int64_t *keys = malloc((size_t)n * 8), *vals = malloc((size_t)n * 8);
    for (int64_t i = 0; i < n; i++) {
        keys[i] = (i * 40503) % 90001;
        vals[i] = i % 3 == 0 ? GT_NULL : i;
    }
    arrow_array *cols[2] = {gt_int(QV_TYPE_INT64, n, keys), gt_int(QV_TYPE_INT64, n, vals)};
    arrow_batch *input = gt_batch(2, cols);
    free(keys);
    free(vals);
    base_thread_pool *pool = NULL;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    gt_agg aggs[2];
    gt_agg_init(&aggs[0], &gt_count_entry, 1, 0, "count(c1)");
    gt_agg_init(&aggs[1], &gt_sum_entry, 1, 0, "sum(c1)");
    int32_t key = 0;
    agg_query q = {1, &key, NULL, 0, NULL, 2, aggs};
    run_opts two = {4, 8192, pool, 8192, false, 0}, one = {4, 8192, pool, 8192, true, 0};
    char *a = NULL, *b = NULL;
    CHECK_OK(run(input, &q, &two, &a, &err));
    CHECK_OK(run(input, &q, &one, &b, &err));
    CHECK(strlen(a) > 90001 * 4);
    CHECK(strcmp(a, b) == 0);
    base_free(a);
    base_free(b);
    gt_agg_clear(&aggs[0]);
    gt_agg_clear(&aggs[1]);
    base_thread_pool_free(pool);
    arrow_batch_release(input);
}

TEST(aggregate_memory_limit_and_release)
{
    qv_error err;
    const int64_t n = 20000;
    int64_t *keys = malloc((size_t)n * 8);
    for (int64_t i = 0; i < n; i++)
        keys[i] = i;
    arrow_array *cols[2] = {gt_int(QV_TYPE_INT64, n, keys), gt_int(QV_TYPE_INT64, n, keys)};
    arrow_batch *input = gt_batch(2, cols);
    free(keys);
    base_thread_pool *pool = NULL;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    gt_agg agg;
    gt_agg_init(&agg, &gt_sum_entry, 1, 0, "sum(c1)");
    int32_t key = 0;
    agg_query q = {1, &key, NULL, 0, NULL, 1, &agg};
    for (int v = 0; v < 2; v++) {
        run_opts o = {2, 1000, v ? pool : NULL, 8192, false, 64 * 1024};
        char *text = NULL;
        qv_error_clear(&err);
        CHECK_STATUS(run(input, &q, &o, &text, &err), QV_RESOURCES_EXHAUSTED);
        CHECK_STR_EQ(err.sqlstate, "53200");
        CHECK(strstr(err.message, "AggregateExec") != NULL);
        base_free(text);
    }

    /* Unbounded: the reservation shows in the metrics and is given back. */
    base_mem_pool *mem = NULL;
    CHECK_OK(base_mem_pool_new(0, &mem, &err));
    exec_ctx ctx;
    gt_ctx_init(&ctx, pool, mem, 100);
    exec_agg_spec spec = agg.spec;
    exec_node *node = NULL;
    CHECK_OK(exec_aggregate_new(gt_source(input, 2, 1000), 1, &key, NULL, 0, NULL, 1, &spec, false,
                                &node, &err));
    exec_stream *stream = NULL;
    CHECK_OK(exec_node_open(node, &ctx, 0, &stream, &err));
    arrow_batch *batch = NULL;
    CHECK_OK(stream->next(stream, &batch, &err));
    CHECK(batch != NULL);
    CHECK_INT_EQ(batch->n_rows, 100);
    CHECK(base_mem_pool_used(mem) > 0);
    CHECK(atomic_load(&node->metrics.mem_peak_bytes) > 20000 * 8);
    arrow_batch_release(batch);
    /* Early stop: freeing the stream after one batch frees everything. */
    exec_stream_free(stream);
    CHECK_INT_EQ(base_mem_pool_used(mem), 0);
    CHECK_INT_EQ(atomic_load(&node->metrics.output_rows), 100);

    /* Cancelled before the first pull. */
    CHECK_OK(exec_node_open(node, &ctx, 0, &stream, &err));
    atomic_store(&ctx.cancelled, true);
    CHECK_STATUS(stream->next(stream, &batch, &err), QV_CANCELLED);
    exec_stream_free(stream);
    CHECK_INT_EQ(base_mem_pool_used(mem), 0);
    exec_node_free(node);
    base_mem_pool_free(mem);
    gt_agg_clear(&agg);
    base_thread_pool_free(pool);
    arrow_batch_release(input);
}

/* GROUP BY without aggregates (SELECT DISTINCT): keys only. */
TEST(aggregate_keys_only)
{
    qv_error err;
    arrow_array *cols[2] = {GT_I32(3, 1, 3, GT_NULL, 1), GT_STR("x", "y", "x", "z", "y")};
    arrow_batch *input = gt_batch(2, cols);
    int32_t keys[2] = {1, 0};
    agg_query q = {2, keys, NULL, 0, NULL, 0, NULL};
    base_thread_pool *pool = NULL;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    for (int v = 0; v < 2; v++) {
        run_opts o = {2, 1, v ? pool : NULL, v ? 1 : 8192, false, 0};
        char *text = NULL;
        CHECK_OK(run(input, &q, &o, &text, &err));
        CHECK_STR_EQ(text, "x|3, y|1, z|NULL");
        base_free(text);
    }
    base_thread_pool_free(pool);
    arrow_batch_release(input);
}

TEST(aggregate_bad_arguments)
{
    qv_error err;
    arrow_array *cols[1] = {GT_I64(1, 2)};
    arrow_batch *input = gt_batch(1, cols);
    gt_agg agg;
    gt_agg_init(&agg, &gt_sum_entry, 5, 0, "sum(c5)");
    exec_agg_spec spec = agg.spec;
    exec_node *node = NULL;
    int32_t key = 0;
    CHECK_STATUS(exec_aggregate_new(gt_source(input, 1, 8), 1, &key, NULL, 0, NULL, 1, &spec, false,
                                    &node, &err),
                 QV_MISUSE);
    CHECK(node == NULL);
    key = 3;
    CHECK_STATUS(exec_aggregate_new(gt_source(input, 1, 8), 1, &key, NULL, 0, NULL, 0, NULL, false,
                                    &node, &err),
                 QV_MISUSE);
    gt_agg_clear(&agg);
    arrow_batch_release(input);
}
