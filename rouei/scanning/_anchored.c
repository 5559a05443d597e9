/* A free-text pattern asked only where a match can start (rouei.scanning.detectors._anchors is
 * its Python face and its reference).
 *
 * ``table(words, distances)`` keeps a pattern's anchors: words every match holds, each at most
 * its distance after the match's start. ``starts(table, text)`` lists the places of a text
 * where a match may start: from each occurrence of a word (overlapping ones included) back to
 * its distance before it. ``find(table, texts, match, groups)`` asks the pattern (its bound
 * ``match`` method) at those places only, in order, as ``finditer`` would: after a match the
 * next one is looked for from its end. The spans are the pattern's own, with its look-arounds
 * and its order of alternatives; tests/scanning/detectors/test_anchors.py checks them against
 * ``finditer``.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    Py_UCS4 *chars;
    Py_ssize_t len;
    Py_ssize_t distance;
} Word;

typedef struct {
    Word *words;           /* by first character */
    Py_ssize_t count;
    Py_UCS4 *firsts;       /* the distinct first characters, ascending */
    Py_ssize_t *first_at;  /* words[first_at[k] … first_at[k + 1]) begin with firsts[k] */
    Py_ssize_t n_firsts;
    uint8_t bmp[65536 / 8]; /* which BMP characters begin a word */
    int astral;            /* some word begins outside the BMP */
} Table;

static const char *CAPSULE = "rouei.scanning._anchored.table";

static void table_free(Table *t) {
    if (t == NULL)
        return;
    for (Py_ssize_t i = 0; i < t->count; i++)
        PyMem_Free(t->words[i].chars);
    PyMem_Free(t->words);
    PyMem_Free(t->firsts);
    PyMem_Free(t->first_at);
    PyMem_Free(t);
}

static void capsule_free(PyObject *capsule) {
    table_free(PyCapsule_GetPointer(capsule, CAPSULE));
}

static int by_first(const void *a, const void *b) {
    Py_UCS4 x = ((const Word *)a)->chars[0], y = ((const Word *)b)->chars[0];
    return (x > y) - (x < y);
}

static PyObject *anchored_table(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *words_obj, *distances_obj;
    if (!PyArg_ParseTuple(args, "OO:table", &words_obj, &distances_obj))
        return NULL;
    PyObject *words = PySequence_Fast(words_obj, "words must be a sequence of str");
    if (words == NULL)
        return NULL;
    PyObject *distances = PySequence_Fast(distances_obj, "distances must be a sequence of int");
    if (distances == NULL) {
        Py_DECREF(words);
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(words);
    Table *t = PyMem_Calloc(1, sizeof(Table));
    if (t == NULL || n != PySequence_Fast_GET_SIZE(distances)) {
        if (t != NULL)
            PyErr_SetString(PyExc_ValueError, "one distance per word");
        else
            PyErr_NoMemory();
        goto fail;
    }
    t->words = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof(Word));
    t->firsts = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof(Py_UCS4));
    t->first_at = PyMem_Calloc((size_t)n + 1, sizeof(Py_ssize_t));
    if (t->words == NULL || t->firsts == NULL || t->first_at == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *word = PySequence_Fast_GET_ITEM(words, i);
        if (!PyUnicode_Check(word) || PyUnicode_GET_LENGTH(word) == 0) {
            PyErr_SetString(PyExc_TypeError, "a word must be a non-empty str");
            goto fail;
        }
        Py_ssize_t distance = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(distances, i));
        if (distance == -1 && PyErr_Occurred())
            goto fail;
        if (distance < 0) {
            PyErr_SetString(PyExc_ValueError, "a distance must not be negative");
            goto fail;
        }
        Py_UCS4 *chars = PyUnicode_AsUCS4Copy(word);
        if (chars == NULL)
            goto fail;
        t->words[i].chars = chars;
        t->words[i].len = PyUnicode_GET_LENGTH(word);
        t->words[i].distance = distance;
        t->count = i + 1;
        if (chars[0] < 65536)
            t->bmp[chars[0] >> 3] |= (uint8_t)(1u << (chars[0] & 7));
        else
            t->astral = 1;
    }
    qsort(t->words, (size_t)n, sizeof(Word), by_first);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i == 0 || t->words[i].chars[0] != t->words[i - 1].chars[0]) {
            t->firsts[t->n_firsts] = t->words[i].chars[0];
            t->first_at[t->n_firsts++] = i;
        }
    }
    t->first_at[t->n_firsts] = n;
    Py_DECREF(words);
    Py_DECREF(distances);
    PyObject *capsule = PyCapsule_New(t, CAPSULE, capsule_free);
    if (capsule == NULL)
        table_free(t);
    return capsule;
fail:
    table_free(t);
    Py_DECREF(words);
    Py_DECREF(distances);
    return NULL;
}

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t len;
} Text;

static int text_of(PyObject *obj, Text *t) {
    if (!PyUnicode_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "texts must be str");
        return -1;
    }
    if (PyUnicode_READY(obj) < 0)
        return -1;
    t->kind = PyUnicode_KIND(obj);
    t->data = PyUnicode_DATA(obj);
    t->len = PyUnicode_GET_LENGTH(obj);
    return 0;
}

/* The least "start − distance" of the words that occur at ``i`` (``none`` if no word does). */
static Py_ssize_t lowest_at(const Table *tb, const Text *t, Py_ssize_t i, Py_ssize_t none) {
    Py_UCS4 c = PyUnicode_READ(t->kind, t->data, i);
    if (c < 65536 ? !(tb->bmp[c >> 3] & (1u << (c & 7))) : !tb->astral)
        return none;
    Py_ssize_t lo = 0, hi = tb->n_firsts;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (tb->firsts[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= tb->n_firsts || tb->firsts[lo] != c)
        return none;
    Py_ssize_t lowest = none;
    for (Py_ssize_t w = tb->first_at[lo]; w < tb->first_at[lo + 1]; w++) {
        const Word *word = &tb->words[w];
        if (word->len > t->len - i)
            continue;
        Py_ssize_t k = 1;
        while (k < word->len && PyUnicode_READ(t->kind, t->data, i + k) == word->chars[k])
            k++;
        if (k == word->len && i - word->distance < lowest)
            lowest = i - word->distance;
    }
    return lowest;
}

/* Marks in ``places`` (one byte per character) where a match may start; their number. */
static Py_ssize_t mark_starts(const Table *tb, const Text *t, uint8_t *places) {
    Py_ssize_t lowest = t->len, n = 0;
    for (Py_ssize_t i = t->len - 1; i >= 0; i--) {
        Py_ssize_t here = lowest_at(tb, t, i, t->len);
        if (here < lowest)
            lowest = here;
        places[i] = lowest <= i;
        n += places[i];
    }
    return n;
}

static Table *table_of(PyObject *capsule) {
    return PyCapsule_GetPointer(capsule, CAPSULE);
}

static PyObject *anchored_starts(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *capsule, *text;
    if (!PyArg_ParseTuple(args, "OO:starts", &capsule, &text))
        return NULL;
    Table *tb = table_of(capsule);
    Text t;
    if (tb == NULL || text_of(text, &t) < 0)
        return NULL;
    uint8_t *places = PyMem_Malloc((size_t)(t.len > 0 ? t.len : 1));
    if (places == NULL)
        return PyErr_NoMemory();
    mark_starts(tb, &t, places);
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < t.len; i++) {
        if (!places[i])
            continue;
        PyObject *v = PyLong_FromSsize_t(i);
        if (v == NULL || PyList_Append(out, v) < 0)
            Py_CLEAR(out);
        Py_XDECREF(v);
    }
    PyMem_Free(places);
    return out;
}

/* (start, end) of regs[g] as C integers; -1 when the group took no part. */
static int span_of(PyObject *regs, Py_ssize_t g, Py_ssize_t *s, Py_ssize_t *e) {
    PyObject *pair = PyTuple_GetItem(regs, g);
    if (pair == NULL || !PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "a match's regs must be pairs");
        return -1;
    }
    *s = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
    *e = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 1));
    return PyErr_Occurred() ? -1 : 0;
}

/* Appends (i, start, end) of the match ``m`` (the first of ``group`` that took part, else the
 * whole match) to ``out``; the whole match's end in ``*end``. */
static int add_span(PyObject *out, Py_ssize_t i, PyObject *m, const Py_ssize_t *group,
                    Py_ssize_t n_groups, Py_ssize_t *end) {
    PyObject *regs = PyObject_GetAttrString(m, "regs");
    if (regs == NULL)
        return -1;
    Py_ssize_t s, e, ms, me;
    if (span_of(regs, 0, &ms, &me) < 0)
        goto fail;
    s = ms;
    e = me;
    for (Py_ssize_t g = 0; g < n_groups; g++) {
        Py_ssize_t gs, ge;
        if (span_of(regs, group[g], &gs, &ge) < 0)
            goto fail;
        if (gs >= 0) {
            s = gs;
            e = ge;
            break;
        }
    }
    Py_DECREF(regs);
    PyObject *item = Py_BuildValue("(nnn)", i, s, e);
    if (item == NULL || PyList_Append(out, item) < 0) {
        Py_XDECREF(item);
        return -1;
    }
    Py_DECREF(item);
    *end = me > ms ? me : ms + 1; /* the patterns given here never match the empty string */
    return 0;
fail:
    Py_DECREF(regs);
    return -1;
}

/* find(table, texts, match, groups) -> [(text index, start, end), …]: for each text, the spans
 * ``finditer`` of the pattern whose bound ``match`` method is given would yield (the span of
 * the first of ``groups`` that took part, else the whole match), in order. */
static PyObject *anchored_find(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *capsule, *texts_obj, *match, *groups_obj;
    if (!PyArg_ParseTuple(args, "OOOO:find", &capsule, &texts_obj, &match, &groups_obj))
        return NULL;
    Table *tb = table_of(capsule);
    if (tb == NULL)
        return NULL;
    PyObject *texts = PySequence_Fast(texts_obj, "texts must be a sequence of str");
    if (texts == NULL)
        return NULL;
    PyObject *groups = PySequence_Fast(groups_obj, "groups must be a sequence of int");
    if (groups == NULL) {
        Py_DECREF(texts);
        return NULL;
    }
    Py_ssize_t n_groups = PySequence_Fast_GET_SIZE(groups);
    Py_ssize_t *group = PyMem_Malloc((size_t)(n_groups > 0 ? n_groups : 1) * sizeof(Py_ssize_t));
    PyObject *out = PyList_New(0);
    uint8_t *places = NULL;
    Py_ssize_t room = 0;
    if (group == NULL || out == NULL)
        goto fail;
    for (Py_ssize_t g = 0; g < n_groups; g++) {
        group[g] = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(groups, g));
        if (group[g] == -1 && PyErr_Occurred())
            goto fail;
    }
    Py_ssize_t n_texts = PySequence_Fast_GET_SIZE(texts);
    for (Py_ssize_t i = 0; i < n_texts; i++) {
        PyObject *text = PySequence_Fast_GET_ITEM(texts, i);
        Text t;
        if (text_of(text, &t) < 0)
            goto fail;
        if (t.len > room) {
            PyMem_Free(places);
            room = t.len * 2;
            places = PyMem_Malloc((size_t)room);
            if (places == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
        }
        if (t.len == 0 || mark_starts(tb, &t, places) == 0)
            continue;
        Py_ssize_t pos = 0;
        while (pos < t.len) {
            const uint8_t *next = memchr(places + pos, 1, (size_t)(t.len - pos));
            if (next == NULL)
                break;
            Py_ssize_t p = next - places;
            PyObject *where = PyLong_FromSsize_t(p);
            if (where == NULL)
                goto fail;
            PyObject *m = PyObject_CallFunctionObjArgs(match, text, where, NULL);
            Py_DECREF(where);
            if (m == NULL)
                goto fail;
            if (m == Py_None) {
                Py_DECREF(m);
                pos = p + 1;
                continue;
            }
            int failed = add_span(out, i, m, group, n_groups, &pos);
            Py_DECREF(m);
            if (failed < 0)
                goto fail;
        }
    }
    PyMem_Free(places);
    PyMem_Free(group);
    Py_DECREF(groups);
    Py_DECREF(texts);
    return out;
fail:
    PyMem_Free(places);
    PyMem_Free(group);
    Py_XDECREF(out);
    Py_DECREF(groups);
    Py_DECREF(texts);
    return NULL;
}

static PyMethodDef methods[] = {
    {"table", anchored_table, METH_VARARGS,
     "table(words, distances) -> a pattern's anchors, for starts and find."},
    {"starts", anchored_starts, METH_VARARGS,
     "starts(table, text) -> the places where a match may start, ascending."},
    {"find", anchored_find, METH_VARARGS,
     "find(table, texts, match, groups) -> [(text index, start, end)]: finditer's value spans, "
     "the pattern asked only where a match may start."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_anchored",
    .m_doc = "A free-text pattern asked only where its anchors put a possible start.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__anchored(void) { return PyModule_Create(&module); }
