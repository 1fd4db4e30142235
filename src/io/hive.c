/*
 * hive.c — hive-style partition values from paths (layer: io).
 *
 * `root/year=2024/month=01/part.csv` carries year=2024 and month=01. Values
 * are percent-decoded (object_store keeps path parts percent-encoded and
 * DataFusion decodes them), so `a=x%2Fy` holds "x/y".
 */
#include <string.h>

#include "io/io.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *io_percent_decode(const char *s, size_t len)
{
    char *out = base_alloc(len + 1);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len) {
            int hi = hex_value(s[i + 1]);
            int lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out[n++] = (char)(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out[n++] = s[i];
    }
    out[n] = 0;
    return out;
}

/* The part of path below root, without leading slashes; NULL when path is
 * not below root. "./" prefixes are compared as written. */
static const char *relative_part(const char *root, const char *path)
{
    size_t root_len = strlen(root);
    while (root_len > 0 && root[root_len - 1] == '/')
        root_len--;
    if (strncmp(path, root, root_len) != 0)
        return NULL;
    const char *rest = path + root_len;
    if (root_len > 0 && *rest != '/')
        return NULL;
    while (*rest == '/')
        rest++;
    return rest;
}

void io_partition_values_free(io_partition_values *values)
{
    if (values == NULL)
        return;
    for (int32_t i = 0; i < values->n; i++) {
        base_free(values->items[i].key);
        base_free(values->items[i].value);
    }
    base_free(values->items);
    values->items = NULL;
    values->n = 0;
}

qv_status io_hive_partitions(const char *root, const char *path, io_partition_values *out,
                             qv_error *err)
{
    out->n = 0;
    out->items = NULL;
    const char *rest = relative_part(root, path);
    if (rest == NULL)
        return base_error_set(err, QV_INVALID, "path %s is not below the table root %s", path,
                              root);
    int32_t cap = 0;
    for (;;) {
        const char *slash = strchr(rest, '/');
        if (slash == NULL)
            break; /* the file name */
        const char *eq = memchr(rest, '=', (size_t)(slash - rest));
        if (eq != NULL) {
            if (out->n == cap) {
                cap = cap ? cap * 2 : 4;
                io_partition_value *grown = base_realloc(out->items, (size_t)cap * sizeof *grown);
                if (grown == NULL) {
                    io_partition_values_free(out);
                    return base_error_nomem(err, "partition values");
                }
                out->items = grown;
            }
            char *key = io_percent_decode(rest, (size_t)(eq - rest));
            char *value = io_percent_decode(eq + 1, (size_t)(slash - eq - 1));
            if (key == NULL || value == NULL) {
                base_free(key);
                base_free(value);
                io_partition_values_free(out);
                return base_error_nomem(err, "partition values");
            }
            out->items[out->n].key = key;
            out->items[out->n].value = value;
            out->n++;
        }
        rest = slash + 1;
        while (*rest == '/')
            rest++;
    }
    return QV_OK;
}

bool io_hive_match(const char *root, const char *path, const char *const *cols, int32_t n,
                   char **values, qv_status *status)
{
    if (status)
        *status = QV_OK;
    const char *rest = relative_part(root, path);
    if (rest == NULL)
        return false;
    const char *seg = rest;
    int32_t i = 0;
    /* Check first, then allocate, so a mismatch allocates nothing. */
    for (; i < n; i++) {
        const char *slash = strchr(seg, '/');
        if (slash == NULL)
            return false;
        const char *eq = memchr(seg, '=', (size_t)(slash - seg));
        size_t col_len = strlen(cols[i]);
        if (eq == NULL || (size_t)(eq - seg) != col_len || memcmp(seg, cols[i], col_len) != 0)
            return false;
        seg = slash + 1;
    }
    seg = rest;
    for (i = 0; i < n; i++) {
        const char *slash = strchr(seg, '/');
        const char *eq = memchr(seg, '=', (size_t)(slash - seg));
        values[i] = io_percent_decode(eq + 1, (size_t)(slash - eq - 1));
        if (values[i] == NULL) {
            for (int32_t j = 0; j < i; j++) {
                base_free(values[j]);
                values[j] = NULL;
            }
            if (status)
                *status = QV_NOMEM;
            return false;
        }
        seg = slash + 1;
    }
    return true;
}
