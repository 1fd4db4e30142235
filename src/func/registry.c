/*
 * registry.c — the function registry (layer: func): lower-case names and
 * aliases mapped to borrowed func_entry descriptions in an open-addressing
 * table, plus the registration-order list for information_schema.
 */
#include <ctype.h>

#include "func/agg.h"
#include "func/func_int.h"
#include "func/window.h"

typedef struct slot {
    char *name; /* owned, lower case; NULL when empty */
    const func_entry *entry;
} slot;

struct func_registry {
    slot *slots;
    int32_t cap; /* power of two */
    int32_t used;
    const func_entry **entries; /* distinct entries, registration order */
    int32_t n_entries;
    int32_t entries_cap;
};

qv_status func_registry_new(func_registry **out, qv_error *err)
{
    *out = NULL;
    func_registry *r = base_calloc(1, sizeof *r);
    if (r == NULL)
        return base_error_nomem(err, "function registry");
    r->cap = 256;
    r->slots = base_calloc((size_t)r->cap, sizeof *r->slots);
    if (r->slots == NULL) {
        base_free(r);
        return base_error_nomem(err, "function registry");
    }
    *out = r;
    return QV_OK;
}

void func_registry_free(func_registry *registry)
{
    if (registry == NULL)
        return;
    for (int32_t i = 0; i < registry->cap; i++)
        base_free(registry->slots[i].name);
    base_free(registry->slots);
    base_free(registry->entries);
    base_free(registry);
}

/* Slot where lower-case name lives or would go. */
static int32_t find_slot(const slot *slots, int32_t cap, const char *lower, size_t len)
{
    uint32_t mask = (uint32_t)cap - 1;
    uint32_t i = (uint32_t)base_hash_bytes(lower, len, 0) & mask;
    while (slots[i].name != NULL &&
           !(strlen(slots[i].name) == len && memcmp(slots[i].name, lower, len) == 0))
        i = (i + 1) & mask;
    return (int32_t)i;
}

static qv_status grow(func_registry *r, qv_error *err)
{
    int32_t cap = r->cap * 2;
    slot *slots = base_calloc((size_t)cap, sizeof *slots);
    if (slots == NULL)
        return base_error_nomem(err, "function registry");
    for (int32_t i = 0; i < r->cap; i++) {
        if (r->slots[i].name != NULL)
            slots[find_slot(slots, cap, r->slots[i].name, strlen(r->slots[i].name))] = r->slots[i];
    }
    base_free(r->slots);
    r->slots = slots;
    r->cap = cap;
    return QV_OK;
}

static void lower_copy(char *dst, const char *src, size_t len)
{
    for (size_t i = 0; i < len; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[len] = '\0';
}

static bool name_taken(const func_registry *r, const char *name)
{
    return func_registry_lookup(r, name, strlen(name)) != NULL;
}

static qv_status put(func_registry *r, const char *name, const func_entry *entry, qv_error *err)
{
    if ((r->used + 1) * 2 > r->cap)
        QV_TRY(grow(r, err));
    size_t len = strlen(name);
    char *lower = base_alloc(len + 1);
    if (lower == NULL)
        return base_error_nomem(err, "function name");
    lower_copy(lower, name, len);
    int32_t i = find_slot(r->slots, r->cap, lower, len);
    r->slots[i].name = lower;
    r->slots[i].entry = entry;
    r->used++;
    return QV_OK;
}

qv_status func_registry_add(func_registry *registry, const func_entry *entry, qv_error *err)
{
    if (registry == NULL || entry == NULL || entry->name == NULL)
        return base_error_set(err, QV_MISUSE, "func_registry_add: NULL registry or entry");
    if (name_taken(registry, entry->name))
        return base_error_set(err, QV_ALREADY_EXISTS, "function \"%s\" already exists",
                              entry->name);
    for (const char *const *a = entry->aliases; a && *a; a++) {
        if (name_taken(registry, *a))
            return base_error_set(err, QV_ALREADY_EXISTS, "function \"%s\" already exists", *a);
    }
    if (registry->n_entries == registry->entries_cap) {
        int32_t cap = registry->entries_cap ? registry->entries_cap * 2 : 64;
        const func_entry **e = base_realloc(registry->entries, (size_t)cap * sizeof *e);
        if (e == NULL)
            return base_error_nomem(err, "function registry");
        registry->entries = e;
        registry->entries_cap = cap;
    }
    /* Names first: on failure the entry is not listed (a half-registered
     * alias could remain only after an allocation failure). */
    QV_TRY(put(registry, entry->name, entry, err));
    for (const char *const *a = entry->aliases; a && *a; a++)
        QV_TRY(put(registry, *a, entry, err));
    registry->entries[registry->n_entries++] = entry;
    return QV_OK;
}

qv_status func_registry_builtin(func_registry *registry, qv_error *err)
{
    struct {
        const func_entry *entries;
        int32_t n;
    } tables[] = {
        {func_math_entries, func_math_entry_count},
        {func_string_entries, func_string_entry_count},
        {func_string_pad_entries, func_string_pad_entry_count},
        {func_conditional_entries, func_conditional_entry_count},
        {func_misc_entries, func_misc_entry_count},
        {func_datetime_entries, func_datetime_entry_count},
        {func_datetime_trunc_entries, func_datetime_trunc_entry_count},
        {func_datetime_format_entries, func_datetime_format_entry_count},
        {func_regex_entries, func_regex_entry_count},
        {func_digest_entries, func_digest_entry_count},
        /* array (list) functions: src/func/array_*.c */
        {func_array_build_entries, func_array_build_entry_count},
        {func_array_search_entries, func_array_search_entry_count},
        {func_array_set_entries, func_array_set_entry_count},
        {func_array_dims_entries, func_array_dims_entry_count},
        {func_array_string_entries, func_array_string_entry_count},
        {func_array_range_entries, func_array_range_entry_count},
        {func_array_math_entries, func_array_math_entry_count},
        {func_array_vector_entries, func_array_vector_entry_count},
        /* nested-type functions: src/func/nested_*.c */
        {func_nested_make_array_entries, func_nested_make_array_entry_count},
        {func_nested_access_entries, func_nested_access_entry_count},
        {func_nested_struct_entries, func_nested_struct_entry_count},
        {func_nested_map_entries, func_nested_map_entry_count},
        {func_agg_entries, func_agg_entry_count},
        {func_window_entries, func_window_entry_count}, /* window.h */
    };
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (int32_t i = 0; i < tables[t].n; i++)
            QV_TRY(func_registry_add(registry, &tables[t].entries[i], err));
    }
    return QV_OK;
}

const func_entry *func_registry_lookup(const func_registry *registry, const char *name, size_t len)
{
    char buf[128];
    if (registry == NULL || name == NULL || len >= sizeof buf)
        return NULL;
    lower_copy(buf, name, len);
    int32_t i = find_slot(registry->slots, registry->cap, buf, len);
    return registry->slots[i].name ? registry->slots[i].entry : NULL;
}

int32_t func_registry_count(const func_registry *registry)
{
    return registry ? registry->n_entries : 0;
}

const func_entry *func_registry_at(const func_registry *registry, int32_t i)
{
    if (registry == NULL || i < 0 || i >= registry->n_entries)
        return NULL;
    return registry->entries[i];
}

qv_status func_resolve_return_type(const func_entry *entry, int n_args,
                                   arrow_type *const *arg_types, const arrow_array *const *literals,
                                   const char *time_zone, arrow_type **out, qv_error *err)
{
    *out = NULL;
    if (entry == NULL || entry->kind != FUNC_SCALAR)
        return base_error_set(err, QV_MISUSE, "func_resolve_return_type: not a scalar function");
    if (entry->impl.scalar.return_type_ex != NULL)
        return entry->impl.scalar.return_type_ex(n_args, arg_types, literals, time_zone, out, err);
    return entry->impl.scalar.return_type(n_args, arg_types, out, err);
}
