/*
 * workspace.c — work directory, workspace shadow and scratch directories of
 * quiver-slt (see workspace.h).
 */
#define _XOPEN_SOURCE 700

#include "workspace.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const shadow_levels[] = {"datafusion", "sqllogictest", "test_files"};
#define N_SHADOW_LEVELS 3

bool slt_make_dirs(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return mkdir(buf, 0777) == 0 || errno == EEXIST;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

bool slt_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT;
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0;
}

bool slt_workspace_init(slt_workspace *ws, const char *work_dir, bool in_place, char *err,
                        size_t err_size)
{
    memset(ws, 0, sizeof *ws);
    ws->in_place = in_place;
    if (work_dir != NULL) {
        if (!slt_make_dirs(work_dir)) {
            snprintf(err, err_size, "cannot create work directory %s: %s", work_dir,
                     strerror(errno));
            return false;
        }
        char real[PATH_MAX];
        ws->work_dir = slt_xstrdup(realpath(work_dir, real) != NULL ? real : work_dir);
        return true;
    }
    const char *tmp = getenv("TMPDIR");
    char templ[PATH_MAX];
    snprintf(templ, sizeof templ, "%s/quiver-slt.XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(templ) == NULL) {
        snprintf(err, err_size, "cannot create a work directory in %s: %s",
                 tmp != NULL ? tmp : "/tmp", strerror(errno));
        return false;
    }
    char real[PATH_MAX];
    ws->work_dir = slt_xstrdup(realpath(templ, real) != NULL ? real : templ);
    ws->remove_work_dir = true;
    return true;
}

void slt_workspace_cleanup(slt_workspace *ws)
{
    if (ws->remove_work_dir && ws->work_dir != NULL)
        slt_remove_tree(ws->work_dir);
    free(ws->work_dir);
    slt_strv_free(&ws->real_roots);
    slt_strv_free(&ws->shadow_roots);
    memset(ws, 0, sizeof *ws);
}

char *slt_workspace_detect_root(const char *path)
{
    static const char marker[] = "/datafusion/sqllogictest/test_files/";
    char real[PATH_MAX];
    if (realpath(path, real) == NULL)
        return NULL;
    char *hit = strstr(real, marker);
    if (hit == NULL)
        return NULL;
    /* The last occurrence: a workspace inside a path that repeats the marker. */
    for (char *next; (next = strstr(hit + 1, marker)) != NULL;)
        hit = next;
    return slt_xstrndup(real, (size_t)(hit - real));
}

/* Mirrors src into dst at shadow level `level`: the entry named
 * shadow_levels[level] becomes a real directory (recursively), every other
 * entry a symbolic link; inside test_files, scratch/ is left out. */
static bool shadow_level(const char *src, const char *dst, int level)
{
    if (mkdir(dst, 0777) != 0 && errno != EEXIST)
        return false;
    DIR *dir = opendir(src);
    if (dir == NULL)
        return false;
    bool ok = true;
    struct dirent *entry;
    while (ok && (entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        char from[PATH_MAX], to[PATH_MAX];
        snprintf(from, sizeof from, "%s/%s", src, name);
        snprintf(to, sizeof to, "%s/%s", dst, name);
        if (level < N_SHADOW_LEVELS && strcmp(name, shadow_levels[level]) == 0)
            ok = shadow_level(from, to, level + 1);
        else if (level == N_SHADOW_LEVELS && strcmp(name, "scratch") == 0)
            continue;
        else
            ok = symlink(from, to) == 0 || errno == EEXIST;
    }
    closedir(dir);
    return ok;
}

static const char *shadow_of(slt_workspace *ws, const char *root, char *err, size_t err_size)
{
    for (size_t i = 0; i < ws->real_roots.n; i++) {
        if (strcmp(ws->real_roots.items[i], root) == 0)
            return ws->shadow_roots.items[i];
    }
    char shadow[PATH_MAX];
    snprintf(shadow, sizeof shadow, "%s/workspace%zu", ws->work_dir, ws->real_roots.n);
    slt_remove_tree(shadow);
    if (!shadow_level(root, shadow, 0)) {
        snprintf(err, err_size, "cannot build a shadow of %s in %s: %s", root, shadow,
                 strerror(errno));
        return NULL;
    }
    slt_strv_push(&ws->real_roots, root);
    slt_strv_push(&ws->shadow_roots, shadow);
    return ws->shadow_roots.items[ws->shadow_roots.n - 1];
}

char *slt_file_stem(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash != NULL ? slash + 1 : path;
    size_t len = strlen(name);
    if (len > 4 && strcmp(name + len - 4, ".slt") == 0)
        len -= 4;
    else if (len > 5 && strcmp(name + len - 5, ".test") == 0)
        len -= 5;
    return slt_xstrndup(name, len);
}

static void add_root(slt_strv *roots, const char *root)
{
    for (size_t i = 0; i < roots->n; i++) {
        if (strcmp(roots->items[i], root) == 0)
            return;
    }
    slt_strv_push(roots, root);
}

static int longer_first(const void *a, const void *b)
{
    size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
    return x < y ? 1 : x > y ? -1 : 0;
}

bool slt_workspace_prepare(slt_workspace *ws, const char *root, const char *file_path,
                           char **cwd_out, slt_strv *roots_out, char *err, size_t err_size)
{
    *cwd_out = NULL;
    char cwd[PATH_MAX];
    if (root == NULL) {
        snprintf(cwd, sizeof cwd, "%s/plain", ws->work_dir);
    } else {
        const char *base = root;
        if (!ws->in_place && (base = shadow_of(ws, root, err, err_size)) == NULL)
            return false;
        snprintf(cwd, sizeof cwd, "%s/datafusion/sqllogictest", base);
        add_root(roots_out, base);
        add_root(roots_out, root);
        char real[PATH_MAX];
        if (realpath(root, real) != NULL)
            add_root(roots_out, real);
        if (roots_out->n > 1)
            qsort(roots_out->items, roots_out->n, sizeof *roots_out->items, longer_first);
    }
    char *stem = slt_file_stem(file_path);
    slt_buf scratch = {0};
    slt_buf_addf(&scratch, "%s/test_files/scratch/%s", cwd, stem);
    free(stem);
    bool ok = slt_remove_tree(slt_buf_cstr(&scratch)) && slt_make_dirs(slt_buf_cstr(&scratch));
    if (!ok)
        snprintf(err, err_size, "cannot recreate scratch directory %s: %s", slt_buf_cstr(&scratch),
                 strerror(errno));
    else
        *cwd_out = slt_xstrdup(cwd);
    slt_buf_free(&scratch);
    return ok;
}
