/*
 * test_join_planner.c — physical planning of PLAN_JOIN nodes built by hand
 * over VALUES inputs: the operator chosen (hash, sort-merge on request,
 * nested loop, cross), computed keys projected below the join, the build
 * side swapped to the smaller input with the column order restored, no
 * swap for mark and null-aware joins; and plan_estimate_rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "join_test_util.h"
#include "test.h"

#define NA INT64_MIN /* a NULL in values_node */

typedef struct pt_fixture {
    plan_ctx *ctx;
    t_env env;
} pt_fixture;

static void fx_init(pt_fixture *fx)
{
    qv_error err;
    plan_options options = {.default_catalog = "datafusion", .default_schema = "public"};
    if (plan_ctx_new(NULL, NULL, &options, &fx->ctx, &err) != QV_OK)
        abort();
    t_env_init(&fx->env, 2, 0, 3);
}

static void fx_free(pt_fixture *fx)
{
    plan_ctx_free(fx->ctx);
    t_env_free(&fx->env);
}

static plan_expr *int_literal(plan_ctx *ctx, int64_t v)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &b, &err);
    if (v == NA)
        arrow_builder_append_null(b, &err);
    else
        arrow_builder_append_int(b, v, &err);
    arrow_builder_finish(b, &a, &err);
    arrow_builder_free(b);
    return plan_expr_literal(ctx, a);
}

/* VALUES of n_rows x n_cols Int64 cells (row-major), columns named. */
static plan_node *values_node(plan_ctx *ctx, const char *qualifier, int n_cols,
                              const char *const *names, int n_rows, const int64_t *cells)
{
    plan_node *node = plan_node_new(ctx, PLAN_VALUES, 0, NULL);
    plan_schema_init(ctx, &node->schema, n_cols);
    for (int c = 0; c < n_cols; c++)
        node->schema.columns[c] = (plan_column){.qualifier = qualifier,
                                                .name = names[c],
                                                .type = arrow_type_primitive(QV_TYPE_INT64),
                                                .nullable = true};
    node->n_rows = n_rows;
    node->values = plan_alloc(ctx, (size_t)(n_rows * n_cols + 1) * sizeof *node->values);
    for (int i = 0; i < n_rows * n_cols; i++)
        node->values[i] = int_literal(ctx, cells[i]);
    return node;
}

static plan_expr *column(plan_ctx *ctx, const plan_node *input, int32_t c)
{
    return plan_expr_column(ctx, &input->schema, c);
}

static plan_expr *binary(plan_ctx *ctx, plan_binary_op op, plan_expr *a, plan_expr *b)
{
    plan_expr *args[2] = {a, b};
    bool arith = op <= PLAN_OP_MOD;
    return plan_expr_new(ctx, PLAN_EXPR_BINARY, op,
                         arith ? a->type : arrow_type_primitive(QV_TYPE_BOOLEAN), true, 2, args);
}

/* t1(a, b): 5 rows; t2(a, c): 2 rows. */
static plan_node *t1(pt_fixture *fx)
{
    static const char *const names[] = {"a", "b"};
    static const int64_t cells[] = {1, 10, 2, 20, 3, 30, NA, 40, 2, 50};
    return values_node(fx->ctx, "t1", 2, names, 5, cells);
}

static plan_node *t2(pt_fixture *fx)
{
    static const char *const names[] = {"a", "c"};
    static const int64_t cells[] = {2, 200, 4, 400};
    return values_node(fx->ctx, "t2", 2, names, 2, cells);
}

/* A join of l and r on l.column(lk) = r.column(rk) (keys made by make_key
 * when given). */
static plan_node *join_on(pt_fixture *fx, plan_join_type type, plan_node *l, plan_node *r,
                          plan_expr *left_key, plan_expr *right_key)
{
    plan_node *join = plan_join_new(fx->ctx, type, l, r);
    join->n_join_keys = 1;
    join->left_keys = plan_alloc(fx->ctx, sizeof *join->left_keys);
    join->right_keys = plan_alloc(fx->ctx, sizeof *join->right_keys);
    join->left_keys[0] = left_key;
    join->right_keys[0] = right_key;
    return join;
}

typedef struct planned {
    char explain[4096];
    char *rows; /* sorted, base_free */
} planned;

static bool plan_and_run(pt_fixture *fx, const plan_node *root, bool sort_merge, planned *out)
{
    qv_error err;
    qv_error_clear(&err);
    exec_plan_options options = {.batch_size = 3,
                                 .target_partitions = 2,
                                 .call = &fx->env.ctx.call,
                                 .prefer_sort_merge_join = sort_merge};
    exec_node *node = NULL;
    if (exec_plan_create(root, &options, &node, &err) != QV_OK) {
        fprintf(stderr, "planning failed: %s\n", err.message);
        return false;
    }
    base_strbuf sb;
    base_strbuf_init(&sb);
    exec_plan_format(node, false, &sb);
    /* exec_plan_format drops the last newline from len only. */
    snprintf(out->explain, sizeof out->explain, "%.*s", (int)sb.len, base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    out->rows = jt_run(node, &fx->env.ctx, &err);
    exec_node_free(node);
    if (out->rows == NULL)
        fprintf(stderr, "execution failed: %s\n", err.message);
    return out->rows != NULL;
}

static bool rows_are(planned *p, const char *want)
{
    bool same = strcmp(p->rows, want) == 0;
    if (!same)
        fprintf(stderr, "rows:\n%s\nexpected:\n%s\n", p->rows, want);
    base_free(p->rows);
    p->rows = NULL;
    return same;
}

static bool explain_is(const planned *p, const char *want)
{
    bool same = strcmp(p->explain, want) == 0;
    if (!same)
        fprintf(stderr, "plan:\n%s\nexpected:\n%s\n", p->explain, want);
    return same;
}

TEST(plan_hash_join_builds_the_smaller_side)
{
    pt_fixture fx;
    fx_init(&fx);
    planned p;
    /* t2 (2 rows) on the left: built as it is. */
    plan_node *l = t2(&fx), *r = t1(&fx);
    plan_node *join =
        join_on(&fx, PLAN_JOIN_INNER, l, r, column(fx.ctx, l, 0), column(fx.ctx, r, 0));
    CHECK(plan_and_run(&fx, join, false, &p));
    CHECK(explain_is(&p, "HashJoinExec: mode=CollectLeft, join_type=Inner, on=[(a@0, a@0)]\n"
                         "  ValuesExec: rows=2\n"
                         "  ValuesExec: rows=5"));
    CHECK(rows_are(&p, "2|200|2|20\n2|200|2|50\n"));
    /* t1 on the left of a LEFT join: swapped into a RIGHT join. */
    l = t1(&fx);
    r = t2(&fx);
    join = join_on(&fx, PLAN_JOIN_LEFT, l, r, column(fx.ctx, l, 0), column(fx.ctx, r, 0));
    CHECK(plan_and_run(&fx, join, false, &p));
    CHECK(explain_is(&p, "ProjectionExec: expr=[a as a, b as b, a as a, c as c]\n"
                         "  HashJoinExec: mode=CollectLeft, join_type=Right, on=[(a@0, a@0)]\n"
                         "    ValuesExec: rows=2\n"
                         "    ValuesExec: rows=5"));
    CHECK(rows_are(&p, "1|10|NULL|NULL\n2|20|2|200\n2|50|2|200\n3|30|NULL|NULL\n"
                       "NULL|40|NULL|NULL\n"));
    /* A semi join swaps too; its output stays t1's columns. */
    l = t1(&fx);
    r = t2(&fx);
    join = join_on(&fx, PLAN_JOIN_LEFT_SEMI, l, r, column(fx.ctx, l, 0), column(fx.ctx, r, 0));
    CHECK(plan_and_run(&fx, join, false, &p));
    CHECK(strstr(p.explain, "join_type=RightSemi") != NULL);
    CHECK(rows_are(&p, "2|20\n2|50\n"));
    /* Mark and null-aware joins keep their sides. */
    l = t1(&fx);
    r = t2(&fx);
    join = join_on(&fx, PLAN_JOIN_LEFT_MARK, l, r, column(fx.ctx, l, 0), column(fx.ctx, r, 0));
    CHECK(plan_and_run(&fx, join, false, &p));
    CHECK(strstr(p.explain, "HashJoinExec: mode=CollectLeft, join_type=LeftMark") == p.explain);
    CHECK(rows_are(&p, "1|10|false\n2|20|true\n2|50|true\n3|30|false\nNULL|40|false\n"));
    l = t1(&fx);
    r = t2(&fx);
    join = join_on(&fx, PLAN_JOIN_LEFT_ANTI, l, r, column(fx.ctx, l, 0), column(fx.ctx, r, 0));
    join->null_aware = true;
    CHECK(plan_and_run(&fx, join, false, &p));
    CHECK(strstr(p.explain, "join_type=LeftAnti, on=[(a@0, a@0)], null_aware") != NULL);
    CHECK(rows_are(&p, "1|10\n3|30\n"));
    fx_free(&fx);
}

TEST(plan_computed_keys_and_filter)
{
    pt_fixture fx;
    fx_init(&fx);
    planned p;
    /* t2 JOIN t1 ON t2.a + 1 = t1.a AND t2.c > t1.b * 10 */
    plan_node *l = t2(&fx), *r = t1(&fx);
    plan_node *join =
        join_on(&fx, PLAN_JOIN_INNER, l, r,
                binary(fx.ctx, PLAN_OP_ADD, column(fx.ctx, l, 0), int_literal(fx.ctx, 1)),
                column(fx.ctx, r, 0));
    plan_schema both = join->schema;
    join->join_filter = binary(
        fx.ctx, PLAN_OP_GT, plan_expr_column(fx.ctx, &both, 1),
        binary(fx.ctx, PLAN_OP_MUL, plan_expr_column(fx.ctx, &both, 3), int_literal(fx.ctx, 1)));
    CHECK(plan_and_run(&fx, join, false, &p));
    CHECK(explain_is(&p, "ProjectionExec: expr=[a as a, c as c, a as a, b as b]\n"
                         "  HashJoinExec: mode=CollectLeft, join_type=Inner, "
                         "on=[(t2.a + Int64(1)@2, a@0)], filter=c@0 > b@1 * Int64(1)\n"
                         "    ProjectionExec: expr=[a as a, c as c, a + Int64(1) as t2.a + "
                         "Int64(1)]\n"
                         "      ValuesExec: rows=2\n"
                         "    ValuesExec: rows=5"));
    CHECK(rows_are(&p, "2|200|3|30\n"));
    /* The same as a sort-merge join. */
    CHECK(plan_and_run(&fx, join, true, &p));
    CHECK(strstr(p.explain, "SortMergeJoinExec: join_type=Inner, on=[(t2.a + Int64(1)@2, a@0)]") !=
          NULL);
    CHECK(strstr(p.explain, "SortExec") != NULL);
    CHECK(rows_are(&p, "2|200|3|30\n"));
    fx_free(&fx);
}

TEST(plan_joins_without_keys)
{
    pt_fixture fx;
    fx_init(&fx);
    planned p;
    plan_node *l = t2(&fx), *r = t1(&fx);
    plan_node *join = plan_join_new(fx.ctx, PLAN_JOIN_INNER, l, r);
    CHECK(plan_and_run(&fx, join, false, &p));
    CHECK(explain_is(&p, "CrossJoinExec\n  ValuesExec: rows=2\n  ValuesExec: rows=5"));
    base_free(p.rows);
    l = t2(&fx);
    r = t1(&fx);
    join = plan_join_new(fx.ctx, PLAN_JOIN_FULL, l, r);
    join->join_filter = binary(fx.ctx, PLAN_OP_LT, plan_expr_column(fx.ctx, &join->schema, 0),
                               plan_expr_column(fx.ctx, &join->schema, 2));
    CHECK(plan_and_run(&fx, join, true, &p));
    CHECK(explain_is(&p, "NestedLoopJoinExec: join_type=Full, filter=a@0 < a@1\n"
                         "  ValuesExec: rows=2\n  ValuesExec: rows=5"));
    CHECK(rows_are(&p, "2|200|3|30\n4|400|NULL|NULL\nNULL|NULL|1|10\nNULL|NULL|2|20\n"
                       "NULL|NULL|2|50\nNULL|NULL|NULL|40\n"));
    fx_free(&fx);
}

TEST(estimates)
{
    pt_fixture fx;
    fx_init(&fx);
    plan_node *a = t1(&fx), *b = t2(&fx);
    CHECK_INT_EQ(plan_estimate_rows(a), 5);
    plan_node *filter = plan_node_new(fx.ctx, PLAN_FILTER, 1, &a);
    CHECK_INT_EQ(plan_estimate_rows(filter), 1);
    plan_node *limit = plan_node_new(fx.ctx, PLAN_LIMIT, 1, &a);
    limit->skip = 1;
    limit->fetch = 10;
    CHECK_INT_EQ(plan_estimate_rows(limit), 4);
    limit->fetch = 2;
    CHECK_INT_EQ(plan_estimate_rows(limit), 2);
    plan_node *cross = plan_join_new(fx.ctx, PLAN_JOIN_INNER, a, b);
    CHECK_INT_EQ(plan_estimate_rows(cross), 10);
    plan_node *keyed =
        join_on(&fx, PLAN_JOIN_FULL, a, b, column(fx.ctx, a, 0), column(fx.ctx, b, 0));
    CHECK_INT_EQ(plan_estimate_rows(keyed), 7);
    keyed->join_type = PLAN_JOIN_RIGHT_ANTI;
    CHECK_INT_EQ(plan_estimate_rows(keyed), 2);
    /* A scan answers from the provider's statistics. */
    jt_table t;
    memset(&t, 0, sizeof t);
    t.n_keys = 1;
    t.n_rows = 3;
    arrow_schema *schema = jt_schema(&t, "s");
    uint64_t rng = 1;
    exec_node *src = jt_source(&t, "s", 1, 3, &rng);
    qv_error err;
    arrow_batch **batches;
    int64_t n;
    CHECK_OK(exec_collect_partition(src, &fx.env.ctx, 0, &batches, &n, &err));
    catalog_table *table = NULL;
    CHECK_OK(catalog_memory_table_new(schema, batches, n, &table, &err));
    exec_batches_free(batches, n);
    exec_node_free(src);
    plan_node *scan = plan_node_new(fx.ctx, PLAN_SCAN, 0, NULL);
    scan->table = table;
    scan->fetch = -1;
    CHECK_INT_EQ(plan_estimate_rows(scan), 3);
    scan->fetch = 1;
    CHECK_INT_EQ(plan_estimate_rows(scan), 1);
    catalog_table_release(table);
    arrow_schema_release(schema);
    fx_free(&fx);
}
