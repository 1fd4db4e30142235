/*
 * table.c — qv_table handles and registering them by name (layer:
 * session): a handle is one reference to a catalog_table; registration puts
 * another reference in the runtime's shared catalog or in a session's
 * overlay. Names are parsed as DataFusion's TableReference does: up to three
 * dot-separated parts, unquoted parts lower-cased, "double-quoted" parts
 * kept as written.
 */
#include <ctype.h>
#include <string.h>

#include "session/session_int.h"

struct qv_table {
    catalog_table *table; /* owned reference */
};

qv_status session_table_new(catalog_table *table, qv_table **out, qv_error *err)
{
    *out = base_calloc(1, sizeof **out);
    if (*out == NULL)
        return base_error_nomem(err, "table handle");
    (*out)->table = catalog_table_retain(table);
    return QV_OK;
}

catalog_table *session_table_provider(const qv_table *table)
{
    return table->table;
}

void qv_table_free(qv_table *table)
{
    if (table == NULL)
        return;
    catalog_table_release(table->table);
    base_free(table);
}

/* A table name split into parts, each a NUL-terminated string in text. */
typedef struct parsed_name {
    char text[512];
    const char *parts[3];
    int n_parts;
} parsed_name;

/* Parses name into out; QV_INVALID for an empty part, an unterminated quote,
 * more than three parts or a name longer than the buffer. */
static qv_status parse_name(const char *name, parsed_name *out, qv_error *err)
{
    /* Quotes and dots take no room: the parts fit in strlen(name) + 1. */
    size_t w = 0;
    out->n_parts = 0;
    const char *p = name;
    if (strlen(name) + 1 > sizeof out->text)
        goto bad;
    for (;;) {
        if (out->n_parts == 3)
            goto bad;
        out->parts[out->n_parts++] = &out->text[w];
        size_t start = w;
        if (*p == '"') {
            for (p++;; p++) {
                if (*p == '\0')
                    goto bad;
                if (*p == '"' && p[1] != '"')
                    break;
                if (*p == '"')
                    p++; /* "" is one quote */
                out->text[w++] = *p;
            }
            p++;
        } else {
            for (; *p != '\0' && *p != '.'; p++)
                out->text[w++] = (char)tolower((unsigned char)*p);
        }
        if (w == start)
            goto bad;
        out->text[w++] = '\0';
        if (*p == '\0')
            return QV_OK;
        if (*p != '.')
            goto bad;
        p++;
    }
bad:
    return base_error_set(err, QV_INVALID,
                          "invalid table name '%s': expected name, schema.name or "
                          "catalog.schema.name",
                          name);
}

/* Registers table under name in cat, whose default namespace is
 * default_catalog.default_schema. */
static qv_status register_in(catalog *cat, const char *default_catalog, const char *default_schema,
                             const char *name, qv_table *table, qv_error *err)
{
    parsed_name parsed;
    QV_TRY(parse_name(name, &parsed, err));
    const char *catalog_name = default_catalog, *schema_name = default_schema;
    if (parsed.n_parts == 3)
        catalog_name = parsed.parts[0];
    if (parsed.n_parts >= 2)
        schema_name = parsed.parts[parsed.n_parts - 2];
    return catalog_register_table(cat, catalog_name, schema_name, parsed.parts[parsed.n_parts - 1],
                                  table->table, false, err);
}

qv_status qv_runtime_register_table(qv_runtime *runtime, const char *name, qv_table *table,
                                    qv_error *err)
{
    if (runtime == NULL || name == NULL || table == NULL)
        return base_error_set(err, QV_MISUSE,
                              "qv_runtime_register_table: runtime, name and table are required");
    return register_in(runtime->catalog, "datafusion", "public", name, table, err);
}

qv_status qv_session_register_table(qv_session *session, const char *name, qv_table *table,
                                    qv_error *err)
{
    if (session == NULL || name == NULL || table == NULL)
        return base_error_set(err, QV_MISUSE,
                              "qv_session_register_table: session, name and table are required");
    const char *default_catalog = NULL, *default_schema = NULL;
    config_get(session->config, "datafusion.catalog.default_catalog", &default_catalog, NULL);
    config_get(session->config, "datafusion.catalog.default_schema", &default_schema, NULL);
    return register_in(session->catalog, default_catalog, default_schema, name, table, err);
}
