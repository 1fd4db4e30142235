/*
 * bind_array_ops.c — operators on lists become array function calls
 * (layer: plan), as DataFusion's nested function planner rewrites them:
 * `a || b` is array_concat when both sides have as many list dimensions,
 * array_append when the left has more, array_prepend when the right has
 * more; `a @> b` is array_has_all(a, b) and `a <@ b` array_has_all(b, a)
 * when both sides are lists.
 */
#include "plan/bind_int.h"

static int32_t list_ndims(const arrow_type *t)
{
    int32_t n = 0;
    while (t->id == QV_TYPE_LIST || t->id == QV_TYPE_LARGE_LIST ||
           t->id == QV_TYPE_FIXED_SIZE_LIST) {
        n++;
        t = t->children[0]->type;
    }
    return n;
}

qv_status bind_array_operator(bind_env *env, const sql_node *node, plan_expr *l, plan_expr *r,
                              plan_expr **out, qv_error *err)
{
    int32_t dl = list_ndims(l->type), dr = list_ndims(r->type);
    plan_expr *args[2] = {l, r};
    switch (node->op) {
    case SQL_OP_CONCAT:
        if (dl + dr == 0)
            return QV_NOT_FOUND;
        return bind_call_named(env,
                               dl == dr  ? "array_concat"
                               : dl > dr ? "array_append"
                                         : "array_prepend",
                               node, 2, args, out, err);
    case SQL_OP_AT_ARROW:
    case SQL_OP_ARROW_AT:
        if (dl == 0 || dr == 0)
            return QV_NOT_FOUND;
        if (node->op == SQL_OP_ARROW_AT) {
            args[0] = r;
            args[1] = l;
        }
        return bind_call_named(env, "array_has_all", node, 2, args, out, err);
    default:
        return QV_NOT_FOUND;
    }
}
