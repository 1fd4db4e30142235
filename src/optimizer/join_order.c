/*
 * join_order.c — the join ordering rule (layer: optimizer): a tree of
 * inner joins (three relations or more) is rebuilt as a left-deep chain in
 * a greedy order on estimated cardinality (plan_estimate_rows, from the
 * providers' statistics): start from the smallest relation, then add, of
 * the relations joined to the chain by a condition, the smallest; a
 * relation no condition reaches comes last (a cross join). Each condition
 * is attached to the first join where all the relations it reads are
 * present. A projection on top restores the original column order, so
 * nothing above notices.
 */
#include <string.h>

#include "optimizer/optimizer_int.h"

#define MAX_RELATIONS 64

typedef struct chain {
    plan_ctx *ctx;
    int32_t n; /* relations */
    plan_node *rel[MAX_RELATIONS];
    int32_t base[MAX_RELATIONS]; /* first column of each in the original order */
    opt_exprs conds;             /* conjuncts over all columns, original order */
    bool nomem;
} chain;

static bool is_plain_inner(const plan_node *node)
{
    return node->kind == PLAN_JOIN && node->join_type == PLAN_JOIN_INNER && !node->null_aware &&
           !node->null_equals_null;
}

/* Flattens node (columns starting at base) into relations and conditions;
 * false when there are too many relations. */
static bool flatten(chain *c, plan_node *node, int32_t base)
{
    if (!is_plain_inner(node)) {
        if (c->n == MAX_RELATIONS)
            return false;
        c->rel[c->n] = node;
        c->base[c->n++] = base;
        return true;
    }
    int32_t nl = node->inputs[0]->schema.n_columns;
    if (!flatten(c, node->inputs[0], base) || !flatten(c, node->inputs[1], base + nl))
        return false;
    if (node->n_join_keys == 0 && node->join_filter == NULL)
        return true;
    plan_expr *cond = plan_join_condition(c->ctx, node);
    int32_t n = node->schema.n_columns;
    int32_t *shift = plan_alloc(c->ctx, (size_t)(n + 1) * sizeof *shift);
    if (cond == NULL || shift == NULL) {
        c->nomem = true;
        return false;
    }
    for (int32_t i = 0; i < n; i++)
        shift[i] = base + i;
    plan_expr *global = plan_expr_copy(c->ctx, cond, shift);
    if (global == NULL || !opt_split_conjuncts(c->ctx, global, &c->conds))
        c->nomem = true;
    return !c->nomem;
}

/* The relation column col belongs to. */
static int32_t relation_of(const chain *c, int32_t col)
{
    int32_t r = c->n - 1;
    while (r > 0 && c->base[r] > col)
        r--;
    return r;
}

/* Bit r set: condition reads relation r. */
static uint64_t relations_read(const chain *c, const plan_expr *e)
{
    if (e == NULL)
        return 0;
    uint64_t set = e->kind == PLAN_EXPR_COLUMN ? (uint64_t)1 << relation_of(c, e->column) : 0;
    for (int32_t i = 0; i < e->n_args; i++)
        set |= relations_read(c, e->args[i]);
    return set;
}

static double estimate(const plan_node *node)
{
    int64_t rows = plan_estimate_rows(node);
    return rows < 0 ? 1e12 : (double)rows;
}

/* The greedy order of the relations into order[]. */
static void greedy_order(const chain *c, const uint64_t *reads, int32_t *order)
{
    uint64_t joined = 0;
    for (int32_t k = 0; k < c->n; k++) {
        int32_t best = -1;
        bool best_connected = false;
        for (int32_t r = 0; r < c->n; r++) {
            if (joined & ((uint64_t)1 << r))
                continue;
            bool connected = false;
            for (int32_t i = 0; i < c->conds.n && k > 0; i++) {
                uint64_t with = joined | ((uint64_t)1 << r);
                connected |= (reads[i] & ((uint64_t)1 << r)) && (reads[i] & joined) &&
                             (reads[i] & ~with) == 0;
            }
            if (best < 0 || (connected && !best_connected) ||
                (connected == best_connected && estimate(c->rel[r]) < estimate(c->rel[best]))) {
                best = r;
                best_connected = connected;
            }
        }
        order[k] = best;
        joined |= (uint64_t)1 << best;
    }
}

/* The chain joined left-deep in order, conditions attached as early as
 * possible, under a projection back to the original columns. */
static plan_node *build(chain *c, const plan_node *original, const int32_t *order,
                        const uint64_t *reads)
{
    int32_t n_cols = original->schema.n_columns;
    int32_t *to_new = plan_alloc(c->ctx, (size_t)(n_cols + 1) * sizeof *to_new);
    bool *applied = plan_alloc(c->ctx, (size_t)(c->conds.n + 1) * sizeof *applied);
    if (to_new == NULL || applied == NULL)
        return NULL;
    plan_node *acc = c->rel[order[0]];
    uint64_t joined = (uint64_t)1 << order[0];
    int32_t width = 0;
    for (int32_t k = 0; k < c->n; k++) {
        int32_t r = order[k];
        int32_t nr = c->rel[r]->schema.n_columns;
        for (int32_t j = 0; j < nr; j++)
            to_new[c->base[r] + j] = width + j;
        width += nr;
        if (k == 0)
            continue;
        acc = plan_join_new(c->ctx, PLAN_JOIN_INNER, acc, c->rel[r]);
        if (acc == NULL)
            return NULL;
        joined |= (uint64_t)1 << r;
        for (int32_t i = 0; i < c->conds.n; i++) {
            if (applied[i] || (reads[i] & ~joined) != 0)
                continue;
            plan_expr *e = plan_expr_copy(c->ctx, c->conds.items[i], to_new);
            if (e == NULL || !plan_join_add_condition(c->ctx, acc, e))
                return NULL;
            applied[i] = true;
        }
    }
    int32_t *columns = plan_alloc(c->ctx, (size_t)(n_cols + 1) * sizeof *columns);
    if (columns == NULL)
        return NULL;
    memcpy(columns, to_new, (size_t)n_cols * sizeof *columns);
    return opt_project_columns(c->ctx, acc, n_cols, columns, &original->schema);
}

static plan_node *reorder(chain *c, plan_node *node, bool *changed);

static plan_node *reorder_inputs(chain *c, plan_node *node, bool *changed)
{
    if (node->n_inputs == 0)
        return node;
    plan_node **inputs = plan_alloc(c->ctx, (size_t)node->n_inputs * sizeof *inputs);
    if (inputs == NULL) {
        c->nomem = true;
        return node;
    }
    bool any = false;
    for (int32_t i = 0; i < node->n_inputs; i++) {
        inputs[i] = reorder(c, node->inputs[i], changed);
        any |= inputs[i] != node->inputs[i];
    }
    if (!any)
        return node;
    plan_node *copy = opt_node_with_inputs(c->ctx, node, inputs);
    c->nomem |= copy == NULL;
    return copy != NULL ? copy : node;
}

static plan_node *reorder(chain *c, plan_node *node, bool *changed)
{
    if (c->nomem)
        return node;
    if (!is_plain_inner(node))
        return reorder_inputs(c, node, changed);
    chain flat = {.ctx = c->ctx};
    if (!flatten(&flat, node, 0) || flat.n < 3) {
        c->nomem |= flat.nomem;
        return reorder_inputs(c, node, changed);
    }
    uint64_t *reads = plan_alloc(c->ctx, (size_t)(flat.conds.n + 1) * sizeof *reads);
    int32_t order[MAX_RELATIONS];
    if (reads == NULL) {
        c->nomem = true;
        return node;
    }
    for (int32_t i = 0; i < flat.conds.n; i++)
        reads[i] = relations_read(&flat, flat.conds.items[i]);
    greedy_order(&flat, reads, order);
    bool identity = true;
    for (int32_t k = 0; k < flat.n; k++)
        identity &= order[k] == k;
    if (identity)
        return reorder_inputs(c, node, changed);
    /* The relations themselves may hold other join trees. */
    for (int32_t r = 0; r < flat.n; r++)
        flat.rel[r] = reorder(c, flat.rel[r], changed);
    plan_node *rebuilt = build(&flat, node, order, reads);
    if (rebuilt == NULL) {
        c->nomem = true;
        return node;
    }
    *changed = true;
    return rebuilt;
}

qv_status opt_join_order(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                         qv_error *err)
{
    chain c = {.ctx = ctx};
    *changed = false;
    plan_node *result = reorder(&c, root, changed);
    *out = NULL;
    if (c.nomem)
        return base_error_nomem(err, "optimizer (join order)");
    *out = result;
    return QV_OK;
}
