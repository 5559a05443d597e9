/* The person-name frames' anchor scanner (rouei.scanning.detectors.person_name is its Python
 * face and its reference).
 *
 * person_name.TEXT_PATTERN is a long alternation with look-arounds; Python's re tries every
 * alternative at every position of a text, and almost none of them can match there. Every match
 * of the pattern starts at one of a few kinds of places, each recognised from a word nearby
 * (the frame's anchor):
 *
 *   - a label (氏名, お名前, 担当 … Name): the labelled-name frame;
 *   - the first kanji of a kanji run with an honorific (様, さん, さま, 殿, 氏), と申し or a job
 *     title (部長 …) a few characters after it: the name before the honorific, the
 *     self-introduction, the name before a job title;
 *   - a line's start with a mail header word (From, 差出人 …); the place after ">,";
 *   - a katakana character or a unit word (部, 窓口, サポート …) right before の.
 *
 * ``find`` lists those places in each text (a superset of where a match can start: the window
 * after a kanji run's start is wider than any name the frames take) and asks the pattern itself
 * (its ``match`` method) only there, in order, as ``finditer`` would: after a match the next
 * one is looked for from its end (the loop _anchored.c shares, in _anchor_find.h). So the matches are the pattern's own, with its look-arounds
 * and its order of alternatives, found without running it at the other positions.
 * tests/scanning/detectors/test_person_name_kernel.py checks ``find`` against ``finditer`` on
 * random texts built from the frames' parts.
 *
 * The word lists come from the Python module once (``configure``): the labels, the mail
 * header words, the anchors after a kanji run and the unit words before の.
 */

#include "_anchor_find.h"

typedef struct {
    Py_UCS4 *chars;
    Py_ssize_t len;
} Word;

typedef struct {
    Word *words;
    Py_ssize_t count;
    uint8_t first[65536 / 8]; /* the first characters of the words (BMP) */
    int astral_first;         /* some word begins outside the BMP */
} WordList;

enum { LABELS, HEADERS, AFTER_RUN, BEFORE_NO, N_LISTS };

static WordList lists[N_LISTS];
static int configured = 0;

static void list_clear(WordList *list) {
    for (Py_ssize_t i = 0; i < list->count; i++)
        PyMem_Free(list->words[i].chars);
    PyMem_Free(list->words);
    memset(list, 0, sizeof *list);
}

static int list_set(WordList *list, PyObject *seq_obj) {
    PyObject *seq = PySequence_Fast(seq_obj, "a word list must be a sequence of str");
    if (seq == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    list_clear(list);
    list->words = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof(Word));
    if (list->words == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *word = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(word) || PyUnicode_GET_LENGTH(word) == 0) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "a word must be a non-empty str");
            return -1;
        }
        Py_UCS4 *chars = PyUnicode_AsUCS4Copy(word);
        if (chars == NULL) {
            Py_DECREF(seq);
            return -1;
        }
        list->words[i].chars = chars;
        list->words[i].len = PyUnicode_GET_LENGTH(word);
        list->count = i + 1;
        if (chars[0] < 65536)
            list->first[chars[0] >> 3] |= (uint8_t)(1u << (chars[0] & 7));
        else
            list->astral_first = 1;
    }
    Py_DECREF(seq);
    return 0;
}

/* --- Reading a text ------------------------------------------------------------------------ */

static inline Py_UCS4 at(const Text *t, Py_ssize_t i) {
    return (i >= 0 && i < t->len) ? PyUnicode_READ(t->kind, t->data, i) : 0;
}

/* detectors._common.KANJI */
static inline int is_kanji(Py_UCS4 c) {
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005 || c == 0x3006 || c == 0x30F6;
}

/* detectors._common.KATAKANA and PROLONGED */
static inline int is_katakana(Py_UCS4 c) { return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC; }

/* The length of the first word of ``list`` that begins ``t`` at ``i`` (0: none). */
static Py_ssize_t word_at(const WordList *list, const Text *t, Py_ssize_t i) {
    Py_UCS4 c = at(t, i);
    if (c < 65536 ? !(list->first[c >> 3] & (1u << (c & 7))) : !list->astral_first)
        return 0;
    for (Py_ssize_t w = 0; w < list->count; w++) {
        const Word *word = &list->words[w];
        if (i + word->len > t->len || word->chars[0] != c)
            continue;
        Py_ssize_t k = 1;
        while (k < word->len && at(t, i + k) == word->chars[k])
            k++;
        if (k == word->len)
            return word->len;
    }
    return 0;
}

/* detectors._common.HIRAGANA */
static inline int is_hiragana(Py_UCS4 c) { return c >= 0x3041 && c <= 0x3096; }

/* Whether an AFTER_RUN word begins at ``e`` or, after one space, at ``e + 1``. */
static int anchor_at(const Text *t, Py_ssize_t e) {
    return word_at(&lists[AFTER_RUN], t, e) ||
           (at(t, e) == ' ' && word_at(&lists[AFTER_RUN], t, e + 1));
}

/* Whether a name in the shape the frames before an anchor take runs from ``p`` (the first kanji
 * of a run) to an anchor: one to five kanji, then optionally a space and one to five kanji or a
 * kana given name (two to four hiragana and at most one kanji, or one hiragana and one kanji),
 * then an optional space. Kanji here are all of KANJI (the pattern's own class excludes the
 * first characters of a few stop words: a wider class only asks the pattern more often). */
static int name_before_anchor(const Text *t, Py_ssize_t p) {
    for (Py_ssize_t a = 1; a <= 5 && is_kanji(at(t, p + a - 1)); a++) {
        Py_ssize_t e1 = p + a;
        if (anchor_at(t, e1))
            return 1;
        for (int space = 0; space <= 1; space++) {
            Py_ssize_t q = e1 + space;
            if (space && at(t, e1) != ' ')
                break;
            for (Py_ssize_t b = 1; b <= 5 && is_kanji(at(t, q + b - 1)); b++)
                if (anchor_at(t, q + b))
                    return 1;
            Py_ssize_t h = 0;
            while (h < 4 && is_hiragana(at(t, q + h)))
                h++;
            for (Py_ssize_t k = h; k >= 1; k--) {
                if (k >= 2 && anchor_at(t, q + k))
                    return 1;
                if (is_kanji(at(t, q + k)) && anchor_at(t, q + k + 1))
                    return 1;
            }
        }
    }
    return 0;
}

/* The places in ``t`` where a match of the frames may start, ascending, into ``out`` (room for
 * t->len places). Returns how many (an AnchorStarts; the word lists are the module's own). */
static Py_ssize_t frame_starts(const void *context, const Text *t, Py_ssize_t *out) {
    (void)context;
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < t->len; i++) {
        Py_UCS4 c = at(t, i);
        Py_UCS4 before = at(t, i - 1);
        int start = 0;
        Py_ssize_t label = word_at(&lists[LABELS], t, i);
        if (label) {
            /* a label takes a space, a colon or a closing bracket after it */
            Py_UCS4 next = at(t, i + label);
            start = next == ' ' || next == ':' || next == 0x3011 /* 】 */ || next == ']';
        }
        if (!start && is_kanji(c) && !is_kanji(before))
            start = name_before_anchor(t, i);
        if (!start && (i == 0 || before == '\n') && word_at(&lists[HEADERS], t, i))
            start = 1;
        if (!start && before == ',' && at(t, i - 2) == '>')
            start = 1;
        if (!start) {
            /* a katakana word or a unit, の, and a kanji */
            Py_ssize_t unit = is_katakana(c) ? 1 : 0;
            if (!(unit && at(t, i + 1) == 0x306E /* の */))
                unit = word_at(&lists[BEFORE_NO], t, i);
            start = unit && at(t, i + unit) == 0x306E && is_kanji(at(t, i + unit + 1));
        }
        if (start)
            out[n++] = i;
    }
    return n;
}

/* --- Python face -------------------------------------------------------------------------- */

static PyObject *names_configure(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *labels, *headers, *after_run, *before_no;
    if (!PyArg_ParseTuple(args, "OOOO:configure", &labels, &headers, &after_run, &before_no))
        return NULL;
    if (list_set(&lists[LABELS], labels) < 0 || list_set(&lists[HEADERS], headers) < 0 ||
        list_set(&lists[AFTER_RUN], after_run) < 0 || list_set(&lists[BEFORE_NO], before_no) < 0)
        return NULL;
    configured = 1;
    Py_RETURN_NONE;
}

static PyObject *names_starts(PyObject *self, PyObject *arg) {
    (void)self;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "_names.configure was not called");
        return NULL;
    }
    return anchor_starts_list(arg, frame_starts, NULL);
}

/* find(texts, match, groups) -> [(text index, start, end), …]: for each text, the spans
 * ``finditer`` of the pattern whose bound ``match`` method is given would yield (the span of
 * the first of ``groups`` that took part, else the whole match), in order. */
static PyObject *names_find(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *texts, *match, *groups;
    if (!PyArg_ParseTuple(args, "OOO:find", &texts, &match, &groups))
        return NULL;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "_names.configure was not called");
        return NULL;
    }
    return anchor_find(texts, match, groups, frame_starts, NULL);
}

static PyMethodDef methods[] = {
    {"configure", names_configure, METH_VARARGS,
     "configure(labels, headers, after_run, before_no): the frames' anchor words."},
    {"starts", names_starts, METH_O,
     "starts(text) -> the places where a match of the frames may start, ascending."},
    {"find", names_find, METH_VARARGS,
     "find(texts, match, groups) -> [(text index, start, end)]: finditer's value spans, the "
     "pattern asked only where a frame may start."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_names",
    .m_doc = "The person-name frames' anchor scanner.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__names(void) { return PyModule_Create(&module); }
