/*
 * format_float.c — floating-point text as arrow-rs and Rust print it
 * (layer: arrow).
 *
 * Two renderings share one digit generator: the ryu crate's (what arrow-rs's
 * ArrayFormatter uses for Float32/Float64, so `[1.0, 2.5e-7]` inside lists)
 * and Rust's `Display` (plain notation, what DataFusion's sqllogictest runner
 * and half's Float16 Display start from).
 *
 * The shortest round-trip digits come from trying precisions 1..17 (1..9 for
 * f32) with snprintf("%.*e") and reading each candidate back with strtod /
 * strtof; exact ties go to even for ryu (as snprintf does) and up for
 * Display (as Rust's Dragon4 does). That is correct rather than fast (up to 17 formatting and
 * parsing rounds per value); a Ryu port can replace it if profiles ask for it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/format_int.h"

/* True when "0.<digits>e<point>" reads back as exactly a. */
static bool reads_back(const char *digits, int point, double a, bool is_f32)
{
    char text[64];
    snprintf(text, sizeof text, "0.%se%d", digits, point);
    if (is_f32)
        return strtof(text, NULL) == (float)a;
    return strtod(text, NULL) == a;
}

/* Adds delta (+1 or -1) to the last digit of digits[0..n), in place; returns
 * the new digit count and adjusts *point when the length changes. */
static int step_last_digit(char *digits, int n, int delta, int *point)
{
    int pos = n - 1;
    if (delta > 0) {
        while (pos >= 0 && digits[pos] == '9')
            digits[pos--] = '0';
        if (pos < 0) { /* 999 + 1 = 1000: one digit "1", one place up */
            digits[0] = '1';
            digits[1] = '\0';
            (*point)++;
            return 1;
        }
        digits[pos]++;
    } else {
        while (pos >= 0 && digits[pos] == '0')
            digits[pos--] = '9';
        if (pos < 0)
            return 0;
        digits[pos]--;
        if (pos == 0 && digits[0] == '0') { /* 1000 - 1 = 0999 */
            memmove(digits, digits + 1, (size_t)n);
            (*point)--;
            n--;
        }
    }
    return n;
}

static int strip_trailing_zeros(char *digits, int n)
{
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    return n;
}

/* snprintf rounds an exact tie to even (6.80078125 -> 6.8007812); Rust's
 * Display (Dragon4/Grisu) rounds it up (6.8007813). When the shortest
 * candidate of `precision` digits came from rounding an exact tie down,
 * replace it by the one above, if that reads back too. */
static void round_tie_up(double a, bool is_f32, int precision, char *digits, int *n, int *point)
{
    char longer[64];
    snprintf(longer, sizeof longer, "%.*e", precision, a);
    int k = 0;
    for (const char *c = longer; *c != 'e' && k <= precision; c++)
        if (*c != '.') {
            if (k < precision && *c != digits[k])
                return; /* rounded up already */
            if (k == precision && *c != '5')
                return;
            k++;
        }
    /* Digit precision+1 is 5: a tie only if every later digit is 0. The
     * exact expansion of a double has at most 767 significant digits. */
    char exact[820];
    snprintf(exact, sizeof exact, "%.*e", 780, a);
    int seen = 0;
    for (const char *c = exact; *c != 'e'; c++) {
        if (*c == '.')
            continue;
        if (seen++ > precision && *c != '0')
            return;
    }
    char up[32];
    int point_up = *point;
    memcpy(up, digits, (size_t)precision + 1);
    int n_up = step_last_digit(up, precision, +1, &point_up);
    if (reads_back(up, point_up, a, is_f32)) {
        memcpy(digits, up, (size_t)n_up + 1);
        *n = n_up;
        *point = point_up;
    }
}

int arrow_float_shortest(double v, bool is_f32, bool ties_up, char digits[32], int *point)
{
    double a = fabs(v);
    int max_precision = is_f32 ? 9 : 17;
    char text[64];
    int n = 0;
    for (int precision = 1; precision <= max_precision; precision++) {
        snprintf(text, sizeof text, "%.*e", precision - 1, a);
        n = 0;
        const char *c = text;
        for (; *c != 'e'; c++)
            if (*c != '.')
                digits[n++] = *c;
        digits[n] = '\0';
        *point = atoi(c + 1) + 1;
        if (reads_back(digits, *point, a, is_f32)) {
            if (ties_up)
                round_tie_up(a, is_f32, precision, digits, &n, point);
            break;
        }
        if (precision == max_precision)
            break;
        /* Near a power of two the rounding interval is lopsided: the nearest
         * string of this length may fall outside it while its neighbour one
         * unit away lies inside. Ryu would pick that neighbour. */
        char up[32], down[32];
        int point_up = *point, point_down = *point;
        memcpy(up, digits, (size_t)n + 1);
        memcpy(down, digits, (size_t)n + 1);
        int n_up = step_last_digit(up, n, +1, &point_up);
        int n_down = step_last_digit(down, n, -1, &point_down);
        if (reads_back(up, point_up, a, is_f32)) {
            memcpy(digits, up, (size_t)n_up + 1);
            *point = point_up;
            n = n_up;
            break;
        }
        if (n_down > 0 && reads_back(down, point_down, a, is_f32)) {
            memcpy(digits, down, (size_t)n_down + 1);
            *point = point_down;
            n = n_down;
            break;
        }
    }
    return strip_trailing_zeros(digits, n);
}

static void append_zeros(base_strbuf *sb, int count)
{
    for (int k = 0; k < count; k++)
        base_strbuf_append_char(sb, '0');
}

/* Plain notation of 0.DIGITS x 10^point; with_point_zero adds ".0" to whole
 * numbers (ryu) or not (Display). */
static void append_plain(base_strbuf *sb, const char *digits, int n, int point,
                         bool with_point_zero)
{
    if (point <= 0) {
        base_strbuf_append(sb, "0.", 2);
        append_zeros(sb, -point);
        base_strbuf_append(sb, digits, (size_t)n);
    } else if (point >= n) {
        base_strbuf_append(sb, digits, (size_t)n);
        append_zeros(sb, point - n);
        if (with_point_zero)
            base_strbuf_append(sb, ".0", 2);
    } else {
        base_strbuf_append(sb, digits, (size_t)point);
        base_strbuf_append_char(sb, '.');
        base_strbuf_append(sb, digits + point, (size_t)(n - point));
    }
}

void arrow_format_float_ryu(double v, bool is_f32, base_strbuf *sb)
{
    if (isnan(v)) {
        base_strbuf_append_str(sb, "NaN");
        return;
    }
    if (isinf(v)) {
        base_strbuf_append_str(sb, v < 0 ? "-inf" : "inf");
        return;
    }
    if (signbit(v))
        base_strbuf_append_char(sb, '-');
    if (v == 0) {
        base_strbuf_append_str(sb, "0.0");
        return;
    }
    char digits[32];
    int point;
    int n = arrow_float_shortest(v, is_f32, false, digits, &point);
    /* ryu's thresholds (src/pretty/mod.rs): plain notation while the value
     * has at most 16 (f32: 13) integer digits or at most 4 (f32: 5) zeros
     * after the point. */
    int max_int_digits = is_f32 ? 13 : 16;
    int min_point = is_f32 ? -5 : -4;
    if (point > 0 && point <= max_int_digits) {
        append_plain(sb, digits, n, point, true);
    } else if (point <= 0 && point >= min_point) {
        append_plain(sb, digits, n, point, false);
    } else {
        base_strbuf_append_char(sb, digits[0]);
        if (n > 1) {
            base_strbuf_append_char(sb, '.');
            base_strbuf_append(sb, digits + 1, (size_t)(n - 1));
        }
        base_strbuf_appendf(sb, "e%d", point - 1);
    }
}

void arrow_format_float_display(double v, bool is_f32, base_strbuf *sb)
{
    if (isnan(v)) {
        base_strbuf_append_str(sb, "NaN");
        return;
    }
    if (isinf(v)) {
        base_strbuf_append_str(sb, v < 0 ? "-inf" : "inf");
        return;
    }
    if (signbit(v))
        base_strbuf_append_char(sb, '-');
    if (v == 0) {
        base_strbuf_append_char(sb, '0');
        return;
    }
    char digits[32];
    int point;
    int n = arrow_float_shortest(v, is_f32, true, digits, &point);
    append_plain(sb, digits, n, point, false);
}

float arrow_half_to_float(uint16_t bits)
{
    int sign = (bits >> 15) & 1;
    int exponent = (bits >> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    float magnitude;
    if (exponent == 0)
        magnitude = ldexpf((float)mantissa, -24); /* subnormal (or zero) */
    else if (exponent == 31)
        magnitude = mantissa ? NAN : INFINITY;
    else
        magnitude = ldexpf((float)(mantissa | 0x400), exponent - 25);
    return sign ? -magnitude : magnitude;
}
