/*
 * test_cdata.c — the Arrow C Data / C Stream Interface: export -> import
 * round trips for every type (plain, sliced, nested, dictionary, REE),
 * format strings, moved and cross-thread releases, batches and streams, and
 * the allocation-failure loop over export and import.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "arrow/arrow.h"
#include "cdata_helpers.h"
#include "test.h"

/* Exports array (as a nullable column "col") and imports it back, checking
 * the type survives and the values compare equal. */
static bool round_trip(arrow_array *array, const char *what)
{
    qv_error err;
    qv_error_clear(&err);
    bool ok = false;
    arrow_field *field = NULL, *imported_field = NULL;
    arrow_array *imported = NULL;
    struct ArrowSchema c_schema;
    struct ArrowArray c_array;
    if (array == NULL) {
        test_fail(__FILE__, __LINE__, "%s: could not build the array", what);
        return false;
    }
    if (arrow_field_new("col", array->type, true, NULL, &field, &err) != QV_OK)
        goto done;
    if (arrow_export_type(field, &c_schema, &err) != QV_OK)
        goto done;
    if (arrow_export_array(array, &c_array, &err) != QV_OK) {
        c_schema.release(&c_schema);
        goto done;
    }
    if (arrow_import_field(&c_schema, &imported_field, &err) != QV_OK) {
        c_array.release(&c_array);
        goto done;
    }
    if (c_schema.release != NULL || !arrow_field_equal(field, imported_field)) {
        snprintf(err.message, sizeof err.message, "the field changed in the round trip");
        c_array.release(&c_array);
        goto done;
    }
    if (arrow_import_array(&c_array, imported_field->type, &imported, &err) != QV_OK)
        goto done;
    if (c_array.release != NULL) {
        snprintf(err.message, sizeof err.message, "the import did not take the array");
        goto done;
    }
    if (!th_arrays_equal(array, imported)) {
        snprintf(err.message, sizeof err.message, "values differ: %s", th_compare_message);
        goto done;
    }
    ok = true;
done:
    if (!ok)
        test_fail(__FILE__, __LINE__, "%s: %s", what, err.message);
    arrow_array_release(imported);
    arrow_field_release(imported_field);
    arrow_field_release(field);
    return ok;
}

/* Round trip of the array itself, and of a slice [1, length-1) of it. */
static bool round_trip_and_slice(arrow_array *array, const char *what)
{
    bool ok = round_trip(array, what);
    if (ok && array->length >= 3) {
        arrow_array *slice = NULL;
        arrow_array_slice(array, 1, array->length - 2, &slice, NULL);
        char name[128];
        snprintf(name, sizeof name, "%s (sliced)", what);
        ok = round_trip(slice, name);
        arrow_array_release(slice);
    }
    arrow_array_release(array);
    return ok;
}

static const uint8_t pattern[32 * 6] = {
    1,   2,   3,   4,   5,   6,   7,   8,   9,   10,  11,  12,  13,  14,  15,  16,  17,  18,  19,
    20,  21,  22,  23,  24,  25,  26,  27,  28,  29,  30,  31,  32,  200, 201, 202, 203, 204, 205,
    206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224,
    225, 226, 227, 228, 229, 230, 231, 77,  78,  79,  80,  81,  82,  83,  84,  85,  86,  87,  88,
    89,  90,  91,  92,  93,  94,  95,  96,  97,  98,  99,  100, 101, 102, 103, 104, 105, 106, 107,
    108, 33,  34,  35,  36,  37,  38,  39,  40,  41,  42,  43,  44,  45,  46,  47,  48,  49,  50,
    51,  52,  53,  54,  55,  56,  57,  58,  59,  60,  61,  62,  63,  64,  150, 151, 152, 153, 154,
    155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173,
    174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192,
    193, 194, 195, 196, 197, 198, 199, 0,   255, 254, 253, 252, 251, 250, 249, 248, 247, 246, 245,
};

/* A 5-element fixed-width array of type with one null. */
static bool fixed_round_trip(arrow_type *type, const char *what)
{
    int64_t width = type != NULL ? arrow_type_bit_width(type) / 8 : 0;
    return round_trip_and_slice(th_fixed(type, 5, "11011", pattern, width), what);
}

TEST(cdata_round_trip_primitive_types)
{
    static const struct {
        arrow_type_id id;
        const char *name;
    } prims[] = {
        {QV_TYPE_INT8, "Int8"},
        {QV_TYPE_INT16, "Int16"},
        {QV_TYPE_INT32, "Int32"},
        {QV_TYPE_INT64, "Int64"},
        {QV_TYPE_UINT8, "UInt8"},
        {QV_TYPE_UINT16, "UInt16"},
        {QV_TYPE_UINT32, "UInt32"},
        {QV_TYPE_UINT64, "UInt64"},
        {QV_TYPE_FLOAT16, "Float16"},
        {QV_TYPE_FLOAT32, "Float32"},
        {QV_TYPE_FLOAT64, "Float64"},
        {QV_TYPE_DATE32, "Date32"},
        {QV_TYPE_DATE64, "Date64"},
        {QV_TYPE_INTERVAL_YEAR_MONTH, "IntervalYearMonth"},
        {QV_TYPE_INTERVAL_DAY_TIME, "IntervalDayTime"},
        {QV_TYPE_INTERVAL_MONTH_DAY_NANO, "IntervalMonthDayNano"},
    };
    for (size_t i = 0; i < sizeof prims / sizeof prims[0]; i++)
        CHECK(fixed_round_trip(th_prim(prims[i].id), prims[i].name));
    arrow_buffer *bits[2] = {NULL, th_buffer("\x15", 1)};
    CHECK(round_trip_and_slice(
        th_array(th_prim(QV_TYPE_BOOLEAN), 5, "10111", 2, bits, 0, NULL, NULL), "Boolean"));
    arrow_array *nulls = NULL;
    CHECK(arrow_array_new_null(th_prim(QV_TYPE_NULL), 4, &nulls, NULL) == QV_OK);
    CHECK(round_trip_and_slice(nulls, "Null"));
}

TEST(cdata_round_trip_parameterised_types)
{
    qv_error err;
    arrow_type *type;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL128, 38, 10, &type, &err));
    CHECK(fixed_round_trip(type, "Decimal128"));
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL256, 76, -5, &type, &err));
    CHECK(fixed_round_trip(type, "Decimal256"));
    CHECK_OK(arrow_type_fixed_size_binary(3, &type, &err));
    CHECK(fixed_round_trip(type, "FixedSizeBinary(3)"));
    CHECK_OK(arrow_type_fixed_size_binary(0, &type, &err));
    CHECK(fixed_round_trip(type, "FixedSizeBinary(0)"));
    for (arrow_time_unit unit = QV_UNIT_SECOND; unit <= QV_UNIT_NANOSECOND; unit++) {
        arrow_type_id time_id = unit <= QV_UNIT_MILLISECOND ? QV_TYPE_TIME32 : QV_TYPE_TIME64;
        CHECK_OK(arrow_type_time(time_id, unit, &type, &err));
        CHECK(fixed_round_trip(type, "Time"));
        CHECK_OK(arrow_type_duration(unit, &type, &err));
        CHECK(fixed_round_trip(type, "Duration"));
        CHECK_OK(arrow_type_timestamp(unit, NULL, &type, &err));
        CHECK(fixed_round_trip(type, "Timestamp"));
        CHECK_OK(
            arrow_type_timestamp(unit, unit == QV_UNIT_SECOND ? "+05:30" : "UTC", &type, &err));
        CHECK(fixed_round_trip(type, "Timestamp with time zone"));
    }
}

static const char *const sample_strings[] = {
    "a",
    "",
    NULL,
    "h\xc3\xa9llo w\xc3\xb6rld, a long string",
    "\xe2\x82\xac",
    "0123456789ab",
    "exactly thirteen",
    NULL,
    "z",
};
#define N_SAMPLE_STRINGS 9

TEST(cdata_round_trip_strings_binary_and_views)
{
    static const arrow_type_id ids[] = {QV_TYPE_UTF8,   QV_TYPE_LARGE_UTF8,   QV_TYPE_UTF8_VIEW,
                                        QV_TYPE_BINARY, QV_TYPE_LARGE_BINARY, QV_TYPE_BINARY_VIEW};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        arrow_array *array = th_strings(th_prim(ids[i]), N_SAMPLE_STRINGS, sample_strings);
        CHECK(round_trip_and_slice(array, "strings"));
    }
    /* Views keep their variadic buffers, and nothing is copied. */
    qv_error err;
    arrow_array *views = th_strings(th_prim(QV_TYPE_UTF8_VIEW), N_SAMPLE_STRINGS, sample_strings);
    CHECK(views != NULL && views->n_buffers == 4);
    struct ArrowArray c_array;
    CHECK_OK(arrow_export_array(views, &c_array, &err));
    CHECK_INT_EQ(c_array.n_buffers, 5);
    const int64_t *sizes = c_array.buffers[4];
    CHECK_INT_EQ(sizes[0], views->buffers[2]->size);
    CHECK_INT_EQ(sizes[1], views->buffers[3]->size);
    arrow_array *imported;
    CHECK_OK(arrow_import_array(&c_array, views->type, &imported, &err));
    CHECK(imported->buffers[1]->data == views->buffers[1]->data);
    CHECK(imported->buffers[3]->data == views->buffers[3]->data);
    CHECK(th_arrays_equal(views, imported));
    arrow_array_release(imported);
    arrow_array_release(views);
}

/* List<Int32> [[1, 2], null, [], [3, 4, 5], [6]] over child 1..6. */
static arrow_array *int_list(arrow_type_id id)
{
    static const int32_t values[] = {1, 2, 3, 4, 5, 6};
    static const int64_t offsets[] = {0, 2, 2, 2, 5, 6};
    arrow_array *child = th_fixed(th_prim(QV_TYPE_INT32), 6, NULL, values, 4);
    return th_list_array(th_list(id, th_prim(QV_TYPE_INT32)), 5, "10111", offsets, child);
}

static arrow_array *struct_array(void)
{
    static const int32_t a_values[] = {10, 20, 30, 40, 50};
    arrow_array *children[2] = {
        th_fixed(th_prim(QV_TYPE_INT32), 5, "11101", a_values, 4),
        th_strings(th_prim(QV_TYPE_UTF8), 5, sample_strings),
    };
    arrow_type *type = th_struct2("a", th_prim(QV_TYPE_INT32), "b", th_prim(QV_TYPE_UTF8));
    arrow_buffer *buffers[1] = {NULL};
    return th_array(type, 5, "11011", 1, buffers, 2, children, NULL);
}

static arrow_array *map_array(void)
{
    static const char *const keys[] = {"k1", "k2", "k3", "a long key string", "k5"};
    static const int64_t values[] = {1, 2, 3, 4, 5};
    static const int64_t offsets[] = {0, 2, 2, 3, 5};
    arrow_type *type = th_map(th_prim(QV_TYPE_UTF8), th_prim(QV_TYPE_INT64));
    if (type == NULL)
        return NULL;
    arrow_array *entry_children[2] = {th_strings(th_prim(QV_TYPE_UTF8), 5, keys),
                                      th_fixed(th_prim(QV_TYPE_INT64), 5, "10110", values, 8)};
    arrow_buffer *buffers[1] = {NULL};
    arrow_array *entries = th_array(arrow_type_retain(type->children[0]->type), 5, NULL, 1, buffers,
                                    2, entry_children, NULL);
    return th_list_array(type, 4, "1101", offsets, entries);
}

TEST(cdata_round_trip_nested_types)
{
    CHECK(round_trip_and_slice(int_list(QV_TYPE_LIST), "List<Int32>"));
    CHECK(round_trip_and_slice(int_list(QV_TYPE_LARGE_LIST), "LargeList<Int32>"));
    CHECK(round_trip_and_slice(struct_array(), "Struct<a: Int32, b: Utf8> with nulls"));
    CHECK(round_trip_and_slice(map_array(), "Map<Utf8, Int64>"));

    static const int16_t fsl_values[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    arrow_array *fsl_child = th_fixed(th_prim(QV_TYPE_INT16), 12, "111101111111", fsl_values, 2);
    arrow_buffer *buffers[1] = {NULL};
    CHECK(round_trip_and_slice(
        th_array(th_fsl(th_prim(QV_TYPE_INT16), 3), 4, "1011", 1, buffers, 1, &fsl_child, NULL),
        "FixedSizeList<Int16, 3>"));

    /* List<Struct<a, b>>: three lists over the five structs. */
    static const int64_t offsets[] = {0, 1, 1, 5};
    arrow_array *structs = struct_array();
    CHECK(structs != NULL);
    CHECK(
        round_trip_and_slice(th_list_array(th_list(QV_TYPE_LIST, arrow_type_retain(structs->type)),
                                           3, "101", offsets, structs),
                             "List<Struct>"));
}

TEST(cdata_round_trip_dictionary_and_run_end_encoded)
{
    static const char *const words[] = {"apple", "banana", "a much longer cherry"};
    static const int32_t indices32[] = {2, 0, 1, 1, 0, 2};
    static const uint8_t indices8[] = {1, 1, 0, 2, 2, 0};
    arrow_array *dict = th_strings(th_prim(QV_TYPE_UTF8), 3, words);
    arrow_buffer *buffers[2] = {NULL, th_buffer(indices32, sizeof indices32)};
    CHECK(round_trip_and_slice(th_array(th_dict(QV_TYPE_INT32, th_prim(QV_TYPE_UTF8)), 6, "110111",
                                        2, buffers, 0, NULL, dict),
                               "Dictionary<Int32, Utf8>"));
    dict = th_strings(th_prim(QV_TYPE_UTF8_VIEW), 3, words);
    buffers[1] = th_buffer(indices8, sizeof indices8);
    CHECK(round_trip_and_slice(th_array(th_dict(QV_TYPE_UINT8, th_prim(QV_TYPE_UTF8_VIEW)), 6, NULL,
                                        2, buffers, 0, NULL, dict),
                               "Dictionary<UInt8, Utf8View>"));

    static const int16_t ends16[] = {2, 3, 7};
    static const int32_t ends32[] = {2, 3, 7};
    static const int64_t ends64[] = {2, 3, 7};
    static const char *const run_values[] = {"x", NULL, "a run value longer than twelve"};
    const void *ends[] = {ends16, ends32, ends64};
    static const arrow_type_id end_ids[] = {QV_TYPE_INT16, QV_TYPE_INT32, QV_TYPE_INT64};
    for (int k = 0; k < 3; k++) {
        int64_t width = (int64_t)2 << k;
        arrow_array *children[2] = {th_fixed(th_prim(end_ids[k]), 3, NULL, ends[k], width),
                                    th_strings(th_prim(QV_TYPE_UTF8), 3, run_values)};
        CHECK(round_trip_and_slice(th_array(th_ree(end_ids[k], th_prim(QV_TYPE_UTF8)), 7, NULL, 0,
                                            NULL, 2, children, NULL),
                                   "RunEndEncoded<Utf8>"));
    }
}

static void mark_schema_released(struct ArrowSchema *schema)
{
    schema->release = NULL;
}

TEST(cdata_format_strings_parse_and_print)
{
    static const char *const formats[] = {
        "n",    "b",   "c",      "C",           "s",          "S",
        "i",    "I",   "l",      "L",           "e",          "f",
        "g",    "z",   "Z",      "vz",          "u",          "U",
        "vu",   "tdD", "tdm",    "tts",         "ttm",        "ttu",
        "ttn",  "tDs", "tDm",    "tDu",         "tDn",        "tiM",
        "tiD",  "tin", "tss:",   "tsm:UTC",     "tsu:+07:00", "tsn:Europe/Paris",
        "w:16", "w:0", "d:10,2", "d:76,-3,256",
    };
    qv_error err;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        struct ArrowSchema schema = {.format = formats[i],
                                     .name = "x",
                                     .flags = ARROW_FLAG_NULLABLE,
                                     .release = mark_schema_released};
        arrow_field *field;
        CHECK_OK(arrow_import_field(&schema, &field, &err));
        CHECK(schema.release == NULL);
        struct ArrowSchema exported;
        CHECK_OK(arrow_export_type(field, &exported, &err));
        CHECK_STR_EQ(exported.format, formats[i]);
        CHECK_STR_EQ(exported.name, "x");
        CHECK_INT_EQ(exported.flags, ARROW_FLAG_NULLABLE);
        exported.release(&exported);
        CHECK(exported.release == NULL);
        arrow_field_release(field);
    }
    static const char *const bad[] = {
        "",      "x",          "d:",   "d:1",           "d:1,", "d:1,2,64", "d:99,1",
        "d:0,0", "w:",         "w:-1", "w:99999999999", "+w:",  "+w:1x",    "ts",
        "tsx:",  "tsu",        "t",    "tdX",           "+",    "+x",       "+ud:1,2",
        "vv",    "d:1,2,256x", "ii",   "d:-",           "tD",   "ttx",      "+l+",
        "+vl",   "d:1,2,",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ArrowSchema schema = {.format = bad[i], .release = mark_schema_released};
        arrow_field *field;
        CHECK_STATUS(arrow_import_field(&schema, &field, &err), QV_INVALID);
        CHECK(field == NULL && schema.release == NULL);
    }
}

TEST(cdata_schema_metadata_flags_and_nesting)
{
    qv_error err;
    arrow_metadata md = {0, NULL, NULL};
    CHECK_OK(arrow_metadata_add(&md, "origin", "unit test", &err));
    CHECK_OK(arrow_metadata_add(&md, "empty", "", &err));
    arrow_type *map = th_map(th_prim(QV_TYPE_UTF8), th_prim(QV_TYPE_INT32));
    map->keys_sorted = true;
    arrow_type *dict;
    CHECK_OK(arrow_type_dictionary(th_prim(QV_TYPE_INT16), th_prim(QV_TYPE_LARGE_UTF8), true, &dict,
                                   &err));
    arrow_field *fields[3];
    CHECK_OK(arrow_field_new("m", map, true, &md, &fields[0], &err));
    CHECK_OK(arrow_field_new("d", dict, false, NULL, &fields[1], &err));
    arrow_type *ree = th_ree(QV_TYPE_INT32, th_list(QV_TYPE_LIST, th_prim(QV_TYPE_INT8)));
    CHECK_OK(arrow_field_new("r", ree, true, &md, &fields[2], &err));
    arrow_type_release(map);
    arrow_type_release(dict);
    arrow_type_release(ree);
    arrow_schema *schema;
    CHECK_OK(arrow_schema_new(3, fields, &md, &schema, &err));
    for (int i = 0; i < 3; i++)
        arrow_field_release(fields[i]);

    struct ArrowSchema c_schema;
    CHECK_OK(arrow_export_schema(schema, &c_schema, &err));
    CHECK_STR_EQ(c_schema.format, "+s");
    CHECK_INT_EQ(c_schema.n_children, 3);
    CHECK_INT_EQ(c_schema.children[0]->flags, ARROW_FLAG_NULLABLE | ARROW_FLAG_MAP_KEYS_SORTED);
    CHECK_STR_EQ(c_schema.children[1]->format, "s");
    CHECK_INT_EQ(c_schema.children[1]->flags, ARROW_FLAG_DICTIONARY_ORDERED);
    CHECK_STR_EQ(c_schema.children[1]->dictionary->format, "U");
    CHECK_STR_EQ(c_schema.children[2]->format, "+r");
    int32_t n_entries;
    memcpy(&n_entries, c_schema.metadata, 4);
    CHECK_INT_EQ(n_entries, 2);
    arrow_schema *imported;
    CHECK_OK(arrow_import_schema(&c_schema, &imported, &err));
    CHECK(c_schema.release == NULL);
    CHECK(arrow_schema_equal(schema, imported));
    CHECK_STR_EQ(arrow_metadata_get(&imported->metadata, "origin"), "unit test");
    CHECK_STR_EQ(arrow_metadata_get(&imported->fields[2]->metadata, "empty"), "");
    arrow_schema_release(imported);
    arrow_schema_release(schema);
    arrow_metadata_clear(&md);
}

TEST(cdata_zero_copy_and_moved_structs)
{
    qv_error err;
    arrow_array *structs = struct_array();
    CHECK(structs != NULL);
    struct ArrowArray c_array;
    CHECK_OK(arrow_export_array(structs, &c_array, &err));
    CHECK(c_array.children[1]->buffers[2] == structs->children[1]->buffers[2]->data);
    /* The consumer moves the struct, and moves a child out of it. */
    struct ArrowArray *moved = malloc(sizeof *moved);
    CHECK(moved != NULL);
    *moved = c_array;
    c_array.release = NULL;
    struct ArrowArray child = *moved->children[1];
    moved->children[1]->release = NULL;
    moved->release(moved);
    CHECK(moved->release == NULL);
    free(moved);
    arrow_array *imported;
    CHECK_OK(arrow_import_array(&child, structs->children[1]->type, &imported, &err));
    CHECK(th_arrays_equal(structs->children[1], imported));
    arrow_array_release(imported);
    arrow_array_release(structs);
}

static void *release_on_thread(void *arg)
{
    struct ArrowArray *array = arg;
    array->release(array);
    return NULL;
}

TEST(cdata_release_from_another_thread)
{
    qv_error err;
    arrow_array *list = int_list(QV_TYPE_LIST);
    CHECK(list != NULL);
    struct ArrowArray c_array;
    CHECK_OK(arrow_export_array(list, &c_array, &err));
    arrow_array *imported;
    CHECK_OK(arrow_import_array(&c_array, list->type, &imported, &err));
    struct ArrowArray again;
    CHECK_OK(arrow_export_array(imported, &again, &err));
    arrow_array_release(imported);
    arrow_array_release(list);
    /* The last references (to the list and to the first export) go on another thread. */
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, release_on_thread, &again) == 0);
    pthread_join(thread, NULL);
    CHECK(again.release == NULL);
}

static arrow_batch *sample_batch(arrow_schema **schema_out)
{
    arrow_array *columns[2] = {int_list(QV_TYPE_LIST), struct_array()};
    arrow_field *fields[2] = {NULL, NULL};
    arrow_schema *schema = NULL;
    arrow_batch *batch = NULL;
    if (columns[0] != NULL && columns[1] != NULL) {
        arrow_field_new("l", columns[0]->type, true, NULL, &fields[0], NULL);
        arrow_field_new("s", columns[1]->type, true, NULL, &fields[1], NULL);
    }
    if (fields[0] != NULL && fields[1] != NULL)
        arrow_schema_new(2, fields, NULL, &schema, NULL);
    if (schema != NULL)
        arrow_batch_new(schema, 5, columns, &batch, NULL);
    for (int i = 0; i < 2; i++) {
        arrow_array_release(columns[i]);
        arrow_field_release(fields[i]);
    }
    *schema_out = schema;
    return batch;
}

TEST(cdata_batch_round_trip_with_slices)
{
    qv_error err;
    arrow_schema *schema;
    arrow_batch *batch = sample_batch(&schema);
    CHECK(batch != NULL);
    arrow_batch *slice;
    CHECK_OK(arrow_batch_slice(batch, 1, 3, &slice, &err));
    arrow_batch *sources[2] = {batch, slice};
    for (int k = 0; k < 2; k++) {
        struct ArrowArray c_array;
        CHECK_OK(arrow_export_batch(sources[k], &c_array, &err));
        CHECK_INT_EQ(c_array.length, sources[k]->n_rows);
        CHECK_INT_EQ(c_array.n_children, 2);
        arrow_batch *imported;
        CHECK_OK(arrow_import_batch(&c_array, schema, &imported, &err));
        CHECK_INT_EQ(imported->n_rows, sources[k]->n_rows);
        for (int c = 0; c < 2; c++)
            CHECK(th_arrays_equal(sources[k]->columns[c], imported->columns[c]));
        arrow_batch_release(imported);
    }
    /* A struct array with an offset imports as sliced columns. */
    arrow_type *struct_type;
    CHECK_OK(arrow_type_struct(2, schema->fields, &struct_type, &err));
    arrow_buffer *no_validity = NULL;
    arrow_array *as_struct, *struct_slice;
    CHECK_OK(arrow_array_new(struct_type, 5, 0, 0, 1, &no_validity, 2, batch->columns, NULL,
                             &as_struct, &err));
    CHECK_OK(arrow_array_slice(as_struct, 2, 3, &struct_slice, &err));
    struct ArrowArray c_array;
    CHECK_OK(arrow_export_array(struct_slice, &c_array, &err));
    arrow_batch *imported;
    CHECK_OK(arrow_import_batch(&c_array, schema, &imported, &err));
    CHECK_INT_EQ(imported->n_rows, 3);
    arrow_array *expected;
    CHECK_OK(arrow_array_slice(batch->columns[1], 2, 3, &expected, &err));
    CHECK(th_arrays_equal(expected, imported->columns[1]));
    arrow_array_release(expected);
    arrow_batch_release(imported);
    arrow_array_release(struct_slice);
    arrow_array_release(as_struct);
    arrow_type_release(struct_type);
    arrow_batch_release(slice);
    arrow_batch_release(batch);
    arrow_schema_release(schema);
}

/* A batch source that yields `remaining` copies of a batch, then fails or ends. */
typedef struct test_source {
    arrow_batch_source base;
    arrow_batch *batch;
    int remaining;
    bool fail_at_end;
} test_source;

static qv_status test_source_next(arrow_batch_source *source, arrow_batch **out, qv_error *err)
{
    test_source *self = (test_source *)source;
    *out = NULL;
    if (self->remaining == 0)
        return self->fail_at_end ? base_error_set(err, QV_IO, "disk on fire") : QV_OK;
    self->remaining--;
    *out = arrow_batch_retain(self->batch);
    return QV_OK;
}

static void test_source_release(arrow_batch_source *source)
{
    test_source *self = (test_source *)source;
    arrow_batch_release(self->batch);
    arrow_schema_release(self->base.schema);
    base_free(self);
}

TEST(cdata_stream_exports_batches_and_errors)
{
    qv_error err;
    for (int fail = 0; fail < 2; fail++) {
        test_source *source = base_calloc(1, sizeof *source);
        CHECK(source != NULL);
        source->batch = sample_batch(&source->base.schema);
        CHECK(source->batch != NULL);
        source->base.next = test_source_next;
        source->base.release = test_source_release;
        source->remaining = 3;
        source->fail_at_end = fail == 1;
        struct ArrowArrayStream stream;
        CHECK_OK(arrow_export_stream(&source->base, &stream, &err));
        struct ArrowSchema c_schema;
        CHECK_INT_EQ(stream.get_schema(&stream, &c_schema), 0);
        arrow_schema *schema;
        CHECK_OK(arrow_import_schema(&c_schema, &schema, &err));
        CHECK(stream.get_last_error(&stream) == NULL);
        int n_batches = 0;
        for (;;) {
            struct ArrowArray c_array;
            int code = stream.get_next(&stream, &c_array);
            if (code != 0) {
                CHECK(fail == 1);
                CHECK_STR_EQ(stream.get_last_error(&stream), "disk on fire");
                break;
            }
            if (c_array.release == NULL)
                break;
            arrow_batch *batch;
            CHECK_OK(arrow_import_batch(&c_array, schema, &batch, &err));
            CHECK(th_arrays_equal(source->batch->columns[0], batch->columns[0]));
            arrow_batch_release(batch);
            n_batches++;
        }
        CHECK_INT_EQ(n_batches, 3);
        stream.release(&stream);
        CHECK(stream.release == NULL);
        arrow_schema_release(schema);
    }
}

/* One full export + import of field and array; every failure must be QV_NOMEM. */
static qv_status export_import_once(arrow_field *field, arrow_array *array, bool *equal)
{
    qv_error err;
    struct ArrowSchema c_schema;
    struct ArrowArray c_array;
    arrow_field *imported_field;
    arrow_array *imported;
    QV_TRY(arrow_export_type(field, &c_schema, &err));
    qv_status status = arrow_export_array(array, &c_array, &err);
    if (status != QV_OK) {
        c_schema.release(&c_schema);
        return status;
    }
    status = arrow_import_field(&c_schema, &imported_field, &err);
    if (status != QV_OK) {
        c_array.release(&c_array);
        return status;
    }
    status = arrow_import_array(&c_array, imported_field->type, &imported, &err);
    arrow_field_release(imported_field);
    QV_TRY(status);
    *equal = th_arrays_equal(array, imported);
    arrow_array_release(imported);
    return QV_OK;
}

TEST(cdata_allocation_failures_are_clean)
{
    arrow_schema *schema;
    arrow_batch *batch = sample_batch(&schema);
    CHECK(batch != NULL);
    arrow_array *arrays[3] = {map_array(), NULL, NULL};
    arrow_array *dict = th_strings(th_prim(QV_TYPE_UTF8_VIEW), N_SAMPLE_STRINGS, sample_strings);
    static const int16_t indices[] = {0, 3, 8, 1};
    arrow_buffer *buffers[2] = {NULL, th_buffer(indices, sizeof indices)};
    arrow_type *dict_type = th_dict(QV_TYPE_INT16, th_prim(QV_TYPE_UTF8_VIEW));
    arrow_type *list_type = th_list(QV_TYPE_LARGE_LIST, arrow_type_retain(dict_type));
    arrow_array *dict_array = th_array(dict_type, 4, "1101", 2, buffers, 0, NULL, dict);
    static const int64_t offsets[] = {0, 3, 4};
    arrays[1] = th_list_array(list_type, 2, NULL, offsets, dict_array);
    arrays[2] = arrow_array_retain(batch->columns[1]);
    for (int a = 0; a < 3; a++) {
        CHECK(arrays[a] != NULL);
        arrow_field *field = th_field("f", arrow_type_retain(arrays[a]->type), true);
        CHECK(field != NULL);
        int64_t start = base_alloc_thread_bytes();
        int n_failures = 0;
        for (int64_t n = 1;; n++) {
            bool equal = false;
            base_alloc_fail_after(n);
            qv_status status = export_import_once(field, arrays[a], &equal);
            bool triggered = base_alloc_fail_triggered();
            base_alloc_fail_after(0);
            CHECK_INT_EQ(base_alloc_thread_bytes(), start);
            if (!triggered) {
                CHECK_STATUS(status, QV_OK);
                CHECK(equal);
                break;
            }
            if (status != QV_OK) {
                CHECK_STATUS(status, QV_NOMEM);
                n_failures++;
            }
        }
        CHECK(n_failures > 10);
        arrow_field_release(field);
        arrow_array_release(arrays[a]);
    }
    /* Batch and schema export / import, with streams' allocations too. */
    int64_t start = base_alloc_thread_bytes();
    for (int64_t n = 1;; n++) {
        qv_error err;
        base_alloc_fail_after(n);
        struct ArrowSchema c_schema;
        struct ArrowArray c_array;
        arrow_schema *imported_schema = NULL;
        arrow_batch *imported = NULL;
        qv_status status = arrow_export_schema(schema, &c_schema, &err);
        if (status == QV_OK)
            status = arrow_import_schema(&c_schema, &imported_schema, &err);
        if (status == QV_OK)
            status = arrow_export_batch(batch, &c_array, &err);
        if (status == QV_OK)
            status = arrow_import_batch(&c_array, imported_schema, &imported, &err);
        bool triggered = base_alloc_fail_triggered();
        base_alloc_fail_after(0);
        arrow_batch_release(imported);
        arrow_schema_release(imported_schema);
        CHECK_INT_EQ(base_alloc_thread_bytes(), start);
        CHECK(status == QV_OK || status == QV_NOMEM);
        if (!triggered)
            break;
    }
    arrow_batch_release(batch);
    arrow_schema_release(schema);
}
