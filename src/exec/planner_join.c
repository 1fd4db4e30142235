/*
 * planner_join.c — physical planning of PLAN_JOIN nodes (layer: exec).
 *
 * Keys that are not plain columns are computed by a projection below the
 * join that appends them to the input's columns (named as DataFusion
 * names them, e.g. `t.a + Int64(1)`). With keys the join is a
 * HashJoinExec, or a SortMergeJoinExec over inputs sorted on their keys
 * when exec_plan_options.prefer_sort_merge_join; without keys a
 * NestedLoopJoinExec (CrossJoinExec). Null-aware anti joins are always
 * hash joins. Hash and nested loop joins collect their left input, so
 * when the right input is estimated smaller (plan_estimate_rows) the
 * inputs are swapped (LEFT <-> RIGHT, LEFT_SEMI <-> RIGHT_SEMI, ...; not
 * mark or null-aware joins). A projection above the join restores the
 * logical column order and drops computed keys when either happened.
 *
 * The column references these projections need are made here and handed
 * to the join node (join_node_keep_exprs), since the planner has no plan
 * context to allocate them in.
 */
#include <stdio.h>

#include "exec/join_int.h"
#include "exec/planner_int.h"

/* Column references made while planning one join. */
typedef struct expr_list {
    plan_expr **items;
    int32_t n, cap;
} expr_list;

static void expr_list_free(expr_list *list)
{
    for (int32_t i = 0; i < list->n; i++)
        base_free(list->items[i]);
    base_free(list->items);
    *list = (expr_list){0};
}

static plan_expr *column_ref(expr_list *list, arrow_type *type, bool nullable, int32_t column)
{
    if (list->n == list->cap) {
        int32_t cap = list->cap == 0 ? 16 : list->cap * 2;
        plan_expr **items = base_realloc(list->items, (size_t)cap * sizeof *items);
        if (items == NULL)
            return NULL;
        list->items = items;
        list->cap = cap;
    }
    plan_expr *e = base_calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->kind = PLAN_EXPR_COLUMN;
    e->type = type;
    e->nullable = nullable;
    e->column = column;
    list->items[list->n++] = e;
    return e;
}

/* One input of the join being planned. */
typedef struct join_side {
    exec_node *node;   /* the planned input, with computed keys appended */
    int32_t n_columns; /* columns of the logical input */
    int32_t width;     /* columns of node */
    int32_t *keys;     /* key columns of node */
    bool computed;     /* keys were appended */
} join_side;

/* Plans input and makes its keys columns. */
static qv_status plan_side(planner *pl, const plan_node *input, int32_t n_keys,
                           plan_expr *const *key_exprs, expr_list *refs, join_side *side)
{
    qv_error *err = pl->err;
    QV_TRY(planner_node(pl, input, &side->node));
    int32_t n_cols = input->schema.n_columns;
    side->n_columns = n_cols;
    side->keys = base_calloc((size_t)n_keys + 1, sizeof *side->keys);
    plan_expr **exprs = base_calloc((size_t)(n_cols + n_keys) + 1, sizeof *exprs);
    char **names = base_calloc((size_t)(n_cols + n_keys) + 1, sizeof *names);
    qv_status st = side->keys == NULL || exprs == NULL || names == NULL
                       ? base_error_nomem(err, "join planning")
                       : QV_OK;
    int32_t n = n_cols;
    for (int32_t k = 0; k < n_keys && st == QV_OK; k++) {
        plan_expr *key = key_exprs[k];
        if (key->kind == PLAN_EXPR_COLUMN) {
            side->keys[k] = key->column;
            continue;
        }
        int32_t at = n_cols;
        while (at < n && !plan_expr_equal(exprs[at], key))
            at++;
        if (at == n) {
            base_strbuf sb;
            base_strbuf_init(&sb);
            plan_expr_format(key, &input->schema, &sb);
            names[n] = base_strbuf_take(&sb);
            exprs[n++] = key;
            if (names[at] == NULL)
                st = base_error_nomem(err, "join planning");
        }
        side->keys[k] = at;
    }
    if (st == QV_OK && n > n_cols) {
        const arrow_schema *schema = side->node->schema;
        for (int32_t i = 0; i < n_cols && st == QV_OK; i++) {
            names[i] = base_strdup(schema->fields[i]->name);
            exprs[i] = column_ref(refs, schema->fields[i]->type, schema->fields[i]->nullable, i);
            if (names[i] == NULL || exprs[i] == NULL)
                st = base_error_nomem(err, "join planning");
        }
        exec_node *child = side->node;
        side->node = NULL;
        if (st == QV_OK)
            st = planner_project(child, n, exprs, (const char *const *)names, &side->node, err);
        else
            exec_node_free(child);
        side->computed = true;
    }
    side->width = n;
    for (int32_t i = 0; names != NULL && i < n; i++)
        base_free(names[i]);
    base_free(names);
    base_free(exprs);
    return st;
}

static bool swappable(const plan_node *node)
{
    return node->join_type != PLAN_JOIN_LEFT_MARK && !node->null_aware;
}

static plan_join_type swapped_type(plan_join_type type)
{
    switch (type) {
    case PLAN_JOIN_LEFT:
        return PLAN_JOIN_RIGHT;
    case PLAN_JOIN_RIGHT:
        return PLAN_JOIN_LEFT;
    case PLAN_JOIN_LEFT_SEMI:
        return PLAN_JOIN_RIGHT_SEMI;
    case PLAN_JOIN_RIGHT_SEMI:
        return PLAN_JOIN_LEFT_SEMI;
    case PLAN_JOIN_LEFT_ANTI:
        return PLAN_JOIN_RIGHT_ANTI;
    case PLAN_JOIN_RIGHT_ANTI:
        return PLAN_JOIN_LEFT_ANTI;
    default:
        return type;
    }
}

/* Position in the join's output of column `index` of the logical left
 * (right == false) or right input. */
static int32_t output_position(const plan_node *node, const join_side *l, const join_side *r,
                               bool swap, bool right, int32_t index)
{
    if (!join_emits_pairs(node->join_type))
        return index; /* one side only (a mark join adds its mark after it) */
    if (!swap)
        return right ? l->width + index : index;
    return right ? index : r->width + index;
}

/* The projection restoring node's columns over the join's output. */
static qv_status restore_columns(planner *pl, const plan_node *node, const join_side *l,
                                 const join_side *r, bool swap, exec_node *join, exec_node **out)
{
    qv_error *err = pl->err;
    int32_t n = node->schema.n_columns;
    plan_expr **exprs = base_calloc((size_t)n + 1, sizeof *exprs);
    const char **names = base_calloc((size_t)n + 1, sizeof *names);
    expr_list refs = {0};
    qv_status st = exprs == NULL || names == NULL ? base_error_nomem(err, "join planning") : QV_OK;
    bool keeps_left =
        node->join_type != PLAN_JOIN_RIGHT_SEMI && node->join_type != PLAN_JOIN_RIGHT_ANTI;
    int32_t n_left = keeps_left ? l->n_columns : 0;
    for (int32_t i = 0; i < n && st == QV_OK; i++) {
        int32_t pos;
        if (node->join_type == PLAN_JOIN_LEFT_MARK && i == n - 1)
            pos = join->schema->n_fields - 1;
        else if (i < n_left)
            pos = output_position(node, l, r, swap, false, i);
        else
            pos = output_position(node, l, r, swap, true, i - n_left);
        names[i] = node->schema.columns[i].name;
        exprs[i] = column_ref(&refs, join->schema->fields[pos]->type,
                              node->schema.columns[i].nullable, pos);
        if (exprs[i] == NULL)
            st = base_error_nomem(err, "join planning");
    }
    if (st == QV_OK)
        st = join_node_keep_exprs(join, refs.items, refs.n, err);
    else
        expr_list_free(&refs);
    base_free(refs.items);
    if (st == QV_OK)
        st = planner_project(join, n, exprs, names, out, err);
    else
        exec_node_free(join);
    base_free(exprs);
    base_free(names);
    return st;
}

static qv_status sort_on_keys(join_side *side, int32_t n_keys, qv_error *err)
{
    exec_sort_key *keys = base_calloc((size_t)n_keys, sizeof *keys);
    if (keys == NULL)
        return base_error_nomem(err, "join planning");
    for (int32_t k = 0; k < n_keys; k++)
        keys[k] = (exec_sort_key){.column = side->keys[k]};
    exec_node *child = side->node;
    side->node = NULL;
    qv_status st = exec_sort_new(child, n_keys, keys, -1, &side->node, err);
    base_free(keys);
    return st;
}

/* The join operator over the sides (their nodes are consumed). */
static qv_status make_join(planner *pl, const plan_node *node, join_side *l, join_side *r,
                           bool swap, bool sort_merge, arrow_schema *schema, exec_node **out)
{
    qv_error *err = pl->err;
    int32_t n_filter = l->n_columns + r->n_columns;
    exec_join_column *filter_columns = base_calloc((size_t)n_filter + 1, sizeof *filter_columns);
    if (filter_columns == NULL) {
        exec_node_free(l->node);
        exec_node_free(r->node);
        l->node = r->node = NULL;
        return base_error_nomem(err, "join planning");
    }
    for (int32_t c = 0; c < n_filter; c++) {
        bool from_right = c >= l->n_columns;
        filter_columns[c] = (exec_join_column){
            .right = from_right != swap,
            .index = from_right ? c - l->n_columns : c,
        };
    }
    exec_join_spec spec = {
        .type = swap ? swapped_type(node->join_type) : node->join_type,
        .n_keys = node->n_join_keys,
        .left_keys = swap ? r->keys : l->keys,
        .right_keys = swap ? l->keys : r->keys,
        .null_equals_null = node->null_equals_null,
        .filter = node->join_filter,
        .n_filter_columns = n_filter,
        .filter_columns = filter_columns,
        .null_aware = node->null_aware,
    };
    exec_node *left = swap ? r->node : l->node, *right = swap ? l->node : r->node;
    l->node = r->node = NULL;
    qv_status st;
    if (node->n_join_keys == 0)
        st = exec_nested_loop_join_new(left, right, &spec, schema, out, err);
    else if (sort_merge)
        st = exec_sort_merge_join_new(left, right, &spec, schema, out, err);
    else
        st = exec_hash_join_new(left, right, &spec, schema, out, err);
    base_free(filter_columns);
    return st;
}

qv_status planner_join(planner *pl, const plan_node *node, exec_node **out)
{
    *out = NULL;
    qv_error *err = pl->err;
    int32_t n_keys = node->n_join_keys;
    expr_list refs = {0};
    join_side l = {0}, r = {0};
    qv_status st = plan_side(pl, node->inputs[0], n_keys, node->left_keys, &refs, &l);
    if (st == QV_OK)
        st = plan_side(pl, node->inputs[1], n_keys, node->right_keys, &refs, &r);
    bool sort_merge = n_keys > 0 && pl->options->prefer_sort_merge_join && !node->null_aware;
    bool swap = false;
    if (st == QV_OK && !sort_merge && swappable(node)) {
        int64_t left_rows = plan_estimate_rows(node->inputs[0]);
        int64_t right_rows = plan_estimate_rows(node->inputs[1]);
        swap = left_rows >= 0 && right_rows >= 0 && right_rows < left_rows;
    }
    if (st == QV_OK && sort_merge)
        st = sort_on_keys(&l, n_keys, err);
    if (st == QV_OK && sort_merge)
        st = sort_on_keys(&r, n_keys, err);
    bool restore = swap || l.computed || r.computed;
    arrow_schema *schema = NULL;
    if (st == QV_OK && !restore)
        st = plan_schema_to_arrow(&node->schema, &schema, err);
    exec_node *join = NULL;
    if (st == QV_OK)
        st = make_join(pl, node, &l, &r, swap, sort_merge, schema, &join);
    arrow_schema_release(schema);
    exec_node_free(l.node);
    exec_node_free(r.node);
    base_free(l.keys);
    base_free(r.keys);
    if (st != QV_OK) {
        expr_list_free(&refs);
        return st;
    }
    st = join_node_keep_exprs(join, refs.items, refs.n, err);
    base_free(refs.items);
    if (st != QV_OK) {
        exec_node_free(join);
        return st;
    }
    if (!restore) {
        *out = join;
        return QV_OK;
    }
    return restore_columns(pl, node, &l, &r, swap, join, out);
}
