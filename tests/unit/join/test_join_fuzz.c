/*
 * test_join_fuzz.c — the join fuzzer: random small tables (0..40 rows, one
 * or two Int64 / Utf8 key columns with NULLs and many duplicates, an Int64
 * payload), a random join type (all nine), a random extra filter or none,
 * random null_equals_null, null_aware for single-key LeftAnti joins. Each
 * case runs HashJoinExec, NestedLoopJoinExec (keys turned into an equality
 * filter, or given as keys) and SortMergeJoinExec (over SortExec) at a
 * random batch size of 1, 2, 7 or 8192 with 1..3 partitions per input,
 * with and without a thread pool, and compares the sorted output rows with
 * a row-at-a-time nested loop over the C arrays.
 *
 * QV_JOIN_FUZZ_SEED changes the seed, QV_JOIN_FUZZ_CASES the case count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "join_test_util.h"
#include "test.h"

#define FILTER_KINDS 7

typedef struct fuzz_case {
    jt_table left, right;
    plan_join_type type;
    bool null_equals_null;
    bool null_aware;
    int filter;
    int64_t batch_size;
} fuzz_case;

static const char *const words[] = {"a", "b", "c", "dd", "a longer string value"};

static void random_table(jt_table *t, int n_keys, const bool *utf8, uint64_t *rng)
{
    memset(t, 0, sizeof *t);
    t->n_keys = n_keys;
    t->n_rows = t_rand_below(rng, 8) == 0 ? 0 : (int)t_rand_below(rng, 41);
    int64_t domain = 2 + t_rand_below(rng, 5);
    int null_every = 2 + (int)t_rand_below(rng, 6);
    for (int k = 0; k < n_keys; k++) {
        t->key_utf8[k] = utf8[k];
        for (int r = 0; r < t->n_rows; r++) {
            jt_cell *c = &t->keys[k][r];
            c->null = t_rand_below(rng, null_every) == 0;
            c->i = t_rand_below(rng, domain);
            c->s = words[t_rand_below(rng, domain < 5 ? domain : 5)];
        }
    }
    for (int r = 0; r < t->n_rows; r++)
        t->v[r] = t_rand_below(rng, 10);
}

static void random_case(fuzz_case *c, uint64_t *rng)
{
    int n_keys = 1 + (int)t_rand_below(rng, 2);
    bool utf8[JT_MAX_KEYS];
    for (int k = 0; k < n_keys; k++)
        utf8[k] = t_rand_below(rng, 2) == 0;
    random_table(&c->left, n_keys, utf8, rng);
    random_table(&c->right, n_keys, utf8, rng);
    c->type = (plan_join_type)t_rand_below(rng, PLAN_JOIN_LEFT_MARK + 1);
    c->null_equals_null = t_rand_below(rng, 3) == 0;
    c->null_aware = c->type == PLAN_JOIN_LEFT_ANTI && n_keys == 1 && !c->null_equals_null &&
                    t_rand_below(rng, 2) == 0;
    c->filter = t_rand_below(rng, 3) == 0 ? 0 : 1 + (int)t_rand_below(rng, FILTER_KINDS - 1);
    static const int64_t sizes[] = {1, 2, 7, 8192};
    c->batch_size = sizes[t_rand_below(rng, 4)];
}

/* ---- the reference ---- */

static bool cells_equal(bool utf8, const jt_cell *a, const jt_cell *b)
{
    return utf8 ? strcmp(a->s, b->s) == 0 : a->i == b->i;
}

static bool keys_match(const fuzz_case *c, int l, int r)
{
    for (int k = 0; k < c->left.n_keys; k++) {
        const jt_cell *a = &c->left.keys[k][l], *b = &c->right.keys[k][r];
        if (a->null || b->null) {
            if (!(c->null_equals_null && a->null && b->null))
                return false;
            continue;
        }
        if (!cells_equal(c->left.key_utf8[k], a, b))
            return false;
    }
    return true;
}

/* The filter as SQL computes it: 1 true, 0 false, -1 NULL. */
static int filter_value(const fuzz_case *c, int l, int r)
{
    int64_t lv = c->left.v[l], rv = c->right.v[r];
    const jt_cell *lk = &c->left.keys[0][l], *rk = &c->right.keys[0][r];
    bool utf8 = c->left.key_utf8[0];
    switch (c->filter) {
    case 1:
        return lv < rv;
    case 2:
        return lv + rv != 7;
    case 3:
        return rv > 3;
    case 4:
        return lv <= 5;
    case 5: { /* lk0 <> rk0 OR lv = rv */
        if (lv == rv)
            return 1;
        if (lk->null || rk->null)
            return -1;
        return !cells_equal(utf8, lk, rk);
    }
    case 6: /* lk0 IS DISTINCT FROM rk0 AND lv >= rv */
        if (lk->null || rk->null)
            return (lk->null != rk->null) && lv >= rv;
        return !cells_equal(utf8, lk, rk) && lv >= rv;
    default:
        return 1;
    }
}

static bool matches(const fuzz_case *c, int l, int r)
{
    return keys_match(c, l, r) && filter_value(c, l, r) == 1;
}

typedef struct ref_lines {
    char **lines;
    int64_t n, cap;
} ref_lines;

static void side_text(const jt_table *t, int row, base_strbuf *sb, bool first)
{
    for (int k = 0; k < t->n_keys; k++) {
        if (!first || k > 0)
            base_strbuf_append_char(sb, '|');
        if (row < 0)
            base_strbuf_append_str(sb, "NULL");
        else
            jt_cell_text(t, k, &t->keys[k][row], sb);
    }
    base_strbuf_append_char(sb, '|');
    if (row < 0)
        base_strbuf_append_str(sb, "NULL");
    else
        base_strbuf_appendf(sb, "%lld", (long long)t->v[row]);
}

/* Adds a row: the left row l (-1: NULLs, -2: absent), the right row r
 * (likewise), then the mark (-1: none). */
static void add_row(ref_lines *out, const fuzz_case *c, int l, int r, int mark)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    bool first = true;
    if (l != -2) {
        side_text(&c->left, l, &sb, first);
        first = false;
    }
    if (r != -2) {
        side_text(&c->right, r, &sb, first);
        first = false;
    }
    if (mark >= 0)
        base_strbuf_append_str(&sb, mark ? "|true" : "|false");
    base_strbuf_append_char(&sb, '\n');
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 64;
        out->lines = realloc(out->lines, (size_t)out->cap * sizeof *out->lines);
    }
    out->lines[out->n++] = base_strbuf_take(&sb);
}

static char *reference(const fuzz_case *c)
{
    ref_lines out = {0};
    int nl = c->left.n_rows, nr = c->right.n_rows;
    bool left_hit[JT_MAX_ROWS] = {0}, right_hit[JT_MAX_ROWS] = {0};
    for (int l = 0; l < nl; l++)
        for (int r = 0; r < nr; r++)
            if (matches(c, l, r)) {
                left_hit[l] = right_hit[r] = true;
                if (c->type <= PLAN_JOIN_FULL)
                    add_row(&out, c, l, r, -1);
            }
    bool right_null = false;
    for (int r = 0; r < nr; r++)
        right_null |= c->right.keys[0][r].null;
    for (int l = 0; l < nl; l++) {
        switch (c->type) {
        case PLAN_JOIN_LEFT:
        case PLAN_JOIN_FULL:
            if (!left_hit[l])
                add_row(&out, c, l, -1, -1);
            break;
        case PLAN_JOIN_LEFT_SEMI:
            if (left_hit[l])
                add_row(&out, c, l, -2, -1);
            break;
        case PLAN_JOIN_LEFT_ANTI: {
            bool keep = !left_hit[l];
            if (c->null_aware)
                keep = nr == 0 || (!right_null && keep && !c->left.keys[0][l].null);
            if (keep)
                add_row(&out, c, l, -2, -1);
            break;
        }
        case PLAN_JOIN_LEFT_MARK:
            add_row(&out, c, l, -2, left_hit[l]);
            break;
        default:
            break;
        }
    }
    for (int r = 0; r < nr; r++) {
        bool emit = (c->type == PLAN_JOIN_RIGHT || c->type == PLAN_JOIN_FULL) && !right_hit[r];
        if (emit)
            add_row(&out, c, -1, r, -1);
        if ((c->type == PLAN_JOIN_RIGHT_SEMI && right_hit[r]) ||
            (c->type == PLAN_JOIN_RIGHT_ANTI && !right_hit[r]))
            add_row(&out, c, -2, r, -1);
    }
    char *text = jt_sorted_lines(out.lines, out.n);
    for (int64_t i = 0; i < out.n; i++)
        base_free(out.lines[i]);
    free(out.lines);
    return text;
}

/* ---- the operators ---- */

static arrow_type_id key_type(const fuzz_case *c, int k)
{
    return c->left.key_utf8[k] ? QV_TYPE_UTF8 : QV_TYPE_INT64;
}

/* The filter over (left columns, right columns); NULL for none. */
static plan_expr *make_filter(const fuzz_case *c, jt_exprs *x)
{
    int nk = c->left.n_keys;
    plan_expr *lv = jt_col(x, nk, QV_TYPE_INT64), *rv = jt_col(x, 2 * nk + 1, QV_TYPE_INT64);
    plan_expr *lk = jt_col(x, 0, key_type(c, 0)), *rk = jt_col(x, nk + 1, key_type(c, 0));
    switch (c->filter) {
    case 1:
        return jt_bin(x, PLAN_OP_LT, lv, rv);
    case 2:
        return jt_bin(x, PLAN_OP_NE, jt_bin(x, PLAN_OP_ADD, lv, rv), jt_i64(x, 7));
    case 3:
        return jt_bin(x, PLAN_OP_GT, rv, jt_i64(x, 3));
    case 4:
        return jt_bin(x, PLAN_OP_LE, lv, jt_i64(x, 5));
    case 5:
        return jt_bin(x, PLAN_OP_OR, jt_bin(x, PLAN_OP_NE, lk, rk), jt_bin(x, PLAN_OP_EQ, lv, rv));
    case 6:
        return jt_bin(x, PLAN_OP_AND, jt_bin(x, PLAN_OP_IS_DISTINCT, lk, rk),
                      jt_bin(x, PLAN_OP_GE, lv, rv));
    default:
        return NULL;
    }
}

/* The keys as a filter, ANDed with the filter. */
static plan_expr *keys_as_filter(const fuzz_case *c, jt_exprs *x, plan_expr *filter)
{
    int nk = c->left.n_keys;
    plan_expr *all = filter;
    for (int k = nk - 1; k >= 0; k--) {
        plan_binary_op op = c->null_equals_null ? PLAN_OP_IS_NOT_DISTINCT : PLAN_OP_EQ;
        plan_expr *eq =
            jt_bin(x, op, jt_col(x, k, key_type(c, k)), jt_col(x, nk + 1 + k, key_type(c, k)));
        all = all == NULL ? eq : jt_bin(x, PLAN_OP_AND, eq, all);
    }
    return all;
}

typedef enum fuzz_op { OP_HASH, OP_NESTED_LOOP, OP_SORT_MERGE, OP_COUNT } fuzz_op;
static const char *const op_names[] = {"HashJoinExec", "NestedLoopJoinExec", "SortMergeJoinExec"};

static exec_node *sorted(exec_node *input, int n_keys, qv_error *err)
{
    exec_sort_key keys[JT_MAX_KEYS];
    for (int k = 0; k < n_keys; k++)
        keys[k] = (exec_sort_key){.column = k};
    exec_node *node = NULL;
    if (exec_sort_new(input, n_keys, keys, -1, &node, err) != QV_OK)
        return NULL;
    return node;
}

/* Runs one operator on the case; the sorted rows, or NULL (err set). */
static char *run_op(const fuzz_case *c, fuzz_op op, exec_ctx *ctx, bool parallel, uint64_t *rng,
                    qv_error *err)
{
    jt_exprs x = {0};
    int nk = c->left.n_keys;
    int32_t keys[JT_MAX_KEYS] = {0, 1};
    exec_join_spec spec = {
        .type = c->type,
        .n_keys = nk,
        .left_keys = keys,
        .right_keys = keys,
        .null_equals_null = c->null_equals_null,
        .filter = make_filter(c, &x),
        .null_aware = c->null_aware,
    };
    int max_batch = t_rand_below(rng, 2) == 0 ? 40 : 1 + (int)t_rand_below(rng, 8);
    exec_node *left = jt_source(&c->left, "l", 1 + (int)t_rand_below(rng, 3), max_batch, rng);
    exec_node *right = jt_source(&c->right, "r", 1 + (int)t_rand_below(rng, 3), max_batch, rng);
    exec_node *node = NULL;
    qv_status st = QV_OK;
    switch (op) {
    case OP_HASH:
        st = exec_hash_join_new(left, right, &spec, NULL, &node, err);
        break;
    case OP_NESTED_LOOP:
        if (!c->null_aware && t_rand_below(rng, 4) != 0) {
            spec.filter = keys_as_filter(c, &x, (plan_expr *)spec.filter);
            spec.n_keys = 0;
        }
        st = exec_nested_loop_join_new(left, right, &spec, NULL, &node, err);
        break;
    default:
        left = sorted(left, nk, err);
        right = sorted(right, nk, err);
        if (left == NULL || right == NULL) {
            exec_node_free(left);
            exec_node_free(right);
            st = QV_ERROR;
            break;
        }
        st = exec_sort_merge_join_new(left, right, &spec, NULL, &node, err);
        break;
    }
    char *text = NULL;
    if (st == QV_OK)
        text = parallel ? jt_run_parallel(node, ctx, err) : jt_run(node, ctx, err);
    exec_node_free(node);
    jt_exprs_free(&x);
    return text;
}

static void describe_case(const fuzz_case *c, fuzz_op op, uint64_t seed, int64_t index)
{
    fprintf(stderr,
            "case %lld (seed %llu): %s join_type=%s keys=%d nne=%d null_aware=%d "
            "filter=%d batch_size=%lld rows=%d/%d\n",
            (long long)index, (unsigned long long)seed, op_names[op], plan_join_type_name(c->type),
            c->left.n_keys, c->null_equals_null, c->null_aware, c->filter, (long long)c->batch_size,
            c->left.n_rows, c->right.n_rows);
}

TEST(join_fuzz)
{
    const char *seed_text = getenv("QV_JOIN_FUZZ_SEED");
    const char *cases_text = getenv("QV_JOIN_FUZZ_CASES");
    uint64_t seed = seed_text != NULL ? strtoull(seed_text, NULL, 10) : 20240611;
    int64_t n_cases = cases_text != NULL ? strtoll(cases_text, NULL, 10) : 10000;
    uint64_t rng = seed != 0 ? seed : 1;
    t_env serial, threaded;
    t_env_init(&serial, 0, 0, 8192);
    t_env_init(&threaded, 2, 0, 8192);
    fuzz_case *c = malloc(sizeof *c);
    int64_t checked = 0, differences = 0;
    for (int64_t i = 0; i < n_cases && differences < 5; i++) {
        random_case(c, &rng);
        char *want = reference(c);
        for (int op = 0; op < OP_COUNT; op++) {
            if (op == OP_SORT_MERGE && c->null_aware)
                continue;
            bool use_pool = t_rand_below(&rng, 2) == 0;
            t_env *env = use_pool ? &threaded : &serial;
            env->ctx.batch_size = c->batch_size;
            bool parallel = t_rand_below(&rng, 2) == 0;
            qv_error err;
            qv_error_clear(&err);
            char *got = run_op(c, (fuzz_op)op, &env->ctx, parallel, &rng, &err);
            checked++;
            if (got == NULL || strcmp(got, want) != 0) {
                differences++;
                describe_case(c, (fuzz_op)op, seed, i);
                if (got == NULL)
                    fprintf(stderr, "  failed: %s\n", err.message);
                else
                    fprintf(stderr, "  expected:\n%s  got:\n%s", want, got);
            }
            base_free(got);
        }
        base_free(want);
    }
    free(c);
    t_env_free(&serial);
    t_env_free(&threaded);
    printf("join fuzz: %lld operator runs checked (%lld cases, seed %llu), %lld differences\n",
           (long long)checked, (long long)n_cases, (unsigned long long)seed,
           (long long)differences);
    CHECK_INT_EQ(differences, 0);
}
