/*
 * workspace.h — where quiver-slt runs a file: the WORKSPACE_ROOT of
 * DataFusion's corpus (detected from a file's path or given), the working
 * directory the child process chdirs to (WORKSPACE_ROOT/datafusion/
 * sqllogictest, so the corpus's relative paths resolve), and the per-file
 * scratch directory test_files/scratch/<stem>, emptied before each file.
 *
 * The shared corpus is not written to: by default the runner builds a
 * private shadow of the workspace in its work directory (real directories
 * down to test_files, symbolic links for everything else, a real scratch/)
 * and runs there; --in-place uses the workspace itself, as upstream does.
 * Files outside any workspace (our own tests/slt, the SQLite corpus) run in
 * <work dir>/plain with their scratch directory below it.
 */
#ifndef QV_SLT_WORKSPACE_H
#define QV_SLT_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>

#include "slt_util.h"

typedef struct slt_workspace {
    char *work_dir;        /* owned; private temporary directory of the run */
    bool remove_work_dir;  /* created by us: removed by slt_workspace_cleanup */
    bool in_place;         /* run inside the real workspace */
    slt_strv real_roots;   /* workspaces seen so far ... */
    slt_strv shadow_roots; /* ... and their shadows (same index) */
} slt_workspace;

/* Sets up the work directory: work_dir when given (created if missing, kept
 * afterwards), else a new $TMPDIR/quiver-slt.XXXXXX (removed afterwards).
 * Returns false with a message in err. */
bool slt_workspace_init(slt_workspace *ws, const char *work_dir, bool in_place, char *err,
                        size_t err_size);

/* Removes the work directory when slt_workspace_init created it; frees ws. */
void slt_workspace_cleanup(slt_workspace *ws);

/* The WORKSPACE_ROOT a file belongs to: the part of its real path before
 * "/datafusion/sqllogictest/test_files/", or NULL when it has none. Caller
 * frees. */
char *slt_workspace_detect_root(const char *path);

/* Prepares a run of file_path: *cwd_out (caller frees) is the directory to
 * run in; its test_files/scratch/<stem> is removed and recreated; roots_out
 * receives the absolute paths to show as WORKSPACE_ROOT, longest first.
 * root is the file's WORKSPACE_ROOT or NULL. Returns false with a message in
 * err. */
bool slt_workspace_prepare(slt_workspace *ws, const char *root, const char *file_path,
                           char **cwd_out, slt_strv *roots_out, char *err, size_t err_size);

/* rm -rf path without following symbolic links. True when path is gone. */
bool slt_remove_tree(const char *path);

/* mkdir -p path. */
bool slt_make_dirs(const char *path);

/* A file's stem: its name without directory and without .slt / .test.
 * Caller frees. */
char *slt_file_stem(const char *path);

#endif /* QV_SLT_WORKSPACE_H */
