/*
 * test_builder_oom.c — the allocation-failure loop over the builders: for
 * every N, failing the N-th allocation while building arrays of every type
 * (flat, views, nested, dictionary, run-end encoded, append_from) returns
 * QV_NOMEM, leaks nothing and never crashes; the loop ends at the first N
 * whose run completes without the hook firing.
 */
#include <stdio.h>

#include "arrow/arrow.h"
#include "test.h"

/* One scenario: builds something into *out (src: a prepared source array). */
typedef qv_status (*scenario_fn)(arrow_array *src, arrow_array **out, qv_error *err);

/* Runs fn with the N-th allocation failing for N = 1, 2, ... until a run
 * completes without a failure. Returns the number of runs, or -1 (after
 * reporting) when a run misbehaves. */
static int64_t oom_loop(const char *name, scenario_fn fn, arrow_array *src)
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
        arrow_array_release(out);
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
        if (out != NULL && status != QV_OK) {
            test_fail(__FILE__, __LINE__, "%s: out set on failure", name);
            return -1;
        }
    }
}

/* Builds with one builder of `type` (a new reference the scenario owns) and
 * a row-appending callback. */
typedef qv_status (*rows_fn)(arrow_builder *b, arrow_array *src, qv_error *err);

static qv_status with_builder(arrow_type *type, qv_status status, rows_fn rows, arrow_array *src,
                              arrow_array **out, qv_error *err)
{
    arrow_builder *b = NULL;
    if (status == QV_OK)
        status = arrow_builder_new(type, &b, err);
    if (status == QV_OK)
        status = rows(b, src, err);
    if (status == QV_OK)
        status = arrow_builder_finish(b, out, err);
    /* A second round reuses the builder. */
    if (status == QV_OK) {
        arrow_array *again = NULL;
        status = rows(b, src, err);
        if (status == QV_OK)
            status = arrow_builder_finish(b, &again, err);
        arrow_array_release(again);
    }
    if (status != QV_OK) {
        arrow_array_release(*out);
        *out = NULL;
    }
    arrow_builder_free(b);
    arrow_type_release(type);
    return status;
}

/* ---- flat types ---- */

static qv_status ints_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    for (int i = 0; i < 3000; i++)
        QV_TRY(i % 7 == 3 ? arrow_builder_append_null(b, err)
                          : arrow_builder_append_int(b, i, err));
    return QV_OK;
}

static qv_status scenario_int32(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_primitive(QV_TYPE_INT32), QV_OK, ints_rows, src, out, err);
}

static qv_status scenario_timestamp(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_type *type = NULL;
    qv_status status = arrow_type_timestamp(QV_UNIT_NANOSECOND, "Europe/Paris", &type, err);
    return with_builder(type, status, ints_rows, src, out, err);
}

static qv_status bool_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    for (int i = 0; i < 2000; i++)
        QV_TRY(i % 5 == 0 ? arrow_builder_append_nulls(b, 3, err)
                          : arrow_builder_append_bool(b, i & 1, err));
    return QV_OK;
}

static qv_status scenario_bool(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_primitive(QV_TYPE_BOOLEAN), QV_OK, bool_rows, src, out, err);
}

static qv_status null_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    return arrow_builder_append_nulls(b, 100, err);
}

static qv_status scenario_null(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_primitive(QV_TYPE_NULL), QV_OK, null_rows, src, out, err);
}

static qv_status float_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    for (int i = 0; i < 1000; i++)
        QV_TRY(i % 9 == 0 ? arrow_builder_append_null(b, err)
                          : arrow_builder_append_double(b, i / 3.0, err));
    return QV_OK;
}

static qv_status scenario_float16(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_primitive(QV_TYPE_FLOAT16), QV_OK, float_rows, src, out, err);
}

static qv_status decimal_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    uint8_t le[32] = {1, 2, 3};
    for (int i = 0; i < 500; i++) {
        le[0] = (uint8_t)i;
        QV_TRY(i % 4 == 0 ? arrow_builder_append_null(b, err)
                          : arrow_builder_append_decimal(b, le, err));
    }
    return QV_OK;
}

static qv_status scenario_decimal256(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_type *type = NULL;
    qv_status status = arrow_type_decimal(QV_TYPE_DECIMAL256, 60, 3, &type, err);
    return with_builder(type, status, decimal_rows, src, out, err);
}

static qv_status interval_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    for (int i = 0; i < 500; i++)
        QV_TRY(i % 4 == 0 ? arrow_builder_append_null(b, err)
                          : arrow_builder_append_interval_mdn(b, i, -i, i * 1000, err));
    return QV_OK;
}

static qv_status scenario_interval(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO), QV_OK, interval_rows,
                        src, out, err);
}

static qv_status bytes_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    static char big[5000];
    char text[32];
    for (int i = 0; i < 600; i++) {
        int len = snprintf(text, sizeof text, "string %d", i);
        if (i % 6 == 5)
            QV_TRY(arrow_builder_append_null(b, err));
        else if (i % 50 == 7)
            QV_TRY(arrow_builder_append_bytes(b, big, sizeof big, err));
        else
            QV_TRY(arrow_builder_append_bytes(b, text, len, err));
    }
    return QV_OK;
}

static qv_status scenario_utf8(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_primitive(QV_TYPE_UTF8), QV_OK, bytes_rows, src, out, err);
}

static qv_status scenario_large_binary(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_primitive(QV_TYPE_LARGE_BINARY), QV_OK, bytes_rows, src, out,
                        err);
}

static qv_status scenario_view(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_primitive(QV_TYPE_UTF8_VIEW), QV_OK, bytes_rows, src, out, err);
}

static qv_status fsb_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    for (int i = 0; i < 300; i++)
        QV_TRY(i % 3 == 0 ? arrow_builder_append_null(b, err)
                          : arrow_builder_append_bytes(b, "abcde", 5, err));
    return QV_OK;
}

static qv_status scenario_fsb(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_type *type = NULL;
    qv_status status = arrow_type_fixed_size_binary(5, &type, err);
    return with_builder(type, status, fsb_rows, src, out, err);
}

/* ---- nested ---- */

static qv_status list_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    arrow_builder *items = arrow_builder_child(b, 0);
    for (int row = 0; row < 200; row++) {
        if (row % 5 == 2) {
            QV_TRY(arrow_builder_append_null(b, err));
            continue;
        }
        for (int k = 0; k < row % 4; k++)
            QV_TRY(arrow_builder_append_bytes(items, "item", 4, err));
        QV_TRY(arrow_builder_end_list(b, true, err));
    }
    return QV_OK;
}

static qv_status scenario_large_list(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_type *type = NULL;
    qv_status status =
        arrow_type_list_of(QV_TYPE_LARGE_LIST, arrow_type_primitive(QV_TYPE_UTF8), &type, err);
    return with_builder(type, status, list_rows, src, out, err);
}

static qv_status fsl_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    for (int row = 0; row < 200; row++) {
        if (row % 5 == 2) {
            QV_TRY(arrow_builder_append_null(b, err));
            continue;
        }
        for (int k = 0; k < 3; k++)
            QV_TRY(arrow_builder_append_int(arrow_builder_child(b, 0), k, err));
        QV_TRY(arrow_builder_end_list(b, true, err));
    }
    return QV_OK;
}

static qv_status scenario_fsl(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_field *item = NULL;
    arrow_type *type = NULL;
    qv_status status =
        arrow_field_new("item", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &item, err);
    if (status == QV_OK)
        status = arrow_type_fixed_size_list(item, 3, &type, err);
    arrow_field_release(item);
    return with_builder(type, status, fsl_rows, src, out, err);
}

/* Struct<a: Int32, b: List<Utf8>, c: Struct<d: Boolean>> */
static qv_status struct_type(arrow_type **out, qv_error *err)
{
    arrow_field *fields[3] = {NULL, NULL, NULL}, *inner_field = NULL;
    arrow_type *list = NULL, *inner = NULL;
    qv_status status =
        arrow_field_new("a", arrow_type_primitive(QV_TYPE_INT32), true, NULL, &fields[0], err);
    if (status == QV_OK)
        status = arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(QV_TYPE_UTF8), &list, err);
    if (status == QV_OK)
        status = arrow_field_new("b", list, true, NULL, &fields[1], err);
    if (status == QV_OK)
        status = arrow_field_new("d", arrow_type_primitive(QV_TYPE_BOOLEAN), true, NULL,
                                 &inner_field, err);
    if (status == QV_OK)
        status = arrow_type_struct(1, &inner_field, &inner, err);
    if (status == QV_OK)
        status = arrow_field_new("c", inner, true, NULL, &fields[2], err);
    if (status == QV_OK)
        status = arrow_type_struct(3, fields, out, err);
    for (int i = 0; i < 3; i++)
        arrow_field_release(fields[i]);
    arrow_field_release(inner_field);
    arrow_type_release(list);
    arrow_type_release(inner);
    return status;
}

static qv_status struct_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    arrow_builder *a = arrow_builder_child(b, 0), *list = arrow_builder_child(b, 1),
                  *c = arrow_builder_child(b, 2);
    for (int row = 0; row < 150; row++) {
        if (row % 4 == 1) {
            QV_TRY(arrow_builder_append_null(b, err));
            continue;
        }
        QV_TRY(arrow_builder_append_int(a, row, err));
        for (int k = 0; k < row % 3; k++)
            QV_TRY(arrow_builder_append_bytes(arrow_builder_child(list, 0), "xy", 2, err));
        QV_TRY(arrow_builder_end_list(list, row % 5 != 0, err));
        QV_TRY(arrow_builder_append_bool(arrow_builder_child(c, 0), row & 1, err));
        QV_TRY(arrow_builder_append_struct(c, true, err));
        QV_TRY(arrow_builder_append_struct(b, true, err));
    }
    return QV_OK;
}

static qv_status scenario_struct(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_type *type = NULL;
    qv_status status = struct_type(&type, err);
    return with_builder(type, status, struct_rows, src, out, err);
}

static qv_status map_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    arrow_builder *entries = arrow_builder_child(b, 0);
    for (int row = 0; row < 100; row++) {
        for (int k = 0; k < row % 3; k++) {
            QV_TRY(arrow_builder_append_bytes(arrow_builder_child(entries, 0), "key", 3, err));
            QV_TRY(arrow_builder_append_int(arrow_builder_child(entries, 1), k, err));
            QV_TRY(arrow_builder_append_struct(entries, true, err));
        }
        QV_TRY(arrow_builder_end_list(b, row % 7 != 0, err));
    }
    return QV_OK;
}

static qv_status scenario_map(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_field *kv[2] = {NULL, NULL}, *entries = NULL;
    arrow_type *entries_type = NULL, *type = NULL;
    qv_status status =
        arrow_field_new("key", arrow_type_primitive(QV_TYPE_UTF8), false, NULL, &kv[0], err);
    if (status == QV_OK)
        status =
            arrow_field_new("value", arrow_type_primitive(QV_TYPE_INT32), true, NULL, &kv[1], err);
    if (status == QV_OK)
        status = arrow_type_struct(2, kv, &entries_type, err);
    if (status == QV_OK)
        status = arrow_field_new("entries", entries_type, false, NULL, &entries, err);
    if (status == QV_OK)
        status = arrow_type_map(entries, false, &type, err);
    arrow_field_release(kv[0]);
    arrow_field_release(kv[1]);
    arrow_field_release(entries);
    arrow_type_release(entries_type);
    return with_builder(type, status, map_rows, src, out, err);
}

/* ---- dictionary and run-end encoded ---- */

static qv_status dict_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    char text[32];
    for (int i = 0; i < 600; i++) {
        int len = snprintf(text, sizeof text, "word %d", (i * 13) % 150);
        QV_TRY(i % 11 == 0 ? arrow_builder_append_null(b, err)
                           : arrow_builder_append_bytes(b, text, len, err));
    }
    return QV_OK;
}

static qv_status scenario_dict(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_type *type = NULL;
    qv_status status =
        arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT16),
                              arrow_type_primitive(QV_TYPE_UTF8_VIEW), false, &type, err);
    return with_builder(type, status, dict_rows, src, out, err);
}

static qv_status ree_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    (void)src;
    for (int i = 0; i < 1000; i++)
        QV_TRY(i % 50 < 10 ? arrow_builder_append_null(b, err)
                           : arrow_builder_append_int(b, i / 7, err));
    return QV_OK;
}

static qv_status ree_type(arrow_type *values, arrow_type **out, qv_error *err)
{
    arrow_field *ends = NULL, *vals = NULL;
    qv_status status =
        arrow_field_new("run_ends", arrow_type_primitive(QV_TYPE_INT32), false, NULL, &ends, err);
    if (status == QV_OK)
        status = arrow_field_new("values", values, true, NULL, &vals, err);
    if (status == QV_OK)
        status = arrow_type_run_end_encoded(ends, vals, out, err);
    arrow_field_release(ends);
    arrow_field_release(vals);
    return status;
}

static qv_status scenario_ree(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_type *type = NULL;
    qv_status status = ree_type(arrow_type_primitive(QV_TYPE_INT64), &type, err);
    return with_builder(type, status, ree_rows, src, out, err);
}

/* ---- append_from ---- */

static qv_status copy_rows(arrow_builder *b, arrow_array *src, qv_error *err)
{
    arrow_array *slice = NULL;
    QV_TRY(arrow_array_slice(src, 3, src->length - 5, &slice, err));
    qv_status status = QV_OK;
    for (int64_t i = 0; i < slice->length && status == QV_OK; i++)
        status = arrow_builder_append_from(b, slice, i, err);
    arrow_array_release(slice);
    return status;
}

static qv_status scenario_copy_same_type(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_retain(src->type), QV_OK, copy_rows, src, out, err);
}

static qv_status scenario_copy_to_utf8(arrow_array *src, arrow_array **out, qv_error *err)
{
    return with_builder(arrow_type_primitive(QV_TYPE_UTF8_VIEW), QV_OK, copy_rows, src, out, err);
}

static qv_status scenario_copy_to_ree(arrow_array *src, arrow_array **out, qv_error *err)
{
    arrow_type *type = NULL;
    qv_status status = ree_type(arrow_type_primitive(QV_TYPE_UTF8_VIEW), &type, err);
    return with_builder(type, status, copy_rows, src, out, err);
}

static const struct {
    const char *name;
    scenario_fn fn;
} scenarios[] = {
    {"int32", scenario_int32},
    {"timestamp", scenario_timestamp},
    {"bool", scenario_bool},
    {"null", scenario_null},
    {"float16", scenario_float16},
    {"decimal256", scenario_decimal256},
    {"interval", scenario_interval},
    {"utf8", scenario_utf8},
    {"large_binary", scenario_large_binary},
    {"utf8_view", scenario_view},
    {"fixed_size_binary", scenario_fsb},
    {"large_list", scenario_large_list},
    {"fixed_size_list", scenario_fsl},
    {"struct", scenario_struct},
    {"map", scenario_map},
    {"dictionary", scenario_dict},
    {"run_end_encoded", scenario_ree},
};

TEST(builder_oom_every_type)
{
    for (size_t s = 0; s < sizeof scenarios / sizeof scenarios[0]; s++) {
        int64_t runs = oom_loop(scenarios[s].name, scenarios[s].fn, NULL);
        CHECK(runs > 1);
    }
}

/* Builds the sources with the hook off, then copies from them under it. */
TEST(builder_oom_append_from)
{
    qv_error err;
    arrow_array *sources[3] = {NULL, NULL, NULL};
    scenario_fn makers[3] = {scenario_struct, scenario_dict, scenario_map};
    for (int i = 0; i < 3; i++)
        CHECK_OK(makers[i](NULL, &sources[i], &err));
    for (int i = 0; i < 3; i++)
        CHECK(oom_loop("append_from", scenario_copy_same_type, sources[i]) > 1);
    CHECK(oom_loop("dictionary to utf8_view", scenario_copy_to_utf8, sources[1]) > 1);
    CHECK(oom_loop("dictionary to ree", scenario_copy_to_ree, sources[1]) > 1);
    arrow_array *runs;
    CHECK_OK(scenario_copy_to_ree(sources[1], &runs, &err));
    CHECK(oom_loop("ree to utf8_view", scenario_copy_to_utf8, runs) > 1);
    CHECK(oom_loop("ree to ree", scenario_copy_same_type, runs) > 1);
    arrow_array_release(runs);
    for (int i = 0; i < 3; i++)
        arrow_array_release(sources[i]);
}

/* Appends value i of a test column: flat, dictionary and run-end builders. */
static qv_status append_value(arrow_builder *b, int i, qv_error *err)
{
    char text[48];
    int len = snprintf(text, sizeof text, "%s value %d", i % 2 ? "a rather long" : "s", i / 3);
    if (i % 10 == 9)
        return arrow_builder_append_null(b, err);
    if (arrow_type_is_integer(arrow_builder_type(b)->id))
        return arrow_builder_append_int(b, i / 3, err);
    return arrow_builder_append_bytes(b, text, len, err);
}

/* A failed flat, dictionary or run-end append changes nothing: the same
 * value can be appended again and the result is as if nothing failed. */
TEST(builder_oom_failed_append_leaves_builder_usable)
{
    qv_error err;
    arrow_type *types[4] = {arrow_type_primitive(QV_TYPE_INT16),
                            arrow_type_primitive(QV_TYPE_UTF8_VIEW), NULL, NULL};
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT32),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &types[2], &err));
    CHECK_OK(ree_type(arrow_type_primitive(QV_TYPE_LARGE_UTF8), &types[3], &err));
    for (int t = 0; t < 4; t++) {
        arrow_builder *b, *reference;
        CHECK_OK(arrow_builder_new(types[t], &b, &err));
        CHECK_OK(arrow_builder_new(types[t], &reference, &err));
        const int n = 3000;
        int failures = 0;
        for (int i = 0; i < n; i++) {
            CHECK_OK(append_value(reference, i, &err));
            /* Every append that allocates fails once first. */
            base_alloc_fail_after(1);
            qv_status status = append_value(b, i, &err);
            base_alloc_fail_after(0);
            if (status == QV_NOMEM) {
                failures++;
                CHECK_OK(append_value(b, i, &err));
            } else {
                CHECK_OK(status);
            }
        }
        CHECK(failures > 3);
        arrow_array *got, *want;
        CHECK_OK(arrow_builder_finish(b, &got, &err));
        CHECK_OK(arrow_builder_finish(reference, &want, &err));
        CHECK_OK(arrow_array_validate(got, &err));
        CHECK_INT_EQ(got->length, n);
        CHECK_INT_EQ(arrow_array_null_count(got), arrow_array_null_count(want));
        for (int i = 0; i < n; i++) {
            base_strbuf x, y;
            base_strbuf_init(&x);
            base_strbuf_init(&y);
            CHECK_OK(arrow_format_value(got, i, &x, &err));
            CHECK_OK(arrow_format_value(want, i, &y, &err));
            bool same = strcmp(base_strbuf_cstr(&x), base_strbuf_cstr(&y)) == 0;
            base_strbuf_free(&x);
            base_strbuf_free(&y);
            CHECK(same);
        }
        arrow_array_release(got);
        arrow_array_release(want);
        arrow_builder_free(b);
        arrow_builder_free(reference);
        arrow_type_release(types[t]);
    }
}
