/*
 * engine_quiver.c — quiver-slt's engine adapter for Quiver (see engine.h):
 * sessions through the public API (qv_runtime / qv_profile / qv_session),
 * results imported back from the C Data Interface (arrow_import_schema /
 * arrow_import_batch) and rendered with arrow_format_slt_value and
 * arrow_type_slt_letter, i.e. exactly as DataFusion's sqllogictest runner
 * renders them. Internal headers are fine here: this is a test tool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow.h"
#include "arrow/format_slt.h"
#include "engine.h"
#include "quiver.h"
#include "slt_util.h"

typedef struct quiver_session {
    qv_runtime *runtime;
    qv_profile *profile;
    qv_session *session;
} quiver_session;

static void quiver_close(void *handle)
{
    quiver_session *qs = handle;
    if (qs == NULL)
        return;
    qv_session_free(qs->session);
    qv_profile_free(qs->profile);
    qv_runtime_free(qs->runtime);
    free(qs);
}

static const char *message_of(const qv_error *err, qv_status status)
{
    return err->message[0] != '\0' ? err->message : qv_status_message(status);
}

/* Applies "key=value" (spaces around either part are dropped). */
static qv_status apply_setting(qv_profile *profile, const char *setting, qv_error *err)
{
    const char *eq = strchr(setting, '=');
    if (eq == NULL) {
        snprintf(err->message, sizeof err->message, "setting '%s' is not key=value", setting);
        return QV_INVALID;
    }
    size_t key_len = (size_t)(eq - setting);
    while (key_len > 0 && setting[key_len - 1] == ' ')
        key_len--;
    const char *value = eq + 1;
    while (*value == ' ')
        value++;
    char *key = slt_xstrndup(setting, key_len);
    char *val = slt_xstrndup(value, slt_trim_end_len(value, strlen(value)));
    qv_status status = qv_profile_set(profile, key, val, err);
    free(key);
    free(val);
    return status;
}

static void *quiver_open(const slt_engine_config *config, char *errbuf, size_t errbuf_size)
{
    quiver_session *qs = slt_xcalloc(1, sizeof *qs);
    qv_error err;
    qv_error_clear(&err);
    qv_runtime_options opts;
    qv_runtime_options_init(&opts);
    qv_status status = qv_runtime_new(&opts, &qs->runtime, &err);
    if (status == QV_OK)
        status = qv_profile_new(qs->runtime, &qs->profile, &err);
    if (status != QV_OK) {
        snprintf(errbuf, errbuf_size, "cannot start the engine: %s", message_of(&err, status));
        quiver_close(qs);
        return NULL;
    }
    if (config->runner_defaults) {
        (void)apply_setting(qs->profile, "datafusion.execution.target_partitions=4", &err);
        qv_error_clear(&err);
    }
    for (size_t i = 0; i < config->n_settings; i++) {
        qv_error_clear(&err);
        status = apply_setting(qs->profile, config->settings[i], &err);
        if (status != QV_OK) {
            snprintf(errbuf, errbuf_size, "cannot apply setting %s: %s", config->settings[i],
                     message_of(&err, status));
            quiver_close(qs);
            return NULL;
        }
    }
    status = qv_session_new(qs->profile, NULL, &qs->session, &err);
    if (status != QV_OK) {
        snprintf(errbuf, errbuf_size, "cannot open a session: %s", message_of(&err, status));
        quiver_close(qs);
        return NULL;
    }
    return qs;
}

static char *render(const arrow_array *column, int64_t row, base_strbuf *sb)
{
    qv_error err;
    qv_error_clear(&err);
    base_strbuf_clear(sb);
    if (arrow_format_slt_value(column, row, sb, &err) != QV_OK)
        return slt_xstrdup("<unrenderable value>");
    return slt_xstrndup(base_strbuf_cstr(sb), sb->len);
}

/* Fills the typed fields of v (v->text is already set). */
static void classify(const arrow_array *column, int64_t row, slt_value *v, base_strbuf *sb)
{
    if (!arrow_array_is_valid(column, row)) {
        v->kind = SLT_VALUE_NULL;
        return;
    }
    arrow_type_id id = column->type->id;
    const uint8_t *values = arrow_array_values(column);
    int64_t slot = column->offset + row;
    if (arrow_type_is_integer(id)) {
        v->kind = SLT_VALUE_INT;
        v->i = arrow_type_is_signed_integer(id) ? strtoll(v->text, NULL, 10)
                                                : (int64_t)strtoull(v->text, NULL, 10);
    } else if (id == QV_TYPE_FLOAT64 && values != NULL) {
        v->kind = SLT_VALUE_FLOAT;
        memcpy(&v->d, values + 8 * slot, 8);
    } else if (id == QV_TYPE_FLOAT32 && values != NULL) {
        float f;
        memcpy(&f, values + 4 * slot, 4);
        v->kind = SLT_VALUE_FLOAT;
        v->d = f;
    } else if (id == QV_TYPE_FLOAT16) {
        v->kind = SLT_VALUE_FLOAT;
        v->d = strtod(v->text, NULL);
    } else if (id == QV_TYPE_DECIMAL128 || id == QV_TYPE_DECIMAL256) {
        v->kind = SLT_VALUE_DECIMAL;
        v->d = strtod(v->text, NULL);
    } else if (id == QV_TYPE_BOOLEAN) {
        v->kind = SLT_VALUE_BOOL;
        v->i = strcmp(v->text, "true") == 0;
    } else if (id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_UTF8_VIEW) {
        qv_error err;
        qv_error_clear(&err);
        base_strbuf_clear(sb);
        v->kind = SLT_VALUE_TEXT;
        if (arrow_format_value(column, row, sb, &err) == QV_OK) {
            v->raw = slt_xstrndup(base_strbuf_cstr(sb), sb->len);
            v->raw_len = sb->len;
        } else {
            v->raw = slt_xstrdup(v->text);
            v->raw_len = strlen(v->text);
        }
    } else {
        v->kind = SLT_VALUE_OTHER;
    }
}

static void append_batch(arrow_batch *batch, slt_output *out, size_t *cap, base_strbuf *sb)
{
    size_t n_cols = out->n_cols;
    size_t need = (out->n_rows + (size_t)batch->n_rows) * n_cols;
    if (need > *cap) {
        size_t grown = *cap < 64 ? 64 : *cap;
        while (grown < need)
            grown *= 2;
        out->values = slt_xrealloc(out->values, grown * sizeof *out->values);
        *cap = grown;
    }
    for (int64_t r = 0; r < batch->n_rows; r++) {
        for (size_t c = 0; c < n_cols; c++) {
            slt_value *v = &out->values[out->n_rows * n_cols + c];
            memset(v, 0, sizeof *v);
            v->text = render(batch->columns[c], r, sb);
            classify(batch->columns[c], r, v, sb);
        }
        out->n_rows++;
    }
}

static void quiver_exec(void *handle, const char *sql, slt_output *out)
{
    quiver_session *qs = handle;
    qv_error err;
    qv_error_clear(&err);
    qv_result *result = NULL;
    arrow_schema *schema = NULL;
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_status status = qv_session_sql(qs->session, sql, &result, &err);
    if (status != QV_OK) {
        slt_output_set_error(out, message_of(&err, status));
        goto cleanup;
    }
    struct ArrowSchema c_schema;
    memset(&c_schema, 0, sizeof c_schema);
    status = qv_result_schema(result, &c_schema, &err);
    if (status == QV_OK)
        status = arrow_import_schema(&c_schema, &schema, &err);
    if (status != QV_OK) {
        slt_output_set_error(out, message_of(&err, status));
        goto cleanup;
    }
    out->n_cols = (size_t)schema->n_fields;
    out->types = slt_xmalloc(out->n_cols + 1);
    for (size_t c = 0; c < out->n_cols; c++)
        out->types[c] = arrow_type_slt_letter(schema->fields[c]->type);
    out->types[out->n_cols] = '\0';
    size_t cap = 0;
    for (;;) {
        struct ArrowArray c_array;
        memset(&c_array, 0, sizeof c_array);
        status = qv_result_next(result, &c_array, &err);
        if (status == QV_OK && c_array.release == NULL)
            break;
        arrow_batch *batch = NULL;
        if (status == QV_OK)
            status = arrow_import_batch(&c_array, schema, &batch, &err);
        if (status != QV_OK) {
            slt_output_free(out);
            slt_output_set_error(out, message_of(&err, status));
            goto cleanup;
        }
        append_batch(batch, out, &cap, &sb);
        arrow_batch_release(batch);
    }
    out->has_rows = !(out->n_cols == 0 && out->n_rows == 0);
cleanup:
    arrow_schema_release(schema);
    qv_result_free(result);
    base_strbuf_free(&sb);
}

const slt_engine slt_quiver_engine = {"quiver", quiver_open, quiver_exec, quiver_close};
