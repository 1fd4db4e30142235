/*
 * parse_ddl.c — CREATE and DROP statements (layer: sql): DataFusion's
 * CREATE EXTERNAL TABLE in its exact grammar (clauses in any order, each at
 * most once except WITH ORDER, DataFusion's messages for missing, repeated
 * and removed clauses), CREATE TABLE / VIEW / SCHEMA / DATABASE, Quiver's
 * managed CREATE USER|SHARED|STREAM TABLE ... WITH (...), CREATE NAMESPACE,
 * CREATE USER, and DROP of every object kind.
 */
#include <string.h>

#include "sql_int.h"

/* ---- column definitions and constraints ---- */

static qv_status parse_column_constraint(sql_parser *p, sql_node **out, bool *found)
{
    *found = true;
    sql_node *constraint;
    QV_TRY(sql_node_new(p, SQL_COLUMN_CONSTRAINT, sql_tok(p), 2, &constraint));
    if (sql_accept_kw(p, SQL_KW_CONSTRAINT))
        QV_TRY(sql_parse_ident(p, &constraint->kids[1]));
    if (sql_accept_kws(p, SQL_KW_NOT, SQL_KW_NULL)) {
        constraint->op = SQL_CONSTRAINT_NOT_NULL;
    } else if (sql_accept_kw(p, SQL_KW_NULL)) {
        constraint->op = SQL_CONSTRAINT_NULL;
    } else if (sql_accept_kws(p, SQL_KW_PRIMARY, SQL_KW_KEY)) {
        constraint->op = SQL_CONSTRAINT_PRIMARY_KEY;
    } else if (sql_accept_kw(p, SQL_KW_UNIQUE)) {
        constraint->op = SQL_CONSTRAINT_UNIQUE;
        sql_accept_kw(p, SQL_KW_KEY);
    } else if (sql_accept_kw(p, SQL_KW_DEFAULT)) {
        constraint->op = SQL_CONSTRAINT_DEFAULT;
        QV_TRY(sql_parse_expr(p, &constraint->kids[0]));
    } else if (sql_accept_kw(p, SQL_KW_CHECK)) {
        constraint->op = SQL_CONSTRAINT_CHECK;
        QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
        QV_TRY(sql_parse_expr(p, &constraint->kids[0]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    } else if (constraint->kids[1] != NULL) {
        return sql_error_expected(p, "constraint details after CONSTRAINT <name>");
    } else {
        *found = false;
        return QV_OK;
    }
    *out = constraint;
    return QV_OK;
}

static bool at_table_constraint(const sql_parser *p)
{
    return sql_at_kw(p, SQL_KW_CONSTRAINT) ||
           (sql_at_kw(p, SQL_KW_PRIMARY) && sql_is_kw(sql_peek(p, 1), SQL_KW_KEY)) ||
           (sql_at_kw(p, SQL_KW_UNIQUE) && (sql_is_punct(sql_peek(p, 1), SQL_P_LPAREN) ||
                                            sql_is_kw(sql_peek(p, 1), SQL_KW_KEY))) ||
           (sql_at_kw(p, SQL_KW_FOREIGN) && sql_is_kw(sql_peek(p, 1), SQL_KW_KEY)) ||
           (sql_at_kw(p, SQL_KW_CHECK) && sql_is_punct(sql_peek(p, 1), SQL_P_LPAREN));
}

static qv_status parse_table_constraint(sql_parser *p, sql_node **out)
{
    sql_node *constraint;
    QV_TRY(sql_node_new(p, SQL_TABLE_CONSTRAINT, sql_tok(p), 5, &constraint));
    if (sql_accept_kw(p, SQL_KW_CONSTRAINT))
        QV_TRY(sql_parse_ident(p, &constraint->kids[0]));
    if (sql_accept_kws(p, SQL_KW_PRIMARY, SQL_KW_KEY)) {
        constraint->op = SQL_CONSTRAINT_PRIMARY_KEY;
        QV_TRY(sql_parse_paren_ident_list(p, &constraint->kids[1]));
    } else if (sql_accept_kw(p, SQL_KW_UNIQUE)) {
        constraint->op = SQL_CONSTRAINT_UNIQUE;
        sql_accept_kw(p, SQL_KW_KEY);
        QV_TRY(sql_parse_paren_ident_list(p, &constraint->kids[1]));
    } else if (sql_accept_kws(p, SQL_KW_FOREIGN, SQL_KW_KEY)) {
        constraint->op = SQL_CONSTRAINT_FOREIGN_KEY;
        QV_TRY(sql_parse_paren_ident_list(p, &constraint->kids[1]));
        QV_TRY(sql_expect_kw(p, SQL_KW_REFERENCES));
        QV_TRY(sql_parse_object_name(p, &constraint->kids[3]));
        if (sql_at_punct(p, SQL_P_LPAREN))
            QV_TRY(sql_parse_paren_ident_list(p, &constraint->kids[4]));
    } else if (sql_accept_kw(p, SQL_KW_CHECK)) {
        constraint->op = SQL_CONSTRAINT_CHECK;
        QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
        QV_TRY(sql_parse_expr(p, &constraint->kids[2]));
        QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
    } else {
        return sql_error_expected(p, "PRIMARY, UNIQUE, FOREIGN, CHECK, or EXCLUDE");
    }
    *out = constraint;
    return QV_OK;
}

static qv_status parse_column_def(sql_parser *p, sql_node **out)
{
    sql_node *column;
    QV_TRY(sql_node_new(p, SQL_COLUMN_DEF, sql_tok(p), 3, &column));
    QV_TRY(sql_parse_ident(p, &column->kids[0]));
    QV_TRY(sql_parse_type(p, &column->kids[1]));
    for (;;) {
        sql_node *constraint;
        bool found;
        QV_TRY(parse_column_constraint(p, &constraint, &found));
        if (!found)
            break;
        if (column->kids[2] == NULL)
            QV_TRY(sql_list_new(p, sql_tok(p), &column->kids[2]));
        QV_TRY(sql_list_push(p, column->kids[2], constraint));
    }
    *out = column;
    return QV_OK;
}

qv_status sql_parse_column_defs(sql_parser *p, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
    *out = list;
    if (sql_accept_punct(p, SQL_P_RPAREN))
        return QV_OK;
    for (;;) {
        sql_node *item;
        const sql_token *tok = sql_tok(p);
        if (at_table_constraint(p))
            QV_TRY(parse_table_constraint(p, &item));
        else if (tok->type == SQL_TOK_WORD || tok->type == SQL_TOK_QIDENT)
            QV_TRY(parse_column_def(p, &item));
        else
            return sql_error_expected(p, "column name or constraint definition");
        QV_TRY(sql_list_push(p, list, item));
        bool comma = sql_accept_punct(p, SQL_P_COMMA);
        if (sql_accept_punct(p, SQL_P_RPAREN))
            return QV_OK; /* a trailing comma is allowed, as DataFusion's parser does */
        if (!comma)
            return sql_error_expected(p, "',' or ')' after column definition");
    }
}

/* ---- CREATE EXTERNAL TABLE ---- */

qv_status sql_parse_partition_list(sql_parser *p, bool allow_types, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    *out = list;
    if (!sql_accept_punct(p, SQL_P_LPAREN) || sql_accept_punct(p, SQL_P_RPAREN))
        return QV_OK;
    const sql_token *after_first = sql_peek(p, 1);
    bool names_only = !allow_types || sql_is_punct(after_first, SQL_P_COMMA) ||
                      sql_is_punct(after_first, SQL_P_RPAREN);
    for (;;) {
        sql_node *item;
        const sql_token *tok = sql_tok(p);
        bool word = tok->type == SQL_TOK_WORD || tok->type == SQL_TOK_QIDENT;
        if (!word)
            return sql_error_expected(p, names_only ? "partition name"
                                                    : "column name or constraint definition");
        if (names_only)
            QV_TRY(sql_parse_ident(p, &item));
        else
            QV_TRY(parse_column_def(p, &item));
        QV_TRY(sql_list_push(p, list, item));
        bool comma = sql_accept_punct(p, SQL_P_COMMA);
        if (sql_accept_punct(p, SQL_P_RPAREN))
            return QV_OK; /* a trailing comma is allowed */
        if (!comma)
            return sql_error_expected(p, names_only ? "',' or ')' after partition definition"
                                                    : "',' or ')' after column definition");
    }
}

static qv_status clause_once(sql_parser *p, const sql_token *at, const sql_node *slot,
                             const char *clause)
{
    if (slot == NULL)
        return QV_OK;
    return sql_error_plain(p, at, "%s specified more than once", clause);
}

qv_status sql_parse_file_format(sql_parser *p, sql_node **out)
{
    const sql_token *tok = sql_tok(p);
    if (tok->type != SQL_TOK_WORD && tok->type != SQL_TOK_QIDENT)
        return sql_error_expected(p, "one of ARROW, PARQUET, NDJSON, or CSV");
    return sql_parse_ident(p, out);
}

/* The clauses after the column list, in any order (DataFusion's grammar and
 * messages; its own checks carry no position). */
static qv_status parse_external_clauses(sql_parser *p, sql_node *table)
{
    for (;;) {
        const sql_token *tok = sql_tok(p);
        if (tok->type == SQL_TOK_EOF || sql_is_punct(tok, SQL_P_SEMICOLON))
            return QV_OK;
        if (sql_accept_kw(p, SQL_KW_STORED)) {
            QV_TRY(sql_expect_kw(p, SQL_KW_AS));
            QV_TRY(clause_once(p, tok, table->kids[2], "STORED AS"));
            QV_TRY(sql_parse_file_format(p, &table->kids[2]));
        } else if (sql_accept_kw(p, SQL_KW_LOCATION)) {
            QV_TRY(clause_once(p, tok, table->kids[3], "LOCATION"));
            if (sql_tok(p)->type != SQL_TOK_STRING)
                return sql_error_expected(p, "literal string");
            QV_TRY(sql_parse_literal(p, &table->kids[3]));
        } else if (sql_accept_kw(p, SQL_KW_PARTITIONED)) {
            QV_TRY(sql_expect_kw(p, SQL_KW_BY));
            QV_TRY(clause_once(p, tok, table->kids[4], "PARTITIONED BY"));
            QV_TRY(sql_parse_partition_list(p, true, &table->kids[4]));
        } else if (sql_accept_kw(p, SQL_KW_OPTIONS)) {
            QV_TRY(clause_once(p, tok, table->kids[6], "OPTIONS"));
            QV_TRY(sql_parse_options_list(p, false, &table->kids[6]));
        } else if (sql_accept_kw(p, SQL_KW_WITH)) {
            if (sql_accept_kw(p, SQL_KW_ORDER)) {
                sql_node *order;
                QV_TRY(sql_expect_punct(p, SQL_P_LPAREN));
                QV_TRY(sql_parse_order_by_list(p, &order));
                QV_TRY(sql_expect_punct(p, SQL_P_RPAREN));
                if (table->kids[5] == NULL)
                    QV_TRY(sql_list_new(p, tok, &table->kids[5]));
                QV_TRY(sql_list_push(p, table->kids[5], order));
            } else {
                QV_TRY(sql_expect_kw(p, SQL_KW_HEADER));
                QV_TRY(sql_expect_kw(p, SQL_KW_ROW));
                return sql_error_plain(p, tok,
                                       "WITH HEADER ROW clause is no longer in use. Please use "
                                       "the OPTIONS clause with 'format.has_header' set "
                                       "appropriately, e.g., OPTIONS (format.has_header true)");
            }
        } else if (sql_accept_kw(p, SQL_KW_DELIMITER)) {
            return sql_error_plain(p, tok,
                                   "DELIMITER clause is no longer in use. Please use the "
                                   "OPTIONS clause with 'format.delimiter' set appropriately, "
                                   "e.g., OPTIONS (format.delimiter ',')");
        } else if (sql_accept_kw(p, SQL_KW_COMPRESSION)) {
            QV_TRY(sql_expect_kw(p, SQL_KW_TYPE));
            return sql_error_plain(p, tok,
                                   "COMPRESSION TYPE clause is no longer in use. Please use the "
                                   "OPTIONS clause with 'format.compression' set "
                                   "appropriately, e.g., OPTIONS (format.compression gzip)");
        } else {
            static const sql_keyword clauses[] = {SQL_KW_STORED, SQL_KW_LOCATION,
                                                  SQL_KW_PARTITIONED, SQL_KW_OPTIONS, SQL_KW_WITH};
            return sql_error_expected_kw(p, "end of statement or ;", clauses, 5);
        }
    }
}

static qv_status parse_create_external(sql_parser *p, const sql_token *start, uint32_t flags,
                                       sql_node **out)
{
    sql_node *table;
    QV_TRY(sql_node_new(p, SQL_CREATE_EXTERNAL_TABLE, start, 7, &table));
    table->flags = flags;
    QV_TRY(sql_expect_kw(p, SQL_KW_TABLE));
    if (sql_at_kw(p, SQL_KW_IF)) {
        const sql_token *if_tok = sql_tok(p);
        sql_advance(p);
        QV_TRY(sql_expect_kw(p, SQL_KW_NOT));
        QV_TRY(sql_expect_kw(p, SQL_KW_EXISTS));
        if (flags & SQL_F_OR_REPLACE)
            return sql_error_plain(p, if_tok, "'IF NOT EXISTS' cannot coexist with 'REPLACE'");
        table->flags |= SQL_F_IF_NOT_EXISTS;
    }
    QV_TRY(sql_parse_object_name(p, &table->kids[0]));
    if (sql_at_punct(p, SQL_P_LPAREN))
        QV_TRY(sql_parse_column_defs(p, &table->kids[1]));
    QV_TRY(parse_external_clauses(p, table));
    if (table->kids[2] == NULL)
        return sql_error_plain(p, sql_tok(p),
                               "Missing STORED AS clause in CREATE EXTERNAL TABLE statement");
    if (table->kids[3] == NULL)
        return sql_error_plain(p, sql_tok(p),
                               "Missing LOCATION clause in CREATE EXTERNAL TABLE statement");
    *out = table;
    return QV_OK;
}

/* ---- CREATE TABLE / VIEW / SCHEMA / USER ---- */

static qv_status parse_if_not_exists(sql_parser *p, sql_node *node)
{
    if (!sql_at_kw(p, SQL_KW_IF))
        return QV_OK;
    sql_advance(p);
    QV_TRY(sql_expect_kw(p, SQL_KW_NOT));
    QV_TRY(sql_expect_kw(p, SQL_KW_EXISTS));
    node->flags |= SQL_F_IF_NOT_EXISTS;
    return QV_OK;
}

static qv_status parse_create_table(sql_parser *p, const sql_token *start, uint32_t flags,
                                    int table_kind, sql_node **out)
{
    sql_node *table;
    QV_TRY(sql_node_new(p, SQL_CREATE_TABLE, start, 5, &table));
    table->flags = flags;
    table->op = table_kind;
    QV_TRY(sql_expect_kw(p, SQL_KW_TABLE));
    QV_TRY(parse_if_not_exists(p, table));
    QV_TRY(sql_parse_object_name(p, &table->kids[0]));
    if (sql_accept_kw(p, SQL_KW_LIKE)) {
        QV_TRY(sql_parse_object_name(p, &table->kids[4]));
        *out = table;
        return QV_OK;
    }
    if (sql_at_punct(p, SQL_P_LPAREN) && !sql_is_kw(sql_peek(p, 1), SQL_KW_SELECT) &&
        !sql_is_kw(sql_peek(p, 1), SQL_KW_WITH) && !sql_is_kw(sql_peek(p, 1), SQL_KW_VALUES) &&
        !sql_is_punct(sql_peek(p, 1), SQL_P_LPAREN))
        QV_TRY(sql_parse_column_defs(p, &table->kids[1]));
    if (sql_accept_kw(p, SQL_KW_WITH))
        QV_TRY(sql_parse_options_list(p, true, &table->kids[3]));
    if (sql_accept_kw(p, SQL_KW_AS)) {
        QV_TRY(sql_parse_query(p, &table->kids[2]));
    } else if (sql_at_query_start(p)) {
        QV_TRY(sql_parse_query(p, &table->kids[2]));
    }
    *out = table;
    return QV_OK;
}

static qv_status parse_create_view(sql_parser *p, const sql_token *start, uint32_t flags,
                                   sql_node **out)
{
    sql_node *view;
    QV_TRY(sql_node_new(p, SQL_CREATE_VIEW, start, 3, &view));
    view->flags = flags;
    QV_TRY(sql_expect_kw(p, SQL_KW_VIEW));
    QV_TRY(parse_if_not_exists(p, view));
    QV_TRY(sql_parse_object_name(p, &view->kids[0]));
    if (sql_at_punct(p, SQL_P_LPAREN))
        QV_TRY(sql_parse_paren_ident_list(p, &view->kids[1]));
    QV_TRY(sql_expect_kw(p, SQL_KW_AS));
    QV_TRY(sql_parse_query(p, &view->kids[2]));
    *out = view;
    return QV_OK;
}

static qv_status parse_create_schema(sql_parser *p, const sql_token *start, int object,
                                     sql_node **out)
{
    sql_node *schema;
    QV_TRY(sql_node_new(p, SQL_CREATE_SCHEMA, start, 2, &schema));
    schema->op = object;
    sql_advance(p); /* SCHEMA / DATABASE / NAMESPACE / CATALOG */
    QV_TRY(parse_if_not_exists(p, schema));
    QV_TRY(sql_parse_object_name(p, &schema->kids[0]));
    if (sql_accept_kw(p, SQL_KW_WITH))
        QV_TRY(sql_parse_options_list(p, true, &schema->kids[1]));
    *out = schema;
    return QV_OK;
}

qv_status sql_parse_user_options(sql_parser *p, sql_node **out)
{
    sql_node *list;
    QV_TRY(sql_list_new(p, sql_tok(p), &list));
    if (!sql_accept_kw(p, SQL_KW_WITH))
        sql_accept_kw(p, SQL_KW_SET);
    /* WITH and SET are never keys, so the unparsed text reads back the same. */
    while (sql_tok(p)->type == SQL_TOK_WORD && !sql_at_kw(p, SQL_KW_WITH) &&
           !sql_at_kw(p, SQL_KW_SET)) {
        sql_node *option, *key_part;
        QV_TRY(sql_node_new(p, SQL_OPTION, sql_tok(p), 2, &option));
        QV_TRY(sql_node_new(p, SQL_NAME, sql_tok(p), 0, &option->kids[0]));
        QV_TRY(sql_parse_ident(p, &key_part));
        QV_TRY(sql_list_push(p, option->kids[0], key_part));
        sql_accept_punct(p, SQL_P_EQ);
        const sql_token *tok = sql_tok(p);
        if (tok->type == SQL_TOK_WORD || tok->type == SQL_TOK_QIDENT)
            QV_TRY(sql_parse_ident(p, &option->kids[1]));
        else
            QV_TRY(sql_parse_literal(p, &option->kids[1]));
        QV_TRY(sql_list_push(p, list, option));
        sql_accept_punct(p, SQL_P_COMMA);
    }
    *out = list;
    return QV_OK;
}

static qv_status parse_create_user(sql_parser *p, const sql_token *start, sql_node **out)
{
    sql_node *user;
    QV_TRY(sql_node_new(p, SQL_CREATE_USER, start, 2, &user));
    sql_advance(p); /* USER */
    QV_TRY(parse_if_not_exists(p, user));
    QV_TRY(sql_parse_ident(p, &user->kids[0]));
    QV_TRY(sql_parse_user_options(p, &user->kids[1]));
    *out = user;
    return QV_OK;
}

qv_status sql_parse_create(sql_parser *p, sql_node **out)
{
    const sql_token *start = sql_tok(p);
    sql_advance(p); /* CREATE */
    uint32_t flags = 0;
    if (sql_accept_kws(p, SQL_KW_OR, SQL_KW_REPLACE))
        flags |= SQL_F_OR_REPLACE;
    if (sql_accept_kw(p, SQL_KW_TEMPORARY) || sql_accept_kw(p, SQL_KW_TEMP))
        flags |= SQL_F_TEMPORARY;
    if (sql_accept_kw(p, SQL_KW_UNBOUNDED)) {
        flags |= SQL_F_UNBOUNDED;
        QV_TRY(sql_expect_kw(p, SQL_KW_EXTERNAL));
        return parse_create_external(p, start, flags, out);
    }
    if (sql_accept_kw(p, SQL_KW_EXTERNAL)) {
        if (sql_accept_kw(p, SQL_KW_TEMPORARY))
            flags |= SQL_F_TEMPORARY;
        return parse_create_external(p, start, flags, out);
    }
    if (sql_at_kw(p, SQL_KW_TABLE))
        return parse_create_table(p, start, flags, SQL_TABLE_KIND_PLAIN, out);
    const sql_token *next = sql_peek(p, 1);
    if (sql_is_kw(next, SQL_KW_TABLE) &&
        (sql_at_kw(p, SQL_KW_USER) || sql_at_kw(p, SQL_KW_SHARED) || sql_at_kw(p, SQL_KW_STREAM))) {
        int kind = sql_at_kw(p, SQL_KW_USER)     ? SQL_TABLE_KIND_USER
                   : sql_at_kw(p, SQL_KW_SHARED) ? SQL_TABLE_KIND_SHARED
                                                 : SQL_TABLE_KIND_STREAM;
        sql_advance(p);
        return parse_create_table(p, start, flags, kind, out);
    }
    if (sql_accept_kw(p, SQL_KW_MATERIALIZED)) {
        flags |= SQL_F_MATERIALIZED;
        return parse_create_view(p, start, flags, out);
    }
    if (sql_at_kw(p, SQL_KW_VIEW))
        return parse_create_view(p, start, flags, out);
    if (flags == 0) {
        if (sql_at_kw(p, SQL_KW_SCHEMA))
            return parse_create_schema(p, start, SQL_OBJ_SCHEMA, out);
        if (sql_at_kw(p, SQL_KW_DATABASE))
            return parse_create_schema(p, start, SQL_OBJ_DATABASE, out);
        if (sql_at_kw(p, SQL_KW_NAMESPACE))
            return parse_create_schema(p, start, SQL_OBJ_NAMESPACE, out);
        if (sql_at_kw(p, SQL_KW_CATALOG))
            return parse_create_schema(p, start, SQL_OBJ_CATALOG, out);
        if (sql_at_kw(p, SQL_KW_USER))
            return parse_create_user(p, start, out);
    }
    static const sql_keyword objects[] = {SQL_KW_TABLE,  SQL_KW_EXTERNAL,  SQL_KW_VIEW,
                                          SQL_KW_SCHEMA, SQL_KW_DATABASE,  SQL_KW_NAMESPACE,
                                          SQL_KW_USER,   SQL_KW_UNBOUNDED, SQL_KW_CATALOG};
    return sql_error_expected_kw(p, "an object type after CREATE", objects,
                                 sizeof objects / sizeof objects[0]);
}

/* ---- DROP ---- */

qv_status sql_parse_drop(sql_parser *p, sql_node **out)
{
    sql_node *drop;
    QV_TRY(sql_node_new(p, SQL_DROP, sql_tok(p), 1, &drop));
    sql_advance(p); /* DROP */
    static const struct {
        sql_keyword kw;
        int object;
    } objects[] = {
        {SQL_KW_TABLE, SQL_OBJ_TABLE},         {SQL_KW_VIEW, SQL_OBJ_VIEW},
        {SQL_KW_SCHEMA, SQL_OBJ_SCHEMA},       {SQL_KW_DATABASE, SQL_OBJ_DATABASE},
        {SQL_KW_NAMESPACE, SQL_OBJ_NAMESPACE}, {SQL_KW_USER, SQL_OBJ_USER},
        {SQL_KW_CATALOG, SQL_OBJ_CATALOG},     {SQL_KW_FUNCTION, SQL_OBJ_FUNCTION},
    };
    for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++) {
        if (sql_accept_kw(p, objects[i].kw)) {
            drop->op = objects[i].object;
            break;
        }
    }
    if (drop->op == 0) {
        static const sql_keyword kws[] = {SQL_KW_TABLE,    SQL_KW_VIEW,      SQL_KW_SCHEMA,
                                          SQL_KW_DATABASE, SQL_KW_NAMESPACE, SQL_KW_USER};
        return sql_error_expected_kw(p,
                                     "COLLATION, CONNECTOR, DATABASE, EXTENSION, FUNCTION, "
                                     "INDEX, OPERATOR, POLICY, PROCEDURE, ROLE, SCHEMA, SECRET, "
                                     "SEQUENCE, STAGE, TABLE, TRIGGER, TYPE, VIEW, MATERIALIZED "
                                     "VIEW, USER or WAREHOUSE after DROP",
                                     kws, sizeof kws / sizeof kws[0]);
    }
    if (sql_accept_kws(p, SQL_KW_IF, SQL_KW_EXISTS))
        drop->flags |= SQL_F_IF_EXISTS;
    QV_TRY(sql_list_new(p, sql_tok(p), &drop->kids[0]));
    do {
        sql_node *name;
        QV_TRY(sql_parse_object_name(p, &name));
        QV_TRY(sql_list_push(p, drop->kids[0], name));
    } while (sql_accept_punct(p, SQL_P_COMMA));
    if (sql_accept_kw(p, SQL_KW_CASCADE))
        drop->flags |= SQL_F_CASCADE;
    else if (sql_accept_kw(p, SQL_KW_RESTRICT))
        drop->flags |= SQL_F_RESTRICT;
    *out = drop;
    return QV_OK;
}
