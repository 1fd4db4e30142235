/*
 * quiver_h2o.c — the H2O.ai db-benchmark groupby questions on Quiver
 * (bench/h2o; a bench tool, not part of the library).
 *
 * Loads the CSV written by bench_h2o_gen into an in-memory table, registers
 * it as `x` in the runtime's shared catalog, then runs the ten groupby
 * queries, each RUNS times (best wall-clock time kept, monotonic clock). A
 * run is: qv_session_sql, then every result batch pulled through
 * qv_result_next (the result is produced in full, as Arrow arrays, and
 * dropped). One more, untimed run sums the measure columns db-benchmark
 * checks (chk=sum;sum, to compare with the peers). Prints
 *   load quiver_s=<s> rows=<n>
 *   q1 quiver_s=<s> rows=<result rows> chk=<sum>[;<sum>...]
 *   q8 quiver=unsupported (<the engine's error>)
 *
 *   bench_h2o_quiver FILE.csv [-r RUNS] [-q q1,q3,...] [-t THREADS]
 *
 * The table is loaded with the library's internal CSV reader and memory
 * table (src/format, src/catalog) rather than through SQL, so the load
 * figure is the reader's and the queries see exactly the same batches on
 * every run. Internal headers are fine here: this is a bench tool.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"
#include "format/format.h"
#include "quiver.h"
#include "session/session_int.h"

/* The questions as db-benchmark's DuckDB solution writes them, in
 * DataFusion's dialect (median for quantile_cont(v3, 0.5), power for pow). */
static const struct question {
    const char *id;
    const char *what;
    const char *sql;
    /* The measure columns whose sums db-benchmark checks (at most 3). */
    const char *check[3];
} questions[] = {
    {"q1", "sum v1 by id1", "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1", {"v1"}},
    {"q2", "sum v1 by id1:id2", "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2", {"v1"}},
    {"q3",
     "sum v1 mean v3 by id3",
     "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3",
     {"v1", "v3"}},
    {"q4",
     "mean v1:v3 by id4",
     "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4",
     {"v1", "v2", "v3"}},
    {"q5",
     "sum v1:v3 by id6",
     "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6",
     {"v1", "v2", "v3"}},
    {"q6",
     "median v3 sd v3 by id4 id5",
     "SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5",
     {"median_v3", "sd_v3"}},
    {"q7",
     "max v1 - min v2 by id3",
     "SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3",
     {"range_v1_v2"}},
    {"q8",
     "largest two v3 by id6",
     "SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 "
     "ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2",
     {"largest2_v3"}},
    {"q9",
     "regression v1 v2 by id2 id4",
     "SELECT id2, id4, power(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4",
     {"r2"}},
    {"q10",
     "sum v3 count by id1:id6",
     "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x "
     "GROUP BY id1, id2, id3, id4, id5, id6",
     {"v3", "count"}},
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const qv_error *err)
{
    fprintf(stderr, "bench_h2o_quiver: %s: %s\n", what, err->message);
    exit(1);
}

/* Reads the CSV into batches and registers them as table x; returns the row
 * count. */
static int64_t load_table(qv_runtime *runtime, const char *path)
{
    qv_error err;
    qv_error_clear(&err);
    csv_options opts;
    csv_options_init(&opts);
    arrow_schema *schema = NULL;
    if (csv_infer_files(&path, 1, &opts, &schema, &err) != QV_OK)
        die("schema inference", &err);

    csv_scan scan = {.schema = schema,
                     .projection = NULL,
                     .n_projection = 0,
                     .batch_size = 8192,
                     .limit = -1,
                     .range_start = 0,
                     .range_end = -1};
    csv_reader *reader = NULL;
    if (csv_reader_open(path, &opts, &scan, &reader, &err) != QV_OK)
        die("open", &err);

    int64_t n_batches = 0, capacity = 1024, n_rows = 0;
    arrow_batch **batches = malloc((size_t)capacity * sizeof *batches);
    for (;;) {
        arrow_batch *batch = NULL;
        if (csv_reader_next(reader, &batch, &err) != QV_OK)
            die("read", &err);
        if (batch == NULL)
            break;
        if (n_batches == capacity) {
            capacity *= 2;
            batches = realloc(batches, (size_t)capacity * sizeof *batches);
        }
        if (batches == NULL) {
            fprintf(stderr, "bench_h2o_quiver: out of memory\n");
            exit(1);
        }
        n_rows += batch->n_rows;
        batches[n_batches++] = batch;
    }

    catalog_table *table = NULL;
    if (catalog_memory_table_new(csv_reader_schema(reader), batches, n_batches, &table, &err) !=
        QV_OK)
        die("memory table", &err);
    if (catalog_register_table(runtime->catalog, "datafusion", "public", "x", table, true, &err) !=
        QV_OK)
        die("register", &err);

    catalog_table_release(table);
    for (int64_t i = 0; i < n_batches; i++)
        arrow_batch_release(batches[i]);
    free(batches);
    csv_reader_free(reader);
    arrow_schema_release(schema);
    return n_rows;
}

/* Sums of named result columns: db-benchmark's answer check, so that the
 * engines' results can be compared, not only their row counts. */
typedef struct check {
    int n;
    int column[3];  /* index in the result, -1: not found */
    char format[3]; /* the column's Arrow format character */
    double sum[3];
} check;

static void check_begin(check *chk, qv_result *result, const char *const names[3])
{
    struct ArrowSchema schema;
    memset(chk, 0, sizeof *chk);
    if (qv_result_schema(result, &schema, NULL) != QV_OK)
        return;
    for (int c = 0; c < 3 && names[c] != NULL; c++) {
        chk->column[c] = -1;
        for (int64_t i = 0; i < schema.n_children; i++)
            if (strcmp(schema.children[i]->name, names[c]) == 0) {
                chk->column[c] = (int)i;
                chk->format[c] = schema.children[i]->format[0];
            }
        chk->n++;
    }
    schema.release(&schema);
}

static void check_add(check *chk, const struct ArrowArray *batch)
{
    for (int c = 0; c < chk->n; c++) {
        if (chk->column[c] < 0)
            continue;
        const struct ArrowArray *col = batch->children[chk->column[c]];
        const uint8_t *valid = col->buffers[0];
        const void *values = col->buffers[1];
        for (int64_t row = 0; row < col->length; row++) {
            int64_t at = col->offset + batch->offset + row;
            if (valid != NULL && !(valid[at >> 3] & (1u << (at & 7))))
                continue;
            switch (chk->format[c]) {
            case 'l':
                chk->sum[c] += (double)((const int64_t *)values)[at];
                break;
            case 'L':
                chk->sum[c] += (double)((const uint64_t *)values)[at];
                break;
            case 'i':
                chk->sum[c] += ((const int32_t *)values)[at];
                break;
            case 'g':
                chk->sum[c] += ((const double *)values)[at];
                break;
            case 'f':
                chk->sum[c] += ((const float *)values)[at];
                break;
            default:
                chk->sum[c] = -1;
                break; /* a type this check does not sum */
            }
        }
    }
}

/* Runs sql once, pulling every batch; *rows gets the result's row count.
 * With chk (may be NULL), also sums the named columns. */
static qv_status run_once(qv_session *session, const char *sql, const char *const names[3],
                          check *chk, int64_t *rows, qv_error *err)
{
    qv_result *result = NULL;
    qv_status st = qv_session_sql(session, sql, &result, err);
    *rows = 0;
    if (st == QV_OK && chk != NULL)
        check_begin(chk, result, names);
    while (st == QV_OK) {
        struct ArrowArray array;
        st = qv_result_next(result, &array, err);
        if (st != QV_OK || array.release == NULL)
            break;
        *rows += array.length;
        if (chk != NULL)
            check_add(chk, &array);
        array.release(&array);
    }
    qv_result_free(result);
    return st;
}

/* Is id in the comma-separated list (NULL: every id)? */
static int selected(const char *list, const char *id)
{
    if (list == NULL)
        return 1;
    size_t len = strlen(id);
    for (const char *p = list; *p != '\0';) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, id, n) == 0)
            return 1;
        p += n + (end ? 1 : 0);
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_h2o_quiver FILE.csv [-r RUNS] [-q q1,q2,...] [-t THREADS]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    const char *path = argv[1];
    const char *only = NULL;
    int runs = 3, threads = 0;
    for (int i = 2; i < argc; i += 2) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "-r") == 0)
            runs = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-q") == 0)
            only = argv[i + 1];
        else if (strcmp(argv[i], "-t") == 0)
            threads = atoi(argv[i + 1]);
        else
            usage();
    }
    if (runs < 1)
        usage();

    qv_error err;
    qv_error_clear(&err);
    qv_runtime_options ropts;
    qv_runtime_options_init(&ropts);
    ropts.n_threads = threads;
    qv_runtime *runtime = NULL;
    qv_profile *profile = NULL;
    qv_session *session = NULL;
    if (qv_runtime_new(&ropts, &runtime, &err) != QV_OK)
        die("runtime", &err);
    if (qv_profile_new(runtime, &profile, &err) != QV_OK)
        die("profile", &err);
    if (threads > 0) {
        char text[16];
        snprintf(text, sizeof text, "%d", threads);
        if (qv_profile_set(profile, "datafusion.execution.target_partitions", text, &err) != QV_OK)
            die("target_partitions", &err);
    }
    if (qv_session_new(profile, NULL, &session, &err) != QV_OK)
        die("session", &err);

    double start = now_seconds();
    int64_t n_rows = load_table(runtime, path);
    printf("load quiver_s=%.3f rows=%lld\n", now_seconds() - start, (long long)n_rows);
    fflush(stdout);

    for (size_t q = 0; q < sizeof questions / sizeof questions[0]; q++) {
        if (!selected(only, questions[q].id))
            continue;
        double best = -1;
        int64_t rows = 0;
        qv_status st = QV_OK;
        for (int run = 0; run < runs && st == QV_OK; run++) {
            qv_error_clear(&err);
            double t0 = now_seconds();
            st = run_once(session, questions[q].sql, NULL, NULL, &rows, &err);
            double elapsed = now_seconds() - t0;
            if (st == QV_OK && (best < 0 || elapsed < best))
                best = elapsed;
        }
        /* The check runs once more, untimed. */
        check chk = {0};
        if (st == QV_OK)
            st = run_once(session, questions[q].sql, questions[q].check, &chk, &rows, &err);
        if (st == QV_OK) {
            printf("%s quiver_s=%.3f rows=%lld chk=", questions[q].id, best, (long long)rows);
            for (int c = 0; c < chk.n; c++)
                printf("%s%.9g", c ? ";" : "", chk.column[c] < 0 ? -1.0 : chk.sum[c]);
            printf("\n");
        } else {
            /* One line: the first line of the engine's message is the reason. */
            char *newline = strchr(err.message, '\n');
            if (newline != NULL)
                *newline = '\0';
            printf("%s quiver=unsupported (%s: %s)\n", questions[q].id, qv_status_name(st),
                   err.message);
        }
        fflush(stdout);
    }

    qv_session_free(session);
    qv_profile_free(profile);
    qv_runtime_free(runtime);
    return 0;
}
