/*
 * bind_expr.c — binding SQL expressions (layer: plan): literals, column
 * references, operators, CASE, CAST, IN, BETWEEN, LIKE, IS, placeholders;
 * function calls are in bind_func.c, coercion in bind_ops.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan/bind_int.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "expression");
}

/* Integer literals are Int64, or UInt64 past Int64, or Float64 past that;
 * numbers with a point or exponent are Float64 (DataFusion's defaults). */
static qv_status bind_number(bind_env *env, const sql_node *node, bool negate, plan_expr **out,
                             qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    arrow_builder *b = NULL;
    qv_status st;
    const char *text = node->text;
    if (node->op == SQL_LIT_INTEGER) {
        errno = 0;
        unsigned long long u = strtoull(text, NULL, 10);
        bool overflow = errno == ERANGE;
        if (!overflow && (u <= (unsigned long long)INT64_MAX ||
                          (negate && u == (unsigned long long)INT64_MAX + 1))) {
            int64_t v = negate ? (int64_t)(0 - u) : (int64_t)u;
            *out = bind_literal_int64(ctx, v);
            return *out ? QV_OK : nomem(err);
        }
        if (!overflow && !negate) {
            st = arrow_builder_new(arrow_type_primitive(QV_TYPE_UINT64), &b, err);
            if (st == QV_OK)
                st = arrow_builder_append_uint(b, u, err);
            goto finish;
        }
    }
    errno = 0;
    double d = strtod(text, NULL);
    st = arrow_builder_new(arrow_type_primitive(QV_TYPE_FLOAT64), &b, err);
    if (st == QV_OK)
        st = arrow_builder_append_double(b, negate ? -d : d, err);
finish:;
    arrow_array *array = NULL;
    if (st == QV_OK)
        st = arrow_builder_finish(b, &array, err);
    arrow_builder_free(b);
    QV_TRY(st);
    *out = bind_literal_array(ctx, array);
    return *out ? QV_OK : nomem(err);
}

static qv_status bind_literal(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    switch (node->op) {
    case SQL_LIT_INTEGER:
    case SQL_LIT_NUMBER:
        return bind_number(env, node, false, out, err);
    case SQL_LIT_STRING:
    case SQL_LIT_ESTRING:
    case SQL_LIT_NATIONAL:
    case SQL_LIT_DOLLAR:
        *out = bind_literal_string(ctx, node->text, node->text_len);
        break;
    case SQL_LIT_TRUE:
    case SQL_LIT_FALSE:
        *out = bind_literal_bool(ctx, node->op == SQL_LIT_TRUE);
        break;
    case SQL_LIT_NULL:
        *out = bind_literal_null(ctx, arrow_type_primitive(QV_TYPE_NULL));
        break;
    case SQL_LIT_HEX: {
        size_t n = node->text_len;
        if (n % 2 != 0)
            return bind_error(err, QV_PLAN, node,
                              "Error during planning: Invalid HexStringLiteral '%s'", node->text);
        uint8_t *bytes = plan_alloc(ctx, n / 2 + 1);
        if (bytes == NULL)
            return nomem(err);
        for (size_t i = 0; i < n / 2; i++) {
            char pair[3] = {node->text[2 * i], node->text[2 * i + 1], 0};
            char *end;
            bytes[i] = (uint8_t)strtoul(pair, &end, 16);
            if (*end != '\0')
                return bind_error(err, QV_PLAN, node,
                                  "Error during planning: Invalid HexStringLiteral '%s'",
                                  node->text);
        }
        arrow_builder *b = NULL;
        arrow_array *array = NULL;
        qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_BINARY), &b, err);
        if (st == QV_OK)
            st = arrow_builder_append_bytes(b, bytes, (int64_t)(n / 2), err);
        if (st == QV_OK)
            st = arrow_builder_finish(b, &array, err);
        arrow_builder_free(b);
        QV_TRY(st);
        *out = bind_literal_array(ctx, array);
        break;
    }
    default:
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: literal kind %d", node->op);
    }
    return *out ? QV_OK : nomem(err);
}

static qv_status bind_cast(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    plan_expr *arg = NULL;
    QV_TRY(bind_expr(env, sql_kid(node, 0), &arg, err));
    arrow_type *to = NULL;
    QV_TRY(plan_bind_type(env->ctx, sql_kid(node, 1), &to, err));
    if (plan_keep_type(env->ctx, to) == NULL)
        return nomem(err);
    bool safe = node->op == SQL_CAST_TRY_CAST || node->op == SQL_CAST_SAFE_CAST;
    if (!func_can_cast(arg->type, to) && arg->type->id == QV_TYPE_STRUCT &&
        to->id == QV_TYPE_STRUCT && arg->type->n_children != to->n_children) /* cast_nested.c */
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Cannot cast struct with %d fields to %d "
                          "fields without name overlap",
                          (int)arg->type->n_children, (int)to->n_children);
    if (!func_can_cast(arg->type, to)) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        base_strbuf_append_str(&sb, "Error during planning: Cannot cast from ");
        arrow_type_format(arg->type, &sb);
        base_strbuf_append_str(&sb, " to ");
        arrow_type_format(to, &sb);
        qv_status st = bind_error(err, QV_PLAN, node, "%s", sb.data ? sb.data : "cast");
        base_strbuf_free(&sb);
        return st;
    }
    *out = plan_expr_cast(env->ctx, arg, to, safe);
    return *out ? QV_OK : nomem(err);
}

static qv_status bind_typed_literal(bind_env *env, const sql_node *node, plan_expr **out,
                                    qv_error *err)
{
    plan_expr *text = bind_literal_string(env->ctx, node->text, node->text_len);
    if (text == NULL)
        return nomem(err);
    arrow_type *to = NULL;
    QV_TRY(plan_bind_type(env->ctx, sql_kid(node, 0), &to, err));
    if (plan_keep_type(env->ctx, to) == NULL)
        return nomem(err);
    *out = plan_expr_cast(env->ctx, text, to, false);
    return *out ? QV_OK : nomem(err);
}

static qv_status bind_unary(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    const sql_node *operand = sql_kid(node, 0);
    if (node->op == SQL_OP_NEG && operand->kind == SQL_LITERAL &&
        (operand->op == SQL_LIT_INTEGER || operand->op == SQL_LIT_NUMBER))
        return bind_number(env, operand, true, out, err);
    plan_expr *arg = NULL;
    QV_TRY(bind_expr(env, operand, &arg, err));
    switch (node->op) {
    case SQL_OP_NOT:
        if (arg->type->id != QV_TYPE_BOOLEAN)
            QV_TRY(plan_coerce_to(env->ctx, arg, arrow_type_primitive(QV_TYPE_BOOLEAN), &arg, err));
        *out = plan_expr_new(env->ctx, PLAN_EXPR_NOT, 0, arg->type, arg->nullable, 1, &arg);
        break;
    case SQL_OP_NEG:
        if (!plan_type_is_numeric(arg->type->id) && arg->type->id != QV_TYPE_NULL &&
            arg->type->id != QV_TYPE_INTERVAL_MONTH_DAY_NANO && arg->type->id != QV_TYPE_DURATION)
            return bind_error(err, QV_PLAN, node,
                              "Error during planning: Negation only supports numeric, interval "
                              "and timestamp types");
        *out = plan_expr_new(env->ctx, PLAN_EXPR_NEGATE, 0, arg->type, arg->nullable, 1, &arg);
        break;
    case SQL_OP_PLUS_PREFIX:
        *out = arg;
        break;
    default:
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: Unsupported SQL unary operator %s",
                          sql_op_text((sql_op)node->op));
    }
    return *out ? QV_OK : nomem(err);
}

static qv_status bind_like_op(bind_env *env, const sql_node *node, bool negated, bool ci,
                              plan_expr *value, plan_expr *pattern, uint32_t escape,
                              plan_expr **out, qv_error *err)
{
    plan_expr *args[2] = {value, pattern};
    for (int i = 0; i < 2; i++) {
        arrow_type_id id = args[i]->type->id;
        if (id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW)
            continue;
        if (id == QV_TYPE_NULL || id == QV_TYPE_DICTIONARY) {
            QV_TRY(plan_coerce_to(env->ctx, args[i], arrow_type_primitive(QV_TYPE_UTF8), &args[i],
                                  err));
            continue;
        }
        base_strbuf sb;
        base_strbuf_init(&sb);
        base_strbuf_append_str(&sb, "Error during planning: There isn't a common type to coerce ");
        arrow_type_format(value->type, &sb);
        base_strbuf_append_str(&sb, " and ");
        arrow_type_format(pattern->type, &sb);
        base_strbuf_append_str(&sb, " in LIKE expression");
        qv_status st = bind_error(err, QV_PLAN, node, "%s", sb.data ? sb.data : "LIKE");
        base_strbuf_free(&sb);
        return st;
    }
    *out = plan_expr_new(env->ctx, PLAN_EXPR_LIKE, 0, arrow_type_primitive(QV_TYPE_BOOLEAN),
                         value->nullable || pattern->nullable, 2, args);
    if (*out == NULL)
        return nomem(err);
    (*out)->flags = (negated ? PLAN_F_NEGATED : 0) | (ci ? PLAN_F_CASE_INSENSITIVE : 0);
    (*out)->escape = escape;
    return QV_OK;
}

/* x SIMILAR TO 'pattern' as an anchored regular expression match: % and _
 * become .* and ., the rest is already regex syntax. */
static qv_status bind_similar(bind_env *env, const sql_node *node, bool negated, plan_expr *value,
                              plan_expr *pattern, plan_expr **out, qv_error *err)
{
    if (pattern->kind != PLAN_EXPR_LITERAL ||
        !(pattern->type->id == QV_TYPE_UTF8 || pattern->type->id == QV_TYPE_NULL))
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: SIMILAR TO with a non-literal "
                          "pattern");
    plan_expr *regex = pattern;
    if (pattern->type->id == QV_TYPE_UTF8 && arrow_array_is_valid(pattern->value, 0)) {
        base_strbuf text, re;
        base_strbuf_init(&text);
        base_strbuf_init(&re);
        arrow_format_value(pattern->value, 0, &text, NULL);
        base_strbuf_append_str(&re, "^(?:");
        for (size_t i = 0; text.data != NULL && i < text.len; i++) {
            char c = text.data[i];
            if (c == '%')
                base_strbuf_append_str(&re, ".*");
            else if (c == '_')
                base_strbuf_append_char(&re, '.');
            else if (c == '\\' && i + 1 < text.len) {
                base_strbuf_append_char(&re, '\\');
                base_strbuf_append_char(&re, text.data[++i]);
            } else if (c == '.' || c == '^' || c == '$')
                base_strbuf_appendf(&re, "\\%c", c);
            else
                base_strbuf_append_char(&re, c);
        }
        base_strbuf_append_str(&re, ")$");
        bool failed = base_strbuf_failed(&text) || base_strbuf_failed(&re);
        regex = failed ? NULL : bind_literal_string(env->ctx, re.data, re.len);
        base_strbuf_free(&text);
        base_strbuf_free(&re);
        if (regex == NULL)
            return nomem(err);
    }
    return bind_binary_op(env, PLAN_OP_REGEX, negated ? PLAN_F_NEGATED : 0, value, regex, node, out,
                          err);
}

static qv_status bind_like(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    plan_expr *value = NULL, *pattern = NULL;
    QV_TRY(bind_expr(env, sql_kid(node, 0), &value, err));
    QV_TRY(bind_expr(env, sql_kid(node, 1), &pattern, err));
    bool negated = (node->flags & SQL_F_NOT) != 0;
    if (node->op == SQL_LIKE_SIMILAR)
        return bind_similar(env, node, negated, value, pattern, out, err);
    uint32_t escape = '\\';
    const sql_node *esc = sql_kid(node, 2);
    if (esc != NULL) {
        if (esc->kind != SQL_LITERAL || esc->text == NULL || esc->text_len > 1)
            return bind_error(err, QV_PLAN, esc,
                              "Error during planning: Invalid escape character in LIKE "
                              "expression");
        escape = esc->text_len == 0 ? 0 : (uint8_t)esc->text[0];
    }
    return bind_like_op(env, node, negated, node->op == SQL_LIKE_ILIKE, value, pattern, escape, out,
                        err);
}

static qv_status bind_in_list(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    const sql_node *list = sql_kid(node, 1);
    /* x IN ((SELECT ...)) is an IN subquery, as in DataFusion. */
    const sql_node *only = list->n_kids == 1 ? list->kids[0] : NULL;
    while (only != NULL && only->kind == SQL_NESTED)
        only = sql_kid(only, 0);
    if (only != NULL && only->kind == SQL_SUBQUERY)
        return bind_in_subquery(env, sql_kid(node, 0), sql_kid(only, 0),
                                (node->flags & SQL_F_NOT) != 0, node, out, err);
    int32_t n = 1 + (int32_t)list->n_kids;
    plan_expr **args = plan_alloc(env->ctx, (size_t)n * sizeof *args);
    if (args == NULL)
        return nomem(err);
    QV_TRY(bind_expr(env, sql_kid(node, 0), &args[0], err));
    bool nullable = args[0]->nullable;
    for (int32_t i = 1; i < n; i++) {
        QV_TRY(bind_expr(env, list->kids[i - 1], &args[i], err));
        nullable |= args[i]->nullable;
    }
    QV_TRY(bind_coerce_common(env, n, args, node, "IN", err));
    *out = plan_expr_new(env->ctx, PLAN_EXPR_IN_LIST, 0, arrow_type_primitive(QV_TYPE_BOOLEAN),
                         nullable, n, args);
    if (*out == NULL)
        return nomem(err);
    (*out)->flags = (node->flags & SQL_F_NOT) ? PLAN_F_NEGATED : 0;
    return QV_OK;
}

static qv_status bind_between(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    plan_expr *value = NULL, *low = NULL, *high = NULL, *a = NULL, *b = NULL;
    QV_TRY(bind_expr(env, sql_kid(node, 0), &value, err));
    QV_TRY(bind_expr(env, sql_kid(node, 1), &low, err));
    QV_TRY(bind_expr(env, sql_kid(node, 2), &high, err));
    bool negated = (node->flags & SQL_F_NOT) != 0;
    QV_TRY(bind_binary_op(env, negated ? PLAN_OP_LT : PLAN_OP_GE, 0, value, low, node, &a, err));
    QV_TRY(bind_binary_op(env, negated ? PLAN_OP_GT : PLAN_OP_LE, 0, value, high, node, &b, err));
    return bind_binary_op(env, negated ? PLAN_OP_OR : PLAN_OP_AND, 0, a, b, node, out, err);
}

static qv_status bind_is(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    plan_expr *arg = NULL;
    QV_TRY(bind_expr(env, sql_kid(node, 0), &arg, err));
    bool negated = (node->flags & SQL_F_NOT) != 0;
    if (node->op == SQL_IS_DISTINCT_FROM) {
        plan_expr *other = NULL;
        QV_TRY(bind_expr(env, sql_kid(node, 1), &other, err));
        return bind_binary_op(env, negated ? PLAN_OP_IS_NOT_DISTINCT : PLAN_OP_IS_DISTINCT, 0, arg,
                              other, node, out, err);
    }
    plan_is_op op;
    switch (node->op) {
    case SQL_IS_NULL:
        op = negated ? PLAN_IS_NOT_NULL : PLAN_IS_NULL;
        break;
    case SQL_IS_TRUE:
        op = negated ? PLAN_IS_NOT_TRUE : PLAN_IS_TRUE;
        break;
    case SQL_IS_FALSE:
        op = negated ? PLAN_IS_NOT_FALSE : PLAN_IS_FALSE;
        break;
    default:
        op = negated ? PLAN_IS_NOT_UNKNOWN : PLAN_IS_UNKNOWN;
        break;
    }
    if (op != PLAN_IS_NULL && op != PLAN_IS_NOT_NULL && arg->type->id != QV_TYPE_BOOLEAN)
        QV_TRY(plan_coerce_to(env->ctx, arg, arrow_type_primitive(QV_TYPE_BOOLEAN), &arg, err));
    *out = plan_expr_new(env->ctx, PLAN_EXPR_IS, (int32_t)op, arrow_type_primitive(QV_TYPE_BOOLEAN),
                         false, 1, &arg);
    return *out ? QV_OK : nomem(err);
}

static qv_status bind_case(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    const sql_node *whens = sql_kid(node, 1);
    int32_t n_when = (int32_t)whens->n_kids;
    int32_t n = 2 + 2 * n_when;
    plan_expr **args = plan_alloc(env->ctx, (size_t)n * sizeof *args);
    plan_expr **results = plan_alloc(env->ctx, (size_t)(n_when + 1) * sizeof *results);
    if (args == NULL || results == NULL)
        return nomem(err);
    if (sql_kid(node, 0) != NULL)
        QV_TRY(bind_expr(env, sql_kid(node, 0), &args[0], err));
    for (int32_t i = 0; i < n_when; i++) {
        const sql_node *when = whens->kids[i];
        QV_TRY(bind_expr(env, sql_kid(when, 0), &args[1 + 2 * i], err));
        QV_TRY(bind_expr(env, sql_kid(when, 1), &results[i], err));
    }
    if (sql_kid(node, 2) != NULL)
        QV_TRY(bind_expr(env, sql_kid(node, 2), &results[n_when], err));
    /* The results share one type; so do the operand and the WHEN values,
     * or the conditions are Boolean. */
    QV_TRY(bind_coerce_common(env, n_when + 1, results, node, "CASE", err));
    if (args[0] != NULL) {
        plan_expr **keys = plan_alloc(env->ctx, (size_t)(n_when + 1) * sizeof *keys);
        if (keys == NULL)
            return nomem(err);
        keys[0] = args[0];
        for (int32_t i = 0; i < n_when; i++)
            keys[i + 1] = args[1 + 2 * i];
        QV_TRY(bind_coerce_common(env, n_when + 1, keys, node, "CASE", err));
        args[0] = keys[0];
        for (int32_t i = 0; i < n_when; i++)
            args[1 + 2 * i] = keys[i + 1];
    } else {
        for (int32_t i = 0; i < n_when; i++)
            if (args[1 + 2 * i]->type->id != QV_TYPE_BOOLEAN)
                QV_TRY(plan_coerce_to(env->ctx, args[1 + 2 * i],
                                      arrow_type_primitive(QV_TYPE_BOOLEAN), &args[1 + 2 * i],
                                      err));
    }
    bool nullable = results[n_when] == NULL;
    arrow_type *type = NULL;
    for (int32_t i = 0; i <= n_when; i++) {
        if (results[i] == NULL)
            continue;
        nullable |= results[i]->nullable;
        type = results[i]->type;
    }
    for (int32_t i = 0; i < n_when; i++)
        args[2 + 2 * i] = results[i];
    args[n - 1] = results[n_when];
    *out = plan_expr_new(env->ctx, PLAN_EXPR_CASE, 0, type, nullable, n, args);
    return *out ? QV_OK : nomem(err);
}

static plan_binary_op binary_op_of(int32_t op, uint32_t *flags)
{
    *flags = 0;
    switch (op) {
    case SQL_OP_PLUS:
        return PLAN_OP_ADD;
    case SQL_OP_MINUS:
        return PLAN_OP_SUB;
    case SQL_OP_MUL:
        return PLAN_OP_MUL;
    case SQL_OP_DIV:
        return PLAN_OP_DIV;
    case SQL_OP_MOD:
        return PLAN_OP_MOD;
    case SQL_OP_EQ:
    case SQL_OP_EQ2:
        return PLAN_OP_EQ;
    case SQL_OP_NE:
    case SQL_OP_NE2:
        return PLAN_OP_NE;
    case SQL_OP_LT:
        return PLAN_OP_LT;
    case SQL_OP_LE:
        return PLAN_OP_LE;
    case SQL_OP_GT:
        return PLAN_OP_GT;
    case SQL_OP_GE:
        return PLAN_OP_GE;
    case SQL_OP_AND:
        return PLAN_OP_AND;
    case SQL_OP_OR:
        return PLAN_OP_OR;
    case SQL_OP_CONCAT:
        return PLAN_OP_CONCAT;
    case SQL_OP_SPACESHIP:
        return PLAN_OP_IS_NOT_DISTINCT;
    case SQL_OP_BIT_AND:
        return PLAN_OP_BIT_AND;
    case SQL_OP_BIT_OR:
        return PLAN_OP_BIT_OR;
    case SQL_OP_BIT_XOR:
        return PLAN_OP_BIT_XOR;
    case SQL_OP_SHL:
        return PLAN_OP_SHL;
    case SQL_OP_SHR:
        return PLAN_OP_SHR;
    case SQL_OP_REGEX:
        return PLAN_OP_REGEX;
    case SQL_OP_REGEX_I:
        *flags = PLAN_F_CASE_INSENSITIVE;
        return PLAN_OP_REGEX;
    case SQL_OP_NOT_REGEX:
        *flags = PLAN_F_NEGATED;
        return PLAN_OP_REGEX;
    case SQL_OP_NOT_REGEX_I:
        *flags = PLAN_F_NEGATED | PLAN_F_CASE_INSENSITIVE;
        return PLAN_OP_REGEX;
    default:
        return PLAN_OP_COUNT_;
    }
}

static qv_status bind_binary(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    plan_expr *l = NULL, *r = NULL;
    QV_TRY(bind_expr(env, sql_kid(node, 0), &l, err));
    QV_TRY(bind_expr(env, sql_kid(node, 1), &r, err));
    /* ||, @> and <@ on lists are array function calls (bind_array_ops.c). */
    qv_status array_st = bind_array_operator(env, node, l, r, out, err);
    if (array_st != QV_NOT_FOUND)
        return array_st;
    switch (node->op) {
    case SQL_OP_LIKE_OP:
    case SQL_OP_ILIKE_OP:
    case SQL_OP_NOT_LIKE_OP:
    case SQL_OP_NOT_ILIKE_OP:
        return bind_like_op(
            env, node, node->op == SQL_OP_NOT_LIKE_OP || node->op == SQL_OP_NOT_ILIKE_OP,
            node->op == SQL_OP_ILIKE_OP || node->op == SQL_OP_NOT_ILIKE_OP, l, r, '\\', out, err);
    case SQL_OP_INTDIV:
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: Unsupported SQL binary operator //");
    default:
        break;
    }
    uint32_t flags;
    plan_binary_op op = binary_op_of(node->op, &flags);
    if (op == PLAN_OP_COUNT_)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: Unsupported SQL binary operator %s",
                          sql_op_text((sql_op)node->op));
    return bind_binary_op(env, op, flags, l, r, node, out, err);
}

static qv_status bind_placeholder(bind_env *env, const sql_node *node, plan_expr **out,
                                  qv_error *err)
{
    const char *text = node->text;
    if (text[0] != '$' || text[1] < '1' || text[1] > '9')
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Invalid placeholder, not a number: %s", text);
    long index = strtol(text + 1, NULL, 10) - 1;
    plan_ctx *ctx = env->ctx;
    if (ctx->param_values != NULL) {
        /* EXECUTE: the value, still named $n. */
        if (index >= ctx->n_params)
            return bind_error(err, QV_PLAN, node,
                              "Error during planning: No value found for placeholder with id %s",
                              text);
        *out = plan_expr_literal(ctx, arrow_array_retain(ctx->param_values[index]));
        if (*out == NULL)
            return nomem(err);
        (*out)->flags |= PLAN_F_PARAM;
        (*out)->column = (int32_t)index;
        return QV_OK;
    }
    arrow_type *type = index < ctx->n_params && ctx->param_types[index] != NULL
                           ? ctx->param_types[index]
                           : arrow_type_primitive(QV_TYPE_NULL);
    *out = plan_expr_new(ctx, PLAN_EXPR_PLACEHOLDER, 0, type, true, 0, NULL);
    if (*out == NULL)
        return nomem(err);
    (*out)->column = (int32_t)index;
    return QV_OK;
}

static qv_status bind_name(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    qv_status st = bind_column_ref(env, node, out, err);
    const sql_node *ident = node->kind == SQL_NAME && node->n_kids == 1 ? node->kids[0] : node;
    if (st == QV_SCHEMA && ident->kind == SQL_IDENT) {
        /* A SELECT-list alias (ORDER BY / HAVING / QUALIFY may use them). */
        const char *name = plan_ident(env->ctx, ident);
        for (int32_t i = 0; name != NULL && i < env->n_aliases; i++)
            if (env->alias_names[i] != NULL && strcmp(env->alias_names[i], name) == 0) {
                *out = env->alias_exprs[i];
                return QV_OK;
            }
    }
    return st;
}

qv_status bind_expr(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    *out = NULL;
    qv_status st;
    switch (node->kind) {
    case SQL_LITERAL:
        st = bind_literal(env, node, out, err);
        break;
    case SQL_TYPED_LITERAL:
        st = bind_typed_literal(env, node, out, err);
        break;
    case SQL_INTERVAL:
        st = bind_interval(env, node, out, err);
        break;
    case SQL_IDENT:
    case SQL_NAME:
        st = bind_name(env, node, out, err);
        break;
    case SQL_NESTED:
        st = bind_expr(env, sql_kid(node, 0), out, err);
        break;
    case SQL_UNARY:
        st = bind_unary(env, node, out, err);
        break;
    case SQL_BINARY:
        st = bind_binary(env, node, out, err);
        break;
    case SQL_LIKE:
        st = bind_like(env, node, out, err);
        break;
    case SQL_IN_LIST:
        st = bind_in_list(env, node, out, err);
        break;
    case SQL_BETWEEN:
        st = bind_between(env, node, out, err);
        break;
    case SQL_IS:
        st = bind_is(env, node, out, err);
        break;
    case SQL_CASE:
        st = bind_case(env, node, out, err);
        break;
    case SQL_CAST:
        st = bind_cast(env, node, out, err);
        break;
    case SQL_FUNCTION:
        st = bind_function(env, node, out, err);
        break;
    case SQL_SPECIAL_FUNC:
        st = bind_special_function(env, node, out, err);
        break;
    case SQL_PLACEHOLDER:
        st = bind_placeholder(env, node, out, err);
        break;
    case SQL_SUBQUERY:
    case SQL_EXISTS:
    case SQL_IN_SUBQUERY:
        st = bind_subquery_expr(env, node, out, err);
        break;
    case SQL_ARRAY: /* nested values: bind_nested.c */
    case SQL_TUPLE:
    case SQL_INDEX:
    case SQL_SLICE:
    case SQL_FIELD:
    case SQL_DICT:
    case SQL_MAP:
    case SQL_QUANTIFIED:
        st = bind_nested_expr(env, node, out, err);
        break;
    default:
        st = bind_error(err, QV_NOT_IMPLEMENTED, node,
                        "This feature is not implemented: Unsupported SQL expression: %s",
                        sql_kind_name(node->kind));
        break;
    }
    return bind_locate(err, st, node);
}

qv_status plan_bind_expr(plan_ctx *ctx, const sql_node *expr, const plan_schema *schema,
                         plan_expr **out, qv_error *err)
{
    bind_env env = {.ctx = ctx, .schema = schema, .clause = "expression"};
    return bind_expr(&env, expr, out, err);
}
