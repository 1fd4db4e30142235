/*
 * conditional.c — conditional scalar functions (layer: func): coalesce,
 * nullif, nvl / ifnull, nvl2, greatest, least. Arguments arrive coerced to
 * one type; results are assembled row by row from the chosen argument with
 * arrow_builder_append_from, which works for every type.
 */
#include "func/func_int.h"

#define UNUSED(x) (void)(x)
#define INVOKE_ARGS                                                                                \
    func_call_ctx *ctx, int n_args, const func_datum *args, int64_t n_rows,                        \
        arrow_type *return_type, func_datum *out, qv_error *err

/* Appends row i of datum d (or null when d is null there / of Null type). */
static qv_status append_row(arrow_builder *b, const func_datum *d, int64_t i, qv_error *err)
{
    if (!func_valid_at(d, i))
        return arrow_builder_append_null(b, err);
    return arrow_builder_append_from(b, d->array, d->is_scalar ? 0 : i, err);
}

/* Builds the result row by row: pick(i) returns the argument index to copy
 * (or -1 for null). */
#define PICK_ROWS(N_IN, PICK)                                                                      \
    bool all_scalar;                                                                               \
    int64_t n = func_out_rows(N_IN, args, n_rows, &all_scalar);                                    \
    arrow_builder *b;                                                                              \
    QV_TRY(arrow_builder_new(return_type, &b, err));                                               \
    qv_status st = QV_OK;                                                                          \
    for (int64_t i = 0; i < n && st == QV_OK; i++) {                                               \
        int k = (PICK);                                                                            \
        st = k < 0 ? arrow_builder_append_null(b, err) : append_row(b, &args[k], i, err);          \
    }                                                                                              \
    if (st == QV_OK)                                                                               \
        st = func_finish_builder(b, all_scalar, out, err);                                         \
    arrow_builder_free(b);                                                                         \
    return st

static int first_valid(int n_args, const func_datum *args, int64_t i)
{
    for (int k = 0; k < n_args; k++) {
        if (func_valid_at(&args[k], i))
            return k;
    }
    return -1;
}

static qv_status coalesce_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    PICK_ROWS(n_args, first_valid(n_args, args, i));
}

static qv_status nvl2_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    UNUSED(n_args);
    PICK_ROWS(3, func_valid_at(&args[0], i) ? 1 : 2);
}

static qv_status nullif_invoke(INVOKE_ARGS)
{
    UNUSED(ctx);
    UNUSED(n_args);
    func_datum eq;
    QV_TRY(func_compare(FUNC_EQ, &args[0], &args[1], n_rows, &eq, err));
    const arrow_array *e = eq.array;
    bool all_scalar;
    int64_t n = func_out_rows(2, args, n_rows, &all_scalar);
    arrow_builder *b;
    qv_status st = arrow_builder_new(return_type, &b, err);
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        int64_t j = eq.is_scalar ? 0 : i;
        bool equal =
            arrow_array_is_valid(e, j) && arrow_bit_get(e->buffers[1]->data, e->offset + j);
        st = equal ? arrow_builder_append_null(b, err) : append_row(b, &args[0], i, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    func_datum_release(&eq);
    return st;
}

/* greatest / least: nulls are skipped; null only when every argument is. */
static qv_status extreme(bool greatest, INVOKE_ARGS)
{
    UNUSED(ctx);
    func_datum cur;
    cur.array = arrow_array_retain(args[0].array);
    cur.is_scalar = args[0].is_scalar;
    for (int k = 1; k < n_args; k++) {
        func_datum better;
        qv_status cmp =
            func_compare(greatest ? FUNC_GT : FUNC_LT, &args[k], &cur, n_rows, &better, err);
        if (cmp != QV_OK) {
            func_datum_release(&cur);
            return cmp;
        }
        bool all_scalar = cur.is_scalar && args[k].is_scalar;
        int64_t n = all_scalar ? 1 : n_rows;
        arrow_builder *b;
        qv_status st = arrow_builder_new(return_type, &b, err);
        const arrow_array *e = better.array;
        for (int64_t i = 0; i < n && st == QV_OK; i++) {
            int64_t j = better.is_scalar ? 0 : i;
            bool take =
                func_valid_at(&args[k], i) &&
                (!func_valid_at(&cur, i) ||
                 (arrow_array_is_valid(e, j) && arrow_bit_get(e->buffers[1]->data, e->offset + j)));
            st = append_row(b, take ? &args[k] : &cur, i, err);
        }
        func_datum next = {NULL, all_scalar};
        if (st == QV_OK)
            st = func_finish_builder(b, all_scalar, &next, err);
        arrow_builder_free(b);
        func_datum_release(&better);
        func_datum_release(&cur);
        if (st != QV_OK)
            return st;
        cur = next;
    }
    *out = cur;
    return QV_OK;
}

static qv_status greatest_invoke(INVOKE_ARGS)
{
    return extreme(true, ctx, n_args, args, n_rows, return_type, out, err);
}

static qv_status least_invoke(INVOKE_ARGS)
{
    return extreme(false, ctx, n_args, args, n_rows, return_type, out, err);
}

/* The first non-Null argument type (the binder has coerced to one type). */
static qv_status rt_common(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(err);
    for (int k = 0; k < n_args; k++) {
        if (types[k]->id != QV_TYPE_NULL) {
            *out = arrow_type_retain(types[k]);
            return QV_OK;
        }
    }
    *out = arrow_type_primitive(QV_TYPE_NULL);
    return QV_OK;
}

static qv_status rt_nvl2(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    return rt_common(2, types + 1, out, err);
}

/* coalesce / nvl unify their arguments as DataFusion does
 * (type_union_resolution: numbers widen, structs field by field). */
static qv_status union_coerce(const func_coerce_services *svc, int n_args, arrow_type *const *types,
                              arrow_type **targets, qv_error *err)
{
    if (n_args == 0)
        return QV_NOT_FOUND;
    arrow_type *common = NULL;
    QV_TRY(svc->union_types(n_args, types, &common, err));
    for (int k = 0; k < n_args; k++)
        if (!arrow_type_equal(types[k], common))
            targets[k] = arrow_type_retain(common);
    arrow_type_release(common);
    return QV_OK;
}

static const char *const p_coalesce[] = {"expression1", "expression_n", NULL};
static const char *const p_two[] = {"expression1", "expression2", NULL};
static const char *const p_three[] = {"expression1", "expression2", "expression3", NULL};
static const char *const a_nvl[] = {"ifnull", NULL};

#define SIG_VAR                                                                                    \
    {                                                                                              \
        FUNC_SIG_VARIADIC_ANY, 0, 0, NULL, 0, NULL                                                 \
    }
#define SIG_ANY(N)                                                                                 \
    {                                                                                              \
        FUNC_SIG_ANY, N, 0, NULL, 0, NULL                                                          \
    }
#define SIG_CMP(N)                                                                                 \
    {                                                                                              \
        FUNC_SIG_COMPARABLE, N, 0, NULL, 0, NULL                                                   \
    }
#define ENTRY(NAME, ALIASES, SIG, DESC, PARAMS, RT, INVOKE)                                        \
    {                                                                                              \
        NAME, ALIASES, FUNC_SCALAR, SIG, FUNC_IMMUTABLE, DESC, PARAMS, .impl.scalar = {            \
            RT,                                                                                    \
            INVOKE                                                                                 \
        }                                                                                          \
    }
#define UNION_ENTRY(NAME, ALIASES, SIG, DESC, PARAMS, RT, INVOKE)                                  \
    {                                                                                              \
        NAME, ALIASES, FUNC_SCALAR, SIG, FUNC_IMMUTABLE, DESC, PARAMS, .impl.scalar = {            \
            RT,                                                                                    \
            INVOKE,                                                                                \
            NULL,                                                                                  \
            union_coerce                                                                           \
        }                                                                                          \
    }

const func_entry func_conditional_entries[] = {
    UNION_ENTRY("coalesce", NULL, SIG_VAR, "Returns the first of its arguments that is not null.",
                p_coalesce, rt_common, coalesce_invoke),
    ENTRY("greatest", NULL, SIG_VAR, "Returns the greatest value in a list of expressions.",
          p_coalesce, rt_common, greatest_invoke),
    ENTRY("least", NULL, SIG_VAR, "Returns the smallest value in a list of expressions.",
          p_coalesce, rt_common, least_invoke),
    ENTRY("nullif", NULL, SIG_CMP(2),
          "Returns null if expression1 equals expression2; otherwise "
          "it returns expression1.",
          p_two, rt_common, nullif_invoke),
    UNION_ENTRY("nvl", a_nvl, SIG_ANY(2),
                "Returns expression2 if expression1 is NULL otherwise "
                "it returns expression1.",
                p_two, rt_common, coalesce_invoke),
    ENTRY("nvl2", NULL, SIG_ANY(3),
          "Returns expression2 if expression1 is not NULL; otherwise it "
          "returns expression3.",
          p_three, rt_nvl2, nvl2_invoke),
};
const int32_t func_conditional_entry_count =
    (int32_t)(sizeof func_conditional_entries / sizeof func_conditional_entries[0]);
