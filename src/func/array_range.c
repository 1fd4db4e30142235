/*
 * array_range.c — range and generate_series as scalar functions returning
 * lists (layer: func): integers (range excludes stop, generate_series
 * includes it), dates and timestamps stepped by an interval. Dates and
 * timestamps advance by adding the step to the previous value (months
 * first, days clamped to the month's length, as DataFusion does), with the
 * temporal arithmetic kernel.
 */
#include "func/array_int.h"

/* Items of one row past which a range is refused. */
#define RANGE_MAX_ITEMS INT32_MAX
#define RANGE_NANOS_PER_DAY INT64_C(86400000000000)

typedef enum range_kind { RANGE_INT, RANGE_DATE, RANGE_TIMESTAMP } range_kind;

/* ---- coercion and types ---- */

static bool is_interval(arrow_type_id id)
{
    return id == QV_TYPE_INTERVAL_YEAR_MONTH || id == QV_TYPE_INTERVAL_DAY_TIME ||
           id == QV_TYPE_INTERVAL_MONTH_DAY_NANO;
}

static qv_status no_signature(const char *name, qv_error *err)
{
    return base_error_set(err, QV_PLAN,
                          "Error during planning: Internal error: Function '%s' failed to match "
                          "any signature",
                          name);
}

/* (Int64...), (Date32, Date32, Interval) or (Timestamp(ns, tz), same,
 * Interval); the timestamp zone is the first timestamp argument's. */
static qv_status coerce_range(const char *name, int n_args, arrow_type *const *types,
                              arrow_type **targets, qv_error *err)
{
    if (n_args < 1 || n_args > 3)
        return base_error_set(err, QV_PLAN,
                              "Error during planning: %s function requires 1 to 3 arguments", name);
    bool ints = true, dates = n_args == 3, stamps = n_args == 3;
    const arrow_type *zone_from = NULL;
    for (int i = 0; i < n_args; i++) {
        arrow_type_id id = types[i]->id;
        bool null = id == QV_TYPE_NULL;
        ints = ints && (null || arrow_type_is_integer(id));
        if (i < 2) {
            dates = dates && (null || id == QV_TYPE_DATE32 || id == QV_TYPE_DATE64);
            stamps = stamps && (null || id == QV_TYPE_TIMESTAMP);
            if (id == QV_TYPE_TIMESTAMP && zone_from == NULL)
                zone_from = types[i];
        } else {
            dates = dates && (null || is_interval(id));
            stamps = stamps && (null || is_interval(id));
        }
    }
    if (ints) {
        for (int i = 0; i < n_args; i++)
            array_set_target(targets, i, types, arrow_type_primitive(QV_TYPE_INT64));
        return QV_OK;
    }
    if (!dates && !stamps)
        return no_signature(name, err);
    arrow_type *value = NULL;
    if (dates)
        value = arrow_type_primitive(QV_TYPE_DATE32);
    else
        QV_TRY(arrow_type_timestamp(QV_UNIT_NANOSECOND, zone_from ? zone_from->timezone : NULL,
                                    &value, err));
    for (int i = 0; i < 2; i++)
        array_set_target(targets, i, types, arrow_type_retain(value));
    arrow_type_release(value);
    if (types[2]->id == QV_TYPE_NULL)
        targets[2] = arrow_type_primitive(QV_TYPE_INTERVAL_MONTH_DAY_NANO);
    return QV_OK;
}

static qv_status coerce_range_fn(ARRAY_COERCE_ARGS)
{
    ARRAY_UNUSED(svc);
    return coerce_range("range", n_args, types, targets, err);
}

static qv_status coerce_series_fn(ARRAY_COERCE_ARGS)
{
    ARRAY_UNUSED(svc);
    return coerce_range("generate_series", n_args, types, targets, err);
}

static qv_status rt_range(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    arrow_type *item = n_args == 3 && types[0]->id != QV_TYPE_INT64
                           ? types[0]
                           : arrow_type_primitive(QV_TYPE_INT64);
    return arrow_type_list_of(QV_TYPE_LIST, item, out, err);
}

/* ---- integers ---- */

__extension__ typedef __int128 range_i128;

static qv_status too_large(qv_error *err)
{
    return base_error_set(err, QV_EXECUTION, "Execution error: Range too large to materialize");
}

/* Appends start, start + step, ... up to stop (included when inclusive). */
static qv_status int_row(arrow_builder *items, int64_t start, int64_t stop, int64_t step,
                         bool inclusive, qv_error *err)
{
    range_i128 span = (range_i128)stop - start;
    range_i128 count;
    if (step > 0)
        count = span < 0 || (span == 0 && !inclusive) ? 0
                : inclusive                           ? span / step + 1
                                                      : (span + step - 1) / step;
    else
        count = span > 0 || (span == 0 && !inclusive) ? 0
                : inclusive                           ? span / step + 1
                                                      : (span + step + 1) / step;
    if (count > RANGE_MAX_ITEMS)
        return too_large(err);
    for (range_i128 k = 0; k < count; k++)
        QV_TRY(arrow_builder_append_int(items, (int64_t)(start + k * step), err));
    return QV_OK;
}

/* ---- dates and timestamps ---- */

/* The parts of an interval step (any interval type). */
static void step_parts(const func_datum *d, int64_t i, int64_t *months, int64_t *days,
                       int64_t *nanos)
{
    const arrow_array *a = d->array;
    const uint8_t *p = arrow_array_values(a);
    int64_t j = a->offset + (d->is_scalar ? 0 : i);
    int32_t x = 0, y = 0;
    *months = *days = *nanos = 0;
    switch (a->type->id) {
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        memcpy(&x, p + 4 * j, 4);
        *months = x;
        return;
    case QV_TYPE_INTERVAL_DAY_TIME:
        memcpy(&x, p + 8 * j, 4);
        memcpy(&y, p + 8 * j + 4, 4);
        *days = x;
        *nanos = (int64_t)y * 1000000;
        return;
    default:
        memcpy(&x, p + 16 * j, 4);
        memcpy(&y, p + 16 * j + 4, 4);
        memcpy(nanos, p + 16 * j + 8, 8);
        *months = x;
        *days = y;
        return;
    }
}

static int64_t value_at(const func_datum *d, int64_t i)
{
    const arrow_array *a = d->array;
    int64_t j = a->offset + (d->is_scalar ? 0 : i);
    if (a->type->id == QV_TYPE_DATE32)
        return ((const int32_t *)arrow_array_values(a))[j];
    return ((const int64_t *)arrow_array_values(a))[j];
}

/* value + step (op FUNC_ADD) or value - step (FUNC_SUB), step being row
 * `row` of the step datum, through the temporal arithmetic kernel. */
static qv_status step_value(func_arith_op op, arrow_type *type, int64_t value,
                            const func_datum *step, int64_t row, int64_t *out, qv_error *err)
{
    int width = type->id == QV_TYPE_DATE32 ? 4 : 8;
    arrow_buffer *buffer = NULL;
    QV_TRY(arrow_buffer_new(width, &buffer, err));
    if (width == 4) {
        int32_t v32 = (int32_t)value;
        memcpy(buffer->data, &v32, 4);
    } else {
        memcpy(buffer->data, &value, 8);
    }
    arrow_array *one = NULL;
    QV_TRY(func_make_fixed(type, 1, NULL, buffer, &one, err));
    arrow_array *step_one = NULL;
    qv_status st = arrow_array_slice(step->array, step->is_scalar ? 0 : row, 1, &step_one, err);
    func_datum left = {one, true}, right = {step_one, true}, result = {NULL, false};
    if (st == QV_OK)
        st = func_temporal_arith(op, &left, &right, 1, &result, err);
    if (st == QV_OK)
        *out = value_at(&result, 0);
    func_datum_release(&result);
    arrow_array_release(step_one);
    arrow_array_release(one);
    return st;
}

/* The next value of a series: value + step. *done when it is past the
 * last representable timestamp (the series ends there). */
static qv_status next_value(arrow_type *type, int64_t value, const func_datum *step, int64_t row,
                            int64_t months, int64_t days, int64_t nanos, int64_t *next, bool *done,
                            qv_error *err)
{
    *done = false;
    if (months == 0 && type->id == QV_TYPE_DATE32) {
        /* whole days; sub-day parts count toward zero, as date + interval does */
        *next = value + days + nanos / RANGE_NANOS_PER_DAY;
        return QV_OK;
    }
    if (months == 0 && days == 0) {
        *done = __builtin_add_overflow(value, nanos, next);
        return QV_OK;
    }
    return step_value(FUNC_ADD, type, value, step, row, next, err);
}

/* Dates and timestamps from start by step up to stop. As DataFusion: a
 * date series is decreasing when the step has negative months or days
 * and ends before stop - step when stop is excluded; a timestamp series
 * is decreasing when start + step < start. */
static qv_status temporal_row(const char *name, arrow_builder *items, arrow_type *type,
                              const func_datum *args, int64_t row, bool inclusive, qv_error *err)
{
    int64_t months, days, nanos;
    const func_datum *step = &args[2];
    step_parts(step, row, &months, &days, &nanos);
    bool is_date = type->id == QV_TYPE_DATE32;
    if (is_date && months == 0 && days == 0)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Cannot generate date range less than 1 day.");
    if (months == 0 && days == 0 && nanos == 0)
        return base_error_set(err, QV_EXECUTION,
                              "Execution error: Interval argument to %s must not be 0", name);
    int64_t value = value_at(&args[0], row), stop = value_at(&args[1], row), next;
    bool neg, done;
    if (is_date) {
        neg = months < 0 || days < 0;
        if (!inclusive) {
            QV_TRY(step_value(FUNC_SUB, type, stop, step, row, &stop, err));
            inclusive = true;
        }
    } else {
        QV_TRY(next_value(type, value, step, row, months, days, nanos, &next, &done, err));
        neg = !done && next < value;
    }
    for (int64_t count = 0;; count++) {
        bool more = neg ? (inclusive ? value >= stop : value > stop)
                        : (inclusive ? value <= stop : value < stop);
        if (!more)
            return QV_OK;
        if (count == RANGE_MAX_ITEMS)
            return too_large(err);
        QV_TRY(arrow_builder_append_int(items, value, err));
        QV_TRY(next_value(type, value, step, row, months, days, nanos, &next, &done, err));
        if (done)
            return QV_OK;
        if (next == value)
            return too_large(err); /* the step does not move the value */
        value = next;
    }
}

/* ---- invoke ---- */

static qv_status range_rows(const char *name, bool inclusive, int n_args, const func_datum *args,
                            int64_t n_rows, arrow_type *return_type, func_datum *out, qv_error *err)
{
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    arrow_type *item = array_item_type(return_type);
    range_kind kind = item->id == QV_TYPE_INT64    ? RANGE_INT
                      : item->id == QV_TYPE_DATE32 ? RANGE_DATE
                                                   : RANGE_TIMESTAMP;
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(return_type, &b, err));
    arrow_builder *items = arrow_builder_child(b, 0);
    qv_status st = QV_OK;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        bool valid = true;
        for (int k = 0; k < n_args; k++)
            valid = valid && func_valid_at(&args[k], i);
        if (valid && kind == RANGE_INT) {
            int64_t start = 0, stop, step = 1;
            array_int_at(&args[n_args == 1 ? 0 : 1], i, &stop);
            if (n_args >= 2)
                array_int_at(&args[0], i, &start);
            if (n_args == 3)
                array_int_at(&args[2], i, &step);
            if (step == 0)
                st = base_error_set(err, QV_EXECUTION,
                                    "Execution error: step can't be 0 for function %s(start [, "
                                    "stop, step])",
                                    name);
            else
                st = int_row(items, start, stop, step, inclusive, err);
        } else if (valid) {
            st = temporal_row(name, items, item, args, i, inclusive, err);
        }
        if (st == QV_OK)
            st = arrow_builder_end_list(b, valid, err);
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    return st;
}

static qv_status range_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    return range_rows("range", false, n_args, args, n_rows, return_type, out, err);
}

static qv_status series_invoke(ARRAY_INVOKE_ARGS)
{
    ARRAY_UNUSED(ctx);
    return range_rows("generate_series", true, n_args, args, n_rows, return_type, out, err);
}

/* ---- the table ---- */

static const char *const p_range[] = {"start", "end", "step", NULL};

const func_entry func_array_range_entries[] = {
    ARRAY_ENTRY("range", NULL,
                "Returns an Arrow array between start and stop with step. The range start..end "
                "contains all values with start <= x < end.",
                p_range, rt_range, range_invoke, coerce_range_fn),
    ARRAY_ENTRY("generate_series", NULL,
                "Similar to the range function, but it includes the upper bound.", p_range,
                rt_range, series_invoke, coerce_series_fn),
};
const int32_t func_array_range_entry_count =
    (int32_t)(sizeof func_array_range_entries / sizeof func_array_range_entries[0]);
