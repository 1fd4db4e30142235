/*
 * planner.c — the physical planner (layer: exec): turns a logical plan
 * into an operator tree. Computed sort keys, grouping keys and aggregate
 * arguments are projected into columns first, so that SortExec and
 * AggregateExec work on columns; ORDER BY inside aggregate calls becomes a
 * sort below a single-phase aggregate; LIMIT over ORDER BY becomes top-K.
 */
#include <stdio.h>
#include <string.h>

#include "exec/planner_int.h"

static qv_status arrow_schema_of(const plan_schema *schema, arrow_schema **out, qv_error *err)
{
    return plan_schema_to_arrow(schema, out, err);
}

qv_status planner_project(exec_node *child, int32_t n, plan_expr *const *exprs,
                          const char *const *names, exec_node **out, qv_error *err)
{
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    if (fields == NULL) {
        exec_node_free(child);
        return base_error_nomem(err, "projection");
    }
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++)
        st = arrow_field_new(names[i], exprs[i]->type, exprs[i]->nullable, NULL, &fields[i], err);
    arrow_schema *schema = NULL;
    if (st == QV_OK)
        st = arrow_schema_new(n, fields, NULL, &schema, err);
    for (int32_t i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    base_free(fields);
    if (st != QV_OK) {
        exec_node_free(child);
        return st;
    }
    st = exec_projection_new(child, n, exprs, schema, out, err);
    arrow_schema_release(schema);
    return st;
}

/* ---- leaves ---- */

static qv_status plan_scan(planner *pl, const plan_node *node, exec_node **out)
{
    catalog_scan_args args = {
        .projection = node->projection,
        .n_projection = node->n_projection,
        .filters = node->predicates,
        .n_filters = node->n_predicates,
        .limit = node->fetch,
        .batch_size = pl->options->batch_size,
        .target_partitions = pl->options->target_partitions,
        .identity = pl->options->identity,
    };
    return exec_scan_new(node->table, node->table_name, &args, out, pl->err);
}

static qv_status plan_values(planner *pl, const plan_node *node, exec_node **out)
{
    qv_error *err = pl->err;
    arrow_schema *schema = NULL, *empty_schema = NULL;
    QV_TRY(arrow_schema_of(&node->schema, &schema, err));
    qv_status st = arrow_schema_new(0, NULL, NULL, &empty_schema, err);
    arrow_batch *one_row = NULL;
    if (st == QV_OK)
        st = arrow_batch_new(empty_schema, 1, NULL, &one_row, err);
    if (node->kind == PLAN_EMPTY) {
        if (st == QV_OK) {
            arrow_batch *rows = NULL;
            if (node->produce_one_row)
                st = arrow_batch_new(schema, 1, NULL, &rows, err);
            if (st == QV_OK)
                st = exec_memory_source_new(
                    schema, &rows, rows ? 1 : 0,
                    node->produce_one_row ? "PlaceholderRowExec" : "EmptyExec", out, err);
            arrow_batch_release(rows);
        }
        arrow_batch_release(one_row);
        arrow_schema_release(empty_schema);
        arrow_schema_release(schema);
        return st;
    }
    int32_t n_cols = node->schema.n_columns;
    arrow_builder **builders = base_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *builders);
    arrow_array **cols = base_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *cols);
    if (st == QV_OK && (builders == NULL || cols == NULL))
        st = base_error_nomem(err, "VALUES");
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++)
        st = arrow_builder_new(node->schema.columns[c].type, &builders[c], err);
    for (int64_t r = 0; r < node->n_rows && st == QV_OK; r++)
        for (int32_t c = 0; c < n_cols && st == QV_OK; c++) {
            arrow_array *value = NULL;
            st = exec_expr_eval_array(node->values[r * n_cols + c], one_row, pl->options->call,
                                      &value, err);
            if (st == QV_OK)
                st = arrow_builder_append_from(builders[c], value, 0, err);
            arrow_array_release(value);
        }
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++)
        st = arrow_builder_finish(builders[c], &cols[c], err);
    /* A non-nullable VALUES column (INSERT binds VALUES to the table's
     * columns) must hold no NULL, as DataFusion's batch check says. */
    for (int32_t c = 0; c < n_cols && st == QV_OK; c++)
        if (!node->schema.columns[c].nullable && arrow_array_null_count(cols[c]) > 0)
            st = base_error_set(err, QV_EXECUTION,
                                "Invalid argument error: Column '%s' is declared as non-nullable "
                                "but contains null values",
                                node->schema.columns[c].name);
    arrow_batch *batch = NULL;
    if (st == QV_OK)
        st = arrow_batch_new(schema, node->n_rows, cols, &batch, err);
    if (st == QV_OK)
        st = exec_memory_source_new(schema, &batch, 1, "ValuesExec", out, err);
    arrow_batch_release(batch);
    for (int32_t c = 0; c < n_cols; c++) {
        if (builders != NULL)
            arrow_builder_free(builders[c]);
        if (cols != NULL)
            arrow_array_release(cols[c]);
    }
    base_free(builders);
    base_free(cols);
    arrow_batch_release(one_row);
    arrow_schema_release(empty_schema);
    arrow_schema_release(schema);
    return st;
}

/* ---- expression lists for pre-projections ---- */

typedef struct column_list {
    int32_t n, cap;
    plan_expr **exprs;
    const char **names;
} column_list;

static void column_list_free(column_list *list)
{
    base_free(list->exprs);
    base_free(list->names);
}

/* Appends e; its index, or -1 when memory ran out. */
static int32_t column_push(column_list *list, plan_expr *e, const char *name)
{
    if (list->n == list->cap) {
        int32_t cap = list->cap == 0 ? 8 : list->cap * 2;
        plan_expr **exprs = base_realloc(list->exprs, (size_t)cap * sizeof *exprs);
        if (exprs == NULL)
            return -1;
        list->exprs = exprs;
        const char **names = base_realloc(list->names, (size_t)cap * sizeof *names);
        if (names == NULL)
            return -1;
        list->names = names;
        list->cap = cap;
    }
    list->exprs[list->n] = e;
    list->names[list->n] = name;
    return list->n++;
}

/* Index of e in list (appending it when new), or -1 when memory ran out. */
static int32_t column_of(column_list *list, plan_expr *e, const char *name)
{
    for (int32_t i = 0; i < list->n; i++)
        if (plan_expr_equal(list->exprs[i], e))
            return i;
    return column_push(list, e, name);
}

/* ---- aggregate ---- */

/* Ordered aggregates share one sorted input, so their orderings must agree. */
static bool same_ordering(const plan_agg_call *a, const plan_agg_call *b)
{
    if (a->n_order != b->n_order)
        return false;
    for (int32_t i = 0; i < a->n_order; i++)
        if (a->order[i].descending != b->order[i].descending ||
            a->order[i].nulls_first != b->order[i].nulls_first ||
            !plan_expr_equal(a->order[i].expr, b->order[i].expr))
            return false;
    return true;
}

static qv_status plan_aggregate(planner *pl, const plan_node *node, exec_node **out)
{
    qv_error *err = pl->err;
    exec_node *child = NULL;
    QV_TRY(planner_node(pl, node->inputs[0], &child));
    column_list cols = {0};
    int32_t n_aggs = node->n_aggs;
    exec_agg_spec *specs = base_calloc((size_t)(n_aggs > 0 ? n_aggs : 1), sizeof *specs);
    int32_t *key_columns =
        base_calloc((size_t)(node->n_groups > 0 ? node->n_groups : 1), sizeof *key_columns);
    const char **key_names =
        base_calloc((size_t)(node->n_groups > 0 ? node->n_groups : 1), sizeof *key_names);
    int32_t **arg_columns = base_calloc((size_t)(n_aggs > 0 ? n_aggs : 1), sizeof *arg_columns);
    arrow_array ***literals = base_calloc((size_t)(n_aggs > 0 ? n_aggs : 1), sizeof *literals);
    arrow_type ***arg_types = base_calloc((size_t)(n_aggs > 0 ? n_aggs : 1), sizeof *arg_types);
    qv_status st = QV_OK;
    if (specs == NULL || key_columns == NULL || key_names == NULL || arg_columns == NULL ||
        literals == NULL || arg_types == NULL)
        st = base_error_nomem(err, "aggregate");
    /* Keys first, one column each even when equal (GROUP BY a, a). */
    for (int32_t g = 0; g < node->n_groups && st == QV_OK; g++) {
        if (column_push(&cols, node->groups[g], node->schema.columns[g].name) < 0)
            st = base_error_nomem(err, "aggregate");
        key_columns[g] = g;
        key_names[g] = node->schema.columns[g].name;
    }
    const plan_agg_call *ordered = NULL;
    bool single_phase = false;
    for (int32_t a = 0; a < n_aggs && st == QV_OK; a++) {
        const plan_agg_call *call = &node->aggs[a];
        int32_t n = call->n_args;
        arg_columns[a] = base_calloc((size_t)(n > 0 ? n : 1), sizeof(int32_t));
        literals[a] = base_calloc((size_t)(n > 0 ? n : 1), sizeof(arrow_array *));
        arg_types[a] = base_calloc((size_t)(n > 0 ? n : 1), sizeof(arrow_type *));
        if (arg_columns[a] == NULL || literals[a] == NULL || arg_types[a] == NULL) {
            st = base_error_nomem(err, "aggregate");
            break;
        }
        for (int32_t i = 0; i < n && st == QV_OK; i++) {
            plan_expr *arg = call->args[i];
            int32_t col = column_of(&cols, arg, NULL);
            if (col < 0) {
                st = base_error_nomem(err, "aggregate");
                break;
            }
            arg_columns[a][i] = col;
            literals[a][i] = arg->kind == PLAN_EXPR_LITERAL ? arg->value : NULL;
            arg_types[a][i] = arg->type;
        }
        int32_t filter_col = -1;
        if (st == QV_OK && call->filter != NULL) {
            filter_col = column_of(&cols, call->filter, NULL);
            if (filter_col < 0)
                st = base_error_nomem(err, "aggregate");
        }
        if (call->distinct)
            single_phase = true;
        if (call->n_order > 0) {
            single_phase = true;
            if (ordered == NULL)
                ordered = call;
            else if (!same_ordering(ordered, call))
                st = base_error_set(err, QV_NOT_IMPLEMENTED,
                                    "This feature is not implemented: aggregate calls with "
                                    "different ORDER BY clauses in one query");
        }
        specs[a] = (exec_agg_spec){
            .call = {.entry = call->func,
                     .n_args = n,
                     .arg_types = arg_types[a],
                     .literals = literals[a],
                     .return_type = call->return_type,
                     .distinct = call->distinct,
                     .has_order_by = call->n_order > 0},
            .n_args = n,
            .arg_columns = arg_columns[a],
            .filter_column = filter_col,
            .name =
                node->schema.columns[node->n_groups + (node->n_grouping_sets > 0 ? 1 : 0) + a].name,
        };
    }
    /* ORDER BY inside a call: sort the projected input by its keys. */
    int32_t n_sort = ordered ? ordered->n_order : 0;
    exec_sort_key *sort_keys = base_calloc((size_t)(n_sort > 0 ? n_sort : 1), sizeof *sort_keys);
    if (sort_keys == NULL && st == QV_OK)
        st = base_error_nomem(err, "aggregate");
    for (int32_t k = 0; k < n_sort && st == QV_OK; k++) {
        int32_t col = column_of(&cols, ordered->order[k].expr, NULL);
        if (col < 0)
            st = base_error_nomem(err, "aggregate");
        sort_keys[k] =
            (exec_sort_key){col, ordered->order[k].descending, ordered->order[k].nulls_first};
    }
    const char **names = base_calloc((size_t)(cols.n > 0 ? cols.n : 1), sizeof *names);
    char(*generated)[32] = base_calloc((size_t)(cols.n > 0 ? cols.n : 1), sizeof *generated);
    if (st == QV_OK && (names == NULL || generated == NULL))
        st = base_error_nomem(err, "aggregate");
    for (int32_t i = 0; i < cols.n && st == QV_OK; i++) {
        snprintf(generated[i], sizeof generated[i], "__c%d", i);
        names[i] = cols.names[i] ? cols.names[i] : generated[i];
    }
    exec_node *input = child;
    child = NULL;
    if (st == QV_OK)
        st = planner_project(input, cols.n, cols.exprs, names, &input, err);
    else
        exec_node_free(input);
    if (st == QV_OK && n_sort > 0)
        st = exec_sort_new(input, n_sort, sort_keys, -1, &input, err);
    if (st == QV_OK)
        st =
            exec_aggregate_new(input, node->n_groups, key_columns, key_names, node->n_grouping_sets,
                               node->grouping_sets, n_aggs, specs, single_phase, out, err);
    for (int32_t a = 0; a < n_aggs; a++) {
        if (arg_columns != NULL)
            base_free(arg_columns[a]);
        if (literals != NULL)
            base_free(literals[a]);
        if (arg_types != NULL)
            base_free(arg_types[a]);
    }
    base_free(arg_columns);
    base_free(literals);
    base_free(arg_types);
    base_free(specs);
    base_free(key_columns);
    base_free(key_names);
    base_free(sort_keys);
    base_free(names);
    base_free(generated);
    column_list_free(&cols);
    return st;
}

/* ---- sort and limit ---- */

/* Sort keys are columns of the input (the binder projects computed keys). */
static qv_status plan_sort(planner *pl, const plan_node *node, int64_t fetch, exec_node **out)
{
    qv_error *err = pl->err;
    exec_sort_key *keys = base_calloc((size_t)node->n_keys, sizeof *keys);
    if (keys == NULL)
        return base_error_nomem(err, "sort");
    for (int32_t k = 0; k < node->n_keys; k++) {
        if (node->keys[k].expr->kind != PLAN_EXPR_COLUMN) {
            base_free(keys);
            return base_error_set(err, QV_MISUSE, "sort key %d is not a column", k);
        }
        keys[k] = (exec_sort_key){node->keys[k].expr->column, node->keys[k].descending,
                                  node->keys[k].nulls_first};
    }
    exec_node *child = NULL;
    qv_status st = planner_node(pl, node->inputs[0], &child);
    if (st == QV_OK)
        st = exec_sort_new(child, node->n_keys, keys, fetch, out, err);
    base_free(keys);
    return st;
}

static qv_status plan_limit(planner *pl, const plan_node *node, exec_node **out)
{
    exec_node *child = NULL;
    const plan_node *input = node->inputs[0];
    if (input->kind == PLAN_SORT && node->fetch >= 0)
        QV_TRY(plan_sort(pl, input, node->skip + node->fetch, &child));
    else
        QV_TRY(planner_node(pl, input, &child));
    if (child->n_partitions > 1)
        QV_TRY(exec_coalesce_new(child, &child, pl->err));
    if (node->fail_past_fetch)
        return exec_limit_one_row_new(child, out, pl->err);
    return exec_limit_new(child, node->skip, node->fetch, out, pl->err);
}

static qv_status plan_union(planner *pl, const plan_node *node, exec_node **out)
{
    exec_node **children = base_calloc((size_t)node->n_inputs, sizeof *children);
    if (children == NULL)
        return base_error_nomem(pl->err, "union");
    qv_status st = QV_OK;
    int32_t made = 0;
    for (; made < node->n_inputs && st == QV_OK; made++)
        st = planner_node(pl, node->inputs[made], &children[made]);
    arrow_schema *schema = NULL;
    if (st == QV_OK)
        st = arrow_schema_of(&node->schema, &schema, pl->err);
    if (st == QV_OK)
        st = exec_union_new(node->n_inputs, children, schema, out, pl->err);
    else
        for (int32_t i = 0; i < made; i++)
            exec_node_free(children[i]);
    arrow_schema_release(schema);
    base_free(children);
    return st;
}

qv_status planner_node(planner *pl, const plan_node *node, exec_node **out)
{
    *out = NULL;
    qv_error *err = pl->err;
    switch (node->kind) {
    case PLAN_SCAN:
        return plan_scan(pl, node, out);
    case PLAN_VALUES:
    case PLAN_EMPTY:
        return plan_values(pl, node, out);
    case PLAN_PROJECTION: {
        exec_node *child = NULL;
        QV_TRY(planner_node(pl, node->inputs[0], &child));
        arrow_schema *schema = NULL;
        qv_status st = arrow_schema_of(&node->schema, &schema, err);
        if (st != QV_OK) {
            exec_node_free(child);
            return st;
        }
        st = exec_projection_new(child, node->n_exprs, node->exprs, schema, out, err);
        arrow_schema_release(schema);
        return st;
    }
    case PLAN_FILTER: {
        exec_node *child = NULL;
        QV_TRY(planner_node(pl, node->inputs[0], &child));
        QV_TRY(exec_filter_new(child, node->exprs[0], &child, err));
        return exec_coalesce_batches_new(child, out, err);
    }
    case PLAN_AGGREGATE:
        return plan_aggregate(pl, node, out);
    case PLAN_SORT:
        return plan_sort(pl, node, node->fetch, out);
    case PLAN_LIMIT:
        return plan_limit(pl, node, out);
    case PLAN_UNION:
        return plan_union(pl, node, out);
    case PLAN_JOIN:
        return planner_join(pl, node, out);
    case PLAN_WINDOW:
        return planner_window(pl, node, out);
    case PLAN_UNNEST:
        return planner_unnest(pl, node, out);
    case PLAN_RECURSIVE:
        return planner_recursive(pl, node, out);
    case PLAN_WORK_TABLE:
        return planner_work_table(pl, node, out);
    case PLAN_KIND_COUNT_:
        break;
    }
    return base_error_set(err, QV_NOT_IMPLEMENTED,
                          "This feature is not implemented: logical plan node %d", node->kind);
}

qv_status exec_plan_create(const plan_node *root, const exec_plan_options *options, exec_node **out,
                           qv_error *err)
{
    planner pl = {.options = options, .err = err};
    exec_node *node = NULL;
    QV_TRY(planner_node(&pl, root, &node));
    if (node->n_partitions > 1)
        return exec_coalesce_new(node, out, err);
    *out = node;
    return QV_OK;
}
