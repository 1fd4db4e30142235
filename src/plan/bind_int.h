/*
 * bind_int.h — private interface between the binder's files (layer: plan):
 * the binding environment (visible columns, aggregate context), error
 * helpers that attach SQL positions, and literal constructors.
 */
#ifndef QV_PLAN_BIND_INT_H
#define QV_PLAN_BIND_INT_H

#include <stdio.h>

#include "plan/coerce.h"
#include "plan/plan.h"

/* Where an expression is bound. */
typedef struct bind_env {
    plan_ctx *ctx;
    const plan_schema *schema;  /* the columns names resolve to */
    bool allow_aggregates;      /* aggregate calls allowed here (SELECT list, HAVING, ORDER BY) */
    bool in_aggregate;          /* inside an aggregate call's arguments */
    const char *clause;         /* for messages: "WHERE", "GROUP BY"... */
    /* Aliases of the SELECT list that ORDER BY / HAVING may name (NULL: none). */
    int32_t n_aliases;
    const char *const *alias_names;
    plan_expr *const *alias_exprs;
} bind_env;

/* Sets err (code, printf-style message) with the position of node (may be
 * NULL) and returns code. */
qv_status bind_error(qv_error *err, qv_status code, const sql_node *node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds node's position to an error that has none yet; returns st. */
qv_status bind_locate(qv_error *err, qv_status st, const sql_node *node);

/* Levenshtein distance between two names (1000 past 64 bytes), for the
 * "Did you mean" hints of unknown columns and functions. */
size_t bind_edit_distance(const char *a, const char *b);

/* Literal expressions of the common types (NULL when memory runs out). */
plan_expr *bind_literal_int64(plan_ctx *ctx, int64_t value);
plan_expr *bind_literal_string(plan_ctx *ctx, const char *value, size_t len);
plan_expr *bind_literal_bool(plan_ctx *ctx, bool value);
plan_expr *bind_literal_null(plan_ctx *ctx, arrow_type *type);
/* A literal from a one-value array (reference moves). */
plan_expr *bind_literal_array(plan_ctx *ctx, arrow_array *value);

/* Binds any expression node (bind_expr.c). */
qv_status bind_expr(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err);
/* INTERVAL literals (bind_interval.c). */
qv_status bind_interval(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err);
/* Function calls and the special forms that become calls (bind_func.c). */
qv_status bind_function(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err);
qv_status bind_special_function(bind_env *env, const sql_node *node, plan_expr **out,
                                qv_error *err);
/* A scalar call of the named builtin on bound arguments, coercing them to
 * the function's signature. */
qv_status bind_call_named(bind_env *env, const char *name, const sql_node *at, int32_t n_args,
                          plan_expr **args, plan_expr **out, qv_error *err);
/* A comparison / arithmetic / logical binary operator on bound operands,
 * with coercion (bind_ops.c). */
qv_status bind_binary_op(bind_env *env, plan_binary_op op, uint32_t flags, plan_expr *left,
                         plan_expr *right, const sql_node *at, plan_expr **out, qv_error *err);
/* Casts every expression to their common type (CASE, IN, COALESCE...). */
qv_status bind_coerce_common(bind_env *env, int32_t n, plan_expr **exprs, const sql_node *at,
                             const char *what, qv_error *err);

/* The grouping() pseudo-aggregate (bind_func.c). */
extern const func_entry plan_grouping_entry;

/* Column resolution (bind_column.c): the index of the column named by an
 * SQL_IDENT or SQL_NAME in schema, or an error naming the valid fields. */
qv_status bind_column(bind_env *env, const sql_node *node, int32_t *column, qv_error *err);
/* The display of a column for messages: `t.a`, `t."Column1"`. */
void bind_column_display(const plan_column *col, base_strbuf *sb);

#endif /* QV_PLAN_BIND_INT_H */
