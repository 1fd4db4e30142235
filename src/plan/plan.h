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

/* ---- schemas ---- */

typedef struct plan_column {
    const char *qualifier; /* NULL: unqualified */
    const char *name;
    arrow_type *type;      /* kept by the ctx */
    bool nullable;
} plan_column;

typedef struct plan_schema {
    int32_t n_columns;
    plan_column *columns;
} plan_schema;

/* ---- expressions ---- */

typedef enum plan_expr_kind {
    PLAN_EXPR_COLUMN,   /* column */
    PLAN_EXPR_LITERAL,  /* value: a length-1 array of type */
    PLAN_EXPR_BINARY,   /* op: plan_binary_op; args[0], args[1] */
    PLAN_EXPR_NOT,      /* args[0] Boolean */
    PLAN_EXPR_NEGATE,   /* args[0] numeric / interval */
    PLAN_EXPR_IS,       /* op: plan_is_op; args[0] */
    PLAN_EXPR_CAST,     /* args[0] to type; flags PLAN_F_SAFE for TRY_CAST */
    PLAN_EXPR_CASE,     /* args: [operand or NULL], then when/then pairs, then else or
                           NULL: n_args = 2 + 2 * n_when */
    PLAN_EXPR_IN_LIST,  /* flags PLAN_F_NEGATED; args[0] value, args[1..] the list */
    PLAN_EXPR_LIKE,     /* flags PLAN_F_NEGATED, PLAN_F_CASE_INSENSITIVE; args[0] value,
                           args[1] pattern; escape */
    PLAN_EXPR_FUNCTION, /* func (scalar); args */
    PLAN_EXPR_PLACEHOLDER, /* $1...: column = parameter index (0-based) */
    PLAN_EXPR_AGGREGATE,   /* agg: an aggregate call while binding; the binder
                              replaces it by a column of the aggregate node */
} plan_expr_kind;

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
    PLAN_OP_CONCAT,   /* || on strings */
    PLAN_OP_REGEX,    /* ~  (flags: PLAN_F_NEGATED, PLAN_F_CASE_INSENSITIVE) */
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
};

typedef struct plan_expr plan_expr;
struct plan_expr {
    plan_expr_kind kind;
    int32_t op;
    uint32_t flags;
    arrow_type *type; /* result type (kept by the ctx) */
    bool nullable;
    int32_t column;   /* COLUMN: input column; PLACEHOLDER: parameter index */
    arrow_array *value; /* LITERAL */
    const func_entry *func; /* FUNCTION */
    struct plan_agg_call *agg; /* AGGREGATE */
    uint32_t escape;  /* LIKE: escape code point, 0 for none */
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
    PLAN_KIND_COUNT_
} plan_kind;

typedef struct plan_sort_key {
    plan_expr *expr;
    bool descending;
    bool nulls_first;
} plan_sort_key;

struct plan_agg_call {
    const func_entry *func;  /* FUNC_AGGREGATE */
    int32_t n_args;
    plan_expr **args;        /* over the aggregate's input */
    arrow_type *return_type;
    bool distinct;
    plan_expr *filter;       /* FILTER (WHERE ...) or NULL */
    int32_t n_order;
    plan_sort_key *order;    /* ORDER BY inside the call */
    const char *name;        /* display name, e.g. "count(t.a)" */
};
typedef struct plan_agg_call plan_agg_call;

typedef struct plan_node plan_node;
struct plan_node {
    plan_kind kind;
    plan_schema schema; /* output */
    int32_t n_inputs;
    plan_node **inputs;

    /* SCAN */
    catalog_table *table;    /* kept by the ctx */
    const char *table_name;  /* as written, for EXPLAIN: "t" or "s.t" */
    int32_t *projection;     /* table columns produced, NULL: all */
    int32_t n_projection;
    int32_t n_filters;       /* pushed-down filters over the table's full schema */
    plan_expr **filters;
    int32_t n_predicates;    /* the filters as the provider takes them (values kept by ctx) */
    catalog_predicate *predicates;
    /* SCAN, SORT, LIMIT: rows wanted at most (-1: all); LIMIT: skip too */
    int64_t fetch;
    int64_t skip;

    /* VALUES */
    int64_t n_rows;
    plan_expr **values;      /* n_rows * schema.n_columns, row-major */

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
};

/* ---- context ---- */

/* Options the binder needs from the session. */
typedef struct plan_options {
    const char *default_catalog;
    const char *default_schema;
    bool ident_normalization;     /* datafusion.sql_parser.enable_ident_normalization */
    bool information_schema;      /* datafusion.catalog.information_schema */
    const char *time_zone;        /* datafusion.execution.time_zone, NULL: none */
    /* Evaluates a constant expression (plan_expr_is_constant) into a new
     * length-1 array of exactly expr->type, as execution would; any failure
     * means "do not fold". Filled by whoever can execute (the session uses
     * exec_const_eval); NULL: the optimizer folds nothing. */
    qv_status (*const_eval)(const plan_expr *expr, arrow_array **out, qv_error *err);
} plan_options;

typedef struct plan_ctx {
    base_arena *arena;
    catalog *catalog;
    const func_registry *registry;
    plan_options options;
    /* Parameter types of a prepared statement ($1 is [0]); NULL types are
     * inferred by the binder. */
    int32_t n_params;
    arrow_type **param_types;
    /* Released at plan_ctx_free. */
    int32_t n_kept, kept_cap;
    struct plan_kept *kept;
    int32_t view_depth;           /* nesting of views being expanded */
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

plan_node *plan_node_new(plan_ctx *ctx, plan_kind kind, int32_t n_inputs,
                         plan_node *const *inputs);
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
                                  const char **schema_name, const char **table_name,
                                  qv_error *err);

/* Normalises an identifier / a multi-part name as the binder does. */
const char *plan_ident(plan_ctx *ctx, const sql_node *ident);

/* ---- display (explain.c) ---- */

/* Appends the indented logical plan as DataFusion's EXPLAIN prints it. */
void plan_format(const plan_node *root, base_strbuf *sb);

#endif /* QV_PLAN_H */
