/*
 * slt_util.h — small helpers shared by the quiver-slt tool (tools/slt):
 * allocation that aborts on failure (a test tool has nothing better to do
 * when memory runs out), a growable string, a string vector, a clock.
 * Everything here uses the C library allocator, not base_alloc: the tool's
 * own memory must not disturb the engine's allocation counters.
 */
#ifndef QV_SLT_UTIL_H
#define QV_SLT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* malloc / calloc / realloc / strdup that print a message and exit(2) on
 * failure, so they never return NULL. Free with free(). */
void *slt_xmalloc(size_t size);
void *slt_xcalloc(size_t count, size_t size);
void *slt_xrealloc(void *ptr, size_t size);
char *slt_xstrdup(const char *s);
char *slt_xstrndup(const char *s, size_t len);

/* A growable NUL-terminated byte string; zero-initialise ({0}) to start.
 * data is NULL until the first append; slt_buf_cstr never returns NULL. */
typedef struct slt_buf {
    char *data;
    size_t len;
    size_t cap;
} slt_buf;

void slt_buf_add(slt_buf *b, const char *data, size_t len);
void slt_buf_adds(slt_buf *b, const char *s);
void slt_buf_addc(slt_buf *b, char c);
void slt_buf_addf(slt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *slt_buf_cstr(const slt_buf *b);
/* Hands the string to the caller (free with free(); "" when nothing was
 * appended) and resets the buffer. */
char *slt_buf_take(slt_buf *b);
void slt_buf_free(slt_buf *b);

/* A vector of owned strings; zero-initialise to start. */
typedef struct slt_strv {
    char **items;
    size_t n;
    size_t cap;
} slt_strv;

/* Appends a copy of s. */
void slt_strv_push(slt_strv *v, const char *s);
/* Appends s itself (takes ownership of a malloc'd string). */
void slt_strv_push_owned(slt_strv *v, char *s);
void slt_strv_free(slt_strv *v);

/* Splits text at '\n' into lines (copies; a trailing "\n" does not make an
 * extra empty line, "" gives no lines). */
void slt_split_lines(const char *text, slt_strv *out);

/* Length of s without trailing whitespace (Rust's str::trim_end: spaces,
 * tabs, CR, LF, VT, FF). */
size_t slt_trim_end_len(const char *s, size_t len);

/* Seconds on a monotonic clock. */
double slt_now(void);

#endif /* QV_SLT_UTIL_H */
