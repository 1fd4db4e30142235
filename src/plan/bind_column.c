/*
 * bind_column.c — resolving column names (layer: plan): unqualified and
 * qualified references, SELECT-list aliases, and DataFusion's messages for
 * unknown ("No field named x. Did you mean 't.y'? Valid fields are ...")
 * and ambiguous names.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "plan/bind_int.h"

static bool needs_quotes(const char *name)
{
    if (name[0] == '\0' || isdigit((unsigned char)name[0]))
        return true;
    for (const char *p = name; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
            return true;
    return false;
}

static void append_name(const char *name, base_strbuf *sb)
{
    if (needs_quotes(name))
        base_strbuf_appendf(sb, "\"%s\"", name);
    else
        base_strbuf_append_str(sb, name);
}

void bind_column_display(const plan_column *col, base_strbuf *sb)
{
    if (col->qualifier != NULL) {
        append_name(col->qualifier, sb);
        base_strbuf_append_char(sb, '.');
    }
    append_name(col->name, sb);
}

static qv_status not_found(bind_env *env, const sql_node *node, const char *qualifier,
                           const char *name, qv_error *err)
{
    const plan_schema *schema = env->schema;
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "Schema error: No field named ");
    if (qualifier != NULL) {
        append_name(qualifier, &sb);
        base_strbuf_append_char(&sb, '.');
    }
    append_name(name, &sb);
    base_strbuf_append_char(&sb, '.');
    /* A case-insensitive match, or the closest name by edit distance. */
    const plan_column *best = NULL;
    bool case_only = false;
    size_t best_distance = 1000;
    for (int32_t i = 0; schema != NULL && i < schema->n_columns; i++) {
        const plan_column *col = &schema->columns[i];
        if (strcasecmp(col->name, name) == 0) {
            best = col;
            case_only = true;
            break;
        }
        size_t d = bind_edit_distance(col->name, name);
        if (d < best_distance && d * 2 <= strlen(name)) {
            best = col;
            best_distance = d;
        }
    }
    if (best != NULL) {
        base_strbuf_append_str(&sb, " Did you mean '");
        bind_column_display(best, &sb);
        base_strbuf_append_str(&sb, "'?");
        if (case_only) {
            base_strbuf_append_str(&sb, "\nColumn names are case sensitive. You can use double "
                                        "quotes to refer to the ");
            bind_column_display(best, &sb);
            base_strbuf_append_str(&sb, " column or disable the "
                                        "datafusion.sql_parser.enable_ident_normalization "
                                        "configuration.");
        }
    }
    if (schema != NULL && schema->n_columns > 0) {
        base_strbuf_append_str(&sb, "\nValid fields are ");
        for (int32_t i = 0; i < schema->n_columns; i++) {
            if (i > 0)
                base_strbuf_append_str(&sb, ", ");
            bind_column_display(&schema->columns[i], &sb);
        }
        base_strbuf_append_char(&sb, '.');
    }
    qv_status st = bind_error(err, QV_SCHEMA, node, "%s", sb.data ? sb.data : "Schema error");
    base_strbuf_free(&sb);
    return st;
}

/* The (qualifier, name) an SQL_IDENT / SQL_NAME names. */
static qv_status column_name(bind_env *env, const sql_node **node, const char **qualifier,
                             const char **name, qv_error *err)
{
    *qualifier = NULL;
    if ((*node)->kind == SQL_NAME && (*node)->n_kids == 1)
        *node = (*node)->kids[0];
    const sql_node *n = *node;
    if (n->kind == SQL_IDENT) {
        *name = plan_ident(env->ctx, n);
    } else {
        uint32_t k = n->n_kids;
        if (k > 3)
            return bind_error(err, QV_NOT_IMPLEMENTED, n,
                              "This feature is not implemented: compound identifier with more "
                              "than three parts");
        *name = plan_ident(env->ctx, n->kids[k - 1]);
        *qualifier = plan_ident(env->ctx, n->kids[k - 2]);
    }
    if (*name == NULL || (n->kind != SQL_IDENT && *qualifier == NULL))
        return base_error_nomem(err, "column name");
    return QV_OK;
}

/* The column of schema named (qualifier, name) in *found (-1: none); an
 * error only for an ambiguous unqualified name. */
static qv_status lookup(const plan_schema *schema, const sql_node *node, const char *qualifier,
                        const char *name, int32_t *out, qv_error *err)
{
    int32_t found = -1;
    for (int32_t i = 0; schema != NULL && i < schema->n_columns; i++) {
        const plan_column *col = &schema->columns[i];
        if (strcmp(col->name, name) != 0)
            continue;
        if (qualifier != NULL && (col->qualifier == NULL || strcmp(col->qualifier, qualifier) != 0))
            continue;
        if (qualifier == NULL && col->using_hidden)
            continue;
        if (found >= 0) {
            const plan_column *prev = &schema->columns[found];
            bool same_qualifier =
                (prev->qualifier == NULL && col->qualifier == NULL) ||
                (prev->qualifier && col->qualifier && strcmp(prev->qualifier, col->qualifier) == 0);
            if (qualifier == NULL && !same_qualifier)
                return bind_error(err, QV_SCHEMA, node,
                                  "Schema error: Ambiguous reference to unqualified field %s",
                                  name);
            continue; /* duplicate name within one relation: the first wins */
        }
        found = i;
    }
    *out = found;
    return QV_OK;
}

qv_status bind_column(bind_env *env, const sql_node *node, int32_t *column, qv_error *err)
{
    const char *qualifier, *name;
    QV_TRY(column_name(env, &node, &qualifier, &name, err));
    QV_TRY(lookup(env->schema, node, qualifier, name, column, err));
    if (*column < 0)
        return not_found(env, node, qualifier, name, err);
    return QV_OK;
}

qv_status bind_column_ref(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    if (node->kind == SQL_NAME && node->n_kids > 1) { /* s.f, t.s.f: bind_nested.c */
        qv_status nested = bind_nested_compound(env, node, out, err);
        if (nested != QV_NOT_FOUND)
            return nested;
    }
    const char *qualifier, *name;
    QV_TRY(column_name(env, &node, &qualifier, &name, err));
    int32_t column;
    QV_TRY(lookup(env->schema, node, qualifier, name, &column, err));
    if (column >= 0) {
        *out = plan_expr_column(env->ctx, env->schema, column);
        return *out ? QV_OK : base_error_nomem(err, "column");
    }
    plan_ctx *ctx = env->ctx;
    for (int32_t depth = 1; depth <= ctx->n_outer; depth++) {
        const plan_schema *outer = ctx->outer[ctx->n_outer - depth];
        QV_TRY(lookup(outer, node, qualifier, name, &column, err));
        if (column < 0)
            continue;
        const plan_column *col = &outer->columns[column];
        *out = plan_expr_new(ctx, PLAN_EXPR_OUTER_COLUMN, depth, col->type, col->nullable, 0, NULL);
        if (*out == NULL)
            return base_error_nomem(err, "column");
        (*out)->column = column;
        (*out)->outer = col;
        return QV_OK;
    }
    return not_found(env, node, qualifier, name, err);
}
