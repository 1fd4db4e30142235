/*
 * plan.h — logical plans (layer: plan): logical expressions, plan nodes
 * with their output schemas, the binder that turns SQL syntax trees into
 * plans (names resolved through the catalog, types coerced as DataFusion
 * does, functions through the registry), and the EXPLAIN text of a plan.
 *
 * ---- Memory ----
 * Every expression, node and string of a plan lives in the plan_ctx's
 * arena and dies with it (plan_ctx_free). Arrow objects (types, literal
 * arrays) and tables referenced from a plan are registered with the
 * context (plan_ctx_keep_*), which releases them at the end.
 *
 * ---- Columns ----
 * Expressions refer to the columns of their node's input by index
 * (PLAN_EXPR_COLUMN.column); a plan_schema names every column with an
 * optional qualifier (the table or alias it comes from) so the binder can
 * resolve `t.a` and EXPLAIN can print `t.a`. A node with two inputs (joins,
 * later) numbers the left input's columns first.
 */
#ifndef QV_PLAN_H
#define QV_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "arrow/arrow.h"
#include "base/base.h"
#include "catalog/catalog.h"
#include "func/agg.h"
#include "func/func.h"
#include "sql/sql.h"

typedef struct plan_ctx plan_ctx;
typedef struct plan_node plan_node;

/* ---- schemas ---- */

typedef struct plan_column {
    const char *qualifier; /* NULL: unqualified */
    const char *name;
    arrow_type *type; /* kept by the ctx */
    bool nullable;
    /* The right-hand copy of a USING / NATURAL join column: left out of
     * `*` and of unqualified name resolution (the left copy answers). */
    bool using_hidden;
} plan_column;

typedef struct plan_schema {
    int32_t n_columns;
    plan_column *columns;
} plan_schema;

/* ---- expressions ---- */

typedef enum plan_expr_kind {
    PLAN_EXPR_COLUMN,       /* column */
    PLAN_EXPR_LITERAL,      /* value: a length-1 array of type */
    PLAN_EXPR_BINARY,       /* op: plan_binary_op; args[0], args[1] */
    PLAN_EXPR_NOT,          /* args[0] Boolean */
    PLAN_EXPR_NEGATE,       /* args[0] numeric / interval */
    PLAN_EXPR_IS,           /* op: plan_is_op; args[0] */
    PLAN_EXPR_CAST,         /* args[0] to type; flags PLAN_F_SAFE for TRY_CAST */
    PLAN_EXPR_CASE,         /* args: [operand or NULL], then when/then pairs, then else or
                               NULL: n_args = 2 + 2 * n_when */
    PLAN_EXPR_IN_LIST,      /* flags PLAN_F_NEGATED; args[0] value, args[1..] the list */
    PLAN_EXPR_LIKE,         /* flags PLAN_F_NEGATED, PLAN_F_CASE_INSENSITIVE; args[0] value,
                               args[1] pattern; escape */
    PLAN_EXPR_FUNCTION,     /* func (scalar); args */
    PLAN_EXPR_PLACEHOLDER,  /* $1...: column = parameter index (0-based) */
    PLAN_EXPR_AGGREGATE,    /* agg: an aggregate call while binding; the binder
                               replaces it by a column of the aggregate node */
    PLAN_EXPR_WINDOW,       /* win: a window call while binding; the binder
                               replaces it by a column of a PLAN_WINDOW node */
    PLAN_EXPR_OUTER_COLUMN, /* a column of an enclosing query (correlated
                               subqueries): outer is that column, column its
                               index in the enclosing input, op the nesting
                               depth (1: the query right around) */
    PLAN_EXPR_SUBQUERY,     /* op: plan_subquery_kind, flags PLAN_F_NEGATED
                               (NOT EXISTS / NOT IN); subquery: its plan;
                               IN: args[0] the tested value. The binder turns
                               them into joins (decorrelate.c). */
} plan_expr_kind;

typedef enum plan_subquery_kind {
    PLAN_SUBQUERY_SCALAR,
    PLAN_SUBQUERY_EXISTS,
    PLAN_SUBQUERY_IN,
} plan_subquery_kind;

typedef enum plan_binary_op {
    PLAN_OP_ADD,
    PLAN_OP_SUB,
    PLAN_OP_MUL,
    PLAN_OP_DIV,
    PLAN_OP_MOD,
    PLAN_OP_EQ,
    PLAN_OP_NE,
    PLAN_OP_LT,
    PLAN_OP_LE,
    PLAN_OP_GT,
    PLAN_OP_GE,
    PLAN_OP_AND,
    PLAN_OP_OR,
    PLAN_OP_IS_DISTINCT,
    PLAN_OP_IS_NOT_DISTINCT,
    PLAN_OP_CONCAT, /* || on strings */
    PLAN_OP_REGEX,  /* ~  (flags: PLAN_F_NEGATED, PLAN_F_CASE_INSENSITIVE) */
    PLAN_OP_BIT_AND,
    PLAN_OP_BIT_OR,
    PLAN_OP_BIT_XOR,
    PLAN_OP_SHL,
    PLAN_OP_SHR,
    PLAN_OP_COUNT_
} plan_binary_op;

typedef enum plan_is_op {
    PLAN_IS_NULL,
    PLAN_IS_NOT_NULL,
    PLAN_IS_TRUE,
    PLAN_IS_NOT_TRUE,
    PLAN_IS_FALSE,
    PLAN_IS_NOT_FALSE,
    PLAN_IS_UNKNOWN,
    PLAN_IS_NOT_UNKNOWN
} plan_is_op;

enum {
    PLAN_F_SAFE = 1u << 0,
    PLAN_F_NEGATED = 1u << 1,
    PLAN_F_CASE_INSENSITIVE = 1u << 2,
    PLAN_F_PARAM = 1u << 3, /* LITERAL: the value of placeholder $(column + 1), named "$n" */
};

typedef struct plan_expr plan_expr;
struct plan_expr {
    plan_expr_kind kind;
    int32_t op;
    uint32_t flags;
    arrow_type *type; /* result type (kept by the ctx) */
    bool nullable;
    int32_t column;                  /* COLUMN: input column; PLACEHOLDER: parameter index */
    arrow_array *value;              /* LITERAL */
    const func_entry *func;          /* FUNCTION */
    struct plan_agg_call *agg;       /* AGGREGATE */
    struct plan_window_call *win;    /* WINDOW (see "window functions" below) */
    plan_node *subquery;             /* SUBQUERY */
    const struct plan_column *outer; /* OUTER_COLUMN */
    uint32_t escape;                 /* LIKE: escape code point, 0 for none */
    int32_t n_args;
    plan_expr **args;
};

/* ---- nodes ---- */

typedef enum plan_kind {
    PLAN_SCAN,       /* table, projection, filters (over the table's columns), fetch */
    PLAN_VALUES,     /* n_rows x schema.n_columns literal expressions (no input) */
    PLAN_EMPTY,      /* produce_one_row: one row of no columns, or none */
    PLAN_PROJECTION, /* exprs (one per output column) */
    PLAN_FILTER,     /* predicate */
    PLAN_AGGREGATE,  /* group exprs, grouping sets, aggregate calls */
    PLAN_SORT,       /* sort keys, fetch */
    PLAN_LIMIT,      /* skip, fetch */
    PLAN_UNION,      /* inputs (UNION ALL; DISTINCT is an aggregate above it) */
    PLAN_JOIN,       /* inputs[0] left, inputs[1] right: see "joins" below */
    PLAN_WINDOW,     /* window calls over the input: see "window functions" below */
    PLAN_UNNEST,     /* unnest of list / struct columns: see "unnest" below */
    PLAN_RECURSIVE,  /* WITH RECURSIVE: inputs[0] the static term, [1] the recursive
                        term, which reads the rows of the previous round through
                        PLAN_WORK_TABLE leaves with the same work_table_id; distinct
                        for UNION (not ALL) */
    PLAN_WORK_TABLE, /* the previous round of a recursive query (table_name: the CTE) */
    PLAN_KIND_COUNT_
} plan_kind;

typedef struct plan_sort_key {
    plan_expr *expr;
    bool descending;
    bool nulls_first;
} plan_sort_key;

struct plan_agg_call {
    const func_entry *func; /* FUNC_AGGREGATE */
    int32_t n_args;
    plan_expr **args; /* over the aggregate's input */
    arrow_type *return_type;
    bool distinct;
    plan_expr *filter; /* FILTER (WHERE ...) or NULL */
    int32_t n_order;
    plan_sort_key *order; /* ORDER BY inside the call */
    const char *name;     /* display name, e.g. "count(t.a)" */
};
typedef struct plan_agg_call plan_agg_call;

/* ---- joins ----
 * Rows of the left and right input match when every left_keys[i] (over the
 * left input) equals right_keys[i] (over the right input; both of one type,
 * the binder coerces), NULL keys never matching unless null_equals_null,
 * and join_filter (over the left columns then the right columns; NULL:
 * none) is true. Output columns: INNER / LEFT / RIGHT / FULL: the left
 * input's then the right input's (the outer side's partner columns NULL
 * for unmatched rows); LEFT_SEMI / LEFT_ANTI: the left input's;
 * RIGHT_SEMI / RIGHT_ANTI: the right input's; LEFT_MARK: the left input's
 * then a non-null Boolean "mark" telling whether the row has a match.
 * null_aware (LEFT_ANTI with one key, for NOT IN): a left row is kept only
 * when its key is not NULL and no right key is NULL, unless the right
 * input is empty (then every left row is kept). CROSS JOIN is INNER with
 * no keys and no filter. */
typedef enum plan_join_type {
    PLAN_JOIN_INNER,
    PLAN_JOIN_LEFT,
    PLAN_JOIN_RIGHT,
    PLAN_JOIN_FULL,
    PLAN_JOIN_LEFT_SEMI,
    PLAN_JOIN_LEFT_ANTI,
    PLAN_JOIN_RIGHT_SEMI,
    PLAN_JOIN_RIGHT_ANTI,
    PLAN_JOIN_LEFT_MARK,
} plan_join_type;

/* DataFusion's name of a join type ("Inner", "LeftSemi", ...). */
const char *plan_join_type_name(plan_join_type type);
/* Whether the join's output has the left / right input's columns. */
bool plan_join_keeps_left(plan_join_type type);
bool plan_join_keeps_right(plan_join_type type);
/* A join of left and right without condition (add them with
 * plan_join_add_condition); its output schema per the rules above. NULL
 * when memory runs out. (join.c) */
plan_node *plan_join_new(plan_ctx *ctx, plan_join_type type, plan_node *left, plan_node *right);
/* Adds a condition over (left ++ right) columns: each conjunct that equates
 * a left-only expression with a right-only one becomes a key pair, the rest
 * is ANDed into join_filter. False when memory runs out. */
bool plan_join_add_condition(plan_ctx *ctx, plan_node *join, plan_expr *cond);
/* Adds the key pair left_key (over the left input) = right_key (over the
 * right input), of one type. False when memory runs out. */
bool plan_join_add_key(plan_ctx *ctx, plan_node *join, plan_expr *left_key, plan_expr *right_key);
/* The whole condition (keys and filter) over (left ++ right) columns, or
 * NULL when there is none or memory runs out. */
plan_expr *plan_join_condition(plan_ctx *ctx, const plan_node *join);
/* e, over (left ++ right) columns and reading only right ones, as an
 * expression over the right input alone (NULL when memory runs out). */
plan_expr *plan_expr_to_right_input(plan_ctx *ctx, const plan_expr *e, int32_t n_left,
                                    int32_t n_right);
/* Which side of a join an expression over (left ++ right) columns reads:
 * 0 none, 1 left only, 2 right only, 3 both. */
int32_t plan_expr_side(const plan_expr *e, int32_t n_left);
/* Estimated number of rows the node produces, -1 when unknown: table
 * statistics for scans, exact for VALUES, a fixed selectivity for filters,
 * limits and fetches capped, joins by type (estimate.c; the physical
 * planner picks hash join build sides with it, the optimizer join orders). */
int64_t plan_estimate_rows(const plan_node *node);

/* ---- window functions ---- (owned by the window work; see bind_window.c)
 * A window call is a PLAN_EXPR_WINDOW expression. Its args hold, in this
 * order: the function's arguments (win->n_args), the PARTITION BY
 * expressions (win->n_partition), the ORDER BY expressions (win->n_order;
 * their directions in win->order) and, when win->has_filter, the FILTER
 * predicate. Keeping them in args lets every expression walk (copying with
 * column remapping, columns used, the aggregate rewrite) see them; the
 * plan_window_* helpers below index them. */
typedef enum plan_frame_units {
    PLAN_FRAME_ROWS,
    PLAN_FRAME_RANGE,
    PLAN_FRAME_GROUPS,
} plan_frame_units;

typedef enum plan_frame_bound_kind {
    PLAN_BOUND_UNBOUNDED_PRECEDING,
    PLAN_BOUND_PRECEDING,
    PLAN_BOUND_CURRENT_ROW,
    PLAN_BOUND_FOLLOWING,
    PLAN_BOUND_UNBOUNDED_FOLLOWING,
} plan_frame_bound_kind;

typedef struct plan_frame_bound {
    plan_frame_bound_kind kind;
    /* PRECEDING / FOLLOWING: the offset, a non-null length-1 array kept by
     * the ctx: UInt64 for ROWS and GROUPS; for RANGE the ORDER BY key's
     * type (numbers) or Interval(MonthDayNano) (dates and timestamps). */
    arrow_array *offset;
    const char *text; /* the offset as written ("1", "2 DAY"), for names */
} plan_frame_bound;

typedef enum plan_frame_exclude {
    PLAN_EXCLUDE_NO_OTHERS,
    PLAN_EXCLUDE_CURRENT_ROW,
    PLAN_EXCLUDE_GROUP,
    PLAN_EXCLUDE_TIES,
} plan_frame_exclude;

typedef struct plan_window_frame {
    plan_frame_units units;
    plan_frame_bound start, end;
    plan_frame_exclude exclude;
} plan_window_frame;

typedef struct plan_window_order {
    bool descending;
    bool nulls_first;
} plan_window_order;

typedef enum plan_null_treatment {
    PLAN_NULLS_UNSPECIFIED,
    PLAN_NULLS_RESPECT,
    PLAN_NULLS_IGNORE,
} plan_null_treatment;

struct plan_window_call {
    const func_entry *func; /* FUNC_WINDOW, or FUNC_AGGREGATE over a frame */
    int32_t n_args;
    int32_t n_partition;
    int32_t n_order;
    const plan_window_order *order; /* n_order directions */
    bool has_filter;                /* FILTER (WHERE ...) of an aggregate */
    bool distinct;                  /* DISTINCT of an aggregate */
    plan_null_treatment null_treatment;
    plan_window_frame frame; /* defaults filled in by the binder */
    arrow_type *return_type;
    const char *name; /* DataFusion's column name of the call */
};
typedef struct plan_window_call plan_window_call;

/* The parts of a PLAN_EXPR_WINDOW expression's args (see above). */
static inline plan_expr **plan_window_args(const plan_expr *e)
{
    return e->args;
}
static inline plan_expr **plan_window_partition(const plan_expr *e)
{
    return e->args + e->win->n_args;
}
static inline plan_expr **plan_window_order_exprs(const plan_expr *e)
{
    return e->args + e->win->n_args + e->win->n_partition;
}
static inline plan_expr *plan_window_filter(const plan_expr *e)
{
    return e->win->has_filter ? e->args[e->n_args - 1] : NULL;
}
/* DataFusion's display of a window call (expr_format.c). as_name: its
 * column name (arguments joined by ",", frame offsets as written); else
 * the EXPLAIN text (", ", offsets as their coerced values). */
void plan_window_format(const plan_expr *e, const plan_schema *input, bool as_name,
                        base_strbuf *sb);

/* ---- unnest ---- (owned by the nested-types work; see bind_nested.c,
 * bind_unnest.c)
 * A PLAN_UNNEST node expands list columns of its input into rows, as
 * DataFusion's Unnest with recursion depths: unnest[k] takes input column
 * `column` apart `depth` list levels. Every output row of an input row
 * holds element r of each unnested column (NULL past a shorter list), the
 * other columns repeated; an input row whose lists are all NULL or empty
 * yields no rows (one all-NULL row with preserve_nulls). Output columns
 * follow the input's: an unnested column is replaced by its entries (in
 * order; several depths of one column give several columns), every other
 * column passes through. Specs are ordered by column. Struct unnest binds
 * to get_field calls, so it never reaches this node. */
typedef struct plan_unnest_list {
    int32_t column;
    int32_t depth; /* >= 1 */
} plan_unnest_list;

/* The binder's marker for unnest(x) while the SELECT list is bound
 * (bind_unnest.c); never executed. */
extern const func_entry plan_unnest_entry;
/* "Unnest: lists[c|depth=1, ...] structs[]" as DataFusion's EXPLAIN. */
void plan_unnest_format(const plan_node *node, base_strbuf *sb);

/* The display of calls with their own syntax: `a[Int64(1)]`
 * (array_element), `a[Int64(1):Int64(2):Int64(1)]` (array_slice), `s[f]`
 * (get_field), `UNNEST(x)`. False for other calls. (bind_nested.c) */
bool plan_nested_format_call(const plan_expr *e, const plan_schema *input, base_strbuf *sb);

struct plan_node {
    plan_kind kind;
    plan_schema schema; /* output */
    int32_t n_inputs;
    plan_node **inputs;

    /* SCAN */
    catalog_table *table;   /* kept by the ctx */
    const char *table_name; /* as written, for EXPLAIN: "t" or "s.t" */
    int32_t *projection;    /* table columns produced, NULL: all */
    int32_t n_projection;
    int32_t n_filters; /* pushed-down filters over the table's full schema */
    plan_expr **filters;
    int32_t n_predicates; /* the filters as the provider takes them (values kept by ctx) */
    catalog_predicate *predicates;
    /* SCAN, SORT, LIMIT: rows wanted at most (-1: all); LIMIT: skip too */
    int64_t fetch;
    int64_t skip;
    /* LIMIT of a scalar subquery (fetch 1): a second row is an error. */
    bool fail_past_fetch;

    /* VALUES */
    int64_t n_rows;
    plan_expr **values; /* n_rows * schema.n_columns, row-major */

    /* EMPTY */
    bool produce_one_row;

    /* PROJECTION: exprs[i] computes column i; FILTER: exprs[0]. */
    int32_t n_exprs;
    plan_expr **exprs;

    /* AGGREGATE: output = group exprs, [__grouping_id], aggregate calls */
    int32_t n_groups;
    plan_expr **groups;
    int32_t n_grouping_sets; /* 0: plain GROUP BY */
    uint32_t *grouping_sets; /* bit k set: group k in the set */
    int32_t n_aggs;
    plan_agg_call *aggs;

    /* SORT */
    int32_t n_keys;
    plan_sort_key *keys;

    /* JOIN (see "joins" above) */
    plan_join_type join_type;
    int32_t n_join_keys;
    plan_expr **left_keys;
    plan_expr **right_keys;
    plan_expr *join_filter;
    bool null_equals_null;
    bool null_aware;

    /* RECURSIVE, WORK_TABLE */
    int32_t work_table_id;
    bool distinct;

    /* WINDOW (fields added by the window work): window_exprs[i] (a
     * PLAN_EXPR_WINDOW over the input) computes output column
     * input columns + i. All calls of one node share PARTITION BY and
     * ORDER BY. */
    int32_t n_window_exprs;
    plan_expr **window_exprs;

    /* UNNEST (see "unnest" above) */
    int32_t n_unnest;
    plan_unnest_list *unnest;
    bool preserve_nulls;
};

/* ---- context ---- */

/* Options the binder needs from the session. */
typedef struct plan_options {
    const char *default_catalog;
    const char *default_schema;
    bool ident_normalization; /* datafusion.sql_parser.enable_ident_normalization */
    bool information_schema;  /* datafusion.catalog.information_schema */
    const char *time_zone;    /* datafusion.execution.time_zone, NULL: none */
    /* Evaluates a constant expression (plan_expr_is_constant) into a new
     * length-1 array of exactly expr->type, as execution would; any failure
     * means "do not fold". Filled by whoever can execute (the session uses
     * exec_const_eval); NULL: the optimizer folds nothing. */
    qv_status (*const_eval)(const plan_expr *expr, arrow_array **out, qv_error *err);
    /* A table for a one-part name no catalog entry has, read as a file path
     * (SELECT * FROM 'data.csv'): *out gets a new reference, or it returns
     * QV_NOT_FOUND (no message) when the name is not such a file. Called
     * with file_table_user. NULL: table names are only looked up. */
    qv_status (*file_table)(void *user, const char *path, catalog_table **out, qv_error *err);
    void *file_table_user;
    /* FROM name(args) (bind_table_func.c): *out gets a new reference to the
     * table the table function `name` makes from its arguments, each
     * evaluated at planning time into a length-1 array (args[i] NULL when
     * argument i is not constant). QV_NOT_FOUND (no message) when no table
     * function has that name; other errors are the function's. Called with
     * table_function_user. NULL: no table functions. */
    qv_status (*table_function)(void *user, const char *name, int32_t n_args,
                                arrow_array *const *args, catalog_table **out, qv_error *err);
    void *table_function_user;
} plan_options;

typedef struct plan_ctx {
    base_arena *arena;
    catalog *catalog;
    const func_registry *registry;
    plan_options options;
    /* Parameter types of a prepared statement ($1 is [0]); NULL types are
     * inferred by the binder: an untyped placeholder takes the type it is
     * first coerced to, and param_types records it (borrowed from the ctx).
     * With param_values (EXECUTE: length-1 arrays of param_types), every
     * placeholder is bound as a PLAN_F_PARAM literal of its value. */
    int32_t n_params;
    arrow_type **param_types;
    arrow_array **param_values;
    /* Released at plan_ctx_free. */
    int32_t n_kept, kept_cap;
    struct plan_kept *kept;
    int32_t view_depth; /* nesting of views being expanded */
    /* Schemas of the queries around the subquery being bound, innermost
     * last: names not found in a subquery resolve to them. */
    int32_t n_outer;
    const plan_schema *outer[16];
    /* Common table expressions in scope, innermost last (bind_cte.c). */
    int32_t n_ctes, ctes_cap;
    struct plan_cte *ctes;
    int32_t n_work_tables; /* recursive queries bound so far (their ids) */
    /* INSERT: the columns the VALUES lists of the source are bound to
     * (their types and nullability; DataFusion's table schema of the
     * planner context), NULL otherwise (dml.c, bind_query.c). */
    const plan_schema *insert_target;
} plan_ctx;

qv_status plan_ctx_new(catalog *cat, const func_registry *registry, const plan_options *options,
                       plan_ctx **out, qv_error *err);
void plan_ctx_free(plan_ctx *ctx);
/* Arena allocation (zeroed) / string copy; NULL when memory runs out. */
void *plan_alloc(plan_ctx *ctx, size_t size);
char *plan_strdup(plan_ctx *ctx, const char *s);
/* Keeps a reference until plan_ctx_free (the caller's reference moves to
 * the context). Returns the object, or NULL (object released) when memory
 * runs out. */
arrow_type *plan_keep_type(plan_ctx *ctx, arrow_type *type);
arrow_array *plan_keep_array(plan_ctx *ctx, arrow_array *array);
catalog_table *plan_keep_table(plan_ctx *ctx, catalog_table *table);

/* ---- building expressions and nodes (expr.c, node.c) ----
 * Constructors take already-typed arguments; they do not coerce (the
 * binder does). NULL means memory ran out. */
plan_expr *plan_expr_column(plan_ctx *ctx, const plan_schema *input, int32_t column);
/* value: length-1 array, reference moved to the ctx. */
plan_expr *plan_expr_literal(plan_ctx *ctx, arrow_array *value);
plan_expr *plan_expr_new(plan_ctx *ctx, plan_expr_kind kind, int32_t op, arrow_type *type,
                         bool nullable, int32_t n_args, plan_expr *const *args);
plan_expr *plan_expr_cast(plan_ctx *ctx, plan_expr *arg, arrow_type *to, bool safe);

/* A growable list of expressions in the ctx arena (expr.c). */
typedef struct plan_expr_list {
    int32_t n, cap;
    plan_expr **items;
} plan_expr_list;
/* Appends e; false when e is NULL (an allocation failed before) or memory
 * runs out. */
bool plan_expr_list_push(plan_ctx *ctx, plan_expr_list *list, plan_expr *e);

/* Copies an expression tree, remapping column references through map
 * (column i becomes map[i]; NULL map: unchanged). */
plan_expr *plan_expr_copy(plan_ctx *ctx, const plan_expr *expr, const int32_t *map);
bool plan_expr_equal(const plan_expr *a, const plan_expr *b);
/* True when the expression reads no column and no placeholder and calls
 * only immutable functions. */
bool plan_expr_is_constant(const plan_expr *expr);
/* Sets used[c] = true for every column the expression reads. */
void plan_expr_columns_used(const plan_expr *expr, bool *used);

/* DataFusion's display of an expression, as used for column names and
 * EXPLAIN: `t.a + Int64(1)`, `CAST(t.a AS Int64)`, `count(*)`... */
void plan_expr_format(const plan_expr *expr, const plan_schema *input, base_strbuf *sb);
/* The same as a string in the ctx's arena. */
const char *plan_expr_name(plan_ctx *ctx, const plan_expr *expr, const plan_schema *input);
/* The operator as DataFusion displays it: "+", "IS DISTINCT FROM", ... */
const char *plan_binary_op_text(plan_binary_op op);
/* A frame bound as written: "UNBOUNDED PRECEDING", "1 FOLLOWING",
 * "CURRENT ROW" (offsets as their text). */
void plan_frame_bound_format(const plan_frame_bound *bound, base_strbuf *sb);

plan_node *plan_node_new(plan_ctx *ctx, plan_kind kind, int32_t n_inputs, plan_node *const *inputs);
/* Allocates schema columns (zeroed) for n columns. */
bool plan_schema_init(plan_ctx *ctx, plan_schema *schema, int32_t n);
/* An Arrow schema for the plan schema (new reference). */
qv_status plan_schema_to_arrow(const plan_schema *schema, arrow_schema **out, qv_error *err);

/* ---- binding (bind_*.c) ---- */

/* What a bound statement is. Queries come with a plan; the session runs
 * the others with the information bound here. */
typedef struct plan_query {
    plan_node *root;
} plan_query;

/* Binds a query (SQL_QUERY, SQL_SELECT, SQL_VALUES, SQL_SET_OP...) into a
 * logical plan. Errors: QV_PLAN ("Error during planning: ..."), QV_SCHEMA
 * ("Schema error: No field named x. Valid fields are ..."),
 * QV_NOT_IMPLEMENTED ("This feature is not implemented: ..."), with the
 * position of the offending node. */
qv_status plan_bind_query(plan_ctx *ctx, const sql_node *query, plan_node **out, qv_error *err);

/* Binds a standalone expression over schema (NULL: no columns), e.g. a
 * DEFAULT value or an UPDATE assignment. */
qv_status plan_bind_expr(plan_ctx *ctx, const sql_node *expr, const plan_schema *schema,
                         plan_expr **out, qv_error *err);

/* The Arrow type an SQL type names (INT -> Int32, VARCHAR -> Utf8, ...),
 * new reference. QV_NOT_IMPLEMENTED / QV_PLAN for unsupported types. */
qv_status plan_bind_type(plan_ctx *ctx, const sql_node *type, arrow_type **out, qv_error *err);

/* Casts expr to type when it differs (implicit coercion). */
qv_status plan_coerce_to(plan_ctx *ctx, plan_expr *expr, arrow_type *type, plan_expr **out,
                         qv_error *err);

/* (catalog, schema, table) a 1- to 3-part name (SQL_NAME or SQL_IDENT)
 * refers to, with the defaults filled in; strings in the ctx arena. */
qv_status plan_resolve_table_name(plan_ctx *ctx, const sql_node *name, const char **catalog_name,
                                  const char **schema_name, const char **table_name, qv_error *err);

/* Normalises an identifier / a multi-part name as the binder does. */
const char *plan_ident(plan_ctx *ctx, const sql_node *ident);

/* ---- display (explain.c) ---- */

/* Appends the indented logical plan as DataFusion's EXPLAIN prints it. */
void plan_format(const plan_node *root, base_strbuf *sb);

#endif /* QV_PLAN_H */
