/*
 * push_limit.c — the limit pushdown rule (layer: optimizer): a LIMIT with a
 * fetch tells the nodes below how many rows are wanted at most.
 *   - LIMIT over SORT: the sort keeps only skip + fetch rows (top-K,
 *     SORT.fetch); the LIMIT stays for the skip.
 *   - LIMIT over PROJECTION: the LIMIT moves below the projection (rows
 *     are computed only for rows that are returned).
 *   - LIMIT over a SCAN without pushed filters: SCAN.fetch = skip + fetch
 *     (the LIMIT stays: a scan's partitions may each return that many).
 *   - LIMIT over UNION: every input gets LIMIT skip + fetch (the top LIMIT
 *     stays).
 * Never through filters or aggregates (they change which rows count).
 */
#include "optimizer/optimizer_int.h"

typedef struct plim {
    plan_ctx *ctx;
    bool changed;
    bool nomem;
} plim;

static plan_node *push_node(plim *p, plan_node *node);

/* skip + fetch, saturating (fetch >= 0). */
static int64_t wanted(const plan_node *limit)
{
    return limit->skip > INT64_MAX - limit->fetch ? INT64_MAX : limit->skip + limit->fetch;
}

static plan_node *limit_new(plim *p, plan_node *input, int64_t skip, int64_t fetch)
{
    plan_node *limit = plan_node_new(p->ctx, PLAN_LIMIT, 1, &input);
    if (limit == NULL) {
        p->nomem = true;
        return NULL;
    }
    limit->schema = input->schema;
    limit->skip = skip;
    limit->fetch = fetch;
    return limit;
}

/* True when node returns at most n rows from the start of its input
 * already: a LIMIT without skip, possibly under projections. */
static bool already_limited(const plan_node *node, int64_t n)
{
    while (node->kind == PLAN_PROJECTION)
        node = node->inputs[0];
    return node->kind == PLAN_LIMIT && node->skip == 0 && node->fetch >= 0 && node->fetch <= n;
}

/* The limit's input with at most n rows asked of it, or input itself. */
static plan_node *bound_input(plim *p, plan_node *input, int64_t n)
{
    switch (input->kind) {
    case PLAN_SORT:
        if (input->fetch >= 0 && input->fetch <= n)
            return input;
        break;
    case PLAN_SCAN:
        if (input->n_filters > 0 || (input->fetch >= 0 && input->fetch <= n))
            return input;
        break;
    case PLAN_UNION: {
        plan_node **inputs = plan_alloc(p->ctx, (size_t)input->n_inputs * sizeof *inputs);
        if (inputs == NULL) {
            p->nomem = true;
            return input;
        }
        bool any = false;
        for (int32_t i = 0; i < input->n_inputs; i++) {
            plan_node *in = input->inputs[i];
            inputs[i] = in;
            if (already_limited(in, n))
                continue;
            if ((inputs[i] = limit_new(p, in, 0, n)) == NULL)
                return input;
            any = true;
        }
        if (!any)
            return input;
        plan_node *u = opt_node_with_inputs(p->ctx, input, inputs);
        p->nomem |= u == NULL;
        return u != NULL ? u : input;
    }
    default:
        return input;
    }
    plan_node *bounded = opt_node_copy(p->ctx, input);
    if (bounded == NULL) {
        p->nomem = true;
        return input;
    }
    bounded->fetch = n;
    return bounded;
}

/* A LIMIT (with fetch) over its already rewritten input. */
static plan_node *push_limit(plim *p, plan_node *limit)
{
    plan_node *input = limit->inputs[0];
    if (input->kind == PLAN_PROJECTION) {
        /* Projection over the limit; the new limit is pushed further. */
        plan_node *below = limit_new(p, input->inputs[0], limit->skip, limit->fetch);
        if (below == NULL)
            return limit;
        below = push_limit(p, below);
        plan_node *proj = opt_node_with_inputs(p->ctx, input, &below);
        if (proj == NULL) {
            p->nomem = true;
            return limit;
        }
        p->changed = true;
        return proj;
    }
    plan_node *bounded = bound_input(p, input, wanted(limit));
    if (bounded == input || p->nomem)
        return limit;
    /* The union's new limits may go further down. */
    if (bounded->kind == PLAN_UNION)
        for (int32_t i = 0; i < bounded->n_inputs; i++)
            if (bounded->inputs[i] != input->inputs[i])
                bounded->inputs[i] = push_limit(p, bounded->inputs[i]);
    plan_node *copy = opt_node_with_inputs(p->ctx, limit, &bounded);
    if (copy == NULL) {
        p->nomem = true;
        return limit;
    }
    p->changed = true;
    return copy;
}

static plan_node *push_node(plim *p, plan_node *node)
{
    plan_node **inputs = NULL;
    bool inputs_changed = false;
    if (node->n_inputs > 0) {
        inputs = plan_alloc(p->ctx, (size_t)node->n_inputs * sizeof *inputs);
        if (inputs == NULL) {
            p->nomem = true;
            return node;
        }
    }
    for (int32_t i = 0; i < node->n_inputs && !p->nomem; i++) {
        inputs[i] = push_node(p, node->inputs[i]);
        inputs_changed |= inputs[i] != node->inputs[i];
    }
    if (p->nomem)
        return node;
    plan_node *cur = node;
    if (inputs_changed && (cur = opt_node_with_inputs(p->ctx, node, inputs)) == NULL) {
        p->nomem = true;
        return node;
    }
    /* A scalar subquery's one-row check must see a second row. */
    if (cur->kind == PLAN_LIMIT && cur->fetch >= 0 && !cur->fail_past_fetch)
        cur = push_limit(p, cur);
    return cur;
}

qv_status opt_push_limit(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                         qv_error *err)
{
    plim p = {.ctx = ctx};
    plan_node *result = push_node(&p, root);
    *changed = false;
    *out = NULL;
    if (p.nomem)
        return base_error_nomem(err, "optimizer (limit pushdown)");
    *out = result;
    *changed = p.changed;
    return QV_OK;
}
