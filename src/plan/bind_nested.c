/*
 * bind_nested.c — binding the syntax of nested values (layer: plan):
 * array literals `[a, b]` (make_array), subscripts `a[i]` (array_element,
 * or get_field for maps and `['name']`), slices `a[lo:hi:stride]`
 * (array_slice), field access `(expr).f` and `s.f` / `t.s.f` compound
 * names (get_field), struct literals `{k: v}` and tuples `(a, b)`
 * (named_struct / struct), `MAP {k: v}` (map), struct() calls with
 * aliased arguments, and `x op ANY / ALL (list)`. Everything becomes a
 * call of a function, as DataFusion's SQL planner does; the display of
 * those calls (`a[Int64(1)]`, `s[f]`, `UNNEST(x)`) is here too.
 */
#include <stdint.h>
#include <string.h>

#include "plan/bind_int.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "nested expression");
}

/* Binds every kid of a node as an argument list. */
static qv_status bind_kids(bind_env *env, const sql_node *node, plan_expr ***args, int32_t *n,
                           qv_error *err)
{
    *n = (int32_t)node->n_kids;
    *args = plan_alloc(env->ctx, (size_t)(*n > 0 ? *n : 1) * sizeof **args);
    if (*args == NULL)
        return nomem(err);
    for (int32_t i = 0; i < *n; i++)
        QV_TRY(bind_expr(env, node->kids[i], &(*args)[i], err));
    return QV_OK;
}

/* get_field(base, 'name') */
static qv_status field_call(bind_env *env, plan_expr *base, const char *name, const sql_node *at,
                            plan_expr **out, qv_error *err)
{
    plan_expr *args[2] = {base, bind_literal_string(env->ctx, name, strlen(name))};
    if (args[1] == NULL)
        return nomem(err);
    return bind_call_named(env, "get_field", at, 2, args, out, err);
}

/* a[i]: a string literal names a struct field (or map key); a map is
 * looked up by key; anything else is a 1-based list index. */
static qv_status bind_index(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    plan_expr *args[2] = {NULL, NULL};
    QV_TRY(bind_expr(env, sql_kid(node, 0), &args[0], err));
    const sql_node *index = sql_kid(node, 1);
    if (index->kind == SQL_LITERAL && index->op == SQL_LIT_STRING)
        return field_call(env, args[0], index->text, node, out, err);
    QV_TRY(bind_expr(env, index, &args[1], err));
    const char *fn = args[0]->type->id == QV_TYPE_MAP ? "get_field" : "array_element";
    return bind_call_named(env, fn, node, 2, args, out, err);
}

/* a[lo:hi:stride] with DataFusion's defaults 1, i64::MAX and 1. */
static qv_status bind_slice(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    static const int64_t defaults[3] = {1, INT64_MAX, 1};
    plan_expr *args[4] = {NULL, NULL, NULL, NULL};
    QV_TRY(bind_expr(env, sql_kid(node, 0), &args[0], err));
    for (uint32_t k = 1; k <= 3; k++) {
        if (sql_kid(node, k) != NULL) {
            QV_TRY(bind_expr(env, sql_kid(node, k), &args[k], err));
        } else {
            args[k] = bind_literal_int64(env->ctx, defaults[k - 1]);
            if (args[k] == NULL)
                return nomem(err);
        }
    }
    return bind_call_named(env, "array_slice", node, 4, args, out, err);
}

/* {k1: v1, ...}: named_struct('k1', v1, ...); the keys are names as
 * written. MAP {k1: v1, ...}: map([k1, ...], [v1, ...]). */
static qv_status bind_dict(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    int32_t n = (int32_t)node->n_kids;
    plan_ctx *ctx = env->ctx;
    plan_expr **args = plan_alloc(ctx, (size_t)(n > 0 ? 2 * n : 1) * sizeof *args);
    if (args == NULL)
        return nomem(err);
    bool is_map = node->kind == SQL_MAP;
    plan_expr **keys = args, **values = args + n;
    for (int32_t i = 0; i < n; i++) {
        const sql_node *entry = node->kids[i];
        const sql_node *key = sql_kid(entry, 0);
        plan_expr **key_slot = is_map ? &keys[i] : &args[2 * i];
        plan_expr **value_slot = is_map ? &values[i] : &args[2 * i + 1];
        if (is_map) {
            QV_TRY(bind_expr(env, key, key_slot, err));
        } else {
            *key_slot = bind_literal_string(ctx, key->text, key->text_len);
            if (*key_slot == NULL)
                return nomem(err);
        }
        QV_TRY(bind_expr(env, sql_kid(entry, 1), value_slot, err));
    }
    if (!is_map)
        return bind_call_named(env, "named_struct", node, 2 * n, args, out, err);
    plan_expr *lists[2] = {NULL, NULL};
    QV_TRY(bind_call_named(env, "make_array", node, n, keys, &lists[0], err));
    QV_TRY(bind_call_named(env, "make_array", node, n, values, &lists[1], err));
    return bind_call_named(env, "map", node, 2, lists, out, err);
}

/* x op ALL (list) / x op ANY (list): x and the list's items coerced to
 * one type, then func_quantified_entry. */
static qv_status bind_quantified(bind_env *env, const sql_node *node, plan_expr **out,
                                 qv_error *err)
{
    static const struct {
        int32_t sql;
        func_cmp_op op;
    } ops[] = {{SQL_OP_EQ, FUNC_EQ},  {SQL_OP_EQ2, FUNC_EQ}, {SQL_OP_NE, FUNC_NE},
               {SQL_OP_NE2, FUNC_NE}, {SQL_OP_LT, FUNC_LT},  {SQL_OP_LE, FUNC_LE},
               {SQL_OP_GT, FUNC_GT},  {SQL_OP_GE, FUNC_GE}};
    const sql_node *right = sql_kid(node, 1);
    if (right->kind == SQL_SUBQUERY)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: ANY / ALL with a subquery");
    size_t k = 0;
    while (k < sizeof ops / sizeof ops[0] && ops[k].sql != node->op)
        k++;
    if (k == sizeof ops / sizeof ops[0])
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: Unsupported AnyOp: '%s'",
                          sql_op_text((sql_op)node->op));
    plan_ctx *ctx = env->ctx;
    plan_expr *args[3] = {NULL, NULL, NULL};
    QV_TRY(bind_expr(env, sql_kid(node, 0), &args[0], err));
    QV_TRY(bind_expr(env, right, &args[1], err));
    arrow_type *list = args[1]->type;
    if (list->id != QV_TYPE_NULL && list->id != QV_TYPE_LIST && list->id != QV_TYPE_LARGE_LIST &&
        list->id != QV_TYPE_FIXED_SIZE_LIST)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: ANY / ALL needs an array or a subquery on the "
                          "right, got %s",
                          arrow_type_id_name(list->id));
    if (list->id != QV_TYPE_NULL) {
        arrow_type *common = NULL, *common_list = NULL;
        qv_status st =
            plan_comparison_coercion(args[0]->type, list->children[0]->type, &common, err);
        if (st == QV_NOT_FOUND)
            return bind_error(err, QV_PLAN, node,
                              "Error during planning: Cannot infer common argument type for "
                              "ANY / ALL comparison");
        QV_TRY(st);
        st = arrow_type_list_of(QV_TYPE_LIST, common, &common_list, err);
        if (st == QV_OK &&
            (plan_keep_type(ctx, common) == NULL || plan_keep_type(ctx, common_list) == NULL))
            st = nomem(err);
        QV_TRY(st);
        QV_TRY(plan_coerce_to(ctx, args[0], common, &args[0], err));
        QV_TRY(plan_coerce_to(ctx, args[1], common_list, &args[1], err));
    }
    arrow_builder *b = NULL;
    arrow_array *code = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_INT32), &b, err);
    if (st == QV_OK)
        st = arrow_builder_append_int(
            b, func_quantified_code(ops[k].op, (node->flags & SQL_F_ALL) != 0), err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &code, err);
    arrow_builder_free(b);
    QV_TRY(st);
    if ((args[2] = bind_literal_array(ctx, code)) == NULL)
        return nomem(err);
    *out = plan_expr_new(ctx, PLAN_EXPR_FUNCTION, 0, arrow_type_primitive(QV_TYPE_BOOLEAN), true, 3,
                         args);
    if (*out == NULL)
        return nomem(err);
    (*out)->func = &func_quantified_entry;
    return QV_OK;
}

qv_status bind_nested_expr(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    plan_expr **args = NULL;
    int32_t n = 0;
    switch (node->kind) {
    case SQL_ARRAY:
        QV_TRY(bind_kids(env, node, &args, &n, err));
        return bind_call_named(env, "make_array", node, n, args, out, err);
    case SQL_TUPLE:
        QV_TRY(bind_kids(env, node, &args, &n, err));
        return bind_call_named(env, "struct", node, n, args, out, err);
    case SQL_INDEX:
        return bind_index(env, node, out, err);
    case SQL_SLICE:
        return bind_slice(env, node, out, err);
    case SQL_FIELD: {
        plan_expr *base = NULL;
        QV_TRY(bind_expr(env, sql_kid(node, 0), &base, err));
        const char *name = plan_ident(env->ctx, sql_kid(node, 1));
        if (name == NULL)
            return nomem(err);
        return field_call(env, base, name, node, out, err);
    }
    case SQL_DICT:
    case SQL_MAP:
        return bind_dict(env, node, out, err);
    case SQL_QUANTIFIED:
        return bind_quantified(env, node, out, err);
    default:
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: Unsupported SQL expression: %s",
                          sql_kind_name(node->kind));
    }
}

bool bind_nested_is_special(const char *name)
{
    return strcmp(name, "struct") == 0 || strcmp(name, "row") == 0 || strcmp(name, "unnest") == 0;
}

/* struct(a, b AS x...): struct(...), or named_struct when a field is named. */
static qv_status bind_struct_call(bind_env *env, const sql_node *node, plan_expr **out,
                                  qv_error *err)
{
    const sql_node *list = sql_kid(node, 1);
    int32_t n = list ? (int32_t)list->n_kids : 0;
    bool aliased = false;
    for (int32_t i = 0; i < n; i++)
        aliased |= list->kids[i]->kind == SQL_ALIAS;
    plan_ctx *ctx = env->ctx;
    plan_expr **args = plan_alloc(ctx, (size_t)(n > 0 ? 2 * n : 1) * sizeof *args);
    if (args == NULL)
        return nomem(err);
    if (!aliased) {
        for (int32_t i = 0; i < n; i++)
            QV_TRY(bind_expr(env, list->kids[i], &args[i], err));
        return bind_call_named(env, "struct", node, n, args, out, err);
    }
    /* struct(a AS x, b): named_struct('x', a, 'c1', b) */
    for (int32_t i = 0; i < n; i++) {
        const sql_node *arg = list->kids[i];
        char fallback[24];
        snprintf(fallback, sizeof fallback, "c%d", (int)i);
        const char *name = fallback;
        if (arg->kind == SQL_ALIAS) {
            name = plan_ident(ctx, sql_kid(arg, 1));
            if (name == NULL)
                return nomem(err);
            arg = sql_kid(arg, 0);
        }
        args[2 * i] = bind_literal_string(ctx, name, strlen(name));
        if (args[2 * i] == NULL)
            return nomem(err);
        QV_TRY(bind_expr(env, arg, &args[2 * i + 1], err));
    }
    return bind_call_named(env, "named_struct", node, 2 * n, args, out, err);
}

qv_status bind_nested_special_call(bind_env *env, const char *name, const sql_node *node,
                                   plan_expr **out, qv_error *err)
{
    if (strcmp(name, "unnest") == 0)
        return bind_unnest_call(env, node, out, err);
    return bind_struct_call(env, node, out, err);
}

/* ---- compound names ---- */

/* The column (qualifier, name) names in env's schema, or -1. */
static int32_t find_column(bind_env *env, const char *qualifier, const char *name)
{
    const plan_schema *schema = env->schema;
    for (int32_t i = 0; schema != NULL && i < schema->n_columns; i++) {
        const plan_column *col = &schema->columns[i];
        if (strcmp(col->name, name) != 0)
            continue;
        if (qualifier != NULL && (col->qualifier == NULL || strcmp(col->qualifier, qualifier) != 0))
            continue;
        return i;
    }
    return -1;
}

qv_status bind_nested_compound(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    int32_t n = (int32_t)node->n_kids;
    plan_ctx *ctx = env->ctx;
    const char **parts = plan_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *parts);
    if (parts == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n; i++) {
        parts[i] = plan_ident(ctx, node->kids[i]);
        if (parts[i] == NULL)
            return nomem(err);
    }
    /* DataFusion's search order: the longest qualified column first, the
     * remaining parts being field names. Qualifiers are one part here (a
     * table or alias): `q.c` as a whole is bind_column's ordinary case;
     * then `q.c.f...`, then `c.f...`. */
    if (n == 2 && find_column(env, parts[0], parts[1]) >= 0)
        return QV_NOT_FOUND;
    int32_t column = n >= 3 ? find_column(env, parts[0], parts[1]) : -1;
    int32_t first_field = 2;
    if (column < 0) {
        column = find_column(env, NULL, parts[0]);
        first_field = 1;
    }
    if (column < 0)
        return QV_NOT_FOUND;
    plan_expr *e = plan_expr_column(ctx, env->schema, column);
    if (e == NULL)
        return nomem(err);
    for (int32_t k = first_field; k < n; k++)
        QV_TRY(field_call(env, e, parts[k], node, &e, err));
    *out = e;
    return QV_OK;
}

/* ---- display ---- */

bool plan_nested_format_call(const plan_expr *e, const plan_schema *input, base_strbuf *sb)
{
    if (e->func == &func_quantified_entry && e->n_args == 3) {
        static const char *const op_text[] = {"=", "!=", "<", "<=", ">", ">="};
        int32_t code = ((const int32_t *)arrow_array_values(e->args[2]->value))[0];
        plan_expr_format(e->args[0], input, sb);
        base_strbuf_appendf(sb, " %s %s (", op_text[code / 2], code % 2 ? "ALL" : "ANY");
        plan_expr_format(e->args[1], input, sb);
        base_strbuf_append_char(sb, ')');
        return true;
    }
    if (e->func == &plan_unnest_entry && e->n_args == 1) {
        base_strbuf_append_str(sb, "UNNEST(");
        plan_expr_format(e->args[0], input, sb);
        base_strbuf_append_char(sb, ')');
        return true;
    }
    const char *name = e->func->name;
    bool is_field = strcmp(name, "get_field") == 0;
    bool is_element = strcmp(name, "array_element") == 0;
    bool is_slice = strcmp(name, "array_slice") == 0;
    if (!(is_field || is_element || is_slice) || e->n_args < 2)
        return false;
    plan_expr_format(e->args[0], input, sb);
    if (is_slice) {
        base_strbuf_append_char(sb, '[');
        for (int32_t i = 1; i < e->n_args; i++) {
            if (i > 1)
                base_strbuf_append_char(sb, ':');
            plan_expr_format(e->args[i], input, sb);
        }
        base_strbuf_append_char(sb, ']');
        return true;
    }
    for (int32_t i = 1; i < e->n_args; i++) {
        const plan_expr *key = e->args[i];
        base_strbuf_append_char(sb, '[');
        /* Field names show bare; list indexes and map keys as expressions. */
        if (is_field && key->kind == PLAN_EXPR_LITERAL && key->type->id == QV_TYPE_UTF8 &&
            arrow_array_is_valid(key->value, 0))
            arrow_format_value(key->value, 0, sb, NULL);
        else
            plan_expr_format(key, input, sb);
        base_strbuf_append_char(sb, ']');
    }
    return true;
}
