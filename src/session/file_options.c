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

qv_status session_file_format_apply(session_file_format *f, const session_options *options,
                                    qv_error *err)
{
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
    if (strcasecmp(name, "parquet") == 0 || strcasecmp(name, "arrow") == 0 ||
        strcasecmp(name, "avro") == 0) {
        char upper[16];
        size_t n = 0;
        for (; name[n] != '\0' && n + 1 < sizeof upper; n++)
            upper[n] = (char)toupper((unsigned char)name[n]);
        upper[n] = '\0';
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: %s files (only CSV and "
                              "JSON / NDJSON are supported yet)",
                              upper);
    }
    *known = false;
    return QV_OK;
}
