/*
 * digest.c — hash functions (layer: func): md5 (hex text), sha224, sha256,
 * sha384, sha512 and digest(x, algorithm) (binary), over strings and
 * binaries of every layout, with DataFusion's result types. MD5, SHA-2 and
 * BLAKE2 come from OpenSSL's libcrypto; BLAKE3, which OpenSSL lacks, from
 * digest_blake3.c.
 */
#include <openssl/evp.h>
#include <stdio.h>

#include "func/func_int.h"

#define UNUSED(x) (void)(x)
#define INVOKE_ARGS                                                                                \
    func_call_ctx *ctx, int n_args, const func_datum *args, int64_t n_rows,                        \
        arrow_type *return_type, func_datum *out, qv_error *err

/* digest_blake3.c */
void func_blake3(const uint8_t *data, size_t len, uint8_t out[32]);

typedef enum algo {
    A_MD5,
    A_SHA224,
    A_SHA256,
    A_SHA384,
    A_SHA512,
    A_BLAKE2S,
    A_BLAKE2B,
    A_BLAKE3,
    A_COUNT
} algo;

static const char *const algo_names[A_COUNT] = {"md5",    "sha224",  "sha256",  "sha384",
                                                "sha512", "blake2s", "blake2b", "blake3"};

static const EVP_MD *evp_of(algo a)
{
    switch (a) {
    case A_MD5:
        return EVP_md5();
    case A_SHA224:
        return EVP_sha224();
    case A_SHA256:
        return EVP_sha256();
    case A_SHA384:
        return EVP_sha384();
    case A_SHA512:
        return EVP_sha512();
    case A_BLAKE2S:
        return EVP_blake2s256();
    case A_BLAKE2B:
        return EVP_blake2b512();
    default:
        return NULL;
    }
}

/* Hashes p[0..len) into md; returns the digest length, 0 on failure. */
static unsigned hash(algo a, const uint8_t *p, int64_t len, uint8_t md[EVP_MAX_MD_SIZE])
{
    if (a == A_BLAKE3) {
        func_blake3(p, (size_t)len, md);
        return 32;
    }
    unsigned n = 0;
    const EVP_MD *type = evp_of(a);
    if (type == NULL ||
        EVP_Digest(p ? p : (const uint8_t *)"", (size_t)len, md, &n, type, NULL) != 1)
        return 0;
    return n;
}

static qv_status unknown_algo(const uint8_t *p, int64_t len, qv_error *err)
{
    return base_error_set(err, QV_PLAN,
                          "Error during planning: There is no built-in digest algorithm named "
                          "'%.*s', currently supported algorithms are: md5, sha224, sha256, "
                          "sha384, sha512, blake2s, blake2b, blake3",
                          (int)len, (const char *)p);
}

static int algo_of(const uint8_t *p, int64_t len)
{
    for (int a = 0; a < A_COUNT; a++) {
        if ((int64_t)strlen(algo_names[a]) == len && memcmp(algo_names[a], p, (size_t)len) == 0)
            return a;
    }
    return -1;
}

/* Hashes every row of args[0] with the fixed algorithm `fixed`, or the
 * per-row algorithm of args[1] when fixed < 0. hex: lower-case hex text. */
static qv_status digest_rows(int fixed, bool hex, int n_args, const func_datum *args,
                             int64_t n_rows, arrow_type *rt, func_datum *out, qv_error *err)
{
    bool all_scalar;
    int64_t n = func_out_rows(n_args, args, n_rows, &all_scalar);
    arrow_builder *b;
    QV_TRY(arrow_builder_new(rt, &b, err));
    func_str vs, as;
    arrow_type_id vid = args[0].array->type->id;
    bool usable = func_is_string_id(vid) || func_is_binary_id(vid);
    if (usable)
        func_str_init(&vs, &args[0]);
    bool algo_usable = n_args > 1 && func_is_string_id(args[1].array->type->id);
    if (algo_usable)
        func_str_init(&as, &args[1]);
    qv_status st = QV_OK;
    for (int64_t i = 0; st == QV_OK && i < n; i++) {
        int a = fixed;
        if (fixed < 0) {
            if (!algo_usable || !func_valid_at(&args[1], i)) {
                st = arrow_builder_append_null(b, err);
                continue;
            }
            const uint8_t *ap;
            int64_t al;
            func_str_at(&as, i, &ap, &al);
            a = algo_of(ap, al);
            if (a < 0) {
                st = unknown_algo(ap, al, err);
                break;
            }
        }
        if (!usable || !func_valid_at(&args[0], i)) {
            st = arrow_builder_append_null(b, err);
            continue;
        }
        const uint8_t *p;
        int64_t len;
        func_str_at(&vs, i, &p, &len);
        uint8_t md[EVP_MAX_MD_SIZE];
        unsigned mdlen = hash((algo)a, p, len, md);
        if (mdlen == 0) {
            st = base_error_set(err, QV_EXECUTION, "Execution error: %s digest failed",
                                algo_names[a]);
            break;
        }
        if (hex) {
            char text[2 * EVP_MAX_MD_SIZE + 1];
            for (unsigned k = 0; k < mdlen; k++)
                snprintf(text + 2 * k, 3, "%02x", md[k]);
            st = arrow_builder_append_bytes(b, text, 2 * (int64_t)mdlen, err);
        } else {
            st = arrow_builder_append_bytes(b, md, mdlen, err);
        }
    }
    if (st == QV_OK)
        st = func_finish_builder(b, all_scalar, out, err);
    arrow_builder_free(b);
    return st;
}

#define HASH_FN(NAME, ALGO, HEX)                                                                   \
    static qv_status NAME(INVOKE_ARGS)                                                             \
    {                                                                                              \
        UNUSED(ctx);                                                                               \
        return digest_rows(ALGO, HEX, n_args, args, n_rows, return_type, out, err);                \
    }
HASH_FN(md5_invoke, A_MD5, true)
HASH_FN(sha224_invoke, A_SHA224, false)
HASH_FN(sha256_invoke, A_SHA256, false)
HASH_FN(sha384_invoke, A_SHA384, false)
HASH_FN(sha512_invoke, A_SHA512, false)
HASH_FN(digest_invoke, -1, false)

static bool is_large(arrow_type_id id)
{
    return id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_LARGE_BINARY;
}

static qv_status rt_text(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(err);
    *out = arrow_type_primitive(is_large(types[0]->id) ? QV_TYPE_LARGE_UTF8 : QV_TYPE_UTF8);
    return QV_OK;
}

static qv_status rt_binary(int n_args, arrow_type *const *types, arrow_type **out, qv_error *err)
{
    UNUSED(n_args);
    UNUSED(err);
    *out = arrow_type_primitive(is_large(types[0]->id) ? QV_TYPE_LARGE_BINARY : QV_TYPE_BINARY);
    return QV_OK;
}

/* digest's algorithm is checked at planning when it is a constant. */
static qv_status rt_digest_ex(int n_args, arrow_type *const *types, const arrow_array *const *lits,
                              const char *time_zone, arrow_type **out, qv_error *err)
{
    UNUSED(time_zone);
    if (n_args > 1 && lits != NULL && lits[1] != NULL && func_is_string_id(types[1]->id) &&
        arrow_array_is_valid(lits[1], 0)) {
        func_datum d = {(arrow_array *)lits[1], true};
        func_str s;
        func_str_init(&s, &d);
        const uint8_t *p;
        int64_t len;
        func_str_at(&s, 0, &p, &len);
        if (algo_of(p, len) < 0)
            return unknown_algo(p, len, err);
    }
    return rt_binary(n_args, types, out, err);
}

static const arrow_type_id bytes_ids[] = {QV_TYPE_UTF8,         QV_TYPE_LARGE_UTF8,
                                          QV_TYPE_UTF8_VIEW,    QV_TYPE_BINARY,
                                          QV_TYPE_LARGE_BINARY, QV_TYPE_BINARY_VIEW};
static const arrow_type_id s_s[] = {QV_TYPE_UTF8, QV_TYPE_UTF8};
static const arrow_type_id b_s[] = {QV_TYPE_BINARY, QV_TYPE_UTF8};
static const arrow_type_id ls_s[] = {QV_TYPE_LARGE_UTF8, QV_TYPE_UTF8};
static const arrow_type_id lb_s[] = {QV_TYPE_LARGE_BINARY, QV_TYPE_UTF8};
static const arrow_type_id vs_s[] = {QV_TYPE_UTF8_VIEW, QV_TYPE_UTF8};
static const arrow_type_id vb_s[] = {QV_TYPE_BINARY_VIEW, QV_TYPE_UTF8};
static const func_signature sig_digest[] = {
    {FUNC_SIG_EXACT, 2, 0, s_s, 0, NULL},  {FUNC_SIG_EXACT, 2, 0, b_s, 0, NULL},
    {FUNC_SIG_EXACT, 2, 0, ls_s, 0, NULL}, {FUNC_SIG_EXACT, 2, 0, lb_s, 0, NULL},
    {FUNC_SIG_EXACT, 2, 0, vs_s, 0, NULL}, {FUNC_SIG_EXACT, 2, 0, vb_s, 0, NULL},
};

#define SIG_BYTES                                                                                  \
    {                                                                                              \
        FUNC_SIG_UNIFORM, 1, 6, bytes_ids, 0, NULL                                                 \
    }
#define ENTRY(NAME, DESC, RT, INVOKE)                                                              \
    {                                                                                              \
        NAME, NULL, FUNC_SCALAR, SIG_BYTES, FUNC_IMMUTABLE, DESC, p_expr, .impl.scalar = {         \
            RT,                                                                                    \
            INVOKE,                                                                                \
            NULL                                                                                   \
        }                                                                                          \
    }

static const char *const p_expr[] = {"expression", NULL};
static const char *const p_digest[] = {"expression", "algorithm", NULL};

const func_entry func_digest_entries[] = {
    {"digest",
     NULL,
     FUNC_SCALAR,
     {FUNC_SIG_ONE_OF, 0, 0, NULL, 6, sig_digest},
     FUNC_IMMUTABLE,
     "Computes the binary hash of an expression using the specified algorithm.",
     p_digest,
     .impl.scalar = {rt_binary, digest_invoke, rt_digest_ex}},
    ENTRY("md5", "Computes an MD5 128-bit checksum for a string expression.", rt_text, md5_invoke),
    ENTRY("sha224", "Computes the SHA-224 hash of a binary string.", rt_binary, sha224_invoke),
    ENTRY("sha256", "Computes the SHA-256 hash of a binary string.", rt_binary, sha256_invoke),
    ENTRY("sha384", "Computes the SHA-384 hash of a binary string.", rt_binary, sha384_invoke),
    ENTRY("sha512", "Computes the SHA-512 hash of a binary string.", rt_binary, sha512_invoke),
};
const int32_t func_digest_entry_count =
    (int32_t)(sizeof func_digest_entries / sizeof func_digest_entries[0]);
