/* The scanner's compiled extensions read their input columns here: Arrow C streams (the
 * PyCapsule that polars.Series.__arrow_c_stream__ returns, zero-copy) of strings ("vu", "u",
 * "U") or of Int64 ("l"), every read bounds-checked against the lengths Arrow gives. Included by
 * _kernels.c and _cellwriter.c (each its own extension; everything here is static). */

#ifndef ROUEI_ARROW_COLUMNS_H
#define ROUEI_ARROW_COLUMNS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- The Arrow C data interface (https://arrow.apache.org/docs/format/CDataInterface.html) */

#define ARROW_FLAG_NULLABLE 2

struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};

/* --- Input: the chunks of a string column ----------------------------------------------- */

enum { KIND_VIEW, KIND_UTF8, KIND_LARGE_UTF8, KIND_INT64 };

typedef struct {
    struct ArrowArray array;
    int kind;
    const uint8_t *validity;
    const uint8_t *views;       /* KIND_VIEW: 16 bytes per cell */
    const uint8_t **data;       /* KIND_VIEW: the variadic data buffers */
    const int64_t *data_sizes;  /* KIND_VIEW: their sizes */
    int64_t n_data;
    const int32_t *offsets32;   /* KIND_UTF8 */
    const int64_t *offsets64;   /* KIND_LARGE_UTF8 */
    const uint8_t *values;      /* KIND_UTF8, KIND_LARGE_UTF8 */
    const int64_t *numbers;     /* KIND_INT64 */
} Chunk;

typedef struct {
    Chunk *chunks;
    int64_t n_chunks;
    int64_t length;
} Column;

static void column_free(Column *column) {
    for (int64_t i = 0; i < column->n_chunks; i++) {
        if (column->chunks[i].array.release != NULL) {
            column->chunks[i].array.release(&column->chunks[i].array);
        }
    }
    free(column->chunks);
    column->chunks = NULL;
    column->n_chunks = column->length = 0;
}

static int chunk_setup(Chunk *chunk, int kind) {
    struct ArrowArray *a = &chunk->array;
    chunk->kind = kind;
    if (a->length < 0 || a->offset < 0 || a->n_buffers < 2) {
        return -1;
    }
    chunk->validity = a->null_count == 0 ? NULL : (const uint8_t *)a->buffers[0];
    if (kind == KIND_VIEW) {
        /* validity, views, the data buffers, then one buffer of their sizes */
        if (a->n_buffers < 3) {
            return -1;
        }
        chunk->views = (const uint8_t *)a->buffers[1];
        chunk->n_data = a->n_buffers - 3;
        chunk->data = (const uint8_t **)(a->buffers + 2);
        chunk->data_sizes = (const int64_t *)a->buffers[a->n_buffers - 1];
        if (chunk->n_data > 0 && chunk->data_sizes == NULL) {
            return -1;
        }
    } else if (kind == KIND_INT64) {
        chunk->numbers = (const int64_t *)a->buffers[1];
        if (chunk->numbers == NULL && a->length > 0) {
            return -1;
        }
    } else {
        if (a->n_buffers != 3) {
            return -1;
        }
        chunk->values = (const uint8_t *)a->buffers[2];
        if (kind == KIND_UTF8) {
            chunk->offsets32 = (const int32_t *)a->buffers[1];
        } else {
            chunk->offsets64 = (const int64_t *)a->buffers[1];
        }
    }
    return 0;
}

static int column_read_stream(struct ArrowArrayStream *stream, Column *column);

/* Reads every chunk of the stream in the capsule. The stream is moved out of the capsule (as
 * the PyCapsule protocol has a consumer do) and released once read; the chunks are kept until
 * column_free. */
static int column_read(PyObject *capsule, Column *column) {
    memset(column, 0, sizeof(*column));
    struct ArrowArrayStream *in_capsule =
        (struct ArrowArrayStream *)PyCapsule_GetPointer(capsule, "arrow_array_stream");
    if (in_capsule == NULL) {
        return -1;
    }
    if (in_capsule->release == NULL) {
        PyErr_SetString(PyExc_ValueError, "the Arrow stream was consumed already");
        return -1;
    }
    struct ArrowArrayStream stream = *in_capsule;
    in_capsule->release = NULL;
    int status = column_read_stream(&stream, column);
    stream.release(&stream);
    return status;
}

static int column_read_stream(struct ArrowArrayStream *stream, Column *column) {
    struct ArrowSchema schema;
    memset(&schema, 0, sizeof(schema));
    if (stream->get_schema(stream, &schema) != 0) {
        PyErr_SetString(PyExc_ValueError, "the Arrow stream has no schema");
        return -1;
    }
    int kind = -1;
    if (schema.format != NULL) {
        if (strcmp(schema.format, "vu") == 0) {
            kind = KIND_VIEW;
        } else if (strcmp(schema.format, "u") == 0) {
            kind = KIND_UTF8;
        } else if (strcmp(schema.format, "U") == 0) {
            kind = KIND_LARGE_UTF8;
        } else if (strcmp(schema.format, "l") == 0) {
            kind = KIND_INT64;
        }
    }
    if (schema.release != NULL) {
        schema.release(&schema);
    }
    if (kind < 0) {
        PyErr_SetString(PyExc_TypeError, "not a column of strings or of Int64");
        return -1;
    }
    int64_t capacity = 0;
    for (;;) {
        if (column->n_chunks == capacity) {
            capacity = capacity ? capacity * 2 : 8;
            Chunk *grown = realloc(column->chunks, (size_t)capacity * sizeof(Chunk));
            if (grown == NULL) {
                column_free(column);
                PyErr_NoMemory();
                return -1;
            }
            column->chunks = grown;
        }
        Chunk *chunk = &column->chunks[column->n_chunks];
        memset(chunk, 0, sizeof(*chunk));
        if (stream->get_next(stream, &chunk->array) != 0) {
            column_free(column);
            PyErr_SetString(PyExc_ValueError, "the Arrow stream failed");
            return -1;
        }
        if (chunk->array.release == NULL) {
            break; /* the end of the stream */
        }
        column->n_chunks++;
        if (chunk_setup(chunk, kind) != 0) {
            column_free(column);
            PyErr_SetString(PyExc_ValueError, "an Arrow array of an unexpected shape");
            return -1;
        }
        column->length += chunk->array.length;
    }
    return 0;
}

/* Cell i of a chunk: 0 if null, else 1 with its bytes (-1: a view points outside its buffer). */
static inline int chunk_cell(const Chunk *chunk, int64_t i, const uint8_t **out, int64_t *len) {
    int64_t j = chunk->array.offset + i;
    if (chunk->validity != NULL && !((chunk->validity[j >> 3] >> (j & 7)) & 1)) {
        return 0;
    }
    if (chunk->kind == KIND_VIEW) {
        const uint8_t *view = chunk->views + 16 * j;
        int32_t size, index, start;
        memcpy(&size, view, 4);
        if (size < 0) {
            return -1;
        }
        if (size <= 12) {
            *out = view + 4;
        } else {
            memcpy(&index, view + 8, 4);
            memcpy(&start, view + 12, 4);
            if (index < 0 || index >= chunk->n_data || start < 0
                || (int64_t)start + size > chunk->data_sizes[index]) {
                return -1;
            }
            *out = chunk->data[index] + start;
        }
        *len = size;
    } else if (chunk->kind == KIND_UTF8) {
        int32_t a = chunk->offsets32[j], b = chunk->offsets32[j + 1];
        if (a < 0 || b < a) {
            return -1;
        }
        *out = chunk->values + a;
        *len = b - a;
    } else {
        int64_t a = chunk->offsets64[j], b = chunk->offsets64[j + 1];
        if (a < 0 || b < a) {
            return -1;
        }
        *out = chunk->values + a;
        *len = b - a;
    }
    return 1;
}

/* Cell i of an Int64 chunk: 0 if null, else 1 with its value. */
static inline int chunk_number(const Chunk *chunk, int64_t i, int64_t *out) {
    int64_t j = chunk->array.offset + i;
    if (chunk->validity != NULL && !((chunk->validity[j >> 3] >> (j & 7)) & 1)) {
        return 0;
    }
    *out = chunk->numbers[j];
    return 1;
}

/* Walks a column's cells in order across its chunks. */
typedef struct {
    const Column *column;
    int64_t chunk;
    int64_t i;
} Cursor;

static inline const Chunk *cursor_chunk(Cursor *c) {
    while (c->chunk < c->column->n_chunks && c->i >= c->column->chunks[c->chunk].array.length) {
        c->chunk++;
        c->i = 0;
    }
    return c->chunk < c->column->n_chunks ? &c->column->chunks[c->chunk] : NULL;
}

/* The column in the capsule, refused unless it holds strings (want_numbers 0) or Int64 rows
 * (want_numbers 1). */
static int column_of(PyObject *capsule, Column *column, int want_numbers) {
    if (column_read(capsule, column) != 0) {
        return -1;
    }
    int numbers = column->n_chunks > 0 && column->chunks[0].kind == KIND_INT64;
    if (column->n_chunks > 0 && numbers != want_numbers) {
        column_free(column);
        PyErr_SetString(PyExc_TypeError, want_numbers ? "the rows are not Int64"
                                                      : "the cells are not strings");
        return -1;
    }
    return 0;
}

#endif
