/*
 * prepare.c — prepared statements (layer: session): PREPARE name [(types)]
 * AS statement, EXECUTE name [(args)], DEALLOCATE [PREPARE] name, and the
 * C API's qv_statement. A prepared statement keeps its syntax tree and its
 * parameter types (declared, or inferred when the query is bound at
 * PREPARE, as DataFusion does); EXECUTE binds the tree afresh with the
 * argument values, which the binder turns into literals named $n, so a
 * prepared statement is never changed by running it and always sees the
 * catalog as it is now.
 */
#include <stdlib.h>
#include <string.h>

#include "session/session_int.h"

typedef struct prepared {
    char *name;               /* normalised; NULL for a qv_statement */
    char *text;               /* the SQL parsed */
    sql_parse_result *parsed; /* owns stmt */
    const sql_node *stmt;
    int32_t n_params;   /* the highest $n of the statement */
    arrow_type **types; /* n_params, owned; NULL: untyped */
    /* DataFusion's "fields": the declared types, or the inferred ones when
     * none were declared. When there are any, EXECUTE must give that many
     * arguments, and casts them. */
    int32_t n_fields;
} prepared;

struct session_prepared {
    prepared **named;
    int32_t n_named, named_cap;
    qv_statement *statements; /* the live C API handles, to detach on free */
    /* The arguments of the EXECUTE running now: session_bind_parameters
     * gives them to every planning context of the statement. */
    int32_t n_values;
    arrow_array **values;
    arrow_type **value_types;
};

struct qv_statement {
    qv_session *session; /* NULL once the session is freed */
    qv_statement *next;  /* in the session's list */
    prepared *prepared;
    arrow_array **bound; /* n_params, NULL: not bound yet */
};

static void prepared_free(prepared *p)
{
    if (p == NULL)
        return;
    for (int32_t i = 0; p->types != NULL && i < p->n_params; i++)
        arrow_type_release(p->types[i]);
    base_free(p->types);
    sql_parse_result_free(p->parsed);
    base_free(p->text);
    base_free(p->name);
    base_free(p);
}

static qv_status state_of(qv_session *session, struct session_prepared **out, qv_error *err)
{
    if (session->prepared == NULL) {
        session->prepared = base_calloc(1, sizeof *session->prepared);
        if (session->prepared == NULL)
            return base_error_nomem(err, "prepared statements");
    }
    *out = session->prepared;
    return QV_OK;
}

static int32_t find_named(const struct session_prepared *state, const char *name)
{
    for (int32_t i = 0; state != NULL && i < state->n_named; i++)
        if (strcmp(state->named[i]->name, name) == 0)
            return i;
    return -1;
}

/* ---- the placeholders of a statement ---- */

#define MAX_PARAMS 65535

typedef struct placeholder_scan {
    int32_t max_index; /* the highest $n */
    int32_t n_distinct;
    uint8_t seen[(MAX_PARAMS + 8) / 8]; /* bit n: $n was seen */
    const sql_node *bad;                /* a placeholder that is not $<number> */
    const sql_node *too_high;           /* one above $MAX_PARAMS */
} placeholder_scan;

static void scan_placeholders(const sql_node *node, placeholder_scan *scan)
{
    if (node == NULL)
        return;
    if (node->kind == SQL_PLACEHOLDER) {
        const char *text = node->text;
        bool numeric = text[0] == '$' && text[1] >= '1' && text[1] <= '9';
        size_t digits = 0;
        for (const char *c = text + 1; numeric && *c; c++, digits++)
            numeric = *c >= '0' && *c <= '9';
        if (!numeric) {
            scan->bad = scan->bad ? scan->bad : node;
            return;
        }
        long index = digits <= 6 ? strtol(text + 1, NULL, 10) : MAX_PARAMS + 1;
        if (index > MAX_PARAMS) {
            scan->too_high = scan->too_high ? scan->too_high : node;
            return;
        }
        if (!(scan->seen[index / 8] & (1u << (index % 8)))) {
            scan->seen[index / 8] |= (uint8_t)(1u << (index % 8));
            scan->n_distinct++;
        }
        if (index > scan->max_index)
            scan->max_index = (int32_t)index;
        return;
    }
    for (uint32_t i = 0; i < node->n_kids; i++)
        scan_placeholders(node->kids[i], scan);
}

/* Makes a prepared statement of stmt (which *parsed owns; the parse
 * result moves to the statement, also on failure). declared: the PREPARE's
 * type list, or NULL. A query is bound now, to report its errors and to
 * infer the types of its parameters. */
static qv_status prepare(qv_session *session, sql_parse_result **parsed, const sql_node *stmt,
                         const sql_node *declared, prepared **out, qv_error *err)
{
    *out = NULL;
    prepared *p = base_calloc(1, sizeof *p);
    if (p == NULL) {
        sql_parse_result_free(*parsed);
        *parsed = NULL;
        return base_error_nomem(err, "prepared statement");
    }
    p->parsed = *parsed;
    *parsed = NULL;
    p->stmt = stmt;
    placeholder_scan scan = {0};
    scan_placeholders(stmt, &scan);
    int32_t n_declared = declared != NULL ? (int32_t)declared->n_kids : 0;
    qv_status st = QV_OK;
    if (scan.bad != NULL)
        st = base_error_set(err, QV_PLAN, "Error during planning: Unknown placeholder: %s",
                            scan.bad->text);
    else if (scan.too_high != NULL)
        st = base_error_set(err, QV_PLAN,
                            "Error during planning: Placeholder %s is above the limit of $%d",
                            scan.too_high->text, MAX_PARAMS);
    else if (n_declared > 0 && n_declared != scan.n_distinct)
        st = base_error_set(err, QV_PLAN,
                            "Error during planning: Prepare specifies %d data types but query "
                            "has %d parameters",
                            n_declared, scan.n_distinct);
    p->n_params = scan.max_index > n_declared ? scan.max_index : n_declared;
    if (st == QV_OK && p->n_params > 0) {
        p->types = base_calloc((size_t)p->n_params, sizeof *p->types);
        if (p->types == NULL)
            st = base_error_nomem(err, "prepared statement");
    }
    plan_ctx *pctx = NULL;
    if (st == QV_OK)
        st = session_plan_ctx(session, &pctx, err);
    for (int32_t i = 0; i < n_declared && st == QV_OK; i++)
        st = plan_bind_type(pctx, declared->kids[i], &p->types[i], err);
    if (st == QV_OK && session_is_query(stmt)) {
        /* The binder fills in the types it infers (borrowed from pctx). */
        arrow_type **inferred = NULL;
        if (p->n_params > 0) {
            inferred = plan_alloc(pctx, (size_t)p->n_params * sizeof *inferred);
            if (inferred == NULL)
                st = base_error_nomem(err, "prepared statement");
            else
                memcpy(inferred, p->types, (size_t)p->n_params * sizeof *inferred);
        }
        pctx->n_params = p->n_params;
        pctx->param_types = inferred;
        plan_node *root = NULL;
        if (st == QV_OK)
            st = plan_bind_query(pctx, stmt, &root, err);
        for (int32_t i = n_declared; i < p->n_params && st == QV_OK; i++)
            p->types[i] = inferred[i] ? arrow_type_retain(inferred[i]) : NULL;
    }
    plan_ctx_free(pctx);
    for (int32_t i = 0; i < p->n_params && st == QV_OK; i++)
        p->n_fields += p->types[i] != NULL;
    if (n_declared > 0)
        p->n_fields = n_declared;
    if (st != QV_OK) {
        prepared_free(p);
        return st;
    }
    *out = p;
    return QV_OK;
}

/* ---- running ---- */

static qv_status not_found(const char *name, qv_error *err)
{
    return base_error_set(err, QV_EXECUTION,
                          "Execution error: Prepared statement '%s' does not exist", name);
}

/* Runs p with values (n of them, borrowed): they are the parameters of
 * every planning context made while the statement is bound. */
static qv_status run(qv_session *session, const prepared *p, int32_t n, arrow_array **values,
                     qv_result **out, qv_error *err)
{
    struct session_prepared *state = NULL;
    QV_TRY(state_of(session, &state, err));
    arrow_type **types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *types);
    if (types == NULL)
        return base_error_nomem(err, "EXECUTE");
    for (int32_t i = 0; i < n; i++)
        types[i] = values[i]->type;
    /* An EXECUTE may run inside another (a prepared EXECUTE): the outer
     * one's values come back afterwards. */
    int32_t outer_n = state->n_values;
    arrow_array **outer_values = state->values;
    arrow_type **outer_types = state->value_types;
    state->n_values = n;
    state->values = values;
    state->value_types = types;
    qv_status st = session_execute(session, p->stmt, p->text, out, err);
    if (st != QV_OK && err != NULL) {
        /* A position would point into the prepared text, not the caller's. */
        err->line = 0;
        err->column = 0;
    }
    state->n_values = outer_n;
    state->values = outer_values;
    state->value_types = outer_types;
    base_free(types);
    return st;
}

void session_bind_parameters(qv_session *session, plan_ctx *ctx)
{
    const struct session_prepared *state = session->prepared;
    if (state == NULL || state->values == NULL)
        return;
    ctx->n_params = state->n_values;
    ctx->param_types = state->value_types;
    ctx->param_values = state->values;
}

/* values[i] cast to p's type of parameter i when it has one (DataFusion
 * casts the arguments to the statement's fields). */
static qv_status cast_values(const prepared *p, int32_t n, arrow_array **values, qv_error *err)
{
    for (int32_t i = 0; i < n && i < p->n_params; i++) {
        if (p->types[i] == NULL || arrow_type_equal(values[i]->type, p->types[i]))
            continue;
        func_datum in = func_datum_scalar(values[i]), cast = {0};
        qv_status st = func_cast(&in, p->types[i], false, 1, &cast, err);
        func_datum_release(&in);
        QV_TRY(st);
        arrow_array_release(values[i]);
        values[i] = cast.array;
    }
    return QV_OK;
}

static void release_values(int32_t n, arrow_array **values)
{
    for (int32_t i = 0; values != NULL && i < n; i++)
        arrow_array_release(values[i]);
    base_free(values);
}

/* The values of EXECUTE's argument expressions, each evaluated once. */
static qv_status evaluate_args(qv_session *session, const sql_node *args, arrow_array ***out,
                               qv_error *err)
{
    *out = NULL;
    int32_t n = args != NULL ? (int32_t)args->n_kids : 0;
    arrow_array **values = base_calloc((size_t)(n > 0 ? n : 1), sizeof *values);
    if (values == NULL)
        return base_error_nomem(err, "EXECUTE");
    plan_ctx *pctx = NULL;
    arrow_schema *no_columns = NULL;
    arrow_batch *one_row = NULL;
    qv_status st = session_plan_ctx(session, &pctx, err);
    if (st == QV_OK)
        st = arrow_schema_new(0, NULL, NULL, &no_columns, err);
    if (st == QV_OK)
        st = arrow_batch_new(no_columns, 1, NULL, &one_row, err);
    func_call_ctx call;
    session_call_ctx(session, &call);
    for (int32_t i = 0; i < n && st == QV_OK; i++) {
        plan_expr *e = NULL;
        st = plan_bind_expr(pctx, args->kids[i], NULL, &e, err);
        if (st == QV_OK)
            st = exec_expr_eval_array(e, one_row, &call, &values[i], err);
    }
    arrow_batch_release(one_row);
    arrow_schema_release(no_columns);
    plan_ctx_free(pctx);
    if (st != QV_OK) {
        release_values(n, values);
        return st;
    }
    *out = values;
    return QV_OK;
}

/* ---- SQL statements ---- */

/* The statement's own tree, parsed anew (the tree of this PREPARE dies
 * with its SQL text): from the original text with everything before the
 * statement blanked out, so that error positions stay those of the text
 * the user wrote; from the statement's SQL as unparsed when that does not
 * give the same tree. */
static qv_status reparse(const sql_node *stmt, const char *sql, char **text, sql_parse_result **out,
                         qv_error *err)
{
    *out = NULL;
    *text = NULL;
    if (sql != NULL && stmt->pos.offset < strlen(sql)) {
        char *copy = base_strdup(sql);
        if (copy == NULL)
            return base_error_nomem(err, "PREPARE");
        for (uint32_t i = 0; i < stmt->pos.offset; i++)
            if (copy[i] != '\n')
                copy[i] = ' ';
        sql_parse_result *parsed = NULL;
        if (sql_parse(copy, strlen(copy), NULL, &parsed, NULL) == QV_OK &&
            parsed->n_statements > 0 && sql_ast_equal(parsed->statements[0].node, stmt)) {
            *text = copy;
            *out = parsed;
            return QV_OK;
        }
        sql_parse_result_free(parsed);
        base_free(copy);
    }
    *text = sql_unparse_to_string(stmt);
    if (*text == NULL)
        return base_error_nomem(err, "PREPARE");
    return sql_parse(*text, strlen(*text), NULL, out, err);
}

qv_status session_prepare(qv_session *session, const sql_node *stmt, const char *sql,
                          qv_result **out, qv_error *err)
{
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    char *name = base_strdup(plan_ident(pctx, sql_kid(stmt, 0)));
    plan_ctx_free(pctx);
    char *text = NULL;
    sql_parse_result *parsed = NULL;
    qv_status st = name ? reparse(sql_kid(stmt, 2), sql, &text, &parsed, err)
                        : base_error_nomem(err, "PREPARE");
    prepared *p = NULL;
    if (st == QV_OK)
        st = prepare(session, &parsed, parsed->statements[0].node, sql_kid(stmt, 1), &p, err);
    sql_parse_result_free(parsed); /* only when prepare did not take it */
    if (st == QV_OK) {
        p->text = text;
        text = NULL;
    }
    base_free(text);
    struct session_prepared *state = NULL;
    if (st == QV_OK)
        st = state_of(session, &state, err);
    if (st == QV_OK && find_named(state, name) >= 0)
        st = base_error_set(err, QV_EXECUTION,
                            "Execution error: Prepared statement '%s' already exists", name);
    if (st == QV_OK && state->n_named == state->named_cap) {
        int32_t cap = state->named_cap == 0 ? 4 : state->named_cap * 2;
        prepared **grown = base_realloc(state->named, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            st = base_error_nomem(err, "PREPARE");
        else {
            state->named = grown;
            state->named_cap = cap;
        }
    }
    if (st != QV_OK) {
        prepared_free(p);
        base_free(name);
        return st;
    }
    p->name = name;
    state->named[state->n_named++] = p;
    return session_result_empty(session, out, err);
}

qv_status session_execute_prepared(qv_session *session, const sql_node *stmt, qv_result **out,
                                   qv_error *err)
{
    if (sql_kid(stmt, 0) == NULL)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: EXECUTE statement requires a name");
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    const char *name = plan_ident(pctx, sql_kid(stmt, 0));
    int32_t at = name != NULL ? find_named(session->prepared, name) : -1;
    qv_status st = name == NULL ? base_error_nomem(err, "EXECUTE") : QV_OK;
    if (st == QV_OK && at < 0)
        st = not_found(name, err);
    const sql_node *args = sql_kid(stmt, 1);
    int32_t n = args != NULL ? (int32_t)args->n_kids : 0;
    const prepared *p = at >= 0 ? session->prepared->named[at] : NULL;
    arrow_array **values = NULL;
    if (st == QV_OK)
        st = evaluate_args(session, args, &values, err);
    if (st == QV_OK && p->n_fields > 0 && n != p->n_fields)
        st = base_error_set(err, QV_EXECUTION,
                            "Execution error: Prepared statement '%s' expects %d parameters, but "
                            "%d provided",
                            name, p->n_fields, n);
    if (st == QV_OK)
        st = cast_values(p, n, values, err);
    plan_ctx_free(pctx);
    if (st == QV_OK)
        st = run(session, p, n, values, out, err);
    release_values(n, values);
    return st;
}

qv_status session_deallocate(qv_session *session, const sql_node *stmt, qv_result **out,
                             qv_error *err)
{
    plan_ctx *pctx = NULL;
    QV_TRY(session_plan_ctx(session, &pctx, err));
    const char *name = plan_ident(pctx, sql_kid(stmt, 0));
    int32_t at = name != NULL ? find_named(session->prepared, name) : -1;
    qv_status st = name == NULL ? base_error_nomem(err, "DEALLOCATE") : QV_OK;
    if (st == QV_OK && at < 0)
        st = not_found(name, err);
    plan_ctx_free(pctx);
    QV_TRY(st);
    struct session_prepared *state = session->prepared;
    prepared_free(state->named[at]);
    memmove(&state->named[at], &state->named[at + 1],
            (size_t)(state->n_named - at - 1) * sizeof *state->named);
    state->n_named--;
    return session_result_empty(session, out, err);
}

void session_prepared_free(qv_session *session)
{
    struct session_prepared *state = session->prepared;
    if (state == NULL)
        return;
    for (int32_t i = 0; i < state->n_named; i++)
        prepared_free(state->named[i]);
    base_free(state->named);
    for (qv_statement *s = state->statements; s != NULL; s = s->next)
        s->session = NULL;
    base_free(state);
    session->prepared = NULL;
}

/* ---- the C API ---- */

qv_status qv_session_prepare(qv_session *session, const char *sql, qv_statement **out,
                             qv_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (session == NULL || sql == NULL || out == NULL)
        return base_error_set(err, QV_MISUSE,
                              "qv_session_prepare: session, sql and out are required");
    if (err != NULL)
        qv_error_clear(err);
    sql_parse_result *parsed = NULL;
    QV_TRY(sql_parse(sql, strlen(sql), NULL, &parsed, err));
    qv_status st = QV_OK;
    if (parsed->n_statements != 1)
        st = base_error_set(err, QV_MISUSE, "qv_session_prepare: expected one statement, found %zu",
                            parsed->n_statements);
    const sql_node *stmt = st == QV_OK ? parsed->statements[0].node : NULL;
    if (st == QV_OK)
        st = session_check_policy(session, stmt, err);
    struct session_prepared *state = NULL;
    if (st == QV_OK)
        st = state_of(session, &state, err);
    char *text = st == QV_OK ? base_strdup(sql) : NULL;
    qv_statement *s = text != NULL ? base_calloc(1, sizeof *s) : NULL;
    if (st == QV_OK && s == NULL)
        st = base_error_nomem(err, "prepared statement");
    if (st != QV_OK) {
        base_free(text);
        sql_parse_result_free(parsed);
        return st;
    }
    st = prepare(session, &parsed, stmt, NULL, &s->prepared, err);
    if (st == QV_OK) {
        s->prepared->text = text;
        text = NULL;
        int32_t n = s->prepared->n_params;
        s->bound = base_calloc((size_t)(n > 0 ? n : 1), sizeof *s->bound);
        if (s->bound == NULL)
            st = base_error_nomem(err, "prepared statement");
    }
    base_free(text);
    if (st != QV_OK) {
        prepared_free(s->prepared);
        base_free(s);
        return st;
    }
    s->session = session;
    s->next = state->statements;
    state->statements = s;
    *out = s;
    return QV_OK;
}

int32_t qv_statement_param_count(const qv_statement *stmt)
{
    return stmt != NULL ? stmt->prepared->n_params : 0;
}

/* Binds a length-1 array of type made by append (value) to $index. */
typedef qv_status (*append_fn)(arrow_builder *b, const void *value, size_t len, qv_error *err);

static qv_status bind_value(qv_statement *stmt, int32_t index, arrow_type *type, append_fn append,
                            const void *value, size_t len, qv_error *err)
{
    if (stmt == NULL)
        return base_error_set(err, QV_MISUSE, "qv_statement_bind: stmt is required");
    if (index < 1 || index > stmt->prepared->n_params)
        return base_error_set(err, QV_INVALID,
                              "qv_statement_bind: no parameter $%d (the statement has %d)",
                              (int)index, (int)stmt->prepared->n_params);
    arrow_builder *b = NULL;
    arrow_array *array = NULL;
    qv_status st = arrow_builder_new(type, &b, err);
    if (st == QV_OK)
        st = append(b, value, len, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &array, err);
    arrow_builder_free(b);
    QV_TRY(st);
    arrow_array_release(stmt->bound[index - 1]);
    stmt->bound[index - 1] = array;
    return QV_OK;
}

static qv_status append_int64(arrow_builder *b, const void *value, size_t len, qv_error *err)
{
    (void)len;
    return arrow_builder_append_int(b, *(const int64_t *)value, err);
}

static qv_status append_double(arrow_builder *b, const void *value, size_t len, qv_error *err)
{
    (void)len;
    return arrow_builder_append_double(b, *(const double *)value, err);
}

static qv_status append_bool(arrow_builder *b, const void *value, size_t len, qv_error *err)
{
    (void)len;
    return arrow_builder_append_bool(b, *(const bool *)value, err);
}

static qv_status append_text(arrow_builder *b, const void *value, size_t len, qv_error *err)
{
    return arrow_builder_append_bytes(b, value, (int64_t)len, err);
}

static qv_status append_null(arrow_builder *b, const void *value, size_t len, qv_error *err)
{
    (void)value;
    (void)len;
    return arrow_builder_append_null(b, err);
}

qv_status qv_statement_bind_int64(qv_statement *stmt, int32_t index, int64_t value, qv_error *err)
{
    return bind_value(stmt, index, arrow_type_primitive(QV_TYPE_INT64), append_int64, &value, 0,
                      err);
}

qv_status qv_statement_bind_double(qv_statement *stmt, int32_t index, double value, qv_error *err)
{
    return bind_value(stmt, index, arrow_type_primitive(QV_TYPE_FLOAT64), append_double, &value, 0,
                      err);
}

qv_status qv_statement_bind_bool(qv_statement *stmt, int32_t index, int value, qv_error *err)
{
    bool truth = value != 0;
    return bind_value(stmt, index, arrow_type_primitive(QV_TYPE_BOOLEAN), append_bool, &truth, 0,
                      err);
}

qv_status qv_statement_bind_text(qv_statement *stmt, int32_t index, const char *data, size_t len,
                                 qv_error *err)
{
    if (data == NULL && len > 0)
        return base_error_set(err, QV_MISUSE, "qv_statement_bind_text: data is NULL");
    return bind_value(stmt, index, arrow_type_primitive(QV_TYPE_UTF8), append_text,
                      data != NULL ? data : "", len, err);
}

qv_status qv_statement_bind_null(qv_statement *stmt, int32_t index, qv_error *err)
{
    return bind_value(stmt, index, arrow_type_primitive(QV_TYPE_NULL), append_null, NULL, 0, err);
}

qv_status qv_statement_execute(qv_statement *stmt, qv_result **out, qv_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (stmt == NULL || out == NULL)
        return base_error_set(err, QV_MISUSE, "qv_statement_execute: stmt and out are required");
    qv_session *session = stmt->session;
    if (session == NULL)
        return base_error_set(err, QV_MISUSE,
                              "qv_statement_execute: the statement's session was freed");
    if (session->open_result != NULL)
        return base_error_set(err, QV_MISUSE,
                              "qv_statement_execute: free the previous result of this session "
                              "first");
    if (err != NULL)
        qv_error_clear(err);
    const prepared *p = stmt->prepared;
    int32_t n = p->n_params;
    for (int32_t i = 0; i < n; i++)
        if (stmt->bound[i] == NULL)
            return base_error_set(err, QV_MISUSE,
                                  "qv_statement_execute: parameter $%d is not bound", (int)i + 1);
    arrow_array **values = base_calloc((size_t)(n > 0 ? n : 1), sizeof *values);
    if (values == NULL)
        return base_error_nomem(err, "EXECUTE");
    for (int32_t i = 0; i < n; i++)
        values[i] = arrow_array_retain(stmt->bound[i]);
    qv_status st = cast_values(p, n, values, err);
    if (st == QV_OK)
        st = run(session, p, n, values, out, err);
    release_values(n, values);
    return st;
}

void qv_statement_free(qv_statement *stmt)
{
    if (stmt == NULL)
        return;
    if (stmt->session != NULL) {
        qv_statement **link = &stmt->session->prepared->statements;
        while (*link != stmt)
            link = &(*link)->next;
        *link = stmt->next;
    }
    for (int32_t i = 0; i < stmt->prepared->n_params; i++)
        arrow_array_release(stmt->bound[i]);
    base_free(stmt->bound);
    prepared_free(stmt->prepared);
    base_free(stmt);
}
