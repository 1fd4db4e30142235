/*
 * test_mempool.c — the runtime memory pool: limits, 53200 errors naming the
 * consumer, shrink/free accounting, and concurrent reservations.
 */
#include <stdio.h>

#include "test.h"

TEST(mempool_try_grow_stops_at_limit)
{
    qv_error err;
    base_mem_pool *pool;
    CHECK_OK(base_mem_pool_new(1000, &pool, &err));
    base_mem_reservation *sort, *agg;
    CHECK_OK(base_mem_reservation_new(pool, "ExternalSorter[0]", &sort, &err));
    CHECK_OK(base_mem_reservation_new(pool, "GroupedHashAggregate[1]", &agg, &err));
    CHECK_OK(base_mem_reservation_try_grow(sort, 600, &err));
    CHECK_STATUS(base_mem_reservation_try_grow(agg, 500, &err), QV_RESOURCES_EXHAUSTED);
    CHECK_STR_EQ(err.sqlstate, "53200");
    CHECK(strstr(err.message, "GroupedHashAggregate[1]") != NULL);
    CHECK(strstr(err.message, "1000 bytes") != NULL);
    CHECK(strstr(err.message, "400 bytes remain") != NULL);
    CHECK_INT_EQ(base_mem_reservation_size(agg), 0);
    CHECK_OK(base_mem_reservation_try_grow(agg, 400, &err));
    CHECK_INT_EQ(base_mem_pool_used(pool), 1000);
    base_mem_reservation_shrink(sort, 100);
    CHECK_OK(base_mem_reservation_resize(sort, 100, &err));
    CHECK_INT_EQ(base_mem_pool_used(pool), 500);
    base_mem_reservation_free(sort);
    base_mem_reservation_free(agg);
    CHECK_INT_EQ(base_mem_pool_used(pool), 0);
    base_mem_pool_free(pool);
}

TEST(mempool_unbounded_and_forced_growth)
{
    qv_error err;
    base_mem_pool *pool;
    CHECK_OK(base_mem_pool_new(0, &pool, &err));
    CHECK_INT_EQ(base_mem_pool_limit(pool), 0);
    base_mem_reservation *r;
    CHECK_OK(base_mem_reservation_new(pool, "x", &r, &err));
    CHECK_OK(base_mem_reservation_try_grow(r, INT64_MAX / 2, &err));
    CHECK_STATUS(base_mem_reservation_try_grow(r, -1, &err), QV_MISUSE);
    base_mem_reservation_free(r);
    base_mem_pool_free(pool);

    CHECK_OK(base_mem_pool_new(10, &pool, &err));
    CHECK_OK(base_mem_reservation_new(pool, "y", &r, &err));
    base_mem_reservation_grow(r, 50);
    CHECK_INT_EQ(base_mem_pool_used(pool), 50);
    CHECK_STATUS(base_mem_reservation_try_grow(r, 1, &err), QV_RESOURCES_EXHAUSTED);
    base_mem_reservation_free(r);
    base_mem_pool_free(pool);
}

typedef struct grow_job {
    base_mem_pool *pool;
    base_mem_reservation *reservation;
    int64_t granted;
} grow_job;

static qv_status grow_in_steps(void *arg, qv_error *err)
{
    grow_job *job = arg;
    QV_TRY(base_mem_reservation_new(job->pool, "worker", &job->reservation, err));
    for (int i = 0; i < 1000; i++) {
        if (base_mem_reservation_try_grow(job->reservation, 7, NULL) == QV_OK)
            job->granted += 7;
    }
    return QV_OK;
}

TEST(mempool_concurrent_reservations_respect_limit)
{
    qv_error err;
    base_mem_pool *pool;
    CHECK_OK(base_mem_pool_new(7 * 1500, &pool, &err));
    base_thread_pool *threads;
    CHECK_OK(base_thread_pool_new(4, &threads, &err));
    base_task_group *group;
    CHECK_OK(base_task_group_new(threads, &group, &err));
    grow_job jobs[4] = {{pool, NULL, 0}, {pool, NULL, 0}, {pool, NULL, 0}, {pool, NULL, 0}};
    for (int i = 0; i < 4; i++)
        CHECK_OK(base_task_group_submit(group, grow_in_steps, &jobs[i], &err));
    CHECK_OK(base_task_group_wait(group, &err));
    base_task_group_free(group);
    base_thread_pool_free(threads);
    /* 4000 requests of 7 bytes against room for 1500: exactly the limit is granted. */
    int64_t granted = 0;
    for (int i = 0; i < 4; i++) {
        CHECK_INT_EQ(base_mem_reservation_size(jobs[i].reservation), jobs[i].granted);
        granted += jobs[i].granted;
    }
    CHECK_INT_EQ(granted, 7 * 1500);
    CHECK_INT_EQ(base_mem_pool_used(pool), 7 * 1500);
    for (int i = 0; i < 4; i++)
        base_mem_reservation_free(jobs[i].reservation);
    CHECK_INT_EQ(base_mem_pool_used(pool), 0);
    base_mem_pool_free(pool);
}
