/*
 * session.c — qv_session and qv_session_sql (layer: session): a session is
 * a configuration overlay and a catalog overlay over its profile and
 * runtime, so creating one copies nothing but its identity; the profile's
 * configurators then run on it. SQL text is parsed here and its statements
 * run one by one.
 */
#include <string.h>
#include <time.h>

#include "session/files_int.h"
#include "session/session_int.h"
#include "session/table_fn_int.h"

/* Bytes needed to copy identity's strings and role array. */
static size_t identity_size(const qv_identity *identity)
{
    if (identity == NULL)
        return 0;
    size_t n = identity->user_id != NULL ? strlen(identity->user_id) + 1 : 0;
    n += (size_t)identity->n_roles * sizeof(char *);
    for (int32_t i = 0; i < identity->n_roles; i++)
        n += strlen(identity->roles[i]) + 1;
    return n;
}

/* Copies identity into mem (identity_size bytes, pointer-aligned) and points
 * the session's two views of it there. */
static void copy_identity(qv_session *s, const qv_identity *identity, char *mem)
{
    if (identity != NULL && identity->n_roles > 0) {
        const char **roles = (const char **)(void *)mem;
        mem += (size_t)identity->n_roles * sizeof(char *);
        for (int32_t i = 0; i < identity->n_roles; i++) {
            size_t len = strlen(identity->roles[i]) + 1;
            memcpy(mem, identity->roles[i], len);
            roles[i] = mem;
            mem += len;
        }
        s->identity.roles = roles;
        s->identity.n_roles = identity->n_roles;
    }
    if (identity != NULL && identity->user_id != NULL) {
        memcpy(mem, identity->user_id, strlen(identity->user_id) + 1);
        s->identity.user_id = mem;
    }
    s->catalog_identity =
        (catalog_identity){s->identity.user_id, s->identity.roles, s->identity.n_roles};
}

qv_status qv_session_new(qv_profile *profile, const qv_identity *identity, qv_session **out,
                         qv_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || profile == NULL)
        return base_error_set(err, QV_MISUSE, "qv_session_new: profile and out are required");
    if (identity != NULL &&
        (identity->n_roles < 0 || (identity->n_roles > 0 && identity->roles == NULL)))
        return base_error_set(err, QV_MISUSE,
                              "qv_session_new: identity has %d roles but no role array",
                              (int)identity->n_roles);
    for (int32_t i = 0; identity != NULL && i < identity->n_roles; i++)
        if (identity->roles[i] == NULL)
            return base_error_set(err, QV_MISUSE, "qv_session_new: identity role %d is NULL",
                                  (int)i);
    /* The session and its identity strings are one allocation. */
    qv_session *s = base_calloc(1, sizeof *s + identity_size(identity));
    if (s == NULL)
        return base_error_nomem(err, "session");
    copy_identity(s, identity, (char *)(s + 1));
    s->profile = profile;
    /* Sealed before the configurators run: they see the profile as it
     * will stay. */
    atomic_store(&profile->sealed, true);
    atomic_fetch_add(&profile->n_sessions, 1);
    qv_status st = config_new(profile->config, &s->config, err);
    catalog *parent = NULL; /* the runtime's, or the auto-loaded schema's (auto_catalog.c) */
    if (st == QV_OK)
        st = session_auto_catalog_parent(profile, &parent, err);
    if (st == QV_OK)
        st = catalog_new(parent, "datafusion", "public", &s->catalog, err);
    if (st == QV_OK) /* information_schema (introspect.c) */
        catalog_set_resolver(s->catalog, session_resolve_table, s);
    /* A per-session seed for random(); any non-zero value works. */
    s->random_state = ((uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15ull) | 1;
    if (st == QV_OK)
        st = session_configure(s, err);
    if (st != QV_OK) {
        qv_session_free(s);
        return st;
    }
    *out = s;
    return QV_OK;
}

const qv_identity *qv_session_identity(const qv_session *session)
{
    return session != NULL ? &session->identity : NULL;
}

void qv_session_free(qv_session *session)
{
    if (session == NULL)
        return;
    if (session->open_result != NULL)
        session->open_result->session = NULL;
    atomic_fetch_sub(&session->profile->n_sessions, 1);
    session_prepared_free(session);
    catalog_free(session->catalog);
    session_memory_pool_release(session->mem_pool);
    config_free(session->config);
    base_free(session);
}

qv_status session_plan_ctx(qv_session *session, plan_ctx **out, qv_error *err)
{
    const char *default_catalog = NULL, *default_schema = NULL, *time_zone = NULL;
    config_get(session->config, "datafusion.execution.time_zone", &time_zone, NULL);
    config_get(session->config, "datafusion.catalog.default_catalog", &default_catalog, NULL);
    config_get(session->config, "datafusion.catalog.default_schema", &default_schema, NULL);
    plan_options options = {
        .default_catalog = default_catalog,
        .default_schema = default_schema,
        .ident_normalization =
            config_get_bool(session->config, "datafusion.sql_parser.enable_ident_normalization"),
        .information_schema =
            config_get_bool(session->config, "datafusion.catalog.information_schema"),
        .time_zone = time_zone,
        .const_eval = exec_const_eval,
        /* SELECT * FROM 'data.csv' (url_table.c) */
        .file_table =
            config_get_bool(session->config, "quiver.catalog.url_table") ? session_url_table : NULL,
        .file_table_user = session,
        /* FROM generate_series(...), read_csv(...) (table_functions.c) */
        .table_function = session_table_function,
        .table_function_user = session,
    };
    QV_TRY(plan_ctx_new(session->catalog, session->profile->runtime->registry, &options, out, err));
    session_bind_parameters(session, *out); /* EXECUTE's values (prepare.c) */
    return QV_OK;
}

qv_status qv_session_sql(qv_session *session, const char *sql, qv_result **out, qv_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (session == NULL || sql == NULL || out == NULL)
        return base_error_set(err, QV_MISUSE, "qv_session_sql: session, sql and out are required");
    if (session->open_result != NULL)
        return base_error_set(err, QV_MISUSE,
                              "qv_session_sql: free the previous result of this session first");
    if (err != NULL)
        qv_error_clear(err);
    sql_parse_result *parsed = NULL;
    QV_TRY(sql_parse(sql, strlen(sql), NULL, &parsed, err));
    qv_status st = QV_OK;
    if (parsed->n_statements == 0)
        st = session_result_empty(session, out, err);
    for (size_t i = 0; i < parsed->n_statements && st == QV_OK; i++) {
        qv_result *result = NULL;
        st = session_execute(session, parsed->statements[i].node, sql, &result, err);
        if (st != QV_OK)
            break;
        if (i + 1 < parsed->n_statements) {
            /* Earlier statements run to completion; their rows are dropped. */
            struct ArrowArray batch;
            do {
                st = qv_result_next(result, &batch, err);
                if (st == QV_OK && batch.release != NULL)
                    batch.release(&batch);
            } while (st == QV_OK && batch.release != NULL);
            qv_result_free(result);
        } else {
            *out = result;
        }
    }
    sql_parse_result_free(parsed);
    return st;
}
