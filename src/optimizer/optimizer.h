/*
 * optimizer.h — the logical optimizer (layer: optimizer): rewrite rules
 * over logical plans (plan/plan.h), run by one driver between binding and
 * physical planning. Every rule keeps the plan's results exactly (same
 * rows, and the root's output columns keep their names, types and order);
 * each can be switched off on its own.
 *
 * Rules (one file each), in the order a pass runs them:
 *   simplify.c        constant folding (through plan_options.const_eval,
 *                     which the executor provides) and expression
 *                     simplification
 *   eliminate.c       redundant nodes: identity projections, sorts whose
 *                     order nobody sees, LIMIT over LIMIT, constant filters,
 *                     empty relations, nested unions
 *   push_filter.c     filters through projections, sorts, aggregates (group
 *                     columns), unions, joins and other filters, into scans;
 *                     WHERE equalities across a join become its keys
 *   join_order.c      chains of inner joins in a greedy order on estimated
 *                     cardinality
 *   push_limit.c      LIMIT into sorts (top-K) and scans, below projections
 *                     and into union inputs
 *   push_projection.c only the columns someone needs are read and computed;
 *                     stacked projections merge
 *   eliminate.c       again, to clean up after the pushdowns
 * optimizer.c is the driver; util.c holds what the rules share.
 *
 * Memory: new nodes and expressions live in the plan_ctx's arena. Rules
 * never modify a node they were given: they build new nodes, so the input
 * plan stays valid and unchanged (it may share sub-trees with the result).
 */
#ifndef QV_OPTIMIZER_H
#define QV_OPTIMIZER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"
#include "catalog/catalog.h"
#include "plan/plan.h"

typedef struct optimizer_options {
    int32_t max_passes;        /* datafusion.optimizer.max_passes; 0 disables every rule */
    bool simplify_expressions; /* constant folding and expression simplification */
    bool push_down_projection; /* only the needed columns are read: PLAN_SCAN.projection */
    bool push_down_filter;     /* filters through projections / into scans */
    bool push_down_limit;      /* LIMIT into SORT (fetch) and scans (fetch) */
    bool eliminate_redundant;  /* identity projections, needless sorts, LIMIT merges... */
    bool join_reordering;      /* datafusion.optimizer.join_reordering: greedy join order */
} optimizer_options;

/* Every rule on, max_passes 3. */
void optimizer_options_default(optimizer_options *opts);

/* Optimizes the plan rooted at root: runs the enabled rules in order, pass
 * after pass, until a pass changes nothing or max_passes passes ran. *out
 * gets the new root (root itself when nothing changed); root is not
 * modified. opts NULL: the defaults. Errors: QV_NOMEM only (a rule that
 * cannot prove a rewrite safe leaves the plan as it is). */
qv_status optimizer_run(plan_ctx *ctx, plan_node *root, const optimizer_options *opts,
                        plan_node **out, qv_error *err);

/* The filter a provider is asked about for a pushed-down scan filter (an
 * expression of PLAN_SCAN.filters, over the table's full schema): column
 * op literal (either side; = != < <= > >=), column IS [NOT] NULL, or
 * column IN (literals), where the literals have the column's exact type.
 * Returns false when e has another form (such a filter is never pushed
 * into a scan). On true, out->values is a new reference (a length-1 array,
 * the IN list, or NULL for IS [NOT] NULL) that the caller releases with
 * optimizer_predicate_clear once the provider no longer reads it. */
bool optimizer_to_catalog_predicate(const plan_expr *e, catalog_predicate *out);
/* Releases out->values and sets it to NULL. */
void optimizer_predicate_clear(catalog_predicate *pred);

#endif /* QV_OPTIMIZER_H */
