/*
 * compare.c — result rows, sort modes, hashing and the DataFusion validator
 * of quiver-slt (see compare.h).
 */
#include "compare.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <openssl/evp.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char IGNORE_MARKER[] = "<slt:ignore>";

void slt_rows_push(slt_rows *rows, char **cells, size_t n)
{
    if (rows->n == rows->cap) {
        rows->cap = rows->cap < 16 ? 16 : rows->cap * 2;
        rows->rows = slt_xrealloc(rows->rows, rows->cap * sizeof *rows->rows);
    }
    rows->rows[rows->n++] = (slt_row){n, cells};
}

void slt_rows_free(slt_rows *rows)
{
    for (size_t r = 0; r < rows->n; r++) {
        for (size_t c = 0; c < rows->rows[r].n; c++)
            free(rows->rows[r].cells[c]);
        free(rows->rows[r].cells);
    }
    free(rows->rows);
    memset(rows, 0, sizeof *rows);
}

size_t slt_rows_n_values(const slt_rows *rows)
{
    size_t n = 0;
    for (size_t r = 0; r < rows->n; r++)
        n += rows->rows[r].n;
    return n;
}

/* Replaces every occurrence of each root in *cell with WORKSPACE_ROOT. */
static void replace_roots(char **cell, const char *const *roots, size_t n_roots)
{
    for (size_t k = 0; k < n_roots; k++) {
        size_t root_len = strlen(roots[k]);
        if (root_len == 0 || strstr(*cell, roots[k]) == NULL)
            continue;
        slt_buf b = {0};
        const char *p = *cell, *hit;
        while ((hit = strstr(p, roots[k])) != NULL) {
            slt_buf_add(&b, p, (size_t)(hit - p));
            slt_buf_adds(&b, "WORKSPACE_ROOT");
            p = hit + root_len;
        }
        slt_buf_adds(&b, p);
        free(*cell);
        *cell = slt_buf_take(&b);
    }
}

static void push_normalized(slt_rows *rows, char **cells, size_t n, const char *const *roots,
                            size_t n_roots)
{
    for (size_t c = 0; c < n; c++)
        replace_roots(&cells[c], roots, n_roots);
    slt_rows_push(rows, cells, n);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void slt_rows_from_output(const slt_output *out, const char *const *roots, size_t n_roots,
                          slt_rows *rows)
{
    size_t n_cols = out->n_cols;
    for (size_t r = 0; r < out->n_rows; r++) {
        char **cells = slt_xmalloc((n_cols ? n_cols : 1) * sizeof *cells);
        for (size_t c = 0; c < n_cols; c++)
            cells[c] = slt_xstrdup(out->values[r * n_cols + c].text);
        if (n_cols == 0 || strchr(cells[n_cols - 1], '\n') == NULL) {
            push_normalized(rows, cells, n_cols, roots, n_roots);
            continue;
        }
        char *last = cells[n_cols - 1];
        push_normalized(rows, cells, n_cols - 1, roots, n_roots);
        /* Rust's split('\n'): a trailing '\n' yields a last, empty line. */
        size_t line_no = 1;
        const char *p = last;
        for (;;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
            size_t lead = 0;
            while (lead < len && is_space(p[lead]))
                lead++;
            slt_buf b = {0};
            slt_buf_addf(&b, "%02zu)", line_no++);
            for (size_t k = 0; k < lead; k++)
                slt_buf_addc(&b, '-');
            slt_buf_add(&b, p + lead, len - lead);
            char **one = slt_xmalloc(sizeof *one);
            one[0] = slt_buf_take(&b);
            push_normalized(rows, one, 1, roots, n_roots);
            if (nl == NULL)
                break;
            p = nl + 1;
        }
        free(last);
    }
}

static int compare_rows(const void *a, const void *b)
{
    const slt_row *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    for (size_t c = 0; c < n; c++) {
        int cmp = strcmp(x->cells[c], y->cells[c]);
        if (cmp != 0)
            return cmp;
    }
    return x->n < y->n ? -1 : x->n > y->n;
}

void slt_rows_sort(slt_rows *rows, slt_sort sort)
{
    if (rows->n < 2 && sort != SLT_SORT_VALUESORT)
        return; /* also: qsort must not see the NULL array of no rows */
    if (sort == SLT_SORT_ROWSORT) {
        qsort(rows->rows, rows->n, sizeof *rows->rows, compare_rows);
    } else if (sort == SLT_SORT_VALUESORT) {
        slt_rows flat = {0};
        for (size_t r = 0; r < rows->n; r++) {
            for (size_t c = 0; c < rows->rows[r].n; c++) {
                char **one = slt_xmalloc(sizeof *one);
                one[0] = rows->rows[r].cells[c];
                slt_rows_push(&flat, one, 1);
            }
            free(rows->rows[r].cells);
        }
        free(rows->rows);
        *rows = flat;
        if (rows->n > 1)
            qsort(rows->rows, rows->n, sizeof *rows->rows, compare_rows);
    }
}

void slt_rows_md5(const slt_rows *rows, char out[33])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1) {
        fputs("quiver-slt: MD5 is not available\n", stderr);
        exit(2);
    }
    for (size_t r = 0; r < rows->n; r++) {
        for (size_t c = 0; c < rows->rows[r].n; c++) {
            EVP_DigestUpdate(ctx, rows->rows[r].cells[c], strlen(rows->rows[r].cells[c]));
            EVP_DigestUpdate(ctx, "\n", 1);
        }
    }
    EVP_DigestFinal_ex(ctx, digest, &digest_len);
    EVP_MD_CTX_free(ctx);
    for (unsigned int k = 0; k < 16 && k < digest_len; k++)
        snprintf(out + 2 * k, 3, "%02x", digest[k]);
    out[32] = '\0';
}

bool slt_rows_hash(slt_rows *rows, long threshold)
{
    size_t n_values = slt_rows_n_values(rows);
    if (threshold <= 0 || n_values <= (size_t)threshold)
        return false;
    char md5[33];
    slt_rows_md5(rows, md5);
    slt_rows_free(rows);
    slt_buf b = {0};
    slt_buf_addf(&b, "%zu values hashing to %s", n_values, md5);
    char **one = slt_xmalloc(sizeof *one);
    one[0] = slt_buf_take(&b);
    slt_rows_push(rows, one, 1);
    return true;
}

void slt_rows_to_lines(const slt_rows *rows, slt_strv *lines)
{
    for (size_t r = 0; r < rows->n; r++) {
        slt_buf b = {0};
        for (size_t c = 0; c < rows->rows[r].n; c++) {
            if (c > 0)
                slt_buf_addc(&b, ' ');
            slt_buf_adds(&b, rows->rows[r].cells[c]);
        }
        b.len = slt_trim_end_len(slt_buf_cstr(&b), b.len);
        if (b.data != NULL)
            b.data[b.len] = '\0';
        slt_strv_push_owned(lines, slt_buf_take(&b));
    }
}

/* Joins lines with '\n' (expected lines trimmed at the end first when trim). */
static char *snapshot(const slt_strv *lines, bool trim)
{
    slt_buf b = {0};
    for (size_t i = 0; i < lines->n; i++) {
        if (i > 0)
            slt_buf_addc(&b, '\n');
        size_t len = strlen(lines->items[i]);
        slt_buf_add(&b, lines->items[i], trim ? slt_trim_end_len(lines->items[i], len) : len);
    }
    return slt_buf_take(&b);
}

static bool fragments_match(const char *expected, const char *actual)
{
    size_t marker_len = strlen(IGNORE_MARKER);
    size_t pos = 0;
    const char *frag = expected;
    for (size_t i = 0;; i++) {
        const char *next = strstr(frag, IGNORE_MARKER);
        size_t frag_len = next != NULL ? (size_t)(next - frag) : strlen(frag);
        if (frag_len > 0) {
            char *needle = slt_xstrndup(frag, frag_len);
            const char *hit = strstr(actual + pos, needle);
            free(needle);
            if (hit == NULL || (i == 0 && hit != actual + pos))
                return false;
            pos = (size_t)(hit - actual) + frag_len;
        }
        if (next == NULL)
            return true;
        frag = next + marker_len;
    }
}

bool slt_lines_match(const slt_strv *actual, const char *expected)
{
    slt_strv expected_lines = {0};
    slt_split_lines(expected, &expected_lines);
    bool match;
    if (strstr(expected, IGNORE_MARKER) != NULL) {
        char *want = snapshot(&expected_lines, true);
        char *got = snapshot(actual, false);
        match = fragments_match(want, got);
        free(want);
        free(got);
    } else {
        match = actual->n == expected_lines.n;
        for (size_t i = 0; match && i < actual->n; i++) {
            const char *e = expected_lines.items[i];
            size_t e_len = slt_trim_end_len(e, strlen(e));
            match = strlen(actual->items[i]) == e_len && memcmp(actual->items[i], e, e_len) == 0;
        }
    }
    slt_strv_free(&expected_lines);
    return match;
}

static char known_letter(char c)
{
    return strchr("ITRBDP", c) != NULL && c != '\0' ? c : '?';
}

bool slt_types_match(const char *expected, const char *actual)
{
    if (strlen(expected) != strlen(actual))
        return false;
    for (size_t i = 0; expected[i] != '\0'; i++) {
        if (known_letter(expected[i]) != known_letter(actual[i]))
            return false;
    }
    return true;
}

char *slt_error_display(const char *message)
{
    static const char prefix[] = "DataFusion error: ";
    if (strncmp(message, prefix, sizeof prefix - 1) == 0)
        return slt_xstrdup(message);
    slt_buf b = {0};
    slt_buf_adds(&b, prefix);
    slt_buf_adds(&b, message);
    return slt_buf_take(&b);
}

int slt_regex_search(const char *pattern, const char *text, char *errbuf, size_t errbuf_size)
{
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                      PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_INVALID_UTF, &code,
                      &offset, NULL);
    if (re == NULL) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(code, message, sizeof message);
        snprintf(errbuf, errbuf_size, "invalid regex at offset %zu: %s", (size_t)offset,
                 (const char *)message);
        return -1;
    }
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = md != NULL ? pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL) : -1;
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return rc >= 0 ? 1 : 0;
}

static void trimmed(const char *s, const char **start, size_t *len)
{
    while (*s != '\0' && isspace((unsigned char)*s))
        s++;
    *start = s;
    *len = slt_trim_end_len(s, strlen(s));
}

bool slt_error_block_matches(const char *block, const char *text)
{
    const char *a, *b;
    size_t a_len, b_len;
    trimmed(block, &a, &a_len);
    trimmed(text, &b, &b_len);
    return a_len == b_len && memcmp(a, b, a_len) == 0;
}

char *slt_regex_escape(const char *text)
{
    slt_buf b = {0};
    for (const char *p = text; *p != '\0'; p++) {
        if (strchr("\\.+*?()|[]{}^$#&-~", *p) != NULL)
            slt_buf_addc(&b, '\\');
        slt_buf_addc(&b, *p);
    }
    return slt_buf_take(&b);
}
