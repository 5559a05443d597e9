/* A free-text pattern asked only where a match can start (rouei.scanning.detectors._anchors is
 * its Python face and its reference).
 *
 * ``table(words, distances)`` keeps a pattern's anchors: words every match holds, each at most
 * its distance after the match's start. ``starts(table, text)`` lists the places of a text
 * where a match may start: from each occurrence of a word (overlapping ones included) back to
 * its distance before it. ``find(table, texts, match, groups)`` asks the pattern (its bound
 * ``match`` method) at those places only, in order, as ``finditer`` would: after a match the
 * next one is looked for from its end (the loop _names.c shares, in _anchor_find.h). The spans
 * are the pattern's own, with its look-arounds and its order of alternatives;
 * tests/scanning/detectors/test_anchors.py checks them against ``finditer``.
 */

#include "_anchor_find.h"

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

/* The places of ``t`` where a match may start, ascending, into ``out``; their number (an
 * AnchorStarts: ``context`` is the Table). One pass from the end, keeping the least
 * "start − distance" of the words met so far. */
static Py_ssize_t mark_starts(const void *context, const Text *t, Py_ssize_t *out) {
    const Table *tb = context;
    Py_ssize_t lowest = t->len, n = 0;
    for (Py_ssize_t i = t->len - 1; i >= 0; i--) {
        Py_ssize_t here = lowest_at(tb, t, i, t->len);
        if (here < lowest)
            lowest = here;
        if (lowest <= i)
            out[n++] = i;
    }
    for (Py_ssize_t a = 0, b = n - 1; a < b; a++, b--) {
        Py_ssize_t place = out[a];
        out[a] = out[b];
        out[b] = place;
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
    if (tb == NULL)
        return NULL;
    return anchor_starts_list(text, mark_starts, tb);
}

/* find(table, texts, match, groups) -> [(text index, start, end), …]: for each text, the spans
 * ``finditer`` of the pattern whose bound ``match`` method is given would yield (the span of
 * the first of ``groups`` that took part, else the whole match), in order. */
static PyObject *anchored_find(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *capsule, *texts, *match, *groups;
    if (!PyArg_ParseTuple(args, "OOOO:find", &capsule, &texts, &match, &groups))
        return NULL;
    Table *tb = table_of(capsule);
    if (tb == NULL)
        return NULL;
    return anchor_find(texts, match, groups, mark_starts, tb);
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
