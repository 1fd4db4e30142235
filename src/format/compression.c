/*
 * compression.c — names and availability of compressed file formats
 * (layer: format).
 *
 * DataFusion reads .gz / .bz2 / .xz / .zst files through its
 * FileCompressionType. This build has no decompressor linked yet, so every
 * codec but "uncompressed" is refused with a clear message; readers and
 * inference call fmt_compression_check before touching a file.
 */
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

qv_status fmt_compression_check(fmt_compression c, qv_error *err)
{
    if (c == QV_COMPRESSION_NONE)
        return QV_OK;
    return base_error_set(err, QV_NOT_IMPLEMENTED, "%s compression is not available in this build",
                          fmt_compression_name(c));
}
