/*
 * path.c — local paths made absolute (layer: io), as DataFusion turns a
 * table location into a file:// URL: a relative path is joined to the
 * current directory, then "." and ".." segments are resolved lexically
 * (symbolic links are not followed) and repeated slashes dropped. A
 * trailing slash is kept: it marks a directory that may not exist yet.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "io/io.h"

qv_status io_absolute_path(const char *path, char **out, qv_error *err)
{
    *out = NULL;
    if (path == NULL || path[0] == '\0')
        return base_error_set(err, QV_INVALID, "empty path");
    base_strbuf joined;
    base_strbuf_init(&joined);
    if (path[0] != '/') {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd) == NULL) {
            int e = errno;
            return base_error_set(err, QV_IO, "Unable to read the current directory: %s",
                                  strerror(e));
        }
        base_strbuf_append_str(&joined, cwd);
        base_strbuf_append_char(&joined, '/');
    }
    base_strbuf_append_str(&joined, path);
    if (base_strbuf_failed(&joined)) {
        base_strbuf_free(&joined);
        return base_error_nomem(err, "path");
    }
    size_t len = joined.len;
    bool trailing = joined.data[len - 1] == '/';
    char *res = base_alloc(len + 2);
    if (res == NULL) {
        base_strbuf_free(&joined);
        return base_error_nomem(err, "path");
    }
    size_t n = 0;
    const char *p = joined.data;
    while (*p != '\0') {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p != '\0' && *p != '/')
            p++;
        size_t seg_len = (size_t)(p - seg);
        if (seg_len == 0 || (seg_len == 1 && seg[0] == '.'))
            continue;
        if (seg_len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (n > 0 && res[n - 1] != '/')
                n--;
            if (n > 0)
                n--; /* the slash before the dropped segment */
            continue;
        }
        res[n++] = '/';
        memcpy(res + n, seg, seg_len);
        n += seg_len;
    }
    if (n == 0)
        res[n++] = '/';
    else if (trailing)
        res[n++] = '/';
    res[n] = '\0';
    base_strbuf_free(&joined);
    *out = res;
    return QV_OK;
}
