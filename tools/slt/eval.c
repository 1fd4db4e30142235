/*
 * eval.c — record judgement, failure descriptions and --complete texts of
 * quiver-slt (see eval.h).
 */
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

void slt_output_free(slt_output *out)
{
    free(out->error);
    free(out->types);
    for (size_t i = 0; i < out->n_rows * out->n_cols; i++) {
        free(out->values[i].text);
        free(out->values[i].raw);
    }
    free(out->values);
    memset(out, 0, sizeof *out);
}

void slt_output_set_error(slt_output *out, const char *message)
{
    memset(out, 0, sizeof *out);
    out->failed = true;
    out->error = slt_xstrdup(message);
}

void slt_verdict_free(slt_verdict *v)
{
    free(v->reason);
    free(v->expected);
    free(v->got);
    free(v->completion);
    memset(v, 0, sizeof *v);
}

static void fail(slt_verdict *v, const char *reason, const char *expected, char *got_owned)
{
    v->passed = false;
    v->reason = slt_xstrdup(reason);
    v->expected = expected != NULL ? slt_xstrdup(expected) : NULL;
    v->got = got_owned;
}

static char *join_lines(const slt_strv *lines)
{
    slt_buf b = {0};
    for (size_t i = 0; i < lines->n; i++) {
        if (i > 0)
            slt_buf_addc(&b, '\n');
        slt_buf_adds(&b, lines->items[i]);
    }
    return slt_buf_take(&b);
}

/* The result lines of a successful output, the record's way. */
static void result_lines(const slt_record *rec, const slt_output *out, const slt_eval_context *ctx,
                         slt_strv *lines, char md5_out[33])
{
    slt_rows rows = {0};
    if (ctx->dialect == SLT_DIALECT_SQLITE) {
        slt_sqlite_rows(out, rec->types != NULL ? rec->types : "", &rows);
        slt_rows_sort(&rows, rec->sort);
        if (md5_out != NULL)
            slt_rows_md5(&rows, md5_out);
        slt_rows_hash(&rows, rec->hash_threshold);
        /* One value per line. */
        for (size_t r = 0; r < rows.n; r++) {
            for (size_t c = 0; c < rows.rows[r].n; c++)
                slt_strv_push(lines, rows.rows[r].cells[c]);
        }
    } else {
        slt_rows_from_output(out, ctx->roots, ctx->n_roots, &rows);
        slt_rows_sort(&rows, rec->sort);
        slt_rows_hash(&rows, rec->hash_threshold);
        slt_rows_to_lines(&rows, lines);
    }
    slt_rows_free(&rows);
}

static bool error_matches(const slt_record *rec, const char *display, char **why)
{
    if (rec->expected == NULL || rec->expected[0] == '\0')
        return true;
    if (rec->error_block)
        return slt_error_block_matches(rec->expected, display);
    char errbuf[300];
    int rc = slt_regex_search(rec->expected, display, errbuf, sizeof errbuf);
    if (rc < 0)
        *why = slt_xstrdup(errbuf);
    return rc == 1;
}

static void eval_error_record(const slt_record *rec, const slt_output *out,
                              const slt_eval_context *ctx, slt_verdict *v)
{
    if (!out->failed) {
        v->passed_lenient = false;
        char *got = slt_xstrdup("(statement complete)");
        if (out->has_rows) {
            /* Shown as DataFusion renders rows, whatever the dialect. */
            slt_rows rows = {0};
            slt_strv lines = {0};
            slt_rows_from_output(out, ctx->roots, ctx->n_roots, &rows);
            slt_rows_to_lines(&rows, &lines);
            free(got);
            got = lines.n > 0 ? join_lines(&lines) : slt_xstrdup("(no rows)");
            slt_strv_free(&lines);
            slt_rows_free(&rows);
        }
        fail(v,
             rec->kind == SLT_QUERY_ERROR ? "query is expected to fail, but succeeded"
                                          : "statement is expected to fail, but succeeded",
             rec->expected, got);
        return;
    }
    v->passed_lenient = true;
    if (ctx->dialect == SLT_DIALECT_SQLITE) {
        v->passed = true;
        return;
    }
    char *display = slt_error_display(out->error);
    char *why = NULL;
    v->passed = error_matches(rec, display, &why);
    if (!v->passed) {
        slt_buf reason = {0};
        slt_buf_adds(&reason, "error message mismatch");
        if (why != NULL)
            slt_buf_addf(&reason, " (%s)", why);
        fail(v, slt_buf_cstr(&reason), rec->expected, slt_xstrdup(display));
        slt_buf_free(&reason);
    }
    free(why);
    free(display);
}

static void eval_query(const slt_record *rec, const slt_output *out, slt_eval_context *ctx,
                       slt_verdict *v)
{
    if (out->failed) {
        fail(v, "query failed", rec->expected, slt_error_display(out->error));
        return;
    }
    const char *types = rec->types != NULL ? rec->types : "";
    if (!out->has_rows && ctx->dialect == SLT_DIALECT_DATAFUSION) {
        /* "statement complete" for a query: fine when no rows are expected. */
        v->passed = rec->expected == NULL || rec->expected[0] == '\0';
        if (!v->passed)
            fail(v, "query result mismatch", rec->expected, slt_xstrdup("(statement complete)"));
        v->passed_lenient = v->passed;
        return;
    }
    if (ctx->dialect == SLT_DIALECT_DATAFUSION && !slt_types_match(types, out->types)) {
        slt_buf got = {0};
        slt_buf_addf(&got, "column types %s", out->types);
        slt_buf want = {0};
        slt_buf_addf(&want, "column types %s", types);
        fail(v, "query column types mismatch", slt_buf_cstr(&want), slt_buf_take(&got));
        slt_buf_free(&want);
        return;
    }
    if (ctx->dialect == SLT_DIALECT_SQLITE && out->has_rows && out->n_cols != strlen(types)) {
        slt_buf got = {0};
        slt_buf_addf(&got, "%zu columns", out->n_cols);
        slt_buf want = {0};
        slt_buf_addf(&want, "%zu columns", strlen(types));
        fail(v, "wrong number of columns", slt_buf_cstr(&want), slt_buf_take(&got));
        slt_buf_free(&want);
        return;
    }
    slt_strv lines = {0};
    char md5[33] = "";
    result_lines(rec, out, ctx, &lines, ctx->dialect == SLT_DIALECT_SQLITE ? md5 : NULL);
    v->passed = slt_lines_match(&lines, rec->expected != NULL ? rec->expected : "");
    if (!v->passed) {
        char *got = lines.n > 0 ? join_lines(&lines) : slt_xstrdup("(no rows)");
        if (rec->hash_threshold > 0 && lines.n == 1 && strstr(got, " values hashing to ")) {
            /* A hash alone does not help: show the values that were hashed. */
            slt_record unhashed = *rec;
            unhashed.hash_threshold = 0;
            slt_strv values = {0};
            result_lines(&unhashed, out, ctx, &values, NULL);
            char *text = join_lines(&values);
            slt_buf b = {0};
            slt_buf_addf(&b, "%s\n-- the values hashed:\n%s", got, text);
            free(text);
            free(got);
            got = slt_buf_take(&b);
            slt_strv_free(&values);
        }
        fail(v, "query result mismatch", rec->expected, got);
    } else if (ctx->dialect == SLT_DIALECT_SQLITE && rec->label != NULL && ctx->labels != NULL) {
        const char *previous = slt_labels_get(ctx->labels, rec->label);
        if (previous != NULL && strcmp(previous, md5) != 0) {
            slt_buf want = {0};
            slt_buf_addf(&want, "label %s hashing to %s", rec->label, previous);
            slt_buf got = {0};
            slt_buf_addf(&got, "hashing to %s", md5);
            fail(v, "label hash mismatch", slt_buf_cstr(&want), slt_buf_take(&got));
            slt_buf_free(&want);
        }
    }
    if (ctx->dialect == SLT_DIALECT_SQLITE && rec->label != NULL && ctx->labels != NULL)
        slt_labels_put(ctx->labels, rec->label, md5);
    slt_strv_free(&lines);
    v->passed_lenient = v->passed;
}

/* ---- --complete: the record's text rewritten from the engine's output ---- */

static void add_error_form(slt_buf *b, const slt_record *rec, const char *kind, const char *display)
{
    const char *start = display;
    while (*start == ' ' || *start == '\n' || *start == '\t')
        start++;
    size_t len = slt_trim_end_len(start, strlen(start));
    char *text = slt_xstrndup(start, len);
    /* Inline only when the header's whitespace tokenisation keeps it intact. */
    bool inline_ok = !rec->error_block && len > 0 && strchr(text, '\n') == NULL &&
                     strchr(text, '\t') == NULL && strstr(text, "  ") == NULL &&
                     len == strlen(display);
    if (inline_ok) {
        char *escaped = slt_regex_escape(text);
        slt_buf_addf(b, "%s error %s\n%s", kind, escaped, rec->sql);
        free(escaped);
    } else {
        /* A multi-line block ends at two empty lines: add one, the record's own
         * terminating empty line is the other. */
        slt_buf_addf(b, "%s error\n%s\n----\n%s\n", kind, rec->sql, text);
    }
    free(text);
}

static char *completion(const slt_record *rec, const slt_output *out, const slt_eval_context *ctx)
{
    slt_buf b = {0};
    bool is_query = rec->kind == SLT_QUERY || rec->kind == SLT_QUERY_ERROR;
    if (out->failed) {
        char *display = slt_error_display(out->error);
        add_error_form(&b, rec, is_query ? "query" : "statement", display);
        free(display);
    } else if (rec->kind == SLT_STATEMENT_COUNT) {
        slt_buf_addf(&b, "statement count %zu\n%s", out->has_rows ? out->n_rows : 0, rec->sql);
    } else if (!is_query || !out->has_rows) {
        slt_buf_addf(&b, "statement ok\n%s", rec->sql);
    } else {
        slt_record as_query = *rec;
        as_query.kind = SLT_QUERY;
        as_query.types = out->types;
        slt_strv lines = {0};
        result_lines(&as_query, out, ctx, &lines, NULL);
        slt_buf_addf(&b, "query %s", out->types);
        if (rec->sort_mode != NULL)
            slt_buf_addf(&b, " %s", rec->sort_mode);
        if (rec->label != NULL)
            slt_buf_addf(&b, " %s", rec->label);
        slt_buf_addf(&b, "\n%s\n----", rec->sql);
        for (size_t i = 0; i < lines.n; i++) {
            /* A result line must not be empty: it would end the block. */
            slt_buf_addf(&b, "\n%s", lines.items[i][0] != '\0' ? lines.items[i] : " ");
        }
        slt_strv_free(&lines);
    }
    return slt_buf_take(&b);
}

void slt_eval(const slt_record *rec, const slt_output *out, slt_eval_context *ctx, slt_verdict *v)
{
    memset(v, 0, sizeof *v);
    switch (rec->kind) {
    case SLT_STATEMENT_OK:
        v->passed = !out->failed;
        if (!v->passed)
            fail(v, "statement failed", NULL, slt_error_display(out->error));
        v->passed_lenient = v->passed;
        break;
    case SLT_STATEMENT_COUNT:
        if (out->failed) {
            fail(v, "statement failed", NULL, slt_error_display(out->error));
        } else {
            size_t count = out->has_rows ? out->n_rows : 0;
            v->passed = (long)count == rec->count;
            if (!v->passed) {
                slt_buf want = {0}, got = {0};
                slt_buf_addf(&want, "count %ld", rec->count);
                slt_buf_addf(&got, "count %zu", count);
                fail(v, "statement count mismatch", slt_buf_cstr(&want), slt_buf_take(&got));
                slt_buf_free(&want);
            }
        }
        v->passed_lenient = v->passed;
        break;
    case SLT_STATEMENT_ERROR:
    case SLT_QUERY_ERROR:
        eval_error_record(rec, out, ctx, v);
        break;
    case SLT_QUERY:
        eval_query(rec, out, ctx, v);
        break;
    }
    if (!v->passed && ctx->want_completion && ctx->dialect == SLT_DIALECT_DATAFUSION)
        v->completion = completion(rec, out, ctx);
}

void slt_eval_skipped(const slt_record *rec, slt_eval_context *ctx)
{
    if (ctx->dialect != SLT_DIALECT_SQLITE || rec->kind != SLT_QUERY || rec->label == NULL ||
        ctx->labels == NULL || slt_labels_get(ctx->labels, rec->label) != NULL)
        return;
    char md5[33];
    slt_sqlite_expected_hash(rec->expected != NULL ? rec->expected : "", md5);
    slt_labels_put(ctx->labels, rec->label, md5);
}

static void add_block(slt_buf *b, const char *title, const char *text, size_t max_lines)
{
    slt_buf_addf(b, "    %s", title);
    if (text == NULL || text[0] == '\0') {
        slt_buf_adds(b, " (nothing)\n");
        return;
    }
    slt_buf_addc(b, '\n');
    size_t n = 0;
    const char *p = text;
    while (*p != '\0' || n == 0) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        if (n == max_lines) {
            size_t rest = 1;
            for (const char *q = p; *q != '\0'; q++)
                rest += *q == '\n';
            slt_buf_addf(b, "        ... (%zu more lines)\n", rest);
            return;
        }
        slt_buf_adds(b, "        ");
        slt_buf_add(b, p, len);
        slt_buf_addc(b, '\n');
        n++;
        if (nl == NULL)
            break;
        p = nl + 1;
    }
}

char *slt_verdict_describe(const slt_record *rec, const slt_verdict *v, size_t max_lines)
{
    slt_buf b = {0};
    slt_buf_addf(&b, "  %s:%d: %s\n", rec->path, rec->line, v->reason ? v->reason : "failed");
    add_block(&b, "sql:", rec->sql, max_lines);
    if (v->expected != NULL)
        add_block(&b, "expected:", v->expected, max_lines);
    if (v->got != NULL)
        add_block(&b, "got:", v->got, max_lines);
    return slt_buf_take(&b);
}
