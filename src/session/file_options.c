/*
 * file_options.c — the OPTIONS clause of CREATE EXTERNAL TABLE and COPY,
 * and DataFusion's CSV / JSON format options (layer: session).
 *
 * Keys are read as DataFusion's parse_options_map reads them (lower-cased,
 * "format." added to keys without a namespace, values as text) and set as
 * its TableOptions sets them: `format.<field>` on CsvOptions or
 * JsonOptions, with the same value parsing (a one-character or numeric u8,
 * case-insensitive booleans, compression names) and the same messages for
 * unknown keys and bad values.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session/files_int.h"

/* ---- OPTIONS ---- */

void session_options_free(session_options *options)
{
    for (int32_t i = 0; i < options->n; i++) {
        base_free(options->items[i].key);
        base_free(options->items[i].value);
    }
    base_free(options->items);
    options->items = NULL;
    options->n = 0;
}

const char *session_options_get(const session_options *options, const char *key)
{
    for (int32_t i = options->n - 1; i >= 0; i--)
        if (strcmp(options->items[i].key, key) == 0)
            return options->items[i].value;
    return NULL;
}

/* The option key as written: a string, or dotted words. */
static char *key_text(const sql_node *key)
{
    if (key->kind == SQL_LITERAL || key->kind == SQL_IDENT)
        return base_strdup(key->text);
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (uint32_t i = 0; i < key->n_kids; i++) {
        if (i > 0)
            base_strbuf_append_char(&sb, '.');
        base_strbuf_append_str(&sb, key->kids[i]->text);
    }
    return base_strbuf_take(&sb);
}

/* DataFusion's value_to_string; NULL value: not supported. */
static qv_status value_text(const sql_node *v, char **out, qv_error *err)
{
    *out = NULL;
    const char *sign = "";
    if (v->kind == SQL_UNARY) {
        sign = v->op == SQL_OP_NEG ? "-" : "";
        v = sql_kid(v, 0);
    }
    if (v != NULL && v->kind == SQL_LITERAL && v->op == SQL_LIT_TRUE)
        *out = base_strdup("true");
    else if (v != NULL && v->kind == SQL_LITERAL && v->op == SQL_LIT_FALSE)
        *out = base_strdup("false");
    else if (v != NULL && v->kind == SQL_LITERAL && v->op == SQL_LIT_NULL)
        return base_error_set(err, QV_PLAN, "Error during planning: Unsupported Value NULL");
    else if (v != NULL && (v->kind == SQL_LITERAL || v->kind == SQL_IDENT) && v->text != NULL) {
        size_t n = strlen(sign) + v->text_len + 1;
        *out = base_alloc(n);
        if (*out != NULL) {
            memcpy(*out, sign, strlen(sign));
            memcpy(*out + strlen(sign), v->text, v->text_len);
            (*out)[n - 1] = '\0';
        }
    } else
        return base_error_set(err, QV_PLAN, "Error during planning: Unsupported Value");
    return *out != NULL ? QV_OK : base_error_nomem(err, "OPTIONS");
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

qv_status session_options_parse(const sql_node *list, bool allow_duplicates, session_options *out,
                                qv_error *err)
{
    out->n = 0;
    out->items = NULL;
    uint32_t n = list != NULL ? list->n_kids : 0;
    if (n == 0)
        return QV_OK;
    out->items = base_calloc(n, sizeof *out->items);
    if (out->items == NULL)
        return base_error_nomem(err, "OPTIONS");
    qv_status st = QV_OK;
    for (uint32_t i = 0; i < n && st == QV_OK; i++) {
        const sql_node *opt = list->kids[i];
        char *raw = key_text(sql_kid(opt, 0));
        char *value = NULL;
        if (raw == NULL) {
            st = base_error_nomem(err, "OPTIONS");
            break;
        }
        if (!allow_duplicates && session_options_get(out, raw) != NULL)
            st = base_error_set(
                err, QV_PLAN, "Error during planning: Option %s is specified multiple times", raw);
        if (st == QV_OK)
            st = value_text(sql_kid(opt, 1), &value, err);
        char *key = NULL;
        if (st == QV_OK) {
            /* no namespace: a format option, for backwards compatibility */
            bool has_ns = strchr(raw, '.') != NULL;
            size_t len = strlen(raw) + (has_ns ? 1 : 8);
            key = base_alloc(len);
            if (key == NULL)
                st = base_error_nomem(err, "OPTIONS");
            else {
                memcpy(key, has_ns ? "" : "format.", has_ns ? 0 : 7);
                strcpy(key + (has_ns ? 0 : 7), raw);
                lower(key);
            }
        }
        base_free(raw);
        if (st != QV_OK) {
            base_free(value);
            base_free(key);
            break;
        }
        /* a repeated key keeps its first place with the last value */
        int32_t at = out->n;
        for (int32_t k = 0; k < out->n; k++)
            if (strcmp(out->items[k].key, key) == 0)
                at = k;
        if (at < out->n) {
            base_free(out->items[at].key);
            base_free(out->items[at].value);
        } else {
            out->n++;
        }
        out->items[at].key = key;
        out->items[at].value = value;
    }
    if (st != QV_OK)
        session_options_free(out);
    return st;
}

/* ---- format options ---- */

void session_file_format_init(session_file_format *f, catalog_file_format format, const config *cfg)
{
    memset(f, 0, sizeof *f);
    f->format = format;
    csv_options_init(&f->csv);
    csv_write_options_init(&f->csv_write);
    ndjson_options_init(&f->json);
    parquet_read_options_init(&f->parquet);
    parquet_write_options_init(&f->parquet_write); /* + the session's in _apply */
    f->cfg = cfg;
    if (cfg != NULL) { /* the session's Parquet reading defaults */
        f->parquet.binary_as_string =
            config_get_bool(cfg, "datafusion.execution.parquet.binary_as_string");
        f->parquet.schema_force_view_types =
            config_get_bool(cfg, "datafusion.execution.parquet.schema_force_view_types");
        f->parquet.skip_metadata =
            config_get_bool(cfg, "datafusion.execution.parquet.skip_metadata");
        f->parquet.pushdown_filters =
            config_get_bool(cfg, "datafusion.execution.parquet.pushdown_filters");
        (void)config_get(cfg, "datafusion.execution.parquet.coerce_int96", &f->parquet.coerce_int96,
                         NULL);
        (void)config_get(cfg, "datafusion.execution.parquet.coerce_int96_tz",
                         &f->parquet.coerce_int96_tz, NULL);
    }
    if (cfg != NULL) {
        f->csv.has_header = config_get_bool(cfg, "datafusion.catalog.has_header");
        f->csv_write.has_header = f->csv.has_header;
        f->csv.newlines_in_values = config_get_bool(cfg, "datafusion.catalog.newlines_in_values");
    }
}

void session_file_format_clear(session_file_format *f)
{
    for (size_t i = 0; i < sizeof f->strings / sizeof f->strings[0]; i++)
        base_free(f->strings[i]);
    memset(f->strings, 0, sizeof f->strings);
    parquet_write_options_clear(&f->parquet_write);
}

static qv_status config_error(qv_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* DataFusionError::Configuration. */
static qv_status config_error(qv_error *err, const char *fmt, ...)
{
    char msg[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(msg, sizeof msg, fmt, args);
    va_end(args);
    return base_error_set(err, QV_PLAN, "Invalid or Unsupported Configuration: %s", msg);
}

/* DataFusion's ConfigField for u8: a number, or one ASCII character. */
static qv_status parse_u8(const char *key, const char *value, uint8_t *out, qv_error *err)
{
    if (value[0] == '\0')
        return config_error(err, "Input string for %s key is empty", key);
    char *end = NULL;
    unsigned long n = strtoul(value, &end, 10);
    if (isdigit((unsigned char)value[0]) && *end == '\0' && n <= 255) {
        *out = (uint8_t)n;
        return QV_OK;
    }
    if (value[1] != '\0' || (unsigned char)value[0] > 127)
        return config_error(err, "Error parsing %s as u8. Non-ASCII string provided", value);
    *out = (uint8_t)value[0];
    return QV_OK;
}

static qv_status parse_bool(const char *value, bool *out, qv_error *err)
{
    if (strcasecmp(value, "true") == 0)
        *out = true;
    else if (strcasecmp(value, "false") == 0)
        *out = false;
    else
        return base_error_set(err, QV_PLAN, "Error parsing '%s' as bool", value);
    return QV_OK;
}

static qv_status parse_usize(const char *value, int64_t *out, qv_error *err)
{
    char *end = NULL;
    long long n = strtoll(value, &end, 10);
    if (value[0] == '\0' || *end != '\0' || n < 0 || value[0] == '-')
        return base_error_set(err, QV_PLAN, "Error parsing '%s' as usize", value);
    *out = n;
    return QV_OK;
}

/* CompressionTypeVariant::from_str. */
static qv_status parse_compression(const char *value, fmt_compression *out, qv_error *err)
{
    static const struct {
        const char *name;
        fmt_compression c;
    } aliases[] = {
        {"gz", QV_COMPRESSION_GZIP}, {"bz2", QV_COMPRESSION_BZIP2}, {"zst", QV_COMPRESSION_ZSTD}};
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(value, aliases[i].name) == 0) {
            *out = aliases[i].c;
            return QV_OK;
        }
    if (fmt_compression_parse(value, out))
        return QV_OK;
    char upper[64];
    size_t n = 0;
    for (; value[n] != '\0' && n + 1 < sizeof upper; n++)
        upper[n] = (char)toupper((unsigned char)value[n]);
    upper[n] = '\0';
    return base_error_set(err, QV_PLAN,
                          "SQL error: ParserError(\"Unsupported file compression "
                          "type %s\")",
                          upper);
}

/* Keeps a copy of value in one of f's string slots. */
static qv_status keep(session_file_format *f, int slot, const char *value, const char **out,
                      qv_error *err)
{
    base_free(f->strings[slot]);
    f->strings[slot] = base_strdup(value);
    if (f->strings[slot] == NULL)
        return base_error_nomem(err, "format options");
    *out = f->strings[slot];
    return QV_OK;
}

static qv_status parse_quote_style(const char *value, csv_quote_style *out, qv_error *err)
{
    static const struct {
        const char *name;
        csv_quote_style style;
    } styles[] = {{"Always", CSV_QUOTE_ALWAYS},
                  {"Necessary", CSV_QUOTE_NECESSARY},
                  {"NonNumeric", CSV_QUOTE_NON_NUMERIC},
                  {"Never", CSV_QUOTE_NEVER}};
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
        if (strcasecmp(value, styles[i].name) == 0) {
            *out = styles[i].style;
            return QV_OK;
        }
    return config_error(err,
                        "Invalid quote style: %s. Expected one of: Always, Necessary, "
                        "NonNumeric, Never",
                        value);
}

static qv_status set_csv(session_file_format *f, const char *key, const char *value, qv_error *err)
{
    csv_options *r = &f->csv;
    csv_write_options *w = &f->csv_write;
    uint8_t byte = 0;
    int64_t n = 0;
    if (strcmp(key, "has_header") == 0) {
        QV_TRY(parse_bool(value, &r->has_header, err));
        w->has_header = r->has_header;
    } else if (strcmp(key, "delimiter") == 0) {
        QV_TRY(parse_u8(key, value, &byte, err));
        r->delimiter = w->delimiter = byte;
    } else if (strcmp(key, "quote") == 0) {
        QV_TRY(parse_u8(key, value, &byte, err));
        r->quote = w->quote = byte;
    } else if (strcmp(key, "terminator") == 0) {
        QV_TRY(parse_u8(key, value, &byte, err));
        r->terminator = byte;
    } else if (strcmp(key, "escape") == 0) {
        QV_TRY(parse_u8(key, value, &byte, err));
        r->escape = w->escape = byte;
    } else if (strcmp(key, "double_quote") == 0) {
        QV_TRY(parse_bool(value, &r->double_quote, err));
        w->double_quote = r->double_quote;
    } else if (strcmp(key, "newlines_in_values") == 0) {
        QV_TRY(parse_bool(value, &r->newlines_in_values, err));
    } else if (strcmp(key, "compression") == 0) {
        QV_TRY(parse_compression(value, &f->compression, err));
        r->compression = f->compression;
    } else if (strcmp(key, "compression_level") == 0) {
        QV_TRY(parse_usize(value, &n, err)); /* each codec's default level is used */
    } else if (strcmp(key, "schema_infer_max_rec") == 0) {
        QV_TRY(parse_usize(value, &r->schema_infer_max_rec, err));
    } else if (strcmp(key, "date_format") == 0) {
        QV_TRY(keep(f, 0, value, &w->date_format, err));
    } else if (strcmp(key, "datetime_format") == 0) {
        QV_TRY(keep(f, 1, value, &w->datetime_format, err));
    } else if (strcmp(key, "timestamp_format") == 0) {
        QV_TRY(keep(f, 2, value, &w->timestamp_format, err));
    } else if (strcmp(key, "timestamp_tz_format") == 0) {
        QV_TRY(keep(f, 3, value, &w->timestamp_tz_format, err));
    } else if (strcmp(key, "time_format") == 0) {
        QV_TRY(keep(f, 4, value, &w->time_format, err));
    } else if (strcmp(key, "null_value") == 0) {
        QV_TRY(keep(f, 5, value, &w->null_value, err));
    } else if (strcmp(key, "null_regex") == 0) {
        QV_TRY(keep(f, 6, value, &r->null_regex, err));
    } else if (strcmp(key, "comment") == 0) {
        QV_TRY(parse_u8(key, value, &byte, err));
        r->comment = byte;
    } else if (strcmp(key, "truncated_rows") == 0) {
        QV_TRY(parse_bool(value, &r->truncated_rows, err));
    } else if (strcmp(key, "quote_style") == 0) {
        QV_TRY(parse_quote_style(value, &w->quote_style, err));
    } else if (strcmp(key, "ignore_leading_whitespace") == 0) {
        QV_TRY(parse_bool(value, &w->trim_leading, err));
    } else if (strcmp(key, "ignore_trailing_whitespace") == 0) {
        QV_TRY(parse_bool(value, &w->trim_trailing, err));
    } else {
        return config_error(err, "Config value \"%s\" not found on CsvOptions", key);
    }
    return QV_OK;
}

static qv_status set_json(session_file_format *f, const char *key, const char *value, qv_error *err)
{
    int64_t n = 0;
    if (strcmp(key, "compression") == 0) {
        QV_TRY(parse_compression(value, &f->compression, err));
        f->json.compression = f->compression;
    } else if (strcmp(key, "compression_level") == 0) {
        QV_TRY(parse_usize(value, &n, err));
    } else if (strcmp(key, "schema_infer_max_rec") == 0) {
        QV_TRY(parse_usize(value, &f->json.schema_infer_max_rec, err));
    } else {
        return config_error(err, "Config value \"%s\" not found on JsonOptions", key);
    }
    return QV_OK;
}

/* ---- Parquet options (DataFusion's TableParquetOptions) ----
 * `format.<key>` sets ParquetOptions, `format.<key>::<column>` a column's
 * ParquetColumnOptions, `format.metadata::<key>` the file's key / value
 * metadata. Reading keys go to f->parquet, writing keys to
 * f->parquet_write; bloom filters and the page index are accepted and not
 * written (format/parquet_write.c). */

static qv_status parse_f64(const char *value, double *out, qv_error *err)
{
    char *end = NULL;
    *out = strtod(value, &end);
    if (value[0] == '\0' || *end != '\0')
        return base_error_set(err, QV_PLAN, "Error parsing '%s' as f64", value);
    return QV_OK;
}

static qv_status parse_parquet_statistics(const char *value, bool *out, qv_error *err)
{
    if (strcasecmp(value, "none") == 0 || strcasecmp(value, "chunk") == 0 ||
        strcasecmp(value, "page") == 0) {
        *out = strcasecmp(value, "none") != 0;
        return QV_OK;
    }
    return config_error(err,
                        "Unknown or unsupported parquet statistics setting %s valid options are "
                        "none, page, and chunk",
                        value);
}

static qv_status parse_writer_version(const char *value, int32_t *out, qv_error *err)
{
    if (strcmp(value, "1.0") == 0 || strcmp(value, "2.0") == 0) {
        *out = value[0] == '1' ? 1 : 2;
        return QV_OK;
    }
    return config_error(err,
                        "Unknown or unsupported parquet writer version %s valid options are 1.0 "
                        "and 2.0",
                        value);
}

/* The writer's options from datafusion.execution.parquet.* (before the
 * statement's own). */
static qv_status parquet_session_defaults(session_file_format *f, qv_error *err)
{
    const config *cfg = f->cfg;
    parquet_write_options *o = &f->parquet_write;
    o->max_row_group_size = config_get_int(cfg, "datafusion.execution.parquet.max_row_group_size");
    o->data_pagesize_limit =
        config_get_int(cfg, "datafusion.execution.parquet.data_pagesize_limit");
    o->data_page_row_count_limit =
        config_get_int(cfg, "datafusion.execution.parquet.data_page_row_count_limit");
    o->dictionary_page_size_limit =
        config_get_int(cfg, "datafusion.execution.parquet.dictionary_page_size_limit");
    o->write_batch_size = config_get_int(cfg, "datafusion.execution.parquet.write_batch_size");
    const char *v = NULL;
    /* NULL options leave arrow-rs' defaults: uncompressed, dictionary and
     * page statistics on, no truncation, PLAIN */
    o->compression = PARQUET_CODEC_UNCOMPRESSED;
    o->compression_level = 0;
    o->statistics_truncate_length = -1;
    if (config_get(cfg, "datafusion.execution.parquet.compression", &v, NULL) == QV_OK && v != NULL)
        QV_TRY(parquet_parse_compression(v, o, err));
    if (config_get(cfg, "datafusion.execution.parquet.dictionary_enabled", &v, NULL) == QV_OK &&
        v != NULL)
        QV_TRY(parse_bool(v, &o->dictionary_enabled, err));
    if (config_get(cfg, "datafusion.execution.parquet.statistics_enabled", &v, NULL) == QV_OK &&
        v != NULL)
        QV_TRY(parse_parquet_statistics(v, &o->statistics_enabled, err));
    if (config_get(cfg, "datafusion.execution.parquet.statistics_truncate_length", &v, NULL) ==
            QV_OK &&
        v != NULL)
        QV_TRY(parse_usize(v, &o->statistics_truncate_length, err));
    if (config_get(cfg, "datafusion.execution.parquet.encoding", &v, NULL) == QV_OK && v != NULL)
        QV_TRY(parquet_parse_encoding(v, &o->encoding, err));
    if (config_get(cfg, "datafusion.execution.parquet.writer_version", &v, NULL) == QV_OK &&
        v != NULL)
        QV_TRY(parse_writer_version(v, &o->writer_version, err));
    if (config_get(cfg, "datafusion.execution.parquet.created_by", &v, NULL) == QV_OK &&
        v != NULL) {
        base_free((char *)o->created_by);
        if ((o->created_by = base_strdup(v)) == NULL)
            return base_error_nomem(err, "format options");
    }
    return QV_OK;
}

/* ParquetColumnOptions' keys for one column. */
static qv_status set_parquet_column(session_file_format *f, const char *key, const char *column,
                                    const char *value, qv_error *err)
{
    static const char *const known[] = {
        "bloom_filter_enabled", "encoding",         "dictionary_enabled", "compression",
        "statistics_enabled",   "bloom_filter_fpp", "bloom_filter_ndv",   "max_statistics_size"};
    bool found = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        found |= strcmp(key, known[i]) == 0;
    if (!found)
        return config_error(err, "Config value \"%s\" not found on ParquetColumnOptions", key);
    parquet_column_write_options *c = parquet_write_options_column(&f->parquet_write, column);
    if (c == NULL)
        return base_error_nomem(err, "format options");
    bool flag = false;
    double fpp = 0;
    int64_t n = 0;
    if (strcmp(key, "compression") == 0) {
        parquet_write_options codec = f->parquet_write;
        QV_TRY(parquet_parse_compression(value, &codec, err));
        c->has_compression = true;
        c->compression = codec.compression;
        c->compression_level = codec.compression_level;
    } else if (strcmp(key, "encoding") == 0) {
        QV_TRY(parquet_parse_encoding(value, &c->encoding, err));
    } else if (strcmp(key, "dictionary_enabled") == 0) {
        QV_TRY(parse_bool(value, &flag, err));
        c->dictionary_enabled = flag;
    } else if (strcmp(key, "statistics_enabled") == 0) {
        QV_TRY(parse_parquet_statistics(value, &flag, err));
        c->statistics_enabled = flag;
    } else if (strcmp(key, "bloom_filter_enabled") == 0) {
        QV_TRY(parse_bool(value, &flag, err)); /* bloom filters are not written yet */
    } else if (strcmp(key, "bloom_filter_fpp") == 0) {
        QV_TRY(parse_f64(value, &fpp, err));
    } else {
        QV_TRY(parse_usize(value, &n, err));
    }
    return QV_OK;
}

static qv_status set_parquet(session_file_format *f, const char *key, const char *value,
                             qv_error *err)
{
    parquet_read_options *r = &f->parquet;
    parquet_write_options *w = &f->parquet_write;
    if (strncmp(key, "metadata::", 10) == 0) {
        const char *name = key + 10;
        if (name[0] == '\0')
            return config_error(err,
                                "Invalid metadata key provided, missing key in metadata::<key>");
        if (strstr(name, "::") != NULL)
            return config_error(err, "Invalid metadata key provided, found too many '::' in \"%s\"",
                                key);
        return parquet_write_options_metadata(w, name, value, err);
    }
    const char *sep = strstr(key, "::");
    char field[128];
    size_t len = sep != NULL ? (size_t)(sep - key) : strcspn(key, ".");
    snprintf(field, sizeof field, "%.*s", (int)(len < 120 ? len : 120), key);
    if (sep != NULL)
        return set_parquet_column(f, field, sep + 2, value, err);
    int64_t n = 0;
    double fpp = 0;
    bool flag = false;
    /* reading */
    if (strcmp(field, "binary_as_string") == 0)
        return parse_bool(value, &r->binary_as_string, err);
    if (strcmp(field, "schema_force_view_types") == 0)
        return parse_bool(value, &r->schema_force_view_types, err);
    if (strcmp(field, "skip_metadata") == 0)
        return parse_bool(value, &r->skip_metadata, err);
    if (strcmp(field, "pushdown_filters") == 0)
        return parse_bool(value, &r->pushdown_filters, err);
    if (strcmp(field, "coerce_int96") == 0) {
        char lowered[64];
        size_t k = 0;
        for (; value[k] != '\0' && k + 1 < sizeof lowered; k++)
            lowered[k] = (char)tolower((unsigned char)value[k]);
        lowered[k] = '\0';
        return keep(f, 7, lowered, &r->coerce_int96, err);
    }
    /* accepted, with no effect here (page index, bloom filters, parallelism) */
    static const char *const other_bools[] = {
        "enable_page_index",       "pruning",
        "reorder_filters",         "bloom_filter_on_read",
        "force_filter_selections", "skip_arrow_metadata",
        "bloom_filter_on_write",   "allow_single_file_parallelism"};
    static const char *const other_sizes[] = {"metadata_size_hint",
                                              "max_predicate_cache_size",
                                              "max_statistics_size",
                                              "column_index_truncate_length",
                                              "maximum_parallel_row_group_writers",
                                              "maximum_buffered_record_batches_per_stream",
                                              "bloom_filter_ndv"};
    for (size_t i = 0; i < sizeof other_bools / sizeof other_bools[0]; i++)
        if (strcmp(field, other_bools[i]) == 0)
            return parse_bool(value, &flag, err);
    for (size_t i = 0; i < sizeof other_sizes / sizeof other_sizes[0]; i++)
        if (strcmp(field, other_sizes[i]) == 0)
            return parse_usize(value, &n, err);
    if (strcmp(field, "bloom_filter_fpp") == 0)
        return parse_f64(value, &fpp, err);
    /* writing */
    if (strcmp(field, "compression") == 0)
        return parquet_parse_compression(value, w, err);
    if (strcmp(field, "encoding") == 0)
        return parquet_parse_encoding(value, &w->encoding, err);
    if (strcmp(field, "dictionary_enabled") == 0)
        return parse_bool(value, &w->dictionary_enabled, err);
    if (strcmp(field, "statistics_enabled") == 0)
        return parse_parquet_statistics(value, &w->statistics_enabled, err);
    if (strcmp(field, "writer_version") == 0)
        return parse_writer_version(value, &w->writer_version, err);
    if (strcmp(field, "created_by") == 0) {
        base_free((char *)w->created_by);
        w->created_by = base_strdup(value);
        return w->created_by != NULL ? QV_OK : base_error_nomem(err, "format options");
    }
    int64_t *sizes[] = {&w->max_row_group_size,         &w->max_row_group_bytes,
                        &w->data_pagesize_limit,        &w->data_page_row_count_limit,
                        &w->dictionary_page_size_limit, &w->write_batch_size,
                        &w->statistics_truncate_length};
    static const char *const size_names[] = {
        "max_row_group_size",        "max_row_group_bytes",        "data_pagesize_limit",
        "data_page_row_count_limit", "dictionary_page_size_limit", "write_batch_size",
        "statistics_truncate_length"};
    for (size_t i = 0; i < sizeof size_names / sizeof size_names[0]; i++)
        if (strcmp(field, size_names[i]) == 0)
            return parse_usize(value, sizes[i], err);
    return config_error(err, "Config value \"%s\" not found on ParquetOptions", field);
}

qv_status session_file_format_apply(session_file_format *f, const session_options *options,
                                    qv_error *err)
{
    if (f->format == CATALOG_FORMAT_PARQUET && f->cfg != NULL)
        QV_TRY(parquet_session_defaults(f, err));
    for (int32_t i = 0; i < options->n; i++) {
        const char *key = options->items[i].key;
        const char *dot = strchr(key, '.');
        size_t ns_len = dot != NULL ? (size_t)(dot - key) : strlen(key);
        if (ns_len == 9 && strncmp(key, "execution", 9) == 0)
            continue; /* read by COPY itself */
        if (ns_len != 6 || strncmp(key, "format", 6) != 0) {
            char ns[128];
            snprintf(ns, sizeof ns, "%.*s", (int)(ns_len < 100 ? ns_len : 100), key);
            return config_error(err, "Could not find config namespace \"%s\"", ns);
        }
        /* the field name is the next segment */
        char field[128];
        const char *rest = dot + 1;
        const char *end = strchr(rest, '.');
        size_t len = end != NULL ? (size_t)(end - rest) : strlen(rest);
        snprintf(field, sizeof field, "%.*s", (int)(len < 120 ? len : 120), rest);
        if (f->format == CATALOG_FORMAT_PARQUET) { /* its keys may hold "::" and dots */
            QV_TRY(set_parquet(f, rest, options->items[i].value, err));
            continue;
        }
        QV_TRY(f->format == CATALOG_FORMAT_CSV ? set_csv(f, field, options->items[i].value, err)
                                               : set_json(f, field, options->items[i].value, err));
    }
    return QV_OK;
}

qv_status session_file_format_from_name(const char *name, catalog_file_format *out, bool *known,
                                        qv_error *err)
{
    *known = true;
    if (strcasecmp(name, "csv") == 0) {
        *out = CATALOG_FORMAT_CSV;
        return QV_OK;
    }
    if (strcasecmp(name, "json") == 0 || strcasecmp(name, "ndjson") == 0) {
        *out = CATALOG_FORMAT_NDJSON;
        return QV_OK;
    }
    if (strcasecmp(name, "arrow") == 0) { /* Arrow IPC files (format/arrow_ipc.h) */
        *out = CATALOG_FORMAT_ARROW;
        return QV_OK;
    }
    if (strcasecmp(name, "parquet") == 0) { /* format/parquet.h */
        *out = CATALOG_FORMAT_PARQUET;
        return QV_OK;
    }
    if (strcasecmp(name, "avro") == 0) {
        char upper[16];
        size_t n = 0;
        for (; name[n] != '\0' && n + 1 < sizeof upper; n++)
            upper[n] = (char)toupper((unsigned char)name[n]);
        upper[n] = '\0';
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: %s files (only CSV, JSON / "
                              "NDJSON, PARQUET and ARROW are supported yet)",
                              upper);
    }
    *known = false;
    return QV_OK;
}
