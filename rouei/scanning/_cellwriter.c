/* The whole-cell findings writer of the scanner (rouei.scanning.engine._FindingsSink.write_cells
 * is its Python face, and the polars path there its reference and fallback).
 *
 * write_cells takes the JSON line of one column's findings as literal pieces between its
 * varying fields (the row, the masked value, the value: _FindingsSink._template), the rows and
 * the cells as Arrow C streams (zero-copy, from polars), and writes every line in one pass per
 * cell: the cell decoded once, masked as rouei.scanning.masking.mask masks its category, and
 * the mask and the value escaped as json.dumps(..., ensure_ascii=False) escapes them, straight
 * into one output buffer, outside the GIL; given the output's file descriptor, the buffer
 * goes to the file from there (outside the GIL too, the buffer kept for the next call; its
 * whole blocks past the page cache, O_DIRECT, where the file allows: "Where the lines go"). The
 * few addresses and birth dates whose normal form is not theirs character for character
 * (NFKC beyond full-width ASCII) come masked (masking.mask_column) as a third stream; the
 * kernel reads the others itself.
 *
 * The cells come from leaked files, so from anyone: every read is bounds-checked against the
 * lengths Arrow gives, the UTF-8 is checked while decoded, and the output grows with checked
 * sizes. tests/scanning/test_cellwriter.py checks masks and lines against the Python code.
 *
 * The Arrow reader is _arrow_columns.h, shared with _kernels.c; this is its own extension so
 * that the two can be built and changed apart.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "_arrow_columns.h"

/* --- The output buffer --------------------------------------------------------------------- */

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
} Buffer;

/* The block a direct write (O_DIRECT) is aligned to: its file offset, its size and its memory.
 * 4096 serves the logical block sizes of 512 and 4096 alike. */
#define BLOCK ((size_t)4096)

/* Room for ``more`` bytes after the end; -1 when out of memory or the size overflows. The
 * memory starts on a BLOCK boundary (posix_memalign, not realloc), so that the lines can go to
 * the file by direct writes from where they are. */
static int buffer_room(Buffer *b, size_t more) {
    if (more > SIZE_MAX / 2 - b->size) {
        return -1;
    }
    if (b->size + more <= b->capacity) {
        return 0;
    }
    size_t capacity = b->capacity ? b->capacity : 1 << 16;
    while (capacity < b->size + more) {
        capacity *= 2;
    }
    void *grown = NULL;
    if (posix_memalign(&grown, BLOCK, capacity) != 0) {
        return -1;
    }
    if (b->size) {
        memcpy(grown, b->data, b->size);
    }
    free(b->data);
    b->data = grown;
    b->capacity = capacity;
    return 0;
}

/* One output buffer kept between calls (taken and given back with the GIL held, so two calls
 * never share it): a million rows' findings are about 1.4 GB, and a fresh buffer per column and
 * batch costs its pages' zeroing and faults each time. */
#define SPARE_MAX ((size_t)64 << 20) /* a bigger one is freed: a server keeps little */
static Buffer spare = {NULL, 0, 0};

/* The kept buffer, emptied, with ``head`` bytes left unused at its start (-1 when out of
 * memory): the lines then begin where the file's next byte sits within its block. */
static int buffer_take(Buffer *b, size_t head) {
    *b = spare;
    spare = (Buffer){NULL, 0, 0};
    b->size = 0;
    if (buffer_room(b, head) != 0) {
        return -1;
    }
    b->size = head;
    return 0;
}

static void buffer_give_back(Buffer *b) {
    if (spare.data == NULL && b->capacity <= SPARE_MAX) {
        spare = *b;
    } else {
        free(b->data);
    }
    *b = (Buffer){NULL, 0, 0};
}

/* All of ``n`` bytes to the file ``fd``; 0, or the errno of the write that failed. */
static int write_all(int fd, const uint8_t *s, size_t n) {
    while (n > 0) {
        ssize_t done = write(fd, s, n);
        if (done < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        s += done;
        n -= (size_t)done;
    }
    return 0;
}

/* All of ``n`` bytes to ``fd`` at offset ``at`` (the file's position unchanged); 0 or errno. */
static int pwrite_all(int fd, const uint8_t *s, size_t n, off_t at) {
    while (n > 0) {
        ssize_t done = pwrite(fd, s, n, at);
        if (done < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        s += done;
        at += done;
        n -= (size_t)done;
    }
    return 0;
}

/* --- Where the lines go: through the page cache, or past it --------------------------------
 * Copying a million rows' findings (1.4 GB) into the page cache was the largest part of their
 * cost (the kernel's copy into fresh pages, which this virtual machine gives slowly, and their
 * writing out later); a direct write (O_DIRECT) goes from the lines' own buffer to the disk
 * (dd, 1.4 GB here: 0.12 s of system time against 3.6 s). The lines of a call are written as
 * the blocks they cover: the part before the first block boundary and the part after the last
 * one through the page cache as before (the file's position and size are seldom on a block
 * boundary, and Python writes lines of its own between the calls), the whole blocks between
 * them directly, never a block that the page cache holds. Only a regular file opened without
 * O_APPEND, only for DIRECT_MIN bytes or more; where the file system refuses O_DIRECT, the
 * blocks go through the page cache too. The bytes of the file are the same either way. */
static size_t direct_min = (size_t)1 << 20;
static unsigned long long direct_total = 0; /* bytes written past the page cache, ever */

typedef struct {
    int fd;
    off_t start; /* the file's position before the call, or -1: written as it comes */
    size_t head; /* start % BLOCK: the buffer's unused bytes before the lines */
} Target;

/* The target of lines for ``fd`` (with the GIL held: a few system calls). */
static Target target_of(int fd) {
    Target t = {fd, -1, 0};
    struct stat st;
    int flags;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)
        || (flags = fcntl(fd, F_GETFL)) < 0 || (flags & O_APPEND)) {
        return t;
    }
    off_t at = lseek(fd, 0, SEEK_CUR);
    if (at >= 0) {
        t.start = at;
        t.head = (size_t)at % BLOCK;
    }
    return t;
}

/* ``n`` bytes (a multiple of BLOCK, from a BLOCK-aligned address) to ``fd`` at ``at`` (a BLOCK
 * boundary) with O_DIRECT: 0, or the errno of a write that failed; ``*done`` the bytes
 * written (fewer when the file system refuses direct writes or writes short: the rest is then
 * the caller's). The descriptor's flags are as they were after. */
static int direct_write(int fd, const uint8_t *s, size_t n, off_t at, size_t *done) {
    *done = 0;
#ifndef O_DIRECT
    (void)fd, (void)s, (void)n, (void)at;
    return 0;
#else
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_DIRECT) != 0) {
        return 0;
    }
    int failed = 0;
    while (*done < n) {
        ssize_t wrote = pwrite(fd, s + *done, n - *done, at + (off_t)*done);
        if (wrote < 0 && errno == EINTR) {
            continue;
        }
        if (wrote < 0 && errno != EINVAL) { /* EINVAL: not here, the page cache instead */
            failed = errno;
        }
        if (wrote <= 0 || (size_t)wrote % BLOCK != 0) {
            *done += wrote > 0 ? (size_t)wrote : 0;
            break;
        }
        *done += (size_t)wrote;
    }
    direct_total += *done;
    fcntl(fd, F_SETFL, flags);
    return failed;
#endif
}

/* The lines (``b``'s bytes after the target's head) to the target's file, which is left
 * positioned after them: 0, or the errno of a write that failed. */
static int write_lines_out(const Target *t, const Buffer *b) {
    const uint8_t *s = b->data + t->head;
    size_t n = b->size - t->head;
    if (t->start < 0 || n < direct_min) {
        return write_all(t->fd, s, n);
    }
    off_t at = t->start;
    size_t first = t->head ? BLOCK - t->head : 0; /* up to the first block boundary */
    first = first > n ? n : first;
    int failed = pwrite_all(t->fd, s, first, at);
    s += first;
    at += (off_t)first;
    n -= first;
    size_t blocks = n / BLOCK * BLOCK, direct = 0;
    if (!failed && blocks) { /* s is on a BLOCK boundary of the buffer, at of the file */
        failed = direct_write(t->fd, s, blocks, at, &direct);
        s += direct;
        at += (off_t)direct;
        n -= direct;
    }
    if (!failed) {
        failed = pwrite_all(t->fd, s, n, at); /* the last part, or what was not direct */
        at += (off_t)n;
    }
    if (!failed && lseek(t->fd, at, SEEK_SET) < 0) {
        failed = errno;
    }
    return failed;
}

/* The finished lines: as bytes, or with a target written to its file outside the GIL (no
 * copy into a bytes object, and the other threads run meanwhile) and their size returned. */
static PyObject *hand_over(const Buffer *out, const Target *t) {
    size_t size = out->size - t->head;
    if (t->fd < 0) {
        return PyBytes_FromStringAndSize((const char *)out->data + t->head, (Py_ssize_t)size);
    }
    int failed;
    Py_BEGIN_ALLOW_THREADS
    failed = write_lines_out(t, out);
    Py_END_ALLOW_THREADS
    if (failed) {
        errno = failed;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return PyLong_FromSize_t(size);
}

/* --- UTF-8 --------------------------------------------------------------------------------- */

/* The code points of a UTF-8 text into ``out`` (room for n); their number, or -1 if the text is
 * not valid UTF-8 (overlong forms, surrogates, beyond U+10FFFF, cut sequences). */
static int64_t utf8_decode(const uint8_t *s, int64_t n, uint32_t *out) {
    int64_t i = 0, k = 0;
    while (i < n) {
        uint8_t c = s[i];
        uint32_t cp;
        if (c < 0x80) {
            cp = c;
            i += 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80) return -1;
            cp = (uint32_t)(c & 0x1F) << 6 | (uint32_t)(s[i + 1] & 0x3F);
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return -1;
            cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6
                 | (uint32_t)(s[i + 2] & 0x3F);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80
                || (s[i + 3] & 0xC0) != 0x80) return -1;
            cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12
                 | (uint32_t)(s[i + 2] & 0x3F) << 6 | (uint32_t)(s[i + 3] & 0x3F);
            if (cp < 0x10000 || cp > 0x10FFFF) return -1;
            i += 4;
        } else {
            return -1;
        }
        out[k++] = cp;
    }
    return k;
}

static const char HEX[] = "0123456789abcdef";

/* One code point as json.dumps(ensure_ascii=False) writes it inside a string (json's
 * encode_basestring: \" \\ \b \f \n \r \t, other controls \u00XX, the rest as UTF-8); the bytes
 * written (at most 6). */
static inline int json_char(uint32_t c, uint8_t *p) {
    if (c >= 0x80) {
        if (c < 0x800) {
            p[0] = (uint8_t)(0xC0 | c >> 6);
            p[1] = (uint8_t)(0x80 | (c & 0x3F));
            return 2;
        }
        if (c < 0x10000) {
            p[0] = (uint8_t)(0xE0 | c >> 12);
            p[1] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            p[2] = (uint8_t)(0x80 | (c & 0x3F));
            return 3;
        }
        p[0] = (uint8_t)(0xF0 | c >> 18);
        p[1] = (uint8_t)(0x80 | (c >> 12 & 0x3F));
        p[2] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
        p[3] = (uint8_t)(0x80 | (c & 0x3F));
        return 4;
    }
    switch (c) {
    case '"': p[0] = '\\'; p[1] = '"'; return 2;
    case '\\': p[0] = '\\'; p[1] = '\\'; return 2;
    case '\b': p[0] = '\\'; p[1] = 'b'; return 2;
    case '\f': p[0] = '\\'; p[1] = 'f'; return 2;
    case '\n': p[0] = '\\'; p[1] = 'n'; return 2;
    case '\r': p[0] = '\\'; p[1] = 'r'; return 2;
    case '\t': p[0] = '\\'; p[1] = 't'; return 2;
    default:
        if (c < 0x20) {
            p[0] = '\\'; p[1] = 'u'; p[2] = '0'; p[3] = '0';
            p[4] = (uint8_t)HEX[c >> 4];
            p[5] = (uint8_t)HEX[c & 0xF];
            return 6;
        }
        p[0] = (uint8_t)c;
        return 1;
    }
}

/* A JSON string literal, quotes included, of code points. */
static int write_json_points(Buffer *b, const uint32_t *s, int64_t n) {
    if ((uint64_t)n > (SIZE_MAX / 8) || buffer_room(b, (size_t)n * 6 + 2) != 0) {
        return -1;
    }
    uint8_t *p = b->data + b->size;
    *p++ = '"';
    for (int64_t i = 0; i < n; i++) {
        uint32_t c = s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *p++ = (uint8_t)c;
        } else if (c >= 0x800 && c < 0x10000) {
            p[0] = (uint8_t)(0xE0 | c >> 12);
            p[1] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            p[2] = (uint8_t)(0x80 | (c & 0x3F));
            p += 3;
        } else {
            p += json_char(c, p);
        }
    }
    *p++ = '"';
    b->size = (size_t)(p - b->data);
    return 0;
}

/* A JSON string literal, quotes included, of valid UTF-8: only ASCII bytes are ever escaped
 * (no byte of a multi-byte sequence is below 0x80), so runs of other bytes are copied. */
static int write_json_utf8(Buffer *b, const uint8_t *s, int64_t n) {
    if ((uint64_t)n > (SIZE_MAX / 8) || buffer_room(b, (size_t)n * 6 + 2) != 0) {
        return -1;
    }
    uint8_t *p = b->data + b->size;
    *p++ = '"';
    int64_t run = 0;
    for (int64_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        memcpy(p, s + run, (size_t)(i - run));
        p += i - run;
        p += json_char(c, p);
        run = i + 1;
    }
    memcpy(p, s + run, (size_t)(n - run));
    p += n - run;
    *p++ = '"';
    b->size = (size_t)(p - b->data);
    return 0;
}

static int write_bytes(Buffer *b, const uint8_t *s, size_t n) {
    if (buffer_room(b, n) != 0) {
        return -1;
    }
    memcpy(b->data + b->size, s, n);
    b->size += n;
    return 0;
}

static const char DIGIT_PAIRS[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static int write_row(Buffer *b, int has_row, int64_t row) {
    if (!has_row) {
        return write_bytes(b, (const uint8_t *)"null", 4);
    }
    if (buffer_room(b, 21) != 0) { /* a sign and at most 20 digits */
        return -1;
    }
    uint8_t digits[24], *end = digits + sizeof(digits), *p = end;
    uint64_t u = row < 0 ? (uint64_t)0 - (uint64_t)row : (uint64_t)row;
    while (u >= 100) {
        unsigned pair = (unsigned)(u % 100) * 2;
        u /= 100;
        *--p = (uint8_t)DIGIT_PAIRS[pair + 1];
        *--p = (uint8_t)DIGIT_PAIRS[pair];
    }
    if (u >= 10) {
        *--p = (uint8_t)DIGIT_PAIRS[u * 2 + 1];
        *--p = (uint8_t)DIGIT_PAIRS[u * 2];
    } else {
        *--p = (uint8_t)('0' + u);
    }
    if (row < 0) {
        *--p = '-';
    }
    memcpy(b->data + b->size, p, (size_t)(end - p));
    b->size += (size_t)(end - p);
    return 0;
}

/* --- The masks (rouei.scanning.masking) ----------------------------------------------------- */

/* What ``mask`` does per category: the masker of masking._MASKERS, each on code points. */
enum { MASK_DEFAULT = 0, MASK_PHONE = 1, MASK_LAST_FOUR = 2, MASK_EMAIL = 3, MASK_NAME = 4,
       MASK_GIVEN = 5, /* masked by masking.mask_column: a third stream */
       MASK_BIRTH_DATE = 6, /* the cells of date_char; the others' masks in a third stream */
       MASK_ADDRESS = 7 /* the cells of one_for_one; the others' masks in a third stream */ };

/* A mask_points result: a cell the rule does not read here (its mask must come given). */
#define NOT_MINE (-2)

#define STAR 0x2A

/* masking._SEPARATORS */
static inline int is_separator(uint32_t c) {
    return c == ' ' || c == '-' || c == '(' || c == ')' || c == 0x3000 || c == 0xFF0D;
}

/* masking._DIGITS: ASCII and full-width digits */
static inline int is_digit(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

/* str.isspace(), what str.lstrip() takes (masking._PY_SPACES) */
static inline int is_py_space(uint32_t c) {
    if (c < 0x80) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
    }
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A)
           || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* mask_default: the first ⌊n/4⌋ characters that are not separators kept (and every
 * separator), every other character starred. */
static int64_t mask_default(const uint32_t *v, int64_t n, uint32_t *out) {
    int64_t letters = 0;
    for (int64_t i = 0; i < n; i++) {
        letters += !is_separator(v[i]);
    }
    int64_t keep = letters / 4, kept = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t c = v[i];
        if (is_separator(c)) {
            out[i] = c;
        } else if (kept < keep) {
            out[i] = c;
            kept++;
        } else {
            out[i] = STAR;
        }
    }
    return n;
}

/* _keep_digits: every digit but the first ``first`` and the last ``last`` starred; when they
 * would keep every digit, mask_default. */
static int64_t keep_digits(const uint32_t *v, int64_t n, int64_t first, int64_t last,
                           uint32_t *out) {
    int64_t digits = 0;
    for (int64_t i = 0; i < n; i++) {
        digits += is_digit(v[i]);
    }
    if (first + last >= digits) {
        return mask_default(v, n, out);
    }
    int64_t seen = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t c = v[i];
        if (is_digit(c)) {
            out[i] = seen >= first && seen < digits - last ? STAR : c;
            seen++;
        } else {
            out[i] = c;
        }
    }
    return n;
}

/* mask_phone: the first digit group (with a leading + the first two) and up to the last four
 * digits kept, at least four digits starred. */
static int64_t mask_phone(const uint32_t *v, int64_t n, uint32_t *out) {
    int64_t groups = 0, g0 = 0, g1 = 0, digits = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!is_digit(v[i])) {
            continue;
        }
        if (i == 0 || !is_digit(v[i - 1])) {
            groups++;
        }
        digits++;
        if (groups == 1) {
            g0++;
        } else if (groups == 2) {
            g1++;
        }
    }
    int64_t first = groups >= 2 ? g0 : 3;
    int64_t start = 0;
    while (start < n && is_py_space(v[start])) {
        start++;
    }
    if (groups >= 2 && start < n && v[start] == '+') {
        first = g0 + g1;
    }
    int64_t last = digits - first - 4;
    last = last > 4 ? 4 : last;
    last = last < 0 ? 0 : last;
    return keep_digits(v, n, first, last, out);
}

/* mask_email: t***@example.jp (the local part's first character unless it is one character,
 * the domain after the last @); mask_default without a local part. Room: n + 3. */
static int64_t mask_email(const uint32_t *v, int64_t n, uint32_t *out) {
    int64_t at = -1;
    for (int64_t i = n - 1; i >= 0; i--) {
        if (v[i] == '@') {
            at = i;
            break;
        }
    }
    if (at <= 0) {
        return mask_default(v, n, out);
    }
    int64_t k = 0;
    if (at > 1) {
        out[k++] = v[0];
    }
    out[k++] = STAR;
    out[k++] = STAR;
    out[k++] = STAR;
    out[k++] = '@';
    for (int64_t i = at + 1; i < n; i++) {
        out[k++] = v[i];
    }
    return k;
}

/* mask_name: the first character, separators kept, the rest starred. */
static int64_t mask_name(const uint32_t *v, int64_t n, uint32_t *out) {
    for (int64_t i = 0; i < n; i++) {
        out[i] = i == 0 || is_separator(v[i]) ? v[i] : STAR;
    }
    return n;
}

/* --- mask_birth_date: birth_date.parse on the cells whose NFKC is one character for one ------ */

#define U_NEN 0x5E74u   /* 年 */
#define U_GATSU 0x6708u /* 月 */
#define U_NICHI 0x65E5u /* 日 */
#define U_GAN 0x5143u   /* 元 */

/* The character NFKC makes of ``c`` in a date cell the kernel reads (ASCII; full-width ASCII
 * and the ideographic space become ASCII; 年月日元 and the eras' kanji stay), or NOT_A_DATE_CHAR
 * for any other character: the cell is then masked in Python. Within these characters NFKC works
 * character by character (no combining marks, no compositions). */
#define NOT_A_DATE_CHAR 0xFFFFFFFFu

static inline uint32_t date_char(uint32_t c) {
    if (c < 0x80) {
        return c;
    }
    if (c >= 0xFF01 && c <= 0xFF5E) {
        return c - 0xFEE0;
    }
    switch (c) {
    case 0x3000: return ' ';
    case U_NEN: case U_GATSU: case U_NICHI: case U_GAN:
    case 0x660E: case 0x6CBB: /* 明治 */
    case 0x5927: case 0x6B63: /* 大正 */
    case 0x662D: case 0x548C: /* 昭和 */
    case 0x5E73: case 0x6210: /* 平成 */
    case 0x4EE4:              /* 令(和) */
        return c;
    default: return NOT_A_DATE_CHAR;
    }
}

static inline int is_ascii_digit(uint32_t c) {
    return c >= '0' && c <= '9';
}

/* 1–2 digits at t[*i] (exactly: a third digit fails the pattern); their value, or -1. */
static int small_number(const uint32_t *t, int64_t n, int64_t *i) {
    int64_t start = *i;
    int value = 0;
    while (*i < n && is_ascii_digit(t[*i]) && *i - start < 3) {
        value = value * 10 + (int)(t[*i] - '0');
        (*i)++;
    }
    int64_t count = *i - start;
    return count >= 1 && count <= 2 ? value : -1;
}

static int date_exists(int64_t year, int month, int day) {
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) {
        return 0;
    }
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= DAYS[month - 1] + (month == 2 && leap);
}

/* What follows the year in _JAPANESE and _WESTERN alike, from t[i] to the end: a separator
 * ([年/.-]), the month, a separator ([月/.-]), the day and an optional 日. 0 with the month and
 * the day, or -1 when the rest is not that (one parser for both shapes). */
static int month_and_day(const uint32_t *t, int64_t n, int64_t i, int *month, int *day) {
    if (i >= n || !(t[i] == U_NEN || t[i] == '/' || t[i] == '.' || t[i] == '-')) {
        return -1;
    }
    i++;
    *month = small_number(t, n, &i);
    if (*month < 0 || i >= n || !(t[i] == U_GATSU || t[i] == '/' || t[i] == '.' || t[i] == '-')) {
        return -1;
    }
    i++;
    *day = small_number(t, n, &i);
    if (*day < 0) {
        return -1;
    }
    if (i < n && t[i] == U_NICHI) {
        i++;
    }
    return i == n ? 0 : -1;
}

/* The eras (birth_date.ERAS): first and last day as yyyymmdd. */
typedef struct {
    uint32_t kanji[2];
    uint32_t letter;
    int64_t first, last;
} Era;

static const Era ERAS[] = {
    {{0x660E, 0x6CBB}, 'M', 18680125, 19120729},
    {{0x5927, 0x6B63}, 'T', 19120730, 19261224},
    {{0x662D, 0x548C}, 'S', 19261225, 19890107},
    {{0x5E73, 0x6210}, 'H', 19890108, 20190430},
    {{0x4EE4, 0x548C}, 'R', 20190501, 99991231},
};

/* The date birth_date.parse reads in the NFKC text ``t`` (already stripped, without its time
 * suffix and spaces) as yyyymmdd, or 0 if it is not a real date. */
static int64_t parse_birth_date(const uint32_t *t, int64_t n) {
    int64_t i = 0;
    const Era *era = NULL;
    for (size_t e = 0; e < sizeof(ERAS) / sizeof(ERAS[0]) && n > 0; e++) {
        if (n >= 2 && t[0] == ERAS[e].kanji[0] && t[1] == ERAS[e].kanji[1]) {
            era = &ERAS[e];
            i = 2;
        } else if (t[0] == ERAS[e].letter || t[0] == ERAS[e].letter + 32) {
            era = &ERAS[e];
            i = 1;
        }
        if (era != NULL) {
            break;
        }
    }
    if (era != NULL) { /* _JAPANESE */
        if (i < n && t[i] == '.') {
            i++;
        }
        int year;
        if (i < n && t[i] == U_GAN) {
            year = 1;
            i++;
        } else if ((year = small_number(t, n, &i)) < 0) {
            return 0;
        }
        int month, day;
        if (month_and_day(t, n, i, &month, &day) != 0) {
            return 0;
        }
        int64_t western = era->first / 10000 + year - 1;
        int64_t date = western * 10000 + month * 100 + day;
        if (!date_exists(western, month, day) || date < era->first || date > era->last) {
            return 0;
        }
        return date;
    }
    if (n == 8) { /* _COMPACT */
        int64_t digits = 0;
        for (int64_t k = 0; k < 8; k++) {
            if (!is_ascii_digit(t[k])) {
                digits = -1;
                break;
            }
            digits = digits * 10 + (t[k] - '0');
        }
        if (digits >= 0) {
            int64_t year = digits / 10000;
            return date_exists(year, (int)(digits / 100 % 100), (int)(digits % 100)) ? digits : 0;
        }
    }
    /* _WESTERN */
    if (n < 4) {
        return 0;
    }
    int64_t year = 0;
    for (i = 0; i < 4; i++) {
        if (!is_ascii_digit(t[i])) {
            return 0;
        }
        year = year * 10 + (t[i] - '0');
    }
    int month, day;
    return month_and_day(t, n, i, &month, &day) == 0 && date_exists(year, month, day)
           ? year * 10000 + month * 100 + day : 0;
}

static inline int is_ascii_space(uint32_t c) { /* str.isspace() within ASCII */
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
}

/* The time suffix birth_date._TIME_SUFFIX takes off the end ([ T]0?0:00(?::00)?): its length,
 * the longest first (the leftmost match), or 0. */
static int64_t time_suffix(const uint32_t *t, int64_t n) {
    static const char *const FORMS[] = {"00:00:00", "0:00:00", "00:00", "0:00"};
    for (int f = 0; f < 4; f++) {
        int64_t k = (int64_t)strlen(FORMS[f]);
        if (n < k + 1 || (t[n - k - 1] != ' ' && t[n - k - 1] != 'T')) {
            continue;
        }
        int64_t j = 0;
        while (j < k && t[n - k + j] == (uint32_t)FORMS[f][j]) {
            j++;
        }
        if (j == k) {
            return k + 1;
        }
    }
    return 0;
}

static int64_t read_birth_date(const uint32_t *v, int64_t n, uint32_t *out);

/* mask_birth_date: 19**-**-** (the first two digits of the year) for a real date, else
 * mask_default; NOT_MINE for a cell outside date_char. ``out``: room for n + 8. */
static int64_t mask_birth_date(const uint32_t *v, int64_t n, uint32_t *out) {
    /* out doubles as the NFKC text: it is written again below */
    int64_t date = read_birth_date(v, n, out);
    if (date == NOT_MINE) {
        return NOT_MINE;
    }
    int64_t year = date / 10000;
    if (year == 0) {
        return mask_default(v, n, out);
    }
    /* the first two digits of the year as "%d" writes it (year 1–9999) */
    int64_t w = 0;
    int64_t scale = year >= 1000 ? 1000 : year >= 100 ? 100 : year >= 10 ? 10 : 1;
    out[w++] = (uint32_t)('0' + year / scale);
    if (scale > 1) {
        out[w++] = (uint32_t)('0' + year / (scale / 10) % 10);
    }
    for (const char *rest = "**-**-**"; *rest; rest++) {
        out[w++] = (uint32_t)*rest;
    }
    return w;
}

/* birth_date.parse of a cell: its date as yyyymmdd, 0 if it is not a date, NOT_MINE for a cell
 * outside date_char; ``out`` (room for n) holds the NFKC text meanwhile. */
static int64_t read_birth_date(const uint32_t *v, int64_t n, uint32_t *out) {
    for (int64_t i = 0; i < n; i++) {
        if ((out[i] = date_char(v[i])) == NOT_A_DATE_CHAR) {
            return NOT_MINE;
        }
    }
    int64_t start = 0, end = n;
    while (start < end && is_ascii_space(out[start])) {
        start++;
    }
    while (end > start && is_ascii_space(out[end - 1])) {
        end--;
    }
    end -= time_suffix(out + start, end - start);
    int64_t m = 0;
    for (int64_t i = start; i < end; i++) {
        if (out[i] != ' ') {
            out[m++] = out[i];
        }
    }
    return parse_birth_date(out, m);
}

/* --- mask_address: prefecture and municipality kept, the rest ＊ ------------------------------
 * On the cells whose normal form (normalise.normalise) is theirs character for character
 * (masking._ONE_FOR_ONE: ASCII, kana, kanji, 々〆〇, full-width ASCII, the ideographic
 * space); the others' masks come given. The locality is address._LOCALITY, matched here by
 * backtracking in the order Python's re tries it:
 *   (?:PREF)? ?(?![がはをにでともへやの])(?:U{1,6}?郡U{1,6}?[町村]|U{1,6}?市U{1,6}?区|U{1,6}?[市区町村])
 *   U = [KANJIケノ] | [HIRAGANA]{2,6}(?=[KANJI]) | (?<=[KANJI])[のがつ](?=[KANJI])(?![市区町村郡]) */

#define WIDE_STAR 0xFF0Au /* ＊ */
#define U_SHI 0x5E02u     /* 市 */
#define U_KU 0x533Au      /* 区 */
#define U_MACHI 0x753Au   /* 町 */
#define U_MURA 0x6751u    /* 村 */
#define U_GUN 0x90E1u     /* 郡 */

typedef struct {
    int size;
    uint32_t name[4];
} Prefecture;

static const Prefecture PREFECTURES[] = {
    {3, {0x5317, 0x6D77, 0x9053}}, /* 北海道 */
    {3, {0x9752, 0x68EE, 0x770C}}, /* 青森県 */
    {3, {0x5CA9, 0x624B, 0x770C}}, /* 岩手県 */
    {3, {0x5BAE, 0x57CE, 0x770C}}, /* 宮城県 */
    {3, {0x79CB, 0x7530, 0x770C}}, /* 秋田県 */
    {3, {0x5C71, 0x5F62, 0x770C}}, /* 山形県 */
    {3, {0x798F, 0x5CF6, 0x770C}}, /* 福島県 */
    {3, {0x8328, 0x57CE, 0x770C}}, /* 茨城県 */
    {3, {0x6803, 0x6728, 0x770C}}, /* 栃木県 */
    {3, {0x7FA4, 0x99AC, 0x770C}}, /* 群馬県 */
    {3, {0x57FC, 0x7389, 0x770C}}, /* 埼玉県 */
    {3, {0x5343, 0x8449, 0x770C}}, /* 千葉県 */
    {3, {0x6771, 0x4EAC, 0x90FD}}, /* 東京都 */
    {4, {0x795E, 0x5948, 0x5DDD, 0x770C}}, /* 神奈川県 */
    {3, {0x65B0, 0x6F5F, 0x770C}}, /* 新潟県 */
    {3, {0x5BCC, 0x5C71, 0x770C}}, /* 富山県 */
    {3, {0x77F3, 0x5DDD, 0x770C}}, /* 石川県 */
    {3, {0x798F, 0x4E95, 0x770C}}, /* 福井県 */
    {3, {0x5C71, 0x68A8, 0x770C}}, /* 山梨県 */
    {3, {0x9577, 0x91CE, 0x770C}}, /* 長野県 */
    {3, {0x5C90, 0x961C, 0x770C}}, /* 岐阜県 */
    {3, {0x9759, 0x5CA1, 0x770C}}, /* 静岡県 */
    {3, {0x611B, 0x77E5, 0x770C}}, /* 愛知県 */
    {3, {0x4E09, 0x91CD, 0x770C}}, /* 三重県 */
    {3, {0x6ECB, 0x8CC0, 0x770C}}, /* 滋賀県 */
    {3, {0x4EAC, 0x90FD, 0x5E9C}}, /* 京都府 */
    {3, {0x5927, 0x962A, 0x5E9C}}, /* 大阪府 */
    {3, {0x5175, 0x5EAB, 0x770C}}, /* 兵庫県 */
    {3, {0x5948, 0x826F, 0x770C}}, /* 奈良県 */
    {4, {0x548C, 0x6B4C, 0x5C71, 0x770C}}, /* 和歌山県 */
    {3, {0x9CE5, 0x53D6, 0x770C}}, /* 鳥取県 */
    {3, {0x5CF6, 0x6839, 0x770C}}, /* 島根県 */
    {3, {0x5CA1, 0x5C71, 0x770C}}, /* 岡山県 */
    {3, {0x5E83, 0x5CF6, 0x770C}}, /* 広島県 */
    {3, {0x5C71, 0x53E3, 0x770C}}, /* 山口県 */
    {3, {0x5FB3, 0x5CF6, 0x770C}}, /* 徳島県 */
    {3, {0x9999, 0x5DDD, 0x770C}}, /* 香川県 */
    {3, {0x611B, 0x5A9B, 0x770C}}, /* 愛媛県 */
    {3, {0x9AD8, 0x77E5, 0x770C}}, /* 高知県 */
    {3, {0x798F, 0x5CA1, 0x770C}}, /* 福岡県 */
    {3, {0x4F50, 0x8CC0, 0x770C}}, /* 佐賀県 */
    {3, {0x9577, 0x5D0E, 0x770C}}, /* 長崎県 */
    {3, {0x718A, 0x672C, 0x770C}}, /* 熊本県 */
    {3, {0x5927, 0x5206, 0x770C}}, /* 大分県 */
    {3, {0x5BAE, 0x5D0E, 0x770C}}, /* 宮崎県 */
    {4, {0x9E7F, 0x5150, 0x5CF6, 0x770C}}, /* 鹿児島県 */
    {3, {0x6C96, 0x7E04, 0x770C}}, /* 沖縄県 */
};

/* masking._ONE_FOR_ONE */
static inline int one_for_one(uint32_t c) {
    return c < 0x80 || (c >= 0x3005 && c <= 0x3007) || (c >= 0x3041 && c <= 0x3096)
           || (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC || (c >= 0x3400 && c <= 0x4DBF)
           || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xFF01 && c <= 0xFF5E) || c == 0x3000;
}

/* detectors._common.KANJI */
static inline int is_kanji(uint32_t c) {
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF)
           || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005 || c == 0x3006 || c == 0x30F6;
}

static inline int is_hiragana(uint32_t c) {
    return c >= 0x3041 && c <= 0x3096;
}

static inline int is_municipality_suffix(uint32_t c) { /* [市区町村] */
    return c == U_SHI || c == U_KU || c == U_MACHI || c == U_MURA;
}

/* What follows the units: the end of the whole match, or -1. */
typedef int64_t (*Tail)(const uint32_t *t, int64_t n, int64_t p, int step);

static int64_t units(const uint32_t *t, int64_t n, int64_t p, int k, Tail tail, int step);

/* A3 and the ends of A1, A2: one character of a set. */
static int64_t tail_suffix(const uint32_t *t, int64_t n, int64_t p, int step) {
    if (p >= n) {
        return -1;
    }
    uint32_t c = t[p];
    switch (step) {
    case 0: return is_municipality_suffix(c) ? p + 1 : -1; /* [市区町村] */
    case 1: return c == U_MACHI || c == U_MURA ? p + 1 : -1; /* 郡…[町村] */
    case 2: return c == U_KU ? p + 1 : -1;                   /* 市…区 */
    case 3: return c == U_GUN ? units(t, n, p + 1, 0, tail_suffix, 1) : -1; /* 郡, then U…[町村] */
    default: return c == U_SHI ? units(t, n, p + 1, 0, tail_suffix, 2) : -1; /* 市, then U…区 */
    }
}

/* U{1,6}? from p (k units taken so far), then the tail: lazy, so fewest units first; each
 * unit's alternatives in the pattern's order, the hiragana run longest first. */
static int64_t units(const uint32_t *t, int64_t n, int64_t p, int k, Tail tail, int step) {
    int64_t r;
    if (k >= 1 && (r = tail(t, n, p, step)) >= 0) {
        return r;
    }
    if (k == 6 || p >= n) {
        return -1;
    }
    uint32_t c = t[p];
    if ((is_kanji(c) || c == 0x30B1 || c == 0x30CE)
        && (r = units(t, n, p + 1, k + 1, tail, step)) >= 0) {
        return r;
    }
    int64_t run = 0;
    while (run < 6 && p + run < n && is_hiragana(t[p + run])) {
        run++;
    }
    for (int64_t len = run; len >= 2; len--) {
        if (p + len < n && is_kanji(t[p + len])
            && (r = units(t, n, p + len, k + 1, tail, step)) >= 0) {
            return r;
        }
    }
    if ((c == 0x306E || c == 0x304C || c == 0x3064) && p > 0 && is_kanji(t[p - 1])
        && p + 1 < n && is_kanji(t[p + 1]) && !is_municipality_suffix(t[p + 1])
        && t[p + 1] != U_GUN) {
        return units(t, n, p + 1, k + 1, tail, step);
    }
    return -1;
}

static int64_t municipality_end(const uint32_t *t, int64_t n, int64_t p) {
    static const uint32_t NOT_FIRST[] = {0x304C, 0x306F, 0x3092, 0x306B, 0x3067,
                                         0x3068, 0x3082, 0x3078, 0x3084, 0x306E};
    if (p < n) {
        for (size_t i = 0; i < sizeof(NOT_FIRST) / sizeof(NOT_FIRST[0]); i++) {
            if (t[p] == NOT_FIRST[i]) {
                return -1;
            }
        }
    }
    int64_t r;
    if ((r = units(t, n, p, 0, tail_suffix, 3)) >= 0) { /* U郡U[町村] */
        return r;
    }
    if ((r = units(t, n, p, 0, tail_suffix, 4)) >= 0) { /* U市U区 */
        return r;
    }
    return units(t, n, p, 0, tail_suffix, 0); /* U[市区町村] */
}

/* address._LOCALITY.match(t): its end, or -1. */
static int64_t locality_end(const uint32_t *t, int64_t n) {
    int64_t starts[2] = {-1, 0};
    for (size_t i = 0; i < sizeof(PREFECTURES) / sizeof(PREFECTURES[0]); i++) {
        const Prefecture *pref = &PREFECTURES[i];
        if (n >= pref->size && t[0] == pref->name[0]
            && memcmp(t, pref->name, (size_t)pref->size * sizeof(uint32_t)) == 0) {
            starts[0] = pref->size;
            break;
        }
    }
    for (int s = 0; s < 2; s++) {
        int64_t p = starts[s];
        if (p < 0) {
            continue;
        }
        int64_t r;
        if (p < n && t[p] == ' ' && (r = municipality_end(t, n, p + 1)) >= 0) {
            return r;
        }
        if ((r = municipality_end(t, n, p)) >= 0) {
            return r;
        }
    }
    return -1;
}

/* mask_address on a one-for-one cell (NOT_MINE for another): the normal form (NFKC of
 * full-width ASCII and the ideographic space, ー between digits "-") read for the locality;
 * with something after it, the cell up to there kept and the rest but separators ＊. */
static int64_t mask_address(const uint32_t *v, int64_t n, uint32_t *out) {
    /* out holds the normal form first, then the mask (the same length, one for one) */
    for (int64_t i = 0; i < n; i++) {
        uint32_t c = v[i];
        if (!one_for_one(c)) {
            return NOT_MINE;
        }
        out[i] = c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c == 0x3000 ? ' ' : c;
    }
    for (int64_t i = 1; i + 1 < n; i++) {
        if (out[i] == 0x30FC && is_ascii_digit(out[i - 1]) && is_ascii_digit(out[i + 1])) {
            out[i] = '-';
        }
    }
    int64_t end = locality_end(out, n);
    int rest = 0;
    for (int64_t i = end; end > 0 && i < n && !rest; i++) {
        rest = !is_ascii_space(out[i]);
    }
    if (!rest) {
        return mask_default(v, n, out);
    }
    for (int64_t i = 0; i < n; i++) {
        out[i] = i < end || is_separator(v[i]) ? v[i] : WIDE_STAR;
    }
    return n;
}

/* masking.mask for a masker other than MASK_GIVEN (``out``: room for n + 8): a mask that
 * changes nothing falls back to mask_default; NOT_MINE for a date cell it does not read. */
static int64_t mask_points(int masker, const uint32_t *v, int64_t n, uint32_t *out) {
    if (n == 0) {
        return 0;
    }
    int64_t m;
    switch (masker) {
    case MASK_PHONE: m = mask_phone(v, n, out); break;
    case MASK_LAST_FOUR: m = keep_digits(v, n, 0, 4, out); break;
    case MASK_EMAIL: m = mask_email(v, n, out); break;
    case MASK_NAME: m = mask_name(v, n, out); break;
    case MASK_BIRTH_DATE: m = mask_birth_date(v, n, out); break;
    case MASK_ADDRESS: m = mask_address(v, n, out); break;
    default: return mask_default(v, n, out);
    }
    if (m == NOT_MINE) {
        return m;
    }
    if (m == n && memcmp(v, out, (size_t)n * sizeof(uint32_t)) == 0) {
        m = mask_default(v, n, out);
    }
    return m;
}

/* --- The lines ------------------------------------------------------------------------------ */

typedef struct {
    uint32_t *value;
    uint32_t *masked;
    int64_t room;
} Points;

static int points_fit(Points *p, int64_t n) {
    if (n + 8 <= p->room) {
        return 0;
    }
    int64_t room = n + 8 > 2 * p->room ? n + 8 : 2 * p->room;
    if ((uint64_t)room > SIZE_MAX / sizeof(uint32_t)) {
        return -1;
    }
    uint32_t *value = realloc(p->value, (size_t)room * sizeof(uint32_t));
    if (value == NULL) {
        return -1;
    }
    p->value = value;
    uint32_t *masked = realloc(p->masked, (size_t)room * sizeof(uint32_t));
    if (masked == NULL) {
        return -1;
    }
    p->masked = masked;
    p->room = room;
    return 0;
}

enum { OK = 0, E_MEMORY, E_NULL, E_UTF8, E_SHAPE, E_NOT_MINE };

typedef struct {
    const uint8_t **pieces;
    const size_t *piece_sizes;
    const int *slots;
    int n_slots;
    int masker;
} Template;

static int write_lines(const Template *t, const Column *rows, const Column *values,
                       const Column *masks, Buffer *out) {
    Cursor at_row = {rows, 0, 0}, at_value = {values, 0, 0}, at_mask = {masks, 0, 0};
    Points points = {NULL, NULL, 0};
    int status = OK;
    for (int64_t cell = 0; cell < values->length; cell++) {
        const Chunk *row_chunk = cursor_chunk(&at_row);
        const Chunk *value_chunk = cursor_chunk(&at_value);
        const Chunk *mask_chunk = masks != NULL ? cursor_chunk(&at_mask) : NULL;
        if (row_chunk == NULL || value_chunk == NULL || (masks != NULL && mask_chunk == NULL)) {
            status = E_SHAPE;
            break;
        }
        int64_t row = 0;
        int has_row = chunk_number(row_chunk, at_row.i++, &row);
        const uint8_t *value, *given = NULL;
        int64_t size, given_size = 0;
        int got = chunk_cell(value_chunk, at_value.i++, &value, &size);
        if (got < 0) {
            status = E_SHAPE;
            break;
        }
        if (got == 0) { /* the polars path writes an empty line then: left to it */
            status = E_NULL;
            break;
        }
        if (mask_chunk != NULL) {
            got = chunk_cell(mask_chunk, at_mask.i++, &given, &given_size);
            if (got < 0 || (got == 0 && t->masker == MASK_GIVEN)) {
                status = got < 0 ? E_SHAPE : E_NULL;
                break;
            }
            if (got == 0) {
                given = NULL; /* MASK_BIRTH_DATE, MASK_ADDRESS: a cell the kernel masks */
            }
        }
        int64_t n = 0, m = 0;
        if (given == NULL) {
            if (points_fit(&points, size) != 0) {
                status = E_MEMORY;
                break;
            }
            n = utf8_decode(value, size, points.value);
            if (n < 0) {
                status = E_UTF8;
                break;
            }
            m = mask_points(t->masker, points.value, n, points.masked);
            if (m == NOT_MINE) {
                status = E_NOT_MINE;
                break;
            }
        }
        if (write_bytes(out, t->pieces[0], t->piece_sizes[0]) != 0) {
            status = E_MEMORY;
            break;
        }
        for (int s = 0; s < t->n_slots && status == OK; s++) {
            int failed;
            switch (t->slots[s]) {
            case 0: failed = write_row(out, has_row, row); break;
            case 1: failed = given != NULL ? write_json_utf8(out, given, given_size)
                                           : write_json_points(out, points.masked, m);
                    break;
            default: failed = write_json_utf8(out, value, size); break;
            }
            if (failed || write_bytes(out, t->pieces[s + 1], t->piece_sizes[s + 1]) != 0) {
                status = E_MEMORY;
            }
        }
        if (status != OK) {
            break;
        }
    }
    if (status == OK && (cursor_chunk(&at_value) != NULL || at_row.column->length != values->length
                         || (masks != NULL && masks->length != values->length))) {
        status = E_SHAPE;
    }
    free(points.value);
    free(points.masked);
    return status;
}


static PyObject *write_cells(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *pieces, *slots, *rows_capsule, *values_capsule, *masks_capsule;
    int masker, fd = -1;
    if (!PyArg_ParseTuple(args, "O!O!OOiO|i", &PyTuple_Type, &pieces, &PyTuple_Type, &slots,
                          &rows_capsule, &values_capsule, &masker, &masks_capsule, &fd)) {
        return NULL;
    }
    Py_ssize_t n_slots = PyTuple_GET_SIZE(slots);
    if (PyTuple_GET_SIZE(pieces) != n_slots + 1 || n_slots > 3) {
        PyErr_SetString(PyExc_ValueError, "pieces must be one more than slots (at most 3)");
        return NULL;
    }
    int with_masks = masks_capsule != Py_None;
    if (masker < MASK_DEFAULT || masker > MASK_ADDRESS
        || (masker == MASK_GIVEN && !with_masks)
        || (with_masks && masker != MASK_GIVEN && masker != MASK_BIRTH_DATE
            && masker != MASK_ADDRESS)) {
        PyErr_SetString(PyExc_ValueError,
                        "masks go with MASK_GIVEN (all), MASK_BIRTH_DATE and MASK_ADDRESS (some)");
        return NULL;
    }
    const uint8_t *piece_data[4];
    size_t piece_sizes[4];
    int slot_numbers[3];
    for (Py_ssize_t i = 0; i <= n_slots; i++) {
        PyObject *piece = PyTuple_GET_ITEM(pieces, i);
        if (!PyBytes_Check(piece)) {
            PyErr_SetString(PyExc_TypeError, "pieces are bytes");
            return NULL;
        }
        piece_data[i] = (const uint8_t *)PyBytes_AS_STRING(piece);
        piece_sizes[i] = (size_t)PyBytes_GET_SIZE(piece);
    }
    for (Py_ssize_t i = 0; i < n_slots; i++) {
        long slot = PyLong_AsLong(PyTuple_GET_ITEM(slots, i));
        if (slot < 0 || slot > 2) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_ValueError, "slots are 0 (row), 1 (masked), 2 (value)");
            }
            return NULL;
        }
        slot_numbers[i] = (int)slot;
    }
    Template t = {piece_data, piece_sizes, slot_numbers, (int)n_slots, masker};
    Column rows, values, masks;
    if (column_of(rows_capsule, &rows, 1) != 0) {
        return NULL;
    }
    if (column_of(values_capsule, &values, 0) != 0) {
        column_free(&rows);
        return NULL;
    }
    if (with_masks && column_of(masks_capsule, &masks, 0) != 0) {
        column_free(&rows);
        column_free(&values);
        return NULL;
    }
    Target target = target_of(fd);
    Buffer out;
    int status = buffer_take(&out, target.head) != 0 ? E_MEMORY : OK;
    if (status == OK) {
        Py_BEGIN_ALLOW_THREADS
        status = write_lines(&t, &rows, &values, with_masks ? &masks : NULL, &out);
        Py_END_ALLOW_THREADS
    }
    column_free(&rows);
    column_free(&values);
    if (with_masks) {
        column_free(&masks);
    }
    PyObject *result = NULL;
    switch (status) {
    case OK: result = hand_over(&out, &target); break;
    case E_MEMORY: PyErr_NoMemory(); break;
    case E_NULL: PyErr_SetString(PyExc_ValueError, "a null cell"); break;
    case E_UTF8: PyErr_SetString(PyExc_ValueError, "a cell that is not UTF-8"); break;
    case E_NOT_MINE: PyErr_SetString(PyExc_ValueError, "a cell whose mask must be given"); break;
    default: PyErr_SetString(PyExc_ValueError, "rows, cells and masks differ in length or shape");
    }
    buffer_give_back(&out);
    return result;
}

/* --- The free-text findings (write_matches) ------------------------------------------------ */

/* A non-negative or negative integer as its decimal digits (start and end offsets). */
static int write_number(Buffer *b, int64_t number) {
    return write_row(b, 1, number);
}

/* The templates of the categories met in one call: what follows the row in a match's line,
 * as pieces between the fields (1 masked, 2 value, 3 start, 4 end), and the category's rule. */
typedef struct {
    const uint8_t *pieces[5];
    size_t piece_sizes[5];
    int slots[4];
    int n_slots;
    int masker;
} MatchTemplate;

static int match_templates(PyObject *templates, MatchTemplate **out, Py_ssize_t *count) {
    if (!PyTuple_Check(templates)) {
        PyErr_SetString(PyExc_TypeError, "templates is a tuple");
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(templates);
    MatchTemplate *all = calloc((size_t)(n ? n : 1), sizeof(MatchTemplate));
    if (all == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pieces, *slots;
        int masker;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(templates, k), "O!O!i", &PyTuple_Type, &pieces,
                              &PyTuple_Type, &slots, &masker)) {
            free(all);
            return -1;
        }
        Py_ssize_t n_slots = PyTuple_GET_SIZE(slots);
        if (PyTuple_GET_SIZE(pieces) != n_slots + 1 || n_slots > 4 || masker < MASK_DEFAULT
            || masker > MASK_ADDRESS) {
            PyErr_SetString(PyExc_ValueError,
                            "a template: one more piece than slots (at most 4), a masker");
            free(all);
            return -1;
        }
        all[k].n_slots = (int)n_slots;
        all[k].masker = masker;
        for (Py_ssize_t i = 0; i <= n_slots; i++) {
            PyObject *piece = PyTuple_GET_ITEM(pieces, i);
            if (!PyBytes_Check(piece)) {
                PyErr_SetString(PyExc_TypeError, "pieces are bytes");
                free(all);
                return -1;
            }
            all[k].pieces[i] = (const uint8_t *)PyBytes_AS_STRING(piece);
            all[k].piece_sizes[i] = (size_t)PyBytes_GET_SIZE(piece);
        }
        for (Py_ssize_t i = 0; i < n_slots; i++) {
            long slot = PyLong_AsLong(PyTuple_GET_ITEM(slots, i));
            if (slot < 1 || slot > 4) {
                if (!PyErr_Occurred()) {
                    PyErr_SetString(PyExc_ValueError,
                                    "slots after the row are 1 (masked), 2 (value), 3 (start), 4 (end)");
                }
                free(all);
                return -1;
            }
            all[k].slots[i] = (int)slot;
        }
    }
    *out = all;
    *count = n;
    return 0;
}

static int list_int(PyObject *list, Py_ssize_t i, int64_t *value) {
    PyObject *item = PyList_GET_ITEM(list, i);
    if (!PyLong_CheckExact(item)) {
        PyErr_SetString(PyExc_ValueError, "a number that is not an int");
        return -1;
    }
    long long v = PyLong_AsLongLong(item);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    *value = (int64_t)v;
    return 0;
}

/* One match's part of a line (everything after the row), appended to ``tails``: its mask by
 * the category's rule, or ``given`` (a str) when the rule is MASK_GIVEN, or by calling
 * ``fallback(k, value)`` for a value the rule does not read. */
static int match_tail(Buffer *tails, const MatchTemplate *t, Py_ssize_t k, PyObject *value,
                      PyObject *given, int64_t start, int64_t end, PyObject *fallback,
                      Points *points) {
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(value, &size);
    if (utf8 == NULL) {
        return -1;
    }
    PyObject *masked_str = NULL; /* a mask made in Python */
    int64_t m = 0;
    if (given != Py_None) {
        masked_str = given;
        Py_INCREF(masked_str);
    } else if (t->masker == MASK_GIVEN) {
        PyErr_SetString(PyExc_ValueError, "a mask must be given for this category");
        return -1;
    } else {
        if (points_fit(points, size) != 0) {
            PyErr_NoMemory();
            return -1;
        }
        int64_t n = utf8_decode((const uint8_t *)utf8, size, points->value);
        if (n < 0) {
            PyErr_SetString(PyExc_ValueError, "a value that is not UTF-8");
            return -1;
        }
        m = mask_points(t->masker, points->value, n, points->masked);
        if (m == NOT_MINE) {
            masked_str = PyObject_CallFunction(fallback, "nO", k, value);
            if (masked_str == NULL) {
                return -1;
            }
        }
    }
    const char *masked_utf8 = NULL;
    Py_ssize_t masked_size = 0;
    if (masked_str != NULL) {
        if (!PyUnicode_Check(masked_str)
            || (masked_utf8 = PyUnicode_AsUTF8AndSize(masked_str, &masked_size)) == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "a mask is a str");
            }
            Py_DECREF(masked_str);
            return -1;
        }
    }
    int failed = write_bytes(tails, t->pieces[0], t->piece_sizes[0]);
    for (int s = 0; s < t->n_slots && !failed; s++) {
        switch (t->slots[s]) {
        case 1: failed = masked_utf8 != NULL
                    ? write_json_utf8(tails, (const uint8_t *)masked_utf8, masked_size)
                    : write_json_points(tails, points->masked, m);
                break;
        case 2: failed = write_json_utf8(tails, (const uint8_t *)utf8, size); break;
        case 3: failed = write_number(tails, start); break;
        default: failed = write_number(tails, end); break;
        }
        failed = failed || write_bytes(tails, t->pieces[s + 1], t->piece_sizes[s + 1]);
    }
    Py_XDECREF(masked_str);
    if (failed) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* write_matches(head, templates, rows, cell_of_row, first_match, categories, starts, ends,
 * values, given, fallback[, fd]) -> bytes (or with fd: written there). Each distinct cell's matches (first_match[d] up to
 * first_match[d + 1] in the flat lists) are made into the part of their lines after the row
 * once; then each record (rows[i], holding the distinct cell cell_of_row[i]) gets head, its row
 * and that part. The lines _FindingsSink.write gives for each match of each record. */
static PyObject *write_matches(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *head, *templates, *rows, *cell_of_row, *first_match, *categories, *starts, *ends,
        *values, *given, *fallback;
    int fd = -1;
    if (!PyArg_ParseTuple(args, "O!OO!O!O!O!O!O!O!O!O|i", &PyBytes_Type, &head, &templates,
                          &PyList_Type, &rows, &PyList_Type, &cell_of_row, &PyList_Type,
                          &first_match, &PyList_Type, &categories, &PyList_Type, &starts,
                          &PyList_Type, &ends, &PyList_Type, &values, &PyList_Type, &given,
                          &fallback, &fd)) {
        return NULL;
    }
    Py_ssize_t n_rows = PyList_GET_SIZE(rows), n_cells = PyList_GET_SIZE(first_match) - 1;
    Py_ssize_t n_matches = PyList_GET_SIZE(categories);
    if (PyList_GET_SIZE(cell_of_row) != n_rows || n_cells < 0
        || PyList_GET_SIZE(starts) != n_matches || PyList_GET_SIZE(ends) != n_matches
        || PyList_GET_SIZE(values) != n_matches || PyList_GET_SIZE(given) != n_matches) {
        PyErr_SetString(PyExc_ValueError, "the lists differ in length");
        return NULL;
    }
    MatchTemplate *all = NULL;
    Py_ssize_t n_templates = 0;
    if (match_templates(templates, &all, &n_templates) != 0) {
        return NULL;
    }
    Target target = target_of(fd);
    Buffer tails = {NULL, 0, 0}, out;
    int no_room = buffer_take(&out, target.head);
    Points points = {NULL, NULL, 0};
    /* where each match's part of its line ends in ``tails``, and each cell's first match */
    size_t *tail_end = malloc(((size_t)n_matches + 1) * sizeof(size_t));
    int64_t *first = malloc(((size_t)n_cells + 1) * sizeof(int64_t));
    PyObject *result = NULL;
    if (tail_end == NULL || first == NULL || no_room) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t d = 0; d <= n_cells; d++) {
        if (list_int(first_match, d, &first[d]) != 0) {
            goto done;
        }
        if ((d == 0 && first[d] != 0) || (d > 0 && first[d] < first[d - 1])
            || (d == n_cells && first[d] != n_matches)) {
            PyErr_SetString(PyExc_ValueError, "first_match is not a run of the matches");
            goto done;
        }
    }
    for (Py_ssize_t j = 0; j < n_matches; j++) {
        int64_t k, start, end;
        if (list_int(categories, j, &k) != 0 || list_int(starts, j, &start) != 0
            || list_int(ends, j, &end) != 0) {
            goto done;
        }
        PyObject *value = PyList_GET_ITEM(values, j);
        if (k < 0 || k >= n_templates || !PyUnicode_Check(value)) {
            PyErr_SetString(PyExc_ValueError, "a match of no template, or not a str");
            goto done;
        }
        if (match_tail(&tails, &all[k], (Py_ssize_t)k, value, PyList_GET_ITEM(given, j), start,
                       end, fallback, &points) != 0) {
            goto done;
        }
        tail_end[j] = tails.size;
    }
    const uint8_t *head_data = (const uint8_t *)PyBytes_AS_STRING(head);
    size_t head_size = (size_t)PyBytes_GET_SIZE(head);
    for (Py_ssize_t i = 0; i < n_rows; i++) {
        int64_t d, row = 0;
        if (list_int(cell_of_row, i, &d) != 0) {
            goto done;
        }
        int has_row = PyList_GET_ITEM(rows, i) != Py_None;
        if (has_row && list_int(rows, i, &row) != 0) {
            goto done;
        }
        if (d < 0 || d >= n_cells) {
            PyErr_SetString(PyExc_ValueError, "a record of no cell");
            goto done;
        }
        for (int64_t j = first[d]; j < first[d + 1]; j++) {
            size_t from = j == 0 ? 0 : tail_end[j - 1];
            if (write_bytes(&out, head_data, head_size) != 0 || write_row(&out, has_row, row) != 0
                || write_bytes(&out, tails.data + from, tail_end[j] - from) != 0) {
                PyErr_NoMemory();
                goto done;
            }
        }
    }
    result = hand_over(&out, &target);
done:
    free(all);
    free(tail_end);
    free(first);
    free(tails.data);
    buffer_give_back(&out);
    free(points.value);
    free(points.masked);
    return result;
}

/* date_keys(cells) -> list: birth_date.normalise_value of each NFKC cell that is a real date
 * as birth_date.parse reads it (ISO 8601, 1985-04-01), None for the others (not a date, a
 * character outside date_char, a null cell): they keep the Python path. */
static PyObject *date_keys(PyObject *self, PyObject *capsule) {
    (void)self;
    Column cells;
    if (column_of(capsule, &cells, 0) != 0) {
        return NULL;
    }
    int64_t length = cells.length;
    int64_t *dates = malloc(((size_t)length + 1) * sizeof(int64_t));
    Points points = {NULL, NULL, 0};
    int status = dates == NULL ? E_MEMORY : OK;
    Py_BEGIN_ALLOW_THREADS
    Cursor at = {&cells, 0, 0};
    for (int64_t i = 0; i < cells.length && status == OK; i++) {
        const Chunk *chunk = cursor_chunk(&at);
        const uint8_t *value;
        int64_t size;
        int got = chunk == NULL ? -1 : chunk_cell(chunk, at.i++, &value, &size);
        if (got < 0) {
            status = E_SHAPE;
            break;
        }
        dates[i] = 0;
        if (got == 0) {
            continue;
        }
        if (points_fit(&points, size) != 0) {
            status = E_MEMORY;
            break;
        }
        int64_t n = utf8_decode(value, size, points.value);
        int64_t date = n < 0 ? 0 : read_birth_date(points.value, n, points.masked);
        dates[i] = date == NOT_MINE ? 0 : date;
    }
    Py_END_ALLOW_THREADS
    column_free(&cells);
    free(points.value);
    free(points.masked);
    PyObject *keys = NULL;
    if (status == OK) {
        keys = PyList_New((Py_ssize_t)length);
    }
    for (int64_t i = 0; keys != NULL && i < length; i++) {
        PyObject *key;
        if (dates[i] == 0) {
            key = Py_None;
            Py_INCREF(key);
        } else {
            char iso[16];
            snprintf(iso, sizeof(iso), "%04d-%02d-%02d", (int)(dates[i] / 10000),
                     (int)(dates[i] / 100 % 100), (int)(dates[i] % 100));
            key = PyUnicode_FromStringAndSize(iso, 10);
            if (key == NULL) {
                Py_CLEAR(keys);
                break;
            }
        }
        PyList_SET_ITEM(keys, (Py_ssize_t)i, key);
    }
    free(dates);
    if (status == E_MEMORY) {
        return PyErr_NoMemory();
    }
    if (status != OK) {
        PyErr_SetString(PyExc_ValueError, "a column of another shape");
    }
    return keys;
}

/* mask(masker, value) -> str: the kernel's mask of one value (for the tests). */
static PyObject *mask(PyObject *self, PyObject *args) {
    (void)self;
    int masker;
    const char *text;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "is#", &masker, &text, &size)) {
        return NULL;
    }
    if (masker < MASK_DEFAULT || masker > MASK_ADDRESS || masker == MASK_GIVEN) {
        PyErr_SetString(PyExc_ValueError, "no such masker");
        return NULL;
    }
    Points points = {NULL, NULL, 0};
    if (points_fit(&points, size) != 0) {
        return PyErr_NoMemory();
    }
    PyObject *result = NULL;
    int64_t n = utf8_decode((const uint8_t *)text, size, points.value);
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "not UTF-8");
    } else {
        int64_t m = mask_points(masker, points.value, n, points.masked);
        if (m == NOT_MINE) {
            PyErr_SetString(PyExc_ValueError, "a cell the kernel does not mask");
        } else {
            result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, points.masked, m);
        }
    }
    free(points.value);
    free(points.masked);
    return result;
}

/* direct_writes([from_bytes]) -> (from_bytes, written): the size of a call's lines from which
 * their whole blocks go past the page cache, set when given (the one before is returned), and
 * the bytes written so (counted with the GIL released: a figure, not an account). */
static PyObject *direct_writes(PyObject *self, PyObject *args) {
    (void)self;
    Py_ssize_t from = -1;
    if (!PyArg_ParseTuple(args, "|n", &from)) {
        return NULL;
    }
    size_t before = direct_min;
    if (from >= 0) {
        direct_min = (size_t)from;
    }
    return Py_BuildValue("(nK)", (Py_ssize_t)before, direct_total);
}

static PyMethodDef methods[] = {
    {"direct_writes", direct_writes, METH_VARARGS,
     "direct_writes([from_bytes]) -> (from_bytes, written): the size of a call's lines from "
     "which their whole blocks are written past the page cache (O_DIRECT), set when given (the "
     "one before returned), and the bytes written so by this process."},
    {"write_cells", write_cells, METH_VARARGS,
     "write_cells(pieces, slots, rows, cells, masker, masks[, fd]) -> bytes: the JSON lines of "
     "a column's whole-cell findings (rows: an Int64 Arrow stream; cells, masks: string streams; "
     "masks: every cell's for MASK_GIVEN, those date_char does not read for MASK_BIRTH_DATE "
     "(null for the others), else None); with fd, written to that file (nothing if a cell "
     "fails) and their size returned."},
    {"write_matches", write_matches, METH_VARARGS,
     "write_matches(head, templates, rows, cell_of_row, first_match, categories, starts, ends, "
     "values, given, fallback[, fd]) -> bytes: the JSON lines of the matches in a free-text "
     "column's "
     "cells (templates: per category (pieces, slots, masker) after the row; given: a mask or "
     "None per match; fallback(k, value) -> str masks a value the rule does not read); with "
     "fd, written to that file and their size returned."},
    {"mask", mask, METH_VARARGS, "mask(masker, value) -> str: masking.mask by the kernel."},
    {"date_keys", date_keys, METH_O,
     "date_keys(cells) -> list: birth_date.normalise_value (ISO 8601) of each NFKC cell of a "
     "string Arrow stream that is a real date, None for the others."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_cellwriter",
    .m_doc = "The whole-cell findings writer of the scanner.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__cellwriter(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddIntConstant(m, "MASK_DEFAULT", MASK_DEFAULT) < 0
        || PyModule_AddIntConstant(m, "MASK_PHONE", MASK_PHONE) < 0
        || PyModule_AddIntConstant(m, "MASK_LAST_FOUR", MASK_LAST_FOUR) < 0
        || PyModule_AddIntConstant(m, "MASK_EMAIL", MASK_EMAIL) < 0
        || PyModule_AddIntConstant(m, "MASK_NAME", MASK_NAME) < 0
        || PyModule_AddIntConstant(m, "MASK_GIVEN", MASK_GIVEN) < 0
        || PyModule_AddIntConstant(m, "MASK_BIRTH_DATE", MASK_BIRTH_DATE) < 0
        || PyModule_AddIntConstant(m, "MASK_ADDRESS", MASK_ADDRESS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
