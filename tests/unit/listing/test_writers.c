/*
 * test_writers.c — the CSV writer (quoting rules of each quote style,
 * escapes, NULL text, header once, whitespace trimming, refused types and
 * formats) and the NDJSON writer (omitted nulls, escapes, non-finite
 * floats, nested values), as arrow-rs's writers print them.
 */
#define _DEFAULT_SOURCE
#include <math.h>

#include "listing_test_util.h"
#include "test.h"

/* A batch of (name Utf8, x Float64, n Int32) rows. */
static qv_status make_batch(const char *const *names, const double *xs, const int32_t *ns,
                            int64_t n, arrow_batch **out, qv_error *err)
{
    arrow_type *types[3] = {arrow_type_primitive(QV_TYPE_UTF8),
                            arrow_type_primitive(QV_TYPE_FLOAT64),
                            arrow_type_primitive(QV_TYPE_INT32)};
    const char *col_names[3] = {"name", "x", "n"};
    arrow_field *fields[3] = {NULL};
    arrow_array *cols[3] = {NULL};
    arrow_schema *schema = NULL;
    qv_status st = QV_OK;
    for (int c = 0; c < 3 && st == QV_OK; c++)
        st = arrow_field_new(col_names[c], types[c], true, NULL, &fields[c], err);
    if (st == QV_OK)
        st = arrow_schema_new(3, fields, NULL, &schema, err);
    for (int c = 0; c < 3 && st == QV_OK; c++) {
        arrow_builder *b = NULL;
        st = arrow_builder_new(types[c], &b, err);
        for (int64_t r = 0; r < n && st == QV_OK; r++) {
            if (c == 0)
                st = names[r]
                         ? arrow_builder_append_bytes(b, names[r], (int64_t)strlen(names[r]), err)
                         : arrow_builder_append_null(b, err);
            else if (c == 1)
                st = arrow_builder_append_double(b, xs[r], err);
            else
                st = ns[r] < 0 ? arrow_builder_append_null(b, err)
                               : arrow_builder_append_int(b, ns[r], err);
        }
        if (st == QV_OK)
            st = arrow_builder_finish(b, &cols[c], err);
        arrow_builder_free(b);
    }
    if (st == QV_OK)
        st = arrow_batch_new(schema, n, cols, out, err);
    for (int c = 0; c < 3; c++) {
        arrow_array_release(cols[c]);
        arrow_field_release(fields[c]);
    }
    arrow_schema_release(schema);
    return st;
}

static qv_status write_csv(arrow_batch *batch, const csv_write_options *opts, int times,
                           base_strbuf *out, qv_error *err)
{
    csv_writer *w = NULL;
    QV_TRY(csv_writer_new(batch->schema, opts, &w, err));
    qv_status st = QV_OK;
    for (int i = 0; i < times && st == QV_OK; i++)
        st = csv_writer_write(w, batch, out, err);
    csv_writer_free(w);
    return st;
}

TEST(csv_writer_quoting_and_nulls)
{
    qv_error err;
    const char *names[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "", NULL};
    double xs[] = {1.5, 1.0, -0.25, 1e20, 3, 0};
    int32_t ns[] = {1, -1, 3, 4, 5, 6};
    arrow_batch *batch = NULL;
    CHECK_OK(make_batch(names, xs, ns, 6, &batch, &err));
    csv_write_options o;
    csv_write_options_init(&o);
    base_strbuf sb;
    base_strbuf_init(&sb);
    CHECK_OK(write_csv(batch, &o, 2, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "name,x,n\n"
                                        "plain,1.5,1\n"
                                        "\"a,b\",1.0,\n"
                                        "\"say \"\"hi\"\"\",-0.25,3\n"
                                        "\"two\nlines\",1e20,4\n"
                                        ",3.0,5\n"
                                        ",0.0,6\n"
                                        "plain,1.5,1\n"
                                        "\"a,b\",1.0,\n"
                                        "\"say \"\"hi\"\"\",-0.25,3\n"
                                        "\"two\nlines\",1e20,4\n"
                                        ",3.0,5\n"
                                        ",0.0,6\n");
    /* escaped quotes, another delimiter, NULL text, no header */
    base_strbuf_clear(&sb);
    o.has_header = false;
    o.double_quote = false;
    o.escape = '#';
    o.delimiter = ';';
    o.null_value = "\\N";
    CHECK_OK(write_csv(batch, &o, 1, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "plain;1.5;1\n"
                                        "a,b;1.0;\\N\n"
                                        "\"say #\"hi#\"\";-0.25;3\n"
                                        "\"two\nlines\";1e20;4\n"
                                        ";3.0;5\n"
                                        "\\N;0.0;6\n");
    base_strbuf_free(&sb);
    arrow_batch_release(batch);
}

TEST(csv_writer_quote_styles_and_trimming)
{
    qv_error err;
    const char *names[] = {"  pad  ", "x"};
    double xs[] = {2.5, -1};
    int32_t ns[] = {7, -1};
    arrow_batch *batch = NULL;
    CHECK_OK(make_batch(names, xs, ns, 2, &batch, &err));
    csv_write_options o;
    csv_write_options_init(&o);
    o.has_header = false;
    base_strbuf sb;
    base_strbuf_init(&sb);
    o.quote_style = CSV_QUOTE_ALWAYS;
    CHECK_OK(write_csv(batch, &o, 1, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "\"  pad  \",\"2.5\",\"7\"\n\"x\",\"-1.0\",\"\"\n");
    base_strbuf_clear(&sb);
    o.quote_style = CSV_QUOTE_NON_NUMERIC;
    CHECK_OK(write_csv(batch, &o, 1, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "\"  pad  \",2.5,7\n\"x\",-1.0,\"\"\n");
    base_strbuf_clear(&sb);
    o.quote_style = CSV_QUOTE_NEVER;
    o.trim_leading = true;
    CHECK_OK(write_csv(batch, &o, 1, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "pad  ,2.5,7\nx,-1.0,\n");
    base_strbuf_clear(&sb);
    o.trim_trailing = true;
    CHECK_OK(write_csv(batch, &o, 1, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "pad,2.5,7\nx,-1.0,\n");
    base_strbuf_free(&sb);
    arrow_batch_release(batch);
}

/* One column holding one empty string: the csv crate writes "". */
TEST(csv_writer_single_empty_field)
{
    qv_error err;
    arrow_field *f = NULL;
    arrow_schema *schema = NULL;
    CHECK_OK(arrow_field_new("s", arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &f, &err));
    CHECK_OK(arrow_schema_new(1, &f, NULL, &schema, &err));
    arrow_builder *b = NULL;
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &b, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "", 0, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "v", 1, &err));
    arrow_array *col = NULL;
    CHECK_OK(arrow_builder_finish(b, &col, &err));
    arrow_builder_free(b);
    arrow_batch *batch = NULL;
    CHECK_OK(arrow_batch_new(schema, 2, &col, &batch, &err));
    csv_write_options o;
    csv_write_options_init(&o);
    base_strbuf sb;
    base_strbuf_init(&sb);
    CHECK_OK(write_csv(batch, &o, 1, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "s\n\"\"\nv\n");
    base_strbuf_free(&sb);
    arrow_batch_release(batch);
    arrow_array_release(col);
    arrow_schema_release(schema);
    arrow_field_release(f);
}

TEST(csv_writer_refuses_nested_types_and_formats)
{
    qv_error err;
    arrow_type *list = NULL, *ts = NULL;
    CHECK_OK(arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(QV_TYPE_INT64), &list, &err));
    CHECK_OK(arrow_type_timestamp(QV_UNIT_SECOND, NULL, &ts, &err));
    arrow_field *fields[2] = {NULL, NULL};
    CHECK_OK(arrow_field_new("l", list, true, NULL, &fields[0], &err));
    CHECK_OK(arrow_field_new("t", ts, true, NULL, &fields[1], &err));
    arrow_schema *nested = NULL, *times = NULL;
    CHECK_OK(arrow_schema_new(1, fields, NULL, &nested, &err));
    CHECK_OK(arrow_schema_new(1, fields + 1, NULL, &times, &err));
    csv_write_options o;
    csv_write_options_init(&o);
    csv_writer *w = NULL;
    CHECK_STATUS(csv_writer_new(nested, &o, &w, &err), QV_NOT_IMPLEMENTED);
    CHECK_STR_EQ(err.message,
                 "Arrow error: Csv error: Nested type List(Int64) is not supported in CSV");
    o.timestamp_format = "%Y";
    CHECK_STATUS(csv_writer_new(times, &o, &w, &err), QV_NOT_IMPLEMENTED);
    o.timestamp_format = NULL;
    o.date_format = "%Y"; /* no date column: nothing to format */
    CHECK_OK(csv_writer_new(times, &o, &w, &err));
    csv_writer_free(w);
    arrow_schema_release(nested);
    arrow_schema_release(times);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    arrow_type_release(list);
    arrow_type_release(ts);
}

TEST(ndjson_writer_rows)
{
    qv_error err;
    const char *names[] = {"a\"b\\c\n\x01", NULL, "z"};
    double xs[] = {NAN, INFINITY, 0.5};
    int32_t ns[] = {-1, 2, 3};
    arrow_batch *batch = NULL;
    CHECK_OK(make_batch(names, xs, ns, 3, &batch, &err));
    base_strbuf sb;
    base_strbuf_init(&sb);
    CHECK_OK(ndjson_write_batch(batch, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "{\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"x\":null}\n"
                                        "{\"x\":null,\"n\":2}\n"
                                        "{\"name\":\"z\",\"x\":0.5,\"n\":3}\n");
    base_strbuf_free(&sb);
    arrow_batch_release(batch);
}

TEST(ndjson_writer_nested_values)
{
    qv_error err;
    /* s: Struct(k Utf8, v List(Int64)) */
    arrow_type *list = NULL, *st_type = NULL;
    CHECK_OK(arrow_type_list_of(QV_TYPE_LIST, arrow_type_primitive(QV_TYPE_INT64), &list, &err));
    arrow_field *kids[2] = {NULL, NULL};
    CHECK_OK(arrow_field_new("k", arrow_type_primitive(QV_TYPE_UTF8), true, NULL, &kids[0], &err));
    CHECK_OK(arrow_field_new("v", list, true, NULL, &kids[1], &err));
    CHECK_OK(arrow_type_struct(2, kids, &st_type, &err));
    arrow_builder *b = NULL;
    CHECK_OK(arrow_builder_new(st_type, &b, &err));
    arrow_builder *k = arrow_builder_child(b, 0), *v = arrow_builder_child(b, 1);
    CHECK_OK(arrow_builder_append_bytes(k, "x", 1, &err));
    CHECK_OK(arrow_builder_append_int(arrow_builder_child(v, 0), 1, &err));
    CHECK_OK(arrow_builder_append_null(arrow_builder_child(v, 0), &err));
    CHECK_OK(arrow_builder_end_list(v, true, &err));
    CHECK_OK(arrow_builder_append_struct(b, true, &err));
    CHECK_OK(arrow_builder_append_null(k, &err));
    CHECK_OK(arrow_builder_end_list(v, true, &err));
    CHECK_OK(arrow_builder_append_struct(b, true, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    arrow_array *col = NULL;
    CHECK_OK(arrow_builder_finish(b, &col, &err));
    arrow_builder_free(b);
    arrow_field *f = NULL;
    arrow_schema *schema = NULL;
    CHECK_OK(arrow_field_new("s", st_type, true, NULL, &f, &err));
    CHECK_OK(arrow_schema_new(1, &f, NULL, &schema, &err));
    arrow_batch *batch = NULL;
    CHECK_OK(arrow_batch_new(schema, 3, &col, &batch, &err));
    base_strbuf sb;
    base_strbuf_init(&sb);
    CHECK_OK(ndjson_write_batch(batch, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "{\"s\":{\"k\":\"x\",\"v\":[1,null]}}\n"
                                        "{\"s\":{\"v\":[]}}\n"
                                        "{}\n");
    /* a slice keeps the struct's children in step */
    arrow_batch *tail = NULL;
    CHECK_OK(arrow_batch_slice(batch, 1, 1, &tail, &err));
    base_strbuf_clear(&sb);
    CHECK_OK(ndjson_write_batch(tail, &sb, &err));
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "{\"s\":{\"v\":[]}}\n");
    base_strbuf_free(&sb);
    arrow_batch_release(tail);
    arrow_batch_release(batch);
    arrow_schema_release(schema);
    arrow_field_release(f);
    arrow_array_release(col);
    arrow_field_release(kids[0]);
    arrow_field_release(kids[1]);
    arrow_type_release(st_type);
    arrow_type_release(list);
}
