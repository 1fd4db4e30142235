/*
 * test_sql_errors.c — unit tests for the SQL front end's errors: exact
 * messages with line and column, "did you mean" hints, DataFusion's CREATE
 * EXTERNAL TABLE messages, the caret rendering, the depth / length / token
 * limits, and out-of-memory at every allocation without leaks.
 */
#include "sql_test_util.h"
#include "test.h"

#define CHECK_ERROR(sql, status, expected_message, expected_line, expected_column)         \
    do {                                                                                   \
        qv_error err_;                                                                     \
        CHECK_STATUS(sqlt_parse_error((sql), &err_), (status));                            \
        CHECK_STR_EQ(err_.message, (expected_message));                                    \
        CHECK_INT_EQ(err_.line, (expected_line));                                          \
        CHECK_INT_EQ(err_.column, (expected_column));                                      \
    } while (0)

TEST(error_expected_but_found_with_position)
{
    CHECK_ERROR("SELECT a,\n  b\nWHERE (x + 1 FROM t", QV_SYNTAX,
                "syntax error at line 3, column 14: expected ')' but found 'FROM'", 3, 14);
    CHECK_ERROR("SELECT (1", QV_SYNTAX,
                "syntax error at line 1, column 10: expected ')' but found end of input", 1, 10);
    CHECK_ERROR("SELECT abs(1", QV_SYNTAX,
                "syntax error at line 1, column 13: expected ')' but found end of input", 1, 13);
    CHECK_ERROR("SELECT 1 +", QV_SYNTAX,
                "syntax error at line 1, column 11: expected an expression but found end of "
                "input",
                1, 11);
    CHECK_ERROR("SELECT 1 2", QV_SYNTAX,
                "syntax error at line 1, column 10: expected ';' or end of input but found '2'",
                1, 10);
    CHECK_ERROR("SELECT x FROM t WHERE", QV_SYNTAX,
                "syntax error at line 1, column 22: expected an expression but found end of "
                "input",
                1, 22);
    CHECK_ERROR("SELECT DISTINCT ALL a", QV_SYNTAX,
                "syntax error at line 1, column 17: cannot specify DISTINCT then ALL", 1, 17);
}

TEST(error_columns_count_characters)
{
    CHECK_ERROR("SELECT 'héllo' +", QV_SYNTAX,
                "syntax error at line 1, column 17: expected an expression but found end of "
                "input",
                1, 17);
}

TEST(error_lexer)
{
    CHECK_ERROR("SELECT 'abc", QV_SYNTAX,
                "syntax error at line 1, column 8: unterminated string literal", 1, 8);
    CHECK_ERROR("SELECT 1 /* open", QV_SYNTAX,
                "syntax error at line 1, column 10: unterminated /* comment", 1, 10);
    CHECK_ERROR("SELECT \"abc", QV_SYNTAX,
                "syntax error at line 1, column 8: unterminated quoted identifier", 1, 8);
    CHECK_ERROR("SELECT 1 \\ 2", QV_SYNTAX,
                "syntax error at line 1, column 10: unexpected character '\\'", 1, 10);
}

TEST(error_hints_for_near_miss_keywords)
{
    qv_error err;
    CHECK_STATUS(sqlt_parse_error("SELCT 1", &err), QV_SYNTAX);
    CHECK_STR_EQ(err.message, "syntax error at line 1, column 1: expected a statement but found "
                              "'SELCT'");
    CHECK_STR_EQ(err.hint, "did you mean SELECT?");
    CHECK_STATUS(sqlt_parse_error("CREATE TABEL t (a INT)", &err), QV_SYNTAX);
    CHECK_STR_EQ(err.hint, "did you mean TABLE?");
    CHECK_STATUS(sqlt_parse_error("CREATE EXTERNAL TABLE t STORED AS CSV LOCATON 'x'", &err),
                 QV_SYNTAX);
    CHECK_STR_EQ(err.hint, "did you mean LOCATION?");
    CHECK_STATUS(sqlt_parse_error("FOO", &err), QV_SYNTAX);
    CHECK_STR_EQ(err.hint, "");
}

TEST(error_create_external_table_messages)
{
    CHECK_ERROR("CREATE EXTERNAL TABLE t", QV_SYNTAX,
                "syntax error at line 1, column 24: Missing STORED AS clause in CREATE EXTERNAL "
                "TABLE statement",
                1, 24);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV", QV_SYNTAX,
                "syntax error at line 1, column 38: Missing LOCATION clause in CREATE EXTERNAL "
                "TABLE statement",
                1, 38);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV LOCATION 'a' LOCATION 'b'", QV_SYNTAX,
                "syntax error at line 1, column 52: LOCATION specified more than once", 1, 52);
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS x OPTIONS ('k1' 'v1', k2 v2, k3) LOCATION "
                "'blahblah'",
                QV_SYNTAX,
                "syntax error at line 1, column 66: expected a string or numeric value but found "
                "')'",
                1, 66);
    CHECK_ERROR("CREATE EXTERNAL TABLE t(c1 int) STORED AS CSV WITH ORDER c1 LOCATION 'foo.csv'",
                QV_SYNTAX, "syntax error at line 1, column 58: expected '(' but found 'c1'", 1,
                58);
    CHECK_ERROR("CREATE EXTERNAL TABLE t(c1 int) STORED AS CSV FOOBAR BARBAR LOCATION 'foo.csv'",
                QV_SYNTAX,
                "syntax error at line 1, column 47: expected end of statement or ';' but found "
                "'FOOBAR'",
                1, 47);
    CHECK_ERROR("CREATE OR REPLACE EXTERNAL TABLE IF NOT EXISTS t STORED AS CSV LOCATION 'x'",
                QV_SYNTAX,
                "syntax error at line 1, column 34: 'IF NOT EXISTS' cannot coexist with "
                "'REPLACE'",
                1, 34);
}

TEST(error_removed_external_table_clauses_have_hints)
{
    qv_error err;
    CHECK_STATUS(sqlt_parse_error("CREATE EXTERNAL TABLE t STORED AS CSV WITH HEADER ROW "
                                  "LOCATION 'x'",
                                  &err),
                 QV_SYNTAX);
    CHECK_STR_EQ(err.message, "syntax error at line 1, column 39: WITH HEADER ROW clause is no "
                              "longer in use");
    CHECK_STR_EQ(err.hint, "use the OPTIONS clause with 'format.has_header' set appropriately, "
                           "e.g., OPTIONS (format.has_header true)");
    CHECK_STATUS(sqlt_parse_error("CREATE EXTERNAL TABLE t STORED AS CSV DELIMITER ',' "
                                  "LOCATION 'x'",
                                  &err),
                 QV_SYNTAX);
    CHECK_STR_EQ(err.message, "syntax error at line 1, column 39: DELIMITER clause is no longer "
                              "in use");
    CHECK_STATUS(sqlt_parse_error("CREATE EXTERNAL TABLE t STORED AS CSV COMPRESSION TYPE gzip "
                                  "LOCATION 'x'",
                                  &err),
                 QV_SYNTAX);
    CHECK_STR_EQ(err.hint, "use the OPTIONS clause with 'format.compression' set "
                           "appropriately, e.g., OPTIONS (format.compression gzip)");
    CHECK_ERROR("CREATE EXTERNAL TABLE t STORED AS CSV WITH HEADER LOCATION 'abc'", QV_SYNTAX,
                "syntax error at line 1, column 51: expected ROW but found 'LOCATION'", 1, 51);
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
    CHECK(strstr(err.message, "nesting exceeds the limit of 1024 levels") != NULL);
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
