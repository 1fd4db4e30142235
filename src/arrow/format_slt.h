/*
 * format_slt.h — sqllogictest value rendering (layer: arrow), for the
 * conformance runner (tools/slt/) and tests.
 *
 * DataFusion's sqllogictest runner does not print cells with the plain
 * ArrayFormatter: it normalises top-level floats, decimals, strings and
 * booleans first (datafusion/sqllogictest normalize.rs and conversion.rs).
 * These functions reproduce that, as described in
 * conformance/datafusion/README.md, "Value rendering" and "Column type
 * letters".
 */
#ifndef QV_ARROW_FORMAT_SLT_H
#define QV_ARROW_FORMAT_SLT_H

#include "arrow/arrow.h"

/*
 * Appends element i of array (offset applied) as DataFusion's sqllogictest
 * runner renders a cell:
 *   NULL (any type, also a null dictionary value) -> `NULL`;
 *   Boolean -> `true` / `false`;
 *   Float16/32/64 -> `NaN`, `Infinity`, `-Infinity`, else Rust's shortest
 *     Display string rounded half-to-even to 12 fractional digits, trailing
 *     zeros and point stripped, `-0` -> `0` (Float16 goes through f32, as
 *     half's Display does);
 *   Decimal128/256 -> the exact value, rounded and stripped the same way;
 *   Utf8/LargeUtf8/Utf8View -> `(empty)` for "", else trailing '\n's
 *     removed and NUL bytes written as `\0`;
 *   Dictionary -> its value, rendered by these same rules;
 *   everything else -> arrow_format_value.
 * The EXPLAIN multi-line expansion and WORKSPACE_ROOT substitution are the
 * runner's job. Errors as arrow_format_value (QV_NOMEM when sb fails).
 */
qv_status arrow_format_slt_value(const arrow_array *array, int64_t i, base_strbuf *sb,
                                 qv_error *err);

/* The sqllogictest column type letter of a type: `I` integers, `R` floats and
 * decimals, `T` strings and dictionaries of integer key to strings, `B`
 * Boolean, `D` Date32/64 and Time32/64, `P` timestamps, `?` anything else. */
char arrow_type_slt_letter(const arrow_type *type);

#endif /* QV_ARROW_FORMAT_SLT_H */
