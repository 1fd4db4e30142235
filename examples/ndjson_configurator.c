/*
 * ndjson_configurator.c — a profile whose configurators prepare every
 * session: the NDJSON file examples/data/events.ndjson is opened once (its
 * schema inferred once, here), then each new session gets it registered as
 * `events` plus a view `logins` over it, with no I/O per session. The
 * profile is read-only: its users may query, not change the catalog
 * (configurators, the profile's own code, may).
 *
 * Build against an installed Quiver: cc ndjson_configurator.c -lquiver
 * Run: ./ndjson_configurator [DATA_DIR]   (default: examples/data)
 */
#include <stdint.h>
#include <stdio.h>

#include <quiver.h>

/* Configurator 1: the table made once, registered in each session. */
static qv_status register_events(qv_session *session, void *user_data, qv_error *err)
{
    return qv_session_register_table(session, "events", user_data, err);
}

/* Configurator 2: runs after the first, so the view can use `events`. */
static qv_status create_logins_view(qv_session *session, void *user_data, qv_error *err)
{
    (void)user_data;
    qv_result *result = NULL;
    qv_status st = qv_session_sql(
        session, "CREATE VIEW logins AS SELECT * FROM events WHERE kind = 'login'", &result, err);
    qv_result_free(result);
    return st;
}

/* The profile owns the table once the configurator is added. */
static void release_table(void *user_data)
{
    qv_table_free(user_data);
}

/* The first column of the query's first row, an Int64; -1 on error. */
static int64_t query_count(qv_session *session, const char *sql)
{
    qv_error err;
    qv_result *result = NULL;
    int64_t value = -1;
    struct ArrowArray batch;
    if (qv_session_sql(session, sql, &result, &err) == QV_OK &&
        qv_result_next(result, &batch, &err) == QV_OK && batch.release != NULL) {
        const struct ArrowArray *column = batch.children[0];
        value = ((const int64_t *)column->buffers[1])[column->offset + batch.offset];
        batch.release(&batch);
    } else {
        fprintf(stderr, "%s: %s\n", sql, err.message);
    }
    qv_result_free(result);
    return value;
}

int main(int argc, char **argv)
{
    const char *data_dir = argc > 1 ? argv[1] : "examples/data";
    char path[4096];
    snprintf(path, sizeof path, "%s/events.ndjson", data_dir);

    qv_error err;
    qv_runtime *runtime = NULL;
    qv_profile *profile = NULL;
    qv_table *events = NULL;
    int status = 1;
    if (qv_runtime_new(NULL, &runtime, &err) != QV_OK ||
        qv_profile_new(runtime, &profile, &err) != QV_OK ||
        qv_ndjson_table(runtime, path, NULL, &events, &err) != QV_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        goto done;
    }
    qv_configurator table_step = {register_events, events, release_table};
    qv_configurator view_step = {create_logins_view, NULL, NULL};
    if (qv_profile_add_configurator(profile, &table_step, &err) != QV_OK) {
        fprintf(stderr, "configurator: %s\n", err.message);
        goto done;
    }
    events = NULL; /* the profile's now */
    if (qv_profile_add_configurator(profile, &view_step, &err) != QV_OK ||
        qv_profile_allow_statements(profile, 0, &err) != QV_OK) { /* read-only */
        fprintf(stderr, "profile: %s\n", err.message);
        goto done;
    }

    /* Two sessions, as two requests of a service would get. */
    status = 0;
    for (int i = 0; i < 2; i++) {
        qv_session *session = NULL;
        if (qv_session_new(profile, NULL, &session, &err) != QV_OK) {
            fprintf(stderr, "session: %s\n", err.message);
            status = 1;
            break;
        }
        int64_t n_events = query_count(session, "SELECT count(*) FROM events");
        int64_t n_logins = query_count(session, "SELECT count(*) FROM logins");
        printf("session %d: %lld events, %lld logins\n", i + 1, (long long)n_events,
               (long long)n_logins);
        if (n_events <= 0 || n_logins < 0)
            status = 1;
        /* The profile allows no DDL: this fails with SQLSTATE 42501. */
        qv_result *result = NULL;
        if (qv_session_sql(session, "DROP VIEW logins", &result, &err) == QV_PERMISSION)
            printf("  DROP VIEW refused: %s (SQLSTATE %s)\n", err.message, err.sqlstate);
        else
            status = 1;
        qv_result_free(result);
        qv_session_free(session);
    }
done:
    qv_table_free(events);
    qv_profile_free(profile);
    qv_runtime_free(runtime);
    return status;
}
