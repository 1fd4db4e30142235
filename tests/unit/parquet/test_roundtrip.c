/*
 * test_roundtrip.c — nested and typed columns written with the Parquet
 * writer (format/parquet_write.c) and read back (parquet_read.c): structs,
 * lists of lists, lists of structs, maps, nulls at every level, decimals,
 * timestamps with a zone, unsigned integers and binaries, over several
 * batch sizes and codecs.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "format/parquet.h"
#include "test.h"

static qv_status file_sink(void *user, const uint8_t *data, size_t len, qv_error *err)
{
    if (fwrite(data, 1, len, (FILE *)user) != len)
        return base_error_set(err, QV_IO, "short write");
    return QV_OK;
}

static arrow_field *field(const char *name, arrow_type *type, bool nullable)
{
    arrow_field *f = NULL;
    if (arrow_field_new(name, type, nullable, NULL, &f, NULL) != QV_OK)
        abort();
    return f;
}

static arrow_type *list_of(arrow_field *item)
{
    arrow_type *t = NULL;
    if (arrow_type_list(QV_TYPE_LIST, item, &t, NULL) != QV_OK)
        abort();
    arrow_field_release(item);
    return t;
}

static arrow_type *struct_of(arrow_field *a, arrow_field *b)
{
    arrow_field *fields[2] = {a, b};
    arrow_type *t = NULL;
    if (arrow_type_struct(2, fields, &t, NULL) != QV_OK)
        abort();
    arrow_field_release(a);
    arrow_field_release(b);
    return t;
}

/* Columns: i Int32, s Struct(x Int64, y Utf8), ll List(List(Utf8)),
 * ls List(Struct(p Int32, q Utf8)), m Map(Utf8, Int64), d Decimal128(10, 2),
 * ts Timestamp(us, "UTC"), u UInt64, b Binary. */
static arrow_schema *make_schema(void)
{
    arrow_type *utf8 = arrow_type_primitive(QV_TYPE_UTF8);
    arrow_type *i32 = arrow_type_primitive(QV_TYPE_INT32);
    arrow_type *i64 = arrow_type_primitive(QV_TYPE_INT64);
    arrow_type *s = struct_of(field("x", i64, true), field("y", utf8, true));
    arrow_type *inner = list_of(field("item", utf8, true));
    arrow_type *ll = list_of(field("item", inner, true));
    arrow_type *ps = struct_of(field("p", i32, true), field("q", utf8, true));
    arrow_type *ls = list_of(field("item", ps, true));
    arrow_type *entries_t = struct_of(field("key", utf8, false), field("value", i64, true));
    arrow_field *entries = field("entries", entries_t, false);
    arrow_type *m = NULL, *d = NULL, *ts = NULL;
    if (arrow_type_map(entries, false, &m, NULL) != QV_OK ||
        arrow_type_decimal(QV_TYPE_DECIMAL128, 10, 2, &d, NULL) != QV_OK ||
        arrow_type_timestamp(QV_UNIT_MICROSECOND, "UTC", &ts, NULL) != QV_OK)
        abort();
    arrow_field *fields[9] = {field("i", i32, true),
                              field("s", s, true),
                              field("ll", ll, true),
                              field("ls", ls, true),
                              field("m", m, true),
                              field("d", d, true),
                              field("ts", ts, true),
                              field("u", arrow_type_primitive(QV_TYPE_UINT64), true),
                              field("b", arrow_type_primitive(QV_TYPE_BINARY), true)};
    arrow_schema *schema = NULL;
    if (arrow_schema_new(9, fields, NULL, &schema, NULL) != QV_OK)
        abort();
    for (int i = 0; i < 9; i++)
        arrow_field_release(fields[i]);
    arrow_type *release[] = {s, inner, ll, ps, ls, entries_t, m, d, ts};
    for (size_t i = 0; i < sizeof release / sizeof release[0]; i++)
        arrow_type_release(release[i]);
    arrow_field_release(entries);
    return schema;
}

#define N_ROWS 40

static void str(arrow_builder *b, const char *s)
{
    if (arrow_builder_append_bytes(b, s, (int64_t)strlen(s), NULL) != QV_OK)
        abort();
}

#define OK(expr)                                                                                   \
    do {                                                                                           \
        if ((expr) != QV_OK)                                                                       \
            abort();                                                                               \
    } while (0)

/* Row r of each column; every pattern has nulls somewhere. */
static void append_row(arrow_builder **b, int r)
{
    char text[32];
    snprintf(text, sizeof text, "v%d", r);
    /* i */
    if (r % 5 == 3)
        OK(arrow_builder_append_null(b[0], NULL));
    else
        OK(arrow_builder_append_int(b[0], r * 7 - 20, NULL));
    /* s: null struct, null member, full */
    arrow_builder *sx = arrow_builder_child(b[1], 0), *sy = arrow_builder_child(b[1], 1);
    if (r % 4 == 1) {
        OK(arrow_builder_append_null(b[1], NULL));
    } else {
        OK(r % 3 == 0 ? arrow_builder_append_null(sx, NULL)
                      : arrow_builder_append_int(sx, (int64_t)r * 1000000007, NULL));
        str(sy, text);
        OK(arrow_builder_append_struct(b[1], true, NULL));
    }
    /* ll: null, empty, [[v], null, []], ... */
    arrow_builder *outer = arrow_builder_child(b[2], 0);
    arrow_builder *item = arrow_builder_child(outer, 0);
    switch (r % 4) {
    case 0:
        OK(arrow_builder_append_null(b[2], NULL));
        break;
    case 1:
        OK(arrow_builder_end_list(b[2], true, NULL));
        break;
    default:
        str(item, text);
        OK(arrow_builder_append_null(item, NULL));
        OK(arrow_builder_end_list(outer, true, NULL));
        OK(arrow_builder_append_null(outer, NULL));
        OK(arrow_builder_end_list(outer, true, NULL));
        OK(arrow_builder_end_list(b[2], true, NULL));
        break;
    }
    /* ls: [{p, q}, null] or null */
    arrow_builder *st = arrow_builder_child(b[3], 0);
    if (r % 6 == 5) {
        OK(arrow_builder_append_null(b[3], NULL));
    } else {
        for (int k = 0; k < r % 3; k++) {
            OK(arrow_builder_append_int(arrow_builder_child(st, 0), r + k, NULL));
            str(arrow_builder_child(st, 1), k == 0 ? "first" : "next");
            OK(arrow_builder_append_struct(st, true, NULL));
        }
        OK(arrow_builder_append_null(st, NULL));
        OK(arrow_builder_end_list(b[3], true, NULL));
    }
    /* m */
    arrow_builder *entries = arrow_builder_child(b[4], 0);
    if (r % 7 == 6) {
        OK(arrow_builder_append_null(b[4], NULL));
    } else {
        for (int k = 0; k < r % 3; k++) {
            str(arrow_builder_child(entries, 0), k == 0 ? "a" : "b");
            OK(k == 1 ? arrow_builder_append_null(arrow_builder_child(entries, 1), NULL)
                      : arrow_builder_append_int(arrow_builder_child(entries, 1), r, NULL));
            OK(arrow_builder_append_struct(entries, true, NULL));
        }
        OK(arrow_builder_end_list(b[4], true, NULL));
    }
    /* d, ts, u, b */
    uint8_t dec[16];
    int64_t cents = (int64_t)(r - 20) * 12345;
    memset(dec, cents < 0 ? 0xff : 0, sizeof dec);
    memcpy(dec, &cents, 8);
    OK(r % 8 == 7 ? arrow_builder_append_null(b[5], NULL)
                  : arrow_builder_append_decimal(b[5], dec, NULL));
    OK(arrow_builder_append_int(b[6], INT64_C(1700000000000000) + r * INT64_C(3600000000), NULL));
    OK(arrow_builder_append_uint(b[7], UINT64_MAX - (uint64_t)r, NULL));
    OK(r % 2 ? arrow_builder_append_null(b[8], NULL)
             : arrow_builder_append_bytes(b[8], "\x00\xff\x10", 3, NULL));
}

static void rows_text(arrow_batch *batch, base_strbuf *sb)
{
    for (int64_t i = 0; i < batch->n_rows; i++) {
        for (int32_t c = 0; c < batch->schema->n_fields; c++) {
            if (c > 0)
                base_strbuf_append_char(sb, '|');
            arrow_format_value(batch->columns[c], i, sb, NULL);
        }
        base_strbuf_append_char(sb, '\n');
    }
}

TEST(nested_round_trip)
{
    qv_error err;
    arrow_schema *schema = make_schema();
    arrow_builder *b[9];
    for (int c = 0; c < 9; c++)
        OK(arrow_builder_new(schema->fields[c]->type, &b[c], NULL));
    for (int r = 0; r < N_ROWS; r++)
        append_row(b, r);
    arrow_array *cols[9];
    for (int c = 0; c < 9; c++) {
        OK(arrow_builder_finish(b[c], &cols[c], NULL));
        arrow_builder_free(b[c]);
    }
    arrow_batch *batch = NULL;
    OK(arrow_batch_new(schema, N_ROWS, cols, &batch, NULL));
    for (int c = 0; c < 9; c++)
        arrow_array_release(cols[c]);
    base_strbuf want;
    base_strbuf_init(&want);
    rows_text(batch, &want);

    static const parquet_codec codecs[] = {PARQUET_CODEC_SNAPPY, PARQUET_CODEC_ZSTD,
                                           PARQUET_CODEC_UNCOMPRESSED};
    bool ok = true;
    for (int round = 0; round < 3 && ok; round++) {
        char path[] = "/tmp/qv_parquet_rt_XXXXXX";
        int fd = mkstemp(path);
        FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
        CHECK(fp != NULL);
        parquet_write_options wo;
        parquet_write_options_init(&wo);
        wo.compression = codecs[round];
        wo.max_row_group_size = round == 0 ? 13 : 1000;
        wo.data_page_row_count_limit = round == 1 ? 5 : 20000;
        wo.dictionary_enabled = round != 2;
        parquet_writer *w = NULL;
        qv_status st = parquet_writer_new(schema, &wo, file_sink, fp, &w, &err);
        if (st == QV_OK)
            st = parquet_writer_write(w, batch, &err);
        if (st == QV_OK)
            st = parquet_writer_finish(w, &err);
        parquet_writer_free(w);
        fclose(fp);
        /* read back as the written types (no view types) */
        parquet_read_options ro;
        parquet_read_options_init(&ro);
        ro.schema_force_view_types = false;
        parquet_reader *r = NULL;
        parquet_scan scan = {schema, NULL, 0, round == 0 ? 1 : 7, -1, 0, -1};
        if (st == QV_OK)
            st = parquet_reader_open(path, &ro, &scan, &r, &err);
        base_strbuf got;
        base_strbuf_init(&got);
        while (st == QV_OK) {
            arrow_batch *out = NULL;
            st = parquet_reader_next(r, &out, &err);
            if (out == NULL)
                break;
            for (int32_t c = 0; c < out->schema->n_fields && st == QV_OK; c++)
                st = arrow_array_validate(out->columns[c], &err);
            rows_text(out, &got);
            arrow_batch_release(out);
        }
        parquet_reader_free(r);
        unlink(path);
        ok = st == QV_OK && strcmp(base_strbuf_cstr(&got), base_strbuf_cstr(&want)) == 0;
        if (!ok && st == QV_OK)
            test_fail(__FILE__, __LINE__, "round %d read back:\n%s\nexpected:\n%s", round,
                      base_strbuf_cstr(&got), base_strbuf_cstr(&want));
        else if (!ok)
            test_fail(__FILE__, __LINE__, "round %d: %s", round, err.message);
        base_strbuf_free(&got);
    }
    base_strbuf_free(&want);
    arrow_batch_release(batch);
    arrow_schema_release(schema);
}
