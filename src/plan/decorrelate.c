/*
 * decorrelate.c — subquery expressions become joins (layer: plan).
 *
 * A subquery's correlated predicates (conjuncts of its filters that read
 * columns of the enclosing query) are pulled up out of it: through
 * filters, projections (which then also pass the columns the predicates
 * need), sorts, inner joins, and aggregates (whose equality predicates'
 * inner columns become extra group keys). What remains is an uncorrelated
 * plan, joined to the enclosing query's input on the pulled predicates:
 *   WHERE [NOT] EXISTS / [NOT] IN  -> LEFT SEMI / LEFT ANTI join (NOT IN
 *                                     without correlation: null-aware);
 *   EXISTS / IN anywhere else      -> LEFT MARK join, the mark column;
 *   scalar subquery                -> LEFT join, the subquery's column
 *                                     (uncorrelated: at most one row, or
 *                                     an execution error).
 * Joins only append columns to the enclosing input, so expressions already
 * bound over it stay valid. Subqueries that cannot be decorrelated this way
 * are refused with DataFusion's error where it has one.
 */
#include <string.h>

#include "plan/bind_int.h"

/* How DataFusion reports what its analyzer refuses. */
#define ANALYZER_ERROR                                                                             \
    "Invalid (non-executable) plan after Analyzer\ncaused by\nError during planning: "

typedef struct pull {
    plan_ctx *ctx;
    qv_error *err;
    qv_status st;      /* first failure */
    bool exists;       /* EXISTS / IN: the subquery's row count does not matter */
    bool aggregated;   /* the correlated predicates went through an aggregate */
    bool unaggregated; /* ... without aggregate calls (GROUP BY only) */
    bool grouped;      /* ... that had GROUP BY columns not in them */
    /* Subquery output columns that hold a count: 0, not NULL, when the
     * correlated group is missing (the "count bug"). */
    bool *count_column;
} pull;

static void split(plan_ctx *ctx, plan_expr *e, plan_expr_list *list, bool *ok)
{
    if (e->kind == PLAN_EXPR_BINARY && e->op == PLAN_OP_AND) {
        split(ctx, e->args[0], list, ok);
        split(ctx, e->args[1], list, ok);
        return;
    }
    *ok &= plan_expr_list_push(ctx, list, e);
}

static plan_expr *conjunction(plan_ctx *ctx, const plan_expr_list *list)
{
    plan_expr *acc = list->items[0];
    for (int32_t i = 1; i < list->n && acc != NULL; i++) {
        plan_expr *args[2] = {acc, list->items[i]};
        acc = plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_AND,
                            arrow_type_primitive(QV_TYPE_BOOLEAN), true, 2, args);
    }
    return acc;
}

static qv_status fail(pull *p, qv_status code, const char *message)
{
    if (p->st == QV_OK)
        p->st = base_error_set(p->err, code, "%s", message);
    return p->st;
}

static qv_status nomem(pull *p)
{
    if (p->st == QV_OK)
        p->st = base_error_nomem(p->err, "subquery decorrelation");
    return p->st;
}

/* ---- what reads the enclosing query ---- */

/* The deepest outer reference in e (0: none). */
static int32_t outer_depth(const plan_expr *e)
{
    if (e == NULL)
        return 0;
    int32_t d = e->kind == PLAN_EXPR_OUTER_COLUMN ? e->op : 0;
    for (int32_t i = 0; i < e->n_args; i++) {
        int32_t k = outer_depth(e->args[i]);
        d = k > d ? k : d;
    }
    return d;
}

static bool any_outer(plan_expr *const *list, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (outer_depth(list[i]) > 0)
            return true;
    return false;
}

/* True when node or anything below it may read the enclosing query. Node
 * kinds whose expressions this file does not know answer yes. */
static bool tree_has_outer(const plan_node *node)
{
    switch (node->kind) {
    case PLAN_SCAN:
    case PLAN_EMPTY:
        return false;
    case PLAN_VALUES:
        return any_outer(node->values, (int32_t)node->n_rows * node->schema.n_columns);
    case PLAN_PROJECTION:
    case PLAN_FILTER:
        if (any_outer(node->exprs, node->n_exprs))
            return true;
        break;
    case PLAN_AGGREGATE:
        if (any_outer(node->groups, node->n_groups))
            return true;
        for (int32_t a = 0; a < node->n_aggs; a++) {
            const plan_agg_call *c = &node->aggs[a];
            if (any_outer(c->args, c->n_args) || outer_depth(c->filter) > 0)
                return true;
            for (int32_t k = 0; k < c->n_order; k++)
                if (outer_depth(c->order[k].expr) > 0)
                    return true;
        }
        break;
    case PLAN_SORT:
        for (int32_t k = 0; k < node->n_keys; k++)
            if (outer_depth(node->keys[k].expr) > 0)
                return true;
        break;
    case PLAN_LIMIT:
    case PLAN_UNION:
    case PLAN_UNNEST: /* no expressions of its own */
        break;
    case PLAN_WINDOW: /* a window call keeps all its expressions in args */
        if (any_outer(node->window_exprs, node->n_window_exprs))
            return true;
        break;
    case PLAN_JOIN:
        if (any_outer(node->left_keys, node->n_join_keys) ||
            any_outer(node->right_keys, node->n_join_keys) || outer_depth(node->join_filter) > 0)
            return true;
        break;
    default:
        return true;
    }
    for (int32_t i = 0; i < node->n_inputs; i++)
        if (tree_has_outer(node->inputs[i]))
            return true;
    return false;
}

/* ---- pulling correlated predicates up ---- */

static plan_node *pull_up(pull *p, plan_node *node, plan_expr_list *preds);

/* A projection of input whose column i is list[i] (names from
 * names' columns, or the input's). */
static plan_node *projection(plan_ctx *ctx, plan_node *input, int32_t n, plan_expr **list,
                             const plan_column *names)
{
    plan_node *proj = plan_node_new(ctx, PLAN_PROJECTION, 1, &input);
    if (proj == NULL || !plan_schema_init(ctx, &proj->schema, n))
        return NULL;
    proj->n_exprs = n;
    proj->exprs = list;
    for (int32_t i = 0; i < n; i++) {
        proj->schema.columns[i] = names[i];
        proj->schema.columns[i].type = list[i]->type;
        proj->schema.columns[i].nullable = list[i]->nullable;
    }
    return proj;
}

static plan_node *pull_filter(pull *p, plan_node *node, plan_expr_list *preds)
{
    plan_node *input = pull_up(p, node->inputs[0], preds);
    plan_expr_list conj = {0}, keep = {0};
    bool ok = true;
    split(p->ctx, node->exprs[0], &conj, &ok);
    for (int32_t i = 0; ok && i < conj.n; i++) {
        int32_t d = outer_depth(conj.items[i]);
        if (d > 1) {
            fail(p, QV_NOT_IMPLEMENTED,
                 "This feature is not implemented: subquery referencing a query more than one "
                 "level out");
            return node;
        }
        ok = plan_expr_list_push(p->ctx, d == 1 ? preds : &keep, conj.items[i]);
    }
    if (!ok) {
        nomem(p);
        return node;
    }
    if (keep.n == 0)
        return input;
    plan_node *filter = plan_node_new(p->ctx, PLAN_FILTER, 1, &input);
    plan_expr **pred = plan_alloc(p->ctx, sizeof *pred);
    if (filter == NULL || pred == NULL || (pred[0] = conjunction(p->ctx, &keep)) == NULL) {
        nomem(p);
        return node;
    }
    filter->schema = input->schema;
    filter->n_exprs = 1;
    filter->exprs = pred;
    return filter;
}

/* Marks in used[] the columns preds read. */
static void preds_columns(const plan_expr_list *preds, bool *used)
{
    for (int32_t i = 0; i < preds->n; i++)
        plan_expr_columns_used(preds->items[i], used);
}

/* Remaps the columns of every predicate through map. */
static bool remap_preds(plan_ctx *ctx, plan_expr_list *preds, const int32_t *map)
{
    for (int32_t i = 0; i < preds->n; i++)
        if ((preds->items[i] = plan_expr_copy(ctx, preds->items[i], map)) == NULL)
            return false;
    return true;
}

static plan_node *pull_projection(pull *p, plan_node *node, plan_expr_list *preds)
{
    if (any_outer(node->exprs, node->n_exprs)) {
        fail(p, QV_NOT_IMPLEMENTED,
             "This feature is not implemented: outer column references in a subquery's SELECT "
             "list");
        return node;
    }
    plan_expr_list below = {0};
    plan_node *input = pull_up(p, node->inputs[0], &below);
    if (p->st != QV_OK)
        return node;
    int32_t n_in = input->schema.n_columns, n = node->n_exprs;
    bool *used = plan_alloc(p->ctx, (size_t)(n_in + 1) * sizeof *used);
    int32_t *map = plan_alloc(p->ctx, (size_t)(n_in + 1) * sizeof *map);
    plan_expr **list = plan_alloc(p->ctx, (size_t)(n + n_in + 1) * sizeof *list);
    plan_column *names = plan_alloc(p->ctx, (size_t)(n + n_in + 1) * sizeof *names);
    bool *counts = plan_alloc(p->ctx, (size_t)(n + n_in + 1) * sizeof *counts);
    if (used == NULL || map == NULL || list == NULL || names == NULL || counts == NULL) {
        nomem(p);
        return node;
    }
    preds_columns(&below, used);
    memcpy(list, node->exprs, (size_t)n * sizeof *list);
    memcpy(names, node->schema.columns, (size_t)n * sizeof *names);
    for (int32_t i = 0; i < n; i++)
        counts[i] = p->count_column != NULL && node->exprs[i]->kind == PLAN_EXPR_COLUMN &&
                    p->count_column[node->exprs[i]->column];
    int32_t k = n;
    for (int32_t c = 0; c < n_in; c++) {
        map[c] = -1;
        if (!used[c])
            continue;
        map[c] = k;
        names[k] = input->schema.columns[c];
        if ((list[k++] = plan_expr_column(p->ctx, &input->schema, c)) == NULL) {
            nomem(p);
            return node;
        }
    }
    if (p->count_column != NULL)
        p->count_column = counts;
    for (int32_t i = 0; i < below.n; i++)
        if (!plan_expr_list_push(p->ctx, preds, plan_expr_copy(p->ctx, below.items[i], map))) {
            nomem(p);
            return node;
        }
    plan_node *proj = projection(p->ctx, input, k, list, names);
    if (proj == NULL)
        nomem(p);
    return proj != NULL ? proj : node;
}

static bool reads_column(const plan_expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == PLAN_EXPR_COLUMN)
        return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (reads_column(e->args[i]))
            return true;
    return false;
}

/* An equality of an inner expression (columns only) with an outer one
 * (outer references only): *inner gets the inner side. */
static bool inner_equality(const plan_expr *e, plan_expr **inner)
{
    if (e->kind != PLAN_EXPR_BINARY || e->op != PLAN_OP_EQ)
        return false;
    for (int side = 0; side < 2; side++) {
        plan_expr *in = e->args[side], *out = e->args[1 - side];
        if (outer_depth(in) == 0 && outer_depth(out) > 0 && !reads_column(out)) {
            *inner = in;
            return true;
        }
    }
    return false;
}

static plan_node *pull_aggregate(pull *p, plan_node *node, plan_expr_list *preds)
{
    plan_expr_list below = {0};
    plan_node *input = pull_up(p, node->inputs[0], &below);
    if (p->st != QV_OK || below.n == 0) {
        if (p->st == QV_OK && input != node->inputs[0]) {
            plan_node *copy = plan_node_new(p->ctx, PLAN_AGGREGATE, 1, &input);
            if (copy == NULL)
                return nomem(p), node;
            plan_node **inputs = copy->inputs;
            *copy = *node;
            copy->inputs = inputs;
            return copy;
        }
        return node;
    }
    if (node->n_grouping_sets > 0) {
        fail(p, QV_NOT_IMPLEMENTED,
             "This feature is not implemented: correlated subquery with GROUPING SETS");
        return node;
    }
    p->aggregated = true;
    p->unaggregated |= node->n_aggs == 0;
    int32_t ng = node->n_groups, na = node->n_aggs;
    plan_expr **groups = plan_alloc(p->ctx, (size_t)(ng + below.n + 1) * sizeof *groups);
    if (groups == NULL)
        return nomem(p), node;
    if (ng > 0)
        memcpy(groups, node->groups, (size_t)ng * sizeof *groups);
    int32_t n_groups = ng;
    /* Each predicate's inner side becomes a group key. */
    int32_t *pred_group = plan_alloc(p->ctx, (size_t)(below.n + 1) * sizeof *pred_group);
    if (pred_group == NULL)
        return nomem(p), node;
    for (int32_t i = 0; i < below.n; i++) {
        plan_expr *inner = NULL;
        if (!inner_equality(below.items[i], &inner)) {
            fail(p, QV_NOT_IMPLEMENTED,
                 "This feature is not implemented: Physical plan does not support logical "
                 "expression ScalarSubquery(<subquery>)");
            return node;
        }
        int32_t g = -1;
        for (int32_t k = 0; k < n_groups && g < 0; k++)
            if (plan_expr_equal(groups[k], inner))
                g = k;
        if (g < 0) {
            g = n_groups;
            groups[n_groups++] = inner;
        }
        pred_group[i] = g;
    }
    for (int32_t g = 0; g < ng; g++) {
        bool correlated = false;
        for (int32_t i = 0; i < below.n; i++)
            correlated |= pred_group[i] == g;
        p->grouped |= !correlated;
    }
    plan_node *agg = plan_node_new(p->ctx, PLAN_AGGREGATE, 1, &input);
    if (agg == NULL)
        return nomem(p), node;
    plan_node **inputs = agg->inputs;
    *agg = *node;
    agg->inputs = inputs;
    agg->groups = groups;
    agg->n_groups = n_groups;
    int32_t n_out = n_groups + na;
    if (!plan_schema_init(p->ctx, &agg->schema, n_out))
        return nomem(p), node;
    for (int32_t g = 0; g < n_groups; g++) {
        plan_column *col = &agg->schema.columns[g];
        if (g < ng) {
            *col = node->schema.columns[g];
        } else {
            col->name = plan_expr_name(p->ctx, groups[g], &input->schema);
            col->type = groups[g]->type;
            col->nullable = groups[g]->nullable;
        }
    }
    memcpy(agg->schema.columns + n_groups, node->schema.columns + ng,
           (size_t)na * sizeof *agg->schema.columns);
    /* Back to the old column order, the new keys at the end. */
    plan_expr **list = plan_alloc(p->ctx, (size_t)(n_out + 1) * sizeof *list);
    plan_column *names = plan_alloc(p->ctx, (size_t)(n_out + 1) * sizeof *names);
    bool *counts = plan_alloc(p->ctx, (size_t)(n_out + 1) * sizeof *counts);
    if (list == NULL || names == NULL || counts == NULL)
        return nomem(p), node;
    int32_t k = 0;
    for (int32_t g = 0; g < ng; g++)
        list[k++] = plan_expr_column(p->ctx, &agg->schema, g);
    for (int32_t a = 0; a < na; a++) {
        counts[k] = ng == 0 && strcmp(node->aggs[a].func->name, "count") == 0;
        list[k++] = plan_expr_column(p->ctx, &agg->schema, n_groups + a);
    }
    for (int32_t g = ng; g < n_groups; g++)
        list[k++] = plan_expr_column(p->ctx, &agg->schema, g);
    for (int32_t i = 0; i < k; i++) {
        if (list[i] == NULL)
            return nomem(p), node;
        names[i] = agg->schema.columns[list[i]->column];
    }
    if (ng == 0)
        p->count_column = counts;
    for (int32_t i = 0; i < below.n; i++) {
        /* inner = outer  ->  column(new key) = outer */
        plan_expr *e = below.items[i];
        plan_expr *inner = NULL;
        inner_equality(e, &inner);
        plan_expr *key = plan_expr_column(p->ctx, &agg->schema, pred_group[i]);
        int32_t out_index = pred_group[i] < ng ? pred_group[i] : ng + na + (pred_group[i] - ng);
        if (key == NULL)
            return nomem(p), node;
        key->column = out_index;
        plan_expr *args[2] = {key, e->args[0] == inner ? e->args[1] : e->args[0]};
        plan_expr *eq =
            plan_expr_new(p->ctx, PLAN_EXPR_BINARY, PLAN_OP_EQ, e->type, e->nullable, 2, args);
        if (!plan_expr_list_push(p->ctx, preds, eq))
            return nomem(p), node;
    }
    plan_node *proj = projection(p->ctx, agg, k, list, names);
    return proj != NULL ? proj : (nomem(p), node);
}

static plan_node *pull_join(pull *p, plan_node *node, plan_expr_list *preds)
{
    if (node->join_type != PLAN_JOIN_INNER || outer_depth(node->join_filter) > 0 ||
        any_outer(node->left_keys, node->n_join_keys) ||
        any_outer(node->right_keys, node->n_join_keys)) {
        fail(p, QV_NOT_IMPLEMENTED,
             "This feature is not implemented: correlated references in this kind of join "
             "inside a subquery");
        return node;
    }
    plan_expr_list lp = {0}, rp = {0};
    plan_node *left = pull_up(p, node->inputs[0], &lp);
    plan_node *right = pull_up(p, node->inputs[1], &rp);
    if (p->st != QV_OK)
        return node;
    if (lp.n == 0 && rp.n == 0 && left == node->inputs[0] && right == node->inputs[1])
        return node;
    int32_t nl = node->inputs[0]->schema.n_columns, nr = node->inputs[1]->schema.n_columns;
    int32_t nl2 = left->schema.n_columns, nr2 = right->schema.n_columns;
    plan_node *join = plan_join_new(p->ctx, PLAN_JOIN_INNER, left, right);
    int32_t *shift = plan_alloc(p->ctx, (size_t)(nl2 + nr2 + 1) * sizeof *shift);
    if (join == NULL || shift == NULL)
        return nomem(p), node;
    join->n_join_keys = node->n_join_keys;
    join->left_keys = node->left_keys;
    join->right_keys = node->right_keys;
    join->null_equals_null = node->null_equals_null;
    /* Old (left ++ right) columns -> new ones. */
    for (int32_t c = 0; c < nl + nr; c++)
        shift[c] = c < nl ? c : nl2 + (c - nl);
    join->join_filter = plan_expr_copy(p->ctx, node->join_filter, shift);
    for (int32_t c = 0; c < nr2; c++)
        shift[c] = nl2 + c;
    if (!remap_preds(p->ctx, &rp, shift))
        return nomem(p), node;
    /* Old columns first, then the extra columns of both sides. */
    int32_t n = nl2 + nr2;
    plan_expr **list = plan_alloc(p->ctx, (size_t)(n + 1) * sizeof *list);
    plan_column *names = plan_alloc(p->ctx, (size_t)(n + 1) * sizeof *names);
    int32_t *to_out = plan_alloc(p->ctx, (size_t)(n + 1) * sizeof *to_out);
    if (list == NULL || names == NULL || to_out == NULL)
        return nomem(p), node;
    int32_t k = 0;
    int32_t order[4][2] = {{0, nl}, {nl2, nl2 + nr}, {nl, nl2}, {nl2 + nr, n}};
    for (int r = 0; r < 4; r++)
        for (int32_t c = order[r][0]; c < order[r][1]; c++) {
            to_out[c] = k;
            names[k] = join->schema.columns[c];
            if ((list[k++] = plan_expr_column(p->ctx, &join->schema, c)) == NULL)
                return nomem(p), node;
        }
    for (int32_t i = 0; i < lp.n; i++)
        if (!plan_expr_list_push(p->ctx, preds, plan_expr_copy(p->ctx, lp.items[i], to_out)))
            return nomem(p), node;
    for (int32_t i = 0; i < rp.n; i++)
        if (!plan_expr_list_push(p->ctx, preds, plan_expr_copy(p->ctx, rp.items[i], to_out)))
            return nomem(p), node;
    plan_node *proj = projection(p->ctx, join, n, list, names);
    return proj != NULL ? proj : (nomem(p), node);
}

/* node without its correlated predicates (appended to preds, over the
 * returned node's columns, which start with node's own). */
static plan_node *pull_up(pull *p, plan_node *node, plan_expr_list *preds)
{
    if (p->st != QV_OK || !tree_has_outer(node))
        return node;
    switch (node->kind) {
    case PLAN_FILTER:
        return pull_filter(p, node, preds);
    case PLAN_PROJECTION:
        return pull_projection(p, node, preds);
    case PLAN_AGGREGATE:
        return pull_aggregate(p, node, preds);
    case PLAN_JOIN:
        return pull_join(p, node, preds);
    case PLAN_LIMIT:
        /* EXISTS / IN only ask whether rows exist. */
        if (p->exists && node->skip == 0 && node->fetch > 0)
            return pull_up(p, node->inputs[0], preds);
        if (p->exists && node->fetch == 0) {
            plan_node *empty = plan_node_new(p->ctx, PLAN_EMPTY, 0, NULL);
            if (empty == NULL)
                return nomem(p), node;
            empty->schema = node->schema;
            return empty;
        }
        break;
    case PLAN_SORT:
        if (node->fetch < 0) {
            plan_node *input = pull_up(p, node->inputs[0], preds);
            return preds->n > 0 ? input : node;
        }
        break;
    default:
        break;
    }
    fail(p, QV_PLAN,
         ANALYZER_ERROR "Correlated scalar subquery must be aggregated to return at most one "
                        "row");
    return node;
}

/* ---- joining ---- */

/* A predicate over (enclosing ++ subquery) columns: outer references
 * become the enclosing input's columns, columns move past them. */
static plan_expr *to_join_expr(plan_ctx *ctx, const plan_expr *e, int32_t n_left)
{
    plan_expr *c = plan_alloc(ctx, sizeof *c);
    if (c == NULL)
        return NULL;
    *c = *e;
    if (e->kind == PLAN_EXPR_OUTER_COLUMN) {
        c->kind = PLAN_EXPR_COLUMN;
        c->op = 0;
        c->outer = NULL;
    } else if (e->kind == PLAN_EXPR_COLUMN) {
        c->column = e->column + n_left;
    }
    if (e->n_args > 0) {
        c->args = plan_alloc(ctx, (size_t)e->n_args * sizeof *c->args);
        if (c->args == NULL)
            return NULL;
        for (int32_t i = 0; i < e->n_args; i++)
            if (e->args[i] != NULL && (c->args[i] = to_join_expr(ctx, e->args[i], n_left)) == NULL)
                return NULL;
    }
    return c;
}

/* The decorrelated subquery of a SUBQUERY expression and its predicates. */
static qv_status decorrelate(pull *p, const plan_expr *e, plan_node **plan, plan_expr_list *preds)
{
    p->exists = e->op != PLAN_SUBQUERY_SCALAR;
    p->aggregated = p->unaggregated = p->grouped = false;
    *plan = pull_up(p, e->subquery, preds);
    QV_TRY(p->st);
    if (tree_has_outer(*plan)) {
        /* Outer references left where they cannot be pulled from. */
        if ((*plan)->kind == PLAN_LIMIT || e->op == PLAN_SUBQUERY_SCALAR)
            return fail(p, QV_PLAN,
                        ANALYZER_ERROR "Correlated scalar subquery must be aggregated to return at "
                                       "most one row");
        return fail(p, QV_NOT_IMPLEMENTED,
                    "This feature is not implemented: correlated subquery that cannot be "
                    "turned into a join");
    }
    for (int32_t i = 0; i < preds->n; i++)
        if (outer_depth(preds->items[i]) > 1)
            return fail(p, QV_NOT_IMPLEMENTED,
                        "This feature is not implemented: subquery referencing a query more "
                        "than one level out");
    if (e->op == PLAN_SUBQUERY_SCALAR && preds->n > 0) {
        if (!p->aggregated || p->unaggregated)
            return fail(p, QV_PLAN,
                        ANALYZER_ERROR "Correlated scalar subquery must be aggregated to return at "
                                       "most one row");
        if (p->grouped)
            return fail(p, QV_PLAN,
                        ANALYZER_ERROR "A GROUP BY clause in a scalar correlated subquery cannot "
                                       "contain non-correlated columns");
    }
    return QV_OK;
}

static qv_status add_preds(pull *p, plan_node *join, const plan_expr_list *preds, int32_t n_left)
{
    for (int32_t i = 0; i < preds->n; i++) {
        plan_expr *c = to_join_expr(p->ctx, preds->items[i], n_left);
        if (c == NULL || !plan_join_add_condition(p->ctx, join, c))
            return nomem(p);
    }
    return QV_OK;
}

/* value = subquery column 0, over (enclosing ++ subquery). */
static plan_expr *in_equality(plan_ctx *ctx, const plan_expr *e, const plan_node *join)
{
    plan_node *left = join->inputs[0];
    int32_t nl = left->schema.n_columns;
    plan_expr *col = plan_expr_new(ctx, PLAN_EXPR_COLUMN, 0,
                                   join->inputs[1]->schema.columns[0].type, true, 0, NULL);
    if (col == NULL)
        return NULL;
    col->column = nl;
    plan_expr *args[2] = {e->args[0], col};
    return plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_EQ, arrow_type_primitive(QV_TYPE_BOOLEAN),
                         true, 2, args);
}

/* EXISTS / IN as a semi, anti or mark join of *input with the subquery. */
static qv_status join_predicate(pull *p, plan_node **input, const plan_expr *e, plan_join_type type,
                                bool negated_in)
{
    plan_expr_list preds = {0};
    plan_node *plan = NULL;
    QV_TRY(decorrelate(p, e, &plan, &preds));
    plan_node *join = plan_join_new(p->ctx, type, *input, plan);
    if (join == NULL)
        return nomem(p);
    int32_t nl = (*input)->schema.n_columns;
    QV_TRY(add_preds(p, join, &preds, nl));
    if (e->op == PLAN_SUBQUERY_IN) {
        plan_expr *eq = in_equality(p->ctx, e, join);
        if (eq == NULL)
            return nomem(p);
        if (!negated_in) {
            if (!plan_join_add_condition(p->ctx, join, eq))
                return nomem(p);
        } else if (preds.n == 0) {
            /* x NOT IN (subquery): NULLs on either side make it unknown.
             * The value is the key even when it reads no column ($1). */
            join->null_aware = true;
            plan_expr *right = plan_expr_column(p->ctx, &plan->schema, 0);
            if (right == NULL || !plan_join_add_key(p->ctx, join, e->args[0], right))
                return nomem(p);
        } else {
            /* Correlated NOT IN: a row goes when a partner's value is equal
             * or unknown. */
            plan_expr *is = plan_expr_new(p->ctx, PLAN_EXPR_IS, PLAN_IS_NOT_FALSE,
                                          arrow_type_primitive(QV_TYPE_BOOLEAN), false, 1, &eq);
            if (is == NULL || !plan_join_add_condition(p->ctx, join, is))
                return nomem(p);
        }
    }
    *input = join;
    return QV_OK;
}

/* A scalar subquery as a LEFT join; *column gets its value's column. */
static qv_status join_scalar(pull *p, plan_node **input, const plan_expr *e, plan_expr **value)
{
    plan_expr_list preds = {0};
    plan_node *plan = NULL;
    p->count_column = NULL;
    QV_TRY(decorrelate(p, e, &plan, &preds));
    if (preds.n == 0) {
        /* At most one row, or an execution error. */
        plan_node *limit = plan_node_new(p->ctx, PLAN_LIMIT, 1, &plan);
        if (limit == NULL)
            return nomem(p);
        limit->schema = plan->schema;
        limit->skip = 0;
        limit->fetch = 1;
        limit->fail_past_fetch = true;
        plan = limit;
    }
    int32_t nl = (*input)->schema.n_columns;
    plan_node *join = plan_join_new(p->ctx, PLAN_JOIN_LEFT, *input, plan);
    if (join == NULL)
        return nomem(p);
    QV_TRY(add_preds(p, join, &preds, nl));
    *input = join;
    *value = plan_expr_column(p->ctx, &join->schema, nl);
    if (*value == NULL)
        return nomem(p);
    if (preds.n > 0 && p->count_column != NULL && p->count_column[0]) {
        /* count over no rows is 0, not the NULL of a missing partner. */
        plan_expr *zero = bind_literal_int64(p->ctx, 0);
        const func_entry *coalesce = func_registry_lookup(p->ctx->registry, "coalesce", 8);
        if (zero == NULL || coalesce == NULL)
            return nomem(p);
        plan_expr *args[2] = {*value, zero};
        plan_expr *c = plan_expr_new(p->ctx, PLAN_EXPR_FUNCTION, 0, (*value)->type, false, 2, args);
        if (c == NULL)
            return nomem(p);
        c->func = coalesce;
        *value = c;
    }
    return QV_OK;
}

/* e with its subquery expressions replaced by columns of joins added to
 * *input. */
static plan_expr *rewrite(pull *p, plan_node **input, plan_expr *e)
{
    if (e == NULL || p->st != QV_OK)
        return e;
    if (e->kind == PLAN_EXPR_SUBQUERY) {
        plan_expr *value = NULL;
        if (e->op == PLAN_SUBQUERY_SCALAR) {
            if (join_scalar(p, input, e, &value) != QV_OK)
                return e;
            return value;
        }
        if (e->op == PLAN_SUBQUERY_IN && (e->args[0] = rewrite(p, input, e->args[0])) == NULL)
            return e;
        int32_t nl = (*input)->schema.n_columns;
        if (join_predicate(p, input, e, PLAN_JOIN_LEFT_MARK, false) != QV_OK)
            return e;
        value = plan_expr_column(p->ctx, &(*input)->schema, nl);
        if (value != NULL && (e->flags & PLAN_F_NEGATED))
            value = plan_expr_new(p->ctx, PLAN_EXPR_NOT, 0, value->type, false, 1, &value);
        if (value == NULL)
            nomem(p);
        return value != NULL ? value : e;
    }
    if (!bind_has_subquery(e))
        return e;
    plan_expr *copy = plan_alloc(p->ctx, sizeof *copy);
    if (copy == NULL)
        return nomem(p), e;
    *copy = *e;
    copy->args = plan_alloc(p->ctx, (size_t)e->n_args * sizeof *copy->args);
    if (copy->args == NULL)
        return nomem(p), e;
    for (int32_t i = 0; i < e->n_args; i++)
        copy->args[i] = rewrite(p, input, e->args[i]);
    return copy;
}

bool bind_has_subquery(const plan_expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == PLAN_EXPR_SUBQUERY)
        return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (bind_has_subquery(e->args[i]))
            return true;
    return false;
}

bool bind_has_correlated_subquery(const plan_expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == PLAN_EXPR_SUBQUERY && tree_has_outer(e->subquery))
        return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (bind_has_correlated_subquery(e->args[i]))
            return true;
    return false;
}

qv_status bind_decorrelate_expr(plan_ctx *ctx, plan_node **input, plan_expr **e, qv_error *err)
{
    if (!bind_has_subquery(*e))
        return QV_OK;
    pull p = {.ctx = ctx, .err = err};
    plan_expr *out = rewrite(&p, input, *e);
    QV_TRY(p.st);
    *e = out;
    return QV_OK;
}

/* pred with its subqueries turned into joins of *input; *pred NULL when
 * nothing is left to filter on. */
static qv_status decorrelate_filter(plan_ctx *ctx, plan_node **input, plan_expr **pred,
                                    qv_error *err)
{
    pull p = {.ctx = ctx, .err = err};
    plan_expr_list conj = {0}, rest = {0};
    bool ok = true;
    split(ctx, *pred, &conj, &ok);
    if (!ok)
        return nomem(&p);
    for (int32_t i = 0; i < conj.n; i++) {
        plan_expr *c = conj.items[i];
        if (c->kind == PLAN_EXPR_SUBQUERY && c->op != PLAN_SUBQUERY_SCALAR) {
            bool negated = (c->flags & PLAN_F_NEGATED) != 0;
            if (c->op == PLAN_SUBQUERY_IN)
                c->args[0] = rewrite(&p, input, c->args[0]);
            QV_TRY(p.st);
            QV_TRY(join_predicate(&p, input, c, negated ? PLAN_JOIN_LEFT_ANTI : PLAN_JOIN_LEFT_SEMI,
                                  negated && c->op == PLAN_SUBQUERY_IN));
            continue;
        }
        plan_expr *r = rewrite(&p, input, c);
        QV_TRY(p.st);
        if (!plan_expr_list_push(ctx, &rest, r))
            return nomem(&p);
    }
    *pred = rest.n > 0 ? conjunction(ctx, &rest) : NULL;
    if (rest.n > 0 && *pred == NULL)
        return nomem(&p);
    return QV_OK;
}

qv_status bind_filter(plan_ctx *ctx, plan_node **input, plan_expr *pred, qv_error *err)
{
    plan_node *in = *input;
    int32_t n = in->schema.n_columns;
    if (bind_has_subquery(pred))
        QV_TRY(decorrelate_filter(ctx, &in, &pred, err));
    if (pred != NULL) {
        plan_node *filter = plan_node_new(ctx, PLAN_FILTER, 1, &in);
        plan_expr **preds = plan_alloc(ctx, sizeof *preds);
        if (filter == NULL || preds == NULL)
            return base_error_nomem(err, "filter");
        filter->schema = in->schema;
        filter->n_exprs = 1;
        filter->exprs = preds;
        preds[0] = pred;
        in = filter;
    }
    if (in->schema.n_columns > n) {
        /* Only the enclosing input's own columns go on. */
        plan_expr **cols = plan_alloc(ctx, (size_t)n * sizeof *cols);
        if (n > 0 && cols == NULL)
            return base_error_nomem(err, "filter");
        for (int32_t c = 0; c < n; c++)
            if ((cols[c] = plan_expr_column(ctx, &in->schema, c)) == NULL)
                return base_error_nomem(err, "filter");
        plan_node *proj = projection(ctx, in, n, cols, in->schema.columns);
        if (proj == NULL)
            return base_error_nomem(err, "filter");
        in = proj;
    }
    *input = in;
    return QV_OK;
}
