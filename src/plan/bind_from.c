/*
 * bind_from.c — binding FROM items (layer: plan): tables and views found
 * through the catalog, derived tables with their aliases, and re-naming a
 * plan's columns under an alias.
 */
#include <string.h>

#include "plan/bind_from.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "FROM clause");
}

/* The (catalog, schema, table) a multi-part name refers to. */
qv_status plan_resolve_table_name(plan_ctx *ctx, const sql_node *name, const char **catalog_name,
                                  const char **schema_name, const char **table_name, qv_error *err)
{
    uint32_t n = name->kind == SQL_NAME ? name->n_kids : 1;
    const sql_node *const *parts = name->kind == SQL_NAME ? (const sql_node *const *)name->kids
                                                          : (const sql_node *const *)&name;
    if (n == 0 || n > 3)
        return bind_error(err, QV_PLAN, name,
                          "Error during planning: Unsupported compound identifier with %u parts",
                          n);
    *table_name = plan_ident(ctx, parts[n - 1]);
    *schema_name = n >= 2 ? plan_ident(ctx, parts[n - 2]) : ctx->options.default_schema;
    *catalog_name = n == 3 ? plan_ident(ctx, parts[0]) : ctx->options.default_catalog;
    if (*table_name == NULL || *schema_name == NULL || *catalog_name == NULL)
        return nomem(err);
    return QV_OK;
}

/* Gives every column of input the qualifier (and, when given, the names of
 * a column alias list) through a projection that renames them. */
qv_status bind_alias_relation(plan_ctx *ctx, plan_node *input, const char *qualifier,
                              const sql_node *column_aliases, const sql_node *at, plan_node **out,
                              qv_error *err)
{
    int32_t n = input->schema.n_columns;
    int32_t n_alias = column_aliases ? (int32_t)column_aliases->n_kids : 0;
    if (n_alias > n)
        return bind_error(err, QV_PLAN, at,
                          "Error during planning: Source table contains %d columns but only %d "
                          "names given as column alias",
                          n, n_alias);
    plan_node *proj = plan_node_new(ctx, PLAN_PROJECTION, 1, &input);
    if (proj == NULL || !plan_schema_init(ctx, &proj->schema, n))
        return nomem(err);
    proj->n_exprs = n;
    proj->exprs = plan_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *proj->exprs);
    if (proj->exprs == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n; i++) {
        proj->exprs[i] = plan_expr_column(ctx, &input->schema, i);
        if (proj->exprs[i] == NULL)
            return nomem(err);
        plan_column *col = &proj->schema.columns[i];
        *col = input->schema.columns[i];
        col->qualifier = qualifier;
        if (i < n_alias) {
            col->name = plan_ident(ctx, column_aliases->kids[i]);
            if (col->name == NULL)
                return nomem(err);
        }
    }
    *out = proj;
    return QV_OK;
}

static qv_status bind_view(plan_ctx *ctx, const catalog_entry *entry, const sql_node *at,
                           plan_node **out, qv_error *err)
{
    if (ctx->view_depth >= 32)
        return bind_error(err, QV_PLAN, at,
                          "Error during planning: view %s is nested too deeply (or refers to "
                          "itself)",
                          entry->table_name);
    sql_parse_result *parsed = NULL;
    QV_TRY(sql_parse(entry->view_sql, strlen(entry->view_sql), NULL, &parsed, err));
    qv_status st = QV_OK;
    if (parsed->n_statements != 1)
        st = bind_error(err, QV_PLAN, at, "Error during planning: invalid view definition");
    if (st == QV_OK) {
        ctx->view_depth++;
        st = plan_bind_query(ctx, parsed->statements[0].node, out, err);
        ctx->view_depth--;
    }
    sql_parse_result_free(parsed);
    return st;
}

static qv_status bind_table(plan_ctx *ctx, const sql_node *table, plan_node **out, qv_error *err)
{
    QV_TRY(bind_cte_reference(ctx, table, out, err));
    if (*out != NULL)
        return QV_OK;
    const sql_node *name = sql_kid(table, 0);
    const char *catalog_name = NULL, *schema_name = NULL, *table_name = NULL;
    QV_TRY(plan_resolve_table_name(ctx, name, &catalog_name, &schema_name, &table_name, err));
    catalog_entry entry;
    qv_status st = catalog_lookup(ctx->catalog, catalog_name, schema_name, table_name, &entry, err);
    if (st == QV_NOT_FOUND && ctx->options.file_table != NULL &&
        (name->kind != SQL_NAME || name->n_kids == 1)) {
        /* a file path as a table name, when the session allows it */
        memset(&entry, 0, sizeof entry);
        entry.kind = CATALOG_ENTRY_TABLE;
        st = ctx->options.file_table(ctx->options.file_table_user, table_name, &entry.table, err);
    }
    if (st == QV_NOT_FOUND)
        return bind_error(err, QV_PLAN, name, "Error during planning: table '%s.%s.%s' not found",
                          catalog_name, schema_name, table_name);
    QV_TRY(st);
    const sql_node *alias = sql_kid(table, 1);
    const char *qualifier = alias ? plan_ident(ctx, sql_kid(alias, 0)) : table_name;
    if (qualifier == NULL) {
        catalog_entry_clear(&entry);
        return nomem(err);
    }
    plan_node *node = NULL;
    if (entry.kind == CATALOG_ENTRY_VIEW) {
        st = bind_view(ctx, &entry, table, &node, err);
        catalog_entry_clear(&entry);
        QV_TRY(st);
        return bind_alias_relation(ctx, node, qualifier, alias ? sql_kid(alias, 1) : NULL, table,
                                   out, err);
    }
    catalog_table *provider = catalog_table_retain(entry.table);
    catalog_entry_clear(&entry);
    return bind_scan(ctx, provider, table_name, qualifier, alias ? sql_kid(alias, 1) : NULL, table,
                     out, err);
}

/* A scan of provider (the caller's reference moves to the ctx) under
 * qualifier, renamed by column_aliases when given. Also used for the
 * tables of table functions (bind_table_func.c). */
qv_status bind_scan(plan_ctx *ctx, catalog_table *provider, const char *table_name,
                    const char *qualifier, const sql_node *column_aliases, const sql_node *at,
                    plan_node **out, qv_error *err)
{
    if (plan_keep_table(ctx, provider) == NULL)
        return nomem(err);
    plan_node *node = plan_node_new(ctx, PLAN_SCAN, 0, NULL);
    if (node == NULL)
        return nomem(err);
    node->table = provider;
    node->table_name = table_name;
    arrow_schema *schema = provider->schema;
    if (!plan_schema_init(ctx, &node->schema, schema->n_fields))
        return nomem(err);
    for (int32_t i = 0; i < schema->n_fields; i++) {
        plan_column *col = &node->schema.columns[i];
        col->qualifier = qualifier;
        col->name = schema->fields[i]->name;
        col->type = schema->fields[i]->type;
        col->nullable = schema->fields[i]->nullable;
    }
    if (column_aliases != NULL)
        return bind_alias_relation(ctx, node, qualifier, column_aliases, at, out, err);
    *out = node;
    return QV_OK;
}

/* input renamed by item's optional alias (kid 1: name, column names). */
static qv_status bind_item_alias(plan_ctx *ctx, plan_node *input, const sql_node *item,
                                 plan_node **out, qv_error *err)
{
    const sql_node *alias = sql_kid(item, 1);
    if (alias == NULL) {
        *out = input;
        return QV_OK;
    }
    const char *qualifier = plan_ident(ctx, sql_kid(alias, 0));
    if (qualifier == NULL)
        return nomem(err);
    return bind_alias_relation(ctx, input, qualifier, sql_kid(alias, 1), item, out, err);
}

qv_status bind_from_item(plan_ctx *ctx, const sql_node *item, plan_node **out, qv_error *err)
{
    if (bind_unnest_is_table(ctx, item)) /* FROM unnest(...): bind_unnest.c */
        return bind_unnest_table(ctx, item, out, err);
    switch (item->kind) {
    case SQL_TABLE:
        return bind_table(ctx, item, out, err);
    case SQL_DERIVED: {
        plan_node *sub = NULL;
        QV_TRY(plan_bind_query(ctx, sql_kid(item, 0), &sub, err));
        return bind_item_alias(ctx, sub, item, out, err);
    }
    case SQL_NESTED_JOIN: {
        plan_node *inner = NULL;
        QV_TRY(bind_from_item(ctx, sql_kid(item, 0), &inner, err));
        return bind_item_alias(ctx, inner, item, out, err);
    }
    case SQL_JOIN:
        return bind_join(ctx, item, out, err);
    case SQL_TABLE_FUNC: /* generate_series(...), read_csv(...): bind_table_func.c */
        return bind_table_function(ctx, item, out, err);
    default:
        return bind_error(err, QV_NOT_IMPLEMENTED, item,
                          "This feature is not implemented: FROM item %s",
                          sql_kind_name(item->kind));
    }
}
