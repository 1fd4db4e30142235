/*
 * json_tokenizer.c — a small, strict JSON parser for NDJSON lines
 * (layer: format).
 *
 * RFC 8259 exactly: no comments, no trailing commas, no NaN, numbers in the
 * JSON grammar only; strings must be valid UTF-8 without raw control bytes;
 * \uXXXX escapes combine surrogate pairs and reject lone surrogates (as
 * serde_json does); nesting is limited by max_depth so hostile input cannot
 * exhaust the stack. Nodes are bump-allocated from an arena freed per batch.
 */
#include <stdio.h>
#include <string.h>

#include "format/json_int.h"

typedef struct parser {
    const char *s;
    size_t len, pos;
    int32_t max_depth;
    base_arena *arena;
    char *reason;
    size_t n_reason;
    bool nomem;
} parser;

static bool fail(parser *p, const char *what)
{
    snprintf(p->reason, p->n_reason, "%s at line 1 column %zu", what, p->pos + 1);
    return false;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static json_value *new_node(parser *p, json_kind kind)
{
    json_value *v = base_arena_calloc(p->arena, sizeof *v);
    if (v == NULL)
        p->nomem = true;
    else
        v->kind = kind;
    return v;
}

static int hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* At the opening quote; fills *out / *out_len with the unescaped string. */
static bool parse_string(parser *p, const char **out, size_t *out_len)
{
    size_t start = ++p->pos;
    /* Fast path: no escapes. */
    size_t i = start;
    while (i < p->len && p->s[i] != '"' && p->s[i] != '\\' && (unsigned char)p->s[i] >= 0x20)
        i++;
    if (i < p->len && p->s[i] == '"') {
        size_t valid = fmt_utf8_valid_prefix((const uint8_t *)p->s + start, i - start);
        if (valid != i - start) {
            p->pos = start + valid;
            return fail(p, "invalid unicode code point");
        }
        *out = p->s + start;
        *out_len = i - start;
        p->pos = i + 1;
        return true;
    }
    /* Slow path: unescape into the arena (never longer than the input). */
    char *buf = base_arena_alloc(p->arena, p->len - start + 1);
    if (buf == NULL) {
        p->nomem = true;
        return false;
    }
    size_t n = 0;
    i = start;
    for (;;) {
        if (i >= p->len) {
            p->pos = i;
            return fail(p, "EOF while parsing a string");
        }
        unsigned char c = (unsigned char)p->s[i];
        if (c == '"')
            break;
        if (c < 0x20) {
            p->pos = i;
            return fail(p, "control character (\\u0000-\\u001F) found while parsing a string");
        }
        if (c != '\\') {
            size_t run = i;
            while (i < p->len && p->s[i] != '"' && p->s[i] != '\\' &&
                   (unsigned char)p->s[i] >= 0x20)
                i++;
            size_t valid = fmt_utf8_valid_prefix((const uint8_t *)p->s + run, i - run);
            if (valid != i - run) {
                p->pos = run + valid;
                return fail(p, "invalid unicode code point");
            }
            memcpy(buf + n, p->s + run, i - run);
            n += i - run;
            continue;
        }
        if (i + 1 >= p->len) {
            p->pos = i + 1;
            return fail(p, "EOF while parsing a string");
        }
        char e = p->s[i + 1];
        i += 2;
        switch (e) {
        case '"':
            buf[n++] = '"';
            break;
        case '\\':
            buf[n++] = '\\';
            break;
        case '/':
            buf[n++] = '/';
            break;
        case 'b':
            buf[n++] = '\b';
            break;
        case 'f':
            buf[n++] = '\f';
            break;
        case 'n':
            buf[n++] = '\n';
            break;
        case 'r':
            buf[n++] = '\r';
            break;
        case 't':
            buf[n++] = '\t';
            break;
        case 'u': {
            int cp = i + 4 <= p->len ? hex4(p->s + i) : -1;
            if (cp < 0) {
                p->pos = i;
                return fail(p, "invalid escape");
            }
            i += 4;
            uint32_t code = (uint32_t)cp;
            if (code >= 0xDC00 && code <= 0xDFFF) {
                p->pos = i;
                return fail(p, "lone leading surrogate in hex escape");
            }
            if (code >= 0xD800 && code <= 0xDBFF) {
                int lo = (i + 6 <= p->len && p->s[i] == '\\' && p->s[i + 1] == 'u')
                             ? hex4(p->s + i + 2)
                             : -1;
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    p->pos = i;
                    return fail(p, "unexpected end of hex escape");
                }
                i += 6;
                code = 0x10000 + ((code - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            }
            /* a \u escape is at most 6 input bytes for 3 output bytes, and a
             * pair 12 bytes for 4: the buffer cannot overflow */
            n += put_utf8(buf + n, code);
            break;
        }
        default:
            p->pos = i - 1;
            return fail(p, "invalid escape");
        }
    }
    buf[n] = 0;
    *out = buf;
    *out_len = n;
    p->pos = i + 1;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool parse_number(parser *p, json_value *v)
{
    size_t start = p->pos, i = p->pos;
    if (i < p->len && p->s[i] == '-')
        i++;
    if (i >= p->len || !is_digit(p->s[i])) {
        p->pos = i;
        return fail(p, "invalid number");
    }
    if (p->s[i] == '0')
        i++;
    else
        while (i < p->len && is_digit(p->s[i]))
            i++;
    bool integer = true;
    if (i < p->len && p->s[i] == '.') {
        integer = false;
        i++;
        if (i >= p->len || !is_digit(p->s[i])) {
            p->pos = i;
            return fail(p, "invalid number");
        }
        while (i < p->len && is_digit(p->s[i]))
            i++;
    }
    if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        integer = false;
        i++;
        if (i < p->len && (p->s[i] == '+' || p->s[i] == '-'))
            i++;
        if (i >= p->len || !is_digit(p->s[i])) {
            p->pos = i;
            return fail(p, "invalid number");
        }
        while (i < p->len && is_digit(p->s[i]))
            i++;
    }
    v->text = p->s + start;
    v->len = i - start;
    v->is_i64 = integer && fmt_parse_int(v->text, v->len, INT64_MIN, INT64_MAX, &v->i64);
    p->pos = i;
    return true;
}

static bool parse_value(parser *p, int32_t depth, json_value **out);

/* Growable arrays of children, copied into the arena when complete. */
typedef struct child_vec {
    json_value **items;
    const char **keys;
    size_t *key_lens;
    int32_t n, cap;
} child_vec;

static bool child_push(parser *p, child_vec *cv, json_value *v, const char *key, size_t key_len)
{
    if (cv->n == cv->cap) {
        int32_t cap = cv->cap ? cv->cap * 2 : 8;
        json_value **items = base_arena_alloc(p->arena, (size_t)cap * sizeof *items);
        const char **keys = base_arena_alloc(p->arena, (size_t)cap * sizeof *keys);
        size_t *lens = base_arena_alloc(p->arena, (size_t)cap * sizeof *lens);
        if (items == NULL || keys == NULL || lens == NULL) {
            p->nomem = true;
            return false;
        }
        if (cv->n) {
            memcpy(items, cv->items, (size_t)cv->n * sizeof *items);
            memcpy(keys, cv->keys, (size_t)cv->n * sizeof *keys);
            memcpy(lens, cv->key_lens, (size_t)cv->n * sizeof *lens);
        }
        cv->items = items;
        cv->keys = keys;
        cv->key_lens = lens;
        cv->cap = cap;
    }
    cv->items[cv->n] = v;
    cv->keys[cv->n] = key;
    cv->key_lens[cv->n] = key_len;
    cv->n++;
    return true;
}

static bool parse_container(parser *p, int32_t depth, bool object, json_value **out)
{
    if (depth >= p->max_depth)
        return fail(p, "recursion limit exceeded");
    json_value *v = new_node(p, object ? JSON_OBJECT : JSON_ARRAY);
    if (v == NULL)
        return false;
    char close = object ? '}' : ']';
    child_vec cv = {NULL, NULL, NULL, 0, 0};
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        *out = v;
        return true;
    }
    for (;;) {
        const char *key = NULL;
        size_t key_len = 0;
        skip_ws(p);
        if (object) {
            if (p->pos >= p->len)
                return fail(p, "EOF while parsing an object");
            if (p->s[p->pos] != '"')
                return fail(p, "key must be a string");
            if (!parse_string(p, &key, &key_len))
                return false;
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':')
                return fail(p, "expected `:`");
            p->pos++;
        }
        json_value *child;
        if (!parse_value(p, depth + 1, &child))
            return false;
        if (!child_push(p, &cv, child, key, key_len))
            return false;
        skip_ws(p);
        if (p->pos >= p->len)
            return fail(p, object ? "EOF while parsing an object" : "EOF while parsing a list");
        char c = p->s[p->pos];
        if (c == ',') {
            p->pos++;
            continue;
        }
        if (c == close) {
            p->pos++;
            break;
        }
        return fail(p, object ? "expected `,` or `}`" : "expected `,` or `]`");
    }
    v->n = cv.n;
    v->items = cv.items;
    if (object) {
        v->keys = cv.keys;
        v->key_lens = cv.key_lens;
    }
    *out = v;
    return true;
}

static bool literal(parser *p, const char *word, json_kind kind, json_value **out)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return fail(p, "expected value");
    p->pos += n;
    *out = new_node(p, kind);
    return *out != NULL;
}

static bool parse_value(parser *p, int32_t depth, json_value **out)
{
    skip_ws(p);
    if (p->pos >= p->len)
        return fail(p, "EOF while parsing a value");
    char c = p->s[p->pos];
    switch (c) {
    case '{':
        return parse_container(p, depth, true, out);
    case '[':
        return parse_container(p, depth, false, out);
    case '"': {
        json_value *v = new_node(p, JSON_STRING);
        if (v == NULL)
            return false;
        if (!parse_string(p, &v->text, &v->len))
            return false;
        *out = v;
        return true;
    }
    case 't':
        return literal(p, "true", JSON_TRUE, out);
    case 'f':
        return literal(p, "false", JSON_FALSE, out);
    case 'n':
        return literal(p, "null", JSON_NULL, out);
    default:
        if (c == '-' || is_digit(c)) {
            json_value *v = new_node(p, JSON_NUMBER);
            if (v == NULL)
                return false;
            if (!parse_number(p, v))
                return false;
            *out = v;
            return true;
        }
        return fail(p, "expected value");
    }
}

bool json_parse(const char *s, size_t len, int32_t max_depth, base_arena *arena, json_value **out,
                char *reason, size_t n_reason, bool *nomem)
{
    parser p = {s, len, 0, max_depth > 0 ? max_depth : 64, arena, reason, n_reason, false};
    *nomem = false;
    reason[0] = 0;
    bool ok = parse_value(&p, 0, out);
    if (ok) {
        skip_ws(&p);
        if (p.pos != len)
            ok = fail(&p, "trailing characters");
    }
    *nomem = p.nomem;
    return ok;
}

static void serialize_string(const char *s, size_t n, base_strbuf *sb)
{
    base_strbuf_append_char(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            base_strbuf_append_char(sb, '\\');
            base_strbuf_append_char(sb, (char)c);
        } else if (c < 0x20) {
            base_strbuf_appendf(sb, "\\u%04x", c);
        } else {
            base_strbuf_append_char(sb, (char)c);
        }
    }
    base_strbuf_append_char(sb, '"');
}

void json_serialize(const json_value *v, base_strbuf *sb)
{
    switch (v->kind) {
    case JSON_NULL:
        base_strbuf_append_str(sb, "null");
        break;
    case JSON_TRUE:
        base_strbuf_append_str(sb, "true");
        break;
    case JSON_FALSE:
        base_strbuf_append_str(sb, "false");
        break;
    case JSON_NUMBER:
        base_strbuf_append(sb, v->text, v->len);
        break;
    case JSON_STRING:
        serialize_string(v->text, v->len, sb);
        break;
    case JSON_ARRAY:
        base_strbuf_append_char(sb, '[');
        for (int32_t i = 0; i < v->n; i++) {
            if (i)
                base_strbuf_append_char(sb, ',');
            json_serialize(v->items[i], sb);
        }
        base_strbuf_append_char(sb, ']');
        break;
    case JSON_OBJECT:
        base_strbuf_append_char(sb, '{');
        for (int32_t i = 0; i < v->n; i++) {
            if (i)
                base_strbuf_append_char(sb, ',');
            serialize_string(v->keys[i], v->key_lens[i], sb);
            base_strbuf_append_char(sb, ':');
            json_serialize(v->items[i], sb);
        }
        base_strbuf_append_char(sb, '}');
        break;
    }
}
