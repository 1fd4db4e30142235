/*
 * json_int.h — private to the NDJSON files of src/format: a strict JSON
 * parser producing a small tree in an arena.
 */
#ifndef QV_JSON_INT_H
#define QV_JSON_INT_H

#include "format/format.h"

typedef enum json_kind {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_kind;

typedef struct json_value json_value;

struct json_value {
    json_kind kind;
    bool is_i64;      /* NUMBER: an integer that fits Int64 (serde_json is_i64) */
    int64_t i64;      /* NUMBER when is_i64 */
    const char *text; /* NUMBER: the literal; STRING: unescaped UTF-8 (arena) */
    size_t len;
    int32_t n;          /* ARRAY items / OBJECT members */
    json_value **items; /* ARRAY, OBJECT values */
    const char **keys;  /* OBJECT keys (arena, unescaped) */
    size_t *key_lens;
};

/* Parses exactly one JSON value filling s[0..len) (surrounding whitespace
 * allowed). Nodes live in arena. On a syntax error returns false with a
 * serde_json-like reason ("expected value at line 1 column 3") in reason
 * (size n_reason); on allocation failure returns false with *nomem set. */
bool json_parse(const char *s, size_t len, int32_t max_depth, base_arena *arena, json_value **out,
                char *reason, size_t n_reason, bool *nomem);

/* Appends v as compact JSON (for error messages), at most ~limit bytes. */
void json_serialize(const json_value *v, base_strbuf *sb);

#endif /* QV_JSON_INT_H */
