/*
 * csv_null.c — deciding which CSV fields are NULL (layer: format).
 *
 * Without a null_regex an empty field is NULL, whatever the column type (as
 * arrow-rs' NullRegex default). With one, a field is NULL when the regex
 * matches anywhere in it (Rust Regex::is_match is a search). POSIX extended
 * regexes from libc stand in for Rust's regex syntax; the common patterns
 * (`^$`, `NULL`, `^(NA|N/A)$`) mean the same in both.
 */
#include <regex.h>
#include <string.h>

#include "format/csv_int.h"

struct csv_null {
    regex_t re;
    char *scratch;
    size_t scratch_cap;
};

qv_status csv_null_new(const char *null_regex, csv_null **out, qv_error *err)
{
    *out = NULL;
    if (null_regex == NULL)
        return QV_OK;
    csv_null *n = base_calloc(1, sizeof *n);
    if (n == NULL)
        return base_error_nomem(err, "null regex");
    int rc = regcomp(&n->re, null_regex, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char buf[256];
        regerror(rc, &n->re, buf, sizeof buf);
        base_free(n);
        return base_error_set(err, QV_INVALID, "Unable to parse CSV null regex '%s': %s",
                              null_regex, buf);
    }
    *out = n;
    return QV_OK;
}

void csv_null_free(csv_null *n)
{
    if (n == NULL)
        return;
    regfree(&n->re);
    base_free(n->scratch);
    base_free(n);
}

bool csv_null_match(csv_null *n, const uint8_t *s, size_t len)
{
    if (n == NULL)
        return len == 0;
    if (len + 1 > n->scratch_cap) {
        size_t cap = len + 1 < 64 ? 64 : (len + 1) * 2;
        char *grown = base_realloc(n->scratch, cap);
        if (grown == NULL)
            return false; /* treated as not NULL; the value then parses or errors */
        n->scratch = grown;
        n->scratch_cap = cap;
    }
    memcpy(n->scratch, s, len);
    n->scratch[len] = 0;
    return regexec(&n->re, n->scratch, 0, NULL, 0) == 0;
}
