/*
 * format_int.h — private helpers shared by the value formatters of the arrow
 * layer (format_value.c, format_float.c, format_decimal.c, format_temporal.c,
 * tz.c, format_slt.c, print_table.c). Not for other layers.
 */
#ifndef QV_ARROW_FORMAT_INT_H
#define QV_ARROW_FORMAT_INT_H

#include "arrow/arrow.h"

/* ---- element access (format_value.c) ---- */

/* Value slot `slot` of an integer-typed values buffer (dictionary keys, run
 * ends), widened to int64 (UInt64 above INT64_MAX wraps). */
int64_t arrow_read_integer(const uint8_t *values, arrow_type_id id, int64_t slot);

/* ---- floats (format_float.c) ---- */

/* The shortest decimal digits that read back as v (v finite and non-zero):
 * v = 0.DIGITS x 10^point. digits gets up to 17 characters plus NUL; returns
 * the number of digits. is_f32: round-trip at float width instead of double.
 * ties_up: when two shortest strings are equally close, take the upper one
 * (Rust Display) instead of the even one (ryu). */
int arrow_float_shortest(double v, bool is_f32, bool ties_up, char digits[32], int *point);

/* Appends v as the Rust crate ryu formats it (what arrow-rs's ArrayFormatter
 * prints for Float32/Float64): `1.0`, `0.1`, `1e20`, `1.5e-7`, `NaN`,
 * `inf`, `-inf`, `-0.0`. is_f32 selects f32 digits and thresholds. */
void arrow_format_float_ryu(double v, bool is_f32, base_strbuf *sb);

/* Appends v as Rust's `Display` prints it (never exponent notation): `1`,
 * `0.1`, `100000000000000000000`, `-0`, `NaN`, `inf`, `-inf`. */
void arrow_format_float_display(double v, bool is_f32, base_strbuf *sb);

/* IEEE 754 binary16 bits to float (exact). */
float arrow_half_to_float(uint16_t bits);

/* ---- decimals (format_decimal.c) ---- */

/* Appends the little-endian two's complement integer le[0..n_bytes) (16 or
 * 32 bytes) in decimal, with a leading '-' when negative. */
void arrow_format_decimal_integer(const uint8_t *le, int n_bytes, base_strbuf *sb);

/* Appends a decimal value as arrow-rs's format_decimal does (digits beyond
 * the precision are cut, as arrow-rs does; negative scales pad zeros). */
void arrow_format_decimal(const uint8_t *le, int n_bytes, int32_t precision, int32_t scale,
                          base_strbuf *sb);

/* ---- temporal values (format_temporal.c) ---- */

/* Appends element i (logical, offset applied by the callee) of a DATE32,
 * DATE64, TIME32, TIME64, TIMESTAMP, DURATION or INTERVAL_* array. The
 * element must be valid. QV_CAST when the value has no calendar form (date
 * out of chrono's range, time of day outside 0..24h), QV_INVALID for an
 * unknown time zone. */
qv_status arrow_format_temporal(const arrow_array *array, int64_t i, base_strbuf *sb,
                                qv_error *err);

/* ---- time zones (tz.c) ---- */

/* The UTC offset in seconds (east positive) that time zone `name` has at the
 * instant utc_seconds. name is a fixed offset ("+08:00", "-0530", "+08") or
 * an IANA name read from the system database (/usr/share/zoneinfo, or $TZDIR),
 * cached for the life of the process. QV_INVALID with arrow-rs's message
 * ("Invalid timezone ...") when the name is unknown. Thread-safe. */
qv_status arrow_tz_offset(const char *name, int64_t utc_seconds, int32_t *offset, qv_error *err);

#endif /* QV_ARROW_FORMAT_INT_H */
