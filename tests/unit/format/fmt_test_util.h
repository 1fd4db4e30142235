/*
 * fmt_test_util.h — helpers shared by the format tests: rendering schemas
 * and batches as short strings, and locating the conformance data files.
 */
#ifndef QV_FMT_TEST_UTIL_H
#define QV_FMT_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/format.h"

/* "a: Int64, b: Utf8" (static buffer). */
static inline const char *schema_str(const arrow_schema *s)
{
    static char out[4096];
    base_strbuf sb;
    base_strbuf_init(&sb);
    for (int32_t i = 0; i < s->n_fields; i++) {
        if (i)
            base_strbuf_append_str(&sb, ", ");
        base_strbuf_append_str(&sb, s->fields[i]->name);
        base_strbuf_append_str(&sb, ": ");
        arrow_type_format(s->fields[i]->type, &sb);
    }
    snprintf(out, sizeof out, "%s", base_strbuf_cstr(&sb));
    base_strbuf_free(&sb);
    return out;
}

/* Appends the batch's rows, "v|v|v\n" each, to sb. */
static inline void batch_rows(const arrow_batch *b, base_strbuf *sb)
{
    for (int64_t r = 0; r < b->n_rows; r++) {
        for (int32_t c = 0; c < b->schema->n_fields; c++) {
            if (c)
                base_strbuf_append_char(sb, '|');
            arrow_format_value(b->columns[c], r, sb, NULL);
        }
        base_strbuf_append_char(sb, '\n');
    }
}

/* The conformance corpus root, or NULL when absent. */
static inline const char *corpus_path(const char *rel, char *buf, size_t n)
{
    snprintf(buf, n, "/work/shared/conformance/datafusion/%s", rel);
    FILE *f = fopen(buf, "rb");
    if (f == NULL)
        return NULL;
    fclose(f);
    return buf;
}

#endif /* QV_FMT_TEST_UTIL_H */
