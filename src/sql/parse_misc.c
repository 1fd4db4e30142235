/*
 * parse_misc.c — session and utility statements (layer: sql): EXPLAIN,
 * SET / SHOW / RESET, DESCRIBE, PREPARE / EXECUTE / DEALLOCATE, and the user
 * statements Quiver's server will execute: ALTER USER, GRANT, REVOKE
 * (CREATE / DROP USER live with the other CREATE / DROP forms).
 */
#include "sql_int.h"

static qv_status parse_explain(sql_parser *p, sql_node **out)
{
    sql_node *explain;
    QV_TRY(sql_node_new(p, SQL_EXPLAIN, sql_tok(p), 2, &explain));
    sql_advance(p); /* EXPLAIN */
    if (sql_accept_kw(p, SQL_KW_ANALYZE))
        explain->flags |= SQL_F_ANALYZE;
    if (sql_accept_kw(p, SQL_KW_VERBOSE))
        explain->flags |= SQL_F_VERBOSE;
    if (sql_accept_kw(p, SQL_KW_FORMAT)) {
        const sql_token *format = sql_tok(p);
        if (format->type != SQL_TOK_WORD && format->type != SQL_TOK_QIDENT)
            return sql_error_expected(p, "an explain format such as TREE");
        QV_TRY(sql_parse_ident(p, &explain->kids[1]));
    }
    QV_TRY(sql_enter(p));
    QV_TRY(sql_parse_statement(p, &explain->kids[0]));
    sql_leave(p);
    *out = explain;
    return QV_OK;
}

static qv_status parse_set(sql_parser *p, sql_node **out)
{
    sql_node *set;
    QV_TRY(sql_node_new(p, SQL_SET, sql_tok(p), 2, &set));
    sql_advance(p); /* SET */
    if (sql_accept_kw(p, SQL_KW_LOCAL))
        set->flags |= SQL_F_LOCAL;
    else if (sql_accept_kw(p, SQL_KW_SESSION))
        set->flags |= SQL_F_SESSION;
    if (sql_at_kw(p, SQL_KW_TIME) && sql_is_kw(sql_peek(p, 1), SQL_KW_ZONE)) {
        p->cur += 2;
        set->op = SQL_SET_TIME_ZONE;
        if (!sql_accept_kw(p, SQL_KW_TO))
            sql_accept_punct(p, SQL_P_EQ);
    } else {
        set->op = SQL_SET_VARIABLE;
        QV_TRY(sql_parse_object_name(p, &set->kids[0]));
        if (sql_accept_kw(p, SQL_KW_TO))
            set->flags |= SQL_F_TO;
        else if (!sql_accept_punct(p, SQL_P_EQ))
            return sql_error_expected(p, "equals sign or TO");
    }
    QV_TRY(sql_parse_expr_list(p, &set->kids[1]));
    *out = set;
    return QV_OK;
}

/* SHOW's variable: every word up to the end of the statement, dots
 * skipped (sqlparser-rs's parse_identifiers), so that `SHOW TIME ZONE` and
 * `SHOW datafusion.execution.batch_size VERBOSE` name their words; a last
 * VERBOSE becomes SQL_F_VERBOSE. */
static qv_status parse_show_words(sql_parser *p, sql_node *show)
{
    sql_node *name;
    QV_TRY(sql_node_new(p, SQL_NAME, sql_tok(p), 0, &name));
    bool last_verbose = false;
    while (!sql_at_punct(p, SQL_P_SEMICOLON) && sql_tok(p)->type != SQL_TOK_EOF) {
        if (sql_accept_punct(p, SQL_P_PERIOD))
            continue;
        last_verbose = sql_at_kw(p, SQL_KW_VERBOSE);
        sql_node *part;
        QV_TRY(sql_parse_ident(p, &part));
        QV_TRY(sql_list_push(p, name, part));
    }
    if (last_verbose) {
        show->flags |= SQL_F_VERBOSE;
        name->n_kids--;
    }
    show->kids[0] = name;
    return QV_OK;
}

static qv_status parse_show(sql_parser *p, sql_node **out)
{
    sql_node *show;
    QV_TRY(sql_node_new(p, SQL_SHOW, sql_tok(p), 3, &show));
    sql_advance(p); /* SHOW */
    if (sql_accept_kw(p, SQL_KW_FULL))
        show->flags |= SQL_F_FULL;
    if (sql_accept_kw(p, SQL_KW_EXTENDED))
        show->flags |= SQL_F_EXTENDED;
    if (sql_accept_kw(p, SQL_KW_ALL)) {
        show->op = SQL_SHOW_ALL;
        if (sql_accept_kw(p, SQL_KW_VERBOSE))
            show->flags |= SQL_F_VERBOSE;
    } else if (sql_accept_kw(p, SQL_KW_TABLES)) {
        show->op = SQL_SHOW_TABLES;
        if (sql_accept_kw(p, SQL_KW_FROM) || sql_accept_kw(p, SQL_KW_IN))
            QV_TRY(sql_parse_object_name(p, &show->kids[0]));
    } else if (sql_accept_kw(p, SQL_KW_COLUMNS) || sql_accept_kw(p, SQL_KW_FIELDS)) {
        show->op = SQL_SHOW_COLUMNS;
        if (!sql_accept_kw(p, SQL_KW_FROM) && !sql_accept_kw(p, SQL_KW_IN))
            return sql_error_expected(p, "FROM or IN");
        QV_TRY(sql_parse_object_name(p, &show->kids[0]));
        if (sql_accept_kw(p, SQL_KW_FROM) || sql_accept_kw(p, SQL_KW_IN)) {
            /* SHOW COLUMNS FROM t FROM db: the name db.t */
            sql_node *table = show->kids[0], *db;
            QV_TRY(sql_parse_object_name(p, &db));
            for (uint32_t i = 0; i < table->n_kids; i++)
                QV_TRY(sql_list_push(p, db, table->kids[i]));
            show->kids[0] = db;
        }
    } else if (sql_accept_kw(p, SQL_KW_FUNCTIONS)) {
        show->op = SQL_SHOW_FUNCTIONS;
    } else if (sql_accept_kws(p, SQL_KW_CREATE, SQL_KW_TABLE)) {
        show->op = SQL_SHOW_CREATE_TABLE;
        QV_TRY(sql_parse_object_name(p, &show->kids[0]));
    } else {
        show->op = SQL_SHOW_VARIABLE;
        QV_TRY(parse_show_words(p, show));
    }
    if (show->op != SQL_SHOW_VARIABLE && show->op != SQL_SHOW_CREATE_TABLE) {
        if (sql_accept_kw(p, SQL_KW_LIKE)) {
            if (sql_tok(p)->type != SQL_TOK_STRING)
                return sql_error_expected(p, "literal string");
            QV_TRY(sql_parse_literal(p, &show->kids[1]));
        } else if (sql_accept_kw(p, SQL_KW_WHERE)) {
            QV_TRY(sql_parse_expr(p, &show->kids[2]));
        }
    }
    *out = show;
    return QV_OK;
}

static qv_status parse_reset(sql_parser *p, sql_node **out)
{
    sql_node *reset;
    QV_TRY(sql_node_new(p, SQL_RESET, sql_tok(p), 1, &reset));
    sql_advance(p); /* RESET */
    if (sql_accept_kw(p, SQL_KW_ALL))
        reset->flags |= SQL_F_ALL;
    else
        QV_TRY(sql_parse_object_name(p, &reset->kids[0]));
    *out = reset;
    return QV_OK;
}

static qv_status parse_describe(sql_parser *p, sql_node **out)
{
    sql_node *describe;
    QV_TRY(sql_node_new(p, SQL_DESCRIBE, sql_tok(p), 1, &describe));
    sql_advance(p); /* DESCRIBE / DESC */
    static const sql_keyword statements[] = {
        SQL_KW_CREATE,   SQL_KW_DROP, SQL_KW_INSERT,  SQL_KW_UPDATE,  SQL_KW_DELETE,
        SQL_KW_TRUNCATE, SQL_KW_COPY, SQL_KW_EXPLAIN, SQL_KW_PREPARE, SQL_KW_EXECUTE,
    };
    bool statement = sql_at_query_start(p);
    for (size_t i = 0; i < sizeof statements / sizeof statements[0] && !statement; i++)
        statement = sql_at_kw(p, statements[i]) && !sql_is_punct(sql_peek(p, 1), SQL_P_PERIOD) &&
                    sql_peek(p, 1)->type != SQL_TOK_EOF &&
                    !sql_is_punct(sql_peek(p, 1), SQL_P_SEMICOLON);
    if (statement) {
        /* DESCRIBE <statement> (only queries can be described) */
        QV_TRY(sql_enter(p));
        QV_TRY(sql_parse_statement(p, &describe->kids[0]));
        sql_leave(p);
    } else {
        QV_TRY(sql_parse_object_name(p, &describe->kids[0]));
    }
    *out = describe;
    return QV_OK;
}

static qv_status parse_prepare(sql_parser *p, sql_node **out)
{
    sql_node *prepare;
    QV_TRY(sql_node_new(p, SQL_PREPARE, sql_tok(p), 3, &prepare));
    sql_advance(p); /* PREPARE */
    QV_TRY(sql_parse_ident(p, &prepare->kids[0]));
    if (sql_accept_punct(p, SQL_P_LPAREN)) {
        QV_TRY(sql_list_new(p, sql_tok(p), &prepare->kids[1]));
        do {
            sql_node *type;
            QV_TRY(sql_parse_type(p, &type));
            QV_TRY(sql_list_push(p, prepare->kids[1], type));
        } while (sql_accept_punct(p, SQL_P_COMMA));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    }
    QV_TRY(sql_expect_kw(p, SQL_KW_AS));
    QV_TRY(sql_enter(p));
    QV_TRY(sql_parse_statement(p, &prepare->kids[2]));
    sql_leave(p);
    *out = prepare;
    return QV_OK;
}

static qv_status parse_execute(sql_parser *p, sql_node **out)
{
    sql_node *execute;
    QV_TRY(sql_node_new(p, SQL_EXECUTE, sql_tok(p), 2, &execute));
    sql_advance(p); /* EXECUTE / EXEC */
    /* EXECUTE (args) without a name parses (as in sqlparser-rs); running it
     * is an error. */
    if (!sql_at_punct(p, SQL_P_LPAREN))
        QV_TRY(sql_parse_ident(p, &execute->kids[0]));
    if (sql_accept_punct(p, SQL_P_LPAREN)) {
        if (sql_at_punct(p, SQL_P_RPAREN))
            QV_TRY(sql_list_new(p, sql_tok(p), &execute->kids[1]));
        else
            QV_TRY(sql_parse_expr_list(p, &execute->kids[1]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    }
    *out = execute;
    return QV_OK;
}

static qv_status parse_deallocate(sql_parser *p, sql_node **out)
{
    sql_node *deallocate;
    QV_TRY(sql_node_new(p, SQL_DEALLOCATE, sql_tok(p), 1, &deallocate));
    sql_advance(p); /* DEALLOCATE */
    if (sql_accept_kw(p, SQL_KW_PREPARE))
        deallocate->flags |= SQL_F_PREPARE_KEYWORD;
    QV_TRY(sql_parse_ident(p, &deallocate->kids[0]));
    *out = deallocate;
    return QV_OK;
}

qv_status sql_parse_misc(sql_parser *p, sql_node **out)
{
    switch (sql_tok(p)->kw) {
    case SQL_KW_EXPLAIN:
        return parse_explain(p, out);
    case SQL_KW_SET:
        return parse_set(p, out);
    case SQL_KW_SHOW:
        return parse_show(p, out);
    case SQL_KW_RESET:
        return parse_reset(p, out);
    case SQL_KW_PREPARE:
        return parse_prepare(p, out);
    case SQL_KW_EXEC:
    case SQL_KW_EXECUTE:
        return parse_execute(p, out);
    case SQL_KW_DEALLOCATE:
        return parse_deallocate(p, out);
    default:
        return parse_describe(p, out);
    }
}

/* ---- ALTER USER, GRANT, REVOKE ---- */

static qv_status parse_alter_user(sql_parser *p, sql_node **out)
{
    sql_node *alter;
    QV_TRY(sql_node_new(p, SQL_ALTER_USER, sql_tok(p), 2, &alter));
    sql_advance(p); /* ALTER */
    QV_TRY(sql_expect_kw(p, SQL_KW_USER));
    QV_TRY(sql_parse_ident(p, &alter->kids[0]));
    QV_TRY(sql_parse_user_options(p, &alter->kids[1]));
    if (alter->kids[1]->n_kids == 0)
        return sql_error_expected(p, "a user option such as PASSWORD or ROLE");
    *out = alter;
    return QV_OK;
}

/* GRANT privileges ON [object kind] name TO grantees (REVOKE: FROM). */
static qv_status parse_grant(sql_parser *p, bool revoke, sql_node **out)
{
    sql_node *grant;
    QV_TRY(sql_node_new(p, revoke ? SQL_REVOKE : SQL_GRANT, sql_tok(p), 3, &grant));
    sql_advance(p); /* GRANT / REVOKE */
    QV_TRY(sql_list_new(p, sql_tok(p), &grant->kids[0]));
    do {
        sql_node *privilege;
        if (sql_tok(p)->type != SQL_TOK_WORD)
            return sql_error_expected(p, "a privilege keyword");
        QV_TRY(sql_parse_ident(p, &privilege));
        QV_TRY(sql_list_push(p, grant->kids[0], privilege));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    QV_TRY(sql_expect_kw(p, SQL_KW_ON));
    grant->op = SQL_OBJ_TABLE;
    if (sql_accept_kw(p, SQL_KW_NAMESPACE))
        grant->op = SQL_OBJ_NAMESPACE;
    else if (sql_accept_kw(p, SQL_KW_SCHEMA))
        grant->op = SQL_OBJ_SCHEMA;
    else if (sql_accept_kw(p, SQL_KW_DATABASE))
        grant->op = SQL_OBJ_DATABASE;
    else
        sql_accept_kw(p, SQL_KW_TABLE);
    QV_TRY(sql_parse_object_name(p, &grant->kids[1]));
    QV_TRY(sql_expect_kw(p, revoke ? SQL_KW_FROM : SQL_KW_TO));
    QV_TRY(sql_list_new(p, sql_tok(p), &grant->kids[2]));
    do {
        sql_node *grantee;
        QV_TRY(sql_parse_ident(p, &grantee));
        QV_TRY(sql_list_push(p, grant->kids[2], grantee));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    *out = grant;
    return QV_OK;
}

qv_status sql_parse_user_stmt(sql_parser *p, sql_node **out)
{
    switch (sql_tok(p)->kw) {
    case SQL_KW_ALTER:
        return parse_alter_user(p, out);
    case SQL_KW_GRANT:
        return parse_grant(p, false, out);
    default:
        return parse_grant(p, true, out);
    }
}
