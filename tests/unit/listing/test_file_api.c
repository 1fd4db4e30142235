/*
 * test_file_api.c — qv_csv_table and qv_ndjson_table through quiver.h:
 * made once, registered in the runtime and in sessions by a configurator
 * (no file is read at registration), options (header, delimiter,
 * compression, partition columns, extension), and misuse.
 */
#include "listing_test_util.h" /* first: it asks for mkdtemp and strdup */

#include "api_test_util.h"
#include "quiver.h"
#include "test.h"

static qv_status register_events(qv_session *session, void *user, qv_error *err)
{
    return qv_session_register_table(session, "events", user, err);
}

static void release_table(void *user)
{
    qv_table_free(user);
}

TEST(file_api_csv_table_in_every_session)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    CHECK(write_text(dir, "day=1/a.csv", "id;v\n1;10\n2;20\n"));
    CHECK(write_text(dir, "day=2/b.csv", "id;v\n3;30\n"));
    CHECK(write_text(dir, "day=2/ignored.txt", "not csv\n"));
    qv_error err;
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &profile, &err));
    qv_file_options o;
    qv_file_options_init(&o);
    o.delimiter = ';';
    qv_table *events = NULL;
    CHECK_OK(qv_csv_table(rt, dir, &o, &events, &err));
    qv_configurator conf = {register_events, events, release_table};
    CHECK_OK(qv_profile_add_configurator(profile, &conf, &err));
    /* the files change after the table is made: no schema change, new rows seen */
    CHECK(write_text(dir, "day=3/c.csv", "id;v\n4;40\n"));
    for (int i = 0; i < 3; i++) {
        qv_session *s = NULL;
        CHECK_OK(qv_session_new(profile, NULL, &s, &err));
        CHECK_INT_EQ(api_test_query_int(s, "SELECT sum(v) FROM events", &err), 100);
        CHECK_INT_EQ(api_test_query_int(s, "SELECT count(*) FROM events WHERE day = '2'", &err), 1);
        qv_session_free(s);
    }
    qv_profile_free(profile);
    qv_runtime_free(rt);
}

TEST(file_api_ndjson_table_compressed_and_registered_once)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    char path[128];
    snprintf(path, sizeof path, "%s/rows.json.gz", dir);
    fmt_output *out = NULL;
    const char *text = "{\"a\":1,\"b\":\"x\"}\n{\"a\":2}\n";
    CHECK_OK(fmt_output_open(path, QV_COMPRESSION_GZIP, false, &out, &err));
    CHECK_OK(fmt_output_write(out, text, strlen(text), &err));
    CHECK_OK(fmt_output_close(out, &err));
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    CHECK_OK(qv_profile_new(rt, &profile, &err));
    qv_table *t = NULL;
    CHECK_OK(qv_ndjson_table(rt, path, NULL, &t, &err)); /* gzip from the name */
    CHECK_OK(qv_runtime_register_table(rt, "rows", t, &err));
    qv_table_free(t);
    qv_session *s = NULL;
    CHECK_OK(qv_session_new(profile, NULL, &s, &err));
    CHECK_INT_EQ(api_test_query_int(s, "SELECT sum(a) FROM rows", &err), 3);
    CHECK_INT_EQ(api_test_query_int(s, "SELECT count(b) FROM rows", &err), 1);
    qv_session_free(s);
    qv_profile_free(profile);
    qv_runtime_free(rt);
}

TEST(file_api_errors)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    qv_runtime *rt = NULL;
    CHECK_OK(qv_runtime_new(NULL, &rt, &err));
    qv_table *t = (qv_table *)1;
    CHECK_STATUS(qv_csv_table(NULL, dir, NULL, &t, &err), QV_MISUSE);
    CHECK(t == NULL);
    CHECK_STATUS(qv_csv_table(rt, NULL, NULL, &t, &err), QV_MISUSE);
    CHECK_STATUS(qv_csv_table(rt, dir, NULL, NULL, &err), QV_MISUSE);
    CHECK_STATUS(qv_csv_table(rt, dir, NULL, &t, &err), QV_PLAN); /* no files */
    CHECK(strstr(err.message, "No files found") != NULL);
    qv_file_options o;
    qv_file_options_init(&o);
    o.compression = "lz5";
    CHECK_STATUS(qv_ndjson_table(rt, dir, &o, &t, &err), QV_INVALID);
    char missing[96];
    snprintf(missing, sizeof missing, "%s/none.csv", dir);
    CHECK_STATUS(qv_csv_table(rt, missing, NULL, &t, &err), QV_NOT_FOUND);
    /* every file, whatever its name; no header */
    CHECK(write_text(dir, "x.data", "1,2\n3,4\n"));
    qv_file_options_init(&o);
    o.has_header = 0;
    o.file_extension = "";
    CHECK_OK(qv_csv_table(rt, dir, &o, &t, &err));
    qv_table_free(t);
    qv_table_free(NULL);
    qv_runtime_free(rt);
}
