/*
 * sql.h — the SQL front end's contract with the rest of the engine (layer: sql).
 *
 * Turns SQL text in Apache DataFusion's dialect (sqlparser-rs's generic
 * dialect plus DataFusion's own statements, plus Quiver's managed-table
 * statements) into an abstract syntax tree, and turns trees back into SQL.
 *
 * The tree is uniform: every node is a `sql_node` with a kind, a kind-specific
 * sub-kind `op`, `flags`, an optional text, a source position and an array of
 * children (`kids`). Which child sits in which slot is fixed per kind and
 * written next to the kind below; an absent optional child is NULL. Lists are
 * nodes of kind SQL_LIST. All nodes and strings live in the arena of the
 * `sql_parse_result` that produced them and die with it.
 *
 * Identifiers (SQL_IDENT) keep the name as written, with quotes removed and
 * doubled quote characters undone, and `op` = the quote character ('"', '`'
 * or '\'') or 0 when unquoted. Unquoted names are NOT lower-cased here: the
 * binder applies DataFusion's `enable_ident_normalization` (see
 * sql_ident_normalize). Literals keep their source text (numbers exactly as
 * written, so the binder chooses Int64 / Float64 / Decimal as DataFusion does;
 * strings as their decoded value).
 */
#ifndef QV_SQL_H
#define QV_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* A place in the SQL text: byte offset, and 1-based line and column
 * (columns count characters, not bytes). */
typedef struct sql_pos {
    uint32_t offset;
    uint32_t line;
    uint32_t column;
} sql_pos;

/*
 * Node kinds: X(name, label). The comment gives the child slots.
 * Flags and ops are the SQL_F_* / SQL_OP_* / SQL_JOIN_* ... values below.
 */
#define SQL_KIND_TABLE(X)                                                                             \
    /* ---- generic ---- */                                                                           \
    X(SQL_LIST, "list")   /* kids: items */                                                           \
    X(SQL_IDENT, "ident") /* text: name; op: quote char or 0 */                                       \
    X(SQL_NAME, "name")   /* kids: SQL_IDENT parts (a.b.c) */                                         \
    /* ---- expressions ---- */                                                                       \
    X(SQL_LITERAL, "literal")               /* op: SQL_LIT_*; text: source/decoded value */           \
    X(SQL_TYPED_LITERAL, "typed_literal")   /* text: string value; [0] type */                        \
    X(SQL_INTERVAL, "interval")             /* [0] value expr, [1] leading unit ident,                \
                                               [2] trailing unit ident (TO ...); op 1: no             \
                                               INTERVAL keyword (a window frame's '1' DAY) */         \
    X(SQL_PLACEHOLDER, "placeholder")       /* text: "$1", "$name" or "?" */                          \
    X(SQL_UNARY, "unary")                   /* op: SQL_OP_*; [0] operand */                           \
    X(SQL_BINARY, "binary")                 /* op: SQL_OP_*; [0] left, [1] right */                   \
    X(SQL_NESTED, "nested")                 /* ( expr ): [0] expr */                                  \
    X(SQL_TUPLE, "tuple")                   /* ( a, b, ... ): kids: items */                          \
    X(SQL_LIKE, "like")                     /* op: SQL_LIKE_*; F_NOT; [0] expr, [1] pattern,          \
                                               [2] escape */                                          \
    X(SQL_IN_LIST, "in_list")               /* F_NOT; [0] expr, [1] SQL_LIST */                       \
    X(SQL_IN_SUBQUERY, "in_subquery")       /* F_NOT; [0] expr, [1] query */                          \
    X(SQL_BETWEEN, "between")               /* F_NOT, F_SYMMETRIC; [0] expr, [1] low, [2] high */     \
    X(SQL_IS, "is")                         /* op: SQL_IS_*; F_NOT; [0] expr, [1] other               \
                                               (DISTINCT FROM) */                                     \
    X(SQL_QUANTIFIED, "quantified")         /* op: comparison SQL_OP_*; F_ALL (else ANY,              \
                                               F_SOME for SOME); [0] left, [1] right */               \
    X(SQL_EXISTS, "exists")                 /* F_NOT; [0] query */                                    \
    X(SQL_SUBQUERY, "subquery")             /* [0] query */                                           \
    X(SQL_CASE, "case")                     /* [0] operand, [1] SQL_LIST of SQL_WHEN, [2] else */     \
    X(SQL_WHEN, "when")                     /* [0] condition, [1] result */                           \
    X(SQL_CAST, "cast")                     /* op: SQL_CAST_*; [0] expr, [1] type */                  \
    X(SQL_AT_TIME_ZONE, "at_time_zone")     /* [0] expr, [1] zone expr */                             \
    X(SQL_COLLATE, "collate")               /* [0] expr, [1] collation name */                        \
    X(SQL_FUNCTION, "function")             /* F_DISTINCT, F_ALL, F_NO_PARENS,                        \
                                               F_IGNORE_NULLS, F_RESPECT_NULLS;                       \
                                               [0] name, [1] args list, [2] ORDER BY list,            \
                                               [3] FILTER expr, [4] OVER (SQL_WINDOW_SPEC or          \
                                               SQL_IDENT), [5] WITHIN GROUP ORDER BY list */          \
    X(SQL_NAMED_ARG, "named_arg")           /* op: '=' for =>, ':' for :=; [0] name, [1] value */     \
    X(SQL_SPECIAL_FUNC, "special_func")     /* op: SQL_SPECIAL_*; kids: see the op */                 \
    X(SQL_WINDOW_SPEC, "window_spec")       /* [0] base window ident, [1] PARTITION BY list,          \
                                               [2] ORDER BY list, [3] SQL_WINDOW_FRAME */             \
    X(SQL_WINDOW_FRAME, "window_frame")     /* op: SQL_FRAME_ROWS/RANGE/GROUPS; flags:                \
                                               F_EXCLUDE_*; [0] start, [1] end bound */               \
    X(SQL_FRAME_BOUND, "frame_bound")       /* op: SQL_BOUND_*; [0] offset expr */                    \
    X(SQL_ARRAY, "array")                   /* F_ARRAY_KEYWORD; kids: elements */                     \
    X(SQL_ARRAY_SUBQUERY, "array_subquery") /* ARRAY(query): [0] query */                             \
    X(SQL_INDEX, "index")                   /* [0] base, [1] index */                                 \
    X(SQL_SLICE, "slice")                   /* [0] base, [1] lower, [2] upper, [3] stride */          \
    X(SQL_FIELD, "field")                   /* (expr).f: [0] base, [1] SQL_IDENT */                   \
    X(SQL_DICT, "dict")                     /* {k: v, ...}: kids: SQL_DICT_ENTRY */                   \
    X(SQL_MAP, "map")                       /* MAP {k: v, ...}: kids: SQL_DICT_ENTRY */               \
    X(SQL_DICT_ENTRY, "dict_entry")         /* [0] key, [1] value */                                  \
    X(SQL_STAR, "star")                     /* [0] qualifier SQL_NAME, [1] EXCLUDE list,              \
                                               [2] EXCEPT list, [3] REPLACE list of                   \
                                               SQL_ALIAS, [4] RENAME list of SQL_ALIAS;               \
                                               F_PARENS: EXCLUDE written with parentheses */          \
    X(SQL_ALIAS, "alias")                   /* expr AS name: [0] expr, [1] SQL_IDENT */               \
    X(SQL_ORDER_ITEM, "order_item")         /* op: SQL_ORDER_*; flags F_NULLS_FIRST /                 \
                                               F_NULLS_LAST; [0] expr */                              \
    /* ---- queries ---- */                                                                           \
    X(SQL_QUERY, "query")                 /* [0] SQL_WITH, [1] body, [2] ORDER BY list,               \
                                             [3] LIMIT expr, [4] OFFSET expr, [5] FETCH,              \
                                             [6] pipe operators list; F_LIMIT_ALL */                  \
    X(SQL_WITH, "with")                   /* F_RECURSIVE; kids: SQL_CTE */                            \
    X(SQL_CTE, "cte")                     /* [0] name ident, [1] column list, [2] query;              \
                                             op: 0, 1 MATERIALIZED, 2 NOT MATERIALIZED */             \
    X(SQL_SELECT, "select")               /* F_DISTINCT, F_ALL; [0] DISTINCT ON list,                 \
                                             [1] projection list, [2] FROM list,                      \
                                             [3] WHERE, [4] SQL_GROUP_BY, [5] HAVING,                 \
                                             [6] WINDOW list of SQL_NAMED_WINDOW,                     \
                                             [7] QUALIFY, [8] INTO table name */                      \
    X(SQL_SET_OP, "set_op")               /* op: SQL_SETOP_*; F_ALL, F_DISTINCT,                      \
                                             F_BY_NAME; [0] left, [1] right */                        \
    X(SQL_NESTED_QUERY, "nested_query")   /* ( query ) as a set operand: [0] query */                 \
    X(SQL_VALUES, "values")               /* kids: rows, each SQL_LIST (op 1: ROW(...)) */            \
    X(SQL_FETCH, "fetch")                 /* F_FIRST, F_PERCENT, F_WITH_TIES; [0] count */            \
    X(SQL_GROUP_BY, "group_by")           /* F_ALL (GROUP BY ALL); kids: items */                     \
    X(SQL_GROUPING_SETS, "grouping_sets") /* kids: sets (SQL_LIST or expr) */                         \
    X(SQL_ROLLUP, "rollup")               /* kids: items (SQL_LIST for (a, b) or expr) */             \
    X(SQL_CUBE, "cube")                   /* kids: items */                                           \
    X(SQL_NAMED_WINDOW, "named_window")   /* [0] name ident, [1] SQL_WINDOW_SPEC */                   \
    X(SQL_PIPE_OP, "pipe_op")             /* op: SQL_PIPE_*; kids: see the op */                      \
    /* ---- FROM items ---- */                                                                        \
    X(SQL_TABLE, "table")             /* [0] name, [1] SQL_TABLE_ALIAS */                             \
    X(SQL_TABLE_FUNC, "table_func")   /* F_LATERAL; [0] name, [1] args list,                          \
                                         [2] SQL_TABLE_ALIAS */                                       \
    X(SQL_DERIVED, "derived")         /* F_LATERAL, F_NO_PARENS (FROM VALUES ...);                    \
                                         [0] query, [1] SQL_TABLE_ALIAS */                            \
    X(SQL_NESTED_JOIN, "nested_join") /* ( join ): [0] table ref, [1] alias */                        \
    X(SQL_JOIN, "join")               /* op: SQL_JOIN_*; F_NATURAL; [0] left,                         \
                                         [1] right, [2] ON expr, [3] USING list */                    \
    X(SQL_TABLE_ALIAS, "table_alias") /* [0] name ident, [1] column list */                           \
    /* ---- statements ---- */                                                                        \
    X(SQL_CREATE_EXTERNAL_TABLE, "create_external_table")                                             \
    /* F_OR_REPLACE, F_IF_NOT_EXISTS, F_TEMPORARY, F_UNBOUNDED; [0] name, [1] columns                 \
       and constraints list, [2] STORED AS ident, [3] LOCATION literal,                               \
       [4] PARTITIONED BY list (idents or column defs), [5] WITH ORDER list of lists,                 \
       [6] OPTIONS list of SQL_OPTION */                                                              \
    X(SQL_COLUMN_DEF, "column_def")               /* [0] name, [1] type, [2] constraints list */      \
    X(SQL_COLUMN_CONSTRAINT, "column_constraint") /* op: SQL_CONSTRAINT_*; [0] expr                   \
                                             (DEFAULT, CHECK); [1] name ident */                      \
    X(SQL_TABLE_CONSTRAINT, "table_constraint")   /* op: SQL_CONSTRAINT_*; [0] name ident,            \
                                               [1] column list, [2] CHECK expr,                       \
                                               [3] referenced table, [4] referenced columns */        \
    X(SQL_OPTION, "option")                       /* [0] key (SQL_NAME or string literal),            \
                                                     [1] value (literal, ident or expr) */            \
    X(SQL_CREATE_TABLE, "create_table")           /* op: SQL_TABLE_KIND_*; F_OR_REPLACE,              \
                                                     F_IF_NOT_EXISTS, F_TEMPORARY; [0] name,          \
                                                     [1] columns list, [2] AS query,                  \
                                                     [3] WITH options list, [4] LIKE name */          \
    X(SQL_CREATE_VIEW, "create_view")             /* F_OR_REPLACE, F_IF_NOT_EXISTS, F_TEMPORARY,      \
                                                     F_MATERIALIZED; [0] name, [1] columns,           \
                                                     [2] query */                                     \
    X(SQL_CREATE_SCHEMA, "create_schema")         /* op: SQL_OBJ_*; F_IF_NOT_EXISTS; [0] name,        \
                                                     [1] WITH options list */                         \
    X(SQL_DROP, "drop")                           /* op: SQL_OBJ_*; F_IF_EXISTS, F_CASCADE,           \
                                                     F_RESTRICT; [0] list of names */                 \
    X(SQL_INSERT, "insert")                       /* F_OVERWRITE, F_TABLE_KEYWORD; [0] table name,    \
                                                     [1] column list, [2] source query */             \
    X(SQL_UPDATE, "update")                       /* [0] table (SQL_TABLE), [1] SET list of           \
                                                     SQL_ASSIGN, [2] FROM list, [3] WHERE */          \
    X(SQL_ASSIGN, "assign")                       /* [0] target SQL_NAME, [1] value */                \
    X(SQL_DELETE, "delete")                       /* [0] table name, [1] WHERE, [2] ORDER BY list,    \
                                                     [3] LIMIT */                                     \
    X(SQL_TRUNCATE, "truncate")                   /* F_TABLE_KEYWORD, F_ONLY, F_CASCADE,              \
                                                     F_RESTRICT, F_RESTART_IDENTITY,                  \
                                                     F_CONTINUE_IDENTITY; [0] names list,             \
                                                     [1] PARTITION list */                            \
    X(SQL_COPY, "copy")                           /* [0] source (SQL_NAME or query), [1] target       \
                                                     literal, [2] STORED AS ident, [3] PARTITIONED    \
                                                     BY list, [4] OPTIONS list, [5] source columns */ \
    X(SQL_PREPARE, "prepare")         /* [0] name, [1] parameter types list, [2] stmt */              \
    X(SQL_EXECUTE, "execute")         /* [0] name, [1] argument list */                               \
    X(SQL_DEALLOCATE, "deallocate")   /* F_PREPARE_KEYWORD; [0] name */                               \
    X(SQL_SET, "set")                 /* op: SQL_SET_*; F_LOCAL, F_SESSION; [0] name,                 \
                                         [1] value list */                                            \
    X(SQL_SHOW, "show")               /* op: SQL_SHOW_*; F_FULL, F_EXTENDED; [0] name,                \
                                         [1] LIKE pattern, [2] WHERE expr */                          \
    X(SQL_RESET, "reset")             /* F_ALL; [0] name */                                           \
    X(SQL_DESCRIBE, "describe")       /* [0] SQL_NAME or query */                                     \
    X(SQL_EXPLAIN, "explain")         /* F_ANALYZE, F_VERBOSE; [0] statement,                         \
                                         [1] FORMAT ident */                                          \
    X(SQL_CREATE_USER, "create_user") /* F_IF_NOT_EXISTS; [0] name, [1] options list */               \
    X(SQL_ALTER_USER, "alter_user")   /* [0] name, [1] options list */                                \
    X(SQL_GRANT, "grant")             /* op: SQL_OBJ_* of the object; [0] privileges                  \
                                         list of SQL_IDENT, [1] object name,                          \
                                         [2] grantees list */                                         \
    X(SQL_REVOKE, "revoke")           /* as SQL_GRANT */                                              \
    X(SQL_TYPE, "type")               /* op: SQL_TYPE_*; see the op */

typedef enum sql_kind {
#define SQL_KIND_ENUM_(name, label) name,
    SQL_KIND_TABLE(SQL_KIND_ENUM_)
#undef SQL_KIND_ENUM_
        SQL_KIND_COUNT
} sql_kind;

/* Node flags (meaning per kind, see the table). */
enum {
    SQL_F_NOT = 1u << 0,
    SQL_F_DISTINCT = 1u << 1,
    SQL_F_ALL = 1u << 2,
    SQL_F_SOME = 1u << 3,
    SQL_F_NO_PARENS = 1u << 4,
    SQL_F_IGNORE_NULLS = 1u << 5,
    SQL_F_RESPECT_NULLS = 1u << 6,
    SQL_F_ARRAY_KEYWORD = 1u << 7,
    SQL_F_PARENS = 1u << 8,
    SQL_F_NULLS_FIRST = 1u << 9,
    SQL_F_NULLS_LAST = 1u << 10,
    SQL_F_LIMIT_ALL = 1u << 11,
    SQL_F_RECURSIVE = 1u << 12,
    SQL_F_BY_NAME = 1u << 13,
    SQL_F_PERCENT = 1u << 14,
    SQL_F_WITH_TIES = 1u << 15,
    SQL_F_LATERAL = 1u << 16,
    SQL_F_NATURAL = 1u << 17,
    SQL_F_OR_REPLACE = 1u << 18,
    SQL_F_IF_NOT_EXISTS = 1u << 19,
    SQL_F_IF_EXISTS = 1u << 20,
    SQL_F_TEMPORARY = 1u << 21,
    SQL_F_UNBOUNDED = 1u << 22,
    SQL_F_CASCADE = 1u << 23,
    SQL_F_RESTRICT = 1u << 24,
    SQL_F_OVERWRITE = 1u << 25,
    SQL_F_TABLE_KEYWORD = 1u << 26,
    SQL_F_ANALYZE = 1u << 27,
    SQL_F_VERBOSE = 1u << 28,
    SQL_F_SYMMETRIC = 1u << 29,
    SQL_F_MATERIALIZED = 1u << 30,
    /* Flags that share bits with the above on kinds that never use those. */
    SQL_F_EXCLUDE_CURRENT_ROW = 1u << 0, /* SQL_WINDOW_FRAME */
    SQL_F_EXCLUDE_GROUP = 1u << 1,
    SQL_F_EXCLUDE_TIES = 1u << 2,
    SQL_F_EXCLUDE_NO_OTHERS = 1u << 3,
    SQL_F_WITH_TZ = 1u << 0, /* SQL_TYPE */
    SQL_F_WITHOUT_TZ = 1u << 1,
    SQL_F_UNSIGNED = 1u << 2,
    SQL_F_ANGLE = 1u << 3,
    SQL_F_ONLY = 1u << 0, /* SQL_TRUNCATE */
    SQL_F_RESTART_IDENTITY = 1u << 1,
    SQL_F_CONTINUE_IDENTITY = 1u << 2,
    SQL_F_LOCAL = 1u << 0, /* SQL_SET */
    SQL_F_SESSION = 1u << 1,
    SQL_F_TO = 1u << 2,
    SQL_F_FULL = 1u << 0, /* SQL_SHOW */
    SQL_F_EXTENDED = 1u << 1,
    SQL_F_PREPARE_KEYWORD = 1u << 0, /* SQL_DEALLOCATE */
    SQL_F_FIRST = 1u << 0,           /* SQL_FETCH: FIRST (else NEXT) */
};

/* SQL_LITERAL ops. */
enum {
    SQL_LIT_INTEGER = 1, /* digits only */
    SQL_LIT_NUMBER,      /* with '.' or exponent */
    SQL_LIT_STRING,      /* '...' */
    SQL_LIT_ESTRING,     /* E'...' (text is the decoded value) */
    SQL_LIT_HEX,         /* X'...' (text is the hex digits) */
    SQL_LIT_NATIONAL,    /* N'...' */
    SQL_LIT_DOLLAR,      /* $$...$$ or $tag$...$tag$ */
    SQL_LIT_TRUE,
    SQL_LIT_FALSE,
    SQL_LIT_NULL,
};

/* Operators of SQL_UNARY and SQL_BINARY: X(op, sql text). */
#define SQL_OP_TABLE(X)                                                                            \
    X(SQL_OP_OR, "OR")                                                                             \
    X(SQL_OP_AND, "AND")                                                                           \
    X(SQL_OP_XOR, "XOR")                                                                           \
    X(SQL_OP_NOT, "NOT")                                                                           \
    X(SQL_OP_EQ, "=")                                                                              \
    X(SQL_OP_EQ2, "==")                                                                            \
    X(SQL_OP_NE, "<>")                                                                             \
    X(SQL_OP_NE2, "!=")                                                                            \
    X(SQL_OP_LT, "<")                                                                              \
    X(SQL_OP_LE, "<=")                                                                             \
    X(SQL_OP_GT, ">")                                                                              \
    X(SQL_OP_GE, ">=")                                                                             \
    X(SQL_OP_SPACESHIP, "<=>")                                                                     \
    X(SQL_OP_PLUS, "+")                                                                            \
    X(SQL_OP_MINUS, "-")                                                                           \
    X(SQL_OP_MUL, "*")                                                                             \
    X(SQL_OP_DIV, "/")                                                                             \
    X(SQL_OP_INTDIV, "//")                                                                         \
    X(SQL_OP_MOD, "%")                                                                             \
    X(SQL_OP_CONCAT, "||")                                                                         \
    X(SQL_OP_BIT_AND, "&")                                                                         \
    X(SQL_OP_BIT_OR, "|")                                                                          \
    X(SQL_OP_BIT_XOR, "^")                                                                         \
    X(SQL_OP_SHL, "<<")                                                                            \
    X(SQL_OP_SHR, ">>")                                                                            \
    X(SQL_OP_BIT_NOT, "~")                                                                         \
    X(SQL_OP_REGEX, "~")                                                                           \
    X(SQL_OP_REGEX_I, "~*")                                                                        \
    X(SQL_OP_NOT_REGEX, "!~")                                                                      \
    X(SQL_OP_NOT_REGEX_I, "!~*")                                                                   \
    X(SQL_OP_LIKE_OP, "~~")                                                                        \
    X(SQL_OP_ILIKE_OP, "~~*")                                                                      \
    X(SQL_OP_NOT_LIKE_OP, "!~~")                                                                   \
    X(SQL_OP_NOT_ILIKE_OP, "!~~*")                                                                 \
    X(SQL_OP_AT_ARROW, "@>")                                                                       \
    X(SQL_OP_ARROW_AT, "<@")                                                                       \
    X(SQL_OP_ARROW, "->")                                                                          \
    X(SQL_OP_LONG_ARROW, "->>")                                                                    \
    X(SQL_OP_HASH_ARROW, "#>")                                                                     \
    X(SQL_OP_HASH_LONG_ARROW, "#>>")                                                               \
    X(SQL_OP_AT_AT, "@@")                                                                          \
    X(SQL_OP_QUESTION, "?")                                                                        \
    X(SQL_OP_QUESTION_AND, "?&")                                                                   \
    X(SQL_OP_QUESTION_PIPE, "?|")                                                                  \
    X(SQL_OP_AT_QUESTION, "@?")                                                                    \
    X(SQL_OP_HASH_MINUS, "#-")                                                                     \
    X(SQL_OP_OVERLAP, "&&")                                                                        \
    X(SQL_OP_PLUS_PREFIX, "+")                                                                     \
    X(SQL_OP_NEG, "-")

typedef enum sql_op {
    SQL_OP_NONE = 0,
#define SQL_OP_ENUM_(op, text) op,
    SQL_OP_TABLE(SQL_OP_ENUM_)
#undef SQL_OP_ENUM_
        SQL_OP_COUNT
} sql_op;

enum { SQL_LIKE_LIKE = 1, SQL_LIKE_ILIKE, SQL_LIKE_SIMILAR };
enum { SQL_IS_NULL = 1, SQL_IS_TRUE, SQL_IS_FALSE, SQL_IS_UNKNOWN, SQL_IS_DISTINCT_FROM };
enum { SQL_CAST_CAST = 1, SQL_CAST_TRY_CAST, SQL_CAST_SAFE_CAST, SQL_CAST_COLON };
/* SQL_SPECIAL_FUNC ops and their child slots. */
enum {
    SQL_SPECIAL_EXTRACT = 1, /* [0] field ident (or string literal), [1] expr */
    SQL_SPECIAL_POSITION,    /* [0] needle, [1] haystack */
    SQL_SPECIAL_SUBSTRING,   /* [0] expr, [1] FROM expr, [2] FOR expr */
    SQL_SPECIAL_TRIM,        /* [0] expr, [1] characters, [2] where ident
                                (BOTH/LEADING/TRAILING) */
    SQL_SPECIAL_OVERLAY,     /* [0] expr, [1] PLACING, [2] FROM, [3] FOR */
    SQL_SPECIAL_CEIL,        /* [0] expr, [1] TO unit ident */
    SQL_SPECIAL_FLOOR,       /* [0] expr, [1] TO unit ident */
};
enum { SQL_FRAME_ROWS = 1, SQL_FRAME_RANGE, SQL_FRAME_GROUPS };
enum {
    SQL_BOUND_UNBOUNDED_PRECEDING = 1,
    SQL_BOUND_PRECEDING,
    SQL_BOUND_CURRENT_ROW,
    SQL_BOUND_FOLLOWING,
    SQL_BOUND_UNBOUNDED_FOLLOWING,
};
enum { SQL_ORDER_DEFAULT = 0, SQL_ORDER_ASC, SQL_ORDER_DESC };
enum { SQL_SETOP_UNION = 1, SQL_SETOP_INTERSECT, SQL_SETOP_EXCEPT, SQL_SETOP_MINUS };
/* SQL_PIPE_OP ops and their child slots. */
enum {
    SQL_PIPE_SELECT = 1, /* [0] projection list */
    SQL_PIPE_EXTEND,     /* [0] projection list */
    SQL_PIPE_WHERE,      /* [0] condition */
    SQL_PIPE_ORDER_BY,   /* [0] order list */
    SQL_PIPE_LIMIT,      /* [0] limit, [1] offset */
    SQL_PIPE_AS,         /* [0] alias ident */
    SQL_PIPE_AGGREGATE,  /* [0] aggregate list, [1] GROUP BY list */
    SQL_PIPE_SET_OP,     /* flags F_ALL / F_DISTINCT; text: UNION / INTERSECT / EXCEPT;
                            kids: parenthesized queries */
    SQL_PIPE_JOIN,       /* [0] SQL_JOIN whose left side is NULL */
};
enum {
    SQL_JOIN_INNER = 1, /* [INNER] JOIN */
    SQL_JOIN_LEFT,
    SQL_JOIN_RIGHT,
    SQL_JOIN_FULL,
    SQL_JOIN_CROSS,
    SQL_JOIN_LEFT_SEMI,
    SQL_JOIN_RIGHT_SEMI,
    SQL_JOIN_LEFT_ANTI,
    SQL_JOIN_RIGHT_ANTI,
    SQL_JOIN_SEMI, /* bare SEMI JOIN */
    SQL_JOIN_ANTI, /* bare ANTI JOIN */
};
enum {
    SQL_CONSTRAINT_NOT_NULL = 1,
    SQL_CONSTRAINT_NULL,
    SQL_CONSTRAINT_PRIMARY_KEY,
    SQL_CONSTRAINT_UNIQUE,
    SQL_CONSTRAINT_DEFAULT,
    SQL_CONSTRAINT_CHECK,
    SQL_CONSTRAINT_FOREIGN_KEY,
};
enum {
    SQL_TABLE_KIND_PLAIN = 0,
    SQL_TABLE_KIND_USER,
    SQL_TABLE_KIND_SHARED,
    SQL_TABLE_KIND_STREAM
};
enum {
    SQL_OBJ_TABLE = 1,
    SQL_OBJ_VIEW,
    SQL_OBJ_SCHEMA,
    SQL_OBJ_DATABASE,
    SQL_OBJ_NAMESPACE,
    SQL_OBJ_USER,
    SQL_OBJ_CATALOG,
    SQL_OBJ_FUNCTION,
};
enum { SQL_SET_VARIABLE = 1, SQL_SET_TIME_ZONE };
enum {
    SQL_SHOW_VARIABLE = 1, /* [0] name */
    SQL_SHOW_ALL,
    SQL_SHOW_TABLES,  /* [0] FROM/IN schema name */
    SQL_SHOW_COLUMNS, /* [0] table name */
    SQL_SHOW_FUNCTIONS,
    SQL_SHOW_CREATE_TABLE, /* [0] table name */
};
/* SQL_TYPE ops and their child slots. */
enum {
    SQL_TYPE_NAMED = 1,   /* text: name ("INT", "DOUBLE PRECISION"); flags F_WITH_TZ,
                             F_WITHOUT_TZ, F_UNSIGNED; [0] parameters list */
    SQL_TYPE_ARRAY,       /* elem[] / elem[n]: [0] element type, [1] size literal */
    SQL_TYPE_ARRAY_ANGLE, /* ARRAY<elem>: [0] element type */
    SQL_TYPE_STRUCT,      /* STRUCT<a T, ...> (F_ANGLE) / STRUCT(a T, ...): [0] list of
                             SQL_COLUMN_DEF */
    SQL_TYPE_MAP,         /* MAP<K, V> (F_ANGLE) / MAP(K, V): [0] key, [1] value */
};

typedef struct sql_node sql_node;
struct sql_node {
    sql_kind kind;
    int32_t op;
    uint32_t flags;
    sql_pos pos;
    const char *text; /* NUL-terminated, in the arena; NULL when the kind has none */
    size_t text_len;
    uint32_t n_kids;
    uint32_t kids_cap; /* parser bookkeeping for lists */
    sql_node **kids;
};

/* A child slot, NULL when absent or out of range. */
static inline sql_node *sql_kid(const sql_node *node, uint32_t slot)
{
    return node != NULL && slot < node->n_kids ? node->kids[slot] : NULL;
}

/* One statement: its tree and where it sits in the source. */
typedef struct sql_statement {
    sql_node *node;
    sql_pos start;
    uint32_t length; /* bytes of source text, without the ';' */
} sql_statement;

/* The statements of one sql_parse call, with the arena that owns their trees. */
typedef struct sql_parse_result {
    base_arena *arena;
    sql_statement *statements;
    size_t n_statements;
} sql_parse_result;

/* Parser limits. Zero in a field means the default. */
typedef struct sql_parse_options {
    uint32_t max_depth; /* nesting of expressions / queries, default 1024 */
    size_t max_length;  /* bytes of SQL text, default 64 MiB */
    size_t max_tokens;  /* tokens in the whole text, default 4,000,000 */
} sql_parse_options;

#define SQL_DEFAULT_MAX_DEPTH 1024u
#define SQL_DEFAULT_MAX_LENGTH ((size_t)64 << 20)
#define SQL_DEFAULT_MAX_TOKENS ((size_t)4000000)

/*
 * Parses sql[0..len) (need not be NUL-terminated): zero or more statements
 * separated by ';'. opts may be NULL (defaults). On success *out owns every
 * node (free with sql_parse_result_free). On failure *out is NULL and err
 * holds QV_SYNTAX with DataFusion's text of sqlparser-rs's error
 * ("SQL error: ParserError(\"Expected: X, found: Y at Line: L, Column: C\")",
 * "SQL error: TokenizerError(...)"; err->line / err->column always set, even
 * when the text has no position; sometimes a hint), QV_LIMIT (a limit of
 * opts exceeded; nesting: "SQL error: RecursionLimitExceeded (current limit:
 * N)") or QV_NOMEM.
 */
qv_status sql_parse(const char *sql, size_t len, const sql_parse_options *opts,
                    sql_parse_result **out, qv_error *err);

/* Frees a parse result and every node in it. NULL is a no-op. */
void sql_parse_result_free(sql_parse_result *result);

/*
 * Appends the SQL text of node (a statement, query, expression, type...) to
 * sb. Parsing the text yields a tree equal (sql_ast_equal) to node. Failure to
 * grow sb shows as base_strbuf_failed(sb).
 */
void sql_unparse(const sql_node *node, base_strbuf *sb);

/* The SQL of node as a new string (free with base_free), or NULL when memory
 * runs out. */
char *sql_unparse_to_string(const sql_node *node);

/* Structural equality: kinds, ops, flags, texts and children; source
 * positions are ignored. */
bool sql_ast_equal(const sql_node *a, const sql_node *b);

/* Appends an S-expression of the tree to sb, e.g.
 * (binary + (literal 1) (name (ident a))), for tests and debugging. */
void sql_node_dump(const sql_node *node, base_strbuf *sb);

/* The kind's label ("select", "binary"...), a static string. */
const char *sql_kind_name(sql_kind kind);

/* The SQL spelling of an operator ("+", "AND"...), a static string. */
const char *sql_op_text(sql_op op);

/*
 * Writes ident's name as DataFusion resolves it: unquoted names lower-cased
 * (ASCII) when normalize is true, quoted names as written. Returns a string
 * in arena, or NULL when memory runs out.
 */
char *sql_ident_normalize(const sql_node *ident, bool normalize, base_arena *arena);

/*
 * Appends to sb the source line that err points at (err->line) followed by a
 * line with a caret under err->column, as a CLI prints it:
 *     SELECT a FROM t WHERE (b
 *                               ^
 * Appends nothing when err has no position or the line does not exist.
 */
void sql_error_render_caret(const char *sql, size_t len, const qv_error *err, base_strbuf *sb);

#endif /* QV_SQL_H */
