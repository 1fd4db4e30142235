/*
 * regex_int.h — private interface between the regex functions (regex.c)
 * and the PCRE2 compilation layer (regex_compile.c) (layer: func). PCRE2
 * types stay opaque here so that only regex_compile.c includes pcre2.h.
 */
#ifndef QV_FUNC_REGEX_INT_H
#define QV_FUNC_REGEX_INT_H

#include "func/func_int.h"

#define REGEX_CACHE_SIZE 8

typedef struct regex_entry {
    uint8_t *pattern; /* owned copy, the cache key with options */
    int64_t len;
    uint32_t options;
    uint64_t last_use;
    void *code;  /* pcre2_code * */
    void *match; /* pcre2_match_data * */
} regex_entry;

/* Compiled patterns of one kernel call, least recently used out. */
typedef struct regex_cache {
    regex_entry entries[REGEX_CACHE_SIZE];
    uint64_t clock;
} regex_cache;

void regex_cache_init(regex_cache *c);
void regex_cache_free(regex_cache *c);
/* The compiled form of pattern with Rust-style flags (i, m, s, x, U; u, R
 * and g are accepted and ignored). The entry is owned by the cache and valid
 * until the next regex_cache_get. QV_EXECUTION with DataFusion's "Arrow
 * error: Compute error: Regular expression did not compile: ..." texts. */
qv_status regex_cache_get(regex_cache *c, const uint8_t *pattern, int64_t len, const uint8_t *flags,
                          int64_t flags_len, bool case_insensitive, regex_entry **out,
                          qv_error *err);
/* Searches s[start..len); returns > 0 on a match (*m_start, *m_end byte
 * offsets into s), 0 when none, -1 on a matching error. */
int regex_find(regex_entry *e, const uint8_t *s, int64_t len, int64_t start, int64_t *m_start,
               int64_t *m_end);
/* Capture group `group` of the last match; false when it did not take part. */
bool regex_group(regex_entry *e, int group, int64_t *g_start, int64_t *g_end);
int regex_group_count(const regex_entry *e);
/* The number of a named group, or -1. */
int regex_group_by_name(const regex_entry *e, const char *name);

#endif /* QV_FUNC_REGEX_INT_H */
