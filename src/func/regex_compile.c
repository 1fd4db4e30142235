/*
 * regex_compile.c — Rust-regex patterns on PCRE2 (layer: func): translation
 * of the syntax the two engines spell differently (inline flags u / R,
 * long Unicode category names, \u escapes, stacked repetitions), the
 * features Rust's regex crate rejects (look-around, backreferences), an
 * estimate of the compiled size standing in for the crate's 10 MiB limit,
 * and compilation with Rust's defaults (UTF-8, Unicode classes, `$` only at
 * the end, `\n` the only line terminator). A small per-call cache keeps
 * compiled patterns while rows repeat them.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>

#include "func/regex_int.h"

#define SIZE_LIMIT 10485760

/* ---- size estimate ---- */

/* Upper bound of the repetition count of the quantifier at p (0 when none);
 * *len receives its length. Unbounded repetitions count their minimum. */
static double quantifier(const uint8_t *p, int64_t n, int64_t *len)
{
    *len = 0;
    if (n == 0)
        return 0;
    if (p[0] == '*' || p[0] == '+' || p[0] == '?') {
        *len = 1;
        return 1;
    }
    if (p[0] != '{')
        return 0;
    double lo = 0, hi = -1;
    int64_t i = 1;
    bool digits = false;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
        lo = lo * 10 + (p[i++] - '0');
        digits = true;
    }
    if (i < n && p[i] == ',') {
        i++;
        if (i < n && p[i] >= '0' && p[i] <= '9') {
            hi = 0;
            while (i < n && p[i] >= '0' && p[i] <= '9')
                hi = hi * 10 + (p[i++] - '0');
        }
    } else {
        hi = lo;
    }
    if (!digits || i >= n || p[i] != '}')
        return 0;
    *len = i + 1;
    return hi >= 0 ? hi : (lo > 1 ? lo : 1);
}

/* Rough count of NFA states: atoms times enclosing repetitions. */
static double estimate_size(const uint8_t *p, int64_t n)
{
    double sum[64], last[64];
    int depth = 0;
    sum[0] = last[0] = 0;
    for (int64_t i = 0; i < n;) {
        uint8_t c = p[i];
        int64_t qlen;
        double q = quantifier(p + i, n - i, &qlen);
        if (qlen > 0) {
            sum[depth] += last[depth] * (q - 1);
            last[depth] *= q;
            i += qlen;
            if (i < n && p[i] == '?')
                i++;
            continue;
        }
        if (c == '(') {
            if (depth < 63) {
                depth++;
                sum[depth] = last[depth] = 0;
            }
            i++;
            continue;
        }
        if (c == ')') {
            double w = sum[depth];
            if (depth > 0)
                depth--;
            sum[depth] += w;
            last[depth] = w;
            i++;
            continue;
        }
        int64_t step = 1;
        double w = 1;
        if (c == '\\' && i + 1 < n) {
            step = 2;
            uint8_t e = p[i + 1];
            if (e == 'w' || e == 'W' || e == 'd' || e == 'D' || e == 's' || e == 'S')
                w = 4;
            if ((e == 'p' || e == 'P') && i + 2 < n && p[i + 2] == '{') {
                while (i + step < n && p[i + step] != '}')
                    step++;
                step++;
                w = 8;
            }
        } else if (c == '[') {
            step = 1;
            if (i + step < n && p[i + step] == '^')
                step++;
            if (i + step < n && p[i + step] == ']')
                step++;
            while (i + step < n && p[i + step] != ']') {
                if (p[i + step] == '\\')
                    step++;
                step++;
            }
            step++;
            w = 4;
        } else if (c == '|') {
            last[depth] = 0;
            i++;
            continue;
        }
        sum[depth] += w;
        last[depth] = w;
        i += step;
    }
    while (depth > 0) {
        sum[depth - 1] += sum[depth];
        depth--;
    }
    return sum[0];
}

/* ---- translation ---- */

static const struct {
    const char *long_name;
    const char *short_name;
} categories[] = {
    {"letter", "L"},
    {"casedletter", "L&"},
    {"uppercaseletter", "Lu"},
    {"lowercaseletter", "Ll"},
    {"titlecaseletter", "Lt"},
    {"modifierletter", "Lm"},
    {"otherletter", "Lo"},
    {"mark", "M"},
    {"combiningmark", "M"},
    {"nonspacingmark", "Mn"},
    {"spacingmark", "Mc"},
    {"enclosingmark", "Me"},
    {"number", "N"},
    {"decimalnumber", "Nd"},
    {"digit", "Nd"},
    {"letternumber", "Nl"},
    {"othernumber", "No"},
    {"punctuation", "P"},
    {"connectorpunctuation", "Pc"},
    {"dashpunctuation", "Pd"},
    {"openpunctuation", "Ps"},
    {"closepunctuation", "Pe"},
    {"initialpunctuation", "Pi"},
    {"finalpunctuation", "Pf"},
    {"otherpunctuation", "Po"},
    {"symbol", "S"},
    {"mathsymbol", "Sm"},
    {"currencysymbol", "Sc"},
    {"modifiersymbol", "Sk"},
    {"othersymbol", "So"},
    {"separator", "Z"},
    {"spaceseparator", "Zs"},
    {"lineseparator", "Zl"},
    {"paragraphseparator", "Zp"},
    {"other", "C"},
    {"control", "Cc"},
    {"format", "Cf"},
    {"surrogate", "Cs"},
    {"privateuse", "Co"},
    {"unassigned", "Cn"},
};

/* Appends the PCRE2 spelling of property name p[0..n). */
static void property(base_strbuf *sb, const uint8_t *p, int64_t n)
{
    char norm[64];
    int k = 0;
    for (int64_t i = 0; i < n && k < 63; i++) {
        uint8_t c = p[i];
        if (c == '_' || c == ' ' || c == '-')
            continue;
        norm[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    norm[k] = '\0';
    for (size_t j = 0; j < sizeof categories / sizeof categories[0]; j++) {
        if (strcmp(categories[j].long_name, norm) == 0) {
            base_strbuf_append_str(sb, categories[j].short_name);
            return;
        }
    }
    base_strbuf_append(sb, (const char *)p, (size_t)n);
}

static qv_status unsupported(const char *what, qv_error *err)
{
    return base_error_set(err, QV_EXECUTION,
                          "Arrow error: Compute error: Regular expression did not compile: "
                          "Syntax(regex parse error: %s is not supported)",
                          what);
}

/* Rust syntax to PCRE2; false with *err set for what Rust rejects. */
static qv_status translate(const uint8_t *p, int64_t n, base_strbuf *sb, qv_error *err)
{
    bool in_class = false;
    size_t atom_start = 0, group_starts[64];
    int depth = 0;
    bool after_quant = false;
    for (int64_t i = 0; i < n;) {
        uint8_t c = p[i];
        if (c == '\\' && i + 1 < n) {
            uint8_t e = p[i + 1];
            size_t start = sb->len;
            if ((e == 'p' || e == 'P') && i + 2 < n && p[i + 2] == '{') {
                int64_t j = i + 3;
                while (j < n && p[j] != '}')
                    j++;
                base_strbuf_append_char(sb, '\\');
                base_strbuf_append_char(sb, (char)e);
                base_strbuf_append_char(sb, '{');
                property(sb, p + i + 3, j - i - 3);
                base_strbuf_append_char(sb, '}');
                i = j + 1;
            } else if ((e == 'u' || e == 'U') && i + 2 < n) {
                int64_t j = i + 2, digits = e == 'u' ? 4 : 8;
                base_strbuf_append_str(sb, "\\x{");
                if (p[j] == '{') {
                    j++;
                    while (j < n && p[j] != '}')
                        base_strbuf_append_char(sb, (char)p[j++]);
                    j++;
                } else {
                    for (int64_t k = 0; k < digits && j < n; k++)
                        base_strbuf_append_char(sb, (char)p[j++]);
                }
                base_strbuf_append_char(sb, '}');
                i = j;
            } else if (!in_class && e >= '1' && e <= '9') {
                return unsupported("backreferences", err);
            } else {
                base_strbuf_append(sb, (const char *)p + i, 2);
                i += 2;
            }
            if (!in_class) {
                atom_start = start;
                after_quant = false;
            }
            continue;
        }
        if (in_class) {
            if (c == '[' && i + 1 < n && p[i + 1] == ':') {
                int64_t j = i + 2;
                while (j + 1 < n && !(p[j] == ':' && p[j + 1] == ']'))
                    j++;
                base_strbuf_append(sb, (const char *)p + i, (size_t)(j + 2 - i));
                i = j + 2;
                continue;
            }
            if (c == ']')
                in_class = false;
            base_strbuf_append_char(sb, (char)c);
            i++;
            continue;
        }
        int64_t qlen;
        quantifier(p + i, n - i, &qlen);
        if (qlen > 0) {
            if (after_quant && !(c == '?' && qlen == 1)) {
                /* Rust stacks repetitions: a{2}{3} is (?:a{2}){3} */
                base_strbuf_append_char(sb, ')');
                char *d = sb->data;
                if (d != NULL && !base_strbuf_failed(sb)) {
                    base_strbuf_append(sb, "(?:", 3); /* grow by 3, then shift */
                    if (!base_strbuf_failed(sb)) {
                        d = sb->data;
                        memmove(d + atom_start + 3, d + atom_start, sb->len - 3 - atom_start);
                        memcpy(d + atom_start, "(?:", 3);
                    }
                }
            }
            base_strbuf_append(sb, (const char *)p + i, (size_t)qlen);
            i += qlen;
            if (i < n && p[i] == '?') {
                base_strbuf_append_char(sb, '?');
                i++;
            }
            after_quant = true;
            continue;
        }
        after_quant = false;
        if (c == '[') {
            atom_start = sb->len;
            in_class = true;
            base_strbuf_append_char(sb, '[');
            i++;
            if (i < n && p[i] == '^')
                base_strbuf_append_char(sb, (char)p[i++]);
            if (i < n && p[i] == ']')
                base_strbuf_append_char(sb, (char)p[i++]);
            continue;
        }
        if (c == '(' && i + 1 < n && p[i + 1] == '?') {
            if (i + 2 < n && (p[i + 2] == '=' || p[i + 2] == '!'))
                return unsupported("look-around, including look-ahead and look-behind,", err);
            if (i + 3 < n && p[i + 2] == '<' && (p[i + 3] == '=' || p[i + 3] == '!'))
                return unsupported("look-around, including look-ahead and look-behind,", err);
            /* inline flags: drop u and R, which PCRE2 does not know */
            int64_t j = i + 2;
            bool flags = true;
            while (j < n && p[j] != ')' && p[j] != ':') {
                if (!strchr("imsUuxR-", p[j]))
                    flags = false;
                j++;
            }
            if (flags && j < n) {
                char kept[32];
                int k = 0;
                for (int64_t m = i + 2; m < j && k < 31; m++) {
                    if (p[m] != 'u' && p[m] != 'R')
                        kept[k++] = (char)p[m];
                }
                if (k > 0 && kept[k - 1] == '-')
                    k--;
                kept[k] = '\0';
                if (p[j] == ')' && k == 0) {
                    i = j + 1;
                    continue;
                }
                if (p[j] == ':' && depth < 64)
                    group_starts[depth++] = sb->len;
                atom_start = sb->len;
                base_strbuf_appendf(sb, "(?%s%c", kept, p[j]);
                i = j + 1;
                continue;
            }
        }
        atom_start = sb->len;
        if (c == '(' && depth < 64)
            group_starts[depth++] = sb->len;
        else if (c == ')' && depth > 0)
            atom_start = group_starts[--depth];
        base_strbuf_append_char(sb, (char)c);
        i++;
    }
    return base_strbuf_failed(sb) ? base_error_nomem(err, "regex") : QV_OK;
}

/* ---- compilation and the cache ---- */

static qv_status compile(const uint8_t *pattern, int64_t len, uint32_t options, regex_entry *e,
                         qv_error *err)
{
    if (estimate_size(pattern, len) * 16 > SIZE_LIMIT)
        return base_error_set(err, QV_EXECUTION,
                              "Arrow error: Compute error: Regular expression did not compile: "
                              "CompiledTooBig(%d)",
                              SIZE_LIMIT);
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_status st = translate(pattern, len, &sb, err);
    if (st != QV_OK) {
        base_strbuf_free(&sb);
        return st;
    }
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    if (cc == NULL) {
        base_strbuf_free(&sb);
        return base_error_nomem(err, "regex");
    }
    pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)(sb.data ? sb.data : ""), sb.len,
                      PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | options, &code, &offset, cc);
    pcre2_compile_context_free(cc);
    base_strbuf_free(&sb);
    if (re == NULL) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        return base_error_set(err, QV_EXECUTION,
                              "Arrow error: Compute error: Regular expression did not compile: "
                              "Syntax(regex parse error: %s at offset %zu)",
                              (const char *)msg, (size_t)offset);
    }
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (md == NULL) {
        pcre2_code_free(re);
        return base_error_nomem(err, "regex match data");
    }
    e->code = re;
    e->match = md;
    return QV_OK;
}

void regex_cache_init(regex_cache *c)
{
    memset(c, 0, sizeof *c);
}

void regex_cache_free(regex_cache *c)
{
    for (int k = 0; k < REGEX_CACHE_SIZE; k++) {
        regex_entry *e = &c->entries[k];
        if (e->code != NULL) {
            pcre2_match_data_free(e->match);
            pcre2_code_free(e->code);
        }
        base_free(e->pattern);
    }
    memset(c, 0, sizeof *c);
}

qv_status regex_cache_get(regex_cache *c, const uint8_t *pattern, int64_t len, const uint8_t *flags,
                          int64_t flags_len, bool case_insensitive, regex_entry **out,
                          qv_error *err)
{
    /* the key: flags, a NUL, the pattern (patterns may hold any byte) */
    uint32_t options = case_insensitive ? PCRE2_CASELESS : 0;
    for (int64_t k = 0; k < flags_len; k++) {
        switch (flags[k]) {
        case 'i':
            options |= PCRE2_CASELESS;
            break;
        case 'm':
            options |= PCRE2_MULTILINE;
            break;
        case 's':
            options |= PCRE2_DOTALL;
            break;
        case 'x':
            options |= PCRE2_EXTENDED;
            break;
        case 'U':
            options |= PCRE2_UNGREEDY;
            break;
        case 'u':
        case 'R':
        case 'g':
            break;
        default:
            return base_error_set(err, QV_EXECUTION,
                                  "Arrow error: Compute error: Regular expression did not "
                                  "compile: Syntax(regex parse error: unrecognized flag '%c')",
                                  flags[k]);
        }
    }
    for (int k = 0; k < REGEX_CACHE_SIZE; k++) {
        regex_entry *e = &c->entries[k];
        if (e->code != NULL && e->options == options && e->len == len &&
            (len == 0 || memcmp(e->pattern, pattern, (size_t)len) == 0)) {
            e->last_use = ++c->clock;
            *out = e;
            return QV_OK;
        }
    }
    int victim = 0;
    for (int k = 1; k < REGEX_CACHE_SIZE; k++) {
        if (c->entries[k].last_use < c->entries[victim].last_use)
            victim = k;
    }
    regex_entry *e = &c->entries[victim];
    if (e->code != NULL) {
        pcre2_match_data_free(e->match);
        pcre2_code_free(e->code);
    }
    base_free(e->pattern);
    memset(e, 0, sizeof *e);
    e->pattern = base_alloc((size_t)(len > 0 ? len : 1));
    if (e->pattern == NULL)
        return base_error_nomem(err, "regex cache");
    memcpy(e->pattern, pattern, (size_t)len);
    e->len = len;
    e->options = options;
    qv_status st = compile(pattern, len, options, e, err);
    if (st != QV_OK) {
        base_free(e->pattern);
        memset(e, 0, sizeof *e);
        return st;
    }
    e->last_use = ++c->clock;
    *out = e;
    return QV_OK;
}

int regex_find(regex_entry *e, const uint8_t *s, int64_t len, int64_t start, int64_t *m_start,
               int64_t *m_end)
{
    int rc = pcre2_match(e->code, (PCRE2_SPTR)(s ? s : (const uint8_t *)""), (PCRE2_SIZE)len,
                         (PCRE2_SIZE)start, PCRE2_NO_UTF_CHECK, e->match, NULL);
    if (rc < 0)
        return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->match);
    *m_start = (int64_t)ov[0];
    *m_end = (int64_t)ov[1];
    return rc;
}

bool regex_group(regex_entry *e, int group, int64_t *g_start, int64_t *g_end)
{
    if (group < 0 || (uint32_t)group >= pcre2_get_ovector_count(e->match))
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->match);
    if (ov[2 * group] == PCRE2_UNSET)
        return false;
    *g_start = (int64_t)ov[2 * group];
    *g_end = (int64_t)ov[2 * group + 1];
    return true;
}

int regex_group_count(const regex_entry *e)
{
    uint32_t n = 0;
    pcre2_pattern_info(e->code, PCRE2_INFO_CAPTURECOUNT, &n);
    return (int)n;
}

int regex_group_by_name(const regex_entry *e, const char *name)
{
    int n = pcre2_substring_number_from_name(e->code, (PCRE2_SPTR)name);
    return n > 0 ? n : -1;
}
