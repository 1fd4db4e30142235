/*
 * report.c — TSV summaries, baselines and totals of quiver-slt (see
 * report.h).
 */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "slt_util.h"

#define N_COLUMNS 14
static const char *const column_names[N_COLUMNS] = {
    "path",    "records",         "attempted",      "passed",  "failed",
    "skipped", "skipped_explain", "passed_lenient", "queries", "queries_passed",
    "crashes", "timeouts",        "seconds",        "error"};

static size_t *count_field(slt_file_result *r, size_t column)
{
    size_t *fields[] = {NULL,        &r->records,        &r->attempted,       &r->passed,
                        &r->failed,  &r->skipped,        &r->skipped_explain, &r->passed_lenient,
                        &r->queries, &r->queries_passed, &r->crashes,         &r->timeouts};
    return column < sizeof fields / sizeof fields[0] ? fields[column] : NULL;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const slt_file_result *)a)->path, ((const slt_file_result *)b)->path);
}

static void write_line(FILE *f, const slt_file_result *r)
{
    fprintf(f, "%s\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%.2f\t%d\n", r->path,
            r->records, r->attempted, r->passed, r->failed, r->skipped, r->skipped_explain,
            r->passed_lenient, r->queries, r->queries_passed, r->crashes, r->timeouts, r->seconds,
            r->error ? 1 : 0);
}

static bool write_sorted(const char *path, const slt_file_result *results, size_t n,
                         const char *comment, char *err, size_t err_size)
{
    slt_file_result *sorted = slt_xmalloc((n ? n : 1) * sizeof *sorted);
    if (n > 0)
        memcpy(sorted, results, n * sizeof *sorted);
    if (n > 1)
        qsort(sorted, n, sizeof *sorted, by_path);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        snprintf(err, err_size, "cannot write %s: %s", tmp, strerror(errno));
        free(sorted);
        return false;
    }
    fprintf(f, "# %s\n", comment);
    for (size_t c = 0; c < N_COLUMNS; c++)
        fprintf(f, "%s%c", column_names[c], c + 1 < N_COLUMNS ? '\t' : '\n');
    for (size_t i = 0; i < n; i++)
        write_line(f, &sorted[i]);
    free(sorted);
    bool ok = fclose(f) == 0 && rename(tmp, path) == 0;
    if (!ok)
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
    return ok;
}

bool slt_tsv_write(const char *path, const slt_file_result *results, size_t n, char *err,
                   size_t err_size)
{
    return write_sorted(path, results, n,
                        "quiver-slt summary: one line per file; passed = exact rules, "
                        "passed_lenient = any error satisfies an error record",
                        err, err_size);
}

void slt_results_free(slt_file_result *results, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(results[i].path);
    free(results);
}

/* Splits line at tabs into at most max fields (in place). */
static size_t split_tabs(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

bool slt_tsv_parse(const char *text, slt_file_result **out, size_t *n, char *err, size_t err_size)
{
    *out = NULL;
    *n = 0;
    slt_strv lines = {0};
    slt_split_lines(text, &lines);
    int map[64]; /* file column -> our column, -1 unknown */
    size_t n_file_columns = 0;
    size_t cap = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < lines.n; i++) {
        char *line = lines.items[i];
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *fields[64];
        size_t n_fields = split_tabs(line, fields, 64);
        if (n_file_columns == 0) {
            n_file_columns = n_fields;
            bool has_path = false;
            for (size_t c = 0; c < n_fields; c++) {
                map[c] = -1;
                for (int k = 0; k < N_COLUMNS; k++) {
                    if (strcmp(fields[c], column_names[k]) == 0)
                        map[c] = k;
                }
                has_path |= map[c] == 0;
            }
            if (!has_path) {
                snprintf(err, err_size, "line %zu: header without a 'path' column", i + 1);
                ok = false;
            }
            continue;
        }
        if (*n == cap) {
            cap = cap < 64 ? 64 : cap * 2;
            *out = slt_xrealloc(*out, cap * sizeof **out);
        }
        slt_file_result *r = &(*out)[(*n)++];
        memset(r, 0, sizeof *r);
        for (size_t c = 0; c < n_fields && c < n_file_columns; c++) {
            int k = map[c];
            if (k == 0)
                r->path = slt_xstrdup(fields[c]);
            else if (k == 12)
                r->seconds = strtod(fields[c], NULL);
            else if (k == 13)
                r->error = strtol(fields[c], NULL, 10) != 0;
            else if (k > 0)
                *count_field(r, (size_t)k) = (size_t)strtoull(fields[c], NULL, 10);
        }
        if (r->path == NULL) {
            snprintf(err, err_size, "line %zu: no path", i + 1);
            ok = false;
        }
    }
    slt_strv_free(&lines);
    if (!ok) {
        slt_results_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return ok;
}

bool slt_tsv_read(const char *path, slt_file_result **out, size_t *n, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    slt_buf b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        slt_buf_add(&b, chunk, got);
    fclose(f);
    bool ok = slt_tsv_parse(slt_buf_cstr(&b), out, n, err, err_size);
    slt_buf_free(&b);
    return ok;
}

static const slt_file_result *find(const slt_file_result *results, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(results[i].path, path) == 0)
            return &results[i];
    }
    return NULL;
}

size_t slt_baseline_compare(const slt_file_result *baseline, size_t n_baseline,
                            const slt_file_result *current, size_t n_current, FILE *f)
{
    size_t regressions = 0, improved = 0, compared = 0;
    for (size_t i = 0; i < n_current; i++) {
        const slt_file_result *base = find(baseline, n_baseline, current[i].path);
        if (base == NULL)
            continue;
        compared++;
        if (current[i].passed < base->passed || current[i].passed_lenient < base->passed_lenient) {
            fprintf(f, "REGRESSION %s: %zu passed (lenient %zu), baseline %zu (lenient %zu)\n",
                    current[i].path, current[i].passed, current[i].passed_lenient, base->passed,
                    base->passed_lenient);
            regressions++;
        } else if (current[i].passed > base->passed ||
                   current[i].passed_lenient > base->passed_lenient) {
            improved++;
        }
    }
    fprintf(f, "baseline: %zu files compared, %zu regressed, %zu improved%s\n", compared,
            regressions, improved,
            improved > 0 ? " (raise the baseline with --write-baseline)" : "");
    return regressions;
}

bool slt_baseline_write(const char *path, const slt_file_result *current, size_t n_current,
                        char *err, size_t err_size)
{
    slt_file_result *old = NULL;
    size_t n_old = 0;
    FILE *probe = fopen(path, "rb");
    if (probe != NULL) {
        fclose(probe);
        if (!slt_tsv_read(path, &old, &n_old, err, err_size))
            return false;
    }
    size_t n_all = n_current;
    slt_file_result *all = slt_xmalloc((n_current + n_old + 1) * sizeof *all);
    if (n_current > 0)
        memcpy(all, current, n_current * sizeof *all);
    /* Timings would make every regeneration differ on every line. */
    for (size_t i = 0; i < n_current; i++)
        all[i].seconds = 0;
    for (size_t i = 0; i < n_old; i++) {
        if (find(current, n_current, old[i].path) == NULL)
            all[n_all++] = old[i];
    }
    bool ok = write_sorted(path, all, n_all,
                           "quiver-slt baseline: a file passing fewer records (passed or "
                           "passed_lenient) than here fails the run; regenerate with "
                           "--write-baseline",
                           err, err_size);
    free(all);
    slt_results_free(old, n_old);
    return ok;
}

static double percent(size_t part, size_t whole)
{
    return whole == 0 ? 100.0 : 100.0 * (double)part / (double)whole;
}

void slt_print_totals(FILE *f, const slt_file_result *results, size_t n)
{
    slt_file_result t = {0};
    size_t perfect = 0, with_attempts = 0, errors = 0;
    double rate_sum = 0;
    for (size_t i = 0; i < n; i++) {
        const slt_file_result *r = &results[i];
        t.records += r->records;
        t.attempted += r->attempted;
        t.passed += r->passed;
        t.failed += r->failed;
        t.skipped += r->skipped;
        t.skipped_explain += r->skipped_explain;
        t.passed_lenient += r->passed_lenient;
        t.queries += r->queries;
        t.queries_passed += r->queries_passed;
        t.crashes += r->crashes;
        t.timeouts += r->timeouts;
        t.seconds += r->seconds;
        errors += r->error;
        if (r->attempted > 0) {
            with_attempts++;
            rate_sum += percent(r->passed, r->attempted);
        }
        perfect += !r->error && r->failed == 0;
    }
    fprintf(f, "\nfiles: %zu (%zu passing every attempted record, %zu unreadable)\n", n, perfect,
            errors);
    fprintf(f, "records: %zu, attempted %zu, skipped %zu (EXPLAIN %zu)\n", t.records, t.attempted,
            t.skipped, t.skipped_explain);
    fprintf(f, "exact:   %zu of %zu attempted records passed (%.2f%%)\n", t.passed, t.attempted,
            percent(t.passed, t.attempted));
    fprintf(f, "lenient: %zu of %zu (%.2f%%; any error satisfies an error record)\n",
            t.passed_lenient, t.attempted, percent(t.passed_lenient, t.attempted));
    fprintf(f, "queries: %zu of %zu (%.2f%%)\n", t.queries_passed, t.queries,
            percent(t.queries_passed, t.queries));
    fprintf(f, "mean per-file rate: %.2f%%; crashes %zu, timeouts %zu; %.1f s in files\n",
            with_attempts ? rate_sum / (double)with_attempts : 100.0, t.crashes, t.timeouts,
            t.seconds);
    fprintf(f, "%zu passed, %zu failed\n", t.passed, t.failed);
}
