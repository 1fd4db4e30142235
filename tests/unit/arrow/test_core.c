/*
 * test_core.c — arrow core: types, fields, schemas, buffers, arrays (new,
 * all-null, slices, validity), record batches, and their failure paths.
 */
#include <stdatomic.h>

#include "arrow/arrow.h"
#include "test.h"

TEST(core_primitive_singletons_are_immortal)
{
    arrow_type *int64 = arrow_type_primitive(QV_TYPE_INT64);
    CHECK(int64 != NULL && int64->id == QV_TYPE_INT64);
    CHECK(arrow_type_primitive(QV_TYPE_NULL)->id == QV_TYPE_NULL);
    CHECK(arrow_type_primitive(QV_TYPE_TIMESTAMP) == NULL);
    CHECK(arrow_type_primitive(QV_TYPE_COUNT_) == NULL);
    arrow_type_release(arrow_type_retain(int64));
    CHECK(arrow_type_primitive(QV_TYPE_INT64) == int64);
}

TEST(core_parameterised_types_validate_parameters)
{
    qv_error err;
    arrow_type *type;
    CHECK_STATUS(arrow_type_decimal(QV_TYPE_DECIMAL128, 39, 0, &type, &err), QV_INVALID);
    CHECK(type == NULL);
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL256, 76, 10, &type, &err));
    arrow_type_release(type);
    CHECK_STATUS(arrow_type_time(QV_TYPE_TIME32, QV_UNIT_NANOSECOND, &type, &err), QV_INVALID);
    CHECK_STATUS(arrow_type_fixed_size_binary(-1, &type, &err), QV_INVALID);
    /* Wider than INT32_MAX / 8 would overflow arrow_type_bit_width. */
    CHECK_STATUS(arrow_type_fixed_size_binary(INT32_MAX, &type, &err), QV_INVALID);
    CHECK_OK(arrow_type_fixed_size_binary(INT32_MAX / 8, &type, &err));
    CHECK_INT_EQ(arrow_type_bit_width(type), (INT32_MAX / 8) * 8);
    arrow_type_release(type);
    CHECK_STATUS(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_UTF8),
                                       arrow_type_primitive(QV_TYPE_UTF8), false, &type, &err),
                 QV_INVALID);
}

TEST(core_type_equality_is_structural)
{
    qv_error err;
    arrow_type *a, *b, *c;
    CHECK_OK(arrow_type_timestamp(QV_UNIT_NANOSECOND, "UTC", &a, &err));
    CHECK_OK(arrow_type_timestamp(QV_UNIT_NANOSECOND, "UTC", &b, &err));
    CHECK_OK(arrow_type_timestamp(QV_UNIT_NANOSECOND, NULL, &c, &err));
    CHECK(arrow_type_equal(a, b));
    CHECK(!arrow_type_equal(a, c));
    arrow_type *la, *lb;
    CHECK_OK(arrow_type_list_of(QV_TYPE_LIST, a, &la, &err));
    CHECK_OK(arrow_type_list_of(QV_TYPE_LIST, c, &lb, &err));
    CHECK(!arrow_type_equal(la, lb));
    arrow_type_release(la);
    arrow_type_release(lb);
    arrow_type_release(a);
    arrow_type_release(b);
    arrow_type_release(c);
}

TEST(core_map_and_ree_types_check_their_children)
{
    qv_error err;
    arrow_field *key, *value, *entries, *nullable_entries;
    CHECK_OK(arrow_field_new("key", arrow_type_primitive(QV_TYPE_UTF8), false, NULL, &key, &err));
    CHECK_OK(arrow_field_new("value", arrow_type_primitive(QV_TYPE_INT32), true, NULL, &value, &err));
    arrow_field *kv[2] = {key, value};
    arrow_type *entries_type, *map, *bad_map;
    CHECK_OK(arrow_type_struct(2, kv, &entries_type, &err));
    CHECK_OK(arrow_field_new("entries", entries_type, false, NULL, &entries, &err));
    CHECK_OK(arrow_field_new("entries", entries_type, true, NULL, &nullable_entries, &err));
    CHECK_OK(arrow_type_map(entries, false, &map, &err));
    CHECK_STATUS(arrow_type_map(nullable_entries, false, &bad_map, &err), QV_INVALID);
    CHECK(bad_map == NULL);
    arrow_type *ree;
    CHECK_STATUS(arrow_type_run_end_encoded(value, key, &ree, &err), QV_INVALID);
    arrow_field_release(key);
    arrow_field_release(value);
    arrow_field_release(entries);
    arrow_field_release(nullable_entries);
    arrow_type_release(entries_type);
    arrow_type_release(map);
}

TEST(core_schema_find_and_metadata)
{
    qv_error err;
    arrow_metadata md = {0};
    CHECK_OK(arrow_metadata_add(&md, "k", "v", &err));
    arrow_field *a, *b;
    CHECK_OK(arrow_field_new("a", arrow_type_primitive(QV_TYPE_INT64), true, &md, &a, &err));
    CHECK_OK(arrow_field_new("b", arrow_type_primitive(QV_TYPE_UTF8), false, NULL, &b, &err));
    arrow_field *fields[2] = {a, b};
    arrow_schema *schema;
    CHECK_OK(arrow_schema_new(2, fields, &md, &schema, &err));
    CHECK_INT_EQ(arrow_schema_find(schema, "b"), 1);
    CHECK_INT_EQ(arrow_schema_find(schema, "c"), -1);
    CHECK_STR_EQ(arrow_metadata_get(&schema->fields[0]->metadata, "k"), "v");
    CHECK(arrow_schema_equal(schema, schema));
    arrow_metadata_clear(&md);
    arrow_field_release(a);
    arrow_field_release(b);
    arrow_schema_release(schema);
}

/* An Int32 array [0, NULL, 2, 3, NULL] built by hand. */
static arrow_array *make_int32_with_nulls(void)
{
    qv_error err;
    arrow_buffer *validity, *values;
    if (arrow_buffer_new(1, &validity, &err) != QV_OK)
        return NULL;
    validity->data[0] = 0x0D; /* 1,0,1,1,0 */
    if (arrow_buffer_new(5 * 4, &values, &err) != QV_OK) {
        arrow_buffer_release(validity);
        return NULL;
    }
    for (int32_t i = 0; i < 5; i++)
        ((int32_t *)values->data)[i] = i;
    arrow_buffer *buffers[2] = {validity, values};
    arrow_array *array = NULL;
    arrow_array_new(arrow_type_primitive(QV_TYPE_INT32), 5, -1, 0, 2, buffers, 0, NULL, NULL,
                    &array, &err);
    arrow_buffer_release(validity);
    arrow_buffer_release(values);
    return array;
}

TEST(core_array_validity_and_slices)
{
    qv_error err;
    arrow_array *array = make_int32_with_nulls();
    CHECK(array != NULL);
    CHECK_INT_EQ(arrow_array_null_count(array), 2);
    CHECK(arrow_array_is_valid(array, 0));
    CHECK(!arrow_array_is_valid(array, 1));
    arrow_array *slice;
    CHECK_OK(arrow_array_slice(array, 2, 3, &slice, &err));
    CHECK_INT_EQ(slice->offset, 2);
    CHECK_INT_EQ(arrow_array_null_count(slice), 1);
    CHECK(arrow_array_is_valid(slice, 0));
    CHECK(!arrow_array_is_valid(slice, 2));
    CHECK(slice->buffers[1] == array->buffers[1]);
    arrow_array_release(slice);
    CHECK_STATUS(arrow_array_slice(array, 4, 2, &slice, &err), QV_INVALID);
    CHECK(slice == NULL);
    arrow_array_release(array);
}

TEST(core_array_new_checks_layout_counts)
{
    qv_error err;
    arrow_array *array;
    CHECK_STATUS(arrow_array_new(arrow_type_primitive(QV_TYPE_UTF8), 0, 0, 0, 2, NULL, 0, NULL,
                                 NULL, &array, &err),
                 QV_INVALID);
    CHECK(array == NULL);
    CHECK_STATUS(arrow_array_new(arrow_type_primitive(QV_TYPE_INT8), -1, 0, 0, 2, NULL, 0, NULL,
                                 NULL, &array, &err),
                 QV_INVALID);
}

TEST(core_null_arrays_of_nested_types)
{
    qv_error err;
    arrow_field *item, *ends, *values;
    arrow_type *list, *fsl, *ree, *dict;
    CHECK_OK(arrow_field_new("item", arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &item, &err));
    CHECK_OK(arrow_type_list(QV_TYPE_LARGE_LIST, item, &list, &err));
    CHECK_OK(arrow_type_fixed_size_list(item, 3, &fsl, &err));
    CHECK_OK(arrow_field_new("run_ends", arrow_type_primitive(QV_TYPE_INT32), false, NULL, &ends,
                             &err));
    CHECK_OK(arrow_field_new("values", list, true, NULL, &values, &err));
    CHECK_OK(arrow_type_run_end_encoded(ends, values, &ree, &err));
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT8),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &dict, &err));
    arrow_type *types[4] = {list, fsl, ree, dict};
    for (int t = 0; t < 4; t++) {
        arrow_array *array;
        CHECK_OK(arrow_array_new_null(types[t], 7, &array, &err));
        CHECK_INT_EQ(arrow_array_null_count(array), 7);
        for (int64_t i = 0; i < 7; i++)
            CHECK(!arrow_array_is_valid(array, i));
        arrow_array_release(array);
    }
    arrow_field_release(item);
    arrow_field_release(ends);
    arrow_field_release(values);
    for (int t = 0; t < 4; t++)
        arrow_type_release(types[t]);
}

TEST(core_batch_checks_columns_and_slices)
{
    qv_error err;
    arrow_array *column = make_int32_with_nulls();
    arrow_field *field;
    CHECK_OK(arrow_field_new("x", arrow_type_primitive(QV_TYPE_INT32), true, NULL, &field, &err));
    arrow_schema *schema;
    CHECK_OK(arrow_schema_new(1, &field, NULL, &schema, &err));
    arrow_batch *batch, *slice;
    CHECK_STATUS(arrow_batch_new(schema, 4, &column, &batch, &err), QV_INVALID);
    CHECK_OK(arrow_batch_new(schema, 5, &column, &batch, &err));
    CHECK_OK(arrow_batch_slice(batch, 1, 3, &slice, &err));
    CHECK_INT_EQ(slice->n_rows, 3);
    CHECK_INT_EQ(slice->columns[0]->offset, 1);
    arrow_batch_release(slice);
    arrow_batch_release(batch);
    arrow_schema_release(schema);
    arrow_field_release(field);
    arrow_array_release(column);
}

TEST(core_constructors_survive_every_allocation_failure)
{
    int64_t start = base_alloc_thread_bytes();
    for (int64_t n = 1;; n++) {
        qv_error err;
        base_alloc_fail_after(n);
        arrow_field *item = NULL;
        arrow_type *list = NULL;
        arrow_array *array = NULL;
        qv_status status = arrow_field_new("item", arrow_type_primitive(QV_TYPE_INT64), true,
                                           NULL, &item, &err);
        if (status == QV_OK)
            status = arrow_type_list(QV_TYPE_LIST, item, &list, &err);
        if (status == QV_OK)
            status = arrow_array_new_null(list, 10, &array, &err);
        bool triggered = base_alloc_fail_triggered();
        base_alloc_fail_after(0);
        CHECK(status == QV_OK || status == QV_NOMEM);
        arrow_array_release(array);
        arrow_type_release(list);
        arrow_field_release(item);
        CHECK_INT_EQ(base_alloc_thread_bytes(), start);
        if (!triggered)
            break;
    }
}

typedef struct null_count_race {
    arrow_array *array;
    atomic_int arrived; /* relaxed: must not order the two calls for TSan */
} null_count_race;

static qv_status count_nulls_together(void *arg, qv_error *err)
{
    (void)err;
    null_count_race *race = arg;
    atomic_fetch_add_explicit(&race->arrived, 1, memory_order_relaxed);
    while (atomic_load_explicit(&race->arrived, memory_order_relaxed) < 2)
        ;
    return arrow_array_null_count(race->array) == 2 ? QV_OK : QV_ERROR;
}

/* Arrays are shared between threads; caching the null count must not race.
 * The two calls meet without synchronising, so the TSan preset reports the
 * race this guards against. */
TEST(core_null_count_cache_is_thread_safe)
{
    qv_error err;
    base_thread_pool *pool;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    for (int round = 0; round < 20; round++) {
        null_count_race race = {make_int32_with_nulls(), 0};
        CHECK(race.array != NULL);
        base_task_group *group;
        CHECK_OK(base_task_group_new(pool, &group, &err));
        for (int i = 0; i < 2; i++)
            CHECK_OK(base_task_group_submit(group, count_nulls_together, &race, &err));
        CHECK_OK(base_task_group_wait(group, &err));
        base_task_group_free(group);
        arrow_array_release(race.array);
    }
    base_thread_pool_free(pool);
}
