/*
 * array_test_util.h — helpers for the array-function tests: arrays written
 * as text ("List(Int64)", "[[1, NULL], NULL, []]"), calls through the
 * builtin registry (coercion, return type, invoke, validation), results
 * formatted as text.
 */
#ifndef QV_ARRAY_TEST_UTIL_H
#define QV_ARRAY_TEST_UTIL_H

#include "func/func.h"

/* An array of `type` (arrow_cast spelling) whose rows are the items of the
 * bracketed list `rows`: numbers, 'strings', true/false, NULL, and [..]
 * for list values. Aborts on malformed input (tests only). */
arrow_array *ta(const char *type, const char *rows);

/* Datums taking over an array reference. */
func_datum tarr(arrow_array *a);
func_datum tsca(arrow_array *a);

/* Calls builtin `name` on args (released afterwards) as the binder and
 * executor would: arguments are cast to the entry's coercion targets, the
 * return type is resolved, the function invoked and the result validated.
 * Returns "<type> <row>; <row>; ..." ("S " before a scalar result),
 * "COERCE: <targets>" when a target has no cast, or "ERR: <message>".
 * Valid until the next call. */
const char *tcall(const char *name, int n_args, func_datum *args, int64_t n_rows);

/* The coercion of `name` for argument types (arrow_cast spellings):
 * "<target or '-'>, ..." or "ERR: <message>". Valid until the next call. */
const char *tcoerce(const char *name, int n_args, const char *const *types);

#define TCALL(name, n_rows, ...)                                                                   \
    tcall(name, (int)(sizeof((func_datum[]){__VA_ARGS__}) / sizeof(func_datum)),                   \
          (func_datum[]){__VA_ARGS__}, n_rows)
#define TCOERCE(name, ...)                                                                         \
    tcoerce(name, (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)),             \
            (const char *[]){__VA_ARGS__})

#endif
