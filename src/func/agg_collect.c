/*
 * agg_collect.c — the order-sensitive aggregates that keep rows (layer:
 * func): array_agg (List of the input type, nulls included, NULL for an
 * empty group), string_agg (LargeUtf8, the non-null values joined by a
 * literal delimiter, NULL when there are none), first_value and
 * last_value (the input type; the first / last row a group sees, nulls
 * included). Rows arrive in the caller's order, so keeping arrival order is
 * all the ORDER BY support needed here. array_agg keeps per-group chains of
 * (array, row) references into retained input arrays and copies them once,
 * at evaluate; first / last keep one reference per group (agg_refs.c).
 */
#include "func/agg_int.h"

/* ---- array_agg ---- */

typedef struct chain_entry {
    int64_t row;
    int64_t next; /* next entry of the group, -1 at the end */
    int32_t array;
} chain_entry;

typedef struct array_agg_state {
    func_agg_state base;
    arrow_type *list_type; /* List(input) */
    arrow_array **arrays;  /* retained */
    int64_t n_arrays;
    int64_t arrays_cap;
    int64_t array_bytes;
    chain_entry *entries;
    int64_t n_entries;
    int64_t entries_cap;
    int64_t *head; /* per group, -1 = empty */
    int64_t *tail;
    int64_t groups_cap;
    agg_scratch mask_scratch;
} array_agg_state;

static qv_status aa_ensure(array_agg_state *s, int64_t n_groups, qv_error *err)
{
    if (n_groups <= s->groups_cap)
        return QV_OK;
    int64_t old = s->groups_cap, cap_head = s->groups_cap, cap_tail = s->groups_cap;
    QV_TRY(func_agg_grow((void **)&s->head, &cap_head, n_groups, 8, err));
    QV_TRY(func_agg_grow((void **)&s->tail, &cap_tail, n_groups, 8, err));
    for (int64_t g = old; g < cap_head; g++)
        s->head[g] = s->tail[g] = -1;
    s->groups_cap = cap_head;
    return QV_OK;
}

static qv_status aa_add_array(array_agg_state *s, arrow_array *array, int32_t *index, qv_error *err)
{
    QV_TRY(func_agg_grow((void **)&s->arrays, &s->arrays_cap, s->n_arrays + 1,
                         sizeof(arrow_array *), err));
    s->arrays[s->n_arrays] = arrow_array_retain(array);
    s->array_bytes += func_agg_array_bytes(array);
    *index = (int32_t)s->n_arrays++;
    return QV_OK;
}

/* Appends (array, row) to group g's chain; room must be reserved. */
static inline void aa_push(array_agg_state *s, uint32_t g, int32_t array, int64_t row)
{
    int64_t e = s->n_entries++;
    s->entries[e].array = array;
    s->entries[e].row = row;
    s->entries[e].next = -1;
    if (s->tail[g] >= 0)
        s->entries[s->tail[g]].next = e;
    else
        s->head[g] = e;
    s->tail[g] = e;
}

static qv_status aa_update(func_agg_state *state, const func_datum *args, const uint32_t *group_ids,
                           const uint8_t *rows_selected, int64_t n_rows, int64_t n_groups,
                           qv_error *err)
{
    array_agg_state *s = (array_agg_state *)state;
    QV_TRY(aa_ensure(s, n_groups, err));
    if (n_rows == 0)
        return QV_OK;
    /* Nulls are collected too: only the FILTER selects rows. */
    QV_TRY(func_agg_grow((void **)&s->entries, &s->entries_cap, s->n_entries + n_rows,
                         sizeof(chain_entry), err));
    int32_t idx;
    QV_TRY(aa_add_array(s, args[0].array, &idx, err));
    int64_t step = args[0].is_scalar ? 0 : 1;
    const uint8_t *mask = rows_selected;
    AGG_FOR_ROWS(mask, n_rows, aa_push(s, group_ids[i], idx, i * step));
    return QV_OK;
}

/* The state is the List(input) column evaluate produces. */
static qv_status aa_merge(func_agg_state *state, arrow_array *const *states,
                          const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                          qv_error *err)
{
    array_agg_state *s = (array_agg_state *)state;
    QV_TRY(aa_ensure(s, n_groups, err));
    const arrow_array *lists = states[0];
    if (n_rows == 0 || lists->type->id != QV_TYPE_LIST)
        return QV_OK;
    const int32_t *off = (const int32_t *)(const void *)lists->buffers[1]->data + lists->offset;
    QV_TRY(func_agg_grow((void **)&s->entries, &s->entries_cap,
                         s->n_entries + (off[n_rows] - off[0]), sizeof(chain_entry), err));
    int32_t idx;
    QV_TRY(aa_add_array(s, lists->children[0], &idx, err));
    for (int64_t i = 0; i < n_rows; i++) {
        if (!arrow_array_is_valid(lists, i))
            continue;
        for (int64_t k = off[i]; k < off[i + 1]; k++)
            aa_push(s, group_ids[i], idx, k);
    }
    return QV_OK;
}

static qv_status aa_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                             qv_error *err)
{
    array_agg_state *s = (array_agg_state *)state;
    *out = NULL;
    QV_TRY(aa_ensure(s, n_groups, err));
    arrow_builder *b;
    QV_TRY(arrow_builder_new(s->list_type, &b, err));
    arrow_builder *items = arrow_builder_child(b, 0);
    qv_status st = QV_OK;
    for (int64_t g = 0; g < n_groups && st == QV_OK; g++) {
        for (int64_t e = s->head[g]; e >= 0 && st == QV_OK; e = s->entries[e].next)
            st = arrow_builder_append_from(items, s->arrays[s->entries[e].array], s->entries[e].row,
                                           err);
        if (st == QV_OK)
            st = arrow_builder_end_list(b, s->head[g] >= 0, err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

static qv_status aa_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                         qv_error *err)
{
    return aa_evaluate(state, n_groups, &states_out[0], err);
}

static int64_t aa_memory(const func_agg_state *state)
{
    const array_agg_state *s = (const array_agg_state *)state;
    return (int64_t)sizeof *s + s->array_bytes + s->arrays_cap * (int64_t)sizeof(arrow_array *) +
           s->entries_cap * (int64_t)sizeof(chain_entry) + s->groups_cap * 16 +
           (int64_t)s->mask_scratch.cap;
}

static void aa_free(func_agg_state *state)
{
    array_agg_state *s = (array_agg_state *)state;
    if (s == NULL)
        return;
    for (int64_t i = 0; i < s->n_arrays; i++)
        arrow_array_release(s->arrays[i]);
    base_free(s->arrays);
    base_free(s->entries);
    base_free(s->head);
    base_free(s->tail);
    func_agg_scratch_free(&s->mask_scratch);
    arrow_type_release(s->list_type);
    base_free(s);
}

static const func_agg_ops array_agg_ops = {aa_update, aa_merge, aa_emit, aa_evaluate,
                                           aa_memory, aa_free,  NULL};

static qv_status rt_array_agg(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    AGG_UNUSED(n_args);
    return arrow_type_list_of(QV_TYPE_LIST, types[0], out, err);
}

static qv_status aa_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    *out = NULL;
    array_agg_state *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "aggregate state");
    s->base.ops = &array_agg_ops;
    qv_status st = rt_array_agg(1, call->arg_types, &s->list_type, err);
    if (st != QV_OK) {
        aa_free(&s->base);
        return st;
    }
    *out = &s->base;
    return QV_OK;
}

static qv_status aa_schema(const func_agg_call *call, arrow_schema **out, qv_error *err)
{
    arrow_type *t;
    QV_TRY(rt_array_agg(1, call->arg_types, &t, err));
    qv_status st = func_agg_schema1("array_agg", t, out, err);
    arrow_type_release(t);
    return st;
}

const func_agg_impl func_agg_array_agg_impl = {rt_array_agg, aa_schema, aa_create};

/* ---- string_agg ---- */

typedef struct str_slot {
    uint8_t *data;
    int64_t len;
    int64_t cap;
    bool has;
} str_slot;

typedef struct string_agg_state {
    func_agg_state base;
    char *delim; /* owned copy of the delimiter */
    int64_t delim_len;
    str_slot *slots;
    int64_t slots_cap;
    int64_t bytes;
    agg_scratch mask_scratch;
} string_agg_state;

/* Appends (delimiter when the group has a value) + p[0..len) to a slot. */
static qv_status sa_append(string_agg_state *s, str_slot *slot, const uint8_t *p, int64_t len,
                           qv_error *err)
{
    int64_t extra = (slot->has ? s->delim_len : 0) + len;
    if (slot->len + extra > slot->cap) {
        int64_t cap = slot->cap < 32 ? 32 : slot->cap;
        while (cap < slot->len + extra)
            cap *= 2;
        uint8_t *d = base_realloc(slot->data, (size_t)cap);
        if (d == NULL)
            return base_error_nomem(err, "string_agg value");
        s->bytes += cap - slot->cap;
        slot->data = d;
        slot->cap = cap;
    }
    if (slot->has && s->delim_len > 0) {
        memcpy(slot->data + slot->len, s->delim, (size_t)s->delim_len);
        slot->len += s->delim_len;
    }
    if (len > 0)
        memcpy(slot->data + slot->len, p, (size_t)len);
    slot->len += len;
    slot->has = true;
    return QV_OK;
}

static qv_status sa_update(func_agg_state *state, const func_datum *args, const uint32_t *group_ids,
                           const uint8_t *rows_selected, int64_t n_rows, int64_t n_groups,
                           qv_error *err)
{
    string_agg_state *s = (string_agg_state *)state;
    QV_TRY(func_agg_grow((void **)&s->slots, &s->slots_cap, n_groups, sizeof(str_slot), err));
    const uint8_t *mask;
    bool none;
    QV_TRY(func_agg_rows(args, 1, rows_selected, n_rows, &s->mask_scratch, &mask, &none, err));
    if (none || !func_is_string_id(args[0].array->type->id))
        return QV_OK;
    func_str rd;
    func_str_init(&rd, &args[0]);
    AGG_FOR_ROWS(mask, n_rows, {
        const uint8_t *p;
        int64_t len;
        func_str_at(&rd, i, &p, &len);
        QV_TRY(sa_append(s, &s->slots[group_ids[i]], p, len, err));
    });
    return QV_OK;
}

/* The state is the partial joined string (LargeUtf8, NULL for no value). */
static qv_status sa_merge(func_agg_state *state, arrow_array *const *states,
                          const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                          qv_error *err)
{
    func_datum d = {states[0], false};
    return sa_update(state, &d, group_ids, NULL, n_rows, n_groups, err);
}

static qv_status sa_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                             qv_error *err)
{
    string_agg_state *s = (string_agg_state *)state;
    *out = NULL;
    QV_TRY(func_agg_grow((void **)&s->slots, &s->slots_cap, n_groups, sizeof(str_slot), err));
    arrow_builder *b;
    QV_TRY(arrow_builder_new(arrow_type_primitive(QV_TYPE_LARGE_UTF8), &b, err));
    qv_status st = QV_OK;
    for (int64_t g = 0; g < n_groups && st == QV_OK; g++) {
        if (s->slots[g].has)
            st = arrow_builder_append_bytes(b, s->slots[g].data, s->slots[g].len, err);
        else
            st = arrow_builder_append_null(b, err);
    }
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

static qv_status sa_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                         qv_error *err)
{
    return sa_evaluate(state, n_groups, &states_out[0], err);
}

static int64_t sa_memory(const func_agg_state *state)
{
    const string_agg_state *s = (const string_agg_state *)state;
    return (int64_t)sizeof *s + s->slots_cap * (int64_t)sizeof(str_slot) + s->bytes +
           (int64_t)s->mask_scratch.cap;
}

static void sa_free(func_agg_state *state)
{
    string_agg_state *s = (string_agg_state *)state;
    if (s == NULL)
        return;
    for (int64_t g = 0; g < s->slots_cap; g++)
        base_free(s->slots[g].data);
    base_free(s->slots);
    base_free(s->delim);
    func_agg_scratch_free(&s->mask_scratch);
    base_free(s);
}

static const func_agg_ops string_agg_ops = {sa_update, sa_merge, sa_emit, sa_evaluate,
                                            sa_memory, sa_free,  NULL};

static qv_status rt_string_agg(int n_args, arrow_type *const *types, arrow_type **out,
                               qv_error *err)
{
    AGG_UNUSED(n_args);
    AGG_UNUSED(types);
    AGG_UNUSED(err);
    *out = arrow_type_primitive(QV_TYPE_LARGE_UTF8);
    return QV_OK;
}

static qv_status sa_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    *out = NULL;
    arrow_array *lit = func_agg_literal(call, 1);
    if (lit == NULL)
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: string_agg delimiter must be a "
                              "string literal");
    const uint8_t *p = (const uint8_t *)"";
    int64_t len = 0;
    /* A NULL delimiter joins on the empty string. */
    if (func_is_string_id(lit->type->id) && arrow_array_is_valid(lit, 0)) {
        func_datum d = {lit, true};
        func_str rd;
        func_str_init(&rd, &d);
        func_str_at(&rd, 0, &p, &len);
    } else if (lit->type->id != QV_TYPE_NULL && arrow_array_is_valid(lit, 0)) {
        char name[128];
        func_type_name(lit->type, name, sizeof name);
        return base_error_set(err, QV_NOT_IMPLEMENTED,
                              "This feature is not implemented: StringAgg not supported for "
                              "delimiter of type %s",
                              name);
    }
    string_agg_state *s = base_calloc(1, sizeof *s);
    char *delim = base_strndup((const char *)p, (size_t)len);
    if (s == NULL || delim == NULL) {
        base_free(s);
        base_free(delim);
        return base_error_nomem(err, "aggregate state");
    }
    s->base.ops = &string_agg_ops;
    s->delim = delim;
    s->delim_len = len;
    *out = &s->base;
    return QV_OK;
}

static qv_status sa_schema(const func_agg_call *call, arrow_schema **out, qv_error *err)
{
    AGG_UNUSED(call);
    return func_agg_schema1("string_agg", arrow_type_primitive(QV_TYPE_LARGE_UTF8), out, err);
}

const func_agg_impl func_agg_string_agg_impl = {rt_string_agg, sa_schema, sa_create};

/* ---- first_value / last_value ---- */

typedef struct first_last_state {
    func_agg_state base;
    bool last;
    arrow_type *type;
    agg_refs refs;
} first_last_state;

/* Takes rows where mask is set (NULL: all); a row sets its group when the
 * group has no value yet (first) or always (last). */
static qv_status fl_take(first_last_state *s, const func_datum *arg, const uint32_t *group_ids,
                         const uint8_t *mask, int64_t n_rows, int64_t n_groups, qv_error *err)
{
    agg_refs *r = &s->refs;
    QV_TRY(func_agg_refs_reserve(r, n_groups, err));
    int32_t idx = -1;
    int64_t step = arg->is_scalar ? 0 : 1;
    bool last = s->last;
    AGG_FOR_ROWS(mask, n_rows, {
        uint32_t g = group_ids[i];
        if (last || r->array_of[g] < 0) {
            if (idx < 0) {
                QV_TRY(func_agg_refs_add(r, arg->array, n_groups, &idx, err));
            }
            r->array_of[g] = idx;
            r->row_of[g] = i * step;
        }
    });
    return QV_OK;
}

static qv_status fl_update(func_agg_state *state, const func_datum *args, const uint32_t *group_ids,
                           const uint8_t *rows_selected, int64_t n_rows, int64_t n_groups,
                           qv_error *err)
{
    return fl_take((first_last_state *)state, &args[0], group_ids, rows_selected, n_rows, n_groups,
                   err);
}

/* States: the value, and whether the group has one (Boolean). */
static qv_status fl_merge(func_agg_state *state, arrow_array *const *states,
                          const uint32_t *group_ids, int64_t n_rows, int64_t n_groups,
                          qv_error *err)
{
    first_last_state *s = (first_last_state *)state;
    uint8_t stack_mask[256];
    uint8_t *mask = n_rows <= 256 ? stack_mask : base_alloc((size_t)n_rows);
    if (mask == NULL)
        return base_error_nomem(err, "first/last merge");
    const arrow_array *set = states[1];
    const uint8_t *bits = arrow_array_values(set);
    for (int64_t i = 0; i < n_rows; i++)
        mask[i] = arrow_array_is_valid(set, i) && arrow_bit_get(bits, set->offset + i);
    func_datum d = {states[0], false};
    qv_status st = fl_take(s, &d, group_ids, mask, n_rows, n_groups, err);
    if (mask != stack_mask)
        base_free(mask);
    return st;
}

static qv_status fl_evaluate(func_agg_state *state, int64_t n_groups, arrow_array **out,
                             qv_error *err)
{
    first_last_state *s = (first_last_state *)state;
    QV_TRY(func_agg_refs_reserve(&s->refs, n_groups, err));
    return func_agg_refs_build(&s->refs, n_groups, out, err);
}

static qv_status fl_emit(func_agg_state *state, int64_t n_groups, arrow_array **states_out,
                         qv_error *err)
{
    first_last_state *s = (first_last_state *)state;
    QV_TRY(fl_evaluate(state, n_groups, &states_out[0], err));
    uint8_t *set = base_alloc((size_t)n_groups + 1);
    qv_status st;
    if (set == NULL) {
        st = base_error_nomem(err, "first/last state");
    } else {
        for (int64_t g = 0; g < n_groups; g++)
            set[g] = s->refs.array_of[g] >= 0;
        st = func_agg_make_array(arrow_type_primitive(QV_TYPE_BOOLEAN), n_groups, set, 1, NULL,
                                 &states_out[1], err);
    }
    base_free(set);
    if (st != QV_OK) {
        arrow_array_release(states_out[0]);
        states_out[0] = NULL;
    }
    return st;
}

static int64_t fl_memory(const func_agg_state *state)
{
    const first_last_state *s = (const first_last_state *)state;
    return (int64_t)sizeof *s + func_agg_refs_bytes(&s->refs);
}

static void fl_free(func_agg_state *state)
{
    first_last_state *s = (first_last_state *)state;
    if (s == NULL)
        return;
    func_agg_refs_free(&s->refs);
    arrow_type_release(s->type);
    base_free(s);
}

static const func_agg_ops first_last_ops = {fl_update, fl_merge, fl_emit, fl_evaluate,
                                            fl_memory, fl_free,  NULL};

static qv_status fl_create(bool last, const func_agg_call *call, func_agg_state **out,
                           qv_error *err)
{
    *out = NULL;
    first_last_state *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "aggregate state");
    s->base.ops = &first_last_ops;
    s->last = last;
    s->type = arrow_type_retain(call->arg_types[0]);
    func_agg_refs_init(&s->refs, s->type);
    *out = &s->base;
    return QV_OK;
}

static qv_status fl_schema(const func_agg_call *call, arrow_schema **out, qv_error *err)
{
    static const char *const names[] = {"value", "is_set"};
    arrow_type *types[] = {call->arg_types[0], arrow_type_primitive(QV_TYPE_BOOLEAN)};
    return func_agg_schema(2, names, types, out, err);
}

static qv_status first_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    return fl_create(false, call, out, err);
}

static qv_status last_create(const func_agg_call *call, func_agg_state **out, qv_error *err)
{
    return fl_create(true, call, out, err);
}

const func_agg_impl func_agg_first_value_impl = {func_agg_rt_first, fl_schema, first_create};
const func_agg_impl func_agg_last_value_impl = {func_agg_rt_first, fl_schema, last_create};
