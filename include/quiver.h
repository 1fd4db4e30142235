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

#ifdef __cplusplus
}
#endif

#endif /* QUIVER_H */
