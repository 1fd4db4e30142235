/*
 * builder_dict.c — dictionary and run-end encoded builders (layer: arrow).
 *
 * A dictionary builder keeps its distinct values in child 0 and finds them
 * again through an open-addressing hash table (base_hash_bytes) of indices;
 * the index type bounds the dictionary size (QV_OVERFLOW past it). A
 * run-end encoded builder keeps one value per run in child 0 and the run
 * ends in its own values buffer; an appended value equal to the last run's
 * (or a null after a null) extends that run.
 */
#include <string.h>

#include "builder_int.h"

typedef struct dict_slot {
    uint64_t hash;
    int64_t index; /* -1: empty */
} dict_slot;

struct builder_dict {
    dict_slot *slots;
    int64_t capacity; /* power of two, or 0 before the first value */
    int64_t count;
};

static int64_t max_index_of(arrow_type_id id)
{
    switch (id) {
    case QV_TYPE_INT8:
        return INT8_MAX;
    case QV_TYPE_UINT8:
        return UINT8_MAX;
    case QV_TYPE_INT16:
        return INT16_MAX;
    case QV_TYPE_UINT16:
        return UINT16_MAX;
    case QV_TYPE_INT32:
        return INT32_MAX;
    case QV_TYPE_UINT32:
        return UINT32_MAX;
    default:
        return INT64_MAX;
    }
}

qv_status arrow_builder_dict_init(arrow_builder *b, qv_error *err)
{
    b->dict = base_calloc(1, sizeof *b->dict);
    if (b->dict == NULL)
        return base_error_nomem(err, "dictionary builder");
    b->max_index = max_index_of(b->type->index_type->id);
    return QV_OK;
}

void arrow_builder_dict_free(arrow_builder *b)
{
    if (b->dict == NULL)
        return;
    base_free(b->dict->slots);
    base_free(b->dict);
    b->dict = NULL;
}

void arrow_builder_dict_clear(arrow_builder *b)
{
    builder_dict *dict = b->dict;
    if (dict == NULL)
        return;
    for (int64_t i = 0; i < dict->capacity; i++)
        dict->slots[i].index = -1;
    dict->count = 0;
}

/* Doubles the table (rehashing by the stored hashes); the old one stays on
 * failure. */
static qv_status dict_grow(builder_dict *dict, qv_error *err)
{
    int64_t capacity = dict->capacity ? dict->capacity * 2 : 64;
    dict_slot *slots = base_alloc((size_t)capacity * sizeof *slots);
    if (slots == NULL)
        return base_error_nomem(err, "dictionary hash table");
    for (int64_t i = 0; i < capacity; i++)
        slots[i].index = -1;
    for (int64_t i = 0; i < dict->capacity; i++) {
        if (dict->slots[i].index < 0)
            continue;
        int64_t at = (int64_t)(dict->slots[i].hash & (uint64_t)(capacity - 1));
        while (slots[at].index >= 0)
            at = (at + 1) & (capacity - 1);
        slots[at] = dict->slots[i];
    }
    base_free(dict->slots);
    dict->slots = slots;
    dict->capacity = capacity;
    return QV_OK;
}

static void write_index(uint8_t *at, int64_t index, int32_t width)
{
    switch (width) {
    case 1: {
        uint8_t v = (uint8_t)index;
        memcpy(at, &v, 1);
        break;
    }
    case 2: {
        uint16_t v = (uint16_t)index;
        memcpy(at, &v, 2);
        break;
    }
    case 4: {
        uint32_t v = (uint32_t)index;
        memcpy(at, &v, 4);
        break;
    }
    default:
        memcpy(at, &index, 8);
        break;
    }
}

qv_status arrow_builder_dict_append(arrow_builder *b, const uint8_t *bytes, int64_t len,
                                    qv_error *err)
{
    builder_dict *dict = b->dict;
    arrow_builder *values = b->children[0];
    QV_TRY(builder_validity_reserve(b, 1, false, err));
    QV_TRY(builder_reserve(&b->values, b->width, err));
    uint64_t hash = base_hash_bytes(bytes, (size_t)len, 0);
    int64_t index = -1;
    int64_t at = 0;
    if (dict->capacity > 0) {
        at = (int64_t)(hash & (uint64_t)(dict->capacity - 1));
        for (; dict->slots[at].index >= 0; at = (at + 1) & (dict->capacity - 1)) {
            if (dict->slots[at].hash != hash)
                continue;
            const uint8_t *stored;
            int64_t stored_len;
            uint8_t tmp;
            arrow_builder_peek(values, dict->slots[at].index, &stored, &stored_len, &tmp);
            if (stored_len == len && (len == 0 || memcmp(stored, bytes, (size_t)len) == 0)) {
                index = dict->slots[at].index;
                break;
            }
        }
    }
    if (index < 0) {
        if (dict->count > b->max_index)
            return base_error_set(err, QV_OVERFLOW,
                                  "dictionary of %lld values overflows its index type",
                                  (long long)dict->count + 1);
        if ((dict->count + 1) * 2 > dict->capacity) {
            QV_TRY(dict_grow(dict, err));
            at = (int64_t)(hash & (uint64_t)(dict->capacity - 1));
            while (dict->slots[at].index >= 0)
                at = (at + 1) & (dict->capacity - 1);
        }
        QV_TRY(arrow_builder_append_raw(values, bytes, len, err));
        index = dict->count++;
        dict->slots[at] = (dict_slot){hash, index};
    }
    write_index(b->values->data + b->values->size, index, b->width);
    b->values->size += b->width;
    builder_commit(b, 1, true);
    return QV_OK;
}

qv_status arrow_builder_dict_finish(arrow_builder *b, arrow_array **out, qv_error *err)
{
    arrow_array *dictionary = NULL;
    qv_status status = arrow_builder_finish(b->children[0], &dictionary, err);
    if (status == QV_OK && b->values == NULL)
        status = builder_reserve(&b->values, 0, err);
    if (status != QV_OK) {
        arrow_builder_reset(b);
        return status;
    }
    arrow_buffer *buffers[2] = {NULL, b->values};
    if (b->null_count > 0) {
        b->validity->size = (b->length + 7) / 8;
        buffers[0] = b->validity;
    }
    status = arrow_builder_assemble(b, 2, buffers, 0, NULL, dictionary, b->null_count, out, err);
    arrow_array_release(dictionary);
    return status;
}

/* ---- run-end encoded ---- */

static bool value_is_valid(const arrow_builder *values, int64_t i)
{
    if (values->kind == BK_NULL)
        return false;
    return values->validity == NULL || arrow_bit_get(values->validity->data, i);
}

qv_status arrow_builder_ree_append(arrow_builder *b, const uint8_t *bytes, int64_t len,
                                   int64_t count, qv_error *err)
{
    if (count > b->max_index - b->length)
        return base_error_set(err, QV_OVERFLOW, "run end %lld overflows the run-end type",
                              (long long)(b->length + count));
    arrow_builder *values = b->children[0];
    int64_t n_runs = values->length;
    bool extend = false;
    if (n_runs > 0) {
        bool last_valid = value_is_valid(values, n_runs - 1);
        if (bytes == NULL) {
            extend = !last_valid;
        } else if (last_valid) {
            const uint8_t *last;
            int64_t last_len;
            uint8_t tmp;
            arrow_builder_peek(values, n_runs - 1, &last, &last_len, &tmp);
            extend = last_len == len && (len == 0 || memcmp(last, bytes, (size_t)len) == 0);
        }
    }
    if (!extend) {
        QV_TRY(builder_reserve(&b->values, b->width, err));
        if (bytes == NULL)
            QV_TRY(arrow_builder_append_null(values, err));
        else
            QV_TRY(arrow_builder_append_raw(values, bytes, len, err));
        b->values->size += b->width;
    }
    b->length += count;
    write_index(b->values->data + b->values->size - b->width, b->length, b->width);
    return QV_OK;
}

qv_status arrow_builder_ree_finish(arrow_builder *b, arrow_array **out, qv_error *err)
{
    arrow_array *children[2] = {NULL, NULL};
    int64_t n_runs = b->children[0]->length;
    qv_status status = arrow_builder_finish(b->children[0], &children[1], err);
    if (status == QV_OK && b->values == NULL)
        status = builder_reserve(&b->values, 0, err);
    if (status == QV_OK) {
        arrow_buffer *buffers[2] = {NULL, b->values};
        status = arrow_array_new(b->type->children[0]->type, n_runs, 0, 0, 2, buffers, 0, NULL,
                                 NULL, &children[0], err);
    }
    if (status == QV_OK)
        status = arrow_builder_assemble(b, 0, NULL, 2, children, NULL, 0, out, err);
    else
        arrow_builder_reset(b);
    arrow_array_release(children[0]);
    arrow_array_release(children[1]);
    return status;
}
