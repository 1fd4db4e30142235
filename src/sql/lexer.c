/*
 * lexer.c — splits SQL text into tokens with positions (layer: sql).
 *
 * Follows sqlparser-rs's tokenizer for the generic dialect: words, "quoted"
 * and `quoted` identifiers, 'strings' ('' escapes), E'...' (backslash
 * escapes), X'...', N'...', $$dollar$$ strings, numbers with fractions and
 * exponents, $n / $name placeholders, the operator set of sql_int.h, and
 * comments (-- to end of line, nested slash-star blocks). Keywords are classified
 * here; none is reserved.
 */
#include <stdio.h>
#include <string.h>

#include "sql_int.h"

typedef struct lexer {
    sql_parser *p;
    const char *s;
    size_t len;
    size_t i;      /* next byte */
    uint32_t line; /* position of byte i */
    uint32_t column;
    size_t cap;
} lexer;

static const char *const punct_texts[] = {"",
#define PUNCT_TEXT_(code, text) text,
                                          SQL_PUNCT_TABLE(PUNCT_TEXT_)
#undef PUNCT_TEXT_
};

const char *sql_punct_text(sql_punct punct)
{
    return punct > SQL_P_NONE && punct < SQL_P_COUNT ? punct_texts[punct] : "";
}

static bool is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_part(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static unsigned char at(const lexer *lx, size_t i)
{
    return i < lx->len ? (unsigned char)lx->s[i] : 0;
}

/* Moves to byte `to`, keeping line and column (in characters) current. */
static void advance_to(lexer *lx, size_t to)
{
    for (; lx->i < to; lx->i++) {
        unsigned char c = (unsigned char)lx->s[lx->i];
        if (c == '\n') {
            lx->line++;
            lx->column = 1;
        } else if ((c & 0xC0) != 0x80) {
            lx->column++;
        }
    }
}

static sql_pos here(const lexer *lx)
{
    sql_pos pos = {(uint32_t)lx->i, lx->line, lx->column};
    return pos;
}

/* sqlparser-rs's TokenizerError: the message and where it was detected. */
static qv_status lex_error(lexer *lx, sql_pos pos, const char *what)
{
    sql_error_format(lx->p->err, QV_SYNTAX, "TokenizerError", what, true, pos);
    return QV_SYNTAX;
}

/* A TokenizerError at the end of the input (where sqlparser-rs notices an
 * unterminated comment or dollar-quoted string). */
static qv_status lex_error_at_end(lexer *lx, const char *what)
{
    advance_to(lx, lx->len);
    return lex_error(lx, here(lx), what);
}

static qv_status push(lexer *lx, sql_token tok)
{
    sql_parser *p = lx->p;
    if (p->n_toks >= p->max_tokens) {
        base_error_set(p->err, QV_LIMIT,
                       "SQL text has more than %zu tokens (the parser's token limit)",
                       p->max_tokens);
        base_error_set_position(p->err, (int32_t)tok.pos.line, (int32_t)tok.pos.column);
        return QV_LIMIT;
    }
    if (p->n_toks == lx->cap) {
        size_t cap = lx->cap < 64 ? 64 : lx->cap * 2;
        sql_token *grown = base_realloc(p->toks, cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(p->err, "SQL tokens");
        p->toks = grown;
        lx->cap = cap;
    }
    p->toks[p->n_toks++] = tok;
    return QV_OK;
}

static sql_token make(const lexer *lx, sql_token_type type, sql_pos pos)
{
    sql_token tok;
    memset(&tok, 0, sizeof tok);
    tok.type = (uint8_t)type;
    tok.pos = pos;
    tok.len = (uint32_t)(lx->i - pos.offset);
    tok.value = lx->s + pos.offset;
    tok.value_len = tok.len;
    return tok;
}

/* Skips whitespace and comments. */
static qv_status skip_space(lexer *lx)
{
    for (;;) {
        unsigned char c = at(lx, lx->i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            advance_to(lx, lx->i + 1);
        } else if (c == '-' && at(lx, lx->i + 1) == '-') {
            size_t j = lx->i;
            while (j < lx->len && lx->s[j] != '\n')
                j++;
            advance_to(lx, j);
        } else if (c == '/' && at(lx, lx->i + 1) == '*') {
            size_t j = lx->i + 2;
            int nesting = 1;
            while (j < lx->len && nesting > 0) {
                if (lx->s[j] == '/' && at(lx, j + 1) == '*') {
                    nesting++;
                    j += 2;
                } else if (lx->s[j] == '*' && at(lx, j + 1) == '/') {
                    nesting--;
                    j += 2;
                } else {
                    j++;
                }
            }
            if (nesting > 0)
                return lex_error_at_end(lx, "Unexpected EOF while in a multi-line comment");
            advance_to(lx, j);
        } else {
            return QV_OK;
        }
    }
}

/* Decodes one backslash escape of an E'...' string at s[j] (after the
 * backslash) into out; returns the bytes consumed. */
static size_t decode_escape(const char *s, size_t j, char *out, size_t *out_len)
{
    char c = s[j];
    char value;
    switch (c) {
    case 'n':
        value = '\n';
        break;
    case 't':
        value = '\t';
        break;
    case 'r':
        value = '\r';
        break;
    case 'b':
        value = '\b';
        break;
    case 'f':
        value = '\f';
        break;
    case '0':
        value = '\0';
        break;
    case 'Z':
        value = '\x1a';
        break;
    default:
        value = c;
        break;
    }
    out[(*out_len)++] = value;
    return 1;
}

/* The message and position sqlparser-rs reports for a quoted token opened
 * at pos (its first character) whose closing quote q never comes. */
static qv_status unterminated_quote(lexer *lx, sql_pos pos, char q, int string_kind)
{
    if (q != '\'') {
        char what[64];
        snprintf(what, sizeof what, "Expected close delimiter '%c' before EOF.", q);
        return lex_error(lx, pos, what);
    }
    if (string_kind == SQL_LIT_ESTRING)
        return lex_error(lx, pos, "Unterminated encoded string literal");
    if (string_kind == SQL_LIT_HEX || string_kind == SQL_LIT_NATIONAL) {
        pos.offset++; /* at the quote after the X / N prefix */
        pos.column++;
    }
    return lex_error(lx, pos, "Unterminated string literal");
}

/* Lexes a quoted body starting at the opening quote q at byte start. For
 * strings '' stands for '; with backslashes (E strings) \x escapes. The
 * decoded value goes to the arena when it differs from the source.
 * string_kind is the SQL_LIT_* kind of a string (0 for identifiers). */
static qv_status lex_quoted(lexer *lx, size_t start, char q, bool backslashes, int string_kind,
                            sql_token *tok, sql_pos pos)
{
    size_t j = start + 1;
    bool plain = true;
    for (;;) {
        /* A NUL byte ends the text as far as the quote is concerned. */
        if (j >= lx->len || lx->s[j] == '\0')
            return unterminated_quote(lx, pos, q, string_kind);
        char c = lx->s[j];
        if (c == q) {
            if (at(lx, j + 1) == (unsigned char)q) {
                plain = false;
                j += 2;
                continue;
            }
            break;
        }
        if (backslashes && c == '\\') {
            plain = false;
            j += 2;
            continue;
        }
        j++;
    }
    size_t body = start + 1, body_len = j - body;
    advance_to(lx, j + 1);
    *tok = make(lx, tok->type, pos);
    if (plain) {
        tok->value = lx->s + body;
        tok->value_len = (uint32_t)body_len;
        return QV_OK;
    }
    char *out = base_arena_alloc(lx->p->arena, body_len + 1);
    if (out == NULL)
        return base_error_nomem(lx->p->err, "SQL string literal");
    size_t n = 0;
    for (size_t k = body; k < body + body_len;) {
        if (lx->s[k] == q) { /* doubled quote */
            out[n++] = q;
            k += 2;
        } else if (backslashes && lx->s[k] == '\\') {
            k += 1 + decode_escape(lx->s, k + 1, out, &n);
        } else {
            out[n++] = lx->s[k++];
        }
    }
    out[n] = '\0';
    tok->value = out;
    tok->value_len = (uint32_t)n;
    return QV_OK;
}

static qv_status lex_string(lexer *lx, size_t quote_at, int kind, sql_pos pos)
{
    sql_token tok;
    memset(&tok, 0, sizeof tok);
    tok.type = SQL_TOK_STRING;
    QV_TRY(lex_quoted(lx, quote_at, '\'', kind == SQL_LIT_ESTRING, kind, &tok, pos));
    tok.type = SQL_TOK_STRING;
    tok.quote = (uint8_t)kind;
    return push(lx, tok);
}

/* $$...$$, $tag$...$tag$ or a placeholder $1 / $name. */
static qv_status lex_dollar(lexer *lx, sql_pos pos)
{
    size_t j = lx->i + 1;
    while (j < lx->len && is_ident_part((unsigned char)lx->s[j]) && lx->s[j] != '$')
        j++;
    if (at(lx, j) == '$') {
        size_t tag_len = j + 1 - lx->i; /* "$tag$" */
        const char *tag = lx->s + lx->i;
        size_t body = j + 1, k = body;
        while (k + tag_len <= lx->len && memcmp(lx->s + k, tag, tag_len) != 0)
            k++;
        if (k + tag_len > lx->len || memchr(lx->s + body, '\0', k - body) != NULL)
            return lex_error_at_end(lx, tag_len == 2 ? "Unterminated dollar-quoted string"
                                                     : "Unterminated dollar-quoted, expected $");
        advance_to(lx, k + tag_len);
        sql_token tok = make(lx, SQL_TOK_STRING, pos);
        tok.quote = SQL_LIT_DOLLAR;
        tok.value = lx->s + body;
        tok.value_len = (uint32_t)(k - body);
        return push(lx, tok);
    }
    advance_to(lx, j); /* a lone '$' is a placeholder too, as in sqlparser-rs */
    return push(lx, make(lx, SQL_TOK_PLACEHOLDER, pos));
}

static qv_status lex_number(lexer *lx, sql_pos pos)
{
    size_t j = lx->i;
    while (is_digit(at(lx, j)))
        j++;
    if (at(lx, j) == '.' && at(lx, j + 1) != '.') {
        j++;
        while (is_digit(at(lx, j)))
            j++;
    }
    if ((at(lx, j) == 'e' || at(lx, j) == 'E') &&
        (is_digit(at(lx, j + 1)) ||
         ((at(lx, j + 1) == '+' || at(lx, j + 1) == '-') && is_digit(at(lx, j + 2))))) {
        j += 2;
        while (is_digit(at(lx, j)))
            j++;
    }
    advance_to(lx, j);
    return push(lx, make(lx, SQL_TOK_NUMBER, pos));
}

/* Greedy match of the longest operator at byte i. */
static sql_punct match_punct(const lexer *lx, size_t *len)
{
    sql_punct best = SQL_P_NONE;
    size_t best_len = 0;
    for (int code = SQL_P_NONE + 1; code < SQL_P_COUNT; code++) {
        const char *text = punct_texts[code];
        if (text[0] != lx->s[lx->i])
            continue;
        size_t n = strlen(text);
        if (n > best_len && lx->i + n <= lx->len && memcmp(lx->s + lx->i, text, n) == 0) {
            best = (sql_punct)code;
            best_len = n;
        }
    }
    *len = best_len;
    return best;
}

static qv_status lex_one(lexer *lx)
{
    sql_pos pos = here(lx);
    unsigned char c = at(lx, lx->i);
    unsigned char next = at(lx, lx->i + 1);
    if ((c == 'E' || c == 'e') && next == '\'')
        return lex_string(lx, lx->i + 1, SQL_LIT_ESTRING, pos);
    if ((c == 'X' || c == 'x') && next == '\'')
        return lex_string(lx, lx->i + 1, SQL_LIT_HEX, pos);
    if ((c == 'N' || c == 'n') && next == '\'')
        return lex_string(lx, lx->i + 1, SQL_LIT_NATIONAL, pos);
    if (is_ident_start(c)) {
        size_t j = lx->i + 1;
        while (j < lx->len && is_ident_part((unsigned char)lx->s[j]))
            j++;
        advance_to(lx, j);
        sql_token tok = make(lx, SQL_TOK_WORD, pos);
        tok.kw = (uint16_t)sql_keyword_lookup(tok.value, tok.len);
        return push(lx, tok);
    }
    if (is_digit(c) || (c == '.' && is_digit(next)))
        return lex_number(lx, pos);
    if (c == '\'')
        return lex_string(lx, lx->i, SQL_LIT_STRING, pos);
    if (c == '"' || c == '`') {
        sql_token tok;
        memset(&tok, 0, sizeof tok);
        tok.type = SQL_TOK_QIDENT;
        QV_TRY(lex_quoted(lx, lx->i, (char)c, false, 0, &tok, pos));
        tok.quote = c;
        return push(lx, tok);
    }
    if (c == '$')
        return lex_dollar(lx, pos);
    size_t n;
    sql_punct punct = match_punct(lx, &n);
    if (punct == SQL_P_NONE) {
        /* sqlparser-rs makes any other character a token of its own; the
         * parser then reports it as unexpected. */
        advance_to(lx, lx->i + 1);
        return push(lx, make(lx, SQL_TOK_CHAR, pos));
    }
    advance_to(lx, lx->i + n);
    sql_token tok = make(lx, SQL_TOK_PUNCT, pos);
    tok.punct = (uint16_t)punct;
    return push(lx, tok);
}

qv_status sql_lex(sql_parser *p)
{
    lexer lx = {p, p->sql, p->len, 0, 1, 1, 0};
    /* The EOF token sits right after the last token (not after trailing
     * space and comments), where a caret under "found: EOF" belongs. */
    sql_pos end = here(&lx);
    for (;;) {
        QV_TRY(skip_space(&lx));
        if (lx.i >= lx.len)
            break;
        QV_TRY(lex_one(&lx));
        end = here(&lx);
    }
    /* The EOF token is pushed past the limit check on purpose: it always fits. */
    p->max_tokens++;
    sql_token eof;
    memset(&eof, 0, sizeof eof);
    eof.type = SQL_TOK_EOF;
    eof.pos = end;
    eof.value = lx.s + end.offset;
    return push(&lx, eof);
}
