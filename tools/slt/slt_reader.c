/*
 * slt_reader.c — the .slt / .test file reader of quiver-slt (see
 * slt_reader.h).
 *
 * DataFusion dialect (sqllogictest-rs): a record ends at a truly empty line
 * (a line of spaces belongs to the block), the SQL body at a line that is
 * exactly "----", '#' starts a comment only at record level, an inline error
 * regex is the header's tokens after "error" joined by one space, a
 * multi-line error block ends at two empty lines, `halt` is unconditional.
 *
 * SQLite dialect (sqllogictest.c): a line of only whitespace is empty, a '#'
 * line is removed anywhere (also inside a record), only the first four
 * header tokens count (conditions carry trailing comments), labels compare
 * case-insensitively, and a `halt` obeys its skipif / onlyif guard.
 */
#define _POSIX_C_SOURCE 200809L

#include "slt_reader.h"

#include <ctype.h>
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct lines {
    char **items;
    size_t n;
} lines;

typedef struct reader {
    slt_file *file;
    size_t cap_records;
    size_t cap_paths;
    slt_dialect dialect;
    const char *const *labels;
    char *errbuf;
    size_t errbuf_size;
    int include_depth;
    long hash_threshold; /* state carried from record to record (and into includes) */
    slt_sort default_sort;
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
        bool same = r->dialect == SLT_DIALECT_SQLITE ? strcasecmp(r->labels[i], label) == 0
                                                     : strcmp(r->labels[i], label) == 0;
        if (same)
            return true;
    }
    return false;
}

/* A line that ends a record or block. */
static bool is_blank(const reader *r, const char *line)
{
    if (r->dialect == SLT_DIALECT_DATAFUSION)
        return line[0] == '\0';
    for (; *line != '\0'; line++) {
        if (!isspace((unsigned char)*line))
            return false;
    }
    return true;
}

/* A comment line that is dropped inside a record (SQLite only). */
static bool is_inner_comment(const reader *r, const char *line)
{
    return r->dialect == SLT_DIALECT_SQLITE && line[0] == '#';
}

/* Joins lines[from, to) with '\n', leaving out SQLite's inner comments. */
static char *join(const reader *r, const lines *ls, size_t from, size_t to)
{
    size_t len = 0;
    for (size_t i = from; i < to; i++)
        len += strlen(ls->items[i]) + 1;
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    size_t pos = 0;
    for (size_t i = from; i < to; i++) {
        if (is_inner_comment(r, ls->items[i]))
            continue;
        if (pos > 0)
            out[pos++] = '\n';
        size_t n = strlen(ls->items[i]);
        memcpy(out + pos, ls->items[i], n);
        pos += n;
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
    for (char *w = strtok_r(line, " \t\v\f\r", &save); w != NULL && n < max;
         w = strtok_r(NULL, " \t\v\f\r", &save))
        words[n++] = w;
    return n;
}

static bool parse_sort(const char *word, slt_sort *out)
{
    if (strcmp(word, "nosort") == 0)
        *out = SLT_SORT_NOSORT;
    else if (strcmp(word, "rowsort") == 0)
        *out = SLT_SORT_ROWSORT;
    else if (strcmp(word, "valuesort") == 0)
        *out = SLT_SORT_VALUESORT;
    else
        return false;
    return true;
}

/* The inline error regex: the header's tokens after "error", joined by one
 * space (sqllogictest-rs tokenises the header on whitespace). */
static char *inline_error(const char *raw)
{
    char *copy = dup_n(raw, strlen(raw));
    if (copy == NULL)
        return NULL;
    char *words[512];
    size_t n = split_words(copy, words, 512);
    size_t len = 0, first = 0;
    for (size_t k = 0; k < n; k++) {
        if (first == 0 && strcmp(words[k], "error") == 0)
            first = k + 1;
        else if (first != 0)
            len += strlen(words[k]) + 1;
    }
    char *out = malloc(len + 1);
    if (out != NULL) {
        size_t pos = 0;
        for (size_t k = first; first != 0 && k < n; k++) {
            if (pos > 0)
                out[pos++] = ' ';
            memcpy(out + pos, words[k], strlen(words[k]));
            pos += strlen(words[k]);
        }
        out[pos] = '\0';
    }
    free(copy);
    return out;
}

/* Fills rec from its header words; false on memory failure. */
static bool parse_header(reader *r, slt_record *rec, const char *raw, char **words, size_t n_words)
{
    bool is_error = n_words >= 2 && strcmp(words[1], "error") == 0;
    if (words[0][0] == 's') {
        rec->kind = is_error                                         ? SLT_STATEMENT_ERROR
                    : n_words >= 3 && strcmp(words[1], "count") == 0 ? SLT_STATEMENT_COUNT
                                                                     : SLT_STATEMENT_OK;
        if (rec->kind == SLT_STATEMENT_COUNT)
            rec->count = strtol(words[2], NULL, 10);
    } else if (is_error) {
        rec->kind = SLT_QUERY_ERROR;
    } else {
        rec->kind = SLT_QUERY;
        const char *types = n_words >= 2 ? words[1] : "";
        rec->types = dup_n(types, strlen(types));
        rec->sort = r->default_sort;
        size_t label_at = 3;
        if (n_words >= 3) {
            if (parse_sort(words[2], &rec->sort)) {
                rec->sort_mode = dup_n(words[2], strlen(words[2]));
                if (rec->sort_mode == NULL)
                    return false;
            } else if (r->dialect == SLT_DIALECT_DATAFUSION) {
                label_at = 2; /* not a sort mode: a label */
            }
        }
        if (n_words > label_at) {
            rec->label = dup_n(words[label_at], strlen(words[label_at]));
            if (rec->label == NULL)
                return false;
        }
        if (rec->types == NULL)
            return false;
    }
    if (is_error) {
        rec->expected = r->dialect == SLT_DIALECT_SQLITE ? dup_n("", 0) : inline_error(raw);
        if (rec->expected == NULL)
            return false;
    }
    return true;
}

/* Reads a statement / query record whose header is line i - 1; returns the
 * index of the line after it. */
static size_t read_record(reader *r, const lines *ls, size_t i, slt_record *rec, bool *ok)
{
    size_t sql_start = i;
    /* sqllogictest-rs takes the line after the header as SQL even when it
     * is blank; the SQL then runs to the next blank line */
    if (r->dialect == SLT_DIALECT_DATAFUSION && i < ls->n && ls->items[i][0] == '\0')
        i++;
    while (i < ls->n && !is_blank(r, ls->items[i]) && strcmp(ls->items[i], "----") != 0)
        i++;
    rec->sql = join(r, ls, sql_start, i);
    bool is_error = rec->kind == SLT_STATEMENT_ERROR || rec->kind == SLT_QUERY_ERROR;
    if (i < ls->n && strcmp(ls->items[i], "----") == 0) {
        rec->has_results = true;
        i++;
        size_t block_start = i;
        if (is_error && r->dialect == SLT_DIALECT_DATAFUSION) {
            /* A multi-line error block ends at two empty lines or EOF. */
            while (i < ls->n &&
                   !(ls->items[i][0] == '\0' && (i + 1 >= ls->n || ls->items[i + 1][0] == '\0')))
                i++;
            rec->error_block = true;
        } else {
            while (i < ls->n && !is_blank(r, ls->items[i]))
                i++;
        }
        free(rec->expected);
        rec->expected = join(r, ls, block_start, i);
        if (rec->error_block && rec->expected != NULL) {
            /* The block is compared trimmed; trim its end now. */
            size_t len = strlen(rec->expected);
            while (len > 0 && isspace((unsigned char)rec->expected[len - 1]))
                rec->expected[--len] = '\0';
        }
    } else if (rec->kind == SLT_QUERY) {
        free(rec->expected);
        rec->expected = dup_n("", 0);
    }
    rec->end_line = (int)i + 1;
    if (!is_error && rec->kind != SLT_QUERY) {
        /* Statements have no expected text (a block after `----` is ignored). */
        free(rec->expected);
        rec->expected = NULL;
    }
    *ok = rec->sql != NULL && (rec->expected != NULL || (!is_error && rec->kind != SLT_QUERY));
    if (*ok)
        rec->explain = slt_sql_is_explain(rec->sql);
    return i;
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
    size_t max_words = r->dialect == SLT_DIALECT_SQLITE ? 4 : 8;
    size_t i = 0;
    while (ok && i < ls.n) {
        const char *raw = ls.items[i];
        if (raw[0] == '#' || is_blank(r, raw)) {
            i++;
            continue;
        }
        char header[1024];
        snprintf(header, sizeof header, "%s", raw);
        char *words[8];
        size_t n_words = split_words(header, words, max_words);
        size_t header_line = i + 1;
        i++;
        if (n_words == 0)
            continue;
        if (strcmp(words[0], "halt") == 0) {
            if (r->dialect == SLT_DIALECT_SQLITE && skip_next) {
                skip_next = false; /* a guarded halt that does not apply */
                continue;
            }
            break;
        }
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
        if (strcmp(words[0], "hash-threshold") == 0 && n_words >= 2) {
            r->hash_threshold = strtol(words[1], NULL, 10);
            continue;
        }
        if (strcmp(words[0], "control") == 0 && n_words >= 3 && strcmp(words[1], "sortmode") == 0) {
            parse_sort(words[2], &r->default_sort);
            continue;
        }
        if (strcmp(words[0], "statement") != 0 && strcmp(words[0], "query") != 0) {
            /* Other runner directives (control, sleep, subtest...): one line. */
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
        rec->hash_threshold = r->hash_threshold;
        skip_next = false;
        if (!parse_header(r, rec, raw, words, n_words)) {
            ok = fail(r, path, header_line, "out of memory");
            break;
        }
        i = read_record(r, &ls, i, rec, &ok);
        if (!ok)
            fail(r, path, header_line, "out of memory");
    }
    free(ls.items);
    free(content);
    return ok;
}

bool slt_file_read_ex(const char *path, const slt_read_options *opts, slt_file *out, char *errbuf,
                      size_t errbuf_size)
{
    memset(out, 0, sizeof *out);
    out->path = dup_n(path, strlen(path));
    out->dialect = opts->dialect;
    reader r = {0};
    r.file = out;
    r.dialect = opts->dialect;
    r.labels = opts->labels;
    r.errbuf = errbuf;
    r.errbuf_size = errbuf_size;
    /* SQLite's reference harness hashes above 8 values unless told otherwise;
     * sqllogictest-rs never hashes by default. */
    r.hash_threshold = opts->dialect == SLT_DIALECT_SQLITE ? 8 : 0;
    r.default_sort = SLT_SORT_NOSORT;
    if (out->path == NULL || !read_into(&r, path)) {
        if (out->path == NULL)
            snprintf(errbuf, errbuf_size, "%s: out of memory", path);
        slt_file_free(out);
        return false;
    }
    return true;
}

bool slt_file_read(const char *path, const char *const *labels, slt_file *out, char *errbuf,
                   size_t errbuf_size)
{
    slt_read_options opts = {SLT_DIALECT_DATAFUSION, labels};
    return slt_file_read_ex(path, &opts, out, errbuf, errbuf_size);
}

void slt_file_free(slt_file *file)
{
    for (size_t i = 0; i < file->n_records; i++) {
        slt_record *rec = &file->records[i];
        free(rec->sql);
        free(rec->types);
        free(rec->sort_mode);
        free(rec->label);
        free(rec->expected);
    }
    for (size_t i = 0; i < file->n_paths; i++)
        free(file->paths[i]);
    free(file->paths);
    free(file->records);
    free(file->path);
    memset(file, 0, sizeof *file);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

slt_dialect slt_dialect_of_path(const char *path)
{
    return ends_with(path, ".test") ? SLT_DIALECT_SQLITE : SLT_DIALECT_DATAFUSION;
}

bool slt_sql_is_explain(const char *sql)
{
    const char *p = sql;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p != '\0' && *p != '\n')
                p++;
            continue;
        }
        break;
    }
    return strncasecmp(p, "explain", 7) == 0 && !isalnum((unsigned char)p[7]) && p[7] != '_';
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
        if (S_ISDIR(st.st_mode))
            ok = slt_collect_files(child, paths, n, cap);
        else if (ends_with(entry->d_name, ".slt") || ends_with(entry->d_name, ".test"))
            ok = push_path(paths, n, cap, child);
    }
    closedir(dir);
    if (*n - first > 1)
        qsort(*paths + first, *n - first, sizeof **paths, compare_paths);
    return ok;
}
