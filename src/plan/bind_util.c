/*
 * bind_util.c — small services of the binder (layer: plan): errors with
 * SQL positions, identifier normalisation and literal constructors.
 */
#include <stdarg.h>
#include <string.h>

#include "plan/bind_int.h"

qv_status bind_error(qv_error *err, qv_status code, const sql_node *node, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    base_error_setv(err, code, fmt, args);
    va_end(args);
    if (node != NULL && node->pos.line > 0)
        base_error_set_position(err, (int32_t)node->pos.line, (int32_t)node->pos.column);
    return code;
}

qv_status bind_locate(qv_error *err, qv_status st, const sql_node *node)
{
    if (st != QV_OK && err != NULL && err->line == 0 && node != NULL && node->pos.line > 0)
        base_error_set_position(err, (int32_t)node->pos.line, (int32_t)node->pos.column);
    return st;
}

const char *plan_ident(plan_ctx *ctx, const sql_node *ident)
{
    return sql_ident_normalize(ident, ctx->options.ident_normalization, ctx->arena);
}

plan_expr *bind_literal_array(plan_ctx *ctx, arrow_array *value)
{
    return value == NULL ? NULL : plan_expr_literal(ctx, value);
}

static plan_expr *finish(plan_ctx *ctx, arrow_builder *b, qv_status st)
{
    arrow_array *array = NULL;
    if (st == QV_OK)
        st = arrow_builder_finish(b, &array, NULL);
    arrow_builder_free(b);
    return st == QV_OK ? bind_literal_array(ctx, array) : NULL;
}

plan_expr *bind_literal_int64(plan_ctx *ctx, int64_t value)
{
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &b, NULL);
    if (st == QV_OK)
        st = arrow_builder_append_int(b, value, NULL);
    return finish(ctx, b, st);
}

plan_expr *bind_literal_string(plan_ctx *ctx, const char *value, size_t len)
{
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &b, NULL);
    if (st == QV_OK)
        st = arrow_builder_append_bytes(b, value, (int64_t)len, NULL);
    return finish(ctx, b, st);
}

plan_expr *bind_literal_bool(plan_ctx *ctx, bool value)
{
    arrow_builder *b = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, NULL);
    if (st == QV_OK)
        st = arrow_builder_append_bool(b, value, NULL);
    return finish(ctx, b, st);
}

plan_expr *bind_literal_null(plan_ctx *ctx, arrow_type *type)
{
    arrow_array *array = NULL;
    if (arrow_array_new_null(type, 1, &array, NULL) != QV_OK)
        return NULL;
    return bind_literal_array(ctx, array);
}

size_t bind_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1000;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}
