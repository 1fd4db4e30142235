/*
 * split.c — where statements end: the ';' outside strings, quoted
 * identifiers, dollar strings and comments, found incrementally as lines
 * arrive (the REPL asks after every line whether a statement is complete).
 * The quoting rules are the SQL lexer's (src/sql/lexer.c): '' and "" double
 * their quote, E'...' takes backslash escapes, $tag$...$tag$ has no escapes,
 * block comments nest.
 */
#include <ctype.h>
#include <string.h>

#include "cli.h"

enum {
    SCAN_CODE,
    SCAN_STRING,        /* '...' */
    SCAN_ESCAPE_STRING, /* E'...' */
    SCAN_DOUBLE_QUOTED, /* "..." */
    SCAN_BACKTICK,      /* `...` */
    SCAN_DOLLAR,        /* $tag$...$tag$ */
    SCAN_LINE_COMMENT,
    SCAN_BLOCK_COMMENT
};

void cli_scanner_reset(cli_scanner *scanner)
{
    memset(scanner, 0, sizeof *scanner);
    scanner->state = SCAN_CODE;
}

bool cli_scanner_in_quote(const cli_scanner *scanner)
{
    return scanner->state != SCAN_CODE;
}

static bool is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* A quote at text[i] opens an E string when it follows a lone E or e. */
static bool opens_escape_string(const char *text, size_t i)
{
    return i >= 1 && (text[i - 1] == 'E' || text[i - 1] == 'e') &&
           (i == 1 || !is_ident_char(text[i - 2]));
}

/* The length of a dollar-quote opener "$tag$" or "$$" at text[i], or 0 ($1
 * and $name are placeholders, not strings). */
static size_t dollar_tag_len(const char *text, size_t i, size_t len)
{
    size_t j = i + 1;
    if (j < len && (isalpha((unsigned char)text[j]) || text[j] == '_'))
        while (j < len && (isalnum((unsigned char)text[j]) || text[j] == '_'))
            j++;
    return j < len && text[j] == '$' ? j + 1 - i : 0;
}

/* One step in code: returns true when text[i] is a ';' that ends the
 * statement. */
static bool scan_code(cli_scanner *s, const char *text, size_t i, size_t len)
{
    char c = text[i];
    char next = i + 1 < len ? text[i + 1] : '\0';
    s->pos = i + 1;
    switch (c) {
    case ';':
        return true;
    case '\'':
        s->state = opens_escape_string(text, i) ? SCAN_ESCAPE_STRING : SCAN_STRING;
        s->has_code = true;
        return false;
    case '"':
        s->state = SCAN_DOUBLE_QUOTED;
        s->has_code = true;
        return false;
    case '`':
        s->state = SCAN_BACKTICK;
        s->has_code = true;
        return false;
    case '-':
        if (next == '-') {
            s->state = SCAN_LINE_COMMENT;
            s->pos = i + 2;
            return false;
        }
        break;
    case '/':
        if (next == '*') {
            s->state = SCAN_BLOCK_COMMENT;
            s->comment_depth = 1;
            s->pos = i + 2;
            return false;
        }
        break;
    case '$': {
        size_t tag_len = dollar_tag_len(text, i, len);
        if (tag_len > 0) {
            s->state = SCAN_DOLLAR;
            s->tag_start = i;
            s->tag_len = tag_len;
            s->pos = i + tag_len;
            s->has_code = true;
            return false;
        }
        break;
    }
    default:
        break;
    }
    if (!isspace((unsigned char)c))
        s->has_code = true;
    return false;
}

size_t cli_scanner_next(cli_scanner *s, const char *text, size_t len)
{
    while (s->pos < len) {
        size_t i = s->pos;
        char c = text[i];
        switch (s->state) {
        case SCAN_CODE:
            if (scan_code(s, text, i, len))
                return i + 1;
            break;
        case SCAN_STRING:
        case SCAN_DOUBLE_QUOTED:
        case SCAN_BACKTICK: {
            /* A doubled quote closes and reopens: the same for splitting. */
            char quote = s->state == SCAN_STRING ? '\'' : s->state == SCAN_BACKTICK ? '`' : '"';
            if (c == quote)
                s->state = SCAN_CODE;
            s->pos = i + 1;
            break;
        }
        case SCAN_ESCAPE_STRING:
            if (s->after_backslash)
                s->after_backslash = false;
            else if (c == '\\')
                s->after_backslash = true;
            else if (c == '\'')
                s->state = SCAN_CODE;
            s->pos = i + 1;
            break;
        case SCAN_DOLLAR:
            if (c == '$' && len - i >= s->tag_len &&
                memcmp(text + i, text + s->tag_start, s->tag_len) == 0) {
                s->state = SCAN_CODE;
                s->pos = i + s->tag_len;
            } else {
                s->pos = i + 1;
            }
            break;
        case SCAN_LINE_COMMENT:
            if (c == '\n')
                s->state = SCAN_CODE;
            s->pos = i + 1;
            break;
        default: /* SCAN_BLOCK_COMMENT */
            s->pos = i + 1;
            if (c == '/' && i + 1 < len && text[i + 1] == '*') {
                s->comment_depth++;
                s->pos = i + 2;
            } else if (c == '*' && i + 1 < len && text[i + 1] == '/') {
                s->pos = i + 2;
                if (--s->comment_depth == 0)
                    s->state = SCAN_CODE;
            }
            break;
        }
    }
    return 0;
}

bool cli_sql_is_blank(const char *text, size_t len)
{
    cli_scanner scanner;
    cli_scanner_reset(&scanner);
    while (scanner.pos < len && !scanner.has_code)
        if (cli_scanner_next(&scanner, text, len) == 0)
            break;
    return !scanner.has_code;
}
