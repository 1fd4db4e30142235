/*
 * select_test_util.c — see select_test_util.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select_test_util.h"

static void die(const char *what, const qv_error *err)
{
    fprintf(stderr, "test helper failed: %s: %s\n", what, err != NULL ? err->message : "");
    abort();
}

#define OK(expr)                                                                           \
    do {                                                                                   \
        qv_error ok_err_;                                                                  \
        if ((expr) != QV_OK)                                                               \
            die(#expr, &ok_err_);                                                          \
    } while (0)
#define OKE(expr)                                                                          \
    do {                                                                                   \
        if ((expr) != QV_OK)                                                               \
            die(#expr, &err);                                                              \
    } while (0)

uint64_t t_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * UINT64_C(2685821657736338717);
}

int64_t t_rand_below(uint64_t *state, int64_t n)
{
    return n <= 1 ? 0 : (int64_t)(t_rand(state) % (uint64_t)n);
}

/* ---- types ---- */

static arrow_field *field(const char *name, arrow_type *type, bool nullable)
{
    qv_error err;
    arrow_field *f;
    OKE(arrow_field_new(name, type, nullable, NULL, &f, &err));
    arrow_type_release(type);
    return f;
}

static arrow_type *prim(arrow_type_id id) { return arrow_type_primitive(id); }

static arrow_type *list_of(arrow_type_id id, arrow_type *item)
{
    qv_error err;
    arrow_type *t;
    arrow_field *f = field("item", item, true);
    OKE(arrow_type_list(id, f, &t, &err));
    arrow_field_release(f);
    return t;
}

static arrow_type *struct_of(arrow_type *a, arrow_type *b)
{
    qv_error err;
    arrow_type *t;
    arrow_field *fields[2] = {field("a", a, true), field("b", b, true)};
    OKE(arrow_type_struct(2, fields, &t, &err));
    arrow_field_release(fields[0]);
    arrow_field_release(fields[1]);
    return t;
}

int t_types(arrow_type ***types_out, const char ***names_out)
{
    static const char *names[64];
    arrow_type **types = calloc(64, sizeof *types);
    int n = 0;
    qv_error err;
    arrow_type *t;
#define ADD(NAME, TYPE) (names[n] = (NAME), types[n++] = (TYPE))
    ADD("Null", prim(QV_TYPE_NULL));
    ADD("Boolean", prim(QV_TYPE_BOOLEAN));
    ADD("Int8", prim(QV_TYPE_INT8));
    ADD("Int16", prim(QV_TYPE_INT16));
    ADD("Int32", prim(QV_TYPE_INT32));
    ADD("Int64", prim(QV_TYPE_INT64));
    ADD("UInt8", prim(QV_TYPE_UINT8));
    ADD("UInt16", prim(QV_TYPE_UINT16));
    ADD("UInt32", prim(QV_TYPE_UINT32));
    ADD("UInt64", prim(QV_TYPE_UINT64));
    ADD("Float16", prim(QV_TYPE_FLOAT16));
    ADD("Float32", prim(QV_TYPE_FLOAT32));
    ADD("Float64", prim(QV_TYPE_FLOAT64));
    OKE(arrow_type_decimal(QV_TYPE_DECIMAL128, 20, 2, &t, &err));
    ADD("Decimal128", t);
    OKE(arrow_type_decimal(QV_TYPE_DECIMAL256, 50, 3, &t, &err));
    ADD("Decimal256", t);
    ADD("Utf8", prim(QV_TYPE_UTF8));
    ADD("LargeUtf8", prim(QV_TYPE_LARGE_UTF8));
    ADD("Utf8View", prim(QV_TYPE_UTF8_VIEW));
    ADD("Binary", prim(QV_TYPE_BINARY));
    ADD("LargeBinary", prim(QV_TYPE_LARGE_BINARY));
    ADD("BinaryView", prim(QV_TYPE_BINARY_VIEW));
    OKE(arrow_type_fixed_size_binary(3, &t, &err));
    ADD("FixedSizeBinary(3)", t);
    OKE(arrow_type_fixed_size_binary(11, &t, &err));
    ADD("FixedSizeBinary(11)", t);
    ADD("Date32", prim(QV_TYPE_DATE32));
    ADD("Date64", prim(QV_TYPE_DATE64));
    OKE(arrow_type_time(QV_TYPE_TIME32, QV_UNIT_MILLISECOND, &t, &err));
    ADD("Time32(ms)", t);
    OKE(arrow_type_time(QV_TYPE_TIME64, QV_UNIT_NANOSECOND, &t, &err));
    ADD("Time64(ns)", t);
    OKE(arrow_type_timestamp(QV_UNIT_MICROSECOND, "UTC", &t, &err));
    ADD("Timestamp(us, UTC)", t);
    OKE(arrow_type_duration(QV_UNIT_SECOND, &t, &err));
    ADD("Duration(s)", t);
    ADD("IntervalYearMonth", prim(QV_TYPE_INTERVAL_YEAR_MONTH));
    ADD("IntervalDayTime", prim(QV_TYPE_INTERVAL_DAY_TIME));
    ADD("IntervalMonthDayNano", prim(QV_TYPE_INTERVAL_MONTH_DAY_NANO));
    ADD("List(Int32)", list_of(QV_TYPE_LIST, prim(QV_TYPE_INT32)));
    ADD("LargeList(Utf8)", list_of(QV_TYPE_LARGE_LIST, prim(QV_TYPE_UTF8)));
    {
        arrow_field *item = field("item", prim(QV_TYPE_INT16), true);
        OKE(arrow_type_fixed_size_list(item, 2, &t, &err));
        arrow_field_release(item);
        ADD("FixedSizeList(Int16, 2)", t);
    }
    ADD("Struct(Int32, Utf8)", struct_of(prim(QV_TYPE_INT32), prim(QV_TYPE_UTF8)));
    {
        arrow_field *kv[2] = {field("key", prim(QV_TYPE_UTF8), false),
                              field("value", prim(QV_TYPE_INT64), true)};
        arrow_type *entries_type;
        OKE(arrow_type_struct(2, kv, &entries_type, &err));
        arrow_field *entries = field("entries", entries_type, false);
        OKE(arrow_type_map(entries, false, &t, &err));
        arrow_field_release(kv[0]);
        arrow_field_release(kv[1]);
        arrow_field_release(entries);
        ADD("Map(Utf8, Int64)", t);
    }
    OKE(arrow_type_dictionary(prim(QV_TYPE_INT8), prim(QV_TYPE_UTF8), false, &t, &err));
    ADD("Dictionary(Int8, Utf8)", t);
    OKE(arrow_type_dictionary(prim(QV_TYPE_UINT16), prim(QV_TYPE_INT64), false, &t, &err));
    ADD("Dictionary(UInt16, Int64)", t);
    {
        arrow_field *ends = field("run_ends", prim(QV_TYPE_INT32), false);
        arrow_field *values = field("values", prim(QV_TYPE_UTF8), true);
        OKE(arrow_type_run_end_encoded(ends, values, &t, &err));
        arrow_field_release(ends);
        arrow_field_release(values);
        ADD("RunEndEncoded(Int32, Utf8)", t);
    }
    {
        arrow_field *ends = field("run_ends", prim(QV_TYPE_INT16), false);
        arrow_field *values = field("values", prim(QV_TYPE_FLOAT64), true);
        OKE(arrow_type_run_end_encoded(ends, values, &t, &err));
        arrow_field_release(ends);
        arrow_field_release(values);
        ADD("RunEndEncoded(Int16, Float64)", t);
    }
    ADD("List(Struct(Int8, Utf8View))",
        list_of(QV_TYPE_LIST, struct_of(prim(QV_TYPE_INT8), prim(QV_TYPE_UTF8_VIEW))));
#undef ADD
    *types_out = types;
    *names_out = names;
    return n;
}

void t_types_free(int n, arrow_type **types)
{
    for (int i = 0; i < n; i++)
        arrow_type_release(types[i]);
    free(types);
}

/* ---- random values ---- */

static void random_bytes(uint64_t *rng, char *buf, int64_t *len, int64_t max_len)
{
    /* Mostly short, sometimes past the 12-byte view inline limit. */
    int64_t n = t_rand_below(rng, 4) == 0 ? t_rand_below(rng, max_len + 1) : t_rand_below(rng, 4);
    for (int64_t k = 0; k < n; k++)
        buf[k] = "abc"[t_rand_below(rng, 3)];
    *len = n;
}

static void append_value(arrow_builder *b, const arrow_type *type, uint64_t *rng, int null_every);

/* Appends one non-null value of `type` (the builder may be a dictionary or
 * run-end builder of that value type). */
static void append_flat(arrow_builder *b, const arrow_type *type, uint64_t *rng)
{
    qv_error err;
    char buf[64];
    int64_t len;
    int64_t small = t_rand_below(rng, 11) - 5;
    switch (type->id) {
    case QV_TYPE_BOOLEAN:
        OKE(arrow_builder_append_bool(b, t_rand_below(rng, 2), &err));
        return;
    case QV_TYPE_INT8:
    case QV_TYPE_INT16:
    case QV_TYPE_INT32:
    case QV_TYPE_INT64: {
        int64_t v = small;
        if (t_rand_below(rng, 10) == 0) {
            int bits = arrow_type_bit_width(type);
            v = t_rand_below(rng, 2) ? (int64_t)((UINT64_C(1) << (bits - 1)) - 1)
                : bits == 64         ? INT64_MIN
                                     : -((int64_t)1 << (bits - 1));
        }
        OKE(arrow_builder_append_int(b, v, &err));
        return;
    }
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64: {
        uint64_t v = (uint64_t)(small + 5);
        if (t_rand_below(rng, 10) == 0)
            v = arrow_type_bit_width(type) == 64 ? UINT64_MAX
                                                 : (UINT64_C(1) << arrow_type_bit_width(type)) - 1;
        OKE(arrow_builder_append_uint(b, v, &err));
        return;
    }
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64: {
        static const double choices[] = {-INFINITY, -1.5, -0.0, 0.0, 1.5, 2.0, INFINITY, 0, 0};
        int64_t c = t_rand_below(rng, 9);
        double v = c == 7 ? NAN : c == 8 ? -NAN : choices[c];
        OKE(arrow_builder_append_double(b, v, &err));
        return;
    }
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256: {
        uint8_t le[32];
        int64_t v = small * 1000 + t_rand_below(rng, 3);
        if (t_rand_below(rng, 8) == 0)
            v = (int64_t)(t_rand(rng) >> 8) * (t_rand_below(rng, 2) ? 1 : -1);
        memcpy(le, &v, 8);
        memset(le + 8, v < 0 ? 0xFF : 0, 24);
        OKE(arrow_builder_append_decimal(b, le, &err));
        return;
    }
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
        random_bytes(rng, buf, &len, 20);
        OKE(arrow_builder_append_bytes(b, buf, len, &err));
        return;
    case QV_TYPE_FIXED_SIZE_BINARY:
        for (int32_t k = 0; k < type->fixed_size; k++)
            buf[k] = (char)t_rand_below(rng, 3);
        OKE(arrow_builder_append_bytes(b, buf, type->fixed_size, &err));
        return;
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DURATION:
    case QV_TYPE_INTERVAL_YEAR_MONTH:
        OKE(arrow_builder_append_int(b, small + 5, &err));
        return;
    case QV_TYPE_INTERVAL_DAY_TIME:
        OKE(arrow_builder_append_interval_dt(b, (int32_t)t_rand_below(rng, 3) - 1,
                                             (int32_t)t_rand_below(rng, 3), &err));
        return;
    case QV_TYPE_INTERVAL_MONTH_DAY_NANO:
        OKE(arrow_builder_append_interval_mdn(b, (int32_t)t_rand_below(rng, 2),
                                              (int32_t)t_rand_below(rng, 3) - 1,
                                              t_rand_below(rng, 3), &err));
        return;
    default:
        die("append_flat: unsupported type", NULL);
    }
}

static void append_value(arrow_builder *b, const arrow_type *type, uint64_t *rng, int null_every)
{
    qv_error err;
    if (type->id == QV_TYPE_NULL || (null_every > 0 && t_rand_below(rng, null_every) == 0)) {
        OKE(arrow_builder_append_null(b, &err));
        return;
    }
    switch (type->id) {
    case QV_TYPE_LIST:
    case QV_TYPE_LARGE_LIST: {
        int64_t n = t_rand_below(rng, 4);
        for (int64_t k = 0; k < n; k++)
            append_value(arrow_builder_child(b, 0), type->children[0]->type, rng, null_every);
        OKE(arrow_builder_end_list(b, true, &err));
        return;
    }
    case QV_TYPE_FIXED_SIZE_LIST:
        for (int32_t k = 0; k < type->fixed_size; k++)
            append_value(arrow_builder_child(b, 0), type->children[0]->type, rng, null_every);
        OKE(arrow_builder_end_list(b, true, &err));
        return;
    case QV_TYPE_STRUCT:
        for (int32_t c = 0; c < type->n_children; c++)
            append_value(arrow_builder_child(b, c), type->children[c]->type, rng, null_every);
        OKE(arrow_builder_append_struct(b, true, &err));
        return;
    case QV_TYPE_MAP: {
        arrow_builder *entries = arrow_builder_child(b, 0);
        const arrow_type *entry_type = type->children[0]->type;
        int64_t n = t_rand_below(rng, 3);
        for (int64_t k = 0; k < n; k++) {
            append_value(arrow_builder_child(entries, 0), entry_type->children[0]->type, rng, 0);
            append_value(arrow_builder_child(entries, 1), entry_type->children[1]->type, rng,
                         null_every);
            OKE(arrow_builder_append_struct(entries, true, &err));
        }
        OKE(arrow_builder_end_list(b, true, &err));
        return;
    }
    case QV_TYPE_DICTIONARY:
        append_flat(b, type->value_type, rng);
        return;
    case QV_TYPE_RUN_END_ENCODED:
        append_flat(b, type->children[1]->type, rng);
        return;
    default:
        append_flat(b, type, rng);
        return;
    }
}

arrow_array *t_random_array(arrow_type *type, int64_t n, int null_every, uint64_t *rng)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    OKE(arrow_builder_new(type, &b, &err));
    for (int64_t i = 0; i < n;) {
        /* Run-end arrays get runs: the same value (or null) repeated. */
        int64_t repeat = type->id == QV_TYPE_RUN_END_ENCODED ? 1 + t_rand_below(rng, 3) : 1;
        uint64_t saved = *rng;
        for (int64_t r = 0; r < repeat && i < n; r++, i++) {
            *rng = saved;
            append_value(b, type, rng, null_every);
        }
    }
    OKE(arrow_builder_finish(b, &a, &err));
    arrow_builder_free(b);
    OKE(arrow_array_validate(a, &err));
    return a;
}

/* ---- formatting ---- */

char *t_format(const arrow_array *array, int64_t i)
{
    qv_error err;
    base_strbuf sb;
    base_strbuf_init(&sb);
    OKE(arrow_format_value(array, i, &sb, &err));
    char *s = base_strbuf_take(&sb);
    if (s == NULL)
        s = base_strdup("");
    return s;
}

bool t_same(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j)
{
    char *x = t_format(a, i), *y = t_format(b, j);
    bool same = strcmp(x, y) == 0;
    if (!same)
        fprintf(stderr, "  differ: \"%s\" vs \"%s\"\n", x, y);
    base_free(x);
    base_free(y);
    return same;
}

bool t_equal(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j)
{
    char *x = t_format(a, i), *y = t_format(b, j);
    bool same = strcmp(x, y) == 0;
    base_free(x);
    base_free(y);
    return same;
}

void t_warm_caches(void)
{
    qv_error err;
    arrow_type *t;
    OKE(arrow_type_timestamp(QV_UNIT_MICROSECOND, "UTC", &t, &err));
    uint64_t rng = 1;
    arrow_array *a = t_random_array(t, 1, 0, &rng);
    base_free(t_format(a, 0));
    arrow_array_release(a);
    arrow_type_release(t);
}

/* ---- explicit arrays ---- */

arrow_array *t_slice(arrow_array *a, int64_t offset, int64_t length)
{
    arrow_array *s;
    OK(arrow_array_slice(a, offset, length, &s, &ok_err_));
    arrow_array_release(a);
    return s;
}

arrow_array *t_i64s(int n, const int64_t *values, const bool *nulls)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    OKE(arrow_builder_new(prim(QV_TYPE_INT64), &b, &err));
    for (int i = 0; i < n; i++) {
        if (nulls != NULL && nulls[i])
            OKE(arrow_builder_append_null(b, &err));
        else
            OKE(arrow_builder_append_int(b, values[i], &err));
    }
    OKE(arrow_builder_finish(b, &a, &err));
    arrow_builder_free(b);
    return a;
}

arrow_array *t_f64s(int n, const double *values, const bool *nulls)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    OKE(arrow_builder_new(prim(QV_TYPE_FLOAT64), &b, &err));
    for (int i = 0; i < n; i++) {
        if (nulls != NULL && nulls[i])
            OKE(arrow_builder_append_null(b, &err));
        else
            OKE(arrow_builder_append_double(b, values[i], &err));
    }
    OKE(arrow_builder_finish(b, &a, &err));
    arrow_builder_free(b);
    return a;
}

arrow_array *t_strs(arrow_type_id id, int n, const char *const *values)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    OKE(arrow_builder_new(prim(id), &b, &err));
    for (int i = 0; i < n; i++) {
        if (values[i] == NULL)
            OKE(arrow_builder_append_null(b, &err));
        else
            OKE(arrow_builder_append_bytes(b, values[i], (int64_t)strlen(values[i]), &err));
    }
    OKE(arrow_builder_finish(b, &a, &err));
    arrow_builder_free(b);
    return a;
}

arrow_array *t_bools(int n, const int *values)
{
    qv_error err;
    arrow_builder *b;
    arrow_array *a;
    OKE(arrow_builder_new(prim(QV_TYPE_BOOLEAN), &b, &err));
    for (int i = 0; i < n; i++) {
        if (values[i] < 0)
            OKE(arrow_builder_append_null(b, &err));
        else
            OKE(arrow_builder_append_bool(b, values[i] != 0, &err));
    }
    OKE(arrow_builder_finish(b, &a, &err));
    arrow_builder_free(b);
    return a;
}
