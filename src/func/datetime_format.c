/*
 * datetime_format.c — chrono's strftime syntax, formatting side (layer:
 * func): a broken-down date / time written with chrono's StrftimeItems
 * specifiers and padding modifiers, for to_char. Parsing with the same
 * syntax is in datetime_strptime.c.
 */
#include <stdio.h>

#include "func/datetime_int.h"

const char *const dt_month_names[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
const char *const dt_day_names[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};

/* ---- formatting ---- */

static void put_num(base_strbuf *sb, int64_t v, int width, char pad)
{
    char digits[24];
    int n = 0;
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m != 0);
    int len = n + (v < 0);
    if (pad == ' ')
        for (int k = len; k < width; k++)
            base_strbuf_append_char(sb, ' ');
    if (v < 0)
        base_strbuf_append_char(sb, '-');
    if (pad == '0')
        for (int k = len; k < width; k++)
            base_strbuf_append_char(sb, '0');
    while (n > 0)
        base_strbuf_append_char(sb, digits[--n]);
}

/* ISO 8601 week-based year and week of a day. */
static void iso_week(int64_t days, int64_t *iso_year, int *week)
{
    int64_t year;
    int month, day;
    dt_civil_from_days(days, &year, &month, &day);
    int wd = (dt_weekday(days) + 6) % 7; /* Monday 0 */
    int64_t thursday = days - wd + 3;
    int64_t ty;
    int tm, td;
    dt_civil_from_days(thursday, &ty, &tm, &td);
    *iso_year = ty;
    *week = (int)((thursday - dt_days_from_civil(ty, 1, 1)) / 7 + 1);
}

static void put_offset(base_strbuf *sb, int32_t offset, int colons)
{
    char sign = offset < 0 ? '-' : '+';
    int32_t a = offset < 0 ? -offset : offset;
    int h = a / 3600, m = a / 60 % 60, s = a % 60;
    if (colons == 3)
        base_strbuf_appendf(sb, "%c%02d", sign, h);
    else if (colons == 2)
        base_strbuf_appendf(sb, "%c%02d:%02d:%02d", sign, h, m, s);
    else if (colons == 1)
        base_strbuf_appendf(sb, "%c%02d:%02d", sign, h, m);
    else
        base_strbuf_appendf(sb, "%c%02d%02d", sign, h, m);
}

static void put_fraction(base_strbuf *sb, int32_t nanos, int digits, bool dot)
{
    if (digits == 0) { /* automatic: none, 3, 6 or 9 */
        if (nanos == 0)
            return;
        digits = nanos % 1000000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
    }
    int64_t v = nanos;
    for (int k = digits; k < 9; k++)
        v /= 10;
    if (dot)
        base_strbuf_append_char(sb, '.');
    put_num(sb, v, digits, '0');
}

static bool format_items(const dt_tm *tm, const uint8_t *f, int64_t n, base_strbuf *sb, int depth);

static bool format_spec(const dt_tm *tm, const uint8_t *f, int64_t n, int64_t *i, base_strbuf *sb,
                        int depth)
{
    char pad = '?'; /* '?': the specifier's default */
    uint8_t c = f[*i];
    if (c == '-' || c == '_' || c == '0') {
        pad = c == '-' ? 0 : c == '_' ? ' ' : '0';
        if (++*i >= n)
            return false;
        c = f[*i];
    }
#define PAD(def) (pad == '?' ? (def) : pad)
    int64_t days = tm->has_date ? dt_days_from_civil(tm->year, tm->month, tm->day) : 0;
    int hour12 = tm->hour % 12 == 0 ? 12 : tm->hour % 12;
    switch (c) {
    case 'Y':
        if (!tm->has_date)
            return false;
        if (tm->year >= 0 && tm->year <= 9999)
            put_num(sb, tm->year, 4, PAD('0'));
        else
            base_strbuf_appendf(sb, "%+05lld", (long long)tm->year);
        return true;
    case 'C':
    case 'y':
    case 'm':
    case 'd':
    case 'e':
    case 'j':
    case 'b':
    case 'h':
    case 'B':
    case 'a':
    case 'A':
    case 'w':
    case 'u':
    case 'U':
    case 'W':
    case 'G':
    case 'g':
    case 'V':
    case 'q':
    case 'D':
    case 'x':
    case 'F':
    case 'v':
        if (!tm->has_date)
            return false;
        break;
    case 'H':
    case 'k':
    case 'I':
    case 'l':
    case 'P':
    case 'p':
    case 'M':
    case 'S':
    case 'f':
    case 'R':
    case 'T':
    case 'X':
    case 'r':
        if (!tm->has_time)
            return false;
        break;
    default:
        break;
    }
    switch (c) {
    case 'C':
        put_num(sb, dt_floor_div(tm->year, 100), 2, PAD('0'));
        return true;
    case 'y':
        put_num(sb, dt_floor_mod(tm->year, 100), 2, PAD('0'));
        return true;
    case 'm':
        put_num(sb, tm->month, 2, PAD('0'));
        return true;
    case 'd':
        put_num(sb, tm->day, 2, PAD('0'));
        return true;
    case 'e':
        put_num(sb, tm->day, 2, PAD(' '));
        return true;
    case 'j':
        put_num(sb, days - dt_days_from_civil(tm->year, 1, 1) + 1, 3, PAD('0'));
        return true;
    case 'b':
    case 'h':
        base_strbuf_append(sb, dt_month_names[tm->month - 1], 3);
        return true;
    case 'B':
        base_strbuf_append_str(sb, dt_month_names[tm->month - 1]);
        return true;
    case 'a':
        base_strbuf_append(sb, dt_day_names[dt_weekday(days)], 3);
        return true;
    case 'A':
        base_strbuf_append_str(sb, dt_day_names[dt_weekday(days)]);
        return true;
    case 'w':
        put_num(sb, dt_weekday(days), 1, 0);
        return true;
    case 'u':
        put_num(sb, (dt_weekday(days) + 6) % 7 + 1, 1, 0);
        return true;
    case 'U':
    case 'W': {
        int64_t yday = days - dt_days_from_civil(tm->year, 1, 1);
        int wd = c == 'U' ? dt_weekday(days) : (dt_weekday(days) + 6) % 7;
        put_num(sb, (yday - wd + 7) / 7, 2, PAD('0'));
        return true;
    }
    case 'G':
    case 'g':
    case 'V': {
        int64_t iy;
        int wk;
        iso_week(days, &iy, &wk);
        if (c == 'V')
            put_num(sb, wk, 2, PAD('0'));
        else if (c == 'g')
            put_num(sb, dt_floor_mod(iy, 100), 2, PAD('0'));
        else if (iy >= 0 && iy <= 9999)
            put_num(sb, iy, 4, PAD('0'));
        else
            base_strbuf_appendf(sb, "%+05lld", (long long)iy);
        return true;
    }
    case 'q':
        put_num(sb, (tm->month - 1) / 3 + 1, 1, 0);
        return true;
    case 'D':
    case 'x':
        return format_items(tm, (const uint8_t *)"%m/%d/%y", 8, sb, depth + 1);
    case 'F':
        return format_items(tm, (const uint8_t *)"%Y-%m-%d", 8, sb, depth + 1);
    case 'v':
        return format_items(tm, (const uint8_t *)"%e-%b-%Y", 8, sb, depth + 1);
    case 'H':
        put_num(sb, tm->hour, 2, PAD('0'));
        return true;
    case 'k':
        put_num(sb, tm->hour, 2, PAD(' '));
        return true;
    case 'I':
        put_num(sb, hour12, 2, PAD('0'));
        return true;
    case 'l':
        put_num(sb, hour12, 2, PAD(' '));
        return true;
    case 'P':
        base_strbuf_append_str(sb, tm->hour < 12 ? "am" : "pm");
        return true;
    case 'p':
        base_strbuf_append_str(sb, tm->hour < 12 ? "AM" : "PM");
        return true;
    case 'M':
        put_num(sb, tm->minute, 2, PAD('0'));
        return true;
    case 'S':
        put_num(sb, tm->second, 2, PAD('0'));
        return true;
    case 'f':
        put_num(sb, tm->nanos, 9, '0');
        return true;
    case 'R':
        return format_items(tm, (const uint8_t *)"%H:%M", 5, sb, depth + 1);
    case 'T':
    case 'X':
        return format_items(tm, (const uint8_t *)"%H:%M:%S", 8, sb, depth + 1);
    case 'r':
        return format_items(tm, (const uint8_t *)"%I:%M:%S %p", 11, sb, depth + 1);
    case 'c':
        return format_items(tm, (const uint8_t *)"%a %b %e %H:%M:%S %Y", 20, sb, depth + 1);
    case '+':
        if (!tm->has_offset)
            return false;
        return format_items(tm, (const uint8_t *)"%Y-%m-%dT%H:%M:%S%.f%:z", 23, sb, depth + 1);
    case 's':
        if (!tm->has_date)
            return false;
        put_num(sb, tm->epoch_secs, 1, 0);
        return true;
    case 'Z':
        if (!tm->has_offset)
            return false;
        if (tm->tz_name != NULL)
            base_strbuf_append_str(sb, tm->tz_name);
        else
            put_offset(sb, tm->offset, 1);
        return true;
    case 'z':
        if (!tm->has_offset)
            return false;
        put_offset(sb, tm->offset, 0);
        return true;
    case ':': {
        int colons = 0;
        while (*i < n && f[*i] == ':') {
            colons++;
            (*i)++;
        }
        if (*i >= n || f[*i] != 'z' || colons > 3 || !tm->has_offset)
            return false;
        put_offset(sb, tm->offset, colons);
        return true;
    }
    case '.': {
        if (++*i >= n || !tm->has_time)
            return false;
        int digits = 0;
        if (f[*i] >= '0' && f[*i] <= '9') {
            digits = f[*i] - '0';
            if (digits != 3 && digits != 6 && digits != 9)
                return false;
            if (++*i >= n)
                return false;
        }
        if (f[*i] != 'f')
            return false;
        if (digits == 0)
            put_fraction(sb, tm->nanos, 0, true);
        else
            put_fraction(sb, tm->nanos, digits, true);
        return true;
    }
    case '3':
    case '6':
    case '9':
        if (++*i >= n || f[*i] != 'f' || !tm->has_time)
            return false;
        put_fraction(sb, tm->nanos, c - '0', false);
        return true;
    case 't':
        base_strbuf_append_char(sb, '\t');
        return true;
    case 'n':
        base_strbuf_append_char(sb, '\n');
        return true;
    case '%':
        base_strbuf_append_char(sb, '%');
        return true;
    default:
        return false;
    }
#undef PAD
}

static bool format_items(const dt_tm *tm, const uint8_t *f, int64_t n, base_strbuf *sb, int depth)
{
    if (depth > 3)
        return false;
    for (int64_t i = 0; i < n; i++) {
        if (f[i] != '%') {
            base_strbuf_append_char(sb, (char)f[i]);
            continue;
        }
        if (++i >= n || !format_spec(tm, f, n, &i, sb, depth))
            return false;
    }
    return true;
}

bool dt_format(const dt_tm *tm, const uint8_t *fmt, int64_t fmt_len, base_strbuf *sb)
{
    return format_items(tm, fmt, fmt_len, sb, 0);
}
