/*
 * test_threadpool.c — the thread pool: all tasks run, failures propagate,
 * cancellation skips queued work, nested waits from workers do not deadlock.
 */
#include <stdatomic.h>

#include "test.h"

static atomic_int counter;

static qv_status add_one(void *arg, qv_error *err)
{
    (void)arg;
    (void)err;
    atomic_fetch_add(&counter, 1);
    return QV_OK;
}

static qv_status fail_on_seven(void *arg, qv_error *err)
{
    if ((intptr_t)arg == 7)
        return base_error_set(err, QV_EXECUTION, "task %d failed", 7);
    return QV_OK;
}

TEST(threadpool_runs_every_task)
{
    qv_error err;
    base_thread_pool *pool;
    CHECK_OK(base_thread_pool_new(3, &pool, &err));
    CHECK_INT_EQ(base_thread_pool_size(pool), 3);
    base_task_group *group;
    CHECK_OK(base_task_group_new(pool, &group, &err));
    atomic_store(&counter, 0);
    for (int i = 0; i < 1000; i++)
        CHECK_OK(base_task_group_submit(group, add_one, NULL, &err));
    CHECK_OK(base_task_group_wait(group, &err));
    CHECK_INT_EQ(atomic_load(&counter), 1000);
    base_task_group_free(group);
    base_thread_pool_free(pool);
}

TEST(threadpool_reports_first_failure)
{
    qv_error err;
    base_thread_pool *pool;
    CHECK_OK(base_thread_pool_new(2, &pool, &err));
    base_task_group *group;
    CHECK_OK(base_task_group_new(pool, &group, &err));
    for (intptr_t i = 0; i < 20; i++)
        CHECK_OK(base_task_group_submit(group, fail_on_seven, (void *)i, &err));
    CHECK_STATUS(base_task_group_wait(group, &err), QV_EXECUTION);
    CHECK_STR_EQ(err.message, "task 7 failed");
    base_task_group_free(group);
    base_thread_pool_free(pool);
}

TEST(threadpool_cancel_skips_queued_tasks)
{
    qv_error err;
    base_thread_pool *pool;
    CHECK_OK(base_thread_pool_new(1, &pool, &err));
    base_task_group *group;
    CHECK_OK(base_task_group_new(pool, &group, &err));
    base_task_group_cancel(group);
    atomic_store(&counter, 0);
    for (int i = 0; i < 50; i++)
        CHECK_OK(base_task_group_submit(group, add_one, NULL, &err));
    CHECK_STATUS(base_task_group_wait(group, &err), QV_CANCELLED);
    CHECK_INT_EQ(atomic_load(&counter), 0);
    base_task_group_free(group);
    base_thread_pool_free(pool);
}

typedef struct nested_arg {
    base_thread_pool *pool;
} nested_arg;

static qv_status spawn_and_wait(void *arg, qv_error *err)
{
    nested_arg *nested = arg;
    base_task_group *inner;
    QV_TRY(base_task_group_new(nested->pool, &inner, err));
    for (int i = 0; i < 10; i++) {
        qv_status status = base_task_group_submit(inner, add_one, NULL, err);
        if (status != QV_OK) {
            base_task_group_free(inner);
            return status;
        }
    }
    qv_status status = base_task_group_wait(inner, err);
    base_task_group_free(inner);
    return status;
}

TEST(threadpool_nested_wait_does_not_deadlock)
{
    qv_error err;
    base_thread_pool *pool;
    CHECK_OK(base_thread_pool_new(1, &pool, &err));
    nested_arg arg = {pool};
    base_task_group *outer;
    CHECK_OK(base_task_group_new(pool, &outer, &err));
    atomic_store(&counter, 0);
    for (int i = 0; i < 4; i++)
        CHECK_OK(base_task_group_submit(outer, spawn_and_wait, &arg, &err));
    CHECK_OK(base_task_group_wait(outer, &err));
    CHECK_INT_EQ(atomic_load(&counter), 40);
    base_task_group_free(outer);
    base_thread_pool_free(pool);
}
