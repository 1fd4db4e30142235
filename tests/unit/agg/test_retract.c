/*
 * test_retract.c — the optional retract of the aggregate vtable (count,
 * sum, avg, var / stddev): adding rows and taking some back gives what
 * adding only the others gives, a group emptied this way is empty again,
 * FILTER applies to retract as to update, and the other aggregates have
 * none.
 */
#include <stdio.h>
#include <string.h>

#include "agg_test_util.h"
#include "test.h"

/* The formatted result of: update all n rows into their groups, then
 * retract the rows marked in back (same groups). */
static const char *update_then_retract(const t_call *c, const uint32_t *groups, int64_t n,
                                       int64_t n_groups, const uint8_t *back)
{
    static char text[256];
    qv_error err;
    func_agg_call call;
    arrow_type *types[4];
    func_agg_state *s = NULL;
    arrow_array *out = NULL;
    snprintf(text, sizeof text, "ERR");
    if (t_prepare(c, &call, types, &err) != QV_OK)
        return text;
    qv_status st = call.entry->impl.aggregate->create(&call, &s, &err);
    if (st == QV_OK && s->ops->retract == NULL)
        st = QV_NOT_FOUND;
    if (st == QV_OK)
        st = s->ops->update(s, c->args, groups, c->selected, n, n_groups, &err);
    uint8_t mask[64];
    for (int64_t i = 0; i < n && i < 64; i++)
        mask[i] = back[i] && (c->selected == NULL || c->selected[i]);
    if (st == QV_OK)
        st = s->ops->retract(s, c->args, groups, mask, n, n_groups, &err);
    if (st == QV_OK)
        st = s->ops->evaluate(s, n_groups, &out, &err);
    if (st == QV_OK)
        snprintf(text, sizeof text, "%s", a_fmt(out));
    arrow_array_release(out);
    if (s != NULL)
        s->ops->free(s);
    t_unprepare(&call, types);
    return text;
}

TEST(retract_count_sum_avg)
{
    static const uint8_t back[] = {1, 0, 0, 1, 1, 0};
    t_call c = {"sum", 1, {ARR(I64(1, NUL_I, 3, 4, 5, 6))}, {NULL}, NULL};
    /* kept: group 0 {3}, group 1 {6}, group 2 {} */
    CHECK_STR_EQ(update_then_retract(&c, GROUPS(0, 1, 0, 2, 2, 1), 6, 3, back), "[3, 6, NULL]");
    c.name = "count";
    CHECK_STR_EQ(update_then_retract(&c, GROUPS(0, 1, 0, 2, 2, 1), 6, 3, back), "[1, 1, 0]");
    c.name = "avg";
    CHECK_STR_EQ(update_then_retract(&c, GROUPS(0, 1, 0, 2, 2, 1), 6, 3, back), "[3.0, 6.0, NULL]");
    t_call_release(&c);
}

TEST(retract_float_sum_empties_exactly)
{
    static const uint8_t back[] = {1, 1, 1, 0};
    t_call c = {"sum", 1, {ARR(F64(0.1, 0.2, 0.3, 5.0))}, {NULL}, NULL};
    CHECK_STR_EQ(update_then_retract(&c, GROUPS(0, 0, 0, 1), 4, 2, back), "[NULL, 5.0]");
    t_call_release(&c);
}

TEST(retract_honours_filter)
{
    static const uint8_t back[] = {1, 1, 0, 0};
    t_call c = {"count", 1, {ARR(I64(1, 2, 3, 4))}, {NULL}, NULL};
    c.selected = (const uint8_t[]){1, 0, 1, 1};
    CHECK_STR_EQ(update_then_retract(&c, GROUPS(0, 0, 0, 0), 4, 1, back), "[2]");
    t_call_release(&c);
}

TEST(retract_variance)
{
    static const uint8_t back[] = {1, 0, 0, 0, 1};
    t_call c = {"var_pop", 1, {ARR(F64(100.0, 1.0, 2.0, 3.0, -50.0))}, {NULL}, NULL};
    /* kept 1, 2, 3: population variance 2/3 */
    const char *got = update_then_retract(&c, GROUPS(0, 0, 0, 0, 0), 5, 1, back);
    CHECK(strncmp(got, "[0.666666666666", 15) == 0);
    t_call_release(&c);
}

TEST(retract_absent_elsewhere)
{
    static const uint8_t back[] = {1};
    t_call c = {"max", 1, {ARR(I64(1))}, {NULL}, NULL};
    CHECK_STR_EQ(update_then_retract(&c, GROUPS(0), 1, 1, back), "ERR");
    t_call_release(&c);
}
