/*
 * eval.h — judging one record of quiver-slt: given a record and what the
 * engine produced for its SQL, decide pass / fail under the record's dialect
 * (DataFusion's sqllogictest-rs rules or SQLite's), in the exact mode (an
 * error must match its regex or block) and the lenient one (any error
 * satisfies an error record), and describe failures. Also builds the
 * replacement text `--complete` writes for a failing record. Owns the
 * slt_output helpers declared in engine.h.
 */
#ifndef QV_SLT_EVAL_H
#define QV_SLT_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "slt_reader.h"
#include "sqlite.h"

typedef struct slt_eval_context {
    slt_dialect dialect;
    const char *const *roots; /* absolute workspace roots to show as WORKSPACE_ROOT */
    size_t n_roots;
    slt_labels *labels;   /* SQLite label registry (may be NULL: labels unchecked) */
    bool want_completion; /* fill slt_verdict.completion for failing records */
} slt_eval_context;

typedef struct slt_verdict {
    bool passed;         /* under the exact rules */
    bool passed_lenient; /* any engine error satisfies `statement error` / `query error` */
    char *reason;        /* failing: a short phrase ("query result mismatch"); owned */
    char *expected;      /* failing: what the record expects, as shown; owned, may be NULL */
    char *got;           /* failing: what the engine gave, as shown; owned, may be NULL */
    char *completion;    /* failing and want_completion (DataFusion dialect): the record's
                            new text, header to last line, no trailing empty line; owned */
} slt_verdict;

/* Judges rec against out. v is overwritten (free it with slt_verdict_free).
 * Updates ctx->labels for labelled SQLite queries. */
void slt_eval(const slt_record *rec, const slt_output *out, slt_eval_context *ctx, slt_verdict *v);

/* Bookkeeping for a record skipped by skipif / onlyif: a labelled SQLite
 * query registers its expected hash. */
void slt_eval_skipped(const slt_record *rec, slt_eval_context *ctx);

void slt_verdict_free(slt_verdict *v);

/* The failure report of a record: "path:line: reason" then the SQL, the
 * expected and the got text, each cut to max_lines lines, indented. Caller
 * frees. */
char *slt_verdict_describe(const slt_record *rec, const slt_verdict *v, size_t max_lines);

#endif /* QV_SLT_EVAL_H */
