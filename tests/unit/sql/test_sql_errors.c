/*
 * test_sql_errors.c — unit tests for the SQL front end's errors: exact
 * sqlparser-rs / DataFusion messages (ParserError / TokenizerError, token
 * rendering, EOF without a position) with line and column kept in qv_error,
 * "did you mean" hints, DataFusion's CREATE EXTERNAL TABLE and COPY
 * messages, the caret rendering, the depth / length / token limits, and
 * out-of-memory at every allocation without leaks.
 */
#include "sql_test_util.h"
#include "test.h"

#define CHECK_ERROR(sql, status, expected_message, expected_line, expected_column)                 \
    do {                                                                                           \
        qv_error err_;                                                                             \
        CHECK_STATUS(sqlt_parse_error((sql), &err_), (status));                                    \
        CHECK_STR_EQ(err_.message, (expected_message));                                            \
        CHECK_INT_EQ(err_.line, (expected_line));                                                  \
        CHECK_INT_EQ(err_.column, (expected_column));                                              \
    } while (0)

/* DataFusion's wrapping of a sqlparser-rs ParserError / TokenizerError. */
#define PARSER_ERROR(text) "SQL error: ParserError(\"" text "\")"
#define TOKENIZER_ERROR(text) "SQL error: TokenizerError(\"" text "\")"

TEST(error_expected_found_with_position)
{
    CHECK_ERROR("SELECT a,\n  b\nWHERE (x + 1 FROM t", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: FROM at Line: 3, Column: 14"), 3, 14);
    CHECK_ERROR("SELECT 1 2", QV_SYNTAX,
                PARSER_ERROR("Expected: end of statement, found: 2 at Line: 1, Column: 10"), 1, 10);
    CHECK_ERROR("SELECT DISTINCT ALL a", QV_SYNTAX,
                PARSER_ERROR("Cannot specify DISTINCT then ALL at Line: 1, Column: 8"), 1, 8);
    CHECK_ERROR("SELECT ALL DISTINCT a", QV_SYNTAX,
                PARSER_ERROR("Cannot specify ALL then DISTINCT at Line: 1, Column: 8"), 1, 8);
    CHECK_ERROR("VALUES (1),()", QV_SYNTAX,
                PARSER_ERROR("Expected: an expression, found: ) at Line: 1, Column: 13"), 1, 13);
    CHECK_ERROR("select * from unnest();", QV_SYNTAX,
                PARSER_ERROR("Expected: an expression, found: ) at Line: 1, Column: 22"), 1, 22);
    CHECK_ERROR("CREATE TABLE t(vendor_id_utf8, vendor_id_dict)", QV_SYNTAX,
                PARSER_ERROR("Expected: a data type name, found: , at Line: 1, Column: 30"), 1, 30);
    CHECK_ERROR("CREATE TABLE t (a INT b INT)", QV_SYNTAX,
                PARSER_ERROR("Expected: ',' or ')' after column definition, found: b at Line: "
                             "1, Column: 23"),
                1, 23);
    CHECK_ERROR("SELCT 1", QV_SYNTAX,
                PARSER_ERROR("Expected: an SQL statement, found: SELCT at Line: 1, Column: 1"), 1,
                1);
    CHECK_ERROR("SELECT a FROM t WHERE a IS 5", QV_SYNTAX,
                PARSER_ERROR("Expected: [NOT] NULL | TRUE | FALSE | DISTINCT | [form] "
                             "NORMALIZED FROM after IS, found: 5 at Line: 1, Column: 28"),
                1, 28);
    CHECK_ERROR("SELECT a FROM t WHERE a IS NOT 5", QV_SYNTAX,
                PARSER_ERROR("Expected: [NOT] NULL | TRUE | FALSE | DISTINCT | [form] "
                             "NORMALIZED FROM after IS, found: NOT at Line: 1, Column: 28"),
                1, 28);
    CHECK_ERROR("SELECT a FROM t WHERE a NOT 5", QV_SYNTAX,
                PARSER_ERROR("Expected: end of statement, found: NOT at Line: 1, Column: 25"), 1,
                25);
}

TEST(error_at_eof_has_no_position_in_the_text)
{
    /* sqlparser-rs's EOF token has no location; err still records where the
     * input ends, for the CLI's caret. */
    CHECK_ERROR("SELECT (1", QV_SYNTAX, PARSER_ERROR("Expected: ), found: EOF"), 1, 10);
    CHECK_ERROR("SELECT abs(1", QV_SYNTAX, PARSER_ERROR("Expected: ), found: EOF"), 1, 13);
    CHECK_ERROR("SELECT 1 +", QV_SYNTAX, PARSER_ERROR("Expected: an expression, found: EOF"), 1,
                11);
    CHECK_ERROR("SELECT x FROM t WHERE", QV_SYNTAX,
                PARSER_ERROR("Expected: an expression, found: EOF"), 1, 22);
    CHECK_ERROR("VALUES", QV_SYNTAX, PARSER_ERROR("Expected: (, found: EOF"), 1, 7);
    CHECK_ERROR("COPY (select col2, sum(col1) from source_table", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: EOF"), 1, 47);
}

TEST(error_tokens_render_as_sqlparser_displays_them)
{
    /* Words as written (any case), quoted identifiers and strings with their
     * quotes, numbers as written; the text is escaped as Rust's Debug does. */
    CHECK_ERROR("select (1 from", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: from at Line: 1, Column: 11"), 1, 11);
    CHECK_ERROR("SELECT (1 \"Col\"", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: \\\"Col\\\" at Line: 1, Column: 11"), 1, 11);
    CHECK_ERROR("SELECT (1 `c`", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: `c` at Line: 1, Column: 11"), 1, 11);
    CHECK_ERROR("SELECT (1 'it''s'", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: 'it's' at Line: 1, Column: 11"), 1, 11);
    CHECK_ERROR("SELECT (1 E'a\\nb'", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: E'a\\nb' at Line: 1, Column: 11"), 1, 11);
    CHECK_ERROR("SELECT (1 X'AB'", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: X'AB' at Line: 1, Column: 11"), 1, 11);
    CHECK_ERROR("SELECT (1 $$x$$", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: $$x$$ at Line: 1, Column: 11"), 1, 11);
    CHECK_ERROR("SELECT (1 2.5e3", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: 2.5e3 at Line: 1, Column: 11"), 1, 11);
    CHECK_ERROR("SELECT (1 $1", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: $1 at Line: 1, Column: 11"), 1, 11);
    CHECK_ERROR("SELECT (1 ;", QV_SYNTAX,
                PARSER_ERROR("Expected: ), found: ; at Line: 1, Column: 11"), 1, 11);
    /* A character no token takes is a token of its own, as in sqlparser-rs. */
    CHECK_ERROR("SELECT 1 \\ 2", QV_SYNTAX,
                PARSER_ERROR("Expected: end of statement, found: \\\\ at Line: 1, Column: 10"), 1,
                10);
}

TEST(error_columns_count_characters)
{
    CHECK_ERROR("SELECT 'héllo' +", QV_SYNTAX, PARSER_ERROR("Expected: an expression, found: EOF"),
                1, 17);
    CHECK_ERROR("SELECT 'héllo' (", QV_SYNTAX,
                PARSER_ERROR("Expected: end of statement, found: ( at Line: 1, Column: 16"), 1, 16);
}

TEST(error_lexer)
{
    CHECK_ERROR("SELECT 'abc", QV_SYNTAX,
                TOKENIZER_ERROR("Unterminated string literal at Line: 1, Column: 8"), 1, 8);
    CHECK_ERROR("SELECT E'abc", QV_SYNTAX,
                TOKENIZER_ERROR("Unterminated encoded string literal at Line: 1, Column: 8"), 1, 8);
    CHECK_ERROR("SELECT X'ab", QV_SYNTAX,
                TOKENIZER_ERROR("Unterminated string literal at Line: 1, Column: 9"), 1, 9);
    CHECK_ERROR("SELECT 1 /* open", QV_SYNTAX,
                TOKENIZER_ERROR("Unexpected EOF while in a multi-line comment at Line: 1, "
                                "Column: 17"),
                1, 17);
    CHECK_ERROR("SELECT \"abc", QV_SYNTAX,
                TOKENIZER_ERROR("Expected close delimiter '\\\"' before EOF. at Line: 1, Column: "
                                "8"),
                1, 8);
    CHECK_ERROR("SELECT `abc", QV_SYNTAX,
                TOKENIZER_ERROR("Expected close delimiter '`' before EOF. at Line: 1, Column: 8"),
                1, 8);
    CHECK_ERROR("SELECT $$abc", QV_SYNTAX,
                TOKENIZER_ERROR("Unterminated dollar-quoted string at Line: 1, Column: 13"), 1, 13);
    CHECK_ERROR("SELECT $t$abc\nx", QV_SYNTAX,
                TOKENIZER_ERROR("Unterminated dollar-quoted, expected $ at Line: 2, Column: 2"), 2,
                2);
}

TEST(error_hints_for_near_miss_keywords)
{
    qv_error err;
    CHECK_STATUS(sqlt_parse_error("SELCT 1", &err), QV_SYNTAX);
    CHECK_STR_EQ(err.hint, "did you mean SELECT?");
    CHECK_STATUS(sqlt_parse_error("CREATE TABEL t (a INT)", &err), QV_SYNTAX);
    CHECK_STR_EQ(err.message,
                 PARSER_ERROR("Expected: an object type after CREATE, found: TABEL at Line: 1, "
                              "Column: 8"));
    CHECK_STR_EQ(err.hint, "did you mean TABLE?");
    CHECK_STATUS(sqlt_parse_error("CREATE EXTERNAL TABLE t STORED AS CSV LOCATON 'x'", &err),
                 QV_SYNTAX);
    CHECK_STR_EQ(err.hint, "did you mean LOCATION?");
    CHECK_STATUS(sqlt_parse_error("FOO", &err), QV_SYNTAX);
    CHECK_STR_EQ(err.hint, "");
}

TEST(error_create_external_table_messages)
{
    /* DataFusion's own checks carry no position in their text. */
    CHECK_ERROR("CREATE EXTERNAL TABLE t", QV_SYNTAX,
                PARSER_ERROR("Missing STORED AS clause in CREATE EXTERNAL TABLE statement"), 1, 24);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV", QV_SYNTAX,
                PARSER_ERROR("Missing LOCATION clause in CREATE EXTERNAL TABLE statement"), 1, 38);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV LOCATION 'a' LOCATION 'b'", QV_SYNTAX,
                PARSER_ERROR("LOCATION specified more than once"), 1, 52);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS x OPTIONS ('k1' 'v1', k2 v2, k3) LOCATION "
                "'blahblah'",
                QV_SYNTAX,
                PARSER_ERROR("Expected: string or numeric value, found: ) at Line: 1, Column: 66"),
                1, 66);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV OPTIONS (1 2) LOCATION 'x'", QV_SYNTAX,
                PARSER_ERROR("Expected: key name, found: 1 at Line: 1, Column: 48"), 1, 48);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV OPTIONS ('a' 'b' 'c' 'd') LOCATION 'x'",
                QV_SYNTAX,
                PARSER_ERROR("Expected: ',' or ')' after option definition, found: 'c' at Line: "
                             "1, Column: 56"),
                1, 56);
    CHECK_ERROR("CREATE EXTERNAL TABLE t(c1 int) STORED AS CSV WITH ORDER c1 LOCATION 'foo.csv'",
                QV_SYNTAX, PARSER_ERROR("Expected: (, found: c1 at Line: 1, Column: 58"), 1, 58);
    CHECK_ERROR("CREATE EXTERNAL TABLE t(c1 int) STORED AS CSV FOOBAR BARBAR LOCATION 'foo.csv'",
                QV_SYNTAX,
                PARSER_ERROR("Expected: end of statement or ;, found: FOOBAR at Line: 1, Column: "
                             "47"),
                1, 47);
    CHECK_ERROR("CREATE OR REPLACE EXTERNAL TABLE IF NOT EXISTS t STORED AS CSV LOCATION 'x'",
                QV_SYNTAX, PARSER_ERROR("'IF NOT EXISTS' cannot coexist with 'REPLACE'"), 1, 34);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED CSV LOCATION 'x'", QV_SYNTAX,
                PARSER_ERROR("Expected: AS, found: CSV at Line: 1, Column: 32"), 1, 32);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS 'csv' LOCATION 'x'", QV_SYNTAX,
                PARSER_ERROR("Expected: one of ARROW, PARQUET, NDJSON, or CSV, found: 'csv' at "
                             "Line: 1, Column: 35"),
                1, 35);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV LOCATION 1", QV_SYNTAX,
                PARSER_ERROR("Expected: literal string, found: 1 at Line: 1, Column: 48"), 1, 48);
    CHECK_ERROR("CREATE EXTERNAL TABLE t(a INT) STORED AS CSV PARTITIONED BY (a INT b) "
                "LOCATION 'x'",
                QV_SYNTAX,
                PARSER_ERROR("Expected: ',' or ')' after column definition, found: b at Line: 1, "
                             "Column: 68"),
                1, 68);
    CHECK_ERROR("CREATE EXTERNAL TABLE t(a INT) STORED AS CSV PARTITIONED BY (a, 1) LOCATION 'x'",
                QV_SYNTAX,
                PARSER_ERROR("Expected: partition name, found: 1 at Line: 1, Column: 65"), 1, 65);
}

TEST(error_copy_messages)
{
    CHECK_ERROR("COPY source_table  to '/tmp/table.parquet' (row_group_size 55 + 102);", QV_SYNTAX,
                PARSER_ERROR("Expected: end of statement or ;, found: ( at Line: 1, Column: 44"), 1,
                44);
    CHECK_ERROR("COPY t STORED AS CSV", QV_SYNTAX,
                PARSER_ERROR("Missing TO clause in COPY statement"), 1, 21);
    CHECK_ERROR("COPY t TO 'a' TO 'b'", QV_SYNTAX, PARSER_ERROR("TO specified more than once"), 1,
                15);
    CHECK_ERROR("COPY t TO", QV_SYNTAX, PARSER_ERROR("Expected: literal string, found: EOF"), 1,
                10);
}

TEST(error_removed_external_table_clauses)
{
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV WITH HEADER ROW LOCATION 'x'", QV_SYNTAX,
                PARSER_ERROR("WITH HEADER ROW clause is no longer in use. Please use the OPTIONS "
                             "clause with 'format.has_header' set appropriately, e.g., OPTIONS "
                             "(format.has_header true)"),
                1, 39);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV DELIMITER ',' LOCATION 'x'", QV_SYNTAX,
                PARSER_ERROR("DELIMITER clause is no longer in use. Please use the OPTIONS "
                             "clause with 'format.delimiter' set appropriately, e.g., OPTIONS "
                             "(format.delimiter ',')"),
                1, 39);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV COMPRESSION TYPE gzip LOCATION 'x'",
                QV_SYNTAX,
                PARSER_ERROR("COMPRESSION TYPE clause is no longer in use. Please use the OPTIONS "
                             "clause with 'format.compression' set appropriately, e.g., OPTIONS "
                             "(format.compression gzip)"),
                1, 39);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV WITH HEADER LOCATION 'abc'", QV_SYNTAX,
                PARSER_ERROR("Expected: ROW, found: LOCATION at Line: 1, Column: 51"), 1, 51);
}

TEST(error_caret_rendering)
{
    const char *sql = "SELECT a\nFROM t\nWHERE (b";
    qv_error err;
    CHECK_STATUS(sqlt_parse_error(sql, &err), QV_SYNTAX);
    base_strbuf sb;
    base_strbuf_init(&sb);
    sql_error_render_caret(sql, strlen(sql), &err, &sb);
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "WHERE (b\n        ^\n");
    base_strbuf_free(&sb);
}

TEST(limit_deep_nesting_is_an_error_not_a_crash)
{
    size_t n = 100000;
    char *sql = base_alloc(n * 2 + 16);
    CHECK(sql != NULL);
    memcpy(sql, "SELECT ", 7);
    memset(sql + 7, '(', n);
    sql[7 + n] = '1';
    memset(sql + 8 + n, ')', n);
    qv_error err;
    sql_parse_result *result = NULL;
    qv_status status = sql_parse(sql, 8 + 2 * n, NULL, &result, &err);
    base_free(sql);
    CHECK_STATUS(status, QV_LIMIT);
    CHECK(result == NULL);
    CHECK_STR_EQ(err.message, "SQL error: RecursionLimitExceeded (current limit: 1024)");
    CHECK_INT_EQ(err.line, 1);

    /* Long operator chains and joins count too, bounding every tree's height. */
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "SELECT 1");
    for (int i = 0; i < 5000; i++)
        base_strbuf_append_str(&sb, " + 1");
    CHECK_STATUS(sql_parse(sb.data, sb.len, NULL, &result, &err), QV_LIMIT);
    base_strbuf_free(&sb);
}

TEST(limit_length_tokens_and_depth_options)
{
    sql_parse_options opts = {0, 10, 0};
    qv_error err;
    sql_parse_result *result = NULL;
    CHECK_STATUS(sql_parse("SELECT 1 + 2", 12, &opts, &result, &err), QV_LIMIT);
    CHECK_STR_EQ(err.message, "SQL text of 12 bytes exceeds the parser's limit of 10 bytes");
    sql_parse_options tokens = {0, 0, 3};
    CHECK_STATUS(sql_parse("SELECT 1 + 2", 12, &tokens, &result, &err), QV_LIMIT);
    CHECK(strstr(err.message, "more than 3 tokens") != NULL);
    sql_parse_options depth = {3, 0, 0};
    CHECK_STATUS(sql_parse("SELECT ((1))", 12, &depth, &result, &err), QV_LIMIT);
    CHECK_OK(sql_parse("SELECT 1", 8, &depth, &result, &err));
    sql_parse_result_free(result);
}

TEST(out_of_memory_at_every_allocation_is_clean)
{
    const char *sql = "WITH c AS (SELECT a, count(*) FROM t GROUP BY a) SELECT * FROM c JOIN d "
                      "USING (a) WHERE a IN (1, 2, 3) ORDER BY 1; CREATE EXTERNAL TABLE x (a "
                      "INT) STORED AS CSV LOCATION 'y' OPTIONS ('k' 'v')";
    for (int64_t n = 1; n < 10000; n++) {
        qv_error err;
        sql_parse_result *result = NULL;
        base_alloc_fail_after(n);
        qv_status status = sql_parse(sql, strlen(sql), NULL, &result, &err);
        bool triggered = base_alloc_fail_triggered();
        base_alloc_fail_after(0);
        if (status == QV_OK) {
            CHECK(!triggered);
            CHECK_INT_EQ(result->n_statements, 2);
            sql_parse_result_free(result);
            return;
        }
        CHECK_STATUS(status, QV_NOMEM);
        CHECK(result == NULL);
    }
    CHECK(false);
}
