/*
 * parse_expr.c — expressions (layer: sql).
 *
 * Precedence climbing with sqlparser-rs's generic-dialect precedences, so
 * that trees group exactly as DataFusion's do:
 *   OR 5 < AND 10 < NOT 15 < JSON/array operators 16 < IS 17 < LIKE 19
 *   < comparison, IN, BETWEEN 20 < | 21 < ^ << >> 22 < & 23 < XOR 24
 *   < + - 30 < * / % || 40 < AT TIME ZONE 41 < :: [] . COLLATE 50.
 * Parentheses are kept as SQL_NESTED nodes so the unparser reproduces the
 * text's grouping. Every recursion and every operator that wraps the tree
 * built so far counts against the nesting limit, which bounds the height of
 * every tree (the unparser and sql_ast_equal recurse on it).
 */
#include <string.h>

#include "sql_int.h"

enum {
    PREC_NONE = 0,
    PREC_OR = 5,
    PREC_AND = 10,
    PREC_NOT = 15,
    PREC_PG_OTHER = 16,
    PREC_IS = 17,
    PREC_LIKE = 19,
    PREC_EQ = 20,
    PREC_BETWEEN = 20,
    PREC_PIPE = 21,
    PREC_CARET = 22,
    PREC_AMP = 23,
    PREC_XOR = 24,
    PREC_PLUS_MINUS = 30,
    PREC_MUL_DIV = 40,
    PREC_AT_TZ = 41,
    PREC_POSTFIX = 50,
};

static qv_status parse_subexpr(sql_parser *p, int prec, sql_node **out);
static qv_status parse_infix_loop(sql_parser *p, int prec, sql_node **inout);

qv_status sql_parse_expr(sql_parser *p, sql_node **out)
{
    return parse_subexpr(p, PREC_NONE, out);
}

qv_status sql_parse_expr_list(sql_parser *p, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    do {
        sql_node *item;
        QV_TRY(sql_parse_expr(p, &item));
        QV_TRY(sql_list_push(p, list, item));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    *out = list;
    return QV_OK;
}

/* ---- binary operator table ---- */

typedef struct punct_op {
    sql_punct punct;
    sql_op op;
    int prec;
} punct_op;

static const punct_op punct_ops[] = {
    {SQL_P_EQ, SQL_OP_EQ, PREC_EQ},
    {SQL_P_EQ2, SQL_OP_EQ2, PREC_EQ},
    {SQL_P_NE, SQL_OP_NE, PREC_EQ},
    {SQL_P_NE2, SQL_OP_NE2, PREC_EQ},
    {SQL_P_LT, SQL_OP_LT, PREC_EQ},
    {SQL_P_LE, SQL_OP_LE, PREC_EQ},
    {SQL_P_GT, SQL_OP_GT, PREC_EQ},
    {SQL_P_GE, SQL_OP_GE, PREC_EQ},
    {SQL_P_SPACESHIP, SQL_OP_SPACESHIP, PREC_EQ},
    {SQL_P_TILDE, SQL_OP_REGEX, PREC_EQ},
    {SQL_P_REGEX_I, SQL_OP_REGEX_I, PREC_EQ},
    {SQL_P_NOT_REGEX, SQL_OP_NOT_REGEX, PREC_EQ},
    {SQL_P_NOT_REGEX_I, SQL_OP_NOT_REGEX_I, PREC_EQ},
    {SQL_P_LIKE, SQL_OP_LIKE_OP, PREC_EQ},
    {SQL_P_ILIKE, SQL_OP_ILIKE_OP, PREC_EQ},
    {SQL_P_NOT_LIKE, SQL_OP_NOT_LIKE_OP, PREC_EQ},
    {SQL_P_NOT_ILIKE, SQL_OP_NOT_ILIKE_OP, PREC_EQ},
    {SQL_P_PIPE, SQL_OP_BIT_OR, PREC_PIPE},
    {SQL_P_CARET, SQL_OP_BIT_XOR, PREC_CARET},
    {SQL_P_SHL, SQL_OP_SHL, PREC_CARET},
    {SQL_P_SHR, SQL_OP_SHR, PREC_CARET},
    {SQL_P_AMP, SQL_OP_BIT_AND, PREC_AMP},
    {SQL_P_PLUS, SQL_OP_PLUS, PREC_PLUS_MINUS},
    {SQL_P_MINUS, SQL_OP_MINUS, PREC_PLUS_MINUS},
    {SQL_P_STAR, SQL_OP_MUL, PREC_MUL_DIV},
    {SQL_P_SLASH, SQL_OP_DIV, PREC_MUL_DIV},
    {SQL_P_INTDIV, SQL_OP_INTDIV, PREC_MUL_DIV},
    {SQL_P_PERCENT, SQL_OP_MOD, PREC_MUL_DIV},
    {SQL_P_CONCAT, SQL_OP_CONCAT, PREC_MUL_DIV},
    {SQL_P_OVERLAP, SQL_OP_OVERLAP, PREC_POSTFIX},
    {SQL_P_ARROW, SQL_OP_ARROW, PREC_PG_OTHER},
    {SQL_P_LONG_ARROW, SQL_OP_LONG_ARROW, PREC_PG_OTHER},
    {SQL_P_HASH_ARROW, SQL_OP_HASH_ARROW, PREC_PG_OTHER},
    {SQL_P_HASH_LONG_ARROW, SQL_OP_HASH_LONG_ARROW, PREC_PG_OTHER},
    {SQL_P_AT_ARROW, SQL_OP_AT_ARROW, PREC_PG_OTHER},
    {SQL_P_ARROW_AT, SQL_OP_ARROW_AT, PREC_PG_OTHER},
    {SQL_P_AT_AT, SQL_OP_AT_AT, PREC_PG_OTHER},
    {SQL_P_AT_QUESTION, SQL_OP_AT_QUESTION, PREC_PG_OTHER},
    {SQL_P_QUESTION_AND, SQL_OP_QUESTION_AND, PREC_PG_OTHER},
    {SQL_P_QUESTION_PIPE, SQL_OP_QUESTION_PIPE, PREC_PG_OTHER},
    {SQL_P_HASH_MINUS, SQL_OP_HASH_MINUS, PREC_PG_OTHER},
};

static const punct_op *find_punct_op(const sql_token *tok)
{
    if (tok->type != SQL_TOK_PUNCT)
        return NULL;
    for (size_t i = 0; i < sizeof punct_ops / sizeof punct_ops[0]; i++) {
        if (punct_ops[i].punct == tok->punct)
            return &punct_ops[i];
    }
    return NULL;
}

static bool is_comparison(sql_op op)
{
    return op == SQL_OP_EQ || op == SQL_OP_EQ2 || op == SQL_OP_NE || op == SQL_OP_NE2 ||
           op == SQL_OP_LT || op == SQL_OP_LE || op == SQL_OP_GT || op == SQL_OP_GE;
}

static int next_precedence(const sql_parser *p)
{
    const sql_token *tok = sql_tok(p);
    if (tok->type == SQL_TOK_WORD) {
        switch (tok->kw) {
        case SQL_KW_OR:
            return PREC_OR;
        case SQL_KW_AND:
            return PREC_AND;
        case SQL_KW_XOR:
            return PREC_XOR;
        case SQL_KW_IS:
            return PREC_IS;
        case SQL_KW_IN:
        case SQL_KW_BETWEEN:
            return PREC_BETWEEN;
        case SQL_KW_LIKE:
        case SQL_KW_ILIKE:
        case SQL_KW_SIMILAR:
            return PREC_LIKE;
        case SQL_KW_COLLATE:
            return PREC_POSTFIX;
        case SQL_KW_AT:
            return sql_is_kw(sql_peek(p, 1), SQL_KW_TIME) && sql_is_kw(sql_peek(p, 2), SQL_KW_ZONE)
                       ? PREC_AT_TZ
                       : PREC_NONE;
        case SQL_KW_NOT: {
            const sql_token *next = sql_peek(p, 1);
            if (sql_is_kw(next, SQL_KW_IN) || sql_is_kw(next, SQL_KW_BETWEEN))
                return PREC_BETWEEN;
            if (sql_is_kw(next, SQL_KW_LIKE) || sql_is_kw(next, SQL_KW_ILIKE) ||
                sql_is_kw(next, SQL_KW_SIMILAR))
                return PREC_LIKE;
            return PREC_NONE;
        }
        default:
            return PREC_NONE;
        }
    }
    if (sql_is_punct(tok, SQL_P_DOUBLE_COLON) || sql_is_punct(tok, SQL_P_LBRACKET) ||
        sql_is_punct(tok, SQL_P_PERIOD))
        return PREC_POSTFIX;
    const punct_op *op = find_punct_op(tok);
    return op != NULL ? op->prec : PREC_NONE;
}

/* ---- literals ---- */

qv_status sql_parse_literal(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    if (sql_is_punct(tok, SQL_P_MINUS) || sql_is_punct(tok, SQL_P_PLUS)) {
        sql_node *unary;
        QV_TRY(sql_node_new(p, SQL_UNARY, tok, 1, &unary));
        unary->op = sql_is_punct(tok, SQL_P_MINUS) ? SQL_OP_NEG : SQL_OP_PLUS_PREFIX;
        sql_advance(p);
        if (sql_tok(p)->type != SQL_TOK_NUMBER)
            return sql_error_expected(p, "literal number");
        QV_TRY(sql_parse_literal(p, &unary->kids[0]));
        *out = unary;
        return QV_OK;
    }
    int lit;
    if (tok->type == SQL_TOK_NUMBER) {
        lit = SQL_LIT_INTEGER;
        for (uint32_t i = 0; i < tok->len; i++) {
            char c = p->sql[tok->pos.offset + i];
            if (c < '0' || c > '9')
                lit = SQL_LIT_NUMBER;
        }
    } else if (tok->type == SQL_TOK_STRING) {
        lit = tok->quote;
    } else if (sql_is_kw(tok, SQL_KW_TRUE)) {
        lit = SQL_LIT_TRUE;
    } else if (sql_is_kw(tok, SQL_KW_FALSE)) {
        lit = SQL_LIT_FALSE;
    } else if (sql_is_kw(tok, SQL_KW_NULL)) {
        lit = SQL_LIT_NULL;
    } else {
        return sql_error_expected(p, "a value");
    }
    QV_TRY(sql_node_from_token(p, SQL_LITERAL, tok, out));
    (*out)->op = lit;
    if (lit == SQL_LIT_TRUE || lit == SQL_LIT_FALSE || lit == SQL_LIT_NULL) {
        (*out)->text = NULL;
        (*out)->text_len = 0;
    }
    sql_advance(p);
    return QV_OK;
}

/* ---- pieces of prefix expressions ---- */

static qv_status new_unary(sql_parser *p, const sql_token *at, sql_op op, int operand_prec,
                           sql_node **out)
{
    sql_node *node;
    QV_TRY(sql_node_new(p, SQL_UNARY, at, 1, &node));
    node->op = op;
    sql_advance(p);
    QV_TRY(parse_subexpr(p, operand_prec, &node->kids[0]));
    *out = node;
    return QV_OK;
}

static qv_status parse_case(sql_parser *p, sql_node **out)
{
    sql_node *node;
    QV_TRY(sql_node_new(p, SQL_CASE, sql_tok(p), 3, &node));
    sql_advance(p); /* CASE */
    if (!sql_at_kw(p, SQL_KW_WHEN))
        QV_TRY(sql_parse_expr(p, &node->kids[0]));
    QV_TRY(sql_list_new(p, sql_tok(p), &node->kids[1]));
    do {
        sql_node *when;
        QV_TRY(sql_node_new(p, SQL_WHEN, sql_tok(p), 2, &when));
        QV_TRY(sql_expect_kw(p, SQL_KW_WHEN));
        QV_TRY(sql_parse_expr(p, &when->kids[0]));
        QV_TRY(sql_expect_kw(p, SQL_KW_THEN));
        QV_TRY(sql_parse_expr(p, &when->kids[1]));
        QV_TRY(sql_list_push(p, node->kids[1], when));
    } while (sql_at_kw(p, SQL_KW_WHEN));
    if (sql_accept_kw(p, SQL_KW_ELSE))
        QV_TRY(sql_parse_expr(p, &node->kids[2]));
    QV_TRY(sql_expect_kw(p, SQL_KW_END));
    *out = node;
    return QV_OK;
}

static qv_status parse_cast(sql_parser *p, int op, sql_node **out)
{
    sql_node *node;
    QV_TRY(sql_node_new(p, SQL_CAST, sql_tok(p), 2, &node));
    node->op = op;
    sql_advance(p);
    QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
    QV_TRY(sql_parse_expr(p, &node->kids[0]));
    QV_TRY(sql_expect_kw(p, SQL_KW_AS));
    QV_TRY(sql_parse_type(p, &node->kids[1]));
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = node;
    return QV_OK;
}

static qv_status parse_exists(sql_parser *p, bool negated, sql_node **out)
{
    sql_node *node;
    QV_TRY(sql_node_new(p, SQL_EXISTS, sql_tok(p), 1, &node));
    node->flags = negated ? SQL_F_NOT : 0;
    sql_advance(p); /* EXISTS */
    QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
    QV_TRY(sql_parse_query(p, &node->kids[0]));
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = node;
    return QV_OK;
}

/* Date/time fields usable after INTERVAL values and in EXTRACT. */
static bool is_datetime_field(const sql_parser *p, const sql_token *tok)
{
    static const char *const fields[] = {
        "YEAR",         "YEARS",       "MONTH",        "MONTHS",        "WEEK",
        "WEEKS",        "DAY",         "DAYS",         "HOUR",          "HOURS",
        "MINUTE",       "MINUTES",     "SECOND",       "SECONDS",       "MILLISECOND",
        "MILLISECONDS", "MICROSECOND", "MICROSECONDS", "NANOSECOND",    "NANOSECONDS",
        "CENTURY",      "DECADE",      "DOW",          "DOY",           "EPOCH",
        "ISODOW",       "ISOYEAR",     "ISOWEEK",      "JULIAN",        "MILLENNIUM",
        "MILLENIUM",    "QUARTER",     "TIMEZONE",     "TIMEZONE_HOUR", "TIMEZONE_MINUTE",
    };
    if (tok->type != SQL_TOK_WORD)
        return false;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strlen(fields[i]) == tok->len &&
            sql_keyword_distance(p->sql + tok->pos.offset, tok->len, fields[i]) == 0)
            return true;
    }
    return false;
}

static qv_status parse_interval(sql_parser *p, sql_node **out);

/* Prefix expressions only (no operators): the INTERVAL value. */
static qv_status parse_prefix(sql_parser *p, sql_node **out);

static qv_status parse_interval(sql_parser *p, sql_node **out)
{
    sql_node *node;
    QV_TRY(sql_node_new(p, SQL_INTERVAL, sql_tok(p), 3, &node));
    sql_advance(p); /* INTERVAL */
    QV_TRY(sql_enter(p));
    QV_TRY(parse_prefix(p, &node->kids[0]));
    sql_leave(p);
    if (is_datetime_field(p, sql_tok(p))) {
        QV_TRY(sql_parse_ident(p, &node->kids[1]));
        if (sql_at_kw(p, SQL_KW_TO) && is_datetime_field(p, sql_peek(p, 1))) {
            sql_advance(p);
            QV_TRY(sql_parse_ident(p, &node->kids[2]));
        }
    }
    *out = node;
    return QV_OK;
}

/* [ a, b ] after ARRAY or alone. */
static qv_status parse_array(sql_parser *p, bool keyword, sql_node **out)
{
    sql_node *node;
    QV_TRY(sql_node_new(p, SQL_ARRAY, sql_tok(p), 0, &node));
    node->flags = keyword ? SQL_F_ARRAY_KEYWORD : 0;
    if (keyword)
        sql_advance(p);
    QV_TRY(sql_expect_punct(p, SQL_P_LBRACKET));
    if (!sql_at_punct(p, SQL_P_RBRACKET)) {
        do {
            if (sql_at_punct(p, SQL_P_RBRACKET))
                break; /* trailing comma */
            sql_node *item;
            QV_TRY(sql_parse_expr(p, &item));
            QV_TRY(sql_list_push(p, node, item));
        } while (sql_accept_punct(p, SQL_P_COMMA));
    }
    QV_TRY(sql_expect_punct(p, SQL_P_RBRACKET));
    *out = node;
    return QV_OK;
}

/* { key: value, ... } (DuckDB struct literal) or MAP { key: value }. */
static qv_status parse_dict(sql_parser *p, bool is_map, sql_node **out)
{
    sql_node *node;
    QV_TRY(sql_node_new(p, is_map ? SQL_MAP : SQL_DICT, sql_tok(p), 0, &node));
    if (is_map)
        sql_advance(p);
    QV_TRY(sql_expect_punct(p, SQL_P_LBRACE));
    if (!sql_at_punct(p, SQL_P_RBRACE)) {
        do {
            sql_node *entry;
            QV_TRY(sql_node_new(p, SQL_DICT_ENTRY, sql_tok(p), 2, &entry));
            const sql_token *tok = sql_tok(p);
            if (is_map) {
                QV_TRY(sql_parse_expr(p, &entry->kids[0]));
            } else if (tok->type == SQL_TOK_STRING && tok->quote == SQL_LIT_STRING) {
                QV_TRY(sql_node_from_token(p, SQL_IDENT, tok, &entry->kids[0]));
                entry->kids[0]->op = '\'';
                sql_advance(p);
            } else {
                QV_TRY(sql_parse_ident(p, &entry->kids[0]));
            }
            QV_TRY(sql_expect_punct(p, SQL_P_COLON));
            QV_TRY(sql_parse_expr(p, &entry->kids[1]));
            QV_TRY(sql_list_push(p, node, entry));
        } while (sql_accept_punct(p, SQL_P_COMMA));
    }
    QV_TRY(sql_expect_punct(p, SQL_P_RBRACE));
    *out = node;
    return QV_OK;
}

/* ( expr ), ( a, b ) or ( query ). */
static qv_status parse_paren(sql_parser *p, sql_node **out)
{
    const sql_token *open = sql_tok(p);
    sql_advance(p);
    const sql_token *first = sql_tok(p);
    sql_node *node;
    if (sql_is_kw(first, SQL_KW_SELECT) || sql_is_kw(first, SQL_KW_WITH)) {
        QV_TRY(sql_node_new(p, SQL_SUBQUERY, open, 1, &node));
        QV_TRY(sql_parse_query(p, &node->kids[0]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
        *out = node;
        return QV_OK;
    }
    sql_node *expr;
    QV_TRY(sql_parse_expr(p, &expr));
    if (sql_at_punct(p, SQL_P_COMMA)) {
        QV_TRY(sql_node_new(p, SQL_TUPLE, open, 0, &node));
        QV_TRY(sql_list_push(p, node, expr));
        while (sql_accept_punct(p, SQL_P_COMMA)) {
            QV_TRY(sql_parse_expr(p, &expr));
            QV_TRY(sql_list_push(p, node, expr));
        }
    } else {
        QV_TRY(sql_node_new(p, SQL_NESTED, open, 1, &node));
        node->kids[0] = expr;
    }
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = node;
    return QV_OK;
}

/* ---- function calls ---- */

static qv_status parse_function_arg(sql_parser *p, bool allow_alias, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    const sql_token *next = sql_peek(p, 1);
    if ((tok->type == SQL_TOK_WORD || tok->type == SQL_TOK_QIDENT) &&
        (sql_is_punct(next, SQL_P_RARROW) || sql_is_punct(next, SQL_P_ASSIGN))) {
        sql_node *arg;
        QV_TRY(sql_node_new(p, SQL_NAMED_ARG, tok, 2, &arg));
        arg->op = sql_is_punct(next, SQL_P_RARROW) ? '=' : ':';
        QV_TRY(sql_parse_ident(p, &arg->kids[0]));
        sql_advance(p);
        QV_TRY(sql_parse_expr(p, &arg->kids[1]));
        *out = arg;
        return QV_OK;
    }
    if (sql_is_punct(tok, SQL_P_STAR)) {
        QV_TRY(sql_node_new(p, SQL_STAR, tok, 5, out));
        sql_advance(p);
        return QV_OK;
    }
    QV_TRY(sql_parse_expr(p, out));
    if (sql_at_kw(p, SQL_KW_AS) && allow_alias) {
        /* struct(expr AS name, ...): named fields of a struct literal. */
        sql_node *alias;
        QV_TRY(sql_node_new(p, SQL_ALIAS, &(const sql_token){.pos = (*out)->pos}, 2, &alias));
        sql_advance(p);
        alias->kids[0] = *out;
        const sql_token *name = sql_tok(p);
        if (name->type == SQL_TOK_STRING && name->quote == SQL_LIT_STRING) {
            QV_TRY(sql_node_from_token(p, SQL_IDENT, name, &alias->kids[1]));
            alias->kids[1]->op = '\'';
            sql_advance(p);
        } else {
            QV_TRY(sql_parse_ident(p, &alias->kids[1]));
        }
        *out = alias;
    }
    return QV_OK;
}

static qv_status parse_null_treatment(sql_parser *p, sql_node *fn)
{
    if (sql_at_kw(p, SQL_KW_IGNORE) && sql_is_kw(sql_peek(p, 1), SQL_KW_NULLS)) {
        p->cur += 2;
        fn->flags |= SQL_F_IGNORE_NULLS;
    } else if (sql_at_kw(p, SQL_KW_RESPECT) && sql_is_kw(sql_peek(p, 1), SQL_KW_NULLS)) {
        p->cur += 2;
        fn->flags |= SQL_F_RESPECT_NULLS;
    }
    return QV_OK;
}

/* After "name(" [first_arg]: the rest of an ordinary call up to ')' and the
 * clauses after it (WITHIN GROUP, FILTER, OVER). */
static qv_status parse_call_rest(sql_parser *p, sql_node *fn, sql_node *first_arg)
{
    const sql_node *name = fn->kids[0];
    bool allow_alias =
        name->n_kids == 1 && name->kids[0]->op == 0 &&
        sql_keyword_lookup(name->kids[0]->text, name->kids[0]->text_len) == SQL_KW_STRUCT;
    sql_node *args;
    QV_TRY(sql_list_new(p, sql_tok(p), &args));
    fn->kids[1] = args;
    if (first_arg != NULL) {
        QV_TRY(sql_list_push(p, args, first_arg));
        while (sql_accept_punct(p, SQL_P_COMMA)) {
            sql_node *arg;
            QV_TRY(parse_function_arg(p, allow_alias, &arg));
            QV_TRY(sql_list_push(p, args, arg));
        }
    } else if (!sql_at_punct(p, SQL_P_RPAREN)) {
        if (sql_accept_kw(p, SQL_KW_DISTINCT))
            fn->flags |= SQL_F_DISTINCT;
        else if (sql_accept_kw(p, SQL_KW_ALL))
            fn->flags |= SQL_F_ALL;
        do {
            sql_node *arg;
            QV_TRY(parse_function_arg(p, allow_alias, &arg));
            QV_TRY(sql_list_push(p, args, arg));
        } while (sql_accept_punct(p, SQL_P_COMMA));
    }
    QV_TRY(parse_null_treatment(p, fn));
    if (sql_accept_kws(p, SQL_KW_ORDER, SQL_KW_BY))
        QV_TRY(sql_parse_order_by_list(p, &fn->kids[2]));
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    QV_TRY(parse_null_treatment(p, fn));
    if (sql_at_kw(p, SQL_KW_WITHIN) && sql_is_kw(sql_peek(p, 1), SQL_KW_GROUP)) {
        p->cur += 2;
        QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
        QV_TRY(sql_expect_kw(p, SQL_KW_ORDER));
        QV_TRY(sql_expect_kw(p, SQL_KW_BY));
        QV_TRY(sql_parse_order_by_list(p, &fn->kids[5]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    }
    if (sql_at_kw(p, SQL_KW_FILTER) && sql_is_punct(sql_peek(p, 1), SQL_P_LPAREN)) {
        p->cur += 2;
        QV_TRY(sql_expect_kw(p, SQL_KW_WHERE));
        QV_TRY(sql_parse_expr(p, &fn->kids[3]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    }
    if (sql_accept_kw(p, SQL_KW_OVER)) {
        if (sql_at_punct(p, SQL_P_LPAREN))
            QV_TRY(sql_parse_window_spec(p, &fn->kids[4]));
        else
            QV_TRY(sql_parse_ident(p, &fn->kids[4]));
    }
    return QV_OK;
}

static qv_status new_function(sql_parser *p, sql_node *name, sql_node **out)
{
    QV_TRY(sql_node_new(p, SQL_FUNCTION, &(const sql_token){.pos = name->pos}, 6, out));
    (*out)->kids[0] = name;
    return QV_OK;
}

static qv_status new_special(sql_parser *p, sql_node *name, int op, uint32_t n_kids, sql_node **out)
{
    QV_TRY(sql_node_new(p, SQL_SPECIAL_FUNC, &(const sql_token){.pos = name->pos}, n_kids, out));
    (*out)->op = op;
    return QV_OK;
}

/*
 * Functions with SQL-standard keyword syntax: EXTRACT(f FROM x),
 * POSITION(a IN b), SUBSTRING(x FROM a FOR b), TRIM([BOTH] c FROM x),
 * OVERLAY(x PLACING y FROM a FOR b), CEIL/FLOOR(x TO unit). When the
 * arguments turn out to be ordinary (comma-separated), the call continues as
 * an ordinary function with the first argument already parsed. "(" has been
 * consumed.
 */
static qv_status parse_special_call(sql_parser *p, sql_keyword kw, sql_node *name, sql_node **out)
{
    sql_node *node, *first;
    if (kw == SQL_KW_EXTRACT &&
        (sql_tok(p)->type == SQL_TOK_WORD || sql_tok(p)->type == SQL_TOK_STRING) &&
        sql_is_kw(sql_peek(p, 1), SQL_KW_FROM)) {
        QV_TRY(new_special(p, name, SQL_SPECIAL_EXTRACT, 2, &node));
        if (sql_tok(p)->type == SQL_TOK_STRING)
            QV_TRY(sql_parse_literal(p, &node->kids[0]));
        else
            QV_TRY(sql_parse_ident(p, &node->kids[0]));
        sql_advance(p); /* FROM */
        QV_TRY(sql_parse_expr(p, &node->kids[1]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
        *out = node;
        return QV_OK;
    }
    if (kw == SQL_KW_TRIM && (sql_at_kw(p, SQL_KW_BOTH) || sql_at_kw(p, SQL_KW_LEADING) ||
                              sql_at_kw(p, SQL_KW_TRAILING))) {
        QV_TRY(new_special(p, name, SQL_SPECIAL_TRIM, 3, &node));
        QV_TRY(sql_parse_ident(p, &node->kids[2]));
        if (!sql_accept_kw(p, SQL_KW_FROM)) {
            QV_TRY(sql_parse_expr(p, &node->kids[1]));
            if (sql_accept_kw(p, SQL_KW_FROM)) {
                QV_TRY(sql_parse_expr(p, &node->kids[0]));
            } else {
                /* TRIM(LEADING x): x is the string, not the characters. */
                node->kids[0] = node->kids[1];
                node->kids[1] = NULL;
            }
        } else {
            QV_TRY(sql_parse_expr(p, &node->kids[0]));
        }
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
        *out = node;
        return QV_OK;
    }
    if (sql_at_punct(p, SQL_P_RPAREN) || sql_at_kw(p, SQL_KW_DISTINCT) ||
        sql_at_kw(p, SQL_KW_ALL)) {
        QV_TRY(new_function(p, name, &node));
        QV_TRY(parse_call_rest(p, node, NULL));
        *out = node;
        return QV_OK;
    }
    if (kw == SQL_KW_POSITION) {
        /* POSITION's first argument stops before IN, which would otherwise
         * be read as an IN list; without IN the argument continues. */
        QV_TRY(parse_subexpr(p, PREC_BETWEEN, &first));
        if (!sql_at_kw(p, SQL_KW_IN))
            QV_TRY(parse_infix_loop(p, PREC_NONE, &first));
    } else {
        QV_TRY(parse_function_arg(p, false, &first));
    }
    if (kw == SQL_KW_POSITION && sql_accept_kw(p, SQL_KW_IN)) {
        QV_TRY(new_special(p, name, SQL_SPECIAL_POSITION, 2, &node));
        node->kids[0] = first;
        QV_TRY(sql_parse_expr(p, &node->kids[1]));
    } else if (kw == SQL_KW_SUBSTRING && (sql_at_kw(p, SQL_KW_FROM) || sql_at_kw(p, SQL_KW_FOR))) {
        QV_TRY(new_special(p, name, SQL_SPECIAL_SUBSTRING, 3, &node));
        node->kids[0] = first;
        if (sql_accept_kw(p, SQL_KW_FROM))
            QV_TRY(sql_parse_expr(p, &node->kids[1]));
        if (sql_accept_kw(p, SQL_KW_FOR))
            QV_TRY(sql_parse_expr(p, &node->kids[2]));
    } else if (kw == SQL_KW_TRIM && sql_accept_kw(p, SQL_KW_FROM)) {
        QV_TRY(new_special(p, name, SQL_SPECIAL_TRIM, 3, &node));
        node->kids[1] = first;
        QV_TRY(sql_parse_expr(p, &node->kids[0]));
    } else if (kw == SQL_KW_OVERLAY && sql_accept_kw(p, SQL_KW_PLACING)) {
        QV_TRY(new_special(p, name, SQL_SPECIAL_OVERLAY, 4, &node));
        node->kids[0] = first;
        QV_TRY(sql_parse_expr(p, &node->kids[1]));
        QV_TRY(sql_expect_kw(p, SQL_KW_FROM));
        QV_TRY(sql_parse_expr(p, &node->kids[2]));
        if (sql_accept_kw(p, SQL_KW_FOR))
            QV_TRY(sql_parse_expr(p, &node->kids[3]));
    } else if ((kw == SQL_KW_CEIL || kw == SQL_KW_FLOOR) && sql_accept_kw(p, SQL_KW_TO)) {
        QV_TRY(new_special(p, name, kw == SQL_KW_CEIL ? SQL_SPECIAL_CEIL : SQL_SPECIAL_FLOOR, 2,
                           &node));
        node->kids[0] = first;
        QV_TRY(sql_parse_ident(p, &node->kids[1]));
    } else {
        QV_TRY(new_function(p, name, &node));
        QV_TRY(parse_call_rest(p, node, first));
        *out = node;
        return QV_OK;
    }
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = node;
    return QV_OK;
}

/* ---- identifiers, names, wildcards, calls ---- */

/* Keywords that never start an expression as a column name, so that errors
 * point at them ("expected an expression but found 'FROM'"). */
static bool keyword_starts_no_expr(const sql_token *tok)
{
    switch (tok->kw) {
    case SQL_KW_FROM:
    case SQL_KW_WHERE:
    case SQL_KW_GROUP:
    case SQL_KW_HAVING:
    case SQL_KW_ORDER:
    case SQL_KW_LIMIT:
    case SQL_KW_OFFSET:
    case SQL_KW_UNION:
    case SQL_KW_INTERSECT:
    case SQL_KW_EXCEPT:
    case SQL_KW_SELECT:
    case SQL_KW_THEN:
    case SQL_KW_ELSE:
    case SQL_KW_END:
    case SQL_KW_WHEN:
    case SQL_KW_ON:
    case SQL_KW_JOIN:
    case SQL_KW_AS:
    case SQL_KW_AND:
    case SQL_KW_OR:
    case SQL_KW_IS:
    case SQL_KW_IN:
    case SQL_KW_BETWEEN:
    case SQL_KW_LIKE:
    case SQL_KW_ILIKE:
    case SQL_KW_WINDOW:
    case SQL_KW_QUALIFY:
        return true;
    default:
        return false;
    }
}

/* name, a.b.c, t.*, f(...), a.b.f(...) */
static qv_status parse_name_expr(sql_parser *p, sql_node **out)
{
    const sql_token *first = sql_tok(p);
    sql_node *name;
    QV_TRY(sql_node_new(p, SQL_NAME, first, 0, &name));
    for (;;) {
        sql_node *part;
        QV_TRY(sql_parse_ident(p, &part));
        QV_TRY(sql_list_push(p, name, part));
        if (!sql_at_punct(p, SQL_P_PERIOD))
            break;
        const sql_token *next = sql_peek(p, 1);
        if (sql_is_punct(next, SQL_P_STAR)) {
            p->cur += 2;
            sql_node *star;
            QV_TRY(sql_node_new(p, SQL_STAR, first, 5, &star));
            star->kids[0] = name;
            *out = star;
            return QV_OK;
        }
        if (next->type != SQL_TOK_WORD && next->type != SQL_TOK_QIDENT)
            break;
        sql_advance(p);
    }
    if (!sql_at_punct(p, SQL_P_LPAREN)) {
        *out = name;
        return QV_OK;
    }
    sql_advance(p); /* ( */
    sql_keyword kw = name->n_kids == 1 && first->type == SQL_TOK_WORD ? first->kw : SQL_KW_NONE;
    if (kw == SQL_KW_EXTRACT || kw == SQL_KW_POSITION || kw == SQL_KW_SUBSTRING ||
        kw == SQL_KW_TRIM || kw == SQL_KW_OVERLAY || kw == SQL_KW_CEIL || kw == SQL_KW_FLOOR)
        return parse_special_call(p, kw, name, out);
    sql_node *fn;
    QV_TRY(new_function(p, name, &fn));
    QV_TRY(parse_call_rest(p, fn, NULL));
    *out = fn;
    return QV_OK;
}

/* DATE '2020-01-01', TIMESTAMP WITH TIME ZONE '...': tried when a word names
 * a built-in type; rewinds and reports false when no string follows. */
static qv_status try_typed_literal(sql_parser *p, sql_node **out, bool *matched)
{
    *matched = false;
    size_t saved = p->cur;
    uint32_t saved_depth = p->depth;
    sql_node *type;
    const sql_token *start = sql_tok(p);
    qv_status status = sql_parse_type(p, &type);
    if (status == QV_NOMEM || status == QV_LIMIT)
        return status;
    const sql_token *tok = sql_tok(p);
    if (status != QV_OK || tok->type != SQL_TOK_STRING ||
        (tok->quote != SQL_LIT_STRING && tok->quote != SQL_LIT_ESTRING)) {
        p->cur = saved;
        p->depth = saved_depth;
        qv_error_clear(p->err);
        return QV_OK;
    }
    sql_node *node;
    QV_TRY(sql_node_new(p, SQL_TYPED_LITERAL, start, 1, &node));
    node->kids[0] = type;
    node->op = tok->quote;
    QV_TRY(sql_node_set_text(p, node, tok->value, tok->value_len));
    sql_advance(p);
    *out = node;
    *matched = true;
    return QV_OK;
}

static bool is_niladic_function(sql_keyword kw)
{
    return kw == SQL_KW_CURRENT_DATE || kw == SQL_KW_CURRENT_TIME ||
           kw == SQL_KW_CURRENT_TIMESTAMP || kw == SQL_KW_LOCALTIME ||
           kw == SQL_KW_LOCALTIMESTAMP || kw == SQL_KW_CURRENT_USER || kw == SQL_KW_SESSION_USER;
}

static qv_status parse_word(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    const sql_token *next = sql_peek(p, 1);
    switch (tok->kw) {
    case SQL_KW_TRUE:
    case SQL_KW_FALSE:
    case SQL_KW_NULL:
        return sql_parse_literal(p, out);
    case SQL_KW_CASE:
        return parse_case(p, out);
    case SQL_KW_CAST:
        if (sql_is_punct(next, SQL_P_LPAREN))
            return parse_cast(p, SQL_CAST_CAST, out);
        break;
    case SQL_KW_TRY_CAST:
        if (sql_is_punct(next, SQL_P_LPAREN))
            return parse_cast(p, SQL_CAST_TRY_CAST, out);
        break;
    case SQL_KW_SAFE_CAST:
        if (sql_is_punct(next, SQL_P_LPAREN))
            return parse_cast(p, SQL_CAST_SAFE_CAST, out);
        break;
    case SQL_KW_EXISTS:
        if (sql_is_punct(next, SQL_P_LPAREN))
            return parse_exists(p, false, out);
        break;
    case SQL_KW_NOT:
        if (sql_is_kw(next, SQL_KW_EXISTS) && sql_is_punct(sql_peek(p, 2), SQL_P_LPAREN)) {
            sql_advance(p);
            return parse_exists(p, true, out);
        }
        return new_unary(p, tok, SQL_OP_NOT, PREC_NOT, out);
    case SQL_KW_INTERVAL:
        return parse_interval(p, out);
    case SQL_KW_ARRAY:
        if (sql_is_punct(next, SQL_P_LBRACKET))
            return parse_array(p, true, out);
        if (sql_is_punct(next, SQL_P_LPAREN) &&
            (sql_is_kw(sql_peek(p, 2), SQL_KW_SELECT) || sql_is_kw(sql_peek(p, 2), SQL_KW_WITH))) {
            sql_node *node;
            QV_TRY(sql_node_new(p, SQL_ARRAY_SUBQUERY, tok, 1, &node));
            p->cur += 2;
            QV_TRY(sql_parse_query(p, &node->kids[0]));
            QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
            *out = node;
            return QV_OK;
        }
        break;
    case SQL_KW_MAP:
        if (sql_is_punct(next, SQL_P_LBRACE))
            return parse_dict(p, true, out);
        break;
    default:
        if (is_niladic_function(tok->kw) && !sql_is_punct(next, SQL_P_LPAREN)) {
            sql_node *name, *fn, *part;
            QV_TRY(sql_node_new(p, SQL_NAME, tok, 0, &name));
            QV_TRY(sql_parse_ident(p, &part));
            QV_TRY(sql_list_push(p, name, part));
            QV_TRY(new_function(p, name, &fn));
            fn->flags |= SQL_F_NO_PARENS;
            *out = fn;
            return QV_OK;
        }
        if (keyword_starts_no_expr(tok))
            return sql_error_expected(p, "an expression");
        break;
    }
    if (sql_token_is_type_name(tok) && !sql_is_punct(next, SQL_P_LPAREN) &&
        !sql_is_punct(next, SQL_P_PERIOD)) {
        bool matched;
        QV_TRY(try_typed_literal(p, out, &matched));
        if (matched)
            return QV_OK;
    }
    return parse_name_expr(p, out);
}

static qv_status parse_prefix(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    switch (tok->type) {
    case SQL_TOK_NUMBER:
    case SQL_TOK_STRING:
        return sql_parse_literal(p, out);
    case SQL_TOK_PLACEHOLDER:
        QV_TRY(sql_node_from_token(p, SQL_PLACEHOLDER, tok, out));
        sql_advance(p);
        return QV_OK;
    case SQL_TOK_QIDENT:
        return parse_name_expr(p, out);
    case SQL_TOK_WORD:
        return parse_word(p, out);
    case SQL_TOK_PUNCT:
        switch (tok->punct) {
        case SQL_P_LPAREN:
            return parse_paren(p, out);
        case SQL_P_LBRACKET:
            return parse_array(p, false, out);
        case SQL_P_LBRACE:
            return parse_dict(p, false, out);
        case SQL_P_MINUS:
            return new_unary(p, tok, SQL_OP_NEG, PREC_MUL_DIV, out);
        case SQL_P_PLUS:
            return new_unary(p, tok, SQL_OP_PLUS_PREFIX, PREC_MUL_DIV, out);
        case SQL_P_TILDE:
            return new_unary(p, tok, SQL_OP_BIT_NOT, PREC_MUL_DIV, out);
        case SQL_P_QUESTION:
            QV_TRY(sql_node_from_token(p, SQL_PLACEHOLDER, tok, out));
            sql_advance(p);
            return QV_OK;
        case SQL_P_STAR:
            QV_TRY(sql_node_new(p, SQL_STAR, tok, 5, out));
            sql_advance(p);
            return QV_OK;
        default:
            break;
        }
        break;
    default:
        break;
    }
    return sql_error_expected(p, "an expression");
}

/* ---- infix and postfix ---- */

static qv_status new_binary(sql_parser *p, sql_kind kind, sql_node *left, uint32_t n_kids,
                            sql_node **out)
{
    QV_TRY(sql_node_new(p, kind, &(const sql_token){.pos = left->pos}, n_kids, out));
    (*out)->kids[0] = left;
    return QV_OK;
}

static qv_status parse_is(sql_parser *p, sql_node *left, sql_node **out)
{
    sql_node *node;
    QV_TRY(new_binary(p, SQL_IS, left, 2, &node));
    sql_advance(p); /* IS */
    size_t word_after_is = p->cur;
    if (sql_accept_kw(p, SQL_KW_NOT))
        node->flags |= SQL_F_NOT;
    if (sql_accept_kw(p, SQL_KW_NULL)) {
        node->op = SQL_IS_NULL;
    } else if (sql_accept_kw(p, SQL_KW_TRUE)) {
        node->op = SQL_IS_TRUE;
    } else if (sql_accept_kw(p, SQL_KW_FALSE)) {
        node->op = SQL_IS_FALSE;
    } else if (sql_accept_kw(p, SQL_KW_UNKNOWN)) {
        node->op = SQL_IS_UNKNOWN;
    } else if (sql_accept_kws(p, SQL_KW_DISTINCT, SQL_KW_FROM)) {
        node->op = SQL_IS_DISTINCT_FROM;
        QV_TRY(parse_subexpr(p, PREC_IS, &node->kids[1]));
    } else {
        static const sql_keyword after_is[] = {SQL_KW_NULL, SQL_KW_TRUE, SQL_KW_FALSE,
                                               SQL_KW_UNKNOWN, SQL_KW_DISTINCT};
        p->cur = word_after_is; /* sqlparser-rs points at the word after IS */
        return sql_error_expected_kw(
            p, "[NOT] NULL | TRUE | FALSE | DISTINCT | [form] NORMALIZED FROM after IS", after_is,
            5);
    }
    *out = node;
    return QV_OK;
}

static qv_status parse_in(sql_parser *p, sql_node *left, bool negated, sql_node **out)
{
    QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
    sql_node *node;
    if (sql_at_query_start(p) && !sql_at_punct(p, SQL_P_LPAREN)) {
        QV_TRY(new_binary(p, SQL_IN_SUBQUERY, left, 2, &node));
        QV_TRY(sql_parse_query(p, &node->kids[1]));
    } else {
        QV_TRY(new_binary(p, SQL_IN_LIST, left, 2, &node));
        if (sql_at_punct(p, SQL_P_RPAREN))
            QV_TRY(sql_list_new(p, sql_tok(p), &node->kids[1]));
        else
            QV_TRY(sql_parse_expr_list(p, &node->kids[1]));
    }
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    node->flags = negated ? SQL_F_NOT : 0;
    *out = node;
    return QV_OK;
}

static qv_status parse_negatable(sql_parser *p, sql_node *left, sql_node **out)
{
    bool negated = sql_accept_kw(p, SQL_KW_NOT);
    sql_node *node;
    if (sql_accept_kw(p, SQL_KW_IN))
        return parse_in(p, left, negated, out);
    if (sql_accept_kw(p, SQL_KW_BETWEEN)) {
        QV_TRY(new_binary(p, SQL_BETWEEN, left, 3, &node));
        node->flags = negated ? SQL_F_NOT : 0;
        if (sql_accept_kw(p, SQL_KW_SYMMETRIC))
            node->flags |= SQL_F_SYMMETRIC;
        QV_TRY(parse_subexpr(p, PREC_BETWEEN, &node->kids[1]));
        QV_TRY(sql_expect_kw(p, SQL_KW_AND));
        QV_TRY(parse_subexpr(p, PREC_BETWEEN, &node->kids[2]));
        *out = node;
        return QV_OK;
    }
    int like;
    if (sql_accept_kw(p, SQL_KW_LIKE)) {
        like = SQL_LIKE_LIKE;
    } else if (sql_accept_kw(p, SQL_KW_ILIKE)) {
        like = SQL_LIKE_ILIKE;
    } else if (sql_accept_kws(p, SQL_KW_SIMILAR, SQL_KW_TO)) {
        like = SQL_LIKE_SIMILAR;
    } else {
        static const sql_keyword after_not[] = {SQL_KW_IN, SQL_KW_BETWEEN, SQL_KW_LIKE,
                                                SQL_KW_ILIKE, SQL_KW_SIMILAR};
        return sql_error_expected_kw(p, "IN or BETWEEN after NOT", after_not, 5);
    }
    QV_TRY(new_binary(p, SQL_LIKE, left, 3, &node));
    node->op = like;
    node->flags = negated ? SQL_F_NOT : 0;
    QV_TRY(parse_subexpr(p, PREC_LIKE, &node->kids[1]));
    if (sql_accept_kw(p, SQL_KW_ESCAPE))
        QV_TRY(parse_subexpr(p, PREC_LIKE, &node->kids[2]));
    *out = node;
    return QV_OK;
}

/* a[i], a[lo:hi], a[lo:hi:stride], a[:hi], a[lo:] */
static qv_status parse_subscript(sql_parser *p, sql_node *left, sql_node **out)
{
    sql_advance(p); /* [ */
    sql_node *index = NULL;
    if (!sql_at_punct(p, SQL_P_COLON))
        QV_TRY(sql_parse_expr(p, &index));
    sql_node *node;
    if (!sql_accept_punct(p, SQL_P_COLON)) {
        QV_TRY(new_binary(p, SQL_INDEX, left, 2, &node));
        node->kids[1] = index;
        QV_TRY(sql_expect_punct(p, SQL_P_RBRACKET));
        *out = node;
        return QV_OK;
    }
    QV_TRY(new_binary(p, SQL_SLICE, left, 4, &node));
    node->kids[1] = index;
    if (!sql_at_punct(p, SQL_P_RBRACKET) && !sql_at_punct(p, SQL_P_COLON))
        QV_TRY(sql_parse_expr(p, &node->kids[2]));
    if (sql_accept_punct(p, SQL_P_COLON) && !sql_at_punct(p, SQL_P_RBRACKET))
        QV_TRY(sql_parse_expr(p, &node->kids[3]));
    QV_TRY(sql_expect_punct(p, SQL_P_RBRACKET));
    *out = node;
    return QV_OK;
}

static qv_status parse_infix(sql_parser *p, sql_node *left, int prec, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    sql_node *node;
    if (tok->type == SQL_TOK_WORD) {
        switch (tok->kw) {
        case SQL_KW_OR:
        case SQL_KW_AND:
        case SQL_KW_XOR:
            QV_TRY(new_binary(p, SQL_BINARY, left, 2, &node));
            node->op = tok->kw == SQL_KW_OR    ? SQL_OP_OR
                       : tok->kw == SQL_KW_AND ? SQL_OP_AND
                                               : SQL_OP_XOR;
            sql_advance(p);
            QV_TRY(parse_subexpr(p, prec, &node->kids[1]));
            *out = node;
            return QV_OK;
        case SQL_KW_IS:
            return parse_is(p, left, out);
        case SQL_KW_AT:
            QV_TRY(new_binary(p, SQL_AT_TIME_ZONE, left, 2, &node));
            p->cur += 3;
            QV_TRY(parse_subexpr(p, PREC_AT_TZ, &node->kids[1]));
            *out = node;
            return QV_OK;
        case SQL_KW_COLLATE:
            QV_TRY(new_binary(p, SQL_COLLATE, left, 2, &node));
            sql_advance(p);
            QV_TRY(sql_parse_object_name(p, &node->kids[1]));
            *out = node;
            return QV_OK;
        default:
            return parse_negatable(p, left, out);
        }
    }
    if (sql_is_punct(tok, SQL_P_DOUBLE_COLON)) {
        QV_TRY(new_binary(p, SQL_CAST, left, 2, &node));
        node->op = SQL_CAST_COLON;
        sql_advance(p);
        QV_TRY(sql_parse_type(p, &node->kids[1]));
        *out = node;
        return QV_OK;
    }
    if (sql_is_punct(tok, SQL_P_LBRACKET))
        return parse_subscript(p, left, out);
    if (sql_is_punct(tok, SQL_P_PERIOD)) {
        QV_TRY(new_binary(p, SQL_FIELD, left, 2, &node));
        sql_advance(p);
        QV_TRY(sql_parse_ident(p, &node->kids[1]));
        *out = node;
        return QV_OK;
    }
    const punct_op *op = find_punct_op(tok);
    QV_ASSERT(op != NULL);
    sql_advance(p);
    const sql_token *quant = sql_tok(p);
    if (is_comparison(op->op) &&
        (sql_is_kw(quant, SQL_KW_ANY) || sql_is_kw(quant, SQL_KW_ALL) ||
         sql_is_kw(quant, SQL_KW_SOME)) &&
        sql_is_punct(sql_peek(p, 1), SQL_P_LPAREN)) {
        QV_TRY(new_binary(p, SQL_QUANTIFIED, left, 2, &node));
        node->op = op->op;
        node->flags = sql_is_kw(quant, SQL_KW_ALL)    ? SQL_F_ALL
                      : sql_is_kw(quant, SQL_KW_SOME) ? SQL_F_SOME
                                                      : 0;
        p->cur += 2;
        if (sql_is_kw(sql_tok(p), SQL_KW_SELECT) || sql_is_kw(sql_tok(p), SQL_KW_WITH)) {
            QV_TRY(sql_node_new(p, SQL_SUBQUERY, sql_tok(p), 1, &node->kids[1]));
            QV_TRY(sql_parse_query(p, &node->kids[1]->kids[0]));
        } else {
            QV_TRY(sql_parse_expr(p, &node->kids[1]));
        }
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
        *out = node;
        return QV_OK;
    }
    QV_TRY(new_binary(p, SQL_BINARY, left, 2, &node));
    node->op = op->op;
    QV_TRY(parse_subexpr(p, op->prec, &node->kids[1]));
    *out = node;
    return QV_OK;
}

static qv_status parse_infix_loop(sql_parser *p, int prec, sql_node **inout)
{
    uint32_t wraps = 0;
    for (;;) {
        int next = next_precedence(p);
        if (next <= prec)
            break;
        /* Each operator wraps the tree built so far one level deeper. */
        QV_TRY(sql_enter(p));
        wraps++;
        QV_TRY(parse_infix(p, *inout, next, inout));
    }
    p->depth -= wraps;
    return QV_OK;
}

static qv_status parse_subexpr(sql_parser *p, int prec, sql_node **out)
{
    QV_TRY(sql_enter(p));
    QV_TRY(parse_prefix(p, out));
    QV_TRY(parse_infix_loop(p, prec, out));
    sql_leave(p);
    return QV_OK;
}

/* ---- ORDER BY items and window specifications ---- */

qv_status sql_parse_order_by_list(sql_parser *p, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    do {
        sql_node *item;
        QV_TRY(sql_node_new(p, SQL_ORDER_ITEM, sql_tok(p), 1, &item));
        QV_TRY(sql_parse_expr(p, &item->kids[0]));
        if (sql_accept_kw(p, SQL_KW_ASC))
            item->op = SQL_ORDER_ASC;
        else if (sql_accept_kw(p, SQL_KW_DESC))
            item->op = SQL_ORDER_DESC;
        /* NULLS without FIRST / LAST is left for the caller, as in sqlparser-rs. */
        if (sql_accept_kws(p, SQL_KW_NULLS, SQL_KW_FIRST))
            item->flags |= SQL_F_NULLS_FIRST;
        else if (sql_accept_kws(p, SQL_KW_NULLS, SQL_KW_LAST))
            item->flags |= SQL_F_NULLS_LAST;
        QV_TRY(sql_list_push(p, list, item));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    *out = list;
    return QV_OK;
}

static qv_status parse_frame_bound(sql_parser *p, sql_node **out)
{
    sql_node *bound;
    QV_TRY(sql_node_new(p, SQL_FRAME_BOUND, sql_tok(p), 1, &bound));
    if (sql_accept_kws(p, SQL_KW_CURRENT, SQL_KW_ROW)) {
        bound->op = SQL_BOUND_CURRENT_ROW;
    } else if (sql_accept_kw(p, SQL_KW_UNBOUNDED)) {
        if (sql_accept_kw(p, SQL_KW_PRECEDING))
            bound->op = SQL_BOUND_UNBOUNDED_PRECEDING;
        else if (sql_accept_kw(p, SQL_KW_FOLLOWING))
            bound->op = SQL_BOUND_UNBOUNDED_FOLLOWING;
        else
            return sql_error_expected(p, "PRECEDING or FOLLOWING");
    } else {
        if (sql_tok(p)->type == SQL_TOK_STRING) {
            /* RANGE BETWEEN '1' DAY PRECEDING: a string is an interval. */
            sql_node *interval;
            QV_TRY(sql_node_new(p, SQL_INTERVAL, sql_tok(p), 3, &interval));
            interval->op = 1;
            QV_TRY(sql_parse_literal(p, &interval->kids[0]));
            if (is_datetime_field(p, sql_tok(p)))
                QV_TRY(sql_parse_ident(p, &interval->kids[1]));
            bound->kids[0] = interval;
        } else {
            QV_TRY(sql_parse_expr(p, &bound->kids[0]));
        }
        if (sql_accept_kw(p, SQL_KW_PRECEDING))
            bound->op = SQL_BOUND_PRECEDING;
        else if (sql_accept_kw(p, SQL_KW_FOLLOWING))
            bound->op = SQL_BOUND_FOLLOWING;
        else
            return sql_error_expected(p, "PRECEDING or FOLLOWING");
    }
    *out = bound;
    return QV_OK;
}

static qv_status parse_frame(sql_parser *p, sql_node **out)
{
    sql_node *frame;
    QV_TRY(sql_node_new(p, SQL_WINDOW_FRAME, sql_tok(p), 2, &frame));
    frame->op = sql_at_kw(p, SQL_KW_ROWS)    ? SQL_FRAME_ROWS
                : sql_at_kw(p, SQL_KW_RANGE) ? SQL_FRAME_RANGE
                                             : SQL_FRAME_GROUPS;
    sql_advance(p);
    if (sql_accept_kw(p, SQL_KW_BETWEEN)) {
        QV_TRY(parse_frame_bound(p, &frame->kids[0]));
        QV_TRY(sql_expect_kw(p, SQL_KW_AND));
        QV_TRY(parse_frame_bound(p, &frame->kids[1]));
    } else {
        QV_TRY(parse_frame_bound(p, &frame->kids[0]));
    }
    if (sql_accept_kw(p, SQL_KW_EXCLUDE)) {
        if (sql_accept_kws(p, SQL_KW_CURRENT, SQL_KW_ROW))
            frame->flags |= SQL_F_EXCLUDE_CURRENT_ROW;
        else if (sql_accept_kw(p, SQL_KW_GROUP))
            frame->flags |= SQL_F_EXCLUDE_GROUP;
        else if (sql_accept_kw(p, SQL_KW_TIES))
            frame->flags |= SQL_F_EXCLUDE_TIES;
        else if (sql_accept_kws(p, SQL_KW_NO, SQL_KW_OTHERS))
            frame->flags |= SQL_F_EXCLUDE_NO_OTHERS;
        else
            return sql_error_expected(p, "CURRENT ROW, GROUP, TIES or NO OTHERS");
    }
    *out = frame;
    return QV_OK;
}

qv_status sql_parse_window_spec(sql_parser *p, sql_node **out)
{
    sql_node *spec;
    QV_TRY(sql_node_new(p, SQL_WINDOW_SPEC, sql_tok(p), 4, &spec));
    QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
    const sql_token *tok = sql_tok(p);
    if ((tok->type == SQL_TOK_WORD || tok->type == SQL_TOK_QIDENT) &&
        !sql_is_kw(tok, SQL_KW_PARTITION) && !sql_is_kw(tok, SQL_KW_ORDER) &&
        !sql_is_kw(tok, SQL_KW_ROWS) && !sql_is_kw(tok, SQL_KW_RANGE) &&
        !sql_is_kw(tok, SQL_KW_GROUPS))
        QV_TRY(sql_parse_ident(p, &spec->kids[0]));
    if (sql_accept_kws(p, SQL_KW_PARTITION, SQL_KW_BY))
        QV_TRY(sql_parse_expr_list(p, &spec->kids[1]));
    if (sql_accept_kws(p, SQL_KW_ORDER, SQL_KW_BY))
        QV_TRY(sql_parse_order_by_list(p, &spec->kids[2]));
    if (sql_at_kw(p, SQL_KW_ROWS) || sql_at_kw(p, SQL_KW_RANGE) || sql_at_kw(p, SQL_KW_GROUPS))
        QV_TRY(parse_frame(p, &spec->kids[3]));
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = spec;
    return QV_OK;
}
