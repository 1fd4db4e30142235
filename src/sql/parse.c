/*
 * parse.c — the parser's entry point and shared machinery (layer: sql):
 * sql_parse / sql_parse_result_free, statement splitting and dispatch, token
 * matching, syntax errors with positions and "did you mean" hints, the
 * nesting guard, node construction, and the grammar pieces every statement
 * uses (identifiers, object names, parenthesized lists, option lists).
 */
#include <stdio.h>
#include <string.h>

#include "sql_int.h"

/* ---- tokens ---- */

const sql_token *sql_peek(const sql_parser *p, size_t n)
{
    size_t i = p->cur + n;
    return i < p->n_toks ? &p->toks[i] : &p->toks[p->n_toks - 1];
}

bool sql_is_kw(const sql_token *tok, sql_keyword kw)
{
    return tok->type == SQL_TOK_WORD && tok->kw == kw;
}

bool sql_is_punct(const sql_token *tok, sql_punct punct)
{
    return tok->type == SQL_TOK_PUNCT && tok->punct == punct;
}

bool sql_accept_kw(sql_parser *p, sql_keyword kw)
{
    if (!sql_at_kw(p, kw))
        return false;
    sql_advance(p);
    return true;
}

bool sql_accept_kws(sql_parser *p, sql_keyword kw1, sql_keyword kw2)
{
    if (!sql_at_kw(p, kw1) || !sql_is_kw(sql_peek(p, 1), kw2))
        return false;
    p->cur += 2;
    return true;
}

bool sql_accept_punct(sql_parser *p, sql_punct punct)
{
    if (!sql_at_punct(p, punct))
        return false;
    sql_advance(p);
    return true;
}

qv_status sql_expect_kw(sql_parser *p, sql_keyword kw)
{
    if (sql_accept_kw(p, kw))
        return QV_OK;
    return sql_error_expected_kw(p, sql_keyword_text(kw), &kw, 1);
}

qv_status sql_expect_punct(sql_parser *p, sql_punct punct)
{
    if (sql_accept_punct(p, punct))
        return QV_OK;
    return sql_error_expected(p, sql_punct_text(punct));
}

/* ---- errors ---- */

void sql_token_describe(const sql_parser *p, const sql_token *tok, char *buf, size_t size)
{
    const char *source = p->sql + tok->pos.offset;
    int value_len = (int)tok->value_len;
    switch (tok->type) {
    case SQL_TOK_EOF:
        snprintf(buf, size, "EOF");
        return;
    case SQL_TOK_QIDENT:
        snprintf(buf, size, "%c%.*s%c", tok->quote, value_len, tok->value, tok->quote);
        return;
    case SQL_TOK_STRING: {
        static const char *const prefixes[] = {[SQL_LIT_STRING] = "",
                                               [SQL_LIT_ESTRING] = "E",
                                               [SQL_LIT_HEX] = "X",
                                               [SQL_LIT_NATIONAL] = "N"};
        if (tok->quote != SQL_LIT_DOLLAR && tok->quote < sizeof prefixes / sizeof prefixes[0] &&
            prefixes[tok->quote] != NULL) {
            snprintf(buf, size, "%s'%.*s'", prefixes[tok->quote], value_len, tok->value);
            return;
        }
        break;
    }
    default:
        break;
    }
    snprintf(buf, size, "%.*s", (int)tok->len, source);
}

/* Sets the ParserError of text at tok: with tok's position in the text
 * unless asked not to or tok is EOF (sqlparser-rs's EOF has no location). */
static qv_status parser_error(sql_parser *p, const sql_token *tok, bool show_position,
                              const char *text)
{
    sql_error_format(p->err, QV_SYNTAX, "ParserError", text,
                     show_position && tok->type != SQL_TOK_EOF, tok->pos);
    return QV_SYNTAX;
}

qv_status sql_error_at(sql_parser *p, const sql_token *tok, const char *fmt, ...)
{
    char text[768];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    return parser_error(p, tok, true, text);
}

qv_status sql_error_plain(sql_parser *p, const sql_token *tok, const char *fmt, ...)
{
    char text[768];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    return parser_error(p, tok, false, text);
}

qv_status sql_error_expected(sql_parser *p, const char *what)
{
    return sql_error_expected_kw(p, what, NULL, 0);
}

qv_status sql_error_expected_kw(sql_parser *p, const char *what, const sql_keyword *candidates,
                                size_t n_candidates)
{
    const sql_token *tok = sql_tok(p);
    char found[512];
    sql_token_describe(p, tok, found, sizeof found);
    sql_error_at(p, tok, "Expected: %s, found: %s", what, found);
    if (tok->type != SQL_TOK_WORD)
        return QV_SYNTAX;
    sql_keyword best = SQL_KW_NONE;
    int best_distance = 3;
    for (size_t i = 0; i < n_candidates; i++) {
        const char *text = sql_keyword_text(candidates[i]);
        int d = sql_keyword_distance(p->sql + tok->pos.offset, tok->len, text);
        /* Short words are close to everything; demand a closer match. */
        int allowed = strlen(text) <= 3 ? 1 : 2;
        if (d > 0 && d <= allowed && d < best_distance) {
            best = candidates[i];
            best_distance = d;
        }
    }
    if (best != SQL_KW_NONE)
        base_error_set_hint(p->err, "did you mean %s?", sql_keyword_text(best));
    return QV_SYNTAX;
}

qv_status sql_enter(sql_parser *p)
{
    if (++p->depth <= p->max_depth)
        return QV_OK;
    /* DataFusion: DataFusionError::SQL(RecursionLimitExceeded) with the limit. */
    const sql_token *tok = sql_tok(p);
    base_error_set(p->err, QV_LIMIT, "SQL error: RecursionLimitExceeded (current limit: %u)",
                   p->max_depth);
    base_error_set_position(p->err, (int32_t)tok->pos.line, (int32_t)tok->pos.column);
    base_error_set_hint(p->err, "simplify the statement or raise sql_parse_options.max_depth");
    return QV_LIMIT;
}

/* ---- nodes ---- */

qv_status sql_node_new(sql_parser *p, sql_kind kind, const sql_token *at, uint32_t n_kids,
                       sql_node **out)
{
    sql_node *node = base_arena_calloc(p->arena, sizeof *node + n_kids * sizeof(sql_node *));
    if (node == NULL)
        return base_error_nomem(p->err, "SQL syntax tree");
    node->kind = kind;
    node->pos = at->pos;
    node->n_kids = n_kids;
    node->kids_cap = n_kids;
    node->kids = n_kids > 0 ? (sql_node **)(node + 1) : NULL;
    *out = node;
    return QV_OK;
}

qv_status sql_list_new(sql_parser *p, const sql_token *at, sql_node **out)
{
    return sql_node_new(p, SQL_LIST, at, 0, out);
}

qv_status sql_list_push(sql_parser *p, sql_node *list, sql_node *item)
{
    if (list->n_kids == list->kids_cap) {
        uint32_t cap = list->kids_cap < 4 ? 4 : list->kids_cap * 2;
        sql_node **kids = base_arena_alloc(p->arena, cap * sizeof *kids);
        if (kids == NULL)
            return base_error_nomem(p->err, "SQL syntax tree");
        if (list->n_kids > 0)
            memcpy(kids, list->kids, list->n_kids * sizeof *kids);
        list->kids = kids;
        list->kids_cap = cap;
    }
    list->kids[list->n_kids++] = item;
    return QV_OK;
}

qv_status sql_node_set_text(sql_parser *p, sql_node *node, const char *text, size_t len)
{
    char *copy = base_arena_strndup(p->arena, text, len);
    if (copy == NULL)
        return base_error_nomem(p->err, "SQL syntax tree");
    node->text = copy;
    node->text_len = len;
    return QV_OK;
}

qv_status sql_node_from_token(sql_parser *p, sql_kind kind, const sql_token *tok, sql_node **out)
{
    QV_TRY(sql_node_new(p, kind, tok, 0, out));
    return sql_node_set_text(p, *out, tok->value, tok->value_len);
}

/* ---- shared grammar pieces ---- */

qv_status sql_parse_ident(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    if (tok->type != SQL_TOK_WORD && tok->type != SQL_TOK_QIDENT)
        return sql_error_expected(p, "identifier");
    QV_TRY(sql_node_from_token(p, SQL_IDENT, tok, out));
    (*out)->op = tok->type == SQL_TOK_QIDENT ? tok->quote : 0;
    sql_advance(p);
    return QV_OK;
}

/* sqlparser-rs's RESERVED_FOR_COLUMN_ALIAS: words that end a projection item
 * instead of naming it (an alias written after AS may be any word). */
static const sql_keyword not_column_alias[] = {
    SQL_KW_WITH,   SQL_KW_EXPLAIN, SQL_KW_ANALYZE, SQL_KW_SELECT,  SQL_KW_WHERE,     SQL_KW_GROUP,
    SQL_KW_HAVING, SQL_KW_ORDER,   SQL_KW_LATERAL, SQL_KW_VIEW,    SQL_KW_LIMIT,     SQL_KW_OFFSET,
    SQL_KW_FETCH,  SQL_KW_UNION,   SQL_KW_EXCEPT,  SQL_KW_EXCLUDE, SQL_KW_INTERSECT, SQL_KW_MINUS,
    SQL_KW_FROM,   SQL_KW_INTO,    SQL_KW_END,     SQL_KW_QUALIFY, SQL_KW_WINDOW,
};

/* sqlparser-rs's RESERVED_FOR_TABLE_ALIAS (the keywords this parser knows). */
static const sql_keyword not_table_alias[] = {
    SQL_KW_WITH,      SQL_KW_EXPLAIN, SQL_KW_ANALYZE, SQL_KW_SELECT,  SQL_KW_WHERE,
    SQL_KW_GROUP,     SQL_KW_HAVING,  SQL_KW_ORDER,   SQL_KW_LATERAL, SQL_KW_VIEW,
    SQL_KW_LIMIT,     SQL_KW_OFFSET,  SQL_KW_FETCH,   SQL_KW_UNION,   SQL_KW_EXCEPT,
    SQL_KW_INTERSECT, SQL_KW_MINUS,   SQL_KW_ON,      SQL_KW_JOIN,    SQL_KW_INNER,
    SQL_KW_CROSS,     SQL_KW_FULL,    SQL_KW_LEFT,    SQL_KW_RIGHT,   SQL_KW_NATURAL,
    SQL_KW_USING,     SQL_KW_ANTI,    SQL_KW_SEMI,    SQL_KW_OUTER,   SQL_KW_SET,
    SQL_KW_QUALIFY,   SQL_KW_WINDOW,  SQL_KW_END,     SQL_KW_FOR,     SQL_KW_PARTITION,
    SQL_KW_FORMAT,    SQL_KW_FROM,
};

static bool word_in(const sql_token *tok, const sql_keyword *list, size_t n)
{
    if (tok->type == SQL_TOK_QIDENT)
        return false;
    if (tok->type != SQL_TOK_WORD)
        return true;
    for (size_t i = 0; i < n; i++) {
        if (tok->kw == list[i])
            return true;
    }
    return false;
}

bool sql_word_can_be_column_alias(const sql_token *tok)
{
    return !word_in(tok, not_column_alias, sizeof not_column_alias / sizeof not_column_alias[0]);
}

bool sql_word_can_be_table_alias(const sql_token *tok)
{
    return !word_in(tok, not_table_alias, sizeof not_table_alias / sizeof not_table_alias[0]);
}

qv_status sql_parse_object_name(sql_parser *p, sql_node **out)
{
    sql_node *name;
    QV_TRY(sql_node_new(p, SQL_NAME, sql_tok(p), 0, &name));
    do {
        sql_node *part;
        const sql_token *tok = sql_tok(p);
        if (tok->type == SQL_TOK_STRING && tok->quote == SQL_LIT_STRING) {
            QV_TRY(sql_node_from_token(p, SQL_IDENT, tok, &part));
            part->op = '\'';
            sql_advance(p);
        } else {
            QV_TRY(sql_parse_ident(p, &part));
        }
        QV_TRY(sql_list_push(p, name, part));
    } while (sql_accept_punct(p, SQL_P_PERIOD));
    *out = name;
    return QV_OK;
}

qv_status sql_parse_paren_ident_list(sql_parser *p, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
    do {
        sql_node *ident;
        QV_TRY(sql_parse_ident(p, &ident));
        QV_TRY(sql_list_push(p, list, ident));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = list;
    return QV_OK;
}

/* An option key: a string, or words joined by '.' (format.has_header). */
static qv_status parse_option_key(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    if (tok->type == SQL_TOK_STRING &&
        (tok->quote == SQL_LIT_STRING || tok->quote == SQL_LIT_ESTRING))
        return sql_parse_literal(p, out);
    if (tok->type != SQL_TOK_WORD && tok->type != SQL_TOK_QIDENT)
        return sql_error_expected(p, "key name");
    sql_node *name;
    QV_TRY(sql_node_new(p, SQL_NAME, tok, 0, &name));
    for (;;) {
        sql_node *part;
        QV_TRY(sql_parse_ident(p, &part));
        QV_TRY(sql_list_push(p, name, part));
        if (!sql_accept_punct(p, SQL_P_PERIOD))
            break;
        if (sql_tok(p)->type != SQL_TOK_WORD && sql_tok(p)->type != SQL_TOK_QIDENT)
            return sql_error_expected(p, "key name");
    }
    *out = name;
    return QV_OK;
}

/* An option value as DataFusion's parse_option_value takes it: a word, a
 * string or a number; Quiver's WITH (...) lists also take a signed number. */
static qv_status parse_option_value(sql_parser *p, bool signed_numbers, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    bool sign = signed_numbers && (sql_is_punct(tok, SQL_P_MINUS) || sql_is_punct(tok, SQL_P_PLUS));
    if (tok->type == SQL_TOK_NUMBER || sign || sql_is_kw(tok, SQL_KW_TRUE) ||
        sql_is_kw(tok, SQL_KW_FALSE) || sql_is_kw(tok, SQL_KW_NULL) ||
        (tok->type == SQL_TOK_STRING &&
         (tok->quote == SQL_LIT_STRING || tok->quote == SQL_LIT_ESTRING)))
        return sql_parse_literal(p, out);
    if (tok->type == SQL_TOK_WORD || tok->type == SQL_TOK_QIDENT)
        return sql_parse_ident(p, out);
    return sql_error_expected(p, "string or numeric value");
}

qv_status sql_parse_options_list(sql_parser *p, bool allow_eq, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
    for (;;) {
        sql_node *option;
        QV_TRY(sql_node_new(p, SQL_OPTION, sql_tok(p), 2, &option));
        QV_TRY(parse_option_key(p, &option->kids[0]));
        if (allow_eq)
            sql_accept_punct(p, SQL_P_EQ);
        QV_TRY(parse_option_value(p, allow_eq, &option->kids[1]));
        QV_TRY(sql_list_push(p, list, option));
        bool comma = sql_accept_punct(p, SQL_P_COMMA);
        if (sql_accept_punct(p, SQL_P_RPAREN))
            break; /* a trailing comma is allowed */
        if (!comma)
            return sql_error_expected(p, "',' or ')' after option definition");
    }
    *out = list;
    return QV_OK;
}

/* ---- statements ---- */

static const sql_keyword statement_keywords[] = {
    SQL_KW_SELECT,  SQL_KW_WITH,    SQL_KW_VALUES,     SQL_KW_CREATE,   SQL_KW_DROP,
    SQL_KW_INSERT,  SQL_KW_UPDATE,  SQL_KW_DELETE,     SQL_KW_TRUNCATE, SQL_KW_COPY,
    SQL_KW_EXPLAIN, SQL_KW_SET,     SQL_KW_SHOW,       SQL_KW_RESET,    SQL_KW_DESCRIBE,
    SQL_KW_PREPARE, SQL_KW_EXECUTE, SQL_KW_DEALLOCATE, SQL_KW_ALTER,    SQL_KW_GRANT,
    SQL_KW_REVOKE,
};

qv_status sql_parse_statement(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    if (sql_at_query_start(p))
        return sql_parse_query(p, out);
    if (tok->type == SQL_TOK_WORD) {
        switch (tok->kw) {
        case SQL_KW_CREATE:
            return sql_parse_create(p, out);
        case SQL_KW_DROP:
            return sql_parse_drop(p, out);
        case SQL_KW_INSERT:
            return sql_parse_insert(p, out);
        case SQL_KW_UPDATE:
            return sql_parse_update(p, out);
        case SQL_KW_DELETE:
            return sql_parse_delete(p, out);
        case SQL_KW_TRUNCATE:
            return sql_parse_truncate(p, out);
        case SQL_KW_COPY:
            return sql_parse_copy(p, out);
        case SQL_KW_EXPLAIN:
        case SQL_KW_SET:
        case SQL_KW_SHOW:
        case SQL_KW_RESET:
        case SQL_KW_DESCRIBE:
        case SQL_KW_DESC:
        case SQL_KW_PREPARE:
        case SQL_KW_EXEC:
        case SQL_KW_EXECUTE:
        case SQL_KW_DEALLOCATE:
            return sql_parse_misc(p, out);
        case SQL_KW_ALTER:
        case SQL_KW_GRANT:
        case SQL_KW_REVOKE:
            return sql_parse_user_stmt(p, out);
        default:
            break;
        }
    }
    return sql_error_expected_kw(p, "an SQL statement", statement_keywords,
                                 sizeof statement_keywords / sizeof statement_keywords[0]);
}

static qv_status push_statement(sql_parser *p, sql_parse_result *result, size_t *cap,
                                const sql_statement *stmt)
{
    if (result->n_statements == *cap) {
        size_t grown_cap = *cap < 4 ? 4 : *cap * 2;
        sql_statement *grown = base_arena_alloc(p->arena, grown_cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(p->err, "SQL statements");
        if (result->n_statements > 0)
            memcpy(grown, result->statements, result->n_statements * sizeof *grown);
        result->statements = grown;
        *cap = grown_cap;
    }
    result->statements[result->n_statements++] = *stmt;
    return QV_OK;
}

static qv_status parse_all(sql_parser *p, sql_parse_result *result)
{
    QV_TRY(sql_lex(p));
    size_t cap = 0;
    for (;;) {
        while (sql_accept_punct(p, SQL_P_SEMICOLON)) {
        }
        if (sql_tok(p)->type == SQL_TOK_EOF)
            return QV_OK;
        sql_statement stmt;
        stmt.start = sql_tok(p)->pos;
        QV_TRY(sql_parse_statement(p, &stmt.node));
        const sql_token *last = &p->toks[p->cur - 1];
        stmt.length = last->pos.offset + last->len - stmt.start.offset;
        QV_TRY(push_statement(p, result, &cap, &stmt));
        if (!sql_at_punct(p, SQL_P_SEMICOLON) && sql_tok(p)->type != SQL_TOK_EOF)
            return sql_error_expected(p, "end of statement");
    }
}

qv_status sql_parse(const char *sql, size_t len, const sql_parse_options *opts,
                    sql_parse_result **out, qv_error *err)
{
    *out = NULL;
    if (sql == NULL && len > 0)
        return base_error_set(err, QV_MISUSE, "sql_parse: NULL SQL text");
    sql_parse_options limits = {SQL_DEFAULT_MAX_DEPTH, SQL_DEFAULT_MAX_LENGTH,
                                SQL_DEFAULT_MAX_TOKENS};
    if (opts != NULL) {
        if (opts->max_depth > 0)
            limits.max_depth = opts->max_depth;
        if (opts->max_length > 0)
            limits.max_length = opts->max_length;
        if (opts->max_tokens > 0)
            limits.max_tokens = opts->max_tokens;
    }
    if (len > limits.max_length)
        return base_error_set(err, QV_LIMIT,
                              "SQL text of %zu bytes exceeds the parser's limit of %zu bytes", len,
                              limits.max_length);
    sql_parse_result *result = base_calloc(1, sizeof *result);
    if (result == NULL)
        return base_error_nomem(err, "SQL parse result");
    /* The arena's first block scales with the text: trees take a few times
     * the source size. */
    result->arena = base_arena_new(len * 4 < 4096 ? 4096 : len * 4);
    if (result->arena == NULL) {
        base_free(result);
        return base_error_nomem(err, "SQL parse arena");
    }
    sql_parser p;
    memset(&p, 0, sizeof p);
    p.sql = sql == NULL ? "" : sql;
    p.len = len;
    p.arena = result->arena;
    p.err = err;
    p.max_depth = limits.max_depth;
    p.max_tokens = limits.max_tokens;
    qv_status status = parse_all(&p, result);
    base_free(p.toks);
    if (status != QV_OK) {
        sql_parse_result_free(result);
        return status;
    }
    *out = result;
    return QV_OK;
}

void sql_parse_result_free(sql_parse_result *result)
{
    if (result == NULL)
        return;
    base_arena_free(result->arena);
    base_free(result);
}
