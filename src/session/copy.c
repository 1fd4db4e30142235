/*
 * copy.c — COPY (query) TO 'path' / COPY table TO 'path' (layer: session),
 * as DataFusion plans and runs it: the format from STORED AS or else the
 * target's extension, OPTIONS applied to the format (execution.* keys read
 * here), PARTITIONED BY columns of the source, then the query's batches
 * streamed into the file sink (one file when the target has an extension
 * and no trailing slash, a directory of files otherwise). The result is
 * DataFusion's one-row `count` of rows written.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "session/files_int.h"

/* The query COPY reads: the statement's query, or SELECT * FROM the table. */
static qv_status source_plan(plan_ctx *pctx, const sql_node *source, sql_parse_result **parsed,
                             plan_node **out, qv_error *err)
{
    if (source->kind != SQL_NAME && source->kind != SQL_IDENT)
        return plan_bind_query(pctx, source, out, err);
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "SELECT * FROM ");
    sql_unparse(source, &sb);
    if (base_strbuf_failed(&sb)) {
        base_strbuf_free(&sb);
        return base_error_nomem(err, "COPY");
    }
    qv_status st = sql_parse(sb.data, sb.len, NULL, parsed, err);
    base_strbuf_free(&sb);
    if (st == QV_OK)
        st = plan_bind_query(pctx, (*parsed)->statements[0].node, out, err);
    return st;
}

/* The target's extension (after the last '.' of its last segment), or
 * NULL. */
static const char *target_extension(const char *target)
{
    const char *name = strrchr(target, '/');
    name = name != NULL ? name + 1 : target;
    const char *dot = strrchr(name, '.');
    return dot != NULL && dot != name && dot[1] != '\0' ? dot + 1 : NULL;
}

static qv_status choose_format(const sql_node *stmt, const char *target,
                               catalog_file_format *format, qv_error *err)
{
    bool known = false;
    const sql_node *stored = sql_kid(stmt, 2);
    if (stored != NULL) {
        QV_TRY(session_file_format_from_name(stored->text, format, &known, err));
        if (known)
            return QV_OK;
    }
    /* an unknown STORED AS falls back to the extension, as DataFusion's does */
    const char *ext = target_extension(target);
    if (ext == NULL)
        return base_error_set(err, QV_PLAN,
                              "Invalid or Unsupported Configuration: Format not explicitly set and "
                              "unable to get file extension! Use STORED AS to define file "
                              "format.");
    QV_TRY(session_file_format_from_name(ext, format, &known, err));
    if (!known) {
        char lower[64];
        size_t n = 0;
        for (; ext[n] != '\0' && n + 1 < sizeof lower; n++)
            lower[n] = (char)tolower((unsigned char)ext[n]);
        lower[n] = '\0';
        return base_error_set(err, QV_PLAN,
                              "Error during planning: There is no registered file format with "
                              "ext %s",
                              lower);
    }
    return QV_OK;
}

/* execution.keep_partition_by_columns, from the options or the session. */
static qv_status keep_partition_columns(qv_session *session, const session_options *options,
                                        bool *out, qv_error *err)
{
    *out = config_get_bool(session->config, "datafusion.execution.keep_partition_by_columns");
    const char *v = session_options_get(options, "execution.keep_partition_by_columns");
    if (v == NULL)
        return QV_OK;
    if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0) {
        *out = strcasecmp(v, "true") == 0;
        return QV_OK;
    }
    return base_error_set(err, QV_PLAN,
                          "Invalid or Unsupported Configuration: provided value for "
                          "'execution.keep_partition_by_columns' was not recognized: \"%s\"",
                          v);
}

/* PARTITIONED BY names: columns of the source (normalised as identifiers). */
static qv_status partition_columns(plan_ctx *pctx, const sql_node *list, const plan_node *root,
                                   const char ***out, int32_t *n, qv_error *err)
{
    *n = list != NULL ? (int32_t)list->n_kids : 0;
    *out = plan_alloc(pctx, (size_t)(*n + 1) * sizeof **out);
    if (*out == NULL)
        return base_error_nomem(err, "COPY");
    for (int32_t i = 0; i < *n; i++) {
        const char *name = plan_ident(pctx, list->kids[i]);
        if (name == NULL)
            return base_error_nomem(err, "COPY");
        bool found = false;
        for (int32_t c = 0; c < root->schema.n_columns && !found; c++)
            found = strcmp(root->schema.columns[c].name, name) == 0;
        if (!found)
            return base_error_set(err, QV_SCHEMA, "Schema error: No field named %s.", name);
        (*out)[i] = name;
    }
    return QV_OK;
}

/* Runs the plan into the sink; *rows: rows written. */
static qv_status run_into(qv_session *session, plan_ctx *pctx, plan_node *root,
                          const catalog_sink_options *so, uint64_t *rows, qv_error *err)
{
    qv_result *result = NULL;
    QV_TRY(session_run_plan(session, pctx, root, &result, err)); /* takes pctx */
    catalog_sink *sink = NULL;
    qv_status st = catalog_sink_new(so, result->schema, &sink, err);
    while (st == QV_OK && result->stream != NULL) {
        arrow_batch *batch = NULL;
        st = result->stream->next(result->stream, &batch, err);
        if (st != QV_OK || batch == NULL)
            break;
        st = catalog_sink_write(sink, batch, err);
        arrow_batch_release(batch);
    }
    if (st == QV_OK)
        st = catalog_sink_finish(sink, rows, err);
    else
        catalog_sink_abort(sink);
    qv_result_free(result);
    return st;
}

qv_status session_copy(qv_session *session, const sql_node *stmt, qv_result **out, qv_error *err)
{
    if (sql_kid(stmt, 5) != NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: COPY with a column list");
    const char *target = sql_kid(stmt, 1)->text;
    if (target == NULL || target[0] == '\0')
        return base_error_set(err, QV_PLAN, "Error during planning: COPY TO needs a path");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    sql_parse_result *parsed = NULL;
    session_options options = {0};
    session_file_format ff = {0};
    plan_node *root = NULL;
    qv_status st = source_plan(pctx, sql_kid(stmt, 0), &parsed, &root, err);
    if (st == QV_OK)
        st = session_options_parse(sql_kid(stmt, 4), true, &options, err);
    catalog_file_format format = CATALOG_FORMAT_CSV;
    if (st == QV_OK)
        st = choose_format(stmt, target, &format, err);
    const char **part_names = NULL;
    int32_t n_parts = 0;
    if (st == QV_OK)
        st = partition_columns(pctx, sql_kid(stmt, 3), root, &part_names, &n_parts, err);
    bool keep = false;
    if (st == QV_OK)
        st = keep_partition_columns(session, &options, &keep, err);
    session_file_format_init(&ff, format, session->config);
    if (st == QV_OK)
        st = session_file_format_apply(&ff, &options, err);
    if (st == QV_OK)
        st = session_optimize(session, pctx, root, &root, err);
    uint64_t rows = 0;
    if (st == QV_OK) {
        size_t len = strlen(target);
        bool directory =
            (len > 0 && target[len - 1] == '/') || io_path_kind(target) == IO_PATH_DIRECTORY;
        catalog_sink_options so = {
            .file_cache = session->profile->runtime->file_cache, /* tables see the files */
            .format = format,
            .csv = ff.csv_write,
            .compression = ff.compression,
            .parquet = &ff.parquet_write, /* STORED AS PARQUET: the writer's options */
            .path = target,
            .single_file = !directory && n_parts == 0 && target_extension(target) != NULL,
            .partition_by = part_names,
            .n_partition_by = n_parts,
            .keep_partition_by_columns = keep,
            .max_files = (int32_t)config_get_int(
                session->config, "datafusion.execution.minimum_parallel_output_files"),
        };
        st = run_into(session, pctx, root, &so, &rows, err);
        pctx = NULL; /* run_into took it */
    }
    session_file_format_clear(&ff);
    session_options_free(&options);
    sql_parse_result_free(parsed);
    plan_ctx_free(pctx);
    QV_TRY(st);
    return session_result_count(session, rows, out, err);
}
