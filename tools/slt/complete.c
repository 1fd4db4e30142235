/*
 * complete.c — splicing --complete texts into .slt files (see complete.h).
 */
#include "complete.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slt_util.h"

char *slt_complete_text(const char *text, const char *path, const slt_file *file,
                        char *const *completions, long *n_rewritten)
{
    /* Lines keep their own terminators so untouched parts stay byte-identical. */
    slt_strv lines = {0};
    for (const char *p = text; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
        slt_strv_push_owned(&lines, slt_xstrndup(p, len));
        p += len;
    }
    slt_buf out = {0};
    size_t next_line = 1; /* 1-based: the next source line to copy */
    *n_rewritten = 0;
    for (size_t i = 0; i < file->n_records; i++) {
        const slt_record *rec = &file->records[i];
        if (completions[i] == NULL || strcmp(rec->path, path) != 0 || (size_t)rec->line < next_line)
            continue;
        for (; next_line < (size_t)rec->line && next_line <= lines.n; next_line++)
            slt_buf_adds(&out, lines.items[next_line - 1]);
        slt_buf_adds(&out, completions[i]);
        slt_buf_addc(&out, '\n');
        next_line = (size_t)rec->end_line;
        (*n_rewritten)++;
    }
    for (; next_line <= lines.n; next_line++)
        slt_buf_adds(&out, lines.items[next_line - 1]);
    slt_strv_free(&lines);
    return slt_buf_take(&out);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    slt_buf b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        slt_buf_add(&b, chunk, got);
    fclose(f);
    return slt_buf_take(&b);
}

long slt_complete_file(const slt_file *file, char *const *completions, char *err, size_t err_size)
{
    long total = 0;
    for (size_t p = 0; p < file->n_paths; p++) {
        const char *path = file->paths[p];
        bool touched = false;
        for (size_t i = 0; i < file->n_records && !touched; i++)
            touched = completions[i] != NULL && strcmp(file->records[i].path, path) == 0;
        if (!touched)
            continue;
        char *text = read_all(path);
        if (text == NULL) {
            snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
            return -1;
        }
        long n = 0;
        char *updated = slt_complete_text(text, path, file, completions, &n);
        free(text);
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.complete.tmp", path);
        FILE *f = fopen(tmp, "wb");
        bool ok = f != NULL && fwrite(updated, 1, strlen(updated), f) == strlen(updated);
        if (f != NULL)
            ok = fclose(f) == 0 && ok;
        ok = ok && rename(tmp, path) == 0;
        free(updated);
        if (!ok) {
            snprintf(err, err_size, "cannot rewrite %s: %s", path, strerror(errno));
            remove(tmp);
            return -1;
        }
        total += n;
    }
    return total;
}
