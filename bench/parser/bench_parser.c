/*
 * bench_parser.c — SQL parser throughput (bench/parser).
 *
 * Builds a corpus of long queries: the 22 TPC-H queries (from the directory
 * given as the first argument, default QV_TPCH_QUERIES) repeated, plus
 * synthetic long ones (wide projections, long IN lists, deep CASE and join
 * chains), then parses the whole corpus repeatedly and prints
 *   parser_mb_per_s=<MB/s> corpus_bytes=<n> statements=<n> seconds=<s>
 * No assertion on speed: the figure is recorded, not tested.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sql/sql.h"

#ifndef QV_TPCH_QUERIES
#define QV_TPCH_QUERIES "../shared/tpch/queries"
#endif

static void append_file(base_strbuf *sb, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        base_strbuf_append(sb, buf, n);
    fclose(f);
    base_strbuf_append_str(sb, ";\n");
}

static void append_synthetic(base_strbuf *sb, int seed)
{
    base_strbuf_append_str(sb, "SELECT ");
    for (int i = 0; i < 200; i++)
        base_strbuf_appendf(sb, "%scol_%d * %d + coalesce(other_%d, 0.5) AS out_%d",
                            i ? ", " : "", i, seed + i, i, i);
    base_strbuf_append_str(sb, " FROM t0");
    for (int i = 1; i < 20; i++)
        base_strbuf_appendf(sb, " LEFT JOIN t%d ON t%d.id = t%d.id AND t%d.k > %d", i, i - 1, i,
                            i, i);
    base_strbuf_append_str(sb, " WHERE x IN (");
    for (int i = 0; i < 500; i++)
        base_strbuf_appendf(sb, "%s%d", i ? ", " : "", i * 7 + seed);
    base_strbuf_append_str(sb, ") AND CASE");
    for (int i = 0; i < 100; i++)
        base_strbuf_appendf(sb, " WHEN y = 'v%d' THEN %d", i, i);
    base_strbuf_append_str(sb, " ELSE 0 END > 3 GROUP BY 1, 2 ORDER BY 1 DESC NULLS LAST "
                               "LIMIT 100;\n");
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : QV_TPCH_QUERIES;
    base_strbuf corpus;
    base_strbuf_init(&corpus);
    for (int round = 0; round < 20; round++) {
        for (int q = 1; q <= 22; q++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/q%02d.sql", dir, q);
            append_file(&corpus, path);
        }
        append_synthetic(&corpus, round);
    }
    if (base_strbuf_failed(&corpus)) {
        fprintf(stderr, "bench_parser: out of memory\n");
        return 1;
    }
    size_t statements = 0;
    int iterations = 0;
    double start = now_seconds(), elapsed = 0;
    while (elapsed < 2.0 || iterations < 3) {
        sql_parse_result *result = NULL;
        qv_error err;
        if (sql_parse(corpus.data, corpus.len, NULL, &result, &err) != QV_OK) {
            fprintf(stderr, "bench_parser: %s\n", err.message);
            return 1;
        }
        statements = result->n_statements;
        sql_parse_result_free(result);
        iterations++;
        elapsed = now_seconds() - start;
    }
    double mb = (double)corpus.len * iterations / 1e6;
    printf("parser_mb_per_s=%.1f corpus_bytes=%zu statements=%zu seconds=%.2f\n", mb / elapsed,
           corpus.len, statements, elapsed);
    base_strbuf_free(&corpus);
    return 0;
}
