/*
 * bind_unnest.c — binding unnest (layer: plan), as DataFusion plans it:
 * unnest(x) calls of the SELECT list bind to a marker expression
 * (plan_unnest_entry); the unnest stage then takes the bottom-most ones
 * apart into PLAN_UNNEST nodes (a chain unnest(unnest(x)) is one column
 * unnested at depth 2), level after level while markers remain, and
 * rewrites the expressions over the unnested columns. unnest of a struct
 * at the root of a SELECT item becomes one get_field column per field.
 * `FROM unnest(a, b...)` is the same stage over one empty row.
 */
#include <string.h>

#include "plan/bind_from.h"

static qv_status nomem(qv_error *err)
{
    return base_error_nomem(err, "unnest");
}

/* ---- the marker ---- */

static qv_status unnest_return_type(int n_args, arrow_type *const *types, arrow_type **out,
                                    qv_error *err)
{
    (void)n_args;
    (void)types;
    *out = NULL;
    return base_error_set(err, QV_ERROR, "unnest() has no return type of its own");
}

static qv_status unnest_invoke(func_call_ctx *ctx, int n_args, const func_datum *args,
                               int64_t n_rows, arrow_type *return_type, func_datum *out,
                               qv_error *err)
{
    (void)ctx;
    (void)n_args;
    (void)args;
    (void)n_rows;
    (void)return_type;
    out->array = NULL;
    return base_error_set(err, QV_NOT_IMPLEMENTED,
                          "This feature is not implemented: Unnest should be rewritten to "
                          "LogicalPlan::Unnest before type coercion");
}

/* Volatile so that constant folding never evaluates it. */
const func_entry plan_unnest_entry = {
    "unnest",      NULL,
    FUNC_SCALAR,   {FUNC_SIG_VARIADIC_ANY, 0, 0, NULL, 0, NULL},
    FUNC_VOLATILE, "Expands an array or map into rows.",
    NULL,          .impl.scalar = {unnest_return_type, unnest_invoke, NULL, NULL}};

static bool is_marker(const plan_expr *e)
{
    return e != NULL && e->kind == PLAN_EXPR_FUNCTION && e->func == &plan_unnest_entry;
}

static bool is_list_id(arrow_type_id id)
{
    return id == QV_TYPE_LIST || id == QV_TYPE_LARGE_LIST || id == QV_TYPE_FIXED_SIZE_LIST;
}

qv_status bind_unnest_call(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    const sql_node *list = sql_kid(node, 1);
    if (list == NULL || list->n_kids != 1)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: unnest() requires exactly one argument");
    if (env->in_aggregate)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "type_coercion\ncaused by\nThis feature is not implemented: Unnest "
                          "should be rewritten to LogicalPlan::Unnest before type coercion");
    plan_expr *arg = NULL;
    QV_TRY(bind_expr(env, list->kids[0], &arg, err));
    arrow_type *type = arg->type;
    if (type->id == QV_TYPE_NULL)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: unnest() does not support null yet");
    if (is_list_id(type->id))
        type = type->children[0]->type;
    else if (type->id != QV_TYPE_STRUCT)
        return bind_error(err, QV_PLAN, node,
                          "Error during planning: unnest() can only be applied to array, struct "
                          "and null");
    *out = plan_expr_new(env->ctx, PLAN_EXPR_FUNCTION, 0, type, true, 1, &arg);
    if (*out == NULL)
        return nomem(err);
    (*out)->func = &plan_unnest_entry;
    return QV_OK;
}

bool bind_unnest_is_struct(const plan_expr *e)
{
    return is_marker(e) && e->args[0]->type->id == QV_TYPE_STRUCT;
}

qv_status bind_unnest_struct_fields(bind_env *env, const plan_expr *e, int32_t *n,
                                    plan_expr ***fields, const char ***names, qv_error *err)
{
    plan_ctx *ctx = env->ctx;
    plan_expr *arg = e->args[0];
    int32_t count = arg->type->n_children;
    *n = count;
    *fields = plan_alloc(ctx, (size_t)(count > 0 ? count : 1) * sizeof **fields);
    *names = plan_alloc(ctx, (size_t)(count > 0 ? count : 1) * sizeof **names);
    const char *base = plan_expr_name(ctx, arg, env->schema);
    if (*fields == NULL || *names == NULL || base == NULL)
        return nomem(err);
    for (int32_t f = 0; f < count; f++) {
        const char *field = arg->type->children[f]->name;
        plan_expr *args[2] = {arg, bind_literal_string(ctx, field, strlen(field))};
        if (args[1] == NULL)
            return nomem(err);
        QV_TRY(bind_call_named(env, "get_field", NULL, 2, args, &(*fields)[f], err));
        size_t len = strlen(base) + strlen(field) + 2;
        char *name = plan_alloc(ctx, len);
        if (name == NULL)
            return nomem(err);
        snprintf(name, len, "%s.%s", base, field);
        (*names)[f] = name;
    }
    return QV_OK;
}

/* ---- the stage ---- */

/* One column to unnest: a base expression over the stage's input and how
 * many list levels to take apart. */
typedef struct spec {
    int32_t base; /* index into the stage's bases */
    int32_t depth;
} spec;

typedef struct stage {
    plan_ctx *ctx;
    int32_t n_bases, cap_bases;
    plan_expr **bases;
    int32_t n_specs, cap_specs;
    spec *specs;
    int32_t *spec_output; /* output column of each spec, once the node exists */
    /* Input columns passed through the node: keep[i] is where input
     * column i goes (-1: dropped); identity when nothing is dropped. */
    int32_t *keep;
    int32_t n_keep;
    bool identity;
} stage;

static bool contains_marker(const plan_expr *e)
{
    if (e == NULL)
        return false;
    if (is_marker(e))
        return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (contains_marker(e->args[i]))
            return true;
    return false;
}

bool bind_unnest_in_any(int32_t n, plan_expr *const *exprs)
{
    for (int32_t i = 0; i < n; i++)
        if (contains_marker(exprs[i]))
            return true;
    return false;
}

/* The chain unnest(unnest(...(base))): its base and depth. */
static const plan_expr *chain_base(const plan_expr *e, int32_t *depth)
{
    *depth = 0;
    while (is_marker(e)) {
        (*depth)++;
        e = e->args[0];
    }
    return e;
}

static bool grow(stage *s, void **items, int32_t *cap, int32_t n, size_t size)
{
    if (n < *cap)
        return true;
    int32_t next = *cap ? *cap * 2 : 8;
    void *p = plan_alloc(s->ctx, (size_t)next * size);
    if (p == NULL)
        return false;
    if (n > 0)
        memcpy(p, *items, (size_t)n * size);
    *items = p;
    *cap = next;
    return true;
}

/* The spec index of (base, depth), added when new; -1 when memory runs out. */
static int32_t spec_of(stage *s, const plan_expr *base, int32_t depth)
{
    int32_t b = 0;
    while (b < s->n_bases && !plan_expr_equal(s->bases[b], base))
        b++;
    if (b == s->n_bases) {
        if (!grow(s, (void **)&s->bases, &s->cap_bases, s->n_bases, sizeof *s->bases))
            return -1;
        s->bases[s->n_bases++] = (plan_expr *)base;
    }
    for (int32_t k = 0; k < s->n_specs; k++)
        if (s->specs[k].base == b && s->specs[k].depth == depth)
            return k;
    if (!grow(s, (void **)&s->specs, &s->cap_specs, s->n_specs, sizeof *s->specs))
        return -1;
    s->specs[s->n_specs].base = b;
    s->specs[s->n_specs].depth = depth;
    return s->n_specs++;
}

/* Finds the bottom-most unnest chains of e (chains over marker-free
 * bases); a chain over a base that still holds markers waits for a later
 * level, its inner markers being found first. */
static qv_status collect(stage *s, const plan_expr *e, qv_error *err)
{
    if (e == NULL)
        return QV_OK;
    if (is_marker(e)) {
        int32_t depth;
        const plan_expr *base = chain_base(e, &depth);
        if (!contains_marker(base))
            return spec_of(s, base, depth) < 0 ? nomem(err) : QV_OK;
        return collect(s, base, err);
    }
    for (int32_t i = 0; i < e->n_args; i++)
        QV_TRY(collect(s, e->args[i], err));
    return QV_OK;
}

/* True when every node of e is a kind whose columns all show in its args
 * (no aggregate calls, windows or subqueries, which keep columns of their
 * own): then the stage can drop the input columns e does not read. */
static bool plain(const plan_expr *e)
{
    if (e == NULL)
        return true;
    switch (e->kind) {
    case PLAN_EXPR_AGGREGATE:
    case PLAN_EXPR_WINDOW:
    case PLAN_EXPR_SUBQUERY:
    case PLAN_EXPR_OUTER_COLUMN:
        return false;
    default:
        break;
    }
    for (int32_t i = 0; i < e->n_args; i++)
        if (!plain(e->args[i]))
            return false;
    return true;
}

/* Marks the input columns e reads outside the chains this level unnests
 * (those are computed below the node and replaced by its columns). */
static void mark_used(const plan_expr *e, bool *used)
{
    if (e == NULL)
        return;
    if (is_marker(e)) {
        int32_t depth;
        if (!contains_marker(chain_base(e, &depth)))
            return;
    }
    if (e->kind == PLAN_EXPR_COLUMN)
        used[e->column] = true;
    for (int32_t i = 0; i < e->n_args; i++)
        mark_used(e->args[i], used);
}

/* Fills s->keep: every input column, or only those the slots read when
 * all of them are plain. */
static qv_status choose_kept(stage *s, int32_t m, int32_t n, plan_expr ***slots, qv_error *err)
{
    s->keep = plan_alloc(s->ctx, (size_t)(m > 0 ? m : 1) * sizeof *s->keep);
    bool *used = plan_alloc(s->ctx, (size_t)(m > 0 ? m : 1) * sizeof *used);
    if (s->keep == NULL || used == NULL)
        return nomem(err);
    bool all_plain = true;
    for (int32_t i = 0; i < n && all_plain; i++)
        all_plain = plain(*slots[i]);
    for (int32_t i = 0; i < n && all_plain; i++)
        mark_used(*slots[i], used);
    s->n_keep = 0;
    for (int32_t c = 0; c < m; c++)
        s->keep[c] = !all_plain || used[c] ? s->n_keep++ : -1;
    s->identity = s->n_keep == m;
    return QV_OK;
}

/* e over the stage's input rewritten over the unnest node's output: the
 * collected chains become its columns, other columns move to where the
 * node passes them through. */
static qv_status rewrite(stage *s, const plan_node *unnest, plan_expr *e, plan_expr **out,
                         qv_error *err)
{
    *out = e;
    if (e == NULL || (s->identity && !contains_marker(e)))
        return QV_OK;
    if (e->kind == PLAN_EXPR_COLUMN) {
        *out = plan_expr_column(s->ctx, &unnest->schema, s->keep[e->column]);
        return *out ? QV_OK : nomem(err);
    }
    if (is_marker(e)) {
        int32_t depth;
        const plan_expr *base = chain_base(e, &depth);
        if (!contains_marker(base)) {
            int32_t k = spec_of(s, base, depth);
            if (k < 0)
                return nomem(err);
            *out = plan_expr_column(s->ctx, &unnest->schema, s->spec_output[k]);
            return *out ? QV_OK : nomem(err);
        }
    }
    plan_expr *copy = plan_alloc(s->ctx, sizeof *copy);
    plan_expr **args = plan_alloc(s->ctx, (size_t)(e->n_args > 0 ? e->n_args : 1) * sizeof *args);
    if (copy == NULL || args == NULL)
        return nomem(err);
    *copy = *e;
    for (int32_t i = 0; i < e->n_args; i++)
        QV_TRY(rewrite(s, unnest, e->args[i], &args[i], err));
    copy->args = args;
    *out = copy;
    return QV_OK;
}

/* The type a list of type t gives after depth levels, or NULL when t is
 * not that deep a list. */
static arrow_type *unnested_type(arrow_type *t, int32_t depth)
{
    for (int32_t d = 0; d < depth; d++) {
        if (!is_list_id(t->id))
            return NULL;
        t = t->children[0]->type;
    }
    return t;
}

/* "prefix(name[,depth=d])" in the ctx arena. */
static const char *placeholder_name(plan_ctx *ctx, const char *base, int32_t depth)
{
    size_t len = strlen(base) + 48;
    char *name = plan_alloc(ctx, len);
    if (name == NULL)
        return NULL;
    if (depth > 0)
        snprintf(name, len, "__unnest_placeholder(%s,depth=%d)", base, (int)depth);
    else
        snprintf(name, len, "__unnest_placeholder(%s)", base);
    return name;
}

/* The kept input columns + one column per base, then the unnest node
 * over it. */
static qv_status build_level(stage *s, plan_node *input, plan_node **out, qv_error *err)
{
    plan_ctx *ctx = s->ctx;
    int32_t m = s->n_keep;
    plan_node *proj = plan_node_new(ctx, PLAN_PROJECTION, 1, &input);
    if (proj == NULL || !plan_schema_init(ctx, &proj->schema, m + s->n_bases))
        return nomem(err);
    proj->n_exprs = m + s->n_bases;
    proj->exprs = plan_alloc(ctx, (size_t)proj->n_exprs * sizeof *proj->exprs);
    const char **base_names = plan_alloc(ctx, (size_t)(s->n_bases + 1) * sizeof *base_names);
    if (proj->exprs == NULL || base_names == NULL)
        return nomem(err);
    for (int32_t c = 0; c < input->schema.n_columns; c++) {
        int32_t i = s->keep[c];
        if (i < 0)
            continue;
        proj->exprs[i] = plan_expr_column(ctx, &input->schema, c);
        if (proj->exprs[i] == NULL)
            return nomem(err);
        proj->schema.columns[i] = input->schema.columns[c];
    }
    for (int32_t b = 0; b < s->n_bases; b++) {
        plan_expr *e = s->bases[b];
        base_names[b] = plan_expr_name(ctx, e, &input->schema);
        const char *name = base_names[b] ? placeholder_name(ctx, base_names[b], 0) : NULL;
        if (name == NULL)
            return nomem(err);
        proj->exprs[m + b] = e;
        plan_column *col = &proj->schema.columns[m + b];
        col->name = name;
        col->type = e->type;
        col->nullable = e->nullable;
    }
    plan_node *node = plan_node_new(ctx, PLAN_UNNEST, 1, &proj);
    s->spec_output = plan_alloc(ctx, (size_t)(s->n_specs + 1) * sizeof *s->spec_output);
    if (node == NULL || s->spec_output == NULL ||
        !plan_schema_init(ctx, &node->schema, m + s->n_specs))
        return nomem(err);
    node->n_unnest = s->n_specs;
    node->unnest = plan_alloc(ctx, (size_t)(s->n_specs + 1) * sizeof *node->unnest);
    if (node->unnest == NULL)
        return nomem(err);
    for (int32_t i = 0; i < m; i++)
        node->schema.columns[i] = proj->schema.columns[i];
    int32_t k = 0;
    for (int32_t b = 0; b < s->n_bases; b++) {
        for (int32_t j = 0; j < s->n_specs; j++) {
            if (s->specs[j].base != b)
                continue;
            int32_t depth = s->specs[j].depth;
            arrow_type *type = unnested_type(s->bases[b]->type, depth);
            if (type == NULL)
                return base_error_set(err, QV_PLAN,
                                      "Error during planning: unnest() can only be applied to "
                                      "array, struct and null");
            plan_column *col = &node->schema.columns[m + k];
            col->name = placeholder_name(ctx, base_names[b], depth);
            if (col->name == NULL)
                return nomem(err);
            col->type = type;
            col->nullable = true;
            node->unnest[k].column = m + b;
            node->unnest[k].depth = depth;
            s->spec_output[j] = m + k;
            k++;
        }
    }
    *out = node;
    return QV_OK;
}

static qv_status check_no_struct(stage *s, qv_error *err)
{
    for (int32_t k = 0; k < s->n_specs; k++) {
        const plan_expr *base = s->bases[s->specs[k].base];
        if (base->type->id == QV_TYPE_STRUCT && s->specs[k].depth == 1)
            return base_error_set(err, QV_ERROR,
                                  "Internal error: Assertion failed: struct_allowed: unnest on "
                                  "struct can only be applied at the root level of select "
                                  "expression");
    }
    return QV_OK;
}

qv_status bind_unnest_stage(plan_ctx *ctx, plan_node **input, int32_t n, plan_expr ***slots,
                            qv_error *err)
{
    for (;;) {
        bool any = false;
        for (int32_t i = 0; i < n && !any; i++)
            any = contains_marker(*slots[i]);
        if (!any)
            return QV_OK;
        stage s = {.ctx = ctx};
        for (int32_t i = 0; i < n; i++)
            QV_TRY(collect(&s, *slots[i], err));
        QV_TRY(check_no_struct(&s, err));
        QV_TRY(choose_kept(&s, (*input)->schema.n_columns, n, slots, err));
        plan_node *node = NULL;
        QV_TRY(build_level(&s, *input, &node, err));
        for (int32_t i = 0; i < n; i++)
            QV_TRY(rewrite(&s, node, *slots[i], slots[i], err));
        *input = node;
    }
}

void plan_unnest_format(const plan_node *node, base_strbuf *sb)
{
    const plan_schema *input = &node->inputs[0]->schema;
    base_strbuf_append_str(sb, "Unnest: lists[");
    for (int32_t k = 0; k < node->n_unnest; k++) {
        if (k > 0)
            base_strbuf_append_str(sb, ", ");
        base_strbuf_appendf(sb, "%s|depth=%d", input->columns[node->unnest[k].column].name,
                            (int)node->unnest[k].depth);
    }
    base_strbuf_append_str(sb, "] structs[]");
}

/* ---- FROM unnest(...) ---- */

bool bind_unnest_is_table(plan_ctx *ctx, const sql_node *item)
{
    if (item->kind != SQL_TABLE_FUNC || sql_kid(item, 0) == NULL)
        return false;
    const sql_node *name = sql_kid(item, 0);
    if (name->kind == SQL_NAME) {
        if (name->n_kids != 1)
            return false;
        name = name->kids[0];
    }
    const char *text = plan_ident(ctx, name);
    return text != NULL && strcmp(text, "unnest") == 0;
}

qv_status bind_unnest_table(plan_ctx *ctx, const sql_node *item, plan_node **out, qv_error *err)
{
    const sql_node *args = sql_kid(item, 1);
    int32_t n = args ? (int32_t)args->n_kids : 0;
    if (n == 0)
        return bind_error(err, QV_PLAN, item,
                          "Error during planning: unnest() requires at least one argument");
    plan_node *input = plan_node_new(ctx, PLAN_EMPTY, 0, NULL);
    if (input == NULL || !plan_schema_init(ctx, &input->schema, 0))
        return nomem(err);
    input->produce_one_row = true;
    bind_env env = {.ctx = ctx, .schema = &input->schema, .clause = "FROM"};
    /* Each argument as unnest(arg); struct arguments give their fields. */
    int32_t cap = 0, count = 0;
    plan_expr **exprs = NULL;
    const char **names = NULL;
    for (int32_t i = 0; i < n; i++) {
        const sql_node *call_args[1] = {args->kids[i]};
        sql_node one = {.kind = SQL_LIST, .n_kids = 1, .kids = (sql_node **)call_args};
        sql_node call = {.kind = SQL_FUNCTION, .pos = args->kids[i]->pos};
        sql_node *call_kids[2] = {NULL, &one};
        call.n_kids = 2;
        call.kids = call_kids;
        plan_expr *marker = NULL;
        QV_TRY(bind_unnest_call(&env, &call, &marker, err));
        int32_t k = 1;
        plan_expr **fields = &marker;
        const char **field_names = NULL;
        if (bind_unnest_is_struct(marker)) {
            QV_TRY(bind_unnest_struct_fields(&env, marker, &k, &fields, &field_names, err));
        }
        if (count + k > cap) {
            int32_t next = (count + k) * 2;
            plan_expr **e2 = plan_alloc(ctx, (size_t)next * sizeof *e2);
            const char **n2 = plan_alloc(ctx, (size_t)next * sizeof *n2);
            if (e2 == NULL || n2 == NULL)
                return nomem(err);
            if (count > 0) {
                memcpy(e2, exprs, (size_t)count * sizeof *e2);
                memcpy(n2, names, (size_t)count * sizeof *n2);
            }
            exprs = e2;
            names = n2;
            cap = next;
        }
        for (int32_t f = 0; f < k; f++) {
            exprs[count] = fields[f];
            names[count] =
                field_names ? field_names[f] : plan_expr_name(ctx, fields[f], &input->schema);
            if (names[count] == NULL)
                return nomem(err);
            count++;
        }
    }
    /* Scalar subqueries among the arguments join in first. */
    for (int32_t i = 0; i < count; i++)
        if (bind_has_subquery(exprs[i]))
            QV_TRY(bind_locate(err, bind_decorrelate_expr(ctx, &input, &exprs[i], err), item));
    plan_expr ***slots = plan_alloc(ctx, (size_t)(count > 0 ? count : 1) * sizeof *slots);
    if (slots == NULL)
        return nomem(err);
    for (int32_t i = 0; i < count; i++)
        slots[i] = &exprs[i];
    QV_TRY(bind_unnest_stage(ctx, &input, count, slots, err));
    plan_node *proj = plan_node_new(ctx, PLAN_PROJECTION, 1, &input);
    if (proj == NULL || !plan_schema_init(ctx, &proj->schema, count))
        return nomem(err);
    proj->n_exprs = count;
    proj->exprs = exprs;
    for (int32_t i = 0; i < count; i++) {
        plan_column *col = &proj->schema.columns[i];
        col->name = names[i];
        col->type = exprs[i]->type;
        col->nullable = exprs[i]->nullable;
    }
    const sql_node *alias = sql_kid(item, 2);
    if (alias == NULL) {
        *out = proj;
        return QV_OK;
    }
    const char *qualifier = plan_ident(ctx, sql_kid(alias, 0));
    if (qualifier == NULL)
        return nomem(err);
    return bind_alias_relation(ctx, proj, qualifier, sql_kid(alias, 1), item, out, err);
}
