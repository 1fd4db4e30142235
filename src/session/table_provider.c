/*
 * table_provider.c — custom table providers (layer: session): a
 * qv_table_provider written by an embedder, wrapped into a catalog_table.
 * Scans call the provider when a partition opens and import its Arrow C
 * stream batch by batch (checking the stream's schema once against the
 * table's); INSERT hands the provider the engine's batches as a C stream.
 */
#include <string.h>

#include "session/session_int.h"

typedef struct custom_table {
    catalog_table base;
    qv_table_provider provider;
    void *user_data;
} custom_table;

static const qv_identity anonymous = {NULL, NULL, 0};

/* The provider's view of who asks (the same strings). */
static qv_identity identity_of(const catalog_identity *identity)
{
    if (identity == NULL)
        return anonymous;
    return (qv_identity){identity->user_id, identity->roles, identity->n_roles};
}

/* Copies a failing provider's message when it left none. */
static qv_status provider_failed(qv_status st, const char *what, qv_error *err)
{
    if (st == QV_OK)
        st = QV_ERROR;
    if (err != NULL && err->message[0] == '\0')
        base_error_set(err, st, "table provider: %s failed (%s)", what, qv_status_name(st));
    return st;
}

/* ---- scans ---- */

typedef struct custom_scan {
    catalog_scan base;
    custom_table *table; /* owned reference */
    int32_t *projection; /* owned copy; NULL: all columns */
    int32_t n_projection;
    int64_t limit;
    qv_identity identity; /* borrows the session's strings */
} custom_scan;

typedef struct custom_stream {
    catalog_stream base;
    custom_scan *scan;
    struct ArrowArrayStream input;
    bool all_columns; /* the provider returns every column: project here */
} custom_stream;

/* Fails with the stream's own message. */
static qv_status stream_error(struct ArrowArrayStream *input, int code, const char *what,
                              qv_error *err)
{
    const char *message = input->get_last_error != NULL ? input->get_last_error(input) : NULL;
    return base_error_set(err, QV_EXECUTION, "table provider stream: %s failed: %s", what,
                          message != NULL ? message : strerror(code));
}

/* Whether schema's column types are those of want (names may differ). */
static bool same_types(const arrow_schema *schema, const arrow_schema *want)
{
    if (schema->n_fields != want->n_fields)
        return false;
    for (int32_t i = 0; i < schema->n_fields; i++)
        if (!arrow_type_equal(schema->fields[i]->type, want->fields[i]->type))
            return false;
    return true;
}

/* Reads the provider stream's schema and decides whether it carries the
 * projected columns or all of them. */
static qv_status check_stream_schema(custom_stream *cs, qv_error *err)
{
    struct ArrowSchema c_schema;
    memset(&c_schema, 0, sizeof c_schema);
    int code = cs->input.get_schema(&cs->input, &c_schema);
    if (code != 0)
        return stream_error(&cs->input, code, "get_schema", err);
    arrow_schema *got = NULL;
    QV_TRY(arrow_import_schema(&c_schema, &got, err));
    const arrow_schema *projected = cs->scan->base.schema;
    const arrow_schema *full = cs->scan->table->base.schema;
    qv_status st = QV_OK;
    if (same_types(got, projected))
        cs->all_columns = false;
    else if (cs->scan->projection != NULL && same_types(got, full))
        cs->all_columns = true;
    else
        st = base_error_set(err, QV_EXECUTION,
                            "table provider stream: it returned %d columns whose types are not "
                            "the table's (expected the %d requested columns or all %d)",
                            (int)got->n_fields, (int)projected->n_fields, (int)full->n_fields);
    arrow_schema_release(got);
    return st;
}

static qv_status stream_next(catalog_stream *stream, arrow_batch **out, qv_error *err)
{
    custom_stream *cs = (custom_stream *)stream;
    *out = NULL;
    for (;;) {
        struct ArrowArray array;
        memset(&array, 0, sizeof array);
        int code = cs->input.get_next(&cs->input, &array);
        if (code != 0)
            return stream_error(&cs->input, code, "get_next", err);
        if (array.release == NULL)
            return QV_OK;
        arrow_schema *schema =
            cs->all_columns ? cs->scan->table->base.schema : cs->scan->base.schema;
        arrow_batch *batch = NULL;
        QV_TRY(arrow_import_batch(&array, schema, &batch, err));
        if (batch->n_rows == 0) {
            arrow_batch_release(batch); /* empty batches carry nothing */
            continue;
        }
        if (!cs->all_columns) {
            *out = batch;
            return QV_OK;
        }
        arrow_array *stack_cols[16];
        int32_t n = cs->scan->n_projection;
        arrow_array **cols = n <= 16 ? stack_cols : base_calloc((size_t)n, sizeof *cols);
        if (cols == NULL) {
            arrow_batch_release(batch);
            return base_error_nomem(err, "table provider scan");
        }
        for (int32_t i = 0; i < n; i++)
            cols[i] = batch->columns[cs->scan->projection[i]];
        qv_status st = arrow_batch_new(cs->scan->base.schema, batch->n_rows, cols, out, err);
        if (cols != stack_cols)
            base_free(cols);
        arrow_batch_release(batch);
        return st;
    }
}

static void stream_free(catalog_stream *stream)
{
    custom_stream *cs = (custom_stream *)stream;
    if (cs->input.release != NULL)
        cs->input.release(&cs->input);
    base_free(cs);
}

static qv_status scan_open(catalog_scan *base, int32_t partition, catalog_stream **out,
                           qv_error *err)
{
    (void)partition; /* one partition */
    custom_scan *scan = (custom_scan *)base;
    *out = NULL;
    custom_stream *cs = base_calloc(1, sizeof *cs);
    if (cs == NULL)
        return base_error_nomem(err, "table provider scan");
    cs->base.next = stream_next;
    cs->base.free = stream_free;
    cs->scan = scan;
    qv_scan_request request = {scan->projection, scan->projection ? scan->n_projection : 0,
                               scan->limit, &scan->identity};
    custom_table *t = scan->table;
    qv_status st = t->provider.scan(t->user_data, &request, &cs->input, err);
    if (st != QV_OK)
        st = provider_failed(st, "scan", err);
    else if (cs->input.release == NULL || cs->input.get_next == NULL ||
             cs->input.get_schema == NULL)
        st = base_error_set(err, QV_EXECUTION,
                            "table provider: scan returned QV_OK without a stream");
    if (st == QV_OK)
        st = check_stream_schema(cs, err);
    if (st != QV_OK) {
        stream_free(&cs->base);
        return st;
    }
    *out = &cs->base;
    return QV_OK;
}

static void scan_free(catalog_scan *base)
{
    custom_scan *scan = (custom_scan *)base;
    arrow_schema_release(scan->base.schema);
    catalog_table_release(&scan->table->base);
    base_free(scan->projection);
    base_free(scan);
}

static qv_status table_scan(catalog_table *table, const catalog_scan_args *args, catalog_scan **out,
                            qv_error *err)
{
    *out = NULL;
    custom_scan *scan = base_calloc(1, sizeof *scan);
    if (scan == NULL)
        return base_error_nomem(err, "table provider scan");
    qv_status st = catalog_projected_schema(table->schema, args->projection, args->n_projection,
                                            &scan->base.schema, err);
    if (st == QV_OK && args->projection != NULL) {
        size_t n = (size_t)args->n_projection;
        scan->projection = base_alloc(n > 0 ? n * sizeof(int32_t) : sizeof(int32_t));
        if (scan->projection == NULL)
            st = base_error_nomem(err, "table provider scan");
        else if (n > 0)
            memcpy(scan->projection, args->projection, n * sizeof(int32_t));
        scan->n_projection = args->n_projection;
    }
    if (st != QV_OK) {
        arrow_schema_release(scan->base.schema);
        base_free(scan->projection);
        base_free(scan);
        return st;
    }
    scan->table = (custom_table *)catalog_table_retain(table);
    scan->limit = args->limit;
    scan->identity = identity_of(args->identity);
    scan->base.n_partitions = 1;
    scan->base.open = scan_open;
    scan->base.free = scan_free;
    *out = &scan->base;
    return QV_OK;
}

/* ---- inserts ---- */

typedef struct batches_source {
    arrow_batch_source base;
    arrow_batch *const *batches;
    int64_t n_batches, next;
} batches_source;

static qv_status source_next(arrow_batch_source *source, arrow_batch **out, qv_error *err)
{
    (void)err;
    batches_source *bs = (batches_source *)source;
    *out = bs->next < bs->n_batches ? arrow_batch_retain(bs->batches[bs->next++]) : NULL;
    return QV_OK;
}

static void source_release(arrow_batch_source *source)
{
    base_free(source);
}

static qv_status table_insert(catalog_table *table, const catalog_identity *identity,
                              arrow_batch *const *batches, int64_t n_batches, bool overwrite,
                              qv_error *err)
{
    custom_table *t = (custom_table *)table;
    if (overwrite)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: INSERT OVERWRITE into a custom "
                              "table provider");
    batches_source *source = base_calloc(1, sizeof *source);
    if (source == NULL)
        return base_error_nomem(err, "INSERT");
    /* The batches outlive the stream: the provider reads it during the call. */
    *source = (batches_source){{table->schema, source_next, source_release}, batches, n_batches, 0};
    struct ArrowArrayStream stream;
    QV_TRY(arrow_export_stream(&source->base, &stream, err));
    qv_identity who = identity_of(identity);
    qv_status st = t->provider.insert(t->user_data, &who, &stream, err);
    if (stream.release != NULL)
        stream.release(&stream);
    return st == QV_OK ? QV_OK : provider_failed(st, "insert", err);
}

static void table_free(catalog_table *table)
{
    custom_table *t = (custom_table *)table;
    if (t->provider.release != NULL)
        t->provider.release(t->user_data);
    base_free(t);
}

static const catalog_table_ops custom_ops = {
    .kind = "custom",
    .scan = table_scan,
    .insert = table_insert,
    .free = table_free,
};

static const catalog_table_ops custom_read_only_ops = {
    .kind = "custom",
    .scan = table_scan,
    .free = table_free,
};

qv_status qv_table_new(const qv_table_provider *provider, void *user_data, qv_table **out,
                       qv_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (provider == NULL || provider->schema == NULL || provider->scan == NULL || out == NULL)
        return base_error_set(err, QV_MISUSE,
                              "qv_table_new: a provider with schema and scan, and out, are "
                              "required");
    if (err != NULL)
        qv_error_clear(err);
    struct ArrowSchema c_schema;
    memset(&c_schema, 0, sizeof c_schema);
    qv_status st = provider->schema(user_data, &c_schema, err);
    if (st != QV_OK) {
        if (c_schema.release != NULL)
            c_schema.release(&c_schema);
        return provider_failed(st, "schema", err);
    }
    arrow_schema *schema = NULL;
    QV_TRY(arrow_import_schema(&c_schema, &schema, err));
    custom_table *t = base_calloc(1, sizeof *t);
    if (t == NULL) {
        arrow_schema_release(schema);
        return base_error_nomem(err, "table");
    }
    catalog_table_init(&t->base, provider->insert != NULL ? &custom_ops : &custom_read_only_ops,
                       schema);
    arrow_schema_release(schema);
    t->provider = *provider;
    t->user_data = user_data;
    st = session_table_new(&t->base, out, err);
    if (st != QV_OK) {
        t->provider.release = NULL; /* on failure the caller keeps user_data */
    }
    catalog_table_release(&t->base);
    return st;
}
