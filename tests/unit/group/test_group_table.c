/*
 * test_group_table.c — the group table: every key type (flat, views,
 * nested, dictionary, run-end encoded) with nulls, float normalisation,
 * several keys, sliced input, growth through many groups, the emit round
 * trip, and a randomized comparison with a naive reference.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group_test_util.h"
#include "test.h"

/* Appends the k-th (0..2) test value of `type`; values differ for different k. */
static qv_status append_value(arrow_builder *b, const arrow_type *type, int k, qv_error *err)
{
    static const char *const strings[3] = {"a", "a string longer than twelve bytes", ""};
    switch (type->id) {
    case QV_TYPE_BOOLEAN:
        return arrow_builder_append_bool(b, k % 2 != 0, err);
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64:
        return arrow_builder_append_uint(b, (uint64_t[]){1, 200, 3}[k], err);
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
        return arrow_builder_append_double(b, (double[]){1.5, -2.25, 0.0}[k], err);
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256: {
        uint8_t bytes[32];
        memset(bytes, k == 1 ? 0xFF : 0, sizeof bytes); /* 0, -1, 12345 * 2^0 */
        if (k == 2) {
            bytes[0] = 0x39;
            bytes[1] = 0x30;
        }
        return arrow_builder_append_decimal(b, bytes, err);
    }
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
        return arrow_builder_append_bytes(b, strings[k], (int64_t)strlen(strings[k]), err);
    case QV_TYPE_FIXED_SIZE_BINARY:
        return arrow_builder_append_bytes(b, (const char *[]){"abc", "xyz", "\0\0\0"}[k], 3, err);
    case QV_TYPE_INTERVAL_DAY_TIME:
        return arrow_builder_append_interval_dt(b, k, 2 - k, err);
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        return arrow_builder_append_interval_mdn(b, k, -1, 1000 * k, err);
    case QV_TYPE_STRUCT:
        for (int32_t c = 0; c < type->n_children; c++)
            QV_TRY(
                append_value(arrow_builder_child(b, c), type->children[c]->type, (k + c) % 3, err));
        return arrow_builder_append_struct(b, true, err);
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
        for (int j = 0; j < k; j++) {
            if (k == 2 && j == 1) /* [v2, NULL] */
                QV_TRY(arrow_builder_append_null(arrow_builder_child(b, 0), err));
            else
                QV_TRY(append_value(arrow_builder_child(b, 0), type->children[0]->type, (k + j) % 3,
                                    err));
        }
        return arrow_builder_end_list(b, true, err);
    case QV_TYPE_MAP: /* k entries with distinct keys */
        for (int j = 0; j < k; j++)
            QV_TRY(
                append_value(arrow_builder_child(b, 0), type->children[0]->type, (k + j) % 3, err));
        return arrow_builder_end_list(b, true, err);
    case QV_TYPE_FIXED_SIZE_LIST:
        for (int32_t j = 0; j < type->fixed_size; j++)
            QV_TRY(
                append_value(arrow_builder_child(b, 0), type->children[0]->type, (k + j) % 3, err));
        return arrow_builder_end_list(b, true, err);
    case QV_TYPE_DICTIONARY:
        return append_value(b, type->value_type, k, err);
    case QV_TYPE_RUN_END_ENCODED:
        return append_value(b, type->children[1]->type, k, err);
    default: /* signed integers and temporal types */
        return arrow_builder_append_int(b, (int64_t[]){10, -3, 7}[k], err);
    }
}

/* Rows of the pattern: value index or -1 for null. */
static const int pattern[] = {0, 1, 0, -1, 1, -1, 2, 2, 0};
static const uint32_t pattern_ids[] = {0, 1, 0, 2, 1, 2, 3, 3, 0};
static const int64_t pattern_firsts[] = {0, 1, 3, 6};
#define PATTERN_N 9

/* Interns the pattern (sliced by one row at the front to exercise offsets),
 * checks ids, emits and compares the groups with the first rows. Returns a
 * description of the first problem, or NULL. */
static const char *check_type(arrow_type *type)
{
    static char problem[4096];
    qv_error err;
    arrow_builder *b = NULL;
    if (arrow_builder_new(type, &b, &err) != QV_OK)
        return "builder";
    bool is_bool = type->id == QV_TYPE_BOOLEAN;
    bool is_null = type->id == QV_TYPE_NULL;
    /* A leading row, sliced away below. */
    qv_status st = is_null ? arrow_builder_append_null(b, &err) : append_value(b, type, 2, &err);
    for (int i = 0; i < PATTERN_N && st == QV_OK; i++) {
        int k = pattern[i];
        if (is_bool && k == 2)
            k = 0; /* only two values: rows 6, 7 repeat value 0 */
        st = k < 0 || is_null ? arrow_builder_append_null(b, &err) : append_value(b, type, k, &err);
    }
    arrow_array *full = NULL, *keys = NULL;
    if (st == QV_OK)
        st = arrow_builder_finish(b, &full, &err);
    arrow_builder_free(b);
    if (st == QV_OK)
        st = arrow_array_slice(full, 1, PATTERN_N, &keys, &err);
    arrow_array_release(full);
    if (st != QV_OK) {
        snprintf(problem, sizeof problem, "building input: %s", err.message);
        return problem;
    }
    exec_group_table *t = NULL;
    uint32_t ids[PATTERN_N];
    const char *result = NULL;
    if (exec_group_table_new(1, &type, &t, &err) != QV_OK ||
        exec_group_table_intern(t, &keys, PATTERN_N, ids, &err) != QV_OK) {
        snprintf(problem, sizeof problem, "intern: %s", err.message);
        result = problem;
        goto done;
    }
    uint32_t expect[PATTERN_N];
    int64_t n_expect = 4;
    memcpy(expect, pattern_ids, sizeof expect);
    if (is_bool) { /* rows 6, 7 hold value 0 */
        expect[6] = expect[7] = 0;
        n_expect = 3;
    }
    if (is_null) {
        for (int i = 0; i < PATTERN_N; i++)
            expect[i] = 0;
        n_expect = 1;
    }
    for (int i = 0; i < PATTERN_N; i++)
        if (ids[i] != expect[i]) {
            snprintf(problem, sizeof problem, "row %d: id %u, expected %u", i, ids[i], expect[i]);
            result = problem;
            goto done;
        }
    if (exec_group_table_count(t) != n_expect) {
        result = "group count";
        goto done;
    }
    arrow_array *emitted = NULL;
    if (exec_group_table_emit(t, 0, n_expect, &emitted, &err) != QV_OK) {
        snprintf(problem, sizeof problem, "emit: %s", err.message);
        result = problem;
        goto done;
    }
    if (!arrow_type_equal(emitted->type, type) || emitted->length != n_expect ||
        arrow_array_validate(emitted, &err) != QV_OK) {
        snprintf(problem, sizeof problem, "emitted array is wrong: %s", err.message);
        result = problem;
    }
    int64_t firsts[4];
    memcpy(firsts, pattern_firsts, sizeof firsts);
    if (is_bool) {
        firsts[0] = 0;
        firsts[1] = 1;
        firsts[2] = 3;
    }
    for (int64_t g = 0; g < n_expect && result == NULL; g++) {
        char want[1100];
        snprintf(want, sizeof want, "%s", gt_fmt(keys, is_null ? 0 : firsts[g]));
        const char *got = gt_fmt(emitted, g);
        if (strcmp(want, got) != 0) {
            snprintf(problem, sizeof problem, "group %lld: %s, expected %s", (long long)g, got,
                     want);
            result = problem;
        }
    }
    /* A second emit of a sub-range. */
    arrow_array *tail = NULL;
    if (result == NULL && n_expect > 1 &&
        (exec_group_table_emit(t, 1, n_expect - 1, &tail, &err) != QV_OK ||
         strcmp(gt_fmt(tail, 0), gt_fmt(emitted, 1)) != 0))
        result = "emit of a sub-range";
    arrow_array_release(tail);
    arrow_array_release(emitted);
done:
    exec_group_table_free(t);
    arrow_array_release(keys);
    return result;
}

static arrow_field *field_of(const char *name, arrow_type *type)
{
    qv_error err;
    arrow_field *f = NULL;
    if (arrow_field_new(name, type, true, NULL, &f, &err) != QV_OK)
        abort();
    return f;
}

TEST(group_table_every_key_type)
{
    qv_error err;
    static const arrow_type_id flat[] = {QV_TYPE_NULL,
                                         QV_TYPE_BOOLEAN,
                                         QV_TYPE_INT8,
                                         QV_TYPE_INT16,
                                         QV_TYPE_INT32,
                                         QV_TYPE_INT64,
                                         QV_TYPE_UINT8,
                                         QV_TYPE_UINT16,
                                         QV_TYPE_UINT32,
                                         QV_TYPE_UINT64,
                                         QV_TYPE_FLOAT16,
                                         QV_TYPE_FLOAT32,
                                         QV_TYPE_FLOAT64,
                                         QV_TYPE_UTF8,
                                         QV_TYPE_LARGE_UTF8,
                                         QV_TYPE_UTF8_VIEW,
                                         QV_TYPE_BINARY,
                                         QV_TYPE_LARGE_BINARY,
                                         QV_TYPE_BINARY_VIEW,
                                         QV_TYPE_DATE32,
                                         QV_TYPE_DATE64,
                                         QV_TYPE_INTERVAL_YEAR_MONTH,
                                         QV_TYPE_INTERVAL_DAY_TIME,
                                         QV_TYPE_INTERVAL_MONTH_DAY_NANO};
    for (size_t i = 0; i < sizeof flat / sizeof flat[0]; i++) {
        const char *problem = check_type(arrow_type_primitive(flat[i]));
        if (problem != NULL) {
            test_fail(__FILE__, __LINE__, "%s: %s", arrow_type_id_name(flat[i]), problem);
            return;
        }
    }
    arrow_type *types[20];
    int n = 0;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL128, 20, 2, &types[n++], &err));
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL256, 60, 3, &types[n++], &err));
    CHECK_OK(arrow_type_fixed_size_binary(3, &types[n++], &err));
    CHECK_OK(arrow_type_time(QV_TYPE_TIME32, QV_UNIT_MILLISECOND, &types[n++], &err));
    CHECK_OK(arrow_type_time(QV_TYPE_TIME64, QV_UNIT_NANOSECOND, &types[n++], &err));
    CHECK_OK(arrow_type_timestamp(QV_UNIT_MICROSECOND, "UTC", &types[n++], &err));
    CHECK_OK(arrow_type_duration(QV_UNIT_SECOND, &types[n++], &err));
    CHECK_OK(
        arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(QV_TYPE_INT32), &types[n++], &err));
    CHECK_OK(arrow_type_list_of(QV_TYPE_LARGE_LIST, arrow_type_primitive(QV_TYPE_UTF8), &types[n++],
                                &err));
    arrow_field *item = field_of("item", arrow_type_primitive(QV_TYPE_FLOAT64));
    CHECK_OK(arrow_type_fixed_size_list(item, 2, &types[n++], &err));
    arrow_field_release(item);
    arrow_field *members[2] = {field_of("a", arrow_type_primitive(QV_TYPE_INT32)),
                               field_of("b", arrow_type_primitive(QV_TYPE_UTF8))};
    CHECK_OK(arrow_type_struct(2, members, &types[n++], &err));
    arrow_field_release(members[0]);
    arrow_field_release(members[1]);
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT32),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &types[n++], &err));
    arrow_field *ends = NULL, *values = NULL;
    CHECK_OK(
        arrow_field_new("run_ends", arrow_type_primitive(QV_TYPE_INT32), false, NULL, &ends, &err));
    values = field_of("values", arrow_type_primitive(QV_TYPE_INT64));
    CHECK_OK(arrow_type_run_end_encoded(ends, values, &types[n++], &err));
    arrow_field_release(ends);
    arrow_field_release(values);
    arrow_field *kv[2] = {NULL, field_of("value", arrow_type_primitive(QV_TYPE_INT32))};
    CHECK_OK(arrow_field_new("key", arrow_type_primitive(QV_TYPE_UTF8), false, NULL, &kv[0], &err));
    arrow_type *entries_type = NULL;
    CHECK_OK(arrow_type_struct(2, kv, &entries_type, &err));
    arrow_field *entries = NULL;
    CHECK_OK(arrow_field_new("entries", entries_type, false, NULL, &entries, &err));
    CHECK_OK(arrow_type_map(entries, false, &types[n++], &err));
    arrow_field_release(kv[0]);
    arrow_field_release(kv[1]);
    arrow_field_release(entries);
    arrow_type_release(entries_type);
    /* A list of structs holding a list: the generic path all the way down. */
    arrow_field *inner[2] = {field_of("x", types[7]),
                             field_of("y", arrow_type_primitive(QV_TYPE_BOOLEAN))};
    arrow_type *st = NULL;
    CHECK_OK(arrow_type_struct(2, inner, &st, &err));
    arrow_field_release(inner[0]);
    arrow_field_release(inner[1]);
    CHECK_OK(arrow_type_list_of(QV_TYPE_LIST, st, &types[n++], &err));
    arrow_type_release(st);

    const char *problem = NULL;
    int bad = -1;
    for (int i = 0; i < n && problem == NULL; i++) {
        problem = check_type(types[i]);
        bad = i;
    }
    base_strbuf name;
    base_strbuf_init(&name);
    if (problem != NULL)
        arrow_type_format(types[bad], &name);
    for (int i = 0; i < n; i++)
        arrow_type_release(types[i]);
    if (problem != NULL)
        test_fail(__FILE__, __LINE__, "%s: %s", base_strbuf_cstr(&name), problem);
    base_strbuf_free(&name);
}

TEST(group_table_float_normalisation)
{
    qv_error err;
    double nan2;
    uint64_t bits = 0x7FF8000000000123ULL; /* a NaN with another payload */
    memcpy(&nan2, &bits, 8);
    arrow_array *keys = gt_f64(7, (double[]){0.0, -0.0, NAN, -NAN, nan2, 1.0, -1.0});
    arrow_type *type = arrow_type_primitive(QV_TYPE_FLOAT64);
    exec_group_table *t = NULL;
    CHECK_OK(exec_group_table_new(1, &type, &t, &err));
    uint32_t ids[7];
    CHECK_OK(exec_group_table_intern(t, &keys, 7, ids, &err));
    uint32_t want[7] = {0, 0, 1, 1, 1, 2, 3};
    for (int i = 0; i < 7; i++)
        CHECK_INT_EQ(ids[i], want[i]);
    arrow_array *out = NULL;
    CHECK_OK(exec_group_table_emit(t, 0, 4, &out, &err));
    CHECK_STR_EQ(gt_fmt(out, 0), "0.0");
    CHECK_STR_EQ(gt_fmt(out, 1), "NaN");
    arrow_array_release(out);
    arrow_array_release(keys);
    exec_group_table_free(t);
}

TEST(group_table_several_keys_and_nulls)
{
    qv_error err;
    arrow_array *keys[3] = {
        GT_I32(1, 1, GT_NULL, 1, GT_NULL, 2, 1),
        GT_STR("x", "y", "x", "x", "x", NULL, "y"),
        GT_BOOL(1, 1, 1, 1, 1, -1, 1),
    };
    arrow_type *types[3] = {keys[0]->type, keys[1]->type, keys[2]->type};
    exec_group_table *t = NULL;
    CHECK_OK(exec_group_table_new(3, types, &t, &err));
    uint32_t ids[7];
    CHECK_OK(exec_group_table_intern(t, keys, 7, ids, &err));
    uint32_t want[7] = {0, 1, 2, 0, 2, 3, 1};
    for (int i = 0; i < 7; i++)
        CHECK_INT_EQ(ids[i], want[i]);
    /* NULL key arrays read as all-null columns. */
    arrow_array *partial[3] = {NULL, keys[1], NULL};
    CHECK_OK(exec_group_table_intern(t, partial, 7, ids, &err));
    CHECK_INT_EQ(ids[0], 4); /* (NULL, x, NULL) */
    CHECK_INT_EQ(ids[1], 5);
    CHECK_INT_EQ(ids[5], 6); /* all null */
    CHECK_INT_EQ(exec_group_table_count(t), 7);
    arrow_array *out[3];
    CHECK_OK(exec_group_table_emit(t, 0, 7, out, &err));
    const char *rows[7] = {"1 x true",    "1 y true",    "NULL x true",   "2 NULL NULL",
                           "NULL x NULL", "NULL y NULL", "NULL NULL NULL"};
    for (int g = 0; g < 7; g++) {
        char line[128];
        snprintf(line, sizeof line, "%s", gt_fmt(out[0], g));
        snprintf(line + strlen(line), sizeof line - strlen(line), " %s", gt_fmt(out[1], g));
        snprintf(line + strlen(line), sizeof line - strlen(line), " %s", gt_fmt(out[2], g));
        CHECK_STR_EQ(line, rows[g]);
    }
    CHECK(exec_group_table_memory_bytes(t) > 0);
    arrow_array *none[3];
    CHECK_STATUS(exec_group_table_emit(t, 5, 3, none, &err), QV_MISUSE);
    for (int k = 0; k < 3; k++) {
        arrow_array_release(out[k]);
        arrow_array_release(keys[k]);
    }
    exec_group_table_free(t);
}

TEST(group_table_no_keys)
{
    qv_error err;
    exec_group_table *t = NULL;
    CHECK_OK(exec_group_table_new(0, NULL, &t, &err));
    uint32_t ids[5] = {9, 9, 9, 9, 9};
    CHECK_OK(exec_group_table_intern(t, NULL, 5, ids, &err));
    CHECK_INT_EQ(exec_group_table_count(t), 1);
    CHECK_INT_EQ(ids[4], 0);
    CHECK_OK(exec_group_table_intern(t, NULL, 3, ids, &err));
    CHECK_INT_EQ(exec_group_table_count(t), 1);
    exec_group_table_free(t);
    exec_group_table_free(NULL);
}

/* Many groups in batches: growth of slots, storage and heap. */
TEST(group_table_many_groups)
{
    qv_error err;
    const int64_t n = 300000, batch = 8192;
    int64_t *ints = malloc((size_t)n * 8);
    const char **strs = malloc((size_t)n * sizeof *strs);
    char *text = malloc((size_t)n * 40);
    for (int64_t i = 0; i < n; i++) {
        int64_t v = (i * 7919) % 100003; /* 100003 distinct values, repeated */
        ints[i] = v;
        snprintf(text + i * 40, 40, v % 3 ? "id%lld" : "a longer identifier %lld", (long long)v);
        strs[i] = text + i * 40;
    }
    arrow_array *cols[2] = {gt_int(QV_TYPE_INT64, n, ints), gt_str(QV_TYPE_UTF8_VIEW, n, strs)};
    arrow_type *types[2] = {cols[0]->type, cols[1]->type};
    exec_group_table *single = NULL, *pair = NULL;
    CHECK_OK(exec_group_table_new(1, &types[1], &single, &err));
    CHECK_OK(exec_group_table_new(2, types, &pair, &err));
    uint32_t *ids = malloc((size_t)n * 4), *ids2 = malloc((size_t)n * 4);
    for (int64_t start = 0; start < n; start += batch) {
        int64_t len = n - start < batch ? n - start : batch;
        arrow_array *sl[2];
        CHECK_OK(arrow_array_slice(cols[0], start, len, &sl[0], &err));
        CHECK_OK(arrow_array_slice(cols[1], start, len, &sl[1], &err));
        CHECK_OK(exec_group_table_intern(single, &sl[1], len, ids + start, &err));
        CHECK_OK(exec_group_table_intern(pair, sl, len, ids2 + start, &err));
        arrow_array_release(sl[0]);
        arrow_array_release(sl[1]);
    }
    CHECK_INT_EQ(exec_group_table_count(single), 100003);
    CHECK_INT_EQ(exec_group_table_count(pair), 100003);
    /* Equal values, equal ids; ids dense in first-seen order. */
    uint32_t *by_value = malloc(100003 * 4);
    memset(by_value, 0xFF, 100003 * 4);
    uint32_t next = 0;
    bool ok = true;
    for (int64_t i = 0; i < n && ok; i++) {
        if (by_value[ints[i]] == UINT32_MAX)
            by_value[ints[i]] = next++;
        ok = ids[i] == by_value[ints[i]] && ids2[i] == ids[i];
    }
    CHECK(ok);
    /* Emit round trip: interning the emitted keys gives ids 0..n-1 again. */
    arrow_array *out[2];
    CHECK_OK(exec_group_table_emit(pair, 0, 100003, out, &err));
    CHECK_OK(arrow_array_validate(out[1], &err));
    CHECK_OK(exec_group_table_intern(pair, out, 100003, ids2, &err));
    for (int64_t g = 0; g < 100003 && ok; g++)
        ok = ids2[g] == g;
    CHECK(ok);
    CHECK_INT_EQ(exec_group_table_count(pair), 100003);
    CHECK(exec_group_table_memory_bytes(pair) > 100003 * 16);
    arrow_array_release(out[0]);
    arrow_array_release(out[1]);
    arrow_array_release(cols[0]);
    arrow_array_release(cols[1]);
    exec_group_table_free(single);
    exec_group_table_free(pair);
    free(by_value);
    free(ids);
    free(ids2);
    free(ints);
    free(strs);
    free(text);
}

/* Random rows of (Int64, Utf8, Boolean) with nulls, against a naive table
 * keyed by the formatted row. */
TEST(group_table_randomized)
{
    qv_error err;
    srand(12345);
    const int64_t n = 20000;
    int64_t *ints = malloc((size_t)n * 8);
    const char **strs = malloc((size_t)n * sizeof *strs);
    int *bools = malloc((size_t)n * sizeof *bools);
    static const char *const pool[] = {"",
                                       "a",
                                       "b",
                                       "abcdefghijklm",
                                       "abcdefghijklmn",
                                       "abcdefghijkl",
                                       "zzzzzzzzzzzzzzzzzzzzzzzz"};
    for (int64_t i = 0; i < n; i++) {
        int r = rand() % 12;
        ints[i] = r == 0 ? GT_NULL : r - 6;
        int s = rand() % 8;
        strs[i] = s == 7 ? NULL : pool[s];
        bools[i] = rand() % 3 - 1;
    }
    arrow_array *cols[3] = {gt_int(QV_TYPE_INT64, n, ints), gt_str(QV_TYPE_LARGE_UTF8, n, strs),
                            gt_bool(n, bools)};
    arrow_type *types[3] = {cols[0]->type, cols[1]->type, cols[2]->type};
    exec_group_table *t = NULL;
    CHECK_OK(exec_group_table_new(3, types, &t, &err));
    uint32_t *ids = malloc((size_t)n * 4);
    for (int64_t start = 0; start < n;) {
        int64_t len = 1 + rand() % 700;
        if (len > n - start)
            len = n - start;
        arrow_array *sl[3];
        for (int k = 0; k < 3; k++)
            CHECK_OK(arrow_array_slice(cols[k], start, len, &sl[k], &err));
        CHECK_OK(exec_group_table_intern(t, sl, len, ids + start, &err));
        for (int k = 0; k < 3; k++)
            arrow_array_release(sl[k]);
        start += len;
    }
    /* Naive reference: row text -> first-seen index. */
    char **seen = calloc((size_t)n, sizeof *seen);
    int64_t n_seen = 0;
    bool ok = true;
    for (int64_t i = 0; i < n && ok; i++) {
        char row[128];
        snprintf(row, sizeof row, "%s|%s|%s", ints[i] == GT_NULL ? "N" : gt_fmt(cols[0], i),
                 strs[i] ? strs[i] : "\x01N",
                 bools[i] < 0 ? "N"
                 : bools[i]   ? "t"
                              : "f");
        int64_t found = -1;
        for (int64_t j = 0; j < n_seen && found < 0; j++)
            if (strcmp(seen[j], row) == 0)
                found = j;
        if (found < 0) {
            seen[n_seen] = gt_strdup(row);
            found = n_seen++;
        }
        ok = ids[i] == (uint32_t)found;
        if (!ok)
            test_fail(__FILE__, __LINE__, "row %lld (%s): id %u, expected %lld", (long long)i, row,
                      ids[i], (long long)found);
    }
    CHECK_INT_EQ(exec_group_table_count(t), n_seen);
    for (int64_t j = 0; j < n_seen; j++)
        free(seen[j]);
    free(seen);
    for (int k = 0; k < 3; k++)
        arrow_array_release(cols[k]);
    exec_group_table_free(t);
    free(ids);
    free(ints);
    free(strs);
    free(bools);
}

/* A failed intern leaves the table as it was. */
TEST(group_table_failed_intern_keeps_table)
{
    qv_error err;
    arrow_array *a = GT_STR("one", "two", "one");
    arrow_type *type = a->type;
    exec_group_table *t = NULL;
    CHECK_OK(exec_group_table_new(1, &type, &t, &err));
    uint32_t ids[5000];
    CHECK_OK(exec_group_table_intern(t, &a, 3, ids, &err));
    const char *many[5000];
    char text[5000][24];
    for (int i = 0; i < 5000; i++) {
        snprintf(text[i], sizeof text[i], i == 0 ? "two" : "value number %d", i);
        many[i] = text[i];
    }
    arrow_array *b = gt_str(QV_TYPE_UTF8, 5000, many);
    base_alloc_fail_after(1);
    qv_status st = exec_group_table_intern(t, &b, 5000, ids, &err);
    base_alloc_fail_after(0);
    CHECK_STATUS(st, QV_NOMEM);
    CHECK_INT_EQ(exec_group_table_count(t), 2);
    CHECK_OK(exec_group_table_intern(t, &b, 5000, ids, &err));
    CHECK_INT_EQ(ids[0], 1);
    CHECK_INT_EQ(ids[1], 2);
    CHECK_INT_EQ(exec_group_table_count(t), 5001);
    arrow_array_release(a);
    arrow_array_release(b);
    exec_group_table_free(t);
}

/* One key: batches with nulls take the general probe, batches without the
 * fused one; both must agree (a null group never matches a zero / empty value). */
TEST(group_table_single_key_paths_agree)
{
    qv_error err;
    arrow_array *ints[3] = {GT_I64(0, GT_NULL, 5), GT_I64(0, 5, 7), GT_I64(GT_NULL, 7)};
    arrow_array *strs[3] = {GT_STR("", NULL, "x"), GT_STR("", "x", "long string over twelve"),
                            GT_STR(NULL, "long string over twelve")};
    arrow_array *i32s[3] = {GT_I32(0, GT_NULL, 5), GT_I32(0, 5, 7), GT_I32(GT_NULL, 7)};
    arrow_array **cols[3] = {ints, strs, i32s};
    for (int c = 0; c < 3; c++) {
        arrow_type *type = cols[c][0]->type;
        exec_group_table *t = NULL;
        CHECK_OK(exec_group_table_new(1, &type, &t, &err));
        uint32_t a[3], b[3], d[2];
        CHECK_OK(exec_group_table_intern(t, &cols[c][0], 3, a, &err));
        CHECK_OK(exec_group_table_intern(t, &cols[c][1], 3, b, &err));
        CHECK_OK(exec_group_table_intern(t, &cols[c][2], 2, d, &err));
        CHECK_INT_EQ(a[0], 0);
        CHECK_INT_EQ(a[1], 1);
        CHECK_INT_EQ(a[2], 2);
        CHECK_INT_EQ(b[0], 0);
        CHECK_INT_EQ(b[1], 2);
        CHECK_INT_EQ(b[2], 3);
        CHECK_INT_EQ(d[0], 1);
        CHECK_INT_EQ(d[1], 3);
        arrow_array *out = NULL;
        CHECK_OK(exec_group_table_emit(t, 0, 4, &out, &err));
        CHECK_STR_EQ(gt_fmt(out, 1), "NULL");
        CHECK_STR_EQ(gt_fmt(out, 3), gt_fmt(cols[c][1], 2));
        arrow_array_release(out);
        exec_group_table_free(t);
        for (int i = 0; i < 3; i++)
            arrow_array_release(cols[c][i]);
    }
}
