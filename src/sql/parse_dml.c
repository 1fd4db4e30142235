/*
 * parse_dml.c — statements that change or move data (layer: sql): INSERT
 * [INTO | OVERWRITE], UPDATE ... SET ... [FROM] [WHERE], DELETE, TRUNCATE and
 * DataFusion's COPY (query | table) TO 'path' [STORED AS] [PARTITIONED BY]
 * [OPTIONS].
 */
#include "sql_int.h"

/* True at '(' that opens a query rather than a column list. */
static bool at_paren_query(const sql_parser *p)
{
    const sql_token *next = sql_peek(p, 1);
    return sql_at_punct(p, SQL_P_LPAREN) &&
           (sql_is_kw(next, SQL_KW_SELECT) || sql_is_kw(next, SQL_KW_WITH) ||
            sql_is_kw(next, SQL_KW_VALUES) || sql_is_punct(next, SQL_P_LPAREN));
}

qv_status sql_parse_insert(sql_parser *p, sql_node **out)
{
    sql_node *insert;
    QV_TRY(sql_node_new(p, SQL_INSERT, sql_tok(p), 3, &insert));
    sql_advance(p); /* INSERT */
    if (sql_accept_kw(p, SQL_KW_OVERWRITE))
        insert->flags |= SQL_F_OVERWRITE;
    else
        QV_TRY(sql_expect_kw(p, SQL_KW_INTO));
    if (sql_accept_kw(p, SQL_KW_TABLE))
        insert->flags |= SQL_F_TABLE_KEYWORD;
    QV_TRY(sql_parse_object_name(p, &insert->kids[0]));
    if (sql_at_punct(p, SQL_P_LPAREN) && !at_paren_query(p))
        QV_TRY(sql_parse_paren_ident_list(p, &insert->kids[1]));
    if (!sql_at_query_start(p))
        return sql_error_expected(p, "SELECT, VALUES, or a subquery in the query body");
    QV_TRY(sql_parse_query(p, &insert->kids[2]));
    *out = insert;
    return QV_OK;
}

qv_status sql_parse_update(sql_parser *p, sql_node **out)
{
    sql_node *update, *table;
    QV_TRY(sql_node_new(p, SQL_UPDATE, sql_tok(p), 4, &update));
    sql_advance(p); /* UPDATE */
    QV_TRY(sql_node_new(p, SQL_TABLE, sql_tok(p), 2, &table));
    QV_TRY(sql_parse_object_name(p, &table->kids[0]));
    QV_TRY(sql_parse_table_alias(p, &table->kids[1]));
    update->kids[0] = table;
    QV_TRY(sql_expect_kw(p, SQL_KW_SET));
    QV_TRY(sql_list_new(p, sql_tok(p), &update->kids[1]));
    do {
        sql_node *assign;
        QV_TRY(sql_node_new(p, SQL_ASSIGN, sql_tok(p), 2, &assign));
        QV_TRY(sql_parse_object_name(p, &assign->kids[0]));
        QV_TRY(sql_expect_punct(p, SQL_P_EQ));
        QV_TRY(sql_parse_expr(p, &assign->kids[1]));
        QV_TRY(sql_list_push(p, update->kids[1], assign));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    if (sql_accept_kw(p, SQL_KW_FROM))
        QV_TRY(sql_parse_from_list(p, &update->kids[2]));
    if (sql_accept_kw(p, SQL_KW_WHERE))
        QV_TRY(sql_parse_expr(p, &update->kids[3]));
    *out = update;
    return QV_OK;
}

qv_status sql_parse_delete(sql_parser *p, sql_node **out)
{
    sql_node *del;
    QV_TRY(sql_node_new(p, SQL_DELETE, sql_tok(p), 4, &del));
    sql_advance(p); /* DELETE */
    QV_TRY(sql_expect_kw(p, SQL_KW_FROM));
    QV_TRY(sql_parse_object_name(p, &del->kids[0]));
    if (sql_accept_kw(p, SQL_KW_WHERE))
        QV_TRY(sql_parse_expr(p, &del->kids[1]));
    if (sql_accept_kws(p, SQL_KW_ORDER, SQL_KW_BY))
        QV_TRY(sql_parse_order_by_list(p, &del->kids[2]));
    if (sql_accept_kw(p, SQL_KW_LIMIT))
        QV_TRY(sql_parse_expr(p, &del->kids[3]));
    *out = del;
    return QV_OK;
}

qv_status sql_parse_truncate(sql_parser *p, sql_node **out)
{
    sql_node *truncate;
    QV_TRY(sql_node_new(p, SQL_TRUNCATE, sql_tok(p), 2, &truncate));
    sql_advance(p); /* TRUNCATE */
    if (sql_accept_kw(p, SQL_KW_TABLE))
        truncate->flags |= SQL_F_TABLE_KEYWORD;
    if (sql_accept_kw(p, SQL_KW_ONLY))
        truncate->flags |= SQL_F_ONLY;
    QV_TRY(sql_list_new(p, sql_tok(p), &truncate->kids[0]));
    do {
        sql_node *name;
        QV_TRY(sql_parse_object_name(p, &name));
        QV_TRY(sql_list_push(p, truncate->kids[0], name));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    if (sql_accept_kw(p, SQL_KW_PARTITION)) {
        QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
        QV_TRY(sql_parse_expr_list(p, &truncate->kids[1]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    }
    if (sql_accept_kws(p, SQL_KW_RESTART, SQL_KW_IDENTITY))
        truncate->flags |= SQL_F_RESTART_IDENTITY;
    else if (sql_accept_kws(p, SQL_KW_CONTINUE, SQL_KW_IDENTITY))
        truncate->flags |= SQL_F_CONTINUE_IDENTITY;
    if (sql_accept_kw(p, SQL_KW_CASCADE))
        truncate->flags |= SQL_F_CASCADE;
    else if (sql_accept_kw(p, SQL_KW_RESTRICT))
        truncate->flags |= SQL_F_RESTRICT;
    *out = truncate;
    return QV_OK;
}

static qv_status copy_clause_once(sql_parser *p, const sql_token *at, const sql_node *slot,
                                  const char *clause)
{
    if (slot == NULL)
        return QV_OK;
    return sql_error_plain(p, at, "%s specified more than once", clause);
}

qv_status sql_parse_copy(sql_parser *p, sql_node **out)
{
    sql_node *copy;
    QV_TRY(sql_node_new(p, SQL_COPY, sql_tok(p), 6, &copy));
    sql_advance(p); /* COPY */
    if (sql_accept_punct(p, SQL_P_LPAREN)) {
        QV_TRY(sql_parse_query(p, &copy->kids[0]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    } else {
        QV_TRY(sql_parse_object_name(p, &copy->kids[0]));
        if (sql_at_punct(p, SQL_P_LPAREN))
            QV_TRY(sql_parse_paren_ident_list(p, &copy->kids[5]));
    }
    /* The clauses in any order, TO included, with DataFusion's messages. */
    for (;;) {
        const sql_token *tok = sql_tok(p);
        if (tok->type == SQL_TOK_EOF || sql_is_punct(tok, SQL_P_SEMICOLON))
            break;
        if (sql_accept_kw(p, SQL_KW_STORED)) {
            QV_TRY(sql_expect_kw(p, SQL_KW_AS));
            QV_TRY(copy_clause_once(p, tok, copy->kids[2], "STORED AS"));
            QV_TRY(sql_parse_file_format(p, &copy->kids[2]));
        } else if (sql_accept_kw(p, SQL_KW_TO)) {
            QV_TRY(copy_clause_once(p, tok, copy->kids[1], "TO"));
            if (sql_tok(p)->type != SQL_TOK_STRING)
                return sql_error_expected(p, "literal string");
            QV_TRY(sql_parse_literal(p, &copy->kids[1]));
        } else if (sql_accept_kw(p, SQL_KW_PARTITIONED)) {
            QV_TRY(sql_expect_kw(p, SQL_KW_BY));
            QV_TRY(copy_clause_once(p, tok, copy->kids[3], "PARTITIONED BY"));
            QV_TRY(sql_parse_partition_list(p, false, &copy->kids[3]));
        } else if (sql_accept_kw(p, SQL_KW_OPTIONS)) {
            QV_TRY(copy_clause_once(p, tok, copy->kids[4], "OPTIONS"));
            QV_TRY(sql_parse_options_list(p, false, &copy->kids[4]));
        } else if (sql_accept_kw(p, SQL_KW_WITH)) {
            QV_TRY(sql_expect_kw(p, SQL_KW_HEADER));
            QV_TRY(sql_expect_kw(p, SQL_KW_ROW));
            return sql_error_plain(p, tok,
                                   "WITH HEADER ROW clause is no longer in use. Please use the "
                                   "OPTIONS clause with 'format.has_header' set appropriately, "
                                   "e.g., OPTIONS ('format.has_header' 'true')");
        } else {
            static const sql_keyword clauses[] = {SQL_KW_STORED, SQL_KW_TO, SQL_KW_PARTITIONED,
                                                  SQL_KW_OPTIONS};
            return sql_error_expected_kw(p, "end of statement or ;", clauses, 4);
        }
    }
    if (copy->kids[1] == NULL)
        return sql_error_plain(p, sql_tok(p), "Missing TO clause in COPY statement");
    *out = copy;
    return QV_OK;
}
