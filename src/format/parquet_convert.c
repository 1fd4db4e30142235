/*
 * parquet_convert.c — a Parquet leaf column's decoded values as an Arrow
 * array (layer: format): the column's own Arrow type (parquet_schema.c),
 * or the type the table declares when the values convert to it (integer
 * widths, integers to floats, strings and binaries to their large and
 * view forms, timestamp units); anything else is DataFusion's "Cannot
 * cast file schema field" error. Fixed-width results are written
 * straight into buffers; variable-width and decimal values go through a
 * builder.
 */
#include <string.h>

#include "format/parquet_int.h"

#define JULIAN_UNIX_EPOCH 2440588 /* the Julian day of 1970-01-01 */
#define NANOS_PER_DAY INT64_C(86400000000000)

/* The source column as the conversion sees it. */
typedef struct leaf_source {
    int32_t physical;
    bool is_unsigned; /* INT32 / INT64 hold unsigned values */
    bool has_unit;    /* INT64 timestamps / times: unit below */
    arrow_time_unit unit;
    int32_t scale;       /* decimals */
    arrow_type *natural; /* the leaf's own Arrow type (borrowed) */
} leaf_source;

static void describe_source(const pq_field *leaf, leaf_source *src)
{
    const pq_schema_element *el = leaf->leaf;
    memset(src, 0, sizeof *src);
    src->physical = el->type;
    src->natural = leaf->field->type;
    arrow_type_id id = src->natural->id;
    src->is_unsigned =
        id == QV_TYPE_UINT8 || id == QV_TYPE_UINT16 || id == QV_TYPE_UINT32 || id == QV_TYPE_UINT64;
    if (id == QV_TYPE_TIMESTAMP || id == QV_TYPE_TIME32 || id == QV_TYPE_TIME64) {
        src->has_unit = true;
        src->unit = src->natural->unit;
    }
    if (id == QV_TYPE_DECIMAL128 || id == QV_TYPE_DECIMAL256)
        src->scale = src->natural->scale;
}

static int64_t unit_factor(arrow_time_unit unit)
{
    static const int64_t f[] = {1, 1000, 1000000, 1000000000};
    return f[unit];
}

/* An INT96 value (nanoseconds of the day, Julian day) in unit, with
 * wrapping arithmetic as arrow-rs. */
static int64_t int96_value(const uint8_t *p, arrow_time_unit unit)
{
    int64_t nanos;
    int32_t day;
    memcpy(&nanos, p, 8);
    memcpy(&day, p + 8, 4);
    uint64_t days = (uint64_t)((int64_t)day - JULIAN_UNIX_EPOCH);
    int64_t per_unit = 1000000000 / unit_factor(unit);
    return (int64_t)(days * (uint64_t)(86400 * unit_factor(unit)) + (uint64_t)(nanos / per_unit));
}

/* Value i of an integer source as int64 (INT32 sign- or zero-extended). */
static int64_t int_value(const leaf_source *src, const pq_values *v, int64_t i)
{
    if (src->physical == PARQUET_INT32) {
        int32_t x;
        memcpy(&x, v->data + i * 4, 4);
        return src->is_unsigned ? (int64_t)(uint32_t)x : x;
    }
    int64_t x;
    memcpy(&x, v->data + i * 8, 8);
    return x;
}

static bool rescale_time(int64_t value, arrow_time_unit from, arrow_time_unit to, int64_t *out)
{
    if (from == to) {
        *out = value;
        return true;
    }
    if (to > from) {
        int64_t f = unit_factor(to) / unit_factor(from);
        return !__builtin_mul_overflow(value, f, out);
    }
    int64_t f = unit_factor(from) / unit_factor(to);
    *out = value / f - (value % f < 0); /* floor, as arrow's cast */
    return true;
}

static bool int_fits(int64_t v, arrow_type_id id, bool from_unsigned64)
{
    if (from_unsigned64 && v < 0)
        return id == QV_TYPE_UINT64;
    switch (id) {
    case QV_TYPE_INT8:
        return v >= INT8_MIN && v <= INT8_MAX;
    case QV_TYPE_INT16:
        return v >= INT16_MIN && v <= INT16_MAX;
    case QV_TYPE_INT32:
        return v >= INT32_MIN && v <= INT32_MAX;
    case QV_TYPE_UINT8:
        return v >= 0 && v <= UINT8_MAX;
    case QV_TYPE_UINT16:
        return v >= 0 && v <= UINT16_MAX;
    case QV_TYPE_UINT32:
        return v >= 0 && v <= UINT32_MAX;
    case QV_TYPE_UINT64:
        return v >= 0 || from_unsigned64;
    default:
        return !from_unsigned64 || v >= 0;
    }
}

static void store_int(uint8_t *dst, int32_t width, int64_t v)
{
    switch (width) {
    case 1: {
        int8_t x = (int8_t)v;
        memcpy(dst, &x, 1);
        break;
    }
    case 2: {
        int16_t x = (int16_t)v;
        memcpy(dst, &x, 2);
        break;
    }
    case 4: {
        int32_t x = (int32_t)v;
        memcpy(dst, &x, 4);
        break;
    }
    default:
        memcpy(dst, &v, 8);
        break;
    }
}

static bool is_int_source(const leaf_source *src)
{
    return src->physical == PARQUET_INT32 || src->physical == PARQUET_INT64;
}

static bool is_decimal_source(const leaf_source *src)
{
    arrow_type_id id = src->natural->id;
    return id == QV_TYPE_DECIMAL128 || id == QV_TYPE_DECIMAL256;
}

bool pq_leaf_converts_to(const pq_field *leaf, const arrow_type *type)
{
    leaf_source src;
    describe_source(leaf, &src);
    if (arrow_type_equal(src.natural, type))
        return true;
    arrow_type_id nat = src.natural->id;
    switch (type->id) {
    case QV_TYPE_NULL:
        return true;
    case QV_TYPE_BOOLEAN:
        return src.physical == PARQUET_BOOLEAN;
    case QV_TYPE_INT8:
    case QV_TYPE_INT16:
    case QV_TYPE_INT32:
    case QV_TYPE_INT64:
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64:
        return is_int_source(&src) && arrow_type_is_integer(nat);
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
        return src.physical == PARQUET_FLOAT || src.physical == PARQUET_DOUBLE ||
               (is_int_source(&src) && arrow_type_is_integer(nat));
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
        return nat == QV_TYPE_DATE32;
    case QV_TYPE_TIMESTAMP:
        return nat == QV_TYPE_TIMESTAMP;
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        return is_decimal_source(&src) && type->scale == src.scale;
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BINARY:
    case QV_TYPE_LARGE_BINARY:
    case QV_TYPE_BINARY_VIEW:
        return src.physical == PARQUET_BYTE_ARRAY && !is_decimal_source(&src);
    default:
        return false;
    }
}

static qv_status cast_error(const pq_field *leaf, const arrow_type *type, qv_error *err)
{
    base_strbuf a, b;
    base_strbuf_init(&a);
    base_strbuf_init(&b);
    arrow_type_format(leaf->field->type, &a);
    arrow_type_format(type, &b);
    qv_status st = base_error_set(err, QV_PLAN,
                                  "Error during planning: Cannot cast file schema field %s of "
                                  "type %s to table schema field of type %s",
                                  leaf->field->name, base_strbuf_cstr(&a), base_strbuf_cstr(&b));
    base_strbuf_free(&a);
    base_strbuf_free(&b);
    return st;
}

/* A fixed-width result written straight into a values buffer. */
static qv_status convert_fixed(const leaf_source *src, arrow_type *type, const pq_values *v,
                               const uint8_t *valid, int64_t n, arrow_buffer *values, qv_error *err)
{
    int32_t bits = arrow_type_bit_width(type);
    int32_t width = bits / 8;
    uint8_t *out = values->data;
    bool same = arrow_type_equal(src->natural, type);
    int64_t next = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!valid[i])
            continue;
        int64_t k = next++;
        uint8_t *dst = out + i * width;
        switch (type->id) {
        case QV_TYPE_BOOLEAN:
            if (v->data[k])
                arrow_bit_set(out, i, true);
            break;
        case QV_TYPE_FLOAT32:
        case QV_TYPE_FLOAT64: {
            double d;
            if (src->physical == PARQUET_FLOAT) {
                float f;
                memcpy(&f, v->data + k * 4, 4);
                d = f;
            } else if (src->physical == PARQUET_DOUBLE) {
                memcpy(&d, v->data + k * 8, 8);
            } else if (src->is_unsigned && src->physical == PARQUET_INT64) {
                d = (double)(uint64_t)int_value(src, v, k);
            } else {
                d = (double)int_value(src, v, k);
            }
            if (type->id == QV_TYPE_FLOAT32) {
                float f = (float)d;
                memcpy(dst, &f, 4);
            } else {
                memcpy(dst, &d, 8);
            }
            break;
        }
        case QV_TYPE_TIMESTAMP: {
            int64_t t;
            if (src->physical == PARQUET_INT96)
                t = int96_value(v->data + k * 12, type->unit);
            else if (!rescale_time(int_value(src, v, k), src->has_unit ? src->unit : type->unit,
                                   type->unit, &t))
                return base_error_set(err, QV_CAST,
                                      "Arrow error: Cast error: Overflow converting timestamp");
            memcpy(dst, &t, 8);
            break;
        }
        case QV_TYPE_DATE64: {
            int64_t ms = int_value(src, v, k) * INT64_C(86400000);
            memcpy(dst, &ms, 8);
            break;
        }
        case QV_TYPE_FLOAT16:
        case QV_TYPE_INTERVAL_DAY_TIME:
        case QV_TYPE_FIXED_SIZE_BINARY:
            if (type->id == QV_TYPE_INTERVAL_DAY_TIME) /* days and millis of the 12 bytes */
                memcpy(dst, v->data + k * 12 + 4, 8);
            else
                memcpy(dst, v->data + k * width, (size_t)width);
            break;
        default: { /* integers, Date32, Time32 / Time64 */
            int64_t x = int_value(src, v, k);
            bool u64 = src->is_unsigned && src->physical == PARQUET_INT64;
            if (!same && !int_fits(x, type->id, u64)) {
                base_strbuf sb;
                base_strbuf_init(&sb);
                arrow_type_format(type, &sb);
                qv_status st = base_error_set(err, QV_CAST,
                                              "Arrow error: Cast error: Can't cast value %lld to "
                                              "type %s",
                                              (long long)x, base_strbuf_cstr(&sb));
                base_strbuf_free(&sb);
                return st;
            }
            store_int(dst, width, x);
            break;
        }
        }
    }
    return QV_OK;
}

/* Sign-extends a big-endian two's complement value of len bytes into
 * n_bytes little-endian bytes; false when it does not fit. */
static bool decimal_from_be(const uint8_t *p, int64_t len, uint8_t *le, int n_bytes)
{
    uint8_t fill = len > 0 && (p[0] & 0x80) ? 0xff : 0;
    memset(le, fill, (size_t)n_bytes);
    for (int64_t i = 0; i < len; i++) {
        int64_t pos = len - 1 - i; /* little-endian position of p[i] */
        if (pos >= n_bytes) {
            if (p[i] != fill)
                return false;
            continue;
        }
        le[pos] = p[i];
    }
    return true;
}

static qv_status append_decimal(const leaf_source *src, const pq_values *v, int64_t k,
                                arrow_builder *b, int n_bytes, qv_error *err)
{
    uint8_t le[32];
    if (is_int_source(src)) {
        int64_t x = int_value(src, v, k);
        memset(le, x < 0 ? 0xff : 0, sizeof le);
        memcpy(le, &x, 8);
    } else {
        const uint8_t *p = v->width > 0 ? v->data + k * v->width : v->data + v->offsets[k];
        int64_t len = v->width > 0 ? v->width : v->offsets[k + 1] - v->offsets[k];
        if (!decimal_from_be(p, len, le, n_bytes))
            return pq_corrupt(err, "decimal value of %lld bytes does not fit", (long long)len);
    }
    return arrow_builder_append_decimal(b, le, err);
}

/* Variable-width and decimal results, through a builder. */
static qv_status convert_built(const leaf_source *src, arrow_type *type, const pq_values *v,
                               const uint8_t *valid, int64_t n, arrow_array **out, qv_error *err)
{
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(type, &b, err));
    bool text =
        type->id == QV_TYPE_UTF8 || type->id == QV_TYPE_LARGE_UTF8 || type->id == QV_TYPE_UTF8_VIEW;
    int n_bytes = type->id == QV_TYPE_DECIMAL256 ? 32 : 16;
    qv_status st = QV_OK;
    int64_t next = 0;
    for (int64_t i = 0; i < n && st == QV_OK; i++) {
        if (!valid[i]) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        int64_t k = next++;
        if (type->id == QV_TYPE_DECIMAL128 || type->id == QV_TYPE_DECIMAL256) {
            st = append_decimal(src, v, k, b, n_bytes, err);
            continue;
        }
        const uint8_t *p = v->data + v->offsets[k];
        int64_t len = v->offsets[k + 1] - v->offsets[k];
        if (text && fmt_utf8_valid_prefix(p, (size_t)len) != (size_t)len) {
            st = pq_corrupt(err, "encountered non UTF-8 data");
            break;
        }
        st = arrow_builder_append_bytes(b, p, len, err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

qv_status pq_convert_leaf(const pq_field *leaf, arrow_type *type, const pq_values *values,
                          const uint8_t *valid, int64_t n, arrow_array **out, qv_error *err)
{
    *out = NULL;
    if (!pq_leaf_converts_to(leaf, type))
        return cast_error(leaf, type, err);
    int64_t n_valid = 0;
    for (int64_t i = 0; i < n; i++)
        n_valid += valid[i] != 0;
    if (n_valid != values->n)
        return pq_corrupt(err, "column \"%s\" has %lld values for %lld non-null slots",
                          leaf->field->name, (long long)values->n, (long long)n_valid);
    if (type->id == QV_TYPE_NULL || leaf->field->type->id == QV_TYPE_NULL || n_valid == 0)
        return arrow_array_new_null(type, n, out, err);
    leaf_source src;
    describe_source(leaf, &src);
    int32_t bits = arrow_type_bit_width(type);
    bool fixed = bits > 0 && type->id != QV_TYPE_DECIMAL128 && type->id != QV_TYPE_DECIMAL256;
    if (!fixed)
        return convert_built(&src, type, values, valid, n, out, err);
    arrow_buffer *bufs[2] = {NULL, NULL};
    qv_status st = arrow_buffer_new(bits == 1 ? (n + 7) / 8 : n * (bits / 8), &bufs[1], err);
    if (st == QV_OK && n_valid < n) {
        st = arrow_buffer_new((n + 7) / 8, &bufs[0], err);
        for (int64_t i = 0; st == QV_OK && i < n; i++)
            if (valid[i])
                arrow_bit_set(bufs[0]->data, i, true);
    }
    if (st == QV_OK)
        st = convert_fixed(&src, type, values, valid, n, bufs[1], err);
    if (st == QV_OK)
        st = arrow_array_new(type, n, n - n_valid, 0, 2, bufs, 0, NULL, NULL, out, err);
    arrow_buffer_release(bufs[0]);
    arrow_buffer_release(bufs[1]);
    return st;
}
