/*
 * window_registry.c — the table of builtin window functions (layer: func):
 * names, DataFusion's signatures, descriptions and the func_window_impl of
 * each; the lookup for calls with OVER; and the helpers the window files
 * share (frame ranges after EXCLUDE, constant integer arguments, picked
 * rows).
 */
#include <strings.h>

#include "func/window_int.h"

/* ---- shared helpers ---- */

int func_window_frame_ranges(const func_window_rows *rows, int64_t i, int64_t starts[3],
                             int64_t ends[3])
{
    int64_t fs = rows->frame_start[i], fe = rows->frame_end[i];
    int count = 0;
    if (fs >= fe)
        return 0;
    int64_t cut_start, cut_end; /* the excluded rows [cut_start, cut_end) */
    switch (rows->exclude) {
    case FUNC_WINDOW_EXCLUDE_CURRENT_ROW:
        cut_start = i;
        cut_end = i + 1;
        break;
    case FUNC_WINDOW_EXCLUDE_GROUP:
    case FUNC_WINDOW_EXCLUDE_TIES:
        cut_start = rows->peer_start[i];
        cut_end = rows->peer_end[i];
        break;
    default:
        starts[0] = fs;
        ends[0] = fe;
        return 1;
    }
    int64_t before_end = cut_start < fe ? cut_start : fe;
    if (fs < before_end) {
        starts[count] = fs;
        ends[count++] = before_end;
    }
    if (rows->exclude == FUNC_WINDOW_EXCLUDE_TIES && i >= fs && i < fe) {
        starts[count] = i;
        ends[count++] = i + 1;
    }
    int64_t after_start = cut_end > fs ? cut_end : fs;
    if (after_start < fe) {
        starts[count] = after_start;
        ends[count++] = fe;
    }
    return count;
}

qv_status func_window_int_arg(const arrow_array *literal, const char *what, int64_t *value,
                              bool *is_null, qv_error *err)
{
    *value = 0;
    *is_null = false;
    if (literal->type->id == QV_TYPE_NULL || !arrow_array_is_valid(literal, 0)) {
        *is_null = true;
        return QV_OK;
    }
    const uint8_t *v = arrow_array_values(literal);
    int64_t at = literal->offset;
    switch (literal->type->id) {
    case QV_TYPE_INT8:
        *value = ((const int8_t *)(const void *)v)[at];
        return QV_OK;
    case QV_TYPE_INT16:
        *value = ((const int16_t *)(const void *)v)[at];
        return QV_OK;
    case QV_TYPE_INT32:
        *value = ((const int32_t *)(const void *)v)[at];
        return QV_OK;
    case QV_TYPE_INT64:
        *value = ((const int64_t *)(const void *)v)[at];
        return QV_OK;
    case QV_TYPE_UINT8:
        *value = ((const uint8_t *)(const void *)v)[at];
        return QV_OK;
    case QV_TYPE_UINT16:
        *value = ((const uint16_t *)(const void *)v)[at];
        return QV_OK;
    case QV_TYPE_UINT32:
        *value = ((const uint32_t *)(const void *)v)[at];
        return QV_OK;
    case QV_TYPE_UINT64: {
        uint64_t u = ((const uint64_t *)(const void *)v)[at];
        *value = u > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)u;
        return QV_OK;
    }
    default:
        return base_error_set(err, QV_EXECUTION, "Execution error: %s", what);
    }
}

qv_status func_window_picks_init(const func_datum *value, int64_t n_rows, bool ignore_nulls,
                                 func_window_picks *picks, qv_error *err)
{
    picks->prefix = base_alloc((size_t)(n_rows + 1) * sizeof *picks->prefix);
    picks->rows = base_alloc((size_t)(n_rows > 0 ? n_rows : 1) * sizeof *picks->rows);
    if (picks->prefix == NULL || picks->rows == NULL) {
        func_window_picks_free(picks);
        return base_error_nomem(err, "window function");
    }
    int64_t k = 0;
    for (int64_t i = 0; i < n_rows; i++) {
        picks->prefix[i] = k;
        if (!ignore_nulls || func_valid_at(value, i))
            picks->rows[k++] = i;
    }
    picks->prefix[n_rows] = k;
    return QV_OK;
}

void func_window_picks_free(func_window_picks *picks)
{
    base_free(picks->prefix);
    base_free(picks->rows);
    picks->prefix = NULL;
    picks->rows = NULL;
}

/* ---- the table ---- */

static const arrow_type_id t_integers[] = {QV_TYPE_INT8,   QV_TYPE_INT16, QV_TYPE_INT32,
                                           QV_TYPE_INT64,  QV_TYPE_UINT8, QV_TYPE_UINT16,
                                           QV_TYPE_UINT32, QV_TYPE_UINT64};
static const func_signature offset_alts[] = {
    {FUNC_SIG_ANY, 1, 0, NULL, 0, NULL},
    {FUNC_SIG_ANY, 2, 0, NULL, 0, NULL},
    {FUNC_SIG_ANY, 3, 0, NULL, 0, NULL},
};

static const char *const p_offset[] = {"expr", "offset", "default", NULL};
static const char *const p_expr[] = {"expr", NULL};
static const char *const p_nth[] = {"expr", "n", NULL};

#define SIG_NULLARY                                                                                \
    {                                                                                              \
        FUNC_SIG_NULLARY, 0, 0, NULL, 0, NULL                                                      \
    }
#define SIG_ANY(N)                                                                                 \
    {                                                                                              \
        FUNC_SIG_ANY, N, 0, NULL, 0, NULL                                                          \
    }
#define SIG_NTILE                                                                                  \
    {                                                                                              \
        FUNC_SIG_UNIFORM, 1, 8, t_integers, 0, NULL                                                \
    }
#define SIG_OFFSET                                                                                 \
    {                                                                                              \
        FUNC_SIG_ONE_OF, 0, 0, NULL, 3, offset_alts                                                \
    }
#define WINDOW(NAME, SIG, DESC, PARAMS, IMPL)                                                      \
    {                                                                                              \
        NAME, NULL, FUNC_WINDOW, SIG, FUNC_IMMUTABLE, DESC, PARAMS,                                \
            .impl.window = &func_window_##IMPL##_impl                                              \
    }

const func_entry func_window_entries[] = {
    WINDOW("row_number", SIG_NULLARY,
           "Number of the current row within its partition, counting from 1.", NULL, row_number),
    WINDOW("rank", SIG_NULLARY, "Returns the rank of the current row with gaps.", NULL, rank),
    WINDOW("dense_rank", SIG_NULLARY, "Returns the rank of the current row without gaps.", NULL,
           dense_rank),
    WINDOW("percent_rank", SIG_NULLARY,
           "Returns the percentage rank of the current row within its partition.", NULL,
           percent_rank),
    WINDOW("cume_dist", SIG_NULLARY,
           "Relative rank of the current row: (number of rows preceding or peer with the "
           "current row) / (total rows).",
           NULL, cume_dist),
    WINDOW("ntile", SIG_NTILE,
           "Integer ranging from 1 to the argument value, dividing the partition as equally as "
           "possible.",
           p_expr, ntile),
    WINDOW("lag", SIG_OFFSET,
           "Returns the value evaluated at the row that is offset rows before the current row "
           "within the partition.",
           p_offset, lag),
    WINDOW("lead", SIG_OFFSET,
           "Returns the value evaluated at the row that is offset rows after the current row "
           "within the partition.",
           p_offset, lead),
    WINDOW("nth_value", SIG_ANY(2),
           "Returns the value evaluated at the row that is the nth row of the window frame.", p_nth,
           nth_value),
};
const int32_t func_window_entry_count =
    (int32_t)(sizeof func_window_entries / sizeof func_window_entries[0]);

/* first_value, last_value and nth_value with OVER: aggregates of these
 * names (may) hold the names in the registry, so the binder reaches these
 * through func_window_lookup. (nth_value is also in the registry table
 * above while no aggregate nth_value exists; one that comes replaces it
 * there.) */
static const func_entry value_entries[] = {
    WINDOW("first_value", SIG_ANY(1),
           "Returns the value evaluated at the row that is the first row of the window frame.",
           p_expr, first_value),
    WINDOW("last_value", SIG_ANY(1),
           "Returns the value evaluated at the row that is the last row of the window frame.",
           p_expr, last_value),
    WINDOW("nth_value", SIG_ANY(2),
           "Returns the value evaluated at the row that is the nth row of the window frame.", p_nth,
           nth_value),
};

const func_entry *func_window_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof value_entries / sizeof value_entries[0]; i++)
        if (strcasecmp(value_entries[i].name, name) == 0)
            return &value_entries[i];
    for (int32_t i = 0; i < func_window_entry_count; i++)
        if (strcasecmp(func_window_entries[i].name, name) == 0)
            return &func_window_entries[i];
    return NULL;
}
