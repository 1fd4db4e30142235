/*
 * parquet_chunk.c — reading one column chunk (layer: format): the chunk's
 * bytes, its pages in turn (dictionary page, data pages v1 and v2; index
 * pages skipped), each decompressed, its repetition and definition levels
 * and its values decoded; then whole rows of levels and values handed out
 * a batch at a time (a row of a repeated column may span pages).
 */
#include <string.h>

#include "format/parquet_int.h"

qv_status pq_chunk_open(pq_chunk *c, const pq_field *leaf, const pq_column_meta *meta,
                        io_file *file, int64_t file_size, qv_error *err)
{
    memset(c, 0, sizeof *c);
    c->leaf = leaf;
    c->meta = meta;
    int32_t width = pq_physical_width(leaf->leaf->type, leaf->leaf->type_length);
    pq_values_init(&c->dict, width);
    pq_values_init(&c->page_values, width);
    pq_values_init(&c->values, width);
    if (leaf->leaf->type == PARQUET_FIXED_LEN_BYTE_ARRAY && width == 0)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Parquet FIXED_LEN_BYTE_ARRAY "
                              "of length 0");
    if (meta->type != leaf->leaf->type)
        return pq_corrupt(err, "column \"%s\" has physical type %d in its chunk, %d in the schema",
                          leaf->field->name, (int)meta->type, (int)leaf->leaf->type);
    int64_t start = meta->data_page_offset;
    if (meta->dictionary_page_offset > 0 && meta->dictionary_page_offset < start)
        start = meta->dictionary_page_offset;
    int64_t len = meta->total_compressed_size;
    if (start < 4 || len < 0 || len > file_size || start > file_size - 8 - len)
        return pq_corrupt(err, "column chunk of \"%s\" lies outside the file", leaf->field->name);
    int64_t got = 0;
    QV_TRY(io_file_read_range(file, start, start + len, &c->bytes, &got, err));
    if (got != len)
        return pq_corrupt(err, "column chunk of \"%s\" is truncated", leaf->field->name);
    c->len = len;
    return QV_OK;
}

void pq_chunk_free(pq_chunk *c)
{
    base_free(c->bytes);
    base_free(c->page);
    base_free(c->page_def);
    base_free(c->page_rep);
    base_free(c->def);
    base_free(c->rep);
    pq_values_free(&c->dict);
    pq_values_free(&c->page_values);
    pq_values_free(&c->values);
    memset(c, 0, sizeof *c);
}

/* The page body decompressed into c->page (or, uncompressed, as it is). */
static qv_status page_body(pq_chunk *c, int32_t codec, const uint8_t *body, size_t body_len,
                           size_t raw_len, const uint8_t **out, qv_error *err)
{
    if (codec == PARQUET_CODEC_UNCOMPRESSED) {
        if (raw_len != body_len)
            return pq_corrupt(err, "uncompressed page of %zu bytes declares %zu", body_len,
                              raw_len);
        *out = body;
        return QV_OK;
    }
    if (raw_len > PQ_MAX_PAGE_BYTES)
        return pq_corrupt(err, "page of %zu bytes is too large", raw_len);
    base_free(c->page);
    c->page = base_alloc(raw_len > 0 ? raw_len : 1);
    if (c->page == NULL)
        return base_error_nomem(err, "Parquet page");
    QV_TRY(pq_decompress(codec, body, body_len, c->page, raw_len, err));
    *out = c->page;
    return QV_OK;
}

static qv_status decode_dictionary_page(pq_chunk *c, const pq_page_header *h, const uint8_t *body,
                                        qv_error *err)
{
    if (c->has_dict)
        return pq_corrupt(err, "column chunk with two dictionary pages");
    if (!h->has_type_header)
        return pq_corrupt(err, "dictionary page without its header");
    if (h->encoding != PARQUET_ENCODING_PLAIN && h->encoding != PARQUET_ENCODING_PLAIN_DICTIONARY)
        return pq_corrupt(err, "dictionary page encoding %d is not PLAIN", (int)h->encoding);
    const uint8_t *data = NULL;
    QV_TRY(page_body(c, c->meta->codec, body, (size_t)h->compressed_size,
                     (size_t)h->uncompressed_size, &data, err));
    const pq_schema_element *el = c->leaf->leaf;
    QV_TRY(pq_decode_values(PARQUET_ENCODING_PLAIN, el->type, el->type_length, data,
                            (size_t)h->uncompressed_size, h->num_values, NULL, &c->dict, err));
    c->has_dict = true;
    return QV_OK;
}

static qv_status ensure_levels(pq_chunk *c, int64_t n, qv_error *err)
{
    if (n <= c->level_cap)
        return QV_OK;
    int16_t *def = base_realloc(c->page_def, (size_t)n * sizeof *def);
    if (def == NULL)
        return base_error_nomem(err, "Parquet levels");
    c->page_def = def;
    int16_t *rep = base_realloc(c->page_rep, (size_t)n * sizeof *rep);
    if (rep == NULL)
        return base_error_nomem(err, "Parquet levels");
    c->page_rep = rep;
    c->level_cap = n;
    return QV_OK;
}

/* v1 levels: RLE with a 4-byte length first, or BIT_PACKED; *used gets
 * the bytes they took. */
static qv_status v1_levels(int32_t encoding, const uint8_t *p, size_t len, int16_t max, int64_t n,
                           int16_t *out, size_t *used, qv_error *err)
{
    if (encoding == PARQUET_ENCODING_RLE) {
        if (len < 4)
            return pq_corrupt(err, "truncated levels");
        uint32_t l =
            (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        if (l > len - 4)
            return pq_corrupt(err, "levels longer than the page");
        *used = 4 + (size_t)l;
        return pq_decode_levels(encoding, p + 4, l, max, n, out, err);
    }
    if (encoding == PARQUET_ENCODING_BIT_PACKED) {
        uint64_t bytes = ((uint64_t)n * (uint64_t)parquet_bit_width((uint64_t)max) + 7) / 8;
        if (bytes > len)
            return pq_corrupt(err, "levels longer than the page");
        *used = (size_t)bytes;
        return pq_decode_levels(encoding, p, (size_t)bytes, max, n, out, err);
    }
    return pq_corrupt(err, "unsupported level encoding %d", (int)encoding);
}

static qv_status decode_data_page(pq_chunk *c, const pq_page_header *h, const uint8_t *body,
                                  qv_error *err)
{
    if (!h->has_type_header)
        return pq_corrupt(err, "data page without its header");
    int64_t n = h->num_values;
    if (n > PQ_MAX_PAGE_LEVELS)
        return pq_corrupt(err, "page of %lld values is too large", (long long)n);
    QV_TRY(ensure_levels(c, n > 0 ? n : 1, err));
    int16_t max_def = c->leaf->max_def, max_rep = c->leaf->max_rep;
    const uint8_t *values = NULL;
    size_t values_len = 0;
    if (h->type == PARQUET_PAGE_DATA) {
        const uint8_t *data = NULL;
        QV_TRY(page_body(c, c->meta->codec, body, (size_t)h->compressed_size,
                         (size_t)h->uncompressed_size, &data, err));
        size_t pos = 0, len = (size_t)h->uncompressed_size, used = 0;
        if (max_rep > 0) {
            QV_TRY(v1_levels(h->rep_encoding, data, len, max_rep, n, c->page_rep, &used, err));
            pos += used;
        }
        if (max_def > 0) {
            QV_TRY(v1_levels(h->def_encoding, data + pos, len - pos, max_def, n, c->page_def, &used,
                             err));
            pos += used;
        }
        values = data + pos;
        values_len = len - pos;
    } else {
        size_t levels = (size_t)h->rep_length + (size_t)h->def_length;
        if (levels > (size_t)h->compressed_size || levels > (size_t)h->uncompressed_size)
            return pq_corrupt(err, "page levels longer than the page");
        if (max_rep > 0)
            QV_TRY(pq_decode_levels(PARQUET_ENCODING_RLE, body, (size_t)h->rep_length, max_rep, n,
                                    c->page_rep, err));
        if (max_def > 0)
            QV_TRY(pq_decode_levels(PARQUET_ENCODING_RLE, body + h->rep_length,
                                    (size_t)h->def_length, max_def, n, c->page_def, err));
        int32_t codec = h->is_compressed ? c->meta->codec : PARQUET_CODEC_UNCOMPRESSED;
        values_len = (size_t)h->uncompressed_size - levels;
        QV_TRY(page_body(c, codec, body + levels, (size_t)h->compressed_size - levels, values_len,
                         &values, err));
    }
    if (max_rep == 0)
        memset(c->page_rep, 0, (size_t)n * sizeof *c->page_rep);
    if (max_def == 0)
        memset(c->page_def, 0, (size_t)n * sizeof *c->page_def);
    int64_t n_values = 0;
    for (int64_t i = 0; i < n; i++)
        n_values += c->page_def[i] == max_def;
    pq_values_reset(&c->page_values);
    const pq_schema_element *el = c->leaf->leaf;
    QV_TRY(pq_decode_values(h->encoding, el->type, el->type_length, values, values_len, n_values,
                            c->has_dict ? &c->dict : NULL, &c->page_values, err));
    c->page_levels = n;
    c->page_pos = 0;
    c->page_value_pos = 0;
    return QV_OK;
}

/* Loads the next data page; *loaded is false at the end of the chunk. */
static qv_status load_page(pq_chunk *c, bool *loaded, qv_error *err)
{
    *loaded = false;
    while (c->pos < c->len) {
        pq_page_header h;
        size_t header_len = 0;
        QV_TRY(pq_page_header_parse(c->bytes + c->pos, (size_t)(c->len - c->pos), &h, &header_len,
                                    err));
        c->pos += (int64_t)header_len;
        if (h.compressed_size > c->len - c->pos)
            return pq_corrupt(err, "page of column \"%s\" extends past its chunk",
                              c->leaf->field->name);
        const uint8_t *body = c->bytes + c->pos;
        c->pos += h.compressed_size;
        if (h.type == PARQUET_PAGE_DICTIONARY) {
            QV_TRY(decode_dictionary_page(c, &h, body, err));
        } else if (h.type == PARQUET_PAGE_DATA || h.type == PARQUET_PAGE_DATA_V2) {
            QV_TRY(decode_data_page(c, &h, body, err));
            if (c->page_levels == 0)
                continue;
            *loaded = true;
            return QV_OK;
        }
        /* index pages and unknown page types are skipped */
    }
    return QV_OK;
}

static qv_status take_levels(pq_chunk *c, int64_t start, int64_t n, qv_error *err)
{
    if (c->n_levels + n > c->levels_cap) {
        int64_t cap = c->levels_cap > 0 ? c->levels_cap : 1024;
        while (cap < c->n_levels + n)
            cap *= 2;
        int16_t *def = base_realloc(c->def, (size_t)cap * sizeof *def);
        if (def == NULL)
            return base_error_nomem(err, "Parquet levels");
        c->def = def;
        int16_t *rep = base_realloc(c->rep, (size_t)cap * sizeof *rep);
        if (rep == NULL)
            return base_error_nomem(err, "Parquet levels");
        c->rep = rep;
        c->levels_cap = cap;
    }
    memcpy(c->def + c->n_levels, c->page_def + start, (size_t)n * sizeof *c->def);
    memcpy(c->rep + c->n_levels, c->page_rep + start, (size_t)n * sizeof *c->rep);
    c->n_levels += n;
    int64_t n_values = 0;
    for (int64_t i = start; i < start + n; i++)
        n_values += c->page_def[i] == c->leaf->max_def;
    if (c->page_value_pos + n_values > c->page_values.n)
        return pq_corrupt(err, "page of column \"%s\" has fewer values than its levels say",
                          c->leaf->field->name);
    QV_TRY(pq_values_append_range(&c->values, &c->page_values, c->page_value_pos, n_values, err));
    c->page_value_pos += n_values;
    return QV_OK;
}

qv_status pq_chunk_read_rows(pq_chunk *c, int64_t n_rows, int64_t *got, qv_error *err)
{
    c->n_levels = 0;
    pq_values_reset(&c->values);
    int64_t rows = 0;
    bool repeated = c->leaf->max_rep > 0;
    while (rows < n_rows || repeated) {
        if (c->page_pos >= c->page_levels) {
            bool loaded = false;
            QV_TRY(load_page(c, &loaded, err));
            if (!loaded)
                break;
        }
        int64_t start = c->page_pos;
        if (!repeated) {
            int64_t k = c->page_levels - c->page_pos;
            if (k > n_rows - rows)
                k = n_rows - rows;
            c->page_pos += k;
            rows += k;
        } else {
            if (c->n_levels == 0 && rows == 0 && c->page_rep[c->page_pos] != 0)
                return pq_corrupt(err, "column \"%s\" starts a row with repetition level %d",
                                  c->leaf->field->name, (int)c->page_rep[c->page_pos]);
            while (c->page_pos < c->page_levels) {
                if (c->page_rep[c->page_pos] == 0) {
                    if (rows == n_rows)
                        break;
                    rows++;
                }
                c->page_pos++;
            }
        }
        QV_TRY(take_levels(c, start, c->page_pos - start, err));
        if (repeated && c->page_pos < c->page_levels)
            break; /* stopped at the start of the next row */
    }
    *got = rows;
    return QV_OK;
}
