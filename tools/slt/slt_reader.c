/*
 * slt_reader.c — the .slt file reader of quiver-slt (see slt_reader.h).
 * Lexical rules follow sqllogictest-rs as driven by DataFusion: a record
 * ends at a truly empty line, the SQL body at a line that is exactly "----",
 * '#' starts a comment only at record level.
 */
#define _POSIX_C_SOURCE 200809L

#include "slt_reader.h"

#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct lines {
    char **items;
    size_t n;
} lines;

typedef struct reader {
    slt_file *file;
    size_t cap_records;
    size_t cap_paths;
    const char *const *labels;
    char *errbuf;
    size_t errbuf_size;
    int include_depth;
} reader;

static char *dup_n(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy != NULL) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

/* Splits the file into lines without their "\n" / "\r\n". */
static bool read_lines(const char *path, lines *out, char **content)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    size_t got;
    while (data != NULL && (got = fread(data + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *grown = realloc(data, cap * 2);
            if (grown == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (data == NULL)
        return false;
    size_t n_lines = 1;
    for (size_t i = 0; i < len; i++)
        n_lines += data[i] == '\n';
    out->items = malloc(n_lines * sizeof *out->items);
    if (out->items == NULL) {
        free(data);
        return false;
    }
    out->n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || data[i] == '\n') {
            if (i == len && start == len)
                break;
            size_t end = i;
            if (end > start && data[end - 1] == '\r')
                end--;
            data[end] = '\0';
            out->items[out->n++] = data + start;
            start = i + 1;
        }
    }
    *content = data;
    return true;
}

static bool has_label(const reader *r, const char *label)
{
    for (size_t i = 0; r->labels != NULL && r->labels[i] != NULL; i++) {
        if (strcmp(r->labels[i], label) == 0)
            return true;
    }
    return false;
}

/* Joins lines[from, to) with '\n'. */
static char *join(const lines *ls, size_t from, size_t to)
{
    size_t len = 0;
    for (size_t i = from; i < to; i++)
        len += strlen(ls->items[i]) + 1;
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    size_t pos = 0;
    for (size_t i = from; i < to; i++) {
        size_t n = strlen(ls->items[i]);
        memcpy(out + pos, ls->items[i], n);
        pos += n;
        if (i + 1 < to)
            out[pos++] = '\n';
    }
    out[pos] = '\0';
    return out;
}

static slt_record *new_record(reader *r)
{
    slt_file *file = r->file;
    if (file->n_records == r->cap_records) {
        size_t cap = r->cap_records < 64 ? 64 : r->cap_records * 2;
        slt_record *grown = realloc(file->records, cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        file->records = grown;
        r->cap_records = cap;
    }
    slt_record *rec = &file->records[file->n_records++];
    memset(rec, 0, sizeof *rec);
    return rec;
}

static const char *remember_path(reader *r, const char *path)
{
    slt_file *file = r->file;
    if (file->n_paths == r->cap_paths) {
        size_t cap = r->cap_paths < 8 ? 8 : r->cap_paths * 2;
        char **grown = realloc(file->paths, cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        file->paths = grown;
        r->cap_paths = cap;
    }
    char *copy = dup_n(path, strlen(path));
    if (copy != NULL)
        file->paths[file->n_paths++] = copy;
    return copy;
}

static bool read_into(reader *r, const char *path);

static bool fail(reader *r, const char *path, size_t line, const char *what)
{
    snprintf(r->errbuf, r->errbuf_size, "%s:%zu: %s", path, line, what);
    return false;
}

static bool include(reader *r, const char *path, size_t line, const char *pattern)
{
    if (r->include_depth > 16)
        return fail(r, path, line, "include nesting too deep");
    char full[4096];
    const char *slash = strrchr(path, '/');
    int dir_len = slash != NULL ? (int)(slash - path) : 1;
    snprintf(full, sizeof full, "%.*s/%s", dir_len, slash != NULL ? path : ".", pattern);
    glob_t matches;
    if (glob(full, 0, NULL, &matches) != 0)
        return fail(r, path, line, "include matches no file");
    bool ok = true;
    r->include_depth++;
    for (size_t i = 0; ok && i < matches.gl_pathc; i++)
        ok = read_into(r, matches.gl_pathv[i]);
    r->include_depth--;
    globfree(&matches);
    return ok;
}

/* Splits a header line into at most max whitespace-separated words. */
static size_t split_words(char *line, char **words, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, " \t", &save); w != NULL && n < max;
         w = strtok_r(NULL, " \t", &save))
        words[n++] = w;
    return n;
}

static bool read_into(reader *r, const char *path)
{
    lines ls;
    char *content;
    if (!read_lines(path, &ls, &content)) {
        snprintf(r->errbuf, r->errbuf_size, "%s: cannot read file", path);
        return false;
    }
    const char *stored_path = remember_path(r, path);
    bool ok = stored_path != NULL;
    bool skip_next = false;
    size_t i = 0;
    while (ok && i < ls.n) {
        const char *raw = ls.items[i];
        if (raw[0] == '\0' || raw[0] == '#') {
            i++;
            continue;
        }
        char header[1024];
        snprintf(header, sizeof header, "%s", raw);
        char *words[8];
        size_t n_words = split_words(header, words, 8);
        size_t header_line = i + 1;
        i++;
        if (n_words == 0)
            continue;
        if (strcmp(words[0], "halt") == 0)
            break;
        if (strcmp(words[0], "include") == 0 && n_words >= 2) {
            ok = include(r, path, header_line, words[1]);
            continue;
        }
        if ((strcmp(words[0], "skipif") == 0 || strcmp(words[0], "onlyif") == 0) && n_words >= 2) {
            bool labelled = has_label(r, words[1]);
            if (words[0][0] == 's' ? labelled : !labelled)
                skip_next = true;
            continue;
        }
        if (strcmp(words[0], "statement") != 0 && strcmp(words[0], "query") != 0) {
            /* control, hash-threshold and other runner directives: one line. */
            continue;
        }
        slt_record *rec = new_record(r);
        if (rec == NULL) {
            ok = fail(r, path, header_line, "out of memory");
            break;
        }
        rec->path = stored_path;
        rec->line = (int)header_line;
        rec->skipped = skip_next;
        skip_next = false;
        bool is_error = n_words >= 2 && strcmp(words[1], "error") == 0;
        if (words[0][0] == 's') {
            rec->kind = is_error ? SLT_STATEMENT_ERROR
                        : n_words >= 3 && strcmp(words[1], "count") == 0 ? SLT_STATEMENT_COUNT
                                                                       : SLT_STATEMENT_OK;
            if (rec->kind == SLT_STATEMENT_COUNT)
                rec->count = strtol(words[2], NULL, 10);
        } else {
            rec->kind = is_error ? SLT_QUERY_ERROR : SLT_QUERY;
            if (!is_error) {
                rec->types = dup_n(n_words >= 2 ? words[1] : "", n_words >= 2 ? strlen(words[1]) : 0);
                if (n_words >= 3)
                    rec->sort_mode = dup_n(words[2], strlen(words[2]));
            }
        }
        if (is_error) {
            /* The inline regex is the rest of the header after "error". */
            const char *rest = strstr(raw, "error") + 5;
            while (*rest == ' ' || *rest == '\t')
                rest++;
            rec->expected = dup_n(rest, strlen(rest));
        }
        size_t sql_start = i;
        while (i < ls.n && ls.items[i][0] != '\0' && strcmp(ls.items[i], "----") != 0)
            i++;
        rec->sql = join(&ls, sql_start, i);
        if (i < ls.n && strcmp(ls.items[i], "----") == 0) {
            i++;
            size_t block_start = i;
            if (is_error) {
                /* A multi-line error block ends at two empty lines or EOF. */
                while (i < ls.n && !(ls.items[i][0] == '\0' &&
                                     (i + 1 >= ls.n || ls.items[i + 1][0] == '\0')))
                    i++;
            } else {
                while (i < ls.n && ls.items[i][0] != '\0')
                    i++;
            }
            free(rec->expected);
            rec->expected = join(&ls, block_start, i);
        }
        if (rec->sql == NULL || (rec->kind == SLT_QUERY && rec->types == NULL))
            ok = fail(r, path, header_line, "out of memory");
    }
    free(ls.items);
    free(content);
    return ok;
}

bool slt_file_read(const char *path, const char *const *labels, slt_file *out, char *errbuf,
                   size_t errbuf_size)
{
    memset(out, 0, sizeof *out);
    out->path = dup_n(path, strlen(path));
    reader r = {out, 0, 0, labels, errbuf, errbuf_size, 0};
    if (out->path == NULL || !read_into(&r, path)) {
        slt_file_free(out);
        return false;
    }
    return true;
}

void slt_file_free(slt_file *file)
{
    for (size_t i = 0; i < file->n_records; i++) {
        slt_record *rec = &file->records[i];
        free(rec->sql);
        free(rec->types);
        free(rec->sort_mode);
        free(rec->expected);
    }
    for (size_t i = 0; i < file->n_paths; i++)
        free(file->paths[i]);
    free(file->paths);
    free(file->records);
    free(file->path);
    memset(file, 0, sizeof *file);
}

static bool push_path(char ***paths, size_t *n, size_t *cap, const char *path)
{
    if (*n == *cap) {
        size_t grown_cap = *cap < 16 ? 16 : *cap * 2;
        char **grown = realloc(*paths, grown_cap * sizeof *grown);
        if (grown == NULL)
            return false;
        *paths = grown;
        *cap = grown_cap;
    }
    char *copy = dup_n(path, strlen(path));
    if (copy == NULL)
        return false;
    (*paths)[(*n)++] = copy;
    return true;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool slt_collect_files(const char *path, char ***paths, size_t *n, size_t *cap)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    if (!S_ISDIR(st.st_mode))
        return push_path(paths, n, cap, path);
    DIR *dir = opendir(path);
    if (dir == NULL)
        return false;
    size_t first = *n;
    bool ok = true;
    struct dirent *entry;
    while (ok && (entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
        if (stat(child, &st) != 0)
            continue;
        size_t name_len = strlen(entry->d_name);
        if (S_ISDIR(st.st_mode))
            ok = slt_collect_files(child, paths, n, cap);
        else if (name_len > 4 && strcmp(entry->d_name + name_len - 4, ".slt") == 0)
            ok = push_path(paths, n, cap, child);
    }
    closedir(dir);
    qsort(*paths + first, *n - first, sizeof **paths, compare_paths);
    return ok;
}
