/*
 * select_into.c — SELECT ... INTO name FROM ... (layer: session). As in
 * DataFusion's planner, a query whose body is a plain SELECT with INTO
 * (after its ORDER BY and LIMIT) becomes CREATE TABLE name AS <the query
 * without INTO>: a memory table in the session's catalog overlay, with
 * CREATE TABLE's checks and errors (ddl.c). INTO anywhere else (a set
 * operation's side, a subquery) stays the binder's "not implemented".
 */
#include <string.h>

#include "session/session_int.h"

bool session_is_select_into(const sql_node *stmt)
{
    const sql_node *body = stmt->kind == SQL_QUERY ? sql_kid(stmt, 1) : NULL;
    return body != NULL && body->kind == SQL_SELECT && sql_kid(body, 8) != NULL;
}

qv_status session_select_into(qv_session *session, const sql_node *stmt, qv_result **out,
                              qv_error *err)
{
    const sql_node *select = sql_kid(stmt, 1);
    /* Shallow copies of the query and its SELECT with the INTO slot empty;
     * the nodes below them stay the parser's. */
    sql_node **select_kids = base_calloc(select->n_kids, sizeof *select_kids);
    sql_node **query_kids = base_calloc(stmt->n_kids, sizeof *query_kids);
    if (select_kids == NULL || query_kids == NULL) {
        base_free(select_kids);
        base_free(query_kids);
        return base_error_nomem(err, "SELECT INTO");
    }
    memcpy(select_kids, select->kids, select->n_kids * sizeof *select_kids);
    select_kids[8] = NULL;
    sql_node select_copy = *select;
    select_copy.kids = select_kids;
    memcpy(query_kids, stmt->kids, stmt->n_kids * sizeof *query_kids);
    query_kids[1] = &select_copy;
    sql_node query_copy = *stmt;
    query_copy.kids = query_kids;
    sql_node *create_kids[3] = {select->kids[8], NULL, &query_copy};
    sql_node create = {
        .kind = SQL_CREATE_TABLE,
        .op = SQL_TABLE_KIND_PLAIN,
        .pos = stmt->pos,
        .n_kids = 3,
        .kids = create_kids,
    };
    /* A query passes the statement policy; what it does is DDL. */
    qv_status st = session_check_policy(session, &create, err);
    if (st == QV_OK)
        st = session_create_table(session, &create, out, err);
    base_free(select_kids);
    base_free(query_kids);
    return st;
}
