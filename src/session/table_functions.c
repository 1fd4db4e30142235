/*
 * table_functions.c — the registry of table functions (layer: session):
 * the names FROM name(args) resolves through plan_options.table_function,
 * DataFusion's defaults (generate_series, range, read_csv, read_json,
 * read_parquet) with read_arrow and datafusion-cli's cache introspection
 * (list_files_cache, statistics_cache); and the Debug text of literal
 * arguments that their error messages quote.
 */
#include <string.h>
#include <strings.h>

#include "session/table_fn_int.h"

typedef struct table_fn_entry {
    const char *name;
    session_table_fn fn;
} table_fn_entry;

static const table_fn_entry table_functions[] = {
    {"generate_series", session_generate_series},
    {"list_files_cache", session_list_files_cache},
    {"range", session_range},
    {"read_arrow", session_read_arrow},
    {"read_csv", session_read_csv},
    {"read_json", session_read_json},
    {"read_parquet", session_read_parquet},
    {"statistics_cache", session_statistics_cache},
};

qv_status session_table_function(void *user, const char *name, int32_t n_args,
                                 arrow_array *const *args, catalog_table **out, qv_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < sizeof table_functions / sizeof table_functions[0]; i++)
        if (strcmp(table_functions[i].name, name) == 0)
            return table_functions[i].fn(user, n_args, args, out, err);
    return QV_NOT_FOUND;
}

/* arrow-rs names the ScalarValue variants of timestamps by unit. */
static const char *scalar_variant(const arrow_type *type)
{
    static const char *const timestamps[] = {"TimestampSecond", "TimestampMillisecond",
                                             "TimestampMicrosecond", "TimestampNanosecond"};
    if (type->id == QV_TYPE_TIMESTAMP && (int)type->unit >= 0 && (int)type->unit < 4)
        return timestamps[type->unit];
    return arrow_type_id_name(type->id);
}

char *session_table_fn_literal(const arrow_array *arg)
{
    base_strbuf sb;
    base_strbuf_init(&sb);
    const arrow_type *type = arg->type;
    bool quoted = type->id == QV_TYPE_UTF8 || type->id == QV_TYPE_LARGE_UTF8 ||
                  type->id == QV_TYPE_UTF8_VIEW || type->id == QV_TYPE_DATE32 ||
                  type->id == QV_TYPE_DATE64;
    base_strbuf_append_str(&sb, "Literal(");
    if (type->id == QV_TYPE_NULL) {
        base_strbuf_append_str(&sb, "NULL");
    } else {
        base_strbuf_appendf(&sb, "%s(", scalar_variant(type));
        if (!arrow_array_is_valid(arg, 0)) {
            base_strbuf_append_str(&sb, "NULL");
        } else {
            if (quoted)
                base_strbuf_append_char(&sb, '"');
            if (type->id == QV_TYPE_TIMESTAMP) /* ScalarValue shows the raw count */
                base_strbuf_appendf(
                    &sb, "%lld",
                    (long long)((const int64_t *)arrow_array_values(arg))[arg->offset]);
            else if (arrow_format_value(arg, 0, &sb, NULL) != QV_OK)
                base_strbuf_append_str(&sb, "?");
            if (quoted)
                base_strbuf_append_char(&sb, '"');
        }
        if (type->id == QV_TYPE_TIMESTAMP) {
            if (type->timezone != NULL)
                base_strbuf_appendf(&sb, ", Some(\"%s\")", type->timezone);
            else
                base_strbuf_append_str(&sb, ", None");
        }
        base_strbuf_append_char(&sb, ')');
    }
    base_strbuf_append_str(&sb, ", None)");
    if (base_strbuf_failed(&sb)) {
        base_strbuf_free(&sb);
        return NULL;
    }
    char *text = base_strdup(base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return text;
}
