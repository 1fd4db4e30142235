/*
 * test_validate.c — arrow_array_validate, directly and through the C Data
 * import: a table of corrupted ArrowSchema / ArrowArray structs, each of
 * which must be refused with QV_INVALID and a message naming the problem,
 * without crashing or leaking; UTF-8 checking against a reference decoder;
 * bounded nesting.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arrow/arrow.h"
#include "cdata_helpers.h"
#include "test.h"

/* ---- arrays the corruptions start from ---- */

static const char *const words[] = {"a", "bc", NULL, "def", "a string longer than twelve"};

static arrow_array *make_utf8(void)
{
    return th_strings(th_prim(QV_TYPE_UTF8), 5, words);
}
static arrow_array *make_view(void)
{
    return th_strings(th_prim(QV_TYPE_UTF8_VIEW), 5, words);
}

static arrow_array *make_list(void)
{
    static const int32_t values[] = {1, 2, 3, 4};
    static const int64_t offsets[] = {0, 1, 1, 4};
    return th_list_array(th_list(QV_TYPE_LIST, th_prim(QV_TYPE_INT32)), 3, "101", offsets,
                         th_fixed(th_prim(QV_TYPE_INT32), 4, NULL, values, 4));
}

static arrow_array *make_struct(void)
{
    static const int32_t values[] = {1, 2, 3, 4, 5};
    arrow_array *children[2] = {th_fixed(th_prim(QV_TYPE_INT32), 5, NULL, values, 4), make_utf8()};
    arrow_buffer *buffers[1] = {NULL};
    return th_array(th_struct2("a", th_prim(QV_TYPE_INT32), "b", th_prim(QV_TYPE_UTF8)), 5, "11011",
                    1, buffers, 2, children, NULL);
}

static arrow_array *make_fsl(void)
{
    static const int8_t values[] = {1, 2, 3, 4, 5, 6};
    arrow_array *child = th_fixed(th_prim(QV_TYPE_INT8), 6, NULL, values, 1);
    arrow_buffer *buffers[1] = {NULL};
    return th_array(th_fsl(th_prim(QV_TYPE_INT8), 2), 3, NULL, 1, buffers, 1, &child, NULL);
}

static arrow_array *make_dict(void)
{
    static const int32_t indices[] = {0, 2, 1, 1};
    arrow_buffer *buffers[2] = {NULL, th_buffer(indices, sizeof indices)};
    return th_array(th_dict(QV_TYPE_INT32, th_prim(QV_TYPE_UTF8)), 4, "1101", 2, buffers, 0, NULL,
                    th_strings(th_prim(QV_TYPE_UTF8), 3, words));
}

static arrow_array *make_ree(void)
{
    static const int32_t ends[] = {2, 3, 7};
    arrow_array *children[2] = {th_fixed(th_prim(QV_TYPE_INT32), 3, NULL, ends, 4),
                                th_strings(th_prim(QV_TYPE_UTF8), 3, words)};
    return th_array(th_ree(QV_TYPE_INT32, th_prim(QV_TYPE_UTF8)), 7, NULL, 0, NULL, 2, children,
                    NULL);
}

static arrow_array *make_map(void)
{
    static const char *const keys[] = {"k1", NULL, "k3"};
    static const int64_t offsets[] = {0, 2, 3};
    arrow_type *type = th_map(th_prim(QV_TYPE_UTF8), th_prim(QV_TYPE_UTF8));
    if (type == NULL)
        return NULL;
    arrow_array *children[2] = {th_strings(th_prim(QV_TYPE_UTF8), 3, keys),
                                th_strings(th_prim(QV_TYPE_UTF8), 3, words)};
    arrow_buffer *buffers[1] = {NULL};
    arrow_array *entries = th_array(arrow_type_retain(type->children[0]->type), 3, NULL, 1, buffers,
                                    2, children, NULL);
    return th_list_array(type, 2, NULL, offsets, entries);
}

/* Writes bytes into buffer i of array (test arrays are ours to scribble on). */
static arrow_array *poke(arrow_array *array, int32_t buffer, int64_t at, const void *bytes,
                         size_t n)
{
    if (array != NULL)
        memcpy(array->buffers[buffer]->data + at, bytes, n);
    return array;
}

static arrow_array *utf8_offsets_not_monotonic(void)
{
    int32_t zero = 0;
    return poke(make_utf8(), 1, 2 * 4, &zero, 4);
}
static arrow_array *utf8_first_offset_negative(void)
{
    int32_t minus = -1;
    return poke(make_utf8(), 1, 0, &minus, 4);
}
static arrow_array *utf8_invalid_byte(void)
{
    return poke(make_utf8(), 2, 1, "\xff", 1);
}
static arrow_array *strings_of(const char *bad)
{
    const char *strings[2] = {"ok", bad};
    return th_strings(th_prim(QV_TYPE_UTF8), 2, strings);
}
static arrow_array *utf8_overlong(void)
{
    return strings_of("\xc0\xaf");
}
static arrow_array *utf8_surrogate(void)
{
    return strings_of("x\xed\xa0\x80");
}
static arrow_array *utf8_truncated(void)
{
    return strings_of("ab\xe2\x82");
}
static arrow_array *utf8_too_large(void)
{
    return strings_of("\xf4\x90\x80\x80");
}
static arrow_array *utf8_split_across_elements(void)
{
    /* "\xc3" + "\xa9" is valid as a whole but not per element. */
    const char *strings[2] = {"\xc3", "\xa9"};
    return th_strings(th_prim(QV_TYPE_UTF8), 2, strings);
}
static arrow_array *view_invalid_utf8(void)
{
    return poke(make_view(), 1, 4, "\xff", 1);
}
static arrow_array *view_bad_buffer_index(void)
{
    int32_t index = 5;
    return poke(make_view(), 1, 4 * 16 + 8, &index, 4);
}
static arrow_array *view_bad_prefix(void)
{
    return poke(make_view(), 1, 4 * 16 + 4, "X", 1);
}
static arrow_array *view_negative_length(void)
{
    int32_t len = -4;
    return poke(make_view(), 1, 16, &len, 4);
}
static arrow_array *view_offset_past_data(void)
{
    int32_t offset = 20;
    return poke(make_view(), 1, 4 * 16 + 12, &offset, 4);
}
static arrow_array *list_offset_past_child(void)
{
    int32_t last = 99;
    return poke(make_list(), 1, 3 * 4, &last, 4);
}
static arrow_array *dict_index_too_big(void)
{
    int32_t index = 3;
    return poke(make_dict(), 1, 4, &index, 4);
}
static arrow_array *dict_index_negative(void)
{
    int32_t index = -1;
    return poke(make_dict(), 1, 0, &index, 4);
}
static arrow_array *ree_with_ends(int32_t a, int32_t b, int32_t c)
{
    arrow_array *array = make_ree();
    if (array != NULL) {
        int32_t ends[3] = {a, b, c};
        memcpy(array->children[0]->buffers[1]->data, ends, sizeof ends);
    }
    return array;
}
static arrow_array *ree_not_increasing(void)
{
    return ree_with_ends(2, 2, 7);
}
static arrow_array *ree_zero_end(void)
{
    return ree_with_ends(0, 3, 7);
}
static arrow_array *ree_short(void)
{
    return ree_with_ends(2, 3, 5);
}

/* ---- corruptions of the C structs ---- */

static void mark_schema_released(struct ArrowSchema *schema)
{
    schema->release = NULL;
}
static void mark_array_released(struct ArrowArray *array)
{
    array->release = NULL;
}

static const void *patched_buffers[8];
/* Points array at a copy of its buffer pointers in which buffer i is data. */
static void patch_buffer(struct ArrowArray *array, int i, const void *data)
{
    for (int64_t k = 0; k < array->n_buffers && k < 8; k++)
        patched_buffers[k] = array->buffers[k];
    patched_buffers[i] = data;
    array->buffers = patched_buffers;
}

static void length_negative(struct ArrowArray *a)
{
    a->length = -1;
}
static void offset_negative(struct ArrowArray *a)
{
    a->offset = -3;
}
static void offset_overflows(struct ArrowArray *a)
{
    a->offset = INT64_MAX - 1;
}
static void null_count_too_big(struct ArrowArray *a)
{
    a->null_count = 99;
}
static void null_count_below_minus_one(struct ArrowArray *a)
{
    a->null_count = -5;
}
static void null_count_disagrees(struct ArrowArray *a)
{
    a->null_count = 0;
}
static void too_few_buffers(struct ArrowArray *a)
{
    a->n_buffers = 2;
}
static void too_many_buffers(struct ArrowArray *a)
{
    a->n_buffers = 4;
}
static void buffers_pointer_null(struct ArrowArray *a)
{
    a->buffers = NULL;
}
static void extra_child(struct ArrowArray *a)
{
    a->n_children = 1;
}
static void release_missing(struct ArrowArray *a)
{
    a->release = NULL;
}
static void validity_missing(struct ArrowArray *a)
{
    patch_buffer(a, 0, NULL);
}
static void data_missing(struct ArrowArray *a)
{
    patch_buffer(a, 2, NULL);
}
static void sizes_too_small(struct ArrowArray *a)
{
    static const int64_t sizes[2] = {3, 3};
    patch_buffer(a, 4, sizes);
}
static void size_negative(struct ArrowArray *a)
{
    static const int64_t sizes[2] = {-1, 0};
    patch_buffer(a, 4, sizes);
}
static void sizes_missing(struct ArrowArray *a)
{
    patch_buffer(a, 4, NULL);
}
static struct ArrowArray dummy_array = {.release = mark_array_released};
static void dictionary_unexpected(struct ArrowArray *a)
{
    a->dictionary = &dummy_array;
}
static void dictionary_missing(struct ArrowArray *a)
{
    a->dictionary = NULL;
}
static struct ArrowArray *null_children[2] = {NULL, NULL};
static void children_null(struct ArrowArray *a)
{
    a->children = null_children;
}
static struct ArrowArray released_child = {.release = NULL};
static struct ArrowArray *released_children[2] = {&released_child, &released_child};
static void children_released(struct ArrowArray *a)
{
    a->children = released_children;
}
static void child_too_short(struct ArrowArray *a)
{
    a->children[0]->length = 2;
}
static void child_length_negative(struct ArrowArray *a)
{
    a->children[1]->length = -7;
}

static void format_bad(struct ArrowSchema *s)
{
    s->format = "xyz";
}
static void format_null(struct ArrowSchema *s)
{
    s->format = NULL;
}
static void format_width_negative(struct ArrowSchema *s)
{
    s->format = "w:-3";
}
static void format_precision(struct ArrowSchema *s)
{
    s->format = "d:99,2";
}
static void format_unit(struct ArrowSchema *s)
{
    s->format = "tsx:UTC";
}
static void format_mismatch(struct ArrowSchema *s)
{
    s->format = "l";
}
static void schema_no_children(struct ArrowSchema *s)
{
    s->n_children = 0;
}
static struct ArrowSchema *null_schema_children[2] = {NULL, NULL};
static void schema_child_null(struct ArrowSchema *s)
{
    s->children = null_schema_children;
}
static void dictionary_index_utf8(struct ArrowSchema *s)
{
    s->format = "u";
}
static void schema_release_missing(struct ArrowSchema *s)
{
    s->release = NULL;
}
static void schema_negative_children(struct ArrowSchema *s)
{
    s->n_children = -1;
}

#define DEEP_LEVELS 80
static struct ArrowSchema deep_chain[DEEP_LEVELS];
static struct ArrowSchema *deep_links[DEEP_LEVELS];
static void schema_too_deep(struct ArrowSchema *s)
{
    for (int i = 0; i < DEEP_LEVELS; i++) {
        bool last = i == DEEP_LEVELS - 1;
        deep_chain[i] = (struct ArrowSchema){.format = last ? "i" : "+l",
                                             .name = "item",
                                             .n_children = last ? 0 : 1,
                                             .children = last ? NULL : &deep_links[i + 1],
                                             .release = mark_schema_released};
        deep_links[i] = &deep_chain[i];
    }
    s->format = "+l";
    s->n_children = 1;
    s->children = &deep_links[0];
}

typedef struct corruption {
    const char *name;
    arrow_array *(*make)(void);
    void (*corrupt_schema)(struct ArrowSchema *schema);
    void (*corrupt_array)(struct ArrowArray *array);
    const char *expected; /* a substring of the error message */
} corruption;

static const corruption corruptions[] = {
    {"negative length", make_utf8, NULL, length_negative, "bad length"},
    {"negative offset", make_utf8, NULL, offset_negative, "bad length"},
    {"offset + length overflows", make_utf8, NULL, offset_overflows, "bad length"},
    {"null_count > length", make_utf8, NULL, null_count_too_big, "null_count 99"},
    {"null_count < -1", make_utf8, NULL, null_count_below_minus_one, "null_count -5"},
    {"null_count disagrees with the bitmap", make_utf8, NULL, null_count_disagrees,
     "validity bitmap has 1 nulls"},
    {"too few buffers", make_utf8, NULL, too_few_buffers, "2 buffers where 3"},
    {"too many buffers", make_utf8, NULL, too_many_buffers, "4 buffers where 3"},
    {"buffers pointer NULL", make_utf8, NULL, buffers_pointer_null, "buffers pointer is NULL"},
    {"child count mismatch", make_utf8, NULL, extra_child, "1 children where 0"},
    {"missing release", make_utf8, NULL, release_missing, "released"},
    {"nulls without validity", make_utf8, NULL, validity_missing, "validity buffer is NULL"},
    {"data buffer missing", make_utf8, NULL, data_missing, "buffer 2 is NULL"},
    {"unexpected dictionary", make_utf8, NULL, dictionary_unexpected, "unexpected dictionary"},
    {"dictionary missing", make_dict, NULL, dictionary_missing, "dictionary is missing"},
    {"child pointer NULL", make_struct, NULL, children_null, "NULL or released"},
    {"child released", make_struct, NULL, children_released, "NULL or released"},
    {"child length negative", make_struct, NULL, child_length_negative, "bad length"},
    {"struct child too short", make_struct, NULL, child_too_short, "child 0 (\"a\") has 2"},
    {"FixedSizeList child too short", make_fsl, NULL, child_too_short, "the child has 2"},
    {"offsets not monotonic", utf8_offsets_not_monotonic, NULL, NULL,
     "offsets are not monotonic at index 2 (column type Utf8)"},
    {"first offset negative", utf8_first_offset_negative, NULL, NULL, "first offset is negative"},
    {"list offset past the child", list_offset_past_child, NULL, NULL,
     "past the end of the child array"},
    {"invalid UTF-8 byte", utf8_invalid_byte, NULL, NULL, "invalid UTF-8 in element 1"},
    {"overlong UTF-8", utf8_overlong, NULL, NULL, "invalid UTF-8"},
    {"UTF-8 surrogate", utf8_surrogate, NULL, NULL, "invalid UTF-8"},
    {"truncated UTF-8", utf8_truncated, NULL, NULL, "invalid UTF-8"},
    {"UTF-8 past U+10FFFF", utf8_too_large, NULL, NULL, "invalid UTF-8"},
    {"UTF-8 split across elements", utf8_split_across_elements, NULL, NULL,
     "invalid UTF-8 in element 0"},
    {"invalid UTF-8 in a view", view_invalid_utf8, NULL, NULL,
     "invalid UTF-8 in element 0 (column type Utf8View)"},
    {"view buffer index out of range", view_bad_buffer_index, NULL, NULL,
     "refers to data buffer 5 of 2"},
    {"view prefix mismatch", view_bad_prefix, NULL, NULL, "prefix does not match"},
    {"view negative length", view_negative_length, NULL, NULL, "negative length"},
    {"view offset past its buffer", view_offset_past_data, NULL, NULL, "outside data buffer"},
    {"view sizes too small", make_view, NULL, sizes_too_small, "outside data buffer"},
    {"view size negative", make_view, NULL, size_negative, "negative size"},
    {"view sizes missing", make_view, NULL, sizes_missing, "sizes are missing"},
    {"dictionary index out of range", dict_index_too_big, NULL, NULL,
     "dictionary index 3 of element 1 is outside the dictionary of 3 values"},
    {"dictionary index negative", dict_index_negative, NULL, NULL, "dictionary index -1"},
    {"run ends not increasing", ree_not_increasing, NULL, NULL, "not strictly increasing"},
    {"run end not positive", ree_zero_end, NULL, NULL, "must be positive"},
    {"run ends short of the length", ree_short, NULL, NULL, "before the end of the array"},
    {"map key null", make_map, NULL, NULL, "map key 1 is null"},
    {"bad format string", make_utf8, format_bad, NULL, "\"xyz\""},
    {"NULL format string", make_utf8, format_null, NULL, "format string is NULL"},
    {"negative FixedSizeBinary width", make_utf8, format_width_negative, NULL, "\"w:-3\""},
    {"decimal precision out of range", make_utf8, format_precision, NULL, "precision 99"},
    {"bad timestamp unit", make_utf8, format_unit, NULL, "\"tsx:UTC\""},
    {"format does not match the array", make_utf8, format_mismatch, NULL, "3 buffers where 2"},
    {"schema child count mismatch", make_list, schema_no_children, NULL,
     "List has 0 children where 1"},
    {"negative schema child count", make_list, schema_negative_children, NULL, "bad children"},
    {"schema child NULL", make_struct, schema_child_null, NULL, "a child is NULL"},
    {"dictionary index not an integer", make_dict, dictionary_index_utf8, NULL,
     "must be an integer"},
    {"schema release missing", make_utf8, schema_release_missing, NULL, "already released"},
    {"schema nested too deep", make_list, schema_too_deep, NULL, "deeper than 64"},
};

/* The wrappers own the originally exported structs, so that corruptions of
 * the top-level fields never confuse the exporter's release. */
static bool array_wrapper_ran, schema_wrapper_ran;
static void release_array_wrapper(struct ArrowArray *array)
{
    struct ArrowArray *original = array->private_data;
    original->release(original);
    free(original);
    array->release = NULL;
    array_wrapper_ran = true;
}
static void release_schema_wrapper(struct ArrowSchema *schema)
{
    struct ArrowSchema *original = schema->private_data;
    original->release(original);
    free(original);
    schema->release = NULL;
    schema_wrapper_ran = true;
}

/* Runs one corruption; returns the import's status and fills message. */
static qv_status run_corruption(const corruption *c, char *message, size_t message_size)
{
    qv_error err;
    qv_error_clear(&err);
    arrow_array *array = c->make();
    if (array == NULL)
        return QV_ERROR;
    arrow_field *field = th_field("col", arrow_type_retain(array->type), true);
    struct ArrowSchema *schema_original = malloc(sizeof *schema_original);
    struct ArrowArray *array_original = malloc(sizeof *array_original);
    if (field == NULL || schema_original == NULL || array_original == NULL ||
        arrow_export_type(field, schema_original, &err) != QV_OK)
        abort();
    if (arrow_export_array(array, array_original, &err) != QV_OK)
        abort();
    struct ArrowSchema c_schema = *schema_original;
    c_schema.release = release_schema_wrapper;
    c_schema.private_data = schema_original;
    struct ArrowArray c_array = *array_original;
    c_array.release = release_array_wrapper;
    c_array.private_data = array_original;
    array_wrapper_ran = schema_wrapper_ran = false;
    if (c->corrupt_schema != NULL)
        c->corrupt_schema(&c_schema);
    if (c->corrupt_array != NULL)
        c->corrupt_array(&c_array);

    arrow_field *imported_field = NULL;
    arrow_array *imported = NULL;
    qv_status status = arrow_import_field(&c_schema, &imported_field, &err);
    if (status == QV_OK) {
        status = arrow_import_array(&c_array, imported_field->type, &imported, &err);
        if (status == QV_OK && !array_wrapper_ran) {
            /* Accepted: the array still references the export. */
            arrow_array_release(imported);
        }
    }
    if (!schema_wrapper_ran) {
        schema_original->release(schema_original);
        free(schema_original);
    }
    if (!array_wrapper_ran) {
        array_original->release(array_original);
        free(array_original);
    }
    snprintf(message, message_size, "%s", err.message);
    arrow_field_release(imported_field);
    arrow_field_release(field);
    arrow_array_release(array);
    return status;
}

TEST(validate_corrupted_c_structs_are_refused)
{
    CHECK(sizeof corruptions / sizeof corruptions[0] >= 20);
    for (size_t i = 0; i < sizeof corruptions / sizeof corruptions[0]; i++) {
        const corruption *c = &corruptions[i];
        int64_t start = base_alloc_thread_bytes();
        char message[1024];
        qv_status status = run_corruption(c, message, sizeof message);
        if (status != QV_INVALID) {
            test_fail(__FILE__, __LINE__, "%s: status %s (%s)", c->name, qv_status_name(status),
                      message);
            return;
        }
        if (strstr(message, c->expected) == NULL) {
            test_fail(__FILE__, __LINE__, "%s: message \"%s\" lacks \"%s\"", c->name, message,
                      c->expected);
            return;
        }
        if (base_alloc_thread_bytes() != start) {
            test_fail(__FILE__, __LINE__, "%s: %lld bytes leaked", c->name,
                      (long long)(base_alloc_thread_bytes() - start));
            return;
        }
    }
}

TEST(validate_accepts_the_uncorrupted_arrays)
{
    arrow_array *(*makers[])(void) = {make_utf8, make_view, make_list, make_struct,
                                      make_fsl,  make_dict, make_ree};
    qv_error err;
    for (size_t i = 0; i < sizeof makers / sizeof makers[0]; i++) {
        arrow_array *array = makers[i]();
        CHECK(array != NULL);
        CHECK_OK(arrow_array_validate(array, &err));
        arrow_array *slice;
        CHECK_OK(arrow_array_slice(array, 1, array->length - 1, &slice, &err));
        CHECK_OK(arrow_array_validate(slice, &err));
        arrow_array_release(slice);
        arrow_array_release(array);
    }
}

TEST(validate_buffer_sizes_and_nesting_directly)
{
    qv_error err;
    static const int64_t values[] = {1, 2, 3};
    /* A values buffer one byte short of offset + length. */
    arrow_buffer *short_buffer = th_buffer(values, 23);
    arrow_array *array;
    CHECK_OK(arrow_array_new(th_prim(QV_TYPE_INT64), 3, 0, 0, 2,
                             (arrow_buffer *[]){NULL, short_buffer}, 0, NULL, NULL, &array, &err));
    CHECK_STATUS(arrow_array_validate(array, &err), QV_INVALID);
    CHECK(strstr(err.message, "has 23 bytes where 24 are needed") != NULL);
    arrow_array_release(array);
    /* offset + length past the buffer. */
    arrow_buffer *full = th_buffer(values, 24);
    CHECK_OK(arrow_array_new(th_prim(QV_TYPE_INT64), 2, 0, 2, 2, (arrow_buffer *[]){NULL, full}, 0,
                             NULL, NULL, &array, &err));
    CHECK_STATUS(arrow_array_validate(array, &err), QV_INVALID);
    arrow_array_release(array);
    /* A validity bitmap too short. */
    arrow_buffer *bits = th_buffer("\xff", 1);
    arrow_buffer *wide = th_buffer(values, 24);
    arrow_buffer *longer[2] = {bits, NULL};
    CHECK_OK(arrow_buffer_new(80, &longer[1], &err));
    CHECK_OK(
        arrow_array_new(th_prim(QV_TYPE_INT64), 10, -1, 0, 2, longer, 0, NULL, NULL, &array, &err));
    CHECK_STATUS(arrow_array_validate(array, &err), QV_INVALID);
    CHECK(strstr(err.message, "validity buffer has 1 bytes where 2") != NULL);
    arrow_array_release(array);
    arrow_buffer_release(longer[1]);
    arrow_buffer_release(bits);
    arrow_buffer_release(wide);
    arrow_buffer_release(full);
    arrow_buffer_release(short_buffer);

    /* Lists nested 70 deep: refused, without recursing without bound. */
    arrow_array *inner = NULL;
    CHECK_OK(arrow_array_new_null(th_prim(QV_TYPE_INT8), 0, &inner, &err));
    for (int level = 0; level < 70; level++) {
        arrow_type *type = th_list(QV_TYPE_LIST, arrow_type_retain(inner->type));
        static const int64_t offsets[] = {0};
        arrow_array *outer = th_list_array(type, 0, NULL, offsets, inner);
        CHECK(outer != NULL);
        inner = outer;
    }
    CHECK_STATUS(arrow_array_validate(inner, &err), QV_INVALID);
    CHECK(strstr(err.message, "deeper than 64") != NULL);
    arrow_array_release(inner);
}

/* Reference UTF-8 check: decode code points one by one. */
static bool utf8_reference(const uint8_t *s, int64_t n)
{
    int64_t i = 0;
    while (i < n) {
        uint32_t c = s[i];
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > n)
            return false;
        uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
        for (int k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

TEST(validate_utf8_matches_a_reference_decoder)
{
    qv_error err;
    uint32_t seed = 12345;
    static const uint8_t alphabet[] = {'a',  0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
                                       0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
    for (int round = 0; round < 20000; round++) {
        uint8_t text[12];
        int n = round % 11 + 1;
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            text[k] = alphabet[(seed >> 16) % sizeof alphabet];
        }
        /* The ASCII fast path is taken for 8-byte runs: prefix some ASCII. */
        char joined[32] = "abcdefghij";
        memcpy(joined + 10, text, (size_t)n);
        joined[10 + n] = '\0';
        if (strlen(joined) != (size_t)(10 + n))
            continue; /* no NUL bytes in the alphabet, but stay safe */
        const char *strings[1] = {joined};
        arrow_array *array = th_strings(th_prim(QV_TYPE_UTF8), 1, strings);
        CHECK(array != NULL);
        bool expected = utf8_reference((const uint8_t *)joined, 10 + n);
        qv_status status = arrow_array_validate(array, &err);
        arrow_array_release(array);
        if ((status == QV_OK) != expected) {
            test_fail(__FILE__, __LINE__, "UTF-8 verdict differs for round %d", round);
            return;
        }
    }
}
