/*
 * listing_files.c — the files of a listing table and their partition
 * values (layer: catalog): locations parsed as DataFusion's
 * ListingTableUrl, listing with its extension / glob / subdirectory rules,
 * hive partition values parsed into the partition columns' types, and
 * partition filters decided per file so that pruned files are never
 * opened.
 */
#define _POSIX_C_SOURCE 200809L /* fnmatch */
#include <fnmatch.h>
#include <string.h>

#include "catalog/listing_int.h"

/* ---- locations ---- */

/* DataFusion's split_glob_expression: the part before the segment holding
 * the first glob character, and the pattern from there. */
static const char *glob_start(const char *path)
{
    const char *last_slash = NULL;
    for (const char *p = path; *p; p++) {
        if (*p == '/')
            last_slash = p;
        else if (*p == '*' || *p == '?' || *p == '[')
            return last_slash != NULL ? last_slash + 1 : path;
    }
    return NULL;
}

qv_status listing_location_parse(const char *path, listing_location *out, qv_error *err)
{
    memset(out, 0, sizeof *out);
    const char *glob = glob_start(path);
    char *prefix = NULL;
    if (glob != NULL) {
        out->glob = base_strdup(glob);
        prefix = glob == path ? base_strdup("./") : base_strndup(path, (size_t)(glob - path));
        if (out->glob == NULL || prefix == NULL) {
            base_free(prefix);
            listing_location_clear(out);
            return base_error_nomem(err, "table location");
        }
        path = prefix;
    }
    char *abs = NULL;
    qv_status st = io_absolute_path(path, &abs, err);
    base_free(prefix);
    if (st != QV_OK) {
        listing_location_clear(out);
        return st;
    }
    size_t len = strlen(abs);
    bool trailing = len > 1 && abs[len - 1] == '/';
    if (trailing)
        abs[--len] = '\0';
    out->root = abs;
    out->is_collection = glob != NULL || trailing || io_path_kind(abs) == IO_PATH_DIRECTORY;
    return QV_OK;
}

void listing_location_clear(listing_location *loc)
{
    base_free(loc->root);
    base_free(loc->glob);
    memset(loc, 0, sizeof *loc);
}

char *listing_location_url(const listing_location *loc)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    base_strbuf_append_str(&sb, "file://");
    base_strbuf_append_str(&sb, loc->root);
    if (loc->is_collection && strcmp(loc->root, "/") != 0)
        base_strbuf_append_char(&sb, '/');
    return base_strbuf_take(&sb);
}

/* ListingTableUrl::contains for a listed file: the glob against the file
 * name (ignoring subdirectories) or against the path below the root, in
 * both cases without the key=value directories. */
static bool glob_matches(const listing_location *loc, const char *path, bool ignore_subdirectory)
{
    const char *rest = path + strlen(loc->root);
    while (*rest == '/')
        rest++;
    base_strbuf kept;
    base_strbuf_init(&kept);
    const char *seg = rest;
    while (*seg) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (memchr(seg, '=', n) == NULL) {
            if (kept.len > 0)
                base_strbuf_append_char(&kept, '/');
            base_strbuf_append(&kept, seg, n);
            if (ignore_subdirectory)
                break;
        }
        seg += n;
        while (*seg == '/')
            seg++;
    }
    bool ok = !base_strbuf_failed(&kept) && fnmatch(loc->glob, base_strbuf_cstr(&kept), 0) == 0;
    base_strbuf_free(&kept);
    return ok;
}

/* ---- partition values ---- */

static qv_status cast_error(arrow_type *type, const char *text, qv_error *err)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    arrow_type_format(type, &sb);
    qv_status st = base_error_set(err, QV_CAST,
                                  "Arrow error: Cast error: Cannot cast string '%s' to value of "
                                  "%s type",
                                  text, base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return st;
}

static bool int_bounds(arrow_type_id id, int64_t *min, int64_t *max)
{
    switch (id) {
    case QV_TYPE_INT8:
        *min = INT8_MIN, *max = INT8_MAX;
        return true;
    case QV_TYPE_INT16:
        *min = INT16_MIN, *max = INT16_MAX;
        return true;
    case QV_TYPE_INT32:
        *min = INT32_MIN, *max = INT32_MAX;
        return true;
    case QV_TYPE_INT64:
        *min = INT64_MIN, *max = INT64_MAX;
        return true;
    default:
        return false;
    }
}

static uint64_t uint_max(arrow_type_id id)
{
    switch (id) {
    case QV_TYPE_UINT8:
        return UINT8_MAX;
    case QV_TYPE_UINT16:
        return UINT16_MAX;
    case QV_TYPE_UINT32:
        return UINT32_MAX;
    default:
        return UINT64_MAX;
    }
}

/* Types partition values can have (and partition filters compare). */
static bool value_type_supported(const arrow_type *t)
{
    switch (t->id) {
    case QV_TYPE_UTF8:
    case QV_TYPE_LARGE_UTF8:
    case QV_TYPE_UTF8_VIEW:
    case QV_TYPE_BOOLEAN:
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256:
        return true;
    default:
        return arrow_type_is_integer(t->id);
    }
}

static qv_status append_parsed(arrow_builder *b, arrow_type *type, const char *text, qv_error *err)
{
    size_t len = strlen(text);
    arrow_type_id id = type->id;
    int64_t i64, min, max;
    uint64_t u64;
    double f64;
    bool flag;
    int32_t days;
    if (id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW)
        return arrow_builder_append_bytes(b, text, (int64_t)len, err);
    if (int_bounds(id, &min, &max))
        return fmt_parse_int(text, len, min, max, &i64) ? arrow_builder_append_int(b, i64, err)
                                                        : cast_error(type, text, err);
    if (arrow_type_is_integer(id))
        return fmt_parse_uint(text, len, uint_max(id), &u64)
                   ? arrow_builder_append_uint(b, u64, err)
                   : cast_error(type, text, err);
    switch (id) {
    case QV_TYPE_FLOAT32:
    case QV_TYPE_FLOAT64:
        return fmt_parse_double(text, len, &f64) ? arrow_builder_append_double(b, f64, err)
                                                 : cast_error(type, text, err);
    case QV_TYPE_BOOLEAN:
        return fmt_parse_bool(text, len, &flag) ? arrow_builder_append_bool(b, flag, err)
                                                : cast_error(type, text, err);
    case QV_TYPE_DATE32:
    case QV_TYPE_DATE64:
        if (!fmt_parse_date32(text, len, &days))
            return cast_error(type, text, err);
        return arrow_builder_append_int(b, id == QV_TYPE_DATE32 ? days : days * 86400000LL, err);
    case QV_TYPE_TIMESTAMP: {
        int32_t offset = 0;
        if (type->timezone != NULL && !fmt_tz_fixed_offset(type->timezone, &offset))
            return base_error_set(err, QV_NOT_IMPLEMENTED,
                                  "This feature is not implemented: partition values in time "
                                  "zone %s",
                                  type->timezone);
        return fmt_parse_timestamp(text, len, type->unit, offset, &i64, NULL)
                   ? arrow_builder_append_int(b, i64, err)
                   : cast_error(type, text, err);
    }
    case QV_TYPE_DECIMAL128:
    case QV_TYPE_DECIMAL256: {
        uint8_t le[32];
        bool overflow = false;
        int n_bytes = id == QV_TYPE_DECIMAL128 ? 16 : 32;
        if (!fmt_parse_decimal(text, len, type->precision, type->scale, le, n_bytes, &overflow) ||
            overflow)
            return cast_error(type, text, err);
        return arrow_builder_append_decimal(b, le, err);
    }
    default: {
        base_strbuf sb;
        base_strbuf_init(&sb);
        arrow_type_format(type, &sb);
        qv_status st = base_error_set(err, QV_NOT_IMPLEMENTED,
                                      "This feature is not implemented: partition columns of "
                                      "type %s",
                                      base_strbuf_cstr(&sb));
        base_strbuf_free(&sb);
        return st;
    }
    }
}

qv_status listing_partition_value(arrow_type *type, const char *text, arrow_array **out,
                                  qv_error *err)
{
    *out = NULL;
    arrow_builder *b = NULL;
    QV_TRY(arrow_builder_new(type, &b, err));
    qv_status st = append_parsed(b, type, text, err);
    if (st == QV_OK)
        st = arrow_builder_finish(b, out, err);
    arrow_builder_free(b);
    return st;
}

/* ---- listing ---- */

void listing_file_clear(listing_file *file)
{
    base_free(file->path);
    /* as many values as the table has partition columns, NULL-terminated */
    for (arrow_array **v = file->values; v != NULL && *v != NULL; v++)
        arrow_array_release(*v);
    base_free(file->values);
    memset(file, 0, sizeof *file);
}

void listing_files_free(listing_files *files)
{
    for (int32_t i = 0; i < files->n; i++)
        listing_file_clear(&files->items[i]);
    base_free(files->items);
    files->items = NULL;
    files->n = 0;
}

static qv_status add_file(const listing_table *lt, listing_files *out, int32_t *cap,
                          const io_file_entry *entry, char **texts, bool parse_values,
                          qv_error *err)
{
    if (out->n == *cap) {
        int32_t grown_cap = *cap ? *cap * 2 : 16;
        listing_file *grown = base_realloc(out->items, (size_t)grown_cap * sizeof *grown);
        if (grown == NULL)
            return base_error_nomem(err, "file listing");
        out->items = grown;
        *cap = grown_cap;
    }
    listing_file *f = &out->items[out->n];
    memset(f, 0, sizeof *f);
    f->path = base_strdup(entry->path);
    f->size = entry->size;
    f->mtime_ns = entry->mtime_ns;
    if (f->path == NULL)
        return base_error_nomem(err, "file listing");
    out->n++;
    if (!parse_values || lt->n_partitions == 0)
        return QV_OK;
    f->values = base_calloc((size_t)lt->n_partitions + 1, sizeof *f->values);
    if (f->values == NULL)
        return base_error_nomem(err, "file listing");
    for (int32_t p = 0; p < lt->n_partitions; p++) {
        arrow_type *type = lt->base.schema->fields[lt->n_file_columns + p]->type;
        QV_TRY(listing_partition_value(type, texts[p], &f->values[p], err));
    }
    return QV_OK;
}

/* The files under loc, from the runtime's list-files cache when it has
 * them (file_cache.h), else listed now and remembered there. */
static qv_status list_cached(const listing_table *lt, const listing_location *loc, bool ignore,
                             io_file_list *list, qv_error *err)
{
    catalog_list_key key = {lt->cache_table, loc->root, lt->extension, ignore};
    bool hit = false;
    if (lt->file_cache != NULL) {
        QV_TRY(catalog_file_cache_list_get(lt->file_cache, &key, list, &hit, err));
        if (hit)
            return QV_OK;
    }
    QV_TRY(io_list_files(loc->root, lt->extension, ignore, list, err));
    qv_status st = QV_OK;
    if (lt->file_cache != NULL)
        st = catalog_file_cache_list_put(lt->file_cache, &key, list, err);
    if (st != QV_OK)
        io_file_list_free(list);
    return st;
}

static qv_status list_location(const listing_table *lt, const listing_location *loc,
                               bool parse_values, listing_files *out, int32_t *cap, qv_error *err)
{
    io_file_list list = {0};
    bool ignore = lt->ignore_subdirectory && loc->is_collection;
    qv_status st = list_cached(lt, loc, ignore, &list, err);
    if (st == QV_NOT_FOUND && loc->is_collection) {
        if (err != NULL)
            qv_error_clear(err);
        return QV_OK; /* a directory not made yet holds no files */
    }
    QV_TRY(st);
    char **texts = base_calloc((size_t)lt->n_partitions + 1, sizeof *texts);
    if (texts == NULL) {
        io_file_list_free(&list);
        return base_error_nomem(err, "file listing");
    }
    for (int32_t i = 0; i < list.n && st == QV_OK; i++) {
        const io_file_entry *e = &list.entries[i];
        if (loc->glob != NULL && !glob_matches(loc, e->path, ignore))
            continue;
        if (loc->is_collection && lt->n_partitions > 0) {
            qv_status match_st = QV_OK;
            bool inside =
                io_hive_match(loc->root, e->path, (const char *const *)lt->partition_names,
                              lt->n_partitions, texts, &match_st);
            if (match_st != QV_OK) {
                st = base_error_nomem(err, "file listing");
                break;
            }
            if (!inside)
                continue; /* outside the partition layout: not part of the table */
        }
        st = add_file(lt, out, cap, e, texts, parse_values, err);
        for (int32_t p = 0; p < lt->n_partitions; p++) {
            base_free(texts[p]);
            texts[p] = NULL;
        }
    }
    base_free(texts);
    io_file_list_free(&list);
    return st;
}

qv_status listing_list(const listing_table *lt, bool parse_values, listing_files *out,
                       qv_error *err)
{
    out->n = 0;
    out->items = NULL;
    int32_t cap = 0;
    for (int32_t i = 0; i < lt->n_locations; i++) {
        qv_status st = list_location(lt, &lt->locations[i], parse_values, out, &cap, err);
        if (st != QV_OK) {
            listing_files_free(out);
            return st;
        }
    }
    return QV_OK;
}

/* ---- partition filters ---- */

static int64_t read_signed(const arrow_array *a, int64_t i)
{
    const uint8_t *v = arrow_array_values(a);
    int64_t slot = a->offset + i;
    switch (arrow_type_bit_width(a->type)) {
    case 8:
        return ((const int8_t *)v)[slot];
    case 16: {
        int16_t x;
        memcpy(&x, v + 2 * slot, 2);
        return x;
    }
    case 32: {
        int32_t x;
        memcpy(&x, v + 4 * slot, 4);
        return x;
    }
    default: {
        int64_t x;
        memcpy(&x, v + 8 * slot, 8);
        return x;
    }
    }
}

static uint64_t read_unsigned(const arrow_array *a, int64_t i)
{
    const uint8_t *v = arrow_array_values(a);
    int64_t slot = a->offset + i;
    uint64_t x = 0;
    int32_t bytes = arrow_type_bit_width(a->type) / 8;
    memcpy(&x, v + (size_t)bytes * (size_t)slot, (size_t)bytes); /* little-endian */
    return x;
}

static double read_float(const arrow_array *a, int64_t i)
{
    const uint8_t *v = arrow_array_values(a);
    int64_t slot = a->offset + i;
    if (a->type->id == QV_TYPE_FLOAT32) {
        float x;
        memcpy(&x, v + 4 * slot, 4);
        return x;
    }
    double x;
    memcpy(&x, v + 8 * slot, 8);
    return x;
}

/* Signed comparison of two little-endian two's complement numbers. */
static int compare_wide(const uint8_t *a, const uint8_t *b, int n)
{
    bool neg_a = (a[n - 1] & 0x80) != 0, neg_b = (b[n - 1] & 0x80) != 0;
    if (neg_a != neg_b)
        return neg_a ? -1 : 1;
    for (int k = n - 1; k >= 0; k--)
        if (a[k] != b[k])
            return a[k] < b[k] ? -1 : 1;
    return 0;
}

/* Compares valid elements a[i] and b[j] of one type (supported above). */
static int compare(const arrow_array *a, int64_t i, const arrow_array *b, int64_t j)
{
    arrow_type_id id = a->type->id;
    if (id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW) {
        base_strbuf x, y;
        base_strbuf_init(&x);
        base_strbuf_init(&y);
        arrow_format_value(a, i, &x, NULL);
        arrow_format_value(b, j, &y, NULL);
        size_t n = x.len < y.len ? x.len : y.len;
        int c = n > 0 ? memcmp(x.data, y.data, n) : 0;
        if (c == 0)
            c = x.len < y.len ? -1 : x.len > y.len;
        base_strbuf_free(&x);
        base_strbuf_free(&y);
        return c < 0 ? -1 : c > 0;
    }
    if (id == QV_TYPE_BOOLEAN) {
        bool x = arrow_bit_get(arrow_array_values(a), a->offset + i);
        bool y = arrow_bit_get(arrow_array_values(b), b->offset + j);
        return (int)x - (int)y;
    }
    if (id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64) {
        double x = read_float(a, i), y = read_float(b, j);
        return x < y ? -1 : x > y;
    }
    if (id == QV_TYPE_DECIMAL128 || id == QV_TYPE_DECIMAL256) {
        int n = id == QV_TYPE_DECIMAL128 ? 16 : 32;
        return compare_wide(arrow_array_values(a) + (size_t)n * (size_t)(a->offset + i),
                            arrow_array_values(b) + (size_t)n * (size_t)(b->offset + j), n);
    }
    if (arrow_type_is_integer(id) && !arrow_type_is_signed_integer(id)) {
        uint64_t x = read_unsigned(a, i), y = read_unsigned(b, j);
        return x < y ? -1 : x > y;
    }
    int64_t x = read_signed(a, i), y = read_signed(b, j);
    return x < y ? -1 : x > y;
}

bool listing_predicate_supported(const listing_table *lt, const catalog_predicate *predicate)
{
    int32_t col = predicate->column;
    if (col < lt->n_file_columns || col >= lt->base.schema->n_fields)
        return false;
    arrow_type *type = lt->base.schema->fields[col]->type;
    if (!value_type_supported(type))
        return false;
    if (predicate->op == CATALOG_PRED_IS_NULL || predicate->op == CATALOG_PRED_IS_NOT_NULL)
        return true;
    const arrow_array *v = predicate->values;
    return v != NULL && v->length >= 1 && arrow_type_equal(v->type, type);
}

static bool passes(const arrow_array *value, const catalog_predicate *p)
{
    bool valid = arrow_array_is_valid(value, 0);
    switch (p->op) {
    case CATALOG_PRED_IS_NULL:
        return !valid;
    case CATALOG_PRED_IS_NOT_NULL:
        return valid;
    case CATALOG_PRED_IN:
        for (int64_t k = 0; valid && k < p->values->length; k++)
            if (arrow_array_is_valid(p->values, k) && compare(value, 0, p->values, k) == 0)
                return true;
        return false;
    default:
        break;
    }
    if (!valid || !arrow_array_is_valid(p->values, 0))
        return false; /* NULL compares to nothing */
    int c = compare(value, 0, p->values, 0);
    switch (p->op) {
    case CATALOG_PRED_EQ:
        return c == 0;
    case CATALOG_PRED_NE:
        return c != 0;
    case CATALOG_PRED_LT:
        return c < 0;
    case CATALOG_PRED_LE:
        return c <= 0;
    case CATALOG_PRED_GT:
        return c > 0;
    case CATALOG_PRED_GE:
        return c >= 0;
    default:
        return true;
    }
}

bool listing_file_passes(const listing_table *lt, const listing_file *file,
                         const catalog_predicate *predicates, int32_t n_predicates)
{
    for (int32_t i = 0; i < n_predicates; i++) {
        const catalog_predicate *p = &predicates[i];
        if (!listing_predicate_supported(lt, p) || file->values == NULL)
            continue;
        if (!passes(file->values[p->column - lt->n_file_columns], p))
            return false;
    }
    return true;
}

/* ---- partition columns found on disk ---- */

static void free_keys(char **keys, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        base_free(keys[i]);
    base_free(keys);
}

/* The `key` parts of the key=value directories of path below root. */
static qv_status path_keys(const char *root, const char *path, char ***out, int32_t *n_out,
                           qv_error *err)
{
    *out = NULL;
    *n_out = 0;
    const char *rest = path + strlen(root);
    const char *file_name = strrchr(rest, '/');
    int32_t cap = 0;
    for (const char *seg = rest; file_name != NULL && seg < file_name;) {
        while (*seg == '/' && seg < file_name)
            seg++;
        const char *end = seg;
        while (end < file_name && *end != '/')
            end++;
        const char *eq = memchr(seg, '=', (size_t)(end - seg));
        if (eq != NULL) {
            if (*n_out == cap) {
                cap = cap ? cap * 2 : 4;
                char **grown = base_realloc(*out, (size_t)cap * sizeof *grown);
                if (grown == NULL) {
                    free_keys(*out, *n_out);
                    *out = NULL;
                    return base_error_nomem(err, "partition keys");
                }
                *out = grown;
            }
            (*out)[*n_out] = base_strndup(seg, (size_t)(eq - seg));
            if ((*out)[(*n_out)++] == NULL) {
                free_keys(*out, *n_out);
                *out = NULL;
                return base_error_nomem(err, "partition keys");
            }
        }
        seg = end;
    }
    return QV_OK;
}

static bool same_keys(char **a, int32_t na, char **b, int32_t nb)
{
    if (na != nb)
        return false;
    for (int32_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static void append_key_list(base_strbuf *sb, char **keys, int32_t n)
{
    base_strbuf_append_char(sb, '[');
    for (int32_t i = 0; i < n; i++)
        base_strbuf_appendf(sb, "%s\"%s\"", i > 0 ? ", " : "", keys[i]);
    base_strbuf_append_char(sb, ']');
}

/* Orders key lists as Rust orders Vec<String>. */
static int compare_key_lists(char **a, int32_t na, char **b, int32_t nb)
{
    for (int32_t i = 0; i < na && i < nb; i++) {
        int c = strcmp(a[i], b[i]);
        if (c != 0)
            return c;
    }
    return na < nb ? -1 : na > nb;
}

qv_status listing_infer_partitions(const listing_table *lt, char ***keys, int32_t *n_keys,
                                   qv_error *err)
{
    *keys = NULL;
    *n_keys = 0;
    char **first = NULL;
    int32_t n_first = 0, seen = 0;
    qv_status st = QV_OK;
    for (int32_t l = 0; l < lt->n_locations && seen < 10 && st == QV_OK; l++) {
        const listing_location *loc = &lt->locations[l];
        io_file_list list = {0};
        bool ignore = lt->ignore_subdirectory && loc->is_collection;
        st = io_list_files(loc->root, lt->extension, ignore, &list, err);
        if (st == QV_NOT_FOUND) {
            if (err != NULL)
                qv_error_clear(err);
            st = QV_OK;
            continue;
        }
        /* DataFusion looks at the first 10 files only */
        for (int32_t i = 0; i < list.n && seen < 10 && st == QV_OK; i++) {
            if (loc->glob != NULL && !glob_matches(loc, list.entries[i].path, ignore))
                continue;
            char **k = NULL;
            int32_t nk = 0;
            st = path_keys(loc->root, list.entries[i].path, &k, &nk, err);
            if (st != QV_OK)
                break;
            if (seen++ == 0) {
                first = k;
                n_first = nk;
                continue;
            }
            if (!same_keys(first, n_first, k, nk)) {
                base_strbuf sb;
                base_strbuf_init(&sb);
                bool first_low = compare_key_lists(first, n_first, k, nk) <= 0;
                append_key_list(&sb, first_low ? first : k, first_low ? n_first : nk);
                base_strbuf_append_str(&sb, ", ");
                append_key_list(&sb, first_low ? k : first, first_low ? nk : n_first);
                st = base_error_set(err, QV_PLAN,
                                    "Error during planning: Found mixed partition values on "
                                    "disk [%s]",
                                    base_strbuf_cstr(&sb));
                base_strbuf_free(&sb);
            }
            free_keys(k, nk);
        }
        io_file_list_free(&list);
    }
    if (st != QV_OK) {
        free_keys(first, n_first);
        return st;
    }
    *keys = first;
    *n_keys = n_first;
    return QV_OK;
}

void listing_free_keys(char **keys, int32_t n)
{
    free_keys(keys, n);
}
