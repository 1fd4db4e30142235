/*
 * test_compression.c — the four codecs written with fmt_output and read back
 * with fmt_inflate (in small reads, from files and memory), concatenated
 * gzip members and zstd frames, truncated and corrupt input, and compressed
 * files through the CSV and NDJSON readers and inference.
 */
#include "listing_test_util.h"
#include "test.h"

static const fmt_compression codecs[] = {QV_COMPRESSION_GZIP, QV_COMPRESSION_BZIP2,
                                         QV_COMPRESSION_XZ, QV_COMPRESSION_ZSTD};

/* Writes text (repeated n times) compressed with codec to path. */
static qv_status write_compressed(const char *path, fmt_compression codec, const char *text, int n,
                                  qv_error *err)
{
    fmt_output *o = NULL;
    QV_TRY(fmt_output_open(path, codec, false, &o, err));
    for (int i = 0; i < n; i++) {
        qv_status st = fmt_output_write(o, text, strlen(text), err);
        if (st != QV_OK) {
            fmt_output_abort(o);
            return st;
        }
    }
    return fmt_output_close(o, err);
}

/* Reads path through a decompressor in reads of `step` bytes. */
static qv_status read_back(const char *path, fmt_compression codec, size_t step, base_strbuf *out,
                           qv_error *err)
{
    io_file *file = NULL;
    QV_TRY(io_file_open(path, &file, err));
    fmt_inflate *d = NULL;
    qv_status st = fmt_inflate_open_file(file, codec, path, &d, err);
    uint8_t buf[64];
    while (st == QV_OK) {
        size_t got = 0;
        st = fmt_inflate_read(d, buf, step < sizeof buf ? step : sizeof buf, &got, err);
        if (st != QV_OK || got == 0)
            break;
        base_strbuf_append(out, (const char *)buf, got);
    }
    fmt_inflate_free(d);
    io_file_close(file);
    return st;
}

TEST(compression_round_trip_every_codec)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    const char *line = "id,name\n1,alpha\n2,beta\n";
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        char path[128];
        snprintf(path, sizeof path, "%s/data.csv%s", dir, fmt_compression_extension(codecs[c]));
        /* enough data for several output blocks */
        CHECK_OK(write_compressed(path, codecs[c], line, 20000, &err));
        base_strbuf sb;
        base_strbuf_init(&sb);
        CHECK_OK(read_back(path, codecs[c], 7, &sb, &err));
        CHECK_INT_EQ(sb.len, strlen(line) * 20000);
        CHECK(memcmp(sb.data, line, strlen(line)) == 0);
        base_strbuf_free(&sb);
        uint8_t *all = NULL;
        int64_t len = 0;
        CHECK_OK(fmt_read_all(path, codecs[c], &all, &len, &err));
        CHECK_INT_EQ(len, (int64_t)strlen(line) * 20000);
        base_free(all);
    }
}

TEST(compression_empty_stream)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        char path[128];
        snprintf(path, sizeof path, "%s/empty%s", dir, fmt_compression_extension(codecs[c]));
        CHECK_OK(write_compressed(path, codecs[c], "", 0, &err));
        base_strbuf sb;
        base_strbuf_init(&sb);
        CHECK_OK(read_back(path, codecs[c], 64, &sb, &err));
        CHECK_INT_EQ(sb.len, 0);
        base_strbuf_free(&sb);
    }
}

/* Concatenated members (gzip) and frames (zstd) read as one stream. */
TEST(compression_concatenated_members)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    fmt_compression two[] = {QV_COMPRESSION_GZIP, QV_COMPRESSION_ZSTD, QV_COMPRESSION_BZIP2,
                             QV_COMPRESSION_XZ};
    for (size_t c = 0; c < 4; c++) {
        char a[128], b[128];
        snprintf(a, sizeof a, "%s/a%zu", dir, c);
        snprintf(b, sizeof b, "%s/b%zu", dir, c);
        CHECK_OK(write_compressed(a, two[c], "first\n", 1, &err));
        CHECK_OK(write_compressed(b, two[c], "second\n", 1, &err));
        uint8_t *x = NULL, *y = NULL;
        int64_t nx = 0, ny = 0;
        CHECK_OK(io_read_file(a, &x, &nx, &err));
        CHECK_OK(io_read_file(b, &y, &ny, &err));
        uint8_t joined[512];
        CHECK(nx + ny <= (int64_t)sizeof joined);
        memcpy(joined, x, (size_t)nx);
        memcpy(joined + nx, y, (size_t)ny);
        base_free(x);
        base_free(y);
        fmt_inflate *d = NULL;
        CHECK_OK(fmt_inflate_open_buffer(joined, (size_t)(nx + ny), two[c], "joined", &d, &err));
        uint8_t out[64];
        size_t got = 0, total = 0;
        do {
            CHECK_OK(fmt_inflate_read(d, out + total, sizeof out - total, &got, &err));
            total += got;
        } while (got > 0);
        fmt_inflate_free(d);
        CHECK_INT_EQ(total, 13);
        CHECK(memcmp(out, "first\nsecond\n", 13) == 0);
    }
}

TEST(compression_truncated_and_corrupt_input)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        char path[128];
        snprintf(path, sizeof path, "%s/t%zu", dir, c);
        CHECK_OK(write_compressed(path, codecs[c], "0123456789abcdef\n", 200, &err));
        uint8_t *data = NULL;
        int64_t len = 0;
        CHECK_OK(io_read_file(path, &data, &len, &err));
        /* the first half only */
        fmt_inflate *d = NULL;
        CHECK_OK(fmt_inflate_open_buffer(data, (size_t)len / 2, codecs[c], "half.bin", &d, &err));
        uint8_t out[4096];
        size_t got = 0;
        qv_status st = QV_OK;
        while (st == QV_OK) {
            st = fmt_inflate_read(d, out, sizeof out, &got, &err);
            if (st == QV_OK && got == 0)
                break;
        }
        fmt_inflate_free(d);
        CHECK_STATUS(st, QV_EXECUTION);
        CHECK(strstr(err.message, "decompression failed") != NULL);
        CHECK(strstr(err.hint, "half.bin") != NULL);
        base_free(data);
    }
    /* plain text read as gzip */
    fmt_inflate *d = NULL;
    const char *plain = "not compressed at all\n";
    CHECK_OK(fmt_inflate_open_buffer((const uint8_t *)plain, strlen(plain), QV_COMPRESSION_GZIP,
                                     "plain.csv", &d, &err));
    uint8_t out[64];
    size_t got = 0;
    CHECK_STATUS(fmt_inflate_read(d, out, sizeof out, &got, &err), QV_EXECUTION);
    CHECK_STR_EQ(err.message, "Execution error: gzip decompression failed: incorrect header check");
    /* the failure sticks */
    CHECK_STATUS(fmt_inflate_read(d, out, sizeof out, &got, &err), QV_EXECUTION);
    fmt_inflate_free(d);
}

TEST(compression_through_readers_and_inference)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    char csv_path[128], json_path[128];
    snprintf(csv_path, sizeof csv_path, "%s/t.csv.zst", dir);
    snprintf(json_path, sizeof json_path, "%s/t.json.xz", dir);
    CHECK_OK(write_compressed(csv_path, QV_COMPRESSION_ZSTD, "a,b\n1,x\n2,y\n", 1, &err));
    CHECK_OK(write_compressed(json_path, QV_COMPRESSION_XZ, "{\"a\":1,\"b\":\"x\"}\n", 3, &err));

    csv_options copts;
    csv_options_init(&copts);
    copts.compression = QV_COMPRESSION_ZSTD;
    CHECK(!csv_can_split(&copts));
    const char *paths[] = {csv_path};
    arrow_schema *schema = NULL;
    CHECK_OK(csv_infer_files(paths, 1, &copts, &schema, &err));
    CHECK_INT_EQ(schema->n_fields, 2);
    CHECK_INT_EQ(schema->fields[0]->type->id, QV_TYPE_INT64);
    csv_scan cs = {schema, NULL, 0, 8192, -1, 0, -1};
    csv_reader *r = NULL;
    CHECK_OK(csv_reader_open(csv_path, &copts, &cs, &r, &err));
    arrow_batch *b = NULL;
    CHECK_OK(csv_reader_next(r, &b, &err));
    CHECK(b != NULL);
    CHECK_INT_EQ(b->n_rows, 2);
    arrow_batch_release(b);
    csv_reader_free(r);
    /* compressed files are never read in byte ranges */
    csv_scan ranged = {schema, NULL, 0, 8192, -1, 0, 5};
    CHECK_STATUS(csv_reader_open(csv_path, &copts, &ranged, &r, &err), QV_INVALID);
    arrow_schema_release(schema);

    ndjson_options jopts;
    ndjson_options_init(&jopts);
    jopts.compression = QV_COMPRESSION_XZ;
    const char *jpaths[] = {json_path};
    CHECK_OK(ndjson_infer_files(jpaths, 1, &jopts, &schema, &err));
    CHECK_INT_EQ(schema->n_fields, 2);
    ndjson_scan js = {schema, NULL, 0, 8192, -1, 0, -1};
    ndjson_reader *jr = NULL;
    CHECK_OK(ndjson_reader_open(json_path, &jopts, &js, &jr, &err));
    CHECK_OK(ndjson_reader_next(jr, &b, &err));
    CHECK(b != NULL);
    CHECK_INT_EQ(b->n_rows, 3);
    arrow_batch_release(b);
    ndjson_reader_free(jr);
    arrow_schema_release(schema);
}

TEST(compression_out_of_memory)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        char path[128];
        snprintf(path, sizeof path, "%s/oom%zu", dir, c);
        bool finished = false;
        for (int64_t n = 1; n < 1000 && !finished; n++) {
            base_alloc_fail_after(n);
            base_strbuf sb;
            base_strbuf_init(&sb);
            qv_status st = write_compressed(path, codecs[c], "abc\n", 10, &err);
            if (st == QV_OK)
                st = read_back(path, codecs[c], 64, &sb, &err);
            bool failed = base_alloc_fail_triggered();
            base_alloc_fail_after(0);
            base_strbuf_free(&sb);
            if (!failed) {
                CHECK_OK(st);
                finished = true;
            }
        }
        CHECK(finished);
    }
}
