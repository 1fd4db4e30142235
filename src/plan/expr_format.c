/*
 * expr_format.c — DataFusion's display of logical expressions (layer:
 * plan): the text that names projected columns (`t.a + Int64(1)`,
 * `count(*)`) and appears in EXPLAIN.
 */
#include <string.h>

#include "plan/plan.h"

static const char *const binary_text[PLAN_OP_COUNT_] = {
    [PLAN_OP_ADD] = "+",
    [PLAN_OP_SUB] = "-",
    [PLAN_OP_MUL] = "*",
    [PLAN_OP_DIV] = "/",
    [PLAN_OP_MOD] = "%",
    [PLAN_OP_EQ] = "=",
    [PLAN_OP_NE] = "!=",
    [PLAN_OP_LT] = "<",
    [PLAN_OP_LE] = "<=",
    [PLAN_OP_GT] = ">",
    [PLAN_OP_GE] = ">=",
    [PLAN_OP_AND] = "AND",
    [PLAN_OP_OR] = "OR",
    [PLAN_OP_IS_DISTINCT] = "IS DISTINCT FROM",
    [PLAN_OP_IS_NOT_DISTINCT] = "IS NOT DISTINCT FROM",
    [PLAN_OP_CONCAT] = "||",
    [PLAN_OP_REGEX] = "~",
    [PLAN_OP_BIT_AND] = "&",
    [PLAN_OP_BIT_OR] = "|",
    [PLAN_OP_BIT_XOR] = "BIT_XOR",
    [PLAN_OP_SHL] = "<<",
    [PLAN_OP_SHR] = ">>",
};

const char *plan_binary_op_text(plan_binary_op op)
{
    return binary_text[op];
}

/* DataFusion's operator precedence, for parenthesising nested binaries. */
static int precedence(int32_t op)
{
    switch (op) {
    case PLAN_OP_OR:
        return 5;
    case PLAN_OP_AND:
        return 10;
    case PLAN_OP_EQ:
    case PLAN_OP_NE:
    case PLAN_OP_LT:
    case PLAN_OP_LE:
    case PLAN_OP_GT:
    case PLAN_OP_GE:
    case PLAN_OP_IS_DISTINCT:
    case PLAN_OP_IS_NOT_DISTINCT:
    case PLAN_OP_REGEX:
        return 20;
    case PLAN_OP_ADD:
    case PLAN_OP_SUB:
        return 30;
    case PLAN_OP_MUL:
    case PLAN_OP_DIV:
    case PLAN_OP_MOD:
        return 40;
    default:
        return 0;
    }
}

static void append_regex_op(const plan_expr *e, base_strbuf *sb)
{
    bool neg = e->flags & PLAN_F_NEGATED, ci = e->flags & PLAN_F_CASE_INSENSITIVE;
    base_strbuf_append_str(sb, neg ? (ci ? "!~*" : "!~") : (ci ? "~*" : "~"));
}

/* Rust's Display of a float drops a trailing ".0" that arrow's display keeps. */
static void append_float(const arrow_array *value, base_strbuf *sb)
{
    size_t start = sb->len;
    arrow_format_value(value, 0, sb, NULL);
    if (sb->len >= start + 2 && sb->data != NULL && memcmp(sb->data + sb->len - 2, ".0", 2) == 0)
        sb->len -= 2;
}

static void format_literal(const arrow_array *value, base_strbuf *sb)
{
    const arrow_type *t = value->type;
    if (t->id == QV_TYPE_NULL) {
        base_strbuf_append_str(sb, "NULL");
        return;
    }
    bool valid = arrow_array_is_valid(value, 0);
    switch (t->id) {
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        base_strbuf_appendf(sb, "%s(", arrow_type_id_name(t->id));
        if (valid) {
            /* Some(unscaled) */
            base_strbuf_append_str(sb, "Some(");
            size_t start = sb->len;
            arrow_format_value(value, 0, sb, NULL);
            /* drop the decimal point to get the unscaled integer */
            if (sb->data != NULL)
                for (size_t i = start; i < sb->len; i++)
                    if (sb->data[i] == '.') {
                        memmove(sb->data + i, sb->data + i + 1, sb->len - i - 1);
                        sb->len--;
                        break;
                    }
            base_strbuf_append_char(sb, ')');
        } else {
            base_strbuf_append_str(sb, "None");
        }
        base_strbuf_appendf(sb, ",%d,%d)", t->precision, t->scale);
        return;
    case QV_TYPE_TIMESTAMP: {
        static const char *const unit_names[] = {"Second", "Millisecond", "Microsecond",
                                                 "Nanosecond"};
        base_strbuf_appendf(sb, "Timestamp%s(", unit_names[t->unit]);
        if (valid) {
            const int64_t *v = (const int64_t *)arrow_array_values(value);
            base_strbuf_appendf(sb, "%lld", (long long)v[value->offset]);
        } else {
            base_strbuf_append_str(sb, "NULL");
        }
        if (t->timezone != NULL)
            base_strbuf_appendf(sb, ", Some(\"%s\"))", t->timezone);
        else
            base_strbuf_append_str(sb, ", None)");
        return;
    }
    default:
        break;
    }
    arrow_type_format(t, sb);
    base_strbuf_append_char(sb, '(');
    if (!valid) {
        base_strbuf_append_str(sb, "NULL");
    } else if (t->id == QV_TYPE_UTF8 || t->id == QV_TYPE_LARGE_UTF8 || t->id == QV_TYPE_UTF8_VIEW ||
               t->id == QV_TYPE_DATE32 || t->id == QV_TYPE_DATE64) {
        base_strbuf_append_char(sb, '"');
        arrow_format_value(value, 0, sb, NULL);
        base_strbuf_append_char(sb, '"');
    } else if (arrow_type_is_floating(t->id)) {
        append_float(value, sb);
    } else {
        arrow_format_value(value, 0, sb, NULL);
    }
    base_strbuf_append_char(sb, ')');
}

static void format_child(const plan_expr *child, int parent_prec, const plan_schema *input,
                         base_strbuf *sb)
{
    bool paren = child->kind == PLAN_EXPR_BINARY && precedence(child->op) < parent_prec;
    if (paren)
        base_strbuf_append_char(sb, '(');
    plan_expr_format(child, input, sb);
    if (paren)
        base_strbuf_append_char(sb, ')');
}

static void format_args(const plan_expr *const *args, int32_t n, const plan_schema *input,
                        const char *sep, base_strbuf *sb)
{
    for (int32_t i = 0; i < n; i++) {
        if (i > 0)
            base_strbuf_append_str(sb, sep);
        plan_expr_format(args[i], input, sb);
    }
}

static void format_agg(const plan_agg_call *agg, const plan_schema *input, base_strbuf *sb)
{
    if (agg->name != NULL) {
        base_strbuf_append_str(sb, agg->name);
        return;
    }
    base_strbuf_appendf(sb, "%s(", agg->func->name);
    if (agg->distinct)
        base_strbuf_append_str(sb, "DISTINCT ");
    format_args((const plan_expr *const *)agg->args, agg->n_args, input, ",", sb);
    base_strbuf_append_char(sb, ')');
    if (agg->filter != NULL) {
        base_strbuf_append_str(sb, " FILTER (WHERE ");
        plan_expr_format(agg->filter, input, sb);
        base_strbuf_append_char(sb, ')');
    }
    if (agg->n_order > 0) {
        base_strbuf_append_str(sb, " ORDER BY [");
        for (int32_t i = 0; i < agg->n_order; i++) {
            if (i > 0)
                base_strbuf_append_str(sb, ", ");
            plan_expr_format(agg->order[i].expr, input, sb);
            base_strbuf_append_str(sb, agg->order[i].descending ? " DESC" : " ASC");
            base_strbuf_append_str(sb, agg->order[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
        }
        base_strbuf_append_char(sb, ']');
    }
}

static const char *const is_text[] = {
    [PLAN_IS_NULL] = "IS NULL",       [PLAN_IS_NOT_NULL] = "IS NOT NULL",
    [PLAN_IS_TRUE] = "IS TRUE",       [PLAN_IS_NOT_TRUE] = "IS NOT TRUE",
    [PLAN_IS_FALSE] = "IS FALSE",     [PLAN_IS_NOT_FALSE] = "IS NOT FALSE",
    [PLAN_IS_UNKNOWN] = "IS UNKNOWN", [PLAN_IS_NOT_UNKNOWN] = "IS NOT UNKNOWN",
};

void plan_expr_format(const plan_expr *e, const plan_schema *input, base_strbuf *sb)
{
    switch (e->kind) {
    case PLAN_EXPR_COLUMN: {
        const plan_column *col =
            input != NULL && e->column < input->n_columns ? &input->columns[e->column] : NULL;
        if (col == NULL) {
            base_strbuf_appendf(sb, "#%d", e->column);
        } else {
            if (col->qualifier != NULL)
                base_strbuf_appendf(sb, "%s.", col->qualifier);
            base_strbuf_append_str(sb, col->name);
        }
        return;
    }
    case PLAN_EXPR_LITERAL:
        if (e->flags & PLAN_F_PARAM)
            base_strbuf_appendf(sb, "$%d", e->column + 1);
        else
            format_literal(e->value, sb);
        return;
    case PLAN_EXPR_BINARY: {
        int prec = precedence(e->op);
        format_child(e->args[0], prec, input, sb);
        base_strbuf_append_char(sb, ' ');
        if (e->op == PLAN_OP_REGEX)
            append_regex_op(e, sb);
        else
            base_strbuf_append_str(sb, binary_text[e->op]);
        base_strbuf_append_char(sb, ' ');
        format_child(e->args[1], prec + 1, input, sb);
        return;
    }
    case PLAN_EXPR_NOT:
        base_strbuf_append_str(sb, "NOT ");
        plan_expr_format(e->args[0], input, sb);
        return;
    case PLAN_EXPR_NEGATE:
        base_strbuf_append_str(sb, "(- ");
        plan_expr_format(e->args[0], input, sb);
        base_strbuf_append_char(sb, ')');
        return;
    case PLAN_EXPR_IS:
        plan_expr_format(e->args[0], input, sb);
        base_strbuf_appendf(sb, " %s", is_text[e->op]);
        return;
    case PLAN_EXPR_CAST:
        base_strbuf_append_str(sb, (e->flags & PLAN_F_SAFE) ? "TRY_CAST(" : "CAST(");
        plan_expr_format(e->args[0], input, sb);
        base_strbuf_append_str(sb, " AS ");
        arrow_type_format(e->type, sb);
        base_strbuf_append_char(sb, ')');
        return;
    case PLAN_EXPR_CASE: {
        base_strbuf_append_str(sb, "CASE ");
        if (e->args[0] != NULL) {
            plan_expr_format(e->args[0], input, sb);
            base_strbuf_append_char(sb, ' ');
        }
        int32_t n_when = (e->n_args - 2) / 2;
        for (int32_t i = 0; i < n_when; i++) {
            base_strbuf_append_str(sb, "WHEN ");
            plan_expr_format(e->args[1 + 2 * i], input, sb);
            base_strbuf_append_str(sb, " THEN ");
            plan_expr_format(e->args[2 + 2 * i], input, sb);
            base_strbuf_append_char(sb, ' ');
        }
        if (e->args[e->n_args - 1] != NULL) {
            base_strbuf_append_str(sb, "ELSE ");
            plan_expr_format(e->args[e->n_args - 1], input, sb);
            base_strbuf_append_char(sb, ' ');
        }
        base_strbuf_append_str(sb, "END");
        return;
    }
    case PLAN_EXPR_IN_LIST:
        plan_expr_format(e->args[0], input, sb);
        base_strbuf_append_str(sb, (e->flags & PLAN_F_NEGATED) ? " NOT IN ([" : " IN ([");
        format_args((const plan_expr *const *)e->args + 1, e->n_args - 1, input, ", ", sb);
        base_strbuf_append_str(sb, "])");
        return;
    case PLAN_EXPR_LIKE:
        plan_expr_format(e->args[0], input, sb);
        if (e->flags & PLAN_F_NEGATED)
            base_strbuf_append_str(sb, " NOT");
        base_strbuf_append_str(sb, (e->flags & PLAN_F_CASE_INSENSITIVE) ? " ILIKE " : " LIKE ");
        plan_expr_format(e->args[1], input, sb);
        if (e->escape != 0 && e->escape != '\\')
            base_strbuf_appendf(sb, " ESCAPE '%c'", (char)e->escape);
        return;
    case PLAN_EXPR_FUNCTION:
        if (plan_nested_format_call(e, input, sb)) /* a[i], s[f]: bind_nested.c */
            return;
        base_strbuf_appendf(sb, "%s(", e->func->name);
        format_args((const plan_expr *const *)e->args, e->n_args, input, ",", sb);
        base_strbuf_append_char(sb, ')');
        return;
    case PLAN_EXPR_PLACEHOLDER:
        base_strbuf_appendf(sb, "$%d", e->column + 1);
        return;
    case PLAN_EXPR_AGGREGATE:
        format_agg(e->agg, input, sb);
        return;
    case PLAN_EXPR_OUTER_COLUMN:
        base_strbuf_append_str(sb, "outer_ref(");
        if (e->outer->qualifier != NULL)
            base_strbuf_appendf(sb, "%s.", e->outer->qualifier);
        base_strbuf_appendf(sb, "%s)", e->outer->name);
        return;
    case PLAN_EXPR_SUBQUERY:
        if (e->op == PLAN_SUBQUERY_IN) {
            plan_expr_format(e->args[0], input, sb);
            base_strbuf_append_str(sb, e->flags & PLAN_F_NEGATED ? " NOT IN (<subquery>)"
                                                                 : " IN (<subquery>)");
        } else if (e->op == PLAN_SUBQUERY_EXISTS) {
            base_strbuf_append_str(sb, e->flags & PLAN_F_NEGATED ? "NOT EXISTS (<subquery>)"
                                                                 : "EXISTS (<subquery>)");
        } else {
            base_strbuf_append_str(sb, "(<subquery>)");
        }
        return;
    case PLAN_EXPR_WINDOW:
        if (e->win->name != NULL)
            base_strbuf_append_str(sb, e->win->name);
        else
            plan_window_format(e, input, true, sb);
        return;
    }
}

/* ---- window calls ---- */

static void format_frame_bound(const plan_frame_bound *b, bool as_name, base_strbuf *sb)
{
    if (b->kind == PLAN_BOUND_UNBOUNDED_PRECEDING || b->kind == PLAN_BOUND_UNBOUNDED_FOLLOWING) {
        base_strbuf_append_str(sb, "UNBOUNDED");
    } else if (b->kind == PLAN_BOUND_CURRENT_ROW) {
        base_strbuf_append_str(sb, "CURRENT ROW");
        return;
    } else if (as_name || b->offset == NULL) {
        base_strbuf_append_str(sb, b->text ? b->text : "?");
    } else if (b->offset->type->id == QV_TYPE_INTERVAL_MONTH_DAY_NANO) {
        const uint8_t *v = arrow_array_values(b->offset) + b->offset->offset * 16;
        int32_t months, days;
        int64_t nanos;
        memcpy(&months, v, 4);
        memcpy(&days, v + 4, 4);
        memcpy(&nanos, v + 8, 8);
        base_strbuf_appendf(sb, "IntervalMonthDayNano { months: %d, days: %d, nanoseconds: %lld }",
                            months, days, (long long)nanos);
    } else {
        arrow_format_value(b->offset, 0, sb, NULL);
    }
    bool preceding = b->kind == PLAN_BOUND_UNBOUNDED_PRECEDING || b->kind == PLAN_BOUND_PRECEDING;
    base_strbuf_append_str(sb, preceding ? " PRECEDING" : " FOLLOWING");
}

void plan_frame_bound_format(const plan_frame_bound *bound, base_strbuf *sb)
{
    format_frame_bound(bound, true, sb);
}

void plan_window_format(const plan_expr *e, const plan_schema *input, bool as_name, base_strbuf *sb)
{
    const plan_window_call *w = e->win;
    base_strbuf_appendf(sb, "%s(", w->func->name);
    if (w->distinct)
        base_strbuf_append_str(sb, "DISTINCT ");
    format_args((const plan_expr *const *)plan_window_args(e), w->n_args, input,
                as_name ? "," : ", ", sb);
    base_strbuf_append_char(sb, ')');
    if (w->null_treatment == PLAN_NULLS_IGNORE)
        base_strbuf_append_str(sb, " IGNORE NULLS");
    else if (w->null_treatment == PLAN_NULLS_RESPECT)
        base_strbuf_append_str(sb, " RESPECT NULLS");
    if (w->has_filter) {
        base_strbuf_append_str(sb, " FILTER (WHERE ");
        plan_expr_format(plan_window_filter(e), input, sb);
        base_strbuf_append_char(sb, ')');
    }
    if (w->n_partition > 0) {
        base_strbuf_append_str(sb, " PARTITION BY [");
        format_args((const plan_expr *const *)plan_window_partition(e), w->n_partition, input, ", ",
                    sb);
        base_strbuf_append_char(sb, ']');
    }
    if (w->n_order > 0) {
        base_strbuf_append_str(sb, " ORDER BY [");
        plan_expr **order = plan_window_order_exprs(e);
        for (int32_t i = 0; i < w->n_order; i++) {
            if (i > 0)
                base_strbuf_append_str(sb, ", ");
            plan_expr_format(order[i], input, sb);
            base_strbuf_append_str(sb, w->order[i].descending ? " DESC" : " ASC");
            base_strbuf_append_str(sb, w->order[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
        }
        base_strbuf_append_char(sb, ']');
    }
    static const char *const units[] = {"ROWS", "RANGE", "GROUPS"};
    base_strbuf_appendf(sb, " %s BETWEEN ", units[w->frame.units]);
    format_frame_bound(&w->frame.start, as_name, sb);
    base_strbuf_append_str(sb, " AND ");
    format_frame_bound(&w->frame.end, as_name, sb);
    static const char *const excludes[] = {"", " EXCLUDE CURRENT ROW", " EXCLUDE GROUP",
                                           " EXCLUDE TIES"};
    base_strbuf_append_str(sb, excludes[w->frame.exclude]);
}

const char *plan_expr_name(plan_ctx *ctx, const plan_expr *expr, const plan_schema *input)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    plan_expr_format(expr, input, &sb);
    const char *name = base_strbuf_failed(&sb)
                           ? NULL
                           : base_arena_strndup(ctx->arena, sb.data ? sb.data : "", sb.len);
    base_strbuf_free(&sb);
    return name;
}
