/* The blind indexes of a chunk of an import's rows, in one call (rouei/people/preparing.py).
 *
 * For each row, the keys ``registry.lookup_values`` forms from its normalised values, in the same
 * order, each as (kind, (digest,)) where digest is HMAC-SHA256(index key, kind "\x1f" value)
 * truncated to 16 bytes (``rouei.core.crypto.blind_index``). The row's values come as columns
 * (lists of str or None; phones a tuple of str per row), already normalised and deduplicated by
 * the caller: this file only forms the messages and hashes them, which in Python cost more in
 * the glue around ``hashlib`` than in the hashing. tests/people/test_prepare_chunk.py compares
 * every key with the pure-Python path.
 *
 * SHA-256 is FIPS 180-4, written out here (no library to link), with the CPU's SHA
 * instructions where it has them. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define DIGEST_BYTES 16

typedef struct {
    uint32_t h[8];
    uint64_t length;  /* bytes hashed so far */
    uint8_t block[64];
    size_t filled;
} sha256;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress(uint32_t h[8], const uint8_t *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1

/* The same compression with the CPU's SHA extensions (most x86-64 since ~2017; this machine's):
 * about 8 times faster than the C above. Used when the CPU says it has them. */
__attribute__((target("sha,sse4.1,ssse3"))) static void compress_ni(uint32_t h[8],
                                                                      const uint8_t *p) {
    const __m128i order = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* CDAB */
    __m128i state1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* EFGH */
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);    /* ABEF */
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);          /* CDGH */
    const __m128i abef = state0, cdgh = state1;
    __m128i w[16];
    for (int i = 0; i < 4; i++)
        w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), order);
    for (int i = 4; i < 16; i++)
        w[i] = _mm_sha256msg2_epu32(
            _mm_add_epi32(_mm_sha256msg1_epu32(w[i - 4], w[i - 3]),
                          _mm_alignr_epi8(w[i - 1], w[i - 2], 4)), w[i - 1]);
    for (int i = 0; i < 16; i++) {
        __m128i msg = _mm_add_epi32(w[i], _mm_loadu_si128((const __m128i *)&K[4 * i]));
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
    }
    state0 = _mm_add_epi32(state0, abef);
    state1 = _mm_add_epi32(state1, cdgh);
    tmp = _mm_shuffle_epi32(state0, 0x1B);        /* FEBA */
    state1 = _mm_shuffle_epi32(state1, 0xB1);     /* DCHG */
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);  /* DCBA */
    state1 = _mm_alignr_epi8(state1, tmp, 8);     /* ABEF */
    _mm_storeu_si128((__m128i *)&h[0], state0);
    _mm_storeu_si128((__m128i *)&h[4], state1);
}

static int cpu_has_sha_ni(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3)) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b >> 29) & 1;
}
#endif

static void (*compress_block)(uint32_t h[8], const uint8_t *p) = compress;

static void sha_init(sha256 *s) {
    static const uint32_t start[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, start, sizeof start);
    s->length = 0;
    s->filled = 0;
}

static void sha_update(sha256 *s, const uint8_t *data, size_t n) {
    s->length += n;
    if (s->filled) {
        size_t take = 64 - s->filled < n ? 64 - s->filled : n;
        memcpy(s->block + s->filled, data, take);
        s->filled += take;
        data += take;
        n -= take;
        if (s->filled < 64) return;
        compress_block(s->h, s->block);
        s->filled = 0;
    }
    while (n >= 64) {
        compress_block(s->h, data);
        data += 64;
        n -= 64;
    }
    memcpy(s->block, data, n);
    s->filled = n;
}

static void sha_final(sha256 *s, uint8_t out[32]) {
    uint64_t bits = s->length * 8;
    uint8_t pad = 0x80;
    uint8_t zero[64] = {0};
    uint8_t tail[8];
    sha_update(s, &pad, 1);
    sha_update(s, zero, s->filled <= 56 ? 56 - s->filled : 120 - s->filled);
    for (int i = 0; i < 8; i++) tail[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha_update(s, tail, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

/* The key's padded blocks hashed once (RFC 2104): every message starts from these states. */
typedef struct {
    sha256 inner, outer;
} hmac_key;

static void hmac_setup(hmac_key *key, const uint8_t *raw, size_t n) {
    uint8_t block[64] = {0}, pad[64];
    if (n > 64) {
        sha256 s;
        sha_init(&s);
        sha_update(&s, raw, n);
        sha_final(&s, block);
    } else {
        memcpy(block, raw, n);
    }
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    sha_init(&key->inner);
    sha_update(&key->inner, pad, 64);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    sha_init(&key->outer);
    sha_update(&key->outer, pad, 64);
}

typedef struct {
    const char *text;
    Py_ssize_t size;
} part;

/* (kind, (digest,)) for the message kind "\x1f" first ["|" second]. */
static PyObject *key_entry(const hmac_key *key, PyObject *kind, part first, const part *second) {
    Py_ssize_t kind_size;
    const char *kind_text = PyUnicode_AsUTF8AndSize(kind, &kind_size);
    if (kind_text == NULL) return NULL;
    sha256 s = key->inner;
    uint8_t inner[32], mac[32];
    sha_update(&s, (const uint8_t *)kind_text, (size_t)kind_size);
    sha_update(&s, (const uint8_t *)"\x1f", 1);
    sha_update(&s, (const uint8_t *)first.text, (size_t)first.size);
    if (second) {
        sha_update(&s, (const uint8_t *)"|", 1);
        sha_update(&s, (const uint8_t *)second->text, (size_t)second->size);
    }
    sha_final(&s, inner);
    s = key->outer;
    sha_update(&s, inner, 32);
    sha_final(&s, mac);
    PyObject *digest = PyBytes_FromStringAndSize((const char *)mac, DIGEST_BYTES);
    if (digest == NULL) return NULL;
    PyObject *digests = PyTuple_Pack(1, digest);
    Py_DECREF(digest);
    if (digests == NULL) return NULL;
    PyObject *entry = PyTuple_Pack(2, kind, digests);
    Py_DECREF(digests);
    return entry;
}

/* The UTF-8 of a column's cell: 0 with *out set (size -1 for None), -1 on an error. */
static int cell(PyObject *column, Py_ssize_t row, part *out) {
    PyObject *value = PyList_GET_ITEM(column, row);
    if (value == Py_None) {
        out->text = NULL;
        out->size = -1;
        return 0;
    }
    if (!PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "a key value must be str or None");
        return -1;
    }
    out->text = PyUnicode_AsUTF8AndSize(value, &out->size);
    return out->text ? 0 : -1;
}

enum { REF, PHONES, EMAIL, NAME, BIRTH, ADDRESS, PLACE, KANA, COLUMNS };
static PyObject *kinds[9];
enum { K_REF, K_PHONE, K_EMAIL, K_NAME_BIRTH, K_NAME_PHONE, K_NAME_EMAIL, K_NAME_ADDRESS,
       K_NAME_PLACE, K_KANA_BIRTH };
static const char *kind_names[9] = {"ref", "phone", "email", "name_birth", "name_phone",
                                    "name_email", "name_address", "name_place", "kana_birth"};

#define PUSH(entry_expr)                                   \
    do {                                                   \
        PyObject *entry_ = (entry_expr);                   \
        if (entry_ == NULL || PyList_Append(keys, entry_)) { \
            Py_XDECREF(entry_);                            \
            goto fail;                                     \
        }                                                  \
        Py_DECREF(entry_);                                 \
    } while (0)

static PyObject *row_keys(const hmac_key *key, PyObject **columns, Py_ssize_t row) {
    part value[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
        if (c == PHONES) continue;
        if (cell(columns[c], row, &value[c])) return NULL;
    }
    PyObject *phones = PyList_GET_ITEM(columns[PHONES], row);
    if (!PyTuple_Check(phones)) {
        PyErr_SetString(PyExc_TypeError, "a row's phones must be a tuple");
        return NULL;
    }
    Py_ssize_t phone_count = PyTuple_GET_SIZE(phones);
    part phone[8];
    if (phone_count > 8) {
        PyErr_SetString(PyExc_ValueError, "more than 8 phones in a row");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < phone_count; i++) {
        PyObject *p = PyTuple_GET_ITEM(phones, i);
        if (!PyUnicode_Check(p)) {
            PyErr_SetString(PyExc_TypeError, "a phone must be str");
            return NULL;
        }
        phone[i].text = PyUnicode_AsUTF8AndSize(p, &phone[i].size);
        if (phone[i].text == NULL) return NULL;
    }
    PyObject *keys = PyList_New(0);
    if (keys == NULL) return NULL;
    if (value[REF].size >= 0) PUSH(key_entry(key, kinds[K_REF], value[REF], NULL));
    for (Py_ssize_t i = 0; i < phone_count; i++)
        PUSH(key_entry(key, kinds[K_PHONE], phone[i], NULL));
    if (value[EMAIL].size >= 0) PUSH(key_entry(key, kinds[K_EMAIL], value[EMAIL], NULL));
    if (value[NAME].size >= 0) {
        part name = value[NAME];
        if (value[BIRTH].size >= 0)
            PUSH(key_entry(key, kinds[K_NAME_BIRTH], name, &value[BIRTH]));
        for (Py_ssize_t i = 0; i < phone_count; i++)
            PUSH(key_entry(key, kinds[K_NAME_PHONE], name, &phone[i]));
        if (value[EMAIL].size >= 0)
            PUSH(key_entry(key, kinds[K_NAME_EMAIL], name, &value[EMAIL]));
        if (value[ADDRESS].size >= 0)
            PUSH(key_entry(key, kinds[K_NAME_ADDRESS], name, &value[ADDRESS]));
        if (value[PLACE].size >= 0)
            PUSH(key_entry(key, kinds[K_NAME_PLACE], name, &value[PLACE]));
    }
    if (value[KANA].size >= 0 && value[BIRTH].size >= 0)
        PUSH(key_entry(key, kinds[K_KANA_BIRTH], value[KANA], &value[BIRTH]));
    PyObject *result = PyList_AsTuple(keys);
    Py_DECREF(keys);
    return result;
fail:
    Py_DECREF(keys);
    return NULL;
}

static PyObject *chunk_keys(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer raw_key;
    PyObject *columns[COLUMNS];
    if (!PyArg_ParseTuple(args, "y*O!O!O!O!O!O!O!O!:chunk_keys", &raw_key,
                          &PyList_Type, &columns[REF], &PyList_Type, &columns[PHONES],
                          &PyList_Type, &columns[EMAIL], &PyList_Type, &columns[NAME],
                          &PyList_Type, &columns[BIRTH], &PyList_Type, &columns[ADDRESS],
                          &PyList_Type, &columns[PLACE], &PyList_Type, &columns[KANA]))
        return NULL;
    hmac_key key;
    hmac_setup(&key, raw_key.buf, (size_t)raw_key.len);
    PyBuffer_Release(&raw_key);
    Py_ssize_t rows = PyList_GET_SIZE(columns[REF]);
    for (int c = 1; c < COLUMNS; c++) {
        if (PyList_GET_SIZE(columns[c]) != rows) {
            PyErr_SetString(PyExc_ValueError, "the columns differ in length");
            return NULL;
        }
    }
    PyObject *out = PyList_New(rows);
    if (out == NULL) return NULL;
    for (Py_ssize_t row = 0; row < rows; row++) {
        PyObject *keys = row_keys(&key, columns, row);
        if (keys == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, row, keys);
    }
    return out;
}

static PyObject *digest(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer raw_key, message;
    if (!PyArg_ParseTuple(args, "y*y*:digest", &raw_key, &message)) return NULL;
    hmac_key key;
    hmac_setup(&key, raw_key.buf, (size_t)raw_key.len);
    sha256 s = key.inner;
    uint8_t inner[32], mac[32];
    sha_update(&s, message.buf, (size_t)message.len);
    sha_final(&s, inner);
    s = key.outer;
    sha_update(&s, inner, 32);
    sha_final(&s, mac);
    PyBuffer_Release(&raw_key);
    PyBuffer_Release(&message);
    return PyBytes_FromStringAndSize((const char *)mac, 32);
}

/* use_sha_instructions(flag) -> whether they are now used: False for the portable C (tests
 * check both against hashlib); True only where the CPU has them. */
static PyObject *use_sha_instructions(PyObject *self, PyObject *arg) {
    (void)self;
    int wanted = PyObject_IsTrue(arg);
    if (wanted < 0) return NULL;
    compress_block = compress;
#ifdef HAVE_SHA_NI
    if (wanted && cpu_has_sha_ni()) compress_block = compress_ni;
#endif
    return PyBool_FromLong(compress_block != compress);
}

static PyMethodDef methods[] = {
    {"use_sha_instructions", use_sha_instructions, METH_O,
     "use_sha_instructions(flag) -> whether the CPU's SHA instructions are used now"},
    {"chunk_keys", chunk_keys, METH_VARARGS,
     "chunk_keys(index_key, refs, phones, emails, names, births, addresses, places, kanas) -> "
     "a tuple of (kind, (digest,)) per row, as registry.lookup_values orders them"},
    {"digest", digest, METH_VARARGS, "digest(key, message) -> HMAC-SHA256 (32 bytes)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rowkeys", NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__rowkeys(void) {
#ifdef HAVE_SHA_NI
    if (cpu_has_sha_ni()) compress_block = compress_ni;
#endif
    for (int i = 0; i < 9; i++) {
        kinds[i] = PyUnicode_InternFromString(kind_names[i]);
        if (kinds[i] == NULL) return NULL;
    }
    return PyModule_Create(&module);
}
