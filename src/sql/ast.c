/*
 * ast.c — what every syntax tree supports whatever produced it (layer: sql):
 * kind and operator names, structural equality, the S-expression dump used
 * by tests, and identifier normalization.
 */
#include <string.h>

#include "sql.h"

static const char *const kind_names[] = {
#define KIND_NAME_(name, label) label,
    SQL_KIND_TABLE(KIND_NAME_)
#undef KIND_NAME_
};

static const char *const op_texts[] = {
    "",
#define OP_TEXT_(op, text) text,
    SQL_OP_TABLE(OP_TEXT_)
#undef OP_TEXT_
};

const char *sql_kind_name(sql_kind kind)
{
    return (unsigned)kind < SQL_KIND_COUNT ? kind_names[kind] : "?";
}

const char *sql_op_text(sql_op op) { return (unsigned)op < SQL_OP_COUNT ? op_texts[op] : "?"; }

bool sql_ast_equal(const sql_node *a, const sql_node *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    if (a->kind != b->kind || a->op != b->op || a->flags != b->flags ||
        a->n_kids != b->n_kids || a->text_len != b->text_len)
        return false;
    if ((a->text == NULL) != (b->text == NULL))
        return false;
    if (a->text != NULL && memcmp(a->text, b->text, a->text_len) != 0)
        return false;
    for (uint32_t i = 0; i < a->n_kids; i++) {
        if (!sql_ast_equal(a->kids[i], b->kids[i]))
            return false;
    }
    return true;
}

void sql_node_dump(const sql_node *node, base_strbuf *sb)
{
    if (node == NULL) {
        base_strbuf_append_str(sb, "nil");
        return;
    }
    base_strbuf_appendf(sb, "(%s", sql_kind_name(node->kind));
    if ((node->kind == SQL_UNARY || node->kind == SQL_BINARY || node->kind == SQL_QUANTIFIED) &&
        node->op != 0)
        base_strbuf_appendf(sb, " %s", sql_op_text((sql_op)node->op));
    else if (node->op != 0)
        base_strbuf_appendf(sb, " op=%d", (int)node->op);
    if (node->flags != 0)
        base_strbuf_appendf(sb, " flags=0x%x", (unsigned)node->flags);
    if (node->text != NULL)
        base_strbuf_appendf(sb, " %s", node->text);
    /* Trailing absent children are noise; inner ones keep slot numbers. */
    uint32_t n = node->n_kids;
    while (n > 0 && node->kids[n - 1] == NULL)
        n--;
    for (uint32_t i = 0; i < n; i++) {
        base_strbuf_append_char(sb, ' ');
        sql_node_dump(node->kids[i], sb);
    }
    base_strbuf_append_char(sb, ')');
}

char *sql_ident_normalize(const sql_node *ident, bool normalize, base_arena *arena)
{
    char *name = base_arena_strndup(arena, ident->text != NULL ? ident->text : "",
                                    ident->text_len);
    if (name == NULL || !normalize || ident->op != 0)
        return name;
    for (size_t i = 0; i < ident->text_len; i++) {
        if (name[i] >= 'A' && name[i] <= 'Z')
            name[i] = (char)(name[i] - 'A' + 'a');
    }
    return name;
}
