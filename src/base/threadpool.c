/*
 * threadpool.c — pthread workers and task groups (layer: base).
 *
 * One FIFO queue guarded by one mutex: partitions are coarse (a task runs a
 * whole partition or morsel), so the queue is never the bottleneck. A thread
 * waiting on a group runs queued tasks itself, so nested waits from workers
 * make progress instead of deadlocking.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

typedef struct task {
    struct task *next;
    base_task_group *group;
    base_task_fn fn;
    void *arg;
} task;

struct base_thread_pool {
    pthread_mutex_t lock;
    pthread_cond_t work_ready;
    task *head;
    task *tail;
    bool stopping;
    int n_threads;
    pthread_t *threads;
};

struct base_task_group {
    base_thread_pool *pool;
    pthread_cond_t done; /* signalled under pool->lock when pending reaches 0 */
    int64_t pending;     /* guarded by pool->lock */
    atomic_bool cancelled;
    qv_status status;    /* first failure; guarded by pool->lock */
    qv_error error;
};

int base_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int)n;
}

/* Runs one task outside the lock and records its outcome. */
static void run_task(base_thread_pool *pool, task *t)
{
    base_task_group *group = t->group;
    qv_status status = QV_OK;
    qv_error err;
    qv_error_clear(&err);
    if (!atomic_load(&group->cancelled))
        status = t->fn(t->arg, &err);
    base_free(t);

    pthread_mutex_lock(&pool->lock);
    if (status != QV_OK && group->status == QV_OK) {
        group->status = status;
        group->error = err;
    }
    if (--group->pending == 0)
        pthread_cond_broadcast(&group->done);
    pthread_mutex_unlock(&pool->lock);
}

static task *pop_task_locked(base_thread_pool *pool)
{
    task *t = pool->head;
    if (t != NULL) {
        pool->head = t->next;
        if (pool->head == NULL)
            pool->tail = NULL;
    }
    return t;
}

static void *worker_main(void *arg)
{
    base_thread_pool *pool = arg;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        task *t = pop_task_locked(pool);
        if (t == NULL) {
            if (pool->stopping)
                break;
            pthread_cond_wait(&pool->work_ready, &pool->lock);
            continue;
        }
        pthread_mutex_unlock(&pool->lock);
        run_task(pool, t);
        pthread_mutex_lock(&pool->lock);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

qv_status base_thread_pool_new(int n_threads, base_thread_pool **out, qv_error *err)
{
    *out = NULL;
    if (n_threads <= 0)
        n_threads = base_cpu_count();
    base_thread_pool *pool = base_calloc(1, sizeof *pool);
    if (pool == NULL)
        return base_error_nomem(err, "thread pool");
    pool->threads = base_calloc((size_t)n_threads, sizeof(pthread_t));
    if (pool->threads == NULL) {
        base_free(pool);
        return base_error_nomem(err, "thread pool");
    }
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work_ready, NULL);
    for (int i = 0; i < n_threads; i++) {
        if (pthread_create(&pool->threads[i], NULL, worker_main, pool) != 0) {
            pool->n_threads = i;
            base_thread_pool_free(pool);
            return base_error_set(err, QV_RESOURCES_EXHAUSTED,
                                  "could not start thread %d of the thread pool", i + 1);
        }
    }
    pool->n_threads = n_threads;
    *out = pool;
    return QV_OK;
}

void base_thread_pool_free(base_thread_pool *pool)
{
    if (pool == NULL)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stopping = true;
    pthread_cond_broadcast(&pool->work_ready);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->n_threads; i++)
        pthread_join(pool->threads[i], NULL);
    /* Workers drain the queue before they stop, so nothing is left here. */
    pthread_cond_destroy(&pool->work_ready);
    pthread_mutex_destroy(&pool->lock);
    base_free(pool->threads);
    base_free(pool);
}

int base_thread_pool_size(const base_thread_pool *pool) { return pool->n_threads; }

qv_status base_task_group_new(base_thread_pool *pool, base_task_group **out, qv_error *err)
{
    *out = NULL;
    base_task_group *group = base_calloc(1, sizeof *group);
    if (group == NULL)
        return base_error_nomem(err, "task group");
    group->pool = pool;
    pthread_cond_init(&group->done, NULL);
    atomic_init(&group->cancelled, false);
    group->status = QV_OK;
    qv_error_clear(&group->error);
    *out = group;
    return QV_OK;
}

qv_status base_task_group_submit(base_task_group *group, base_task_fn fn, void *arg, qv_error *err)
{
    task *t = base_alloc(sizeof *t);
    if (t == NULL)
        return base_error_nomem(err, "task");
    t->next = NULL;
    t->group = group;
    t->fn = fn;
    t->arg = arg;
    base_thread_pool *pool = group->pool;
    pthread_mutex_lock(&pool->lock);
    group->pending++;
    if (pool->tail == NULL)
        pool->head = t;
    else
        pool->tail->next = t;
    pool->tail = t;
    pthread_cond_signal(&pool->work_ready);
    pthread_mutex_unlock(&pool->lock);
    return QV_OK;
}

void base_task_group_cancel(base_task_group *group) { atomic_store(&group->cancelled, true); }

bool base_task_group_cancelled(const base_task_group *group)
{
    return atomic_load(&((base_task_group *)group)->cancelled);
}

qv_status base_task_group_wait(base_task_group *group, qv_error *err)
{
    base_thread_pool *pool = group->pool;
    pthread_mutex_lock(&pool->lock);
    while (group->pending > 0) {
        /* Help: run any queued task (of any group) rather than sleep. */
        task *t = pop_task_locked(pool);
        if (t != NULL) {
            pthread_mutex_unlock(&pool->lock);
            run_task(pool, t);
            pthread_mutex_lock(&pool->lock);
            continue;
        }
        pthread_cond_wait(&group->done, &pool->lock);
    }
    qv_status status = group->status;
    if (status != QV_OK && err != NULL)
        *err = group->error;
    pthread_mutex_unlock(&pool->lock);
    if (status == QV_OK && atomic_load(&group->cancelled))
        return base_error_set(err, QV_CANCELLED, "the work was cancelled");
    return status;
}

void base_task_group_free(base_task_group *group)
{
    if (group == NULL)
        return;
    base_task_group_wait(group, NULL);
    pthread_cond_destroy(&group->done);
    base_free(group);
}
