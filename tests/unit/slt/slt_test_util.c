/*
 * slt_test_util.c — helpers for the quiver-slt unit tests (see
 * slt_test_util.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "slt_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slt_util.h"

char *slt_test_tmpdir(void)
{
    const char *tmp = getenv("TMPDIR");
    char templ[512];
    snprintf(templ, sizeof templ, "%s/unit_slt.XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(templ) == NULL)
        return NULL;
    return slt_xstrdup(templ);
}

char *slt_test_write(const char *dir, const char *name, const char *text)
{
    slt_buf path = {0};
    slt_buf_addf(&path, "%s/%s", dir, name);
    FILE *f = fopen(slt_buf_cstr(&path), "wb");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
    return slt_buf_take(&path);
}

char *slt_test_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    slt_buf b = {0};
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        slt_buf_add(&b, chunk, got);
    fclose(f);
    return slt_buf_take(&b);
}

void slt_test_output(slt_output *out, const char *types, size_t n_rows, const char *const *cells)
{
    memset(out, 0, sizeof *out);
    out->n_cols = strlen(types);
    out->types = slt_xstrdup(types);
    out->n_rows = n_rows;
    out->has_rows = !(out->n_cols == 0 && n_rows == 0);
    size_t n = n_rows * out->n_cols;
    out->values = slt_xcalloc(n ? n : 1, sizeof *out->values);
    for (size_t i = 0; i < n; i++) {
        slt_value *v = &out->values[i];
        char letter = types[i % out->n_cols];
        v->text = slt_xstrdup(cells[i]);
        if (strcmp(cells[i], "NULL") == 0) {
            v->kind = SLT_VALUE_NULL;
        } else if (letter == 'I') {
            v->kind = SLT_VALUE_INT;
            v->i = strtoll(cells[i], NULL, 10);
        } else if (letter == 'R') {
            v->kind = SLT_VALUE_FLOAT;
            v->d = strtod(cells[i], NULL);
        } else if (letter == 'B') {
            v->kind = SLT_VALUE_BOOL;
            v->i = strcmp(cells[i], "true") == 0;
        } else if (letter == 'T') {
            v->kind = SLT_VALUE_TEXT;
            v->raw = slt_xstrdup(strcmp(cells[i], "(empty)") == 0 ? "" : cells[i]);
            v->raw_len = strlen(v->raw);
        } else {
            v->kind = SLT_VALUE_OTHER;
        }
    }
}
