/*
 * fuzz_parquet.c — libFuzzer target for the Parquet reader (src/format).
 *
 * The first byte picks the read options (binary_as_string,
 * schema_force_view_types, INT96 coercion) and the batch size; the rest is
 * the file, written to a temporary file since the reader reads paths.
 * Opens it, reads every column, validates every array, then reads it again
 * as two byte ranges and requires the same number of rows (row groups go to
 * the range their first page starts in). Any crash, sanitizer report,
 * leak or mismatch (abort) is a bug. Replayed without libFuzzer by
 * tests/fuzz/replay_main.c over regress/ and corpus/.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/parquet.h"
#include "fuzz_read_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static qv_status next_batch(void *reader, arrow_batch **out, qv_error *err)
{
    return parquet_reader_next(reader, out, err);
}

/* Rows read from [start, end) (end -1: whole file); -1 on error. */
static int64_t read_rows(const char *path, const parquet_read_options *opts, arrow_schema *schema,
                         int64_t batch, int64_t start, int64_t end)
{
    qv_error err;
    parquet_scan scan = {schema, NULL, 0, batch, -1, start, end};
    parquet_reader *r;
    if (parquet_reader_open(path, opts, &scan, &r, &err) != QV_OK)
        return -1;
    int64_t rows = fuzz_read_all(r, next_batch, batch);
    parquet_reader_free(r);
    return rows;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t sel = data[0];
    data++;
    size--;
    char path[] = "/tmp/qv_fuzz_parquet_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    bool written = write(fd, data, size) == (ssize_t)size;
    close(fd);
    parquet_read_options opts;
    parquet_read_options_init(&opts);
    opts.binary_as_string = sel & 1;
    opts.schema_force_view_types = !(sel & 2);
    if (sel & 4)
        opts.coerce_int96 = "us";
    int64_t batch = 1 + (sel >> 3) % 16;
    qv_error err;
    parquet_file *f = NULL;
    if (written && parquet_file_open(path, &opts, &f, &err) == QV_OK) {
        arrow_schema *schema = arrow_schema_retain(parquet_file_schema(f));
        parquet_file_free(f);
        int64_t all = read_rows(path, &opts, schema, batch, 0, -1);
        int64_t mid = (int64_t)size / 2;
        int64_t a = read_rows(path, &opts, schema, batch, 0, mid);
        int64_t b = read_rows(path, &opts, schema, batch, mid, (int64_t)size);
        fuzz_check_ranges(all, a, b);
        arrow_schema_release(schema);
    }
    unlink(path);
    return 0;
}
