/*
 * file_cache.c — the runtime's list-files and file statistics caches
 * (layer: catalog): two least-recently-used maps with a byte limit, each
 * a hash table of entries on a recency list under its own mutex. See
 * file_cache.h for what they hold and when entries go.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/file_cache.h"

/* ---- a byte-limited LRU map ---- */

typedef struct lru_entry {
    struct lru_entry *newer, *older; /* recency list */
    struct lru_entry *chain;         /* hash bucket */
    uint64_t hash;
    char *key; /* owned bytes */
    size_t key_len;
    int64_t size_bytes;
    int64_t expires_ns; /* 0: never */
    void *value;        /* owned, freed with the map's free_value */
} lru_entry;

typedef struct lru_map {
    pthread_mutex_t mutex;
    lru_entry **buckets;
    size_t n_buckets, n_entries;
    lru_entry *newest, *oldest;
    int64_t limit, used;
    void (*free_value)(void *value);
} lru_map;

static void lru_init(lru_map *map, int64_t limit, void (*free_value)(void *))
{
    memset(map, 0, sizeof *map);
    pthread_mutex_init(&map->mutex, NULL);
    map->limit = limit;
    map->free_value = free_value;
}

static void unlink_recency(lru_map *map, lru_entry *e)
{
    if (e->newer != NULL)
        e->newer->older = e->older;
    else
        map->newest = e->older;
    if (e->older != NULL)
        e->older->newer = e->newer;
    else
        map->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void push_newest(lru_map *map, lru_entry *e)
{
    e->older = map->newest;
    e->newer = NULL;
    if (map->newest != NULL)
        map->newest->newer = e;
    map->newest = e;
    if (map->oldest == NULL)
        map->oldest = e;
}

static void lru_remove(lru_map *map, lru_entry *e)
{
    lru_entry **slot = &map->buckets[e->hash % map->n_buckets];
    while (*slot != e)
        slot = &(*slot)->chain;
    *slot = e->chain;
    unlink_recency(map, e);
    map->n_entries--;
    map->used -= e->size_bytes;
    map->free_value(e->value);
    base_free(e->key);
    base_free(e);
}

static void lru_clear(lru_map *map)
{
    while (map->oldest != NULL)
        lru_remove(map, map->oldest);
}

static void lru_destroy(lru_map *map)
{
    lru_clear(map);
    base_free(map->buckets);
    pthread_mutex_destroy(&map->mutex);
}

static lru_entry *lru_find(const lru_map *map, const char *key, size_t key_len, uint64_t hash)
{
    if (map->n_buckets == 0)
        return NULL;
    for (lru_entry *e = map->buckets[hash % map->n_buckets]; e != NULL; e = e->chain)
        if (e->hash == hash && e->key_len == key_len && memcmp(e->key, key, key_len) == 0)
            return e;
    return NULL;
}

static void evict_to(lru_map *map, int64_t limit)
{
    while (map->oldest != NULL && map->used > limit)
        lru_remove(map, map->oldest);
}

/* Doubles the bucket array when the entries outnumber it; false when
 * memory runs out (the map stays as it was). */
static bool grow_buckets(lru_map *map)
{
    if (map->n_entries < map->n_buckets)
        return true;
    size_t n = map->n_buckets ? map->n_buckets * 2 : 16;
    lru_entry **buckets = base_calloc(n, sizeof *buckets);
    if (buckets == NULL)
        return false;
    for (size_t b = 0; b < map->n_buckets; b++) {
        lru_entry *e = map->buckets[b];
        while (e != NULL) {
            lru_entry *next = e->chain;
            e->chain = buckets[e->hash % n];
            buckets[e->hash % n] = e;
            e = next;
        }
    }
    base_free(map->buckets);
    map->buckets = buckets;
    map->n_buckets = n;
    return true;
}

/* Puts value (ownership moves to the map, also on failure) under key,
 * replacing an entry of the same key; an entry larger than the limit is
 * not kept. Called with the mutex held. */
static qv_status lru_put(lru_map *map, const char *key, size_t key_len, uint64_t hash, void *value,
                         int64_t size_bytes, int64_t expires_ns, qv_error *err)
{
    lru_entry *old = lru_find(map, key, key_len, hash);
    if (old != NULL)
        lru_remove(map, old);
    if (size_bytes > map->limit) {
        map->free_value(value);
        return QV_OK;
    }
    lru_entry *e = base_calloc(1, sizeof *e);
    char *key_copy = base_alloc(key_len > 0 ? key_len : 1);
    if (e == NULL || key_copy == NULL || !grow_buckets(map)) {
        base_free(e);
        base_free(key_copy);
        map->free_value(value);
        return base_error_nomem(err, "file cache");
    }
    memcpy(key_copy, key, key_len);
    *e = (lru_entry){.hash = hash,
                     .key = key_copy,
                     .key_len = key_len,
                     .size_bytes = size_bytes,
                     .expires_ns = expires_ns,
                     .value = value};
    evict_to(map, map->limit - size_bytes);
    e->chain = map->buckets[hash % map->n_buckets];
    map->buckets[hash % map->n_buckets] = e;
    push_newest(map, e);
    map->n_entries++;
    map->used += size_bytes;
    return QV_OK;
}

/* The entries sorted by cmp (a new array of n_entries, or NULL when memory
 * runs out). Called with the mutex held. */
static lru_entry **lru_sorted(const lru_map *map, int (*cmp)(const void *, const void *))
{
    lru_entry **all = base_alloc((map->n_entries > 0 ? map->n_entries : 1) * sizeof *all);
    if (all == NULL)
        return NULL;
    size_t n = 0;
    for (lru_entry *e = map->newest; e != NULL; e = e->older)
        all[n++] = e;
    qsort(all, n, sizeof *all, cmp);
    return all;
}

/* ---- the cache ---- */

typedef struct list_value {
    char *table; /* NULL: none */
    char *root;
    io_file_list files;
} list_value;

typedef struct stats_value {
    char *path;
    int64_t size, mtime_ns;
    catalog_file_stats stats;
} stats_value;

struct catalog_file_cache {
    lru_map lists;
    lru_map stats;
    _Atomic int64_t list_ttl_ns;
    pthread_mutex_t clock_mutex;
    catalog_clock_fn clock;
    void *clock_user;
};

static void free_list_value(void *p)
{
    list_value *v = p;
    base_free(v->table);
    base_free(v->root);
    io_file_list_free(&v->files);
    base_free(v);
}

static void free_stats_value(void *p)
{
    stats_value *v = p;
    base_free(v->path);
    base_free(v);
}

static int64_t monotonic_ns(void *user)
{
    (void)user;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t now_ns(catalog_file_cache *cache)
{
    pthread_mutex_lock(&cache->clock_mutex);
    catalog_clock_fn fn = cache->clock;
    void *user = cache->clock_user;
    pthread_mutex_unlock(&cache->clock_mutex);
    return fn(user);
}

qv_status catalog_file_cache_new(catalog_file_cache **out, qv_error *err)
{
    catalog_file_cache *cache = base_calloc(1, sizeof *cache);
    *out = cache;
    if (cache == NULL)
        return base_error_nomem(err, "file cache");
    lru_init(&cache->lists, CATALOG_LIST_CACHE_DEFAULT_LIMIT, free_list_value);
    lru_init(&cache->stats, CATALOG_STATS_CACHE_DEFAULT_LIMIT, free_stats_value);
    atomic_init(&cache->list_ttl_ns, 0);
    pthread_mutex_init(&cache->clock_mutex, NULL);
    cache->clock = monotonic_ns;
    return QV_OK;
}

void catalog_file_cache_free(catalog_file_cache *cache)
{
    if (cache == NULL)
        return;
    lru_destroy(&cache->lists);
    lru_destroy(&cache->stats);
    pthread_mutex_destroy(&cache->clock_mutex);
    base_free(cache);
}

void catalog_file_cache_set_clock(catalog_file_cache *cache, catalog_clock_fn fn, void *user)
{
    pthread_mutex_lock(&cache->clock_mutex);
    cache->clock = fn != NULL ? fn : monotonic_ns;
    cache->clock_user = fn != NULL ? user : NULL;
    pthread_mutex_unlock(&cache->clock_mutex);
}

static void set_limit(lru_map *map, int64_t bytes)
{
    pthread_mutex_lock(&map->mutex);
    map->limit = bytes > 0 ? bytes : 0;
    evict_to(map, map->limit);
    pthread_mutex_unlock(&map->mutex);
}

/* ---- listed files ---- */

void catalog_file_cache_set_list_limit(catalog_file_cache *cache, int64_t bytes)
{
    set_limit(&cache->lists, bytes);
}

void catalog_file_cache_set_list_ttl(catalog_file_cache *cache, int64_t ttl_ns)
{
    atomic_store(&cache->list_ttl_ns, ttl_ns > 0 ? ttl_ns : 0);
}

/* The key's bytes: table NUL root NUL extension NUL flag (a new buffer). */
static char *list_key_bytes(const catalog_list_key *key, size_t *len)
{
    const char *table = key->table != NULL ? key->table : "";
    const char *ext = key->extension != NULL ? key->extension : "";
    size_t lt = strlen(table), lr = strlen(key->root), le = strlen(ext);
    *len = lt + lr + le + 5;
    char *bytes = base_alloc(*len);
    if (bytes == NULL)
        return NULL;
    char *p = bytes;
    *p++ = key->table != NULL ? 'T' : '-';
    memcpy(p, table, lt + 1);
    p += lt + 1;
    memcpy(p, key->root, lr + 1);
    p += lr + 1;
    memcpy(p, ext, le + 1);
    p += le + 1;
    *p = key->ignore_subdirectory ? '1' : '0';
    return bytes;
}

static qv_status copy_files(const io_file_list *src, io_file_list *dst, qv_error *err)
{
    dst->n = 0;
    dst->entries = base_calloc((size_t)(src->n > 0 ? src->n : 1), sizeof *dst->entries);
    if (dst->entries == NULL)
        return base_error_nomem(err, "file cache");
    for (int32_t i = 0; i < src->n; i++) {
        dst->entries[i] = src->entries[i];
        dst->entries[i].path = base_strdup(src->entries[i].path);
        if (dst->entries[i].path == NULL) {
            io_file_list_free(dst);
            return base_error_nomem(err, "file cache");
        }
        dst->n++;
    }
    return QV_OK;
}

qv_status catalog_file_cache_list_get(catalog_file_cache *cache, const catalog_list_key *key,
                                      io_file_list *out, bool *hit, qv_error *err)
{
    *hit = false;
    out->n = 0;
    out->entries = NULL;
    size_t len = 0;
    char *bytes = list_key_bytes(key, &len);
    if (bytes == NULL)
        return base_error_nomem(err, "file cache");
    uint64_t hash = base_hash_bytes(bytes, len, 0);
    int64_t now = now_ns(cache);
    lru_map *map = &cache->lists;
    qv_status st = QV_OK;
    pthread_mutex_lock(&map->mutex);
    lru_entry *e = lru_find(map, bytes, len, hash);
    if (e != NULL && e->expires_ns != 0 && now >= e->expires_ns) {
        lru_remove(map, e);
        e = NULL;
    }
    if (e != NULL) {
        unlink_recency(map, e);
        push_newest(map, e);
        st = copy_files(&((list_value *)e->value)->files, out, err);
        *hit = st == QV_OK;
    }
    pthread_mutex_unlock(&map->mutex);
    base_free(bytes);
    return st;
}

qv_status catalog_file_cache_list_put(catalog_file_cache *cache, const catalog_list_key *key,
                                      const io_file_list *files, qv_error *err)
{
    size_t len = 0;
    char *bytes = list_key_bytes(key, &len);
    list_value *v = base_calloc(1, sizeof *v);
    if (bytes == NULL || v == NULL) {
        base_free(bytes);
        base_free(v);
        return base_error_nomem(err, "file cache");
    }
    qv_status st = copy_files(files, &v->files, err);
    v->root = base_strdup(key->root);
    v->table = key->table != NULL ? base_strdup(key->table) : NULL;
    if (st == QV_OK && (v->root == NULL || (key->table != NULL && v->table == NULL)))
        st = base_error_nomem(err, "file cache");
    if (st != QV_OK) {
        free_list_value(v);
        base_free(bytes);
        return st;
    }
    /* What the entry holds: its key and, per file, the entry and its path. */
    int64_t size = (int64_t)len;
    for (int32_t i = 0; i < files->n; i++)
        size += (int64_t)(sizeof(io_file_entry) + strlen(files->entries[i].path));
    int64_t ttl = atomic_load(&cache->list_ttl_ns);
    int64_t expires = ttl > 0 ? now_ns(cache) + ttl : 0;
    uint64_t hash = base_hash_bytes(bytes, len, 0);
    lru_map *map = &cache->lists;
    pthread_mutex_lock(&map->mutex);
    st = lru_put(map, bytes, len, hash, v, size, expires, err);
    pthread_mutex_unlock(&map->mutex);
    base_free(bytes);
    return st;
}

/* True when a is b or a directory holding b. */
static bool path_covers(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n > 0 && a[n - 1] == '/')
        n--;
    return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

void catalog_file_cache_invalidate(catalog_file_cache *cache, const char *path)
{
    if (cache == NULL || path == NULL)
        return;
    lru_map *map = &cache->lists;
    pthread_mutex_lock(&map->mutex);
    lru_entry *e = map->newest;
    while (e != NULL) {
        lru_entry *older = e->older;
        const char *root = ((list_value *)e->value)->root;
        if (path_covers(root, path) || path_covers(path, root))
            lru_remove(map, e);
        e = older;
    }
    pthread_mutex_unlock(&map->mutex);
}

static int strcmp_null_first(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int compare_lists(const void *pa, const void *pb)
{
    const list_value *a = (*(lru_entry *const *)pa)->value;
    const list_value *b = (*(lru_entry *const *)pb)->value;
    int c = strcmp_null_first(a->table, b->table);
    return c != 0 ? c : strcmp(a->root, b->root);
}

qv_status catalog_file_cache_visit_lists(catalog_file_cache *cache, catalog_list_visit_fn fn,
                                         void *user, qv_error *err)
{
    int64_t now = now_ns(cache);
    lru_map *map = &cache->lists;
    pthread_mutex_lock(&map->mutex);
    lru_entry **all = lru_sorted(map, compare_lists);
    qv_status st = all != NULL ? QV_OK : base_error_nomem(err, "file cache");
    for (size_t i = 0; st == QV_OK && i < map->n_entries; i++) {
        const list_value *v = all[i]->value;
        int64_t expires = all[i]->expires_ns;
        if (expires != 0 && now >= expires)
            continue; /* expired: gone at the next look-up */
        catalog_list_entry_info info = {v->table, v->root, all[i]->size_bytes,
                                        expires != 0 ? expires - now : -1, &v->files};
        st = fn(user, &info, err);
    }
    pthread_mutex_unlock(&map->mutex);
    base_free(all);
    return st;
}

/* ---- file statistics ---- */

void catalog_file_cache_set_stats_limit(catalog_file_cache *cache, int64_t bytes)
{
    set_limit(&cache->stats, bytes);
}

bool catalog_file_cache_stats_get(catalog_file_cache *cache, const char *path, int64_t size,
                                  int64_t mtime_ns, catalog_file_stats *out)
{
    size_t len = strlen(path);
    uint64_t hash = base_hash_bytes(path, len, 0);
    lru_map *map = &cache->stats;
    bool hit = false;
    pthread_mutex_lock(&map->mutex);
    lru_entry *e = lru_find(map, path, len, hash);
    if (e != NULL) {
        const stats_value *v = e->value;
        hit = v->size == size && v->mtime_ns == mtime_ns;
        if (hit) {
            *out = v->stats;
            unlink_recency(map, e);
            push_newest(map, e);
        }
    }
    pthread_mutex_unlock(&map->mutex);
    return hit;
}

qv_status catalog_file_cache_stats_put(catalog_file_cache *cache, const char *path, int64_t size,
                                       int64_t mtime_ns, const catalog_file_stats *stats,
                                       qv_error *err)
{
    stats_value *v = base_calloc(1, sizeof *v);
    if (v == NULL || (v->path = base_strdup(path)) == NULL) {
        base_free(v);
        return base_error_nomem(err, "file cache");
    }
    v->size = size;
    v->mtime_ns = mtime_ns;
    v->stats = *stats;
    size_t len = strlen(path);
    int64_t entry_size = (int64_t)(2 * len + sizeof(stats_value));
    uint64_t hash = base_hash_bytes(path, len, 0);
    lru_map *map = &cache->stats;
    pthread_mutex_lock(&map->mutex);
    qv_status st = lru_put(map, path, len, hash, v, entry_size, 0, err);
    pthread_mutex_unlock(&map->mutex);
    return st;
}

static int compare_stats(const void *pa, const void *pb)
{
    const stats_value *a = (*(lru_entry *const *)pa)->value;
    const stats_value *b = (*(lru_entry *const *)pb)->value;
    return strcmp(a->path, b->path);
}

qv_status catalog_file_cache_visit_stats(catalog_file_cache *cache, catalog_stats_visit_fn fn,
                                         void *user, qv_error *err)
{
    lru_map *map = &cache->stats;
    pthread_mutex_lock(&map->mutex);
    lru_entry **all = lru_sorted(map, compare_stats);
    qv_status st = all != NULL ? QV_OK : base_error_nomem(err, "file cache");
    for (size_t i = 0; st == QV_OK && i < map->n_entries; i++) {
        const stats_value *v = all[i]->value;
        catalog_stats_entry_info info = {v->path, v->size, v->mtime_ns, v->stats,
                                         all[i]->size_bytes};
        st = fn(user, &info, err);
    }
    pthread_mutex_unlock(&map->mutex);
    base_free(all);
    return st;
}
