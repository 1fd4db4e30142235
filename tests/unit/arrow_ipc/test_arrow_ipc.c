/*
 * test_arrow_ipc.c — Arrow IPC files (src/format/arrow_ipc*.c, flatbuf_*.c):
 * the FlatBuffers reader's bounds, every type written and read back (each
 * codec), dictionaries, sliced input, the conformance fixtures read with
 * exact values, the base64 "ARROW:schema" decoder, and corrupt input
 * (every truncation, byte flips) giving clean errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/arrow_ipc_int.h"
#include "io/io.h"
#include "test.h"

/* ---- helpers ---- */

static qv_status to_strbuf(void *user, const uint8_t *data, size_t len, qv_error *err)
{
    (void)err;
    base_strbuf_append(user, (const char *)data, len);
    return QV_OK;
}

/* "v|v\n" rows of every batch of a reader. */
static qv_status read_all(const uint8_t *data, size_t len, const arrow_ipc_scan *scan,
                          base_strbuf *rows, int64_t *n_batches, arrow_schema **schema,
                          qv_error *err)
{
    arrow_ipc_reader *r = NULL;
    QV_TRY(arrow_ipc_reader_open_buffer(data, len, "test.arrow", scan, &r, err));
    if (schema != NULL)
        *schema = arrow_schema_retain(arrow_ipc_reader_schema(r));
    qv_status st = QV_OK;
    for (;;) {
        arrow_batch *b = NULL;
        st = arrow_ipc_reader_next(r, &b, err);
        if (st != QV_OK || b == NULL)
            break;
        if (n_batches != NULL)
            (*n_batches)++;
        for (int64_t i = 0; i < b->n_rows; i++) {
            for (int32_t c = 0; c < b->schema->n_fields; c++) {
                if (c > 0)
                    base_strbuf_append_char(rows, '|');
                arrow_format_value(b->columns[c], i, rows, NULL);
            }
            base_strbuf_append_char(rows, '\n');
        }
        arrow_batch_release(b);
    }
    arrow_ipc_reader_free(r);
    return st;
}

static void batch_text(arrow_batch *b, base_strbuf *rows)
{
    for (int64_t i = 0; i < b->n_rows; i++) {
        for (int32_t c = 0; c < b->schema->n_fields; c++) {
            if (c > 0)
                base_strbuf_append_char(rows, '|');
            arrow_format_value(b->columns[c], i, rows, NULL);
        }
        base_strbuf_append_char(rows, '\n');
    }
}

static qv_status write_file(arrow_schema *schema, arrow_batch *const *batches, int n,
                            arrow_ipc_codec codec, base_strbuf *out, qv_error *err)
{
    arrow_ipc_writer *w = NULL;
    QV_TRY(arrow_ipc_writer_new(schema, codec, to_strbuf, out, &w, err));
    qv_status st = QV_OK;
    for (int i = 0; i < n && st == QV_OK; i++)
        st = arrow_ipc_writer_write(w, batches[i], err);
    if (st == QV_OK)
        st = arrow_ipc_writer_finish(w, err);
    arrow_ipc_writer_free(w);
    return st;
}

/* Appends value r (null every fourth row) of type t to b. */
static qv_status append_value(arrow_builder *b, const arrow_type *t, int r, qv_error *err)
{
    if (r % 4 == 3 && t->id != QV_TYPE_MAP)
        return arrow_builder_append_null(b, err);
    char text[64];
    switch (t->id) {
    case QV_TYPE_NULL:
        return arrow_builder_append_null(b, err);
    case QV_TYPE_BOOLEAN:
        return arrow_builder_append_bool(b, r % 2 == 0, err);
    case QV_TYPE_INT8:
    case QV_TYPE_INT16:
    case QV_TYPE_INT32:
    case QV_TYPE_INT64:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION:
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        return arrow_builder_append_int(b, r * 3 + (t->id == QV_TYPE_INT8 ? -2 : 1000), err);
    case QV_TYPE_DATE64:
        return arrow_builder_append_int(b, (int64_t)r * 86400000, err);
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64:
        return arrow_builder_append_uint(b, (uint64_t)r * 7, err);
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
        return arrow_builder_append_double(b, r + 0.5, err);
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256: {
        uint8_t le[32];
        int64_t v = r * 100 - 7;
        memset(le, v < 0 ? 0xff : 0, sizeof le);
        memcpy(le, &v, 8);
        return arrow_builder_append_decimal(b, le, err);
    }
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
        snprintf(text, sizeof text, r % 2 ? "s%d" : "a longer string value %d", r);
        return arrow_builder_append_bytes(b, text, (int64_t)strlen(text), err);
    case QV_TYPE_FIXED_SIZE_BINARY:
        memset(text, 'a' + r % 26, sizeof text);
        return arrow_builder_append_bytes(b, text, t->fixed_size, err);
    case QV_TYPE_INTERVAL_DAY_TIME:
        return arrow_builder_append_interval_dt(b, r, r * 10, err);
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        return arrow_builder_append_interval_mdn(b, r, r + 1, (int64_t)r * 1000, err);
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_FIXED_SIZE_LIST: {
        int n = t->id == QV_TYPE_FIXED_SIZE_LIST ? t->fixed_size : r % 3;
        for (int i = 0; i < n; i++)
            QV_TRY(append_value(arrow_builder_child(b, 0), t->children[0]->type, r + i, err));
        return arrow_builder_end_list(b, true, err);
    }
    case QV_TYPE_STRUCT:
        for (int32_t i = 0; i < t->n_children; i++)
            QV_TRY(append_value(arrow_builder_child(b, i), t->children[i]->type, r + i, err));
        return arrow_builder_append_struct(b, true, err);
    case QV_TYPE_MAP: {
        arrow_builder *entries = arrow_builder_child(b, 0);
        const arrow_type *kv = t->children[0]->type;
        for (int i = 0; i < r % 3; i++) {
            QV_TRY(
                append_value(arrow_builder_child(entries, 0), kv->children[0]->type, i * 4, err));
            QV_TRY(
                append_value(arrow_builder_child(entries, 1), kv->children[1]->type, r + i, err));
            QV_TRY(arrow_builder_append_struct(entries, true, err));
        }
        return arrow_builder_end_list(b, r % 4 != 3, err);
    }
    case QV_TYPE_DICTIONARY:
        snprintf(text, sizeof text, "v%d", r % 3);
        return arrow_builder_append_bytes(b, text, (int64_t)strlen(text), err);
    case QV_TYPE_RUN_END_ENCODED:
        return arrow_builder_append_int(b, r / 3, err);
    case QV_TYPE_COUNT_:
        break;
    }
    return QV_ERROR;
}

static qv_status make_column(arrow_type *t, int n, arrow_array **out, qv_error *err)
{
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(t, &b, err));
    qv_status st = QV_OK;
    for (int r = 0; r < n && st == QV_OK; r++)
        st = append_value(b, t, r, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

/* The types every round trip covers. */
static const char *const type_names[] = {"Null",
                                         "Boolean",
                                         "Int8",
                                         "Int16",
                                         "Int32",
                                         "Int64",
                                         "UInt8",
                                         "UInt16",
                                         "UInt32",
                                         "UInt64",
                                         "Float16",
                                         "Float32",
                                         "Float64",
                                         "Decimal128(10, 2)",
                                         "Decimal256(40, 3)",
                                         "Utf8",
                                         "LargeUtf8",
                                         "Utf8View",
                                         "Binary",
                                         "LargeBinary",
                                         "BinaryView",
                                         "FixedSizeBinary(3)",
                                         "Date32",
                                         "Date64",
                                         "Time32(Second)",
                                         "Time32(Millisecond)",
                                         "Time64(Microsecond)",
                                         "Time64(Nanosecond)",
                                         "Timestamp(Second, None)",
                                         "Timestamp(Nanosecond, Some(\"+05:00\"))",
                                         "Duration(Millisecond)",
                                         "Interval(YearMonth)",
                                         "Interval(DayTime)",
                                         "Interval(MonthDayNano)",
                                         "List(Int32)",
                                         "LargeList(Utf8)",
                                         "FixedSizeList(2, Int64)",
                                         "List(List(Utf8View))"};

/* Built types: map, dictionary, run-end encoded, list of dictionary,
 * struct. */
static qv_status extra_types(arrow_type **out, qv_error *err)
{
    arrow_field *key = NULL, *value = NULL, *entries = NULL, *run_ends = NULL, *vals = NULL,
                *dict_field = NULL;
    arrow_type *kv = NULL;
    QV_TRY(arrow_field_new("key", arrow_type_primitive(QV_TYPE_UTF8), false, NULL, &key, err));
    QV_TRY(arrow_field_new("value", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &value, err));
    arrow_field *pair[2] = {key, value};
    QV_TRY(arrow_type_struct(2, pair, &kv, err));
    QV_TRY(arrow_field_new("entries", kv, false, NULL, &entries, err));
    QV_TRY(arrow_type_map(entries, false, &out[0], err));
    QV_TRY(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT32),
                                 arrow_type_primitive(QV_TYPE_UTF8), false, &out[1], err));
    QV_TRY(arrow_field_new("run_ends", arrow_type_primitive(QV_TYPE_INT32), false, NULL, &run_ends,
                           err));
    QV_TRY(arrow_field_new("values", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &vals, err));
    QV_TRY(arrow_type_run_end_encoded(run_ends, vals, &out[2], err));
    QV_TRY(arrow_field_new("d", out[1], true, NULL, &dict_field, err));
    QV_TRY(arrow_type_list(QV_TYPE_LIST, dict_field, &out[3], err));
    arrow_field *members[2] = {value, dict_field};
    QV_TRY(arrow_type_struct(2, members, &out[4], err));
    arrow_field_release(key);
    arrow_field_release(value);
    arrow_field_release(entries);
    arrow_field_release(run_ends);
    arrow_field_release(vals);
    arrow_field_release(dict_field);
    arrow_type_release(kv);
    return QV_OK;
}

#define N_NAMED (int)(sizeof type_names / sizeof type_names[0])
#define N_EXTRA 5
#define N_TYPES (N_NAMED + N_EXTRA)

/* A batch with one column per type, n rows; its schema carries metadata. */
static qv_status all_types_batch(int n, arrow_batch **out, qv_error *err)
{
    arrow_type *types[N_TYPES] = {0};
    arrow_field *fields[N_TYPES] = {0};
    arrow_array *cols[N_TYPES] = {0};
    arrow_schema *schema = NULL;
    arrow_metadata md = {0};
    qv_status st = QV_OK;
    for (int i = 0; i < N_NAMED && st == QV_OK; i++)
        st = arrow_type_parse(type_names[i], &types[i], err);
    if (st == QV_OK)
        st = extra_types(types + N_NAMED, err);
    if (st == QV_OK)
        st = arrow_metadata_add(&md, "origin", "unit test", err);
    for (int i = 0; i < N_TYPES && st == QV_OK; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%d", i);
        st = arrow_field_new(name, types[i], true, i == 1 ? &md : NULL, &fields[i], err);
        if (st == QV_OK)
            st = make_column(types[i], n, &cols[i], err);
    }
    if (st == QV_OK)
        st = arrow_schema_new(N_TYPES, fields, &md, &schema, err);
    if (st == QV_OK)
        st = arrow_batch_new(schema, n, cols, out, err);
    for (int i = 0; i < N_TYPES; i++) {
        arrow_type_release(types[i]);
        arrow_field_release(fields[i]);
        arrow_array_release(cols[i]);
    }
    arrow_schema_release(schema);
    arrow_metadata_clear(&md);
    return st;
}

/* ---- FlatBuffers ---- */

TEST(flatbuffer_round_trip)
{
    qv_error err;
    fb_builder b;
    fb_builder_init(&b);
    fb_ref s = fb_string_new(&b, "hello", 5);
    int64_t items[3] = {1, -2, 3};
    fb_ref v = fb_vector_new(&b, items, 3, 8, 8);
    fb_table_begin(&b);
    fb_add_i32(&b, 0, 7);
    fb_ref child = fb_table_end(&b);
    fb_ref kids = fb_vector_refs(&b, &child, 1);
    fb_table_begin(&b);
    fb_add_u8(&b, 0, 200);
    fb_add_i16(&b, 1, -3);
    fb_add_i64(&b, 2, INT64_MIN);
    fb_add_ref(&b, 3, s);
    fb_add_ref(&b, 5, v);
    fb_add_ref(&b, 6, kids);
    fb_ref root = fb_table_end(&b);
    const uint8_t *data = NULL;
    size_t len = 0;
    CHECK_OK(fb_finish(&b, root, &data, &len, &err));
    fb_table t, k;
    uint8_t u8 = 0;
    int16_t i16 = 0;
    int32_t i32 = 0;
    int64_t i64 = 0;
    const char *str = NULL;
    uint32_t n = 0;
    bool present = false;
    fb_vector vec, tables;
    CHECK(fb_root(data, len, &t));
    CHECK(fb_u8(&t, 0, 0, &u8) && u8 == 200);
    CHECK(fb_i16(&t, 1, 0, &i16) && i16 == -3);
    CHECK(fb_i64(&t, 2, 0, &i64) && i64 == INT64_MIN);
    CHECK(fb_string(&t, 3, &str, &n, &present) && present && n == 5 &&
          memcmp(str, "hello", 5) == 0);
    CHECK(fb_i32(&t, 4, 42, &i32) && i32 == 42 && !fb_has(&t, 4)); /* absent: default */
    CHECK(fb_i32(&t, 9, 9, &i32) && i32 == 9);                     /* past the vtable */
    CHECK(fb_vector_field(&t, 5, 8, &vec, &present) && present && vec.n == 3);
    CHECK(fb_load_i64(fb_vector_elem(&vec, 1, 8)) == -2);
    CHECK(fb_vector_field(&t, 6, 4, &tables, &present) && present && tables.n == 1);
    CHECK(fb_vector_table(&tables, 0, &k) && fb_i32(&k, 0, 0, &i32) && i32 == 7);
    CHECK(!fb_vector_table(&tables, 1, &k));
    /* every truncation either fails to open or fails the reads that reach past it */
    for (size_t cut = 0; cut < len; cut++) {
        fb_table c;
        if (!fb_root(data, cut, &c))
            continue;
        fb_vector cv;
        (void)fb_string(&c, 3, &str, &n, &present);
        (void)fb_vector_field(&c, 5, 8, &cv, &present);
    }
    fb_builder_free(&b);
}

TEST(flatbuffer_bounds)
{
    fb_table t;
    uint8_t bad_root[8] = {0xff, 0xff, 0, 0, 0, 0, 0, 0}; /* root past the end */
    CHECK(!fb_root(bad_root, sizeof bad_root, &t));
    uint8_t bad_vtable[8] = {4, 0, 0, 0, 0x10, 0, 0, 0}; /* vtable before the buffer */
    CHECK(!fb_root(bad_vtable, sizeof bad_vtable, &t));
    uint8_t empty_vtable[12] = {8, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0};
    CHECK(fb_root(empty_vtable, sizeof empty_vtable, &t)); /* vtable of 0 bytes: no fields */
    uint8_t v = 1;
    CHECK(fb_u8(&t, 1, 0, &v) && v == 0);
    /* a vector whose count runs past the end */
    uint8_t long_vec[24] = {12, 0, 0, 0, 6, 0, 8, 0, 4,    0,    0, 0,
                            8,  0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0};
    fb_table lv;
    CHECK(fb_root(long_vec, sizeof long_vec, &lv));
    fb_vector vec;
    bool present = false;
    CHECK(!fb_vector_field(&lv, 0, 8, &vec, &present));
    CHECK(!fb_root(long_vec, 3, &lv));
}

/* ---- round trips ---- */

static void round_trip(arrow_ipc_codec codec)
{
    qv_error err;
    arrow_batch *batch = NULL;
    CHECK_OK(all_types_batch(9, &batch, &err));
    arrow_batch *half = NULL;
    CHECK_OK(arrow_batch_slice(batch, 3, 5, &half, &err)); /* sliced input */
    base_strbuf file, got, want;
    base_strbuf_init(&file);
    base_strbuf_init(&got);
    base_strbuf_init(&want);
    arrow_batch *both[2] = {batch, half};
    CHECK_OK(write_file(batch->schema, both, 2, codec, &file, &err));
    batch_text(batch, &want);
    batch_text(half, &want);
    arrow_schema *schema = NULL;
    int64_t n_batches = 0;
    CHECK_OK(read_all((const uint8_t *)file.data, file.len, NULL, &got, &n_batches, &schema, &err));
    CHECK_INT_EQ(n_batches, 2);
    for (int32_t i = 0; i < schema->n_fields; i++)
        if (!arrow_field_equal(schema->fields[i], batch->schema->fields[i]))
            test_fail(__FILE__, __LINE__, "field %d differs", i);
    CHECK(arrow_schema_equal(schema, batch->schema));
    CHECK_STR_EQ(arrow_metadata_get(&schema->fields[1]->metadata, "origin"), "unit test");
    CHECK_STR_EQ(base_strbuf_cstr(&got), base_strbuf_cstr(&want));
    arrow_schema *inferred = NULL;
    CHECK_OK(
        arrow_ipc_read_schema_buffer((const uint8_t *)file.data, file.len, NULL, &inferred, &err));
    CHECK(arrow_schema_equal(inferred, batch->schema));
    arrow_schema_release(inferred);
    arrow_schema_release(schema);
    arrow_batch_release(half);
    arrow_batch_release(batch);
    base_strbuf_free(&file);
    base_strbuf_free(&got);
    base_strbuf_free(&want);
}

TEST(round_trip_uncompressed)
{
    round_trip(ARROW_IPC_UNCOMPRESSED);
}

TEST(round_trip_lz4)
{
    round_trip(ARROW_IPC_LZ4_FRAME);
}

TEST(round_trip_zstd)
{
    round_trip(ARROW_IPC_ZSTD);
}

TEST(file_layout_as_arrow_rs)
{
    qv_error err;
    arrow_batch *batch = NULL;
    CHECK_OK(all_types_batch(4, &batch, &err));
    base_strbuf file;
    base_strbuf_init(&file);
    CHECK_OK(write_file(batch->schema, &batch, 1, ARROW_IPC_LZ4_FRAME, &file, &err));
    const uint8_t *d = (const uint8_t *)file.data;
    CHECK(memcmp(d, "ARROW1\0\0", 8) == 0);
    CHECK(memcmp(d + file.len - 6, "ARROW1", 6) == 0);
    CHECK(fb_load_i32(d + 8) == -1);
    /* prefix + schema metadata is a multiple of 64 */
    CHECK_INT_EQ((8 + fb_load_i32(d + 12)) % 64, 0);
    CHECK(arrow_ipc_is_file_format(d, file.len));
    arrow_batch_release(batch);
    base_strbuf_free(&file);
}

TEST(empty_file_and_projection)
{
    qv_error err;
    arrow_batch *batch = NULL;
    CHECK_OK(all_types_batch(10, &batch, &err));
    base_strbuf file, got;
    base_strbuf_init(&file);
    base_strbuf_init(&got);
    /* no batch at all: schema and footer only */
    CHECK_OK(write_file(batch->schema, NULL, 0, ARROW_IPC_LZ4_FRAME, &file, &err));
    CHECK_OK(read_all((const uint8_t *)file.data, file.len, NULL, &got, NULL, NULL, &err));
    CHECK_INT_EQ(got.len, 0);
    base_strbuf_clear(&file);
    CHECK_OK(write_file(batch->schema, &batch, 1, ARROW_IPC_UNCOMPRESSED, &file, &err));
    /* projection, limit and batch size */
    int32_t proj[2] = {5, 15};
    arrow_ipc_scan scan = {batch->schema, proj, 2, 3, 7};
    int64_t n_batches = 0;
    CHECK_OK(read_all((const uint8_t *)file.data, file.len, &scan, &got, &n_batches, NULL, &err));
    CHECK_INT_EQ(n_batches, 3);
    CHECK_STR_EQ(base_strbuf_cstr(&got), "1000|a longer string value 0\n1003|s1\n"
                                         "1006|a longer string value 2\nNULL|NULL\n"
                                         "1012|a longer string value 4\n1015|s5\n"
                                         "1018|a longer string value 6\n");
    arrow_batch_release(batch);
    base_strbuf_free(&file);
    base_strbuf_free(&got);
}

TEST(table_schema_conversion)
{
    qv_error err;
    arrow_batch *batch = NULL;
    CHECK_OK(all_types_batch(3, &batch, &err));
    base_strbuf file, got;
    base_strbuf_init(&file);
    base_strbuf_init(&got);
    CHECK_OK(write_file(batch->schema, &batch, 1, ARROW_IPC_UNCOMPRESSED, &file, &err));
    /* c15 (Utf8) as Utf8View, c4 (Int32) as Int64, a dictionary as its values,
     * a missing column as NULLs */
    arrow_field *f[4] = {NULL};
    CHECK_OK(
        arrow_field_new("c15", arrow_type_primitive(QV_TYPE_UTF8_VIEW), true, NULL, &f[0], &err));
    CHECK_OK(arrow_field_new("c4", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &f[1], &err));
    char dict_name[16];
    snprintf(dict_name, sizeof dict_name, "c%d", N_NAMED + 1);
    CHECK_OK(
        arrow_field_new(dict_name, arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &f[2], &err));
    CHECK_OK(
        arrow_field_new("missing", arrow_type_primitive(QV_TYPE_INT32), true, NULL, &f[3], &err));
    arrow_schema *table = NULL;
    CHECK_OK(arrow_schema_new(4, f, NULL, &table, &err));
    arrow_ipc_scan scan = {table, NULL, 0, 0, -1};
    CHECK_OK(read_all((const uint8_t *)file.data, file.len, &scan, &got, NULL, NULL, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&got), "a longer string value 0|1000|v0|NULL\n"
                                         "s1|1003|v1|NULL\n"
                                         "a longer string value 2|1006|v2|NULL\n");
    /* a conversion that would lose values is not done */
    arrow_field *g = NULL;
    CHECK_OK(arrow_field_new("c12", arrow_type_primitive(QV_TYPE_INT32), true, NULL, &g, &err));
    arrow_schema *bad = NULL;
    CHECK_OK(arrow_schema_new(1, &g, NULL, &bad, &err));
    arrow_ipc_scan bad_scan = {bad, NULL, 0, 0, -1};
    CHECK_STATUS(read_all((const uint8_t *)file.data, file.len, &bad_scan, &got, NULL, NULL, &err),
                 QV_NOT_IMPLEMENTED);
    for (int i = 0; i < 4; i++)
        arrow_field_release(f[i]);
    arrow_field_release(g);
    arrow_schema_release(table);
    arrow_schema_release(bad);
    arrow_batch_release(batch);
    base_strbuf_free(&file);
    base_strbuf_free(&got);
}

TEST(dictionary_replacement)
{
    qv_error err;
    arrow_type *dict = NULL;
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT8),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &dict, &err));
    arrow_field *f = NULL;
    CHECK_OK(arrow_field_new("d", dict, true, NULL, &f, &err));
    arrow_schema *schema = NULL;
    CHECK_OK(arrow_schema_new(1, &f, NULL, &schema, &err));
    arrow_array *a = NULL, *b = NULL;
    CHECK_OK(make_column(dict, 3, &a, &err));
    CHECK_OK(make_column(dict, 2, &b, &err)); /* a smaller dictionary */
    arrow_batch *ba = NULL, *bb = NULL, *bc = NULL;
    CHECK_OK(arrow_batch_new(schema, 3, &a, &ba, &err));
    CHECK_OK(arrow_batch_new(schema, 2, &b, &bb, &err));
    CHECK_OK(arrow_batch_new(schema, 3, &a, &bc, &err));
    base_strbuf file, got;
    base_strbuf_init(&file);
    base_strbuf_init(&got);
    arrow_batch *same[2] = {ba, bc};
    CHECK_OK(write_file(schema, same, 2, ARROW_IPC_ZSTD, &file, &err)); /* same dictionary: ok */
    CHECK_OK(read_all((const uint8_t *)file.data, file.len, NULL, &got, NULL, NULL, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&got), "v0\nv1\nv2\nv0\nv1\nv2\n");
    base_strbuf_clear(&file);
    arrow_batch *differ[2] = {ba, bb};
    CHECK_STATUS(write_file(schema, differ, 2, ARROW_IPC_ZSTD, &file, &err), QV_EXECUTION);
    CHECK(strstr(err.message, "Dictionary replacement detected") != NULL);
    arrow_type_release(dict);
    arrow_field_release(f);
    arrow_schema_release(schema);
    arrow_array_release(a);
    arrow_array_release(b);
    arrow_batch_release(ba);
    arrow_batch_release(bb);
    arrow_batch_release(bc);
    base_strbuf_free(&file);
    base_strbuf_free(&got);
}

/* ---- fixtures ---- */

static const char *fixture(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "/work/shared/conformance/datafusion/datafusion/%s", name);
    return io_path_kind(buf) == IO_PATH_FILE ? buf : NULL;
}

static void check_fixture(const char *name, const char *want, bool stream)
{
    qv_error err;
    char path[512];
    if (fixture(name, path, sizeof path) == NULL)
        return; /* corpus absent */
    arrow_ipc_reader *r = NULL;
    CHECK_OK(arrow_ipc_reader_open(path, NULL, &r, &err));
    CHECK(arrow_ipc_reader_is_stream(r) == stream);
    base_strbuf got;
    base_strbuf_init(&got);
    base_strbuf_append_str(&got, "");
    arrow_schema *s = arrow_ipc_reader_schema(r);
    for (int32_t i = 0; i < s->n_fields; i++) {
        base_strbuf_appendf(&got, "%s%s: ", i ? ", " : "", s->fields[i]->name);
        arrow_type_format(s->fields[i]->type, &got);
    }
    base_strbuf_append_char(&got, '\n');
    qv_status st = QV_OK;
    for (;;) {
        arrow_batch *b = NULL;
        st = arrow_ipc_reader_next(r, &b, &err);
        if (st != QV_OK || b == NULL)
            break;
        batch_text(b, &got);
        arrow_batch_release(b);
    }
    arrow_ipc_reader_free(r);
    if (st == QV_OK) {
        CHECK_STR_EQ(base_strbuf_cstr(&got), want);
    } else {
        CHECK_STR_EQ(err.message, want);
    }
    base_strbuf_free(&got);
}

TEST(fixtures)
{
    const char *rows = "f0: Int64, f1: Utf8, f2: Boolean\n1|foo|true\n2|bar|NULL\n3|baz|false\n"
                       "4|NULL|true\n";
    check_fixture("datasource-arrow/tests/data/example.arrow", rows, false);
    check_fixture("datasource-arrow/tests/data/example_stream.arrow", rows, true);
    check_fixture("datasource-arrow/tests/data/example_stream_empty.arrow",
                  "f0: Int64, f1: Utf8, f2: Boolean\n", true);
    check_fixture("datasource-arrow/tests/data/example_stream_corrupted_metadata_length.arrow",
                  "Arrow error: Parser error: Unsupported message header type in IPC stream: "
                  "'NONE'",
                  true);
    check_fixture("core/tests/data/partitioned_table_arrow/part=123/data.arrow",
                  "f0: Int64, f1: Utf8, f2: Boolean\n1|foo|true\n2|bar|false\n", false);
}

TEST(infer_fixture_files)
{
    qv_error err;
    char a[512], b[512];
    if (fixture("datasource-arrow/tests/data/example.arrow", a, sizeof a) == NULL ||
        fixture("datasource-arrow/tests/data/example_stream.arrow", b, sizeof b) == NULL)
        return;
    const char *paths[2] = {a, b};
    arrow_schema *s = NULL;
    CHECK_OK(arrow_ipc_infer_files(paths, 2, &s, &err));
    CHECK_INT_EQ(s->n_fields, 3);
    CHECK_STR_EQ(s->fields[1]->name, "f1");
    CHECK_INT_EQ(s->fields[1]->type->id, QV_TYPE_UTF8);
    arrow_schema_release(s);
}

/* ---- "ARROW:schema" ---- */

static void base64(const uint8_t *in, size_t n, base_strbuf *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        for (size_t k = 0; k < 4; k++)
            base_strbuf_append_char(out, k <= (n - i) ? tab[(v >> (18 - 6 * k)) & 63] : '=');
    }
}

TEST(schema_from_base64)
{
    qv_error err;
    arrow_batch *batch = NULL;
    CHECK_OK(all_types_batch(1, &batch, &err));
    base_strbuf file, text;
    base_strbuf_init(&file);
    base_strbuf_init(&text);
    CHECK_OK(write_file(batch->schema, NULL, 0, ARROW_IPC_UNCOMPRESSED, &file, &err));
    /* the schema message as arrow-rs stores it: continuation, length, flatbuffer */
    int32_t meta = fb_load_i32((const uint8_t *)file.data + 12);
    base64((const uint8_t *)file.data + 8, 8 + (size_t)meta, &text);
    arrow_schema *s = NULL;
    CHECK_OK(arrow_ipc_schema_from_base64(text.data, text.len, &s, &err));
    CHECK(arrow_schema_equal(s, batch->schema));
    arrow_schema_release(s);
    CHECK_STATUS(arrow_ipc_schema_from_base64("!!!", 3, &s, &err), QV_EXECUTION);
    CHECK_STATUS(arrow_ipc_schema_from_base64("AAAA", 4, &s, &err), QV_EXECUTION);
    arrow_batch_release(batch);
    base_strbuf_free(&file);
    base_strbuf_free(&text);
}

/* ---- corrupt input ---- */

/* Reads everything; any status is fine, a crash or leak is not. */
static qv_status try_read(const uint8_t *data, size_t len)
{
    qv_error err;
    base_strbuf got;
    base_strbuf_init(&got);
    qv_status st = read_all(data, len, NULL, &got, NULL, NULL, &err);
    if (st != QV_OK && st != QV_EXECUTION && st != QV_NOT_IMPLEMENTED && st != QV_NOMEM)
        test_fail(__FILE__, __LINE__, "unexpected status %s: %s", qv_status_name(st), err.message);
    arrow_schema *s = NULL;
    if (arrow_ipc_read_schema_buffer(data, len, NULL, &s, &err) == QV_OK)
        arrow_schema_release(s);
    base_strbuf_free(&got);
    return st;
}

TEST(corrupt_input)
{
    qv_error err;
    arrow_batch *batch = NULL;
    CHECK_OK(all_types_batch(5, &batch, &err));
    base_strbuf file;
    base_strbuf_init(&file);
    CHECK_OK(write_file(batch->schema, &batch, 1, ARROW_IPC_LZ4_FRAME, &file, &err));
    uint8_t *copy = base_alloc(file.len);
    CHECK(copy != NULL);
    /* every truncation */
    for (size_t cut = 0; cut < file.len; cut += 7) {
        memcpy(copy, file.data, cut);
        CHECK(try_read(copy, cut) != QV_OK || cut == file.len);
    }
    /* single byte changes */
    uint32_t seed = 12345;
    for (int i = 0; i < 3000; i++) {
        memcpy(copy, file.data, file.len);
        seed = seed * 1103515245u + 12345u;
        size_t at = (seed >> 8) % file.len;
        copy[at] = (uint8_t)(copy[at] ^ (1u << (seed % 8)) ^ (i % 3 == 0 ? 0xff : 0));
        try_read(copy, file.len);
    }
    /* the same as a stream: drop the magic and the footer */
    try_read((const uint8_t *)file.data + 8, file.len - 8);
    CHECK_STATUS(try_read((const uint8_t *)"ARROW1", 6), QV_EXECUTION);
    CHECK_STATUS(try_read((const uint8_t *)"", 0), QV_EXECUTION);
    base_free(copy);
    arrow_batch_release(batch);
    base_strbuf_free(&file);
}
