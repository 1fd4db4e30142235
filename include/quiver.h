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
#define QV_STATUS_TABLE(X)                                                                 \
    X(QV_OK, 0, "OK", "00000", "success")                                                  \
    X(QV_ERROR, 1, "ERROR", "XX000", "internal error")                                     \
    X(QV_MISUSE, 2, "MISUSE", "55000", "API misuse")                                       \
    X(QV_NOMEM, 3, "NOMEM", "53200", "out of memory")                                      \
    X(QV_RESOURCES_EXHAUSTED, 4, "RESOURCES_EXHAUSTED", "53200", "resources exhausted")    \
    X(QV_INVALID, 5, "INVALID_ARGUMENT", "22023", "invalid argument")                      \
    X(QV_SYNTAX, 6, "SYNTAX_ERROR", "42601", "syntax error")                               \
    X(QV_PLAN, 7, "PLAN_ERROR", "42000", "error during planning")                          \
    X(QV_SCHEMA, 8, "SCHEMA_ERROR", "42703", "schema error")                               \
    X(QV_NOT_FOUND, 9, "NOT_FOUND", "42P01", "object not found")                           \
    X(QV_ALREADY_EXISTS, 10, "ALREADY_EXISTS", "42P07", "object already exists")           \
    X(QV_EXECUTION, 11, "EXECUTION_ERROR", "22000", "execution error")                     \
    X(QV_OVERFLOW, 12, "OVERFLOW", "22003", "numeric value out of range")                  \
    X(QV_DIVIDE_BY_ZERO, 13, "DIVIDE_BY_ZERO", "22012", "division by zero")                \
    X(QV_CAST, 14, "CAST_ERROR", "22018", "invalid value for cast")                        \
    X(QV_IO, 15, "IO_ERROR", "58030", "I/O error")                                         \
    X(QV_CORRUPT, 16, "CORRUPT", "XX001", "data corrupted")                                \
    X(QV_LIMIT, 17, "LIMIT_EXCEEDED", "54000", "limit exceeded")                           \
    X(QV_NOT_IMPLEMENTED, 18, "NOT_IMPLEMENTED", "0A000", "feature not implemented")       \
    X(QV_CANCELLED, 19, "CANCELLED", "57014", "query cancelled")                           \
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
 * qv_profile: configuration defaults for the sessions built from it
 * (DataFusion's keys, e.g. "datafusion.execution.batch_size"); immutable
 * once a session has been created from it. Borrows its runtime.
 * qv_session: one per user / request / connection, used by one thread at a
 * time. Borrows its profile (and so the runtime): free sessions first.
 * qv_result: the outcome of one SQL text, read batch by batch. Borrows its
 * session; free it (or finish reading it) before the next qv_session_sql.
 */
typedef struct qv_runtime qv_runtime;
typedef struct qv_profile qv_profile;
typedef struct qv_session qv_session;
typedef struct qv_result qv_result;

typedef struct qv_runtime_options {
    int32_t n_threads;          /* worker threads; 0: one per CPU */
    int64_t memory_limit;       /* bytes for buffering operators; 0: unbounded */
    const char *temp_directory; /* for spill files; NULL: $TMPDIR or /tmp (copied) */
} qv_runtime_options;

/* Fills *opts with the defaults. */
QV_API void qv_runtime_options_init(qv_runtime_options *opts);
/* opts may be NULL (defaults). */
QV_API qv_status qv_runtime_new(const qv_runtime_options *opts, qv_runtime **out, qv_error *err);
/* Every profile built on the runtime must be freed first. */
QV_API void qv_runtime_free(qv_runtime *runtime);

QV_API qv_status qv_profile_new(qv_runtime *runtime, qv_profile **out, qv_error *err);
/* Sets a configuration default (as SQL SET would). QV_NOT_FOUND for an
 * unknown key, QV_INVALID for a value the key does not accept, QV_MISUSE
 * once a session has been created from the profile. */
QV_API qv_status qv_profile_set(qv_profile *profile, const char *key, const char *value,
                                qv_error *err);
/* Every session built from the profile must be freed first. */
QV_API void qv_profile_free(qv_profile *profile);

QV_API qv_status qv_session_new(qv_profile *profile, qv_session **out, qv_error *err);
QV_API void qv_session_free(qv_session *session);

/* Runs sql (NUL-terminated; one or more statements separated by ';'). Every
 * statement but the last runs to completion; *out reads the last one's
 * rows (statements without rows give an empty result with no columns, or
 * DataFusion's one-row "count" for INSERT). Errors carry DataFusion's
 * message text (with its "DataFusion error: " prefix dropped), SQLSTATE and,
 * for SQL errors, line and column. */
QV_API qv_status qv_session_sql(qv_session *session, const char *sql, qv_result **out,
                                qv_error *err);
/* The result's schema (a struct whose children are the columns). */
QV_API qv_status qv_result_schema(qv_result *result, struct ArrowSchema *out, qv_error *err);
/* The next batch as a struct array, moved to the caller. At the end
 * out->release is NULL and QV_OK is returned. */
QV_API qv_status qv_result_next(qv_result *result, struct ArrowArray *out, qv_error *err);
/* Moves the remaining batches into a C stream, which owns them from now on;
 * the result is freed (also on failure). The stream does not borrow the
 * session, but the session must outlive it. */
QV_API qv_status qv_result_to_stream(qv_result *result, struct ArrowArrayStream *out,
                                     qv_error *err);
QV_API void qv_result_free(qv_result *result);

#ifdef __cplusplus
}
#endif

#endif /* QUIVER_H */
