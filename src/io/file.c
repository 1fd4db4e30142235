/*
 * file.c — local files opened for positional reads (layer: io).
 *
 * A thin wrapper over open/fstat/pread that keeps the path for error
 * messages. Reads retry on EINTR and short reads, so a short result means
 * end of file.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io.h"

struct io_file {
    int fd;
    int64_t size;
    char *path;
};

qv_status io_file_open(const char *path, io_file **out, qv_error *err)
{
    *out = NULL;
    if (path == NULL)
        return base_error_set(err, QV_MISUSE, "io_file_open: NULL path");
    int fd;
    do {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int e = errno;
        return base_error_set(err, e == ENOENT ? QV_NOT_FOUND : QV_IO, "Unable to open file %s: %s",
                              path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return base_error_set(err, QV_IO, "Unable to access metadata for %s: %s", path,
                              strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return base_error_set(err, QV_IO, "Unable to open file %s: %s", path, strerror(EISDIR));
    }
    io_file *file = base_calloc(1, sizeof *file);
    char *copy = base_strdup(path);
    if (file == NULL || copy == NULL) {
        base_free(file);
        base_free(copy);
        close(fd);
        return base_error_nomem(err, "file handle");
    }
    file->fd = fd;
    file->size = (int64_t)st.st_size;
    file->path = copy;
    *out = file;
    return QV_OK;
}

void io_file_close(io_file *file)
{
    if (file == NULL)
        return;
    close(file->fd);
    base_free(file->path);
    base_free(file);
}

int64_t io_file_size(const io_file *file)
{
    return file->size;
}

const char *io_file_path(const io_file *file)
{
    return file->path;
}

qv_status io_file_read_at(io_file *file, int64_t offset, void *buf, int64_t len, int64_t *n_read,
                          qv_error *err)
{
    *n_read = 0;
    if (offset < 0 || len < 0)
        return base_error_set(err, QV_INVALID,
                              "invalid read range (offset %lld, length %lld) of %s",
                              (long long)offset, (long long)len, file->path);
    int64_t done = 0;
    while (done < len) {
        ssize_t got =
            pread(file->fd, (char *)buf + done, (size_t)(len - done), (off_t)(offset + done));
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            return base_error_set(err, QV_IO, "Unable to read data from file %s: %s", file->path,
                                  strerror(e));
        }
        if (got == 0)
            break;
        done += got;
    }
    *n_read = done;
    return QV_OK;
}

qv_status io_file_read_range(io_file *file, int64_t start, int64_t end, uint8_t **out,
                             int64_t *out_len, qv_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (start < 0 || end < start)
        return base_error_set(err, QV_INVALID, "invalid byte range [%lld, %lld) of %s",
                              (long long)start, (long long)end, file->path);
    if (end > file->size)
        end = file->size;
    if (start > end)
        start = end;
    int64_t len = end - start;
    uint8_t *buf = base_alloc((size_t)len + 1);
    if (buf == NULL)
        return base_error_nomem(err, "file read buffer");
    int64_t got;
    qv_status status = io_file_read_at(file, start, buf, len, &got, err);
    if (status != QV_OK) {
        base_free(buf);
        return status;
    }
    buf[got] = 0;
    *out = buf;
    *out_len = got;
    return QV_OK;
}

qv_status io_read_file(const char *path, uint8_t **out, int64_t *out_len, qv_error *err)
{
    *out = NULL;
    *out_len = 0;
    io_file *file;
    QV_TRY(io_file_open(path, &file, err));
    qv_status status = io_file_read_range(file, 0, file->size, out, out_len, err);
    io_file_close(file);
    return status;
}
