/*
 * quiver.h — the whole public C API of Quiver, an Arrow-native SQL engine.
 *
 * Everything under src/ may change; this header is the contract. It carries:
 *   - version macros and QV_API visibility,
 *   - qv_status codes (one X-macro table: code, name, SQLSTATE, default message),
 *   - qv_error, the optional error detail every fallible function fills,
 *   - the Arrow C Data Interface and C Stream Interface structs, exactly as
 *     the Arrow specification defines them, guarded so that this header
 *     coexists with arrow/c/abi.h, nanoarrow.h and friends.
 *
 * Conventions: handles are opaque and come in qv_x_new / qv_x_free pairs;
 * qv_x_free(NULL) is a no-op; on failure *out is NULL. Every fallible function
 * returns qv_status and, when err is not NULL, fills *err. Misusing a handle
 * returns QV_MISUSE.
 */
#ifndef QUIVER_H
#define QUIVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QV_VERSION_MAJOR 0
#define QV_VERSION_MINOR 1
#define QV_VERSION_PATCH 0
#define QV_VERSION_STRING "0.1.0"

#if defined(_WIN32)
#define QV_API __declspec(dllexport)
#else
#define QV_API __attribute__((visibility("default")))
#endif

/*
 * The status table: X(code, value, name, SQLSTATE, default message).
 * SQLSTATEs follow PostgreSQL's error codes so that pgwire clients can act on
 * them without a translation table.
 */
#define QV_STATUS_TABLE(X)                                                                         \
    X(QV_OK, 0, "OK", "00000", "success")                                                          \
    X(QV_ERROR, 1, "ERROR", "XX000", "internal error")                                             \
    X(QV_MISUSE, 2, "MISUSE", "55000", "API misuse")                                               \
    X(QV_NOMEM, 3, "NOMEM", "53200", "out of memory")                                              \
    X(QV_RESOURCES_EXHAUSTED, 4, "RESOURCES_EXHAUSTED", "53200", "resources exhausted")            \
    X(QV_INVALID, 5, "INVALID_ARGUMENT", "22023", "invalid argument")                              \
    X(QV_SYNTAX, 6, "SYNTAX_ERROR", "42601", "syntax error")                                       \
    X(QV_PLAN, 7, "PLAN_ERROR", "42000", "error during planning")                                  \
    X(QV_SCHEMA, 8, "SCHEMA_ERROR", "42703", "schema error")                                       \
    X(QV_NOT_FOUND, 9, "NOT_FOUND", "42P01", "object not found")                                   \
    X(QV_ALREADY_EXISTS, 10, "ALREADY_EXISTS", "42P07", "object already exists")                   \
    X(QV_EXECUTION, 11, "EXECUTION_ERROR", "22000", "execution error")                             \
    X(QV_OVERFLOW, 12, "OVERFLOW", "22003", "numeric value out of range")                          \
    X(QV_DIVIDE_BY_ZERO, 13, "DIVIDE_BY_ZERO", "22012", "division by zero")                        \
    X(QV_CAST, 14, "CAST_ERROR", "22018", "invalid value for cast")                                \
    X(QV_IO, 15, "IO_ERROR", "58030", "I/O error")                                                 \
    X(QV_CORRUPT, 16, "CORRUPT", "XX001", "data corrupted")                                        \
    X(QV_LIMIT, 17, "LIMIT_EXCEEDED", "54000", "limit exceeded")                                   \
    X(QV_NOT_IMPLEMENTED, 18, "NOT_IMPLEMENTED", "0A000", "feature not implemented")               \
    X(QV_CANCELLED, 19, "CANCELLED", "57014", "query cancelled")                                   \
    X(QV_PERMISSION, 20, "PERMISSION_DENIED", "42501", "permission denied")

typedef enum qv_status {
#define QV_STATUS_ENUM_(code, value, name, sqlstate, message) code = value,
    QV_STATUS_TABLE(QV_STATUS_ENUM_)
#undef QV_STATUS_ENUM_
} qv_status;

/*
 * Error detail. Fixed-size fields so that reporting an error never allocates
 * (an out-of-memory error must be reportable). Zero-initialise before use, or
 * call qv_error_clear. line / column are 1-based positions in the SQL text, 0
 * when the error has no position.
 */
typedef struct qv_error {
    qv_status code;
    char sqlstate[6];
    int32_t line;
    int32_t column;
    char message[1024];
    char hint[256];
} qv_error;

/* The library version as "MAJOR.MINOR.PATCH"; a static string. */
QV_API const char *qv_version(void);

/* A one-line description of how this library was built (build type,
 * sanitizers, compiler); a static string. */
QV_API const char *qv_build_info(void);

/* The status's symbolic name ("NOMEM"), its SQLSTATE ("53200") and its
 * default message; static strings, never NULL (unknown codes map to ERROR). */
QV_API const char *qv_status_name(qv_status code);
QV_API const char *qv_status_sqlstate(qv_status code);
QV_API const char *qv_status_message(qv_status code);

/* Resets *err to "no error" (code QV_OK, empty message). NULL is a no-op. */
QV_API void qv_error_clear(qv_error *err);

/* ---- Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html) ---- */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

/* ---- runtime, profile, session, results ----
 *
 * qv_runtime: one per process; owns the thread pool, the memory pool, the
 * function registry and the shared catalog. Thread-safe.
 * qv_profile: the one way to make sessions, so that every path (CLI,
 * server, embedder, tests) applies the same policy: configuration defaults
 * (DataFusion's keys, e.g. "datafusion.execution.batch_size"), configurators
 * run on every new session, and the statement classes its sessions may run.
 * Immutable once a session has been created from it. Borrows its runtime.
 * qv_session: one per user / request / connection, with an identity; cheap
 * to make (its settings and catalog are overlays, nothing is copied); used
 * by one thread at a time. Borrows its profile (and so the runtime): free
 * sessions first.
 * qv_result: the outcome of one SQL text, read batch by batch. Borrows its
 * session; free it (or finish reading it) before the next qv_session_sql.
 */
typedef struct qv_runtime qv_runtime;
typedef struct qv_profile qv_profile;
typedef struct qv_session qv_session;
typedef struct qv_result qv_result;
typedef struct qv_identity qv_identity; /* defined with the tables below */

typedef struct qv_runtime_options {
    int32_t n_threads;          /* worker threads; 0: one per CPU */
    int64_t memory_limit;       /* bytes for buffering operators; 0: unbounded */
    const char *temp_directory; /* for spill files; NULL: $TMPDIR or /tmp (copied) */
} qv_runtime_options;

/* Fills *opts with the defaults (all zero / NULL). NULL is a no-op. */
QV_API void qv_runtime_options_init(qv_runtime_options *opts);
/* A runtime with its thread pool, memory pool (opts->memory_limit), function
 * registry and an empty shared catalog; opts may be NULL (defaults) and is
 * not kept. QV_MISUSE when out is NULL; QV_NOMEM, or QV_RESOURCES_EXHAUSTED
 * when threads cannot be started. */
QV_API qv_status qv_runtime_new(const qv_runtime_options *opts, qv_runtime **out, qv_error *err);
/* Frees the runtime and the tables registered in it (tables still used by a
 * qv_table handle live on until that handle is freed). Every profile built on
 * the runtime must be freed first. NULL is a no-op. */
QV_API void qv_runtime_free(qv_runtime *runtime);

/* A profile on runtime (borrowed: the runtime must outlive it) with the
 * built-in configuration defaults, no configurators and every statement
 * class allowed. A profile is configured by one thread; once a session has
 * been created from it, it is immutable and may be shared by any number of
 * threads creating sessions at once. QV_MISUSE for NULL arguments. */
QV_API qv_status qv_profile_new(qv_runtime *runtime, qv_profile **out, qv_error *err);
/* Sets a configuration default (as SQL SET would). QV_PLAN for an unknown key
 * or a value the key does not accept ("Invalid or Unsupported Configuration:
 * ..."), QV_MISUSE once a session has been created from the profile. value
 * is copied; NULL gives the key no value. */
QV_API qv_status qv_profile_set(qv_profile *profile, const char *key, const char *value,
                                qv_error *err);
/* Frees the profile and releases its configurators' user data. Every session
 * built from the profile must be freed first. NULL is a no-op. */
QV_API void qv_profile_free(qv_profile *profile);

/* A new session of profile (borrowed: free the session first) working for
 * identity (copied; NULL: anonymous). Copies nothing else: its settings and
 * its catalog are overlays on the profile's settings and the runtime's
 * shared catalog, so the cost does not depend on the number of registered
 * tables. The profile's configurators then run on it in order; the first
 * error of one is returned (the session is freed, *out stays NULL).
 * Thread-safe for one profile; the session itself is used by one thread at a
 * time. QV_MISUSE for NULL profile or out. */
QV_API qv_status qv_session_new(qv_profile *profile, const qv_identity *identity, qv_session **out,
                                qv_error *err);
/* Frees the session and its temporary tables and views. A result or stream
 * still open on it must not be read afterwards. NULL is a no-op. */
QV_API void qv_session_free(qv_session *session);

/* Runs sql (NUL-terminated; one or more statements separated by ';'). Every
 * statement but the last runs to completion; *out reads the last one's
 * rows (statements without rows give an empty result with no columns, or
 * DataFusion's one-row "count" for INSERT). *out belongs to the caller
 * (qv_result_free) and borrows the session; it is NULL on failure. Errors
 * carry DataFusion's message text (with its "DataFusion error: " prefix
 * dropped), SQLSTATE and, for SQL errors, line and column; a statement the
 * profile does not allow is QV_PERMISSION. Statements before the failing one
 * keep their effects. QV_MISUSE for NULL arguments or while a previous
 * result of the session is still open. Not thread-safe for one session. */
QV_API qv_status qv_session_sql(qv_session *session, const char *sql, qv_result **out,
                                qv_error *err);
/* The result's schema (a struct whose children are the columns), exported
 * into *out, which the caller releases. Any time before the result is freed.
 * QV_MISUSE for NULL arguments. */
QV_API qv_status qv_result_schema(qv_result *result, struct ArrowSchema *out, qv_error *err);
/* The next batch as a struct array, moved to the caller (release it when
 * done; it stays valid after the result and the session are freed: its
 * buffers are refcounted). At the end out->release is NULL and QV_OK is
 * returned. Execution errors (division by zero, resources exhausted, a
 * table provider's error...) surface here; after one the result has no more
 * rows. QV_MISUSE for NULL arguments. Same thread rules as the session. */
QV_API qv_status qv_result_next(qv_result *result, struct ArrowArray *out, qv_error *err);
/* Moves the remaining batches into a C stream, which owns them from now on;
 * the result is freed (also on failure). The
 * stream does not block the session's next statement, but the session must
 * outlive it; read it from one thread at a time. Errors of execution come
 * from the stream's get_next (get_last_error has the message). */
QV_API qv_status qv_result_to_stream(qv_result *result, struct ArrowArrayStream *out,
                                     qv_error *err);
/* Frees the result and the rows not read yet (running statements stop).
 * Batches already handed out stay valid. NULL is a no-op. */
QV_API void qv_result_free(qv_result *result);

/* ---- tables, identities, configurators, statement policy (session layer) ----
 *
 * qv_table: a table that can be registered under a name, made by a file
 * reader (qv_ndjson_table, qv_csv_table: the schema is inferred once, there)
 * or by qv_table_new over a custom provider. Refcounted: registering a table
 * takes a reference of its own, so the caller frees its handle with
 * qv_table_free whenever it likes; the table lives while any catalog (or a
 * running query) still uses it. Handles may be shared between threads.
 */
typedef struct qv_table qv_table;

/* Drops the caller's reference. NULL is a no-op. Thread-safe. */
QV_API void qv_table_free(qv_table *table);

/* Registers table as `name` in the runtime's shared catalog, visible to
 * every session of every profile, including sessions already open. name is
 * read as DataFusion reads a table reference: "t" (in the default schema,
 * datafusion.public), "schema.t" or "catalog.schema.t"; unquoted parts are
 * lower-cased, "double-quoted" parts kept as written. The catalog takes its
 * own reference. QV_ALREADY_EXISTS when the name is taken, QV_NOT_FOUND for
 * an unknown schema, QV_INVALID for a malformed name, QV_MISUSE for NULL
 * arguments. Thread-safe. */
QV_API qv_status qv_runtime_register_table(qv_runtime *runtime, const char *name, qv_table *table,
                                           qv_error *err);
/* As qv_runtime_register_table, but in the session's own catalog (a
 * temporary table: only this session sees it; it shadows a shared table of
 * the same name and goes away with the session); an unqualified name goes to
 * the session's default schema (datafusion.catalog.default_catalog /
 * default_schema). Not subject to the profile's statement policy. */
QV_API qv_status qv_session_register_table(qv_session *session, const char *name, qv_table *table,
                                           qv_error *err);

/* Who a session works for. Table providers receive it at scan and insert
 * time, so one registered table can return each user only their rows. */
struct qv_identity {
    const char *user_id;      /* NULL: anonymous */
    const char *const *roles; /* n_roles NUL-terminated strings; may be NULL when n_roles is 0 */
    int32_t n_roles;
};

/* The session's identity (its own copy, made by qv_session_new; an
 * anonymous session has user_id NULL and no roles). Borrowed: valid until
 * the session is freed. NULL for a NULL session. */
QV_API const qv_identity *qv_session_identity(const qv_session *session);

/* A session setting, as SQL SET / SHOW see it (same keys as qv_profile_set).
 * qv_session_set changes only this session; it is not subject to the
 * profile's statement policy. QV_PLAN for an unknown key or a value the key
 * does not accept. qv_session_get sets *value to the current value (NULL:
 * the key has no value), borrowed until the session's or the profile's next
 * change of that key; QV_NOT_FOUND for an unknown key. */
QV_API qv_status qv_session_set(qv_session *session, const char *key, const char *value,
                                qv_error *err);
QV_API qv_status qv_session_get(qv_session *session, const char *key, const char **value,
                                qv_error *err);

/* A configurator: code run on every new session of a profile, in the order
 * the configurators were added, before qv_session_new returns (register
 * tables or views, change settings, look at the identity...). It runs on the
 * thread that calls qv_session_new, possibly on many threads at once for one
 * profile, so user_data must be safe to share (read-only, or guarded).
 * Returning anything but QV_OK (with err filled) makes qv_session_new fail
 * with that error; the half-made session is freed. Configurators are not
 * subject to the profile's statement policy (a read-only profile may still
 * create views in its configurators). */
typedef qv_status (*qv_configure_fn)(qv_session *session, void *user_data, qv_error *err);
typedef struct qv_configurator {
    qv_configure_fn configure;
    void *user_data;
    /* Called with user_data when the profile is freed; NULL: the caller
     * keeps ownership of user_data (it must outlive the profile). */
    void (*release)(void *user_data);
} qv_configurator;

/* Appends a configurator (copied) to the profile. On success the profile
 * owns user_data (see release); on failure nothing is taken. QV_MISUSE once
 * a session has been created from the profile, or when configure is NULL. */
QV_API qv_status qv_profile_add_configurator(qv_profile *profile,
                                             const qv_configurator *configurator, qv_error *err);

/* Statement classes a profile's sessions may run as SQL. Queries (SELECT,
 * VALUES, EXPLAIN, SHOW, DESCRIBE) are always allowed. A statement of a class
 * that is not allowed fails with QV_PERMISSION (SQLSTATE 42501) and
 * DataFusion's message ("DDL not supported: CreateMemoryTable", "DML not
 * supported: Insert Into", "Statement not supported: SetVariable"), before it
 * changes anything; EXPLAIN and PREPARE are judged by the statement they
 * contain. */
#define QV_STATEMENTS_DDL 1u /* CREATE / DROP of tables, views, schemas, users; GRANT */
#define QV_STATEMENTS_DML 2u /* INSERT, UPDATE, DELETE, TRUNCATE, COPY */
#define QV_STATEMENTS_SET 4u /* SET, RESET */
#define QV_STATEMENTS_ALL 7u /* the default */

/* Sets which statement classes (QV_STATEMENTS_* flags, or-ed) the profile's
 * sessions may run; QV_STATEMENTS_DDL | QV_STATEMENTS_DML | ... 0 makes a
 * read-only profile. QV_MISUSE once a session has been created from the
 * profile; QV_INVALID for unknown flags. */
QV_API qv_status qv_profile_allow_statements(qv_profile *profile, uint32_t classes, qv_error *err);

/* ---- custom table providers ----
 * A table implemented by the embedder: Quiver asks for the schema once and
 * opens a scan per query (per session, with that session's identity). The
 * engine filters, projects again if needed, and applies LIMIT itself; what
 * the request carries are hints a provider may use to do less work. */
typedef struct qv_scan_request {
    /* Columns the query needs, as indices into the table's schema, in this
     * order; NULL (n_projection 0) when all are needed. */
    const int32_t *projection;
    int32_t n_projection;
    int64_t limit;               /* rows needed at most; -1: all */
    const qv_identity *identity; /* the asking session's identity; never NULL */
} qv_scan_request;

typedef struct qv_table_provider {
    /* Required. Fills *out with the table's schema, a struct schema whose
     * children are the columns (moved to Quiver). Called once, by
     * qv_table_new: the schema is fixed for the table's life. */
    qv_status (*schema)(void *user_data, struct ArrowSchema *out, qv_error *err);
    /* Required. Fills *out with a stream (moved to Quiver, which releases
     * it) of struct arrays holding either the requested columns in the
     * requested order or all columns; column types must be the schema's. May
     * be called from several threads at once; each stream is read by one
     * thread, after the call returns and possibly after the session is gone
     * (copy what you need from request). A stream error fails the query
     * with the stream's get_last_error text. */
    qv_status (*scan)(void *user_data, const qv_scan_request *request, struct ArrowArrayStream *out,
                      qv_error *err);
    /* Optional (NULL: the table is read-only and INSERT fails). Appends the
     * rows of batches, a stream of struct arrays with the table's schema,
     * borrowed for the call (Quiver releases it). For INSERT, called once
     * per statement with the inserting session's identity. */
    qv_status (*insert)(void *user_data, const qv_identity *identity,
                        struct ArrowArrayStream *batches, qv_error *err);
    /* Optional: called with user_data when the table's last reference goes. */
    void (*release)(void *user_data);
} qv_table_provider;

/* A table over a custom provider (the vtable is copied; user_data is passed
 * to every callback). Calls provider->schema once. On success the table owns
 * user_data (provider->release); on failure nothing is taken. QV_MISUSE when
 * schema or scan is missing; the schema callback's error otherwise, or
 * QV_INVALID for a schema that is not a struct of columns. */
QV_API qv_status qv_table_new(const qv_table_provider *provider, void *user_data, qv_table **out,
                              qv_error *err);
/* ---- end of tables, identities, configurators, statement policy ---- */

/* ---- file tables (session layer, file_tables.c) ----
 * Tables over CSV or newline-delimited JSON files, made once (the schema is
 * inferred here, from the files' first records, never again) and then
 * registered as often as wanted, for instance by a configurator in every
 * session: registering costs no I/O. Every scan lists the files again, so
 * files added to a directory are seen. */
typedef struct qv_file_options {
    /* CSV: whether the first line of each file names the columns; 1, 0, or
     * -1 for the default (yes, as datafusion.catalog.has_header). */
    int32_t has_header;
    char delimiter; /* CSV: 0 for ',' */
    char quote;     /* CSV: 0 for '"' */
    /* "gzip", "bzip2", "xz", "zstd" or "uncompressed"; NULL: a single file's
     * name decides (.gz, .bz2, .xz, .zst), a directory is uncompressed. */
    const char *compression;
    /* In a directory, only files whose name ends with this are read; NULL:
     * ".csv" / ".json", followed by the compression's suffix. "" reads
     * every file. */
    const char *file_extension;
    int64_t schema_infer_max_records; /* 0: 1000 */
    /* Hive partition columns (`key=value` directories, read as strings),
     * in directory order; none: found from the directories themselves. */
    const char *const *partition_columns;
    int32_t n_partition_columns;
} qv_file_options;

/* Fills *opts with the defaults. */
QV_API void qv_file_options_init(qv_file_options *opts);

/* A table over path: a file, or a directory read recursively (key=value
 * directories become partition columns after the file columns). options may
 * be NULL (defaults). runtime is the runtime the table is meant for.
 * Errors: QV_MISUSE for NULL runtime, path or out; QV_INVALID for an unknown
 * compression name; QV_PLAN "No files found at ..." for an empty directory;
 * QV_NOT_FOUND / QV_IO naming the path; the reader's error (naming the file
 * in the hint) for a file that cannot be inferred. */
QV_API qv_status qv_csv_table(qv_runtime *runtime, const char *path, const qv_file_options *options,
                              qv_table **out, qv_error *err);
QV_API qv_status qv_ndjson_table(qv_runtime *runtime, const char *path,
                                 const qv_file_options *options, qv_table **out, qv_error *err);
/* ---- end of file tables ---- */

/* ---- prepared statements ----
 *
 * qv_statement: one SQL statement parsed and checked once, run many times
 * with parameters $1, $2, ... (the C side of SQL PREPARE / EXECUTE). A
 * query is bound when it is prepared: unknown tables or columns fail then,
 * and the types of parameters are inferred from where they are used
 * (`WHERE id = $1` makes $1 the type of id); other statements are bound at
 * each execution. Each execution binds the statement afresh with the
 * values, so it sees the catalog as it is then, and a statement can run any
 * number of times. A statement belongs to its session: use it on the
 * session's thread only, and free it before or after the session (once the
 * session is freed, execute fails with QV_MISUSE; free still works).
 */
typedef struct qv_statement qv_statement;

/* Prepares sql (exactly one statement; QV_MISUSE otherwise) on session.
 * Errors as qv_session_sql gives them for the statement (QV_SYNTAX,
 * QV_PLAN, QV_SCHEMA, QV_PERMISSION...). *out is NULL on failure. */
QV_API qv_status qv_session_prepare(qv_session *session, const char *sql, qv_statement **out,
                                    qv_error *err);
/* The number of parameters: the highest $n of the statement (0 for NULL). */
QV_API int32_t qv_statement_param_count(const qv_statement *stmt);
/* Bind a value to parameter $index (1-based; QV_INVALID when out of range).
 * A value replaces the one bound before and stays bound across executions.
 * Values are cast to the parameter's type at execution (a text '20' for an
 * Int32 parameter is 20; one that does not convert fails there with
 * QV_CAST); untyped parameters take the value's type: Int64, Float64,
 * Boolean (value != 0), Utf8 (data[0..len) copied, valid UTF-8) or Null. */
QV_API qv_status qv_statement_bind_int64(qv_statement *stmt, int32_t index, int64_t value,
                                         qv_error *err);
QV_API qv_status qv_statement_bind_double(qv_statement *stmt, int32_t index, double value,
                                          qv_error *err);
QV_API qv_status qv_statement_bind_bool(qv_statement *stmt, int32_t index, int value,
                                        qv_error *err);
QV_API qv_status qv_statement_bind_text(qv_statement *stmt, int32_t index, const char *data,
                                        size_t len, qv_error *err);
QV_API qv_status qv_statement_bind_null(qv_statement *stmt, int32_t index, qv_error *err);
/* Runs the statement with the bound values; *out as qv_session_sql gives
 * it (and, like it, borrowing the session: free it before the session's
 * next statement). QV_MISUSE when a parameter is not bound, a result of
 * the session is still open, or the session was freed. */
QV_API qv_status qv_statement_execute(qv_statement *stmt, qv_result **out, qv_error *err);
/* Frees the statement and its bound values. NULL is a no-op. */
QV_API void qv_statement_free(qv_statement *stmt);
/* ---- end of prepared statements ---- */

#ifdef __cplusplus
}
#endif

#endif /* QUIVER_H */
