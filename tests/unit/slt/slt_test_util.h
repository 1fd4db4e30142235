/*
 * slt_test_util.h — helpers for the quiver-slt unit tests (tests/unit/slt):
 * temporary files and hand-built engine outputs.
 */
#ifndef QV_SLT_TEST_UTIL_H
#define QV_SLT_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

/* A new empty temporary directory (malloc'd path). */
char *slt_test_tmpdir(void);
/* Writes text to dir/name; returns the malloc'd path. */
char *slt_test_write(const char *dir, const char *name, const char *text);
/* Reads a whole file (malloc'd), NULL when it cannot. */
char *slt_test_read(const char *path);

/* An output with the given type letters and cells, row-major; each cell is
 * rendered text, "NULL" makes a null. Integers ('I'), floats ('R'), booleans
 * ('B') and strings ('T') get their typed fields parsed from the text. */
void slt_test_output(slt_output *out, const char *types, size_t n_rows, const char *const *cells);

#endif /* QV_SLT_TEST_UTIL_H */
