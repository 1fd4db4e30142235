/*
 * fold.c — evaluating constant expressions at planning time (layer:
 * optimizer), for constant folding. The optimizer may not use the
 * executor, so this is a small evaluator of its own over scalar datums; it
 * calls the same func/ kernels as exec/expr_eval.c in the same order (CASE
 * conditions are all evaluated, IN lists compare item by item), so that a
 * folded value is the value execution computes, and an expression whose
 * evaluation fails here is left for execution to fail on. Keep it in step
 * with exec/expr_eval.c: an expression form evaluated differently there
 * must be evaluated the same way here, or not folded at all.
 */
#include <string.h>

#include "optimizer/optimizer_int.h"

static qv_status eval(const plan_expr *e, func_call_ctx *call, func_datum *out, qv_error *err);

static qv_status unsupported(qv_error *err)
{
    return base_error_set(err, QV_NOT_IMPLEMENTED, "constant folding: unsupported expression");
}

static qv_status bool_scalar(bool value, func_datum *out, qv_error *err)
{
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, err));
    qv_status st = arrow_builder_append_bool(b, value, err);
    arrow_array *a = NULL;
    if (st == QV_OK)
        st = arrow_builder_finish(b, &a, err);
    arrow_builder_free(b);
    QV_TRY(st);
    *out = func_datum_scalar(a);
    arrow_array_release(a);
    return QV_OK;
}

/* True when a scalar Boolean datum holds true (NULL is not true). */
static bool datum_true(const func_datum *d)
{
    const arrow_array *a = d->array;
    return a->type->id == QV_TYPE_BOOLEAN && func_datum_is_valid(d, 0) &&
           arrow_bit_get(arrow_array_values(a), a->offset);
}

static qv_status eval_is_truth(plan_is_op op, const func_datum *arg, func_datum *out, qv_error *err)
{
    bool valid = func_datum_is_valid(arg, 0);
    bool value = valid && datum_true(arg);
    bool r;
    switch (op) {
    case PLAN_IS_TRUE:
        r = value;
        break;
    case PLAN_IS_NOT_TRUE:
        r = !value;
        break;
    case PLAN_IS_FALSE:
        r = valid && !value;
        break;
    case PLAN_IS_NOT_FALSE:
        r = !(valid && !value);
        break;
    case PLAN_IS_UNKNOWN:
        r = !valid;
        break;
    default:
        r = valid;
        break;
    }
    return bool_scalar(r, out, err);
}

/* l || r as the executor computes it: the display of both values. */
static qv_status eval_concat(const func_datum *l, const func_datum *r, arrow_type *type,
                             func_datum *out, qv_error *err)
{
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(type, &b, err));
    qv_status st = QV_OK;
    if (!func_datum_is_valid(l, 0) || !func_datum_is_valid(r, 0)) {
        st = arrow_builder_append_null(b, err);
    } else {
        base_strbuf sb;
        base_strbuf_init(&sb);
        st = arrow_format_value(l->array, 0, &sb, err);
        if (st == QV_OK)
            st = arrow_format_value(r->array, 0, &sb, err);
        if (st == QV_OK && base_strbuf_failed(&sb))
            st = base_error_nomem(err, "string concatenation");
        if (st == QV_OK)
            st = arrow_builder_append_bytes(b, sb.data ? sb.data : "", (int64_t)sb.len, err);
        base_strbuf_free(&sb);
    }
    arrow_array *a = NULL;
    if (st == QV_OK)
        st = arrow_builder_finish(b, &a, err);
    arrow_builder_free(b);
    QV_TRY(st);
    *out = func_datum_scalar(a);
    arrow_array_release(a);
    return QV_OK;
}

/* Plain numbers go to func_arith, everything else (dates, intervals...) to
 * the temporal kernel, as in the executor. */
static bool is_number(const arrow_type *t)
{
    return arrow_type_is_integer(t->id) || arrow_type_is_floating(t->id) ||
           t->id == QV_TYPE_DECIMAL128 || t->id == QV_TYPE_DECIMAL256 || t->id == QV_TYPE_NULL;
}

static qv_status eval_binary(const plan_expr *e, func_call_ctx *call, func_datum *out,
                             qv_error *err)
{
    func_datum l = {0}, r = {0};
    QV_TRY(eval(e->args[0], call, &l, err));
    qv_status st = eval(e->args[1], call, &r, err);
    if (st == QV_OK) {
        switch (e->op) {
        case PLAN_OP_ADD:
        case PLAN_OP_SUB:
        case PLAN_OP_MUL:
        case PLAN_OP_DIV:
        case PLAN_OP_MOD:
            if (is_number(e->args[0]->type) && is_number(e->args[1]->type))
                st = func_arith((func_arith_op)(e->op - PLAN_OP_ADD), &l, &r, 1, out, err);
            else
                st = func_temporal_arith((func_arith_op)(e->op - PLAN_OP_ADD), &l, &r, 1, out, err);
            break;
        case PLAN_OP_EQ:
        case PLAN_OP_NE:
        case PLAN_OP_LT:
        case PLAN_OP_LE:
        case PLAN_OP_GT:
        case PLAN_OP_GE:
            st = func_compare((func_cmp_op)(e->op - PLAN_OP_EQ), &l, &r, 1, out, err);
            break;
        case PLAN_OP_AND:
            st = func_and(&l, &r, 1, out, err);
            break;
        case PLAN_OP_OR:
            st = func_or(&l, &r, 1, out, err);
            break;
        case PLAN_OP_IS_DISTINCT:
        case PLAN_OP_IS_NOT_DISTINCT:
            st = func_is_distinct(e->op == PLAN_OP_IS_DISTINCT, &l, &r, 1, out, err);
            break;
        case PLAN_OP_CONCAT:
            st = eval_concat(&l, &r, e->type, out, err);
            break;
        case PLAN_OP_REGEX:
            st = func_regex_match((e->flags & PLAN_F_NEGATED) != 0,
                                  (e->flags & PLAN_F_CASE_INSENSITIVE) != 0, &l, &r, 1, out, err);
            break;
        default:
            st = unsupported(err);
            break;
        }
    }
    func_datum_release(&l);
    func_datum_release(&r);
    return st;
}

static qv_status eval_in_list(const plan_expr *e, func_call_ctx *call, func_datum *out,
                              qv_error *err)
{
    func_datum value = {0}, acc = {0};
    QV_TRY(eval(e->args[0], call, &value, err));
    qv_status st = bool_scalar(false, &acc, err);
    for (int32_t i = 1; i < e->n_args && st == QV_OK; i++) {
        func_datum item = {0}, eq = {0}, next = {0};
        st = eval(e->args[i], call, &item, err);
        if (st == QV_OK)
            st = func_compare(FUNC_EQ, &value, &item, 1, &eq, err);
        if (st == QV_OK)
            st = func_or(&acc, &eq, 1, &next, err);
        func_datum_release(&item);
        func_datum_release(&eq);
        if (st == QV_OK) {
            func_datum_release(&acc);
            acc = next;
        }
    }
    func_datum_release(&value);
    if (st == QV_OK && (e->flags & PLAN_F_NEGATED))
        st = func_not(&acc, 1, out, err);
    else if (st == QV_OK) {
        *out = acc;
        acc = (func_datum){0};
    }
    func_datum_release(&acc);
    return st;
}

/* The executor evaluates every WHEN condition, then the value of the branch
 * the row takes; a branch value must already have the CASE's type. */
static qv_status eval_case(const plan_expr *e, func_call_ctx *call, func_datum *out, qv_error *err)
{
    int32_t n_when = (e->n_args - 2) / 2;
    func_datum operand = {0};
    if (e->args[0] != NULL)
        QV_TRY(eval(e->args[0], call, &operand, err));
    int32_t taken = -1;
    qv_status st = QV_OK;
    for (int32_t w = 0; w < n_when && st == QV_OK; w++) {
        func_datum cond = {0};
        st = eval(e->args[1 + 2 * w], call, &cond, err);
        if (st == QV_OK && e->args[0] != NULL) {
            func_datum eq = {0};
            st = func_compare(FUNC_EQ, &operand, &cond, 1, &eq, err);
            func_datum_release(&cond);
            cond = eq;
        }
        if (st == QV_OK && taken < 0 && datum_true(&cond))
            taken = w;
        func_datum_release(&cond);
    }
    func_datum_release(&operand);
    QV_TRY(st);
    const plan_expr *value = taken >= 0 ? e->args[2 + 2 * taken] : e->args[e->n_args - 1];
    if (value == NULL)
        return func_datum_null_scalar(e->type, out, err);
    if (!arrow_type_equal(value->type, e->type))
        return unsupported(err);
    return eval(value, call, out, err);
}

static qv_status eval_function(const plan_expr *e, func_call_ctx *call, func_datum *out,
                               qv_error *err)
{
    int32_t n = e->n_args;
    func_datum *args = base_calloc((size_t)(n > 0 ? n : 1), sizeof *args);
    if (args == NULL)
        return base_error_nomem(err, "function arguments");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++)
        st = eval(e->args[i], call, &args[i], err);
    if (st == QV_OK)
        st = e->func->impl.scalar.invoke(call, n, args, 1, e->type, out, err);
    for (int32_t i = 0; i < n; i++)
        func_datum_release(&args[i]);
    base_free(args);
    return st;
}

static qv_status eval(const plan_expr *e, func_call_ctx *call, func_datum *out, qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    func_datum arg = {0};
    qv_status st;
    switch (e->kind) {
    case PLAN_EXPR_LITERAL:
        *out = func_datum_scalar(e->value);
        return QV_OK;
    case PLAN_EXPR_BINARY:
        return eval_binary(e, call, out, err);
    case PLAN_EXPR_NOT:
    case PLAN_EXPR_NEGATE:
    case PLAN_EXPR_IS:
    case PLAN_EXPR_CAST:
        QV_TRY(eval(e->args[0], call, &arg, err));
        if (e->kind == PLAN_EXPR_NOT)
            st = func_not(&arg, 1, out, err);
        else if (e->kind == PLAN_EXPR_NEGATE)
            st = func_negate(&arg, 1, out, err);
        else if (e->kind == PLAN_EXPR_CAST)
            st = func_cast(&arg, e->type, (e->flags & PLAN_F_SAFE) != 0, 1, out, err);
        else if (e->op == PLAN_IS_NULL || e->op == PLAN_IS_NOT_NULL)
            st = func_is_null(e->op == PLAN_IS_NOT_NULL, &arg, 1, out, err);
        else
            st = eval_is_truth((plan_is_op)e->op, &arg, out, err);
        func_datum_release(&arg);
        return st;
    case PLAN_EXPR_CASE:
        return eval_case(e, call, out, err);
    case PLAN_EXPR_IN_LIST:
        return eval_in_list(e, call, out, err);
    case PLAN_EXPR_LIKE: {
        func_datum pattern = {0};
        QV_TRY(eval(e->args[0], call, &arg, err));
        st = eval(e->args[1], call, &pattern, err);
        if (st == QV_OK)
            st = func_like((e->flags & PLAN_F_NEGATED) != 0,
                           (e->flags & PLAN_F_CASE_INSENSITIVE) != 0, &arg, &pattern, e->escape, 1,
                           out, err);
        func_datum_release(&arg);
        func_datum_release(&pattern);
        return st;
    }
    case PLAN_EXPR_FUNCTION:
        if (e->func->kind != FUNC_SCALAR || e->func->volatility != FUNC_IMMUTABLE)
            return unsupported(err);
        return eval_function(e, call, out, err);
    default: /* columns, placeholders, aggregates, forms execution lacks */
        break;
    }
    return unsupported(err);
}

qv_status opt_const_eval(const plan_expr *expr, arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (!plan_expr_is_constant(expr))
        return unsupported(err);
    /* Immutable functions read nothing from the call context; a fixed
     * state keeps them deterministic all the same. */
    func_call_ctx call = {.query_start_ns = 0, .time_zone = NULL, .random_state = 1};
    func_datum d = {0};
    QV_TRY(eval(expr, &call, &d, err));
    arrow_array *a = NULL;
    qv_status st = QV_OK;
    if (d.array->length == 1)
        a = arrow_array_retain(d.array);
    else
        st = func_datum_to_array(&d, 1, &a, err);
    func_datum_release(&d);
    QV_TRY(st);
    if (a->length != 1 || !arrow_type_equal(a->type, expr->type)) {
        arrow_array_release(a);
        return unsupported(err);
    }
    *out = a;
    return QV_OK;
}
