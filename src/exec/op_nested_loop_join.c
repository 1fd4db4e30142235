/*
 * op_nested_loop_join.c — NestedLoopJoinExec and CrossJoinExec (layer:
 * exec): joins without usable keys. The left input is collected once
 * (join_build.c) and every pair of a left row and a right row is a
 * candidate, checked by the keys when there are any and by the filter;
 * each right partition is one output partition (join_stream.c). An INNER
 * join without keys or filter is shown as CrossJoinExec. When every pair
 * matches and the type outputs no pairs (semi, anti, mark joins without a
 * condition), rows are marked matched without forming the pairs.
 */
#include "exec/join_int.h"

typedef struct nl_table {
    arrow_array **keys; /* the left key columns */
    uint8_t *null_rows; /* left rows with a NULL key, NULL when none */
} nl_table;

static void table_free(void *ptr)
{
    nl_table *t = ptr;
    if (t == NULL)
        return;
    base_free(t->keys);
    base_free(t->null_rows);
    base_free(t);
}

static qv_status build_table(join_build *build, const void *user, qv_error *err)
{
    const join_plan *plan = user;
    int64_t n = build->data->n_rows;
    nl_table *t = base_calloc(1, sizeof *t);
    if (t == NULL)
        return base_error_nomem(err, "nested loop join");
    build->table = t;
    build->table_free = table_free;
    if (plan->n_keys == 0)
        return QV_OK;
    t->keys = base_calloc((size_t)plan->n_keys, sizeof *t->keys);
    t->null_rows = base_alloc((size_t)n + 1);
    if (t->keys == NULL || t->null_rows == NULL)
        return base_error_nomem(err, "nested loop join");
    join_plan_key_arrays(plan, build->data, false, t->keys);
    if (join_keys_null_rows(plan->keys, t->keys, n, t->null_rows) == 0) {
        base_free(t->null_rows);
        t->null_rows = NULL;
    }
    return QV_OK;
}

/* True when left row l and right row r are a candidate pair. */
static bool keys_match(join_stream *s, const nl_table *t, bool skip_nulls, uint32_t l, int64_t r)
{
    const join_plan *plan = s->plan;
    if (plan->n_keys == 0)
        return true;
    if (skip_nulls && ((t->null_rows != NULL && t->null_rows[l]) || s->null_rows[r]))
        return false;
    return join_keys_equal(plan->keys, t->keys, l, s->keys, r);
}

/* The pairs in DataFusion's order when right rows are not tracked: each
 * left row against the whole right batch in turn (pos: the left row,
 * right_cursor: the right row within it). The batch is done (row set to
 * its end) only when every left row has been through it. */
static int64_t gather_left_major(join_stream *s, const nl_table *t, bool skip_nulls, int64_t limit)
{
    int64_t n_left = s->build->data->n_rows, n_rows = s->batch->n_rows;
    int64_t n = 0;
    while (s->pos < n_left && n < limit) {
        uint32_t l = s->pos;
        while (s->right_cursor < n_rows && n < limit) {
            int64_t r = s->right_cursor++;
            if (!keys_match(s, t, skip_nulls, l, r))
                continue;
            s->cand_l[n] = l;
            s->cand_r[n] = (uint32_t)r;
            n++;
        }
        if (s->right_cursor == n_rows) {
            s->right_cursor = 0;
            s->pos++;
        }
    }
    if (s->pos == n_left)
        s->row = n_rows;
    return n;
}

/* Every (left row, right row) pair in turn (join_gather_fn). */
static int64_t gather(join_stream *s, int64_t limit)
{
    const join_plan *plan = s->plan;
    int64_t n_left = s->build->data->n_rows, n_rows = s->batch->n_rows;
    if (plan->n_keys == 0 && plan->filter == NULL && !join_emits_pairs(plan->type)) {
        if (n_left > 0)
            join_block_match_all(&s->block);
        s->row = n_rows;
        return 0;
    }
    const nl_table *t = s->build->table;
    bool skip_nulls = plan->n_keys > 0 && !plan->null_equals_null;
    if (!join_tracks_right(plan->type))
        return gather_left_major(s, t, skip_nulls, limit);
    int64_t n = 0;
    while (s->row < n_rows && n < limit) {
        int64_t r = s->row;
        if (skip_nulls && s->null_rows[r]) {
            s->row++;
            continue;
        }
        while (s->pos < n_left && n < limit) {
            uint32_t l = s->pos++;
            if (!keys_match(s, t, skip_nulls, l, r))
                continue;
            s->cand_l[n] = l;
            s->cand_r[n] = (uint32_t)r;
            n++;
        }
        if (s->pos == n_left) {
            s->pos = 0;
            s->row++;
        }
    }
    return n;
}

static void nl_describe(const exec_node *node, base_strbuf *sb)
{
    const join_plan *plan = ((const join_collect_state *)node->state)->plan;
    join_plan_describe(plan, node, plan->n_keys > 0, sb);
    join_plan_describe_conditions(plan, sb);
}

static void cross_describe(const exec_node *node, base_strbuf *sb)
{
    (void)node;
    (void)sb;
}

static const exec_node_ops nested_loop_ops = {"NestedLoopJoinExec", join_stream_open, nl_describe,
                                              join_collect_free_state};
static const exec_node_ops cross_ops = {"CrossJoinExec", join_stream_open, cross_describe,
                                        join_collect_free_state};
static const join_collect_kind nested_loop_kind = {
    "NestedLoopJoinExec", "NestedLoopJoinExec[build]", build_table, gather, false};

qv_status exec_nested_loop_join_new(exec_node *left, exec_node *right, const exec_join_spec *spec,
                                    arrow_schema *schema, exec_node **out, qv_error *err)
{
    bool cross = spec->type == PLAN_JOIN_INNER && spec->n_keys == 0 && spec->filter == NULL;
    return join_collect_node_new(cross ? &cross_ops : &nested_loop_ops, &nested_loop_kind, left,
                                 right, spec, schema, out, err);
}
