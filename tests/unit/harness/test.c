/*
 * test.c — the unit-test runner: runs every registered test (or those whose
 * name contains argv[1]) and prints "N passed, N failed" as its last line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

typedef struct test_case {
    const char *name;
    const char *file;
    test_fn fn;
} test_case;

static test_case *cases;
static int n_cases;
static int cap_cases;
static bool current_failed;

/* Registration runs before main: plain malloc, not the counted allocator, so
 * that tests measuring allocations see only their own. */
void test_register(const char *name, const char *file, test_fn fn)
{
    if (n_cases == cap_cases) {
        cap_cases = cap_cases ? cap_cases * 2 : 64;
        cases = realloc(cases, (size_t)cap_cases * sizeof *cases);
        if (cases == NULL) {
            fputs("test harness: out of memory\n", stderr);
            exit(2);
        }
    }
    cases[n_cases++] = (test_case){name, file, fn};
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
    current_failed = true;
    fprintf(stderr, "  %s:%d: ", file, line);
    va_list args;
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
}

bool test_failed(void) { return current_failed; }

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    for (int i = 0; i < n_cases; i++) {
        if (filter != NULL && strstr(cases[i].name, filter) == NULL)
            continue;
        current_failed = false;
        base_alloc_fail_after(0);
        cases[i].fn();
        base_alloc_fail_after(0);
        if (current_failed) {
            fprintf(stderr, "FAIL %s (%s)\n", cases[i].name, cases[i].file);
            failed++;
        } else {
            passed++;
        }
    }
    free(cases);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
