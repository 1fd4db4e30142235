/*
 * catalog.h — tables and where they live (layer: catalog): the table
 * provider interface every table implements (memory tables, files, managed
 * tables, user code), the in-memory table, and the catalog of names
 * (catalog -> schema -> table or view) with overlays for sessions.
 *
 * The planner talks to tables only through catalog_table_ops, so this
 * layer knows nothing of logical plans: filters are handed to providers in
 * a small predicate form (column op literal) that the planner converts to
 * when it can; DELETE / UPDATE hand the provider an engine-made row filter
 * and row updater (interfaces below) to call on its batches.
 *
 * Lifetimes: catalog_table is refcounted (a query keeps the tables it scans
 * alive even if they are dropped meanwhile). Scans and streams are owned by
 * whoever opened them.
 */
#ifndef QV_CATALOG_H
#define QV_CATALOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "arrow/arrow.h"
#include "base/base.h"

/* ---- who is asking ---- */

typedef struct catalog_identity {
    const char *user_id;      /* NULL: anonymous */
    const char *const *roles; /* n_roles strings */
    int32_t n_roles;
} catalog_identity;

/* ---- filters a provider may take over ---- */

typedef enum catalog_filter_support {
    CATALOG_FILTER_UNSUPPORTED, /* the engine filters */
    CATALOG_FILTER_INEXACT,     /* the provider prunes; the engine filters again */
    CATALOG_FILTER_EXACT        /* the provider returns exactly the matching rows */
} catalog_filter_support;

typedef enum catalog_pred_op {
    CATALOG_PRED_EQ,
    CATALOG_PRED_NE,
    CATALOG_PRED_LT,
    CATALOG_PRED_LE,
    CATALOG_PRED_GT,
    CATALOG_PRED_GE,
    CATALOG_PRED_IS_NULL,
    CATALOG_PRED_IS_NOT_NULL,
    CATALOG_PRED_IN
} catalog_pred_op;

/* column op value(s): values has the column's type; length 1 for the
 * comparisons, the list for IN, NULL for IS [NOT] NULL. Borrowed. */
typedef struct catalog_predicate {
    catalog_pred_op op;
    int32_t column; /* index in the table's schema */
    arrow_array *values;
} catalog_predicate;

/* ---- scans ---- */

typedef struct catalog_stream catalog_stream;
struct catalog_stream {
    /* *out: next batch (new reference) or NULL at the end. */
    qv_status (*next)(catalog_stream *stream, arrow_batch **out, qv_error *err);
    void (*free)(catalog_stream *stream);
};

typedef struct catalog_scan_args {
    const int32_t *projection; /* columns to return, in this order; NULL: all */
    int32_t n_projection;
    const catalog_predicate *filters; /* only those the provider supports */
    int32_t n_filters;
    int64_t limit; /* rows the engine needs at most, -1: all */
    int64_t batch_size;
    int32_t target_partitions;
    const catalog_identity *identity;
} catalog_scan_args;

/* An opened scan: its output schema (after projection) and partitions that
 * may be read concurrently, each by one thread. */
typedef struct catalog_scan catalog_scan;
struct catalog_scan {
    arrow_schema *schema; /* owned reference */
    int32_t n_partitions;
    qv_status (*open)(catalog_scan *scan, int32_t partition, catalog_stream **out, qv_error *err);
    void (*free)(catalog_scan *scan);
    /* Optional, for EXPLAIN (NULL: a DataSourceExec naming the table, its
     * partitions and columns): the operator's name and its description, as
     * the provider's DataFusion counterpart shows itself (a table
     * function's LazyMemoryExec). */
    const char *exec_name;
    void (*describe)(const catalog_scan *scan, base_strbuf *sb);
};

typedef struct catalog_stats {
    int64_t n_rows; /* -1: unknown */
    bool n_rows_exact;
    int64_t total_bytes; /* -1: unknown */
} catalog_stats;

/* ---- DML callbacks the engine provides ---- */

/* Which rows of a batch a DELETE / UPDATE touches: *mask gets a Boolean
 * array (new reference; null counts as false). */
typedef struct catalog_row_filter {
    qv_status (*evaluate)(const struct catalog_row_filter *filter, arrow_batch *batch,
                          arrow_array **mask, qv_error *err);
    void *state;
} catalog_row_filter;

/* The new values of rows an UPDATE touches: *out gets a batch of the same
 * schema and rows with the assignments applied. */
typedef struct catalog_row_updater {
    qv_status (*apply)(const struct catalog_row_updater *updater, arrow_batch *batch,
                       arrow_batch **out, qv_error *err);
    void *state;
} catalog_row_updater;

/* ---- the provider interface ---- */

typedef struct catalog_table catalog_table;

typedef struct catalog_table_ops {
    const char *kind; /* "memory", "csv", ... */
    /* NULL: no filter is supported. */
    catalog_filter_support (*supports_filter)(catalog_table *table,
                                              const catalog_predicate *predicate);
    qv_status (*scan)(catalog_table *table, const catalog_scan_args *args, catalog_scan **out,
                      qv_error *err);
    /* NULL: nothing known. */
    void (*statistics)(catalog_table *table, catalog_stats *out);
    /* Appends (or with overwrite, replaces the contents by) the batches,
     * which have the table's schema. NULL: the table is read-only. */
    qv_status (*insert)(catalog_table *table, const catalog_identity *identity,
                        arrow_batch *const *batches, int64_t n_batches, bool overwrite,
                        qv_error *err);
    /* Deletes the rows filter selects (NULL filter: every row); *count gets
     * the number deleted. NULL: DELETE is not supported. */
    qv_status (*delete_rows)(catalog_table *table, const catalog_identity *identity,
                             const catalog_row_filter *filter, int64_t *count, qv_error *err);
    /* Replaces the rows filter selects by updater's output. */
    qv_status (*update_rows)(catalog_table *table, const catalog_identity *identity,
                             const catalog_row_filter *filter, const catalog_row_updater *updater,
                             int64_t *count, qv_error *err);
    /* The statement that created the table, for information_schema.views
     * (SHOW CREATE TABLE): a new string (base_free) or NULL. NULL member:
     * none. */
    char *(*definition)(catalog_table *table);
    /* The DEFAULT of column (SQL expression text, valid while the table
     * lives) or NULL: none. NULL member: no column has a default. */
    const char *(*column_default)(catalog_table *table, int32_t column);
    void (*free)(catalog_table *table);
} catalog_table_ops;

/* Every provider starts with this header. */
struct catalog_table {
    const catalog_table_ops *ops;
    _Atomic int32_t refcount;
    arrow_schema *schema; /* owned reference, fixed for the table's life */
};

/* Initialises the header (refcount 1, schema retained). */
void catalog_table_init(catalog_table *table, const catalog_table_ops *ops, arrow_schema *schema);
catalog_table *catalog_table_retain(catalog_table *table);
/* Drops a reference; the last one releases the schema, then calls ops->free
 * to free the provider. NULL is a no-op. */
void catalog_table_release(catalog_table *table);
/* The schema of a scan of schema's columns projection[0..n_projection)
 * (NULL projection: schema itself, retained); QV_MISUSE for an index out of
 * range. */
qv_status catalog_projected_schema(arrow_schema *schema, const int32_t *projection,
                                   int32_t n_projection, arrow_schema **out, qv_error *err);

/* ---- the in-memory table (memory_table.c) ----
 * Batches held in memory, split into partitions; scans see a snapshot
 * taken when the scan opens, so concurrent inserts never tear a scan.
 * Supports insert (append / overwrite), delete and update. Thread-safe. */
qv_status catalog_memory_table_new(arrow_schema *schema, arrow_batch *const *batches,
                                   int64_t n_batches, catalog_table **out, qv_error *err);
/* Gives the memory table's columns their DEFAULT expressions: defaults[i]
 * (SQL text, copied; NULL: none) for column i of the schema. Call before
 * the table is shared. QV_MISUSE when table is not a memory table. */
qv_status catalog_memory_table_set_defaults(catalog_table *table, char *const *defaults,
                                            qv_error *err);

/* ---- the catalog of names (catalog.c) ----
 * A catalog maps (catalog, schema, name) to an entry: a table provider or a
 * view (its SQL text, re-bound where it is used). Names are compared as
 * given (the binder normalises identifiers). An overlay catalog has a
 * parent: lookups try the overlay first and fall through; changes go to the
 * overlay only, so creating one copies nothing. The shared (runtime)
 * catalog is guarded by a read-write lock; overlays belong to one session.
 */
typedef struct catalog catalog;

typedef enum catalog_entry_kind { CATALOG_ENTRY_TABLE, CATALOG_ENTRY_VIEW } catalog_entry_kind;

/* What a lookup returns: references the caller releases with
 * catalog_entry_clear. */
typedef struct catalog_entry {
    catalog_entry_kind kind;
    catalog_table *table; /* TABLE: new reference */
    char *view_sql;       /* VIEW: the defining query (base_strdup copy) */
    char *catalog_name;   /* copies of the resolved names */
    char *schema_name;
    char *table_name;
    bool temporary; /* found in an overlay (session-local) */
} catalog_entry;
void catalog_entry_clear(catalog_entry *entry);

/* parent may be NULL (a root catalog, thread-safe) or a catalog that
 * outlives the overlay. default_catalog / default_schema name the default
 * namespace, which exists from the start. */
qv_status catalog_new(catalog *parent, const char *default_catalog, const char *default_schema,
                      catalog **out, qv_error *err);
void catalog_free(catalog *cat);

/* QV_ALREADY_EXISTS (unless replace) when the name is taken in this catalog
 * (a name in the parent may be shadowed); QV_NOT_FOUND when the schema does
 * not exist. The table is retained. */
qv_status catalog_register_table(catalog *cat, const char *catalog_name, const char *schema_name,
                                 const char *name, catalog_table *table, bool replace,
                                 qv_error *err);
qv_status catalog_register_view(catalog *cat, const char *catalog_name, const char *schema_name,
                                const char *name, const char *view_sql, bool replace,
                                qv_error *err);
/* Removes the name from this catalog (not the parent). *found says whether
 * it was there; with want_kind set, an entry of the other kind is left
 * alone and reported through *found = false. */
qv_status catalog_deregister(catalog *cat, const char *catalog_name, const char *schema_name,
                             const char *name, catalog_entry_kind want_kind, bool *found,
                             qv_error *err);
/* QV_OK with entry filled, or QV_NOT_FOUND (no message set). */
qv_status catalog_lookup(catalog *cat, const char *catalog_name, const char *schema_name,
                         const char *name, catalog_entry *entry, qv_error *err);
/* Schemas (namespaces). */
qv_status catalog_create_schema(catalog *cat, const char *catalog_name, const char *schema_name,
                                bool if_not_exists, qv_error *err);
bool catalog_schema_exists(catalog *cat, const char *catalog_name, const char *schema_name);
/* DROP SCHEMA: removes the schema from cat. *found is false (and nothing
 * changes) when no catalog of the chain has it. A schema with visible
 * entries needs cascade, which drops them too; without it QV_EXECUTION
 * "Execution error: Cannot drop schema s because other tables depend on
 * it: a, b". A schema (or entries of it) of a parent catalog cannot be
 * dropped through an overlay: QV_NOT_IMPLEMENTED. */
qv_status catalog_drop_schema(catalog *cat, const char *catalog_name, const char *schema_name,
                              bool cascade, bool *found, qv_error *err);

/* Calls fn for every visible entry (overlay entries shadow the parent's),
 * sorted by catalog, schema, name. The entry is borrowed for the call. */
typedef qv_status (*catalog_visit_fn)(void *user, const catalog_entry *entry, qv_error *err);
qv_status catalog_visit(catalog *cat, catalog_visit_fn fn, void *user, qv_error *err);

/* Calls fn for every schema (namespace) of cat and its parents once, sorted
 * by catalog then schema name; the names are borrowed for the call. The
 * callback must not change the catalog. */
typedef qv_status (*catalog_schema_fn)(void *user, const char *catalog_name,
                                       const char *schema_name, qv_error *err);
qv_status catalog_visit_schemas(catalog *cat, catalog_schema_fn fn, void *user, qv_error *err);
/* Catalogs: the first parts of schema names, and catalogs made without a
 * schema (CREATE DATABASE). catalog_visit_catalogs calls fn once for each,
 * sorted (borrowed name; fn must not change the catalog). */
typedef qv_status (*catalog_name_fn)(void *user, const char *catalog_name, qv_error *err);
qv_status catalog_visit_catalogs(catalog *cat, catalog_name_fn fn, void *user, qv_error *err);
/* An empty catalog in cat; QV_ALREADY_EXISTS ("Execution error: Catalog
 * 'x' already exists") unless if_not_exists when one of that name exists. */
qv_status catalog_create_catalog(catalog *cat, const char *catalog_name, bool if_not_exists,
                                 qv_error *err);
/* True when catalog_name exists (has a schema or was created empty). */
bool catalog_exists(catalog *cat, const char *catalog_name);

/* ---- tables made on lookup (information_schema) ----
 * A resolver answers lookups of names that no slot holds, before the
 * slots are searched: *out gets a new table reference, or it returns
 * QV_NOT_FOUND (no message) for names that are not its own. Installed on
 * an overlay (a session's catalog) with the user pointer it is called with,
 * which must outlive the catalog; NULL fn removes it. Only the catalog
 * catalog_lookup is called on consults its resolver. */
typedef qv_status (*catalog_resolve_fn)(void *user, const char *catalog_name,
                                        const char *schema_name, const char *name,
                                        catalog_table **out, qv_error *err);
void catalog_set_resolver(catalog *cat, catalog_resolve_fn fn, void *user);

/* ---- information_schema (information_schema.c) ----
 * DataFusion's seven virtual tables: tables, views, columns, schemata,
 * df_settings, routines, parameters, with its columns, types and rows.
 * Each is made when it is looked up, as a snapshot of its sources: the
 * catalog's entries and schemas, and what the layers above provide through
 * catalog_info_source (settings, functions, the columns of views). */

/* A function as information_schema.routines / parameters show it. */
typedef struct catalog_routine_variant {
    int32_t n_args;
    const char *const *arg_types;
    const char *return_type; /* NULL: unknown */
} catalog_routine_variant;

typedef struct catalog_routine {
    const char *name;
    const char *function_type; /* "SCALAR", "AGGREGATE", "WINDOW", "TABLE" */
    bool is_deterministic;
    bool is_variadic;
    const char *description;        /* NULL: none */
    const char *syntax_example;     /* NULL: none */
    const char *const *param_names; /* NULL-terminated; NULL: none */
    int32_t n_variants;
    const catalog_routine_variant *variants; /* variant i has rid i */
} catalog_routine;

typedef qv_status (*catalog_setting_fn)(void *user, const char *name, const char *value,
                                        const char *description, qv_error *err);
typedef qv_status (*catalog_routine_fn)(void *user, const catalog_routine *routine, qv_error *err);

/* Where the tables get their rows; everything is borrowed for the call. */
typedef struct catalog_info_source {
    catalog *catalog;
    const char *default_catalog; /* specific_catalog of routines and parameters */
    const char *default_schema;
    void *user;
    /* Every setting in order (value NULL: no value). */
    qv_status (*visit_settings)(void *user, catalog_setting_fn fn, void *fn_user, qv_error *err);
    /* Every function once. */
    qv_status (*visit_routines)(void *user, catalog_routine_fn fn, void *fn_user, qv_error *err);
    /* The columns of a view (new reference); any failure leaves the
     * view's columns out. */
    qv_status (*view_schema)(void *user, const catalog_entry *view, arrow_schema **out,
                             qv_error *err);
} catalog_info_source;

/* The schema's name. Its rows are the same in every catalog. */
#define CATALOG_INFORMATION_SCHEMA "information_schema"
/* *out gets a new table holding the rows of information_schema.<name>
 * (any case); QV_NOT_FOUND (no message) for other names. */
qv_status catalog_information_schema_table(const catalog_info_source *source, const char *name,
                                           catalog_table **out, qv_error *err);

#endif /* QV_CATALOG_H */
