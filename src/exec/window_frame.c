/*
 * window_frame.c — window frames (layer: exec): for every row of a chunk
 * the rows [start, end) its frame covers, for ROWS (row offsets), GROUPS
 * (peer group offsets) and RANGE (CURRENT ROW: the peers; offsets: the
 * rows whose ORDER BY value lies within the offset of the current row's,
 * found with two monotone pointers). RANGE offsets work on numbers (as
 * 128-bit integers or doubles) and on dates and timestamps (intervals
 * added with calendar arithmetic); a row whose key is NULL gets the NULL
 * rows as its offset bounds.
 */
#include <math.h>
#include <string.h>

#include "exec/window_int.h"

static int64_t clamp_add(int64_t base, uint64_t delta, int64_t hi)
{
    return delta >= (uint64_t)(hi - base) ? hi : base + (int64_t)delta;
}

static int64_t clamp_sub(int64_t base, uint64_t delta, int64_t lo)
{
    return delta >= (uint64_t)(base - lo) ? lo : base - (int64_t)delta;
}

static uint64_t row_offset(const plan_frame_bound *b)
{
    return ((const uint64_t *)(const void *)arrow_array_values(b->offset))[b->offset->offset];
}

/* ---- ROWS ---- */

static void rows_frame(const plan_window_frame *f, int64_t ps, int64_t pe, int64_t *start,
                       int64_t *end)
{
    for (int64_t i = ps; i < pe; i++) {
        switch (f->start.kind) {
        case PLAN_BOUND_PRECEDING:
            start[i] = clamp_sub(i, row_offset(&f->start), ps);
            break;
        case PLAN_BOUND_CURRENT_ROW:
            start[i] = i;
            break;
        case PLAN_BOUND_FOLLOWING:
            start[i] = clamp_add(i, row_offset(&f->start), pe);
            break;
        default:
            start[i] = ps;
            break;
        }
        switch (f->end.kind) {
        case PLAN_BOUND_PRECEDING: {
            uint64_t k = row_offset(&f->end);
            end[i] = k > (uint64_t)(i - ps) ? ps : i - (int64_t)k + 1;
            break;
        }
        case PLAN_BOUND_CURRENT_ROW:
            end[i] = i + 1;
            break;
        case PLAN_BOUND_FOLLOWING:
            end[i] = clamp_add(i + 1, row_offset(&f->end), pe);
            break;
        default:
            end[i] = pe;
            break;
        }
    }
}

/* ---- GROUPS ---- */

/* The first row of peer group g of the partition (pe past the last). */
static int64_t group_start(const int64_t *starts, int64_t n_groups, window_i128 g, int64_t ps,
                           int64_t pe)
{
    if (g < 0)
        return ps;
    return g >= n_groups ? pe : starts[(int64_t)g];
}

static qv_status groups_frame(const plan_window_frame *f, const window_chunk *c, int64_t ps,
                              int64_t pe, int64_t *start, int64_t *end, qv_error *err)
{
    int64_t *starts = base_alloc((size_t)(pe - ps) * sizeof *starts);
    if (starts == NULL)
        return base_error_nomem(err, "window frame");
    int64_t n_groups = 0, g = -1;
    for (int64_t i = ps; i < pe; i = c->peer_end[i])
        starts[n_groups++] = i;
    for (int64_t i = ps; i < pe; i++) {
        if (c->peer_start[i] == i)
            g++;
        switch (f->start.kind) {
        case PLAN_BOUND_PRECEDING:
            start[i] =
                group_start(starts, n_groups, (window_i128)g - row_offset(&f->start), ps, pe);
            break;
        case PLAN_BOUND_CURRENT_ROW:
            start[i] = c->peer_start[i];
            break;
        case PLAN_BOUND_FOLLOWING:
            start[i] =
                group_start(starts, n_groups, (window_i128)g + row_offset(&f->start), ps, pe);
            break;
        default:
            start[i] = ps;
            break;
        }
        switch (f->end.kind) {
        case PLAN_BOUND_PRECEDING:
            end[i] =
                group_start(starts, n_groups, (window_i128)g - row_offset(&f->end) + 1, ps, pe);
            break;
        case PLAN_BOUND_CURRENT_ROW:
            end[i] = c->peer_end[i];
            break;
        case PLAN_BOUND_FOLLOWING:
            end[i] =
                group_start(starts, n_groups, (window_i128)g + row_offset(&f->end) + 1, ps, pe);
            break;
        default:
            end[i] = pe;
            break;
        }
    }
    base_free(starts);
    return QV_OK;
}

/* ---- RANGE ---- */

/* Values of a key (or target) column in an order that sorts like the key
 * ascending: integers, dates, timestamps and decimals as 128-bit integers,
 * floats as doubles; negated for a descending key. */
typedef struct range_values {
    bool real;
    window_i128 *ints;
    double *reals;
} range_values;

static bool range_kind(arrow_type_id id, bool *real)
{
    *real = arrow_type_is_floating(id);
    return *real || arrow_type_is_integer(id) || id == QV_TYPE_DATE32 || id == QV_TYPE_DATE64 ||
           id == QV_TYPE_TIMESTAMP || id == QV_TYPE_DECIMAL128;
}

static window_i128 int_at(const arrow_array *a, int64_t i)
{
    const uint8_t *v = arrow_array_values(a);
    int64_t at = a->offset + i;
    switch (a->type->id) {
    case QV_TYPE_INT8:
        return ((const int8_t *)(const void *)v)[at];
    case QV_TYPE_INT16:
        return ((const int16_t *)(const void *)v)[at];
    case QV_TYPE_INT32:
    case QV_TYPE_DATE32:
        return ((const int32_t *)(const void *)v)[at];
    case QV_TYPE_UINT8:
        return v[at];
    case QV_TYPE_UINT16:
        return ((const uint16_t *)(const void *)v)[at];
    case QV_TYPE_UINT32:
        return ((const uint32_t *)(const void *)v)[at];
    case QV_TYPE_UINT64:
        return ((const uint64_t *)(const void *)v)[at];
    case QV_TYPE_DECIMAL128: {
        window_i128 x;
        memcpy(&x, v + at * 16, 16);
        return x;
    }
    default:
        return ((const int64_t *)(const void *)v)[at];
    }
}

static double real_at(const arrow_array *a, int64_t i)
{
    const uint8_t *v = arrow_array_values(a);
    if (a->type->id == QV_TYPE_FLOAT32)
        return ((const float *)(const void *)v)[a->offset + i];
    if (a->type->id == QV_TYPE_FLOAT64)
        return ((const double *)(const void *)v)[a->offset + i];
    /* Float16 */
    uint16_t h = ((const uint16_t *)(const void *)v)[a->offset + i];
    int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    double mag = exp == 0    ? ldexp(mant, -24)
                 : exp == 31 ? (mant ? NAN : INFINITY)
                             : ldexp(mant + 1024, exp - 25);
    return (h & 0x8000) ? -mag : mag;
}

/* Loads rows [from, to) of a (n values) into vals, negated when desc. */
static qv_status load(const arrow_array *a, bool real, bool desc, int64_t n, range_values *vals,
                      qv_error *err)
{
    vals->real = real;
    if (real)
        vals->reals = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *vals->reals);
    else
        vals->ints = base_alloc((size_t)(n > 0 ? n : 1) * sizeof *vals->ints);
    if (real ? vals->reals == NULL : vals->ints == NULL)
        return base_error_nomem(err, "window frame");
    for (int64_t i = 0; i < n; i++) {
        if (real) {
            double x = real_at(a, i);
            vals->reals[i] = desc ? -x : x;
        } else {
            window_i128 x = int_at(a, i);
            vals->ints[i] = desc ? -x : x;
        }
    }
    return QV_OK;
}

static void unload(range_values *vals)
{
    base_free(vals->ints);
    base_free(vals->reals);
    vals->ints = NULL;
    vals->reals = NULL;
}

/* key[j] < target[i] (strict) or <= (inclusive). */
static bool before(const range_values *key, int64_t j, const range_values *target, int64_t i,
                   bool inclusive)
{
    if (key->real) {
        double a = key->reals[j], b = target->reals[i];
        /* NaN sorts last, like the sort that ordered the rows. */
        if (isnan(a) || isnan(b))
            return inclusive ? isnan(b) || !isnan(a) : !isnan(a) && isnan(b);
        return inclusive ? a <= b : a < b;
    }
    return inclusive ? key->ints[j] <= target->ints[i] : key->ints[j] < target->ints[i];
}

/* The targets of one offset bound: key +/- offset for every row, in the
 * ascending order of load (add: whether the bound lies after the row in
 * the key's own direction). */
static qv_status bound_targets(const window_chunk *c, const plan_frame_bound *b, bool real,
                               range_values *out, qv_error *err)
{
    bool after = b->kind == PLAN_BOUND_FOLLOWING;
    /* In the key's natural order, FOLLOWING is +offset ascending and
     * -offset descending. */
    bool add = after != c->descending;
    int64_t n = c->n_rows;
    arrow_type_id id = c->order_key->type->id;
    if (b->offset->type->id == QV_TYPE_INTERVAL_MONTH_DAY_NANO || id == QV_TYPE_DATE32 ||
        id == QV_TYPE_DATE64 || id == QV_TYPE_TIMESTAMP) {
        func_datum key = func_datum_array(c->order_key), off = func_datum_scalar(b->offset);
        func_datum moved = {0};
        qv_status st = func_temporal_arith(add ? FUNC_ADD : FUNC_SUB, &key, &off, n, &moved, err);
        func_datum_release(&key);
        func_datum_release(&off);
        if (st != QV_OK)
            return st;
        st = load(moved.array, false, c->descending, n, out, err);
        func_datum_release(&moved);
        return st;
    }
    QV_TRY(load(c->order_key, real, c->descending, n, out, err));
    range_values off = {0};
    qv_status st = load(b->offset, real, false, 1, &off, err);
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        /* Ascending space: after the row means larger. */
        if (real)
            out->reals[i] += after ? off.reals[0] : -off.reals[0];
        else
            out->ints[i] += after ? off.ints[0] : -off.ints[0];
    }
    unload(&off);
    if (st != QV_OK)
        unload(out);
    return st;
}

static qv_status range_frame(const plan_window_frame *f, const window_chunk *c, int64_t *start,
                             int64_t *end, qv_error *err)
{
    bool start_offset =
        f->start.kind == PLAN_BOUND_PRECEDING || f->start.kind == PLAN_BOUND_FOLLOWING;
    bool end_offset = f->end.kind == PLAN_BOUND_PRECEDING || f->end.kind == PLAN_BOUND_FOLLOWING;
    range_values key = {0}, lo = {0}, hi = {0};
    bool real = false;
    qv_status st = QV_OK;
    if (start_offset || end_offset) {
        if (c->order_key == NULL || !range_kind(c->order_key->type->id, &real))
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: RANGE frame offsets over an "
                                  "ORDER BY key of this type");
        st = load(c->order_key, real, c->descending, c->n_rows, &key, err);
        if (st == QV_OK && start_offset)
            st = bound_targets(c, &f->start, real, &lo, err);
        if (st == QV_OK && end_offset)
            st = bound_targets(c, &f->end, real, &hi, err);
    }
    for (int64_t p = 0; st == QV_OK && p < c->n_partitions; p++) {
        int64_t ps = c->partition_offsets[p], pe = c->partition_offsets[p + 1];
        /* The rows with a non-null key: [vs, ve); the NULL rows sort first
         * or last. */
        int64_t vs = ps, ve = pe;
        if (c->order_key != NULL && (start_offset || end_offset)) {
            if (c->nulls_first)
                while (vs < pe && !arrow_array_is_valid(c->order_key, vs))
                    vs++;
            else
                while (ve > ps && !arrow_array_is_valid(c->order_key, ve - 1))
                    ve--;
        }
        int64_t s_ptr = vs, e_ptr = vs;
        for (int64_t i = ps; i < pe; i++) {
            bool null_key = i < vs || i >= ve;
            switch (f->start.kind) {
            case PLAN_BOUND_CURRENT_ROW:
                start[i] = c->peer_start[i];
                break;
            case PLAN_BOUND_PRECEDING:
            case PLAN_BOUND_FOLLOWING:
                if (null_key) {
                    start[i] = c->peer_start[i];
                    break;
                }
                while (s_ptr < ve && before(&key, s_ptr, &lo, i, false))
                    s_ptr++;
                start[i] = s_ptr;
                break;
            default:
                start[i] = ps;
                break;
            }
            switch (f->end.kind) {
            case PLAN_BOUND_CURRENT_ROW:
                end[i] = c->peer_end[i];
                break;
            case PLAN_BOUND_PRECEDING:
            case PLAN_BOUND_FOLLOWING:
                if (null_key) {
                    end[i] = c->peer_end[i];
                    break;
                }
                while (e_ptr < ve && before(&key, e_ptr, &hi, i, true))
                    e_ptr++;
                end[i] = e_ptr;
                break;
            default:
                end[i] = pe;
                break;
            }
        }
    }
    unload(&key);
    unload(&lo);
    unload(&hi);
    return st;
}

qv_status window_frames(const plan_window_frame *frame, const window_chunk *chunk, int64_t *start,
                        int64_t *end, qv_error *err)
{
    if (frame->units == PLAN_FRAME_RANGE) {
        QV_TRY(range_frame(frame, chunk, start, end, err));
    } else {
        for (int64_t p = 0; p < chunk->n_partitions; p++) {
            int64_t ps = chunk->partition_offsets[p], pe = chunk->partition_offsets[p + 1];
            if (frame->units == PLAN_FRAME_ROWS)
                rows_frame(frame, ps, pe, start, end);
            else
                QV_TRY(groups_frame(frame, chunk, ps, pe, start, end, err));
        }
    }
    for (int64_t i = 0; i < chunk->n_rows; i++)
        if (start[i] > end[i])
            start[i] = end[i];
    return QV_OK;
}
