/*
 * join_plan.c — what every join operator needs from its spec (layer:
 * exec): checking an exec_join_spec against the inputs, the operator's own
 * copy of it, output schemas, and the EXPLAIN text shared by the joins.
 */
#include "exec/join_int.h"

/* The field, nullable (new reference). */
static qv_status nullable_field(arrow_field *field, arrow_field **out, qv_error *err)
{
    if (field->nullable) {
        *out = arrow_field_retain(field);
        return QV_OK;
    }
    return arrow_field_new(field->name, field->type, true, &field->metadata, out, err);
}

qv_status exec_join_output_schema(const arrow_schema *left, const arrow_schema *right,
                                  plan_join_type type, arrow_schema **out, qv_error *err)
{
    *out = NULL;
    bool with_left = type != PLAN_JOIN_RIGHT_SEMI && type != PLAN_JOIN_RIGHT_ANTI;
    bool with_right =
        join_emits_pairs(type) || type == PLAN_JOIN_RIGHT_SEMI || type == PLAN_JOIN_RIGHT_ANTI;
    bool left_nullable = type == PLAN_JOIN_RIGHT || type == PLAN_JOIN_FULL;
    bool right_nullable = type == PLAN_JOIN_LEFT || type == PLAN_JOIN_FULL;
    int32_t n = (with_left ? left->n_fields : 0) + (with_right ? right->n_fields : 0) +
                (type == PLAN_JOIN_LEFT_MARK ? 1 : 0);
    arrow_field **fields = base_calloc((size_t)n + 1, sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "join schema");
    int32_t k = 0;
    qv_status st = QV_OK;
    for (int32_t i = 0; with_left && i < left->n_fields && st == QV_OK; i++, k++)
        st = left_nullable ? nullable_field(left->fields[i], &fields[k], err)
                           : (fields[k] = arrow_field_retain(left->fields[i]), QV_OK);
    for (int32_t i = 0; with_right && i < right->n_fields && st == QV_OK; i++, k++)
        st = right_nullable ? nullable_field(right->fields[i], &fields[k], err)
                            : (fields[k] = arrow_field_retain(right->fields[i]), QV_OK);
    if (st == QV_OK && type == PLAN_JOIN_LEFT_MARK)
        st = arrow_field_new("mark", arrow_type_primitive(QV_TYPE_BOOLEAN), false, NULL,
                             &fields[k++], err);
    if (st == QV_OK)
        st = arrow_schema_new(n, fields, NULL, out, err);
    for (int32_t i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    base_free(fields);
    return st;
}

void join_plan_free(join_plan *plan)
{
    if (plan == NULL)
        return;
    base_free(plan->left_keys);
    base_free(plan->right_keys);
    join_keys_free(plan->keys);
    join_filter_free(plan->filter);
    for (int32_t i = 0; i < plan->n_kept; i++)
        base_free(plan->kept[i]);
    base_free(plan->kept);
    base_free(plan);
}

qv_status join_node_keep_exprs(exec_node *join, plan_expr *const *exprs, int32_t n, qv_error *err)
{
    join_plan *plan = *(join_plan **)join->state;
    plan_expr **kept = base_realloc(plan->kept, (size_t)(plan->n_kept + n + 1) * sizeof *kept);
    if (kept == NULL) {
        for (int32_t i = 0; i < n; i++)
            base_free(exprs[i]);
        return base_error_nomem(err, "join plan");
    }
    for (int32_t i = 0; i < n; i++)
        kept[plan->n_kept++] = exprs[i];
    plan->kept = kept;
    return QV_OK;
}

static qv_status check_keys(const char *op, const exec_join_spec *spec, const arrow_schema *left,
                            const arrow_schema *right, qv_error *err)
{
    if (spec->type < PLAN_JOIN_INNER || spec->type > PLAN_JOIN_LEFT_MARK || spec->n_keys < 0 ||
        (spec->n_keys > 0 && (spec->left_keys == NULL || spec->right_keys == NULL)))
        return base_error_set(err, QV_MISUSE, "%s: bad join spec", op);
    for (int32_t k = 0; k < spec->n_keys; k++) {
        int32_t l = spec->left_keys[k], r = spec->right_keys[k];
        if (l < 0 || l >= left->n_fields || r < 0 || r >= right->n_fields)
            return base_error_set(err, QV_MISUSE, "%s: join key %d is not an input column", op, k);
        if (!arrow_type_equal(left->fields[l]->type, right->fields[r]->type))
            return base_error_set(err, QV_MISUSE, "%s: join key %d has types %s and %s", op, k,
                                  arrow_type_id_name(left->fields[l]->type->id),
                                  arrow_type_id_name(right->fields[r]->type->id));
    }
    if (spec->null_aware && (spec->type != PLAN_JOIN_LEFT_ANTI || spec->n_keys != 1))
        return base_error_set(err, QV_MISUSE, "%s: a null-aware join is a LeftAnti join on one key",
                              op);
    return QV_OK;
}

/* The given output schema must have the columns the join produces. */
static qv_status check_schema(const char *op, const arrow_schema *expected,
                              const arrow_schema *given, qv_error *err)
{
    if (given->n_fields != expected->n_fields)
        return base_error_set(err, QV_MISUSE, "%s: the output schema has %d columns, expected %d",
                              op, (int)given->n_fields, (int)expected->n_fields);
    for (int32_t i = 0; i < given->n_fields; i++)
        if (!arrow_type_equal(given->fields[i]->type, expected->fields[i]->type))
            return base_error_set(err, QV_MISUSE, "%s: output column %d has the wrong type", op,
                                  (int)i);
    return QV_OK;
}

qv_status join_plan_new(const char *op_name, const exec_join_spec *spec, const arrow_schema *left,
                        const arrow_schema *right, arrow_schema *schema, join_plan **out,
                        arrow_schema **out_schema, qv_error *err)
{
    *out = NULL;
    *out_schema = NULL;
    QV_TRY(check_keys(op_name, spec, left, right, err));
    arrow_schema *expected = NULL;
    QV_TRY(exec_join_output_schema(left, right, spec->type, &expected, err));
    qv_status st = QV_OK;
    if (schema != NULL)
        st = check_schema(op_name, expected, schema, err);
    join_plan *plan = st == QV_OK ? base_calloc(1, sizeof *plan) : NULL;
    int32_t n = spec->n_keys;
    arrow_type **types = st == QV_OK ? base_calloc((size_t)n + 1, sizeof *types) : NULL;
    if (st == QV_OK && (plan == NULL || types == NULL))
        st = base_error_nomem(err, "join plan");
    if (st == QV_OK) {
        plan->type = spec->type;
        plan->n_keys = n;
        plan->null_equals_null = spec->null_equals_null;
        plan->null_aware = spec->null_aware;
        plan->left_keys = base_calloc((size_t)n + 1, sizeof *plan->left_keys);
        plan->right_keys = base_calloc((size_t)n + 1, sizeof *plan->right_keys);
        if (plan->left_keys == NULL || plan->right_keys == NULL)
            st = base_error_nomem(err, "join plan");
    }
    for (int32_t k = 0; k < n && st == QV_OK; k++) {
        plan->left_keys[k] = spec->left_keys[k];
        plan->right_keys[k] = spec->right_keys[k];
        types[k] = left->fields[spec->left_keys[k]]->type;
    }
    if (st == QV_OK && n > 0)
        st = join_keys_new(n, types, &plan->keys, err);
    if (st == QV_OK && spec->filter != NULL)
        st = join_filter_new(spec->filter, spec->n_filter_columns, spec->filter_columns, left,
                             right, &plan->filter, err);
    base_free(types);
    if (st != QV_OK) {
        join_plan_free(plan);
        arrow_schema_release(expected);
        return st;
    }
    if (schema != NULL) {
        arrow_schema_release(expected);
        expected = arrow_schema_retain(schema);
    }
    *out = plan;
    *out_schema = expected;
    return QV_OK;
}

void join_plan_describe(const join_plan *plan, const exec_node *node, bool with_keys,
                        base_strbuf *sb)
{
    base_strbuf_appendf(sb, "join_type=%s", plan_join_type_name(plan->type));
    if (!with_keys)
        return;
    const arrow_schema *left = node->children[0]->schema, *right = node->children[1]->schema;
    base_strbuf_append_str(sb, ", on=[");
    for (int32_t k = 0; k < plan->n_keys; k++)
        base_strbuf_appendf(sb, "%s(%s@%d, %s@%d)", k > 0 ? ", " : "",
                            left->fields[plan->left_keys[k]]->name, (int)plan->left_keys[k],
                            right->fields[plan->right_keys[k]]->name, (int)plan->right_keys[k]);
    base_strbuf_append_char(sb, ']');
}

void join_plan_describe_conditions(const join_plan *plan, base_strbuf *sb)
{
    if (plan->filter != NULL) {
        base_strbuf_append_str(sb, ", filter=");
        join_filter_describe(plan->filter, sb);
    }
    if (plan->null_equals_null && plan->n_keys > 0)
        base_strbuf_append_str(sb, ", NullsEqual: true");
    if (plan->null_aware)
        base_strbuf_append_str(sb, ", null_aware");
}

void join_plan_key_arrays(const join_plan *plan, arrow_batch *batch, bool right, arrow_array **out)
{
    for (int32_t k = 0; k < plan->n_keys; k++)
        out[k] = batch->columns[right ? plan->right_keys[k] : plan->left_keys[k]];
}
