/*
 * options.c — quiver-slt's run options (declared in runner.h): defaults,
 * named configurations (batch sizes, target partitions, optimizer off), the
 * prelude file, and the file filters.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

void slt_run_options_init(slt_run_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->runner_defaults = true;
    slt_strv_push(&opts->labels, "Datafusion");
    slt_strv_push(&opts->labels, "DataFusion");
    opts->dialect = -1;
    opts->record_timeout = 30;
    opts->file_timeout = 900;
    opts->jobs = 1;
    opts->show_failures = 3;
    opts->max_lines = 12;
}

void slt_run_options_free(slt_run_options *opts)
{
    slt_strv_free(&opts->settings);
    slt_strv_free(&opts->prelude);
    slt_strv_free(&opts->filters);
    slt_strv_free(&opts->excludes);
    slt_strv_free(&opts->labels);
}

static const struct {
    const char *name;
    const char *setting;
} named_configs[] = {
    {"batch1", "datafusion.execution.batch_size=1"},
    {"batch7", "datafusion.execution.batch_size=7"},
    {"batch8192", "datafusion.execution.batch_size=8192"},
    {"tp1", "datafusion.execution.target_partitions=1"},
    {"tp2", "datafusion.execution.target_partitions=2"},
    {"tp4", "datafusion.execution.target_partitions=4"},
    {"noopt", "datafusion.optimizer.max_passes=0"},
};

bool slt_run_options_add_config(slt_run_options *opts, const char *names)
{
    char *copy = slt_xstrdup(names);
    bool ok = true;
    char *save = NULL;
    for (char *name = strtok_r(copy, ",", &save); ok && name != NULL;
         name = strtok_r(NULL, ",", &save)) {
        ok = false;
        for (size_t i = 0; i < sizeof named_configs / sizeof named_configs[0]; i++) {
            if (strcmp(named_configs[i].name, name) == 0) {
                slt_strv_push(&opts->settings, named_configs[i].setting);
                ok = true;
            }
        }
    }
    free(copy);
    return ok;
}

bool slt_run_options_load_prelude(slt_run_options *opts, const char *path, char *err,
                                  size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, err_size, "cannot read prelude %s: %s", path, strerror(errno));
        return false;
    }
    slt_buf statement = {0};
    char line[8192];
    while (fgets(line, sizeof line, f) != NULL) {
        size_t len = slt_trim_end_len(line, strlen(line));
        line[len] = '\0';
        const char *text = line;
        while (*text == ' ' || *text == '\t')
            text++;
        if (statement.len == 0 &&
            (text[0] == '\0' || text[0] == '#' || (text[0] == '-' && text[1] == '-')))
            continue;
        if (statement.len > 0)
            slt_buf_addc(&statement, '\n');
        slt_buf_adds(&statement, line);
        if (len > 0 && line[len - 1] == ';')
            slt_strv_push_owned(&opts->prelude, slt_buf_take(&statement));
    }
    fclose(f);
    if (statement.len > 0)
        slt_strv_push_owned(&opts->prelude, slt_buf_take(&statement));
    return true;
}

static bool pattern_matches(const char *pattern, const char *path)
{
    if (strpbrk(pattern, "*?[") == NULL)
        return strstr(path, pattern) != NULL;
    /* A glob matches the whole path or any tail of it that starts after a
     * '/', so the glob array/a*.slt selects .../test_files/array/a1.slt. */
    for (const char *tail = path; tail != NULL; tail = strchr(tail, '/')) {
        if (*tail == '/')
            tail++;
        if (fnmatch(pattern, tail, 0) == 0)
            return true;
    }
    return false;
}

bool slt_path_selected(const slt_run_options *opts, const char *path)
{
    bool selected = opts->filters.n == 0;
    for (size_t i = 0; !selected && i < opts->filters.n; i++)
        selected = pattern_matches(opts->filters.items[i], path);
    for (size_t i = 0; selected && i < opts->excludes.n; i++)
        selected = !pattern_matches(opts->excludes.items[i], path);
    return selected;
}
