/*
 * test_base.c — unit tests for src/base: status table, errors, allocator
 * counting and failure hook, arenas, string builder, hashing.
 */
#include <stdio.h>

#include "test.h"

TEST(status_table_names_and_sqlstates)
{
    CHECK_STR_EQ(qv_status_name(QV_NOMEM), "NOMEM");
    CHECK_STR_EQ(qv_status_sqlstate(QV_RESOURCES_EXHAUSTED), "53200");
    CHECK_STR_EQ(qv_status_sqlstate(QV_SYNTAX), "42601");
    CHECK_STR_EQ(qv_status_name((qv_status)999), "ERROR");
}

TEST(error_set_fills_code_sqlstate_message)
{
    qv_error err;
    qv_error_clear(&err);
    CHECK_INT_EQ(base_error_set(&err, QV_DIVIDE_BY_ZERO, "divide %d by %d", 1, 0), QV_DIVIDE_BY_ZERO);
    CHECK_STR_EQ(err.message, "divide 1 by 0");
    CHECK_STR_EQ(err.sqlstate, "22012");
    base_error_set_position(&err, 3, 14);
    base_error_set_hint(&err, "did you mean %s?", "x");
    CHECK_INT_EQ(err.line, 3);
    CHECK_STR_EQ(err.hint, "did you mean x?");
    CHECK_INT_EQ(base_error_set(NULL, QV_IO, "ignored"), QV_IO);
}

TEST(alloc_counts_live_bytes)
{
    int64_t before = base_alloc_thread_bytes();
    void *p = base_alloc(1000);
    CHECK(p != NULL);
    CHECK_INT_EQ(base_alloc_thread_bytes() - before, 1000);
    p = base_realloc(p, 3000);
    CHECK(p != NULL);
    CHECK_INT_EQ(base_alloc_thread_bytes() - before, 3000);
    base_free(p);
    void *aligned = base_alloc_aligned(100);
    CHECK(((uintptr_t)aligned & 63) == 0);
    base_free_aligned(aligned);
    CHECK_INT_EQ(base_alloc_thread_bytes() - before, 0);
}

TEST(alloc_fail_hook_fails_nth_and_later)
{
    base_alloc_fail_after(2);
    void *first = base_alloc(8);
    void *second = base_alloc(8);
    void *third = base_alloc_aligned(8);
    base_alloc_fail_after(0);
    CHECK(first != NULL);
    CHECK(second == NULL);
    CHECK(third == NULL);
    base_free(first);
    CHECK(base_calloc(SIZE_MAX / 2, 4) == NULL);
}

TEST(arena_alloc_reset_and_strings)
{
    base_arena *arena = base_arena_new(256);
    CHECK(arena != NULL);
    for (int i = 0; i < 1000; i++) {
        char *s = base_arena_strndup(arena, "hello world", 5);
        CHECK(s != NULL && strcmp(s, "hello") == 0);
        CHECK(((uintptr_t)s & 15) == 0);
    }
    void *big = base_arena_alloc(arena, 100000);
    CHECK(big != NULL);
    CHECK(base_arena_bytes_used(arena) >= 100000);
    base_arena_reset(arena);
    CHECK_INT_EQ(base_arena_bytes_used(arena), 0);
    CHECK(base_arena_calloc(arena, 64) != NULL);
    base_arena_free(arena);
}

TEST(strbuf_appends_and_sticky_failure)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "");
    base_strbuf_append_str(&sb, "a");
    base_strbuf_appendf(&sb, "%d-%s", 42, "x");
    base_strbuf_append_char(&sb, '!');
    CHECK_STR_EQ(base_strbuf_cstr(&sb), "a42-x!");
    for (int i = 0; i < 200; i++)
        base_strbuf_append_str(&sb, "0123456789");
    CHECK_INT_EQ(sb.len, 2006);
    char *taken = base_strbuf_take(&sb);
    CHECK(taken != NULL && strlen(taken) == 2006);
    base_free(taken);

    base_strbuf_init(&sb);
    base_alloc_fail_after(1);
    base_strbuf_append_str(&sb, "x");
    base_alloc_fail_after(0);
    base_strbuf_append_str(&sb, "y");
    CHECK(base_strbuf_failed(&sb));
    CHECK(base_strbuf_take(&sb) == NULL);
}

TEST(hash_is_deterministic_and_spreads)
{
    CHECK(base_hash_bytes("abc", 3, 0) == base_hash_bytes("abc", 3, 0));
    CHECK(base_hash_bytes("abc", 3, 0) != base_hash_bytes("abd", 3, 0));
    CHECK(base_hash_bytes("abc", 3, 0) != base_hash_bytes("abc", 3, 1));
    CHECK(base_hash_u64(1, 0) != base_hash_u64(2, 0));
    CHECK(base_hash_combine(1, 2) != base_hash_combine(2, 1));
}
