/*
 * op_aggregate.c — AggregateExec, the hash aggregate operator (layer: exec):
 * the node (plan, output schema, EXPLAIN line) and its output stream.
 *
 * On the first pull the stream aggregates all input: two-phase when the
 * child has several partitions and a thread pool is there (one partial
 * aggregation per child partition, in that partition's task, then the
 * other partials merged into the largest one on the pulling thread), otherwise
 * single-phase (partitions drained in order into one aggregation — what
 * DISTINCT and ORDER BY inside calls need). Then it evaluates the calls
 * once and hands out the groups in batches of ctx->batch_size rows.
 * Per-group work lives in aggregate_part.c, grouping in group_table.c.
 */
#include <stdio.h>
#include <string.h>

#include "exec/aggregate_int.h"

/* ---- the plan ---- */

static void free_plan(agg_plan *plan)
{
    if (plan == NULL)
        return;
    for (int32_t k = 0; k < plan->n_keys && plan->key_names != NULL; k++)
        base_free(plan->key_names[k]);
    for (int32_t a = 0; a < plan->n_aggs && plan->aggs != NULL; a++) {
        agg_call_plan *c = &plan->aggs[a];
        for (int32_t i = 0; i < c->call.n_args; i++) {
            if (c->arg_types != NULL)
                arrow_type_release(c->arg_types[i]);
            if (c->literals != NULL)
                arrow_array_release(c->literals[i]);
        }
        base_free(c->arg_types);
        base_free(c->literals);
        base_free(c->arg_columns);
        arrow_type_release(c->return_type);
        base_free(c->name);
    }
    for (int32_t k = 0; k < plan->n_table_keys && plan->table_types != NULL; k++)
        arrow_type_release(plan->table_types[k]);
    base_free(plan->table_types);
    base_free(plan->aggs);
    base_free(plan->key_columns);
    base_free(plan->key_names);
    base_free(plan->sets);
    base_free(plan->set_ids);
    base_free(plan);
}

static qv_status check_args(const arrow_schema *in, int32_t n_keys, const int32_t *key_columns,
                            int32_t n_sets, int32_t n_aggs, const exec_agg_spec *aggs,
                            qv_error *err)
{
    if (n_keys < 0 || n_sets < 0 || n_aggs < 0 || (n_keys > 0 && key_columns == NULL) ||
        (n_aggs > 0 && aggs == NULL))
        return base_error_set(err, QV_MISUSE, "AggregateExec: bad arguments");
    if (n_sets > 0 && n_keys > 31)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "grouping sets over more than 31 expressions are not supported");
    for (int32_t k = 0; k < n_keys; k++)
        if (key_columns[k] < 0 || key_columns[k] >= in->n_fields)
            return base_error_set(err, QV_MISUSE, "AggregateExec: no input column %d",
                                  key_columns[k]);
    for (int32_t a = 0; a < n_aggs; a++) {
        const exec_agg_spec *spec = &aggs[a];
        const func_entry *entry = spec->call.entry;
        if (entry == NULL || entry->kind != FUNC_AGGREGATE || entry->impl.aggregate == NULL ||
            spec->call.return_type == NULL || spec->n_args != spec->call.n_args ||
            spec->n_args < 0 || (spec->n_args > 0 && spec->call.arg_types == NULL))
            return base_error_set(err, QV_MISUSE, "AggregateExec: bad aggregate call %d", a);
        for (int32_t i = 0; i < spec->n_args; i++) {
            bool literal = spec->call.literals != NULL && spec->call.literals[i] != NULL;
            int32_t col = spec->arg_columns != NULL ? spec->arg_columns[i] : -1;
            if (!literal && (col < 0 || col >= in->n_fields))
                return base_error_set(err, QV_MISUSE,
                                      "AggregateExec: argument %d of call %d has no column", i, a);
            if (literal && spec->call.literals[i]->length != 1)
                return base_error_set(err, QV_MISUSE, "AggregateExec: literal of length != 1");
        }
        int32_t f = spec->filter_column;
        if (f >= in->n_fields || f < -1 || (f >= 0 && in->fields[f]->type->id != QV_TYPE_BOOLEAN))
            return base_error_set(err, QV_MISUSE, "AggregateExec: bad FILTER column %d", f);
    }
    return QV_OK;
}

static qv_status copy_call(agg_call_plan *c, const exec_agg_spec *spec, qv_error *err)
{
    int32_t n = spec->n_args;
    c->call = spec->call;
    c->filter_column = spec->filter_column;
    c->name = base_strdup(spec->name != NULL ? spec->name : spec->call.entry->name);
    c->arg_types = base_calloc((size_t)n + 1, sizeof *c->arg_types);
    c->literals = base_calloc((size_t)n + 1, sizeof *c->literals);
    c->arg_columns = base_calloc((size_t)n + 1, sizeof *c->arg_columns);
    if (c->name == NULL || c->arg_types == NULL || c->literals == NULL || c->arg_columns == NULL) {
        c->call.n_args = 0; /* nothing retained yet */
        return base_error_nomem(err, "aggregate plan");
    }
    for (int32_t i = 0; i < n; i++) {
        c->arg_types[i] = arrow_type_retain(spec->call.arg_types[i]);
        arrow_array *lit = spec->call.literals != NULL ? spec->call.literals[i] : NULL;
        c->literals[i] = arrow_array_retain(lit);
        c->arg_columns[i] = lit != NULL ? -1 : spec->arg_columns[i];
    }
    c->return_type = arrow_type_retain(spec->call.return_type);
    c->call.arg_types = c->arg_types;
    c->call.literals = c->literals;
    c->call.return_type = c->return_type;

    arrow_schema *state_schema = NULL;
    QV_TRY(c->call.entry->impl.aggregate->state_schema(&c->call, &state_schema, err));
    c->n_state_fields = state_schema->n_fields;
    arrow_schema_release(state_schema);
    return QV_OK;
}

/* DataFusion's grouping id: bit (n_keys-1-k) set when key k is not in the
 * set; a set repeated earlier in the list gets its ordinal above the
 * n_keys low bits, so that duplicate sets stay separate groups. */
static qv_status grouping_ids(agg_plan *plan, qv_error *err)
{
    uint32_t all_keys = plan->n_keys >= 32 ? UINT32_MAX : (1u << plan->n_keys) - 1;
    for (int32_t s = 0; s < plan->n_sets; s++) {
        plan->sets[s] &= all_keys;
        uint32_t id = 0;
        for (int32_t k = 0; k < plan->n_keys; k++)
            if (!((plan->sets[s] >> k) & 1u))
                id |= 1u << (plan->n_keys - 1 - k);
        uint32_t ordinal = 0;
        for (int32_t t = 0; t < s; t++)
            ordinal += plan->sets[t] == plan->sets[s];
        if (ordinal > 0 && (plan->n_keys >= 32 || ordinal > (UINT32_MAX >> plan->n_keys)))
            return base_error_set(err, QV_NOT_IMPLEMENTED, "too many repeated grouping sets");
        if (ordinal > 0)
            id |= ordinal << plan->n_keys;
        plan->set_ids[s] = id;
    }
    return QV_OK;
}

static qv_status build_plan(const arrow_schema *in, int32_t n_keys, const int32_t *key_columns,
                            const char *const *key_names, int32_t n_sets, const uint32_t *sets,
                            int32_t n_aggs, const exec_agg_spec *aggs, bool single_phase,
                            agg_plan **out, qv_error *err)
{
    *out = NULL;
    agg_plan *plan = base_calloc(1, sizeof *plan);
    if (plan == NULL)
        return base_error_nomem(err, "aggregate plan");
    plan->key_columns = base_calloc((size_t)n_keys + 1, sizeof *plan->key_columns);
    plan->key_names = base_calloc((size_t)n_keys + 1, sizeof *plan->key_names);
    plan->sets = base_calloc((size_t)n_sets + 1, sizeof *plan->sets);
    plan->set_ids = base_calloc((size_t)n_sets + 1, sizeof *plan->set_ids);
    plan->aggs = base_calloc((size_t)n_aggs + 1, sizeof *plan->aggs);
    plan->table_types = base_calloc((size_t)n_keys + 2, sizeof *plan->table_types);
    qv_status st = QV_OK;
    if (plan->key_columns == NULL || plan->key_names == NULL || plan->sets == NULL ||
        plan->set_ids == NULL || plan->aggs == NULL || plan->table_types == NULL)
        st = base_error_nomem(err, "aggregate plan");
    for (int32_t k = 0; k < n_keys && st == QV_OK; k++) {
        plan->n_keys = k + 1;
        plan->key_columns[k] = key_columns[k];
        const char *name = key_names != NULL && key_names[k] != NULL
                               ? key_names[k]
                               : in->fields[key_columns[k]]->name;
        plan->key_names[k] = base_strdup(name);
        if (plan->key_names[k] == NULL)
            st = base_error_nomem(err, "aggregate plan");
        plan->n_table_keys = k + 1;
        plan->table_types[k] = arrow_type_retain(in->fields[key_columns[k]]->type);
    }
    if (st == QV_OK && n_sets > 0) {
        plan->n_sets = n_sets;
        memcpy(plan->sets, sets, (size_t)n_sets * sizeof *sets);
        plan->table_types[n_keys] = arrow_type_primitive(QV_TYPE_UINT32);
        plan->n_table_keys = n_keys + 1;
        st = grouping_ids(plan, err);
    }
    plan->single_phase = single_phase;
    for (int32_t a = 0; a < n_aggs && st == QV_OK; a++) {
        plan->n_aggs = a + 1;
        st = copy_call(&plan->aggs[a], &aggs[a], err);
        if (aggs[a].call.distinct || aggs[a].call.has_order_by)
            plan->single_phase = true;
    }
    if (st != QV_OK) {
        free_plan(plan);
        return st;
    }
    *out = plan;
    return QV_OK;
}

static qv_status build_schema(const arrow_schema *in, const agg_plan *plan, arrow_schema **out,
                              qv_error *err)
{
    *out = NULL;
    int32_t n = plan->n_table_keys + plan->n_aggs;
    arrow_field **fields = base_calloc((size_t)n + 1, sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "aggregate schema");
    qv_status st = QV_OK;
    int32_t i = 0;
    for (int32_t k = 0; k < plan->n_keys && st == QV_OK; k++, i++) {
        const arrow_field *f = in->fields[plan->key_columns[k]];
        st = arrow_field_new(plan->key_names[k], f->type, f->nullable || plan->n_sets > 0, NULL,
                             &fields[i], err);
    }
    if (st == QV_OK && plan->n_sets > 0)
        st = arrow_field_new("__grouping_id", arrow_type_primitive(QV_TYPE_UINT32), false, NULL,
                             &fields[i++], err);
    for (int32_t a = 0; a < plan->n_aggs && st == QV_OK; a++, i++)
        st = arrow_field_new(plan->aggs[a].name, plan->aggs[a].return_type, true, NULL, &fields[i],
                             err);
    if (st == QV_OK)
        st = arrow_schema_new(n, fields, NULL, out, err);
    for (int32_t j = 0; j < n; j++)
        arrow_field_release(fields[j]);
    base_free(fields);
    return st;
}

/* ---- EXPLAIN ---- */

static void describe_key(const exec_node *node, const agg_plan *plan, int32_t k, bool null,
                         base_strbuf *sb)
{
    if (null) {
        base_strbuf_appendf(sb, "NULL as %s", plan->key_names[k]);
        return;
    }
    const arrow_schema *in = node->children[0]->schema;
    int32_t col = plan->key_columns[k];
    base_strbuf_appendf(sb, "%s@%d as %s", in->fields[col]->name, col, plan->key_names[k]);
}

static void agg_describe(const exec_node *node, base_strbuf *sb)
{
    const agg_plan *plan = node->state;
    base_strbuf_appendf(sb, "mode=%s, gby=[", plan->single_phase ? "Single" : "Partial+Final");
    if (plan->n_sets == 0) {
        for (int32_t k = 0; k < plan->n_keys; k++) {
            if (k > 0)
                base_strbuf_append_str(sb, ", ");
            describe_key(node, plan, k, false, sb);
        }
    } else {
        for (int32_t s = 0; s < plan->n_sets; s++) {
            base_strbuf_append_str(sb, s > 0 ? ", (" : "(");
            for (int32_t k = 0; k < plan->n_keys; k++) {
                if (k > 0)
                    base_strbuf_append_str(sb, ", ");
                describe_key(node, plan, k, !((plan->sets[s] >> k) & 1u), sb);
            }
            base_strbuf_append_char(sb, ')');
        }
    }
    base_strbuf_append_str(sb, "], aggr=[");
    for (int32_t a = 0; a < plan->n_aggs; a++) {
        if (a > 0)
            base_strbuf_append_str(sb, ", ");
        base_strbuf_append_str(sb, plan->aggs[a].name);
    }
    base_strbuf_append_char(sb, ']');
}

static void agg_free_state(exec_node *node)
{
    free_plan(node->state);
}

/* ---- the stream ---- */

typedef struct agg_stream {
    exec_stream base;
    exec_node *node;
    exec_ctx *ctx;
    bool computed;
    qv_status failed; /* status of a failed aggregation, returned again */
    agg_part **parts; /* two-phase: one partial per child partition */
    int32_t n_parts;
    agg_part *final;
    arrow_array **values; /* evaluated calls, n_groups rows each */
    int64_t n_groups;
    int64_t next_group;
    arrow_array **columns; /* scratch for one output batch */
} agg_stream;

static void release_results(agg_stream *s)
{
    const agg_plan *plan = s->node->state;
    for (int32_t p = 0; p < s->n_parts && s->parts != NULL; p++) {
        agg_part_free(s->parts[p]);
        s->parts[p] = NULL;
    }
    agg_part_free(s->final);
    s->final = NULL;
    if (s->values != NULL)
        for (int32_t a = 0; a < plan->n_aggs; a++) {
            arrow_array_release(s->values[a]);
            s->values[a] = NULL;
        }
}

static qv_status consume_partial(void *user, int32_t partition, arrow_batch *batch, qv_error *err)
{
    agg_stream *s = user;
    if (s->parts[partition] == NULL) {
        char name[64];
        snprintf(name, sizeof name, "AggregateExec[%d]", (int)partition);
        QV_TRY(agg_part_new(s->node->state, s->ctx->mem_pool, name, &s->parts[partition], err));
    }
    agg_part *part = s->parts[partition];
    qv_status st = agg_part_consume(part, batch, err);
    exec_metrics_note_memory(&s->node->metrics, agg_part_reserved(part));
    return st;
}

/* Every partition of the child in order, on this thread, into s->final. */
static qv_status drain_in_order(agg_stream *s, qv_error *err)
{
    exec_node *child = s->node->children[0];
    qv_status st = QV_OK;
    for (int32_t p = 0; p < child->n_partitions && st == QV_OK; p++) {
        exec_stream *in = NULL;
        st = exec_node_open(child, s->ctx, p, &in, err);
        while (st == QV_OK) {
            arrow_batch *batch = NULL;
            st = in->next(in, &batch, err);
            if (st != QV_OK || batch == NULL)
                break;
            st = agg_part_consume(s->final, batch, err);
            arrow_batch_release(batch);
            exec_metrics_note_memory(&s->node->metrics, agg_part_reserved(s->final));
        }
        exec_stream_free(in);
    }
    return st;
}

static qv_status aggregate_all(agg_stream *s, qv_error *err)
{
    const agg_plan *plan = s->node->state;
    exec_node *child = s->node->children[0];
    exec_ctx *ctx = s->ctx;
    bool two_phase = !plan->single_phase && ctx->pool != NULL && child->n_partitions > 1;
    if (!two_phase) {
        QV_TRY(agg_part_new(plan, ctx->mem_pool, "AggregateExec[0]", &s->final, err));
        QV_TRY(drain_in_order(s, err));
    } else {
        s->parts = base_calloc((size_t)child->n_partitions, sizeof *s->parts);
        if (s->parts == NULL)
            return base_error_nomem(err, "aggregate partitions");
        s->n_parts = child->n_partitions;
        QV_TRY(exec_consume_partitions(child, ctx, consume_partial, s, err));
        /* The partial with the most groups becomes the final one, so its
         * groups are not interned a second time; the others merge into it. */
        int32_t largest = -1;
        for (int32_t p = 0; p < s->n_parts; p++)
            if (s->parts[p] != NULL &&
                (largest < 0 || agg_part_groups(s->parts[p]) > agg_part_groups(s->parts[largest])))
                largest = p;
        if (largest >= 0) {
            s->final = s->parts[largest];
            s->parts[largest] = NULL;
        } else {
            QV_TRY(agg_part_new(plan, ctx->mem_pool, "AggregateExec[final]", &s->final, err));
        }
        for (int32_t p = 0; p < s->n_parts; p++) {
            if (s->parts[p] == NULL)
                continue;
            QV_TRY(agg_part_merge(s->final, s->parts[p], &ctx->cancelled, err));
            agg_part_free(s->parts[p]);
            s->parts[p] = NULL;
            exec_metrics_note_memory(&s->node->metrics, agg_part_reserved(s->final));
        }
    }
    QV_TRY(agg_part_add_empty_groups(s->final, err));
    s->n_groups = agg_part_groups(s->final);
    return agg_part_evaluate(s->final, s->values, err);
}

static qv_status agg_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    agg_stream *s = (agg_stream *)stream;
    const agg_plan *plan = s->node->state;
    *out = NULL;
    if (s->failed != QV_OK)
        return base_error_set(err, s->failed, "AggregateExec failed before");
    if (!s->computed) {
        s->computed = true;
        qv_status st = aggregate_all(s, err);
        if (st != QV_OK) {
            s->failed = st;
            release_results(s);
            return st;
        }
    }
    if (s->next_group >= s->n_groups) {
        release_results(s);
        return QV_OK;
    }
    int64_t count = s->n_groups - s->next_group;
    if (count > s->ctx->batch_size)
        count = s->ctx->batch_size;
    arrow_array **cols = s->columns;
    qv_status st = agg_part_emit_keys(s->final, s->next_group, count, cols, err);
    int32_t n_made = st == QV_OK ? plan->n_table_keys : 0;
    for (int32_t a = 0; a < plan->n_aggs && st == QV_OK; a++, n_made++)
        st = arrow_array_slice(s->values[a], s->next_group, count, &cols[n_made], err);
    if (st == QV_OK)
        st = arrow_batch_new(s->node->schema, count, cols, out, err);
    for (int32_t i = 0; i < n_made; i++) {
        arrow_array_release(cols[i]);
        cols[i] = NULL;
    }
    if (st != QV_OK)
        return st;
    s->next_group += count;
    return QV_OK;
}

static void agg_stream_free(exec_stream *stream)
{
    agg_stream *s = (agg_stream *)stream;
    release_results(s);
    base_free(s->parts);
    base_free(s->values);
    base_free(s->columns);
    base_free(s);
}

static qv_status agg_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                          qv_error *err)
{
    (void)partition;
    *out = NULL;
    const agg_plan *plan = node->state;
    agg_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "aggregate stream");
    s->node = node;
    s->ctx = ctx;
    s->values = base_calloc((size_t)plan->n_aggs + 1, sizeof *s->values);
    s->columns = base_calloc((size_t)(plan->n_table_keys + plan->n_aggs) + 1, sizeof *s->columns);
    if (s->values == NULL || s->columns == NULL) {
        agg_stream_free(&s->base);
        return base_error_nomem(err, "aggregate stream");
    }
    s->base.next = agg_next;
    s->base.free = agg_stream_free;
    *out = &s->base;
    return QV_OK;
}

static const exec_node_ops aggregate_ops = {
    .name = "AggregateExec",
    .open = agg_open,
    .describe = agg_describe,
    .free_state = agg_free_state,
};

/* exec.h. The child is owned from the call on: freed on failure too. */
qv_status exec_aggregate_new(exec_node *child, int32_t n_keys, const int32_t *key_columns,
                             const char *const *key_names, int32_t n_grouping_sets,
                             const uint32_t *grouping_sets, int32_t n_aggs,
                             const exec_agg_spec *aggs, bool single_phase, exec_node **out,
                             qv_error *err)
{
    *out = NULL;
    if (child == NULL)
        return base_error_set(err, QV_MISUSE, "AggregateExec needs an input");
    agg_plan *plan = NULL;
    arrow_schema *schema = NULL;
    qv_status st =
        check_args(child->schema, n_keys, key_columns, n_grouping_sets, n_aggs, aggs, err);
    if (st == QV_OK && n_grouping_sets > 0 && grouping_sets == NULL)
        st = base_error_set(err, QV_MISUSE, "AggregateExec: grouping sets missing");
    if (st == QV_OK)
        st = build_plan(child->schema, n_keys, key_columns, key_names, n_grouping_sets,
                        grouping_sets, n_aggs, aggs, single_phase, &plan, err);
    if (st == QV_OK)
        st = build_schema(child->schema, plan, &schema, err);
    if (st != QV_OK) {
        free_plan(plan);
        exec_node_free(child);
        return st;
    }
    st = exec_node_new(&aggregate_ops, schema, 1, 1, &child, plan, out, err);
    arrow_schema_release(schema);
    if (st != QV_OK)
        free_plan(plan);
    return st;
}
