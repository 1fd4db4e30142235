/*
 * ctx.c — the planning context (layer: plan): the arena every plan lives
 * in and the list of Arrow objects and tables it keeps alive.
 */
#include <string.h>

#include "plan/plan.h"

typedef enum kept_kind { KEPT_TYPE, KEPT_ARRAY, KEPT_TABLE } kept_kind;

struct plan_kept {
    kept_kind kind;
    void *object;
};

qv_status plan_ctx_new(catalog *cat, const func_registry *registry, const plan_options *options,
                       plan_ctx **out, qv_error *err)
{
    *out = NULL;
    plan_ctx *ctx = base_calloc(1, sizeof *ctx);
    if (ctx == NULL)
        return base_error_nomem(err, "planning context");
    ctx->arena = base_arena_new(16384);
    if (ctx->arena == NULL) {
        base_free(ctx);
        return base_error_nomem(err, "planning context");
    }
    ctx->catalog = cat;
    ctx->registry = registry;
    ctx->options = *options;
    *out = ctx;
    return QV_OK;
}

void plan_ctx_free(plan_ctx *ctx)
{
    if (ctx == NULL)
        return;
    for (int32_t i = 0; i < ctx->n_kept; i++) {
        switch (ctx->kept[i].kind) {
        case KEPT_TYPE:
            arrow_type_release(ctx->kept[i].object);
            break;
        case KEPT_ARRAY:
            arrow_array_release(ctx->kept[i].object);
            break;
        case KEPT_TABLE:
            catalog_table_release(ctx->kept[i].object);
            break;
        }
    }
    base_free(ctx->kept);
    base_arena_free(ctx->arena);
    base_free(ctx);
}

void *plan_alloc(plan_ctx *ctx, size_t size)
{
    return base_arena_calloc(ctx->arena, size == 0 ? 1 : size);
}

char *plan_strdup(plan_ctx *ctx, const char *s)
{
    return s == NULL ? NULL : base_arena_strndup(ctx->arena, s, strlen(s));
}

static bool keep(plan_ctx *ctx, kept_kind kind, void *object)
{
    if (ctx->n_kept == ctx->kept_cap) {
        int32_t cap = ctx->kept_cap == 0 ? 32 : ctx->kept_cap * 2;
        struct plan_kept *grown = base_realloc(ctx->kept, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return false;
        ctx->kept = grown;
        ctx->kept_cap = cap;
    }
    ctx->kept[ctx->n_kept++] = (struct plan_kept){kind, object};
    return true;
}

arrow_type *plan_keep_type(plan_ctx *ctx, arrow_type *type)
{
    if (type == NULL)
        return NULL;
    if (type->refcount < 0) /* immortal singletons need no keeping */
        return type;
    if (!keep(ctx, KEPT_TYPE, type)) {
        arrow_type_release(type);
        return NULL;
    }
    return type;
}

arrow_array *plan_keep_array(plan_ctx *ctx, arrow_array *array)
{
    if (array == NULL)
        return NULL;
    if (!keep(ctx, KEPT_ARRAY, array)) {
        arrow_array_release(array);
        return NULL;
    }
    return array;
}

catalog_table *plan_keep_table(plan_ctx *ctx, catalog_table *table)
{
    if (table == NULL)
        return NULL;
    if (!keep(ctx, KEPT_TABLE, table)) {
        catalog_table_release(table);
        return NULL;
    }
    return table;
}
