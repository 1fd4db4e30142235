/*
 * test_spill.c — spill files: batches of every test type (sliced, with
 * nulls) written and read back equal and validated, in order, NULL at the
 * end; byte counts; the disk budget (a write past the limit fails, freed
 * files give their bytes back); misuse and I/O errors; nothing leaks.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sort_test_util.h"
#include "test.h"

static const exec_disk_budget unlimited = {NULL, -1};

static arrow_schema *one_column_schema(arrow_type *type)
{
    qv_error err;
    arrow_field *fields[2];
    arrow_field_new("v", type, true, NULL, &fields[0], &err);
    arrow_field_new("n", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &fields[1], &err);
    arrow_schema *schema;
    arrow_schema_new(2, fields, NULL, &schema, &err);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return schema;
}

TEST(spill_round_trip_every_type)
{
    qv_error err;
    t_warm_caches();
    int64_t bytes_before = base_alloc_thread_bytes();
    arrow_type **types;
    const char **names;
    int n_types = t_types(&types, &names);
    char dir[] = "/tmp/qv-spill-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    for (int t = 0; t < n_types; t++) {
        uint64_t rng = 77 + (uint64_t)t;
        arrow_schema *schema = one_column_schema(types[t]);
        arrow_batch *written[3];
        for (int b = 0; b < 3; b++) {
            int64_t n = b == 2 ? 0 : 40;
            arrow_array *cols[2] = {
                t_random_array(types[t], n, 4, &rng),
                t_random_array(arrow_type_primitive(QV_TYPE_INT64), n, 3, &rng)};
            arrow_batch *batch;
            CHECK_OK(arrow_batch_new(schema, n, cols, &batch, &err));
            arrow_array_release(cols[0]);
            arrow_array_release(cols[1]);
            if (b == 1) {
                arrow_batch *sliced;
                CHECK_OK(arrow_batch_slice(batch, 5, 30, &sliced, &err));
                arrow_batch_release(batch);
                batch = sliced;
            }
            written[b] = batch;
        }
        exec_spill_file *file;
        CHECK_OK(exec_spill_create(dir, unlimited, schema, &file, &err));
        for (int b = 0; b < 3; b++)
            CHECK_OK(exec_spill_write(file, written[b], &err));
        CHECK(exec_spill_bytes(file) > 0);
        arrow_batch *read = NULL;
        CHECK_STATUS(exec_spill_read(file, &read, &err), QV_MISUSE);
        CHECK_OK(exec_spill_finish(file, &err));
        CHECK_STATUS(exec_spill_write(file, written[0], &err), QV_MISUSE);
        for (int b = 0; b < 3; b++) {
            CHECK_OK(exec_spill_read(file, &read, &err));
            CHECK(read != NULL);
            CHECK_INT_EQ(read->n_rows, written[b]->n_rows);
            for (int32_t c = 0; c < 2; c++) {
                CHECK(read->columns[c]->offset == 0);
                for (int64_t i = 0; i < read->n_rows; i++) {
                    if (!t_same(read->columns[c], i, written[b]->columns[c], i)) {
                        test_fail(__FILE__, __LINE__, "type %s batch %d row %lld", names[t], b,
                                  (long long)i);
                        return;
                    }
                }
            }
            arrow_batch_release(read);
        }
        CHECK_OK(exec_spill_read(file, &read, &err));
        CHECK(read == NULL);
        CHECK_OK(exec_spill_read(file, &read, &err));
        CHECK(read == NULL);
        exec_spill_free(file);
        for (int b = 0; b < 3; b++)
            arrow_batch_release(written[b]);
        arrow_schema_release(schema);
    }
    t_types_free(n_types, types);
    CHECK_INT_EQ(base_alloc_thread_bytes(), bytes_before);
    CHECK_INT_EQ(rmdir(dir), 0); /* the files were unlinked at creation */
}

TEST(spill_errors)
{
    qv_error err;
    arrow_schema *schema = one_column_schema(arrow_type_primitive(QV_TYPE_INT32));
    exec_spill_file *file = NULL;
    CHECK_STATUS(exec_spill_create("/nonexistent/quiver/dir", unlimited, schema, &file, &err),
                 QV_IO);
    CHECK(file == NULL);
    CHECK(strstr(err.message, "No such file") != NULL);
    CHECK_STR_EQ(err.sqlstate, "58030");
    CHECK_STATUS(exec_spill_create(NULL, unlimited, schema, &file, &err), QV_MISUSE);
    exec_spill_free(NULL);
    CHECK_INT_EQ(exec_spill_bytes(NULL), 0);
    arrow_schema_release(schema);
}

TEST(spill_disk_budget_counts_and_refuses)
{
    qv_error err;
    arrow_schema *schema = one_column_schema(arrow_type_primitive(QV_TYPE_INT64));
    uint64_t rng = 5;
    arrow_array *cols[2] = {t_random_array(arrow_type_primitive(QV_TYPE_INT64), 1000, 3, &rng),
                            t_random_array(arrow_type_primitive(QV_TYPE_INT64), 1000, 3, &rng)};
    arrow_batch *batch;
    CHECK_OK(arrow_batch_new(schema, 1000, cols, &batch, &err));
    arrow_array_release(cols[0]);
    arrow_array_release(cols[1]);
    _Atomic int64_t used = 0;
    exec_disk_budget disk = {&used, 1 << 20};
    exec_spill_file *a = NULL, *b = NULL;
    CHECK_OK(exec_spill_create("/tmp", disk, schema, &a, &err));
    CHECK_OK(exec_spill_write(a, batch, &err));
    int64_t one = exec_spill_bytes(a);
    CHECK(one > 0 && atomic_load(&used) == one);
    /* a second file shares the budget: writes fail once it is spent */
    CHECK_OK(exec_spill_create("/tmp", disk, schema, &b, &err));
    qv_status st = QV_OK;
    for (int i = 0; i < 1000 && st == QV_OK; i++)
        st = exec_spill_write(b, batch, &err);
    CHECK_STATUS(st, QV_RESOURCES_EXHAUSTED);
    CHECK(strstr(err.message, "Resources exhausted: The used disk space during the spilling "
                              "process has exceeded the allowable limit of 1024.0 KB.") != NULL);
    CHECK(atomic_load(&used) <= 1 << 20);
    CHECK(atomic_load(&used) == exec_spill_bytes(a) + exec_spill_bytes(b));
    exec_spill_free(b);
    CHECK(atomic_load(&used) == one);
    exec_spill_free(a);
    CHECK(atomic_load(&used) == 0);
    arrow_batch_release(batch);
    arrow_schema_release(schema);
}
