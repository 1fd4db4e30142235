/*
 * bind_from.h — FROM items and query bodies, shared between the binder's
 * query files (layer: plan, private).
 */
#ifndef QV_PLAN_BIND_FROM_H
#define QV_PLAN_BIND_FROM_H

#include "plan/bind_int.h"

/* A table, view, derived table... of a FROM clause. */
qv_status bind_from_item(plan_ctx *ctx, const sql_node *item, plan_node **out, qv_error *err);
/* input's columns under qualifier (and renamed by column_aliases, may be NULL). */
qv_status bind_alias_relation(plan_ctx *ctx, plan_node *input, const char *qualifier,
                              const sql_node *column_aliases, const sql_node *at, plan_node **out,
                              qv_error *err);
/* A SELECT with the query's ORDER BY list (may be NULL), which may refer to
 * columns the SELECT list does not produce. */
qv_status bind_select(plan_ctx *ctx, const sql_node *select, const sql_node *order_by,
                      plan_node **out, qv_error *err);
/* A sort node over input for an ORDER BY list bound against input's columns
 * (ordinals and output names), used for VALUES and set operations. */
qv_status bind_order_by_output(plan_ctx *ctx, plan_node *input, const sql_node *order_by,
                               plan_node **out, qv_error *err);
/* The NULLS FIRST / LAST default of DataFusion: nulls first when descending. */
bool bind_nulls_first(const sql_node *order_item);

#endif /* QV_PLAN_BIND_FROM_H */
