/*
 * arrow_stream.c — reading a result through the Arrow C Stream Interface:
 * qv_result_to_stream hands the rows out as a struct ArrowArrayStream, the
 * interface pyarrow, DuckDB, Polars and nanoarrow import without copying.
 * This program is such a consumer written by hand: it asks the stream for
 * its schema, then pulls batches (struct arrays, one child per column) and
 * prints their values straight from the Arrow buffers.
 *
 * Build against an installed Quiver: cc arrow_stream.c -lquiver
 * Run: ./arrow_stream
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <quiver.h>

static int is_valid(const struct ArrowArray *column, int64_t row)
{
    const uint8_t *validity = column->buffers[0];
    int64_t i = column->offset + row;
    return validity == NULL || (validity[i / 8] >> (i % 8)) & 1;
}

/* Prints one value of the types this example knows (Arrow format strings:
 * l Int64, i Int32, g Float64, b Boolean, u Utf8, vu Utf8View). */
static void print_value(const char *format, const struct ArrowArray *column, int64_t row)
{
    int64_t i = column->offset + row;
    if (!is_valid(column, row)) {
        printf("NULL");
    } else if (strcmp(format, "l") == 0) {
        printf("%" PRId64, ((const int64_t *)column->buffers[1])[i]);
    } else if (strcmp(format, "i") == 0) {
        printf("%" PRId32, ((const int32_t *)column->buffers[1])[i]);
    } else if (strcmp(format, "g") == 0) {
        printf("%g", ((const double *)column->buffers[1])[i]);
    } else if (strcmp(format, "b") == 0) {
        const uint8_t *bits = column->buffers[1];
        printf("%s", (bits[i / 8] >> (i % 8)) & 1 ? "true" : "false");
    } else if (strcmp(format, "u") == 0) {
        const int32_t *offsets = column->buffers[1];
        const char *data = column->buffers[2];
        printf("%.*s", (int)(offsets[i + 1] - offsets[i]), data + offsets[i]);
    } else if (strcmp(format, "vu") == 0) {
        /* A view: length, then the string inline (<= 12 bytes) or a prefix,
         * a data buffer index and an offset into it. */
        const uint8_t *view = (const uint8_t *)column->buffers[1] + 16 * i;
        int32_t len, buffer_index, offset;
        memcpy(&len, view, 4);
        if (len <= 12) {
            printf("%.*s", (int)len, (const char *)view + 4);
        } else {
            memcpy(&buffer_index, view + 8, 4);
            memcpy(&offset, view + 12, 4);
            printf("%.*s", (int)len, (const char *)column->buffers[2 + buffer_index] + offset);
        }
    } else {
        printf("<%s>", format);
    }
}

/* Drains a stream: schema first, then every batch. Returns the row count,
 * or -1 on a stream error. The caller still releases the stream. */
static int64_t print_stream(struct ArrowArrayStream *stream)
{
    struct ArrowSchema schema;
    if (stream->get_schema(stream, &schema) != 0) {
        fprintf(stderr, "get_schema: %s\n", stream->get_last_error(stream));
        return -1;
    }
    for (int64_t c = 0; c < schema.n_children; c++)
        printf("%s%s (%s)", c > 0 ? " | " : "", schema.children[c]->name,
               schema.children[c]->format);
    printf("\n");
    int64_t rows = 0;
    for (;;) {
        struct ArrowArray batch;
        if (stream->get_next(stream, &batch) != 0) {
            fprintf(stderr, "get_next: %s\n", stream->get_last_error(stream));
            rows = -1;
            break;
        }
        if (batch.release == NULL) /* end of stream */
            break;
        for (int64_t r = 0; r < batch.length; r++) {
            for (int64_t c = 0; c < batch.n_children; c++) {
                printf("%s", c > 0 ? " | " : "");
                print_value(schema.children[c]->format, batch.children[c], batch.offset + r);
            }
            printf("\n");
        }
        rows += batch.length;
        batch.release(&batch); /* the batch is ours: release it when done */
    }
    schema.release(&schema);
    return rows;
}

int main(void)
{
    qv_error err;
    qv_runtime *runtime = NULL;
    qv_profile *profile = NULL;
    qv_session *session = NULL;
    qv_result *result = NULL;
    int status = 1;
    if (qv_runtime_new(NULL, &runtime, &err) != QV_OK ||
        qv_profile_new(runtime, &profile, &err) != QV_OK ||
        /* Small batches, to show a stream of several. */
        qv_profile_set(profile, "datafusion.execution.batch_size", "2", &err) != QV_OK ||
        qv_session_new(profile, NULL, &session, &err) != QV_OK ||
        qv_session_sql(session,
                       "CREATE TABLE cities (name VARCHAR, country VARCHAR, population BIGINT);"
                       "INSERT INTO cities VALUES ('Lisbon', 'Portugal', 545923),"
                       " ('Porto', 'Portugal', 231800), ('Madrid', 'Spain', 3305408),"
                       " ('Valencia', 'Spain', NULL), ('Reykjavik', 'Iceland', 139875)",
                       &result, &err) != QV_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        goto done;
    }
    qv_result_free(result);
    result = NULL;
    if (qv_session_sql(session,
                       "SELECT name, country, population, population > 500000 AS big "
                       "FROM cities ORDER BY name",
                       &result, &err) != QV_OK) {
        fprintf(stderr, "query: %s\n", err.message);
        goto done;
    }
    /* The stream takes the result's remaining batches (and frees the
     * result); it must not outlive the session. */
    struct ArrowArrayStream stream;
    qv_status st = qv_result_to_stream(result, &stream, &err);
    result = NULL;
    if (st != QV_OK) {
        fprintf(stderr, "stream: %s\n", err.message);
        goto done;
    }
    int64_t rows = print_stream(&stream);
    stream.release(&stream);
    printf("%" PRId64 " rows\n", rows);
    status = rows == 5 ? 0 : 1;
done:
    qv_result_free(result);
    qv_session_free(session);
    qv_profile_free(profile);
    qv_runtime_free(runtime);
    return status;
}
