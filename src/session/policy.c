/*
 * policy.c — a profile's statement policy (layer: session): which classes
 * of SQL statements (DDL, DML, SET) its sessions may run, and the check made
 * before a statement runs. Names and messages follow DataFusion's SQLOptions
 * verification ("DDL not supported: CreateMemoryTable"); the status is
 * QV_PERMISSION (SQLSTATE 42501) so that servers can tell a refusal from a
 * planning error.
 */
#include "session/session_int.h"

qv_status qv_profile_allow_statements(qv_profile *profile, uint32_t classes, qv_error *err)
{
    if (profile == NULL)
        return base_error_set(err, QV_MISUSE, "qv_profile_allow_statements: profile is NULL");
    if ((classes & ~QV_STATEMENTS_ALL) != 0)
        return base_error_set(err, QV_INVALID,
                              "qv_profile_allow_statements: unknown statement classes 0x%x",
                              (unsigned)(classes & ~QV_STATEMENTS_ALL));
    if (atomic_load(&profile->sealed))
        return base_error_set(err, QV_MISUSE,
                              "qv_profile_allow_statements: a session was created from the "
                              "profile; it is immutable now");
    profile->allowed_statements = classes;
    return QV_OK;
}

/* The class of stmt (0: a query, always allowed) and DataFusion's name for
 * the plan it makes. EXPLAIN and PREPARE are judged by what they contain. */
static uint32_t classify(const sql_node *stmt, const char **name)
{
    switch (stmt->kind) {
    case SQL_EXPLAIN:
    case SQL_PREPARE: {
        const sql_node *inner = sql_kid(stmt, stmt->kind == SQL_EXPLAIN ? 0 : 2);
        return inner != NULL ? classify(inner, name) : 0;
    }
    case SQL_CREATE_TABLE:
        *name = "CreateMemoryTable";
        return QV_STATEMENTS_DDL;
    case SQL_CREATE_EXTERNAL_TABLE:
        *name = "CreateExternalTable";
        return QV_STATEMENTS_DDL;
    case SQL_CREATE_VIEW:
        *name = "CreateView";
        return QV_STATEMENTS_DDL;
    case SQL_CREATE_SCHEMA:
        *name = stmt->op == SQL_OBJ_DATABASE || stmt->op == SQL_OBJ_CATALOG ? "CreateCatalog"
                                                                            : "CreateCatalogSchema";
        return QV_STATEMENTS_DDL;
    case SQL_DROP:
        switch (stmt->op) {
        case SQL_OBJ_TABLE:
            *name = "DropTable";
            break;
        case SQL_OBJ_VIEW:
            *name = "DropView";
            break;
        case SQL_OBJ_FUNCTION:
            *name = "DropFunction";
            break;
        default:
            *name = "DropCatalogSchema";
            break;
        }
        return QV_STATEMENTS_DDL;
    case SQL_CREATE_USER:
        *name = "CreateUser";
        return QV_STATEMENTS_DDL;
    case SQL_ALTER_USER:
        *name = "AlterUser";
        return QV_STATEMENTS_DDL;
    case SQL_GRANT:
        *name = "Grant";
        return QV_STATEMENTS_DDL;
    case SQL_REVOKE:
        *name = "Revoke";
        return QV_STATEMENTS_DDL;
    case SQL_INSERT:
        *name = (stmt->flags & SQL_F_OVERWRITE) ? "Insert Overwrite" : "Insert Into";
        return QV_STATEMENTS_DML;
    case SQL_UPDATE:
        *name = "Update";
        return QV_STATEMENTS_DML;
    case SQL_DELETE:
        *name = "Delete";
        return QV_STATEMENTS_DML;
    case SQL_TRUNCATE:
        *name = "Truncate";
        return QV_STATEMENTS_DML;
    case SQL_COPY:
        *name = "COPY";
        return QV_STATEMENTS_DML;
    case SQL_SET:
        *name = "SetVariable";
        return QV_STATEMENTS_SET;
    case SQL_RESET:
        *name = "ResetVariable";
        return QV_STATEMENTS_SET;
    default:
        return 0;
    }
}

qv_status session_check_policy(const qv_session *session, const sql_node *stmt, qv_error *err)
{
    uint32_t allowed = session->profile->allowed_statements;
    if (session->configuring || allowed == QV_STATEMENTS_ALL)
        return QV_OK;
    const char *name = NULL;
    uint32_t cls = classify(stmt, &name);
    if (cls == 0 || (allowed & cls) != 0)
        return QV_OK;
    const char *what = cls == QV_STATEMENTS_DDL   ? "DDL"
                       : cls == QV_STATEMENTS_DML ? "DML"
                                                  : "Statement";
    base_error_set(err, QV_PERMISSION, "Error during planning: %s not supported: %s", what, name);
    base_error_set_hint(err, "the profile of this session does not allow %s statements",
                        cls == QV_STATEMENTS_SET ? "SET" : what);
    return QV_PERMISSION;
}
