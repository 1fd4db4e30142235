/*
 * complete.h — quiver-slt --complete: rewrites the failing records of our
 * own .slt files with what the engine produced (eval.c builds each record's
 * new text; this file splices them into the source files).
 */
#ifndef QV_SLT_COMPLETE_H
#define QV_SLT_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "slt_reader.h"

/* Rewrites every source file of `file` (the file and its includes) in
 * which some record has a non-NULL completions[i]: lines [line, end_line) of
 * record i are replaced by completions[i] (its text, one line per '\n'-
 * separated part). Writes through a temporary file and rename. Returns the
 * number of records rewritten, or -1 with a message in err. */
long slt_complete_file(const slt_file *file, char *const *completions, char *err, size_t err_size);

/* The same on text in memory: returns the new text of source `path` (caller
 * frees). Exposed for tests. */
char *slt_complete_text(const char *text, const char *path, const slt_file *file,
                        char *const *completions, long *n_rewritten);

#endif /* QV_SLT_COMPLETE_H */
