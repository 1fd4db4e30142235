/*
 * strbuf.c — growable NUL-terminated strings with sticky failure (layer: base).
 */
#include <stdio.h>
#include <string.h>

#include "base.h"

void base_strbuf_init(base_strbuf *sb)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = false;
}

void base_strbuf_free(base_strbuf *sb)
{
    base_free(sb->data);
    base_strbuf_init(sb);
}

void base_strbuf_clear(base_strbuf *sb)
{
    sb->len = 0;
    sb->failed = false;
    if (sb->data != NULL)
        sb->data[0] = '\0';
}

bool base_strbuf_reserve(base_strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (extra > SIZE_MAX / 2 - sb->len) {
        sb->failed = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap < 64 ? 64 : sb->cap;
    while (cap < need)
        cap *= 2;
    char *grown = base_realloc(sb->data, cap);
    if (grown == NULL) {
        sb->failed = true;
        return false;
    }
    sb->data = grown;
    sb->cap = cap;
    return true;
}

void base_strbuf_append(base_strbuf *sb, const char *data, size_t len)
{
    if (!base_strbuf_reserve(sb, len))
        return;
    if (len > 0)
        memcpy(sb->data + sb->len, data, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void base_strbuf_append_str(base_strbuf *sb, const char *s) { base_strbuf_append(sb, s, strlen(s)); }

void base_strbuf_append_char(base_strbuf *sb, char c) { base_strbuf_append(sb, &c, 1); }

void base_strbuf_appendv(base_strbuf *sb, const char *fmt, va_list args)
{
    if (sb->failed)
        return;
    va_list copy;
    va_copy(copy, args);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        sb->failed = true;
        return;
    }
    if (!base_strbuf_reserve(sb, (size_t)n))
        return;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, args);
    sb->len += (size_t)n;
}

void base_strbuf_appendf(base_strbuf *sb, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    base_strbuf_appendv(sb, fmt, args);
    va_end(args);
}

char *base_strbuf_take(base_strbuf *sb)
{
    if (sb->failed) {
        base_strbuf_free(sb);
        return NULL;
    }
    if (sb->data == NULL && !base_strbuf_reserve(sb, 0)) {
        base_strbuf_free(sb);
        return NULL;
    }
    char *data = sb->data;
    data[sb->len] = '\0';
    base_strbuf_init(sb);
    return data;
}

const char *base_strbuf_cstr(const base_strbuf *sb) { return sb->data == NULL ? "" : sb->data; }
