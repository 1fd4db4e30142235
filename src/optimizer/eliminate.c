/*
 * eliminate.c — the eliminate-redundant rule (layer: optimizer): removes
 * nodes that cannot change the result.
 *   - a projection that passes its input's columns through unchanged (same
 *     order, names, qualifiers, types and nullability);
 *   - a sort (without fetch) right below an aggregate, possibly under
 *     projections, unless a call depends on input order (ORDER BY inside
 *     the call, or first_value / last_value / array_agg / string_agg);
 *   - a sort (without fetch) right below another sort;
 *   - LIMIT over LIMIT (merged into one), LIMIT 0 (an empty relation),
 *     LIMIT with neither skip nor fetch;
 *   - a filter on a constant (true: dropped; false / NULL: empty);
 *   - nodes over an empty relation that keep no row from it (projection,
 *     filter, sort, limit, grouped aggregate) become empty relations, and a
 *     union drops its empty inputs;
 *   - a union directly inside a union is flattened into it.
 * The plan is rewritten bottom-up, each node until no removal applies.
 */
#include <string.h>

#include "optimizer/optimizer_int.h"

typedef struct elim {
    plan_ctx *ctx;
    bool changed;
    bool nomem;
} elim;

static bool same_string(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool same_column(const plan_column *a, const plan_column *b)
{
    return same_string(a->name, b->name) && same_string(a->qualifier, b->qualifier) &&
           arrow_type_equal(a->type, b->type) && a->nullable == b->nullable;
}

static bool identity_projection(const plan_node *node)
{
    const plan_schema *in = &node->inputs[0]->schema;
    if (node->n_exprs != in->n_columns)
        return false;
    for (int32_t i = 0; i < node->n_exprs; i++)
        if (node->exprs[i]->kind != PLAN_EXPR_COLUMN || node->exprs[i]->column != i ||
            !same_column(&node->schema.columns[i], &in->columns[i]))
            return false;
    return true;
}

/* Calls whose result depends on the order rows arrive in. */
static bool order_sensitive(const plan_node *agg)
{
    static const char *const names[] = {"first_value", "last_value", "array_agg", "string_agg"};
    for (int32_t a = 0; a < agg->n_aggs; a++) {
        if (agg->aggs[a].n_order > 0)
            return true;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (strcmp(agg->aggs[a].func->name, names[k]) == 0)
                return true;
    }
    return false;
}

static bool plain_sort(const plan_node *node)
{
    return node->kind == PLAN_SORT && node->fetch < 0;
}

/* The sort below an aggregate's input, under projections only: the same
 * input without it (NULL: no such sort). */
static plan_node *without_sort(elim *e, plan_node *node)
{
    if (plain_sort(node))
        return node->inputs[0];
    if (node->kind != PLAN_PROJECTION)
        return NULL;
    plan_node *below = without_sort(e, node->inputs[0]);
    if (below == NULL)
        return NULL;
    plan_node *copy = opt_node_with_inputs(e->ctx, node, &below);
    e->nomem |= copy == NULL;
    return copy;
}

/* Rows [skip, skip + fetch) of rows [inner_skip, inner_skip + inner_fetch)
 * as one LIMIT (fetch -1: all). */
static void merge_limits(const plan_node *outer, const plan_node *inner, int64_t *skip,
                         int64_t *fetch)
{
    *skip = inner->skip + outer->skip;
    int64_t inner_left = -1;
    if (inner->fetch >= 0)
        inner_left = inner->fetch > outer->skip ? inner->fetch - outer->skip : 0;
    if (inner_left < 0)
        *fetch = outer->fetch;
    else if (outer->fetch < 0)
        *fetch = inner_left;
    else
        *fetch = outer->fetch < inner_left ? outer->fetch : inner_left;
}

static bool union_compatible(const plan_node *inner, const plan_node *outer)
{
    if (inner->schema.n_columns != outer->schema.n_columns)
        return false;
    for (int32_t i = 0; i < outer->schema.n_columns; i++)
        if (!arrow_type_equal(inner->schema.columns[i].type, outer->schema.columns[i].type))
            return false;
    return true;
}

/* A union without empty inputs and with nested unions flattened, or node
 * itself. */
static plan_node *simplify_union(elim *e, plan_node *node)
{
    int32_t n = 0;
    bool rewrite = false;
    for (int32_t i = 0; i < node->n_inputs; i++) {
        plan_node *in = node->inputs[i];
        if (opt_is_empty(in)) {
            rewrite = true;
        } else if (in->kind == PLAN_UNION && union_compatible(in, node)) {
            rewrite = true;
            n += in->n_inputs;
        } else {
            n++;
        }
    }
    if (!rewrite)
        return node;
    if (n == 0)
        return opt_empty_new(e->ctx, &node->schema);
    plan_node **inputs = plan_alloc(e->ctx, (size_t)n * sizeof *inputs);
    if (inputs == NULL)
        return NULL;
    int32_t k = 0;
    for (int32_t i = 0; i < node->n_inputs; i++) {
        plan_node *in = node->inputs[i];
        if (opt_is_empty(in))
            continue;
        if (in->kind == PLAN_UNION && union_compatible(in, node)) {
            for (int32_t j = 0; j < in->n_inputs; j++)
                inputs[k++] = in->inputs[j];
        } else {
            inputs[k++] = in;
        }
    }
    if (n == 1) {
        /* One input left: keep the union's column names and types. */
        plan_node *only = inputs[0];
        for (int32_t c = 0; c < node->schema.n_columns; c++)
            if (!arrow_type_equal(only->schema.columns[c].type, node->schema.columns[c].type))
                return node;
        int32_t *cols = plan_alloc(e->ctx, (size_t)(node->schema.n_columns + 1) * sizeof *cols);
        if (cols == NULL)
            return NULL;
        for (int32_t c = 0; c < node->schema.n_columns; c++)
            cols[c] = c;
        return opt_project_columns(e->ctx, only, node->schema.n_columns, cols, &node->schema);
    }
    plan_node *u = plan_node_new(e->ctx, PLAN_UNION, n, inputs);
    if (u == NULL)
        return NULL;
    u->schema = node->schema;
    return u;
}

/* One removal at node (whose inputs are done): the replacement, node
 * itself when none applies, NULL when memory ran out. */
static plan_node *eliminate_once(elim *e, plan_node *node)
{
    plan_node *in = node->n_inputs > 0 ? node->inputs[0] : NULL;
    switch (node->kind) {
    case PLAN_PROJECTION:
        if (opt_is_empty(in))
            return opt_empty_new(e->ctx, &node->schema);
        return identity_projection(node) ? in : node;
    case PLAN_FILTER: {
        if (opt_is_empty(in))
            return opt_empty_new(e->ctx, &node->schema);
        plan_node *constant = NULL;
        if (!opt_constant_filter(e->ctx, node, &constant))
            return NULL;
        return constant != NULL ? constant : node;
    }
    case PLAN_SORT:
        if (opt_is_empty(in))
            return opt_empty_new(e->ctx, &node->schema);
        if (plain_sort(in))
            return opt_node_with_inputs(e->ctx, node, &in->inputs[0]);
        return node;
    case PLAN_LIMIT:
        if (opt_is_empty(in) || (node->fetch == 0 && !node->fail_past_fetch))
            return opt_empty_new(e->ctx, &node->schema);
        if (node->skip == 0 && node->fetch < 0)
            return in;
        if (in->kind == PLAN_LIMIT && !node->fail_past_fetch && !in->fail_past_fetch) {
            plan_node *merged = opt_node_with_inputs(e->ctx, node, &in->inputs[0]);
            if (merged != NULL)
                merge_limits(node, in, &merged->skip, &merged->fetch);
            return merged;
        }
        return node;
    case PLAN_AGGREGATE: {
        if (opt_is_empty(in) && node->n_groups > 0 && node->n_grouping_sets == 0)
            return opt_empty_new(e->ctx, &node->schema);
        if (order_sensitive(node))
            return node;
        plan_node *below = without_sort(e, in);
        if (below == NULL)
            return e->nomem ? NULL : node;
        return opt_node_with_inputs(e->ctx, node, &below);
    }
    case PLAN_UNION:
        return simplify_union(e, node);
    default:
        return node;
    }
}

static plan_node *eliminate_node(elim *e, plan_node *node)
{
    plan_node **inputs = NULL;
    bool inputs_changed = false;
    if (node->n_inputs > 0) {
        inputs = plan_alloc(e->ctx, (size_t)node->n_inputs * sizeof *inputs);
        if (inputs == NULL) {
            e->nomem = true;
            return node;
        }
    }
    for (int32_t i = 0; i < node->n_inputs && !e->nomem; i++) {
        inputs[i] = eliminate_node(e, node->inputs[i]);
        inputs_changed |= inputs[i] != node->inputs[i];
    }
    if (e->nomem)
        return node;
    plan_node *cur = node;
    if (inputs_changed && (cur = opt_node_with_inputs(e->ctx, node, inputs)) == NULL) {
        e->nomem = true;
        return node;
    }
    /* Each removal makes the node smaller, so this ends; the bound is a
     * guard only. */
    for (int round = 0; round < 64; round++) {
        plan_node *next = eliminate_once(e, cur);
        if (next == NULL) {
            e->nomem = true;
            return node;
        }
        if (next == cur)
            break;
        e->changed = true;
        cur = next;
    }
    return cur;
}

qv_status opt_eliminate(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                        qv_error *err)
{
    elim e = {.ctx = ctx};
    plan_node *result = eliminate_node(&e, root);
    *changed = false;
    *out = NULL;
    if (e.nomem)
        return base_error_nomem(err, "optimizer (eliminate)");
    *out = result;
    *changed = e.changed;
    return QV_OK;
}
