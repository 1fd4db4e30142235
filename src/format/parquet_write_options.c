/*
 * parquet_write_options.c — the Parquet writer's options (layer: format):
 * DataFusion's defaults (its ParquetOptions, which differ from arrow-rs'
 * WriterProperties defaults: ZSTD(3) instead of uncompressed), owned
 * copies of the strings and column overrides, and the parsing of the
 * codec ("zstd(3)") and encoding names with DataFusion's messages.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/parquet.h"

void parquet_write_options_init(parquet_write_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->compression = PARQUET_CODEC_ZSTD;
    opts->compression_level = 3;
    opts->max_row_group_size = 1024 * 1024;
    opts->data_pagesize_limit = 1024 * 1024;
    opts->data_page_row_count_limit = 20000;
    opts->dictionary_enabled = true;
    opts->dictionary_page_size_limit = 1024 * 1024;
    opts->writer_version = 1;
    opts->statistics_enabled = true;
    opts->created_by = NULL;
    opts->write_batch_size = 1024;
    opts->max_row_group_bytes = -1;
    opts->statistics_truncate_length = 64;
    opts->encoding = -1;
}

void parquet_write_options_clear(parquet_write_options *opts)
{
    base_free((char *)opts->created_by);
    for (int32_t i = 0; i < opts->n_metadata; i++) {
        base_free(opts->metadata_keys[i]);
        base_free(opts->metadata_values[i]);
    }
    base_free(opts->metadata_keys);
    base_free(opts->metadata_values);
    for (int32_t i = 0; i < opts->n_columns; i++)
        base_free(opts->columns[i].path);
    base_free(opts->columns);
    parquet_write_options_init(opts);
}

qv_status parquet_write_options_copy(parquet_write_options *dst, const parquet_write_options *src,
                                     qv_error *err)
{
    *dst = *src;
    dst->created_by = NULL;
    dst->n_metadata = 0;
    dst->metadata_keys = dst->metadata_values = NULL;
    dst->n_columns = 0;
    dst->columns = NULL;
    if (src->created_by != NULL && (dst->created_by = base_strdup(src->created_by)) == NULL)
        goto nomem;
    for (int32_t i = 0; i < src->n_metadata; i++)
        if (parquet_write_options_metadata(dst, src->metadata_keys[i], src->metadata_values[i],
                                           err) != QV_OK)
            goto nomem;
    for (int32_t i = 0; i < src->n_columns; i++) {
        parquet_column_write_options *c = parquet_write_options_column(dst, src->columns[i].path);
        if (c == NULL)
            goto nomem;
        char *path = c->path;
        *c = src->columns[i];
        c->path = path;
    }
    return QV_OK;
nomem:
    parquet_write_options_clear(dst);
    return base_error_nomem(err, "parquet options");
}

parquet_column_write_options *parquet_write_options_column(parquet_write_options *opts,
                                                           const char *path)
{
    for (int32_t i = 0; i < opts->n_columns; i++)
        if (strcmp(opts->columns[i].path, path) == 0)
            return &opts->columns[i];
    parquet_column_write_options *grown =
        base_realloc(opts->columns, (size_t)(opts->n_columns + 1) * sizeof *grown);
    if (grown == NULL)
        return NULL;
    opts->columns = grown;
    parquet_column_write_options *c = &grown[opts->n_columns];
    memset(c, 0, sizeof *c);
    c->dictionary_enabled = -1;
    c->statistics_enabled = -1;
    c->encoding = -1;
    if ((c->path = base_strdup(path)) == NULL)
        return NULL;
    opts->n_columns++;
    return c;
}

qv_status parquet_write_options_metadata(parquet_write_options *opts, const char *key,
                                         const char *value, qv_error *err)
{
    char *v = base_strdup(value != NULL ? value : "");
    if (v == NULL)
        return base_error_nomem(err, "parquet options");
    for (int32_t i = 0; i < opts->n_metadata; i++)
        if (strcmp(opts->metadata_keys[i], key) == 0) {
            base_free(opts->metadata_values[i]);
            opts->metadata_values[i] = v;
            return QV_OK;
        }
    size_t n = (size_t)opts->n_metadata + 1;
    char **keys = base_realloc(opts->metadata_keys, n * sizeof *keys);
    if (keys != NULL)
        opts->metadata_keys = keys;
    char **values = keys != NULL ? base_realloc(opts->metadata_values, n * sizeof *values) : NULL;
    if (values != NULL)
        opts->metadata_values = values;
    char *k = values != NULL ? base_strdup(key) : NULL;
    if (k == NULL) {
        base_free(v);
        return base_error_nomem(err, "parquet options");
    }
    opts->metadata_keys[opts->n_metadata] = k;
    opts->metadata_values[opts->n_metadata] = v;
    opts->n_metadata++;
    return QV_OK;
}

static qv_status config_error(qv_error *err, const char *what)
{
    return base_error_set(err, QV_PLAN, "Invalid or Unsupported Configuration: %s", what);
}

qv_status parquet_parse_compression(const char *text, parquet_write_options *opts, qv_error *err)
{
    /* DataFusion lower-cases the setting and drops quotes first */
    char setting[128];
    size_t n = 0;
    for (const char *p = text; *p != '\0' && n + 1 < sizeof setting; p++)
        if (*p != '\'')
            setting[n++] = (char)tolower((unsigned char)*p);
    setting[n] = '\0';
    char msg[512];
    char codec[128];
    bool has_level = false;
    long level = 0;
    char *paren = strchr(setting, '(');
    if (paren != NULL) {
        snprintf(codec, sizeof codec, "%.*s", (int)(paren - setting), setting);
        /* the level is what lies between '(' and the last character */
        char digits[64];
        size_t len = strlen(paren + 1);
        snprintf(digits, sizeof digits, "%.*s", (int)(len > 0 ? len - 1 : 0), paren + 1);
        char *end = NULL;
        level = strtol(digits, &end, 10);
        if (digits[0] == '\0' || *end != '\0' || digits[0] == '-' || digits[0] == '+' ||
            level > 4294967295L) {
            snprintf(msg, sizeof msg,
                     "Could not parse compression string. Got codec: %s and unknown level from %s",
                     codec, setting);
            return config_error(err, msg);
        }
        has_level = true;
    } else {
        snprintf(codec, sizeof codec, "%s", setting);
    }
    static const struct {
        const char *name;
        parquet_codec codec;
        bool needs_level;
        long min_level, max_level;
    } codecs[] = {
        {"uncompressed", PARQUET_CODEC_UNCOMPRESSED, false, 0, 0},
        {"snappy", PARQUET_CODEC_SNAPPY, false, 0, 0},
        {"gzip", PARQUET_CODEC_GZIP, true, 0, 10},
        {"lzo", PARQUET_CODEC_LZO, false, 0, 0},
        {"brotli", PARQUET_CODEC_BROTLI, true, 0, 11},
        {"lz4", PARQUET_CODEC_LZ4, false, 0, 0},
        {"zstd", PARQUET_CODEC_ZSTD, true, 1, 22},
        {"lz4_raw", PARQUET_CODEC_LZ4_RAW, false, 0, 0},
    };
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        if (strcmp(codec, codecs[i].name) != 0)
            continue;
        if (!codecs[i].needs_level && has_level) {
            snprintf(msg, sizeof msg, "Compression %s does not support specifying a level", codec);
            return config_error(err, msg);
        }
        if (codecs[i].needs_level && !has_level) {
            snprintf(msg, sizeof msg, "%s compression requires specifying a level such as %s(4)",
                     codec, codec);
            return config_error(err, msg);
        }
        if (has_level && (level < codecs[i].min_level || level > codecs[i].max_level))
            return base_error_set(err, QV_PLAN,
                                  "Parquet error: Parquet error: valid compression range "
                                  "%ld..=%ld exceeded.",
                                  codecs[i].min_level, codecs[i].max_level);
        opts->compression = codecs[i].codec;
        opts->compression_level = has_level ? (int32_t)level : 0;
        return QV_OK;
    }
    snprintf(msg, sizeof msg,
             "Unknown or unsupported parquet compression: %s. Valid values are: uncompressed, "
             "snappy, gzip(level), lzo, brotli(level), lz4, zstd(level), and lz4_raw.",
             text);
    return config_error(err, msg);
}

qv_status parquet_parse_encoding(const char *text, int32_t *out, qv_error *err)
{
    static const struct {
        const char *name;
        parquet_encoding encoding;
    } encodings[] = {
        {"plain", PARQUET_ENCODING_PLAIN},
        {"plain_dictionary", PARQUET_ENCODING_PLAIN_DICTIONARY},
        {"rle", PARQUET_ENCODING_RLE},
        {"bit_packed", PARQUET_ENCODING_BIT_PACKED},
        {"delta_binary_packed", PARQUET_ENCODING_DELTA_BINARY_PACKED},
        {"delta_length_byte_array", PARQUET_ENCODING_DELTA_LENGTH_BYTE_ARRAY},
        {"delta_byte_array", PARQUET_ENCODING_DELTA_BYTE_ARRAY},
        {"rle_dictionary", PARQUET_ENCODING_RLE_DICTIONARY},
        {"byte_stream_split", PARQUET_ENCODING_BYTE_STREAM_SPLIT},
    };
    for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
        if (strcasecmp(text, encodings[i].name) == 0) {
            *out = (int32_t)encodings[i].encoding;
            return QV_OK;
        }
    char msg[512];
    snprintf(msg, sizeof msg,
             "Unknown or unsupported parquet encoding: %s. Valid values are: plain, "
             "plain_dictionary, rle, bit_packed, delta_binary_packed, delta_length_byte_array, "
             "delta_byte_array, rle_dictionary, and byte_stream_split.",
             text);
    return config_error(err, msg);
}
