/*
 * auto_catalog.c — the `default` schema loaded from a directory (layer:
 * session), DataFusion's ListingSchemaProvider: when a profile sets both
 * datafusion.catalog.location (a directory, a path or a file:// URL) and
 * datafusion.catalog.format (CSV, JSON / NDJSON, ...; any case), every
 * session made from it sees <default_catalog>.default holding one table
 * per entry of the directory: a subdirectory `name/` (read whole) or a
 * file `name.ext...` (the name is cut at the first dot; hidden entries,
 * starting with '.', are skipped). Tables are made as CREATE EXTERNAL
 * TABLE with no columns makes them, with the profile's settings
 * (datafusion.catalog.has_header...); two entries with one name are
 * "Error during planning: ambiguous discovered table name: <name>".
 *
 * The directory is listed and the schemas inferred once per profile, when
 * its first session is made, into a catalog that sits between the
 * runtime's shared catalog and the sessions' overlays, so a session costs
 * nothing more. The tables list their files again when scanned (new files
 * show up); tables added to the directory later do not (DataFusion
 * refreshes only on request). A failure fails that session's creation
 * and the next session tries again.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_mutex_t */
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "session/files_int.h"

struct session_auto_catalog {
    pthread_mutex_t lock;
    bool loaded;
    catalog *catalog; /* over the runtime's catalog; NULL: the keys are not set */
};

qv_status session_auto_catalog_new(session_auto_catalog **out, qv_error *err)
{
    *out = base_calloc(1, sizeof **out);
    if (*out == NULL)
        return base_error_nomem(err, "profile");
    if (pthread_mutex_init(&(*out)->lock, NULL) != 0) {
        base_free(*out);
        *out = NULL;
        return base_error_set(err, QV_RESOURCES_EXHAUSTED, "cannot create the profile's lock");
    }
    return QV_OK;
}

void session_auto_catalog_free(session_auto_catalog *ac)
{
    if (ac == NULL)
        return;
    catalog_free(ac->catalog);
    pthread_mutex_destroy(&ac->lock);
    base_free(ac);
}

/* One table of the schema: its name and where it is. */
typedef struct discovered {
    char *name;     /* owned */
    char *location; /* owned; a directory ends with '/' */
} discovered;

typedef struct discovery {
    discovered *items; /* owned */
    int32_t n, cap;
} discovery;

static void discovery_free(discovery *d)
{
    for (int32_t i = 0; i < d->n; i++) {
        base_free(d->items[i].name);
        base_free(d->items[i].location);
    }
    base_free(d->items);
}

/* Adds the table the first path segment below root (len bytes, then '/'
 * when it is a directory) stands for. */
static qv_status discover(discovery *d, const char *root, const char *segment, size_t len,
                          bool is_dir, qv_error *err)
{
    if (segment[0] == '.')
        return QV_OK;
    size_t name_len = 0;
    while (name_len < len && segment[name_len] != '.')
        name_len++;
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_appendf(&sb, "%s/%.*s%s", root, (int)len, segment, is_dir ? "/" : "");
    if (base_strbuf_failed(&sb)) {
        base_strbuf_free(&sb);
        return base_error_nomem(err, "catalog location");
    }
    for (int32_t i = 0; i < d->n; i++) {
        if (strlen(d->items[i].name) != name_len || memcmp(d->items[i].name, segment, name_len))
            continue;
        bool same = strcmp(d->items[i].location, sb.data) == 0;
        base_strbuf_free(&sb);
        if (same)
            return QV_OK;
        return base_error_set(err, QV_PLAN,
                              "Error during planning: ambiguous discovered table name: %s",
                              d->items[i].name);
    }
    if (d->n == d->cap) {
        int32_t cap = d->cap == 0 ? 8 : d->cap * 2;
        discovered *grown = base_realloc(d->items, (size_t)cap * sizeof *grown);
        if (grown == NULL) {
            base_strbuf_free(&sb);
            return base_error_nomem(err, "catalog location");
        }
        d->items = grown;
        d->cap = cap;
    }
    char *name = base_strndup(segment, name_len);
    if (name == NULL) {
        base_strbuf_free(&sb);
        return base_error_nomem(err, "catalog location");
    }
    d->items[d->n++] = (discovered){name, base_strbuf_take(&sb)};
    return QV_OK;
}

/* The tables under root (absolute, no trailing slash): every file below
 * it, by its first segment. */
static qv_status discover_tables(const char *root, discovery *d, qv_error *err)
{
    io_file_list files = {0};
    QV_TRY(io_list_files(root, NULL, false, &files, err));
    size_t root_len = strlen(root);
    qv_status st = QV_OK;
    for (int32_t i = 0; i < files.n && st == QV_OK; i++) {
        const char *below = files.entries[i].path + root_len;
        if (strncmp(files.entries[i].path, root, root_len) != 0 || below[0] != '/')
            continue;
        below++;
        const char *slash = strchr(below, '/');
        size_t len = slash != NULL ? (size_t)(slash - below) : strlen(below);
        st = discover(d, root, below, len, slash != NULL, err);
    }
    io_file_list_free(&files);
    return st;
}

/* The table CREATE EXTERNAL TABLE <name> STORED AS <format> LOCATION
 * '<location>' would make. */
static qv_status make_table(const qv_profile *profile, catalog_file_format format,
                            const discovered *item, catalog_table **out, qv_error *err)
{
    const config *cfg = profile->config;
    session_file_format ff;
    session_file_format_init(&ff, format, cfg);
    catalog_listing_options lo;
    const char *paths[1];
    char *path = NULL;
    qv_status st = session_factory_options(&lo, &ff, cfg, item->location, true, paths, &path, err);
    lo.file_cache = profile->runtime->file_cache; /* listings kept under the table's name */
    lo.table_name = item->name;
    if (st == QV_OK)
        st = catalog_listing_table_new(&lo, out, err);
    base_free(path);
    session_file_format_clear(&ff);
    return st;
}

/* The directory location names, as an absolute path without a trailing
 * slash (new string). */
static qv_status location_root(const char *location, char **out, qv_error *err)
{
    const char *path = location;
    if (strncasecmp(path, "file://", 7) == 0)
        path += 7;
    else if (strstr(path, "://") != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: datafusion.catalog.location "
                              "'%s': only local directories are supported",
                              location);
    QV_TRY(io_absolute_path(path, out, err));
    size_t len = strlen(*out);
    while (len > 1 && (*out)[len - 1] == '/')
        (*out)[--len] = '\0';
    if (io_path_kind(*out) != IO_PATH_DIRECTORY) {
        base_free(*out);
        *out = NULL;
        return base_error_set(err, QV_NOT_FOUND,
                              "Execution error: datafusion.catalog.location '%s' is not a "
                              "directory",
                              location);
    }
    return QV_OK;
}

/* Builds the catalog of the `default` schema, or leaves *out NULL when the
 * profile does not ask for one. */
static qv_status load(qv_profile *profile, catalog **out, qv_error *err)
{
    *out = NULL;
    const config *cfg = profile->config;
    const char *location = NULL, *format_name = NULL, *default_catalog = NULL;
    config_get(cfg, "datafusion.catalog.location", &location, NULL);
    config_get(cfg, "datafusion.catalog.format", &format_name, NULL);
    config_get(cfg, "datafusion.catalog.default_catalog", &default_catalog, NULL);
    if (location == NULL || format_name == NULL || default_catalog == NULL)
        return QV_OK;
    catalog_file_format format = CATALOG_FORMAT_CSV;
    bool known = false;
    QV_TRY(session_file_format_from_name(format_name, &format, &known, err));
    if (!known)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Unable to find factory for %s (in "
                              "datafusion.catalog.format)",
                              format_name);
    char *root = NULL;
    QV_TRY(location_root(location, &root, err));
    discovery found = {0};
    catalog *cat = NULL;
    qv_status st = discover_tables(root, &found, err);
    if (st == QV_OK)
        st = catalog_new(profile->runtime->catalog, default_catalog, "default", &cat, err);
    if (st == QV_OK)
        st = catalog_create_schema(cat, default_catalog, "default", true, err);
    for (int32_t i = 0; i < found.n && st == QV_OK; i++) {
        catalog_table *table = NULL;
        st = make_table(profile, format, &found.items[i], &table, err);
        if (st == QV_OK)
            st = catalog_register_table(cat, default_catalog, "default", found.items[i].name, table,
                                        true, err);
        catalog_table_release(table);
    }
    discovery_free(&found);
    base_free(root);
    if (st != QV_OK) {
        catalog_free(cat);
        return st;
    }
    *out = cat;
    return QV_OK;
}

qv_status session_auto_catalog_parent(qv_profile *profile, catalog **out, qv_error *err)
{
    session_auto_catalog *ac = profile->auto_catalog;
    pthread_mutex_lock(&ac->lock);
    qv_status st = QV_OK;
    if (!ac->loaded) {
        st = load(profile, &ac->catalog, err);
        ac->loaded = st == QV_OK;
    }
    *out = ac->catalog != NULL ? ac->catalog : profile->runtime->catalog;
    pthread_mutex_unlock(&ac->lock);
    return st;
}
