/*
 * push_projection.c — the projection pushdown rule (layer: optimizer):
 * only the columns someone above needs are read and computed. Walking down
 * from the root (which needs all its columns), every node learns which of
 * its output columns are required and asks its input for the columns those
 * need:
 *   - SCAN reads only the required columns (PLAN_SCAN.projection, and its
 *     schema shrinks to them; an explicit list even when all are needed,
 *     as DataFusion shows it; none at all for SELECT count(*));
 *   - PROJECTION drops expressions nobody reads (and goes altogether when
 *     none is read), and merges with a projection right below it (unless
 *     an inner expression would then be computed twice, or is volatile);
 *   - AGGREGATE drops calls nobody reads (groups always stay: they decide
 *     the rows; without groups one call stays);
 *   - UNION drops columns from every input (an input that cannot shed
 *     exactly those gets a projection);
 *   - FILTER, SORT and LIMIT pass the request on, adding the columns of
 *     their predicate / keys;
 *   - JOIN asks each input for the required columns of its side plus those
 *     its keys and filter read;
 *   - WINDOW drops calls nobody reads (and goes when none is read).
 * A node may return more columns than requested (a filter's predicate
 * columns); it reports where each old column went (a map) and the node
 * above rewrites its column references through it. Expressions that are
 * dropped are never evaluated, as in DataFusion: an error they would have
 * raised (SELECT count(*) FROM (SELECT 1 / a FROM t)) does not happen.
 */
#include <string.h>

#include "optimizer/optimizer_int.h"

typedef struct pproj {
    plan_ctx *ctx;
    bool changed;
    bool nomem;
} pproj;

static plan_node *prune(pproj *p, plan_node *node, const bool *required, int32_t **map);

static void *alloc_zero(pproj *p, size_t n, size_t size)
{
    void *mem = plan_alloc(p->ctx, (n > 0 ? n : 1) * size);
    p->nomem |= mem == NULL;
    return mem;
}

/* e with its columns renumbered through map (NULL: unchanged). */
static plan_expr *remap(pproj *p, plan_expr *e, const int32_t *map)
{
    if (e == NULL || map == NULL)
        return e;
    plan_expr *copy = plan_expr_copy(p->ctx, e, map);
    p->nomem |= copy == NULL;
    return copy;
}

/* The compaction map of keep (kept columns numbered in order, others -1). */
static int32_t *compaction(pproj *p, const bool *keep, int32_t n, int32_t *n_kept)
{
    int32_t *map = alloc_zero(p, (size_t)n, sizeof *map);
    *n_kept = 0;
    for (int32_t i = 0; map != NULL && i < n; i++)
        map[i] = keep[i] ? (*n_kept)++ : -1;
    return map;
}

/* A schema of the kept columns of from. */
static bool subset_schema(pproj *p, const plan_schema *from, const bool *keep, plan_schema *out)
{
    int32_t k = 0;
    for (int32_t i = 0; i < from->n_columns; i++)
        k += keep[i];
    if (!plan_schema_init(p->ctx, out, k)) {
        p->nomem = true;
        return false;
    }
    k = 0;
    for (int32_t i = 0; i < from->n_columns; i++)
        if (keep[i])
            out->columns[k++] = from->columns[i];
    return true;
}

/* ---- nodes ---- */

static plan_node *prune_scan(pproj *p, plan_node *node, const bool *required, int32_t **map)
{
    int32_t n = node->schema.n_columns, k = 0;
    for (int32_t i = 0; i < n; i++)
        k += required[i];
    if (k == n && node->projection != NULL)
        return node;
    plan_node *scan = opt_node_copy(p->ctx, node);
    int32_t *projection = alloc_zero(p, (size_t)k, sizeof *projection);
    if (scan == NULL || projection == NULL) {
        p->nomem = true;
        return node;
    }
    int32_t j = 0;
    for (int32_t i = 0; i < n; i++)
        if (required[i])
            projection[j++] = node->projection != NULL ? node->projection[i] : i;
    scan->projection = projection;
    scan->n_projection = k;
    p->changed = true;
    if (k == n)
        return scan;
    if (!subset_schema(p, &node->schema, required, &scan->schema))
        return node;
    *map = compaction(p, required, n, &k);
    return scan;
}

/* Adds to uses[c] the number of times e reads column c. */
static void count_references(const plan_expr *e, int32_t *uses)
{
    if (e == NULL)
        return;
    if (e->kind == PLAN_EXPR_COLUMN)
        uses[e->column]++;
    for (int32_t i = 0; i < e->n_args; i++)
        count_references(e->args[i], uses);
}

/* A projection over a projection as one projection (outer expressions
 * with the inner ones substituted), when no inner expression that does
 * work would be computed twice and none is volatile; node itself
 * otherwise. */
static plan_node *merge_projections(pproj *p, plan_node *node)
{
    plan_node *inner = node->inputs[0];
    if (inner->kind != PLAN_PROJECTION)
        return node;
    int32_t n_inner = inner->n_exprs;
    int32_t *uses = alloc_zero(p, (size_t)n_inner, sizeof *uses);
    if (uses == NULL)
        return node;
    for (int32_t i = 0; i < node->n_exprs; i++)
        count_references(node->exprs[i], uses);
    for (int32_t c = 0; c < n_inner; c++) {
        const plan_expr *e = inner->exprs[c];
        bool trivial = e->kind == PLAN_EXPR_COLUMN || e->kind == PLAN_EXPR_LITERAL;
        if (uses[c] > 0 && (opt_expr_volatile(e) || (uses[c] > 1 && !trivial)))
            return node;
    }
    plan_node *merged = opt_node_with_inputs(p->ctx, node, &inner->inputs[0]);
    plan_expr **exprs = alloc_zero(p, (size_t)node->n_exprs, sizeof *exprs);
    if (merged == NULL || exprs == NULL) {
        p->nomem = true;
        return node;
    }
    for (int32_t i = 0; i < node->n_exprs; i++)
        if ((exprs[i] = opt_expr_substitute(p->ctx, node->exprs[i], inner->exprs)) == NULL) {
            p->nomem = true;
            return node;
        }
    merged->exprs = exprs;
    p->changed = true;
    return merged;
}

static plan_node *prune_projection(pproj *p, plan_node *node, const bool *required, int32_t **map)
{
    plan_node *input = node->inputs[0];
    int32_t n = node->n_exprs, k = 0;
    bool *needed = alloc_zero(p, (size_t)input->schema.n_columns, sizeof *needed);
    if (needed == NULL)
        return node;
    for (int32_t i = 0; i < n; i++)
        if (required[i]) {
            k++;
            plan_expr_columns_used(node->exprs[i], needed);
        }
    int32_t *child_map = NULL;
    plan_node *child = prune(p, input, needed, &child_map);
    if (p->nomem)
        return node;
    if (k == n && child == input && child_map == NULL)
        return merge_projections(p, node);
    if (k == 0) {
        /* Nothing is read from it: the input serves (its rows are the
         * projection's rows), with every column marked dropped. */
        int32_t *none = alloc_zero(p, (size_t)n, sizeof *none);
        if (none == NULL)
            return node;
        for (int32_t i = 0; i < n; i++)
            none[i] = -1;
        *map = none;
        p->changed = true;
        return child;
    }
    plan_node *proj = opt_node_with_inputs(p->ctx, node, &child);
    plan_expr **exprs = alloc_zero(p, (size_t)k, sizeof *exprs);
    if (proj == NULL || exprs == NULL) {
        p->nomem = true;
        return node;
    }
    int32_t j = 0;
    for (int32_t i = 0; i < n; i++)
        if (required[i])
            exprs[j++] = remap(p, node->exprs[i], child_map);
    proj->exprs = exprs;
    proj->n_exprs = k;
    if (k < n) {
        p->changed = true;
        if (!subset_schema(p, &node->schema, required, &proj->schema))
            return node;
        *map = compaction(p, required, n, &k);
    }
    return merge_projections(p, proj);
}

/* FILTER, SORT, LIMIT: output columns are the input's. */
static plan_node *prune_pass_through(pproj *p, plan_node *node, const bool *required, int32_t **map)
{
    int32_t n = node->schema.n_columns;
    bool *needed = alloc_zero(p, (size_t)n, sizeof *needed);
    if (needed == NULL)
        return node;
    memcpy(needed, required, (size_t)n * sizeof *needed);
    if (node->kind == PLAN_FILTER)
        plan_expr_columns_used(node->exprs[0], needed);
    for (int32_t i = 0; node->kind == PLAN_SORT && i < node->n_keys; i++)
        plan_expr_columns_used(node->keys[i].expr, needed);
    int32_t *child_map = NULL;
    plan_node *child = prune(p, node->inputs[0], needed, &child_map);
    if (p->nomem || (child == node->inputs[0] && child_map == NULL))
        return node;
    plan_node *copy = opt_node_with_inputs(p->ctx, node, &child);
    if (copy == NULL) {
        p->nomem = true;
        return node;
    }
    if (node->kind == PLAN_FILTER) {
        copy->exprs = alloc_zero(p, 1, sizeof *copy->exprs);
        if (copy->exprs != NULL)
            copy->exprs[0] = remap(p, node->exprs[0], child_map);
    } else if (node->kind == PLAN_SORT && child_map != NULL) {
        copy->keys = alloc_zero(p, (size_t)node->n_keys, sizeof *copy->keys);
        for (int32_t i = 0; copy->keys != NULL && i < node->n_keys; i++) {
            copy->keys[i] = node->keys[i];
            copy->keys[i].expr = remap(p, node->keys[i].expr, child_map);
        }
    }
    *map = child_map;
    return copy;
}

static void agg_columns_used(const plan_agg_call *call, bool *needed)
{
    for (int32_t i = 0; i < call->n_args; i++)
        plan_expr_columns_used(call->args[i], needed);
    plan_expr_columns_used(call->filter, needed);
    for (int32_t i = 0; i < call->n_order; i++)
        plan_expr_columns_used(call->order[i].expr, needed);
}

static plan_agg_call remap_call(pproj *p, const plan_agg_call *call, const int32_t *map)
{
    plan_agg_call out = *call;
    if (map == NULL)
        return out;
    out.args = alloc_zero(p, (size_t)call->n_args, sizeof *out.args);
    for (int32_t i = 0; out.args != NULL && i < call->n_args; i++)
        out.args[i] = remap(p, call->args[i], map);
    out.filter = remap(p, call->filter, map);
    if (call->n_order > 0) {
        out.order = alloc_zero(p, (size_t)call->n_order, sizeof *out.order);
        for (int32_t i = 0; out.order != NULL && i < call->n_order; i++) {
            out.order[i] = call->order[i];
            out.order[i].expr = remap(p, call->order[i].expr, map);
        }
    }
    return out;
}

static plan_node *prune_aggregate(pproj *p, plan_node *node, const bool *required, int32_t **map)
{
    int32_t n_keys = node->n_groups + (node->n_grouping_sets > 0 ? 1 : 0);
    int32_t n = node->schema.n_columns, n_aggs = node->n_aggs;
    bool *keep = alloc_zero(p, (size_t)n, sizeof *keep);
    bool *needed = alloc_zero(p, (size_t)node->inputs[0]->schema.n_columns, sizeof *needed);
    if (keep == NULL || needed == NULL)
        return node;
    int32_t kept_aggs = 0;
    for (int32_t i = 0; i < n; i++) {
        keep[i] = i < n_keys || required[i];
        kept_aggs += i >= n_keys && keep[i];
    }
    if (node->n_groups == 0 && kept_aggs == 0 && n_aggs > 0) {
        keep[n_keys] = true;
        kept_aggs = 1;
    }
    for (int32_t g = 0; g < node->n_groups; g++)
        plan_expr_columns_used(node->groups[g], needed);
    for (int32_t a = 0; a < n_aggs; a++)
        if (keep[n_keys + a])
            agg_columns_used(&node->aggs[a], needed);
    int32_t *child_map = NULL;
    plan_node *child = prune(p, node->inputs[0], needed, &child_map);
    if (p->nomem || (kept_aggs == n_aggs && child == node->inputs[0] && child_map == NULL))
        return node;
    plan_node *agg = opt_node_with_inputs(p->ctx, node, &child);
    plan_expr **groups = alloc_zero(p, (size_t)node->n_groups, sizeof *groups);
    plan_agg_call *aggs = alloc_zero(p, (size_t)kept_aggs, sizeof *aggs);
    if (agg == NULL || groups == NULL || aggs == NULL) {
        p->nomem = true;
        return node;
    }
    for (int32_t g = 0; g < node->n_groups; g++)
        groups[g] = remap(p, node->groups[g], child_map);
    int32_t j = 0;
    for (int32_t a = 0; a < n_aggs; a++)
        if (keep[n_keys + a])
            aggs[j++] = remap_call(p, &node->aggs[a], child_map);
    agg->groups = groups;
    agg->aggs = aggs;
    agg->n_aggs = kept_aggs;
    if (kept_aggs < n_aggs) {
        p->changed = true;
        int32_t k;
        if (!subset_schema(p, &node->schema, keep, &agg->schema))
            return node;
        *map = compaction(p, keep, n, &k);
    }
    return agg;
}

static plan_node *prune_union(pproj *p, plan_node *node, const bool *required, int32_t **map)
{
    int32_t n = node->schema.n_columns, k = 0;
    bool *keep = alloc_zero(p, (size_t)n, sizeof *keep);
    plan_node **inputs = alloc_zero(p, (size_t)node->n_inputs, sizeof *inputs);
    int32_t *cols = alloc_zero(p, (size_t)n, sizeof *cols);
    if (keep == NULL || inputs == NULL || cols == NULL)
        return node;
    memcpy(keep, required, (size_t)n * sizeof *keep);
    for (int32_t i = 0; i < n; i++)
        k += keep[i];
    if (k == 0 && n > 0) { /* keep a column: the inputs' rows still count */
        keep[0] = true;
        k = 1;
    }
    bool inputs_changed = false;
    for (int32_t i = 0; i < node->n_inputs && !p->nomem; i++) {
        plan_node *in = node->inputs[i];
        int32_t *in_map = NULL;
        plan_node *child = prune(p, in, keep, &in_map);
        if (p->nomem)
            return node;
        /* The input must produce exactly the kept columns, in order. */
        bool exact = child->schema.n_columns == k;
        for (int32_t c = 0, j = 0; c < n; c++)
            if (keep[c]) {
                cols[j] = in_map != NULL ? in_map[c] : c;
                exact &= cols[j] == j;
                j++;
            }
        if (!exact && (child = opt_project_columns(p->ctx, child, k, cols, NULL)) == NULL) {
            p->nomem = true;
            return node;
        }
        inputs[i] = child;
        inputs_changed |= child != in;
    }
    if (k == n && !inputs_changed)
        return node;
    plan_node *u = opt_node_with_inputs(p->ctx, node, inputs);
    if (u == NULL) {
        p->nomem = true;
        return node;
    }
    if (k < n) {
        p->changed = true;
        if (!subset_schema(p, &node->schema, keep, &u->schema))
            return node;
        *map = compaction(p, keep, n, &k);
    }
    return u;
}

/* where every column went: c < nl through left_map, the others through
 * right_map after the new left width (NULL maps: unchanged). */
static int32_t *join_map(pproj *p, int32_t nl, int32_t nr, const int32_t *left_map,
                         const int32_t *right_map, int32_t new_nl)
{
    int32_t *map = alloc_zero(p, (size_t)(nl + nr), sizeof *map);
    for (int32_t c = 0; map != NULL && c < nl + nr; c++) {
        int32_t m =
            c < nl ? (left_map ? left_map[c] : c) : (right_map ? right_map[c - nl] : c - nl);
        map[c] = m < 0 ? -1 : (c < nl ? m : new_nl + m);
    }
    return map;
}

/* Marks the first of n columns needed when none is. */
static void keep_one(bool *needed, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (needed[i])
            return;
    if (n > 0)
        needed[0] = true;
}

static plan_node *prune_join(pproj *p, plan_node *node, const bool *required, int32_t **map)
{
    plan_node *left = node->inputs[0], *right = node->inputs[1];
    int32_t nl = left->schema.n_columns, nr = right->schema.n_columns;
    int32_t n = node->schema.n_columns;
    bool keeps_left = plan_join_keeps_left(node->join_type);
    bool keeps_right = plan_join_keeps_right(node->join_type);
    bool *needed = alloc_zero(p, (size_t)(nl + nr), sizeof *needed);
    if (needed == NULL)
        return node;
    /* Output column i is input column (left ++ right) out_base + i. */
    int32_t out_base = keeps_left ? 0 : nl;
    int32_t n_from_inputs = (keeps_left ? nl : 0) + (keeps_right ? nr : 0);
    for (int32_t i = 0; i < n_from_inputs; i++)
        needed[out_base + i] |= required[i];
    for (int32_t k = 0; k < node->n_join_keys; k++) {
        plan_expr_columns_used(node->left_keys[k], needed);
        plan_expr_columns_used(node->right_keys[k], needed + nl);
    }
    plan_expr_columns_used(node->join_filter, needed);
    /* A join outputs every column of its inputs: each input keeps one
     * column at least, so that an input pruned to nothing does not come
     * back with columns the join's schema does not list. */
    keep_one(needed, nl);
    keep_one(needed + nl, nr);
    int32_t *left_map = NULL, *right_map = NULL;
    plan_node *inputs[2];
    inputs[0] = prune(p, left, needed, &left_map);
    inputs[1] = prune(p, right, needed + nl, &right_map);
    if (p->nomem || (inputs[0] == left && inputs[1] == right && !left_map && !right_map))
        return node;
    int32_t new_nl = inputs[0]->schema.n_columns;
    int32_t *both = join_map(p, nl, nr, left_map, right_map, new_nl);
    plan_node *join = opt_node_with_inputs(p->ctx, node, inputs);
    plan_expr **lk = alloc_zero(p, (size_t)node->n_join_keys, sizeof *lk);
    plan_expr **rk = alloc_zero(p, (size_t)node->n_join_keys, sizeof *rk);
    bool *keep = alloc_zero(p, (size_t)n, sizeof *keep);
    if (p->nomem || join == NULL || both == NULL) {
        p->nomem = true;
        return node;
    }
    for (int32_t k = 0; k < node->n_join_keys; k++) {
        lk[k] = remap(p, node->left_keys[k], left_map);
        rk[k] = remap(p, node->right_keys[k], right_map);
    }
    join->left_keys = lk;
    join->right_keys = rk;
    join->join_filter = remap(p, node->join_filter, both);
    for (int32_t i = 0; i < n; i++)
        keep[i] = i >= n_from_inputs || both[out_base + i] >= 0;
    if (!subset_schema(p, &node->schema, keep, &join->schema))
        return node;
    int32_t k;
    *map = compaction(p, keep, n, &k);
    p->changed |= k < n || inputs[0] != left || inputs[1] != right;
    return join;
}

/* WINDOW: calls nobody reads are dropped (the node goes when none is
 * read); its input is asked for the required columns and those the kept
 * calls read. */
static plan_node *prune_window(pproj *p, plan_node *node, const bool *required, int32_t **map)
{
    plan_node *input = node->inputs[0];
    int32_t n_in = input->schema.n_columns, n_calls = node->n_window_exprs;
    int32_t n = n_in + n_calls, kept = 0;
    bool *needed = alloc_zero(p, (size_t)n_in, sizeof *needed);
    if (needed == NULL)
        return node;
    memcpy(needed, required, (size_t)n_in * sizeof *needed);
    for (int32_t i = 0; i < n_calls; i++)
        if (required[n_in + i]) {
            kept++;
            plan_expr_columns_used(node->window_exprs[i], needed);
        }
    int32_t *child_map = NULL;
    plan_node *child = prune(p, input, needed, &child_map);
    if (p->nomem || (kept == n_calls && child == input && child_map == NULL))
        return node;
    int32_t new_in = child->schema.n_columns;
    int32_t *where = alloc_zero(p, (size_t)n, sizeof *where);
    if (where == NULL)
        return node;
    for (int32_t c = 0; c < n_in; c++)
        where[c] = child_map != NULL ? child_map[c] : c;
    p->changed = true;
    if (kept == 0) {
        for (int32_t i = 0; i < n_calls; i++)
            where[n_in + i] = -1;
        *map = where;
        return child;
    }
    plan_node *win = opt_node_with_inputs(p->ctx, node, &child);
    plan_expr **exprs = alloc_zero(p, (size_t)kept, sizeof *exprs);
    if (win == NULL || exprs == NULL || !plan_schema_init(p->ctx, &win->schema, new_in + kept)) {
        p->nomem = true;
        return node;
    }
    memcpy(win->schema.columns, child->schema.columns,
           (size_t)new_in * sizeof *win->schema.columns);
    int32_t j = 0;
    for (int32_t i = 0; i < n_calls; i++) {
        where[n_in + i] = -1;
        if (!required[n_in + i])
            continue;
        exprs[j] = remap(p, node->window_exprs[i], child_map);
        win->schema.columns[new_in + j] = node->schema.columns[n_in + i];
        where[n_in + i] = new_in + j;
        j++;
    }
    win->window_exprs = exprs;
    win->n_window_exprs = kept;
    *map = where;
    return win;
}

/* node reduced to (at least) the required output columns; *map gets where
 * each old column went (-1: dropped), or stays NULL when the columns did
 * not change. */
static plan_node *prune(pproj *p, plan_node *node, const bool *required, int32_t **map)
{
    *map = NULL;
    if (p->nomem)
        return node;
    switch (node->kind) {
    case PLAN_SCAN:
        return prune_scan(p, node, required, map);
    case PLAN_PROJECTION:
        return prune_projection(p, node, required, map);
    case PLAN_FILTER:
    case PLAN_SORT:
    case PLAN_LIMIT:
        return prune_pass_through(p, node, required, map);
    case PLAN_AGGREGATE:
        return prune_aggregate(p, node, required, map);
    case PLAN_UNION:
        return prune_union(p, node, required, map);
    case PLAN_JOIN:
        return prune_join(p, node, required, map);
    case PLAN_WINDOW:
        return prune_window(p, node, required, map);
    default: /* VALUES and EMPTY keep their columns */
        return node;
    }
}

qv_status opt_push_projection(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                              qv_error *err)
{
    pproj p = {.ctx = ctx};
    int32_t n = root->schema.n_columns;
    *changed = false;
    *out = NULL;
    bool *all = alloc_zero(&p, (size_t)n, sizeof *all);
    plan_node *result = root;
    int32_t *map = NULL;
    if (all != NULL) {
        for (int32_t i = 0; i < n; i++)
            all[i] = true;
        result = prune(&p, root, all, &map);
    }
    /* Every root column was required, so none moved; guard the contract. */
    bool moved = false;
    for (int32_t i = 0; map != NULL && i < n; i++)
        moved |= map[i] != i;
    if (!p.nomem && map != NULL && (moved || result->schema.n_columns != n)) {
        result = opt_project_columns(ctx, result, n, map, &root->schema);
        p.nomem |= result == NULL;
    }
    if (p.nomem)
        return base_error_nomem(err, "optimizer (projection pushdown)");
    *out = result;
    *changed = p.changed;
    return QV_OK;
}
