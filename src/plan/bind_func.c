/*
 * bind_func.c — binding function calls (layer: plan): registry lookup with
 * "Did you mean" hints, argument coercion to the function's signature,
 * return types, aggregate calls (DISTINCT, FILTER, ORDER BY, count(*)),
 * arrow_cast, and the special syntax forms (EXTRACT, POSITION, SUBSTRING,
 * TRIM, OVERLAY, CEIL / FLOOR) that become ordinary calls.
 */
#include <string.h>
#include <strings.h>

#include "plan/bind_int.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "function call");
}

/* ---- signature coercion ---- */

/* May a value of type from be cast to to without being asked (DataFusion's
 * can_coerce_from, simplified)? */
static bool implicit_cast_ok(const arrow_type *from, const arrow_type *to)
{
    arrow_type_id f = from->id, t = to->id;
    if (f == t || f == QV_TYPE_NULL)
        return true;
    bool fnum = plan_type_is_numeric(f), tnum = plan_type_is_numeric(t);
    if (fnum && tnum) {
        /* Decimals and 64-bit integers only widen to Float64. */
        if ((f == QV_TYPE_DECIMAL128 || f == QV_TYPE_DECIMAL256 || f == QV_TYPE_INT64 ||
             f == QV_TYPE_UINT64) &&
            (t == QV_TYPE_FLOAT32 || t == QV_TYPE_FLOAT16))
            return false;
        if (arrow_type_is_floating(t) || t == QV_TYPE_DECIMAL128 || t == QV_TYPE_DECIMAL256)
            return true;
        if (arrow_type_is_integer(f) && arrow_type_is_integer(t))
            return arrow_type_bit_width(to) > arrow_type_bit_width(from) ||
                   (arrow_type_bit_width(to) == arrow_type_bit_width(from) &&
                    arrow_type_is_signed_integer(f) == arrow_type_is_signed_integer(t));
        return false;
    }
    bool fstr = f == QV_TYPE_UTF8 || f == QV_TYPE_LARGE_UTF8 || f == QV_TYPE_UTF8_VIEW;
    bool tstr = t == QV_TYPE_UTF8 || t == QV_TYPE_LARGE_UTF8 || t == QV_TYPE_UTF8_VIEW;
    if (fstr && tstr)
        return true;
    if (fstr && (t == QV_TYPE_DATE32 || t == QV_TYPE_TIMESTAMP || t == QV_TYPE_TIME64 ||
                 t == QV_TYPE_INTERVAL_MONTH_DAY_NANO))
        return true;
    if ((f == QV_TYPE_DATE32 || f == QV_TYPE_DATE64) && t == QV_TYPE_TIMESTAMP)
        return true;
    if (f == QV_TYPE_TIMESTAMP && t == QV_TYPE_TIMESTAMP)
        return true;
    if (f == QV_TYPE_DICTIONARY)
        return implicit_cast_ok(from->value_type, to);
    if ((f == QV_TYPE_BINARY || f == QV_TYPE_LARGE_BINARY || f == QV_TYPE_BINARY_VIEW) &&
        (t == QV_TYPE_BINARY || t == QV_TYPE_LARGE_BINARY || t == QV_TYPE_BINARY_VIEW))
        return true;
    return false;
}

/* The type a signature's type id stands for when casting to it. */
static qv_status type_for_id(arrow_type_id id, const arrow_type *like, arrow_type **out,
                             qv_error *err)
{
    if (like != NULL && like->id == id) {
        *out = arrow_type_retain((arrow_type *)like);
        return QV_OK;
    }
    arrow_type *t = arrow_type_primitive(id);
    if (t != NULL) {
        *out = t;
        return QV_OK;
    }
    switch (id) {
    case QV_TYPE_DECIMAL128:
        return arrow_type_decimal(QV_TYPE_DECIMAL128, 38, 10, out, err);
    case QV_TYPE_TIMESTAMP:
        return arrow_type_timestamp(QV_UNIT_NANOSECOND, NULL, out, err);
    default:
        return QV_NOT_FOUND;
    }
}

/* Fills targets[i] (new references or NULL = keep) so that the signature
 * accepts the arguments; QV_NOT_FOUND when it cannot. */
static qv_status signature_targets(const func_signature *sig, int32_t n, plan_expr **args,
                                   arrow_type **targets, qv_error *err)
{
    arrow_type **types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *types);
    if (types == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n; i++)
        types[i] = args[i]->type;
    qv_status st = QV_NOT_FOUND;
    if (func_signature_accepts(sig, n, types)) {
        st = QV_OK;
        goto done;
    }
    switch (sig->kind) {
    case FUNC_SIG_EXACT:
        if (n != sig->n_args)
            break;
        st = QV_OK;
        for (int32_t i = 0; i < n && st == QV_OK; i++) {
            arrow_type *t = NULL;
            st = type_for_id(sig->types[i], args[i]->type, &t, err);
            if (st == QV_OK && !implicit_cast_ok(args[i]->type, t)) {
                arrow_type_release(t);
                st = QV_NOT_FOUND;
            }
            if (st == QV_OK)
                targets[i] = t;
        }
        break;
    case FUNC_SIG_UNIFORM:
    case FUNC_SIG_VARIADIC:
        if (sig->kind == FUNC_SIG_UNIFORM ? n != sig->n_args : n < 1)
            break;
        /* The first listed type every argument coerces to. */
        for (int32_t k = 0; k < sig->n_types && st == QV_NOT_FOUND; k++) {
            arrow_type *t = NULL;
            qv_status tst = type_for_id(sig->types[k], args[0]->type, &t, err);
            if (tst == QV_NOT_FOUND)
                continue;
            if (tst != QV_OK) {
                st = tst;
                break;
            }
            bool all = true;
            for (int32_t i = 0; i < n && all; i++)
                all = implicit_cast_ok(args[i]->type, t);
            if (all) {
                for (int32_t i = 0; i < n; i++)
                    targets[i] = arrow_type_retain(t);
                st = QV_OK;
            }
            arrow_type_release(t);
        }
        break;
    case FUNC_SIG_NUMERIC:
    case FUNC_SIG_COMPARABLE: {
        if (n != sig->n_args)
            break;
        arrow_type *common = arrow_type_primitive(QV_TYPE_NULL);
        st = QV_OK;
        for (int32_t i = 0; i < n && st == QV_OK; i++) {
            arrow_type *next = NULL;
            if (sig->kind == FUNC_SIG_NUMERIC && !plan_type_is_numeric(types[i]->id) &&
                types[i]->id != QV_TYPE_NULL) {
                st = QV_NOT_FOUND;
                break;
            }
            st = plan_comparison_coercion(common, types[i], &next, err);
            arrow_type_release(common);
            common = next;
        }
        if (st == QV_OK && common->id == QV_TYPE_NULL && sig->kind == FUNC_SIG_NUMERIC)
            common = arrow_type_primitive(QV_TYPE_FLOAT64);
        for (int32_t i = 0; i < n && st == QV_OK; i++)
            targets[i] = arrow_type_retain(common);
        arrow_type_release(common);
        break;
    }
    case FUNC_SIG_STRING:
        if (n != sig->n_args)
            break;
        st = QV_OK;
        for (int32_t i = 0; i < n && st == QV_OK; i++) {
            arrow_type_id id = types[i]->id;
            if (id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW)
                continue;
            if (id == QV_TYPE_NULL || id == QV_TYPE_DICTIONARY)
                targets[i] = arrow_type_primitive(QV_TYPE_UTF8);
            else
                st = QV_NOT_FOUND;
        }
        break;
    case FUNC_SIG_ONE_OF:
        for (int32_t a = 0; a < sig->n_alternatives && st == QV_NOT_FOUND; a++) {
            for (int32_t i = 0; i < n; i++) {
                arrow_type_release(targets[i]);
                targets[i] = NULL;
            }
            st = signature_targets(&sig->alternatives[a], n, args, targets, err);
        }
        break;
    default:
        break;
    }
done:
    if (st != QV_OK)
        for (int32_t i = 0; i < n; i++) {
            arrow_type_release(targets[i]);
            targets[i] = NULL;
        }
    base_free(types);
    return st;
}

static qv_status coercion_failed(const func_entry *entry, int32_t n, plan_expr **args,
                                 const sql_node *at, qv_error *err)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    if (n == 0 && entry->signature.kind != FUNC_SIG_NULLARY) {
        base_strbuf_appendf(&sb, "Error during planning: '%s' does not support zero arguments",
                            entry->name);
    } else {
        base_strbuf_appendf(&sb,
                            "Error during planning: Failed to coerce arguments to satisfy a call "
                            "to '%s' function: coercion from ",
                            entry->name);
        for (int32_t i = 0; i < n; i++) {
            if (i > 0)
                base_strbuf_append_str(&sb, ", ");
            arrow_type_format(args[i]->type, &sb);
        }
        base_strbuf_append_str(&sb, " to the signature ");
        func_signature_format(&entry->signature, &sb);
        base_strbuf_append_str(&sb, " failed");
    }
    qv_status st = bind_error(err, QV_PLAN, at, "%s", sb.data ? sb.data : "coercion failed");
    base_strbuf_free(&sb);
    return st;
}

/* Targets from the entry's own coerce_types, given the binder's
 * comparison coercion as a service. */
static qv_status user_defined_targets(const func_entry *entry, int32_t n, plan_expr **args,
                                      arrow_type **targets, qv_error *err)
{
    static const func_coerce_services services = {plan_comparison_coercion,
                                                  plan_type_union_resolution};
    arrow_type **types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *types);
    if (types == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n; i++)
        types[i] = args[i]->type;
    qv_status st = entry->impl.scalar.coerce_types(&services, n, types, targets, err);
    base_free(types);
    return st;
}

/* Casts args in place so that entry's signature accepts them. */
static qv_status coerce_args(bind_env *env, const func_entry *entry, int32_t n, plan_expr **args,
                             const sql_node *at, qv_error *err)
{
    arrow_type **targets = base_calloc((size_t)(n > 0 ? n : 1), sizeof *targets);
    if (targets == NULL)
        return nomem(err);
    qv_status st;
    if (entry->kind == FUNC_SCALAR && entry->impl.scalar.coerce_types != NULL) {
        /* User-defined coercion (the array functions): the entry decides. */
        st = user_defined_targets(entry, n, args, targets, err);
        if (st != QV_OK && st != QV_NOT_FOUND)
            st = bind_locate(err, st, at);
    } else {
        st = signature_targets(&entry->signature, n, args, targets, err);
    }
    if (st == QV_NOT_FOUND)
        st = coercion_failed(entry, n, args, at, err);
    for (int32_t i = 0; i < n; i++) {
        if (st == QV_OK && targets[i] != NULL)
            st = plan_coerce_to(env->ctx, args[i], targets[i], &args[i], err);
        arrow_type_release(targets[i]);
    }
    base_free(targets);
    return st;
}

static qv_status return_type(bind_env *env, func_return_type_fn fn, int32_t n, plan_expr **args,
                             const sql_node *at, arrow_type **out, qv_error *err)
{
    arrow_type **types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *types);
    if (types == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n; i++)
        types[i] = args[i]->type;
    qv_status st = fn(n, types, out, err);
    base_free(types);
    if (st == QV_OK && plan_keep_type(env->ctx, *out) == NULL)
        return nomem(err);
    return bind_locate(err, st, at);
}

/* ---- lookup ---- */

static qv_status unknown_function(bind_env *env, const char *name, const sql_node *at,
                                  qv_error *err)
{
    const func_registry *reg = env->ctx->registry;
    const char *best = NULL;
    size_t best_d = 1000;
    for (int32_t i = 0; i < func_registry_count(reg); i++) {
        const func_entry *e = func_registry_at(reg, i);
        size_t d = bind_edit_distance(e->name, name);
        if (d < best_d) {
            best_d = d;
            best = e->name;
        }
    }
    if (best != NULL)
        return bind_error(err, QV_PLAN, at,
                          "Error during planning: Invalid function '%s'.\nDid you mean '%s'?", name,
                          best);
    return bind_error(err, QV_PLAN, at, "Error during planning: Invalid function '%s'", name);
}

/* Window calls (bind_window.c) coerce and report like other calls. */
qv_status bind_coerce_args(bind_env *env, const func_entry *entry, int32_t n, plan_expr **args,
                           const sql_node *at, qv_error *err)
{
    return coerce_args(env, entry, n, args, at, err);
}

qv_status bind_unknown_function(bind_env *env, const char *name, const sql_node *at, qv_error *err)
{
    return unknown_function(env, name, at, err);
}

/* The function's name as the binder resolves it: quoted names keep their
 * case, others are lower-cased. */
static const char *function_name(bind_env *env, const sql_node *name_node)
{
    const sql_node *last =
        name_node->kind == SQL_NAME ? name_node->kids[name_node->n_kids - 1] : name_node;
    return plan_ident(env->ctx, last);
}

/* ---- scalar calls ---- */

static qv_status make_call(bind_env *env, const func_entry *entry, int32_t n, plan_expr **args,
                           const sql_node *at, plan_expr **out, qv_error *err)
{
    QV_TRY(coerce_args(env, entry, n, args, at, err));
    arrow_type **types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *types);
    const arrow_array **literals = base_calloc((size_t)(n > 0 ? n : 1), sizeof *literals);
    if (types == NULL || literals == NULL) {
        base_free(types);
        base_free(literals);
        return nomem(err);
    }
    for (int32_t i = 0; i < n; i++) {
        types[i] = args[i]->type;
        literals[i] = args[i]->kind == PLAN_EXPR_LITERAL ? args[i]->value : NULL;
    }
    arrow_type *rt = NULL;
    qv_status st =
        func_resolve_return_type(entry, n, types, literals, env->ctx->options.time_zone, &rt, err);
    base_free(types);
    base_free(literals);
    QV_TRY(bind_locate(err, st, at));
    if (plan_keep_type(env->ctx, rt) == NULL)
        return nomem(err);
    bool nullable = true;
    *out = plan_expr_new(env->ctx, PLAN_EXPR_FUNCTION, 0, rt, nullable, n, args);
    if (*out == NULL)
        return nomem(err);
    (*out)->func = entry;
    return QV_OK;
}

qv_status bind_call_named(bind_env *env, const char *name, const sql_node *at, int32_t n_args,
                          plan_expr **args, plan_expr **out, qv_error *err)
{
    const func_entry *entry = func_registry_lookup(env->ctx->registry, name, strlen(name));
    if (entry == NULL || entry->kind != FUNC_SCALAR)
        return unknown_function(env, name, at, err);
    plan_expr **copy = plan_alloc(env->ctx, (size_t)(n_args > 0 ? n_args : 1) * sizeof *copy);
    if (copy == NULL)
        return nomem(err);
    memcpy(copy, args, (size_t)n_args * sizeof *copy);
    return make_call(env, entry, n_args, copy, at, out, err);
}

/* arrow_cast(expr, 'Type'): a CAST to the type the string names. */
static qv_status bind_arrow_cast(bind_env *env, const sql_node *node, plan_expr **args, int32_t n,
                                 plan_expr **out, qv_error *err)
{
    if (n != 2)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: arrow_cast needs 2 arguments, %d provided", n);
    plan_expr *type_arg = args[1];
    arrow_type_id tid = type_arg->type->id;
    if (type_arg->kind != PLAN_EXPR_LITERAL ||
        !(tid == QV_TYPE_UTF8 || tid == QV_TYPE_LARGE_UTF8 || tid == QV_TYPE_UTF8_VIEW)) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        base_strbuf_append_str(&sb, "Error during planning: Function 'arrow_cast' requires "
                                    "String, but received ");
        arrow_type_format(type_arg->type, &sb);
        base_strbuf_append_str(&sb, " (DataType: ");
        arrow_type_format(type_arg->type, &sb);
        base_strbuf_append_char(&sb, ')');
        qv_status st = bind_error(err, QV_PLAN, node, "%s", sb.data ? sb.data : "arrow_cast");
        base_strbuf_free(&sb);
        return st;
    }
    base_strbuf text;
    base_strbuf_init(&text);
    arrow_format_value(type_arg->value, 0, &text, NULL);
    arrow_type *to = NULL;
    qv_status st = arrow_type_parse(text.data ? text.data : "", &to, err);
    base_strbuf_free(&text);
    if (st != QV_OK)
        return bind_locate(err, st, node);
    if (plan_keep_type(env->ctx, to) == NULL)
        return nomem(err);
    /* DataFusion plans arrow_cast(x, 'Null') whatever x is (its type is
     * Null); only running it reports that the cast is not supported. */
    if (to->id != QV_TYPE_NULL && !func_can_cast(args[0]->type, to)) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        base_strbuf_append_str(&sb, "Error during planning: Cannot cast from ");
        arrow_type_format(args[0]->type, &sb);
        base_strbuf_append_str(&sb, " to ");
        arrow_type_format(to, &sb);
        st = bind_error(err, QV_PLAN, node, "%s", sb.data ? sb.data : "cast");
        base_strbuf_free(&sb);
        return st;
    }
    *out = plan_expr_cast(env->ctx, args[0], to, false);
    return *out ? QV_OK : nomem(err);
}

/* ---- aggregate calls ---- */

/* grouping(a, b...): which of its arguments are aggregated away in the
 * current grouping set. It is computed from the aggregate's __grouping_id
 * (see bind_select.c), so it has no accumulator. */
static qv_status rt_grouping(int n_args, arrow_type *const *arg_types, arrow_type **out,
                             qv_error *err)
{
    (void)n_args;
    (void)arg_types;
    (void)err;
    *out = arrow_type_primitive(QV_TYPE_INT32);
    return QV_OK;
}

static const func_agg_impl grouping_impl = {rt_grouping, NULL, NULL};
const func_entry plan_grouping_entry = {
    "grouping",     NULL,
    FUNC_AGGREGATE, {FUNC_SIG_VARIADIC_ANY, 0, 0, NULL, 0, NULL},
    FUNC_IMMUTABLE, "Returns 1 for each argument not part of the current grouping set, as bits.",
    NULL,           .impl.aggregate = &grouping_impl};

static qv_status bind_aggregate(bind_env *env, const func_entry *entry, const sql_node *node,
                                plan_expr **out, qv_error *err)
{
    if (!env->allow_aggregates && env->clause != NULL && strcmp(env->clause, "WHERE") == 0)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Aggregate functions are not allowed in the "
                          "WHERE clause. Consider using HAVING instead");
    if (!env->allow_aggregates)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Aggregate functions are not allowed in %s",
                          env->clause ? env->clause : "this context");
    if (env->in_aggregate)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Aggregate function calls cannot be nested");
    bind_env inner = *env;
    inner.in_aggregate = true;
    inner.n_aliases = 0;
    plan_ctx *ctx = env->ctx;
    const sql_node *arg_list = sql_kid(node, 1);
    int32_t n = arg_list ? (int32_t)arg_list->n_kids : 0;
    plan_agg_call *agg = plan_alloc(ctx, sizeof *agg);
    plan_expr **args = plan_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *args);
    if (agg == NULL || args == NULL)
        return nomem(err);
    bool count_star = false;
    for (int32_t i = 0; i < n; i++) {
        const sql_node *a = arg_list->kids[i];
        if (a->kind == SQL_STAR && sql_kid(a, 0) == NULL && strcmp(entry->name, "count") == 0) {
            /* count(*) counts rows: DataFusion plans count(Int64(1)). */
            args[i] = bind_literal_int64(ctx, 1);
            if (args[i] == NULL)
                return nomem(err);
            count_star = true;
            continue;
        }
        QV_TRY(bind_expr(&inner, a, &args[i], err));
    }
    if (n == 0 && strcmp(entry->name, "count") == 0) {
        args[0] = bind_literal_int64(ctx, 1);
        if (args[0] == NULL)
            return nomem(err);
        n = 1;
        count_star = true;
    }
    QV_TRY(coerce_args(env, entry, n, args, node, err));
    agg->func = entry;
    agg->n_args = n;
    agg->args = args;
    agg->distinct = (node->flags & SQL_F_DISTINCT) != 0;
    if (sql_kid(node, 3) != NULL) {
        QV_TRY(bind_expr(&inner, sql_kid(node, 3), &agg->filter, err));
        if (agg->filter->type->id != QV_TYPE_BOOLEAN)
            QV_TRY(plan_coerce_to(ctx, agg->filter, arrow_type_primitive(QV_TYPE_BOOLEAN),
                                  &agg->filter, err));
    }
    if ((node->flags & SQL_F_IGNORE_NULLS) && n > 0) {
        /* IGNORE NULLS: rows whose first argument is NULL do not reach the
         * aggregate, which is a filter. */
        plan_expr *not_null =
            plan_expr_new(ctx, PLAN_EXPR_IS, PLAN_IS_NOT_NULL,
                          arrow_type_primitive(QV_TYPE_BOOLEAN), false, 1, &args[0]);
        if (not_null == NULL)
            return nomem(err);
        if (agg->filter == NULL)
            agg->filter = not_null;
        else
            QV_TRY(bind_binary_op(&inner, PLAN_OP_AND, 0, agg->filter, not_null, node, &agg->filter,
                                  err));
    }
    const sql_node *order = sql_kid(node, 2) ? sql_kid(node, 2) : sql_kid(node, 5);
    if (order != NULL && order->n_kids > 0) {
        agg->n_order = (int32_t)order->n_kids;
        agg->order = plan_alloc(ctx, (size_t)agg->n_order * sizeof *agg->order);
        if (agg->order == NULL)
            return nomem(err);
        for (int32_t i = 0; i < agg->n_order; i++) {
            const sql_node *item = order->kids[i];
            QV_TRY(bind_expr(&inner, sql_kid(item, 0), &agg->order[i].expr, err));
            agg->order[i].descending = item->op == SQL_ORDER_DESC;
            agg->order[i].nulls_first = (item->flags & SQL_F_NULLS_FIRST) ? true
                                        : (item->flags & SQL_F_NULLS_LAST)
                                            ? false
                                            : agg->order[i].descending;
        }
    }
    QV_TRY(return_type(env, entry->impl.aggregate->return_type, n, args, node, &agg->return_type,
                       err));
    *out = plan_expr_new(ctx, PLAN_EXPR_AGGREGATE, 0, agg->return_type, true, 0, NULL);
    if (*out == NULL)
        return nomem(err);
    (*out)->agg = agg;
    bool never_null = strcmp(entry->name, "count") == 0 ||
                      strcmp(entry->name, "approx_distinct") == 0 ||
                      strcmp(entry->name, "regr_count") == 0;
    (*out)->nullable = !never_null;
    agg->name = count_star ? "count(*)" : plan_expr_name(ctx, *out, env->schema);
    if (agg->name == NULL)
        return nomem(err);
    return QV_OK;
}

qv_status bind_function(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    const char *name = function_name(env, sql_kid(node, 0));
    if (name == NULL)
        return nomem(err);
    if (bind_nested_is_special(name)) /* struct(a AS x), unnest(x): bind_nested.c */
        return bind_nested_special_call(env, name, node, out, err);
    if (sql_kid(node, 4) != NULL) /* OVER: a window call (bind_window.c) */
        return bind_window_function(env, node, name, out, err);
    const func_entry *entry = func_registry_lookup(env->ctx->registry, name, strlen(name));
    if (entry == NULL && strcmp(name, "grouping") == 0)
        entry = &plan_grouping_entry;
    bool is_arrow_cast = strcmp(name, "arrow_cast") == 0;
    if (entry == NULL && !is_arrow_cast)
        return unknown_function(env, name, node, err);
    if (entry != NULL && entry->kind == FUNC_AGGREGATE)
        return bind_aggregate(env, entry, node, out, err);
    if (entry != NULL && entry->kind != FUNC_SCALAR)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: %s is not a scalar function", name);
    if (node->flags & SQL_F_DISTINCT)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: DISTINCT is only allowed in aggregate "
                          "functions");
    const sql_node *arg_list = sql_kid(node, 1);
    int32_t n = arg_list ? (int32_t)arg_list->n_kids : 0;
    plan_expr **args = plan_alloc(env->ctx, (size_t)(n > 0 ? n : 1) * sizeof *args);
    if (args == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n; i++) {
        const sql_node *a = arg_list->kids[i];
        if (a->kind == SQL_NAMED_ARG)
            return bind_error(err, QV_NOT_IMPLEMENTED, a,
                              "This feature is not implemented: named function arguments");
        QV_TRY(bind_expr(env, a, &args[i], err));
    }
    if (is_arrow_cast)
        return bind_arrow_cast(env, node, args, n, out, err);
    return make_call(env, entry, n, args, node, out, err);
}

/* ---- special forms ---- */

qv_status bind_special_function(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    plan_expr *args[4] = {NULL, NULL, NULL, NULL};
    int32_t n = 0;
    const char *name = NULL;
    switch (node->op) {
    case SQL_SPECIAL_EXTRACT: {
        const sql_node *field = sql_kid(node, 0);
        const char *text = field->kind == SQL_IDENT ? field->text : field->text;
        size_t len = strlen(text);
        char *lower = plan_alloc(env->ctx, len + 1);
        if (lower == NULL)
            return nomem(err);
        for (size_t i = 0; i < len; i++)
            lower[i] = (char)((text[i] >= 'A' && text[i] <= 'Z') ? text[i] + 32 : text[i]);
        args[0] = bind_literal_string(env->ctx, lower, len);
        if (args[0] == NULL)
            return nomem(err);
        QV_TRY(bind_expr(env, sql_kid(node, 1), &args[1], err));
        n = 2;
        name = "date_part";
        break;
    }
    case SQL_SPECIAL_POSITION:
        QV_TRY(bind_expr(env, sql_kid(node, 1), &args[0], err));
        QV_TRY(bind_expr(env, sql_kid(node, 0), &args[1], err));
        n = 2;
        name = "strpos";
        break;
    case SQL_SPECIAL_SUBSTRING:
        QV_TRY(bind_expr(env, sql_kid(node, 0), &args[n++], err));
        if (sql_kid(node, 1) != NULL) {
            QV_TRY(bind_expr(env, sql_kid(node, 1), &args[n++], err));
        } else {
            args[n] = bind_literal_int64(env->ctx, 1);
            if (args[n++] == NULL)
                return nomem(err);
        }
        if (sql_kid(node, 2) != NULL)
            QV_TRY(bind_expr(env, sql_kid(node, 2), &args[n++], err));
        name = "substr";
        break;
    case SQL_SPECIAL_TRIM: {
        QV_TRY(bind_expr(env, sql_kid(node, 0), &args[n++], err));
        if (sql_kid(node, 1) != NULL)
            QV_TRY(bind_expr(env, sql_kid(node, 1), &args[n++], err));
        const sql_node *where = sql_kid(node, 2);
        name = "btrim";
        if (where != NULL && strcasecmp(where->text, "LEADING") == 0)
            name = "ltrim";
        else if (where != NULL && strcasecmp(where->text, "TRAILING") == 0)
            name = "rtrim";
        break;
    }
    case SQL_SPECIAL_OVERLAY:
        for (uint32_t i = 0; i < 4; i++)
            if (sql_kid(node, i) != NULL)
                QV_TRY(bind_expr(env, sql_kid(node, i), &args[n++], err));
        name = "overlay";
        break;
    case SQL_SPECIAL_CEIL:
    case SQL_SPECIAL_FLOOR:
        if (sql_kid(node, 1) != NULL)
            return bind_error(err, QV_NOT_IMPLEMENTED, node,
                              "This feature is not implemented: CEIL/FLOOR ... TO unit");
        QV_TRY(bind_expr(env, sql_kid(node, 0), &args[n++], err));
        name = node->op == SQL_SPECIAL_CEIL ? "ceil" : "floor";
        break;
    default:
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: special function form %d", node->op);
    }
    return bind_call_named(env, name, node, n, args, out, err);
}
