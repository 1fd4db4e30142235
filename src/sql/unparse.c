/*
 * unparse.c — syntax trees back to SQL text (layer: sql).
 *
 * The text reproduces the tree's tokens: parentheses the user wrote are
 * SQL_NESTED / SQL_NESTED_QUERY nodes, so no precedence reasoning is needed
 * here, and parsing the output yields an equal tree (sql_ast_equal).
 * Optional noise words (OUTER, INNER, AS before aliases, ROWS after OFFSET)
 * are written in one canonical form.
 */
#include <stdio.h>
#include <string.h>

#include "sql.h"

static void node(base_strbuf *sb, const sql_node *n);

/* Appends s, separating it from the previous text where gluing the two
 * would open a comment or merge two operators. */
static void put(base_strbuf *sb, const char *s)
{
    if (sb->len > 0 && s[0] != '\0') {
        char last = sb->data[sb->len - 1];
        if ((last == '-' && s[0] == '-') || (last == '/' && s[0] == '*') ||
            (last == '*' && s[0] == '/') || (last == '~' && (s[0] == '*' || s[0] == '~')))
            base_strbuf_append_char(sb, ' ');
    }
    base_strbuf_append_str(sb, s);
}

static void quoted(base_strbuf *sb, const char *prefix, char quote, const char *text, size_t len)
{
    put(sb, prefix);
    base_strbuf_append_char(sb, quote);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == quote)
            base_strbuf_append_char(sb, quote);
        base_strbuf_append_char(sb, text[i]);
    }
    base_strbuf_append_char(sb, quote);
}

static void escaped_string(base_strbuf *sb, const char *text, size_t len)
{
    put(sb, "E'");
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        switch (c) {
        case '\\':
            base_strbuf_append_str(sb, "\\\\");
            break;
        case '\'':
            base_strbuf_append_str(sb, "\\'");
            break;
        case '\n':
            base_strbuf_append_str(sb, "\\n");
            break;
        case '\t':
            base_strbuf_append_str(sb, "\\t");
            break;
        case '\r':
            base_strbuf_append_str(sb, "\\r");
            break;
        case '\b':
            base_strbuf_append_str(sb, "\\b");
            break;
        case '\f':
            base_strbuf_append_str(sb, "\\f");
            break;
        case '\0':
            base_strbuf_append_str(sb, "\\0");
            break;
        case '\x1a':
            base_strbuf_append_str(sb, "\\Z");
            break;
        default:
            base_strbuf_append_char(sb, c);
            break;
        }
    }
    base_strbuf_append_char(sb, '\'');
}

static void dollar_string(base_strbuf *sb, const char *text, size_t len)
{
    char tag[24] = "$$";
    for (int n = 0; n < 1000; n++) {
        size_t tag_len = strlen(tag);
        bool clash = false;
        for (size_t i = 0; i + tag_len <= len && !clash; i++)
            clash = memcmp(text + i, tag, tag_len) == 0;
        /* A body ending in part of the tag would merge with the closing tag. */
        if (!clash && !(len > 0 && text[len - 1] == '$'))
            break;
        snprintf(tag, sizeof tag, "$q%d$", n);
    }
    put(sb, tag);
    base_strbuf_append(sb, text, len);
    base_strbuf_append_str(sb, tag);
}

static void literal(base_strbuf *sb, const sql_node *n)
{
    switch (n->op) {
    case SQL_LIT_INTEGER:
    case SQL_LIT_NUMBER:
        put(sb, n->text);
        break;
    case SQL_LIT_STRING:
        quoted(sb, "", '\'', n->text, n->text_len);
        break;
    case SQL_LIT_ESTRING:
        escaped_string(sb, n->text, n->text_len);
        break;
    case SQL_LIT_HEX:
        quoted(sb, "X", '\'', n->text, n->text_len);
        break;
    case SQL_LIT_NATIONAL:
        quoted(sb, "N", '\'', n->text, n->text_len);
        break;
    case SQL_LIT_DOLLAR:
        dollar_string(sb, n->text, n->text_len);
        break;
    case SQL_LIT_TRUE:
        put(sb, "TRUE");
        break;
    case SQL_LIT_FALSE:
        put(sb, "FALSE");
        break;
    default:
        put(sb, "NULL");
        break;
    }
}

static void ident(base_strbuf *sb, const sql_node *n)
{
    if (n->op == 0)
        put(sb, n->text);
    else
        quoted(sb, "", (char)n->op, n->text, n->text_len);
}

/* Children of a list joined by sep. */
static void list(base_strbuf *sb, const sql_node *n, const char *sep)
{
    for (uint32_t i = 0; n != NULL && i < n->n_kids; i++) {
        if (i > 0)
            put(sb, sep);
        node(sb, n->kids[i]);
    }
}

static void paren_list(base_strbuf *sb, const sql_node *n)
{
    put(sb, "(");
    list(sb, n, ", ");
    put(sb, ")");
}

/* Items of GROUPING SETS / ROLLUP / CUBE: an empty SQL_LIST is "()". */
static void grouping_list(base_strbuf *sb, const sql_node *n)
{
    put(sb, "(");
    for (uint32_t i = 0; i < n->n_kids; i++) {
        if (i > 0)
            put(sb, ", ");
        if (n->kids[i]->kind == SQL_LIST)
            paren_list(sb, n->kids[i]);
        else
            node(sb, n->kids[i]);
    }
    put(sb, ")");
}

/* " KEYWORD child" when the child is present. */
static void clause(base_strbuf *sb, const char *keyword, const sql_node *child)
{
    if (child == NULL)
        return;
    put(sb, keyword);
    node(sb, child);
}

static void clause_list(base_strbuf *sb, const char *keyword, const sql_node *child)
{
    if (child == NULL)
        return;
    put(sb, keyword);
    list(sb, child, ", ");
}

/* ---- expressions ---- */

static void unary(base_strbuf *sb, const sql_node *n)
{
    switch (n->op) {
    case SQL_OP_NOT:
        put(sb, "NOT ");
        break;
    case SQL_OP_NEG:
        put(sb, "-");
        break;
    case SQL_OP_PLUS_PREFIX:
        put(sb, "+");
        break;
    default:
        put(sb, sql_op_text((sql_op)n->op));
        break;
    }
    node(sb, n->kids[0]);
}

static void function(base_strbuf *sb, const sql_node *n)
{
    node(sb, n->kids[0]);
    if (n->flags & SQL_F_NO_PARENS)
        return;
    put(sb, "(");
    if (n->flags & SQL_F_DISTINCT)
        put(sb, "DISTINCT ");
    else if (n->flags & SQL_F_ALL)
        put(sb, "ALL ");
    list(sb, n->kids[1], ", ");
    clause_list(sb, " ORDER BY ", n->kids[2]);
    put(sb, ")");
    if (n->flags & SQL_F_IGNORE_NULLS)
        put(sb, " IGNORE NULLS");
    if (n->flags & SQL_F_RESPECT_NULLS)
        put(sb, " RESPECT NULLS");
    if (n->kids[5] != NULL) {
        put(sb, " WITHIN GROUP (ORDER BY ");
        list(sb, n->kids[5], ", ");
        put(sb, ")");
    }
    if (n->kids[3] != NULL) {
        put(sb, " FILTER (WHERE ");
        node(sb, n->kids[3]);
        put(sb, ")");
    }
    clause(sb, " OVER ", n->kids[4]);
}

static void special_function(base_strbuf *sb, const sql_node *n)
{
    switch (n->op) {
    case SQL_SPECIAL_EXTRACT:
        put(sb, "EXTRACT(");
        node(sb, n->kids[0]);
        clause(sb, " FROM ", n->kids[1]);
        break;
    case SQL_SPECIAL_POSITION:
        put(sb, "POSITION(");
        node(sb, n->kids[0]);
        clause(sb, " IN ", n->kids[1]);
        break;
    case SQL_SPECIAL_SUBSTRING:
        put(sb, "SUBSTRING(");
        node(sb, n->kids[0]);
        clause(sb, " FROM ", n->kids[1]);
        clause(sb, " FOR ", n->kids[2]);
        break;
    case SQL_SPECIAL_TRIM:
        put(sb, "TRIM(");
        if (n->kids[2] != NULL) {
            node(sb, n->kids[2]);
            put(sb, " ");
        }
        if (n->kids[1] != NULL) {
            node(sb, n->kids[1]);
            put(sb, " ");
        }
        put(sb, "FROM ");
        node(sb, n->kids[0]);
        break;
    case SQL_SPECIAL_OVERLAY:
        put(sb, "OVERLAY(");
        node(sb, n->kids[0]);
        clause(sb, " PLACING ", n->kids[1]);
        clause(sb, " FROM ", n->kids[2]);
        clause(sb, " FOR ", n->kids[3]);
        break;
    default:
        put(sb, n->op == SQL_SPECIAL_CEIL ? "CEIL(" : "FLOOR(");
        node(sb, n->kids[0]);
        clause(sb, " TO ", n->kids[1]);
        break;
    }
    put(sb, ")");
}

static void frame_bound(base_strbuf *sb, const sql_node *n)
{
    switch (n->op) {
    case SQL_BOUND_UNBOUNDED_PRECEDING:
        put(sb, "UNBOUNDED PRECEDING");
        break;
    case SQL_BOUND_UNBOUNDED_FOLLOWING:
        put(sb, "UNBOUNDED FOLLOWING");
        break;
    case SQL_BOUND_CURRENT_ROW:
        put(sb, "CURRENT ROW");
        break;
    default:
        node(sb, n->kids[0]);
        put(sb, n->op == SQL_BOUND_PRECEDING ? " PRECEDING" : " FOLLOWING");
        break;
    }
}

static void window_frame(base_strbuf *sb, const sql_node *n)
{
    put(sb, n->op == SQL_FRAME_ROWS ? "ROWS " : n->op == SQL_FRAME_RANGE ? "RANGE " : "GROUPS ");
    if (n->kids[1] != NULL) {
        put(sb, "BETWEEN ");
        node(sb, n->kids[0]);
        put(sb, " AND ");
        node(sb, n->kids[1]);
    } else {
        node(sb, n->kids[0]);
    }
    if (n->flags & SQL_F_EXCLUDE_CURRENT_ROW)
        put(sb, " EXCLUDE CURRENT ROW");
    else if (n->flags & SQL_F_EXCLUDE_GROUP)
        put(sb, " EXCLUDE GROUP");
    else if (n->flags & SQL_F_EXCLUDE_TIES)
        put(sb, " EXCLUDE TIES");
    else if (n->flags & SQL_F_EXCLUDE_NO_OTHERS)
        put(sb, " EXCLUDE NO OTHERS");
}

static void window_spec(base_strbuf *sb, const sql_node *n)
{
    put(sb, "(");
    const char *sep = "";
    if (n->kids[0] != NULL) {
        node(sb, n->kids[0]);
        sep = " ";
    }
    if (n->kids[1] != NULL) {
        put(sb, sep);
        clause_list(sb, "PARTITION BY ", n->kids[1]);
        sep = " ";
    }
    if (n->kids[2] != NULL) {
        put(sb, sep);
        clause_list(sb, "ORDER BY ", n->kids[2]);
        sep = " ";
    }
    if (n->kids[3] != NULL) {
        put(sb, sep);
        node(sb, n->kids[3]);
    }
    put(sb, ")");
}

static void star(base_strbuf *sb, const sql_node *n)
{
    if (n->kids[0] != NULL) {
        node(sb, n->kids[0]);
        put(sb, ".");
    }
    put(sb, "*");
    if (n->kids[1] != NULL) {
        put(sb, " EXCLUDE ");
        if (n->flags & SQL_F_PARENS)
            paren_list(sb, n->kids[1]);
        else
            list(sb, n->kids[1], ", ");
    }
    if (n->kids[2] != NULL) {
        put(sb, " EXCEPT ");
        paren_list(sb, n->kids[2]);
    }
    if (n->kids[3] != NULL) {
        put(sb, " REPLACE ");
        paren_list(sb, n->kids[3]);
    }
    if (n->kids[4] != NULL) {
        put(sb, " RENAME ");
        paren_list(sb, n->kids[4]);
    }
}

static const char *is_text(int op)
{
    switch (op) {
    case SQL_IS_NULL:
        return "NULL";
    case SQL_IS_TRUE:
        return "TRUE";
    case SQL_IS_FALSE:
        return "FALSE";
    case SQL_IS_UNKNOWN:
        return "UNKNOWN";
    default:
        return "DISTINCT FROM ";
    }
}

static void expression(base_strbuf *sb, const sql_node *n)
{
    bool negated = (n->flags & SQL_F_NOT) != 0;
    switch (n->kind) {
    case SQL_TYPED_LITERAL:
        node(sb, n->kids[0]);
        put(sb, " ");
        if (n->op == SQL_LIT_ESTRING)
            escaped_string(sb, n->text, n->text_len);
        else
            quoted(sb, "", '\'', n->text, n->text_len);
        break;
    case SQL_INTERVAL:
        if (n->op == 0)
            put(sb, "INTERVAL ");
        node(sb, n->kids[0]);
        clause(sb, " ", n->kids[1]);
        clause(sb, " TO ", n->kids[2]);
        break;
    case SQL_PLACEHOLDER:
        put(sb, n->text);
        break;
    case SQL_UNARY:
        unary(sb, n);
        break;
    case SQL_BINARY:
        node(sb, n->kids[0]);
        put(sb, " ");
        put(sb, sql_op_text((sql_op)n->op));
        put(sb, " ");
        node(sb, n->kids[1]);
        break;
    case SQL_NESTED:
        put(sb, "(");
        node(sb, n->kids[0]);
        put(sb, ")");
        break;
    case SQL_TUPLE:
        paren_list(sb, n);
        break;
    case SQL_LIKE:
        node(sb, n->kids[0]);
        put(sb, negated ? " NOT " : " ");
        put(sb, n->op == SQL_LIKE_LIKE    ? "LIKE "
                : n->op == SQL_LIKE_ILIKE ? "ILIKE "
                                          : "SIMILAR TO ");
        node(sb, n->kids[1]);
        clause(sb, " ESCAPE ", n->kids[2]);
        break;
    case SQL_IN_LIST:
    case SQL_IN_SUBQUERY:
        node(sb, n->kids[0]);
        put(sb, negated ? " NOT IN (" : " IN (");
        if (n->kind == SQL_IN_LIST)
            list(sb, n->kids[1], ", ");
        else
            node(sb, n->kids[1]);
        put(sb, ")");
        break;
    case SQL_BETWEEN:
        node(sb, n->kids[0]);
        put(sb, negated ? " NOT BETWEEN " : " BETWEEN ");
        if (n->flags & SQL_F_SYMMETRIC)
            put(sb, "SYMMETRIC ");
        node(sb, n->kids[1]);
        put(sb, " AND ");
        node(sb, n->kids[2]);
        break;
    case SQL_IS:
        node(sb, n->kids[0]);
        put(sb, negated ? " IS NOT " : " IS ");
        put(sb, is_text(n->op));
        if (n->kids[1] != NULL)
            node(sb, n->kids[1]);
        break;
    case SQL_QUANTIFIED:
        node(sb, n->kids[0]);
        put(sb, " ");
        put(sb, sql_op_text((sql_op)n->op));
        put(sb, (n->flags & SQL_F_ALL) ? " ALL(" : (n->flags & SQL_F_SOME) ? " SOME(" : " ANY(");
        if (n->kids[1]->kind == SQL_SUBQUERY)
            node(sb, n->kids[1]->kids[0]);
        else
            node(sb, n->kids[1]);
        put(sb, ")");
        break;
    case SQL_EXISTS:
        put(sb, negated ? "NOT EXISTS (" : "EXISTS (");
        node(sb, n->kids[0]);
        put(sb, ")");
        break;
    case SQL_SUBQUERY:
        put(sb, "(");
        node(sb, n->kids[0]);
        put(sb, ")");
        break;
    case SQL_CASE:
        put(sb, "CASE");
        clause(sb, " ", n->kids[0]);
        for (uint32_t i = 0; i < n->kids[1]->n_kids; i++) {
            const sql_node *when = n->kids[1]->kids[i];
            clause(sb, " WHEN ", when->kids[0]);
            clause(sb, " THEN ", when->kids[1]);
        }
        clause(sb, " ELSE ", n->kids[2]);
        put(sb, " END");
        break;
    case SQL_CAST:
        if (n->op == SQL_CAST_COLON) {
            node(sb, n->kids[0]);
            put(sb, "::");
            node(sb, n->kids[1]);
            break;
        }
        put(sb, n->op == SQL_CAST_TRY_CAST    ? "TRY_CAST("
                : n->op == SQL_CAST_SAFE_CAST ? "SAFE_CAST("
                                              : "CAST(");
        node(sb, n->kids[0]);
        put(sb, " AS ");
        node(sb, n->kids[1]);
        put(sb, ")");
        break;
    case SQL_AT_TIME_ZONE:
        node(sb, n->kids[0]);
        clause(sb, " AT TIME ZONE ", n->kids[1]);
        break;
    case SQL_COLLATE:
        node(sb, n->kids[0]);
        clause(sb, " COLLATE ", n->kids[1]);
        break;
    case SQL_FUNCTION:
        function(sb, n);
        break;
    case SQL_NAMED_ARG:
        node(sb, n->kids[0]);
        put(sb, n->op == ':' ? " := " : " => ");
        node(sb, n->kids[1]);
        break;
    case SQL_SPECIAL_FUNC:
        special_function(sb, n);
        break;
    case SQL_WINDOW_SPEC:
        window_spec(sb, n);
        break;
    case SQL_WINDOW_FRAME:
        window_frame(sb, n);
        break;
    case SQL_FRAME_BOUND:
        frame_bound(sb, n);
        break;
    case SQL_ARRAY:
        put(sb, (n->flags & SQL_F_ARRAY_KEYWORD) ? "ARRAY[" : "[");
        list(sb, n, ", ");
        put(sb, "]");
        break;
    case SQL_ARRAY_SUBQUERY:
        put(sb, "ARRAY(");
        node(sb, n->kids[0]);
        put(sb, ")");
        break;
    case SQL_INDEX:
        node(sb, n->kids[0]);
        put(sb, "[");
        node(sb, n->kids[1]);
        put(sb, "]");
        break;
    case SQL_SLICE:
        node(sb, n->kids[0]);
        put(sb, "[");
        if (n->kids[1] != NULL)
            node(sb, n->kids[1]);
        put(sb, ":");
        if (n->kids[2] != NULL)
            node(sb, n->kids[2]);
        else if (n->kids[3] != NULL)
            put(sb, " "); /* "::" would lex as a cast */
        clause(sb, ":", n->kids[3]);
        put(sb, "]");
        break;
    case SQL_FIELD:
        node(sb, n->kids[0]);
        /* "1.f" would lex as the number "1." followed by f. */
        bool number = n->kids[0]->kind == SQL_LITERAL &&
                      (n->kids[0]->op == SQL_LIT_INTEGER || n->kids[0]->op == SQL_LIT_NUMBER);
        put(sb, number ? " ." : ".");
        node(sb, n->kids[1]);
        break;
    case SQL_DICT:
    case SQL_MAP:
        put(sb, n->kind == SQL_MAP ? "MAP {" : "{");
        list(sb, n, ", ");
        put(sb, "}");
        break;
    case SQL_DICT_ENTRY:
        node(sb, n->kids[0]);
        put(sb, ": ");
        node(sb, n->kids[1]);
        break;
    case SQL_STAR:
        star(sb, n);
        break;
    case SQL_ALIAS:
        node(sb, n->kids[0]);
        clause(sb, " AS ", n->kids[1]);
        break;
    case SQL_ORDER_ITEM:
        node(sb, n->kids[0]);
        if (n->op == SQL_ORDER_ASC)
            put(sb, " ASC");
        else if (n->op == SQL_ORDER_DESC)
            put(sb, " DESC");
        if (n->flags & SQL_F_NULLS_FIRST)
            put(sb, " NULLS FIRST");
        else if (n->flags & SQL_F_NULLS_LAST)
            put(sb, " NULLS LAST");
        break;
    default:
        break;
    }
}

/* ---- types ---- */

static void type(base_strbuf *sb, const sql_node *n)
{
    switch (n->op) {
    case SQL_TYPE_ARRAY:
        node(sb, n->kids[0]);
        put(sb, "[");
        if (n->kids[1] != NULL)
            node(sb, n->kids[1]);
        put(sb, "]");
        break;
    case SQL_TYPE_ARRAY_ANGLE:
        put(sb, "ARRAY<");
        node(sb, n->kids[0]);
        put(sb, ">");
        break;
    case SQL_TYPE_STRUCT:
        put(sb, (n->flags & SQL_F_ANGLE) ? "STRUCT<" : "STRUCT(");
        list(sb, n->kids[0], ", ");
        put(sb, (n->flags & SQL_F_ANGLE) ? ">" : ")");
        break;
    case SQL_TYPE_MAP:
        put(sb, (n->flags & SQL_F_ANGLE) ? "MAP<" : "MAP(");
        node(sb, n->kids[0]);
        put(sb, ", ");
        node(sb, n->kids[1]);
        put(sb, (n->flags & SQL_F_ANGLE) ? ">" : ")");
        break;
    default:
        put(sb, n->text);
        if (n->kids[0] != NULL)
            paren_list(sb, n->kids[0]);
        if (n->flags & SQL_F_UNSIGNED)
            put(sb, " UNSIGNED");
        if (n->flags & SQL_F_WITH_TZ)
            put(sb, " WITH TIME ZONE");
        else if (n->flags & SQL_F_WITHOUT_TZ)
            put(sb, " WITHOUT TIME ZONE");
        break;
    }
}

/* ---- queries ---- */

static void select_core(base_strbuf *sb, const sql_node *n)
{
    put(sb, "SELECT ");
    if (n->flags & SQL_F_DISTINCT) {
        put(sb, "DISTINCT ");
        if (n->kids[0] != NULL) {
            put(sb, "ON ");
            paren_list(sb, n->kids[0]);
            put(sb, " ");
        }
    } else if (n->flags & SQL_F_ALL) {
        put(sb, "ALL ");
    }
    list(sb, n->kids[1], ", ");
    clause(sb, " INTO ", n->kids[8]);
    clause_list(sb, " FROM ", n->kids[2]);
    clause(sb, " WHERE ", n->kids[3]);
    clause(sb, " ", n->kids[4]);
    clause(sb, " HAVING ", n->kids[5]);
    clause_list(sb, " WINDOW ", n->kids[6]);
    clause(sb, " QUALIFY ", n->kids[7]);
}

static void set_quantifier(base_strbuf *sb, const sql_node *n)
{
    if (n->flags & SQL_F_ALL)
        put(sb, " ALL");
    else if (n->flags & SQL_F_DISTINCT)
        put(sb, " DISTINCT");
    if (n->flags & SQL_F_BY_NAME)
        put(sb, " BY NAME");
}

static const char *join_text(int op)
{
    switch (op) {
    case SQL_JOIN_LEFT:
        return "LEFT JOIN ";
    case SQL_JOIN_RIGHT:
        return "RIGHT JOIN ";
    case SQL_JOIN_FULL:
        return "FULL JOIN ";
    case SQL_JOIN_CROSS:
        return "CROSS JOIN ";
    case SQL_JOIN_LEFT_SEMI:
        return "LEFT SEMI JOIN ";
    case SQL_JOIN_RIGHT_SEMI:
        return "RIGHT SEMI JOIN ";
    case SQL_JOIN_LEFT_ANTI:
        return "LEFT ANTI JOIN ";
    case SQL_JOIN_RIGHT_ANTI:
        return "RIGHT ANTI JOIN ";
    case SQL_JOIN_SEMI:
        return "SEMI JOIN ";
    case SQL_JOIN_ANTI:
        return "ANTI JOIN ";
    default:
        return "JOIN ";
    }
}

static void join(base_strbuf *sb, const sql_node *n)
{
    if (n->kids[0] != NULL) {
        node(sb, n->kids[0]);
        put(sb, " ");
    }
    if (n->flags & SQL_F_NATURAL)
        put(sb, "NATURAL ");
    put(sb, join_text(n->op));
    node(sb, n->kids[1]);
    clause(sb, " ON ", n->kids[2]);
    if (n->kids[3] != NULL) {
        put(sb, " USING ");
        paren_list(sb, n->kids[3]);
    }
}

static void pipe_op(base_strbuf *sb, const sql_node *n)
{
    switch (n->op) {
    case SQL_PIPE_SELECT:
        clause_list(sb, "SELECT ", n->kids[0]);
        break;
    case SQL_PIPE_EXTEND:
        clause_list(sb, "EXTEND ", n->kids[0]);
        break;
    case SQL_PIPE_WHERE:
        clause(sb, "WHERE ", n->kids[0]);
        break;
    case SQL_PIPE_ORDER_BY:
        clause_list(sb, "ORDER BY ", n->kids[0]);
        break;
    case SQL_PIPE_LIMIT:
        clause(sb, "LIMIT ", n->kids[0]);
        clause(sb, " OFFSET ", n->kids[1]);
        break;
    case SQL_PIPE_AS:
        clause(sb, "AS ", n->kids[0]);
        break;
    case SQL_PIPE_AGGREGATE:
        put(sb, "AGGREGATE");
        clause_list(sb, " ", n->kids[0]);
        clause_list(sb, " GROUP BY ", n->kids[1]);
        break;
    case SQL_PIPE_SET_OP:
        put(sb, n->text);
        set_quantifier(sb, n);
        for (uint32_t i = 0; i < n->n_kids; i++) {
            put(sb, i == 0 ? " (" : ", (");
            node(sb, n->kids[i]);
            put(sb, ")");
        }
        break;
    default:
        node(sb, n->kids[0]);
        break;
    }
}

static void query(base_strbuf *sb, const sql_node *n)
{
    if (n->kids[0] != NULL) {
        node(sb, n->kids[0]);
        put(sb, " ");
    }
    node(sb, n->kids[1]);
    clause_list(sb, " ORDER BY ", n->kids[2]);
    if (n->flags & SQL_F_LIMIT_ALL)
        put(sb, " LIMIT ALL");
    clause(sb, " LIMIT ", n->kids[3]);
    clause(sb, " OFFSET ", n->kids[4]);
    clause(sb, " ", n->kids[5]);
    for (uint32_t i = 0; n->kids[6] != NULL && i < n->kids[6]->n_kids; i++) {
        put(sb, " |> ");
        node(sb, n->kids[6]->kids[i]);
    }
}

static void query_part(base_strbuf *sb, const sql_node *n)
{
    switch (n->kind) {
    case SQL_QUERY:
        query(sb, n);
        break;
    case SQL_WITH:
        put(sb, (n->flags & SQL_F_RECURSIVE) ? "WITH RECURSIVE " : "WITH ");
        list(sb, n, ", ");
        break;
    case SQL_CTE:
        node(sb, n->kids[0]);
        if (n->kids[1] != NULL) {
            put(sb, " ");
            paren_list(sb, n->kids[1]);
        }
        put(sb, n->op == 1   ? " AS MATERIALIZED ("
                : n->op == 2 ? " AS NOT MATERIALIZED ("
                             : " AS (");
        node(sb, n->kids[2]);
        put(sb, ")");
        break;
    case SQL_SELECT:
        select_core(sb, n);
        break;
    case SQL_SET_OP:
        node(sb, n->kids[0]);
        put(sb, n->op == SQL_SETOP_UNION       ? " UNION"
                : n->op == SQL_SETOP_INTERSECT ? " INTERSECT"
                : n->op == SQL_SETOP_EXCEPT    ? " EXCEPT"
                                               : " MINUS");
        set_quantifier(sb, n);
        put(sb, " ");
        node(sb, n->kids[1]);
        break;
    case SQL_NESTED_QUERY:
        put(sb, "(");
        node(sb, n->kids[0]);
        put(sb, ")");
        break;
    case SQL_VALUES:
        put(sb, "VALUES ");
        for (uint32_t i = 0; i < n->n_kids; i++) {
            if (i > 0)
                put(sb, ", ");
            if (n->kids[i]->op == 1)
                put(sb, "ROW");
            paren_list(sb, n->kids[i]);
        }
        break;
    case SQL_FETCH:
        put(sb, (n->flags & SQL_F_FIRST) ? "FETCH FIRST " : "FETCH NEXT ");
        if (n->kids[0] != NULL) {
            node(sb, n->kids[0]);
            put(sb, (n->flags & SQL_F_PERCENT) ? " PERCENT " : " ");
        }
        put(sb, (n->flags & SQL_F_WITH_TIES) ? "ROWS WITH TIES" : "ROWS ONLY");
        break;
    case SQL_GROUP_BY:
        put(sb, "GROUP BY ");
        if (n->flags & SQL_F_ALL)
            put(sb, "ALL");
        list(sb, n, ", ");
        break;
    case SQL_GROUPING_SETS:
        put(sb, "GROUPING SETS ");
        grouping_list(sb, n);
        break;
    case SQL_ROLLUP:
        put(sb, "ROLLUP ");
        grouping_list(sb, n);
        break;
    case SQL_CUBE:
        put(sb, "CUBE ");
        grouping_list(sb, n);
        break;
    case SQL_NAMED_WINDOW:
        node(sb, n->kids[0]);
        clause(sb, " AS ", n->kids[1]);
        break;
    case SQL_PIPE_OP:
        pipe_op(sb, n);
        break;
    case SQL_TABLE:
        node(sb, n->kids[0]);
        clause(sb, " ", n->kids[1]);
        break;
    case SQL_TABLE_FUNC:
        if (n->flags & SQL_F_LATERAL)
            put(sb, "LATERAL ");
        node(sb, n->kids[0]);
        paren_list(sb, n->kids[1]);
        clause(sb, " ", n->kids[2]);
        break;
    case SQL_DERIVED:
        if (n->flags & SQL_F_LATERAL)
            put(sb, "LATERAL ");
        if (n->flags & SQL_F_NO_PARENS) {
            node(sb, n->kids[0]);
        } else {
            put(sb, "(");
            node(sb, n->kids[0]);
            put(sb, ")");
        }
        clause(sb, " ", n->kids[1]);
        break;
    case SQL_NESTED_JOIN:
        put(sb, "(");
        node(sb, n->kids[0]);
        put(sb, ")");
        clause(sb, " ", n->kids[1]);
        break;
    case SQL_JOIN:
        join(sb, n);
        break;
    case SQL_TABLE_ALIAS:
        clause(sb, "AS ", n->kids[0]);
        if (n->kids[1] != NULL)
            paren_list(sb, n->kids[1]);
        break;
    default:
        break;
    }
}

/* ---- statements ---- */

static void if_not_exists(base_strbuf *sb, const sql_node *n)
{
    if (n->flags & SQL_F_IF_NOT_EXISTS)
        put(sb, "IF NOT EXISTS ");
}

static void create_prefix(base_strbuf *sb, const sql_node *n)
{
    put(sb, "CREATE ");
    if (n->flags & SQL_F_OR_REPLACE)
        put(sb, "OR REPLACE ");
    if (n->flags & SQL_F_TEMPORARY)
        put(sb, "TEMPORARY ");
}

static const char *object_text(int op)
{
    switch (op) {
    case SQL_OBJ_TABLE:
        return "TABLE ";
    case SQL_OBJ_VIEW:
        return "VIEW ";
    case SQL_OBJ_SCHEMA:
        return "SCHEMA ";
    case SQL_OBJ_DATABASE:
        return "DATABASE ";
    case SQL_OBJ_NAMESPACE:
        return "NAMESPACE ";
    case SQL_OBJ_USER:
        return "USER ";
    case SQL_OBJ_CATALOG:
        return "CATALOG ";
    default:
        return "FUNCTION ";
    }
}

static void options(base_strbuf *sb, const char *keyword, const sql_node *opts, const char *sep)
{
    if (opts == NULL)
        return;
    put(sb, keyword);
    put(sb, "(");
    for (uint32_t i = 0; i < opts->n_kids; i++) {
        if (i > 0)
            put(sb, ", ");
        node(sb, opts->kids[i]->kids[0]);
        put(sb, sep);
        node(sb, opts->kids[i]->kids[1]);
    }
    put(sb, ")");
}

static void external_table(base_strbuf *sb, const sql_node *n)
{
    put(sb, "CREATE ");
    if (n->flags & SQL_F_OR_REPLACE)
        put(sb, "OR REPLACE ");
    if (n->flags & SQL_F_UNBOUNDED)
        put(sb, "UNBOUNDED ");
    put(sb, (n->flags & SQL_F_TEMPORARY) ? "EXTERNAL TEMPORARY TABLE " : "EXTERNAL TABLE ");
    if_not_exists(sb, n);
    node(sb, n->kids[0]);
    if (n->kids[1] != NULL) {
        put(sb, " ");
        paren_list(sb, n->kids[1]);
    }
    clause(sb, " STORED AS ", n->kids[2]);
    if (n->kids[4] != NULL) {
        put(sb, " PARTITIONED BY ");
        paren_list(sb, n->kids[4]);
    }
    for (uint32_t i = 0; n->kids[5] != NULL && i < n->kids[5]->n_kids; i++) {
        put(sb, " WITH ORDER ");
        paren_list(sb, n->kids[5]->kids[i]);
    }
    options(sb, " OPTIONS ", n->kids[6], " ");
    clause(sb, " LOCATION ", n->kids[3]);
}

static void column_constraint(base_strbuf *sb, const sql_node *n)
{
    clause(sb, "CONSTRAINT ", n->kids[1]);
    if (n->kids[1] != NULL)
        put(sb, " ");
    switch (n->op) {
    case SQL_CONSTRAINT_NOT_NULL:
        put(sb, "NOT NULL");
        break;
    case SQL_CONSTRAINT_NULL:
        put(sb, "NULL");
        break;
    case SQL_CONSTRAINT_PRIMARY_KEY:
        put(sb, "PRIMARY KEY");
        break;
    case SQL_CONSTRAINT_UNIQUE:
        put(sb, "UNIQUE");
        break;
    case SQL_CONSTRAINT_DEFAULT:
        clause(sb, "DEFAULT ", n->kids[0]);
        break;
    default:
        put(sb, "CHECK (");
        node(sb, n->kids[0]);
        put(sb, ")");
        break;
    }
}

static void table_constraint(base_strbuf *sb, const sql_node *n)
{
    if (n->kids[0] != NULL) {
        clause(sb, "CONSTRAINT ", n->kids[0]);
        put(sb, " ");
    }
    switch (n->op) {
    case SQL_CONSTRAINT_PRIMARY_KEY:
        put(sb, "PRIMARY KEY ");
        paren_list(sb, n->kids[1]);
        break;
    case SQL_CONSTRAINT_UNIQUE:
        put(sb, "UNIQUE ");
        paren_list(sb, n->kids[1]);
        break;
    case SQL_CONSTRAINT_FOREIGN_KEY:
        put(sb, "FOREIGN KEY ");
        paren_list(sb, n->kids[1]);
        clause(sb, " REFERENCES ", n->kids[3]);
        if (n->kids[4] != NULL)
            paren_list(sb, n->kids[4]);
        break;
    default:
        put(sb, "CHECK (");
        node(sb, n->kids[2]);
        put(sb, ")");
        break;
    }
}

static void create_table(base_strbuf *sb, const sql_node *n)
{
    create_prefix(sb, n);
    static const char *const kinds[] = {"TABLE ", "USER TABLE ", "SHARED TABLE ", "STREAM TABLE "};
    put(sb, kinds[n->op >= 0 && n->op <= SQL_TABLE_KIND_STREAM ? n->op : 0]);
    if_not_exists(sb, n);
    node(sb, n->kids[0]);
    clause(sb, " LIKE ", n->kids[4]);
    if (n->kids[1] != NULL) {
        put(sb, " ");
        paren_list(sb, n->kids[1]);
    }
    options(sb, " WITH ", n->kids[3], " = ");
    clause(sb, " AS ", n->kids[2]);
}

static void set_statement(base_strbuf *sb, const sql_node *n)
{
    put(sb, "SET ");
    if (n->flags & SQL_F_LOCAL)
        put(sb, "LOCAL ");
    else if (n->flags & SQL_F_SESSION)
        put(sb, "SESSION ");
    if (n->op == SQL_SET_TIME_ZONE) {
        put(sb, "TIME ZONE ");
    } else {
        node(sb, n->kids[0]);
        put(sb, (n->flags & SQL_F_TO) ? " TO " : " = ");
    }
    list(sb, n->kids[1], ", ");
}

static void show(base_strbuf *sb, const sql_node *n)
{
    put(sb, "SHOW ");
    if (n->flags & SQL_F_FULL)
        put(sb, "FULL ");
    if (n->flags & SQL_F_EXTENDED)
        put(sb, "EXTENDED ");
    switch (n->op) {
    case SQL_SHOW_ALL:
        put(sb, "ALL");
        break;
    case SQL_SHOW_VARIABLE:
        list(sb, n->kids[0], " ");
        break;
    case SQL_SHOW_TABLES:
        put(sb, "TABLES");
        clause(sb, " FROM ", n->kids[0]);
        break;
    case SQL_SHOW_COLUMNS:
        clause(sb, "COLUMNS FROM ", n->kids[0]);
        break;
    case SQL_SHOW_FUNCTIONS:
        put(sb, "FUNCTIONS");
        break;
    case SQL_SHOW_CREATE_TABLE:
        clause(sb, "CREATE TABLE ", n->kids[0]);
        break;
    default:
        node(sb, n->kids[0]);
        break;
    }
    if (n->flags & SQL_F_VERBOSE)
        put(sb, " VERBOSE");
    clause(sb, " LIKE ", n->kids[1]);
    clause(sb, " WHERE ", n->kids[2]);
}

static void user_options(base_strbuf *sb, const sql_node *opts)
{
    for (uint32_t i = 0; opts != NULL && i < opts->n_kids; i++) {
        put(sb, " ");
        node(sb, opts->kids[i]->kids[0]);
        put(sb, " ");
        node(sb, opts->kids[i]->kids[1]);
    }
}

static void grant(base_strbuf *sb, const sql_node *n)
{
    put(sb, n->kind == SQL_GRANT ? "GRANT " : "REVOKE ");
    list(sb, n->kids[0], ", ");
    put(sb, " ON ");
    if (n->op != SQL_OBJ_TABLE)
        put(sb, object_text(n->op));
    node(sb, n->kids[1]);
    put(sb, n->kind == SQL_GRANT ? " TO " : " FROM ");
    list(sb, n->kids[2], ", ");
}

static void statement(base_strbuf *sb, const sql_node *n)
{
    switch (n->kind) {
    case SQL_CREATE_EXTERNAL_TABLE:
        external_table(sb, n);
        break;
    case SQL_COLUMN_DEF:
        node(sb, n->kids[0]);
        clause(sb, " ", n->kids[1]);
        if (n->kids[2] != NULL) {
            put(sb, " ");
            list(sb, n->kids[2], " ");
        }
        break;
    case SQL_COLUMN_CONSTRAINT:
        column_constraint(sb, n);
        break;
    case SQL_TABLE_CONSTRAINT:
        table_constraint(sb, n);
        break;
    case SQL_OPTION:
        node(sb, n->kids[0]);
        put(sb, " ");
        node(sb, n->kids[1]);
        break;
    case SQL_CREATE_TABLE:
        create_table(sb, n);
        break;
    case SQL_CREATE_VIEW:
        create_prefix(sb, n);
        put(sb, (n->flags & SQL_F_MATERIALIZED) ? "MATERIALIZED VIEW " : "VIEW ");
        if_not_exists(sb, n);
        node(sb, n->kids[0]);
        if (n->kids[1] != NULL) {
            put(sb, " ");
            paren_list(sb, n->kids[1]);
        }
        clause(sb, " AS ", n->kids[2]);
        break;
    case SQL_CREATE_SCHEMA:
        put(sb, "CREATE ");
        put(sb, object_text(n->op));
        if_not_exists(sb, n);
        node(sb, n->kids[0]);
        options(sb, " WITH ", n->kids[1], " = ");
        break;
    case SQL_DROP:
        put(sb, "DROP ");
        put(sb, object_text(n->op));
        if (n->flags & SQL_F_IF_EXISTS)
            put(sb, "IF EXISTS ");
        list(sb, n->kids[0], ", ");
        if (n->flags & SQL_F_CASCADE)
            put(sb, " CASCADE");
        else if (n->flags & SQL_F_RESTRICT)
            put(sb, " RESTRICT");
        break;
    case SQL_INSERT:
        put(sb, (n->flags & SQL_F_OVERWRITE) ? "INSERT OVERWRITE " : "INSERT INTO ");
        if (n->flags & SQL_F_TABLE_KEYWORD)
            put(sb, "TABLE ");
        node(sb, n->kids[0]);
        if (n->kids[1] != NULL) {
            put(sb, " ");
            paren_list(sb, n->kids[1]);
        }
        clause(sb, " ", n->kids[2]);
        break;
    case SQL_UPDATE:
        clause(sb, "UPDATE ", n->kids[0]);
        clause_list(sb, " SET ", n->kids[1]);
        clause_list(sb, " FROM ", n->kids[2]);
        clause(sb, " WHERE ", n->kids[3]);
        break;
    case SQL_ASSIGN:
        node(sb, n->kids[0]);
        clause(sb, " = ", n->kids[1]);
        break;
    case SQL_DELETE:
        clause(sb, "DELETE FROM ", n->kids[0]);
        clause(sb, " WHERE ", n->kids[1]);
        clause_list(sb, " ORDER BY ", n->kids[2]);
        clause(sb, " LIMIT ", n->kids[3]);
        break;
    case SQL_TRUNCATE:
        put(sb, (n->flags & SQL_F_TABLE_KEYWORD) ? "TRUNCATE TABLE " : "TRUNCATE ");
        if (n->flags & SQL_F_ONLY)
            put(sb, "ONLY ");
        list(sb, n->kids[0], ", ");
        if (n->kids[1] != NULL) {
            put(sb, " PARTITION ");
            paren_list(sb, n->kids[1]);
        }
        if (n->flags & SQL_F_RESTART_IDENTITY)
            put(sb, " RESTART IDENTITY");
        else if (n->flags & SQL_F_CONTINUE_IDENTITY)
            put(sb, " CONTINUE IDENTITY");
        if (n->flags & SQL_F_CASCADE)
            put(sb, " CASCADE");
        else if (n->flags & SQL_F_RESTRICT)
            put(sb, " RESTRICT");
        break;
    case SQL_COPY:
        put(sb, "COPY ");
        if (n->kids[0]->kind == SQL_QUERY) {
            put(sb, "(");
            node(sb, n->kids[0]);
            put(sb, ")");
        } else {
            node(sb, n->kids[0]);
        }
        if (n->kids[5] != NULL) {
            put(sb, " ");
            paren_list(sb, n->kids[5]);
        }
        clause(sb, " TO ", n->kids[1]);
        clause(sb, " STORED AS ", n->kids[2]);
        if (n->kids[3] != NULL) {
            put(sb, " PARTITIONED BY ");
            paren_list(sb, n->kids[3]);
        }
        options(sb, " OPTIONS ", n->kids[4], " ");
        break;
    case SQL_PREPARE:
        clause(sb, "PREPARE ", n->kids[0]);
        if (n->kids[1] != NULL)
            paren_list(sb, n->kids[1]);
        clause(sb, " AS ", n->kids[2]);
        break;
    case SQL_EXECUTE:
        put(sb, "EXECUTE");
        clause(sb, " ", n->kids[0]);
        if (n->kids[1] != NULL)
            paren_list(sb, n->kids[1]);
        break;
    case SQL_DEALLOCATE:
        put(sb, (n->flags & SQL_F_PREPARE_KEYWORD) ? "DEALLOCATE PREPARE " : "DEALLOCATE ");
        node(sb, n->kids[0]);
        break;
    case SQL_SET:
        set_statement(sb, n);
        break;
    case SQL_SHOW:
        show(sb, n);
        break;
    case SQL_RESET:
        put(sb, (n->flags & SQL_F_ALL) ? "RESET ALL" : "RESET ");
        node(sb, n->kids[0]);
        break;
    case SQL_DESCRIBE:
        clause(sb, "DESCRIBE ", n->kids[0]);
        break;
    case SQL_EXPLAIN:
        put(sb, "EXPLAIN ");
        if (n->flags & SQL_F_ANALYZE)
            put(sb, "ANALYZE ");
        if (n->flags & SQL_F_VERBOSE)
            put(sb, "VERBOSE ");
        if (n->kids[1] != NULL) {
            clause(sb, "FORMAT ", n->kids[1]);
            put(sb, " ");
        }
        node(sb, n->kids[0]);
        break;
    case SQL_CREATE_USER:
        put(sb, "CREATE USER ");
        if_not_exists(sb, n);
        node(sb, n->kids[0]);
        user_options(sb, n->kids[1]);
        break;
    case SQL_ALTER_USER:
        clause(sb, "ALTER USER ", n->kids[0]);
        user_options(sb, n->kids[1]);
        break;
    case SQL_GRANT:
    case SQL_REVOKE:
        grant(sb, n);
        break;
    default:
        break;
    }
}

static void node(base_strbuf *sb, const sql_node *n)
{
    if (n == NULL)
        return;
    switch (n->kind) {
    case SQL_LIST:
        list(sb, n, ", ");
        break;
    case SQL_IDENT:
        ident(sb, n);
        break;
    case SQL_NAME:
        list(sb, n, ".");
        break;
    case SQL_LITERAL:
        literal(sb, n);
        break;
    case SQL_TYPE:
        type(sb, n);
        break;
    default:
        if (n->kind >= SQL_QUERY && n->kind <= SQL_TABLE_ALIAS)
            query_part(sb, n);
        else if (n->kind >= SQL_CREATE_EXTERNAL_TABLE)
            statement(sb, n);
        else
            expression(sb, n);
        break;
    }
}

void sql_unparse(const sql_node *n, base_strbuf *sb)
{
    node(sb, n);
}

char *sql_unparse_to_string(const sql_node *n)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    node(&sb, n);
    return base_strbuf_take(&sb);
}
