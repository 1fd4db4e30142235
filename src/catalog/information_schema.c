/*
 * information_schema.c — DataFusion's information_schema (layer: catalog):
 * the seven tables (tables, views, columns, df_settings, schemata,
 * routines, parameters) with DataFusion's columns, types and rows. A table
 * is built when it is looked up, as an in-memory snapshot of the catalog's
 * entries and schemas and of the settings, functions and view columns the
 * session provides through catalog_info_source.
 */
#include <ctype.h>
#include <string.h>

#include "catalog/catalog.h"

/* ---- table definitions ---- */

typedef struct column_def {
    const char *name;
    arrow_type_id type;
    bool nullable;
} column_def;

#define MAX_COLUMNS 15

static const column_def tables_columns[] = {
    {"table_catalog", QV_TYPE_UTF8, false},
    {"table_schema", QV_TYPE_UTF8, false},
    {"table_name", QV_TYPE_UTF8, false},
    {"table_type", QV_TYPE_UTF8, false},
};

static const column_def views_columns[] = {
    {"table_catalog", QV_TYPE_UTF8, false},
    {"table_schema", QV_TYPE_UTF8, false},
    {"table_name", QV_TYPE_UTF8, false},
    {"definition", QV_TYPE_UTF8, true},
};

static const column_def columns_columns[] = {
    {"table_catalog", QV_TYPE_UTF8, false},
    {"table_schema", QV_TYPE_UTF8, false},
    {"table_name", QV_TYPE_UTF8, false},
    {"column_name", QV_TYPE_UTF8, false},
    {"ordinal_position", QV_TYPE_UINT64, false},
    {"column_default", QV_TYPE_UTF8, true},
    {"is_nullable", QV_TYPE_UTF8, false},
    {"data_type", QV_TYPE_UTF8, false},
    {"character_maximum_length", QV_TYPE_UINT64, true},
    {"character_octet_length", QV_TYPE_UINT64, true},
    {"numeric_precision", QV_TYPE_UINT64, true},
    {"numeric_precision_radix", QV_TYPE_UINT64, true},
    {"numeric_scale", QV_TYPE_UINT64, true},
    {"datetime_precision", QV_TYPE_UINT64, true},
    {"interval_type", QV_TYPE_UTF8, true},
};

static const column_def df_settings_columns[] = {
    {"name", QV_TYPE_UTF8, false},
    {"value", QV_TYPE_UTF8, true},
    {"description", QV_TYPE_UTF8, true},
};

static const column_def schemata_columns[] = {
    {"catalog_name", QV_TYPE_UTF8, false},
    {"schema_name", QV_TYPE_UTF8, false},
    {"schema_owner", QV_TYPE_UTF8, true},
    {"default_character_set_catalog", QV_TYPE_UTF8, true},
    {"default_character_set_schema", QV_TYPE_UTF8, true},
    {"default_character_set_name", QV_TYPE_UTF8, true},
    {"sql_path", QV_TYPE_UTF8, true},
};

static const column_def routines_columns[] = {
    {"specific_catalog", QV_TYPE_UTF8, false}, {"specific_schema", QV_TYPE_UTF8, false},
    {"specific_name", QV_TYPE_UTF8, false},    {"routine_catalog", QV_TYPE_UTF8, false},
    {"routine_schema", QV_TYPE_UTF8, false},   {"routine_name", QV_TYPE_UTF8, false},
    {"routine_type", QV_TYPE_UTF8, false},     {"is_deterministic", QV_TYPE_BOOLEAN, true},
    {"data_type", QV_TYPE_UTF8, true},         {"function_type", QV_TYPE_UTF8, true},
    {"description", QV_TYPE_UTF8, true},       {"syntax_example", QV_TYPE_UTF8, true},
};

static const column_def parameters_columns[] = {
    {"specific_catalog", QV_TYPE_UTF8, false},
    {"specific_schema", QV_TYPE_UTF8, false},
    {"specific_name", QV_TYPE_UTF8, false},
    {"ordinal_position", QV_TYPE_UINT64, false},
    {"parameter_mode", QV_TYPE_UTF8, false},
    {"parameter_name", QV_TYPE_UTF8, true},
    {"data_type", QV_TYPE_UTF8, false},
    {"parameter_default", QV_TYPE_UTF8, true},
    {"is_variadic", QV_TYPE_BOOLEAN, false},
    /* The routine id: which example signature of the function a row is of. */
    {"rid", QV_TYPE_UINT8, false},
};

typedef struct rows rows;
/* Each table's rows (below). */
static qv_status fill_tables(const catalog_info_source *source, rows *r, qv_error *err);
static qv_status fill_views(const catalog_info_source *source, rows *r, qv_error *err);
static qv_status fill_columns(const catalog_info_source *source, rows *r, qv_error *err);
static qv_status fill_df_settings(const catalog_info_source *source, rows *r, qv_error *err);
static qv_status fill_schemata(const catalog_info_source *source, rows *r, qv_error *err);
static qv_status fill_routines(const catalog_info_source *source, rows *r, qv_error *err);
static qv_status fill_parameters(const catalog_info_source *source, rows *r, qv_error *err);

/* In DataFusion's order. */
typedef struct table_def {
    const char *name;
    const column_def *columns;
    int32_t n_columns;
    qv_status (*fill)(const catalog_info_source *source, rows *r, qv_error *err);
} table_def;

#define TABLE_DEF(NAME, COLUMNS, FILL)                                                             \
    {                                                                                              \
        NAME, COLUMNS, (int32_t)(sizeof COLUMNS / sizeof COLUMNS[0]), FILL                         \
    }

static const table_def table_defs[] = {
    TABLE_DEF("tables", tables_columns, fill_tables),
    TABLE_DEF("views", views_columns, fill_views),
    TABLE_DEF("columns", columns_columns, fill_columns),
    TABLE_DEF("df_settings", df_settings_columns, fill_df_settings),
    TABLE_DEF("schemata", schemata_columns, fill_schemata),
    TABLE_DEF("routines", routines_columns, fill_routines),
    TABLE_DEF("parameters", parameters_columns, fill_parameters),
};
#define N_TABLES ((int32_t)(sizeof table_defs / sizeof table_defs[0]))

/* ---- rows under construction ---- */

struct rows {
    int32_t n_cols;
    arrow_builder *cols[MAX_COLUMNS];
    int32_t col; /* the next column of the current row */
    int64_t n_rows;
    qv_status st; /* sticky: the first failure */
    qv_error *err;
};

static void put_text(rows *r, const char *text)
{
    if (r->st == QV_OK)
        r->st = text != NULL ? arrow_builder_append_bytes(r->cols[r->col], text,
                                                          (int64_t)strlen(text), r->err)
                             : arrow_builder_append_null(r->cols[r->col], r->err);
    r->col++;
}

/* An unsigned integer, or NULL when !has. */
static void put_uint(rows *r, bool has, uint64_t value)
{
    if (r->st == QV_OK)
        r->st = has ? arrow_builder_append_uint(r->cols[r->col], value, r->err)
                    : arrow_builder_append_null(r->cols[r->col], r->err);
    r->col++;
}

static void put_bool(rows *r, bool value)
{
    if (r->st == QV_OK)
        r->st = arrow_builder_append_bool(r->cols[r->col], value, r->err);
    r->col++;
}

static void end_row(rows *r)
{
    QV_ASSERT(r->col == r->n_cols);
    r->col = 0;
    r->n_rows++;
}

/* ---- the catalog snapshot ---- */

typedef struct schema_ref {
    char *catalog_name;
    char *schema_name;
} schema_ref;

typedef struct snapshot {
    const catalog_info_source *source;
    catalog_entry *entries; /* owned copies, sorted by catalog, schema, name */
    int64_t n_entries, entries_cap;
    schema_ref *schemas; /* sorted */
    int32_t n_schemas, schemas_cap;
    char **catalogs; /* sorted */
    int32_t n_catalogs, catalogs_cap;
} snapshot;

static qv_status copy_entry(void *user, const catalog_entry *entry, qv_error *err)
{
    snapshot *snap = user;
    if (strcmp(entry->schema_name, CATALOG_INFORMATION_SCHEMA) == 0)
        return QV_OK;
    if (snap->n_entries == snap->entries_cap) {
        int64_t cap = snap->entries_cap == 0 ? 16 : snap->entries_cap * 2;
        catalog_entry *grown = base_realloc(snap->entries, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "information_schema");
        snap->entries = grown;
        snap->entries_cap = cap;
    }
    catalog_entry *copy = &snap->entries[snap->n_entries];
    memset(copy, 0, sizeof *copy);
    copy->kind = entry->kind;
    copy->temporary = entry->temporary;
    copy->catalog_name = base_strdup(entry->catalog_name);
    copy->schema_name = base_strdup(entry->schema_name);
    copy->table_name = base_strdup(entry->table_name);
    copy->view_sql = entry->view_sql ? base_strdup(entry->view_sql) : NULL;
    if (copy->catalog_name == NULL || copy->schema_name == NULL || copy->table_name == NULL ||
        (entry->view_sql != NULL && copy->view_sql == NULL)) {
        catalog_entry_clear(copy);
        return base_error_nomem(err, "information_schema");
    }
    copy->table = catalog_table_retain(entry->table);
    snap->n_entries++;
    return QV_OK;
}

static qv_status copy_schema(void *user, const char *catalog_name, const char *schema_name,
                             qv_error *err)
{
    snapshot *snap = user;
    if (strcmp(schema_name, CATALOG_INFORMATION_SCHEMA) == 0)
        return QV_OK;
    if (snap->n_schemas == snap->schemas_cap) {
        int32_t cap = snap->schemas_cap == 0 ? 8 : snap->schemas_cap * 2;
        schema_ref *grown = base_realloc(snap->schemas, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "information_schema");
        snap->schemas = grown;
        snap->schemas_cap = cap;
    }
    schema_ref *s = &snap->schemas[snap->n_schemas];
    s->catalog_name = base_strdup(catalog_name);
    s->schema_name = base_strdup(schema_name);
    if (s->catalog_name == NULL || s->schema_name == NULL) {
        base_free(s->catalog_name);
        base_free(s->schema_name);
        return base_error_nomem(err, "information_schema");
    }
    snap->n_schemas++;
    return QV_OK;
}

static qv_status copy_catalog(void *user, const char *catalog_name, qv_error *err)
{
    snapshot *snap = user;
    if (snap->n_catalogs == snap->catalogs_cap) {
        int32_t cap = snap->catalogs_cap == 0 ? 4 : snap->catalogs_cap * 2;
        char **grown = base_realloc(snap->catalogs, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "information_schema");
        snap->catalogs = grown;
        snap->catalogs_cap = cap;
    }
    snap->catalogs[snap->n_catalogs] = base_strdup(catalog_name);
    if (snap->catalogs[snap->n_catalogs] == NULL)
        return base_error_nomem(err, "information_schema");
    snap->n_catalogs++;
    return QV_OK;
}

static void snapshot_clear(snapshot *snap)
{
    for (int32_t i = 0; i < snap->n_catalogs; i++)
        base_free(snap->catalogs[i]);
    base_free(snap->catalogs);
    for (int64_t i = 0; i < snap->n_entries; i++)
        catalog_entry_clear(&snap->entries[i]);
    base_free(snap->entries);
    for (int32_t i = 0; i < snap->n_schemas; i++) {
        base_free(snap->schemas[i].catalog_name);
        base_free(snap->schemas[i].schema_name);
    }
    base_free(snap->schemas);
}

/* The entries and schemas are copied first, so that no catalog lock is held
 * while rows are made (the columns of views are found by binding them,
 * which looks names up again). */
static qv_status snapshot_take(const catalog_info_source *source, snapshot *snap, qv_error *err)
{
    memset(snap, 0, sizeof *snap);
    snap->source = source;
    qv_status st = catalog_visit(source->catalog, copy_entry, snap, err);
    if (st == QV_OK)
        st = catalog_visit_schemas(source->catalog, copy_schema, snap, err);
    if (st == QV_OK)
        st = catalog_visit_catalogs(source->catalog, copy_catalog, snap, err);
    if (st != QV_OK)
        snapshot_clear(snap);
    return st;
}

/* ---- the tables' rows ---- */

static void table_rows(const snapshot *snap, rows *r)
{
    int64_t e = 0;
    for (int32_t c = 0; c < snap->n_catalogs; c++) {
        const char *cat = snap->catalogs[c];
        for (; e < snap->n_entries && strcmp(snap->entries[e].catalog_name, cat) == 0; e++) {
            const catalog_entry *entry = &snap->entries[e];
            put_text(r, entry->catalog_name);
            put_text(r, entry->schema_name);
            put_text(r, entry->table_name);
            put_text(r, entry->kind == CATALOG_ENTRY_VIEW ? "VIEW" : "BASE TABLE");
            end_row(r);
        }
        /* After a catalog's tables come its information_schema tables. */
        for (int32_t t = 0; t < N_TABLES; t++) {
            put_text(r, cat);
            put_text(r, CATALOG_INFORMATION_SCHEMA);
            put_text(r, table_defs[t].name);
            put_text(r, "VIEW");
            end_row(r);
        }
    }
}

/* The CREATE VIEW statement of a view, its name qualified as far as it
 * differs from the defaults. */
static char *view_definition(const catalog_info_source *source, const catalog_entry *view)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "CREATE VIEW ");
    bool other_catalog = strcmp(view->catalog_name, source->default_catalog) != 0;
    if (other_catalog)
        base_strbuf_appendf(&sb, "%s.", view->catalog_name);
    if (other_catalog || strcmp(view->schema_name, source->default_schema) != 0)
        base_strbuf_appendf(&sb, "%s.", view->schema_name);
    base_strbuf_appendf(&sb, "%s AS %s", view->table_name, view->view_sql);
    return base_strbuf_take(&sb);
}

static void view_rows(const snapshot *snap, rows *r)
{
    for (int64_t e = 0; e < snap->n_entries && r->st == QV_OK; e++) {
        const catalog_entry *entry = &snap->entries[e];
        char *definition = NULL;
        if (entry->kind == CATALOG_ENTRY_VIEW)
            definition = view_definition(snap->source, entry);
        else if (entry->table->ops->definition != NULL)
            definition = entry->table->ops->definition(entry->table);
        put_text(r, entry->catalog_name);
        put_text(r, entry->schema_name);
        put_text(r, entry->table_name);
        put_text(r, definition);
        end_row(r);
        base_free(definition);
    }
}

static void put_column(rows *r, const catalog_entry *entry, int32_t position,
                       const arrow_field *field)
{
    put_text(r, entry->catalog_name);
    put_text(r, entry->schema_name);
    put_text(r, entry->table_name);
    put_text(r, field->name);
    put_uint(r, true, (uint64_t)position);
    put_text(r, NULL); /* column_default */
    put_text(r, field->nullable ? "YES" : "NO");
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(field->type, &sb);
    if (base_strbuf_failed(&sb) && r->st == QV_OK)
        r->st = base_error_nomem(r->err, "information_schema");
    put_text(r, base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    put_uint(r, false, 0); /* character_maximum_length: Arrow has no VARCHAR(n) */
    arrow_type_id id = field->type->id;
    bool has_octets = id == QV_TYPE_UTF8 || id == QV_TYPE_BINARY || id == QV_TYPE_LARGE_UTF8 ||
                      id == QV_TYPE_LARGE_BINARY;
    bool large = id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_LARGE_BINARY;
    put_uint(r, has_octets, large ? (uint64_t)INT64_MAX : (uint64_t)INT32_MAX);
    /* DataFusion's precisions (radix 2 for binary numbers; its Float64 says
     * 24 like Float32). */
    uint64_t precision = 0, radix = 2;
    bool has_scale = false;
    switch (id) {
    case QV_TYPE_INT8:
    case QV_TYPE_UINT8:
        precision = 8;
        break;
    case QV_TYPE_INT16:
    case QV_TYPE_UINT16:
        precision = 16;
        break;
    case QV_TYPE_INT32:
    case QV_TYPE_UINT32:
        precision = 32;
        break;
    case QV_TYPE_FLOAT16:
        precision = 15;
        break;
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
        precision = 24;
        break;
    case QV_TYPE_DECIMAL128:
        precision = (uint64_t)field->type->precision;
        radix = 10;
        has_scale = true;
        break;
    default:
        break;
    }
    put_uint(r, precision != 0, precision);
    put_uint(r, precision != 0, radix);
    put_uint(r, has_scale, (uint64_t)field->type->scale);
    put_uint(r, false, 0); /* datetime_precision */
    put_text(r, NULL);     /* interval_type */
    end_row(r);
}

/* Guards against a view over information_schema.columns asking for its
 * own columns while they are being listed. */
static _Thread_local int listing_columns;

static void column_rows(const snapshot *snap, rows *r)
{
    listing_columns++;
    for (int64_t e = 0; e < snap->n_entries && r->st == QV_OK; e++) {
        const catalog_entry *entry = &snap->entries[e];
        arrow_schema *schema = NULL;
        if (entry->kind == CATALOG_ENTRY_TABLE)
            schema = arrow_schema_retain(entry->table->schema);
        else if (listing_columns == 1 &&
                 snap->source->view_schema(snap->source->user, entry, &schema, NULL) != QV_OK)
            schema = NULL;
        for (int32_t i = 0; schema != NULL && i < schema->n_fields; i++)
            put_column(r, entry, i, schema->fields[i]);
        arrow_schema_release(schema);
    }
    listing_columns--;
}

static void schema_rows(const snapshot *snap, rows *r)
{
    for (int32_t s = 0; s < snap->n_schemas; s++) {
        put_text(r, snap->schemas[s].catalog_name);
        put_text(r, snap->schemas[s].schema_name);
        for (int32_t c = 2; c < r->n_cols; c++)
            put_text(r, NULL);
        end_row(r);
    }
}

static qv_status add_setting(void *user, const char *name, const char *value,
                             const char *description, qv_error *err)
{
    (void)err;
    rows *r = user;
    put_text(r, name);
    put_text(r, value);
    put_text(r, description);
    end_row(r);
    return r->st;
}

static void put_routine_names(rows *r, const catalog_info_source *source, const char *name)
{
    put_text(r, source->default_catalog);
    put_text(r, source->default_schema);
    put_text(r, name);
}

typedef struct routine_rows {
    rows *rows;
    const catalog_info_source *source;
} routine_rows;

static qv_status add_routine(void *user, const catalog_routine *routine, qv_error *err)
{
    (void)err;
    routine_rows *rr = user;
    rows *r = rr->rows;
    /* One row per distinct return type. */
    for (int32_t v = 0; v < routine->n_variants; v++) {
        const char *type = routine->variants[v].return_type;
        bool seen = false;
        for (int32_t w = 0; w < v && !seen; w++) {
            const char *other = routine->variants[w].return_type;
            seen = type == NULL ? other == NULL : other != NULL && strcmp(type, other) == 0;
        }
        if (seen)
            continue;
        put_routine_names(r, rr->source, routine->name);
        put_routine_names(r, rr->source, routine->name);
        put_text(r, "FUNCTION");
        put_bool(r, routine->is_deterministic);
        put_text(r, type);
        put_text(r, routine->function_type);
        put_text(r, routine->description);
        put_text(r, routine->syntax_example);
        end_row(r);
    }
    return r->st;
}

static qv_status add_parameters(void *user, const catalog_routine *routine, qv_error *err)
{
    (void)err;
    routine_rows *rr = user;
    rows *r = rr->rows;
    int32_t n_names = 0;
    while (routine->param_names != NULL && routine->param_names[n_names] != NULL)
        n_names++;
    for (int32_t v = 0; v < routine->n_variants && r->st == QV_OK; v++) {
        const catalog_routine_variant *variant = &routine->variants[v];
        for (int32_t a = 0; a < variant->n_args; a++) {
            put_routine_names(r, rr->source, routine->name);
            put_uint(r, true, (uint64_t)a + 1);
            put_text(r, "IN");
            put_text(r, a < n_names ? routine->param_names[a] : NULL);
            put_text(r, variant->arg_types[a]);
            put_text(r, NULL);
            put_bool(r, routine->is_variadic);
            put_uint(r, true, (uint64_t)v);
            end_row(r);
        }
        if (variant->return_type == NULL)
            continue;
        put_routine_names(r, rr->source, routine->name);
        put_uint(r, true, 1);
        put_text(r, "OUT");
        put_text(r, NULL);
        put_text(r, variant->return_type);
        put_text(r, NULL);
        put_bool(r, false);
        put_uint(r, true, (uint64_t)v);
        end_row(r);
    }
    return r->st;
}

/* ---- each table's fill ---- */

/* Runs make_rows over a snapshot of the catalog. */
static qv_status from_snapshot(const catalog_info_source *source, rows *r,
                               void (*make_rows)(const snapshot *snap, rows *r), qv_error *err)
{
    snapshot snap;
    QV_TRY(snapshot_take(source, &snap, err));
    make_rows(&snap, r);
    snapshot_clear(&snap);
    return r->st;
}

static qv_status fill_tables(const catalog_info_source *source, rows *r, qv_error *err)
{
    return from_snapshot(source, r, table_rows, err);
}

static qv_status fill_views(const catalog_info_source *source, rows *r, qv_error *err)
{
    return from_snapshot(source, r, view_rows, err);
}

static qv_status fill_columns(const catalog_info_source *source, rows *r, qv_error *err)
{
    return from_snapshot(source, r, column_rows, err);
}

static qv_status fill_schemata(const catalog_info_source *source, rows *r, qv_error *err)
{
    return from_snapshot(source, r, schema_rows, err);
}

static qv_status fill_df_settings(const catalog_info_source *source, rows *r, qv_error *err)
{
    return source->visit_settings(source->user, add_setting, r, err);
}

static qv_status fill_routines(const catalog_info_source *source, rows *r, qv_error *err)
{
    routine_rows rr = {r, source};
    return source->visit_routines(source->user, add_routine, &rr, err);
}

static qv_status fill_parameters(const catalog_info_source *source, rows *r, qv_error *err)
{
    routine_rows rr = {r, source};
    return source->visit_routines(source->user, add_parameters, &rr, err);
}

/* ---- building a table ---- */

/* The rows in a memory table, behind a read-only provider (as DataFusion's
 * information_schema tables take no INSERT, UPDATE or DELETE). */
typedef struct info_table {
    catalog_table base;
    catalog_table *content;
} info_table;

static qv_status info_scan(catalog_table *table, const catalog_scan_args *args, catalog_scan **out,
                           qv_error *err)
{
    catalog_table *content = ((info_table *)table)->content;
    return content->ops->scan(content, args, out, err);
}

static void info_statistics(catalog_table *table, catalog_stats *out)
{
    catalog_table *content = ((info_table *)table)->content;
    content->ops->statistics(content, out);
}

static void info_free(catalog_table *table)
{
    catalog_table_release(((info_table *)table)->content);
    base_free(table);
}

static const catalog_table_ops info_table_ops = {
    .kind = "information_schema",
    .scan = info_scan,
    .statistics = info_statistics,
    .free = info_free,
};

static qv_status read_only(catalog_table *content, catalog_table **out, qv_error *err)
{
    info_table *t = base_calloc(1, sizeof *t);
    if (t == NULL) {
        catalog_table_release(content);
        return base_error_nomem(err, "information_schema");
    }
    catalog_table_init(&t->base, &info_table_ops, content->schema);
    t->content = content;
    *out = &t->base;
    return QV_OK;
}

static qv_status make_schema(const table_def *def, arrow_schema **out, qv_error *err)
{
    arrow_field *fields[MAX_COLUMNS] = {0};
    qv_status st = QV_OK;
    for (int32_t c = 0; c < def->n_columns && st == QV_OK; c++)
        st = arrow_field_new(def->columns[c].name, arrow_type_primitive(def->columns[c].type),
                             def->columns[c].nullable, NULL, &fields[c], err);
    if (st == QV_OK)
        st = arrow_schema_new(def->n_columns, fields, NULL, out, err);
    for (int32_t c = 0; c < def->n_columns; c++)
        arrow_field_release(fields[c]);
    return st;
}

static qv_status build(const table_def *def, const catalog_info_source *source, catalog_table **out,
                       qv_error *err)
{
    rows r = {.n_cols = def->n_columns, .err = err};
    arrow_schema *schema = NULL;
    arrow_array *arrays[MAX_COLUMNS] = {0};
    arrow_batch *batch = NULL;
    catalog_table *content = NULL;
    qv_status st = make_schema(def, &schema, err);
    for (int32_t c = 0; c < def->n_columns && st == QV_OK; c++)
        st = arrow_builder_new(schema->fields[c]->type, &r.cols[c], err);
    if (st == QV_OK)
        st = def->fill(source, &r, err);
    for (int32_t c = 0; c < def->n_columns && st == QV_OK; c++)
        st = arrow_builder_finish(r.cols[c], &arrays[c], err);
    if (st == QV_OK)
        st = arrow_batch_new(schema, r.n_rows, arrays, &batch, err);
    if (st == QV_OK)
        st = catalog_memory_table_new(schema, &batch, 1, &content, err);
    if (st == QV_OK)
        st = read_only(content, out, err);
    arrow_batch_release(batch);
    for (int32_t c = 0; c < def->n_columns; c++) {
        arrow_array_release(arrays[c]);
        arrow_builder_free(r.cols[c]);
    }
    arrow_schema_release(schema);
    return st;
}

qv_status catalog_information_schema_table(const catalog_info_source *source, const char *name,
                                           catalog_table **out, qv_error *err)
{
    *out = NULL;
    char lower[32];
    size_t len = strlen(name);
    if (len >= sizeof lower)
        return QV_NOT_FOUND;
    for (size_t i = 0; i <= len; i++)
        lower[i] = (char)tolower((unsigned char)name[i]);
    for (int32_t t = 0; t < N_TABLES; t++)
        if (strcmp(table_defs[t].name, lower) == 0)
            return build(&table_defs[t], source, out, err);
    return QV_NOT_FOUND;
}
