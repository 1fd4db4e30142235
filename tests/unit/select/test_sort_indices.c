/*
 * test_sort_indices.c — sort indices and the row comparator: explicit
 * orderings (integers, IEEE total order for floats, strings of every
 * layout, Boolean, decimals, lists with prefixes and null items, structs,
 * dictionaries by value), multi-key with directions and null placement,
 * stability, every test type checked for order and permutation, partial
 * sorts against full ones, and randomized comparisons against an
 * independent insertion sort, including sizes that take the radix, packed
 * and heap paths.
 */
#include <math.h>
#include <stdlib.h>

#include "select_test_util.h"
#include "test.h"

static qv_status sort1(arrow_array *a, bool desc, bool nulls_first, int64_t limit, uint32_t *idx,
                       qv_error *err)
{
    func_sort_key key = {a, desc, nulls_first};
    return func_sort_indices(1, &key, a->length, limit, idx, err);
}

#define CHECK_ORDER(idx, ...)                                                              \
    do {                                                                                   \
        uint32_t expect_[] = {__VA_ARGS__};                                                \
        for (size_t k_ = 0; k_ < sizeof expect_ / sizeof expect_[0]; k_++) {               \
            if ((idx)[k_] != expect_[k_]) {                                                \
                test_fail(__FILE__, __LINE__, "position %zu is row %u, expected %u", k_,   \
                          (idx)[k_], expect_[k_]);                                         \
                return;                                                                    \
            }                                                                              \
        }                                                                                  \
    } while (0)

TEST(sort_integers_directions_and_nulls)
{
    qv_error err;
    uint32_t idx[5];
    arrow_array *a = t_i64s(5, (int64_t[]){3, 0, -1, 3, 2}, (bool[]){0, 1, 0, 0, 0});
    CHECK_OK(sort1(a, false, false, -1, idx, &err));
    CHECK_ORDER(idx, 2, 4, 0, 3, 1);
    CHECK_OK(sort1(a, false, true, -1, idx, &err));
    CHECK_ORDER(idx, 1, 2, 4, 0, 3);
    CHECK_OK(sort1(a, true, true, -1, idx, &err));
    CHECK_ORDER(idx, 1, 0, 3, 4, 2);
    CHECK_OK(sort1(a, true, false, -1, idx, &err));
    CHECK_ORDER(idx, 0, 3, 4, 2, 1);
    arrow_array_release(a);
}

TEST(sort_floats_total_order)
{
    qv_error err;
    uint32_t idx[8];
    double values[8] = {NAN, 1, -0.0, 0.0, -INFINITY, INFINITY, -NAN, 0};
    arrow_array *a = t_f64s(8, values, (bool[]){0, 0, 0, 0, 0, 0, 0, 1});
    CHECK_OK(sort1(a, false, true, -1, idx, &err));
    CHECK_ORDER(idx, 7, 6, 4, 2, 3, 1, 5, 0);
    CHECK_OK(sort1(a, true, false, -1, idx, &err));
    CHECK_ORDER(idx, 0, 5, 1, 3, 2, 4, 6, 7);
    arrow_array_release(a);
    /* Float32 and Float16 through the builder. */
    arrow_type_id ids[2] = {QV_TYPE_FLOAT32, QV_TYPE_FLOAT16};
    for (int t = 0; t < 2; t++) {
        arrow_builder *b;
        CHECK_OK(arrow_builder_new(arrow_type_primitive(ids[t]), &b, &err));
        for (int i = 0; i < 7; i++)
            CHECK_OK(arrow_builder_append_double(b, values[i], &err));
        arrow_array *f;
        CHECK_OK(arrow_builder_finish(b, &f, &err));
        arrow_builder_free(b);
        CHECK_OK(sort1(f, false, true, -1, idx, &err));
        CHECK_ORDER(idx, 6, 4, 2, 3, 1, 5, 0);
        arrow_array_release(f);
    }
}

TEST(sort_strings_every_layout)
{
    qv_error err;
    uint32_t idx[9];
    const char *values[9] = {"b", "", "ab", "a", NULL, "abc", "ab",
                             "aaaaaaaaaaaaaaab", "aaaaaaaaaaaaaaa"};
    arrow_type_id ids[6] = {QV_TYPE_UTF8,   QV_TYPE_LARGE_UTF8,   QV_TYPE_UTF8_VIEW,
                            QV_TYPE_BINARY, QV_TYPE_LARGE_BINARY, QV_TYPE_BINARY_VIEW};
    for (int t = 0; t < 6; t++) {
        arrow_array *a = t_strs(ids[t], 9, values);
        CHECK_OK(sort1(a, false, true, -1, idx, &err));
        CHECK_ORDER(idx, 4, 1, 3, 8, 7, 2, 6, 5, 0);
        CHECK_OK(sort1(a, true, false, -1, idx, &err));
        CHECK_ORDER(idx, 0, 5, 2, 6, 7, 8, 3, 1, 4);
        arrow_array_release(a);
    }
}

TEST(sort_booleans_and_decimals)
{
    qv_error err;
    uint32_t idx[4];
    arrow_array *a = t_bools(4, (int[]){1, 0, -1, 0});
    CHECK_OK(sort1(a, false, false, -1, idx, &err));
    CHECK_ORDER(idx, 1, 3, 0, 2);
    arrow_array_release(a);
    arrow_type *t;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL128, 38, 0, &t, &err));
    arrow_builder *b;
    CHECK_OK(arrow_builder_new(t, &b, &err));
    /* -1, 2^64 (high limb 1), 5, -(2^64) */
    uint8_t v[4][16] = {{0}};
    memset(v[0], 0xFF, 16);
    v[1][8] = 1;
    v[2][0] = 5;
    memset(v[3] + 8, 0xFF, 8);
    for (int i = 0; i < 4; i++)
        CHECK_OK(arrow_builder_append_decimal(b, v[i], &err));
    CHECK_OK(arrow_builder_finish(b, &a, &err));
    arrow_builder_free(b);
    arrow_type_release(t);
    CHECK_OK(sort1(a, false, false, -1, idx, &err));
    CHECK_ORDER(idx, 3, 0, 2, 1);
    arrow_array_release(a);
}

TEST(sort_lists_structs_dictionaries)
{
    qv_error err;
    uint32_t idx[6];
    arrow_type *lt;
    CHECK_OK(arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(QV_TYPE_INT32), &lt, &err));
    arrow_builder *b;
    CHECK_OK(arrow_builder_new(lt, &b, &err));
    arrow_builder *items = arrow_builder_child(b, 0);
    /* [1,2], [1], [], NULL, [1,NULL], [0,5] */
    CHECK_OK(arrow_builder_append_int(items, 1, &err));
    CHECK_OK(arrow_builder_append_int(items, 2, &err));
    CHECK_OK(arrow_builder_end_list(b, true, &err));
    CHECK_OK(arrow_builder_append_int(items, 1, &err));
    CHECK_OK(arrow_builder_end_list(b, true, &err));
    CHECK_OK(arrow_builder_end_list(b, true, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_OK(arrow_builder_append_int(items, 1, &err));
    CHECK_OK(arrow_builder_append_null(items, &err));
    CHECK_OK(arrow_builder_end_list(b, true, &err));
    CHECK_OK(arrow_builder_append_int(items, 0, &err));
    CHECK_OK(arrow_builder_append_int(items, 5, &err));
    CHECK_OK(arrow_builder_end_list(b, true, &err));
    arrow_array *a;
    CHECK_OK(arrow_builder_finish(b, &a, &err));
    arrow_builder_free(b);
    arrow_type_release(lt);
    CHECK_OK(sort1(a, false, true, -1, idx, &err));
    CHECK_ORDER(idx, 3, 2, 5, 1, 4, 0);
    /* Descending keeps nulls (of the lists and of their items) first. */
    CHECK_OK(sort1(a, true, true, -1, idx, &err));
    CHECK_ORDER(idx, 3, 4, 0, 1, 5, 2);
    arrow_array_release(a);

    arrow_type *dt;
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT16),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &dt, &err));
    CHECK_OK(arrow_builder_new(dt, &b, &err));
    const char *dv[5] = {"b", "a", "c", "a", NULL};
    for (int i = 0; i < 5; i++) {
        if (dv[i] == NULL)
            CHECK_OK(arrow_builder_append_null(b, &err));
        else
            CHECK_OK(arrow_builder_append_bytes(b, dv[i], 1, &err));
    }
    CHECK_OK(arrow_builder_finish(b, &a, &err));
    arrow_builder_free(b);
    arrow_type_release(dt);
    CHECK_OK(sort1(a, false, false, -1, idx, &err));
    CHECK_ORDER(idx, 1, 3, 0, 2, 4);
    arrow_array_release(a);
}

TEST(sort_multi_key_and_stability)
{
    qv_error err;
    uint32_t idx[6];
    arrow_array *k1 = t_i64s(6, (int64_t[]){1, 1, 2, 2, 1, 1}, NULL);
    arrow_array *k2 = t_strs(QV_TYPE_UTF8, 6, (const char *[]){"b", "a", "a", NULL, "a", "b"});
    func_sort_key keys[2] = {{k1, false, false}, {k2, false, false}};
    CHECK_OK(func_sort_indices(2, keys, 6, -1, idx, &err));
    CHECK_ORDER(idx, 1, 4, 0, 5, 2, 3);
    keys[1] = (func_sort_key){k2, true, true};
    CHECK_OK(func_sort_indices(2, keys, 6, -1, idx, &err));
    CHECK_ORDER(idx, 0, 5, 1, 4, 3, 2);
    keys[0].descending = true;
    CHECK_OK(func_sort_indices(2, keys, 6, -1, idx, &err));
    CHECK_ORDER(idx, 3, 2, 0, 5, 1, 4);
    /* Null first keys are ordered by the second key. */
    arrow_array *n1 = t_i64s(4, (int64_t[]){0, 0, 0, 0}, (bool[]){1, 1, 1, 0});
    arrow_array *n2 = t_i64s(4, (int64_t[]){9, 7, 8, 1}, NULL);
    func_sort_key nk[2] = {{n1, false, true}, {n2, false, false}};
    CHECK_OK(func_sort_indices(2, nk, 4, -1, idx, &err));
    CHECK_ORDER(idx, 1, 2, 0, 3);
    /* Errors */
    CHECK_STATUS(func_sort_indices(2, (func_sort_key[]){{k1, false, false}, {n1, false, false}},
                                   6, -1, idx, &err),
                 QV_INVALID);
    arrow_array_release(n1);
    arrow_array_release(n2);
    arrow_array_release(k1);
    arrow_array_release(k2);
}

TEST(sort_row_comparator_across_arrays)
{
    qv_error err;
    arrow_array *a = t_i64s(2, (int64_t[]){1, 5}, NULL);
    arrow_array *b = t_i64s(2, (int64_t[]){5, 0}, (bool[]){0, 1});
    arrow_type *type = a->type;
    func_row_comparator *cmp;
    CHECK_OK(func_row_comparator_new(1, &type, (bool[]){false}, (bool[]){true}, &cmp, &err));
    CHECK(func_row_compare(cmp, &a, 0, &b, 0) < 0);
    CHECK(func_row_compare(cmp, &a, 1, &b, 0) == 0);
    CHECK(func_row_compare(cmp, &a, 0, &b, 1) > 0); /* null first */
    CHECK(func_row_compare(cmp, &b, 1, &b, 1) == 0);
    func_row_comparator_free(cmp);
    CHECK_OK(func_row_comparator_new(1, &type, (bool[]){true}, (bool[]){false}, &cmp, &err));
    CHECK(func_row_compare(cmp, &a, 0, &b, 0) > 0);
    CHECK(func_row_compare(cmp, &a, 0, &b, 1) < 0); /* null last */
    func_row_comparator_free(cmp);
    arrow_array_release(a);
    arrow_array_release(b);
}

/* Checks idx is a permutation of 0..n and the rows are ordered (ties by
 * row number) under the comparator. */
static bool check_sorted(const func_row_comparator *cmp, int n_keys, arrow_array **keys,
                         const uint32_t *idx, int64_t n, int64_t upto)
{
    uint8_t *seen = calloc((size_t)n + 1, 1);
    bool ok = true;
    for (int64_t i = 0; i < n && ok; i++) {
        ok = idx[i] < n && !seen[idx[i]];
        if (ok)
            seen[idx[i]] = 1;
    }
    free(seen);
    if (!ok) {
        test_fail(__FILE__, __LINE__, "not a permutation");
        return false;
    }
    (void)n_keys;
    for (int64_t i = 0; i + 1 < upto; i++) {
        int r = func_row_compare(cmp, keys, idx[i], keys, idx[i + 1]);
        if (r > 0 || (r == 0 && idx[i] > idx[i + 1])) {
            test_fail(__FILE__, __LINE__, "rows at %lld and %lld out of order", (long long)i,
                      (long long)i + 1);
            return false;
        }
    }
    return true;
}

TEST(sort_every_type_ordered_and_partial)
{
    qv_error err;
    arrow_type **types;
    const char **names;
    int n_types = t_types(&types, &names);
    for (int t = 0; t < n_types; t++) {
        uint64_t rng = 1234 + (uint64_t)t;
        arrow_array *a = t_slice(t_random_array(types[t], 90, 6, &rng), 3, 80);
        for (int mode = 0; mode < 4; mode++) {
            bool desc = mode & 1, nf = mode & 2;
            uint32_t full[80], part[80];
            func_row_comparator *cmp;
            CHECK_OK(func_row_comparator_new(1, &a->type, &desc, &nf, &cmp, &err));
            CHECK_OK(sort1(a, desc, nf, -1, full, &err));
            bool ok = check_sorted(cmp, 1, &a, full, 80, 80);
            /* Nulls all at the asked end. */
            bool seen_other = false;
            for (int64_t i = 0; ok && i < 80; i++) {
                char *s = t_format(a, full[nf ? i : 79 - i]);
                bool is_null = strcmp(s, "NULL") == 0;
                base_free(s);
                ok = !(is_null && seen_other);
                seen_other |= !is_null;
            }
            CHECK_OK(sort1(a, desc, nf, 9, part, &err));
            ok = ok && check_sorted(cmp, 1, &a, part, 80, 9);
            for (int i = 0; ok && i < 9; i++)
                ok = part[i] == full[i];
            func_row_comparator_free(cmp);
            if (!ok) {
                test_fail(__FILE__, __LINE__, "type %s, mode %d", names[t], mode);
                arrow_array_release(a);
                t_types_free(n_types, types);
                return;
            }
        }
        arrow_array_release(a);
    }
    t_types_free(n_types, types);
}

/* ---- randomized against an independent reference ---- */

typedef struct ref_row {
    bool null1, null2;
    int32_t k1;
    double f;
    const char *s;
    int64_t slen;
} ref_row;

typedef struct ref_opts {
    bool desc[3], nf[3];
    int n_keys; /* keys: int32, float64, utf8 in that order */
} ref_opts;

static int total_cmp(double x, double y)
{
    bool nx = isnan(x), ny = isnan(y);
    if (nx || ny) {
        int rx = nx ? (signbit(x) ? -2 : 2) : 0, ry = ny ? (signbit(y) ? -2 : 2) : 0;
        return (rx > ry) - (rx < ry);
    }
    if (x != y)
        return x < y ? -1 : 1;
    return (int)(!signbit(x)) - (int)(!signbit(y));
}

static int ref_key(const ref_opts *o, int k, const ref_row *x, const ref_row *y)
{
    bool xn = k == 0 ? x->null1 : x->null2, yn = k == 0 ? y->null1 : y->null2;
    if (k == 1)
        xn = yn = false;
    if (xn || yn) {
        if (xn && yn)
            return 0;
        return xn == o->nf[k] ? -1 : 1;
    }
    int r;
    if (k == 0) {
        r = (x->k1 > y->k1) - (x->k1 < y->k1);
    } else if (k == 1) {
        r = total_cmp(x->f, y->f);
    } else {
        int64_t n = x->slen < y->slen ? x->slen : y->slen;
        r = memcmp(x->s, y->s, (size_t)n);
        r = r != 0 ? (r < 0 ? -1 : 1) : (x->slen > y->slen) - (x->slen < y->slen);
    }
    return o->desc[k] ? -r : r;
}

static int ref_cmp(const ref_opts *o, const ref_row *x, const ref_row *y)
{
    for (int k = 0; k < o->n_keys; k++) {
        int r = ref_key(o, k, x, y);
        if (r != 0)
            return r;
    }
    return 0;
}

static bool random_round(uint64_t seed, int64_t n, int64_t k1_range, int64_t limit)
{
    qv_error err;
    uint64_t rng = seed;
    ref_opts o;
    o.n_keys = 1 + (int)t_rand_below(&rng, 3);
    for (int k = 0; k < 3; k++) {
        o.desc[k] = t_rand_below(&rng, 2);
        o.nf[k] = t_rand_below(&rng, 2);
    }
    ref_row *rows = calloc((size_t)n, sizeof *rows);
    int64_t *k1 = calloc((size_t)n, sizeof *k1);
    bool *n1 = calloc((size_t)n, sizeof *n1);
    double *fv = calloc((size_t)n, sizeof *fv);
    const char **sv = calloc((size_t)n, sizeof *sv);
    static const char *words[] = {"", "a", "ab", "abc", "b", "ba", "abcdefghij", "abcdefghik",
                                  "abcdefghi"};
    static const double floats[] = {-1.0, 0.0, -0.0, 2.5, INFINITY, -INFINITY, 1e300};
    for (int64_t i = 0; i < n; i++) {
        rows[i].null1 = n1[i] = t_rand_below(&rng, 10) == 0;
        rows[i].k1 = (int32_t)(t_rand_below(&rng, k1_range) - k1_range / 2);
        k1[i] = rows[i].k1;
        int64_t fc = t_rand_below(&rng, 9);
        rows[i].f = fv[i] = fc == 7 ? NAN : fc == 8 ? -NAN : floats[fc];
        rows[i].null2 = t_rand_below(&rng, 8) == 0;
        rows[i].s = sv[i] = rows[i].null2 ? NULL : words[t_rand_below(&rng, 9)];
        rows[i].slen = rows[i].s != NULL ? (int64_t)strlen(rows[i].s) : 0;
    }
    arrow_array *arrays[3] = {t_i64s((int)n, k1, n1), t_f64s((int)n, fv, NULL),
                              t_strs(QV_TYPE_UTF8, (int)n, sv)};
    func_sort_key keys[3];
    for (int k = 0; k < 3; k++)
        keys[k] = (func_sort_key){arrays[k], o.desc[k], o.nf[k]};
    uint32_t *idx = calloc((size_t)n, sizeof *idx);
    uint32_t *ref = calloc((size_t)n, sizeof *ref);
    bool ok = func_sort_indices(o.n_keys, keys, n, limit, idx, &err) == QV_OK;
    /* Reference: stable insertion sort. */
    for (int64_t i = 0; i < n; i++) {
        int64_t j = i;
        while (j > 0 && ref_cmp(&o, &rows[ref[j - 1]], &rows[i]) > 0) {
            ref[j] = ref[j - 1];
            j--;
        }
        ref[j] = (uint32_t)i;
    }
    int64_t upto = limit < 0 || limit > n ? n : limit;
    for (int64_t i = 0; ok && i < upto; i++) {
        if (idx[i] != ref[i]) {
            test_fail(__FILE__, __LINE__, "seed %llu n %lld: position %lld is row %u, expected %u",
                      (unsigned long long)seed, (long long)n, (long long)i, idx[i], ref[i]);
            ok = false;
        }
    }
    /* The rest is still a permutation. */
    uint8_t *seen = calloc((size_t)n + 1, 1);
    for (int64_t i = 0; ok && i < n; i++) {
        ok = idx[i] < n && !seen[idx[i]];
        seen[idx[i] < n ? idx[i] : n] = 1;
    }
    if (!ok)
        test_fail(__FILE__, __LINE__, "seed %llu failed", (unsigned long long)seed);
    free(seen);
    for (int k = 0; k < 3; k++)
        arrow_array_release(arrays[k]);
    free(rows);
    free(k1);
    free(n1);
    free(fv);
    free(sv);
    free(idx);
    free(ref);
    return ok;
}

TEST(sort_randomized_against_reference)
{
    int64_t bytes_before = base_alloc_thread_bytes();
    for (uint64_t seed = 1; seed <= 60; seed++) {
        uint64_t rng = seed * 31;
        int64_t n = 1 + t_rand_below(&rng, seed % 4 == 0 ? 1500 : 120);
        int64_t range = seed % 3 == 0 ? 4 : seed % 3 == 1 ? 1000 : 2000000000;
        int64_t limit = seed % 5 == 0 ? t_rand_below(&rng, n + 2) : seed % 7 == 0 ? n / 10 : -1;
        if (!random_round(seed, n, range, limit))
            return;
    }
    CHECK_INT_EQ(base_alloc_thread_bytes(), bytes_before);
}

TEST(sort_large_radix_packed_and_heap_paths)
{
    qv_error err;
    int64_t n = 200000;
    uint64_t rng = 99;
    int64_t *v = malloc((size_t)n * sizeof *v);
    for (int pass = 0; pass < 3; pass++) {
        for (int64_t i = 0; i < n; i++) {
            uint64_t r = t_rand(&rng);
            v[i] = pass == 0 ? (int64_t)r : pass == 1 ? (int64_t)(r % 100000) - 50000
                                                      : (int64_t)(r % 7);
        }
        arrow_array *a = t_i64s((int)n, v, NULL);
        uint32_t *idx = malloc((size_t)n * sizeof *idx);
        for (int desc = 0; desc < 2; desc++) {
            CHECK_OK(sort1(a, desc, false, -1, idx, &err));
            for (int64_t i = 0; i + 1 < n; i++) {
                int64_t x = v[idx[i]], y = v[idx[i + 1]];
                bool ordered = desc ? x >= y : x <= y;
                if (!ordered || (x == y && idx[i] > idx[i + 1])) {
                    test_fail(__FILE__, __LINE__, "pass %d desc %d: out of order at %lld", pass,
                              desc, (long long)i);
                    return;
                }
            }
            uint32_t top[25];
            uint32_t *part = malloc((size_t)n * sizeof *part);
            CHECK_OK(sort1(a, desc, false, 25, part, &err));
            memcpy(top, part, sizeof top);
            for (int i = 0; i < 25; i++)
                CHECK_INT_EQ(top[i], idx[i]);
            free(part);
        }
        free(idx);
        arrow_array_release(a);
    }
    free(v);
}

TEST(sort_multi_key_random_type_combinations)
{
    qv_error err;
    arrow_type **types;
    const char **names;
    int n_types = t_types(&types, &names);
    for (uint64_t seed = 1; seed <= 80; seed++) {
        uint64_t rng = seed * 977;
        int n_keys = 1 + (int)t_rand_below(&rng, 3);
        int64_t n = 2 + t_rand_below(&rng, seed % 8 == 0 ? 5000 : 600);
        arrow_array *arrays[3];
        func_sort_key keys[3];
        bool desc[3], nf[3];
        arrow_type *key_types[3];
        int picked[3];
        for (int k = 0; k < n_keys; k++) {
            picked[k] = (int)t_rand_below(&rng, n_types);
            arrays[k] = t_slice(t_random_array(types[picked[k]], n + 1, 4, &rng), 1, n);
            desc[k] = t_rand_below(&rng, 2);
            nf[k] = t_rand_below(&rng, 2);
            keys[k] = (func_sort_key){arrays[k], desc[k], nf[k]};
            key_types[k] = arrays[k]->type;
        }
        func_row_comparator *cmp;
        CHECK_OK(func_row_comparator_new(n_keys, key_types, desc, nf, &cmp, &err));
        uint32_t *full = malloc((size_t)n * sizeof *full), *part = malloc((size_t)n * sizeof *part);
        CHECK_OK(func_sort_indices(n_keys, keys, n, -1, full, &err));
        bool ok = check_sorted(cmp, n_keys, arrays, full, n, n);
        int64_t limit = t_rand_below(&rng, n / 4 + 2);
        CHECK_OK(func_sort_indices(n_keys, keys, n, limit, part, &err));
        ok = ok && check_sorted(cmp, n_keys, arrays, part, n, limit);
        for (int64_t i = 0; ok && i < limit && i < n; i++)
            ok = part[i] == full[i];
        func_row_comparator_free(cmp);
        free(full);
        free(part);
        for (int k = 0; k < n_keys; k++)
            arrow_array_release(arrays[k]);
        if (!ok) {
            test_fail(__FILE__, __LINE__, "seed %llu: %d keys (%s, %s, %s), n %lld",
                      (unsigned long long)seed, n_keys, names[picked[0]],
                      n_keys > 1 ? names[picked[1]] : "-", n_keys > 2 ? names[picked[2]] : "-",
                      (long long)n);
            break;
        }
    }
    t_types_free(n_types, types);
}
