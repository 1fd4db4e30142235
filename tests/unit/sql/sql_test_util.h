/*
 * sql_test_util.h — helpers shared by the unit tests of src/sql: parse and
 * dump trees as S-expressions, check round trips, capture errors.
 */
#ifndef QV_SQL_TEST_UTIL_H
#define QV_SQL_TEST_UTIL_H

#include <stdbool.h>

#include "sql/sql.h"

/* Parses sql and writes the S-expression dump of every statement (joined by
 * "; ") into out. Returns false (out holds the error message) on failure. */
bool sqlt_dump(const char *sql, char *out, size_t size);

/* Parses "SELECT <expr>" and dumps the first projection item. */
bool sqlt_dump_expr(const char *expr, char *out, size_t size);

/* True when sql parses and every statement survives unparse -> parse with an
 * equal tree; on failure prints what went wrong. */
bool sqlt_round_trips(const char *sql);

/* The status of parsing sql; err receives the error. */
qv_status sqlt_parse_error(const char *sql, qv_error *err);

/* Parses sql (one statement) and returns its kind, or SQL_KIND_COUNT on failure. */
sql_kind sqlt_statement_kind(const char *sql);

#endif /* QV_SQL_TEST_UTIL_H */
