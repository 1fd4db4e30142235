/*
 * group_test_util.c — see group_test_util.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group_test_util.h"

static void die(const char *what, const qv_error *err)
{
    fprintf(stderr, "test helper failed: %s: %s\n", what, err ? err->message : "");
    abort();
}

#define MUST(expr, what)                                                                           \
    do {                                                                                           \
        if ((expr) != QV_OK)                                                                       \
            die(what, &err);                                                                       \
    } while (0)

static arrow_array *finish(arrow_builder *b)
{
    qv_error err;
    arrow_array *a;
    MUST(arrow_builder_finish(b, &a, &err), "finish");
    arrow_builder_free(b);
    return a;
}

static arrow_builder *builder(arrow_type *t)
{
    qv_error err;
    arrow_builder *b;
    MUST(arrow_builder_new(t, &b, &err), "builder");
    return b;
}

arrow_array *gt_int(arrow_type_id id, int64_t n, const int64_t *values)
{
    arrow_builder *b = builder(arrow_type_primitive(id));
    qv_error err;
    for (int64_t i = 0; i < n; i++)
        MUST(values[i] == GT_NULL ? arrow_builder_append_null(b, &err)
                                  : arrow_builder_append_int(b, values[i], &err),
             "append int");
    return finish(b);
}

arrow_array *gt_f64(int64_t n, const double *values)
{
    arrow_builder *b = builder(arrow_type_primitive(QV_TYPE_FLOAT64));
    qv_error err;
    for (int64_t i = 0; i < n; i++)
        MUST(arrow_builder_append_double(b, values[i], &err), "append double");
    return finish(b);
}

arrow_array *gt_str(arrow_type_id id, int64_t n, const char *const *values)
{
    arrow_builder *b = builder(arrow_type_primitive(id));
    qv_error err;
    for (int64_t i = 0; i < n; i++)
        MUST(values[i] == NULL
                 ? arrow_builder_append_null(b, &err)
                 : arrow_builder_append_bytes(b, values[i], (int64_t)strlen(values[i]), &err),
             "append bytes");
    return finish(b);
}

arrow_array *gt_bool(int64_t n, const int *values)
{
    arrow_builder *b = builder(arrow_type_primitive(QV_TYPE_BOOLEAN));
    qv_error err;
    for (int64_t i = 0; i < n; i++)
        MUST(values[i] < 0 ? arrow_builder_append_null(b, &err)
                           : arrow_builder_append_bool(b, values[i] != 0, &err),
             "append bool");
    return finish(b);
}

arrow_batch *gt_batch(int32_t n_cols, arrow_array **columns)
{
    qv_error err;
    arrow_field *fields[16];
    for (int32_t c = 0; c < n_cols; c++) {
        char name[16];
        snprintf(name, sizeof name, "c%d", (int)c);
        MUST(arrow_field_new(name, columns[c]->type, true, NULL, &fields[c], &err), "field");
    }
    arrow_schema *schema;
    MUST(arrow_schema_new(n_cols, fields, NULL, &schema, &err), "schema");
    arrow_batch *batch;
    MUST(arrow_batch_new(schema, n_cols > 0 ? columns[0]->length : 0, columns, &batch, &err),
         "batch");
    for (int32_t c = 0; c < n_cols; c++) {
        arrow_field_release(fields[c]);
        arrow_array_release(columns[c]);
    }
    arrow_schema_release(schema);
    return batch;
}

/* ---- the source operator ---- */

typedef struct source_state {
    arrow_batch *batch;
    int64_t chunk;
} source_state;

typedef struct source_stream {
    exec_stream base;
    source_state *state;
    int32_t n_partitions;
    int64_t next_slice; /* index of the next slice this partition yields */
} source_stream;

static qv_status source_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    source_stream *s = (source_stream *)stream;
    *out = NULL;
    int64_t start = s->next_slice * s->state->chunk;
    if (start >= s->state->batch->n_rows)
        return QV_OK;
    int64_t len = s->state->batch->n_rows - start;
    if (len > s->state->chunk)
        len = s->state->chunk;
    s->next_slice += s->n_partitions;
    return arrow_batch_slice(s->state->batch, start, len, out, err);
}

static void source_stream_free(exec_stream *stream)
{
    free(stream);
}

static qv_status source_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                             qv_error *err)
{
    (void)ctx;
    (void)err;
    source_stream *s = calloc(1, sizeof *s);
    s->base.next = source_next;
    s->base.free = source_stream_free;
    s->state = node->state;
    s->n_partitions = node->n_partitions;
    s->next_slice = partition;
    *out = &s->base;
    return QV_OK;
}

static void source_free_state(exec_node *node)
{
    source_state *st = node->state;
    arrow_batch_release(st->batch);
    free(st);
}

static const exec_node_ops source_ops = {
    .name = "TestSourceExec",
    .open = source_open,
    .describe = NULL,
    .free_state = source_free_state,
};

qv_status gt_source_new(arrow_batch *batch, int32_t n_partitions, int64_t chunk, exec_node **out,
                        qv_error *err)
{
    source_state *st = calloc(1, sizeof *st);
    st->batch = arrow_batch_retain(batch);
    st->chunk = chunk;
    qv_status status =
        exec_node_new(&source_ops, batch->schema, n_partitions, 0, NULL, st, out, err);
    if (status != QV_OK)
        source_free_state(&(exec_node){.state = st});
    return status;
}

exec_node *gt_source(arrow_batch *batch, int32_t n_partitions, int64_t chunk)
{
    qv_error err;
    exec_node *node;
    MUST(gt_source_new(batch, n_partitions, chunk, &node, &err), "source node");
    return node;
}

/* ---- test accumulators ---- */

typedef enum gt_kind { GT_COUNT_KIND, GT_SUM_KIND, GT_FIRST_KIND } gt_kind;

typedef struct gt_state {
    func_agg_state base;
    gt_kind kind;
    int64_t cap;
    int64_t *vals;
    uint8_t *has;    /* sum: saw a value; first: saw a row */
    uint8_t *isnull; /* first: the first row was null */
} gt_state;

static qv_status grow(gt_state *s, int64_t n_groups, qv_error *err)
{
    if (n_groups <= s->cap)
        return QV_OK;
    int64_t cap = s->cap < 16 ? 16 : s->cap;
    while (cap < n_groups)
        cap *= 2;
    int64_t *vals = base_realloc(s->vals, (size_t)cap * 8);
    if (vals == NULL)
        return base_error_nomem(err, "test state");
    s->vals = vals;
    uint8_t *has = base_realloc(s->has, (size_t)cap);
    if (has == NULL)
        return base_error_nomem(err, "test state");
    s->has = has;
    uint8_t *isnull = base_realloc(s->isnull, (size_t)cap);
    if (isnull == NULL)
        return base_error_nomem(err, "test state");
    s->isnull = isnull;
    memset(s->vals + s->cap, 0, (size_t)(cap - s->cap) * 8);
    memset(s->has + s->cap, 0, (size_t)(cap - s->cap));
    memset(s->isnull + s->cap, 0, (size_t)(cap - s->cap));
    s->cap = cap;
    return QV_OK;
}

static int64_t value_at(const arrow_array *a, int64_t i, bool *valid)
{
    *valid = arrow_array_is_valid(a, i);
    if (a->type->id == QV_TYPE_NULL)
        return 0;
    return ((const int64_t *)arrow_array_values(a))[a->offset + i];
}

static qv_status gt_update(func_agg_state *state, const func_datum *args, const uint32_t *group_ids,
                           const uint8_t *rows_selected, int64_t n_rows, int64_t n_groups,
                           qv_error *err)
{
    gt_state *s = (gt_state *)state;
    QV_TRY(grow(s, n_groups, err));
    for (int64_t r = 0; r < n_rows; r++) {
        if (rows_selected != NULL && !rows_selected[r])
            continue;
        uint32_t g = group_ids[r];
        if (g >= n_groups)
            return base_error_set(err, QV_ERROR, "group id %u out of range", g);
        bool valid;
        int64_t v = value_at(args[0].array, args[0].is_scalar ? 0 : r, &valid);
        switch (s->kind) {
        case GT_COUNT_KIND:
            s->vals[g] += valid;
            break;
        case GT_SUM_KIND:
            if (valid) {
                s->vals[g] = (int64_t)((uint64_t)s->vals[g] + (uint64_t)v);
                s->has[g] = 1;
            }
            break;
        case GT_FIRST_KIND:
            if (!s->has[g]) {
                s->has[g] = 1;
                s->isnull[g] = !valid;
                s->vals[g] = v;
            }
            break;
        }
    }
    return QV_OK;
}

static qv_status gt_merge(func_agg_state *state, arrow_array *const *states,
                          const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                          qv_error *err)
{
    gt_state *s = (gt_state *)state;
    QV_TRY(grow(s, n_groups, err));
    for (int64_t r = 0; r < n_rows; r++) {
        uint32_t g = group_ids[r];
        bool valid;
        int64_t v = value_at(states[0], r, &valid);
        switch (s->kind) {
        case GT_COUNT_KIND:
            s->vals[g] += v;
            break;
        case GT_SUM_KIND:
            if (valid) {
                s->vals[g] = (int64_t)((uint64_t)s->vals[g] + (uint64_t)v);
                s->has[g] = 1;
            }
            break;
        case GT_FIRST_KIND: {
            const arrow_array *set = states[1];
            bool was_set = arrow_bit_get(arrow_array_values(set), set->offset + r);
            if (!s->has[g] && was_set) {
                s->has[g] = 1;
                s->isnull[g] = !valid;
                s->vals[g] = v;
            }
            break;
        }
        }
    }
    return QV_OK;
}

/* The Int64 column of the state; nulls where has is 0 (sum) or has is 0 or
 * isnull (first); count is never null. */
static qv_status values_array(gt_state *s, int64_t n_groups, arrow_array **out, qv_error *err)
{
    QV_TRY(grow(s, n_groups, err));
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &b, err));
    qv_status st = QV_OK;
    for (int64_t g = 0; g < n_groups && st == QV_OK; g++) {
        bool null = s->kind == GT_SUM_KIND     ? !s->has[g]
                    : s->kind == GT_FIRST_KIND ? !s->has[g] || s->isnull[g]
                                               : false;
        st =
            null ? arrow_builder_append_null(b, err) : arrow_builder_append_int(b, s->vals[g], err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

static qv_status gt_emit_state(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                               qv_error *err)
{
    gt_state *s = (gt_state *)state;
    QV_TRY(values_array(s, n_groups, &states_out[0], err));
    if (s->kind != GT_FIRST_KIND)
        return QV_OK;
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, err);
    for (int64_t g = 0; g < n_groups && st == QV_OK; g++)
        st = arrow_builder_append_bool(b, s->has[g] != 0, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &states_out[1], err);
    arrow_builder_free(b);
    if (st != QV_OK) {
        arrow_array_release(states_out[0]);
        states_out[0] = NULL;
    }
    return st;
}

static qv_status gt_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                             qv_error *err)
{
    return values_array((gt_state *)state, n_groups, out, err);
}

static int64_t gt_memory(const func_agg_state *state)
{
    const gt_state *s = (const gt_state *)state;
    return (int64_t)sizeof *s + s->cap * 10;
}

static void gt_free(func_agg_state *state)
{
    gt_state *s = (gt_state *)state;
    base_free(s->vals);
    base_free(s->has);
    base_free(s->isnull);
    base_free(s);
}

static const func_agg_ops gt_ops = {gt_update, gt_merge, gt_emit_state, gt_evaluate,
                                    gt_memory, gt_free,  NULL};

static qv_status gt_return_type(int n_args, arrow_type *const *arg_types, arrow_type **out,
                                qv_error *err)
{
    (void)n_args;
    (void)arg_types;
    (void)err;
    *out = arrow_type_primitive(QV_TYPE_INT64);
    return QV_OK;
}

static qv_status gt_state_schema(const func_agg_call *call, arrow_schema **out, qv_error *err)
{
    bool first = call->entry == &gt_first_entry;
    arrow_field *fields[2] = {NULL, NULL};
    QV_TRY(
        arrow_field_new("value", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &fields[0], err));
    qv_status st = QV_OK;
    if (first)
        st = arrow_field_new("is_set", arrow_type_primitive(QV_TYPE_BOOLEAN), false, NULL,
                             &fields[1], err);
    if (st == QV_OK)
        st = arrow_schema_new(first ? 2 : 1, fields, NULL, out, err);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return st;
}

static qv_status gt_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    gt_state *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "test state");
    s->base.ops = &gt_ops;
    s->kind = call->entry == &gt_count_entry ? GT_COUNT_KIND
              : call->entry == &gt_sum_entry ? GT_SUM_KIND
                                             : GT_FIRST_KIND;
    *out = &s->base;
    return QV_OK;
}

static const func_agg_impl gt_impl = {gt_return_type, gt_state_schema, gt_create};

const func_entry gt_count_entry = {
    .name = "count", .kind = FUNC_AGGREGATE, .impl = {.aggregate = &gt_impl}};
const func_entry gt_sum_entry = {
    .name = "sum", .kind = FUNC_AGGREGATE, .impl = {.aggregate = &gt_impl}};
const func_entry gt_first_entry = {
    .name = "first_value", .kind = FUNC_AGGREGATE, .impl = {.aggregate = &gt_impl}};

void gt_agg_init(gt_agg *agg, const func_entry *entry, int32_t arg_col, int64_t literal,
                 const char *name)
{
    memset(agg, 0, sizeof *agg);
    agg->arg_types[0] = arrow_type_primitive(QV_TYPE_INT64);
    agg->arg_columns[0] = arg_col;
    if (arg_col < 0)
        agg->literals[0] = gt_int(QV_TYPE_INT64, 1, &literal);
    agg->spec.call.entry = entry;
    agg->spec.call.n_args = 1;
    agg->spec.call.arg_types = agg->arg_types;
    agg->spec.call.literals = agg->literals;
    agg->spec.call.return_type = arrow_type_primitive(QV_TYPE_INT64);
    agg->spec.n_args = 1;
    agg->spec.arg_columns = agg->arg_columns;
    agg->spec.filter_column = -1;
    agg->spec.name = name;
}

void gt_agg_clear(gt_agg *agg)
{
    arrow_array_release(agg->literals[0]);
    agg->literals[0] = NULL;
}

void gt_ctx_init(exec_ctx *ctx, base_thread_pool *pool, base_mem_pool *mem_pool, int64_t batch_size)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->pool = pool;
    ctx->mem_pool = mem_pool;
    ctx->spill_dir = "/tmp";
    ctx->batch_size = batch_size;
    ctx->target_partitions = 2;
    ctx->call.random_state = 1;
    atomic_init(&ctx->cancelled, false);
}

/* ---- formatting ---- */

char *gt_strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = malloc(len);
    memcpy(copy, s, len);
    return copy;
}

const char *gt_fmt(const arrow_array *array, int64_t i)
{
    static char text[1024];
    qv_error err;
    base_strbuf sb;
    base_strbuf_init(&sb);
    if (arrow_format_value(array, i, &sb, &err) != QV_OK)
        snprintf(text, sizeof text, "ERROR(%.900s)", err.message);
    else
        snprintf(text, sizeof text, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return text;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

qv_status gt_run(exec_node *node, exec_ctx *ctx, char **out, qv_error *err)
{
    *out = NULL;
    arrow_batch **batches = NULL;
    int64_t n_batches = 0;
    QV_TRY(exec_collect_partition(node, ctx, 0, &batches, &n_batches, err));
    int64_t n_rows = 0;
    for (int64_t b = 0; b < n_batches; b++)
        n_rows += batches[b]->n_rows;
    char **rows = calloc((size_t)n_rows + 1, sizeof *rows);
    int64_t r = 0;
    qv_status st = QV_OK;
    for (int64_t b = 0; b < n_batches && st == QV_OK; b++) {
        if (batches[b]->n_rows > ctx->batch_size)
            st = base_error_set(err, QV_ERROR, "batch of %lld rows", (long long)batches[b]->n_rows);
        for (int64_t i = 0; i < batches[b]->n_rows && st == QV_OK; i++) {
            base_strbuf sb;
            base_strbuf_init(&sb);
            for (int32_t c = 0; c < batches[b]->schema->n_fields && st == QV_OK; c++) {
                if (c > 0)
                    base_strbuf_append_char(&sb, '|');
                st = arrow_format_value(batches[b]->columns[c], i, &sb, err);
            }
            if (st == QV_OK && base_strbuf_failed(&sb))
                st = base_error_nomem(err, "row text");
            if (st == QV_OK && sb.data == NULL)
                base_strbuf_append_str(&sb, "");
            rows[r] = st == QV_OK ? base_strbuf_take(&sb) : NULL;
            if (st == QV_OK && rows[r] == NULL)
                st = base_error_nomem(err, "row text");
            if (st != QV_OK)
                base_strbuf_free(&sb);
            else
                r++;
        }
    }
    base_strbuf all;
    base_strbuf_init(&all);
    if (st == QV_OK) {
        qsort(rows, (size_t)r, sizeof *rows, cmp_str);
        base_strbuf_append_str(&all, "");
        for (int64_t i = 0; i < r; i++) {
            if (i > 0)
                base_strbuf_append_str(&all, ", ");
            base_strbuf_append_str(&all, rows[i]);
        }
    }
    for (int64_t i = 0; i < r; i++)
        base_free(rows[i]);
    free(rows);
    exec_batches_free(batches, n_batches);
    if (st == QV_OK) {
        *out = base_strbuf_take(&all);
        if (*out == NULL)
            st = base_error_nomem(err, "result text");
    }
    base_strbuf_free(&all);
    return st;
}
