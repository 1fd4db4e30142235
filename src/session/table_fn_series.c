/*
 * table_fn_series.c — generate_series and range in FROM (layer: session):
 * DataFusion's GenerateSeriesFunc / RangeFunc. One column "value", Int64
 * for integer arguments (one to three: end; start, end; start, end, step)
 * or Timestamp(ns, tz of start) for timestamps and dates with an interval
 * step (exactly three). generate_series includes the end, range stops
 * before it; an argument that is NULL gives no rows; a step that points
 * away from the end gives no rows. The values are produced lazily, a batch
 * at a time, so a LIMIT over a huge series reads only what it needs; each
 * scan starts the series again.
 */
#include <stdio.h>
#include <string.h>

#include "func/func.h"
#include "session/table_fn_int.h"

#define NANOS_PER_DAY (86400LL * 1000000000LL)

typedef struct series_table {
    catalog_table base;
    const char *name; /* "generate_series" / "range" (static) */
    bool include_end;
    bool empty;    /* an argument was NULL */
    bool temporal; /* timestamps with an interval step; else Int64 */
    int64_t start, end;
    int64_t step; /* Int64 series */
    /* temporal series: the step (a length-1 MonthDayNano array, owned) and
     * its parts */
    arrow_array *interval;
    int32_t months, days;
    int64_t nanos;
    arrow_type *value_type; /* of the column (borrowed from the schema) */
} series_table;

typedef struct series_scan {
    catalog_scan base;
    series_table *table; /* reference */
    bool with_column;    /* false: only row counts are wanted */
    int64_t limit;       /* -1: all */
    int64_t batch_size;
} series_scan;

typedef struct series_stream {
    catalog_stream base;
    series_scan *scan; /* borrowed: the scan outlives its streams */
    int64_t current;
    int64_t emitted;
    bool done;
} series_stream;

static qv_status plan_error(qv_error *err, const char *message)
{
    return base_error_set(err, QV_PLAN, "Error during planning: %s", message);
}

/* ---- producing values ---- */

static bool step_negative(const series_table *t)
{
    return t->temporal ? (t->months < 0 || t->days < 0 || t->nanos < 0) : t->step < 0;
}

static bool past_end(const series_table *t, int64_t value)
{
    if (step_negative(t))
        return t->include_end ? value < t->end : value <= t->end;
    return t->include_end ? value > t->end : value >= t->end;
}

/* value + the interval step in the series' time zone (UTC without one),
 * through the engine's timestamp arithmetic (months and days are calendar
 * steps there). */
static qv_status add_interval(const series_table *t, int64_t value, int64_t *out, qv_error *err)
{
    arrow_builder *b = NULL;
    arrow_array *left_array = NULL;
    QV_TRY(arrow_builder_new(t->value_type, &b, err));
    qv_status st = arrow_builder_append_int(b, value, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, &left_array, err);
    arrow_builder_free(b);
    QV_TRY(st);
    func_datum left = {left_array, true}, right = {t->interval, true}, result = {NULL, false};
    st = func_temporal_arith(FUNC_ADD, &left, &right, 1, &result, err);
    if (st == QV_OK && !arrow_array_is_valid(result.array, 0))
        st = base_error_set(err, QV_PLAN,
                            "Error during planning: Failed to add interval to timestamp %lld",
                            (long long)value);
    if (st == QV_OK)
        *out = ((const int64_t *)arrow_array_values(result.array))[result.array->offset];
    func_datum_release(&result);
    arrow_array_release(left_array);
    return st;
}

/* The value after current; *done when the next one cannot be represented
 * (the series ends there). */
static qv_status advance(const series_table *t, int64_t current, int64_t *next, bool *done,
                         qv_error *err)
{
    *done = false;
    if (!t->temporal) {
        *done = __builtin_add_overflow(current, t->step, next);
        return QV_OK;
    }
    bool zoned_days = t->days != 0 && t->value_type->timezone != NULL;
    if (t->months == 0 && !zoned_days) {
        /* whole days are 24 hours in UTC: plain addition */
        int64_t day_nanos;
        *done = __builtin_mul_overflow((int64_t)t->days, NANOS_PER_DAY, &day_nanos) ||
                __builtin_add_overflow(current, day_nanos, next) ||
                __builtin_add_overflow(*next, t->nanos, next);
        return QV_OK;
    }
    return add_interval(t, current, next, err);
}

static qv_status stream_next(catalog_stream *stream, arrow_batch **out, qv_error *err)
{
    series_stream *s = (series_stream *)stream;
    const series_scan *scan = s->scan;
    const series_table *t = scan->table;
    *out = NULL;
    int64_t want = scan->batch_size;
    if (scan->limit >= 0 && scan->limit - s->emitted < want)
        want = scan->limit - s->emitted;
    if (s->done || want <= 0)
        return QV_OK;
    arrow_buffer *values = NULL;
    QV_TRY(arrow_buffer_new(want * (int64_t)sizeof(int64_t), &values, err));
    int64_t *slots = (int64_t *)(void *)values->data;
    int64_t n = 0;
    qv_status st = QV_OK;
    while (n < want && !s->done && st == QV_OK) {
        if (past_end(t, s->current)) {
            s->done = true;
            break;
        }
        slots[n++] = s->current;
        bool overflow = false;
        st = advance(t, s->current, &s->current, &overflow, err);
        s->done = overflow;
    }
    s->emitted += n;
    arrow_array *column = NULL;
    arrow_buffer *buffers[2] = {NULL, values};
    if (st == QV_OK && n > 0 && scan->with_column) {
        values->size = n * (int64_t)sizeof(int64_t);
        st = arrow_array_new(t->value_type, n, 0, 0, 2, buffers, 0, NULL, NULL, &column, err);
    }
    if (st == QV_OK && n > 0)
        st = arrow_batch_new(scan->base.schema, n, &column, out, err);
    arrow_array_release(column);
    arrow_buffer_release(values);
    return st;
}

static void stream_free(catalog_stream *stream)
{
    base_free(stream);
}

static qv_status scan_open(catalog_scan *base, int32_t partition, catalog_stream **out,
                           qv_error *err)
{
    (void)partition;
    series_scan *scan = (series_scan *)base;
    series_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "series");
    s->base.next = stream_next;
    s->base.free = stream_free;
    s->scan = scan;
    s->current = scan->table->start;
    s->done = scan->table->empty;
    *out = &s->base;
    return QV_OK;
}

static void scan_free(catalog_scan *base)
{
    series_scan *scan = (series_scan *)base;
    arrow_schema_release(scan->base.schema);
    catalog_table_release(&scan->table->base);
    base_free(scan);
}

/* As DataFusion shows its generators: "range: start=1, end=5,
 * batch_size=8192", or "range: empty" when an argument was NULL. */
static void scan_describe(const catalog_scan *base, base_strbuf *sb)
{
    const series_scan *scan = (const series_scan *)base;
    const series_table *t = scan->table;
    base_strbuf_append_str(sb, "partitions=1, batch_generators=[");
    if (t->empty)
        base_strbuf_appendf(sb, "%s: empty]", t->name);
    else
        base_strbuf_appendf(sb, "%s: start=%lld, end=%lld, batch_size=%lld]", t->name,
                            (long long)t->start, (long long)t->end, (long long)scan->batch_size);
}

static qv_status series_scan_new(catalog_table *table, const catalog_scan_args *args,
                                 catalog_scan **out, qv_error *err)
{
    *out = NULL;
    series_scan *scan = base_calloc(1, sizeof *scan);
    if (scan == NULL)
        return base_error_nomem(err, "series");
    qv_status st = catalog_projected_schema(table->schema, args->projection, args->n_projection,
                                            &scan->base.schema, err);
    if (st != QV_OK) {
        base_free(scan);
        return st;
    }
    scan->base.n_partitions = 1;
    scan->base.open = scan_open;
    scan->base.free = scan_free;
    scan->base.exec_name = "LazyMemoryExec";
    scan->base.describe = scan_describe;
    scan->table = (series_table *)catalog_table_retain(table);
    scan->with_column = scan->base.schema->n_fields > 0;
    scan->limit = args->limit;
    scan->batch_size = args->batch_size > 0 ? args->batch_size : 8192;
    *out = &scan->base;
    return QV_OK;
}

/* The exact row count of an Int64 series (temporal ones are unknown). */
static void series_statistics(catalog_table *table, catalog_stats *out)
{
    const series_table *t = (const series_table *)table;
    out->n_rows = -1;
    out->n_rows_exact = false;
    out->total_bytes = -1;
    if (t->temporal && !t->empty)
        return;
    int64_t count = 0, span = 0;
    if (!t->empty) {
        bool overflow = __builtin_sub_overflow(t->end, t->start, &span);
        /* excluding end: the last value must stop one short of it */
        if (!t->include_end)
            overflow = overflow || __builtin_add_overflow(span, t->step > 0 ? -1 : 1, &span);
        bool reachable = t->step > 0 ? span >= 0 : span <= 0;
        if (overflow || (reachable && __builtin_add_overflow(span / t->step, 1, &count)))
            return; /* too many to count: unknown */
        count = reachable ? count : 0;
    }
    out->n_rows = count;
    out->n_rows_exact = true;
    out->total_bytes = count <= INT64_MAX / 8 ? count * 8 : -1;
}

static void series_free(catalog_table *table)
{
    series_table *t = (series_table *)table;
    arrow_array_release(t->interval);
    base_free(t);
}

static const catalog_table_ops series_ops = {
    .kind = "series",
    .scan = series_scan_new,
    .statistics = series_statistics,
    .free = series_free,
};

/* ---- reading the arguments ---- */

/* A table of one non-nullable column "value" of type (retained). */
static qv_status series_table_new(const char *name, bool include_end, arrow_type *type,
                                  series_table **out, qv_error *err)
{
    *out = NULL;
    arrow_field *field = NULL;
    arrow_schema *schema = NULL;
    QV_TRY(arrow_field_new("value", type, false, NULL, &field, err));
    qv_status st = arrow_schema_new(1, &field, NULL, &schema, err);
    arrow_field_release(field);
    QV_TRY(st);
    series_table *t = base_calloc(1, sizeof *t);
    if (t == NULL) {
        arrow_schema_release(schema);
        return base_error_nomem(err, "series");
    }
    catalog_table_init(&t->base, &series_ops, schema);
    arrow_schema_release(schema);
    t->name = name;
    t->include_end = include_end;
    t->value_type = t->base.schema->fields[0]->type;
    *out = t;
    return QV_OK;
}

static bool is_null_literal(const arrow_array *arg)
{
    return arg->type->id == QV_TYPE_NULL || !arrow_array_is_valid(arg, 0);
}

static int64_t int64_value(const arrow_array *arg)
{
    return ((const int64_t *)arrow_array_values(arg))[arg->offset];
}

/* "<what>, got Literal(...)" as DataFusion words a literal of the wrong type. */
static qv_status wrong_literal(const char *what, const arrow_array *arg, qv_error *err)
{
    char *text = session_table_fn_literal(arg);
    if (text == NULL)
        return base_error_nomem(err, "series");
    qv_status st = base_error_set(err, QV_PLAN, "Error during planning: %s, got %s", what, text);
    base_free(text);
    return st;
}

static qv_status int_series(const char *name, bool include_end, int32_t n_args,
                            arrow_array *const *args, catalog_table **out, qv_error *err)
{
    int64_t values[3];
    bool any_null = false;
    for (int32_t i = 0; i < n_args; i++) {
        if (args[i] == NULL)
            return plan_error(err, "Arguments must be literals");
        if (args[i]->type->id == QV_TYPE_NULL) {
            any_null = true;
            continue;
        }
        if (args[i]->type->id != QV_TYPE_INT64 || !arrow_array_is_valid(args[i], 0)) {
            char what[64];
            snprintf(what, sizeof what, "Argument #%d must be an INTEGER or NULL", (int)i + 1);
            return wrong_literal(what, args[i], err);
        }
        values[i] = int64_value(args[i]);
    }
    series_table *t = NULL;
    if (!any_null) {
        int64_t step = n_args == 3 ? values[2] : 1;
        if (step == 0)
            return plan_error(err, "Step cannot be zero");
    }
    QV_TRY(series_table_new(name, include_end, arrow_type_primitive(QV_TYPE_INT64), &t, err));
    t->empty = any_null;
    if (!any_null) {
        t->start = n_args == 1 ? 0 : values[0];
        t->end = n_args == 1 ? values[0] : values[1];
        t->step = n_args == 3 ? values[2] : 1;
    }
    *out = &t->base;
    return QV_OK;
}

/* The interval step (argument 3) of a temporal series: *null when it is
 * NULL; QV_PLAN when it is not an interval. */
static qv_status interval_step(const arrow_array *arg, bool *null, qv_error *err)
{
    *null = false;
    if (arg == NULL)
        return plan_error(err, "Arguments must be literals");
    if (arg->type->id != QV_TYPE_NULL && arg->type->id != QV_TYPE_INTERVAL_MONTH_DAY_NANO)
        return wrong_literal("Third argument must be an interval or NULL", arg, err);
    *null = is_null_literal(arg);
    return QV_OK;
}

/* Fills t's step from a valid MonthDayNano literal; QV_PLAN when zero. */
static qv_status set_interval(series_table *t, arrow_array *arg, qv_error *err)
{
    const uint8_t *p = arrow_array_values(arg) + 16 * arg->offset;
    memcpy(&t->months, p, 4);
    memcpy(&t->days, p + 4, 4);
    memcpy(&t->nanos, p + 8, 8);
    if (t->months == 0 && t->days == 0 && t->nanos == 0)
        return plan_error(err, "Step interval cannot be zero");
    t->interval = arrow_array_retain(arg);
    t->temporal = true;
    return QV_OK;
}

static qv_status timestamp_series(const char *name, bool include_end, int32_t n_args,
                                  arrow_array *const *args, catalog_table **out, qv_error *err)
{
    if (n_args != 3) {
        char message[128];
        snprintf(message, sizeof message,
                 "%s function with timestamps requires exactly 3 arguments", name);
        return plan_error(err, message);
    }
    arrow_array *start = args[0];
    if (start->type->unit != QV_UNIT_NANOSECOND)
        return wrong_literal("First argument must be a timestamp or NULL", start, err);
    arrow_array *end = args[1];
    if (end == NULL)
        return plan_error(err, "Arguments must be literals");
    if (end->type->id != QV_TYPE_NULL &&
        (end->type->id != QV_TYPE_TIMESTAMP || end->type->unit != QV_UNIT_NANOSECOND))
        return wrong_literal("Second argument must be a timestamp or NULL", end, err);
    bool step_null = false;
    QV_TRY(interval_step(args[2], &step_null, err));
    series_table *t = NULL;
    QV_TRY(series_table_new(name, include_end, start->type, &t, err));
    t->temporal = true;
    t->empty = is_null_literal(start) || is_null_literal(end) || step_null;
    qv_status st = QV_OK;
    if (!t->empty) {
        t->start = int64_value(start);
        t->end = int64_value(end);
        st = set_interval(t, args[2], err);
    }
    if (st != QV_OK) {
        catalog_table_release(&t->base);
        return st;
    }
    *out = &t->base;
    return QV_OK;
}

/* Dates become timestamps (ns, no time zone) at midnight. */
static qv_status date_series(const char *name, bool include_end, int32_t n_args,
                             arrow_array *const *args, catalog_table **out, qv_error *err)
{
    if (n_args != 3) {
        char message[128];
        snprintf(message, sizeof message, "%s function with dates requires exactly 3 arguments",
                 name);
        return plan_error(err, message);
    }
    arrow_type *type = NULL;
    QV_TRY(arrow_type_timestamp(QV_UNIT_NANOSECOND, NULL, &type, err));
    series_table *t = NULL;
    qv_status st = series_table_new(name, include_end, type, &t, err);
    arrow_type_release(type);
    QV_TRY(st);
    t->temporal = true;
    /* As DataFusion: each argument is checked only while none before it
     * was NULL. */
    int64_t days[2];
    static const char *const what[2] = {"First argument must be a date or NULL",
                                        "Second argument must be a date or NULL"};
    for (int i = 0; i < 2 && st == QV_OK && !t->empty; i++) {
        const arrow_array *arg = args[i];
        if (arg == NULL)
            st = plan_error(err, "Arguments must be literals");
        else if (arg->type->id != QV_TYPE_NULL && arg->type->id != QV_TYPE_DATE32)
            st = wrong_literal(what[i], arg, err);
        else if (is_null_literal(arg))
            t->empty = true;
        else
            days[i] = ((const int32_t *)arrow_array_values(arg))[arg->offset];
    }
    bool step_null = false;
    if (st == QV_OK && !t->empty)
        st = interval_step(args[2], &step_null, err);
    t->empty = t->empty || step_null;
    if (st == QV_OK && !t->empty) {
        t->start = days[0] * NANOS_PER_DAY;
        t->end = days[1] * NANOS_PER_DAY;
        st = set_interval(t, args[2], err);
    }
    if (st != QV_OK) {
        catalog_table_release(&t->base);
        return st;
    }
    *out = &t->base;
    return QV_OK;
}

static qv_status make_series(const char *name, bool include_end, int32_t n_args,
                             arrow_array *const *args, catalog_table **out, qv_error *err)
{
    *out = NULL;
    if (n_args < 1 || n_args > 3) {
        char message[96];
        snprintf(message, sizeof message, "%s function requires 1 to 3 arguments", name);
        return plan_error(err, message);
    }
    if (args[0] == NULL)
        return plan_error(err, "Arguments must be literals");
    switch (args[0]->type->id) {
    case QV_TYPE_NULL:
    case QV_TYPE_INT64:
        return int_series(name, include_end, n_args, args, out, err);
    case QV_TYPE_TIMESTAMP:
        return timestamp_series(name, include_end, n_args, args, out, err);
    case QV_TYPE_DATE32:
        return date_series(name, include_end, n_args, args, out, err);
    default: {
        base_strbuf sb;
        base_strbuf_init(&sb);
        arrow_type_format(args[0]->type, &sb);
        qv_status st = base_error_set(err, QV_PLAN,
                                      "Error during planning: Argument #1 must be an INTEGER, "
                                      "TIMESTAMP, DATE or NULL, got %s",
                                      base_strbuf_failed(&sb) ? "?" : base_strbuf_cstr(&sb));
        base_strbuf_free(&sb);
        return st;
    }
    }
}

qv_status session_generate_series(qv_session *session, int32_t n_args, arrow_array *const *args,
                                  catalog_table **out, qv_error *err)
{
    (void)session;
    return make_series("generate_series", true, n_args, args, out, err);
}

qv_status session_range(qv_session *session, int32_t n_args, arrow_array *const *args,
                        catalog_table **out, qv_error *err)
{
    (void)session;
    return make_series("range", false, n_args, args, out, err);
}
