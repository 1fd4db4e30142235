/*
 * format_slt.c — cells and column letters as DataFusion's sqllogictest
 * runner renders them (layer: arrow). See format_slt.h for the rules.
 *
 * Floats and decimals are rounded on their decimal text, never through
 * binary arithmetic, as the runner does with BigDecimal: the text is the
 * shortest round-trip Display string (floats) or the exact value (decimals).
 */
#include <math.h>
#include <string.h>

#include "arrow/format_int.h"
#include "arrow/format_slt.h"

#define SLT_FRACTION_DIGITS 12

/* Appends the plain decimal text[0..len) ("-12.3450", "7") rounded half to
 * even to 12 fractional digits, trailing zeros and point removed, with no
 * sign on zero: BigDecimal round(12).normalized().to_plain_string(). */
static void append_rounded(base_strbuf *sb, const char *text, size_t len)
{
    bool negative = len > 0 && text[0] == '-';
    size_t pos = negative ? 1 : 0;
    const char *int_digits = text + pos;
    size_t int_len = 0;
    while (pos + int_len < len && text[pos + int_len] != '.')
        int_len++;
    const char *frac = text + pos + int_len + 1;
    size_t frac_len = pos + int_len < len ? len - pos - int_len - 1 : 0;

    /* digits = integer digits then kept fraction digits, one spare in front
     * for a carry. */
    size_t kept = frac_len < SLT_FRACTION_DIGITS ? frac_len : SLT_FRACTION_DIGITS;
    size_t n = 1 + int_len + kept;
    char *digits = base_alloc(n + 1);
    if (digits == NULL) {
        sb->failed = true;
        return;
    }
    digits[0] = '0';
    memcpy(digits + 1, int_digits, int_len);
    memcpy(digits + 1 + int_len, frac, kept);
    if (frac_len > SLT_FRACTION_DIGITS) {
        char first_dropped = frac[SLT_FRACTION_DIGITS];
        bool rest_nonzero = false;
        for (size_t k = SLT_FRACTION_DIGITS + 1; k < frac_len; k++)
            rest_nonzero |= frac[k] != '0';
        bool last_odd = (digits[n - 1] - '0') % 2 == 1;
        bool round_up = first_dropped > '5' || (first_dropped == '5' && (rest_nonzero || last_odd));
        for (size_t k = n; round_up && k-- > 0;) {
            if (digits[k] == '9') {
                digits[k] = '0';
            } else {
                digits[k]++;
                round_up = false;
            }
        }
    }
    size_t int_end = 1 + int_len; /* digits[0..int_end) is the integer part */
    size_t end = n;
    while (end > int_end && digits[end - 1] == '0')
        end--;
    size_t start = 0;
    while (start + 1 < int_end && digits[start] == '0')
        start++;
    bool is_zero = true;
    for (size_t k = start; k < end; k++)
        is_zero &= digits[k] == '0';
    if (negative && !is_zero)
        base_strbuf_append_char(sb, '-');
    base_strbuf_append(sb, digits + start, int_end - start);
    if (end > int_end) {
        base_strbuf_append_char(sb, '.');
        base_strbuf_append(sb, digits + int_end, end - int_end);
    }
    base_free(digits);
}

static void append_slt_float(base_strbuf *sb, double v, bool is_f32)
{
    if (isnan(v)) {
        base_strbuf_append_str(sb, "NaN");
        return;
    }
    if (isinf(v)) {
        base_strbuf_append_str(sb, v < 0 ? "-Infinity" : "Infinity");
        return;
    }
    base_strbuf display;
    base_strbuf_init(&display);
    arrow_format_float_display(v, is_f32, &display);
    if (base_strbuf_failed(&display))
        sb->failed = true;
    else
        append_rounded(sb, display.data, display.len);
    base_strbuf_free(&display);
}

static void append_slt_decimal(base_strbuf *sb, const uint8_t *le, int n_bytes, int32_t scale)
{
    base_strbuf exact;
    base_strbuf_init(&exact);
    /* The runner formats with precision u8::MAX: nothing is cut. */
    arrow_format_decimal(le, n_bytes, 255, scale, &exact);
    if (base_strbuf_failed(&exact))
        sb->failed = true;
    else
        append_rounded(sb, exact.data, exact.len);
    base_strbuf_free(&exact);
}

static void append_slt_string(base_strbuf *sb, const char *data, int64_t len)
{
    if (len == 0) {
        base_strbuf_append_str(sb, "(empty)");
        return;
    }
    while (len > 0 && data[len - 1] == '\n')
        len--;
    int64_t run = 0; /* bytes since the last NUL */
    for (int64_t k = 0; k < len; k++) {
        if (data[k] != '\0')
            continue;
        base_strbuf_append(sb, data + run, (size_t)(k - run));
        base_strbuf_append(sb, "\\0", 2);
        run = k + 1;
    }
    base_strbuf_append(sb, data + run, (size_t)(len - run));
}

static qv_status slt_element(const arrow_array *array, int64_t i, base_strbuf *sb, qv_error *err)
{
    const arrow_type *type = array->type;
    if (type->id != QV_TYPE_RUN_END_ENCODED && !arrow_array_is_valid(array, i)) {
        base_strbuf_append_str(sb, "NULL");
        return QV_OK;
    }
    const uint8_t *values = array->n_buffers >= 2 ? arrow_array_values(array) : NULL;
    int64_t slot = array->offset + i;
    switch (type->id) {
    case QV_TYPE_FLOAT16: {
        uint16_t bits;
        memcpy(&bits, values + 2 * slot, 2);
        append_slt_float(sb, arrow_half_to_float(bits), true);
        return QV_OK;
    }
    case QV_TYPE_FLOAT32: {
        float v;
        memcpy(&v, values + 4 * slot, 4);
        append_slt_float(sb, v, true);
        return QV_OK;
    }
    case QV_TYPE_FLOAT64: {
        double v;
        memcpy(&v, values + 8 * slot, 8);
        append_slt_float(sb, v, false);
        return QV_OK;
    }
    case QV_TYPE_DECIMAL128:
        append_slt_decimal(sb, values + 16 * slot, 16, type->scale);
        return QV_OK;
    case QV_TYPE_DECIMAL256:
        append_slt_decimal(sb, values + 32 * slot, 32, type->scale);
        return QV_OK;
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW: {
        /* Reuse the plain formatter for the bytes: strings print raw. */
        base_strbuf raw;
        base_strbuf_init(&raw);
        qv_status status = arrow_format_value(array, i, &raw, err);
        if (status == QV_OK)
            append_slt_string(sb, raw.data ? raw.data : "", (int64_t)raw.len);
        base_strbuf_free(&raw);
        return status;
    }
    case QV_TYPE_DICTIONARY: {
        int64_t key = arrow_read_integer(values, type->index_type->id, slot);
        return slt_element(array->dictionary, key, sb, err);
    }
    default:
        /* Booleans print true/false there too; REE shows its logical value. */
        return arrow_format_value(array, i, sb, err);
    }
}

qv_status arrow_format_slt_value(const arrow_array *array, int64_t i, base_strbuf *sb,
                                 qv_error *err)
{
    QV_TRY(slt_element(array, i, sb, err));
    if (base_strbuf_failed(sb))
        return base_error_nomem(err, "formatted value");
    return QV_OK;
}

char arrow_type_slt_letter(const arrow_type *type)
{
    switch (type->id) {
    case QV_TYPE_INT8:
    case QV_TYPE_INT16:
    case QV_TYPE_INT32:
    case QV_TYPE_INT64:
    case QV_TYPE_UINT8:
    case QV_TYPE_UINT16:
    case QV_TYPE_UINT32:
    case QV_TYPE_UINT64:
        return 'I';
    case QV_TYPE_FLOAT16:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        return 'R';
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
        return 'T';
    case QV_TYPE_DICTIONARY: {
        arrow_type_id value_id = type->value_type->id;
        bool string_values = value_id == QV_TYPE_UTF8 || value_id == QV_TYPE_LARGE_UTF8 ||
                             value_id == QV_TYPE_UTF8_VIEW;
        return string_values && arrow_type_is_integer(type->index_type->id) ? 'T' : '?';
    }
    case QV_TYPE_BOOLEAN:
        return 'B';
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIME32:
    case QV_TYPE_TIME64:
        return 'D';
    case QV_TYPE_TIMESTAMP:
        return 'P';
    default:
        return '?';
    }
}
