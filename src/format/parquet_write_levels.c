/*
 * parquet_write_levels.c — definition and repetition levels of a leaf
 * column (layer: format), the Dremel shredding arrow-rs' levels builder
 * does: each row of a top-level column is walked along the leaf's steps;
 * a null at an optional step ends the walk with the levels defined so far,
 * an empty list likewise, and each list item after a list's first takes
 * the list's own repetition level. Dictionary leaves give positions in
 * their values array.
 */
#include <string.h>

#include "format/parquet_write_int.h"

static qv_status push(pqw_levels *out, int16_t def, int16_t rep, int64_t value, qv_error *err)
{
    if (out->n == out->cap) {
        int64_t cap = out->cap ? out->cap * 2 : 1024;
        int16_t *def_grown = base_realloc(out->def, (size_t)cap * sizeof *def_grown);
        if (def_grown != NULL)
            out->def = def_grown;
        int16_t *rep_grown =
            def_grown != NULL ? base_realloc(out->rep, (size_t)cap * sizeof *rep_grown) : NULL;
        if (rep_grown == NULL)
            return base_error_nomem(err, "parquet levels");
        out->rep = rep_grown;
        out->cap = cap;
    }
    out->def[out->n] = def;
    out->rep[out->n] = rep;
    out->n++;
    if (value < 0)
        return QV_OK;
    if (out->n_values == out->values_cap) {
        int64_t cap = out->values_cap ? out->values_cap * 2 : 1024;
        int64_t *grown = base_realloc(out->values, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "parquet levels");
        out->values = grown;
        out->values_cap = cap;
    }
    out->values[out->n_values++] = value;
    return QV_OK;
}

/* The dictionary key of element i. */
static int64_t dictionary_key(const arrow_array *a, int64_t i)
{
    const uint8_t *keys = arrow_array_values(a);
    int64_t slot = a->offset + i;
    int32_t bytes = arrow_type_bit_width(a->type->index_type) / 8;
    uint64_t key = 0;
    memcpy(&key, keys + (size_t)bytes * (size_t)slot, (size_t)bytes);
    if (arrow_type_is_signed_integer(a->type->index_type->id) && bytes < 8 &&
        (key >> (8 * bytes - 1)) & 1)
        key |= ~(uint64_t)0 << (8 * bytes);
    return (int64_t)key;
}

static bool element_valid(const arrow_array *a, int64_t i)
{
    if (!arrow_array_is_valid(a, i))
        return false;
    if (a->type->id == QV_TYPE_DICTIONARY)
        return arrow_array_is_valid(a->dictionary, dictionary_key(a, i));
    return true;
}

static qv_status walk(const pqw_leaf *leaf, int32_t step, const arrow_array *a, int64_t i,
                      int16_t def, int16_t rep, pqw_levels *out, qv_error *err)
{
    const pqw_step *s = &leaf->steps[step];
    if (s->nullable && !element_valid(a, i))
        return push(out, def, rep, -1, err);
    if (s->nullable)
        def++;
    switch (s->kind) {
    case PQW_STEP_LEAF:
        if (a->type->id == QV_TYPE_NULL)
            return push(out, def, rep, -1, err);
        if (a->type->id == QV_TYPE_DICTIONARY) {
            out->leaf = a->dictionary;
            return push(out, def, rep, dictionary_key(a, i), err);
        }
        out->leaf = a;
        return push(out, def, rep, i, err);
    case PQW_STEP_STRUCT:
        /* struct children are addressed through the parent's offset */
        return walk(leaf, step + 1, a->children[s->child], a->offset + i, def, rep, out, err);
    case PQW_STEP_LIST: {
        int64_t start, end;
        arrow_list_range(a, i, &start, &end);
        if (start == end)
            return push(out, def, rep, -1, err);
        for (int64_t j = start; j < end; j++)
            QV_TRY(walk(leaf, step + 1, a->children[0], j, (int16_t)(def + 1),
                        j == start ? rep : s->rep_level, out, err));
        return QV_OK;
    }
    }
    return QV_OK;
}

qv_status pqw_levels_compute(const pqw_leaf *leaf, const arrow_array *column, pqw_levels *out,
                             qv_error *err)
{
    out->n = 0;
    out->n_values = 0;
    out->leaf = NULL;
    for (int64_t r = 0; r < column->length; r++)
        QV_TRY(walk(leaf, 0, column, r, 0, 0, out, err));
    return QV_OK;
}

void pqw_levels_free(pqw_levels *levels)
{
    base_free(levels->def);
    base_free(levels->rep);
    base_free(levels->values);
    memset(levels, 0, sizeof *levels);
}
