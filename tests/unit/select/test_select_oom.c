/*
 * test_select_oom.c — allocation-failure loops over take, filter, concat
 * and sort indices for every test type, plus the dictionary-merging concat:
 * failing the N-th allocation returns QV_NOMEM with no result, leaks
 * nothing and never crashes; each loop ends at the first N whose run
 * completes without the hook firing.
 */
#include <stdio.h>

#include "select_test_util.h"
#include "test.h"

typedef qv_status (*scenario_fn)(arrow_array *src, arrow_array **out, qv_error *err);

static bool oom_loop(const char *name, scenario_fn fn, arrow_array *src)
{
    for (int64_t n = 1;; n++) {
        qv_error err;
        qv_error_clear(&err);
        arrow_array *out = NULL;
        int64_t bytes_before = base_alloc_thread_bytes();
        base_alloc_fail_after(n);
        qv_status status = fn(src, &out, &err);
        bool triggered = base_alloc_fail_triggered();
        base_alloc_fail_after(0);
        bool out_set = out != NULL;
        arrow_array_release(out);
        if (base_alloc_thread_bytes() != bytes_before) {
            test_fail(__FILE__, __LINE__, "%s: N=%lld leaks %lld bytes (status %s)", name,
                      (long long)n, (long long)(base_alloc_thread_bytes() - bytes_before),
                      qv_status_name(status));
            return false;
        }
        if (!triggered) {
            if (status != QV_OK) {
                test_fail(__FILE__, __LINE__, "%s: N=%lld returned %s: %s", name, (long long)n,
                          qv_status_name(status), err.message);
                return false;
            }
            return true;
        }
        if (status != QV_NOMEM || out_set) {
            test_fail(__FILE__, __LINE__, "%s: N=%lld returned %s (out %s) instead of NOMEM: %s",
                      name, (long long)n, qv_status_name(status), out_set ? "set" : "NULL",
                      err.message);
            return false;
        }
    }
}

static qv_status do_take(arrow_array *src, arrow_array **out, qv_error *err)
{
    uint32_t idx[12] = {3, 0, UINT32_MAX, 7, 7, 1, 2, 9, 4, 5, 8, 6};
    return func_take(src, idx, 12, out, err);
}

static qv_status do_filter(arrow_array *src, arrow_array **out, qv_error *err)
{
    static const int bits[12] = {1, 0, 1, -1, 1, 1, 0, 0, 1, 1, 0, 1};
    arrow_array *mask = NULL;
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, err);
    for (int i = 0; i < 12 && st == QV_OK; i++)
        st = bits[i] < 0 ? arrow_builder_append_null(b, err)
                         : arrow_builder_append_bool(b, bits[i], err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &mask, err);
    arrow_builder_free(b);
    if (st == QV_OK)
        st = func_filter(src, mask, out, err);
    arrow_array_release(mask);
    return st;
}

static qv_status do_concat(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_array *parts[3] = {NULL, NULL, src};
    qv_status st = arrow_array_slice(src, 2, 5, &parts[0], err);
    if (st == QV_OK)
        st = arrow_array_slice(src, 7, 4, &parts[1], err);
    if (st == QV_OK)
        st = func_concat(3, parts, out, err);
    arrow_array_release(parts[0]);
    arrow_array_release(parts[1]);
    return st;
}

/* Sorts (two keys: the array and itself descending) into an Int64 array of
 * positions so the harness can release it. */
static qv_status do_sort(arrow_array *src, arrow_array **out, qv_error *err)
{
    uint32_t idx[12];
    func_sort_key keys[2] = {{src, false, true}, {src, true, false}};
    QV_TRY(func_sort_indices(2, keys, 12, -1, idx, err));
    QV_TRY(func_sort_indices(1, keys, 12, 3, idx, err));
    return arrow_array_new_null(arrow_type_primitive(QV_TYPE_INT64), 1, out, err);
}

TEST(select_oom_loops_every_type)
{
    arrow_type **types;
    const char **names;
    int n_types = t_types(&types, &names);
    scenario_fn fns[4] = {do_take, do_filter, do_concat, do_sort};
    const char *fn_names[4] = {"take", "filter", "concat", "sort"};
    for (int t = 0; t < n_types; t++) {
        uint64_t rng = 5 + (uint64_t)t;
        arrow_array *src = t_slice(t_random_array(types[t], 14, 4, &rng), 2, 12);
        for (int f = 0; f < 4; f++) {
            char name[96];
            snprintf(name, sizeof name, "%s %s", fn_names[f], names[t]);
            if (!oom_loop(name, fns[f], src)) {
                arrow_array_release(src);
                t_types_free(n_types, types);
                return;
            }
        }
        arrow_array_release(src);
    }
    t_types_free(n_types, types);
}

static arrow_array *g_dicts[3];

static qv_status do_concat_dicts(arrow_array *src, arrow_array **out, qv_error *err)
{
    (void)src;
    return func_concat(3, g_dicts, out, err);
}

TEST(select_oom_dictionary_merge)
{
    qv_error err;
    arrow_type *t;
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT8),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &t, &err));
    for (int d = 0; d < 3; d++) {
        arrow_builder *b;
        CHECK_OK(arrow_builder_new(t, &b, &err));
        for (int i = 0; i < 60; i++) {
            char buf[16];
            int len = snprintf(buf, sizeof buf, "%c%d", d == 2 ? 'q' : 'p', i);
            CHECK_OK(arrow_builder_append_bytes(b, buf, len, &err));
        }
        CHECK_OK(arrow_builder_finish(b, &g_dicts[d], &err));
        arrow_builder_free(b);
    }
    arrow_type_release(t);
    /* 180 merged values past Int8: the deduplicating path. */
    CHECK(oom_loop("concat dictionaries", do_concat_dicts, NULL));
    for (int d = 0; d < 3; d++)
        arrow_array_release(g_dicts[d]);
}
