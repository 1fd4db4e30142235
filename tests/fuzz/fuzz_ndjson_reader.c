/*
 * fuzz_ndjson_reader.c — libFuzzer target for the NDJSON reader
 * (src/format) and its JSON parser.
 *
 * The first byte picks the batch size and the string type; the rest is the
 * file. Infers a schema, reads everything (every array valid, no batch over
 * the batch size), then reads it as two byte ranges and requires the same
 * number of rows (fuzz_read_util.h). Any crash, sanitizer report, leak or
 * mismatch (abort) is a bug. Replayed without libFuzzer by
 * tests/fuzz/replay_main.c over regress/ and corpus/.
 */
#include <stdint.h>

#include "format/format.h"
#include "fuzz_read_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static qv_status next_batch(void *reader, arrow_batch **out, qv_error *err)
{
    return ndjson_reader_next(reader, out, err);
}

static int64_t read_rows(const uint8_t *data, size_t size, const ndjson_options *opts,
                         arrow_schema *schema, int64_t batch, int64_t start, int64_t end)
{
    qv_error err;
    ndjson_scan scan = {schema, NULL, 0, batch, -1, start, end};
    ndjson_reader *r;
    if (ndjson_reader_open_buffer(data, size, "fuzz.json", opts, &scan, &r, &err) != QV_OK)
        return -1;
    int64_t rows = fuzz_read_all(r, next_batch, batch);
    ndjson_reader_free(r);
    return rows;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int64_t batch = 1 + data[0] % 7;
    ndjson_options opts;
    ndjson_options_init(&opts);
    opts.string_type = (data[0] & 128) ? QV_TYPE_UTF8_VIEW : QV_TYPE_UTF8;
    opts.max_depth = 32;
    data++;
    size--;
    qv_error err;
    arrow_schema *schema;
    int64_t left = 100;
    if (ndjson_infer_buffer(data, size, &opts, "fuzz.json", &left, &schema, &err) != QV_OK)
        return 0;
    int64_t whole = read_rows(data, size, &opts, schema, batch, 0, -1);
    if (whole >= 0 && size > 0) {
        int64_t mid = (int64_t)size / 2;
        int64_t a = read_rows(data, size, &opts, schema, batch, 0, mid);
        int64_t b = read_rows(data, size, &opts, schema, batch, mid, (int64_t)size);
        fuzz_check_ranges(whole, a, b);
    }
    arrow_schema_release(schema);
    return 0;
}
