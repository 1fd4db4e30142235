/*
 * test_cli_split.c — the CLI's statement splitter (tools/cli/split.c):
 * where statements end, fed all at once and line by line as the REPL feeds
 * it.
 */
#include "cli.h"
#include "test.h"

/* The statements of text, each followed by '|', as the scanner finds them
 * over a buffer that grows by one line at a time. */
static void split_by_lines(const char *text, char *out, size_t out_size)
{
    char buf[512];
    size_t len = 0, used = 0;
    cli_scanner scanner;
    cli_scanner_reset(&scanner);
    out[0] = '\0';
    while (*text != '\0') {
        const char *nl = strchr(text, '\n');
        size_t line_len = nl != NULL ? (size_t)(nl - text) + 1 : strlen(text);
        memcpy(buf + len, text, line_len);
        len += line_len;
        text += line_len;
        size_t end;
        while ((end = cli_scanner_next(&scanner, buf, len)) > 0) {
            used += (size_t)snprintf(out + used, out_size - used, "%.*s|", (int)end, buf);
            memmove(buf, buf + end, len - end);
            len -= end;
            cli_scanner_reset(&scanner);
        }
    }
}

TEST(split_quotes_and_comments)
{
    char out[512];
    split_by_lines("SELECT 'a;b', \"c;d\", `e;f`; SELECT 2;", out, sizeof out);
    CHECK_STR_EQ(out, "SELECT 'a;b', \"c;d\", `e;f`;| SELECT 2;|");
    split_by_lines("SELECT 'it''s;'; SELECT E'x\\';y';", out, sizeof out);
    CHECK_STR_EQ(out, "SELECT 'it''s;';| SELECT E'x\\';y';|");
    /* A name ending in e before a quote is no E string. */
    split_by_lines("SELECT some'\\'; SELECT 1;", out, sizeof out);
    CHECK_STR_EQ(out, "SELECT some'\\';| SELECT 1;|");
    split_by_lines("SELECT $$a;b$$, $tag$ $$; $tag$, $1; X", out, sizeof out);
    CHECK_STR_EQ(out, "SELECT $$a;b$$, $tag$ $$; $tag$, $1;|");
    split_by_lines("-- c;\nSELECT /* x; /* y; */ z; */ 1;\n", out, sizeof out);
    CHECK_STR_EQ(out, "-- c;\nSELECT /* x; /* y; */ z; */ 1;|");
}

TEST(split_across_lines)
{
    char out[512];
    split_by_lines("SELECT 'multi\nline;\nstring';\nSELECT\n1;\n", out, sizeof out);
    CHECK_STR_EQ(out, "SELECT 'multi\nline;\nstring';|\nSELECT\n1;|");
    split_by_lines("SELECT $q$\n;\n$q$;\n", out, sizeof out);
    CHECK_STR_EQ(out, "SELECT $q$\n;\n$q$;|");
    split_by_lines("SELECT 1 /*\n;\n*/;\n", out, sizeof out);
    CHECK_STR_EQ(out, "SELECT 1 /*\n;\n*/;|");
}

TEST(split_pending_state)
{
    cli_scanner scanner;
    cli_scanner_reset(&scanner);
    const char *text = "SELECT 'open\n";
    CHECK_INT_EQ(cli_scanner_next(&scanner, text, strlen(text)), 0);
    CHECK(cli_scanner_in_quote(&scanner));
    CHECK(scanner.has_code);
    cli_scanner_reset(&scanner);
    text = "-- only a comment\n";
    CHECK_INT_EQ(cli_scanner_next(&scanner, text, strlen(text)), 0);
    CHECK(!cli_scanner_in_quote(&scanner));
    CHECK(!scanner.has_code);
}

TEST(split_blank_text)
{
    CHECK(cli_sql_is_blank("", 0));
    CHECK(cli_sql_is_blank(" ;; -- x\n /* y */ ;", 19));
    CHECK(!cli_sql_is_blank("; SELECT", 8));
    CHECK(!cli_sql_is_blank("''", 2));
}
