/*
 * join_filter.c — the join filter (layer: exec): the non-equi part of a
 * join condition, evaluated on candidate pairs of rows.
 *
 * The operator keeps its own copy of the filter expression whose columns
 * are renumbered over an intermediate schema of just the columns it reads
 * (left ones ascending, then right ones), as DataFusion's JoinFilter does:
 * a round of candidates then takes only those columns for its pairs, and
 * EXPLAIN prints the columns as `name@index` of that schema. The copy's
 * nodes are ours; types, literals and functions stay borrowed from the
 * plan, which outlives the operator.
 */
#include <stdio.h>
#include <string.h>

#include "exec/join_int.h"

struct join_filter {
    plan_expr *expr; /* the renumbered copy */
    int32_t n_left;  /* intermediate columns 0..n_left) are left input columns */
    int32_t n_columns;
    exec_join_column *columns; /* input column of each intermediate column */
    arrow_schema *schema;      /* the intermediate schema */
    char **names;              /* "name@i" for EXPLAIN */
};

static void free_expr(plan_expr *e)
{
    if (e == NULL)
        return;
    for (int32_t i = 0; i < e->n_args; i++)
        free_expr(e->args[i]);
    base_free(e->args);
    base_free(e);
}

/* A copy of e with column c renumbered to map[c]; NULL when memory ran out. */
static plan_expr *copy_expr(const plan_expr *e, const int32_t *map)
{
    plan_expr *c = base_alloc(sizeof *c);
    if (c == NULL)
        return NULL;
    *c = *e;
    c->args = NULL;
    c->n_args = 0;
    if (e->kind == PLAN_EXPR_COLUMN)
        c->column = map[e->column];
    if (e->n_args > 0) {
        c->args = base_calloc((size_t)e->n_args, sizeof *c->args);
        if (c->args == NULL) {
            base_free(c);
            return NULL;
        }
        c->n_args = e->n_args;
        for (int32_t i = 0; i < e->n_args; i++) {
            if (e->args[i] == NULL)
                continue;
            c->args[i] = copy_expr(e->args[i], map);
            if (c->args[i] == NULL) {
                free_expr(c);
                return NULL;
            }
        }
    }
    return c;
}

/* Largest column index the expression reads, or -1. */
static int32_t max_column(const plan_expr *e)
{
    int32_t max = e->kind == PLAN_EXPR_COLUMN ? e->column : -1;
    for (int32_t i = 0; i < e->n_args; i++) {
        if (e->args[i] == NULL)
            continue;
        int32_t m = max_column(e->args[i]);
        if (m > max)
            max = m;
    }
    return max;
}

void join_filter_free(join_filter *filter)
{
    if (filter == NULL)
        return;
    free_expr(filter->expr);
    for (int32_t i = 0; filter->names != NULL && i < filter->n_columns; i++)
        base_free(filter->names[i]);
    base_free(filter->names);
    base_free(filter->columns);
    arrow_schema_release(filter->schema);
    base_free(filter);
}

/* Input column of filter column c. */
static exec_join_column input_column(int32_t c, int32_t n_columns, const exec_join_column *columns,
                                     const arrow_schema *left)
{
    if (columns != NULL && c < n_columns)
        return columns[c];
    if (c < left->n_fields)
        return (exec_join_column){false, c};
    return (exec_join_column){true, c - left->n_fields};
}

/* Fills the intermediate columns (left ascending, then right) from the
 * used input columns, and map (filter column -> intermediate column). */
static qv_status lay_out(join_filter *f, int32_t n_used, const bool *used, int32_t n_columns,
                         const exec_join_column *columns, const arrow_schema *left,
                         const arrow_schema *right, int32_t *map, qv_error *err)
{
    bool *left_used = base_calloc((size_t)left->n_fields + 1, 1);
    bool *right_used = base_calloc((size_t)right->n_fields + 1, 1);
    int32_t *left_slot = base_calloc((size_t)left->n_fields + 1, sizeof(int32_t));
    int32_t *right_slot = base_calloc((size_t)right->n_fields + 1, sizeof(int32_t));
    f->columns = base_calloc((size_t)n_used + 1, sizeof *f->columns);
    qv_status st = QV_OK;
    if (left_used == NULL || right_used == NULL || left_slot == NULL || right_slot == NULL ||
        f->columns == NULL)
        st = base_error_nomem(err, "join filter");
    for (int32_t c = 0; c < n_used && st == QV_OK; c++) {
        if (!used[c])
            continue;
        exec_join_column col = input_column(c, n_columns, columns, left);
        const arrow_schema *side = col.right ? right : left;
        if (col.index < 0 || col.index >= side->n_fields) {
            st = base_error_set(err, QV_MISUSE, "join filter column %d is not an input column", c);
            break;
        }
        (col.right ? right_used : left_used)[col.index] = true;
    }
    for (int32_t i = 0; i < left->n_fields && st == QV_OK; i++)
        if (left_used[i]) {
            left_slot[i] = f->n_columns;
            f->columns[f->n_columns++] = (exec_join_column){false, i};
        }
    f->n_left = f->n_columns;
    for (int32_t i = 0; i < right->n_fields && st == QV_OK; i++)
        if (right_used[i]) {
            right_slot[i] = f->n_columns;
            f->columns[f->n_columns++] = (exec_join_column){true, i};
        }
    for (int32_t c = 0; c < n_used && st == QV_OK; c++) {
        if (!used[c])
            continue;
        exec_join_column col = input_column(c, n_columns, columns, left);
        map[c] = col.right ? right_slot[col.index] : left_slot[col.index];
    }
    base_free(left_used);
    base_free(right_used);
    base_free(left_slot);
    base_free(right_slot);
    return st;
}

static qv_status make_schema(join_filter *f, const arrow_schema *left, const arrow_schema *right,
                             qv_error *err)
{
    arrow_field **fields = base_calloc((size_t)f->n_columns + 1, sizeof *fields);
    f->names = base_calloc((size_t)f->n_columns + 1, sizeof *f->names);
    if (fields == NULL || f->names == NULL) {
        base_free(fields);
        return base_error_nomem(err, "join filter");
    }
    qv_status st = QV_OK;
    for (int32_t i = 0; i < f->n_columns && st == QV_OK; i++) {
        const arrow_schema *side = f->columns[i].right ? right : left;
        fields[i] = side->fields[f->columns[i].index];
        char label[32];
        snprintf(label, sizeof label, "@%d", (int)i);
        size_t len = strlen(fields[i]->name);
        f->names[i] = base_alloc(len + strlen(label) + 1);
        if (f->names[i] == NULL) {
            st = base_error_nomem(err, "join filter");
            break;
        }
        memcpy(f->names[i], fields[i]->name, len);
        strcpy(f->names[i] + len, label);
    }
    if (st == QV_OK)
        st = arrow_schema_new(f->n_columns, fields, NULL, &f->schema, err);
    base_free(fields);
    return st;
}

qv_status join_filter_new(const plan_expr *expr, int32_t n_columns, const exec_join_column *columns,
                          const arrow_schema *left, const arrow_schema *right, join_filter **out,
                          qv_error *err)
{
    *out = NULL;
    join_filter *f = base_calloc(1, sizeof *f);
    if (f == NULL)
        return base_error_nomem(err, "join filter");
    int32_t n_used = max_column(expr) + 1;
    int32_t limit = columns != NULL ? n_columns : left->n_fields + right->n_fields;
    qv_status st = QV_OK;
    if (n_used > limit)
        st = base_error_set(err, QV_MISUSE, "the join filter reads column %d of %d", n_used - 1,
                            limit);
    bool *used = base_calloc((size_t)n_used + 1, sizeof *used);
    int32_t *map = base_calloc((size_t)n_used + 1, sizeof *map);
    if (st == QV_OK && (used == NULL || map == NULL))
        st = base_error_nomem(err, "join filter");
    if (st == QV_OK) {
        plan_expr_columns_used(expr, used);
        st = lay_out(f, n_used, used, n_columns, columns, left, right, map, err);
    }
    if (st == QV_OK)
        st = make_schema(f, left, right, err);
    if (st == QV_OK) {
        f->expr = copy_expr(expr, map);
        if (f->expr == NULL)
            st = base_error_nomem(err, "join filter");
    }
    base_free(used);
    base_free(map);
    if (st != QV_OK) {
        join_filter_free(f);
        return st;
    }
    *out = f;
    return QV_OK;
}

qv_status join_filter_pairs(const join_filter *filter, arrow_batch *left, arrow_batch *right,
                            uint32_t *l, uint32_t *r, int64_t *n, func_call_ctx *call,
                            qv_error *err)
{
    int64_t count = *n;
    if (count == 0)
        return QV_OK;
    int32_t n_cols = filter->n_columns;
    arrow_array **cols = base_calloc((size_t)n_cols + 1, sizeof *cols);
    if (cols == NULL)
        return base_error_nomem(err, "join filter");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n_cols && st == QV_OK; i++) {
        const exec_join_column *col = &filter->columns[i];
        arrow_batch *side = col->right ? right : left;
        st = join_take(side->columns[col->index], col->right ? r : l, count, &cols[i], err);
    }
    arrow_batch *pairs = NULL;
    if (st == QV_OK)
        st = arrow_batch_new(filter->schema, count, cols, &pairs, err);
    for (int32_t i = 0; i < n_cols; i++)
        arrow_array_release(cols[i]);
    base_free(cols);
    arrow_array *mask = NULL;
    if (st == QV_OK)
        st = exec_expr_eval_array(filter->expr, pairs, call, &mask, err);
    arrow_batch_release(pairs);
    QV_TRY(st);
    int64_t kept = 0;
    if (mask->type->id == QV_TYPE_BOOLEAN) {
        const uint8_t *valid = mask->buffers[0] != NULL ? mask->buffers[0]->data : NULL;
        const uint8_t *bits = arrow_array_values(mask);
        for (int64_t i = 0; i < count; i++) {
            int64_t pos = mask->offset + i;
            if ((valid == NULL || arrow_bit_get(valid, pos)) && arrow_bit_get(bits, pos)) {
                l[kept] = l[i];
                r[kept] = r[i];
                kept++;
            }
        }
    } else if (mask->type->id != QV_TYPE_NULL) {
        st = base_error_set(err, QV_INVALID, "the join filter is not Boolean");
    }
    arrow_array_release(mask);
    *n = kept;
    return st;
}

void join_filter_describe(const join_filter *filter, base_strbuf *sb)
{
    plan_column *cols = base_calloc((size_t)filter->n_columns + 1, sizeof *cols);
    if (cols == NULL) {
        base_strbuf_append_str(sb, "...");
        return;
    }
    for (int32_t i = 0; i < filter->n_columns; i++)
        cols[i] = (plan_column){
            .name = filter->names[i], .type = filter->schema->fields[i]->type, .nullable = true};
    plan_schema schema = {filter->n_columns, cols};
    plan_expr_format(filter->expr, &schema, sb);
    base_free(cols);
}
