/*
 * push_filter.c — the filter pushdown rule (layer: optimizer): a filter's
 * conjuncts move as far down as they can go without changing the result,
 * so that fewer rows travel and providers can skip data.
 *   - through a PROJECTION, column references replaced by the projected
 *     expressions (not when the conjunct or an expression it uses calls a
 *     volatile function);
 *   - through a SORT without fetch;
 *   - through an AGGREGATE without grouping sets, for conjuncts on group
 *     columns only (replaced by the group expressions);
 *   - into every input of a UNION;
 *   - into a FILTER below: conjuncts that can never fail join it (parent's
 *     first, as DataFusion orders them); a conjunct that may fail (10 / x >
 *     1) stays above, so that it never sees rows the lower filter removes;
 *   - into a SCAN without fetch, for conjuncts the provider supports
 *     (supports_filter on optimizer_to_catalog_predicate's form): Exact
 *     ones leave the filter, Inexact ones stay in it as well; both are
 *     kept in PLAN_SCAN.filters, over the table's full schema.
 *   - into the inputs of a JOIN: a conjunct on one side's columns goes to
 *     that side when the join does not keep that side's unmatched rows
 *     (WHERE: the side is not null-supplying; ON: the side is not
 *     preserved); one over both sides of an inner join becomes part of its
 *     condition (an equality of the two sides: a join key).
 *   - through a WINDOW, for conjuncts on columns every window call
 *     partitions by (push_window).
 * Never through a LIMIT or a sort with fetch (they pick rows by position).
 * Moving a conjunct past a projection or sort keeps the rows it is
 * evaluated on, so an error it raises stays the same.
 */
#include <string.h>

#include "optimizer/optimizer_int.h"

typedef struct pfil {
    plan_ctx *ctx;
    bool changed;
    bool nomem;
} pfil;

static plan_node *optimize(pfil *f, plan_node *node);
static plan_node *push(pfil *f, plan_node *node, opt_exprs *preds);

static bool push_expr(pfil *f, opt_exprs *list, plan_expr *e)
{
    if (e == NULL || !plan_expr_list_push(f->ctx, list, e)) {
        f->nomem = true;
        return false;
    }
    return true;
}

/* node under a filter of preds (none: node itself). */
static plan_node *with_filter(pfil *f, plan_node *node, const opt_exprs *preds)
{
    if (preds->n == 0 || f->nomem)
        return node;
    plan_expr *pred = opt_conjunction(f->ctx, preds);
    plan_node *filter = pred != NULL ? opt_filter_new(f->ctx, node, pred) : NULL;
    if (filter == NULL) {
        f->nomem = true;
        return node;
    }
    return filter;
}

/* node (one input) over a new input. */
static plan_node *over(pfil *f, const plan_node *node, plan_node *input)
{
    plan_node *copy = opt_node_with_inputs(f->ctx, node, &input);
    f->nomem |= copy == NULL;
    return copy;
}

/* ---- through nodes ---- */

static plan_node *push_projection(pfil *f, plan_node *node, opt_exprs *preds)
{
    opt_exprs below = {0}, stay = {0};
    for (int32_t i = 0; i < preds->n && !f->nomem; i++) {
        plan_expr *p = preds->items[i];
        bool ok = !opt_expr_volatile(p);
        bool *used = NULL;
        if (ok) {
            used = plan_alloc(f->ctx, (size_t)(node->n_exprs + 1) * sizeof *used);
            if (used == NULL) {
                f->nomem = true;
                return node;
            }
            plan_expr_columns_used(p, used);
            for (int32_t c = 0; c < node->n_exprs && ok; c++)
                ok = !used[c] || !opt_expr_volatile(node->exprs[c]);
        }
        if (ok)
            push_expr(f, &below, opt_expr_substitute(f->ctx, p, node->exprs));
        else
            push_expr(f, &stay, p);
    }
    if (f->nomem)
        return node;
    if (below.n > 0)
        f->changed = true;
    plan_node *input = push(f, node->inputs[0], &below);
    return with_filter(f, over(f, node, input), &stay);
}

static plan_node *push_aggregate(pfil *f, plan_node *node, opt_exprs *preds)
{
    opt_exprs below = {0}, stay = {0};
    for (int32_t i = 0; i < preds->n && !f->nomem; i++) {
        plan_expr *p = preds->items[i];
        /* Without groups the aggregate returns a row even for no input. */
        bool ok = node->n_groups > 0 && node->n_grouping_sets == 0 && !opt_expr_volatile(p) &&
                  opt_expr_max_column(p) < node->n_groups;
        for (int32_t g = 0; g < node->n_groups && ok; g++)
            ok = !opt_expr_volatile(node->groups[g]);
        if (ok)
            push_expr(f, &below, opt_expr_substitute(f->ctx, p, node->groups));
        else
            push_expr(f, &stay, p);
    }
    if (f->nomem)
        return node;
    if (below.n > 0)
        f->changed = true;
    plan_node *input = push(f, node->inputs[0], &below);
    return with_filter(f, over(f, node, input), &stay);
}

static plan_node *push_union(pfil *f, plan_node *node, opt_exprs *preds)
{
    /* The inputs' columns must be the union's (no cast in between). */
    for (int32_t i = 0; i < node->n_inputs; i++)
        for (int32_t c = 0; c < node->schema.n_columns; c++)
            if (!arrow_type_equal(node->inputs[i]->schema.columns[c].type,
                                  node->schema.columns[c].type))
                return with_filter(f, optimize(f, node), preds);
    plan_node **inputs = plan_alloc(f->ctx, (size_t)node->n_inputs * sizeof *inputs);
    if (inputs == NULL) {
        f->nomem = true;
        return node;
    }
    for (int32_t i = 0; i < node->n_inputs && !f->nomem; i++) {
        opt_exprs copies = {0};
        for (int32_t k = 0; k < preds->n && !f->nomem; k++)
            push_expr(f, &copies, plan_expr_copy(f->ctx, preds->items[k], NULL));
        inputs[i] = push(f, node->inputs[i], &copies);
    }
    if (f->nomem)
        return node;
    f->changed = true;
    plan_node *copy = opt_node_with_inputs(f->ctx, node, inputs);
    f->nomem |= copy == NULL;
    return copy;
}

static plan_node *push_filter(pfil *f, plan_node *node, opt_exprs *preds)
{
    opt_exprs merged = {0}, stay = {0};
    for (int32_t i = 0; i < preds->n && !f->nomem; i++) {
        plan_expr *p = preds->items[i];
        push_expr(f, opt_expr_infallible(p) && !opt_expr_volatile(p) ? &merged : &stay, p);
    }
    if (merged.n > 0)
        f->changed = true;
    if (!f->nomem && !opt_split_conjuncts(f->ctx, node->exprs[0], &merged))
        f->nomem = true;
    if (f->nomem)
        return node;
    return with_filter(f, push(f, node->inputs[0], &merged), &stay);
}

/* WHERE conjuncts on one side's columns may go below a join of this type
 * (the rows they remove from that side cannot come back as NULL-padded
 * rows) / ON conjuncts may (the side's unmatched rows are not kept). */
static bool where_pushes_left(plan_join_type t)
{
    return t == PLAN_JOIN_INNER || t == PLAN_JOIN_LEFT || t == PLAN_JOIN_LEFT_SEMI ||
           t == PLAN_JOIN_LEFT_ANTI || t == PLAN_JOIN_LEFT_MARK;
}
static bool where_pushes_right(plan_join_type t)
{
    return t == PLAN_JOIN_INNER || t == PLAN_JOIN_RIGHT || t == PLAN_JOIN_RIGHT_SEMI ||
           t == PLAN_JOIN_RIGHT_ANTI;
}
static bool on_pushes_left(plan_join_type t)
{
    return t == PLAN_JOIN_INNER || t == PLAN_JOIN_RIGHT || t == PLAN_JOIN_LEFT_SEMI ||
           t == PLAN_JOIN_RIGHT_SEMI || t == PLAN_JOIN_RIGHT_ANTI;
}
static bool on_pushes_right(plan_join_type t)
{
    return t == PLAN_JOIN_INNER || t == PLAN_JOIN_LEFT || t == PLAN_JOIN_LEFT_SEMI ||
           t == PLAN_JOIN_RIGHT_SEMI || t == PLAN_JOIN_LEFT_ANTI || t == PLAN_JOIN_LEFT_MARK;
}

static plan_node *push_join(pfil *f, plan_node *node, opt_exprs *preds)
{
    plan_join_type t = node->join_type;
    int32_t nl = node->inputs[0]->schema.n_columns, nr = node->inputs[1]->schema.n_columns;
    opt_exprs left = {0}, right = {0}, stay = {0}, cond = {0};
    bool moved = false;
    /* The join's own condition. */
    plan_expr *on = node->n_join_keys > 0 || node->join_filter != NULL
                        ? plan_join_condition(f->ctx, node)
                        : NULL;
    if ((node->n_join_keys > 0 || node->join_filter != NULL) &&
        (on == NULL || !opt_split_conjuncts(f->ctx, on, &cond))) {
        f->nomem = true;
        return node;
    }
    int32_t n_on = cond.n;
    opt_exprs kept_on = {0};
    for (int32_t i = 0; i < n_on && !f->nomem && !node->null_aware; i++) {
        plan_expr *c = cond.items[i];
        int32_t side = opt_expr_volatile(c) ? 3 : plan_expr_side(c, nl);
        if (side == 1 && on_pushes_left(t)) {
            moved = push_expr(f, &left, c);
        } else if (side == 2 && on_pushes_right(t)) {
            moved = push_expr(f, &right, plan_expr_to_right_input(f->ctx, c, nl, nr));
        } else {
            push_expr(f, &kept_on, c);
        }
    }
    if (node->null_aware)
        kept_on = cond;
    /* The conjuncts from above, over the join's output. */
    int32_t out_base = plan_join_keeps_left(t) ? 0 : nl;
    int32_t n_from_inputs =
        (plan_join_keeps_left(t) ? nl : 0) + (plan_join_keeps_right(t) ? nr : 0);
    int32_t *to_both = plan_alloc(f->ctx, (size_t)(node->schema.n_columns + 1) * sizeof *to_both);
    if (to_both == NULL) {
        f->nomem = true;
        return node;
    }
    for (int32_t c = 0; c < node->schema.n_columns; c++)
        to_both[c] = c < n_from_inputs ? out_base + c : -1;
    for (int32_t i = 0; i < preds->n && !f->nomem; i++) {
        plan_expr *p = preds->items[i];
        bool *used = plan_alloc(f->ctx, (size_t)(node->schema.n_columns + 1) * sizeof *used);
        if (used == NULL) {
            f->nomem = true;
            break;
        }
        plan_expr_columns_used(p, used);
        bool reads_mark = false;
        for (int32_t c = n_from_inputs; c < node->schema.n_columns; c++)
            reads_mark |= used[c];
        plan_expr *pb = reads_mark ? NULL : plan_expr_copy(f->ctx, p, to_both);
        int32_t side = pb == NULL || opt_expr_volatile(p) ? -1 : plan_expr_side(pb, nl);
        if (side == 1 && where_pushes_left(t)) {
            moved = push_expr(f, &left, pb);
        } else if (side == 2 && where_pushes_right(t)) {
            moved = push_expr(f, &right, plan_expr_to_right_input(f->ctx, pb, nl, nr));
        } else if (side == 3 && t == PLAN_JOIN_INNER && !node->null_aware) {
            moved = push_expr(f, &kept_on, pb);
        } else {
            push_expr(f, &stay, p);
        }
    }
    if (f->nomem)
        return node;
    plan_node *inputs[2] = {push(f, node->inputs[0], &left), push(f, node->inputs[1], &right)};
    if (f->nomem)
        return node;
    if (!moved && inputs[0] == node->inputs[0] && inputs[1] == node->inputs[1])
        return with_filter(f, node, &stay);
    plan_node *join = opt_node_with_inputs(f->ctx, node, inputs);
    if (join == NULL) {
        f->nomem = true;
        return node;
    }
    if (moved) {
        f->changed = true;
        join->n_join_keys = 0;
        join->left_keys = join->right_keys = NULL;
        join->join_filter = NULL;
        for (int32_t i = 0; i < kept_on.n && !f->nomem; i++)
            f->nomem = !plan_join_add_condition(f->ctx, join, kept_on.items[i]);
    }
    return with_filter(f, join, &stay);
}

/* Through a WINDOW: conjuncts that read only columns every call
 * partitions by (as plain column references), since removing whole
 * partitions changes no window value of the others (as DataFusion does). */
static plan_node *push_window(pfil *f, plan_node *node, opt_exprs *preds)
{
    int32_t n_in = node->inputs[0]->schema.n_columns;
    bool *common = plan_alloc(f->ctx, (size_t)(n_in + 1) * sizeof *common);
    bool *mine = plan_alloc(f->ctx, (size_t)(n_in + 1) * sizeof *mine);
    bool *used = plan_alloc(f->ctx, (size_t)(node->schema.n_columns + 1) * sizeof *used);
    if (common == NULL || mine == NULL || used == NULL) {
        f->nomem = true;
        return node;
    }
    for (int32_t c = 0; c < n_in; c++)
        common[c] = true;
    for (int32_t w = 0; w < node->n_window_exprs; w++) {
        const plan_expr *call = node->window_exprs[w];
        memset(mine, 0, (size_t)n_in * sizeof *mine);
        plan_expr **part = plan_window_partition(call);
        for (int32_t k = 0; k < call->win->n_partition; k++)
            if (part[k]->kind == PLAN_EXPR_COLUMN)
                mine[part[k]->column] = true;
        for (int32_t c = 0; c < n_in; c++)
            common[c] &= mine[c];
    }
    opt_exprs below = {0}, stay = {0};
    for (int32_t i = 0; i < preds->n && !f->nomem; i++) {
        plan_expr *p = preds->items[i];
        bool ok = !opt_expr_volatile(p) && opt_expr_max_column(p) < n_in;
        if (ok) {
            memset(used, 0, (size_t)node->schema.n_columns * sizeof *used);
            plan_expr_columns_used(p, used);
            for (int32_t c = 0; c < n_in && ok; c++)
                ok = !used[c] || common[c];
        }
        push_expr(f, ok ? &below : &stay, p);
    }
    if (f->nomem)
        return node;
    if (below.n > 0)
        f->changed = true;
    plan_node *input = push(f, node->inputs[0], &below);
    return with_filter(f, over(f, node, input), &stay);
}

static bool has_filter(const plan_node *scan, const plan_expr *e)
{
    for (int32_t i = 0; i < scan->n_filters; i++)
        if (plan_expr_equal(scan->filters[i], e))
            return true;
    return false;
}

static plan_node *push_scan(pfil *f, plan_node *node, opt_exprs *preds)
{
    catalog_table *table = node->table;
    if (node->fetch >= 0 || table->ops->supports_filter == NULL)
        return with_filter(f, node, preds);
    int32_t n_cols = node->schema.n_columns;
    int32_t *to_table = plan_alloc(f->ctx, (size_t)(n_cols + 1) * sizeof *to_table);
    if (to_table == NULL) {
        f->nomem = true;
        return node;
    }
    for (int32_t c = 0; c < n_cols; c++)
        to_table[c] = node->projection != NULL ? node->projection[c] : c;
    opt_exprs stay = {0}, added = {0};
    for (int32_t i = 0; i < preds->n && !f->nomem; i++) {
        plan_expr *p = preds->items[i];
        plan_expr *over_table = plan_expr_copy(f->ctx, p, to_table);
        if (over_table == NULL) {
            f->nomem = true;
            break;
        }
        catalog_predicate pred;
        catalog_filter_support support = CATALOG_FILTER_UNSUPPORTED;
        if (!opt_expr_volatile(p) && optimizer_to_catalog_predicate(over_table, &pred)) {
            support = table->ops->supports_filter(table, &pred);
            optimizer_predicate_clear(&pred);
        }
        if (support != CATALOG_FILTER_EXACT)
            push_expr(f, &stay, p);
        if (support != CATALOG_FILTER_UNSUPPORTED && !has_filter(node, over_table))
            push_expr(f, &added, over_table);
    }
    if (f->nomem)
        return node;
    if (stay.n == preds->n && added.n == 0)
        return with_filter(f, node, preds);
    plan_node *scan = opt_node_copy(f->ctx, node);
    plan_expr **filters = plan_alloc(f->ctx, (size_t)(node->n_filters + added.n) * sizeof *filters);
    if (scan == NULL || filters == NULL) {
        f->nomem = true;
        return node;
    }
    if (node->n_filters > 0)
        memcpy(filters, node->filters, (size_t)node->n_filters * sizeof *filters);
    if (added.n > 0)
        memcpy(filters + node->n_filters, added.items, (size_t)added.n * sizeof *filters);
    scan->filters = filters;
    scan->n_filters = node->n_filters + added.n;
    f->changed = true;
    return with_filter(f, scan, &stay);
}

/* node with preds (conjuncts over its output) applied: inside or below it
 * where possible, in a filter above it otherwise. */
static plan_node *push(pfil *f, plan_node *node, opt_exprs *preds)
{
    if (f->nomem)
        return node;
    if (preds->n == 0)
        return optimize(f, node);
    switch (node->kind) {
    case PLAN_PROJECTION:
        return push_projection(f, node, preds);
    case PLAN_SORT:
        if (node->fetch >= 0)
            break;
        f->changed = true;
        return over(f, node, push(f, node->inputs[0], preds));
    case PLAN_AGGREGATE:
        return push_aggregate(f, node, preds);
    case PLAN_UNION:
        return push_union(f, node, preds);
    case PLAN_FILTER:
        return push_filter(f, node, preds);
    case PLAN_SCAN:
        return push_scan(f, node, preds);
    case PLAN_JOIN:
        return push_join(f, node, preds);
    case PLAN_WINDOW:
        return push_window(f, node, preds);
    default:
        break;
    }
    return with_filter(f, optimize(f, node), preds);
}

/* ---- the walk ---- */

static plan_node *optimize(pfil *f, plan_node *node)
{
    if (f->nomem)
        return node;
    if (node->kind == PLAN_JOIN) {
        opt_exprs none = {0};
        return push_join(f, node, &none);
    }
    if (node->kind == PLAN_FILTER) {
        opt_exprs preds = {0};
        if (!opt_split_conjuncts(f->ctx, node->exprs[0], &preds)) {
            f->nomem = true;
            return node;
        }
        bool before = f->changed;
        f->changed = false;
        plan_node *result = push(f, node->inputs[0], &preds);
        /* Nothing moved: keep the filter as written (not re-associated). */
        if (!f->changed && !f->nomem && result->kind == PLAN_FILTER)
            result = over(f, node, result->inputs[0]);
        f->changed |= before;
        return result;
    }
    plan_node **inputs = NULL;
    bool inputs_changed = false;
    if (node->n_inputs > 0) {
        inputs = plan_alloc(f->ctx, (size_t)node->n_inputs * sizeof *inputs);
        if (inputs == NULL) {
            f->nomem = true;
            return node;
        }
    }
    for (int32_t i = 0; i < node->n_inputs && !f->nomem; i++) {
        inputs[i] = optimize(f, node->inputs[i]);
        inputs_changed |= inputs[i] != node->inputs[i];
    }
    if (f->nomem || !inputs_changed)
        return node;
    plan_node *copy = opt_node_with_inputs(f->ctx, node, inputs);
    f->nomem |= copy == NULL;
    return copy != NULL ? copy : node;
}

qv_status opt_push_filter(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                          qv_error *err)
{
    pfil f = {.ctx = ctx};
    plan_node *result = optimize(&f, root);
    *changed = false;
    *out = NULL;
    if (f.nomem)
        return base_error_nomem(err, "optimizer (filter pushdown)");
    *out = result;
    *changed = f.changed;
    return QV_OK;
}
