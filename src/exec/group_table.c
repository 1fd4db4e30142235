/*
 * group_table.c — the group table (layer: exec): interns rows of key
 * columns into dense group ids, for hash aggregation, DISTINCT and later
 * join build sides.
 *
 * Open addressing with linear probing over 8-byte slots {group id, hash
 * tag}; the full 64-bit hash of every group is kept (group_hashes) so that
 * growing rehashes without touching the keys. Work is batch-at-a-time:
 * every key column is hashed for the whole batch (group_keys.c), then the
 * rows probe in rounds — a row either claims an empty slot (a new group,
 * whose keys are stored for all such rows at once) or finds a slot whose
 * tag matches and becomes a candidate; candidates are compared column by
 * column against the stored keys, and the few that differ probe on in the
 * next round. A row whose key first appeared earlier in the same batch
 * finds that group's slot and compares equal, since new groups are stored
 * before candidates are compared.
 *
 * A single key column without nulls in the batch (the usual GROUP BY of
 * one integer or string column) takes a fused probe that compares and
 * stores the key right at the slot.
 *
 * Group ids are dense and in first-seen order; the one exception is a row
 * of the general path whose 32-bit tag matched another key's group on its
 * way: it gets its (new) id one round later than rows after it.
 *
 * Everything a batch can need (group storage, slots, heap bytes, scratch)
 * is reserved before the first slot changes, so a failed intern leaves the
 * table as it was.
 */
#include <string.h>

#include "exec/group_int.h"

typedef struct group_slot {
    uint32_t group; /* GROUP_EMPTY when free */
    uint32_t tag;   /* the hash's high 32 bits */
} group_slot;

#define GROUP_EMPTY UINT32_MAX
/* Largest group count: ids are u32 and UINT32_MAX marks empty slots. */
#define GROUP_MAX ((int64_t)UINT32_MAX - 1)

struct exec_group_table {
    int32_t n_keys;
    group_key_column *cols;
    int64_t n_groups;
    int64_t group_cap;
    uint64_t *group_hashes;
    group_slot *slots;
    int64_t n_slots; /* a power of two, or 0 before the first batch */

    /* Scratch for one batch (scratch_rows rows). */
    int64_t scratch_rows;
    uint64_t *hashes;
    uint64_t *pos;
    uint32_t *active;
    uint32_t *next_active;
    uint32_t *cand_rows;
    uint32_t *cand_groups;
    uint32_t *new_rows;
    uint8_t *match;
};

qv_status exec_group_table_new(int32_t n_keys, arrow_type *const *key_types, exec_group_table **out,
                               qv_error *err)
{
    *out = NULL;
    if (n_keys < 0 || (n_keys > 0 && key_types == NULL))
        return base_error_set(err, QV_MISUSE, "a group table needs its key types");
    exec_group_table *t = base_calloc(1, sizeof *t);
    if (t == NULL)
        return base_error_nomem(err, "group table");
    if (n_keys > 0) {
        t->cols = base_calloc((size_t)n_keys, sizeof *t->cols);
        if (t->cols == NULL) {
            base_free(t);
            return base_error_nomem(err, "group table");
        }
    }
    for (int32_t k = 0; k < n_keys; k++) {
        qv_status st = group_key_init(&t->cols[k], key_types[k], err);
        t->n_keys = k + 1;
        if (st != QV_OK) {
            exec_group_table_free(t);
            return st;
        }
    }
    t->n_keys = n_keys;
    *out = t;
    return QV_OK;
}

void exec_group_table_free(exec_group_table *table)
{
    if (table == NULL)
        return;
    for (int32_t k = 0; k < table->n_keys; k++)
        group_key_free(&table->cols[k]);
    base_free(table->cols);
    base_free(table->group_hashes);
    base_free(table->slots);
    base_free(table->hashes);
    base_free(table->pos);
    base_free(table->active);
    base_free(table->next_active);
    base_free(table->cand_rows);
    base_free(table->cand_groups);
    base_free(table->new_rows);
    base_free(table->match);
    base_free(table);
}

int64_t exec_group_table_count(const exec_group_table *table)
{
    return table->n_groups;
}

int64_t exec_group_table_memory_bytes(const exec_group_table *table)
{
    int64_t bytes = (int64_t)sizeof *table + table->n_keys * (int64_t)sizeof *table->cols;
    bytes += table->group_cap * 8 + table->n_slots * (int64_t)sizeof(group_slot);
    bytes += table->scratch_rows * (8 + 8 + 4 * 5 + 1);
    for (int32_t k = 0; k < table->n_keys; k++)
        bytes += group_key_memory(&table->cols[k]);
    return bytes;
}

/* ---- reservations before a batch ---- */

static qv_status grow_array(void **ptr, size_t elem, int64_t n, qv_error *err)
{
    void *grown = base_realloc(*ptr, elem * (size_t)n);
    if (grown == NULL)
        return base_error_nomem(err, "group table");
    *ptr = grown;
    return QV_OK;
}

static qv_status ensure_scratch(exec_group_table *t, int64_t n_rows, qv_error *err)
{
    if (n_rows <= t->scratch_rows)
        return QV_OK;
    int64_t rows = t->scratch_rows < 1024 ? 1024 : t->scratch_rows;
    while (rows < n_rows)
        rows *= 2;
    QV_TRY(grow_array((void **)&t->hashes, 8, rows, err));
    QV_TRY(grow_array((void **)&t->pos, 8, rows, err));
    QV_TRY(grow_array((void **)&t->active, 4, rows, err));
    QV_TRY(grow_array((void **)&t->next_active, 4, rows, err));
    QV_TRY(grow_array((void **)&t->cand_rows, 4, rows, err));
    QV_TRY(grow_array((void **)&t->cand_groups, 4, rows, err));
    QV_TRY(grow_array((void **)&t->new_rows, 4, rows, err));
    QV_TRY(grow_array((void **)&t->match, 1, rows, err));
    t->scratch_rows = rows;
    return QV_OK;
}

static qv_status reserve_groups(exec_group_table *t, int64_t n_groups, qv_error *err)
{
    if (n_groups > t->group_cap) {
        int64_t cap = t->group_cap < 64 ? 64 : t->group_cap + t->group_cap / 2;
        while (cap < n_groups)
            cap += cap / 2;
        QV_TRY(grow_array((void **)&t->group_hashes, 8, cap, err));
        t->group_cap = cap;
    }
    for (int32_t k = 0; k < t->n_keys; k++)
        QV_TRY(group_key_reserve(&t->cols[k], n_groups, err));
    return QV_OK;
}

/* At most 3/4 of the slots are ever in use. */
static qv_status reserve_slots(exec_group_table *t, int64_t n_groups, qv_error *err)
{
    if (n_groups * 4 <= t->n_slots * 3)
        return QV_OK;
    int64_t n_slots = t->n_slots < 256 ? 256 : t->n_slots * 2;
    while (n_groups * 4 > n_slots * 3)
        n_slots *= 2;
    group_slot *slots = base_alloc((size_t)n_slots * sizeof *slots);
    if (slots == NULL)
        return base_error_nomem(err, "group table slots");
    memset(slots, 0xFF, (size_t)n_slots * sizeof *slots);
    uint64_t mask = (uint64_t)n_slots - 1;
    for (int64_t g = 0; g < t->n_groups; g++) {
        if (g + 16 < t->n_groups)
            __builtin_prefetch(&slots[t->group_hashes[g + 16] & mask], 1);
        uint64_t h = t->group_hashes[g];
        uint64_t p = h & mask;
        while (slots[p].group != GROUP_EMPTY)
            p = (p + 1) & mask;
        slots[p].group = (uint32_t)g;
        slots[p].tag = (uint32_t)(h >> 32);
    }
    base_free(t->slots);
    t->slots = slots;
    t->n_slots = n_slots;
    return QV_OK;
}

/* ---- probing ---- */

static void probe(exec_group_table *t, int64_t n_rows, uint32_t *ids)
{
    const uint64_t mask = (uint64_t)t->n_slots - 1;
    const uint64_t *hashes = t->hashes;
    group_slot *slots = t->slots;
    uint64_t *pos = t->pos;
    uint32_t *active = t->active, *next_active = t->next_active;
    uint32_t *cand_rows = t->cand_rows, *cand_groups = t->cand_groups, *new_rows = t->new_rows;

    for (int64_t r = 0; r < n_rows; r++) {
        active[r] = (uint32_t)r;
        pos[r] = hashes[r] & mask;
    }
    int64_t n_active = n_rows;
    while (n_active > 0) {
        int64_t n_new = 0, n_cand = 0, first_new = t->n_groups;
        for (int64_t a = 0; a < n_active; a++) {
            if (a + 16 < n_active)
                __builtin_prefetch(&slots[pos[active[a + 16]]], 1);
            uint32_t r = active[a];
            uint64_t p = pos[r];
            uint32_t tag = (uint32_t)(hashes[r] >> 32);
            for (;;) {
                group_slot s = slots[p];
                if (s.group == GROUP_EMPTY) {
                    uint32_t g = (uint32_t)t->n_groups++;
                    slots[p].group = g;
                    slots[p].tag = tag;
                    t->group_hashes[g] = hashes[r];
                    ids[r] = g;
                    new_rows[n_new++] = r;
                    break;
                }
                if (s.tag == tag) {
                    cand_rows[n_cand] = r;
                    cand_groups[n_cand] = s.group;
                    n_cand++;
                    pos[r] = p;
                    break;
                }
                p = (p + 1) & mask;
            }
        }
        for (int32_t k = 0; k < t->n_keys; k++)
            group_key_append(&t->cols[k], new_rows, n_new, first_new);
        if (n_cand == 0)
            break;
        memset(t->match, 1, (size_t)n_cand);
        for (int32_t k = 0; k < t->n_keys; k++)
            group_key_compare(&t->cols[k], cand_rows, cand_groups, n_cand, t->match);
        int64_t n_next = 0;
        for (int64_t c = 0; c < n_cand; c++) {
            uint32_t r = cand_rows[c];
            if (t->match[c]) {
                ids[r] = cand_groups[c];
            } else {
                pos[r] = (pos[r] + 1) & mask;
                next_active[n_next++] = r;
            }
        }
        uint32_t *swap = active;
        active = next_active;
        next_active = swap;
        n_active = n_next;
    }
}

/* ---- fused probes for one key without nulls in the batch ----
 * The common single-column GROUP BY compares the key right at the slot
 * instead of collecting candidates; new groups are stored on the spot
 * (storage and heap were reserved for the whole batch). Groups holding a
 * null never match, since every row of the batch is valid. */

#define PROBE_SINGLE_FIXED(T)                                                                      \
    do {                                                                                           \
        const uint8_t *vals = col->b_fixed;                                                        \
        uint8_t *stored = col->values;                                                             \
        for (int64_t r = 0; r < n_rows; r++) {                                                     \
            if (r + 16 < n_rows)                                                                   \
                __builtin_prefetch(&slots[hashes[r + 16] & mask], 1);                              \
            uint64_t h = hashes[r], p = h & mask;                                                  \
            uint32_t tag = (uint32_t)(h >> 32);                                                    \
            T v;                                                                                   \
            memcpy(&v, vals + r * sizeof(T), sizeof(T));                                           \
            for (;;) {                                                                             \
                group_slot slot = slots[p];                                                        \
                if (slot.group == GROUP_EMPTY) {                                                   \
                    uint32_t g = (uint32_t)t->n_groups++;                                          \
                    slots[p].group = g;                                                            \
                    slots[p].tag = tag;                                                            \
                    t->group_hashes[g] = h;                                                        \
                    memcpy(stored + (int64_t)g * sizeof(T), &v, sizeof(T));                        \
                    if (valid != NULL)                                                             \
                        valid[g] = 1;                                                              \
                    ids[r] = g;                                                                    \
                    break;                                                                         \
                }                                                                                  \
                if (slot.tag == tag) {                                                             \
                    T sv;                                                                          \
                    memcpy(&sv, stored + (int64_t)slot.group * sizeof(T), sizeof(T));              \
                    if (sv == v && (valid == NULL || valid[slot.group])) {                         \
                        ids[r] = slot.group;                                                       \
                        break;                                                                     \
                    }                                                                              \
                }                                                                                  \
                p = (p + 1) & mask;                                                                \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static void probe_single_fixed(exec_group_table *t, int64_t n_rows, uint32_t *ids)
{
    group_key_column *col = &t->cols[0];
    const uint64_t mask = (uint64_t)t->n_slots - 1;
    const uint64_t *hashes = t->hashes;
    group_slot *slots = t->slots;
    uint8_t *valid = col->valid;
    if (col->width == 8)
        PROBE_SINGLE_FIXED(uint64_t);
    else if (col->width == 4)
        PROBE_SINGLE_FIXED(uint32_t);
    else if (col->width == 2)
        PROBE_SINGLE_FIXED(uint16_t);
    else
        PROBE_SINGLE_FIXED(uint8_t);
}

static void probe_single_var(exec_group_table *t, int64_t n_rows, uint32_t *ids)
{
    group_key_column *col = &t->cols[0];
    const uint64_t mask = (uint64_t)t->n_slots - 1;
    const uint64_t *hashes = t->hashes;
    group_slot *slots = t->slots;
    uint8_t *valid = col->valid;
    const uint8_t *views = col->b_views;
    uint8_t *stored = col->values;
    for (int64_t r = 0; r < n_rows; r++) {
        if (r + 16 < n_rows)
            __builtin_prefetch(&slots[hashes[r + 16] & mask], 1);
        uint64_t h = hashes[r], p = h & mask;
        uint32_t tag = (uint32_t)(h >> 32);
        uint64_t w0, w1;
        memcpy(&w0, views + r * 16, 8);
        memcpy(&w1, views + r * 16 + 8, 8);
        uint32_t len = (uint32_t)w0;
        for (;;) {
            group_slot slot = slots[p];
            if (slot.group == GROUP_EMPTY) {
                uint32_t g = (uint32_t)t->n_groups++;
                slots[p].group = g;
                slots[p].tag = tag;
                t->group_hashes[g] = h;
                if (len > GROUP_INLINE_MAX) {
                    w1 = (uint64_t)col->heap_len;
                    memcpy(col->heap + col->heap_len, col->b_ptrs[r], len);
                    col->heap_len += len;
                }
                memcpy(stored + (int64_t)g * 16, &w0, 8);
                memcpy(stored + (int64_t)g * 16 + 8, &w1, 8);
                if (valid != NULL)
                    valid[g] = 1;
                ids[r] = g;
                break;
            }
            if (slot.tag == tag) {
                const uint8_t *sv = stored + (int64_t)slot.group * 16;
                uint64_t s0, s1;
                memcpy(&s0, sv, 8);
                memcpy(&s1, sv + 8, 8);
                bool eq = s0 == w0 && (valid == NULL || valid[slot.group]);
                if (eq && len <= GROUP_INLINE_MAX)
                    eq = s1 == w1;
                else if (eq)
                    eq = memcmp(col->heap + s1, col->b_ptrs[r], len) == 0;
                if (eq) {
                    ids[r] = slot.group;
                    break;
                }
            }
            p = (p + 1) & mask;
        }
    }
}

qv_status exec_group_table_intern(exec_group_table *table, arrow_array *const *keys, int64_t n_rows,
                                  uint32_t *group_ids, qv_error *err)
{
    if (n_rows <= 0)
        return QV_OK;
    for (int32_t k = 0; k < table->n_keys; k++) {
        const arrow_array *a = keys[k];
        if (a != NULL && (a->length != n_rows || a->type->id != table->cols[k].type->id))
            return base_error_set(err, QV_MISUSE, "group key %d: expected %lld rows of %s", k,
                                  (long long)n_rows, arrow_type_id_name(table->cols[k].type->id));
    }
    if (n_rows > GROUP_MAX - table->n_groups)
        return base_error_set(err, QV_LIMIT, "a group table holds at most %lld groups",
                              (long long)GROUP_MAX);
    if (table->n_keys == 0) {
        /* One group for every row. */
        if (table->n_groups == 0) {
            QV_TRY(reserve_groups(table, 1, err));
            QV_TRY(reserve_slots(table, 1, err));
            table->group_hashes[0] = 0;
            table->slots[0].group = 0;
            table->slots[0].tag = 0;
            table->n_groups = 1;
        }
        memset(group_ids, 0, (size_t)n_rows * sizeof *group_ids);
        return QV_OK;
    }
    QV_TRY(ensure_scratch(table, n_rows, err));
    QV_TRY(reserve_groups(table, table->n_groups + n_rows, err));
    QV_TRY(reserve_slots(table, table->n_groups + n_rows, err));
    for (int32_t k = 0; k < table->n_keys; k++)
        QV_TRY(group_key_prepare(&table->cols[k], keys[k], n_rows, table->hashes, k == 0, err));
    const group_key_column *col = &table->cols[0];
    if (table->n_keys == 1 && col->b_valid == NULL && col->kind == GK_FIXED && col->width <= 8 &&
        (col->width & (col->width - 1)) == 0 && col->width > 0)
        probe_single_fixed(table, n_rows, group_ids);
    else if (table->n_keys == 1 && col->b_valid == NULL && col->kind == GK_VAR)
        probe_single_var(table, n_rows, group_ids);
    else
        probe(table, n_rows, group_ids);
    return QV_OK;
}

qv_status exec_group_table_emit(const exec_group_table *table, int64_t start, int64_t count,
                                arrow_array **keys_out, qv_error *err)
{
    for (int32_t k = 0; k < table->n_keys; k++)
        keys_out[k] = NULL;
    if (start < 0 || count < 0 || start > table->n_groups || count > table->n_groups - start)
        return base_error_set(err, QV_MISUSE, "groups %lld..%lld are not in the table",
                              (long long)start, (long long)(start + count));
    for (int32_t k = 0; k < table->n_keys; k++) {
        qv_status st = group_key_emit(&table->cols[k], start, count, &keys_out[k], err);
        if (st != QV_OK) {
            for (int32_t j = 0; j < k; j++) {
                arrow_array_release(keys_out[j]);
                keys_out[j] = NULL;
            }
            return st;
        }
    }
    return QV_OK;
}
