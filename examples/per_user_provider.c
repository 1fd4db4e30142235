/*
 * per_user_provider.c — one table, many users: a custom table provider
 * written in C (a qv_table_provider) registered once in the runtime's shared
 * catalog, and one session per user. The provider reads the asking
 * session's identity at scan time and hands back only that user's rows, as
 * Arrow arrays built by hand through the Arrow C Data Interface.
 *
 * Build against an installed Quiver: cc per_user_provider.c -lquiver
 * Run: ./per_user_provider   (exits non-zero if a user sees another's rows)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <quiver.h>

/* ---- the data behind the table: orders(owner, item, amount) ---- */

typedef struct order {
    const char *owner;
    const char *item;
    int64_t amount;
} order;

static const order orders[] = {
    {"alice", "keyboard", 120}, {"bob", "monitor", 300}, {"alice", "mouse", 40},
    {"carol", "desk", 450},     {"bob", "cable", 15},    {"alice", "lamp", 60},
};
#define N_ORDERS (sizeof orders / sizeof orders[0])

/* ---- Arrow C Data Interface: schema ---- */

static const char *const column_names[3] = {"owner", "item", "amount"};
static const char *const column_formats[3] = {"u", "u", "l"}; /* Utf8, Utf8, Int64 */

static void release_schema(struct ArrowSchema *schema)
{
    for (int64_t i = 0; i < schema->n_children; i++)
        free(schema->children[i]);
    free(schema->children);
    schema->release = NULL;
}

static void release_child_schema(struct ArrowSchema *schema)
{
    schema->release = NULL; /* its memory belongs to the parent */
}

/* The table's schema: a struct of three columns. Static strings, so only
 * the children need freeing. */
static int make_schema(struct ArrowSchema *out)
{
    memset(out, 0, sizeof *out);
    out->format = "+s";
    out->name = "";
    out->n_children = 3;
    out->children = calloc(3, sizeof *out->children);
    if (out->children == NULL)
        return -1;
    for (int i = 0; i < 3; i++) {
        struct ArrowSchema *child = calloc(1, sizeof *child);
        if (child == NULL) {
            out->release = release_schema;
            release_schema(out);
            return -1;
        }
        child->format = column_formats[i];
        child->name = column_names[i];
        child->flags = ARROW_FLAG_NULLABLE;
        child->release = release_child_schema;
        out->children[i] = child;
    }
    out->release = release_schema;
    return 0;
}

/* ---- Arrow C Data Interface: one batch of the caller's rows ---- */

/* Every array's buffers live in one malloc'ed block, its private_data (for
 * a column, the block also holds the ArrowArray itself). */
static void release_array(struct ArrowArray *array)
{
    for (int64_t i = 0; i < array->n_children; i++)
        if (array->children[i]->release != NULL)
            array->children[i]->release(array->children[i]);
    void *block = array->private_data;
    array->release = NULL; /* before the free: array may live in block */
    free(block);
}

/* A column array: block holds the buffer pointers, the child structs and
 * the data. */
static struct ArrowArray *string_column(const int *rows, int n, int field)
{
    size_t bytes = 0;
    for (int r = 0; r < n; r++)
        bytes += strlen(field == 0 ? orders[rows[r]].owner : orders[rows[r]].item);
    size_t size = sizeof(struct ArrowArray) + 3 * sizeof(void *) + (size_t)(n + 1) * 4 + bytes + 1;
    char *block = calloc(1, size);
    if (block == NULL)
        return NULL;
    struct ArrowArray *array = (struct ArrowArray *)block;
    const void **buffers = (const void **)(array + 1);
    int32_t *offsets = (int32_t *)(buffers + 3);
    char *data = (char *)(offsets + n + 1);
    for (int r = 0; r < n; r++) {
        const char *s = field == 0 ? orders[rows[r]].owner : orders[rows[r]].item;
        memcpy(data + offsets[r], s, strlen(s));
        offsets[r + 1] = offsets[r] + (int32_t)strlen(s);
    }
    buffers[0] = NULL; /* no nulls: no validity bitmap */
    buffers[1] = offsets;
    buffers[2] = data;
    *array = (struct ArrowArray){.length = n,
                                 .n_buffers = 3,
                                 .buffers = buffers,
                                 .release = release_array,
                                 .private_data = block};
    return array;
}

static struct ArrowArray *amount_column(const int *rows, int n)
{
    size_t size = sizeof(struct ArrowArray) + 2 * sizeof(void *) + (size_t)n * 8 + 8;
    char *block = calloc(1, size);
    if (block == NULL)
        return NULL;
    struct ArrowArray *array = (struct ArrowArray *)block;
    const void **buffers = (const void **)(array + 1);
    int64_t *values = (int64_t *)(buffers + 2);
    for (int r = 0; r < n; r++)
        values[r] = orders[rows[r]].amount;
    buffers[0] = NULL;
    buffers[1] = values;
    *array = (struct ArrowArray){.length = n,
                                 .n_buffers = 2,
                                 .buffers = buffers,
                                 .release = release_array,
                                 .private_data = block};
    return array;
}

/* The batch (a struct array) of the orders owned by user. */
static int make_batch(const char *user, struct ArrowArray *out)
{
    int rows[N_ORDERS], n = 0;
    for (int i = 0; i < (int)N_ORDERS; i++)
        if (user != NULL && strcmp(orders[i].owner, user) == 0)
            rows[n++] = i;
    /* The parent's block: its one (absent) validity buffer and 3 children. */
    char *block = calloc(1, sizeof(void *) + 3 * sizeof(struct ArrowArray *));
    if (block == NULL)
        return -1;
    const void **buffers = (const void **)block;
    struct ArrowArray **children = (struct ArrowArray **)(buffers + 1);
    children[0] = string_column(rows, n, 0);
    children[1] = string_column(rows, n, 1);
    children[2] = amount_column(rows, n);
    *out = (struct ArrowArray){.length = n,
                               .n_buffers = 1,
                               .buffers = buffers,
                               .n_children = 3,
                               .children = children,
                               .release = release_array,
                               .private_data = block};
    if (children[0] == NULL || children[1] == NULL || children[2] == NULL) {
        for (int i = 0; i < 3; i++)
            if (children[i] != NULL)
                children[i]->release(children[i]);
        free(block);
        out->release = NULL;
        return -1;
    }
    return 0;
}

/* ---- Arrow C Stream Interface: a stream of that one batch ---- */

typedef struct one_batch {
    struct ArrowArray batch; /* moved out by the first get_next */
} one_batch;

static int stream_get_schema(struct ArrowArrayStream *stream, struct ArrowSchema *out)
{
    (void)stream;
    return make_schema(out) == 0 ? 0 : 12 /* ENOMEM */;
}

static int stream_get_next(struct ArrowArrayStream *stream, struct ArrowArray *out)
{
    one_batch *state = stream->private_data;
    *out = state->batch; /* the end of the stream once moved: release is NULL */
    state->batch.release = NULL;
    return 0;
}

static const char *stream_get_last_error(struct ArrowArrayStream *stream)
{
    (void)stream;
    return NULL;
}

static void stream_release(struct ArrowArrayStream *stream)
{
    one_batch *state = stream->private_data;
    if (state->batch.release != NULL)
        state->batch.release(&state->batch);
    free(state);
    stream->release = NULL;
}

/* ---- the provider ---- */

static qv_status orders_schema(void *user_data, struct ArrowSchema *out, qv_error *err)
{
    (void)user_data;
    (void)err;
    return make_schema(out) == 0 ? QV_OK : QV_NOMEM;
}

/* Called once per scan, on the thread that runs it, with the asking
 * session's identity. The request's projection and limit are hints; this
 * provider returns every column and lets the engine keep what it needs. */
static qv_status orders_scan(void *user_data, const qv_scan_request *request,
                             struct ArrowArrayStream *out, qv_error *err)
{
    (void)user_data;
    (void)err;
    one_batch *state = calloc(1, sizeof *state);
    if (state == NULL || make_batch(request->identity->user_id, &state->batch) != 0) {
        free(state);
        return QV_NOMEM;
    }
    *out = (struct ArrowArrayStream){stream_get_schema, stream_get_next, stream_get_last_error,
                                     stream_release, state};
    return QV_OK;
}

/* ---- per-user sessions ---- */

/* Prints the user's orders and returns how many rows belonged to someone
 * else (0 when the provider keeps users apart), or -1 on error. */
static int show_orders(qv_profile *profile, const char *user)
{
    qv_error err;
    qv_identity who = {user, NULL, 0};
    qv_session *session = NULL;
    qv_result *result = NULL;
    if (qv_session_new(profile, &who, &session, &err) != QV_OK ||
        qv_session_sql(session, "SELECT owner, item, amount FROM orders ORDER BY amount DESC",
                       &result, &err) != QV_OK) {
        fprintf(stderr, "%s: %s\n", user, err.message);
        qv_session_free(session);
        return -1;
    }
    int foreign = 0;
    printf("orders of %s:\n", user);
    for (;;) {
        struct ArrowArray batch;
        if (qv_result_next(result, &batch, &err) != QV_OK) {
            fprintf(stderr, "%s: %s\n", user, err.message);
            foreign = -1;
            break;
        }
        if (batch.release == NULL)
            break;
        /* owner and item are Utf8 (offsets + data), amount Int64. */
        const struct ArrowArray *owner = batch.children[0], *item = batch.children[1];
        const struct ArrowArray *amount = batch.children[2];
        for (int64_t r = 0; r < batch.length; r++) {
            const int32_t *o_off = (const int32_t *)owner->buffers[1] + owner->offset;
            const int32_t *i_off = (const int32_t *)item->buffers[1] + item->offset;
            const char *o_data = owner->buffers[2], *i_data = item->buffers[2];
            int64_t value = ((const int64_t *)amount->buffers[1])[amount->offset + r];
            printf("  %-10.*s %6lld\n", (int)(i_off[r + 1] - i_off[r]), i_data + i_off[r],
                   (long long)value);
            size_t len = (size_t)(o_off[r + 1] - o_off[r]);
            if (len != strlen(user) || memcmp(o_data + o_off[r], user, len) != 0)
                foreign++;
        }
        batch.release(&batch);
    }
    qv_result_free(result);
    qv_session_free(session);
    return foreign;
}

int main(void)
{
    qv_error err;
    qv_runtime *runtime = NULL;
    qv_profile *profile = NULL;
    qv_table *table = NULL;
    qv_table_provider provider = {orders_schema, orders_scan, NULL, NULL};
    int status = 1;
    if (qv_runtime_new(NULL, &runtime, &err) != QV_OK ||
        qv_profile_new(runtime, &profile, &err) != QV_OK ||
        qv_table_new(&provider, NULL, &table, &err) != QV_OK ||
        qv_runtime_register_table(runtime, "orders", table, &err) != QV_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        goto done;
    }
    /* Registered once, for everybody; the handle is no longer needed. */
    qv_table_free(table);
    table = NULL;
    static const char *const users[] = {"alice", "bob", "dave"};
    status = 0;
    for (int i = 0; i < 3; i++)
        if (show_orders(profile, users[i]) != 0)
            status = 1;
done:
    qv_table_free(table);
    qv_profile_free(profile);
    qv_runtime_free(runtime);
    return status;
}
