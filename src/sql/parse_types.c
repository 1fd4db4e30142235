/*
 * parse_types.c — SQL type names to SQL_TYPE nodes (layer: sql).
 *
 * Accepts every spelling sqlparser-rs's generic dialect accepts and DataFusion
 * maps (INT, INT UNSIGNED, BIGINT, DECIMAL(p, s), VARCHAR, STRING, DOUBLE
 * PRECISION, CHARACTER VARYING, TIMESTAMP [(p)] WITH[OUT] TIME ZONE, INT[],
 * ARRAY<T>, STRUCT<a T> / STRUCT(a T), MAP<K, V>...) plus any other word as a
 * custom type name, which the binder rejects or resolves. Names are stored
 * upper-cased, words joined by one space; the binder does the mapping to
 * Arrow types.
 */
#include <string.h>

#include "sql_int.h"

static const char *const builtin_type_names[] = {
    "BIGINT",   "BINARY",   "BLOB",     "BOOL",     "BOOLEAN",  "BYTEA",    "CHAR",
    "CHARACTER", "DATE",    "DATETIME", "DEC",      "DECIMAL",  "DOUBLE",   "FLOAT",
    "FLOAT4",   "FLOAT8",   "INT",      "INT2",     "INT4",     "INT8",     "INTEGER",
    "JSON",     "NUMERIC",  "REAL",     "SMALLINT", "STRING",   "TEXT",     "TIME",
    "TIMESTAMP", "TIMESTAMPTZ", "TINYINT", "UUID",  "VARBINARY", "VARCHAR",
};

static bool word_equals(const sql_parser *p, const sql_token *tok, const char *upper)
{
    return tok->type == SQL_TOK_WORD && strlen(upper) == tok->len &&
           sql_keyword_distance(p->sql + tok->pos.offset, tok->len, upper) == 0;
}

bool sql_token_is_type_name(const sql_token *tok)
{
    if (tok->type != SQL_TOK_WORD || tok->len > 12)
        return false;
    char upper[16];
    for (uint32_t i = 0; i < tok->len; i++) {
        char c = tok->value[i];
        upper[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    upper[tok->len] = '\0';
    size_t lo = 0, hi = sizeof builtin_type_names / sizeof builtin_type_names[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(upper, builtin_type_names[mid]);
        if (cmp == 0)
            return true;
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/* Consumes a '>' closing an angle-bracketed type, splitting a '>>' token in
 * two (ARRAY<ARRAY<INT>>). */
static qv_status expect_close_angle(sql_parser *p)
{
    if (sql_at_punct(p, SQL_P_SHR)) {
        sql_token *tok = &p->toks[p->cur];
        tok->punct = SQL_P_GT;
        tok->pos.offset++;
        tok->pos.column++;
        tok->len = 1;
        tok->value++;
        tok->value_len = 1;
        return QV_OK;
    }
    return sql_expect_punct(p, SQL_P_GT);
}

static qv_status append_upper(sql_parser *p, base_strbuf *sb, const sql_token *tok)
{
    if (sb->len > 0)
        base_strbuf_append_char(sb, ' ');
    for (uint32_t i = 0; i < tok->len; i++) {
        char c = p->sql[tok->pos.offset + i];
        base_strbuf_append_char(sb, c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
    }
    sql_advance(p);
    return QV_OK;
}

/* ( n [, n] ) after a type name. */
static qv_status parse_type_params(sql_parser *p, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    sql_advance(p); /* ( */
    do {
        sql_node *param;
        if (sql_tok(p)->type == SQL_TOK_WORD || sql_tok(p)->type == SQL_TOK_QIDENT)
            QV_TRY(sql_parse_ident(p, &param));
        else
            QV_TRY(sql_parse_literal(p, &param));
        QV_TRY(sql_list_push(p, list, param));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = list;
    return QV_OK;
}

static qv_status parse_struct_fields(sql_parser *p, bool angle, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    sql_advance(p); /* < or ( */
    do {
        sql_node *field;
        QV_TRY(sql_node_new(p, SQL_COLUMN_DEF, sql_tok(p), 3, &field));
        const sql_token *next = sql_peek(p, 1);
        if (next->type == SQL_TOK_WORD || next->type == SQL_TOK_QIDENT)
            QV_TRY(sql_parse_ident(p, &field->kids[0])); /* else a field with no name */
        QV_TRY(sql_parse_type(p, &field->kids[1]));
        QV_TRY(sql_list_push(p, list, field));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    if (angle)
        QV_TRY(expect_close_angle(p));
    else
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    *out = list;
    return QV_OK;
}

static qv_status parse_base_type(sql_parser *p, sql_node *type)
{
    const sql_token *tok = sql_tok(p);
    const sql_token *next = sql_peek(p, 1);
    if (sql_is_kw(tok, SQL_KW_ARRAY) && sql_is_punct(next, SQL_P_LT)) {
        type->op = SQL_TYPE_ARRAY_ANGLE;
        p->cur += 2;
        QV_TRY(sql_parse_type(p, &type->kids[0]));
        return expect_close_angle(p);
    }
    if (sql_is_kw(tok, SQL_KW_STRUCT) &&
        (sql_is_punct(next, SQL_P_LT) || sql_is_punct(next, SQL_P_LPAREN))) {
        type->op = SQL_TYPE_STRUCT;
        bool angle = sql_is_punct(next, SQL_P_LT);
        type->flags |= angle ? SQL_F_ANGLE : 0;
        sql_advance(p);
        return parse_struct_fields(p, angle, &type->kids[0]);
    }
    if (sql_is_kw(tok, SQL_KW_MAP) &&
        (sql_is_punct(next, SQL_P_LT) || sql_is_punct(next, SQL_P_LPAREN))) {
        type->op = SQL_TYPE_MAP;
        bool angle = sql_is_punct(next, SQL_P_LT);
        type->flags |= angle ? SQL_F_ANGLE : 0;
        p->cur += 2;
        QV_TRY(sql_parse_type(p, &type->kids[0]));
        QV_TRY(sql_expect_punct(p, SQL_P_COMMA));
        QV_TRY(sql_parse_type(p, &type->kids[1]));
        return angle ? expect_close_angle(p) : sql_expect_punct(p, SQL_P_RPAREN);
    }
    if (tok->type != SQL_TOK_WORD)
        return sql_error_expected(p, "a data type name");
    type->op = SQL_TYPE_NAMED;
    base_strbuf name;
    base_strbuf_init(&name);
    append_upper(p, &name, tok);
    const sql_token *cur = sql_tok(p);
    if ((word_equals(p, tok, "DOUBLE") && sql_is_kw(cur, SQL_KW_PRECISION)) ||
        ((word_equals(p, tok, "CHARACTER") || word_equals(p, tok, "CHAR")) &&
         sql_is_kw(cur, SQL_KW_VARYING)))
        append_upper(p, &name, cur);
    if (base_strbuf_failed(&name)) {
        base_strbuf_free(&name);
        return base_error_nomem(p->err, "SQL type name");
    }
    qv_status status = sql_node_set_text(p, type, name.data, name.len);
    base_strbuf_free(&name);
    QV_TRY(status);
    if (sql_at_punct(p, SQL_P_LPAREN))
        QV_TRY(parse_type_params(p, &type->kids[0]));
    if (sql_accept_kw(p, SQL_KW_UNSIGNED))
        type->flags |= SQL_F_UNSIGNED;
    if ((sql_at_kw(p, SQL_KW_WITH) || sql_at_kw(p, SQL_KW_WITHOUT)) &&
        sql_is_kw(sql_peek(p, 1), SQL_KW_TIME) && sql_is_kw(sql_peek(p, 2), SQL_KW_ZONE)) {
        type->flags |= sql_at_kw(p, SQL_KW_WITH) ? SQL_F_WITH_TZ : SQL_F_WITHOUT_TZ;
        p->cur += 3;
    }
    return QV_OK;
}

qv_status sql_parse_type(sql_parser *p, sql_node **out)
{
    QV_TRY(sql_enter(p));
    sql_node *type;
    QV_TRY(sql_node_new(p, SQL_TYPE, sql_tok(p), 2, &type));
    QV_TRY(parse_base_type(p, type));
    uint32_t wraps = 0;
    while (sql_at_punct(p, SQL_P_LBRACKET)) {
        QV_TRY(sql_enter(p));
        wraps++;
        sql_node *array;
        QV_TRY(sql_node_new(p, SQL_TYPE, sql_tok(p), 2, &array));
        array->op = SQL_TYPE_ARRAY;
        array->pos = type->pos;
        array->kids[0] = type;
        sql_advance(p);
        if (sql_tok(p)->type == SQL_TOK_NUMBER)
            QV_TRY(sql_parse_literal(p, &array->kids[1]));
        QV_TRY(sql_expect_punct(p, SQL_P_RBRACKET));
        type = array;
    }
    p->depth -= wraps;
    sql_leave(p);
    *out = type;
    return QV_OK;
}
