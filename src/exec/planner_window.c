/*
 * planner_window.c — physical planning of PLAN_WINDOW nodes (layer: exec):
 * computed arguments, partition and order keys and FILTER predicates are
 * projected into columns after the input's; constant arguments are
 * evaluated into literals; the rows are sorted by the partition keys then
 * the order keys (DataFusion's sort key: a partition key that ORDER BY also
 * sorts takes ORDER BY's direction) unless the input comes in a fitting
 * order already (from a window or sort below), or in the reverse order
 * and the calls can be computed reversed (lag as lead, frames mirrored...),
 * as DataFusion's physical optimizer does; then WindowAggExec /
 * BoundedWindowAggExec with DataFusion-like EXPLAIN text.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/listing.h"
#include "exec/planner_int.h"
#include "func/window.h"

/* An ordering: key i is exprs[i] (borrowed from the plan) or, when that
 * is NULL, input column columns[i]. declared: it comes from a table's
 * WITH ORDER, which files promise rather than a sort guarantees. */
typedef struct key_list {
    bool declared;
    int32_t n;
    const plan_expr **exprs;
    int32_t *columns;
    bool *descending;
    bool *nulls_first;
} key_list;

static bool key_list_init(key_list *keys, int32_t cap)
{
    keys->n = 0;
    keys->exprs = base_calloc((size_t)cap + 1, sizeof *keys->exprs);
    keys->columns = base_calloc((size_t)cap + 1, sizeof *keys->columns);
    keys->descending = base_calloc((size_t)cap + 1, sizeof *keys->descending);
    keys->nulls_first = base_calloc((size_t)cap + 1, sizeof *keys->nulls_first);
    return keys->exprs && keys->columns && keys->descending && keys->nulls_first;
}

static void key_list_free(key_list *keys)
{
    base_free(keys->exprs);
    base_free(keys->columns);
    base_free(keys->descending);
    base_free(keys->nulls_first);
    *keys = (key_list){0};
}

static void key_push(key_list *keys, const plan_expr *e, int32_t column, bool desc,
                     bool nulls_first)
{
    keys->exprs[keys->n] = e;
    keys->columns[keys->n] = column;
    keys->descending[keys->n] = desc;
    keys->nulls_first[keys->n] = nulls_first;
    keys->n++;
}

/* The input column key j is, or -1 for a computed key. */
static int32_t key_column(const key_list *keys, int32_t j)
{
    const plan_expr *e = keys->exprs[j];
    if (e == NULL)
        return keys->columns[j];
    return e->kind == PLAN_EXPR_COLUMN ? e->column : -1;
}

/* True when key j is e. */
static bool key_is(const key_list *keys, int32_t j, const plan_expr *e)
{
    if (keys->exprs[j] != NULL)
        return plan_expr_equal(keys->exprs[j], e);
    return e->kind == PLAN_EXPR_COLUMN && e->column == keys->columns[j];
}

/* The node's sort key as expressions over its input. */
static bool sort_key_of(const plan_node *node, key_list *keys)
{
    const plan_expr *call = node->window_exprs[0];
    const plan_window_call *w = call->win;
    if (!key_list_init(keys, w->n_partition + w->n_order))
        return false;
    plan_expr **part = plan_window_partition(call), **order = plan_window_order_exprs(call);
    for (int32_t i = 0; i < w->n_partition + w->n_order; i++) {
        bool is_part = i < w->n_partition;
        const plan_expr *e = is_part ? part[i] : order[i - w->n_partition];
        bool desc = false, nulls_first = false;
        if (!is_part) {
            desc = w->order[i - w->n_partition].descending;
            nulls_first = w->order[i - w->n_partition].nulls_first;
        }
        for (int32_t j = 0; is_part && j < w->n_order; j++)
            if (plan_expr_equal(order[j], e)) {
                desc = w->order[j].descending;
                nulls_first = w->order[j].nulls_first;
                break;
            }
        bool present = false;
        for (int32_t j = 0; j < keys->n && !present; j++)
            present = plan_expr_equal(keys->exprs[j], e);
        if (!present)
            key_push(keys, e, -1, desc, nulls_first);
    }
    return true;
}

/* How a window node gets its rows in order. */
typedef enum window_order {
    ORDER_SORT,    /* sort by its sort key */
    ORDER_KEEP,    /* the input comes in a fitting order already */
    ORDER_REVERSE, /* the input comes in the reverse order: compute the
                      reversed calls (DataFusion's reversed window exprs) */
} window_order;

static window_order choose_order(const plan_node *node);
static bool node_ordering(const plan_node *node, key_list *out);

/* A table's declared ordering (WITH ORDER) over the scan's columns. */
static bool scan_ordering(const plan_node *scan, key_list *out)
{
    int32_t n = 0;
    const catalog_sort_key *const *orderings = NULL;
    const int32_t *lengths = NULL;
    catalog_listing_orderings(scan->table, &n, &orderings, &lengths);
    if (n == 0)
        return true;
    if (!key_list_init(out, lengths[0]))
        return false;
    out->declared = true;
    for (int32_t k = 0; k < lengths[0]; k++) {
        int32_t at = -1, table_col = orderings[0][k].column;
        for (int32_t i = 0; i < scan->schema.n_columns && at < 0; i++)
            if ((scan->projection ? scan->projection[i] : i) == table_col)
                at = i;
        if (at < 0)
            break;
        key_push(out, NULL, at, orderings[0][k].descending, orderings[0][k].nulls_first);
    }
    return true;
}

/* An ordering of a projection's input as one of its output, as far as
 * its keys are projected. */
static bool projected_ordering(const plan_node *proj, key_list *out)
{
    key_list in = {0};
    bool ok = node_ordering(proj->inputs[0], &in) && key_list_init(out, in.n);
    out->declared = in.declared;
    for (int32_t j = 0; ok && j < in.n; j++) {
        int32_t col = key_column(&in, j), at = -1;
        for (int32_t i = 0; i < proj->n_exprs && at < 0; i++) {
            const plan_expr *e = proj->exprs[i];
            if (col >= 0 ? e->kind == PLAN_EXPR_COLUMN && e->column == col
                         : plan_expr_equal(e, in.exprs[j]))
                at = i;
        }
        if (at < 0)
            break;
        key_push(out, NULL, at, in.descending[j], in.nulls_first[j]);
    }
    key_list_free(&in);
    return ok;
}

/* The order the planned node's rows come in (n = 0: none known). */
static bool node_ordering(const plan_node *node, key_list *out)
{
    *out = (key_list){0};
    switch (node->kind) {
    case PLAN_WINDOW:
        if (choose_order(node) != ORDER_SORT)
            return node_ordering(node->inputs[0], out);
        return sort_key_of(node, out);
    case PLAN_FILTER:
        return node_ordering(node->inputs[0], out);
    case PLAN_PROJECTION:
        return projected_ordering(node, out);
    case PLAN_SCAN:
        return scan_ordering(node, out);
    case PLAN_SORT:
        if (!key_list_init(out, node->n_keys))
            return false;
        for (int32_t i = 0; i < node->n_keys; i++)
            key_push(out, node->keys[i].expr, -1, node->keys[i].descending,
                     node->keys[i].nulls_first);
        return true;
    default:
        return true;
    }
}

/* True when key j is one of list[0..n). */
static bool key_in(const key_list *keys, int32_t j, plan_expr *const *list, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (key_is(keys, j, list[i]))
            return true;
    return false;
}

static bool in_list(plan_expr *const *list, int32_t n, const plan_expr *e)
{
    for (int32_t i = 0; i < n; i++)
        if (plan_expr_equal(list[i], e))
            return true;
    return false;
}

/* Whether every call has a reversed form: the aggregates that do not
 * depend on row order, lag / lead and first_value / last_value. */
static bool reversible(const plan_node *node)
{
    for (int32_t i = 0; i < node->n_window_exprs; i++) {
        const func_entry *f = node->window_exprs[i]->win->func;
        const char *name = f->name;
        if (f->kind == FUNC_AGGREGATE
                ? strcmp(name, "array_agg") == 0 || strcmp(name, "string_agg") == 0
                : strcmp(name, "lag") != 0 && strcmp(name, "lead") != 0 &&
                      strcmp(name, "first_value") != 0 && strcmp(name, "last_value") != 0)
            return false;
    }
    return true;
}

/* The input fits when its ordering starts with the partition keys (any
 * order and direction: they only group rows) followed by the ORDER BY
 * keys as written, or all of them reversed (DataFusion's get_window_mode). */
static window_order choose_order(const plan_node *node)
{
    const plan_expr *call = node->window_exprs[0];
    const plan_window_call *w = call->win;
    plan_expr **part = plan_window_partition(call), **order = plan_window_order_exprs(call);
    if (w->n_partition == 0 && w->n_order == 0)
        return ORDER_KEEP;
    key_list have = {0};
    window_order result = ORDER_SORT;
    if (!node_ordering(node->inputs[0], &have) || have.n == 0)
        goto done;
    int32_t j = 0;
    while (j < have.n && key_in(&have, j, part, w->n_partition))
        j++;
    for (int32_t i = 0; i < w->n_partition; i++) {
        bool seen = false;
        for (int32_t k = 0; k < j && !seen; k++)
            seen = key_is(&have, k, part[i]);
        if (!seen)
            goto done;
    }
    bool same = true, reverse = true;
    for (int32_t i = 0; i < w->n_order; i++) {
        if (in_list(part, w->n_partition, order[i]))
            continue; /* constant within a partition */
        if (j >= have.n || !key_is(&have, j, order[i]))
            goto done;
        same &= have.descending[j] == w->order[i].descending &&
                have.nulls_first[j] == w->order[i].nulls_first;
        reverse &= have.descending[j] != w->order[i].descending &&
                   have.nulls_first[j] != w->order[i].nulls_first;
        j++;
    }
    if (same)
        result = ORDER_KEEP;
    else if (reverse && reversible(node))
        result = ORDER_REVERSE;
done:
    key_list_free(&have);
    return result;
}

/* ---- reversed calls ---- */

static plan_frame_bound reverse_bound(plan_frame_bound b)
{
    static const plan_frame_bound_kind flip[] = {
        [PLAN_BOUND_UNBOUNDED_PRECEDING] = PLAN_BOUND_UNBOUNDED_FOLLOWING,
        [PLAN_BOUND_PRECEDING] = PLAN_BOUND_FOLLOWING,
        [PLAN_BOUND_CURRENT_ROW] = PLAN_BOUND_CURRENT_ROW,
        [PLAN_BOUND_FOLLOWING] = PLAN_BOUND_PRECEDING,
        [PLAN_BOUND_UNBOUNDED_FOLLOWING] = PLAN_BOUND_UNBOUNDED_PRECEDING,
    };
    b.kind = flip[b.kind];
    return b;
}

/* The call computed over rows in the reverse order: the frame mirrored,
 * lag / lead and first_value / last_value swapped. */
static void reverse_spec(exec_window_spec *spec)
{
    plan_frame_bound start = spec->frame.start;
    spec->frame.start = reverse_bound(spec->frame.end);
    spec->frame.end = reverse_bound(start);
    if (spec->entry->kind != FUNC_WINDOW)
        return;
    static const char *const pairs[][2] = {{"lag", "lead"},
                                           {"lead", "lag"},
                                           {"first_value", "last_value"},
                                           {"last_value", "first_value"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(spec->entry->name, pairs[i][0]) == 0) {
            spec->entry = func_window_lookup(pairs[i][1]);
            return;
        }
}

/* ---- the pre-projection ---- */

typedef struct projected {
    int32_t n_input; /* the input's columns come first, as they are */
    int32_t n, cap;
    plan_expr **exprs;
    const char **names;
    char (*generated)[24];
} projected;

/* The column computing e, appended when new; -1 when memory ran out. */
static int32_t column_for(projected *p, plan_expr *e)
{
    if (e->kind == PLAN_EXPR_COLUMN && e->column < p->n_input)
        return e->column;
    for (int32_t i = p->n_input; i < p->n; i++)
        if (plan_expr_equal(p->exprs[i], e))
            return i;
    if (p->n == p->cap) {
        int32_t cap = p->cap * 2;
        plan_expr **exprs = base_realloc(p->exprs, (size_t)cap * sizeof *exprs);
        if (exprs != NULL)
            p->exprs = exprs;
        const char **names = base_realloc(p->names, (size_t)cap * sizeof *names);
        if (names != NULL)
            p->names = names;
        char(*generated)[24] = base_realloc(p->generated, (size_t)cap * sizeof *generated);
        if (generated != NULL)
            p->generated = generated;
        if (exprs == NULL || names == NULL || generated == NULL)
            return -1;
        p->cap = cap;
    }
    snprintf(p->generated[p->n], sizeof p->generated[p->n], "__window_col%d", p->n);
    p->exprs[p->n] = e;
    p->names[p->n] = p->generated[p->n];
    return p->n++;
}

static bool projected_init(projected *p, const plan_node *input)
{
    int32_t n = input->schema.n_columns;
    p->n_input = n;
    p->cap = n + 8;
    p->exprs = base_calloc((size_t)p->cap, sizeof *p->exprs);
    p->names = base_calloc((size_t)p->cap, sizeof *p->names);
    p->generated = base_calloc((size_t)p->cap, sizeof *p->generated);
    return p->exprs != NULL && p->names != NULL && p->generated != NULL;
}

/* The column references made for the input's columns (their ownership
 * moves to the window node, which outlives the projection reading them). */
static plan_expr **take_input_refs(projected *p)
{
    plan_expr **refs = base_calloc((size_t)(p->n_input + 1), sizeof *refs);
    for (int32_t i = 0; refs != NULL && p->exprs != NULL && i < p->n_input; i++) {
        refs[i] = p->exprs[i];
        p->exprs[i] = NULL;
    }
    return refs;
}

static void projected_free(projected *p)
{
    for (int32_t i = 0; p->exprs != NULL && i < p->n_input; i++)
        base_free(p->exprs[i]);
    base_free(p->exprs);
    base_free(p->names);
    base_free(p->generated);
}

/* Column references for the input's own columns, first in the projection. */
static bool project_input(projected *p, const plan_node *input)
{
    for (int32_t c = 0; c < p->n_input; c++) {
        plan_expr *e = base_calloc(1, sizeof *e);
        if (e == NULL)
            return false;
        e->kind = PLAN_EXPR_COLUMN;
        e->column = c;
        e->type = input->schema.columns[c].type;
        e->nullable = input->schema.columns[c].nullable;
        p->exprs[c] = e;
        p->names[c] = input->schema.columns[c].name;
    }
    p->n = p->n_input;
    return true;
}

/* ---- EXPLAIN text ---- */

/* "name: Field { "name": nullable Int64 }, frame: ROWS BETWEEN ..." (the
 * frame as computed, mirrored for a reversed call). */
static char *describe_call(const plan_expr *call, const plan_window_frame *frame)
{
    const plan_window_call *w = call->win;
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_appendf(&sb, "%s: Field { \"%s\": %s", w->name, w->name,
                        call->nullable ? "nullable " : "");
    arrow_type_format(w->return_type, &sb);
    static const char *const units[] = {"ROWS", "RANGE", "GROUPS"};
    base_strbuf_appendf(&sb, " }, frame: %s BETWEEN ", units[frame->units]);
    plan_frame_bound_format(&frame->start, &sb);
    base_strbuf_append_str(&sb, " AND ");
    plan_frame_bound_format(&frame->end, &sb);
    char *text = NULL;
    if (!base_strbuf_failed(&sb) && (text = base_alloc(sb.len + 1)) != NULL) {
        memcpy(text, sb.data ? sb.data : "", sb.len);
        text[sb.len] = '\0';
    }
    base_strbuf_free(&sb);
    return text;
}

/* BoundedWindowAggExec unless a call needs rows past its frame's end
 * (an unbounded following end, or the partition size). */
static bool bounded(const plan_node *node)
{
    for (int32_t i = 0; i < node->n_window_exprs; i++) {
        const plan_window_call *w = node->window_exprs[i]->win;
        bool reads_frame = w->func->kind == FUNC_AGGREGATE || w->func->impl.window->uses_frame;
        if (reads_frame && w->frame.end.kind == PLAN_BOUND_UNBOUNDED_FOLLOWING)
            return false;
        if (w->func->kind == FUNC_WINDOW && w->func->impl.window->needs_partition)
            return false;
    }
    return true;
}

/* DataFusion computes SUM(DISTINCT) over frames that slide for Int64
 * only, and says so. */
static qv_status check_distinct_sum(const plan_window_call *w, const plan_expr *arg, qv_error *err)
{
    if (!w->distinct || strcmp(w->func->name, "sum") != 0 ||
        w->frame.start.kind == PLAN_BOUND_UNBOUNDED_PRECEDING ||
        arrow_type_is_signed_integer(arg->type->id))
        return QV_OK;
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(arg->type, &sb);
    qv_status st = base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: SUM(DISTINCT) over sliding "
                                  "window frames is only supported for Int64, got %s",
                                  sb.data ? sb.data : "?");
    base_strbuf_free(&sb);
    return st;
}

/* ---- the node ---- */

typedef struct call_parts {
    int32_t *columns;
    arrow_array **literals;
    arrow_type **types;
} call_parts;

static qv_status plan_calls(planner *pl, const plan_node *node, projected *proj, bool reversed,
                            exec_window_spec *specs, call_parts *parts)
{
    qv_error *err = pl->err;
    for (int32_t c = 0; c < node->n_window_exprs; c++) {
        const plan_expr *call = node->window_exprs[c];
        const plan_window_call *w = call->win;
        int32_t n = w->n_args;
        parts[c].columns = base_calloc((size_t)(n > 0 ? n : 1), sizeof *parts[c].columns);
        parts[c].literals = base_calloc((size_t)(n > 0 ? n : 1), sizeof *parts[c].literals);
        parts[c].types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *parts[c].types);
        if (parts[c].columns == NULL || parts[c].literals == NULL || parts[c].types == NULL)
            return base_error_nomem(err, "window planning");
        plan_expr **args = plan_window_args(call);
        for (int32_t i = 0; i < n; i++) {
            parts[c].types[i] = args[i]->type;
            if (plan_expr_is_constant(args[i])) {
                parts[c].columns[i] = -1;
                QV_TRY(exec_const_eval(args[i], &parts[c].literals[i], err));
            } else if ((parts[c].columns[i] = column_for(proj, args[i])) < 0) {
                return base_error_nomem(err, "window planning");
            }
        }
        if (n > 0)
            QV_TRY(check_distinct_sum(w, args[0], err));
        int32_t filter = -1;
        if (w->has_filter && (filter = column_for(proj, plan_window_filter(call))) < 0)
            return base_error_nomem(err, "window planning");
        specs[c] = (exec_window_spec){.entry = w->func,
                                      .n_args = n,
                                      .arg_columns = parts[c].columns,
                                      .literals = parts[c].literals,
                                      .arg_types = parts[c].types,
                                      .return_type = w->return_type,
                                      .filter_column = filter,
                                      .distinct = w->distinct,
                                      .ignore_nulls = w->null_treatment == PLAN_NULLS_IGNORE,
                                      .frame = w->frame};
        if (reversed)
            reverse_spec(&specs[c]);
        if ((specs[c].describe = describe_call(call, &specs[c].frame)) == NULL)
            return base_error_nomem(err, "window planning");
    }
    return QV_OK;
}

qv_status planner_window(planner *pl, const plan_node *node, exec_node **out)
{
    qv_error *err = pl->err;
    *out = NULL;
    const plan_node *input = node->inputs[0];
    int32_t n_calls = node->n_window_exprs;
    exec_node *child = NULL;
    QV_TRY(planner_node(pl, input, &child));
    projected proj = {0};
    key_list keys = {0}, given = {0};
    exec_window_spec *specs = base_calloc((size_t)n_calls, sizeof *specs);
    call_parts *parts = base_calloc((size_t)n_calls, sizeof *parts);
    int32_t *partition = NULL;
    exec_sort_key *order = NULL, *sort = NULL;
    arrow_schema *schema = NULL;
    qv_status st = QV_OK;
    if (specs == NULL || parts == NULL || !projected_init(&proj, input) ||
        !project_input(&proj, input) || !sort_key_of(node, &keys))
        st = base_error_nomem(err, "window planning");
    const plan_window_call *w = node->window_exprs[0]->win;
    /* The keys the rows get sorted by: the node's own, or when it relies on
     * the order its input comes in, that order, sorted into it when it is
     * only declared (WITH ORDER: a stable sort keeps rows that keep the
     * promise as they are, and puts several files in order) or the input
     * comes in several partitions. */
    window_order how = choose_order(node);
    bool relies = how != ORDER_SORT && (w->n_partition > 0 || w->n_order > 0);
    if (st == QV_OK && relies && !node_ordering(input, &given))
        st = base_error_nomem(err, "window planning");
    const key_list *by = relies ? &given : &keys;
    if (st == QV_OK) {
        partition = base_calloc((size_t)(w->n_partition + 1), sizeof *partition);
        order = base_calloc((size_t)(w->n_order + 1), sizeof *order);
        sort = base_calloc((size_t)(by->n + 1), sizeof *sort);
        if (partition == NULL || order == NULL || sort == NULL)
            st = base_error_nomem(err, "window planning");
    }
    plan_expr **part_exprs = plan_window_partition(node->window_exprs[0]);
    plan_expr **order_exprs = plan_window_order_exprs(node->window_exprs[0]);
    for (int32_t i = 0; st == QV_OK && i < w->n_partition; i++)
        if ((partition[i] = column_for(&proj, part_exprs[i])) < 0)
            st = base_error_nomem(err, "window planning");
    for (int32_t i = 0; st == QV_OK && i < w->n_order; i++) {
        order[i] = (exec_sort_key){column_for(&proj, order_exprs[i]), w->order[i].descending,
                                   w->order[i].nulls_first};
        if (order[i].column < 0)
            st = base_error_nomem(err, "window planning");
    }
    for (int32_t i = 0; st == QV_OK && i < by->n; i++) {
        int32_t col =
            by->exprs[i] != NULL ? column_for(&proj, (plan_expr *)by->exprs[i]) : by->columns[i];
        sort[i] = (exec_sort_key){col, by->descending[i], by->nulls_first[i]};
        if (col < 0)
            st = base_error_nomem(err, "window planning");
    }
    if (st == QV_OK)
        st = plan_calls(pl, node, &proj, how == ORDER_REVERSE, specs, parts);
    if (st == QV_OK)
        st = plan_schema_to_arrow(&node->schema, &schema, err);
    if (st == QV_OK && proj.n > proj.n_input) {
        st = planner_project(child, proj.n, proj.exprs, proj.names, &child, err);
        if (st != QV_OK)
            child = NULL;
    }
    if (st == QV_OK && how == ORDER_REVERSE) {
        for (int32_t i = 0; i < w->n_order; i++) {
            order[i].descending = !order[i].descending;
            order[i].nulls_first = !order[i].nulls_first;
        }
    }
    if (st == QV_OK && by->n > 0 && (!relies || given.declared || child->n_partitions > 1)) {
        st = exec_sort_new(child, by->n, sort, -1, &child, err);
        if (st != QV_OK)
            child = NULL;
    }
    if (st == QV_OK && child->n_partitions > 1) {
        st = exec_coalesce_new(child, &child, err);
        if (st != QV_OK)
            child = NULL;
    }
    if (st == QV_OK) {
        plan_expr **refs = take_input_refs(&proj);
        st = refs != NULL ? exec_window_new(child, proj.n_input, w->n_partition, partition,
                                            w->n_order, order, n_calls, specs, schema,
                                            bounded(node), refs, proj.n_input, out, err)
                          : base_error_nomem(err, "window planning");
        if (refs != NULL)
            child = NULL;
    }
    exec_node_free(child);
    for (int32_t c = 0; parts != NULL && c < n_calls; c++) {
        for (int32_t i = 0; parts[c].literals != NULL && i < node->window_exprs[c]->win->n_args;
             i++)
            arrow_array_release(parts[c].literals[i]);
        base_free(parts[c].columns);
        base_free(parts[c].literals);
        base_free(parts[c].types);
        if (specs != NULL)
            base_free((char *)specs[c].describe);
    }
    arrow_schema_release(schema);
    base_free(parts);
    base_free(specs);
    base_free(partition);
    base_free(order);
    base_free(sort);
    key_list_free(&keys);
    key_list_free(&given);
    projected_free(&proj);
    return st;
}
