/*
 * arrow_ipc_read.c — reading Arrow IPC files (layer: format): encapsulated
 * messages (continuation marker and length, or the pre-0.15 bare length;
 * flatbuffer metadata; body) read one at a time from a file or from bytes
 * in memory; the file format through its footer (dictionary blocks first,
 * then record batch blocks), the stream format message after message, as
 * arrow-rs' FileReader and StreamReader do; the scan's projection, its
 * row limit and batch size, and the table's column types applied to the
 * decoded batches; schema inference over files as DataFusion's
 * ArrowFormat does.
 */
#include <stdio.h>
#include <string.h>

#include "format/arrow_ipc_int.h"
#include "format/reader_int.h"
#include "io/io.h"

static const uint8_t magic[6] = {'A', 'R', 'R', 'O', 'W', '1'};

/* ---- the bytes ---- */

typedef struct ipc_source {
    const uint8_t *mem; /* borrowed; NULL over a file */
    io_file *file;      /* owned */
    int64_t size;
} ipc_source;

/* Reads up to len bytes at off; *got is less only at the end. */
static qv_status source_read(ipc_source *s, int64_t off, int64_t len, uint8_t *dst, int64_t *got,
                             qv_error *err)
{
    *got = 0;
    if (off < 0 || off >= s->size || len <= 0) /* footer blocks may point anywhere */
        return QV_OK;
    if (len > s->size - off)
        len = s->size - off;
    if (s->mem != NULL) {
        memcpy(dst, s->mem + off, (size_t)len);
        *got = len;
        return QV_OK;
    }
    return io_file_read_at(s->file, off, dst, len, got, err);
}

static qv_status short_read(qv_error *err)
{
    return base_error_set(err, QV_EXECUTION, "Arrow error: Io error: failed to fill whole buffer");
}

/* ---- messages ---- */

typedef struct ipc_message {
    uint8_t *meta; /* the flatbuffer (owned) */
    fb_table header;
    uint8_t type;       /* IPC_HEADER_* */
    arrow_buffer *body; /* owned */
} ipc_message;

static void message_clear(ipc_message *m)
{
    base_free(m->meta);
    arrow_buffer_release(m->body);
    memset(m, 0, sizeof *m);
}

static const char *header_name(uint8_t type, char *buf, size_t cap)
{
    static const char *const names[] = {"NONE",        "Schema", "DictionaryBatch",
                                        "RecordBatch", "Tensor", "SparseTensor"};
    if (type < sizeof names / sizeof names[0])
        return names[type];
    snprintf(buf, cap, "<UNKNOWN %u>", type);
    return buf;
}

/* The message at *offset (advanced past it). *eos is set at the end of the
 * stream: no more bytes, or the 0 length end marker. */
static qv_status read_message(ipc_source *s, int64_t *offset, ipc_message *m, bool *eos,
                              qv_error *err)
{
    memset(m, 0, sizeof *m);
    *eos = false;
    uint8_t prefix[4];
    int64_t got = 0, pos = *offset;
    QV_TRY(source_read(s, pos, 4, prefix, &got, err));
    if (got < 4) {
        *eos = true;
        return QV_OK;
    }
    pos += 4;
    int32_t meta_len = fb_load_i32(prefix);
    if (meta_len == -1) { /* continuation marker, then the length */
        QV_TRY(source_read(s, pos, 4, prefix, &got, err));
        if (got < 4) {
            *eos = true;
            return QV_OK;
        }
        pos += 4;
        meta_len = fb_load_i32(prefix);
    }
    if (meta_len == 0) {
        *eos = true;
        return QV_OK;
    }
    if (meta_len < 0)
        return ipc_parse_error(err, "IPC message metadata length is negative");
    if (meta_len > s->size - pos)
        return short_read(err);
    m->meta = base_alloc((size_t)meta_len);
    if (m->meta == NULL)
        return base_error_nomem(err, "IPC message");
    QV_TRY(source_read(s, pos, meta_len, m->meta, &got, err));
    if (got < meta_len)
        return short_read(err);
    pos += meta_len;
    fb_table msg;
    int64_t body_len = 0;
    bool has_header = false;
    if (!fb_root(m->meta, (size_t)meta_len, &msg) ||
        !fb_u8(&msg, IPC_MESSAGE_HEADER_TYPE, 0, &m->type) ||
        !fb_table_field(&msg, IPC_MESSAGE_HEADER, &m->header, &has_header) ||
        !fb_i64(&msg, IPC_MESSAGE_BODY_LENGTH, 0, &body_len))
        return ipc_parse_error(err, "Unable to get root as message: malformed flatbuffer");
    if (m->type != IPC_HEADER_NONE && !has_header)
        return ipc_parse_error(err, "IPC message has no header");
    if (body_len < 0 || body_len > s->size - pos)
        return short_read(err);
    QV_TRY(arrow_buffer_new(body_len, &m->body, err));
    QV_TRY(source_read(s, pos, body_len, m->body->data, &got, err));
    if (got < body_len)
        return short_read(err);
    *offset = pos + body_len;
    return QV_OK;
}

/* ---- the file format's footer ---- */

typedef struct ipc_footer {
    uint8_t *bytes; /* owned */
    fb_table footer, schema;
    fb_vector dictionaries, batches;
} ipc_footer;

static qv_status read_footer(ipc_source *s, ipc_footer *f, qv_error *err)
{
    memset(f, 0, sizeof *f);
    uint8_t head[8], tail[10];
    int64_t got = 0, got_tail = 0;
    QV_TRY(source_read(s, 0, 8, head, &got, err));
    if (got < 6 || memcmp(head, magic, 6) != 0)
        return ipc_parse_error(err, "Arrow file does not contain correct header");
    if (s->size < 18)
        return ipc_parse_error(err, "Arrow file does not contain correct footer");
    QV_TRY(source_read(s, s->size - 10, 10, tail, &got_tail, err));
    if (got_tail < 10 || memcmp(tail + 4, magic, 6) != 0)
        return ipc_parse_error(err, "Arrow file does not contain correct footer");
    int32_t len = fb_load_i32(tail);
    if (len <= 0 || len > s->size - 18)
        return ipc_parse_error(err, "Invalid footer length %d", len);
    f->bytes = base_alloc((size_t)len);
    if (f->bytes == NULL)
        return base_error_nomem(err, "IPC footer");
    QV_TRY(source_read(s, s->size - 10 - len, len, f->bytes, &got, err));
    if (got < len)
        return short_read(err);
    bool has_schema = false, has_dicts = false, has_batches = false;
    if (!fb_root(f->bytes, (size_t)len, &f->footer) ||
        !fb_table_field(&f->footer, IPC_FOOTER_SCHEMA, &f->schema, &has_schema) ||
        !fb_vector_field(&f->footer, IPC_FOOTER_DICTIONARIES, IPC_BLOCK_SIZE, &f->dictionaries,
                         &has_dicts) ||
        !fb_vector_field(&f->footer, IPC_FOOTER_BATCHES, IPC_BLOCK_SIZE, &f->batches, &has_batches))
        return ipc_parse_error(err, "Unable to get root as footer: malformed flatbuffer");
    if (!has_schema)
        return ipc_parse_error(err, "Unable to get schema from IPC footer");
    return QV_OK;
}

/* ---- the reader ---- */

struct arrow_ipc_reader {
    ipc_source src;
    bool stream;
    ipc_footer footer;         /* file format */
    uint32_t next_block;       /* file format: next record batch block */
    int64_t offset;            /* stream format: next message */
    arrow_schema *file_schema; /* as decoded (its types name the dictionaries) */
    ipc_dicts dicts;
    bool *keep;      /* file columns decoded */
    int32_t *source; /* per output column: file column, or -1 (NULLs) */
    arrow_schema *out_schema;
    reader_rows rows;
    arrow_batch *pending; /* a decoded batch handed out in slices */
    int64_t pending_at;
    bool done;
    reader_failure failure;
};

bool arrow_ipc_is_file_format(const uint8_t *data, size_t len)
{
    return len >= 6 && memcmp(data, magic, 6) == 0;
}

static qv_status unexpected(uint8_t type, qv_error *err)
{
    char buf[32];
    return ipc_parse_error(err, "Unsupported message header type in IPC stream: '%s'",
                           header_name(type, buf, sizeof buf));
}

/* Reads the message at *offset and decodes dictionaries until a record
 * batch: *m holds it, or *eos is set. */
static qv_status next_record_message(arrow_ipc_reader *r, int64_t *offset, ipc_message *m,
                                     bool *eos, qv_error *err)
{
    for (;;) {
        QV_TRY(read_message(&r->src, offset, m, eos, err));
        if (*eos || m->type == IPC_HEADER_RECORD_BATCH)
            return QV_OK;
        if (m->type != IPC_HEADER_DICTIONARY_BATCH)
            return unexpected(m->type, err);
        qv_status st = ipc_decode_dictionary(&m->header, m->body, &r->dicts, err);
        message_clear(m);
        QV_TRY(st);
    }
}

/* The file format's schema and dictionaries. */
static qv_status open_file_format(arrow_ipc_reader *r, qv_error *err)
{
    QV_TRY(read_footer(&r->src, &r->footer, err));
    QV_TRY(ipc_schema_decode(&r->footer.schema, &r->dicts, &r->file_schema, err));
    for (uint32_t i = 0; i < r->footer.dictionaries.n; i++) {
        int64_t at = fb_load_i64(fb_vector_elem(&r->footer.dictionaries, i, IPC_BLOCK_SIZE));
        ipc_message m;
        bool eos = false;
        qv_status st = read_message(&r->src, &at, &m, &eos, err);
        if (st == QV_OK && (eos || m.type != IPC_HEADER_DICTIONARY_BATCH))
            st = ipc_parse_error(err, "Dictionary block %u does not hold a dictionary batch", i);
        if (st == QV_OK)
            st = ipc_decode_dictionary(&m.header, m.body, &r->dicts, err);
        message_clear(&m);
        QV_TRY(st);
    }
    return QV_OK;
}

/* The stream format's schema: its first message. */
static qv_status open_stream_format(arrow_ipc_reader *r, qv_error *err)
{
    ipc_message m;
    bool eos = false;
    qv_status st = read_message(&r->src, &r->offset, &m, &eos, err);
    if (st == QV_OK && eos)
        st = ipc_parse_error(err, "Unexpected end of byte stream for Arrow IPC file");
    if (st == QV_OK && m.type != IPC_HEADER_SCHEMA)
        st = ipc_parse_error(err, "Unable to read IPC message as schema");
    if (st == QV_OK)
        st = ipc_schema_decode(&m.header, &r->dicts, &r->file_schema, err);
    message_clear(&m);
    return st;
}

/* The output columns: the scan's projected fields, found in the file by
 * name. */
static qv_status plan_columns(arrow_ipc_reader *r, const arrow_ipc_scan *scan, qv_error *err)
{
    arrow_schema *table = scan != NULL && scan->schema != NULL ? scan->schema : r->file_schema;
    int32_t n = scan != NULL && scan->projection != NULL ? scan->n_projection : table->n_fields;
    int32_t n_file = r->file_schema->n_fields;
    r->keep = base_calloc((size_t)(n_file > 0 ? n_file : 1), sizeof *r->keep);
    r->source = base_calloc((size_t)(n > 0 ? n : 1), sizeof *r->source);
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    qv_status st = r->keep && r->source && fields ? QV_OK : base_error_nomem(err, "IPC reader");
    for (int32_t c = 0; c < n && st == QV_OK; c++) {
        int32_t col = scan != NULL && scan->projection != NULL ? scan->projection[c] : c;
        if (col < 0 || col >= table->n_fields) {
            st = base_error_set(err, QV_MISUSE, "projection index %d out of range", col);
            break;
        }
        fields[c] = table->fields[col];
        r->source[c] =
            table == r->file_schema ? col : arrow_schema_find(r->file_schema, fields[c]->name);
        if (r->source[c] >= 0)
            r->keep[r->source[c]] = true;
    }
    if (st == QV_OK)
        st = arrow_schema_new(n, fields, &table->metadata, &r->out_schema, err);
    base_free(fields);
    return st;
}

static qv_status open_reader(arrow_ipc_reader *r, const arrow_ipc_scan *scan, qv_error *err)
{
    uint8_t head[6];
    int64_t got = 0;
    QV_TRY(source_read(&r->src, 0, 6, head, &got, err));
    r->stream = !arrow_ipc_is_file_format(head, (size_t)got);
    QV_TRY(r->stream ? open_stream_format(r, err) : open_file_format(r, err));
    reader_rows_init(&r->rows, scan != NULL ? scan->batch_size : 0,
                     scan != NULL ? scan->limit : -1);
    return plan_columns(r, scan, err);
}

static qv_status finish_open(arrow_ipc_reader *r, const arrow_ipc_scan *scan, const char *name,
                             arrow_ipc_reader **out, qv_error *err)
{
    qv_status st = open_reader(r, scan, err);
    if (st != QV_OK) {
        if (name != NULL && err != NULL && err->hint[0] == '\0')
            base_error_set_hint(err, "in file %s", name);
        arrow_ipc_reader_free(r);
        return st;
    }
    *out = r;
    return QV_OK;
}

qv_status arrow_ipc_reader_open_buffer(const uint8_t *data, size_t len, const char *name,
                                       const arrow_ipc_scan *scan, arrow_ipc_reader **out,
                                       qv_error *err)
{
    *out = NULL;
    arrow_ipc_reader *r = base_calloc(1, sizeof *r);
    if (r == NULL)
        return base_error_nomem(err, "IPC reader");
    r->src.mem = data != NULL ? data : (const uint8_t *)"";
    r->src.size = (int64_t)len;
    return finish_open(r, scan, name, out, err);
}

qv_status arrow_ipc_reader_open(const char *path, const arrow_ipc_scan *scan,
                                arrow_ipc_reader **out, qv_error *err)
{
    *out = NULL;
    arrow_ipc_reader *r = base_calloc(1, sizeof *r);
    if (r == NULL)
        return base_error_nomem(err, "IPC reader");
    qv_status st = io_file_open(path, &r->src.file, err);
    if (st != QV_OK) {
        base_free(r);
        return st;
    }
    r->src.size = io_file_size(r->src.file);
    return finish_open(r, scan, path, out, err);
}

arrow_schema *arrow_ipc_reader_schema(const arrow_ipc_reader *reader)
{
    return reader->out_schema;
}

bool arrow_ipc_reader_is_stream(const arrow_ipc_reader *reader)
{
    return reader->stream;
}

void arrow_ipc_reader_free(arrow_ipc_reader *r)
{
    if (r == NULL)
        return;
    io_file_close(r->src.file);
    base_free(r->footer.bytes);
    ipc_dicts_free(&r->dicts);
    arrow_schema_release(r->file_schema);
    arrow_schema_release(r->out_schema);
    arrow_batch_release(r->pending);
    base_free(r->keep);
    base_free(r->source);
    base_free(r);
}

/* ---- column conversion to the table's types ---- */

/* The bytes of element i of a string / binary array (any of the three
 * layouts). */
static void element_bytes(const arrow_array *a, int64_t i, const uint8_t **data, int64_t *len)
{
    int64_t k = a->offset + i;
    switch (a->type->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_BINARY: {
        const int32_t *off = (const int32_t *)a->buffers[1]->data;
        *data = a->buffers[2]->data + off[k];
        *len = off[k + 1] - off[k];
        return;
    }
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_LARGE_BINARY: {
        const int64_t *off = (const int64_t *)a->buffers[1]->data;
        *data = a->buffers[2]->data + off[k];
        *len = off[k + 1] - off[k];
        return;
    }
    default: { /* views */
        const uint8_t *view = a->buffers[1]->data + 16 * k;
        *len = fb_load_i32(view);
        if (*len <= 12) {
            *data = view + 4;
            return;
        }
        *data = a->buffers[2 + fb_load_i32(view + 8)]->data + fb_load_i32(view + 12);
        return;
    }
    }
}

static bool is_string_like(arrow_type_id id)
{
    return id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW ||
           id == QV_TYPE_BINARY || id == QV_TYPE_LARGE_BINARY || id == QV_TYPE_BINARY_VIEW;
}

static bool is_utf8(arrow_type_id id)
{
    return id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW;
}

/* How element i moves: 0 append_from, 1 bytes, 2 integers; -1 not at all. */
static int conversion(const arrow_type *from, const arrow_type *to)
{
    if (from->id == QV_TYPE_DICTIONARY && arrow_type_equal(from->value_type, to))
        return 0;
    /* binary into strings would need a UTF-8 check: left to a CAST */
    if (is_string_like(from->id) && is_string_like(to->id) &&
        (is_utf8(from->id) || !is_utf8(to->id)))
        return 1;
    if (arrow_type_is_integer(from->id) && arrow_type_is_integer(to->id))
        return 2;
    return -1;
}

static qv_status convert(arrow_array *col, arrow_type *to, const char *name, arrow_array **out,
                         qv_error *err)
{
    if (arrow_type_equal(col->type, to)) {
        *out = arrow_array_retain(col);
        return QV_OK;
    }
    int how = conversion(col->type, to);
    if (how < 0) {
        base_strbuf a, b;
        base_strbuf_init(&a);
        base_strbuf_init(&b);
        arrow_type_format(col->type, &a);
        arrow_type_format(to, &b);
        qv_status st = base_error_set(err, QV_NOT_IMPLEMENTED,
                                      "This feature is not implemented: reading column %s of "
                                      "type %s from an Arrow IPC file as %s",
                                      name, base_strbuf_cstr(&a), base_strbuf_cstr(&b));
        base_strbuf_free(&a);
        base_strbuf_free(&b);
        return st;
    }
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(to, &b, err));
    qv_status st = QV_OK;
    bool is_signed = arrow_type_is_signed_integer(col->type->id);
    const uint8_t *values = arrow_array_values(col);
    int width = arrow_type_bit_width(col->type) / 8;
    for (int64_t i = 0; i < col->length && st == QV_OK; i++) {
        if (how == 0) {
            st = arrow_builder_append_from(b, col, i, err);
        } else if (!arrow_array_is_valid(col, i)) {
            st = arrow_builder_append_null(b, err);
        } else if (how == 1) {
            const uint8_t *data = NULL;
            int64_t len = 0;
            element_bytes(col, i, &data, &len);
            st = arrow_builder_append_bytes(b, data, len, err);
        } else {
            uint64_t raw = 0;
            memcpy(&raw, values + (col->offset + i) * width, (size_t)width);
            int shift = 64 - 8 * width;
            st = is_signed ? arrow_builder_append_int(b, (int64_t)(raw << shift) >> shift, err)
                           : arrow_builder_append_uint(b, raw, err);
        }
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

/* ---- batches ---- */

/* The decoded columns of a record batch, shaped into the output batch. */
typedef struct decoded_batch {
    const arrow_ipc_reader *reader;
    arrow_array **cols; /* per file column (NULL where not decoded) */
} decoded_batch;

/* A reader_build_fn: output column c from its file column, or NULLs. */
static qv_status build_column(void *ctx, int32_t c, int64_t n_rows, arrow_array **out,
                              qv_error *err)
{
    const decoded_batch *d = ctx;
    const arrow_ipc_reader *r = d->reader;
    arrow_field *f = r->out_schema->fields[c];
    if (r->source[c] < 0)
        return arrow_array_new_null(f->type, n_rows, out, err);
    return convert(d->cols[r->source[c]], f->type, f->name, out, err);
}

/* The next record batch message of either format; *m untouched at the end. */
static qv_status next_message(arrow_ipc_reader *r, ipc_message *m, bool *end, qv_error *err)
{
    *end = false;
    if (r->stream)
        return next_record_message(r, &r->offset, m, end, err);
    if (r->next_block >= r->footer.batches.n) {
        *end = true;
        return QV_OK;
    }
    uint32_t i = r->next_block++;
    int64_t at = fb_load_i64(fb_vector_elem(&r->footer.batches, i, IPC_BLOCK_SIZE));
    bool eos = false;
    QV_TRY(read_message(&r->src, &at, m, &eos, err));
    if (eos || m->type != IPC_HEADER_RECORD_BATCH)
        return ipc_parse_error(err, "Record batch block %u does not hold a record batch", i);
    return QV_OK;
}

/* Decodes the next record batch into r->pending; done at the end. */
static qv_status load_batch(arrow_ipc_reader *r, qv_error *err)
{
    ipc_message m = {0};
    bool end = false;
    qv_status st = next_message(r, &m, &end, err);
    if (st != QV_OK || end) {
        message_clear(&m);
        r->done = end;
        return st;
    }
    int32_t n_file = r->file_schema->n_fields;
    arrow_array **cols = base_calloc((size_t)(n_file > 0 ? n_file : 1), sizeof *cols);
    int64_t n_rows = 0;
    st = cols != NULL ? ipc_decode_batch(&m.header, m.body, r->file_schema, r->keep, &r->dicts,
                                         cols, &n_rows, err)
                      : base_error_nomem(err, "IPC reader");
    if (st == QV_OK) {
        decoded_batch d = {r, cols};
        st = reader_batch_build(r->out_schema, n_rows, build_column, &d, "IPC reader", &r->pending,
                                err);
    }
    r->pending_at = 0;
    for (int32_t i = 0; cols != NULL && i < n_file; i++)
        arrow_array_release(cols[i]);
    base_free(cols);
    message_clear(&m);
    return st;
}

static qv_status next_batch(arrow_ipc_reader *r, arrow_batch **out, qv_error *err)
{
    for (;;) {
        if (r->done || (r->rows.limit >= 0 && r->rows.emitted >= r->rows.limit))
            return QV_OK;
        if (r->pending == NULL || r->pending_at >= r->pending->n_rows) {
            arrow_batch_release(r->pending);
            r->pending = NULL;
            QV_TRY(load_batch(r, err));
            continue;
        }
        int64_t n = reader_rows_next(&r->rows, r->pending->n_rows - r->pending_at);
        if (r->pending_at == 0 && n == r->pending->n_rows)
            *out = arrow_batch_retain(r->pending);
        else
            QV_TRY(arrow_batch_slice(r->pending, r->pending_at, n, out, err));
        r->pending_at += n;
        r->rows.emitted += n;
        return QV_OK;
    }
}

qv_status arrow_ipc_reader_next(arrow_ipc_reader *r, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    qv_status st;
    if (reader_failure_get(&r->failure, &st, err))
        return st;
    st = next_batch(r, out, err);
    if (st != QV_OK)
        reader_failure_set(&r->failure, st, err, "Arrow IPC reader failed");
    return st;
}

/* ---- schemas ---- */

/* The schema through a reader of the given kind (no batch is read). */
static qv_status schema_as(const ipc_source *src, bool stream, arrow_schema **out, qv_error *err)
{
    arrow_ipc_reader r;
    memset(&r, 0, sizeof r);
    r.src = *src;
    r.stream = stream;
    qv_status st = stream ? open_stream_format(&r, err) : open_file_format(&r, err);
    if (st == QV_OK)
        *out = arrow_schema_retain(r.file_schema);
    base_free(r.footer.bytes);
    ipc_dicts_free(&r.dicts);
    arrow_schema_release(r.file_schema);
    return st;
}

/* DataFusion's ArrowFormat::infer_schema of one file: the file format's
 * reader, else the stream format's. */
static qv_status source_schema(const ipc_source *src, const char *name, arrow_schema **out,
                               qv_error *err)
{
    *out = NULL;
    qv_error file_err = {0};
    qv_status st = schema_as(src, false, out, &file_err);
    if (st == QV_NOMEM || st == QV_NOT_IMPLEMENTED || st == QV_IO) {
        if (err != NULL)
            *err = file_err;
        return st;
    }
    if (st != QV_OK)
        st = schema_as(src, true, out, err);
    if (st == QV_EXECUTION && err != NULL) {
        /* DataFusion names both attempts */
        char stream_msg[sizeof err->message];
        snprintf(stream_msg, sizeof stream_msg, "%s", err->message);
        base_error_set(err, QV_EXECUTION,
                       "Internal error: Failed to parse Arrow file as either file format or "
                       "stream format. File format error: %.400s. Stream format error: %.400s",
                       file_err.message, stream_msg);
    }
    if (st != QV_OK && name != NULL && err != NULL)
        base_error_set_hint(err, "in file %s", name);
    return st;
}

qv_status arrow_ipc_read_schema_buffer(const uint8_t *data, size_t len, const char *name,
                                       arrow_schema **out, qv_error *err)
{
    ipc_source src = {data != NULL ? data : (const uint8_t *)"", NULL, (int64_t)len};
    return source_schema(&src, name, out, err);
}

/* One file's schema (fmt_file_schema_fn). */
static qv_status file_schema(void *user, const char *path, arrow_schema **out, qv_error *err)
{
    (void)user;
    ipc_source src = {NULL, NULL, 0};
    QV_TRY(io_file_open(path, &src.file, err));
    src.size = io_file_size(src.file);
    qv_status st = source_schema(&src, path, out, err);
    io_file_close(src.file);
    return st;
}

qv_status arrow_ipc_infer_files(const char *const *paths, int32_t n, arrow_schema **out,
                                qv_error *err)
{
    return fmt_merge_file_schemas(paths, n, file_schema, NULL, out, err);
}
