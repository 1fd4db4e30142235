/*
 * sql_int.h — private declarations shared by the files of the SQL front end
 * (layer: sql): keywords, tokens, the lexer, the parser state and the
 * helpers every parse_*.c file uses. Nothing outside src/sql/ includes it.
 */
#ifndef QV_SQL_INT_H
#define QV_SQL_INT_H

#include "sql.h"

/* ---- keywords (keywords.c) ----
 * Every word the parser gives a meaning to. None is reserved by the lexer:
 * the parser decides where a keyword may also be an identifier. The table is
 * sorted so that lookups can bisect. */
#define SQL_KEYWORD_TABLE(X)                                                                       \
    X(ADD)                                                                                         \
    X(AGGREGATE)                                                                                   \
    X(ALL)                                                                                         \
    X(ALTER)                                                                                       \
    X(ANALYZE)                                                                                     \
    X(AND)                                                                                         \
    X(ANTI)                                                                                        \
    X(ANY)                                                                                         \
    X(ARRAY)                                                                                       \
    X(AS)                                                                                          \
    X(ASC)                                                                                         \
    X(ASYMMETRIC)                                                                                  \
    X(AT)                                                                                          \
    X(BETWEEN)                                                                                     \
    X(BOTH)                                                                                        \
    X(BY)                                                                                          \
    X(CASCADE)                                                                                     \
    X(CASE)                                                                                        \
    X(CAST)                                                                                        \
    X(CATALOG)                                                                                     \
    X(CEIL)                                                                                        \
    X(CHAR)                                                                                        \
    X(CHARACTER)                                                                                   \
    X(CHECK)                                                                                       \
    X(COLLATE)                                                                                     \
    X(COLUMNS)                                                                                     \
    X(COMPRESSION)                                                                                 \
    X(CONSTRAINT)                                                                                  \
    X(CONTINUE)                                                                                    \
    X(COPY)                                                                                        \
    X(CREATE)                                                                                      \
    X(CROSS)                                                                                       \
    X(CUBE)                                                                                        \
    X(CURRENT)                                                                                     \
    X(CURRENT_DATE)                                                                                \
    X(CURRENT_TIME)                                                                                \
    X(CURRENT_TIMESTAMP)                                                                           \
    X(CURRENT_USER)                                                                                \
    X(DATABASE)                                                                                    \
    X(DEALLOCATE)                                                                                  \
    X(DEFAULT)                                                                                     \
    X(DELETE)                                                                                      \
    X(DELIMITER)                                                                                   \
    X(DESC)                                                                                        \
    X(DESCRIBE)                                                                                    \
    X(DISTINCT)                                                                                    \
    X(DIV)                                                                                         \
    X(DOUBLE)                                                                                      \
    X(DROP)                                                                                        \
    X(ELSE)                                                                                        \
    X(END)                                                                                         \
    X(ESCAPE)                                                                                      \
    X(EXCEPT)                                                                                      \
    X(EXCLUDE)                                                                                     \
    X(EXEC)                                                                                        \
    X(EXECUTE)                                                                                     \
    X(EXISTS)                                                                                      \
    X(EXPLAIN)                                                                                     \
    X(EXTEND)                                                                                      \
    X(EXTENDED)                                                                                    \
    X(EXTERNAL)                                                                                    \
    X(EXTRACT)                                                                                     \
    X(FALSE)                                                                                       \
    X(FETCH)                                                                                       \
    X(FIELDS)                                                                                      \
    X(FILTER)                                                                                      \
    X(FIRST)                                                                                       \
    X(FLOOR)                                                                                       \
    X(FOLLOWING)                                                                                   \
    X(FOR)                                                                                         \
    X(FOREIGN)                                                                                     \
    X(FORMAT)                                                                                      \
    X(FROM)                                                                                        \
    X(FULL)                                                                                        \
    X(FUNCTION)                                                                                    \
    X(FUNCTIONS)                                                                                   \
    X(GRANT)                                                                                       \
    X(GROUP)                                                                                       \
    X(GROUPING)                                                                                    \
    X(GROUPS)                                                                                      \
    X(HAVING)                                                                                      \
    X(HEADER)                                                                                      \
    X(IDENTITY)                                                                                    \
    X(IF)                                                                                          \
    X(IGNORE)                                                                                      \
    X(ILIKE)                                                                                       \
    X(IN)                                                                                          \
    X(INNER)                                                                                       \
    X(INSERT)                                                                                      \
    X(INTERSECT)                                                                                   \
    X(INTERVAL)                                                                                    \
    X(INTO)                                                                                        \
    X(IS)                                                                                          \
    X(JOIN)                                                                                        \
    X(KEY)                                                                                         \
    X(LAST)                                                                                        \
    X(LATERAL)                                                                                     \
    X(LEADING)                                                                                     \
    X(LEFT)                                                                                        \
    X(LIKE)                                                                                        \
    X(LIMIT)                                                                                       \
    X(LOCAL)                                                                                       \
    X(LOCALTIME)                                                                                   \
    X(LOCALTIMESTAMP)                                                                              \
    X(LOCATION)                                                                                    \
    X(MAP)                                                                                         \
    X(MATERIALIZED)                                                                                \
    X(MINUS)                                                                                       \
    X(NAME)                                                                                        \
    X(NAMESPACE)                                                                                   \
    X(NATURAL)                                                                                     \
    X(NEXT)                                                                                        \
    X(NO)                                                                                          \
    X(NOT)                                                                                         \
    X(NULL)                                                                                        \
    X(NULLS)                                                                                       \
    X(OFFSET)                                                                                      \
    X(ON)                                                                                          \
    X(ONLY)                                                                                        \
    X(OPTIONS)                                                                                     \
    X(OR)                                                                                          \
    X(ORDER)                                                                                       \
    X(OTHERS)                                                                                      \
    X(OUTER)                                                                                       \
    X(OVER)                                                                                        \
    X(OVERLAY)                                                                                     \
    X(OVERWRITE)                                                                                   \
    X(PARTITION)                                                                                   \
    X(PARTITIONED)                                                                                 \
    X(PERCENT)                                                                                     \
    X(PLACING)                                                                                     \
    X(POSITION)                                                                                    \
    X(PRECEDING)                                                                                   \
    X(PRECISION)                                                                                   \
    X(PREPARE)                                                                                     \
    X(PRIMARY)                                                                                     \
    X(PRIVILEGES)                                                                                  \
    X(QUALIFY)                                                                                     \
    X(RANGE)                                                                                       \
    X(RECURSIVE)                                                                                   \
    X(REFERENCES)                                                                                  \
    X(RENAME)                                                                                      \
    X(REPLACE)                                                                                     \
    X(RESET)                                                                                       \
    X(RESPECT)                                                                                     \
    X(RESTART)                                                                                     \
    X(RESTRICT)                                                                                    \
    X(REVOKE)                                                                                      \
    X(RIGHT)                                                                                       \
    X(ROLLUP)                                                                                      \
    X(ROW)                                                                                         \
    X(ROWS)                                                                                        \
    X(SAFE_CAST)                                                                                   \
    X(SCHEMA)                                                                                      \
    X(SELECT)                                                                                      \
    X(SEMI)                                                                                        \
    X(SESSION)                                                                                     \
    X(SESSION_USER)                                                                                \
    X(SET)                                                                                         \
    X(SETS)                                                                                        \
    X(SHARED)                                                                                      \
    X(SHOW)                                                                                        \
    X(SIMILAR)                                                                                     \
    X(SOME)                                                                                        \
    X(STORED)                                                                                      \
    X(STREAM)                                                                                      \
    X(STRUCT)                                                                                      \
    X(SUBSTRING)                                                                                   \
    X(SYMMETRIC)                                                                                   \
    X(TABLE)                                                                                       \
    X(TABLES)                                                                                      \
    X(TEMP)                                                                                        \
    X(TEMPORARY)                                                                                   \
    X(THEN)                                                                                        \
    X(TIES)                                                                                        \
    X(TIME)                                                                                        \
    X(TIMESTAMP)                                                                                   \
    X(TO)                                                                                          \
    X(TRAILING)                                                                                    \
    X(TRIM)                                                                                        \
    X(TRUE)                                                                                        \
    X(TRUNCATE)                                                                                    \
    X(TRY_CAST)                                                                                    \
    X(TYPE)                                                                                        \
    X(UNBOUNDED)                                                                                   \
    X(UNION)                                                                                       \
    X(UNIQUE)                                                                                      \
    X(UNKNOWN)                                                                                     \
    X(UNSIGNED)                                                                                    \
    X(UPDATE)                                                                                      \
    X(USER)                                                                                        \
    X(USING)                                                                                       \
    X(VALUES)                                                                                      \
    X(VARYING)                                                                                     \
    X(VERBOSE)                                                                                     \
    X(VIEW)                                                                                        \
    X(WHEN)                                                                                        \
    X(WHERE)                                                                                       \
    X(WINDOW)                                                                                      \
    X(WITH)                                                                                        \
    X(WITHIN)                                                                                      \
    X(WITHOUT)                                                                                     \
    X(XOR)                                                                                         \
    X(ZONE)

typedef enum sql_keyword {
    SQL_KW_NONE = 0,
#define SQL_KW_ENUM_(word) SQL_KW_##word,
    SQL_KEYWORD_TABLE(SQL_KW_ENUM_)
#undef SQL_KW_ENUM_
        SQL_KW_COUNT
} sql_keyword;

/* The keyword spelled by word[0..len) in any letter case, or SQL_KW_NONE. */
sql_keyword sql_keyword_lookup(const char *word, size_t len);
/* The keyword's upper-case spelling, a static string. */
const char *sql_keyword_text(sql_keyword kw);
/* Damerau-Levenshtein distance between a (any case) and upper-case b, capped
 * at 3; used for "did you mean" hints. */
int sql_keyword_distance(const char *a, size_t a_len, const char *b);

/* ---- tokens (lexer.c) ---- */
typedef enum sql_token_type {
    SQL_TOK_EOF = 0,
    SQL_TOK_WORD,   /* unquoted identifier or keyword (kw set) */
    SQL_TOK_QIDENT, /* "x" or `x`: quote holds the quote character */
    SQL_TOK_STRING, /* quote holds the SQL_LIT_* string kind */
    SQL_TOK_NUMBER,
    SQL_TOK_PLACEHOLDER, /* $1, $name */
    SQL_TOK_PUNCT,       /* punct holds the SQL_P_* code */
    SQL_TOK_CHAR,        /* a character no other token takes ('\\'): no rule accepts it */
} sql_token_type;

/* Punctuation and operator tokens: X(code, text), longest first where one is
 * a prefix of another does not matter (the lexer matches greedily). */
#define SQL_PUNCT_TABLE(X)                                                                         \
    X(SQL_P_LPAREN, "(")                                                                           \
    X(SQL_P_RPAREN, ")")                                                                           \
    X(SQL_P_LBRACKET, "[")                                                                         \
    X(SQL_P_RBRACKET, "]")                                                                         \
    X(SQL_P_LBRACE, "{")                                                                           \
    X(SQL_P_RBRACE, "}")                                                                           \
    X(SQL_P_COMMA, ",")                                                                            \
    X(SQL_P_SEMICOLON, ";")                                                                        \
    X(SQL_P_PERIOD, ".")                                                                           \
    X(SQL_P_COLON, ":")                                                                            \
    X(SQL_P_DOUBLE_COLON, "::")                                                                    \
    X(SQL_P_ASSIGN, ":=")                                                                          \
    X(SQL_P_EQ, "=")                                                                               \
    X(SQL_P_EQ2, "==")                                                                             \
    X(SQL_P_RARROW, "=>")                                                                          \
    X(SQL_P_LT, "<")                                                                               \
    X(SQL_P_LE, "<=")                                                                              \
    X(SQL_P_NE, "<>")                                                                              \
    X(SQL_P_SHL, "<<")                                                                             \
    X(SQL_P_ARROW_AT, "<@")                                                                        \
    X(SQL_P_SPACESHIP, "<=>")                                                                      \
    X(SQL_P_GT, ">")                                                                               \
    X(SQL_P_GE, ">=")                                                                              \
    X(SQL_P_SHR, ">>")                                                                             \
    X(SQL_P_NE2, "!=")                                                                             \
    X(SQL_P_NOT_REGEX, "!~")                                                                       \
    X(SQL_P_NOT_REGEX_I, "!~*")                                                                    \
    X(SQL_P_NOT_LIKE, "!~~")                                                                       \
    X(SQL_P_NOT_ILIKE, "!~~*")                                                                     \
    X(SQL_P_BANG, "!")                                                                             \
    X(SQL_P_TILDE, "~")                                                                            \
    X(SQL_P_REGEX_I, "~*")                                                                         \
    X(SQL_P_LIKE, "~~")                                                                            \
    X(SQL_P_ILIKE, "~~*")                                                                          \
    X(SQL_P_PLUS, "+")                                                                             \
    X(SQL_P_MINUS, "-")                                                                            \
    X(SQL_P_ARROW, "->")                                                                           \
    X(SQL_P_LONG_ARROW, "->>")                                                                     \
    X(SQL_P_STAR, "*")                                                                             \
    X(SQL_P_SLASH, "/")                                                                            \
    X(SQL_P_INTDIV, "//")                                                                          \
    X(SQL_P_PERCENT, "%")                                                                          \
    X(SQL_P_PIPE, "|")                                                                             \
    X(SQL_P_CONCAT, "||")                                                                          \
    X(SQL_P_PIPE_GT, "|>")                                                                         \
    X(SQL_P_AMP, "&")                                                                              \
    X(SQL_P_OVERLAP, "&&")                                                                         \
    X(SQL_P_CARET, "^")                                                                            \
    X(SQL_P_AT, "@")                                                                               \
    X(SQL_P_AT_ARROW, "@>")                                                                        \
    X(SQL_P_AT_AT, "@@")                                                                           \
    X(SQL_P_AT_QUESTION, "@?")                                                                     \
    X(SQL_P_HASH, "#")                                                                             \
    X(SQL_P_HASH_ARROW, "#>")                                                                      \
    X(SQL_P_HASH_LONG_ARROW, "#>>")                                                                \
    X(SQL_P_HASH_MINUS, "#-")                                                                      \
    X(SQL_P_QUESTION, "?")                                                                         \
    X(SQL_P_QUESTION_AND, "?&")                                                                    \
    X(SQL_P_QUESTION_PIPE, "?|")

typedef enum sql_punct {
    SQL_P_NONE = 0,
#define SQL_P_ENUM_(code, text) code,
    SQL_PUNCT_TABLE(SQL_P_ENUM_)
#undef SQL_P_ENUM_
        SQL_P_COUNT
} sql_punct;

typedef struct sql_token {
    uint8_t type;   /* sql_token_type */
    uint8_t quote;  /* SQL_TOK_QIDENT: quote char; SQL_TOK_STRING: SQL_LIT_* */
    uint16_t kw;    /* SQL_TOK_WORD: sql_keyword or SQL_KW_NONE */
    uint16_t punct; /* SQL_TOK_PUNCT: sql_punct */
    sql_pos pos;
    uint32_t len;      /* bytes of source text */
    const char *value; /* decoded content (strings, quoted identifiers), else source */
    uint32_t value_len;
} sql_token;

/* The text of a punctuation code, a static string. */
const char *sql_punct_text(sql_punct punct);

/* ---- parser state (parse.c) ---- */
typedef struct sql_parser {
    const char *sql;
    size_t len;
    sql_token *toks; /* n_toks tokens, the last one SQL_TOK_EOF; base_alloc'd */
    size_t n_toks;
    size_t cur;
    base_arena *arena;
    qv_error *err;
    uint32_t depth;
    uint32_t max_depth;
    size_t max_tokens;
} sql_parser;

/* Splits p->sql into p->toks. QV_SYNTAX for bad characters, unterminated
 * strings / comments; QV_LIMIT past p->max_tokens; QV_NOMEM. */
qv_status sql_lex(sql_parser *p);

/* ---- parser helpers (parse.c) ---- */
static inline const sql_token *sql_tok(const sql_parser *p)
{
    return &p->toks[p->cur];
}
/* The token n places ahead (the EOF token past the end). */
const sql_token *sql_peek(const sql_parser *p, size_t n);
static inline void sql_advance(sql_parser *p)
{
    if (p->toks[p->cur].type != SQL_TOK_EOF)
        p->cur++;
}
bool sql_is_kw(const sql_token *tok, sql_keyword kw);
bool sql_is_punct(const sql_token *tok, sql_punct punct);
static inline bool sql_at_kw(const sql_parser *p, sql_keyword kw)
{
    return sql_is_kw(sql_tok(p), kw);
}
static inline bool sql_at_punct(const sql_parser *p, sql_punct punct)
{
    return sql_is_punct(sql_tok(p), punct);
}
/* Consume the token when it matches; return whether it did. */
bool sql_accept_kw(sql_parser *p, sql_keyword kw);
bool sql_accept_kws(sql_parser *p, sql_keyword kw1, sql_keyword kw2); /* both or neither */
bool sql_accept_punct(sql_parser *p, sql_punct punct);
/* Consume the matching token or fail with "Expected: X, found: Y". */
qv_status sql_expect_kw(sql_parser *p, sql_keyword kw);
qv_status sql_expect_punct(sql_parser *p, sql_punct punct);

/* ---- syntax errors (errors.c, parse.c) ----
 * Messages follow sqlparser-rs as DataFusion shows them:
 *   SQL error: ParserError("Expected: <what>, found: <token> at Line: L, Column: C")
 * with no " at ..." when the token is EOF. err->line / err->column always
 * hold the position (for the CLI's caret), even when the text shows none. */

/* Sets err to `SQL error: <kind>("<text>[ at Line: L, Column: C]")`, the
 * inner text escaped as Rust's Debug does, and records pos in err. kind is
 * "ParserError" or "TokenizerError". */
void sql_error_format(qv_error *err, qv_status code, const char *kind, const char *text,
                      bool show_position, sql_pos pos);
/* "Expected: <what>, found: <current token>". Adds a "did you mean" hint
 * when the token is a word close to one of candidates. */
qv_status sql_error_expected(sql_parser *p, const char *what);
qv_status sql_error_expected_kw(sql_parser *p, const char *what, const sql_keyword *candidates,
                                size_t n_candidates);
/* A free-form message followed by tok's position, as sqlparser-rs's own
 * checks report ("Cannot specify DISTINCT then ALL at Line: 1, Column: 8"). */
qv_status sql_error_at(sql_parser *p, const sql_token *tok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A free-form message without a position in its text, as DataFusion's own
 * parser reports ("Missing LOCATION clause in ..."); err still records tok's
 * position. */
qv_status sql_error_plain(sql_parser *p, const sql_token *tok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* tok as sqlparser-rs displays it: words and numbers as written, quoted
 * identifiers and strings with their quotes, operators, "EOF". */
void sql_token_describe(const sql_parser *p, const sql_token *tok, char *buf, size_t size);

/* Nesting guard: every recursive rule calls sql_enter first (QV_LIMIT past
 * max_depth) and sql_leave on success. On failure the parse is abandoned,
 * so the count need not be restored. */
qv_status sql_enter(sql_parser *p);
static inline void sql_leave(sql_parser *p)
{
    p->depth--;
}

/* Node construction in the parse arena; all return QV_NOMEM on failure. */
qv_status sql_node_new(sql_parser *p, sql_kind kind, const sql_token *at, uint32_t n_kids,
                       sql_node **out);
qv_status sql_list_new(sql_parser *p, const sql_token *at, sql_node **out);
qv_status sql_list_push(sql_parser *p, sql_node *list, sql_node *item);
qv_status sql_node_set_text(sql_parser *p, sql_node *node, const char *text, size_t len);
/* A node of kind whose text is the token's value (identifiers, literals). */
qv_status sql_node_from_token(sql_parser *p, sql_kind kind, const sql_token *tok, sql_node **out);

/* ---- shared grammar pieces ---- */
/* Any word or quoted identifier (keywords included). */
qv_status sql_parse_ident(sql_parser *p, sql_node **out);
/* Identifier usable without AS / where keywords would be ambiguous: false for
 * the keywords sqlparser reserves in that position. */
bool sql_word_can_be_column_alias(const sql_token *tok);
bool sql_word_can_be_table_alias(const sql_token *tok);
/* a.b.c as SQL_NAME; also accepts a single-quoted string as one part
 * (FROM 'file.csv'). */
qv_status sql_parse_object_name(sql_parser *p, sql_node **out);
/* ( ident, ... ) as SQL_LIST. */
qv_status sql_parse_paren_ident_list(sql_parser *p, sql_node **out);
/* An OPTIONS / WITH ( key [=] value, ... ) list of SQL_OPTION. */
qv_status sql_parse_options_list(sql_parser *p, bool allow_eq, sql_node **out);

/* parse_expr.c */
qv_status sql_parse_expr(sql_parser *p, sql_node **out);
qv_status sql_parse_expr_list(sql_parser *p, sql_node **out);     /* e, e, ... */
qv_status sql_parse_order_by_list(sql_parser *p, sql_node **out); /* after ORDER BY */
qv_status sql_parse_window_spec(sql_parser *p, sql_node **out);   /* ( ... ) */
/* A literal value: number, string, TRUE/FALSE/NULL, with optional sign. */
qv_status sql_parse_literal(sql_parser *p, sql_node **out);

/* parse_query.c */
/* A full query: [WITH] body [ORDER BY] [LIMIT] [OFFSET] [FETCH] [|> ...]. */
qv_status sql_parse_query(sql_parser *p, sql_node **out);
/* True when the current token starts a query (SELECT, WITH, VALUES, '(' ...). */
bool sql_at_query_start(const sql_parser *p);
/* Projection items (expr [AS alias], *, t.*). */
qv_status sql_parse_select_items(sql_parser *p, sql_node **out);
qv_status sql_parse_table_alias(sql_parser *p, sql_node **out); /* may set *out NULL */
/* FROM items: table_ref [, table_ref ...] as SQL_LIST. */
qv_status sql_parse_from_list(sql_parser *p, sql_node **out);

/* parse_types.c */
qv_status sql_parse_type(sql_parser *p, sql_node **out);
/* True when tok names a built-in SQL type that may start a typed literal. */
bool sql_token_is_type_name(const sql_token *tok);

/* Statements: parse.c dispatches to these. */
qv_status sql_parse_statement(sql_parser *p, sql_node **out);
qv_status sql_parse_create(sql_parser *p, sql_node **out);      /* parse_ddl.c */
qv_status sql_parse_drop(sql_parser *p, sql_node **out);        /* parse_ddl.c */
qv_status sql_parse_column_defs(sql_parser *p, sql_node **out); /* parse_ddl.c */
/* DataFusion's PARTITIONED BY list (parse_ddl.c): ( name, ... ), or with
 * allow_types ( name type, ... ) when the token after the first name is not
 * ',' or ')'. A missing or empty list means none, as in DataFusion. */
qv_status sql_parse_partition_list(sql_parser *p, bool allow_types, sql_node **out);
/* The file type after STORED AS: any word (parse_ddl.c). */
qv_status sql_parse_file_format(sql_parser *p, sql_node **out);
/* [WITH | SET] key [=] value [,] ... of CREATE / ALTER USER (parse_ddl.c). */
qv_status sql_parse_user_options(sql_parser *p, sql_node **out);
qv_status sql_parse_insert(sql_parser *p, sql_node **out);    /* parse_dml.c */
qv_status sql_parse_update(sql_parser *p, sql_node **out);    /* parse_dml.c */
qv_status sql_parse_delete(sql_parser *p, sql_node **out);    /* parse_dml.c */
qv_status sql_parse_truncate(sql_parser *p, sql_node **out);  /* parse_dml.c */
qv_status sql_parse_copy(sql_parser *p, sql_node **out);      /* parse_dml.c */
qv_status sql_parse_misc(sql_parser *p, sql_node **out);      /* parse_misc.c: SET, SHOW,
                                                                 EXPLAIN, PREPARE... */
qv_status sql_parse_user_stmt(sql_parser *p, sql_node **out); /* parse_misc.c: ALTER USER,
                                                                 GRANT, REVOKE */

#endif /* QV_SQL_INT_H */
