/*
 * join_int.h — private to the join operators of the exec layer:
 * HashJoinExec (op_hash_join.c), NestedLoopJoinExec (op_nested_loop_join.c)
 * and SortMergeJoinExec (op_sort_merge_join.c), and the pieces they share:
 *
 *   join_plan.c    the copied join spec, EXPLAIN text, output schemas;
 *   join_keys.c    hashing and comparing rows of key columns;
 *   join_filter.c  the join filter, evaluated on candidate row pairs;
 *   join_block.c   turning candidate pairs of a left and a right block of
 *                  rows into output (filter, matched flags, the rows each
 *                  join type emits) and the output queue;
 *   join_build.c   collecting the left input once for all output
 *                  partitions, the shared matched flags of its rows and
 *                  the "last partition to finish" hand-off;
 *   join_stream.c  an output partition of the hash and nested loop joins
 *                  (they differ only in how they gather candidate pairs).
 *
 * Terms: the left input is the build side (collected), the right input the
 * probe side (streamed). A "block" is a batch of left rows and a batch of
 * right rows whose pairs are being joined: for hash and nested loop joins
 * the whole build side and one probe batch, for the merge join one run of
 * equal keys from each side.
 */
#ifndef QV_EXEC_JOIN_INT_H
#define QV_EXEC_JOIN_INT_H

#include <pthread.h>

#include "exec/exec.h"

/* ---- join types ---- */

/* Output pairs of rows (INNER, LEFT, RIGHT, FULL). */
static inline bool join_emits_pairs(plan_join_type t)
{
    return t == PLAN_JOIN_INNER || t == PLAN_JOIN_LEFT || t == PLAN_JOIN_RIGHT ||
           t == PLAN_JOIN_FULL;
}

/* Needs to know, after all pairs, which left rows matched. */
static inline bool join_tracks_left(plan_join_type t)
{
    return t == PLAN_JOIN_LEFT || t == PLAN_JOIN_FULL || t == PLAN_JOIN_LEFT_SEMI ||
           t == PLAN_JOIN_LEFT_ANTI || t == PLAN_JOIN_LEFT_MARK;
}

/* Needs to know, after all pairs, which right rows matched. */
static inline bool join_tracks_right(plan_join_type t)
{
    return t == PLAN_JOIN_RIGHT || t == PLAN_JOIN_FULL || t == PLAN_JOIN_RIGHT_SEMI ||
           t == PLAN_JOIN_RIGHT_ANTI;
}

/* Output is empty when the left input is empty. */
static inline bool join_empty_without_left(plan_join_type t)
{
    return t != PLAN_JOIN_RIGHT && t != PLAN_JOIN_FULL && t != PLAN_JOIN_RIGHT_ANTI;
}

/* Candidate pairs handled per round: output batches are then cut to
 * ctx->batch_size rows, so this only bounds the work (and memory) of one
 * round and keeps tiny batch sizes from evaluating filters row by row. */
static inline int64_t join_chunk_rows(const exec_ctx *ctx)
{
    /* A multiple of the batch size, so that rounds cut into full batches. */
    int64_t size = ctx->batch_size;
    return size >= 1024 ? size : (1024 + size - 1) / size * size;
}

/* ---- key rows (join_keys.c) ----
 * Key equality is Arrow's: values of one type equal when their bytes are
 * (floats by bit pattern, as DataFusion's hash join compares them), nested
 * and dictionary values through the row comparator; two NULLs are equal
 * (callers drop NULL keys first unless null_equals_null). Equal rows have
 * equal hashes. */
typedef struct join_keys join_keys;
qv_status join_keys_new(int32_t n_keys, arrow_type *const *types, join_keys **out, qv_error *err);
void join_keys_free(join_keys *keys);
/* hashes[0..n_rows) of the rows of arrays (n_keys arrays of n_rows). */
qv_status join_keys_hash(const join_keys *keys, arrow_array *const *arrays, int64_t n_rows,
                         uint64_t *hashes, qv_error *err);
/* Sets null_rows[i] to 1 where some key of row i is NULL, else 0; returns
 * how many rows have one. */
int64_t join_keys_null_rows(const join_keys *keys, arrow_array *const *arrays, int64_t n_rows,
                            uint8_t *null_rows);
bool join_keys_row_has_null(const join_keys *keys, arrow_array *const *arrays, int64_t i);
bool join_keys_equal(const join_keys *keys, arrow_array *const *a, int64_t i, arrow_array *const *b,
                     int64_t j);

/* ---- the join filter (join_filter.c) ----
 * A private copy of the filter with its columns renumbered over an
 * intermediate schema holding only the columns it reads: the left input's
 * (ascending), then the right input's — DataFusion's JoinFilter, which is
 * also how EXPLAIN prints it (`filter=a@0 < b@1`). */
typedef struct join_filter join_filter;
qv_status join_filter_new(const plan_expr *expr, int32_t n_columns, const exec_join_column *columns,
                          const arrow_schema *left, const arrow_schema *right, join_filter **out,
                          qv_error *err);
void join_filter_free(join_filter *filter);
/* Keeps, in order, the pairs (l[i], r[i]) of rows of left x right for which
 * the filter is true; *n is updated. */
qv_status join_filter_pairs(const join_filter *filter, arrow_batch *left, arrow_batch *right,
                            uint32_t *l, uint32_t *r, int64_t *n, func_call_ctx *call,
                            qv_error *err);
void join_filter_describe(const join_filter *filter, base_strbuf *sb);

/* ---- the join plan (join_plan.c) ---- */
typedef struct join_plan {
    plan_join_type type;
    int32_t n_keys;
    int32_t *left_keys; /* input columns */
    int32_t *right_keys;
    bool null_equals_null;
    bool null_aware;
    join_keys *keys;     /* of the key types; NULL without keys */
    join_filter *filter; /* NULL: none */
    plan_expr **kept;    /* expressions the planner made for the join (see below) */
    int32_t n_kept;
} join_plan;

/* Checks and copies spec for inputs left and right. The output schema
 * (schema, or NULL for exec_join_output_schema) must have the join type's
 * columns with the inputs' types; *out_schema gets a new reference. */
qv_status join_plan_new(const char *op_name, const exec_join_spec *spec, const arrow_schema *left,
                        const arrow_schema *right, arrow_schema *schema, join_plan **out,
                        arrow_schema **out_schema, qv_error *err);
void join_plan_free(join_plan *plan);
/* Appends "join_type=Inner" and, with keys, ", on=[(a@0, b@0)]". */
void join_plan_describe(const join_plan *plan, const exec_node *node, bool with_keys,
                        base_strbuf *sb);
/* Appends ", filter=..." when there is a filter, ", NullsEqual: true" when
 * NULL keys match and ", null_aware" for a null-aware anti join. */
void join_plan_describe_conditions(const join_plan *plan, base_strbuf *sb);
/* Gives the join node expressions the physical planner made for the
 * projections around it (column references, allocated one by one with
 * base_alloc): they are freed with the node's state, before its children,
 * which borrow them but do not read them while being freed. The state of
 * every join node starts with its join_plan pointer. On failure the
 * expressions are freed at once. */
qv_status join_node_keep_exprs(exec_node *join, plan_expr *const *exprs, int32_t n, qv_error *err);
/* The key columns of a batch of the left / right input (n_keys pointers
 * into out). */
void join_plan_key_arrays(const join_plan *plan, arrow_batch *batch, bool right, arrow_array **out);

/* ---- output (join_block.c) ---- */

/* array[indices[i]] for i < n (UINT32_MAX: NULL); a slice when the indices
 * are consecutive. */
qv_status join_take(arrow_array *array, const uint32_t *indices, int64_t n, arrow_array **out,
                    qv_error *err);

/* Output batches waiting to be handed out, cut to batch_size rows. */
typedef struct join_queue {
    arrow_batch **items;
    int32_t head, n, cap;
    int64_t pos; /* rows of items[head] already handed out */
} join_queue;
/* Appends batch (the caller's reference moves to the queue; empty batches
 * are dropped). */
qv_status join_queue_push(join_queue *queue, arrow_batch *batch, qv_error *err);
/* The next at most max_rows rows (new reference), or NULL when empty. */
qv_status join_queue_pop(join_queue *queue, int64_t max_rows, arrow_batch **out, qv_error *err);
void join_queue_clear(join_queue *queue);

/* The left and right rows being joined, and where their output goes. */
typedef struct join_block {
    const join_plan *plan;
    arrow_schema *schema; /* output */
    func_call_ctx *call;
    join_queue *queue;
    arrow_batch *left;
    _Atomic uint8_t *left_matched; /* per left row (types that track them), else NULL */
    arrow_batch *right;
    uint8_t *right_matched; /* per right row (types that track them), else NULL */
} join_block;

/* Candidate pairs (l[i], r[i]), keys already equal: keeps those the filter
 * accepts, records matches and queues what the type outputs. Right rows
 * [done_from, done_to) have had all their candidates by now (pairs then
 * come in ascending right row order, from done_from on): they are emitted
 * too, interleaved with the pairs in right row order for RIGHT / FULL (as
 * DataFusion keeps the probe side's order), after them for RIGHT_SEMI /
 * RIGHT_ANTI. An empty range leaves right rows to join_block_right_rows.
 * l and r are overwritten. */
qv_status join_block_pairs(join_block *block, uint32_t *l, uint32_t *r, int64_t n,
                           int64_t done_from, int64_t done_to, qv_error *err);
/* Marks every pair of the block as matched (no filter, keys equal) without
 * producing pairs; for types that do not output pairs. */
void join_block_match_all(join_block *block);
/* Queues what right rows [from, to) produce once all their pairs are done:
 * RIGHT / FULL the unmatched ones with NULL left columns, RIGHT_SEMI the
 * matched ones, RIGHT_ANTI the unmatched ones. right_matched NULL: none
 * matched. */
qv_status join_block_right_rows(join_block *block, int64_t from, int64_t to, qv_error *err);

/* What a null-aware anti join knows about the right input at the end. */
typedef struct join_null_aware {
    bool right_empty;
    bool right_has_null;
} join_null_aware;
/* The same for left rows [from, to): LEFT / FULL unmatched with NULL right
 * columns, LEFT_SEMI matched, LEFT_ANTI unmatched (null_aware: as plan.h
 * says), LEFT_MARK all with the mark. left_matched NULL: none matched. */
qv_status join_block_left_rows(join_block *block, int64_t from, int64_t to,
                               const join_null_aware *null_aware, qv_error *err);

/* ---- the shared build side (join_build.c) ----
 * The left input is collected once per execution of the node and shared by
 * the streams of all its output partitions. The first stream that needs it
 * drains the left partitions: with a thread pool, one task per partition,
 * and every stream that needs the result waits on that task group (helping
 * with queued work); the drains run with a copy of the context without the
 * pool, so a drain never picks up an unrelated task that could need this
 * very build (which would wait on itself). Without a pool the first stream
 * drains inline and the others (other threads, also pool-free) wait for it.
 * Whoever sees the drains complete first concatenates the batches and calls
 * the operator's finish hook (hash table), under the lock.
 *
 * Executions: partitions may be opened one after another (a coalescing
 * parent) or together. A stream opening a partition already opened in the
 * current execution, or after a stream was closed before finishing, starts
 * a new execution; the build of an execution is freed once all of its
 * partitions were opened and closed (or with the node). */
typedef struct join_build join_build;
/* Called once with the collected left rows (build->data) to build the
 * operator's structure in build->table / table_free. */
typedef qv_status (*join_finish_fn)(join_build *build, const void *user, qv_error *err);

struct join_build {
    arrow_batch *data; /* every left row; valid once ready */
    void *table;       /* the operator's structure, freed by table_free */
    void (*table_free)(void *table);
    _Atomic uint8_t *matched; /* per left row, for types that track them */
    base_mem_reservation *reservation;
    /* Facts about the probe side, gathered by the streams. */
    _Atomic int64_t probe_rows;
    _Atomic bool probe_has_null_key;
    struct join_build_private *priv;
};

typedef struct join_build_holder {
    pthread_mutex_t lock;
    join_build *current;
} join_build_holder;
void join_build_holder_init(join_build_holder *holder);
/* Frees the current build (no stream may be open). */
void join_build_holder_destroy(join_build_holder *holder);

typedef struct join_build_config {
    exec_node *left;       /* the left input */
    int32_t n_probes;      /* output partitions sharing the build */
    bool track_matches;    /* allocate build->matched */
    const char *consumer;  /* memory reservation name, e.g. "HashJoinExec[build]" */
    join_finish_fn finish; /* NULL: nothing beyond data */
    const void *user;      /* for finish */
    exec_metrics *metrics; /* the join's, for its memory peak */
} join_build_config;

/* The build of the current execution for a stream opening `partition`
 * (one reference; give it back with join_build_release). */
qv_status join_build_acquire(join_build_holder *holder, const join_build_config *config,
                             int32_t partition, join_build **out, qv_error *err);
/* finished: the stream read all of its right input. A stream given up
 * before that ends the execution (a later open starts a new one). */
void join_build_release(join_build_holder *holder, join_build *build, bool finished);
/* Collects the left input unless done already; QV_OK once build->data and
 * build->table are ready, or the build's error (the same for every stream). */
qv_status join_build_ready(join_build *build, exec_ctx *ctx, qv_error *err);
/* A stream has read all of its right input; true for the last of the
 * execution's streams to do so (which then emits the left rows). */
bool join_build_probe_done(join_build *build);

/* ---- the probe stream (join_stream.c) ----
 * One output partition of a hash or nested loop join: waits for the build,
 * then for each batch of its right partition asks the operator's gather
 * function for rounds of candidate pairs, joins them (join_block.c) and
 * emits the right rows the type wants; the partition that finishes last
 * emits the left rows the type wants. */
typedef struct join_stream join_stream;
/* Up to limit candidate pairs (keys equal) into cand_l / cand_r, resuming
 * where the last call stopped; sets row to batch->n_rows when the batch is
 * done. */
typedef int64_t (*join_gather_fn)(join_stream *s, int64_t limit);

struct join_stream {
    exec_stream base;
    exec_ctx *ctx;
    const join_plan *plan;
    join_build_holder *holder;
    join_build *build;
    exec_stream *right;
    func_call_ctx call;
    int phase;
    join_queue queue;
    join_block block;
    join_gather_fn gather;
    bool hash_rows;
    int64_t chunk;
    uint32_t *cand_l, *cand_r;
    /* The right batch being joined. */
    arrow_batch *batch;
    arrow_array **keys; /* its key columns */
    uint64_t *hashes;   /* of its key rows (when the operator asks) */
    uint8_t *null_rows; /* 1 where a key is NULL */
    uint8_t *matched;
    int64_t cap;
    /* Where gather stands: the right row, and an operator-defined position
     * within it (a hash chain link, a left row). */
    int64_t row;
    bool in_row;
    uint32_t pos;
    int64_t right_cursor; /* nested loop, left-major: the right row */
    int64_t left_pos;     /* left rows emitted at the end */
    bool finished;        /* the right input was read to its end */
};

/* ---- hash and nested loop join nodes (join_stream.c) ----
 * What the operator supplies: how it builds its table from the left rows
 * and how it gathers candidate pairs from it. */
typedef struct join_collect_kind {
    const char *name;      /* "HashJoinExec" (errors) */
    const char *consumer;  /* build reservation name, "HashJoinExec[build]" */
    join_finish_fn finish; /* called with the node's join_plan as user */
    join_gather_fn gather;
    bool hash_rows; /* compute hashes of the right key rows */
} join_collect_kind;

typedef struct join_collect_state {
    join_plan *plan; /* first (join_node_keep_exprs) */
    join_build_holder holder;
    const join_collect_kind *kind; /* static */
} join_collect_state;

/* A new join node with ops, whose open must be join_stream_open and
 * free_state join_collect_free_state; left and right are taken (freed on
 * failure), as exec_hash_join_new says. */
qv_status join_collect_node_new(const exec_node_ops *ops, const join_collect_kind *kind,
                                exec_node *left, exec_node *right, const exec_join_spec *spec,
                                arrow_schema *schema, exec_node **out, qv_error *err);
void join_collect_free_state(exec_node *node);
/* Opens output partition `partition` of such a node (exec_node_ops.open). */
qv_status join_stream_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                           qv_error *err);

#endif /* QV_EXEC_JOIN_INT_H */
