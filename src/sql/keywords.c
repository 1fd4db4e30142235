/*
 * keywords.c — the keyword table, case-insensitive lookup by bisection, and
 * the edit distance used for "did you mean" hints (layer: sql).
 */
#include <string.h>

#include "sql_int.h"

static const char *const keyword_texts[] = {
    "",
#define KEYWORD_TEXT_(word) #word,
    SQL_KEYWORD_TABLE(KEYWORD_TEXT_)
#undef KEYWORD_TEXT_
};

static int upper_ascii(int c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }

/* Compares word (any case) with upper-case text like strcmp. */
static int compare_word(const char *word, size_t len, const char *text)
{
    for (size_t i = 0; i < len; i++) {
        int a = upper_ascii((unsigned char)word[i]);
        int b = (unsigned char)text[i];
        if (b == '\0' || a != b)
            return b == '\0' ? 1 : a - b;
    }
    return text[len] == '\0' ? 0 : -1;
}

sql_keyword sql_keyword_lookup(const char *word, size_t len)
{
    if (len == 0 || len > 24)
        return SQL_KW_NONE;
    size_t lo = 1, hi = SQL_KW_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = compare_word(word, len, keyword_texts[mid]);
        if (cmp == 0)
            return (sql_keyword)mid;
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return SQL_KW_NONE;
}

const char *sql_keyword_text(sql_keyword kw)
{
    return kw > SQL_KW_NONE && kw < SQL_KW_COUNT ? keyword_texts[kw] : "";
}

int sql_keyword_distance(const char *a, size_t a_len, const char *b)
{
    enum { MAX_LEN = 32, CAP = 3 };
    size_t b_len = strlen(b);
    if (a_len >= MAX_LEN || b_len >= MAX_LEN)
        return CAP;
    if (a_len > b_len + CAP || b_len > a_len + CAP)
        return CAP;
    int rows[3][MAX_LEN + 1]; /* rolling rows i-2, i-1, i of the DP table */
    for (size_t j = 0; j <= b_len; j++)
        rows[1][j] = (int)j;
    for (size_t i = 1; i <= a_len; i++) {
        int *cur = rows[(i + 1) % 3], *prev = rows[i % 3], *prev2 = rows[(i + 2) % 3];
        cur[0] = (int)i;
        for (size_t j = 1; j <= b_len; j++) {
            int cost = upper_ascii((unsigned char)a[i - 1]) == b[j - 1] ? 0 : 1;
            int best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (prev[j - 1] + cost < best)
                best = prev[j - 1] + cost;
            if (i > 1 && j > 1 && upper_ascii((unsigned char)a[i - 1]) == b[j - 2] &&
                upper_ascii((unsigned char)a[i - 2]) == b[j - 1] && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
    }
    int d = rows[(a_len + 1) % 3][b_len];
    return d < CAP ? d : CAP;
}
