/*
 * routines.c — describing registered functions for information_schema
 * (layer: func): the example argument types of a signature (DataFusion's
 * TypeSignature::get_example_types), the return type of each example, and
 * the type names DataFusion prints there (its NativeType, not the Arrow
 * type: every string type is "String", timestamps keep arrow-rs's Debug
 * spelling "Timestamp(Nanosecond, None)").
 */
#include <stdlib.h>

#include "func/agg.h"
#include "func/func_int.h"

static const char *unit_name(arrow_time_unit unit)
{
    static const char *const names[] = {"Second", "Millisecond", "Microsecond", "Nanosecond"};
    return names[unit];
}

static void format_logical_field(const arrow_field *field, base_strbuf *sb)
{
    base_strbuf_appendf(sb, "LogicalField { name: \"%s\", logical_type: LogicalType(Native(",
                        field->name);
    func_native_type_format(field->type, sb);
    base_strbuf_append_str(sb, "), ");
    func_native_type_format(field->type, sb);
    base_strbuf_appendf(sb, "), nullable: %s }", field->nullable ? "true" : "false");
}

void func_native_type_format(const arrow_type *type, base_strbuf *sb)
{
    switch (type->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
        base_strbuf_append_str(sb, "String");
        return;
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
        base_strbuf_append_str(sb, "Binary");
        return;
    case QV_TYPE_FIXED_SIZE_BINARY:
        base_strbuf_appendf(sb, "FixedSizeBinary(%d)", type->fixed_size);
        return;
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
        base_strbuf_append_str(sb, "Date");
        return;
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
        base_strbuf_appendf(sb, "Time(%s)", unit_name(type->unit));
        return;
    case QV_TYPE_DURATION:
        base_strbuf_appendf(sb, "Duration(%s)", unit_name(type->unit));
        return;
    case QV_TYPE_TIMESTAMP:
        if (type->timezone != NULL)
            base_strbuf_appendf(sb, "Timestamp(%s, Some(\"%s\"))", unit_name(type->unit),
                                type->timezone);
        else
            base_strbuf_appendf(sb, "Timestamp(%s, None)", unit_name(type->unit));
        return;
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        base_strbuf_append_str(sb, "Interval(YearMonth)");
        return;
    case QV_TYPE_INTERVAL_DAY_TIME:
        base_strbuf_append_str(sb, "Interval(DayTime)");
        return;
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        base_strbuf_append_str(sb, "Interval(MonthDayNano)");
        return;
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        base_strbuf_appendf(sb, "Decimal(%d, %d)", type->precision, type->scale);
        return;
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST:
    case QV_TYPE_MAP:
        base_strbuf_append_str(sb, type->id == QV_TYPE_MAP ? "Map(" : "List(");
        format_logical_field(type->children[0], sb);
        base_strbuf_append_char(sb, ')');
        return;
    case QV_TYPE_FIXED_SIZE_LIST:
        base_strbuf_append_str(sb, "FixedSizeList(");
        format_logical_field(type->children[0], sb);
        base_strbuf_appendf(sb, ", %d)", type->fixed_size);
        return;
    case QV_TYPE_STRUCT:
        base_strbuf_append_str(sb, "Struct(LogicalFields { inner: [");
        for (int32_t i = 0; i < type->n_children; i++) {
            if (i > 0)
                base_strbuf_append_str(sb, ", ");
            format_logical_field(type->children[i], sb);
        }
        base_strbuf_append_str(sb, "] })");
        return;
    case QV_TYPE_DICTIONARY:
        func_native_type_format(type->value_type, sb);
        return;
    case QV_TYPE_RUN_END_ENCODED:
        func_native_type_format(type->children[1]->type, sb);
        return;
    default:
        /* Null, Boolean, the integers and floats: the Arrow name. */
        base_strbuf_append_str(sb, arrow_type_id_name(type->id));
        return;
    }
}

/* ---- example argument types ---- */

/* A concrete type for a signature's type id (parameterised ids get the
 * parameters DataFusion's own examples use; zoned: a timestamp with
 * DataFusion's wildcard zone "+TZ"); NULL when there is none. */
static arrow_type *example_type(arrow_type_id id, bool zoned)
{
    arrow_type *type = arrow_type_primitive(id);
    if (type != NULL)
        return type;
    qv_status st = QV_OK;
    switch (id) {
    case QV_TYPE_DECIMAL128:
        st = arrow_type_decimal(id, 38, 10, &type, NULL);
        break;
    case QV_TYPE_DECIMAL256:
        st = arrow_type_decimal(id, 76, 10, &type, NULL);
        break;
    case QV_TYPE_TIMESTAMP:
        st = arrow_type_timestamp(QV_UNIT_NANOSECOND, zoned ? "+TZ" : NULL, &type, NULL);
        break;
    case QV_TYPE_TIME32:
        st = arrow_type_time(id, QV_UNIT_MILLISECOND, &type, NULL);
        break;
    case QV_TYPE_TIME64:
        st = arrow_type_time(id, QV_UNIT_NANOSECOND, &type, NULL);
        break;
    case QV_TYPE_DURATION:
        st = arrow_type_duration(QV_UNIT_NANOSECOND, &type, NULL);
        break;
    default:
        return NULL;
    }
    return st == QV_OK ? type : NULL;
}

/* The example argument lists gathered so far (types owned). */
typedef struct examples {
    int32_t n, cap;
    int32_t *n_args;
    arrow_type ***args;
} examples;

static void examples_clear(examples *ex)
{
    for (int32_t i = 0; i < ex->n; i++) {
        for (int32_t a = 0; a < ex->n_args[i]; a++)
            arrow_type_release(ex->args[i][a]);
        base_free(ex->args[i]);
    }
    base_free(ex->n_args);
    base_free(ex->args);
}

/* Adds one list of n types (moved to ex; released on failure). */
static qv_status add_types(examples *ex, int32_t n, arrow_type **types, qv_error *err)
{
    if (ex->n == ex->cap) {
        int32_t cap = ex->cap == 0 ? 8 : ex->cap * 2;
        int32_t *n_args = base_realloc(ex->n_args, (size_t)cap * sizeof *n_args);
        if (n_args != NULL)
            ex->n_args = n_args;
        arrow_type ***args = n_args ? base_realloc(ex->args, (size_t)cap * sizeof *args) : NULL;
        if (args == NULL) {
            for (int32_t i = 0; i < n; i++)
                arrow_type_release(types[i]);
            base_free(types);
            return base_error_nomem(err, "function description");
        }
        ex->args = args;
        ex->cap = cap;
    }
    ex->n_args[ex->n] = n;
    ex->args[ex->n++] = types;
    return QV_OK;
}

/* Adds the lists of n type ids (the same id n times when repeat): one per
 * choice of zone for the timestamps among them, as DataFusion lists
 * timestamps with and without a zone. A list with an id that has no
 * example type is left out. */
static qv_status add_example(examples *ex, int32_t n, const arrow_type_id *ids, bool repeat,
                             qv_error *err)
{
    uint32_t zoned_positions = 0; /* bit i: argument i is a timestamp */
    for (int32_t i = 0; i < n && i < 3; i++)
        if (ids[repeat ? 0 : i] == QV_TYPE_TIMESTAMP)
            zoned_positions |= 1u << i;
    for (uint32_t zones = 0; zones < 8; zones++) {
        /* zones: the timestamps given a zone (all or none when repeated) */
        if ((zones & ~zoned_positions) != 0 || (repeat && zones != 0 && zones != zoned_positions))
            continue;
        arrow_type **types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *types);
        if (types == NULL)
            return base_error_nomem(err, "function description");
        bool complete = true;
        for (int32_t i = 0; i < n && complete; i++) {
            types[i] = example_type(ids[repeat ? 0 : i], i < 3 && (zones & (1u << i)) != 0);
            complete = types[i] != NULL;
        }
        if (!complete) {
            for (int32_t i = 0; i < n; i++)
                arrow_type_release(types[i]);
            base_free(types);
            return QV_OK;
        }
        QV_TRY(add_types(ex, n, types, err));
    }
    return QV_OK;
}

static qv_status gather_examples(const func_signature *sig, examples *ex, qv_error *err)
{
    static const arrow_type_id numerics[] = {
        QV_TYPE_INT8,    QV_TYPE_INT16,   QV_TYPE_INT32,   QV_TYPE_INT64,
        QV_TYPE_UINT8,   QV_TYPE_UINT16,  QV_TYPE_UINT32,  QV_TYPE_UINT64,
        QV_TYPE_FLOAT16, QV_TYPE_FLOAT32, QV_TYPE_FLOAT64,
    };
    static const arrow_type_id strings[] = {QV_TYPE_UTF8, QV_TYPE_LARGE_UTF8, QV_TYPE_UTF8_VIEW};
    switch (sig->kind) {
    case FUNC_SIG_EXACT:
        return add_example(ex, sig->n_args, sig->types, false, err);
    case FUNC_SIG_UNIFORM:
    case FUNC_SIG_VARIADIC:
        for (int32_t i = 0; i < sig->n_types; i++)
            QV_TRY(add_example(ex, sig->kind == FUNC_SIG_UNIFORM ? sig->n_args : 1, &sig->types[i],
                               true, err));
        return QV_OK;
    case FUNC_SIG_NUMERIC:
        for (size_t i = 0; i < sizeof numerics / sizeof numerics[0]; i++)
            QV_TRY(add_example(ex, sig->n_args, &numerics[i], true, err));
        return QV_OK;
    case FUNC_SIG_STRING:
        for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
            QV_TRY(add_example(ex, sig->n_args, &strings[i], true, err));
        return QV_OK;
    case FUNC_SIG_ONE_OF:
        for (int32_t i = 0; i < sig->n_alternatives; i++)
            QV_TRY(gather_examples(&sig->alternatives[i], ex, err));
        return QV_OK;
    default:
        /* Nullary, Any, VariadicAny, Comparable, UserDefined: DataFusion
         * gives no examples either. */
        return QV_OK;
    }
}

/* ---- variants ---- */

static char *native_name(const arrow_type *type)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    func_native_type_format(type, &sb);
    return base_strbuf_take(&sb);
}

/* The return type of entry for args, or NULL when it has none (unknown
 * kind, or the types need constant arguments). */
static arrow_type *example_return_type(const func_entry *entry, int32_t n, arrow_type **args)
{
    arrow_type *out = NULL;
    qv_status st = QV_NOT_FOUND;
    if (entry->kind == FUNC_SCALAR)
        st = func_resolve_return_type(entry, n, args, NULL, NULL, &out, NULL);
    else if (entry->kind == FUNC_AGGREGATE && entry->impl.aggregate != NULL)
        st = entry->impl.aggregate->return_type(n, args, &out, NULL);
    return st == QV_OK ? out : NULL;
}

static void variant_clear(func_variant *v)
{
    for (int32_t i = 0; i < v->n_args; i++)
        base_free(v->arg_types[i]);
    base_free(v->arg_types);
    base_free(v->return_type);
    memset(v, 0, sizeof *v);
}

static qv_status make_variant(const func_entry *entry, int32_t n, arrow_type **args,
                              func_variant *out, qv_error *err)
{
    memset(out, 0, sizeof *out);
    out->arg_types = base_calloc((size_t)(n > 0 ? n : 1), sizeof *out->arg_types);
    if (out->arg_types == NULL)
        return base_error_nomem(err, "function description");
    for (int32_t i = 0; i < n; i++) {
        out->arg_types[out->n_args] = native_name(args[i]);
        if (out->arg_types[out->n_args++] == NULL) {
            variant_clear(out);
            return base_error_nomem(err, "function description");
        }
    }
    arrow_type *rt = example_return_type(entry, n, args);
    if (rt != NULL) {
        out->return_type = native_name(rt);
        arrow_type_release(rt);
        if (out->return_type == NULL) {
            variant_clear(out);
            return base_error_nomem(err, "function description");
        }
    }
    return QV_OK;
}

/* Rust's order of (Vec<String>, Option<String>): argument lists element by
 * element (a prefix first), then no return type before any. */
static int compare_variants(const void *pa, const void *pb)
{
    const func_variant *a = pa, *b = pb;
    for (int32_t i = 0; i < a->n_args && i < b->n_args; i++) {
        int c = strcmp(a->arg_types[i], b->arg_types[i]);
        if (c != 0)
            return c;
    }
    if (a->n_args != b->n_args)
        return a->n_args < b->n_args ? -1 : 1;
    if (a->return_type == NULL || b->return_type == NULL)
        return (a->return_type != NULL) - (b->return_type != NULL);
    return strcmp(a->return_type, b->return_type);
}

qv_status func_describe(const func_entry *entry, func_description *out, qv_error *err)
{
    memset(out, 0, sizeof *out);
    examples ex = {0};
    qv_status st = gather_examples(&entry->signature, &ex, err);
    int32_t n = ex.n > 0 ? ex.n : 1;
    if (st == QV_OK) {
        out->variants = base_calloc((size_t)n, sizeof *out->variants);
        if (out->variants == NULL)
            st = base_error_nomem(err, "function description");
    }
    if (st == QV_OK && ex.n == 0) {
        /* No examples: one variant without arguments or return type. */
        out->variants[0].arg_types = base_calloc(1, sizeof(char *));
        st = out->variants[0].arg_types ? QV_OK : base_error_nomem(err, "function description");
        out->n_variants = st == QV_OK ? 1 : 0;
    }
    for (int32_t i = 0; i < ex.n && st == QV_OK; i++) {
        st = make_variant(entry, ex.n_args[i], ex.args[i], &out->variants[out->n_variants], err);
        if (st == QV_OK)
            out->n_variants++;
    }
    examples_clear(&ex);
    if (st != QV_OK) {
        func_description_clear(out);
        return st;
    }
    qsort(out->variants, (size_t)out->n_variants, sizeof *out->variants, compare_variants);
    int32_t kept = 0;
    for (int32_t i = 0; i < out->n_variants; i++) {
        if (kept > 0 && compare_variants(&out->variants[kept - 1], &out->variants[i]) == 0)
            variant_clear(&out->variants[i]);
        else
            out->variants[kept++] = out->variants[i];
    }
    out->n_variants = kept;
    return QV_OK;
}

void func_description_clear(func_description *description)
{
    for (int32_t i = 0; i < description->n_variants; i++)
        variant_clear(&description->variants[i]);
    base_free(description->variants);
    memset(description, 0, sizeof *description);
}
