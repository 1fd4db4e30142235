/*
 * errors.c — presenting syntax errors (layer: sql): the source line an
 * error points at with a caret under the column, as the CLI prints it.
 * The messages themselves are built where they are detected (parse.c,
 * lexer.c).
 */
#include "sql.h"

void sql_error_render_caret(const char *sql, size_t len, const qv_error *err, base_strbuf *sb)
{
    if (err == NULL || err->line <= 0 || err->column <= 0 || sql == NULL)
        return;
    size_t start = 0;
    for (int32_t line = 1; line < err->line; line++) {
        while (start < len && sql[start] != '\n')
            start++;
        if (start >= len)
            return;
        start++;
    }
    size_t end = start;
    while (end < len && sql[end] != '\n' && sql[end] != '\r')
        end++;
    base_strbuf_append(sb, sql + start, end - start);
    base_strbuf_append_char(sb, '\n');
    /* Columns count characters; tabs in the prefix are kept so the caret
     * lines up in a terminal. */
    int32_t column = 1;
    for (size_t i = start; i < end && column < err->column; i++) {
        unsigned char c = (unsigned char)sql[i];
        if ((c & 0xC0) == 0x80)
            continue;
        base_strbuf_append_char(sb, c == '\t' ? '\t' : ' ');
        column++;
    }
    for (; column < err->column; column++)
        base_strbuf_append_char(sb, ' ');
    base_strbuf_append_str(sb, "^\n");
}
