/*
 * group_int.h — private to the group table files of the exec layer: one key
 * column of a group table (group_keys.c), the canonical byte encoding of
 * nested, dictionary and run-end encoded values (group_encode.c), and the
 * inline hash mixer they share with the table itself (group_table.c).
 *
 * A key column keeps the values of every group in typed storage:
 *   GK_FIXED   `width` bytes per group (numbers, decimals, temporal values,
 *              intervals, fixed-size binary; Boolean as one byte; floats
 *              after normalising -0 and NaN);
 *   GK_VAR     a 16-byte view per group: u32 length, then the bytes inline
 *              when length <= 12 (zero padded), else a 4-byte prefix and a
 *              u64 offset into `heap`;
 *   GK_GENERIC as GK_VAR over the canonical encoding of the value (nested
 *              types, dictionaries, run-end encoded arrays), decoded into a
 *              builder on emit;
 *   GK_NULL    nothing (the Null type: every value is null).
 * plus one validity byte per group. For each batch, prepare() reads the
 * column once into row-wise scratch (validity bytes, fixed values, views)
 * and folds the column's hashes into the row hashes; append() and compare()
 * then work on lists of rows, one type dispatch per call.
 */
#ifndef QV_EXEC_GROUP_INT_H
#define QV_EXEC_GROUP_INT_H

#include "exec/exec.h"

typedef enum group_key_kind { GK_NULL, GK_FIXED, GK_VAR, GK_GENERIC } group_key_kind;

/* Values longer than this live in the heap; shorter ones inline in the view. */
#define GROUP_INLINE_MAX 12

typedef struct group_key_column {
    arrow_type *type; /* owned reference */
    group_key_kind kind;
    int32_t width;      /* GK_FIXED: bytes per value */
    int32_t float_bits; /* 16, 32, 64 for floats (normalised), else 0 */
    bool is_bool;       /* Boolean: one byte per value in storage, bits in arrays */

    /* Stored groups (capacity `cap`). */
    int64_t cap;
    uint8_t *values; /* FIXED: width bytes per group; VAR/GENERIC: 16-byte views */
    uint8_t *valid;  /* 1 when the group's value is not null */
    uint8_t *heap;   /* VAR/GENERIC: bytes of values longer than GROUP_INLINE_MAX */
    int64_t heap_len;
    int64_t heap_cap;
    int64_t n_null_groups;

    /* The batch being interned (set by group_key_prepare, row-indexed). */
    const uint8_t *b_valid; /* NULL: every row valid */
    const uint8_t *b_fixed; /* FIXED: width bytes per row */
    uint8_t *b_views;       /* VAR/GENERIC: 16 bytes per row (as stored views, offset unset) */
    const uint8_t **b_ptrs; /* VAR/GENERIC: start of each row's bytes */
    int64_t b_long_bytes;   /* heap bytes the batch's long values could need */

    /* Scratch behind the batch pointers, reused across batches. */
    int64_t scratch_rows;
    uint8_t *s_valid;
    uint8_t *s_fixed;
    uint8_t *s_views;
    const uint8_t **s_ptrs;
    uint64_t *s_hash; /* the column's own hashes before folding */
    uint8_t *s_enc;   /* GENERIC: concatenated encodings of the batch */
    int64_t s_enc_cap;
    int64_t *s_enc_off; /* GENERIC: start of row i's encoding in s_enc */
} group_key_column;

/* A strong, cheap 64-bit mixer (murmur3's finaliser); inline so that the
 * hashing loops stay tight. */
static inline uint64_t group_mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
}

/* Folds a column's hash h into a row's running hash. */
static inline uint64_t group_hash_fold(uint64_t running, uint64_t h)
{
    return group_mix64(running * 0x9E3779B97F4A7C15ULL + h);
}

#define GROUP_NULL_HASH 0x2545F4914F6CDD1DULL

/* Sets the column up for key type `type` (retained). QV_NOMEM. */
qv_status group_key_init(group_key_column *col, arrow_type *type, qv_error *err);
void group_key_free(group_key_column *col);
/* Grows group storage to hold at least n_groups groups. QV_NOMEM leaves it as it was. */
qv_status group_key_reserve(group_key_column *col, int64_t n_groups, qv_error *err);
/* Reads array (n_rows elements of the column's type; NULL means every row is
 * null) into the batch scratch and folds each row's hash into hashes[]
 * (first: assign instead of fold). Reserves heap room for the batch's long
 * values. QV_NOMEM / QV_LIMIT (a value of 4 GiB or more) leave the stored
 * groups untouched. */
qv_status group_key_prepare(group_key_column *col, const arrow_array *array, int64_t n_rows,
                            uint64_t *hashes, bool first, qv_error *err);
/* Stores rows[0..n) of the prepared batch as groups first_group.. (storage
 * and heap reserved before; never fails). */
void group_key_append(group_key_column *col, const uint32_t *rows, int64_t n, int64_t first_group);
/* Clears match[k] when row rows[k] of the prepared batch differs from group
 * groups[k]. */
void group_key_compare(const group_key_column *col, const uint32_t *rows, const uint32_t *groups,
                       int64_t n, uint8_t *match);
/* The values of groups [start, start+count) as a new array of the column's type. */
qv_status group_key_emit(const group_key_column *col, int64_t start, int64_t count,
                         arrow_array **out, qv_error *err);
/* Bytes the column holds (storage, heap and scratch). */
int64_t group_key_memory(const group_key_column *col);

/* ---- canonical encoding (group_encode.c) ----
 * Two values of one type are equal for grouping (NULL equals NULL, floats
 * compared after normalising -0 and NaN, dictionaries and run-end encoded
 * arrays by their decoded values) exactly when their encodings are equal. */

/* Appends the encoding of element i of array to *buf (capacity *cap, length
 * *len; grown with base_realloc). QV_NOMEM. */
qv_status group_encode_value(const arrow_array *array, int64_t i, uint8_t **buf, int64_t *len,
                             int64_t *cap, qv_error *err);
/* Appends the value encoded at *pos (of the builder's type) to builder and
 * advances *pos past it. */
qv_status group_decode_value(arrow_builder *builder, const arrow_type *type, const uint8_t **pos,
                             qv_error *err);
/* Normalises a float's bit pattern: -0 to +0, every NaN to one NaN. */
uint64_t group_normalize_float(uint64_t bits, int32_t float_bits);

#endif /* QV_EXEC_GROUP_INT_H */
