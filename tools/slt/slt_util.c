/*
 * slt_util.c — allocation, strings and clock helpers of quiver-slt (see
 * slt_util.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "slt_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void out_of_memory(void)
{
    fputs("quiver-slt: out of memory\n", stderr);
    exit(2);
}

void *slt_xmalloc(size_t size)
{
    void *p = malloc(size == 0 ? 1 : size);
    if (p == NULL)
        out_of_memory();
    return p;
}

void *slt_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);
    if (p == NULL)
        out_of_memory();
    return p;
}

void *slt_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size == 0 ? 1 : size);
    if (p == NULL)
        out_of_memory();
    return p;
}

char *slt_xstrndup(const char *s, size_t len)
{
    char *copy = slt_xmalloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *slt_xstrdup(const char *s)
{
    return slt_xstrndup(s, strlen(s));
}

static void buf_reserve(slt_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = slt_xrealloc(b->data, cap);
    b->cap = cap;
}

void slt_buf_add(slt_buf *b, const char *data, size_t len)
{
    buf_reserve(b, len);
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void slt_buf_adds(slt_buf *b, const char *s)
{
    slt_buf_add(b, s, strlen(s));
}

void slt_buf_addc(slt_buf *b, char c)
{
    slt_buf_add(b, &c, 1);
}

void slt_buf_addf(slt_buf *b, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    va_list copy;
    va_copy(copy, args);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n > 0) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, args);
        b->len += (size_t)n;
    }
    va_end(args);
}

const char *slt_buf_cstr(const slt_buf *b)
{
    return b->data != NULL ? b->data : "";
}

char *slt_buf_take(slt_buf *b)
{
    char *s = b->data != NULL ? b->data : slt_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void slt_buf_free(slt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void slt_strv_push_owned(slt_strv *v, char *s)
{
    if (v->n == v->cap) {
        v->cap = v->cap < 16 ? 16 : v->cap * 2;
        v->items = slt_xrealloc(v->items, v->cap * sizeof *v->items);
    }
    v->items[v->n++] = s;
}

void slt_strv_push(slt_strv *v, const char *s)
{
    slt_strv_push_owned(v, slt_xstrdup(s));
}

void slt_strv_free(slt_strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->n = v->cap = 0;
}

void slt_split_lines(const char *text, slt_strv *out)
{
    const char *p = text;
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        slt_strv_push_owned(out, slt_xstrndup(p, len));
        if (nl == NULL)
            break;
        p = nl + 1;
    }
}

size_t slt_trim_end_len(const char *s, size_t len)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
                       s[len - 1] == '\r' || s[len - 1] == '\v' || s[len - 1] == '\f'))
        len--;
    return len;
}

double slt_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
