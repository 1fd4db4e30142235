/*
 * fuzz_sql_parser.c — libFuzzer target for the SQL front end (src/sql).
 *
 * Parses the input; for every statement that parses, unparses it, parses the
 * text again and requires an equal tree. Any crash, sanitizer report, leak or
 * round-trip mismatch (abort) is a bug. Replayed without libFuzzer by
 * tests/fuzz/replay_main.c over regress/ and corpus/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sql/sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sql_parse_options opts = {256, 1 << 16, 1 << 14};
    sql_parse_result *result = NULL;
    qv_error err;
    qv_error_clear(&err);
    if (sql_parse((const char *)data, size, &opts, &result, &err) != QV_OK)
        return 0;
    for (size_t i = 0; i < result->n_statements; i++) {
        const sql_node *tree = result->statements[i].node;
        base_strbuf sb;
        base_strbuf_init(&sb);
        sql_unparse(tree, &sb);
        if (base_strbuf_failed(&sb))
            abort();
        const char *text = base_strbuf_cstr(&sb);
        sql_parse_result *again = NULL;
        /* The unparsed text may be longer than the input; the limits that
         * matter here are the nesting ones, which the tree already met. */
        sql_parse_options again_opts = {256, 0, 0};
        if (sql_parse(text, sb.len, &again_opts, &again, &err) != QV_OK) {
            fprintf(stderr, "round trip: reparse failed: %s\n%s\n", err.message, text);
            abort();
        }
        if (again->n_statements != 1 || !sql_ast_equal(tree, again->statements[0].node)) {
            fprintf(stderr, "round trip: trees differ\n%s\n", text);
            abort();
        }
        sql_parse_result_free(again);
        base_strbuf_free(&sb);
    }
    sql_parse_result_free(result);
    return 0;
}
