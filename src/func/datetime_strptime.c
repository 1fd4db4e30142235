/*
 * datetime_strptime.c — chrono's strftime syntax, parsing side (layer:
 * func): format::parse into a Parsed set of fields and its resolution into
 * a date, time and offset, for to_timestamp / to_date / to_time / to_unixtime
 * with formats. Failures carry chrono's ParseError texts ("input contains
 * invalid characters", "trailing input"...), which DataFusion puts in its
 * error messages.
 */
#include "func/datetime_int.h"

#define P_INVALID "input contains invalid characters"
#define P_TOO_SHORT "premature end of input"
#define P_TOO_LONG "trailing input"
#define P_IMPOSSIBLE "no possible date and time matching input"
#define P_NOT_ENOUGH "input is not enough for unique date and time"
#define P_OUT_OF_RANGE "input is out of range"
#define P_BAD_FORMAT "bad or unsupported format string"

enum {
    F_YEAR,
    F_YDIV,
    F_YMOD,
    F_MONTH,
    F_DAY,
    F_ORD,
    F_WDAY,
    F_HDIV,
    F_HMOD,
    F_MIN,
    F_SEC,
    F_NANO,
    F_TS,
    F_OFF,
    F_QUARTER,
    F_COUNT
};

typedef struct parsed {
    int64_t v[F_COUNT];
    bool set[F_COUNT];
} parsed;

typedef struct pstate {
    const uint8_t *s;
    int64_t len, at;
    parsed *pd;
    const char *why;
} pstate;

static bool fail(pstate *ps, const char *why)
{
    ps->why = why;
    return false;
}

static bool pset(pstate *ps, int field, int64_t value)
{
    if (ps->pd->set[field] && ps->pd->v[field] != value)
        return fail(ps, P_IMPOSSIBLE);
    ps->pd->set[field] = true;
    ps->pd->v[field] = value;
    return true;
}

static bool is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void skip_ws(pstate *ps)
{
    while (ps->at < ps->len && is_ws(ps->s[ps->at]))
        ps->at++;
}

/* chrono scan::number: min..max digits. */
static bool number(pstate *ps, int min, int max, int64_t *out)
{
    int64_t avail = ps->len - ps->at;
    if (avail < min)
        return fail(ps, P_TOO_SHORT);
    int64_t v = 0;
    int k = 0;
    for (; k < max && k < avail; k++) {
        uint8_t c = ps->s[ps->at + k];
        if (c < '0' || c > '9') {
            if (k < min)
                return fail(ps, P_INVALID);
            break;
        }
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v))
            return fail(ps, P_OUT_OF_RANGE);
    }
    ps->at += k;
    *out = v;
    return true;
}

static bool signed_number(pstate *ps, int width, int64_t *out)
{
    skip_ws(ps);
    if (ps->at < ps->len && (ps->s[ps->at] == '-' || ps->s[ps->at] == '+')) {
        bool neg = ps->s[ps->at] == '-';
        ps->at++;
        if (!number(ps, 1, 19, out))
            return false;
        if (neg)
            *out = -*out;
        return true;
    }
    return number(ps, 1, width, out);
}

static bool numeric(pstate *ps, int field, int width, int64_t lo, int64_t hi)
{
    int64_t v;
    skip_ws(ps);
    if (!number(ps, 1, width, &v))
        return false;
    if (v < lo || v > hi)
        return fail(ps, P_OUT_OF_RANGE);
    return pset(ps, field, v);
}

static bool name_match(pstate *ps, const char *const *names, int count, int *index)
{
    for (int k = 0; k < count; k++) {
        const char *nm = names[k];
        size_t full = strlen(nm);
        if (ps->len - ps->at < 3)
            return fail(ps, P_TOO_SHORT);
        bool short_ok = true;
        for (int j = 0; j < 3; j++) {
            uint8_t c = ps->s[ps->at + j];
            if ((c | 0x20) != (nm[j] | 0x20))
                short_ok = false;
        }
        if (!short_ok)
            continue;
        *index = k;
        bool long_ok = ps->len - ps->at >= (int64_t)full;
        for (size_t j = 3; long_ok && j < full; j++) {
            if ((ps->s[ps->at + j] | 0x20) != (nm[j] | 0x20))
                long_ok = false;
        }
        ps->at += long_ok ? (int64_t)full : 3;
        return true;
    }
    return fail(ps, P_INVALID);
}

/* chrono timezone_offset; permissive: 'Z' and missing minutes accepted. */
static bool offset(pstate *ps, bool permissive, int64_t *out)
{
    skip_ws(ps);
    if (ps->at >= ps->len)
        return fail(ps, P_TOO_SHORT);
    uint8_t c = ps->s[ps->at];
    if (permissive && (c == 'Z' || c == 'z')) {
        ps->at++;
        *out = 0;
        return true;
    }
    if (c != '+' && c != '-')
        return fail(ps, P_INVALID);
    ps->at++;
    int64_t h, m = 0;
    if (ps->len - ps->at < 2)
        return fail(ps, P_TOO_SHORT);
    if (!number(ps, 2, 2, &h))
        return false;
    if (ps->at < ps->len && ps->s[ps->at] == ':')
        ps->at++;
    if (ps->len - ps->at >= 2 && ps->s[ps->at] >= '0' && ps->s[ps->at] <= '9') {
        if (!number(ps, 2, 2, &m))
            return false;
    } else if (!permissive) {
        return fail(ps, ps->at >= ps->len ? P_TOO_SHORT : P_INVALID);
    }
    if (m > 59 || h > 23)
        return fail(ps, P_OUT_OF_RANGE);
    *out = (c == '-' ? -1 : 1) * (h * 3600 + m * 60);
    return true;
}

static bool fraction(pstate *ps, int exact, bool need_dot)
{
    if (need_dot) {
        if (ps->at >= ps->len || ps->s[ps->at] != '.')
            return exact ? fail(ps, ps->at >= ps->len ? P_TOO_SHORT : P_INVALID) : true;
        ps->at++;
    }
    int64_t start = ps->at, v = 0;
    int k = 0;
    while (ps->at < ps->len && ps->s[ps->at] >= '0' && ps->s[ps->at] <= '9' &&
           (exact == 0 || k < exact)) {
        if (k < 9)
            v = v * 10 + (ps->s[ps->at] - '0');
        k++;
        ps->at++;
    }
    if (ps->at == start)
        return fail(ps, ps->at >= ps->len ? P_TOO_SHORT : P_INVALID);
    if (exact != 0 && k != exact)
        return fail(ps, P_TOO_SHORT);
    for (int j = k; j < 9; j++)
        v *= 10;
    return pset(ps, F_NANO, v);
}

static bool parse_items(pstate *ps, const uint8_t *f, int64_t n, int depth);

static bool parse_spec(pstate *ps, const uint8_t *f, int64_t n, int64_t *i, int depth)
{
    uint8_t c = f[*i];
    if (c == '-' || c == '_' || c == '0') {
        if (++*i >= n)
            return fail(ps, P_BAD_FORMAT);
        c = f[*i];
    }
    int64_t v;
    int idx;
    switch (c) {
    case 'Y':
        return signed_number(ps, 4, &v) && pset(ps, F_YEAR, v);
    case 'C':
        return numeric(ps, F_YDIV, 2, 0, 99);
    case 'y':
        return numeric(ps, F_YMOD, 2, 0, 99);
    case 'm':
        return numeric(ps, F_MONTH, 2, 1, 12);
    case 'd':
    case 'e':
        return numeric(ps, F_DAY, 2, 1, 31);
    case 'j':
        return numeric(ps, F_ORD, 3, 1, 366);
    case 'q':
        return numeric(ps, F_QUARTER, 1, 1, 4);
    case 'b':
    case 'h':
    case 'B':
        return name_match(ps, dt_month_names, 12, &idx) && pset(ps, F_MONTH, idx + 1);
    case 'a':
    case 'A':
        return name_match(ps, dt_day_names, 7, &idx) && pset(ps, F_WDAY, idx);
    case 'w':
        return numeric(ps, F_WDAY, 1, 0, 6);
    case 'u': {
        int64_t u;
        skip_ws(ps);
        if (!number(ps, 1, 1, &u))
            return false;
        if (u < 1 || u > 7)
            return fail(ps, P_OUT_OF_RANGE);
        return pset(ps, F_WDAY, u % 7);
    }
    case 'U':
    case 'W':
    case 'V':
        skip_ws(ps);
        return number(ps, 1, 2, &v); /* week numbers are accepted, not resolved */
    case 'G':
        return signed_number(ps, 4, &v);
    case 'g':
        skip_ws(ps);
        return number(ps, 1, 2, &v);
    case 'H':
    case 'k':
        skip_ws(ps);
        if (!number(ps, 1, 2, &v))
            return false;
        if (v > 23)
            return fail(ps, P_OUT_OF_RANGE);
        return pset(ps, F_HDIV, v / 12) && pset(ps, F_HMOD, v % 12);
    case 'I':
    case 'l':
        skip_ws(ps);
        if (!number(ps, 1, 2, &v))
            return false;
        if (v < 1 || v > 12)
            return fail(ps, P_OUT_OF_RANGE);
        return pset(ps, F_HMOD, v % 12);
    case 'P':
    case 'p': {
        if (ps->len - ps->at < 2)
            return fail(ps, P_TOO_SHORT);
        uint8_t a = ps->s[ps->at] | 0x20, m = ps->s[ps->at + 1] | 0x20;
        if (m != 'm' || (a != 'a' && a != 'p'))
            return fail(ps, P_INVALID);
        ps->at += 2;
        return pset(ps, F_HDIV, a == 'p');
    }
    case 'M':
        return numeric(ps, F_MIN, 2, 0, 59);
    case 'S':
        return numeric(ps, F_SEC, 2, 0, 60);
    case 'f':
        skip_ws(ps);
        return number(ps, 1, 9, &v) && pset(ps, F_NANO, v);
    case '.': {
        if (++*i >= n)
            return fail(ps, P_BAD_FORMAT);
        int digits = 0;
        if (f[*i] >= '0' && f[*i] <= '9') {
            digits = f[*i] - '0';
            if ((digits != 3 && digits != 6 && digits != 9) || ++*i >= n)
                return fail(ps, P_BAD_FORMAT);
        }
        if (f[*i] != 'f')
            return fail(ps, P_BAD_FORMAT);
        return fraction(ps, digits, true);
    }
    case '3':
    case '6':
    case '9':
        if (++*i >= n || f[*i] != 'f')
            return fail(ps, P_BAD_FORMAT);
        return fraction(ps, c - '0', false);
    case 'z':
        return offset(ps, false, &v) && pset(ps, F_OFF, v);
    case ':': {
        while (*i < n && f[*i] == ':')
            (*i)++;
        if (*i >= n || f[*i] != 'z')
            return fail(ps, P_BAD_FORMAT);
        return offset(ps, false, &v) && pset(ps, F_OFF, v);
    }
    case '#':
        if (++*i >= n || f[*i] != 'z')
            return fail(ps, P_BAD_FORMAT);
        return offset(ps, true, &v) && pset(ps, F_OFF, v);
    case 'Z':
        while (ps->at < ps->len && !is_ws(ps->s[ps->at]))
            ps->at++;
        return true;
    case 's':
        return signed_number(ps, 19, &v) && pset(ps, F_TS, v);
    case 'D':
    case 'x':
        return parse_items(ps, (const uint8_t *)"%m/%d/%y", 8, depth + 1);
    case 'F':
        return parse_items(ps, (const uint8_t *)"%Y-%m-%d", 8, depth + 1);
    case 'v':
        return parse_items(ps, (const uint8_t *)"%e-%b-%Y", 8, depth + 1);
    case 'R':
        return parse_items(ps, (const uint8_t *)"%H:%M", 5, depth + 1);
    case 'T':
    case 'X':
        return parse_items(ps, (const uint8_t *)"%H:%M:%S", 8, depth + 1);
    case 'r':
        return parse_items(ps, (const uint8_t *)"%I:%M:%S %p", 11, depth + 1);
    case 'c':
        return parse_items(ps, (const uint8_t *)"%a %b %e %H:%M:%S %Y", 20, depth + 1);
    case '+': {
        /* RFC 3339, relaxed: 'T', 't' or ' ' between date and time */
        if (!parse_items(ps, (const uint8_t *)"%Y-%m-%d", 8, depth + 1))
            return false;
        if (ps->at >= ps->len)
            return fail(ps, P_TOO_SHORT);
        uint8_t sep = ps->s[ps->at];
        if (sep != 'T' && sep != 't' && sep != ' ')
            return fail(ps, P_INVALID);
        ps->at++;
        if (!parse_items(ps, (const uint8_t *)"%H:%M:%S%.f", 11, depth + 1))
            return false;
        return offset(ps, true, &v) && pset(ps, F_OFF, v);
    }
    case 't':
    case 'n':
        skip_ws(ps);
        return true;
    case '%':
        if (ps->at >= ps->len)
            return fail(ps, P_TOO_SHORT);
        if (ps->s[ps->at] != '%')
            return fail(ps, P_INVALID);
        ps->at++;
        return true;
    default:
        return fail(ps, P_BAD_FORMAT);
    }
}

static bool parse_items(pstate *ps, const uint8_t *f, int64_t n, int depth)
{
    if (depth > 3)
        return fail(ps, P_BAD_FORMAT);
    for (int64_t i = 0; i < n; i++) {
        if (f[i] == '%') {
            if (++i >= n)
                return fail(ps, P_BAD_FORMAT);
            if (!parse_spec(ps, f, n, &i, depth))
                return false;
            continue;
        }
        if (is_ws(f[i])) {
            skip_ws(ps);
            continue;
        }
        /* a literal run up to the next '%' or whitespace */
        int64_t j = i;
        while (j < n && f[j] != '%' && !is_ws(f[j]))
            j++;
        int64_t run = j - i;
        if (ps->len - ps->at < run)
            return fail(ps, P_TOO_SHORT);
        if (memcmp(ps->s + ps->at, f + i, (size_t)run) != 0)
            return fail(ps, P_INVALID);
        ps->at += run;
        i = j - 1;
    }
    return true;
}

static bool run_parse(pstate *ps, parsed *pd, const uint8_t *s, int64_t s_len, const uint8_t *fmt,
                      int64_t fmt_len)
{
    memset(pd, 0, sizeof *pd);
    ps->s = s;
    ps->len = s_len;
    ps->at = 0;
    ps->pd = pd;
    ps->why = NULL;
    if (!parse_items(ps, fmt, fmt_len, 0))
        return false;
    if (ps->at < ps->len)
        return fail(ps, P_TOO_LONG);
    return true;
}

/* chrono Parsed::to_naive_time: seconds of the day + nanos. */
static bool resolve_time(pstate *ps, const parsed *pd, int64_t *secs, int32_t *nanos)
{
    if (!pd->set[F_HDIV] || !pd->set[F_HMOD] || !pd->set[F_MIN])
        return fail(ps, P_NOT_ENOUGH);
    int64_t second = pd->set[F_SEC] ? pd->v[F_SEC] : 0;
    if (pd->set[F_NANO] && !pd->set[F_SEC])
        return fail(ps, P_NOT_ENOUGH);
    *secs = (pd->v[F_HDIV] * 12 + pd->v[F_HMOD]) * 3600 + pd->v[F_MIN] * 60 + second;
    *nanos = pd->set[F_NANO] ? (int32_t)pd->v[F_NANO] : 0;
    return true;
}

static bool resolve_date(pstate *ps, const parsed *pd, int64_t *days)
{
    int64_t year;
    if (pd->set[F_YEAR]) {
        year = pd->v[F_YEAR];
        if ((pd->set[F_YMOD] && dt_floor_mod(year, 100) != pd->v[F_YMOD]) ||
            (pd->set[F_YDIV] && dt_floor_div(year, 100) != pd->v[F_YDIV]))
            return fail(ps, P_IMPOSSIBLE);
    } else if (pd->set[F_YDIV] && pd->set[F_YMOD]) {
        year = pd->v[F_YDIV] * 100 + pd->v[F_YMOD];
    } else if (pd->set[F_YMOD]) {
        year = pd->v[F_YMOD] + (pd->v[F_YMOD] < 70 ? 2000 : 1900);
    } else {
        return fail(ps, P_NOT_ENOUGH);
    }
    if (pd->set[F_MONTH] && pd->set[F_DAY]) {
        if (!dt_valid_ymd(year, (int)pd->v[F_MONTH], (int)pd->v[F_DAY]))
            return fail(ps, P_OUT_OF_RANGE);
        *days = dt_days_from_civil(year, (int)pd->v[F_MONTH], (int)pd->v[F_DAY]);
    } else if (pd->set[F_ORD]) {
        if (pd->v[F_ORD] > 365 + (dt_month_days(year, 2) == 29))
            return fail(ps, P_OUT_OF_RANGE);
        *days = dt_days_from_civil(year, 1, 1) + pd->v[F_ORD] - 1;
    } else {
        return fail(ps, P_NOT_ENOUGH);
    }
    if (pd->set[F_WDAY] && dt_weekday(*days) != pd->v[F_WDAY])
        return fail(ps, P_IMPOSSIBLE);
    return true;
}

bool dt_parse_formatted(const uint8_t *s, int64_t s_len, const uint8_t *fmt, int64_t fmt_len,
                        int64_t *secs, int32_t *nanos, const char **why)
{
    pstate ps;
    parsed pd;
    if (!run_parse(&ps, &pd, s, s_len, fmt, fmt_len)) {
        *why = ps.why;
        return false;
    }
    int64_t off = pd.set[F_OFF] ? pd.v[F_OFF] : 0;
    if (pd.set[F_TS]) {
        *secs = pd.v[F_TS];
        *nanos = pd.set[F_NANO] ? (int32_t)pd.v[F_NANO] : 0;
        return true;
    }
    int64_t days, tsecs = 0;
    int32_t tnanos = 0;
    if (!resolve_date(&ps, &pd, &days)) {
        *why = ps.why;
        return false;
    }
    /* a date alone is midnight (DataFusion falls back to to_naive_date) */
    if (pd.set[F_HDIV] || pd.set[F_HMOD] || pd.set[F_MIN]) {
        if (!resolve_time(&ps, &pd, &tsecs, &tnanos)) {
            if (pd.set[F_HMOD] && !pd.set[F_HDIV]) {
                *why = ps.why;
                return false;
            }
            tsecs = 0;
            tnanos = 0;
        }
    }
    *secs = days * DT_SECS_PER_DAY + tsecs - off;
    *nanos = tnanos;
    return true;
}

bool dt_parse_formatted_time(const uint8_t *s, int64_t s_len, const uint8_t *fmt, int64_t fmt_len,
                             int64_t *nanos, const char **why)
{
    pstate ps;
    parsed pd;
    int64_t secs;
    int32_t ns;
    if (!run_parse(&ps, &pd, s, s_len, fmt, fmt_len) || !resolve_time(&ps, &pd, &secs, &ns)) {
        *why = ps.why;
        return false;
    }
    if (secs >= DT_SECS_PER_DAY + 1) {
        *why = P_OUT_OF_RANGE;
        return false;
    }
    *nanos = secs * DT_NANOS_PER_SEC + ns;
    return true;
}
