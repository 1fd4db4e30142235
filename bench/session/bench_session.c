/*
 * bench_session.c — the cost of a session (bench/session): sessions built
 * from a profile with three configurators (one registers a table in the
 * session, one changes a setting, one registers a second table) over a
 * runtime with 10, 1,000 and 10,000 registered tables. For each size it
 * measures (a) qv_session_new + qv_session_free, with the bytes a live
 * session holds (from the counting allocator, base_alloc_thread_bytes), and
 * (b) new + SELECT count(*) FROM one of the runtime's tables + free. Prints
 * one line per size (times are CPU microseconds of the process):
 *   tables=N us_per_session=X bytes_per_session=Y us_per_query_session=Z
 * Usage: bench_session [ITERATIONS] (sessions per measurement, default 200000;
 * a tenth of that for the query sessions).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "arrow/arrow.h"
#include "session/session_int.h"

/* CPU time of the process (all its threads): the machine may be shared,
 * and waiting for a core is not the session's cost. */
static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void die(const char *what, const qv_error *err)
{
    fprintf(stderr, "bench_session: %s: %s\n", what, err->message);
    exit(1);
}

/* A memory table of one Int64 column with rows 0..n-1, as a qv_table. */
static qv_table *int_table(int64_t n_rows)
{
    qv_error err;
    arrow_field *field = NULL;
    arrow_schema *schema = NULL;
    arrow_builder *b = NULL;
    arrow_array *col = NULL;
    arrow_batch *batch = NULL;
    catalog_table *table = NULL;
    qv_table *out = NULL;
    if (arrow_field_new("x", arrow_type_primitive(QV_TYPE_INT64), false, NULL, &field, &err) !=
            QV_OK ||
        arrow_schema_new(1, &field, NULL, &schema, &err) != QV_OK ||
        arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &b, &err) != QV_OK)
        die("table", &err);
    for (int64_t i = 0; i < n_rows; i++)
        if (arrow_builder_append_int(b, i, &err) != QV_OK)
            die("table", &err);
    if (arrow_builder_finish(b, &col, &err) != QV_OK ||
        arrow_batch_new(schema, n_rows, &col, &batch, &err) != QV_OK ||
        catalog_memory_table_new(schema, &batch, 1, &table, &err) != QV_OK ||
        session_table_new(table, &out, &err) != QV_OK)
        die("table", &err);
    catalog_table_release(table);
    arrow_batch_release(batch);
    arrow_array_release(col);
    arrow_builder_free(b);
    arrow_schema_release(schema);
    arrow_field_release(field);
    return out;
}

/* ---- the three configurators ---- */

static qv_status register_mine(qv_session *session, void *user_data, qv_error *err)
{
    return qv_session_register_table(session, "mine", user_data, err);
}

static qv_status set_batch_size(qv_session *session, void *user_data, qv_error *err)
{
    (void)user_data;
    return qv_session_set(session, "datafusion.execution.batch_size", "4096", err);
}

static qv_status register_scratch(qv_session *session, void *user_data, qv_error *err)
{
    return qv_session_register_table(session, "scratch", user_data, err);
}

static void run_size(int n_tables, long iterations, qv_table *shared, qv_table *small)
{
    qv_error err;
    qv_runtime_options opts;
    qv_runtime_options_init(&opts);
    opts.n_threads = 1;
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    if (qv_runtime_new(&opts, &rt, &err) != QV_OK || qv_profile_new(rt, &profile, &err) != QV_OK)
        die("runtime", &err);
    for (int i = 0; i < n_tables; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%d", i);
        if (qv_runtime_register_table(rt, name, shared, &err) != QV_OK)
            die("register", &err);
    }
    qv_configurator configurators[3] = {
        {register_mine, small, NULL},
        {set_batch_size, NULL, NULL},
        {register_scratch, small, NULL},
    };
    for (int i = 0; i < 3; i++)
        if (qv_profile_add_configurator(profile, &configurators[i], &err) != QV_OK)
            die("configurator", &err);
    if (qv_profile_set(profile, "datafusion.execution.target_partitions", "1", &err) != QV_OK)
        die("profile", &err);

    /* Bytes a live session holds. */
    qv_session *s = NULL;
    int64_t before = base_alloc_thread_bytes();
    if (qv_session_new(profile, NULL, &s, &err) != QV_OK)
        die("session", &err);
    int64_t bytes = base_alloc_thread_bytes() - before;
    qv_session_free(s);

    /* (a) create + free. */
    double t0 = now_us();
    for (long i = 0; i < iterations; i++) {
        if (qv_session_new(profile, NULL, &s, &err) != QV_OK)
            die("session", &err);
        qv_session_free(s);
    }
    double us_session = (now_us() - t0) / (double)iterations;

    /* (b) create + SELECT count(*) FROM a registered table + free. */
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t%d", n_tables / 2);
    long query_iterations = iterations / 10 > 0 ? iterations / 10 : 1;
    int64_t total = 0;
    t0 = now_us();
    for (long i = 0; i < query_iterations; i++) {
        qv_result *r = NULL;
        if (qv_session_new(profile, NULL, &s, &err) != QV_OK ||
            qv_session_sql(s, sql, &r, &err) != QV_OK)
            die("query", &err);
        struct ArrowArray batch;
        for (;;) {
            if (qv_result_next(r, &batch, &err) != QV_OK)
                die("query", &err);
            if (batch.release == NULL)
                break;
            total += ((const int64_t *)batch.children[0]->buffers[1])[0];
            batch.release(&batch);
        }
        qv_result_free(r);
        qv_session_free(s);
    }
    double us_query = (now_us() - t0) / (double)query_iterations;
    if (total != query_iterations * 1000)
        fprintf(stderr, "bench_session: unexpected count total %lld\n", (long long)total);

    printf("tables=%d us_per_session=%.3f bytes_per_session=%lld us_per_query_session=%.2f\n",
           n_tables, us_session, (long long)bytes, us_query);
    fflush(stdout);
    qv_profile_free(profile);
    qv_runtime_free(rt);
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 200000;
    if (iterations <= 0)
        iterations = 1;
    qv_table *shared = int_table(1000);
    qv_table *small = int_table(10);
    static const int sizes[] = {10, 1000, 10000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        run_size(sizes[i], iterations, shared, small);
    qv_table_free(shared);
    qv_table_free(small);
    return 0;
}
