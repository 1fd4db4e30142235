/*
 * explain.c — the text of a logical plan (layer: plan), indented two spaces
 * per level as DataFusion's EXPLAIN prints it.
 */
#include <string.h>

#include "plan/plan.h"

static void format_exprs(plan_expr *const *exprs, int32_t n, const plan_schema *input,
                         base_strbuf *sb)
{
    for (int32_t i = 0; i < n; i++) {
        if (i > 0)
            base_strbuf_append_str(sb, ", ");
        plan_expr_format(exprs[i], input, sb);
    }
}

static void format_sort_keys(const plan_sort_key *keys, int32_t n, const plan_schema *input,
                             base_strbuf *sb)
{
    for (int32_t i = 0; i < n; i++) {
        if (i > 0)
            base_strbuf_append_str(sb, ", ");
        plan_expr_format(keys[i].expr, input, sb);
        base_strbuf_append_str(sb, keys[i].descending ? " DESC" : " ASC");
        base_strbuf_append_str(sb, keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
}

static void format_node(const plan_node *node, int depth, base_strbuf *sb)
{
    for (int i = 0; i < depth; i++)
        base_strbuf_append_str(sb, "  ");
    const plan_schema *input = node->n_inputs > 0 ? &node->inputs[0]->schema : NULL;
    switch (node->kind) {
    case PLAN_SCAN:
        base_strbuf_appendf(sb, "TableScan: %s", node->table_name);
        if (node->projection != NULL) {
            base_strbuf_append_str(sb, " projection=[");
            for (int32_t i = 0; i < node->n_projection; i++)
                base_strbuf_appendf(sb, "%s%s", i > 0 ? ", " : "",
                                    node->table->schema->fields[node->projection[i]]->name);
            base_strbuf_append_char(sb, ']');
        }
        if (node->fetch >= 0)
            base_strbuf_appendf(sb, ", fetch=%lld", (long long)node->fetch);
        break;
    case PLAN_VALUES:
        base_strbuf_append_str(sb, "Values: ");
        for (int64_t r = 0; r < node->n_rows; r++) {
            base_strbuf_append_str(sb, r > 0 ? ", (" : "(");
            format_exprs(node->values + r * node->schema.n_columns, node->schema.n_columns, NULL,
                         sb);
            base_strbuf_append_char(sb, ')');
        }
        break;
    case PLAN_EMPTY:
        base_strbuf_appendf(sb, "EmptyRelation: rows=%d", node->produce_one_row ? 1 : 0);
        break;
    case PLAN_PROJECTION:
        base_strbuf_append_str(sb, "Projection: ");
        for (int32_t i = 0; i < node->n_exprs; i++) {
            if (i > 0)
                base_strbuf_append_str(sb, ", ");
            size_t start = sb->len;
            plan_expr_format(node->exprs[i], input, sb);
            const plan_column *col = &node->schema.columns[i];
            bool same = false;
            if (node->exprs[i]->kind == PLAN_EXPR_COLUMN) {
                const plan_column *src = &input->columns[node->exprs[i]->column];
                same = src->name == col->name ||
                       (src->name && col->name && strcmp(src->name, col->name) == 0);
            } else if (sb->data != NULL) {
                same = strlen(col->name) == sb->len - start &&
                       memcmp(sb->data + start, col->name, sb->len - start) == 0;
            }
            if (!same)
                base_strbuf_appendf(sb, " AS %s", col->name);
        }
        break;
    case PLAN_FILTER:
        base_strbuf_append_str(sb, "Filter: ");
        plan_expr_format(node->exprs[0], input, sb);
        break;
    case PLAN_AGGREGATE:
        base_strbuf_append_str(sb, "Aggregate: groupBy=[[");
        format_exprs(node->groups, node->n_groups, input, sb);
        base_strbuf_append_str(sb, "]], aggr=[[");
        for (int32_t i = 0; i < node->n_aggs; i++) {
            if (i > 0)
                base_strbuf_append_str(sb, ", ");
            base_strbuf_append_str(sb, node->aggs[i].name);
        }
        base_strbuf_append_str(sb, "]]");
        break;
    case PLAN_SORT:
        base_strbuf_append_str(sb, "Sort: ");
        format_sort_keys(node->keys, node->n_keys, input, sb);
        if (node->fetch >= 0)
            base_strbuf_appendf(sb, ", fetch=%lld", (long long)node->fetch);
        break;
    case PLAN_LIMIT:
        base_strbuf_appendf(sb, "Limit: skip=%lld, fetch=", (long long)node->skip);
        if (node->fetch >= 0)
            base_strbuf_appendf(sb, "%lld", (long long)node->fetch);
        else
            base_strbuf_append_str(sb, "None");
        break;
    case PLAN_UNION:
        base_strbuf_append_str(sb, "Union");
        break;
    case PLAN_JOIN:
        base_strbuf_appendf(sb, "%s Join", plan_join_type_name(node->join_type));
        break;
    case PLAN_WINDOW:
        base_strbuf_append_str(sb, "WindowAggr: windowExpr=[[");
        for (int32_t i = 0; i < node->n_window_exprs; i++) {
            if (i > 0)
                base_strbuf_append_str(sb, ", ");
            plan_window_format(node->window_exprs[i], input, false, sb);
        }
        base_strbuf_append_str(sb, "]]");
        break;
    case PLAN_UNNEST:
        plan_unnest_format(node, sb); /* bind_unnest.c */
        break;
    case PLAN_RECURSIVE:
        base_strbuf_appendf(sb, "RecursiveQuery: is_distinct=%s",
                            node->distinct ? "true" : "false");
        break;
    case PLAN_WORK_TABLE:
        base_strbuf_appendf(sb, "TableScan: %s", node->table_name);
        break;
    case PLAN_KIND_COUNT_:
        break;
    }
    base_strbuf_append_char(sb, '\n');
    for (int32_t i = 0; i < node->n_inputs; i++)
        format_node(node->inputs[i], depth + 1, sb);
}

void plan_format(const plan_node *root, base_strbuf *sb)
{
    format_node(root, 0, sb);
    if (sb->len > 0 && sb->data != NULL && sb->data[sb->len - 1] == '\n')
        sb->len--;
}
