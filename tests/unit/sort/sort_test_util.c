/*
 * sort_test_util.c — see sort_test_util.h. The random-array helpers of the
 * select tests are compiled in from there (test executables are built per
 * folder).
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../select/select_test_util.c"
#include "sort_test_util.h"

static void fail_hard(const char *what, const qv_error *err)
{
    fprintf(stderr, "sort test helper failed: %s: %s\n", what, err != NULL ? err->message : "");
    abort();
}

/* ---- the source operator ---- */

typedef struct source_state {
    int32_t n_parts;
    arrow_batch ***batches;
    int64_t *counts;
} source_state;

typedef struct source_stream {
    exec_stream base;
    source_state *state;
    int32_t partition;
    int64_t next;
} source_stream;

static qv_status source_next(exec_stream *stream, arrow_batch **out, qv_error *err)
{
    (void)err;
    source_stream *s = (source_stream *)stream;
    *out = NULL;
    if (s->next < s->state->counts[s->partition])
        *out = arrow_batch_retain(s->state->batches[s->partition][s->next++]);
    return QV_OK;
}

static void source_stream_free(exec_stream *stream) { base_free(stream); }

static qv_status source_open(exec_node *node, exec_ctx *ctx, int32_t partition, exec_stream **out,
                             qv_error *err)
{
    (void)ctx;
    source_stream *s = base_calloc(1, sizeof *s);
    if (s == NULL)
        return base_error_nomem(err, "source stream");
    s->base.next = source_next;
    s->base.free = source_stream_free;
    s->state = node->state;
    s->partition = partition;
    *out = &s->base;
    return QV_OK;
}

static void source_free_state(exec_node *node)
{
    source_state *st = node->state;
    for (int32_t p = 0; p < st->n_parts; p++) {
        for (int64_t i = 0; i < st->counts[p]; i++)
            arrow_batch_release(st->batches[p][i]);
        base_free(st->batches[p]);
    }
    base_free(st->batches);
    base_free(st->counts);
    base_free(st);
}

static const exec_node_ops source_ops = {"TestSourceExec", source_open, NULL, source_free_state};

exec_node *t_source_new(arrow_schema *schema, int32_t n_parts, arrow_batch **const *batches,
                        const int64_t *counts)
{
    qv_error err;
    source_state *st = base_calloc(1, sizeof *st);
    st->n_parts = n_parts;
    st->batches = base_calloc((size_t)n_parts, sizeof *st->batches);
    st->counts = base_calloc((size_t)n_parts, sizeof *st->counts);
    for (int32_t p = 0; p < n_parts; p++) {
        st->counts[p] = counts[p];
        st->batches[p] = base_calloc((size_t)(counts[p] > 0 ? counts[p] : 1), sizeof(arrow_batch *));
        for (int64_t i = 0; i < counts[p]; i++)
            st->batches[p][i] = arrow_batch_retain(batches[p][i]);
    }
    exec_node *node;
    if (exec_node_new(&source_ops, schema, n_parts, 0, NULL, st, &node, &err) != QV_OK)
        fail_hard("source node", &err);
    return node;
}

/* ---- environment ---- */

void t_env_init(t_env *env, int threads, int64_t mem_limit, int64_t batch_size)
{
    qv_error err;
    memset(env, 0, sizeof *env);
    if (threads > 0 && base_thread_pool_new(threads, &env->pool, &err) != QV_OK)
        fail_hard("thread pool", &err);
    if (base_mem_pool_new(mem_limit, &env->mem, &err) != QV_OK)
        fail_hard("memory pool", &err);
    snprintf(env->dir, sizeof env->dir, "/tmp/qv-sort-test-XXXXXX");
    if (mkdtemp(env->dir) == NULL)
        fail_hard("mkdtemp", NULL);
    env->ctx.pool = env->pool;
    env->ctx.mem_pool = env->mem;
    env->ctx.spill_dir = env->dir;
    env->ctx.batch_size = batch_size;
    env->ctx.target_partitions = 2;
    env->ctx.call.random_state = 1;
}

void t_env_free(t_env *env)
{
    base_thread_pool_free(env->pool);
    base_mem_pool_free(env->mem);
    rmdir(env->dir); /* spill files are unlinked: the directory is empty */
}

/* ---- input ---- */

static arrow_field *make_field(const char *name, arrow_type_id id)
{
    qv_error err;
    arrow_field *f;
    if (arrow_field_new(name, arrow_type_primitive(id), true, NULL, &f, &err) != QV_OK)
        fail_hard("field", &err);
    return f;
}

void t_input_random(t_input *in, int32_t n_parts, int64_t n_batches, int64_t rows_per_batch,
                    int64_t int_range, uint64_t *rng)
{
    qv_error err;
    memset(in, 0, sizeof *in);
    arrow_field *fields[4] = {make_field("k_int", QV_TYPE_INT32), make_field("k_str", QV_TYPE_UTF8),
                              make_field("k_f", QV_TYPE_FLOAT64), make_field("id", QV_TYPE_INT64)};
    if (arrow_schema_new(4, fields, NULL, &in->schema, &err) != QV_OK)
        fail_hard("schema", &err);
    for (int i = 0; i < 4; i++)
        arrow_field_release(fields[i]);
    in->n_parts = n_parts;
    in->batches = calloc((size_t)n_parts, sizeof *in->batches);
    in->counts = calloc((size_t)n_parts, sizeof *in->counts);
    static const char *words[] = {"", "a", "ab", "abc", "b", "ba", "abcdefghijklmno", "abcdefghijklmnp",
                                  "z"};
    static const double floats[] = {-1.0, 0.0, -0.0, 2.5, 1e10, -3.25};
    int64_t id = 0;
    for (int32_t p = 0; p < n_parts; p++) {
        in->counts[p] = n_batches;
        in->batches[p] = calloc((size_t)(n_batches > 0 ? n_batches : 1), sizeof(arrow_batch *));
        for (int64_t b = 0; b < n_batches; b++) {
            int64_t rows = 1 + t_rand_below(rng, rows_per_batch);
            arrow_builder *bs[4];
            for (int c = 0; c < 4; c++)
                arrow_builder_new(in->schema->fields[c]->type, &bs[c], &err);
            for (int64_t r = 0; r < rows; r++) {
                if (t_rand_below(rng, 9) == 0)
                    arrow_builder_append_null(bs[0], &err);
                else
                    arrow_builder_append_int(bs[0], t_rand_below(rng, int_range) - int_range / 2,
                                             &err);
                if (t_rand_below(rng, 7) == 0) {
                    arrow_builder_append_null(bs[1], &err);
                } else {
                    const char *w = words[t_rand_below(rng, 9)];
                    arrow_builder_append_bytes(bs[1], w, (int64_t)strlen(w), &err);
                }
                int64_t fc = t_rand_below(rng, 8);
                if (fc == 7)
                    arrow_builder_append_null(bs[2], &err);
                else
                    arrow_builder_append_double(bs[2], fc == 6 ? -NAN : floats[fc], &err);
                arrow_builder_append_int(bs[3], id++, &err);
            }
            arrow_array *cols[4];
            for (int c = 0; c < 4; c++) {
                if (arrow_builder_finish(bs[c], &cols[c], &err) != QV_OK)
                    fail_hard("finish", &err);
                arrow_builder_free(bs[c]);
            }
            arrow_batch *batch;
            if (arrow_batch_new(in->schema, rows, cols, &batch, &err) != QV_OK)
                fail_hard("batch", &err);
            for (int c = 0; c < 4; c++)
                arrow_array_release(cols[c]);
            /* Every other batch is a slice (offset != 0). */
            if (b % 2 == 1 && rows > 2) {
                arrow_batch *sliced;
                arrow_batch_slice(batch, 1, rows - 1, &sliced, &err);
                arrow_batch_release(batch);
                batch = sliced;
            }
            in->batches[p][b] = batch;
            in->total_rows += batch->n_rows;
        }
    }
}

void t_input_free(t_input *in)
{
    for (int32_t p = 0; p < in->n_parts; p++) {
        for (int64_t b = 0; b < in->counts[p]; b++)
            arrow_batch_release(in->batches[p][b]);
        free(in->batches[p]);
    }
    free(in->batches);
    free(in->counts);
    arrow_schema_release(in->schema);
}

arrow_batch *t_input_concat(const t_input *in)
{
    qv_error err;
    int64_t n = 0;
    for (int32_t p = 0; p < in->n_parts; p++)
        n += in->counts[p];
    arrow_batch **all = calloc((size_t)(n > 0 ? n : 1), sizeof *all);
    int64_t k = 0;
    for (int32_t p = 0; p < in->n_parts; p++) {
        for (int64_t b = 0; b < in->counts[p]; b++)
            all[k++] = in->batches[p][b];
    }
    arrow_batch *out;
    if (func_concat_batches(in->schema, (int32_t)n, all, &out, &err) != QV_OK)
        fail_hard("concat", &err);
    free(all);
    return out;
}

uint32_t *t_reference_order(arrow_batch *all, int32_t n_keys, const exec_sort_key *keys)
{
    qv_error err;
    arrow_type *types[4];
    bool desc[4], nf[4];
    arrow_array *cols[4];
    for (int32_t k = 0; k < n_keys; k++) {
        cols[k] = all->columns[keys[k].column];
        types[k] = cols[k]->type;
        desc[k] = keys[k].descending;
        nf[k] = keys[k].nulls_first;
    }
    func_row_comparator *cmp;
    if (func_row_comparator_new(n_keys, types, desc, nf, &cmp, &err) != QV_OK)
        fail_hard("comparator", &err);
    int64_t n = all->n_rows;
    uint32_t *order = calloc((size_t)(n > 0 ? n : 1), sizeof *order);
    for (int64_t i = 0; i < n; i++) {
        int64_t j = i;
        while (j > 0 && func_row_compare(cmp, cols, order[j - 1], cols, i) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = (uint32_t)i;
    }
    func_row_comparator_free(cmp);
    return order;
}

qv_status t_run_sort(t_env *env, const t_input *in, int32_t n_keys, const exec_sort_key *keys,
                     int64_t fetch, arrow_batch **out, exec_node **node_out, qv_error *err)
{
    *out = NULL;
    if (node_out != NULL)
        *node_out = NULL;
    exec_node *source = t_source_new(in->schema, in->n_parts, in->batches, in->counts);
    exec_node *node;
    QV_TRY(exec_sort_new(source, n_keys, keys, fetch, &node, err));
    arrow_batch **batches;
    int64_t n;
    qv_status st = exec_collect_partition(node, &env->ctx, 0, &batches, &n, err);
    if (st == QV_OK) {
        for (int64_t b = 0; b < n && st == QV_OK; b++) {
            if (batches[b]->n_rows > env->ctx.batch_size)
                st = base_error_set(err, QV_ERROR, "output batch of %lld rows",
                                    (long long)batches[b]->n_rows);
        }
        if (st == QV_OK)
            st = func_concat_batches(in->schema, (int32_t)n, batches, out, err);
        exec_batches_free(batches, n);
    }
    if (node_out != NULL && st == QV_OK)
        *node_out = node;
    else
        exec_node_free(node);
    return st;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

bool t_rows_match(arrow_batch *output, arrow_batch *all, const uint32_t *order, int64_t n,
                  int32_t n_keys, const exec_sort_key *keys, bool strict)
{
    if (output->n_rows != n) {
        fprintf(stderr, "  output has %lld rows, expected %lld\n", (long long)output->n_rows,
                (long long)n);
        return false;
    }
    int32_t n_cols = output->schema->n_fields;
    for (int64_t i = 0; i < n; i++) {
        for (int32_t c = 0; c < n_cols; c++) {
            bool is_key = false;
            for (int32_t k = 0; k < n_keys; k++)
                is_key |= keys[k].column == c;
            if (!strict && !is_key)
                continue;
            if (!t_same(output->columns[c], i, all->columns[c], order[i])) {
                fprintf(stderr, "  row %lld column %d differs\n", (long long)i, c);
                return false;
            }
        }
    }
    if (strict)
        return true;
    /* The ids are the reference's ids in some order. */
    int64_t *got = calloc((size_t)(n > 0 ? n : 1), sizeof *got);
    int64_t *want = calloc((size_t)(n > 0 ? n : 1), sizeof *want);
    const arrow_array *go = output->columns[3], *wa = all->columns[3];
    for (int64_t i = 0; i < n; i++) {
        got[i] = ((const int64_t *)go->buffers[1]->data)[go->offset + i];
        want[i] = ((const int64_t *)wa->buffers[1]->data)[wa->offset + order[i]];
    }
    qsort(got, (size_t)n, sizeof *got, cmp_i64);
    qsort(want, (size_t)n, sizeof *want, cmp_i64);
    bool same = n == 0 || memcmp(got, want, (size_t)n * sizeof *got) == 0;
    free(got);
    free(want);
    return same;
}
