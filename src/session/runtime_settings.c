/*
 * runtime_settings.c — the datafusion.runtime.* keys (layer: session):
 * their values checked and shown as DataFusion's RuntimeOptions does
 * (byte capacities "0", "512K", "1.5G"; time-to-live "90s", "2m",
 * "1m30s"), and what they change: the runtime's list-files and statistics
 * caches (shared by every session, as DataFusion's cache manager is), the
 * memory limit of the session's queries (a memory pool of its own) and
 * the directory its queries spill to and how much they may spill there
 * (max_temp_directory_size, counted over the runtime's queries as
 * DataFusion's disk manager does). metadata_cache_limit is accepted and
 * shown; nothing uses it yet (there is no Parquet footer cache).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session/session_int.h"

qv_status session_runtime_unknown_key(const char *key, qv_error *err)
{
    return base_error_set(err, QV_PLAN, "Error during planning: Unknown runtime configuration: %s",
                          key);
}

static qv_status bad_value(qv_error *err, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A parse error naming the key, as DataFusion's name_config does. */
static qv_status bad_value(qv_error *err, const char *key, const char *fmt, ...)
{
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return base_error_set(err, QV_PLAN, "Error during planning: %s when setting '%s'", message,
                          key);
}

/* A byte capacity ("0", "512K", "1.5G"), with DataFusion's errors naming
 * key. */
static qv_status parse_capacity(const char *key, const char *text, int64_t *bytes, qv_error *err)
{
    size_t len = strlen(text);
    size_t start = strspn(text, " \t\n\r");
    if (start == len)
        return bad_value(err, key, "Empty limit value found");
    if (strcmp(text, "0") == 0) {
        *bytes = 0;
        return QV_OK;
    }
    char unit = text[len - 1];
    char number_text[64];
    if (len - 1 >= sizeof number_text)
        return bad_value(err, key, "Failed to parse number from limit '%s'", text);
    memcpy(number_text, text, len - 1);
    number_text[len - 1] = '\0';
    char *end = NULL;
    errno = 0;
    double number = strtod(number_text, &end);
    /* Rust's f64 parse takes no spaces and no empty text */
    if (len == 1 || end == number_text || *end != '\0' || isspace((unsigned char)number_text[0]))
        return bad_value(err, key, "Failed to parse number from limit '%s'", text);
    if (signbit(number) || isinf(number))
        return bad_value(err, key, "Limit value should be positive finite number");
    double scale = unit == 'K' ? 1024.0 : unit == 'M' ? 1048576.0 : unit == 'G' ? 1073741824.0 : 0;
    if (scale == 0)
        return bad_value(err, key,
                         "Unsupported unit '%c' in limit '%s'. Unit must be one of: 'K', 'M', 'G'",
                         unit, text);
    double value = number * scale;
    *bytes = value >= 9.2e18 ? INT64_MAX : (int64_t)value;
    return QV_OK;
}

/* A time-to-live ("90s", "2m", "1m30s"), with DataFusion's errors naming
 * key. */
static qv_status parse_ttl(const char *key, const char *text, int64_t *seconds, qv_error *err)
{
    if (text[strspn(text, " \t\n\r")] == '\0')
        return bad_value(err, key, "Duration should not be empty or blank");
    bool have_minutes = false, have_seconds = false;
    uint64_t minutes = 0, secs = 0;
    /* parts end at each 'm' or 's' (the last may end without one); a
     * part's last character is its unit */
    const char *p = text;
    while (*p != '\0') {
        size_t n = strcspn(p, "ms");
        size_t part_len = p[n] != '\0' ? n + 1 : n;
        char unit = p[part_len - 1];
        size_t digits = part_len - 1;
        const char *first = p[0] == '+' ? p + 1 : p; /* Rust's u64 parse takes a '+' */
        char *end = NULL;
        errno = 0;
        unsigned long long number = strtoull(first, &end, 10);
        bool parsed = digits > (size_t)(first - p) && end == p + digits && errno != ERANGE &&
                      isdigit((unsigned char)first[0]);
        if (!parsed)
            return bad_value(err, key, "Failed to parse number from duration '%.*s'", (int)part_len,
                             p);
        if (unit == 'm' && !have_minutes && !have_seconds) {
            have_minutes = true;
            minutes = number;
        } else if (unit == 's' && !have_seconds) {
            have_seconds = true;
            secs = number;
        } else {
            return bad_value(err, key,
                             "Invalid duration unit: '%c'. The unit must be either 'm' (minutes), "
                             "or 's' (seconds), and be in the correct order",
                             unit);
        }
        p += part_len;
    }
    uint64_t total;
    if (__builtin_mul_overflow(minutes, 60u, &total))
        return bad_value(err, key,
                         "Duration has overflowed allowed maximum limit due to 'mins * 60'");
    if (__builtin_add_overflow(total, secs, &total))
        return bad_value(err, key,
                         "Duration has overflowed allowed maximum limit due to 'mins * 60 + "
                         "secs'");
    if (total == 0)
        return bad_value(err, key, "Duration must be greater than 0 seconds");
    *seconds = total > INT64_MAX / 1000000000 ? INT64_MAX / 1000000000 : (int64_t)total;
    return QV_OK;
}

qv_status session_runtime_normalize(const char *key, const char *value, bool is_ttl, char **out,
                                    qv_error *err)
{
    *out = NULL;
    char text[48];
    if (is_ttl) {
        int64_t seconds = 0;
        QV_TRY(parse_ttl(key, value, &seconds, err));
        snprintf(text, sizeof text, "%lldm%llds", (long long)(seconds / 60),
                 (long long)(seconds % 60));
    } else {
        int64_t bytes = 0;
        QV_TRY(parse_capacity(key, value, &bytes, err));
        /* DataFusion shows the largest unit the size reaches, rounded down */
        const int64_t gb = 1LL << 30, mb = 1LL << 20, kb = 1LL << 10;
        if (bytes >= gb)
            snprintf(text, sizeof text, "%lldG", (long long)(bytes / gb));
        else if (bytes >= mb)
            snprintf(text, sizeof text, "%lldM", (long long)(bytes / mb));
        else if (bytes >= kb)
            snprintf(text, sizeof text, "%lldK", (long long)(bytes / kb));
        else
            snprintf(text, sizeof text, "%lld", (long long)bytes);
    }
    *out = base_strdup(text);
    return *out != NULL ? QV_OK : base_error_nomem(err, "configuration value");
}

/* The value of a capacity key in bytes (-1: no value). */
static int64_t capacity_of(const config *cfg, const char *key)
{
    const char *text = NULL;
    int64_t bytes = -1;
    if (config_get(cfg, key, &text, NULL) != QV_OK || text == NULL ||
        parse_capacity(key, text, &bytes, NULL) != QV_OK)
        return -1;
    return bytes;
}

void session_runtime_apply(qv_session *session, const char *key)
{
    catalog_file_cache *cache = session->profile->runtime->file_cache;
    if (strcasecmp(key, "datafusion.runtime.list_files_cache_limit") == 0) {
        catalog_file_cache_set_list_limit(cache, capacity_of(session->config, key));
    } else if (strcasecmp(key, "datafusion.runtime.file_statistics_cache_limit") == 0) {
        catalog_file_cache_set_stats_limit(cache, capacity_of(session->config, key));
    } else if (strcasecmp(key, "datafusion.runtime.list_files_cache_ttl") == 0) {
        const char *text = NULL;
        int64_t seconds = 0;
        if (config_get(session->config, key, &text, NULL) != QV_OK || text == NULL ||
            parse_ttl(key, text, &seconds, NULL) != QV_OK)
            seconds = 0;
        catalog_file_cache_set_list_ttl(cache, seconds * 1000000000);
    }
}

/* The pool of a session's datafusion.runtime.memory_limit, refcounted:
 * the session holds it while the limit stands, each result streaming rows
 * holds it until freed (its operators' reservations are in it). */
struct session_mem_pool {
    base_mem_pool *pool;
    int64_t limit; /* bytes as set (0: nothing may be reserved) */
    _Atomic int32_t refcount;
};

void session_memory_pool_release(session_mem_pool *pool)
{
    if (pool == NULL || atomic_fetch_sub(&pool->refcount, 1) != 1)
        return;
    base_mem_pool_free(pool->pool);
    base_free(pool);
}

session_mem_pool *session_memory_pool_retain(qv_session *session)
{
    if (session->mem_pool != NULL)
        atomic_fetch_add(&session->mem_pool->refcount, 1);
    return session->mem_pool;
}

base_mem_pool *session_memory_pool(qv_session *session)
{
    base_mem_pool *shared = session->profile->runtime->mem_pool;
    int64_t limit = capacity_of(session->config, "datafusion.runtime.memory_limit");
    if (limit < 0) {
        session_memory_pool_release(session->mem_pool);
        session->mem_pool = NULL;
        return shared;
    }
    if (session->mem_pool != NULL && session->mem_pool->limit == limit)
        return session->mem_pool->pool;
    session_mem_pool *pool = base_calloc(1, sizeof *pool);
    /* the pool reads 0 as unbounded: a limit of 0 bytes is one byte */
    if (pool == NULL || base_mem_pool_new(limit > 0 ? limit : 1, &pool->pool, NULL) != QV_OK) {
        base_free(pool);
        return session->mem_pool != NULL ? session->mem_pool->pool : shared;
    }
    pool->limit = limit;
    atomic_init(&pool->refcount, 1);
    session_memory_pool_release(session->mem_pool);
    session->mem_pool = pool;
    return pool->pool;
}

exec_disk_budget session_spill_budget(qv_session *session)
{
    exec_disk_budget disk = {
        &session->profile->runtime->spill_bytes,
        capacity_of(session->config, "datafusion.runtime.max_temp_directory_size")};
    return disk;
}

const char *session_spill_directory(qv_session *session)
{
    const char *dir = NULL;
    config_get(session->config, "datafusion.runtime.temp_directory", &dir, NULL);
    return dir != NULL && dir[0] != '\0' ? dir : session->profile->runtime->temp_directory;
}
