/*
 * parquet_write.c — writing Arrow batches as a Parquet file (layer:
 * format), as arrow-rs' ArrowWriter: "PAR1", row groups of at most
 * max_row_group_size rows (and max_row_group_bytes of encoded data when
 * set), each column chunk encoded as the batches come and kept in memory
 * until its row group is complete (so the memory held is bounded by one
 * row group), then the footer (FileMetaData, its length, "PAR1").
 *
 * Not written: the "ARROW:schema" key (readers map the Parquet types back),
 * bloom filters, the page index, encryption.
 */
#include <string.h>

#include "format/parquet_write_int.h"

struct parquet_writer {
    arrow_schema *schema;
    parquet_write_options opts; /* owned copy */
    pqw_schema pschema;
    pqw_column **columns; /* one per leaf */
    pqw_levels levels;
    fmt_sink_fn sink;
    void *user;
    int64_t offset; /* bytes written to the sink */
    int64_t group_rows, total_rows;
    base_strbuf row_groups; /* the RowGroup structs written so far */
    int32_t n_row_groups;
    base_strbuf chunk; /* scratch: one column chunk's bytes */
    bool failed;
};

static const char magic[4] = {'P', 'A', 'R', '1'};

qv_status parquet_writer_new(arrow_schema *schema, const parquet_write_options *opts,
                             fmt_sink_fn sink, void *user, parquet_writer **out, qv_error *err)
{
    *out = NULL;
    parquet_writer *w = base_calloc(1, sizeof *w);
    if (w == NULL)
        return base_error_nomem(err, "parquet writer");
    w->schema = arrow_schema_retain(schema);
    w->sink = sink;
    w->user = user;
    base_strbuf_init(&w->row_groups);
    base_strbuf_init(&w->chunk);
    parquet_write_options_init(&w->opts);
    qv_status st = parquet_write_options_copy(&w->opts, opts, err);
    if (st == QV_OK)
        st = pqw_schema_build(schema, &w->opts, &w->pschema, err);
    if (st == QV_OK) {
        int32_t n = w->pschema.n_leaves;
        w->columns = base_calloc((size_t)(n > 0 ? n : 1), sizeof *w->columns);
        if (w->columns == NULL)
            st = base_error_nomem(err, "parquet writer");
        for (int32_t i = 0; i < n && st == QV_OK; i++)
            st = pqw_column_new(&w->pschema.leaves[i], &w->opts, &w->columns[i], err);
    }
    if (st != QV_OK) {
        parquet_writer_free(w);
        return st;
    }
    *out = w;
    return QV_OK;
}

static qv_status emit(parquet_writer *w, const void *data, size_t len, qv_error *err)
{
    if (w->offset == 0) {
        QV_TRY(w->sink(w->user, (const uint8_t *)magic, sizeof magic, err));
        w->offset = sizeof magic;
    }
    if (len == 0)
        return QV_OK;
    QV_TRY(w->sink(w->user, data, len, err));
    w->offset += (int64_t)len;
    return QV_OK;
}

/* Writes the buffered column chunks as one row group. */
static qv_status flush_row_group(parquet_writer *w, qv_error *err)
{
    if (w->group_rows == 0)
        return QV_OK;
    QV_TRY(emit(w, NULL, 0, err)); /* the magic, so that offsets are right */
    int64_t group_start = w->offset, total_uncompressed = 0, total_compressed = 0;
    thrift_writer meta;
    thrift_writer_init(&meta, &w->row_groups);
    thrift_write_struct_begin(&meta);
    thrift_write_field_list_begin(&meta, 1, THRIFT_STRUCT, w->pschema.n_leaves);
    for (int32_t i = 0; i < w->pschema.n_leaves; i++) {
        base_strbuf_clear(&w->chunk);
        int64_t uncompressed = 0, compressed = 0;
        QV_TRY(pqw_column_finish(w->columns[i], w->offset, &w->chunk, &meta, &uncompressed,
                                 &compressed, err));
        QV_TRY(emit(w, w->chunk.data, w->chunk.len, err));
        total_uncompressed += uncompressed;
        total_compressed += compressed;
    }
    thrift_write_field_i64(&meta, 2, total_uncompressed);
    thrift_write_field_i64(&meta, 3, w->group_rows);
    thrift_write_field_i64(&meta, 5, group_start);
    thrift_write_field_i64(&meta, 6, total_compressed);
    thrift_write_field_i16(&meta, 7, (int16_t)w->n_row_groups);
    thrift_write_struct_end(&meta);
    if (base_strbuf_failed(&w->row_groups))
        return base_error_nomem(err, "parquet writer");
    w->n_row_groups++;
    w->total_rows += w->group_rows;
    w->group_rows = 0;
    return QV_OK;
}

static int64_t buffered_bytes(const parquet_writer *w)
{
    int64_t bytes = 0;
    for (int32_t i = 0; i < w->pschema.n_leaves; i++)
        bytes += pqw_column_memory(w->columns[i]);
    return bytes;
}

/* Rows of batch (all within one row group) into the column chunks. */
static qv_status write_rows(parquet_writer *w, arrow_batch *batch, qv_error *err)
{
    for (int32_t i = 0; i < w->pschema.n_leaves; i++) {
        const pqw_leaf *leaf = &w->pschema.leaves[i];
        QV_TRY(pqw_levels_compute(leaf, batch->columns[leaf->column], &w->levels, err));
        QV_TRY(pqw_column_write(w->columns[i], &w->levels, err));
    }
    w->group_rows += batch->n_rows;
    bool full =
        w->group_rows >= w->opts.max_row_group_size ||
        (w->opts.max_row_group_bytes > 0 && buffered_bytes(w) >= w->opts.max_row_group_bytes);
    return full ? flush_row_group(w, err) : QV_OK;
}

qv_status parquet_writer_write(parquet_writer *w, arrow_batch *batch, qv_error *err)
{
    if (w->failed)
        return base_error_set(err, QV_MISUSE, "parquet writer: an earlier write failed");
    if (batch->schema->n_fields != w->schema->n_fields)
        return base_error_set(err, QV_MISUSE, "parquet writer: the batch has %d columns, not %d",
                              batch->schema->n_fields, w->schema->n_fields);
    int64_t max_rows = w->opts.max_row_group_size > 0 ? w->opts.max_row_group_size : 1;
    qv_status st = QV_OK;
    for (int64_t start = 0; start < batch->n_rows && st == QV_OK;) {
        int64_t room = max_rows - w->group_rows;
        int64_t take = batch->n_rows - start < room ? batch->n_rows - start : room;
        if (start == 0 && take == batch->n_rows) {
            st = write_rows(w, batch, err);
        } else {
            arrow_batch *part = NULL;
            st = arrow_batch_slice(batch, start, take, &part, err);
            if (st == QV_OK)
                st = write_rows(w, part, err);
            arrow_batch_release(part);
        }
        start += take;
    }
    w->failed = st != QV_OK;
    return st;
}

qv_status parquet_writer_finish(parquet_writer *w, qv_error *err)
{
    if (w->failed)
        return base_error_set(err, QV_MISUSE, "parquet writer: an earlier write failed");
    w->failed = true; /* a writer finishes once */
    QV_TRY(flush_row_group(w, err));
    QV_TRY(emit(w, NULL, 0, err));
    base_strbuf footer;
    base_strbuf_init(&footer);
    thrift_writer meta;
    thrift_writer_init(&meta, &footer);
    pqw_write_file_metadata(&meta, &w->pschema, &w->opts, w->total_rows, w->n_row_groups,
                            &w->row_groups);
    uint32_t len = (uint32_t)footer.len;
    char tail[8] = {(char)(len & 0xff),
                    (char)((len >> 8) & 0xff),
                    (char)((len >> 16) & 0xff),
                    (char)(len >> 24),
                    'P',
                    'A',
                    'R',
                    '1'};
    base_strbuf_append(&footer, tail, sizeof tail);
    qv_status st = base_strbuf_failed(&footer) ? base_error_nomem(err, "parquet footer")
                                               : emit(w, footer.data, footer.len, err);
    base_strbuf_free(&footer);
    return st;
}

void parquet_writer_free(parquet_writer *w)
{
    if (w == NULL)
        return;
    for (int32_t i = 0; w->columns != NULL && i < w->pschema.n_leaves; i++)
        pqw_column_free(w->columns[i]);
    base_free(w->columns);
    pqw_levels_free(&w->levels);
    pqw_schema_free(&w->pschema);
    parquet_write_options_clear(&w->opts);
    base_strbuf_free(&w->row_groups);
    base_strbuf_free(&w->chunk);
    arrow_schema_release(w->schema);
    base_free(w);
}
