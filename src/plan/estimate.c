/*
 * estimate.c — row count estimates of logical plans (layer: plan), for
 * choosing a hash join's build side and join orders. Scans ask the table
 * provider's statistics; everything else derives from its inputs with
 * DataFusion's defaults where it has them (a filter keeps 20% of its
 * input). -1 means unknown and propagates.
 */
#include "plan/plan.h"

#define LIMIT_ROWS (INT64_MAX / 4)

static int64_t capped(int64_t n)
{
    return n > LIMIT_ROWS ? LIMIT_ROWS : n;
}

static int64_t times(int64_t a, int64_t b)
{
    if (a < 0 || b < 0)
        return -1;
    if (a != 0 && b > LIMIT_ROWS / a)
        return LIMIT_ROWS;
    return a * b;
}

static int64_t plus(int64_t a, int64_t b)
{
    return a < 0 || b < 0 ? -1 : capped(a + b);
}

static int64_t max2(int64_t a, int64_t b)
{
    return a < 0 || b < 0 ? -1 : (a > b ? a : b);
}

/* DataFusion's default filter selectivity. */
static int64_t filtered(int64_t n)
{
    return n < 0 ? -1 : (n + 4) / 5;
}

static int64_t fetched(int64_t n, int64_t fetch)
{
    if (fetch < 0)
        return n;
    return n < 0 || n > fetch ? fetch : n;
}

static int64_t scan_rows(const plan_node *node)
{
    catalog_table *table = node->table;
    if (table == NULL || table->ops->statistics == NULL)
        return fetched(-1, node->fetch);
    catalog_stats stats = {.n_rows = -1, .total_bytes = -1};
    table->ops->statistics(table, &stats);
    int64_t n = stats.n_rows;
    if (node->n_filters > 0)
        n = filtered(n);
    return fetched(n, node->fetch);
}

static int64_t join_rows(const plan_node *node)
{
    int64_t left = plan_estimate_rows(node->inputs[0]);
    int64_t right = plan_estimate_rows(node->inputs[1]);
    int64_t inner;
    if (node->n_join_keys > 0)
        inner = max2(left, right); /* equi-joins mostly follow a foreign key */
    else if (node->join_filter != NULL)
        inner = filtered(times(left, right));
    else
        inner = times(left, right);
    switch (node->join_type) {
    case PLAN_JOIN_INNER:
        return inner;
    case PLAN_JOIN_LEFT:
        return max2(inner, left);
    case PLAN_JOIN_RIGHT:
        return max2(inner, right);
    case PLAN_JOIN_FULL:
        return max2(inner, plus(left, right));
    case PLAN_JOIN_LEFT_SEMI:
    case PLAN_JOIN_LEFT_ANTI:
    case PLAN_JOIN_LEFT_MARK:
        return left;
    case PLAN_JOIN_RIGHT_SEMI:
    case PLAN_JOIN_RIGHT_ANTI:
        return right;
    }
    return -1;
}

int64_t plan_estimate_rows(const plan_node *node)
{
    if (node == NULL)
        return -1;
    switch (node->kind) {
    case PLAN_SCAN:
        return scan_rows(node);
    case PLAN_VALUES:
        return node->n_rows;
    case PLAN_EMPTY:
        return node->produce_one_row ? 1 : 0;
    case PLAN_PROJECTION:
    case PLAN_WINDOW:
        return plan_estimate_rows(node->inputs[0]);
    case PLAN_FILTER:
        return filtered(plan_estimate_rows(node->inputs[0]));
    case PLAN_AGGREGATE: {
        if (node->n_groups == 0 && node->n_grouping_sets == 0)
            return 1;
        /* At most one group per input row (and set). */
        int64_t sets = node->n_grouping_sets > 0 ? node->n_grouping_sets : 1;
        return times(plan_estimate_rows(node->inputs[0]), sets);
    }
    case PLAN_SORT:
        return fetched(plan_estimate_rows(node->inputs[0]), node->fetch);
    case PLAN_LIMIT: {
        int64_t n = plan_estimate_rows(node->inputs[0]);
        if (n >= 0)
            n = n > node->skip ? n - node->skip : 0;
        return fetched(n, node->fetch);
    }
    case PLAN_UNION: {
        int64_t n = 0;
        for (int32_t i = 0; i < node->n_inputs && n >= 0; i++)
            n = plus(n, plan_estimate_rows(node->inputs[i]));
        return n;
    }
    case PLAN_JOIN:
        return join_rows(node);
    default:
        return -1; /* unnest and later kinds: unknown */
    }
}
