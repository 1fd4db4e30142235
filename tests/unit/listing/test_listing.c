/*
 * test_listing.c — the listing table provider: inference once at creation
 * (later files change no schema), directories with the extension rule,
 * hive partition columns (inferred, declared, typed) and Exact partition
 * filters that prune files before they are opened, projection and limit
 * pushdown, byte ranges across partitions, statistics, INSERT through the
 * file sink, WITH ORDER / UNBOUNDED accessors, and the creation errors.
 */
#include "listing_test_util.h"

#include "catalog/listing_int.h"
#include "test.h"

static qv_status csv_table(const char *path, const char *extension, arrow_schema *schema,
                           int32_t n_parts, const char *const *parts, catalog_table **out,
                           qv_error *err)
{
    catalog_listing_options o;
    catalog_listing_options_init(&o);
    o.paths = &path;
    o.n_paths = 1;
    o.file_extension = extension;
    o.schema = schema;
    o.n_partitions = n_parts;
    o.partition_names = parts;
    return catalog_listing_table_new(&o, out, err);
}

TEST(listing_infers_once_and_rereads_files)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    CHECK(write_text(dir, "a.csv", "x,y\n1,one\n2,two\n"));
    CHECK(write_text(dir, "notes.txt", "not a table file\n"));
    qv_error err;
    catalog_table *t = NULL;
    CHECK_OK(csv_table(dir, ".csv", NULL, 0, NULL, &t, &err));
    CHECK(catalog_is_listing_table(t));
    CHECK_INT_EQ(t->schema->n_fields, 2);
    char *rows = NULL;
    CHECK_OK(scan_rows(t, NULL, NULL, &rows, &err));
    CHECK_STR_EQ(rows, "1|one\n2|two");
    free(rows);
    /* a new file is read by the next scan, with the schema made at creation */
    CHECK(write_text(dir, "b.csv", "x,y,z\n3,three,extra\n"));
    CHECK_INT_EQ(t->schema->n_fields, 2);
    CHECK_STATUS(scan_rows(t, NULL, NULL, &rows, &err), QV_EXECUTION);
    CHECK(strstr(err.message, "incorrect number of fields") != NULL);
    CHECK(strstr(err.hint, "b.csv") != NULL);
    catalog_stats stats;
    t->ops->statistics(t, &stats);
    CHECK_INT_EQ(stats.n_rows, -1);
    CHECK_INT_EQ(stats.total_bytes, 16 + 20);
    catalog_table_release(t);
}

TEST(listing_projection_limit_and_byte_ranges)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "id,name,v\n");
    int64_t sum = 0;
    for (int i = 0; i < 5000; i++) {
        base_strbuf_appendf(&sb, "%d,name%d,%d\n", i, i, i % 7);
        sum += i;
    }
    CHECK(write_text(dir, "big.csv", base_strbuf_cstr(&sb)));
    base_strbuf_free(&sb);
    qv_error err;
    catalog_listing_options o;
    catalog_listing_options_init(&o);
    char path[128];
    snprintf(path, sizeof path, "%s/big.csv", dir);
    const char *paths[] = {path};
    o.paths = paths;
    o.n_paths = 1;
    o.repartition_file_min_size = 1;
    catalog_table *t = NULL;
    CHECK_OK(catalog_listing_table_new(&o, &t, &err));
    /* four byte ranges: every record read exactly once */
    int32_t proj[] = {0};
    catalog_scan_args args = {.projection = proj,
                              .n_projection = 1,
                              .limit = -1,
                              .batch_size = 100,
                              .target_partitions = 4};
    catalog_scan *scan = NULL;
    CHECK_OK(t->ops->scan(t, &args, &scan, &err));
    CHECK_INT_EQ(scan->n_partitions, 4);
    CHECK_INT_EQ(scan->schema->n_fields, 1);
    int64_t n = 0, total = 0;
    for (int32_t p = 0; p < scan->n_partitions; p++) {
        catalog_stream *s = NULL;
        CHECK_OK(scan->open(scan, p, &s, &err));
        for (;;) {
            arrow_batch *b = NULL;
            CHECK_OK(s->next(s, &b, &err));
            if (b == NULL)
                break;
            const int64_t *ids = (const int64_t *)arrow_array_values(b->columns[0]);
            for (int64_t r = 0; r < b->n_rows; r++)
                total += ids[b->columns[0]->offset + r];
            n += b->n_rows;
            arrow_batch_release(b);
        }
        s->free(s);
    }
    scan->free(scan);
    CHECK_INT_EQ(n, 5000);
    CHECK_INT_EQ(total, sum);
    /* a limit stops each partition early */
    args.limit = 3;
    args.target_partitions = 1;
    char *rows = NULL;
    CHECK_OK(scan_rows(t, &args, NULL, &rows, &err));
    CHECK_STR_EQ(rows, "0\n1\n2");
    free(rows);
    catalog_table_release(t);
}

TEST(listing_hive_partitions_prune_before_opening)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    CHECK(write_text(dir, "year=2023/month=01/a.csv", "v\n1\n"));
    CHECK(write_text(dir, "year=2024/month=02/b.csv", "v\n2\n3\n"));
    /* not an Int64, but pruned by year = '2024' */
    CHECK(write_text(dir, "year=2025/month=03/c.csv", "v\n4\nfive\n"));
    qv_error err;
    arrow_field *v = NULL;
    arrow_schema *schema = NULL;
    CHECK_OK(arrow_field_new("v", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &v, &err));
    CHECK_OK(arrow_schema_new(1, &v, NULL, &schema, &err));
    catalog_table *t = NULL;
    const char *parts[] = {"year", "month"};
    CHECK_OK(csv_table(dir, ".csv", schema, 2, parts, &t, &err));
    arrow_schema_release(schema);
    arrow_field_release(v);
    /* written later, outside the layout: not part of the table */
    CHECK(write_text(dir, "stray.csv", "v\n99\n"));
    CHECK_INT_EQ(t->schema->n_fields, 3);
    CHECK_STR_EQ(t->schema->fields[1]->name, "year");
    CHECK_STR_EQ(t->schema->fields[2]->name, "month");
    CHECK(!t->schema->fields[1]->nullable);

    arrow_array *value = NULL;
    CHECK_OK(listing_partition_value(arrow_type_primitive(QV_TYPE_UTF8), "2024", &value, &err));
    catalog_predicate pred = {CATALOG_PRED_EQ, 1, value};
    CHECK_INT_EQ(t->ops->supports_filter(t, &pred), CATALOG_FILTER_EXACT);
    catalog_predicate on_file = {CATALOG_PRED_EQ, 0, value};
    CHECK_INT_EQ(t->ops->supports_filter(t, &on_file), CATALOG_FILTER_UNSUPPORTED);
    catalog_scan_args args = {
        .limit = -1, .filters = &pred, .n_filters = 1, .target_partitions = 2};
    char *rows = NULL;
    CHECK_OK(scan_rows(t, &args, NULL, &rows, &err));
    CHECK_STR_EQ(rows, "2|2024|02\n3|2024|02");
    free(rows);
    catalog_predicate not_null = {CATALOG_PRED_IS_NULL, 2, NULL};
    args.filters = &not_null;
    CHECK_OK(scan_rows(t, &args, NULL, &rows, &err));
    CHECK_STR_EQ(rows, "");
    free(rows);
    /* partition columns only: the files are still read for their rows */
    int32_t proj[] = {2};
    args = (catalog_scan_args){.projection = proj,
                               .n_projection = 1,
                               .limit = -1,
                               .filters = &pred,
                               .n_filters = 1,
                               .target_partitions = 1};
    CHECK_OK(scan_rows(t, &args, NULL, &rows, &err));
    CHECK_STR_EQ(rows, "02\n02");
    free(rows);
    /* unpruned, the bad file fails, naming itself */
    CHECK_STATUS(scan_rows(t, NULL, NULL, &rows, &err), QV_CAST);
    CHECK(strstr(err.hint, "month=03/c.csv") != NULL);
    arrow_array_release(value);
    catalog_table_release(t);
}

TEST(listing_typed_partitions_and_insert)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    CHECK(write_text(dir, "p=1/a.csv", "v\nx\n"));
    CHECK(write_text(dir, "p=10/b.csv", "v\ny\n"));
    qv_error err;
    arrow_field *fields[1] = {NULL};
    CHECK_OK(
        arrow_field_new("v", arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &fields[0], &err));
    arrow_schema *schema = NULL;
    CHECK_OK(arrow_schema_new(1, fields, NULL, &schema, &err));
    catalog_listing_options o;
    catalog_listing_options_init(&o);
    char root[80];
    snprintf(root, sizeof root, "%s/", dir);
    const char *paths[] = {root};
    const char *names[] = {"p"};
    arrow_type *types[] = {arrow_type_primitive(QV_TYPE_INT32)};
    o.paths = paths;
    o.n_paths = 1;
    o.schema = schema;
    o.n_partitions = 1;
    o.partition_names = names;
    o.partition_types = types;
    catalog_sort_spec keys[] = {{"p", true, true}};
    const catalog_sort_spec *orderings[] = {keys};
    int32_t lengths[] = {1};
    o.n_orderings = 1;
    o.orderings = orderings;
    o.ordering_lengths = lengths;
    o.unbounded = true;
    catalog_table *t = NULL;
    CHECK_OK(catalog_listing_table_new(&o, &t, &err));
    int32_t n_orderings = 0;
    const catalog_sort_key *const *got = NULL;
    const int32_t *got_lengths = NULL;
    catalog_listing_orderings(t, &n_orderings, &got, &got_lengths);
    CHECK_INT_EQ(n_orderings, 1);
    CHECK_INT_EQ(got_lengths[0], 1);
    CHECK_INT_EQ(got[0][0].column, 1);
    CHECK(got[0][0].descending);
    CHECK(catalog_listing_unbounded(t));

    arrow_array *five = NULL;
    CHECK_OK(listing_partition_value(types[0], "5", &five, &err));
    catalog_predicate gt = {CATALOG_PRED_GT, 1, five};
    catalog_scan_args args = {.limit = -1, .filters = &gt, .n_filters = 1};
    char *rows = NULL;
    CHECK_OK(scan_rows(t, &args, NULL, &rows, &err));
    CHECK_STR_EQ(rows, "y|10");
    free(rows);

    /* INSERT writes p=7/<id>_0.csv (the partition column leaves the file) */
    arrow_builder *b = NULL;
    arrow_array *cols[2] = {NULL, NULL};
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &b, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "z", 1, &err));
    CHECK_OK(arrow_builder_finish(b, &cols[0], &err));
    arrow_builder_free(b);
    CHECK_OK(arrow_builder_new(types[0], &b, &err));
    CHECK_OK(arrow_builder_append_int(b, 7, &err));
    CHECK_OK(arrow_builder_finish(b, &cols[1], &err));
    arrow_builder_free(b);
    arrow_batch *batch = NULL;
    CHECK_OK(arrow_batch_new(t->schema, 1, cols, &batch, &err));
    CHECK_OK(t->ops->insert(t, NULL, &batch, 1, false, &err));
    CHECK_STATUS(t->ops->insert(t, NULL, &batch, 1, true, &err), QV_NOT_IMPLEMENTED);
    CHECK_OK(scan_rows(t, NULL, NULL, &rows, &err));
    CHECK_STR_EQ(rows, "x|1\ny|10\nz|7");
    free(rows);
    io_file_list list = {0};
    char sub[96];
    snprintf(sub, sizeof sub, "%s/p=7", dir);
    CHECK_OK(io_list_files(sub, ".csv", true, &list, &err));
    CHECK_INT_EQ(list.n, 1);
    uint8_t *data = NULL;
    int64_t len = 0;
    CHECK_OK(io_read_file(list.entries[0].path, &data, &len, &err));
    CHECK_INT_EQ(len, 4);
    CHECK(memcmp(data, "v\nz\n", 4) == 0);
    base_free(data);
    io_file_list_free(&list);

    /* a value that is not an Int32 */
    CHECK(write_text(dir, "p=abc/c.csv", "v\nw\n"));
    CHECK_STATUS(scan_rows(t, NULL, NULL, &rows, &err), QV_CAST);
    CHECK_STR_EQ(err.message, "Arrow error: Cast error: Cannot cast string 'abc' to value of "
                              "Int32 type");
    arrow_batch_release(batch);
    arrow_array_release(cols[0]);
    arrow_array_release(cols[1]);
    arrow_array_release(five);
    arrow_schema_release(schema);
    arrow_field_release(fields[0]);
    catalog_table_release(t);
}

TEST(listing_creation_errors)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    catalog_table *t = NULL;
    char empty[96];
    snprintf(empty, sizeof empty, "%s/empty/", dir);
    CHECK_STATUS(csv_table(empty, "", NULL, 0, NULL, &t, &err), QV_PLAN);
    CHECK(strstr(err.message, "No files found at file:///") != NULL);
    CHECK(strstr(err.message, "/empty/. Cannot infer schema") != NULL);
    CHECK(t == NULL);

    CHECK(write_text(dir, "mixed/a=1/b=2/f.csv", "v\n1\n"));
    CHECK(write_text(dir, "mixed/b=2/a=1/f.csv", "v\n1\n"));
    char mixed[96];
    snprintf(mixed, sizeof mixed, "%s/mixed/", dir);
    CHECK_STATUS(csv_table(mixed, "", NULL, 0, NULL, &t, &err), QV_PLAN);
    CHECK_STR_EQ(err.message, "Error during planning: Found mixed partition values on disk "
                              "[[\"a\", \"b\"], [\"b\", \"a\"]]");

    CHECK(write_text(dir, "parts/a=1/b=2/f.csv", "v\n1\n"));
    char parts[96];
    snprintf(parts, sizeof parts, "%s/parts/", dir);
    const char *wrong[] = {"b"};
    CHECK_STATUS(csv_table(parts, "", NULL, 1, wrong, &t, &err), QV_PLAN);
    CHECK_STR_EQ(
        err.message,
        "Error during planning: Inferred partitions to be [\"a\", \"b\"], but got [\"b\"]");
    const char *prefix[] = {"a"};
    CHECK_OK(csv_table(parts, "", NULL, 1, prefix, &t, &err));
    CHECK_INT_EQ(t->schema->n_fields, 2);
    catalog_table_release(t);

    char file[96];
    snprintf(file, sizeof file, "%s/parts/a=1/b=2/f.csv", dir);
    CHECK_STATUS(csv_table(file, "", NULL, 1, prefix, &t, &err), QV_PLAN);
    CHECK(strstr(err.message, "Can't create a partitioned table backed by a single file") != NULL);

    char missing[96];
    snprintf(missing, sizeof missing, "%s/missing.csv", dir);
    CHECK_STATUS(csv_table(missing, "", NULL, 0, NULL, &t, &err), QV_NOT_FOUND);
    CHECK(strstr(err.message, "missing.csv") != NULL);
}

TEST(listing_sink_layouts)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    qv_error err;
    arrow_field *fields[2] = {NULL, NULL};
    CHECK_OK(
        arrow_field_new("k", arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &fields[0], &err));
    CHECK_OK(
        arrow_field_new("v", arrow_type_primitive(QV_TYPE_INT64), true, NULL, &fields[1], &err));
    arrow_schema *schema = NULL;
    CHECK_OK(arrow_schema_new(2, fields, NULL, &schema, &err));
    arrow_batch *batches[5] = {NULL};
    for (int i = 0; i < 5; i++) {
        arrow_builder *kb = NULL, *vb = NULL;
        arrow_array *cols[2] = {NULL, NULL};
        CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &kb, &err));
        CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_INT64), &vb, &err));
        if (i % 2 == 0)
            CHECK_OK(arrow_builder_append_bytes(kb, "a/b", 3, &err));
        else
            CHECK_OK(arrow_builder_append_null(kb, &err));
        CHECK_OK(arrow_builder_append_int(vb, i, &err));
        CHECK_OK(arrow_builder_finish(kb, &cols[0], &err));
        CHECK_OK(arrow_builder_finish(vb, &cols[1], &err));
        arrow_builder_free(kb);
        arrow_builder_free(vb);
        CHECK_OK(arrow_batch_new(schema, 1, cols, &batches[i], &err));
        arrow_array_release(cols[0]);
        arrow_array_release(cols[1]);
    }
    /* a directory: five batches dealt to at most two files */
    char out_dir[96];
    snprintf(out_dir, sizeof out_dir, "%s/rr", dir);
    catalog_sink_options so = {.format = CATALOG_FORMAT_NDJSON, .path = out_dir, .max_files = 2};
    csv_write_options_init(&so.csv);
    catalog_sink *sink = NULL;
    CHECK_OK(catalog_sink_new(&so, schema, &sink, &err));
    for (int i = 0; i < 5; i++)
        CHECK_OK(catalog_sink_write(sink, batches[i], &err));
    uint64_t rows = 0;
    CHECK_OK(catalog_sink_finish(sink, &rows, &err));
    CHECK_INT_EQ(rows, 5);
    io_file_list list = {0};
    CHECK_OK(io_list_files(out_dir, ".json", true, &list, &err));
    CHECK_INT_EQ(list.n, 2);
    CHECK(strstr(list.entries[0].path, "_0.json") != NULL);
    io_file_list_free(&list);

    /* hive directories, NULL as __HIVE_DEFAULT_PARTITION__, '/' encoded */
    snprintf(out_dir, sizeof out_dir, "%s/hive", dir);
    const char *by[] = {"k"};
    so = (catalog_sink_options){.format = CATALOG_FORMAT_CSV,
                                .path = out_dir,
                                .max_files = 4,
                                .partition_by = by,
                                .n_partition_by = 1,
                                .compression = QV_COMPRESSION_GZIP};
    csv_write_options_init(&so.csv);
    CHECK_OK(catalog_sink_new(&so, schema, &sink, &err));
    for (int i = 0; i < 5; i++)
        CHECK_OK(catalog_sink_write(sink, batches[i], &err));
    CHECK_OK(catalog_sink_finish(sink, &rows, &err));
    CHECK_OK(io_list_files(out_dir, ".csv.gz", true, &list, &err));
    CHECK_INT_EQ(list.n, 2);
    CHECK(strstr(list.entries[0].path, "/k=__HIVE_DEFAULT_PARTITION__/") != NULL);
    CHECK(strstr(list.entries[1].path, "/k=a%2Fb/") != NULL);
    uint8_t *data = NULL;
    int64_t len = 0;
    CHECK_OK(fmt_read_all(list.entries[1].path, QV_COMPRESSION_GZIP, &data, &len, &err));
    CHECK_INT_EQ(len, 8);
    CHECK(memcmp(data, "v\n0\n2\n4\n", 8) == 0);
    base_free(data);
    io_file_list_free(&list);

    /* read back as a table: the partition value is decoded */
    catalog_listing_options o;
    catalog_listing_options_init(&o);
    const char *paths[] = {out_dir};
    o.paths = paths;
    o.n_paths = 1;
    o.csv.compression = QV_COMPRESSION_GZIP;
    catalog_table *t = NULL;
    CHECK_OK(catalog_listing_table_new(&o, &t, &err));
    char *text = NULL;
    CHECK_OK(scan_rows(t, NULL, NULL, &text, &err));
    CHECK_STR_EQ(text, "0|a/b\n1|__HIVE_DEFAULT_PARTITION__\n2|a/b\n3|__HIVE_DEFAULT_PARTITION__\n"
                       "4|a/b");
    free(text);
    catalog_table_release(t);

    /* one file, even for no rows; an aborted sink leaves nothing */
    char file[96];
    snprintf(file, sizeof file, "%s/one.csv", dir);
    so = (catalog_sink_options){
        .format = CATALOG_FORMAT_CSV, .path = file, .single_file = true, .max_files = 1};
    csv_write_options_init(&so.csv);
    CHECK_OK(catalog_sink_new(&so, schema, &sink, &err));
    CHECK_OK(catalog_sink_finish(sink, &rows, &err));
    CHECK_INT_EQ(rows, 0);
    CHECK_INT_EQ(io_path_kind(file), IO_PATH_FILE);
    snprintf(file, sizeof file, "%s/aborted.csv", dir);
    so.path = file;
    CHECK_OK(catalog_sink_new(&so, schema, &sink, &err));
    CHECK_OK(catalog_sink_write(sink, batches[0], &err));
    catalog_sink_abort(sink);
    CHECK_INT_EQ(io_path_kind(file), IO_PATH_MISSING);
    const char *bad[] = {"nope"};
    so.partition_by = bad;
    so.n_partition_by = 1;
    CHECK_STATUS(catalog_sink_new(&so, schema, &sink, &err), QV_PLAN);

    for (int i = 0; i < 5; i++)
        arrow_batch_release(batches[i]);
    arrow_schema_release(schema);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
}

/* Every allocation of making, scanning and writing a table failing in
 * turn: an error comes back, nothing leaks or crashes. */
TEST(listing_out_of_memory)
{
    char dir[64];
    CHECK(make_temp_dir(dir, sizeof dir));
    CHECK(write_text(dir, "k=1/a.csv", "x,y\n1,one\n2,two\n"));
    CHECK(write_text(dir, "k=2/b.csv", "x,y\n3,three\n"));
    qv_error err;
    bool finished = false;
    int64_t n = 1;
    for (; n < 20000 && !finished; n++) {
        base_alloc_fail_after(n);
        catalog_table *t = NULL;
        char *rows = NULL;
        qv_status st = csv_table(dir, ".csv", NULL, 0, NULL, &t, &err);
        if (st == QV_OK)
            st = scan_rows(t, NULL, NULL, &rows, &err);
        if (st == QV_OK) {
            arrow_batch *batch = NULL;
            catalog_scan_args args = {.limit = -1, .batch_size = 8, .target_partitions = 1};
            catalog_scan *scan = NULL;
            catalog_stream *s = NULL;
            st = t->ops->scan(t, &args, &scan, &err);
            if (st == QV_OK)
                st = scan->open(scan, 0, &s, &err);
            if (st == QV_OK)
                st = s->next(s, &batch, &err);
            if (st == QV_OK && batch != NULL)
                st = t->ops->insert(t, NULL, &batch, 1, false, &err);
            arrow_batch_release(batch);
            if (s != NULL)
                s->free(s);
            if (scan != NULL)
                scan->free(scan);
        }
        bool failed = base_alloc_fail_triggered();
        base_alloc_fail_after(0);
        free(rows);
        catalog_table_release(t);
        if (!failed) {
            CHECK_OK(st);
            finished = true;
        }
    }
    CHECK(finished);
    CHECK(n > 100); /* the loop went through the whole path */
}
