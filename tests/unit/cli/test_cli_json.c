/*
 * test_cli_json.c — the CLI's JSON row encoder (tools/cli/print_json.c) on
 * what SQL cannot easily produce today: dictionary and run-end encoded
 * columns (decoded to their values), sliced arrays, non-finite floats and
 * control characters in strings.
 */
#include <math.h>
#include <stdio.h>

#include "arrow/arrow.h"
#include "print_json.h"
#include "test.h"

/* A one-column batch named "v" over column (retained). */
static qv_status one_column_batch(arrow_array *column, arrow_batch **out, qv_error *err)
{
    arrow_field *field = NULL;
    arrow_schema *schema = NULL;
    qv_status status = arrow_field_new("v", column->type, true, NULL, &field, err);
    if (status == QV_OK)
        status = arrow_schema_new(1, &field, NULL, &schema, err);
    if (status == QV_OK)
        status = arrow_batch_new(schema, column->length, &column, out, err);
    arrow_schema_release(schema);
    arrow_field_release(field);
    return status;
}

/* The rows of a one-column batch as JSON lines, copied into out ("" on
 * failure). */
static qv_status rows_json(arrow_array *column, char *out, size_t out_size, qv_error *err)
{
    arrow_batch *batch = NULL;
    base_strbuf sb;
    base_strbuf_init(&sb);
    qv_status status = one_column_batch(column, &batch, err);
    for (int64_t row = 0; status == QV_OK && row < batch->n_rows; row++) {
        status = cli_json_row(batch, row, &sb, err);
        base_strbuf_append_char(&sb, '\n');
    }
    snprintf(out, out_size, "%s", status == QV_OK ? base_strbuf_cstr(&sb) : "");
    base_strbuf_free(&sb);
    arrow_batch_release(batch);
    return status;
}

TEST(json_dictionary_column_is_decoded)
{
    qv_error err;
    arrow_type *type;
    CHECK_OK(arrow_type_dictionary(arrow_type_primitive(QV_TYPE_INT8),
                                   arrow_type_primitive(QV_TYPE_UTF8), false, &type, &err));
    arrow_builder *b;
    CHECK_OK(arrow_builder_new(type, &b, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "red", 3, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "a\"b", 3, &err));
    arrow_array *a;
    CHECK_OK(arrow_builder_finish(b, &a, &err));
    char json[256];
    qv_status status = rows_json(a, json, sizeof json, &err);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(type);
    CHECK_OK(status);
    CHECK_STR_EQ(json, "{\"v\":\"red\"}\n{}\n{\"v\":\"a\\\"b\"}\n");
}

TEST(json_run_end_encoded_column_is_decoded)
{
    qv_error err;
    arrow_field *ends = NULL, *values = NULL;
    arrow_type *type = NULL;
    CHECK_OK(
        arrow_field_new("run_ends", arrow_type_primitive(QV_TYPE_INT32), false, NULL, &ends, &err));
    CHECK_OK(arrow_field_new("values", arrow_type_primitive(QV_TYPE_FLOAT64), true, NULL, &values,
                             &err));
    CHECK_OK(arrow_type_run_end_encoded(ends, values, &type, &err));
    arrow_field_release(ends);
    arrow_field_release(values);
    arrow_builder *b;
    CHECK_OK(arrow_builder_new(type, &b, &err));
    CHECK_OK(arrow_builder_append_double(b, 1.5, &err));
    CHECK_OK(arrow_builder_append_double(b, 1.5, &err));
    CHECK_OK(arrow_builder_append_null(b, &err));
    CHECK_OK(arrow_builder_append_double(b, NAN, &err));
    arrow_array *a, *slice;
    CHECK_OK(arrow_builder_finish(b, &a, &err));
    /* A slice starting inside the first run. */
    CHECK_OK(arrow_array_slice(a, 1, 3, &slice, &err));
    char json[256];
    qv_status status = rows_json(slice, json, sizeof json, &err);
    arrow_array_release(slice);
    arrow_array_release(a);
    arrow_builder_free(b);
    arrow_type_release(type);
    CHECK_OK(status);
    CHECK_STR_EQ(json, "{\"v\":1.5}\n{}\n{\"v\":null}\n");
}

TEST(json_strings_escape_control_characters)
{
    qv_error err;
    arrow_builder *b;
    CHECK_OK(arrow_builder_new(arrow_type_primitive(QV_TYPE_UTF8), &b, &err));
    CHECK_OK(arrow_builder_append_bytes(b, "skip", 4, &err));
    const char *text = "t\tn\n\x01\\é";
    CHECK_OK(arrow_builder_append_bytes(b, text, (int64_t)strlen(text), &err));
    arrow_array *a, *slice;
    CHECK_OK(arrow_builder_finish(b, &a, &err));
    CHECK_OK(arrow_array_slice(a, 1, 1, &slice, &err));
    char json[256];
    qv_status status = rows_json(slice, json, sizeof json, &err);
    arrow_array_release(slice);
    arrow_array_release(a);
    arrow_builder_free(b);
    CHECK_OK(status);
    CHECK_STR_EQ(json, "{\"v\":\"t\\tn\\n\\u0001\\\\é\"}\n");
}
