/*
 * base.h — the services every layer of Quiver stands on (layer: base).
 *
 * Status and error helpers, the one counting allocator, arenas, a growable
 * string builder, hashing (XXH3) and the thread pool. Nothing here knows about
 * Arrow, SQL or sessions.
 */
#ifndef QV_BASE_H
#define QV_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quiver.h"

/* ---- status and errors (error.c) ---- */

/* Propagates a non-OK status from expr to the caller. */
#define QV_TRY(expr)                                                                       \
    do {                                                                                   \
        qv_status qv_try_status_ = (expr);                                                 \
        if (qv_try_status_ != QV_OK)                                                       \
            return qv_try_status_;                                                         \
    } while (0)

/* Invariants no input can break. Never use for conditions bad input can reach. */
#ifdef NDEBUG
#define QV_ASSERT(cond) ((void)0)
#else
#define QV_ASSERT(cond) ((cond) ? (void)0 : base_assert_fail(#cond, __FILE__, __LINE__))
#endif
_Noreturn void base_assert_fail(const char *cond, const char *file, int line);

/* Sets err (when not NULL) to code with a printf-style message, and returns
 * code so that callers can write `return base_error_set(err, QV_INVALID, ...)`.
 * The SQLSTATE is the code's own. Position and hint are cleared. */
qv_status base_error_set(qv_error *err, qv_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
qv_status base_error_setv(qv_error *err, qv_status code, const char *fmt, va_list args)
    __attribute__((format(printf, 3, 0)));

/* Reports an allocation failure of `what` (a short noun such as "array buffer"). */
qv_status base_error_nomem(qv_error *err, const char *what);

/* Adds a 1-based SQL position / a hint to an error already set. NULL err is a no-op. */
void base_error_set_position(qv_error *err, int32_t line, int32_t column);
void base_error_set_hint(qv_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the counting allocator (alloc.c) ----
 * All memory of the engine goes through these. Counted per thread (bytes live,
 * allocations made) and globally; a test hook fails the N-th allocation of the
 * calling thread. Returns NULL on failure; never aborts. base_free(NULL) is a
 * no-op. Alignment: 16 bytes, or 64 with base_alloc_aligned (buffers). */
void *base_alloc(size_t size);
void *base_calloc(size_t count, size_t size);
void *base_realloc(void *ptr, size_t size);
void base_free(void *ptr);
void *base_alloc_aligned(size_t size);   /* 64-byte aligned; free with base_free_aligned */
void *base_realloc_aligned(void *ptr, size_t old_size, size_t new_size);
void base_free_aligned(void *ptr);
char *base_strdup(const char *s);              /* NULL in, NULL out */
char *base_strndup(const char *s, size_t len); /* always NUL-terminated */

/* Bytes currently allocated, by the calling thread (may be negative when
 * memory moves between threads) and by the whole process. */
int64_t base_alloc_thread_bytes(void);
int64_t base_alloc_total_bytes(void);
/* Allocations made by the calling thread since it started. */
int64_t base_alloc_thread_count(void);

/* Test hook: the n-th allocation (1-based) made by the calling thread from now
 * on fails, and so do all later ones until the hook is reset with 0. */
void base_alloc_fail_after(int64_t n);
/* True when the hook has made at least one allocation fail since it was set. */
bool base_alloc_fail_triggered(void);

/* ---- arenas (arena.c) ----
 * Bump allocation for memory that dies together (a query, a parse). Blocks
 * grow geometrically; base_arena_free releases everything at once. */
typedef struct base_arena base_arena;
base_arena *base_arena_new(size_t first_block_size);
void base_arena_free(base_arena *arena);
void *base_arena_alloc(base_arena *arena, size_t size);  /* 16-byte aligned, NULL on failure */
void *base_arena_calloc(base_arena *arena, size_t size);
char *base_arena_strndup(base_arena *arena, const char *s, size_t len);
size_t base_arena_bytes_used(const base_arena *arena);
/* Frees all blocks but the first and rewinds; pointers handed out become invalid. */
void base_arena_reset(base_arena *arena);

/* ---- string builder (strbuf.c) ----
 * A growable NUL-terminated byte string. Once an append fails, the builder is
 * in a failed state: later appends do nothing and base_strbuf_failed is true,
 * so a long chain of appends checks once at the end. */
typedef struct base_strbuf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} base_strbuf;

void base_strbuf_init(base_strbuf *sb);
void base_strbuf_free(base_strbuf *sb);
void base_strbuf_clear(base_strbuf *sb); /* len = 0, keeps capacity and clears failure */
bool base_strbuf_reserve(base_strbuf *sb, size_t extra);
void base_strbuf_append(base_strbuf *sb, const char *data, size_t len);
void base_strbuf_append_str(base_strbuf *sb, const char *s);
void base_strbuf_append_char(base_strbuf *sb, char c);
void base_strbuf_appendf(base_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void base_strbuf_appendv(base_strbuf *sb, const char *fmt, va_list args)
    __attribute__((format(printf, 2, 0)));
static inline bool base_strbuf_failed(const base_strbuf *sb) { return sb->failed; }
/* Hands the buffer to the caller (free with base_free); the builder is reset.
 * Returns NULL if the builder failed (and frees what it had). */
char *base_strbuf_take(base_strbuf *sb);
/* The content as a C string ("" when empty); valid until the next append. */
const char *base_strbuf_cstr(const base_strbuf *sb);

/* ---- hashing (hash.c): XXH3 from libxxhash ---- */
uint64_t base_hash_bytes(const void *data, size_t len, uint64_t seed);
uint64_t base_hash_u64(uint64_t value, uint64_t seed);
/* Combines two hashes into one, order-sensitive. */
uint64_t base_hash_combine(uint64_t a, uint64_t b);

/* ---- thread pool (threadpool.c) ----
 * A fixed set of pthread workers fed from one FIFO queue. Work is submitted to
 * a task group; base_task_group_wait blocks until every task of the group has
 * run (the waiting thread helps by running queued tasks, so waiting from a
 * worker cannot deadlock). Cancelling a group makes its not-yet-started tasks
 * skip their body; the group's status is the first non-OK status returned. */
typedef struct base_thread_pool base_thread_pool;
typedef struct base_task_group base_task_group;
typedef qv_status (*base_task_fn)(void *arg, qv_error *err);

/* n_threads <= 0 means one per online CPU. */
qv_status base_thread_pool_new(int n_threads, base_thread_pool **out, qv_error *err);
/* Waits for queued work to finish, then joins the workers. NULL is a no-op. */
void base_thread_pool_free(base_thread_pool *pool);
int base_thread_pool_size(const base_thread_pool *pool);
int base_cpu_count(void);

qv_status base_task_group_new(base_thread_pool *pool, base_task_group **out, qv_error *err);
/* Queues fn(arg). Fails only when memory runs out (then fn is not run). */
qv_status base_task_group_submit(base_task_group *group, base_task_fn fn, void *arg, qv_error *err);
/* Makes tasks that have not started yet skip; running tasks finish. */
void base_task_group_cancel(base_task_group *group);
bool base_task_group_cancelled(const base_task_group *group);
/* Waits for every submitted task. Returns QV_OK, the first failing task's
 * status (with its error copied into err), or QV_CANCELLED. */
qv_status base_task_group_wait(base_task_group *group, qv_error *err);
/* Waits, then frees. NULL is a no-op. */
void base_task_group_free(base_task_group *group);


/* ---- memory pool (mempool.c) ----
 * The runtime-wide pool that buffering operators reserve from. Thread-safe.
 * A reservation belongs to one consumer (an operator instance) and is used by
 * one thread at a time. */
typedef struct base_mem_pool base_mem_pool;
typedef struct base_mem_reservation base_mem_reservation;

/* limit <= 0 means unbounded. */
qv_status base_mem_pool_new(int64_t limit, base_mem_pool **out, qv_error *err);
/* Every reservation must have been freed. NULL is a no-op. */
void base_mem_pool_free(base_mem_pool *pool);
int64_t base_mem_pool_limit(const base_mem_pool *pool); /* 0 when unbounded */
int64_t base_mem_pool_used(const base_mem_pool *pool);

/* consumer names the operator in error messages (copied, cut at 63 bytes). */
qv_status base_mem_reservation_new(base_mem_pool *pool, const char *consumer,
                                   base_mem_reservation **out, qv_error *err);
/* Returns the reservation's bytes to the pool. NULL is a no-op. */
void base_mem_reservation_free(base_mem_reservation *reservation);
int64_t base_mem_reservation_size(const base_mem_reservation *reservation);
/* Grows unconditionally (for memory already allocated; may pass the limit). */
void base_mem_reservation_grow(base_mem_reservation *reservation, int64_t bytes);
/* Grows if the pool has room, else QV_RESOURCES_EXHAUSTED (SQLSTATE 53200)
 * with a message naming the consumer, the request and the limit. */
qv_status base_mem_reservation_try_grow(base_mem_reservation *reservation, int64_t bytes,
                                        qv_error *err);
/* Gives back bytes (at most the reservation's size). */
void base_mem_reservation_shrink(base_mem_reservation *reservation, int64_t bytes);
/* Grows (with try_grow) or shrinks to new_size. */
qv_status base_mem_reservation_resize(base_mem_reservation *reservation, int64_t new_size,
                                      qv_error *err);

#endif /* QV_BASE_H */
