/*
 * writer_int.h — private to the CSV and NDJSON writers of src/format: the
 * raw bytes of a string or binary element, so that writers copy them
 * without going through a formatter.
 */
#ifndef QV_WRITER_INT_H
#define QV_WRITER_INT_H

#include <stdio.h>
#include <string.h>

#include "format/format.h"

static inline bool writer_is_string(arrow_type_id id)
{
    return id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW;
}

/* The bytes of valid element i of a UTF8 / LARGE_UTF8 / UTF8_VIEW (or the
 * binary counterparts) array, borrowed from its buffers. */
static inline const uint8_t *writer_bytes_at(const arrow_array *a, int64_t i, size_t *len)
{
    int64_t slot = a->offset + i;
    switch (a->type->id) {
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY: {
        int64_t start, end;
        memcpy(&start, a->buffers[1]->data + 8 * slot, 8);
        memcpy(&end, a->buffers[1]->data + 8 * (slot + 1), 8);
        *len = (size_t)(end - start);
        return a->buffers[2] != NULL ? a->buffers[2]->data + start : (const uint8_t *)"";
    }
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW: {
        const uint8_t *view = a->buffers[1]->data + 16 * slot;
        int32_t n, buffer, offset;
        memcpy(&n, view, 4);
        *len = (size_t)n;
        if (n <= 12)
            return view + 4;
        memcpy(&buffer, view + 8, 4);
        memcpy(&offset, view + 12, 4);
        return a->buffers[2 + buffer]->data + offset;
    }
    default: {
        int32_t start, end;
        memcpy(&start, a->buffers[1]->data + 4 * slot, 4);
        memcpy(&end, a->buffers[1]->data + 4 * (slot + 1), 4);
        *len = (size_t)(end - start);
        return a->buffers[2] != NULL ? a->buffers[2]->data + start : (const uint8_t *)"";
    }
    }
}

/* Writes valid element i of an integer array in decimal into buf (at least
 * 24 bytes); returns the length. */
static inline size_t writer_integer_at(const arrow_array *a, int64_t i, char *buf)
{
    const uint8_t *v = arrow_array_values(a);
    int64_t slot = a->offset + i;
    int32_t bytes = arrow_type_bit_width(a->type) / 8;
    if (!arrow_type_is_signed_integer(a->type->id)) {
        uint64_t x = 0;
        memcpy(&x, v + (size_t)bytes * (size_t)slot, (size_t)bytes); /* little-endian */
        return (size_t)snprintf(buf, 24, "%llu", (unsigned long long)x);
    }
    int64_t x;
    if (bytes == 1) {
        x = ((const int8_t *)v)[slot];
    } else if (bytes == 2) {
        int16_t y;
        memcpy(&y, v + 2 * slot, 2);
        x = y;
    } else if (bytes == 4) {
        int32_t y;
        memcpy(&y, v + 4 * slot, 4);
        x = y;
    } else {
        memcpy(&x, v + 8 * slot, 8);
    }
    return (size_t)snprintf(buf, 24, "%lld", (long long)x);
}

#endif /* QV_WRITER_INT_H */
