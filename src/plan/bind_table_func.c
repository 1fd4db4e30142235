/*
 * bind_table_func.c — FROM name(args) (layer: plan): a table function's
 * arguments are bound with no columns in scope, must be constants, and
 * are evaluated now (DataFusion simplifies them to literals before the
 * function sees them); the table the function makes is scanned as
 * `name()`, the qualifier unless an alias is given. The functions
 * themselves live above the planner (plan_options.table_function).
 */
#include <string.h>

#include "plan/bind_from.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "table function");
}

/* DataFusion's planner refuses named arguments and wildcards here, with the
 * argument as written. */
static qv_status unsupported_argument(const sql_node *arg, qv_error *err)
{
    char *text = sql_unparse_to_string(arg);
    if (text == NULL)
        return nomem(err);
    qv_status st = bind_error(
        err, QV_PLAN, arg, "Error during planning: Unsupported function argument type: %s", text);
    base_free(text);
    return st;
}

/* The argument's value as a length-1 array kept by the ctx, or NULL when
 * it is not a constant. */
static qv_status evaluate_argument(bind_env *env, const sql_node *arg, arrow_array **out,
                                   qv_error *err)
{
    *out = NULL;
    if (arg->kind == SQL_NAMED_ARG || arg->kind == SQL_STAR)
        return unsupported_argument(arg, err);
    plan_expr *expr = NULL;
    QV_TRY(bind_expr(env, arg, &expr, err));
    plan_ctx *ctx = env->ctx;
    if (!plan_expr_is_constant(expr) || ctx->options.const_eval == NULL)
        return QV_OK;
    arrow_array *value = NULL;
    QV_TRY(bind_locate(err, ctx->options.const_eval(expr, &value, err), arg));
    if (plan_keep_array(ctx, value) == NULL)
        return nomem(err);
    *out = value;
    return QV_OK;
}

qv_status bind_table_function(plan_ctx *ctx, const sql_node *item, plan_node **out, qv_error *err)
{
    const sql_node *name = sql_kid(item, 0);
    const sql_node *last = name->kind == SQL_NAME ? name->kids[name->n_kids - 1] : name;
    const char *fn_name = plan_ident(ctx, last);
    if (fn_name == NULL)
        return nomem(err);
    const sql_node *args = sql_kid(item, 1);
    int32_t n_args = args != NULL ? (int32_t)args->n_kids : 0;
    arrow_array **values = plan_alloc(ctx, (size_t)(n_args > 0 ? n_args : 1) * sizeof *values);
    plan_node *no_columns = plan_node_new(ctx, PLAN_EMPTY, 0, NULL);
    if (values == NULL || no_columns == NULL || !plan_schema_init(ctx, &no_columns->schema, 0))
        return nomem(err);
    bind_env env = {.ctx = ctx, .schema = &no_columns->schema, .clause = "FROM"};
    for (int32_t i = 0; i < n_args; i++)
        QV_TRY(evaluate_argument(&env, args->kids[i], &values[i], err));
    catalog_table *table = NULL;
    qv_status st = QV_NOT_FOUND;
    bool qualified = name->kind == SQL_NAME && name->n_kids > 1;
    if (ctx->options.table_function != NULL && !qualified)
        st = ctx->options.table_function(ctx->options.table_function_user, fn_name, n_args, values,
                                         &table, err);
    if (st == QV_NOT_FOUND) {
        char *text = sql_unparse_to_string(name);
        st = text == NULL
                 ? nomem(err)
                 : bind_error(err, QV_PLAN, item,
                              "Error during planning: table function '%s' not found", text);
        base_free(text);
        return st;
    }
    QV_TRY(bind_locate(err, st, item));
    size_t len = strlen(fn_name);
    char *table_name = plan_alloc(ctx, len + 3);
    if (table_name == NULL) {
        catalog_table_release(table);
        return nomem(err);
    }
    memcpy(table_name, fn_name, len);
    memcpy(table_name + len, "()", 3);
    const sql_node *alias = sql_kid(item, 2);
    const char *qualifier = alias != NULL ? plan_ident(ctx, sql_kid(alias, 0)) : table_name;
    if (qualifier == NULL) {
        catalog_table_release(table);
        return nomem(err);
    }
    return bind_scan(ctx, table, table_name, qualifier, alias ? sql_kid(alias, 1) : NULL, item, out,
                     err);
}
