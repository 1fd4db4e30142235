/*
 * test_compare.c — unit tests of quiver-slt's pure parts: the reader in both
 * dialects, DataFusion's row conversion, sort modes, hashing and validator,
 * error matching, SQLite rendering and labels, record judgement, --complete
 * splicing, the pipe protocol, TSV and baseline handling.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "compare.h"
#include "complete.h"
#include "eval.h"
#include "report.h"
#include "slt_reader.h"
#include "slt_test_util.h"
#include "sqlite.h"
#include "test.h"

static const char *const df_labels[] = {"Datafusion", "DataFusion", NULL};

static bool read_text(const char *text, const char *name, slt_dialect dialect, slt_file *file)
{
    char *dir = slt_test_tmpdir();
    char *path = slt_test_write(dir, name, text);
    slt_read_options opts = {dialect, df_labels};
    char err[256];
    bool ok = slt_file_read_ex(path, &opts, file, err, sizeof err);
    if (!ok)
        fprintf(stderr, "  read: %s\n", err);
    remove(path);
    remove(dir);
    free(path);
    free(dir);
    return ok;
}

TEST(reader_datafusion_records)
{
    const char *text = "# comment\n"
                       "statement ok\nCREATE TABLE t(a INT)\n\n"
                       "query IT rowsort\nSELECT a, b\nFROM t\n----\n1 x\n  \n2 y\n\n"
                       "statement error   Error during   planning: .*\nSELECT x\n\n"
                       "query error\nSELECT 1/0\n----\nDataFusion error: a\nsecond line\n\n\n"
                       "skipif Datafusion\nquery I\nSELECT 1\n----\n1\n\n"
                       "onlyif postgres\nstatement ok\nSELECT 2\n\n"
                       "statement count 0\nCREATE VIEW v AS SELECT 1\n\n"
                       "query I my_label\nEXPLAIN SELECT 1\n\n"
                       "halt\n\nstatement ok\nSELECT 'not read'\n";
    slt_file file;
    CHECK(read_text(text, "a.slt", SLT_DIALECT_DATAFUSION, &file));
    CHECK_INT_EQ(file.n_records, 8);
    slt_record *r = file.records;
    CHECK_INT_EQ(r[0].kind, SLT_STATEMENT_OK);
    CHECK_INT_EQ(r[0].line, 2);
    CHECK_INT_EQ(r[0].end_line, 4);
    CHECK_INT_EQ(r[1].kind, SLT_QUERY);
    CHECK_STR_EQ(r[1].types, "IT");
    CHECK_INT_EQ(r[1].sort, SLT_SORT_ROWSORT);
    CHECK_STR_EQ(r[1].sql, "SELECT a, b\nFROM t");
    CHECK_STR_EQ(r[1].expected, "1 x\n  \n2 y"); /* a line of spaces belongs to the block */
    CHECK_INT_EQ(r[1].end_line, 12);
    CHECK_INT_EQ(r[2].kind, SLT_STATEMENT_ERROR);
    CHECK_STR_EQ(r[2].expected, "Error during planning: .*"); /* tokens joined by one space */
    CHECK(!r[2].error_block);
    CHECK_INT_EQ(r[3].kind, SLT_QUERY_ERROR);
    CHECK(r[3].error_block);
    CHECK_STR_EQ(r[3].expected, "DataFusion error: a\nsecond line");
    CHECK(r[4].skipped);
    CHECK(r[5].skipped);
    CHECK_INT_EQ(r[6].kind, SLT_STATEMENT_COUNT);
    CHECK_INT_EQ(r[6].count, 0);
    CHECK(r[7].explain);
    CHECK_STR_EQ(r[7].label, "my_label");
    CHECK(r[7].sort_mode == NULL);
    slt_file_free(&file);
}

TEST(reader_sqlite_records)
{
    const char *text = "hash-threshold 4\n\n"
                       "statement ok\nCREATE TABLE t1(a INTEGER)\n\n"
                       "skipif mysql # trailing comment\nquery II rowsort label-1\nSELECT a,\n"
                       "# an inner comment\n a FROM t1\n----\n1\n   \n"
                       "onlyif mysql # DIV\nquery I nosort\nSELECT 1\n----\n1\n\n"
                       "onlyif sqlite\nhalt\n\n"
                       "statement error\nSELECT nothing\n\n"
                       "skipif DATAFUSION\nquery I\nSELECT 2\n\n"
                       "skipif otherdb\nhalt\n\nstatement ok\nSELECT 'not read'\n";
    slt_file file;
    CHECK(read_text(text, "b.test", SLT_DIALECT_SQLITE, &file));
    CHECK_INT_EQ(file.n_records, 5);
    slt_record *r = file.records;
    CHECK_INT_EQ(r[0].hash_threshold, 4);
    CHECK(!r[1].skipped);
    CHECK_STR_EQ(r[1].sql, "SELECT a,\n a FROM t1");
    CHECK_STR_EQ(r[1].label, "label-1");
    CHECK_STR_EQ(r[1].expected, "1");
    CHECK(r[2].skipped);
    CHECK_INT_EQ(r[3].kind, SLT_STATEMENT_ERROR);
    CHECK_STR_EQ(r[3].expected, "");
    CHECK(r[4].skipped); /* labels compare case-insensitively */
    slt_file_free(&file);

    CHECK_INT_EQ(slt_dialect_of_path("x/select1.test"), SLT_DIALECT_SQLITE);
    CHECK_INT_EQ(slt_dialect_of_path("x/a.slt"), SLT_DIALECT_DATAFUSION);
    CHECK(slt_sql_is_explain("  -- c\n explain SELECT 1"));
    CHECK(!slt_sql_is_explain("explained"));
}

TEST(rows_expand_and_workspace_root)
{
    const char *cells[] = {"plan", "Sort: a\n  Projection: /ws/root/x.csv\n", "1", "a  b"};
    slt_output out;
    slt_test_output(&out, "TT", 2, cells);
    const char *roots[] = {"/ws/root"};
    slt_rows rows = {0};
    slt_rows_from_output(&out, roots, 1, &rows);
    slt_strv lines = {0};
    slt_rows_to_lines(&rows, &lines);
    CHECK_INT_EQ(lines.n, 5);
    CHECK_STR_EQ(lines.items[0], "plan");
    CHECK_STR_EQ(lines.items[1], "01)Sort: a");
    CHECK_STR_EQ(lines.items[2], "02)--Projection: WORKSPACE_ROOT/x.csv");
    CHECK_STR_EQ(lines.items[3], "03)");
    CHECK_STR_EQ(lines.items[4], "1 a  b");
    slt_strv_free(&lines);
    slt_rows_free(&rows);
    slt_output_free(&out);
}

TEST(sort_modes)
{
    const char *cells[] = {"9", "b", "10", "a", "9", "a"};
    slt_output out;
    slt_test_output(&out, "IT", 3, cells);
    slt_rows rows = {0};
    slt_rows_from_output(&out, NULL, 0, &rows);
    slt_rows_sort(&rows, SLT_SORT_ROWSORT);
    slt_strv lines = {0};
    slt_rows_to_lines(&rows, &lines);
    CHECK(slt_lines_match(&lines, "10 a\n9 a\n9 b")); /* byte order: "10" < "9" */
    slt_strv_free(&lines);
    slt_rows_sort(&rows, SLT_SORT_VALUESORT);
    slt_rows_to_lines(&rows, &lines);
    CHECK(slt_lines_match(&lines, "10\n9\n9\na\na\nb"));
    slt_strv_free(&lines);
    slt_rows_free(&rows);
    slt_output_free(&out);
    slt_rows none = {0};
    slt_rows_sort(&none, SLT_SORT_ROWSORT); /* no rows: nothing to sort (and no qsort(NULL)) */
    slt_rows_sort(&none, SLT_SORT_VALUESORT);
    CHECK_INT_EQ(none.n, 0);
    slt_rows_free(&none);
}

TEST(md5_and_hash_threshold)
{
    const char *cells[] = {"1", "2", "3"};
    slt_output out;
    slt_test_output(&out, "I", 3, cells);
    slt_rows rows = {0};
    slt_rows_from_output(&out, NULL, 0, &rows);
    char md5[33];
    slt_rows_md5(&rows, md5);
    CHECK_STR_EQ(md5, "c0710d6b4f15dfa88f600b0e6b624077");
    CHECK(!slt_rows_hash(&rows, 0));
    CHECK(!slt_rows_hash(&rows, 3));
    CHECK(slt_rows_hash(&rows, 2));
    CHECK_INT_EQ(rows.n, 1);
    CHECK_STR_EQ(rows.rows[0].cells[0], "3 values hashing to c0710d6b4f15dfa88f600b0e6b624077");
    slt_rows_free(&rows);
    slt_output_free(&out);
}

TEST(validator_trim_and_ignore_marker)
{
    slt_strv actual = {0};
    slt_strv_push(&actual, "Apache DataFusion");
    slt_strv_push(&actual, "x");
    CHECK(slt_lines_match(&actual, "Apache DataFusion   \nx\t"));
    CHECK(!slt_lines_match(&actual, "Apache  DataFusion\nx"));
    CHECK(!slt_lines_match(&actual, "Apache DataFusion"));
    CHECK(slt_lines_match(&actual, "<slt:ignore>"));
    CHECK(slt_lines_match(&actual, "Apache<slt:ignore>"));
    CHECK(slt_lines_match(&actual, "<slt:ignore>Data<slt:ignore>"));
    CHECK(slt_lines_match(&actual, "<slt:ignore>\nx"));
    CHECK(!slt_lines_match(&actual, "DataFusion <slt:ignore>")); /* first fragment anchors */
    CHECK(!slt_lines_match(&actual, "<slt:ignore>y"));
    slt_strv_free(&actual);
    slt_strv empty = {0};
    CHECK(slt_lines_match(&empty, ""));
    CHECK(!slt_lines_match(&empty, "1"));
}

TEST(types_and_errors)
{
    CHECK(slt_types_match("ITR", "ITR"));
    CHECK(!slt_types_match("IT", "ITR"));
    CHECK(!slt_types_match("I", "R"));
    CHECK(slt_types_match("X", "?"));
    char *display = slt_error_display("Error during planning: bad");
    CHECK_STR_EQ(display, "DataFusion error: Error during planning: bad");
    char *again = slt_error_display(display);
    CHECK_STR_EQ(again, display);
    char err[256];
    CHECK_INT_EQ(slt_regex_search("planning: b.d$", display, err, sizeof err), 1);
    CHECK_INT_EQ(slt_regex_search("^Error", display, err, sizeof err), 0);
    CHECK_INT_EQ(slt_regex_search("bad(", display, err, sizeof err), -1);
    CHECK(slt_error_block_matches("  DataFusion error: Error during planning: bad\n", display));
    char *escaped = slt_regex_escape("f(x) = [1.5]");
    CHECK_STR_EQ(escaped, "f\\(x\\) = \\[1\\.5\\]");
    CHECK_INT_EQ(slt_regex_search(escaped, "got f(x) = [1.5]!", err, sizeof err), 1);
    free(escaped);
    free(again);
    free(display);
}

TEST(sqlite_rendering)
{
    const char *cells[] = {"7", "2.5", "-2.5", "(empty)", "tab\there", "NULL", "true", "12abc"};
    slt_output out;
    slt_test_output(&out, "IRRTTIBT", 1, cells);
    const slt_value *v = out.values;
    char *s;
#define RENDER_EQ(value, letter, want)                                                             \
    s = slt_sqlite_render(value, letter);                                                          \
    CHECK_STR_EQ(s, want);                                                                         \
    free(s)
    RENDER_EQ(&v[0], 'I', "7");
    RENDER_EQ(&v[0], 'R', "7.000");
    RENDER_EQ(&v[0], 'T', "7");
    RENDER_EQ(&v[1], 'I', "2");
    RENDER_EQ(&v[2], 'I', "-2");
    RENDER_EQ(&v[1], 'R', "2.500");
    RENDER_EQ(&v[1], 'T', "2.5");
    RENDER_EQ(&v[3], 'T', "(empty)");
    RENDER_EQ(&v[4], 'T', "tab@here");
    RENDER_EQ(&v[5], 'I', "NULL");
    RENDER_EQ(&v[6], 'I', "1");
    RENDER_EQ(&v[7], 'I', "12");
    RENDER_EQ(&v[7], 'R', "12.000");
#undef RENDER_EQ
    slt_value five = {SLT_VALUE_FLOAT, (char *)"5", NULL, 0, 0, 5.0};
    s = slt_sqlite_render(&five, 'T');
    CHECK_STR_EQ(s, "5.0");
    free(s);
    slt_value big = {SLT_VALUE_INT, (char *)"4294967297", NULL, 0, 4294967297LL, 0};
    s = slt_sqlite_render(&big, 'I');
    CHECK_STR_EQ(s, "1"); /* sqlite3_column_int keeps the low 32 bits */
    free(s);
    slt_output_free(&out);
}

/* Judges one record of `text` (first record) against out. */
static void judge(const char *text, const char *name, slt_dialect dialect, const slt_output *out,
                  slt_labels *labels, slt_verdict *v, bool *read_ok)
{
    slt_file file;
    *read_ok = read_text(text, name, dialect, &file);
    if (!*read_ok)
        return;
    slt_eval_context ctx = {dialect, NULL, 0, labels, true};
    slt_eval(&file.records[0], out, &ctx, v);
    slt_file_free(&file);
}

TEST(eval_datafusion)
{
    bool ok;
    slt_verdict v;
    const char *cells[] = {"2", "b", "1", "a"};
    slt_output out;
    slt_test_output(&out, "IT", 2, cells);
    judge("query IT rowsort\nSELECT 1\n----\n1 a\n2 b\n", "q.slt", SLT_DIALECT_DATAFUSION, &out,
          NULL, &v, &ok);
    CHECK(ok);
    CHECK(v.passed && v.passed_lenient);
    CHECK(v.completion == NULL);
    slt_verdict_free(&v);
    judge("query IR\nSELECT 1\n----\n2 b\n1 a\n", "q.slt", SLT_DIALECT_DATAFUSION, &out, NULL, &v,
          &ok);
    CHECK(!v.passed);
    CHECK_STR_EQ(v.reason, "query column types mismatch");
    CHECK_STR_EQ(v.completion, "query IT\nSELECT 1\n----\n2 b\n1 a");
    slt_verdict_free(&v);
    judge("statement count 2\nINSERT\n", "q.slt", SLT_DIALECT_DATAFUSION, &out, NULL, &v, &ok);
    CHECK(v.passed);
    slt_verdict_free(&v);
    judge("query error\nSELECT 1\n", "q.slt", SLT_DIALECT_DATAFUSION, &out, NULL, &v, &ok);
    CHECK(!v.passed && !v.passed_lenient);
    slt_verdict_free(&v);
    slt_output_free(&out);

    slt_output_set_error(&out, "Error during planning: no such table t");
    judge("statement error no such table\nSELECT * FROM t\n", "q.slt", SLT_DIALECT_DATAFUSION, &out,
          NULL, &v, &ok);
    CHECK(v.passed && v.passed_lenient);
    slt_verdict_free(&v);
    judge("statement error ^DataFusion error: Error during planning\nSELECT * FROM t\n", "q.slt",
          SLT_DIALECT_DATAFUSION, &out, NULL, &v, &ok);
    CHECK(v.passed);
    slt_verdict_free(&v);
    judge("query error Schema error\nSELECT * FROM t\n", "q.slt", SLT_DIALECT_DATAFUSION, &out,
          NULL, &v, &ok);
    CHECK(!v.passed && v.passed_lenient);
    CHECK_STR_EQ(v.completion, "query error DataFusion error: Error during planning: no such "
                               "table t\nSELECT * FROM t");
    slt_verdict_free(&v);
    judge("statement ok\nSELECT * FROM t\n", "q.slt", SLT_DIALECT_DATAFUSION, &out, NULL, &v, &ok);
    CHECK(!v.passed && !v.passed_lenient);
    slt_verdict_free(&v);
    slt_output_free(&out);

    slt_output_set_error(&out, "type_coercion\ncaused by\nError during planning: x");
    judge("query error\nSELECT 1\n----\nDataFusion error: type_coercion\ncaused by\n"
          "Error during planning: x\n\n\n",
          "q.slt", SLT_DIALECT_DATAFUSION, &out, NULL, &v, &ok);
    CHECK(v.passed);
    slt_verdict_free(&v);
    judge("query I\nSELECT 1\n----\n1\n", "q.slt", SLT_DIALECT_DATAFUSION, &out, NULL, &v, &ok);
    CHECK_STR_EQ(v.completion, "query error\nSELECT 1\n----\nDataFusion error: type_coercion\n"
                               "caused by\nError during planning: x\n");
    slt_verdict_free(&v);
    slt_output_free(&out);

    /* "statement complete" for a query passes when no rows are expected. */
    judge("query I\nCREATE TABLE x\n", "q.slt", SLT_DIALECT_DATAFUSION, &out, NULL, &v, &ok);
    CHECK(v.passed);
    slt_verdict_free(&v);
}

TEST(eval_sqlite_hash_and_labels)
{
    const char *cells[] = {"3", "1", "2", "9", "8", "7", "6", "5", "4"};
    slt_output out;
    slt_test_output(&out, "I", 9, cells);
    slt_labels labels = {0};
    bool ok;
    slt_verdict v;
    judge("hash-threshold 8\nquery I rowsort label-a\nSELECT x\n----\n"
          "9 values hashing to 22e400a2ddbb013acf2a5852d6ab69fc\n",
          "h.test", SLT_DIALECT_SQLITE, &out, &labels, &v, &ok);
    CHECK(ok);
    CHECK(v.passed);
    slt_verdict_free(&v);
    CHECK_STR_EQ(slt_labels_get(&labels, "label-a"), "22e400a2ddbb013acf2a5852d6ab69fc");
    /* A hash mismatch shows the values that were hashed. */
    judge("query I rowsort\nSELECT x\n----\n9 values hashing to 00000000000000000000000000000000\n",
          "h.test", SLT_DIALECT_SQLITE, &out, NULL, &v, &ok);
    CHECK(!v.passed);
    CHECK(strstr(v.got, "-- the values hashed:\n1\n2\n3\n") != NULL);
    slt_verdict_free(&v);
    /* Same label, different values: a label mismatch even though values match. */
    const char *other[] = {"1"};
    slt_output one;
    slt_test_output(&one, "I", 1, other);
    judge("query I nosort label-a\nSELECT 1\n----\n1\n", "h.test", SLT_DIALECT_SQLITE, &one,
          &labels, &v, &ok);
    CHECK(!v.passed);
    CHECK_STR_EQ(v.reason, "label hash mismatch");
    slt_verdict_free(&v);
    /* Below the threshold values are compared one per line. */
    judge("query I valuesort\nSELECT 1\n----\n1\n", "h.test", SLT_DIALECT_SQLITE, &one, NULL, &v,
          &ok);
    CHECK(v.passed);
    slt_verdict_free(&v);
    judge("query II\nSELECT 1\n----\n1\n", "h.test", SLT_DIALECT_SQLITE, &one, NULL, &v, &ok);
    CHECK(!v.passed);
    CHECK_STR_EQ(v.reason, "wrong number of columns");
    slt_verdict_free(&v);
    slt_output_free(&one);
    slt_output_free(&out);
    slt_labels_free(&labels);

    char md5[33];
    slt_sqlite_expected_hash("3 values hashing to c0710d6b4f15dfa88f600b0e6b624077", md5);
    CHECK_STR_EQ(md5, "c0710d6b4f15dfa88f600b0e6b624077");
    slt_sqlite_expected_hash("1\n2\n3", md5);
    CHECK_STR_EQ(md5, "c0710d6b4f15dfa88f600b0e6b624077");
}

TEST(complete_splices_records)
{
    const char *text = "# header\nstatement ok\nSELECT 1\n\nquery I\nSELECT 2\n----\n3\n\n"
                       "query error\nSELECT 3\n----\nold\nblock\n\n\n# tail\n";
    char *dir = slt_test_tmpdir();
    char *path = slt_test_write(dir, "c.slt", text);
    slt_read_options opts = {SLT_DIALECT_DATAFUSION, df_labels};
    slt_file file;
    char err[256];
    CHECK(slt_file_read_ex(path, &opts, &file, err, sizeof err));
    CHECK_INT_EQ(file.n_records, 3);
    char *completions[3] = {NULL, slt_xstrdup("query I\nSELECT 2\n----\n2"),
                            slt_xstrdup("query I\nSELECT 3\n----\n3")};
    long n = slt_complete_file(&file, completions, err, sizeof err);
    CHECK_INT_EQ(n, 2);
    char *updated = slt_test_read(path);
    CHECK_STR_EQ(updated, "# header\nstatement ok\nSELECT 1\n\nquery I\nSELECT 2\n----\n2\n\n"
                          "query I\nSELECT 3\n----\n3\n\n\n# tail\n");
    free(updated);
    for (int i = 0; i < 3; i++)
        free(completions[i]);
    slt_file_free(&file);
    remove(path);
    remove(dir);
    free(path);
    free(dir);
}

TEST(protocol_round_trip)
{
    slt_buf b = {0};
    slt_msg_encode(&b, SLT_MSG_START, 7, SLT_OUTCOME_NOT_RUN, false, NULL, NULL);
    slt_msg_encode(&b, SLT_MSG_DONE, 7, SLT_OUTCOME_FAIL, true, "why", NULL);
    slt_msg_encode(&b, SLT_MSG_END, 0, SLT_OUTCOME_NOT_RUN, false, NULL, NULL);
    size_t used, pos = 0;
    slt_msg msg;
    CHECK(!slt_msg_decode(b.data, 5, &used, &msg)); /* a partial frame waits */
    CHECK(slt_msg_decode(b.data + pos, b.len - pos, &used, &msg));
    CHECK_INT_EQ(msg.type, SLT_MSG_START);
    CHECK_INT_EQ(msg.record, 7);
    pos += used;
    CHECK(slt_msg_decode(b.data + pos, b.len - pos, &used, &msg));
    CHECK_INT_EQ(msg.type, SLT_MSG_DONE);
    CHECK_INT_EQ(msg.outcome, SLT_OUTCOME_FAIL);
    CHECK(msg.lenient);
    CHECK_STR_EQ(msg.detail, "why");
    CHECK(msg.completion == NULL);
    slt_msg_free(&msg);
    pos += used;
    CHECK(slt_msg_decode(b.data + pos, b.len - pos, &used, &msg));
    CHECK_INT_EQ(msg.type, SLT_MSG_END);
    CHECK_INT_EQ(pos + used, b.len);
    slt_buf_free(&b);
}

TEST(tsv_and_baseline)
{
    slt_file_result current[2] = {
        {.path = (char *)"b.slt",
         .records = 10,
         .attempted = 8,
         .passed = 5,
         .failed = 3,
         .skipped = 2,
         .passed_lenient = 6,
         .queries = 4,
         .queries_passed = 2},
        {.path = (char *)"a.slt", .records = 3, .attempted = 3, .passed = 3, .passed_lenient = 3},
    };
    char *dir = slt_test_tmpdir();
    slt_buf path = {0};
    slt_buf_addf(&path, "%s/base.tsv", dir);
    char err[256];
    CHECK(slt_tsv_write(slt_buf_cstr(&path), current, 2, err, sizeof err));
    slt_file_result *read_back = NULL;
    size_t n = 0;
    CHECK(slt_tsv_read(slt_buf_cstr(&path), &read_back, &n, err, sizeof err));
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(read_back[0].path, "a.slt"); /* sorted */
    CHECK_INT_EQ(read_back[1].passed_lenient, 6);
    CHECK_INT_EQ(read_back[1].queries, 4);
    slt_results_free(read_back, n);

    /* Columns are found by name; unknown ones are ignored. */
    CHECK(slt_tsv_parse("# c\npath\tnew_column\tpassed\nx.slt\t9\t4\n", &read_back, &n, err,
                        sizeof err));
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(read_back[0].passed, 4);
    slt_results_free(read_back, n);
    CHECK(!slt_tsv_parse("records\n1\n", &read_back, &n, err, sizeof err));

    FILE *devnull = fopen("/dev/null", "w");
    slt_file_result worse[1] = {{.path = (char *)"b.slt", .passed = 4, .passed_lenient = 6}};
    slt_file_result better[2] = {{.path = (char *)"b.slt", .passed = 6, .passed_lenient = 7},
                                 {.path = (char *)"new.slt", .passed = 1}};
    CHECK_INT_EQ(slt_baseline_compare(current, 2, worse, 1, devnull), 1);
    CHECK_INT_EQ(slt_baseline_compare(current, 2, better, 2, devnull), 0);
    fclose(devnull);

    /* Writing a baseline keeps the lines of files not run. */
    CHECK(slt_baseline_write(slt_buf_cstr(&path), better, 1, err, sizeof err));
    CHECK(slt_tsv_read(slt_buf_cstr(&path), &read_back, &n, err, sizeof err));
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(read_back[0].path, "a.slt");
    CHECK_INT_EQ(read_back[0].passed, 3);
    CHECK_INT_EQ(read_back[1].passed, 6);
    slt_results_free(read_back, n);
    remove(slt_buf_cstr(&path));
    remove(dir);
    slt_buf_free(&path);
    free(dir);
}
