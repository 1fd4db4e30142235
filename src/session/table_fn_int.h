/*
 * table_fn_int.h — the table functions of FROM name(args) (layer:
 * session, private): the registry the binder reaches through
 * plan_options.table_function (table_functions.c) and the functions, each
 * making a table provider from its arguments at planning time, as
 * DataFusion's TableFunctionImpl::call does: generate_series / range
 * (table_fn_series.c), read_csv / read_json / read_parquet / read_arrow
 * (table_fn_files.c), list_files_cache / statistics_cache
 * (table_fn_cache.c).
 */
#ifndef QV_TABLE_FN_INT_H
#define QV_TABLE_FN_INT_H

#include "session/session_int.h"

/* A table function: *out gets a new table made from args (n_args length-1
 * arrays, borrowed; args[i] NULL when argument i is not a constant).
 * Errors are DataFusion's planning errors. */
typedef qv_status (*session_table_fn)(qv_session *session, int32_t n_args, arrow_array *const *args,
                                      catalog_table **out, qv_error *err);

/* plan_options.table_function (user: the session): QV_NOT_FOUND (no
 * message) for a name no table function has. */
qv_status session_table_function(void *user, const char *name, int32_t n_args,
                                 arrow_array *const *args, catalog_table **out, qv_error *err);

/* DataFusion's Debug form of a literal argument for messages,
 * `Literal(Utf8("bar"), None)` (new string, base_free). */
char *session_table_fn_literal(const arrow_array *arg);

/* ---- the functions ---- */

qv_status session_generate_series(qv_session *session, int32_t n_args, arrow_array *const *args,
                                  catalog_table **out, qv_error *err);
qv_status session_range(qv_session *session, int32_t n_args, arrow_array *const *args,
                        catalog_table **out, qv_error *err);
qv_status session_read_csv(qv_session *session, int32_t n_args, arrow_array *const *args,
                           catalog_table **out, qv_error *err);
qv_status session_read_json(qv_session *session, int32_t n_args, arrow_array *const *args,
                            catalog_table **out, qv_error *err);
qv_status session_read_parquet(qv_session *session, int32_t n_args, arrow_array *const *args,
                               catalog_table **out, qv_error *err);
qv_status session_read_arrow(qv_session *session, int32_t n_args, arrow_array *const *args,
                             catalog_table **out, qv_error *err);
qv_status session_list_files_cache(qv_session *session, int32_t n_args, arrow_array *const *args,
                                   catalog_table **out, qv_error *err);
qv_status session_statistics_cache(qv_session *session, int32_t n_args, arrow_array *const *args,
                                   catalog_table **out, qv_error *err);

#endif /* QV_TABLE_FN_INT_H */
