/*
 * print_json.h — rows as JSON objects for the json and ndjson output
 * formats (print_json.c).
 */
#ifndef QV_CLI_PRINT_JSON_H
#define QV_CLI_PRINT_JSON_H

#include "arrow/arrow.h"

/* Appends row `row` of batch as one JSON object, encoded as arrow-rs's JSON
 * writer does for DataFusion CLI: members in column order, NULL members
 * left out; numbers and booleans bare (NaN and infinities as null), lists as
 * arrays, structs and maps as objects, every other value as the string
 * DataFusion displays. QV_NOMEM when sb ran out of memory. */
qv_status cli_json_row(const arrow_batch *batch, int64_t row, base_strbuf *sb, qv_error *err);

#endif /* QV_CLI_PRINT_JSON_H */
