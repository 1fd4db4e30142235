/*
 * op_hash_join.c — HashJoinExec (layer: exec): an equi-join that collects
 * the left input into a hash table (DataFusion's CollectLeft mode) and
 * streams each right partition through it, one output partition per right
 * partition.
 *
 * The table: the build rows' key hashes, a power-of-two bucket array
 * holding the first row of each bucket and a `next` link per row (rows in
 * ascending order along a chain); rows with a NULL key are left out unless
 * NULLs match. Probing hashes a right batch at once, then walks one chain
 * per row, comparing stored hashes before keys, and hands the candidate
 * pairs to join_block.c a round (join_chunk_rows) at a time, so a batch
 * with many matches never turns into one huge output. The stream around
 * it is join_stream.c's; collection and the shared matched flags are
 * join_build.c's.
 */
#include "exec/join_int.h"

typedef struct hash_table {
    uint64_t *hashes;   /* per build row */
    uint32_t *heads;    /* per bucket: first row + 1, 0 when empty */
    uint32_t *next;     /* per build row: next row of the chain + 1, 0 at the end */
    uint64_t mask;      /* buckets - 1 */
    arrow_array **keys; /* the key columns of the build rows */
} hash_table;

/* ---- building ---- */

static void table_free(void *ptr)
{
    hash_table *t = ptr;
    if (t == NULL)
        return;
    base_free(t->hashes);
    base_free(t->heads);
    base_free(t->next);
    base_free(t->keys);
    base_free(t);
}

static qv_status build_table(join_build *build, const void *user, qv_error *err)
{
    const join_plan *plan = user;
    int64_t n = build->data->n_rows;
    int64_t n_buckets = 16;
    while (n_buckets < 2 * n)
        n_buckets *= 2;
    QV_TRY(base_mem_reservation_try_grow(build->reservation, n * 13 + n_buckets * 4, err));
    hash_table *t = base_calloc(1, sizeof *t);
    if (t == NULL)
        return base_error_nomem(err, "hash join table");
    build->table = t;
    build->table_free = table_free;
    t->hashes = base_alloc((size_t)(n + 1) * sizeof *t->hashes);
    t->next = base_alloc((size_t)(n + 1) * sizeof *t->next);
    t->heads = base_calloc((size_t)n_buckets, sizeof *t->heads);
    t->keys = base_calloc((size_t)plan->n_keys + 1, sizeof *t->keys);
    uint8_t *null_rows = plan->null_equals_null ? NULL : base_alloc((size_t)n + 1);
    if (t->hashes == NULL || t->next == NULL || t->heads == NULL || t->keys == NULL ||
        (!plan->null_equals_null && null_rows == NULL)) {
        base_free(null_rows);
        return base_error_nomem(err, "hash join table");
    }
    t->mask = (uint64_t)n_buckets - 1;
    join_plan_key_arrays(plan, build->data, false, t->keys);
    qv_status st = join_keys_hash(plan->keys, t->keys, n, t->hashes, err);
    if (st == QV_OK && null_rows != NULL &&
        join_keys_null_rows(plan->keys, t->keys, n, null_rows) == 0) {
        base_free(null_rows);
        null_rows = NULL;
    }
    /* Inserted backwards so that every chain runs in ascending row order. */
    for (int64_t i = n - 1; i >= 0 && st == QV_OK; i--) {
        if (null_rows != NULL && null_rows[i]) {
            t->next[i] = 0;
            continue;
        }
        uint64_t bucket = t->hashes[i] & t->mask;
        t->next[i] = t->heads[bucket];
        t->heads[bucket] = (uint32_t)i + 1;
    }
    base_free(null_rows);
    return st;
}

/* ---- probing ---- */

/* Walks one hash chain per right row (join_gather_fn). */
static int64_t gather(join_stream *s, int64_t limit)
{
    const hash_table *t = s->build->table;
    const join_plan *plan = s->plan;
    bool skip_nulls = !plan->null_equals_null;
    /* Existence is enough for right semi / anti joins without a filter. */
    bool first_only = plan->filter == NULL &&
                      (plan->type == PLAN_JOIN_RIGHT_SEMI || plan->type == PLAN_JOIN_RIGHT_ANTI);
    int64_t n = 0, n_rows = s->batch->n_rows;
    while (s->row < n_rows && n < limit) {
        int64_t r = s->row;
        if (!s->in_row) {
            if (skip_nulls && s->null_rows[r]) {
                s->row++;
                continue;
            }
            s->pos = t->heads[s->hashes[r] & t->mask];
            s->in_row = true;
        }
        while (s->pos != 0 && n < limit) {
            uint32_t j = s->pos - 1;
            s->pos = t->next[j];
            if (t->hashes[j] == s->hashes[r] &&
                join_keys_equal(plan->keys, t->keys, j, s->keys, r)) {
                s->cand_l[n] = j;
                s->cand_r[n] = (uint32_t)r;
                n++;
                if (first_only)
                    s->pos = 0;
            }
        }
        if (s->pos == 0) {
            s->in_row = false;
            s->row++;
        }
    }
    return n;
}

static void hj_describe(const exec_node *node, base_strbuf *sb)
{
    const join_plan *plan = ((const join_collect_state *)node->state)->plan;
    base_strbuf_append_str(sb, "mode=CollectLeft, ");
    join_plan_describe(plan, node, true, sb);
    join_plan_describe_conditions(plan, sb);
}

static const exec_node_ops hash_join_ops = {"HashJoinExec", join_stream_open, hj_describe,
                                            join_collect_free_state};
static const join_collect_kind hash_join_kind = {"HashJoinExec", "HashJoinExec[build]", build_table,
                                                 gather, true};

qv_status exec_hash_join_new(exec_node *left, exec_node *right, const exec_join_spec *spec,
                             arrow_schema *schema, exec_node **out, qv_error *err)
{
    if (spec->n_keys == 0) {
        *out = NULL;
        exec_node_free(left);
        exec_node_free(right);
        return base_error_set(err, QV_MISUSE, "HashJoinExec needs at least one key");
    }
    return join_collect_node_new(&hash_join_ops, &hash_join_kind, left, right, spec, schema, out,
                                 err);
}
