/*
 * test_read.c — reading the Parquet fixtures of ../shared/conformance with
 * the reader API (format/parquet_read.c): schemas, exact values, nested
 * lists, projections, limits, batch sizes, byte ranges, missing columns,
 * and corrupt copies of a file (every byte changed in turn, truncations)
 * failing cleanly.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "format/parquet.h"
#include "test.h"

/* A fixture's path: ../shared/conformance/datafusion/<rel> beside the
 * repository (found from this file's path), else /work/shared. */
static const char *fixture(const char *rel, char *buf, size_t n)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", __FILE__);
    for (int up = 0; up < 4; up++) {
        char *slash = strrchr(dir, '/');
        if (slash != NULL)
            *slash = '\0';
    }
    snprintf(buf, n, "%s/../shared/conformance/datafusion/%s", dir, rel);
    if (access(buf, R_OK) == 0)
        return buf;
    snprintf(buf, n, "/work/shared/conformance/datafusion/%s", rel);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

static void schema_text(const arrow_schema *s, base_strbuf *sb)
{
    for (int32_t i = 0; i < s->n_fields; i++) {
        base_strbuf_appendf(sb, "%s%s: ", i > 0 ? ", " : "", s->fields[i]->name);
        arrow_type_format(s->fields[i]->type, sb);
    }
}

/* Reads the whole scan into "v|v\n" rows; returns the status. */
static qv_status read_all(const char *path, const parquet_read_options *opts,
                          const parquet_scan *scan, base_strbuf *rows, int64_t *n_rows,
                          int64_t *n_batches, qv_error *err)
{
    parquet_reader *r = NULL;
    *n_rows = 0;
    *n_batches = 0;
    QV_TRY(parquet_reader_open(path, opts, scan, &r, err));
    qv_status st = QV_OK;
    for (;;) {
        arrow_batch *b = NULL;
        st = parquet_reader_next(r, &b, err);
        if (st != QV_OK || b == NULL)
            break;
        for (int64_t i = 0; rows != NULL && i < b->n_rows; i++) {
            for (int32_t c = 0; c < b->schema->n_fields; c++) {
                if (c > 0)
                    base_strbuf_append_char(rows, '|');
                arrow_format_value(b->columns[c], i, rows, NULL);
            }
            base_strbuf_append_char(rows, '\n');
        }
        for (int32_t c = 0; c < b->schema->n_fields && st == QV_OK; c++)
            st = arrow_array_validate(b->columns[c], err);
        *n_rows += b->n_rows;
        (*n_batches)++;
        arrow_batch_release(b);
        if (st != QV_OK)
            break;
    }
    parquet_reader_free(r);
    return st;
}

TEST(alltypes_plain_values)
{
    char path[1200];
    if (fixture("parquet-testing/data/alltypes_plain.parquet", path, sizeof path) == NULL)
        return; /* no corpus here */
    qv_error err;
    parquet_file *f = NULL;
    CHECK_OK(parquet_file_open(path, NULL, &f, &err));
    CHECK_INT_EQ(parquet_file_num_rows(f), 8);
    CHECK_INT_EQ(parquet_file_num_row_groups(f), 1);
    base_strbuf sb;
    base_strbuf_init(&sb);
    schema_text(parquet_file_schema(f), &sb);
    CHECK_STR_EQ(base_strbuf_cstr(&sb),
                 "id: Int32, bool_col: Boolean, tinyint_col: Int32, smallint_col: Int32, "
                 "int_col: Int32, bigint_col: Int64, float_col: Float32, double_col: Float64, "
                 "date_string_col: BinaryView, string_col: BinaryView, timestamp_col: "
                 "Timestamp(ns)");
    base_strbuf_free(&sb);
    int32_t proj[] = {0, 10, 6, 9};
    parquet_scan scan = {parquet_file_schema(f), proj, 4, 3, -1, 0, -1};
    base_strbuf rows;
    base_strbuf_init(&rows);
    int64_t n = 0, batches = 0;
    qv_status st = read_all(path, NULL, &scan, &rows, &n, &batches, &err);
    parquet_file_free(f);
    if (st != QV_OK)
        base_strbuf_free(&rows);
    CHECK_OK(st);
    CHECK_INT_EQ(n, 8);
    CHECK_INT_EQ(batches, 3);
    CHECK_STR_EQ(base_strbuf_cstr(&rows), "4|2009-03-01T00:00:00|0.0|30\n"
                                          "5|2009-03-01T00:01:00|1.1|31\n"
                                          "6|2009-04-01T00:00:00|0.0|30\n"
                                          "7|2009-04-01T00:01:00|1.1|31\n"
                                          "2|2009-02-01T00:00:00|0.0|30\n"
                                          "3|2009-02-01T00:01:00|1.1|31\n"
                                          "0|2009-01-01T00:00:00|0.0|30\n"
                                          "1|2009-01-01T00:01:00|1.1|31\n");
    base_strbuf_free(&rows);
}

TEST(list_columns_and_limit)
{
    char path[1200];
    if (fixture("parquet-testing/data/list_columns.parquet", path, sizeof path) == NULL)
        return;
    qv_error err;
    parquet_file *f = NULL;
    CHECK_OK(parquet_file_open(path, NULL, &f, &err));
    arrow_schema *schema = arrow_schema_retain(parquet_file_schema(f));
    parquet_file_free(f);
    parquet_scan scan = {schema, NULL, 0, 8192, 2, 0, -1};
    base_strbuf rows;
    base_strbuf_init(&rows);
    int64_t n = 0, batches = 0;
    qv_status st = read_all(path, NULL, &scan, &rows, &n, &batches, &err);
    arrow_schema_release(schema);
    if (st != QV_OK)
        base_strbuf_free(&rows);
    CHECK_OK(st);
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(base_strbuf_cstr(&rows), "[1, 2, 3]|[abc, efg, hij]\n[NULL, 1]|NULL\n");
    base_strbuf_free(&rows);
}

TEST(byte_ranges_split_row_groups)
{
    char path[1200];
    if (fixture("datafusion/core/tests/data/timestamp_with_tz.parquet", path, sizeof path) == NULL)
        return;
    qv_error err;
    parquet_file *f = NULL;
    CHECK_OK(parquet_file_open(path, NULL, &f, &err));
    arrow_schema *schema = arrow_schema_retain(parquet_file_schema(f));
    int64_t total = parquet_file_num_rows(f);
    parquet_file_free(f);
    FILE *fp = fopen(path, "rb");
    CHECK(fp != NULL);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fclose(fp);
    int32_t proj[] = {0};
    int64_t sum = 0;
    qv_status st = QV_OK;
    for (int part = 0; part < 3 && st == QV_OK; part++) {
        parquet_scan scan = {schema, proj, 1, 4096, -1, size * part / 3, size * (part + 1) / 3};
        int64_t n = 0, batches = 0;
        st = read_all(path, NULL, &scan, NULL, &n, &batches, &err);
        sum += n;
    }
    arrow_schema_release(schema);
    CHECK_OK(st);
    CHECK_INT_EQ(total, 131072);
    CHECK_INT_EQ(sum, total);
}

TEST(missing_columns_and_conversions)
{
    char path[1200];
    if (fixture("parquet-testing/data/alltypes_plain.parquet", path, sizeof path) == NULL)
        return;
    qv_error err;
    arrow_field *fields[3] = {NULL, NULL, NULL};
    CHECK_OK(arrow_field_new("nothing", arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &fields[0],
                             &err));
    CHECK_OK(
        arrow_field_new("id", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &fields[1], &err));
    CHECK_OK(arrow_field_new("float_col", arrow_type_primitive(QV_TYPE_FLOAT64), true, NULL,
                             &fields[2], &err));
    arrow_schema *schema = NULL;
    qv_status st = arrow_schema_new(3, fields, NULL, &schema, &err);
    for (int i = 0; i < 3; i++)
        arrow_field_release(fields[i]);
    CHECK_OK(st);
    parquet_scan scan = {schema, NULL, 0, 8192, 2, 0, -1};
    base_strbuf rows;
    base_strbuf_init(&rows);
    int64_t n = 0, batches = 0;
    st = read_all(path, NULL, &scan, &rows, &n, &batches, &err);
    arrow_schema_release(schema);
    if (st != QV_OK)
        base_strbuf_free(&rows);
    CHECK_OK(st);
    CHECK_STR_EQ(base_strbuf_cstr(&rows), "NULL|4|0.0\nNULL|5|1.100000023841858\n");
    base_strbuf_free(&rows);
}

/* Writes data[0..len) to a new temporary file named into path. */
static bool write_temp(const uint8_t *data, size_t len, char *path, size_t n)
{
    snprintf(path, n, "/tmp/qv_parquet_test_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    bool ok = write(fd, data, len) == (ssize_t)len;
    close(fd);
    return ok;
}

/* Opens and reads a corrupt copy: any status is fine, a crash or leak is not. */
static qv_status read_corrupt(const uint8_t *data, size_t len)
{
    char path[64];
    if (!write_temp(data, len, path, sizeof path))
        return QV_IO;
    qv_error err;
    parquet_file *f = NULL;
    qv_status st = parquet_file_open(path, NULL, &f, &err);
    if (st == QV_OK) {
        arrow_schema *schema = arrow_schema_retain(parquet_file_schema(f));
        parquet_file_free(f);
        parquet_scan scan = {schema, NULL, 0, 3, -1, 0, -1};
        int64_t n = 0, batches = 0;
        st = read_all(path, NULL, &scan, NULL, &n, &batches, &err);
        arrow_schema_release(schema);
    }
    unlink(path);
    return st;
}

TEST(corrupt_files_fail_cleanly)
{
    char path[1200];
    if (fixture("parquet-testing/data/alltypes_plain.parquet", path, sizeof path) == NULL)
        return;
    FILE *fp = fopen(path, "rb");
    CHECK(fp != NULL);
    uint8_t data[4096];
    size_t len = fread(data, 1, sizeof data, fp);
    fclose(fp);
    CHECK(len > 1000 && len < sizeof data);
    CHECK_INT_EQ(read_corrupt(data, len), QV_OK);
    int errors = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t keep = data[i];
        data[i] = (uint8_t)(keep ^ 0x5a);
        errors += read_corrupt(data, len) != QV_OK;
        data[i] = keep;
    }
    CHECK(errors > 0);
    for (size_t cut = 0; cut < len; cut += 97)
        CHECK(read_corrupt(data, cut) != QV_OK);
    /* a footer length beyond the file, and an encrypted footer */
    uint8_t tail[12] = {'P', 'A', 'R', '1', 0xff, 0xff, 0, 0, 'P', 'A', 'R', '1'};
    CHECK_INT_EQ(read_corrupt(tail, sizeof tail), QV_EXECUTION);
    memcpy(tail + 8, "PARE", 4);
    CHECK_INT_EQ(read_corrupt(tail, sizeof tail), QV_NOT_IMPLEMENTED);
}
