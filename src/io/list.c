/*
 * list.c — recursive directory listing for listing tables (layer: io).
 *
 * Walks a directory tree with opendir/readdir, keeps regular files whose
 * name ends with the wanted extension, and sorts the result by path so that
 * file order (and so row order and partition assignment) is deterministic,
 * as object_store's sorted listing makes it in DataFusion.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/io.h"

typedef struct lister {
    io_file_list *list;
    int32_t cap;
    const char *extension;
    size_t ext_len;
    bool ignore_subdirectory;
    qv_error *err;
} lister;

static bool ends_with(const char *s, const char *suffix, size_t suffix_len)
{
    size_t n = strlen(s);
    return n >= suffix_len && memcmp(s + n - suffix_len, suffix, suffix_len) == 0;
}

/* object_store writes "name#<digits>" while staging a put; listings skip it. */
static bool is_staging_name(const char *name)
{
    const char *hash = strrchr(name, '#');
    if (hash == NULL || hash[1] == 0)
        return false;
    for (const char *p = hash + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static qv_status add_entry(lister *ls, const char *path, const struct stat *st)
{
    io_file_list *list = ls->list;
    if (list->n == ls->cap) {
        int32_t cap = ls->cap ? ls->cap * 2 : 16;
        io_file_entry *grown = base_realloc(list->entries, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(ls->err, "file listing");
        list->entries = grown;
        ls->cap = cap;
    }
    char *copy = base_strdup(path);
    if (copy == NULL)
        return base_error_nomem(ls->err, "file listing");
    io_file_entry *e = &list->entries[list->n++];
    e->path = copy;
    e->size = (int64_t)st->st_size;
    e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    return QV_OK;
}

/* in_partitions: every directory between the root and dir is key=value. */
static qv_status walk(lister *ls, const char *dir, int depth, bool in_partitions)
{
    if (depth > 64)
        return base_error_set(ls->err, QV_IO, "directory tree too deep at %s", dir);
    DIR *d = opendir(dir);
    if (d == NULL) {
        int e = errno;
        return base_error_set(ls->err, e == ENOENT ? QV_NOT_FOUND : QV_IO,
                              "Unable to walk dir %s: %s", dir, strerror(e));
    }
    qv_status status = QV_OK;
    base_strbuf path;
    base_strbuf_init(&path);
    size_t dir_len = strlen(dir);
    bool slash = dir_len > 0 && dir[dir_len - 1] == '/';
    for (;;) {
        errno = 0;
        struct dirent *ent = readdir(d);
        if (ent == NULL) {
            if (errno != 0) {
                int e = errno;
                status =
                    base_error_set(ls->err, QV_IO, "Unable to walk dir %s: %s", dir, strerror(e));
            }
            break;
        }
        const char *name = ent->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        base_strbuf_clear(&path);
        base_strbuf_append(&path, dir, dir_len);
        if (!slash)
            base_strbuf_append_char(&path, '/');
        base_strbuf_append_str(&path, name);
        if (base_strbuf_failed(&path)) {
            status = base_error_nomem(ls->err, "file listing");
            break;
        }
        struct stat st;
        if (stat(path.data, &st) != 0)
            continue; /* broken symlinks are skipped, as object_store does */
        if (S_ISDIR(st.st_mode)) {
            bool partition = strchr(name, '=') != NULL;
            status = walk(ls, path.data, depth + 1, in_partitions && partition);
            if (status != QV_OK)
                break;
        } else if (S_ISREG(st.st_mode)) {
            if (is_staging_name(name))
                continue;
            if (ls->ext_len > 0 && !ends_with(name, ls->extension, ls->ext_len))
                continue;
            if (ls->ignore_subdirectory && !in_partitions)
                continue;
            status = add_entry(ls, path.data, &st);
            if (status != QV_OK)
                break;
        }
    }
    base_strbuf_free(&path);
    closedir(d);
    return status;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const io_file_entry *)a)->path, ((const io_file_entry *)b)->path);
}

qv_status io_list_files(const char *root, const char *extension, bool ignore_subdirectory,
                        io_file_list *out, qv_error *err)
{
    out->n = 0;
    out->entries = NULL;
    if (root == NULL)
        return base_error_set(err, QV_MISUSE, "io_list_files: NULL root");
    struct stat st;
    if (stat(root, &st) != 0) {
        int e = errno;
        return base_error_set(err, e == ENOENT ? QV_NOT_FOUND : QV_IO,
                              "Unable to access metadata for %s: %s", root, strerror(e));
    }
    lister ls = {
        out, 0, extension ? extension : "", extension ? strlen(extension) : 0, ignore_subdirectory,
        err};
    qv_status status;
    if (S_ISDIR(st.st_mode))
        status = walk(&ls, root, 0, true);
    else
        status = add_entry(&ls, root, &st);
    if (status != QV_OK) {
        io_file_list_free(out);
        return status;
    }
    if (out->n > 1)
        qsort(out->entries, (size_t)out->n, sizeof *out->entries, compare_entries);
    return QV_OK;
}

void io_file_list_free(io_file_list *list)
{
    if (list == NULL)
        return;
    for (int32_t i = 0; i < list->n; i++)
        base_free(list->entries[i].path);
    base_free(list->entries);
    list->entries = NULL;
    list->n = 0;
}
