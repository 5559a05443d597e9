/* The find loop of the scanners that ask a regular expression only where a match may start:
 * the anchored free-text patterns (_anchored.c) and the person-name frames (_names.c). Each
 * lists, for a text, the places where a match of its pattern may start (from words nearby: its
 * anchors); ``anchor_find`` asks the pattern itself (its bound ``match`` method) at those
 * places only, in order, as ``finditer`` would: after a match the next one is looked for from
 * its end. So the matches are the pattern's own, with its look-arounds and its order of
 * alternatives. tests/scanning/detectors/test_anchors.py and test_person_name_kernel.py check
 * both scanners against ``finditer``.
 *
 * Included by both extensions (listed in setup.py's depends); everything here is static.
 */

#ifndef ROUEI_ANCHOR_FIND_H
#define ROUEI_ANCHOR_FIND_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* A scanner's places: writes the places of ``t`` where a match may start into ``out`` (room for
 * t->len places), ascending, and returns how many. ``context`` is the scanner's own (its word
 * table), passed through. */
typedef Py_ssize_t (*AnchorStarts)(const void *context, const Text *t, Py_ssize_t *out);

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
 * whole match) to ``out``; where finditer goes on (the whole match's end) in ``*end``. */
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

/* [(text index, start, end), …]: for each of ``texts_obj`` (a sequence of str), the spans
 * ``finditer`` of the pattern whose bound ``match`` method is given would yield (the span of
 * the first of ``groups_obj`` that took part, else the whole match), in order, the pattern
 * asked only at the places ``starts`` lists. */
static PyObject *anchor_find(PyObject *texts_obj, PyObject *match, PyObject *groups_obj,
                             AnchorStarts starts, const void *context) {
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
    Py_ssize_t *places = NULL;
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
            places = PyMem_Malloc((size_t)room * sizeof(Py_ssize_t));
            if (places == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
        }
        Py_ssize_t n = t.len > 0 ? starts(context, &t, places) : 0;
        Py_ssize_t pos = 0;
        for (Py_ssize_t k = 0; k < n; k++) {
            if (places[k] < pos)
                continue;
            PyObject *where = PyLong_FromSsize_t(places[k]);
            if (where == NULL)
                goto fail;
            PyObject *m = PyObject_CallFunctionObjArgs(match, text, where, NULL);
            Py_DECREF(where);
            if (m == NULL)
                goto fail;
            if (m == Py_None) {
                Py_DECREF(m);
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

/* The places ``starts`` lists in ``text``, as a list of int. */
static PyObject *anchor_starts_list(PyObject *text, AnchorStarts starts, const void *context) {
    Text t;
    if (text_of(text, &t) < 0)
        return NULL;
    Py_ssize_t *places = PyMem_Malloc((size_t)(t.len > 0 ? t.len : 1) * sizeof(Py_ssize_t));
    if (places == NULL)
        return PyErr_NoMemory();
    Py_ssize_t n = t.len > 0 ? starts(context, &t, places) : 0;
    PyObject *out = PyList_New(n);
    for (Py_ssize_t k = 0; out != NULL && k < n; k++) {
        PyObject *v = PyLong_FromSsize_t(places[k]);
        if (v == NULL) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, k, v);
    }
    PyMem_Free(places);
    return out;
}

#endif
