/*
 * arrow_ipc_body.c — the body of a RecordBatch / DictionaryBatch message
 * into arrow arrays (layer: format): field nodes and buffers taken in the
 * pre-order of the schema's fields, each buffer checked to lie inside the
 * body (8-byte aligned buffers are shared with the body, others copied),
 * LZ4_FRAME and ZSTD compressed buffers inflated to exactly their declared
 * length, and every column validated in full (offsets, lengths, UTF-8,
 * dictionary indices) before it is handed out.
 */
#include <lz4frame.h>
#include <stdio.h>
#include <string.h>
#include <zstd.h>

#include "format/arrow_ipc_int.h"

typedef struct body_ctx {
    fb_vector nodes, buffers, variadic;
    uint32_t next_node, next_buffer, next_variadic;
    arrow_buffer *body; /* borrowed */
    int codec;          /* -1: uncompressed, else IPC_CODEC_* */
    ipc_dicts *dicts;
} body_ctx;

static qv_status ipc_error(qv_error *err, const char *what)
{
    return base_error_set(err, QV_EXECUTION, "Arrow error: Ipc error: %s", what);
}

/* ---- buffers ---- */

static void release_parent(arrow_buffer *buffer)
{
    arrow_buffer_release(buffer->owner);
}

/* Makes room for at least one more byte of output, up to want bytes. */
static qv_status grow(arrow_buffer *out, int64_t want, qv_error *err)
{
    int64_t size = out->size * 2 > 65536 ? out->size * 2 : 65536;
    return arrow_buffer_resize(out, size < want ? size : want, err);
}

static qv_status lz4_inflate(const uint8_t *src, size_t n, arrow_buffer *out, int64_t want,
                             qv_error *err)
{
    LZ4F_dctx *dctx = NULL;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
        return base_error_nomem(err, "lz4 decompression");
    int64_t produced = 0;
    size_t consumed = 0, hint = 1;
    qv_status st = QV_OK;
    while (st == QV_OK && hint != 0) {
        if (produced == out->size && out->size < want)
            st = grow(out, want, err);
        if (st != QV_OK)
            break;
        uint8_t spill[16];
        bool full = produced == out->size; /* a byte past `want` is an error */
        size_t dst_len = full ? sizeof spill : (size_t)(out->size - produced);
        size_t src_len = n - consumed;
        hint = LZ4F_decompress(dctx, full ? spill : out->data + produced, &dst_len, src + consumed,
                               &src_len, NULL);
        if (LZ4F_isError(hint))
            st = ipc_error(err, "LZ4 decompression failed: corrupt frame");
        else if (full && dst_len > 0)
            st = ipc_error(err, "LZ4 buffer decompressed to more bytes than its declared length");
        else if (hint != 0 && dst_len == 0 && src_len == 0)
            st = ipc_error(err, "LZ4 buffer is truncated");
        produced += (int64_t)dst_len;
        consumed += src_len;
    }
    LZ4F_freeDecompressionContext(dctx);
    if (st == QV_OK && produced != want)
        st = ipc_error(err, "LZ4 buffer decompressed to fewer bytes than its declared length");
    return st;
}

static qv_status zstd_inflate(const uint8_t *src, size_t n, arrow_buffer *out, int64_t want,
                              qv_error *err)
{
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    if (dctx == NULL)
        return base_error_nomem(err, "zstd decompression");
    ZSTD_inBuffer in = {src, n, 0};
    int64_t produced = 0;
    size_t ret = 1;
    qv_status st = QV_OK;
    while (st == QV_OK && ret != 0) {
        if (produced == out->size && out->size < want)
            st = grow(out, want, err);
        if (st != QV_OK)
            break;
        uint8_t spill[16];
        bool full = produced == out->size;
        ZSTD_outBuffer o = {full ? spill : out->data + produced,
                            full ? sizeof spill : (size_t)(out->size - produced), 0};
        size_t before = in.pos;
        ret = ZSTD_decompressStream(dctx, &o, &in);
        if (ZSTD_isError(ret))
            st = ipc_error(err, "ZSTD decompression failed: corrupt frame");
        else if (full && o.pos > 0)
            st = ipc_error(err, "ZSTD buffer decompressed to more bytes than its declared length");
        else if (ret != 0 && o.pos == 0 && in.pos == before)
            st = ipc_error(err, "ZSTD buffer is truncated");
        produced += (int64_t)o.pos;
    }
    ZSTD_freeDCtx(dctx);
    if (st == QV_OK && produced != want)
        st = ipc_error(err, "ZSTD buffer decompressed to fewer bytes than its declared length");
    return st;
}

/* A compressed buffer: its uncompressed length (-1: stored as it is), then
 * one LZ4 frame or ZSTD frame. The output grows with what the frame really
 * produces, so a false length cannot make a huge allocation. */
static qv_status inflate_buffer(int codec, const uint8_t *src, int64_t n, arrow_buffer **out,
                                qv_error *err)
{
    if (n < 8)
        return ipc_error(err, "compressed buffer is shorter than its 8-byte length prefix");
    int64_t want = fb_load_i64(src);
    if (want == -1)
        return arrow_buffer_copy(src + 8, n - 8, out, err);
    if (want < 0)
        return ipc_error(err, "compressed buffer has a negative uncompressed length");
    QV_TRY(arrow_buffer_new(0, out, err));
    if (want == 0)
        return QV_OK;
    qv_status st = codec == IPC_CODEC_LZ4_FRAME
                       ? lz4_inflate(src + 8, (size_t)(n - 8), *out, want, err)
                       : zstd_inflate(src + 8, (size_t)(n - 8), *out, want, err);
    if (st != QV_OK) {
        arrow_buffer_release(*out);
        *out = NULL;
    }
    return st;
}

/* The next buffer of the message (NULL when !build). */
static qv_status next_buffer(body_ctx *c, bool build, arrow_buffer **out, qv_error *err)
{
    *out = NULL;
    if (c->next_buffer >= c->buffers.n)
        return ipc_parse_error(err,
                               "Buffer count mismatched with metadata: the message has %u "
                               "buffers",
                               c->buffers.n);
    uint32_t i = c->next_buffer++;
    const uint8_t *p = fb_vector_elem(&c->buffers, i, IPC_BUFFER_SIZE);
    int64_t offset = fb_load_i64(p), length = fb_load_i64(p + 8);
    int64_t body_len = c->body->size;
    if (offset < 0 || length < 0 || offset > body_len || length > body_len - offset)
        return ipc_parse_error(err,
                               "Buffer %u (offset %lld, length %lld) lies outside the message "
                               "body of %lld bytes",
                               i, (long long)offset, (long long)length, (long long)body_len);
    if (!build)
        return QV_OK;
    const uint8_t *data = c->body->data + offset;
    if (length == 0)
        return arrow_buffer_new(0, out, err);
    if (c->codec >= 0)
        return inflate_buffer(c->codec, data, length, out, err);
    if (offset % 8 != 0) /* misaligned: copied, as arrow-rs realigns */
        return arrow_buffer_copy(data, length, out, err);
    QV_TRY(arrow_buffer_wrap(data, length, release_parent, c->body, out, err));
    arrow_buffer_retain(c->body);
    return QV_OK;
}

/* ---- arrays ---- */

static qv_status next_node(body_ctx *c, int64_t *length, int64_t *null_count, qv_error *err)
{
    if (c->next_node >= c->nodes.n)
        return ipc_parse_error(err,
                               "Field node count mismatched with metadata: the message has "
                               "%u nodes",
                               c->nodes.n);
    const uint8_t *p = fb_vector_elem(&c->nodes, c->next_node++, IPC_NODE_SIZE);
    *length = fb_load_i64(p);
    *null_count = fb_load_i64(p + 8);
    if (*length < 0 || *null_count < 0 || *null_count > *length)
        return ipc_parse_error(err, "Field node with length %lld and null count %lld",
                               (long long)*length, (long long)*null_count);
    return QV_OK;
}

/* Buffers the type takes from the message (views: 2 + its variadic count). */
static qv_status buffer_count(body_ctx *c, const arrow_type *type, int32_t *n, qv_error *err)
{
    if (type->id == QV_TYPE_DICTIONARY) {
        *n = 2;
        return QV_OK;
    }
    if (type->id != QV_TYPE_UTF8_VIEW && type->id != QV_TYPE_BINARY_VIEW) {
        *n = arrow_layout_buffers(type);
        return QV_OK;
    }
    if (c->next_variadic >= c->variadic.n)
        return ipc_parse_error(err, "Missing variadic buffer count for a view column");
    int64_t count = fb_load_i64(fb_vector_elem(&c->variadic, c->next_variadic++, 8));
    if (count < 0 || count > (int64_t)(c->buffers.n - c->next_buffer))
        return ipc_parse_error(err, "Invalid variadic buffer count %lld", (long long)count);
    *n = 2 + (int32_t)count;
    return QV_OK;
}

/* An empty offsets buffer of an empty array stands for a single 0. */
static qv_status fix_empty_offsets(const arrow_type *type, int64_t length, arrow_buffer **offsets,
                                   qv_error *err)
{
    int width = 0;
    switch (type->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY:
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
        width = 4;
        break;
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_LARGE_LIST:
        width = 8;
        break;
    default:
        return QV_OK;
    }
    if (length != 0 || (*offsets)->size != 0)
        return QV_OK;
    arrow_buffer_release(*offsets);
    return arrow_buffer_new(width, offsets, err);
}

static qv_status read_array(body_ctx *c, arrow_type *type, bool build, arrow_array **out,
                            qv_error *err);

static qv_status read_children(body_ctx *c, arrow_type *type, bool build, arrow_array **kids,
                               qv_error *err)
{
    int32_t n = arrow_layout_children(type);
    for (int32_t i = 0; i < n; i++)
        QV_TRY(read_array(c, type->children[i]->type, build, &kids[i], err));
    return QV_OK;
}

static qv_status read_array(body_ctx *c, arrow_type *type, bool build, arrow_array **out,
                            qv_error *err)
{
    *out = NULL;
    int64_t length = 0, null_count = 0;
    int32_t n_buffers = 0, n_kids = arrow_layout_children(type);
    QV_TRY(next_node(c, &length, &null_count, err));
    QV_TRY(buffer_count(c, type, &n_buffers, err));
    arrow_buffer **buffers = base_calloc((size_t)(n_buffers > 0 ? n_buffers : 1), sizeof *buffers);
    arrow_array **kids = base_calloc((size_t)(n_kids > 0 ? n_kids : 1), sizeof *kids);
    qv_status st = buffers && kids ? QV_OK : base_error_nomem(err, "IPC array");
    for (int32_t i = 0; i < n_buffers && st == QV_OK; i++)
        st = next_buffer(c, build, &buffers[i], err);
    if (st == QV_OK)
        st = read_children(c, type, build, kids, err);
    arrow_array *dictionary = NULL;
    if (st == QV_OK && build && type->id == QV_TYPE_DICTIONARY) {
        ipc_dict *d = ipc_dicts_by_type(c->dicts, type);
        if (d == NULL || d->values == NULL)
            st = ipc_parse_error(err, "Cannot find a dictionary batch with dict id: %lld",
                                 d != NULL ? (long long)d->id : -1LL);
        else
            dictionary = d->values;
    }
    if (st == QV_OK && build && n_buffers >= 2)
        st = fix_empty_offsets(type, length, &buffers[1], err);
    if (st == QV_OK && build) {
        if (type->id == QV_TYPE_NULL)
            null_count = length;
        else if (n_buffers > 0 && null_count == 0) {
            arrow_buffer_release(buffers[0]); /* no nulls: no bitmap needed */
            buffers[0] = NULL;
        }
        st = arrow_array_new(type, length, type->id == QV_TYPE_NULL ? null_count : -1, 0, n_buffers,
                             buffers, n_kids, kids, dictionary, out, err);
    }
    for (int32_t i = 0; buffers != NULL && i < n_buffers; i++)
        arrow_buffer_release(buffers[i]);
    for (int32_t i = 0; kids != NULL && i < n_kids; i++)
        arrow_array_release(kids[i]);
    base_free(buffers);
    base_free(kids);
    return st;
}

/* Validates a decoded column; its problems are the file's. */
static qv_status validate(arrow_array *array, qv_error *err)
{
    qv_status st = arrow_array_validate(array, err);
    if (st == QV_INVALID && err != NULL) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        return base_error_set(err, QV_EXECUTION, "Arrow error: Invalid argument error: %s", msg);
    }
    return st;
}

static qv_status open_body(const fb_table *rb, arrow_buffer *body, ipc_dicts *dicts, body_ctx *c,
                           int64_t *length, qv_error *err)
{
    memset(c, 0, sizeof *c);
    c->body = body;
    c->dicts = dicts;
    c->codec = -1;
    bool has_nodes = false, has_buffers = false, has_variadic = false, has_comp = false;
    fb_table comp;
    if (!fb_i64(rb, IPC_BATCH_LENGTH, 0, length) ||
        !fb_vector_field(rb, IPC_BATCH_NODES, IPC_NODE_SIZE, &c->nodes, &has_nodes) ||
        !fb_vector_field(rb, IPC_BATCH_BUFFERS, IPC_BUFFER_SIZE, &c->buffers, &has_buffers) ||
        !fb_vector_field(rb, IPC_BATCH_VARIADIC, 8, &c->variadic, &has_variadic) ||
        !fb_table_field(rb, IPC_BATCH_COMPRESSION, &comp, &has_comp))
        return ipc_parse_error(err, "Unable to read IPC message: malformed RecordBatch");
    if (*length < 0)
        return ipc_parse_error(err, "RecordBatch with negative length %lld", (long long)*length);
    if (has_comp) {
        uint8_t codec = 0, method = 0;
        if (!fb_u8(&comp, IPC_COMPRESSION_CODEC, 0, &codec) ||
            !fb_u8(&comp, IPC_COMPRESSION_METHOD, 0, &method))
            return ipc_parse_error(err, "Unable to read IPC message: malformed BodyCompression");
        if (codec > IPC_CODEC_ZSTD || method != 0)
            return ipc_parse_error(err, "Unsupported body compression (codec %u, method %u)", codec,
                                   method);
        c->codec = codec;
    }
    return QV_OK;
}

qv_status ipc_decode_batch(const fb_table *rb, arrow_buffer *body, arrow_schema *schema,
                           const bool *keep, ipc_dicts *dicts, arrow_array **columns,
                           int64_t *n_rows, qv_error *err)
{
    body_ctx c;
    QV_TRY(open_body(rb, body, dicts, &c, n_rows, err));
    for (int32_t i = 0; i < schema->n_fields; i++) {
        columns[i] = NULL;
        bool build = keep == NULL || keep[i];
        QV_TRY(read_array(&c, schema->fields[i]->type, build, &columns[i], err));
        if (!build)
            continue;
        QV_TRY(validate(columns[i], err));
        if (columns[i]->length != *n_rows)
            return ipc_parse_error(err, "Column %d has %lld rows where the batch has %lld", i,
                                   (long long)columns[i]->length, (long long)*n_rows);
    }
    return QV_OK;
}

/* Appends b's values to a's (a delta dictionary). */
static qv_status concat(arrow_array *a, arrow_array *b, arrow_array **out, qv_error *err)
{
    arrow_builder *builder = NULL;
    QV_TRY(arrow_builder_new(a->type, &builder, err));
    qv_status st = QV_OK;
    for (int64_t i = 0; i < a->length && st == QV_OK; i++)
        st = arrow_builder_append_from(builder, a, i, err);
    for (int64_t i = 0; i < b->length && st == QV_OK; i++)
        st = arrow_builder_append_from(builder, b, i, err);
    if (st == QV_OK)
        st = arrow_builder_finish(builder, out, err);
    arrow_builder_free(builder);
    return st;
}

qv_status ipc_decode_dictionary(const fb_table *db, arrow_buffer *body, ipc_dicts *dicts,
                                qv_error *err)
{
    int64_t id = 0, n_rows = 0;
    bool delta = false, has_data = false;
    fb_table data;
    if (!fb_i64(db, IPC_DICTBATCH_ID, 0, &id) || !fb_bool(db, IPC_DICTBATCH_DELTA, false, &delta) ||
        !fb_table_field(db, IPC_DICTBATCH_DATA, &data, &has_data) || !has_data)
        return ipc_parse_error(err, "Unable to read IPC message: malformed DictionaryBatch");
    ipc_dict *d = ipc_dicts_by_id(dicts, id);
    if (d == NULL)
        return ipc_parse_error(err, "Dictionary batch with id %lld matches no field",
                               (long long)id);
    body_ctx c;
    QV_TRY(open_body(&data, body, dicts, &c, &n_rows, err));
    arrow_array *values = NULL;
    QV_TRY(read_array(&c, d->type->value_type, true, &values, err));
    qv_status st = validate(values, err);
    if (st == QV_OK && values->length != n_rows)
        st = ipc_parse_error(err, "Dictionary batch has %lld values where it says %lld",
                             (long long)values->length, (long long)n_rows);
    if (st == QV_OK && delta && d->values != NULL) {
        arrow_array *joined = NULL;
        st = concat(d->values, values, &joined, err);
        arrow_array_release(values);
        values = joined;
    }
    if (st != QV_OK) {
        arrow_array_release(values);
        return st;
    }
    arrow_array_release(d->values);
    d->values = values;
    return QV_OK;
}
