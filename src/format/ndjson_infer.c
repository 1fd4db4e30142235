/*
 * ndjson_infer.c — NDJSON schema inference as arrow-rs infer_json_schema and
 * DataFusion's JsonFormat::infer_schema (layer: format).
 *
 * Each non-blank line must hold one JSON object. Keys are collected in
 * first-seen order into a tree of inferred types (Any / scalar set / array
 * of / object of), merged exactly as arrow-json's InferredType::merge and
 * collect_field_types_from_object do, then turned into Arrow types: scalar
 * sets coerce (Int64+Float64 -> Float64, any other mix -> Utf8, empty ->
 * Utf8), arrays become List with an "item" field, objects Struct, and a key
 * only ever null becomes Null. Files merge with fmt_schema_merge.
 */
#include <stdio.h>
#include <string.h>

#include "format/json_int.h"

enum { S_BOOL = 1, S_INT = 2, S_FLOAT = 4, S_UTF8 = 8 };

typedef enum it_kind { IT_ANY, IT_SCALAR, IT_ARRAY, IT_OBJECT } it_kind;

typedef struct itype itype;
struct itype {
    it_kind kind;
    uint8_t scalars;
    itype *inner;
    int32_t n, cap;
    char **keys;
    itype **vals;
};

typedef struct infer_ctx {
    const ndjson_options *opts;
    const char *name;
    int64_t line;
    qv_error *err;
} infer_ctx;

static void itype_free(itype *t)
{
    if (t == NULL)
        return;
    itype_free(t->inner);
    for (int32_t i = 0; i < t->n; i++) {
        base_free(t->keys[i]);
        itype_free(t->vals[i]);
    }
    base_free(t->keys);
    base_free(t->vals);
    base_free(t);
}

static itype *itype_new(it_kind kind)
{
    itype *t = base_calloc(1, sizeof *t);
    if (t)
        t->kind = kind;
    return t;
}

/* Resets t in place to an empty value of kind. */
static void itype_reset(itype *t, it_kind kind)
{
    itype tmp = *t;
    tmp.kind = IT_ANY;
    itype_free(tmp.inner);
    for (int32_t i = 0; i < tmp.n; i++) {
        base_free(tmp.keys[i]);
        itype_free(tmp.vals[i]);
    }
    base_free(tmp.keys);
    base_free(tmp.vals);
    memset(t, 0, sizeof *t);
    t->kind = kind;
}

static itype *itype_clone(const itype *t)
{
    itype *c = itype_new(t->kind);
    if (c == NULL)
        return NULL;
    c->scalars = t->scalars;
    if (t->inner && (c->inner = itype_clone(t->inner)) == NULL)
        goto fail;
    if (t->n) {
        c->keys = base_calloc((size_t)t->n, sizeof *c->keys);
        c->vals = base_calloc((size_t)t->n, sizeof *c->vals);
        if (c->keys == NULL || c->vals == NULL)
            goto fail;
        c->cap = t->n;
        for (int32_t i = 0; i < t->n; i++) {
            c->n = i + 1;
            c->keys[i] = base_strdup(t->keys[i]);
            c->vals[i] = itype_clone(t->vals[i]);
            if (c->keys[i] == NULL || c->vals[i] == NULL)
                goto fail;
        }
    }
    return c;
fail:
    itype_free(c);
    return NULL;
}

static const char *kind_name(const itype *t)
{
    switch (t->kind) {
    case IT_ANY:
        return "Any";
    case IT_SCALAR:
        return "Scalar";
    case IT_ARRAY:
        return "Array";
    default:
        return "Object";
    }
}

static qv_status json_error(infer_ctx *cx, qv_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static qv_status json_error(infer_ctx *cx, qv_status code, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    base_error_setv(cx->err, code, fmt, args);
    va_end(args);
    base_error_set_hint(cx->err, "in file %s, line %lld", cx->name ? cx->name : "<memory>",
                        (long long)cx->line);
    return code;
}

/* The object member named key, created as Any when absent; NULL on OOM. */
static itype **member(itype *obj, const char *key, size_t key_len, bool *created)
{
    for (int32_t i = 0; i < obj->n; i++)
        if (strlen(obj->keys[i]) == key_len && memcmp(obj->keys[i], key, key_len) == 0) {
            *created = false;
            return &obj->vals[i];
        }
    if (obj->n == obj->cap) {
        int32_t cap = obj->cap ? obj->cap * 2 : 8;
        char **keys = base_realloc(obj->keys, (size_t)cap * sizeof *keys);
        if (keys == NULL)
            return NULL;
        obj->keys = keys;
        itype **vals = base_realloc(obj->vals, (size_t)cap * sizeof *vals);
        if (vals == NULL)
            return NULL;
        obj->vals = vals;
        obj->cap = cap;
    }
    char *k = base_strndup(key, key_len);
    itype *v = itype_new(IT_ANY);
    if (k == NULL || v == NULL) {
        base_free(k);
        itype_free(v);
        return NULL;
    }
    obj->keys[obj->n] = k;
    obj->vals[obj->n] = v;
    *created = true;
    return &obj->vals[obj->n++];
}

/* InferredType::merge(self, other); other is consumed (freed). */
static qv_status merge(infer_ctx *cx, itype *self, itype *other)
{
    qv_status status = QV_OK;
    if (self->kind == IT_ARRAY && other->kind == IT_ARRAY) {
        status = merge(cx, self->inner, other->inner);
        other->inner = NULL;
    } else if (self->kind == IT_SCALAR && other->kind == IT_SCALAR) {
        self->scalars |= other->scalars;
    } else if (self->kind == IT_OBJECT && other->kind == IT_OBJECT) {
        for (int32_t i = 0; i < other->n && status == QV_OK; i++) {
            bool created;
            itype **slot = member(self, other->keys[i], strlen(other->keys[i]), &created);
            if (slot == NULL) {
                status = base_error_nomem(cx->err, "json schema");
                break;
            }
            status = merge(cx, *slot, other->vals[i]);
            other->vals[i] = NULL;
        }
    } else if (self->kind == IT_ANY) {
        /* take other's content */
        itype tmp = *other;
        *self = tmp;
        memset(other, 0, sizeof *other);
    } else if (other->kind == IT_ANY) {
        /* nothing */
    } else if (self->kind == IT_ARRAY && other->kind == IT_SCALAR) {
        itype *moved = itype_new(IT_SCALAR);
        if (moved == NULL) {
            status = base_error_nomem(cx->err, "json schema");
        } else {
            moved->scalars = other->scalars;
            status = merge(cx, self->inner, moved);
        }
    } else if (self->kind == IT_SCALAR && other->kind == IT_ARRAY) {
        itype *copy = itype_new(IT_SCALAR);
        if (copy == NULL) {
            status = base_error_nomem(cx->err, "json schema");
        } else {
            copy->scalars = self->scalars;
            itype *inner = other->inner;
            other->inner = NULL;
            status = merge(cx, inner, copy);
            itype_reset(self, IT_ARRAY);
            self->inner = inner;
        }
    } else {
        status = json_error(cx, QV_EXECUTION,
                            "Arrow error: Json error: Incompatible type found during schema "
                            "inference: %s v.s. %s",
                            kind_name(self), kind_name(other));
    }
    itype_free(other);
    return status;
}

static qv_status collect_object(infer_ctx *cx, itype *fields, const json_value *obj);

static int scalar_bit(const json_value *v)
{
    switch (v->kind) {
    case JSON_TRUE:
    case JSON_FALSE:
        return S_BOOL;
    case JSON_NUMBER:
        return v->is_i64 ? S_INT : S_FLOAT;
    case JSON_STRING:
        return S_UTF8;
    default:
        return 0;
    }
}

/* infer_array_element_type: a new itype (caller owns) in *out. */
static qv_status array_element_type(infer_ctx *cx, const json_value *arr, itype **out)
{
    *out = NULL;
    if (arr->n == 0) {
        *out = itype_new(IT_ANY);
        return *out ? QV_OK : base_error_nomem(cx->err, "json schema");
    }
    json_kind first = arr->items[0]->kind;
    base_strbuf sb;
    if (first == JSON_ARRAY) {
        itype *inner = itype_new(IT_ANY);
        if (inner == NULL)
            return base_error_nomem(cx->err, "json schema");
        for (int32_t i = 0; i < arr->n; i++) {
            if (arr->items[i]->kind != JSON_ARRAY) {
                itype_free(inner);
                base_strbuf_init(&sb);
                json_serialize(arr->items[i], &sb);
                qv_status s = json_error(cx, QV_EXECUTION,
                                         "Arrow error: Json error: Got non array element in "
                                         "nested array: %s",
                                         base_strbuf_cstr(&sb));
                base_strbuf_free(&sb);
                return s;
            }
            itype *e;
            qv_status s = array_element_type(cx, arr->items[i], &e);
            if (s == QV_OK)
                s = merge(cx, inner, e);
            if (s != QV_OK) {
                itype_free(inner);
                return s;
            }
        }
        itype *t = itype_new(IT_ARRAY);
        if (t == NULL) {
            itype_free(inner);
            return base_error_nomem(cx->err, "json schema");
        }
        t->inner = inner;
        *out = t;
        return QV_OK;
    }
    if (first == JSON_OBJECT) {
        itype *t = itype_new(IT_OBJECT);
        if (t == NULL)
            return base_error_nomem(cx->err, "json schema");
        for (int32_t i = 0; i < arr->n; i++) {
            qv_status s;
            if (arr->items[i]->kind != JSON_OBJECT) {
                base_strbuf_init(&sb);
                json_serialize(arr->items[i], &sb);
                s = json_error(cx, QV_EXECUTION,
                               "Arrow error: Json error: Expected struct value for struct array, "
                               "got: %s",
                               base_strbuf_cstr(&sb));
                base_strbuf_free(&sb);
            } else {
                s = collect_object(cx, t, arr->items[i]);
            }
            if (s != QV_OK) {
                itype_free(t);
                return s;
            }
        }
        *out = t;
        return QV_OK;
    }
    itype *t = itype_new(IT_SCALAR);
    if (t == NULL)
        return base_error_nomem(cx->err, "json schema");
    for (int32_t i = 0; i < arr->n; i++) {
        const json_value *v = arr->items[i];
        if (v->kind == JSON_ARRAY || v->kind == JSON_OBJECT) {
            itype_free(t);
            base_strbuf_init(&sb);
            json_serialize(v, &sb);
            qv_status s = json_error(cx, QV_EXECUTION,
                                     "Arrow error: Json error: Expected scalar value for scalar "
                                     "array, got: %s",
                                     base_strbuf_cstr(&sb));
            base_strbuf_free(&sb);
            return s;
        }
        t->scalars |= (uint8_t)scalar_bit(v);
    }
    *out = t;
    return QV_OK;
}

static qv_status collect_object(infer_ctx *cx, itype *fields, const json_value *obj)
{
    for (int32_t i = 0; i < obj->n; i++) {
        const json_value *v = obj->items[i];
        bool created;
        itype **slot = member(fields, obj->keys[i], obj->key_lens[i], &created);
        if (slot == NULL)
            return base_error_nomem(cx->err, "json schema");
        itype *t = *slot;
        switch (v->kind) {
        case JSON_NULL:
            break; /* member() already inserted Any when the key was new */
        case JSON_ARRAY: {
            itype *ele;
            QV_TRY(array_element_type(cx, v, &ele));
            if (t->kind == IT_ANY) {
                itype_reset(t, IT_ARRAY);
                t->inner = itype_new(ele->kind == IT_SCALAR   ? IT_SCALAR
                                     : ele->kind == IT_OBJECT ? IT_OBJECT
                                                              : IT_ANY);
                if (t->inner == NULL) {
                    itype_free(ele);
                    return base_error_nomem(cx->err, "json schema");
                }
            }
            if (t->kind == IT_ARRAY) {
                QV_TRY(merge(cx, t->inner, ele));
            } else if (t->kind == IT_SCALAR) {
                QV_TRY(merge(cx, t, ele));
                itype *wrapped = itype_clone(t);
                if (wrapped == NULL)
                    return base_error_nomem(cx->err, "json schema");
                itype_reset(t, IT_ARRAY);
                t->inner = wrapped;
            } else {
                itype_free(ele);
                return json_error(cx, QV_EXECUTION,
                                  "Arrow error: Json error: Expected array json type, found: %s",
                                  kind_name(t));
            }
            break;
        }
        case JSON_OBJECT:
            if (t->kind == IT_ANY)
                itype_reset(t, IT_OBJECT);
            if (t->kind != IT_OBJECT)
                return json_error(cx, QV_EXECUTION,
                                  "Arrow error: Json error: Expected object json type, found: %s",
                                  kind_name(t));
            QV_TRY(collect_object(cx, t, v));
            break;
        default: {
            int bit = scalar_bit(v);
            if (t->kind == IT_ANY)
                itype_reset(t, IT_SCALAR);
            if (t->kind == IT_SCALAR) {
                t->scalars |= (uint8_t)bit;
            } else if (t->kind == IT_ARRAY) {
                itype *s = itype_new(IT_SCALAR);
                if (s == NULL)
                    return base_error_nomem(cx->err, "json schema");
                s->scalars = (uint8_t)bit;
                QV_TRY(merge(cx, t->inner, s));
            } else {
                return json_error(cx, QV_EXECUTION,
                                  "Arrow error: Json error: Expected scalar or scalar array JSON "
                                  "type, found: %s",
                                  kind_name(t));
            }
            break;
        }
        }
    }
    return QV_OK;
}

static qv_status to_type(infer_ctx *cx, const itype *t, arrow_type **out);

static qv_status to_fields(infer_ctx *cx, const itype *obj, arrow_field ***out)
{
    arrow_field **fields = base_calloc((size_t)(obj->n ? obj->n : 1), sizeof *fields);
    if (fields == NULL)
        return base_error_nomem(cx->err, "json schema");
    qv_status status = QV_OK;
    for (int32_t i = 0; i < obj->n && status == QV_OK; i++) {
        arrow_type *type;
        status = to_type(cx, obj->vals[i], &type);
        if (status == QV_OK) {
            status = arrow_field_new(obj->keys[i], type, true, NULL, &fields[i], cx->err);
            arrow_type_release(type);
        }
    }
    if (status != QV_OK) {
        for (int32_t i = 0; i < obj->n; i++)
            arrow_field_release(fields[i]);
        base_free(fields);
        return status;
    }
    *out = fields;
    return QV_OK;
}

static qv_status to_type(infer_ctx *cx, const itype *t, arrow_type **out)
{
    switch (t->kind) {
    case IT_ANY:
        *out = arrow_type_primitive(QV_TYPE_NULL);
        return QV_OK;
    case IT_SCALAR: {
        uint8_t s = t->scalars;
        arrow_type_id id;
        if (s == S_BOOL)
            id = QV_TYPE_BOOLEAN;
        else if (s == S_INT)
            id = QV_TYPE_INT64;
        else if (s == S_FLOAT || s == (S_INT | S_FLOAT))
            id = QV_TYPE_FLOAT64;
        else
            id = cx->opts->string_type;
        *out = arrow_type_primitive(id);
        return QV_OK;
    }
    case IT_ARRAY: {
        arrow_type *item;
        QV_TRY(to_type(cx, t->inner, &item));
        qv_status s = arrow_type_list_of(QV_TYPE_LIST, item, out, cx->err);
        arrow_type_release(item);
        return s;
    }
    default: {
        arrow_field **fields;
        QV_TRY(to_fields(cx, t, &fields));
        qv_status s = arrow_type_struct(t->n, fields, out, cx->err);
        for (int32_t i = 0; i < t->n; i++)
            arrow_field_release(fields[i]);
        base_free(fields);
        return s;
    }
    }
}

void ndjson_options_init(ndjson_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->schema_infer_max_rec = 1000;
    opts->string_type = QV_TYPE_UTF8;
    opts->max_depth = 64;
}

static bool blank(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static qv_status infer_lines(infer_ctx *cx, const uint8_t *data, size_t len, int64_t *records_left,
                             itype *root)
{
    base_arena *arena = base_arena_new(4096);
    if (arena == NULL)
        return base_error_nomem(cx->err, "json parse");
    qv_status status = QV_OK;
    size_t pos = 0;
    while (pos<len && * records_left> 0 && status == QV_OK) {
        const uint8_t *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        cx->line++;
        const uint8_t *line = data + pos;
        size_t n = end - pos;
        pos = nl ? end + 1 : len;
        if (blank(line, n))
            continue;
        json_value *v;
        char reason[160];
        bool nomem;
        base_arena_reset(arena);
        if (!json_parse((const char *)line, n, cx->opts->max_depth, arena, &v, reason,
                        sizeof reason, &nomem)) {
            status = nomem ? base_error_nomem(cx->err, "json parse")
                           : json_error(cx, QV_EXECUTION,
                                        "Arrow error: Json error: Not valid JSON: %s", reason);
            break;
        }
        if (v->kind != JSON_OBJECT) {
            base_strbuf sb;
            base_strbuf_init(&sb);
            json_serialize(v, &sb);
            status = json_error(cx, QV_EXECUTION,
                                "Arrow error: Json error: Expected JSON record to be an object, "
                                "found %s",
                                base_strbuf_cstr(&sb));
            base_strbuf_free(&sb);
            break;
        }
        (*records_left)--;
        status = collect_object(cx, root, v);
    }
    base_arena_free(arena);
    return status;
}

/* The decompressed bytes of data[0..len) in a new buffer (base_free). */
static qv_status inflate_all(const uint8_t *data, size_t len, fmt_compression codec,
                             const char *name, uint8_t **out, size_t *out_len, qv_error *err)
{
    fmt_inflate *d = NULL;
    QV_TRY(fmt_inflate_open_buffer(data, len, codec, name, &d, err));
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = base_alloc(cap);
    qv_status status = buf ? QV_OK : base_error_nomem(err, "decompressed json");
    while (status == QV_OK) {
        if (n == cap) {
            uint8_t *grown = base_realloc(buf, cap * 2);
            if (grown == NULL) {
                status = base_error_nomem(err, "decompressed json");
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t got = 0;
        status = fmt_inflate_read(d, buf + n, cap - n, &got, err);
        if (status == QV_OK && got == 0)
            break;
        n += got;
    }
    fmt_inflate_free(d);
    if (status != QV_OK) {
        base_free(buf);
        return status;
    }
    *out = buf;
    *out_len = n;
    return QV_OK;
}

qv_status ndjson_infer_buffer(const uint8_t *data, size_t len, const ndjson_options *opts,
                              const char *name, int64_t *records_left, arrow_schema **out,
                              qv_error *err)
{
    *out = NULL;
    infer_ctx cx = {opts, name, 0, err};
    QV_TRY(fmt_compression_check(opts->compression, err));
    if (opts->string_type != QV_TYPE_UTF8 && opts->string_type != QV_TYPE_UTF8_VIEW &&
        opts->string_type != QV_TYPE_LARGE_UTF8)
        return base_error_set(err, QV_INVALID,
                              "NDJSON inference: string_type must be a string type");
    uint8_t *plain = NULL;
    if (opts->compression != QV_COMPRESSION_NONE) {
        /* inference looks at the first records of the decompressed text */
        QV_TRY(inflate_all(data, len, opts->compression, name, &plain, &len, err));
        data = plain;
    }
    itype *root = itype_new(IT_OBJECT);
    if (root == NULL) {
        base_free(plain);
        return base_error_nomem(err, "json schema");
    }
    qv_status status = infer_lines(&cx, data, len, records_left, root);
    arrow_field **fields = NULL;
    if (status == QV_OK)
        status = to_fields(&cx, root, &fields);
    if (status == QV_OK) {
        status = arrow_schema_new(root->n, fields, NULL, out, err);
        for (int32_t i = 0; i < root->n; i++)
            arrow_field_release(fields[i]);
        base_free(fields);
    }
    itype_free(root);
    base_free(plain);
    return status;
}

qv_status ndjson_infer_files(const char *const *paths, int32_t n, const ndjson_options *opts,
                             arrow_schema **out, qv_error *err)
{
    *out = NULL;
    arrow_schema **schemas = base_calloc((size_t)(n > 0 ? n : 1), sizeof *schemas);
    if (schemas == NULL)
        return base_error_nomem(err, "inferred schemas");
    int64_t left = opts->schema_infer_max_rec;
    int32_t used = 0;
    qv_status checked = fmt_compression_check(opts->compression, err);
    if (checked != QV_OK) {
        base_free(schemas);
        return checked;
    }
    qv_status status = QV_OK;
    for (int32_t i = 0; i < n && status == QV_OK; i++) {
        uint8_t *data;
        int64_t len;
        /* Inference reads at most the first records; whole-file reads are
         * fine for the sizes inference looks at, and keep this simple. */
        status = io_read_file(paths[i], &data, &len, err);
        if (status != QV_OK)
            break;
        status = ndjson_infer_buffer(data, (size_t)len, opts, paths[i], &left, &schemas[used], err);
        base_free(data);
        if (status == QV_OK)
            used++;
        if (left <= 0)
            break;
    }
    if (status == QV_OK)
        status = fmt_schema_merge(used, schemas, out, err);
    for (int32_t i = 0; i < used; i++)
        arrow_schema_release(schemas[i]);
    base_free(schemas);
    return status;
}
