/*
 * expr_eval.c — evaluating logical expressions on record batches (layer:
 * exec): one kernel call per expression node per batch (func/ kernels and
 * scalar functions), literals kept as broadcast scalars, CASE evaluated
 * branch by branch on only the rows that reach each branch, so that a
 * branch never fails on rows it does not produce.
 */
#include <string.h>

#include "exec/exec.h"
#include "func/select.h"

static qv_status eval(const plan_expr *e, arrow_batch *batch, func_call_ctx *call, func_datum *out,
                      qv_error *err);

/* A Boolean scalar datum. */
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

/* IS TRUE / IS FALSE / IS UNKNOWN and their negations, never null. */
static qv_status eval_is_truth(plan_is_op op, const func_datum *arg, int64_t n_rows,
                               func_datum *out, qv_error *err)
{
    int64_t n = arg->is_scalar ? 1 : n_rows;
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, err));
    const arrow_array *a = arg->array;
    const uint8_t *bits = a->type->id == QV_TYPE_BOOLEAN ? arrow_array_values(a) : NULL;
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        bool valid = func_datum_is_valid(arg, i);
        bool value = valid && bits != NULL && arrow_bit_get(bits, a->offset + i);
        bool r;
        switch (op) {
        case PLAN_IS_TRUE:
            r = valid && value;
            break;
        case PLAN_IS_NOT_TRUE:
            r = !(valid && value);
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
        st = arrow_builder_append_bool(b, r, err);
    }
    arrow_array *result = NULL;
    if (st == QV_OK)
        st = arrow_builder_finish(b, &result, err);
    arrow_builder_free(b);
    QV_TRY(st);
    out->array = result;
    out->is_scalar = arg->is_scalar;
    return QV_OK;
}

/* l || r on strings: NULL when either side is NULL. */
static qv_status eval_concat(const func_datum *l, const func_datum *r, arrow_type *type,
                             int64_t n_rows, func_datum *out, qv_error *err)
{
    bool scalar = l->is_scalar && r->is_scalar;
    int64_t n = scalar ? 1 : n_rows;
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(type, &b, err));
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        if (!func_datum_is_valid(l, i) || !func_datum_is_valid(r, i)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        base_strbuf_clear(&sb);
        st = arrow_format_value(l->array, l->is_scalar ? 0 : i, &sb, err);
        if (st == QV_OK)
            st = arrow_format_value(r->array, r->is_scalar ? 0 : i, &sb, err);
        if (st == QV_OK && base_strbuf_failed(&sb))
            st = base_error_nomem(err, "string concatenation");
        if (st == QV_OK)
            st = arrow_builder_append_bytes(b, sb.data ? sb.data : "", (int64_t)sb.len, err);
    }
    base_strbuf_free(&sb);
    arrow_array *a = NULL;
    if (st == QV_OK)
        st = arrow_builder_finish(b, &a, err);
    arrow_builder_free(b);
    QV_TRY(st);
    out->array = a;
    out->is_scalar = scalar;
    return QV_OK;
}

/* Plain numbers use func_arith; everything else (dates, intervals...) the
 * temporal kernel. */
static bool is_number(const arrow_type *t)
{
    return arrow_type_is_integer(t->id) || arrow_type_is_floating(t->id) ||
           t->id == QV_TYPE_DECIMAL128 || t->id == QV_TYPE_DECIMAL256 || t->id == QV_TYPE_NULL;
}

static qv_status eval_binary(const plan_expr *e, arrow_batch *batch, func_call_ctx *call,
                             func_datum *out, qv_error *err)
{
    func_datum l = {0}, r = {0};
    QV_TRY(eval(e->args[0], batch, call, &l, err));
    qv_status st = eval(e->args[1], batch, call, &r, err);
    int64_t n = batch->n_rows;
    if (st == QV_OK) {
        switch (e->op) {
        case PLAN_OP_ADD:
        case PLAN_OP_SUB:
        case PLAN_OP_MUL:
        case PLAN_OP_DIV:
        case PLAN_OP_MOD:
            if (is_number(e->args[0]->type) && is_number(e->args[1]->type))
                st = func_arith((func_arith_op)(e->op - PLAN_OP_ADD), &l, &r, n, out, err);
            else
                st = func_temporal_arith((func_arith_op)(e->op - PLAN_OP_ADD), &l, &r, n, out, err);
            break;
        case PLAN_OP_EQ:
        case PLAN_OP_NE:
        case PLAN_OP_LT:
        case PLAN_OP_LE:
        case PLAN_OP_GT:
        case PLAN_OP_GE:
            st = func_compare((func_cmp_op)(e->op - PLAN_OP_EQ), &l, &r, n, out, err);
            break;
        case PLAN_OP_AND:
            st = func_and(&l, &r, n, out, err);
            break;
        case PLAN_OP_OR:
            st = func_or(&l, &r, n, out, err);
            break;
        case PLAN_OP_IS_DISTINCT:
        case PLAN_OP_IS_NOT_DISTINCT:
            st = func_is_distinct(e->op == PLAN_OP_IS_DISTINCT, &l, &r, n, out, err);
            break;
        case PLAN_OP_CONCAT:
            st = eval_concat(&l, &r, e->type, n, out, err);
            break;
        case PLAN_OP_REGEX:
            st = func_regex_match((e->flags & PLAN_F_NEGATED) != 0,
                                  (e->flags & PLAN_F_CASE_INSENSITIVE) != 0, &l, &r, n, out, err);
            break;
        default:
            st = base_error_set(err, QV_NOT_IMPLEMENTED,
                                "This feature is not implemented: operator %d in execution", e->op);
            break;
        }
    }
    func_datum_release(&l);
    func_datum_release(&r);
    return st;
}

/* value IN (list): true if equal to one item; else NULL if value or an
 * item is NULL; else false. */
static qv_status eval_in_list(const plan_expr *e, arrow_batch *batch, func_call_ctx *call,
                              func_datum *out, qv_error *err)
{
    func_datum value = {0}, acc = {0};
    QV_TRY(eval(e->args[0], batch, call, &value, err));
    qv_status st = bool_scalar(false, &acc, err);
    for (int32_t i = 1; i < e->n_args && st == QV_OK; i++) {
        func_datum item = {0}, eq = {0}, next = {0};
        st = eval(e->args[i], batch, call, &item, err);
        if (st == QV_OK)
            st = func_compare(FUNC_EQ, &value, &item, batch->n_rows, &eq, err);
        if (st == QV_OK)
            st = func_or(&acc, &eq, batch->n_rows, &next, err);
        func_datum_release(&item);
        func_datum_release(&eq);
        if (st == QV_OK) {
            func_datum_release(&acc);
            acc = next;
        }
    }
    func_datum_release(&value);
    if (st == QV_OK && (e->flags & PLAN_F_NEGATED)) {
        st = func_not(&acc, batch->n_rows, out, err);
        func_datum_release(&acc);
        return st;
    }
    if (st != QV_OK) {
        func_datum_release(&acc);
        return st;
    }
    *out = acc;
    return QV_OK;
}

/* ---- CASE ---- */

/* Mask of rows where cond is true (null counts as false), restricted to
 * rows still pending; clears those rows from pending. */
static qv_status take_matches(const func_datum *cond, int64_t n_rows, uint8_t *pending,
                              uint8_t *matched, int64_t *n_matched)
{
    const arrow_array *a = cond->array;
    const uint8_t *bits = a->type->id == QV_TYPE_BOOLEAN ? arrow_array_values(a) : NULL;
    *n_matched = 0;
    for (int64_t i = 0; i < n_rows; i++) {
        int64_t j = cond->is_scalar ? 0 : i;
        bool t = pending[i] && bits != NULL && func_datum_is_valid(cond, i) &&
                 arrow_bit_get(bits, a->offset + j);
        matched[i] = t;
        if (t) {
            pending[i] = 0;
            (*n_matched)++;
        }
    }
    return QV_OK;
}

static qv_status mask_array(const uint8_t *mask, int64_t n, arrow_array **out, qv_error *err)
{
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(arrow_type_primitive(QV_TYPE_BOOLEAN), &b, err));
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++)
        st = arrow_builder_append_bool(b, mask[i] != 0, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

/* Evaluates e on the rows of batch selected by mask (n_sel of them). */
static qv_status eval_on_rows(const plan_expr *e, arrow_batch *batch, const uint8_t *mask,
                              int64_t n_sel, func_call_ctx *call, func_datum *out, qv_error *err)
{
    if (n_sel == batch->n_rows)
        return eval(e, batch, call, out, err);
    arrow_array *m = NULL;
    QV_TRY(mask_array(mask, batch->n_rows, &m, err));
    arrow_batch *sub = NULL;
    qv_status st = func_filter_batch(batch, m, &sub, err);
    arrow_array_release(m);
    QV_TRY(st);
    st = eval(e, sub, call, out, err);
    arrow_batch_release(sub);
    return st;
}

static qv_status eval_case(const plan_expr *e, arrow_batch *batch, func_call_ctx *call,
                           func_datum *out, qv_error *err)
{
    int64_t n = batch->n_rows;
    int32_t n_when = (e->n_args - 2) / 2;
    uint8_t *pending = base_alloc((size_t)(n > 0 ? n : 1));
    uint8_t *matched = base_alloc((size_t)(n > 0 ? n : 1));
    int32_t *branch_of = base_alloc((size_t)(n > 0 ? n : 1) * sizeof(int32_t));
    int64_t *pos_in_branch = base_alloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    func_datum *results = base_calloc((size_t)(n_when + 1), sizeof *results);
    func_datum operand = {0};
    qv_status st = QV_OK;
    if (pending == NULL || matched == NULL || branch_of == NULL || pos_in_branch == NULL ||
        results == NULL)
        st = base_error_nomem(err, "CASE");
    if (st == QV_OK && e->args[0] != NULL)
        st = eval(e->args[0], batch, call, &operand, err);
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        pending[i] = 1;
        branch_of[i] = -1;
    }
    for (int32_t w = 0; w <= n_when && st == QV_OK; w++) {
        int64_t n_sel = 0;
        if (w < n_when) {
            func_datum cond = {0};
            /* Conditions see every row (cheap and side-effect free in
             * practice); only pending rows can match. */
            st = eval(e->args[1 + 2 * w], batch, call, &cond, err);
            if (st == QV_OK && e->args[0] != NULL) {
                func_datum eq = {0};
                st = func_compare(FUNC_EQ, &operand, &cond, n, &eq, err);
                func_datum_release(&cond);
                cond = eq;
            }
            if (st == QV_OK)
                take_matches(&cond, n, pending, matched, &n_sel);
            func_datum_release(&cond);
        } else {
            for (int64_t i = 0; i < n; i++) {
                matched[i] = pending[i];
                n_sel += pending[i];
            }
        }
        if (st != QV_OK || n_sel == 0)
            continue;
        const plan_expr *value = w < n_when ? e->args[2 + 2 * w] : e->args[e->n_args - 1];
        if (value == NULL)
            continue; /* no ELSE: those rows stay NULL */
        int64_t k = 0;
        for (int64_t i = 0; i < n; i++)
            if (matched[i]) {
                branch_of[i] = w;
                pos_in_branch[i] = k++;
            }
        st = eval_on_rows(value, batch, matched, n_sel, call, &results[w], err);
    }
    arrow_builder *b = NULL;
    if (st == QV_OK)
        st = arrow_builder_new(e->type, &b, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int32_t w = branch_of[i];
        if (w < 0) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        const func_datum *r = &results[w];
        st = arrow_builder_append_from(b, r->array, r->is_scalar ? 0 : pos_in_branch[i], err);
    }
    arrow_array *a = NULL;
    if (st == QV_OK)
        st = arrow_builder_finish(b, &a, err);
    arrow_builder_free(b);
    for (int32_t w = 0; results != NULL && w <= n_when; w++)
        func_datum_release(&results[w]);
    func_datum_release(&operand);
    base_free(results);
    base_free(pending);
    base_free(matched);
    base_free(branch_of);
    base_free(pos_in_branch);
    QV_TRY(st);
    *out = func_datum_array(a);
    arrow_array_release(a);
    return QV_OK;
}

static qv_status eval_function(const plan_expr *e, arrow_batch *batch, func_call_ctx *call,
                               func_datum *out, qv_error *err)
{
    int32_t n = e->n_args;
    func_datum *args = base_calloc((size_t)(n > 0 ? n : 1), sizeof *args);
    if (args == NULL)
        return base_error_nomem(err, "function arguments");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++)
        st = eval(e->args[i], batch, call, &args[i], err);
    if (st == QV_OK)
        st = e->func->impl.scalar.invoke(call, n, args, batch->n_rows, e->type, out, err);
    for (int32_t i = 0; i < n; i++)
        func_datum_release(&args[i]);
    base_free(args);
    return st;
}

static qv_status eval(const plan_expr *e, arrow_batch *batch, func_call_ctx *call, func_datum *out,
                      qv_error *err)
{
    out->array = NULL;
    out->is_scalar = false;
    func_datum arg = {0};
    qv_status st;
    switch (e->kind) {
    case PLAN_EXPR_COLUMN:
        *out = func_datum_array(batch->columns[e->column]);
        return QV_OK;
    case PLAN_EXPR_LITERAL:
        *out = func_datum_scalar(e->value);
        return QV_OK;
    case PLAN_EXPR_BINARY:
        return eval_binary(e, batch, call, out, err);
    case PLAN_EXPR_NOT:
    case PLAN_EXPR_NEGATE:
    case PLAN_EXPR_IS:
    case PLAN_EXPR_CAST:
        QV_TRY(eval(e->args[0], batch, call, &arg, err));
        if (e->kind == PLAN_EXPR_NOT)
            st = func_not(&arg, batch->n_rows, out, err);
        else if (e->kind == PLAN_EXPR_NEGATE)
            st = func_negate(&arg, batch->n_rows, out, err);
        else if (e->kind == PLAN_EXPR_CAST)
            st = func_cast(&arg, e->type, (e->flags & PLAN_F_SAFE) != 0, batch->n_rows, out, err);
        else if (e->op == PLAN_IS_NULL || e->op == PLAN_IS_NOT_NULL)
            st = func_is_null(e->op == PLAN_IS_NOT_NULL, &arg, batch->n_rows, out, err);
        else
            st = eval_is_truth((plan_is_op)e->op, &arg, batch->n_rows, out, err);
        func_datum_release(&arg);
        return st;
    case PLAN_EXPR_CASE:
        return eval_case(e, batch, call, out, err);
    case PLAN_EXPR_IN_LIST:
        return eval_in_list(e, batch, call, out, err);
    case PLAN_EXPR_LIKE: {
        func_datum pattern = {0};
        QV_TRY(eval(e->args[0], batch, call, &arg, err));
        st = eval(e->args[1], batch, call, &pattern, err);
        if (st == QV_OK)
            st = func_like((e->flags & PLAN_F_NEGATED) != 0,
                           (e->flags & PLAN_F_CASE_INSENSITIVE) != 0, &arg, &pattern, e->escape,
                           batch->n_rows, out, err);
        func_datum_release(&arg);
        func_datum_release(&pattern);
        return st;
    }
    case PLAN_EXPR_FUNCTION:
        return eval_function(e, batch, call, out, err);
    case PLAN_EXPR_PLACEHOLDER:
        return base_error_set(err, QV_PLAN, "Error during planning: Placeholder $%d has no value",
                              e->column + 1);
    case PLAN_EXPR_AGGREGATE:
    case PLAN_EXPR_WINDOW:
    case PLAN_EXPR_OUTER_COLUMN:
    case PLAN_EXPR_SUBQUERY:
        break;
    }
    return base_error_set(err, QV_NOT_IMPLEMENTED,
                          "This feature is not implemented: expression kind %d in execution",
                          (int)e->kind);
}

qv_status exec_expr_eval(const plan_expr *expr, arrow_batch *batch, func_call_ctx *call,
                         func_datum *out, qv_error *err)
{
    return eval(expr, batch, call, out, err);
}

qv_status exec_expr_eval_array(const plan_expr *expr, arrow_batch *batch, func_call_ctx *call,
                               arrow_array **out, qv_error *err)
{
    func_datum d = {0};
    *out = NULL;
    QV_TRY(eval(expr, batch, call, &d, err));
    qv_status st = QV_OK;
    if (d.is_scalar || d.array->length != batch->n_rows)
        st = func_datum_to_array(&d, batch->n_rows, out, err);
    else
        *out = arrow_array_retain(d.array);
    func_datum_release(&d);
    return st;
}

qv_status exec_const_eval(const plan_expr *expr, arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (!plan_expr_is_constant(expr))
        return base_error_set(err, QV_NOT_IMPLEMENTED, "not a constant expression");
    arrow_schema *schema = NULL;
    arrow_batch *one_row = NULL;
    QV_TRY(arrow_schema_new(0, NULL, NULL, &schema, err));
    qv_status st = arrow_batch_new(schema, 1, NULL, &one_row, err);
    arrow_schema_release(schema);
    QV_TRY(st);
    /* Immutable functions read nothing from the call context; a fixed state
     * keeps them deterministic all the same. */
    func_call_ctx call = {.query_start_ns = 0, .time_zone = NULL, .random_state = 1};
    arrow_array *a = NULL;
    st = exec_expr_eval_array(expr, one_row, &call, &a, err);
    arrow_batch_release(one_row);
    QV_TRY(st);
    if (a->length != 1 || !arrow_type_equal(a->type, expr->type)) {
        arrow_array_release(a);
        return base_error_set(err, QV_NOT_IMPLEMENTED, "constant of another type");
    }
    *out = a;
    return QV_OK;
}
