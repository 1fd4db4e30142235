/*
 * test_csv.c — CSV schema inference (arrow-rs / DataFusion rules, chunked
 * inference, corpus files) and reading (values, projection, limit, batch
 * sizes, byte ranges, dialect options) with every error message.
 */
#define _DEFAULT_SOURCE
#include <unistd.h>

#include "fmt_test_util.h"
#include "test.h"

/* Infers the schema of text with opts (NULL: defaults); returns its string
 * or the error message prefixed by "ERR:". */
static const char *infer(const char *text, const csv_options *opts)
{
    static char out[8192];
    csv_options o;
    if (opts)
        o = *opts;
    else
        csv_options_init(&o);
    qv_error err;
    qv_error_clear(&err);
    arrow_schema *s = NULL;
    int64_t left = o.schema_infer_max_rec;
    if (csv_infer_buffer((const uint8_t *)text, strlen(text), &o, "t.csv", &left, &s, &err) !=
        QV_OK) {
        snprintf(out, sizeof out, "ERR:%s", err.message);
        return out;
    }
    snprintf(out, sizeof out, "%s", schema_str(s));
    arrow_schema_release(s);
    return out;
}

/* Reads text with the inferred schema; all rows rendered, or "ERR:msg". */
static char *read_all(const char *text, size_t len, const csv_options *opts, arrow_schema *schema,
                      const int32_t *proj, int32_t n_proj, int64_t batch_size, int64_t limit,
                      int64_t start, int64_t end, int64_t *n_batches)
{
    csv_options o;
    if (opts)
        o = *opts;
    else
        csv_options_init(&o);
    qv_error err;
    qv_error_clear(&err);
    arrow_schema *s = schema ? arrow_schema_retain(schema) : NULL;
    if (s == NULL) {
        int64_t left = o.schema_infer_max_rec;
        if (csv_infer_buffer((const uint8_t *)text, len, &o, "t.csv", &left, &s, &err) != QV_OK)
            return base_strdup(err.message);
    }
    csv_scan scan = {s, proj, n_proj, batch_size, limit, start, end};
    csv_reader *r;
    base_strbuf sb;
    base_strbuf_init(&sb);
    if (n_batches)
        *n_batches = 0;
    if (csv_reader_open_buffer((const uint8_t *)text, len, "t.csv", &o, &scan, &r, &err) != QV_OK) {
        base_strbuf_appendf(&sb, "ERR:%s", err.message);
        arrow_schema_release(s);
        return base_strbuf_take(&sb);
    }
    for (;;) {
        arrow_batch *b;
        if (csv_reader_next(r, &b, &err) != QV_OK) {
            base_strbuf_clear(&sb);
            base_strbuf_appendf(&sb, "ERR:%s", err.message);
            break;
        }
        if (b == NULL)
            break;
        if (batch_size > 0 && b->n_rows > batch_size)
            base_strbuf_append_str(&sb, "BATCH TOO BIG\n");
        batch_rows(b, &sb);
        if (n_batches)
            (*n_batches)++;
        arrow_batch_release(b);
    }
    csv_reader_free(r);
    arrow_schema_release(s);
    return base_strbuf_take(&sb);
}

static char *read_simple(const char *text, const csv_options *opts)
{
    return read_all(text, strlen(text), opts, NULL, NULL, 0, 0, -1, 0, -1, NULL);
}

/* Reads text with the schema inferred from schema_text. */
static char *read_as(const char *schema_text, const char *text, const csv_options *opts)
{
    csv_options o;
    if (opts)
        o = *opts;
    else
        csv_options_init(&o);
    qv_error err;
    arrow_schema *s;
    int64_t left = 1000;
    if (csv_infer_buffer((const uint8_t *)schema_text, strlen(schema_text), &o, NULL, &left, &s,
                         &err) != QV_OK)
        return base_strdup(err.message);
    char *got = read_all(text, strlen(text), &o, s, NULL, 0, 0, -1, 0, -1, NULL);
    arrow_schema_release(s);
    return got;
}

#define CHECK_READ(text, opts, expected)                                                           \
    do {                                                                                           \
        char *got_ = read_simple((text), (opts));                                                  \
        bool ok_ = got_ && strcmp(got_, (expected)) == 0;                                          \
        if (!ok_)                                                                                  \
            test_fail(__FILE__, __LINE__, "read gave \"%s\", expected \"%s\"",                     \
                      got_ ? got_ : "(null)", (expected));                                         \
        base_free(got_);                                                                           \
        if (!ok_)                                                                                  \
            return;                                                                                \
    } while (0)

/* ---- inference ---- */

TEST(csv_infer_scalar_types)
{
    CHECK_STR_EQ(infer("a,b,c,d,e,f,g\n1,1.5,true,2020-01-01,2020-01-01T10:00:00,x,\n", NULL),
                 "a: Int64, b: Float64, c: Boolean, d: Date32, e: Timestamp(s), f: Utf8, g: Null");
    CHECK_STR_EQ(infer("a,b,c\nTRUE,-7,.5\nFalse,0,5.\n", NULL),
                 "a: Boolean, b: Int64, c: Float64");
    CHECK_STR_EQ(infer("a,b,c,d\n1e5,NaN,inf,-inf\n", NULL),
                 "a: Float64, b: Float64, c: Float64, d: Float64");
    /* what the regexes refuse */
    CHECK_STR_EQ(infer("a,b,c,d,e\n+1,1e,Inf,yes,2020-1-1\n", NULL),
                 "a: Utf8, b: Utf8, c: Utf8, d: Utf8, e: Utf8");
}

TEST(csv_infer_merging_rules)
{
    CHECK_STR_EQ(infer("a\n1\n2.5\n", NULL), "a: Float64");
    CHECK_STR_EQ(infer("a\n1\ntrue\n", NULL), "a: Utf8");
    CHECK_STR_EQ(infer("a\n1\n2020-01-01\n", NULL), "a: Utf8");
    CHECK_STR_EQ(infer("a\n2020-01-01\n2020-01-01 10:00:00\n", NULL), "a: Timestamp(s)");
    CHECK_STR_EQ(infer("a\n2020-01-01 10:00:00.1\n2020-01-01T10:00:00\n", NULL),
                 "a: Timestamp(ms)");
    CHECK_STR_EQ(infer("a\n2020-01-01 10:00:00.1234\n", NULL), "a: Timestamp(µs)");
    CHECK_STR_EQ(infer("a\n2020-01-01 10:00:00.123456789Z\n", NULL), "a: Timestamp(ns)");
    CHECK_STR_EQ(infer("a\n2020-01-01 10:00:00.1234567890\n", NULL), "a: Utf8");
    CHECK_STR_EQ(infer("a\n2020-01-01 10:00:00+01:00\n", NULL), "a: Timestamp(s)");
    CHECK_STR_EQ(infer("a\n1.5\ntrue\n", NULL), "a: Utf8");
    CHECK_STR_EQ(infer("a,b\n,1\n,\n", NULL), "a: Null, b: Int64");
    /* a value that starts with a quote after unquoting is a string */
    CHECK_STR_EQ(infer("a\n\"\"\"1\"\"\"\n", NULL), "a: Utf8");
    /* quoted numbers are numbers */
    CHECK_STR_EQ(infer("a\n\"12\"\n", NULL), "a: Int64");
    /* Int64 overflow falls back to Utf8; the limits themselves fit */
    CHECK_STR_EQ(infer("a\n9223372036854775808\n", NULL), "a: Utf8");
    CHECK_STR_EQ(infer("a,b\n9223372036854775807,-9223372036854775808\n", NULL),
                 "a: Int64, b: Int64");
}

TEST(csv_infer_header_names_and_options)
{
    csv_options o;
    csv_options_init(&o);
    o.has_header = false;
    CHECK_STR_EQ(infer("1,x\n2,y\n", &o), "column_1: Int64, column_2: Utf8");
    csv_options_init(&o);
    o.delimiter = '|';
    o.quote = '~';
    CHECK_STR_EQ(infer("a b|c\n~1|2~|3\n", &o), "a b: Utf8, c: Int64");
    csv_options_init(&o);
    o.schema_infer_max_rec = 1;
    CHECK_STR_EQ(infer("a\n1\nx\n", &o), "a: Int64");
    o.schema_infer_max_rec = 0;
    CHECK_STR_EQ(infer("a\n1\nx\n", &o), "a: Null");
    csv_options_init(&o);
    o.string_type = QV_TYPE_UTF8_VIEW;
    CHECK_STR_EQ(infer("a\nx\n", &o), "a: Utf8View");
    csv_options_init(&o);
    o.null_regex = "^(NULL|N/A)$";
    CHECK_STR_EQ(infer("a,b\nNULL,\nN/A,1\n", &o), "a: Null, b: Utf8");
    csv_options_init(&o);
    o.comment = '#';
    CHECK_STR_EQ(infer("a,b\n#x\n1,2\n", &o), "a: Int64, b: Int64");
    /* empty input: no columns; header only: Null columns */
    CHECK_STR_EQ(infer("", NULL), "");
    CHECK_STR_EQ(infer("c1,c2,c3\n", NULL), "c1: Null, c2: Null, c3: Null");
    CHECK_STR_EQ(infer("\n\n\na\n\n1\n", NULL), "a: Int64");
}

TEST(csv_infer_errors)
{
    CHECK_STR_EQ(infer("a,b\n1,2\n3\n", NULL),
                 "ERR:Error when processing CSV file t.csv\ncaused by\nArrow error: Csv error: "
                 "Encountered unequal lengths between records on CSV file. Expected 2 records, "
                 "found 1 records at line 3");
    csv_options o;
    csv_options_init(&o);
    o.truncated_rows = true;
    CHECK_STR_EQ(infer("a,b\n1,2\n3\n", &o), "a: Int64, b: Int64");
    CHECK_STR_EQ(infer("a\n\"open\n", NULL),
                 "ERR:Error when processing CSV file t.csv\ncaused by\nObject Store error: "
                 "Generic LineDelimiter error: encountered unterminated string");
    CHECK_STR_EQ(infer("a\nx\\", NULL),
                 "ERR:Error when processing CSV file t.csv\ncaused by\nObject Store error: "
                 "Generic LineDelimiter error: encountered trailing escape character");
    CHECK_STR_EQ(infer("a\n\xff\n", NULL),
                 "ERR:Error when processing CSV file t.csv\ncaused by\nArrow error: Csv error: "
                 "Encountered UTF-8 error while reading CSV file: invalid utf-8: invalid UTF-8 "
                 "in field 0 near byte index 0 at line 2");
    o.null_regex = "(";
    CHECK(strncmp(infer("a\n1\n", &o), "ERR:Unable to parse CSV null regex '('", 38) == 0);
}

/* Inference sees 8 KiB newline-delimited chunks, each inferred alone and
 * merged by DataFusion's build_schema_helper. */
TEST(csv_infer_chunks_like_datafusion)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "a,b,c\n");
    /* first chunk: dates / ints / ints */
    while (sb.len < 20000) /* about 1330 records */
        base_strbuf_append_str(&sb, "2020-01-01,1,7\n");
    /* later chunks: timestamps / floats / nulls */
    for (int i = 0; i < 600; i++)
        base_strbuf_append_str(&sb, "2020-01-01 10:00:00,1.5,\n");
    csv_options o;
    csv_options_init(&o);
    o.schema_infer_max_rec = 100000;
    /* within one chunk Date32 + Timestamp would be Timestamp(s); across
     * chunks the two types conflict and give Utf8 */
    CHECK_STR_EQ(infer(sb.data, &o), "a: Utf8, b: Float64, c: Int64");
    o.infer_chunk_size = 1 << 20;
    CHECK_STR_EQ(infer(sb.data, &o), "a: Timestamp(s), b: Float64, c: Int64");
    /* the default budget of 1000 records stops inside the first chunks */
    CHECK_STR_EQ(infer(sb.data, NULL), "a: Date32, b: Int64, c: Int64");
    base_strbuf_free(&sb);
}

TEST(csv_infer_corpus_files)
{
    char path[512];
    csv_options o;
    csv_options_init(&o);
    qv_error err;
    arrow_schema *s;
    if (corpus_path("testing/data/csv/aggregate_test_100.csv", path, sizeof path)) {
        const char *p = path;
        CHECK_OK(csv_infer_files(&p, 1, &o, &s, &err));
        /* c10 has values past Int64::MAX, so it is a string */
        CHECK_STR_EQ(schema_str(s),
                     "c1: Utf8, c2: Int64, c3: Int64, c4: Int64, c5: Int64, c6: Int64, c7: Int64, "
                     "c8: Int64, c9: Int64, c10: Utf8, c11: Float64, c12: Float64, c13: Utf8");
        arrow_schema_release(s);
    }
    /* DESCRIBE in ddl.slt: c1 Float64, c2 Float64, c3 Boolean */
    if (corpus_path("datafusion/core/tests/data/aggregate_simple.csv", path, sizeof path)) {
        const char *p = path;
        CHECK_OK(csv_infer_files(&p, 1, &o, &s, &err));
        CHECK_STR_EQ(schema_str(s), "c1: Float64, c2: Float64, c3: Boolean");
        arrow_schema_release(s);
    }
    /* information_schema in ddl.slt: three Null columns */
    if (corpus_path("datafusion/core/tests/data/empty.csv", path, sizeof path)) {
        const char *p = path;
        CHECK_OK(csv_infer_files(&p, 1, &o, &s, &err));
        CHECK_STR_EQ(schema_str(s), "c1: Null, c2: Null, c3: Null");
        arrow_schema_release(s);
    }
    if (corpus_path("datafusion/core/tests/data/aggregate_simple_pipe.csv", path, sizeof path)) {
        const char *p = path;
        o.delimiter = '|';
        CHECK_OK(csv_infer_files(&p, 1, &o, &s, &err));
        CHECK_STR_EQ(schema_str(s), "c1: Float64, c2: Float64, c3: Boolean");
        arrow_schema_release(s);
    }
}

TEST(csv_infer_files_merge)
{
    char dir[] = "/tmp/qv_csv_mergeXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char p1[256], p2[256], p3[256];
    snprintf(p1, sizeof p1, "%s/1.csv", dir);
    snprintf(p2, sizeof p2, "%s/2.csv", dir);
    snprintf(p3, sizeof p3, "%s/3.csv", dir);
    FILE *f = fopen(p1, "w");
    fputs("a,b\n,1\n", f);
    fclose(f);
    f = fopen(p2, "w");
    fputs("a,c\nx,2\n", f);
    fclose(f);
    f = fopen(p3, "w");
    fputs("a\n1\n", f);
    fclose(f);
    csv_options o;
    csv_options_init(&o);
    qv_error err;
    arrow_schema *s;
    const char *paths[] = {p1, p2, p3};
    CHECK_OK(csv_infer_files(paths, 2, &o, &s, &err));
    CHECK_STR_EQ(schema_str(s), "a: Utf8, b: Int64, c: Int64");
    arrow_schema_release(s);
    CHECK_STATUS(csv_infer_files(paths, 3, &o, &s, &err), QV_SCHEMA);
    CHECK_STR_EQ(err.message, "Arrow error: Schema error: Fail to merge schema field 'a' because "
                              "the from data_type = Int64 does not equal Utf8");
    /* the record budget spans files: the second file is not read */
    o.schema_infer_max_rec = 1;
    CHECK_OK(csv_infer_files(paths, 2, &o, &s, &err));
    CHECK_STR_EQ(schema_str(s), "a: Null, b: Int64");
    arrow_schema_release(s);
    const char *missing = "/nonexistent/x.csv";
    CHECK_STATUS(csv_infer_files(&missing, 1, &o, &s, &err), QV_NOT_FOUND);
    CHECK_STR_EQ(err.message, "Unable to open file /nonexistent/x.csv: No such file or directory");
    remove(p1);
    remove(p2);
    remove(p3);
    rmdir(dir);
}

/* ---- reading ---- */

TEST(csv_read_values_of_inferred_types)
{
    CHECK_READ("a,b,c,d,e,f,g\n1,1.5,true,2020-01-01,2020-01-01T10:00:00.5,x,\n"
               "-2,,FALSE,,2021-02-03 04:05:06Z,\"q,\"\"r\",\n",
               NULL,
               "1|1.5|true|2020-01-01|2020-01-01T10:00:00.500|x|NULL\n"
               "-2|NULL|false|NULL|2021-02-03T04:05:06|q,\"r|NULL\n");
}

static qv_status make_schema(arrow_schema **out, int n, const char *const *names,
                             arrow_type *const *types, qv_error *err)
{
    arrow_field *fields[16] = {0};
    for (int i = 0; i < n; i++)
        QV_TRY(arrow_field_new(names[i], types[i], true, NULL, &fields[i], err));
    qv_status s = arrow_schema_new(n, fields, NULL, out, err);
    for (int i = 0; i < n; i++)
        arrow_field_release(fields[i]);
    return s;
}

TEST(csv_read_declared_types)
{
    qv_error err;
    arrow_type *dec, *ts, *tz, *t32, *dict;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL128, 10, 2, &dec, &err));
    CHECK_OK(arrow_type_timestamp(QV_UNIT_MILLISECOND, NULL, &ts, &err));
    CHECK_OK(arrow_type_timestamp(QV_UNIT_SECOND, "+01:00", &tz, &err));
    CHECK_OK(arrow_type_time(QV_TYPE_TIME32, QV_UNIT_SECOND, &t32, &err));
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT32),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &dict, &err));
    const char *names[] = {"i8", "u16", "f32", "dec", "ts", "tz", "t", "v", "d", "d64"};
    arrow_type *types[] = {arrow_type_primitive(QV_TYPE_INT8),
                           arrow_type_primitive(QV_TYPE_UINT16),
                           arrow_type_primitive(QV_TYPE_FLOAT32),
                           dec,
                           ts,
                           tz,
                           t32,
                           arrow_type_primitive(QV_TYPE_UTF8_VIEW),
                           dict,
                           arrow_type_primitive(QV_TYPE_DATE64)};
    arrow_schema *s;
    CHECK_OK(make_schema(&s, 10, names, types, &err));
    const char *text = "h\n-128,65535,0.25,-12.345,2020-01-01 00:00:01.5,2020-01-01T01:00:00,"
                       "23:59:58,a long string beyond twelve,k,2020-01-02\n";
    char *got = read_all(text, strlen(text), NULL, s, NULL, 0, 0, -1, 0, -1, NULL);
    CHECK_STR_EQ(got, "-128|65535|0.25|-12.34|2020-01-01T00:00:01.500|2020-01-01T01:00:00+01:00|"
                      "23:59:58|a long string beyond twelve|k|2020-01-02T00:00:00\n");
    base_free(got);
    arrow_schema_release(s);
    arrow_type_release(dec);
    arrow_type_release(ts);
    arrow_type_release(tz);
    arrow_type_release(t32);
    arrow_type_release(dict);
}

TEST(csv_read_projection_limit_and_batch_sizes)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "a,b,c\n");
    for (int i = 0; i < 1000; i++)
        base_strbuf_appendf(&sb, "%d,s%d,%d.5\n", i, i, i);
    int32_t proj[] = {2, 0};
    char *whole = read_all(sb.data, sb.len, NULL, NULL, proj, 2, 8192, -1, 0, -1, NULL);
    CHECK(strncmp(whole, "0.5|0\n1.5|1\n", 12) == 0);
    int64_t sizes[] = {1, 7, 8192};
    for (int k = 0; k < 3; k++) {
        int64_t n_batches;
        char *got = read_all(sb.data, sb.len, NULL, NULL, proj, 2, sizes[k], -1, 0, -1, &n_batches);
        CHECK_STR_EQ(got, whole);
        CHECK_INT_EQ(n_batches, (1000 + sizes[k] - 1) / sizes[k]);
        base_free(got);
        got = read_all(sb.data, sb.len, NULL, NULL, proj, 2, sizes[k], 10, 0, -1, &n_batches);
        CHECK_STR_EQ(got, "0.5|0\n1.5|1\n2.5|2\n3.5|3\n4.5|4\n5.5|5\n6.5|6\n7.5|7\n8.5|8\n9.5|9\n");
        base_free(got);
    }
    char *none = read_all(sb.data, sb.len, NULL, NULL, proj, 2, 7, 0, 0, -1, NULL);
    CHECK_STR_EQ(none, "");
    base_free(none);
    /* an empty projection still counts rows */
    int64_t n_batches;
    char *empty = read_all(sb.data, sb.len, NULL, NULL, proj, 0, 300, -1, 0, -1, &n_batches);
    CHECK_INT_EQ(n_batches, 4);
    base_free(empty);
    int32_t bad[] = {3};
    char *err = read_all(sb.data, sb.len, NULL, NULL, bad, 1, 7, -1, 0, -1, NULL);
    CHECK_STR_EQ(err, "ERR:Arrow error: Schema error: project index 3 out of bounds, max field 3");
    base_free(err);
    base_free(whole);
    base_strbuf_free(&sb);
}

TEST(csv_read_byte_ranges_cover_file_exactly_once)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "a,b\n");
    for (int i = 0; i < 200; i++)
        base_strbuf_appendf(&sb, "%d,%.*s\n", i, i % 13, "xxxxxxxxxxxxxxxxx");
    char *whole = read_all(sb.data, sb.len, NULL, NULL, NULL, 0, 64, -1, 0, -1, NULL);
    for (int parts = 1; parts <= 12; parts++) {
        base_strbuf joined;
        base_strbuf_init(&joined);
        int64_t step = (int64_t)sb.len / parts + 1;
        for (int64_t start = 0; start < (int64_t)sb.len; start += step) {
            char *got =
                read_all(sb.data, sb.len, NULL, NULL, NULL, 0, 7, -1, start, start + step, NULL);
            base_strbuf_append_str(&joined, got);
            base_free(got);
        }
        CHECK_STR_EQ(joined.data, whole);
        base_strbuf_free(&joined);
    }
    /* a range inside one record reads nothing */
    char *got = read_all(sb.data, sb.len, NULL, NULL, NULL, 0, 7, -1, 5, 6, NULL);
    CHECK_STR_EQ(got, "");
    base_free(got);
    base_free(whole);
    base_strbuf_free(&sb);
}

TEST(csv_read_dialects)
{
    csv_options o;
    csv_options_init(&o);
    /* CRLF, lone CR, blank lines, last line without terminator */
    CHECK_READ("a,b\r\n1,x\r\n\r\n2,y\r3,z", NULL, "1|x\n2|y\n3|z\n");
    o.terminator = '\r';
    CHECK_READ("c1,c2\rid0,value0\rid1,value1\r", &o, "id0|value0\nid1|value1\n");
    csv_options_init(&o);
    o.escape = '\\';
    CHECK_READ("c1,c2\n\"id0\",\"value\\\"0\"\n", &o, "id0|value\"0\n");
    o.escape = '"';
    CHECK_READ("c1,c2\n\"id0\",\"value\\\"0\"\n", &o, "id0|value\\0\"\n");
    csv_options_init(&o);
    CHECK_READ("c1,c2\nid0,\"\"\"value0\"\"\"\n", &o, "id0|\"value0\"\n");
    o.double_quote = false;
    CHECK_READ("c1\n\"a\"\"b\"\n", &o, "a\"b\"\n");
    csv_options_init(&o);
    o.comment = '#';
    o.has_header = false;
    CHECK_READ("column1,column2\n#second line is a comment\n2,3\n", &o, "column1|column2\n2|3\n");
    csv_options_init(&o);
    o.has_header = false;
    CHECK_READ("id,message\n1,\"hello\nworld\"\n", &o, "id|message\n1|hello\nworld\n");
    /* quotes open only at the start of a field; text after a closing quote stays */
    char *got = read_as("a,b\nx,y\n", "a,b\nx\"y,\"p\"q\n", NULL);
    CHECK_STR_EQ(got, "x\"y|pq\n");
    base_free(got);
    /* empty quoted field is NULL like an empty one */
    CHECK_READ("a,b\n\"\",1\n", NULL, "NULL|1\n");
    csv_options_init(&o);
    o.null_regex = "^NULL$";
    CHECK_READ("a,b\nNULL,\nx,y\n", &o, "NULL|\nx|y\n");
    csv_options_init(&o);
    o.truncated_rows = true;
    CHECK_READ("a,b,c\n1,2,3\n4\n", &o, "1|2|3\n4|NULL|NULL\n");
}

TEST(csv_read_errors)
{
    char *got = read_as("a,b\n1,2\n", "a,b\n1,2\n3\n", NULL);
    CHECK_STR_EQ(got, "ERR:Arrow error: Csv error: incorrect number of fields for line 3, "
                      "expected 2 got 1");
    base_free(got);
    csv_options o;
    csv_options_init(&o);
    o.truncated_rows = true;
    got = read_as("a,b\n1,2\n", "a,b\n1,2\n3,4,5\n", &o);
    CHECK_STR_EQ(got, "ERR:Arrow error: Csv error: incorrect number of fields for line 3, "
                      "expected 2 got 3");
    base_free(got);

    qv_error err;
    const char *names[] = {"a", "b", "c"};
    arrow_type *dec;
    CHECK_OK(arrow_type_decimal(QV_TYPE_DECIMAL128, 4, 1, &dec, &err));
    arrow_type *ts;
    CHECK_OK(arrow_type_timestamp(QV_UNIT_NANOSECOND, NULL, &ts, &err));
    arrow_type *types[] = {arrow_type_primitive(QV_TYPE_INT16), dec, ts};
    arrow_schema *s;
    CHECK_OK(make_schema(&s, 3, names, types, &err));
    const char *t1 = "a,b,c\n1,1.5,2020-01-01\n40000,2.5,2020-01-01\n";
    got = read_all(t1, strlen(t1), NULL, s, NULL, 0, 0, -1, 0, -1, NULL);
    CHECK_STR_EQ(got, "ERR:Arrow error: Parser error: Error while parsing value '40000' as type "
                      "'Int16' for column 0 at line 1. Row data: '[40000,2.5,2020-01-01]'");
    base_free(got);
    /* with batch size 1 the line still counts data rows from the range start */
    const char *t2 = "a,b,c\n1,1.5,2020-01-01\n2,x,2020-01-01\n";
    got = read_all(t2, strlen(t2), NULL, s, NULL, 0, 1, -1, 0, -1, NULL);
    CHECK_STR_EQ(got, "ERR:Arrow error: Parser error: can't parse the string value x to decimal");
    base_free(got);
    const char *t3 = "a,b,c\n1,12345,2020-01-01\n";
    got = read_all(t3, strlen(t3), NULL, s, NULL, 0, 1, -1, 0, -1, NULL);
    CHECK_STR_EQ(got, "ERR:Arrow error: Parser error: parse decimal overflow (12345)");
    base_free(got);
    const char *t4 = "a,b,c\n1,1,2020-01-01\n1,1,2020-13-01\n";
    got = read_all(t4, strlen(t4), NULL, s, NULL, 0, 1, -1, 0, -1, NULL);
    CHECK_STR_EQ(got, "ERR:Arrow error: Parser error: Error parsing column 2 at line 1: Parser "
                      "error: Error parsing timestamp from '2020-13-01': error parsing date");
    base_free(got);
    /* projection skips the bad column entirely */
    int32_t proj[] = {1};
    got = read_all(t1, strlen(t1), NULL, s, proj, 1, 0, -1, 0, -1, NULL);
    CHECK_STR_EQ(got, "1.5\n2.5\n");
    base_free(got);
    const char *t5 = "a,b,c\n1,1,x\xc3(\n";
    got = read_all(t5, strlen(t5), NULL, s, proj, 1, 0, -1, 0, -1, NULL);
    CHECK_STR_EQ(got, "ERR:Arrow error: Csv error: Encountered invalid UTF-8 data for line 2 and "
                      "field 3");
    base_free(got);
    arrow_schema_release(s);
    arrow_type_release(dec);
    arrow_type_release(ts);

    /* the file is named in the hint; unsupported types fail at open */
    arrow_type *bin[] = {arrow_type_primitive(QV_TYPE_BINARY)};
    CHECK_OK(make_schema(&s, 1, names, bin, &err));
    csv_scan scan = {s, NULL, 0, 0, -1, 0, -1};
    csv_options_init(&o);
    csv_reader *r;
    CHECK_STATUS(csv_reader_open_buffer((const uint8_t *)"a\n", 2, "x.csv", &o, &scan, &r, &err),
                 QV_NOT_IMPLEMENTED);
    CHECK_STR_EQ(err.message, "Arrow error: Parser error: Unsupported data type Binary");
    arrow_schema_release(s);
    CHECK_OK(make_schema(&s, 1, names, types, &err));
    scan.schema = s;
    CHECK_OK(csv_reader_open_buffer((const uint8_t *)"a\nz\n", 4, "x.csv", &o, &scan, &r, &err));
    arrow_batch *b;
    CHECK_STATUS(csv_reader_next(r, &b, &err), QV_CAST);
    CHECK_STR_EQ(err.hint, "in file x.csv");
    /* the error sticks */
    qv_error_clear(&err);
    CHECK_STATUS(csv_reader_next(r, &b, &err), QV_CAST);
    CHECK(strstr(err.message, "'z' as type 'Int16'") != NULL);
    csv_reader_free(r);
    CHECK_STATUS(csv_reader_open("/nonexistent.csv", &o, &scan, &r, &err), QV_NOT_FOUND);
    CHECK_STR_EQ(err.message, "Unable to open file /nonexistent.csv: No such file or directory");
    arrow_schema_release(s);
}

TEST(csv_read_corpus_file_in_ranges)
{
    char path[512];
    if (!corpus_path("testing/data/csv/aggregate_test_100.csv", path, sizeof path))
        return;
    csv_options o;
    csv_options_init(&o);
    qv_error err;
    arrow_schema *s;
    const char *p = path;
    CHECK_OK(csv_infer_files(&p, 1, &o, &s, &err));
    int64_t size = 14673;
    for (int parts = 1; parts <= 4; parts++) {
        int64_t rows = 0;
        double sum = 0;
        for (int k = 0; k < parts; k++) {
            csv_scan scan = {s, NULL, 0, 7, -1, size * k / parts, size * (k + 1) / parts};
            csv_reader *r;
            CHECK_OK(csv_reader_open(path, &o, &scan, &r, &err));
            for (;;) {
                arrow_batch *b;
                CHECK_OK(csv_reader_next(r, &b, &err));
                if (b == NULL)
                    break;
                rows += b->n_rows;
                const int64_t *c2 = (const int64_t *)arrow_array_values(b->columns[1]);
                for (int64_t i = 0; i < b->n_rows; i++)
                    sum += (double)c2[b->columns[1]->offset + i];
                arrow_batch_release(b);
            }
            csv_reader_free(r);
        }
        CHECK_INT_EQ(rows, 100);
        CHECK_INT_EQ((int64_t)sum, 285);
    }
    arrow_schema_release(s);
}

/* Compressed input is decompressed (tests/unit/listing covers the codecs);
 * plain text given as compressed fails with the codec's reason. */
TEST(csv_compression_names_and_plain_input)
{
    csv_options o;
    csv_options_init(&o);
    CHECK(csv_can_split(&o));
    fmt_compression c;
    CHECK(fmt_compression_parse("GZIP", &c) && c == QV_COMPRESSION_GZIP);
    CHECK(fmt_compression_parse("", &c) && c == QV_COMPRESSION_NONE);
    CHECK(!fmt_compression_parse("lz4", &c));
    o.compression = QV_COMPRESSION_GZIP;
    CHECK(!csv_can_split(&o));
    CHECK_STR_EQ(infer("a\n1\n", &o),
                 "ERR:Execution error: gzip decompression failed: incorrect header check");
    o.compression = QV_COMPRESSION_ZSTD;
    char *got = read_as("a\n1\n", "a\n1\n", &o);
    CHECK_STR_EQ(got, "Execution error: zstd decompression failed: Unknown frame descriptor");
    base_free(got);
}
