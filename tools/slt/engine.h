/*
 * engine.h — what quiver-slt needs from a SQL engine: open a fresh session,
 * run one SQL text, get back either an error message or the result's column
 * type letters and its cells already rendered. The runner only talks to an
 * engine through slt_engine, so its process handling and comparison can be
 * tested with a fake engine (tests/unit/slt) while Quiver's (engine_quiver.c)
 * is the one the program uses.
 */
#ifndef QV_SLT_ENGINE_H
#define QV_SLT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a cell holds, for renderings other than DataFusion's (SQLite's
 * type-letter-driven one needs the number behind the text). */
typedef enum slt_value_kind {
    SLT_VALUE_NULL,
    SLT_VALUE_INT,     /* signed or unsigned integer: i (unsigned above INT64_MAX wraps) */
    SLT_VALUE_FLOAT,   /* Float16/32/64: d */
    SLT_VALUE_DECIMAL, /* Decimal128/256: d (approximate) */
    SLT_VALUE_BOOL,    /* i is 0 or 1 */
    SLT_VALUE_TEXT,    /* raw holds the string's bytes */
    SLT_VALUE_OTHER,   /* only text is meaningful */
} slt_value_kind;

typedef struct slt_value {
    slt_value_kind kind;
    char *text; /* DataFusion's sqllogictest rendering ("NULL" for nulls); owned */
    char *raw;  /* SLT_VALUE_TEXT: the raw bytes, NUL-terminated; owned, else NULL */
    size_t raw_len;
    int64_t i;
    double d;
} slt_value;

/* The outcome of one SQL text. */
typedef struct slt_output {
    bool failed;   /* the engine returned an error */
    char *error;   /* failed: the message as qv_error holds it (DataFusion's
                      Display text without "DataFusion error: "); owned */
    bool has_rows; /* false: "statement complete" (no columns and no rows) */
    size_t n_cols;
    char *types; /* n_cols type letters (I R T B D P ?), NUL-terminated; owned */
    size_t n_rows;
    slt_value *values; /* n_rows * n_cols, row-major; owned */
} slt_output;

/* Frees what an output owns and zeroes it; a zeroed output is a no-op. */
void slt_output_free(slt_output *out);

/* Sets out to a failure with a copy of message (out must be zeroed or freed). */
void slt_output_set_error(slt_output *out, const char *message);

/* Settings a session starts with. */
typedef struct slt_engine_config {
    const char *const *settings; /* "key=value" pairs, applied as configuration defaults */
    size_t n_settings;
    /* Also apply the runner's own defaults (DataFusion's runner sets
     * target_partitions = 4); failures to apply these are ignored. */
    bool runner_defaults;
} slt_engine_config;

typedef struct slt_engine {
    const char *name;
    /* A fresh session (fresh catalog). On failure returns NULL and writes a
     * message to errbuf. Called in the child process only. */
    void *(*open)(const slt_engine_config *config, char *errbuf, size_t errbuf_size);
    /* Runs one SQL text; fills *out (zeroed by the caller). Never fails
     * otherwise: engine errors go into out->failed / out->error. */
    void (*exec)(void *session, const char *sql, slt_output *out);
    /* Frees the session (NULL is a no-op). */
    void (*close)(void *session);
} slt_engine;

/* Quiver, through the public API of include/quiver.h (engine_quiver.c). */
extern const slt_engine slt_quiver_engine;

#endif /* QV_SLT_ENGINE_H */
