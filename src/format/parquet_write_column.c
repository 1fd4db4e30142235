/*
 * parquet_write_column.c — one column chunk of a row group (layer:
 * format), as arrow-rs' column writer makes it: levels and values are
 * taken in mini batches of write_batch_size levels (never splitting a
 * record), values go through a dictionary while it is enabled and smaller
 * than dictionary_page_size_limit (then the chunk falls back to the plain
 * or configured encoding for its later pages), a data page is cut when its
 * values reach data_pagesize_limit bytes or data_page_row_count_limit rows.
 * Pages are v1 (levels and values compressed together) or, with writer
 * version 2, v2 (levels uncompressed in front). The chunk keeps its pages
 * in memory until the row group is written, the dictionary page first.
 * Chunk statistics: null count, min / max in the column's sort order (NaN
 * left out, zeros signed), byte arrays truncated as arrow-rs truncates.
 */
#include <string.h>

#include "format/parquet_write_int.h"

struct pqw_column {
    const pqw_leaf *leaf;
    int64_t page_size_limit, page_row_limit, batch_size, dict_limit, truncate_length;
    int32_t writer_version;
    /* the page being filled */
    int16_t *def, *rep;
    int64_t n_levels, levels_cap;
    int64_t page_rows, page_nulls, page_values;
    base_strbuf plain; /* PLAIN values (BOOLEAN: one byte each) */
    uint32_t *indices; /* dictionary indices */
    int64_t n_indices, indices_cap;
    /* the dictionary */
    bool dict_on, dict_used;
    base_strbuf dict_plain; /* the dictionary page's PLAIN values */
    size_t *entry_offset;   /* where each entry's raw bytes start in dict_raw */
    size_t *entry_len;
    base_strbuf dict_raw;
    int64_t n_dict, entries_cap;
    int32_t *slots; /* open addressing: entry + 1, 0 empty */
    int64_t n_slots;
    /* the chunk */
    base_strbuf pages;
    int64_t pages_uncompressed, pages_compressed; /* data pages, headers included */
    int64_t num_values;
    int32_t page_counts[10]; /* data pages per encoding */
    /* statistics */
    bool has_minmax;
    base_strbuf min, max;
    int64_t null_count;
    base_strbuf body, compressed, header;
};

qv_status pqw_column_new(const pqw_leaf *leaf, const parquet_write_options *opts, pqw_column **out,
                         qv_error *err)
{
    pqw_column *col = base_calloc(1, sizeof *col);
    if (col == NULL)
        return base_error_nomem(err, "parquet column");
    col->leaf = leaf;
    col->page_size_limit = opts->data_pagesize_limit > 0 ? opts->data_pagesize_limit : 1;
    col->page_row_limit = opts->data_page_row_count_limit > 0 ? opts->data_page_row_count_limit : 1;
    col->batch_size = opts->write_batch_size > 0 ? opts->write_batch_size : 1024;
    col->dict_limit = opts->dictionary_page_size_limit;
    col->truncate_length = opts->statistics_truncate_length;
    col->writer_version = opts->writer_version;
    col->dict_on = leaf->dictionary;
    base_strbuf *bufs[] = {&col->plain, &col->dict_plain, &col->dict_raw,   &col->pages, &col->min,
                           &col->max,   &col->body,       &col->compressed, &col->header};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        base_strbuf_init(bufs[i]);
    *out = col;
    return QV_OK;
}

void pqw_column_free(pqw_column *col)
{
    if (col == NULL)
        return;
    base_strbuf *bufs[] = {&col->plain, &col->dict_plain, &col->dict_raw,   &col->pages, &col->min,
                           &col->max,   &col->body,       &col->compressed, &col->header};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        base_strbuf_free(bufs[i]);
    base_free(col->def);
    base_free(col->rep);
    base_free(col->indices);
    base_free(col->entry_offset);
    base_free(col->entry_len);
    base_free(col->slots);
    base_free(col);
}

int64_t pqw_column_memory(const pqw_column *col)
{
    return (int64_t)(col->pages.len + col->plain.len + col->dict_plain.len + col->dict_raw.len) +
           col->n_indices * 4 + col->n_levels * 4;
}

/* ---- values ---- */

static void put_u32(base_strbuf *out, uint32_t v)
{
    char b[4] = {(char)(v & 0xff), (char)((v >> 8) & 0xff), (char)((v >> 16) & 0xff),
                 (char)(v >> 24)};
    base_strbuf_append(out, b, 4);
}

/* PLAIN form of one value (BYTE_ARRAY: length prefix). */
static void append_plain(const pqw_leaf *leaf, const pqw_value *v, base_strbuf *out)
{
    if (leaf->physical == PARQUET_BYTE_ARRAY)
        put_u32(out, (uint32_t)v->len);
    base_strbuf_append(out, (const char *)v->data, v->len);
}

static void update_stats(pqw_column *col, const pqw_value *v)
{
    const pqw_leaf *leaf = col->leaf;
    if (!leaf->statistics || leaf->order == PQW_ORDER_UNDEFINED)
        return;
    if (pqw_value_float_kind(leaf, v->data) == PQW_FLOAT_NAN)
        return;
    if (!col->has_minmax) {
        base_strbuf_clear(&col->min);
        base_strbuf_clear(&col->max);
        base_strbuf_append(&col->min, (const char *)v->data, v->len);
        base_strbuf_append(&col->max, (const char *)v->data, v->len);
        col->has_minmax = true;
        return;
    }
    if (pqw_value_compare(leaf, v->data, v->len, (const uint8_t *)col->min.data, col->min.len) <
        0) {
        base_strbuf_clear(&col->min);
        base_strbuf_append(&col->min, (const char *)v->data, v->len);
    }
    if (pqw_value_compare(leaf, v->data, v->len, (const uint8_t *)col->max.data, col->max.len) >
        0) {
        base_strbuf_clear(&col->max);
        base_strbuf_append(&col->max, (const char *)v->data, v->len);
    }
}

static qv_status grow_slots(pqw_column *col, qv_error *err)
{
    int64_t n_slots = col->n_slots ? col->n_slots * 2 : 1024;
    int32_t *slots = base_calloc((size_t)n_slots, sizeof *slots);
    if (slots == NULL)
        return base_error_nomem(err, "parquet dictionary");
    for (int64_t e = 0; e < col->n_dict; e++) {
        uint64_t h =
            base_hash_bytes(col->dict_raw.data + col->entry_offset[e], col->entry_len[e], 0);
        int64_t s = (int64_t)(h & (uint64_t)(n_slots - 1));
        while (slots[s] != 0)
            s = (s + 1) & (n_slots - 1);
        slots[s] = (int32_t)(e + 1);
    }
    base_free(col->slots);
    col->slots = slots;
    col->n_slots = n_slots;
    return QV_OK;
}

/* The dictionary index of v, added when new. */
static qv_status dict_index(pqw_column *col, const pqw_value *v, uint32_t *out, qv_error *err)
{
    if (col->n_dict * 2 >= col->n_slots)
        QV_TRY(grow_slots(col, err));
    uint64_t h = base_hash_bytes(v->data, v->len, 0);
    int64_t s = (int64_t)(h & (uint64_t)(col->n_slots - 1));
    while (col->slots[s] != 0) {
        int64_t e = col->slots[s] - 1;
        if (col->entry_len[e] == v->len &&
            (v->len == 0 ||
             memcmp(col->dict_raw.data + col->entry_offset[e], v->data, v->len) == 0)) {
            *out = (uint32_t)e;
            return QV_OK;
        }
        s = (s + 1) & (col->n_slots - 1);
    }
    if (col->n_dict == col->entries_cap) {
        int64_t cap = col->entries_cap ? col->entries_cap * 2 : 256;
        size_t *offsets = base_realloc(col->entry_offset, (size_t)cap * sizeof *offsets);
        if (offsets != NULL)
            col->entry_offset = offsets;
        size_t *lens =
            offsets != NULL ? base_realloc(col->entry_len, (size_t)cap * sizeof *lens) : NULL;
        if (lens == NULL)
            return base_error_nomem(err, "parquet dictionary");
        col->entry_len = lens;
        col->entries_cap = cap;
    }
    col->entry_offset[col->n_dict] = col->dict_raw.len;
    col->entry_len[col->n_dict] = v->len;
    base_strbuf_append(&col->dict_raw, (const char *)v->data, v->len);
    append_plain(col->leaf, v, &col->dict_plain);
    col->slots[s] = (int32_t)(col->n_dict + 1);
    *out = (uint32_t)col->n_dict++;
    return QV_OK;
}

static qv_status add_value(pqw_column *col, const arrow_array *leaf_array, int64_t i, qv_error *err)
{
    pqw_value v;
    pqw_value_at(col->leaf, leaf_array, i, &v);
    update_stats(col, &v);
    col->page_values++;
    if (!col->dict_on) {
        append_plain(col->leaf, &v, &col->plain);
        return QV_OK;
    }
    uint32_t index = 0;
    QV_TRY(dict_index(col, &v, &index, err));
    if (col->n_indices == col->indices_cap) {
        int64_t cap = col->indices_cap ? col->indices_cap * 2 : 1024;
        uint32_t *grown = base_realloc(col->indices, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "parquet dictionary");
        col->indices = grown;
        col->indices_cap = cap;
    }
    col->indices[col->n_indices++] = index;
    return QV_OK;
}

/* ---- pages ---- */

static void write_levels(const int16_t *levels, int64_t n, int16_t max, bool length_prefix,
                         base_strbuf *out)
{
    size_t at = out->len;
    if (length_prefix)
        put_u32(out, 0);
    pqw_rle_encode_u16(levels, n, parquet_bit_width((uint64_t)max), out);
    if (length_prefix && !base_strbuf_failed(out)) {
        uint32_t len = (uint32_t)(out->len - at - 4);
        for (int b = 0; b < 4; b++)
            out->data[at + (size_t)b] = (char)((len >> (8 * b)) & 0xff);
    }
}

/* The page's values in the chunk's non-dictionary encoding. */
static int32_t write_plain_values(pqw_column *col, base_strbuf *out)
{
    const pqw_leaf *leaf = col->leaf;
    const uint8_t *plain = (const uint8_t *)col->plain.data;
    int64_t n = col->page_values;
    if (leaf->physical == PARQUET_BOOLEAN) {
        /* PLAIN booleans are bit-packed, LSB first */
        for (int64_t i = 0; i < n; i += 8) {
            uint8_t byte = 0;
            for (int64_t k = 0; k < 8 && i + k < n; k++)
                byte |= (uint8_t)(plain[i + k] << k);
            base_strbuf_append_char(out, (char)byte);
        }
        return PARQUET_ENCODING_PLAIN;
    }
    int32_t width = leaf->physical == PARQUET_INT32 || leaf->physical == PARQUET_FLOAT ? 4
                    : leaf->physical == PARQUET_FIXED_LEN_BYTE_ARRAY ? leaf->type_length
                                                                     : 8;
    if (leaf->fallback_encoding == PARQUET_ENCODING_DELTA_BINARY_PACKED) {
        int64_t *values = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *values);
        if (values == NULL) {
            out->failed = true;
            return PARQUET_ENCODING_PLAIN;
        }
        for (int64_t i = 0; i < n; i++) {
            if (width == 4) {
                int32_t v;
                memcpy(&v, plain + 4 * i, 4);
                values[i] = v;
            } else {
                memcpy(&values[i], plain + 8 * i, 8);
            }
        }
        pqw_delta_binary_packed(values, n, out);
        base_free(values);
        return PARQUET_ENCODING_DELTA_BINARY_PACKED;
    }
    if (leaf->fallback_encoding == PARQUET_ENCODING_BYTE_STREAM_SPLIT) {
        pqw_byte_stream_split(plain, n, width, out);
        return PARQUET_ENCODING_BYTE_STREAM_SPLIT;
    }
    base_strbuf_append(out, col->plain.data, col->plain.len);
    return PARQUET_ENCODING_PLAIN;
}

/* Writes a page header then the compressed body to col->pages. */
static void append_page(pqw_column *col, const base_strbuf *header, const base_strbuf *body,
                        int64_t uncompressed_body)
{
    base_strbuf_append(&col->pages, header->data, header->len);
    base_strbuf_append(&col->pages, body->data, body->len);
    col->pages_uncompressed += (int64_t)header->len + uncompressed_body;
    col->pages_compressed += (int64_t)(header->len + body->len);
}

static qv_status flush_page(pqw_column *col, qv_error *err)
{
    if (col->n_levels == 0)
        return QV_OK;
    const pqw_leaf *leaf = col->leaf;
    bool v2 = col->writer_version == 2;
    base_strbuf *body = &col->body, *comp = &col->compressed, *header = &col->header;
    base_strbuf_clear(body);
    base_strbuf_clear(comp);
    base_strbuf_clear(header);
    /* levels */
    if (leaf->max_rep > 0)
        write_levels(col->rep, col->n_levels, leaf->max_rep, !v2, body);
    size_t rep_len = body->len;
    if (leaf->max_def > 0)
        write_levels(col->def, col->n_levels, leaf->max_def, !v2, body);
    size_t levels_len = body->len;
    /* values */
    int32_t encoding;
    if (col->dict_on) {
        int32_t bits = parquet_bit_width(col->n_dict > 0 ? (uint64_t)(col->n_dict - 1) : 0);
        base_strbuf_append_char(body, (char)bits);
        pqw_rle_encode_u32(col->indices, col->n_indices, bits, body);
        encoding = PARQUET_ENCODING_RLE_DICTIONARY;
        col->dict_used = true;
    } else {
        encoding = write_plain_values(col, body);
    }
    if (base_strbuf_failed(body))
        return base_error_nomem(err, "parquet page");
    /* v2 pages leave the levels uncompressed */
    size_t keep = v2 ? levels_len : 0;
    base_strbuf_append(comp, body->data, keep);
    QV_TRY(pqw_compress(leaf->codec, leaf->codec_level, (const uint8_t *)body->data + keep,
                        body->len - keep, comp, err));
    thrift_writer w;
    thrift_writer_init(&w, header);
    thrift_write_struct_begin(&w);
    thrift_write_field_i32(&w, 1, v2 ? PARQUET_PAGE_DATA_V2 : PARQUET_PAGE_DATA);
    thrift_write_field_i32(&w, 2, (int32_t)body->len);
    thrift_write_field_i32(&w, 3, (int32_t)comp->len);
    if (v2) {
        thrift_write_field_struct_begin(&w, 8);
        thrift_write_field_i32(&w, 1, (int32_t)col->n_levels);
        thrift_write_field_i32(&w, 2, (int32_t)col->page_nulls);
        thrift_write_field_i32(&w, 3, (int32_t)col->page_rows);
        thrift_write_field_i32(&w, 4, encoding);
        thrift_write_field_i32(&w, 5, (int32_t)(levels_len - rep_len));
        thrift_write_field_i32(&w, 6, (int32_t)rep_len);
        thrift_write_field_bool(&w, 7, leaf->codec != PARQUET_CODEC_UNCOMPRESSED);
        thrift_write_struct_end(&w);
    } else {
        thrift_write_field_struct_begin(&w, 5);
        thrift_write_field_i32(&w, 1, (int32_t)col->n_levels);
        thrift_write_field_i32(&w, 2, encoding);
        thrift_write_field_i32(&w, 3, PARQUET_ENCODING_RLE);
        thrift_write_field_i32(&w, 4, PARQUET_ENCODING_RLE);
        thrift_write_struct_end(&w);
    }
    thrift_write_struct_end(&w);
    append_page(col, header, comp, (int64_t)body->len);
    if (base_strbuf_failed(header) || base_strbuf_failed(comp) || base_strbuf_failed(&col->pages))
        return base_error_nomem(err, "parquet page");
    col->num_values += col->n_levels;
    col->page_counts[encoding]++;
    col->n_levels = col->page_rows = col->page_nulls = col->page_values = 0;
    col->n_indices = 0;
    base_strbuf_clear(&col->plain);
    return QV_OK;
}

static qv_status push_levels(pqw_column *col, int16_t def, int16_t rep, qv_error *err)
{
    if (col->n_levels == col->levels_cap) {
        int64_t cap = col->levels_cap ? col->levels_cap * 2 : 1024;
        int16_t *d = base_realloc(col->def, (size_t)cap * sizeof *d);
        if (d != NULL)
            col->def = d;
        int16_t *r = d != NULL ? base_realloc(col->rep, (size_t)cap * sizeof *r) : NULL;
        if (r == NULL)
            return base_error_nomem(err, "parquet levels");
        col->rep = r;
        col->levels_cap = cap;
    }
    col->def[col->n_levels] = def;
    col->rep[col->n_levels] = rep;
    col->n_levels++;
    return QV_OK;
}

/* The encoded size of the page's values so far. */
static int64_t page_value_bytes(const pqw_column *col)
{
    if (!col->dict_on)
        return (int64_t)col->plain.len;
    int32_t bits = parquet_bit_width(col->n_dict > 0 ? (uint64_t)(col->n_dict - 1) : 0);
    return col->n_indices * bits / 8 + 1;
}

qv_status pqw_column_write(pqw_column *col, const pqw_levels *levels, qv_error *err)
{
    const pqw_leaf *leaf = col->leaf;
    int64_t n = levels->n, value_pos = 0;
    for (int64_t start = 0; start < n;) {
        int64_t end = start + col->batch_size < n ? start + col->batch_size : n;
        while (leaf->max_rep > 0 && end < n && levels->rep[end] != 0)
            end++; /* a record stays in one page */
        for (int64_t k = start; k < end; k++) {
            int16_t def = levels->def[k], rep = levels->rep[k];
            QV_TRY(push_levels(col, def, leaf->max_rep > 0 ? rep : 0, err));
            if (leaf->max_rep == 0 || rep == 0)
                col->page_rows++;
            if (def == leaf->max_def && leaf->value_type->id != QV_TYPE_NULL) {
                QV_TRY(add_value(col, levels->leaf, levels->values[value_pos++], err));
            } else {
                col->page_nulls++;
                col->null_count++;
            }
        }
        if (base_strbuf_failed(&col->plain) || base_strbuf_failed(&col->dict_plain) ||
            base_strbuf_failed(&col->dict_raw) || base_strbuf_failed(&col->min) ||
            base_strbuf_failed(&col->max))
            return base_error_nomem(err, "parquet column");
        if (col->dict_on && (int64_t)col->dict_plain.len >= col->dict_limit) {
            /* the dictionary is full: the chunk goes on without it */
            QV_TRY(flush_page(col, err));
            col->dict_on = false;
        } else if (page_value_bytes(col) >= col->page_size_limit ||
                   col->page_rows >= col->page_row_limit) {
            QV_TRY(flush_page(col, err));
        }
        start = end;
    }
    return QV_OK;
}

/* ---- statistics ---- */

/* Length of the longest prefix of s[0..len) no longer than limit that ends
 * on a UTF-8 character boundary. */
static size_t utf8_prefix(const uint8_t *s, size_t len, size_t limit)
{
    size_t n = limit < len ? limit : len;
    while (n > 0 && n < len && (s[n] & 0xc0) == 0x80)
        n--;
    return n;
}

/* arrow-rs' increment_utf8: the last character that can be incremented
 * without changing its encoded length is, and what follows is dropped. */
static bool increment_utf8(base_strbuf *s)
{
    size_t end = s->len;
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && ((uint8_t)s->data[start] & 0xc0) == 0x80)
            start--;
        const uint8_t *p = (const uint8_t *)s->data + start;
        size_t n = end - start;
        uint32_t cp = n == 1   ? p[0]
                      : n == 2 ? ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu)
                      : n == 3 ? ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu)
                               : ((p[0] & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) |
                                     ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
        uint32_t next = cp + 1;
        if (next >= 0xd800 && next <= 0xdfff)
            next = 0xe000;
        size_t next_len = next < 0x80 ? 1 : next < 0x800 ? 2 : next < 0x10000 ? 3 : 4;
        if (next <= 0x10ffff && next_len == n) {
            uint8_t *q = (uint8_t *)s->data + start;
            if (n == 1) {
                q[0] = (uint8_t)next;
            } else if (n == 2) {
                q[0] = (uint8_t)(0xc0 | (next >> 6));
                q[1] = (uint8_t)(0x80 | (next & 0x3f));
            } else if (n == 3) {
                q[0] = (uint8_t)(0xe0 | (next >> 12));
                q[1] = (uint8_t)(0x80 | ((next >> 6) & 0x3f));
                q[2] = (uint8_t)(0x80 | (next & 0x3f));
            } else {
                q[0] = (uint8_t)(0xf0 | (next >> 18));
                q[1] = (uint8_t)(0x80 | ((next >> 12) & 0x3f));
                q[2] = (uint8_t)(0x80 | ((next >> 6) & 0x3f));
                q[3] = (uint8_t)(0x80 | (next & 0x3f));
            }
            s->len = end;
            return true;
        }
        end = start;
    }
    return false;
}

/* arrow-rs' increment of binary bytes: the last byte plus one, with carry. */
static bool increment_bytes(base_strbuf *s)
{
    for (size_t i = s->len; i > 0; i--) {
        uint8_t *b = (uint8_t *)s->data + i - 1;
        *b = (uint8_t)(*b + 1);
        if (*b != 0)
            return true;
    }
    return false;
}

static bool truncatable(const pqw_leaf *leaf)
{
    return leaf->physical == PARQUET_BYTE_ARRAY ||
           (leaf->physical == PARQUET_FIXED_LEN_BYTE_ARRAY && !leaf->float_order &&
            leaf->order != PQW_ORDER_SIGNED);
}

static void write_chunk_statistics(pqw_column *col, thrift_writer *w)
{
    const pqw_leaf *leaf = col->leaf;
    if (!col->has_minmax || leaf->order == PQW_ORDER_UNDEFINED) {
        pqw_write_statistics(w, 12, leaf, NULL, 0, true, NULL, 0, true, col->null_count);
        return;
    }
    bool min_exact = true, max_exact = true;
    size_t limit = col->truncate_length >= 0 ? (size_t)col->truncate_length : SIZE_MAX;
    if (pqw_value_float_kind(leaf, (const uint8_t *)col->min.data) == PQW_FLOAT_ZERO) {
        /* -0.0 as min, +0.0 as max */
        if (leaf->physical == PARQUET_FLOAT)
            col->min.data[3] = (char)0x80;
        else if (leaf->physical == PARQUET_DOUBLE)
            col->min.data[7] = (char)0x80;
        else
            col->min.data[1] = (char)0x80;
    }
    if (pqw_value_float_kind(leaf, (const uint8_t *)col->max.data) == PQW_FLOAT_ZERO)
        col->max.data[col->max.len - 1] = 0;
    size_t min_len = col->min.len;
    if (truncatable(leaf) && col->min.len > limit) {
        min_len = leaf->utf8_stats
                      ? utf8_prefix((const uint8_t *)col->min.data, col->min.len, limit)
                      : limit;
        min_exact = false;
    }
    base_strbuf max;
    base_strbuf_init(&max);
    base_strbuf_append(&max, col->max.data, col->max.len);
    if (truncatable(leaf) && col->max.len > limit) {
        size_t keep = leaf->utf8_stats
                          ? utf8_prefix((const uint8_t *)col->max.data, col->max.len, limit)
                          : limit;
        max.len = keep;
        bool ok = leaf->utf8_stats ? increment_utf8(&max) : increment_bytes(&max);
        if (ok) {
            max_exact = false;
        } else {
            base_strbuf_clear(&max);
            base_strbuf_append(&max, col->max.data, col->max.len);
        }
    }
    pqw_write_statistics(w, 12, leaf, (const uint8_t *)col->min.data, min_len, min_exact,
                         (const uint8_t *)max.data, max.len, max_exact, col->null_count);
    if (base_strbuf_failed(&max))
        w->out->failed = true;
    base_strbuf_free(&max);
}

/* ---- the chunk ---- */

static void reset_chunk(pqw_column *col)
{
    base_strbuf_clear(&col->pages);
    base_strbuf_clear(&col->dict_plain);
    base_strbuf_clear(&col->dict_raw);
    col->n_dict = 0;
    if (col->slots != NULL)
        memset(col->slots, 0, (size_t)col->n_slots * sizeof *col->slots);
    col->dict_on = col->leaf->dictionary;
    col->dict_used = false;
    col->pages_uncompressed = col->pages_compressed = col->num_values = 0;
    memset(col->page_counts, 0, sizeof col->page_counts);
    col->has_minmax = false;
    col->null_count = 0;
}

qv_status pqw_column_finish(pqw_column *col, int64_t offset, base_strbuf *out, thrift_writer *meta,
                            int64_t *uncompressed, int64_t *compressed, qv_error *err)
{
    const pqw_leaf *leaf = col->leaf;
    QV_TRY(flush_page(col, err));
    int64_t dict_uncompressed = 0, dict_compressed = 0;
    if (col->dict_used) {
        base_strbuf_clear(&col->compressed);
        base_strbuf_clear(&col->header);
        QV_TRY(pqw_compress(leaf->codec, leaf->codec_level, (const uint8_t *)col->dict_plain.data,
                            col->dict_plain.len, &col->compressed, err));
        thrift_writer w;
        thrift_writer_init(&w, &col->header);
        thrift_write_struct_begin(&w);
        thrift_write_field_i32(&w, 1, PARQUET_PAGE_DICTIONARY);
        thrift_write_field_i32(&w, 2, (int32_t)col->dict_plain.len);
        thrift_write_field_i32(&w, 3, (int32_t)col->compressed.len);
        thrift_write_field_struct_begin(&w, 7);
        thrift_write_field_i32(&w, 1, (int32_t)col->n_dict);
        thrift_write_field_i32(&w, 2, PARQUET_ENCODING_PLAIN);
        thrift_write_field_bool(&w, 3, false);
        thrift_write_struct_end(&w);
        thrift_write_struct_end(&w);
        base_strbuf_append(out, col->header.data, col->header.len);
        base_strbuf_append(out, col->compressed.data, col->compressed.len);
        dict_uncompressed = (int64_t)(col->header.len + col->dict_plain.len);
        dict_compressed = (int64_t)(col->header.len + col->compressed.len);
    }
    base_strbuf_append(out, col->pages.data, col->pages.len);
    *uncompressed = dict_uncompressed + col->pages_uncompressed;
    *compressed = dict_compressed + col->pages_compressed;

    /* ColumnChunk */
    bool v2 = col->writer_version == 2;
    thrift_write_struct_begin(meta);
    thrift_write_field_i64(meta, 2, offset);
    thrift_write_field_struct_begin(meta, 3);
    thrift_write_field_i32(meta, 1, leaf->physical);
    bool used[10] = {false};
    used[PARQUET_ENCODING_PLAIN] = col->dict_used;
    used[PARQUET_ENCODING_RLE] = leaf->max_def > 0 || leaf->max_rep > 0;
    int32_t n_encodings = 0;
    for (int e = 0; e < 10; e++) {
        used[e] = used[e] || col->page_counts[e] > 0;
        n_encodings += used[e];
    }
    thrift_write_field_list_begin(meta, 2, THRIFT_I32, n_encodings);
    for (int e = 0; e < 10; e++)
        if (used[e])
            thrift_write_i32(meta, e);
    thrift_write_field_list_begin(meta, 3, THRIFT_BINARY, leaf->n_path);
    for (int32_t i = 0; i < leaf->n_path; i++)
        thrift_write_binary(meta, leaf->path[i], strlen(leaf->path[i]));
    thrift_write_field_i32(meta, 4, leaf->codec);
    thrift_write_field_i64(meta, 5, col->num_values);
    thrift_write_field_i64(meta, 6, *uncompressed);
    thrift_write_field_i64(meta, 7, *compressed);
    thrift_write_field_i64(meta, 9, offset + dict_compressed);
    if (col->dict_used)
        thrift_write_field_i64(meta, 11, offset);
    if (leaf->statistics)
        write_chunk_statistics(col, meta);
    int32_t n_stats = col->dict_used;
    for (int e = 0; e < 10; e++)
        n_stats += col->page_counts[e] > 0;
    thrift_write_field_list_begin(meta, 13, THRIFT_STRUCT, n_stats);
    if (col->dict_used) {
        thrift_write_struct_begin(meta);
        thrift_write_field_i32(meta, 1, PARQUET_PAGE_DICTIONARY);
        thrift_write_field_i32(meta, 2, PARQUET_ENCODING_PLAIN);
        thrift_write_field_i32(meta, 3, 1);
        thrift_write_struct_end(meta);
    }
    for (int e = 0; e < 10; e++) {
        if (col->page_counts[e] == 0)
            continue;
        thrift_write_struct_begin(meta);
        thrift_write_field_i32(meta, 1, v2 ? PARQUET_PAGE_DATA_V2 : PARQUET_PAGE_DATA);
        thrift_write_field_i32(meta, 2, e);
        thrift_write_field_i32(meta, 3, col->page_counts[e]);
        thrift_write_struct_end(meta);
    }
    thrift_write_struct_end(meta); /* ColumnMetaData */
    thrift_write_struct_end(meta); /* ColumnChunk */
    reset_chunk(col);
    if (base_strbuf_failed(out) || base_strbuf_failed(meta->out))
        return base_error_nomem(err, "parquet column chunk");
    return QV_OK;
}
