/*
 * runtime.c — qv_runtime and qv_profile (layer: session): the process-wide
 * services (thread pool, memory pool, function registry, shared catalog,
 * temporary directory) and the configuration defaults sessions start from
 * (a profile's configurators and statement policy: configurator.c, policy.c).
 */
#include <stdlib.h>
#include <string.h>

#include "session/session_int.h"

void qv_runtime_options_init(qv_runtime_options *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
}

qv_status qv_runtime_new(const qv_runtime_options *opts, qv_runtime **out, qv_error *err)
{
    if (out == NULL)
        return base_error_set(err, QV_MISUSE, "qv_runtime_new: out is NULL");
    *out = NULL;
    qv_runtime_options defaults;
    qv_runtime_options_init(&defaults);
    if (opts == NULL)
        opts = &defaults;
    qv_runtime *rt = base_calloc(1, sizeof *rt);
    if (rt == NULL)
        return base_error_nomem(err, "runtime");
    const char *tmp = opts->temp_directory;
    if (tmp == NULL)
        tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    qv_status st = base_thread_pool_new(opts->n_threads, &rt->pool, err);
    if (st == QV_OK)
        st = base_mem_pool_new(opts->memory_limit, &rt->mem_pool, err);
    if (st == QV_OK)
        st = func_registry_new(&rt->registry, err);
    if (st == QV_OK)
        st = func_registry_builtin(rt->registry, err);
    if (st == QV_OK)
        st = catalog_new(NULL, "datafusion", "public", &rt->catalog, err);
    if (st == QV_OK && (rt->temp_directory = base_strdup(tmp)) == NULL)
        st = base_error_nomem(err, "runtime");
    if (st == QV_OK) /* the caches listing tables share (file_cache.h) */
        st = catalog_file_cache_new(&rt->file_cache, err);
    if (st != QV_OK) {
        qv_runtime_free(rt);
        return st;
    }
    *out = rt;
    return QV_OK;
}

void qv_runtime_free(qv_runtime *runtime)
{
    if (runtime == NULL)
        return;
    catalog_free(runtime->catalog);
    catalog_file_cache_free(runtime->file_cache);
    func_registry_free(runtime->registry);
    base_thread_pool_free(runtime->pool);
    base_mem_pool_free(runtime->mem_pool);
    base_free(runtime->temp_directory);
    base_free(runtime);
}

qv_status qv_profile_new(qv_runtime *runtime, qv_profile **out, qv_error *err)
{
    if (out == NULL || runtime == NULL)
        return base_error_set(err, QV_MISUSE, "qv_profile_new: runtime and out are required");
    *out = NULL;
    qv_profile *p = base_calloc(1, sizeof *p);
    if (p == NULL)
        return base_error_nomem(err, "profile");
    qv_status st = config_new(NULL, &p->config, err);
    if (st == QV_OK) /* auto_catalog.c */
        st = session_auto_catalog_new(&p->auto_catalog, err);
    if (st != QV_OK) {
        config_free(p->config);
        base_free(p);
        return st;
    }
    p->runtime = runtime;
    p->allowed_statements = QV_STATEMENTS_ALL;
    atomic_fetch_add(&runtime->n_profiles, 1);
    *out = p;
    return QV_OK;
}

qv_status qv_profile_set(qv_profile *profile, const char *key, const char *value, qv_error *err)
{
    if (profile == NULL || key == NULL)
        return base_error_set(err, QV_MISUSE, "qv_profile_set: profile and key are required");
    if (atomic_load(&profile->sealed))
        return base_error_set(err, QV_MISUSE,
                              "qv_profile_set: a session was created from the profile; it is "
                              "immutable now");
    return config_set(profile->config, key, value, err);
}

void qv_profile_free(qv_profile *profile)
{
    if (profile == NULL)
        return;
    atomic_fetch_sub(&profile->runtime->n_profiles, 1);
    for (int32_t i = 0; i < profile->n_configurators; i++)
        if (profile->configurators[i].release != NULL)
            profile->configurators[i].release(profile->configurators[i].user_data);
    base_free(profile->configurators);
    session_auto_catalog_free(profile->auto_catalog);
    config_free(profile->config);
    base_free(profile);
}
