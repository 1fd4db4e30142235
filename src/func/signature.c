/*
 * signature.c — DataFusion TypeSignature descriptions of function arguments
 * (layer: func): whether argument types are accepted as they are, and the
 * text form for errors and information_schema.
 */
#include "func/func_int.h"

static bool type_in(arrow_type_id id, int32_t n_types, const arrow_type_id *types)
{
    for (int32_t i = 0; i < n_types; i++) {
        if (types[i] == id)
            return true;
    }
    return false;
}

bool func_signature_accepts(const func_signature *sig, int32_t n_args, arrow_type *const *arg_types)
{
    switch (sig->kind) {
    case FUNC_SIG_NULLARY:
        return n_args == 0;
    case FUNC_SIG_EXACT:
        if (n_args != sig->n_args)
            return false;
        for (int32_t i = 0; i < n_args; i++) {
            if (arg_types[i]->id != sig->types[i])
                return false;
        }
        return true;
    case FUNC_SIG_UNIFORM:
    case FUNC_SIG_VARIADIC:
        if (sig->kind == FUNC_SIG_UNIFORM ? n_args != sig->n_args : n_args < 1)
            return false;
        for (int32_t i = 0; i < n_args; i++) {
            if (!type_in(arg_types[i]->id, sig->n_types, sig->types) ||
                !arrow_type_equal(arg_types[i], arg_types[0]))
                return false;
        }
        return true;
    case FUNC_SIG_VARIADIC_ANY:
        return n_args >= 1;
    case FUNC_SIG_ANY:
        return n_args == sig->n_args;
    case FUNC_SIG_NUMERIC:
    case FUNC_SIG_STRING:
    case FUNC_SIG_COMPARABLE:
        if (n_args != sig->n_args)
            return false;
        for (int32_t i = 0; i < n_args; i++) {
            arrow_type_id id = arg_types[i]->id;
            if (sig->kind == FUNC_SIG_NUMERIC && !func_is_numeric_id(id))
                return false;
            if (sig->kind == FUNC_SIG_STRING && !func_is_string_id(id))
                return false;
            if (sig->kind != FUNC_SIG_STRING && !arrow_type_equal(arg_types[i], arg_types[0]))
                return false;
        }
        return true;
    case FUNC_SIG_ONE_OF:
        for (int32_t i = 0; i < sig->n_alternatives; i++) {
            if (func_signature_accepts(&sig->alternatives[i], n_args, arg_types))
                return true;
        }
        return false;
    case FUNC_SIG_USER_DEFINED:
        return false; /* the entry's coerce_types decides */
    }
    return false;
}

static void format_types(int32_t n, const arrow_type_id *types, base_strbuf *sb)
{
    base_strbuf_append_char(sb, '[');
    for (int32_t i = 0; i < n; i++) {
        if (i > 0)
            base_strbuf_append_str(sb, ", ");
        arrow_type *t = arrow_type_primitive(types[i]);
        if (t != NULL)
            arrow_type_format(t, sb);
        else if (types[i] == QV_TYPE_DECIMAL128)
            base_strbuf_append_str(sb, "Decimal128(38, 10)");
        else if (types[i] == QV_TYPE_TIMESTAMP)
            base_strbuf_append_str(sb, "Timestamp(ns)");
        else
            base_strbuf_append_str(sb, "?");
    }
    base_strbuf_append_char(sb, ']');
}

void func_signature_format(const func_signature *sig, base_strbuf *sb)
{
    switch (sig->kind) {
    case FUNC_SIG_NULLARY:
        base_strbuf_append_str(sb, "Nullary");
        return;
    case FUNC_SIG_EXACT:
        base_strbuf_append_str(sb, "Exact(");
        format_types(sig->n_args, sig->types, sb);
        base_strbuf_append_char(sb, ')');
        return;
    case FUNC_SIG_UNIFORM:
        base_strbuf_appendf(sb, "Uniform(%d, ", (int)sig->n_args);
        format_types(sig->n_types, sig->types, sb);
        base_strbuf_append_char(sb, ')');
        return;
    case FUNC_SIG_VARIADIC:
        base_strbuf_append_str(sb, "Variadic(");
        format_types(sig->n_types, sig->types, sb);
        base_strbuf_append_char(sb, ')');
        return;
    case FUNC_SIG_VARIADIC_ANY:
        base_strbuf_append_str(sb, "VariadicAny");
        return;
    case FUNC_SIG_ANY:
        base_strbuf_appendf(sb, "Any(%d)", (int)sig->n_args);
        return;
    case FUNC_SIG_NUMERIC:
        base_strbuf_appendf(sb, "Numeric(%d)", (int)sig->n_args);
        return;
    case FUNC_SIG_STRING:
        base_strbuf_appendf(sb, "String(%d)", (int)sig->n_args);
        return;
    case FUNC_SIG_COMPARABLE:
        base_strbuf_appendf(sb, "Comparable(%d)", (int)sig->n_args);
        return;
    case FUNC_SIG_ONE_OF:
        base_strbuf_append_str(sb, "OneOf([");
        for (int32_t i = 0; i < sig->n_alternatives; i++) {
            if (i > 0)
                base_strbuf_append_str(sb, ", ");
            func_signature_format(&sig->alternatives[i], sb);
        }
        base_strbuf_append_str(sb, "])");
        return;
    case FUNC_SIG_USER_DEFINED:
        base_strbuf_append_str(sb, "UserDefined");
        return;
    }
}
