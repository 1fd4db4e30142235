/*
 * buffer.c — refcounted byte buffers, owned or wrapping foreign memory, and
 * bitmap counting (layer: arrow).
 */
#include <string.h>

#include "arrow.h"

static int64_t round_up_64(int64_t n) { return (n + 63) & ~(int64_t)63; }

qv_status arrow_buffer_new(int64_t size, arrow_buffer **out, qv_error *err)
{
    *out = NULL;
    if (size < 0 || size > INT64_MAX - 64)
        return base_error_set(err, QV_INVALID, "invalid buffer size %lld", (long long)size);
    arrow_buffer *buffer = base_alloc(sizeof *buffer);
    if (buffer == NULL)
        return base_error_nomem(err, "buffer");
    int64_t capacity = round_up_64(size);
    buffer->data = base_alloc_aligned((size_t)capacity);
    if (buffer->data == NULL) {
        base_free(buffer);
        return base_error_nomem(err, "buffer");
    }
    memset(buffer->data, 0, (size_t)capacity);
    atomic_init(&buffer->refcount, 1);
    buffer->size = size;
    buffer->capacity = capacity;
    buffer->release_fn = NULL;
    buffer->owner = NULL;
    *out = buffer;
    return QV_OK;
}

qv_status arrow_buffer_copy(const void *data, int64_t size, arrow_buffer **out, qv_error *err)
{
    QV_TRY(arrow_buffer_new(size, out, err));
    if (size > 0)
        memcpy((*out)->data, data, (size_t)size);
    return QV_OK;
}

qv_status arrow_buffer_wrap(const void *data, int64_t size, arrow_buffer_release_fn release_fn,
                            void *owner, arrow_buffer **out, qv_error *err)
{
    *out = NULL;
    arrow_buffer *buffer = base_alloc(sizeof *buffer);
    if (buffer == NULL)
        return base_error_nomem(err, "buffer");
    atomic_init(&buffer->refcount, 1);
    buffer->data = (uint8_t *)data;
    buffer->size = size;
    buffer->capacity = size;
    buffer->release_fn = release_fn;
    buffer->owner = owner;
    *out = buffer;
    return QV_OK;
}

qv_status arrow_buffer_resize(arrow_buffer *buffer, int64_t new_size, qv_error *err)
{
    if (buffer->release_fn != NULL || new_size < 0 || new_size > INT64_MAX - 64)
        return base_error_set(err, QV_MISUSE, "only owned buffers can be resized");
    if (new_size > buffer->capacity) {
        int64_t capacity = buffer->capacity * 2;
        if (capacity < round_up_64(new_size))
            capacity = round_up_64(new_size);
        uint8_t *grown =
            base_realloc_aligned(buffer->data, (size_t)buffer->capacity, (size_t)capacity);
        if (grown == NULL)
            return base_error_nomem(err, "buffer");
        memset(grown + buffer->capacity, 0, (size_t)(capacity - buffer->capacity));
        buffer->data = grown;
        buffer->capacity = capacity;
    } else if (new_size < buffer->size) {
        /* Keep the zero-padding promise for bytes past size. */
        memset(buffer->data + new_size, 0, (size_t)(buffer->size - new_size));
    }
    buffer->size = new_size;
    return QV_OK;
}

arrow_buffer *arrow_buffer_retain(arrow_buffer *buffer)
{
    if (buffer != NULL)
        atomic_fetch_add_explicit(&buffer->refcount, 1, memory_order_relaxed);
    return buffer;
}

void arrow_buffer_release(arrow_buffer *buffer)
{
    if (buffer == NULL ||
        atomic_fetch_sub_explicit(&buffer->refcount, 1, memory_order_acq_rel) != 1)
        return;
    if (buffer->release_fn != NULL)
        buffer->release_fn(buffer);
    else
        base_free_aligned(buffer->data);
    base_free(buffer);
}

int64_t arrow_bitmap_count_set(const uint8_t *bits, int64_t offset, int64_t length)
{
    int64_t count = 0;
    int64_t i = offset, end = offset + length;
    while (i < end && (i & 7) != 0) {
        count += arrow_bit_get(bits, i);
        i++;
    }
    /* Whole bytes, eight at a time when aligned enough. */
    while (i + 64 <= end) {
        uint64_t word;
        memcpy(&word, bits + (i >> 3), 8);
        count += __builtin_popcountll(word);
        i += 64;
    }
    while (i + 8 <= end) {
        count += __builtin_popcount(bits[i >> 3]);
        i += 8;
    }
    while (i < end) {
        count += arrow_bit_get(bits, i);
        i++;
    }
    return count;
}
