/*
 * test_parquet_write.c — the Parquet writer's pieces: thrift compact
 * encoding byte for byte, the RLE / bit-packed hybrid (hand-computed bytes
 * and round trips through the reader's decoder), snappy and the other
 * codecs round-tripped through the reader's decompressor, DELTA_BINARY_PACKED
 * round trips, the option parsing messages, and whole files written to
 * memory whose footer is parsed back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/test.h"
#include "format/parquet_int.h"
#include "format/parquet_write_int.h"

static bool bytes_equal(const base_strbuf *sb, const uint8_t *expected, size_t n)
{
    return sb->len == n && memcmp(sb->data, expected, n) == 0;
}

TEST(thrift_encoding_bytes)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    thrift_writer w;
    thrift_writer_init(&w, &sb);
    thrift_write_struct_begin(&w);
    thrift_write_field_i32(&w, 1, 1);                     /* 0x15 0x02 */
    thrift_write_field_i64(&w, 3, -1);                    /* delta 2: 0x26 0x01 */
    thrift_write_field_binary(&w, 20, "ab", 2);           /* long form: 0x08 0x28 0x02 'a' 'b' */
    thrift_write_field_bool(&w, 21, true);                /* 0x11 */
    thrift_write_field_list_begin(&w, 22, THRIFT_I32, 3); /* 0x19 0x35 */
    thrift_write_i32(&w, 0);
    thrift_write_i32(&w, -2);
    thrift_write_i32(&w, 300);                               /* zigzag 600: 0xd8 0x04 */
    thrift_write_field_struct_begin(&w, 23);                 /* 0x1c */
    thrift_write_field_i16(&w, 1, 5);                        /* 0x14 0x0a */
    thrift_write_field_bool(&w, 2, false);                   /* 0x12 */
    thrift_write_struct_end(&w);                             /* 0x00 */
    thrift_write_field_i32(&w, 2, 7);                        /* backwards: 0x05 0x04 0x0e */
    thrift_write_field_list_begin(&w, 3, THRIFT_STRUCT, 20); /* 0x19 0xfc 0x14 */
    thrift_write_struct_end(&w);                             /* 0x00 */
    static const uint8_t expected[] = {0x15, 0x02, 0x26, 0x01, 0x08, 0x28, 0x02, 'a',  'b',  0x11,
                                       0x19, 0x35, 0x00, 0x03, 0xd8, 0x04, 0x1c, 0x14, 0x0a, 0x12,
                                       0x00, 0x05, 0x04, 0x0e, 0x19, 0xfc, 0x14, 0x00};
    CHECK(!base_strbuf_failed(&sb));
    CHECK(bytes_equal(&sb, expected, sizeof expected));
    base_strbuf_clear(&sb);
    thrift_write_varint(&sb, 624485); /* the LEB128 example */
    static const uint8_t leb[] = {0xe5, 0x8e, 0x26};
    CHECK(bytes_equal(&sb, leb, sizeof leb));
    base_strbuf_free(&sb);
}

TEST(rle_hybrid_bytes)
{
    int16_t levels[18] = {0};
    static const int16_t tail[8] = {1, 0, 1, 1, 0, 0, 1, 0};
    memcpy(levels + 10, tail, sizeof tail);
    base_strbuf sb;
    base_strbuf_init(&sb);
    pqw_rle_encode_u16(levels, 18, 1, &sb);
    /* an RLE run of ten 0s, then one bit-packed group */
    static const uint8_t expected[] = {0x14, 0x00, 0x03, 0x4d};
    CHECK(bytes_equal(&sb, expected, sizeof expected));
    base_strbuf_clear(&sb);
    /* 3 values of width 3, padded to a group of 8: 1,2,3 -> 0b011010001 */
    static const int16_t three[3] = {1, 2, 3};
    pqw_rle_encode_u16(three, 3, 3, &sb);
    static const uint8_t packed[] = {0x03, 0xd1, 0x00, 0x00};
    CHECK(bytes_equal(&sb, packed, sizeof packed));
    base_strbuf_free(&sb);
    CHECK_INT_EQ(parquet_bit_width(0), 0);
    CHECK_INT_EQ(parquet_bit_width(1), 1);
    CHECK_INT_EQ(parquet_bit_width(255), 8);
    CHECK_INT_EQ(parquet_bit_width(256), 9);
}

TEST(rle_hybrid_round_trip)
{
    srand(7);
    for (int32_t bits = 0; bits <= 20; bits++) {
        int64_t n = 1000 + bits * 37;
        uint32_t *values = malloc((size_t)n * sizeof *values);
        uint32_t *back = malloc((size_t)n * sizeof *back);
        uint32_t mask = bits == 0 ? 0 : (uint32_t)((1u << bits) - 1);
        for (int64_t i = 0; i < n; i++) {
            /* runs and noise */
            values[i] = (i / 50) % 3 == 0 ? (uint32_t)(i / 50) & mask : (uint32_t)rand() & mask;
        }
        base_strbuf sb;
        base_strbuf_init(&sb);
        pqw_rle_encode_u32(values, n, bits, &sb);
        pq_rle d;
        pq_rle_init(&d, (const uint8_t *)sb.data, sb.len, bits);
        int64_t got = pq_rle_read(&d, back, n);
        bool same = got == n && memcmp(values, back, (size_t)n * sizeof *values) == 0;
        base_strbuf_free(&sb);
        free(values);
        free(back);
        CHECK(same);
    }
}

static void fill_sample(uint8_t *data, size_t n, int kind)
{
    for (size_t i = 0; i < n; i++)
        data[i] = kind == 0   ? (uint8_t)rand()
                  : kind == 1 ? (uint8_t)("abcabcabd"[i % 9])
                              : (uint8_t)((i / 100) & 0xff);
}

TEST(codecs_round_trip)
{
    static const size_t sizes[] = {0, 1, 5, 100, 65536, 70000, 300001};
    static const parquet_codec codecs[] = {
        PARQUET_CODEC_UNCOMPRESSED, PARQUET_CODEC_SNAPPY, PARQUET_CODEC_GZIP,  PARQUET_CODEC_ZSTD,
        PARQUET_CODEC_LZ4_RAW,      PARQUET_CODEC_LZ4,    PARQUET_CODEC_BROTLI};
    qv_error err;
    qv_error_clear(&err);
    srand(11);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (int kind = 0; kind < 3; kind++) {
            size_t n = sizes[s];
            uint8_t *data = malloc(n + 1), *back = malloc(n + 1);
            fill_sample(data, n, kind);
            for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
                base_strbuf sb;
                base_strbuf_init(&sb);
                qv_status st = pqw_compress(codecs[c], codecs[c] == PARQUET_CODEC_ZSTD ? 3 : 1,
                                            data, n, &sb, &err);
                if (st == QV_OK)
                    st = pq_decompress(codecs[c], (const uint8_t *)sb.data, sb.len, back, n, &err);
                bool same = st == QV_OK && (n == 0 || memcmp(data, back, n) == 0);
                if (!same)
                    test_fail(__FILE__, __LINE__, "codec %d size %zu kind %d: %s", (int)codecs[c],
                              n, kind, err.message);
                base_strbuf_free(&sb);
            }
            free(data);
            free(back);
        }
    }
}

TEST(snappy_is_compact)
{
    /* repetitive input shrinks: copies are found */
    size_t n = 10000;
    uint8_t *data = malloc(n);
    fill_sample(data, n, 1);
    base_strbuf sb;
    base_strbuf_init(&sb);
    pqw_snappy_compress(data, n, &sb);
    size_t len = sb.len;
    base_strbuf_free(&sb);
    free(data);
    CHECK(len < n / 10);
}

TEST(delta_binary_packed_round_trip)
{
    qv_error err;
    qv_error_clear(&err);
    static const int64_t counts[] = {0, 1, 2, 33, 128, 129, 1000};
    srand(3);
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        int64_t n = counts[c];
        int64_t *values = malloc((size_t)(n + 1) * sizeof *values);
        int64_t *back = malloc((size_t)(n + 1) * sizeof *back);
        for (int64_t i = 0; i < n; i++)
            values[i] = i % 5 == 0 ? INT64_MIN + i : i % 7 == 0 ? INT64_MAX - i : rand() - i * 3;
        base_strbuf sb;
        base_strbuf_init(&sb);
        pqw_delta_binary_packed(values, n, &sb);
        size_t used = 0;
        qv_status st =
            pq_decode_delta_binary((const uint8_t *)sb.data, sb.len, n, back, &used, &err);
        bool same = st == QV_OK && (n == 0 || memcmp(values, back, (size_t)n * 8) == 0);
        base_strbuf_free(&sb);
        free(values);
        free(back);
        if (!same)
            test_fail(__FILE__, __LINE__, "n=%lld: %s", (long long)n, err.message);
    }
}

TEST(option_parsing)
{
    qv_error err;
    qv_error_clear(&err);
    parquet_write_options o;
    parquet_write_options_init(&o);
    CHECK_INT_EQ(o.compression, PARQUET_CODEC_ZSTD);
    CHECK_INT_EQ(o.compression_level, 3);
    CHECK_OK(parquet_parse_compression("ZSTD(10)", &o, &err));
    CHECK_INT_EQ(o.compression_level, 10);
    CHECK_OK(parquet_parse_compression("snappy", &o, &err));
    CHECK_INT_EQ(o.compression, PARQUET_CODEC_SNAPPY);
    CHECK_OK(parquet_parse_compression("'gzip(6)'", &o, &err));
    CHECK_INT_EQ(o.compression, PARQUET_CODEC_GZIP);
    CHECK_STATUS(parquet_parse_compression("gzip", &o, &err), QV_PLAN);
    CHECK_STR_EQ(err.message, "Invalid or Unsupported Configuration: gzip compression requires "
                              "specifying a level such as gzip(4)");
    CHECK_STATUS(parquet_parse_compression("snappy(1)", &o, &err), QV_PLAN);
    CHECK_STR_EQ(err.message, "Invalid or Unsupported Configuration: Compression snappy does not "
                              "support specifying a level");
    CHECK_STATUS(parquet_parse_compression("zstd(x)", &o, &err), QV_PLAN);
    CHECK_STR_EQ(err.message, "Invalid or Unsupported Configuration: Could not parse compression "
                              "string. Got codec: zstd and unknown level from zstd(x)");
    CHECK_STATUS(parquet_parse_compression("zstd(23)", &o, &err), QV_PLAN);
    CHECK_STATUS(parquet_parse_compression("foo", &o, &err), QV_PLAN);
    CHECK(strstr(err.message, "Unknown or unsupported parquet compression: foo.") != NULL);
    int32_t enc = -1;
    CHECK_OK(parquet_parse_encoding("DELTA_BINARY_PACKED", &enc, &err));
    CHECK_INT_EQ(enc, PARQUET_ENCODING_DELTA_BINARY_PACKED);
    CHECK_STATUS(parquet_parse_encoding("zip", &enc, &err), QV_PLAN);
    parquet_column_write_options *c = parquet_write_options_column(&o, "a.b");
    CHECK(c != NULL);
    c->dictionary_enabled = 0;
    CHECK_OK(parquet_write_options_metadata(&o, "k", "v", &err));
    CHECK_OK(parquet_write_options_metadata(&o, "k", "w", &err));
    parquet_write_options copy;
    CHECK_OK(parquet_write_options_copy(&copy, &o, &err));
    CHECK_INT_EQ(copy.n_columns, 1);
    CHECK_INT_EQ(copy.columns[0].dictionary_enabled, 0);
    CHECK_INT_EQ(copy.n_metadata, 1);
    CHECK_STR_EQ(copy.metadata_values[0], "w");
    parquet_write_options_clear(&copy);
    parquet_write_options_clear(&o);
}

/* ---- whole files ---- */

static qv_status to_buffer(void *user, const uint8_t *data, size_t len, qv_error *err)
{
    base_strbuf *sb = user;
    base_strbuf_append(sb, (const char *)data, len);
    return base_strbuf_failed(sb) ? base_error_nomem(err, "test sink") : QV_OK;
}

/* Columns (a Int32, b Utf8) with rows i: a = i or NULL every 4th, b = "v<i%3>". */
static qv_status sample_batch(int64_t n, arrow_batch **out, qv_error *err)
{
    arrow_field *fields[2] = {NULL, NULL};
    arrow_schema *schema = NULL;
    arrow_builder *a = NULL, *b = NULL;
    arrow_array *cols[2] = {NULL, NULL};
    qv_status st =
        arrow_field_new("a", arrow_type_primitive(QV_TYPE_INT32), true, NULL, &fields[0], err);
    if (st == QV_OK)
        st = arrow_field_new("b", arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &fields[1], err);
    if (st == QV_OK)
        st = arrow_schema_new(2, fields, NULL, &schema, err);
    if (st == QV_OK)
        st = arrow_builder_new(arrow_type_primitive(QV_TYPE_INT32), &a, err);
    if (st == QV_OK)
        st = arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &b, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        char text[8];
        snprintf(text, sizeof text, "v%d", (int)(i % 3));
        st = i % 4 == 3 ? arrow_builder_append_null(a, err) : arrow_builder_append_int(a, i, err);
        if (st == QV_OK)
            st = arrow_builder_append_bytes(b, text, (int64_t)strlen(text), err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(a, &cols[0], err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &cols[1], err);
    if (st == QV_OK)
        st = arrow_batch_new(schema, n, cols, out, err);
    for (int i = 0; i < 2; i++) {
        arrow_array_release(cols[i]);
        arrow_field_release(fields[i]);
    }
    arrow_builder_free(a);
    arrow_builder_free(b);
    arrow_schema_release(schema);
    return st;
}

static bool stat_is(pq_bytes v, const void *expected, size_t len)
{
    return v.len == len && memcmp(v.data, expected, len) == 0;
}

TEST(file_footer_decodes)
{
    qv_error err;
    qv_error_clear(&err);
    arrow_batch *batch = NULL;
    CHECK_OK(sample_batch(7, &batch, &err));
    parquet_write_options o;
    parquet_write_options_init(&o);
    o.max_row_group_size = 3;
    o.compression = PARQUET_CODEC_SNAPPY;
    CHECK_OK(parquet_write_options_metadata(&o, "origin", "unit test", &err));
    base_strbuf file;
    base_strbuf_init(&file);
    parquet_writer *w = NULL;
    CHECK_OK(parquet_writer_new(batch->schema, &o, to_buffer, &file, &w, &err));
    CHECK_OK(parquet_writer_write(w, batch, &err));
    CHECK_OK(parquet_writer_finish(w, &err));
    parquet_writer_free(w);
    parquet_write_options_clear(&o);
    arrow_batch_release(batch);
    CHECK(file.len > 12);
    CHECK(memcmp(file.data, "PAR1", 4) == 0);
    CHECK(memcmp(file.data + file.len - 4, "PAR1", 4) == 0);
    uint32_t footer_len;
    memcpy(&footer_len, file.data + file.len - 8, 4);
    CHECK(footer_len < file.len - 12);
    pq_file_meta meta;
    CHECK_OK(pq_meta_parse((const uint8_t *)file.data + file.len - 8 - footer_len, footer_len,
                           &meta, &err));
    CHECK_INT_EQ(meta.num_rows, 7);
    CHECK_INT_EQ(meta.n_row_groups, 3);
    CHECK_INT_EQ(meta.row_groups[0].num_rows, 3);
    CHECK_INT_EQ(meta.row_groups[2].num_rows, 1);
    CHECK_INT_EQ(meta.n_schema, 3);
    CHECK_INT_EQ(meta.schema[0].num_children, 2);
    CHECK_INT_EQ(meta.schema[1].type, PARQUET_INT32);
    CHECK_INT_EQ(meta.schema[1].repetition, PARQUET_OPTIONAL);
    CHECK_INT_EQ(meta.schema[2].type, PARQUET_BYTE_ARRAY);
    CHECK_INT_EQ(meta.schema[2].logical.kind, PQ_LOGICAL_STRING);
    CHECK_INT_EQ(meta.n_key_values, 1);
    CHECK(meta.created_by.len > 0);
    /* row group 0: a = 0, 1, 2; b = v0, v1, v2 */
    const pq_column_meta *a = &meta.row_groups[0].columns[0].meta;
    CHECK_INT_EQ(a->codec, PARQUET_CODEC_SNAPPY);
    CHECK_INT_EQ(a->num_values, 3);
    CHECK(a->dictionary_page_offset == 4);
    int32_t zero = 0, two = 2;
    CHECK(stat_is(a->statistics.min, &zero, 4));
    CHECK(stat_is(a->statistics.max, &two, 4));
    CHECK_INT_EQ(a->statistics.null_count, 0);
    /* row group 1: a = 3 (null), 4, 5 */
    const pq_column_meta *a1 = &meta.row_groups[1].columns[0].meta;
    CHECK_INT_EQ(a1->statistics.null_count, 1);
    const pq_column_meta *b = &meta.row_groups[0].columns[1].meta;
    CHECK(stat_is(b->statistics.min, "v0", 2));
    CHECK(stat_is(b->statistics.max, "v2", 2));
    CHECK(b->n_path == 1 && stat_is(b->path[0], "b", 1));
    pq_meta_free(&meta);
    base_strbuf_free(&file);
}

TEST(unsupported_types_fail_before_writing)
{
    qv_error err;
    qv_error_clear(&err);
    arrow_field *f = NULL;
    arrow_schema *s = NULL;
    CHECK_OK(arrow_field_new("i", arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO), true, NULL,
                             &f, &err));
    CHECK_OK(arrow_schema_new(1, &f, NULL, &s, &err));
    parquet_write_options o;
    parquet_write_options_init(&o);
    base_strbuf file;
    base_strbuf_init(&file);
    parquet_writer *w = NULL;
    CHECK_STATUS(parquet_writer_new(s, &o, to_buffer, &file, &w, &err), QV_NOT_IMPLEMENTED);
    CHECK(strstr(err.message, "MonthDayNano") != NULL);
    CHECK_INT_EQ(file.len, 0);
    arrow_schema_release(s);
    arrow_field_release(f);
}
