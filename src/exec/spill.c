/*
 * spill.c — spill files (layer: exec): batches written to an unlinked
 * temporary file and read back once, in order, for operators that run out
 * of memory (sort runs today).
 *
 * Format (native endianness, the file never leaves the process): records of
 * [u64 payload length][payload]; a payload is u64 n_rows then one encoded
 * array per column. An array is i64 length, u8 has-validity, the validity
 * bits from bit 0, then by layout: fixed-width values; Boolean bits;
 * offsets rebased to 0 plus u64 data length and the data (views are written
 * as i32 lengths plus data and rebuilt on read); lists carry their child's
 * referenced range, structs and fixed-size lists their children's;
 * dictionaries their indices plus the whole dictionary; run-end encoded
 * arrays i64 run count, i64 run ends rebased, and the values' range. Reads
 * validate every array before handing the batch out.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/exec.h"

struct exec_spill_file {
    int fd;
    arrow_schema *schema;
    int64_t bytes;    /* written */
    int64_t read_pos; /* bytes consumed while reading */
    bool finished;
    uint8_t *buf; /* serialisation scratch */
    size_t len, cap;
    bool failed; /* the scratch could not grow */
    exec_disk_budget disk;
};

static qv_status io_error(qv_error *err, const char *what)
{
    return base_error_set(err, QV_IO, "spill file %s failed: %s", what, strerror(errno));
}

/* ---- the disk budget ---- */

/* DataFusion's human_readable_size: "1.5 GB", "512.0 KB", "100 B"-like
 * with one decimal, the unit chosen from twice its size. */
static void human_size(int64_t bytes, char *buf, size_t n)
{
    static const char *const units[] = {"TB", "GB", "MB", "KB"};
    double unit = 1024.0 * 1024.0 * 1024.0 * 1024.0;
    for (int i = 0; i < 4; i++, unit /= 1024.0) {
        if ((double)bytes >= 2.0 * unit) {
            snprintf(buf, n, "%.1f %s", (double)bytes / unit, units[i]);
            return;
        }
    }
    snprintf(buf, n, "%.1f B", (double)bytes);
}

static qv_status take_disk_space(exec_disk_budget *disk, int64_t bytes, qv_error *err)
{
    if (disk->used == NULL)
        return QV_OK;
    int64_t used = atomic_fetch_add(disk->used, bytes) + bytes;
    if (disk->limit < 0 || used <= disk->limit)
        return QV_OK;
    atomic_fetch_sub(disk->used, bytes);
    char limit[32];
    human_size(disk->limit, limit, sizeof limit);
    return base_error_set(
        err, QV_RESOURCES_EXHAUSTED,
        "Resources exhausted: The used disk space during the spilling process has "
        "exceeded the allowable limit of %s. Please try increasing the config: "
        "`datafusion.runtime.max_temp_directory_size`.",
        limit);
}

static void give_back_disk_space(exec_disk_budget *disk, int64_t bytes)
{
    if (disk->used != NULL && bytes > 0)
        atomic_fetch_sub(disk->used, bytes);
}

/* ---- writing ---- */

static void put(exec_spill_file *f, const void *data, size_t n)
{
    if (f->failed || n == 0)
        return;
    if (f->len + n > f->cap) {
        size_t cap = f->cap ? f->cap : 4096;
        while (cap < f->len + n)
            cap *= 2;
        uint8_t *grown = base_realloc(f->buf, cap);
        if (grown == NULL) {
            f->failed = true;
            return;
        }
        f->buf = grown;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, data, n);
    f->len += n;
}

static void put_i64(exec_spill_file *f, int64_t v)
{
    put(f, &v, 8);
}

/* n bits of src from bit src_off, written from bit 0. */
static void put_bits(exec_spill_file *f, const uint8_t *src, int64_t src_off, int64_t n)
{
    int64_t n_bytes = (n + 7) / 8;
    if ((src_off & 7) == 0) {
        put(f, src + src_off / 8, (size_t)n_bytes);
        if (n & 7 && !f->failed) /* clear bits past n in the copy */
            f->buf[f->len - 1] &= (uint8_t)((1u << (n & 7)) - 1);
        return;
    }
    for (int64_t b = 0; b < n_bytes; b++) {
        uint8_t byte = 0;
        for (int k = 0; k < 8 && b * 8 + k < n; k++)
            byte |= (uint8_t)(arrow_bit_get(src, src_off + b * 8 + k) << k);
        put(f, &byte, 1);
    }
}

static int64_t get_offset(const arrow_array *a, bool large, int64_t i)
{
    const uint8_t *data = a->buffers[1]->data;
    return large ? ((const int64_t *)data)[a->offset + i] : ((const int32_t *)data)[a->offset + i];
}

static qv_status put_array(exec_spill_file *f, arrow_array *a, qv_error *err);

static qv_status put_child_range(exec_spill_file *f, arrow_array *child, int64_t start,
                                 int64_t length, qv_error *err)
{
    arrow_array *slice = NULL;
    QV_TRY(arrow_array_slice(child, start, length, &slice, err));
    qv_status st = put_array(f, slice, err);
    arrow_array_release(slice);
    return st;
}

/* Offsets rebased to start at 0; *first / *last: the referenced range. */
static void put_offsets(exec_spill_file *f, const arrow_array *a, bool large, int64_t *first,
                        int64_t *last)
{
    *first = a->length > 0 ? get_offset(a, large, 0) : 0;
    *last = a->length > 0 ? get_offset(a, large, a->length) : 0;
    for (int64_t i = 0; i <= a->length; i++) {
        int64_t v = a->length > 0 ? get_offset(a, large, i) - *first : 0;
        if (large) {
            put_i64(f, v);
        } else {
            int32_t v32 = (int32_t)v;
            put(f, &v32, 4);
        }
    }
}

static int32_t fixed_width(const arrow_type *type)
{
    if (type->id == QV_TYPE_FIXED_SIZE_BINARY)
        return type->fixed_size;
    if (type->id == QV_TYPE_DICTIONARY)
        return arrow_type_bit_width(type->index_type) / 8;
    return arrow_type_bit_width(type) / 8;
}

static int64_t ree_physical(const arrow_array *a, int64_t logical)
{
    const arrow_array *ends = a->children[0];
    int64_t lo = 0, hi = ends->length;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        const uint8_t *d = ends->buffers[1]->data;
        int64_t j = ends->offset + mid;
        int64_t end = ends->type->id == QV_TYPE_INT16   ? ((const int16_t *)d)[j]
                      : ends->type->id == QV_TYPE_INT32 ? ((const int32_t *)d)[j]
                                                        : ((const int64_t *)d)[j];
        if (end <= logical)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static qv_status put_array(exec_spill_file *f, arrow_array *a, qv_error *err)
{
    arrow_type_id id = a->type->id;
    int64_t n = a->length, off = a->offset;
    put_i64(f, n);
    bool has_validity = id != QV_TYPE_NULL && id != QV_TYPE_RUN_END_ENCODED &&
                        a->buffers[0] != NULL && arrow_array_null_count(a) > 0;
    uint8_t flag = has_validity;
    put(f, &flag, 1);
    if (has_validity)
        put_bits(f, a->buffers[0]->data, off, n);
    int64_t first, last;
    switch (id) {
    case QV_TYPE_NULL:
        return QV_OK;
    case QV_TYPE_BOOLEAN:
        if (n > 0)
            put_bits(f, a->buffers[1]->data, off, n);
        return QV_OK;
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY: {
        bool large = id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_LARGE_BINARY;
        put_offsets(f, a, large, &first, &last);
        put_i64(f, last - first);
        if (last > first)
            put(f, a->buffers[2]->data + first, (size_t)(last - first));
        return QV_OK;
    }
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW: {
        int64_t total = 0;
        for (int64_t i = 0; i < n; i++) {
            int32_t len;
            memcpy(&len, a->buffers[1]->data + (off + i) * 16, 4);
            put(f, &len, 4);
            total += len;
        }
        put_i64(f, total);
        for (int64_t i = 0; i < n; i++) {
            const uint8_t *view = a->buffers[1]->data + (off + i) * 16;
            int32_t len, index, pos;
            memcpy(&len, view, 4);
            if (len <= 12) {
                put(f, view + 4, (size_t)len);
                continue;
            }
            memcpy(&index, view + 8, 4);
            memcpy(&pos, view + 12, 4);
            put(f, a->buffers[2 + index]->data + pos, (size_t)len);
        }
        return QV_OK;
    }
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
    case QV_TYPE_LARGE_LIST:
        put_offsets(f, a, id == QV_TYPE_LARGE_LIST, &first, &last);
        return put_child_range(f, a->children[0], first, last - first, err);
    case QV_TYPE_FIXED_SIZE_LIST: {
        int64_t size = a->type->fixed_size;
        return put_child_range(f, a->children[0], off * size, n * size, err);
    }
    case QV_TYPE_STRUCT:
        for (int32_t c = 0; c < a->n_children; c++)
            QV_TRY(put_child_range(f, a->children[c], off, n, err));
        return QV_OK;
    case QV_TYPE_RUN_END_ENCODED: {
        int64_t p0 = n > 0 ? ree_physical(a, off) : 0;
        int64_t p1 = n > 0 ? ree_physical(a, off + n - 1) + 1 : 0;
        put_i64(f, p1 - p0);
        for (int64_t r = p0; r < p1; r++) {
            int64_t end = (r == p1 - 1) ? n : 0;
            if (r < p1 - 1) {
                const arrow_array *ends = a->children[0];
                const uint8_t *d = ends->buffers[1]->data;
                int64_t j = ends->offset + r;
                end = (ends->type->id == QV_TYPE_INT16   ? ((const int16_t *)d)[j]
                       : ends->type->id == QV_TYPE_INT32 ? ((const int32_t *)d)[j]
                                                         : ((const int64_t *)d)[j]) -
                      off;
            }
            put_i64(f, end);
        }
        return put_child_range(f, a->children[1], p0, p1 - p0, err);
    }
    default: { /* fixed width and dictionary indices */
        int32_t w = fixed_width(a->type);
        if (n > 0 && w > 0)
            put(f, a->buffers[1]->data + off * w, (size_t)(n * w));
        if (id == QV_TYPE_DICTIONARY)
            return put_array(f, a->dictionary, err);
        return QV_OK;
    }
    }
}

static qv_status write_all(int fd, const uint8_t *data, size_t n, qv_error *err)
{
    while (n > 0) {
        ssize_t w = write(fd, data, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return io_error(err, "write");
        }
        data += w;
        n -= (size_t)w;
    }
    return QV_OK;
}

qv_status exec_spill_create(const char *dir, exec_disk_budget disk, arrow_schema *schema,
                            exec_spill_file **out, qv_error *err)
{
    *out = NULL;
    if (dir == NULL || schema == NULL)
        return base_error_set(err, QV_MISUSE, "a spill file needs a directory and a schema");
    size_t len = strlen(dir) + 32;
    char *path = base_alloc(len);
    exec_spill_file *f = base_calloc(1, sizeof *f);
    if (path == NULL || f == NULL) {
        base_free(path);
        base_free(f);
        return base_error_nomem(err, "spill file");
    }
    snprintf(path, len, "%s/quiver-spill-XXXXXX", dir);
    f->fd = mkstemp(path);
    if (f->fd < 0) {
        qv_status st = base_error_set(err, QV_IO, "cannot create a spill file in %s: %s", dir,
                                      strerror(errno));
        base_free(path);
        base_free(f);
        return st;
    }
    /* Unlinked at once: the file disappears with its descriptor. */
    unlink(path);
    base_free(path);
    fcntl(f->fd, F_SETFD, FD_CLOEXEC);
    f->schema = arrow_schema_retain(schema);
    f->disk = disk;
    *out = f;
    return QV_OK;
}

qv_status exec_spill_write(exec_spill_file *file, arrow_batch *batch, qv_error *err)
{
    if (file == NULL || file->finished)
        return base_error_set(err, QV_MISUSE, "spill file is not open for writing");
    if (batch->schema->n_fields != file->schema->n_fields)
        return base_error_set(err, QV_INVALID, "batch does not match the spill file's schema");
    file->len = 0;
    file->failed = false;
    put_i64(file, 0); /* payload length, patched below */
    put_i64(file, batch->n_rows);
    for (int32_t c = 0; c < batch->schema->n_fields; c++)
        QV_TRY(put_array(file, batch->columns[c], err));
    if (file->failed)
        return base_error_nomem(err, "spill buffer");
    int64_t payload = (int64_t)file->len - 8;
    memcpy(file->buf, &payload, 8);
    QV_TRY(take_disk_space(&file->disk, (int64_t)file->len, err));
    qv_status st = write_all(file->fd, file->buf, file->len, err);
    if (st != QV_OK) {
        give_back_disk_space(&file->disk, (int64_t)file->len);
        return st;
    }
    file->bytes += (int64_t)file->len;
    return QV_OK;
}

qv_status exec_spill_finish(exec_spill_file *file, qv_error *err)
{
    if (file == NULL || file->finished)
        return base_error_set(err, QV_MISUSE, "spill file is not open for writing");
    if (lseek(file->fd, 0, SEEK_SET) < 0)
        return io_error(err, "seek");
    file->finished = true;
    base_free(file->buf);
    file->buf = NULL;
    file->len = file->cap = 0;
    return QV_OK;
}

/* ---- reading ---- */

typedef struct reader {
    const uint8_t *p;
    int64_t left;
} reader;

static qv_status corrupt(qv_error *err)
{
    return base_error_set(err, QV_CORRUPT, "spill file is corrupt");
}

static qv_status take_bytes(reader *r, int64_t n, const uint8_t **out, qv_error *err)
{
    if (n < 0 || n > r->left)
        return corrupt(err);
    *out = r->p;
    r->p += n;
    r->left -= n;
    return QV_OK;
}

static qv_status get_i64(reader *r, int64_t *v, qv_error *err)
{
    const uint8_t *p = NULL;
    QV_TRY(take_bytes(r, 8, &p, err));
    memcpy(v, p, 8);
    return QV_OK;
}

/* A new buffer holding the next n bytes. */
static qv_status get_buffer(reader *r, int64_t n, arrow_buffer **out, qv_error *err)
{
    const uint8_t *p = NULL;
    QV_TRY(take_bytes(r, n, &p, err));
    return arrow_buffer_copy(p, n, out, err);
}

static qv_status get_array(reader *r, arrow_type *type, int depth, arrow_array **out,
                           qv_error *err);

static qv_status get_views(reader *r, int64_t n, arrow_buffer **buffers, qv_error *err)
{
    const uint8_t *lens = NULL, *data = NULL;
    int64_t total;
    if (n > r->left / 4)
        return corrupt(err);
    QV_TRY(take_bytes(r, n * 4, &lens, err));
    QV_TRY(get_i64(r, &total, err));
    QV_TRY(take_bytes(r, total, &data, err));
    QV_TRY(arrow_buffer_new(n * 16, &buffers[1], err));
    QV_TRY(arrow_buffer_copy(data, total, &buffers[2], err));
    int64_t pos = 0;
    for (int64_t i = 0; i < n; i++) {
        int32_t len;
        memcpy(&len, lens + i * 4, 4);
        if (len < 0 || len > total - pos || pos > INT32_MAX)
            return corrupt(err);
        uint8_t *view = buffers[1]->data + i * 16;
        memcpy(view, &len, 4);
        if (len <= 12) {
            memcpy(view + 4, data + pos, (size_t)len);
        } else {
            int32_t index = 0, at = (int32_t)pos;
            memcpy(view + 4, data + pos, 4);
            memcpy(view + 8, &index, 4);
            memcpy(view + 12, &at, 4);
        }
        pos += len;
    }
    return QV_OK;
}

static qv_status get_run_ends(reader *r, arrow_type *type, int64_t *n_runs, arrow_array **out,
                              qv_error *err)
{
    QV_TRY(get_i64(r, n_runs, err));
    if (*n_runs < 0 || *n_runs > r->left / 8)
        return corrupt(err);
    int32_t w = arrow_type_bit_width(type) / 8;
    arrow_buffer *buffers[2] = {NULL, NULL};
    QV_TRY(arrow_buffer_new(*n_runs * w, &buffers[1], err));
    for (int64_t k = 0; k < *n_runs; k++) {
        int64_t end = 0;
        if (get_i64(r, &end, err) != QV_OK) {
            arrow_buffer_release(buffers[1]);
            return QV_CORRUPT;
        }
        uint8_t *d = buffers[1]->data;
        if (w == 2)
            ((int16_t *)d)[k] = (int16_t)end;
        else if (w == 4)
            ((int32_t *)d)[k] = (int32_t)end;
        else
            ((int64_t *)d)[k] = end;
    }
    qv_status st = arrow_array_new(type, *n_runs, 0, 0, 2, buffers, 0, NULL, NULL, out, err);
    arrow_buffer_release(buffers[1]);
    return st;
}

static qv_status get_array(reader *r, arrow_type *type, int depth, arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (depth > 64)
        return corrupt(err);
    int64_t n;
    const uint8_t *flag = NULL;
    QV_TRY(get_i64(r, &n, err));
    QV_TRY(take_bytes(r, 1, &flag, err));
    if (n < 0 || n > (INT64_MAX / 64))
        return corrupt(err);
    arrow_type_id id = type->id;
    int32_t n_buffers = arrow_layout_buffers(type), n_children = arrow_layout_children(type);
    arrow_buffer *buffers[3] = {NULL, NULL, NULL};
    arrow_array *children_small[2] = {NULL, NULL}, **children = children_small;
    arrow_array *dictionary = NULL;
    qv_status st = QV_OK;
    if (n_children > 2) {
        children = base_calloc((size_t)n_children, sizeof *children);
        if (children == NULL)
            return base_error_nomem(err, "spilled array");
    }
    if (*flag)
        st = get_buffer(r, (n + 7) / 8, &buffers[0], err);
    int64_t first = 0, last = 0;
    switch (id) {
    case QV_TYPE_NULL:
        break;
    case QV_TYPE_BOOLEAN:
        if (st == QV_OK)
            st = get_buffer(r, (n + 7) / 8, &buffers[1], err);
        break;
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY: {
        int w = id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_LARGE_BINARY ? 8 : 4;
        if (st == QV_OK && n + 1 > r->left / w)
            st = corrupt(err);
        if (st == QV_OK)
            st = get_buffer(r, (n + 1) * w, &buffers[1], err);
        if (st == QV_OK)
            st = get_i64(r, &last, err);
        if (st == QV_OK)
            st = get_buffer(r, last, &buffers[2], err);
        break;
    }
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        if (st == QV_OK)
            st = get_views(r, n, buffers, err);
        n_buffers = 3;
        break;
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
    case QV_TYPE_LARGE_LIST: {
        int w = id == QV_TYPE_LARGE_LIST ? 8 : 4;
        if (st == QV_OK && n + 1 > r->left / w)
            st = corrupt(err);
        if (st == QV_OK)
            st = get_buffer(r, (n + 1) * w, &buffers[1], err);
        if (st == QV_OK)
            st = get_array(r, type->children[0]->type, depth + 1, &children[0], err);
        break;
    }
    case QV_TYPE_FIXED_SIZE_LIST:
        if (st == QV_OK)
            st = get_array(r, type->children[0]->type, depth + 1, &children[0], err);
        break;
    case QV_TYPE_STRUCT:
        for (int32_t c = 0; c < n_children && st == QV_OK; c++)
            st = get_array(r, type->children[c]->type, depth + 1, &children[c], err);
        break;
    case QV_TYPE_RUN_END_ENCODED:
        if (st == QV_OK)
            st = get_run_ends(r, type->children[0]->type, &first, &children[0], err);
        if (st == QV_OK)
            st = get_array(r, type->children[1]->type, depth + 1, &children[1], err);
        break;
    default: {
        int32_t w = fixed_width(type);
        if (st == QV_OK && w > 0 && n > r->left / w)
            st = corrupt(err);
        if (st == QV_OK)
            st = get_buffer(r, n * w, &buffers[1], err);
        if (st == QV_OK && id == QV_TYPE_DICTIONARY)
            st = get_array(r, type->value_type, depth + 1, &dictionary, err);
        break;
    }
    }
    if (st == QV_OK)
        st = arrow_array_new(type, n, -1, 0, n_buffers, buffers, n_children, children, dictionary,
                             out, err);
    for (int i = 0; i < 3; i++)
        arrow_buffer_release(buffers[i]);
    for (int32_t c = 0; c < n_children; c++)
        arrow_array_release(children[c]);
    if (children != children_small)
        base_free(children);
    arrow_array_release(dictionary);
    return st;
}

static qv_status read_all(int fd, uint8_t *data, size_t n, size_t *got, qv_error *err)
{
    *got = 0;
    while (*got < n) {
        ssize_t r = read(fd, data + *got, n - *got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return io_error(err, "read");
        }
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return QV_OK;
}

static qv_status parse_batch(exec_spill_file *file, reader *r, arrow_batch **out, qv_error *err)
{
    int64_t n_rows;
    QV_TRY(get_i64(r, &n_rows, err));
    int32_t n_cols = file->schema->n_fields;
    arrow_array **columns = base_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *columns);
    if (columns == NULL)
        return base_error_nomem(err, "spilled batch");
    qv_status st = QV_OK;
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++) {
        st = get_array(r, file->schema->fields[c]->type, 0, &columns[c], err);
        if (st == QV_OK)
            st = arrow_array_validate(columns[c], err);
    }
    if (st == QV_OK && r->left != 0)
        st = corrupt(err);
    if (st == QV_OK)
        st = arrow_batch_new(file->schema, n_rows, columns, out, err);
    for (int32_t c = 0; c < n_cols; c++)
        arrow_array_release(columns[c]);
    base_free(columns);
    return st;
}

qv_status exec_spill_read(exec_spill_file *file, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    if (file == NULL || !file->finished)
        return base_error_set(err, QV_MISUSE, "spill file is not open for reading");
    if (file->read_pos >= file->bytes)
        return QV_OK;
    int64_t payload;
    size_t got;
    QV_TRY(read_all(file->fd, (uint8_t *)&payload, 8, &got, err));
    if (got != 8 || payload < 8 || payload > file->bytes - file->read_pos - 8)
        return corrupt(err);
    uint8_t *data = base_alloc((size_t)payload);
    if (data == NULL)
        return base_error_nomem(err, "spill read buffer");
    qv_status st = read_all(file->fd, data, (size_t)payload, &got, err);
    if (st == QV_OK && got != (size_t)payload)
        st = corrupt(err);
    if (st == QV_OK) {
        reader r = {data, payload};
        st = parse_batch(file, &r, out, err);
    }
    base_free(data);
    if (st == QV_OK)
        file->read_pos += 8 + payload;
    return st;
}

int64_t exec_spill_bytes(const exec_spill_file *file)
{
    return file != NULL ? file->bytes : 0;
}

void exec_spill_free(exec_spill_file *file)
{
    if (file == NULL)
        return;
    if (file->fd >= 0)
        close(file->fd);
    give_back_disk_space(&file->disk, file->bytes);
    arrow_schema_release(file->schema);
    base_free(file->buf);
    base_free(file);
}
