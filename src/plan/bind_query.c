/*
 * bind_query.c — binding whole queries (layer: plan): the query body
 * (SELECT, VALUES, UNION), ORDER BY over a body's output, LIMIT / OFFSET /
 * FETCH. WITH and INTERSECT / EXCEPT come with the second engine issue.
 */
#include <stdlib.h>
#include <string.h>

#include "plan/bind_from.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "query");
}

/* One column of an INSERT's VALUES (n_rows values) cast to its target
 * column's type, as DataFusion's values_with_schema does. */
static qv_status coerce_values_to_target(bind_env *env, int32_t n_rows, plan_expr **column,
                                         const plan_column *target, qv_error *err)
{
    for (int32_t r = 0; r < n_rows; r++)
        if (!arrow_type_equal(column[r]->type, target->type) &&
            !func_can_cast(column[r]->type, target->type)) {
            base_strbuf sb;
            base_strbuf_init(&sb);
            base_strbuf_append_str(&sb, "Execution error: type mismatch and can't cast to got ");
            arrow_type_format(column[r]->type, &sb);
            base_strbuf_append_str(&sb, " and ");
            arrow_type_format(target->type, &sb);
            qv_status st = base_error_set(err, QV_EXECUTION, "%s", sb.data ? sb.data : "cast");
            base_strbuf_free(&sb);
            return st;
        }
    for (int32_t r = 0; r < n_rows; r++)
        QV_TRY(plan_coerce_to(env->ctx, column[r], target->type, &column[r], err));
    return QV_OK;
}

static qv_status bind_values(plan_ctx *ctx, const sql_node *values, plan_node **out, qv_error *err)
{
    int64_t n_rows = values->n_kids;
    /* VALUES in an INSERT source take the target's columns (not inside a
     * view, which DataFusion plans on its own). */
    const plan_schema *target = ctx->view_depth == 0 ? ctx->insert_target : NULL;
    int32_t n_cols = target != NULL ? target->n_columns
                     : n_rows > 0   ? (int32_t)values->kids[0]->n_kids
                                    : 0;
    plan_node *node = plan_node_new(ctx, PLAN_VALUES, 0, NULL);
    if (node == NULL || !plan_schema_init(ctx, &node->schema, n_cols))
        return nomem(err);
    node->n_rows = n_rows;
    node->values =
        plan_alloc(ctx, (size_t)(n_rows * n_cols > 0 ? n_rows * n_cols : 1) * sizeof *node->values);
    plan_expr **column = plan_alloc(ctx, (size_t)(n_rows > 0 ? n_rows : 1) * sizeof *column);
    if (node->values == NULL || column == NULL)
        return nomem(err);
    bind_env env = {.ctx = ctx, .schema = NULL, .clause = "VALUES"};
    for (int64_t r = 0; r < n_rows; r++) {
        const sql_node *row = values->kids[r];
        if ((int32_t)row->n_kids != n_cols)
            return bind_error(err, QV_PLAN, row,
                              "Error during planning: Inconsistent data length across values "
                              "list: got %u values in row %lld but expected %d",
                              row->n_kids, (long long)r, n_cols);
        for (int32_t c = 0; c < n_cols; c++)
            QV_TRY(bind_expr(&env, row->kids[c], &node->values[r * n_cols + c], err));
    }
    for (int32_t c = 0; c < n_cols; c++) {
        for (int64_t r = 0; r < n_rows; r++)
            column[r] = node->values[r * n_cols + c];
        if (target != NULL)
            QV_TRY(
                coerce_values_to_target(&env, (int32_t)n_rows, column, &target->columns[c], err));
        else
            QV_TRY(bind_coerce_common(&env, (int32_t)n_rows, column, values, "VALUES", err));
        for (int64_t r = 0; r < n_rows; r++)
            node->values[r * n_cols + c] = column[r];
        char name[32];
        snprintf(name, sizeof name, "column%d", c + 1);
        plan_column *col = &node->schema.columns[c];
        col->name = plan_strdup(ctx, name);
        col->type = column[0]->type;
        /* A VALUES column is nullable when some row's value is (or its type
         * is Null), as DataFusion infers it; in an INSERT it is nullable as
         * the target column is (the ValuesExec rejects NULLs otherwise). */
        col->nullable = col->type->id == QV_TYPE_NULL;
        for (int64_t r = 0; r < n_rows; r++)
            col->nullable = col->nullable || column[r]->nullable;
        if (target != NULL)
            col->nullable = target->columns[c].nullable;
        if (col->name == NULL)
            return nomem(err);
    }
    *out = node;
    return QV_OK;
}

/* Casts the columns of a UNION input to the common types. */
qv_status bind_coerce_to_schema(plan_ctx *ctx, plan_node *input, const plan_schema *target,
                                plan_node **out, qv_error *err)
{
    bool same = true;
    for (int32_t i = 0; i < target->n_columns && same; i++)
        same = arrow_type_equal(input->schema.columns[i].type, target->columns[i].type);
    if (same) {
        *out = input;
        return QV_OK;
    }
    plan_node *proj = plan_node_new(ctx, PLAN_PROJECTION, 1, &input);
    int32_t n = target->n_columns;
    if (proj == NULL || !plan_schema_init(ctx, &proj->schema, n))
        return nomem(err);
    proj->n_exprs = n;
    proj->exprs = plan_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *proj->exprs);
    if (proj->exprs == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n; i++) {
        plan_expr *e = plan_expr_column(ctx, &input->schema, i);
        if (e == NULL)
            return nomem(err);
        QV_TRY(plan_coerce_to(ctx, e, target->columns[i].type, &proj->exprs[i], err));
        proj->schema.columns[i] = input->schema.columns[i];
        proj->schema.columns[i].type = target->columns[i].type;
    }
    *out = proj;
    return QV_OK;
}

static qv_status bind_body(plan_ctx *ctx, const sql_node *body, const sql_node *order_by,
                           bool *ordered, plan_node **out, qv_error *err);

/* INTERSECT / EXCEPT as DataFusion plans them: a left semi / anti join on
 * every column (NULLs equal), then DISTINCT unless ALL. */
static qv_status bind_intersect_except(plan_ctx *ctx, const sql_node *node, plan_node *left,
                                       plan_node *right, plan_node **out, qv_error *err)
{
    plan_join_type type =
        node->op == SQL_SETOP_INTERSECT ? PLAN_JOIN_LEFT_SEMI : PLAN_JOIN_LEFT_ANTI;
    plan_node *join = plan_join_new(ctx, type, left, right);
    if (join == NULL)
        return nomem(err);
    int32_t n = left->schema.n_columns;
    join->null_equals_null = true;
    for (int32_t i = 0; i < n; i++) {
        plan_expr *args[2] = {plan_expr_column(ctx, &left->schema, i),
                              plan_expr_column(ctx, &right->schema, i)};
        if (args[0] == NULL || args[1] == NULL)
            return nomem(err);
        args[1]->column = n + i;
        plan_expr *eq = plan_expr_new(ctx, PLAN_EXPR_BINARY, PLAN_OP_IS_NOT_DISTINCT,
                                      arrow_type_primitive(QV_TYPE_BOOLEAN), false, 2, args);
        if (eq == NULL || !plan_join_add_condition(ctx, join, eq))
            return nomem(err);
    }
    *out = join;
    return QV_OK;
}

static const char *set_op_name(int32_t op)
{
    return op == SQL_SETOP_INTERSECT ? "INTERSECT" : op == SQL_SETOP_EXCEPT ? "EXCEPT" : "UNION";
}

static qv_status bind_set_op(plan_ctx *ctx, const sql_node *node, plan_node **out, qv_error *err)
{
    const char *what = set_op_name(node->op);
    if (node->flags & SQL_F_BY_NAME)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: UNION BY NAME");
    plan_node *sides[2];
    bool ordered;
    QV_TRY(bind_body(ctx, sql_kid(node, 0), NULL, &ordered, &sides[0], err));
    QV_TRY(bind_body(ctx, sql_kid(node, 1), NULL, &ordered, &sides[1], err));
    int32_t n = sides[0]->schema.n_columns;
    if (sides[1]->schema.n_columns != n)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: %s queries have different number of "
                          "columns: left has %d columns whereas right has %d columns",
                          what, n, sides[1]->schema.n_columns);
    plan_node *union_node = plan_node_new(ctx, PLAN_UNION, 2, sides);
    if (union_node == NULL || !plan_schema_init(ctx, &union_node->schema, n))
        return nomem(err);
    bind_env env = {.ctx = ctx, .clause = what};
    for (int32_t i = 0; i < n; i++) {
        plan_column *col = &union_node->schema.columns[i];
        *col = sides[0]->schema.columns[i];
        col->qualifier = NULL;
        arrow_type *types[2] = {sides[0]->schema.columns[i].type, sides[1]->schema.columns[i].type};
        arrow_type *common = NULL;
        qv_status st = plan_union_coercion(2, types, &common, err);
        if (st == QV_NOT_FOUND) {
            plan_expr probe[2] = {{.type = types[0]}, {.type = types[1]}};
            plan_expr *pp[2] = {&probe[0], &probe[1]};
            return bind_coerce_common(&env, 2, pp, node, what, err);
        }
        QV_TRY(st);
        if (plan_keep_type(ctx, common) == NULL)
            return nomem(err);
        col->type = common;
        col->nullable =
            sides[0]->schema.columns[i].nullable || sides[1]->schema.columns[i].nullable;
    }
    for (int s = 0; s < 2; s++)
        QV_TRY(bind_coerce_to_schema(ctx, union_node->inputs[s], &union_node->schema,
                                     &union_node->inputs[s], err));
    plan_node *result = union_node;
    if (node->op != SQL_SETOP_UNION) {
        QV_TRY(bind_intersect_except(ctx, node, union_node->inputs[0], union_node->inputs[1],
                                     &result, err));
        /* The output columns are the left input's, under their names. */
        for (int32_t i = 0; i < n; i++)
            result->schema.columns[i] = union_node->schema.columns[i];
    }
    bool all = (node->flags & SQL_F_ALL) != 0;
    if (!all) {
        plan_node *distinct = plan_node_new(ctx, PLAN_AGGREGATE, 1, &result);
        if (distinct == NULL || !plan_schema_init(ctx, &distinct->schema, n))
            return nomem(err);
        distinct->n_groups = n;
        distinct->groups = plan_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *distinct->groups);
        if (distinct->groups == NULL)
            return nomem(err);
        for (int32_t i = 0; i < n; i++) {
            distinct->groups[i] = plan_expr_column(ctx, &result->schema, i);
            if (distinct->groups[i] == NULL)
                return nomem(err);
            distinct->schema.columns[i] = result->schema.columns[i];
        }
        result = distinct;
    }
    *out = result;
    return QV_OK;
}

/* Binds a body; ORDER BY is applied inside a SELECT (it may use columns
 * the SELECT list drops), else *ordered stays false. */
static qv_status bind_body(plan_ctx *ctx, const sql_node *body, const sql_node *order_by,
                           bool *ordered, plan_node **out, qv_error *err)
{
    *ordered = false;
    switch (body->kind) {
    case SQL_SELECT:
        *ordered = true;
        return bind_select(ctx, body, order_by, out, err);
    case SQL_VALUES:
        return bind_values(ctx, body, out, err);
    case SQL_SET_OP:
        return bind_set_op(ctx, body, out, err);
    case SQL_NESTED_QUERY:
    case SQL_QUERY:
        return plan_bind_query(ctx, body->kind == SQL_QUERY ? body : sql_kid(body, 0), out, err);
    default:
        return bind_error(err, QV_NOT_IMPLEMENTED, body,
                          "This feature is not implemented: query body %s",
                          sql_kind_name(body->kind));
    }
}

qv_status bind_order_by_output(plan_ctx *ctx, plan_node *input, const sql_node *order_by,
                               plan_node **out, qv_error *err)
{
    int32_t n = (int32_t)order_by->n_kids;
    int32_t n_in = input->schema.n_columns;
    plan_sort_key *keys = plan_alloc(ctx, (size_t)n * sizeof *keys);
    if (keys == NULL)
        return nomem(err);
    bind_env env = {.ctx = ctx, .schema = &input->schema, .clause = "ORDER BY"};
    int32_t n_computed = 0;
    for (int32_t i = 0; i < n; i++) {
        const sql_node *item = order_by->kids[i];
        const sql_node *e = sql_kid(item, 0);
        if (e->kind == SQL_LITERAL && e->op == SQL_LIT_INTEGER) {
            long k = strtol(e->text, NULL, 10);
            if (k < 1 || k > n_in)
                return bind_error(err, QV_PLAN, e,
                                  "Error during planning: Order by column out of bounds, "
                                  "specified: %ld, max: %d",
                                  k, n_in);
            keys[i].expr = plan_expr_column(ctx, &input->schema, (int32_t)(k - 1));
            if (keys[i].expr == NULL)
                return nomem(err);
        } else {
            QV_TRY(bind_expr(&env, e, &keys[i].expr, err));
        }
        n_computed += keys[i].expr->kind != PLAN_EXPR_COLUMN;
        keys[i].descending = item->op == SQL_ORDER_DESC;
        keys[i].nulls_first = bind_nulls_first(item);
    }
    /* Computed keys become extra columns of a projection below the sort,
     * dropped again above it. */
    plan_node *below = input;
    if (n_computed > 0) {
        below = plan_node_new(ctx, PLAN_PROJECTION, 1, &input);
        if (below == NULL || !plan_schema_init(ctx, &below->schema, n_in + n_computed))
            return nomem(err);
        below->n_exprs = n_in + n_computed;
        below->exprs = plan_alloc(ctx, (size_t)below->n_exprs * sizeof *below->exprs);
        if (below->exprs == NULL)
            return nomem(err);
        for (int32_t i = 0; i < n_in; i++) {
            below->exprs[i] = plan_expr_column(ctx, &input->schema, i);
            if (below->exprs[i] == NULL)
                return nomem(err);
            below->schema.columns[i] = input->schema.columns[i];
        }
        int32_t next = n_in;
        for (int32_t i = 0; i < n; i++) {
            if (keys[i].expr->kind == PLAN_EXPR_COLUMN)
                continue;
            plan_column *col = &below->schema.columns[next];
            col->name = plan_expr_name(ctx, keys[i].expr, &input->schema);
            col->type = keys[i].expr->type;
            col->nullable = keys[i].expr->nullable;
            if (col->name == NULL)
                return nomem(err);
            below->exprs[next] = keys[i].expr;
            keys[i].expr = plan_expr_column(ctx, &below->schema, next);
            if (keys[i].expr == NULL)
                return nomem(err);
            next++;
        }
    }
    plan_node *sort = plan_node_new(ctx, PLAN_SORT, 1, &below);
    if (sort == NULL)
        return nomem(err);
    sort->schema = below->schema;
    sort->n_keys = n;
    sort->keys = keys;
    if (n_computed == 0) {
        *out = sort;
        return QV_OK;
    }
    plan_node *above = plan_node_new(ctx, PLAN_PROJECTION, 1, &sort);
    if (above == NULL || !plan_schema_init(ctx, &above->schema, n_in))
        return nomem(err);
    above->n_exprs = n_in;
    above->exprs = plan_alloc(ctx, (size_t)(n_in > 0 ? n_in : 1) * sizeof *above->exprs);
    if (above->exprs == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n_in; i++) {
        above->exprs[i] = plan_expr_column(ctx, &sort->schema, i);
        if (above->exprs[i] == NULL)
            return nomem(err);
        above->schema.columns[i] = input->schema.columns[i];
    }
    *out = above;
    return QV_OK;
}

/* A LIMIT / OFFSET value: a non-negative integer constant (NULL: none). */
static qv_status limit_value(plan_ctx *ctx, const sql_node *node, const char *what, int64_t *out,
                             qv_error *err)
{
    *out = -1;
    if (node == NULL)
        return QV_OK;
    plan_expr *e = NULL;
    QV_TRY(plan_bind_expr(ctx, node, NULL, &e, err));
    if (e->kind == PLAN_EXPR_PLACEHOLDER)
        return QV_OK; /* PREPARE: the value comes with EXECUTE (session/prepare.c) */
    if (e->kind == PLAN_EXPR_LITERAL && !arrow_array_is_valid(e->value, 0))
        return QV_OK;
    if (e->kind != PLAN_EXPR_LITERAL || !arrow_type_is_integer(e->type->id))
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Unexpected expression in %s clause", what);
    const uint8_t *data = arrow_array_values(e->value);
    int64_t off = e->value->offset, v;
    switch (e->type->id) { /* an EXECUTE parameter may have any integer type */
    case QV_TYPE_INT8:
        v = ((const int8_t *)data)[off];
        break;
    case QV_TYPE_INT16:
        v = ((const int16_t *)data)[off];
        break;
    case QV_TYPE_INT32:
        v = ((const int32_t *)data)[off];
        break;
    case QV_TYPE_UINT8:
        v = ((const uint8_t *)data)[off];
        break;
    case QV_TYPE_UINT16:
        v = ((const uint16_t *)data)[off];
        break;
    case QV_TYPE_UINT32:
        v = ((const uint32_t *)data)[off];
        break;
    case QV_TYPE_INT64:
        v = ((const int64_t *)data)[off];
        break;
    default:
        v = (int64_t)((const uint64_t *)data)[off];
        break;
    }
    if (v < 0)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: %s must be >= 0, '%lld' was provided", what,
                          (long long)v);
    *out = v;
    return QV_OK;
}

static qv_status bind_query_tail(plan_ctx *ctx, const sql_node *query, plan_node **out,
                                 qv_error *err);

qv_status plan_bind_query(plan_ctx *ctx, const sql_node *query, plan_node **out, qv_error *err)
{
    *out = NULL;
    if (query->kind != SQL_QUERY) {
        bool ordered;
        return bind_body(ctx, query, NULL, &ordered, out, err);
    }
    int32_t saved_ctes = ctx->n_ctes;
    if (sql_kid(query, 0) != NULL) {
        qv_status st = bind_with(ctx, sql_kid(query, 0), &saved_ctes, err);
        if (st == QV_OK)
            st = bind_query_tail(ctx, query, out, err);
        ctx->n_ctes = saved_ctes;
        return st;
    }
    return bind_query_tail(ctx, query, out, err);
}

/* A query's body, ORDER BY, LIMIT / OFFSET / FETCH. */
static qv_status bind_query_tail(plan_ctx *ctx, const sql_node *query, plan_node **out,
                                 qv_error *err)
{
    if (sql_kid(query, 6) != NULL)
        return bind_error(err, QV_NOT_IMPLEMENTED, query,
                          "This feature is not implemented: pipe operators");
    const sql_node *order_by = sql_kid(query, 2);
    if (order_by != NULL && order_by->n_kids == 0)
        order_by = NULL;
    plan_node *plan = NULL;
    bool ordered;
    QV_TRY(bind_body(ctx, sql_kid(query, 1), order_by, &ordered, &plan, err));
    if (order_by != NULL && !ordered)
        QV_TRY(bind_order_by_output(ctx, plan, order_by, &plan, err));
    int64_t limit = -1, offset = -1;
    QV_TRY(limit_value(ctx, sql_kid(query, 3), "LIMIT", &limit, err));
    QV_TRY(limit_value(ctx, sql_kid(query, 4), "OFFSET", &offset, err));
    const sql_node *fetch = sql_kid(query, 5);
    if (fetch != NULL) {
        if (fetch->flags & (SQL_F_PERCENT | SQL_F_WITH_TIES))
            return bind_error(err, QV_NOT_IMPLEMENTED, fetch,
                              "This feature is not implemented: FETCH PERCENT / WITH TIES");
        if (sql_kid(fetch, 0) == NULL)
            limit = 1;
        else
            QV_TRY(limit_value(ctx, sql_kid(fetch, 0), "FETCH", &limit, err));
    }
    if (limit >= 0 || offset > 0) {
        plan_node *node = plan_node_new(ctx, PLAN_LIMIT, 1, &plan);
        if (node == NULL)
            return nomem(err);
        node->schema = plan->schema;
        node->fetch = limit;
        node->skip = offset > 0 ? offset : 0;
        plan = node;
    }
    *out = plan;
    return QV_OK;
}
