/*
 * builder_nested.c — builders of nested types: STRUCT, LIST, LARGE_LIST,
 * MAP and FIXED_SIZE_LIST (layer: arrow). Children are ordinary builders;
 * the parent only records validity, offsets, and checks lengths.
 */
#include "builder_int.h"

/* Returns child i of a STRUCT, LIST, LARGE_LIST, MAP (the entries struct) or
 * FIXED_SIZE_LIST builder (borrowed, lives as long as b); NULL for other
 * types or an index out of range. */
arrow_builder *arrow_builder_child(arrow_builder *b, int32_t i)
{
    if (b == NULL || b->kind == BK_DICT || b->kind == BK_REE || i < 0 || i >= b->n_children)
        return NULL;
    return b->children[i];
}

qv_status arrow_builder_nested_nulls(arrow_builder *b, int64_t count, qv_error *err)
{
    switch (b->kind) {
    case BK_LIST:
    case BK_LARGE_LIST:
        return arrow_builder_push_offsets(b, count, b->children[0]->length, false, err);
    case BK_FSL:
        if (b->width > 0 && count > INT64_MAX / 64 / b->width)
            return base_error_set(err, QV_OVERFLOW, "too many fixed-size list items");
        QV_TRY(builder_validity_reserve(b, count, true, err));
        QV_TRY(arrow_builder_append_nulls(b->children[0], count * b->width, err));
        builder_commit(b, count, false);
        return QV_OK;
    case BK_STRUCT:
        QV_TRY(builder_validity_reserve(b, count, true, err));
        for (int32_t i = 0; i < b->n_children; i++)
            QV_TRY(arrow_builder_append_nulls(b->children[i], count, err));
        builder_commit(b, count, false);
        return QV_OK;
    default:
        return base_error_set(err, QV_MISUSE, "not a nested builder");
    }
}

/* Ends a STRUCT row whose members were appended to the children, as valid
 * or null. QV_MISUSE for other types, QV_INVALID when a child does not hold
 * exactly one more value than the struct, QV_NOMEM. */
qv_status arrow_builder_append_struct(arrow_builder *b, bool valid, qv_error *err)
{
    if (b == NULL || b->kind != BK_STRUCT)
        return base_error_set(err, QV_MISUSE, "arrow_builder_append_struct: not a struct builder");
    for (int32_t i = 0; i < b->n_children; i++)
        if (b->children[i]->length != b->length + 1)
            return base_error_set(err, QV_INVALID,
                                  "struct member %d holds %lld values for row %lld", i,
                                  (long long)b->children[i]->length, (long long)b->length);
    QV_TRY(builder_validity_reserve(b, 1, !valid, err));
    builder_commit(b, 1, valid);
    return QV_OK;
}

/* Ends a LIST, LARGE_LIST or MAP row made of the items appended to child 0
 * since the previous row, or a FIXED_SIZE_LIST row (QV_INVALID unless
 * exactly fixed_size items were appended). QV_MISUSE for other types,
 * QV_OVERFLOW past 32-bit offsets, QV_NOMEM. */
qv_status arrow_builder_end_list(arrow_builder *b, bool valid, qv_error *err)
{
    if (b == NULL)
        return base_error_set(err, QV_MISUSE, "arrow_builder_end_list: NULL builder");
    switch (b->kind) {
    case BK_LIST:
    case BK_LARGE_LIST:
        return arrow_builder_push_offsets(b, 1, b->children[0]->length, valid, err);
    case BK_FSL:
        if (b->children[0]->length != (b->length + 1) * b->width)
            return base_error_set(
                err, QV_INVALID, "fixed-size list of %d: child holds %lld items for %lld rows",
                b->width, (long long)b->children[0]->length, (long long)(b->length + 1));
        QV_TRY(builder_validity_reserve(b, 1, !valid, err));
        builder_commit(b, 1, valid);
        return QV_OK;
    default:
        return base_error_set(err, QV_MISUSE, "arrow_builder_end_list: not a list builder");
    }
}

qv_status arrow_builder_nested_finish(arrow_builder *b, arrow_array **out, qv_error *err)
{
    int64_t want = b->kind == BK_STRUCT ? b->length : b->kind == BK_FSL ? b->length * b->width : -1;
    for (int32_t i = 0; i < b->n_children && want >= 0; i++) {
        if (b->children[i]->length != want) {
            arrow_builder_reset(b);
            return base_error_set(err, QV_INVALID,
                                  "child %d holds %lld values where %lld are expected", i,
                                  (long long)b->children[i]->length, (long long)want);
        }
    }
    arrow_array *small[4] = {NULL, NULL, NULL, NULL};
    arrow_array **children = small;
    if (b->n_children > 4) {
        children = base_calloc((size_t)b->n_children, sizeof *children);
        if (children == NULL) {
            arrow_builder_reset(b);
            return base_error_nomem(err, "struct children");
        }
    }
    qv_status status = QV_OK;
    for (int32_t i = 0; i < b->n_children && status == QV_OK; i++)
        status = arrow_builder_finish(b->children[i], &children[i], err);
    bool has_offsets = b->kind == BK_LIST || b->kind == BK_LARGE_LIST;
    if (status == QV_OK && has_offsets && (b->values == NULL || b->values->size == 0)) {
        int64_t width = b->kind == BK_LIST ? 4 : 8;
        status = builder_reserve(&b->values, width, err);
        if (status == QV_OK)
            b->values->size = width;
    }
    if (status == QV_OK) {
        arrow_buffer *buffers[2] = {NULL, b->values};
        if (b->null_count > 0) {
            b->validity->size = (b->length + 7) / 8;
            buffers[0] = b->validity;
        }
        status = arrow_builder_assemble(b, has_offsets ? 2 : 1, buffers, b->n_children, children,
                                        NULL, b->null_count, out, err);
    } else {
        arrow_builder_reset(b);
    }
    for (int32_t i = 0; i < b->n_children; i++)
        arrow_array_release(children[i]);
    if (children != small)
        base_free(children);
    return status;
}
