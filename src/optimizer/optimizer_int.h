/*
 * optimizer_int.h — what the optimizer's files share (layer: optimizer):
 * the rule entry points the driver calls, and helpers for building nodes,
 * handling conjunctions and judging expressions (util.c).
 */
#ifndef QV_OPTIMIZER_INT_H
#define QV_OPTIMIZER_INT_H

#include "optimizer/optimizer.h"

/* ---- rules ----
 * A rule rewrites the plan under root into *out (root itself, or new nodes
 * sharing unchanged sub-trees; root is never modified) and sets *changed
 * when the result differs. Errors: QV_NOMEM. */
typedef qv_status (*opt_rule_fn)(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                                 qv_error *err);

qv_status opt_simplify(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                       qv_error *err);
qv_status opt_eliminate(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                        qv_error *err);
qv_status opt_push_filter(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                          qv_error *err);
qv_status opt_join_order(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                         qv_error *err);
qv_status opt_push_limit(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                         qv_error *err);
qv_status opt_push_projection(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                              qv_error *err);

/* ---- nodes (util.c) ---- */

/* A copy of node with its own inputs array (the inputs are shared).
 * NULL when memory runs out. */
plan_node *opt_node_copy(plan_ctx *ctx, const plan_node *node);
/* A copy of node over inputs (node->n_inputs of them); FILTER, SORT and
 * LIMIT take the schema of their new input. */
plan_node *opt_node_with_inputs(plan_ctx *ctx, const plan_node *node, plan_node *const *inputs);
/* A FILTER of predicate over input. */
plan_node *opt_filter_new(plan_ctx *ctx, plan_node *input, plan_expr *predicate);
/* An EMPTY relation (no rows) with schema (the column array is shared). */
plan_node *opt_empty_new(plan_ctx *ctx, const plan_schema *schema);
/* A projection over input whose column i is input column columns[i], named
 * as schema's column i (schema NULL: as the input names it). */
plan_node *opt_project_columns(plan_ctx *ctx, plan_node *input, int32_t n, const int32_t *columns,
                               const plan_schema *schema);
/* True when node is an EMPTY relation without rows. */
bool opt_is_empty(const plan_node *node);
/* Rewrites a FILTER whose predicate is a Boolean literal: true gives the
 * input, false or NULL an EMPTY relation of the same schema. *out is NULL
 * when node is not such a filter. Returns false when memory runs out. */
bool opt_constant_filter(plan_ctx *ctx, const plan_node *node, plan_node **out);

/* ---- expressions (util.c) ---- */

/* A growable list of expressions in the ctx arena (plan_expr_list_push
 * appends). */
typedef plan_expr_list opt_exprs;
/* Appends the conjuncts of e (the operands of nested ANDs, left to right). */
bool opt_split_conjuncts(plan_ctx *ctx, plan_expr *e, opt_exprs *list);
/* The left-deep AND of list (n >= 1). NULL when memory runs out. */
plan_expr *opt_conjunction(plan_ctx *ctx, const opt_exprs *list);

/* A Boolean literal (value 0 or 1), or a NULL literal of type when value is
 * -1 (type NULL: Boolean). NULL when memory runs out. */
plan_expr *opt_bool_literal(plan_ctx *ctx, int value, arrow_type *type);
/* 1 / 0 for a true / false Boolean literal, -1 for a NULL literal (of
 * Boolean or Null type), -2 for anything else. */
int opt_literal_truth(const plan_expr *e);

/* True when e calls a volatile function (random()...). */
bool opt_expr_volatile(const plan_expr *e);
/* True when evaluating e can never fail, whatever the input: columns,
 * literals, comparisons, AND / OR / NOT, IS, IN lists, LIKE with a literal
 * pattern, widening casts and TRY_CAST over such expressions. */
bool opt_expr_infallible(const plan_expr *e);
/* e with every column reference c replaced by a copy of exprs[c]. NULL
 * when memory runs out. */
plan_expr *opt_expr_substitute(plan_ctx *ctx, const plan_expr *e, plan_expr *const *exprs);
/* The highest column e reads, or -1. */
int32_t opt_expr_max_column(const plan_expr *e);

#endif /* QV_OPTIMIZER_INT_H */
