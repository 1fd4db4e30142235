/*
 * bind_interval.c — interval literals (layer: plan): INTERVAL '1 day 2
 * hours', INTERVAL '1' DAY, INTERVAL '1.5 hours', as DataFusion parses
 * them, into IntervalMonthDayNano literals. Fractions of a month spill into
 * days (30 per month) and fractions of a day into nanoseconds.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan/bind_int.h"

typedef struct interval_parts {
    double months, days, nanos;
} interval_parts;

#define NANOS_PER_SECOND 1e9

/* Adds value of unit to parts; false for an unknown unit. */
static bool add_unit(interval_parts *p, double value, const char *unit, size_t len)
{
    /* Plural forms and a few abbreviations share the singular's meaning. */
    char u[16];
    if (len == 0 || len >= sizeof u)
        return false;
    for (size_t i = 0; i < len; i++)
        u[i] = (char)tolower((unsigned char)unit[i]);
    u[len] = '\0';
    if (len > 1 && u[len - 1] == 's' && strcmp(u, "ms") != 0 && strcmp(u, "us") != 0 &&
        strcmp(u, "ns") != 0)
        u[len - 1] = '\0';
    if (strcmp(u, "century") == 0 || strcmp(u, "centurie") == 0)
        p->months += value * 1200;
    else if (strcmp(u, "decade") == 0)
        p->months += value * 120;
    else if (strcmp(u, "year") == 0 || strcmp(u, "y") == 0)
        p->months += value * 12;
    else if (strcmp(u, "month") == 0 || strcmp(u, "mon") == 0)
        p->months += value;
    else if (strcmp(u, "week") == 0 || strcmp(u, "w") == 0)
        p->days += value * 7;
    else if (strcmp(u, "day") == 0 || strcmp(u, "d") == 0)
        p->days += value;
    else if (strcmp(u, "hour") == 0 || strcmp(u, "h") == 0)
        p->nanos += value * 3600 * NANOS_PER_SECOND;
    else if (strcmp(u, "minute") == 0 || strcmp(u, "min") == 0 || strcmp(u, "m") == 0)
        p->nanos += value * 60 * NANOS_PER_SECOND;
    else if (strcmp(u, "second") == 0 || strcmp(u, "sec") == 0 || strcmp(u, "s") == 0)
        p->nanos += value * NANOS_PER_SECOND;
    else if (strcmp(u, "millisecond") == 0 || strcmp(u, "ms") == 0)
        p->nanos += value * 1e6;
    else if (strcmp(u, "microsecond") == 0 || strcmp(u, "us") == 0)
        p->nanos += value * 1e3;
    else if (strcmp(u, "nanosecond") == 0 || strcmp(u, "ns") == 0)
        p->nanos += value;
    else
        return false;
    return true;
}

/* Parses "n unit [n unit ...]"; a bare number uses default_unit (seconds
 * when NULL). */
static bool parse_text(const char *text, const char *default_unit, interval_parts *p)
{
    const char *s = text;
    bool any = false;
    while (*s) {
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '\0')
            break;
        char *end;
        double value = strtod(s, &end);
        if (end == s)
            return false;
        s = end;
        while (isspace((unsigned char)*s))
            s++;
        const char *unit = s;
        while (isalpha((unsigned char)*s))
            s++;
        size_t len = (size_t)(s - unit);
        if (len == 0) {
            const char *d = default_unit ? default_unit : "second";
            if (!add_unit(p, value, d, strlen(d)))
                return false;
        } else if (!add_unit(p, value, unit, len)) {
            return false;
        }
        any = true;
    }
    return any;
}

qv_status bind_interval(bind_env *env, const sql_node *node, plan_expr **out, qv_error *err)
{
    const sql_node *value = sql_kid(node, 0);
    if (value == NULL || value->kind != SQL_LITERAL || value->text == NULL)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: Unsupported interval argument. "
                          "Expected string literal");
    if (sql_kid(node, 2) != NULL)
        return bind_error(err, QV_NOT_IMPLEMENTED, node,
                          "This feature is not implemented: INTERVAL ... TO ...");
    const sql_node *unit = sql_kid(node, 1);
    interval_parts p = {0, 0, 0};
    if (!parse_text(value->text, unit ? unit->text : NULL, &p))
        return bind_error(err, QV_PLAN, node,
                          "Arrow error: Parser error: Invalid input syntax for type interval: "
                          "\"%s\"",
                          value->text);
    /* Month and day fractions cascade down, as arrow-rs does. */
    double whole_months = trunc(p.months);
    p.days += (p.months - whole_months) * 30;
    double whole_days = trunc(p.days);
    p.nanos += (p.days - whole_days) * 86400 * NANOS_PER_SECOND;
    if (fabs(whole_months) > INT32_MAX || fabs(whole_days) > INT32_MAX ||
        fabs(p.nanos) > 9.2e18)
        return bind_error(err, QV_PLAN, node,
                          "Arrow error: Parser error: Interval field value out of range: \"%s\"",
                          value->text);
    arrow_builder *b = NULL;
    arrow_array *array = NULL;
    qv_status st = arrow_builder_new(arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO), &b,
                                     err);
    if (st == QV_OK)
        st = arrow_builder_append_interval_mdn(b, (int32_t)whole_months, (int32_t)whole_days,
                                               (int64_t)llround(p.nanos), err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &array, err);
    arrow_builder_free(b);
    QV_TRY(st);
    *out = bind_literal_array(env->ctx, array);
    return *out ? QV_OK : base_error_nomem(err, "interval");
}
