/*
 * alloc.c — the one allocator of Quiver (layer: base).
 *
 * Every allocation carries a small header with its size so that frees can be
 * counted. Counters are per thread (cheap, no contention) plus one relaxed
 * atomic total for the process. A per-thread hook fails the N-th allocation,
 * which the out-of-memory test loops use (SQLite's OOM testing, Redis zmalloc).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

/* 16 bytes keeps malloc's alignment for the payload. */
#define HEADER_SIZE 16
#define ALIGNED_HEADER_SIZE 64

static _Thread_local int64_t thread_bytes;
static _Thread_local int64_t thread_count;
static _Thread_local int64_t fail_countdown; /* 0: hook off */
static _Thread_local bool fail_triggered;
static _Atomic int64_t total_bytes;

static bool should_fail(void)
{
    if (fail_countdown == 0)
        return false;
    if (fail_countdown > 1) {
        fail_countdown--;
        return false;
    }
    fail_triggered = true;
    return true; /* stays at 1: every later allocation fails too */
}

static void count(int64_t delta)
{
    thread_bytes += delta;
    if (delta > 0)
        thread_count++;
    atomic_fetch_add_explicit(&total_bytes, delta, memory_order_relaxed);
}

void *base_alloc(size_t size)
{
    if (size > SIZE_MAX - HEADER_SIZE || should_fail())
        return NULL;
    unsigned char *block = malloc(size + HEADER_SIZE);
    if (block == NULL)
        return NULL;
    memcpy(block, &size, sizeof size);
    count((int64_t)size);
    return block + HEADER_SIZE;
}

void *base_calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = base_alloc(n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void *base_realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return base_alloc(size);
    if (size > SIZE_MAX - HEADER_SIZE || should_fail())
        return NULL;
    unsigned char *block = (unsigned char *)ptr - HEADER_SIZE;
    size_t old_size;
    memcpy(&old_size, block, sizeof old_size);
    unsigned char *grown = realloc(block, size + HEADER_SIZE);
    if (grown == NULL)
        return NULL;
    memcpy(grown, &size, sizeof size);
    thread_bytes += (int64_t)size - (int64_t)old_size;
    atomic_fetch_add_explicit(&total_bytes, (int64_t)size - (int64_t)old_size,
                              memory_order_relaxed);
    return grown + HEADER_SIZE;
}

void base_free(void *ptr)
{
    if (ptr == NULL)
        return;
    unsigned char *block = (unsigned char *)ptr - HEADER_SIZE;
    size_t size;
    memcpy(&size, block, sizeof size);
    count(-(int64_t)size);
    free(block);
}

void *base_alloc_aligned(size_t size)
{
    if (size > SIZE_MAX - 2 * ALIGNED_HEADER_SIZE || should_fail())
        return NULL;
    /* Round up so aligned_alloc's size is a multiple of the alignment. */
    size_t total = (size + ALIGNED_HEADER_SIZE + 63) & ~(size_t)63;
    unsigned char *block = aligned_alloc(64, total);
    if (block == NULL)
        return NULL;
    memcpy(block, &size, sizeof size);
    count((int64_t)size);
    return block + ALIGNED_HEADER_SIZE;
}

void *base_realloc_aligned(void *ptr, size_t old_size, size_t new_size)
{
    void *grown = base_alloc_aligned(new_size);
    if (grown == NULL)
        return NULL;
    if (ptr != NULL) {
        memcpy(grown, ptr, old_size < new_size ? old_size : new_size);
        base_free_aligned(ptr);
    }
    return grown;
}

void base_free_aligned(void *ptr)
{
    if (ptr == NULL)
        return;
    unsigned char *block = (unsigned char *)ptr - ALIGNED_HEADER_SIZE;
    size_t size;
    memcpy(&size, block, sizeof size);
    count(-(int64_t)size);
    free(block);
}

char *base_strndup(const char *s, size_t len)
{
    char *copy = base_alloc(len + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *base_strdup(const char *s)
{
    return s == NULL ? NULL : base_strndup(s, strlen(s));
}

int64_t base_alloc_thread_bytes(void) { return thread_bytes; }
int64_t base_alloc_thread_count(void) { return thread_count; }
int64_t base_alloc_total_bytes(void)
{
    return atomic_load_explicit(&total_bytes, memory_order_relaxed);
}

void base_alloc_fail_after(int64_t n)
{
    fail_countdown = n < 0 ? 0 : n;
    fail_triggered = false;
}

bool base_alloc_fail_triggered(void) { return fail_triggered; }
