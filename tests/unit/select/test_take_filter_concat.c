/*
 * test_take_filter_concat.c — take, filter and concat over every test type
 * (random arrays with nulls, sliced so offsets are non-zero), checked value
 * by value through the formatter and validated; plus the details: null
 * indices, dictionaries kept, views sharing and deduplicating data buffers,
 * run-end results staying run-end encoded, dictionary merging (and
 * deduplication past the index type), batch variants and errors.
 */
#include <stdio.h>
#include <stdlib.h>

#include "select_test_util.h"
#include "test.h"

static bool check_take(arrow_array *src, uint64_t *rng)
{
    qv_error err;
    int64_t n = 50;
    uint32_t indices[50];
    for (int64_t i = 0; i < n; i++)
        indices[i] = t_rand_below(rng, 8) == 0 ? UINT32_MAX
                                               : (uint32_t)t_rand_below(rng, src->length);
    arrow_array *out = NULL;
    if (func_take(src, indices, n, &out, &err) != QV_OK) {
        test_fail(__FILE__, __LINE__, "take failed: %s", err.message);
        return false;
    }
    bool ok = arrow_array_validate(out, &err) == QV_OK && out->length == n &&
              arrow_type_equal(out->type, src->type);
    if (!ok)
        test_fail(__FILE__, __LINE__, "take result invalid: %s", err.message);
    for (int64_t i = 0; ok && i < n; i++) {
        if (indices[i] == UINT32_MAX) {
            char *s = t_format(out, i);
            ok = strcmp(s, "NULL") == 0;
            base_free(s);
        } else {
            ok = t_same(out, i, src, indices[i]);
        }
        if (!ok)
            test_fail(__FILE__, __LINE__, "take row %lld differs", (long long)i);
    }
    if (ok && src->type->id == QV_TYPE_DICTIONARY && out->dictionary != src->dictionary) {
        test_fail(__FILE__, __LINE__, "take did not keep the dictionary");
        ok = false;
    }
    arrow_array_release(out);
    return ok;
}

static bool check_filter(arrow_array *src, uint64_t *rng)
{
    qv_error err;
    int n = (int)src->length + 5;
    int *bits = malloc((size_t)n * sizeof *bits);
    for (int i = 0; i < n; i++)
        bits[i] = t_rand_below(rng, 6) == 0 ? -1 : (int)t_rand_below(rng, 2);
    arrow_array *mask = t_slice(t_bools(n, bits), 5, src->length);
    arrow_array *out = NULL;
    bool ok = func_filter(src, mask, &out, &err) == QV_OK;
    if (!ok)
        test_fail(__FILE__, __LINE__, "filter failed: %s", err.message);
    if (ok && arrow_array_validate(out, &err) != QV_OK) {
        test_fail(__FILE__, __LINE__, "filter result invalid: %s", err.message);
        ok = false;
    }
    int64_t k = 0;
    for (int64_t i = 0; ok && i < src->length; i++) {
        if (bits[5 + i] != 1)
            continue;
        if (k >= out->length || !t_same(out, k, src, i)) {
            test_fail(__FILE__, __LINE__, "filter row %lld differs", (long long)k);
            ok = false;
        }
        k++;
    }
    if (ok && k != out->length) {
        test_fail(__FILE__, __LINE__, "filter kept %lld rows, expected %lld",
                  (long long)out->length, (long long)k);
        ok = false;
    }
    if (ok && src->type->id == QV_TYPE_DICTIONARY && out->dictionary != src->dictionary) {
        test_fail(__FILE__, __LINE__, "filter did not keep the dictionary");
        ok = false;
    }
    arrow_array_release(out);
    arrow_array_release(mask);
    free(bits);
    return ok;
}

static bool check_concat(arrow_array *src)
{
    qv_error err;
    arrow_array *parts[4] = {NULL, NULL, NULL, src};
    int64_t starts[4] = {0, 10, 13, 0}, lens[4] = {10, 0, 20, src->length};
    for (int p = 0; p < 3; p++)
        arrow_array_slice(src, starts[p], lens[p], &parts[p], &err);
    arrow_array *out = NULL;
    bool ok = func_concat(4, parts, &out, &err) == QV_OK;
    if (!ok)
        test_fail(__FILE__, __LINE__, "concat failed: %s", err.message);
    if (ok && arrow_array_validate(out, &err) != QV_OK) {
        test_fail(__FILE__, __LINE__, "concat result invalid: %s", err.message);
        ok = false;
    }
    int64_t row = 0;
    for (int p = 0; ok && p < 4; p++) {
        for (int64_t i = 0; ok && i < lens[p]; i++, row++) {
            if (!t_same(out, row, src, starts[p] + i)) {
                test_fail(__FILE__, __LINE__, "concat row %lld differs", (long long)row);
                ok = false;
            }
        }
    }
    if (ok && (row != out->length || out->offset != 0)) {
        test_fail(__FILE__, __LINE__, "concat has %lld rows, expected %lld",
                  (long long)out->length, (long long)row);
        ok = false;
    }
    for (int p = 0; p < 3; p++)
        arrow_array_release(parts[p]);
    arrow_array_release(out);
    return ok;
}

TEST(select_every_type_take_filter_concat)
{
    t_warm_caches();
    int64_t bytes_before = base_alloc_thread_bytes();
    arrow_type **types;
    const char **names;
    int n_types = t_types(&types, &names);
    for (int t = 0; t < n_types; t++) {
        for (uint64_t seed = 1; seed <= 4; seed++) {
            uint64_t rng = seed * 7919 + (uint64_t)t;
            arrow_array *src = t_slice(t_random_array(types[t], 60, 5, &rng), 7, 45);
            bool ok = check_take(src, &rng) && check_filter(src, &rng) && check_concat(src);
            arrow_array_release(src);
            if (!ok) {
                test_fail(__FILE__, __LINE__, "type %s, seed %llu", names[t],
                          (unsigned long long)seed);
                t_types_free(n_types, types);
                return;
            }
        }
    }
    t_types_free(n_types, types);
    CHECK_INT_EQ(base_alloc_thread_bytes(), bytes_before);
}

TEST(select_take_null_index_and_range)
{
    qv_error err;
    arrow_array *a = t_i64s(3, (int64_t[]){10, 20, 30}, NULL), *out;
    CHECK_OK(func_take(a, (uint32_t[]){2, UINT32_MAX, 0, 0}, 4, &out, &err));
    CHECK_INT_EQ(out->length, 4);
    CHECK_INT_EQ(arrow_array_null_count(out), 1);
    CHECK(!arrow_array_is_valid(out, 1));
    CHECK_INT_EQ(((const int64_t *)out->buffers[1]->data)[0], 30);
    CHECK_INT_EQ(((const int64_t *)out->buffers[1]->data)[3], 10);
    arrow_array_release(out);
    CHECK_STATUS(func_take(a, (uint32_t[]){3}, 1, &out, &err), QV_INVALID);
    CHECK(out == NULL);
    /* No nulls anywhere: no validity bitmap. */
    CHECK_OK(func_take(a, (uint32_t[]){1, 1}, 2, &out, &err));
    CHECK(out->buffers[0] == NULL);
    arrow_array_release(out);
    CHECK_OK(func_take(a, NULL, 0, &out, &err));
    CHECK_INT_EQ(out->length, 0);
    arrow_array_release(out);
    arrow_array_release(a);
}

TEST(select_views_share_and_dedup_buffers)
{
    qv_error err;
    const char *values[] = {"short", "a string longer than twelve", NULL,
                            "another long string value", "x"};
    arrow_array *a = t_strs(QV_TYPE_UTF8_VIEW, 5, values), *out, *parts[2];
    CHECK_OK(func_take(a, (uint32_t[]){3, 1, 0}, 3, &out, &err));
    CHECK_INT_EQ(out->n_buffers, a->n_buffers);
    for (int32_t b = 2; b < a->n_buffers; b++)
        CHECK(out->buffers[b] == a->buffers[b]);
    CHECK(t_same(out, 0, a, 3));
    arrow_array_release(out);
    CHECK_OK(arrow_array_slice(a, 0, 2, &parts[0], &err));
    CHECK_OK(arrow_array_slice(a, 3, 2, &parts[1], &err));
    CHECK_OK(func_concat(2, parts, &out, &err));
    CHECK_OK(arrow_array_validate(out, &err));
    CHECK_INT_EQ(out->n_buffers, a->n_buffers); /* the shared data buffers appear once */
    CHECK(t_same(out, 1, a, 1));
    CHECK(t_same(out, 2, a, 3));
    arrow_array_release(out);
    arrow_array_release(parts[0]);
    arrow_array_release(parts[1]);
    arrow_array_release(a);
}

static arrow_array *ree_of(const arrow_type *type_src, const char *const *values, int n)
{
    (void)type_src;
    qv_error err;
    arrow_type *t;
    arrow_field *ends, *vals;
    arrow_field_new("run_ends", arrow_type_primitive(QV_TYPE_INT16), false, NULL, &ends, &err);
    arrow_field_new("values", arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &vals, &err);
    arrow_type_run_end_encoded(ends, vals, &t, &err);
    arrow_field_release(ends);
    arrow_field_release(vals);
    arrow_builder *b;
    arrow_builder_new(t, &b, &err);
    for (int i = 0; i < n; i++) {
        if (values[i] == NULL)
            arrow_builder_append_null(b, &err);
        else
            arrow_builder_append_bytes(b, values[i], (int64_t)strlen(values[i]), &err);
    }
    arrow_array *a;
    arrow_builder_finish(b, &a, &err);
    arrow_builder_free(b);
    arrow_type_release(t);
    return a;
}

TEST(select_run_end_results_stay_encoded)
{
    qv_error err;
    const char *values[] = {"a", "a", "a", "b", "b", NULL, "c"};
    arrow_array *a = ree_of(NULL, values, 7), *out;
    CHECK_INT_EQ(a->children[0]->length, 4);
    CHECK_OK(func_take(a, (uint32_t[]){0, 2, 1, 4, 3, UINT32_MAX, 6}, 7, &out, &err));
    CHECK(out->type->id == QV_TYPE_RUN_END_ENCODED);
    CHECK_OK(arrow_array_validate(out, &err));
    CHECK_INT_EQ(out->children[0]->length, 4); /* a a a | b b | NULL | c */
    CHECK(t_same(out, 4, a, 4));
    arrow_array_release(out);
    arrow_array *s1, *s2, *parts[2];
    CHECK_OK(arrow_array_slice(a, 1, 3, &s1, &err));
    CHECK_OK(arrow_array_slice(a, 4, 3, &s2, &err));
    parts[0] = s1;
    parts[1] = s2;
    CHECK_OK(func_concat(2, parts, &out, &err));
    CHECK_OK(arrow_array_validate(out, &err));
    CHECK_INT_EQ(out->length, 6);
    for (int i = 0; i < 6; i++)
        CHECK(t_same(out, i, a, 1 + i));
    arrow_array_release(out);
    arrow_array_release(s1);
    arrow_array_release(s2);
    arrow_array_release(a);
}

/* A Dictionary(Int8, Utf8) array of n values "<prefix><i % distinct>". */
static arrow_array *dict_array(const char *prefix, int n, int distinct)
{
    qv_error err;
    arrow_type *t;
    arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT8), arrow_type_primitive(QV_TYPE_UTF8),
                          false, &t, &err);
    arrow_builder *b;
    arrow_builder_new(t, &b, &err);
    for (int i = 0; i < n; i++) {
        char buf[32];
        int len = snprintf(buf, sizeof buf, "%s%d", prefix, i % distinct);
        if (i % 7 == 3)
            arrow_builder_append_null(b, &err);
        else
            arrow_builder_append_bytes(b, buf, len, &err);
    }
    arrow_array *a;
    arrow_builder_finish(b, &a, &err);
    arrow_builder_free(b);
    arrow_type_release(t);
    return a;
}

TEST(select_concat_merges_dictionaries)
{
    qv_error err;
    /* Different dictionaries that fit together. */
    arrow_array *parts[3] = {dict_array("x", 20, 10), dict_array("y", 15, 5),
                             dict_array("x", 9, 9)};
    arrow_array *out;
    CHECK_OK(func_concat(3, parts, &out, &err));
    CHECK_OK(arrow_array_validate(out, &err));
    int64_t row = 0;
    for (int p = 0; p < 3; p++) {
        for (int64_t i = 0; i < parts[p]->length; i++, row++)
            CHECK(t_same(out, row, parts[p], i));
    }
    arrow_array_release(out);
    for (int p = 0; p < 3; p++)
        arrow_array_release(parts[p]);
    /* 3 x 100 values, 120 distinct: past Int8 merged, fits deduplicated. */
    arrow_array *big[3] = {dict_array("v", 100, 100), dict_array("v", 100, 100),
                           dict_array("w", 20, 20)};
    CHECK_OK(func_concat(3, big, &out, &err));
    CHECK_OK(arrow_array_validate(out, &err));
    CHECK(out->dictionary->length <= 127);
    row = 0;
    for (int p = 0; p < 3; p++) {
        for (int64_t i = 0; i < big[p]->length; i++, row++)
            CHECK(t_same(out, row, big[p], i));
    }
    arrow_array_release(out);
    arrow_array_release(big[2]);
    big[2] = dict_array("z", 100, 100); /* 200 distinct: does not fit */
    CHECK_STATUS(func_concat(3, big, &out, &err), QV_LIMIT);
    for (int p = 0; p < 3; p++)
        arrow_array_release(big[p]);
}

static arrow_schema *schema_of(int n, const char *const *names, arrow_type *const *types)
{
    qv_error err;
    arrow_field *fields[8];
    for (int i = 0; i < n; i++)
        arrow_field_new(names[i], types[i], true, NULL, &fields[i], &err);
    arrow_schema *schema;
    arrow_schema_new(n, fields, NULL, &schema, &err);
    for (int i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    return schema;
}

TEST(select_batch_variants)
{
    qv_error err;
    arrow_type *types[2] = {arrow_type_primitive(QV_TYPE_INT64), arrow_type_primitive(QV_TYPE_UTF8)};
    arrow_schema *schema = schema_of(2, (const char *[]){"a", "b"}, types);
    arrow_array *cols[2] = {t_i64s(4, (int64_t[]){1, 2, 3, 4}, NULL),
                            t_strs(QV_TYPE_UTF8, 4, (const char *[]){"p", NULL, "r", "s"})};
    arrow_batch *batch, *out, *both[2];
    CHECK_OK(arrow_batch_new(schema, 4, cols, &batch, &err));
    arrow_array *mask = t_bools(4, (int[]){1, -1, 0, 1});
    CHECK_OK(func_filter_batch(batch, mask, &out, &err));
    CHECK_INT_EQ(out->n_rows, 2);
    CHECK(t_same(out->columns[1], 1, cols[1], 3));
    arrow_batch_release(out);
    arrow_array_release(mask);
    mask = t_bools(4, (int[]){1, 1, 1, 1});
    CHECK_OK(func_filter_batch(batch, mask, &out, &err));
    CHECK(out == batch);
    arrow_batch_release(out);
    arrow_array_release(mask);
    mask = t_bools(3, (int[]){1, 1, 1});
    CHECK_STATUS(func_filter_batch(batch, mask, &out, &err), QV_INVALID);
    arrow_array_release(mask);
    arrow_array *filtered;
    CHECK_STATUS(func_filter(cols[0], cols[0], &filtered, &err), QV_INVALID);

    CHECK_OK(func_take_batch(batch, (uint32_t[]){3, 0}, 2, &out, &err));
    CHECK(t_same(out->columns[0], 0, cols[0], 3));
    both[0] = out;
    both[1] = batch;
    arrow_batch *joined;
    CHECK_OK(func_concat_batches(schema, 2, both, &joined, &err));
    CHECK_INT_EQ(joined->n_rows, 6);
    CHECK(t_same(joined->columns[1], 5, cols[1], 3));
    arrow_batch_release(joined);
    arrow_batch_release(out);
    CHECK_OK(func_concat_batches(schema, 0, NULL, &joined, &err));
    CHECK_INT_EQ(joined->n_rows, 0);
    arrow_batch_release(joined);

    arrow_schema *other = schema_of(2, (const char *[]){"a", "c"}, types);
    both[0] = batch;
    CHECK_STATUS(func_concat_batches(other, 1, both, &joined, &err), QV_INVALID);
    arrow_array *mixed;
    CHECK_STATUS(func_concat(2, cols, &mixed, &err), QV_INVALID);
    arrow_schema_release(other);
    arrow_batch_release(batch);
    arrow_array_release(cols[0]);
    arrow_array_release(cols[1]);
    arrow_schema_release(schema);
}
