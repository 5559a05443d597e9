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

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* plain_code of the three-byte characters (U+0800-U+FFFF), one bit each (set at import):
 * normal_cell reads a kanji or kana with one load, not a chain of range tests. */
static uint8_t PLAIN_THREE_BYTE[0x10000 / 8];

static void plain_three_byte_init(void) {
    for (uint32_t cp = 0x800; cp < 0x10000; cp++) {
        if (plain_code(cp)) {
            PLAIN_THREE_BYTE[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        }
    }
}

#ifdef __SSE2__
/* Whether the 16 bytes at p hold only ASCII, continuation bytes and the lead bytes of CJK
 * ideographs (U+4E00-U+9FFF: E4 before B8-BF, E5-E9), all plain_code (Arrow's strings are
 * well-formed UTF-8, which polars checks): such a block needs no character read. p[16] must be
 * readable (the byte after an E4 at p[15]). */
static inline int ideographs_or_ascii(const uint8_t *p) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i next = _mm_loadu_si128((const __m128i *)(p + 1));
    __m128i lead = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8((char)0xC0)), v); /* >= C0 */
    __m128i from_e5 = _mm_sub_epi8(v, _mm_set1_epi8((char)0xE5));
    __m128i e5_e9 = _mm_cmpeq_epi8(_mm_min_epu8(from_e5, _mm_set1_epi8(4)), from_e5);
    __m128i e4 = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE4));
    __m128i b8_up = _mm_cmpeq_epi8(_mm_max_epu8(next, _mm_set1_epi8((char)0xB8)), next);
    __m128i plain = _mm_or_si128(e5_e9, _mm_and_si128(e4, b8_up));
    return _mm_movemask_epi8(_mm_andnot_si128(plain, lead)) == 0;
}
#endif

/* Whether fold_cell gives the cell back as it is (it is its own normal form): read only, so
 * that a column already normal (most columns of a clean export) costs one read and no copy. */
static int normal_cell(const uint8_t *s, int64_t n) {
    if (n > 0 && (ascii_white(s[0]) || ascii_white(s[n - 1]))) {
        return 0;
    }
    for (int64_t i = 0; i < n;) {
#ifdef __SSE2__
        if (i + 17 <= n && ideographs_or_ascii(s + i)) {
            int64_t start = i;
            i += 16;
            while (i > start + 1 && (s[i] & 0xC0) == 0x80) { /* back to a character's start */
                i--;
            }
            continue;
        }
#endif
        uint64_t eight;
        if (i + 8 <= n && (memcpy(&eight, s + i, 8), (eight & 0x8080808080808080ull) == 0)) {
            i += 8;
            continue;
        }
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* a run of three-byte characters (kanji, kana: most of a Japanese cell) */
        while ((c & 0xF0) == 0xE0 && i + 3 <= n) {
            uint8_t c1 = s[i + 1], c2 = s[i + 2];
            if (((c1 ^ 0x80) | (c2 ^ 0x80)) >= 0x40) {
                return 0; /* not a continuation byte */
            }
            uint32_t cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(c1 & 0x3F) << 6
                          | (uint32_t)(c2 & 0x3F);
            if (!((PLAIN_THREE_BYTE[cp >> 3] >> (cp & 7)) & 1)) {
                return 0; /* full-width ASCII, the ideographic space, half-width kana, others */
            }
            if (cp == 0x30FC && i > 0 && digit_byte(s[i - 1]) && i + 3 < n
                && digit_byte(s[i + 3])) {
                return 0; /* ー between two digits is "-" */
            }
            i += 3;
            if (i >= n) {
                return 1;
            }
            c = s[i];
        }
        if (c < 0x80) {
            continue;
        }
        if (c == 0xC3 && i + 2 <= n && s[i + 1] == 0x97) { /* × */
            i += 2;
            continue;
        }
        return 0;
    }
    return 1;
}

/* Whether every cell of the column is its own normal form (-1: a view outside its buffer). */
static int column_normal(const Column *column) {
    for (int64_t c = 0; c < column->n_chunks; c++) {
        const Chunk *chunk = &column->chunks[c];
        for (int64_t i = 0; i < chunk->array.length; i++) {
            const uint8_t *cell;
            int64_t size;
            int got = chunk_cell(chunk, i, &cell, &size);
            if (got < 0) {
                return -1;
            }
            if (got > 0 && !normal_cell(cell, size)) {
                return 0; /* (stops at the first cell to fold) */
            }
        }
    }
    return 1;
}

/* fold_cells(stream) -> (stream, bytearray, changed, other): each cell's fold_cell (null
 * where it gives -1 or the cell is null), the cells it left to polars (1 per such cell), how
 * many cells it changed, and how many it left; (None, None, 0, 0) when every cell is its own
 * normal form. */
static PyObject *fold_cells(PyObject *self, PyObject *capsule) {
    (void)self;
    Column column;
    if (column_of(capsule, &column, 0) != 0) {
        return NULL;
    }
    int normal;
    Py_BEGIN_ALLOW_THREADS
    normal = column_normal(&column);
    Py_END_ALLOW_THREADS
    if (normal != 0) {
        column_free(&column);
        if (normal < 0) {
            PyErr_SetString(PyExc_ValueError, "a string view points outside its buffer");
            return NULL;
        }
        return Py_BuildValue("(OOii)", Py_None, Py_None, 0, 0);
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

/* cells_to_fold(stream) -> (bytearray, count): 1 for each cell that is not its own normal
 * form (normal_cell; a null: 0), and how many. A column with few of them (an address column
 * with a building's ＪＰ here and there) has only those folded, not every cell copied. */
static uint8_t not_normal(const uint8_t *cell, int64_t size) {
    return !normal_cell(cell, size);
}

static PyObject *cells_to_fold(PyObject *self, PyObject *capsule) {
    (void)self;
    Test test = not_normal;
    int64_t count = 0;
    PyObject *result = test_cells_with(capsule, test_without_context, &test, &count);
    if (result == NULL) {
        return NULL;
    }
    return Py_BuildValue("(NL)", result, (long long)count);
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

/* The key of a cell that detectors.name_kana.COLUMN_PATTERN matches whole
 * (^[ァ-ヺぁ-ゖー・ ]{2,30}$: 2 to 30 of katakana, hiragana, ー, ・ and " "), else null (-1):
 * engine._kana_keys of such a cell (no " " or ・, hiragana as katakana; nothing is left to
 * trim). One pass for what the regex and kana_key gave in two. */
static int64_t kana_pattern_key(const uint8_t *s, int64_t n, uint8_t *out) {
    int64_t w = 0, characters = 0;
    for (int64_t i = 0; i < n; characters++) {
        if (characters == 30) {
            return -1; /* a 31st character */
        }
        if (s[i] == ' ') {
            i++;
            continue;
        }
        if (s[i] != 0xE3 || i + 3 > n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) {
            return -1;
        }
        uint32_t cp = 0x3000u | (uint32_t)(s[i + 1] & 0x3F) << 6 | (uint32_t)(s[i + 2] & 0x3F);
        if (cp >= 0x3041 && cp <= 0x3096) {
            w += encode(cp + 0x60, out + w);
        } else if (cp >= 0x30A1 && cp <= 0x30FA) {
            memcpy(out + w, s + i, 3);
            w += 3;
        } else if (cp == 0x30FC) { /* ー */
            memcpy(out + w, s + i, 3);
            w += 3;
        } else if (cp != 0x30FB) { /* ・ is left out */
            return -1;
        }
        i += 3;
    }
    return characters >= 2 ? w : -1;
}

static PyObject *kana_pattern_keys(PyObject *self, PyObject *capsule) {
    (void)self;
    return map_cells(capsule, kana_pattern_key); /* never longer: 3 bytes for 3 */
}

/* The key of a cell of digits and "-" only that detectors.phone.COLUMN_PATTERN matches
 * whole (for such a cell ^0[1-9][0-9-]{7,16}$: the pattern's "+81" and brackets need other
 * characters), else null (-1): its digits (kernels.plain_phone_keys). One pass for what the
 * regex and the key kernel gave in two. */
static int64_t phone_pattern_key(const uint8_t *s, int64_t n, uint8_t *out) {
    if (n < 9 || n > 18 || s[0] != '0' || s[1] < '1' || s[1] > '9') {
        return -1;
    }
    out[0] = '0';
    out[1] = s[1];
    int64_t w = 2;
    for (int64_t i = 2; i < n; i++) {
        if (digit_byte(s[i])) {
            out[w++] = s[i];
        } else if (s[i] != '-') {
            return -1;
        }
    }
    return w;
}

static PyObject *phone_pattern_keys(PyObject *self, PyObject *capsule) {
    (void)self;
    return map_cells(capsule, phone_pattern_key); /* never longer than the cell */
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

/* --- The registry's address form of the common address, in one pass ----------------------
 *
 * plain_address_key(cell) is identity.conservative_address(cell) (room number kept) of an NFKC
 * cell that none of the rules' rarer passes would touch: no postal code before it, no kanji
 * numeral the rules read as a number, no ケ/ノ/之 between kanji, no 大字, no Kyoto direction
 * (上ル, 東入 …), no 条/線/地割 block, no dash folded, spaces only ASCII ones — most addresses
 * of an export (三重県我孫子市東大和町8丁目7番16号 手岡コート1162 is 我孫子市東大和町8-7-16-1162).
 * For any other cell it gives -1 (null), and kernels.registry_address_keys runs the full rules
 * (_kernels.registry_address_keys, then Python for Kyoto) on those cells only. The key is
 * never longer than the cell. tests/scanning/test_itemkeys.py checks it against
 * identity.conservative_address on generated addresses. */

/* identity._PREFECTURES, 3 or 4 kanji of 3 bytes each. */
static const char *const PLAIN_PREFECTURES[] = {
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
};

#define N_PREFECTURES (sizeof PLAIN_PREFECTURES / sizeof *PLAIN_PREFECTURES)
/* Each prefecture's first character and length in bytes (set at import). */
static uint32_t PREFECTURE_FIRST[N_PREFECTURES];
static int64_t PREFECTURE_BYTES[N_PREFECTURES];

/* The longest cell the one pass takes (longer ones: the full rules). */
#define PLAIN_ADDRESS_MAX 512

static inline int han(uint32_t cp) { return cp >= 0x4E00 && cp <= 0x9FFF; }

/* identity._KANJI_NUMERAL but 〇, which plain_address_key refuses anyway (not 4E00-9FFF). */
static inline int kanji_numeral_code(uint32_t cp) {
    switch (cp) {
    case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94: case 0x516D:
    case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341: case 0x767E: case 0x5343:
        return 1;
    default:
        return 0;
    }
}

/* The characters a plain address may hold: ASCII letters, digits, "-" and " ", kanji, 々,
 * hiragana, katakana and ー. NFKC leaves each as it is and composes none with another. */
static inline int plain_address_code(uint32_t cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
           || cp == '-' || cp == ' ' || han(cp) || cp == 0x3005 || (cp >= 0x3041 && cp <= 0x3096)
           || (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC;
}

/* The code point of the three-byte character at s[i] (the text is checked: all three-byte
 * but ASCII), 0 past the end or for an ASCII byte's position. */
static inline uint32_t code3(const uint8_t *s, int64_t i, int64_t n) {
    if (i < 0 || i >= n) {
        return 0;
    }
    if (s[i] < 0x80) {
        return s[i];
    }
    return (uint32_t)(s[i] & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6
           | (uint32_t)(s[i + 2] & 0x3F);
}

/* The code point of the character that ends just before s[i] (0 at the start). */
static inline uint32_t code_before(const uint8_t *s, int64_t i) {
    if (i <= 0) {
        return 0;
    }
    if (s[i - 1] < 0x80) {
        return s[i - 1];
    }
    return i >= 3 ? code3(s, i - 3, i) : 0;
}

static inline int digit_code(uint32_t cp) { return cp >= '0' && cp <= '9'; }

/* 号室 with a digit on both sides: the rules take it out and join the two numbers. */
static inline int digit_before_room(uint32_t before, int digit_after) {
    return digit_code(before) && digit_after;
}

/* What plain_address_key makes of each three-byte character (set at import), one load a
 * character instead of a chain of range tests: 0 refused (not plain_address_code), PLAIN a
 * character no rule looks at (copied as it is), SPECIAL one it looks at twice (the kanji
 * numerals, 条 線 割 大 上 下 入, ケヶヵがガ ノ之, ー, の, 丁 番 号). */
enum { REFUSED = 0, PLAIN = 1, SPECIAL = 2 };
static uint8_t ADDRESS_CLASS[0x10000];

/* The prefectures by their first character: PREFECTURE_AT[cp] is 1 + the first prefecture
 * starting with cp (0: none), PREFECTURE_NEXT[p] the next one with the same first character
 * (宮城県 and 宮崎県, the three of 山 and of 福 …), so an address is compared with those only. */
static uint8_t PREFECTURE_AT[0x10000];
static uint8_t PREFECTURE_NEXT[N_PREFECTURES];

static void address_special_init(void) {
    static const uint32_t codes[] = {
        0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E,
        0x5343, 0x6761, 0x7DDA, 0x5272, 0x5927, 0x4E0A, 0x4E0B, 0x5165, 0x30B1, 0x30F6, 0x30F5,
        0x304C, 0x30AC, 0x30CE, 0x4E4B, 0x30FC, 0x306E, 0x4E01, 0x756A, 0x53F7};
    for (size_t p = 0; p < N_PREFECTURES; p++) {
        const uint8_t *name = (const uint8_t *)PLAIN_PREFECTURES[p];
        PREFECTURE_BYTES[p] = (int64_t)strlen(PLAIN_PREFECTURES[p]);
        PREFECTURE_FIRST[p] = (uint32_t)(name[0] & 0x0F) << 12 | (uint32_t)(name[1] & 0x3F) << 6
                              | (uint32_t)(name[2] & 0x3F);
    }
    for (size_t p = N_PREFECTURES; p-- > 0;) { /* each chain in the list's order */
        PREFECTURE_NEXT[p] = PREFECTURE_AT[PREFECTURE_FIRST[p]];
        PREFECTURE_AT[PREFECTURE_FIRST[p]] = (uint8_t)(p + 1);
    }
    for (uint32_t cp = 0x800; cp < 0x10000; cp++) {
        if (plain_address_code(cp)) {
            ADDRESS_CLASS[cp] = PLAIN;
        }
    }
    for (size_t k = 0; k < sizeof codes / sizeof *codes; k++) { /* (each is plain) */
        ADDRESS_CLASS[codes[k]] = SPECIAL;
    }
}

/* Whether a (at least 9 bytes, more than the prefecture's) starts with prefecture p: its
 * first 8 bytes as one word, then the rest (a short memcmp was a call per address). */
static inline int prefecture_at_start(const uint8_t *a, size_t p) {
    const uint8_t *name = (const uint8_t *)PLAIN_PREFECTURES[p];
    uint64_t x, y;
    memcpy(&x, a, 8);
    memcpy(&y, name, 8); /* (each name is 9 or 12 bytes) */
    if (x != y) {
        return 0;
    }
    for (int64_t k = 8; k < PREFECTURE_BYTES[p]; k++) {
        if (a[k] != name[k]) {
            return 0;
        }
    }
    return 1;
}

/* identity._PLACE written as the pass-3 text is made (no second buffer, no pass over it):
 * the head to the first digit, the numbers joined by "-" (a "-" kept only when a digit
 * follows it), then of the rest its digits only, each run after a "-". */
typedef struct {
    uint8_t *out;
    int64_t k;
    int phase;   /* 0: the head, 1: the numbers, 2: the rest */
    int pending; /* phase 1: a "-" read, kept if a digit follows */
    int in_run;  /* phase 2: the last byte read was a digit */
} Place;

static inline void place_end_numbers(Place *p) {
    p->phase = 2;
    p->pending = 0;
    p->in_run = 0;
}

/* One ASCII byte of the text. */
static inline void place_byte(Place *p, uint8_t c) {
    if (digit_byte(c)) {
        if (p->phase == 0) {
            p->phase = 1;
        } else if (p->phase == 1 && p->pending) {
            p->out[p->k++] = '-';
            p->pending = 0;
        } else if (p->phase == 2 && !p->in_run) {
            p->out[p->k++] = '-';
            p->in_run = 1;
        }
        p->out[p->k++] = c;
        return;
    }
    if (p->phase == 0) {
        p->out[p->k++] = c;
    } else if (p->phase == 1) {
        if (c == '-' && !p->pending) {
            p->pending = 1;
        } else {
            place_end_numbers(p);
        }
    } else {
        p->in_run = 0;
    }
}

/* Characters of three bytes (never a digit or "-"): the head's, or the end of a run. */
static inline void place_text(Place *p, const uint8_t *text, int64_t size) {
    if (p->phase == 0) {
        memcpy(p->out + p->k, text, (size_t)size);
        p->k += size;
    } else if (p->phase == 1) {
        place_end_numbers(p);
    } else {
        p->in_run = 0;
    }
}

static int64_t plain_address_key(const uint8_t *s, int64_t n, uint8_t *out) {
    uint8_t a[PLAIN_ADDRESS_MAX + 8]; /* (+8: whole-word compares) */
    uint8_t kind_at[PLAIN_ADDRESS_MAX]; /* ADDRESS_CLASS at each three-byte character's lead */
    if (n > PLAIN_ADDRESS_MAX) {
        return -1;
    }
    /* 1. The characters checked; spaces taken out, a run of them between two digits "-"
     * (identity._SPACE_BETWEEN_NUMBERS, then the split); a digit first may be a postal code. */
    int64_t m = 0;
    for (int64_t i = 0; i < n;) {
        uint8_t c = s[i];
        if ((c & 0xF0) == 0xE0) { /* kanji, kana (most of an address): checked and copied */
            if (i + 3 > n || (((s[i + 1] ^ 0x80) | (s[i + 2] ^ 0x80)) >= 0x40)) {
                return -1;
            }
            uint32_t cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6
                          | (uint32_t)(s[i + 2] & 0x3F);
            /* (an over-long form, below U+0800, is in no plain range either) */
            uint8_t kind = ADDRESS_CLASS[cp];
            if (kind == REFUSED) {
                return -1;
            }
            memcpy(a + m, s + i, 3);
            kind_at[m] = kind;
            m += 3;
            i += 3;
            continue;
        }
        if (c >= 0x80 || !plain_address_code(c)) {
            return -1;
        }
        uint32_t cp = c;
        if (cp == ' ') {
            int64_t j = i;
            while (j < n && s[j] == ' ') {
                j++;
            }
            int digit_before = m > 0 && digit_byte(a[m - 1]);
            if (digit_before && j < n && digit_byte(s[j])) {
                a[m++] = '-';
            } else if (digit_before && j + 3 <= n && s[j] >= 0xE0
                       && kanji_numeral_code(code3(s, j, n))) {
                return -1; /* 1 三: a numeral the rules read */
            }
            i = j;
            continue;
        }
        if (m == 0 && digit_code(cp)) {
            return -1; /* 100-0001 東京都…: the rules' leading postal code */
        }
        a[m++] = s[i++];
    }
    /* 2. The prefecture left out where more follows it. */
    int64_t start = 0;
    /* (a prefecture ends in 都道府県 as its third or fourth character) */
    uint32_t third = m > 9 ? code3(a, 6, m) : 0, fourth = m > 12 ? code3(a, 9, m) : 0;
    if ((third == 0x90FD || third == 0x9053 || third == 0x5E9C || third == 0x770C)
        || fourth == 0x770C) {
        uint32_t first = code3(a, 0, m);
        for (int at = first < 0x10000 ? PREFECTURE_AT[first] : 0; at;
             at = PREFECTURE_NEXT[at - 1]) {
            size_t p = (size_t)at - 1;
            if (m > PREFECTURE_BYTES[p] && prefecture_at_start(a, p)) {
                start = PREFECTURE_BYTES[p];
                break;
            }
        }
    }
    /* 3. What the rarer passes would touch refused; the block suffixes as the rules write
     * them: 丁目/番地/番/号 before a digit "-" (identity._SUFFIX_BEFORE_NUMBER), after a digit
     * nothing (identity._SUFFIX); the text goes straight into identity._PLACE's form (4.).
     * (out never runs ahead of the text: the key is never longer than the cell) */
    Place place = {.out = out};
    for (int64_t i = start; i < m && i >= 0;) { /* (i >= 0: for the compiler's bounds check) */
        if (a[i] < 0x80) {
            place_byte(&place, a[i++]);
            continue;
        }
        if (kind_at[i] == PLAIN) { /* a run of characters no rule looks at, as one text */
            int64_t j = i + 3;
            while (j < m && a[j] >= 0x80 && kind_at[j] == PLAIN) {
                j += 3;
            }
            place_text(&place, a + i, j - i);
            i = j;
            continue;
        }
        uint32_t cp = code3(a, i, m);
        uint32_t before = i > start ? code_before(a, i) : 0; /* (0 at the start) */
        uint32_t after = code3(a, i + 3, m);
        if (kanji_numeral_code(cp)) {
            /* identity._KANJI_NUMBER reads a run as a number after "-" or a digit, or before a
             * suffix, "-", a digit, の or the end: those cells go to the full rules. */
            if (before == '-' || digit_code(before)) {
                return -1;
            }
            int64_t j = i;
            while (j < m && a[j] >= 0x80 && kanji_numeral_code(code3(a, j, m))) {
                j += 3;
            }
            uint32_t next = code3(a, j, m);
            if (j >= m || next == '-' || digit_code(next) || next == 0x4E01 /* 丁 */
                || next == 0x756A /* 番 */ || next == 0x53F7 /* 号 */ || next == 0x306E /* の */
                || next == 0x30CE || next == 0x4E4B /* ノ之, which may become の */) {
                return -1;
            }
            place_text(&place, a + i, j - i);
            i = j;
            continue;
        }
        switch (cp) {
        case 0x6761: /* 条 */
        case 0x7DDA: /* 線 */
        case 0x5272: /* 割 (地割) */
            return -1;
        case 0x5927: /* 大字 */
            if (after == 0x5B57) {
                return -1;
            }
            break;
        case 0x4E0A: /* 上ル 上る 下ル 下る: Kyoto's street names */
        case 0x4E0B:
            if (after == 0x30EB || after == 0x308B) {
                return -1;
            }
            break;
        case 0x5165: /* 東入 西入 */
            if (before == 0x6771 || before == 0x897F) {
                return -1;
            }
            break;
        case 0x30B1: case 0x30F6: case 0x30F5: case 0x304C: case 0x30AC: /* ケヶヵがガ */
            if (han(before) && han(after)) { /* identity._KE: ケ */
                place_text(&place, (const uint8_t *)"\xE3\x82\xB1", 3);
                i += 3;
                continue;
            }
            break;
        case 0x30CE: case 0x4E4B: /* ノ之 */
            if (han(before) && han(after)) { /* identity._NO: の */
                place_text(&place, (const uint8_t *)"\xE3\x81\xAE", 3);
                i += 3;
                continue;
            }
            break;
        case 0x30FC: /* ー between two numbers is a dash (identity._DASH_NEAR_NUMBER); beside
                      * one only (タワー4丁目) it stays as written */
            if ((digit_code(before) || kanji_numeral_code(before))
                && (digit_code(after) || kanji_numeral_code(after))) {
                return -1;
            }
            break;
        case 0x306E: /* の between digits is "-" */
            if (digit_code(before) && digit_code(after)) {
                return -1;
            }
            break;
        case 0x4E01: /* 丁目 */
        case 0x756A: /* 番地, 番 */
        case 0x53F7: /* 号室, 号 */ {
            if (cp == 0x4E01 && after != 0x76EE) {
                break; /* 丁 alone: no rule's */
            }
            int64_t end = i + 3;
            int room = 0;
            if (cp == 0x4E01 || (cp == 0x756A && after == 0x5730)) {
                end += 3;
            } else if (cp == 0x53F7 && after == 0x5BA4) {
                end += 3;
                room = 1;
            }
            int digit_after = end < m && digit_byte(a[end]);
            if (room && digit_before_room(before, digit_after)) {
                return -1; /* 1号室2: the rules take 号室 out and join the numbers */
            }
            if (digit_after && !room) {
                place_byte(&place, '-'); /* identity._SUFFIX_BEFORE_NUMBER */
            } else if (!digit_code(before)) {
                place_text(&place, a + i, end - i); /* 四番町: a town's name */
            } /* else after a digit: identity._SUFFIX takes it out */
            i = end;
            continue;
        }
        default:
            break;
        }
        place_text(&place, a + i, 3);
        i += 3;
    }
    if (place.phase == 0) {
        return -1; /* no digit: the rules' other forms */
    }
    return place.k;
}

static PyObject *plain_address_keys(PyObject *self, PyObject *capsule) {
    (void)self;
    return map_cells(capsule, plain_address_key); /* never longer than the cell */
}

/* The characters cells_with_codes looks for: a bitmap of the BMP and up to 16 others. */
typedef struct {
    uint8_t *bmp;
    uint32_t wide[16];
    int n_wide;
} CodeSet;

static uint8_t holds_code(const uint8_t *cell, int64_t size, const void *context) {
    const CodeSet *codes = context;
    for (int64_t k = 0; k < size;) {
        if (cell[k] < 0x80) {
            k++;
            continue;
        }
        uint32_t cp;
        int length = decode(cell, k, size, &cp);
        if (length == 0) {
            k++;
            continue;
        }
        if (cp < 0x10000) {
            if ((codes->bmp[cp >> 3] >> (cp & 7)) & 1) {
                return 1;
            }
        } else {
            for (int w = 0; w < codes->n_wide; w++) {
                if (cp == codes->wide[w]) {
                    return 1;
                }
            }
        }
        k += length;
    }
    return 0;
}

/* cells_with_codes(stream, codes) -> (bytearray, count): 1 for each cell that holds one of
 * the characters of the str ``codes`` (a null: 0), and how many do. A cheap test before a
 * polars pass that only such cells need (the variant kanji of names: 髙, 﨑, 𠮷 …). */
static PyObject *cells_with_codes(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *capsule, *text;
    if (!PyArg_ParseTuple(args, "OU", &capsule, &text)) {
        return NULL;
    }
    CodeSet codes = {.bmp = calloc(0x10000 / 8, 1), .n_wide = 0};
    if (codes.bmp == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t k = 0; k < PyUnicode_GET_LENGTH(text); k++) {
        Py_UCS4 cp = PyUnicode_READ_CHAR(text, k);
        if (cp < 0x10000) {
            codes.bmp[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        } else if (codes.n_wide < 16) {
            codes.wide[codes.n_wide++] = cp;
        } else {
            free(codes.bmp);
            PyErr_SetString(PyExc_ValueError, "at most 16 characters outside the BMP");
            return NULL;
        }
    }
    int64_t count = 0;
    PyObject *result = test_cells_with(capsule, holds_code, &codes, &count);
    free(codes.bmp);
    if (result == NULL) {
        return NULL;
    }
    return Py_BuildValue("(NL)", result, (long long)count);
}

static PyMethodDef methods[] = {
    {"cells_with_codes", cells_with_codes, METH_VARARGS,
     "cells_with_codes(stream, codes) -> (bytearray, count): 1 for each cell holding one of"
     " the characters of codes."},
    {"cells_to_fold", cells_to_fold, METH_O,
     "cells_to_fold(stream) -> (bytearray, count): 1 for each cell that is not its own normal"
     " form (fold_cells would change it or leave it to polars)."},
    {"digit_counts", digit_counts, METH_O,
     "digit_counts(stream) -> bytearray: the ASCII digits of each cell, at most 255."},
    {"fold_cells", fold_cells, METH_O,
     "fold_cells(stream) -> (stream, bytearray, changed, other): normalise_column of each cell"
     " whose normal form is a fold character for character; null and 1 for the others."},
    {"plain_address_keys", plain_address_keys, METH_O,
     "plain_address_keys(stream) -> stream: identity.conservative_address of each plain NFKC"
     " address; null for the others (the full rules then)."},
    {"kana_keys", kana_keys, METH_O,
     "kana_keys(stream) -> stream: engine._kana_keys of each cell."},
    {"phone_pattern_keys", phone_pattern_keys, METH_O,
     "phone_pattern_keys(stream) -> stream: the digits of each cell of digits and - only that"
     " detectors.phone.COLUMN_PATTERN matches whole, else null."},
    {"kana_pattern_keys", kana_pattern_keys, METH_O,
     "kana_pattern_keys(stream) -> stream: engine._kana_keys of each cell that"
     " detectors.name_kana.COLUMN_PATTERN matches whole, else null."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_itemkeys",
    .m_doc = "Compiled kernels of a table's item columns.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__itemkeys(void) {
    address_special_init();
    plain_three_byte_init();
    return PyModule_Create(&module);
}
