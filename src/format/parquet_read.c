/*
 * parquet_read.c — Parquet files read as Arrow batches (layer: format):
 * opening a file (the footer's magic, length and metadata, the schema as
 * Arrow fields), DataFusion's schema inference over files, and the reader:
 * the row groups a byte range selects, one column chunk reader per leaf
 * column of the projected columns, batches of batch_size rows under the
 * limit, nested columns assembled from their leaves' definition and
 * repetition levels, table columns found in the file by name (missing
 * ones read as NULLs, other types converted where they can be).
 */
#include <string.h>

#include "format/parquet_int.h"
#include "format/reader_int.h"

#define FOOTER_TAIL 8 /* metadata length + "PAR1" */

struct parquet_file {
    char *path;
    io_file *io;
    int64_t size;
    uint8_t *footer;
    pq_file_meta meta;
    pq_schema schema;
};

void parquet_read_options_init(parquet_read_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->schema_force_view_types = true;
    opts->skip_metadata = true;
}

static qv_status with_file(qv_status st, const char *path, qv_error *err)
{
    if (st != QV_OK && st != QV_NOMEM && err != NULL && err->hint[0] == '\0')
        base_error_set_hint(err, "in file %s", path);
    return st;
}

void parquet_file_free(parquet_file *file)
{
    if (file == NULL)
        return;
    pq_schema_free(&file->schema);
    pq_meta_free(&file->meta);
    base_free(file->footer);
    io_file_close(file->io);
    base_free(file->path);
    base_free(file);
}

/* Chunks this reader cannot read, found before any data is. */
static qv_status check_row_groups(const parquet_file *file, qv_error *err)
{
    for (int32_t g = 0; g < file->meta.n_row_groups; g++) {
        const pq_row_group *rg = &file->meta.row_groups[g];
        if (rg->n_columns != file->schema.n_leaves)
            return pq_corrupt(err, "row group %d has %d columns, the schema %d", (int)g,
                              (int)rg->n_columns, (int)file->schema.n_leaves);
        for (int32_t c = 0; c < rg->n_columns; c++) {
            const pq_column_chunk *chunk = &rg->columns[c];
            if (chunk->encrypted)
                return base_error_set(err, QV_NOT_IMPLEMENTED,
                                      "This feature is not implemented: encrypted Parquet "
                                      "columns");
            if (chunk->has_file_path)
                return base_error_set(err, QV_NOT_IMPLEMENTED,
                                      "This feature is not implemented: Parquet column chunks "
                                      "in other files");
            if (!chunk->has_meta)
                return pq_corrupt(err, "column chunk without metadata");
        }
    }
    return QV_OK;
}

static qv_status open_file(parquet_file *f, const parquet_read_options *opts, qv_error *err)
{
    QV_TRY(io_file_open(f->path, &f->io, err));
    f->size = io_file_size(f->io);
    if (f->size < FOOTER_TAIL + 4)
        return pq_corrupt(err, "Invalid Parquet file. Size is smaller than footer");
    uint8_t tail[FOOTER_TAIL];
    int64_t got = 0;
    QV_TRY(io_file_read_at(f->io, f->size - FOOTER_TAIL, tail, FOOTER_TAIL, &got, err));
    if (got != FOOTER_TAIL)
        return pq_corrupt(err, "Invalid Parquet file. Size is smaller than footer");
    if (memcmp(tail + 4, "PARE", 4) == 0)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: Parquet files with an encrypted "
                              "footer");
    if (memcmp(tail + 4, "PAR1", 4) != 0)
        return pq_corrupt(err, "Invalid Parquet file. Corrupt footer");
    uint32_t len = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 |
                   (uint32_t)tail[3] << 24;
    if ((int64_t)len > f->size - FOOTER_TAIL - 4 || len > PQ_MAX_FOOTER_BYTES)
        return pq_corrupt(err,
                          "Invalid Parquet file. Reported metadata length of %u + 8 byte footer, "
                          "but file is only %lld bytes",
                          len, (long long)f->size);
    int64_t footer_len = 0;
    QV_TRY(io_file_read_range(f->io, f->size - FOOTER_TAIL - len, f->size - FOOTER_TAIL, &f->footer,
                              &footer_len, err));
    if (footer_len != (int64_t)len)
        return pq_corrupt(err, "the footer is truncated");
    QV_TRY(pq_meta_parse(f->footer, len, &f->meta, err));
    if (f->meta.encrypted)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: encrypted Parquet files");
    QV_TRY(pq_schema_build(&f->meta, opts, &f->schema, err));
    return check_row_groups(f, err);
}

qv_status parquet_file_open(const char *path, const parquet_read_options *opts, parquet_file **out,
                            qv_error *err)
{
    *out = NULL;
    parquet_read_options defaults;
    if (opts == NULL) {
        parquet_read_options_init(&defaults);
        opts = &defaults;
    }
    parquet_file *f = base_calloc(1, sizeof *f);
    if (f == NULL || (f->path = base_strdup(path)) == NULL) {
        base_free(f);
        return base_error_nomem(err, "Parquet file");
    }
    qv_status st = open_file(f, opts, err);
    if (st != QV_OK) {
        parquet_file_free(f);
        return with_file(st, path, err);
    }
    *out = f;
    return QV_OK;
}

arrow_schema *parquet_file_schema(const parquet_file *file)
{
    return file->schema.arrow;
}

int64_t parquet_file_num_rows(const parquet_file *file)
{
    return file->meta.num_rows;
}

int32_t parquet_file_num_row_groups(const parquet_file *file)
{
    return file->meta.n_row_groups;
}

/* One file's schema (fmt_file_schema_fn). */
static qv_status file_schema(void *opts, const char *path, arrow_schema **out, qv_error *err)
{
    parquet_file *f = NULL;
    QV_TRY(parquet_file_open(path, opts, &f, err));
    *out = arrow_schema_retain(parquet_file_schema(f));
    parquet_file_free(f);
    return QV_OK;
}

qv_status parquet_infer_files(const char *const *paths, int32_t n, const parquet_read_options *opts,
                              arrow_schema **out, qv_error *err)
{
    return fmt_merge_file_schemas(paths, n, file_schema, (void *)opts, out, err);
}

/* ---- the reader ---- */

struct parquet_reader {
    parquet_file *file;
    arrow_schema *schema;     /* the projected table columns */
    const pq_field **sources; /* per column: the file's field, or NULL */
    int32_t *row_groups;      /* those the range selects */
    int32_t n_row_groups, next_row_group;
    int64_t rows_left; /* in the current row group */
    pq_chunk *chunks;  /* one per leaf column of the file */
    bool *needed;      /* leaves of the projected columns */
    reader_rows rows;
    reader_failure failure;
};

static bool field_converts(const pq_field *f, const arrow_type *type);

static bool children_convert(const pq_field *f, const arrow_type *type)
{
    if (f->kind == PQ_FIELD_STRUCT) {
        if (type->id != QV_TYPE_STRUCT || type->n_children != f->n_children)
            return false;
        for (int32_t i = 0; i < f->n_children; i++)
            if (!field_converts(&f->children[i], type->children[i]->type))
                return false;
        return true;
    }
    bool list =
        f->kind == PQ_FIELD_LIST && (type->id == QV_TYPE_LIST || type->id == QV_TYPE_LARGE_LIST);
    bool map = f->kind == PQ_FIELD_MAP && type->id == QV_TYPE_MAP;
    return (list || map) && field_converts(&f->children[0], type->children[0]->type);
}

static bool field_converts(const pq_field *f, const arrow_type *type)
{
    if (f->kind == PQ_FIELD_LEAF)
        return pq_leaf_converts_to(f, type);
    return type->id == QV_TYPE_NULL || children_convert(f, type);
}

static void mark_leaves(parquet_reader *r, const pq_field *f)
{
    for (int32_t i = 0; i < f->n_leaves; i++)
        r->needed[f->first_leaf + i] = true;
}

/* The row group's first byte, as DataFusion places it in a byte range. */
static int64_t row_group_offset(const pq_row_group *rg)
{
    if (rg->n_columns == 0)
        return -1;
    const pq_column_meta *m = &rg->columns[0].meta;
    if (m->dictionary_page_offset > 0 && m->dictionary_page_offset < m->data_page_offset)
        return m->dictionary_page_offset;
    return m->data_page_offset;
}

static qv_status plan_reader(parquet_reader *r, const parquet_scan *scan, qv_error *err)
{
    int32_t n = r->schema->n_fields;
    r->sources = base_calloc((size_t)(n > 0 ? n : 1), sizeof *r->sources);
    int32_t n_leaves = r->file->schema.n_leaves;
    r->chunks = base_calloc((size_t)(n_leaves > 0 ? n_leaves : 1), sizeof *r->chunks);
    r->needed = base_calloc((size_t)(n_leaves > 0 ? n_leaves : 1), sizeof *r->needed);
    const pq_file_meta *meta = &r->file->meta;
    r->row_groups = base_calloc((size_t)(meta->n_row_groups > 0 ? meta->n_row_groups : 1),
                                sizeof *r->row_groups);
    if (r->sources == NULL || r->chunks == NULL || r->needed == NULL || r->row_groups == NULL)
        return base_error_nomem(err, "Parquet reader");
    const pq_schema *fs = &r->file->schema;
    for (int32_t c = 0; c < n; c++) {
        const arrow_field *want = r->schema->fields[c];
        for (int32_t k = 0; k < fs->n_fields && r->sources[c] == NULL; k++)
            if (strcmp(fs->fields[k].field->name, want->name) == 0)
                r->sources[c] = &fs->fields[k];
        if (r->sources[c] == NULL)
            continue;
        if (!field_converts(r->sources[c], want->type)) {
            base_strbuf a, b;
            base_strbuf_init(&a);
            base_strbuf_init(&b);
            arrow_type_format(r->sources[c]->field->type, &a);
            arrow_type_format(want->type, &b);
            qv_status st = base_error_set(err, QV_PLAN,
                                          "Error during planning: Cannot cast file schema field "
                                          "%s of type %s to table schema field of type %s",
                                          want->name, base_strbuf_cstr(&a), base_strbuf_cstr(&b));
            base_strbuf_free(&a);
            base_strbuf_free(&b);
            return st;
        }
        mark_leaves(r, r->sources[c]);
    }
    for (int32_t g = 0; g < meta->n_row_groups; g++) {
        int64_t offset = row_group_offset(&meta->row_groups[g]);
        if (scan->range_end >= 0 && !(offset >= scan->range_start && offset < scan->range_end))
            continue;
        r->row_groups[r->n_row_groups++] = g;
    }
    return QV_OK;
}

static qv_status projected_schema(const parquet_scan *scan, arrow_schema **out, qv_error *err)
{
    int32_t n = scan->projection != NULL ? scan->n_projection : scan->schema->n_fields;
    arrow_field **fields = base_calloc((size_t)(n > 0 ? n : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(err, "Parquet reader");
    qv_status st = QV_OK;
    for (int32_t i = 0; i < n && st == QV_OK; i++) {
        int32_t col = scan->projection != NULL ? scan->projection[i] : i;
        if (col < 0 || col >= scan->schema->n_fields)
            st = base_error_set(err, QV_MISUSE, "Parquet reader: no column %d", (int)col);
        else
            fields[i] = scan->schema->fields[col];
    }
    if (st == QV_OK)
        st = arrow_schema_new(n, fields, NULL, out, err);
    base_free(fields);
    return st;
}

void parquet_reader_free(parquet_reader *reader)
{
    if (reader == NULL)
        return;
    if (reader->chunks != NULL)
        for (int32_t i = 0; i < reader->file->schema.n_leaves; i++)
            pq_chunk_free(&reader->chunks[i]);
    base_free(reader->chunks);
    base_free(reader->needed);
    base_free(reader->sources);
    base_free(reader->row_groups);
    arrow_schema_release(reader->schema);
    parquet_file_free(reader->file);
    base_free(reader);
}

qv_status parquet_reader_open(const char *path, const parquet_read_options *opts,
                              const parquet_scan *scan, parquet_reader **out, qv_error *err)
{
    *out = NULL;
    if (scan == NULL || scan->schema == NULL)
        return base_error_set(err, QV_MISUSE, "parquet_reader_open: a scan schema is required");
    parquet_reader *r = base_calloc(1, sizeof *r);
    if (r == NULL)
        return base_error_nomem(err, "Parquet reader");
    reader_rows_init(&r->rows, scan->batch_size, scan->limit);
    qv_status st = parquet_file_open(path, opts, &r->file, err);
    if (st == QV_OK)
        st = projected_schema(scan, &r->schema, err);
    if (st == QV_OK)
        st = with_file(plan_reader(r, scan, err), path, err);
    if (st != QV_OK) {
        parquet_reader_free(r);
        return st;
    }
    *out = r;
    return QV_OK;
}

arrow_schema *parquet_reader_schema(const parquet_reader *reader)
{
    return reader->schema;
}

int64_t parquet_reader_file_rows(const parquet_reader *reader)
{
    return parquet_file_num_rows(reader->file);
}

/* ---- assembling columns from levels ---- */

/* The element slots of a field in its first leaf's levels: those with
 * rep <= max_rep (a new element at this depth or above) and def >= min_def
 * (its parent exists). */
static qv_status element_slots(const pq_chunk *c, int16_t max_rep, int16_t min_def, int64_t expect,
                               int64_t **out, qv_error *err)
{
    *out = base_alloc((size_t)(expect > 0 ? expect : 1) * sizeof **out);
    if (*out == NULL)
        return base_error_nomem(err, "Parquet reader");
    int64_t n = 0;
    for (int64_t j = 0; j < c->n_levels; j++) {
        if (c->rep[j] > max_rep || c->def[j] < min_def)
            continue;
        if (n == expect) {
            n++;
            break;
        }
        (*out)[n++] = j;
    }
    if (n != expect) {
        base_free(*out);
        *out = NULL;
        return pq_corrupt(err, "column \"%s\" has a different number of values than its siblings",
                          c->leaf->field->name);
    }
    return QV_OK;
}

static qv_status assemble(parquet_reader *r, const pq_field *f, arrow_type *type, int16_t max_rep,
                          int16_t min_def, int64_t n, arrow_array **out, qv_error *err);

static qv_status validity(const pq_chunk *c, const int64_t *slots, int64_t n, int16_t def_level,
                          arrow_buffer **out, int64_t *nulls, qv_error *err)
{
    *out = NULL;
    *nulls = 0;
    for (int64_t i = 0; i < n; i++)
        *nulls += c->def[slots[i]] < def_level;
    if (*nulls == 0)
        return QV_OK;
    QV_TRY(arrow_buffer_new((n + 7) / 8, out, err));
    for (int64_t i = 0; i < n; i++)
        if (c->def[slots[i]] >= def_level)
            arrow_bit_set((*out)->data, i, true);
    return QV_OK;
}

static qv_status assemble_leaf(const pq_chunk *c, const pq_field *f, arrow_type *type,
                               const int64_t *slots, int64_t n, arrow_array **out, qv_error *err)
{
    uint8_t *valid = base_alloc((size_t)(n > 0 ? n : 1));
    if (valid == NULL)
        return base_error_nomem(err, "Parquet reader");
    for (int64_t i = 0; i < n; i++)
        valid[i] = c->def[slots[i]] >= f->def_level;
    qv_status st = pq_convert_leaf(f, type, &c->values, valid, n, out, err);
    base_free(valid);
    return st;
}

static qv_status assemble_struct(parquet_reader *r, const pq_field *f, arrow_type *type,
                                 const int64_t *slots, int16_t max_rep, int16_t min_def, int64_t n,
                                 arrow_array **out, qv_error *err)
{
    const pq_chunk *c = &r->chunks[f->first_leaf];
    arrow_array **children = base_calloc((size_t)f->n_children, sizeof *children);
    if (children == NULL)
        return base_error_nomem(err, "Parquet reader");
    arrow_buffer *valid = NULL;
    int64_t nulls = 0;
    qv_status st = validity(c, slots, n, f->def_level, &valid, &nulls, err);
    for (int32_t i = 0; i < f->n_children && st == QV_OK; i++)
        st = assemble(r, &f->children[i], type->children[i]->type, max_rep, min_def, n,
                      &children[i], err);
    if (st == QV_OK)
        st = arrow_array_new(type, n, nulls, 0, 1, &valid, f->n_children, children, NULL, out, err);
    for (int32_t i = 0; i < f->n_children; i++)
        arrow_array_release(children[i]);
    base_free(children);
    arrow_buffer_release(valid);
    return st;
}

/* A list or map: offsets counted from the item slots between elements. */
static qv_status assemble_list(parquet_reader *r, const pq_field *f, arrow_type *type,
                               const int64_t *slots, int64_t n, arrow_array **out, qv_error *err)
{
    const pq_chunk *c = &r->chunks[f->first_leaf];
    bool large = type->id == QV_TYPE_LARGE_LIST;
    arrow_buffer *bufs[2] = {NULL, NULL};
    int64_t nulls = 0;
    QV_TRY(validity(c, slots, n, f->def_level, &bufs[0], &nulls, err));
    qv_status st = arrow_buffer_new((n + 1) * (large ? 8 : 4), &bufs[1], err);
    int64_t items = 0, e = 0;
    for (int64_t j = 0; st == QV_OK && j < c->n_levels && e <= n; j++) {
        if (e < n && slots[e] == j) {
            if (large)
                ((int64_t *)bufs[1]->data)[e] = items;
            else
                ((int32_t *)bufs[1]->data)[e] = (int32_t)items;
            e++;
        }
        if (c->rep[j] <= f->rep_level && c->def[j] >= f->item_def && e > 0)
            items++;
    }
    if (st == QV_OK && (!large && items > INT32_MAX))
        st = pq_corrupt(err, "list column \"%s\" has too many items", f->field->name);
    arrow_array *child = NULL;
    if (st == QV_OK) {
        if (large)
            ((int64_t *)bufs[1]->data)[n] = items;
        else
            ((int32_t *)bufs[1]->data)[n] = (int32_t)items;
        st = assemble(r, &f->children[0], type->children[0]->type, f->rep_level, f->item_def, items,
                      &child, err);
    }
    if (st == QV_OK)
        st = arrow_array_new(type, n, nulls, 0, 2, bufs, 1, &child, NULL, out, err);
    arrow_array_release(child);
    arrow_buffer_release(bufs[0]);
    arrow_buffer_release(bufs[1]);
    return st;
}

static qv_status assemble(parquet_reader *r, const pq_field *f, arrow_type *type, int16_t max_rep,
                          int16_t min_def, int64_t n, arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (type->id == QV_TYPE_NULL)
        return arrow_array_new_null(type, n, out, err);
    const pq_chunk *c = &r->chunks[f->first_leaf];
    int64_t *slots = NULL;
    QV_TRY(element_slots(c, max_rep, min_def, n, &slots, err));
    qv_status st;
    switch (f->kind) {
    case PQ_FIELD_LEAF:
        st = assemble_leaf(c, f, type, slots, n, out, err);
        break;
    case PQ_FIELD_STRUCT:
        st = assemble_struct(r, f, type, slots, max_rep, min_def, n, out, err);
        break;
    default:
        st = assemble_list(r, f, type, slots, n, out, err);
        break;
    }
    base_free(slots);
    return st;
}

/* ---- batches ---- */

static qv_status start_row_group(parquet_reader *r, qv_error *err)
{
    parquet_file *file = r->file;
    int32_t g = r->row_groups[r->next_row_group++];
    const pq_row_group *rg = &file->meta.row_groups[g];
    for (int32_t i = 0; i < file->schema.n_leaves; i++) {
        pq_chunk_free(&r->chunks[i]);
        if (r->needed[i])
            QV_TRY(pq_chunk_open(&r->chunks[i], file->schema.leaves[i], &rg->columns[i].meta,
                                 file->io, file->size, err));
    }
    r->rows_left = rg->num_rows;
    return QV_OK;
}

/* A reader_build_fn: table column c from its leaves, or NULLs when the file
 * lacks it. */
static qv_status build_column(void *ctx, int32_t c, int64_t n, arrow_array **out, qv_error *err)
{
    parquet_reader *r = ctx;
    arrow_type *type = r->schema->fields[c]->type;
    if (r->sources[c] == NULL)
        return arrow_array_new_null(type, n, out, err);
    return assemble(r, r->sources[c], type, 0, 0, n, out, err);
}

static qv_status read_batch(parquet_reader *r, int64_t n, arrow_batch **out, qv_error *err)
{
    parquet_file *file = r->file;
    for (int32_t i = 0; i < file->schema.n_leaves; i++) {
        if (!r->needed[i])
            continue;
        int64_t got = 0;
        QV_TRY(pq_chunk_read_rows(&r->chunks[i], n, &got, err));
        if (got != n)
            return pq_corrupt(err, "column \"%s\" has fewer rows than its row group",
                              file->schema.leaves[i]->field->name);
    }
    return reader_batch_build(r->schema, n, build_column, r, "Parquet reader", out, err);
}

static qv_status next_batch(parquet_reader *r, arrow_batch **out, qv_error *err)
{
    for (;;) {
        if (r->rows.limit >= 0 && r->rows.emitted >= r->rows.limit)
            return QV_OK;
        if (r->rows_left == 0) {
            if (r->next_row_group >= r->n_row_groups)
                return QV_OK;
            QV_TRY(start_row_group(r, err));
            continue;
        }
        int64_t n = reader_rows_next(&r->rows, r->rows_left);
        QV_TRY(read_batch(r, n, out, err));
        r->rows_left -= n;
        r->rows.emitted += n;
        return QV_OK;
    }
}

qv_status parquet_reader_next(parquet_reader *reader, arrow_batch **out, qv_error *err)
{
    *out = NULL;
    qv_status st;
    if (reader_failure_get(&reader->failure, &st, err))
        return st;
    qv_error local;
    memset(&local, 0, sizeof local);
    qv_error *e = err != NULL ? err : &local;
    st = next_batch(reader, out, e);
    if (st != QV_OK)
        reader_failure_set(&reader->failure, with_file(st, reader->file->path, e), e, NULL);
    return st;
}
