/*
 * bind_select.c — binding one SELECT (layer: plan): FROM and WHERE, the
 * SELECT list with wildcards, GROUP BY (ordinals, aliases, GROUPING SETS,
 * ROLLUP, CUBE), aggregate extraction and the rewrite of the SELECT list,
 * HAVING and ORDER BY over the aggregate's output, the window stage and
 * QUALIFY (bind_window.c), DISTINCT, and ORDER BY keys that the SELECT
 * list does not produce (hidden columns).
 */
#include <stdlib.h>
#include <string.h>

#include "plan/bind_from.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "SELECT");
}

/* A growable array of expressions in the ctx arena. */
typedef struct expr_list {
    int32_t n, cap;
    plan_expr **items;
    const char **names;      /* output names */
    const char **qualifiers; /* output qualifiers (plain column references) */
} expr_list;

static bool list_push(plan_ctx *ctx, expr_list *list, plan_expr *e, const char *name,
                      const char *qualifier)
{
    if (list->n == list->cap) {
        int32_t cap = list->cap == 0 ? 8 : list->cap * 2;
        plan_expr **items = plan_alloc(ctx, (size_t)cap * sizeof *items);
        const char **names = plan_alloc(ctx, (size_t)cap * sizeof *names);
        const char **quals = plan_alloc(ctx, (size_t)cap * sizeof *quals);
        if (items == NULL || names == NULL || quals == NULL)
            return false;
        if (list->n > 0) {
            memcpy(items, list->items, (size_t)list->n * sizeof *items);
            memcpy(names, list->names, (size_t)list->n * sizeof *names);
            memcpy(quals, list->qualifiers, (size_t)list->n * sizeof *quals);
        }
        list->items = items;
        list->names = names;
        list->qualifiers = quals;
        list->cap = cap;
    }
    list->items[list->n] = e;
    list->names[list->n] = name;
    list->qualifiers[list->n] = qualifier;
    list->n++;
    return true;
}

bool bind_nulls_first(const sql_node *item)
{
    if (item->flags & SQL_F_NULLS_FIRST)
        return true;
    if (item->flags & SQL_F_NULLS_LAST)
        return false;
    return item->op == SQL_ORDER_DESC;
}

/* ---- SELECT list ---- */

static bool name_in_list(plan_ctx *ctx, const sql_node *list, const char *name)
{
    for (uint32_t i = 0; list != NULL && i < list->n_kids; i++) {
        const sql_node *k = list->kids[i];
        const sql_node *ident = k->kind == SQL_NAME ? k->kids[k->n_kids - 1] : k;
        const char *n = plan_ident(ctx, ident);
        if (n != NULL && strcmp(n, name) == 0)
            return true;
    }
    return false;
}

static qv_status expand_star(bind_env *env, const sql_node *star, expr_list *items, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    const plan_schema *schema = env->schema;
    const char *qualifier = NULL;
    if (sql_kid(star, 0) != NULL) {
        const sql_node *q = sql_kid(star, 0);
        qualifier = plan_ident(ctx, q->kind == SQL_NAME ? q->kids[q->n_kids - 1] : q);
        if (qualifier == NULL)
            return nomem(err);
    }
    if (sql_kid(star, 3) != NULL || sql_kid(star, 4) != NULL)
        return bind_error(err, QV_NOT_IMPLEMENTED, star,
                          "This feature is not implemented: wildcard REPLACE / RENAME");
    int32_t added = 0;
    for (int32_t i = 0; i < schema->n_columns; i++) {
        const plan_column *col = &schema->columns[i];
        if (qualifier != NULL && (col->qualifier == NULL || strcmp(col->qualifier, qualifier) != 0))
            continue;
        if (qualifier == NULL && col->using_hidden)
            continue;
        if (name_in_list(ctx, sql_kid(star, 1), col->name) ||
            name_in_list(ctx, sql_kid(star, 2), col->name))
            continue;
        plan_expr *e = plan_expr_column(ctx, schema, i);
        if (e == NULL || !list_push(ctx, items, e, col->name, col->qualifier))
            return nomem(err);
        added++;
    }
    if (qualifier != NULL && added == 0 && sql_kid(star, 1) == NULL && sql_kid(star, 2) == NULL)
        return bind_error(err, QV_PLAN, star, "Error during planning: Invalid qualifier %s",
                          qualifier);
    if (qualifier == NULL && schema->n_columns == 0)
        return bind_error(err, QV_PLAN, star,
                          "Error during planning: SELECT * with no tables specified is not valid");
    return QV_OK;
}

static qv_status bind_select_list(bind_env *env, const sql_node *list, expr_list *items,
                                  qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    for (uint32_t i = 0; i < list->n_kids; i++) {
        const sql_node *item = list->kids[i];
        if (item->kind == SQL_STAR) {
            QV_TRY(expand_star(env, item, items, err));
            continue;
        }
        const sql_node *expr_node = item->kind == SQL_ALIAS ? sql_kid(item, 0) : item;
        plan_expr *e = NULL;
        QV_TRY(bind_expr(env, expr_node, &e, err));
        if (bind_unnest_is_struct(e)) { /* unnest(struct): a column per field (bind_unnest.c) */
            int32_t n_fields;
            plan_expr **fields;
            const char **field_names;
            QV_TRY(bind_unnest_struct_fields(env, e, &n_fields, &fields, &field_names, err));
            for (int32_t f = 0; f < n_fields; f++)
                if (!list_push(ctx, items, fields[f], field_names[f], NULL))
                    return nomem(err);
            continue;
        }
        const char *name, *qualifier = NULL;
        if (item->kind == SQL_ALIAS) {
            name = plan_ident(ctx, sql_kid(item, 1));
        } else if (e->kind == PLAN_EXPR_COLUMN) {
            name = env->schema->columns[e->column].name;
            qualifier = env->schema->columns[e->column].qualifier;
        } else {
            name = plan_expr_name(ctx, e, env->schema);
        }
        if (name == NULL || !list_push(ctx, items, e, name, qualifier))
            return nomem(err);
    }
    return QV_OK;
}

/* ---- GROUP BY ---- */

typedef struct group_state {
    expr_list exprs; /* distinct group expressions */
    int32_t n_sets, sets_cap;
    uint32_t *sets; /* masks over exprs */
    bool has_sets;  /* GROUPING SETS / ROLLUP / CUBE present */
} group_state;

static int32_t group_index(plan_ctx *ctx, group_state *g, plan_expr *e, const plan_schema *input)
{
    for (int32_t i = 0; i < g->exprs.n; i++)
        if (plan_expr_equal(g->exprs.items[i], e))
            return i;
    const char *name, *qualifier = NULL;
    if (e->kind == PLAN_EXPR_COLUMN) {
        name = input->columns[e->column].name;
        qualifier = input->columns[e->column].qualifier;
    } else {
        name = plan_expr_name(ctx, e, input);
    }
    if (name == NULL || g->exprs.n >= 31 || !list_push(ctx, &g->exprs, e, name, qualifier))
        return -1;
    return g->exprs.n - 1;
}

static bool add_set(plan_ctx *ctx, group_state *g, uint32_t mask)
{
    if (g->n_sets == g->sets_cap) {
        int32_t cap = g->sets_cap == 0 ? 8 : g->sets_cap * 2;
        uint32_t *sets = plan_alloc(ctx, (size_t)cap * sizeof *sets);
        if (sets == NULL)
            return false;
        if (g->n_sets > 0)
            memcpy(sets, g->sets, (size_t)g->n_sets * sizeof *sets);
        g->sets = sets;
        g->sets_cap = cap;
    }
    g->sets[g->n_sets++] = mask;
    return true;
}

/* One GROUP BY expression: an ordinal, a SELECT-list alias, or an
 * expression over the input. */
static qv_status bind_group_expr(bind_env *env, const sql_node *node, const expr_list *items,
                                 plan_expr **out, qv_error *err)
{
    if (node->kind == SQL_LITERAL && node->op == SQL_LIT_INTEGER) {
        long k = strtol(node->text, NULL, 10);
        if (k < 1 || k > items->n)
            return bind_error(err, QV_PLAN, node,
                              "Error during planning: Cannot find column with position %ld in "
                              "SELECT clause. Valid columns: 1 to %d",
                              k, items->n);
        *out = items->items[k - 1];
        return QV_OK;
    }
    bind_env group_env = *env;
    group_env.allow_aggregates = false;
    group_env.clause = "GROUP BY";
    group_env.n_aliases = 0;
    qv_status st = bind_expr(&group_env, node, out, err);
    if (node->kind == SQL_NAME && node->n_kids == 1) /* a one-part name may be an alias */
        node = node->kids[0];
    if (st == QV_SCHEMA && node->kind == SQL_IDENT) {
        const char *name = plan_ident(env->ctx, node);
        for (int32_t i = 0; name != NULL && i < items->n; i++)
            if (items->names[i] != NULL && strcmp(items->names[i], name) == 0) {
                *out = items->items[i];
                return QV_OK;
            }
    }
    return st;
}

/* Masks of one GROUPING SETS / ROLLUP / CUBE element (a list or one expr). */
static qv_status element_mask(bind_env *env, const sql_node *element, const expr_list *items,
                              group_state *g, uint32_t *mask, qv_error *err)
{
    *mask = 0;
    bool many = element->kind == SQL_LIST || element->kind == SQL_TUPLE;
    if (element->kind == SQL_NESTED)
        element = sql_kid(element, 0);
    uint32_t n = many ? element->n_kids : 1;
    for (uint32_t i = 0; i < n; i++) {
        const sql_node *k = many ? element->kids[i] : element;
        plan_expr *e = NULL;
        QV_TRY(bind_group_expr(env, k, items, &e, err));
        int32_t idx = group_index(env->ctx, g, e, env->schema);
        if (idx < 0)
            return nomem(err);
        *mask |= 1u << idx;
    }
    return QV_OK;
}

static qv_status bind_group_by(bind_env *env, const sql_node *group_by, const expr_list *items,
                               group_state *g, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    if (group_by->flags & SQL_F_ALL)
        return bind_error(err, QV_NOT_IMPLEMENTED, group_by,
                          "This feature is not implemented: GROUP BY ALL");
    /* The plain expressions form one mask that every set also contains. */
    uint32_t plain = 0;
    int32_t n_compound = 0;
    const sql_node *compound = NULL;
    for (uint32_t i = 0; i < group_by->n_kids; i++) {
        const sql_node *k = group_by->kids[i];
        if (k->kind == SQL_GROUPING_SETS || k->kind == SQL_ROLLUP || k->kind == SQL_CUBE) {
            compound = k;
            n_compound++;
            continue;
        }
        plan_expr *e = NULL;
        QV_TRY(bind_group_expr(env, k, items, &e, err));
        int32_t idx = group_index(ctx, g, e, env->schema);
        if (idx < 0)
            return nomem(err);
        plain |= 1u << idx;
    }
    if (n_compound == 0)
        return QV_OK;
    if (n_compound > 1)
        return bind_error(err, QV_NOT_IMPLEMENTED, group_by,
                          "This feature is not implemented: several GROUPING SETS / ROLLUP / "
                          "CUBE in one GROUP BY");
    g->has_sets = true;
    uint32_t n = compound->n_kids;
    uint32_t *masks = plan_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *masks);
    if (masks == NULL)
        return nomem(err);
    for (uint32_t i = 0; i < n; i++)
        QV_TRY(element_mask(env, compound->kids[i], items, g, &masks[i], err));
    if (compound->kind == SQL_GROUPING_SETS) {
        for (uint32_t i = 0; i < n; i++)
            if (!add_set(ctx, g, plain | masks[i]))
                return nomem(err);
    } else if (compound->kind == SQL_ROLLUP) {
        for (int32_t keep = (int32_t)n; keep >= 0; keep--) {
            uint32_t m = plain;
            for (int32_t i = 0; i < keep; i++)
                m |= masks[i];
            if (!add_set(ctx, g, m))
                return nomem(err);
        }
    } else {
        if (n > 12)
            return bind_error(err, QV_PLAN, compound,
                              "Error during planning: CUBE supports up to 12 expressions");
        for (uint32_t bits = (1u << n); bits-- > 0;) {
            uint32_t m = plain;
            for (uint32_t i = 0; i < n; i++)
                if (bits & (1u << i))
                    m |= masks[i];
            if (!add_set(ctx, g, m))
                return nomem(err);
        }
    }
    return QV_OK;
}

/* ---- aggregates ---- */

typedef struct agg_state {
    int32_t n, cap;
    plan_agg_call **calls;
} agg_state;

static qv_status collect_aggs(plan_ctx *ctx, const plan_expr *e, agg_state *aggs, qv_error *err)
{
    if (e == NULL)
        return QV_OK;
    if (e->kind == PLAN_EXPR_AGGREGATE && e->agg->func == &plan_grouping_entry)
        return QV_OK; /* computed from __grouping_id, not aggregated */
    if (e->kind == PLAN_EXPR_AGGREGATE) {
        for (int32_t i = 0; i < aggs->n; i++)
            if (plan_expr_equal(e, &(plan_expr){.kind = PLAN_EXPR_AGGREGATE,
                                                .type = aggs->calls[i]->return_type,
                                                .column = -1,
                                                .agg = aggs->calls[i]}))
                return QV_OK;
        if (aggs->n == aggs->cap) {
            int32_t cap = aggs->cap == 0 ? 8 : aggs->cap * 2;
            plan_agg_call **calls = plan_alloc(ctx, (size_t)cap * sizeof *calls);
            if (calls == NULL)
                return nomem(err);
            if (aggs->n > 0)
                memcpy(calls, aggs->calls, (size_t)aggs->n * sizeof *calls);
            aggs->calls = calls;
            aggs->cap = cap;
        }
        aggs->calls[aggs->n++] = e->agg;
        return QV_OK;
    }
    for (int32_t i = 0; i < e->n_args; i++)
        QV_TRY(collect_aggs(ctx, e->args[i], aggs, err));
    return QV_OK;
}

static bool contains_agg(const plan_expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == PLAN_EXPR_AGGREGATE)
        return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (contains_agg(e->args[i]))
            return true;
    return false;
}

typedef struct rewrite_ctx {
    plan_ctx *ctx;
    const group_state *groups;
    const agg_state *aggs;
    int32_t agg_base;          /* first aggregate column in the output */
    const plan_schema *input;  /* the aggregate's input, for messages */
    const plan_schema *output; /* the aggregate's output */
} rewrite_ctx;

static qv_status not_resolved(const rewrite_ctx *rc, const plan_expr *e, qv_error *err)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "Error during planning: Projection references non-aggregate "
                                "values: Expression ");
    plan_expr_format(e, rc->input, &sb);
    base_strbuf_append_str(&sb, " could not be resolved from available columns: ");
    for (int32_t i = 0; i < rc->output->n_columns; i++) {
        if (i > 0)
            base_strbuf_append_str(&sb, ", ");
        bind_column_display(&rc->output->columns[i], &sb);
    }
    qv_status st = base_error_set(err, QV_PLAN, "%s", sb.data ? sb.data : "not resolved");
    base_strbuf_free(&sb);
    return st;
}

/* grouping(a, b...) over the aggregate's output: bit i (from the right) of
 * the result is bit (n_groups - 1 - group index of argument) of
 * __grouping_id, computed with integer division and remainder:
 * sum over arguments of ((gid / 2^shift) % 2) * 2^(n_args - 1 - i). */
static qv_status rewrite_grouping(const rewrite_ctx *rc, const plan_expr *e, plan_expr **out,
                                  qv_error *err)
{
    plan_ctx *ctx = rc->ctx;
    const plan_agg_call *call = e->agg;
    arrow_type *i64 = arrow_type_primitive(QV_TYPE_INT64);
    int32_t n_groups = rc->groups->exprs.n;
    plan_expr *acc = bind_literal_int64(ctx, 0);
    if (acc == NULL)
        return nomem(err);
    if (!rc->groups->has_sets) {
        *out = plan_expr_cast(ctx, acc, arrow_type_primitive(QV_TYPE_INT32), false);
        return *out ? QV_OK : nomem(err);
    }
    plan_expr *gid = plan_expr_column(ctx, rc->output, n_groups);
    if (gid == NULL)
        return nomem(err);
    gid = plan_expr_cast(ctx, gid, i64, false);
    for (int32_t i = 0; i < call->n_args; i++) {
        int32_t g = -1;
        for (int32_t k = 0; k < n_groups && g < 0; k++)
            if (plan_expr_equal(call->args[i], rc->groups->exprs.items[k]))
                g = k;
        if (g < 0)
            return base_error_set(err, QV_PLAN,
                                  "Error during planning: Argument of grouping() must be a "
                                  "GROUP BY expression");
        plan_expr *pow_shift = bind_literal_int64(ctx, (int64_t)1 << (n_groups - 1 - g));
        plan_expr *two = bind_literal_int64(ctx, 2);
        plan_expr *weight = bind_literal_int64(ctx, (int64_t)1 << (call->n_args - 1 - i));
        if (gid == NULL || pow_shift == NULL || two == NULL || weight == NULL)
            return nomem(err);
        plan_expr *a[2] = {gid, pow_shift};
        plan_expr *shifted = plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_DIV, i64, false, 2, a);
        plan_expr *b[2] = {shifted, two};
        plan_expr *bit =
            shifted ? plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_MOD, i64, false, 2, b) : NULL;
        plan_expr *c[2] = {bit, weight};
        plan_expr *term =
            bit ? plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_MUL, i64, false, 2, c) : NULL;
        plan_expr *d[2] = {acc, term};
        acc = term ? plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_ADD, i64, false, 2, d) : NULL;
        if (acc == NULL)
            return nomem(err);
    }
    *out = plan_expr_cast(ctx, acc, arrow_type_primitive(QV_TYPE_INT32), false);
    return *out ? QV_OK : nomem(err);
}

/* e (over the aggregate's input) as an expression over its output. */
static qv_status rewrite_post_agg(const rewrite_ctx *rc, const plan_expr *e, plan_expr **out,
                                  qv_error *err)
{
    *out = NULL;
    if (e == NULL)
        return QV_OK;
    for (int32_t i = 0; i < rc->groups->exprs.n; i++)
        if (plan_expr_equal(e, rc->groups->exprs.items[i])) {
            *out = plan_expr_column(rc->ctx, rc->output, i);
            return *out ? QV_OK : nomem(err);
        }
    if (e->kind == PLAN_EXPR_AGGREGATE && e->agg->func == &plan_grouping_entry)
        return rewrite_grouping(rc, e, out, err);
    if (e->kind == PLAN_EXPR_AGGREGATE) {
        for (int32_t i = 0; i < rc->aggs->n; i++)
            if (rc->aggs->calls[i] == e->agg ||
                plan_expr_equal(e, &(plan_expr){.kind = PLAN_EXPR_AGGREGATE,
                                                .type = rc->aggs->calls[i]->return_type,
                                                .column = -1,
                                                .agg = rc->aggs->calls[i]})) {
                *out = plan_expr_column(rc->ctx, rc->output, rc->agg_base + i);
                return *out ? QV_OK : nomem(err);
            }
    }
    if (e->kind == PLAN_EXPR_COLUMN)
        return not_resolved(rc, e, err);
    plan_expr *copy = plan_alloc(rc->ctx, sizeof *copy);
    if (copy == NULL)
        return nomem(err);
    *copy = *e;
    if (e->n_args > 0) {
        copy->args = plan_alloc(rc->ctx, (size_t)e->n_args * sizeof *copy->args);
        if (copy->args == NULL)
            return nomem(err);
        for (int32_t i = 0; i < e->n_args; i++)
            QV_TRY(rewrite_post_agg(rc, e->args[i], &copy->args[i], err));
    }
    *out = copy;
    return QV_OK;
}

static qv_status build_aggregate(plan_ctx *ctx, plan_node *input, group_state *g, agg_state *aggs,
                                 plan_node **out, qv_error *err)
{
    plan_node *node = plan_node_new(ctx, PLAN_AGGREGATE, 1, &input);
    if (node == NULL)
        return nomem(err);
    int32_t n_extra = g->has_sets ? 1 : 0;
    int32_t n_cols = g->exprs.n + n_extra + aggs->n;
    if (!plan_schema_init(ctx, &node->schema, n_cols))
        return nomem(err);
    node->n_groups = g->exprs.n;
    node->groups = g->exprs.items;
    for (int32_t i = 0; i < g->exprs.n; i++) {
        plan_column *col = &node->schema.columns[i];
        col->name = g->exprs.names[i];
        col->qualifier = g->exprs.qualifiers[i];
        col->type = g->exprs.items[i]->type;
        col->nullable = g->exprs.items[i]->nullable || g->has_sets;
    }
    if (g->has_sets) {
        node->n_grouping_sets = g->n_sets;
        node->grouping_sets = g->sets;
        plan_column *col = &node->schema.columns[g->exprs.n];
        col->name = "__grouping_id";
        col->type = arrow_type_primitive(QV_TYPE_UINT32);
        col->nullable = false;
    }
    node->n_aggs = aggs->n;
    node->aggs = plan_alloc(ctx, (size_t)(aggs->n > 0 ? aggs->n : 1) * sizeof *node->aggs);
    if (node->aggs == NULL)
        return nomem(err);
    for (int32_t i = 0; i < aggs->n; i++) {
        node->aggs[i] = *aggs->calls[i];
        plan_column *col = &node->schema.columns[g->exprs.n + n_extra + i];
        col->name = aggs->calls[i]->name;
        col->type = aggs->calls[i]->return_type;
        bool never_null = strcmp(aggs->calls[i]->func->name, "count") == 0 ||
                          strcmp(aggs->calls[i]->func->name, "approx_distinct") == 0 ||
                          strcmp(aggs->calls[i]->func->name, "regr_count") == 0;
        col->nullable = !never_null;
    }
    *out = node;
    return QV_OK;
}

/* ---- projection, DISTINCT, ORDER BY ---- */

static qv_status make_projection(plan_ctx *ctx, plan_node *input, const expr_list *items,
                                 plan_node **out, qv_error *err)
{
    plan_node *node = plan_node_new(ctx, PLAN_PROJECTION, 1, &input);
    if (node == NULL || !plan_schema_init(ctx, &node->schema, items->n))
        return nomem(err);
    node->n_exprs = items->n;
    node->exprs = items->items;
    for (int32_t i = 0; i < items->n; i++) {
        plan_column *col = &node->schema.columns[i];
        col->name = items->names[i];
        col->qualifier = items->qualifiers[i];
        col->type = items->items[i]->type;
        col->nullable = items->items[i]->nullable;
    }
    *out = node;
    return QV_OK;
}

static qv_status make_distinct(plan_ctx *ctx, plan_node *input, plan_node **out, qv_error *err)
{
    plan_node *node = plan_node_new(ctx, PLAN_AGGREGATE, 1, &input);
    int32_t n = input->schema.n_columns;
    if (node == NULL || !plan_schema_init(ctx, &node->schema, n))
        return nomem(err);
    node->n_groups = n;
    node->groups = plan_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *node->groups);
    if (node->groups == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n; i++) {
        node->groups[i] = plan_expr_column(ctx, &input->schema, i);
        if (node->groups[i] == NULL)
            return nomem(err);
        node->schema.columns[i] = input->schema.columns[i];
    }
    *out = node;
    return QV_OK;
}

typedef struct order_item {
    plan_expr *expr; /* over the projection's input */
    int32_t output;  /* column of the projection, -1 until matched */
    bool descending;
    bool nulls_first;
} order_item;

qv_status bind_select(plan_ctx *ctx, const sql_node *select, const sql_node *order_by,
                      plan_node **out, qv_error *err)
{
    if (sql_kid(select, 0) != NULL)
        return bind_error(err, QV_NOT_IMPLEMENTED, select,
                          "This feature is not implemented: DISTINCT ON");
    QV_TRY(bind_window_definitions(ctx, sql_kid(select, 6), err)); /* WINDOW (bind_window.c) */
    if (sql_kid(select, 8) != NULL)
        return bind_error(err, QV_NOT_IMPLEMENTED, select,
                          "This feature is not implemented: SELECT INTO");

    /* FROM */
    plan_node *input = NULL;
    const sql_node *from = sql_kid(select, 2);
    if (from == NULL || from->n_kids == 0) {
        input = plan_node_new(ctx, PLAN_EMPTY, 0, NULL);
        if (input == NULL || !plan_schema_init(ctx, &input->schema, 0))
            return nomem(err);
        input->produce_one_row = true;
    } else {
        QV_TRY(bind_from_clause(ctx, from, &input, err));
    }

    /* WHERE */
    bind_env env = {
        .ctx = ctx, .schema = &input->schema, .clause = "WHERE", .windows = sql_kid(select, 6)};
    if (sql_kid(select, 3) != NULL) {
        plan_expr *pred = NULL;
        QV_TRY(bind_expr(&env, sql_kid(select, 3), &pred, err));
        if (pred->type->id != QV_TYPE_BOOLEAN)
            QV_TRY(bind_locate(
                err, plan_coerce_to(ctx, pred, arrow_type_primitive(QV_TYPE_BOOLEAN), &pred, err),
                sql_kid(select, 3)));
        QV_TRY(bind_locate(err, bind_filter(ctx, &input, pred, err), sql_kid(select, 3)));
        env.schema = &input->schema;
    }

    /* SELECT list */
    expr_list items = {0};
    env.allow_aggregates = true;
    env.clause = "SELECT";
    QV_TRY(bind_select_list(&env, sql_kid(select, 1), &items, err));
    int32_t n_visible = items.n;

    /* HAVING and ORDER BY may name SELECT-list aliases. */
    env.n_aliases = items.n;
    env.alias_names = items.names;
    env.alias_exprs = items.items;
    plan_expr *having = NULL;
    if (sql_kid(select, 5) != NULL) {
        env.clause = "HAVING";
        QV_TRY(bind_expr(&env, sql_kid(select, 5), &having, err));
    }
    plan_expr *qualify = NULL; /* filters window results (bind_window_stage) */
    if (sql_kid(select, 7) != NULL) {
        env.clause = "QUALIFY";
        QV_TRY(bind_expr(&env, sql_kid(select, 7), &qualify, err));
    }
    int32_t n_order = order_by ? (int32_t)order_by->n_kids : 0;
    order_item *order = plan_alloc(ctx, (size_t)(n_order > 0 ? n_order : 1) * sizeof *order);
    if (order == NULL)
        return nomem(err);
    env.clause = "ORDER BY";
    for (int32_t i = 0; i < n_order; i++) {
        const sql_node *item = order_by->kids[i];
        const sql_node *e = sql_kid(item, 0);
        if (e->kind == SQL_NAME && e->n_kids == 1)
            e = e->kids[0];
        order[i].output = -1;
        order[i].descending = item->op == SQL_ORDER_DESC;
        order[i].nulls_first = bind_nulls_first(item);
        if (e->kind == SQL_LITERAL && e->op == SQL_LIT_INTEGER) {
            long k = strtol(e->text, NULL, 10);
            if (k < 1 || k > n_visible)
                return bind_error(err, QV_PLAN, e,
                                  "Error during planning: Order by column out of bounds, "
                                  "specified: %ld, max: %d",
                                  k, n_visible);
            order[i].output = (int32_t)(k - 1);
            order[i].expr = items.items[k - 1];
            continue;
        }
        if (e->kind == SQL_IDENT) {
            /* Output names first (DataFusion resolves ORDER BY against the
             * SELECT list before the input). */
            const char *name = plan_ident(ctx, e);
            for (int32_t k = 0; name != NULL && k < n_visible; k++)
                if (items.qualifiers[k] == NULL && strcmp(items.names[k], name) == 0) {
                    order[i].output = k;
                    order[i].expr = items.items[k];
                    break;
                }
            if (order[i].output >= 0)
                continue;
        }
        QV_TRY(bind_expr(&env, e, &order[i].expr, err));
    }

    /* GROUP BY and aggregates */
    group_state groups = {0};
    if (sql_kid(select, 4) != NULL) {
        env.clause = "GROUP BY";
        QV_TRY(bind_group_by(&env, sql_kid(select, 4), &items, &groups, err));
    }
    /* GROUP BY unnest(x): the unnest goes below the aggregate (bind_unnest.c). */
    if (bind_unnest_in_any(groups.exprs.n, groups.exprs.items)) {
        int32_t n_early = groups.exprs.n + items.n + n_order + 2, k = 0;
        plan_expr ***early = plan_alloc(ctx, (size_t)n_early * sizeof *early);
        if (early == NULL)
            return nomem(err);
        for (int32_t i = 0; i < groups.exprs.n; i++)
            early[k++] = &groups.exprs.items[i];
        for (int32_t i = 0; i < items.n; i++)
            early[k++] = &items.items[i];
        for (int32_t i = 0; i < n_order; i++)
            early[k++] = &order[i].expr;
        early[k++] = &having;
        early[k++] = &qualify;
        QV_TRY(bind_locate(err, bind_unnest_stage(ctx, &input, k, early, err), select));
    }
    agg_state aggs = {0};
    for (int32_t i = 0; i < items.n; i++)
        QV_TRY(collect_aggs(ctx, items.items[i], &aggs, err));
    QV_TRY(collect_aggs(ctx, having, &aggs, err));
    QV_TRY(collect_aggs(ctx, qualify, &aggs, err));
    for (int32_t i = 0; i < n_order; i++)
        QV_TRY(collect_aggs(ctx, order[i].expr, &aggs, err));
    bool aggregated = aggs.n > 0 || sql_kid(select, 4) != NULL;
    if (!aggregated && having != NULL)
        return bind_error(err, QV_PLAN, sql_kid(select, 5),
                          "Error during planning: HAVING clause references non-aggregate values");
    if (aggregated) {
        plan_node *agg_node = NULL;
        QV_TRY(build_aggregate(ctx, input, &groups, &aggs, &agg_node, err));
        rewrite_ctx rc = {ctx,
                          &groups,
                          &aggs,
                          groups.exprs.n + (groups.has_sets ? 1 : 0),
                          &input->schema,
                          &agg_node->schema};
        for (int32_t i = 0; i < items.n; i++)
            QV_TRY(bind_locate(err, rewrite_post_agg(&rc, items.items[i], &items.items[i], err),
                               select));
        for (int32_t i = 0; i < n_order; i++)
            QV_TRY(rewrite_post_agg(&rc, order[i].expr, &order[i].expr, err));
        QV_TRY(bind_locate(err, rewrite_post_agg(&rc, qualify, &qualify, err), select));
        input = agg_node;
        if (having != NULL) {
            plan_expr *pred = NULL;
            QV_TRY(rewrite_post_agg(&rc, having, &pred, err));
            if (pred->type->id != QV_TYPE_BOOLEAN)
                QV_TRY(
                    plan_coerce_to(ctx, pred, arrow_type_primitive(QV_TYPE_BOOLEAN), &pred, err));
            if (bind_has_correlated_subquery(pred))
                return bind_error(err, QV_NOT_IMPLEMENTED, sql_kid(select, 5),
                                  "This feature is not implemented: correlated subquery in "
                                  "HAVING");
            QV_TRY(bind_locate(err, bind_filter(ctx, &input, pred, err), sql_kid(select, 5)));
        }
    }
    /* Subqueries of the SELECT list and ORDER BY become joins below the
     * projection (correlated ones only without aggregation: their outer
     * references point below the aggregate). */
    for (int32_t i = 0; i < items.n + n_order; i++) {
        plan_expr **e = i < items.n ? &items.items[i] : &order[i - items.n].expr;
        if (!bind_has_subquery(*e) || (i >= items.n && order[i - items.n].output >= 0))
            continue;
        if (aggregated && bind_has_correlated_subquery(*e))
            return bind_error(err, QV_NOT_IMPLEMENTED, select,
                              "This feature is not implemented: correlated subquery in the "
                              "SELECT list of an aggregate query");
        QV_TRY(bind_locate(err, bind_decorrelate_expr(ctx, &input, e, err), select));
    }
    /* Window functions over the rows so far, then QUALIFY (bind_window.c). */
    plan_expr ***slots = plan_alloc(ctx, (size_t)(items.n + n_order + 1) * sizeof *slots);
    if (slots == NULL)
        return nomem(err);
    for (int32_t i = 0; i < items.n + n_order; i++)
        slots[i] = i < items.n ? &items.items[i] : &order[i - items.n].expr;
    QV_TRY(
        bind_window_stage(ctx, &input, items.n + n_order, slots, qualify, sql_kid(select, 7), err));
    QV_TRY(bind_locate(err, bind_unnest_stage(ctx, &input, items.n + n_order, slots, err),
                       select)); /* unnest(x) in the SELECT list (bind_unnest.c) */
    for (int32_t i = 0; i < items.n; i++)
        if (contains_agg(items.items[i]))
            return bind_error(err, QV_PLAN, select,
                              "Error during planning: aggregate in an unexpected place");

    /* ORDER BY keys not in the SELECT list become hidden columns. */
    bool distinct = (select->flags & SQL_F_DISTINCT) != 0;
    for (int32_t i = 0; i < n_order; i++) {
        if (order[i].output >= 0)
            continue;
        for (int32_t k = 0; k < n_visible && order[i].output < 0; k++)
            if (plan_expr_equal(order[i].expr, items.items[k]))
                order[i].output = k;
        if (order[i].output >= 0)
            continue;
        if (distinct)
            return bind_error(err, QV_PLAN, order_by->kids[i],
                              "Error during planning: For SELECT DISTINCT, ORDER BY expressions "
                              "must appear in select list");
        const char *name = plan_expr_name(ctx, order[i].expr, &input->schema);
        if (name == NULL || !list_push(ctx, &items, order[i].expr, name, NULL))
            return nomem(err);
        order[i].output = items.n - 1;
    }

    plan_node *proj = NULL;
    QV_TRY(make_projection(ctx, input, &items, &proj, err));
    plan_node *result = proj;
    if (distinct)
        QV_TRY(make_distinct(ctx, result, &result, err));
    if (n_order > 0) {
        plan_node *sort = plan_node_new(ctx, PLAN_SORT, 1, &result);
        if (sort == NULL)
            return nomem(err);
        sort->schema = result->schema;
        sort->n_keys = n_order;
        sort->keys = plan_alloc(ctx, (size_t)n_order * sizeof *sort->keys);
        if (sort->keys == NULL)
            return nomem(err);
        for (int32_t i = 0; i < n_order; i++) {
            sort->keys[i].expr = plan_expr_column(ctx, &result->schema, order[i].output);
            if (sort->keys[i].expr == NULL)
                return nomem(err);
            sort->keys[i].descending = order[i].descending;
            sort->keys[i].nulls_first = order[i].nulls_first;
        }
        result = sort;
    }
    if (items.n > n_visible) {
        expr_list visible = {0};
        for (int32_t i = 0; i < n_visible; i++) {
            plan_expr *e = plan_expr_column(ctx, &result->schema, i);
            if (e == NULL || !list_push(ctx, &visible, e, result->schema.columns[i].name,
                                        result->schema.columns[i].qualifier))
                return nomem(err);
        }
        QV_TRY(make_projection(ctx, result, &visible, &result, err));
    }
    *out = result;
    return QV_OK;
}
