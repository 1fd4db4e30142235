/*
 * arena.c — bump allocation for memory with one lifetime (layer: base).
 * A parse, a plan or a query allocates here and frees everything at once.
 */
#include <string.h>

#include "base.h"

typedef struct arena_block {
    struct arena_block *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
} arena_block;

struct base_arena {
    arena_block *head; /* the block being filled; older blocks follow */
    size_t next_block_size;
    size_t bytes_used;
};

static arena_block *new_block(size_t size)
{
    arena_block *block = base_alloc(sizeof(arena_block) + size);
    if (block == NULL)
        return NULL;
    block->next = NULL;
    block->size = size;
    block->used = 0;
    return block;
}

base_arena *base_arena_new(size_t first_block_size)
{
    base_arena *arena = base_alloc(sizeof *arena);
    if (arena == NULL)
        return NULL;
    arena->next_block_size = first_block_size < 256 ? 256 : first_block_size;
    arena->head = new_block(arena->next_block_size);
    if (arena->head == NULL) {
        base_free(arena);
        return NULL;
    }
    arena->bytes_used = 0;
    return arena;
}

void base_arena_free(base_arena *arena)
{
    if (arena == NULL)
        return;
    arena_block *block = arena->head;
    while (block != NULL) {
        arena_block *next = block->next;
        base_free(block);
        block = next;
    }
    base_free(arena);
}

void *base_arena_alloc(base_arena *arena, size_t size)
{
    size_t rounded = (size + 15) & ~(size_t)15;
    if (rounded < size)
        return NULL;
    arena_block *block = arena->head;
    if (block->size - block->used < rounded) {
        size_t block_size = arena->next_block_size * 2;
        if (block_size < rounded)
            block_size = rounded;
        arena_block *fresh = new_block(block_size);
        if (fresh == NULL)
            return NULL;
        arena->next_block_size = block_size;
        fresh->next = block;
        arena->head = fresh;
        block = fresh;
    }
    void *p = block->data + block->used;
    block->used += rounded;
    arena->bytes_used += rounded;
    return p;
}

void *base_arena_calloc(base_arena *arena, size_t size)
{
    void *p = base_arena_alloc(arena, size);
    if (p != NULL)
        memset(p, 0, size);
    return p;
}

char *base_arena_strndup(base_arena *arena, const char *s, size_t len)
{
    char *copy = base_arena_alloc(arena, len + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

size_t base_arena_bytes_used(const base_arena *arena) { return arena->bytes_used; }

void base_arena_reset(base_arena *arena)
{
    arena_block *block = arena->head;
    while (block->next != NULL) {
        arena_block *next = block->next;
        base_free(block);
        block = next;
    }
    /* The oldest block is the first one: keep it. */
    block->used = 0;
    arena->head = block;
    arena->next_block_size = block->size;
    arena->bytes_used = 0;
}
