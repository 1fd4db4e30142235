/*
 * func.h — the function layer (layer: func): the function registry, scalar
 * SQL functions with vectorized kernels, and the primitive kernels the
 * executor runs for operators (arithmetic, comparison, boolean logic, LIKE,
 * CAST). Depends only on arrow and base.
 *
 * ---- Datums ----
 * A func_datum is an arrow_array plus a flag: is_scalar means the array has
 * exactly one element that stands for every row of the batch (a literal, or
 * a constant-folded argument). Kernels handle array/array, array/scalar,
 * scalar/array and scalar/scalar without materialising the broadcast; the
 * result is a scalar exactly when every argument is (then it has length 1
 * whatever n_rows says), except for functions that are not pure (random,
 * uuid), which always return n_rows values. Arrays may be slices (offset != 0).
 *
 * Ownership: arguments are borrowed for the call; *out receives a new
 * reference the caller releases with func_datum_release. On failure *out is
 * {NULL, false}.
 *
 * ---- Errors ----
 * Messages follow DataFusion's text without the leading "DataFusion error: "
 * (the session layer adds that), so arrow-rs errors keep their "Arrow error: "
 * prefix:
 *   QV_OVERFLOW        "Arrow error: Arithmetic overflow: Overflow happened on: 2147483647 + 1"
 *   QV_DIVIDE_BY_ZERO  "Arrow error: Divide by zero error"
 *   QV_CAST            "Arrow error: Cast error: Can't cast value 300 to type Int8",
 *                      "Arrow error: Cast error: Cannot cast string 'a' to value of Int64 type"
 *   QV_EXECUTION       "Execution error: ..." (DataFusion's own function errors)
 *
 * ---- Registry ----
 * func_entry describes one function whatever its kind: name, kind,
 * signature (DataFusion's TypeSignature), volatility, a description, the
 * parameter names, and a per-kind implementation (a union: the scalar
 * and aggregate members exist so far; window and table members will join).
 * The registry maps lower-case names and aliases to entries. Builtin
 * entries are static; the registry borrows entries (they must outlive it).
 *
 * The binder resolves a call by name, coerces the arguments so that the
 * signature accepts them (func_signature_accepts says whether types are
 * accepted as they are), asks return_type for the result type, and the
 * executor calls invoke once per batch.
 */
#ifndef QV_FUNC_H
#define QV_FUNC_H

#include <stdbool.h>
#include <stdint.h>

#include "arrow/arrow.h"
#include "base/base.h"

/* ---- datums (datum.c) ---- */

typedef struct func_datum {
    arrow_array *array; /* a reference held by whoever holds the datum */
    bool is_scalar;     /* array has length 1 and is broadcast to the batch */
} func_datum;

/* Wraps array (retained) as an array datum / a scalar datum. A scalar datum's
 * array must have length 1. */
func_datum func_datum_array(arrow_array *array);
func_datum func_datum_scalar(arrow_array *array);
/* Releases the datum's array and clears it. NULL / empty datum is a no-op. */
void func_datum_release(func_datum *datum);
/* Number of rows a datum stands for in a batch of n_rows. */
static inline int64_t func_datum_length(const func_datum *datum, int64_t n_rows)
{
    return datum->is_scalar ? n_rows : datum->array->length;
}
/* True when row i of the datum (row 0 for scalars) is not null. */
bool func_datum_is_valid(const func_datum *datum, int64_t i);
/* An array of n_rows values: the array itself (retained) for array datums,
 * the scalar repeated for scalar datums. */
qv_status func_datum_to_array(const func_datum *datum, int64_t n_rows, arrow_array **out,
                              qv_error *err);
/* A scalar datum holding one null of type. */
qv_status func_datum_null_scalar(arrow_type *type, func_datum *out, qv_error *err);

/* ---- call context ---- */

/* What stable and volatile functions need, set by the executor per query.
 * random_state must be seeded non-zero (xorshift64*); random() advances it. */
typedef struct func_call_ctx {
    int64_t query_start_ns; /* now(): ns since the Unix epoch, fixed per query */
    const char *time_zone;  /* session time zone ("+00:00", "UTC", IANA name) */
    uint64_t random_state;
} func_call_ctx;

/* ---- signatures (signature.c) ----
 * DataFusion's TypeSignature. Type lists hold arrow_type_id values; a
 * parameterised id (DECIMAL128, TIMESTAMP...) accepts every parameter. */
typedef enum func_sig_kind {
    FUNC_SIG_NULLARY,      /* no arguments */
    FUNC_SIG_EXACT,        /* n_args arguments, types[i] for argument i */
    FUNC_SIG_UNIFORM,      /* n_args arguments, all one type, from types */
    FUNC_SIG_VARIADIC,     /* one or more arguments, all one type, from types */
    FUNC_SIG_VARIADIC_ANY, /* one or more arguments of any types */
    FUNC_SIG_ANY,          /* n_args arguments of any types */
    FUNC_SIG_NUMERIC,      /* n_args numeric arguments of one type */
    FUNC_SIG_STRING,       /* n_args string arguments (Utf8, LargeUtf8, Utf8View) */
    FUNC_SIG_COMPARABLE,   /* n_args arguments coercible to one comparable type */
    FUNC_SIG_ONE_OF,       /* any of alternatives */
    FUNC_SIG_USER_DEFINED  /* the entry's coerce_types decides (DataFusion's UserDefined) */
} func_sig_kind;

typedef struct func_signature {
    func_sig_kind kind;
    int32_t n_args;
    int32_t n_types;
    const arrow_type_id *types;
    int32_t n_alternatives;
    const struct func_signature *alternatives;
} func_signature;

/* True when argument types are accepted without coercion. */
bool func_signature_accepts(const func_signature *sig, int32_t n_args,
                            arrow_type *const *arg_types);
/* Appends the signature as DataFusion prints it in errors and docs, e.g.
 * "OneOf([Exact([Float64]), Exact([Float64, Int64])])". */
void func_signature_format(const func_signature *sig, base_strbuf *sb);

/* ---- registry (registry.c) ---- */

typedef enum func_kind { FUNC_SCALAR, FUNC_AGGREGATE, FUNC_WINDOW, FUNC_TABLE } func_kind;
typedef enum func_volatility { FUNC_IMMUTABLE, FUNC_STABLE, FUNC_VOLATILE } func_volatility;

/* Result type of a call whose (coerced) argument types are arg_types. *out
 * gets a new reference. QV_PLAN when the types are not accepted. */
typedef qv_status (*func_return_type_fn)(int n_args, arrow_type *const *arg_types, arrow_type **out,
                                         qv_error *err);
/* Evaluates a scalar function on one batch (see Datums above). */
typedef qv_status (*func_invoke_fn)(func_call_ctx *ctx, int n_args, const func_datum *args,
                                    int64_t n_rows, arrow_type *return_type, func_datum *out,
                                    qv_error *err);

/* Result type of a call whose type depends on constant arguments or on the
 * session (arrow_cast, date_part, from_unixtime with a zone, now()):
 * literals[i] is argument i's value when it is a constant (a length-1 array,
 * borrowed), else NULL; time_zone is the session time zone, NULL when none
 * is set. QV_PLAN / QV_EXECUTION with DataFusion's text when a required
 * constant is missing or wrong. */
typedef qv_status (*func_return_type_ex_fn)(int n_args, arrow_type *const *arg_types,
                                            const arrow_array *const *literals,
                                            const char *time_zone, arrow_type **out, qv_error *err);

/* User-defined argument coercion (DataFusion's coerce_types), for functions
 * whose accepted types no func_signature describes (the array functions).
 * The binder lends the services of the layer above: comparison(l, r) is
 * DataFusion's comparison_coercion (a new reference in *out, QV_NOT_FOUND
 * when l and r have no common type). */
typedef struct func_coerce_services {
    qv_status (*comparison)(arrow_type *l, arrow_type *r, arrow_type **out, qv_error *err);
    /* DataFusion's type_union_resolution of n types (make_array's
     * elements), QV_NOT_FOUND when they have no common type. */
    qv_status (*union_types)(int32_t n, arrow_type *const *types, arrow_type **out, qv_error *err);
} func_coerce_services;
/* Fills targets[i] (zeroed by the caller) with the type argument i must be
 * cast to, as a new reference, or leaves it NULL to keep the argument as
 * it is. Called for every call of the entry, zero arguments included.
 * QV_NOT_FOUND (no message): the binder reports DataFusion's "Failed to
 * coerce arguments" error; any other failure carries the entry's own
 * DataFusion text. On failure targets are left NULL. */
typedef qv_status (*func_coerce_fn)(const func_coerce_services *services, int n_args,
                                    arrow_type *const *arg_types, arrow_type **targets,
                                    qv_error *err);

typedef struct func_entry {
    const char *name;           /* lower case */
    const char *const *aliases; /* NULL-terminated, may be NULL */
    func_kind kind;
    func_signature signature;
    func_volatility volatility;
    const char *description;        /* one line */
    const char *const *param_names; /* NULL-terminated, may be NULL */
    union {
        struct {
            func_return_type_fn return_type;
            func_invoke_fn invoke;
            /* NULL for most functions; see func_resolve_return_type. */
            func_return_type_ex_fn return_type_ex;
            /* NULL for most functions: then the signature drives coercion. */
            func_coerce_fn coerce_types;
        } scalar;
        const struct func_agg_impl *aggregate; /* FUNC_AGGREGATE, see agg.h */
        const struct func_window_impl *window; /* FUNC_WINDOW, see window.h */
        /* the table vtable joins here */
    } impl;
} func_entry;

typedef struct func_registry func_registry;

qv_status func_registry_new(func_registry **out, qv_error *err);
void func_registry_free(func_registry *registry); /* NULL is a no-op */
/* Adds entry (borrowed) under its name and aliases. QV_ALREADY_EXISTS when a
 * name is taken (nothing is added then). */
qv_status func_registry_add(func_registry *registry, const func_entry *entry, qv_error *err);
/* Adds every builtin function. */
qv_status func_registry_builtin(func_registry *registry, qv_error *err);
/* The entry named name (any case, as bytes name[0..len)), or NULL. */
const func_entry *func_registry_lookup(const func_registry *registry, const char *name, size_t len);
/* Distinct entries in registration order, for information_schema.routines. */
int32_t func_registry_count(const func_registry *registry);
const func_entry *func_registry_at(const func_registry *registry, int32_t i);

/* The builtin scalar entries (tables in the *.c files, joined by registry.c). */
extern const func_entry func_math_entries[];
extern const int32_t func_math_entry_count;
extern const func_entry func_string_entries[];
extern const int32_t func_string_entry_count;
extern const func_entry func_string_pad_entries[];
extern const int32_t func_string_pad_entry_count;
extern const func_entry func_conditional_entries[];
extern const int32_t func_conditional_entry_count;
extern const func_entry func_misc_entries[];
extern const int32_t func_misc_entry_count;
extern const func_entry func_datetime_entries[]; /* datetime_funcs.c */
extern const int32_t func_datetime_entry_count;
extern const func_entry func_datetime_trunc_entries[]; /* datetime_trunc.c */
extern const int32_t func_datetime_trunc_entry_count;
extern const func_entry func_datetime_format_entries[]; /* datetime_tochar.c */
extern const int32_t func_datetime_format_entry_count;
extern const func_entry func_regex_entries[]; /* regex.c */
extern const int32_t func_regex_entry_count;
extern const func_entry func_digest_entries[]; /* digest.c */
extern const int32_t func_digest_entry_count;
/* The array (list) functions, one table per src/func/array_*.c file. */
extern const func_entry func_array_build_entries[];
extern const int32_t func_array_build_entry_count;
extern const func_entry func_array_search_entries[];
extern const int32_t func_array_search_entry_count;
extern const func_entry func_array_set_entries[];
extern const int32_t func_array_set_entry_count;
extern const func_entry func_array_dims_entries[];
extern const int32_t func_array_dims_entry_count;
extern const func_entry func_array_string_entries[];
extern const int32_t func_array_string_entry_count;
extern const func_entry func_array_range_entries[];
extern const int32_t func_array_range_entry_count;
extern const func_entry func_array_math_entries[];
extern const int32_t func_array_math_entry_count;
extern const func_entry func_array_vector_entries[];
extern const int32_t func_array_vector_entry_count;
/* The nested-type functions, one table per src/func/nested_*.c file:
 * make_array, element / slice access, structs, maps. */
extern const func_entry func_nested_make_array_entries[];
extern const int32_t func_nested_make_array_entry_count;
extern const func_entry func_nested_access_entries[];
extern const int32_t func_nested_access_entry_count;
extern const func_entry func_nested_struct_entries[];
extern const int32_t func_nested_struct_entry_count;
extern const func_entry func_nested_map_entries[];
extern const int32_t func_nested_map_entry_count;
/* DataFusion's map type: Map("entries": non-null Struct("key": non-null
 * key, "value": value), unsorted), new reference. (nested_map.c) */
qv_status func_map_type(arrow_type *key, arrow_type *value, arrow_type **out, qv_error *err);
/* Field i of a struct array as an array of the struct's rows, null where
 * the struct is null (new reference). (nested_struct.c) */
qv_status func_struct_field(const arrow_array *s, int32_t i, arrow_array **out, qv_error *err);

/* The result type of a call of a scalar entry: return_type_ex when the entry
 * has one (literals and time_zone as described there), else return_type.
 * The binder calls this rather than the members. (registry.c) */
qv_status func_resolve_return_type(const func_entry *entry, int n_args,
                                   arrow_type *const *arg_types, const arrow_array *const *literals,
                                   const char *time_zone, arrow_type **out, qv_error *err);

/* ---- describing functions for information_schema (routines.c) ---- */

/* One example call of a function: its argument types and return type as
 * DataFusion's information_schema prints them (NativeType names: "String",
 * "Int64", "Timestamp(Nanosecond, None)"...). */
typedef struct func_variant {
    int32_t n_args;
    char **arg_types;  /* owned */
    char *return_type; /* owned; NULL when unknown */
} func_variant;

/* The distinct example calls of an entry in DataFusion's order (sorted by
 * argument types, then return type): variant i is routine id (rid) i. An
 * entry whose signature gives no examples has one variant without
 * arguments or return type. */
typedef struct func_description {
    int32_t n_variants;
    func_variant *variants; /* owned */
} func_description;

qv_status func_describe(const func_entry *entry, func_description *out, qv_error *err);
void func_description_clear(func_description *description);
/* Appends DataFusion's NativeType name of type (its Debug form). */
void func_native_type_format(const arrow_type *type, base_strbuf *sb);

/* ---- operator kernels ---- */

typedef enum func_arith_op { FUNC_ADD, FUNC_SUB, FUNC_MUL, FUNC_DIV, FUNC_MOD } func_arith_op;
typedef enum func_cmp_op { FUNC_EQ, FUNC_NE, FUNC_LT, FUNC_LE, FUNC_GT, FUNC_GE } func_cmp_op;
/* `x op ALL (list)` / `x op ANY (list)` (nested_quantified.c): not a
 * named function; the binder calls it with (x, list of x's type,
 * Int32 literal func_quantified_code(op, all)). */
extern const func_entry func_quantified_entry;
int32_t func_quantified_code(func_cmp_op op, bool all);

/* Result type of l op r for two operands of one numeric type (the binder
 * coerces first): the type itself, or for Decimal128 arrow-rs's rule
 * (add/sub: scale max(s1,s2), precision max(p1-s1,p2-s2)+scale+1; mul: p1+p2+1,
 * s1+s2; div: scale s1+4, precision p1-s1+s2+scale; mod: max integer digits +
 * scale), precision capped at 38. (kernels_arith.c) */
qv_status func_arith_result_type(func_arith_op op, arrow_type *left, arrow_type *right,
                                 arrow_type **out, qv_error *err);
/* l op r on integer (checked: overflow and integer division by zero are
 * errors), float (IEEE: x/0 is inf or NaN, x%0 is NaN) or Decimal128 (any
 * two precisions/scales; result type from func_arith_result_type) operands of
 * the same type id. Errors only on non-null rows. */
qv_status func_arith(func_arith_op op, const func_datum *left, const func_datum *right,
                     int64_t n_rows, func_datum *out, qv_error *err);
/* -x (checked for integers: negating the minimum overflows). */
qv_status func_negate(const func_datum *arg, int64_t n_rows, func_datum *out, qv_error *err);

/* Arithmetic on temporal operands, with DataFusion's / arrow-rs's result
 * types (datetime_arith.c):
 *   Timestamp +- Interval (any interval type) or Duration, Interval /
 *     Duration + Timestamp  -> the timestamp's type (months and days are
 *     added to the local wall time of a zoned timestamp, days clamped to
 *     the month's length);
 *   Date32 / Date64 +- Interval or Duration (and the mirrored +) -> the
 *     date's type (sub-day parts move a Date32 by whole days toward zero);
 *   Timestamp - Timestamp -> Duration(finer unit);
 *   Date - Date -> Int64 (days);
 *   Time +- Time, Interval +- Interval -> Interval(MonthDayNano);
 *   Duration +- Duration -> Duration(finer unit).
 * Anything else, including interval * number, is QV_PLAN with DataFusion's
 * text ("Invalid interval arithmetic operation: ...", "Cannot get result
 * type for temporal operation ..."). Overflow: QV_OVERFLOW ("Arrow error:
 * Compute error: Date arithmetic overflow" for dates). Errors only on
 * non-null rows. */
qv_status func_temporal_result_type(func_arith_op op, arrow_type *left, arrow_type *right,
                                    arrow_type **out, qv_error *err);
qv_status func_temporal_arith(func_arith_op op, const func_datum *left, const func_datum *right,
                              int64_t n_rows, func_datum *out, qv_error *err);

/* Boolean l op r for two operands of one comparable type: integers, floats
 * (IEEE total order, as arrow-rs: NaN equals NaN and sorts last, -0 < +0),
 * Decimal128 (same scale), Boolean, strings (any mix of Utf8 / LargeUtf8 /
 * Utf8View, bytewise), binaries (any mix), Date32/64, Time32/64, Timestamp,
 * Duration. (kernels_compare.c) */
qv_status func_compare(func_cmp_op op, const func_datum *left, const func_datum *right,
                       int64_t n_rows, func_datum *out, qv_error *err);
/* IS DISTINCT FROM / IS NOT DISTINCT FROM: never null; nulls are equal. */
qv_status func_is_distinct(bool distinct, const func_datum *left, const func_datum *right,
                           int64_t n_rows, func_datum *out, qv_error *err);

/* SQL three-valued AND / OR and NOT on Boolean datums (Null-type datums are
 * read as all-null Booleans). (kernels_bool.c) */
qv_status func_and(const func_datum *left, const func_datum *right, int64_t n_rows, func_datum *out,
                   qv_error *err);
qv_status func_or(const func_datum *left, const func_datum *right, int64_t n_rows, func_datum *out,
                  qv_error *err);
qv_status func_not(const func_datum *arg, int64_t n_rows, func_datum *out, qv_error *err);
/* IS NULL / IS NOT NULL (never null) on any type. */
qv_status func_is_null(bool negated, const func_datum *arg, int64_t n_rows, func_datum *out,
                       qv_error *err);

/* value [NOT] [I]LIKE pattern [ESCAPE escape] on strings (any string type).
 * escape: a code point, or 0 for none ('\' is DataFusion's default; the
 * binder passes it). % matches any run of characters, _ one character
 * (a UTF-8 code point). ILIKE folds case (ASCII and the Unicode simple case
 * mapping of Latin, Greek and Cyrillic). A pattern ending in a lone escape
 * matches the escape character itself (arrow-rs). (kernels_like.c) */
qv_status func_like(bool negated, bool case_insensitive, const func_datum *value,
                    const func_datum *pattern, uint32_t escape, int64_t n_rows, func_datum *out,
                    qv_error *err);

/* value [!]~[*] pattern: Rust-regex (DataFusion) semantics on PCRE2; the
 * pattern is compiled once per distinct value in the batch. Null when
 * either side is null; a bad pattern is QV_EXECUTION ("Arrow error: Compute
 * error: Regular expression did not compile: ..."). (regex.c) */
qv_status func_regex_match(bool negated, bool case_insensitive, const func_datum *value,
                           const func_datum *pattern, int64_t n_rows, func_datum *out,
                           qv_error *err);

/* CAST(arg AS to). safe (TRY_CAST): values that do not convert become NULL
 * instead of an error. Supported: anything from Null; same type; between all
 * integer, float, Decimal128 and Boolean types; strings (all three types) to
 * and from those and Date32, Binary family; every type to strings; dates
 * and timestamps between each other. Temporal pairs as arrow-rs
 * (cast_temporal.c): strings to Timestamp (zone-less strings are local time
 * of the target zone), Time32 / Time64, Date64, Interval(MonthDayNano);
 * numbers to Timestamp / Duration (floats and decimals truncated), Int32 /
 * Int64 to dates and times; timestamps and durations to numbers, dates and
 * times to Int32 / Int64; naive to zoned timestamps (wall time kept);
 * zoned timestamps to local dates; timestamps to times of day; time and
 * duration units. Other pairs: QV_NOT_IMPLEMENTED ("Unsupported CAST from X
 * to Y"). (cast.c, cast_string.c, cast_temporal.c) */
qv_status func_cast(const func_datum *arg, arrow_type *to, bool safe, int64_t n_rows,
                    func_datum *out, qv_error *err);
/* True when func_cast supports from -> to. */
bool func_can_cast(const arrow_type *from, const arrow_type *to);

#endif /* QV_FUNC_H */
