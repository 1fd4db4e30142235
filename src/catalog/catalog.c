/*
 * catalog.c — the catalog of names (layer: catalog): (catalog, schema,
 * name) -> table or view in an open-addressing hash map, the set of
 * schemas, and overlays that fall through to a parent. A root catalog takes
 * a read-write lock around every access; overlays are single-threaded.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_rwlock_t */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

typedef struct slot {
    char *key; /* "catalog\x1fschema\x1fname", owned; NULL: empty; TOMBSTONE: deleted */
    catalog_entry_kind kind;
    catalog_table *table; /* owned reference */
    char *view_sql;       /* owned */
} slot;

static char tombstone_mark;
#define TOMBSTONE (&tombstone_mark)

struct catalog {
    catalog *parent;
    bool locked; /* root catalogs are shared between threads */
    pthread_rwlock_t lock;
    slot *slots;
    int64_t cap;  /* power of two */
    int64_t used; /* live + tombstones */
    int64_t live;
    char **schemas; /* "catalog\x1fschema", or "catalog" for a catalog made empty; owned */
    int32_t n_schemas;
    int32_t schemas_cap;
    catalog_resolve_fn resolver; /* tables made on lookup (information_schema) */
    void *resolver_user;
};

static char *make_key(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
    char *key = base_alloc(la + lb + lc + 3);
    if (key == NULL)
        return NULL;
    memcpy(key, a, la);
    key[la] = '\x1f';
    memcpy(key + la + 1, b, lb);
    size_t n = la + 1 + lb;
    if (c != NULL) {
        key[n++] = '\x1f';
        memcpy(key + n, c, lc);
        n += lc;
    }
    key[n] = '\0';
    return key;
}

static void rdlock(catalog *cat)
{
    if (cat->locked)
        pthread_rwlock_rdlock(&cat->lock);
}
static void wrlock(catalog *cat)
{
    if (cat->locked)
        pthread_rwlock_wrlock(&cat->lock);
}
static void unlock(catalog *cat)
{
    if (cat->locked)
        pthread_rwlock_unlock(&cat->lock);
}

/* Index of key's slot, or -1. */
static int64_t find(const catalog *cat, const char *key)
{
    if (cat->cap == 0)
        return -1;
    uint64_t mask = (uint64_t)cat->cap - 1;
    uint64_t i = base_hash_bytes(key, strlen(key), 0) & mask;
    while (cat->slots[i].key != NULL) {
        if (cat->slots[i].key != TOMBSTONE && strcmp(cat->slots[i].key, key) == 0)
            return (int64_t)i;
        i = (i + 1) & mask;
    }
    return -1;
}

static void clear_slot(slot *s)
{
    if (s->key != NULL && s->key != TOMBSTONE)
        base_free(s->key);
    catalog_table_release(s->table);
    base_free(s->view_sql);
    s->table = NULL;
    s->view_sql = NULL;
}

static qv_status grow(catalog *cat, qv_error *err)
{
    /* Overlays (one per session) usually hold a handful of names. */
    int64_t new_cap = cat->cap > 0 ? cat->cap * 2 : cat->parent != NULL ? 4 : 16;
    while (cat->live * 2 >= new_cap)
        new_cap *= 2;
    slot *fresh = base_calloc((size_t)new_cap, sizeof *fresh);
    if (fresh == NULL)
        return base_error_nomem(err, "catalog");
    uint64_t mask = (uint64_t)new_cap - 1;
    for (int64_t j = 0; j < cat->cap; j++) {
        slot *s = &cat->slots[j];
        if (s->key == NULL || s->key == TOMBSTONE)
            continue;
        uint64_t i = base_hash_bytes(s->key, strlen(s->key), 0) & mask;
        while (fresh[i].key != NULL)
            i = (i + 1) & mask;
        fresh[i] = *s;
    }
    base_free(cat->slots);
    cat->slots = fresh;
    cat->cap = new_cap;
    cat->used = cat->live;
    return QV_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool has_schema(const catalog *cat, const char *key)
{
    for (int32_t i = 0; i < cat->n_schemas; i++)
        if (strcmp(cat->schemas[i], key) == 0)
            return true;
    return false;
}

/* Adds schema_name of catalog_name, or with schema_name NULL the catalog
 * itself. */
static qv_status add_schema(catalog *cat, const char *catalog_name, const char *schema_name,
                            qv_error *err)
{
    if (cat->n_schemas == cat->schemas_cap) {
        int32_t cap = cat->schemas_cap == 0 ? 4 : cat->schemas_cap * 2;
        char **grown = base_realloc(cat->schemas, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "catalog schema");
        cat->schemas = grown;
        cat->schemas_cap = cap;
    }
    char *key =
        schema_name != NULL ? make_key(catalog_name, schema_name, NULL) : base_strdup(catalog_name);
    if (key == NULL)
        return base_error_nomem(err, "catalog schema");
    cat->schemas[cat->n_schemas++] = key;
    return QV_OK;
}

qv_status catalog_new(catalog *parent, const char *default_catalog, const char *default_schema,
                      catalog **out, qv_error *err)
{
    *out = NULL;
    catalog *cat = base_calloc(1, sizeof *cat);
    if (cat == NULL)
        return base_error_nomem(err, "catalog");
    cat->parent = parent;
    cat->locked = parent == NULL;
    if (cat->locked && pthread_rwlock_init(&cat->lock, NULL) != 0) {
        base_free(cat);
        return base_error_set(err, QV_RESOURCES_EXHAUSTED, "cannot create the catalog lock");
    }
    if (parent == NULL) {
        qv_status st = add_schema(cat, default_catalog, default_schema, err);
        if (st != QV_OK) {
            catalog_free(cat);
            return st;
        }
    }
    *out = cat;
    return QV_OK;
}

void catalog_free(catalog *cat)
{
    if (cat == NULL)
        return;
    for (int64_t i = 0; i < cat->cap; i++)
        clear_slot(&cat->slots[i]);
    base_free(cat->slots);
    for (int32_t i = 0; i < cat->n_schemas; i++)
        base_free(cat->schemas[i]);
    base_free(cat->schemas);
    if (cat->locked)
        pthread_rwlock_destroy(&cat->lock);
    base_free(cat);
}

bool catalog_schema_exists(catalog *cat, const char *catalog_name, const char *schema_name)
{
    char *key = make_key(catalog_name, schema_name, NULL);
    if (key == NULL)
        return false;
    bool found = false;
    for (catalog *c = cat; c != NULL && !found; c = c->parent) {
        rdlock(c);
        found = has_schema(c, key);
        unlock(c);
    }
    base_free(key);
    return found;
}

qv_status catalog_create_schema(catalog *cat, const char *catalog_name, const char *schema_name,
                                bool if_not_exists, qv_error *err)
{
    if (catalog_schema_exists(cat, catalog_name, schema_name)) {
        if (if_not_exists)
            return QV_OK;
        return base_error_set(err, QV_ALREADY_EXISTS, "Execution error: Schema '%s' already exists",
                              schema_name);
    }
    wrlock(cat);
    qv_status st = add_schema(cat, catalog_name, schema_name, err);
    unlock(cat);
    return st;
}

/* ---- DROP SCHEMA ---- */

/* True when key ("catalog\x1fschema\x1fname") names an entry of schema_key
 * ("catalog\x1fschema"). */
static bool in_schema(const char *key, const char *schema_key, size_t schema_len)
{
    return key != NULL && key != TOMBSTONE && strncmp(key, schema_key, schema_len) == 0 &&
           key[schema_len] == '\x1f';
}

/* The names of the visible entries of the schema, sorted, ", "-joined into
 * sb (read locks held by the caller). */
static void schema_entry_names(catalog *cat, const char *schema_key, base_strbuf *sb)
{
    size_t len = strlen(schema_key);
    int64_t n = 0;
    for (catalog *c = cat; c != NULL; c = c->parent)
        n += c->live;
    const char **names = base_calloc((size_t)(n > 0 ? n : 1), sizeof *names);
    if (names == NULL) {
        base_strbuf_append_str(sb, "...");
        return;
    }
    int64_t k = 0;
    for (catalog *c = cat; c != NULL; c = c->parent)
        for (int64_t i = 0; i < c->cap; i++) {
            const char *key = c->slots[i].key;
            if (!in_schema(key, schema_key, len))
                continue;
            bool shadowed = false;
            for (catalog *above = cat; above != c && !shadowed; above = above->parent)
                shadowed = find(above, key) >= 0;
            if (!shadowed)
                names[k++] = key + len + 1;
        }
    qsort(names, (size_t)k, sizeof *names, compare_names);
    for (int64_t i = 0; i < k; i++)
        base_strbuf_appendf(sb, "%s%s", i > 0 ? ", " : "", names[i]);
    base_free(names);
}

qv_status catalog_drop_schema(catalog *cat, const char *catalog_name, const char *schema_name,
                              bool cascade, bool *found, qv_error *err)
{
    *found = false;
    if (!catalog_schema_exists(cat, catalog_name, schema_name))
        return QV_OK;
    *found = true;
    char *key = make_key(catalog_name, schema_name, NULL);
    if (key == NULL)
        return base_error_nomem(err, "DROP SCHEMA");
    size_t len = strlen(key);
    qv_status st = QV_OK;
    wrlock(cat);
    for (catalog *c = cat->parent; c != NULL; c = c->parent)
        rdlock(c);
    bool own = has_schema(cat, key), has_entries = false, parent_entries = false;
    for (catalog *c = cat; c != NULL; c = c->parent)
        for (int64_t i = 0; i < c->cap; i++)
            if (in_schema(c->slots[i].key, key, len)) {
                has_entries = true;
                parent_entries |= c != cat;
            }
    if (has_entries && !cascade) {
        base_strbuf names;
        base_strbuf_init(&names);
        schema_entry_names(cat, key, &names);
        st = base_error_set(err, QV_EXECUTION,
                            "Execution error: Cannot drop schema %s because other tables depend "
                            "on it: %s",
                            schema_name, base_strbuf_failed(&names) ? "..." : names.data);
        base_strbuf_free(&names);
    } else if (!own || parent_entries) {
        st = base_error_set(err, QV_NOT_IMPLEMENTED,
                            "This feature is not implemented: DROP SCHEMA of schema '%s', which "
                            "is shared by every session of the runtime",
                            schema_name);
    } else {
        for (int64_t i = 0; i < cat->cap; i++)
            if (in_schema(cat->slots[i].key, key, len)) {
                clear_slot(&cat->slots[i]);
                cat->slots[i].key = TOMBSTONE;
                cat->live--;
            }
        for (int32_t i = 0; i < cat->n_schemas; i++)
            if (strcmp(cat->schemas[i], key) == 0) {
                base_free(cat->schemas[i]);
                cat->schemas[i] = cat->schemas[--cat->n_schemas];
                break;
            }
    }
    for (catalog *c = cat; c != NULL; c = c->parent)
        unlock(c);
    base_free(key);
    return st;
}

static qv_status put(catalog *cat, const char *catalog_name, const char *schema_name,
                     const char *name, catalog_entry_kind kind, catalog_table *table,
                     const char *view_sql, bool replace, qv_error *err)
{
    if (!catalog_schema_exists(cat, catalog_name, schema_name))
        return base_error_set(err, QV_NOT_FOUND, "Error during planning: schema '%s.%s' not found",
                              catalog_name, schema_name);
    char *key = make_key(catalog_name, schema_name, name);
    char *sql_copy = view_sql != NULL ? base_strdup(view_sql) : NULL;
    if (key == NULL || (view_sql != NULL && sql_copy == NULL)) {
        base_free(key);
        base_free(sql_copy);
        return base_error_nomem(err, "catalog entry");
    }
    wrlock(cat);
    qv_status st = QV_OK;
    int64_t at = find(cat, key);
    if (at >= 0) {
        if (!replace) {
            st = base_error_set(err, QV_ALREADY_EXISTS,
                                "Execution error: Table '%s' already exists", name);
            goto done;
        }
        slot *s = &cat->slots[at];
        catalog_table_release(s->table);
        base_free(s->view_sql);
        s->kind = kind;
        s->table = catalog_table_retain(table);
        s->view_sql = sql_copy;
        sql_copy = NULL;
        goto done;
    }
    if ((cat->used + 1) * 4 > cat->cap * 3) {
        st = grow(cat, err);
        if (st != QV_OK)
            goto done;
    }
    uint64_t mask = (uint64_t)cat->cap - 1;
    uint64_t i = base_hash_bytes(key, strlen(key), 0) & mask;
    while (cat->slots[i].key != NULL && cat->slots[i].key != TOMBSTONE)
        i = (i + 1) & mask;
    if (cat->slots[i].key == NULL)
        cat->used++;
    cat->slots[i] = (slot){key, kind, catalog_table_retain(table), sql_copy};
    cat->live++;
    key = NULL;
    sql_copy = NULL;
done:
    unlock(cat);
    base_free(key);
    base_free(sql_copy);
    return st;
}

qv_status catalog_register_table(catalog *cat, const char *catalog_name, const char *schema_name,
                                 const char *name, catalog_table *table, bool replace,
                                 qv_error *err)
{
    return put(cat, catalog_name, schema_name, name, CATALOG_ENTRY_TABLE, table, NULL, replace,
               err);
}

qv_status catalog_register_view(catalog *cat, const char *catalog_name, const char *schema_name,
                                const char *name, const char *view_sql, bool replace, qv_error *err)
{
    return put(cat, catalog_name, schema_name, name, CATALOG_ENTRY_VIEW, NULL, view_sql, replace,
               err);
}

qv_status catalog_deregister(catalog *cat, const char *catalog_name, const char *schema_name,
                             const char *name, catalog_entry_kind want_kind, bool *found,
                             qv_error *err)
{
    *found = false;
    char *key = make_key(catalog_name, schema_name, name);
    if (key == NULL)
        return base_error_nomem(err, "catalog entry");
    wrlock(cat);
    int64_t at = find(cat, key);
    if (at >= 0 && cat->slots[at].kind == want_kind) {
        clear_slot(&cat->slots[at]);
        cat->slots[at].key = TOMBSTONE;
        cat->live--;
        *found = true;
    }
    unlock(cat);
    base_free(key);
    return QV_OK;
}

void catalog_entry_clear(catalog_entry *entry)
{
    catalog_table_release(entry->table);
    base_free(entry->view_sql);
    base_free(entry->catalog_name);
    base_free(entry->schema_name);
    base_free(entry->table_name);
    memset(entry, 0, sizeof *entry);
}

static qv_status fill_entry(const slot *s, const char *catalog_name, const char *schema_name,
                            const char *name, bool temporary, catalog_entry *entry, qv_error *err)
{
    memset(entry, 0, sizeof *entry);
    entry->kind = s->kind;
    entry->temporary = temporary;
    entry->catalog_name = base_strdup(catalog_name);
    entry->schema_name = base_strdup(schema_name);
    entry->table_name = base_strdup(name);
    entry->view_sql = s->view_sql != NULL ? base_strdup(s->view_sql) : NULL;
    if (entry->catalog_name == NULL || entry->schema_name == NULL || entry->table_name == NULL ||
        (s->view_sql != NULL && entry->view_sql == NULL)) {
        catalog_entry_clear(entry);
        return base_error_nomem(err, "catalog entry");
    }
    entry->table = catalog_table_retain(s->table);
    return QV_OK;
}

void catalog_set_resolver(catalog *cat, catalog_resolve_fn fn, void *user)
{
    cat->resolver = fn;
    cat->resolver_user = user;
}

/* The resolver's answer as a TABLE entry; QV_NOT_FOUND when it has none. */
static qv_status resolve_entry(catalog *cat, const char *catalog_name, const char *schema_name,
                               const char *name, catalog_entry *entry, qv_error *err)
{
    catalog_table *table = NULL;
    QV_TRY(cat->resolver(cat->resolver_user, catalog_name, schema_name, name, &table, err));
    entry->kind = CATALOG_ENTRY_TABLE;
    entry->table = table;
    entry->catalog_name = base_strdup(catalog_name);
    entry->schema_name = base_strdup(schema_name);
    entry->table_name = base_strdup(name);
    if (entry->catalog_name == NULL || entry->schema_name == NULL || entry->table_name == NULL) {
        catalog_entry_clear(entry);
        return base_error_nomem(err, "catalog entry");
    }
    return QV_OK;
}

qv_status catalog_lookup(catalog *cat, const char *catalog_name, const char *schema_name,
                         const char *name, catalog_entry *entry, qv_error *err)
{
    memset(entry, 0, sizeof *entry);
    if (cat->resolver != NULL) {
        qv_status resolved = resolve_entry(cat, catalog_name, schema_name, name, entry, err);
        if (resolved != QV_NOT_FOUND)
            return resolved;
    }
    char *key = make_key(catalog_name, schema_name, name);
    if (key == NULL)
        return base_error_nomem(err, "catalog lookup");
    qv_status st = QV_NOT_FOUND;
    for (catalog *c = cat; c != NULL && st == QV_NOT_FOUND; c = c->parent) {
        rdlock(c);
        int64_t at = find(c, key);
        if (at >= 0)
            st = fill_entry(&c->slots[at], catalog_name, schema_name, name, c->parent != NULL,
                            entry, err);
        unlock(c);
    }
    base_free(key);
    return st;
}

/* ---- visiting ---- */

typedef struct visit_item {
    const char *key;
    const slot *slot;
    bool temporary;
} visit_item;

static int compare_items(const void *a, const void *b)
{
    return strcmp(((const visit_item *)a)->key, ((const visit_item *)b)->key);
}

static qv_status split_and_visit(const visit_item *item, catalog_visit_fn fn, void *user,
                                 qv_error *err)
{
    const char *first = strchr(item->key, '\x1f');
    const char *second = first ? strchr(first + 1, '\x1f') : NULL;
    if (second == NULL)
        return QV_OK;
    char *cat_name = base_strndup(item->key, (size_t)(first - item->key));
    char *schema_name = base_strndup(first + 1, (size_t)(second - first - 1));
    catalog_entry entry;
    qv_status st = QV_OK;
    if (cat_name == NULL || schema_name == NULL)
        st = base_error_nomem(err, "catalog listing");
    else
        st =
            fill_entry(item->slot, cat_name, schema_name, second + 1, item->temporary, &entry, err);
    if (st == QV_OK) {
        st = fn(user, &entry, err);
        catalog_entry_clear(&entry);
    }
    base_free(cat_name);
    base_free(schema_name);
    return st;
}

qv_status catalog_visit(catalog *cat, catalog_visit_fn fn, void *user, qv_error *err)
{
    /* Locks are held for the whole visit so that the slots stay put; the
     * callback must not change the catalog. */
    int64_t n = 0;
    for (catalog *c = cat; c != NULL; c = c->parent) {
        rdlock(c);
        n += c->live;
    }
    visit_item *items = base_calloc((size_t)(n > 0 ? n : 1), sizeof *items);
    qv_status st = items == NULL ? base_error_nomem(err, "catalog listing") : QV_OK;
    int64_t k = 0;
    for (catalog *c = cat; c != NULL && st == QV_OK; c = c->parent) {
        for (int64_t i = 0; i < c->cap; i++) {
            const slot *s = &c->slots[i];
            if (s->key == NULL || s->key == TOMBSTONE)
                continue;
            bool shadowed = false;
            for (catalog *above = cat; above != c && !shadowed; above = above->parent)
                shadowed = find(above, s->key) >= 0;
            if (!shadowed)
                items[k++] = (visit_item){s->key, s, c->parent != NULL};
        }
    }
    if (st == QV_OK) {
        qsort(items, (size_t)k, sizeof *items, compare_items);
        for (int64_t i = 0; i < k && st == QV_OK; i++)
            st = split_and_visit(&items[i], fn, user, err);
    }
    base_free(items);
    for (catalog *c = cat; c != NULL; c = c->parent)
        unlock(c);
    return st;
}

/* ---- catalogs and schemas ---- */

qv_status catalog_create_catalog(catalog *cat, const char *catalog_name, bool if_not_exists,
                                 qv_error *err)
{
    if (catalog_exists(cat, catalog_name)) {
        if (if_not_exists)
            return QV_OK;
        return base_error_set(err, QV_ALREADY_EXISTS,
                              "Execution error: Catalog '%s' already exists", catalog_name);
    }
    wrlock(cat);
    qv_status st = add_schema(cat, catalog_name, NULL, err);
    unlock(cat);
    return st;
}

/* Calls fn for every distinct key of cat's chain in sorted order, with the
 * read locks held; fn gets the key, borrowed. */
static qv_status visit_keys(catalog *cat,
                            qv_status (*fn)(void *user, const char *key, qv_error *err), void *user,
                            qv_error *err)
{
    int32_t n = 0;
    for (catalog *c = cat; c != NULL; c = c->parent) {
        rdlock(c);
        n += c->n_schemas;
    }
    const char **keys = base_calloc((size_t)(n > 0 ? n : 1), sizeof *keys);
    qv_status st = keys == NULL ? base_error_nomem(err, "schema listing") : QV_OK;
    int32_t k = 0;
    for (catalog *c = cat; c != NULL && st == QV_OK; c = c->parent)
        for (int32_t i = 0; i < c->n_schemas; i++)
            keys[k++] = c->schemas[i];
    if (st == QV_OK)
        qsort(keys, (size_t)k, sizeof *keys, compare_names);
    for (int32_t i = 0; i < k && st == QV_OK; i++)
        if (i == 0 || strcmp(keys[i], keys[i - 1]) != 0)
            st = fn(user, keys[i], err);
    base_free(keys);
    for (catalog *c = cat; c != NULL; c = c->parent)
        unlock(c);
    return st;
}

typedef struct key_visit {
    catalog_schema_fn schema_fn;
    catalog_name_fn catalog_fn;
    void *user;
    char *last_catalog; /* catalogs: the one reported last */
} key_visit;

static qv_status visit_schema_key(void *user, const char *key, qv_error *err)
{
    key_visit *kv = user;
    const char *sep = strchr(key, '\x1f');
    if (sep == NULL)
        return QV_OK; /* a catalog without schemas */
    char *catalog_name = base_strndup(key, (size_t)(sep - key));
    qv_status st = catalog_name == NULL ? base_error_nomem(err, "schema listing")
                                        : kv->schema_fn(kv->user, catalog_name, sep + 1, err);
    base_free(catalog_name);
    return st;
}

static qv_status visit_catalog_key(void *user, const char *key, qv_error *err)
{
    key_visit *kv = user;
    const char *sep = strchr(key, '\x1f');
    size_t len = sep != NULL ? (size_t)(sep - key) : strlen(key);
    if (kv->last_catalog != NULL && strlen(kv->last_catalog) == len &&
        memcmp(kv->last_catalog, key, len) == 0)
        return QV_OK;
    base_free(kv->last_catalog);
    kv->last_catalog = base_strndup(key, len);
    if (kv->last_catalog == NULL)
        return base_error_nomem(err, "catalog listing");
    return kv->catalog_fn(kv->user, kv->last_catalog, err);
}

qv_status catalog_visit_schemas(catalog *cat, catalog_schema_fn fn, void *user, qv_error *err)
{
    key_visit kv = {.schema_fn = fn, .user = user};
    return visit_keys(cat, visit_schema_key, &kv, err);
}

qv_status catalog_visit_catalogs(catalog *cat, catalog_name_fn fn, void *user, qv_error *err)
{
    key_visit kv = {.catalog_fn = fn, .user = user};
    qv_status st = visit_keys(cat, visit_catalog_key, &kv, err);
    base_free(kv.last_catalog);
    return st;
}

bool catalog_exists(catalog *cat, const char *catalog_name)
{
    size_t len = strlen(catalog_name);
    bool found = false;
    for (catalog *c = cat; c != NULL && !found; c = c->parent) {
        rdlock(c);
        for (int32_t i = 0; i < c->n_schemas && !found; i++)
            found = strncmp(c->schemas[i], catalog_name, len) == 0 &&
                    (c->schemas[i][len] == '\x1f' || c->schemas[i][len] == '\0');
        unlock(c);
    }
    return found;
}
