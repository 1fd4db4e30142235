/*
 * arrow_ipc_write.c — writing Arrow IPC files (layer: format), laid out as
 * arrow-rs' FileWriter does with DataFusion's options: "ARROW1" and two
 * padding bytes, the schema message, then per batch its dictionaries (once:
 * a different dictionary later is an error, as the file format allows one
 * per field) and the record batch; every message's metadata padded so that
 * prefix + metadata is a multiple of 64, every body buffer padded to 64,
 * buffers compressed one by one (8-byte uncompressed length, then an LZ4
 * frame or ZSTD frame; -1 and the raw bytes when compressing does not
 * help); metadata version V5; validity bitmaps written for every column
 * (all set when it has no nulls); at the end the end-of-stream marker, the
 * footer, its length and "ARROW1" again.
 */
#include <lz4frame.h>
#include <string.h>
#include <zstd.h>

#include "format/arrow_ipc_int.h"

#define ALIGN 64

typedef struct ipc_block {
    int64_t offset;
    int32_t meta_len;
    int64_t body_len;
} ipc_block;

typedef struct block_list {
    ipc_block *items;
    int32_t n, cap;
} block_list;

struct arrow_ipc_writer {
    arrow_schema *schema;
    arrow_ipc_codec codec;
    fmt_sink_fn sink;
    void *user;
    int64_t pos; /* bytes written */
    bool started;
    block_list dict_blocks, batch_blocks;
    arrow_array **dicts; /* written dictionary values per id (owned) */
    int32_t n_dicts;
    /* the message being assembled */
    base_strbuf nodes, buffers, variadic, body, scratch;
};

static qv_status emit(arrow_ipc_writer *w, const void *data, size_t len, qv_error *err)
{
    if (len == 0)
        return QV_OK;
    QV_TRY(w->sink(w->user, data, len, err));
    w->pos += (int64_t)len;
    return QV_OK;
}

static void put_i64(base_strbuf *sb, int64_t v)
{
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++)
        bytes[i] = (uint8_t)((uint64_t)v >> (8 * i));
    base_strbuf_append(sb, (const char *)bytes, 8);
}

static void put_i32(uint8_t *out, int32_t v)
{
    for (int i = 0; i < 4; i++)
        out[i] = (uint8_t)((uint32_t)v >> (8 * i));
}

static qv_status add_block(block_list *list, ipc_block block, qv_error *err)
{
    if (list->n == list->cap) {
        int32_t cap = list->cap ? list->cap * 2 : 8;
        ipc_block *grown = base_realloc(list->items, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "IPC writer");
        list->items = grown;
        list->cap = cap;
    }
    list->items[list->n++] = block;
    return QV_OK;
}

/* ---- messages ---- */

/* Finishes the Message around header (built in b) and writes it with the
 * assembled body; *block (may be NULL) describes it for the footer. */
static qv_status write_message(arrow_ipc_writer *w, fb_builder *b, uint8_t type, fb_ref header,
                               ipc_block *block, qv_error *err)
{
    int64_t body_len = (int64_t)w->body.len;
    fb_table_begin(b);
    fb_add_i16(b, IPC_MESSAGE_VERSION, IPC_V5);
    fb_add_u8(b, IPC_MESSAGE_HEADER_TYPE, type);
    fb_add_ref(b, IPC_MESSAGE_HEADER, header);
    fb_add_i64(b, IPC_MESSAGE_BODY_LENGTH, body_len);
    fb_ref msg = fb_table_end(b);
    const uint8_t *fb = NULL;
    size_t fb_len = 0;
    QV_TRY(fb_finish(b, msg, &fb, &fb_len, err));
    size_t aligned = (fb_len + 8 + ALIGN - 1) / ALIGN * ALIGN;
    uint8_t prefix[8];
    put_i32(prefix, -1);
    put_i32(prefix + 4, (int32_t)(aligned - 8));
    static const uint8_t zeros[ALIGN];
    ipc_block blk = {w->pos, (int32_t)aligned, body_len};
    QV_TRY(emit(w, prefix, 8, err));
    QV_TRY(emit(w, fb, fb_len, err));
    QV_TRY(emit(w, zeros, aligned - 8 - fb_len, err));
    QV_TRY(emit(w, w->body.data, w->body.len, err));
    if (block != NULL)
        *block = blk;
    return QV_OK;
}

static qv_status start(arrow_ipc_writer *w, qv_error *err)
{
    if (w->started)
        return QV_OK;
    static const uint8_t head[8] = {'A', 'R', 'R', 'O', 'W', '1', 0, 0};
    QV_TRY(emit(w, head, sizeof head, err));
    fb_builder b;
    fb_builder_init(&b);
    base_strbuf_clear(&w->body);
    fb_ref schema = ipc_schema_encode(&b, w->schema);
    qv_status st = write_message(w, &b, IPC_HEADER_SCHEMA, schema, NULL, err);
    fb_builder_free(&b);
    w->started = st == QV_OK;
    return st;
}

/* ---- bodies ---- */

/* Appends one buffer's bytes to the body (compressed when asked). */
static qv_status add_buffer(arrow_ipc_writer *w, const uint8_t *data, int64_t len, qv_error *err)
{
    int64_t offset = (int64_t)w->body.len;
    if (len > 0 && w->codec != ARROW_IPC_UNCOMPRESSED) {
        size_t bound = w->codec == ARROW_IPC_LZ4_FRAME ? LZ4F_compressFrameBound((size_t)len, NULL)
                                                       : ZSTD_compressBound((size_t)len);
        base_strbuf_clear(&w->scratch);
        if (!base_strbuf_reserve(&w->scratch, bound))
            return base_error_nomem(err, "IPC compression");
        size_t n = w->codec == ARROW_IPC_LZ4_FRAME
                       ? LZ4F_compressFrame(w->scratch.data, bound, data, (size_t)len, NULL)
                       : ZSTD_compress(w->scratch.data, bound, data, (size_t)len, 1);
        if (w->codec == ARROW_IPC_LZ4_FRAME ? LZ4F_isError(n) : ZSTD_isError(n))
            return base_error_set(err, QV_EXECUTION, "Arrow error: Ipc error: compression failed");
        if ((int64_t)n < len) {
            put_i64(&w->body, len);
            base_strbuf_append(&w->body, w->scratch.data, n);
        } else {
            put_i64(&w->body, -1); /* not worth it: stored as it is */
            base_strbuf_append(&w->body, (const char *)data, (size_t)len);
        }
    } else if (len > 0) {
        base_strbuf_append(&w->body, (const char *)data, (size_t)len);
    }
    int64_t written = (int64_t)w->body.len - offset;
    static const char zeros[ALIGN];
    base_strbuf_append(&w->body, zeros, (size_t)((ALIGN - written % ALIGN) % ALIGN));
    put_i64(&w->buffers, offset);
    put_i64(&w->buffers, written);
    return base_strbuf_failed(&w->body) ? base_error_nomem(err, "IPC writer") : QV_OK;
}

static qv_status add_bitmap(arrow_ipc_writer *w, const arrow_array *a, qv_error *err)
{
    int64_t bytes = (a->length + 7) / 8;
    if (a->buffers[0] != NULL)
        return add_buffer(w, a->buffers[0]->data, bytes, err);
    /* no nulls: all set, as arrow-rs writes it */
    uint8_t *ones = base_alloc((size_t)(bytes > 0 ? bytes : 1));
    if (ones == NULL)
        return base_error_nomem(err, "IPC writer");
    memset(ones, 0xff, (size_t)bytes);
    qv_status st = add_buffer(w, ones, bytes, err);
    base_free(ones);
    return st;
}

/* a's validity bitmap moved to offset 0 (NULL without one). */
static qv_status shifted_bitmap(const arrow_array *a, arrow_buffer **out, qv_error *err)
{
    *out = NULL;
    if (a->buffers[0] == NULL)
        return QV_OK;
    QV_TRY(arrow_buffer_new((a->length + 7) / 8, out, err));
    for (int64_t i = 0; i < a->length; i++)
        arrow_bit_set((*out)->data, i, arrow_bit_get(a->buffers[0]->data, a->offset + i));
    return QV_OK;
}

/* A nested array with offset 0: its children sliced to the rows it uses
 * (lists get rebased offsets), so that dictionaries below keep theirs. */
static qv_status unslice_nested(arrow_array *a, arrow_array **out, qv_error *err)
{
    int64_t n = a->length, o = a->offset;
    arrow_buffer *bufs[2] = {NULL, NULL};
    arrow_array *kids[2] = {NULL, NULL};
    arrow_array **children = kids;
    int32_t n_kids = a->n_children;
    qv_status st = shifted_bitmap(a, &bufs[0], err);
    if (st == QV_OK && a->type->id == QV_TYPE_STRUCT) {
        children = base_calloc((size_t)(n_kids > 0 ? n_kids : 1), sizeof *children);
        st = children != NULL ? QV_OK : base_error_nomem(err, "IPC writer");
        for (int32_t i = 0; i < n_kids && st == QV_OK; i++)
            st = arrow_array_slice(a->children[i], o, n, &children[i], err);
    } else if (st == QV_OK && a->type->id == QV_TYPE_FIXED_SIZE_LIST) {
        int64_t size = a->type->fixed_size;
        st = arrow_array_slice(a->children[0], o * size, n * size, &kids[0], err);
    } else if (st == QV_OK) { /* LIST, LARGE_LIST, MAP */
        bool wide = a->type->id == QV_TYPE_LARGE_LIST;
        const uint8_t *src = a->buffers[1]->data;
        int64_t first = wide ? ((const int64_t *)src)[o] : ((const int32_t *)src)[o];
        int64_t last = wide ? ((const int64_t *)src)[o + n] : ((const int32_t *)src)[o + n];
        st = arrow_buffer_new((n + 1) * (wide ? 8 : 4), &bufs[1], err);
        for (int64_t i = 0; st == QV_OK && i <= n; i++) {
            if (wide)
                ((int64_t *)bufs[1]->data)[i] = ((const int64_t *)src)[o + i] - first;
            else
                ((int32_t *)bufs[1]->data)[i] = ((const int32_t *)src)[o + i] - (int32_t)first;
        }
        if (st == QV_OK)
            st = arrow_array_slice(a->children[0], first, last - first, &kids[0], err);
    }
    if (st == QV_OK)
        st = arrow_array_new(a->type, n, -1, 0, a->n_buffers, bufs, n_kids, children, NULL, out,
                             err);
    for (int32_t i = 0; children != NULL && i < n_kids; i++)
        arrow_array_release(children[i]);
    if (children != kids)
        base_free(children);
    arrow_buffer_release(bufs[0]);
    arrow_buffer_release(bufs[1]);
    return st;
}

/* a with offset 0: nested arrays by slicing their children, a dictionary
 * by rebuilding its indices (it keeps its dictionary), anything else
 * rebuilt element by element. */
static qv_status unslice(arrow_array *a, arrow_array **out, qv_error *err)
{
    if (a->offset == 0) {
        *out = arrow_array_retain(a);
        return QV_OK;
    }
    arrow_type_id id = a->type->id;
    if (id == QV_TYPE_STRUCT || id == QV_TYPE_FIXED_SIZE_LIST || id == QV_TYPE_LIST ||
        id == QV_TYPE_LARGE_LIST || id == QV_TYPE_MAP)
        return unslice_nested(a, out, err);
    arrow_type *type = id == QV_TYPE_DICTIONARY ? a->type->index_type : a->type;
    arrow_array *src = a, *indices = NULL, *rebuilt = NULL;
    if (id == QV_TYPE_DICTIONARY) {
        QV_TRY(arrow_array_new(type, a->length, -1, a->offset, a->n_buffers, a->buffers, 0, NULL,
                               NULL, &indices, err));
        src = indices;
    }
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(type, &b, err);
    for (int64_t i = 0; st == QV_OK && i < src->length; i++)
        st = arrow_builder_append_from(b, src, i, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &rebuilt, err);
    arrow_builder_free(b);
    if (st == QV_OK && indices != NULL)
        st = arrow_array_new(a->type, a->length, -1, 0, rebuilt->n_buffers, rebuilt->buffers, 0,
                             NULL, a->dictionary, out, err);
    else if (st == QV_OK)
        *out = arrow_array_retain(rebuilt);
    arrow_array_release(indices);
    arrow_array_release(rebuilt);
    return st;
}

static qv_status add_array(arrow_ipc_writer *w, arrow_array *array, qv_error *err);

static qv_status add_array_body(arrow_ipc_writer *w, arrow_array *a, qv_error *err)
{
    const arrow_type *type = a->type;
    int64_t n = a->length;
    put_i64(&w->nodes, n);
    put_i64(&w->nodes, type->id == QV_TYPE_NULL ? n : arrow_array_null_count(a));
    if (type->id == QV_TYPE_NULL)
        return QV_OK;
    if (type->id != QV_TYPE_RUN_END_ENCODED)
        QV_TRY(add_bitmap(w, a, err));
    switch (type->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY: {
        int width = type->id == QV_TYPE_UTF8 || type->id == QV_TYPE_BINARY ? 4 : 8;
        const uint8_t *offsets = a->buffers[1]->data;
        int64_t end = width == 4 ? ((const int32_t *)offsets)[n] : ((const int64_t *)offsets)[n];
        QV_TRY(add_buffer(w, offsets, (n + 1) * width, err));
        return add_buffer(w, a->buffers[2] != NULL ? a->buffers[2]->data : NULL, end, err);
    }
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY_VIEW:
        QV_TRY(add_buffer(w, a->buffers[1]->data, n * 16, err));
        for (int32_t i = 2; i < a->n_buffers; i++)
            QV_TRY(add_buffer(w, a->buffers[i]->data, a->buffers[i]->size, err));
        put_i64(&w->variadic, a->n_buffers - 2);
        return QV_OK;
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
    case QV_TYPE_LARGE_LIST:
        QV_TRY(add_buffer(w, a->buffers[1]->data,
                          (n + 1) * (type->id == QV_TYPE_LARGE_LIST ? 8 : 4), err));
        return add_array(w, a->children[0], err);
    case QV_TYPE_FIXED_SIZE_LIST:
    case QV_TYPE_STRUCT:
    case QV_TYPE_RUN_END_ENCODED:
        for (int32_t i = 0; i < a->n_children; i++)
            QV_TRY(add_array(w, a->children[i], err));
        return QV_OK;
    case QV_TYPE_DICTIONARY:
        return add_buffer(w, a->buffers[1]->data, n * (arrow_type_bit_width(type->index_type) / 8),
                          err);
    case QV_TYPE_BOOLEAN:
        return add_buffer(w, a->buffers[1]->data, (n + 7) / 8, err);
    default:
        return add_buffer(w, a->buffers[1]->data, n * (arrow_type_bit_width(type) / 8), err);
    }
}

static qv_status add_array(arrow_ipc_writer *w, arrow_array *array, qv_error *err)
{
    arrow_array *a = NULL;
    QV_TRY(unslice(array, &a, err));
    qv_status st = add_array_body(w, a, err);
    arrow_array_release(a);
    return st;
}

static void reset_body(arrow_ipc_writer *w)
{
    base_strbuf_clear(&w->nodes);
    base_strbuf_clear(&w->buffers);
    base_strbuf_clear(&w->variadic);
    base_strbuf_clear(&w->body);
}

/* The RecordBatch table of the assembled body. */
static fb_ref record_batch_table(arrow_ipc_writer *w, fb_builder *b, int64_t length)
{
    fb_ref nodes =
        fb_vector_new(b, w->nodes.data, (uint32_t)(w->nodes.len / IPC_NODE_SIZE), IPC_NODE_SIZE, 8);
    fb_ref buffers = fb_vector_new(b, w->buffers.data, (uint32_t)(w->buffers.len / IPC_BUFFER_SIZE),
                                   IPC_BUFFER_SIZE, 8);
    fb_ref variadic = w->variadic.len > 0 ? fb_vector_new(b, w->variadic.data,
                                                          (uint32_t)(w->variadic.len / 8), 8, 8)
                                          : 0;
    fb_ref compression = 0;
    if (w->codec != ARROW_IPC_UNCOMPRESSED) {
        fb_table_begin(b);
        fb_add_u8(b, IPC_COMPRESSION_CODEC,
                  w->codec == ARROW_IPC_LZ4_FRAME ? IPC_CODEC_LZ4_FRAME : IPC_CODEC_ZSTD);
        fb_add_u8(b, IPC_COMPRESSION_METHOD, 0);
        compression = fb_table_end(b);
    }
    fb_table_begin(b);
    fb_add_i64(b, IPC_BATCH_LENGTH, length);
    fb_add_ref(b, IPC_BATCH_NODES, nodes);
    fb_add_ref(b, IPC_BATCH_BUFFERS, buffers);
    if (compression != 0)
        fb_add_ref(b, IPC_BATCH_COMPRESSION, compression);
    if (variadic != 0)
        fb_add_ref(b, IPC_BATCH_VARIADIC, variadic);
    return fb_table_end(b);
}

/* ---- dictionaries ---- */

/* True when two dictionaries hold the same values (as displayed). */
static bool same_values(const arrow_array *a, const arrow_array *b, base_strbuf *x, base_strbuf *y)
{
    if (a == b)
        return true;
    if (a->length != b->length || !arrow_type_equal(a->type, b->type))
        return false;
    for (int64_t i = 0; i < a->length; i++) {
        bool va = arrow_array_is_valid(a, i), vb = arrow_array_is_valid(b, i);
        if (va != vb)
            return false;
        if (!va)
            continue;
        base_strbuf_clear(x);
        base_strbuf_clear(y);
        if (arrow_format_value(a, i, x, NULL) != QV_OK ||
            arrow_format_value(b, i, y, NULL) != QV_OK || x->len != y->len ||
            (x->len > 0 && memcmp(x->data, y->data, x->len) != 0))
            return false;
    }
    return true;
}

static qv_status write_dictionary(arrow_ipc_writer *w, int64_t id, arrow_array *values,
                                  qv_error *err)
{
    if (id < w->n_dicts && w->dicts[id] != NULL) {
        base_strbuf x, y;
        base_strbuf_init(&x);
        base_strbuf_init(&y);
        bool same = same_values(w->dicts[id], values, &x, &y);
        base_strbuf_free(&x);
        base_strbuf_free(&y);
        if (same)
            return QV_OK;
        return base_error_set(err, QV_EXECUTION,
                              "Arrow error: Invalid argument error: Dictionary replacement "
                              "detected when writing IPC file format. Arrow IPC files only "
                              "support a single dictionary for a given field across all "
                              "batches.");
    }
    if (id >= w->n_dicts) {
        arrow_array **grown = base_realloc(w->dicts, (size_t)(id + 1) * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "IPC writer");
        memset(grown + w->n_dicts, 0, (size_t)(id + 1 - w->n_dicts) * sizeof *grown);
        w->dicts = grown;
        w->n_dicts = (int32_t)id + 1;
    }
    reset_body(w);
    QV_TRY(add_array(w, values, err));
    fb_builder b;
    fb_builder_init(&b);
    fb_ref data = record_batch_table(w, &b, values->length);
    fb_table_begin(&b);
    fb_add_i64(&b, IPC_DICTBATCH_ID, id);
    fb_add_ref(&b, IPC_DICTBATCH_DATA, data);
    fb_add_u8(&b, IPC_DICTBATCH_DELTA, 0);
    fb_ref header = fb_table_end(&b);
    ipc_block block;
    qv_status st = write_message(w, &b, IPC_HEADER_DICTIONARY_BATCH, header, &block, err);
    fb_builder_free(&b);
    if (st == QV_OK)
        st = add_block(&w->dict_blocks, block, err);
    if (st == QV_OK)
        w->dicts[id] = arrow_array_retain(values);
    return st;
}

/* The dictionaries under array a, nested ones first; ids in the schema's
 * pre-order. */
static qv_status write_dictionaries(arrow_ipc_writer *w, const arrow_array *a, int64_t *next_id,
                                    qv_error *err)
{
    if (a->type->id == QV_TYPE_DICTIONARY) {
        int64_t id = (*next_id)++;
        for (int32_t i = 0; i < a->dictionary->n_children; i++)
            QV_TRY(write_dictionaries(w, a->dictionary->children[i], next_id, err));
        return write_dictionary(w, id, a->dictionary, err);
    }
    for (int32_t i = 0; i < a->n_children; i++)
        QV_TRY(write_dictionaries(w, a->children[i], next_id, err));
    return QV_OK;
}

/* ---- the writer ---- */

qv_status arrow_ipc_writer_new(arrow_schema *schema, arrow_ipc_codec codec, fmt_sink_fn sink,
                               void *user, arrow_ipc_writer **out, qv_error *err)
{
    *out = NULL;
    arrow_ipc_writer *w = base_calloc(1, sizeof *w);
    if (w == NULL)
        return base_error_nomem(err, "IPC writer");
    w->schema = arrow_schema_retain(schema);
    w->codec = codec;
    w->sink = sink;
    w->user = user;
    base_strbuf_init(&w->nodes);
    base_strbuf_init(&w->buffers);
    base_strbuf_init(&w->variadic);
    base_strbuf_init(&w->body);
    base_strbuf_init(&w->scratch);
    *out = w;
    return QV_OK;
}

qv_status arrow_ipc_writer_write(arrow_ipc_writer *w, arrow_batch *batch, qv_error *err)
{
    QV_TRY(start(w, err));
    int64_t next_id = 0;
    for (int32_t i = 0; i < batch->schema->n_fields; i++)
        QV_TRY(write_dictionaries(w, batch->columns[i], &next_id, err));
    reset_body(w);
    for (int32_t i = 0; i < batch->schema->n_fields; i++)
        QV_TRY(add_array(w, batch->columns[i], err));
    if (base_strbuf_failed(&w->nodes) || base_strbuf_failed(&w->buffers) ||
        base_strbuf_failed(&w->variadic))
        return base_error_nomem(err, "IPC writer");
    fb_builder b;
    fb_builder_init(&b);
    fb_ref header = record_batch_table(w, &b, batch->n_rows);
    ipc_block block;
    qv_status st = write_message(w, &b, IPC_HEADER_RECORD_BATCH, header, &block, err);
    fb_builder_free(&b);
    if (st == QV_OK)
        st = add_block(&w->batch_blocks, block, err);
    return st;
}

static fb_ref blocks_vector(fb_builder *b, const block_list *list)
{
    uint8_t *bytes = base_calloc((size_t)(list->n > 0 ? list->n : 1), IPC_BLOCK_SIZE);
    if (bytes == NULL) {
        b->failed = true;
        return 0;
    }
    for (int32_t i = 0; i < list->n; i++) {
        uint8_t *p = bytes + (size_t)i * IPC_BLOCK_SIZE;
        const ipc_block *blk = &list->items[i];
        for (int k = 0; k < 8; k++) {
            p[k] = (uint8_t)((uint64_t)blk->offset >> (8 * k));
            p[16 + k] = (uint8_t)((uint64_t)blk->body_len >> (8 * k));
        }
        put_i32(p + 8, blk->meta_len);
    }
    fb_ref vec = fb_vector_new(b, bytes, (uint32_t)list->n, IPC_BLOCK_SIZE, 8);
    base_free(bytes);
    return vec;
}

qv_status arrow_ipc_writer_finish(arrow_ipc_writer *w, qv_error *err)
{
    QV_TRY(start(w, err));
    uint8_t eos[8];
    put_i32(eos, -1);
    put_i32(eos + 4, 0);
    QV_TRY(emit(w, eos, sizeof eos, err));
    fb_builder b;
    fb_builder_init(&b);
    fb_ref schema = ipc_schema_encode(&b, w->schema);
    fb_ref dicts = blocks_vector(&b, &w->dict_blocks);
    fb_ref batches = blocks_vector(&b, &w->batch_blocks);
    fb_table_begin(&b);
    fb_add_i16(&b, IPC_FOOTER_VERSION, IPC_V5);
    fb_add_ref(&b, IPC_FOOTER_SCHEMA, schema);
    fb_add_ref(&b, IPC_FOOTER_DICTIONARIES, dicts);
    fb_add_ref(&b, IPC_FOOTER_BATCHES, batches);
    fb_ref footer = fb_table_end(&b);
    const uint8_t *fb = NULL;
    size_t fb_len = 0;
    qv_status st = fb_finish(&b, footer, &fb, &fb_len, err);
    if (st == QV_OK)
        st = emit(w, fb, fb_len, err);
    uint8_t tail[10] = {0, 0, 0, 0, 'A', 'R', 'R', 'O', 'W', '1'};
    put_i32(tail, (int32_t)fb_len);
    if (st == QV_OK)
        st = emit(w, tail, sizeof tail, err);
    fb_builder_free(&b);
    return st;
}

void arrow_ipc_writer_free(arrow_ipc_writer *w)
{
    if (w == NULL)
        return;
    arrow_schema_release(w->schema);
    base_free(w->dict_blocks.items);
    base_free(w->batch_blocks.items);
    for (int32_t i = 0; i < w->n_dicts; i++)
        arrow_array_release(w->dicts[i]);
    base_free(w->dicts);
    base_strbuf_free(&w->nodes);
    base_strbuf_free(&w->buffers);
    base_strbuf_free(&w->variadic);
    base_strbuf_free(&w->body);
    base_strbuf_free(&w->scratch);
    base_free(w);
}
