/*
 * digest_blake3.c — BLAKE3 (layer: func), written from the BLAKE3
 * specification (Aumasson, Neves, O'Connor, Wilcox-O'Hearn, 2020): 1 KiB
 * chunks of 64-byte blocks compressed with the 7-round function, chunk
 * chaining values merged into a binary tree with a stack, 32-byte output
 * from the root node. Portable and single-threaded; hash mode only (no keys,
 * no extended output), which is all digest(x, 'blake3') needs.
 */
#include "func/func_int.h"

#define BLOCK_LEN 64
#define CHUNK_LEN 1024
#define CHUNK_START 1u
#define CHUNK_END 2u
#define PARENT 4u
#define ROOT 8u

void func_blake3(const uint8_t *data, size_t len, uint8_t out[32]);

static const uint32_t iv[8] = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                               0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};
static const uint8_t perm[16] = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};

static uint32_t rotr(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void g(uint32_t *s, int a, int b, int c, int d, uint32_t mx, uint32_t my)
{
    s[a] = s[a] + s[b] + mx;
    s[d] = rotr(s[d] ^ s[a], 16);
    s[c] = s[c] + s[d];
    s[b] = rotr(s[b] ^ s[c], 12);
    s[a] = s[a] + s[b] + my;
    s[d] = rotr(s[d] ^ s[a], 8);
    s[c] = s[c] + s[d];
    s[b] = rotr(s[b] ^ s[c], 7);
}

/* The compression function; out receives the 16 output words. */
static void compress(const uint32_t cv[8], const uint32_t block[16], uint64_t counter,
                     uint32_t block_len, uint32_t flags, uint32_t out[16])
{
    uint32_t s[16] = {cv[0],
                      cv[1],
                      cv[2],
                      cv[3],
                      cv[4],
                      cv[5],
                      cv[6],
                      cv[7],
                      iv[0],
                      iv[1],
                      iv[2],
                      iv[3],
                      (uint32_t)counter,
                      (uint32_t)(counter >> 32),
                      block_len,
                      flags};
    uint32_t m[16], t[16];
    memcpy(m, block, sizeof m);
    for (int round = 0; round < 7; round++) {
        g(s, 0, 4, 8, 12, m[0], m[1]);
        g(s, 1, 5, 9, 13, m[2], m[3]);
        g(s, 2, 6, 10, 14, m[4], m[5]);
        g(s, 3, 7, 11, 15, m[6], m[7]);
        g(s, 0, 5, 10, 15, m[8], m[9]);
        g(s, 1, 6, 11, 12, m[10], m[11]);
        g(s, 2, 7, 8, 13, m[12], m[13]);
        g(s, 3, 4, 9, 14, m[14], m[15]);
        for (int k = 0; k < 16; k++)
            t[k] = m[perm[k]];
        memcpy(m, t, sizeof m);
    }
    for (int k = 0; k < 8; k++) {
        out[k] = s[k] ^ s[k + 8];
        out[k + 8] = s[k + 8] ^ cv[k];
    }
}

static void words_le(const uint8_t *p, size_t len, uint32_t w[16])
{
    uint8_t block[BLOCK_LEN] = {0};
    memcpy(block, p, len);
    for (int k = 0; k < 16; k++)
        w[k] = (uint32_t)block[4 * k] | (uint32_t)block[4 * k + 1] << 8 |
               (uint32_t)block[4 * k + 2] << 16 | (uint32_t)block[4 * k + 3] << 24;
}

/* A node not yet compressed: the root gets the ROOT flag, others yield a
 * chaining value. */
typedef struct node {
    uint32_t cv[8];
    uint32_t block[16];
    uint64_t counter;
    uint32_t block_len, flags;
} node;

static void node_cv(const node *n, uint32_t cv[8])
{
    uint32_t o[16];
    compress(n->cv, n->block, n->counter, n->block_len, n->flags, o);
    memcpy(cv, o, 8 * sizeof(uint32_t));
}

/* The last block of chunk `counter` (data: the chunk's bytes) as a node. */
static void chunk_node(const uint8_t *data, size_t len, uint64_t counter, node *n)
{
    memcpy(n->cv, iv, sizeof iv);
    uint32_t flags = CHUNK_START;
    while (len > BLOCK_LEN) {
        uint32_t w[16], o[16];
        words_le(data, BLOCK_LEN, w);
        compress(n->cv, w, counter, BLOCK_LEN, flags, o);
        memcpy(n->cv, o, 8 * sizeof(uint32_t));
        flags = 0;
        data += BLOCK_LEN;
        len -= BLOCK_LEN;
    }
    words_le(data, len, n->block);
    n->counter = counter;
    n->block_len = (uint32_t)len;
    n->flags = flags | CHUNK_END;
}

static void parent_node(const uint32_t left[8], const uint32_t right[8], node *n)
{
    memcpy(n->cv, iv, sizeof iv);
    memcpy(n->block, left, 8 * sizeof(uint32_t));
    memcpy(n->block + 8, right, 8 * sizeof(uint32_t));
    n->counter = 0;
    n->block_len = BLOCK_LEN;
    n->flags = PARENT;
}

void func_blake3(const uint8_t *data, size_t len, uint8_t out[32])
{
    uint32_t stack[64][8];
    int depth = 0;
    uint64_t chunk = 0;
    if (data == NULL)
        data = (const uint8_t *)"";
    /* every chunk but the last is complete and followed by more input */
    while (len > CHUNK_LEN) {
        node n;
        uint32_t cv[8];
        chunk_node(data, CHUNK_LEN, chunk, &n);
        node_cv(&n, cv);
        chunk++;
        for (uint64_t total = chunk; (total & 1) == 0; total >>= 1) {
            node p;
            parent_node(stack[--depth], cv, &p);
            node_cv(&p, cv);
        }
        memcpy(stack[depth++], cv, sizeof cv);
        data += CHUNK_LEN;
        len -= CHUNK_LEN;
    }
    node n;
    chunk_node(data, len, chunk, &n);
    while (depth > 0) {
        uint32_t cv[8];
        node_cv(&n, cv);
        parent_node(stack[--depth], cv, &n);
    }
    uint32_t o[16];
    compress(n.cv, n.block, 0, n.block_len, n.flags | ROOT, o);
    for (int k = 0; k < 8; k++) {
        out[4 * k] = (uint8_t)o[k];
        out[4 * k + 1] = (uint8_t)(o[k] >> 8);
        out[4 * k + 2] = (uint8_t)(o[k] >> 16);
        out[4 * k + 3] = (uint8_t)(o[k] >> 24);
    }
}
