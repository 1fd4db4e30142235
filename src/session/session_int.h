/*
 * session_int.h — the session layer's private structures (layer: session):
 * runtime, profile, session, configuration and results, shared by the
 * files of src/session/ that implement the public API of quiver.h.
 */
#ifndef QV_SESSION_INT_H
#define QV_SESSION_INT_H

#include "catalog/catalog.h"
#include "catalog/file_cache.h"
#include "exec/exec.h"
#include "func/func.h"
#include "plan/plan.h"
#include "quiver.h"
#include "sql/sql.h"

/* ---- configuration (config.c) ----
 * DataFusion's configuration keys with their defaults. A config is a
 * parent (the profile's, or NULL for the built-in defaults) plus values
 * set on top; reads fall through. */
typedef struct config config;

qv_status config_new(const config *parent, config **out, qv_error *err);
void config_free(config *cfg);
/* Sets key (case-insensitive, "datafusion." prefix optional for known
 * short forms) after checking the value against the key's type.
 * QV_PLAN ("Invalid or Unsupported Configuration: ...") for unknown keys. */
qv_status config_set(config *cfg, const char *key, const char *value, qv_error *err);
/* Drops this level's value of key (RESET). */
qv_status config_reset(config *cfg, const char *key, qv_error *err);
/* The value of key as text (NULL value: "NULL"); QV_NOT_FOUND for an
 * unknown key. The string lives until the next change of cfg. */
qv_status config_get(const config *cfg, const char *key, const char **value, qv_error *err);
int64_t config_get_int(const config *cfg, const char *key);
bool config_get_bool(const config *cfg, const char *key);
/* Calls fn for every key in order with its current value. */
typedef qv_status (*config_visit_fn)(void *user, const char *key, const char *value,
                                     const char *description, qv_error *err);
qv_status config_visit(const config *cfg, config_visit_fn fn, void *user, qv_error *err);

/* ---- handles ---- */

struct qv_runtime {
    base_thread_pool *pool;
    base_mem_pool *mem_pool;
    func_registry *registry;
    catalog *catalog; /* shared, root */
    char *temp_directory;
    _Atomic int32_t n_profiles;
    catalog_file_cache *file_cache; /* listed files and file statistics (file_cache.h) */
    _Atomic int64_t spill_bytes;    /* in every query's spill files now (exec_disk_budget) */
};

typedef struct session_auto_catalog session_auto_catalog;

struct qv_profile {
    qv_runtime *runtime;
    session_auto_catalog *auto_catalog; /* the `default` schema of catalog.location */
    config *config;
    qv_configurator *configurators; /* run in this order on every new session */
    int32_t n_configurators;
    uint32_t allowed_statements; /* QV_STATEMENTS_* */
    _Atomic bool sealed;         /* a session was created: immutable */
    _Atomic int32_t n_sessions;
};

struct qv_session {
    qv_profile *profile;
    config *config;                    /* overlay on the profile's */
    catalog *catalog;                  /* overlay on the runtime's */
    qv_identity identity;              /* strings copied into the session's allocation */
    catalog_identity catalog_identity; /* the same strings, as providers see them */
    bool configuring;                  /* configurators running: no statement policy */
    uint64_t random_state;
    qv_result *open_result;            /* the result still borrowing the session, if any */
    struct session_prepared *prepared; /* prepare.c: prepared statements, EXECUTE's values */
    /* the pool of datafusion.runtime.memory_limit (runtime_settings.c);
     * NULL: the runtime's pool */
    struct session_mem_pool *mem_pool;
};

/* A result: an operator tree being pulled (with the plan it borrows), or
 * batches already made. */
struct qv_result {
    qv_session *session;
    arrow_schema *schema;
    plan_ctx *plan; /* owns the expressions the operators use */
    exec_node *root;
    exec_ctx *ctx;
    struct session_mem_pool *mem_pool; /* reference: the pool ctx's reservations are in */
    exec_stream *stream;
    arrow_batch **batches; /* materialised results */
    int64_t n_batches, next_batch;
};

/* ---- the `default` schema of datafusion.catalog.location /
 * datafusion.catalog.format (auto_catalog.c) ---- */

/* Per-profile state (a lock and the loaded catalog); free with
 * session_auto_catalog_free (NULL is a no-op). */
qv_status session_auto_catalog_new(session_auto_catalog **out, qv_error *err);
void session_auto_catalog_free(session_auto_catalog *ac);
/* The catalog a new session's overlay sits on (borrowed, lives as long as
 * the profile): the runtime's, or, when the profile sets both keys, one
 * over it holding <default_catalog>.default, loaded by the first call
 * (thread-safe; a failure is returned and the next call tries again). */
qv_status session_auto_catalog_parent(qv_profile *profile, catalog **out, qv_error *err);

/* ---- datafusion.runtime.* (runtime_settings.c) ---- */

/* "Unknown runtime configuration: <key>" (QV_PLAN). */
qv_status session_runtime_unknown_key(const char *key, qv_error *err);
/* value checked and rewritten as DataFusion shows it (new string). */
qv_status session_runtime_normalize(const char *key, const char *value, bool is_ttl, char **out,
                                    qv_error *err);
/* After key was set or reset on the session: the runtime's caches take
 * the new list-files / statistics limits and TTL. */
void session_runtime_apply(qv_session *session, const char *key);
/* The memory pool of the session's next query: its own when
 * datafusion.runtime.memory_limit is set, else the runtime's. */
base_mem_pool *session_memory_pool(qv_session *session);
typedef struct session_mem_pool session_mem_pool;
/* A reference to the session's own pool (NULL: it has none), for a result
 * whose operators reserve from it; release when they are freed. */
session_mem_pool *session_memory_pool_retain(qv_session *session);
void session_memory_pool_release(session_mem_pool *pool);
/* Where the session's queries spill: datafusion.runtime.temp_directory,
 * else the runtime's temporary directory. */
const char *session_spill_directory(qv_session *session);
/* The bytes the session's queries may spill (datafusion.runtime.
 * max_temp_directory_size), counted with every query of the runtime. */
exec_disk_budget session_spill_budget(qv_session *session);

/* ---- configurators, statement policy, tables (configurator.c, policy.c,
 * table.c, table_provider.c) ---- */

/* Runs the profile's configurators on a new session, in order. */
qv_status session_configure(qv_session *session, qv_error *err);
/* QV_PERMISSION when the profile does not allow stmt's class (DDL, DML,
 * SET); QV_OK otherwise and while configurators run. */
qv_status session_check_policy(const qv_session *session, const sql_node *stmt, qv_error *err);

/* A qv_table handle holding a new reference to table (for table readers
 * such as qv_ndjson_table: make the catalog_table, wrap it, release yours). */
qv_status session_table_new(catalog_table *table, qv_table **out, qv_error *err);
/* The table behind a handle (borrowed). */
catalog_table *session_table_provider(const qv_table *table);

/* ---- introspection and prepared statements (introspect.c, show.c,
 * describe.c, prepare.c) ---- */

/* The resolver of the session's catalog (a catalog_resolve_fn; user is
 * the session): information_schema's tables while
 * datafusion.catalog.information_schema is on. */
qv_status session_resolve_table(void *user, const char *catalog_name, const char *schema_name,
                                const char *name, catalog_table **out, qv_error *err);
/* Calls fn for every function (and alias) as information_schema lists it. */
qv_status session_visit_routines(qv_session *session, catalog_routine_fn fn, void *fn_user,
                                 qv_error *err);
/* DESCRIBE table / DESCRIBE query. */
qv_status session_describe(qv_session *session, const sql_node *stmt, qv_result **out,
                           qv_error *err);
/* PREPARE (sql: the text stmt was parsed from, or NULL), EXECUTE,
 * DEALLOCATE. */
qv_status session_prepare(qv_session *session, const sql_node *stmt, const char *sql,
                          qv_result **out, qv_error *err);
qv_status session_execute_prepared(qv_session *session, const sql_node *stmt, qv_result **out,
                                   qv_error *err);
qv_status session_deallocate(qv_session *session, const sql_node *stmt, qv_result **out,
                             qv_error *err);
/* Gives ctx the argument values of the EXECUTE running now, if any
 * (session_plan_ctx calls it). */
void session_bind_parameters(qv_session *session, plan_ctx *ctx);
/* Frees the session's prepared statements and detaches its qv_statement
 * handles (qv_session_free calls it). */
void session_prepared_free(qv_session *session);

/* ---- statements (statement.c, ddl.c, dml.c, explain.c) ---- */

/* True for the statements that are queries (SELECT, VALUES, set
 * operations...). */
bool session_is_query(const sql_node *stmt);
/* Runs one parsed statement; *out gets its result. */
qv_status session_execute(qv_session *session, const sql_node *stmt, const char *sql,
                          qv_result **out, qv_error *err);
/* A planning context for the session (its catalog, registry, options). */
qv_status session_plan_ctx(qv_session *session, plan_ctx **out, qv_error *err);
/* Runs the logical optimizer with the session's settings and prepares the
 * scans' provider filters. */
qv_status session_optimize(qv_session *session, plan_ctx *pctx, plan_node *root, plan_node **out,
                           qv_error *err);
/* Executes plan (a query) into a result that streams its rows; takes the
 * plan ctx. */
qv_status session_run_plan(qv_session *session, plan_ctx *pctx, plan_node *root, qv_result **out,
                           qv_error *err);
/* Runs plan to completion and collects its batches. */
qv_status session_collect_plan(qv_session *session, plan_node *root, arrow_batch ***batches,
                               int64_t *n_batches, arrow_schema **schema, qv_error *err);

qv_status session_create_table(qv_session *session, const sql_node *stmt, qv_result **out,
                               qv_error *err);
qv_status session_create_view(qv_session *session, const sql_node *stmt, qv_result **out,
                              qv_error *err);
/* SELECT ... INTO t: a query whose body is a SELECT with INTO, run as
 * CREATE TABLE t AS the query without INTO. (select_into.c) */
bool session_is_select_into(const sql_node *stmt);
qv_status session_select_into(qv_session *session, const sql_node *stmt, qv_result **out,
                              qv_error *err);
qv_status session_drop(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err);
qv_status session_insert(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err);
qv_status session_delete(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err);
qv_status session_update(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err);
/* TRUNCATE: DataFusion's refusals (no provider supports it). */
qv_status session_truncate(qv_session *session, const sql_node *stmt, qv_result **out,
                           qv_error *err);
qv_status session_explain(qv_session *session, const sql_node *stmt, qv_result **out,
                          qv_error *err);
qv_status session_set(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err);
qv_status session_show(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err);

/* The schema of a list of column definitions (SQL_COLUMN_DEF kids; table
 * constraints skipped): declared types, NOT NULL / PRIMARY KEY columns
 * non-nullable; QV_SCHEMA for a duplicate name. (ddl.c) */
qv_status session_columns_schema(plan_ctx *pctx, const sql_node *columns, arrow_schema **out,
                                 qv_error *err);

/* A 1- to 3-part name as written, each part normalised, joined with dots
 * ("t", "s.t", "c.s.t": DataFusion's TableReference display); in the ctx
 * arena, NULL when out of memory. (ddl.c) */
const char *session_written_name(plan_ctx *pctx, const sql_node *name);

/* Rebuilds batches (in place) over a table's schema, whose column types
 * they already have, failing when a non-nullable column holds a NULL. */
qv_status session_conform_batches(arrow_schema *schema, arrow_batch **batches, int64_t n,
                                  qv_error *err);

/* ---- column DEFAULT values (column_defaults.c) ---- */

/* The DEFAULT expressions of a CREATE TABLE column list (n_columns column
 * definitions), each bound once with no columns in scope to report
 * DataFusion's errors ("Schema error: No field named a."): *out gets
 * n_columns SQL texts (NULL: no default; free with
 * session_column_defaults_free), or NULL when no column has one. */
qv_status session_column_defaults(plan_ctx *pctx, const sql_node *columns, int32_t n_columns,
                                  char ***out, qv_error *err);
void session_column_defaults_free(char **defaults, int32_t n_columns);
/* The DEFAULT of column `column` of table bound anew (a volatile default
 * such as now() is evaluated by each statement), or NULL in *out when the
 * column has none. */
qv_status session_bind_column_default(plan_ctx *pctx, catalog_table *table, int32_t column,
                                      plan_expr **out, qv_error *err);

/* ---- results (result.c) ---- */

/* The execution context of one query of the session (thread pool when
 * target_partitions > 1, memory pool, spill directory, batch size, call
 * context); free with base_free. */
qv_status session_exec_ctx(qv_session *session, exec_ctx **out, qv_error *err);
/* The physical planner's options for a query run in ctx (batch size,
 * partitions, identity, join algorithm). */
exec_plan_options session_plan_options(qv_session *session, exec_ctx *ctx);
/* The function-call context of a statement: now(), the session time zone,
 * a fresh random state. */
void session_call_ctx(qv_session *session, func_call_ctx *call);

/* A result with no columns and no rows (DDL). */
qv_status session_result_empty(qv_session *session, qv_result **out, qv_error *err);
/* A result holding batches (retained). */
qv_status session_result_batches(qv_session *session, arrow_schema *schema,
                                 arrow_batch *const *batches, int64_t n, qv_result **out,
                                 qv_error *err);
/* DataFusion's DML result: one row, one UInt64 column "count". */
qv_status session_result_count(qv_session *session, uint64_t count, qv_result **out, qv_error *err);
/* A result of string columns (EXPLAIN, SHOW): rows[r][c]. */
qv_status session_result_strings(qv_session *session, int32_t n_cols, const char *const *names,
                                 int64_t n_rows, const char *const *cells, qv_result **out,
                                 qv_error *err);

#endif /* QV_SESSION_INT_H */
