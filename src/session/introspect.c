/*
 * introspect.c — the session's side of information_schema (layer:
 * session): the resolver the session's catalog asks for names in the
 * information_schema schema while datafusion.catalog.information_schema is
 * on, and the sources the tables are made of: the session's settings, the
 * runtime's functions described from their signatures, and the columns of
 * views (found by binding them).
 */
#include <string.h>

#include "session/session_int.h"

static qv_status visit_settings(void *user, catalog_setting_fn fn, void *fn_user, qv_error *err)
{
    qv_session *session = user;
    return config_visit(session->config, fn, fn_user, err);
}

static const char *function_type(func_kind kind)
{
    switch (kind) {
    case FUNC_SCALAR:
        return "SCALAR";
    case FUNC_AGGREGATE:
        return "AGGREGATE";
    case FUNC_WINDOW:
        return "WINDOW";
    case FUNC_TABLE:
        return "TABLE";
    }
    return "SCALAR";
}

/* DataFusion's documented syntax is name(arguments...); ours is made from
 * the parameter names (NULL when an entry that takes arguments has none). */
static char *syntax_example(const func_entry *entry)
{
    if (entry->param_names == NULL && entry->signature.kind != FUNC_SIG_NULLARY)
        return NULL;
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_appendf(&sb, "%s(", entry->name);
    for (int32_t i = 0; entry->param_names != NULL && entry->param_names[i] != NULL; i++)
        base_strbuf_appendf(&sb, "%s%s", i > 0 ? ", " : "", entry->param_names[i]);
    base_strbuf_append_char(&sb, ')');
    return base_strbuf_take(&sb);
}

/* Calls fn for the entry under its name and under each alias, as
 * DataFusion's function maps list aliases as functions of their own. */
static qv_status visit_entry(const func_entry *entry, catalog_routine_fn fn, void *fn_user,
                             qv_error *err)
{
    func_description description;
    QV_TRY(func_describe(entry, &description, err));
    catalog_routine_variant *variants =
        base_calloc((size_t)(description.n_variants + 1), sizeof *variants);
    char *syntax = syntax_example(entry);
    qv_status st = variants != NULL ? QV_OK : base_error_nomem(err, "information_schema");
    for (int32_t v = 0; v < description.n_variants && st == QV_OK; v++)
        variants[v] = (catalog_routine_variant){
            description.variants[v].n_args,
            (const char *const *)description.variants[v].arg_types,
            description.variants[v].return_type,
        };
    catalog_routine routine = {
        .name = entry->name,
        .function_type = function_type(entry->kind),
        .is_deterministic = entry->volatility == FUNC_IMMUTABLE,
        .is_variadic = entry->signature.kind == FUNC_SIG_VARIADIC ||
                       entry->signature.kind == FUNC_SIG_VARIADIC_ANY,
        .description = entry->description,
        .syntax_example = syntax,
        .param_names = entry->param_names,
        .n_variants = description.n_variants,
        .variants = variants,
    };
    if (st == QV_OK)
        st = fn(fn_user, &routine, err);
    for (const char *const *alias = entry->aliases; alias && *alias && st == QV_OK; alias++) {
        routine.name = *alias;
        st = fn(fn_user, &routine, err);
    }
    base_free(syntax);
    base_free(variants);
    func_description_clear(&description);
    return st;
}

static qv_status visit_routines(void *user, catalog_routine_fn fn, void *fn_user, qv_error *err)
{
    qv_session *session = user;
    const func_registry *registry = session->profile->runtime->registry;
    for (int32_t i = 0; i < func_registry_count(registry); i++)
        QV_TRY(visit_entry(func_registry_at(registry, i), fn, fn_user, err));
    return QV_OK;
}

static qv_status view_schema(void *user, const catalog_entry *view, arrow_schema **out,
                             qv_error *err)
{
    qv_session *session = user;
    *out = NULL;
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    sql_parse_result *parsed = NULL;
    qv_status st = sql_parse(view->view_sql, strlen(view->view_sql), NULL, &parsed, err);
    plan_node *root = NULL;
    if (st == QV_OK && parsed->n_statements != 1)
        st = base_error_set(err, QV_PLAN, "Error during planning: invalid view definition");
    if (st == QV_OK)
        st = plan_bind_query(pctx, parsed->statements[0].node, &root, err);
    if (st == QV_OK)
        st = plan_schema_to_arrow(&root->schema, out, err);
    sql_parse_result_free(parsed);
    plan_ctx_free(pctx);
    return st;
}

qv_status session_resolve_table(void *user, const char *catalog_name, const char *schema_name,
                                const char *name, catalog_table **out, qv_error *err)
{
    qv_session *session = user;
    *out = NULL;
    if (strcmp(schema_name, CATALOG_INFORMATION_SCHEMA) != 0 ||
        !config_get_bool(session->config, "datafusion.catalog.information_schema") ||
        !catalog_exists(session->catalog, catalog_name))
        return QV_NOT_FOUND;
    const char *default_catalog = NULL, *default_schema = NULL;
    config_get(session->config, "datafusion.catalog.default_catalog", &default_catalog, NULL);
    config_get(session->config, "datafusion.catalog.default_schema", &default_schema, NULL);
    catalog_info_source source = {
        .catalog = session->catalog,
        .default_catalog = default_catalog,
        .default_schema = default_schema,
        .user = session,
        .visit_settings = visit_settings,
        .visit_routines = visit_routines,
        .view_schema = view_schema,
    };
    return catalog_information_schema_table(&source, name, out, err);
}

qv_status session_visit_routines(qv_session *session, catalog_routine_fn fn, void *fn_user,
                                 qv_error *err)
{
    return visit_routines(session, fn, fn_user, err);
}
