/*
 * listing_test_util.h — helpers shared by the listing tests: scratch
 * directories and files, and a table's rows read through a scan as sorted
 * text.
 */
#ifndef QV_LISTING_TEST_UTIL_H
#define QV_LISTING_TEST_UTIL_H

#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/listing.h"

/* A new empty directory under /tmp (path written into buf). */
static inline bool make_temp_dir(char *buf, size_t cap)
{
    snprintf(buf, cap, "/tmp/qv_listingXXXXXX");
    return mkdtemp(buf) != NULL;
}

/* Writes len bytes to dir/name, creating the directories in name. */
static inline bool write_bytes(const char *dir, const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (char *p = path + strlen(dir) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0777);
            *p = '/';
        }
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static inline bool write_text(const char *dir, const char *name, const char *text)
{
    return write_bytes(dir, name, text, strlen(text));
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every row of every partition of a scan, "v|v|v" each, sorted, joined by
 * '\n' into out (a new string to free). NULL args: all columns. */
static inline qv_status scan_rows(catalog_table *table, const catalog_scan_args *args_in,
                                  int32_t *n_partitions, char **out, qv_error *err)
{
    catalog_scan_args args = {0};
    if (args_in != NULL)
        args = *args_in;
    else
        args.limit = -1;
    if (args.batch_size == 0)
        args.batch_size = 3;
    catalog_scan *scan = NULL;
    QV_TRY(table->ops->scan(table, &args, &scan, err));
    if (n_partitions != NULL)
        *n_partitions = scan->n_partitions;
    char **lines = NULL;
    size_t n = 0, cap = 0;
    qv_status st = QV_OK;
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (int32_t p = 0; p < scan->n_partitions && st == QV_OK; p++) {
        catalog_stream *stream = NULL;
        st = scan->open(scan, p, &stream, err);
        while (st == QV_OK) {
            arrow_batch *b = NULL;
            st = stream->next(stream, &b, err);
            if (st != QV_OK || b == NULL)
                break;
            for (int64_t r = 0; r < b->n_rows; r++) {
                base_strbuf_clear(&sb);
                for (int32_t c = 0; c < b->schema->n_fields; c++) {
                    if (c > 0)
                        base_strbuf_append_char(&sb, '|');
                    arrow_format_value(b->columns[c], r, &sb, NULL);
                }
                if (n == cap) {
                    cap = cap ? cap * 2 : 64;
                    lines = realloc(lines, cap * sizeof *lines);
                }
                lines[n++] = strdup(base_strbuf_cstr(&sb));
            }
            arrow_batch_release(b);
        }
        if (stream != NULL)
            stream->free(stream);
    }
    scan->free(scan);
    if (n > 0)
        qsort(lines, n, sizeof *lines, compare_lines);
    base_strbuf_clear(&sb);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            base_strbuf_append_char(&sb, '\n');
        base_strbuf_append_str(&sb, lines[i]);
        free(lines[i]);
    }
    free(lines);
    *out = st == QV_OK ? strdup(base_strbuf_cstr(&sb)) : NULL;
    base_strbuf_free(&sb);
    return st;
}

#endif /* QV_LISTING_TEST_UTIL_H */
