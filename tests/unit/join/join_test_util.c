/*
 * join_test_util.c — see join_test_util.h. The SortExec tests' helpers
 * (and through them the selection tests' random arrays) are compiled in:
 * test executables are built per folder.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, in the sort helpers */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sort/sort_test_util.c"
#include "join_test_util.h"

static void jt_fail(const char *what, const qv_error *err)
{
    fprintf(stderr, "join test helper failed: %s: %s\n", what, err != NULL ? err->message : "");
    abort();
}

/* ---- tables ---- */

arrow_schema *jt_schema(const jt_table *t, const char *prefix)
{
    qv_error err;
    arrow_field *fields[JT_MAX_KEYS + 1];
    int n = 0;
    char name[32];
    for (int k = 0; k < t->n_keys; k++) {
        snprintf(name, sizeof name, "%sk%d", prefix, k);
        arrow_type *type = arrow_type_primitive(t->key_utf8[k] ? QV_TYPE_UTF8 : QV_TYPE_INT64);
        if (arrow_field_new(name, type, true, NULL, &fields[n++], &err) != QV_OK)
            jt_fail("field", &err);
    }
    snprintf(name, sizeof name, "%sv", prefix);
    if (arrow_field_new(name, arrow_type_primitive(QV_TYPE_INT64), false, NULL, &fields[n++],
                        &err) != QV_OK)
        jt_fail("field", &err);
    arrow_schema *schema;
    if (arrow_schema_new(n, fields, NULL, &schema, &err) != QV_OK)
        jt_fail("schema", &err);
    for (int i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    return schema;
}

static void append_cell(arrow_builder *b, bool utf8, const jt_cell *c)
{
    qv_error err;
    qv_status st;
    if (c->null)
        st = arrow_builder_append_null(b, &err);
    else if (utf8)
        st = arrow_builder_append_bytes(b, c->s, (int64_t)strlen(c->s), &err);
    else
        st = arrow_builder_append_int(b, c->i, &err);
    if (st != QV_OK)
        jt_fail("append", &err);
}

/* A batch of rows[0..n); with `sliced` built one row longer and sliced. */
static arrow_batch *make_batch(const jt_table *t, arrow_schema *schema, const int *rows, int n,
                               bool sliced)
{
    qv_error err;
    int n_cols = t->n_keys + 1;
    arrow_array *cols[JT_MAX_KEYS + 1];
    static const jt_cell dummy = {.null = false, .i = 12345, .s = "dummy"};
    for (int c = 0; c < n_cols; c++) {
        arrow_builder *b;
        if (arrow_builder_new(schema->fields[c]->type, &b, &err) != QV_OK)
            jt_fail("builder", &err);
        bool utf8 = c < t->n_keys && t->key_utf8[c];
        if (sliced)
            append_cell(b, utf8, &dummy);
        for (int i = 0; i < n; i++) {
            if (c < t->n_keys) {
                append_cell(b, utf8, &t->keys[c][rows[i]]);
            } else if (arrow_builder_append_int(b, t->v[rows[i]], &err) != QV_OK) {
                jt_fail("append", &err);
            }
        }
        if (arrow_builder_finish(b, &cols[c], &err) != QV_OK)
            jt_fail("finish", &err);
        arrow_builder_free(b);
    }
    arrow_batch *batch;
    if (arrow_batch_new(schema, n + (sliced ? 1 : 0), cols, &batch, &err) != QV_OK)
        jt_fail("batch", &err);
    for (int c = 0; c < n_cols; c++)
        arrow_array_release(cols[c]);
    if (sliced) {
        arrow_batch *s;
        if (arrow_batch_slice(batch, 1, n, &s, &err) != QV_OK)
            jt_fail("slice", &err);
        arrow_batch_release(batch);
        batch = s;
    }
    return batch;
}

exec_node *jt_source(const jt_table *t, const char *prefix, int n_parts, int max_batch,
                     uint64_t *rng)
{
    arrow_schema *schema = jt_schema(t, prefix);
    int rows[4][JT_MAX_ROWS];
    int counts[4] = {0};
    for (int r = 0; r < t->n_rows; r++) {
        int p = (int)t_rand_below(rng, n_parts);
        rows[p][counts[p]++] = r;
    }
    arrow_batch **batches[4];
    int64_t n_batches[4];
    for (int p = 0; p < n_parts; p++) {
        batches[p] = calloc((size_t)counts[p] + 1, sizeof *batches[p]);
        n_batches[p] = 0;
        for (int start = 0; start < counts[p];) {
            int n = 1 + (int)t_rand_below(rng, max_batch);
            if (n > counts[p] - start)
                n = counts[p] - start;
            bool sliced = t_rand_below(rng, 2) == 0;
            batches[p][n_batches[p]++] = make_batch(t, schema, rows[p] + start, n, sliced);
            start += n;
        }
    }
    exec_node *node = t_source_new(schema, n_parts, batches, n_batches);
    for (int p = 0; p < n_parts; p++) {
        for (int64_t b = 0; b < n_batches[p]; b++)
            arrow_batch_release(batches[p][b]);
        free(batches[p]);
    }
    arrow_schema_release(schema);
    return node;
}

void jt_cell_text(const jt_table *t, int key, const jt_cell *c, base_strbuf *sb)
{
    if (c->null)
        base_strbuf_append_str(sb, "NULL");
    else if (t->key_utf8[key])
        base_strbuf_append_str(sb, c->s);
    else
        base_strbuf_appendf(sb, "%lld", (long long)c->i);
}

/* ---- expressions ---- */

static plan_expr *new_expr(jt_exprs *x, plan_expr_kind kind, arrow_type_id type)
{
    if (x->n == (int)(sizeof x->items / sizeof x->items[0]))
        jt_fail("too many expressions", NULL);
    plan_expr *e = calloc(1, sizeof *e);
    e->kind = kind;
    e->type = arrow_type_primitive(type);
    e->nullable = true;
    x->items[x->n++] = e;
    return e;
}

plan_expr *jt_col(jt_exprs *x, int32_t column, arrow_type_id type)
{
    plan_expr *e = new_expr(x, PLAN_EXPR_COLUMN, type);
    e->column = column;
    return e;
}

plan_expr *jt_i64(jt_exprs *x, int64_t value)
{
    qv_error err;
    plan_expr *e = new_expr(x, PLAN_EXPR_LITERAL, QV_TYPE_INT64);
    arrow_builder *b;
    if (arrow_builder_new(e->type, &b, &err) != QV_OK ||
        arrow_builder_append_int(b, value, &err) != QV_OK ||
        arrow_builder_finish(b, &e->value, &err) != QV_OK)
        jt_fail("literal", &err);
    arrow_builder_free(b);
    x->values[x->n_values++] = e->value;
    return e;
}

plan_expr *jt_bin(jt_exprs *x, plan_binary_op op, plan_expr *a, plan_expr *b)
{
    bool arith = op >= PLAN_OP_ADD && op <= PLAN_OP_MOD;
    plan_expr *e = new_expr(x, PLAN_EXPR_BINARY, arith ? a->type->id : QV_TYPE_BOOLEAN);
    e->op = op;
    e->n_args = 2;
    e->args = calloc(2, sizeof *e->args);
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

void jt_exprs_free(jt_exprs *x)
{
    for (int i = 0; i < x->n; i++) {
        free(x->items[i]->args);
        free(x->items[i]);
    }
    for (int i = 0; i < x->n_values; i++)
        arrow_array_release(x->values[i]);
    x->n = x->n_values = 0;
}

/* ---- running ---- */

typedef struct line_list {
    pthread_mutex_t lock;
    char **lines;
    int64_t n, cap;
    int64_t batch_size;
    bool too_big;
} line_list;

static void add_rows(line_list *list, arrow_batch *batch)
{
    if (batch->n_rows > list->batch_size)
        list->too_big = true;
    for (int64_t i = 0; i < batch->n_rows; i++) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        for (int32_t c = 0; c < batch->schema->n_fields; c++) {
            char *text = t_format(batch->columns[c], i);
            base_strbuf_appendf(&sb, "%s%s", c > 0 ? "|" : "", text);
            base_free(text);
        }
        base_strbuf_append_char(&sb, '\n');
        if (list->n == list->cap) {
            list->cap = list->cap ? list->cap * 2 : 64;
            list->lines = realloc(list->lines, (size_t)list->cap * sizeof *list->lines);
        }
        list->lines[list->n++] = base_strbuf_take(&sb);
    }
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *jt_sorted_lines(char **lines, int64_t n)
{
    if (n > 0)
        qsort(lines, (size_t)n, sizeof *lines, cmp_lines);
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "");
    for (int64_t i = 0; i < n; i++)
        base_strbuf_append_str(&sb, lines[i]);
    return base_strbuf_take(&sb);
}

static char *finish_lines(line_list *list, qv_status st, qv_error *err)
{
    char *text = NULL;
    if (st == QV_OK && list->too_big)
        st = base_error_set(err, QV_ERROR, "an output batch has more than %lld rows",
                            (long long)list->batch_size);
    if (st == QV_OK)
        text = jt_sorted_lines(list->lines, list->n);
    for (int64_t i = 0; i < list->n; i++)
        base_free(list->lines[i]);
    free(list->lines);
    pthread_mutex_destroy(&list->lock);
    return text;
}

char *jt_run(exec_node *node, exec_ctx *ctx, qv_error *err)
{
    line_list list = {.batch_size = ctx->batch_size};
    pthread_mutex_init(&list.lock, NULL);
    qv_status st = QV_OK;
    for (int32_t p = 0; p < node->n_partitions && st == QV_OK; p++) {
        arrow_batch **batches;
        int64_t n;
        st = exec_collect_partition(node, ctx, p, &batches, &n, err);
        if (st != QV_OK)
            break;
        for (int64_t b = 0; b < n; b++)
            add_rows(&list, batches[b]);
        exec_batches_free(batches, n);
    }
    return finish_lines(&list, st, err);
}

static qv_status consume(void *user, int32_t partition, arrow_batch *batch, qv_error *err)
{
    (void)partition;
    (void)err;
    line_list *list = user;
    pthread_mutex_lock(&list->lock);
    add_rows(list, batch);
    pthread_mutex_unlock(&list->lock);
    return QV_OK;
}

char *jt_run_parallel(exec_node *node, exec_ctx *ctx, qv_error *err)
{
    line_list list = {.batch_size = ctx->batch_size};
    pthread_mutex_init(&list.lock, NULL);
    qv_status st = exec_consume_partitions(node, ctx, consume, &list, err);
    return finish_lines(&list, st, err);
}
