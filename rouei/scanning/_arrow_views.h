/* A column of string views made by a compiled kernel and handed to polars as an Arrow C stream
 * (the PyCapsule protocol): the output half of the scanner's kernels, shared by _kernels.c and
 * _itemkeys.c (each extension is built on its own, so everything here is static). */

#ifndef ROUEI_ARROW_VIEWS_H
#define ROUEI_ARROW_VIEWS_H

#include "_arrow_columns.h"

/* --- Output: a column of string views, exported as an Arrow C stream --------------------- */

/* The largest data buffer made (view offsets are int32); tests lower it to see cells spread
 * over several buffers (set_buffer_limit). */
static int64_t DATA_BUFFER_LIMIT = (int64_t)1 << 30;

typedef struct {
    int64_t length;
    int64_t null_count;
    uint8_t *validity;
    uint8_t *views;
    uint8_t **data;      /* data buffers of the long strings */
    int64_t *data_sizes; /* their sizes; the array exports it as its last buffer */
    int64_t n_data;
    int64_t data_capacity; /* of the last data buffer */
    int64_t at;            /* cells written */
} Views;

static void views_free(Views *v) {
    free(v->validity);
    free(v->views);
    for (int64_t i = 0; i < v->n_data; i++) {
        free(v->data[i]);
    }
    free(v->data);
    free(v->data_sizes);
    memset(v, 0, sizeof(*v));
}

static int views_init(Views *v, int64_t length) {
    memset(v, 0, sizeof(*v));
    v->length = length;
    v->validity = calloc((size_t)(length / 8 + 1), 1);
    v->views = calloc((size_t)(length > 0 ? length : 1), 16);
    if (v->validity == NULL || v->views == NULL) {
        views_free(v);
        return -1;
    }
    return 0;
}

static void views_null(Views *v) {
    v->null_count++;
    v->at++; /* the view stays zeroed, the validity bit 0 */
}

/* Room for ``size`` more bytes in the last data buffer (a new buffer when it is full). */
static uint8_t *views_room(Views *v, int64_t size) {
    if (v->n_data > 0 && v->data_sizes[v->n_data - 1] + size <= v->data_capacity) {
        return v->data[v->n_data - 1] + v->data_sizes[v->n_data - 1];
    }
    if (v->n_data > 0 && v->data_sizes[v->n_data - 1] + size <= DATA_BUFFER_LIMIT) {
        int64_t capacity = v->data_capacity * 2;
        while (capacity < v->data_sizes[v->n_data - 1] + size) {
            capacity *= 2;
        }
        if (capacity > DATA_BUFFER_LIMIT) {
            capacity = DATA_BUFFER_LIMIT;
        }
        uint8_t *grown = realloc(v->data[v->n_data - 1], (size_t)capacity);
        if (grown == NULL) {
            return NULL;
        }
        v->data[v->n_data - 1] = grown;
        v->data_capacity = capacity;
        return grown + v->data_sizes[v->n_data - 1];
    }
    if (size > DATA_BUFFER_LIMIT) {
        return NULL;
    }
    uint8_t **data = realloc(v->data, (size_t)(v->n_data + 1) * sizeof(uint8_t *));
    if (data == NULL) {
        return NULL;
    }
    v->data = data;
    int64_t *sizes = realloc(v->data_sizes, (size_t)(v->n_data + 1) * sizeof(int64_t));
    if (sizes == NULL) {
        return NULL;
    }
    v->data_sizes = sizes;
    int64_t capacity = (int64_t)1 << 20;
    while (capacity < size) {
        capacity *= 2;
    }
    if (capacity > DATA_BUFFER_LIMIT) {
        capacity = DATA_BUFFER_LIMIT;
    }
    v->data[v->n_data] = malloc((size_t)capacity);
    if (v->data[v->n_data] == NULL) {
        return NULL;
    }
    v->data_sizes[v->n_data] = 0;
    v->n_data++;
    v->data_capacity = capacity;
    return v->data[v->n_data - 1];
}

/* The bytes of the cells longer than 12 (what an output of cells no longer than their input
 * needs in data buffers), read from the views or offsets only. */
static int64_t column_long_bytes(const Column *column) {
    int64_t total = 0;
    for (int64_t c = 0; c < column->n_chunks; c++) {
        const Chunk *chunk = &column->chunks[c];
        for (int64_t i = 0; i < chunk->array.length; i++) {
            const uint8_t *cell;
            int64_t size;
            if (chunk_cell(chunk, i, &cell, &size) == 1 && size > 12) {
                total += size;
            }
        }
    }
    return total;
}

/* One data buffer of ``bytes`` (at most DATA_BUFFER_LIMIT) made at once: growing it cell by
 * cell would copy it again and again. */
static int views_reserve(Views *v, int64_t bytes) {
    if (bytes <= 0 || v->n_data > 0) {
        return 0;
    }
    if (bytes > DATA_BUFFER_LIMIT) {
        bytes = DATA_BUFFER_LIMIT;
    }
    v->data = malloc(sizeof(uint8_t *));
    v->data_sizes = malloc(sizeof(int64_t));
    if (v->data == NULL || v->data_sizes == NULL) {
        return -1;
    }
    v->data[0] = malloc((size_t)bytes);
    if (v->data[0] == NULL) {
        return -1;
    }
    v->data_sizes[0] = 0;
    v->n_data = 1;
    v->data_capacity = bytes;
    return 0;
}

/* The next cell's bytes, ``size`` of them, are to be written at the pointer returned (at most
 * ``max_size`` bytes, given back with views_commit); NULL when out of memory. Short strings
 * are written into a scratch area, then copied inline. */
typedef struct {
    uint8_t *out;
    uint8_t inline_bytes[16];
    int long_string;
} Slot;

static uint8_t *views_begin(Views *v, Slot *slot, int64_t max_size) {
    if (max_size <= 12) {
        slot->long_string = 0;
        slot->out = slot->inline_bytes;
        return slot->out;
    }
    slot->long_string = 1;
    slot->out = views_room(v, max_size);
    return slot->out;
}

static void views_commit(Views *v, Slot *slot, int64_t size) {
    uint8_t *view = v->views + 16 * v->at;
    int32_t size32 = (int32_t)size;
    memcpy(view, &size32, 4);
    if (size <= 12) {
        memcpy(view + 4, slot->out, (size_t)size);
    } else {
        int32_t index = (int32_t)(v->n_data - 1);
        int32_t start = (int32_t)v->data_sizes[v->n_data - 1];
        memcpy(view + 4, slot->out, 4);
        memcpy(view + 8, &index, 4);
        memcpy(view + 12, &start, 4);
        v->data_sizes[v->n_data - 1] += size;
    }
    v->validity[v->at >> 3] |= (uint8_t)(1u << (v->at & 7));
    v->at++;
}

typedef struct {
    Views views;
    const void **buffers;
    int done; /* the array was handed out */
} Exported;

static void exported_array_release(struct ArrowArray *array) {
    Exported *e = (Exported *)array->private_data;
    views_free(&e->views);
    free(e->buffers);
    free(e);
    array->release = NULL;
}

static void schema_release(struct ArrowSchema *schema) {
    schema->release = NULL;
}

static int stream_get_schema(struct ArrowArrayStream *stream, struct ArrowSchema *out) {
    (void)stream;
    memset(out, 0, sizeof(*out));
    out->format = "vu";
    out->name = "";
    out->flags = ARROW_FLAG_NULLABLE;
    out->release = schema_release;
    return 0;
}

static int stream_get_next(struct ArrowArrayStream *stream, struct ArrowArray *out) {
    Exported *e = (Exported *)stream->private_data;
    memset(out, 0, sizeof(*out));
    if (e == NULL || e->done) {
        return 0; /* released array: the end */
    }
    Views *v = &e->views;
    int64_t n_buffers = 2 + v->n_data + 1;
    e->buffers = calloc((size_t)n_buffers, sizeof(void *));
    if (e->buffers == NULL) {
        return 12; /* ENOMEM */
    }
    e->buffers[0] = v->null_count ? v->validity : NULL;
    e->buffers[1] = v->views;
    for (int64_t i = 0; i < v->n_data; i++) {
        e->buffers[2 + i] = v->data[i];
    }
    e->buffers[n_buffers - 1] = v->data_sizes;
    out->length = v->length;
    out->null_count = v->null_count;
    out->n_buffers = n_buffers;
    out->buffers = e->buffers;
    out->release = exported_array_release;
    out->private_data = e;
    e->done = 1;
    stream->private_data = NULL; /* the array owns it now */
    return 0;
}

static const char *stream_last_error(struct ArrowArrayStream *stream) {
    (void)stream;
    return NULL;
}

static void stream_release(struct ArrowArrayStream *stream) {
    Exported *e = (Exported *)stream->private_data;
    if (e != NULL) {
        views_free(&e->views);
        free(e->buffers);
        free(e);
    }
    stream->private_data = NULL;
    stream->release = NULL;
}

static void capsule_destructor(PyObject *capsule) {
    struct ArrowArrayStream *stream =
        (struct ArrowArrayStream *)PyCapsule_GetPointer(capsule, "arrow_array_stream");
    if (stream == NULL) {
        PyErr_Clear();
        return;
    }
    if (stream->release != NULL) {
        stream->release(stream);
    }
    free(stream);
}

/* Hands the views over to a new capsule (``v`` is emptied either way). */
static PyObject *views_export(Views *v) {
    if (v->n_data == 0) {
        /* The sizes buffer is there even when there is no data buffer. */
        v->data_sizes = malloc(sizeof(int64_t));
        if (v->data_sizes == NULL) {
            views_free(v);
            return PyErr_NoMemory();
        }
    }
    Exported *e = calloc(1, sizeof(Exported));
    struct ArrowArrayStream *stream = calloc(1, sizeof(struct ArrowArrayStream));
    if (e == NULL || stream == NULL) {
        free(e);
        free(stream);
        views_free(v);
        return PyErr_NoMemory();
    }
    e->views = *v;
    memset(v, 0, sizeof(*v));
    stream->get_schema = stream_get_schema;
    stream->get_next = stream_get_next;
    stream->get_last_error = stream_last_error;
    stream->release = stream_release;
    stream->private_data = e;
    PyObject *capsule = PyCapsule_New(stream, "arrow_array_stream", capsule_destructor);
    if (capsule == NULL) {
        stream_release(stream);
        free(stream);
    }
    return capsule;
}


/* --- Kernels over every cell of a column (inline: an extension may use only one) ---------- */

/* A kernel over string cells: ``transform`` writes the new cell (never longer than the cell)
 * and returns its length, or -1 for a null. */
typedef int64_t (*Transform)(const uint8_t *cell, int64_t size, uint8_t *out);

static inline PyObject *map_cells(PyObject *capsule, Transform transform) {
    Column column;
    if (column_of(capsule, &column, 0) != 0) {
        return NULL;
    }
    Views v;
    if (views_init(&v, column.length) != 0 || views_reserve(&v, column_long_bytes(&column)) != 0) {
        views_free(&v);
        column_free(&column);
        return PyErr_NoMemory();
    }
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int64_t c = 0; c < column.n_chunks && !failed; c++) {
        const Chunk *chunk = &column.chunks[c];
        for (int64_t i = 0; i < chunk->array.length; i++) {
            const uint8_t *cell;
            int64_t size;
            int got = chunk_cell(chunk, i, &cell, &size);
            if (got < 0) {
                failed = 1;
                break;
            }
            if (got == 0) {
                views_null(&v);
                continue;
            }
            Slot slot;
            uint8_t *out = views_begin(&v, &slot, size);
            if (out == NULL) {
                failed = 2;
                break;
            }
            int64_t written = transform(cell, size, out);
            if (written < 0) {
                views_null(&v);
            } else {
                views_commit(&v, &slot, written);
            }
        }
    }
    Py_END_ALLOW_THREADS
    column_free(&column);
    if (failed) {
        views_free(&v);
        if (failed == 2) {
            return PyErr_NoMemory();
        }
        PyErr_SetString(PyExc_ValueError, "a string view points outside its buffer");
        return NULL;
    }
    return views_export(&v);
}

/* A kernel over string cells giving one byte per cell (a null cell: 0), with the caller's
 * context (a table the test reads); ``count`` (if not NULL) gets how many cells gave non-zero. */
typedef uint8_t (*TestWith)(const uint8_t *cell, int64_t size, const void *context);

static inline PyObject *test_cells_with(PyObject *capsule, TestWith test, const void *context,
                                        int64_t *count) {
    Column column;
    if (column_of(capsule, &column, 0) != 0) {
        return NULL;
    }
    PyObject *result = PyByteArray_FromStringAndSize(NULL, column.length);
    if (result == NULL) {
        column_free(&column);
        return NULL;
    }
    uint8_t *out = (uint8_t *)PyByteArray_AS_STRING(result);
    int failed = 0;
    int64_t hits = 0;
    Py_BEGIN_ALLOW_THREADS
    int64_t at = 0;
    for (int64_t c = 0; c < column.n_chunks && !failed; c++) {
        const Chunk *chunk = &column.chunks[c];
        for (int64_t i = 0; i < chunk->array.length; i++, at++) {
            const uint8_t *cell;
            int64_t size;
            int got = chunk_cell(chunk, i, &cell, &size);
            if (got < 0) {
                failed = 1;
                break;
            }
            out[at] = got == 0 ? 0 : test(cell, size, context);
            hits += out[at] != 0;
        }
    }
    Py_END_ALLOW_THREADS
    column_free(&column);
    if (failed) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_ValueError, "a string view points outside its buffer");
        return NULL;
    }
    if (count != NULL) {
        *count = hits;
    }
    return result;
}

/* The same without a context. */
typedef uint8_t (*Test)(const uint8_t *cell, int64_t size);

static inline uint8_t test_without_context(const uint8_t *cell, int64_t size,
                                           const void *context) {
    return (*(const Test *)context)(cell, size);
}

static inline PyObject *test_cells(PyObject *capsule, Test test) {
    return test_cells_with(capsule, test_without_context, &test, NULL);
}

#endif
