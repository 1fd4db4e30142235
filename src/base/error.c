/*
 * error.c — status names, SQLSTATEs and qv_error helpers (layer: base).
 * The tables are generated from QV_STATUS_TABLE in quiver.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

typedef struct status_info {
    qv_status code;
    const char *name;
    const char *sqlstate;
    const char *message;
} status_info;

static const status_info status_infos[] = {
#define STATUS_INFO_(code, value, name, sqlstate, message) {code, name, sqlstate, message},
    QV_STATUS_TABLE(STATUS_INFO_)
#undef STATUS_INFO_
};

static const status_info *find_status(qv_status code)
{
    for (size_t i = 0; i < sizeof status_infos / sizeof status_infos[0]; i++) {
        if (status_infos[i].code == code)
            return &status_infos[i];
    }
    return &status_infos[QV_ERROR];
}

QV_API const char *qv_status_name(qv_status code) { return find_status(code)->name; }
QV_API const char *qv_status_sqlstate(qv_status code) { return find_status(code)->sqlstate; }
QV_API const char *qv_status_message(qv_status code) { return find_status(code)->message; }

QV_API void qv_error_clear(qv_error *err)
{
    if (err == NULL)
        return;
    err->code = QV_OK;
    memcpy(err->sqlstate, "00000", 6);
    err->line = 0;
    err->column = 0;
    err->message[0] = '\0';
    err->hint[0] = '\0';
}

qv_status base_error_setv(qv_error *err, qv_status code, const char *fmt, va_list args)
{
    if (err == NULL)
        return code;
    qv_error_clear(err);
    err->code = code;
    memcpy(err->sqlstate, qv_status_sqlstate(code), 6);
    vsnprintf(err->message, sizeof err->message, fmt, args);
    return code;
}

qv_status base_error_set(qv_error *err, qv_status code, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    base_error_setv(err, code, fmt, args);
    va_end(args);
    return code;
}

qv_status base_error_nomem(qv_error *err, const char *what)
{
    return base_error_set(err, QV_NOMEM, "out of memory while allocating %s", what);
}

void base_error_set_position(qv_error *err, int32_t line, int32_t column)
{
    if (err == NULL)
        return;
    err->line = line;
    err->column = column;
}

void base_error_set_hint(qv_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(err->hint, sizeof err->hint, fmt, args);
    va_end(args);
}

_Noreturn void base_assert_fail(const char *cond, const char *file, int line)
{
    fprintf(stderr, "quiver: internal invariant violated: %s (%s:%d)\n", cond, file, line);
    abort();
}
