/*
 * listing_scan.c — scans of a listing table (layer: catalog): the files are
 * listed, pruned by the partition filters, then grouped as DataFusion
 * groups them: consecutive files split into target_partitions groups, or,
 * when the files are large enough (repartition_file_min_size) and can be
 * split, byte ranges of even size across the partitions
 * (repartition_evenly_by_size). Each partition reads its files one after
 * another with the projection and the row limit pushed into the reader,
 * and adds the partition columns' values to every batch.
 */
#include <string.h>

#include "catalog/listing_int.h"
#include "format/arrow_ipc.h" /* STORED AS ARROW */

/* A file, or a byte range [start, end) of it (end < 0: the whole file). */
typedef struct scan_unit {
    int32_t file;
    int64_t start, end;
} scan_unit;

typedef struct listing_scan_state {
    catalog_scan base;
    listing_table *table; /* reference */
    listing_files files;
    scan_unit *units;
    int32_t n_units;
    int32_t *group_start; /* n_partitions + 1 offsets into units */
    int32_t *file_proj;   /* file columns the readers return, in output order */
    int32_t n_file_proj;
    int32_t *out_source; /* per output column: reader column k >= 0, or -1 - partition */
    int32_t n_out;
    int64_t limit;
    int64_t batch_size;
} listing_scan_state;

typedef struct listing_stream {
    catalog_stream base;
    listing_scan_state *scan;
    int32_t next_unit, end_unit;
    const listing_file *file; /* of the open reader */
    csv_reader *csv;
    ndjson_reader *json;
    arrow_ipc_reader *ipc;   /* STORED AS ARROW */
    parquet_reader *parquet; /* STORED AS PARQUET */
    int64_t emitted;
} listing_stream;

static void close_reader(listing_stream *s)
{
    csv_reader_free(s->csv);
    ndjson_reader_free(s->json);
    arrow_ipc_reader_free(s->ipc);
    parquet_reader_free(s->parquet);
    s->csv = NULL;
    s->json = NULL;
    s->ipc = NULL;
    s->parquet = NULL;
    s->file = NULL;
}

static qv_status open_reader(listing_stream *s, const scan_unit *unit, qv_error *err)
{
    listing_scan_state *scan = s->scan;
    listing_table *lt = scan->table;
    const listing_file *file = &scan->files.items[unit->file];
    int64_t limit = scan->limit >= 0 ? scan->limit - s->emitted : -1;
    if (lt->format == CATALOG_FORMAT_ARROW) { /* Arrow IPC: whole files */
        arrow_ipc_scan as = {lt->file_schema, scan->file_proj, scan->n_file_proj, scan->batch_size,
                             limit};
        QV_TRY(arrow_ipc_reader_open(file->path, &as, &s->ipc, err));
    } else if (lt->format == CATALOG_FORMAT_CSV) {
        csv_scan cs = {lt->file_schema, scan->file_proj, scan->n_file_proj, scan->batch_size,
                       limit,           unit->start,     unit->end};
        QV_TRY(csv_reader_open(file->path, &lt->csv, &cs, &s->csv, err));
    } else if (lt->format == CATALOG_FORMAT_PARQUET) {
        /* a byte range reads the row groups that start in it */
        parquet_scan ps = {lt->file_schema, scan->file_proj, scan->n_file_proj, scan->batch_size,
                           limit,           unit->start,     unit->end};
        QV_TRY(parquet_reader_open(file->path, &lt->parquet, &ps, &s->parquet, err));
        catalog_file_stats stats = {parquet_reader_file_rows(s->parquet), lt->n_file_columns, -1};
        if (lt->file_cache != NULL)
            QV_TRY(catalog_file_cache_stats_put(lt->file_cache, file->path, file->size,
                                                file->mtime_ns, &stats, err));
    } else {
        ndjson_scan js = {lt->file_schema, scan->file_proj, scan->n_file_proj, scan->batch_size,
                          limit,           unit->start,     unit->end};
        QV_TRY(ndjson_reader_open(file->path, &lt->json, &js, &s->json, err));
    }
    s->file = file;
    return QV_OK;
}

/* n copies of a length-1 array's value. */
static qv_status repeat_value(arrow_array *value, int64_t n, arrow_array **out, qv_error *err)
{
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(value->type, &b, err));
    qv_status st = QV_OK;
    if (!arrow_array_is_valid(value, 0))
        st = arrow_builder_append_nulls(b, n, err);
    for (int64_t i = 0; st == QV_OK && arrow_array_is_valid(value, 0) && i < n; i++)
        st = arrow_builder_append_from(b, value, 0, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

/* The scan's batch from a reader's batch: its columns and the file's
 * partition values, in projection order. */
static qv_status compose(listing_stream *s, arrow_batch *in, arrow_batch **out, qv_error *err)
{
    listing_scan_state *scan = s->scan;
    int32_t n = scan->n_out;
    arrow_array **cols = base_calloc((size_t)(n > 0 ? n : 1), sizeof *cols);
    if (cols == NULL)
        return base_error_nomem(err, "listing scan");
    qv_status st = QV_OK;
    for (int32_t c = 0; c < n && st == QV_OK; c++) {
        int32_t src = scan->out_source[c];
        if (src >= 0)
            cols[c] = arrow_array_retain(in->columns[src]);
        else
            st = repeat_value(s->file->values[-1 - src], in->n_rows, &cols[c], err);
    }
    if (st == QV_OK)
        st = arrow_batch_new(scan->base.schema, in->n_rows, cols, out, err);
    for (int32_t c = 0; c < n; c++)
        arrow_array_release(cols[c]);
    base_free(cols);
    return st;
}

static qv_status stream_next(catalog_stream *stream, arrow_batch **out, qv_error *err)
{
    listing_stream *s = (listing_stream *)stream;
    listing_scan_state *scan = s->scan;
    *out = NULL;
    for (;;) {
        if (scan->limit >= 0 && s->emitted >= scan->limit) {
            close_reader(s);
            return QV_OK;
        }
        if (s->csv == NULL && s->json == NULL && s->ipc == NULL && s->parquet == NULL) {
            if (s->next_unit >= s->end_unit)
                return QV_OK;
            QV_TRY(open_reader(s, &scan->units[s->next_unit++], err));
        }
        arrow_batch *batch = NULL;
        QV_TRY(s->ipc != NULL       ? arrow_ipc_reader_next(s->ipc, &batch, err)
               : s->csv != NULL     ? csv_reader_next(s->csv, &batch, err)
               : s->parquet != NULL ? parquet_reader_next(s->parquet, &batch, err)
                                    : ndjson_reader_next(s->json, &batch, err));
        if (batch == NULL) {
            close_reader(s);
            continue;
        }
        if (batch->n_rows == 0) {
            arrow_batch_release(batch);
            continue;
        }
        qv_status st = compose(s, batch, out, err);
        arrow_batch_release(batch);
        QV_TRY(st);
        s->emitted += (*out)->n_rows;
        return QV_OK;
    }
}

static void stream_free(catalog_stream *stream)
{
    listing_stream *s = (listing_stream *)stream;
    close_reader(s);
    base_free(s);
}

static qv_status scan_open(catalog_scan *base, int32_t partition, catalog_stream **out,
                           qv_error *err)
{
    listing_scan_state *scan = (listing_scan_state *)base;
    *out = NULL;
    if (partition < 0 || partition >= base->n_partitions)
        return base_error_set(err, QV_MISUSE, "listing scan: no partition %d", partition);
    listing_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "listing scan");
    s->base.next = stream_next;
    s->base.free = stream_free;
    s->scan = scan;
    s->next_unit = scan->group_start[partition];
    s->end_unit = scan->group_start[partition + 1];
    *out = &s->base;
    return QV_OK;
}

static void scan_free(catalog_scan *base)
{
    listing_scan_state *scan = (listing_scan_state *)base;
    listing_files_free(&scan->files);
    base_free(scan->units);
    base_free(scan->group_start);
    base_free(scan->file_proj);
    base_free(scan->out_source);
    arrow_schema_release(scan->base.schema);
    catalog_table_release(&scan->table->base);
    base_free(scan);
}

/* ---- grouping files into partitions ---- */

static bool can_split(const listing_table *lt)
{
    if (lt->format == CATALOG_FORMAT_CSV)
        return csv_can_split(&lt->csv);
    if (lt->format == CATALOG_FORMAT_ARROW)
        return false; /* Arrow IPC files are read whole */
    if (lt->format == CATALOG_FORMAT_PARQUET)
        return true; /* by row groups */
    return lt->json.compression == QV_COMPRESSION_NONE;
}

/* FileGroupPartitioner::repartition_evenly_by_size: consecutive ranges of
 * total / target bytes each, a range never crossing into the next group. */
static qv_status split_by_size(listing_scan_state *scan, int32_t target, int64_t total,
                               qv_error *err)
{
    int64_t part_size = (total + target - 1) / target;
    int32_t cap = scan->files.n + target + 1;
    scan->units = base_calloc((size_t)cap, sizeof *scan->units);
    scan->group_start = base_calloc((size_t)target + 2, sizeof *scan->group_start);
    if (scan->units == NULL || scan->group_start == NULL)
        return base_error_nomem(err, "listing scan");
    int32_t group = 0;
    int64_t group_bytes = 0;
    for (int32_t f = 0; f < scan->files.n; f++) {
        int64_t size = scan->files.items[f].size;
        for (int64_t start = 0; start < size;) {
            int64_t end = start + (part_size - group_bytes);
            if (end > size)
                end = size;
            if (scan->n_units == cap)
                return base_error_set(err, QV_ERROR, "listing scan: too many byte ranges");
            scan->units[scan->n_units++] = (scan_unit){f, start, end};
            group_bytes += end - start;
            if (group_bytes >= part_size) {
                scan->group_start[++group] = scan->n_units;
                group_bytes = 0;
            }
            start = end;
        }
    }
    if (group_bytes > 0 || group == 0)
        scan->group_start[++group] = scan->n_units;
    scan->base.n_partitions = group;
    return QV_OK;
}

/* FileGroup::split_files: whole files, consecutive chunks of
 * ceil(n / target) files. */
static qv_status split_files(listing_scan_state *scan, int32_t target, qv_error *err)
{
    int32_t n = scan->files.n;
    int32_t chunk = n > 0 ? (n + target - 1) / target : 1;
    int32_t groups = n > 0 ? (n + chunk - 1) / chunk : 1;
    scan->units = base_calloc((size_t)(n > 0 ? n : 1), sizeof *scan->units);
    scan->group_start = base_calloc((size_t)groups + 1, sizeof *scan->group_start);
    if (scan->units == NULL || scan->group_start == NULL)
        return base_error_nomem(err, "listing scan");
    for (int32_t f = 0; f < n; f++)
        scan->units[f] = (scan_unit){f, 0, -1};
    scan->n_units = n;
    for (int32_t g = 0; g <= groups; g++)
        scan->group_start[g] = g * chunk < n ? g * chunk : n;
    scan->base.n_partitions = groups;
    return QV_OK;
}

static qv_status group_files(listing_scan_state *scan, int32_t target, qv_error *err)
{
    const listing_table *lt = scan->table;
    int64_t total = 0;
    for (int32_t f = 0; f < scan->files.n; f++)
        total += scan->files.items[f].size;
    if (target > 1 && lt->repartition_file_scans && can_split(lt) && total > 0 &&
        total >= lt->repartition_file_min_size)
        return split_by_size(scan, target, total, err);
    return split_files(scan, target, err);
}

/* The readers' projection and where each output column comes from. */
static qv_status plan_columns(listing_scan_state *scan, const catalog_scan_args *args,
                              qv_error *err)
{
    const listing_table *lt = scan->table;
    int32_t n = args->projection != NULL ? args->n_projection : lt->base.schema->n_fields;
    scan->n_out = n;
    scan->file_proj = base_calloc((size_t)(n > 0 ? n : 1), sizeof *scan->file_proj);
    scan->out_source = base_calloc((size_t)(n > 0 ? n : 1), sizeof *scan->out_source);
    if (scan->file_proj == NULL || scan->out_source == NULL)
        return base_error_nomem(err, "listing scan");
    for (int32_t c = 0; c < n; c++) {
        int32_t col = args->projection != NULL ? args->projection[c] : c;
        if (col < lt->n_file_columns) {
            scan->out_source[c] = scan->n_file_proj;
            scan->file_proj[scan->n_file_proj++] = col;
        } else {
            scan->out_source[c] = -1 - (col - lt->n_file_columns);
        }
    }
    return QV_OK;
}

/* The runtime's statistics cache learns of each file scanned, as
 * DataFusion's collects file statistics when a scan is planned: nothing is
 * known of a file's rows before it is opened (Absent); the Parquet reader
 * puts its footer's row count there when it opens the file (open_reader). */
static qv_status note_file_statistics(const listing_table *lt, const listing_files *files,
                                      qv_error *err)
{
    if (lt->file_cache == NULL)
        return QV_OK;
    catalog_file_stats unknown = {-1, lt->n_file_columns, -1}, known;
    for (int32_t f = 0; f < files->n; f++) {
        const listing_file *file = &files->items[f];
        if (!catalog_file_cache_stats_get(lt->file_cache, file->path, file->size, file->mtime_ns,
                                          &known))
            QV_TRY(catalog_file_cache_stats_put(lt->file_cache, file->path, file->size,
                                                file->mtime_ns, &unknown, err));
    }
    return QV_OK;
}

qv_status listing_scan(catalog_table *table, const catalog_scan_args *args, catalog_scan **out,
                       qv_error *err)
{
    listing_table *lt = (listing_table *)table;
    *out = NULL;
    listing_scan_state *scan = base_calloc(1, sizeof *scan);
    if (scan == NULL)
        return base_error_nomem(err, "listing scan");
    scan->table = (listing_table *)catalog_table_retain(table);
    scan->base.open = scan_open;
    scan->base.free = scan_free;
    scan->limit = args->limit;
    scan->batch_size = args->batch_size > 0 ? args->batch_size : 8192;
    qv_status st = catalog_projected_schema(table->schema, args->projection, args->n_projection,
                                            &scan->base.schema, err);
    if (st == QV_OK)
        st = plan_columns(scan, args, err);
    if (st == QV_OK)
        st = listing_list(lt, true, &scan->files, err);
    if (st == QV_OK && args->n_filters > 0) {
        /* pruning: files whose partition values fail a filter are dropped */
        int32_t kept = 0;
        for (int32_t f = 0; f < scan->files.n; f++) {
            listing_file *file = &scan->files.items[f];
            if (listing_file_passes(lt, file, args->filters, args->n_filters)) {
                scan->files.items[kept++] = *file;
                continue;
            }
            listing_file_clear(file);
        }
        scan->files.n = kept;
    }
    if (st == QV_OK)
        st = note_file_statistics(lt, &scan->files, err);
    if (st == QV_OK)
        st = group_files(scan, args->target_partitions > 0 ? args->target_partitions : 1, err);
    if (st != QV_OK) {
        scan_free(&scan->base);
        return st;
    }
    *out = &scan->base;
    return QV_OK;
}
