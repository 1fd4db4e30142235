/*
 * array_int.h — private helpers shared by the array (list) functions
 * (src/func/array_*.c and the nested_*.c files that work on lists; layer:
 * func): list types (dimensions, base types,
 * rebasing), reading List / LargeList / FixedSizeList arguments row by row
 * through one interface, assembling list results from gather indices,
 * element comparison, DataFusion's array-signature coercion and error
 * texts. Not for files outside src/func.
 *
 * Semantics shared by the kernels: a list row's elements are the range its
 * offsets (or fixed size) give, whatever its validity; a Null-typed list
 * argument is null in every row. Scalar datums stand for every row.
 */
#ifndef QV_FUNC_ARRAY_INT_H
#define QV_FUNC_ARRAY_INT_H

#include "func/func_int.h"
#include "func/select.h"

#define ARRAY_UNUSED(x) (void)(x)
#define ARRAY_INVOKE_ARGS                                                                          \
    func_call_ctx *ctx, int n_args, const func_datum *args, int64_t n_rows,                        \
        arrow_type *return_type, func_datum *out, qv_error *err
#define ARRAY_COERCE_ARGS                                                                          \
    const func_coerce_services *svc, int n_args, arrow_type *const *types, arrow_type **targets,   \
        qv_error *err

/* ---- list types (array_coerce.c) ---- */

static inline bool array_is_list_id(arrow_type_id id)
{
    return id == QV_TYPE_LIST || id == QV_TYPE_LARGE_LIST || id == QV_TYPE_FIXED_SIZE_LIST;
}
/* The item type of a list type (borrowed). */
static inline arrow_type *array_item_type(const arrow_type *list)
{
    return list->children[0]->type;
}
/* Number of list levels of t (0 for anything else). */
int32_t array_ndims(const arrow_type *t);
/* The innermost non-list type of t (borrowed; t itself for non-lists). */
arrow_type *array_base_type(arrow_type *t);
/* t with its innermost type replaced by base: list levels keep their
 * kinds, except that FixedSizeList levels become List (DataFusion's
 * FixedSizedListToList) and the outermost level becomes outer_id when that
 * is not QV_TYPE_NULL. New reference in *out. */
qv_status array_rebase(const arrow_type *t, arrow_type *base, arrow_type_id outer_id,
                       arrow_type **out, qv_error *err);

/* ---- reading list arguments (array_common.c) ---- */

typedef struct array_list {
    arrow_type_id id; /* LIST, LARGE_LIST, FIXED_SIZE_LIST, MAP (entries as items),
                       * or NULL (all rows null) */
    const arrow_array *array;
    arrow_array *values;  /* the items (borrowed); NULL for the Null type */
    const int32_t *off32; /* LIST */
    const int64_t *off64; /* LARGE_LIST */
    int64_t fixed_size;   /* FIXED_SIZE_LIST */
    int64_t offset;
    bool scalar;
} array_list;

/* Reads datum d (a list or Null-typed datum; borrowed for l's lifetime). */
void array_list_init(array_list *l, const func_datum *d);
/* Row `row` (row 0 of scalars) is not null. */
static inline bool array_list_valid(const array_list *l, int64_t row)
{
    if (l->id == QV_TYPE_NULL)
        return false;
    const arrow_buffer *validity = l->array->buffers[0];
    return validity == NULL || arrow_bit_get(validity->data, l->offset + (l->scalar ? 0 : row));
}
/* The items of row `row`: values[*start .. *start + *len). */
static inline void array_list_range(const array_list *l, int64_t row, int64_t *start, int64_t *len)
{
    int64_t j = l->offset + (l->scalar ? 0 : row);
    switch (l->id) {
    case QV_TYPE_LIST:
    case QV_TYPE_MAP:
        *start = l->off32[j];
        *len = l->off32[j + 1] - l->off32[j];
        return;
    case QV_TYPE_LARGE_LIST:
        *start = l->off64[j];
        *len = l->off64[j + 1] - l->off64[j];
        return;
    case QV_TYPE_FIXED_SIZE_LIST:
        *start = j * l->fixed_size;
        *len = l->fixed_size;
        return;
    default:
        *start = 0;
        *len = 0;
        return;
    }
}

/* Row i of an Int64 (or Null-typed) datum; false when null. */
static inline bool array_int_at(const func_datum *d, int64_t i, int64_t *v)
{
    if (!func_valid_at(d, i))
        return false;
    *v = ((const int64_t *)arrow_array_values(d->array))[d->array->offset + (d->is_scalar ? 0 : i)];
    return true;
}

/* ---- assembling list results (array_common.c) ----
 * A result is gathered from a source array: each row lists source indices
 * (or nulls), and finishing takes them into the item array. */
typedef struct array_out {
    int64_t n_rows;
    int64_t row;            /* rows ended so far */
    int64_t *offsets;       /* n_rows + 1 */
    arrow_buffer *validity; /* NULL until a row is null */
    uint32_t *indices;
    int64_t n_indices;
    int64_t cap;
} array_out;

qv_status array_out_begin(array_out *o, int64_t n_rows, qv_error *err);
void array_out_free(array_out *o);
qv_status array_out_grow(array_out *o, int64_t extra, qv_error *err);
/* Appends source index `index` (or a null item for index < 0). */
static inline qv_status array_out_push(array_out *o, int64_t index, qv_error *err)
{
    if (o->n_indices == o->cap)
        QV_TRY(array_out_grow(o, 1, err));
    o->indices[o->n_indices++] = index < 0 ? UINT32_MAX : (uint32_t)index;
    return QV_OK;
}
/* Appends source indices start .. start + len. */
qv_status array_out_push_range(array_out *o, int64_t start, int64_t len, qv_error *err);
/* Ends the current row (null when !valid; its items are dropped). */
qv_status array_out_end_row(array_out *o, bool valid, qv_error *err);
/* Builds the result: a list of list_type (LIST or LARGE_LIST) whose items
 * are source taken at the indices; source must have list_type's item type
 * and fewer than UINT32_MAX elements. Frees o. */
qv_status array_out_finish(array_out *o, arrow_type *list_type, arrow_array *source, bool is_scalar,
                           func_datum *out, qv_error *err);
/* The end of a kernel that gathered into o: array_out_finish when st is
 * QV_OK, else frees o and returns st. */
static inline qv_status array_out_close(qv_status st, array_out *o, arrow_type *list_type,
                                        arrow_array *source, bool is_scalar, func_datum *out,
                                        qv_error *err)
{
    if (st != QV_OK) {
        array_out_free(o);
        return st;
    }
    return array_out_finish(o, list_type, source, is_scalar, out, err);
}

/* Every row null: n rows of type (the datum is scalar when is_scalar). */
qv_status array_null_result(arrow_type *type, int64_t n, bool is_scalar, func_datum *out,
                            qv_error *err);
/* Return type of functions that give back their first argument's kind of
 * list: that type, FixedSizeList as List, Null as Null. */
qv_status array_rt_first(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
/* Return types of functions whatever their arguments: Boolean, UInt64,
 * Utf8, Float64. */
qv_status array_rt_boolean(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status array_rt_uint64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status array_rt_utf8(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);
qv_status array_rt_float64(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err);

/* Concatenates parts (all of one type) into *out and sets bases[k] to the
 * index where part k starts; QV_LIMIT past UINT32_MAX - 1 elements. */
qv_status array_concat_parts(int32_t n, arrow_array *const *parts, int64_t *bases,
                             arrow_array **out, qv_error *err);

/* ---- comparing elements (array_common.c) ---- */

/* An ascending, nulls-first comparator for values of type (nulls compare
 * equal to nulls; floats by total order). Free with func_row_comparator_free. */
qv_status array_comparator_new(arrow_type *type, func_row_comparator **out, qv_error *err);
static inline int array_compare(const func_row_comparator *cmp, const arrow_array *a, int64_t i,
                                const arrow_array *b, int64_t j)
{
    arrow_array *aa = (arrow_array *)a, *bb = (arrow_array *)b;
    return func_row_compare(cmp, &aa, i, &bb, j);
}

/* ---- per-row sorted items (array_sorted.c) ----
 * The items of every row of a list, copied row after row into `items`, and
 * for each row the positions of its items in order (ascending or
 * descending, nulls first or last; stable: equal items keep their order).
 * A scalar list has one row. With
 * canonical_zero, float -0.0 items become +0.0 first (the set functions
 * treat them as one value). */
typedef struct array_sorted {
    int64_t n_rows;
    arrow_array *items; /* owned */
    int64_t *row_start; /* n_rows + 1: row r's items are [row_start[r], row_start[r+1]) */
    uint32_t *order;    /* row r's positions, sorted, at order[row_start[r] ..] */
    bool *valid;        /* per row */
} array_sorted;

qv_status array_sorted_build(const array_list *l, int64_t n_rows, bool descending, bool nulls_first,
                             bool canonical_zero, array_sorted *s, qv_error *err);
void array_sorted_free(array_sorted *s);
/* The row of s that stands for result row i (0 for a scalar list). */
static inline int64_t array_sorted_row(const array_sorted *s, int64_t i)
{
    return s->n_rows == 1 ? 0 : i;
}

/* ---- coercion (array_coerce.c) ----
 * DataFusion's array signatures: each argument is an array, an element (of
 * the arrays' item type), an index (Int64) or a string (Utf8). Arrays and
 * elements are coerced to one item type; FixedSizeList becomes List; the
 * arrays become LargeList when any is; a Null array becomes a list of the
 * item type (and stays Null when nothing gives an item type). */
typedef enum array_arg {
    ARRAY_ARG_ARRAY,
    ARRAY_ARG_ELEMENT,
    ARRAY_ARG_INDEX,
    ARRAY_ARG_STRING
} array_arg;

typedef struct array_form {
    int32_t n;
    const array_arg *args;
} array_form;

/* Coerces to the form whose arity matches; without one, or when the types
 * do not fit, the DataFusion planning error naming `name` and the forms. */
qv_status array_coerce_forms(const func_coerce_services *svc, const char *name, int32_t n_forms,
                             const array_form *forms, int n_args, arrow_type *const *types,
                             arrow_type **targets, qv_error *err);
/* "Error during planning: Failed to coerce arguments to satisfy a call to
 * 'name' function: coercion from <types> to the signature <forms> failed" */
qv_status array_coerce_failed(const char *name, int32_t n_forms, const array_form *forms,
                              int n_args, arrow_type *const *types, qv_error *err);
/* Sets targets[i] to want unless types[i] already equals it (want is
 * consumed). */
void array_set_target(arrow_type **targets, int i, arrow_type *const *types, arrow_type *want);

/* Defines coerce function FN for the array function NAME with the
 * array_form table FORMS. */
#define ARRAY_COERCE_FORMS(FN, NAME, FORMS)                                                        \
    static qv_status FN(ARRAY_COERCE_ARGS)                                                         \
    {                                                                                              \
        return array_coerce_forms(svc, NAME, (int32_t)(sizeof FORMS / sizeof FORMS[0]), FORMS,     \
                                  n_args, types, targets, err);                                    \
    }

#define ARRAY_FORM(...)                                                                            \
    {                                                                                              \
        (int32_t)(sizeof((array_arg[]){__VA_ARGS__}) / sizeof(array_arg)), (const array_arg[])     \
        {                                                                                          \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }

/* ---- entry tables ---- */

#define ARRAY_SIG_USER                                                                             \
    {                                                                                              \
        FUNC_SIG_USER_DEFINED, 0, 0, NULL, 0, NULL                                                 \
    }
#define ARRAY_ENTRY(NAME, ALIASES, DESC, PARAMS, RT, INVOKE, COERCE)                               \
    {                                                                                              \
        NAME, ALIASES, FUNC_SCALAR, ARRAY_SIG_USER, FUNC_IMMUTABLE, DESC, PARAMS, .impl.scalar = { \
            RT,                                                                                    \
            INVOKE,                                                                                \
            NULL,                                                                                  \
            COERCE                                                                                 \
        }                                                                                          \
    }

#endif /* QV_FUNC_ARRAY_INT_H */
