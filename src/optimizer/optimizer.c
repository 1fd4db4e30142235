/*
 * optimizer.c — the optimizer's driver (layer: optimizer): runs the
 * enabled rules in a fixed order, pass after pass, until a pass changes
 * nothing or the pass limit is reached; and the conversion of pushed-down
 * scan filters into the catalog's predicate form.
 */
#include <string.h>

#include "optimizer/optimizer_int.h"

void optimizer_options_default(optimizer_options *opts)
{
    opts->max_passes = 3;
    opts->simplify_expressions = true;
    opts->push_down_projection = true;
    opts->push_down_filter = true;
    opts->push_down_limit = true;
    opts->eliminate_redundant = true;
    opts->join_reordering = true;
}

qv_status optimizer_run(plan_ctx *ctx, plan_node *root, const optimizer_options *opts,
                        plan_node **out, qv_error *err)
{
    optimizer_options defaults;
    if (opts == NULL) {
        optimizer_options_default(&defaults);
        opts = &defaults;
    }
    /* Simplify first so that the others see folded constants; projection
     * pushdown once filters and limits have settled; eliminate again at the
     * end to clean up what the pushdowns leave (identity projections,
     * LIMIT over LIMIT) within the same pass. */
    struct {
        bool on;
        opt_rule_fn fn;
    } rules[] = {
        {opts->simplify_expressions, opt_simplify},
        {opts->eliminate_redundant, opt_eliminate},
        {opts->push_down_filter, opt_push_filter},
        {opts->join_reordering, opt_join_order},
        {opts->push_down_limit, opt_push_limit},
        {opts->push_down_projection, opt_push_projection},
        {opts->eliminate_redundant, opt_eliminate},
    };
    plan_node *plan = root;
    for (int32_t pass = 0; pass < opts->max_passes; pass++) {
        bool pass_changed = false;
        for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
            if (!rules[r].on)
                continue;
            bool changed = false;
            plan_node *next = NULL;
            qv_status st = rules[r].fn(ctx, plan, &next, &changed, err);
            if (st != QV_OK) {
                *out = NULL;
                return st;
            }
            plan = next;
            pass_changed |= changed;
        }
        if (!pass_changed)
            break;
    }
    *out = plan;
    return QV_OK;
}

/* ---- scan filters as catalog predicates ---- */

static bool literal_of(const plan_expr *e, const plan_expr *column)
{
    return e->kind == PLAN_EXPR_LITERAL && arrow_type_equal(e->type, column->type);
}

bool optimizer_to_catalog_predicate(const plan_expr *e, catalog_predicate *out)
{
    memset(out, 0, sizeof *out);
    if (e->kind == PLAN_EXPR_IS && e->args[0]->kind == PLAN_EXPR_COLUMN &&
        (e->op == PLAN_IS_NULL || e->op == PLAN_IS_NOT_NULL)) {
        out->op = e->op == PLAN_IS_NULL ? CATALOG_PRED_IS_NULL : CATALOG_PRED_IS_NOT_NULL;
        out->column = e->args[0]->column;
        return true;
    }
    if (e->kind == PLAN_EXPR_IN_LIST && !(e->flags & PLAN_F_NEGATED) &&
        e->args[0]->kind == PLAN_EXPR_COLUMN && e->n_args >= 2) {
        for (int32_t i = 1; i < e->n_args; i++)
            if (!literal_of(e->args[i], e->args[0]))
                return false;
        arrow_builder *b = NULL;
        if (arrow_builder_new(e->args[0]->type, &b, NULL) != QV_OK)
            return false;
        qv_status st = QV_OK;
        for (int32_t i = 1; i < e->n_args && st == QV_OK; i++)
            st = arrow_builder_append_from(b, e->args[i]->value, 0, NULL);
        arrow_array *values = NULL;
        if (st == QV_OK)
            st = arrow_builder_finish(b, &values, NULL);
        arrow_builder_free(b);
        if (st != QV_OK)
            return false;
        out->op = CATALOG_PRED_IN;
        out->column = e->args[0]->column;
        out->values = values;
        return true;
    }
    if (e->kind != PLAN_EXPR_BINARY || e->op < PLAN_OP_EQ || e->op > PLAN_OP_GE)
        return false;
    /* column op literal, or literal op column with the operator mirrored */
    static const catalog_pred_op direct[] = {CATALOG_PRED_EQ, CATALOG_PRED_NE, CATALOG_PRED_LT,
                                             CATALOG_PRED_LE, CATALOG_PRED_GT, CATALOG_PRED_GE};
    static const catalog_pred_op mirrored[] = {CATALOG_PRED_EQ, CATALOG_PRED_NE, CATALOG_PRED_GT,
                                               CATALOG_PRED_GE, CATALOG_PRED_LT, CATALOG_PRED_LE};
    const plan_expr *l = e->args[0], *r = e->args[1];
    int32_t k = e->op - PLAN_OP_EQ;
    if (l->kind == PLAN_EXPR_COLUMN && literal_of(r, l)) {
        out->op = direct[k];
        out->column = l->column;
        out->values = arrow_array_retain(r->value);
        return true;
    }
    if (r->kind == PLAN_EXPR_COLUMN && literal_of(l, r)) {
        out->op = mirrored[k];
        out->column = r->column;
        out->values = arrow_array_retain(l->value);
        return true;
    }
    return false;
}

void optimizer_predicate_clear(catalog_predicate *pred)
{
    if (pred == NULL)
        return;
    arrow_array_release(pred->values);
    pred->values = NULL;
}
