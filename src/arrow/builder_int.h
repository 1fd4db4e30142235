/*
 * builder_int.h — private to the builder files of the arrow layer: the
 * builder struct, its layout classes, buffer growth helpers and the seams
 * between builder.c (core, flat types), builder_append.c (typed appends),
 * builder_nested.c (struct, lists, map), builder_dict.c (dictionary, run-end
 * encoded) and builder_from.c (copying elements of existing arrays).
 */
#ifndef QV_ARROW_BUILDER_INT_H
#define QV_ARROW_BUILDER_INT_H

#include "arrow.h"

/* How a builder lays out its values; one dispatch per call switches on it. */
typedef enum builder_kind {
    BK_NULL,         /* no buffers */
    BK_BOOL,         /* bit-packed values */
    BK_FIXED,        /* `width` bytes per value (numbers, temporal, decimal, FSB) */
    BK_VARBIN,       /* int32 offsets + data */
    BK_LARGE_VARBIN, /* int64 offsets + data */
    BK_VIEW,         /* 16-byte views + data buffers */
    BK_LIST,         /* int32 offsets + child (LIST, MAP) */
    BK_LARGE_LIST,   /* int64 offsets + child */
    BK_FSL,          /* child with `width` items per row */
    BK_STRUCT,       /* one child per member */
    BK_DICT,         /* `width`-byte indices; child 0 builds the dictionary */
    BK_REE           /* `width`-byte run ends; child 0 builds the values */
} builder_kind;

typedef struct builder_dict builder_dict;

/*
 * Invariants: bytes of every buffer past its `size` are zero (arrow_buffer
 * keeps that promise on growth), and so are validity bits at and past
 * `length`. The validity bitmap exists only once a null was appended.
 */
struct arrow_builder {
    arrow_type *type; /* owned reference */
    builder_kind kind;
    int32_t width; /* FIXED: value bytes; FSL: list size; DICT, REE: index / run-end bytes */
    int64_t length;
    int64_t null_count;
    arrow_buffer *validity; /* NULL until the first null */
    arrow_buffer *values;   /* values, offsets, views, dictionary indices or run ends */
    arrow_buffer *data;     /* VARBIN: the data; VIEW: the data buffer being filled */
    arrow_buffer **sealed;  /* VIEW: full data buffers, in buffer-index order */
    int32_t n_sealed;
    int32_t cap_sealed;
    int32_t n_children;
    arrow_builder **children; /* owned */
    builder_dict *dict;       /* DICT: the hash table of dictionary values */
    int64_t max_index;        /* DICT: largest index; REE: largest run end */
};

/* Makes room for `extra` more bytes past (*slot)->size, creating the buffer
 * when *slot is NULL. Capacity grows geometrically. QV_NOMEM leaves *slot
 * as it was. */
qv_status arrow_builder_buf_grow(arrow_buffer **slot, int64_t extra, qv_error *err);
static inline qv_status builder_reserve(arrow_buffer **slot, int64_t extra, qv_error *err)
{
    if (*slot != NULL && (*slot)->size + extra <= (*slot)->capacity)
        return QV_OK;
    return arrow_builder_buf_grow(slot, extra, err);
}

/* Makes room for n more validity bits, creating the bitmap (bits of the
 * elements so far set) when it does not exist yet. */
qv_status arrow_builder_validity_grow(arrow_builder *b, int64_t n, qv_error *err);
/* The same, needed only once a bitmap exists or when nulls are coming. */
static inline qv_status builder_validity_reserve(arrow_builder *b, int64_t n, bool nulls,
                                                 qv_error *err)
{
    if (b->validity == NULL && !nulls)
        return QV_OK;
    return arrow_builder_validity_grow(b, n, err);
}
/* Records n more elements as valid or null (space reserved before). */
static inline void builder_commit(arrow_builder *b, int64_t n, bool valid)
{
    if (valid) {
        if (b->validity != NULL)
            for (int64_t i = 0; i < n; i++)
                arrow_bit_set(b->validity->data, b->length + i, true);
    } else {
        b->null_count += n;
    }
    b->length += n;
}

/* The builder whose type the typed appends encode values for: child 0 of a
 * DICT or REE builder, else b itself. */
static inline arrow_builder *builder_value_target(arrow_builder *b)
{
    return b->kind == BK_DICT || b->kind == BK_REE ? b->children[0] : b;
}

/* Appends one value of a flat builder (BOOL: one byte 0/1; FIXED: width
 * bytes; VARBIN, LARGE_VARBIN, VIEW: len bytes). QV_MISUSE for other kinds,
 * QV_OVERFLOW when 32-bit offsets would overflow, QV_NOMEM. */
qv_status arrow_builder_append_raw(arrow_builder *b, const uint8_t *bytes, int64_t len,
                                   qv_error *err);
/* Appends an encoded value to b: plainly, or through its dictionary or runs. */
qv_status arrow_builder_append_encoded(arrow_builder *b, const uint8_t *bytes, int64_t len,
                                       qv_error *err);
/* Points *bytes and *len at value i of a flat builder (tmp holds BOOL's byte). */
void arrow_builder_peek(const arrow_builder *b, int64_t i, const uint8_t **bytes, int64_t *len,
                        uint8_t *tmp);
/* True for kinds arrow_builder_append_raw and arrow_builder_peek handle. */
static inline bool builder_kind_is_flat(builder_kind kind)
{
    return kind == BK_BOOL || kind == BK_FIXED || kind == BK_VARBIN || kind == BK_LARGE_VARBIN ||
           kind == BK_VIEW;
}

/* Appends count offsets equal to end (VARBIN, LARGE_VARBIN, LIST,
 * LARGE_LIST), as valid or null elements. QV_OVERFLOW past 32-bit offsets. */
qv_status arrow_builder_push_offsets(arrow_builder *b, int64_t count, int64_t end, bool valid,
                                     qv_error *err);

/* Releases b's buffers and empties it (children too), keeping its type. */
void arrow_builder_reset(arrow_builder *b);

/* builder_nested.c: nulls and finishing of STRUCT, LIST, LARGE_LIST, MAP, FSL. */
qv_status arrow_builder_nested_nulls(arrow_builder *b, int64_t count, qv_error *err);
qv_status arrow_builder_nested_finish(arrow_builder *b, arrow_array **out, qv_error *err);

/* builder_dict.c: dictionary and run-end encoded builders. */
qv_status arrow_builder_dict_init(arrow_builder *b, qv_error *err);
void arrow_builder_dict_free(arrow_builder *b);
qv_status arrow_builder_dict_append(arrow_builder *b, const uint8_t *bytes, int64_t len,
                                    qv_error *err);
qv_status arrow_builder_ree_append(arrow_builder *b, const uint8_t *bytes, int64_t len,
                                   int64_t count, qv_error *err);
qv_status arrow_builder_dict_finish(arrow_builder *b, arrow_array **out, qv_error *err);
qv_status arrow_builder_ree_finish(arrow_builder *b, arrow_array **out, qv_error *err);
void arrow_builder_dict_clear(arrow_builder *b);

/* builder.c: finishes the own buffers of b with children and dictionary
 * already built (both may be NULL / zero); on failure releases nothing of
 * the caller's. */
qv_status arrow_builder_assemble(arrow_builder *b, int32_t n_buffers, arrow_buffer **buffers,
                                 int32_t n_children, arrow_array **children,
                                 arrow_array *dictionary, int64_t null_count, arrow_array **out,
                                 qv_error *err);

#endif /* QV_ARROW_BUILDER_INT_H */
