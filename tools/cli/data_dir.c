/*
 * data_dir.c — --data DIR: every CSV, TSV and NDJSON file of a directory
 * (also compressed: .gz, .bz2, .xz, .zst) becomes a table named after the
 * file without its extensions (cities.csv -> "cities"), made by
 * qv_csv_table / qv_ndjson_table (the schema is inferred once, here) and
 * registered in the session with qv_session_register_table. Files the engine
 * refuses are reported and skipped.
 */
#define _POSIX_C_SOURCE 200809L /* scandir, alphasort */

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "arrow/arrow.h"
#include "cli.h"
#include "format/format.h"

typedef enum file_reader { READ_CSV, READ_NDJSON } file_reader;

/* The kinds of files registered, by extension. */
static const struct {
    const char *extension;
    file_reader reader;
    char delimiter; /* CSV; 0 for ',' */
} file_kinds[] = {
    {".csv", READ_CSV, 0},       {".tsv", READ_CSV, '\t'},   {".json", READ_NDJSON, 0},
    {".ndjson", READ_NDJSON, 0}, {".jsonl", READ_NDJSON, 0},
};

static bool ends_with(const char *name, size_t len, const char *suffix)
{
    size_t suffix_len = strlen(suffix);
    return len > suffix_len && strncasecmp(name + len - suffix_len, suffix, suffix_len) == 0;
}

/* The kind of file name (an index into file_kinds) and the length of its
 * stem; -1 for files that are not registered. */
static int file_kind_of(const char *name, size_t *stem_len)
{
    size_t compression_len = 0;
    fmt_compression_of_name(name, &compression_len);
    size_t len = strlen(name) - compression_len;
    for (size_t k = 0; k < sizeof file_kinds / sizeof file_kinds[0]; k++) {
        if (ends_with(name, len, file_kinds[k].extension)) {
            *stem_len = len - strlen(file_kinds[k].extension);
            return (int)k;
        }
    }
    return -1;
}

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The table name for a stem: double-quoted (the register functions read
 * names as SQL does), so that it keeps its case and any character. */
static void append_table_name(base_strbuf *sb, const char *stem, size_t stem_len)
{
    base_strbuf_append_char(sb, '"');
    for (size_t k = 0; k < stem_len; k++) {
        if (stem[k] == '"')
            base_strbuf_append_char(sb, '"');
        base_strbuf_append_char(sb, stem[k]);
    }
    base_strbuf_append_char(sb, '"');
}

static qv_status make_table(cli_state *cli, const char *path, int kind, qv_table **out,
                            qv_error *err)
{
    qv_file_options options;
    qv_file_options_init(&options);
    options.delimiter = file_kinds[kind].delimiter;
    if (file_kinds[kind].reader == READ_CSV)
        return qv_csv_table(cli->runtime, path, &options, out, err);
    return qv_ndjson_table(cli->runtime, path, &options, out, err);
}

/* Registers file `path` of kind `kind` as table `name`; true on success. The
 * failure is reported. */
static bool register_file(cli_state *cli, const char *path, int kind, const char *name)
{
    qv_error err;
    qv_error_clear(&err);
    qv_table *table = NULL;
    qv_status status = make_table(cli, path, kind, &table, &err);
    if (status == QV_OK)
        status = qv_session_register_table(cli->session, name, table, &err);
    qv_table_free(table);
    if (status != QV_OK) {
        fprintf(stderr, "quiver: %s not registered as table %s: %s\n", path, name,
                err.message[0] != '\0' ? err.message : qv_status_message(status));
        if (err.hint[0] != '\0')
            fprintf(stderr, "HINT: %s\n", err.hint);
    }
    return status == QV_OK;
}

bool cli_register_data_dir(cli_state *cli, const char *dir)
{
    struct dirent **entries = NULL;
    int n_entries = scandir(dir, &entries, NULL, alphasort);
    if (n_entries < 0) {
        fprintf(stderr, "quiver: cannot read directory %s\n", dir);
        return false;
    }
    base_strbuf registered;
    base_strbuf_init(&registered);
    base_strbuf path, name;
    base_strbuf_init(&path);
    base_strbuf_init(&name);
    for (int k = 0; k < n_entries; k++) {
        const char *file = entries[k]->d_name;
        size_t stem_len = 0;
        int kind = file[0] != '.' ? file_kind_of(file, &stem_len) : -1;
        base_strbuf_clear(&path);
        base_strbuf_clear(&name);
        base_strbuf_appendf(&path, "%s/%s", dir, file);
        append_table_name(&name, file, stem_len);
        if (kind >= 0 && !base_strbuf_failed(&path) && !base_strbuf_failed(&name) &&
            is_regular_file(path.data) && register_file(cli, path.data, kind, name.data))
            base_strbuf_appendf(&registered, "%s%.*s", registered.len > 0 ? ", " : "",
                                (int)stem_len, file);
        free(entries[k]);
    }
    base_strbuf_free(&path);
    base_strbuf_free(&name);
    free(entries);
    if (cli->interactive && !cli->quiet && registered.len > 0 && !base_strbuf_failed(&registered))
        printf("Tables from %s: %s\n", dir, registered.data);
    base_strbuf_free(&registered);
    return true;
}
