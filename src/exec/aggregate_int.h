/*
 * aggregate_int.h — private to the hash aggregate files of the exec layer:
 * the operator's immutable plan (op_aggregate.c builds it) and one
 * aggregation state — a group table plus one accumulator per call — that
 * both phases use (aggregate_part.c).
 */
#ifndef QV_EXEC_AGGREGATE_INT_H
#define QV_EXEC_AGGREGATE_INT_H

#include "exec/exec.h"

/* One aggregate call, owned by the plan. */
typedef struct agg_call_plan {
    func_agg_call call;      /* arg_types, literals and return_type point at the members below */
    arrow_type **arg_types;  /* owned references */
    arrow_array **literals;  /* owned references; NULL entries for column arguments */
    arrow_type *return_type; /* owned reference */
    int32_t *arg_columns;    /* input column per argument; -1 for a literal */
    int32_t filter_column;   /* -1: no FILTER */
    int32_t n_state_fields;  /* columns of emit_state */
    char *name;
} agg_call_plan;

typedef struct agg_plan {
    int32_t n_keys;
    int32_t *key_columns;
    char **key_names;
    int32_t n_sets;    /* 0: plain GROUP BY */
    uint32_t *sets;    /* masks over the keys */
    uint32_t *set_ids; /* the __grouping_id of each set */
    int32_t n_aggs;
    agg_call_plan *aggs;
    bool single_phase;        /* asked for, or needed by a distinct / ordered call */
    int32_t n_table_keys;     /* n_keys, plus the grouping id column with sets */
    arrow_type **table_types; /* owned references */
} agg_plan;

/* One aggregation: groups and accumulator states, with the reservation
 * that accounts for them. Used by one thread at a time. */
typedef struct agg_part agg_part;

/* A new, empty aggregation; reserves from pool under consumer's name. */
qv_status agg_part_new(const agg_plan *plan, base_mem_pool *pool, const char *consumer,
                       agg_part **out, qv_error *err);
/* Frees the part and returns its reservation. NULL is a no-op. */
void agg_part_free(agg_part *part);
/* Groups the rows of an input batch and updates every call (once per
 * grouping set). QV_RESOURCES_EXHAUSTED when the reservation cannot grow. */
qv_status agg_part_consume(agg_part *part, arrow_batch *batch, qv_error *err);
/* Merges src's groups and partial states into part, freeing src's states
 * as it goes (src is left for agg_part_free). */
qv_status agg_part_merge(agg_part *part, agg_part *src, const _Atomic bool *cancelled,
                         qv_error *err);
/* Creates the groups that exist without input: the single group without
 * keys, and one per grouping set that holds no key. */
qv_status agg_part_add_empty_groups(agg_part *part, qv_error *err);
int64_t agg_part_groups(const agg_part *part);
/* Final values of every call (values_out[a]: a new array of n_groups rows),
 * then frees the accumulator states. */
qv_status agg_part_evaluate(agg_part *part, arrow_array **values_out, qv_error *err);
/* The keys (and grouping id) of groups [start, start+count). */
qv_status agg_part_emit_keys(const agg_part *part, int64_t start, int64_t count,
                             arrow_array **keys_out, qv_error *err);
/* Bytes reserved now. */
int64_t agg_part_reserved(const agg_part *part);

#endif /* QV_EXEC_AGGREGATE_INT_H */
