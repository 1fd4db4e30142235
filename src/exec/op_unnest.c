/*
 * op_unnest.c — UnnestExec (layer: exec): list columns taken apart into
 * rows, several at once and to several depths, as DataFusion does it:
 * level by level from the deepest, each level unnesting every column that
 * still has levels to go, zipped to the longest list of the row (shorter
 * lists padded with NULLs, NULL or empty lists giving no rows unless
 * preserve_nulls), the other columns repeated. Each level is one gather
 * (func_take) per column. Streams keep the child's partitioning.
 */
#include <string.h>

#include "exec/exec.h"
#include "func/select.h"

typedef struct unnest_state {
    int32_t n_specs;
    plan_unnest_list *specs; /* owned copy */
    int32_t max_depth;
    bool preserve_nulls;
} unnest_state;

typedef struct unnest_stream {
    exec_unary_stream base;
    const unnest_state *state;
    arrow_schema *schema; /* borrowed from the node */
} unnest_stream;

/* Items [*start, *start + *len) of list row `row`; false when the row is
 * null (or the array has the Null type). */
static bool list_row(const arrow_array *a, int64_t row, int64_t *start, int64_t *len)
{
    *start = *len = 0;
    if (a->type->id == QV_TYPE_NULL || !arrow_array_is_valid(a, row))
        return false;
    int64_t j = a->offset + row;
    switch (a->type->id) {
    case QV_TYPE_LIST: {
        const int32_t *o = (const int32_t *)arrow_array_values(a);
        *start = o[j];
        *len = o[j + 1] - o[j];
        return true;
    }
    case QV_TYPE_LARGE_LIST: {
        const int64_t *o = (const int64_t *)arrow_array_values(a);
        *start = o[j];
        *len = o[j + 1] - o[j];
        return true;
    }
    case QV_TYPE_FIXED_SIZE_LIST:
        *start = j * a->type->fixed_size;
        *len = a->type->fixed_size;
        return true;
    default:
        return false;
    }
}

/* The list's items, row r padded with NULLs to lengths[r] items. */
static qv_status unnest_list(const arrow_array *a, int64_t n_rows, const int64_t *lengths,
                             int64_t total, arrow_array **out, qv_error *err)
{
    uint32_t *indices = base_alloc((size_t)(total > 0 ? total : 1) * sizeof *indices);
    if (indices == NULL)
        return base_error_nomem(err, "unnest");
    int64_t k = 0;
    for (int64_t r = 0; r < n_rows; r++) {
        int64_t start, len;
        list_row(a, r, &start, &len);
        for (int64_t i = 0; i < len; i++)
            indices[k++] = (uint32_t)(start + i);
        for (int64_t i = len; i < lengths[r]; i++)
            indices[k++] = UINT32_MAX;
    }
    qv_status st;
    if (a->type->id == QV_TYPE_NULL)
        st = arrow_array_new_null(a->type, total, out, err);
    else
        st = func_take(a->children[0], indices, total, out, err);
    base_free(indices);
    return st;
}

/* One level: every spec with depth >= level is unnested once (from the
 * column at its own depth, from its earlier result below it); the columns
 * later levels or the output still need are repeated. false in *rows_left
 * when the level yields no rows. */
static qv_status unnest_level(const unnest_state *u, int32_t level, arrow_array **cols,
                              int32_t n_cols, arrow_array **temp, int64_t *n_rows, qv_error *err)
{
    int64_t rows = *n_rows;
    int64_t *lengths = base_calloc((size_t)(rows > 0 ? rows : 1), sizeof *lengths);
    uint32_t *repeat = NULL;
    if (lengths == NULL)
        return base_error_nomem(err, "unnest");
    for (int32_t k = 0; k < u->n_specs; k++) {
        if (u->specs[k].depth < level)
            continue;
        const arrow_array *a = u->specs[k].depth == level ? cols[u->specs[k].column] : temp[k];
        for (int64_t r = 0; r < rows; r++) {
            int64_t start, len;
            if (!list_row(a, r, &start, &len) && u->preserve_nulls)
                len = 1;
            if (len > lengths[r])
                lengths[r] = len;
        }
    }
    int64_t total = 0;
    for (int64_t r = 0; r < rows; r++)
        total += lengths[r];
    qv_status st = QV_OK;
    if (total >= (int64_t)UINT32_MAX)
        st = base_error_set(err, QV_LIMIT,
                            "Execution error: Total unnested length %lld exceeds maximum "
                            "supported size",
                            (long long)total);
    for (int32_t k = 0; k < u->n_specs && st == QV_OK && total > 0; k++) {
        if (u->specs[k].depth < level)
            continue;
        const arrow_array *a = u->specs[k].depth == level ? cols[u->specs[k].column] : temp[k];
        arrow_array *next = NULL;
        st = unnest_list(a, rows, lengths, total, &next, err);
        arrow_array_release(temp[k]);
        temp[k] = next;
    }
    if (st == QV_OK && total > 0) {
        repeat = base_alloc((size_t)total * sizeof *repeat);
        if (repeat == NULL)
            st = base_error_nomem(err, "unnest");
        int64_t i = 0;
        for (int64_t r = 0; repeat != NULL && r < rows; r++)
            for (int64_t c = 0; c < lengths[r]; c++)
                repeat[i++] = (uint32_t)r;
    }
    for (int32_t j = 0; j < n_cols && st == QV_OK && total > 0; j++) {
        bool involved = false, later = false;
        for (int32_t k = 0; k < u->n_specs; k++)
            if (u->specs[k].column == j) {
                involved = true;
                later |= u->specs[k].depth < level;
            }
        arrow_array *next = NULL;
        if (cols[j] != NULL && (later || !involved))
            st = func_take(cols[j], repeat, total, &next, err);
        arrow_array_release(cols[j]);
        cols[j] = next;
    }
    base_free(repeat);
    base_free(lengths);
    *n_rows = total;
    return st;
}

/* The unnested rows of one input batch; *out NULL when there are none. */
static qv_status unnest_batch(const unnest_state *u, arrow_schema *schema, arrow_batch *in,
                              arrow_batch **out, qv_error *err)
{
    *out = NULL;
    int32_t n_cols = in->schema->n_fields;
    arrow_array **cols = base_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *cols);
    arrow_array **temp = base_calloc((size_t)(u->n_specs > 0 ? u->n_specs : 1), sizeof *temp);
    arrow_array **outs =
        base_calloc((size_t)(schema->n_fields > 0 ? schema->n_fields : 1), sizeof *outs);
    qv_status st = cols && temp && outs ? QV_OK : base_error_nomem(err, "unnest");
    for (int32_t j = 0; j < n_cols && st == QV_OK; j++)
        cols[j] = arrow_array_retain(in->columns[j]);
    int64_t rows = in->n_rows;
    for (int32_t level = u->max_depth; level >= 1 && st == QV_OK && rows > 0; level--)
        st = unnest_level(u, level, cols, n_cols, temp, &rows, err);
    if (st == QV_OK && rows > 0) {
        int32_t o = 0;
        for (int32_t j = 0; j < n_cols; j++) {
            bool unnested = false;
            for (int32_t k = 0; k < u->n_specs; k++)
                if (u->specs[k].column == j) {
                    outs[o++] = temp[k];
                    unnested = true;
                }
            if (!unnested)
                outs[o++] = cols[j];
        }
        st = arrow_batch_new(schema, rows, outs, out, err);
    }
    for (int32_t j = 0; cols != NULL && j < n_cols; j++)
        arrow_array_release(cols[j]);
    for (int32_t k = 0; temp != NULL && k < u->n_specs; k++)
        arrow_array_release(temp[k]);
    base_free(cols);
    base_free(temp);
    base_free(outs);
    return st;
}

static qv_status stream_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    unnest_stream *s = (unnest_stream *)stream;
    *out = NULL;
    for (;;) {
        arrow_batch *in = NULL;
        QV_TRY(s->base.child->next(s->base.child, &in, err));
        if (in == NULL)
            return QV_OK;
        qv_status st = unnest_batch(s->state, s->schema, in, out, err);
        arrow_batch_release(in);
        QV_TRY(st);
        if (*out != NULL)
            return QV_OK;
    }
}

static qv_status unnest_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                             qv_error *err)
{
    static const exec_stream fns = {stream_next, exec_unary_stream_free};
    exec_unary_stream *unary = NULL;
    QV_TRY(exec_unary_stream_open(node->children[0], ctx, partition, sizeof(unnest_stream), &fns,
                                  "unnest stream", &unary, err));
    unnest_stream *s = (unnest_stream *)unary;
    s->state = node->state;
    s->schema = node->schema;
    *out = &unary->base;
    return QV_OK;
}

static void unnest_free_state(exec_node *node)
{
    unnest_state *u = node->state;
    if (u == NULL)
        return;
    base_free(u->specs);
    base_free(u);
}

static const exec_node_ops unnest_ops = {"UnnestExec", unnest_open, NULL, unnest_free_state};

qv_status exec_unnest_new(exec_node *child, int32_t n_specs, const plan_unnest_list *specs,
                          bool preserve_nulls, arrow_schema *schema, exec_node **out, qv_error *err)
{
    *out = NULL;
    unnest_state *u = base_calloc(1, sizeof *u);
    plan_unnest_list *copy = base_calloc((size_t)(n_specs > 0 ? n_specs : 1), sizeof *copy);
    if (u == NULL || copy == NULL) {
        base_free(u);
        base_free(copy);
        exec_node_free(child);
        return base_error_nomem(err, "unnest");
    }
    memcpy(copy, specs, (size_t)n_specs * sizeof *copy);
    u->specs = copy;
    u->n_specs = n_specs;
    u->preserve_nulls = preserve_nulls;
    for (int32_t k = 0; k < n_specs; k++)
        if (specs[k].depth > u->max_depth)
            u->max_depth = specs[k].depth;
    qv_status st = exec_node_new(&unnest_ops, schema, child->n_partitions, 1, &child, u, out, err);
    if (st != QV_OK)
        unnest_free_state(&(exec_node){.state = u});
    return st;
}
