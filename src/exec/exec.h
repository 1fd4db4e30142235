/*
 * exec.h — physical execution (layer: exec): the operator framework, the
 * operators, expression evaluation and the physical planner's entry point.
 *
 * ---- Operators ----
 * An exec_node is one operator of a physical plan: an output schema, a
 * number of output partitions, children, metrics, and a vtable. Execution
 * pulls: open(node, ctx, partition) returns an exec_stream whose next()
 * hands out record batches (NULL at the end). Different partitions of one
 * node may be opened and pulled concurrently from different threads; one
 * stream is used by one thread at a time.
 *
 * Pipeline breakers (aggregate, sort) drain their child's partitions in
 * parallel on the runtime thread pool (exec_consume_partitions) when their
 * own stream is first pulled; pass-through operators (filter, projection)
 * keep their child's partitioning.
 *
 * Memory: operators that buffer hold a base_mem_reservation from
 * ctx->mem_pool named after the operator ("SortExec[0]"), grow it before
 * buffering, and past the limit spill (sort) or fail with the pool's
 * QV_RESOURCES_EXHAUSTED error (53200). They release everything on free.
 *
 * Ownership: exec_node_free frees a node and its children (a node owns its
 * children). Operator constructors take ownership of the children they are
 * given, also when they fail (then the children are freed). Streams borrow their node and ctx,
 * which must outlive them. Batches from next() are new references for the caller.
 */
#ifndef QV_EXEC_H
#define QV_EXEC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "arrow/arrow.h"
#include "base/base.h"
#include "func/agg.h"
#include "func/func.h"
#include "plan/plan.h"

/* ---- per-query context ---- */

/* The disk space spill files may use (DataFusion's DiskManager):
 * used counts the bytes in the spill files of every query of a runtime
 * (NULL: not counted), limit is the query's
 * datafusion.runtime.max_temp_directory_size in bytes (< 0: none). */
typedef struct exec_disk_budget {
    _Atomic int64_t *used;
    int64_t limit;
} exec_disk_budget;

typedef struct exec_ctx {
    base_thread_pool *pool;  /* NULL: run everything on the calling thread */
    base_mem_pool *mem_pool; /* never NULL (may be unbounded) */
    const char *spill_dir;   /* directory for spill files (exists) */
    exec_disk_budget disk;   /* what spill files may take of the disk */
    int64_t batch_size;      /* target rows per output batch, >= 1 */
    int32_t target_partitions;
    func_call_ctx call;     /* now(), time zone; streams copy it (random state) */
    _Atomic bool cancelled; /* set to stop the query; streams return QV_CANCELLED */
} exec_ctx;

/* ---- metrics (EXPLAIN ANALYZE) ---- */

typedef struct exec_metrics {
    _Atomic int64_t output_rows;
    _Atomic int64_t output_batches;
    _Atomic int64_t elapsed_ns;     /* time spent inside this node's next() */
    _Atomic int64_t mem_peak_bytes; /* largest reservation held */
    _Atomic int64_t spill_count;    /* spill files written */
    _Atomic int64_t spilled_bytes;
} exec_metrics;

/* Records a reservation size into mem_peak_bytes if it is a new peak. */
void exec_metrics_note_memory(exec_metrics *metrics, int64_t bytes);

/* ---- nodes and streams (node.c) ---- */

typedef struct exec_stream exec_stream;
struct exec_stream {
    /* *out: the next batch (new reference, n_rows >= 1) or NULL at the end. */
    qv_status (*next)(exec_stream *stream, arrow_batch **out, qv_error *err);
    void (*free)(exec_stream *stream);
};

typedef struct exec_node exec_node;

typedef struct exec_node_ops {
    const char *name; /* "FilterExec", as DataFusion names its operators */
    qv_status (*open)(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                      qv_error *err);
    /* One line for EXPLAIN after the name and ": ", e.g. for SortExec
     * "expr=[a@0 ASC NULLS LAST], fetch=10" (may append nothing). */
    void (*describe)(const exec_node *node, base_strbuf *sb);
    /* Frees the node's own state (not children, schema or metrics). */
    void (*free_state)(exec_node *node);
} exec_node_ops;

struct exec_node {
    const exec_node_ops *ops;
    arrow_schema *schema; /* owned reference */
    int32_t n_partitions; /* output partitions, >= 1 */
    int32_t n_children;
    exec_node **children; /* owned */
    exec_metrics metrics;
    void *state; /* the operator's own data */
};

/* Allocates a node: schema retained, children owned from now on (also on
 * failure, when they are freed). *out NULL on failure. */
qv_status exec_node_new(const exec_node_ops *ops, arrow_schema *schema, int32_t n_partitions,
                        int32_t n_children, exec_node *const *children, void *state,
                        exec_node **out, qv_error *err);
/* Frees node, its state (ops->free_state) and its children. NULL is a no-op. */
void exec_node_free(exec_node *node);
/* Opens one partition, wrapped so that rows, batches and time land in the
 * node's metrics and cancellation is checked per batch. */
qv_status exec_node_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                         qv_error *err);
/* Frees a stream. NULL is a no-op. */
void exec_stream_free(exec_stream *stream);

/* The start of a stream that reads one partition of one child (filter,
 * projection, ...): the operator's stream struct begins with it. */
typedef struct exec_unary_stream {
    exec_stream base;
    exec_stream *child; /* owned; NULL when never opened */
} exec_unary_stream;
/* Allocates a zeroed stream of size bytes (>= sizeof(exec_unary_stream))
 * with fns' next / free, and opens `partition` of child into its child;
 * what names the stream in an out-of-memory error. *out NULL on failure
 * (nothing is left allocated). */
qv_status exec_unary_stream_open(exec_node *child, exec_ctx *ctx, int32_t partition, size_t size,
                                 const exec_stream *fns, const char *what, exec_unary_stream **out,
                                 qv_error *err);
/* Frees the child and the stream: the free of unary streams owning nothing
 * else. */
void exec_unary_stream_free(exec_stream *stream);

/* Called by exec_consume_partitions for every batch of every partition; the
 * batch is borrowed (retain it to keep it). Calls for one partition come from
 * one task, in order; different partitions run concurrently. */
typedef qv_status (*exec_consume_fn)(void *user, int32_t partition, arrow_batch *batch,
                                     qv_error *err);
/* Opens every partition of child and feeds all of its batches to consume:
 * one task per partition on ctx->pool (inline, in partition order, when the
 * pool is NULL or there is one partition). Returns the first error; the
 * other tasks stop at their next batch. */
qv_status exec_consume_partitions(exec_node *child, exec_ctx *ctx, exec_consume_fn consume,
                                  void *user, qv_error *err);
/* Every batch of one partition of node, in order (*out: an array of new
 * references owned by the caller, free with exec_batches_free). */
qv_status exec_collect_partition(exec_node *node, exec_ctx *ctx, int32_t partition,
                                 arrow_batch ***out, int64_t *n_out, qv_error *err);
void exec_batches_free(arrow_batch **batches, int64_t n);

/* ---- sort (op_sort.c, sort_merge.c, spill.c) ----
 * SortExec: sorts all input (every child partition) into one output
 * partition. Keys are columns of the input (the planner projects computed
 * keys first). fetch >= 0 keeps only the first fetch rows (top-K: a bounded
 * heap, memory O(fetch)). Buffers under a reservation; when the pool refuses
 * it sorts what it holds, spills it as a run to ctx->spill_dir and goes on,
 * then merges the runs; when even one batch cannot be held: 53200. */
typedef struct exec_sort_key {
    int32_t column;
    bool descending;
    bool nulls_first;
} exec_sort_key;
qv_status exec_sort_new(exec_node *child, int32_t n_keys, const exec_sort_key *keys, int64_t fetch,
                        exec_node **out, qv_error *err);

/* Spill files: batches written to an unlinked temporary file in a directory
 * and read back in order (spill.c). Each file is written once, then read
 * once; reading validates what it reads back. A write that would take the
 * budget's used bytes past its limit fails with DataFusion's "Resources
 * exhausted: The used disk space during the spilling process has exceeded
 * the allowable limit of 1.0 MB. ..." (53200); a file's bytes are given
 * back when it is freed. */
typedef struct exec_spill_file exec_spill_file;
qv_status exec_spill_create(const char *dir, exec_disk_budget disk, arrow_schema *schema,
                            exec_spill_file **out, qv_error *err);
qv_status exec_spill_write(exec_spill_file *file, arrow_batch *batch, qv_error *err);
/* Ends writing; from now on exec_spill_read returns the batches in order
 * (NULL at the end). */
qv_status exec_spill_finish(exec_spill_file *file, qv_error *err);
qv_status exec_spill_read(exec_spill_file *file, arrow_batch **out, qv_error *err);
int64_t exec_spill_bytes(const exec_spill_file *file);
void exec_spill_free(exec_spill_file *file);

/* ---- hash aggregate (op_aggregate.c, group_table.c) ----
 * AggregateExec: groups the input by key columns and computes aggregate
 * calls, into one output partition whose columns are the group keys (in
 * order), then (when n_grouping_sets > 0) a UInt32 "__grouping_id" column,
 * then one column per aggregate with the call's return type.
 *
 * Two-phase by default: each child partition aggregates into its own
 * partial state in its own task, then the partial states merge into the
 * final groups. Single-phase (single_phase, or any call with distinct or
 * ordered): the child's partitions are drained in partition order on one
 * thread (the planner gives it a sorted single-partition input for ORDER BY
 * inside calls).
 *
 * Grouping sets: n_grouping_sets masks; bit k of mask s set means key k is
 * part of set s. Each input row is aggregated once per set, with the keys
 * outside the set read as NULL and the set's __grouping_id being DataFusion's
 * (bit k, counted from the last key, is 1 when key k is NOT in the set).
 * n_grouping_sets == 0: plain GROUP BY (no __grouping_id column).
 * n_keys == 0: one group over all rows, which exists even with no input
 * (count = 0).
 */
typedef struct exec_agg_spec {
    func_agg_call call;         /* entry, types, literals, return type, flags */
    int32_t n_args;             /* == call.n_args */
    const int32_t *arg_columns; /* input columns of the arguments */
    int32_t filter_column;      /* Boolean input column of FILTER (WHERE), or -1 */
    const char *name;           /* output column name */
} exec_agg_spec;
qv_status exec_aggregate_new(exec_node *child, int32_t n_keys, const int32_t *key_columns,
                             const char *const *key_names, int32_t n_grouping_sets,
                             const uint32_t *grouping_sets, int32_t n_aggs,
                             const exec_agg_spec *aggs, bool single_phase, exec_node **out,
                             qv_error *err);

/* Group table (group_table.c): interns rows of key columns into dense group
 * ids 0, 1, 2... in first-seen order; NULLs equal NULLs (SQL grouping);
 * floats by bit pattern after normalising -0 to +0 and every NaN to one NaN.
 * Also used for DISTINCT and, later, join build sides. */
typedef struct exec_group_table exec_group_table;
qv_status exec_group_table_new(int32_t n_keys, arrow_type *const *key_types, exec_group_table **out,
                               qv_error *err);
/* Assigns group_ids[0..n_rows) for the rows of keys (n_keys arrays of
 * n_rows; keys[k] == NULL means column k is NULL in every row), adding new
 * groups. */
qv_status exec_group_table_intern(exec_group_table *table, arrow_array *const *keys, int64_t n_rows,
                                  uint32_t *group_ids, qv_error *err);
int64_t exec_group_table_count(const exec_group_table *table);
/* The keys of groups [start, start+count) as n_keys new arrays. */
qv_status exec_group_table_emit(const exec_group_table *table, int64_t start, int64_t count,
                                arrow_array **keys_out, qv_error *err);
int64_t exec_group_table_memory_bytes(const exec_group_table *table);
void exec_group_table_free(exec_group_table *table);

/* ---- joins (op_hash_join.c, op_nested_loop_join.c, op_sort_merge_join.c,
 * join_*.c) ----
 * Rows of the left and right input match as plan.h's "joins" section says:
 * keys equal (NULL keys never, unless null_equals_null) and the filter
 * true; the output columns are the join type's (plan.h). Keys are input
 * columns (the planner projects computed keys first), left_keys[i] of the
 * same type as right_keys[i].
 *
 * HashJoinExec: builds a hash table over all of the left input (collected
 * once, its partitions in parallel, memory reserved as
 * "HashJoinExec[build]": past the pool's limit the query fails with 53200;
 * it does not spill) and probes it with each right partition in parallel:
 * output partition p joins right partition p. Left rows the type needs
 * after probing (LEFT, FULL, LEFT_SEMI, LEFT_ANTI, LEFT_MARK) come out of
 * the partition that finishes last. Needs at least one key.
 * NestedLoopJoinExec: the same with every pair of rows a candidate (keys
 * optional, any filter); "CrossJoinExec" when INNER without keys or filter.
 * SortMergeJoinExec: both inputs one partition each, sorted ascending on
 * the keys with NULLs last; one output partition; needs at least one key;
 * null_aware is not supported.
 * null_aware needs LEFT_ANTI and one key (hash and nested loop joins).
 * Output batches have at most ctx->batch_size rows. */
typedef struct exec_join_column {
    bool right;    /* a column of the right input, else of the left input */
    int32_t index; /* the column of that input */
} exec_join_column;

typedef struct exec_join_spec {
    plan_join_type type;
    int32_t n_keys;
    const int32_t *left_keys;  /* columns of the left input (copied) */
    const int32_t *right_keys; /* columns of the right input (copied) */
    bool null_equals_null;
    const plan_expr *filter; /* borrowed (lives in the plan); NULL: none */
    /* The filter's column i reads filter_columns[i] (copied); NULL: the
     * left input's columns, then the right input's (plan.h's numbering). */
    int32_t n_filter_columns;
    const exec_join_column *filter_columns;
    bool null_aware;
} exec_join_spec;

/* The output schema of a join of these inputs: left fields then right
 * fields (those of an outer join's NULL-extended side made nullable), one
 * side for semi / anti joins, left fields and a non-null Boolean "mark" for
 * LEFT_MARK (new reference). */
qv_status exec_join_output_schema(const arrow_schema *left, const arrow_schema *right,
                                  plan_join_type type, arrow_schema **out, qv_error *err);
/* Constructors: left and right are owned (also on failure); schema (NULL:
 * exec_join_output_schema) is retained and must have the join type's
 * columns with the inputs' types. QV_MISUSE for a spec that does not fit
 * the inputs. */
qv_status exec_hash_join_new(exec_node *left, exec_node *right, const exec_join_spec *spec,
                             arrow_schema *schema, exec_node **out, qv_error *err);
qv_status exec_nested_loop_join_new(exec_node *left, exec_node *right, const exec_join_spec *spec,
                                    arrow_schema *schema, exec_node **out, qv_error *err);
qv_status exec_sort_merge_join_new(exec_node *left, exec_node *right, const exec_join_spec *spec,
                                   arrow_schema *schema, exec_node **out, qv_error *err);

/* ---- window functions (op_window.c, window_frame.c, window_agg.c) ----
 * WindowAggExec / BoundedWindowAggExec (the name is EXPLAIN's only: both
 * are this operator): computes window calls over an input sorted by the
 * partition columns, then the order columns (the planner sorts), into one
 * output partition whose columns are the input's first n_pass columns,
 * then one per call. It buffers a run of whole partitions at a time
 * (a partition whole, however large) under a reservation from
 * ctx->mem_pool (53200 past the limit), computes every call over it and
 * hands the rows out in batches of ctx->batch_size.
 *
 * Window functions (func/window.h) get the partitions, peer groups
 * (rows with equal order columns) and frames; aggregates run their
 * accumulators over each row's frame: whole-partition frames in one
 * vectorized pass, frames that slide with retract where the aggregate has
 * it (count, sum, avg), min / max with a monotonic deque, the others
 * recomputed per distinct frame. */
typedef struct exec_window_spec {
    const func_entry *entry; /* FUNC_WINDOW, or FUNC_AGGREGATE over frames */
    int32_t n_args;
    const int32_t *arg_columns;   /* input column of argument i, -1 when constant */
    arrow_array *const *literals; /* argument i's value (length 1) when constant, else NULL */
    arrow_type *const *arg_types;
    arrow_type *return_type;
    int32_t filter_column;   /* Boolean input column of FILTER (WHERE), -1: none */
    bool distinct;           /* DISTINCT (aggregates) */
    bool ignore_nulls;       /* IGNORE NULLS */
    plan_window_frame frame; /* RANGE offsets need exactly one order column */
    const char *describe;    /* the call in EXPLAIN (copied) */
} exec_window_spec;
/* bounded picks the EXPLAIN name (BoundedWindowAggExec when no call needs
 * rows past its frame end). The specs are copied. owned (n_owned
 * base_alloc'd expressions and the array, may be NULL) moves to the node,
 * also on failure: the column references the planner made for the
 * projection below it, freed with the node. */
qv_status exec_window_new(exec_node *child, int32_t n_pass, int32_t n_partition,
                          const int32_t *partition_columns, int32_t n_order,
                          const exec_sort_key *order, int32_t n_calls,
                          const exec_window_spec *calls, arrow_schema *schema, bool bounded,
                          plan_expr **owned, int32_t n_owned, exec_node **out, qv_error *err);

/* ---- expressions (expr_eval.c) ----
 * Evaluate a bound expression on a batch whose columns are the
 * expression's input columns. The expression is borrowed. */
qv_status exec_expr_eval(const plan_expr *expr, arrow_batch *batch, func_call_ctx *call,
                         func_datum *out, qv_error *err);
/* Evaluates a constant expression (plan_expr_is_constant) on one row, as
 * plan_options.const_eval asks: a new length-1 array of exactly expr->type,
 * or an error (the expression is then left for execution). */
qv_status exec_const_eval(const plan_expr *expr, arrow_array **out, qv_error *err);
/* The same, as an array of batch->n_rows values (new reference). */
qv_status exec_expr_eval_array(const plan_expr *expr, arrow_batch *batch, func_call_ctx *call,
                               arrow_array **out, qv_error *err);

/* ---- simple operators (op_*.c) ----
 * Expressions given to operators are borrowed: they live in the plan
 * context, which must outlive the operators. */

/* Reads a table: one output partition per scan partition. The scan is
 * opened here (args as catalog.h describes; projection and filters copied). */
qv_status exec_scan_new(catalog_table *table, const char *table_name, const catalog_scan_args *args,
                        exec_node **out, qv_error *err);
/* Hands out the given batches (retained) as one partition; name picks the
 * operator EXPLAIN shows: "ValuesExec" (default), "PlaceholderRowExec" or
 * "EmptyExec". */
qv_status exec_memory_source_new(arrow_schema *schema, arrow_batch *const *batches,
                                 int64_t n_batches, const char *name, exec_node **out,
                                 qv_error *err);
/* Computes exprs over each batch of child (same partitions); the array is
 * copied, the expressions borrowed. */
qv_status exec_projection_new(exec_node *child, int32_t n_exprs, plan_expr *const *exprs,
                              arrow_schema *schema, exec_node **out, qv_error *err);
/* Keeps the rows where predicate is true (same partitions). */
qv_status exec_filter_new(exec_node *child, const plan_expr *predicate, exec_node **out,
                          qv_error *err);
/* Skips skip rows then passes at most fetch (-1: all); child has one
 * partition. */
qv_status exec_limit_new(exec_node *child, int64_t skip, int64_t fetch, exec_node **out,
                         qv_error *err);
/* At most one row of child (one partition); a second row is an execution
 * error "Scalar subquery returned more than one row". */
qv_status exec_limit_one_row_new(exec_node *child, exec_node **out, qv_error *err);
/* Glues small batches of each partition into batches of about
 * ctx->batch_size rows (same partitions). */
qv_status exec_coalesce_batches_new(exec_node *child, exec_node **out, qv_error *err);
/* Merges the child's partitions into one (partition 0, then 1, ...). */
qv_status exec_coalesce_new(exec_node *child, exec_node **out, qv_error *err);
/* The partitions of every child, one after another (UNION ALL). */
qv_status exec_union_new(int32_t n_children, exec_node *const *children, arrow_schema *schema,
                         exec_node **out, qv_error *err);

/* ---- recursive queries (op_recursive.c) ----
 * A work table holds the rows of a recursive query's previous round; the
 * RecursiveQueryExec fills it, WorkTableExec leaves of the recursive term
 * read it. Refcounted: every node using it holds a reference. */
typedef struct exec_work_table exec_work_table;
qv_status exec_work_table_new(exec_work_table **out, qv_error *err);
exec_work_table *exec_work_table_retain(exec_work_table *wt);
void exec_work_table_release(exec_work_table *wt);
/* Reads the work table (one partition; takes a new reference to wt). */
qv_status exec_work_table_scan_new(exec_work_table *wt, arrow_schema *schema, exec_node **out,
                                   qv_error *err);
/* static_term's rows, then round after round of the recursive term (term,
 * planned again per round with options; first_round is its first plan),
 * until a round adds no rows; distinct drops rows seen before. Takes the
 * caller's reference to wt. One output partition. */
struct exec_plan_options;
qv_status exec_recursive_new(exec_node *static_term, exec_node *first_round, const plan_node *term,
                             const struct exec_plan_options *options, exec_work_table *wt,
                             bool distinct, exec_node **out, qv_error *err);

/* UnnestExec (op_unnest.c): PLAN_UNNEST's semantics (see plan.h) over
 * each batch of child, same partitions; specs copied, schema retained
 * (the node's output: the unnested columns' element types). */
qv_status exec_unnest_new(exec_node *child, int32_t n_specs, const plan_unnest_list *specs,
                          bool preserve_nulls, arrow_schema *schema, exec_node **out,
                          qv_error *err);

/* ---- physical planning (planner.c, explain.c) ---- */

typedef struct exec_plan_options {
    int64_t batch_size;
    int32_t target_partitions;
    const catalog_identity *identity;
    func_call_ctx *call; /* for evaluating VALUES at planning time */
    /* Joins with keys: SortMergeJoinExec instead of HashJoinExec (the
     * negation of datafusion.optimizer.prefer_hash_join; false, the
     * zero value, means hash joins). */
    bool prefer_sort_merge_join;
} exec_plan_options;

/* The operator tree for a logical plan; its root has one partition. */
qv_status exec_plan_create(const plan_node *root, const exec_plan_options *options, exec_node **out,
                           qv_error *err);
/* The indented physical plan as EXPLAIN prints it; with metrics for
 * EXPLAIN ANALYZE. */
void exec_plan_format(const exec_node *root, bool with_metrics, base_strbuf *sb);

#endif /* QV_EXEC_H */
