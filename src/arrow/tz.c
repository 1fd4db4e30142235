/*
 * tz.c — UTC offsets of time zones for timestamp display (layer: arrow).
 *
 * Fixed offsets are parsed as arrow-rs's Tz does ("+08:00", "+0800", "+08").
 * IANA names are read from the system tz database as TZif files (RFC 8536,
 * versions 1-4: the 64-bit block when present) and cached per name for the
 * life of the process; instants after the last transition follow the file's
 * POSIX TZ footer rule ("CET-1CEST,M3.5.0,M10.5.0/3"). Names are matched
 * exactly, as chrono-tz does.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/format_int.h"

/* A day-of-year rule of a POSIX TZ string. */
typedef struct tz_rule_date {
    char kind;    /* 'J' (1..365, no Feb 29), 'D' (0..365), 'M' (month.week.day) */
    int day;      /* J / D day, or M weekday 0..6 (Sunday 0) */
    int month;    /* M only */
    int week;     /* M only, 1..5 (5: last) */
    int32_t time; /* seconds after local midnight; may be negative or > 24h */
} tz_rule_date;

typedef struct tz_posix {
    bool valid;
    int32_t std_offset; /* UTC offset in seconds, east positive */
    bool has_dst;
    int32_t dst_offset;
    tz_rule_date start, end;
} tz_posix;

typedef struct tz_zone {
    struct tz_zone *next;
    char *name;
    bool found;
    int64_t n_transitions;
    int64_t *transitions;     /* UTC seconds, ascending */
    uint8_t *transition_type; /* index into offsets */
    int32_t n_types;
    int32_t *offsets; /* utoff of each local time type */
    tz_posix footer;
} tz_zone;

static pthread_mutex_t cache_mutex = PTHREAD_MUTEX_INITIALIZER;
static tz_zone *cache_head;

/* arrow-rs parse_fixed_offset: [+-]HH:MM, [+-]HHMM or [+-]HH. */
static bool parse_fixed_offset(const char *name, int32_t *offset)
{
    size_t len = strlen(name);
    char d[4];
    if (len == 6 && name[3] == ':') {
        d[0] = name[1], d[1] = name[2], d[2] = name[4], d[3] = name[5];
    } else if (len == 5) {
        memcpy(d, name + 1, 4);
    } else if (len == 3) {
        d[0] = name[1], d[1] = name[2], d[2] = '0', d[3] = '0';
    } else {
        return false;
    }
    for (int k = 0; k < 4; k++)
        if (d[k] < '0' || d[k] > '9')
            return false;
    int32_t secs =
        ((d[0] - '0') * 10 + (d[1] - '0')) * 3600 + ((d[2] - '0') * 10 + (d[3] - '0')) * 60;
    if (secs >= 86400) /* chrono's FixedOffset bound */
        return false;
    if (name[0] == '+')
        *offset = secs;
    else if (name[0] == '-')
        *offset = -secs;
    else
        return false;
    return true;
}

static int64_t days_from_civil(int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t yoe = year - era * 400;
    int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool is_leap(int64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int month_length(int64_t year, int month)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : lengths[month - 1];
}

/* ---- POSIX TZ strings ---- */

static const char *parse_tz_name(const char *p)
{
    if (*p == '<') {
        while (*p != '\0' && *p != '>')
            p++;
        return *p == '>' ? p + 1 : NULL;
    }
    const char *start = p;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
        p++;
    return p - start >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] in seconds. */
static const char *parse_tz_time(const char *p, int32_t *seconds)
{
    int sign = 1;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    int32_t parts[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        if (*p < '0' || *p > '9')
            return NULL;
        while (*p >= '0' && *p <= '9' && parts[k] < 1000)
            parts[k] = parts[k] * 10 + (*p++ - '0');
        if (*p != ':')
            break;
        p++;
    }
    *seconds = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
    return p;
}

static const char *parse_int(const char *p, int *value)
{
    if (*p < '0' || *p > '9')
        return NULL;
    *value = 0;
    while (*p >= '0' && *p <= '9' && *value < 10000)
        *value = *value * 10 + (*p++ - '0');
    return p;
}

static const char *parse_rule_date(const char *p, tz_rule_date *date)
{
    if (*p == 'J') {
        date->kind = 'J';
        p = parse_int(p + 1, &date->day);
    } else if (*p == 'M') {
        date->kind = 'M';
        p = parse_int(p + 1, &date->month);
        if (p == NULL || *p++ != '.')
            return NULL;
        p = parse_int(p, &date->week);
        if (p == NULL || *p++ != '.')
            return NULL;
        p = parse_int(p, &date->day);
        if (p != NULL && (date->month < 1 || date->month > 12 || date->week < 1 || date->week > 5 ||
                          date->day > 6))
            return NULL;
    } else {
        date->kind = 'D';
        p = parse_int(p, &date->day);
    }
    if (p == NULL)
        return NULL;
    date->time = 7200;
    if (*p == '/')
        p = parse_tz_time(p + 1, &date->time);
    return p;
}

static void parse_posix(const char *p, tz_posix *out)
{
    memset(out, 0, sizeof *out);
    int32_t posix_offset;
    if ((p = parse_tz_name(p)) == NULL || (p = parse_tz_time(p, &posix_offset)) == NULL)
        return;
    out->std_offset = -posix_offset; /* POSIX counts west positive */
    if (*p == '\0') {
        out->valid = true;
        return;
    }
    if ((p = parse_tz_name(p)) == NULL)
        return;
    out->has_dst = true;
    out->dst_offset = out->std_offset + 3600;
    if (*p != ',' && *p != '\0') {
        if ((p = parse_tz_time(p, &posix_offset)) == NULL)
            return;
        out->dst_offset = -posix_offset;
    }
    if (*p == '\0') { /* POSIX's implementation-defined default: US rules */
        out->start = (tz_rule_date){'M', 0, 3, 2, 7200};
        out->end = (tz_rule_date){'M', 0, 11, 1, 7200};
        out->valid = true;
        return;
    }
    if (*p++ != ',' || (p = parse_rule_date(p, &out->start)) == NULL || *p++ != ',' ||
        (p = parse_rule_date(p, &out->end)) == NULL || *p != '\0')
        return;
    out->valid = true;
}

/* Local midnight of the rule's day in `year`, as days since the epoch. */
static int64_t rule_day(const tz_rule_date *date, int64_t year)
{
    int64_t jan1 = days_from_civil(year, 1, 1);
    if (date->kind == 'J')
        return jan1 + date->day - 1 + (is_leap(year) && date->day >= 60 ? 1 : 0);
    if (date->kind == 'D')
        return jan1 + date->day;
    int64_t first = days_from_civil(year, date->month, 1);
    int first_weekday = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int day = 1 + (date->day - first_weekday + 7) % 7 + (date->week - 1) * 7;
    while (day > month_length(year, date->month))
        day -= 7;
    return first + day - 1;
}

static int32_t posix_offset_at(const tz_posix *rule, int64_t t)
{
    if (!rule->has_dst)
        return rule->std_offset;
    /* The year of t in local standard time; transitions of that year decide. */
    int64_t days = (t + rule->std_offset) / 86400 - ((t + rule->std_offset) % 86400 < 0);
    int64_t year = 1970 + days / 366;
    while (days_from_civil(year + 1, 1, 1) <= days)
        year++;
    int64_t start = rule_day(&rule->start, year) * 86400 + rule->start.time - rule->std_offset;
    int64_t end = rule_day(&rule->end, year) * 86400 + rule->end.time - rule->dst_offset;
    bool in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return in_dst ? rule->dst_offset : rule->std_offset;
}

/* ---- TZif files ---- */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const uint8_t *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Reads all of file (at most 16 MiB); false on allocation failure. */
static bool read_file(FILE *file, uint8_t **data, size_t *size)
{
    size_t cap = 4096, len = 0;
    uint8_t *buf = base_alloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len, file);
        if (len < cap || cap >= ((size_t)1 << 24))
            break;
        uint8_t *grown = base_realloc(buf, cap * 2);
        if (grown == NULL) {
            base_free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    *data = buf;
    *size = len;
    return buf != NULL;
}

typedef enum { TZIF_OK, TZIF_BAD, TZIF_NOMEM } tzif_result;

/* Fills zone from a TZif image. */
static tzif_result parse_tzif(const uint8_t *data, size_t size, tz_zone *zone)
{
    if (size < 44 || memcmp(data, "TZif", 4) != 0)
        return TZIF_BAD;
    bool v2 = data[4] >= '2';
    const uint8_t *p = data;
    size_t remaining = size;
    int time_size = 4;
    for (int pass = 0; pass < (v2 ? 2 : 1); pass++) {
        if (remaining < 44 || memcmp(p, "TZif", 4) != 0)
            return TZIF_BAD;
        uint32_t isutcnt = be32(p + 20), isstdcnt = be32(p + 24), leapcnt = be32(p + 28);
        uint32_t timecnt = be32(p + 32), typecnt = be32(p + 36), charcnt = be32(p + 40);
        uint64_t block = (uint64_t)timecnt * (uint64_t)(time_size + 1) + (uint64_t)typecnt * 6 +
                         charcnt + (uint64_t)leapcnt * (uint64_t)(time_size + 4) + isstdcnt +
                         isutcnt;
        if (block > remaining - 44 || typecnt == 0 || typecnt > 256)
            return TZIF_BAD;
        if (pass + 1 < (v2 ? 2 : 1)) { /* skip the 32-bit block */
            p += 44 + block;
            remaining -= 44 + block;
            time_size = 8;
            continue;
        }
        const uint8_t *times = p + 44;
        const uint8_t *types = times + (size_t)timecnt * (size_t)time_size;
        const uint8_t *infos = types + timecnt;
        zone->transitions = base_alloc(sizeof(int64_t) * (timecnt ? timecnt : 1));
        zone->transition_type = base_alloc(timecnt ? timecnt : 1);
        zone->offsets = base_alloc(sizeof(int32_t) * typecnt);
        if (!zone->transitions || !zone->transition_type || !zone->offsets)
            return TZIF_NOMEM;
        for (uint32_t k = 0; k < timecnt; k++) {
            zone->transitions[k] =
                time_size == 8 ? be64(times + 8 * k) : (int64_t)(int32_t)be32(times + 4 * k);
            if (types[k] >= typecnt)
                return TZIF_BAD;
            zone->transition_type[k] = types[k];
        }
        for (uint32_t k = 0; k < typecnt; k++)
            zone->offsets[k] = (int32_t)be32(infos + 6 * k);
        zone->n_transitions = timecnt;
        zone->n_types = (int32_t)typecnt;
        /* The footer: "\n<POSIX TZ>\n" after the v2+ data block. */
        const uint8_t *footer = p + 44 + block;
        size_t footer_len = remaining - 44 - block;
        if (v2 && footer_len >= 2 && footer[0] == '\n') {
            const uint8_t *nl = memchr(footer + 1, '\n', footer_len - 1);
            if (nl != NULL && nl - footer - 1 < 128) {
                char text[128];
                memcpy(text, footer + 1, (size_t)(nl - footer - 1));
                text[nl - footer - 1] = '\0';
                parse_posix(text, &zone->footer);
            }
        }
    }
    return TZIF_OK;
}

static void zone_free(tz_zone *zone)
{
    if (zone == NULL)
        return;
    base_free(zone->name);
    base_free(zone->transitions);
    base_free(zone->transition_type);
    base_free(zone->offsets);
    base_free(zone);
}

/* Loads zone `name` (found = false when there is no such TZif file). NULL on
 * allocation failure, so that running out of memory is not cached. */
static tz_zone *zone_load(const char *name)
{
    tz_zone *zone = base_calloc(1, sizeof *zone);
    if (zone == NULL)
        return NULL;
    zone->name = base_strdup(name);
    if (zone->name == NULL) {
        zone_free(zone);
        return NULL;
    }
    /* Only plain relative names: no way out of the database directory. */
    if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL || strlen(name) > 200)
        return zone;
    const char *dir = getenv("TZDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/usr/share/zoneinfo";
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return zone;
    uint8_t *data;
    size_t size;
    bool read_ok = read_file(file, &data, &size);
    fclose(file);
    if (!read_ok) {
        zone_free(zone);
        return NULL;
    }
    tzif_result result = parse_tzif(data, size, zone);
    base_free(data);
    if (result == TZIF_NOMEM) {
        zone_free(zone);
        return NULL;
    }
    zone->found = result == TZIF_OK;
    return zone;
}

static int32_t zone_offset_at(const tz_zone *zone, int64_t t)
{
    if (zone->n_transitions == 0 || t < zone->transitions[0]) {
        if (zone->n_transitions == 0 && zone->footer.valid)
            return posix_offset_at(&zone->footer, t);
        return zone->offsets[0];
    }
    int64_t lo = 0, hi = zone->n_transitions - 1; /* last transition <= t */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (zone->transitions[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    if (lo == zone->n_transitions - 1 && zone->footer.valid)
        return posix_offset_at(&zone->footer, t);
    return zone->offsets[zone->transition_type[lo]];
}

qv_status arrow_tz_offset(const char *name, int64_t utc_seconds, int32_t *offset, qv_error *err)
{
    if (parse_fixed_offset(name, offset))
        return QV_OK;
    pthread_mutex_lock(&cache_mutex);
    tz_zone *zone = cache_head;
    while (zone != NULL && strcmp(zone->name, name) != 0)
        zone = zone->next;
    if (zone == NULL) {
        zone = zone_load(name);
        if (zone == NULL) {
            pthread_mutex_unlock(&cache_mutex);
            return base_error_nomem(err, "time zone");
        }
        zone->next = cache_head;
        cache_head = zone;
    }
    /* Cached zones are never modified or freed while formatting runs, so the
     * lookup itself could go unlocked; holding the lock keeps it simple. */
    bool found = zone->found;
    if (found)
        *offset = zone_offset_at(zone, utc_seconds);
    pthread_mutex_unlock(&cache_mutex);
    if (!found)
        return base_error_set(err, QV_INVALID,
                              "Invalid timezone \"%s\": '%s' is not a valid timezone", name, name);
    return QV_OK;
}
