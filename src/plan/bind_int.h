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
    const plan_schema *schema; /* the columns names resolve to */
    bool allow_aggregates;     /* aggregate calls allowed here (SELECT list, HAVING, ORDER BY) */
    bool in_aggregate;         /* inside an aggregate call's arguments */
    const char *clause;        /* for messages: "WHERE", "GROUP BY"... */
    /* Aliases of the SELECT list that ORDER BY / HAVING may name (NULL: none). */
    int32_t n_aliases;
    const char *const *alias_names;
    plan_expr *const *alias_exprs;
    /* The SELECT's WINDOW clause (SQL_LIST of SQL_NAMED_WINDOW) that OVER
     * may name, or NULL. */
    const sql_node *windows;
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

/* For window calls: signature coercion and the unknown-function error of
 * ordinary calls (bind_func.c). */
qv_status bind_coerce_args(bind_env *env, const func_entry *entry, int32_t n, plan_expr **args,
                           const sql_node *at, qv_error *err);
qv_status bind_unknown_function(bind_env *env, const char *name, const sql_node *at, qv_error *err);

/* ---- window functions (bind_window.c) ---- */

/* A call with OVER (node: SQL_FUNCTION with kid [4]; name: the function
 * name as resolved): a PLAN_EXPR_WINDOW over env->schema, frame defaults
 * filled in and checked, offsets coerced, named windows resolved. */
qv_status bind_window_function(bind_env *env, const sql_node *node, const char *name,
                               plan_expr **out, qv_error *err);
/* Checks a WINDOW clause (NULL: none): every name defined once. */
qv_status bind_window_definitions(plan_ctx *ctx, const sql_node *windows, qv_error *err);
/* The window stage of a SELECT: the window calls inside *slots[0..n)
 * (SELECT list, ORDER BY) and *qualify become PLAN_WINDOW nodes over
 * *input (one per distinct PARTITION BY / ORDER BY, stacked in
 * DataFusion's order); the slots are rewritten over the top node's
 * columns and, when qualify is not NULL (QUALIFY, at: its syntax), a
 * filter of it goes on top. *input is unchanged when there are none. */
qv_status bind_window_stage(plan_ctx *ctx, plan_node **input, int32_t n, plan_expr **const *slots,
                            plan_expr *qualify, const sql_node *at, qv_error *err);

/* The grouping() pseudo-aggregate (bind_func.c). */
extern const func_entry plan_grouping_entry;

/* Column resolution (bind_column.c): the index of the column named by an
 * SQL_IDENT or SQL_NAME in schema, or an error naming the valid fields. */
qv_status bind_column(bind_env *env, const sql_node *node, int32_t *column, qv_error *err);
/* An expression for the column an SQL_IDENT / SQL_NAME names: a column of
 * env's schema or, inside a subquery, an OUTER_COLUMN of an enclosing
 * query (ctx->outer); the not-found error names env's columns. */
qv_status bind_column_ref(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err);
/* Scalar / EXISTS / IN subquery expressions (bind_subquery.c). */
qv_status bind_subquery_expr(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err);
/* value [NOT] IN (query). */
qv_status bind_in_subquery(bind_env *env, const sql_node *value, const sql_node *query,
                           bool negated, const sql_node *at, plan_expr **out, qv_error *err);
/* Subquery expressions into joins (decorrelate.c): bind_has_subquery tells
 * whether e holds one; bind_decorrelate_expr replaces each by a column of
 * a join added to *input (which keeps its columns first); bind_filter puts
 * a WHERE / HAVING predicate over *input, top-level [NOT] EXISTS / IN
 * conjuncts as semi / anti joins, with *input's columns unchanged. */
bool bind_has_subquery(const plan_expr *e);
bool bind_has_correlated_subquery(const plan_expr *e);
qv_status bind_decorrelate_expr(plan_ctx *ctx, plan_node **input, plan_expr **e, qv_error *err);
qv_status bind_filter(plan_ctx *ctx, plan_node **input, plan_expr *pred, qv_error *err);
/* The display of a column for messages: `t.a`, `t."Column1"`. */
void bind_column_display(const plan_column *col, base_strbuf *sb);

/* Nested values (bind_nested.c): array literals, subscripts, slices,
 * field access, struct / map literals and tuples become calls of
 * make_array, array_element, array_slice, get_field, named_struct, struct
 * and map. */
qv_status bind_nested_expr(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err);
/* Calls bound by their own rules: struct(...) / row(...), whose
 * arguments may carry field names (`struct(a AS x)`), and unnest(x). */
bool bind_nested_is_special(const char *name);
qv_status bind_nested_special_call(bind_env *env, const char *name, const sql_node *node,
                                   plan_expr **out, qv_error *err);
/* A compound name (SQL_NAME) that is a column followed by struct field
 * names (`s.f`, `t.s.f`): get_field calls. QV_NOT_FOUND (no message) when
 * no prefix of the name is a column, or the whole name is one. */
qv_status bind_nested_compound(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err);

/* Operators on lists (bind_array_ops.c): `||` becomes array_concat /
 * array_append / array_prepend, `@>` / `<@` array_has_all, when the
 * operand types are lists; QV_NOT_FOUND (no message) otherwise. */
qv_status bind_array_operator(bind_env *env, const sql_node *node, plan_expr *l, plan_expr *r,
                              plan_expr **out, qv_error *err);

/* unnest (bind_unnest.c). unnest(x) in an expression: the marker call
 * (plan_unnest_entry) the unnest stage takes apart; DataFusion's errors
 * for no or several arguments, NULL and non-list, non-struct values. */
qv_status bind_unnest_call(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err);
/* True when e is unnest(struct): at the root of a SELECT item it becomes
 * one column per field, get_field(x, 'f') named "x.f"
 * (bind_unnest_struct_fields; arrays in the ctx arena). */
bool bind_unnest_is_struct(const plan_expr *e);
qv_status bind_unnest_struct_fields(bind_env *env, const plan_expr *e, int32_t *n,
                                    plan_expr ***fields, const char ***names, qv_error *err);
/* True when one of the n expressions holds an unnest marker. */
bool bind_unnest_in_any(int32_t n, plan_expr *const *exprs);
/* Rewrites the n expressions *slots[i] (over *input) so that their unnest
 * markers are columns of PLAN_UNNEST nodes stacked on *input, which
 * becomes the last of them. Nothing changes without markers. */
qv_status bind_unnest_stage(plan_ctx *ctx, plan_node **input, int32_t n, plan_expr ***slots,
                            qv_error *err);
/* `FROM unnest(a, b...) [AS t(x, y...)]`: whether a FROM item is one, and
 * its plan. */
bool bind_unnest_is_table(plan_ctx *ctx, const sql_node *item);
qv_status bind_unnest_table(plan_ctx *ctx, const sql_node *item, plan_node **out, qv_error *err);

#endif /* QV_PLAN_BIND_INT_H */
