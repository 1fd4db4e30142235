/*
 * config.c — configuration keys (layer: session): DataFusion's key names,
 * types and defaults, and layered values (built-in defaults <- profile <-
 * session) with SET / RESET / SHOW semantics. Values are kept as text,
 * checked against the key's type when set; each level keeps only the keys
 * set there.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_once */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session/session_int.h"

typedef enum key_type { KEY_BOOL, KEY_UINT, KEY_STRING, KEY_OPT_STRING } key_type;

typedef struct key_def {
    const char *name;
    key_type type;
    const char *dflt; /* NULL: no value (shows as NULL) */
    const char *description;
} key_def;

/* Sorted by name (SHOW ALL order). target_partitions' default is the CPU
 * count, filled in at lookup. */
static const key_def keys[] = {
    {"datafusion.catalog.create_default_catalog_and_schema", KEY_BOOL, "true",
     "Whether the default catalog and schema should be created automatically."},
    {"datafusion.catalog.default_catalog", KEY_STRING, "datafusion",
     "The default catalog name - this impacts what SQL queries use if not specified"},
    {"datafusion.catalog.default_schema", KEY_STRING, "public",
     "The default schema name - this impacts what SQL queries use if not specified"},
    {"datafusion.catalog.format", KEY_OPT_STRING, NULL,
     "Type of TableProvider to use when loading `default` schema"},
    {"datafusion.catalog.has_header", KEY_BOOL, "true",
     "Default value for `format.has_header` for `CREATE EXTERNAL TABLE`"},
    {"datafusion.catalog.information_schema", KEY_BOOL, "false",
     "Should DataFusion provide access to `information_schema` virtual tables for displaying "
     "schema information"},
    {"datafusion.catalog.location", KEY_OPT_STRING, NULL,
     "Location scanned to load tables for `default` schema"},
    {"datafusion.catalog.newlines_in_values", KEY_BOOL, "false",
     "Specifies whether newlines in (quoted) CSV values are supported."},
    {"datafusion.execution.batch_size", KEY_UINT, "8192",
     "Default batch size while creating new batches"},
    {"datafusion.execution.coalesce_batches", KEY_BOOL, "true",
     "When set to true, record batches will be examined between each operator and small "
     "batches will be coalesced into larger batches."},
    {"datafusion.execution.collect_statistics", KEY_BOOL, "true",
     "Should DataFusion collect statistics when first creating a table."},
    {"datafusion.execution.keep_partition_by_columns", KEY_BOOL, "false",
     "Should DataFusion keep the columns used for partition_by in the output RecordBatches"},
    {"datafusion.execution.listing_table_factory_infer_partitions", KEY_BOOL, "true",
     "Should a `ListingTable` created through the `ListingTableFactory` infer table "
     "partitions from Hive compliant directories."},
    {"datafusion.execution.listing_table_ignore_subdirectory", KEY_BOOL, "true",
     "Should sub directories be ignored when scanning directories for data files."},
    {"datafusion.execution.minimum_parallel_output_files", KEY_UINT, "4",
     "Guarantees a minimum level of output files running in parallel."},
    {"datafusion.execution.parquet.bloom_filter_on_read", KEY_BOOL, "true",
     "Use any available bloom filters when reading parquet files"},
    {"datafusion.execution.parquet.coerce_int96", KEY_OPT_STRING, NULL,
     "Coerce INT96 timestamps to this resolution."},
    {"datafusion.execution.skip_partial_aggregation_probe_ratio_threshold", KEY_STRING, "0.8",
     "Aggregation ratio threshold for skipping partial aggregation."},
    {"datafusion.execution.skip_partial_aggregation_probe_rows_threshold", KEY_UINT, "100000",
     "Number of input rows partial aggregation partition should process before checking the "
     "aggregation ratio."},
    {"datafusion.execution.target_partitions", KEY_UINT, NULL,
     "Number of partitions for query execution. Increasing partitions can increase "
     "concurrency."},
    {"datafusion.execution.time_zone", KEY_OPT_STRING, NULL,
     "The default time zone; timestamps without a time zone are not converted."},
    {"datafusion.explain.format", KEY_STRING, "indent",
     "Display format of explain. Default is \"indent\"."},
    {"datafusion.explain.logical_plan_only", KEY_BOOL, "false",
     "When set to true, the explain statement will only print logical plans"},
    {"datafusion.explain.physical_plan_only", KEY_BOOL, "false",
     "When set to true, the explain statement will only print physical plans"},
    {"datafusion.explain.show_sizes", KEY_BOOL, "true",
     "When set to true, the explain statement will print the partition sizes"},
    {"datafusion.explain.show_statistics", KEY_BOOL, "false",
     "When set to true, the explain statement will print operator statistics for physical "
     "plans"},
    {"datafusion.optimizer.enable_distinct_aggregation_soft_limit", KEY_BOOL, "true",
     "When set to true, the optimizer will push a limit operation into grouped aggregations "
     "which have no aggregate expressions."},
    {"datafusion.optimizer.enable_physical_uncorrelated_scalar_subquery", KEY_BOOL, "true",
     "Plan uncorrelated scalar subqueries physically."},
    {"datafusion.optimizer.enable_piecewise_merge_join", KEY_BOOL, "false",
     "When set to true, piecewise merge join is enabled."},
    {"datafusion.optimizer.enable_unions_to_filter", KEY_BOOL, "false",
     "Rewrite unions of filters over one input into one filter."},
    {"datafusion.optimizer.enable_window_limits", KEY_BOOL, "true",
     "Push limits into window functions."},
    {"datafusion.optimizer.expand_views_at_output", KEY_BOOL, "false",
     "When set to true, view types are expanded to their non-view forms at the output."},
    {"datafusion.optimizer.join_reordering", KEY_BOOL, "true",
     "When set to true, the physical plan optimizer may swap join inputs."},
    {"datafusion.optimizer.max_passes", KEY_UINT, "3",
     "Number of times that the optimizer will attempt to optimize the plan"},
    {"datafusion.optimizer.prefer_existing_sort", KEY_BOOL, "false",
     "When true, DataFusion will opportunistically remove sorts when the data is already "
     "sorted."},
    {"datafusion.optimizer.prefer_hash_join", KEY_BOOL, "true",
     "When set to true, the physical plan optimizer will prefer HashJoin over SortMergeJoin."},
    {"datafusion.optimizer.repartition_aggregations", KEY_BOOL, "true",
     "Should DataFusion repartition data using the aggregate keys to execute aggregates in "
     "parallel using the provided `target_partitions` level"},
    {"datafusion.optimizer.repartition_file_min_size", KEY_UINT, "10485760",
     "Minimum total files size in bytes to perform file scan repartitioning."},
    {"datafusion.optimizer.repartition_file_scans", KEY_BOOL, "true",
     "When set to `true`, datasource partitions will be repartitioned to achieve maximum "
     "parallelism."},
    {"datafusion.optimizer.repartition_joins", KEY_BOOL, "true",
     "Should DataFusion repartition data using the join keys to execute joins in parallel "
     "using the provided `target_partitions` level"},
    {"datafusion.optimizer.repartition_sorts", KEY_BOOL, "true",
     "Should DataFusion execute sorts in a per-partition fashion and merge afterwards."},
    {"datafusion.optimizer.repartition_windows", KEY_BOOL, "true",
     "Should DataFusion repartition data using the partitions keys to execute window "
     "functions in parallel using the provided `target_partitions` level"},
    {"datafusion.optimizer.skip_failed_rules", KEY_BOOL, "false",
     "When set to true, the logical plan optimizer will produce warning messages if any "
     "optimization rules produce errors and then proceed to the next rule"},
    {"datafusion.runtime.list_files_cache_limit", KEY_STRING, "1M",
     "Maximum memory to use for list files cache."},
    {"datafusion.runtime.memory_limit", KEY_OPT_STRING, NULL,
     "Maximum memory limit for query execution."},
    {"datafusion.runtime.temp_directory", KEY_OPT_STRING, NULL,
     "The path to the temporary file directory."},
    {"datafusion.sql_parser.dialect", KEY_STRING, "generic",
     "Configure the SQL dialect used by DataFusion's parser"},
    {"datafusion.sql_parser.enable_ident_normalization", KEY_BOOL, "true",
     "When set to true, SQL parser will normalize ident (convert ident to lowercase when not "
     "quoted)"},
    {"datafusion.sql_parser.map_string_types_to_utf8view", KEY_BOOL, "true",
     "If true, string types (VARCHAR, CHAR, Text, and String) are mapped to `Utf8View` during "
     "SQL planning."},
    {"datafusion.sql_parser.parse_float_as_decimal", KEY_BOOL, "false",
     "When set to true, SQL parser will parse float as decimal type"},
    {"datafusion.sql_parser.support_varchar_with_length", KEY_BOOL, "true",
     "If true, permit lengths for `VARCHAR` such as `VARCHAR(20)`."},
    {"quiver.catalog.url_table", KEY_BOOL, "false",
     "Allow a quoted file path as a table name (SELECT * FROM 'data.csv'), as DataFusion's "
     "enable_url_table does."},
    {"quiver.optimizer.eliminate_redundant", KEY_BOOL, "true",
     "Remove identity projections, sorts nobody observes, nested limits and empty inputs."},
    {"quiver.optimizer.push_down_filter", KEY_BOOL, "true",
     "Push filters through projections, sorts, aggregates and unions, and into table scans."},
    {"quiver.optimizer.push_down_limit", KEY_BOOL, "true",
     "Push LIMIT into sorts (top-K), scans and union inputs."},
    {"quiver.optimizer.push_down_projection", KEY_BOOL, "true",
     "Read and compute only the columns a query needs."},
    {"quiver.optimizer.simplify_expressions", KEY_BOOL, "true",
     "Fold constant expressions and simplify boolean and arithmetic identities."},
};
#define N_KEYS ((int32_t)(sizeof keys / sizeof keys[0]))

/* A value set at one level of a config. */
typedef struct config_value {
    int32_t key;
    char *value; /* owned; NULL: set to no value */
} config_value;

/* A level stores only what was set there (a session overlay usually sets
 * nothing or a few keys), so making one costs one small allocation. */
struct config {
    const config *parent;
    config_value *set; /* owned, n_set used of cap */
    int32_t n_set, cap;
    char cpu_default[16]; /* target_partitions' default; root level only */
};

/* Key indices in case-insensitive name order, for binary search. */
static int32_t sorted_keys[N_KEYS];
static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static int compare_keys(const void *a, const void *b)
{
    return strcasecmp(keys[*(const int32_t *)a].name, keys[*(const int32_t *)b].name);
}

static void sort_keys(void)
{
    for (int32_t i = 0; i < N_KEYS; i++)
        sorted_keys[i] = i;
    qsort(sorted_keys, N_KEYS, sizeof sorted_keys[0], compare_keys);
}

static int32_t find_key(const char *name)
{
    pthread_once(&sorted_once, sort_keys);
    int32_t lo = 0, hi = N_KEYS - 1;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int cmp = strcasecmp(keys[sorted_keys[mid]].name, name);
        if (cmp == 0)
            return sorted_keys[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    /* DataFusion also accepts a few short names. */
    if (strcasecmp(name, "timezone") == 0 || strcasecmp(name, "time zone") == 0 ||
        strcasecmp(name, "time_zone") == 0)
        return find_key("datafusion.execution.time_zone");
    return -1;
}

qv_status config_new(const config *parent, config **out, qv_error *err)
{
    *out = base_calloc(1, sizeof **out);
    if (*out == NULL)
        return base_error_nomem(err, "configuration");
    (*out)->parent = parent;
    /* Only the root level answers for the default (and asking the system
     * for the CPU count is a system call: not once per session). */
    if (parent == NULL)
        snprintf((*out)->cpu_default, sizeof(*out)->cpu_default, "%d", base_cpu_count());
    return QV_OK;
}

void config_free(config *cfg)
{
    if (cfg == NULL)
        return;
    for (int32_t i = 0; i < cfg->n_set; i++)
        base_free(cfg->set[i].value);
    base_free(cfg->set);
    base_free(cfg);
}

/* The entry of key k at this level, or NULL. */
static config_value *level_find(const config *cfg, int32_t k)
{
    for (int32_t i = 0; i < cfg->n_set; i++)
        if (cfg->set[i].key == k)
            return &cfg->set[i];
    return NULL;
}

static qv_status check_value(const key_def *def, const char *value, qv_error *err)
{
    switch (def->type) {
    case KEY_BOOL:
        if (strcasecmp(value, "true") != 0 && strcasecmp(value, "false") != 0)
            return base_error_set(err, QV_PLAN,
                                  "Error parsing '%s' as bool\ncaused by\nExternal error: "
                                  "provided string was not `true` or `false`",
                                  value);
        return QV_OK;
    case KEY_UINT: {
        char *end;
        if (value[0] == '-' || !isdigit((unsigned char)value[0]))
            return base_error_set(err, QV_PLAN,
                                  "Error parsing '%s' as usize\ncaused by\nExternal error: "
                                  "invalid digit found in string",
                                  value);
        strtoull(value, &end, 10);
        if (*end != '\0')
            return base_error_set(err, QV_PLAN,
                                  "Error parsing '%s' as usize\ncaused by\nExternal error: "
                                  "invalid digit found in string",
                                  value);
        return QV_OK;
    }
    default:
        return QV_OK;
    }
}

qv_status config_set(config *cfg, const char *key, const char *value, qv_error *err)
{
    int32_t k = find_key(key);
    if (k < 0) {
        if (strncasecmp(key, "datafusion.", 11) == 0)
            return base_error_set(err, QV_PLAN,
                                  "Invalid or Unsupported Configuration: Config value \"%s\" not "
                                  "found on %s",
                                  strrchr(key, '.') + 1, "ConfigOptions");
        return base_error_set(err, QV_PLAN,
                              "Invalid or Unsupported Configuration: Could not find config "
                              "namespace \"%.*s\"",
                              (int)strcspn(key, "."), key);
    }
    const key_def *def = &keys[k];
    char *copy = NULL;
    if (value != NULL) {
        QV_TRY(check_value(def, value, err));
        copy = base_strdup(value);
        if (copy == NULL)
            return base_error_nomem(err, "configuration value");
        if (def->type == KEY_BOOL)
            for (char *p = copy; *p; p++)
                *p = (char)tolower((unsigned char)*p);
    }
    config_value *entry = level_find(cfg, k);
    if (entry == NULL) {
        if (cfg->n_set == cfg->cap) {
            int32_t cap = cfg->cap == 0 ? 4 : cfg->cap * 2;
            config_value *grown = base_realloc(cfg->set, (size_t)cap * sizeof *grown);
            if (grown == NULL) {
                base_free(copy);
                return base_error_nomem(err, "configuration value");
            }
            cfg->set = grown;
            cfg->cap = cap;
        }
        entry = &cfg->set[cfg->n_set++];
        *entry = (config_value){k, NULL};
    }
    base_free(entry->value);
    entry->value = copy;
    return QV_OK;
}

qv_status config_reset(config *cfg, const char *key, qv_error *err)
{
    int32_t k = find_key(key);
    if (k < 0)
        return base_error_set(err, QV_PLAN,
                              "Invalid or Unsupported Configuration: Config value \"%s\" not found",
                              key);
    config_value *entry = level_find(cfg, k);
    if (entry != NULL) {
        base_free(entry->value);
        *entry = cfg->set[--cfg->n_set];
    }
    return QV_OK;
}

static const char *value_of(const config *cfg, int32_t k)
{
    const config *root = cfg;
    for (const config *c = cfg; c != NULL; c = c->parent) {
        const config_value *entry = level_find(c, k);
        if (entry != NULL)
            return entry->value;
        root = c;
    }
    if (keys[k].dflt == NULL && strcmp(keys[k].name, "datafusion.execution.target_partitions") == 0)
        return root->cpu_default;
    return keys[k].dflt;
}

qv_status config_get(const config *cfg, const char *key, const char **value, qv_error *err)
{
    int32_t k = find_key(key);
    if (k < 0)
        return base_error_set(err, QV_NOT_FOUND,
                              "Error during planning: unknown configuration "
                              "key %s",
                              key);
    *value = value_of(cfg, k);
    return QV_OK;
}

int64_t config_get_int(const config *cfg, const char *key)
{
    int32_t k = find_key(key);
    const char *v = k >= 0 ? value_of(cfg, k) : NULL;
    return v != NULL ? strtoll(v, NULL, 10) : 0;
}

bool config_get_bool(const config *cfg, const char *key)
{
    int32_t k = find_key(key);
    const char *v = k >= 0 ? value_of(cfg, k) : NULL;
    return v != NULL && strcasecmp(v, "true") == 0;
}

qv_status config_visit(const config *cfg, config_visit_fn fn, void *user, qv_error *err)
{
    for (int32_t k = 0; k < N_KEYS; k++)
        QV_TRY(fn(user, keys[k].name, value_of(cfg, k), keys[k].description, err));
    return QV_OK;
}
