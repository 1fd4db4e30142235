/*
 * test_group_oom.c — the allocation-failure loop over the group table and
 * the hash aggregate: for every N, failing the N-th allocation returns
 * QV_NOMEM, leaks nothing and never crashes; the loop ends at the first N
 * whose run completes without the hook firing.
 */
#include <stdio.h>

#include "group_test_util.h"
#include "test.h"

typedef qv_status (*scenario_fn)(void *input, char **out, qv_error *err);

static int64_t oom_loop(const char *name, scenario_fn fn, void *input)
{
    for (int64_t n = 1;; n++) {
        qv_error err;
        qv_error_clear(&err);
        char *out = NULL;
        int64_t bytes_before = base_alloc_thread_bytes();
        base_alloc_fail_after(n);
        qv_status status = fn(input, &out, &err);
        bool triggered = base_alloc_fail_triggered();
        base_alloc_fail_after(0);
        base_free(out);
        if (base_alloc_thread_bytes() != bytes_before) {
            test_fail(__FILE__, __LINE__, "%s: N=%lld leaks %lld bytes (status %s)", name,
                      (long long)n, (long long)(base_alloc_thread_bytes() - bytes_before),
                      qv_status_name(status));
            return -1;
        }
        if (!triggered) {
            if (status != QV_OK) {
                test_fail(__FILE__, __LINE__, "%s: N=%lld returned %s without a failure: %s", name,
                          (long long)n, qv_status_name(status), err.message);
                return -1;
            }
            return n;
        }
        if (status != QV_NOMEM) {
            test_fail(__FILE__, __LINE__, "%s: N=%lld returned %s instead of NOMEM: %s", name,
                      (long long)n, qv_status_name(status), err.message);
            return -1;
        }
    }
}

/* Interns the columns of a batch twice (in two slices), then emits. */
static qv_status table_scenario(void *input, char **out, qv_error *err)
{
    arrow_batch *batch = input;
    int32_t n_keys = batch->schema->n_fields;
    arrow_type *types[4];
    for (int32_t k = 0; k < n_keys; k++)
        types[k] = batch->schema->fields[k]->type;
    exec_group_table *t = NULL;
    qv_status st = exec_group_table_new(n_keys, types, &t, err);
    uint32_t ids[64];
    arrow_batch *halves[2] = {NULL, NULL};
    int64_t half = batch->n_rows / 2;
    if (st == QV_OK)
        st = arrow_batch_slice(batch, 0, half, &halves[0], err);
    if (st == QV_OK)
        st = arrow_batch_slice(batch, half, batch->n_rows - half, &halves[1], err);
    for (int h = 0; h < 2 && st == QV_OK; h++)
        st = exec_group_table_intern(t, halves[h]->columns, halves[h]->n_rows, ids, err);
    arrow_array *keys[4] = {NULL, NULL, NULL, NULL};
    if (st == QV_OK)
        st = exec_group_table_emit(t, 0, exec_group_table_count(t), keys, err);
    if (st == QV_OK) {
        *out = base_strdup(gt_fmt(keys[2], 0));
        if (*out == NULL)
            st = base_error_nomem(err, "result");
    }
    for (int32_t k = 0; k < 4; k++)
        arrow_array_release(keys[k]);
    arrow_batch_release(halves[0]);
    arrow_batch_release(halves[1]);
    exec_group_table_free(t);
    return st;
}

TEST(group_table_oom_loop)
{
    qv_error err;
    arrow_type *list_type = NULL;
    CHECK_OK(
        arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(QV_TYPE_INT64), &list_type, &err));
    arrow_builder *b = NULL;
    CHECK_OK(arrow_builder_new(list_type, &b, &err));
    for (int i = 0; i < 40; i++) {
        for (int j = 0; j < i % 3; j++)
            CHECK_OK(arrow_builder_append_int(arrow_builder_child(b, 0), j * 10 + i % 5, &err));
        CHECK_OK(arrow_builder_end_list(b, i % 7 != 0, &err));
    }
    arrow_array *lists = NULL;
    CHECK_OK(arrow_builder_finish(b, &lists, &err));
    arrow_builder_free(b);
    const char *strs[40];
    int64_t ints[40];
    for (int i = 0; i < 40; i++) {
        strs[i] = i % 4 == 0   ? NULL
                  : i % 4 == 1 ? "short"
                  : i % 4 == 2 ? "a string well past twelve bytes"
                               : "another long string value";
        ints[i] = i % 6 == 0 ? GT_NULL : i % 9;
    }
    arrow_array *cols[3] = {gt_int(QV_TYPE_INT64, 40, ints), gt_str(QV_TYPE_UTF8_VIEW, 40, strs),
                            lists};
    arrow_batch *batch = gt_batch(3, cols);
    int64_t runs = oom_loop("group table", table_scenario, batch);
    CHECK(runs > 10);
    arrow_batch_release(batch);
    arrow_type_release(list_type);
}

/* GROUP BY c0 with count and sum over c1, one partition, no pool. */
static qv_status aggregate_scenario(void *input, char **out, qv_error *err)
{
    arrow_batch *batch = input;
    base_mem_pool *pool = NULL;
    QV_TRY(base_mem_pool_new(0, &pool, err));
    /* gt_agg_init allocates nothing for column arguments. */
    exec_ctx ctx;
    gt_ctx_init(&ctx, NULL, pool, 7);
    gt_agg aggs[2];
    gt_agg_init(&aggs[0], &gt_count_entry, 1, 0, "count(c1)");
    gt_agg_init(&aggs[1], &gt_sum_entry, 1, 0, "sum(c1)");
    aggs[1].spec.filter_column = 2;
    exec_agg_spec specs[2] = {aggs[0].spec, aggs[1].spec};
    exec_node *node = NULL, *source = NULL;
    int32_t key = 0;
    qv_status st = gt_source_new(batch, 2, 5, &source, err);
    if (st == QV_OK)
        st = exec_aggregate_new(source, 1, &key, NULL, 0, NULL, 2, specs, false, &node, err);
    if (st == QV_OK)
        st = gt_run(node, &ctx, out, err);
    exec_node_free(node);
    gt_agg_clear(&aggs[0]);
    gt_agg_clear(&aggs[1]);
    if (st == QV_OK && base_mem_pool_used(pool) != 0)
        st = base_error_set(err, QV_ERROR, "pool still holds %lld bytes",
                            (long long)base_mem_pool_used(pool));
    base_mem_pool_free(pool);
    return st;
}

TEST(aggregate_oom_loop)
{
    const char *strs[30];
    int64_t ints[30];
    int flags[30];
    for (int i = 0; i < 30; i++) {
        strs[i] = i % 5 == 0 ? NULL : i % 5 == 1 ? "k1" : "a key longer than twelve";
        ints[i] = i % 4 == 0 ? GT_NULL : i;
        flags[i] = i % 3 - 1;
    }
    arrow_array *cols[3] = {gt_str(QV_TYPE_UTF8, 30, strs), gt_int(QV_TYPE_INT64, 30, ints),
                            gt_bool(30, flags)};
    arrow_batch *batch = gt_batch(3, cols);
    int64_t runs = oom_loop("aggregate", aggregate_scenario, batch);
    CHECK(runs > 10);
    arrow_batch_release(batch);
}
