/*
 * test.h — the unit-test harness shared by every tests/unit/<layer>/ runner.
 *
 * TEST(name) { ... } registers a test at load time (a constructor), so each
 * test file stands alone. CHECK* macros record a failure and return from the
 * test. The runner's last line is "N passed, N failed". Run one test, or all
 * whose name contains a word, with `unit_<layer> WORD`.
 */
#ifndef QV_TEST_H
#define QV_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/base.h"

typedef void (*test_fn)(void);
void test_register(const char *name, const char *file, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool test_failed(void);

#define TEST(name)                                                                         \
    static void test_##name(void);                                                         \
    __attribute__((constructor)) static void register_##name(void)                         \
    {                                                                                      \
        test_register(#name, __FILE__, test_##name);                                       \
    }                                                                                      \
    static void test_##name(void)

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                             \
            return;                                                                        \
        }                                                                                  \
    } while (0)

#define CHECK_INT_EQ(actual, expected)                                                     \
    do {                                                                                   \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);        \
        if (check_a_ != check_e_) {                                                        \
            test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #actual, check_a_,  \
                      check_e_);                                                           \
            return;                                                                        \
        }                                                                                  \
    } while (0)

#define CHECK_STR_EQ(actual, expected)                                                     \
    do {                                                                                   \
        const char *check_a_ = (actual), *check_e_ = (expected);                           \
        if (check_a_ == NULL || strcmp(check_a_, check_e_) != 0) {                         \
            test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #actual,        \
                      check_a_ ? check_a_ : "(null)", check_e_);                           \
            return;                                                                        \
        }                                                                                  \
    } while (0)

/* expr must return QV_OK; on failure shows the error's message (variable `err`
 * of type qv_error must be in scope). */
#define CHECK_OK(expr)                                                                     \
    do {                                                                                   \
        qv_status check_s_ = (expr);                                                       \
        if (check_s_ != QV_OK) {                                                           \
            test_fail(__FILE__, __LINE__, "%s returned %s: %s", #expr,                     \
                      qv_status_name(check_s_), err.message);                              \
            return;                                                                        \
        }                                                                                  \
    } while (0)

#define CHECK_STATUS(expr, expected)                                                       \
    do {                                                                                   \
        qv_status check_s_ = (expr);                                                       \
        if (check_s_ != (expected)) {                                                      \
            test_fail(__FILE__, __LINE__, "%s returned %s, expected %s", #expr,            \
                      qv_status_name(check_s_), qv_status_name(expected));                 \
            return;                                                                        \
        }                                                                                  \
    } while (0)

#endif /* QV_TEST_H */
