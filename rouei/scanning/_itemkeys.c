/* Compiled kernels of a table's item columns (rouei.scanning.itemkeys is their Python face):
 * the normal form of whole cells (normalise.normalise_column) where it is a character-for-
 * character fold, the people counter's name-reading keys (engine._kana_keys), and how many
 * ASCII digits each free-text cell holds (the prose screen's cheap test before a regex).
 *
 * Each takes a column of strings as an Arrow C stream (polars.Series.__arrow_c_stream__,
 * zero-copy) and gives back a column of string views as an Arrow C stream. The cells come
 * from leaked files: every read is bounds-checked against the lengths Arrow gives.
 * tests/scanning/test_itemkeys.py checks each against the polars expressions it stands for. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "_arrow_views.h"

/* The characters ``normalise._PLAIN`` holds: NFKC leaves them as they are and joins them with
 * nothing (tests/scanning/test_normalise.py checks the set). */
static inline int plain_code(uint32_t c) {
    return c < 0x80 || c == 0xd7 || (c >= 0x3001 && c <= 0x3003) || (c >= 0x3005 && c <= 0x3007)
           || (c >= 0x300c && c <= 0x3012) || c == 0x301c || (c >= 0x3041 && c <= 0x3096)
           || (c >= 0x30a1 && c <= 0x30fc) || (c >= 0x4e00 && c <= 0x9fff);
}

static inline int digit_byte(uint8_t c) { return c >= '0' && c <= '9'; }

/* What Rust's str::trim strips in ASCII (Unicode White_Space: not U+001C-U+001F). */
static inline int ascii_white(uint8_t c) { return c == ' ' || (c >= 0x09 && c <= 0x0D); }

/* Unicode White_Space (what polars' strip_chars() strips), for a code point. */
static inline int white_space(uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
           || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F
           || c == 0x205F || c == 0x3000;
}

/* The code point at s[i] and its length (0: not well-formed or cut short). */
static inline int decode(const uint8_t *s, int64_t i, int64_t n, uint32_t *cp) {
    uint8_t c = s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF && i + 2 <= n && (s[i + 1] & 0xC0) == 0x80) {
        *cp = (uint32_t)(c & 0x1F) << 6 | (uint32_t)(s[i + 1] & 0x3F);
        return 2;
    }
    if ((c & 0xF0) == 0xE0 && i + 3 <= n && (s[i + 1] & 0xC0) == 0x80
        && (s[i + 2] & 0xC0) == 0x80) {
        *cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6
              | (uint32_t)(s[i + 2] & 0x3F);
        return 3;
    }
    if ((c & 0xF8) == 0xF0 && i + 4 <= n && (s[i + 1] & 0xC0) == 0x80
        && (s[i + 2] & 0xC0) == 0x80 && (s[i + 3] & 0xC0) == 0x80) {
        *cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12
              | (uint32_t)(s[i + 2] & 0x3F) << 6 | (uint32_t)(s[i + 3] & 0x3F);
        return 4;
    }
    return 0;
}

static inline int encode(uint32_t cp, uint8_t *out) {
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | (cp >> 6));
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (cp >> 12));
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* The length of s[0:n] without the White_Space at its start (*start) and end. */
static int64_t trimmed(const uint8_t *s, int64_t n, int64_t *start) {
    int64_t a = 0, b = n;
    uint32_t cp;
    int size;
    while (a < b && (size = decode(s, a, b, &cp)) > 0 && white_space(cp)) {
        a += size;
    }
    while (b > a) {
        int64_t k = b - 1;
        while (k > a && (s[k] & 0xC0) == 0x80 && b - k < 4) {
            k--;
        }
        if ((size = decode(s, k, b, &cp)) == 0 || k + size != b || !white_space(cp)) {
            break;
        }
        b = k;
    }
    *start = a;
    return b - a;
}

/* NFKC of the half-width katakana and punctuation U+FF61-U+FF9D: one full-width character
 * each (U+FF9E and U+FF9F, the voicing marks, compose with the kana before them: voiced). */
static const uint16_t HALF_WIDTH[] = {
    0x3002, 0x300c, 0x300d, 0x3001, 0x30fb, 0x30f2, 0x30a1, 0x30a3, 0x30a5, 0x30a7, 0x30a9,
    0x30e3, 0x30e5, 0x30e7, 0x30c3, 0x30fc, 0x30a2, 0x30a4, 0x30a6, 0x30a8, 0x30aa, 0x30ab,
    0x30ad, 0x30af, 0x30b1, 0x30b3, 0x30b5, 0x30b7, 0x30b9, 0x30bb, 0x30bd, 0x30bf, 0x30c1,
    0x30c4, 0x30c6, 0x30c8, 0x30ca, 0x30cb, 0x30cc, 0x30cd, 0x30ce, 0x30cf, 0x30d2, 0x30d5,
    0x30d8, 0x30db, 0x30de, 0x30df, 0x30e0, 0x30e1, 0x30e2, 0x30e4, 0x30e6, 0x30e8, 0x30e9,
    0x30ea, 0x30eb, 0x30ec, 0x30ed, 0x30ef, 0x30f3};

/* The katakana ``kana`` with the voicing mark (semi: the semi-voiced one) composed, as NFC
 * composes it (U+3099, U+309A); 0 where Unicode has no such character. */
static uint32_t voiced(uint32_t kana, int semi) {
    if (semi) {
        return kana == 0x30cf || kana == 0x30d2 || kana == 0x30d5 || kana == 0x30d8
                       || kana == 0x30db ? kana + 2 : 0;
    }
    if ((kana >= 0x30ab && kana <= 0x30c1 && kana % 2 == 1)
        || kana == 0x30c4 || kana == 0x30c6 || kana == 0x30c8
        || kana == 0x30cf || kana == 0x30d2 || kana == 0x30d5 || kana == 0x30d8 || kana == 0x30db) {
        return kana + 1;
    }
    switch (kana) {
    case 0x30a6: return 0x30f4;
    case 0x30ef: return 0x30f7;
    case 0x30f0: return 0x30f8;
    case 0x30f1: return 0x30f9;
    case 0x30f2: return 0x30fa;
    default: return 0;
    }
}

/* normalise.normalise_column(cell) (NFKC, a dash between digits "-", the other spaces " ",
 * stripped) of a cell whose characters are all plain_code, full-width ASCII (U+FF01-U+FF5E),
 * the ideographic space or half-width katakana: NFKC maps those one for one (the full-width
 * ones to ASCII, the space to " ", the half-width kana to full-width, a voicing mark composed
 * with the katakana before it) and of the folded dashes only ー is among them. -1 for any other
 * cell (then the polars expressions); *changed: the cell is not its own normal form. */
static int64_t fold_cell(const uint8_t *s, int64_t n, uint8_t *out, int *changed) {
    int64_t w = 0;
    int dash = 0;
    uint32_t last = 0; /* the last character written when it is a three-byte one, else 0 */
    for (int64_t i = 0; i < n;) {
        uint64_t eight;
        if (i + 8 <= n && (memcpy(&eight, s + i, 8), (eight & 0x8080808080808080ull) == 0)) {
            memcpy(out + w, s + i, 8); /* eight ASCII bytes */
            w += 8;
            i += 8;
            last = 0;
            continue;
        }
        uint8_t c = s[i];
        if (c < 0x80) {
            out[w++] = c;
            i++;
            last = 0;
            continue;
        }
        if (c == 0xC3 && i + 2 <= n && s[i + 1] == 0x97) { /* × */
            out[w++] = c;
            out[w++] = s[i + 1];
            i += 2;
            last = 0;
            continue;
        }
        if ((c & 0xF0) != 0xE0 || i + 3 > n || (s[i + 1] & 0xC0) != 0x80
            || (s[i + 2] & 0xC0) != 0x80) {
            return -1;
        }
        uint32_t cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6
                      | (uint32_t)(s[i + 2] & 0x3F);
        i += 3;
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            out[w++] = (uint8_t)(cp - 0xFEE0);
            last = 0;
            *changed = 1;
        } else if (cp == 0x3000) {
            out[w++] = ' ';
            last = 0;
            *changed = 1;
        } else if (cp >= 0xFF61 && cp <= 0xFF9D) {
            last = HALF_WIDTH[cp - 0xFF61];
            w += encode(last, out + w);
            dash |= last == 0x30FC;
            *changed = 1;
        } else if (cp == 0xFF9E || cp == 0xFF9F) {
            uint32_t composed = last ? voiced(last, cp == 0xFF9F) : 0;
            if (composed == 0) {
                return -1; /* a combining mark of its own, or composed otherwise */
            }
            encode(composed, out + w - 3); /* the katakana before it: 3 bytes for 3 */
            last = composed;
            *changed = 1;
        } else if (plain_code(cp)) {
            memcpy(out + w, s + i - 3, 3);
            w += 3;
            last = cp;
            dash |= cp == 0x30FC;
        } else {
            return -1;
        }
    }
    if (dash) { /* ー between two ASCII digits (of the folded text) is "-" */
        int64_t k = 0;
        for (int64_t r = 0; r < w;) {
            if (out[r] == 0xE3 && r + 3 < w && out[r + 1] == 0x83 && out[r + 2] == 0xBC
                && k > 0 && digit_byte(out[k - 1]) && digit_byte(out[r + 3])) {
                out[k++] = '-';
                r += 3;
                *changed = 1;
                continue;
            }
            out[k++] = out[r++];
        }
        w = k;
    }
    int64_t a = 0, b = w;
    while (a < b && ascii_white(out[a])) {
        a++;
    }
    while (b > a && ascii_white(out[b - 1])) {
        b--;
    }
    if (a > 0 || b < w) {
        *changed = 1;
        memmove(out, out + a, (size_t)(b - a));
    }
    return b - a;
}

/* fold_cells(stream) -> (stream, bytearray, changed, other): each cell's fold_cell (null
 * where it gives -1 or the cell is null), the cells it left to polars (1 per such cell), how
 * many cells it changed, and how many it left. */
static PyObject *fold_cells(PyObject *self, PyObject *capsule) {
    (void)self;
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
    PyObject *other = PyByteArray_FromStringAndSize(NULL, column.length);
    if (other == NULL) {
        views_free(&v);
        column_free(&column);
        return NULL;
    }
    uint8_t *left = (uint8_t *)PyByteArray_AS_STRING(other);
    int failed = 0;
    int64_t changed = 0, n_left = 0, at = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int64_t c = 0; c < column.n_chunks && !failed; c++) {
        const Chunk *chunk = &column.chunks[c];
        for (int64_t i = 0; i < chunk->array.length; i++, at++) {
            const uint8_t *cell;
            int64_t size;
            int got = chunk_cell(chunk, i, &cell, &size);
            left[at] = 0;
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
            int change = 0;
            int64_t written = fold_cell(cell, size, out, &change);
            if (written < 0) {
                left[at] = 1;
                n_left++;
                views_null(&v);
            } else {
                changed += change;
                views_commit(&v, &slot, written);
            }
        }
    }
    Py_END_ALLOW_THREADS
    column_free(&column);
    if (failed) {
        views_free(&v);
        Py_DECREF(other);
        if (failed == 2) {
            return PyErr_NoMemory();
        }
        PyErr_SetString(PyExc_ValueError, "a string view points outside its buffer");
        return NULL;
    }
    PyObject *stream = views_export(&v);
    if (stream == NULL) {
        Py_DECREF(other);
        return NULL;
    }
    return Py_BuildValue("(NNLL)", stream, other, (long long)changed, (long long)n_left);
}

/* engine._kana_keys of a cell: no " " or ・, hiragana as katakana (U+3041-U+3096 → +0x60),
 * then no White_Space at either end. */
static int64_t kana_key(const uint8_t *s, int64_t n, uint8_t *out) {
    int64_t w = 0;
    for (int64_t i = 0; i < n;) {
        uint8_t c = s[i];
        if (c == ' ') {
            i++;
            continue;
        }
        if (c == 0xE3 && i + 3 <= n && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
            uint32_t cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6
                          | (uint32_t)(s[i + 2] & 0x3F);
            if (cp == 0x30FB) { /* ・ */
                i += 3;
                continue;
            }
            if (cp >= 0x3041 && cp <= 0x3096) {
                w += encode(cp + 0x60, out + w);
                i += 3;
                continue;
            }
        }
        out[w++] = c;
        i++;
    }
    int64_t start;
    int64_t size = trimmed(out, w, &start);
    if (start > 0) {
        memmove(out, out + start, (size_t)size);
    }
    return size;
}

static PyObject *kana_keys(PyObject *self, PyObject *capsule) {
    (void)self;
    return map_cells(capsule, kana_key); /* never longer: 3 bytes for 3 */
}

/* digit_counts(stream) -> bytearray: the ASCII digits of each cell (at most 255; a null: 0). */
static uint8_t digit_count(const uint8_t *cell, int64_t size) {
    int64_t count = 0;
    for (int64_t k = 0; k < size; k++) {
        count += digit_byte(cell[k]);
    }
    return (uint8_t)(count > 255 ? 255 : count);
}

static PyObject *digit_counts(PyObject *self, PyObject *capsule) {
    (void)self;
    return test_cells(capsule, digit_count);
}

static PyMethodDef methods[] = {
    {"digit_counts", digit_counts, METH_O,
     "digit_counts(stream) -> bytearray: the ASCII digits of each cell, at most 255."},
    {"fold_cells", fold_cells, METH_O,
     "fold_cells(stream) -> (stream, bytearray, changed, other): normalise_column of each cell"
     " whose normal form is a fold character for character; null and 1 for the others."},
    {"kana_keys", kana_keys, METH_O,
     "kana_keys(stream) -> stream: engine._kana_keys of each cell."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_itemkeys",
    .m_doc = "Compiled kernels of a table's item columns.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__itemkeys(void) { return PyModule_Create(&module); }
