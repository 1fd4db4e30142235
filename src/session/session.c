/*
 * session.c — qv_session and qv_session_sql (layer: session): a session is
 * a configuration overlay and a catalog overlay over its profile and
 * runtime, so creating one copies nothing; SQL text is parsed here and its
 * statements run one by one.
 */
#include <string.h>
#include <time.h>

#include "session/session_int.h"

qv_status qv_session_new(qv_profile *profile, qv_session **out, qv_error *err)
{
    if (out == NULL || profile == NULL)
        return base_error_set(err, QV_MISUSE, "qv_session_new: profile and out are required");
    *out = NULL;
    qv_session *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "session");
    s->profile = profile;
    qv_status st = config_new(profile->config, &s->config, err);
    if (st == QV_OK)
        st = catalog_new(profile->runtime->catalog, "datafusion", "public", &s->catalog, err);
    if (st != QV_OK) {
        config_free(s->config);
        base_free(s);
        return st;
    }
    /* A per-session seed for random(); any non-zero value works. */
    s->random_state = ((uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15ull) | 1;
    atomic_fetch_add(&profile->n_sessions, 1);
    *out = s;
    return QV_OK;
}

void qv_session_free(qv_session *session)
{
    if (session == NULL)
        return;
    if (session->open_result != NULL)
        session->open_result->session = NULL;
    atomic_fetch_sub(&session->profile->n_sessions, 1);
    catalog_free(session->catalog);
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
    };
    return plan_ctx_new(session->catalog, session->profile->runtime->registry, &options, out, err);
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
