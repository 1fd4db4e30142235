/*
 * test_join_oom.c — every allocation of a join's execution failing in
 * turn: the run either fails cleanly or gives the right rows, nothing
 * leaks (ASan) and the memory pool is empty afterwards. Single-threaded,
 * since the failure hook counts the calling thread's allocations.
 */
#include <stdio.h>
#include <string.h>

#include "join_test_util.h"
#include "test.h"

static const int32_t key0[1] = {0};

/* Rows of every partition of node, read one partition after another. */
static qv_status count_rows(exec_node *node, exec_ctx *ctx, int64_t *rows, qv_error *err)
{
    *rows = 0;
    for (int32_t p = 0; p < node->n_partitions; p++) {
        exec_stream *stream = NULL;
        QV_TRY(exec_node_open(node, ctx, p, &stream, err));
        qv_status st = QV_OK;
        for (;;) {
            arrow_batch *b = NULL;
            st = stream->next(stream, &b, err);
            if (st != QV_OK || b == NULL)
                break;
            *rows += b->n_rows;
            arrow_batch_release(b);
        }
        exec_stream_free(stream);
        QV_TRY(st);
    }
    return QV_OK;
}

static exec_node *make(int op, const jt_table *l, const jt_table *r, const exec_join_spec *spec)
{
    uint64_t rng = 17;
    qv_error err;
    exec_node *left = jt_source(l, "l", op == 2 ? 1 : 2, 3, &rng);
    exec_node *right = jt_source(r, "r", op == 2 ? 1 : 2, 3, &rng);
    exec_node *node = NULL;
    qv_status st = op == 0   ? exec_hash_join_new(left, right, spec, NULL, &node, &err)
                   : op == 1 ? exec_nested_loop_join_new(left, right, spec, NULL, &node, &err)
                             : exec_sort_merge_join_new(left, right, spec, NULL, &node, &err);
    return st == QV_OK ? node : NULL;
}

TEST(allocation_failures)
{
    jt_table l, r;
    memset(&l, 0, sizeof l);
    memset(&r, 0, sizeof r);
    l.n_keys = r.n_keys = 1;
    l.key_utf8[0] = r.key_utf8[0] = true;
    static const char *const words[] = {"a", "b", "a long string, longer than twelve", "c"};
    l.n_rows = r.n_rows = 12;
    for (int i = 0; i < 12; i++) {
        l.keys[0][i] = (jt_cell){.null = i % 5 == 4, .s = words[i % 4]};
        r.keys[0][i] = (jt_cell){.null = i % 7 == 6, .s = words[(i + 1) % 4]};
        l.v[i] = i;
        r.v[i] = 2 * i;
    }
    jt_exprs x = {0};
    exec_join_spec spec = {
        .type = PLAN_JOIN_FULL,
        .n_keys = 1,
        .left_keys = key0,
        .right_keys = key0,
        .filter =
            jt_bin(&x, PLAN_OP_LT, jt_col(&x, 1, QV_TYPE_INT64), jt_col(&x, 3, QV_TYPE_INT64)),
    };
    for (int op = 0; op < 3; op++) {
        t_env env;
        t_env_init(&env, 0, 0, 4);
        qv_error err;
        /* The rows a run without failures gives. */
        exec_node *node = make(op, &l, &r, &spec);
        CHECK(node != NULL);
        int64_t want = 0;
        CHECK_OK(count_rows(node, &env.ctx, &want, &err));
        exec_node_free(node);
        CHECK(want > 12);
        for (int64_t n = 1;; n++) {
            node = make(op, &l, &r, &spec);
            CHECK(node != NULL);
            int64_t rows = 0;
            base_alloc_fail_after(n);
            qv_status st = count_rows(node, &env.ctx, &rows, &err);
            bool triggered = base_alloc_fail_triggered();
            base_alloc_fail_after(0);
            exec_node_free(node);
            CHECK_INT_EQ(base_mem_pool_used(env.mem), 0);
            if (st == QV_OK)
                CHECK_INT_EQ(rows, want);
            if (!triggered) {
                printf("join allocation failures: operator %d, %lld failure points\n", op,
                       (long long)n - 1);
                break;
            }
            CHECK(n < 100000);
        }
        t_env_free(&env);
    }
    jt_exprs_free(&x);
}
