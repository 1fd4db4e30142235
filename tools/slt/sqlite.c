/*
 * sqlite.c — SQLite-dialect value rendering and label registry of
 * quiver-slt (see sqlite.h). Mirrors SQLite's sqllogictest.c + slt_sqlite.c
 * as described in conformance/sqlite/README.md.
 */
#include "sqlite.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SQLite's integer-prefix conversion of text (sqlite3Atoi64 without the
 * error code): leading spaces, a sign, digits; saturates. */
static int64_t text_to_int(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    bool negative = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    uint64_t value = 0;
    bool overflow = false;
    for (; isdigit((unsigned char)*s); s++) {
        unsigned digit = (unsigned)(*s - '0');
        if (value > (UINT64_MAX - digit) / 10)
            overflow = true;
        else
            value = value * 10 + digit;
    }
    if (negative)
        return overflow || value > (uint64_t)INT64_MAX + 1 ? INT64_MIN : (int64_t)(0 - value);
    return overflow || value > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)value;
}

/* SQLite's doubleToInt64: truncation toward zero, saturating. */
static int64_t double_to_int(double d)
{
    if (isnan(d))
        return 0;
    if (d <= (double)INT64_MIN)
        return INT64_MIN;
    if (d >= (double)INT64_MAX)
        return INT64_MAX;
    return (int64_t)d;
}

static int64_t as_int64(const slt_value *v)
{
    switch (v->kind) {
    case SLT_VALUE_INT:
    case SLT_VALUE_BOOL:
        return v->i;
    case SLT_VALUE_FLOAT:
    case SLT_VALUE_DECIMAL:
        return double_to_int(v->d);
    case SLT_VALUE_TEXT:
        return text_to_int(v->raw);
    default:
        return text_to_int(v->text);
    }
}

static double as_double(const slt_value *v)
{
    switch (v->kind) {
    case SLT_VALUE_INT:
    case SLT_VALUE_BOOL:
        return (double)v->i;
    case SLT_VALUE_FLOAT:
    case SLT_VALUE_DECIMAL:
        return v->d;
    case SLT_VALUE_TEXT:
        return strtod(v->raw, NULL);
    default:
        return strtod(v->text, NULL);
    }
}

/* SQLite's "%!.15g": like %.15g but a real always shows a decimal point. */
static void format_real(double d, char *buf, size_t size)
{
    if (isinf(d)) {
        snprintf(buf, size, d > 0 ? "Inf" : "-Inf");
        return;
    }
    char tmp[40]; /* %.15g needs at most 23 bytes */
    snprintf(tmp, sizeof tmp, "%.15g", d);
    char *e = strchr(tmp, 'e');
    if (strchr(tmp, '.') != NULL || isnan(d)) {
        snprintf(buf, size, "%s", tmp);
    } else if (e != NULL) {
        snprintf(buf, size, "%.*s.0%s", (int)(e - tmp), tmp, e);
    } else {
        snprintf(buf, size, "%s.0", tmp);
    }
}

char *slt_sqlite_render(const slt_value *v, char letter)
{
    if (v->kind == SLT_VALUE_NULL)
        return slt_xstrdup("NULL");
    char buf[64];
    if (letter == 'I') {
        /* sqlite3_column_int keeps the low 32 bits of the 64-bit value. */
        int32_t low = (int32_t)(uint32_t)(uint64_t)as_int64(v);
        snprintf(buf, sizeof buf, "%d", (int)low);
        return slt_xstrdup(buf);
    }
    if (letter == 'R') {
        snprintf(buf, sizeof buf, "%.3f", as_double(v));
        return slt_xstrdup(buf);
    }
    const char *text;
    switch (v->kind) {
    case SLT_VALUE_TEXT:
        text = v->raw;
        break;
    case SLT_VALUE_INT:
    case SLT_VALUE_BOOL:
        snprintf(buf, sizeof buf, "%lld", (long long)v->i);
        text = buf;
        break;
    case SLT_VALUE_FLOAT:
        format_real(v->d, buf, sizeof buf);
        text = buf;
        break;
    default:
        text = v->text;
        break;
    }
    if (text[0] == '\0')
        return slt_xstrdup("(empty)");
    char *out = slt_xstrdup(text);
    for (char *p = out; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E)
            *p = '@';
    }
    return out;
}

void slt_sqlite_rows(const slt_output *out, const char *types, slt_rows *rows)
{
    size_t n_cols = out->n_cols;
    for (size_t r = 0; r < out->n_rows; r++) {
        char **cells = slt_xmalloc((n_cols ? n_cols : 1) * sizeof *cells);
        for (size_t c = 0; c < n_cols; c++)
            cells[c] = slt_sqlite_render(&out->values[r * n_cols + c], types[c]);
        slt_rows_push(rows, cells, n_cols);
    }
}

const char *slt_labels_get(const slt_labels *labels, const char *label)
{
    for (size_t i = 0; i < labels->names.n; i++) {
        if (strcmp(labels->names.items[i], label) == 0)
            return labels->hashes.items[i];
    }
    return NULL;
}

void slt_labels_put(slt_labels *labels, const char *label, const char *md5)
{
    if (slt_labels_get(labels, label) != NULL)
        return;
    slt_strv_push(&labels->names, label);
    slt_strv_push(&labels->hashes, md5);
}

void slt_labels_free(slt_labels *labels)
{
    slt_strv_free(&labels->names);
    slt_strv_free(&labels->hashes);
}

void slt_sqlite_expected_hash(const char *expected, char out[33])
{
    const char *marker = strstr(expected, " values hashing to ");
    if (marker != NULL && strchr(expected, '\n') == NULL) {
        const char *hash = marker + strlen(" values hashing to ");
        snprintf(out, 33, "%.32s", hash);
        return;
    }
    slt_strv lines = {0};
    slt_split_lines(expected, &lines);
    slt_rows rows = {0};
    for (size_t i = 0; i < lines.n; i++) {
        char **one = slt_xmalloc(sizeof *one);
        one[0] = slt_xstrdup(lines.items[i]);
        slt_rows_push(&rows, one, 1);
    }
    slt_rows_md5(&rows, out);
    slt_rows_free(&rows);
    slt_strv_free(&lines);
}
