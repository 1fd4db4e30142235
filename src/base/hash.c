/*
 * hash.c — hashing for hash tables and partitioning (layer: base).
 * XXH3 from Debian's libxxhash: the fastest well-kept 64-bit hash there is.
 */
#include <xxhash.h>

#include "base.h"

uint64_t base_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    return XXH3_64bits_withSeed(data, len, seed);
}

uint64_t base_hash_u64(uint64_t value, uint64_t seed)
{
    /* A strong 64-bit mixer (xxh64's avalanche); cheaper than hashing 8 bytes. */
    uint64_t h = value ^ (seed + 0x9E3779B97F4A7C15ULL);
    h ^= h >> 33;
    h *= 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 29;
    h *= 0x165667B19E3779F9ULL;
    h ^= h >> 32;
    return h;
}

uint64_t base_hash_combine(uint64_t a, uint64_t b)
{
    return base_hash_u64(a * 31 + b, 0x27D4EB2F165667C5ULL);
}
