/*
 * test_thrift.c — the Thrift compact protocol decoder (format/thrift_read.c):
 * field deltas and long ids, integers, binaries, lists (also read into arrays), nested structs,
 * skipping, and malformed input (truncation at every length, nesting and
 * size limits).
 */
#include "format/thrift.h"
#include "test.h"

/* struct { 1: i32 5, 2: binary "ab", 3: list<i32> [1, -1], 4: struct { 1:
 * true }, 20: i32 7 } */
static const uint8_t sample[] = {0x15, 0x0a, 0x18, 0x02, 'a',  'b',  0x19, 0x25, 0x02,
                                 0x01, 0x1c, 0x11, 0x00, 0x05, 0x28, 0x0e, 0x00};

TEST(thrift_reads_fields)
{
    thrift_reader r;
    thrift_reader_init(&r, sample, sizeof sample);
    CHECK(thrift_struct_begin(&r, THRIFT_STRUCT));
    int16_t last = 0, id = 0;
    uint8_t t = 0;
    int seen = 0;
    while (thrift_next_field(&r, &last, &id, &t)) {
        seen++;
        if (id == 1) {
            CHECK_INT_EQ(thrift_read_i32(&r, t), 5);
        } else if (id == 2) {
            uint32_t len;
            const uint8_t *p = thrift_read_binary(&r, t, &len);
            CHECK_INT_EQ(len, 2);
            CHECK(memcmp(p, "ab", 2) == 0);
        } else if (id == 3) {
            uint8_t elem;
            int32_t n;
            thrift_list_begin(&r, t, &elem, &n);
            CHECK_INT_EQ(n, 2);
            CHECK_INT_EQ(thrift_read_i64(&r, elem), 1);
            CHECK_INT_EQ(thrift_read_i64(&r, elem), -1);
            thrift_list_end(&r);
        } else if (id == 4) {
            CHECK_INT_EQ(t, THRIFT_STRUCT);
            CHECK(thrift_struct_begin(&r, THRIFT_STRUCT));
            int16_t last2 = 0, id2;
            uint8_t t2;
            CHECK(thrift_next_field(&r, &last2, &id2, &t2));
            CHECK_INT_EQ(id2, 1);
            CHECK(thrift_read_bool(&r, t2));
            CHECK(!thrift_next_field(&r, &last2, &id2, &t2));
            thrift_struct_end(&r);
        } else {
            CHECK_INT_EQ(id, 20);
            CHECK_INT_EQ(thrift_read_i32(&r, t), 7);
        }
    }
    thrift_struct_end(&r);
    CHECK(!thrift_failed(&r));
    CHECK_INT_EQ(seen, 5);
    CHECK(r.pos == sample + sizeof sample);
}

TEST(thrift_skips_a_struct)
{
    thrift_reader r;
    thrift_reader_init(&r, sample, sizeof sample);
    thrift_skip(&r, THRIFT_STRUCT);
    CHECK(!thrift_failed(&r));
    CHECK(r.pos == sample + sizeof sample);
}

TEST(thrift_truncated_input_fails_cleanly)
{
    for (size_t len = 0; len < sizeof sample; len++) {
        thrift_reader r;
        thrift_reader_init(&r, sample, len);
        thrift_skip(&r, THRIFT_STRUCT);
        CHECK(thrift_failed(&r));
    }
}

TEST(thrift_type_mismatch_fails)
{
    thrift_reader r;
    thrift_reader_init(&r, sample, sizeof sample);
    CHECK(thrift_struct_begin(&r, THRIFT_STRUCT));
    int16_t last = 0, id;
    uint8_t t;
    CHECK(thrift_next_field(&r, &last, &id, &t));
    uint32_t len;
    (void)thrift_read_binary(&r, t, &len); /* an i32, read as a binary */
    CHECK(thrift_failed(&r));
    CHECK_STR_EQ(r.error, "expected a binary");
}

TEST(thrift_nesting_limit)
{
    uint8_t deep[200];
    memset(deep, 0x1c, sizeof deep); /* field 1: struct, again and again */
    thrift_reader r;
    thrift_reader_init(&r, deep, sizeof deep);
    thrift_skip(&r, THRIFT_STRUCT);
    CHECK(thrift_failed(&r));
    CHECK_STR_EQ(r.error, "nesting too deep");
}

static void read_i32_element(thrift_reader *r, uint8_t elem_type, void *element)
{
    *(int32_t *)element = thrift_read_i32(r, elem_type);
}

TEST(thrift_reads_a_list_into_an_array)
{
    const uint8_t list[] = {0x25, 0x02, 0x01}; /* list<i32> [1, -1] */
    thrift_reader r;
    thrift_reader_init(&r, list, sizeof list);
    int32_t n = 0;
    int32_t *items = thrift_read_list(&r, THRIFT_LIST, sizeof *items, &n, read_i32_element);
    CHECK(!thrift_failed(&r));
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(items[0], 1);
    CHECK_INT_EQ(items[1], -1);
    base_free(items);
    /* out of memory is a failure the caller can tell apart */
    thrift_reader_init(&r, list, sizeof list);
    base_alloc_fail_after(1);
    items = thrift_read_list(&r, THRIFT_LIST, sizeof *items, &n, read_i32_element);
    base_alloc_fail_after(0);
    CHECK(items == NULL);
    CHECK(thrift_failed(&r) && r.out_of_memory);
    CHECK_INT_EQ(n, 0);
}

TEST(thrift_sizes_are_bounded)
{
    /* a list of 1,000,000 i32 in 5 bytes */
    const uint8_t list[] = {0xf5, 0xc0, 0x84, 0x3d, 0x00};
    thrift_reader r;
    thrift_reader_init(&r, list, sizeof list);
    uint8_t elem;
    int32_t n;
    thrift_list_begin(&r, THRIFT_LIST, &elem, &n);
    CHECK(thrift_failed(&r));
    CHECK_INT_EQ(n, 0);
    /* a binary longer than the input */
    const uint8_t bin[] = {0x10, 'x'};
    thrift_reader_init(&r, bin, sizeof bin);
    uint32_t len;
    (void)thrift_read_binary(&r, THRIFT_BINARY, &len);
    CHECK(thrift_failed(&r));
    /* a varint of 11 bytes */
    const uint8_t var[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    thrift_reader_init(&r, var, sizeof var);
    (void)thrift_read_i64(&r, THRIFT_I64);
    CHECK(thrift_failed(&r));
    /* an i32 out of range */
    const uint8_t big[] = {0x80, 0x80, 0x80, 0x80, 0x20};
    thrift_reader_init(&r, big, sizeof big);
    (void)thrift_read_i32(&r, THRIFT_I32);
    CHECK(thrift_failed(&r));
    /* an invalid field type */
    const uint8_t bad[] = {0x1e};
    thrift_reader_init(&r, bad, sizeof bad);
    thrift_skip(&r, THRIFT_STRUCT);
    CHECK(thrift_failed(&r));
}
