/*
 * compression.c — names, file extensions and availability of compressed
 * file formats (layer: format), as DataFusion's FileCompressionType. The
 * codecs themselves are in decompress.c and compress.c.
 */
#include <string.h>
#include <strings.h>

#include "format/format.h"

const char *fmt_compression_name(fmt_compression c)
{
    switch (c) {
    case QV_COMPRESSION_GZIP:
        return "gzip";
    case QV_COMPRESSION_BZIP2:
        return "bzip2";
    case QV_COMPRESSION_XZ:
        return "xz";
    case QV_COMPRESSION_ZSTD:
        return "zstd";
    default:
        return "uncompressed";
    }
}

bool fmt_compression_parse(const char *name, fmt_compression *out)
{
    static const struct {
        const char *name;
        fmt_compression c;
    } names[] = {{"", QV_COMPRESSION_NONE},     {"uncompressed", QV_COMPRESSION_NONE},
                 {"gzip", QV_COMPRESSION_GZIP}, {"bzip2", QV_COMPRESSION_BZIP2},
                 {"xz", QV_COMPRESSION_XZ},     {"zstd", QV_COMPRESSION_ZSTD}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].c;
            return true;
        }
    return false;
}

const char *fmt_compression_extension(fmt_compression c)
{
    switch (c) {
    case QV_COMPRESSION_GZIP:
        return ".gz";
    case QV_COMPRESSION_BZIP2:
        return ".bz2";
    case QV_COMPRESSION_XZ:
        return ".xz";
    case QV_COMPRESSION_ZSTD:
        return ".zst";
    default:
        return "";
    }
}

fmt_compression fmt_compression_of_name(const char *name, size_t *ext_len)
{
    static const fmt_compression codecs[] = {QV_COMPRESSION_GZIP, QV_COMPRESSION_BZIP2,
                                             QV_COMPRESSION_XZ, QV_COMPRESSION_ZSTD};
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        const char *ext = fmt_compression_extension(codecs[i]);
        size_t n = strlen(ext);
        if (len > n && strcasecmp(name + len - n, ext) == 0) {
            if (ext_len != NULL)
                *ext_len = n;
            return codecs[i];
        }
    }
    if (ext_len != NULL)
        *ext_len = 0;
    return QV_COMPRESSION_NONE;
}

qv_status fmt_compression_check(fmt_compression c, qv_error *err)
{
    if (c >= QV_COMPRESSION_NONE && c <= QV_COMPRESSION_ZSTD)
        return QV_OK;
    return base_error_set(err, QV_INVALID, "unknown compression codec %d", (int)c);
}
