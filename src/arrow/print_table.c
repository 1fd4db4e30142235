/*
 * print_table.c — batches as DataFusion's CLI table (layer: arrow).
 *
 * The layout of arrow-rs pretty_format_batches (comfy-table with the preset
 * "||--+-++|    ++++++"): a `+---+` border, the header row of field names,
 * a border, the rows, a border; cells left-aligned with one space of padding;
 * a cell containing newlines spans several lines. A result without rows
 * still prints the header box. Widths count UTF-8 code points.
 */
#include <string.h>

#include "arrow/arrow.h"

/* Display width of text[0..len): code points (continuation bytes skipped). */
static size_t text_width(const char *text, size_t len)
{
    size_t width = 0;
    for (size_t k = 0; k < len; k++)
        width += ((unsigned char)text[k] & 0xc0) != 0x80;
    return width;
}

/* The widest line of a cell and its number of lines. */
static void measure_cell(const char *text, size_t *width, size_t *n_lines)
{
    *width = 0;
    *n_lines = 0;
    for (;;) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        size_t w = text_width(text, len);
        if (w > *width)
            *width = w;
        (*n_lines)++;
        if (nl == NULL)
            return;
        text = nl + 1;
    }
}

static void append_border(base_strbuf *sb, const size_t *widths, int32_t n_cols)
{
    base_strbuf_append_char(sb, '+');
    for (int32_t c = 0; c < n_cols; c++) {
        for (size_t k = 0; k < widths[c] + 2; k++)
            base_strbuf_append_char(sb, '-');
        base_strbuf_append_char(sb, '+');
    }
    base_strbuf_append_char(sb, '\n');
}

/* One table row (cells[0..n_cols)), as many lines as its tallest cell. */
static void append_row(base_strbuf *sb, char *const *cells, const size_t *widths, int32_t n_cols)
{
    size_t height = 1;
    for (int32_t c = 0; c < n_cols; c++) {
        size_t width, n_lines;
        measure_cell(cells[c], &width, &n_lines);
        if (n_lines > height)
            height = n_lines;
    }
    for (size_t line = 0; line < height; line++) {
        base_strbuf_append_char(sb, '|');
        for (int32_t c = 0; c < n_cols; c++) {
            const char *text = cells[c];
            for (size_t k = 0; k < line && text != NULL; k++) {
                text = strchr(text, '\n');
                text = text ? text + 1 : NULL;
            }
            size_t len = 0;
            if (text != NULL) {
                const char *nl = strchr(text, '\n');
                len = nl ? (size_t)(nl - text) : strlen(text);
            }
            base_strbuf_append_char(sb, ' ');
            if (len > 0)
                base_strbuf_append(sb, text, len);
            for (size_t k = len > 0 ? text_width(text, len) : 0; k < widths[c] + 1; k++)
                base_strbuf_append_char(sb, ' ');
            base_strbuf_append_char(sb, '|');
        }
        base_strbuf_append_char(sb, '\n');
    }
}

qv_status arrow_print_table(const arrow_schema *schema, arrow_batch *const *batches,
                            int32_t n_batches, base_strbuf *sb, qv_error *err)
{
    int32_t n_cols = schema->n_fields;
    if (n_cols == 0)
        return QV_OK;
    int64_t n_rows = 0;
    for (int32_t b = 0; b < n_batches; b++) {
        if (batches[b]->schema->n_fields != n_cols)
            return base_error_set(err, QV_INVALID,
                                  "Expected the same number of columns in a record batch (%d) as "
                                  "the number of fields (%d) in the schema",
                                  (int)batches[b]->schema->n_fields, (int)n_cols);
        n_rows += batches[b]->n_rows;
    }

    qv_status status = QV_OK;
    int64_t n_cells = (n_rows + 1) * n_cols; /* header row first */
    char **cells = base_calloc((size_t)n_cells, sizeof *cells);
    size_t *widths = base_calloc((size_t)n_cols, sizeof *widths);
    if (cells == NULL || widths == NULL) {
        status = base_error_nomem(err, "table cells");
        goto cleanup;
    }
    for (int32_t c = 0; c < n_cols; c++) {
        cells[c] = base_strdup(schema->fields[c]->name);
        if (cells[c] == NULL) {
            status = base_error_nomem(err, "table cells");
            goto cleanup;
        }
    }
    int64_t cell = n_cols;
    for (int32_t b = 0; b < n_batches; b++) {
        for (int64_t row = 0; row < batches[b]->n_rows; row++) {
            for (int32_t c = 0; c < n_cols; c++) {
                base_strbuf text;
                base_strbuf_init(&text);
                status = arrow_format_value(batches[b]->columns[c], row, &text, err);
                if (status != QV_OK) {
                    base_strbuf_free(&text);
                    goto cleanup;
                }
                cells[cell] = text.len > 0 ? base_strbuf_take(&text) : base_strdup("");
                base_strbuf_free(&text);
                if (cells[cell] == NULL) {
                    status = base_error_nomem(err, "table cells");
                    goto cleanup;
                }
                cell++;
            }
        }
    }
    for (int64_t k = 0; k < n_cells; k++) {
        size_t width, n_lines;
        measure_cell(cells[k], &width, &n_lines);
        if (width > widths[k % n_cols])
            widths[k % n_cols] = width;
    }

    append_border(sb, widths, n_cols);
    append_row(sb, cells, widths, n_cols);
    append_border(sb, widths, n_cols);
    for (int64_t row = 1; row <= n_rows; row++)
        append_row(sb, cells + row * n_cols, widths, n_cols);
    append_border(sb, widths, n_cols);
    if (base_strbuf_failed(sb))
        status = base_error_nomem(err, "table text");

cleanup:
    if (cells != NULL)
        for (int64_t k = 0; k < n_cells; k++)
            base_free(cells[k]);
    base_free(cells);
    base_free(widths);
    return status;
}
