/*
 * test_ndjson.c — the JSON parser (strictness, escapes, surrogates, depth),
 * NDJSON inference (arrow-rs InferredType merging) and reading (projection,
 * limit, batch sizes, byte ranges, nested values, every error message).
 */
#define _DEFAULT_SOURCE
#include <unistd.h>

#include "fmt_test_util.h"
#include "format/json_int.h"
#include "test.h"

static const char *infer(const char *text)
{
    static char out[4096];
    ndjson_options o;
    ndjson_options_init(&o);
    qv_error err;
    qv_error_clear(&err);
    arrow_schema *s;
    int64_t left = o.schema_infer_max_rec;
    if (ndjson_infer_buffer((const uint8_t *)text, strlen(text), &o, "t.json", &left, &s, &err) !=
        QV_OK) {
        snprintf(out, sizeof out, "ERR:%s", err.message);
        return out;
    }
    snprintf(out, sizeof out, "%s", schema_str(s));
    arrow_schema_release(s);
    return out;
}

static char *read_all(const char *text, size_t len, arrow_schema *schema, const int32_t *proj,
                      int32_t n_proj, int64_t batch_size, int64_t limit, int64_t start, int64_t end)
{
    ndjson_options o;
    ndjson_options_init(&o);
    qv_error err;
    qv_error_clear(&err);
    arrow_schema *s = schema ? arrow_schema_retain(schema) : NULL;
    if (s == NULL) {
        int64_t left = 1000;
        if (ndjson_infer_buffer((const uint8_t *)text, len, &o, "t.json", &left, &s, &err) != QV_OK)
            return base_strdup(err.message);
    }
    ndjson_scan scan = {s, proj, n_proj, batch_size, limit, start, end};
    ndjson_reader *r;
    base_strbuf sb;
    base_strbuf_init(&sb);
    if (ndjson_reader_open_buffer((const uint8_t *)text, len, "t.json", &o, &scan, &r, &err) !=
        QV_OK) {
        base_strbuf_appendf(&sb, "ERR:%s", err.message);
        arrow_schema_release(s);
        return base_strbuf_take(&sb);
    }
    for (;;) {
        arrow_batch *b;
        if (ndjson_reader_next(r, &b, &err) != QV_OK) {
            base_strbuf_clear(&sb);
            base_strbuf_appendf(&sb, "ERR:%s [%s]", err.message, err.hint);
            break;
        }
        if (b == NULL)
            break;
        batch_rows(b, &sb);
        arrow_batch_release(b);
    }
    ndjson_reader_free(r);
    arrow_schema_release(s);
    return base_strbuf_take(&sb);
}

static const char *parse_reason(const char *text)
{
    static char reason[160];
    base_arena *arena = base_arena_new(1024);
    json_value *v;
    bool nomem;
    if (json_parse(text, strlen(text), 4, arena, &v, reason, sizeof reason, &nomem))
        snprintf(reason, sizeof reason, "OK");
    base_arena_free(arena);
    return reason;
}

TEST(json_parser_strict)
{
    CHECK_STR_EQ(parse_reason(" {\"a\": [1, -2.5e3, true, null, \"x\"]} "), "OK");
    CHECK_STR_EQ(parse_reason("{\"a\":1,}"), "key must be a string at line 1 column 8");
    CHECK_STR_EQ(parse_reason("[01]"), "expected `,` or `]` at line 1 column 3");
    CHECK_STR_EQ(parse_reason("[1.]"), "invalid number at line 1 column 4");
    CHECK_STR_EQ(parse_reason("NaN"), "expected value at line 1 column 1");
    CHECK_STR_EQ(parse_reason("\"a\tb\""),
                 "control character (\\u0000-\\u001F) found while parsing a string at line 1 "
                 "column 3");
    CHECK_STR_EQ(parse_reason("\"\\ud800\""), "unexpected end of hex escape at line 1 column 8");
    CHECK_STR_EQ(parse_reason("\"\\udc00\""),
                 "lone leading surrogate in hex escape at line 1 column 8");
    CHECK_STR_EQ(parse_reason("\"\xc3\x28\""), "invalid unicode code point at line 1 column 2");
    CHECK_STR_EQ(parse_reason("[[[[1]]]]"), "OK");
    CHECK_STR_EQ(parse_reason("[[[[[1]]]]]"), "recursion limit exceeded at line 1 column 5");
    CHECK_STR_EQ(parse_reason("{} x"), "trailing characters at line 1 column 4");
    CHECK_STR_EQ(parse_reason("\"abc"), "EOF while parsing a string at line 1 column 5");

    base_arena *arena = base_arena_new(1024);
    json_value *v;
    bool nomem;
    char reason[160];
    const char *text = "\"\\u00e9\\ud83d\\ude00\\n\\/\"";
    CHECK(json_parse(text, strlen(text), 8, arena, &v, reason, sizeof reason, &nomem));
    CHECK_INT_EQ(v->len, 2 + 4 + 2);
    CHECK(memcmp(v->text, "\xc3\xa9\xf0\x9f\x98\x80\n/", 8) == 0);
    text = "[9223372036854775807, 9223372036854775808, 1.0]";
    CHECK(json_parse(text, strlen(text), 8, arena, &v, reason, sizeof reason, &nomem));
    CHECK(v->items[0]->is_i64 && !v->items[1]->is_i64 && !v->items[2]->is_i64);
    base_arena_free(arena);
}

TEST(ndjson_infer_types)
{
    CHECK_STR_EQ(infer("{\"a\":1,\"b\":2.5,\"c\":true,\"d\":\"x\",\"e\":null}\n"),
                 "a: Int64, b: Float64, c: Boolean, d: Utf8, e: Null");
    CHECK_STR_EQ(infer("{\"a\":1}\n\n{\"a\":2.5,\"b\":3}\n"), "a: Float64, b: Int64");
    CHECK_STR_EQ(infer("{\"a\":1}\n{\"a\":\"x\"}\n"), "a: Utf8");
    CHECK_STR_EQ(infer("{\"a\":true}\n{\"a\":1}\n"), "a: Utf8");
    CHECK_STR_EQ(infer("{\"a\":null}\n{\"a\":1}\n"), "a: Int64");
    CHECK_STR_EQ(infer("{\"a\":[1,2]}\n{\"a\":[2.5]}\n"), "a: List(Float64)");
    CHECK_STR_EQ(infer("{\"a\":[null]}\n"), "a: List(Utf8)");
    CHECK_STR_EQ(infer("{\"a\":[]}\n"), "a: List(Null)");
    CHECK_STR_EQ(infer("{\"a\":1}\n{\"a\":[2]}\n"), "a: List(Int64)");
    CHECK_STR_EQ(infer("{\"a\":[2]}\n{\"a\":\"x\"}\n"), "a: List(Utf8)");
    CHECK_STR_EQ(infer("{\"a\":[[1],[2,3]]}\n"), "a: List(List(Int64))");
    CHECK_STR_EQ(infer("{\"s\":{\"y\":1,\"x\":\"a\"}}\n{\"s\":{\"z\":true,\"y\":2}}\n"),
                 "s: Struct(\"y\": Int64, \"x\": Utf8, \"z\": Boolean)");
    CHECK_STR_EQ(infer("{\"a\":[{\"x\":1},{\"y\":2}]}\n"),
                 "a: List(Struct(\"x\": Int64, \"y\": Int64))");
    CHECK_STR_EQ(infer("{\"b\":1,\"a\":2}\n{\"c\":3}\n"), "b: Int64, a: Int64, c: Int64");
    CHECK_STR_EQ(infer("{\"a\":18446744073709551615}\n"), "a: Float64");
}

TEST(ndjson_infer_errors)
{
    CHECK_STR_EQ(infer("{\"a\":1}\n[1]\n"),
                 "ERR:Arrow error: Json error: Expected JSON record to be an object, found [1]");
    CHECK_STR_EQ(infer("{\"a\":1\n"),
                 "ERR:Arrow error: Json error: Not valid JSON: EOF while parsing an object at "
                 "line 1 column 7");
    CHECK_STR_EQ(infer("{\"a\":{\"x\":1}}\n{\"a\":1}\n"),
                 "ERR:Arrow error: Json error: Expected scalar or scalar array JSON type, found: "
                 "Object");
    CHECK_STR_EQ(infer("{\"a\":1}\n{\"a\":{\"x\":1}}\n"),
                 "ERR:Arrow error: Json error: Expected object json type, found: Scalar");
    CHECK_STR_EQ(infer("{\"a\":[1,[2]]}\n"),
                 "ERR:Arrow error: Json error: Expected scalar value for scalar array, got: [2]");
    CHECK_STR_EQ(infer("{\"a\":[{\"x\":1},2]}\n"),
                 "ERR:Arrow error: Json error: Expected struct value for struct array, got: 2");
    /* past the record budget nothing is looked at */
    ndjson_options o;
    ndjson_options_init(&o);
    qv_error err;
    arrow_schema *s;
    int64_t left = 1;
    const char *text = "{\"a\":1}\nnot json\n";
    CHECK_OK(ndjson_infer_buffer((const uint8_t *)text, strlen(text), &o, NULL, &left, &s, &err));
    CHECK_STR_EQ(schema_str(s), "a: Int64");
    CHECK_INT_EQ(left, 0);
    arrow_schema_release(s);
}

TEST(ndjson_read_values)
{
    const char *text = "{\"a\":1,\"b\":\"x\",\"c\":[1,null],\"s\":{\"p\":true},\"z\":9}\n"
                       "{\"b\":null,\"a\":2.0e0,\"c\":null}\n"
                       "\n"
                       "{\"a\":3,\"a\":4,\"s\":{},\"c\":[]}\n";
    char *got = read_all(text, strlen(text), NULL, NULL, 0, 0, -1, 0, -1);
    CHECK_STR_EQ(got, "1.0|x|[1, NULL]|{p: true}|9\n2.0|NULL|NULL|NULL|NULL\n"
                      "4.0|NULL|[]|{p: NULL}|NULL\n");
    base_free(got);
}

TEST(ndjson_read_declared_types_and_errors)
{
    qv_error err;
    arrow_type *ts;
    CHECK_OK(arrow_type_timestamp(QV_UNIT_MILLISECOND, NULL, &ts, &err));
    const char *names[] = {"i", "s", "t", "d"};
    arrow_type *types[] = {arrow_type_primitive(QV_TYPE_INT32), arrow_type_primitive(QV_TYPE_UTF8),
                           ts, arrow_type_primitive(QV_TYPE_DATE32)};
    arrow_field *fields[4];
    for (int i = 0; i < 4; i++)
        CHECK_OK(arrow_field_new(names[i], types[i], true, NULL, &fields[i], &err));
    arrow_schema *s;
    CHECK_OK(arrow_schema_new(4, fields, NULL, &s, &err));
    for (int i = 0; i < 4; i++)
        arrow_field_release(fields[i]);
    arrow_type_release(ts);
    const char *ok =
        "{\"i\":\"7\",\"s\":\"a\",\"t\":\"2020-01-01T00:00:00.25Z\",\"d\":\"2020-01-02\"}\n"
        "{\"i\":7.9,\"t\":1000,\"d\":1}\n";
    char *got = read_all(ok, strlen(ok), s, NULL, 0, 1, -1, 0, -1);
    CHECK_STR_EQ(got,
                 "7|a|2020-01-01T00:00:00.250|2020-01-02\n7|NULL|1970-01-01T00:00:01|1970-01-02\n");
    base_free(got);
    const char *bad1 = "{\"i\":1}\n{\"s\":1}\n";
    got = read_all(bad1, strlen(bad1), s, NULL, 0, 0, -1, 0, -1);
    CHECK_STR_EQ(got, "ERR:Arrow error: Json error: whilst decoding field 's': expected string got "
                      "1 [in file t.json, line 2]");
    base_free(got);
    const char *bad2 = "{\"i\":\"x\"}\n";
    got = read_all(bad2, strlen(bad2), s, NULL, 0, 0, -1, 0, -1);
    CHECK_STR_EQ(got, "ERR:Arrow error: Json error: whilst decoding field 'i': failed to parse "
                      "\"x\" as Int32 [in file t.json, line 1]");
    base_free(got);
    const char *bad3 = "{\"i\":3000000000}\n";
    got = read_all(bad3, strlen(bad3), s, NULL, 0, 0, -1, 0, -1);
    CHECK_STR_EQ(got, "ERR:Arrow error: Json error: whilst decoding field 'i': failed to parse "
                      "3000000000 as Int32 [in file t.json, line 1]");
    base_free(got);
    const char *bad4 = "{\"i\":1}\n{\"i\":[1]}\n";
    got = read_all(bad4, strlen(bad4), s, NULL, 0, 0, -1, 0, -1);
    CHECK_STR_EQ(got, "ERR:Arrow error: Json error: whilst decoding field 'i': expected primitive "
                      "got [1] [in file t.json, line 2]");
    base_free(got);
    const char *bad5 = "{\"i\":1}\n{\"i\":}\n";
    got = read_all(bad5, strlen(bad5), s, NULL, 0, 0, -1, 0, -1);
    CHECK_STR_EQ(got, "ERR:Arrow error: Json error: Not valid JSON: expected value at line 1 "
                      "column 6 [in file t.json, line 2]");
    base_free(got);
    /* projection skips the bad column */
    int32_t proj[] = {0};
    got = read_all(bad1, strlen(bad1), s, proj, 1, 0, -1, 0, -1);
    CHECK_STR_EQ(got, "1\nNULL\n");
    base_free(got);
    arrow_schema_release(s);
}

TEST(ndjson_read_nested_error_path)
{
    const char *text = "{\"s\":{\"p\":{\"q\":1}}}\n{\"s\":{\"p\":{\"q\":\"x\"}}}\n";
    ndjson_options o;
    ndjson_options_init(&o);
    qv_error err;
    arrow_schema *s;
    int64_t left = 1;
    CHECK_OK(ndjson_infer_buffer((const uint8_t *)text, strlen(text), &o, NULL, &left, &s, &err));
    char *got = read_all(text, strlen(text), s, NULL, 0, 0, -1, 0, -1);
    CHECK_STR_EQ(got, "ERR:Arrow error: Json error: whilst decoding field 's': whilst decoding "
                      "field 'p': whilst decoding field 'q': failed to parse \"x\" as Int64 [in "
                      "file t.json, line 2]");
    base_free(got);
    arrow_schema_release(s);
}

TEST(ndjson_read_batches_limit_ranges)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (int i = 0; i < 300; i++)
        base_strbuf_appendf(&sb, "{\"a\":%d,\"b\":\"%.*s\"}\n", i, i % 11, "yyyyyyyyyyyyyy");
    char *whole = read_all(sb.data, sb.len, NULL, NULL, 0, 8192, -1, 0, -1);
    int64_t sizes[] = {1, 7, 8192};
    for (int k = 0; k < 3; k++) {
        char *got = read_all(sb.data, sb.len, NULL, NULL, 0, sizes[k], -1, 0, -1);
        CHECK_STR_EQ(got, whole);
        base_free(got);
    }
    int32_t proj[] = {1};
    char *got = read_all(sb.data, sb.len, NULL, proj, 1, 7, 3, 0, -1);
    CHECK_STR_EQ(got, "\ny\nyy\n");
    base_free(got);
    for (int parts = 1; parts <= 9; parts++) {
        base_strbuf joined;
        base_strbuf_init(&joined);
        int64_t step = (int64_t)sb.len / parts + 1;
        for (int64_t start = 0; start < (int64_t)sb.len; start += step) {
            char *part = read_all(sb.data, sb.len, NULL, NULL, 0, 7, -1, start, start + step);
            base_strbuf_append_str(&joined, part);
            base_free(part);
        }
        CHECK_STR_EQ(joined.data, whole);
        base_strbuf_free(&joined);
    }
    base_free(whole);
    base_strbuf_free(&sb);
}

TEST(ndjson_files)
{
    char dir[] = "/tmp/qv_ndjsonXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "%s/a.json", dir);
    snprintf(p2, sizeof p2, "%s/b.json", dir);
    FILE *f = fopen(p1, "w");
    fputs("{\"x\":1}\n{\"x\":null,\"y\":\"u\"}\n", f);
    fclose(f);
    f = fopen(p2, "w");
    fputs("{\"z\":[true]}\n", f);
    fclose(f);
    ndjson_options o;
    ndjson_options_init(&o);
    qv_error err;
    arrow_schema *s;
    const char *paths[] = {p1, p2};
    CHECK_OK(ndjson_infer_files(paths, 2, &o, &s, &err));
    CHECK_STR_EQ(schema_str(s), "x: Int64, y: Utf8, z: List(Boolean)");
    ndjson_scan scan = {s, NULL, 0, 1, -1, 0, -1};
    ndjson_reader *r;
    CHECK_OK(ndjson_reader_open(p1, &o, &scan, &r, &err));
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (;;) {
        arrow_batch *b;
        CHECK_OK(ndjson_reader_next(r, &b, &err));
        if (b == NULL)
            break;
        batch_rows(b, &sb);
        arrow_batch_release(b);
    }
    CHECK_STR_EQ(sb.data, "1|NULL|NULL\nNULL|u|NULL\n");
    base_strbuf_free(&sb);
    ndjson_reader_free(r);
    arrow_schema_release(s);
    remove(p1);
    remove(p2);
    rmdir(dir);
}
