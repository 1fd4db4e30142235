/*
 * cdata_helpers.h — test-only helpers for the C Data Interface and
 * validation tests: arrays assembled by hand from buffers (so the tests do
 * not depend on the builders), and an element-by-element array comparison.
 * Every constructor consumes the references it is given (types, buffers,
 * fields, children) and returns NULL on failure.
 */
#ifndef QV_TEST_CDATA_HELPERS_H
#define QV_TEST_CDATA_HELPERS_H

#include "arrow/arrow.h"

/* Types and fields (consuming their arguments). */
arrow_type *th_prim(arrow_type_id id);
arrow_field *th_field(const char *name, arrow_type *type, bool nullable);
arrow_type *th_list(arrow_type_id id, arrow_type *item);
arrow_type *th_fsl(arrow_type *item, int32_t size);
arrow_type *th_struct2(const char *name_a, arrow_type *a, const char *name_b, arrow_type *b);
arrow_type *th_map(arrow_type *key, arrow_type *value);
arrow_type *th_dict(arrow_type_id index, arrow_type *value);
arrow_type *th_ree(arrow_type_id run_end, arrow_type *value);

/* Buffers. valid: a string of '0'/'1' per element, or NULL for no bitmap. */
arrow_buffer *th_buffer(const void *data, int64_t size);
arrow_buffer *th_bitmap(const char *valid);

/* An array of type with buffers[1..n_buffers) given and buffers[0] made from
 * valid (null_count counted from it). Consumes type, buffers, children and
 * dictionary. */
arrow_array *th_array(arrow_type *type, int64_t length, const char *valid, int32_t n_buffers,
                      arrow_buffer **buffers, int32_t n_children, arrow_array **children,
                      arrow_array *dictionary);
/* Fixed-width values, width bytes each. */
arrow_array *th_fixed(arrow_type *type, int64_t length, const char *valid, const void *values,
                      int64_t width);
/* Strings (NULL entries are nulls) as Utf8/Binary (and Large*) or views. */
arrow_array *th_strings(arrow_type *type, int64_t length, const char *const *strings);
/* LIST / LARGE_LIST / MAP over child with offsets[0..length]. */
arrow_array *th_list_array(arrow_type *type, int64_t length, const char *valid,
                           const int64_t *offsets, arrow_array *child);

/* Element-by-element equality (types, lengths, validity and values; nested
 * values recursively, dictionaries and runs decoded). On a difference,
 * th_compare_message says where. */
bool th_arrays_equal(const arrow_array *a, const arrow_array *b);
extern char th_compare_message[256];

#endif /* QV_TEST_CDATA_HELPERS_H */
