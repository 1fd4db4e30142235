/*
 * simplify.c — the simplify rule (layer: optimizer): constant folding and
 * expression simplification in every expression of the plan, then filters
 * whose predicate became a constant (true: dropped; false or NULL: an empty
 * relation).
 *
 * Folding evaluates constant sub-trees (plan_expr_is_constant: immutable
 * functions only, so now() and random() stay) with the planning context's
 * const_eval (the executor's own evaluation) into literals of the same
 * type; without one nothing is folded. A sub-tree whose evaluation fails (1/0) stays as it is so
 * that execution reports the error it would have reported. The rewrites
 * keep SQL's three-valued logic: `x AND true` is x, `x OR false` is x,
 * `NOT NOT x` is x, NOT of a comparison / IS / IN / LIKE is its negation,
 * but `x = x` is left alone (NULL = NULL is NULL). `x AND false` becomes
 * false (and `x OR true` true) only when x can neither fail nor call a
 * volatile function. Other rewrites: x + 0, x - 0, x * 1, x / 1 on
 * integers; a one-item IN list becomes = / !=; casts to the same type go;
 * CAST(int column AS wider int) compared with a literal that fits the
 * column's type compares the column itself (DataFusion's "unwrap cast");
 * a searched CASE loses its constant false / NULL branches and ends at a
 * constant true one; conjuncts common to every branch of an OR move out of
 * it, `(a AND b) OR (a AND c)` being `a AND (b OR c)` (so that a join
 * condition hidden in an OR becomes a join key).
 */
#include <string.h>

#include "optimizer/optimizer_int.h"

typedef struct simp {
    plan_ctx *ctx;
    bool changed;
    bool nomem;
} simp;

static plan_expr *simplify(simp *s, plan_expr *e);

/* ---- literals ---- */

static int int_bits(arrow_type_id id)
{
    switch (id) {
    case QV_TYPE_INT8:
    case QV_TYPE_UINT8:
        return 8;
    case QV_TYPE_INT16:
    case QV_TYPE_UINT16:
        return 16;
    case QV_TYPE_INT32:
    case QV_TYPE_UINT32:
        return 32;
    case QV_TYPE_INT64:
    case QV_TYPE_UINT64:
        return 64;
    default:
        return 0;
    }
}

/* The value of a non-null integer literal; false for anything else (or a
 * UInt64 above INT64_MAX). */
static bool literal_int(const plan_expr *e, int64_t *out)
{
    if (e->kind != PLAN_EXPR_LITERAL || int_bits(e->type->id) == 0 ||
        !arrow_array_is_valid(e->value, 0))
        return false;
    const uint8_t *data = arrow_array_values(e->value);
    int64_t i = e->value->offset;
    switch (e->type->id) {
    case QV_TYPE_INT8:
        *out = ((const int8_t *)data)[i];
        return true;
    case QV_TYPE_INT16:
        *out = ((const int16_t *)data)[i];
        return true;
    case QV_TYPE_INT32:
        *out = ((const int32_t *)data)[i];
        return true;
    case QV_TYPE_INT64:
        *out = ((const int64_t *)data)[i];
        return true;
    case QV_TYPE_UINT8:
        *out = ((const uint8_t *)data)[i];
        return true;
    case QV_TYPE_UINT16:
        *out = ((const uint16_t *)data)[i];
        return true;
    case QV_TYPE_UINT32:
        *out = ((const uint32_t *)data)[i];
        return true;
    default: {
        uint64_t v = ((const uint64_t *)data)[i];
        if (v > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)v;
        return true;
    }
    }
}

static bool fits(int64_t v, arrow_type_id id)
{
    int bits = int_bits(id);
    if (arrow_type_is_signed_integer(id))
        return bits == 64 || (v >= -(INT64_C(1) << (bits - 1)) && v < (INT64_C(1) << (bits - 1)));
    return v >= 0 && (bits == 64 || v < (INT64_C(1) << bits));
}

/* A literal of an integer type holding v, or NULL (is_null: a NULL). */
static plan_expr *int_literal(simp *s, arrow_type *type, int64_t v, bool is_null)
{
    arrow_builder *b = NULL;
    arrow_array *a = NULL;
    if (arrow_builder_new(type, &b, NULL) != QV_OK) {
        s->nomem = true;
        return NULL;
    }
    qv_status st =
        is_null ? arrow_builder_append_null(b, NULL) : arrow_builder_append_int(b, v, NULL);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &a, NULL);
    arrow_builder_free(b);
    plan_expr *lit = st == QV_OK ? plan_expr_literal(s->ctx, a) : NULL;
    if (lit == NULL)
        s->nomem = true;
    return lit;
}

/* A NULL literal of any type. */
static plan_expr *null_literal(simp *s, arrow_type *type)
{
    arrow_builder *b = NULL;
    arrow_array *a = NULL;
    qv_status st = arrow_builder_new(type, &b, NULL);
    if (st == QV_OK)
        st = arrow_builder_append_null(b, NULL);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &a, NULL);
    arrow_builder_free(b);
    return st == QV_OK ? plan_expr_literal(s->ctx, a) : NULL;
}

static bool is_int_value(const plan_expr *e, int64_t value)
{
    int64_t v;
    return literal_int(e, &v) && v == value;
}

/* ---- rewrites of one node (its arguments already simplified) ---- */

static plan_expr *shallow_copy(simp *s, const plan_expr *e)
{
    plan_expr *copy =
        plan_expr_new(s->ctx, e->kind, e->op, e->type, e->nullable, e->n_args, e->args);
    if (copy == NULL) {
        s->nomem = true;
        return NULL;
    }
    copy->flags = e->flags;
    copy->column = e->column;
    copy->value = e->value;
    copy->func = e->func;
    copy->agg = e->agg;
    copy->escape = e->escape;
    return copy;
}

static bool is_boolean(const plan_expr *e)
{
    return e->type->id == QV_TYPE_BOOLEAN;
}

/* x can be dropped from the plan without changing anything but its value. */
static bool droppable(const plan_expr *e)
{
    return opt_expr_infallible(e) && !opt_expr_volatile(e);
}

static void split_disjuncts(simp *s, plan_expr *e, opt_exprs *out)
{
    if (e->kind == PLAN_EXPR_BINARY && e->op == PLAN_OP_OR) {
        split_disjuncts(s, e->args[0], out);
        split_disjuncts(s, e->args[1], out);
        return;
    }
    s->nomem |= !plan_expr_list_push(s->ctx, out, e);
}

static bool contains_expr(const opt_exprs *list, const plan_expr *e)
{
    for (int32_t i = 0; i < list->n; i++)
        if (plan_expr_equal(list->items[i], e))
            return true;
    return false;
}

static plan_expr *or_of(simp *s, const opt_exprs *list)
{
    plan_expr *acc = list->items[0];
    for (int32_t i = 1; i < list->n && acc != NULL; i++) {
        plan_expr *args[2] = {acc, list->items[i]};
        acc = plan_expr_new(s->ctx, PLAN_EXPR_BINARY, PLAN_OP_OR,
                            arrow_type_primitive(QV_TYPE_BOOLEAN), true, 2, args);
    }
    return acc;
}

/* (a AND b) OR (a AND c) as a AND (b OR c), for the infallible conjuncts
 * every disjunct has; e itself when there are none. */
static plan_expr *factor_or(simp *s, plan_expr *e)
{
    opt_exprs disjuncts = {0}, first = {0}, common = {0};
    split_disjuncts(s, e, &disjuncts);
    if (s->nomem || !opt_split_conjuncts(s->ctx, disjuncts.items[0], &first)) {
        s->nomem = true;
        return e;
    }
    opt_exprs *conj = plan_alloc(s->ctx, (size_t)disjuncts.n * sizeof *conj);
    if (conj == NULL) {
        s->nomem = true;
        return e;
    }
    for (int32_t d = 0; d < disjuncts.n; d++) {
        conj[d] = (opt_exprs){0};
        if (!opt_split_conjuncts(s->ctx, disjuncts.items[d], &conj[d])) {
            s->nomem = true;
            return e;
        }
    }
    for (int32_t i = 0; i < first.n; i++) {
        bool everywhere = droppable(first.items[i]) && !contains_expr(&common, first.items[i]);
        for (int32_t d = 1; d < disjuncts.n && everywhere; d++)
            everywhere = contains_expr(&conj[d], first.items[i]);
        if (everywhere && !plan_expr_list_push(s->ctx, &common, first.items[i]))
            s->nomem = true;
    }
    if (common.n == 0 || s->nomem)
        return e;
    /* What is left of each disjunct; one left empty makes the OR true. */
    opt_exprs rests = {0};
    for (int32_t d = 0; d < disjuncts.n; d++) {
        opt_exprs rest = {0};
        for (int32_t i = 0; i < conj[d].n; i++)
            if (!contains_expr(&common, conj[d].items[i]))
                s->nomem |= !plan_expr_list_push(s->ctx, &rest, conj[d].items[i]);
        if (rest.n == 0) {
            rests.n = 0;
            break;
        }
        s->nomem |= !plan_expr_list_push(s->ctx, &rests, opt_conjunction(s->ctx, &rest));
    }
    if (rests.n > 0)
        s->nomem |= !plan_expr_list_push(s->ctx, &common, or_of(s, &rests));
    plan_expr *out = s->nomem ? NULL : opt_conjunction(s->ctx, &common);
    if (out == NULL) {
        s->nomem = true;
        return e;
    }
    s->changed = true;
    return out;
}

static plan_expr *simplify_and_or(simp *s, plan_expr *e)
{
    bool is_and = e->op == PLAN_OP_AND;
    int neutral = is_and ? 1 : 0; /* x AND true, x OR false */
    for (int side = 0; side < 2; side++) {
        plan_expr *other = e->args[1 - side];
        int truth = opt_literal_truth(e->args[side]);
        if (truth == neutral && is_boolean(other))
            return other;
        /* x AND false is false, x OR true is true, even when x is NULL */
        if (truth == 1 - neutral && droppable(other)) {
            plan_expr *lit = opt_bool_literal(s->ctx, truth, NULL);
            s->nomem |= lit == NULL;
            return lit != NULL ? lit : e;
        }
    }
    return is_and ? e : factor_or(s, e);
}

static const int32_t negated_cmp[] = {
    [PLAN_OP_EQ] = PLAN_OP_NE,
    [PLAN_OP_NE] = PLAN_OP_EQ,
    [PLAN_OP_LT] = PLAN_OP_GE,
    [PLAN_OP_LE] = PLAN_OP_GT,
    [PLAN_OP_GT] = PLAN_OP_LE,
    [PLAN_OP_GE] = PLAN_OP_LT,
    [PLAN_OP_IS_DISTINCT] = PLAN_OP_IS_NOT_DISTINCT,
    [PLAN_OP_IS_NOT_DISTINCT] = PLAN_OP_IS_DISTINCT,
};

static const int32_t negated_is[] = {
    [PLAN_IS_NULL] = PLAN_IS_NOT_NULL,       [PLAN_IS_NOT_NULL] = PLAN_IS_NULL,
    [PLAN_IS_TRUE] = PLAN_IS_NOT_TRUE,       [PLAN_IS_NOT_TRUE] = PLAN_IS_TRUE,
    [PLAN_IS_FALSE] = PLAN_IS_NOT_FALSE,     [PLAN_IS_NOT_FALSE] = PLAN_IS_FALSE,
    [PLAN_IS_UNKNOWN] = PLAN_IS_NOT_UNKNOWN, [PLAN_IS_NOT_UNKNOWN] = PLAN_IS_UNKNOWN,
};

static plan_expr *simplify_not(simp *s, plan_expr *e)
{
    plan_expr *arg = e->args[0];
    if (!is_boolean(arg))
        return e;
    plan_expr *neg = NULL;
    switch (arg->kind) {
    case PLAN_EXPR_NOT:
        return is_boolean(arg->args[0]) ? arg->args[0] : e;
    case PLAN_EXPR_BINARY:
        /* Comparisons are total orders (NaN included), so NOT < is >=. */
        if ((arg->op >= PLAN_OP_EQ && arg->op <= PLAN_OP_GE) || arg->op == PLAN_OP_IS_DISTINCT ||
            arg->op == PLAN_OP_IS_NOT_DISTINCT) {
            neg = shallow_copy(s, arg);
            if (neg != NULL)
                neg->op = negated_cmp[arg->op];
        }
        break;
    case PLAN_EXPR_IS:
        neg = shallow_copy(s, arg);
        if (neg != NULL)
            neg->op = negated_is[arg->op];
        break;
    case PLAN_EXPR_IN_LIST:
    case PLAN_EXPR_LIKE:
        neg = shallow_copy(s, arg);
        if (neg != NULL)
            neg->flags ^= PLAN_F_NEGATED;
        break;
    default:
        break;
    }
    if (neg == NULL)
        return e;
    /* IS never yields NULL; the others are NULL exactly when before. */
    neg->nullable = arg->nullable;
    return neg;
}

static plan_expr *simplify_arith(plan_expr *e)
{
    if (int_bits(e->type->id) == 0)
        return e;
    plan_expr *l = e->args[0], *r = e->args[1];
    bool l_same = arrow_type_equal(l->type, e->type), r_same = arrow_type_equal(r->type, e->type);
    switch (e->op) {
    case PLAN_OP_ADD:
        if (l_same && is_int_value(r, 0))
            return l;
        if (r_same && is_int_value(l, 0))
            return r;
        break;
    case PLAN_OP_SUB:
        if (l_same && is_int_value(r, 0))
            return l;
        break;
    case PLAN_OP_MUL:
        if (l_same && is_int_value(r, 1))
            return l;
        if (r_same && is_int_value(l, 1))
            return r;
        break;
    case PLAN_OP_DIV:
        if (l_same && is_int_value(r, 1))
            return l;
        break;
    default:
        break;
    }
    return e;
}

/* CAST(x AS wider int) as a comparison operand: x itself, when x has an
 * integer type the cast widens; NULL otherwise. */
static plan_expr *unwrapped(const plan_expr *e)
{
    if (e->kind != PLAN_EXPR_CAST || (e->flags & PLAN_F_SAFE))
        return NULL;
    const plan_expr *x = e->args[0];
    arrow_type_id from = x->type->id, to = e->type->id;
    int fb = int_bits(from), tb = int_bits(to);
    if (fb == 0 || tb == 0 || fb > tb)
        return NULL;
    bool fs = arrow_type_is_signed_integer(from), ts = arrow_type_is_signed_integer(to);
    if (fs != ts && !(!fs && ts && tb > fb))
        return NULL;
    return e->args[0];
}

/* A literal converted to type when its value fits (NULL literals always
 * do); NULL otherwise. */
static plan_expr *narrowed_literal(simp *s, const plan_expr *lit, arrow_type *type)
{
    if (lit->kind != PLAN_EXPR_LITERAL || int_bits(lit->type->id) == 0)
        return NULL;
    if (!arrow_array_is_valid(lit->value, 0))
        return int_literal(s, type, 0, true);
    int64_t v;
    if (!literal_int(lit, &v) || !fits(v, type->id))
        return NULL;
    return int_literal(s, type, v, false);
}

static plan_expr *unwrap_cast_compare(simp *s, plan_expr *e)
{
    for (int side = 0; side < 2; side++) {
        plan_expr *x = unwrapped(e->args[side]);
        if (x == NULL)
            continue;
        plan_expr *lit = narrowed_literal(s, e->args[1 - side], x->type);
        if (lit == NULL)
            return e;
        plan_expr *copy = shallow_copy(s, e);
        if (copy == NULL)
            return e;
        copy->args[side] = x;
        copy->args[1 - side] = lit;
        return copy;
    }
    return e;
}

static plan_expr *unwrap_cast_in_list(simp *s, plan_expr *e)
{
    plan_expr *x = unwrapped(e->args[0]);
    if (x == NULL)
        return e;
    plan_expr **items = plan_alloc(s->ctx, (size_t)e->n_args * sizeof *items);
    if (items == NULL) {
        s->nomem = true;
        return e;
    }
    items[0] = x;
    for (int32_t i = 1; i < e->n_args; i++)
        if ((items[i] = narrowed_literal(s, e->args[i], x->type)) == NULL)
            return e;
    plan_expr *copy = shallow_copy(s, e);
    if (copy == NULL)
        return e;
    memcpy(copy->args, items, (size_t)e->n_args * sizeof *items);
    return copy;
}

static plan_expr *simplify_in_list(simp *s, plan_expr *e)
{
    e = unwrap_cast_in_list(s, e);
    if (e->n_args != 2 || !arrow_type_equal(e->args[0]->type, e->args[1]->type))
        return e;
    /* IN (y) is false OR x = y, that is x = y; NOT IN (y) is x != y. */
    plan_expr *args[2] = {e->args[0], e->args[1]};
    int32_t op = (e->flags & PLAN_F_NEGATED) ? PLAN_OP_NE : PLAN_OP_EQ;
    plan_expr *cmp = plan_expr_new(s->ctx, PLAN_EXPR_BINARY, op, e->type, e->nullable, 2, args);
    if (cmp == NULL) {
        s->nomem = true;
        return e;
    }
    return cmp;
}

/* Searched CASE: constant false / NULL branches go (their values are never
 * computed and their conditions cannot fail); a constant true branch ends
 * the CASE when the conditions after it cannot fail (execution evaluates
 * every condition). */
static plan_expr *simplify_case(simp *s, plan_expr *e)
{
    if (e->args[0] != NULL)
        return e;
    int32_t n_when = (e->n_args - 2) / 2;
    plan_expr **kept = plan_alloc(s->ctx, (size_t)e->n_args * sizeof *kept);
    if (kept == NULL) {
        s->nomem = true;
        return e;
    }
    int32_t n_kept = 0;
    plan_expr *else_expr = e->args[e->n_args - 1];
    bool dropped = false;
    for (int32_t w = 0; w < n_when; w++) {
        plan_expr *cond = e->args[1 + 2 * w], *then = e->args[2 + 2 * w];
        int truth = opt_literal_truth(cond);
        if (truth == 0 || truth == -1) {
            dropped = true;
            continue;
        }
        if (truth == 1) {
            bool rest_safe = true;
            for (int32_t k = w + 1; k < n_when; k++)
                rest_safe &= opt_expr_infallible(e->args[1 + 2 * k]);
            if (rest_safe) {
                dropped = true;
                else_expr = then;
                break;
            }
        }
        kept[2 * n_kept] = cond;
        kept[2 * n_kept + 1] = then;
        n_kept++;
    }
    if (!dropped)
        return e;
    if (n_kept == 0) {
        if (else_expr == NULL) {
            plan_expr *null = null_literal(s, e->type);
            return null != NULL ? null : e;
        }
        return arrow_type_equal(else_expr->type, e->type) ? else_expr : e;
    }
    plan_expr *copy =
        plan_expr_new(s->ctx, PLAN_EXPR_CASE, e->op, e->type, e->nullable, 2 + 2 * n_kept, NULL);
    if (copy == NULL) {
        s->nomem = true;
        return e;
    }
    copy->args[0] = NULL;
    memcpy(copy->args + 1, kept, (size_t)(2 * n_kept) * sizeof *kept);
    copy->args[copy->n_args - 1] = else_expr;
    return copy;
}

static plan_expr *rewrite(simp *s, plan_expr *e)
{
    switch (e->kind) {
    case PLAN_EXPR_BINARY:
        if (e->op == PLAN_OP_AND || e->op == PLAN_OP_OR)
            return simplify_and_or(s, e);
        if (e->op >= PLAN_OP_ADD && e->op <= PLAN_OP_MOD)
            return simplify_arith(e);
        if (e->op >= PLAN_OP_EQ && e->op <= PLAN_OP_GE)
            return unwrap_cast_compare(s, e);
        return e;
    case PLAN_EXPR_NOT:
        return simplify_not(s, e);
    case PLAN_EXPR_IN_LIST:
        return simplify_in_list(s, e);
    case PLAN_EXPR_CASE:
        return simplify_case(s, e);
    case PLAN_EXPR_CAST:
        if (!(e->flags & PLAN_F_SAFE) && arrow_type_equal(e->args[0]->type, e->type))
            return e->args[0];
        return e;
    default:
        return e;
    }
}

/* ---- expressions ---- */

static plan_expr *fold(simp *s, plan_expr *e)
{
    if (e->kind == PLAN_EXPR_LITERAL || !plan_expr_is_constant(e))
        return e;
    arrow_array *value = NULL;
    if (s->ctx->options.const_eval == NULL || s->ctx->options.const_eval(e, &value, NULL) != QV_OK)
        return e; /* execution will report the error */
    plan_expr *lit = plan_expr_literal(s->ctx, value);
    if (lit == NULL) {
        s->nomem = true;
        return e;
    }
    return lit;
}

/* The simplified expression (e itself when nothing applies). */
static plan_expr *simplify(simp *s, plan_expr *e)
{
    if (e == NULL || s->nomem)
        return e;
    plan_expr *copy = NULL;
    for (int32_t i = 0; i < e->n_args; i++) {
        plan_expr *arg = simplify(s, e->args[i]);
        if (arg == e->args[i])
            continue;
        if (copy == NULL && (copy = shallow_copy(s, e)) == NULL)
            return e;
        copy->args[i] = arg;
    }
    plan_expr *cur = copy != NULL ? copy : e;
    /* Rewrites may expose more (NOT NOT (a = b) gives a = b, then folds). */
    for (int round = 0; round < 8 && !s->nomem; round++) {
        plan_expr *next = rewrite(s, cur);
        if (next == cur)
            break;
        cur = next;
    }
    cur = fold(s, cur);
    if (cur != e)
        s->changed = true;
    return cur;
}

/* exprs (n of them) simplified: the same array when nothing changed, else
 * a new one. */
static plan_expr **simplify_array(simp *s, plan_expr **exprs, int32_t n)
{
    plan_expr **out = exprs;
    for (int32_t i = 0; i < n; i++) {
        plan_expr *e = simplify(s, exprs[i]);
        if (e == exprs[i])
            continue;
        if (out == exprs) {
            out = plan_alloc(s->ctx, (size_t)n * sizeof *out);
            if (out == NULL) {
                s->nomem = true;
                return exprs;
            }
            memcpy(out, exprs, (size_t)n * sizeof *out);
        }
        out[i] = e;
    }
    return out;
}

static plan_agg_call *simplify_aggs(simp *s, plan_agg_call *aggs, int32_t n)
{
    plan_agg_call *out = aggs;
    for (int32_t a = 0; a < n; a++) {
        plan_agg_call call = aggs[a];
        call.args = simplify_array(s, call.args, call.n_args);
        call.filter = simplify(s, call.filter);
        if (call.n_order > 0) {
            plan_sort_key *order = plan_alloc(s->ctx, (size_t)call.n_order * sizeof *order);
            if (order == NULL) {
                s->nomem = true;
                return aggs;
            }
            bool order_changed = false;
            for (int32_t k = 0; k < call.n_order; k++) {
                order[k] = call.order[k];
                order[k].expr = simplify(s, call.order[k].expr);
                order_changed |= order[k].expr != call.order[k].expr;
            }
            if (order_changed)
                call.order = order;
        }
        if (call.args == aggs[a].args && call.filter == aggs[a].filter &&
            call.order == aggs[a].order)
            continue;
        if (out == aggs) {
            out = plan_alloc(s->ctx, (size_t)n * sizeof *out);
            if (out == NULL) {
                s->nomem = true;
                return aggs;
            }
            memcpy(out, aggs, (size_t)n * sizeof *out);
        }
        out[a] = call;
    }
    return out;
}

/* ---- nodes ---- */

static plan_node *simplify_node(simp *s, plan_node *node)
{
    plan_node **new_inputs = NULL;
    if (node->n_inputs > 0 &&
        (new_inputs = plan_alloc(s->ctx, (size_t)node->n_inputs * sizeof *new_inputs)) == NULL) {
        s->nomem = true;
        return node;
    }
    bool inputs_changed = false;
    for (int32_t i = 0; i < node->n_inputs; i++) {
        new_inputs[i] = simplify_node(s, node->inputs[i]);
        inputs_changed |= new_inputs[i] != node->inputs[i];
    }
    if (s->nomem)
        return node;
    plan_expr **exprs = node->exprs, **groups = node->groups, **values = node->values;
    plan_agg_call *aggs = node->aggs;
    switch (node->kind) {
    case PLAN_PROJECTION:
    case PLAN_FILTER:
        exprs = simplify_array(s, node->exprs, node->n_exprs);
        break;
    case PLAN_AGGREGATE:
        groups = simplify_array(s, node->groups, node->n_groups);
        aggs = simplify_aggs(s, node->aggs, node->n_aggs);
        break;
    case PLAN_VALUES:
        values = simplify_array(s, node->values, (int32_t)(node->n_rows * node->schema.n_columns));
        break;
    default: /* sort keys are columns; scan filters were simplified before */
        break;
    }
    if (s->nomem)
        return node;
    plan_node *result = node;
    if (inputs_changed || exprs != node->exprs || groups != node->groups ||
        values != node->values || aggs != node->aggs) {
        result = opt_node_with_inputs(s->ctx, node, new_inputs);
        if (result == NULL) {
            s->nomem = true;
            return node;
        }
        result->exprs = exprs;
        result->groups = groups;
        result->values = values;
        result->aggs = aggs;
    }
    plan_node *constant = NULL;
    if (!opt_constant_filter(s->ctx, result, &constant)) {
        s->nomem = true;
        return node;
    }
    if (constant != NULL) {
        s->changed = true;
        return constant;
    }
    return result;
}

qv_status opt_simplify(plan_ctx *ctx, plan_node *root, plan_node **out, bool *changed,
                       qv_error *err)
{
    simp s = {.ctx = ctx};
    plan_node *result = simplify_node(&s, root);
    if (s.nomem) {
        *out = NULL;
        *changed = false;
        return base_error_nomem(err, "optimizer (simplify)");
    }
    *out = result;
    *changed = s.changed;
    return QV_OK;
}
