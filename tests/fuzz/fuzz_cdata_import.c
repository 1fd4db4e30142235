/*
 * fuzz_cdata_import.c — libFuzzer target for the Arrow C Data import and
 * arrow_array_validate.
 *
 * The input describes a C array: bytes pick a type (from a table of format
 * strings, with nested types choosing their children the same way, or a raw
 * format string taken from the input), then each node's length, offset,
 * null_count, flags and buffer contents. The target builds an ArrowSchema +
 * ArrowArray whose buffers are copies of input slices, imports them, and on
 * success reads every value (validity, offsets, views, indices, run ends)
 * to touch the memory. Buffers are BUF_CAP bytes and every size the C
 * interface makes the consumer trust (offsets' last value, view data sizes)
 * stays within them, so any out-of-bounds access is the importer's fault.
 * The producer's release must run exactly once, after the last reference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow.h"

#define BUF_CAP 4096
#define MAX_ALLOCS 4096
#define MAX_DEPTH 5

typedef struct reader {
    const uint8_t *data;
    size_t size;
    size_t pos;
} reader;

static uint8_t rd(reader *r)
{
    return r->pos < r->size ? r->data[r->pos++] : 0;
}

/* Everything the fake producer allocates; freed after the release ran. */
static void *allocs[MAX_ALLOCS];
static int n_allocs;
static int releases;

static void *harness_alloc(size_t size)
{
    if (n_allocs == MAX_ALLOCS)
        return NULL;
    void *p = calloc(1, size);
    if (p != NULL)
        allocs[n_allocs++] = p;
    return p;
}

static void release_array(struct ArrowArray *array)
{
    if (array->release == NULL)
        abort(); /* released twice */
    releases++;
    array->release = NULL;
}

static void release_schema(struct ArrowSchema *schema)
{
    schema->release = NULL;
}

static const char *const leaf_formats[] = {
    "n",   "b",       "c",   "C",   "s",   "S",   "i",      "I",          "l",   "L",   "e",
    "f",   "g",       "z",   "Z",   "vz",  "u",   "U",      "vu",         "tdD", "tdm", "tts",
    "ttn", "tsu:UTC", "tDm", "tiM", "tiD", "tin", "d:10,2", "d:40,3,256", "w:3",
};
#define N_LEAF (sizeof leaf_formats / sizeof leaf_formats[0])
static const char *const nested_formats[] = {"+l", "+L", "+w:2", "+s", "+m", "+r", "dict"};
#define N_NESTED (sizeof nested_formats / sizeof nested_formats[0])
static const char *const index_formats[] = {"c", "C", "s", "i", "I", "l"};

/* Bits per value of a fixed-width format; 0 for others. */
static int fixed_bits(const char *format)
{
    switch (format[0]) {
    case 'b':
        return 1;
    case 'c':
    case 'C':
        return 8;
    case 's':
    case 'S':
    case 'e':
        return 16;
    case 'i':
    case 'I':
    case 'f':
        return 32;
    case 'l':
    case 'L':
    case 'g':
        return 64;
    case 'w':
        return 24;
    case 'd':
        return format[6] == ',' ? 256 : 128;
    case 't':
        if (format[1] == 'd')
            return format[2] == 'D' ? 32 : 64;
        if (format[1] == 't')
            return format[2] == 's' || format[2] == 'm' ? 32 : 64;
        if (format[1] == 'i')
            return format[2] == 'M' ? 32 : format[2] == 'D' ? 64 : 128;
        return 64;
    default:
        return 0;
    }
}

static uint8_t *new_buffer(reader *r, size_t fill)
{
    uint8_t *buffer = harness_alloc(BUF_CAP);
    if (buffer == NULL)
        return NULL;
    if (fill > BUF_CAP)
        fill = BUF_CAP;
    for (size_t i = 0; i < fill; i++)
        buffer[i] = rd(r);
    return buffer;
}

/* Offsets that are mostly monotonic, within [-1, BUF_CAP / 2]. */
static uint8_t *new_offsets(reader *r, int64_t n, int width, int64_t *last)
{
    uint8_t *buffer = harness_alloc(BUF_CAP);
    if (buffer == NULL)
        return NULL;
    int64_t value = (int64_t)(rd(r) % 4) - 1;
    for (int64_t i = 0; i < n; i++) {
        if (i > 0) {
            uint8_t step = rd(r);
            value = step == 0xff ? value - 1 : value + step % 8;
            if (value > BUF_CAP / 2)
                value = BUF_CAP / 2;
        }
        if (width == 4) {
            int32_t v = (int32_t)value;
            memcpy(buffer + i * 4, &v, 4);
        } else {
            memcpy(buffer + i * 8, &value, 8);
        }
    }
    *last = value;
    return buffer;
}

static bool build_node(reader *r, int depth, const char *forced_format, struct ArrowSchema *schema,
                       struct ArrowArray *array);

static bool build_children(reader *r, int depth, int n, const char *const *forced,
                           struct ArrowSchema *schema, struct ArrowArray *array)
{
    struct ArrowSchema **schema_children = harness_alloc(sizeof(void *) * (size_t)(n + 1));
    struct ArrowArray **array_children = harness_alloc(sizeof(void *) * (size_t)(n + 1));
    if (schema_children == NULL || array_children == NULL)
        return false;
    for (int i = 0; i < n; i++) {
        schema_children[i] = harness_alloc(sizeof(struct ArrowSchema));
        array_children[i] = harness_alloc(sizeof(struct ArrowArray));
        if (schema_children[i] == NULL || array_children[i] == NULL ||
            !build_node(r, depth + 1, forced != NULL ? forced[i] : NULL, schema_children[i],
                        array_children[i]))
            return false;
    }
    schema->n_children = n;
    schema->children = schema_children;
    array->n_children = n;
    array->children = array_children;
    return true;
}

static const char metadata_blob[] = "\x01\x00\x00\x00\x03\x00\x00\x00key\x05\x00\x00\x00value";

static bool build_node(reader *r, int depth, const char *forced_format, struct ArrowSchema *schema,
                       struct ArrowArray *array)
{
    memset(schema, 0, sizeof *schema);
    memset(array, 0, sizeof *array);
    schema->release = release_schema;
    array->release = release_array;
    schema->name = "x";

    const char *format = forced_format;
    char *raw_format = NULL;
    uint8_t selector = rd(r);
    if (format == NULL) {
        if (selector >= 250) {
            raw_format = harness_alloc(16);
            if (raw_format == NULL)
                return false;
            for (int i = 0; i < 12; i++)
                raw_format[i] = (char)rd(r);
            format = raw_format;
        } else if (depth < MAX_DEPTH && selector % 4 == 0) {
            format = nested_formats[(selector / 4) % N_NESTED];
        } else {
            format = leaf_formats[selector % N_LEAF];
        }
    }
    bool dictionary = strcmp(format, "dict") == 0;
    if (dictionary)
        format = index_formats[rd(r) % 6];
    schema->format = format;

    uint8_t flags = rd(r);
    schema->flags = (flags & 1) ? ARROW_FLAG_NULLABLE : 0;
    if (flags & 2)
        schema->metadata = metadata_blob;
    array->length = rd(r) % 17;
    array->offset = rd(r) % 5;
    array->null_count = (int64_t)(rd(r) % 20) - 2;
    int64_t end = array->length + array->offset;

    int n_buffers = 0;
    const void *buffers[8] = {NULL};
    int64_t last = 0;
    int bits = fixed_bits(format);
    if (raw_format != NULL) {
        n_buffers = rd(r) % 4;
        for (int i = 0; i < n_buffers; i++)
            buffers[i] = (flags & 4) ? NULL : harness_alloc(BUF_CAP);
    } else if (strcmp(format, "n") == 0 || strcmp(format, "+r") == 0) {
        n_buffers = 0;
    } else {
        n_buffers = 1;
        buffers[0] = (flags & 4) ? NULL : new_buffer(r, (size_t)(end + 7) / 8);
        if (bits > 0) {
            n_buffers = 2;
            buffers[1] = (flags & 8) ? NULL : new_buffer(r, (size_t)(end * bits + 7) / 8);
        } else if (strchr("zZuU", format[0]) != NULL) {
            int width = format[0] == 'z' || format[0] == 'u' ? 4 : 8;
            n_buffers = 3;
            buffers[1] = (flags & 8) ? NULL : new_offsets(r, end + 1, width, &last);
            buffers[2] = (flags & 16) ? NULL : new_buffer(r, (size_t)(last > 0 ? last : 0));
        } else if (format[0] == 'v') {
            int n_data = rd(r) % 3;
            n_buffers = 3 + n_data;
            int64_t *sizes = harness_alloc(8 * 4);
            uint8_t *views = harness_alloc(BUF_CAP);
            if (sizes == NULL || views == NULL)
                return false;
            for (int i = 0; i < n_data; i++) {
                buffers[2 + i] = new_buffer(r, 64);
                sizes[i] = (int64_t)rd(r) * 2 - 4;
            }
            for (int64_t i = 0; i < end; i++) {
                uint8_t *view = views + i * 16;
                int32_t len = rd(r) % 24;
                if (rd(r) == 0xff)
                    len = -len;
                memcpy(view, &len, 4);
                if (len <= 12) {
                    for (int k = 0; k < 12; k++)
                        view[4 + k] = k < len ? rd(r) : 0;
                    continue;
                }
                int32_t index = rd(r) % (n_data + 1), offset = rd(r) % 48;
                memcpy(view + 8, &index, 4);
                memcpy(view + 12, &offset, 4);
                if (index < n_data && buffers[2 + index] != NULL && rd(r) != 0xff)
                    memcpy(view + 4, (const uint8_t *)buffers[2 + index] + offset, 4);
            }
            buffers[1] = (flags & 8) ? NULL : views;
            buffers[n_buffers - 1] = (flags & 16) ? NULL : sizes;
        } else if (format[0] == '+' && (format[1] == 'l' || format[1] == 'L' || format[1] == 'm')) {
            n_buffers = 2;
            buffers[1] =
                (flags & 8) ? NULL : new_offsets(r, end + 1, format[1] == 'L' ? 8 : 4, &last);
        }
    }
    if ((flags & 0xc0) == 0xc0 && n_buffers < 8)
        n_buffers++; /* a wrong buffer count */
    if (n_buffers > 0) {
        const void **list = harness_alloc(sizeof(void *) * 8);
        if (list == NULL)
            return false;
        memcpy(list, buffers, sizeof buffers);
        array->buffers = list;
    }
    array->n_buffers = n_buffers;

    if (dictionary) {
        schema->dictionary = harness_alloc(sizeof(struct ArrowSchema));
        array->dictionary = harness_alloc(sizeof(struct ArrowArray));
        if (schema->dictionary == NULL || array->dictionary == NULL)
            return false;
        return build_node(r, depth + 1, NULL, schema->dictionary, array->dictionary);
    }
    if (raw_format != NULL || format[0] != '+')
        return true;
    switch (format[1]) {
    case 'l':
    case 'L':
    case 'w':
        return build_children(r, depth, 1, NULL, schema, array);
    case 's':
        return build_children(r, depth, rd(r) % 3, NULL, schema, array);
    case 'm': {
        static const char *const entries[1] = {"+s"};
        if (!build_children(r, depth, 1, entries, schema, array))
            return false;
        /* The entries struct gets exactly key and value. */
        static const char *const kv[2] = {"u", NULL};
        return build_children(r, depth + 1, 2, kv, schema->children[0], array->children[0]);
    }
    case 'r': {
        static const char *const run_ends[2] = {"i", NULL};
        if (!build_children(r, depth, 2, run_ends, schema, array))
            return false;
        /* Run ends: increasing, mostly. */
        struct ArrowArray *ends = array->children[0];
        uint8_t *values = (uint8_t *)(ends->n_buffers >= 2 ? ends->buffers[1] : NULL);
        if (values != NULL) {
            int32_t run_end = 0;
            for (int64_t i = 0; i < ends->offset + ends->length; i++) {
                uint8_t step = rd(r);
                run_end = step == 0xff ? run_end : run_end + 1 + step % 4;
                memcpy(values + i * 4, &run_end, 4);
            }
        }
        return true;
    }
    default:
        return true;
    }
}

static volatile uint64_t sink;

/* Reads every value of array, as a consumer would. */
static void touch(const arrow_array *array, int depth)
{
    if (depth > 80)
        abort(); /* validation bounds nesting */
    uint64_t sum = 0;
    for (int64_t i = 0; i < array->length; i++)
        sum += arrow_array_is_valid(array, i);
    arrow_type_id id = array->type->id;
    int64_t end = array->offset + array->length;
    if (id == QV_TYPE_UTF8 || id == QV_TYPE_BINARY || id == QV_TYPE_LARGE_UTF8 ||
        id == QV_TYPE_LARGE_BINARY) {
        bool large = id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_LARGE_BINARY;
        for (int64_t i = array->offset; i < end; i++) {
            int64_t start, stop;
            if (large) {
                memcpy(&start, array->buffers[1]->data + i * 8, 8);
                memcpy(&stop, array->buffers[1]->data + i * 8 + 8, 8);
            } else {
                int32_t s32, e32;
                memcpy(&s32, array->buffers[1]->data + i * 4, 4);
                memcpy(&e32, array->buffers[1]->data + i * 4 + 4, 4);
                start = s32;
                stop = e32;
            }
            for (int64_t k = start; k < stop; k++)
                sum += array->buffers[2]->data[k];
        }
    } else if (id == QV_TYPE_UTF8_VIEW || id == QV_TYPE_BINARY_VIEW) {
        for (int64_t i = array->offset; i < end; i++) {
            const uint8_t *view = array->buffers[1]->data + i * 16;
            int32_t len, index, offset;
            memcpy(&len, view, 4);
            memcpy(&index, view + 8, 4);
            memcpy(&offset, view + 12, 4);
            const uint8_t *bytes = len <= 12 ? view + 4 : array->buffers[2 + index]->data + offset;
            for (int32_t k = 0; k < len; k++)
                sum += bytes[k];
        }
    } else if (array->n_buffers >= 2 && array->buffers[1] != NULL) {
        int32_t bits = arrow_type_bit_width(array->type);
        int64_t bytes = (end * bits + 7) / 8;
        /* Raw formats may declare widths past the harness's buffers ("w:99999"). */
        if (bytes > BUF_CAP)
            bytes = BUF_CAP;
        for (int64_t k = 0; k < bytes; k++)
            sum += array->buffers[1]->data[k];
    }
    sink += sum;
    for (int32_t i = 0; i < array->n_children; i++)
        touch(array->children[i], depth + 1);
    if (array->dictionary != NULL)
        touch(array->dictionary, depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size, 0};
    n_allocs = 0;
    releases = 0;
    struct ArrowSchema schema;
    struct ArrowArray array;
    bool built = build_node(&r, 0, NULL, &schema, &array);
    if (built) {
        arrow_field *field = NULL;
        arrow_array *imported = NULL;
        if (arrow_import_field(&schema, &field, NULL) == QV_OK) {
            if (arrow_import_array(&array, field->type, &imported, NULL) == QV_OK) {
                touch(imported, 0);
                arrow_array_release(imported);
            }
            arrow_field_release(field);
        }
        if (schema.release != NULL)
            abort(); /* import must release the schema */
        if (array.release != NULL)
            array.release(&array); /* not taken: the schema was refused */
        if (releases != 1)
            abort();
    }
    for (int i = 0; i < n_allocs; i++)
        free(allocs[i]);
    return 0;
}
