/*
 * mempool.c — the runtime-wide memory pool and its reservations (layer: base).
 *
 * Operators that buffer data (hash build, aggregate, sort, window) hold a
 * reservation and grow it before they allocate. try_grow past the pool's
 * limit fails with RESOURCES_EXHAUSTED (SQLSTATE 53200) naming the consumer
 * and the limit, so the operator can spill or give up cleanly (DataFusion's
 * MemoryPool / MemoryReservation). Lock-free: one atomic counter.
 */
#include <stdatomic.h>
#include <string.h>

#include "base.h"

struct base_mem_pool {
    int64_t limit; /* bytes; INT64_MAX when unbounded */
    _Atomic int64_t used;
    _Atomic int64_t n_reservations;
};

struct base_mem_reservation {
    base_mem_pool *pool;
    int64_t size;
    char consumer[64];
};

qv_status base_mem_pool_new(int64_t limit, base_mem_pool **out, qv_error *err)
{
    *out = base_alloc(sizeof **out);
    if (*out == NULL)
        return base_error_nomem(err, "memory pool");
    (*out)->limit = limit > 0 ? limit : INT64_MAX;
    atomic_init(&(*out)->used, 0);
    atomic_init(&(*out)->n_reservations, 0);
    return QV_OK;
}

void base_mem_pool_free(base_mem_pool *pool)
{
    if (pool == NULL)
        return;
    QV_ASSERT(atomic_load(&pool->n_reservations) == 0);
    base_free(pool);
}

int64_t base_mem_pool_limit(const base_mem_pool *pool)
{
    return pool->limit == INT64_MAX ? 0 : pool->limit;
}

int64_t base_mem_pool_used(const base_mem_pool *pool)
{
    return atomic_load_explicit(&((base_mem_pool *)pool)->used, memory_order_relaxed);
}

qv_status base_mem_reservation_new(base_mem_pool *pool, const char *consumer,
                                   base_mem_reservation **out, qv_error *err)
{
    *out = NULL;
    if (pool == NULL || consumer == NULL)
        return base_error_set(err, QV_MISUSE, "a reservation needs a pool and a consumer name");
    base_mem_reservation *reservation = base_alloc(sizeof *reservation);
    if (reservation == NULL)
        return base_error_nomem(err, "memory reservation");
    reservation->pool = pool;
    reservation->size = 0;
    size_t len = strlen(consumer);
    if (len >= sizeof reservation->consumer)
        len = sizeof reservation->consumer - 1;
    memcpy(reservation->consumer, consumer, len);
    reservation->consumer[len] = '\0';
    atomic_fetch_add(&pool->n_reservations, 1);
    *out = reservation;
    return QV_OK;
}

void base_mem_reservation_free(base_mem_reservation *reservation)
{
    if (reservation == NULL)
        return;
    base_mem_reservation_shrink(reservation, reservation->size);
    atomic_fetch_sub(&reservation->pool->n_reservations, 1);
    base_free(reservation);
}

int64_t base_mem_reservation_size(const base_mem_reservation *reservation)
{
    return reservation->size;
}

void base_mem_reservation_grow(base_mem_reservation *reservation, int64_t bytes)
{
    QV_ASSERT(bytes >= 0);
    atomic_fetch_add_explicit(&reservation->pool->used, bytes, memory_order_relaxed);
    reservation->size += bytes;
}

qv_status base_mem_reservation_try_grow(base_mem_reservation *reservation, int64_t bytes,
                                        qv_error *err)
{
    if (bytes < 0)
        return base_error_set(err, QV_MISUSE, "cannot grow a reservation by a negative amount");
    base_mem_pool *pool = reservation->pool;
    int64_t used = atomic_load_explicit(&pool->used, memory_order_relaxed);
    for (;;) {
        if (bytes > pool->limit - used) {
            int64_t available = pool->limit - used > 0 ? pool->limit - used : 0;
            return base_error_set(err, QV_RESOURCES_EXHAUSTED,
                                  "Resources exhausted: Failed to allocate additional %lld bytes "
                                  "for %s with %lld bytes already allocated for this reservation "
                                  "- %lld bytes remain available for the total pool of %lld bytes",
                                  (long long)bytes, reservation->consumer,
                                  (long long)reservation->size, (long long)available,
                                  (long long)pool->limit);
        }
        if (atomic_compare_exchange_weak_explicit(&pool->used, &used, used + bytes,
                                                  memory_order_relaxed, memory_order_relaxed))
            break;
    }
    reservation->size += bytes;
    return QV_OK;
}

void base_mem_reservation_shrink(base_mem_reservation *reservation, int64_t bytes)
{
    QV_ASSERT(bytes >= 0 && bytes <= reservation->size);
    atomic_fetch_sub_explicit(&reservation->pool->used, bytes, memory_order_relaxed);
    reservation->size -= bytes;
}

qv_status base_mem_reservation_resize(base_mem_reservation *reservation, int64_t new_size,
                                      qv_error *err)
{
    if (new_size < 0)
        return base_error_set(err, QV_MISUSE, "a reservation cannot have a negative size");
    if (new_size > reservation->size)
        return base_mem_reservation_try_grow(reservation, new_size - reservation->size, err);
    base_mem_reservation_shrink(reservation, reservation->size - new_size);
    return QV_OK;
}
