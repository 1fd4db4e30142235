/*
 * format_decimal.c — Decimal128 / Decimal256 values as text (layer: arrow).
 *
 * Both widths go through one routine: the two's complement value is turned
 * into a magnitude of 32-bit limbs and divided by 10^9 repeatedly, so 256-bit
 * values need no big-integer library.
 */
#include <string.h>

#include "arrow/format_int.h"

void arrow_format_decimal_integer(const uint8_t *le, int n_bytes, base_strbuf *sb)
{
    enum { MAX_LIMBS = 8 };
    uint32_t limbs[MAX_LIMBS];
    int n_limbs = n_bytes / 4;
    QV_ASSERT(n_limbs <= MAX_LIMBS && n_bytes % 4 == 0);
    for (int k = 0; k < n_limbs; k++)
        limbs[k] = (uint32_t)le[4 * k] | (uint32_t)le[4 * k + 1] << 8 |
                   (uint32_t)le[4 * k + 2] << 16 | (uint32_t)le[4 * k + 3] << 24;
    bool negative = (le[n_bytes - 1] & 0x80) != 0;
    if (negative) { /* magnitude = ~x + 1 */
        uint64_t carry = 1;
        for (int k = 0; k < n_limbs; k++) {
            uint64_t sum = (uint64_t)(uint32_t)~limbs[k] + carry;
            limbs[k] = (uint32_t)sum;
            carry = sum >> 32;
        }
    }
    /* Groups of nine digits, least significant first: 2^256 < 10^78. */
    uint32_t groups[10];
    int n_groups = 0;
    int top = n_limbs - 1;
    while (top >= 0 && limbs[top] == 0)
        top--;
    while (top >= 0) {
        uint64_t remainder = 0;
        for (int k = top; k >= 0; k--) {
            uint64_t cur = remainder << 32 | limbs[k];
            limbs[k] = (uint32_t)(cur / 1000000000u);
            remainder = cur % 1000000000u;
        }
        groups[n_groups++] = (uint32_t)remainder;
        while (top >= 0 && limbs[top] == 0)
            top--;
    }
    if (negative)
        base_strbuf_append_char(sb, '-');
    if (n_groups == 0) {
        base_strbuf_append_char(sb, '0');
        return;
    }
    base_strbuf_appendf(sb, "%u", groups[n_groups - 1]);
    for (int k = n_groups - 2; k >= 0; k--)
        base_strbuf_appendf(sb, "%09u", groups[k]);
}

void arrow_format_decimal(const uint8_t *le, int n_bytes, int32_t precision, int32_t scale,
                          base_strbuf *sb)
{
    char text[96];
    base_strbuf integer;
    base_strbuf_init(&integer);
    arrow_format_decimal_integer(le, n_bytes, &integer);
    if (base_strbuf_failed(&integer)) {
        base_strbuf_free(&integer);
        sb->failed = true;
        return;
    }
    QV_ASSERT(integer.len < sizeof text);
    memcpy(text, integer.data, integer.len + 1);
    base_strbuf_free(&integer);

    /* arrow-rs's format_decimal_str: digits beyond the precision are cut
     * from the right (only reachable with values that overflow their type). */
    size_t sign_len = text[0] == '-' ? 1 : 0;
    size_t rest_len = strlen(text) - sign_len;
    size_t kept = (size_t)precision < rest_len ? (size_t)precision : rest_len;
    size_t value_len = sign_len + kept;

    if (scale == 0) {
        base_strbuf_append(sb, text, value_len);
    } else if (scale < 0) {
        base_strbuf_append(sb, text, value_len);
        for (int32_t k = 0; k < -scale; k++)
            base_strbuf_append_char(sb, '0');
    } else if (rest_len > (size_t)scale) {
        /* arrow-rs compares the uncut length; guard the split for the cut one. */
        size_t whole = value_len > (size_t)scale ? value_len - (size_t)scale : 0;
        base_strbuf_append(sb, text, whole);
        base_strbuf_append_char(sb, '.');
        base_strbuf_append(sb, text + whole, value_len - whole);
    } else {
        base_strbuf_append(sb, text, sign_len);
        base_strbuf_append(sb, "0.", 2);
        for (size_t k = rest_len; k < (size_t)scale; k++)
            base_strbuf_append_char(sb, '0');
        base_strbuf_append(sb, text + sign_len, rest_len);
    }
}
