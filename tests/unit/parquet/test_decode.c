/*
 * test_decode.c — Parquet's encodings and codecs (format/parquet_decode.c,
 * parquet_delta.c, parquet_codec.c): the RLE / bit-packed hybrid, levels,
 * PLAIN, dictionary indices, RLE booleans, the DELTA_* encodings (the
 * format specification's examples), BYTE_STREAM_SPLIT, snappy by hand and
 * every library codec by round trip; corrupt input is an error.
 */
#include <stdio.h>

#include <brotli/encode.h>
#include <lz4.h>
#include <zlib.h>
#include <zstd.h>

#include "format/parquet_int.h"
#include "test.h"

static int64_t int_at(const pq_values *v, int64_t i)
{
    if (v->width == 4) {
        int32_t x;
        memcpy(&x, v->data + i * 4, 4);
        return x;
    }
    int64_t x;
    memcpy(&x, v->data + i * 8, 8);
    return x;
}

static const char *bytes_at(const pq_values *v, int64_t i, char *buf, size_t n)
{
    int64_t len = v->offsets[i + 1] - v->offsets[i];
    snprintf(buf, n, "%.*s", (int)len, (const char *)v->data + v->offsets[i]);
    return buf;
}

TEST(rle_runs_and_bit_packing)
{
    /* an RLE run of five 4s, then one bit-packed group of 0..7 (width 3) */
    const uint8_t data[] = {0x0a, 0x04, 0x03, 0x88, 0xc6, 0xfa};
    pq_rle d;
    pq_rle_init(&d, data, sizeof data, 3);
    uint32_t out[16];
    CHECK_INT_EQ(pq_rle_read(&d, out, 16), 13);
    for (int i = 0; i < 5; i++)
        CHECK_INT_EQ(out[i], 4);
    for (int i = 0; i < 8; i++)
        CHECK_INT_EQ(out[5 + i], i);
    CHECK_INT_EQ(parquet_bit_width(0), 0);
    CHECK_INT_EQ(parquet_bit_width(1), 1);
    CHECK_INT_EQ(parquet_bit_width(7), 3);
    CHECK_INT_EQ(parquet_bit_width(8), 4);
}

TEST(levels_rle_and_bit_packed)
{
    qv_error err;
    int16_t levels[8];
    const uint8_t rle[] = {0x08, 0x01}; /* four 1s */
    CHECK_OK(pq_decode_levels(PARQUET_ENCODING_RLE, rle, sizeof rle, 1, 4, levels, &err));
    CHECK(levels[0] == 1 && levels[3] == 1);
    /* not enough levels, and a level above the maximum */
    CHECK_STATUS(pq_decode_levels(PARQUET_ENCODING_RLE, rle, sizeof rle, 1, 5, levels, &err),
                 QV_EXECUTION);
    const uint8_t high[] = {0x08, 0x03};
    CHECK_STATUS(pq_decode_levels(PARQUET_ENCODING_RLE, high, sizeof high, 2, 4, levels, &err),
                 QV_EXECUTION);
    /* BIT_PACKED is most significant bit first: 1, 0, 1, 1 */
    const uint8_t packed[] = {0xb0};
    CHECK_OK(pq_decode_levels(PARQUET_ENCODING_BIT_PACKED, packed, 1, 1, 4, levels, &err));
    CHECK(levels[0] == 1 && levels[1] == 0 && levels[2] == 1 && levels[3] == 1);
}

TEST(plain_values)
{
    qv_error err;
    pq_values v;
    pq_values_init(&v, 4);
    const uint8_t ints[] = {1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
    CHECK_OK(
        pq_decode_values(PARQUET_ENCODING_PLAIN, PARQUET_INT32, 0, ints, 8, 2, NULL, &v, &err));
    CHECK_INT_EQ(int_at(&v, 0), 1);
    CHECK_INT_EQ(int_at(&v, 1), -1);
    CHECK_STATUS(
        pq_decode_values(PARQUET_ENCODING_PLAIN, PARQUET_INT32, 0, ints, 8, 3, NULL, &v, &err),
        QV_EXECUTION);
    pq_values_free(&v);

    pq_values_init(&v, 0);
    const uint8_t strs[] = {2, 0, 0, 0, 'h', 'i', 0, 0, 0, 0};
    CHECK_OK(pq_decode_values(PARQUET_ENCODING_PLAIN, PARQUET_BYTE_ARRAY, 0, strs, sizeof strs, 2,
                              NULL, &v, &err));
    char buf[32];
    CHECK_STR_EQ(bytes_at(&v, 0, buf, sizeof buf), "hi");
    CHECK_STR_EQ(bytes_at(&v, 1, buf, sizeof buf), "");
    const uint8_t long_len[] = {9, 0, 0, 0, 'x'};
    CHECK_STATUS(pq_decode_values(PARQUET_ENCODING_PLAIN, PARQUET_BYTE_ARRAY, 0, long_len,
                                  sizeof long_len, 1, NULL, &v, &err),
                 QV_EXECUTION);
    pq_values_free(&v);

    pq_values_init(&v, 1);
    const uint8_t bools[] = {0x05}; /* 1, 0, 1 */
    CHECK_OK(
        pq_decode_values(PARQUET_ENCODING_PLAIN, PARQUET_BOOLEAN, 0, bools, 1, 3, NULL, &v, &err));
    CHECK(v.data[0] == 1 && v.data[1] == 0 && v.data[2] == 1);
    pq_values_free(&v);
}

TEST(dictionary_and_rle_booleans)
{
    qv_error err;
    pq_values dict, v;
    pq_values_init(&dict, 4);
    pq_values_init(&v, 4);
    const uint8_t values[] = {10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0};
    CHECK_OK(pq_decode_values(PARQUET_ENCODING_PLAIN, PARQUET_INT32, 0, values, 12, 3, NULL, &dict,
                              &err));
    const uint8_t idx[] = {2, 0x06, 0x02}; /* width 2, three times index 2 */
    CHECK_OK(pq_decode_values(PARQUET_ENCODING_RLE_DICTIONARY, PARQUET_INT32, 0, idx, 3, 3, &dict,
                              &v, &err));
    CHECK(v.n == 3 && int_at(&v, 0) == 30 && int_at(&v, 2) == 30);
    const uint8_t bad[] = {2, 0x06, 0x03}; /* index 3 of 3 values */
    CHECK_STATUS(pq_decode_values(PARQUET_ENCODING_RLE_DICTIONARY, PARQUET_INT32, 0, bad, 3, 3,
                                  &dict, &v, &err),
                 QV_EXECUTION);
    CHECK_STATUS(pq_decode_values(PARQUET_ENCODING_PLAIN_DICTIONARY, PARQUET_INT32, 0, idx, 3, 3,
                                  NULL, &v, &err),
                 QV_EXECUTION);
    pq_values_free(&dict);
    pq_values_free(&v);

    pq_values_init(&v, 1);
    const uint8_t rle[] = {2, 0, 0, 0, 0x06, 0x01}; /* three trues */
    CHECK_OK(pq_decode_values(PARQUET_ENCODING_RLE, PARQUET_BOOLEAN, 0, rle, sizeof rle, 3, NULL,
                              &v, &err));
    CHECK(v.n == 3 && v.data[0] == 1 && v.data[2] == 1);
    pq_values_free(&v);
}

TEST(delta_binary_packed)
{
    qv_error err;
    int64_t out[8];
    size_t used = 0;
    /* 1, 2, 3, 4, 5: every delta 1, bit width 0 */
    const uint8_t ones[] = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0};
    CHECK_OK(pq_decode_delta_binary(ones, sizeof ones, 5, out, &used, &err));
    for (int i = 0; i < 5; i++)
        CHECK_INT_EQ(out[i], i + 1);
    CHECK_INT_EQ(used, sizeof ones);
    /* 7, 5, 3, 1, 2, 3, 4, 5: min delta -2, bit width 2 */
    uint8_t mixed[] = {0x80, 0x01, 0x04, 0x08, 0x0e, 0x03, 2, 0, 0,
                       0,    0xc0, 0x3f, 0,    0,    0,    0, 0, 0};
    CHECK_OK(pq_decode_delta_binary(mixed, sizeof mixed, 8, out, &used, &err));
    const int64_t want[] = {7, 5, 3, 1, 2, 3, 4, 5};
    for (int i = 0; i < 8; i++)
        CHECK_INT_EQ(out[i], want[i]);
    /* truncated, a count that is not the page's, a bad block size */
    CHECK_STATUS(pq_decode_delta_binary(mixed, 12, 8, out, &used, &err), QV_EXECUTION);
    CHECK_STATUS(pq_decode_delta_binary(mixed, sizeof mixed, 7, out, &used, &err), QV_EXECUTION);
    uint8_t bad_block[] = {0x03, 0x04, 0x01, 0x00};
    CHECK_STATUS(pq_decode_delta_binary(bad_block, sizeof bad_block, 1, out, &used, &err),
                 QV_EXECUTION);
    /* INT32 through pq_decode_values */
    pq_values v;
    pq_values_init(&v, 4);
    CHECK_OK(pq_decode_values(PARQUET_ENCODING_DELTA_BINARY_PACKED, PARQUET_INT32, 0, mixed,
                              sizeof mixed, 8, NULL, &v, &err));
    CHECK(v.n == 8 && int_at(&v, 0) == 7 && int_at(&v, 3) == 1 && int_at(&v, 7) == 5);
    pq_values_free(&v);
}

TEST(delta_byte_arrays)
{
    qv_error err;
    char buf[32];
    pq_values v;
    pq_values_init(&v, 0);
    /* lengths 5, 5, 6, 6, then the bytes */
    const uint8_t dlba[] = {0x80, 0x01, 0x04, 0x04, 0x0a, 0x00, 1,   0,   0,   0,   0x02, 0,
                            0,    0,    'H',  'e',  'l',  'l',  'o', 'W', 'o', 'r', 'l',  'd',
                            'F',  'o',  'o',  'b',  'a',  'r',  'A', 'B', 'C', 'D', 'E',  'F'};
    CHECK_OK(pq_decode_values(PARQUET_ENCODING_DELTA_LENGTH_BYTE_ARRAY, PARQUET_BYTE_ARRAY, 0, dlba,
                              sizeof dlba, 4, NULL, &v, &err));
    CHECK_STR_EQ(bytes_at(&v, 0, buf, sizeof buf), "Hello");
    CHECK_STR_EQ(bytes_at(&v, 2, buf, sizeof buf), "Foobar");
    CHECK_STR_EQ(bytes_at(&v, 3, buf, sizeof buf), "ABCDEF");
    CHECK_STATUS(pq_decode_values(PARQUET_ENCODING_DELTA_LENGTH_BYTE_ARRAY, PARQUET_BYTE_ARRAY, 0,
                                  dlba, sizeof dlba - 1, 4, NULL, &v, &err),
                 QV_EXECUTION);
    pq_values_free(&v);

    /* axis, axle, babble, babyhood: prefixes 0, 2, 0, 3 */
    uint8_t dba[80];
    size_t n = 0;
    const uint8_t prefix[] = {0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 3, 0, 0, 0, 0x44, 0x01};
    const uint8_t suffix[] = {0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 3, 0, 0, 0, 0x70, 0x00};
    memcpy(dba + n, prefix, sizeof prefix);
    n += sizeof prefix;
    memset(dba + n, 0, 10);
    n += 10;
    memcpy(dba + n, suffix, sizeof suffix);
    n += sizeof suffix;
    memset(dba + n, 0, 10);
    n += 10;
    memcpy(dba + n, "axislebabbleyhood", 17);
    n += 17;
    pq_values_init(&v, 0);
    CHECK_OK(pq_decode_values(PARQUET_ENCODING_DELTA_BYTE_ARRAY, PARQUET_BYTE_ARRAY, 0, dba, n, 4,
                              NULL, &v, &err));
    CHECK_STR_EQ(bytes_at(&v, 0, buf, sizeof buf), "axis");
    CHECK_STR_EQ(bytes_at(&v, 1, buf, sizeof buf), "axle");
    CHECK_STR_EQ(bytes_at(&v, 2, buf, sizeof buf), "babble");
    CHECK_STR_EQ(bytes_at(&v, 3, buf, sizeof buf), "babyhood");
    pq_values_free(&v);
}

TEST(byte_stream_split)
{
    qv_error err;
    float a = 1.5f, b = -2.25f;
    uint8_t fa[4], fb[4], data[8];
    memcpy(fa, &a, 4);
    memcpy(fb, &b, 4);
    for (int i = 0; i < 4; i++) {
        data[2 * i] = fa[i];
        data[2 * i + 1] = fb[i];
    }
    pq_values v;
    pq_values_init(&v, 4);
    CHECK_OK(pq_decode_values(PARQUET_ENCODING_BYTE_STREAM_SPLIT, PARQUET_FLOAT, 0, data, 8, 2,
                              NULL, &v, &err));
    float x, y;
    memcpy(&x, v.data, 4);
    memcpy(&y, v.data + 4, 4);
    CHECK(x == a && y == b);
    CHECK_STATUS(pq_decode_values(PARQUET_ENCODING_BYTE_STREAM_SPLIT, PARQUET_FLOAT, 0, data, 7, 2,
                                  NULL, &v, &err),
                 QV_EXECUTION);
    /* an encoding the physical type cannot have */
    CHECK_STATUS(pq_decode_values(PARQUET_ENCODING_DELTA_BINARY_PACKED, PARQUET_FLOAT, 0, data, 8,
                                  2, NULL, &v, &err),
                 QV_EXECUTION);
    pq_values_free(&v);
}

TEST(snappy_by_hand)
{
    /* "abc", then a copy of 9 bytes from 3 back (overlapping) */
    const uint8_t comp[] = {0x0c, 0x08, 'a', 'b', 'c', 0x15, 0x03};
    size_t len = 0;
    CHECK(pq_snappy_length(comp, sizeof comp, &len));
    CHECK_INT_EQ(len, 12);
    uint8_t out[12];
    CHECK(pq_snappy_decompress(comp, sizeof comp, out, sizeof out));
    CHECK(memcmp(out, "abcabcabcabc", 12) == 0);
    const uint8_t zero_offset[] = {0x0c, 0x08, 'a', 'b', 'c', 0x15, 0x00};
    CHECK(!pq_snappy_decompress(zero_offset, sizeof zero_offset, out, sizeof out));
    const uint8_t far_offset[] = {0x0c, 0x08, 'a', 'b', 'c', 0x15, 0x04};
    CHECK(!pq_snappy_decompress(far_offset, sizeof far_offset, out, sizeof out));
    CHECK(!pq_snappy_decompress(comp, sizeof comp - 1, out, sizeof out));
    CHECK(!pq_snappy_decompress(comp, sizeof comp, out, 11));
    qv_error err;
    CHECK_OK(pq_decompress(PARQUET_CODEC_SNAPPY, comp, sizeof comp, out, 12, &err));
    CHECK_STATUS(pq_decompress(PARQUET_CODEC_SNAPPY, far_offset, sizeof far_offset, out, 12, &err),
                 QV_EXECUTION);
}

TEST(library_codecs_round_trip)
{
    qv_error err;
    uint8_t raw[3000];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(i % 7 == 0 ? i : 'q');
    uint8_t comp[4096], out[sizeof raw];

    uLongf zlen = sizeof comp;
    CHECK(compress2(comp, &zlen, raw, sizeof raw, 6) == Z_OK);
    CHECK_OK(pq_decompress(PARQUET_CODEC_GZIP, comp, zlen, out, sizeof out, &err));
    CHECK(memcmp(out, raw, sizeof raw) == 0);
    CHECK_STATUS(pq_decompress(PARQUET_CODEC_GZIP, comp, zlen / 2, out, sizeof out, &err),
                 QV_EXECUTION);

    size_t zs = ZSTD_compress(comp, sizeof comp, raw, sizeof raw, 3);
    CHECK(!ZSTD_isError(zs));
    CHECK_OK(pq_decompress(PARQUET_CODEC_ZSTD, comp, zs, out, sizeof out, &err));
    CHECK(memcmp(out, raw, sizeof raw) == 0);
    CHECK_STATUS(pq_decompress(PARQUET_CODEC_ZSTD, comp, zs, out, sizeof out - 1, &err),
                 QV_EXECUTION);

    int lz =
        LZ4_compress_default((const char *)raw, (char *)comp + 8, sizeof raw, (int)sizeof comp - 8);
    CHECK(lz > 0);
    CHECK_OK(pq_decompress(PARQUET_CODEC_LZ4_RAW, comp + 8, (size_t)lz, out, sizeof out, &err));
    CHECK(memcmp(out, raw, sizeof raw) == 0);
    /* LZ4 (Hadoop framing), and a raw block under the LZ4 codec */
    uint32_t sizes[2] = {sizeof raw, (uint32_t)lz};
    for (int k = 0; k < 2; k++)
        for (int b = 0; b < 4; b++)
            comp[4 * k + b] = (uint8_t)(sizes[k] >> (24 - 8 * b));
    memset(out, 0, sizeof out);
    CHECK_OK(pq_decompress(PARQUET_CODEC_LZ4, comp, (size_t)lz + 8, out, sizeof out, &err));
    CHECK(memcmp(out, raw, sizeof raw) == 0);
    memset(out, 0, sizeof out);
    CHECK_OK(pq_decompress(PARQUET_CODEC_LZ4, comp + 8, (size_t)lz, out, sizeof out, &err));
    CHECK(memcmp(out, raw, sizeof raw) == 0);

    size_t blen = sizeof comp;
    CHECK(BrotliEncoderCompress(5, 22, BROTLI_MODE_GENERIC, sizeof raw, raw, &blen, comp));
    CHECK_OK(pq_decompress(PARQUET_CODEC_BROTLI, comp, blen, out, sizeof out, &err));
    CHECK(memcmp(out, raw, sizeof raw) == 0);

    CHECK_STATUS(pq_decompress(PARQUET_CODEC_LZO, comp, 1, out, 1, &err), QV_NOT_IMPLEMENTED);
    CHECK_STATUS(pq_decompress(99, comp, 1, out, 1, &err), QV_EXECUTION);
    CHECK_STATUS(pq_decompress(PARQUET_CODEC_UNCOMPRESSED, comp, 2, out, 1, &err), QV_EXECUTION);
}
