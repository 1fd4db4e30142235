/*
 * version.c — library version and build description (layer: base).
 */
#include "base.h"

#ifndef QV_BUILD_OPTIONS
#define QV_BUILD_OPTIONS "unknown"
#endif

QV_API const char *qv_version(void) { return QV_VERSION_STRING; }

QV_API const char *qv_build_info(void) { return QV_BUILD_OPTIONS; }
