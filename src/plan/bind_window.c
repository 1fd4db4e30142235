/*
 * bind_window.c — binding window functions (layer: plan): calls with OVER
 * (named windows from the WINDOW clause, also extended by a spec,
 * PARTITION BY, ORDER BY, frames with DataFusion's defaults, checks and
 * offset coercion, FILTER / DISTINCT / IGNORE NULLS, named arguments,
 * DataFusion's column names), and the window stage of a SELECT: the calls
 * of the SELECT list, ORDER BY and QUALIFY grouped by their sort keys into
 * stacked PLAN_WINDOW nodes in DataFusion's order, the expressions
 * rewritten over the nodes' columns, then the QUALIFY filter.
 */
#include <string.h>
#include <strings.h>

#include "func/window.h"
#include "plan/bind_from.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "window function");
}

/* ---- named windows ---- */

/* The parts of a window specification after resolving named windows. */
typedef struct window_spec {
    const sql_node *partition; /* SQL_LIST or NULL */
    const sql_node *order;     /* SQL_LIST of SQL_ORDER_ITEM or NULL */
    const sql_node *frame;     /* SQL_WINDOW_FRAME or NULL */
} window_spec;

static const sql_node *named_window(bind_env *env, const char *name)
{
    const sql_node *list = env->windows;
    for (uint32_t i = 0; list != NULL && i < list->n_kids; i++) {
        const char *n = plan_ident(env->ctx, sql_kid(list->kids[i], 0));
        if (n != NULL && strcmp(n, name) == 0)
            return sql_kid(list->kids[i], 1);
    }
    return NULL;
}

static qv_status resolve_spec(bind_env *env, const sql_node *over, window_spec *spec, int depth,
                              qv_error *err)
{
    if (depth > 32)
        return bind_error(err, QV_PLAN, over,
                          "Error during planning: Window definitions refer to each other in a "
                          "cycle");
    const sql_node *base = over->kind == SQL_IDENT ? over : sql_kid(over, 0);
    if (base != NULL) {
        const char *name = plan_ident(env->ctx, base);
        if (name == NULL)
            return nomem(err);
        const sql_node *def = named_window(env, name);
        if (def == NULL)
            return bind_error(err, QV_PLAN, base,
                              "Error during planning: The window %s is not defined!", name);
        QV_TRY(resolve_spec(env, def, spec, depth + 1, err));
    }
    if (over->kind == SQL_IDENT)
        return QV_OK;
    if (sql_kid(over, 1) != NULL) {
        if (spec->partition != NULL)
            return bind_error(err, QV_PLAN, over,
                              "Error during planning: Cannot override PARTITION BY of window %s",
                              plan_ident(env->ctx, base));
        spec->partition = sql_kid(over, 1);
    }
    if (sql_kid(over, 2) != NULL)
        spec->order = sql_kid(over, 2);
    if (sql_kid(over, 3) != NULL)
        spec->frame = sql_kid(over, 3);
    return QV_OK;
}

qv_status bind_window_definitions(plan_ctx *ctx, const sql_node *windows, qv_error *err)
{
    for (uint32_t i = 0; windows != NULL && i < windows->n_kids; i++) {
        const char *a = plan_ident(ctx, sql_kid(windows->kids[i], 0));
        if (a == NULL)
            return nomem(err);
        for (uint32_t j = 0; j < i; j++) {
            const char *b = plan_ident(ctx, sql_kid(windows->kids[j], 0));
            if (b != NULL && strcmp(a, b) == 0)
                return bind_error(err, QV_PLAN, windows->kids[i],
                                  "Error during planning: The window %s is defined multiple "
                                  "times!",
                                  a);
        }
    }
    return QV_OK;
}

/* ---- frames ---- */

/* The text DataFusion keeps for an offset (the number or interval as
 * written), or NULL when the expression is no offset of units. */
static const char *offset_text(plan_ctx *ctx, const sql_node *e, bool range)
{
    if (e->kind == SQL_LITERAL && e->op == SQL_LIT_INTEGER)
        return e->text;
    if (e->kind == SQL_LITERAL && e->op == SQL_LIT_NUMBER && range)
        return e->text;
    if (e->kind != SQL_INTERVAL || sql_kid(e, 2) != NULL)
        return NULL;
    const sql_node *value = sql_kid(e, 0), *unit = sql_kid(e, 1);
    if (value == NULL || value->kind != SQL_LITERAL || value->op != SQL_LIT_STRING)
        return NULL;
    if (unit == NULL)
        return value->text;
    if (!range)
        return NULL;
    size_t n = strlen(value->text) + strlen(unit->text) + 2;
    char *text = plan_alloc(ctx, n);
    if (text == NULL)
        return NULL;
    snprintf(text, n, "%s %s", value->text, unit->text);
    for (char *c = text + strlen(value->text) + 1; *c; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    return text;
}

/* A length-1 array of to holding text cast to it, or NULL (error in err)
 * when the text does not convert. */
static qv_status cast_text(plan_ctx *ctx, const char *text, arrow_type *to, arrow_array **out,
                           qv_error *err)
{
    *out = NULL;
    plan_expr *lit = bind_literal_string(ctx, text, strlen(text));
    if (lit == NULL)
        return nomem(err);
    func_datum in = func_datum_scalar(lit->value), result = {0};
    qv_status st = func_cast(&in, to, false, 1, &result, err);
    func_datum_release(&in);
    if (st != QV_OK)
        return st;
    *out = plan_keep_array(ctx, result.array);
    return *out != NULL ? QV_OK : nomem(err);
}

/* The type RANGE offsets take for an ORDER BY key of type key: the key's
 * own type for numbers, Interval(MonthDayNano) for dates and timestamps. */
static arrow_type *range_offset_type(arrow_type *key)
{
    if (key->id == QV_TYPE_DICTIONARY)
        return range_offset_type(key->value_type);
    if (plan_type_is_numeric(key->id))
        return key;
    if (key->id == QV_TYPE_DATE32 || key->id == QV_TYPE_DATE64 || key->id == QV_TYPE_TIMESTAMP)
        return arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO);
    return NULL;
}

/* The widest type of key's family (a value that fits it but not the key's
 * type makes the bound unbounded, as in DataFusion). */
static arrow_type *widest_of(const arrow_type *key)
{
    if (arrow_type_is_signed_integer(key->id))
        return arrow_type_primitive(QV_TYPE_INT64);
    if (arrow_type_is_integer(key->id))
        return arrow_type_primitive(QV_TYPE_UINT64);
    if (arrow_type_is_floating(key->id))
        return arrow_type_primitive(QV_TYPE_FLOAT64);
    return NULL;
}

static qv_status bind_bound(bind_env *env, const sql_node *node, plan_frame_units units,
                            arrow_type *key_type, plan_frame_bound *out, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    static const plan_frame_bound_kind kinds[] = {
        [SQL_BOUND_UNBOUNDED_PRECEDING] = PLAN_BOUND_UNBOUNDED_PRECEDING,
        [SQL_BOUND_PRECEDING] = PLAN_BOUND_PRECEDING,
        [SQL_BOUND_CURRENT_ROW] = PLAN_BOUND_CURRENT_ROW,
        [SQL_BOUND_FOLLOWING] = PLAN_BOUND_FOLLOWING,
        [SQL_BOUND_UNBOUNDED_FOLLOWING] = PLAN_BOUND_UNBOUNDED_FOLLOWING,
    };
    out->kind = kinds[node->op];
    out->offset = NULL;
    out->text = NULL;
    if (out->kind != PLAN_BOUND_PRECEDING && out->kind != PLAN_BOUND_FOLLOWING)
        return QV_OK;
    bool range = units == PLAN_FRAME_RANGE;
    const char *text = offset_text(ctx, sql_kid(node, 0), range);
    if (text == NULL && !range)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Invalid window frame: frame offsets for ROWS / "
                          "GROUPS must be non negative integers");
    if (text == NULL)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Invalid window frame: frame offsets for RANGE "
                          "must be either a numeric value, a string value or an interval");
    out->text = text;
    if (!range) {
        qv_status st =
            cast_text(ctx, text, arrow_type_primitive(QV_TYPE_UINT64), &out->offset, err);
        if (st != QV_OK)
            return bind_locate(err, st, node);
        return QV_OK;
    }
    if (key_type == NULL) /* checked by the caller: RANGE needs one ORDER BY key */
        return QV_OK;
    arrow_type *target = range_offset_type(key_type);
    if (target == NULL)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: RANGE frame offsets over an ORDER BY "
                          "key of type %s",
                          arrow_type_id_name(key_type->id));
    qv_error ignored = {0};
    if (cast_text(ctx, text, target, &out->offset, &ignored) == QV_OK)
        return QV_OK;
    arrow_type *widest = widest_of(target);
    arrow_array *wide = NULL;
    if (widest != NULL && cast_text(ctx, text, widest, &wide, &ignored) == QV_OK) {
        /* Larger than the key's type can hold: no bound at all. */
        out->kind = out->kind == PLAN_BOUND_PRECEDING ? PLAN_BOUND_UNBOUNDED_PRECEDING
                                                      : PLAN_BOUND_UNBOUNDED_FOLLOWING;
        out->offset = NULL;
        return QV_OK;
    }
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(target, &sb);
    qv_status st = bind_error(err, QV_PLAN, node, "Error during planning: Cannot cast %s to %s",
                              text, sb.data ? sb.data : "?");
    base_strbuf_free(&sb);
    return st;
}

/* Orders two offsets of one type: <0, 0, >0 (intervals by months, days,
 * then nanoseconds). */
static int compare_offsets(const arrow_array *a, const arrow_array *b)
{
    if (a->type->id == QV_TYPE_INTERVAL_MONTH_DAY_NANO) {
        const uint8_t *x = arrow_array_values(a) + a->offset * 16;
        const uint8_t *y = arrow_array_values(b) + b->offset * 16;
        int32_t xm, ym, xd, yd;
        int64_t xn, yn;
        memcpy(&xm, x, 4), memcpy(&xd, x + 4, 4), memcpy(&xn, x + 8, 8);
        memcpy(&ym, y, 4), memcpy(&yd, y + 4, 4), memcpy(&yn, y + 8, 8);
        if (xm != ym)
            return xm < ym ? -1 : 1;
        if (xd != yd)
            return xd < yd ? -1 : 1;
        return xn < yn ? -1 : xn > yn;
    }
    int result = 0;
    func_datum da = func_datum_scalar((arrow_array *)a), db = func_datum_scalar((arrow_array *)b);
    func_datum lt = {0}, gt = {0};
    if (func_compare(FUNC_LT, &da, &db, 1, &lt, NULL) == QV_OK &&
        func_compare(FUNC_GT, &da, &db, 1, &gt, NULL) == QV_OK) {
        const uint8_t *l = arrow_array_values(lt.array), *g = arrow_array_values(gt.array);
        result = arrow_bit_get(l, lt.array->offset) ? -1 : arrow_bit_get(g, gt.array->offset);
    }
    func_datum_release(&lt);
    func_datum_release(&gt);
    func_datum_release(&da);
    func_datum_release(&db);
    return result;
}

/* DataFusion's is_window_frame_bound_valid: the start may not come after
 * the end. */
static bool bounds_ordered(const plan_window_frame *f)
{
    plan_frame_bound_kind s = f->start.kind, e = f->end.kind;
    if (s == PLAN_BOUND_FOLLOWING && (e == PLAN_BOUND_PRECEDING || e == PLAN_BOUND_CURRENT_ROW))
        return false;
    if (s == PLAN_BOUND_CURRENT_ROW && e == PLAN_BOUND_PRECEDING)
        return false;
    if (s == PLAN_BOUND_PRECEDING && e == PLAN_BOUND_PRECEDING)
        return f->start.offset == NULL || f->end.offset == NULL ||
               compare_offsets(f->start.offset, f->end.offset) >= 0;
    if (s == PLAN_BOUND_FOLLOWING && e == PLAN_BOUND_FOLLOWING)
        return f->start.offset == NULL || f->end.offset == NULL ||
               compare_offsets(f->start.offset, f->end.offset) <= 0;
    return true;
}

static bool has_offset(const plan_frame_bound *b)
{
    return b->kind == PLAN_BOUND_PRECEDING || b->kind == PLAN_BOUND_FOLLOWING;
}

static qv_status bind_frame(bind_env *env, const sql_node *node, int32_t n_order,
                            plan_expr *const *order, plan_window_frame *frame, qv_error *err)
{
    if (node == NULL) {
        /* DataFusion's defaults: with ORDER BY up to the current row's
         * peers, without the whole partition. */
        frame->units = n_order > 0 ? PLAN_FRAME_RANGE : PLAN_FRAME_ROWS;
        frame->start.kind = PLAN_BOUND_UNBOUNDED_PRECEDING;
        frame->end.kind = n_order > 0 ? PLAN_BOUND_CURRENT_ROW : PLAN_BOUND_UNBOUNDED_FOLLOWING;
        frame->exclude = PLAN_EXCLUDE_NO_OTHERS;
        return QV_OK;
    }
    frame->units = node->op == SQL_FRAME_ROWS    ? PLAN_FRAME_ROWS
                   : node->op == SQL_FRAME_RANGE ? PLAN_FRAME_RANGE
                                                 : PLAN_FRAME_GROUPS;
    const sql_node *start = sql_kid(node, 0), *end = sql_kid(node, 1);
    if (start->op == SQL_BOUND_UNBOUNDED_FOLLOWING)
        return bind_error(err, QV_PLAN, start,
                          "Error during planning: Invalid window frame: start bound cannot be "
                          "UNBOUNDED FOLLOWING");
    if (end != NULL && end->op == SQL_BOUND_UNBOUNDED_PRECEDING)
        return bind_error(err, QV_PLAN, end,
                          "Error during planning: Invalid window frame: end bound cannot be "
                          "UNBOUNDED PRECEDING");
    /* Offsets are checked for their syntax before the ORDER BY rules. */
    QV_TRY(bind_bound(env, start, frame->units, NULL, &frame->start, err));
    if (end != NULL)
        QV_TRY(bind_bound(env, end, frame->units, NULL, &frame->end, err));
    else
        frame->end = (plan_frame_bound){PLAN_BOUND_CURRENT_ROW, NULL, NULL};
    if (frame->units == PLAN_FRAME_RANGE && n_order != 1 &&
        (has_offset(&frame->start) || has_offset(&frame->end)))
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: RANGE requires exactly one ORDER BY column");
    if (frame->units == PLAN_FRAME_GROUPS && n_order == 0)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: GROUPS requires an ORDER BY clause");
    if (frame->units == PLAN_FRAME_RANGE && n_order == 1) {
        QV_TRY(bind_bound(env, start, frame->units, order[0]->type, &frame->start, err));
        if (end != NULL)
            QV_TRY(bind_bound(env, end, frame->units, order[0]->type, &frame->end, err));
    }
    frame->exclude = (node->flags & SQL_F_EXCLUDE_CURRENT_ROW) ? PLAN_EXCLUDE_CURRENT_ROW
                     : (node->flags & SQL_F_EXCLUDE_GROUP)     ? PLAN_EXCLUDE_GROUP
                     : (node->flags & SQL_F_EXCLUDE_TIES)      ? PLAN_EXCLUDE_TIES
                                                               : PLAN_EXCLUDE_NO_OTHERS;
    if (!bounds_ordered(frame)) {
        base_strbuf sb;
        base_strbuf_init(&sb);
        base_strbuf_append_str(&sb, "Error during planning: Invalid window frame: start bound (");
        plan_frame_bound_format(&frame->start, &sb);
        base_strbuf_append_str(&sb, ") cannot be larger than end bound (");
        plan_frame_bound_format(&frame->end, &sb);
        base_strbuf_append_char(&sb, ')');
        qv_status st = bind_error(err, QV_PLAN, node, "%s", sb.data ? sb.data : "frame");
        base_strbuf_free(&sb);
        return st;
    }
    return QV_OK;
}

/* ---- the call ---- */

static bool contains_window(const plan_expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == PLAN_EXPR_WINDOW)
        return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (contains_window(e->args[i]))
            return true;
    return false;
}

/* Binds the argument list into args (n of them), placing named arguments
 * (name => value) by the entry's parameter names. */
static qv_status bind_args(bind_env *env, const func_entry *entry, const sql_node *node,
                           plan_expr **args, int32_t *n_out, bool *count_star, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    const sql_node *list = sql_kid(node, 1);
    int32_t n = list != NULL ? (int32_t)list->n_kids : 0;
    bool is_count = entry->kind == FUNC_AGGREGATE && strcmp(entry->name, "count") == 0;
    *count_star = false;
    int32_t highest = -1;
    for (int32_t i = 0; i < n; i++) {
        const sql_node *a = list->kids[i];
        int32_t at = i;
        if (a->kind == SQL_NAMED_ARG) {
            const char *pname = plan_ident(ctx, sql_kid(a, 0));
            if (entry->param_names == NULL)
                return bind_error(err, QV_PLAN, a,
                                  "Error during planning: Window function '%s' does not support "
                                  "named arguments",
                                  entry->name);
            at = -1;
            for (int32_t k = 0; entry->param_names[k] != NULL && at < 0; k++)
                if (pname != NULL && strcasecmp(entry->param_names[k], pname) == 0)
                    at = k;
            if (at < 0 || at >= n)
                return bind_error(err, QV_PLAN, a,
                                  "Error during planning: Unknown parameter name '%s' for "
                                  "function '%s'",
                                  pname ? pname : "?", entry->name);
            if (args[at] != NULL)
                return bind_error(err, QV_PLAN, a,
                                  "Error during planning: Parameter '%s' specified more than once",
                                  pname);
            a = sql_kid(a, 1);
        }
        if (a->kind == SQL_STAR && sql_kid(a, 0) == NULL && is_count) {
            args[at] = bind_literal_int64(ctx, 1); /* count(*) counts rows */
            *count_star = true;
        } else {
            QV_TRY(bind_expr(env, a, &args[at], err));
        }
        if (args[at] == NULL)
            return nomem(err);
        if (at > highest)
            highest = at;
    }
    for (int32_t i = 0; i <= highest; i++)
        if (args[i] == NULL)
            return bind_error(err, QV_PLAN, node,
                              "Error during planning: Missing argument %d of '%s'", i + 1,
                              entry->name);
    *n_out = highest + 1;
    if (*n_out == 0 && is_count) {
        args[0] = bind_literal_int64(ctx, 1);
        if (args[0] == NULL)
            return nomem(err);
        *n_out = 1;
        *count_star = true;
    }
    return QV_OK;
}

/* The window function a name with OVER calls: the window entries
 * (first_value / last_value / nth_value win over aggregates of those
 * names), else an aggregate. */
static qv_status resolve_function(bind_env *env, const char *name, const sql_node *at,
                                  const func_entry **out, qv_error *err)
{
    const func_entry *entry = func_window_lookup(name);
    if (entry == NULL)
        entry = func_registry_lookup(env->ctx->registry, name, strlen(name));
    if (entry == NULL)
        return bind_unknown_function(env, name, at, err);
    if (entry->kind != FUNC_WINDOW && entry->kind != FUNC_AGGREGATE)
        return bind_error(err, QV_PLAN, at,
                          "Error during planning: There is no window function named %s", name);
    *out = entry;
    return QV_OK;
}

static const char *window_not_allowed(const bind_env *env)
{
    if (env->in_aggregate)
        return "aggregate function arguments";
    if (!env->allow_aggregates)
        return env->clause ? env->clause : "this context";
    if (env->clause != NULL && strcmp(env->clause, "HAVING") == 0)
        return "HAVING";
    return NULL;
}

static bool never_null_aggregate(const func_entry *entry)
{
    return strcmp(entry->name, "count") == 0 || strcmp(entry->name, "approx_distinct") == 0 ||
           strcmp(entry->name, "regr_count") == 0;
}

/* The result type, with the casts window functions need beyond their
 * signature: a default argument (lag / lead) and a NULL value to the
 * result type. */
static qv_status result_type(bind_env *env, const func_entry *entry, int32_t n, plan_expr **args,
                             const sql_node *at, arrow_type **out, qv_error *err)
{
    arrow_type *types[8];
    arrow_type **t = n <= 8 ? types : plan_alloc(env->ctx, (size_t)n * sizeof *t);
    if (t == NULL)
        return nomem(err);
    for (int32_t i = 0; i < n; i++)
        t[i] = args[i]->type;
    func_return_type_fn fn = entry->kind == FUNC_AGGREGATE ? entry->impl.aggregate->return_type
                                                           : entry->impl.window->return_type;
    qv_status st = fn(n, t, out, err);
    if (st != QV_OK)
        return bind_locate(err, st, at);
    if (plan_keep_type(env->ctx, *out) == NULL)
        return nomem(err);
    int32_t fallback = entry->kind == FUNC_WINDOW ? entry->impl.window->default_arg : -1;
    if (fallback >= 0 && n > fallback) {
        if (args[0]->type->id == QV_TYPE_NULL)
            QV_TRY(bind_locate(err, plan_coerce_to(env->ctx, args[0], *out, &args[0], err), at));
        if (!arrow_type_equal(args[fallback]->type, *out))
            QV_TRY(bind_locate(
                err, plan_coerce_to(env->ctx, args[fallback], *out, &args[fallback], err), at));
    }
    return QV_OK;
}

qv_status bind_window_function(bind_env *env, const sql_node *node, const char *name,
                               plan_expr **out, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    const char *where = window_not_allowed(env);
    if (where != NULL)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Window functions are not allowed in %s", where);
    if (sql_kid(node, 5) != NULL)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: OVER and WITHIN GROUP clause cannot be used "
                          "together. OVER is for window functions, whereas WITHIN GROUP is for "
                          "ordered set aggregate functions");
    window_spec spec = {0};
    QV_TRY(resolve_spec(env, sql_kid(node, 4), &spec, 0, err));
    const func_entry *entry = NULL;
    QV_TRY(resolve_function(env, name, node, &entry, err));
    bool is_agg = entry->kind == FUNC_AGGREGATE;
    if (is_agg && sql_kid(node, 2) != NULL)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Aggregate ORDER BY is not implemented for "
                          "window functions");

    /* The parts, in the order the args array keeps them. */
    const sql_node *list = sql_kid(node, 1);
    int32_t max_args = list != NULL ? (int32_t)list->n_kids : 0;
    int32_t n_part = spec.partition ? (int32_t)spec.partition->n_kids : 0;
    int32_t n_order = spec.order ? (int32_t)spec.order->n_kids : 0;
    bool has_filter = sql_kid(node, 3) != NULL;
    bool ignore_nulls = (node->flags & SQL_F_IGNORE_NULLS) != 0;
    int32_t cap = (max_args > 0 ? max_args : 1) + n_part + n_order + 1;
    plan_expr **args = plan_alloc(ctx, (size_t)cap * sizeof *args);
    plan_window_call *win = plan_alloc(ctx, sizeof *win);
    plan_window_order *dirs = plan_alloc(ctx, (size_t)(n_order > 0 ? n_order : 1) * sizeof *dirs);
    if (args == NULL || win == NULL || dirs == NULL)
        return nomem(err);
    int32_t n_args = 0;
    bool count_star = false;
    QV_TRY(bind_args(env, entry, node, args, &n_args, &count_star, err));
    int32_t k = n_args;
    for (int32_t i = 0; i < n_part; i++)
        QV_TRY(bind_expr(env, spec.partition->kids[i], &args[k++], err));
    for (int32_t i = 0; i < n_order; i++) {
        const sql_node *item = spec.order->kids[i];
        QV_TRY(bind_expr(env, sql_kid(item, 0), &args[k++], err));
        dirs[i].descending = item->op == SQL_ORDER_DESC;
        dirs[i].nulls_first = bind_nulls_first(item);
    }
    if (has_filter) {
        plan_expr *filter = NULL;
        QV_TRY(bind_expr(env, sql_kid(node, 3), &filter, err));
        if (filter->type->id != QV_TYPE_BOOLEAN)
            QV_TRY(bind_locate(
                err,
                plan_coerce_to(ctx, filter, arrow_type_primitive(QV_TYPE_BOOLEAN), &filter, err),
                sql_kid(node, 3)));
        args[k++] = filter;
    }
    for (int32_t i = 0; i < k; i++)
        if (contains_window(args[i]))
            return bind_error(err, QV_PLAN, node,
                              "Error during planning: Window function calls cannot be nested");

    win->func = entry;
    win->n_args = n_args;
    win->n_partition = n_part;
    win->n_order = n_order;
    win->order = dirs;
    win->has_filter = has_filter;
    win->distinct = (node->flags & SQL_F_DISTINCT) != 0;
    win->null_treatment = ignore_nulls                               ? PLAN_NULLS_IGNORE
                          : (node->flags & SQL_F_RESPECT_NULLS) != 0 ? PLAN_NULLS_RESPECT
                                                                     : PLAN_NULLS_UNSPECIFIED;
    QV_TRY(bind_frame(env, spec.frame, n_order, args + n_args + n_part, &win->frame, err));
    plan_expr *e =
        plan_expr_new(ctx, PLAN_EXPR_WINDOW, 0, arrow_type_primitive(QV_TYPE_NULL), true, k, args);
    if (e == NULL)
        return nomem(err);
    e->win = win;

    /* The name is DataFusion's, from the arguments before coercion. */
    base_strbuf sb;
    base_strbuf_init(&sb);
    plan_window_format(e, env->schema, true, &sb);
    const char *display = base_strbuf_failed(&sb) ? NULL : plan_strdup(ctx, sb.data ? sb.data : "");
    base_strbuf_free(&sb);
    if (display == NULL)
        return nomem(err);
    static const char counted[] = "count(Int64(1))";
    if (count_star && strncmp(display, counted, sizeof counted - 1) == 0) {
        /* count(*) keeps its star in the name. */
        const char *rest = display + sizeof counted - 1;
        size_t len = strlen(rest) + 9;
        char *star = plan_alloc(ctx, len);
        if (star == NULL)
            return nomem(err);
        snprintf(star, len, "count(*)%s", rest);
        win->name = star;
    } else {
        win->name = display;
    }
    if (!is_agg && has_filter)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: FILTER clause can only be used with aggregate "
                          "window functions. Found in '%s'",
                          display);
    if (!is_agg && win->distinct)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: DISTINCT is only supported for "
                          "aggregate window functions");
    /* Coercion works on the call's own copy of the arguments; a window
     * function that does not take them fails as DataFusion's do. */
    qv_status st = bind_coerce_args(env, entry, n_args, e->args, node, err);
    if (st == QV_PLAN && !is_agg && entry->signature.kind != FUNC_SIG_UNIFORM)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: Internal error: Function '%s' failed to match "
                          "any signature",
                          entry->name);
    QV_TRY(st);
    QV_TRY(result_type(env, entry, n_args, e->args, node, &win->return_type, err));
    e->type = win->return_type;
    e->nullable = is_agg ? !never_null_aggregate(entry) : entry->impl.window->nullable;
    *out = e;
    return QV_OK;
}

/* ---- the SELECT stage ---- */

/* One sort key of a group of calls (DataFusion's WindowSortKey entry). */
typedef struct sort_key {
    const plan_expr *expr;
    bool descending;
    bool nulls_first;
    bool partition;
} sort_key;

typedef struct window_group {
    int32_t n_keys;
    sort_key *keys;
    int32_t n_calls, cap;
    plan_expr **calls;
} window_group;

typedef struct stage {
    plan_ctx *ctx;
    int32_t n_calls, cap;
    plan_expr **calls; /* distinct window calls */
    int32_t *columns;  /* column of calls[i] in the top node */
    int32_t n_groups;
    window_group *groups;
} stage;

static bool grow_ptrs(plan_ctx *ctx, plan_expr ***items, int32_t n, int32_t *cap)
{
    if (n < *cap)
        return true;
    int32_t new_cap = *cap ? *cap * 2 : 8;
    plan_expr **bigger = plan_alloc(ctx, (size_t)new_cap * sizeof *bigger);
    if (bigger == NULL)
        return false;
    if (n > 0)
        memcpy(bigger, *items, (size_t)n * sizeof *bigger);
    *items = bigger;
    *cap = new_cap;
    return true;
}

static bool collect(stage *s, const plan_expr *e)
{
    if (e == NULL)
        return true;
    if (e->kind == PLAN_EXPR_WINDOW) {
        for (int32_t i = 0; i < s->n_calls; i++)
            if (plan_expr_equal(s->calls[i], e))
                return true;
        if (!grow_ptrs(s->ctx, &s->calls, s->n_calls, &s->cap))
            return false;
        s->calls[s->n_calls++] = (plan_expr *)e;
        return true;
    }
    for (int32_t i = 0; i < e->n_args; i++)
        if (!collect(s, e->args[i]))
            return false;
    return true;
}

/* DataFusion's generate_sort_key: PARTITION BY keys (ascending, nulls
 * last, unless ORDER BY sorts the same expression), then the ORDER BY
 * keys not already present. */
static bool sort_keys_of(plan_ctx *ctx, const plan_expr *call, sort_key **out, int32_t *n_out)
{
    const plan_window_call *w = call->win;
    plan_expr **part = plan_window_partition(call), **order = plan_window_order_exprs(call);
    sort_key *keys = plan_alloc(ctx, (size_t)(w->n_partition + w->n_order + 1) * sizeof *keys);
    if (keys == NULL)
        return false;
    int32_t n = 0;
    for (int32_t i = 0; i < w->n_partition; i++) {
        sort_key k = {part[i], false, false, true};
        for (int32_t j = 0; j < w->n_order; j++)
            if (plan_expr_equal(order[j], part[i])) {
                k.descending = w->order[j].descending;
                k.nulls_first = w->order[j].nulls_first;
                break;
            }
        bool present = false;
        for (int32_t j = 0; j < n && !present; j++)
            present = plan_expr_equal(keys[j].expr, k.expr) && keys[j].descending == k.descending &&
                      keys[j].nulls_first == k.nulls_first;
        if (!present)
            keys[n++] = k;
    }
    for (int32_t i = 0; i < w->n_order; i++) {
        sort_key k = {order[i], w->order[i].descending, w->order[i].nulls_first, false};
        bool present = false;
        for (int32_t j = 0; j < n && !present; j++)
            present = plan_expr_equal(keys[j].expr, k.expr) && keys[j].descending == k.descending &&
                      keys[j].nulls_first == k.nulls_first;
        if (!present)
            keys[n++] = k;
    }
    *out = keys;
    *n_out = n;
    return true;
}

static bool keys_equal(const sort_key *a, int32_t na, const sort_key *b, int32_t nb)
{
    if (na != nb)
        return false;
    for (int32_t i = 0; i < na; i++)
        if (!plan_expr_equal(a[i].expr, b[i].expr) || a[i].descending != b[i].descending ||
            a[i].nulls_first != b[i].nulls_first || a[i].partition != b[i].partition)
            return false;
    return true;
}

/* The columns an expression reads in visiting order, a literal counting
 * as the largest index (DataFusion's find_column_indexes_referenced_by_expr). */
static void referenced(const plan_expr *e, int64_t *out, int32_t *n, int32_t cap)
{
    if (e == NULL)
        return;
    if (e->kind == PLAN_EXPR_COLUMN && *n < cap)
        out[(*n)++] = e->column;
    else if (e->kind == PLAN_EXPR_LITERAL && *n < cap)
        out[(*n)++] = INT64_MAX;
    for (int32_t i = 0; i < e->n_args; i++)
        referenced(e->args[i], out, n, cap);
}

/* DataFusion's compare_sort_expr. */
static int compare_key(const sort_key *a, const sort_key *b)
{
    int64_t ra[32], rb[32];
    int32_t na = 0, nb = 0;
    referenced(a->expr, ra, &na, 32);
    referenced(b->expr, rb, &nb, 32);
    for (int32_t i = 0; i < na && i < nb; i++)
        if (ra[i] != rb[i])
            return ra[i] < rb[i] ? -1 : 1;
    if (na != nb)
        return na < nb ? 1 : -1;
    if (a->descending != b->descending)
        return a->descending ? -1 : 1;
    if (a->nulls_first != b->nulls_first)
        return a->nulls_first ? -1 : 1;
    return 0;
}

/* The order of groups (bottom first): keys compared pairwise, then the
 * group with more keys first, as DataFusion's window_plan sorts them. */
static int compare_groups(const window_group *a, const window_group *b)
{
    for (int32_t i = 0; i < a->n_keys && i < b->n_keys; i++) {
        int c = compare_key(&a->keys[i], &b->keys[i]);
        if (c != 0)
            return c;
    }
    return a->n_keys > b->n_keys ? -1 : a->n_keys < b->n_keys;
}

static bool group_calls(stage *s)
{
    s->groups = plan_alloc(s->ctx, (size_t)s->n_calls * sizeof *s->groups);
    if (s->groups == NULL)
        return false;
    for (int32_t i = 0; i < s->n_calls; i++) {
        sort_key *keys;
        int32_t n_keys;
        if (!sort_keys_of(s->ctx, s->calls[i], &keys, &n_keys))
            return false;
        window_group *g = NULL;
        for (int32_t j = 0; j < s->n_groups && g == NULL; j++)
            if (keys_equal(s->groups[j].keys, s->groups[j].n_keys, keys, n_keys))
                g = &s->groups[j];
        if (g == NULL) {
            g = &s->groups[s->n_groups++];
            *g = (window_group){n_keys, keys, 0, 0, NULL};
        }
        if (!grow_ptrs(s->ctx, &g->calls, g->n_calls, &g->cap))
            return false;
        g->calls[g->n_calls++] = s->calls[i];
    }
    /* Stable insertion sort. */
    for (int32_t i = 1; i < s->n_groups; i++) {
        window_group g = s->groups[i];
        int32_t j = i;
        while (j > 0 && compare_groups(&s->groups[j - 1], &g) > 0) {
            s->groups[j] = s->groups[j - 1];
            j--;
        }
        s->groups[j] = g;
    }
    return true;
}

static plan_node *window_node(stage *s, plan_node *input, const window_group *g)
{
    plan_node *node = plan_node_new(s->ctx, PLAN_WINDOW, 1, &input);
    int32_t n_in = input->schema.n_columns;
    if (node == NULL || !plan_schema_init(s->ctx, &node->schema, n_in + g->n_calls))
        return NULL;
    if (n_in > 0)
        memcpy(node->schema.columns, input->schema.columns,
               (size_t)n_in * sizeof *node->schema.columns);
    node->n_window_exprs = g->n_calls;
    node->window_exprs = g->calls;
    for (int32_t i = 0; i < g->n_calls; i++) {
        const plan_expr *call = g->calls[i];
        plan_column *col = &node->schema.columns[n_in + i];
        col->name = call->win->name;
        col->type = call->type;
        col->nullable = call->nullable;
        for (int32_t c = 0; c < s->n_calls; c++)
            if (s->calls[c] == call)
                s->columns[c] = n_in + i;
    }
    return node;
}

/* e with every window call replaced by its column of the top node. */
static plan_expr *rewrite(stage *s, const plan_schema *top, const plan_expr *e)
{
    if (e == NULL)
        return NULL;
    if (e->kind == PLAN_EXPR_WINDOW) {
        for (int32_t i = 0; i < s->n_calls; i++)
            if (plan_expr_equal(s->calls[i], e))
                return plan_expr_column(s->ctx, top, s->columns[i]);
        return NULL;
    }
    if (!contains_window(e))
        return (plan_expr *)e;
    plan_expr *copy = plan_alloc(s->ctx, sizeof *copy);
    if (copy == NULL)
        return NULL;
    *copy = *e;
    copy->args = plan_alloc(s->ctx, (size_t)e->n_args * sizeof *copy->args);
    if (copy->args == NULL)
        return NULL;
    for (int32_t i = 0; i < e->n_args; i++)
        if (e->args[i] != NULL && (copy->args[i] = rewrite(s, top, e->args[i])) == NULL)
            return NULL;
    return copy;
}

qv_status bind_window_stage(plan_ctx *ctx, plan_node **input, int32_t n, plan_expr **const *slots,
                            plan_expr *qualify, const sql_node *at, qv_error *err)
{
    stage s = {.ctx = ctx};
    for (int32_t i = 0; i < n; i++)
        if (!collect(&s, *slots[i]))
            return nomem(err);
    if (!collect(&s, qualify))
        return nomem(err);
    if (s.n_calls == 0) {
        if (qualify != NULL)
            return bind_error(err, QV_PLAN, at,
                              "Error during planning: QUALIFY clause requires window functions "
                              "in the SELECT list or QUALIFY clause");
        return QV_OK;
    }
    s.columns = plan_alloc(ctx, (size_t)s.n_calls * sizeof *s.columns);
    if (s.columns == NULL || !group_calls(&s))
        return nomem(err);
    plan_node *top = *input;
    for (int32_t g = 0; g < s.n_groups; g++)
        if ((top = window_node(&s, top, &s.groups[g])) == NULL)
            return nomem(err);
    for (int32_t i = 0; i < n; i++)
        if ((*slots[i] = rewrite(&s, &top->schema, *slots[i])) == NULL)
            return nomem(err);
    if (qualify != NULL) {
        plan_expr *pred = rewrite(&s, &top->schema, qualify);
        if (pred == NULL)
            return nomem(err);
        if (pred->type->id != QV_TYPE_BOOLEAN)
            QV_TRY(bind_locate(
                err, plan_coerce_to(ctx, pred, arrow_type_primitive(QV_TYPE_BOOLEAN), &pred, err),
                at));
        plan_node *filter = plan_node_new(ctx, PLAN_FILTER, 1, &top);
        if (filter == NULL)
            return nomem(err);
        filter->schema = top->schema;
        filter->n_exprs = 1;
        filter->exprs = plan_alloc(ctx, sizeof *filter->exprs);
        if (filter->exprs == NULL)
            return nomem(err);
        filter->exprs[0] = pred;
        top = filter;
    }
    *input = top;
    return QV_OK;
}
