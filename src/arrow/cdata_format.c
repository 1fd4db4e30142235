/*
 * cdata_format.c — the Arrow C Data Interface's format strings and metadata
 * blobs, both directions (layer: arrow). Parsing is written for hostile
 * input: it never reads past the string's NUL and refuses anything it does
 * not fully understand.
 */
#include <string.h>

#include "arrow/cdata_int.h"

/* Formats that are a fixed string, parameterless or with a fixed unit. */
typedef struct fixed_format {
    const char *text;
    arrow_type_id id;
    arrow_time_unit unit;
} fixed_format;

static const fixed_format fixed_formats[] = {
    {"n", QV_TYPE_NULL, QV_UNIT_SECOND},
    {"b", QV_TYPE_BOOLEAN, QV_UNIT_SECOND},
    {"c", QV_TYPE_INT8, QV_UNIT_SECOND},
    {"C", QV_TYPE_UINT8, QV_UNIT_SECOND},
    {"s", QV_TYPE_INT16, QV_UNIT_SECOND},
    {"S", QV_TYPE_UINT16, QV_UNIT_SECOND},
    {"i", QV_TYPE_INT32, QV_UNIT_SECOND},
    {"I", QV_TYPE_UINT32, QV_UNIT_SECOND},
    {"l", QV_TYPE_INT64, QV_UNIT_SECOND},
    {"L", QV_TYPE_UINT64, QV_UNIT_SECOND},
    {"e", QV_TYPE_FLOAT16, QV_UNIT_SECOND},
    {"f", QV_TYPE_FLOAT32, QV_UNIT_SECOND},
    {"g", QV_TYPE_FLOAT64, QV_UNIT_SECOND},
    {"z", QV_TYPE_BINARY, QV_UNIT_SECOND},
    {"Z", QV_TYPE_LARGE_BINARY, QV_UNIT_SECOND},
    {"vz", QV_TYPE_BINARY_VIEW, QV_UNIT_SECOND},
    {"u", QV_TYPE_UTF8, QV_UNIT_SECOND},
    {"U", QV_TYPE_LARGE_UTF8, QV_UNIT_SECOND},
    {"vu", QV_TYPE_UTF8_VIEW, QV_UNIT_SECOND},
    {"tdD", QV_TYPE_DATE32, QV_UNIT_SECOND},
    {"tdm", QV_TYPE_DATE64, QV_UNIT_MILLISECOND},
    {"tts", QV_TYPE_TIME32, QV_UNIT_SECOND},
    {"ttm", QV_TYPE_TIME32, QV_UNIT_MILLISECOND},
    {"ttu", QV_TYPE_TIME64, QV_UNIT_MICROSECOND},
    {"ttn", QV_TYPE_TIME64, QV_UNIT_NANOSECOND},
    {"tDs", QV_TYPE_DURATION, QV_UNIT_SECOND},
    {"tDm", QV_TYPE_DURATION, QV_UNIT_MILLISECOND},
    {"tDu", QV_TYPE_DURATION, QV_UNIT_MICROSECOND},
    {"tDn", QV_TYPE_DURATION, QV_UNIT_NANOSECOND},
    {"tiM", QV_TYPE_INTERVAL_YEAR_MONTH, QV_UNIT_SECOND},
    {"tiD", QV_TYPE_INTERVAL_DAY_TIME, QV_UNIT_SECOND},
    {"tin", QV_TYPE_INTERVAL_MONTH_DAY_NANO, QV_UNIT_SECOND},
    {"+l", QV_TYPE_LIST, QV_UNIT_SECOND},
    {"+L", QV_TYPE_LARGE_LIST, QV_UNIT_SECOND},
    {"+s", QV_TYPE_STRUCT, QV_UNIT_SECOND},
    {"+m", QV_TYPE_MAP, QV_UNIT_SECOND},
    {"+r", QV_TYPE_RUN_END_ENCODED, QV_UNIT_SECOND},
};

static const char unit_chars[] = {
    [QV_UNIT_SECOND] = 's',
    [QV_UNIT_MILLISECOND] = 'm',
    [QV_UNIT_MICROSECOND] = 'u',
    [QV_UNIT_NANOSECOND] = 'n',
};

/* Parses an optionally negative decimal int32 at *p, advancing *p. */
static bool parse_int32(const char **p, int32_t *out)
{
    const char *s = *p;
    bool negative = false;
    if (*s == '-') {
        negative = true;
        s++;
    }
    if (*s < '0' || *s > '9')
        return false;
    int64_t value = 0;
    while (*s >= '0' && *s <= '9') {
        value = value * 10 + (*s - '0');
        if (value > INT32_MAX)
            return false;
        s++;
    }
    *out = (int32_t)(negative ? -value : value);
    *p = s;
    return true;
}

static qv_status bad_format(const char *format, qv_error *err)
{
    /* %.64s: the format may be arbitrarily long (and it is hostile input). */
    return base_error_set(err, QV_INVALID, "invalid or unsupported C Data format string \"%.64s\"",
                          format);
}

qv_status cdata_format_parse(const char *format, cdata_format *out, qv_error *err)
{
    memset(out, 0, sizeof *out);
    if (format == NULL)
        return base_error_set(err, QV_INVALID, "invalid schema: the format string is NULL");
    for (size_t i = 0; i < sizeof fixed_formats / sizeof fixed_formats[0]; i++) {
        if (strcmp(format, fixed_formats[i].text) == 0) {
            out->id = fixed_formats[i].id;
            out->unit = fixed_formats[i].unit;
            return QV_OK;
        }
    }
    const char *p = format;
    if (p[0] == 't' && p[1] == 's' && p[2] != '\0' && p[3] == ':') {
        const char *unit = memchr(unit_chars, p[2], sizeof unit_chars);
        if (unit == NULL)
            return bad_format(format, err);
        out->id = QV_TYPE_TIMESTAMP;
        out->unit = (arrow_time_unit)(unit - unit_chars);
        out->timezone = p[4] != '\0' ? p + 4 : NULL;
        return QV_OK;
    }
    if (p[0] == 'w' && p[1] == ':') {
        p += 2;
        if (!parse_int32(&p, &out->fixed_size) || *p != '\0' || out->fixed_size < 0)
            return bad_format(format, err);
        out->id = QV_TYPE_FIXED_SIZE_BINARY;
        return QV_OK;
    }
    if (p[0] == '+' && p[1] == 'w' && p[2] == ':') {
        p += 3;
        if (!parse_int32(&p, &out->fixed_size) || *p != '\0' || out->fixed_size < 0)
            return bad_format(format, err);
        out->id = QV_TYPE_FIXED_SIZE_LIST;
        return QV_OK;
    }
    if (p[0] == 'd' && p[1] == ':') {
        p += 2;
        if (!parse_int32(&p, &out->precision) || *p != ',')
            return bad_format(format, err);
        p++;
        if (!parse_int32(&p, &out->scale))
            return bad_format(format, err);
        int32_t bits = 128;
        if (*p == ',') {
            p++;
            if (!parse_int32(&p, &bits))
                return bad_format(format, err);
        }
        if (*p != '\0' || (bits != 128 && bits != 256))
            return bad_format(format, err);
        out->id = bits == 128 ? QV_TYPE_DECIMAL128 : QV_TYPE_DECIMAL256;
        return QV_OK;
    }
    return bad_format(format, err);
}

qv_status cdata_format_string(const arrow_type *type, char **out, qv_error *err)
{
    *out = NULL;
    if (type->id == QV_TYPE_DICTIONARY)
        type = type->index_type;
    base_strbuf sb;
    base_strbuf_init(&sb);
    switch (type->id) {
    case QV_TYPE_DECIMAL128:
        base_strbuf_appendf(&sb, "d:%d,%d", type->precision, type->scale);
        break;
    case QV_TYPE_DECIMAL256:
        base_strbuf_appendf(&sb, "d:%d,%d,256", type->precision, type->scale);
        break;
    case QV_TYPE_FIXED_SIZE_BINARY:
        base_strbuf_appendf(&sb, "w:%d", type->fixed_size);
        break;
    case QV_TYPE_FIXED_SIZE_LIST:
        base_strbuf_appendf(&sb, "+w:%d", type->fixed_size);
        break;
    case QV_TYPE_TIMESTAMP:
        base_strbuf_appendf(&sb, "ts%c:%s", unit_chars[type->unit],
                            type->timezone != NULL ? type->timezone : "");
        break;
    default: {
        bool has_unit = type->id == QV_TYPE_TIME32 || type->id == QV_TYPE_TIME64 ||
                        type->id == QV_TYPE_DURATION;
        for (size_t i = 0; i < sizeof fixed_formats / sizeof fixed_formats[0]; i++) {
            const fixed_format *f = &fixed_formats[i];
            if (f->id == type->id && (!has_unit || f->unit == type->unit)) {
                base_strbuf_append_str(&sb, f->text);
                break;
            }
        }
        break;
    }
    }
    /* Every type id has a format, so an empty result can only be a failure. */
    if (sb.len == 0 || base_strbuf_failed(&sb)) {
        base_strbuf_free(&sb);
        return base_error_nomem(err, "C Data format string");
    }
    *out = base_strbuf_take(&sb);
    return QV_OK;
}

qv_status cdata_metadata_encode(const arrow_metadata *md, char **out, qv_error *err)
{
    *out = NULL;
    if (md == NULL || md->n == 0)
        return QV_OK;
    size_t size = sizeof(int32_t);
    for (int32_t i = 0; i < md->n; i++)
        size += 2 * sizeof(int32_t) + strlen(md->keys[i]) + strlen(md->values[i]);
    char *blob = base_alloc(size);
    if (blob == NULL)
        return base_error_nomem(err, "C Data metadata");
    char *p = blob;
    memcpy(p, &md->n, sizeof(int32_t));
    p += sizeof(int32_t);
    for (int32_t i = 0; i < md->n; i++) {
        const char *parts[2] = {md->keys[i], md->values[i]};
        for (int part = 0; part < 2; part++) {
            int32_t len = (int32_t)strlen(parts[part]);
            memcpy(p, &len, sizeof len);
            p += sizeof len;
            memcpy(p, parts[part], (size_t)len);
            p += len;
        }
    }
    *out = blob;
    return QV_OK;
}

qv_status cdata_metadata_decode(const char *blob, arrow_metadata *out, qv_error *err)
{
    memset(out, 0, sizeof *out);
    if (blob == NULL)
        return QV_OK;
    int32_t n;
    memcpy(&n, blob, sizeof n);
    if (n < 0)
        return base_error_set(err, QV_INVALID, "invalid schema: metadata has %d entries", n);
    const char *p = blob + sizeof n;
    for (int32_t i = 0; i < n; i++) {
        char *parts[2] = {NULL, NULL};
        for (int part = 0; part < 2; part++) {
            int32_t len;
            memcpy(&len, p, sizeof len);
            p += sizeof len;
            if (len < 0) {
                base_free(parts[0]);
                arrow_metadata_clear(out);
                return base_error_set(err, QV_INVALID,
                                      "invalid schema: metadata entry %d has a negative length", i);
            }
            parts[part] = base_strndup(p, (size_t)len);
            p += len;
        }
        qv_status status = QV_OK;
        if (parts[0] == NULL || parts[1] == NULL)
            status = base_error_nomem(err, "metadata");
        else
            status = arrow_metadata_add(out, parts[0], parts[1], err);
        base_free(parts[0]);
        base_free(parts[1]);
        if (status != QV_OK) {
            arrow_metadata_clear(out);
            return status;
        }
    }
    return QV_OK;
}
