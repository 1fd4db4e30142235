/*
 * ddl_schema.c — CREATE SCHEMA [IF NOT EXISTS] [catalog.]name and CREATE
 * DATABASE | CATALOG [IF NOT EXISTS] name (layer: session), as DataFusion's
 * create_catalog_schema and create_catalog: the schema goes into the
 * session's catalog overlay, in the default catalog or a named one that
 * must exist; a database is an empty catalog (no schema) in the overlay.
 */
#include "session/files_int.h"

/* The catalog is named by the name's parts joined with dots, as
 * DataFusion's object_name_to_string does. */
static qv_status create_database(qv_session *session, const sql_node *stmt, qv_result **out,
                                 qv_error *err)
{
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    const char *name = session_written_name(pctx, sql_kid(stmt, 0));
    qv_status st = name == NULL
                       ? base_error_nomem(err, "CREATE DATABASE")
                       : catalog_create_catalog(session->catalog, name,
                                                (stmt->flags & SQL_F_IF_NOT_EXISTS) != 0, err);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}

qv_status session_create_schema(qv_session *session, const sql_node *stmt, qv_result **out,
                                qv_error *err)
{
    if (stmt->op == SQL_OBJ_DATABASE || stmt->op == SQL_OBJ_CATALOG)
        return create_database(session, stmt, out, err);
    if (sql_kid(stmt, 1) != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: CREATE SCHEMA ... WITH options");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    const sql_node *name = sql_kid(stmt, 0);
    uint32_t n = name->kind == SQL_NAME ? name->n_kids : 1;
    const sql_node *const *parts =
        name->kind == SQL_NAME ? (const sql_node *const *)name->kids : &name;
    qv_status st = QV_OK;
    const char *catalog_name = pctx->options.default_catalog;
    const char *schema_name = NULL;
    if (n == 1) {
        schema_name = plan_ident(pctx, parts[0]);
    } else if (n == 2) {
        catalog_name = plan_ident(pctx, parts[0]);
        schema_name = plan_ident(pctx, parts[1]);
    } else {
        char *text = sql_unparse_to_string(name);
        st = base_error_set(err, QV_EXECUTION, "Execution error: Unable to parse catalog from %s",
                            text != NULL ? text : "the name");
        base_free(text);
    }
    if (st == QV_OK && (catalog_name == NULL || schema_name == NULL))
        st = base_error_nomem(err, "CREATE SCHEMA");
    if (st == QV_OK && !catalog_exists(session->catalog, catalog_name))
        st = base_error_set(err, QV_EXECUTION, "Execution error: Missing catalog '%s'",
                            catalog_name);
    if (st == QV_OK)
        st = catalog_create_schema(session->catalog, catalog_name, schema_name,
                                   (stmt->flags & SQL_F_IF_NOT_EXISTS) != 0, err);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_empty(session, out, err);
}
