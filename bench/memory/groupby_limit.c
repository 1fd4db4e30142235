/*
 * groupby_limit.c — the memory-limit check of the query engine issue: a
 * GROUP BY over 10 million distinct keys under a 64 MiB pool must either
 * succeed by spilling or fail with SQLSTATE 53200, and the process's peak
 * RSS must stay bounded. Prints one line:
 *   rows=N limit_mib=M status=<code> sqlstate=S table_mib=T peak_rss_mib=R rss_over_table_mib=D
 * A benchmark-style measurement (bench/), not a test: it needs ~1 GB free.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "arrow/arrow.h"
#include "catalog/catalog.h"
#include "session/session_int.h"

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* 10M rows (k = 0..n-1, v = k % 7) in batches of 8192, as a memory table. */
static qv_status make_table(int64_t n, catalog_table **out, qv_error *err)
{
    arrow_field *fields[2] = {NULL, NULL};
    arrow_schema *schema = NULL;
    QV_TRY(arrow_field_new("k", arrow_type_primitive(QV_TYPE_INT64), false, NULL, &fields[0], err));
    QV_TRY(arrow_field_new("v", arrow_type_primitive(QV_TYPE_INT64), false, NULL, &fields[1], err));
    QV_TRY(arrow_schema_new(2, fields, NULL, &schema, err));
    int64_t n_batches = (n + 8191) / 8192;
    arrow_batch **batches = calloc((size_t)n_batches, sizeof *batches);
    qv_status st = batches ? QV_OK : base_error_nomem(err, "batches");
    for (int64_t b = 0; b < n_batches && st == QV_OK; b++) {
        int64_t start = b * 8192, len = n - start < 8192 ? n - start : 8192;
        arrow_builder *kb = NULL, *vb = NULL;
        arrow_array *cols[2] = {NULL, NULL};
        st = arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &kb, err);
        if (st == QV_OK)
            st = arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &vb, err);
        for (int64_t i = 0; i < len && st == QV_OK; i++) {
            st = arrow_builder_append_int(kb, start + i, err);
            if (st == QV_OK)
                st = arrow_builder_append_int(vb, (start + i) % 7, err);
        }
        if (st == QV_OK)
            st = arrow_builder_finish(kb, &cols[0], err);
        if (st == QV_OK)
            st = arrow_builder_finish(vb, &cols[1], err);
        if (st == QV_OK)
            st = arrow_batch_new(schema, len, cols, &batches[b], err);
        arrow_array_release(cols[0]);
        arrow_array_release(cols[1]);
        arrow_builder_free(kb);
        arrow_builder_free(vb);
    }
    if (st == QV_OK)
        st = catalog_memory_table_new(schema, batches, n_batches, out, err);
    for (int64_t b = 0; batches && b < n_batches; b++)
        arrow_batch_release(batches[b]);
    free(batches);
    arrow_schema_release(schema);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return st;
}

int main(int argc, char **argv)
{
    int64_t rows = argc > 1 ? atoll(argv[1]) : 10000000;
    int64_t limit_mib = argc > 2 ? atoll(argv[2]) : 64;
    qv_error err;
    qv_runtime_options opts;
    qv_runtime_options_init(&opts);
    opts.memory_limit = limit_mib << 20;
    qv_runtime *rt = NULL;
    qv_profile *profile = NULL;
    qv_session *session = NULL;
    catalog_table *table = NULL;
    if (qv_runtime_new(&opts, &rt, &err) != QV_OK || make_table(rows, &table, &err) != QV_OK ||
        catalog_register_table(rt->catalog, "datafusion", "public", "t", table, false, &err) !=
            QV_OK ||
        qv_profile_new(rt, &profile, &err) != QV_OK ||
        qv_session_new(profile, NULL, &session, &err) != QV_OK) {
        fprintf(stderr, "setup failed: %s\n", err.message);
        return 1;
    }
    long table_kib = peak_rss_kib();
    qv_result *result = NULL;
    qv_status st = qv_session_sql(session, "SELECT k, count(*) FROM t GROUP BY k", &result, &err);
    int64_t out_rows = 0;
    while (st == QV_OK) {
        struct ArrowArray batch;
        st = qv_result_next(result, &batch, &err);
        if (st != QV_OK || batch.release == NULL)
            break;
        out_rows += batch.length;
        batch.release(&batch);
    }
    long peak_kib = peak_rss_kib();
    printf("rows=%lld limit_mib=%lld status=%s sqlstate=%s out_rows=%lld table_rss_mib=%ld "
           "peak_rss_mib=%ld rss_over_table_mib=%ld\n",
           (long long)rows, (long long)limit_mib, qv_status_name(st),
           st == QV_OK ? "00000" : err.sqlstate, (long long)out_rows, table_kib / 1024,
           peak_kib / 1024, (peak_kib - table_kib) / 1024);
    if (st != QV_OK)
        printf("message: %s\n", err.message);
    qv_result_free(result);
    catalog_table_release(table);
    qv_session_free(session);
    qv_profile_free(profile);
    qv_runtime_free(rt);
    return 0;
}
