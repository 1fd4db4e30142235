/*
 * url_table.c — a file path used as a table name, SELECT * FROM
 * 'data/x.csv' (layer: session), when quiver.catalog.url_table is on (as
 * DataFusion's enable_url_table, which its CLI turns on): the format comes
 * from the extension (.csv, .json / .ndjson, optionally followed by .gz,
 * .bz2, .xz or .zst), options from the session's defaults; the schema is
 * inferred when the query is planned. A path that is not an existing file
 * of a known format is "not a file table", so the usual table-not-found
 * error follows.
 */
#include <string.h>
#include <strings.h>

#include "session/files_int.h"

qv_status session_url_table(void *user, const char *path, catalog_table **out, qv_error *err)
{
    qv_session *session = user;
    *out = NULL;
    if (io_path_kind(path) != IO_PATH_FILE)
        return QV_NOT_FOUND;
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    size_t comp_len = 0;
    fmt_compression_of_name(base, &comp_len);
    char name[256];
    size_t len = strlen(base) - comp_len;
    if (len >= sizeof name)
        return QV_NOT_FOUND;
    memcpy(name, base, len);
    name[len] = '\0';
    const char *dot = strrchr(name, '.');
    if (dot == NULL)
        return QV_NOT_FOUND;
    catalog_file_format format;
    bool known = false;
    QV_TRY(session_file_format_from_name(dot + 1, &format, &known, err));
    if (!known)
        return QV_NOT_FOUND;
    return session_path_table(session, path, format, out, err); /* table_fn_files.c */
}
