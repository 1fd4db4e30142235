/*
 * errors.c — syntax errors as DataFusion prints them (layer: sql): the
 * message text of sqlparser-rs's ParserError / TokenizerError as DataFusion
 * wraps it ("SQL error: ParserError(\"...\")", the inner text escaped the way
 * Rust's Debug prints a string), and the source line an error points at with
 * a caret under the column, as the CLI prints it. What each message says is
 * decided where the error is detected (parse*.c, lexer.c).
 */
#include <stdio.h>
#include <string.h>

#include "sql_int.h"

/* Room for the escaped text: the message buffer less the wrapping. */
#define ESCAPED_MAX (sizeof(((qv_error *)0)->message) - 64)

/* The length of the UTF-8 sequence that starts with byte c (1 for stray
 * continuation bytes, which are copied as they are). */
static size_t utf8_length(unsigned char c)
{
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

/* Writes text to out (NUL-terminated, at most cap bytes) escaped as Rust's
 * Debug escapes a str: quote, backslash, \n \r \t, other control
 * characters as \u{hex}. Stops early, at a character boundary, when out is
 * full. */
static void escape_like_rust_debug(const char *text, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; text[i] != '\0';) {
        unsigned char c = (unsigned char)text[i];
        char piece[16];
        size_t len = 0, consumed = 1;
        if (c == '"' || c == '\\') {
            len = (size_t)snprintf(piece, sizeof piece, "\\%c", c);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            len = (size_t)snprintf(piece, sizeof piece, "\\%c",
                                   c == '\n'   ? 'n'
                                   : c == '\r' ? 'r'
                                               : 't');
        } else if (c < 0x20 || c == 0x7F) {
            len = (size_t)snprintf(piece, sizeof piece, "\\u{%x}", c);
        } else if (c == 0xC2 && (unsigned char)text[i + 1] >= 0x80 &&
                   (unsigned char)text[i + 1] <= 0x9F) {
            /* C1 control characters U+0080..U+009F */
            len = (size_t)snprintf(piece, sizeof piece, "\\u{%x}", (unsigned char)text[i + 1]);
            consumed = 2;
        } else {
            consumed = utf8_length(c);
            for (size_t k = 1; k < consumed; k++) {
                if (text[i + k] == '\0') {
                    consumed = k;
                    break;
                }
            }
            memcpy(piece, text + i, consumed);
            len = consumed;
        }
        if (n + len + 1 > cap)
            break;
        memcpy(out + n, piece, len);
        n += len;
        i += consumed;
    }
    out[n] = '\0';
}

void sql_error_format(qv_error *err, qv_status code, const char *kind, const char *text,
                      bool show_position, sql_pos pos)
{
    char located[ESCAPED_MAX];
    if (show_position)
        snprintf(located, sizeof located, "%s at Line: %u, Column: %u", text, pos.line, pos.column);
    else
        snprintf(located, sizeof located, "%s", text);
    char escaped[ESCAPED_MAX];
    escape_like_rust_debug(located, escaped, sizeof escaped);
    base_error_set(err, code, "SQL error: %s(\"%s\")", kind, escaped);
    base_error_set_position(err, (int32_t)pos.line, (int32_t)pos.column);
}

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
