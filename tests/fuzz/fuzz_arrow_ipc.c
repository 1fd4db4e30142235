/*
 * fuzz_arrow_ipc.c — libFuzzer target for the Arrow IPC reader and writer
 * (src/format/arrow_ipc*.c, flatbuf_*.c).
 *
 * The input is a file (file or stream format, told by the magic). Reads
 * its schema and every batch, validates every array, then writes what it
 * read back as a file and requires the copy to read back to the same rows.
 * Any crash, sanitizer report, leak or mismatch (abort) is a bug. Replayed
 * without libFuzzer by tests/fuzz/replay_main.c over regress/ and corpus/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/arrow_ipc.h"
#include "fuzz_read_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static qv_status to_strbuf(void *user, const uint8_t *bytes, size_t len, qv_error *err)
{
    (void)err;
    base_strbuf_append(user, (const char *)bytes, len);
    return QV_OK;
}

/* Reads every batch (at most 64); *rows counts them; writes them to w
 * when given. QV_OK only when the whole input read cleanly. */
static qv_status read_rows(const uint8_t *data, size_t size, arrow_ipc_writer **w,
                           base_strbuf *copy, int64_t *rows)
{
    qv_error err;
    arrow_ipc_reader *r = NULL;
    qv_status st = arrow_ipc_reader_open_buffer(data, size, "fuzz.arrow", NULL, &r, &err);
    if (st != QV_OK)
        return st;
    if (w != NULL)
        st = arrow_ipc_writer_new(arrow_ipc_reader_schema(r), ARROW_IPC_LZ4_FRAME, to_strbuf, copy,
                                  w, &err);
    *rows = 0;
    for (int n = 0; st == QV_OK && n < 64; n++) {
        arrow_batch *b = NULL;
        st = arrow_ipc_reader_next(r, &b, &err);
        if (st != QV_OK || b == NULL)
            break;
        fuzz_validate_batch(b);
        *rows += b->n_rows;
        if (w != NULL && *w != NULL)
            st = arrow_ipc_writer_write(*w, b, &err);
        arrow_batch_release(b);
    }
    if (st == QV_OK && w != NULL && *w != NULL)
        st = arrow_ipc_writer_finish(*w, &err);
    arrow_ipc_reader_free(r);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qv_error err;
    arrow_schema *schema = NULL;
    if (arrow_ipc_read_schema_buffer(data, size, "fuzz.arrow", &schema, &err) == QV_OK)
        arrow_schema_release(schema);
    base_strbuf copy;
    base_strbuf_init(&copy);
    arrow_ipc_writer *w = NULL;
    int64_t rows = 0, again = 0;
    qv_status st = read_rows(data, size, &w, &copy, &rows);
    arrow_ipc_writer_free(w);
    if (st == QV_OK && !base_strbuf_failed(&copy)) {
        if (read_rows((const uint8_t *)copy.data, copy.len, NULL, NULL, &again) != QV_OK ||
            again != rows) {
            fprintf(stderr, "the rewritten file reads %lld rows, the input %lld\n",
                    (long long)again, (long long)rows);
            abort();
        }
    }
    base_strbuf_free(&copy);
    return 0;
}
