/*
 * gen.c — data generator for the H2O.ai db-benchmark "groupby" table
 * (bench/h2o; a bench tool, not part of the library).
 *
 * Writes the table db-benchmark calls G1_<N>_<K>_0_0 (no NAs, unsorted) as
 * CSV with a header, column by column as its groupby-datagen.R defines it:
 *   id1, id2  "id%03d"  drawn uniformly from K values      (large groups)
 *   id3       "id%010d" drawn uniformly from N/K values    (small groups)
 *   id4, id5  integer in 1..K
 *   id6       integer in 1..N/K
 *   v1        integer in 1..5
 *   v2        integer in 1..15
 *   v3        uniform in [0, 100) rounded to 6 decimals
 * The random stream is our own (splitmix64-seeded xoshiro256**), so values
 * differ from R's but have the same distributions; a seed gives the same
 * file on every machine.
 *
 *   bench_h2o_gen [-n ROWS] [-k GROUPS] [-s SEED] [-o FILE]
 * ROWS accepts "1e7" style (default 1e7), GROUPS default 100, SEED default
 * 108 (the R script's), FILE default G1_<N>_<K>_0_0.csv in the current
 * directory; "-" writes to stdout.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [1, n] without modulo bias: multiply a 32-bit draw by n and keep
 * the high half, redrawing the few low halves that would favour some values. */
static uint64_t rng_pick(rng *r, uint32_t n)
{
    uint32_t threshold = (uint32_t)(-n) % n;
    for (;;) {
        uint64_t m = (rng_next(r) >> 32) * (uint64_t)n;
        if ((uint32_t)m >= threshold)
            return (m >> 32) + 1;
    }
}

/* Uniform in [0, 1) with 53 random bits. */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* ---- output: one buffer, formatted by hand (printf is the bottleneck) ---- */

typedef struct out_buf {
    FILE *file;
    char data[1 << 20];
    size_t len;
} out_buf;

static void out_flush(out_buf *out)
{
    if (out->len > 0 && fwrite(out->data, 1, out->len, out->file) != out->len) {
        perror("bench_h2o_gen: write");
        exit(1);
    }
    out->len = 0;
}

static void out_reserve(out_buf *out, size_t n)
{
    if (out->len + n > sizeof out->data)
        out_flush(out);
}

static void out_char(out_buf *out, char c)
{
    out->data[out->len++] = c;
}

static void out_str(out_buf *out, const char *s)
{
    size_t n = strlen(s);
    memcpy(out->data + out->len, s, n);
    out->len += n;
}

/* value in decimal, zero-padded to at least width digits. */
static void out_uint(out_buf *out, uint64_t value, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (n < width)
        tmp[n++] = '0';
    while (n > 0)
        out->data[out->len++] = tmp[--n];
}

/* micros / 1e6 as the shortest decimal with at least one fraction digit
 * (data.table's fwrite drops trailing zeros; the one kept digit makes every
 * CSV reader infer a floating-point column). */
static void out_micros(out_buf *out, uint64_t micros)
{
    out_uint(out, micros / 1000000, 1);
    out_char(out, '.');
    uint64_t frac = micros % 1000000;
    int digits = 6;
    while (digits > 1 && frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    out_uint(out, frac, digits);
}

/* "1e7" for powers of ten (the R script's file names), else the number. */
static void format_count(char *buf, size_t size, uint64_t n)
{
    int exponent = 0;
    uint64_t m = n;
    while (m >= 10 && m % 10 == 0) {
        m /= 10;
        exponent++;
    }
    if (m == 1 && exponent > 0)
        snprintf(buf, size, "1e%d", exponent);
    else
        snprintf(buf, size, "%" PRIu64, n);
}

static int parse_count(const char *s, uint64_t *out)
{
    char *end;
    double v = strtod(s, &end);
    if (*end != '\0' || v < 1 || v > 4e9)
        return -1;
    *out = (uint64_t)(v + 0.5);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_h2o_gen [-n ROWS] [-k GROUPS] [-s SEED] [-o FILE]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t n_rows = 10000000, n_groups = 100, seed = 108;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        const char *value = argv[++i];
        if (strcmp(argv[i - 1], "-n") == 0) {
            if (parse_count(value, &n_rows) != 0)
                usage();
        } else if (strcmp(argv[i - 1], "-k") == 0) {
            if (parse_count(value, &n_groups) != 0)
                usage();
        } else if (strcmp(argv[i - 1], "-s") == 0) {
            seed = strtoull(value, NULL, 10);
        } else if (strcmp(argv[i - 1], "-o") == 0) {
            path = value;
        } else {
            usage();
        }
    }
    /* id3 / id6 draw from N/K values, as the R script's sample(N/K, ...). */
    uint64_t n_small = n_rows / n_groups;
    if (n_small < 1 || n_groups > UINT32_MAX || n_small > UINT32_MAX) {
        fprintf(stderr, "bench_h2o_gen: need 1 <= GROUPS <= ROWS\n");
        return 2;
    }

    char default_path[128], rows_text[32], groups_text[32];
    format_count(rows_text, sizeof rows_text, n_rows);
    format_count(groups_text, sizeof groups_text, n_groups);
    snprintf(default_path, sizeof default_path, "G1_%s_%s_0_0.csv", rows_text, groups_text);
    if (path == NULL)
        path = default_path;

    static out_buf out;
    out.file = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (out.file == NULL) {
        perror(path);
        return 1;
    }

    /* One stream per column, so a column's values do not depend on how the
     * others are drawn (and each column could be generated on its own). */
    rng streams[9];
    for (int c = 0; c < 9; c++)
        rng_seed(&streams[c], seed * 1000003u + (uint64_t)c);

    out_reserve(&out, 64);
    out_str(&out, "id1,id2,id3,id4,id5,id6,v1,v2,v3\n");
    for (uint64_t row = 0; row < n_rows; row++) {
        out_reserve(&out, 128);
        out_str(&out, "id");
        out_uint(&out, rng_pick(&streams[0], (uint32_t)n_groups), 3);
        out_str(&out, ",id");
        out_uint(&out, rng_pick(&streams[1], (uint32_t)n_groups), 3);
        out_str(&out, ",id");
        out_uint(&out, rng_pick(&streams[2], (uint32_t)n_small), 10);
        out_char(&out, ',');
        out_uint(&out, rng_pick(&streams[3], (uint32_t)n_groups), 1);
        out_char(&out, ',');
        out_uint(&out, rng_pick(&streams[4], (uint32_t)n_groups), 1);
        out_char(&out, ',');
        out_uint(&out, rng_pick(&streams[5], (uint32_t)n_small), 1);
        out_char(&out, ',');
        out_uint(&out, rng_pick(&streams[6], 5), 1);
        out_char(&out, ',');
        out_uint(&out, rng_pick(&streams[7], 15), 1);
        out_char(&out, ',');
        /* round(runif(N, max = 100), 6): work in millionths so the printed
         * value is exactly the rounded one. */
        out_micros(&out, (uint64_t)(rng_unit(&streams[8]) * 1e8 + 0.5));
        out_char(&out, '\n');
    }
    out_flush(&out);
    if (out.file != stdout && fclose(out.file) != 0) {
        perror(path);
        return 1;
    }
    fprintf(stderr, "bench_h2o_gen: wrote %" PRIu64 " rows to %s\n", n_rows, path);
    return 0;
}
