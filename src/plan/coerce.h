/*
 * coerce.h — type coercion rules shared by the binder's files (layer: plan,
 * private). Each returns a new type reference in *out, or QV_NOT_FOUND
 * (no error text set) when the types have no common type; the caller
 * words the error for its context.
 */
#ifndef QV_PLAN_COERCE_H
#define QV_PLAN_COERCE_H

#include "plan/plan.h"

bool plan_type_is_numeric(arrow_type_id id);
/* Common type of two numeric types (binary_numeric_coercion). */
qv_status plan_numeric_coercion(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err);
/* Common type for comparing l with r (comparison_coercion). */
qv_status plan_comparison_coercion(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err);
/* Common type of a list (CASE branches, IN lists, COALESCE, UNION, VALUES). */
qv_status plan_union_coercion(int32_t n, arrow_type *const *types, arrow_type **out, qv_error *err);
/* Type both operands of arithmetic op are cast to, for non-decimal numeric
 * pairs (and NULLs); QV_NOT_FOUND for decimals (see plan_decimal_operand)
 * and non-numeric types. */
qv_status plan_arith_coercion(int32_t op, arrow_type *l, arrow_type *r, arrow_type **operand,
                              qv_error *err);
/* The decimal an operand of decimal arithmetic becomes (integers take
 * their digit count with scale 0). */
qv_status plan_decimal_operand(arrow_type *t, arrow_type **out, qv_error *err);

/* Nested types (coerce_nested.c). DataFusion's type_union_resolution:
 * the type n values unify to (make_array's elements...), structs matched
 * by field name, lists by kind; QV_NOT_FOUND when there is none. */
qv_status plan_type_union_resolution(int32_t n, arrow_type *const *types, arrow_type **out,
                                     qv_error *err);
/* Comparison coercion of two structs of as many fields (by name when the
 * names match in any order, else by position) or two maps (keys and
 * values); QV_NOT_FOUND for anything else. */
qv_status plan_nested_comparison_coercion(arrow_type *l, arrow_type *r, arrow_type **out,
                                          qv_error *err);

#endif /* QV_PLAN_COERCE_H */
