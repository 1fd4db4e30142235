/*
 * parse_query.c — queries (layer: sql): WITH, SELECT, VALUES, set operations,
 * ORDER BY / LIMIT / OFFSET / FETCH, FROM items and joins, GROUP BY forms,
 * WINDOW, QUALIFY, and DataFusion's pipe operators (|> WHERE ...).
 */
#include <string.h>

#include "sql_int.h"

static qv_status parse_set_expr(sql_parser *p, int prec, sql_node **out);
static qv_status parse_table_ref(sql_parser *p, sql_node **out);
static qv_status parse_values(sql_parser *p, sql_node **out);
static int set_op_precedence(const sql_token *tok);

bool sql_at_query_start(const sql_parser *p)
{
    const sql_token *tok = sql_tok(p);
    return sql_is_kw(tok, SQL_KW_SELECT) || sql_is_kw(tok, SQL_KW_WITH) ||
           sql_is_kw(tok, SQL_KW_VALUES) || sql_is_punct(tok, SQL_P_LPAREN);
}

/* ---- projection ---- */

/* * [EXCLUDE ...] [EXCEPT (...)] [REPLACE (...)] [RENAME ...] */
static qv_status parse_wildcard_options(sql_parser *p, sql_node *star)
{
    if (sql_accept_kw(p, SQL_KW_EXCLUDE)) {
        if (sql_at_punct(p, SQL_P_LPAREN)) {
            star->flags |= SQL_F_PARENS;
            QV_TRY(sql_parse_paren_ident_list(p, &star->kids[1]));
        } else {
            sql_node *ident;
            QV_TRY(sql_list_new(p, sql_tok(p), &star->kids[1]));
            QV_TRY(sql_parse_ident(p, &ident));
            QV_TRY(sql_list_push(p, star->kids[1], ident));
        }
    }
    if (sql_at_kw(p, SQL_KW_EXCEPT) && sql_is_punct(sql_peek(p, 1), SQL_P_LPAREN)) {
        sql_advance(p);
        QV_TRY(sql_parse_paren_ident_list(p, &star->kids[2]));
    }
    for (int slot = 3; slot <= 4; slot++) {
        sql_keyword kw = slot == 3 ? SQL_KW_REPLACE : SQL_KW_RENAME;
        if (!sql_accept_kw(p, kw))
            continue;
        bool parens = sql_accept_punct(p, SQL_P_LPAREN);
        QV_TRY(sql_list_new(p, sql_tok(p), &star->kids[slot]));
        do {
            sql_node *alias;
            QV_TRY(sql_node_new(p, SQL_ALIAS, sql_tok(p), 2, &alias));
            if (slot == 3) {
                QV_TRY(sql_parse_expr(p, &alias->kids[0]));
            } else {
                QV_TRY(sql_parse_object_name(p, &alias->kids[0]));
            }
            QV_TRY(sql_expect_kw(p, SQL_KW_AS));
            QV_TRY(sql_parse_ident(p, &alias->kids[1]));
            QV_TRY(sql_list_push(p, star->kids[slot], alias));
        } while (parens && sql_accept_punct(p, SQL_P_COMMA));
        if (parens)
            QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    }
    return QV_OK;
}

/* [AS] alias after a projection item; *out stays NULL when there is none. */
static qv_status parse_column_alias(sql_parser *p, sql_node **out)
{
    *out = NULL;
    const sql_token *tok = sql_tok(p);
    if (sql_accept_kw(p, SQL_KW_AS)) {
        tok = sql_tok(p);
        if (tok->type == SQL_TOK_STRING && tok->quote == SQL_LIT_STRING) {
            QV_TRY(sql_node_from_token(p, SQL_IDENT, tok, out));
            (*out)->op = '\'';
            sql_advance(p);
            return QV_OK;
        }
        return sql_parse_ident(p, out);
    }
    if ((tok->type == SQL_TOK_WORD || tok->type == SQL_TOK_QIDENT) &&
        sql_word_can_be_column_alias(tok))
        return sql_parse_ident(p, out);
    return QV_OK;
}

qv_status sql_parse_select_items(sql_parser *p, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    do {
        const sql_token *tok = sql_tok(p);
        /* A trailing comma before FROM (or the end of the projection), as
         * DataFusion's parser allows. */
        if (list->n_kids > 0 &&
            (sql_is_kw(tok, SQL_KW_FROM) || tok->type == SQL_TOK_EOF ||
             sql_is_punct(tok, SQL_P_RPAREN) || sql_is_punct(tok, SQL_P_SEMICOLON)))
            break;
        sql_node *item, *alias;
        QV_TRY(sql_parse_expr(p, &item));
        if (item->kind == SQL_STAR) {
            QV_TRY(parse_wildcard_options(p, item));
        } else {
            QV_TRY(parse_column_alias(p, &alias));
            if (alias != NULL) {
                sql_node *aliased;
                QV_TRY(
                    sql_node_new(p, SQL_ALIAS, &(const sql_token){.pos = item->pos}, 2, &aliased));
                aliased->kids[0] = item;
                aliased->kids[1] = alias;
                item = aliased;
            }
        }
        QV_TRY(sql_list_push(p, list, item));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    *out = list;
    return QV_OK;
}

/* ---- FROM ---- */

qv_status sql_parse_table_alias(sql_parser *p, sql_node **out)
{
    *out = NULL;
    const sql_token *tok = sql_tok(p);
    bool has_as = sql_accept_kw(p, SQL_KW_AS);
    if (!has_as && !((tok->type == SQL_TOK_WORD || tok->type == SQL_TOK_QIDENT) &&
                     sql_word_can_be_table_alias(tok)))
        return QV_OK;
    sql_node *alias;
    QV_TRY(sql_node_new(p, SQL_TABLE_ALIAS, sql_tok(p), 2, &alias));
    QV_TRY(sql_parse_ident(p, &alias->kids[0]));
    if (sql_at_punct(p, SQL_P_LPAREN))
        QV_TRY(sql_parse_paren_ident_list(p, &alias->kids[1]));
    *out = alias;
    return QV_OK;
}

static qv_status parse_table_function_args(sql_parser *p, const sql_node *name, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    sql_advance(p); /* ( */
    /* unnest() needs an argument (sqlparser-rs parses UNNEST specially). */
    const sql_node *last = name->kids[name->n_kids - 1];
    bool needs_args = name->n_kids == 1 && last->op == 0 && last->text_len == 6 &&
                      sql_keyword_distance(last->text, 6, "UNNEST") == 0;
    if (needs_args || !sql_at_punct(p, SQL_P_RPAREN)) {
        do {
            sql_node *arg;
            const sql_token *tok = sql_tok(p);
            if ((tok->type == SQL_TOK_WORD || tok->type == SQL_TOK_QIDENT) &&
                sql_is_punct(sql_peek(p, 1), SQL_P_RARROW)) {
                QV_TRY(sql_node_new(p, SQL_NAMED_ARG, tok, 2, &arg));
                arg->op = '=';
                QV_TRY(sql_parse_ident(p, &arg->kids[0]));
                sql_advance(p);
                QV_TRY(sql_parse_expr(p, &arg->kids[1]));
            } else {
                QV_TRY(sql_parse_expr(p, &arg));
            }
            QV_TRY(sql_list_push(p, list, arg));
        } while (sql_accept_punct(p, SQL_P_COMMA));
    }
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = list;
    return QV_OK;
}

/* The index of the ')' matching the '(' at token index open (the EOF token
 * when unbalanced). */
static size_t matching_paren(const sql_parser *p, size_t open)
{
    size_t depth = 0;
    for (size_t i = open; i + 1 < p->n_toks; i++) {
        if (sql_is_punct(&p->toks[i], SQL_P_LPAREN))
            depth++;
        else if (sql_is_punct(&p->toks[i], SQL_P_RPAREN) && --depth == 0)
            return i;
    }
    return p->n_toks - 1;
}

/* True when the '(' at token index open starts a query (a derived table)
 * rather than a nested join. Decided by looking ahead instead of parsing
 * twice, because backtracking is exponential in the nesting:
 *   (SELECT ...          a query
 *   ((SELECT 1) UNION    a query (so is anything a query may continue with)
 *   ((x)) / (((SELECT    the inner parentheses decide
 *   ((SELECT 1) a JOIN   a nested join */
static bool parens_open_query(const sql_parser *p, size_t open)
{
    for (;;) {
        const sql_token *first = &p->toks[open + 1];
        if (sql_is_kw(first, SQL_KW_SELECT) || sql_is_kw(first, SQL_KW_WITH) ||
            sql_is_kw(first, SQL_KW_VALUES))
            return true;
        if (!sql_is_punct(first, SQL_P_LPAREN))
            return false;
        size_t close = matching_paren(p, open + 1);
        if (close + 1 >= p->n_toks)
            return false;
        const sql_token *after = &p->toks[close + 1];
        if (set_op_precedence(after) > 0 || sql_is_kw(after, SQL_KW_ORDER) ||
            sql_is_kw(after, SQL_KW_LIMIT) || sql_is_kw(after, SQL_KW_OFFSET) ||
            sql_is_kw(after, SQL_KW_FETCH) || sql_is_punct(after, SQL_P_PIPE_GT))
            return true;
        if (!sql_is_punct(after, SQL_P_RPAREN))
            return false;
        open++;
    }
}

static qv_status parse_table_factor(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    bool lateral = sql_accept_kw(p, SQL_KW_LATERAL);
    sql_node *node;
    if (sql_at_punct(p, SQL_P_LPAREN)) {
        const sql_token *open = sql_tok(p);
        if (parens_open_query(p, p->cur)) {
            QV_TRY(sql_node_new(p, SQL_DERIVED, open, 2, &node));
            sql_advance(p);
            QV_TRY(sql_parse_query(p, &node->kids[0]));
            QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
            node->flags |= lateral ? SQL_F_LATERAL : 0;
            QV_TRY(sql_parse_table_alias(p, &node->kids[1]));
            *out = node;
            return QV_OK;
        }
        if (lateral)
            return sql_error_expected(p, "SELECT, VALUES, or a subquery in the query body");
        QV_TRY(sql_node_new(p, SQL_NESTED_JOIN, open, 2, &node));
        sql_advance(p);
        QV_TRY(sql_enter(p));
        QV_TRY(parse_table_ref(p, &node->kids[0]));
        sql_leave(p);
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
        QV_TRY(sql_parse_table_alias(p, &node->kids[1]));
        *out = node;
        return QV_OK;
    }
    if (sql_at_kw(p, SQL_KW_VALUES) && sql_is_punct(sql_peek(p, 1), SQL_P_LPAREN)) {
        /* FROM VALUES (...), (...) alias: a derived table without parentheses. */
        QV_TRY(sql_node_new(p, SQL_DERIVED, tok, 2, &node));
        node->flags |= SQL_F_NO_PARENS | (lateral ? SQL_F_LATERAL : 0);
        QV_TRY(sql_node_new(p, SQL_QUERY, sql_tok(p), 7, &node->kids[0]));
        QV_TRY(parse_values(p, &node->kids[0]->kids[1]));
        QV_TRY(sql_parse_table_alias(p, &node->kids[1]));
        *out = node;
        return QV_OK;
    }
    sql_node *name;
    if (sql_tok(p)->type != SQL_TOK_WORD && sql_tok(p)->type != SQL_TOK_QIDENT &&
        sql_tok(p)->type != SQL_TOK_STRING)
        return sql_error_expected(p, "identifier");
    QV_TRY(sql_parse_object_name(p, &name));
    if (sql_at_punct(p, SQL_P_LPAREN)) {
        QV_TRY(sql_node_new(p, SQL_TABLE_FUNC, tok, 3, &node));
        node->flags |= lateral ? SQL_F_LATERAL : 0;
        node->kids[0] = name;
        QV_TRY(parse_table_function_args(p, name, &node->kids[1]));
        QV_TRY(sql_parse_table_alias(p, &node->kids[2]));
        *out = node;
        return QV_OK;
    }
    if (lateral)
        return sql_error_expected(p, "(");
    QV_TRY(sql_node_new(p, SQL_TABLE, tok, 2, &node));
    node->kids[0] = name;
    QV_TRY(sql_parse_table_alias(p, &node->kids[1]));
    *out = node;
    return QV_OK;
}

/* Reads a join operator; *type is 0 when the next tokens are not one. */
static void parse_join_operator(sql_parser *p, int *type, bool *natural)
{
    size_t start = p->cur;
    *natural = sql_accept_kw(p, SQL_KW_NATURAL);
    *type = 0;
    if (sql_accept_kw(p, SQL_KW_JOIN)) {
        *type = SQL_JOIN_INNER;
    } else if (sql_accept_kws(p, SQL_KW_INNER, SQL_KW_JOIN)) {
        *type = SQL_JOIN_INNER;
    } else if (sql_accept_kws(p, SQL_KW_CROSS, SQL_KW_JOIN)) {
        *type = SQL_JOIN_CROSS;
    } else if (sql_accept_kws(p, SQL_KW_SEMI, SQL_KW_JOIN)) {
        *type = SQL_JOIN_SEMI;
    } else if (sql_accept_kws(p, SQL_KW_ANTI, SQL_KW_JOIN)) {
        *type = SQL_JOIN_ANTI;
    } else if (sql_at_kw(p, SQL_KW_LEFT) || sql_at_kw(p, SQL_KW_RIGHT) ||
               sql_at_kw(p, SQL_KW_FULL)) {
        sql_keyword side = (sql_keyword)sql_tok(p)->kw;
        sql_advance(p);
        int base = side == SQL_KW_LEFT    ? SQL_JOIN_LEFT
                   : side == SQL_KW_RIGHT ? SQL_JOIN_RIGHT
                                          : SQL_JOIN_FULL;
        if (side != SQL_KW_FULL && sql_accept_kw(p, SQL_KW_SEMI))
            base = side == SQL_KW_LEFT ? SQL_JOIN_LEFT_SEMI : SQL_JOIN_RIGHT_SEMI;
        else if (side != SQL_KW_FULL && sql_accept_kw(p, SQL_KW_ANTI))
            base = side == SQL_KW_LEFT ? SQL_JOIN_LEFT_ANTI : SQL_JOIN_RIGHT_ANTI;
        else
            sql_accept_kw(p, SQL_KW_OUTER);
        if (sql_accept_kw(p, SQL_KW_JOIN))
            *type = base;
    }
    if (*type == 0)
        p->cur = start;
}

/* USING ( name, ... ): identifiers, or qualified names (which the binder
 * refuses with DataFusion's message). */
static qv_status parse_using_list(sql_parser *p, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
    do {
        sql_node *name;
        QV_TRY(sql_parse_object_name(p, &name));
        QV_TRY(sql_list_push(p, list, name));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = list;
    return QV_OK;
}

/* The join after `left` (the operator already read): right side and ON /
 * USING. Used by FROM and by the |> JOIN pipe operator (left NULL). */
static qv_status parse_join_rest(sql_parser *p, const sql_token *at, sql_node *left, int type,
                                 bool natural, sql_node **out)
{
    sql_node *join;
    QV_TRY(sql_node_new(p, SQL_JOIN, at, 4, &join));
    join->op = type;
    join->flags = natural ? SQL_F_NATURAL : 0;
    join->kids[0] = left;
    QV_TRY(parse_table_factor(p, &join->kids[1]));
    if (!natural && type != SQL_JOIN_CROSS) {
        if (sql_accept_kw(p, SQL_KW_ON))
            QV_TRY(sql_parse_expr(p, &join->kids[2]));
        else if (sql_accept_kw(p, SQL_KW_USING))
            QV_TRY(parse_using_list(p, &join->kids[3]));
    }
    *out = join;
    return QV_OK;
}

static qv_status parse_table_ref(sql_parser *p, sql_node **out)
{
    sql_node *left;
    QV_TRY(parse_table_factor(p, &left));
    uint32_t wraps = 0;
    for (;;) {
        const sql_token *at = sql_tok(p);
        int type;
        bool natural;
        parse_join_operator(p, &type, &natural);
        if (type == 0)
            break;
        QV_TRY(sql_enter(p));
        wraps++;
        QV_TRY(parse_join_rest(p, at, left, type, natural, &left));
    }
    p->depth -= wraps;
    *out = left;
    return QV_OK;
}

qv_status sql_parse_from_list(sql_parser *p, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    do {
        sql_node *item;
        QV_TRY(parse_table_ref(p, &item));
        QV_TRY(sql_list_push(p, list, item));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    *out = list;
    return QV_OK;
}

/* ---- GROUP BY ---- */

/* ( item, ... ) of ROLLUP / CUBE / GROUPING SETS; "()" is an empty set. */
static qv_status parse_grouping_list(sql_parser *p, sql_kind kind, sql_node **out)
{
    sql_node *node;
    QV_TRY(sql_node_new(p, kind, sql_tok(p), 0, &node));
    if (kind == SQL_GROUPING_SETS)
        sql_advance(p); /* GROUPING; SETS follows */
    sql_advance(p);
    QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
    do {
        sql_node *item;
        if (sql_at_punct(p, SQL_P_LPAREN) && sql_is_punct(sql_peek(p, 1), SQL_P_RPAREN)) {
            QV_TRY(sql_list_new(p, sql_tok(p), &item));
            p->cur += 2;
        } else if (kind == SQL_GROUPING_SETS &&
                   (sql_at_kw(p, SQL_KW_ROLLUP) || sql_at_kw(p, SQL_KW_CUBE))) {
            QV_TRY(
                parse_grouping_list(p, sql_at_kw(p, SQL_KW_ROLLUP) ? SQL_ROLLUP : SQL_CUBE, &item));
        } else {
            QV_TRY(sql_parse_expr(p, &item));
        }
        QV_TRY(sql_list_push(p, node, item));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = node;
    return QV_OK;
}

static qv_status parse_group_by(sql_parser *p, sql_node **out)
{
    sql_node *group;
    QV_TRY(sql_node_new(p, SQL_GROUP_BY, sql_tok(p), 0, &group));
    if (sql_accept_kw(p, SQL_KW_ALL)) {
        group->flags |= SQL_F_ALL;
        *out = group;
        return QV_OK;
    }
    do {
        sql_node *item;
        if (sql_at_kw(p, SQL_KW_GROUPING) && sql_is_kw(sql_peek(p, 1), SQL_KW_SETS))
            QV_TRY(parse_grouping_list(p, SQL_GROUPING_SETS, &item));
        else if (sql_at_kw(p, SQL_KW_ROLLUP) && sql_is_punct(sql_peek(p, 1), SQL_P_LPAREN))
            QV_TRY(parse_grouping_list(p, SQL_ROLLUP, &item));
        else if (sql_at_kw(p, SQL_KW_CUBE) && sql_is_punct(sql_peek(p, 1), SQL_P_LPAREN))
            QV_TRY(parse_grouping_list(p, SQL_CUBE, &item));
        else
            QV_TRY(sql_parse_expr(p, &item));
        QV_TRY(sql_list_push(p, group, item));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    *out = group;
    return QV_OK;
}

/* ---- SELECT, VALUES, set operations ---- */

static qv_status parse_select(sql_parser *p, sql_node **out)
{
    sql_node *select;
    QV_TRY(sql_node_new(p, SQL_SELECT, sql_tok(p), 9, &select));
    sql_advance(p); /* SELECT */
    const sql_token *quantifier = sql_tok(p);
    if (sql_accept_kw(p, SQL_KW_DISTINCT)) {
        select->flags |= SQL_F_DISTINCT;
        if (sql_at_kw(p, SQL_KW_ALL))
            return sql_error_at(p, quantifier, "Cannot specify DISTINCT then ALL");
        if (sql_accept_kw(p, SQL_KW_ON)) {
            QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
            QV_TRY(sql_parse_expr_list(p, &select->kids[0]));
            QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
        }
    } else if (sql_accept_kw(p, SQL_KW_ALL)) {
        select->flags |= SQL_F_ALL;
        if (sql_at_kw(p, SQL_KW_DISTINCT))
            return sql_error_at(p, quantifier, "Cannot specify ALL then DISTINCT");
    }
    QV_TRY(sql_parse_select_items(p, &select->kids[1]));
    if (sql_accept_kw(p, SQL_KW_INTO))
        QV_TRY(sql_parse_object_name(p, &select->kids[8]));
    if (sql_accept_kw(p, SQL_KW_FROM))
        QV_TRY(sql_parse_from_list(p, &select->kids[2]));
    if (sql_accept_kw(p, SQL_KW_WHERE))
        QV_TRY(sql_parse_expr(p, &select->kids[3]));
    if (sql_accept_kws(p, SQL_KW_GROUP, SQL_KW_BY))
        QV_TRY(parse_group_by(p, &select->kids[4]));
    if (sql_accept_kw(p, SQL_KW_HAVING))
        QV_TRY(sql_parse_expr(p, &select->kids[5]));
    if (sql_accept_kw(p, SQL_KW_WINDOW)) {
        QV_TRY(sql_list_new(p, sql_tok(p), &select->kids[6]));
        do {
            sql_node *named;
            QV_TRY(sql_node_new(p, SQL_NAMED_WINDOW, sql_tok(p), 2, &named));
            QV_TRY(sql_parse_ident(p, &named->kids[0]));
            QV_TRY(sql_expect_kw(p, SQL_KW_AS));
            QV_TRY(sql_parse_window_spec(p, &named->kids[1]));
            QV_TRY(sql_list_push(p, select->kids[6], named));
        } while (sql_accept_punct(p, SQL_P_COMMA));
    }
    if (sql_accept_kw(p, SQL_KW_QUALIFY))
        QV_TRY(sql_parse_expr(p, &select->kids[7]));
    *out = select;
    return QV_OK;
}

static qv_status parse_values(sql_parser *p, sql_node **out)
{
    sql_node *values;
    QV_TRY(sql_node_new(p, SQL_VALUES, sql_tok(p), 0, &values));
    sql_advance(p); /* VALUES */
    do {
        sql_node *row;
        QV_TRY(sql_list_new(p, sql_tok(p), &row));
        if (sql_accept_kw(p, SQL_KW_ROW))
            row->op = 1;
        QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
        do {
            sql_node *item;
            QV_TRY(sql_parse_expr(p, &item));
            QV_TRY(sql_list_push(p, row, item));
        } while (sql_accept_punct(p, SQL_P_COMMA));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
        QV_TRY(sql_list_push(p, values, row));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    *out = values;
    return QV_OK;
}

static qv_status parse_set_primary(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    if (sql_is_kw(tok, SQL_KW_SELECT))
        return parse_select(p, out);
    if (sql_is_kw(tok, SQL_KW_VALUES))
        return parse_values(p, out);
    if (sql_is_punct(tok, SQL_P_LPAREN)) {
        sql_node *nested;
        QV_TRY(sql_node_new(p, SQL_NESTED_QUERY, tok, 1, &nested));
        sql_advance(p);
        QV_TRY(sql_parse_query(p, &nested->kids[0]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
        *out = nested;
        return QV_OK;
    }
    static const sql_keyword starts[] = {SQL_KW_SELECT, SQL_KW_VALUES, SQL_KW_WITH};
    return sql_error_expected_kw(p, "SELECT, VALUES, or a subquery in the query body", starts, 3);
}

static int set_op_precedence(const sql_token *tok)
{
    if (sql_is_kw(tok, SQL_KW_UNION) || sql_is_kw(tok, SQL_KW_EXCEPT) ||
        sql_is_kw(tok, SQL_KW_MINUS))
        return 10;
    if (sql_is_kw(tok, SQL_KW_INTERSECT))
        return 20;
    return 0;
}

/* ALL / DISTINCT / BY NAME after a set operator. */
static void parse_set_quantifier(sql_parser *p, sql_node *node)
{
    if (sql_accept_kw(p, SQL_KW_ALL))
        node->flags |= SQL_F_ALL;
    else if (sql_accept_kw(p, SQL_KW_DISTINCT))
        node->flags |= SQL_F_DISTINCT;
    if (sql_accept_kws(p, SQL_KW_BY, SQL_KW_NAME))
        node->flags |= SQL_F_BY_NAME;
}

static qv_status parse_set_expr(sql_parser *p, int prec, sql_node **out)
{
    QV_TRY(sql_enter(p));
    sql_node *left;
    QV_TRY(parse_set_primary(p, &left));
    uint32_t wraps = 0;
    for (;;) {
        const sql_token *tok = sql_tok(p);
        int next = set_op_precedence(tok);
        if (next <= prec)
            break;
        QV_TRY(sql_enter(p));
        wraps++;
        sql_node *node;
        QV_TRY(sql_node_new(p, SQL_SET_OP, &(const sql_token){.pos = left->pos}, 2, &node));
        node->op = sql_is_kw(tok, SQL_KW_UNION)       ? SQL_SETOP_UNION
                   : sql_is_kw(tok, SQL_KW_INTERSECT) ? SQL_SETOP_INTERSECT
                   : sql_is_kw(tok, SQL_KW_EXCEPT)    ? SQL_SETOP_EXCEPT
                                                      : SQL_SETOP_MINUS;
        sql_advance(p);
        parse_set_quantifier(p, node);
        node->kids[0] = left;
        QV_TRY(parse_set_expr(p, next, &node->kids[1]));
        left = node;
    }
    p->depth -= wraps;
    sql_leave(p);
    *out = left;
    return QV_OK;
}

/* ---- WITH and the query's trailing clauses ---- */

static qv_status parse_with(sql_parser *p, sql_node **out)
{
    sql_node *with;
    QV_TRY(sql_node_new(p, SQL_WITH, sql_tok(p), 0, &with));
    sql_advance(p); /* WITH */
    if (sql_accept_kw(p, SQL_KW_RECURSIVE))
        with->flags |= SQL_F_RECURSIVE;
    do {
        sql_node *cte;
        QV_TRY(sql_node_new(p, SQL_CTE, sql_tok(p), 3, &cte));
        QV_TRY(sql_parse_ident(p, &cte->kids[0]));
        if (sql_at_punct(p, SQL_P_LPAREN))
            QV_TRY(sql_parse_paren_ident_list(p, &cte->kids[1]));
        QV_TRY(sql_expect_kw(p, SQL_KW_AS));
        if (sql_accept_kw(p, SQL_KW_MATERIALIZED))
            cte->op = 1;
        else if (sql_accept_kws(p, SQL_KW_NOT, SQL_KW_MATERIALIZED))
            cte->op = 2;
        QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
        QV_TRY(sql_parse_query(p, &cte->kids[2]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
        QV_TRY(sql_list_push(p, with, cte));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    *out = with;
    return QV_OK;
}

static qv_status parse_limit_offset(sql_parser *p, sql_node *query)
{
    for (int round = 0; round < 2; round++) {
        if (query->kids[3] == NULL && !(query->flags & SQL_F_LIMIT_ALL) &&
            sql_accept_kw(p, SQL_KW_LIMIT)) {
            if (sql_accept_kw(p, SQL_KW_ALL)) {
                query->flags |= SQL_F_LIMIT_ALL;
            } else {
                QV_TRY(sql_parse_expr(p, &query->kids[3]));
                if (query->kids[4] == NULL && sql_accept_punct(p, SQL_P_COMMA)) {
                    /* LIMIT offset, count */
                    query->kids[4] = query->kids[3];
                    QV_TRY(sql_parse_expr(p, &query->kids[3]));
                }
            }
        }
        if (query->kids[4] == NULL && sql_accept_kw(p, SQL_KW_OFFSET)) {
            QV_TRY(sql_parse_expr(p, &query->kids[4]));
            if (!sql_accept_kw(p, SQL_KW_ROWS))
                sql_accept_kw(p, SQL_KW_ROW);
        }
    }
    if (sql_accept_kw(p, SQL_KW_FETCH)) {
        sql_node *fetch;
        QV_TRY(sql_node_new(p, SQL_FETCH, sql_tok(p), 1, &fetch));
        if (sql_accept_kw(p, SQL_KW_FIRST))
            fetch->flags |= SQL_F_FIRST;
        else
            QV_TRY(sql_expect_kw(p, SQL_KW_NEXT));
        if (!sql_at_kw(p, SQL_KW_ROW) && !sql_at_kw(p, SQL_KW_ROWS)) {
            QV_TRY(sql_parse_expr(p, &fetch->kids[0]));
            if (sql_accept_kw(p, SQL_KW_PERCENT))
                fetch->flags |= SQL_F_PERCENT;
        }
        if (!sql_accept_kw(p, SQL_KW_ROWS))
            QV_TRY(sql_expect_kw(p, SQL_KW_ROW));
        if (sql_accept_kws(p, SQL_KW_WITH, SQL_KW_TIES))
            fetch->flags |= SQL_F_WITH_TIES;
        else
            QV_TRY(sql_expect_kw(p, SQL_KW_ONLY));
        query->kids[5] = fetch;
    }
    return QV_OK;
}

static qv_status parse_pipe_op(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    sql_node *op;
    QV_TRY(sql_node_new(p, SQL_PIPE_OP, tok, 2, &op));
    if (sql_accept_kw(p, SQL_KW_SELECT)) {
        op->op = SQL_PIPE_SELECT;
        QV_TRY(sql_parse_select_items(p, &op->kids[0]));
    } else if (sql_accept_kw(p, SQL_KW_EXTEND)) {
        op->op = SQL_PIPE_EXTEND;
        QV_TRY(sql_parse_select_items(p, &op->kids[0]));
    } else if (sql_accept_kw(p, SQL_KW_WHERE)) {
        op->op = SQL_PIPE_WHERE;
        QV_TRY(sql_parse_expr(p, &op->kids[0]));
    } else if (sql_accept_kws(p, SQL_KW_ORDER, SQL_KW_BY)) {
        op->op = SQL_PIPE_ORDER_BY;
        QV_TRY(sql_parse_order_by_list(p, &op->kids[0]));
    } else if (sql_accept_kw(p, SQL_KW_LIMIT)) {
        op->op = SQL_PIPE_LIMIT;
        QV_TRY(sql_parse_expr(p, &op->kids[0]));
        if (sql_accept_kw(p, SQL_KW_OFFSET))
            QV_TRY(sql_parse_expr(p, &op->kids[1]));
    } else if (sql_accept_kw(p, SQL_KW_AS)) {
        op->op = SQL_PIPE_AS;
        QV_TRY(sql_parse_ident(p, &op->kids[0]));
    } else if (sql_accept_kw(p, SQL_KW_AGGREGATE)) {
        op->op = SQL_PIPE_AGGREGATE;
        if (!sql_at_kw(p, SQL_KW_GROUP))
            QV_TRY(sql_parse_select_items(p, &op->kids[0]));
        if (sql_accept_kws(p, SQL_KW_GROUP, SQL_KW_BY))
            QV_TRY(sql_parse_select_items(p, &op->kids[1]));
    } else if (set_op_precedence(tok) > 0) {
        op->op = SQL_PIPE_SET_OP;
        QV_TRY(sql_node_set_text(p, op, sql_keyword_text((sql_keyword)tok->kw),
                                 strlen(sql_keyword_text((sql_keyword)tok->kw))));
        op->n_kids = 0;
        sql_advance(p);
        parse_set_quantifier(p, op);
        do {
            sql_node *query;
            QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
            QV_TRY(sql_parse_query(p, &query));
            QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
            QV_TRY(sql_list_push(p, op, query));
        } while (sql_accept_punct(p, SQL_P_COMMA));
    } else {
        int type;
        bool natural;
        parse_join_operator(p, &type, &natural);
        if (type == 0) {
            static const sql_keyword ops[] = {
                SQL_KW_SELECT,    SQL_KW_EXTEND, SQL_KW_WHERE,     SQL_KW_ORDER,  SQL_KW_LIMIT,
                SQL_KW_AGGREGATE, SQL_KW_UNION,  SQL_KW_INTERSECT, SQL_KW_EXCEPT, SQL_KW_JOIN};
            return sql_error_expected_kw(
                p,
                "one of SELECT or EXTEND or SET or DROP or AS or WHERE or LIMIT or AGGREGATE or "
                "ORDER or TABLESAMPLE or RENAME or UNION or INTERSECT or EXCEPT or CALL or PIVOT "
                "or UNPIVOT or JOIN or INNER or LEFT or RIGHT or FULL or CROSS",
                ops, sizeof ops / sizeof ops[0]);
        }
        op->op = SQL_PIPE_JOIN;
        QV_TRY(parse_join_rest(p, tok, NULL, type, natural, &op->kids[0]));
    }
    *out = op;
    return QV_OK;
}

qv_status sql_parse_query(sql_parser *p, sql_node **out)
{
    QV_TRY(sql_enter(p));
    sql_node *query;
    QV_TRY(sql_node_new(p, SQL_QUERY, sql_tok(p), 7, &query));
    if (sql_at_kw(p, SQL_KW_WITH))
        QV_TRY(parse_with(p, &query->kids[0]));
    QV_TRY(parse_set_expr(p, 0, &query->kids[1]));
    if (sql_accept_kws(p, SQL_KW_ORDER, SQL_KW_BY))
        QV_TRY(sql_parse_order_by_list(p, &query->kids[2]));
    QV_TRY(parse_limit_offset(p, query));
    if (sql_at_punct(p, SQL_P_PIPE_GT)) {
        QV_TRY(sql_list_new(p, sql_tok(p), &query->kids[6]));
        while (sql_accept_punct(p, SQL_P_PIPE_GT)) {
            sql_node *op;
            QV_TRY(parse_pipe_op(p, &op));
            QV_TRY(sql_list_push(p, query->kids[6], op));
        }
    }
    sql_leave(p);
    *out = query;
    return QV_OK;
}
