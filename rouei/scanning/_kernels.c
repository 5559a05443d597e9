/* Compiled column kernels of the scanner (rouei.scanning.kernels is their Python face).
 *
 * Each kernel takes a column of strings as an Arrow C stream (the PyCapsule that
 * polars.Series.__arrow_c_stream__ returns: zero-copy, string views "vu", or "u" / "U"), walks
 * its cells once, and gives back either a new column of strings as an Arrow C stream (string
 * views, one chunk) or one byte per cell. What each computes is the Python function named in
 * its comment; tests/scanning/test_kernels.py checks them against each other on random cells.
 *
 * The cells come from leaked files, so from anyone: every read is bounds-checked against the
 * lengths Arrow gives, and output buffers grow with checked sizes.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "_arrow_views.h" /* the input columns and the output views */

/* --- Kernels ----------------------------------------------------------------------------- */

/* The Python functions of the module: kernel_NAME(stream) runs a Transform or a Test. */
#define MAP_KERNEL(name, transform)                                              \
    static PyObject *kernel_##name(PyObject *self, PyObject *capsule) {          \
        (void)self;                                                              \
        return map_cells(capsule, transform);                                    \
    }
#define TEST_KERNEL(name, test)                                                  \
    static PyObject *kernel_##name(PyObject *self, PyObject *capsule) {          \
        (void)self;                                                              \
        return test_cells(capsule, test);                                        \
    }


/* 番地, 丁目, 番, 号 (detectors.address.BLOCK_SUFFIXES, the longer first) as 24-bit UTF-8 codes:
 * a character is compared as one number (kanji lead bytes vary too much for branches on them). */
#define U_BAN 0xE795AAu   /* 番 */
#define U_CHI 0xE59CB0u   /* 地 */
#define U_CHO 0xE4B881u   /* 丁 */
#define U_ME 0xE79BAEu    /* 目 */
#define U_GO 0xE58FB7u    /* 号 */

static inline int is_digit(uint8_t c) {
    return c >= '0' && c <= '9';
}

static inline uint32_t char3(const uint8_t *p) {
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* The first position at or after i that is not a space (n if none). */
static inline int64_t skip_spaces(const uint8_t *s, int64_t i, int64_t n) {
    while (i < n && s[i] == ' ') {
        i++;
    }
    return i;
}

/* detectors.address.normalise_value of an NFKC cell: no spaces; a block suffix becomes "-"
 * before a digit and goes elsewhere; runs of "-" become one; no "-" at the end. Spaces go
 * first in the Python function, so the second half of a suffix (番 地) and the digit after
 * one are looked for past any spaces. */
static int64_t address_key(const uint8_t *s, int64_t n, uint8_t *out) {
    int64_t w = 0;
    for (int64_t i = 0; i < n;) {
        uint8_t c = s[i];
        if (c >= 0xE0 && c < 0xF0 && i + 3 <= n) { /* a three-byte character (kanji, kana) */
            uint32_t ch = char3(s + i);
            int64_t end = 0; /* where the suffix starting here ends */
            if (ch == U_BAN || ch == U_CHO) {
                int64_t next = skip_spaces(s, i + 3, n);
                int pair = next + 3 <= n
                           && char3(s + next) == (ch == U_BAN ? U_CHI : U_ME);
                end = pair ? next + 3 : (ch == U_BAN ? i + 3 : 0);
            } else if (ch == U_GO) {
                end = i + 3;
            }
            if (end) {
                i = skip_spaces(s, end, n);
                if (i < n && is_digit(s[i]) && !(w > 0 && out[w - 1] == '-')) {
                    out[w++] = '-';
                }
                continue;
            }
            memcpy(out + w, s + i, 3);
            w += 3;
            i += 3;
            continue;
        }
        i++;
        if (c == ' ' || (c == '-' && w > 0 && out[w - 1] == '-')) {
            continue;
        }
        out[w++] = c;
    }
    while (w > 0 && out[w - 1] == '-') {
        w--;
    }
    return w;
}

MAP_KERNEL(address_keys, address_key)

/* The length of the white space character (Python's str.isspace) that starts at s[i], or 0. */
static inline int64_t space_at(const uint8_t *s, int64_t i, int64_t n) {
    uint8_t c = s[i];
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) {
        return 1;
    }
    if (c < 0xC2 || c > 0xE3) {
        return 0;
    }
    if (c == 0xC2 && i + 2 <= n && (s[i + 1] == 0x85 || s[i + 1] == 0xA0)) {
        return 2;
    }
    if (i + 3 <= n && (c == 0xE1 || c == 0xE2 || c == 0xE3)) {
        uint32_t ch = char3(s + i);
        if (ch == 0xE19A80u || (ch >= 0xE28080u && ch <= 0xE2808Au) || ch == 0xE280A8u
            || ch == 0xE280A9u || ch == 0xE280AFu || ch == 0xE2819Fu || ch == 0xE38080u) {
            return 3;
        }
    }
    return 0;
}

/* The length of the white space character that ends s[0:n], or 0. */
static int64_t space_before(const uint8_t *s, int64_t n) {
    for (int64_t size = 1; size <= 3 && size <= n; size++) {
        if ((size == 1 || (s[n - size] & 0xC0) != 0x80) && space_at(s, n - size, n) == size) {
            return size;
        }
    }
    return 0;
}

/* detectors.person_name.normalise_value of an NFKC cell: no spaces (" ", U+3000) or middle dots
 * (・), then no white space at either end. */
static int64_t name_key(const uint8_t *s, int64_t n, uint8_t *out) {
    int64_t w = 0;
    for (int64_t i = 0; i < n;) {
        uint8_t c = s[i];
        if (c == 0xE3 && i + 3 <= n) {
            uint32_t ch = char3(s + i);
            if (ch != 0xE383BBu && ch != 0xE38080u) { /* ・, U+3000 */
                memcpy(out + w, s + i, 3);
                w += 3;
            }
            i += 3;
            continue;
        }
        if (c != ' ') {
            out[w++] = c;
        }
        i++;
    }
    int64_t start = 0, size;
    while (start < w && (size = space_at(out, start, w)) > 0) {
        start += size;
    }
    while (w > start && (size = space_before(out, w)) > 0) {
        w -= size;
    }
    if (start > 0) {
        memmove(out, out + start, (size_t)(w - start));
    }
    return w - start;
}

MAP_KERNEL(name_keys, name_key)

/* detectors.credit_card and my_number normalise_value (digits_of) of an NFKC cell: its ASCII
 * digits. */
static int64_t digit_key(const uint8_t *s, int64_t n, uint8_t *out) {
    int64_t w = 0;
    for (int64_t i = 0; i < n; i++) {
        if (is_digit(s[i])) {
            out[w++] = s[i];
        }
    }
    return w;
}

MAP_KERNEL(digit_keys, digit_key)

/* The key of a phone number written with digits and hyphens only (most are): its digits
 * (detectors.phone.normalise_value); null for any other cell (+81, brackets, spaces: the
 * engine's regular expressions take those). */
static int64_t plain_phone_key(const uint8_t *s, int64_t n, uint8_t *out) {
    for (int64_t i = 0; i < n; i++) {
        if (!is_digit(s[i]) && s[i] != '-') {
            return -1;
        }
    }
    return digit_key(s, n, out);
}

MAP_KERNEL(plain_phone_keys, plain_phone_key)

/* The key of an ASCII e-mail address: lower case (detectors.email.normalise_value); null for
 * a cell with other characters (polars' Unicode lower case takes those). */
static int64_t ascii_email_key(const uint8_t *s, int64_t n, uint8_t *out) {
    for (int64_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c >= 0x80) {
            return -1;
        }
        out[i] = c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
    }
    return n;
}

MAP_KERNEL(ascii_email_keys, ascii_email_key)

static int days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) {
        return 29;
    }
    return days[month - 1];
}

static inline int is_date_separator(uint8_t c) {
    return c == '/' || c == '.' || c == '-';
}

/* The key of a birth date written 1985/04/01, 1985-04-01 or 1985.04.01 (four, two and two
 * digits; the engine's _PADDED_DATE): 1985-04-01 if the day exists, else the cell as it is;
 * null for any other shape (the engine's slower ways take those). */
static int64_t padded_date_key(const uint8_t *s, int64_t n, uint8_t *out) {
    if (n != 10 || s[0] < '1' || s[0] > '9' || !is_digit(s[1]) || !is_digit(s[2])
        || !is_digit(s[3]) || !is_date_separator(s[4]) || !is_digit(s[5]) || !is_digit(s[6])
        || !is_date_separator(s[7]) || !is_digit(s[8]) || !is_digit(s[9])) {
        return -1;
    }
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    memcpy(out, s, 10);
    if (month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month)) {
        out[4] = out[7] = '-';
    }
    return 10;
}

MAP_KERNEL(padded_date_keys, padded_date_key)

/* detectors.credit_card.validate of an NFKC cell: its ASCII digits fit a brand's IIN range and
 * length, are not one digit repeated, and pass Luhn (ISO/IEC 7812-1 Annex B). */
static uint8_t card_valid(const uint8_t *s, int64_t size) {
    uint8_t digits[19];
    int n = 0;
    for (int64_t i = 0; i < size; i++) {
        if (is_digit(s[i])) {
            if (n == 19) {
                return 0;
            }
            digits[n++] = (uint8_t)(s[i] - '0');
        }
    }
    if (n < 13) {
        return 0;
    }
    int p2 = digits[0] * 10 + digits[1];
    int p3 = p2 * 10 + digits[2];
    int p4 = p3 * 10 + digits[3];
    int p6 = (p4 * 10 + digits[4]) * 10 + digits[5];
    int brand = (digits[0] == 4 && (n == 13 || n == 16 || n == 19))             /* Visa */
                || (n == 16 && ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)))
                || (n == 15 && (p2 == 34 || p2 == 37))                          /* Amex */
                || (n >= 16 && p4 >= 3528 && p4 <= 3589)                        /* JCB */
                || (n >= 14 && (p2 == 36 || p2 == 38 || p2 == 39 || (p3 >= 300 && p3 <= 305)
                                || p4 == 3095))                                 /* Diners */
                || (n >= 16 && (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)
                                || (p6 >= 622126 && p6 <= 622925)))             /* Discover */
                || (n >= 16 && p2 == 62);                                       /* UnionPay */
    if (!brand) {
        return 0;
    }
    int repeated = 1;
    for (int i = 1; i < n; i++) {
        repeated &= digits[i] == digits[0];
    }
    if (repeated) {
        return 0;
    }
    static const int doubled[] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
    int total = 0;
    for (int i = n - 1, k = 0; i >= 0; i--, k++) {
        total += k & 1 ? doubled[digits[i]] : digits[i];
    }
    return total % 10 == 0;
}

TEST_KERNEL(card_valid, card_valid)

static inline int is_space_byte(uint8_t c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

/* The three-byte (BMP) characters that NFKC and the dash and space folding leave as they are:
 * 々〆〇, hiragana, katakana with ー (but see may_change), CJK Extension A and the unified
 * ideographs. One bit per code point, set by unchanged_init when the module loads. */
static uint8_t UNCHANGED3[0x10000 / 8];

static void unchanged_set(uint32_t lo, uint32_t hi) {
    for (uint32_t cp = lo; cp <= hi; cp++) {
        UNCHANGED3[cp >> 3] |= (uint8_t)(1u << (cp & 7));
    }
}

static void unchanged_init(void) {
    unchanged_set(0x3005, 0x3007);
    unchanged_set(0x3041, 0x3096);
    unchanged_set(0x30A1, 0x30FA);
    unchanged_set(0x30FC, 0x30FC);
    unchanged_set(0x3400, 0x4DBF);
    unchanged_set(0x4E00, 0x9FFF);
}

/* The cells that normalise.normalise_column may change: a character other than ASCII and the
 * UNCHANGED3 ones, ー between digits (the other dashes are outside those already), or white
 * space at either end (the Unicode White_Space outside ASCII is outside those too). */
static uint8_t may_change(const uint8_t *s, int64_t n) {
    if (n > 0 && (is_space_byte(s[0]) || is_space_byte(s[n - 1]))) {
        return 1;
    }
    for (int64_t i = 0; i < n;) {
        uint64_t eight;
        if (i + 8 <= n && (memcpy(&eight, s + i, 8), (eight & 0x8080808080808080ull) == 0)) {
            i += 8; /* eight ASCII bytes */
            continue;
        }
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xF0) != 0xE0 || i + 3 > n) {
            return 1; /* two- and four-byte characters are all outside */
        }
        uint32_t cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6
                      | (uint32_t)(s[i + 2] & 0x3F);
        if (!((UNCHANGED3[cp >> 3] >> (cp & 7)) & 1)) {
            return 1;
        }
        if (cp == 0x30FC && i > 0 && i + 3 < n && is_digit(s[i - 1]) && is_digit(s[i + 3])) {
            return 1;
        }
        i += 3;
    }
    return 0;
}

TEST_KERNEL(may_change, may_change)

/* --- The registry's address form (identity.conservative_address) ------------------------
 *
 * registry_address_key(cell) is identity.conservative_address of an NFKC cell, without its
 * last NFKC (kernels.registry_address_keys redoes that for the few keys that may need it):
 * the same rules in the same order, each a pass from one scratch buffer to the other. Where
 * the Python rules are regular expressions, the comment of each pass says what a match is. */

/* Python's str.isspace, the \s of its regular expressions: space_at. The prefectures
 * (identity._PREFECTURES), 3 or 4 kanji each. */
static const char *const PREFECTURES[] = {
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
};

/* The length of the UTF-8 character that starts with byte c (a valid string: Arrow's). */
static inline int64_t char_size(uint8_t c) {
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The code point at s[i] (0 past the end). */
static inline uint32_t code_at(const uint8_t *s, int64_t i, int64_t n) {
    if (i < 0 || i >= n) {
        return 0;
    }
    uint8_t c = s[i];
    int64_t size = char_size(c);
    if (i + size > n) {
        return 0xFFFD;
    }
    if (size == 1) {
        return c;
    }
    if (size == 2) {
        return (uint32_t)(c & 0x1F) << 6 | (s[i + 1] & 0x3F);
    }
    if (size == 3) {
        return (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
    }
    return (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12
           | (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
}

static inline int is_han(uint32_t cp) { /* [\u4e00-\u9fff] */
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

/* 〇一二三四五六七八九 as 0…9, 十百千 as 10, 100, 1000; -1 for any other character. */
static inline int kanji_numeral(uint32_t cp) {
    switch (cp) {
    case 0x3007: return 0;
    case 0x4E00: return 1;
    case 0x4E8C: return 2;
    case 0x4E09: return 3;
    case 0x56DB: return 4;
    case 0x4E94: return 5;
    case 0x516D: return 6;
    case 0x4E03: return 7;
    case 0x516B: return 8;
    case 0x4E5D: return 9;
    case 0x5341: return 10;
    case 0x767E: return 100;
    case 0x5343: return 1000;
    default: return -1;
    }
}

static inline int is_ascii_digit_cp(uint32_t cp) {
    return cp >= '0' && cp <= '9';
}

/* identity.DASHES (normalise.DASHES) */
static inline int is_dash(uint32_t cp) {
    return cp == 0x2010 || cp == 0x2012 || cp == 0x2013 || cp == 0x2014 || cp == 0x2015
           || cp == 0x2212 || cp == 0x30FC || cp == 0x2043 || cp == 0x02D7 || cp == 0x2796;
}

static inline int starts(const uint8_t *s, int64_t i, int64_t n, const char *text) {
    size_t size = strlen(text);
    return i + (int64_t)size <= n && memcmp(s + i, text, size) == 0;
}

/* kanjize.kanji2number of a run of 〇一二三四五六七八九十百千 (``codes``, ``count`` of them),
 * written as decimal digits at out; the length written, or -1 where kanjize raises ValueError.
 * kanjize reads the run as [a]千[b]百[c]十[d], each part up to the FIRST such unit, a part
 * being digits read as a decimal number ("" is 1), and a later part must stay below the unit
 * before it (kanjize.parse_short). Only the first part can be large: it is written as its
 * digits, the rest as a zero-padded remainder. */
static int64_t kanji_run_number(const int *codes, int64_t count, uint8_t *out) {
    static const int UNITS[3] = {1000, 100, 10};
    int64_t at = 0, w = 0;
    int first = 1;           /* no part read yet */
    int first_unit = 1;      /* the unit of the first part */
    int64_t remainder = 0;   /* the value of the later parts */
    int left_unit = 0;
    int64_t first_start = 0, first_end = 0, first_empty = 0;
    for (int u = 0; u <= 3; u++) {
        int unit = u < 3 ? UNITS[u] : 1;
        int64_t end = count;
        if (u < 3) {
            for (end = at; end < count && codes[end] != unit; end++) {
            }
            if (end == count) {
                continue; /* no such unit: the part is None */
            }
        } else if (at == count) {
            break; /* nothing left: no ones */
        }
        /* the part codes[at:end] */
        int64_t value = 0;
        for (int64_t k = at; k < end; k++) {
            if (codes[k] >= 10) {
                return -1; /* a unit inside a part: int() of it fails */
            }
            if (value < 1000000) {
                value = value * 10 + codes[k];
            }
        }
        if (end == at) {
            value = 1;
        }
        if (left_unit && left_unit <= value * unit) {
            return -1;
        }
        if (first) {
            first = 0;
            first_unit = unit;
            first_start = at;
            first_end = end;
            first_empty = end == at;
        } else {
            remainder += value * unit;
        }
        left_unit = unit;
        at = u < 3 ? end + 1 : end;
    }
    if (first) {
        return -1; /* cannot happen: a run is not empty */
    }
    /* the first part's digits without leading zeros ("" is 1) */
    int64_t k = first_start;
    while (k < first_end && codes[k] == 0) {
        k++;
    }
    if (first_empty) {
        out[w++] = '1';
    } else {
        for (; k < first_end; k++) {
            out[w++] = (uint8_t)('0' + codes[k]);
        }
    }
    if (w == 0) { /* the first part is zero: the remainder alone */
        w += sprintf((char *)out, "%lld", (long long)remainder);
        return w;
    }
    int places = first_unit == 1000 ? 3 : first_unit == 100 ? 2 : first_unit == 10 ? 1 : 0;
    if (places) {
        w += sprintf((char *)out + w, "%0*lld", places, (long long)remainder);
    }
    return w;
}

/* The three-byte character at s[i] as a 24-bit number (char3), 0 for any other. */
static inline uint32_t c3_at(const uint8_t *s, int64_t i, int64_t n) {
    return i >= 0 && i + 3 <= n && (s[i] & 0xF0) == 0xE0 ? char3(s + i) : 0;
}

#define C_CHO 0xE4B881u  /* 丁 */
#define C_ME 0xE79BAEu   /* 目 */
#define C_BAN 0xE795AAu  /* 番 */
#define C_CHI 0xE59CB0u  /* 地 */
#define C_GO 0xE58FB7u   /* 号 */
#define C_SHITSU 0xE5AEA4u /* 室 */
#define C_NO 0xE381AEu   /* の */
#define C_JO 0xE69DA1u   /* 条 */
#define C_SEN 0xE7B79Au  /* 線 */
#define C_WARI 0xE589B2u /* 割 */
#define C_HIGASHI 0xE69DB1u /* 東 */
#define C_NISHI 0xE8A5BFu /* 西 */
#define C_MINAMI 0xE58D97u /* 南 */
#define C_KITA 0xE58C97u /* 北 */
#define C_TORI 0xE9809Au /* 通 */
#define C_DAI 0xE5A4A7u  /* 大 */
#define C_JI 0xE5AD97u   /* 字 */

/* The passes; each reads a[0:n] and writes b, returning the new length. What they leave as it
 * is, they copy in runs (``run``: where the bytes not yet copied begin). */
#define FLUSH(upto) (memcpy(b + w, a + run, (size_t)((upto) - run)), w += (upto) - run)

static inline int64_t next_char(const uint8_t *a, int64_t i, int64_t n) {
    int64_t next = i + char_size(a[i]);
    return next > n ? n : next;
}

/* A "-", a digit or a kanji numeral at s[p]. */
static inline int number_at(const uint8_t *s, int64_t p, int64_t n) {
    return p < n && (s[p] == '-' || is_digit(s[p]) || kanji_numeral(code_at(s, p, n)) >= 0);
}

/* After 条 at p: a number, after a direction or 通 or not (北一条西二, 四条通八), or the end;
 * Kyoto's 東九条室町 and 四条通烏丸 are names. */
static int numbers_after_jo(const uint8_t *s, int64_t p, int64_t n) {
    if (p >= n || number_at(s, p, n)) {
        return 1;
    }
    uint32_t ch = c3_at(s, p, n);
    if (ch == C_HIGASHI || ch == C_NISHI || ch == C_MINAMI || ch == C_KITA || ch == C_TORI) {
        return number_at(s, p + 3, n);
    }
    return 0;
}

/* Where a run of kanji numerals ending at q is followed by what makes it a block's number:
 * 丁目|番地|番|号室|号|条 and a number|線|地割, "-", a digit, "の" and a number, or the end. */
static int numbers_a_block(const uint8_t *s, int64_t q, int64_t n) {
    if (q >= n || s[q] == '-' || is_digit(s[q])) {
        return 1;
    }
    uint32_t ch = c3_at(s, q, n);
    switch (ch) {
    case C_CHO:
        return c3_at(s, q + 3, n) == C_ME;
    case C_BAN: case C_GO: case C_SEN:
        return 1;
    case C_JO:
        return numbers_after_jo(s, q + 3, n);
    case C_CHI:
        return c3_at(s, q + 3, n) == C_WARI;
    case C_NO: {
        uint32_t next = code_at(s, q + 3, n);
        return is_ascii_digit_cp(next) || kanji_numeral(next) >= 0;
    }
    default:
        return 0;
    }
}

/* A postal code before the address: after 〒, or set apart by a space (_LEADING_POSTAL). */
static int64_t pass_postal(const uint8_t *a, int64_t n, uint8_t *b) {
    int64_t i = 0;
    int after_mark = starts(a, 0, n, "〒");
    if (after_mark) {
        i = 3;
        int64_t space;
        while (i < n && (space = space_at(a, i, n)) > 0) {
            i += space;
        }
    }
    int ok = i + 3 <= n && is_digit(a[i]) && is_digit(a[i + 1]) && is_digit(a[i + 2]);
    if (ok) {
        i += 3;
        if (i < n && a[i] == '-') {
            i++; /* -? then four digits: without the "-", no digit would be there */
        }
        ok = i + 4 <= n && is_digit(a[i]) && is_digit(a[i + 1]) && is_digit(a[i + 2])
             && is_digit(a[i + 3]);
    }
    if (ok) {
        i += 4;
        int64_t start = i, space;
        while (i < n && (space = space_at(a, i, n)) > 0) {
            i += space;
        }
        ok = i < n && (after_mark || i > start);
    }
    int64_t from = ok ? i : 0;
    memcpy(b, a + from, (size_t)(n - from));
    return n - from;
}

/* A run of white space between a digit and a number (_SPACE_BETWEEN_NUMBERS) is "-"; any other
 * goes (str.split). */
static int64_t pass_spaces(const uint8_t *a, int64_t n, uint8_t *b) {
    int64_t w = 0, run = 0;
    for (int64_t i = 0; i < n;) {
        int64_t space = space_at(a, i, n);
        if (!space) {
            i = next_char(a, i, n);
            continue;
        }
        FLUSH(i);
        int digit_before = i > 0 && is_digit(a[i - 1]);
        while (i < n && (space = space_at(a, i, n)) > 0) {
            i += space;
        }
        int next = kanji_numeral(code_at(a, i, n));
        if (digit_before && ((i < n && is_digit(a[i])) || (next >= 0 && next <= 10))) {
            b[w++] = '-';
        }
        run = i;
    }
    FLUSH(n);
    return w;
}

/* 大字 goes. */
static int64_t pass_oaza(const uint8_t *a, int64_t n, uint8_t *b) {
    int64_t w = 0, run = 0;
    for (int64_t i = 0; i < n;) {
        if (c3_at(a, i, n) == C_DAI && c3_at(a, i + 3, n) == C_JI) {
            FLUSH(i);
            i += 6;
            run = i;
            continue;
        }
        i = next_char(a, i, n);
    }
    FLUSH(n);
    return w;
}

/* ケヶヵがガ between two kanji is ケ, ノ之 between two kanji is の (_KE, _NO); a dash between
 * two numbers is "-" (_DASH_NEAR_NUMBER). The neighbours are read in the pass's input, as
 * re.sub reads them (none of these changes whether a neighbour is a kanji or a number). */
static int64_t pass_letters(const uint8_t *a, int64_t n, uint8_t *b) {
    int64_t w = 0, run = 0;
    uint32_t before = 0;
    for (int64_t i = 0; i < n;) {
        int64_t next = next_char(a, i, n);
        uint32_t cp = code_at(a, i, n);
        const char *with = NULL;
        if (cp == 0x30B1 || cp == 0x30F6 || cp == 0x30F5 || cp == 0x304C || cp == 0x30AC) {
            if (is_han(before) && is_han(code_at(a, next, n))) {
                with = "ケ";
            }
        } else if (cp == 0x30CE || cp == 0x4E4B) {
            if (is_han(before) && is_han(code_at(a, next, n))) {
                with = "の";
            }
        } else if (is_dash(cp)) {
            uint32_t after = code_at(a, next, n);
            if ((is_ascii_digit_cp(before) || kanji_numeral(before) >= 0)
                && (is_ascii_digit_cp(after) || kanji_numeral(after) >= 0)) {
                with = "-";
            }
        }
        if (with) {
            FLUSH(i);
            size_t length = strlen(with);
            memcpy(b + w, with, length);
            w += (int64_t)length;
            run = next;
        }
        before = cp;
        i = next;
    }
    FLUSH(n);
    return w;
}

/* A run of kanji numerals that numbers a block is its number in digits (_KANJI_NUMBER): a
 * whole run, where it comes after "-" or a digit or before what numbers_a_block names. */
static int64_t pass_kanji_numbers(const uint8_t *a, int64_t n, uint8_t *b, int *codes) {
    int64_t w = 0, run = 0;
    for (int64_t i = 0; i < n;) {
        int value = c3_at(a, i, n) ? kanji_numeral(code_at(a, i, n)) : -1;
        if (value < 0) {
            i = next_char(a, i, n);
            continue;
        }
        int64_t p = i, count = 0;
        while (c3_at(a, i, n) && (value = kanji_numeral(code_at(a, i, n))) >= 0) {
            codes[count++] = value;
            i += 3;
        }
        if ((p > 0 && (a[p - 1] == '-' || is_digit(a[p - 1]))) || numbers_a_block(a, i, n)) {
            FLUSH(p);
            int64_t written = kanji_run_number(codes, count, b + w);
            if (written < 0) { /* not a numeral kanjize reads: as written */
                memcpy(b + w, a + p, (size_t)(i - p));
                written = i - p;
            }
            w += written;
            run = i;
        }
    }
    FLUSH(n);
    return w;
}

/* The length of 丁目|番地|番|号室|号 at a[i] (``room``: 号室 too), or 0. */
static inline int64_t suffix_at(const uint8_t *a, int64_t i, int64_t n, int room) {
    switch (c3_at(a, i, n)) {
    case C_CHO:
        return c3_at(a, i + 3, n) == C_ME ? 6 : 0;
    case C_BAN:
        return c3_at(a, i + 3, n) == C_CHI ? 6 : 3;
    case C_GO:
        return room && c3_at(a, i + 3, n) == C_SHITSU ? 6 : 3;
    default:
        return 0;
    }
}

/* 丁目|番地|番|号 before a digit, and の between digits, are "-" (_SUFFIX_BEFORE_NUMBER); then
 * 丁目|番地|番|号室|号 after a digit go (_SUFFIX). One pass for the two: the second rule's
 * "after a digit" is read in what the first wrote (a digit is never replaced, a "-" is none),
 * and neither rule matches inside a suffix the other took. */
static int64_t pass_suffixes(const uint8_t *a, int64_t n, uint8_t *b) {
    int64_t w = 0, run = 0;
    for (int64_t i = 0; i < n;) {
        int64_t matched = suffix_at(a, i, n, 0);
        if (matched && !(i + matched < n && is_digit(a[i + matched]))) {
            matched = 0; /* 番地 not before a digit: 番 alone is tried, and 地 is no digit */
        }
        if (!matched && i > 0 && is_digit(a[i - 1]) && c3_at(a, i, n) == C_NO && i + 3 < n
            && is_digit(a[i + 3])) {
            matched = 3;
        }
        if (matched) {
            FLUSH(i);
            b[w++] = '-';
            i += matched;
            run = i;
            continue;
        }
        int64_t dropped = 0;
        if (i > 0 && is_digit(a[i - 1])) { /* a[i - 1] is what was written last */
            dropped = suffix_at(a, i, n, 1);
        }
        if (dropped) {
            FLUSH(i);
            i += dropped;
            run = i;
            continue;
        }
        i = next_char(a, i, n);
    }
    FLUSH(n);
    return w;
}

/* The place and its room (_PLACE): all to the first digit, the numbers that go with it (1-9-1,
 * 北1条西2: "-", 条 and a direction, 線, 地割 between digits), then of the rest only its digits,
 * joined by "-", after a "-"; without ``room``, the rest's digits are left out where they are one
 * number (a building's room), as identity.conservative_address(room=False). */
static int64_t digits_end(const uint8_t *a, int64_t i, int64_t n) {
    while (i < n && is_digit(a[i])) {
        i++;
    }
    return i;
}

static int64_t pass_place(const uint8_t *a, int64_t n, uint8_t *b, int room) {
    int64_t d = 0;
    while (d < n && !is_digit(a[d])) {
        d++;
    }
    if (d == n) {
        memcpy(b, a, (size_t)n);
        return n;
    }
    int64_t k = digits_end(a, d, n);
    for (;;) {
        int64_t next = -1;
        uint32_t ch = c3_at(a, k, n);
        if (k < n && a[k] == '-') {
            next = k + 1;
        } else if (ch == C_JO) {
            next = k + 3;
            uint32_t direction = c3_at(a, next, n);
            if ((direction == 0xE69DB1u || direction == 0xE8A5BFu || direction == 0xE58D97u
                 || direction == 0xE58C97u) /* 東西南北 */
                && next + 3 < n && is_digit(a[next + 3])) {
                next += 3;
            }
        } else if (ch == C_SEN) {
            next = k + 3;
        } else if (ch == C_CHI && c3_at(a, k + 3, n) == C_WARI) {
            next = k + 6;
        }
        if (next < 0 || next >= n || !is_digit(a[next])) {
            break;
        }
        k = digits_end(a, next, n);
    }
    memcpy(b, a, (size_t)k);
    int64_t w = k;
    int64_t stop = n;
    if (!room) {
        int64_t runs = 0, last = k;
        for (int64_t i = k; i < n;) {
            if (!is_digit(a[i])) {
                i++;
                continue;
            }
            runs++;
            last = i;
            i = digits_end(a, i, n);
        }
        if (runs == 1) {
            return w;
        }
        /* Of more numbers, the last is the room where a building's name comes before it
         * (四条通5-9-7 コーポ山田201, read as 4 then 5-9-7-201: the 201). */
        if (runs > 1 && a[last - 1] != '-') {
            stop = last;
        }
    }
    for (int64_t i = k; i < stop;) {
        if (!is_digit(a[i])) {
            i++;
            continue;
        }
        b[w++] = '-';
        int64_t end = digits_end(a, i, n);
        memcpy(b + w, a + i, (size_t)(end - i));
        w += end - i;
        i = end;
    }
    return w;
}
#undef FLUSH

/* Scratch for the passes: two buffers of twice a cell (a kanji numeral can be longer in digits:
 * 千 is 1000) and one code per character. */
typedef struct {
    uint8_t *a, *b;
    int *codes;
    int64_t capacity;
} Scratch;

static int scratch_fit(Scratch *scratch, int64_t n) {
    int64_t need = 2 * n + 16;
    if (need <= scratch->capacity) {
        return 0;
    }
    free(scratch->a);
    free(scratch->b);
    free(scratch->codes);
    scratch->a = malloc((size_t)need);
    scratch->b = malloc((size_t)need);
    scratch->codes = malloc((size_t)need * sizeof(int));
    scratch->capacity = scratch->a && scratch->b && scratch->codes ? need : 0;
    return scratch->capacity ? 0 : -1;
}

static void scratch_free(Scratch *scratch) {
    free(scratch->a);
    free(scratch->b);
    free(scratch->codes);
}

/* Which passes a cell may need: one bit per kind of character it holds. */
enum {
    T_SPACE = 1, T_OAZA = 2, T_LETTERS = 4, T_KANJI_NUMERAL = 8, T_SUFFIX = 16, T_DIGIT = 32,
};

static int address_triggers(const uint8_t *s, int64_t n) {
    int triggers = 0;
    for (int64_t i = 0; i < n;) {
        uint8_t c = s[i];
        if (c < 0x80) {
            if (is_digit(c)) {
                triggers |= T_DIGIT;
            } else if (is_space_byte(c) || (c >= 0x1C && c <= 0x1F)) {
                triggers |= T_SPACE;
            }
            i++;
            continue;
        }
        int64_t size = char_size(c);
        if (i + size > n) {
            break;
        }
        if (space_at(s, i, n)) {
            triggers |= T_SPACE;
        }
        uint32_t cp = code_at(s, i, n);
        if (kanji_numeral(cp) >= 0) {
            triggers |= T_KANJI_NUMERAL;
        }
        switch (cp) {
        case 0x5927: /* 大 */
            triggers |= T_OAZA;
            break;
        case 0x30B1: case 0x30F6: case 0x30F5: case 0x304C: case 0x30AC: /* ケヶヵがガ */
            triggers |= T_LETTERS;
            break;
        case 0x30CE: case 0x4E4B: /* ノ之: the の they may become is a suffix pass's */
            triggers |= T_LETTERS | T_SUFFIX;
            break;
        case 0x4E01: case 0x756A: case 0x53F7: case 0x306E: /* 丁番号の */
            triggers |= T_SUFFIX;
            break;
        default:
            if (is_dash(cp)) {
                triggers |= T_LETTERS;
            }
        }
        i += size;
    }
    return triggers;
}

/* identity.conservative_address of an NFKC cell, without the final NFKC, into out (at most 2n
 * bytes); -1 for None, -2 out of memory. */
static int64_t registry_address_key(const uint8_t *s, int64_t n, uint8_t *out, Scratch *scratch,
                                    int room) {
    /* strip */
    int64_t space;
    while (n > 0 && (space = space_at(s, 0, n)) > 0) {
        s += space;
        n -= space;
    }
    while (n > 0 && (space = space_before(s, n)) > 0) {
        n -= space;
    }
    if (n == 0) {
        return -1;
    }
    if (scratch_fit(scratch, n) != 0) {
        return -2;
    }
    uint8_t *a = scratch->a, *b = scratch->b, *swap;
    memcpy(a, s, (size_t)n);
    /* Each pass only where its characters occur, as in the Python rules: most addresses need
     * few of them. The triggers are read once: passes take characters out or put in "-",
     * ケ, の (triggered by the ノ之 it stands for) or a kanji numeral's digits (T_DIGIT is
     * taken with T_KANJI_NUMERAL). */
    int triggers = address_triggers(a, n);
#define PASS(call) (n = (call), swap = a, a = b, b = swap)
    if (a[0] == 0xE3 || is_digit(a[0])) { /* 〒 or a digit */
        PASS(pass_postal(a, n, b));
    }
    if (triggers & T_SPACE) {
        PASS(pass_spaces(a, n, b));
    }
    if (n > 9) {
        uint32_t first = c3_at(a, 0, n);
        for (size_t p = 0; p < sizeof PREFECTURES / sizeof *PREFECTURES; p++) {
            int64_t length = PREFECTURES[p][9] ? 12 : 9; /* 3 or 4 kanji of 3 bytes */
            if (first == char3((const uint8_t *)PREFECTURES[p]) && n > length
                && memcmp(a, PREFECTURES[p], (size_t)length) == 0) {
                memmove(a, a + length, (size_t)(n - length));
                n -= length;
                break;
            }
        }
    }
    if (triggers & T_OAZA) {
        PASS(pass_oaza(a, n, b));
    }
    if (triggers & T_LETTERS) {
        PASS(pass_letters(a, n, b));
    }
    if (triggers & T_KANJI_NUMERAL) {
        PASS(pass_kanji_numbers(a, n, b, scratch->codes));
    }
    if (triggers & T_SUFFIX) {
        PASS(pass_suffixes(a, n, b));
    }
    if (triggers & T_DIGIT || triggers & T_KANJI_NUMERAL) {
        PASS(pass_place(a, n, b, room));
    }
#undef PASS
    if (n == 0) {
        return -1;
    }
    memcpy(out, a, (size_t)n);
    return n;
}

/* registry_address_key of each cell of a stream (``room``: with the room number). */
static PyObject *registry_keys(PyObject *capsule, int room) {
    Column column;
    if (column_of(capsule, &column, 0) != 0) {
        return NULL;
    }
    Views v;
    Scratch scratch = {NULL, NULL, NULL, 0};
    if (views_init(&v, column.length) != 0
        || views_reserve(&v, 2 * column_long_bytes(&column)) != 0) {
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
            uint8_t *out = views_begin(&v, &slot, 2 * size + 16);
            if (out == NULL) {
                failed = 2;
                break;
            }
            int64_t written = registry_address_key(cell, size, out, &scratch, room);
            if (written == -2) {
                failed = 2;
                break;
            }
            if (written < 0) {
                views_null(&v);
            } else {
                views_commit(&v, &slot, written);
            }
        }
    }
    Py_END_ALLOW_THREADS
    scratch_free(&scratch);
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

/* registry_address_keys(stream) -> stream: registry_address_key of each cell. */
static PyObject *kernel_registry_address_keys(PyObject *self, PyObject *capsule) {
    (void)self;
    return registry_keys(capsule, 1);
}

/* registry_place_keys(stream) -> stream: the same without the room number. */
static PyObject *kernel_registry_place_keys(PyObject *self, PyObject *capsule) {
    (void)self;
    return registry_keys(capsule, 0);
}

/* --- SQL dumps: the rows of INSERT … VALUES (…),(…) and of COPY … FROM stdin -------------
 *
 * sql_rows(data, start, ncols, max_rows, mode, prefix, at_eof) parses rows from ``data`` (UTF-8
 * bytes of a dump) at ``start`` into ``ncols`` string columns and returns
 * (columns, rows, position, status, ragged, binary, width): ``columns`` a list of Arrow C streams (one
 * per column), ``position`` where to go on, ``status`` one of SQL_* below, ``ragged`` the rows
 * whose width was not ``ncols`` (padded with nulls or cut), ``binary`` the cells that are not
 * UTF-8 text (given as nulls), ``width`` the most values a row had.
 *
 * mode SQL_MYSQL: INSERT tuples, strings '…' or "…" with backslash escapes and '' doubled;
 * SQL_PG_INSERT: tuples, standard strings ('' doubled, backslash literal), E'…' with escapes;
 * SQL_COPY: the text format of COPY (tab-separated fields, \N null, backslash escapes, the
 * block ends with a line \.). After a tuple list's ";", the next statement is read on if it
 * starts with the same ``prefix`` bytes (the same INSERT INTO t … VALUES): a dump made with
 * one row per statement is then one call, not one call per row.
 *
 * Nothing is read outside [0, len(data)); a row that is not complete in ``data`` is left for
 * the next call (SQL_MORE, ``position`` at its start) unless ``at_eof``. */

enum { SQL_MYSQL = 0, SQL_PG_INSERT = 1, SQL_COPY = 2 };
enum { SQL_MORE = 0, SQL_END = 1, SQL_FULL = 2, SQL_ERROR = 3 };

typedef struct {
    Views *cols;
    int64_t ncols;
    int64_t capacity;
    int64_t rows;
    int64_t ragged;
    int64_t binary;
    int64_t width; /* the widest row read */
} Rows;

static int rows_grow(Rows *r) {
    if (r->rows < r->capacity) {
        return 0;
    }
    int64_t capacity = r->capacity ? r->capacity * 2 : 1024;
    for (int64_t c = 0; c < r->ncols; c++) {
        Views *v = &r->cols[c];
        int64_t old_bytes = r->capacity ? r->capacity / 8 + 1 : 0;
        uint8_t *validity = realloc(v->validity, (size_t)(capacity / 8 + 1));
        if (validity == NULL) {
            return -1;
        }
        memset(validity + old_bytes, 0, (size_t)(capacity / 8 + 1 - old_bytes));
        v->validity = validity;
        uint8_t *views = realloc(v->views, (size_t)capacity * 16);
        if (views == NULL) {
            return -1;
        }
        memset(views + r->capacity * 16, 0, (size_t)(capacity - r->capacity) * 16);
        v->views = views;
    }
    r->capacity = capacity;
    return 0;
}

static int utf8_valid(const uint8_t *s, int64_t n) {
    int64_t i = 0;
    while (i < n) {
        uint64_t eight;
        if (i + 8 <= n && (memcpy(&eight, s + i, 8), (eight & 0x8080808080808080ull) == 0)) {
            i += 8;
            continue;
        }
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
        } else if (c >= 0xC2 && c <= 0xDF) {
            if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80) return 0;
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return 0;
            uint32_t cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6
                          | (uint32_t)(s[i + 2] & 0x3F);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80
                || (s[i + 3] & 0xC0) != 0x80) return 0;
            uint32_t cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12
                          | (uint32_t)(s[i + 2] & 0x3F) << 6 | (uint32_t)(s[i + 3] & 0x3F);
            if (cp < 0x10000 || cp > 0x10FFFF) return 0;
            i += 4;
        } else {
            return 0;
        }
    }
    return 1;
}

static inline int is_sql_space(uint8_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline int hex_value(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The cell of column ``col`` (beyond the columns: dropped): ``out`` holds ``size`` bytes. */
typedef struct {
    Rows *r;
    int64_t col;
    Slot slot;
    uint8_t *out;
} Cell;

static int cell_begin(Cell *cell, Rows *r, int64_t col, int64_t max_size) {
    cell->r = r;
    cell->col = col;
    if (col >= r->ncols) {
        cell->out = NULL;
        return 0;
    }
    cell->out = views_begin(&r->cols[col], &cell->slot, max_size);
    return cell->out == NULL ? -1 : 0;
}

static void cell_commit(Cell *cell, int64_t size) {
    if (cell->col >= cell->r->ncols) {
        return;
    }
    Views *v = &cell->r->cols[cell->col];
    if (!utf8_valid(cell->out, size)) {
        cell->r->binary++;
        views_null(v);
        return;
    }
    views_commit(v, &cell->slot, size);
}

static void cell_null(Rows *r, int64_t col) {
    if (col < r->ncols) {
        views_null(&r->cols[col]);
    }
}

/* Unescapes a backslash sequence at s[i] == '\\' (i + 1 < n); returns bytes written at out,
 * and moves *i past the sequence. ``mysql``: MySQL's set (\% and \_ keep the backslash);
 * else PostgreSQL's (E'' strings and COPY: octal and \x hex). */
static int64_t unescape_one(const uint8_t *s, int64_t *i, int64_t n, uint8_t *out, int mysql) {
    uint8_t e = s[*i + 1];
    *i += 2;
    switch (e) {
    case 'n': out[0] = '\n'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 'b': out[0] = '\b'; return 1;
    default: break;
    }
    if (mysql) {
        switch (e) {
        case '0': out[0] = 0; return 1;
        case 'Z': out[0] = 0x1A; return 1;
        case '%': case '_': out[0] = '\\'; out[1] = e; return 2;
        default: out[0] = e; return 1;
        }
    }
    if (e == 'f') { out[0] = '\f'; return 1; }
    if (e == 'v') { out[0] = '\v'; return 1; }
    if (e >= '0' && e <= '7') {
        int value = e - '0';
        for (int k = 0; k < 2 && *i < n && s[*i] >= '0' && s[*i] <= '7'; k++, (*i)++) {
            value = value * 8 + (s[*i] - '0');
        }
        out[0] = (uint8_t)value;
        return 1;
    }
    if (e == 'x' && *i < n && hex_value(s[*i]) >= 0) {
        int value = hex_value(s[(*i)++]);
        if (*i < n && hex_value(s[*i]) >= 0) {
            value = value * 16 + hex_value(s[(*i)++]);
        }
        out[0] = (uint8_t)value;
        return 1;
    }
    out[0] = e;
    return 1;
}

/* The end (just past the closing quote) of the quoted string opening at s[i]; -1 if it does
 * not end within n. */
static int64_t quoted_end(const uint8_t *s, int64_t i, int64_t n, int backslash) {
    uint8_t q = s[i];
    for (i++; i < n; i++) {
        if (backslash && s[i] == '\\') {
            i++;
        } else if (s[i] == q) {
            if (i + 1 < n && s[i + 1] == q) {
                i++;
            } else if (i + 1 >= n) {
                return -2; /* a doubled quote may follow: not known yet */
            } else {
                return i + 1;
            }
        }
    }
    return -1;
}

/* Where the tuple opening at s[i] == '(' ends (just past its ')'), quotes and nested
 * parentheses respected; -1 if not within n. */
static int64_t tuple_end(const uint8_t *s, int64_t i, int64_t n, int mode) {
    int depth = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c == '\'' || (c == '"' && mode == SQL_MYSQL)) {
            int backslash = mode == SQL_MYSQL
                || (i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && c == '\'');
            int64_t end = quoted_end(s, i, n, backslash);
            if (end < 0) {
                return -1;
            }
            i = end;
            continue;
        }
        if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth == 0) {
                return i + 1;
            }
        }
        i++;
    }
    return -1;
}

/* Writes the quoted string at s[i] (an opening quote) unescaped into column ``col``; returns
 * the position after it. */
static int64_t put_quoted(Rows *r, int64_t col, const uint8_t *s, int64_t i, int64_t end,
                          int backslash, int mysql) {
    uint8_t q = s[i];
    Cell cell;
    if (cell_begin(&cell, r, col, end - i) != 0) {
        return -1;
    }
    int64_t size = 0;
    int64_t j = i + 1;
    while (j < end - 1) {
        uint8_t c = s[j];
        if (backslash && c == '\\' && j + 1 < end - 1) {
            uint8_t tmp[2];
            int64_t k = unescape_one(s, &j, end - 1, tmp, mysql);
            if (cell.out != NULL) {
                memcpy(cell.out + size, tmp, (size_t)k);
            }
            size += k;
        } else {
            if (c == q) {
                j++; /* a doubled quote: one quote */
            }
            if (cell.out != NULL) {
                cell.out[size] = c;
            }
            size++;
            j++;
        }
    }
    if (cell.out != NULL) {
        cell_commit(&cell, size);
    }
    return end;
}

/* The hex digits s[a..b) as bytes into column ``col`` (text if they are UTF-8). */
static int put_hex(Rows *r, int64_t col, const uint8_t *s, int64_t a, int64_t b,
                   const uint8_t *raw, int64_t raw_size) {
    Cell cell;
    int64_t digits = b - a;
    if (cell_begin(&cell, r, col, digits / 2 + 1 > raw_size ? digits / 2 + 1 : raw_size) != 0) {
        return -1;
    }
    if (cell.out == NULL) {
        return 0;
    }
    int64_t size = 0;
    int ok = digits % 2 == 0;
    for (int64_t k = a; ok && k + 1 < b; k += 2) {
        int hi = hex_value(s[k]), lo = hex_value(s[k + 1]);
        if (hi < 0 || lo < 0) {
            ok = 0;
            break;
        }
        cell.out[size++] = (uint8_t)(hi * 16 + lo);
    }
    if (!ok || !utf8_valid(cell.out, size) || memchr(cell.out, 0, (size_t)size) != NULL) {
        memcpy(cell.out, raw, (size_t)raw_size); /* not text: the literal as written */
        size = raw_size;
    }
    cell_commit(&cell, size);
    return 0;
}

/* One value of a tuple at s[i] (white space skipped), up to the ',' or ')' that ends it
 * (exclusive); returns that position, or -1 (out of memory) / -2 (malformed). */
static int64_t put_value(Rows *r, int64_t col, const uint8_t *s, int64_t i, int64_t n, int mode) {
    while (i < n && is_sql_space(s[i])) i++;
    if (i >= n) return -2;
    uint8_t c = s[i];
    int mysql = mode == SQL_MYSQL;
    int64_t after = -1;
    int handled = 1;
    if (c == '\'' || (c == '"' && mysql)) {
        int64_t end = quoted_end(s, i, n, mysql);
        if (end < 0) return -2;
        after = put_quoted(r, col, s, i, end, mysql, mysql);
    } else if ((c == 'E' || c == 'e') && !mysql && i + 1 < n && s[i + 1] == '\'') {
        int64_t end = quoted_end(s, i + 1, n, 1);
        if (end < 0) return -2;
        after = put_quoted(r, col, s, i + 1, end, 1, 0);
    } else if ((c == 'N' || c == 'n') && i + 1 < n && s[i + 1] == '\'') {
        int64_t end = quoted_end(s, i + 1, n, mysql);
        if (end < 0) return -2;
        after = put_quoted(r, col, s, i + 1, end, mysql, mysql);
    } else if ((c == 'X' || c == 'x') && i + 1 < n && s[i + 1] == '\'') {
        int64_t end = quoted_end(s, i + 1, n, 0);
        if (end < 0) return -2;
        if (put_hex(r, col, s, i + 2, end - 1, s + i, end - i) != 0) return -1;
        after = end;
    } else if (c == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        int64_t end = i + 2;
        while (end < n && hex_value(s[end]) >= 0) end++;
        if (put_hex(r, col, s, i + 2, end, s + i, end - i) != 0) return -1;
        after = end;
    } else if (c == '_' && mysql) {
        /* a character-set introducer: _binary '…', _utf8mb4'…' */
        int64_t j = i + 1;
        while (j < n && (s[j] == '_' || (s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')
                         || (s[j] >= '0' && s[j] <= '9'))) j++;
        while (j < n && is_sql_space(s[j])) j++;
        if (j < n && s[j] == '\'') {
            int64_t end = quoted_end(s, j, n, 1);
            if (end < 0) return -2;
            after = put_quoted(r, col, s, j, end, 1, 1);
        } else if (j + 1 < n && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X')) {
            int64_t end = j + 2;
            while (end < n && hex_value(s[end]) >= 0) end++;
            if (put_hex(r, col, s, j + 2, end, s + j, end - j) != 0) return -1;
            after = end;
        } else {
            handled = 0;
        }
    } else {
        handled = 0;
    }
    if (!handled) {
        /* anything else (a number, NULL, true, a function call): the text up to the ',' or
         * ')' that ends it, nested parentheses and quotes respected */
        int64_t j = i;
        int depth = 0;
        while (j < n) {
            uint8_t d = s[j];
            if (d == '\'' || (d == '"' && mysql)) {
                int64_t end = quoted_end(s, j, n, mysql);
                if (end < 0) return -2;
                j = end;
                continue;
            }
            if (d == '(') depth++;
            else if (d == ')') { if (depth == 0) break; depth--; }
            else if (d == ',' && depth == 0) break;
            j++;
        }
        int64_t e = j;
        while (e > i && is_sql_space(s[e - 1])) e--;
        if (e - i == 4 && (s[i] | 32) == 'n' && (s[i + 1] | 32) == 'u' && (s[i + 2] | 32) == 'l'
            && (s[i + 3] | 32) == 'l') {
            cell_null(r, col);
        } else {
            Cell cell;
            if (cell_begin(&cell, r, col, e - i) != 0) return -1;
            if (cell.out != NULL) {
                memcpy(cell.out, s + i, (size_t)(e - i));
                cell_commit(&cell, e - i);
            }
        }
        return j;
    }
    if (after < 0) return after;
    /* after a string: a cast (::text, ::character varying(20)) or a collation, up to the
     * ',' or ')' that ends the value */
    int depth = 0;
    while (after < n) {
        uint8_t d = s[after];
        if (d == '\'' || d == '"') return -2;
        if (d == '(') depth++;
        else if (d == ')') { if (depth == 0) break; depth--; }
        else if (d == ',' && depth == 0) break;
        after++;
    }
    return after;
}

/* One tuple s[i] == '(' … end (past its ')'). */
static int put_tuple(Rows *r, const uint8_t *s, int64_t i, int64_t end, int mode) {
    int64_t col = 0;
    i++;
    while (i < end && is_sql_space(s[i])) i++;
    if (i < end && s[i] == ')') {
        /* () : an empty tuple */
    } else {
        for (;;) {
            int64_t j = put_value(r, col, s, i, end, mode);
            if (j < 0) return (int)j;
            col++;
            if (j >= end) return -2;
            if (s[j] == ',') {
                i = j + 1;
                continue;
            }
            break; /* ')' */
        }
    }
    if (col > r->width) r->width = col;
    if (col != r->ncols) r->ragged++;
    for (; col < r->ncols; col++) cell_null(r, col);
    r->rows++;
    return 0;
}

static int64_t skip_space(const uint8_t *s, int64_t i, int64_t n) {
    while (i < n && is_sql_space(s[i])) i++;
    return i;
}

static int parse_tuples(Rows *r, const uint8_t *s, int64_t n, int64_t *pos, int64_t max_rows,
                        int mode, const uint8_t *prefix, int64_t prefix_len, int at_eof) {
    int64_t i = *pos;
    for (;;) {
        i = skip_space(s, i, n);
        if (i >= n) {
            *pos = i;
            return at_eof ? SQL_END : SQL_MORE;
        }
        if (s[i] == ',') {
            i++;
            continue;
        }
        if (s[i] == ';') {
            int64_t j = skip_space(s, i + 1, n);
            if (prefix_len > 0 && j + prefix_len <= n && memcmp(s + j, prefix, (size_t)prefix_len) == 0) {
                i = j + prefix_len;
                continue;
            }
            *pos = i + 1;
            return SQL_END;
        }
        if (s[i] != '(') {
            *pos = i;
            return SQL_ERROR;
        }
        if (r->rows >= max_rows) {
            *pos = i;
            return SQL_FULL;
        }
        int64_t end = tuple_end(s, i, n, mode);
        if (end < 0) {
            *pos = i;
            return at_eof ? SQL_ERROR : SQL_MORE;
        }
        if (rows_grow(r) != 0) return -1;
        int status = put_tuple(r, s, i, end, mode);
        if (status == -1) return -1;
        if (status != 0) {
            *pos = i;
            return SQL_ERROR;
        }
        i = end;
    }
}

static int parse_copy(Rows *r, const uint8_t *s, int64_t n, int64_t *pos, int64_t max_rows,
                      int at_eof) {
    int64_t i = *pos;
    for (;;) {
        if (i >= n) {
            *pos = i;
            return at_eof ? SQL_END : SQL_MORE;
        }
        const uint8_t *nl = memchr(s + i, '\n', (size_t)(n - i));
        int64_t e = nl == NULL ? n : nl - s;
        if (nl == NULL && !at_eof) {
            *pos = i;
            return SQL_MORE;
        }
        int64_t next = nl == NULL ? n : e + 1;
        if (e > i && s[e - 1] == '\r') e--;
        if (e - i == 2 && s[i] == '\\' && s[i + 1] == '.') {
            *pos = next;
            return SQL_END;
        }
        if (r->rows >= max_rows) {
            *pos = i;
            return SQL_FULL;
        }
        if (rows_grow(r) != 0) return -1;
        int64_t col = 0;
        int64_t a = i;
        for (;;) {
            const uint8_t *tab = memchr(s + a, '\t', (size_t)(e - a));
            int64_t b = tab == NULL ? e : tab - s;
            if (b - a == 2 && s[a] == '\\' && s[a + 1] == 'N') {
                cell_null(r, col);
            } else {
                Cell cell;
                if (cell_begin(&cell, r, col, b - a) != 0) return -1;
                if (cell.out != NULL) {
                    int64_t size = 0;
                    const uint8_t *bs = memchr(s + a, '\\', (size_t)(b - a));
                    if (bs == NULL) {
                        memcpy(cell.out, s + a, (size_t)(b - a));
                        size = b - a;
                    } else {
                        for (int64_t j = a; j < b;) {
                            if (s[j] == '\\' && j + 1 < b) {
                                size += unescape_one(s, &j, b, cell.out + size, 0);
                            } else {
                                cell.out[size++] = s[j++];
                            }
                        }
                    }
                    cell_commit(&cell, size);
                }
            }
            col++;
            if (tab == NULL) break;
            a = b + 1;
        }
        if (col > r->width) r->width = col;
        if (col != r->ncols) r->ragged++;
        for (; col < r->ncols; col++) cell_null(r, col);
        r->rows++;
        i = next;
    }
}

static PyObject *sql_rows(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer data, prefix;
    Py_ssize_t start, ncols, max_rows;
    int mode, at_eof;
    if (!PyArg_ParseTuple(args, "y*nnniy*p", &data, &start, &ncols, &max_rows, &mode, &prefix,
                          &at_eof)) {
        return NULL;
    }
    PyObject *result = NULL;
    Rows r;
    memset(&r, 0, sizeof(r));
    if (start < 0 || start > data.len || ncols < 0 || ncols > 100000 || max_rows < 1
        || mode < SQL_MYSQL || mode > SQL_COPY) {
        PyErr_SetString(PyExc_ValueError, "sql_rows: bad arguments");
        goto done;
    }
    r.ncols = ncols;
    r.cols = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof(Views));
    if (r.cols == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int64_t pos = start;
    int status;
    Py_BEGIN_ALLOW_THREADS
    if (mode == SQL_COPY) {
        status = parse_copy(&r, data.buf, data.len, &pos, max_rows, at_eof);
    } else {
        status = parse_tuples(&r, data.buf, data.len, &pos, max_rows, mode, prefix.buf,
                              prefix.len, at_eof);
    }
    Py_END_ALLOW_THREADS
    if (status < 0) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject *columns = PyList_New(ncols);
    if (columns == NULL) goto done;
    for (int64_t c = 0; c < ncols; c++) {
        Views *v = &r.cols[c];
        if (v->validity == NULL && views_init(v, 0) != 0) {
            Py_DECREF(columns);
            PyErr_NoMemory();
            goto done;
        }
        v->length = r.rows;
        PyObject *capsule = views_export(v);
        if (capsule == NULL) {
            Py_DECREF(columns);
            goto done;
        }
        PyList_SET_ITEM(columns, c, capsule);
    }
    result = Py_BuildValue("(NnnnLLL)", columns, (Py_ssize_t)r.rows, (Py_ssize_t)pos,
                           (Py_ssize_t)status, (long long)r.ragged, (long long)r.binary,
                           (long long)r.width);
done:
    if (r.cols != NULL) {
        for (int64_t c = 0; c < ncols; c++) views_free(&r.cols[c]);
        free(r.cols);
    }
    PyBuffer_Release(&data);
    PyBuffer_Release(&prefix);
    return result;
}

static PyObject *set_buffer_limit(PyObject *self, PyObject *arg) {
    (void)self;
    long long limit = PyLong_AsLongLong(arg);
    if (limit == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (limit < 64 || limit > ((int64_t)1 << 30)) {
        PyErr_SetString(PyExc_ValueError, "the limit must be between 64 bytes and 1 GiB");
        return NULL;
    }
    long long previous = DATA_BUFFER_LIMIT;
    DATA_BUFFER_LIMIT = limit;
    return PyLong_FromLongLong(previous);
}

/* --- Literal gates ------------------------------------------------------------------------ */

/* The free-text gates that are alternations of fixed-length sequences of character sets
 * (``literal_gates.parse``): which of them each cell contains, all in one scan of its
 * characters. An alternative is looked up by its first character (a sorted table, with a
 * bitmap of the BMP's first characters to skip the others at once), then its other positions
 * are checked in place. */

typedef struct {
    int gate;
    int64_t first_position; /* into positions */
    int64_t n_positions;
} GateAlternative;

typedef struct {
    int64_t start; /* into codes */
    int64_t count;
} GatePosition;

typedef struct {
    uint32_t code;
    int64_t alternative;
} GateFirst;

typedef struct {
    GateAlternative *alternatives;
    int64_t n_alternatives;
    GatePosition *positions;
    int64_t n_positions;
    uint32_t *codes;
    int64_t n_codes;
    GateFirst *firsts;
    int64_t n_firsts;
    uint8_t bmp_first[0x10000 / 8];
    uint64_t all_gates;
} GateSpec;

static void gate_spec_free(GateSpec *spec) {
    free(spec->alternatives);
    free(spec->positions);
    free(spec->codes);
    free(spec->firsts);
}

static int gate_first_order(const void *a, const void *b) {
    const GateFirst *x = a, *y = b;
    if (x->code != y->code) {
        return x->code < y->code ? -1 : 1;
    }
    return x->alternative < y->alternative ? -1 : x->alternative > y->alternative;
}

/* Makes ``*array`` (``*capacity`` items of ``item_size`` bytes) hold at least ``needed``
 * items, doubling its capacity; -1 with MemoryError set (``*array`` kept) when it cannot. */
static int grow_array(void **array, int64_t *capacity, int64_t needed, size_t item_size) {
    if (needed <= *capacity) {
        return 0;
    }
    int64_t grown_capacity = *capacity;
    while (grown_capacity < needed) {
        grown_capacity *= 2;
    }
    void *grown = realloc(*array, (size_t)grown_capacity * item_size);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *array = grown;
    *capacity = grown_capacity;
    return 0;
}

/* ``alternatives``: a sequence of (gate, (set, set, ...)), each set a str of its characters. */
static int gate_spec_read(PyObject *alternatives, GateSpec *spec) {
    memset(spec, 0, sizeof(*spec));
    PyObject *seq = PySequence_Fast(alternatives, "the alternatives must be a sequence");
    if (seq == NULL) {
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    int64_t cap_positions = 16, cap_codes = 64, cap_firsts = 64;
    spec->alternatives = calloc((size_t)(n > 0 ? n : 1), sizeof(GateAlternative));
    spec->positions = malloc((size_t)cap_positions * sizeof(GatePosition));
    spec->codes = malloc((size_t)cap_codes * sizeof(uint32_t));
    spec->firsts = malloc((size_t)cap_firsts * sizeof(GateFirst));
    if (!spec->alternatives || !spec->positions || !spec->codes || !spec->firsts) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t a = 0; a < n; a++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, a);
        int gate;
        PyObject *sets;
        if (!PyArg_ParseTuple(item, "iO", &gate, &sets)) {
            goto fail;
        }
        if (gate < 0 || gate >= 64) {
            PyErr_SetString(PyExc_ValueError, "a gate's index must be in 0..63");
            goto fail;
        }
        PyObject *set_seq = PySequence_Fast(sets, "the sets must be a sequence");
        if (set_seq == NULL) {
            goto fail;
        }
        Py_ssize_t n_sets = PySequence_Fast_GET_SIZE(set_seq);
        if (n_sets == 0) {
            Py_DECREF(set_seq);
            PyErr_SetString(PyExc_ValueError, "an alternative needs a character");
            goto fail;
        }
        GateAlternative *alt = &spec->alternatives[a];
        alt->gate = gate;
        alt->first_position = spec->n_positions;
        alt->n_positions = n_sets;
        spec->all_gates |= (uint64_t)1 << gate;
        for (Py_ssize_t k = 0; k < n_sets; k++) {
            PyObject *set = PySequence_Fast_GET_ITEM(set_seq, k);
            if (!PyUnicode_Check(set) || PyUnicode_GET_LENGTH(set) == 0) {
                Py_DECREF(set_seq);
                PyErr_SetString(PyExc_ValueError, "a set must be a non-empty str");
                goto fail;
            }
            Py_ssize_t size = PyUnicode_GET_LENGTH(set);
            if (grow_array((void **)&spec->positions, &cap_positions, spec->n_positions + 1,
                           sizeof(GatePosition)) < 0
                || grow_array((void **)&spec->codes, &cap_codes, spec->n_codes + size,
                              sizeof(uint32_t)) < 0) {
                Py_DECREF(set_seq);
                goto fail;
            }
            GatePosition *position = &spec->positions[spec->n_positions++];
            position->start = spec->n_codes;
            position->count = size;
            for (Py_ssize_t j = 0; j < size; j++) {
                uint32_t code = PyUnicode_READ_CHAR(set, j);
                spec->codes[spec->n_codes++] = code;
                if (k == 0) {
                    if (grow_array((void **)&spec->firsts, &cap_firsts, spec->n_firsts + 1,
                                   sizeof(GateFirst)) < 0) {
                        Py_DECREF(set_seq);
                        goto fail;
                    }
                    spec->firsts[spec->n_firsts].code = code;
                    spec->firsts[spec->n_firsts].alternative = a;
                    spec->n_firsts++;
                    if (code < 0x10000) {
                        spec->bmp_first[code >> 3] |= (uint8_t)(1 << (code & 7));
                    }
                }
            }
        }
        Py_DECREF(set_seq);
    }
    spec->n_alternatives = n;
    Py_DECREF(seq);
    qsort(spec->firsts, (size_t)spec->n_firsts, sizeof(GateFirst), gate_first_order);
    return 0;
fail:
    Py_DECREF(seq);
    gate_spec_free(spec);
    return -1;
}

static inline int gate_position_has(const GateSpec *spec, const GatePosition *position,
                                    uint32_t code) {
    const uint32_t *codes = spec->codes + position->start;
    for (int64_t j = 0; j < position->count; j++) {
        if (codes[j] == code) {
            return 1;
        }
    }
    return 0;
}

/* The gates (bits) the code points ``cps[0..n)`` contain an alternative of. */
static uint64_t gate_mask(const GateSpec *spec, const uint32_t *cps, int64_t n) {
    uint64_t passed = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t code = cps[i];
        if (code < 0x10000 && !(spec->bmp_first[code >> 3] & (1 << (code & 7)))) {
            continue;
        }
        int64_t lo = 0, hi = spec->n_firsts;
        while (lo < hi) { /* the first entry with this code */
            int64_t mid = lo + (hi - lo) / 2;
            if (spec->firsts[mid].code < code) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int64_t f = lo; f < spec->n_firsts && spec->firsts[f].code == code; f++) {
            const GateAlternative *alt = &spec->alternatives[spec->firsts[f].alternative];
            uint64_t bit = (uint64_t)1 << alt->gate;
            if ((passed & bit) || i + alt->n_positions > n) {
                continue;
            }
            int64_t k = 1;
            while (k < alt->n_positions
                   && gate_position_has(spec, &spec->positions[alt->first_position + k],
                                        cps[i + k])) {
                k++;
            }
            if (k == alt->n_positions) {
                passed |= bit;
                if (passed == spec->all_gates) {
                    return passed;
                }
            }
        }
    }
    return passed;
}

static PyObject *literal_gates(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *capsule, *alternatives;
    if (!PyArg_ParseTuple(args, "OO", &capsule, &alternatives)) {
        return NULL;
    }
    GateSpec *spec = malloc(sizeof(GateSpec));
    if (spec == NULL) {
        return PyErr_NoMemory();
    }
    if (gate_spec_read(alternatives, spec) != 0) {
        free(spec);
        return NULL;
    }
    Column column;
    if (column_of(capsule, &column, 0) != 0) {
        gate_spec_free(spec);
        free(spec);
        return NULL;
    }
    PyObject *result = PyByteArray_FromStringAndSize(NULL, column.length * 8);
    if (result == NULL) {
        column_free(&column);
        gate_spec_free(spec);
        free(spec);
        return NULL;
    }
    uint64_t *out = (uint64_t *)PyByteArray_AS_STRING(result);
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    int64_t at = 0, room = 256;
    uint32_t *cps = malloc((size_t)room * sizeof(uint32_t));
    if (cps == NULL) {
        failed = 2;
    }
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
            if (got == 0) {
                out[at] = 0;
                continue;
            }
            if (size > room) { /* never more characters than bytes */
                uint32_t *grown = realloc(cps, (size_t)size * sizeof(uint32_t));
                if (grown == NULL) {
                    failed = 2;
                    break;
                }
                cps = grown;
                room = size;
            }
            int64_t n = 0;
            for (int64_t p = 0; p < size; p += char_size(cell[p])) {
                cps[n++] = code_at(cell, p, size);
            }
            out[at] = gate_mask(spec, cps, n);
        }
    }
    free(cps);
    Py_END_ALLOW_THREADS
    column_free(&column);
    gate_spec_free(spec);
    free(spec);
    if (failed) {
        Py_DECREF(result);
        if (failed == 2) {
            return PyErr_NoMemory();
        }
        PyErr_SetString(PyExc_ValueError, "a string view points outside its buffer");
        return NULL;
    }
    return result;
}

/* --- Free-text cells: the normal form of the plain ones ----------------------------------- */

/* The characters ``normalise._PLAIN`` holds (NFKC leaves them and joins them with nothing). */
static inline int plain_code(uint32_t c) {
    return c < 0x80 || c == 0xd7 || (c >= 0x3001 && c <= 0x3003) || (c >= 0x3005 && c <= 0x3007)
           || (c >= 0x300c && c <= 0x3012) || c == 0x301c || (c >= 0x3041 && c <= 0x3096)
           || (c >= 0x30a1 && c <= 0x30fc) || (c >= 0x4e00 && c <= 0x9fff);
}

static inline int ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* ``normalise.normalise(text).text`` of each str of ``texts`` whose normal form maps to it one
 * character for one (its offset map is the identity): the text itself, or a new str when the
 * full-width ASCII, the ideographic space or a ー between digits changed; None for any other
 * text (a character outside ``plain_code`` once widths are folded), which ``normalise`` reads
 * in Python. The same result as ``normalise``'s fast paths, one pass of C over all the cells. */
static PyObject *plain_texts(PyObject *self, PyObject *texts) {
    (void)self;
    PyObject *seq = PySequence_Fast(texts, "the texts must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    uint32_t *buffer = NULL;
    Py_ssize_t buffer_size = 0;
    if (out == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "each text must be a str");
            goto fail;
        }
        if (PyUnicode_READY(text) < 0) {
            goto fail;
        }
        Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        if (PyUnicode_IS_ASCII(text)) {
            Py_INCREF(text);
            PyList_SET_ITEM(out, i, text);
            continue;
        }
        if (length > buffer_size) {
            uint32_t *grown = realloc(buffer, (size_t)length * sizeof(uint32_t));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            buffer = grown;
            buffer_size = length;
        }
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        int plain = 1, changed = 0;
        for (Py_ssize_t j = 0; j < length; j++) {
            uint32_t c = PyUnicode_READ(kind, data, j);
            if (c >= 0xff01 && c <= 0xff5e) {
                c -= 0xfee0;
                changed = 1;
            } else if (c == 0x3000) {
                c = ' ';
                changed = 1;
            } else if (!plain_code(c)) {
                plain = 0;
                break;
            }
            buffer[j] = c;
        }
        if (!plain) {
            Py_INCREF(Py_None);
            PyList_SET_ITEM(out, i, Py_None);
            continue;
        }
        /* ``normalise._fold``: of the dashes and spaces it folds, only ー is plain, and only
         * between ASCII digits of the text with its widths folded does it become "-". */
        for (Py_ssize_t j = 1; j + 1 < length; j++) {
            if (buffer[j] == 0x30fc && ascii_digit(buffer[j - 1]) && ascii_digit(buffer[j + 1])) {
                buffer[j] = '-';
                changed = 1;
            }
        }
        PyObject *normal = text;
        if (changed) {
            normal = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buffer, length);
            if (normal == NULL) {
                goto fail;
            }
        } else {
            Py_INCREF(text);
        }
        PyList_SET_ITEM(out, i, normal);
    }
    free(buffer);
    Py_DECREF(seq);
    return out;
fail:
    free(buffer);
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* --- Free-text cells: what follows a detector's match (detectors.detect_cells) ------------- */

/* ``Detector._context`` / ``_exclude`` (``detectors._word_pattern``) as words to look for: each
 * word's characters, and whether it is bounded (an ASCII word beginning with a letter or digit:
 * ``(?<![A-Za-z])…(?![A-Za-z])``). The pattern is compiled with IGNORECASE: an ASCII letter of
 * a word also takes the other case and what sre's case folding adds (ı and İ for i, ſ for s,
 * the Kelvin sign for k); ``detectors._compiled_words`` sends only words whose other characters
 * have no case, so they match themselves alone. */
typedef struct {
    Py_ssize_t count;
    Py_ssize_t *lengths;
    uint32_t **chars; /* folded: an ASCII letter in lower case */
    uint8_t *bounded;
} Words;

static void words_free(Words *w) {
    if (w->chars != NULL) {
        for (Py_ssize_t i = 0; i < w->count; i++) {
            free(w->chars[i]);
        }
    }
    free(w->chars);
    free(w->lengths);
    free(w->bounded);
    memset(w, 0, sizeof(*w));
}

/* What a text's character is for the comparison: ASCII letters and the four characters sre's
 * IGNORECASE takes for one as that letter in lower case, any other as itself. */
static inline uint32_t fold_code(uint32_t c) {
    if (c >= 'A' && c <= 'Z') {
        return c + 32;
    }
    if (c < 0x80) {
        return c;
    }
    switch (c) {
    case 0x130:
    case 0x131:
        return 'i';
    case 0x17f:
        return 's';
    case 0x212a:
        return 'k';
    default:
        return c;
    }
}

static inline int folded_letter(uint32_t c) { return c >= 'a' && c <= 'z'; }

static int words_read(PyObject *words, Words *w) {
    memset(w, 0, sizeof(*w));
    PyObject *seq = PySequence_Fast(words, "the words must be a sequence of (str, bool)");
    if (seq == NULL) {
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    w->count = n;
    w->lengths = calloc((size_t)(n ? n : 1), sizeof(Py_ssize_t));
    w->chars = calloc((size_t)(n ? n : 1), sizeof(uint32_t *));
    w->bounded = calloc((size_t)(n ? n : 1), 1);
    if (w->lengths == NULL || w->chars == NULL || w->bounded == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        PyObject *word;
        int bounded;
        if (!PyTuple_Check(item) || !PyArg_ParseTuple(item, "Up", &word, &bounded)) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "each word must be (str, bool)");
            }
            goto fail;
        }
        Py_ssize_t length = PyUnicode_GET_LENGTH(word);
        if (length == 0) {
            PyErr_SetString(PyExc_ValueError, "a word must not be empty");
            goto fail;
        }
        w->chars[i] = malloc((size_t)length * sizeof(uint32_t));
        if (w->chars[i] == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        for (Py_ssize_t j = 0; j < length; j++) {
            w->chars[i][j] = fold_code(PyUnicode_READ(kind, data, j));
        }
        w->lengths[i] = length;
        w->bounded[i] = (uint8_t)(bounded != 0);
    }
    Py_DECREF(seq);
    return 0;
fail:
    Py_DECREF(seq);
    words_free(w);
    return -1;
}

/* Whether ``words`` has a match in ``text[lo:hi]`` as ``pattern.search(text, lo, hi)`` finds it:
 * the look-behind of a bounded word reads the text before ``lo``, its look-ahead sees the end
 * of the text at ``hi``. */
static int words_in(const Words *w, int kind, const void *data, Py_ssize_t length,
                    Py_ssize_t lo, Py_ssize_t hi) {
    if (lo < 0) {
        lo = 0;
    }
    if (hi > length) {
        hi = length;
    }
    for (Py_ssize_t p = lo; p < hi; p++) {
        uint32_t first = fold_code(PyUnicode_READ(kind, data, p));
        for (Py_ssize_t k = 0; k < w->count; k++) {
            Py_ssize_t size = w->lengths[k];
            const uint32_t *chars = w->chars[k];
            if (chars[0] != first || p + size > hi) {
                continue;
            }
            Py_ssize_t j = 1;
            while (j < size && fold_code(PyUnicode_READ(kind, data, p + j)) == chars[j]) {
                j++;
            }
            if (j < size) {
                continue;
            }
            if (w->bounded[k]) {
                if (p > 0 && folded_letter(fold_code(PyUnicode_READ(kind, data, p - 1)))) {
                    continue;
                }
                if (p + size < hi
                    && folded_letter(fold_code(PyUnicode_READ(kind, data, p + size)))) {
                    continue;
                }
            }
            return 1;
        }
    }
    return 0;
}

static int ssize_list(PyObject *list, Py_ssize_t n, Py_ssize_t **out, const char *what) {
    PyObject *seq = PySequence_Fast(list, what);
    if (seq == NULL) {
        return -1;
    }
    if (PySequence_Fast_GET_SIZE(seq) != n) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "%s: %zd items, not %zd", what,
                     PySequence_Fast_GET_SIZE(seq), n);
        return -1;
    }
    *out = malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    if (*out == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t v = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(seq, i));
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(seq);
            free(*out);
            *out = NULL;
            return -1;
        }
        (*out)[i] = v;
    }
    Py_DECREF(seq);
    return 0;
}

/* keep_spans(context, exclude, window, texts, index, starts, ends, checks) -> bytes:
 * ``Detector.candidate_at`` after ``validate`` for each span ``texts[index[k]][starts[k]:
 * ends[k]]``, ``checks[k]`` being 0 (the value does not validate), 1 (it does, and needs no
 * context word) or 3 (it does, and needs one): 0 dropped, 1 kept without a context word near,
 * 2 kept with one. A context word (``context``, see ``Words``) is near when it lies within
 * ``window`` characters before the span or after it (``Detector.has_context``); without one,
 * a span that needs one, or that has an ``exclude`` word in the window before it
 * (``Detector.is_excluded``), is dropped. */
static PyObject *keep_spans(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *context_words, *exclude_words, *texts, *index_list, *start_list, *end_list;
    Py_ssize_t window;
    Py_buffer checks;
    if (!PyArg_ParseTuple(args, "OOnOOOOy*", &context_words, &exclude_words, &window, &texts,
                          &index_list, &start_list, &end_list, &checks)) {
        return NULL;
    }
    Py_ssize_t n = checks.len;
    Words context, exclude;
    Py_ssize_t *index = NULL, *starts = NULL, *ends = NULL;
    PyObject *seq = NULL, *result = NULL;
    int have_context = 0, have_exclude = 0;
    if (words_read(context_words, &context) != 0) {
        goto done;
    }
    have_context = 1;
    if (words_read(exclude_words, &exclude) != 0) {
        goto done;
    }
    have_exclude = 1;
    if (ssize_list(index_list, n, &index, "index") != 0
        || ssize_list(start_list, n, &starts, "starts") != 0
        || ssize_list(end_list, n, &ends, "ends") != 0) {
        goto done;
    }
    seq = PySequence_Fast(texts, "the texts must be a sequence");
    if (seq == NULL) {
        goto done;
    }
    Py_ssize_t ntexts = PySequence_Fast_GET_SIZE(seq);
    result = PyBytes_FromStringAndSize(NULL, n);
    if (result == NULL) {
        goto done;
    }
    uint8_t *out = (uint8_t *)PyBytes_AS_STRING(result);
    const uint8_t *check = checks.buf;
    for (Py_ssize_t k = 0; k < n; k++) {
        out[k] = 0;
        if (check[k] == 0) {
            continue;
        }
        if (index[k] < 0 || index[k] >= ntexts) {
            PyErr_SetString(PyExc_IndexError, "a span's text index is out of range");
            Py_CLEAR(result);
            goto done;
        }
        PyObject *text = PySequence_Fast_GET_ITEM(seq, index[k]);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "each text must be a str");
            Py_CLEAR(result);
            goto done;
        }
        Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        Py_ssize_t start = starts[k], end = ends[k];
        if (start < 0 || end < start || end > length) {
            PyErr_SetString(PyExc_IndexError, "a span lies outside its text");
            Py_CLEAR(result);
            goto done;
        }
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        if (context.count > 0
            && (words_in(&context, kind, data, length, start - window, start)
                || words_in(&context, kind, data, length, end, end + window))) {
            out[k] = 2;
            continue;
        }
        if (check[k] == 3) {
            continue;
        }
        if (exclude.count > 0 && words_in(&exclude, kind, data, length, start - window, start)) {
            continue;
        }
        out[k] = 1;
    }
done:
    if (have_context) {
        words_free(&context);
    }
    if (have_exclude) {
        words_free(&exclude);
    }
    free(index);
    free(starts);
    free(ends);
    Py_XDECREF(seq);
    PyBuffer_Release(&checks);
    return result;
}

typedef struct {
    Py_ssize_t text, start, end, strength, priority, order;
} Span;

/* The order of ``detectors._resolve``: by text, then the longer span first, the stronger, the
 * higher priority, the earlier start, and the order found (its sort is stable). */
static int span_order(const void *a, const void *b) {
    const Span *x = a, *y = b;
    Py_ssize_t keys[6][2] = {
        {x->text, y->text},
        {x->start - x->end, y->start - y->end},
        {-x->strength, -y->strength},
        {-x->priority, -y->priority},
        {x->start, y->start},
        {x->order, y->order},
    };
    for (int i = 0; i < 6; i++) {
        if (keys[i][0] != keys[i][1]) {
            return keys[i][0] < keys[i][1] ? -1 : 1;
        }
    }
    return 0;
}

/* resolve(index, starts, ends, strengths, priorities) -> list of int: the candidates that
 * stand (``detectors._resolve`` on each text's candidates, ``index[k]`` the text of candidate
 * k), as candidate numbers by text, then by start. */
static PyObject *resolve(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *lists[5];
    if (!PyArg_ParseTuple(args, "OOOOO", &lists[0], &lists[1], &lists[2], &lists[3],
                          &lists[4])) {
        return NULL;
    }
    Py_ssize_t n = PyObject_Length(lists[0]);
    if (n < 0) {
        return NULL;
    }
    static const char *names[5] = {"index", "starts", "ends", "strengths", "priorities"};
    Py_ssize_t *values[5] = {NULL, NULL, NULL, NULL, NULL};
    Span *spans = NULL;
    Py_ssize_t *taken = NULL;
    PyObject *result = NULL;
    for (int i = 0; i < 5; i++) {
        if (ssize_list(lists[i], n, &values[i], names[i]) != 0) {
            goto done;
        }
    }
    spans = malloc((size_t)(n ? n : 1) * sizeof(Span));
    taken = malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    if (spans == NULL || taken == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        spans[k] = (Span){values[0][k], values[1][k], values[2][k], values[3][k], values[4][k], k};
    }
    qsort(spans, (size_t)n, sizeof(Span), span_order);
    result = PyList_New(0);
    if (result == NULL) {
        goto done;
    }
    Py_ssize_t group = 0;
    while (group < n) {
        Py_ssize_t stop = group;
        while (stop < n && spans[stop].text == spans[group].text) {
            stop++;
        }
        /* ``taken``: this text's kept spans (indexes into ``spans``) ordered by start, as
         * ``_resolve`` keeps them with bisect */
        Py_ssize_t count = 0;
        for (Py_ssize_t k = group; k < stop; k++) {
            const Span *c = &spans[k];
            Py_ssize_t lo = 0, hi = count; /* bisect_left on the starts */
            while (lo < hi) {
                Py_ssize_t mid = (lo + hi) / 2;
                if (spans[taken[mid]].start < c->start) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if ((lo > 0 && spans[taken[lo - 1]].end > c->start)
                || (lo < count && spans[taken[lo]].start < c->end)) {
                continue;
            }
            memmove(&taken[lo + 1], &taken[lo], (size_t)(count - lo) * sizeof(Py_ssize_t));
            taken[lo] = k;
            count++;
        }
        for (Py_ssize_t j = 0; j < count; j++) {
            PyObject *number = PyLong_FromSsize_t(spans[taken[j]].order);
            if (number == NULL || PyList_Append(result, number) != 0) {
                Py_XDECREF(number);
                Py_CLEAR(result);
                goto done;
            }
            Py_DECREF(number);
        }
        group = stop;
    }
done:
    for (int i = 0; i < 5; i++) {
        free(values[i]);
    }
    free(spans);
    free(taken);
    return result;
}

/* --- Free-text matches: the validation of the common detectors' values --------------------- */

/* Python's str.isspace() for an ASCII character (what str.strip() takes away). */
static inline int py_space(uint8_t c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* ``detectors.phone.validate`` of an ASCII value: its digit groups in domestic form (+81 → 0),
 * a Japanese number's kind (fixed, mobile, ip, toll-free, navi dial) and the grouping the kind
 * allows. */
static int phone_valid(const uint8_t *s, Py_ssize_t n) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi && py_space(s[lo])) {
        lo++;
    }
    while (hi > lo && py_space(s[hi - 1])) {
        hi--;
    }
    int international = hi - lo >= 3 && s[lo] == '+' && s[lo + 1] == '8' && s[lo + 2] == '1';
    if (international) {
        lo += 3;
        while (lo < hi && (s[lo] == ' ' || s[lo] == '-')) {
            lo++;
        }
        if (hi - lo >= 3 && s[lo] == '(' && s[lo + 1] == '0' && s[lo + 2] == ')') {
            lo += 3;
        }
    }
    if (lo >= hi) {
        return 0;
    }
    char digits[16];
    int lengths[16], groups = 0, count = 0, in_group = 0;
    for (Py_ssize_t i = lo; i < hi; i++) {
        uint8_t c = s[i];
        if (c >= '0' && c <= '9') {
            if (!in_group) {
                if (groups == 16) {
                    return 0; /* far more groups than any number has */
                }
                lengths[groups++] = 0;
                in_group = 1;
                if (international && groups == 1 && c != '0') {
                    digits[count++] = '0'; /* +81 90 … → 090 … */
                    lengths[0]++;
                }
            }
            if (count == 12) {
                return 0; /* no kind has more than 11 digits */
            }
            digits[count++] = (char)c;
            lengths[groups - 1]++;
        } else if (c == ' ' || c == '(' || c == ')' || c == '-') {
            in_group = 0;
        } else {
            return 0;
        }
    }
    if (groups == 0 || count < 10 || digits[0] != '0' || digits[1] == '0') {
        return 0;
    }
    /* kind() */
    enum { FIXED, MOBILE, IP, TOLL_FREE, NAVI_DIAL } kind;
    if (memcmp(digits, "0120", 4) == 0 || memcmp(digits, "0570", 4) == 0) {
        if (count != 10) {
            return 0;
        }
        kind = digits[1] == '1' ? TOLL_FREE : NAVI_DIAL;
    } else if (memcmp(digits, "0800", 4) == 0) {
        if (count != 11) {
            return 0;
        }
        kind = TOLL_FREE;
    } else if (memcmp(digits, "070", 3) == 0 || memcmp(digits, "080", 3) == 0
               || memcmp(digits, "090", 3) == 0) {
        if (count != 11) {
            return 0;
        }
        kind = MOBILE;
    } else if (memcmp(digits, "050", 3) == 0) {
        if (count != 11) {
            return 0;
        }
        kind = IP;
    } else if (memcmp(digits, "020", 3) == 0 || memcmp(digits, "060", 3) == 0
               || memcmp(digits, "0180", 4) == 0 || memcmp(digits, "0990", 4) == 0) {
        return 0;
    } else {
        if (count != 10) {
            return 0;
        }
        kind = FIXED;
    }
    /* _groups_fit() */
    if (groups == 1) {
        return 1;
    }
    if (groups == 2) {
        return (lengths[0] >= 2 && lengths[0] <= 5) || lengths[1] == 4;
    }
    if (groups != 3) {
        return 0;
    }
    int a = lengths[0], b = lengths[1], c = lengths[2];
    switch (kind) {
    case FIXED:
        return a >= 2 && a <= 5 && a + b == 6 && c == 4;
    case MOBILE:
    case IP:
        return a == 3 && b == 4 && c == 4;
    case TOLL_FREE:
        return (a == 4 && b == 3 && (c == 3 || c == 4)) || (a == 3 && b == 4 && c == 4);
    case NAVI_DIAL:
        return a == 4 && b == 3 && c == 3;
    }
    return 0;
}

/* ``detectors.postal_code.validate`` of an ASCII value: seven digits, not 000 first. */
static int postal_valid(const uint8_t *s, Py_ssize_t n) {
    char digits[7];
    int count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (count == 7) {
                return 0;
            }
            digits[count++] = (char)s[i];
        }
    }
    return count == 7 && memcmp(digits, "000", 3) != 0;
}

static inline int ascii_alnum(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ``detectors.email.validate`` of an ASCII value: a local part (no dot first, last or twice)
 * and a domain of at least two labels, each ``[^\W_](?:[\w-]{0,61}[^\W_])?``, the last not
 * all digits and of two characters or more; 254 characters at most, 64 for the local part. */
static int email_valid(const uint8_t *s, Py_ssize_t n) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi && py_space(s[lo])) {
        lo++;
    }
    while (hi > lo && py_space(s[hi - 1])) {
        hi--;
    }
    Py_ssize_t at = hi - 1;
    while (at >= lo && s[at] != '@') {
        at--;
    }
    if (at < lo || at == lo || at == hi - 1 || hi - lo > 254 || at - lo > 64) {
        return 0;
    }
    if (s[lo] == '.' || s[at - 1] == '.') {
        return 0;
    }
    for (Py_ssize_t i = lo; i + 1 < at; i++) {
        if (s[i] == '.' && s[i + 1] == '.') {
            return 0;
        }
    }
    Py_ssize_t labels = 0, start = at + 1;
    for (Py_ssize_t i = at + 1; i <= hi; i++) {
        if (i < hi && s[i] != '.') {
            continue;
        }
        Py_ssize_t size = i - start; /* the label s[start:i] */
        if (size == 0 || size > 63 || !ascii_alnum(s[start]) || !ascii_alnum(s[i - 1])) {
            return 0;
        }
        for (Py_ssize_t j = start + 1; j + 1 < i; j++) {
            if (!ascii_alnum(s[j]) && s[j] != '_' && s[j] != '-') {
                return 0;
            }
        }
        labels++;
        if (i == hi) { /* the last label: not all digits, two characters or more */
            int digits = 1;
            for (Py_ssize_t j = start; j < i; j++) {
                digits &= s[j] >= '0' && s[j] <= '9';
            }
            if (digits || size < 2) {
                return 0;
            }
        }
        start = i + 1;
    }
    return labels >= 2;
}

enum { VALID_PHONE, VALID_POSTAL_CODE, VALID_EMAIL };

/* valid_values(kind, values) -> bytes: per value 1 if the detector's ``validate`` accepts it,
 * 0 if not, 2 for a value that is not ASCII (its NFKC may differ: ``validate`` decides). */
static PyObject *valid_values(PyObject *self, PyObject *args) {
    (void)self;
    int kind;
    PyObject *values;
    if (!PyArg_ParseTuple(args, "iO", &kind, &values)) {
        return NULL;
    }
    if (kind != VALID_PHONE && kind != VALID_POSTAL_CODE && kind != VALID_EMAIL) {
        PyErr_SetString(PyExc_ValueError, "unknown kind of value");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(values, "the values must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *result = PyBytes_FromStringAndSize(NULL, n);
    if (result == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    uint8_t *out = (uint8_t *)PyBytes_AS_STRING(result);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "each value must be a str");
            Py_DECREF(result);
            Py_DECREF(seq);
            return NULL;
        }
        if (!PyUnicode_IS_ASCII(value)) {
            out[i] = 2;
            continue;
        }
        const uint8_t *s = PyUnicode_1BYTE_DATA(value);
        Py_ssize_t size = PyUnicode_GET_LENGTH(value);
        out[i] = (uint8_t)(kind == VALID_PHONE         ? phone_valid(s, size)
                           : kind == VALID_POSTAL_CODE ? postal_valid(s, size)
                                                       : email_valid(s, size));
    }
    Py_DECREF(seq);
    return result;
}

/* --- The people counter's key hashes (people._key_hash) ----------------------------------- */

/* SplitMix64's finaliser (people._mix): a bijection of 64-bit words. */
static inline uint64_t splitmix_finish(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#define KEY_FIELDS_MAX 8

/* key_hashes(out, salt, rows, fields): for each edge e, the hash of its key from the hashes
 * of its fields (people._key_hash: z = salt, then z = mix(z ^ field) per field in order), the
 * field hashes taken at record rows[e] (rows None: at e). out: a writable buffer of uint64,
 * one per edge; rows: int64 record positions; fields: a tuple of uint64 buffers of one length.
 * One pass with no temporary arrays (the numpy expression made eight per field). */
static PyObject *key_hashes(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer out, rows = {0};
    unsigned long long salt;
    PyObject *rows_object, *fields;
    if (!PyArg_ParseTuple(args, "w*KOO!", &out, &salt, &rows_object, &PyTuple_Type, &fields)) {
        return NULL;
    }
    Py_buffer field[KEY_FIELDS_MAX];
    Py_ssize_t n_fields = PyTuple_GET_SIZE(fields), got = 0;
    PyObject *result = NULL;
    if (n_fields < 1 || n_fields > KEY_FIELDS_MAX) {
        PyErr_SetString(PyExc_ValueError, "one to eight fields");
        goto done;
    }
    if (rows_object != Py_None && PyObject_GetBuffer(rows_object, &rows, PyBUF_C_CONTIGUOUS) != 0) {
        goto done;
    }
    for (; got < n_fields; got++) {
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(fields, got), &field[got], PyBUF_C_CONTIGUOUS)
            != 0) {
            goto done;
        }
    }
    if (out.len % 8 != 0 || (rows.obj != NULL && rows.len % 8 != 0)) {
        PyErr_SetString(PyExc_ValueError, "buffers of 8-byte words expected");
        goto done;
    }
    Py_ssize_t edges = out.len / 8, records = field[0].len / 8;
    for (Py_ssize_t f = 0; f < n_fields; f++) {
        if (field[f].len % 8 != 0 || field[f].len / 8 != records) {
            PyErr_SetString(PyExc_ValueError, "the fields' hashes differ in length");
            goto done;
        }
    }
    if (rows.obj != NULL ? rows.len / 8 != edges : records != edges) {
        PyErr_SetString(PyExc_ValueError, "as many edges as rows (or records) expected");
        goto done;
    }
    uint64_t *hashes = out.buf;
    const int64_t *at = rows.obj != NULL ? rows.buf : NULL;
    const uint64_t *columns[KEY_FIELDS_MAX];
    for (Py_ssize_t f = 0; f < n_fields; f++) {
        columns[f] = field[f].buf;
    }
    int outside = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t e = 0; e < edges; e++) {
        int64_t r = at != NULL ? at[e] : (int64_t)e;
        if (r < 0 || r >= (int64_t)records) {
            outside = 1;
            break;
        }
        uint64_t z = (uint64_t)salt;
        for (Py_ssize_t f = 0; f < n_fields; f++) {
            z = splitmix_finish(z ^ columns[f][r]);
        }
        hashes[e] = z;
    }
    Py_END_ALLOW_THREADS
    if (outside) {
        PyErr_SetString(PyExc_IndexError, "a row outside the fields");
        goto done;
    }
    result = Py_NewRef(Py_None);
done:
    for (Py_ssize_t f = 0; f < got; f++) {
        PyBuffer_Release(&field[f]);
    }
    if (rows.obj != NULL) {
        PyBuffer_Release(&rows);
    }
    PyBuffer_Release(&out);
    return result;
}

/* shared_positions(out, keys, table, sorted) -> int: the positions (into out, int64) of
 * the keys (uint64) that are among the sorted unique keys ``sorted`` (uint64), and how many
 * (people._membership): ``table`` holds one byte per value of a key's low bits (its length,
 * a power of two), non-zero where a key of ``sorted`` has those bits, so that only the few
 * keys it lets through are looked up by binary search. One pass with no temporary arrays. */
static PyObject *shared_positions(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer out, keys, table, sorted;
    if (!PyArg_ParseTuple(args, "w*y*y*y*", &out, &keys, &table, &sorted)) {
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t n = keys.len / 8, size = sorted.len / 8;
    uint64_t low = (uint64_t)table.len - 1;
    if (out.len % 8 != 0 || keys.len % 8 != 0 || sorted.len % 8 != 0 || out.len < keys.len
        || table.len == 0 || (table.len & (table.len - 1)) != 0) {
        PyErr_SetString(PyExc_ValueError,
                        "int64 room for every key, uint64 keys and a table of 2**k bytes expected");
        goto done;
    }
    int64_t *positions = out.buf;
    const uint64_t *key = keys.buf, *members = sorted.buf;
    const uint8_t *marked = table.buf;
    Py_ssize_t found = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t e = 0; e < n; e++) {
        uint64_t k = key[e];
        if (!marked[k & low]) {
            continue;
        }
        Py_ssize_t lo = 0, hi = size; /* the first member >= k */
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (members[mid] < k) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo < size && members[lo] == k) {
            positions[found++] = (int64_t)e;
        }
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(found);
done:
    PyBuffer_Release(&out);
    PyBuffer_Release(&keys);
    PyBuffer_Release(&table);
    PyBuffer_Release(&sorted);
    return result;
}

/* shared_keys(scratch, parts) -> int: the keys (uint64) that occur more than once among the
 * parts' keys, each once, written to the front of scratch (uint64, room for every key), and
 * how many; grouped by their top bits, in no order within a group (people._shared_keys sorts
 * them). parts: a tuple of (keys, positions) pairs, positions an int64 buffer of the keys to
 * take (in range) or None for all of them. Instead of sorting every key (numpy's sort of
 * ~6 M keys streams the array from memory ~23 times) the keys are scattered by their top bits
 * into groups of a few thousand, and each group's duplicates found with a small hash table
 * that stays in cache. A shared key is written once found twice: never past the keys read so
 * far, so scratch holds both. */
#define SHARED_GROUP_KEYS 4096

typedef struct {
    Py_buffer keys, positions;
    int has_positions;
} SharedPart;

static PyObject *shared_keys(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer scratch;
    PyObject *parts_object;
    if (!PyArg_ParseTuple(args, "w*O!", &scratch, &PyTuple_Type, &parts_object)) {
        return NULL;
    }
    Py_ssize_t n_parts = PyTuple_GET_SIZE(parts_object), got = 0;
    SharedPart *parts = PyMem_Calloc(n_parts ? (size_t)n_parts : 1, sizeof(SharedPart));
    uint64_t *starts = NULL, *fill = NULL, *slots = NULL;
    uint8_t *state = NULL;
    PyObject *result = NULL;
    if (parts == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t total = 0;
    for (; got < n_parts; got++) {
        PyObject *pair = PyTuple_GET_ITEM(parts_object, got);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "(keys, positions) pairs expected");
            goto done;
        }
        SharedPart *part = &parts[got];
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 0), &part->keys, PyBUF_C_CONTIGUOUS) != 0) {
            goto done;
        }
        PyObject *positions = PyTuple_GET_ITEM(pair, 1);
        if (positions != Py_None) {
            if (PyObject_GetBuffer(positions, &part->positions, PyBUF_C_CONTIGUOUS) != 0) {
                PyBuffer_Release(&part->keys);
                goto done;
            }
            part->has_positions = 1;
        }
        if (part->keys.len % 8 != 0 || (part->has_positions && part->positions.len % 8 != 0)) {
            got++;
            PyErr_SetString(PyExc_ValueError, "buffers of 8-byte words expected");
            goto done;
        }
        total += (part->has_positions ? part->positions.len : part->keys.len) / 8;
    }
    if (scratch.len % 8 != 0 || scratch.len / 8 < total) {
        PyErr_SetString(PyExc_ValueError, "uint64 room for every key expected");
        goto done;
    }
    int bits = 0;
    while (bits < 16 && (total >> bits) > SHARED_GROUP_KEYS) {
        bits++;
    }
    size_t groups = (size_t)1 << bits;
    starts = PyMem_Calloc(groups + 1, sizeof(uint64_t));
    fill = PyMem_Calloc(groups, sizeof(uint64_t));
    if (starts == NULL || fill == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* positions checked before any work: an index outside its keys is the caller's error */
    for (Py_ssize_t p = 0; p < n_parts; p++) {
        if (!parts[p].has_positions) {
            continue;
        }
        const int64_t *at = parts[p].positions.buf;
        Py_ssize_t size = parts[p].keys.len / 8, count = parts[p].positions.len / 8;
        for (Py_ssize_t i = 0; i < count; i++) {
            if (at[i] < 0 || at[i] >= size) {
                PyErr_SetString(PyExc_IndexError, "a position outside its keys");
                goto done;
            }
        }
    }
#define GROUP_OF(k) (bits ? (size_t)((k) >> (64 - bits)) : 0)
    uint64_t *out = scratch.buf;
    size_t largest = 0, found = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t p = 0; p < n_parts; p++) {
        const uint64_t *key = parts[p].keys.buf;
        if (parts[p].has_positions) {
            const int64_t *at = parts[p].positions.buf;
            Py_ssize_t count = parts[p].positions.len / 8;
            for (Py_ssize_t i = 0; i < count; i++) {
                starts[GROUP_OF(key[at[i]]) + 1]++;
            }
        } else {
            Py_ssize_t count = parts[p].keys.len / 8;
            for (Py_ssize_t i = 0; i < count; i++) {
                starts[GROUP_OF(key[i]) + 1]++;
            }
        }
    }
    for (size_t g = 0; g < groups; g++) {
        if (starts[g + 1] > largest) {
            largest = starts[g + 1];
        }
        starts[g + 1] += starts[g];
        fill[g] = starts[g];
    }
    for (Py_ssize_t p = 0; p < n_parts; p++) {
        const uint64_t *key = parts[p].keys.buf;
        if (parts[p].has_positions) {
            const int64_t *at = parts[p].positions.buf;
            Py_ssize_t count = parts[p].positions.len / 8;
            for (Py_ssize_t i = 0; i < count; i++) {
                uint64_t k = key[at[i]];
                out[fill[GROUP_OF(k)]++] = k;
            }
        } else {
            Py_ssize_t count = parts[p].keys.len / 8;
            for (Py_ssize_t i = 0; i < count; i++) {
                uint64_t k = key[i];
                out[fill[GROUP_OF(k)]++] = k;
            }
        }
    }
    Py_END_ALLOW_THREADS
#undef GROUP_OF
    int table_bits = 4;
    while (((size_t)1 << table_bits) < 2 * largest) {
        table_bits++;
    }
    slots = PyMem_Malloc(sizeof(uint64_t) << table_bits);
    state = PyMem_Malloc((size_t)1 << table_bits);
    if (slots == NULL || state == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    for (size_t g = 0; g < groups; g++) {
        size_t first = starts[g], last = starts[g + 1];
        if (last - first < 2) {
            continue;
        }
        int tb = 4;
        while (((size_t)1 << tb) < 2 * (last - first)) {
            tb++;
        }
        size_t mask = ((size_t)1 << tb) - 1;
        memset(state, 0, mask + 1); /* 0 free, 1 seen once, 2 written out */
        for (size_t i = first; i < last; i++) {
            uint64_t k = out[i];
            /* Fibonacci hashing: the top bits of the product, well spread for any keys */
            size_t h = (size_t)((k * 0x9E3779B97F4A7C15ull) >> (64 - tb));
            while (state[h] && slots[h] != k) {
                h = (h + 1) & mask;
            }
            if (!state[h]) {
                state[h] = 1;
                slots[h] = k;
            } else if (state[h] == 1) {
                state[h] = 2;
                out[found++] = k; /* found < i: the keys written over were read */
            }
        }
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSize_t(found);
done:
    for (Py_ssize_t p = 0; p < got; p++) {
        PyBuffer_Release(&parts[p].keys);
        if (parts[p].has_positions) {
            PyBuffer_Release(&parts[p].positions);
        }
    }
    PyMem_Free(parts);
    PyMem_Free(starts);
    PyMem_Free(fill);
    PyMem_Free(slots);
    PyMem_Free(state);
    PyBuffer_Release(&scratch);
    return result;
}

static PyMethodDef methods[] = {
    {"plain_texts", plain_texts, METH_O,
     "normalise(text).text of each text whose offset map is the identity, else None"},
    {"literal_gates", literal_gates, METH_VARARGS,
     "literal_gates(stream, alternatives) -> bytearray: per cell, a native uint64 whose bit g"
     " tells that the cell contains one of gate g's alternatives (sequences of character sets)."},
    {"address_keys", kernel_address_keys, METH_O,
     "address_keys(stream) -> stream: detectors.address.normalise_value of each NFKC cell."},
    {"registry_address_keys", kernel_registry_address_keys, METH_O,
     "registry_address_keys(stream) -> stream: identity.conservative_address of each NFKC cell"
     " (its last NFKC left out)."},
    {"registry_place_keys", kernel_registry_place_keys, METH_O,
     "registry_place_keys(stream) -> stream: identity.conservative_address(room=False) of each"
     " NFKC cell (its last NFKC left out)."},
    {"name_keys", kernel_name_keys, METH_O,
     "name_keys(stream) -> stream: detectors.person_name.normalise_value of each NFKC cell."},
    {"digit_keys", kernel_digit_keys, METH_O,
     "digit_keys(stream) -> stream: the ASCII digits of each cell."},
    {"plain_phone_keys", kernel_plain_phone_keys, METH_O,
     "plain_phone_keys(stream) -> stream: the digits of each cell of digits and hyphens only."},
    {"ascii_email_keys", kernel_ascii_email_keys, METH_O,
     "ascii_email_keys(stream) -> stream: each ASCII cell in lower case, else null."},
    {"padded_date_keys", kernel_padded_date_keys, METH_O,
     "padded_date_keys(stream) -> stream: the key of each 1985/04/01-shaped cell, else null."},
    {"card_valid", kernel_card_valid, METH_O,
     "card_valid(stream) -> bytearray: detectors.credit_card.validate of each NFKC cell."},
    {"may_change", kernel_may_change, METH_O,
     "may_change(stream) -> bytearray: the cells normalise_column may change."},
    {"sql_rows", sql_rows, METH_VARARGS,
     "sql_rows(data, start, ncols, max_rows, mode, prefix, at_eof) -> (columns, rows, position,"
     " status, ragged, binary, width): the rows of a dump's INSERT tuples or COPY block."},
    {"keep_spans", keep_spans, METH_VARARGS,
     "keep_spans(context, exclude, window, texts, index, starts, ends, checks) -> bytes: per"
     " span 0 dropped, 1 kept, 2 kept with a context word near (Detector.candidate_at)."},
    {"resolve", resolve, METH_VARARGS,
     "resolve(index, starts, ends, strengths, priorities) -> list: the candidates that stand"
     " (detectors._resolve per text), by text and start."},
    {"valid_values", valid_values, METH_VARARGS,
     "valid_values(kind, values) -> bytes: per value 1 valid, 0 not, 2 not ASCII (ask Python);"
     " kind 0 phone, 1 postal code, 2 e-mail (detectors' validate)."},
    {"key_hashes", key_hashes, METH_VARARGS,
     "key_hashes(out, salt, rows, fields) -> None: people._key_hash of each edge into out"
     " (uint64), the fields' hashes (a tuple of uint64 buffers) taken at rows (int64; None: all)."},
    {"shared_positions", shared_positions, METH_VARARGS,
     "shared_positions(out, keys, table, sorted) -> int: the positions of the keys found in"
     " sorted (written to out, int64), a byte table of their low bits first (people._membership)."},
    {"shared_keys", shared_keys, METH_VARARGS,
     "shared_keys(scratch, parts) -> int: the keys found more than once among the parts'"
     " (keys, positions or None) pairs, each once, written to the front of scratch (uint64)."},
    {"set_buffer_limit", set_buffer_limit, METH_O,
     "set_buffer_limit(bytes) -> int: the largest output data buffer (for tests); the old one."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_kernels",
    .m_doc = "Compiled column kernels of the scanner.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__kernels(void) {
    unchanged_init();
    return PyModule_Create(&module);
}
