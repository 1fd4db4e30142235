/*
 * opt_test_util.c — fixtures for the optimizer's unit tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt_test_util.h"

static void fail_hard(const char *what, const qv_error *err)
{
    fprintf(stderr, "fixture: %s failed: %s\n", what, err ? err->message : "");
    abort();
}

static arrow_array *int_column(arrow_type_id id, int n, const int64_t *values, const bool *nulls)
{
    qv_error err;
    arrow_builder *b = NULL;
    arrow_array *a = NULL;
    if (arrow_builder_new(arrow_type_primitive(id), &b, &err) != QV_OK)
        fail_hard("builder", &err);
    for (int i = 0; i < n; i++) {
        qv_status st = nulls != NULL && nulls[i] ? arrow_builder_append_null(b, &err)
                                                 : arrow_builder_append_int(b, values[i], &err);
        if (st != QV_OK)
            fail_hard("append", &err);
    }
    if (arrow_builder_finish(b, &a, &err) != QV_OK)
        fail_hard("finish", &err);
    arrow_builder_free(b);
    return a;
}

static arrow_array *str_column(int n, const char *const *values)
{
    qv_error err;
    arrow_builder *b = NULL;
    arrow_array *a = NULL;
    if (arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &b, &err) != QV_OK)
        fail_hard("builder", &err);
    for (int i = 0; i < n; i++) {
        qv_status st =
            values[i] == NULL
                ? arrow_builder_append_null(b, &err)
                : arrow_builder_append_bytes(b, values[i], (int64_t)strlen(values[i]), &err);
        if (st != QV_OK)
            fail_hard("append", &err);
    }
    if (arrow_builder_finish(b, &a, &err) != QV_OK)
        fail_hard("finish", &err);
    arrow_builder_free(b);
    return a;
}

static arrow_schema *make_schema(int n, const char *const *names, const arrow_type_id *ids)
{
    qv_error err;
    arrow_field *fields[8];
    arrow_schema *schema = NULL;
    for (int i = 0; i < n; i++)
        if (arrow_field_new(names[i], arrow_type_primitive(ids[i]), true, NULL, &fields[i], &err) !=
            QV_OK)
            fail_hard("field", &err);
    if (arrow_schema_new(n, fields, NULL, &schema, &err) != QV_OK)
        fail_hard("schema", &err);
    for (int i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    return schema;
}

static void register_table(opt_fixture *fx, const char *name, arrow_schema *schema,
                           arrow_array **cols, int64_t n_rows, const catalog_table_ops *ops)
{
    qv_error err;
    arrow_batch *batch = NULL;
    catalog_table *table = NULL;
    if (arrow_batch_new(schema, n_rows, cols, &batch, &err) != QV_OK)
        fail_hard("batch", &err);
    if (catalog_memory_table_new(schema, &batch, 1, &table, &err) != QV_OK)
        fail_hard("memory table", &err);
    if (ops != NULL)
        table->ops = ops;
    if (catalog_register_table(fx->catalog, "datafusion", "public", name, table, false, &err) !=
        QV_OK)
        fail_hard("register", &err);
    catalog_table_release(table);
    arrow_batch_release(batch);
    for (int i = 0; i < schema->n_fields; i++)
        arrow_array_release(cols[i]);
    arrow_schema_release(schema);
}

/* ---- a provider that takes some filters ---- */

static catalog_table_ops filter_ops;

static catalog_filter_support filter_support(catalog_table *table, const catalog_predicate *pred)
{
    (void)table;
    if (pred->column != 0)
        return CATALOG_FILTER_UNSUPPORTED;
    if (pred->op == CATALOG_PRED_EQ || pred->op == CATALOG_PRED_IN)
        return CATALOG_FILTER_EXACT;
    if (pred->op == CATALOG_PRED_LT || pred->op == CATALOG_PRED_GT)
        return CATALOG_FILTER_INEXACT;
    return CATALOG_FILTER_UNSUPPORTED;
}

void fx_init(opt_fixture *fx)
{
    qv_error err;
    memset(fx, 0, sizeof *fx);
    if (func_registry_new(&fx->registry, &err) != QV_OK ||
        func_registry_builtin(fx->registry, &err) != QV_OK)
        fail_hard("registry", &err);
    if (catalog_new(NULL, "datafusion", "public", &fx->catalog, &err) != QV_OK)
        fail_hard("catalog", &err);
    if (base_mem_pool_new(0, &fx->mem, &err) != QV_OK)
        fail_hard("memory pool", &err);

    static const char *const names[] = {"a", "b", "c"};
    static const arrow_type_id ids[] = {QV_TYPE_INT32, QV_TYPE_INT64, QV_TYPE_UTF8};
    {
        static const int64_t a[] = {1, 2, 3, 0, 5, 2};
        static const bool a_null[] = {false, false, false, true, false, false};
        static const int64_t b[] = {10, 20, 30, 40, 0, 20};
        static const char *const c[] = {"x", "y", NULL, "x", "z", "y"};
        arrow_array *cols[3] = {int_column(QV_TYPE_INT32, 6, a, a_null),
                                int_column(QV_TYPE_INT64, 6, b, NULL), str_column(6, c)};
        register_table(fx, "t", make_schema(3, names, ids), cols, 6, NULL);
    }
    {
        static const int64_t a[] = {7, 1, 9};
        static const int64_t b[] = {70, 10, 90};
        static const char *const c[] = {"p", "x", "q"};
        arrow_array *cols[3] = {int_column(QV_TYPE_INT32, 3, a, NULL),
                                int_column(QV_TYPE_INT64, 3, b, NULL), str_column(3, c)};
        register_table(fx, "u", make_schema(3, names, ids), cols, 3, NULL);
    }
    {
        static const char *const fnames[] = {"x", "y"};
        static const arrow_type_id fids[] = {QV_TYPE_INT32, QV_TYPE_INT32};
        static const int64_t x[] = {1, 2, 3};
        static const int64_t y[] = {4, 5, 6};
        arrow_array *cols[2] = {int_column(QV_TYPE_INT32, 3, x, NULL),
                                int_column(QV_TYPE_INT32, 3, y, NULL)};
        /* The memory table's own vtable with supports_filter set. */
        catalog_table *probe = NULL;
        arrow_schema *schema = make_schema(2, fnames, fids);
        if (catalog_memory_table_new(schema, NULL, 0, &probe, &err) != QV_OK)
            fail_hard("memory table", &err);
        filter_ops = *probe->ops;
        filter_ops.supports_filter = filter_support;
        catalog_table_release(probe);
        register_table(fx, "f", schema, cols, 3, &filter_ops);
    }
    plan_options options = {.default_catalog = "datafusion",
                            .default_schema = "public",
                            .ident_normalization = true,
                            .information_schema = false,
                            .const_eval = exec_const_eval};
    if (plan_ctx_new(fx->catalog, fx->registry, &options, &fx->ctx, &err) != QV_OK)
        fail_hard("plan ctx", &err);
}

void fx_free(opt_fixture *fx)
{
    plan_ctx_free(fx->ctx);
    for (int i = 0; i < fx->n_parsed; i++)
        sql_parse_result_free(fx->parsed[i]);
    free(fx->parsed);
    catalog_free(fx->catalog);
    func_registry_free(fx->registry);
    base_mem_pool_free(fx->mem);
}

plan_node *fx_bind(opt_fixture *fx, const char *sql)
{
    qv_error err = {0};
    sql_parse_result *parsed = NULL;
    if (sql_parse(sql, strlen(sql), NULL, &parsed, &err) != QV_OK) {
        test_fail(__FILE__, __LINE__, "parse %s: %s", sql, err.message);
        return NULL;
    }
    fx->parsed = realloc(fx->parsed, (size_t)(fx->n_parsed + 1) * sizeof *fx->parsed);
    fx->parsed[fx->n_parsed++] = parsed;
    plan_node *root = NULL;
    if (plan_bind_query(fx->ctx, parsed->statements[0].node, &root, &err) != QV_OK) {
        test_fail(__FILE__, __LINE__, "bind %s: %s", sql, err.message);
        return NULL;
    }
    return root;
}

optimizer_options fx_no_rules(void)
{
    optimizer_options opts = {.max_passes = 3};
    return opts;
}

optimizer_options fx_only(const char *rule)
{
    optimizer_options opts = fx_no_rules();
    if (strcmp(rule, "all") == 0)
        optimizer_options_default(&opts);
    opts.simplify_expressions |= strcmp(rule, "simplify") == 0;
    opts.eliminate_redundant |= strcmp(rule, "eliminate") == 0;
    opts.push_down_filter |= strcmp(rule, "filter") == 0;
    opts.push_down_limit |= strcmp(rule, "limit") == 0;
    opts.push_down_projection |= strcmp(rule, "projection") == 0;
    opts.join_reordering |= strcmp(rule, "join_order") == 0;
    return opts;
}

const char *fx_plan(opt_fixture *fx, const char *sql, const optimizer_options *opts)
{
    return fx_explain(fx_optimize(fx, fx_bind(fx, sql), opts));
}

plan_node *fx_optimize(opt_fixture *fx, plan_node *root, const optimizer_options *opts)
{
    qv_error err = {0};
    plan_node *out = NULL;
    if (root == NULL)
        return NULL;
    if (optimizer_run(fx->ctx, root, opts, &out, &err) != QV_OK) {
        test_fail(__FILE__, __LINE__, "optimizer_run: %s", err.message);
        return NULL;
    }
    return out;
}

const char *fx_explain(const plan_node *root)
{
    static char text[8192];
    if (root == NULL)
        return "(no plan)";
    base_strbuf sb;
    base_strbuf_init(&sb);
    plan_format(root, &sb);
    snprintf(text, sizeof text, "%.*s", (int)sb.len, sb.data ? sb.data : "");
    base_strbuf_free(&sb);
    return text;
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *fx_run(opt_fixture *fx, const plan_node *root, bool sort, qv_error *err)
{
    exec_ctx ctx = {0};
    ctx.mem_pool = fx->mem;
    ctx.spill_dir = "/tmp";
    ctx.batch_size = 2; /* several batches per table */
    ctx.target_partitions = 1;
    ctx.call.random_state = 1;
    exec_plan_options options = {.batch_size = ctx.batch_size,
                                 .target_partitions = ctx.target_partitions,
                                 .call = &ctx.call};
    exec_node *node = NULL;
    qv_status st = exec_plan_create(root, &options, &node, err);
    arrow_batch **batches = NULL;
    int64_t n_batches = 0;
    if (st == QV_OK)
        st = exec_collect_partition(node, &ctx, 0, &batches, &n_batches, err);
    char **lines = NULL;
    int64_t n_lines = 0;
    base_strbuf row;
    base_strbuf_init(&row);
    for (int64_t i = 0; i < n_batches && st == QV_OK; i++) {
        arrow_batch *batch = batches[i];
        lines = realloc(lines, (size_t)(n_lines + batch->n_rows + 1) * sizeof *lines);
        for (int64_t r = 0; r < batch->n_rows; r++) {
            base_strbuf_clear(&row);
            for (int32_t c = 0; c < batch->schema->n_fields; c++) {
                if (c > 0)
                    base_strbuf_append_char(&row, '|');
                arrow_format_value(batch->columns[c], r, &row, NULL);
            }
            char *line = malloc(row.len + 1);
            memcpy(line, row.data ? row.data : "", row.len);
            line[row.len] = '\0';
            lines[n_lines++] = line;
        }
    }
    base_strbuf_free(&row);
    exec_batches_free(batches, n_batches);
    exec_node_free(node);
    char *text = NULL;
    if (st == QV_OK) {
        if (sort && n_lines > 1)
            qsort(lines, (size_t)n_lines, sizeof *lines, compare_lines);
        size_t len = 1;
        for (int64_t i = 0; i < n_lines; i++)
            len += strlen(lines[i]) + 1;
        text = base_alloc(len);
        text[0] = '\0';
        for (int64_t i = 0; i < n_lines; i++) {
            strcat(text, lines[i]);
            strcat(text, "\n");
        }
    }
    for (int64_t i = 0; i < n_lines; i++)
        free(lines[i]);
    free(lines);
    return text;
}

static bool same_schema(const plan_schema *a, const plan_schema *b)
{
    if (a->n_columns != b->n_columns)
        return false;
    for (int32_t i = 0; i < a->n_columns; i++) {
        const plan_column *x = &a->columns[i], *y = &b->columns[i];
        if (strcmp(x->name, y->name) != 0 || !arrow_type_equal(x->type, y->type) ||
            x->nullable != y->nullable)
            return false;
        if ((x->qualifier == NULL) != (y->qualifier == NULL) ||
            (x->qualifier != NULL && strcmp(x->qualifier, y->qualifier) != 0))
            return false;
    }
    return true;
}

bool fx_same_results(opt_fixture *fx, const char *sql, const optimizer_options *opts)
{
    plan_node *plain = fx_bind(fx, sql);
    if (plain == NULL)
        return false;
    optimizer_options defaults;
    optimizer_options_default(&defaults);
    plan_node *optimized = fx_optimize(fx, plain, opts ? opts : &defaults);
    if (optimized == NULL)
        return false;
    if (!same_schema(&plain->schema, &optimized->schema)) {
        test_fail(__FILE__, __LINE__, "%s: output schema changed", sql);
        return false;
    }
    /* ORDER BY queries compare in order; others as sorted row sets. */
    bool ordered = strstr(sql, "ORDER BY") != NULL;
    qv_error e1 = {0}, e2 = {0};
    char *r1 = fx_run(fx, plain, !ordered, &e1);
    char *r2 = fx_run(fx, optimized, !ordered, &e2);
    bool ok = true;
    if (r1 == NULL || r2 == NULL) {
        if (r1 != NULL || r2 != NULL || e1.code != e2.code) {
            test_fail(__FILE__, __LINE__, "%s: plain %s (%s), optimized %s (%s)\n%s", sql,
                      r1 ? "ran" : "failed", e1.message, r2 ? "ran" : "failed", e2.message,
                      fx_explain(optimized));
            ok = false;
        }
    } else if (strcmp(r1, r2) != 0) {
        test_fail(__FILE__, __LINE__, "%s: results differ\nplain:\n%soptimized:\n%s\n%s", sql, r1,
                  r2, fx_explain(optimized));
        ok = false;
    }
    base_free(r1);
    base_free(r2);
    return ok;
}
