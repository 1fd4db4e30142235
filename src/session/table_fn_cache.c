/*
 * table_fn_cache.c — list_files_cache() and statistics_cache() (layer:
 * session): datafusion-cli's introspection of the runtime's caches
 * (file_cache.h), with its columns and types, as a snapshot taken when the
 * query is planned. Paths are shown as object-store paths (no leading
 * '/'); local files have no e_tag or version.
 */
#include <stdio.h>
#include <string.h>

#include "session/table_fn_int.h"

typedef struct column_spec {
    const char *name;
    const char *type; /* arrow_type_parse spelling; NULL: built by the caller */
    bool nullable;
} column_spec;

/* A schema of specs; types[i] (may be NULL) overrides the spelled type. */
static qv_status make_schema(const column_spec *specs, int32_t n, arrow_type *const *types,
                             arrow_schema **out, qv_error *err)
{
    arrow_field *fields[16] = {NULL};
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++) {
        arrow_type *type = types != NULL && types[i] != NULL ? arrow_type_retain(types[i]) : NULL;
        if (type == NULL)
            st = arrow_type_parse(specs[i].type, &type, err);
        if (st == QV_OK)
            st = arrow_field_new(specs[i].name, type, specs[i].nullable, NULL, &fields[i], err);
        arrow_type_release(type);
    }
    if (st == QV_OK)
        st = arrow_schema_new(n, fields, NULL, out, err);
    for (int32_t i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    return st;
}

/* Builders for every column of schema, and the table they make. */
typedef struct table_builder {
    arrow_schema *schema;
    arrow_builder *columns[16];
} table_builder;

static qv_status builder_init(table_builder *tb, arrow_schema *schema, qv_error *err)
{
    memset(tb, 0, sizeof *tb);
    tb->schema = schema;
    for (int32_t i = 0; i < schema->n_fields; i++)
        QV_TRY(arrow_builder_new(schema->fields[i]->type, &tb->columns[i], err));
    return QV_OK;
}

static void builder_clear(table_builder *tb)
{
    for (int32_t i = 0; i < 16; i++)
        arrow_builder_free(tb->columns[i]);
    arrow_schema_release(tb->schema);
}

static qv_status builder_table(table_builder *tb, catalog_table **out, qv_error *err)
{
    arrow_array *arrays[16] = {NULL};
    int32_t n = tb->schema->n_fields;
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++)
        st = arrow_builder_finish(tb->columns[i], &arrays[i], err);
    arrow_batch *batch = NULL;
    if (st == QV_OK)
        st = arrow_batch_new(tb->schema, arrays[0]->length, arrays, &batch, err);
    if (st == QV_OK)
        st = catalog_memory_table_new(tb->schema, &batch, 1, out, err);
    arrow_batch_release(batch);
    for (int32_t i = 0; i < n; i++)
        arrow_array_release(arrays[i]);
    return st;
}

static qv_status append_text(arrow_builder *b, const char *text, qv_error *err)
{
    return arrow_builder_append_bytes(b, text, (int64_t)strlen(text), err);
}

/* An absolute local path as an object-store path. */
static const char *store_path(const char *path)
{
    return path[0] == '/' ? path + 1 : path;
}

static qv_status no_arguments(const char *name, int32_t n_args, qv_error *err)
{
    if (n_args == 0)
        return QV_OK;
    return base_error_set(err, QV_PLAN, "Error during planning: %s should have no arguments", name);
}

/* ---- list_files_cache() ---- */

static const column_spec file_columns[] = {
    {"file_path", "Utf8", false},
    {"file_modified", "Timestamp(ms)", false},
    {"file_size_bytes", "UInt64", false},
    {"e_tag", "Utf8", true},
    {"version", "Utf8", true},
};

static const column_spec list_columns[] = {
    {"table", "Utf8", false},
    {"path", "Utf8", false},
    {"metadata_size_bytes", "UInt64", false},
    {"expires_in", "Duration(ms)", true},
    {"metadata_list", NULL, true},
};

/* List(Struct(file columns)) whose item field is "metadata". */
static qv_status metadata_list_type(arrow_type **out, qv_error *err)
{
    arrow_schema *files = NULL;
    QV_TRY(make_schema(file_columns, 5, NULL, &files, err));
    arrow_type *row = NULL;
    arrow_field *item = NULL;
    qv_status st = arrow_type_struct(files->n_fields, files->fields, &row, err);
    if (st == QV_OK)
        st = arrow_field_new("metadata", row, true, NULL, &item, err);
    if (st == QV_OK)
        st = arrow_type_list(QV_TYPE_LIST, item, out, err);
    arrow_field_release(item);
    arrow_type_release(row);
    arrow_schema_release(files);
    return st;
}

static qv_status add_list_entry(void *user, const catalog_list_entry_info *entry, qv_error *err)
{
    arrow_builder **c = ((table_builder *)user)->columns;
    QV_TRY(append_text(c[0], entry->table != NULL ? entry->table : "NULL", err));
    QV_TRY(append_text(c[1], store_path(entry->root), err));
    QV_TRY(arrow_builder_append_uint(c[2], (uint64_t)entry->size_bytes, err));
    if (entry->expires_in_ns >= 0)
        QV_TRY(arrow_builder_append_int(c[3], entry->expires_in_ns / 1000000, err));
    else
        QV_TRY(arrow_builder_append_null(c[3], err));
    arrow_builder *row = arrow_builder_child(c[4], 0);
    for (int32_t i = 0; i < entry->files->n; i++) {
        const io_file_entry *f = &entry->files->entries[i];
        QV_TRY(append_text(arrow_builder_child(row, 0), store_path(f->path), err));
        QV_TRY(arrow_builder_append_int(arrow_builder_child(row, 1), f->mtime_ns / 1000000, err));
        QV_TRY(arrow_builder_append_uint(arrow_builder_child(row, 2), (uint64_t)f->size, err));
        QV_TRY(arrow_builder_append_null(arrow_builder_child(row, 3), err));
        QV_TRY(arrow_builder_append_null(arrow_builder_child(row, 4), err));
        QV_TRY(arrow_builder_append_struct(row, true, err));
    }
    return arrow_builder_end_list(c[4], true, err);
}

qv_status session_list_files_cache(qv_session *session, int32_t n_args, arrow_array *const *args,
                                   catalog_table **out, qv_error *err)
{
    (void)args;
    *out = NULL;
    QV_TRY(no_arguments("list_files_cache", n_args, err));
    arrow_type *list_type = NULL;
    QV_TRY(metadata_list_type(&list_type, err));
    arrow_type *types[5] = {NULL, NULL, NULL, NULL, list_type};
    arrow_schema *schema = NULL;
    qv_status st = make_schema(list_columns, 5, types, &schema, err);
    arrow_type_release(list_type);
    QV_TRY(st);
    table_builder tb;
    st = builder_init(&tb, schema, err);
    if (st == QV_OK)
        st = catalog_file_cache_visit_lists(session->profile->runtime->file_cache, add_list_entry,
                                            &tb, err);
    if (st == QV_OK)
        st = builder_table(&tb, out, err);
    builder_clear(&tb);
    return st;
}

/* ---- statistics_cache() ---- */

static const column_spec stats_columns[] = {
    {"path", "Utf8", false},
    {"file_modified", "Timestamp(ms)", false},
    {"file_size_bytes", "UInt64", false},
    {"e_tag", "Utf8", true},
    {"version", "Utf8", true},
    {"num_rows", "Utf8", false},
    {"num_columns", "UInt64", false},
    {"table_size_bytes", "Utf8", false},
    {"statistics_size_bytes", "UInt64", false},
};

/* DataFusion's Precision display: Exact(n), or Absent. */
static qv_status append_precision(arrow_builder *b, int64_t value, qv_error *err)
{
    char text[32];
    if (value < 0)
        return append_text(b, "Absent", err);
    snprintf(text, sizeof text, "Exact(%lld)", (long long)value);
    return append_text(b, text, err);
}

static qv_status add_stats_entry(void *user, const catalog_stats_entry_info *entry, qv_error *err)
{
    arrow_builder **c = ((table_builder *)user)->columns;
    QV_TRY(append_text(c[0], store_path(entry->path), err));
    QV_TRY(arrow_builder_append_int(c[1], entry->mtime_ns / 1000000, err));
    QV_TRY(arrow_builder_append_uint(c[2], (uint64_t)entry->size, err));
    QV_TRY(arrow_builder_append_null(c[3], err));
    QV_TRY(arrow_builder_append_null(c[4], err));
    QV_TRY(append_precision(c[5], entry->stats.num_rows, err));
    QV_TRY(arrow_builder_append_uint(c[6], (uint64_t)entry->stats.num_columns, err));
    QV_TRY(append_precision(c[7], entry->stats.table_size_bytes, err));
    return arrow_builder_append_uint(c[8], (uint64_t)entry->size_bytes, err);
}

qv_status session_statistics_cache(qv_session *session, int32_t n_args, arrow_array *const *args,
                                   catalog_table **out, qv_error *err)
{
    (void)args;
    *out = NULL;
    QV_TRY(no_arguments("statistics_cache", n_args, err));
    arrow_schema *schema = NULL;
    QV_TRY(make_schema(stats_columns, 9, NULL, &schema, err));
    table_builder tb;
    qv_status st = builder_init(&tb, schema, err);
    if (st == QV_OK)
        st = catalog_file_cache_visit_stats(session->profile->runtime->file_cache, add_stats_entry,
                                            &tb, err);
    if (st == QV_OK)
        st = builder_table(&tb, out, err);
    builder_clear(&tb);
    return st;
}
