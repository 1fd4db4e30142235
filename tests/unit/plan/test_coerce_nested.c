/*
 * test_coerce_nested.c — type_union_resolution of structs matched by field
 * name: each field takes its type and nullability from the same-named field
 * of the other side, whatever the field order; nothing leaks.
 */
#include <stdio.h>

#include "plan/coerce.h"
#include "test.h"

/* Struct type {names[0]: Int64, names[1]: Int64} with the given nullability. */
static arrow_type *two_field_struct(const char *name0, bool nullable0, const char *name1,
                                    bool nullable1)
{
    qv_error err;
    arrow_field *fields[2] = {NULL, NULL};
    arrow_type *out = NULL;
    arrow_type *int64 = arrow_type_primitive(QV_TYPE_INT64);
    if (arrow_field_new(name0, int64, nullable0, NULL, &fields[0], &err) == QV_OK &&
        arrow_field_new(name1, int64, nullable1, NULL, &fields[1], &err) == QV_OK)
        (void)arrow_type_struct(2, fields, &out, &err);
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return out;
}

TEST(union_structs_by_name_takes_matched_field_nullability)
{
    qv_error err;
    int64_t bytes_before = base_alloc_thread_bytes();
    /* {a NULL, b NOT NULL} then {b NOT NULL, a NOT NULL}: the later value's
     * field order wins (b, a); b stays non-null and a is nullable (the
     * other side's field at the same position would say the opposite). */
    arrow_type *types[2] = {two_field_struct("a", true, "b", false),
                            two_field_struct("b", false, "a", false)};
    arrow_type *merged = NULL;
    qv_status st = types[0] != NULL && types[1] != NULL
                       ? plan_type_union_resolution(2, types, &merged, &err)
                       : QV_NOMEM;
    bool is_struct = st == QV_OK && merged->id == QV_TYPE_STRUCT && merged->n_children == 2;
    char names[2][8] = {"", ""};
    bool nullable[2] = {false, false};
    for (int i = 0; is_struct && i < 2; i++) {
        snprintf(names[i], sizeof names[i], "%s", merged->children[i]->name);
        nullable[i] = merged->children[i]->nullable;
    }
    arrow_type_release(merged);
    arrow_type_release(types[0]);
    arrow_type_release(types[1]);
    CHECK_INT_EQ(st, QV_OK);
    CHECK(is_struct);
    CHECK_STR_EQ(names[0], "b");
    CHECK_STR_EQ(names[1], "a");
    CHECK(!nullable[0]);
    CHECK(nullable[1]);
    CHECK_INT_EQ(base_alloc_thread_bytes(), bytes_before);
}

TEST(union_structs_by_name_needs_every_name)
{
    qv_error err;
    int64_t bytes_before = base_alloc_thread_bytes();
    arrow_type *types[2] = {two_field_struct("a", true, "b", true),
                            two_field_struct("a", true, "c", true)};
    arrow_type *merged = NULL;
    qv_status st = types[0] != NULL && types[1] != NULL
                       ? plan_type_union_resolution(2, types, &merged, &err)
                       : QV_NOMEM;
    arrow_type_release(merged);
    arrow_type_release(types[0]);
    arrow_type_release(types[1]);
    CHECK_INT_EQ(st, QV_NOT_FOUND);
    CHECK_INT_EQ(base_alloc_thread_bytes(), bytes_before);
}
