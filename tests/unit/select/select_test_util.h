/*
 * select_test_util.h — helpers for the selection-kernel and sort tests: a
 * table of test types covering every Arrow type, random arrays of any of
 * them (nulls, ties, runs), element formatting for comparisons, a small
 * deterministic RNG. Helpers abort on failure (test inputs only). Also used
 * by tests/unit/sort (which compiles select_test_util.c in).
 */
#ifndef QV_SELECT_TEST_UTIL_H
#define QV_SELECT_TEST_UTIL_H

#include "arrow/arrow.h"
#include "func/select.h"

/* xorshift64*; state must be non-zero. */
uint64_t t_rand(uint64_t *state);
/* Uniform in [0, n). */
int64_t t_rand_below(uint64_t *state, int64_t n);

/* The test types: *names (static) and types (new references the caller
 * releases with t_types_free). Returns how many. */
int t_types(arrow_type ***types, const char ***names);
void t_types_free(int n, arrow_type **types);

/* A random array of `type`, n elements, about one in null_every null
 * (0: none); values come from small domains so that ties are common. */
arrow_array *t_random_array(arrow_type *type, int64_t n, int null_every, uint64_t *rng);

/* Element i formatted ("NULL" for nulls); a new string (free with base_free). */
char *t_format(const arrow_array *array, int64_t i);
/* True when element i of a formats like element j of b. */
bool t_same(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j);

/* The same without printing the difference. */
bool t_equal(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j);
/* Fills process-wide caches (time zones) so that allocation counts taken
 * afterwards are not disturbed by them. */
void t_warm_caches(void);

/* Helpers for explicit arrays. */
arrow_array *t_slice(arrow_array *a, int64_t offset, int64_t length); /* consumes a */
arrow_array *t_i64s(int n, const int64_t *values, const bool *nulls);
arrow_array *t_f64s(int n, const double *values, const bool *nulls);
arrow_array *t_strs(arrow_type_id id, int n, const char *const *values); /* NULL: null */
arrow_array *t_bools(int n, const int *values);                          /* -1: null */

#endif /* QV_SELECT_TEST_UTIL_H */
