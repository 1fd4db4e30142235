/*
 * planner_int.h — private interface between the physical planner's files
 * (layer: exec): planner.c walks the logical plan; planner_join.c,
 * planner_window.c and planner_unnest.c plan their node kinds.
 */
#ifndef QV_EXEC_PLANNER_INT_H
#define QV_EXEC_PLANNER_INT_H

#include "exec/exec.h"

typedef struct planner {
    const exec_plan_options *options;
    qv_error *err;
    /* The recursive query whose term is being planned: its work table. */
    exec_work_table *work_table;
} planner;

/* The operator tree of a logical node (and its inputs). */
qv_status planner_node(planner *pl, const plan_node *node, exec_node **out);

/* A projection of exprs over child, with output columns named by names
 * (child owned, also on failure). */
qv_status planner_project(exec_node *child, int32_t n, plan_expr *const *exprs,
                          const char *const *names, exec_node **out, qv_error *err);

qv_status planner_join(planner *pl, const plan_node *node, exec_node **out); /* planner_join.c */
qv_status planner_window(planner *pl, const plan_node *node,
                         exec_node **out); /* planner_window.c */
qv_status planner_unnest(planner *pl, const plan_node *node,
                         exec_node **out); /* planner_unnest.c */

qv_status planner_recursive(planner *pl, const plan_node *node,
                            exec_node **out); /* planner_recursive.c */
qv_status planner_work_table(planner *pl, const plan_node *node,
                             exec_node **out); /* planner_recursive.c */
/* The operator tree of a recursive query's term, whose WORK_TABLE leaves
 * read wt. */
qv_status planner_recursive_term(const plan_node *term, const exec_plan_options *options,
                                 exec_work_table *wt, exec_node **out, qv_error *err);

#endif /* QV_EXEC_PLANNER_INT_H */
