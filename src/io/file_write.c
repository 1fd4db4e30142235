/*
 * file_write.c — local files written from the start or appended to, and
 * directory helpers (layer: io).
 *
 * A new file is written under a staging name ("<path>#<n>", which listings
 * skip, as object_store's local store does) and renamed into place when it
 * is closed, so readers never see half a file and a failed write leaves
 * nothing behind. Missing parent directories are created, as object_store
 * does on a put. Appending writes the file in place.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io.h"

struct io_writer {
    int fd;
    char *path;    /* the final path */
    char *staging; /* NULL when appending in place */
};

static _Atomic uint64_t staging_counter;

qv_status io_make_dirs(const char *path, qv_error *err)
{
    size_t len = strlen(path);
    char *buf = base_strdup(path);
    if (buf == NULL)
        return base_error_nomem(err, "directory path");
    qv_status st = QV_OK;
    for (size_t i = 1; i <= len && st == QV_OK; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            st = base_error_set(err, QV_IO, "Unable to create directory %s: %s", buf, strerror(e));
        } else {
            struct stat sb;
            if (stat(buf, &sb) == 0 && !S_ISDIR(sb.st_mode))
                st = base_error_set(err, QV_IO, "Unable to create directory %s: %s", buf,
                                    strerror(ENOTDIR));
        }
        buf[i] = saved;
    }
    base_free(buf);
    return st;
}

/* Creates the directories above path (everything before its last '/'). */
static qv_status make_parent(const char *path, qv_error *err)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path)
        return QV_OK;
    char *parent = base_strndup(path, (size_t)(slash - path));
    if (parent == NULL)
        return base_error_nomem(err, "directory path");
    qv_status st = io_make_dirs(parent, err);
    base_free(parent);
    return st;
}

qv_status io_writer_open(const char *path, bool append, io_writer **out, qv_error *err)
{
    *out = NULL;
    if (path == NULL || path[0] == '\0')
        return base_error_set(err, QV_MISUSE, "io_writer_open: empty path");
    QV_TRY(make_parent(path, err));
    io_writer *w = base_calloc(1, sizeof *w);
    if (w == NULL || (w->path = base_strdup(path)) == NULL) {
        base_free(w);
        return base_error_nomem(err, "file writer");
    }
    const char *target = path;
    if (!append) {
        char name[32];
        snprintf(name, sizeof name, "#%llu",
                 (unsigned long long)atomic_fetch_add(&staging_counter, 1) + 1);
        size_t n = strlen(path) + strlen(name) + 1;
        w->staging = base_alloc(n);
        if (w->staging == NULL) {
            base_free(w->path);
            base_free(w);
            return base_error_nomem(err, "file writer");
        }
        snprintf(w->staging, n, "%s%s", path, name);
        target = w->staging;
    }
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
    do {
        w->fd = open(target, flags, 0666);
    } while (w->fd < 0 && errno == EINTR);
    if (w->fd < 0) {
        int e = errno;
        base_free(w->staging);
        base_free(w->path);
        base_free(w);
        return base_error_set(err, QV_IO, "Unable to open file %s for writing: %s", path,
                              strerror(e));
    }
    *out = w;
    return QV_OK;
}

const char *io_writer_path(const io_writer *writer)
{
    return writer->path;
}

qv_status io_writer_write(io_writer *writer, const void *data, size_t len, qv_error *err)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = write(writer->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            return base_error_set(err, QV_IO, "Unable to write to file %s: %s", writer->path,
                                  strerror(e));
        }
        p += n;
        len -= (size_t)n;
    }
    return QV_OK;
}

static void writer_free(io_writer *writer)
{
    base_free(writer->staging);
    base_free(writer->path);
    base_free(writer);
}

qv_status io_writer_close(io_writer *writer, qv_error *err)
{
    if (writer == NULL)
        return QV_OK;
    qv_status st = QV_OK;
    if (close(writer->fd) != 0) {
        int e = errno;
        st =
            base_error_set(err, QV_IO, "Unable to write to file %s: %s", writer->path, strerror(e));
    }
    if (writer->staging != NULL) {
        if (st == QV_OK && rename(writer->staging, writer->path) != 0) {
            int e = errno;
            st = base_error_set(err, QV_IO, "Unable to rename file %s to %s: %s", writer->staging,
                                writer->path, strerror(e));
        }
        if (st != QV_OK)
            unlink(writer->staging);
    }
    writer_free(writer);
    return st;
}

void io_writer_abort(io_writer *writer)
{
    if (writer == NULL)
        return;
    close(writer->fd);
    if (writer->staging != NULL)
        unlink(writer->staging);
    writer_free(writer);
}

int io_path_kind(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return IO_PATH_MISSING;
    return S_ISDIR(sb.st_mode) ? IO_PATH_DIRECTORY : IO_PATH_FILE;
}
