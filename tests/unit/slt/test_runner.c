/*
 * test_runner.c — quiver-slt's runner end to end, against a fake engine:
 * records run in a child process, a crash or a hang fails only the record
 * that was running and the file carries on in a new child, setup failures,
 * settings, the prelude, TSV and baseline exit codes, --complete.
 *
 * The fake engine understands a tiny language instead of SQL:
 *   ok | CREATE ...        statement complete
 *   rows <types> <cells>   rows: cells separated by ',' within a row, ';' between rows
 *   error <message>        an error
 *   crash                  the process dies (SIGKILL)
 *   hang                   never returns
 *   setting <key>          one row: the value of setting <key>, or NULL
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "slt_test_util.h"
#include "test.h"
#include "workspace.h"

typedef struct fake_session {
    slt_strv settings;
} fake_session;

static void *fake_open(const slt_engine_config *config, char *errbuf, size_t errbuf_size)
{
    fake_session *s = slt_xcalloc(1, sizeof *s);
    for (size_t i = 0; i < config->n_settings; i++) {
        if (strcmp(config->settings[i], "fake.fail_open=1") == 0) {
            snprintf(errbuf, errbuf_size, "fake engine refuses to open");
            slt_strv_free(&s->settings);
            free(s);
            return NULL;
        }
        slt_strv_push(&s->settings, config->settings[i]);
    }
    return s;
}

static void fake_close(void *handle)
{
    fake_session *s = handle;
    if (s == NULL)
        return;
    slt_strv_free(&s->settings);
    free(s);
}

static void fake_rows(const char *types, const char *cells_text, slt_output *out)
{
    slt_strv cells = {0};
    size_t n_rows = 0;
    char *copy = slt_xstrdup(cells_text);
    char *row_save = NULL;
    for (char *row = strtok_r(copy, ";", &row_save); row != NULL;
         row = strtok_r(NULL, ";", &row_save)) {
        char *cell_save = NULL;
        for (char *cell = strtok_r(row, ",", &cell_save); cell != NULL;
             cell = strtok_r(NULL, ",", &cell_save))
            slt_strv_push(&cells, cell);
        n_rows++;
    }
    free(copy);
    slt_test_output(out, types, cells.n == n_rows * strlen(types) ? n_rows : 0,
                    (const char *const *)cells.items);
    slt_strv_free(&cells);
}

static void fake_exec(void *handle, const char *sql, slt_output *out)
{
    fake_session *s = handle;
    if (strcmp(sql, "ok") == 0 || strncmp(sql, "CREATE", 6) == 0) {
        memset(out, 0, sizeof *out);
    } else if (strncmp(sql, "error ", 6) == 0) {
        slt_output_set_error(out, sql + 6);
    } else if (strcmp(sql, "crash") == 0) {
        raise(SIGKILL);
    } else if (strcmp(sql, "hang") == 0) {
        for (;;)
            pause();
    } else if (strncmp(sql, "rows ", 5) == 0) {
        const char *space = strchr(sql + 5, ' ');
        char *types = slt_xstrndup(sql + 5, space != NULL ? (size_t)(space - sql - 5) : 0);
        fake_rows(types, space != NULL ? space + 1 : "", out);
        free(types);
    } else if (strncmp(sql, "setting ", 8) == 0) {
        const char *value = "NULL";
        size_t key_len = strlen(sql + 8);
        for (size_t i = 0; i < s->settings.n; i++) {
            if (strncmp(s->settings.items[i], sql + 8, key_len) == 0 &&
                s->settings.items[i][key_len] == '=')
                value = s->settings.items[i] + key_len + 1;
        }
        const char *cells[] = {value};
        slt_test_output(out, "T", 1, cells);
    } else {
        slt_output_set_error(out, "fake engine: unknown command");
    }
}

static const slt_engine fake_engine = {"fake", fake_open, fake_exec, fake_close};

/* Runs paths with opts (stdout silenced); returns the exit code. */
static int run_quietly(slt_run_options *opts, char **paths, size_t n, slt_file_result **results,
                       size_t *n_results)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, STDOUT_FILENO);
    close(null_fd);
    int code = slt_run(opts, paths, n, results, n_results);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    return code;
}

static void fake_options(slt_run_options *opts)
{
    slt_run_options_init(opts);
    opts->engine = &fake_engine;
    opts->runner_defaults = false;
    opts->record_timeout = 1.5;
    opts->quiet = true;
}

TEST(runner_passes_and_fails)
{
    char *dir = slt_test_tmpdir();
    char *path = slt_test_write(dir, "basic.slt",
                                "statement ok\nok\n\n"
                                "query IT rowsort\nrows IT 2,b;1,a\n----\n1 a\n2 b\n\n"
                                "query I\nrows I 1\n----\n2\n\n"
                                "statement error boom\nerror DataFusion says boom\n\n"
                                "query error not this\nerror something else\n\n"
                                "skipif DataFusion\nstatement ok\ncrash\n\n"
                                "query T\nEXPLAIN rows T x\n----\nx\n");
    slt_run_options opts;
    fake_options(&opts);
    slt_file_result *results = NULL;
    size_t n = 0;
    int code = run_quietly(&opts, &path, 1, &results, &n);
    CHECK_INT_EQ(code, 1); /* failures and no baseline */
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(results[0].records, 7);
    CHECK_INT_EQ(results[0].skipped, 2);
    CHECK_INT_EQ(results[0].skipped_explain, 1);
    CHECK_INT_EQ(results[0].attempted, 5);
    CHECK_INT_EQ(results[0].passed, 3);
    CHECK_INT_EQ(results[0].failed, 2);
    CHECK_INT_EQ(results[0].passed_lenient, 4);
    CHECK_INT_EQ(results[0].queries, 2);
    CHECK_INT_EQ(results[0].queries_passed, 1);
    slt_results_free(results, n);
    slt_run_options_free(&opts);
    remove(path);
    slt_remove_tree(dir);
    free(path);
    free(dir);
}

TEST(runner_survives_crash_and_hang)
{
    char *dir = slt_test_tmpdir();
    char *path = slt_test_write(dir, "crash.slt",
                                "statement ok\nok\n\n"
                                "statement ok\ncrash\n\n"
                                "query I\nrows I 1\n----\n1\n\n"
                                "statement ok\nhang\n\n"
                                "query I\nrows I 2\n----\n2\n");
    char *second = slt_test_write(dir, "after.slt", "query T\nrows T y\n----\ny\n");
    char *paths[] = {path, second};
    slt_run_options opts;
    fake_options(&opts);
    opts.jobs = 2;
    slt_file_result *results = NULL;
    size_t n = 0;
    int code = run_quietly(&opts, paths, 2, &results, &n);
    CHECK_INT_EQ(code, 1);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(results[0].attempted, 5);
    CHECK_INT_EQ(results[0].passed, 3);
    CHECK_INT_EQ(results[0].crashes, 1);
    CHECK_INT_EQ(results[0].timeouts, 1);
    CHECK_INT_EQ(results[1].passed, 1);
    CHECK_INT_EQ(results[1].failed, 0);
    slt_results_free(results, n);
    slt_run_options_free(&opts);
    slt_remove_tree(dir);
    free(path);
    free(second);
    free(dir);
}

TEST(runner_settings_prelude_and_setup_failure)
{
    char *dir = slt_test_tmpdir();
    char *path = slt_test_write(dir, "settings.slt",
                                "query T\nsetting datafusion.execution.batch_size\n----\n7\n\n"
                                "query T\nsetting datafusion.execution.target_partitions\n----\n"
                                "2\n");
    slt_run_options opts;
    fake_options(&opts);
    CHECK(slt_run_options_add_config(&opts, "batch7,tp2"));
    CHECK(!slt_run_options_add_config(&opts, "nonsense"));
    char *prelude = slt_test_write(dir, "prelude.sql", "# setup\nok;\n\nCREATE\n  x;\n");
    char err[256];
    CHECK(slt_run_options_load_prelude(&opts, prelude, err, sizeof err));
    CHECK_INT_EQ(opts.prelude.n, 2);
    CHECK_STR_EQ(opts.prelude.items[1], "CREATE\n  x;");
    slt_run_options_free(&opts);

    fake_options(&opts);
    CHECK(slt_run_options_add_config(&opts, "batch7,tp2"));
    slt_file_result *results = NULL;
    size_t n = 0;
    CHECK_INT_EQ(run_quietly(&opts, &path, 1, &results, &n), 0);
    CHECK_INT_EQ(results[0].passed, 2);
    slt_results_free(results, n);
    slt_strv_push(&opts.settings, "fake.fail_open=1");
    CHECK_INT_EQ(run_quietly(&opts, &path, 1, &results, &n), 1);
    CHECK_INT_EQ(results[0].attempted, 2);
    CHECK_INT_EQ(results[0].failed, 2);
    slt_results_free(results, n);
    slt_run_options_free(&opts);

    fake_options(&opts);
    slt_strv_push(&opts.prelude, "error prelude breaks");
    CHECK_INT_EQ(run_quietly(&opts, &path, 1, &results, &n), 1);
    CHECK_INT_EQ(results[0].failed, 2);
    slt_results_free(results, n);
    slt_run_options_free(&opts);
    slt_remove_tree(dir);
    free(prelude);
    free(path);
    free(dir);
}

TEST(runner_baseline_ratchet_and_filters)
{
    char *dir = slt_test_tmpdir();
    char *good = slt_test_write(dir, "good.slt", "query I\nrows I 1\n----\n1\n");
    char *bad = slt_test_write(dir, "bad.slt", "query I\nrows I 1\n----\n2\n");
    slt_buf baseline = {0};
    slt_buf_addf(&baseline, "%s/baseline.tsv", dir);
    slt_run_options opts;
    fake_options(&opts);
    opts.write_baseline_path = slt_buf_cstr(&baseline);
    slt_file_result *results = NULL;
    size_t n = 0;
    CHECK_INT_EQ(run_quietly(&opts, &dir, 1, &results, &n), 0);
    CHECK_INT_EQ(n, 2);
    slt_results_free(results, n);
    opts.write_baseline_path = NULL;
    opts.baseline_path = slt_buf_cstr(&baseline);
    CHECK_INT_EQ(run_quietly(&opts, &dir, 1, &results, &n), 0); /* failures at baseline level */
    slt_results_free(results, n);
    /* good.slt regresses. */
    char *worse = slt_test_write(dir, "good.slt", "query I\nrows I 1\n----\n3\n");
    CHECK_INT_EQ(run_quietly(&opts, &dir, 1, &results, &n), 1);
    slt_results_free(results, n);
    /* Filters: only bad.slt runs, so the regression of good.slt is not seen. */
    slt_strv_push(&opts.filters, "*bad*");
    CHECK_INT_EQ(run_quietly(&opts, &dir, 1, &results, &n), 0);
    CHECK_INT_EQ(n, 1);
    slt_results_free(results, n);
    CHECK(slt_path_selected(&opts, "x/bad.slt"));
    CHECK(!slt_path_selected(&opts, "x/good.slt"));
    slt_strv_push(&opts.excludes, "bad");
    CHECK(!slt_path_selected(&opts, "x/bad.slt"));
    slt_run_options globs;
    slt_run_options_init(&globs);
    slt_strv_push(&globs.filters, "array/*.slt");
    CHECK(slt_path_selected(&globs, "../t/test_files/array/array_all.slt"));
    CHECK(!slt_path_selected(&globs, "../t/test_files/array_sum.slt"));
    slt_run_options_free(&globs);
    slt_run_options_free(&opts);
    slt_remove_tree(dir);
    slt_buf_free(&baseline);
    free(worse);
    free(good);
    free(bad);
    free(dir);
}

TEST(runner_complete_rewrites_failures)
{
    char *dir = slt_test_tmpdir();
    char *path = slt_test_write(dir, "mine.slt",
                                "statement ok\nok\n\n"
                                "query I\nrows IT 1,a\n----\n2\n\n"
                                "statement ok\nerror no such table: t\n\n"
                                "query I rowsort\nrows I 2;1\n\n"
                                "# end\n");
    slt_run_options opts;
    fake_options(&opts);
    opts.complete = true;
    slt_file_result *results = NULL;
    size_t n = 0;
    CHECK_INT_EQ(run_quietly(&opts, &path, 1, &results, &n), 1);
    slt_results_free(results, n);
    char *text = slt_test_read(path);
    CHECK_STR_EQ(text, "statement ok\nok\n\n"
                       "query IT\nrows IT 1,a\n----\n1 a\n\n"
                       "statement error DataFusion error: no such table: t\n"
                       "error no such table: t\n\n"
                       "query I rowsort\nrows I 2;1\n----\n1\n2\n\n"
                       "# end\n");
    free(text);
    opts.complete = false;
    CHECK_INT_EQ(run_quietly(&opts, &path, 1, &results, &n), 0);
    CHECK_INT_EQ(results[0].passed, 4);
    slt_results_free(results, n);
    slt_run_options_free(&opts);
    slt_remove_tree(dir);
    free(path);
    free(dir);
}

TEST(workspace_detection_and_shadow)
{
    char *dir = slt_test_tmpdir();
    slt_buf tf = {0};
    slt_buf_addf(&tf, "%s/ws/datafusion/sqllogictest/test_files/sub", dir);
    CHECK(slt_make_dirs(slt_buf_cstr(&tf)));
    slt_buf data = {0};
    slt_buf_addf(&data, "%s/ws/testing/data", dir);
    CHECK(slt_make_dirs(slt_buf_cstr(&data)));
    char *file = slt_test_write(slt_buf_cstr(&tf), "x.slt", "statement ok\nok\n");
    char *root = slt_workspace_detect_root(file);
    CHECK(root != NULL);
    CHECK(strstr(root, "/ws") != NULL && strcmp(root + strlen(root) - 3, "/ws") == 0);
    CHECK(slt_workspace_detect_root(dir) == NULL);
    char *stem = slt_file_stem(file);
    CHECK_STR_EQ(stem, "x");
    free(stem);

    slt_workspace ws;
    char err[512];
    CHECK(slt_workspace_init(&ws, NULL, false, err, sizeof err));
    char *cwd = NULL;
    slt_strv roots = {0};
    CHECK(slt_workspace_prepare(&ws, root, file, &cwd, &roots, err, sizeof err));
    CHECK(strncmp(cwd, ws.work_dir, strlen(ws.work_dir)) == 0);
    slt_buf probe = {0};
    slt_buf_addf(&probe, "%s/../../testing/data", cwd);
    CHECK(access(slt_buf_cstr(&probe), F_OK) == 0); /* relative corpus paths resolve */
    slt_buf_free(&probe);
    slt_buf_addf(&probe, "%s/test_files/scratch/x", cwd);
    CHECK(access(slt_buf_cstr(&probe), W_OK) == 0);
    slt_buf_free(&probe);
    slt_buf_addf(&probe, "%s/test_files/sub/x.slt", cwd);
    CHECK(access(slt_buf_cstr(&probe), R_OK) == 0);
    slt_buf_free(&probe);
    slt_buf_addf(&probe, "%s/test_files/scratch", root);
    CHECK(access(slt_buf_cstr(&probe), F_OK) != 0); /* the real workspace is untouched */
    slt_buf_free(&probe);
    CHECK(roots.n >= 2);
    CHECK(strlen(roots.items[0]) >= strlen(roots.items[roots.n - 1]));
    char *work = slt_xstrdup(ws.work_dir);
    slt_workspace_cleanup(&ws);
    CHECK(access(work, F_OK) != 0);
    CHECK(access(file, F_OK) == 0); /* links were removed, not followed */
    free(work);
    free(cwd);
    slt_strv_free(&roots);
    free(root);
    free(file);
    slt_buf_free(&tf);
    slt_buf_free(&data);
    slt_remove_tree(dir);
    free(dir);
}
