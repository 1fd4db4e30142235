/*
 * bind_from.h — FROM items and query bodies, shared between the binder's
 * query files (layer: plan, private).
 */
#ifndef QV_PLAN_BIND_FROM_H
#define QV_PLAN_BIND_FROM_H

#include "plan/bind_int.h"

/* A table, view, derived table... of a FROM clause. */
qv_status bind_from_item(plan_ctx *ctx, const sql_node *item, plan_node **out, qv_error *err);
/* A scan of provider (reference moved to the ctx) under qualifier, its
 * columns renamed by column_aliases (may be NULL) (bind_from.c). */
qv_status bind_scan(plan_ctx *ctx, catalog_table *provider, const char *table_name,
                    const char *qualifier, const sql_node *column_aliases, const sql_node *at,
                    plan_node **out, qv_error *err);
/* FROM name(args): the table a table function makes from its constant
 * arguments, through plan_options.table_function (bind_table_func.c). */
qv_status bind_table_function(plan_ctx *ctx, const sql_node *item, plan_node **out, qv_error *err);
/* A join (SQL_JOIN) / a whole FROM list, items cross-joined left to right
 * (bind_join.c). */
qv_status bind_join(plan_ctx *ctx, const sql_node *join, plan_node **out, qv_error *err);
qv_status bind_from_clause(plan_ctx *ctx, const sql_node *from, plan_node **out, qv_error *err);
/* A common table expression in scope. */
typedef struct plan_cte {
    const char *name;
    const sql_node *query;
    const sql_node *columns; /* column names, may be NULL */
    int32_t n_outer;         /* enclosing queries visible where it is defined */
    plan_node *recursive;    /* a recursive CTE: its plan, bound once */
    plan_node *work_table;   /* while its recursive term is bound: what names it */
    bool work_table_used;    /* ... and whether it did */
} plan_cte;
/* Puts WITH's CTEs in scope; *saved is what to restore ctx->n_ctes to
 * after the query (bind_cte.c). */
qv_status bind_with(plan_ctx *ctx, const sql_node *with, int32_t *saved, qv_error *err);
/* The plan of a table reference that names a CTE in scope; *out stays
 * NULL when it names none. */
qv_status bind_cte_reference(plan_ctx *ctx, const sql_node *table, plan_node **out, qv_error *err);
/* input with its columns cast to target's types (where they differ). */
qv_status bind_coerce_to_schema(plan_ctx *ctx, plan_node *input, const plan_schema *target,
                                plan_node **out, qv_error *err);
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
