/*
 * test_join_ops.c — the join operators one behaviour at a time: NULL keys
 * with and without null_equals_null, null-aware anti joins, a probe batch
 * with a huge fan-out cut into batch_size batches, left rows of outer
 * joins emitted once by the last of parallel partitions, re-execution,
 * nested hash joins on a small thread pool (no deadlock), EXPLAIN lines,
 * 53200 from a tiny memory pool, cancellation, spec checks and output
 * schemas.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "join_test_util.h"
#include "test.h"

/* A one-key Int64 table; NULL_KEY marks a NULL. */
#define NULL_KEY INT64_MIN

static void int_table(jt_table *t, int n, const int64_t *keys, const int64_t *values)
{
    memset(t, 0, sizeof *t);
    t->n_rows = n;
    t->n_keys = 1;
    for (int r = 0; r < n; r++) {
        t->keys[0][r] = (jt_cell){.null = keys[r] == NULL_KEY, .i = keys[r]};
        t->v[r] = values != NULL ? values[r] : r;
    }
}

typedef enum which_op { HASH, NESTED_LOOP, SORT_MERGE } which_op;

static const int32_t key0[1] = {0};

static exec_node *make_join(which_op op, exec_node *left, exec_node *right,
                            const exec_join_spec *spec, qv_error *err)
{
    exec_node *node = NULL;
    qv_status st;
    if (op == HASH) {
        st = exec_hash_join_new(left, right, spec, NULL, &node, err);
    } else if (op == NESTED_LOOP) {
        st = exec_nested_loop_join_new(left, right, spec, NULL, &node, err);
    } else {
        exec_sort_key key = {.column = 0};
        exec_node *l = NULL, *r = NULL;
        st = exec_sort_new(left, 1, &key, -1, &l, err);
        qv_status st2 = exec_sort_new(right, 1, &key, -1, &r, err);
        if (st == QV_OK && st2 == QV_OK)
            st = exec_sort_merge_join_new(l, r, spec, NULL, &node, err);
        else {
            exec_node_free(l);
            exec_node_free(r);
            st = QV_ERROR;
        }
    }
    return st == QV_OK ? node : NULL;
}

/* Runs a one-key join of two tables with the given options; sorted rows. */
static char *join_text(which_op op, const jt_table *l, const jt_table *r, plan_join_type type,
                       bool nne, bool null_aware, int parts, int64_t batch_size, bool pool)
{
    uint64_t rng = 42;
    t_env env;
    t_env_init(&env, pool ? 2 : 0, 0, batch_size);
    qv_error err;
    qv_error_clear(&err);
    exec_join_spec spec = {.type = type,
                           .n_keys = 1,
                           .left_keys = key0,
                           .right_keys = key0,
                           .null_equals_null = nne,
                           .null_aware = null_aware};
    int sparts = op == SORT_MERGE ? 1 : parts;
    exec_node *node = make_join(op, jt_source(l, "l", parts, 3, &rng),
                                jt_source(r, "r", sparts, 3, &rng), &spec, &err);
    char *text = node == NULL ? NULL
                 : pool       ? jt_run_parallel(node, &env.ctx, &err)
                              : jt_run(node, &env.ctx, &err);
    if (text == NULL)
        fprintf(stderr, "join failed: %s\n", err.message);
    exec_node_free(node);
    t_env_free(&env);
    return text;
}

static bool text_is(char *got, const char *want)
{
    bool same = got != NULL && strcmp(got, want) == 0;
    if (!same)
        fprintf(stderr, "got:\n%s\nexpected:\n%s\n", got ? got : "(null)", want);
    base_free(got);
    return same;
}

TEST(null_keys_never_match_unless_asked)
{
    jt_table l, r;
    int_table(&l, 3, (const int64_t[]){1, NULL_KEY, 2}, (const int64_t[]){10, 11, 12});
    int_table(&r, 3, (const int64_t[]){NULL_KEY, 1, 3}, (const int64_t[]){20, 21, 22});
    for (which_op op = HASH; op <= SORT_MERGE; op++) {
        CHECK(text_is(join_text(op, &l, &r, PLAN_JOIN_INNER, false, false, 2, 8192, false),
                      "1|10|1|21\n"));
        CHECK(text_is(join_text(op, &l, &r, PLAN_JOIN_INNER, true, false, 2, 8192, false),
                      "1|10|1|21\nNULL|11|NULL|20\n"));
        CHECK(text_is(join_text(op, &l, &r, PLAN_JOIN_FULL, false, false, 1, 2, false),
                      "1|10|1|21\n2|12|NULL|NULL\nNULL|11|NULL|NULL\nNULL|NULL|3|22\n"
                      "NULL|NULL|NULL|20\n"));
        CHECK(text_is(join_text(op, &l, &r, PLAN_JOIN_LEFT_MARK, false, false, 2, 1, false),
                      "1|10|true\n2|12|false\nNULL|11|false\n"));
        CHECK(text_is(join_text(op, &l, &r, PLAN_JOIN_RIGHT_ANTI, false, false, 2, 1, false),
                      "3|22\nNULL|20\n"));
    }
}

TEST(null_aware_anti_join)
{
    jt_table l, r_empty, r_null, r_plain;
    int_table(&l, 3, (const int64_t[]){1, NULL_KEY, 2}, NULL);
    int_table(&r_empty, 0, NULL, NULL);
    int_table(&r_null, 2, (const int64_t[]){5, NULL_KEY}, NULL);
    int_table(&r_plain, 2, (const int64_t[]){1, 5}, NULL);
    for (which_op op = HASH; op <= NESTED_LOOP; op++) {
        /* NOT IN (empty): every row, NULL keys too. */
        CHECK(text_is(join_text(op, &l, &r_empty, PLAN_JOIN_LEFT_ANTI, false, true, 2, 7, true),
                      "1|0\n2|2\nNULL|1\n"));
        /* NOT IN (5, NULL): nothing. */
        CHECK(
            text_is(join_text(op, &l, &r_null, PLAN_JOIN_LEFT_ANTI, false, true, 2, 7, true), ""));
        /* NOT IN (1, 5): 2 only (NULL IN ... is unknown). */
        CHECK(text_is(join_text(op, &l, &r_plain, PLAN_JOIN_LEFT_ANTI, false, true, 3, 7, false),
                      "2|2\n"));
        /* Plain NOT EXISTS keeps the NULL-keyed row. */
        CHECK(text_is(join_text(op, &l, &r_null, PLAN_JOIN_LEFT_ANTI, false, false, 2, 7, false),
                      "1|0\n2|2\nNULL|1\n"));
    }
}

/* 200 x 200 rows with one key: 40,000 pairs from single probe batches. */
TEST(fan_out_is_cut_into_batches)
{
    static jt_table l, r;
    int64_t keys[JT_MAX_ROWS];
    for (int i = 0; i < JT_MAX_ROWS; i++)
        keys[i] = 7;
    int_table(&l, JT_MAX_ROWS, keys, NULL);
    int_table(&r, JT_MAX_ROWS, keys, NULL);
    for (which_op op = HASH; op <= SORT_MERGE; op++) {
        uint64_t rng = 1;
        t_env env;
        t_env_init(&env, 0, 0, 100);
        qv_error err;
        exec_join_spec spec = {
            .type = PLAN_JOIN_INNER, .n_keys = 1, .left_keys = key0, .right_keys = key0};
        exec_node *node = make_join(op, jt_source(&l, "l", 1, 200, &rng),
                                    jt_source(&r, "r", 1, 200, &rng), &spec, &err);
        CHECK(node != NULL);
        exec_stream *stream = NULL;
        CHECK_OK(exec_node_open(node, &env.ctx, 0, &stream, &err));
        int64_t rows = 0, batches = 0, biggest = 0;
        for (;;) {
            arrow_batch *b = NULL;
            CHECK_OK(stream->next(stream, &b, &err));
            if (b == NULL)
                break;
            rows += b->n_rows;
            batches++;
            biggest = b->n_rows > biggest ? b->n_rows : biggest;
            arrow_batch_release(b);
        }
        exec_stream_free(stream);
        exec_node_free(node);
        t_env_free(&env);
        CHECK_INT_EQ(rows, JT_MAX_ROWS * JT_MAX_ROWS);
        CHECK_INT_EQ(biggest, 100);
        /* Full batches but for the end of a round of candidates. */
        CHECK(batches <= JT_MAX_ROWS * JT_MAX_ROWS / 100 + JT_MAX_ROWS * JT_MAX_ROWS / 1000);
    }
}

/* LEFT and FULL joins over 3 right partitions drained in parallel: the
 * unmatched left rows come out exactly once. */
TEST(left_rows_once_across_parallel_partitions)
{
    jt_table l, r;
    int64_t lk[40], rk[40];
    for (int i = 0; i < 40; i++) {
        lk[i] = i;
        rk[i] = i % 2 == 0 ? i : 100 + i;
    }
    int_table(&l, 40, lk, NULL);
    int_table(&r, 40, rk, NULL);
    for (int round = 0; round < 20; round++) {
        char *text = join_text(HASH, &l, &r, PLAN_JOIN_LEFT, false, false, 3, 5, true);
        CHECK(text != NULL);
        int lines = 0, unmatched = 0;
        for (const char *p = text; *p; p++)
            lines += *p == '\n';
        for (const char *p = strstr(text, "|NULL|NULL"); p; p = strstr(p + 1, "|NULL|NULL"))
            unmatched++;
        base_free(text);
        CHECK_INT_EQ(lines, 40);
        CHECK_INT_EQ(unmatched, 20);
    }
}

/* Opening every partition again runs the join again (a fresh build). */
TEST(reexecution_gives_the_same_rows)
{
    jt_table l, r;
    int_table(&l, 4, (const int64_t[]){1, 2, 3, NULL_KEY}, NULL);
    int_table(&r, 3, (const int64_t[]){2, 3, 9}, NULL);
    uint64_t rng = 3;
    t_env env;
    t_env_init(&env, 2, 0, 2);
    qv_error err;
    for (which_op op = HASH; op <= SORT_MERGE; op++) {
        exec_join_spec spec = {
            .type = PLAN_JOIN_FULL, .n_keys = 1, .left_keys = key0, .right_keys = key0};
        exec_node *node =
            make_join(op, jt_source(&l, "l", op == SORT_MERGE ? 1 : 2, 2, &rng),
                      jt_source(&r, "r", op == SORT_MERGE ? 1 : 2, 2, &rng), &spec, &err);
        CHECK(node != NULL);
        const char *want = "1|0|NULL|NULL\n2|1|2|0\n3|2|3|1\nNULL|3|NULL|NULL\nNULL|NULL|9|2\n";
        CHECK(text_is(jt_run(node, &env.ctx, &err), want));
        CHECK(text_is(jt_run_parallel(node, &env.ctx, &err), want));
        CHECK(text_is(jt_run(node, &env.ctx, &err), want));
        /* An execution given up after one batch; the next one is whole. */
        exec_stream *stream = NULL;
        CHECK_OK(exec_node_open(node, &env.ctx, 0, &stream, &err));
        arrow_batch *first = NULL;
        CHECK_OK(stream->next(stream, &first, &err));
        arrow_batch_release(first);
        exec_stream_free(stream);
        CHECK(text_is(jt_run(node, &env.ctx, &err), want));
        exec_node_free(node);
    }
    t_env_free(&env);
}

/* A build side that waits on the pool itself (an aggregate), under a join
 * whose partitions are drained on a pool with fewer threads than
 * partitions. */
TEST(aggregate_below_the_build_side)
{
    jt_table a, c;
    int64_t ka[40], kc[40];
    for (int i = 0; i < 40; i++) {
        ka[i] = i % 10;
        kc[i] = i % 20;
    }
    int_table(&a, 40, ka, NULL);
    int_table(&c, 40, kc, NULL);
    for (which_op op = HASH; op <= NESTED_LOOP; op++) {
        for (int round = 0; round < 5; round++) {
            uint64_t rng = 21 + (uint64_t)round;
            t_env env;
            t_env_init(&env, 2, 0, 3);
            qv_error err;
            exec_node *distinct = NULL;
            const char *name = "ak0";
            CHECK_OK(exec_aggregate_new(jt_source(&a, "a", 3, 4, &rng), 1, key0, &name, 0, NULL, 0,
                                        NULL, false, &distinct, &err));
            exec_join_spec spec = {
                .type = PLAN_JOIN_RIGHT, .n_keys = 1, .left_keys = key0, .right_keys = key0};
            exec_node *join = make_join(op, distinct, jt_source(&c, "c", 4, 4, &rng), &spec, &err);
            CHECK(join != NULL);
            char *text = jt_run_parallel(join, &env.ctx, &err);
            CHECK(text != NULL);
            int lines = 0, unmatched = 0;
            for (const char *p = text; *p; p++) {
                lines += *p == '\n';
                unmatched += strncmp(p, "NULL|", 5) == 0 && (p == text || p[-1] == '\n');
            }
            base_free(text);
            exec_node_free(join);
            t_env_free(&env);
            CHECK_INT_EQ(lines, 40);
            CHECK_INT_EQ(unmatched, 20);
        }
    }
}

/* A hash join whose build side is another hash join, both multi-partition,
 * drained in parallel on two threads: the inner build runs inside the
 * outer drain tasks without waiting on the pool. */
TEST(nested_joins_on_a_small_pool)
{
    jt_table a, b, c;
    int64_t ka[40], kb[40], kc[40];
    for (int i = 0; i < 40; i++) {
        ka[i] = i % 10;
        kb[i] = i % 5;
        kc[i] = i % 20;
    }
    int_table(&a, 40, ka, NULL);
    int_table(&b, 40, kb, NULL);
    int_table(&c, 40, kc, NULL);
    for (int round = 0; round < 10; round++) {
        uint64_t rng = 11 + (uint64_t)round;
        t_env env;
        t_env_init(&env, 2, 0, 7);
        qv_error err;
        exec_join_spec spec = {
            .type = PLAN_JOIN_INNER, .n_keys = 1, .left_keys = key0, .right_keys = key0};
        exec_node *inner = NULL, *outer = NULL;
        CHECK_OK(exec_hash_join_new(jt_source(&a, "a", 3, 4, &rng), jt_source(&b, "b", 3, 4, &rng),
                                    &spec, NULL, &inner, &err));
        exec_join_spec outer_spec = {
            .type = PLAN_JOIN_LEFT, .n_keys = 1, .left_keys = key0, .right_keys = key0};
        CHECK_OK(exec_hash_join_new(inner, jt_source(&c, "c", 3, 4, &rng), &outer_spec, NULL,
                                    &outer, &err));
        char *text = jt_run_parallel(outer, &env.ctx, &err);
        CHECK(text != NULL);
        int lines = 0;
        for (const char *p = text; *p; p++)
            lines += *p == '\n';
        base_free(text);
        exec_node_free(outer);
        t_env_free(&env);
        /* a x b: keys 0..4 match (4 rows of a x 8 rows of b each): 160
         * rows; each of their keys appears twice in c. */
        CHECK_INT_EQ(lines, 320);
    }
}

static const char *explain(exec_node *node)
{
    static char text[2048];
    base_strbuf sb;
    base_strbuf_init(&sb);
    exec_plan_format(node, false, &sb);
    /* exec_plan_format drops the last newline from len only. */
    snprintf(text, sizeof text, "%.*s", (int)sb.len, base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    exec_node_free(node);
    return text;
}

TEST(explain_lines)
{
    jt_table l, r;
    int_table(&l, 1, (const int64_t[]){1}, NULL);
    int_table(&r, 1, (const int64_t[]){1}, NULL);
    uint64_t rng = 5;
    qv_error err;
    jt_exprs x = {0};
    plan_expr *lt =
        jt_bin(&x, PLAN_OP_LT, jt_col(&x, 1, QV_TYPE_INT64), jt_col(&x, 3, QV_TYPE_INT64));
    exec_join_spec spec = {
        .type = PLAN_JOIN_INNER, .n_keys = 1, .left_keys = key0, .right_keys = key0, .filter = lt};
    exec_node *node = NULL;
    CHECK_OK(exec_hash_join_new(jt_source(&l, "l", 1, 1, &rng), jt_source(&r, "r", 2, 1, &rng),
                                &spec, NULL, &node, &err));
    CHECK_STR_EQ(explain(node), "HashJoinExec: mode=CollectLeft, join_type=Inner, "
                                "on=[(lk0@0, rk0@0)], filter=lv@0 < rv@1\n"
                                "  TestSourceExec\n  TestSourceExec");
    exec_join_spec aware = {.type = PLAN_JOIN_LEFT_ANTI,
                            .n_keys = 1,
                            .left_keys = key0,
                            .right_keys = key0,
                            .null_aware = true};
    CHECK_OK(exec_hash_join_new(jt_source(&l, "l", 1, 1, &rng), jt_source(&r, "r", 1, 1, &rng),
                                &aware, NULL, &node, &err));
    CHECK_STR_EQ(explain(node), "HashJoinExec: mode=CollectLeft, join_type=LeftAnti, "
                                "on=[(lk0@0, rk0@0)], null_aware\n"
                                "  TestSourceExec\n  TestSourceExec");
    exec_join_spec nne = {.type = PLAN_JOIN_RIGHT_SEMI,
                          .n_keys = 1,
                          .left_keys = key0,
                          .right_keys = key0,
                          .null_equals_null = true};
    CHECK_OK(exec_hash_join_new(jt_source(&l, "l", 1, 1, &rng), jt_source(&r, "r", 1, 1, &rng),
                                &nne, NULL, &node, &err));
    CHECK_STR_EQ(explain(node), "HashJoinExec: mode=CollectLeft, join_type=RightSemi, "
                                "on=[(lk0@0, rk0@0)], NullsEqual: true\n"
                                "  TestSourceExec\n  TestSourceExec");
    /* The right filter column only: rv is column 0 of the filter's schema. */
    plan_expr *gt = jt_bin(&x, PLAN_OP_GT, jt_col(&x, 3, QV_TYPE_INT64), jt_i64(&x, 3));
    exec_join_spec nl = {.type = PLAN_JOIN_LEFT, .filter = gt};
    CHECK_OK(exec_nested_loop_join_new(jt_source(&l, "l", 1, 1, &rng),
                                       jt_source(&r, "r", 1, 1, &rng), &nl, NULL, &node, &err));
    CHECK_STR_EQ(explain(node), "NestedLoopJoinExec: join_type=Left, filter=rv@0 > Int64(3)\n"
                                "  TestSourceExec\n  TestSourceExec");
    exec_join_spec cross = {.type = PLAN_JOIN_INNER};
    CHECK_OK(exec_nested_loop_join_new(jt_source(&l, "l", 1, 1, &rng),
                                       jt_source(&r, "r", 1, 1, &rng), &cross, NULL, &node, &err));
    CHECK_STR_EQ(explain(node), "CrossJoinExec\n  TestSourceExec\n  TestSourceExec");
    exec_join_spec smj = {
        .type = PLAN_JOIN_FULL, .n_keys = 1, .left_keys = key0, .right_keys = key0};
    CHECK_OK(exec_sort_merge_join_new(jt_source(&l, "l", 1, 1, &rng),
                                      jt_source(&r, "r", 1, 1, &rng), &smj, NULL, &node, &err));
    CHECK_STR_EQ(explain(node), "SortMergeJoinExec: join_type=Full, on=[(lk0@0, rk0@0)]\n"
                                "  TestSourceExec\n  TestSourceExec");
    jt_exprs_free(&x);
}

TEST(memory_limit_53200)
{
    jt_table l, r;
    int64_t keys[JT_MAX_ROWS];
    for (int i = 0; i < JT_MAX_ROWS; i++)
        keys[i] = i;
    int_table(&l, JT_MAX_ROWS, keys, NULL);
    int_table(&r, 5, keys, NULL);
    for (which_op op = HASH; op <= NESTED_LOOP; op++) {
        for (int threads = 0; threads <= 2; threads += 2) {
            uint64_t rng = 9;
            t_env env;
            t_env_init(&env, threads, 2000, 8192);
            qv_error err;
            qv_error_clear(&err);
            exec_join_spec spec = {
                .type = PLAN_JOIN_LEFT, .n_keys = 1, .left_keys = key0, .right_keys = key0};
            exec_node *node = make_join(op, jt_source(&l, "l", 3, 10, &rng),
                                        jt_source(&r, "r", 2, 10, &rng), &spec, &err);
            CHECK(node != NULL);
            char *text = jt_run_parallel(node, &env.ctx, &err);
            CHECK(text == NULL);
            CHECK_INT_EQ(err.code, QV_RESOURCES_EXHAUSTED);
            CHECK_STR_EQ(err.sqlstate, "53200");
            CHECK(strstr(err.message, "JoinExec[build]") != NULL);
            exec_node_free(node);
            CHECK_INT_EQ(base_mem_pool_used(env.mem), 0);
            t_env_free(&env);
        }
    }
}

TEST(memory_is_given_back)
{
    jt_table l, r;
    int_table(&l, 3, (const int64_t[]){1, 2, 3}, NULL);
    int_table(&r, 3, (const int64_t[]){3, 4, 1}, NULL);
    for (which_op op = HASH; op <= SORT_MERGE; op++) {
        uint64_t rng = 9;
        t_env env;
        t_env_init(&env, 2, 1 << 20, 8192);
        qv_error err;
        exec_join_spec spec = {
            .type = PLAN_JOIN_LEFT, .n_keys = 1, .left_keys = key0, .right_keys = key0};
        exec_node *node = make_join(op, jt_source(&l, "l", 1, 10, &rng),
                                    jt_source(&r, "r", 1, 10, &rng), &spec, &err);
        CHECK(text_is(jt_run(node, &env.ctx, &err), "1|0|1|2\n2|1|NULL|NULL\n3|2|3|0\n"));
        CHECK_INT_EQ(base_mem_pool_used(env.mem), 0);
        CHECK(node->metrics.mem_peak_bytes > 0);
        exec_node_free(node);
        t_env_free(&env);
    }
}

TEST(cancellation)
{
    jt_table l, r;
    int_table(&l, 3, (const int64_t[]){1, 2, 3}, NULL);
    int_table(&r, 3, (const int64_t[]){3, 4, 1}, NULL);
    for (which_op op = HASH; op <= SORT_MERGE; op++) {
        uint64_t rng = 9;
        t_env env;
        t_env_init(&env, 2, 0, 8192);
        qv_error err;
        exec_join_spec spec = {
            .type = PLAN_JOIN_INNER, .n_keys = 1, .left_keys = key0, .right_keys = key0};
        exec_node *node = make_join(op, jt_source(&l, "l", 2, 1, &rng),
                                    jt_source(&r, "r", 1, 1, &rng), &spec, &err);
        atomic_store(&env.ctx.cancelled, true);
        char *text = jt_run(node, &env.ctx, &err);
        CHECK(text == NULL);
        CHECK_INT_EQ(err.code, QV_CANCELLED);
        exec_node_free(node);
        t_env_free(&env);
    }
}

TEST(spec_checks)
{
    jt_table l, r;
    int_table(&l, 1, (const int64_t[]){1}, NULL);
    memset(&r, 0, sizeof r);
    r.n_rows = 1;
    r.n_keys = 1;
    r.key_utf8[0] = true;
    r.keys[0][0] = (jt_cell){.s = "x"};
    uint64_t rng = 1;
    qv_error err;
    exec_node *node = NULL;
    exec_join_spec spec = {
        .type = PLAN_JOIN_INNER, .n_keys = 1, .left_keys = key0, .right_keys = key0};
    /* Int64 against Utf8. */
    CHECK_STATUS(exec_hash_join_new(jt_source(&l, "l", 1, 1, &rng), jt_source(&r, "r", 1, 1, &rng),
                                    &spec, NULL, &node, &err),
                 QV_MISUSE);
    CHECK(node == NULL);
    const int32_t bad[1] = {5};
    exec_join_spec out_of_range = {
        .type = PLAN_JOIN_INNER, .n_keys = 1, .left_keys = bad, .right_keys = key0};
    CHECK_STATUS(exec_nested_loop_join_new(jt_source(&l, "l", 1, 1, &rng),
                                           jt_source(&l, "r", 1, 1, &rng), &out_of_range, NULL,
                                           &node, &err),
                 QV_MISUSE);
    exec_join_spec aware_inner = {.type = PLAN_JOIN_INNER,
                                  .n_keys = 1,
                                  .left_keys = key0,
                                  .right_keys = key0,
                                  .null_aware = true};
    CHECK_STATUS(exec_hash_join_new(jt_source(&l, "l", 1, 1, &rng), jt_source(&l, "r", 1, 1, &rng),
                                    &aware_inner, NULL, &node, &err),
                 QV_MISUSE);
    exec_join_spec no_keys = {.type = PLAN_JOIN_INNER};
    CHECK_STATUS(exec_hash_join_new(jt_source(&l, "l", 1, 1, &rng), jt_source(&l, "r", 1, 1, &rng),
                                    &no_keys, NULL, &node, &err),
                 QV_MISUSE);
    CHECK_STATUS(exec_sort_merge_join_new(jt_source(&l, "l", 2, 1, &rng),
                                          jt_source(&l, "r", 1, 1, &rng), &spec, NULL, &node, &err),
                 QV_MISUSE);
    /* An output schema of the wrong shape. */
    arrow_schema *wrong = jt_schema(&l, "w");
    CHECK_STATUS(exec_hash_join_new(jt_source(&l, "l", 1, 1, &rng), jt_source(&l, "r", 1, 1, &rng),
                                    &spec, wrong, &node, &err),
                 QV_MISUSE);
    /* A filter reading a column the inputs do not have. */
    jt_exprs x = {0};
    exec_join_spec far = {.type = PLAN_JOIN_INNER, .filter = jt_col(&x, 9, QV_TYPE_BOOLEAN)};
    CHECK_STATUS(exec_nested_loop_join_new(jt_source(&l, "l", 1, 1, &rng),
                                           jt_source(&l, "r", 1, 1, &rng), &far, NULL, &node, &err),
                 QV_MISUSE);
    jt_exprs_free(&x);
    arrow_schema_release(wrong);
}

TEST(output_schemas)
{
    jt_table l;
    int_table(&l, 0, NULL, NULL);
    arrow_schema *left = jt_schema(&l, "l"), *right = jt_schema(&l, "r");
    qv_error err;
    arrow_schema *s = NULL;
    CHECK_OK(exec_join_output_schema(left, right, PLAN_JOIN_LEFT, &s, &err));
    CHECK_INT_EQ(s->n_fields, 4);
    CHECK(!s->fields[1]->nullable); /* lv */
    CHECK(s->fields[3]->nullable);  /* rv, NULL-extended */
    arrow_schema_release(s);
    CHECK_OK(exec_join_output_schema(left, right, PLAN_JOIN_RIGHT_ANTI, &s, &err));
    CHECK_STR_EQ(s->fields[0]->name, "rk0");
    CHECK_INT_EQ(s->n_fields, 2);
    arrow_schema_release(s);
    CHECK_OK(exec_join_output_schema(left, right, PLAN_JOIN_LEFT_MARK, &s, &err));
    CHECK_INT_EQ(s->n_fields, 3);
    CHECK_STR_EQ(s->fields[2]->name, "mark");
    CHECK(!s->fields[2]->nullable);
    CHECK_INT_EQ(s->fields[2]->type->id, QV_TYPE_BOOLEAN);
    arrow_schema_release(s);
    arrow_schema_release(left);
    arrow_schema_release(right);
}
