/*
 * print.c — a result on stdout in one of the output formats, as DataFusion
 * CLI prints them: table (arrow-rs pretty printing, through
 * arrow_print_table, of the first maxrows rows, which are kept to size the
 * columns; the rest are counted and released), csv and tsv (a header line,
 * then one line per row; NULL is an empty field; fields holding the
 * delimiter, a quote or a line break are quoted), json (one array of
 * objects) and ndjson (one object per line), see print_json.c; those print
 * batch by batch. Values are formatted by arrow_format_value, i.e. as
 * DataFusion displays them. A result without rows prints a table's header
 * box and nothing in the other formats.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arrow/arrow.h"
#include "cli.h"
#include "print_json.h"

static const char *const format_names[] = {
    [CLI_FORMAT_TABLE] = "table", [CLI_FORMAT_CSV] = "csv",       [CLI_FORMAT_TSV] = "tsv",
    [CLI_FORMAT_JSON] = "json",   [CLI_FORMAT_NDJSON] = "ndjson",
};

bool cli_format_parse(const char *name, cli_format *out)
{
    for (size_t k = 0; k < sizeof format_names / sizeof format_names[0]; k++) {
        if (strcasecmp(name, format_names[k]) == 0) {
            *out = (cli_format)k;
            return true;
        }
    }
    return false;
}

const char *cli_format_name(cli_format format)
{
    return format_names[format];
}

/* ---- csv / tsv ---- */

static void append_delimited_field(base_strbuf *sb, const char *text, size_t len, char delimiter)
{
    bool quote = false;
    for (size_t k = 0; k < len && !quote; k++)
        quote = text[k] == delimiter || text[k] == '"' || text[k] == '\n' || text[k] == '\r';
    if (!quote) {
        base_strbuf_append(sb, text, len);
        return;
    }
    base_strbuf_append_char(sb, '"');
    for (size_t k = 0; k < len; k++) {
        if (text[k] == '"')
            base_strbuf_append_char(sb, '"');
        base_strbuf_append_char(sb, text[k]);
    }
    base_strbuf_append_char(sb, '"');
}

static void append_delimited_header(base_strbuf *sb, const arrow_schema *schema, char delimiter)
{
    for (int32_t c = 0; c < schema->n_fields; c++) {
        if (c > 0)
            base_strbuf_append_char(sb, delimiter);
        const char *name = schema->fields[c]->name;
        append_delimited_field(sb, name, strlen(name), delimiter);
    }
    base_strbuf_append_char(sb, '\n');
}

static qv_status append_delimited_rows(base_strbuf *sb, const arrow_batch *batch, char delimiter,
                                       qv_error *err)
{
    base_strbuf value;
    base_strbuf_init(&value);
    qv_status status = QV_OK;
    for (int64_t row = 0; row < batch->n_rows && status == QV_OK; row++) {
        for (int32_t c = 0; c < batch->schema->n_fields && status == QV_OK; c++) {
            if (c > 0)
                base_strbuf_append_char(sb, delimiter);
            const arrow_array *column = batch->columns[c];
            if (!arrow_array_is_valid(column, row) && column->type->id != QV_TYPE_RUN_END_ENCODED)
                continue; /* NULL: an empty field */
            base_strbuf_clear(&value);
            status = arrow_format_value(column, row, &value, err);
            if (status == QV_OK)
                append_delimited_field(sb, value.data, value.len, delimiter);
        }
        base_strbuf_append_char(sb, '\n');
    }
    base_strbuf_free(&value);
    return status;
}

/* ---- the printer ---- */

typedef struct printer {
    cli_format format;
    int64_t maxrows; /* table rows shown; -1: all */
    arrow_schema *schema;
    arrow_batch **batches; /* table: the rows to show */
    int32_t n_batches, cap_batches;
    int64_t n_rows;   /* rows read */
    base_strbuf text; /* what goes to stdout next */
} printer;

/* Writes the pending text to stdout; QV_NOMEM when building it ran out of
 * memory. */
static qv_status flush_text(printer *p, qv_error *err)
{
    if (base_strbuf_failed(&p->text))
        return base_error_nomem(err, "formatted result");
    if (p->text.len > 0)
        fwrite(p->text.data, 1, p->text.len, stdout);
    base_strbuf_clear(&p->text);
    return QV_OK;
}

/* Keeps batch (takes the reference) for the table, or the part of it that
 * maxrows leaves room for. */
static qv_status keep_for_table(printer *p, arrow_batch *batch, int64_t first_row, qv_error *err)
{
    int64_t room = p->maxrows < 0 ? batch->n_rows : p->maxrows - first_row;
    if (room <= 0) {
        arrow_batch_release(batch);
        return QV_OK;
    }
    if (room < batch->n_rows) {
        arrow_batch *head = NULL;
        qv_status status = arrow_batch_slice(batch, 0, room, &head, err);
        arrow_batch_release(batch);
        QV_TRY(status);
        batch = head;
    }
    if (p->n_batches == p->cap_batches) {
        int32_t cap = p->cap_batches == 0 ? 16 : p->cap_batches * 2;
        arrow_batch **batches = realloc(p->batches, (size_t)cap * sizeof *batches);
        if (batches == NULL) {
            arrow_batch_release(batch);
            return base_error_nomem(err, "result batches");
        }
        p->batches = batches;
        p->cap_batches = cap;
    }
    p->batches[p->n_batches++] = batch;
    return QV_OK;
}

/* Formats the rows of batch (takes the reference). Like DataFusion CLI, the
 * other formats print nothing at all for a result without rows: the csv
 * header and the json '[' come with the first row. */
static qv_status add_batch(printer *p, arrow_batch *batch, qv_error *err)
{
    int64_t first_row = p->n_rows;
    p->n_rows += batch->n_rows;
    if (p->format == CLI_FORMAT_TABLE)
        return keep_for_table(p, batch, first_row, err);
    bool starts = first_row == 0 && batch->n_rows > 0;
    qv_status status = QV_OK;
    switch (p->format) {
    case CLI_FORMAT_CSV:
    case CLI_FORMAT_TSV: {
        char delimiter = p->format == CLI_FORMAT_CSV ? ',' : '\t';
        if (starts)
            append_delimited_header(&p->text, p->schema, delimiter);
        status = append_delimited_rows(&p->text, batch, delimiter, err);
        break;
    }
    case CLI_FORMAT_JSON:
        for (int64_t row = 0; row < batch->n_rows && status == QV_OK; row++) {
            base_strbuf_append_char(&p->text, first_row + row == 0 ? '[' : ',');
            status = cli_json_row(batch, row, &p->text, err);
        }
        break;
    default: /* CLI_FORMAT_NDJSON */
        for (int64_t row = 0; row < batch->n_rows && status == QV_OK; row++) {
            status = cli_json_row(batch, row, &p->text, err);
            base_strbuf_append_char(&p->text, '\n');
        }
        break;
    }
    arrow_batch_release(batch);
    return status == QV_OK ? flush_text(p, err) : status;
}

/* DataFusion CLI's mark of rows left out: three "| .   |" lines as wide as
 * the table, before its bottom border (the last line of sb). */
static void mark_rows_left_out(base_strbuf *sb)
{
    if (sb->len < 2 || base_strbuf_failed(sb))
        return;
    size_t border_start = sb->len - 1; /* the text ends with the border's '\n' */
    while (border_start > 0 && sb->data[border_start - 1] != '\n')
        border_start--;
    size_t border_width = sb->len - border_start - 1;
    base_strbuf marked;
    base_strbuf_init(&marked);
    base_strbuf_append(&marked, sb->data, border_start);
    for (int k = 0; k < 3; k++) {
        base_strbuf_append_str(&marked, "| .");
        for (size_t c = 4; c < border_width; c++)
            base_strbuf_append_char(&marked, ' ');
        base_strbuf_append_str(&marked, "|\n");
    }
    base_strbuf_append(&marked, sb->data + border_start, sb->len - border_start);
    base_strbuf_free(sb);
    *sb = marked;
}

static qv_status finish(printer *p, qv_error *err)
{
    if (p->format == CLI_FORMAT_TABLE && p->maxrows != 0) {
        QV_TRY(arrow_print_table(p->schema, p->batches, p->n_batches, &p->text, err));
        if (p->maxrows >= 0 && p->n_rows > p->maxrows)
            mark_rows_left_out(&p->text);
    } else if (p->format == CLI_FORMAT_JSON && p->n_rows > 0) {
        base_strbuf_append_str(&p->text, "]\n");
    }
    return flush_text(p, err);
}

/* The schema of result, imported from the C Data Interface. */
static qv_status import_schema(qv_result *result, arrow_schema **out, qv_error *err)
{
    struct ArrowSchema c_schema;
    memset(&c_schema, 0, sizeof c_schema);
    QV_TRY(qv_result_schema(result, &c_schema, err));
    return arrow_import_schema(&c_schema, out, err);
}

/* The next batch of result, or *out NULL at the end. */
static qv_status next_batch(qv_result *result, arrow_schema *schema, arrow_batch **out,
                            qv_error *err)
{
    *out = NULL;
    struct ArrowArray c_array;
    memset(&c_array, 0, sizeof c_array);
    QV_TRY(qv_result_next(result, &c_array, err));
    if (c_array.release == NULL)
        return QV_OK;
    return arrow_import_batch(&c_array, schema, out, err);
}

qv_status cli_print_result(cli_format format, int64_t maxrows, qv_result *result, int64_t *n_rows,
                           qv_error *err)
{
    printer p = {.format = format, .maxrows = maxrows};
    base_strbuf_init(&p.text);
    *n_rows = 0;
    qv_status status = import_schema(result, &p.schema, err);
    /* Statements without columns (DDL, SET) print nothing but the footer. */
    bool has_columns = status == QV_OK && p.schema->n_fields > 0;
    while (status == QV_OK) {
        if (cli_take_interrupt()) {
            status = base_error_set(err, QV_CANCELLED, "Query cancelled (Ctrl-C)");
            break;
        }
        arrow_batch *batch = NULL;
        status = next_batch(result, p.schema, &batch, err);
        if (status != QV_OK || batch == NULL)
            break;
        if (has_columns) {
            status = add_batch(&p, batch, err);
        } else {
            p.n_rows += batch->n_rows;
            arrow_batch_release(batch);
        }
    }
    if (status == QV_OK && has_columns)
        status = finish(&p, err);
    else if (status != QV_OK && p.text.len > 0 && !base_strbuf_failed(&p.text))
        fwrite(p.text.data, 1, p.text.len, stdout); /* the rows before a failure were valid */
    fflush(stdout);
    *n_rows = p.n_rows;
    for (int32_t b = 0; b < p.n_batches; b++)
        arrow_batch_release(p.batches[b]);
    free(p.batches);
    base_strbuf_free(&p.text);
    arrow_schema_release(p.schema);
    return status;
}
