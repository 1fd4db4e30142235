/*
 * sort_test_util.h — helpers for the spill and SortExec tests: a test-only
 * source operator (N partitions, each handing out given batches), an
 * execution environment (thread pool, memory pool, spill directory), random
 * input batches with keys and a row-id payload, a reference sort (stable
 * insertion sort) and row comparisons.
 */
#ifndef QV_SORT_TEST_UTIL_H
#define QV_SORT_TEST_UTIL_H

#include "../select/select_test_util.h"
#include "exec/exec.h"

/* A source node of n_parts partitions; partition p yields batches[p][0..
 * counts[p]) (retained). */
exec_node *t_source_new(arrow_schema *schema, int32_t n_parts, arrow_batch **const *batches,
                        const int64_t *counts);

typedef struct t_env {
    base_thread_pool *pool; /* NULL for threads == 0 */
    base_mem_pool *mem;
    char dir[64];
    exec_ctx ctx;
} t_env;
void t_env_init(t_env *env, int threads, int64_t mem_limit, int64_t batch_size);
void t_env_free(t_env *env);

/* Random input: schema (k_int Int32, k_str Utf8, k_f Float64, id Int64),
 * n_parts partitions of n_batches batches of up to rows_per_batch rows
 * (the id column numbers rows in partition order). */
typedef struct t_input {
    arrow_schema *schema;
    int32_t n_parts;
    arrow_batch ***batches;
    int64_t *counts;
    int64_t total_rows;
} t_input;
void t_input_random(t_input *in, int32_t n_parts, int64_t n_batches, int64_t rows_per_batch,
                    int64_t int_range, uint64_t *rng);
void t_input_free(t_input *in);

/* All input rows in partition order, as one batch. */
arrow_batch *t_input_concat(const t_input *in);
/* The stable reference order of all rows (new array of total_rows). */
uint32_t *t_reference_order(arrow_batch *all, int32_t n_keys, const exec_sort_key *keys);

/* Runs SortExec over the input; *out: the output as one batch; checks
 * every output batch has at most batch_size rows. *node_out (may be NULL)
 * receives the node (caller frees) for metrics. */
qv_status t_run_sort(t_env *env, const t_input *in, int32_t n_keys, const exec_sort_key *keys,
                     int64_t fetch, arrow_batch **out, exec_node **node_out, qv_error *err);

/* Compares output rows with all[order[i]] for i < n: every column when
 * strict, else the key columns only plus the ids as a permutation. */
bool t_rows_match(arrow_batch *output, arrow_batch *all, const uint32_t *order, int64_t n,
                  int32_t n_keys, const exec_sort_key *keys, bool strict);

#endif /* QV_SORT_TEST_UTIL_H */
