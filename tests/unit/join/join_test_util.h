/*
 * join_test_util.h — helpers for the join operator tests: small tables
 * kept as C arrays (so a test can compute the expected join row by row)
 * and turned into multi-partition, multi-batch sources; hand-built filter
 * expressions; running a node and reading its rows as sorted text. The
 * SortExec tests' source operator and environment are reused (compiled in
 * from tests/unit/sort). Helpers abort on failure (test inputs only).
 */
#ifndef QV_JOIN_TEST_UTIL_H
#define QV_JOIN_TEST_UTIL_H

#include "../sort/sort_test_util.h"
#include "exec/exec.h"

/* ---- tables ---- */

#define JT_MAX_ROWS 200
#define JT_MAX_KEYS 2

typedef struct jt_cell {
    bool null;
    int64_t i;     /* Int64 columns */
    const char *s; /* Utf8 columns (static strings) */
} jt_cell;

/* Columns: k0 [, k1] (Int64 or Utf8 as key_utf8[k] says), then v (Int64,
 * never NULL). */
typedef struct jt_table {
    int n_rows;
    int n_keys;
    bool key_utf8[JT_MAX_KEYS];
    jt_cell keys[JT_MAX_KEYS][JT_MAX_ROWS];
    int64_t v[JT_MAX_ROWS];
} jt_table;

/* The table's Arrow schema (new reference); prefix names the columns
 * ("l" -> lk0, lk1, lv). */
arrow_schema *jt_schema(const jt_table *t, const char *prefix);
/* A source of n_parts partitions over the table's rows (rows dealt to
 * partitions at random, each partition cut into batches of 1..max_batch
 * rows, some of them slices). */
exec_node *jt_source(const jt_table *t, const char *prefix, int n_parts, int max_batch,
                     uint64_t *rng);
/* The cell as the output text shows it. */
void jt_cell_text(const jt_table *t, int key, const jt_cell *c, base_strbuf *sb);

/* ---- expressions (freed together by jt_exprs_free) ---- */

typedef struct jt_exprs {
    plan_expr *items[256];
    arrow_array *values[64];
    int n, n_values;
} jt_exprs;
plan_expr *jt_col(jt_exprs *x, int32_t column, arrow_type_id type);
plan_expr *jt_i64(jt_exprs *x, int64_t value);
/* A binary operation; comparisons and AND / OR / IS [NOT] DISTINCT give Boolean. */
plan_expr *jt_bin(jt_exprs *x, plan_binary_op op, plan_expr *a, plan_expr *b);
void jt_exprs_free(jt_exprs *x);

/* ---- running ---- */

/* Runs partition after partition of node and returns every output row as
 * "v1|v2|...", sorted, one per line (base_free). Fails the run (returns
 * NULL, err set) when a batch has more than ctx->batch_size rows. */
char *jt_run(exec_node *node, exec_ctx *ctx, qv_error *err);
/* The same, draining all partitions in parallel on the context's pool
 * through a coalescing parent (exec_consume_partitions). */
char *jt_run_parallel(exec_node *node, exec_ctx *ctx, qv_error *err);
/* Lines (each ending in '\n') sorted, joined (base_free). */
char *jt_sorted_lines(char **lines, int64_t n);

#endif /* QV_JOIN_TEST_UTIL_H */
